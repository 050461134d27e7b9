//! NodeResourcesFit (`pkg/scheduler/framework/plugins/noderesources/fit.go`): a pod's requests
//! against what a node has left, and the LeastAllocated score (`least_allocated.go`,
//! `resource_allocation.go`); NodeResourcesBalancedAllocation (`balanced_allocation.go`).

use super::snapshot::NodeInfo;
use super::status::Rejection;
use crate::api::pod;
use crate::quantity::Quantity;
use crate::value::Value;

/// The resources the filter checks by name, in its order: cpu (millicores), memory and
/// ephemeral-storage (bytes).
pub const NAMES: [&str; 3] = ["cpu", "memory", "ephemeral-storage"];
/// What a container without a cpu or memory request counts for in scores (`schedutil`
/// `DefaultMilliCPURequest`, `DefaultMemoryRequest`: 100m and 200Mi).
const NON_ZERO: [i64; 2] = [100, 200 * 1024 * 1024];

/// What a pod requests (`resourcehelper.PodRequests` over its containers; init containers are
/// refused at Apply, pod-level `spec.resources` and `spec.overhead` are not modelled).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Request {
    pub amounts: [i64; 3],
    /// cpu and memory with the defaults for a container that requests none (`NonZeroRequested`).
    pub non_zero: [i64; 2],
    /// Extended resources, hugepages and other scalar resources (`ScalarResources`).
    pub scalar: Vec<(String, i64)>,
}

/// A quantity as the scheduler counts it: millicores for cpu, whole units otherwise (`Value()`,
/// rounded up). A value that does not parse counts 0 (the API server refuses it on create).
pub fn quantity(v: &Value, milli: bool) -> i64 {
    let owned;
    let text: &str = match v {
        Value::Str(s) => s,
        Value::Int(i) => {
            owned = i.to_string();
            &owned
        }
        Value::Float(f) => {
            owned = f.to_string();
            &owned
        }
        _ => return 0,
    };
    // Whole numbers, bare or with a binary suffix (`4`, `110`, `16Gi`: what node allocatables
    // say), without the general parser: each pass reads every node's.
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let shift = match &text[digits..] {
        "" => Some(0),
        "Ki" => Some(10),
        "Mi" => Some(20),
        "Gi" => Some(30),
        "Ti" => Some(40),
        _ => None,
    };
    if let (Some(shift), Ok(n)) = (shift, text[..digits].parse::<i64>()) {
        let n = n
            .checked_mul(1 << shift)
            .and_then(|n| if milli { n.checked_mul(1000) } else { Some(n) });
        if let Some(n) = n {
            return n;
        }
    }
    let q = Quantity::parse(text).ok();
    let n = q.and_then(|q| if milli { q.milli_value() } else { q.value() });
    n.map_or(0, |n| i64::try_from(n.max(0)).unwrap_or(i64::MAX))
}

/// `v1helper.IsScalarResourceName`: extended (a domain-prefixed name outside kubernetes.io),
/// hugepages, prefixed native and attachable-volumes resources.
fn is_scalar(name: &str) -> bool {
    name.contains('/') || name.starts_with("hugepages-") || name.starts_with("attachable-volumes-")
}

impl Request {
    pub fn of(p: &Value) -> Request {
        let mut r = Request::default();
        for c in pod::containers(p) {
            let requests = c.at("resources.requests").and_then(Value::as_map);
            for (i, name) in NAMES.iter().enumerate() {
                let v = requests.and_then(|m| m.get(*name));
                let n = v.map_or(0, |v| quantity(v, i == 0));
                r.amounts[i] = r.amounts[i].saturating_add(n);
                if i < 2 {
                    r.non_zero[i] = r.non_zero[i].saturating_add(if v.is_some() { n } else { NON_ZERO[i] });
                }
            }
            for (name, v) in requests.into_iter().flat_map(|m| m.iter()) {
                if !NAMES.contains(&name) && is_scalar(name) {
                    add_scalar(&mut r.scalar, name, quantity(v, false));
                }
            }
        }
        r
    }

    /// A best-effort pod requests nothing (`isBestEffortPod`).
    pub fn is_zero(&self) -> bool {
        self.amounts.iter().all(|n| *n == 0) && self.scalar.iter().all(|(_, n)| *n == 0)
    }
}

/// Add `n` of resource `name` to a list of scalar amounts.
pub fn add_scalar(list: &mut Vec<(String, i64)>, name: &str, n: i64) {
    match list.iter_mut().find(|(k, _)| k == name) {
        Some((_, have)) => *have = have.saturating_add(n),
        None => list.push((name.to_string(), n)),
    }
}

fn scalar_of(list: &[(String, i64)], name: &str) -> i64 {
    list.iter().find(|(k, _)| k == name).map_or(0, |(_, n)| *n)
}

/// A node's `status.allocatable`: cpu, memory, ephemeral-storage, then pods; a missing entry is
/// 0, as in the scheduler's `NodeInfo`.
pub fn allocatable(node: &Value) -> [i64; 4] {
    let a = node.at("status.allocatable");
    let get = |name: &str, milli: bool| a.and_then(|a| a.get(name)).map_or(0, |v| quantity(v, milli));
    [
        get("cpu", true),
        get("memory", false),
        get("ephemeral-storage", false),
        get("pods", false),
    ]
}

/// `fitsRequest`: `Too many pods` when the node holds its allowed number already, then every
/// resource the pod requests more of than the node has left, each its own reason
/// (`Insufficient cpu`, …). The status is UnschedulableAndUnresolvable when the pod requests
/// more than the node's whole allocatable of some resource (no preemption can make room).
pub fn filter(r: &Request, n: &NodeInfo) -> Result<(), Rejection> {
    let mut reasons: Vec<String> = Vec::new();
    let mut unresolvable = false;
    if n.pods + 1 > n.allocatable[3] {
        reasons.push("Too many pods".into());
    }
    if !r.is_zero() {
        for (i, name) in NAMES.iter().enumerate() {
            let want = r.amounts[i];
            if want > 0 && want > n.allocatable[i].saturating_sub(n.requested[i]) {
                reasons.push(format!("Insufficient {name}"));
                unresolvable |= want > n.allocatable[i];
            }
        }
        for (name, want) in &r.scalar {
            let alloc = scalar_of(&n.scalar_allocatable, name);
            if *want > 0 && *want > alloc.saturating_sub(scalar_of(&n.scalar_requested, name)) {
                reasons.push(format!("Insufficient {name}"));
                unresolvable |= *want > alloc;
            }
        }
    }
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(Rejection { unresolvable, reasons })
    }
}

/// The NodeResourcesFit score with the default LeastAllocated strategy, cpu and memory weighted
/// 1 each: per resource `(allocatable − requested) × 100 / allocatable` (0 when over), where
/// requested is the node's and the pod's non-zero requests; the mean over the resources the
/// node has (`leastResourceScorer`). Not normalized.
pub fn least_allocated(r: &Request, n: &NodeInfo) -> i64 {
    let (mut sum, mut weights) = (0i64, 0i64);
    for i in 0..2 {
        let capacity = n.allocatable[i];
        if capacity == 0 {
            continue;
        }
        let requested = n.non_zero[i].saturating_add(r.non_zero[i]);
        sum += if requested > capacity {
            0
        } else {
            (capacity - requested).saturating_mul(100) / capacity
        };
        weights += 1;
    }
    if weights == 0 {
        0
    } else {
        sum / weights
    }
}

/// The NodeResourcesBalancedAllocation score: with the fractions of cpu and memory the node and
/// the pod request (actual requests, each capped at 1), `(1 − |f_cpu − f_memory| / 2) × 100`,
/// truncated (`balancedResourceScorer`). Not run for a best-effort pod: its PreScore is Skip
/// (kubernetes/kubernetes#129138).
pub fn balanced(r: &Request, n: &NodeInfo) -> i64 {
    let mut fractions: Vec<f64> = Vec::new();
    for i in 0..2 {
        let capacity = n.allocatable[i];
        if capacity == 0 {
            continue;
        }
        let requested = n.requested[i].saturating_add(r.amounts[i]);
        fractions.push((requested as f64 / capacity as f64).min(1.0));
    }
    let std = match fractions.as_slice() {
        [a, b] => ((a - b) / 2.0).abs(),
        _ => 0.0,
    };
    ((1.0 - std) * 100.0) as i64
}

#[cfg(test)]
mod tests {
    use super::quantity;
    use crate::value::Value;

    #[test]
    fn quantities_as_the_scheduler_counts_them() {
        let q = |s: &str, milli: bool| quantity(&Value::from(s), milli);
        // The fast path and the parser agree.
        for (text, milli, want) in [
            ("4", true, 4000),
            ("500m", true, 500),
            ("1.5", true, 1500),
            ("16Gi", false, 16 << 30),
            ("110", false, 110),
            ("6Gi", false, 6 << 30),
            ("1G", false, 1_000_000_000),
            ("100Mi", true, (100 << 20) * 1000),
            ("0.5Ki", false, 512),
            ("bad", false, 0),
        ] {
            assert_eq!(q(text, milli), want, "{text}");
        }
    }
}
