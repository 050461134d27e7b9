//! A pod's quality-of-service class (kubernetes `pkg/apis/core/helper/qos/qos.go`
//! `ComputePodQOS`; kubectl has the same code in `pkg/util/qos/qos.go`). The API server stores it
//! in `status.qosClass` when the pod is created, after defaulting (`pkg/registry/core/pod/
//! strategy.go` `PrepareForCreate`), and `kubectl describe` prints the stored class
//! (`GetPodQOS`).

use std::collections::BTreeMap;

use crate::quantity::Quantity;
use crate::value::Value;

/// `ComputePodQOS`. Only cpu and memory count, and only quantities above zero. With pod-level
/// `spec.resources` those decide; otherwise the requests and the limits of all containers and
/// init containers are summed. BestEffort when nothing is set; Guaranteed when every container
/// (or the pod) has cpu and memory limits and the summed requests equal the summed limits;
/// Burstable otherwise.
pub fn compute(pod: &Value) -> &'static str {
    let mut requests: BTreeMap<&str, Quantity> = BTreeMap::new();
    let mut limits: BTreeMap<&str, Quantity> = BTreeMap::new();
    let mut guaranteed = true;
    let pod_level = pod.at("spec.resources").filter(|r| !r.is_null());
    let scopes: Vec<&Value> = match pod_level {
        Some(r) => vec![r],
        None => ["spec.containers", "spec.initContainers"]
            .iter()
            .flat_map(|path| pod.at(path).map(Value::as_list).unwrap_or(&[]))
            .map(|c| c.get("resources").unwrap_or(&Value::Null))
            .collect(),
    };
    for resources in scopes {
        add_positive(&mut requests, resources.get("requests"));
        let found = add_positive(&mut limits, resources.get("limits"));
        if !(found.contains(&"cpu") && found.contains(&"memory")) {
            guaranteed = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed && requests.iter().all(|(name, req)| limits.get(name) == Some(req)) && requests.len() == limits.len()
    {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

/// Add the cpu and memory quantities above zero of `list` into `sums`; the names added.
fn add_positive<'a>(sums: &mut BTreeMap<&'a str, Quantity>, list: Option<&'a Value>) -> Vec<&'a str> {
    let mut found = Vec::new();
    for (name, value) in list.and_then(Value::as_map).into_iter().flat_map(|m| m.iter()) {
        if name != "cpu" && name != "memory" {
            continue;
        }
        let Some(q) = quantity(value).filter(|q| *q > Quantity::from_i64(0, q.format())) else {
            continue;
        };
        found.push(name);
        let sum = match sums.get(name) {
            Some(have) => q.add(have).unwrap_or(q),
            None => q,
        };
        sums.insert(name, sum);
    }
    found
}

/// A stored quantity (a string, or a number a manifest wrote bare).
pub fn quantity(v: &Value) -> Option<Quantity> {
    match v {
        Value::Str(s) => Quantity::parse(s).ok(),
        Value::Int(i) => Some(Quantity::from_i64(*i, crate::quantity::Format::DecimalSI)),
        _ => None,
    }
}

/// `GetPodQOS`: the class the API server stored, or computed if there is none.
pub fn of(pod: &Value) -> &str {
    match pod.str_at("status.qosClass") {
        "" => compute(pod),
        stored => stored,
    }
}

#[cfg(test)]
mod tests {
    use super::compute;

    fn pod(containers: &str) -> crate::value::Value {
        crate::yaml::value_of(&format!("spec:\n  containers:\n{containers}"))
    }

    #[test]
    fn classes() {
        assert_eq!(compute(&pod("  - name: a\n")), "BestEffort");
        let equal = "  - name: a\n    resources:\n      requests: {cpu: 500m, memory: 128Mi}\n      limits: {cpu: 500m, memory: 128Mi}\n";
        assert_eq!(compute(&pod(equal)), "Guaranteed");
        let two = format!("{equal}{}", equal.replace("name: a", "name: b"));
        assert_eq!(compute(&pod(&two)), "Guaranteed");
        let burst = "  - name: a\n    resources:\n      requests: {cpu: 250m, memory: 128Mi}\n      limits: {cpu: 500m, memory: 128Mi}\n";
        assert_eq!(compute(&pod(burst)), "Burstable");
        let cpu_only = "  - name: a\n    resources:\n      requests: {cpu: 500m}\n      limits: {cpu: 500m}\n";
        assert_eq!(compute(&pod(cpu_only)), "Burstable");
        // One container without limits makes the pod Burstable.
        assert_eq!(compute(&pod(&format!("{equal}  - name: b\n"))), "Burstable");
        // Zero quantities do not count.
        let zero = "  - name: a\n    resources:\n      requests: {cpu: \"0\"}\n";
        assert_eq!(compute(&pod(zero)), "BestEffort");
    }
}
