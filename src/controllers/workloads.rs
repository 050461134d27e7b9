//! The contrast workloads of the seed's first tables: the Deployment controller
//! (`pkg/controller/deployment/`: `sync.go`, `rolling.go`, `recreate.go`, `util/deployment_util.go`),
//! the ReplicaSet controller (`pkg/controller/replicaset/replica_set.go`) and the DaemonSet
//! controller (`pkg/controller/daemon/daemon_controller.go`: one pod per eligible node, pinned by
//! node affinity and placed by the default scheduler; template updates are not rolled out here).
//!
//! Unlike a StatefulSet, a Deployment's pods are interchangeable: named `<replicaset>-<5 random
//! characters>` (the seeded RNG), created and deleted in any order, all sharing the claims their
//! template names. A rolling update starts new pods before old ones stop (maxSurge 25 % rounded
//! up, maxUnavailable 25 % rounded down); `Recreate` stops every old pod first.

use crate::api::intstr;
use crate::api::meta;
use crate::api::pod;
use crate::api::resources::Kind;
use crate::api::selector::Selector;
use crate::api::strategy::TEMPLATE_GENERATION;
use crate::apiserver::{self, DeleteOptions};
use crate::rng;
use crate::store::Key;
use crate::value::Value;
use crate::world::Cluster;

/// Source of the Deployment controller's events.
pub const DEPLOYMENT_CONTROLLER: &str = "deployment-controller";
/// Source of the ReplicaSet controller's events.
pub const REPLICASET_CONTROLLER: &str = "replicaset-controller";
/// The annotation with a Deployment's (and its ReplicaSets') rollout revision.
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
/// The label that ties a ReplicaSet and its pods to one pod template.
pub const HASH_LABEL: &str = "pod-template-hash";

pub fn reconcile(c: &mut Cluster) {
    for key in c.store.keys(Kind::Deployment) {
        sync_deployment(c, &key);
    }
    for key in c.store.keys(Kind::ReplicaSet) {
        sync_replicaset(c, &key);
    }
    for key in c.store.keys(Kind::DaemonSet) {
        sync_daemonset(c, &key);
    }
}

/// Source of the DaemonSet controller's events.
pub const DAEMONSET_CONTROLLER: &str = "daemonset-controller";

/// The tolerations every DaemonSet pod gets (`util.AddOrUpdateDaemonPodTolerations`): it stays on
/// a node that is not ready or unreachable, and ignores pressure and cordons.
fn daemon_tolerations(existing: &[Value]) -> Vec<Value> {
    let mut out = existing.to_vec();
    for (key, effect) in [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ] {
        if !out
            .iter()
            .any(|t| t.str_at("key") == key && t.str_at("effect") == effect)
        {
            let mut t = Value::map();
            t.set("key", key);
            t.set("operator", "Exists");
            t.set("effect", effect);
            out.push(t);
        }
    }
    out
}

fn sync_daemonset(c: &mut Cluster, key: &Key) {
    let Some(ds) = c.store.get(key).cloned() else { return };
    let uid = meta::uid(&ds).to_string();
    let ns = key.namespace.clone();
    let template = ds.at("spec.template").cloned().unwrap_or_default();
    // nodeShouldRunDaemonPod: the template's node selector and affinity, and NoSchedule /
    // NoExecute taints the pod (with its added tolerations) does not tolerate.
    let tolerations = daemon_tolerations(template.at("spec.tolerations").map(Value::as_list).unwrap_or(&[]));
    let mut probe = Value::map();
    probe.set("spec", template.get("spec").cloned().unwrap_or_else(Value::map));
    probe.set("spec.tolerations", Value::list(tolerations.clone()));
    let eligible: Vec<String> = c
        .store
        .list(Kind::Node, None)
        .into_iter()
        .filter(|n| {
            let labels = n.at("metadata.labels");
            let selector_ok = probe.at("spec.nodeSelector").and_then(Value::as_map).is_none_or(|sel| {
                sel.iter()
                    .all(|(k, v)| labels.and_then(|l| l.get(k)).and_then(Value::as_str) == v.as_str())
            });
            let taints_ok = n.at("spec.taints").map(Value::as_list).unwrap_or(&[]).iter().all(|t| {
                !matches!(t.str_at("effect"), "NoSchedule" | "NoExecute")
                    || tolerations.iter().any(|tol| pod::tolerates(tol, t))
            });
            selector_ok && taints_ok && crate::api::node_affinity::node_affinity_matches(&probe, n)
        })
        .map(|n| meta::name(n).to_string())
        .collect();
    // The template's revision: pods carry it in `controller-revision-hash` (and the template
    // generation the API server counts in `pod-template-generation`).
    let hash = daemonset_hash(&template);
    let generation = meta::annotation(&ds, TEMPLATE_GENERATION).unwrap_or("1").to_string();
    let pods = owned(c, Kind::Pod, &ns, &uid);
    let live: Vec<&Value> = pods
        .iter()
        .filter(|p| !meta::is_terminating(p) && !matches!(pod::phase(p), "Failed" | "Succeeded"))
        .collect();
    let target_of = |p: &Value| -> String {
        p.at("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms")
            .map(Value::as_list)
            .and_then(|t| t.first())
            .and_then(|t| t.at("matchFields"))
            .map(Value::as_list)
            .and_then(|f| f.first())
            .and_then(|f| f.get("values"))
            .map(Value::as_list)
            .and_then(|v| v.first())
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    if !meta::is_terminating(&ds) {
        for node in &eligible {
            if live.iter().any(|p| target_of(p) == *node) {
                continue;
            }
            let pinned = |p: &mut Value| {
                let mut field = Value::map();
                field.set("key", "metadata.name");
                field.set("operator", "In");
                field.set("values", Value::list(vec![node.as_str().into()]));
                let mut term = Value::map();
                term.set("matchFields", Value::list(vec![field]));
                p.set(
                    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms",
                    Value::list(vec![term]),
                );
                p.set("spec.tolerations", Value::list(tolerations.clone()));
            };
            let generation = generation.clone();
            let hash = hash.clone();
            let stamped = |p: &mut Value| {
                pinned(p);
                meta::set_label(p, "controller-revision-hash", &hash);
                meta::set_label(p, "pod-template-generation", &generation);
            };
            if !create_owned_pod(c, &ds, Kind::DaemonSet, &template, DAEMONSET_CONTROLLER, stamped) {
                break;
            }
        }
        rolling_update(c, &ds, &eligible, &hash, target_of);
        // Pods on nodes that should not run one any more.
        for p in &live {
            if !eligible.contains(&target_of(p))
                && apiserver::delete(c, &Key::of(Kind::Pod, p), DeleteOptions::default()).is_ok()
            {
                c.event(
                    &ds,
                    Kind::DaemonSet,
                    true,
                    "SuccessfulDelete",
                    format!("Deleted pod: {}", meta::name(p)),
                    DAEMONSET_CONTROLLER,
                );
            }
        }
    }
    let now = c.now;
    let pods = owned(c, Kind::Pod, &ns, &uid);
    let scheduled: Vec<&Value> = pods
        .iter()
        .filter(|p| !meta::is_terminating(p) && !p.str_at("spec.nodeName").is_empty())
        .collect();
    let mut status = Value::map();
    status.set(
        "currentNumberScheduled",
        scheduled.iter().filter(|p| eligible.contains(&target_of(p))).count() as i64,
    );
    status.set("desiredNumberScheduled", eligible.len() as i64);
    status.set(
        "numberMisscheduled",
        scheduled.iter().filter(|p| !eligible.contains(&target_of(p))).count() as i64,
    );
    status.set(
        "numberReady",
        scheduled.iter().filter(|p| pod::is_ready(p)).count() as i64,
    );
    let available = scheduled
        .iter()
        .filter(|p| pod::is_running_and_available(p, int(&ds, "spec.minReadySeconds", 0), now).0)
        .count() as i64;
    status.set("numberAvailable", available);
    status.set("numberUnavailable", (eligible.len() as i64 - available).max(0));
    status.set(
        "updatedNumberScheduled",
        scheduled
            .iter()
            .filter(|p| meta::labels(p).get("controller-revision-hash") == Some(&hash))
            .count() as i64,
    );
    status.set("observedGeneration", int(&ds, "metadata.generation", 1));
    put_status(
        c,
        key,
        &ds,
        status,
        &["numberAvailable", "numberUnavailable", "updatedNumberScheduled"],
    );
}

/// The revision hash of a DaemonSet template (upstream `controller.ComputeHash`; the value
/// differs from a real cluster's, which hashes Go structs, but it changes exactly when the
/// template does).
fn daemonset_hash(template: &Value) -> String {
    crate::rng::safe_encode(&crate::rng::fnv32a(template.to_json().as_bytes()).to_string())
}

/// `rollingUpdate` of `pkg/controller/daemon/update.go` with maxSurge 0 (the default): an old
/// pod that is not available is replaced at once; available old pods are deleted while fewer
/// than `maxUnavailable` nodes are without an available pod. The manage loop then creates the
/// new pod on the emptied node. `OnDelete` replaces pods only when someone deletes them.
fn rolling_update(c: &mut Cluster, ds: &Value, eligible: &[String], hash: &str, target_of: impl Fn(&Value) -> String) {
    if ds.str_at("spec.updateStrategy.type") != "RollingUpdate" {
        return;
    }
    let now = c.now;
    let min_ready = int(ds, "spec.minReadySeconds", 0);
    let max_unavailable = ds
        .at("spec.updateStrategy.rollingUpdate.maxUnavailable")
        .and_then(|v| crate::api::intstr::scaled(v, eligible.len() as i64, true))
        .unwrap_or(1)
        .max(1);
    let pods = owned(c, Kind::Pod, meta::namespace(ds), meta::uid(ds));
    let mut unavailable = 0i64;
    let (mut replace, mut candidates) = (Vec::new(), Vec::new());
    for node in eligible {
        let on_node: Vec<&Value> = pods
            .iter()
            .filter(|p| !meta::is_terminating(p) && target_of(p) == *node)
            .collect();
        let is_new = |p: &&&Value| meta::labels(p).get("controller-revision-hash").map(String::as_str) == Some(hash);
        let new_pod = on_node.iter().find(is_new);
        let old_pod = on_node.iter().find(|p| !is_new(p));
        let available = |p: &Value| pod::is_running_and_available(p, min_ready, now).0;
        match (new_pod, old_pod) {
            (None, None) | (Some(_), Some(_)) => unavailable += 1,
            (Some(p), None) => unavailable += i64::from(!available(p)),
            (None, Some(p)) if !available(p) => replace.push(Key::of(Kind::Pod, p)),
            (None, Some(_)) if unavailable >= max_unavailable => {}
            (None, Some(p)) => candidates.push(Key::of(Kind::Pod, p)),
        }
    }
    let room = usize::try_from((max_unavailable - unavailable).max(0)).unwrap_or(0);
    replace.extend(candidates.into_iter().take(room));
    for key in replace {
        if apiserver::delete(c, &key, DeleteOptions::default()).is_ok() {
            c.event(
                ds,
                Kind::DaemonSet,
                true,
                "SuccessfulDelete",
                format!("Deleted pod: {}", key.name),
                DAEMONSET_CONTROLLER,
            );
        }
    }
}

/// Create one pod of a ReplicaSet or DaemonSet from its template: `<owner>-<5 random
/// characters>` (the seeded RNG), the template's labels and annotations, the controller
/// reference; `finish` adds what the controller adds. Records `SuccessfulCreate` or
/// `FailedCreate` as `controller` words them; returns whether the pod was created.
fn create_owned_pod(
    c: &mut Cluster,
    owner: &Value,
    owner_kind: Kind,
    template: &Value,
    controller: &str,
    finish: impl FnOnce(&mut Value),
) -> bool {
    let owner_name = meta::name(owner).to_string();
    let name = format!("{owner_name}-{}", c.rng.suffix(5));
    let mut p = Value::map();
    p.set("metadata.name", name.as_str());
    p.set("metadata.generateName", format!("{owner_name}-"));
    p.set("metadata.namespace", meta::namespace(owner));
    p.set(
        "metadata.labels",
        template.at("metadata.labels").cloned().unwrap_or_else(Value::map),
    );
    if let Some(a) = template.at("metadata.annotations") {
        p.set("metadata.annotations", a.clone());
    }
    let reference = meta::owner_reference("apps/v1", owner_kind.info().name, &owner_name, meta::uid(owner), true);
    p.set("metadata.ownerReferences", Value::list(vec![reference]));
    p.set("spec", template.get("spec").cloned().unwrap_or_else(Value::map));
    finish(&mut p);
    match apiserver::create(c, Kind::Pod, p) {
        Ok(_) => {
            c.event(
                owner,
                owner_kind,
                true,
                "SuccessfulCreate",
                format!("Created pod: {name}"),
                controller,
            );
            true
        }
        Err(e) => {
            c.event(
                owner,
                owner_kind,
                false,
                "FailedCreate",
                format!("Error creating: {e}"),
                controller,
            );
            false
        }
    }
}

/// Write a controller's status, leaving out the `omitempty` counts that are 0; no write when
/// nothing changed.
fn put_status(c: &mut Cluster, key: &Key, obj: &Value, mut status: Value, omit_zero: &[&str]) {
    for field in omit_zero {
        if status.get(field) == Some(&Value::Int(0)) {
            status.remove(field);
        }
    }
    if obj.get("status") != Some(&status) {
        c.store.modify(key, |o| o.set("status", status));
    }
}

fn int(v: &Value, path: &str, default: i64) -> i64 {
    v.at(path).and_then(Value::as_i64).unwrap_or(default)
}

/// An `IntOrString` of the strategy: a count, or a percentage of `total` (rounded up for
/// maxSurge, down for maxUnavailable, as `ResolveFenceposts`).
fn fencepost(v: Option<&Value>, total: i64, round_up: bool) -> i64 {
    v.and_then(|v| intstr::scaled(v, total, round_up)).unwrap_or(0)
}

/// The template without the hash label, for comparing a ReplicaSet with its Deployment.
fn template_sans_hash(t: Option<&Value>) -> Value {
    let mut t = t.cloned().unwrap_or_default();
    if let Some(labels) = t.at_mut("metadata.labels").and_then(Value::map_mut) {
        labels.remove(HASH_LABEL);
    }
    t
}

fn owned(c: &Cluster, kind: Kind, ns: &str, owner_uid: &str) -> Vec<Value> {
    c.store
        .list(kind, Some(ns))
        .into_iter()
        .filter(|o| meta::is_controlled_by(o, owner_uid))
        .cloned()
        .collect()
}

fn scale_rs(c: &mut Cluster, d: &Value, rs: &Value, to: i64) {
    let from = int(rs, "spec.replicas", 0);
    if from == to {
        return;
    }
    c.store
        .modify(&Key::of(Kind::ReplicaSet, rs), |r| r.set("spec.replicas", to));
    let verb = if to > from { "up" } else { "down" };
    c.event(
        d,
        Kind::Deployment,
        true,
        "ScalingReplicaSet",
        format!("Scaled {verb} replica set {} from {from} to {to}", meta::name(rs)),
        DEPLOYMENT_CONTROLLER,
    );
}

fn sync_deployment(c: &mut Cluster, key: &Key) {
    let Some(d) = c.store.get(key).cloned() else { return };
    if meta::is_terminating(&d) {
        return;
    }
    let ns = key.namespace.clone();
    let uid = meta::uid(&d).to_string();
    let replicas = int(&d, "spec.replicas", 1).max(0);
    let template = d.at("spec.template").cloned().unwrap_or_default();
    let sets = owned(c, Kind::ReplicaSet, &ns, &uid);
    let wanted = template_sans_hash(Some(&template));
    let new_rs = sets
        .iter()
        .find(|rs| template_sans_hash(rs.at("spec.template")) == wanted)
        .cloned();
    let mut old: Vec<Value> = sets
        .iter()
        .filter(|rs| new_rs.as_ref().is_none_or(|n| meta::uid(n) != meta::uid(rs)))
        .cloned()
        .collect();
    crate::sort::by_cached_key(&mut old, |rs| rs.str_at("metadata.creationTimestamp").to_string());
    let recreate = d.str_at("spec.strategy.type") == "Recreate";
    let surge = fencepost(d.at("spec.strategy.rollingUpdate.maxSurge"), replicas, true);
    let unavailable = fencepost(d.at("spec.strategy.rollingUpdate.maxUnavailable"), replicas, false);
    // (When both resolve to 0, maxUnavailable becomes 1.)
    let unavailable = if surge == 0 && unavailable == 0 { 1 } else { unavailable };
    let spec_total = |sets: &[Value]| sets.iter().map(|rs| int(rs, "spec.replicas", 0)).sum::<i64>();
    let old_total = spec_total(&old);

    let revision_of = |rs: &Value| meta::annotation(rs, REVISION_ANNOTATION).and_then(|r| r.parse::<i64>().ok());
    let new_rs = match new_rs {
        Some(rs) => {
            // Back to an older template (a rollback): that set becomes the newest revision.
            let top = old.iter().filter_map(revision_of).max().unwrap_or(0);
            if revision_of(&rs).unwrap_or(0) < top {
                let next = (top + 1).to_string();
                c.store.modify(&Key::of(Kind::ReplicaSet, &rs), |r| {
                    meta::set_annotation(r, REVISION_ANNOTATION, &next)
                });
                c.store
                    .modify(key, |dep| meta::set_annotation(dep, REVISION_ANNOTATION, &next));
            } else if let Some(rev) =
                revision_of(&rs).filter(|r| meta::annotation(&d, REVISION_ANNOTATION) != Some(r.to_string().as_str()))
            {
                c.store.modify(key, |dep| {
                    meta::set_annotation(dep, REVISION_ANNOTATION, &rev.to_string())
                });
            }
            c.get(Kind::ReplicaSet, &ns, meta::name(&rs)).cloned().unwrap_or(rs)
        }
        None => {
            // getNewReplicaSet: `<name>-<hash>` with the hash label on the template and selector.
            let hash = rng::safe_encode(&rng::fnv32a(template.to_json().as_bytes()).to_string());
            let name = format!("{}-{hash}", key.name);
            let start = if recreate {
                0
            } else {
                (replicas + surge - old_total).clamp(0, replicas)
            };
            // The revision: one more than any of the Deployment's sets (`deployment_util.go`
            // `Revision`, `SetNewReplicaSetAnnotations`), on the set and the Deployment.
            let revision = sets.iter().filter_map(revision_of).max().unwrap_or(0) + 1;
            let mut rs = Value::map();
            rs.set("metadata.name", name.as_str());
            rs.set("metadata.namespace", &*ns);
            meta::set_annotation(&mut rs, REVISION_ANNOTATION, &revision.to_string());
            meta::set_annotation(
                &mut rs,
                "deployment.kubernetes.io/desired-replicas",
                &replicas.to_string(),
            );
            meta::set_annotation(
                &mut rs,
                "deployment.kubernetes.io/max-replicas",
                &(replicas + surge).to_string(),
            );
            c.store.modify(key, |dep| {
                meta::set_annotation(dep, REVISION_ANNOTATION, &revision.to_string())
            });
            let mut labels = template.at("metadata.labels").cloned().unwrap_or_else(Value::map);
            if let Some(m) = labels.map_mut() {
                m.insert(HASH_LABEL, Value::Str(hash.as_str().into()));
            }
            rs.set("metadata.labels", labels.clone());
            rs.set(
                "metadata.ownerReferences",
                Value::list(vec![meta::owner_reference(
                    "apps/v1",
                    "Deployment",
                    &key.name,
                    &uid,
                    true,
                )]),
            );
            rs.set("spec.replicas", start);
            rs.set("spec.minReadySeconds", int(&d, "spec.minReadySeconds", 0));
            let mut selector = d.at("spec.selector").cloned().unwrap_or_else(Value::map);
            if let Some(m) = selector.entry("matchLabels").map_mut() {
                m.insert(HASH_LABEL, Value::Str(hash.as_str().into()));
            }
            rs.set("spec.selector", selector);
            let mut t = template.clone();
            t.set("metadata.labels", labels);
            rs.set("spec.template", t);
            if apiserver::create(c, Kind::ReplicaSet, rs).is_err() {
                return;
            }
            let Some(created) = c.get(Kind::ReplicaSet, &ns, &name).cloned() else {
                return;
            };
            if start > 0 {
                c.event(
                    &d,
                    Kind::Deployment,
                    true,
                    "ScalingReplicaSet",
                    format!("Scaled up replica set {name} from 0 to {start}"),
                    DEPLOYMENT_CONTROLLER,
                );
            }
            created
        }
    };
    if recreate {
        // recreate.go: old replica sets to 0, wait for their pods to go, then the new one.
        for rs in &old {
            scale_rs(c, &d, rs, 0);
        }
        let old_pods_left = old.iter().any(|rs| !owned(c, Kind::Pod, &ns, meta::uid(rs)).is_empty());
        if !old_pods_left {
            scale_rs(c, &d, &new_rs, replicas);
        }
    } else {
        // rolling.go: scale up the new set within maxSurge, scale down old sets while enough
        // pods stay available (maxUnavailable).
        let new_spec = int(&new_rs, "spec.replicas", 0);
        let total = new_spec + old_total;
        let max_total = replicas + surge;
        let target = if new_spec > replicas {
            replicas
        } else if total >= max_total {
            new_spec
        } else {
            new_spec + (max_total - total).min(replicas - new_spec)
        };
        scale_rs(c, &d, &new_rs, target);
        let new_spec = target;
        let min_available = replicas - unavailable;
        let new_unavailable = new_spec - int(&new_rs, "status.availableReplicas", 0);
        let all = new_spec + old_total;
        let mut budget = all - min_available - new_unavailable;
        if budget > 0 {
            let available: i64 = old.iter().map(|rs| int(rs, "status.availableReplicas", 0)).sum::<i64>()
                + int(&new_rs, "status.availableReplicas", 0);
            budget = budget.min((available - min_available).max(0));
            for rs in &old {
                if budget <= 0 {
                    break;
                }
                let have = int(rs, "spec.replicas", 0);
                let down = have.min(budget);
                if down > 0 {
                    scale_rs(c, &d, rs, have - down);
                    budget -= down;
                }
            }
        }
    }
    write_deployment_status(c, key, &d, unavailable, meta::name(&new_rs));
}

fn write_deployment_status(c: &mut Cluster, key: &Key, d: &Value, max_unavailable: i64, new_rs: &str) {
    let uid = meta::uid(d).to_string();
    let sets = owned(c, Kind::ReplicaSet, &key.namespace, &uid);
    let wanted = template_sans_hash(d.at("spec.template"));
    let sum = |path: &str| sets.iter().map(|rs| int(rs, path, 0)).sum::<i64>();
    let updated = sets
        .iter()
        .filter(|rs| template_sans_hash(rs.at("spec.template")) == wanted)
        .map(|rs| int(rs, "status.replicas", 0))
        .sum::<i64>();
    let replicas = int(d, "spec.replicas", 1);
    let available = sum("status.availableReplicas");
    let mut status = Value::map();
    status.set("observedGeneration", int(d, "metadata.generation", 1));
    status.set("replicas", sum("status.replicas"));
    status.set("updatedReplicas", updated);
    status.set("readyReplicas", sum("status.readyReplicas"));
    status.set("availableReplicas", available);
    status.set("unavailableReplicas", (replicas - available).max(0));
    // The Available condition (deployment_util.go); its transition time survives re-writes.
    let ok = available >= replicas - max_unavailable;
    let mut cond = Value::map();
    cond.set("type", "Available");
    cond.set("status", if ok { "True" } else { "False" });
    cond.set(
        "reason",
        if ok {
            "MinimumReplicasAvailable"
        } else {
            "MinimumReplicasUnavailable"
        },
    );
    cond.set(
        "message",
        if ok {
            "Deployment has minimum availability."
        } else {
            "Deployment does not have minimum availability."
        },
    );
    let old_cond = d.at("status.conditions").map(Value::as_list).and_then(|l| l.first());
    let keep = old_cond.filter(|o| o.str_at("status") == cond.str_at("status"));
    let now = crate::clock::rfc3339(c.now);
    cond.set(
        "lastTransitionTime",
        keep.map_or(now.clone(), |o| o.str_at("lastTransitionTime").to_string()),
    );
    cond.set(
        "lastUpdateTime",
        keep.map_or(now, |o| o.str_at("lastUpdateTime").to_string()),
    );
    let progressing = progressing_condition(c, d, &status, new_rs);
    status.set("conditions", Value::list(vec![cond, progressing]));
    let omit = [
        "replicas",
        "updatedReplicas",
        "readyReplicas",
        "availableReplicas",
        "unavailableReplicas",
    ];
    put_status(c, key, d, status, &omit);
}

/// The Progressing condition (`progress.go` `syncRolloutStatus`, `deployment_util.go`): the
/// rollout progresses while replicas get updated, ready or available; it is complete when every
/// replica is updated and available; with no progress for `progressDeadlineSeconds` it reports
/// `ProgressDeadlineExceeded` (and stays stuck: the deadline changes nothing else).
fn progressing_condition(c: &mut Cluster, d: &Value, new: &Value, new_rs: &str) -> Value {
    let old = |f: &str| int(d, &format!("status.{f}"), 0);
    let now_ = |f: &str| int(new, f, 0);
    let replicas = int(d, "spec.replicas", 1);
    let previous = d
        .at("status.conditions")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .find(|x| x.str_at("type") == "Progressing")
        .cloned();
    let complete =
        now_("updatedReplicas") == replicas && now_("replicas") == replicas && now_("availableReplicas") == replicas;
    let progress = now_("updatedReplicas") > old("updatedReplicas")
        || now_("replicas") - now_("updatedReplicas") < old("replicas") - old("updatedReplicas")
        || now_("readyReplicas") > old("readyReplicas")
        || now_("availableReplicas") > old("availableReplicas");
    let (status, reason, message) = if complete {
        (
            "True",
            "NewReplicaSetAvailable",
            format!("ReplicaSet \"{new_rs}\" has successfully progressed."),
        )
    } else if previous
        .as_ref()
        .is_none_or(|p| !p.str_at("message").contains(&format!("\"{new_rs}\"")))
    {
        (
            "True",
            "NewReplicaSetCreated",
            format!("Created new replica set \"{new_rs}\""),
        )
    } else if progress {
        (
            "True",
            "ReplicaSetUpdated",
            format!("ReplicaSet \"{new_rs}\" is progressing."),
        )
    } else {
        let prev = previous.clone().unwrap_or_default();
        let since = crate::clock::parse_rfc3339(prev.str_at("lastUpdateTime")).unwrap_or(c.now);
        let deadline = since + u64::try_from(int(d, "spec.progressDeadlineSeconds", 600).max(0)).unwrap_or(600) * 1000;
        if c.now >= deadline {
            (
                "False",
                "ProgressDeadlineExceeded",
                format!("ReplicaSet \"{new_rs}\" has timed out progressing."),
            )
        } else {
            c.wake_periodic(deadline);
            return prev;
        }
    };
    let now = crate::clock::rfc3339(c.now);
    // Progress moves lastUpdateTime (the deadline counts from it); a repeat without progress
    // keeps the condition as it was.
    let same = previous
        .as_ref()
        .filter(|p| p.str_at("reason") == reason && p.str_at("message") == message);
    if let Some(p) = same.filter(|_| !progress) {
        return p.clone();
    }
    let mut cond = Value::map();
    cond.set("type", "Progressing");
    cond.set("status", status);
    cond.set("reason", reason);
    cond.set("message", message);
    let transition = previous
        .as_ref()
        .filter(|p| p.str_at("status") == status)
        .map_or(now.clone(), |p| p.str_at("lastTransitionTime").to_string());
    cond.set("lastTransitionTime", transition);
    cond.set("lastUpdateTime", now);
    cond
}

/// `getPodsToDelete` / `ActivePodsWithRanks`, simplified: unscheduled before scheduled, pending
/// before running, not ready before ready, then the newest first.
fn deletion_rank(p: &Value) -> (bool, u8, bool, std::cmp::Reverse<String>) {
    let phase = match pod::phase(p) {
        "Pending" => 0,
        "Unknown" => 1,
        _ => 2,
    };
    (
        !p.str_at("spec.nodeName").is_empty(),
        phase,
        pod::is_ready(p),
        std::cmp::Reverse(p.str_at("metadata.creationTimestamp").to_string() + meta::name(p)),
    )
}

fn sync_replicaset(c: &mut Cluster, key: &Key) {
    let Some(rs) = c.store.get(key).cloned() else { return };
    let uid = meta::uid(&rs).to_string();
    let ns = key.namespace.clone();
    let all = owned(c, Kind::Pod, &ns, &uid);
    let mut active: Vec<Value> = all
        .iter()
        .filter(|p| !meta::is_terminating(p) && !matches!(pod::phase(p), "Failed" | "Succeeded"))
        .cloned()
        .collect();
    let want = int(&rs, "spec.replicas", 1).max(0);
    if !meta::is_terminating(&rs) {
        let have = active.len() as i64;
        if have < want {
            for _ in have..want {
                let template = rs.at("spec.template").cloned().unwrap_or_default();
                if !create_owned_pod(c, &rs, Kind::ReplicaSet, &template, REPLICASET_CONTROLLER, |_| {}) {
                    break;
                }
            }
        } else if have > want {
            crate::sort::by_key(&mut active, deletion_rank);
            for p in active.iter().take((have - want) as usize) {
                if apiserver::delete(c, &Key::of(Kind::Pod, p), DeleteOptions::default()).is_ok() {
                    c.event(
                        &rs,
                        Kind::ReplicaSet,
                        true,
                        "SuccessfulDelete",
                        format!("Deleted pod: {}", meta::name(p)),
                        REPLICASET_CONTROLLER,
                    );
                }
            }
        }
    }
    // Status from the pods now.
    let min_ready = int(&rs, "spec.minReadySeconds", 0);
    let now = c.now;
    let pods = owned(c, Kind::Pod, &ns, &uid);
    let live: Vec<&Value> = pods
        .iter()
        .filter(|p| !meta::is_terminating(p) && !matches!(pod::phase(p), "Failed" | "Succeeded"))
        .collect();
    let selector = Selector::from_label_selector(rs.at("spec.selector").unwrap_or(&Value::Null));
    let mut status = Value::map();
    status.set("replicas", live.len() as i64);
    status.set(
        "fullyLabeledReplicas",
        live.iter().filter(|p| selector.matches_object(p)).count() as i64,
    );
    status.set("readyReplicas", live.iter().filter(|p| pod::is_ready(p)).count() as i64);
    status.set(
        "availableReplicas",
        live.iter()
            .filter(|p| pod::is_running_and_available(p, min_ready, now).0)
            .count() as i64,
    );
    status.set("observedGeneration", int(&rs, "metadata.generation", 1));
    put_status(
        c,
        key,
        &rs,
        status,
        &["fullyLabeledReplicas", "readyReplicas", "availableReplicas"],
    );
}
