//! NodeUnschedulable (`pkg/scheduler/framework/plugins/nodeunschedulable`) and TaintToleration
//! (`pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go`): the filter on a
//! node's `NoSchedule` and `NoExecute` taints, and the score on its `PreferNoSchedule` ones.

use super::status::Rejection;
use crate::api::pod;
use crate::value::Value;

fn tolerations(p: &Value) -> &[Value] {
    p.at("spec.tolerations").map(Value::as_list).unwrap_or(&[])
}

fn taints(node: &Value) -> &[Value] {
    node.at("spec.taints").map(Value::as_list).unwrap_or(&[])
}

fn tolerated(p: &Value, taint: &Value) -> bool {
    tolerations(p).iter().any(|t| pod::tolerates(t, taint))
}

/// A `NoSchedule` or `NoExecute` taint the pod does not tolerate
/// (`FindMatchingUntoleratedTaint` with `DoNotScheduleTaintsFilterFunc`).
pub fn untolerated(p: &Value, node: &Value) -> bool {
    taints(node)
        .iter()
        .any(|t| matches!(t.str_at("effect"), "NoSchedule" | "NoExecute") && !tolerated(p, t))
}

/// NodeUnschedulable, then TaintToleration; both UnschedulableAndUnresolvable. A node that is
/// not Ready carries the `not-ready` or `unreachable` NoSchedule taint on a real cluster; the
/// simulated node lifecycle controller adds only the unreachable taints, after 50 s, so a node
/// that is not Ready counts as tainted from the start.
pub fn filter(p: &Value, node: &Value, ready: bool) -> Result<(), Rejection> {
    // A cordoned node takes only pods that tolerate its taint (DaemonSet pods).
    if node.at("spec.unschedulable").and_then(Value::as_bool) == Some(true) {
        let mut taint = Value::map();
        taint.set("key", "node.kubernetes.io/unschedulable");
        taint.set("effect", "NoSchedule");
        if !tolerated(p, &taint) {
            return Err(Rejection::unresolvable("node(s) were unschedulable"));
        }
    }
    // TaintToleration names no taint since v1.34 (it used to print `{key: value}`).
    if untolerated(p, node) || !ready {
        return Err(Rejection::unresolvable("node(s) had untolerated taint(s)"));
    }
    Ok(())
}

/// The TaintToleration score before normalizing: the node's `PreferNoSchedule` taints that no
/// toleration with that effect (or no effect) tolerates (`countIntolerableTaintsPreferNoSchedule`).
pub fn prefer_no_schedule(p: &Value, node: &Value) -> i64 {
    let prefer: Vec<&Value> = tolerations(p)
        .iter()
        .filter(|t| matches!(t.str_at("effect"), "" | "PreferNoSchedule"))
        .collect();
    taints(node)
        .iter()
        .filter(|t| t.str_at("effect") == "PreferNoSchedule" && !prefer.iter().any(|tol| pod::tolerates(tol, t)))
        .count() as i64
}
