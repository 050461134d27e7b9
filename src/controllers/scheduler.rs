//! The default scheduler, reduced to what StatefulSet lessons need
//! (`pkg/scheduler/schedule_one.go`, the volumebinding plugin `vb`):
//!
//! 1. take pending pods without a node, in creation order;
//! 2. filter nodes: Ready, not cordoned, NoSchedule taints tolerated, `nodeSelector` matched,
//!    fewer pods than the node's capacity, and the node in the zone of every bound volume;
//! 3. a claim that is unbound with `Immediate` binding fails the pod with the upstream
//!    "unbound immediate PersistentVolumeClaims" message; an unbound `WaitForFirstConsumer`
//!    claim gets the chosen node in `volume.kubernetes.io/selected-node` and the pod waits (the
//!    scheduler's PreBind) until the provisioner has bound it, then is bound to that node
//!    without being scheduled again (the binding cycle of the assumed pod);
//! 4. score: fewest pods of the same owner on the node, then in its zone (the default
//!    topology spreading), then fewest pods overall (least allocated), then the node name;
//! 5. bind: `spec.nodeName`, the PodScheduled condition and the `Scheduled` event.
//!
//! Failures give `FailedScheduling` with the FitError wording, at most once per pod per instant.

use std::collections::BTreeMap;

use crate::api::meta;
use crate::api::pod;
use crate::api::resources::Kind;
use crate::cluster::Cluster;
use crate::store::Key;
use crate::value::Value;

/// Source of the scheduler's events.
pub const SOURCE: &str = "default-scheduler";
/// Annotation a WaitForFirstConsumer claim gets with the node the scheduler chose.
pub const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";

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
    // Counted when a pod is first filtered (a pod waiting for its volume needs none).
    let mut placement: Option<Placement> = None;
    for p in pending {
        let key = format!("schedule/{}", meta::uid(&p));
        if !c.retry_due(&key) {
            continue;
        }
        match schedule(c, &p, &mut placement) {
            Outcome::Bound | Outcome::Waiting => c.retry_reset(&key),
            Outcome::Failed(message) => {
                // handleSchedulingFailure: the event, then updatePod's PodScheduled condition.
                c.event(&p, Kind::Pod, false, "FailedScheduling", message.clone(), SOURCE);
                let now = c.now;
                c.store.modify(&Key::of(Kind::Pod, &p), |q| {
                    pod::set_condition_reason(q, "PodScheduled", false, "Unschedulable", &message, now);
                });
                c.retry_later(&key);
            }
        }
    }
}

enum Outcome {
    Bound,
    Waiting,
    Failed(String),
}

fn fit_error(nodes: usize, reasons: &BTreeMap<String, u64>) -> String {
    let mut parts: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
    crate::sort::natural(&mut parts);
    format!(
        "0/{nodes} nodes are available: {}. {}",
        parts.join(", "),
        post_filter(nodes, "Preemption is not helpful for scheduling")
    )
}

fn prefilter_error(nodes: usize, message: &str) -> String {
    format!(
        "0/{nodes} nodes are available: {message}. {}",
        post_filter(nodes, "Preemption is not helpful for scheduling")
    )
}

/// What the PostFilter plugins add to `FitError`: in v1.34 DynamicResources is on by default
/// (DRA is GA) and says "no new claims to deallocate" for a pod without resource claims
/// (`dynamicresources.go` `PostFilter`), then DefaultPreemption says why preemption cannot
/// help. Seen on v1.34 clusters: `… had untolerated taint(s). no new claims to deallocate,
/// preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.`
fn post_filter(nodes: usize, preemption: &str) -> String {
    format!("no new claims to deallocate, preemption: 0/{nodes} nodes are available: {nodes} {preemption}.")
}

/// Where pods are, counted once per pass (so scheduling N pods costs O(N), not O(N²)). The
/// counts are keyed by text (`node`, `owner\0node`, `owner\0\0zone`): one map type the engine
/// already has, rather than nested maps (each map type is more code in the browser bundle).
struct Placement {
    counts: BTreeMap<String, u64>,
    zone_of: BTreeMap<String, String>,
}

impl Placement {
    fn of(c: &Cluster) -> Placement {
        let zone_of: BTreeMap<String, String> = c
            .store
            .list(Kind::Node, None)
            .into_iter()
            .map(|n| (meta::name(n).to_string(), zone_label(n).to_string()))
            .collect();
        let mut p = Placement {
            counts: BTreeMap::new(),
            zone_of,
        };
        for q in c.store.list(Kind::Pod, None) {
            let node = q.str_at("spec.nodeName");
            if !node.is_empty() {
                let owner = meta::controller_ref(q).map(|r| r.str_at("uid").to_string());
                p.add(node, owner.as_deref());
            }
        }
        p
    }

    fn count(&self, key: &str) -> usize {
        self.counts
            .get(key)
            .map_or(0, |n| usize::try_from(*n).unwrap_or(usize::MAX))
    }

    fn add(&mut self, node: &str, owner: Option<&str>) {
        *self.counts.entry(node.to_string()).or_default() += 1;
        if let Some(o) = owner {
            *self.counts.entry(format!("{o}\0{node}")).or_default() += 1;
            let zone = self.zone_of.get(node).map_or("", String::as_str);
            *self.counts.entry(format!("{o}\0\0{zone}")).or_default() += 1;
        }
    }

    /// A node's score, lowest best: pods of the same owner on it, then in its zone, then pods
    /// overall, then its name.
    fn score<'a>(&self, node: &'a Value, owner: Option<&str>) -> (usize, usize, usize, &'a str) {
        let name = meta::name(node);
        let (on_node, in_zone) = owner.map_or((0, 0), |o| self.of_owner(o, name, zone_label(node)));
        (on_node, in_zone, self.count(name), name)
    }

    /// Pods of `owner` on `node`, and in `zone`.
    fn of_owner(&self, owner: &str, node: &str, zone: &str) -> (usize, usize) {
        // One buffer for both keys (this runs for every node a pod could go to).
        let mut key = String::with_capacity(owner.len() + 2 + node.len().max(zone.len()));
        key.push_str(owner);
        key.push('\0');
        key.push_str(node);
        let on_node = self.count(&key);
        key.truncate(owner.len() + 1);
        key.push('\0');
        key.push_str(zone);
        (on_node, self.count(&key))
    }
}

fn schedule(c: &mut Cluster, p: &Value, placement: &mut Option<Placement>) -> Outcome {
    let ns = meta::namespace(p).to_string();
    let nodes: Vec<Value> = c.store.list(Kind::Node, None).into_iter().cloned().collect();
    let n = nodes.len();
    // Volumes: every claim must exist; note bound PVs' zones and unbound delayed claims.
    let mut zones_required: Vec<String> = Vec::new();
    let mut delayed: Vec<String> = Vec::new();
    for claim_name in pod::claim_names(p) {
        let Some(claim) = c.get(Kind::PersistentVolumeClaim, &ns, &claim_name).cloned() else {
            return Outcome::Failed(prefilter_error(
                n,
                &format!("persistentvolumeclaim \"{claim_name}\" not found"),
            ));
        };
        if meta::is_terminating(&claim) {
            return Outcome::Failed(prefilter_error(
                n,
                &format!("persistentvolumeclaim \"{claim_name}\" is being deleted"),
            ));
        }
        // VolumeRestrictions (pkg/scheduler/framework/plugins/volumerestrictions): a
        // ReadWriteOncePod claim another scheduled pod uses fails every node. The reason is
        // Unschedulable (not ...AndUnresolvable), so preemption is tried and finds no victim
        // among pods of equal priority.
        let rwop = claim
            .at("spec.accessModes")
            .map(Value::as_list)
            .unwrap_or(&[])
            .iter()
            .any(|m| m.as_str() == Some("ReadWriteOncePod"));
        if rwop
            && c.store.list(Kind::Pod, Some(&ns)).into_iter().any(|q| {
                meta::uid(q) != meta::uid(p)
                    && !q.str_at("spec.nodeName").is_empty()
                    && !matches!(pod::phase(q), "Failed" | "Succeeded")
                    && pod::claim_names(q).contains(&claim_name)
            })
        {
            return Outcome::Failed(format!(
                "0/{n} nodes are available: {n} node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode. {}",
                post_filter(n, "No preemption victims found for incoming pod")
            ));
        }
        let volume = claim.str_at("spec.volumeName").to_string();
        if claim.str_at("status.phase") == "Bound" && !volume.is_empty() {
            if let Some(zone) = c.get(Kind::PersistentVolume, "", &volume).and_then(pv_zone) {
                zones_required.push(zone);
            }
            continue;
        }
        if crate::controllers::volumes::binding_is_delayed(c, &claim) {
            delayed.push(claim_name);
        } else {
            return Outcome::Failed(prefilter_error(n, "pod has unbound immediate PersistentVolumeClaims"));
        }
    }
    // The binding cycle of a pod whose node was chosen while its volumes were provisioned
    // (VolumeBinding PreBind): once every claim is bound, the pod is bound to that node, not
    // scheduled again (schedule_one.go `bindingCycle`).
    if let Some(node) = c.volumes.assumed.get(meta::uid(p)).cloned() {
        if !delayed.is_empty() {
            return Outcome::Waiting;
        }
        c.volumes.assumed.remove(meta::uid(p));
        if c.get(Kind::Node, "", &node).is_some() {
            bind(c, p, &node);
            if let Some(placement) = placement.as_mut() {
                let owner = meta::controller_ref(p).map(|r| r.str_at("uid").to_string());
                placement.add(&node, owner.as_deref());
            }
            return Outcome::Bound;
        }
        // The node went away while the volumes were made: schedule again.
    }
    // A node already chosen for this pod's delayed claims: wait for the provisioner.
    if let Some(chosen) = delayed.iter().find_map(|claim| {
        c.get(Kind::PersistentVolumeClaim, &ns, claim)
            .and_then(|cl| meta::annotation(cl, SELECTED_NODE).map(str::to_string))
    }) {
        let all_selected = delayed.iter().all(|claim| {
            c.get(Kind::PersistentVolumeClaim, &ns, claim)
                .and_then(|cl| meta::annotation(cl, SELECTED_NODE))
                == Some(chosen.as_str())
        });
        if all_selected {
            return Outcome::Waiting;
        }
    }
    let placement = placement.get_or_insert_with(|| Placement::of(c));
    let mut reasons: BTreeMap<String, u64> = BTreeMap::new();
    let mut candidates: Vec<&Value> = Vec::new();
    for node in &nodes {
        match filter(p, node, &zones_required, placement) {
            Ok(()) => candidates.push(node),
            Err(reason) => *reasons.entry(reason).or_default() += 1,
        }
    }
    if candidates.is_empty() {
        return Outcome::Failed(fit_error(n, &reasons));
    }
    let owner = meta::controller_ref(p).map(|r| r.str_at("uid").to_string());
    let best = candidates
        .iter()
        .min_by_key(|node| placement.score(node, owner.as_deref()))
        .map(|node| meta::name(node).to_string());
    let Some(best) = best else {
        return Outcome::Waiting;
    };
    if !delayed.is_empty() {
        for claim in &delayed {
            let key = Key::new(Kind::PersistentVolumeClaim, &ns, claim);
            c.store
                .modify(&key, |cl| meta::set_annotation(cl, SELECTED_NODE, &best));
        }
        c.volumes.assumed.insert(meta::uid(p).to_string(), best);
        return Outcome::Waiting;
    }
    bind(c, p, &best);
    placement.add(&best, owner.as_deref());
    Outcome::Bound
}

/// Bind a pod to a node: the Binding subresource, the PodScheduled condition, the event.
pub fn bind(c: &mut Cluster, p: &Value, node: &str) {
    let key = Key::of(Kind::Pod, p);
    let now = c.now;
    c.store.modify(&key, |pod| {
        pod.set("spec.nodeName", node);
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

/// The node's `topology.kubernetes.io/zone` label (empty without one).
fn zone_label(node: &Value) -> &str {
    node.at("metadata.labels")
        .and_then(|l| l.get("topology.kubernetes.io/zone"))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The zone a PV is pinned to by its node affinity, if any.
pub fn pv_zone(pv: &Value) -> Option<String> {
    let terms = pv
        .at("spec.nodeAffinity.required.nodeSelectorTerms")
        .map(Value::as_list)
        .unwrap_or(&[]);
    terms.iter().find_map(|t| {
        t.get("matchExpressions")
            .map(Value::as_list)
            .unwrap_or(&[])
            .iter()
            .find_map(|e| {
                let key = e.str_at("key");
                (key.ends_with("/zone"))
                    .then(|| {
                        e.get("values")
                            .map(Value::as_list)
                            .unwrap_or(&[])
                            .first()
                            .and_then(Value::as_str)
                            .map(str::to_string)
                    })
                    .flatten()
            })
    })
}

fn tolerates(p: &Value, taint: &Value) -> bool {
    p.at("spec.tolerations")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .any(|t| pod::tolerates(t, taint))
}

fn filter(p: &Value, node: &Value, zones: &[String], placement: &Placement) -> Result<(), String> {
    let ready = crate::controllers::nodes::ready_status(node) == "True";
    // NodeUnschedulable: a cordoned node takes only pods that tolerate its taint (DaemonSet pods).
    if node.at("spec.unschedulable").and_then(Value::as_bool) == Some(true) {
        let mut taint = Value::map();
        taint.set("key", "node.kubernetes.io/unschedulable");
        taint.set("effect", "NoSchedule");
        if !tolerates(p, &taint) {
            return Err("node(s) were unschedulable".into());
        }
    }
    for taint in node.at("spec.taints").map(Value::as_list).unwrap_or(&[]) {
        let effect = taint.str_at("effect");
        // TaintToleration names no taint since v1.34 (it used to print `{key: value}`).
        if (effect == "NoSchedule" || effect == "NoExecute") && !tolerates(p, taint) {
            return Err("node(s) had untolerated taint(s)".into());
        }
    }
    if !ready {
        return Err("node(s) had untolerated taint(s)".into());
    }
    let labels = node.at("metadata.labels");
    let label = |k: &str| labels.and_then(|l| l.get(k)).and_then(Value::as_str);
    let selector = p.at("spec.nodeSelector").and_then(Value::as_map);
    if selector.is_some_and(|sel| sel.iter().any(|(k, v)| label(k) != v.as_str())) || !node_affinity_matches(p, node) {
        return Err("node(s) didn't match Pod's node affinity/selector".into());
    }
    let name = meta::name(node);
    let capacity = node
        .at("status.allocatable.pods")
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(110);
    let count = placement.count(name);
    if count >= capacity {
        return Err("Too many pods".into());
    }
    let zone = label("topology.kubernetes.io/zone").unwrap_or("");
    if zones.iter().any(|z| z != zone) {
        return Err("node(s) didn't match PersistentVolume's node affinity".into());
    }
    Ok(())
}

/// `requiredDuringSchedulingIgnoredDuringExecution` node affinity (component-helpers
/// `nodeaffinity`): the terms are ORed, the requirements of a term ANDed; `matchFields` knows
/// `metadata.name` (how a DaemonSet pins its pods), `matchExpressions` the operators In, NotIn,
/// Exists and DoesNotExist on node labels.
pub fn node_affinity_matches(p: &Value, node: &Value) -> bool {
    let Some(terms) =
        p.at("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms")
    else {
        return true;
    };
    let labels = node.at("metadata.labels");
    let requirement = |r: &Value, value: Option<&str>| {
        let values: Vec<&str> = r
            .get("values")
            .map(Value::as_list)
            .unwrap_or(&[])
            .iter()
            .filter_map(Value::as_str)
            .collect();
        match r.str_at("operator") {
            "In" => value.is_some_and(|v| values.contains(&v)),
            "NotIn" => value.is_none_or(|v| !values.contains(&v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            _ => false,
        }
    };
    terms.as_list().iter().any(|term| {
        let fields = term.get("matchFields").map(Value::as_list).unwrap_or(&[]);
        let exprs = term.get("matchExpressions").map(Value::as_list).unwrap_or(&[]);
        (!fields.is_empty() || !exprs.is_empty())
            && fields
                .iter()
                .all(|r| r.str_at("key") == "metadata.name" && requirement(r, Some(meta::name(node))))
            && exprs.iter().all(|r| {
                let value = labels.and_then(|l| l.get(r.str_at("key"))).and_then(Value::as_str);
                requirement(r, value)
            })
    })
}
