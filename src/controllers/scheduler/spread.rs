//! PodTopologySpread (`pkg/scheduler/framework/plugins/podtopologyspread/{common,filtering,
//! scoring,plugin}.go`): `DoNotSchedule` constraints as a filter, `ScheduleAnyway` ones (or
//! the system default constraints, for a pod with none) as a score. `matchLabelKeys` is merged
//! into the label selector by the API server when the pod is created (`apiserver.rs`, as v1.34
//! does with `MatchLabelKeysInPodTopologySpreadSelectorMerge` on).

use std::collections::BTreeMap;

use super::node_affinity::Required;
use super::snapshot::{NodeInfo, Scope, Snapshot};
use super::status::Rejection;
use super::taints;
use crate::api::meta;
use crate::api::resources::Kind;
use crate::api::selector::{label_selector, Selector};
use crate::value::Value;
use crate::world::Cluster;

/// `ErrReasonConstraintsNotMatch`.
pub const REASON: &str = "node(s) didn't match pod topology spread constraints";
/// `ErrReasonNodeLabelNotMatch`.
pub const MISSING_LABEL: &str = "node(s) didn't match pod topology spread constraints (missing required label)";
const HOSTNAME: &str = "kubernetes.io/hostname";

/// One constraint (`topologySpreadConstraint`), its defaults applied: `minDomains` 1,
/// `nodeAffinityPolicy` Honor, `nodeTaintsPolicy` Ignore.
#[derive(Debug, Clone)]
struct Constraint {
    max_skew: i64,
    key: String,
    /// None matches no pod.
    selector: Option<Selector>,
    min_domains: i64,
    honor_affinity: bool,
    honor_taints: bool,
}

/// The pod's constraints with `whenUnsatisfiable: action` (`filterTopologySpreadConstraints`).
fn constraints(p: &Value, action: &str) -> Vec<Constraint> {
    p.at("spec.topologySpreadConstraints")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .filter(|c| c.str_at("whenUnsatisfiable") == action)
        .map(|c| Constraint {
            max_skew: c.get("maxSkew").and_then(Value::as_i64).unwrap_or(0),
            key: c.str_at("topologyKey").to_string(),
            selector: label_selector(c.get("labelSelector")),
            min_domains: c.get("minDomains").and_then(Value::as_i64).unwrap_or(1),
            honor_affinity: c.str_at("nodeAffinityPolicy") != "Ignore",
            honor_taints: c.str_at("nodeTaintsPolicy") == "Honor",
        })
        .collect()
}

/// `helper.DefaultSelector`: the selectors of the Services in the pod's namespace that select
/// it (a Service without a selector selects nothing), merged, plus the selector of the
/// ReplicaSet or StatefulSet that controls it. None when that is empty.
fn default_selector(c: &Cluster, p: &Value) -> Option<Selector> {
    let ns = meta::namespace(p);
    let mut merged: BTreeMap<String, String> = BTreeMap::new();
    for svc in c.store.list(Kind::Service, Some(ns)) {
        if svc.at("spec.selector").and_then(Value::as_map).is_none() {
            continue;
        }
        let selector = svc.string_map("spec.selector");
        if Selector::from_map(&selector).matches_object(p) {
            merged.extend(selector);
        }
    }
    let mut reqs = Selector::from_map(&merged).0;
    if let Some(owner) = meta::controller_ref(p).filter(|r| r.str_at("apiVersion") == "apps/v1") {
        let kind = match owner.str_at("kind") {
            "ReplicaSet" => Some(Kind::ReplicaSet),
            "StatefulSet" => Some(Kind::StatefulSet),
            _ => None,
        };
        let selector = kind
            .and_then(|k| c.get(k, ns, owner.str_at("name")))
            .and_then(|o| label_selector(o.get("spec").and_then(|s| s.get("selector"))));
        reqs.extend(selector.map(|s| s.0).unwrap_or_default());
    }
    (!reqs.is_empty()).then_some(Selector(reqs))
}

/// `systemDefaultConstraints` (the default `defaultingType: System`), with the default selector.
fn default_constraints(c: &Cluster, p: &Value) -> Vec<Constraint> {
    let Some(selector) = default_selector(c, p) else {
        return Vec::new();
    };
    [(HOSTNAME, 3), ("topology.kubernetes.io/zone", 5)]
        .into_iter()
        .map(|(key, max_skew)| Constraint {
            max_skew,
            key: key.to_string(),
            selector: Some(selector.clone()),
            min_domains: 1,
            honor_affinity: true,
            honor_taints: false,
        })
        .collect()
}

/// `nodeLabelsMatchSpreadConstraints`: the node has every constraint's topology key.
fn has_keys(node: &NodeInfo, cs: &[Constraint]) -> bool {
    cs.iter().all(|c| node.label(&c.key).is_some())
}

/// `matchNodeInclusionPolicies`.
fn included(c: &Constraint, node: &NodeInfo, required: &Required, p: &Value) -> bool {
    (!c.honor_affinity || required.matches(&node.node)) && (!c.honor_taints || !taints::untolerated(p, &node.node))
}

/// The pods of the pod's namespace each node holds that the constraint's selector matches,
/// terminating ones left out (`countPodsMatchSelector`; an empty selector counts none).
fn counts(snap: &mut Snapshot, p: &Value, c: &Constraint) -> Vec<u32> {
    match c.selector.as_ref().filter(|s| !s.is_empty()) {
        Some(s) => snap.per_node(
            &[Scope {
                namespaces: vec![meta::namespace(p).to_string()],
                all_namespaces: false,
                selector: s.clone(),
            }],
            true,
        ),
        None => vec![0; snap.nodes.len()],
    }
}

/// What the PreFilter counted: per constraint, the matching pods in each domain of the nodes
/// that have every topology key and pass its inclusion policies (`TpValueToMatchNum`).
pub struct FilterState {
    constraints: Vec<Constraint>,
    domains: Vec<BTreeMap<String, u64>>,
    matches_itself: Vec<bool>,
}

/// `PreFilter`; None when the pod has no `DoNotSchedule` constraint (Skip).
pub fn prefilter(snap: &mut Snapshot, p: &Value, required: &Required) -> Option<FilterState> {
    let cs = constraints(p, "DoNotSchedule");
    if cs.is_empty() {
        return None;
    }
    let per_node: Vec<Vec<u32>> = cs.iter().map(|c| counts(snap, p, c)).collect();
    let mut domains = vec![BTreeMap::new(); cs.len()];
    for (n, node) in snap.nodes.iter().enumerate() {
        if !has_keys(node, &cs) {
            continue;
        }
        for (i, c) in cs.iter().enumerate().filter(|(_, c)| included(c, node, required, p)) {
            let value = node.label(&c.key).unwrap_or("");
            *domains[i].entry(value.to_string()).or_default() += u64::from(per_node[i][n]);
        }
    }
    let matches_itself = cs
        .iter()
        .map(|c| c.selector.as_ref().is_some_and(|s| s.matches_object(p)))
        .collect();
    Some(FilterState {
        constraints: cs,
        domains,
        matches_itself,
    })
}

/// `Filter`: for each constraint in order, the node must have its key (else
/// UnschedulableAndUnresolvable), and placing the pod there must keep `matching pods in the
/// node's domain + 1 if the pod matches − the global minimum` within `maxSkew` (else
/// Unschedulable). The global minimum is the fewest matching pods of any domain, or 0 while
/// there are fewer domains than `minDomains`.
pub fn filter(s: &FilterState, node: &NodeInfo) -> Result<(), Rejection> {
    for (i, c) in s.constraints.iter().enumerate() {
        let Some(value) = node.label(&c.key) else {
            return Err(Rejection::unresolvable(MISSING_LABEL));
        };
        let domains = &s.domains[i];
        let min = if (domains.len() as i64) < c.min_domains {
            0
        } else {
            domains.values().min().map_or(i64::from(i32::MAX), |m| *m as i64)
        };
        let here = domains.get(value).map_or(0, |n| *n as i64);
        if here.saturating_add(i64::from(s.matches_itself[i])).saturating_sub(min) > c.max_skew {
            return Err(Rejection::unschedulable(REASON));
        }
    }
    Ok(())
}

/// The score of each feasible node, 0–100 (`PreScore`, `Score`, `NormalizeScore`); None when
/// the pod has no `ScheduleAnyway` constraint and no default applies (Skip).
///
/// Each constraint weighs `ln(domains + 2)` (`topologyNormalizingWeight`, domains counted over
/// the feasible nodes; for the hostname key, the feasible nodes). A node scores, over the
/// constraints whose key it has, `matching pods in its domain × weight + maxSkew − 1`, rounded;
/// fewer is better: normalized as `100 × (max + min − score) / max`. With explicit constraints a
/// feasible node without every key scores 0; with the system defaults it is kept (a node without
/// a zone label still spreads by hostname). Domain counts are shared by constraints on the same
/// key, as upstream keys them by topology pair.
pub fn score(c: &Cluster, snap: &mut Snapshot, p: &Value, required: &Required, feasible: &[usize]) -> Option<Vec<i64>> {
    let explicit = p
        .at("spec.topologySpreadConstraints")
        .is_some_and(|l| !l.as_list().is_empty());
    let cs = if explicit {
        constraints(p, "ScheduleAnyway")
    } else {
        default_constraints(c, p)
    };
    if cs.is_empty() {
        return None;
    }
    let require_all = explicit;
    let per_node: Vec<Vec<u32>> = cs.iter().map(|k| counts(snap, p, k)).collect();
    let snap = &*snap;
    // Each node's value of each constraint's key, read once.
    let values: Vec<Vec<Option<&str>>> = cs
        .iter()
        .map(|k| snap.nodes.iter().map(|n| n.label(&k.key)).collect())
        .collect();
    let has_all = |n: usize| values.iter().all(|v| v[n].is_some());
    // The topology pairs (key, value) and their counts, shared by constraints on one key.
    let mut pairs: Vec<(&str, &str, u64)> = Vec::new();
    let find = |pairs: &[(&str, &str, u64)], key: &str, value: &str| {
        pairs.iter().position(|(k, v, _)| *k == key && *v == value)
    };
    // initPreScoreState, over the feasible nodes.
    let ignored: Vec<bool> = feasible.iter().map(|&n| require_all && !has_all(n)).collect();
    let mut sizes = vec![0usize; cs.len()];
    for (&n, _) in feasible.iter().zip(&ignored).filter(|(_, ignored)| !**ignored) {
        for (i, k) in cs.iter().enumerate().filter(|(_, k)| k.key != HOSTNAME) {
            let value = values[i][n].unwrap_or("");
            if find(&pairs, &k.key, value).is_none() {
                pairs.push((&k.key, value, 0));
                sizes[i] += 1;
            }
        }
    }
    let kept = ignored.iter().filter(|i| !**i).count();
    let weights: Vec<f64> = cs
        .iter()
        .zip(&sizes)
        .map(|(k, size)| ln(if k.key == HOSTNAME { kept } else { *size } + 2))
        .collect();
    // PreScore, over every node: the matching pods of each registered domain.
    for (n, node) in snap.nodes.iter().enumerate() {
        if require_all && !has_all(n) {
            continue;
        }
        for (i, k) in cs.iter().enumerate().filter(|(_, k)| included(k, node, required, p)) {
            if let Some(j) = find(&pairs, &k.key, values[i][n].unwrap_or("")) {
                pairs[j].2 += u64::from(per_node[i][n]);
            }
        }
    }
    let raw: Vec<Option<i64>> = feasible
        .iter()
        .zip(&ignored)
        .map(|(&n, ignored)| {
            if *ignored {
                return None;
            }
            let mut score = 0.0;
            for (i, k) in cs.iter().enumerate() {
                let Some(value) = values[i][n] else {
                    continue;
                };
                let count = if k.key == HOSTNAME {
                    u64::from(per_node[i][n])
                } else {
                    find(&pairs, &k.key, value).map_or(0, |j| pairs[j].2)
                };
                score += count as f64 * weights[i] + (k.max_skew as f64 - 1.0);
            }
            Some(score.round() as i64)
        })
        .collect();
    let (min, max) = raw
        .iter()
        .flatten()
        .fold((i64::MAX, 0), |(lo, hi), s| (lo.min(*s), hi.max(*s)));
    Some(
        raw.iter()
            .map(|s| match s {
                None => 0,
                Some(_) if max == 0 => 100,
                // In i128: the scores grow with the user's maxSkew.
                Some(s) => (100 * (i128::from(max) + i128::from(min) - i128::from(*s)) / i128::from(max)) as i64,
            })
            .collect(),
    )
}

/// The natural logarithm as Go's `math.Log` computes it (a port of FreeBSD's `e_log.c`, the
/// same in every build: the engine's scores must not depend on the platform's libm, or native
/// and wasm could break a tie differently). For the small counts spreading needs (n ≥ 2).
fn ln(n: usize) -> f64 {
    // The constants as their bits, from the comments of Go's `log.go`.
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    const L1: f64 = f64::from_bits(0x3fe5_5555_5555_5593);
    const L2: f64 = f64::from_bits(0x3fd9_9999_9997_fa04);
    const L3: f64 = f64::from_bits(0x3fd2_4924_9422_9359);
    const L4: f64 = f64::from_bits(0x3fcc_71c5_1d8e_78af);
    const L5: f64 = f64::from_bits(0x3fc7_4664_96cb_03de);
    const L6: f64 = f64::from_bits(0x3fc3_9a09_d078_c69f);
    const L7: f64 = f64::from_bits(0x3fc2_f112_df3e_5244);
    let x = u32::try_from(n).map_or(f64::from(u32::MAX), f64::from);
    if x < 1.0 {
        return f64::NEG_INFINITY;
    }
    // Frexp: x = f1 × 2^ki with f1 in [0.5, 1) (x is a positive normal number here).
    let bits = x.to_bits();
    let mut ki = ((bits >> 52) & 0x7ff) as i64 - 1022;
    let mut f1 = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    if f1 < std::f64::consts::SQRT_2 / 2.0 {
        f1 *= 2.0;
        ki -= 1;
    }
    let f = f1 - 1.0;
    let k = ki as f64;
    let s = f / (2.0 + f);
    let s2 = s * s;
    let s4 = s2 * s2;
    let t1 = s2 * (L1 + s4 * (L3 + s4 * (L5 + s4 * L7)));
    let t2 = s4 * (L2 + s4 * (L4 + s4 * L6));
    let r = t1 + t2;
    let hfsq = 0.5 * f * f;
    k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f)
}

#[cfg(test)]
mod tests {
    #[test]
    fn ln_is_the_logarithm() {
        for n in 1..2000usize {
            let want = (n as f64).ln();
            assert!(
                (super::ln(n) - want).abs() <= want.abs() * 4.0 * f64::EPSILON,
                "ln({n})"
            );
        }
        assert_eq!(super::ln(1), 0.0);
    }
}
