//! `kubectl rollout status|history|undo|restart|pause|resume` for StatefulSets
//! (`staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go`, `rollback.go`,
//! `history.go`; kubernetes-semantics.md §3.6). `status` lets simulated time pass and prints a line each time
//! the status changes, as the real command does while it watches.

use crate::api::meta;
use crate::api::resources::Kind;
use crate::clock;
use crate::kubectl::args::Parsed;
use crate::kubectl::commands::{self, Ctx};
use crate::kubectl::tabwriter;
use crate::store::Key;
use crate::value::Value;
use crate::world::Cluster;

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
    let deployment = kind == Kind::Deployment && matches!(sub.as_str(), "status" | "history" | "undo" | "restart");
    let daemonset = kind == Kind::DaemonSet && sub == "status";
    if kind != Kind::StatefulSet && !deployment && !daemonset {
        let supported = match sub.as_str() {
            "status" => "StatefulSets, Deployments and DaemonSets",
            "history" | "undo" | "restart" => "StatefulSets and Deployments",
            _ => "StatefulSets",
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

/// `DaemonSetStatusViewer` (kubectl polymorphichelpers/rollout_status.go).
pub fn daemonset_status_message(ds: &Value) -> Result<(String, bool), String> {
    let n = |path: &str| ds.at(path).and_then(Value::as_i64).unwrap_or(0);
    let name = crate::api::meta::name(ds);
    if ds.str_at("spec.updateStrategy.type") != "RollingUpdate" {
        return Err("error: rollout status is only available for RollingUpdate strategy type\n".into());
    }
    if n("metadata.generation") > n("status.observedGeneration") {
        return Ok(("Waiting for daemon set spec update to be observed...\n".into(), false));
    }
    let desired = n("status.desiredNumberScheduled");
    let (updated, available) = (n("status.updatedNumberScheduled"), n("status.numberAvailable"));
    if updated < desired {
        return Ok((
            format!("Waiting for daemon set \"{name}\" rollout to finish: {updated} out of {desired} new pods have been updated...\n"),
            false,
        ));
    }
    if available < desired {
        return Ok((
            format!("Waiting for daemon set \"{name}\" rollout to finish: {available} of {desired} updated pods are available...\n"),
            false,
        ));
    }
    Ok((format!("daemon set \"{name}\" successfully rolled out\n"), true))
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
        let message = match key.kind {
            Kind::Deployment => deployment_status_message(set),
            Kind::DaemonSet => daemonset_status_message(set),
            _ => status_message(set),
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

/// One entry of a workload's rollout history: its number, pod template and change cause.
struct Revision {
    number: i64,
    template: Value,
    cause: String,
}

/// The rollout history: a StatefulSet's ControllerRevisions (`data.spec.template`), or a
/// Deployment's ReplicaSets (`deployment.kubernetes.io/revision`, the template without its
/// `pod-template-hash` label), oldest first (kubectl polymorphichelpers/history.go).
fn revisions(c: &Cluster, key: &Key) -> Vec<Revision> {
    let Some(owner) = c.store.get(key) else {
        return vec![];
    };
    let uid = meta::uid(owner).to_string();
    let deployment = key.kind == Kind::Deployment;
    let kind = if deployment {
        Kind::ReplicaSet
    } else {
        Kind::ControllerRevision
    };
    let mut revs: Vec<Revision> = c
        .store
        .list(kind, Some(&key.namespace))
        .into_iter()
        .filter(|r| meta::is_controlled_by(r, &uid))
        .map(|r| {
            let (number, mut template) = if deployment {
                let number = meta::annotation(r, "deployment.kubernetes.io/revision")
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                (number, r.at("spec.template").cloned().unwrap_or_default())
            } else {
                let number = r.get("revision").and_then(Value::as_i64).unwrap_or(0);
                (number, r.at("data.spec.template").cloned().unwrap_or_default())
            };
            template.remove("$patch");
            if deployment {
                meta::remove_from_map(&mut template, "metadata.labels", "pod-template-hash");
            }
            let cause = meta::annotation(r, "kubernetes.io/change-cause")
                .unwrap_or("<none>")
                .to_string();
            Revision {
                number,
                template,
                cause,
            }
        })
        .collect();
    crate::sort::by_key(&mut revs, |r| r.number);
    revs
}

fn history(ctx: &mut Ctx, p: &Parsed, key: &Key) -> String {
    let revs = revisions(ctx.c, key);
    let object = format!("{}/{}", key.kind.qualified(), key.name);
    if let Some(want) = p.get("revision").and_then(|r| r.parse::<i64>().ok()).filter(|r| *r > 0) {
        let Some(rev) = revs.iter().find(|r| r.number == want) else {
            return "error: unable to find the specified revision\n".to_string();
        };
        return format!(
            "{object} with revision #{want}\n{}\n",
            crate::kubectl::describe::describe_pod_template(&rev.template)
        );
    }
    let mut rows = vec![vec!["REVISION".to_string(), "CHANGE-CAUSE".to_string()]];
    for r in &revs {
        rows.push(vec![r.number.to_string(), r.cause.clone()]);
    }
    // kubectl prints the history through a name printer whose "operation" is the table, so the
    // first line is `<kind>/<name> ` with a trailing space (cmd/rollout/rollout_history.go), and
    // the table is `tabbedString`'s (padding 2).
    format!("{object} \n{}\n", tabwriter::describe_block(&rows))
}

fn undo(ctx: &mut Ctx, p: &Parsed, key: &Key) -> String {
    let revs = revisions(ctx.c, key);
    let object = format!("{}/{}", key.kind.qualified(), key.name);
    let to = p.get("to-revision").and_then(|r| r.parse::<i64>().ok()).unwrap_or(0);
    let target = if to > 0 {
        match revs.iter().find(|r| r.number == to) {
            Some(r) => r,
            None => return format!("error: unable to find specified revision {to} in history\n"),
        }
    } else {
        if revs.len() < 2 {
            return "error: no last revision to roll back to\n".into();
        }
        &revs[revs.len() - 2]
    };
    let number = target.number;
    let template = target.template.clone();
    let Some(mut owner) = ctx.c.store.get(key).cloned() else {
        return String::new();
    };
    if owner.at("spec.template") == Some(&template) {
        return format!("{object} skipped rollback (current template already matches revision {number})\n");
    }
    owner.set("spec.template", template);
    let result = match crate::apiserver::update_from_kubectl(ctx.c, key, owner) {
        Ok(_) => format!("{object} rolled back\n"),
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
    let result = match crate::apiserver::update_from_kubectl(ctx.c, key, set) {
        Ok(_) => format!("{}/{} restarted\n", key.kind.qualified(), key.name),
        Err(e) => format!("{e}\n"),
    };
    ctx.c.settle_instant();
    result
}
