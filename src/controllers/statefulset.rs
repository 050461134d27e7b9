//! The StatefulSet controller (kube-controller-manager), gate-default v1.34 behaviour.
//!
//! Upstream: `pkg/controller/statefulset/stateful_set_control.go` (`updateStatefulSet`,
//! `processReplica`, `processCondemned`, rolling update), `stateful_set_utils.go` (names,
//! identity, claims, revisions), `stateful_pod_control.go` (create/delete and their events),
//! `stateful_set.go` (adoption and release). Reference: kubernetes-semantics.md §1–§7.
//!
//! One sync of one set, as a numbered flow (kubernetes-semantics.md §2.2):
//! 1. adopt orphans that match the selector and whose name parses to this set; release owned
//!    pods whose labels stop matching;
//! 2. find or create the ControllerRevision of the current template (updateRevision) and look up
//!    currentRevision;
//! 3. split the owned pods into `replicas` (ordinal in `[start, start+replicas)`) and
//!    `condemned` (outside, highest first);
//! 4. find the first unhealthy pod (lowest ordinal that is not running+available or is
//!    terminating);
//! 5. a set being deleted only gets its status written;
//! 6. process replicas in ascending ordinal (OrderedReady stops at the first that is not done);
//! 7. fix claim owner references of condemned pods for the retention policy;
//! 8. delete condemned pods, highest first (OrderedReady: one, and only when healthy or it is
//!    the first unhealthy pod);
//! 9. OnDelete stops here; 10. RollingUpdate deletes the highest-ordinal pod not at
//!    updateRevision, one at a time, waiting for each to be available again;
//! 11. write status, complete the rollout if done, trim history.
//!
//! Guarantees: never two pods of one identity (a name is only created when absent); claims
//! exist before their pod; OrderedReady never creates ordinal k while a lower ordinal is not
//! running and available.

use crate::api::meta;
use crate::api::pod;
use crate::api::resources::Kind;
use crate::api::selector::Selector;
use crate::apiserver::{self, DeleteOptions};
use std::rc::Rc;

use crate::clock::Millis;
use crate::rng;
use crate::store::{Facts, Key};
use crate::value::{Map, Value};
use crate::world::Cluster;

/// Source component of this controller's events.
pub const SOURCE: &str = "statefulset-controller";

/// Label with the pod's name (`apps/v1` StatefulSetPodNameLabel).
pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
/// Label with the pod's ordinal (PodIndexLabel, GA in 1.32).
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";
/// Label with the pod's ControllerRevision name.
pub const REVISION_LABEL: &str = "controller-revision-hash";
/// Label on ControllerRevisions with the template hash.
pub const HASH_LABEL: &str = "controller.kubernetes.io/hash";

/// Run one sync of every StatefulSet.
pub fn reconcile(c: &mut Cluster) {
    for key in c.store.keys(Kind::StatefulSet) {
        // After a failed sync the key waits out its back-off (`AddRateLimited`), but a watch
        // event on the set or its pods, claims or revisions enqueues it at once (`queue.Add`),
        // as in stateful_set.go: only "nothing changed since the failure" waits.
        let failed = c.sync_failed.get(&key).map(|m| m.0);
        let retry_key = || format!("statefulset/{}/{}", key.namespace, key.name);
        if failed.is_some_and(|at| at == watched_version(c)) && !c.retry_due(&retry_key()) {
            continue;
        }
        match sync(c, &key) {
            Ok(()) => {
                if failed.is_some() {
                    c.retry_reset(&retry_key());
                    c.sync_failed.remove(&key);
                }
            }
            Err(()) => {
                c.retry_later(&retry_key());
                let after = watched_version(c);
                c.sync_failed.insert(key.clone(), (after, c.now));
            }
        }
    }
}

/// The controller's name for its own timers.
pub const CONTROLLER: &str = "statefulset";

/// The last change to anything the sync reads: the sets and their revisions; of pods, their
/// metadata and their [`Facts`] (phase, readiness, termination, revision); of claims, their
/// [`Facts`] (owner references, deletion) and whether they exist. A pod's node, its container
/// statuses or a claim's binding and annotations change no decision of this controller, so they
/// do not wake it.
fn watched_version(c: &Cluster) -> u64 {
    let s = &c.store;
    [
        s.kind_version(Kind::StatefulSet),
        s.kind_version(Kind::ControllerRevision),
        s.meta_version(Kind::Pod),
        s.facts_version(Kind::Pod),
        s.facts_version(Kind::PersistentVolumeClaim),
    ]
    .into_iter()
    .max()
    .unwrap_or(0)
}

/// `(.*)-([0-9]+)$` of `stateful_set_utils.go`: the parent name and ordinal of a pod name.
pub fn parent_and_ordinal(pod_name: &str) -> Option<(&str, i64)> {
    let (parent, ordinal) = pod_name.rsplit_once('-')?;
    if ordinal.is_empty() || !ordinal.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((parent, ordinal.parse().ok()?))
}

/// `getPersistentVolumeClaimName`: `<template>-<set>-<ordinal>` (no `pvc-` prefix: that is
/// the PV's name).
pub fn claim_name(template: &str, set: &str, ordinal: i64) -> String {
    format!("{template}-{set}-{ordinal}")
}

/// The view of a StatefulSet's spec the controller needs.
struct SetView {
    name: String,
    namespace: String,
    uid: String,
    replicas: i64,
    start: i64,
    parallel: bool,
    on_delete: bool,
    /// `spec.updateStrategy.rollingUpdate` is present (None means nil, as upstream).
    partition: Option<i64>,
    min_ready_seconds: i64,
    service_name: String,
    history_limit: i64,
    when_deleted_delete: bool,
    when_scaled_delete: bool,
    claim_templates: Vec<Value>,
    selector: Selector,
    terminating: bool,
    status_current_replicas: i64,
    status_current_revision: String,
    collision_count: i64,
}

impl SetView {
    fn of(set: &Value) -> SetView {
        let spec = set.get("spec").cloned().unwrap_or_default();
        let rolling = spec.at("updateStrategy.rollingUpdate");
        SetView {
            name: meta::name(set).to_string(),
            namespace: meta::namespace(set).to_string(),
            uid: meta::uid(set).to_string(),
            replicas: spec.get("replicas").and_then(Value::as_i64).unwrap_or(1).max(0),
            start: spec.at("ordinals.start").and_then(Value::as_i64).unwrap_or(0).max(0),
            parallel: spec.str_at("podManagementPolicy") == "Parallel",
            on_delete: spec.str_at("updateStrategy.type") == "OnDelete",
            partition: rolling
                .filter(|r| !r.is_null())
                .map(|r| r.get("partition").and_then(Value::as_i64).unwrap_or(0).max(0)),
            min_ready_seconds: spec.get("minReadySeconds").and_then(Value::as_i64).unwrap_or(0).max(0),
            service_name: spec.str_at("serviceName").to_string(),
            history_limit: spec
                .get("revisionHistoryLimit")
                .and_then(Value::as_i64)
                .unwrap_or(10)
                .max(0),
            when_deleted_delete: spec.str_at("persistentVolumeClaimRetentionPolicy.whenDeleted") == "Delete",
            when_scaled_delete: spec.str_at("persistentVolumeClaimRetentionPolicy.whenScaled") == "Delete",
            claim_templates: spec
                .get("volumeClaimTemplates")
                .map(Value::as_list)
                .unwrap_or(&[])
                .to_vec(),
            selector: Selector::from_label_selector(spec.get("selector").unwrap_or(&Value::Null)),
            terminating: meta::is_terminating(set),
            status_current_replicas: set.at("status.currentReplicas").and_then(Value::as_i64).unwrap_or(0),
            status_current_revision: set.str_at("status.currentRevision").to_string(),
            collision_count: set.at("status.collisionCount").and_then(Value::as_i64).unwrap_or(0),
        }
    }
}

/// An owned pod as the sync sees it: the object and its cached [`Facts`].
#[derive(Clone)]
struct PodRef {
    obj: Value,
    facts: Rc<Facts>,
}

impl PodRef {
    fn terminating(&self) -> bool {
        self.facts.terminating
    }

    fn availability(&self, v: &SetView, now: Millis) -> (bool, Option<Millis>) {
        self.facts.availability(v.min_ready_seconds, now)
    }

    fn name(&self) -> &str {
        meta::name(&self.obj)
    }
}

/// A pod slot in the sync: an existing pod, or one to create at a revision.
#[derive(Clone)]
enum Slot {
    Existing(PodRef),
    New { revision: String },
}

fn sync(c: &mut Cluster, key: &Key) -> Result<(), ()> {
    // Level-triggered, but not wasteful: if no object changed since this set's last sync at
    // this same instant, the sync would do the same nothing again.
    let memo_key = key.clone();
    // Time matters only through the controller's own requeues (minReadySeconds, back-off).
    let due = c.owned_due(CONTROLLER);
    let stamp = (watched_version(c), due);
    if c.sync_memo.get(&memo_key) == Some(&stamp) {
        return Ok(());
    }
    let result = sync_now(c, key);
    // Remember only a sync that changed nothing: after its own changes the controller syncs
    // again, as its watch would make it.
    if watched_version(c) == stamp.0 {
        c.sync_memo.insert(memo_key, stamp);
    } else {
        c.sync_memo.remove(&memo_key);
    }
    result
}

fn sync_now(c: &mut Cluster, key: &Key) -> Result<(), ()> {
    let Some(set) = c.store.get(key).cloned() else {
        return Ok(());
    };
    let v = SetView::of(&set);

    // A set being deleted (foreground) only has its status written (`ctrl` step 5); it makes
    // no new revisions and adopts nothing, so the garbage collector can finish.
    if v.terminating {
        let current = v.status_current_revision.clone();
        let update = set.str_at("status.updateRevision").to_string();
        write_status(c, key, &v, &current, &update);
        return Ok(());
    }
    // 1. Adoption and release (stateful_set.go getPodsForStatefulSet / ClaimPods).
    adopt_and_release(c, &set, &v);
    let pods: Vec<PodRef> = owned_pods(c, &v);

    // 2. Revisions.
    let (current_rev, update_rev) = match revisions(c, &set, &v) {
        Some(r) => r,
        None => return Err(()),
    };

    // 3. Replicas and condemned.
    // One slot per ordinal of the range, in ordinal order. Two names can parse to one ordinal
    // (`web-1`, `web-01`): the later pod wins, as upstream's `replicas[ord] = pod` does.
    let count = usize::try_from(v.replicas.min(100_000)).unwrap_or(0);
    let mut slots: Vec<Option<Slot>> = (0..count).map(|_| None).collect();
    let mut condemned: Vec<PodRef> = Vec::new();
    for p in &pods {
        let Some((_, ord)) = parent_and_ordinal(p.name()) else {
            continue;
        };
        match usize::try_from(ord - v.start).ok().filter(|i| *i < count) {
            Some(i) => slots[i] = Some(Slot::Existing(p.clone())),
            None => condemned.push(p.clone()),
        }
    }
    let replicas: Vec<(i64, Slot)> = slots
        .into_iter()
        .zip(v.start..)
        .map(|(slot, ord)| {
            let slot = slot.unwrap_or_else(|| Slot::New {
                revision: new_pod_revision(&v, ord, &current_rev, &update_rev),
            });
            (ord, slot)
        })
        .collect();
    crate::sort::by_cached_key(&mut condemned, |p| {
        std::cmp::Reverse(parent_and_ordinal(p.name()).map_or(0, |(_, o)| o))
    });

    // 4. The first unhealthy pod (lowest ordinal).
    let now = c.now;
    let healthy = |p: &PodRef| !p.terminating() && p.availability(&v, now).0;
    let mut first_unhealthy: Option<String> = None;
    let mut lowest = i64::MAX;
    for (ord, slot) in &replicas {
        let unhealthy = match slot {
            Slot::Existing(p) => !healthy(p),
            Slot::New { .. } => true,
        };
        if unhealthy && *ord < lowest {
            lowest = *ord;
            first_unhealthy = Some(format!("{}-{ord}", v.name));
        }
    }
    for p in condemned.iter().rev() {
        let ord = parent_and_ordinal(p.name()).map_or(i64::MAX, |(_, o)| o);
        if !healthy(p) && ord < lowest {
            lowest = ord;
            first_unhealthy = Some(p.name().to_string());
        }
    }

    // 5. A set being deleted only gets its status updated.
    let mut failed = false;
    if !v.terminating {
        failed = !process(
            c,
            &set,
            &v,
            &replicas,
            &condemned,
            first_unhealthy.as_deref(),
            &current_rev,
            &update_rev,
        );
    }

    // 11. Status and history.
    write_status(c, key, &v, &current_rev, &update_rev);
    trim_history(c, &v);
    if failed {
        Err(())
    } else {
        Ok(())
    }
}

/// Steps 6–10; returns false when a create or delete failed (the sync is retried with back-off).
#[allow(clippy::too_many_arguments)]
fn process(
    c: &mut Cluster,
    set: &Value,
    v: &SetView,
    replicas: &[(i64, Slot)],
    condemned: &[PodRef],
    first_unhealthy: Option<&str>,
    current_rev: &str,
    update_rev: &str,
) -> bool {
    let monotonic = !v.parallel;
    let now = c.now;
    // The claim owner references every live pod's claims should carry (they do not depend on
    // the pod): built once, not once per pod.
    let wanted_live = wanted_claim_refs(v, None);

    // 6. Replicas, ascending.
    for (ord, slot) in replicas {
        match slot {
            Slot::New { revision } => {
                if stale_claims(c, v, *ord) {
                    return true; // wait for the garbage collector (podctl PodClaimIsStale)
                }
                if !create_pod(c, set, v, *ord, revision) {
                    return false;
                }
                if monotonic {
                    return true;
                }
            }
            Slot::Existing(pr) => {
                let p = &pr.obj;
                let phase = pod::phase(p);
                if phase == "Failed" || phase == "Succeeded" {
                    // Deleted now; recreated on a later sync once the old object is gone.
                    if !pr.terminating() {
                        delete_pod(c, v, p);
                    }
                    if monotonic {
                        return true;
                    }
                    continue;
                }
                if phase == "Pending" {
                    // processReplica: createMissingPersistentVolumeClaims, then
                    // UpdatePodClaimForRetentionPolicy, on every sync of a Pending pod.
                    recreate_missing_claims(c, set, v, *ord);
                    warn_conflicting_controllers(c, set, v, p);
                }
                if pr.terminating() && monotonic {
                    return true;
                }
                let (available, at) = pr.availability(v, now);
                if let Some(at) = at {
                    c.wake_at(at);
                }
                if !available && monotonic {
                    return true;
                }
                if !pr.terminating() {
                    repair_identity(c, set, v, p);
                    fix_claim_refs(c, set, v, p, &wanted_live);
                }
            }
        }
    }

    // 7. Claim owner references of condemned pods, before they are deleted.
    for p in condemned {
        fix_claim_refs(c, set, v, &p.obj, &wanted_claim_refs(v, Some(&p.obj)));
    }

    // 8. Condemned pods, highest ordinal first.
    for p in condemned {
        if p.terminating() {
            if monotonic {
                return true;
            }
            continue;
        }
        let (available, at) = p.availability(v, now);
        if let Some(at) = at {
            c.wake_at(at);
        }
        if !available && monotonic && Some(p.name()) != first_unhealthy {
            return true;
        }
        delete_pod(c, v, &p.obj);
        if monotonic {
            return true;
        }
    }

    // 9. OnDelete: pods change only when someone deletes them.
    if v.on_delete {
        return true;
    }

    // 10. Rolling update, highest ordinal first, one at a time.
    let update_min = v.start + v.partition.unwrap_or(0);
    let _ = current_rev;
    for (ord, slot) in replicas.iter().rev() {
        if *ord < update_min {
            break;
        }
        let Slot::Existing(p) = slot else { return true };
        if &*p.facts.revision != update_rev && !p.terminating() {
            delete_pod(c, v, &p.obj);
            return true;
        }
        let (available, at) = p.availability(v, now);
        if let Some(at) = at {
            c.wake_at(at);
        }
        if !available || p.terminating() {
            return true;
        }
    }
    true
}

/// `newVersionedStatefulSetPod`: which revision a (re)created pod gets (kubernetes-semantics.md §3.7).
fn new_pod_revision(v: &SetView, ordinal: i64, current: &str, update: &str) -> String {
    let old = if v.on_delete {
        false
    } else {
        match v.partition {
            None => ordinal < v.start + v.status_current_replicas,
            Some(partition) => ordinal < v.start + partition,
        }
    };
    if old { current } else { update }.to_string()
}

fn owned_pods(c: &Cluster, v: &SetView) -> Vec<PodRef> {
    c.store
        .list_facts(Kind::Pod, Some(&v.namespace))
        .filter(|(_, f)| *f.controller_uid == *v.uid)
        .map(|(p, f)| PodRef {
            obj: p.clone(),
            facts: f.clone(),
        })
        .collect()
}

fn adopt_and_release(c: &mut Cluster, set: &Value, v: &SetView) {
    // Decide on borrowed pods; change only the few that need it.
    let mut release = Vec::new();
    let mut adopt = Vec::new();
    for (p, f) in c.store.list_facts(Kind::Pod, Some(&v.namespace)) {
        let owned = *f.controller_uid == *v.uid;
        if !owned && !f.controller_uid.is_empty() {
            continue;
        }
        let matches = !v.selector.is_empty() && v.selector.matches_object(p);
        if owned && !matches {
            release.push(Key::of(Kind::Pod, p));
        } else if !owned
            && matches
            && !f.terminating
            && parent_and_ordinal(meta::name(p)).is_some_and(|(parent, _)| parent == v.name)
        {
            adopt.push(Key::of(Kind::Pod, p));
        }
    }
    for key in release {
        c.store.modify(&key, |pod| {
            let refs: Vec<Value> = meta::owner_refs(pod)
                .iter()
                .filter(|r| r.str_at("uid") != v.uid)
                .cloned()
                .collect();
            set_owner_refs(pod, refs);
        });
    }
    for key in adopt {
        c.store.modify(&key, |pod| {
            let mut refs = meta::owner_refs(pod).to_vec();
            refs.push(meta::owner_reference(
                "apps/v1",
                "StatefulSet",
                meta::name(set),
                &v.uid,
                true,
            ));
            set_owner_refs(pod, refs);
        });
    }
}

fn set_owner_refs(obj: &mut Value, refs: Vec<Value>) {
    obj.set_list("metadata.ownerReferences", refs);
}

/// The template as a ControllerRevision stores it: a patch that replaces `spec.template`.
fn revision_data(set: &Value) -> Value {
    let mut template = set.at("spec.template").cloned().unwrap_or_else(Value::map);
    template.set("$patch", "replace");
    let mut data = Value::map();
    data.set("spec.template", template);
    data
}

/// The pod template stored in a revision.
fn revision_template(rev: &Value) -> Value {
    let mut t = rev.at("data.spec.template").cloned().unwrap_or_else(Value::map);
    t.remove("$patch");
    t
}

/// Step 2: `getStatefulSetRevisions` + `nextRevision`: returns (currentRevision, updateRevision).
fn revisions(c: &mut Cluster, set: &Value, v: &SetView) -> Option<(String, String)> {
    // The update revision depends only on the template: reuse it while the generation holds.
    let generation = set.at("metadata.generation").and_then(Value::as_i64).unwrap_or(0);
    if let Some((name, g)) = c.revision_memo.get(&v.uid).cloned() {
        let g = i64::try_from(g).unwrap_or(-1);
        if g == generation && c.get(Kind::ControllerRevision, &v.namespace, &name).is_some() {
            return Some((current_revision(c, v, &name), name));
        }
    }
    let result = compute_revisions(c, set, v)?;
    c.revision_memo.insert(
        v.uid.clone(),
        (result.1.clone(), u64::try_from(generation).unwrap_or(u64::MAX)),
    );
    Some(result)
}

fn compute_revisions(c: &mut Cluster, set: &Value, v: &SetView) -> Option<(String, String)> {
    let mut revs: Vec<Value> = c
        .store
        .list(Kind::ControllerRevision, Some(&v.namespace))
        .into_iter()
        .filter(|r| meta::is_controlled_by(r, &v.uid))
        .cloned()
        .collect();
    crate::sort::by_key(&mut revs, |r| r.get("revision").and_then(Value::as_i64).unwrap_or(0));
    let max = revs
        .last()
        .and_then(|r| r.get("revision").and_then(Value::as_i64))
        .unwrap_or(0);
    let data = revision_data(set);
    let update_name = if let Some(equal) = revs.iter().rev().find(|r| r.get("data") == Some(&data)) {
        let name = meta::name(equal).to_string();
        // Going back to an older template reuses its revision with a new number (rollback).
        if equal.get("revision").and_then(Value::as_i64) != Some(max) {
            let key = Key::of(Kind::ControllerRevision, equal);
            c.store.modify(&key, |r| r.set("revision", max + 1));
        }
        name
    } else {
        let mut collision = v.collision_count;
        loop {
            let mut bytes = data.to_json().into_bytes();
            if collision > 0 {
                bytes.extend_from_slice(collision.to_string().as_bytes());
            }
            let hash = rng::safe_encode(&rng::fnv32a(&bytes).to_string());
            let name = format!("{}-{hash}", v.name);
            match c.get(Kind::ControllerRevision, &v.namespace, &name) {
                Some(existing) if existing.get("data") != Some(&data) && collision < 10 => {
                    collision += 1;
                    let key = Key::of(Kind::StatefulSet, set);
                    c.store.modify(&key, |s| s.set("status.collisionCount", collision));
                    continue;
                }
                Some(_) => break name,
                None => {
                    let mut rev = Value::map();
                    rev.set("metadata.name", name.as_str());
                    rev.set("metadata.namespace", v.namespace.as_str());
                    let mut labels = set.string_map("spec.template.metadata.labels");
                    labels.insert(HASH_LABEL.to_string(), hash.clone());
                    rev.set("metadata.labels", Value::from(labels));
                    rev.set("metadata.ownerReferences", owned_by_set(v));
                    rev.set("data", data.clone());
                    rev.set("revision", max + 1);
                    let now = c.now;
                    if c.store.create(Kind::ControllerRevision, rev, now, &mut c.rng).is_err() {
                        return None;
                    }
                    break name;
                }
            }
        }
    };
    Some((current_revision(c, v, &update_name), update_name))
}

/// `status.currentRevision` while that revision exists, else the update revision.
fn current_revision(c: &Cluster, v: &SetView, update: &str) -> String {
    let current = &v.status_current_revision;
    if !current.is_empty() && c.get(Kind::ControllerRevision, &v.namespace, current).is_some() {
        current.clone()
    } else {
        update.to_string()
    }
}

/// The owner references of an object the set controls (`metav1.NewControllerRef(set)`).
fn owned_by_set(v: &SetView) -> Value {
    Value::list(vec![meta::owner_reference(
        "apps/v1",
        "StatefulSet",
        &v.name,
        &v.uid,
        true,
    )])
}

/// `newStatefulSetPod` + `initIdentity` + `updateStorage`: the pod for an ordinal at a revision.
fn build_pod(c: &Cluster, set: &Value, v: &SetView, ordinal: i64, revision: &str) -> Value {
    let template = c
        .get(Kind::ControllerRevision, &v.namespace, revision)
        .map(revision_template)
        .unwrap_or_else(|| set.at("spec.template").cloned().unwrap_or_default());
    let name = format!("{}-{ordinal}", v.name);
    let mut p = Value::map();
    if let Some(m) = template.get("metadata").and_then(Value::as_map) {
        for field in ["labels", "annotations", "finalizers"] {
            if let Some(x) = m.get(field) {
                p.set(&format!("metadata.{field}"), x.clone());
            }
        }
    }
    p.set("metadata.name", name.as_str());
    p.set("metadata.namespace", v.namespace.as_str());
    meta::set_label(&mut p, REVISION_LABEL, revision);
    meta::set_label(&mut p, POD_NAME_LABEL, &name);
    meta::set_label(&mut p, POD_INDEX_LABEL, &ordinal.to_string());
    p.set("metadata.ownerReferences", owned_by_set(v));
    p.set("spec", template.get("spec").cloned().unwrap_or_else(Value::map));
    p.set("spec.hostname", name.as_str());
    if v.service_name.is_empty() {
        p.remove("spec.subdomain");
    } else {
        p.set("spec.subdomain", v.service_name.as_str());
    }
    // updateStorage: one volume per claim template first (upstream walks a map of the claims;
    // here in template order), then the template's volumes not named as a claim.
    let mut volumes: Vec<Value> = Vec::new();
    for t in &v.claim_templates {
        let tname = t.str_at("metadata.name");
        let mut vol = Value::map();
        vol.set("name", tname);
        vol.set("persistentVolumeClaim.claimName", claim_name(tname, &v.name, ordinal));
        volumes.push(vol);
    }
    let claimed = |vol: &Value| {
        v.claim_templates
            .iter()
            .any(|t| t.str_at("metadata.name") == vol.str_at("name"))
    };
    volumes.extend(
        p.at("spec.volumes")
            .map(Value::as_list)
            .unwrap_or(&[])
            .iter()
            .filter(|vol| !claimed(vol))
            .cloned(),
    );
    if !volumes.is_empty() {
        p.set("spec.volumes", Value::list(volumes));
    }
    p
}

/// The claims of an ordinal, as `getPersistentVolumeClaims` builds them.
fn build_claims(set: &Value, v: &SetView, ordinal: i64) -> Vec<Value> {
    let selector_labels = set.string_map("spec.selector.matchLabels");
    v.claim_templates
        .iter()
        .map(|t| {
            let mut claim = Value::map();
            let name = claim_name(t.str_at("metadata.name"), &v.name, ordinal);
            claim.set("metadata.name", name.as_str());
            claim.set("metadata.namespace", v.namespace.as_str());
            let mut labels = t.string_map("metadata.labels");
            labels.extend(selector_labels.clone());
            if !labels.is_empty() {
                claim.set("metadata.labels", Value::from(labels));
            }
            if let Some(a) = t.at("metadata.annotations") {
                claim.set("metadata.annotations", a.clone());
            }
            claim.set("spec", t.get("spec").cloned().unwrap_or_else(Value::map));
            claim.remove("status");
            if v.when_deleted_delete {
                claim.set("metadata.ownerReferences", owned_by_set(v));
            }
            claim
        })
        .collect()
}

/// `CreateStatefulPod`: claims first, then the pod; events as `recordClaimEvent` /
/// `recordPodEvent` word them. Returns false on failure.
fn create_pod(c: &mut Cluster, set: &Value, v: &SetView, ordinal: i64, revision: &str) -> bool {
    let pod_name = format!("{}-{ordinal}", v.name);
    if let Err(err) = create_claims(c, set, v, ordinal) {
        let message = format!("create Pod {pod_name} in StatefulSet {} failed error: {err}", v.name);
        c.event(set, Kind::StatefulSet, false, "FailedCreate", message, SOURCE);
        return false;
    }
    let p = build_pod(c, set, v, ordinal, revision);
    match apiserver::create(c, Kind::Pod, p) {
        Ok(key) => {
            // UpdatePodClaimForRetentionPolicy runs right after the create.
            if let Some(pod) = c.store.get(&key).cloned() {
                warn_conflicting_controllers(c, set, v, &pod);
            }
            let message = format!("create Pod {pod_name} in StatefulSet {} successful", v.name);
            c.event(set, Kind::StatefulSet, true, "SuccessfulCreate", message, SOURCE);
            true
        }
        // A released pod keeps the name: the create fails and is swallowed without an event.
        Err(crate::store::ApiError::AlreadyExists { .. }) => true,
        Err(err) => {
            let message = format!("create Pod {pod_name} in StatefulSet {} failed error: {err}", v.name);
            c.event(set, Kind::StatefulSet, false, "FailedCreate", message, SOURCE);
            false
        }
    }
}

/// `createPersistentVolumeClaims`: create missing claims, reuse existing ones as they are.
fn create_claims(c: &mut Cluster, set: &Value, v: &SetView, ordinal: i64) -> Result<(), String> {
    let pod_name = format!("{}-{ordinal}", v.name);
    for claim in build_claims(set, v, ordinal) {
        let name = meta::name(&claim).to_string();
        match c.get(Kind::PersistentVolumeClaim, &v.namespace, &name) {
            Some(existing) if meta::is_terminating(existing) => {
                return Err(format!("pvc {name} is being deleted"));
            }
            Some(_) => {} // reused as-is (podctl: "TODO: Check resource requirements and accessmodes")
            None => match apiserver::create(c, Kind::PersistentVolumeClaim, claim) {
                Ok(_) => {
                    let message = format!("create Claim {name} Pod {pod_name} in StatefulSet {} success", v.name);
                    c.event(set, Kind::StatefulSet, true, "SuccessfulCreate", message, SOURCE);
                }
                Err(err) => {
                    let message = format!(
                        "create Claim {name} for Pod {pod_name} in StatefulSet {} failed error: {err}",
                        v.name
                    );
                    c.event(set, Kind::StatefulSet, false, "FailedCreate", message, SOURCE);
                    return Err(format!("failed to create PVC {name}: {err}"));
                }
            },
        }
    }
    Ok(())
}

/// `createMissingPersistentVolumeClaims` for a Pending pod whose claim was deleted.
fn recreate_missing_claims(c: &mut Cluster, set: &Value, v: &SetView, ordinal: i64) {
    // Decided on the names alone: building the claims is for when one is missing.
    let missing = v.claim_templates.iter().any(|t| {
        let name = claim_name(t.str_at("metadata.name"), &v.name, ordinal);
        c.get(Kind::PersistentVolumeClaim, &v.namespace, &name).is_none()
    });
    if missing {
        let _ = create_claims(c, set, v, ordinal);
    }
}

/// `PodClaimIsStale`: a claim still owned by an earlier incarnation of this ordinal's pod
/// (whenScaled=Delete) holds the new pod back until the garbage collector removes it.
fn stale_claims(c: &Cluster, v: &SetView, ordinal: i64) -> bool {
    v.claim_templates.iter().any(|t| {
        let name = claim_name(t.str_at("metadata.name"), &v.name, ordinal);
        c.get(Kind::PersistentVolumeClaim, &v.namespace, &name)
            .is_some_and(|claim| meta::owner_refs(claim).iter().any(|r| r.str_at("kind") == "Pod"))
    })
}

fn delete_pod(c: &mut Cluster, v: &SetView, p: &Value) {
    let key = Key::of(Kind::Pod, p);
    if apiserver::delete(c, &key, DeleteOptions::default()).is_ok() {
        let message = format!("delete Pod {} in StatefulSet {} successful", meta::name(p), v.name);
        if let Some(set) = c.get(Kind::StatefulSet, &v.namespace, &v.name).cloned() {
            c.event(&set, Kind::StatefulSet, true, "SuccessfulDelete", message, SOURCE);
        }
    }
}

/// `identityMatches` / `updateIdentity`: restore the identity labels if someone changed them.
fn repair_identity(c: &mut Cluster, set: &Value, v: &SetView, p: &Value) {
    let name = meta::name(p).to_string();
    let ordinal = parent_and_ordinal(&name).map_or(0, |(_, o)| o).to_string();
    let label = |key: &str| p.at("metadata.labels").and_then(|l| l.get(key)).and_then(Value::as_str);
    let hostname_ok = p.str_at("spec.hostname") == name;
    if label(POD_NAME_LABEL) == Some(name.as_str()) && label(POD_INDEX_LABEL) == Some(ordinal.as_str()) && hostname_ok {
        return;
    }
    let key = Key::of(Kind::Pod, p);
    c.store.modify(&key, |pod| {
        meta::set_label(pod, POD_NAME_LABEL, &name);
        meta::set_label(pod, POD_INDEX_LABEL, &ordinal);
    });
    let message = format!("update Pod {name} in StatefulSet {} successful", v.name);
    c.event(set, Kind::StatefulSet, true, "SuccessfulUpdate", message, SOURCE);
}

/// The owner references a claim should carry under the retention policy (kubernetes-semantics.md §4 table),
/// for a live pod's claims (`condemned` None) or a condemned pod's.
fn wanted_claim_refs(v: &SetView, condemned: Option<&Value>) -> Vec<Value> {
    let mut refs = Vec::new();
    if let Some(p) = condemned.filter(|_| v.when_scaled_delete) {
        refs.push(meta::owner_reference("v1", "Pod", meta::name(p), meta::uid(p), true));
    } else if v.when_deleted_delete {
        refs.push(meta::owner_reference("apps/v1", "StatefulSet", &v.name, &v.uid, true));
    }
    refs
}

/// `ClaimsMatchRetentionPolicy` / `UpdatePodClaimForRetentionPolicy`.
fn fix_claim_refs(c: &mut Cluster, set: &Value, v: &SetView, p: &Value, wanted: &[Value]) {
    let Some((_, ordinal)) = parent_and_ordinal(meta::name(p)) else {
        return;
    };
    for t in &v.claim_templates {
        let name = claim_name(t.str_at("metadata.name"), &v.name, ordinal);
        let Some(claim) = c.get(Kind::PersistentVolumeClaim, &v.namespace, &name) else {
            continue;
        };
        let current = meta::owner_refs(claim);
        if current == wanted {
            continue; // the common case, decided without a copy
        }
        let claim = claim.clone();
        let current = current.to_vec();
        // Keep references to anything that is neither this set nor one of its pods.
        let ours = |r: &Value| {
            r.str_at("uid") == v.uid
                || (r.str_at("kind") == "Pod"
                    && parent_and_ordinal(r.str_at("name")).is_some_and(|(parent, _)| parent == v.name))
        };
        if unexpected_controller(v, &claim, p) {
            // isClaimOwnerUpToDate: with another controller the claim is left alone, unless this
            // set or pod owns it too; then UpdatePodClaimForRetentionPolicy warns and scrubs
            // our references, adding none.
            if !current.iter().any(ours) {
                continue;
            }
            conflicting_controller_event(c, set, &name);
            let next: Vec<Value> = current.iter().filter(|r| !ours(r)).cloned().collect();
            let key = Key::of(Kind::PersistentVolumeClaim, &claim);
            c.store.modify(&key, |cl| set_owner_refs(cl, next));
            continue;
        }
        let mut next: Vec<Value> = current.iter().filter(|r| !ours(r)).cloned().collect();
        next.extend(wanted.iter().cloned());
        if next != current {
            let key = Key::of(Kind::PersistentVolumeClaim, &claim);
            c.store.modify(&key, |cl| set_owner_refs(cl, next));
        }
    }
}

/// `hasUnexpectedController` (stateful_set_utils.go): under a retention policy other than
/// Retain/Retain, a claim of `pod` whose owner references name this set or this pod with
/// another uid, or name any other controller.
fn unexpected_controller(v: &SetView, claim: &Value, pod: &Value) -> bool {
    if !v.when_deleted_delete && !v.when_scaled_delete {
        return false;
    }
    meta::owner_refs(claim).iter().any(|r| {
        let (kind, name, uid) = (r.str_at("kind"), r.str_at("name"), r.str_at("uid"));
        if kind == "StatefulSet" && name == v.name {
            uid != v.uid
        } else if kind == "Pod" && name == meta::name(pod) {
            uid != meta::uid(pod)
        } else {
            r.get("controller").and_then(Value::as_bool) == Some(true)
        }
    })
}

/// The warning `UpdatePodClaimForRetentionPolicy` records on the set (the typo is upstream's).
fn conflicting_controller_event(c: &mut Cluster, set: &Value, claim: &str) {
    let message = format!("PersistentVolumeClaim {claim} has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim");
    c.event(set, Kind::StatefulSet, false, "ConflictingController", message, SOURCE);
}

/// The ConflictingController warning of `UpdatePodClaimForRetentionPolicy`, for each claim of
/// `pod` another controller owns: it runs after every pod create and on every sync of a
/// Pending pod (stateful_pod_control.go `CreateStatefulPod`, `createMissingPersistentVolumeClaims`).
fn warn_conflicting_controllers(c: &mut Cluster, set: &Value, v: &SetView, pod: &Value) {
    let Some((_, ordinal)) = parent_and_ordinal(meta::name(pod)) else {
        return;
    };
    for t in &v.claim_templates {
        let name = claim_name(t.str_at("metadata.name"), &v.name, ordinal);
        if c.get(Kind::PersistentVolumeClaim, &v.namespace, &name)
            .is_some_and(|claim| unexpected_controller(v, claim, pod))
        {
            conflicting_controller_event(c, set, &name);
        }
    }
}

/// Step 11: status as `updateStatus` and `completeRollingUpdate` compute it (kubernetes-semantics.md §7.1).
fn write_status(c: &mut Cluster, key: &Key, v: &SetView, current_rev: &str, update_rev: &str) {
    let now = c.now;
    let mut replicas = 0i64;
    let (mut ready, mut available, mut current, mut updated) = (0i64, 0i64, 0i64, 0i64);
    for (_, f) in c.store.list_facts(Kind::Pod, Some(&v.namespace)) {
        if *f.controller_uid != *v.uid {
            continue;
        }
        replicas += 1;
        if f.running_and_ready {
            ready += 1;
        }
        if f.availability(v.min_ready_seconds, now).0 {
            available += 1;
        }
        if !f.terminating {
            if &*f.revision == current_rev {
                current += 1;
            }
            if &*f.revision == update_rev {
                updated += 1;
            }
        }
    }
    let mut current_rev = current_rev.to_string();
    let rolling = !v.on_delete;
    if rolling && updated == replicas && ready == replicas {
        current = updated;
        current_rev = update_rev.to_string();
    }
    let Some(set) = c.store.get(key) else { return };
    let generation = set.at("metadata.generation").and_then(Value::as_i64).unwrap_or(1);
    // The common case, nothing changed, decided without building the status.
    let int = |f: &str, n: i64| set.at(f).and_then(Value::as_i64).unwrap_or(0) == n;
    let unchanged = set.get("status").and_then(Value::as_map).is_some_and(|m| {
        m.len()
            == 5 + [generation, ready, current, updated]
                .iter()
                .filter(|n| **n != 0)
                .count()
    }) && int("status.observedGeneration", generation)
        && int("status.replicas", replicas)
        && int("status.readyReplicas", ready)
        && int("status.availableReplicas", available)
        && int("status.currentReplicas", current)
        && int("status.updatedReplicas", updated)
        && int("status.collisionCount", v.collision_count)
        && set.str_at("status.currentRevision") == current_rev
        && set.str_at("status.updateRevision") == update_rev;
    if unchanged {
        return;
    }
    let mut status = Map::new();
    status.insert("observedGeneration", Value::Int(generation));
    status.insert("replicas", Value::Int(replicas));
    status.insert("readyReplicas", Value::Int(ready));
    status.insert("availableReplicas", Value::Int(available));
    status.insert("currentReplicas", Value::Int(current));
    status.insert("updatedReplicas", Value::Int(updated));
    status.insert("currentRevision", Value::Str(current_rev.into()));
    status.insert("updateRevision", Value::Str(update_rev.into()));
    status.insert("collisionCount", Value::Int(v.collision_count));
    // apps/v1 StatefulSetStatus: these counts are `omitempty`; replicas, availableReplicas and
    // the collisionCount pointer are always written.
    for field in [
        "observedGeneration",
        "readyReplicas",
        "currentReplicas",
        "updatedReplicas",
    ] {
        if status.get(field) == Some(&Value::Int(0)) {
            status.remove(field);
        }
    }
    let status = Value::from_map(status);
    if set.get("status") != Some(&status) {
        c.store.modify(key, |s| s.set("status", status));
    }
}

/// `truncateHistory`: keep at most `revisionHistoryLimit` revisions that no pod uses and that
/// are neither current nor update; delete the oldest first.
fn trim_history(c: &mut Cluster, v: &SetView) {
    let Some(set) = c.get(Kind::StatefulSet, &v.namespace, &v.name) else {
        return;
    };
    let current = set.str_at("status.currentRevision").to_string();
    let update = set.str_at("status.updateRevision").to_string();
    let mut live: Vec<&str> = c
        .store
        .list_facts(Kind::Pod, Some(&v.namespace))
        .filter(|(_, f)| *f.controller_uid == *v.uid)
        .map(|(_, f)| &*f.revision)
        .collect();
    live.sort_unstable();
    let history: Vec<(i64, Key)> = c
        .store
        .list(Kind::ControllerRevision, Some(&v.namespace))
        .into_iter()
        .filter(|r| meta::is_controlled_by(r, &v.uid))
        .filter(|r| {
            let n = meta::name(r);
            n != current && n != update && live.binary_search(&n).is_err()
        })
        .map(|r| {
            (
                r.get("revision").and_then(Value::as_i64).unwrap_or(0),
                Key::of(Kind::ControllerRevision, r),
            )
        })
        .collect();
    let mut history = history;
    crate::sort::natural(&mut history);
    let excess = history
        .len()
        .saturating_sub(usize::try_from(v.history_limit).unwrap_or(usize::MAX));
    for (_, key) in history.into_iter().take(excess) {
        c.store.remove(&key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ordinals() {
        assert_eq!(parent_and_ordinal("web-0"), Some(("web", 0)));
        assert_eq!(parent_and_ordinal("my-web-12"), Some(("my-web", 12)));
        assert_eq!(parent_and_ordinal("web"), None);
        assert_eq!(parent_and_ordinal("web-x"), None);
        assert_eq!(claim_name("www", "web", 0), "www-web-0");
    }
}
