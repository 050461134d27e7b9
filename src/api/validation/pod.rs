//! The pod spec rules of `pkg/apis/core/validation/validation.go` (ValidatePodSpec,
//! ValidatePodTemplateSpec), for Pods and for every workload's template.

use super::{not_found, required, string};
use crate::value::Value;

/// The pod spec rules a learner meets: containers present, names, images, and every
/// volumeMount naming a volume (claim templates count as volumes for a StatefulSet).
pub fn pod_spec(errs: &mut Vec<String>, spec: &Value, path: &str, claim_volumes: &[String]) {
    let containers = spec.get("containers").map(Value::as_list).unwrap_or(&[]);
    if containers.is_empty() {
        errs.push(required(&format!("{path}.containers"), ""));
    }
    let mut volumes: Vec<String> = spec
        .get("volumes")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .map(|v| v.str_at("name").to_string())
        .collect();
    // A StatefulSet's claim templates become volumes of its pods.
    volumes.extend(claim_volumes.iter().cloned());
    for (i, c) in containers.iter().enumerate() {
        let cpath = format!("{path}.containers[{i}]");
        if c.str_at("name").is_empty() {
            errs.push(required(&format!("{cpath}.name"), ""));
        }
        if c.str_at("image").is_empty() {
            errs.push(required(&format!("{cpath}.image"), ""));
        }
        for (j, m) in c
            .get("volumeMounts")
            .map(Value::as_list)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let name = m.str_at("name");
            if !volumes.iter().any(|v| v == name) {
                errs.push(not_found(&format!("{cpath}.volumeMounts[{j}].name"), string(name)));
            }
        }
    }
}
