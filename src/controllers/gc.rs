//! The garbage collector and the protection controllers
//! (`pkg/controller/garbagecollector/`, `pkg/controller/volume/pvcprotection/`):
//!
//! 1. an object whose owners (by uid) are all gone is deleted (background propagation);
//! 2. an owner in foreground deletion has its blocking dependents deleted; once none is left
//!    its `foregroundDeletion` finalizer is removed and it goes;
//! 3. a claim being deleted loses `kubernetes.io/pvc-protection` once no pod uses it;
//! 4. a PV being deleted loses `kubernetes.io/pv-protection` once no claim is bound to it, and
//!    the external provisioner's finalizer after the disk is deleted.

use crate::api::meta;
use crate::api::pod;
use crate::api::resources::Kind;
use crate::apiserver::{self, DeleteOptions, FOREGROUND, PVC_PROTECTION, PV_PROTECTION};
use crate::store::Key;
use crate::value::Value;
use crate::world::Cluster;

const OWNED_KINDS: [Kind; 5] = [
    Kind::Pod,
    Kind::PersistentVolumeClaim,
    Kind::ControllerRevision,
    Kind::Endpoints,
    Kind::ReplicaSet,
];
const OWNER_KINDS: [Kind; 5] = [
    Kind::StatefulSet,
    Kind::Pod,
    Kind::Deployment,
    Kind::ReplicaSet,
    Kind::DaemonSet,
];

pub fn reconcile(c: &mut Cluster) {
    // Decided on borrowed reads first (no object changes while the store is read), then acted on.
    let (doomed, finalize) = owners_and_dependents(c);
    for key in doomed {
        let _ = apiserver::delete(c, &key, DeleteOptions::default());
    }
    for key in finalize {
        apiserver::remove_finalizer(c, &key, FOREGROUND);
    }
    protection(c);
}

/// Steps 1 and 2: the dependents to delete, and the owners in foreground deletion that no
/// dependent blocks any more.
fn owners_and_dependents(c: &Cluster) -> (Vec<Key>, Vec<Key>) {
    // Every live uid (sorted, for bisection), and the owners in foreground deletion.
    let mut live: Vec<&str> = Vec::new();
    let mut foreground: Vec<(&str, Key)> = Vec::new();
    for kind in OWNER_KINDS {
        for (obj, facts) in c.store.list_facts(kind, None) {
            live.push(meta::uid(obj));
            if facts.terminating && meta::has_finalizer(obj, FOREGROUND) {
                foreground.push((meta::uid(obj), Key::of(kind, obj)));
            }
        }
    }
    live.sort_unstable();
    let mut blocking: Vec<&str> = Vec::new();
    let mut doomed: Vec<Key> = Vec::new();
    for kind in OWNED_KINDS {
        for (obj, facts) in c.store.list_facts(kind, None) {
            let refs = meta::owner_refs(obj);
            if refs.is_empty() {
                continue;
            }
            let owners_gone = refs.iter().all(|r| live.binary_search(&r.str_at("uid")).is_err());
            let owner_in_foreground = refs
                .iter()
                .find(|r| foreground.iter().any(|(uid, _)| *uid == r.str_at("uid")));
            if let Some(r) = owner_in_foreground {
                if r.get("blockOwnerDeletion").and_then(Value::as_bool) == Some(true) {
                    blocking.push(r.str_at("uid"));
                }
            }
            if (owners_gone || owner_in_foreground.is_some()) && !facts.terminating {
                doomed.push(Key::of(kind, obj));
            }
        }
    }
    // In uid order, as before (the order shows in resourceVersions).
    crate::sort::by(&mut foreground, &|a, b| a.0.cmp(b.0));
    let finalize = foreground
        .into_iter()
        .filter(|(uid, _)| !blocking.contains(uid))
        .map(|(_, key)| key)
        .collect();
    (doomed, finalize)
}

/// Steps 3 and 4: pvc-protection and pv-protection.
fn protection(c: &mut Cluster) {
    // A terminating claim goes when no pod uses it (most passes have none: decided first).
    // pvc_protection_controller.go `podUsesPVC`: only a pod bound to a node counts (the kubelet
    // sees only those, and refuses to start a pod whose claim is being deleted); a Succeeded or
    // Failed pod that still exists counts, as upstream (kubernetes#123320 was not merged).
    let claims: Vec<Key> = c
        .store
        .list_facts(Kind::PersistentVolumeClaim, None)
        .filter(|(_, facts)| facts.terminating)
        .map(|(claim, _)| Key::of(Kind::PersistentVolumeClaim, claim))
        .collect();
    let unused: Vec<Key> = claims
        .into_iter()
        .filter(|key| {
            !c.store
                .list(Kind::Pod, Some(&key.namespace))
                .into_iter()
                .any(|p| !p.str_at("spec.nodeName").is_empty() && pod::uses_claim(p, &key.name))
        })
        .collect();
    for key in unused {
        apiserver::remove_finalizer(c, &key, PVC_PROTECTION);
    }
    let pvs: Vec<Key> = c
        .store
        .list_facts(Kind::PersistentVolume, None)
        .filter(|(pv, facts)| facts.terminating && pv.str_at("status.phase") != "Bound")
        .map(|(pv, _)| Key::of(Kind::PersistentVolume, pv))
        .collect();
    for key in pvs {
        apiserver::remove_finalizer(c, &key, PV_PROTECTION);
        apiserver::remove_finalizer(c, &key, "external-provisioner.volume.kubernetes.io/finalizer");
    }
}
