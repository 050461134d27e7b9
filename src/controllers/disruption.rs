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
use crate::api::selector::Selector;
use crate::cluster::Cluster;
use crate::store::Key;
use crate::value::Value;

/// What the eviction subresource says when a budget is exhausted (HTTP 429).
pub const EVICTION_REFUSED: &str = "Cannot evict pod as it would violate the pod's disruption budget.";

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

/// The pods a budget covers: in its namespace, matching its selector (in policy/v1 an empty
/// selector `{}` selects every pod of the namespace; no selector selects none).
pub fn covered<'a>(c: &'a Cluster, pdb: &Value) -> Vec<&'a Value> {
    let selector = Selector::from_label_selector(pdb.at("spec.selector").unwrap_or(&Value::Null));
    if pdb.at("spec.selector").is_none() {
        return Vec::new();
    }
    c.store
        .list(Kind::Pod, Some(meta::namespace(pdb)))
        .into_iter()
        .filter(|p| selector.matches_object(p))
        .collect()
}

fn compute(c: &Cluster, pdb: &Value) -> Value {
    let pods = covered(c, pdb);
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

/// The eviction subresource: refuse (429) when a budget covering the pod allows no disruption,
/// else record the disruption and delete the pod gracefully. Pods that are not running, or
/// already being deleted, may always go (`canIgnorePDB`).
pub fn evict(c: &mut Cluster, key: &Key) -> Result<(), String> {
    let Some(p) = c.store.get(key).cloned() else {
        return Err(format!("pods \"{}\" not found", key.name));
    };
    let budgets: Vec<Value> = c
        .store
        .list(Kind::PodDisruptionBudget, Some(&key.namespace))
        .into_iter()
        .filter(|b| covered(c, b).iter().any(|q| meta::uid(q) == meta::uid(&p)))
        .cloned()
        .collect();
    let ignore = meta::is_terminating(&p) || matches!(pod::phase(&p), "Pending" | "Failed" | "Succeeded");
    if !ignore {
        if budgets.len() > 1 {
            return Err(
                "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."
                    .into(),
            );
        }
        if let Some(b) = budgets.first() {
            let allowed = b.at("status.disruptionsAllowed").and_then(Value::as_i64).unwrap_or(0);
            // unhealthyPodEvictionPolicy: a pod that is not Ready may go when the budget is met
            // (IfHealthyBudget, the default) or always (AlwaysAllow).
            let unready = !pod::is_ready(&p);
            let healthy = b.at("status.currentHealthy").and_then(Value::as_i64).unwrap_or(0);
            let desired = b.at("status.desiredHealthy").and_then(Value::as_i64).unwrap_or(0);
            let unready_ok =
                unready && (b.str_at("spec.unhealthyPodEvictionPolicy") == "AlwaysAllow" || healthy >= desired);
            if !unready_ok {
                if allowed <= 0 {
                    return Err(EVICTION_REFUSED.into());
                }
                let now = crate::clock::rfc3339(c.now);
                let name = meta::name(&p).to_string();
                c.store.modify(&Key::of(Kind::PodDisruptionBudget, b), |pdb| {
                    pdb.set("status.disruptionsAllowed", allowed - 1);
                    if let Some(m) = pdb.entry("status.disruptedPods").map_mut() {
                        m.insert(name, Value::Str(now.as_str().into()));
                    } else {
                        let mut m = crate::value::Map::new();
                        m.insert(name, Value::Str(now.as_str().into()));
                        pdb.set("status.disruptedPods", Value::from_map(m));
                    }
                });
            }
        }
    }
    crate::apiserver::delete(c, key, crate::apiserver::DeleteOptions::default()).map_err(|e| e.to_string())
}
