//! Tab completion at the console's prompt, as kubectl's shell completion offers it
//! (`kubectl completion bash`: commands, resource types, the names of objects in the cluster,
//! flags): what the word under the cursor can become.

use crate::api::resources::{Kind, RESOURCES};
use crate::kubectl::commands::COMMANDS;
use crate::world::Cluster;

/// What the word at the end of a line can be completed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// Where the word starts (a byte offset in the line).
    pub start: usize,
    /// Every word it can become, sorted.
    pub candidates: Vec<String>,
}

impl Completion {
    /// The longest text every candidate starts with.
    pub fn common_prefix(&self) -> String {
        let Some(first) = self.candidates.first() else {
            return String::new();
        };
        let mut len = first.len();
        for c in &self.candidates[1..] {
            len = len.min(first.bytes().zip(c.bytes()).take_while(|(a, b)| a == b).count());
        }
        while !first.is_char_boundary(len) {
            len -= 1;
        }
        first[..len].to_string()
    }
}

const TOP: [&str; 5] = ["kubectl", "sim", "help", "echo", "clear"];
const SIM_VERBS: [&str; 11] = [
    "settle",
    "advance",
    "unready",
    "ready",
    "crash",
    "evict",
    "image-missing",
    "node-down",
    "node-up",
    "reset",
    "help",
];
/// Commands whose first argument is a resource type.
const TYPED: [&str; 10] = [
    "get", "describe", "delete", "label", "annotate", "scale", "patch", "edit", "wait", "set",
];

/// Complete the last word of `line` (the text before the cursor).
pub fn complete(line: &str, c: &Cluster) -> Completion {
    let start = line.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let word = &line[start..];
    let before: Vec<&str> = line[..start].split_whitespace().collect();
    let mut candidates: Vec<String> = match before.as_slice() {
        [] => TOP.iter().map(|s| s.to_string()).collect(),
        ["sim"] => SIM_VERBS.iter().map(|s| s.to_string()).collect(),
        ["sim", "unready" | "ready" | "crash" | "evict"] => names(c, Kind::Pod),
        ["sim", "node-down" | "node-up"] => names(c, Kind::Node),
        ["kubectl" | "k"] => COMMANDS.iter().map(|cmd| cmd.name.to_string()).collect(),
        ["kubectl" | "k", sub, rest @ ..] => arguments(c, sub, rest, word),
        _ => Vec::new(),
    };
    candidates.retain(|cand| cand.starts_with(word));
    crate::sort::natural(&mut candidates);
    candidates.dedup();
    Completion { start, candidates }
}

fn names(c: &Cluster, kind: Kind) -> Vec<String> {
    c.store
        .list(kind, if kind.info().namespaced { Some("default") } else { None })
        .into_iter()
        .map(|o| crate::api::meta::name(o).to_string())
        .collect()
}

fn resource_words() -> Vec<String> {
    let mut out = Vec::new();
    for r in RESOURCES.iter().filter(|r| r.modelled) {
        out.push(r.plural.to_string());
        out.extend(r.short.iter().map(|s| s.to_string()));
    }
    out
}

/// The arguments of `kubectl SUB …`: flags, resource types, object names.
fn arguments(c: &Cluster, sub: &str, rest: &[&str], word: &str) -> Vec<String> {
    let Some(cmd) = COMMANDS.iter().find(|cmd| cmd.name == sub) else {
        return Vec::new();
    };
    if word.starts_with('-') {
        return cmd
            .spec
            .valued
            .iter()
            .chain(cmd.spec.boolean)
            .map(|(long, _)| format!("--{long}"))
            .chain(["--namespace".to_string()])
            .collect();
    }
    let positional: Vec<&str> = rest.iter().copied().filter(|w| !w.starts_with('-')).collect();
    // TYPE/NAME: names of that type.
    if let Some((ty, _)) = word.split_once('/') {
        return match crate::api::resources::by_cli_name(ty) {
            Some(r) => names(c, r.kind).into_iter().map(|n| format!("{ty}/{n}")).collect(),
            None => Vec::new(),
        };
    }
    match sub {
        "exec" | "logs" | "attach" if positional.is_empty() => names(c, Kind::Pod),
        "cordon" | "uncordon" | "drain" if positional.is_empty() => names(c, Kind::Node),
        "taint" if positional.is_empty() => vec!["nodes".into()],
        "taint" if positional.len() == 1 => names(c, Kind::Node),
        "rollout" if positional.is_empty() => ["status", "history", "undo", "restart", "pause", "resume"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        "rollout" if positional.len() == 1 => ["statefulset", "deployment", "daemonset"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        "rollout" if positional.len() == 2 => typed_names(c, positional[1]),
        "set" if positional.is_empty() => vec!["image".into()],
        "set" if positional.len() == 1 => ["statefulset", "deployment", "daemonset", "pod"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        "set" if positional.len() == 2 => typed_names(c, positional[1]),
        _ if TYPED.contains(&sub) && positional.is_empty() => resource_words(),
        _ if TYPED.contains(&sub) && positional.len() == 1 => typed_names(c, positional[0]),
        _ => Vec::new(),
    }
}

fn typed_names(c: &Cluster, ty: &str) -> Vec<String> {
    match crate::api::resources::by_cli_name(ty) {
        Some(r) => names(c, r.kind),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_commands_types_names_and_flags() {
        let mut console = crate::console::Console::new(Box::new(crate::console::NoFiles));
        console.run(
            "kubectl apply -f -",
            Some(include_str!("../../tests/scenarios/web.yaml")),
        );
        console.cluster.settle().ok();
        let c = &console.cluster;
        assert_eq!(complete("kub", c).candidates, ["kubectl"]);
        assert!(complete("kubectl de", c).candidates.contains(&"describe".to_string()));
        assert_eq!(complete("kubectl get stat", c).candidates, ["statefulsets"]);
        assert_eq!(complete("kubectl get pods web-", c).candidates, ["web-0", "web-1"]);
        assert_eq!(complete("kubectl describe sts/", c).candidates, ["sts/web"]);
        assert_eq!(complete("kubectl exec w", c).candidates, ["web-0", "web-1"]);
        assert!(complete("kubectl get pods --wa", c)
            .candidates
            .contains(&"--watch".to_string()));
        assert_eq!(
            complete("sim node-down node-", c).candidates,
            ["node-a", "node-b", "node-c"]
        );
        let done = complete("kubectl get pods web-", c);
        assert_eq!((done.start, done.common_prefix().as_str()), (17, "web-"));
    }
}
