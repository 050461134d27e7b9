//! InterPodAffinity (`pkg/scheduler/framework/plugins/interpodaffinity/filtering.go`,
//! `scoring.go`; the terms are `framework.AffinityTerm`, `pkg/scheduler/framework/types.go`):
//! required pod affinity and anti-affinity as a filter, with the existing pods' required
//! anti-affinity applied the other way round, and the preferred terms of both as a score.
//! `matchLabelKeys` and `mismatchLabelKeys` are merged into the label selectors by the API
//! server when the pod is created (`apiserver.rs`), so the scheduler never reads them.

use std::collections::BTreeMap;

use super::snapshot::{NodeInfo, Scope, Snapshot};
use super::status::Rejection;
use crate::api::meta;
use crate::api::selector::{label_selector, Selector};
use crate::value::Value;

/// `ErrReasonAffinityRulesNotMatch`.
pub const AFFINITY: &str = "node(s) didn't match pod affinity rules";
/// `ErrReasonAntiAffinityRulesNotMatch`.
pub const ANTI_AFFINITY: &str = "node(s) didn't match pod anti-affinity rules";
/// `ErrReasonExistingAntiAffinityRulesNotMatch`.
pub const EXISTING_ANTI_AFFINITY: &str = "node(s) didn't satisfy existing pods anti-affinity rules";
/// `HardPodAffinityWeight`: what an existing pod's required affinity term adds to the score of
/// the nodes in its domain for a pod it matches (default 1).
const HARD_POD_AFFINITY_WEIGHT: i64 = 1;

/// One pod (anti-)affinity term of a pod (`newAffinityTerm`).
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// `namespaces`, or the pod's own namespace when neither it nor a `namespaceSelector` is set.
    pub namespaces: Vec<String>,
    /// None matches no namespace; `{}` matches every one.
    pub namespace_selector: Option<Selector>,
    /// None matches no pod.
    pub selector: Option<Selector>,
    pub topology_key: String,
    /// A preferred term's weight (0 for a required one).
    pub weight: i64,
}

impl Term {
    fn parse(owner_namespace: &str, t: &Value, weight: i64) -> Term {
        let namespace_selector = t.get("namespaceSelector").filter(|v| !v.is_null());
        let mut namespaces: Vec<String> = t
            .get("namespaces")
            .map(Value::as_list)
            .unwrap_or(&[])
            .iter()
            .filter_map(|n| n.as_str().map(str::to_string))
            .collect();
        if namespaces.is_empty() && namespace_selector.is_none() {
            namespaces.push(owner_namespace.to_string());
        }
        Term {
            namespaces,
            namespace_selector: namespace_selector.and_then(|s| label_selector(Some(s))),
            selector: label_selector(t.get("labelSelector")),
            topology_key: t.str_at("topologyKey").to_string(),
            weight,
        }
    }

    /// `AffinityTerm.Matches`: the pod is in one of the namespaces, or its namespace's labels
    /// match the namespace selector, and its labels match the selector.
    pub fn matches(&self, p: &Value, namespace_labels: &BTreeMap<String, String>) -> bool {
        let in_namespace = self.namespaces.iter().any(|n| n == meta::namespace(p))
            || self
                .namespace_selector
                .as_ref()
                .is_some_and(|s| s.matches(namespace_labels));
        in_namespace && self.selector.as_ref().is_some_and(|s| s.matches_object(p))
    }

    /// `mergeAffinityTermNamespacesIfNotEmpty` (the incoming pod's terms): a non-empty namespace
    /// selector becomes the names of the namespaces it selects, and then selects nothing.
    fn merge_namespaces(&mut self, namespaces: &[&Value]) {
        if let Some(s) = self.namespace_selector.as_ref().filter(|s| !s.is_empty()) {
            for ns in namespaces.iter().filter(|ns| s.matches_object(ns)) {
                self.namespaces.push(meta::name(ns).to_string());
            }
            self.namespace_selector = None;
        }
    }

    /// The pods a merged term selects, for counting (None: it selects none).
    fn scope(&self) -> Option<Scope> {
        Some(Scope {
            namespaces: self.namespaces.clone(),
            all_namespaces: self.namespace_selector.as_ref().is_some_and(Selector::is_empty),
            selector: self.selector.clone()?,
        })
    }
}

/// A pod's terms: required and preferred, affinity and anti-affinity.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodTerms {
    pub affinity: Vec<Term>,
    pub anti_affinity: Vec<Term>,
    pub preferred_affinity: Vec<Term>,
    pub preferred_anti_affinity: Vec<Term>,
}

impl PodTerms {
    pub fn of(p: &Value) -> PodTerms {
        let ns = meta::namespace(p);
        let required = |path: &str| -> Vec<Term> {
            p.at(path)
                .map(Value::as_list)
                .unwrap_or(&[])
                .iter()
                .map(|t| Term::parse(ns, t, 0))
                .collect()
        };
        let preferred = |path: &str| -> Vec<Term> {
            p.at(path)
                .map(Value::as_list)
                .unwrap_or(&[])
                .iter()
                .map(|w| {
                    let weight = w.get("weight").and_then(Value::as_i64).unwrap_or(0);
                    Term::parse(ns, w.get("podAffinityTerm").unwrap_or(&Value::Null), weight)
                })
                .collect()
        };
        if p.at("spec.affinity").is_none() {
            return PodTerms::default();
        }
        PodTerms {
            affinity: required("spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution"),
            anti_affinity: required("spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution"),
            preferred_affinity: preferred("spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution"),
            preferred_anti_affinity: preferred(
                "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution",
            ),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.affinity.is_empty()
            && self.anti_affinity.is_empty()
            && self.preferred_affinity.is_empty()
            && self.preferred_anti_affinity.is_empty()
    }

    /// The incoming pod's terms with their namespace selectors merged (PreFilter, PreScore).
    pub fn merged(mut self, namespaces: &[&Value]) -> PodTerms {
        for list in [
            &mut self.affinity,
            &mut self.anti_affinity,
            &mut self.preferred_affinity,
            &mut self.preferred_anti_affinity,
        ] {
            list.iter_mut().for_each(|t| t.merge_namespaces(namespaces));
        }
        self
    }
}

/// Counts by topology pair (`topologyToMatchedTermCount`, `scoreMap`): few pairs (the domains
/// of a few keys), so a list.
#[derive(Default)]
struct Pairs(Vec<(String, String, i64)>);

impl Pairs {
    fn add(&mut self, key: &str, value: &str, n: i64) {
        match self.0.iter_mut().find(|(k, v, _)| k == key && v == value) {
            Some((_, _, have)) => *have = have.saturating_add(n),
            None => self.0.push((key.to_string(), value.to_string(), n)),
        }
    }

    fn get(&self, key: &str, value: &str) -> i64 {
        self.0
            .iter()
            .find(|(k, v, _)| k == key && v == value)
            .map_or(0, |(_, _, n)| *n)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Add `times` for each pod counted on a node, to the node's pair of `key`.
    fn add_per_node(&mut self, nodes: &[NodeInfo], key: &str, per_node: &[u32], times: i64) {
        for (node, n) in nodes.iter().zip(per_node).filter(|(_, n)| **n > 0) {
            if let Some(v) = node.label(key) {
                self.add(key, v, i64::from(*n).saturating_mul(times));
            }
        }
    }
}

/// What the PreFilter counted (`preFilterState`).
pub struct FilterState {
    affinity: Vec<Term>,
    anti_affinity: Vec<Term>,
    /// Pairs where existing pods' required anti-affinity terms match the incoming pod.
    existing_anti_affinity: Pairs,
    /// Pairs holding pods that match all of the incoming pod's required affinity terms.
    affinity_counts: Pairs,
    /// Pairs holding pods that match one of its required anti-affinity terms.
    anti_affinity_counts: Pairs,
    /// The incoming pod matches all its own affinity terms (`podMatchesAllAffinityTerms`).
    matches_itself: bool,
}

/// `PreFilter`; None when it is skipped: no existing pod's anti-affinity matches the pod and
/// the pod has no required terms.
pub fn prefilter(
    snap: &mut Snapshot,
    p: &Value,
    terms: &PodTerms,
    namespace_labels: &BTreeMap<String, String>,
) -> Option<FilterState> {
    let mut existing = Pairs::default();
    for &i in &snap.with_terms {
        let e = &snap.pods[i];
        let node = &snap.nodes[e.node];
        for t in e.terms.anti_affinity.iter().filter(|t| t.matches(p, namespace_labels)) {
            if let Some(v) = node.label(&t.topology_key) {
                existing.add(&t.topology_key, v, 1);
            }
        }
    }
    if existing.is_empty() && terms.affinity.is_empty() && terms.anti_affinity.is_empty() {
        return None;
    }
    let mut affinity_counts = Pairs::default();
    // Pods matching every required affinity term count in each term's domain.
    if let Some(scopes) = terms.affinity.iter().map(Term::scope).collect::<Option<Vec<Scope>>>() {
        if !scopes.is_empty() {
            let per_node = snap.per_node(&scopes, false);
            for t in &terms.affinity {
                affinity_counts.add_per_node(&snap.nodes, &t.topology_key, &per_node, 1);
            }
        }
    }
    let mut anti_affinity_counts = Pairs::default();
    for t in &terms.anti_affinity {
        if let Some(scope) = t.scope() {
            let per_node = snap.per_node(&[scope], false);
            anti_affinity_counts.add_per_node(&snap.nodes, &t.topology_key, &per_node, 1);
        }
    }
    let none = BTreeMap::new();
    Some(FilterState {
        affinity: terms.affinity.clone(),
        anti_affinity: terms.anti_affinity.clone(),
        existing_anti_affinity: existing,
        affinity_counts,
        anti_affinity_counts,
        matches_itself: !terms.affinity.is_empty() && terms.affinity.iter().all(|t| t.matches(p, &none)),
    })
}

/// `Filter`: `satisfyPodAffinity` (UnschedulableAndUnresolvable), then `satisfyPodAntiAffinity`
/// and `satisfyExistingPodsAntiAffinity` (Unschedulable); the first that fails is the reason.
pub fn filter(s: &FilterState, node: &NodeInfo) -> Result<(), Rejection> {
    // Every term's topology key must be on the node, and each domain must hold a matching pod,
    // unless no pod anywhere matches and the pod matches its own terms: the first pod of a
    // series with affinity to itself.
    let mut pods_exist = true;
    for t in &s.affinity {
        let Some(v) = node.label(&t.topology_key) else {
            return Err(Rejection::unresolvable(AFFINITY));
        };
        if s.affinity_counts.get(&t.topology_key, v) <= 0 {
            pods_exist = false;
        }
    }
    if !(pods_exist || s.affinity_counts.is_empty() && s.matches_itself) {
        return Err(Rejection::unresolvable(AFFINITY));
    }
    if !s.anti_affinity_counts.is_empty() {
        for t in &s.anti_affinity {
            if let Some(v) = node.label(&t.topology_key) {
                if s.anti_affinity_counts.get(&t.topology_key, v) > 0 {
                    return Err(Rejection::unschedulable(ANTI_AFFINITY));
                }
            }
        }
    }
    if !s.existing_anti_affinity.is_empty() {
        let labels = node.labels().and_then(Value::as_map).into_iter().flat_map(|m| m.iter());
        for (k, v) in labels {
            if s.existing_anti_affinity.get(k, v.as_str().unwrap_or("")) > 0 {
                return Err(Rejection::unschedulable(EXISTING_ANTI_AFFINITY));
            }
        }
    }
    Ok(())
}

/// The score (`PreScore`, `Score`, `NormalizeScore`) of each feasible node, 0–100; None when
/// no term of the pod or of an existing pod applies (PreScore is Skip). Each existing pod on a
/// labelled node adds, in its node's domain of the term's key: the weight of each of the
/// incoming pod's preferred affinity terms it matches (anti-affinity: minus the weight), 1 for
/// each of its own required affinity terms the incoming pod matches, and the weight of each of
/// its preferred terms the incoming pod matches (anti-affinity: minus). A node scores the sum
/// over the pairs it has, normalized from the lowest to the highest.
pub fn score(
    snap: &mut Snapshot,
    p: &Value,
    terms: &PodTerms,
    namespace_labels: &BTreeMap<String, String>,
    feasible: &[usize],
) -> Option<Vec<i64>> {
    let mut topology = Pairs::default();
    for (sign, list) in [(1, &terms.preferred_affinity), (-1, &terms.preferred_anti_affinity)] {
        for t in list {
            if let Some(scope) = t.scope() {
                let per_node = snap.per_node(&[scope], false);
                topology.add_per_node(&snap.nodes, &t.topology_key, &per_node, t.weight.saturating_mul(sign));
            }
        }
    }
    for &i in &snap.with_terms {
        let e = &snap.pods[i];
        let node = &snap.nodes[e.node];
        let contributions = [
            (&e.terms.affinity, Some(HARD_POD_AFFINITY_WEIGHT)),
            (&e.terms.preferred_affinity, None),
            (&e.terms.preferred_anti_affinity, None),
        ];
        for (k, (list, weight)) in contributions.into_iter().enumerate() {
            let sign = if k == 2 { -1 } else { 1 };
            for t in list.iter().filter(|t| t.matches(p, namespace_labels)) {
                if let Some(v) = node.label(&t.topology_key) {
                    topology.add(&t.topology_key, v, weight.unwrap_or(t.weight).saturating_mul(sign));
                }
            }
        }
    }
    if topology.is_empty() {
        return None;
    }
    let raw: Vec<i64> = feasible
        .iter()
        .map(|&n| {
            let node = &snap.nodes[n];
            topology
                .0
                .iter()
                .filter(|(key, value, _)| node.label(key) == Some(value.as_str()))
                .fold(0i64, |sum, (_, _, s)| sum.saturating_add(*s))
        })
        .collect();
    let (min, max) = (raw.iter().copied().min()?, raw.iter().copied().max()?);
    let diff = max as f64 - min as f64;
    Some(
        raw.iter()
            .map(|s| {
                if diff > 0.0 {
                    (100.0 * ((*s as f64 - min as f64) / diff)) as i64
                } else {
                    0
                }
            })
            .collect(),
    )
}
