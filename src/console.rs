//! The console: one command line in, what kubectl (or a `sim` verb) prints out. The browser's
//! console pane and `stsim run` both go through [`Console::run`].
//!
//! A line is read by the shell subset of [`crate::shell`] (`;`, `&&`, `||`, for loops,
//! `$VAR`, `$(…)`); each command in it is `kubectl`, `sim`, `echo` or `help`.
//!
//! `sim` verbs (the design's contract) do what a real cluster does on its own:
//! `sim settle`, `sim advance DURATION`, `sim unready|ready POD`, `sim crash POD`,
//! `sim evict POD`, `sim image-missing IMAGE`, `sim node-down|node-up NODE`, `sim reset`.
//!
//! Two kinds of command keep running: `kubectl get --watch` and a shell in a container
//! (`kubectl exec -it POD -- sh`, `kubectl run -it …`). In the page ([`Console::set_streaming`])
//! a watch goes on beside the prompt, as in a second terminal, printing rows as simulated time
//! passes ([`Console::poll`]) until it is stopped ([`Console::interrupt`], or another watch);
//! in a script it prints until the cluster is at rest, and says so. A shell takes the lines
//! that follow, in the page and in a script, until `exit` (or [`Console::end_of_input`]).

use crate::api::resources::Kind;
use crate::clock;
use crate::kubectl::commands::{self, Ctx};
use crate::kubectl::session::{PodShell, Started};
use crate::kubectl::watch::Watch;
use crate::script::Executor;
use crate::shell;
use crate::store::Key;
use crate::world::Cluster;

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

/// The files a command reads: a URL of a shipped kubernetes.io example (see
/// [`crate::examples`]), or a path of the console's own [`FileSource`].
struct Files<'a> {
    examples: &'a std::collections::BTreeMap<String, String>,
    inner: &'a dyn FileSource,
}

impl FileSource for Files<'_> {
    fn read(&self, path: &str) -> Result<String, String> {
        if !crate::examples::is_url(path) {
            return self.inner.read(path);
        }
        let example = crate::examples::path_of(path)?;
        self.examples
            .get(example)
            .cloned()
            .or_else(|| crate::examples::bundled(example).map(str::to_string))
            .ok_or_else(|| format!("error: the example \"{path}\" could not be loaded (is the page offline?)"))
    }
}

/// A console attached to one simulated cluster.
pub struct Console {
    pub cluster: Cluster,
    files: Box<dyn FileSource>,
    /// The running watch (the page only).
    watch: Option<Watch>,
    /// The shell the learner is in.
    shell: Option<PodShell>,
    /// Whether watches stream (the page) or run until the cluster is at rest (scripts).
    streaming: bool,
    /// The here-document of the line being run, for its one command.
    stdin: Option<String>,
    /// Shipped examples the page fetched, by path (`application/web/web.yaml`).
    examples: std::collections::BTreeMap<String, String>,
    /// An object open in the page's editor (`kubectl edit`).
    edit: Option<crate::kubectl::session::EditSession>,
    /// The console shell's variables (`grace=$(kubectl get …)`), kept from line to line.
    vars: std::collections::BTreeMap<String, String>,
}

/// The help text of `sim`.
pub const SIM_HELP: &str = "sim verbs (things a real cluster does on its own):\n  sim settle                 let time pass until nothing is pending\n  sim advance DURATION       let DURATION pass (30s, 2m)\n  sim unready POD            the app behind POD starts failing its readiness probe\n  sim ready POD              ... and passes it again\n  sim crash POD              the container of POD exits (the kubelet restarts it)\n  sim evict POD              the kubelet evicts POD (phase Failed, reason Evicted)\n  sim image-missing IMAGE    the registry no longer has IMAGE\n  sim node-down NODE         the node's kubelet stops (power loss, network partition)\n  sim node-up NODE           ... and comes back\n  sim reset                  back to the empty default cluster\n";

impl Console {
    /// A console on a fresh default cluster that reads `kubectl apply -f PATH` files from `files`.
    pub fn new(files: Box<dyn FileSource>) -> Self {
        Console {
            cluster: Cluster::default(),
            files,
            watch: None,
            shell: None,
            streaming: false,
            stdin: None,
            examples: Default::default(),
            vars: Default::default(),
            edit: None,
        }
    }

    /// The object `kubectl edit` opened: what it is (`statefulsets.apps/web`) and the text.
    pub fn editing(&self) -> Option<(String, String)> {
        self.edit.as_ref().map(|e| {
            (
                format!("{}/{}", e.key.kind.plural_qualified(), e.key.name),
                e.text.clone(),
            )
        })
    }

    /// Save the edited text (see [`crate::kubectl::edit::finish_edit`]): what kubectl prints;
    /// the edit stays open, with the text to show, when it could not be saved.
    pub fn finish_edit(&mut self, text: &str) -> String {
        let Some(mut session) = self.edit.take() else {
            return String::new();
        };
        let outcome = crate::kubectl::edit::finish_edit(&mut self.cluster, &session, text);
        if let Some(reopen) = outcome.reopen {
            session.text = reopen;
            self.edit = Some(session);
        }
        outcome.output
    }

    /// Close the editor without saving (kubectl: the file saved unchanged).
    pub fn cancel_edit(&mut self) -> String {
        match self.edit.take() {
            Some(_) => "Edit cancelled, no changes made.\n".into(),
            None => String::new(),
        }
    }

    /// Give the console the text of a shipped example (the page fetched it).
    pub fn provide_example(&mut self, path: &str, text: String) {
        self.examples.insert(path.to_string(), text);
    }

    /// Whether the console has the text of a shipped example (fetched, or carried in).
    pub fn has_example(&self, path: &str) -> bool {
        self.examples.contains_key(path) || crate::examples::bundled(path).is_some()
    }

    /// Let watches stream as time passes (the page), instead of running until the cluster is
    /// at rest (scripts).
    pub fn set_streaming(&mut self, streaming: bool) {
        self.streaming = streaming;
    }

    /// What the prompt shows: `$ `, or the prompt of the shell the learner is in.
    pub fn prompt(&self) -> String {
        match &self.shell {
            Some(sh) => sh.prompt(&self.cluster),
            None => "$ ".into(),
        }
    }

    /// The pod whose shell the learner is in.
    pub fn shell_pod(&self) -> Option<&str> {
        self.shell.as_ref().map(PodShell::pod_name)
    }

    /// The command line of the running watch.
    pub fn watching(&self) -> Option<&str> {
        self.watch.as_ref().map(|w| w.command.as_str())
    }

    /// What the running watch prints for what happened since it last looked.
    pub fn poll(&mut self) -> String {
        match self.watch.as_mut() {
            Some(w) => w.poll(&self.cluster),
            None => String::new(),
        }
    }

    /// Ctrl+C: a watch stops (the terminal echoes `^C`); a shell ignores it, as an interactive
    /// shell ignores SIGINT, and prints a fresh prompt.
    pub fn interrupt(&mut self) -> String {
        if let Some(w) = self.watch.take() {
            let rest = w.clone().poll(&self.cluster);
            w.stop(&mut self.cluster);
            return rest + "^C\n";
        }
        if self.shell.is_some() {
            return "^C\n(an interactive shell stays open on Ctrl+C: type exit or press Ctrl+D to leave it)\n".into();
        }
        String::new()
    }

    /// Ctrl+D: the shell reads the end of its input and exits.
    pub fn end_of_input(&mut self) -> String {
        match self.shell.take() {
            Some(sh) => self.leave_shell(sh, 0),
            None => String::new(),
        }
    }

    /// Run one command line and return what it prints.
    pub fn run(&mut self, line: &str, stdin: Option<&str>) -> String {
        if let Some(sh) = self.shell.clone() {
            return self.shell_line(sh, line);
        }
        let list = match shell::parse(line) {
            Ok(list) => list,
            Err(e) => return format!("error: {e}\n"),
        };
        self.stdin = stdin.map(str::to_string);
        let out = match shell::simple_words(&list) {
            Some(words) => self.command(&words).0,
            None => {
                let mut env = shell::Env::new(std::mem::take(&mut self.vars));
                let out = shell::execute(&list, &mut env, self).0;
                self.vars = env.vars;
                out
            }
        };
        self.stdin = None;
        out
    }

    /// One command of a line: what it prints and its exit status.
    fn command(&mut self, words: &[String]) -> (String, i32) {
        let out = match words.first().map(String::as_str) {
            None => String::new(),
            Some("kubectl") | Some("k") => {
                let stdin = self.stdin.take();
                let files = Files {
                    examples: &self.examples,
                    inner: self.files.as_ref(),
                };
                let mut ctx = Ctx {
                    c: &mut self.cluster,
                    files: &files,
                    stdin: stdin.as_deref(),
                    started: None,
                    interactive: self.streaming,
                };
                let out = commands::run(&mut ctx, &words[1..]);
                match ctx.started.take() {
                    Some(Started::Watch(mut w)) => {
                        // The page labels a running watch with the line as the learner typed it.
                        w.command = words.join(" ");
                        out + &self.follow(w)
                    }
                    Some(Started::Shell(sh)) => {
                        self.shell = Some(sh);
                        out
                    }
                    Some(Started::Edit(e)) => {
                        self.edit = Some(e);
                        out
                    }
                    None => out,
                }
            }
            Some("sim") => self.sim(&words[1..]),
            Some("echo") => format!("{}\n", words[1..].join(" ")),
            // `sleep N` on the learner's machine: simulated time passes meanwhile.
            Some("sleep") => match clock::sleep_operands(&words[1..]) {
                Ok(ms) => {
                    self.cluster.advance(ms);
                    return (String::new(), 0);
                }
                Err(e) => return (e, 1),
            },
            Some("help") => format!("Type kubectl commands as on a real cluster (kubectl get pods, kubectl describe sts web, ...).\n{SIM_HELP}"),
            Some("exit") => "error: there is no shell to exit here: the console itself stays open\n".into(),
            Some(other) => format!("error: unknown command \"{other}\": the console runs kubectl and sim commands (type help)\n"),
        };
        let failed = out.starts_with("error:") || out.starts_with("Error from server") || out.starts_with("The ");
        (out, i32::from(failed))
    }

    /// A watch that started: in the page it goes on; in a script it prints until the cluster
    /// is at rest.
    fn follow(&mut self, w: Watch) -> String {
        if self.streaming {
            if let Some(old) = self.watch.replace(w) {
                old.stop(&mut self.cluster);
            }
            return String::new();
        }
        let mut w = w;
        let settled = self.cluster.settle();
        let mut out = w.poll(&self.cluster);
        w.stop(&mut self.cluster);
        out.push_str(match settled {
            Ok(_) => "(the watch stops here: the cluster is at rest; in a terminal it would wait for more changes until Ctrl+C)\n",
            Err(_) => "(the watch stops here: the cluster did not come to rest within the simulator's limit; in a terminal it would go on until Ctrl+C)\n",
        });
        out
    }

    /// A line typed in a container's shell.
    fn shell_line(&mut self, sh: PodShell, line: &str) -> String {
        if !sh.alive(&self.cluster) {
            self.shell = None;
            return format!(
                "(the container of {} is not running any more: the shell is gone)\n",
                sh.pod_name()
            );
        }
        let list = match shell::parse(line) {
            Ok(list) => list,
            Err(e) => return format!("sh: {e}\n"),
        };
        let Some(pod) = self.cluster.store.get(&sh.pod).cloned() else {
            self.shell = None;
            return String::new();
        };
        let mut env = crate::kubectl::exec::PodRunner::env(&pod);
        let mut runner = crate::kubectl::exec::PodRunner::new(&mut self.cluster, pod);
        let (out, _) = shell::execute(&list, &mut env, &mut runner);
        match runner.exited() {
            Some(code) => {
                self.shell = None;
                out + &self.leave_shell(sh, code)
            }
            None => out,
        }
    }

    /// The shell ended with `code`. A `kubectl run` shell was the container's main process, so
    /// the container ends with it (kubelet: the restartPolicy decides what follows); `--rm`
    /// then deletes the pod (run.go `removeCreatedObjects`).
    fn leave_shell(&mut self, sh: PodShell, code: i32) -> String {
        let mut out = String::new();
        if !sh.main_process && code != 0 {
            out.push_str(&format!("{} {code}\n", crate::kubectl::exec::TERMINATED));
        }
        if sh.main_process {
            let _ = self.cluster.container_exited(&sh.pod, i64::from(code));
            self.cluster.settle_instant();
            let policy = self
                .cluster
                .store
                .get(&sh.pod)
                .map(|p| p.str_at("spec.restartPolicy").to_string())
                .unwrap_or_default();
            if policy == "Always" && !sh.remove {
                out.push_str(&format!(
                    "Session ended, resume using 'kubectl attach {} -c {} -i -t' command when the pod is running\n",
                    sh.pod_name(),
                    sh.container
                ));
            }
            if sh.remove {
                out.push_str(&self.run(&format!("kubectl delete pod {} --wait=false", sh.pod_name()), None));
            }
        }
        out
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
                c.set_unready(pod, unready);
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
                match c.crash(&key) {
                    Ok(()) => {
                        c.settle_instant();
                        format!("the container of {pod} exited with code 1\n")
                    }
                    Err(e) => e + "\n",
                }
            }
            (Some("evict"), Some(pod)) => {
                let key = Key::new(Kind::Pod, "default", pod);
                match c.evict(&key) {
                    Ok(()) => {
                        c.settle_instant();
                        format!("the kubelet evicted {pod} (node pressure)\n")
                    }
                    Err(e) => e + "\n",
                }
            }
            (Some("image-missing"), Some(image)) => {
                c.remove_image(image);
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
                if !c.set_node_down(node, down) {
                    return format!("the kubelet of {node} is already {}\n", if down { "stopped" } else { "running" });
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

    fn prompt(&self) -> String {
        Console::prompt(self)
    }
}

impl shell::Runner for Console {
    fn run(&mut self, argv: &[String]) -> (String, i32) {
        self.command(argv)
    }

    fn redirect(&mut self, file: &str, _: &str, _: bool) -> Result<(), String> {
        Err(format!(
            "error: the console has no file system, so it cannot write \"{file}\": read the output here, or write files inside a pod (kubectl exec POD -- sh -c 'echo TEXT > FILE')\n"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Console {
        let mut console = Console::new(Box::new(NoFiles));
        console.set_streaming(true);
        console.run("kubectl apply -f -", Some(include_str!("../tests/scenarios/web.yaml")));
        console.cluster.settle().ok();
        console
    }

    #[test]
    fn kubectl_edit_opens_saves_and_reopens_on_errors() {
        let mut console = page();
        assert_eq!(console.run("kubectl edit sts web", None), "");
        let (title, text) = console.editing().expect("an edit is open");
        assert_eq!(title, "statefulsets.apps/web");
        assert!(text.starts_with("# Please edit the object below."));
        assert_eq!(console.finish_edit(&text), "Edit cancelled, no changes made.\n");
        console.run("kubectl edit sts web", None);
        let (_, text) = console.editing().unwrap();
        let bigger = text.replace("replicas: 2", "replicas: 3");
        assert_eq!(console.finish_edit(&bigger), "statefulset.apps/web edited\n");
        assert!(console.editing().is_none());
        console.run("kubectl edit sts web", None);
        let (_, text) = console.editing().unwrap();
        let bad = text.replace("replicas: 3", "replicas: -1");
        assert_eq!(
            console.finish_edit(&bad),
            "error: statefulsets.apps \"web\" is invalid\n"
        );
        let (_, reopened) = console.editing().expect("reopened");
        assert!(
            reopened.starts_with("# statefulsets.apps \"web\" was not valid:\n# * spec.replicas: Invalid value: -1")
        );
        assert_eq!(console.cancel_edit(), "Edit cancelled, no changes made.\n");
        // A script has no editor.
        let mut script = Console::new(Box::new(NoFiles));
        assert!(script.run("kubectl edit sts web", None).contains("no editor"));
    }

    #[test]
    fn a_watch_streams_in_the_page_until_interrupted() {
        let mut console = page();
        assert!(console.run("kubectl get pods -w", None).starts_with("NAME"));
        assert_eq!(console.watching(), Some("kubectl get pods -w"));
        console.run("kubectl delete pod web-1 --wait=false", None);
        console.cluster.advance(30_000);
        let rows = console.poll();
        assert!(rows.contains("web-1") && rows.contains("Terminating"), "{rows}");
        assert_eq!(console.interrupt(), "^C\n");
        assert!(console.watching().is_none());
    }
}
