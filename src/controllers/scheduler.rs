//! The default scheduler (`pkg/scheduler/schedule_one.go`) with the plugins of the v1.34
//! default profile that the simulator can model (`pkg/scheduler/apis/config/v1/default_plugins.go`).
//! One pass:
//!
//! 1. take the pending pods without a node, in creation order, each when its back-off is over
//!    (a node change ends every back-off: `MoveAllToActiveOrBackoffQueue` on node events);
//! 2. a pod assumed on a node while its WaitForFirstConsumer claims are provisioned waits for
//!    them, then is bound to that node without being scheduled again (the binding cycle, after
//!    VolumeBinding's PreBind);
//! 3. PreFilter (`node_affinity`, `volume_binding`): a rejection here fails every node with its
//!    message; a `metadata.name` pin leaves the other nodes out;
//! 4. Filter each node with the plugins in the profile's order, stopping at the first that
//!    rejects it (`RunFilterPlugins`): NodeUnschedulable and TaintToleration (`taints`),
//!    NodeAffinity, NodePorts (`ports`), NodeResourcesFit (`resources`), VolumeRestrictions,
//!    VolumeBinding and VolumeZone (`volume_binding`), PodTopologySpread (`spread`),
//!    InterPodAffinity (`pod_affinity`);
//! 5. no node fits: `FailedScheduling` with the FitError and the PostFilter tail (`status`), at
//!    most once per pod per back-off;
//! 6. score the feasible nodes, the weighted sum of TaintToleration (3), NodeAffinity (2),
//!    NodeResourcesFit (1), PodTopologySpread (2), InterPodAffinity (2),
//!    NodeResourcesBalancedAllocation (1) and ImageLocality (1) (`image_locality`), and take the
//!    highest; upstream breaks ties at random (`selectHost`), the simulator by node name;
//! 7. an unbound WaitForFirstConsumer claim gets the node in `volume.kubernetes.io/selected-node`
//!    and the pod is assumed there (VolumeBinding's Reserve and PreBind); otherwise bind:
//!    `spec.nodeName`, the PodScheduled condition and the `Scheduled` event.
//!
//! What the cluster holds is read once per pass into a [`snapshot::Snapshot`] and updated as
//! pods are placed, so a pass that places N pods does not cost O(N²).

pub mod image_locality;
pub mod node_affinity;
pub mod pod_affinity;
pub mod ports;
pub mod resources;
pub mod snapshot;
pub mod spread;
pub mod status;
pub mod taints;
pub mod volume_binding;

use std::collections::BTreeMap;

use self::snapshot::Snapshot;
use self::status::{Diagnosis, Rejection};
use crate::api::meta;
use crate::api::pod;
use crate::api::resources::Kind;
use crate::api::volumes::SELECTED_NODE;
use crate::store::Key;
use crate::value::Value;
use crate::world::Cluster;

/// Source of the scheduler's events.
pub const SOURCE: &str = crate::events::SCHEDULER;

pub fn reconcile(c: &mut Cluster) {
    // A node change (added, Ready again, a taint removed, uncordoned) moves the unschedulable
    // pods back to the active queue at once, without waiting out their back-off
    // (scheduling_queue.go `MoveAllToActiveOrBackoffQueue` on node events).
    let nodes = c.store.kind_version(Kind::Node);
    if c.pass_memo.get("scheduler: nodes seen").map(|m| m.0) != Some(nodes) {
        c.pass_memo.insert("scheduler: nodes seen", (nodes, 0));
        c.retry_after.retain(|k, _| !k.starts_with("schedule/"));
        c.retry_delay.retain(|k, _| !k.starts_with("schedule/"));
    }
    let mut pending: Vec<Value> = c
        .store
        .list(Kind::Pod, None)
        .into_iter()
        .filter(|p| p.str_at("spec.nodeName").is_empty() && !meta::is_terminating(p) && pod::phase(p) == "Pending")
        .cloned()
        .collect();
    // Creation order, then resourceVersion (as a number), each read once per pod.
    crate::sort::by_cached_key(&mut pending, |p| {
        (
            p.str_at("metadata.creationTimestamp").to_string(),
            p.str_at("metadata.resourceVersion").parse::<u64>().unwrap_or(0),
        )
    });
    // A pod deleted while its volumes were made leaves no assumption behind.
    if !c.volumes.assumed.is_empty() {
        let mut waiting: Vec<&str> = pending.iter().map(meta::uid).collect();
        waiting.sort_unstable();
        c.volumes
            .assumed
            .retain(|uid, _| waiting.binary_search(&uid.as_str()).is_ok());
    }
    if pending.is_empty() {
        return;
    }
    // Read when a pod is first filtered (a pod waiting for its volumes needs none).
    let mut snapshot: Option<Snapshot> = None;
    for p in pending {
        let key = format!("schedule/{}", meta::uid(&p));
        if !c.retry_due(&key) {
            continue;
        }
        let outcome = schedule(c, &p, &mut snapshot);
        match &outcome {
            Outcome::Bound | Outcome::Waiting => c.retry_reset(&key),
            Outcome::Failed(message) | Outcome::Error(message) => {
                let reason = if matches!(outcome, Outcome::Error(_)) {
                    "SchedulerError"
                } else {
                    "Unschedulable"
                };
                unschedulable(c, &p, reason, message);
                c.event(&p, Kind::Pod, false, "FailedScheduling", message.clone(), SOURCE);
                c.retry_later(&key);
            }
        }
    }
}

enum Outcome {
    Bound,
    Waiting,
    /// No node fits: the FitError.
    Failed(String),
    /// The attempt itself failed (no node at all).
    Error(String),
}

/// `helper.DefaultNormalizeScore(100, reverse)`: scale to the highest score (all stay 0 when it
/// is 0, or all become 100 when reversed); reversed, fewer is better.
fn normalize(scores: &mut [i64], reverse: bool) {
    let max = scores.iter().copied().max().unwrap_or(0);
    for s in scores.iter_mut() {
        let scaled = if max == 0 { 0 } else { 100i64.saturating_mul(*s) / max };
        *s = if reverse { 100 - scaled } else { scaled };
    }
}

fn schedule(c: &mut Cluster, p: &Value, snapshot: &mut Option<Snapshot>) -> Outcome {
    let ns = meta::namespace(p).to_string();
    let volumes = volume_binding::prefilter(c, p);
    if let Ok(v) = &volumes {
        // The binding cycle of a pod whose node was chosen while its volumes were made
        // (VolumeBinding PreBind): once every claim is bound, the pod is bound to that node,
        // not scheduled again (schedule_one.go `bindingCycle`). The snapshot counts it there
        // already.
        if let Some(node) = c.volumes.assumed.get(meta::uid(p)).cloned() {
            let reset = v
                .delayed
                .iter()
                .any(|cl| meta::annotation(cl, SELECTED_NODE) != Some(node.as_str()));
            if reset {
                // A claim lost the node it was given (deleted and made again, or its
                // provisioning failed): PreBind fails (binder.go `checkBindings`: "selectedNode
                // annotation reset"), the pod is forgotten (Unreserve) and scheduled again. The
                // binding failure's own event is not modelled. The snapshot counted the pod on
                // that node: read it again.
                c.volumes.assumed.remove(meta::uid(p));
                *snapshot = None;
            } else if !v.delayed.is_empty() {
                return Outcome::Waiting;
            } else {
                c.volumes.assumed.remove(meta::uid(p));
                if c.get(Kind::Node, "", &node).is_some() {
                    bind(c, p, &node);
                    return Outcome::Bound;
                }
                // The node went away while the volumes were made: schedule again.
            }
        }
        // A node already chosen for this pod's delayed claims: wait for the provisioner.
        let selected: Vec<Option<&str>> = v.delayed.iter().map(|cl| meta::annotation(cl, SELECTED_NODE)).collect();
        if selected
            .first()
            .is_some_and(|first| first.is_some() && selected.iter().all(|s| s == first))
        {
            return Outcome::Waiting;
        }
    }
    let nodes = c.store.list(Kind::Node, None).len();
    if nodes == 0 {
        // schedule_one.go `schedulePod`: ErrNoNodesAvailable, before any plugin runs.
        return Outcome::Error("no nodes available to schedule pods".into());
    }
    let never_preempts = p.str_at("spec.preemptionPolicy") == "Never";
    let prefilter_failure = |message: String| {
        Outcome::Failed(
            Diagnosis {
                nodes,
                filtered: Vec::new(),
                absent: Some(Rejection::unresolvable(&message)),
                prefilter: Some(message),
                never_preempts,
            }
            .message(),
        )
    };
    // PreFilter, in plugin order: NodeAffinity, then the volume plugins.
    let names = node_affinity::node_names(p);
    if names.as_ref().is_some_and(Vec::is_empty) {
        return prefilter_failure(node_affinity::CONFLICT.into());
    }
    let volumes = match volumes {
        Ok(v) => v,
        Err(message) => return prefilter_failure(message),
    };
    let snap = snapshot.get_or_insert_with(|| Snapshot::of(c));
    let request = resources::Request::of(p);
    let host_ports = ports::of(p);
    let required = node_affinity::Required::of(p);
    let namespace_labels: BTreeMap<String, String> =
        c.get(Kind::Namespace, "", &ns).map(meta::labels).unwrap_or_default();
    let terms = pod_affinity::PodTerms::of(p).merged(&c.store.list(Kind::Namespace, None));
    let spread_state = spread::prefilter(snap, p, &required);
    let affinity_state = pod_affinity::prefilter(snap, p, &terms, &namespace_labels);
    let mut filtered: Vec<Rejection> = Vec::new();
    let mut feasible: Vec<usize> = Vec::new();
    for (i, node) in snap.nodes.iter().enumerate() {
        if names
            .as_ref()
            .is_some_and(|set| set.binary_search_by(|n| n.as_str().cmp(node.name())).is_err())
        {
            continue;
        }
        let verdict = taints::filter(p, &node.node, node.ready)
            .and_then(|()| {
                if required.matches(&node.node) {
                    Ok(())
                } else {
                    Err(Rejection::unresolvable(node_affinity::REASON))
                }
            })
            .and_then(|()| ports::filter(&host_ports, &node.ports))
            .and_then(|()| resources::filter(&request, node))
            .and_then(|()| volume_binding::filter(c, &volumes, node))
            .and_then(|()| spread_state.as_ref().map_or(Ok(()), |s| spread::filter(s, node)))
            .and_then(|()| {
                affinity_state
                    .as_ref()
                    .map_or(Ok(()), |s| pod_affinity::filter(s, node))
            });
        match verdict {
            Ok(()) => feasible.push(i),
            Err(rejection) => filtered.push(rejection),
        }
    }
    if feasible.is_empty() {
        return Outcome::Failed(
            Diagnosis {
                nodes,
                filtered,
                absent: names.map(|_| Rejection::unresolvable(node_affinity::OUTSIDE_NODE_SET)),
                prefilter: None,
                never_preempts,
            }
            .message(),
        );
    }
    let best = if feasible.len() == 1 {
        feasible[0]
    } else {
        let scores = score(c, snap, p, &request, &required, &terms, &namespace_labels, &feasible);
        // The highest score; the first in name order among equals.
        let (mut best, mut top) = (feasible[0], i64::MIN);
        for (&n, s) in feasible.iter().zip(scores) {
            if s > top {
                (best, top) = (n, s);
            }
        }
        best
    };
    let best = snap.nodes[best].name().to_string();
    snap.add(p, &best);
    if !volumes.delayed.is_empty() {
        for claim in &volumes.delayed {
            let key = Key::of(Kind::PersistentVolumeClaim, claim);
            c.store
                .modify(&key, |cl| meta::set_annotation(cl, SELECTED_NODE, &best));
        }
        c.volumes.assumed.insert(meta::uid(p).to_string(), best);
        return Outcome::Waiting;
    }
    bind(c, p, &best);
    Outcome::Bound
}

/// Each feasible node's total score: every score plugin's normalized score (0–100) times its
/// weight, summed (`prioritizeNodes`). A plugin whose PreScore is Skip adds nothing.
#[allow(clippy::too_many_arguments)]
fn score(
    c: &Cluster,
    snap: &mut Snapshot,
    p: &Value,
    request: &resources::Request,
    required: &node_affinity::Required,
    terms: &pod_affinity::PodTerms,
    namespace_labels: &BTreeMap<String, String>,
    feasible: &[usize],
) -> Vec<i64> {
    let mut total = vec![0i64; feasible.len()];
    let mut add = |weight: i64, scores: Vec<i64>| {
        for (t, s) in total.iter_mut().zip(scores) {
            *t = t.saturating_add(weight.saturating_mul(s));
        }
    };
    let nodes =
        |f: &dyn Fn(&snapshot::NodeInfo) -> i64| -> Vec<i64> { feasible.iter().map(|&n| f(&snap.nodes[n])).collect() };
    let mut taint = nodes(&|n| taints::prefer_no_schedule(p, &n.node));
    normalize(&mut taint, true);
    add(3, taint);
    let preferred = node_affinity::preferred(p);
    if !preferred.is_empty() {
        let mut affinity = nodes(&|n| node_affinity::preferred_score(&preferred, &n.node));
        normalize(&mut affinity, false);
        add(2, affinity);
    }
    add(1, nodes(&|n| resources::least_allocated(request, n)));
    if !request.is_zero() {
        add(1, nodes(&|n| resources::balanced(request, n)));
    }
    if let Some(spread) = spread::score(c, snap, p, required, feasible) {
        add(2, spread);
    }
    if let Some(affinity) = pod_affinity::score(snap, p, terms, namespace_labels, feasible) {
        add(2, affinity);
    }
    add(1, image_locality::score(&snap.nodes, p, feasible));
    total
}

/// A failed attempt's mark on the pod (`handleSchedulingFailure`): PodScheduled False, reason
/// Unschedulable (SchedulerError when no node exists at all, a failure of the scheduler rather
/// than a verdict on the pod), the message the event carries; written only when it changes.
fn unschedulable(c: &mut Cluster, p: &Value, reason: &str, message: &str) {
    let unchanged = pod::condition(p, "PodScheduled").is_some_and(|cond| {
        cond.str_at("status") == "False" && cond.str_at("reason") == reason && cond.str_at("message") == message
    });
    if unchanged {
        return;
    }
    let now = c.now;
    c.store.modify(&Key::of(Kind::Pod, p), |pod| {
        pod::set_condition_reason(pod, "PodScheduled", false, reason, message, now)
    });
}

/// Bind a pod to a node: the Binding subresource (which sets PodScheduled True, without the
/// reason and message of a failed attempt), the event.
pub fn bind(c: &mut Cluster, p: &Value, node: &str) {
    let key = Key::of(Kind::Pod, p);
    let now = c.now;
    c.store.modify(&key, |pod| {
        pod.set("spec.nodeName", node);
        // A change of status drops the failed attempt's reason and message (pod::set_condition).
        pod::set_condition(pod, "PodScheduled", true, now);
    });
    let message = format!(
        "Successfully assigned {}/{} to {node}",
        meta::namespace(p),
        meta::name(p)
    );
    if let Some(bound) = c.store.get(&key).cloned() {
        c.event(&bound, Kind::Pod, true, "Scheduled", message, SOURCE);
    }
}

#[cfg(test)]
mod tests {
    use crate::console::{Console, NoFiles};

    /// Weights, skews and ports far outside what the API server accepts: validation refuses
    /// them (weights 1-100, maxSkew above 0, ports below 65536), and nothing panics on the way.
    #[test]
    fn extreme_values_schedule_without_overflow() {
        let mut console = Console::new(Box::new(NoFiles));
        for (name, sign) in [("w1", ""), ("w2", "-")] {
            let out = console.apply_manifest(&format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels:\n    app: w\nspec:\n  affinity:\n    nodeAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n      - weight: {sign}9223372036854775807\n        preference:\n          matchExpressions:\n          - {{key: kubernetes.io/hostname, operator: Exists}}\n    podAntiAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n      - weight: {sign}9223372036854775807\n        podAffinityTerm:\n          labelSelector: {{matchLabels: {{app: w}}}}\n          topologyKey: kubernetes.io/hostname\n  topologySpreadConstraints:\n  - maxSkew: {sign}9223372036854775807\n    minDomains: -5\n    topologyKey: kubernetes.io/hostname\n    whenUnsatisfiable: ScheduleAnyway\n    labelSelector: {{matchLabels: {{app: w}}}}\n  - maxSkew: {sign}9223372036854775807\n    topologyKey: topology.kubernetes.io/zone\n    whenUnsatisfiable: DoNotSchedule\n    labelSelector: {{matchLabels: {{app: w}}}}\n  containers:\n  - name: c\n    image: registry.k8s.io/nginx-slim:0.21\n    ports:\n    - containerPort: 80\n      hostPort: 99999999999\n"
            ));
            assert!(out.contains("is invalid"), "{out}");
            assert!(console.cluster.settle().is_ok());
        }
        assert!(console
            .cluster
            .store
            .list(crate::api::resources::Kind::Pod, None)
            .is_empty());
    }
}
