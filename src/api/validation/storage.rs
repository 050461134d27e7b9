//! `pkg/apis/storage/validation/validation.go`: StorageClass.

use super::{forbidden, invalid, json};
use crate::value::Value;

/// `ValidateStorageClassUpdate`.
pub fn storage_class_update(errs: &mut Vec<String>, new: &Value, old: &Value) {
    for (field, msg) in [
        ("parameters", "updates to parameters are forbidden."),
        ("provisioner", "updates to provisioner are forbidden."),
        ("reclaimPolicy", "updates to reclaimPolicy are forbidden."),
    ] {
        if new.get(field) != old.get(field) {
            errs.push(forbidden(field, msg));
        }
    }
    if new.get("volumeBindingMode") != old.get("volumeBindingMode") {
        errs.push(invalid(
            "volumeBindingMode",
            json(new.get("volumeBindingMode").unwrap_or(&Value::Null)),
            "field is immutable",
        ));
    }
}
