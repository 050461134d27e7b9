//! `kubectl delete` (`staging/src/k8s.io/kubectl/pkg/cmd/delete/delete.go`): by name, by `-l`,
//! `--all` or `-f`; `--cascade=background|foreground|orphan`; `--grace-period`, `--force`;
//! and `--wait` (the default), which lets simulated time pass until the objects are gone.

use crate::api::resources::Kind;
use crate::apiserver::{self, DeleteOptions, Propagation};
use crate::clock;
use crate::kubectl::args::Parsed;
use crate::kubectl::commands::{self, Ctx};
use crate::kubectl::manifest;
use crate::store::Key;

/// How long `delete --wait` lets simulated time pass before the playground stops waiting.
const WAIT_LIMIT: u64 = 600_000;

pub fn delete(ctx: &mut Ctx, p: &Parsed) -> String {
    let propagation = match p.get("cascade").unwrap_or("background") {
        "background" | "true" => Propagation::Background,
        "foreground" => Propagation::Foreground,
        "orphan" | "false" => Propagation::Orphan,
        other => {
            return format!(
                "error: invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\"\n"
            )
        }
    };
    let force = p.bool("force");
    let mut grace = match p.get("grace-period").map(str::parse::<i64>) {
        None => None,
        Some(Ok(g)) => Some(g),
        Some(Err(_)) => return "error: invalid argument for --grace-period: must be an integer\n".into(),
    };
    // delete.go Complete: --now is --grace-period=1; --grace-period=0 without --force is turned
    // into 1 ("to preserve backwards compatibility, but prevent accidental data loss"); --force
    // alone means 0; --force with a positive grace period is refused.
    if p.bool("now") {
        if grace.is_some_and(|g| g != -1) {
            return "error: --now and --grace-period cannot be specified together\n".into();
        }
        grace = Some(1);
    }
    if grace == Some(0) && !force {
        grace = Some(1);
    }
    if force && grace.is_none_or(|g| g < 0) {
        grace = Some(0);
    }
    if force && grace.is_some_and(|g| g > 0) {
        return "error: --force and --grace-period greater than 0 cannot be specified together\n".into();
    }
    if grace == Some(-1) {
        grace = None;
    }
    let wait = p.get("wait").is_none_or(|w| w != "false");
    let ns = commands::namespace(p);
    let selector = match commands::selector(p) {
        Ok(s) => s,
        Err(e) => return e,
    };

    // What to delete.
    let mut keys: Vec<Key> = Vec::new();
    let mut out = String::new();
    if !p.all("filename").is_empty() {
        for f in p.all("filename") {
            let text = if f == "-" {
                ctx.stdin.map(str::to_string)
            } else {
                ctx.files.read(f).ok()
            };
            let Some(text) = text else {
                return format!("error: the path \"{f}\" does not exist\n");
            };
            let (objects, problems) = manifest::read(&text, if f == "-" { "STDIN" } else { f });
            for o in objects {
                let obj_ns = if o.value.str_at("metadata.namespace").is_empty() {
                    ns.clone()
                } else {
                    o.value.str_at("metadata.namespace").to_string()
                };
                keys.push(Key::new(o.kind, &obj_ns, o.value.str_at("metadata.name")));
            }
            for e in problems {
                out.push_str(&e);
                out.push('\n');
            }
        }
    } else {
        let targets = match commands::targets(&p.positional) {
            Ok(t) if !t.is_empty() => t,
            Ok(_) => return "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n".into(),
            Err(e) => return e,
        };
        for (kind, names) in targets {
            if names.is_empty() && selector.is_none() && !p.bool("all") {
                return "error: resource(s) were provided, but no name was specified\n".into();
            }
            keys.extend(commands::keys_for(ctx.c, kind, &ns, &names, selector.as_ref()));
        }
        // delete.go DeleteResult: nothing matched prints "No resources found", without the
        // namespace that get and describe add.
        if keys.is_empty() {
            return "No resources found\n".into();
        }
    }
    if force && grace == Some(0) {
        out.push_str("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    }
    let mut deleted: Vec<Key> = Vec::new();
    let mut uids: Vec<String> = Vec::new();
    for key in keys {
        let opts = DeleteOptions {
            grace_seconds: grace,
            propagation,
        };
        let uid = ctx
            .c
            .store
            .get(&key)
            .map(|o| crate::api::meta::uid(o).to_string())
            .unwrap_or_default();
        match apiserver::delete(ctx.c, &key, opts) {
            Ok(()) => {
                uids.push(uid);
                let verb = if force && grace == Some(0) {
                    "force deleted"
                } else {
                    "deleted"
                };
                let info = key.kind.info();
                let where_ = if info.namespaced {
                    format!(" from {} namespace", key.namespace)
                } else {
                    String::new()
                };
                out.push_str(&format!("{} \"{}\" {verb}{where_}\n", key.kind.qualified(), key.name));
                deleted.push(key);
            }
            Err(e) => {
                if !p.bool("ignore-not-found") {
                    out.push_str(&format!("{e}\n"));
                }
            }
        }
    }
    ctx.c.settle_instant();
    if wait && !deleted.is_empty() {
        let start = ctx.c.now;
        let limit = p.get("timeout").and_then(clock::parse_duration).filter(|t| *t > 0);
        // Like kubectl, wait for these objects (by uid): one recreated under the same name, as
        // a StatefulSet does at once after a force delete, is another object.
        let gone = ctx.c.run_until(limit.unwrap_or(WAIT_LIMIT), |c| {
            deleted
                .iter()
                .zip(&uids)
                .all(|(k, uid)| !commands::still_there(c, k, uid))
        });
        // The instant the objects went: let the controllers react before the next command
        // (a PV is released, a StatefulSet recreates its pod), as they do within milliseconds.
        ctx.c.settle_instant();
        if !gone {
            #[allow(clippy::map_identity)]
            let waiting: Vec<String> = deleted
                .iter()
                .zip(&uids)
                .filter(|(k, uid)| commands::still_there(ctx.c, k, uid))
                .map(|(k, _)| k)
                .map(|k| format!("{}/{}", k.kind.plural_qualified(), k.name))
                .collect();
            if limit.is_some() {
                out.push_str(&format!(
                    "error: timed out waiting for the condition on {}\n",
                    waiting.join(", ")
                ));
            } else {
                let why = explain_stuck(ctx, &deleted);
                out.push_str(&format!(
                    "(the playground stopped waiting after {} of simulated time: {} still {} being deleted{why}; a real kubectl would keep waiting until you press Ctrl+C)\n",
                    clock::human_duration(ctx.c.now - start),
                    waiting.join(", "),
                    if waiting.len() == 1 { "is" } else { "are" }
                ));
            }
        }
    }
    out
}

/// Why an object is still there after a delete (a finalizer, usually).
fn explain_stuck(ctx: &Ctx, keys: &[Key]) -> String {
    for k in keys {
        let Some(obj) = ctx.c.store.get(k) else {
            continue;
        };
        let fins = crate::api::meta::finalizers(obj);
        if k.kind == Kind::PersistentVolumeClaim && fins.iter().any(|f| f == apiserver::PVC_PROTECTION) {
            return format!(
                ": the claim keeps its {} finalizer while a pod uses it",
                apiserver::PVC_PROTECTION
            );
        }
        if !fins.is_empty() {
            return format!(": {} has the finalizers [{}]", k.name, fins.join(" "));
        }
    }
    String::new()
}
