//! The console: one command line in, what kubectl (or a `sim` verb) prints out. The browser's
//! console pane and `stsim run` both go through [`Console::run`].
//!
//! `sim` verbs (the design's contract) do what a real cluster does on its own:
//! `sim settle`, `sim advance DURATION`, `sim unready|ready POD`, `sim crash POD`,
//! `sim evict POD`, `sim image-missing IMAGE`, `sim reset`. Node failures come with issue 4.

use crate::api::resources::Kind;
use crate::clock;
use crate::cluster::Cluster;
use crate::controllers::kubelet;
use crate::kubectl::args;
use crate::kubectl::commands::{self, Ctx};
use crate::script::Executor;
use crate::store::Key;

/// Reads the files that `kubectl apply -f PATH` names. The browser has no files; the script runner
/// reads them relative to the script.
pub trait FileSource {
    /// The text of the file at `path`, or an error in kubectl's words.
    fn read(&self, path: &str) -> Result<String, String>;
}

/// Files relative to a folder on disk (the native script runner).
pub struct DiskFiles(pub std::path::PathBuf);

impl FileSource for DiskFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        let full = self.0.join(path);
        std::fs::read(&full)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .map_err(|_| format!("error: the path \"{path}\" does not exist"))
    }
}

/// No file system (the browser): `apply -f PATH` explains how to apply instead.
pub struct NoFiles;

impl FileSource for NoFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        Err(format!(
            "error: the playground has no file system, so \"{path}\" cannot be read: put the manifest in the editor and press Apply, or use `kubectl apply -f - <<EOF`"
        ))
    }
}

/// A console attached to one simulated cluster.
pub struct Console {
    pub cluster: Cluster,
    files: Box<dyn FileSource>,
}

/// The help text of `sim`.
pub const SIM_HELP: &str = "sim verbs (things a real cluster does on its own):\n  sim settle                 let time pass until nothing is pending\n  sim advance DURATION       let DURATION pass (30s, 2m)\n  sim unready POD            the app behind POD starts failing its readiness probe\n  sim ready POD              ... and passes it again\n  sim crash POD              the container of POD exits (the kubelet restarts it)\n  sim evict POD              the kubelet evicts POD (phase Failed, reason Evicted)\n  sim image-missing IMAGE    the registry no longer has IMAGE\n  sim node-down NODE         the node's kubelet stops (power loss, network partition)\n  sim node-up NODE           ... and comes back\n  sim reset                  back to the empty default cluster\n";

impl Console {
    /// A console on a fresh default cluster that reads `kubectl apply -f PATH` files from `files`.
    pub fn new(files: Box<dyn FileSource>) -> Self {
        Console {
            cluster: Cluster::default(),
            files,
        }
    }

    /// Run one command line and return what it prints.
    pub fn run(&mut self, line: &str, stdin: Option<&str>) -> String {
        let words = match args::split_words(line) {
            Ok(w) => w,
            Err(e) => return e + "\n",
        };
        // The words keep quoted text whole, so a bare `|`, `>` or `&&` word is shell syntax.
        if let Some(op) = words
            .iter()
            .find(|w| matches!(w.as_str(), "|" | "||" | "&&" | ">" | ">>" | ";"))
        {
            return format!("error: the console runs one command at a time, without a shell: \"{op}\" is not available. Use kubectl's own filters instead (-l app=nginx, --field-selector, -o jsonpath='{{...}}', kubectl events --for pod/NAME).\n");
        }
        match words.first().map(String::as_str) {
            None => String::new(),
            Some("kubectl") | Some("k") => {
                let mut ctx = Ctx { c: &mut self.cluster, files: self.files.as_ref(), stdin };
                commands::run(&mut ctx, &words[1..])
            }
            Some("sim") => self.sim(&words[1..]),
            Some("help") => format!("Type kubectl commands as on a real cluster (kubectl get pods, kubectl describe sts web, ...).\n{SIM_HELP}"),
            Some(other) => format!("error: unknown command \"{other}\": the console runs kubectl and sim commands (type help)\n"),
        }
    }

    /// Apply a manifest as the editor's Apply button does (`kubectl apply -f -`).
    pub fn apply_manifest(&mut self, text: &str) -> String {
        self.run("kubectl apply -f -", Some(text))
    }

    fn sim(&mut self, words: &[String]) -> String {
        let c = &mut self.cluster;
        let arg = words.get(1).map(String::as_str);
        match (words.first().map(String::as_str), arg) {
            (Some("settle"), None) => match c.settle() {
                Ok(t) => format!("settled after {} of simulated time\n", clock::human_duration(t)),
                Err(t) => format!("stopped after {} of simulated time: controllers still have work (a crash loop or a probe that keeps failing never settles)\n", clock::human_duration(t)),
            },
            (Some("advance"), Some(d)) => match clock::parse_duration(d) {
                Some(ms) if ms <= 24 * 3_600_000 => {
                    c.advance(ms);
                    format!("advanced {}; simulated time is now {}\n", clock::human_duration(ms), clock::human_duration(c.now))
                }
                Some(_) => "error: sim advance takes at most 24h at a time\n".into(),
                None => format!("error: invalid duration \"{d}\": use a number with a unit, such as 30s, 2m or 1h\n"),
            },
            (Some(verb @ ("unready" | "ready")), Some(pod)) => {
                let unready = verb == "unready";
                if unready {
                    c.faults.unready.insert(pod.to_string());
                } else {
                    c.faults.unready.remove(pod);
                }
                c.settle_instant();
                let probed = c
                    .get(Kind::Pod, "default", pod)
                    .map(|p| crate::api::pod::containers(p).iter().any(|ct| ct.get("readinessProbe").is_some()));
                let note = match probed {
                    None => " (no such pod yet: it will start that way)",
                    Some(true) => "",
                    // prober_manager.go UpdatePodStatus: no readinessProbe -> always ready.
                    Some(false) if unready => "; but no container of this pod has a readiness probe, and a running container without one counts as Ready, so nothing changes: add a readinessProbe to the pod template to see a failing app held back",
                    Some(false) => "",
                };
                format!("the app in {pod} now {} its readiness probe{note}\n", if unready { "fails" } else { "passes" })
            }
            (Some("crash"), Some(pod)) => {
                let key = Key::new(Kind::Pod, "default", pod);
                match kubelet::crash(c, &key) {
                    Ok(()) => {
                        c.settle_instant();
                        format!("the container of {pod} exited with code 1\n")
                    }
                    Err(e) => e + "\n",
                }
            }
            (Some("evict"), Some(pod)) => {
                let key = Key::new(Kind::Pod, "default", pod);
                match kubelet::evict(c, &key) {
                    Ok(()) => {
                        c.settle_instant();
                        format!("the kubelet evicted {pod} (node pressure)\n")
                    }
                    Err(e) => e + "\n",
                }
            }
            (Some("image-missing"), Some(image)) => {
                c.faults.missing_images.insert(image.to_string());
                format!("the registry no longer has {image}\n")
            }
            (Some("reset"), None) => {
                *c = Cluster::default();
                "the cluster is back to its default, empty state\n".into()
            }
            (Some(verb @ ("node-down" | "node-up")), Some(node)) => {
                if c.get(Kind::Node, "", node).is_none() {
                    return format!("Error from server (NotFound): nodes \"{node}\" not found\n");
                }
                let down = verb == "node-down";
                let was_down = c.down_nodes.contains_key(node);
                if down == was_down {
                    return format!("the kubelet of {node} is already {}\n", if down { "stopped" } else { "running" });
                }
                if down {
                    c.down_nodes.insert(node.to_string(), c.now);
                    c.pass_memo.clear();
                } else {
                    c.down_nodes.remove(node);
                    c.pass_memo.clear();
                    // The kubelet restarts and looks at every pod of its node again.
                    c.kubelet_seen.clear();
                }
                c.settle_instant();
                if down {
                    format!("the kubelet of {node} stopped (the node is unreachable); the node controller notices after {}\n", clock::human_duration(crate::timing::NODE_MONITOR_GRACE))
                } else {
                    format!("the kubelet of {node} is back and posts its status\n")
                }
            }
            (Some(v), _) if ["settle", "advance", "unready", "ready", "crash", "evict", "image-missing", "node-down", "node-up", "reset"].contains(&v) => {
                format!("error: wrong arguments for sim {v}\n{SIM_HELP}")
            }
            (Some(v), _) => format!("error: unknown sim verb \"{v}\"\n{SIM_HELP}"),
            (None, _) => SIM_HELP.to_string(),
        }
    }
}

impl Executor for Console {
    fn execute(&mut self, command: &str, stdin: Option<&str>) -> String {
        self.run(command, stdin)
    }
}
