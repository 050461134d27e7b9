//! `kubectl exec POD -- COMMAND` answered as the container would (kubernetes-semantics.md §1.2, §9): the
//! commands learners use to see identity, DNS and storage: `hostname`, `hostname -f`,
//! `nslookup [-type=SRV] NAME` (busybox's output), `cat FILE`, `ls DIR`, `echo TEXT`, and
//! `sh -c '…'` with `echo TEXT > FILE` / `>> FILE`. Files under a volume's mountPath live on
//! that volume and outlive the pod; files elsewhere live in the container and are lost when it
//! restarts. Also `kubectl logs`, which the simulated apps answer with their start-up lines.

use crate::api::meta;
use crate::api::pod;
use crate::api::resources::Kind;
use crate::kubectl::args::Parsed;
use crate::kubectl::commands::{self, Ctx};
use crate::kubectl::session::{PodShell, Started};
use crate::shell;
use crate::value::Value;
use crate::world::{Cluster, ContainerStage};

/// How kubectl reports a command that exited non-zero (client-go remotecommand `CodeExitError`).
pub const TERMINATED: &str = "command terminated with exit code";
/// How the playground names a program it does not run.
const NOT_RUN: &str = "(the playground does not run \"";

fn find_pod(c: &Cluster, ns: &str, target: &str) -> Result<Value, String> {
    let name = target.trim_start_matches("pod/").trim_start_matches("pods/");
    c.get(Kind::Pod, ns, name)
        .cloned()
        .ok_or_else(|| format!("Error from server (NotFound): pods \"{name}\" not found\n"))
}

/// Check the pod can run a command now; returns the container name and what kubectl says on
/// stderr about defaulting it.
fn runnable(c: &Cluster, p: &Value, container: Option<&str>) -> Result<(String, String), String> {
    let phase = pod::phase(p);
    if phase == "Succeeded" || phase == "Failed" {
        return Err(format!(
            "error: cannot exec into a container in a completed pod; current phase is {phase}\n"
        ));
    }
    if p.str_at("spec.nodeName").is_empty() {
        return Err(format!(
            "Error from server (BadRequest): pod {} does not have a host assigned\n",
            meta::name(p)
        ));
    }
    let names: Vec<String> = pod::containers(p)
        .iter()
        .map(|ct| ct.str_at("name").to_string())
        .collect();
    let (name, notice) = match container {
        Some(want) => {
            if !names.iter().any(|n| n == want) {
                return Err(format!("error: container {want} not found in pod {}\n", meta::name(p)));
            }
            (want.to_string(), String::new())
        }
        None => default_container(p, false),
    };
    let running = c
        .runtime
        .get(meta::uid(p))
        .is_some_and(|r| matches!(r.stage, ContainerStage::Running { .. }));
    if !running {
        return Err(format!(
            "error: Internal error occurred: unable to upgrade connection: container not found (\"{name}\")\n"
        ));
    }
    Ok((name, notice))
}

pub fn exec(ctx: &mut Ctx, p: &Parsed) -> String {
    let Some(target) = p.positional.first() else {
        return "error: pod, type/name or --filename must be specified\n".into();
    };
    let command: Vec<String> = if p.after_dashdash.is_empty() {
        p.positional[1..].to_vec()
    } else {
        p.after_dashdash.clone()
    };
    if command.is_empty() {
        return "error: you must specify at least one command for the container\n".into();
    }
    let ns = commands::namespace(p);
    let pod = match find_pod(ctx.c, &ns, target) {
        Ok(p) => p,
        Err(e) => return e,
    };
    let prefix = match runnable(ctx.c, &pod, p.get("container")) {
        Ok(_) if p.bool("quiet") => String::new(),
        Ok((_, notice)) => notice,
        Err(e) => return e,
    };
    if p.after_dashdash.is_empty() {
        // Refused while kubectl completes its options, before it picks a container.
        return "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n".into();
    }
    // `-i` with a shell: the learner types into it until `exit` (the console carries it on).
    // Without -i the shell reads no input and exits at once, printing nothing.
    if let Some(program) = shell_program(&command) {
        if p.bool("stdin") {
            let container = p
                .get("container")
                .map_or_else(|| default_container(&pod, false).0, str::to_string);
            ctx.started = Some(Started::Shell(PodShell {
                pod: crate::store::Key::of(Kind::Pod, &pod),
                uid: meta::uid(&pod).to_string(),
                container,
                remove: false,
                main_process: false,
                program,
            }));
            return prefix;
        }
    }
    let (out, code) = run_in_pod(ctx.c, &pod, &command);
    let mut text = prefix + &out;
    // A program the playground does not run was named as such: no exit status to report.
    if code != 0 && !out.starts_with(NOT_RUN) {
        text.push_str(&format!("{TERMINATED} {code}\n"));
    }
    text
}

/// Where a path lives: a volume (its PV name) or the container.
fn storage_for(c: &Cluster, p: &Value, path: &str) -> (Option<String>, String) {
    let ct = pod::containers(p).first().cloned().unwrap_or_default();
    let mounts = ct.get("volumeMounts").map(Value::as_list).unwrap_or(&[]);
    let best = mounts
        .iter()
        .filter(|m| {
            let mp = m.str_at("mountPath").trim_end_matches('/');
            path == mp || path.starts_with(&format!("{mp}/"))
        })
        .max_by_key(|m| m.str_at("mountPath").len());
    if let Some(m) = best {
        let vol = m.str_at("name");
        let claim = p
            .at("spec.volumes")
            .map(Value::as_list)
            .unwrap_or(&[])
            .iter()
            .find(|v| v.str_at("name") == vol)
            .and_then(|v| v.at("persistentVolumeClaim.claimName"))
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Some(claim) = claim {
            if let Some(pv) = c
                .get(Kind::PersistentVolumeClaim, meta::namespace(p), &claim)
                .map(|cl| cl.str_at("spec.volumeName").to_string())
            {
                let rel = path[m.str_at("mountPath").trim_end_matches('/').len()..].to_string();
                return (Some(pv), if rel.is_empty() { "/".into() } else { rel });
            }
        }
    }
    (None, path.to_string())
}

fn read_file(c: &Cluster, p: &Value, path: &str) -> Option<String> {
    match storage_for(c, p, path) {
        (Some(pv), rel) => c.volume_files.get(&crate::world::volume_file_key(&pv, &rel)).cloned(),
        (None, full) => {
            if full == "/etc/hostname" {
                return Some(format!("{}\n", hostname(p)));
            }
            if full == "/etc/hosts" {
                return Some(etc_hosts(p));
            }
            c.runtime
                .get(meta::uid(p))
                .and_then(|r| r.container_files.get(&full))
                .cloned()
        }
    }
}

fn write_file(c: &mut Cluster, p: &Value, path: &str, text: &str, append: bool) {
    match storage_for(c, p, path) {
        (Some(pv), rel) => {
            let slot = c
                .volume_files
                .entry(crate::world::volume_file_key(&pv, &rel))
                .or_default();
            if !append {
                slot.clear();
            }
            slot.push_str(text);
        }
        (None, full) => {
            if let Some(r) = c.runtime.get_mut(meta::uid(p)) {
                let slot = r.container_files.entry(full).or_default();
                if !append {
                    slot.clear();
                }
                slot.push_str(text);
            }
        }
    }
}

fn hostname(p: &Value) -> String {
    let h = p.str_at("spec.hostname");
    if h.is_empty() {
        meta::name(p).to_string()
    } else {
        h.to_string()
    }
}

/// The FQDN the kubelet writes to /etc/hosts when `subdomain` is set (kubernetes-semantics.md §1.2).
fn fqdn(p: &Value) -> String {
    let sub = p.str_at("spec.subdomain");
    if sub.is_empty() {
        hostname(p)
    } else {
        format!(
            "{}.{sub}.{}.svc.{}",
            hostname(p),
            meta::namespace(p),
            crate::dns::CLUSTER_DOMAIN
        )
    }
}

fn etc_hosts(p: &Value) -> String {
    let ip = p.str_at("status.podIP");
    let names = if p.str_at("spec.subdomain").is_empty() {
        hostname(p)
    } else {
        format!("{}\t{}", fqdn(p), hostname(p))
    };
    format!("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n{ip}\t{names}\n")
}

/// Run a command line in a pod: (output, exit code).
pub fn run_in_pod(c: &mut Cluster, p: &Value, argv: &[String]) -> (String, i32) {
    let Some(program) = argv.first() else {
        return (String::new(), 0);
    };
    let args = &argv[1..];
    match program.as_str() {
        "sh" | "bash" | "/bin/sh" | "/bin/bash" => {
            if args.first().map(String::as_str) == Some("-c") {
                let script = args.get(1).cloned().unwrap_or_default();
                return run_script(c, p, &script);
            }
            (String::new(), 0)
        }
        "hostname" => match args.first().map(String::as_str) {
            None => (format!("{}\n", hostname(p)), 0),
            Some("-f") | Some("--fqdn") => (format!("{}\n", fqdn(p)), 0),
            Some("-i") => (format!("{}\n", p.str_at("status.podIP")), 0),
            Some(other) => (format!("hostname: invalid option -- '{}'\n", other.trim_start_matches('-')), 1),
        },
        "nslookup" => {
            let srv = args.iter().any(|a| a.eq_ignore_ascii_case("-type=srv") || a.eq_ignore_ascii_case("-q=srv"));
            let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
                return ("BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n".into(), 1);
            };
            let old = pod::containers(p).iter().any(|ct| crate::dns::old_busybox(ct.str_at("image")));
            let (text, ok) = if old && !srv {
                crate::dns::nslookup_busybox_128(c, meta::namespace(p), name)
            } else {
                crate::dns::nslookup(c, meta::namespace(p), name, srv)
            };
            (text, if ok { 0 } else { 1 })
        }
        "cat" => {
            let mut out = String::new();
            let mut code = 0;
            for path in args {
                match read_file(c, p, path) {
                    Some(t) => out.push_str(&t),
                    None => {
                        out.push_str(&format!("cat: {path}: No such file or directory\n"));
                        code = 1;
                    }
                }
            }
            (out, code)
        }
        "ls" => {
            let dir = args.iter().find(|a| !a.starts_with('-')).cloned().unwrap_or_else(|| "/".into());
            let (vol, rel) = storage_for(c, p, &dir);
            let names: Vec<String> = match &vol {
                Some(pv) => {
                    let prefix = crate::world::volume_file_key(pv, "");
                    let on_volume = c.volume_files.range(prefix.clone()..).map(|(k, _)| k.as_str());
                    let mut names = list_dir(on_volume.map_while(|k| k.strip_prefix(prefix.as_str())), &rel);
                    // mkfs.ext4 makes lost+found at the root of the file system.
                    let ext4 = c.get(Kind::PersistentVolume, "", pv).is_some_and(crate::images::is_ext4);
                    if ext4 && rel == "/" {
                        names.push("lost+found".into());
                        crate::sort::natural(&mut names);
                    }
                    names
                }
                None => c
                    .runtime
                    .get(meta::uid(p))
                    .map(|r| list_dir(r.container_files.keys().map(String::as_str), &rel))
                    .unwrap_or_default(),
            };
            if names.is_empty() && vol.is_none() {
                return (
                    "(the playground does not model the files of the image: ls shows what the pod's volumes hold and what was written in this container)\n".into(),
                    0,
                );
            }
            let mut out = names.join("\n");
            if !out.is_empty() {
                out.push('\n');
            }
            (out, 0)
        }
        "echo" => (format!("{}\n", args.join(" ")), 0),
        "sleep" => match crate::clock::sleep_operands(args) {
            Ok(ms) => {
                c.advance(ms);
                (String::new(), 0)
            }
            Err(e) => (e, 1),
        },
        "date" => (format!("{}\n", crate::clock::rfc3339(c.now)), 0),
        "env" | "printenv" => (format!("HOSTNAME={}\nKUBERNETES_SERVICE_HOST=10.96.0.1\nKUBERNETES_SERVICE_PORT=443\n", hostname(p)), 0),
        "curl" => curl(c, p, args),
        "exit" => (String::new(), 0),
        other => (
            format!(
                "(the playground does not run \"{other}\": it simulates the cluster, not the programs in the images. In a container it answers hostname, nslookup, cat, ls, echo, env, date, sleep, curl and sh -c)\n"
            ),
            127,
        ),
    }
}

/// `curl URL` from inside a pod: HTTP to a pod running nginx (the tutorial's web server),
/// found by `localhost`, a DNS name or an IP; nginx serves `/usr/share/nginx/html` as its
/// image configures it: the file, `index.html` for a directory, `403 Forbidden` for a
/// directory without one (a claim mounted over the docroot starts empty), `404 Not Found`
/// otherwise. The error pages are nginx's built-in ones; the version line is left out, as the
/// image's exact nginx build is not modelled.
fn curl(c: &Cluster, p: &Value, args: &[String]) -> (String, i32) {
    let Some(url) = args.iter().find(|a| !a.starts_with('-')) else {
        return (
            "curl: try 'curl --help' or 'curl --manual' for more information\n".into(),
            2,
        );
    };
    let rest = url.strip_prefix("http://").unwrap_or(url);
    if url.starts_with("https://") {
        return ("curl: (7) the playground's pods serve plain HTTP only\n".into(), 7);
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, port)) => (h, port.parse::<u16>().unwrap_or(0)),
        None => (authority, 80),
    };
    let target = if host == "localhost" || host == "127.0.0.1" {
        Some(p.clone())
    } else {
        crate::dns::resolve_pod(c, meta::namespace(p), host)
    };
    let refused = || {
        (
            format!("curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server\n"),
            7,
        )
    };
    let Some(target) = target else {
        if host.parse::<std::net::Ipv4Addr>().is_ok() {
            return refused();
        }
        return (format!("curl: (6) Could not resolve host: {host}\n"), 6);
    };
    let serves_nginx = pod::containers(&target)
        .iter()
        .any(|ct| ct.str_at("image").contains("nginx"));
    if !serves_nginx || port != 80 {
        return refused();
    }
    let docroot = "/usr/share/nginx/html";
    let file = if path.ends_with('/') {
        format!("{docroot}{path}index.html")
    } else {
        format!("{docroot}{path}")
    };
    if let Some(text) = read_file(c, &target, &file) {
        return (text, 0);
    }
    // The image's own docroot has nginx's welcome page, unless a volume is mounted over it.
    let mounted = storage_for(c, &target, docroot).0.is_some();
    if !mounted && path == "/" {
        return (NGINX_WELCOME.to_string(), 0);
    }
    let (code, reason) = if path.ends_with('/') {
        (403, "Forbidden")
    } else {
        (404, "Not Found")
    };
    (
        format!("<html>\n<head><title>{code} {reason}</title></head>\n<body>\n<center><h1>{code} {reason}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"),
        0,
    )
}

/// nginx's default `index.html`, as its packages install it.
const NGINX_WELCOME: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n";

fn list_dir<'a>(files: impl Iterator<Item = &'a str>, dir: &str) -> Vec<String> {
    let prefix = if dir.ends_with('/') {
        dir.to_string()
    } else {
        format!("{dir}/")
    };
    let mut names: Vec<String> = files
        .filter_map(|f| {
            f.strip_prefix(&prefix)
                .map(|rest| rest.split('/').next().unwrap_or("").to_string())
        })
        .filter(|n| !n.is_empty())
        .collect();
    crate::sort::natural(&mut names);
    names.dedup();
    names
}

/// The shell a command line starts, when it is one with no script (`sh`, `/bin/bash`).
pub fn shell_program(argv: &[String]) -> Option<String> {
    let [program] = argv else { return None };
    let name = program.rsplit('/').next().unwrap_or(program);
    matches!(name, "sh" | "bash" | "ash").then(|| name.to_string())
}

/// Runs the commands of a shell in a container: the programs [`run_in_pod`] answers, `exit`,
/// and redirections to the container's or a volume's files.
pub struct PodRunner<'a> {
    c: &'a mut Cluster,
    pod: Value,
    exited: Option<i32>,
    last: i32,
}

impl<'a> PodRunner<'a> {
    pub fn new(c: &'a mut Cluster, pod: Value) -> Self {
        PodRunner {
            c,
            pod,
            exited: None,
            last: 0,
        }
    }

    /// The status `exit` ended the shell with, if it did.
    pub fn exited(&self) -> Option<i32> {
        self.exited
    }

    /// The environment a container's shell starts with (the runtime sets HOSTNAME; the
    /// kubelet adds the service variables of the API server).
    pub fn env(pod: &Value) -> shell::Env {
        let mut vars = std::collections::BTreeMap::new();
        vars.insert("HOSTNAME".to_string(), hostname(pod));
        vars.insert("HOME".to_string(), "/root".to_string());
        vars.insert(
            "PATH".to_string(),
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
        );
        vars.insert("KUBERNETES_SERVICE_HOST".to_string(), "10.96.0.1".to_string());
        vars.insert("KUBERNETES_SERVICE_PORT".to_string(), "443".to_string());
        shell::Env::new(vars)
    }
}

impl shell::Runner for PodRunner<'_> {
    fn run(&mut self, argv: &[String]) -> (String, i32) {
        if argv.first().map(String::as_str) == Some("exit") {
            let code = argv.get(1).and_then(|c| c.parse::<i32>().ok()).unwrap_or(self.last);
            self.exited = Some(code);
            return (String::new(), code);
        }
        let (out, code) = run_in_pod(self.c, &self.pod, argv);
        self.last = code;
        (out, code)
    }

    fn redirect(&mut self, file: &str, text: &str, append: bool) -> Result<(), String> {
        write_file(self.c, &self.pod, file, text, append);
        Ok(())
    }

    fn stopped(&self) -> bool {
        self.exited.is_some()
    }
}

/// `sh -c SCRIPT` in the container.
fn run_script(c: &mut Cluster, p: &Value, script: &str) -> (String, i32) {
    let list = match shell::parse(script) {
        Ok(list) => list,
        Err(e) => return (format!("sh: {e}\n"), 2),
    };
    let mut env = PodRunner::env(p);
    let mut runner = PodRunner::new(c, p.clone());
    let (out, code) = shell::execute(&list, &mut env, &mut runner);
    (out, runner.exited().unwrap_or(code))
}

/// The container kubectl picks when `-c` is not given, and what it says on stderr about it
/// (kubectl/pkg/cmd/util/podcmd `FindOrDefaultContainerByName`; for logs,
/// polymorphichelpers `logsForObject`): the `kubectl.kubernetes.io/default-container`
/// annotation when it names a container, else the first, with `Defaulted container "a" out of:
/// a, b, c (init)` when there is more than one.
fn default_container(p: &Value, for_logs: bool) -> (String, String) {
    let names: Vec<&str> = pod::containers(p).iter().map(|ct| ct.str_at("name")).collect();
    let mut notice = String::new();
    if let Some(wanted) = meta::annotation(p, "kubectl.kubernetes.io/default-container").filter(|a| !a.is_empty()) {
        if names.contains(&wanted) {
            return (wanted.to_string(), notice);
        }
        if for_logs {
            notice.push_str(&format!(
                "Default container name \"{wanted}\" not found in pod {}\n",
                meta::name(p)
            ));
        }
    }
    let first = names.first().copied().unwrap_or_default().to_string();
    let init: Vec<&str> = p
        .at("spec.initContainers")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .map(|ct| ct.str_at("name"))
        .collect();
    if names.len() > 1 || !init.is_empty() {
        let all: Vec<String> = names
            .iter()
            .map(|n| n.to_string())
            .chain(init.iter().map(|n| format!("{n} (init)")))
            .collect();
        notice.push_str(&format!("Defaulted container \"{first}\" out of: {}\n", all.join(", ")));
    }
    (first, notice)
}

/// `kubectl logs POD [-c CONTAINER] [-p]`. The simulated apps print no log lines, but whether
/// there is a log to print follows the kubelet (`validateContainerLogStatus`,
/// pkg/kubelet/kubelet_pods.go): a running or terminated container has one, a waiting one says
/// what it waits for, `-p` needs a previous terminated run. The API server checks the container
/// name (`ValidateContainer`, pkg/registry/core/pod/strategy.go) and, for a pod not yet on a
/// node, returns an empty log.
pub fn logs(ctx: &mut Ctx, p: &Parsed) -> String {
    let Some(target) = p.positional.first() else {
        return "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n".into();
    };
    if p.bool("follow") {
        return "error: the playground does not stream logs with -f: run kubectl logs again after time has passed\n"
            .into();
    }
    let ns = commands::namespace(p);
    let pod = match find_pod(ctx.c, &ns, target) {
        Ok(p) => p,
        Err(e) => return e,
    };
    let pod_name = meta::name(&pod);
    let (container, mut out) = match p.get("container") {
        Some(c) => (c.to_string(), String::new()),
        None => default_container(&pod, true),
    };
    let valid = pod::containers(&pod)
        .iter()
        .chain(pod.at("spec.initContainers").map(Value::as_list).unwrap_or(&[]))
        .any(|ct| ct.str_at("name") == container);
    if !valid {
        return format!("Error from server (BadRequest): container {container} is not valid for pod {pod_name}\n");
    }
    if pod.str_at("spec.nodeName").is_empty() {
        return out; // no node yet: the API server streams nothing
    }
    let bad = |message: String| format!("Error from server (BadRequest): {message}\n");
    let statuses = ["status.containerStatuses", "status.initContainerStatuses"];
    let Some(status) = statuses
        .iter()
        .flat_map(|path| pod.at(path).map(Value::as_list).unwrap_or(&[]))
        .find(|s| s.str_at("name") == container)
    else {
        return out
            + &bad(format!(
                "container \"{container}\" in pod \"{pod_name}\" is not available"
            ));
    };
    let has = |path: &str| status.at(path).is_some();
    let logged = if p.bool("previous") {
        if !has("lastState.terminated") {
            return out
                + &bad(format!(
                    "previous terminated container \"{container}\" in pod \"{pod_name}\" not found"
                ));
        }
        true
    } else {
        has("state.running") || has("state.terminated") || has("lastState.terminated")
    };
    if !logged {
        let message = match status.at("state.waiting").map(|w| w.str_at("reason")) {
            Some("ErrImagePull") => "is waiting to start: image can't be pulled".to_string(),
            Some("ImagePullBackOff") => "is waiting to start: trying and failing to pull image".to_string(),
            Some(reason) => format!("is waiting to start: {reason}"),
            None => "is waiting to start - no logs yet".to_string(),
        };
        return out + &bad(format!("container \"{container}\" in pod \"{pod_name}\" {message}"));
    }
    let printed = ctx
        .c
        .runtime
        .get(crate::api::meta::uid(&pod))
        .and_then(|r| r.logs.iter().find(|(name, _)| *name == container))
        .map(|(_, text)| text.clone());
    match printed {
        Some(text) => out.push_str(&text),
        None => out.push_str(
            "(the simulated container prints no log lines: the playground does not run the application itself)\n",
        ),
    }
    out
}
