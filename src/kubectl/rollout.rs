//! `kubectl rollout status|history|undo|restart|pause|resume` for StatefulSets
//! (`staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go`, `rollback.go`,
//! `history.go`; semantics §3.6). `status` lets simulated time pass and prints a line each time
//! the status changes, as the real command does while it watches.

use crate::api::meta;
use crate::api::resources::Kind;
use crate::clock;
use crate::cluster::Cluster;
use crate::kubectl::args::Parsed;
use crate::kubectl::commands::{self, Ctx};
use crate::kubectl::tabwriter;
use crate::store::Key;
use crate::value::Value;

/// How long `rollout status` without `--timeout` watches before the playground stops.
const WATCH_LIMIT: u64 = 600_000;

pub fn rollout(ctx: &mut Ctx, p: &Parsed) -> String {
    let Some(sub) = p.positional.first() else {
        return "error: Required subcommand not specified: one of history, pause, restart, resume, status, undo\nSee 'kubectl rollout -h' for help and examples\n".into();
    };
    let (kind, name, _) = match commands::single_target(&p.positional[1..], &format!("rollout {sub}")) {
        Ok(t) => t,
        Err(e) => return e,
    };
    let deployment_status = kind == Kind::Deployment && sub == "status";
    if kind != Kind::StatefulSet && !deployment_status {
        let supported = if sub == "status" {
            "StatefulSets and Deployments"
        } else {
            "StatefulSets"
        };
        return format!(
            "error: the playground models rollout {sub} for {supported}, not {}\n",
            kind.info().plural
        );
    }
    let key = commands::key(kind, &commands::namespace(p), &name);
    if ctx.c.store.get(&key).is_none() {
        return format!(
            "Error from server (NotFound): {} \"{name}\" not found\n",
            kind.plural_qualified()
        );
    }
    match sub.as_str() {
        "status" => status(ctx, p, &key),
        "history" => history(ctx, p, &key),
        "undo" => undo(ctx, p, &key),
        "restart" => restart(ctx, &key),
        "pause" => format!("error: statefulsets.apps \"{name}\" pausing is not supported\n"),
        "resume" => format!("error: statefulsets.apps \"{name}\" resuming is not supported\n"),
        other => format!("error: unknown command \"{other}\" for \"kubectl rollout\"\n"),
    }
}

/// `DeploymentStatusViewer` (kubectl polymorphichelpers/rollout_status.go).
pub fn deployment_status_message(d: &Value) -> Result<(String, bool), String> {
    let n = |path: &str| d.at(path).and_then(Value::as_i64).unwrap_or(0);
    let name = crate::api::meta::name(d);
    if n("metadata.generation") > n("status.observedGeneration") {
        return Ok(("Waiting for deployment spec update to be observed...\n".into(), false));
    }
    let timed_out = d
        .at("status.conditions")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .any(|c| c.str_at("type") == "Progressing" && c.str_at("reason") == "ProgressDeadlineExceeded");
    if timed_out {
        return Err(format!("error: deployment \"{name}\" exceeded its progress deadline\n"));
    }
    let replicas = d.at("spec.replicas").and_then(Value::as_i64).unwrap_or(1);
    let (updated, total, available) = (
        n("status.updatedReplicas"),
        n("status.replicas"),
        n("status.availableReplicas"),
    );
    let waiting = |what: String| {
        Ok((
            format!("Waiting for deployment \"{name}\" rollout to finish: {what}...\n"),
            false,
        ))
    };
    if updated < replicas {
        return waiting(format!("{updated} out of {replicas} new replicas have been updated"));
    }
    if total > updated {
        return waiting(format!("{} old replicas are pending termination", total - updated));
    }
    if available < updated {
        return waiting(format!("{available} of {updated} updated replicas are available"));
    }
    Ok((format!("deployment \"{name}\" successfully rolled out\n"), true))
}

/// The status viewer's message and whether the rollout is done (`StatefulSetStatusViewer`).
pub fn status_message(set: &Value) -> Result<(String, bool), String> {
    if set.str_at("spec.updateStrategy.type") != "RollingUpdate" {
        return Err("error: rollout status is only available for RollingUpdate strategy type\n".into());
    }
    let n = |path: &str| set.at(path).and_then(Value::as_i64).unwrap_or(0);
    let generation = n("metadata.generation");
    let observed = n("status.observedGeneration");
    if observed == 0 || generation > observed {
        return Ok(("Waiting for statefulset spec update to be observed...\n".into(), false));
    }
    let replicas = set.at("spec.replicas").and_then(Value::as_i64).unwrap_or(1);
    let ready = n("status.readyReplicas");
    if replicas > ready {
        return Ok((format!("Waiting for {} pods to be ready...\n", replicas - ready), false));
    }
    let updated = n("status.updatedReplicas");
    if let Some(rolling) = set.at("spec.updateStrategy.rollingUpdate").filter(|r| !r.is_null()) {
        let partition = rolling.get("partition").and_then(Value::as_i64).unwrap_or(0);
        if updated < replicas - partition {
            return Ok((
                format!(
                    "Waiting for partitioned roll out to finish: {updated} out of {} new pods have been updated...\n",
                    replicas - partition
                ),
                false,
            ));
        }
        return Ok((
            format!("partitioned roll out complete: {updated} new pods have been updated...\n"),
            true,
        ));
    }
    let update_rev = set.str_at("status.updateRevision");
    if update_rev != set.str_at("status.currentRevision") {
        return Ok((
            format!("waiting for statefulset rolling update to complete {updated} pods at revision {update_rev}...\n"),
            false,
        ));
    }
    Ok((
        format!(
            "statefulset rolling update complete {} pods at revision {update_rev}...\n",
            n("status.currentReplicas")
        ),
        true,
    ))
}

fn status(ctx: &mut Ctx, p: &Parsed, key: &Key) -> String {
    let timeout = p.get("timeout").and_then(clock::parse_duration).filter(|t| *t > 0);
    let watch = p.get("watch").is_none_or(|w| w != "false");
    let start = ctx.c.now;
    let mut out = String::new();
    let mut last = String::new();
    let mut failed: Option<String> = None;
    let done = ctx.c.run_until(timeout.unwrap_or(WATCH_LIMIT), |c: &Cluster| {
        let Some(set) = c.store.get(key) else {
            return true;
        };
        let message = if key.kind == Kind::Deployment {
            deployment_status_message(set)
        } else {
            status_message(set)
        };
        match message {
            Ok((msg, done)) => {
                if msg != last {
                    out.push_str(&msg);
                    last = msg;
                }
                done || !watch
            }
            Err(e) => {
                failed = Some(e);
                true
            }
        }
    });
    if let Some(e) = failed {
        return e;
    }
    if ctx.c.store.get(key).is_none() {
        out.push_str(&format!(
            "Error from server (NotFound): statefulsets.apps \"{}\" not found\n",
            key.name
        ));
        return out;
    }
    if !done {
        if timeout.is_some() {
            out.push_str("error: timed out waiting for the condition\n");
        } else {
            out.push_str(&format!(
                "(the playground stopped watching after {} of simulated time; a real kubectl would keep waiting until you press Ctrl+C. Look at kubectl get pods and kubectl describe pod to see why the rollout does not progress)\n",
                clock::human_duration(ctx.c.now - start)
            ));
        }
    }
    out
}

fn revisions(c: &Cluster, key: &Key) -> Vec<Value> {
    let Some(set) = c.store.get(key) else {
        return vec![];
    };
    let uid = meta::uid(set).to_string();
    let mut revs: Vec<Value> = c
        .store
        .list(Kind::ControllerRevision, Some(&key.namespace))
        .into_iter()
        .filter(|r| meta::is_controlled_by(r, &uid))
        .cloned()
        .collect();
    revs.sort_by_key(|r| r.get("revision").and_then(Value::as_i64).unwrap_or(0));
    revs
}

fn history(ctx: &mut Ctx, p: &Parsed, key: &Key) -> String {
    let revs = revisions(ctx.c, key);
    if let Some(want) = p.get("revision").and_then(|r| r.parse::<i64>().ok()).filter(|r| *r > 0) {
        let Some(rev) = revs
            .iter()
            .find(|r| r.get("revision").and_then(Value::as_i64) == Some(want))
        else {
            return "error: unable to find the specified revision\n".to_string();
        };
        let mut template = rev.at("data.spec.template").cloned().unwrap_or_default();
        template.remove("$patch");
        let mut out = format!("statefulset.apps/{} with revision #{want}\nPod Template:\n", key.name);
        let labels: Vec<String> = template
            .string_map("metadata.labels")
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        out.push_str(&format!("  Labels:\t{}\n", labels.join("\n\t")));
        out.push_str("  Containers:\n");
        for ct in template.at("spec.containers").map(Value::as_list).unwrap_or(&[]) {
            out.push_str(&format!(
                "   {}:\n    Image:\t{}\n",
                ct.str_at("name"),
                ct.str_at("image")
            ));
        }
        return out;
    }
    let mut rows = vec![vec!["REVISION".to_string(), "CHANGE-CAUSE".to_string()]];
    for r in &revs {
        let cause = meta::annotation(r, "kubernetes.io/change-cause")
            .unwrap_or("<none>")
            .to_string();
        rows.push(vec![
            r.get("revision").and_then(Value::as_i64).unwrap_or(0).to_string(),
            cause,
        ]);
    }
    format!("statefulset.apps/{}\n{}\n", key.name, tabwriter::table(&rows))
}

fn undo(ctx: &mut Ctx, p: &Parsed, key: &Key) -> String {
    let revs = revisions(ctx.c, key);
    let to = p.get("to-revision").and_then(|r| r.parse::<i64>().ok()).unwrap_or(0);
    let target = if to > 0 {
        match revs
            .iter()
            .find(|r| r.get("revision").and_then(Value::as_i64) == Some(to))
        {
            Some(r) => r.clone(),
            None => return format!("error: unable to find specified revision {to} in history\n"),
        }
    } else {
        if revs.len() < 2 {
            return "error: no last revision to roll back to\n".into();
        }
        revs[revs.len() - 2].clone()
    };
    let number = target.get("revision").and_then(Value::as_i64).unwrap_or(0);
    let mut template = target.at("data.spec.template").cloned().unwrap_or_default();
    template.remove("$patch");
    let Some(mut set) = ctx.c.store.get(key).cloned() else {
        return String::new();
    };
    if set.at("spec.template") == Some(&template) {
        return format!(
            "statefulset.apps/{} skipped rollback (current template already matches revision {number})\n",
            key.name
        );
    }
    set.set("spec.template", template);
    let result = match crate::apiserver::update(ctx.c, key, set) {
        Ok(_) => format!("statefulset.apps/{} rolled back\n", key.name),
        Err(e) => format!("{e}\n"),
    };
    ctx.c.settle_instant();
    result
}

fn restart(ctx: &mut Ctx, key: &Key) -> String {
    let Some(mut set) = ctx.c.store.get(key).cloned() else {
        return String::new();
    };
    let when = clock::rfc3339(ctx.c.now);
    meta::set_in_map(
        &mut set,
        "spec.template.metadata.annotations",
        "kubectl.kubernetes.io/restartedAt",
        &when,
    );
    let result = match crate::apiserver::update(ctx.c, key, set) {
        Ok(_) => format!("statefulset.apps/{} restarted\n", key.name),
        Err(e) => format!("{e}\n"),
    };
    ctx.c.settle_instant();
    result
}
