//! `pkg/apis/core/validation/validation.go` for the core kinds other than Pod:
//! PersistentVolumeClaim.

use super::{forbidden, json, required, unsupported};
use crate::value::Value;

/// The claim spec rules of `ValidatePersistentVolumeClaimSpec` a learner meets.
pub fn claim_spec(errs: &mut Vec<String>, spec: &Value, path: &str) {
    let modes = spec.get("accessModes").map(Value::as_list).unwrap_or(&[]);
    if modes.is_empty() {
        errs.push(required(
            &format!("{path}.accessModes"),
            "at least 1 access mode is required",
        ));
    }
    const MODES: [&str; 4] = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];
    for m in modes {
        if !m.as_str().is_some_and(|s| MODES.contains(&s)) {
            errs.push(unsupported(&format!("{path}.accessModes"), json(m), &MODES));
        }
    }
    if spec.at("resources.requests.storage").is_none() {
        errs.push(required(&format!("{path}.resources[storage]"), ""));
    }
}

/// `ValidatePersistentVolumeClaimUpdate`.
pub fn claim_update(errs: &mut Vec<String>, new: &Value, old: &Value) {
    // ValidatePersistentVolumeClaimUpdate (pkg/apis/core/validation/validation.go): the
    // requested size may change only on a bound claim.
    let bound = old.str_at("status.phase") == "Bound";
    let strip = |v: &Value| {
        let mut spec = v.get("spec").cloned().unwrap_or_default();
        if bound {
            spec.remove("resources.requests.storage");
            if spec
                .at("resources.requests")
                .and_then(Value::as_map)
                .is_some_and(|m| m.is_empty())
            {
                spec.remove("resources.requests");
            }
        }
        spec.remove("volumeAttributesClassName");
        if old.at("spec.volumeName").is_some() && v.at("spec.volumeName").is_none() {
            spec.remove("volumeName");
        }
        spec
    };
    if strip(new) != strip(old) {
        errs.push(forbidden(
            "spec",
            "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
        ));
    }
    // A smaller request is allowed only down to status.capacity, to recover from a
    // failed expansion (RecoverVolumeExpansionFailure, GA and locked on in 1.34).
    let size = |v: &Value, path: &str| crate::controllers::volumes::quantity_bytes(v.str_at(path));
    let (wanted, before) = (
        size(new, "spec.resources.requests.storage"),
        size(old, "spec.resources.requests.storage"),
    );
    if bound && wanted < before && wanted <= size(old, "status.capacity.storage") {
        errs.push(forbidden(
            "spec.resources.requests.storage",
            "field can not be less than status.capacity",
        ));
    }
}
