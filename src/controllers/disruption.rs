//! The disruption controller (`pkg/controller/disruption/disruption.go`) and the Eviction API's
//! budget check (`pkg/registry/core/pod/storage/eviction.go`); kubernetes-semantics.md §12.
//!
//! A PodDisruptionBudget limits *evictions* only (`kubectl drain`, the autoscaler). Deleting a
//! pod, a rolling update and a scale-down never ask it. Status per budget:
//! - `expectedPods`: with an integer `minAvailable`, the number of pods the selector matches;
//!   otherwise the scale of their controllers (`getExpectedScale`: a StatefulSet's replicas);
//! - `desiredHealthy`: `minAvailable`, or expected − `maxUnavailable` (percentages rounded up);
//! - `currentHealthy`: matching pods that are Ready and not being deleted;
//! - `disruptionsAllowed`: currentHealthy − desiredHealthy, never below 0, minus evictions
//!   that have not yet shown in the pods (`disruptedPods`).

use crate::api::intstr;
use crate::api::meta;
use crate::api::pod;
use crate::api::resources::Kind;
use crate::value::Value;
use crate::world::Cluster;

pub fn reconcile(c: &mut Cluster) {
    for key in c.store.keys(Kind::PodDisruptionBudget) {
        let Some(pdb) = c.store.get(&key).cloned() else {
            continue;
        };
        let status = compute(c, &pdb);
        if pdb.get("status") != Some(&status) {
            c.store.modify(&key, |p| p.set("status", status));
        }
    }
}

fn compute(c: &Cluster, pdb: &Value) -> Value {
    let pods = crate::apiserver::covered(c, pdb);
    let scale = || -> i64 {
        // getExpectedScale: the replicas of each distinct controller of the pods.
        let mut owners: Vec<String> = Vec::new();
        let mut total = 0;
        for p in &pods {
            if let Some(r) = meta::controller_ref(p) {
                let uid = r.str_at("uid").to_string();
                if owners.contains(&uid) {
                    continue;
                }
                owners.push(uid);
                if r.str_at("kind") == "StatefulSet" {
                    total += c
                        .get(Kind::StatefulSet, meta::namespace(p), r.str_at("name"))
                        .and_then(|s| s.at("spec.replicas"))
                        .and_then(Value::as_i64)
                        .unwrap_or(0);
                }
            }
        }
        total
    };
    let (expected, desired) = match (pdb.at("spec.maxUnavailable"), pdb.at("spec.minAvailable")) {
        (Some(max), _) => {
            let expected = scale();
            (
                expected,
                (expected - intstr::scaled(max, expected, true).unwrap_or(0)).max(0),
            )
        }
        (None, Some(min)) if min.as_i64().is_some() => (pods.len() as i64, min.as_i64().unwrap_or(0)),
        (None, Some(min)) => {
            let expected = scale();
            (expected, intstr::scaled(min, expected, true).unwrap_or(0))
        }
        (None, None) => (pods.len() as i64, 0),
    };
    let healthy = pods
        .iter()
        .filter(|p| !meta::is_terminating(p) && pod::is_ready(p))
        .count() as i64;
    // Evictions already granted whose pods have not gone yet.
    let disrupted = pdb
        .at("status.disruptedPods")
        .and_then(Value::as_map)
        .cloned()
        .unwrap_or_default();
    let pending: i64 = disrupted
        .keys()
        .filter(|name| pods.iter().any(|p| meta::name(p) == *name && !meta::is_terminating(p)))
        .count() as i64;
    let allowed = if expected <= 0 {
        0
    } else {
        (healthy - desired - pending).max(0)
    };
    let mut status = Value::map();
    status.set(
        "observedGeneration",
        pdb.at("metadata.generation").cloned().unwrap_or(Value::Int(1)),
    );
    status.set("expectedPods", expected);
    status.set("desiredHealthy", desired);
    status.set("currentHealthy", healthy);
    status.set("disruptionsAllowed", allowed);
    let kept: crate::value::Map = disrupted
        .iter()
        .filter(|(name, _)| pods.iter().any(|p| meta::name(p) == *name && !meta::is_terminating(p)))
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    if !kept.is_empty() {
        status.set("disruptedPods", Value::from_map(kept));
    }
    let mut cond = Value::map();
    cond.set("type", "DisruptionAllowed");
    cond.set("status", if allowed > 0 { "True" } else { "False" });
    cond.set(
        "reason",
        if allowed > 0 {
            "SufficientPods"
        } else {
            "InsufficientPods"
        },
    );
    cond.set("message", "");
    cond.set(
        "observedGeneration",
        pdb.at("metadata.generation").cloned().unwrap_or(Value::Int(1)),
    );
    // The transition time is kept while the status stays the same.
    let since = pdb
        .at("status.conditions")
        .map(Value::as_list)
        .and_then(|l| l.first())
        .filter(|old| old.str_at("status") == cond.str_at("status"))
        .map(|old| old.str_at("lastTransitionTime").to_string())
        .unwrap_or_else(|| crate::clock::rfc3339(c.now));
    cond.set("lastTransitionTime", since);
    status.set("conditions", Value::list(vec![cond]));
    status
}
