//! Node selectors as component-helpers reads them
//! (`staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go`): a
//! pod's `nodeSelector` and required node affinity, its `metadata.name` pins, its preferred terms.
//! The scheduler's NodeAffinity plugin and the DaemonSet controller both ask these questions.

use crate::api::meta;
use crate::value::Value;

#[derive(Debug, Clone, PartialEq)]
enum Op {
    In(Vec<String>),
    NotIn(Vec<String>),
    Exists,
    DoesNotExist,
    Gt(i64),
    Lt(i64),
}

/// One `nodeSelectorTerm`: its label requirements and its field requirements, ANDed. A term
/// with a requirement that does not parse matches no node (`nodeSelectorTerm.match` returns its
/// parse errors, which the callers ignore "for backwards compatibility").
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    labels: Vec<(String, Op)>,
    /// `metadata.name` equal (true) or not equal (false) to the value.
    fields: Vec<(String, bool, String)>,
    broken: bool,
}

fn strings(v: &Value) -> Vec<String> {
    v.get("values")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

impl Term {
    /// `newNodeSelectorTerm`; None for an empty term ("nil or empty term selects no objects").
    fn parse(term: &Value) -> Option<Term> {
        let exprs = term.get("matchExpressions").map(Value::as_list).unwrap_or(&[]);
        let fields = term.get("matchFields").map(Value::as_list).unwrap_or(&[]);
        if exprs.is_empty() && fields.is_empty() {
            return None;
        }
        let mut t = Term {
            labels: Vec::new(),
            fields: Vec::new(),
            broken: false,
        };
        // `nodeSelectorRequirementsAsSelector` through `labels.NewRequirement`: In and NotIn
        // need values, Exists and DoesNotExist none, Gt and Lt exactly one integer.
        for e in exprs {
            let values = strings(e);
            let int = || match values.as_slice() {
                [one] => one.parse::<i64>().ok(),
                _ => None,
            };
            let op = match e.str_at("operator") {
                "In" if !values.is_empty() => Some(Op::In(values.clone())),
                "NotIn" if !values.is_empty() => Some(Op::NotIn(values.clone())),
                "Exists" if values.is_empty() => Some(Op::Exists),
                "DoesNotExist" if values.is_empty() => Some(Op::DoesNotExist),
                "Gt" => int().map(Op::Gt),
                "Lt" => int().map(Op::Lt),
                _ => None,
            };
            match op {
                Some(op) => t.labels.push((e.str_at("key").to_string(), op)),
                None => t.broken = true,
            }
        }
        // `nodeSelectorRequirementsAsFieldSelector`: In or NotIn with exactly one value.
        for f in fields {
            let values = strings(f);
            match (f.str_at("operator"), values.as_slice()) {
                ("In", [v]) => t.fields.push((f.str_at("key").to_string(), true, v.clone())),
                ("NotIn", [v]) => t.fields.push((f.str_at("key").to_string(), false, v.clone())),
                _ => t.broken = true,
            }
        }
        Some(t)
    }

    /// Whether a node's labels (and its name, when known) satisfy the term. A label requirement
    /// is `labels.Requirement.Matches`: Gt and Lt need the label to parse as an int64
    /// (`strconv.ParseInt`), otherwise they do not match. The only field a node has is
    /// `metadata.name`; any other field reads as empty. Without a name (a PV's node affinity is
    /// checked against the node's labels only, `volume.CheckNodeAffinity`) fields are not checked.
    fn matches(&self, labels: Option<&Value>, name: Option<&str>) -> bool {
        if self.broken {
            return false;
        }
        let label = |k: &str| labels.and_then(|l| l.get(k)).and_then(Value::as_str);
        let labels_ok = self.labels.iter().all(|(key, op)| {
            let value = label(key);
            match op {
                Op::In(vs) => value.is_some_and(|v| vs.iter().any(|x| x == v)),
                Op::NotIn(vs) => value.is_none_or(|v| !vs.iter().any(|x| x == v)),
                Op::Exists => value.is_some(),
                Op::DoesNotExist => value.is_none(),
                Op::Gt(n) => value.and_then(|v| v.parse::<i64>().ok()).is_some_and(|v| v > *n),
                Op::Lt(n) => value.and_then(|v| v.parse::<i64>().ok()).is_some_and(|v| v < *n),
            }
        });
        let fields_ok = match name.filter(|n| !n.is_empty()) {
            None => true,
            Some(name) => self.fields.iter().all(|(key, equal, value)| {
                let field = if key == "metadata.name" { name } else { "" };
                (field == value) == *equal
            }),
        };
        labels_ok && fields_ok
    }
}

/// A `nodeSelector` (`NodeSelectorTerms`, ORed).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NodeSelector(Vec<Term>);

impl NodeSelector {
    /// The terms of a `nodeSelectorTerms` list, empty ones dropped (`NewLazyErrorNodeSelector`).
    pub fn parse(terms: &Value) -> NodeSelector {
        NodeSelector(terms.as_list().iter().filter_map(Term::parse).collect())
    }

    /// `NodeSelector.Match`: some term matches (no term: nothing matches).
    pub fn matches(&self, node: &Value) -> bool {
        let labels = node.at("metadata.labels");
        self.0.iter().any(|t| t.matches(labels, Some(meta::name(node))))
    }

    /// `corev1.MatchNodeSelectorTerms` on a node's labels alone (`volume.CheckNodeAffinity`).
    pub fn matches_labels(&self, labels: Option<&Value>) -> bool {
        self.0.iter().any(|t| t.matches(labels, None))
    }
}

/// A pod's `nodeSelector` AND its required node affinity (`GetRequiredNodeAffinity`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Required {
    selector: Vec<(String, String)>,
    affinity: Option<NodeSelector>,
}

impl Required {
    pub fn of(pod: &Value) -> Required {
        let selector = pod
            .at("spec.nodeSelector")
            .and_then(Value::as_map)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.to_string(), v.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .unwrap_or_default();
        let affinity = pod
            .at("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution")
            .filter(|r| !r.is_null())
            .map(|r| NodeSelector::parse(r.get("nodeSelectorTerms").unwrap_or(&Value::Null)));
        Required { selector, affinity }
    }

    /// Whether the pod has nothing to say about nodes (the PreFilter is skipped).
    pub fn is_empty(&self) -> bool {
        self.selector.is_empty() && self.affinity.is_none()
    }

    /// `RequiredNodeAffinity.Match`: every `nodeSelector` label equal, and the affinity's terms.
    pub fn matches(&self, node: &Value) -> bool {
        if self.is_empty() {
            return true;
        }
        let labels = node.at("metadata.labels");
        let label = |k: &str| labels.and_then(|l| l.get(k)).and_then(Value::as_str);
        self.selector.iter().all(|(k, v)| label(k) == Some(v.as_str()))
            && self.affinity.as_ref().is_none_or(|a| a.matches(node))
    }
}

/// The PreFilter's node set: for each term the intersection of its `metadata.name In` values,
/// the union over the terms; None when some term does not pin names (every node is eligible).
/// An empty set means the terms conflict (`errReasonConflict`).
pub fn node_names(pod: &Value) -> Option<Vec<String>> {
    let terms = pod
        .at("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms")?
        .as_list();
    if terms.is_empty() {
        return None;
    }
    let mut union: Vec<String> = Vec::new();
    for t in terms {
        let mut names: Option<Vec<String>> = None;
        for f in t.get("matchFields").map(Value::as_list).unwrap_or(&[]) {
            if f.str_at("key") == "metadata.name" && f.str_at("operator") == "In" {
                let values = strings(f);
                names = Some(match names {
                    None => values,
                    Some(have) => have.into_iter().filter(|n| values.contains(n)).collect(),
                });
            }
        }
        union.extend(names?);
    }
    crate::sort::natural(&mut union);
    union.dedup();
    Some(union)
}

/// The preferred terms (`NewPreferredSchedulingTerms`: weight 0 and empty preferences dropped).
pub fn preferred(pod: &Value) -> Vec<(i64, Term)> {
    pod.at("spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .filter_map(|p| {
            let weight = p.get("weight").and_then(Value::as_i64).unwrap_or(0);
            let term = Term::parse(p.get("preference").unwrap_or(&Value::Null))?;
            (weight != 0).then_some((weight, term))
        })
        .collect()
}

/// `PreferredSchedulingTerms.Score`: the weights of the terms the node matches.
pub fn preferred_score(terms: &[(i64, Term)], node: &Value) -> i64 {
    let labels = node.at("metadata.labels");
    terms
        .iter()
        .filter(|(_, t)| t.matches(labels, Some(meta::name(node))))
        .fold(0i64, |sum, (w, _)| sum.saturating_add(*w))
}

/// Whether `node` satisfies the pod's `nodeSelector` and required node affinity (the
/// DaemonSet controller asks the same question of each node).
pub fn node_affinity_matches(p: &Value, node: &Value) -> bool {
    Required::of(p).matches(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(labels: &[(&str, &str)]) -> Value {
        let mut n = Value::map();
        n.set("metadata.name", "node-a");
        for (k, v) in labels {
            n.set(&format!("metadata.labels.{k}"), *v);
        }
        n
    }

    fn pod_with(expr: &str) -> Value {
        let yaml = format!("spec:\n  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n        - {expr}\n");
        crate::yaml::value_of(&yaml)
    }

    #[test]
    fn gt_and_lt_compare_integers() {
        let p = pod_with("matchExpressions: [{key: gen, operator: Gt, values: [\"5\"]}]");
        assert!(node_affinity_matches(&p, &node(&[("gen", "6")])));
        assert!(!node_affinity_matches(&p, &node(&[("gen", "5")])));
        assert!(!node_affinity_matches(&p, &node(&[("gen", "six")])));
        assert!(!node_affinity_matches(&p, &node(&[])));
        let p = pod_with("matchExpressions: [{key: gen, operator: Lt, values: [\"5\"]}]");
        assert!(node_affinity_matches(&p, &node(&[("gen", "-1")])));
        // A value that is not one integer makes the term match nothing.
        let p = pod_with("matchExpressions: [{key: gen, operator: Gt, values: [\"x\"]}]");
        assert!(!node_affinity_matches(&p, &node(&[("gen", "6")])));
    }

    #[test]
    fn name_sets() {
        let p = pod_with("matchFields: [{key: metadata.name, operator: In, values: [node-b]}]");
        assert_eq!(node_names(&p), Some(vec!["node-b".to_string()]));
        assert!(!node_affinity_matches(&p, &node(&[])));
        let p = pod_with("matchExpressions: [{key: a, operator: Exists}]");
        assert_eq!(node_names(&p), None);
        let p = pod_with("matchFields: [{key: metadata.name, operator: In, values: [x]}, {key: metadata.name, operator: In, values: [y]}]");
        assert_eq!(node_names(&p), Some(vec![]));
        // Another field reads as empty: NotIn any value matches.
        let p = pod_with("matchFields: [{key: spec.foo, operator: NotIn, values: [x]}]");
        assert!(node_affinity_matches(&p, &node(&[])));
    }
}
