//! What the API says about volumes: a storage size in bytes, the CSI driver behind a class or a
//! PV (CSI migration), the zone a PV is pinned to, and the binding mode of a class.

use crate::value::Value;

/// Annotation a WaitForFirstConsumer claim gets with the node the scheduler chose.
pub const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";

/// Whether a claim of this class waits for a pod to be scheduled (the scheduler's
/// `IsDelayBindingMode`: the class exists and says `WaitForFirstConsumer`).
pub fn delayed_binding(class: Option<&Value>) -> bool {
    class.is_some_and(|sc| sc.str_at("volumeBindingMode") == "WaitForFirstConsumer")
}

/// Bytes of a storage quantity like `1Gi` (0 when unreadable).
pub fn quantity_bytes(q: &str) -> u128 {
    let q = q.trim();
    let split = q
        .find(|ch: char| !(ch.is_ascii_digit() || ch == '.'))
        .unwrap_or(q.len());
    let (num, suffix) = q.split_at(split);
    let n: f64 = num.parse().unwrap_or(0.0);
    let mult: f64 = match suffix {
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024.0_f64.powi(4),
        "Pi" => 1024.0_f64.powi(5),
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        _ => 1.0,
    };
    (n * mult) as u128
}

/// CSI migration (GA; the in-tree AWS code was removed in v1.27): claims of a class that names
/// the in-tree `kubernetes.io/aws-ebs` are provisioned by the EBS CSI driver, and their PVs are
/// written in the in-tree form (`awsElasticBlockStore`, `pv.kubernetes.io/migrated-to`), as
/// csi-translation-lib and the external provisioner do.
pub fn csi_provisioner(name: &str) -> &str {
    match name {
        "kubernetes.io/aws-ebs" => "ebs.csi.aws.com",
        other => other,
    }
}

/// The CSI driver that serves a PV: its `csi.driver`, or the one its in-tree source migrates to.
pub fn pv_driver(pv: &Value) -> &str {
    if pv.at("spec.awsElasticBlockStore").is_some() {
        "ebs.csi.aws.com"
    } else {
        pv.str_at("spec.csi.driver")
    }
}

/// The zone a PV is pinned to by its node affinity, if any.
pub fn pv_zone(pv: &Value) -> Option<String> {
    let terms = pv
        .at("spec.nodeAffinity.required.nodeSelectorTerms")
        .map(Value::as_list)
        .unwrap_or(&[]);
    terms.iter().find_map(|t| {
        t.get("matchExpressions")
            .map(Value::as_list)
            .unwrap_or(&[])
            .iter()
            .find_map(|e| {
                let key = e.str_at("key");
                (key.ends_with("/zone"))
                    .then(|| {
                        e.get("values")
                            .map(Value::as_list)
                            .unwrap_or(&[])
                            .first()
                            .and_then(Value::as_str)
                            .map(str::to_string)
                    })
                    .flatten()
            })
    })
}
