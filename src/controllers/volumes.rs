//! Storage controllers: the PV controller (binder), the external provisioners modelled on AWS
//! (`ebs.csi.aws.com`, `efs.csi.aws.com`), reclaim, and the attach/detach controller.
//! Upstream: `pkg/controller/volume/persistentvolume/pv_controller.go` (`pvctl`),
//! `pkg/controller/volume/attachdetach/reconciler/reconciler.go` (`ad`); kubernetes-semantics.md §10.
//!
//! Flow for a claim, per pass:
//! 1. bound claims stay bound; a claim with `spec.volumeName` binds to that PV when it is free;
//! 2. otherwise an Available PV of the same class, with enough capacity and the access modes,
//!    binds (the smallest that fits);
//! 3. otherwise, with a class whose binding is `WaitForFirstConsumer`, wait for the scheduler's
//!    `selected-node` (event `WaitForFirstConsumer`);
//! 4. then a known provisioner creates `pvc-<claim uid>` after [`timing::PROVISION`], in the
//!    node's zone (or a zone of its choosing for `Immediate`), and the claim binds;
//! 5. no class, or a class that does not exist: the claim stays Pending with the upstream event.
//!
//! The PV controller resyncs pending claims every 15 s, so its events repeat with a count.

use crate::api::meta;
use crate::api::pod;
use crate::api::resources::Kind;
use crate::api::volumes::{csi_provisioner, pv_driver, quantity_bytes, SELECTED_NODE};
use crate::apiserver;
use crate::store::Key;
use crate::timing;
use crate::value::Value;
use crate::world::Cluster;

/// Source of the PV controller's events.
pub const PV_CONTROLLER: &str = "persistentvolume-controller";
/// Source of the attach/detach controller's events.
pub const ATTACH_DETACH: &str = "attachdetach-controller";
/// The PV controller's resync period for pending claims.
const RESYNC: u64 = 15_000;

/// The PV controller's binder and the provisioners (steps 1-5 above). It reads claims, volumes
/// and classes only (a pod reaches it through the scheduler's `selected-node` annotation on the
/// claim), so the cluster runs it only when one of those changed or one of its timers is due.
pub fn reconcile_binding(c: &mut Cluster) {
    for key in c.store.keys(Kind::PersistentVolumeClaim) {
        bind_claim(c, &key);
    }
}

/// Reclaim, attach/detach and expansion: these follow pods and nodes as well.
pub fn reconcile_volumes(c: &mut Cluster) {
    reclaim(c);
    attach_detach(c);
    for key in c.store.keys(Kind::PersistentVolumeClaim) {
        resize(c, &key);
    }
}

/// Volume expansion of a bound claim whose request grew (kubernetes-semantics.md §10.7):
/// 1. the expand controller hands it to the CSI driver's external resizer
///    (`pkg/controller/volume/expand/expand_controller.go`: `ExternalExpanding`), which starts
///    the cloud-side resize (`Resizing`, condition `Resizing`, `allocatedResourceStatuses`
///    `ControllerResizeInProgress`);
/// 2. after [`timing::VOLUME_RESIZE`] the PV has the new capacity and the claim waits for the
///    node (`FileSystemResizeRequired`, condition `FileSystemResizePending`, `NodeResizePending`);
/// 3. the kubelet of a node where the volume is attached grows the filesystem
///    (`pkg/volume/util/operationexecutor/node_expander.go`: `FileSystemResizeSuccessful` on the
///    pod and the claim) and the claim's `status.capacity` shows the new size. Modelled here
///    because it follows the claim, not a pod change. Without a pod using the claim, it stays
///    pending until one mounts it, as on a real cluster.
fn resize(c: &mut Cluster, key: &Key) {
    let Some(claim) = c.store.get(key) else { return };
    if claim.str_at("status.phase") != "Bound" || meta::is_terminating(claim) {
        return;
    }
    let requested = claim.str_at("spec.resources.requests.storage");
    let capacity = claim.str_at("status.capacity.storage");
    // The same text is the same size: decided without reading the quantities.
    if requested == capacity || quantity_bytes(requested) <= quantity_bytes(capacity) {
        return;
    }
    let requested = requested.to_string();
    let claim = claim.clone();
    let uid = meta::uid(&claim).to_string();
    let pv_name = claim.str_at("spec.volumeName").to_string();
    let Some(pv) = c.get(Kind::PersistentVolume, "", &pv_name).cloned() else {
        return;
    };
    let driver = pv_driver(&pv).to_string();
    let resizer = format!("external-resizer {driver}");
    let now = c.now;
    let stage = claim.str_at("status.allocatedResourceStatuses.storage").to_string();
    let allocated = claim.str_at("status.allocatedResources.storage") == requested;
    if !allocated || stage.is_empty() {
        c.event(
            &claim,
            Kind::PersistentVolumeClaim,
            true,
            "ExternalExpanding",
            "waiting for an external controller to expand this PVC".into(),
            "volume_expand",
        );
        c.store.modify(key, |cl| {
            cl.set("status.allocatedResources.storage", requested.as_str());
            cl.set("status.allocatedResourceStatuses.storage", "ControllerResizeInProgress");
            cl.set(
                "status.conditions",
                Value::list(vec![claim_condition("Resizing", None, now)]),
            );
        });
        controller_expand(c, &claim, &pv, &resizer);
        return;
    }
    match stage.as_str() {
        "ControllerResizeInProgress" => {
            let until = c.volumes.resizing.get(&uid).copied().unwrap_or(now);
            if now < until {
                if c.volumes.resize_failures.contains_key(&uid) {
                    c.wake_periodic(until);
                } else {
                    c.wake_at(until);
                }
                return;
            }
            if c.volumes.resize_failures.contains_key(&uid) {
                // A retry after a failed attempt.
                controller_expand(c, &claim, &pv, &resizer);
                return;
            }
            c.volumes.resizing.remove(&uid);
            c.store.modify(&Key::of(Kind::PersistentVolume, &pv), |v| {
                v.set("spec.capacity.storage", requested.as_str());
            });
            c.store.modify(key, |cl| {
                cl.set("status.allocatedResourceStatuses.storage", "NodeResizePending");
                let message = "Waiting for user to (re-)start a pod to finish file system resize of volume on node.";
                cl.set(
                    "status.conditions",
                    Value::list(vec![claim_condition("FileSystemResizePending", Some(message), now)]),
                );
            });
            c.event(
                &claim,
                Kind::PersistentVolumeClaim,
                true,
                "FileSystemResizeRequired",
                "Require file system resize of volume on node".into(),
                &resizer,
            );
            // The kubelet notices on its next sync of the volume.
            c.volumes.resizing.insert(uid, now + timing::NODE_EXPAND);
            c.wake_at(now + timing::NODE_EXPAND);
        }
        "NodeResizePending" => {
            if let Some(until) = c.volumes.resizing.get(&uid).copied() {
                if now < until {
                    c.wake_at(until);
                    return;
                }
            }
            // A running (or starting) pod on the node the volume is attached to.
            let Some((node, at)) = c.volumes.attachments.get(&pv_name).cloned() else {
                return;
            };
            if at > now {
                return;
            }
            let user = c
                .store
                .list(Kind::Pod, Some(meta::namespace(&claim)))
                .into_iter()
                .find(|p| {
                    p.str_at("spec.nodeName") == node
                        && !meta::is_terminating(p)
                        && pod::claim_names(p).iter().any(|n| n == meta::name(&claim))
                })
                .cloned();
            let Some(user) = user else { return };
            let message = format!("MountVolume.NodeExpandVolume succeeded for volume \"{pv_name}\" {node}");
            c.event(
                &user,
                Kind::Pod,
                true,
                "FileSystemResizeSuccessful",
                message.clone(),
                crate::events::KUBELET,
            );
            c.event(
                &claim,
                Kind::PersistentVolumeClaim,
                true,
                "FileSystemResizeSuccessful",
                message,
                crate::events::KUBELET,
            );
            c.volumes.resizing.remove(&uid);
            c.store.modify(key, |cl| {
                cl.set("status.capacity.storage", requested.as_str());
                cl.remove("status.allocatedResourceStatuses");
                cl.remove("status.conditions");
            });
        }
        _ => {}
    }
}

/// One attempt of the external resizer: `Resizing`, then the driver's ControllerExpandVolume.
/// EBS refuses a second modification of a volume within 6 hours: `VolumeResizeFailed` with the
/// driver's error, and a retry with back-off (the error is not "infeasible", so the claim stays
/// `ControllerResizeInProgress`, as external-resizer's `markControllerExpansionFailed` leaves
/// it). Otherwise the cloud-side resize runs for [`timing::VOLUME_RESIZE`].
fn controller_expand(c: &mut Cluster, claim: &Value, pv: &Value, resizer: &str) {
    let now = c.now;
    let uid = meta::uid(claim).to_string();
    let pv_name = meta::name(pv).to_string();
    c.event(
        claim,
        Kind::PersistentVolumeClaim,
        true,
        "Resizing",
        format!("External resizer is resizing volume {pv_name}"),
        resizer,
    );
    let ebs = pv_driver(pv) == "ebs.csi.aws.com";
    let cooling = c
        .volumes
        .modified
        .get(&pv_name)
        .is_some_and(|at| now < at.saturating_add(timing::EBS_MODIFY_COOLDOWN));
    if ebs && cooling {
        let attempts = c.volumes.resize_failures.get(&uid).copied().unwrap_or(0) + 1;
        let handle = volume_handle(pv);
        let d = crate::rng::digest(&format!("{pv_name}/{attempts}"));
        let request_id = format!(
            "{}-{}-{}-{}-{}",
            &d[0..8],
            &d[8..12],
            &d[12..16],
            &d[16..20],
            &d[20..32]
        );
        c.event(
            claim,
            Kind::PersistentVolumeClaim,
            false,
            "VolumeResizeFailed",
            format!("resize volume \"{pv_name}\" by resizer \"ebs.csi.aws.com\" failed: rpc error: code = Internal desc = Could not resize volume \"{handle}\": rpc error: code = Internal desc = Could not modify volume \"{handle}\": operation error EC2: ModifyVolume, https response error StatusCode: 400, RequestID: {request_id}, api error VolumeModificationRateExceeded: You've reached the maximum modification rate per volume limit. Wait at least 6 hours between modifications per EBS volume."),
            resizer,
        );
        let backoff = (timing::RESIZE_RETRY_START << (attempts - 1).min(16)).min(timing::RESIZE_RETRY_MAX);
        c.volumes.resize_failures.insert(uid.clone(), attempts);
        c.volumes.resizing.insert(uid, now + backoff);
        // A retry, not work known to finish: `sim settle` does not wait out the 6 hours.
        c.wake_periodic(now + backoff);
        return;
    }
    c.volumes.resize_failures.remove(&uid);
    if ebs {
        c.volumes.modified.insert(pv_name, now);
    }
    let until = now + timing::VOLUME_RESIZE;
    c.volumes.resizing.insert(uid, until);
    c.wake_at(until);
}

/// A claim condition (`PersistentVolumeClaimCondition`).
fn claim_condition(kind: &str, message: Option<&str>, now: crate::clock::Millis) -> Value {
    let mut cond = Value::map();
    cond.set("type", kind);
    cond.set("status", "True");
    cond.set("lastProbeTime", Value::Null);
    cond.set("lastTransitionTime", crate::clock::rfc3339(now));
    if let Some(m) = message {
        cond.set("message", m);
    }
    cond
}

fn access_modes(v: &Value, path: &str) -> Vec<String> {
    v.at(path)
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .filter_map(|m| m.as_str().map(str::to_string))
        .collect()
}

fn due(c: &mut Cluster, key: &str) -> bool {
    if c.retry_due(key) {
        c.retry_after.insert(key.to_string(), c.now + RESYNC);
        c.retry_delay.insert(key.to_string(), RESYNC);
        c.wake_periodic(c.now + RESYNC);
        true
    } else {
        false
    }
}

fn bind_claim(c: &mut Cluster, key: &Key) {
    // Bound and terminating claims need nothing: decide before copying.
    match c.store.get(key) {
        Some(claim) if claim.str_at("status.phase") == "Bound" => {
            claim_lost(c, key);
            return;
        }
        Some(claim) if meta::is_terminating(claim) => return,
        None => return,
        Some(_) => {}
    }
    let Some(claim) = c.store.get(key).cloned() else {
        return;
    };
    if meta::is_terminating(&claim) || claim.str_at("status.phase") == "Bound" {
        return;
    }
    let uid = meta::uid(&claim).to_string();
    // The PV controller reads the beta annotation first (GetPersistentVolumeClaimClass).
    let class_name = crate::api::claims::class(&claim).to_string();
    let has_class = crate::api::claims::has_class(&claim);
    // 1. Pre-bound to a volume by name.
    let wanted = claim.str_at("spec.volumeName").to_string();
    if !wanted.is_empty() {
        if let Some(pv) = c.get(Kind::PersistentVolume, "", &wanted).cloned() {
            let ref_uid = pv.str_at("spec.claimRef.uid");
            if pv.str_at("status.phase") == "Available"
                || ref_uid == uid
                || (ref_uid.is_empty() && pv.str_at("spec.claimRef.name") == meta::name(&claim))
            {
                bind(c, &claim, &pv);
            }
        }
        return;
    }
    // 2. A matching static PV.
    let request = quantity_bytes(claim.str_at("spec.resources.requests.storage"));
    let modes = access_modes(&claim, "spec.accessModes");
    let candidate = c
        .store
        .list(Kind::PersistentVolume, None)
        .into_iter()
        .filter(|pv| {
            pv.str_at("status.phase") == "Available"
                && pv.at("spec.claimRef").is_none_or(|r| {
                    r.str_at("name") == meta::name(&claim) && r.str_at("namespace") == meta::namespace(&claim)
                })
        })
        .filter(|pv| pv.str_at("spec.storageClassName") == class_name && !meta::is_terminating(pv))
        // FindMatchingVolume: a claim's label selector picks among the volumes' labels.
        .filter(|pv| {
            claim
                .at("spec.selector")
                .is_none_or(|sel| crate::api::selector::Selector::from_label_selector(sel).matches(&meta::labels(pv)))
        })
        .filter(|pv| quantity_bytes(pv.str_at("spec.capacity.storage")) >= request)
        .filter(|pv| {
            let pv_modes = access_modes(pv, "spec.accessModes");
            modes.iter().all(|m| pv_modes.contains(m))
        })
        .min_by_key(|pv| {
            (
                quantity_bytes(pv.str_at("spec.capacity.storage")),
                meta::name(pv).to_string(),
            )
        })
        .cloned();
    if let Some(pv) = candidate {
        bind(c, &claim, &pv);
        return;
    }
    let resync_key = format!("pvc/{uid}");
    // 5. No class at all.
    if !has_class || class_name.is_empty() {
        if has_class || apiserver::default_class(c).is_none() {
            if due(c, &resync_key) {
                c.event(
                    &claim,
                    Kind::PersistentVolumeClaim,
                    true,
                    "FailedBinding",
                    "no persistent volumes available for this claim and no storage class is set".into(),
                    PV_CONTROLLER,
                );
            }
        } else {
            // RetroactiveDefaultStorageClass (GA 1.28): a default class appeared later.
            let class = apiserver::default_class(c).unwrap_or_default();
            c.store.modify(key, |cl| cl.set("spec.storageClassName", class));
        }
        return;
    }
    let Some(class) = c.get(Kind::StorageClass, "", &class_name).cloned() else {
        if due(c, &resync_key) {
            c.event(
                &claim,
                Kind::PersistentVolumeClaim,
                false,
                "ProvisioningFailed",
                format!("storageclass.storage.k8s.io \"{class_name}\" not found"),
                PV_CONTROLLER,
            );
        }
        return;
    };
    let provisioner = csi_provisioner(class.str_at("provisioner")).to_string();
    // 3. Wait for the first consumer.
    let selected = meta::annotation(&claim, SELECTED_NODE).map(str::to_string);
    if class.str_at("volumeBindingMode") == "WaitForFirstConsumer" && selected.is_none() {
        if due(c, &resync_key) {
            c.event(
                &claim,
                Kind::PersistentVolumeClaim,
                true,
                "WaitForFirstConsumer",
                "waiting for first consumer to be created before binding".into(),
                PV_CONTROLLER,
            );
        }
        return;
    }
    // 4. Provision.
    if let Some(until) = c.volumes.provisioning.get(&uid).copied() {
        if c.now >= until {
            c.volumes.provisioning.remove(&uid);
            provisioned(c, &claim, &class, selected.as_deref());
        } else {
            c.wake_at(until);
        }
        return;
    }
    let modelled = provisioner == "ebs.csi.aws.com" || provisioner == "efs.csi.aws.com";
    if due(c, &resync_key) || modelled {
        c.event(
            &claim,
            Kind::PersistentVolumeClaim,
            true,
            "ExternalProvisioning",
            format!("Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."),
            PV_CONTROLLER,
        );
    }
    if !modelled {
        return; // No such provisioner runs in this cluster: the claim stays Pending, as it would.
    }
    if provisioner == "ebs.csi.aws.com" {
        let bad: Vec<String> = access_modes(&claim, "spec.accessModes")
            .into_iter()
            .filter(|m| m != "ReadWriteOnce" && m != "ReadWriteOncePod")
            .collect();
        if !bad.is_empty() {
            if due(c, &format!("{resync_key}/modes")) {
                c.event(
                    &claim,
                    Kind::PersistentVolumeClaim,
                    false,
                    "ProvisioningFailed",
                    format!("failed to provision volume with StorageClass \"{class_name}\": rpc error: code = InvalidArgument desc = Volume capabilities {} not supported. Only AccessModes [ReadWriteOnce ReadWriteOncePod] supported.", bad.join(" ")),
                    &provisioner_source(&provisioner),
                );
            }
            return;
        }
    }
    c.event(
        &claim,
        Kind::PersistentVolumeClaim,
        true,
        "Provisioning",
        format!(
            "External provisioner is provisioning volume for claim \"{}/{}\"",
            meta::namespace(&claim),
            meta::name(&claim)
        ),
        &provisioner_source(&provisioner),
    );
    let until = c.now + timing::PROVISION;
    c.volumes.provisioning.insert(uid, until);
    c.wake_at(until);
}

/// How an external provisioner names itself in events (`<driver>_<pod>_<id>`).
fn provisioner_source(provisioner: &str) -> String {
    match provisioner {
        "ebs.csi.aws.com" => {
            "ebs.csi.aws.com_ebs-csi-controller-7c8d5f9b6-x2x4q_0a1f3c2e-5b7d-4e8f-9a6b-2c4d6e8f0a1b".into()
        }
        "efs.csi.aws.com" => {
            "efs.csi.aws.com_efs-csi-controller-5f6b7c8d9-k4m2p_7e9d1b3f-2a4c-4d6e-8f0a-1b3c5d7e9f2a".into()
        }
        other => other.to_string(),
    }
}

/// The cloud volume a PV names (`vol-…` for EBS).
fn volume_handle(pv: &Value) -> &str {
    match pv.at("spec.awsElasticBlockStore.volumeID").and_then(Value::as_str) {
        Some(id) => id.rsplit('/').next().unwrap_or(id),
        None => pv.str_at("spec.csi.volumeHandle"),
    }
}

fn provisioned(c: &mut Cluster, claim: &Value, class: &Value, selected: Option<&str>) {
    let in_tree = class.str_at("provisioner");
    let provisioner = csi_provisioner(in_tree).to_string();
    let migrated = in_tree != provisioner;
    let name = format!("pvc-{}", meta::uid(claim));
    let zonal = provisioner == "ebs.csi.aws.com";
    let zone = if zonal {
        match selected.and_then(|n| c.get(Kind::Node, "", n)) {
            Some(node) => node
                .at("metadata.labels")
                .and_then(|l| l.get("topology.kubernetes.io/zone"))
                .and_then(Value::as_str)
                .unwrap_or("us-east-1a")
                .to_string(),
            None => immediate_zone(c, claim, class),
        }
    } else {
        String::new()
    };
    let mut pv = Value::map();
    pv.set("metadata.name", name.as_str());
    meta::set_annotation(&mut pv, "pv.kubernetes.io/provisioned-by", class.str_at("provisioner"));
    if migrated {
        meta::set_annotation(&mut pv, "pv.kubernetes.io/migrated-to", &provisioner);
    }
    meta::set_annotation(&mut pv, "volume.kubernetes.io/provisioner-deletion-secret-name", "");
    meta::set_annotation(
        &mut pv,
        "volume.kubernetes.io/provisioner-deletion-secret-namespace",
        "",
    );
    pv.set(
        "metadata.finalizers",
        Value::list(vec!["external-provisioner.volume.kubernetes.io/finalizer".into()]),
    );
    pv.set(
        "spec.accessModes",
        claim.at("spec.accessModes").cloned().unwrap_or_default(),
    );
    pv.set("spec.capacity.storage", claim.str_at("spec.resources.requests.storage"));
    pv.set("spec.csi.driver", provisioner.as_str());
    let handle = if zonal {
        format!("vol-0{:016x}", c.rng.next_u64())[..21].to_string()
    } else {
        format!("fs-0a1b2c3d4e5f67890::fsap-0{:016x}", c.rng.next_u64())
    };
    pv.set("spec.csi.volumeHandle", handle.as_str());
    pv.set("spec.csi.fsType", if zonal { "ext4" } else { "" });
    if !zonal {
        pv.remove("spec.csi.fsType");
    }
    if migrated {
        pv.remove("spec.csi");
        pv.set("spec.awsElasticBlockStore.volumeID", handle.as_str());
        pv.set("spec.awsElasticBlockStore.fsType", "ext4");
    }
    pv.set("spec.persistentVolumeReclaimPolicy", class.str_at("reclaimPolicy"));
    pv.set("spec.storageClassName", meta::name(class));
    pv.set("spec.volumeMode", claim.str_at("spec.volumeMode"));
    if zonal {
        let mut expr = Value::map();
        expr.set("key", "topology.kubernetes.io/zone");
        expr.set("operator", "In");
        expr.set("values", Value::list(vec![zone.as_str().into()]));
        let mut term = Value::map();
        term.set("matchExpressions", Value::list(vec![expr]));
        pv.set("spec.nodeAffinity.required.nodeSelectorTerms", Value::list(vec![term]));
    }
    pv.set("spec.claimRef", claim_ref(claim));
    pv.set("status.phase", "Bound");
    if apiserver::create(c, Kind::PersistentVolume, pv).is_err() {
        return;
    }
    let source = provisioner_source(&provisioner);
    c.event(
        claim,
        Kind::PersistentVolumeClaim,
        true,
        "ProvisioningSucceeded",
        format!("Successfully provisioned volume {name}"),
        &source,
    );
    if let Some(pv) = c.get(Kind::PersistentVolume, "", &name).cloned() {
        bind(c, claim, &pv);
    }
}

/// The zone of an EBS volume provisioned without a selected node (Immediate binding), as
/// external-provisioner and the EBS driver choose it:
///
/// 1. the requisite topology is the class's `allowedTopologies`, flattened to one value per key
///    (`flatten`), or else the zones of the nodes (`aggregateTopologies`; the simulated nodes'
///    `topology.kubernetes.io/zone` labels stand for the driver's topology keys on CSINodes);
///    sorted, duplicates dropped (`pkg/controller/topology.go` `GenerateAccessibilityRequirements`);
/// 2. the preferred list is that list rotated to start at `(hash + index) mod n`, where for a
///    claim named `<claim>-<set>-<ordinal>` the index is the ordinal and the hash the FNV-1 of
///    the set name (the part after the last `-` before the ordinal), so a StatefulSet's claims go
///    round the zones by ordinal and one pod's claims share a zone
///    (`getPVCNameHashAndIndexOffset`);
/// 3. the driver takes the zone of the first preferred term that names one
///    (aws-ebs-csi-driver `pickAvailabilityZone`); with none, the first zone of the region,
///    `us-east-1a` (`randomAvailabilityZone` returns the first zone DescribeAvailabilityZones
///    lists).
fn immediate_zone(c: &Cluster, claim: &Value, class: &Value) -> String {
    const ZONE_KEYS: [&str; 2] = ["topology.kubernetes.io/zone", "topology.ebs.csi.aws.com/zone"];
    let allowed = class.get("allowedTopologies").map(Value::as_list).unwrap_or(&[]);
    // A term is its segments as one text, `key \x01 value \x00` each in key order, with their
    // count first: so the natural order of (count, text) is upstream's `topologyTerm.compare`
    // (by segment count, then key, then value).
    let mut terms: Vec<(usize, String)> = if allowed.is_empty() {
        c.store
            .list(Kind::Node, None)
            .into_iter()
            .filter_map(|n| {
                n.at("metadata.labels")
                    .and_then(|l| l.get(ZONE_KEYS[0]))
                    .and_then(Value::as_str)
            })
            .map(|z| (1, format!("{}\x01{z}\x00", ZONE_KEYS[0])))
            .collect()
    } else {
        flatten_topologies(allowed)
    };
    crate::sort::natural(&mut terms);
    terms.dedup();
    let (hash, index) = claim_name_hash(meta::name(claim));
    let n = u32::try_from(terms.len()).unwrap_or(u32::MAX).max(1);
    let start = ((hash.wrapping_add(index) % n) as usize).min(terms.len());
    let zone_of = |(_, text): &(usize, String)| {
        ZONE_KEYS.iter().find_map(|key| {
            text.split('\x00')
                .find_map(|seg| seg.strip_prefix(key)?.strip_prefix('\x01').map(str::to_string))
        })
    };
    terms[start..]
        .iter()
        .chain(&terms[..start])
        .find_map(zone_of)
        .unwrap_or_else(|| "us-east-1a".to_string())
}

/// external-provisioner's `flatten`: each term's expressions ANDed, their values ORed, as
/// terms with one value per key, each sorted by key (as [`immediate_zone`] writes them).
fn flatten_topologies(allowed: &[Value]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for term in allowed {
        let mut old: Vec<Vec<String>> = Vec::new();
        for req in term.get("matchLabelExpressions").map(Value::as_list).unwrap_or(&[]) {
            let key = req.str_at("key");
            let mut new = Vec::new();
            for value in req
                .get("values")
                .map(Value::as_list)
                .unwrap_or(&[])
                .iter()
                .filter_map(Value::as_str)
            {
                let segment = format!("{key}\x01{value}\x00");
                if old.is_empty() {
                    new.push(vec![segment]);
                } else {
                    for o in &old {
                        let mut t = o.clone();
                        t.push(segment.clone());
                        new.push(t);
                    }
                }
            }
            old = new;
        }
        out.extend(old.into_iter().map(|mut t| {
            crate::sort::natural(&mut t);
            (t.len(), t.concat())
        }));
    }
    out
}

/// `getPVCNameHashAndIndexOffset`: for `<claim>-<set>-<ordinal>`, FNV-1 of `<set>` (after the
/// last `-` of what precedes the ordinal) and the ordinal; otherwise FNV-1 of the whole name, 0.
fn claim_name_hash(name: &str) -> (u32, u32) {
    if let Some((prefix, last)) = name.rsplit_once('-') {
        let ordinal = (!last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()))
            .then(|| last.parse::<u32>().ok())
            .flatten();
        if let Some(index) = ordinal {
            let set = prefix.rsplit_once('-').map_or(prefix, |(_, set)| set);
            return (crate::rng::fnv32(set.as_bytes()), index);
        }
    }
    (crate::rng::fnv32(name.as_bytes()), 0)
}

/// A PV's `spec.claimRef` to `claim`.
fn claim_ref(claim: &Value) -> Value {
    let str_value = |s: &str| Value::Str(s.into());
    let mut r = crate::value::Map::new();
    r.insert("apiVersion", str_value("v1"));
    r.insert("kind", str_value("PersistentVolumeClaim"));
    r.insert("name", str_value(meta::name(claim)));
    r.insert("namespace", str_value(meta::namespace(claim)));
    r.insert("uid", str_value(meta::uid(claim)));
    Value::from_map(r)
}

/// Bind a claim and a volume both ways (`pvctl` bind).
fn bind(c: &mut Cluster, claim: &Value, pv: &Value) {
    // A bound claim is not resynced for its pending events any more.
    c.retry_cancel(&format!("pvc/{}", meta::uid(claim)));
    let pv_key = Key::of(Kind::PersistentVolume, pv);
    let now = c.now;
    let reference = claim_ref(claim);
    c.store.modify(&pv_key, |v| {
        v.set("spec.claimRef", reference);
        set_pv_phase(v, "Bound", now);
        meta::set_annotation(v, "pv.kubernetes.io/bound-by-controller", "yes");
    });
    let claim_key = Key::of(Kind::PersistentVolumeClaim, claim);
    let pv_name = meta::name(pv);
    let capacity = pv.at("spec.capacity.storage").cloned().unwrap_or_default();
    let modes = pv.at("spec.accessModes").cloned().unwrap_or_default();
    let provisioner = meta::annotation(pv, "pv.kubernetes.io/provisioned-by").map(csi_provisioner);
    c.store.modify(&claim_key, |cl| {
        cl.set("spec.volumeName", pv_name);
        let status = cl.entry("status");
        if !matches!(status, Value::Map(_)) {
            *status = Value::map();
        }
        if let Some(status) = status.map_mut() {
            status.insert("phase", Value::Str("Bound".into()));
            let mut capacities = crate::value::Map::new();
            capacities.insert("storage", capacity);
            status.insert("capacity", Value::from_map(capacities));
            status.insert("accessModes", modes);
        }
        let mut annotations = vec![
            ("pv.kubernetes.io/bind-completed", "yes"),
            ("pv.kubernetes.io/bound-by-controller", "yes"),
        ];
        if let Some(p) = provisioner {
            annotations.push(("volume.beta.kubernetes.io/storage-provisioner", p));
            annotations.push(("volume.kubernetes.io/storage-provisioner", p));
        }
        meta::set_annotations(cl, &annotations);
    });
}

/// `syncBoundClaim` (pv_controller.go): a Bound claim whose PV no longer exists is `Lost`. If a
/// PV of that name comes back still pointing at the claim, the claim binds again (it is
/// pre-bound by `spec.volumeName`).
fn claim_lost(c: &mut Cluster, key: &Key) {
    let Some(claim) = c.store.get(key) else { return };
    let volume = claim.str_at("spec.volumeName");
    if volume.is_empty() || c.get(Kind::PersistentVolume, "", volume).is_some() {
        return;
    }
    let claim = claim.clone();
    c.event(
        &claim,
        Kind::PersistentVolumeClaim,
        false,
        "ClaimLost",
        "Bound claim has lost its PersistentVolume. Data on the volume is lost!".into(),
        PV_CONTROLLER,
    );
    c.store.modify(key, |cl| cl.set("status.phase", "Lost"));
}

/// A PV's phase change, with `status.lastPhaseTransitionTime` as the API server's status
/// strategy stamps it on every change (`pkg/registry/core/persistentvolume/strategy.go`).
fn set_pv_phase(pv: &mut Value, phase: &str, now: crate::clock::Millis) {
    if pv.str_at("status.phase") != phase {
        pv.set("status.phase", phase);
        pv.set("status.lastPhaseTransitionTime", crate::clock::rfc3339(now));
    }
}

/// Reclaim: a Bound PV whose claim is gone becomes Released; `Delete` removes it (and the cloud
/// disk with its files), `Retain` keeps it Released with its claimRef, never rebound.
///
/// Only a provisioner deletes: a PV written by hand (no `pv.kubernetes.io/provisioned-by`) with
/// `Delete` matches no deleter, so the PV controller marks it `Failed` with a `VolumeFailedDelete`
/// event (`pv_controller.go` `findDeletablePlugin` / `deleteVolumeOperation`); the disk stays. A
/// PV provisioned by a driver this cluster does not run waits, Released, for that driver.
fn reclaim(c: &mut Cluster) {
    let now = c.now;
    for key in c.store.keys(Kind::PersistentVolume) {
        let Some(pv) = c.store.get(&key).cloned() else {
            continue;
        };
        let phase = pv.str_at("status.phase");
        let claim_gone = pv.at("spec.claimRef").is_some_and(|r| {
            c.get(Kind::PersistentVolumeClaim, r.str_at("namespace"), r.str_at("name"))
                .is_none_or(|cl| meta::uid(cl) != r.str_at("uid") && !r.str_at("uid").is_empty())
        });
        if phase == "Bound" && claim_gone {
            c.store.modify(&key, |v| set_pv_phase(v, "Released", now));
            continue;
        }
        if phase == "Released"
            && pv.str_at("spec.persistentVolumeReclaimPolicy") == "Delete"
            && !c.volumes.attachments.contains_key(&*key.name)
        {
            match meta::annotation(&pv, "pv.kubernetes.io/provisioned-by") {
                Some("ebs.csi.aws.com" | "efs.csi.aws.com" | "kubernetes.io/aws-ebs") => {
                    c.store.remove(&key);
                    let prefix = crate::world::volume_file_key(&key.name, "");
                    c.volume_files.retain(|path, _| !path.starts_with(&prefix));
                }
                Some(_) => {} // an external provisioner this cluster does not run
                None => {
                    let message = format!(
                        "error getting deleter volume plugin for volume \"{}\": no deletable volume plugin matched",
                        key.name
                    );
                    c.event(
                        &pv,
                        Kind::PersistentVolume,
                        false,
                        "VolumeFailedDelete",
                        message.clone(),
                        PV_CONTROLLER,
                    );
                    c.store.modify(&key, |v| {
                        set_pv_phase(v, "Failed", now);
                        v.set("status.message", message);
                    });
                }
            }
            continue;
        }
        if phase == "Released" && pv.at("spec.claimRef").is_none() {
            c.store.modify(&key, |v| set_pv_phase(v, "Available", now));
        }
    }
}

/// Attach/detach: a scheduled pod's EBS volumes attach to its node after [`timing::ATTACH`]
/// (`SuccessfulAttachVolume`); a volume no pod on that node uses any more is detached.
fn attach_detach(c: &mut Cluster) {
    // A detach frees the volume for a pod waiting on another node: attach it in the same pass
    // (the detach is not an API change that would wake the controller again).
    if attach_detach_once(c) {
        attach_detach_once(c);
    }
}

/// One reconcile of the attach/detach controller; returns whether it detached a volume.
///
/// Decided on borrowed reads of the store (the attachments are the controller's own state),
/// then the events are recorded in the order they were found.
fn attach_detach_once(c: &mut Cluster) -> bool {
    let now = c.now;
    let mut wake: Vec<crate::clock::Millis> = Vec::new();
    // (pod, reason, message) of the events to record.
    let mut events: Vec<(Key, &'static str, String)> = Vec::new();
    let stale: Vec<String> = {
        let store = &c.store;
        let volumes = &mut c.volumes;
        // (volume, node) pairs some pod needs.
        let mut in_use: Vec<(&str, &str)> = Vec::new();
        let pods: Vec<&Value> = store
            .list(Kind::Pod, None)
            .into_iter()
            .filter(|p| !p.str_at("spec.nodeName").is_empty() && pod::claims(p).next().is_some())
            .collect();
        let volume_of = |p: &Value, claim: &str| -> Option<&str> {
            store
                .find(Kind::PersistentVolumeClaim, meta::namespace(p), claim)
                .map(|cl| cl.str_at("spec.volumeName"))
                .filter(|v| !v.is_empty())
        };
        let mut reported = String::new();
        for p in &pods {
            let node = p.str_at("spec.nodeName");
            if matches!(pod::phase(p), "Failed" | "Succeeded") {
                continue;
            }
            for claim in pod::claims(p) {
                let Some(pv_name) = volume_of(p, claim) else {
                    continue;
                };
                let attach_required = store
                    .find(Kind::PersistentVolume, "", pv_name)
                    .is_some_and(|pv| pv_driver(pv) == "ebs.csi.aws.com");
                if !attach_required {
                    continue;
                }
                in_use.push((pv_name, node));
                // What was reported, per (volume, pod uid).
                reported.clear();
                reported.push_str(pv_name);
                reported.push('\0');
                reported.push_str(meta::uid(p));
                match volumes.attachments.get(pv_name) {
                    None => {
                        let until = now + timing::ATTACH;
                        volumes
                            .attachments
                            .insert(pv_name.to_string(), (node.to_string(), until));
                        wake.push(until);
                    }
                    Some((n, at)) if n == node => {
                        if *at > now {
                            wake.push(*at);
                        } else if !volumes.attach_reported.contains(reported.as_str()) {
                            volumes.attach_reported.insert(reported.clone());
                            events.push((
                                Key::of(Kind::Pod, p),
                                "SuccessfulAttachVolume",
                                format!("AttachVolume.Attach succeeded for volume \"{pv_name}\" "),
                            ));
                        }
                    }
                    Some((attached_node, _)) => {
                        // Attached to another node: an RWO volume attaches to one node at a time.
                        if !volumes.multi_attach_reported.contains(reported.as_str()) {
                            volumes.multi_attach_reported.insert(reported.clone());
                            let message = multi_attach_error(&pods, p, pv_name, attached_node, |q| {
                                pod::claims(q).any(|n| volume_of(q, n) == Some(pv_name))
                            });
                            events.push((Key::of(Kind::Pod, p), "FailedAttachVolume", message));
                        }
                    }
                }
            }
        }
        // Forget what was reported for pods that are gone.
        let mut live: Vec<&str> = pods.iter().map(|p| meta::uid(p)).collect();
        live.sort_unstable();
        let known = |entry: &String| {
            let uid = entry.rsplit_once('\0').map_or("", |(_, uid)| uid);
            live.binary_search(&uid).is_ok()
        };
        volumes.attach_reported.retain(|e| known(e));
        volumes.multi_attach_reported.retain(|e| known(e));
        volumes
            .attachments
            .iter()
            .filter(|(pv, (node, _))| !in_use.iter().any(|(p, n)| p == *pv && n == node))
            .map(|(pv, _)| pv.clone())
            .collect()
    };
    for at in wake {
        c.wake_at(at);
    }
    for (key, reason, message) in events {
        if let Some(p) = c.store.get(&key).cloned() {
            c.event(
                &p,
                Kind::Pod,
                reason == "SuccessfulAttachVolume",
                reason,
                message,
                ATTACH_DETACH,
            );
        }
    }
    let mut detached = false;
    for pv in stale {
        // A volume on an unhealthy node is detached only after maxWaitForUnmountDuration (the
        // node may still be writing to it), or at once with the out-of-service taint
        // (attachdetach/reconciler/reconciler.go; kubernetes-semantics.md §11).
        let node = c
            .volumes
            .attachments
            .get(&pv)
            .map(|(n, _)| n.clone())
            .unwrap_or_default();
        let unhealthy = c.node_down(&node);
        let out_of_service = c
            .get(Kind::Node, "", &node)
            .is_some_and(|n| crate::api::node::has_taint(n, crate::api::node::OUT_OF_SERVICE));
        if unhealthy && !out_of_service {
            let since = *c.volumes.unused_since.entry(pv.clone()).or_insert(now);
            let at = since + timing::FORCE_DETACH;
            if now < at {
                c.wake_at(at);
                continue;
            }
        }
        c.volumes.unused_since.remove(&pv);
        c.volumes.attachments.remove(&pv);
        detached = true;
    }
    detached
}

/// `reportMultiAttachError` (pkg/controller/volume/attachdetach/reconciler/reconciler.go): who
/// else holds the volume. Pods in the waiting pod's namespace are named; others are counted.
fn multi_attach_error(
    pods: &[&Value],
    waiting: &Value,
    pv_name: &str,
    attached_node: &str,
    uses_volume: impl Fn(&Value) -> bool,
) -> String {
    let ns = meta::namespace(waiting);
    let holders: Vec<&Value> = pods
        .iter()
        .copied()
        .filter(|q| {
            q.str_at("spec.nodeName") == attached_node
                && !matches!(pod::phase(q), "Failed" | "Succeeded")
                && uses_volume(q)
        })
        .collect();
    let local: Vec<&str> = holders
        .iter()
        .filter(|q| meta::namespace(q) == ns)
        .map(|q| meta::name(q))
        .collect();
    let others = holders.len() - local.len();
    let prefix = format!("Multi-Attach error for volume \"{pv_name}\"");
    match (local.is_empty(), others) {
        (true, 0) => {
            format!("{prefix} Volume is already exclusively attached to one node and can't be attached to another")
        }
        (true, n) => format!("{prefix} Volume is already used by {n} pod(s) in different namespaces"),
        (false, 0) => format!("{prefix} Volume is already used by pod(s) {}", local.join(", ")),
        (false, n) => format!(
            "{prefix} Volume is already used by pod(s) {} and {n} pod(s) in different namespaces",
            local.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::claim_name_hash;

    #[test]
    fn statefulset_claims_go_round_the_zones() {
        // external-provisioner getPVCNameHashAndIndexOffset: www-web-N hashes "web" (FNV-1 0x46661985); over 3 zones the first
        // preferred zone is a, b, c, a, b for N = 0..4, over 2 zones b, a, b, a, b.
        let start = |name: &str, zones: u32| {
            let (hash, index) = claim_name_hash(name);
            hash.wrapping_add(index) % zones
        };
        let three: Vec<u32> = (0..5).map(|n| start(&format!("www-web-{n}"), 3)).collect();
        assert_eq!(three, [0, 1, 2, 0, 1]);
        let two: Vec<u32> = (0..5).map(|n| start(&format!("www-web-{n}"), 2)).collect();
        assert_eq!(two, [1, 0, 1, 0, 1]);
        // Two claims of one pod share the zone; a name without an ordinal hashes whole.
        assert_eq!(claim_name_hash("data-web-3"), claim_name_hash("www-web-3"));
        assert_eq!(claim_name_hash("data"), (crate::rng::fnv32(b"data"), 0));
        assert_eq!(claim_name_hash("data-+1"), (crate::rng::fnv32(b"data-+1"), 0));
    }
}
