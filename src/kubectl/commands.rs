//! The kubectl command table: each subcommand with its flags and its function, plus the
//! helpers they share (resource arguments, object lookup, kubectl's error texts).

use crate::api::resources::{self, Kind};
use crate::api::selector::Selector;
use crate::console::FileSource;
use crate::kubectl::args::{self, FlagSpec, Parsed};
use crate::store::Key;
use crate::value::Value;
use crate::world::Cluster;

/// What a command runs against.
pub struct Ctx<'a> {
    pub c: &'a mut Cluster,
    pub files: &'a dyn FileSource,
    pub stdin: Option<&'a str>,
    /// What the command leaves running (a watch, a shell), for the console to carry on.
    pub started: Option<crate::kubectl::session::Started>,
    /// Whether a learner is at the prompt (the page), rather than a script.
    pub interactive: bool,
}

type Run = fn(&mut Ctx, &Parsed) -> String;

/// One kubectl subcommand.
pub struct Command {
    pub name: &'static str,
    pub spec: FlagSpec,
    pub run: Run,
    /// A one-line description for `kubectl help` and completion.
    pub about: &'static str,
}

const OUTPUT: (&str, char) = ("output", 'o');
const SELECTOR: (&str, char) = ("selector", 'l');
const FILENAME: (&str, char) = ("filename", 'f');
const ALL_NS: (&str, char) = ("all-namespaces", 'A');

/// Every subcommand the playground speaks.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "get",
        about: "Display one or many resources",
        run: crate::kubectl::get::get,
        spec: FlagSpec {
            command: "get",
            valued: &[
                OUTPUT,
                SELECTOR,
                ("field-selector", ' '),
                ("sort-by", ' '),
                ("template", ' '),
            ],
            boolean: &[
                ("show-labels", ' '),
                ("watch", 'w'),
                ("watch-only", ' '),
                ("output-watch-events", ' '),
                ALL_NS,
                ("no-headers", ' '),
            ],
        },
    },
    Command {
        name: "describe",
        about: "Show details of a specific resource or group of resources",
        run: crate::kubectl::get::describe,
        spec: FlagSpec {
            command: "describe",
            valued: &[SELECTOR],
            boolean: &[ALL_NS],
        },
    },
    Command {
        name: "events",
        about: "List events",
        run: crate::kubectl::get::events,
        spec: FlagSpec {
            command: "events",
            valued: &[("for", ' '), OUTPUT, ("types", ' ')],
            boolean: &[ALL_NS, ("watch", 'w'), ("no-headers", ' ')],
        },
    },
    Command {
        name: "apply",
        about: "Apply a configuration to a resource by file name or stdin",
        run: crate::kubectl::apply::apply,
        spec: FlagSpec {
            command: "apply",
            valued: &[FILENAME, OUTPUT, ("validate", ' ')],
            boolean: &[("recursive", 'R'), ("server-side", ' ')],
        },
    },
    Command {
        name: "create",
        about: "Create a resource from a file or from stdin",
        run: crate::kubectl::apply::create,
        spec: FlagSpec {
            command: "create",
            valued: &[FILENAME, OUTPUT, ("validate", ' ')],
            boolean: &[],
        },
    },
    Command {
        name: "delete",
        about: "Delete resources by file names, stdin, resources and names, or by resources and label selector",
        run: crate::kubectl::delete::delete,
        spec: FlagSpec {
            command: "delete",
            valued: &[
                FILENAME,
                SELECTOR,
                ("cascade", ' '),
                ("grace-period", ' '),
                ("wait", ' '),
                ("timeout", ' '),
                OUTPUT,
            ],
            boolean: &[("all", ' '), ("force", ' '), ("now", ' '), ("ignore-not-found", ' ')],
        },
    },
    Command {
        name: "scale",
        about: "Set a new size for a deployment, replica set, or stateful set",
        run: crate::kubectl::edit::scale,
        spec: FlagSpec {
            command: "scale",
            valued: &[
                ("replicas", ' '),
                ("current-replicas", ' '),
                FILENAME,
                SELECTOR,
                ("timeout", ' '),
            ],
            boolean: &[],
        },
    },
    Command {
        name: "patch",
        about: "Update fields of a resource",
        run: crate::kubectl::edit::patch,
        spec: FlagSpec {
            command: "patch",
            valued: &[("patch", 'p'), ("type", ' '), FILENAME, ("patch-file", ' ')],
            boolean: &[],
        },
    },
    Command {
        name: "label",
        about: "Update the labels on a resource",
        run: crate::kubectl::edit::label,
        spec: FlagSpec {
            command: "label",
            valued: &[SELECTOR],
            boolean: &[("overwrite", ' '), ("all", ' ')],
        },
    },
    Command {
        name: "annotate",
        about: "Update the annotations on a resource",
        run: crate::kubectl::edit::annotate,
        spec: FlagSpec {
            command: "annotate",
            valued: &[SELECTOR],
            boolean: &[("overwrite", ' '), ("all", ' ')],
        },
    },
    Command {
        name: "set",
        about: "Set specific features on objects (set image)",
        run: crate::kubectl::edit::set,
        spec: FlagSpec {
            command: "set",
            valued: &[SELECTOR],
            boolean: &[("all", ' ')],
        },
    },
    Command {
        name: "rollout",
        about: "Manage the rollout of a resource",
        run: crate::kubectl::rollout::rollout,
        spec: FlagSpec {
            command: "rollout",
            valued: &[("revision", ' '), ("to-revision", ' '), ("timeout", ' ')],
            boolean: &[("watch", 'w')],
        },
    },
    Command {
        name: "wait",
        about: "Wait for a specific condition on one or many resources",
        run: crate::kubectl::edit::wait,
        spec: FlagSpec {
            command: "wait",
            valued: &[("for", ' '), ("timeout", ' '), SELECTOR],
            boolean: &[("all", ' '), ALL_NS],
        },
    },
    Command {
        name: "exec",
        about: "Execute a command in a container",
        run: crate::kubectl::exec::exec,
        spec: FlagSpec {
            command: "exec",
            valued: &[("container", 'c')],
            boolean: &[("stdin", 'i'), ("tty", 't'), ("quiet", 'q')],
        },
    },
    Command {
        name: "edit",
        about: "Edit a resource on the server",
        run: crate::kubectl::edit::edit,
        spec: FlagSpec {
            command: "edit",
            valued: &[OUTPUT],
            boolean: &[],
        },
    },
    Command {
        name: "run",
        about: "Run a particular image on the cluster",
        run: crate::kubectl::run::run,
        spec: FlagSpec {
            command: "run",
            valued: &[
                ("image", ' '),
                ("restart", ' '),
                ("env", ' '),
                ("labels", 'l'),
                ("port", ' '),
                ("pod-running-timeout", ' '),
            ],
            boolean: &[
                ("stdin", 'i'),
                ("tty", 't'),
                ("rm", ' '),
                ("attach", ' '),
                ("command", ' '),
                ("quiet", 'q'),
                ("leave-stdin-open", ' '),
            ],
        },
    },
    Command {
        name: "cordon",
        about: "Mark node as unschedulable",
        run: crate::kubectl::edit::cordon,
        spec: FlagSpec {
            command: "cordon",
            valued: &[SELECTOR],
            boolean: &[],
        },
    },
    Command {
        name: "drain",
        about: "Drain node in preparation for maintenance",
        run: crate::kubectl::edit::drain,
        spec: FlagSpec {
            command: "drain",
            valued: &[("timeout", ' '), ("grace-period", ' ')],
            boolean: &[
                ("ignore-daemonsets", ' '),
                ("delete-emptydir-data", ' '),
                ("force", ' '),
            ],
        },
    },
    Command {
        name: "taint",
        about: "Update the taints on one or more nodes",
        run: crate::kubectl::edit::taint,
        spec: FlagSpec {
            command: "taint",
            valued: &[],
            boolean: &[("overwrite", ' ')],
        },
    },
    Command {
        name: "uncordon",
        about: "Mark node as schedulable",
        run: crate::kubectl::edit::uncordon,
        spec: FlagSpec {
            command: "uncordon",
            valued: &[SELECTOR],
            boolean: &[],
        },
    },
    Command {
        name: "logs",
        about: "Print the logs for a container in a pod",
        run: crate::kubectl::exec::logs,
        spec: FlagSpec {
            command: "logs",
            valued: &[("container", 'c'), ("tail", ' ')],
            boolean: &[("follow", 'f'), ("previous", 'p')],
        },
    },
    Command {
        name: "version",
        about: "Print the client and server version information",
        run: version,
        spec: FlagSpec {
            command: "version",
            valued: &[OUTPUT],
            boolean: &[("client", ' ')],
        },
    },
    Command {
        name: "api-resources",
        about: "Print the supported API resources on the server",
        run: api_resources,
        spec: FlagSpec {
            command: "api-resources",
            valued: &[],
            boolean: &[("namespaced", ' ')],
        },
    },
];

/// Commands kubectl has that the playground does not run, with the reason.
const NOT_MODELLED: &[(&str, &str)] = &[
    ("port-forward", "the simulated pods serve no real network traffic"),
    ("cp", "use kubectl exec POD -- sh -c 'echo TEXT > FILE' to write a file"),
    ("attach", "the simulated containers have no terminal"),
    ("expose", "write the Service in the editor and press Apply"),
    ("top", "the simulator does not model metrics-server"),
    ("autoscale", "the simulator does not model autoscaling"),
    ("auth", "the playground has no RBAC"),
    ("config", "the playground has a single cluster and context"),
    (
        "explain",
        "the playground does not carry the API schema yet: see the Kubernetes API reference for v1.34",
    ),
    ("diff", "compare with kubectl get KIND NAME -o yaml, then Apply"),
    ("replace", "use kubectl apply"),
    ("debug", "the simulated containers have no debug shell"),
    ("proxy", "the playground has no network"),
    ("certificate", "the playground has no certificates"),
    (
        "cluster-info",
        "the cluster DNS is at 10.96.0.10; the API server is simulated in the page",
    ),
    ("plugin", "the playground has no plugins"),
    ("kustomize", "paste the rendered manifests into the editor"),
];

/// Run `kubectl WORDS...`.
pub fn run(ctx: &mut Ctx, words: &[String]) -> String {
    let Some(name) = words.first() else {
        return "kubectl controls the Kubernetes cluster manager.\n\nBasic Commands: get, describe, apply, create, delete, edit, scale, patch, label, annotate, set image, rollout, wait, run, exec, logs, events, cordon, uncordon, drain, taint, api-resources, version\nPlayground commands: sim settle | sim advance 30s | sim unready POD | sim ready POD | sim crash POD | sim evict POD | sim image-missing IMAGE | sim node-down NODE | sim node-up NODE | sim reset\n".into();
    };
    let rest = &words[1..];
    if let Some(cmd) = COMMANDS.iter().find(|c| c.name == name) {
        return match args::parse(rest, &cmd.spec) {
            Ok(parsed) => (cmd.run)(ctx, &parsed),
            Err(e) => e + "\n",
        };
    }
    if let Some((_, why)) = NOT_MODELLED.iter().find(|(n, _)| n == name) {
        return format!("error: the playground does not run \"kubectl {name}\": {why}\n");
    }
    let mut out = format!("error: unknown command \"{name}\" for \"kubectl\"\n");
    if let Some(close) = COMMANDS.iter().map(|c| c.name).find(|c| edit_distance(c, name) <= 2) {
        out.push_str(&format!("\nDid you mean this?\n\t{close}\n"));
    }
    out
}

/// Levenshtein distance (for "Did you mean this?").
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn version(_: &mut Ctx, p: &Parsed) -> String {
    let v = crate::version::KUBERNETES_SERVER_VERSION;
    if p.bool("client") {
        return format!("Client Version: {v}\nKustomize Version: v5.7.1\n");
    }
    format!("Client Version: {v}\nKustomize Version: v5.7.1\nServer Version: {v}\n")
}

/// `kubectl api-resources` (kubectl/pkg/cmd/apiresources): the resources this server serves,
/// sorted by API group (the core group first), then by name (`sortableResource`);
/// `--namespaced=true|false` keeps one scope.
fn api_resources(_: &mut Ctx, p: &Parsed) -> String {
    let mut rows = vec![vec![
        "NAME".to_string(),
        "SHORTNAMES".into(),
        "APIVERSION".into(),
        "NAMESPACED".into(),
        "KIND".into(),
    ]];
    let scope = p.has("namespaced").then(|| p.bool("namespaced"));
    let group = |r: &resources::Resource| r.api_version.rsplit_once('/').map_or("", |(g, _)| g);
    let mut served: Vec<&resources::Resource> = resources::RESOURCES
        .iter()
        .filter(|r| scope.is_none_or(|namespaced| r.namespaced == namespaced))
        .collect();
    crate::sort::by(&mut served, &|a, b| (group(a), a.plural).cmp(&(group(b), b.plural)));
    for r in served {
        rows.push(vec![
            r.plural.into(),
            r.short.join(","),
            r.api_version.into(),
            r.namespaced.to_string(),
            r.name.into(),
        ]);
    }
    crate::kubectl::tabwriter::table(&rows)
}

/// The namespace a command works in (`-n`, or `default`).
pub fn namespace(p: &Parsed) -> String {
    p.get("namespace").unwrap_or("default").to_string()
}

/// A resource type word, with kubectl's error when unknown.
pub fn resource(word: &str) -> Result<Kind, String> {
    resources::by_cli_name(word)
        .map(|r| r.kind)
        .ok_or_else(|| match resources::builtin_by_word(word) {
            Some((api_version, kind)) => format!("error: {}\n", resources::not_simulated(api_version, kind)),
            None => format!("error: the server doesn't have a resource type \"{word}\"\n"),
        })
}

/// Resolve `TYPE NAME...`, `TYPE/NAME...` and `TYPE1,TYPE2` arguments into (kind, names)
/// pairs; an empty name list means "all of that kind".
pub fn targets(positional: &[String]) -> Result<Vec<(Kind, Vec<String>)>, String> {
    let mut out: Vec<(Kind, Vec<String>)> = Vec::new();
    if positional.is_empty() {
        return Ok(out);
    }
    if positional.iter().any(|w| w.contains('/')) {
        for w in positional {
            let Some((t, n)) = w.split_once('/') else {
                return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n".into());
            };
            let kind = resource(t)?;
            match out.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, names)) => names.push(n.to_string()),
                None => out.push((kind, vec![n.to_string()])),
            }
        }
        return Ok(out);
    }
    let names: Vec<String> = positional[1..].to_vec();
    for t in positional[0].split(',').filter(|t| !t.is_empty()) {
        if t == "all" {
            for kind in [
                Kind::Pod,
                Kind::Service,
                Kind::DaemonSet,
                Kind::Deployment,
                Kind::ReplicaSet,
                Kind::StatefulSet,
            ] {
                out.push((kind, names.clone()));
            }
            continue;
        }
        out.push((resource(t)?, names.clone()));
    }
    Ok(out)
}

/// The objects of a kind in a namespace (or all), filtered by label selector.
pub fn select<'a>(c: &'a Cluster, kind: Kind, ns: Option<&str>, selector: Option<&Selector>) -> Vec<&'a Value> {
    c.store
        .list(kind, ns)
        .into_iter()
        .filter(|o| selector.is_none_or(|s| s.matches_object(o)))
        .collect()
}

/// The objects a command acts on: the named ones, or (no names) those the selector picks.
pub fn keys_for(c: &Cluster, kind: Kind, ns: &str, names: &[String], selector: Option<&Selector>) -> Vec<Key> {
    if names.is_empty() {
        select(c, kind, Some(ns), selector)
            .into_iter()
            .map(|o| Key::of(kind, o))
            .collect()
    } else {
        names.iter().map(|n| Key::new(kind, ns, n)).collect()
    }
}

/// Parse `-l`, with kubectl's error.
pub fn selector(p: &Parsed) -> Result<Option<Selector>, String> {
    match p.get("selector") {
        None => Ok(None),
        Some(s) => Selector::parse(s).map(Some).map_err(|e| format!("error: {e}\n")),
    }
}

/// `kind/name` as kubectl prints objects (`statefulset.apps/web`).
pub fn ref_name(kind: Kind, name: &str) -> String {
    format!("{}/{name}", kind.qualified())
}

/// The key of a named object in the command's namespace.
pub fn key(kind: Kind, ns: &str, name: &str) -> Key {
    Key::new(kind, ns, name)
}

/// A single `TYPE NAME` or `TYPE/NAME` target (scale, rollout, patch, set, label, exec).
pub fn single_target(positional: &[String], command: &str) -> Result<(Kind, String, Vec<String>), String> {
    let Some(first) = positional.first() else {
        return Err(format!("error: you must specify the type of resource and name to {command}\nSee 'kubectl {command} -h' for help and examples\n"));
    };
    if let Some((t, n)) = first.split_once('/') {
        return Ok((resource(t)?, n.to_string(), positional[1..].to_vec()));
    }
    let kind = resource(first)?;
    let Some(name) = positional.get(1) else {
        return Err(format!("error: you must specify the name of the resource to {command}\nSee 'kubectl {command} -h' for help and examples\n"));
    };
    Ok((kind, name.clone(), positional[2..].to_vec()))
}

/// Whether the object at `key` is still the one with this uid: kubectl waits for an object by
/// uid, so one recreated under the same name (as a StatefulSet does at once) is another object.
pub fn still_there(c: &Cluster, key: &Key, uid: &str) -> bool {
    c.store.get(key).is_some_and(|o| crate::api::meta::uid(o) == uid)
}
