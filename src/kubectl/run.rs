//! `kubectl run NAME --image=IMAGE [--restart=…] [-i] [-t] [--rm] [--command] [-- ARGS…]`
//! (kubectl/pkg/cmd/run/run.go, the `BasicPod` generator in pkg/generate/versioned/run.go):
//! one pod, labelled `run=NAME`, its one container named NAME. Without `-i` kubectl prints
//! `pod/NAME created`. With `-i` it waits for the pod to run, then attaches: a shell (no
//! arguments, or `sh`) becomes the console's shell until `exit`; a command runs once and prints
//! its output; `--rm` deletes the pod afterwards.

use crate::api::meta;
use crate::api::resources::Kind;
use crate::apiserver;
use crate::kubectl::args::Parsed;
use crate::kubectl::commands::{self, Ctx};
use crate::kubectl::exec;
use crate::kubectl::session::{PodShell, Started};
use crate::store::Key;
use crate::value::Value;

/// `UsageErrorf`: the message, then where to read the help.
fn usage(message: &str) -> String {
    format!("error: {message}\nSee 'kubectl run -h' for help and examples\n")
}

/// `--pod-running-timeout`'s default (1m0s).
const POD_RUNNING_TIMEOUT: u64 = 60_000;

/// Images whose default command is a shell (what `kubectl run -it --image=busybox` attaches to).
fn shell_image(image: &str) -> bool {
    let repo = image.rsplit_once(':').map_or(image, |(r, _)| r);
    let name = repo.rsplit('/').next().unwrap_or(repo);
    matches!(
        name,
        "busybox" | "alpine" | "ubuntu" | "debian" | "dnsutils" | "fedora" | "centos"
    )
}

pub fn run(ctx: &mut Ctx, p: &Parsed) -> String {
    let Some(name) = p.positional.first().cloned() else {
        return usage("NAME is required for run");
    };
    let Some(image) = p.get("image").map(str::to_string) else {
        return "error: --image is required\n".into();
    };
    let (stdin, tty, remove) = (p.bool("stdin"), p.bool("tty"), p.bool("rm"));
    let attach = stdin || p.bool("attach");
    if tty && !stdin {
        return usage("-i/--stdin is required for containers with -t/--tty=true");
    }
    if remove && !attach {
        return usage("--rm should only be used for attached containers");
    }
    let restart = p.get("restart").unwrap_or("Always");
    if !matches!(restart, "Always" | "OnFailure" | "Never") {
        return usage(&format!("invalid restart policy: {restart}"));
    }
    // Words after NAME without `--` are arguments too (kubectl warns that this is deprecated
    // only for the command form; both go to the container).
    let mut words: Vec<String> = p.positional[1..].to_vec();
    words.extend(p.after_dashdash.iter().cloned());
    let ns = commands::namespace(p);

    let mut pod = Value::map();
    pod.set("apiVersion", "v1");
    pod.set("kind", "Pod");
    pod.set("metadata.name", name.as_str());
    pod.set("metadata.namespace", ns.as_str());
    match p.get("labels") {
        Some(labels) => {
            for pair in labels.split(',').filter(|l| !l.is_empty()) {
                let Some((k, v)) = pair.split_once('=') else {
                    return format!("error: invalid label spec: {pair}\n");
                };
                meta::set_label(&mut pod, k, v);
            }
        }
        None => meta::set_label(&mut pod, "run", &name),
    }
    let mut container = Value::map();
    container.set("name", name.as_str());
    container.set("image", image.as_str());
    container.set("resources", Value::map());
    if stdin {
        container.set("stdin", true);
        if !p.bool("leave-stdin-open") {
            container.set("stdinOnce", true);
        }
    }
    if tty {
        container.set("tty", true);
    }
    if !words.is_empty() {
        let field = if p.bool("command") { "command" } else { "args" };
        container.set(
            field,
            Value::list(words.iter().map(|w| Value::from(w.as_str())).collect()),
        );
    }
    let mut env = Vec::new();
    for pair in p.all("env") {
        let Some((k, v)) = pair.split_once('=') else {
            return format!("error: invalid env: {pair}\n");
        };
        let mut e = Value::map();
        e.set("name", k);
        e.set("value", v);
        env.push(e);
    }
    if !env.is_empty() {
        container.set("env", Value::list(env));
    }
    if let Some(port) = p.get("port") {
        match port.parse::<i64>() {
            Ok(n) => {
                let mut entry = Value::map();
                entry.set("containerPort", n);
                container.set("ports", Value::list(vec![entry]));
            }
            Err(_) => return format!("error: strconv.Atoi: parsing \"{port}\": invalid syntax\n"),
        }
    }
    pod.set("spec.containers", Value::list(vec![container]));
    pod.set("spec.restartPolicy", restart);
    pod.set("spec.dnsPolicy", "ClusterFirst");

    if let Err(e) = apiserver::create_from_kubectl(ctx.c, Kind::Pod, pod) {
        return format!("{e}\n");
    }
    ctx.c.settle_instant();
    if !attach {
        return format!("pod/{name} created\n");
    }
    let key = Key::new(Kind::Pod, &ns, &name);
    // handleAttachPod: wait until the pod runs and is ready (or has completed).
    let timeout = match p.get("pod-running-timeout") {
        Some(t) => match crate::clock::parse_duration(t) {
            Some(ms) => ms,
            None => {
                return format!(
                "error: invalid argument \"{t}\" for \"--pod-running-timeout\" flag: time: invalid duration \"{t}\"\n"
            )
            }
        },
        None => POD_RUNNING_TIMEOUT,
    };
    let up = ctx.c.run_until(timeout, |c| {
        c.store.get(&key).is_some_and(|p| {
            let phase = crate::api::pod::phase(p);
            phase == "Succeeded" || phase == "Failed" || crate::api::pod::is_ready(p)
        })
    });
    if !up {
        return "error: timed out waiting for the condition\n".into();
    }
    let Some(live) = ctx.c.store.get(&key).cloned() else {
        return String::new();
    };
    // What runs in the container: the arguments, or the image's default command (a shell
    // for the images learners attach to, a server otherwise).
    let argv = match (words.is_empty(), shell_image(&image)) {
        (false, _) => words,
        (true, true) => vec!["sh".to_string()],
        (true, false) => Vec::new(),
    };
    if let Some(program) = exec::shell_program(&argv) {
        let mut out = String::new();
        if !p.bool("quiet") {
            out.push_str("All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\nIf you don't see a command prompt, try pressing enter.\n");
        }
        ctx.started = Some(Started::Shell(PodShell {
            pod: key,
            uid: meta::uid(&live).to_string(),
            container: name,
            remove,
            main_process: true,
            program,
        }));
        return out;
    }
    if argv.is_empty() || matches!(argv[0].as_str(), "sleep" | "nginx" | "tail") {
        return format!(
            "(the playground attaches to shells and to commands that finish; pod/{name} keeps running: use kubectl exec {name} -- COMMAND, or kubectl delete pod {name})\n"
        );
    }
    // A command that finishes: its output, then the container exits with its status.
    let (mut out, code) = exec::run_in_pod(ctx.c, &live, &argv);
    let _ = ctx.c.container_exited(&key, i64::from(code));
    ctx.c.settle_instant();
    if remove {
        let line = format!("delete pod {name} --wait=false -n {ns}");
        let words: Vec<String> = line.split(' ').map(str::to_string).collect();
        out.push_str(&commands::run(ctx, &words));
    }
    if code != 0 && restart == "Never" {
        out.push_str(&format!("pod {ns}/{name} terminated (Error)\n\n"));
    }
    out
}
