//! The garbage collector and the protection controllers
//! (`pkg/controller/garbagecollector/`, `pkg/controller/volume/pvcprotection/`):
//!
//! 1. an object whose owners (by uid) are all gone is deleted (background propagation);
//! 2. an owner in foreground deletion has its blocking dependents deleted; once none is left
//!    its `foregroundDeletion` finalizer is removed and it goes;
//! 3. a claim being deleted loses `kubernetes.io/pvc-protection` once no pod uses it;
//! 4. a PV being deleted loses `kubernetes.io/pv-protection` once no claim is bound to it, and
//!    the external provisioner's finalizer after the disk is deleted.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::meta;
use crate::api::pod;
use crate::api::resources::Kind;
use crate::apiserver::{self, DeleteOptions, FOREGROUND, PVC_PROTECTION, PV_PROTECTION};
use crate::cluster::Cluster;
use crate::store::Key;
use crate::value::Value;

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
    // Every live uid, and the owners in foreground deletion.
    let mut live: BTreeSet<String> = BTreeSet::new();
    let mut foreground: BTreeMap<String, Key> = BTreeMap::new();
    for kind in OWNER_KINDS {
        for obj in c.store.list(kind, None) {
            live.insert(meta::uid(obj).to_string());
            if meta::is_terminating(obj) && meta::finalizers(obj).iter().any(|f| f == FOREGROUND) {
                foreground.insert(meta::uid(obj).to_string(), Key::of(kind, obj));
            }
        }
    }
    let mut blocking: BTreeSet<String> = BTreeSet::new();
    let mut doomed: Vec<Key> = Vec::new();
    for kind in OWNED_KINDS {
        for obj in c.store.list(kind, None) {
            let refs = meta::owner_refs(obj);
            if refs.is_empty() {
                continue;
            }
            let owners_gone = refs.iter().all(|r| !live.contains(r.str_at("uid")));
            let owner_in_foreground = refs.iter().find(|r| foreground.contains_key(r.str_at("uid")));
            if let Some(r) = owner_in_foreground {
                if r.get("blockOwnerDeletion").and_then(Value::as_bool) == Some(true) {
                    blocking.insert(r.str_at("uid").to_string());
                }
            }
            if (owners_gone || owner_in_foreground.is_some()) && !meta::is_terminating(obj) {
                doomed.push(Key::of(kind, obj));
            }
        }
    }
    for key in doomed {
        let _ = apiserver::delete(c, &key, DeleteOptions::default());
    }
    for (uid, key) in foreground {
        if !blocking.contains(&uid) {
            apiserver::remove_finalizer(c, &key, FOREGROUND);
        }
    }
    // pvc-protection: a terminating claim goes when no pod uses it.
    let used: BTreeSet<(String, String)> = c
        .store
        .list(Kind::Pod, None)
        .into_iter()
        .filter(|p| !matches!(pod::phase(p), "Failed" | "Succeeded"))
        .flat_map(|p| {
            pod::claim_names(p)
                .into_iter()
                .map(|n| (meta::namespace(p).to_string(), n))
        })
        .collect();
    for key in c.store.keys(Kind::PersistentVolumeClaim) {
        let Some(claim) = c.store.get(&key) else {
            continue;
        };
        if meta::is_terminating(claim) && !used.contains(&(key.namespace.clone(), key.name.clone())) {
            apiserver::remove_finalizer(c, &key, PVC_PROTECTION);
        }
    }
    for key in c.store.keys(Kind::PersistentVolume) {
        let Some(pv) = c.store.get(&key) else {
            continue;
        };
        if meta::is_terminating(pv) && pv.str_at("status.phase") != "Bound" {
            apiserver::remove_finalizer(c, &key, PV_PROTECTION);
            apiserver::remove_finalizer(c, &key, "external-provisioner.volume.kubernetes.io/finalizer");
        }
    }
}
