//! The volume plugins, in the default profile's order: VolumeRestrictions
//! (`pkg/scheduler/framework/plugins/volumerestrictions/volume_restrictions.go`: ReadWriteOncePod),
//! VolumeBinding (`volumebinding/volume_binding.go` over `volumebinding/binder.go`) and
//! VolumeZone (`volumezone/volume_zone.go`).

use super::node_affinity::NodeSelector;
use super::snapshot::NodeInfo;
use super::status::Rejection;
use crate::api::meta;
use crate::api::pod;
use crate::api::resources::Kind;
use crate::api::volumes::SELECTED_NODE;
use crate::value::Value;
use crate::world::Cluster;

/// `ErrReasonReadWriteOncePodConflict`.
pub const RWOP: &str = "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode";
/// `ErrReasonNodeConflict`.
pub const NODE_CONFLICT: &str = "node(s) didn't match PersistentVolume's node affinity";
/// `ErrReasonBindConflict`.
pub const BIND_CONFLICT: &str = "node(s) didn't find available persistent volumes to bind";
/// `ErrReasonPVNotExist`.
pub const PV_NOT_EXIST: &str = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
/// VolumeZone's `ErrReasonConflict`.
pub const ZONE_CONFLICT: &str = "node(s) had no available volume zone";

/// A pod's claims as the PreFilters sorted them.
#[derive(Default)]
pub struct Volumes {
    /// The PV of each bound claim (None: it does not exist).
    bound: Vec<Option<Value>>,
    /// Unbound claims whose class waits for the first consumer.
    pub delayed: Vec<Value>,
    /// Another scheduled pod uses one of the pod's ReadWriteOncePod claims.
    rwop_conflict: bool,
}

/// The PreFilters: VolumeRestrictions reads every claim (`persistentvolumeclaim "x" not
/// found`) and counts the ReadWriteOncePod claims other scheduled pods use; VolumeBinding
/// refuses a claim being deleted and an unbound claim whose class binds at once (`pod has
/// unbound immediate PersistentVolumeClaims`). All are UnschedulableAndUnresolvable.
pub fn prefilter(c: &Cluster, p: &Value) -> Result<Volumes, String> {
    let ns = meta::namespace(p);
    let mut claims: Vec<&Value> = Vec::new();
    for name in pod::claims(p) {
        match c.get(Kind::PersistentVolumeClaim, ns, name) {
            Some(claim) => claims.push(claim),
            None => return Err(format!("persistentvolumeclaim \"{name}\" not found")),
        }
    }
    let mut v = Volumes::default();
    let rwop: Vec<&str> = claims
        .iter()
        .filter(|cl| {
            cl.at("spec.accessModes")
                .map(Value::as_list)
                .unwrap_or(&[])
                .iter()
                .any(|m| m.as_str() == Some("ReadWriteOncePod"))
        })
        .map(|cl| meta::name(cl))
        .collect();
    if !rwop.is_empty() {
        v.rwop_conflict = c.store.list(Kind::Pod, Some(ns)).into_iter().any(|q| {
            meta::uid(q) != meta::uid(p)
                && !q.str_at("spec.nodeName").is_empty()
                && !matches!(pod::phase(q), "Failed" | "Succeeded")
                && pod::claims(q).any(|n| rwop.contains(&n))
        });
    }
    if let Some(claim) = claims.iter().find(|cl| meta::is_terminating(cl)) {
        return Err(format!(
            "persistentvolumeclaim \"{}\" is being deleted",
            meta::name(claim)
        ));
    }
    let mut immediate = false;
    for claim in claims {
        let volume = claim.str_at("spec.volumeName");
        if claim.str_at("status.phase") == "Bound" && !volume.is_empty() {
            v.bound.push(c.get(Kind::PersistentVolume, "", volume).cloned());
        } else if volume.is_empty()
            && crate::api::volumes::delayed_binding(c.get(Kind::StorageClass, "", crate::api::claims::class(claim)))
        {
            v.delayed.push(claim.clone());
        } else {
            immediate = true;
        }
    }
    if immediate {
        return Err("pod has unbound immediate PersistentVolumeClaims".into());
    }
    Ok(v)
}

/// `v1helper.MatchTopologySelectorTerms`: no terms match every node; otherwise some term with
/// expressions has every key on the node with one of its values.
pub fn allowed_topologies_match(class: &Value, labels: Option<&Value>) -> bool {
    let terms = class.get("allowedTopologies").map(Value::as_list).unwrap_or(&[]);
    terms.is_empty()
        || terms.iter().any(|t| {
            let exprs = t.get("matchLabelExpressions").map(Value::as_list).unwrap_or(&[]);
            !exprs.is_empty()
                && exprs.iter().all(|e| {
                    let values = e.get("values").map(Value::as_list).unwrap_or(&[]);
                    let label = labels.and_then(|l| l.get(e.str_at("key"))).and_then(Value::as_str);
                    label.is_some_and(|l| values.iter().any(|v| v.as_str() == Some(l)))
                })
        })
}

/// The Filters on one node, in plugin order.
///
/// 1. VolumeRestrictions: a ReadWriteOncePod conflict rejects every node (Unschedulable).
/// 2. VolumeBinding (`FindPodVolumes`), UnschedulableAndUnresolvable with its reasons in this
///    order: a bound PV whose node affinity the node's labels do not match; an unbound delayed
///    claim that was given another node, or that would be provisioned by no provisioner
///    (`kubernetes.io/no-provisioner`) or by a class whose `allowedTopologies` the node does not
///    match (`checkVolumeProvisions`); a bound PV that does not exist. (Matching static PVs for
///    a delayed claim, `findMatchingVolumes`, is not modelled: the simulated PV controller binds
///    a matching PV before any pod is scheduled. Storage capacity is not modelled either.)
/// 3. VolumeZone: a bound PV labelled with a zone or region the node is not in.
pub fn filter(c: &Cluster, v: &Volumes, node: &NodeInfo) -> Result<(), Rejection> {
    if v.rwop_conflict {
        return Err(Rejection::unschedulable(RWOP));
    }
    let labels = node.labels();
    let (mut bound_ok, mut found) = (true, true);
    for pv in &v.bound {
        match pv {
            None => {
                found = false;
                break;
            }
            Some(pv) => {
                let terms = pv.at("spec.nodeAffinity.required");
                if terms.is_some_and(|t| {
                    !NodeSelector::parse(t.get("nodeSelectorTerms").unwrap_or(&Value::Null)).matches_labels(labels)
                }) {
                    bound_ok = false;
                    break;
                }
            }
        }
    }
    let selected_elsewhere = v
        .delayed
        .iter()
        .any(|cl| meta::annotation(cl, SELECTED_NODE).is_some_and(|n| n != node.name()));
    let provisionable = || {
        v.delayed.iter().all(|cl| {
            let class = c.get(Kind::StorageClass, "", cl.str_at("spec.storageClassName"));
            class.is_some_and(|class| {
                let provisioner = class.str_at("provisioner");
                !provisioner.is_empty()
                    && provisioner != "kubernetes.io/no-provisioner"
                    && allowed_topologies_match(class, labels)
            })
        })
    };
    let unbound_ok = !selected_elsewhere && provisionable();
    let mut reasons: Vec<String> = Vec::new();
    for (ok, reason) in [
        (bound_ok, NODE_CONFLICT),
        (unbound_ok, BIND_CONFLICT),
        (found, PV_NOT_EXIST),
    ] {
        if !ok {
            reasons.push(reason.to_string());
        }
    }
    if !reasons.is_empty() {
        return Err(Rejection {
            unresolvable: true,
            reasons,
        });
    }
    zone(v, node)
}

/// VolumeZone: the zone and region labels of the bound PVs (a value may list several,
/// separated by `__`) against the node's (a beta label on the PV is compared with the node's GA
/// label when the node has no beta one). A node without any of these labels passes.
fn zone(v: &Volumes, node: &NodeInfo) -> Result<(), Rejection> {
    const KEYS: [(&str, &str); 4] = [
        ("failure-domain.beta.kubernetes.io/zone", "topology.kubernetes.io/zone"),
        (
            "failure-domain.beta.kubernetes.io/region",
            "topology.kubernetes.io/region",
        ),
        ("topology.kubernetes.io/zone", "topology.kubernetes.io/zone"),
        ("topology.kubernetes.io/region", "topology.kubernetes.io/region"),
    ];
    if KEYS.iter().all(|(k, _)| node.label(k).is_none()) {
        return Ok(());
    }
    for pv in v.bound.iter().flatten() {
        for (key, ga) in KEYS {
            let Some(wanted) = pv
                .at("metadata.labels")
                .and_then(|l| l.get(key))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let have = node.label(key).or_else(|| node.label(ga));
            if !have.is_some_and(|h| wanted.split("__").any(|w| w == h)) {
                return Err(Rejection::unresolvable(ZONE_CONFLICT));
            }
        }
    }
    Ok(())
}
