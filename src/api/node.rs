//! What the API says about a Node: its Ready condition, its taints, the conditions a healthy
//! kubelet posts, and the well-known taint keys (`k8s.io/api/core/v1` `well_known_taints.go`).

use crate::value::Value;

/// `v1.TaintNodeUnreachable`.
pub const UNREACHABLE: &str = "node.kubernetes.io/unreachable";
/// `v1.TaintNodeOutOfService`.
pub const OUT_OF_SERVICE: &str = "node.kubernetes.io/out-of-service";

/// The status of the node's Ready condition (`True`, `False`, `Unknown`; empty without one).
pub fn ready_status(node: &Value) -> &str {
    node.at("status.conditions")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .find(|cond| cond.get("type").and_then(Value::as_str) == Some("Ready"))
        .map_or("", |cond| cond.get("status").and_then(Value::as_str).unwrap_or(""))
}

/// The node's taints with `key`.
pub fn has_taint(node: &Value, key: &str) -> bool {
    node.at("spec.taints")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .any(|t| t.str_at("key") == key)
}

/// The conditions a healthy node's kubelet posts, in the order of its status setters
/// (`pkg/kubelet/nodestatus/setters.go` MemoryPressureCondition, DiskPressureCondition,
/// PIDPressureCondition, ReadyCondition): type, status, reason, message.
pub const KUBELET_CONDITIONS: [(&str, &str, &str, &str); 4] = [
    (
        "MemoryPressure",
        "False",
        "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available",
    ),
    (
        "DiskPressure",
        "False",
        "KubeletHasNoDiskPressure",
        "kubelet has no disk pressure",
    ),
    (
        "PIDPressure",
        "False",
        "KubeletHasSufficientPID",
        "kubelet has sufficient PID available",
    ),
    ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
];
