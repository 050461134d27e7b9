//! Node failure: the node lifecycle controller and the taint-based eviction controller of
//! kube-controller-manager (`pkg/controller/nodelifecycle/node_lifecycle_controller.go`,
//! `pkg/controller/tainteviction/taint_eviction.go`) and the pod garbage collector's
//! out-of-service rule (`pkg/controller/podgc/gc_controller.go`); kubernetes-semantics.md §11.
//!
//! `sim node-down NODE` stops the node's kubelet (it posts no status and runs no pod changes).
//! Then, per pass:
//! 1. after the node-monitor grace period ([`timing::NODE_MONITOR_GRACE`], 50 s since 1.32) the
//!    node's conditions (Ready and the three pressure conditions) become `Unknown`
//!    (`NodeStatusUnknown`, "Kubelet stopped posting node status."), it gets the
//!    `node.kubernetes.io/unreachable` taints (NoSchedule, and NoExecute with `timeAdded`), its
//!    pods' Ready condition goes False (`NodeNotReady` events);
//!    their container statuses are stale, so `kubectl get pods` still says Running, 1/1;
//! 2. when a pod's toleration of a NoExecute taint runs out (300 s by DefaultTolerationSeconds),
//!    it is deleted gracefully (`TaintManagerEviction`, condition `DisruptionTarget`). Its kubelet
//!    cannot confirm, so it stays Terminating; a StatefulSet does not replace it;
//! 3. with the `node.kubernetes.io/out-of-service` taint on a not-ready node, the pod GC
//!    force-deletes its terminating pods (and the attach/detach controller detaches their
//!    volumes at once, `controllers::volumes`).
//!
//! `sim node-up NODE` restarts the kubelet: it posts its conditions (Ready again), the taints
//! go, terminating pods finish, the others report Ready again.

use crate::api::meta;
use crate::api::node::{has_taint, ready_status, KUBELET_CONDITIONS, OUT_OF_SERVICE, UNREACHABLE};
use crate::api::pod;
use crate::api::resources::Kind;
use crate::apiserver::{self, DeleteOptions};
use crate::clock::{self, Millis};
use crate::store::Key;
use crate::timing;
use crate::value::Value;
use crate::world::Cluster;

/// Source of the node lifecycle controller's events.
pub const NODE_CONTROLLER: &str = "node-controller";
/// Source of the taint-based eviction controller's events (its own name since 1.29).
pub const TAINT_EVICTION: &str = "taint-eviction-controller";

pub fn reconcile(c: &mut Cluster) {
    for key in c.store.keys(Kind::Node) {
        node_health(c, &key);
    }
    taint_eviction(c);
    out_of_service_gc(c);
}

/// `tryUpdateNodeHealth` once the grace period is over: every condition the kubelet owns
/// (Ready, MemoryPressure, DiskPressure, PIDPressure) becomes Unknown, "Kubelet stopped posting
/// node status.", with the transition time now; the heartbeat stays the last one posted.
fn mark_unknown(node: &mut Value, now: Millis) {
    let Some(conditions) = node.entry("status.conditions").list_mut() else {
        return;
    };
    for cond in conditions.iter_mut() {
        let owned = KUBELET_CONDITIONS.iter().any(|(kind, ..)| *kind == cond.str_at("type"));
        if owned && cond.str_at("status") != "Unknown" {
            cond.set("status", "Unknown");
            cond.set("reason", "NodeStatusUnknown");
            cond.set("message", "Kubelet stopped posting node status.");
            cond.set("lastTransitionTime", clock::rfc3339(now));
        }
    }
}

/// The kubelet posts its conditions again: each gets a heartbeat now, and the healthy status,
/// reason and message, with the transition time now where the status changes.
fn kubelet_posts(node: &mut Value, now: Millis) {
    let Some(conditions) = node.entry("status.conditions").list_mut() else {
        return;
    };
    for (kind, status, reason, message) in KUBELET_CONDITIONS {
        let Some(cond) = conditions.iter_mut().find(|cond| cond.str_at("type") == kind) else {
            continue;
        };
        if cond.str_at("status") != status {
            cond.set("lastTransitionTime", clock::rfc3339(now));
        }
        cond.set("status", status);
        cond.set("reason", reason);
        cond.set("message", message);
        cond.set("lastHeartbeatTime", clock::rfc3339(now));
    }
}

fn node_health(c: &mut Cluster, key: &Key) {
    let Some(node) = c.store.get(key) else { return };
    let name = key.name.to_string();
    let now = c.now;
    let ready = ready_status(node).to_string();
    match c.down_nodes.get(&name).copied() {
        Some(since) => {
            let at = since + timing::NODE_MONITOR_GRACE;
            if now < at {
                c.wake_at(at);
                return;
            }
            if ready == "Unknown" {
                return;
            }
            let node = node.clone();
            c.store.modify(key, |n| {
                mark_unknown(n, now);
                let mut taints: Vec<Value> = n.at("spec.taints").map(Value::as_list).unwrap_or(&[]).to_vec();
                taints.retain(|t| t.str_at("key") != UNREACHABLE);
                for effect in ["NoSchedule", "NoExecute"] {
                    let mut t = Value::map();
                    t.set("key", UNREACHABLE);
                    t.set("effect", effect);
                    if effect == "NoExecute" {
                        t.set("timeAdded", clock::rfc3339(now));
                    }
                    taints.push(t);
                }
                n.set("spec.taints", Value::list(taints));
            });
            c.event(
                &node,
                Kind::Node,
                true,
                "NodeNotReady",
                format!("Node {name} status is now: NodeNotReady"),
                NODE_CONTROLLER,
            );
            // MarkPodsNotReady: only the Ready condition; container statuses stay as they were.
            let pods: Vec<Value> = c
                .store
                .list(Kind::Pod, None)
                .into_iter()
                .filter(|p| p.str_at("spec.nodeName") == name)
                .cloned()
                .collect();
            for p in pods {
                let pod_key = Key::of(Kind::Pod, &p);
                let changed = c.store.modify(&pod_key, |q| {
                    if pod::condition(q, "Ready").is_some() {
                        pod::set_condition(q, "Ready", false, now);
                    }
                });
                if changed {
                    c.event(
                        &p,
                        Kind::Pod,
                        false,
                        "NodeNotReady",
                        "Node is not ready".into(),
                        NODE_CONTROLLER,
                    );
                }
            }
        }
        None => {
            if ready == "Unknown" {
                // The kubelet is back: it posts Ready; the controller removes the taints.
                let node = node.clone();
                c.store.modify(key, |n| {
                    kubelet_posts(n, now);
                    let taints: Vec<Value> = n
                        .at("spec.taints")
                        .map(Value::as_list)
                        .unwrap_or(&[])
                        .iter()
                        .filter(|t| t.str_at("key") != UNREACHABLE)
                        .cloned()
                        .collect();
                    n.set_list("spec.taints", taints);
                });
                c.event(
                    &node,
                    Kind::Node,
                    true,
                    "NodeReady",
                    format!("Node {name} status is now: NodeReady"),
                    NODE_CONTROLLER,
                );
            }
        }
    }
}

/// `getMinTolerationTime` over the tolerations that match the node's NoExecute taints: Some(0)
/// when a taint is not tolerated at all, None when the pod tolerates them for ever.
fn toleration_time(p: &Value, taints: &[&Value]) -> Option<i64> {
    let tolerations = p.at("spec.tolerations").map(Value::as_list).unwrap_or(&[]);
    let mut used: Vec<&Value> = Vec::new();
    for taint in taints {
        let matching: Vec<&Value> = tolerations.iter().filter(|t| pod::tolerates(t, taint)).collect();
        if matching.is_empty() {
            return Some(0);
        }
        used.extend(matching);
    }
    used.iter()
        .filter_map(|t| t.get("tolerationSeconds").and_then(Value::as_i64))
        .map(|s| s.max(0))
        .min()
}

/// `taint_eviction.go`: pods on a node with NoExecute taints they do not tolerate (or no longer:
/// `tolerationSeconds` after the taint's `timeAdded`) are deleted.
fn taint_eviction(c: &mut Cluster) {
    let now = c.now;
    let mut evict: Vec<Value> = Vec::new();
    let mut wake: Vec<Millis> = Vec::new();
    for node in c.store.list(Kind::Node, None) {
        let taints: Vec<&Value> = node
            .at("spec.taints")
            .map(Value::as_list)
            .unwrap_or(&[])
            .iter()
            .filter(|t| t.str_at("effect") == "NoExecute")
            .collect();
        if taints.is_empty() {
            continue;
        }
        for p in c.store.list(Kind::Pod, None) {
            if p.str_at("spec.nodeName") != meta::name(node) || meta::is_terminating(p) {
                continue;
            }
            // From when the taints were added (processPodOnNode).
            let added = taints
                .iter()
                .filter_map(|t| clock::parse_rfc3339(t.str_at("timeAdded")))
                .min()
                .unwrap_or(now);
            let deadline = toleration_time(p, &taints).map(|s| added + u64::try_from(s).unwrap_or(0) * 1000);
            match deadline {
                Some(at) if at <= now => evict.push(p.clone()),
                Some(at) => wake.push(at),
                None => {}
            }
        }
    }
    // Deadlines that may not come (the pod may go first): periodic, so `sim settle` looks
    // ahead through them instead of waiting for them.
    for at in wake {
        c.wake_periodic(at);
    }
    for p in evict {
        let key = Key::of(Kind::Pod, &p);
        c.event(
            &p,
            Kind::Pod,
            true,
            "TaintManagerEviction",
            format!("Marking for deletion Pod {}/{}", meta::namespace(&p), meta::name(&p)),
            TAINT_EVICTION,
        );
        c.store.modify(&key, |q| {
            pod::set_condition(q, "DisruptionTarget", true, now);
            set_condition_reason(
                q,
                "DisruptionTarget",
                "DeletionByTaintManager",
                "Taint manager: deleting due to NoExecute taint",
            );
        });
        let _ = apiserver::delete(c, &key, DeleteOptions::default());
    }
}

/// Give the condition of `kind` a reason and message.
fn set_condition_reason(p: &mut Value, kind: &str, reason: &str, message: &str) {
    if let Some(conditions) = p.at_mut("status.conditions").and_then(Value::list_mut) {
        if let Some(cond) = conditions.iter_mut().find(|cond| cond.str_at("type") == kind) {
            cond.set("reason", reason);
            cond.set("message", message);
        }
    }
}

/// `gcTerminating` of the pod GC: terminating pods on a not-ready node with the out-of-service
/// taint are deleted at once (non-graceful node shutdown, GA 1.28).
fn out_of_service_gc(c: &mut Cluster) {
    let nodes: Vec<String> = c
        .store
        .list(Kind::Node, None)
        .into_iter()
        .filter(|n| has_taint(n, OUT_OF_SERVICE) && ready_status(n) != "True")
        .map(|n| meta::name(n).to_string())
        .collect();
    if nodes.is_empty() {
        return;
    }
    let doomed: Vec<Key> = c
        .store
        .list(Kind::Pod, None)
        .into_iter()
        .filter(|p| meta::is_terminating(p) && nodes.iter().any(|n| n == p.str_at("spec.nodeName")))
        .map(|p| Key::of(Kind::Pod, p))
        .collect();
    for key in doomed {
        let _ = apiserver::delete(
            c,
            &key,
            DeleteOptions {
                grace_seconds: Some(0),
                ..DeleteOptions::default()
            },
        );
    }
}
