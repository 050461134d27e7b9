//! `pkg/apis/storage/validation/validation.go`: StorageClass. Its fields are top-level, so
//! the paths have no `spec.` prefix.

use super::{
    forbidden, invalid, json, list, object_meta, qualified_name, required, string, too_long, typed, unsupported,
};
use crate::api::resources::Kind;
use crate::value::Value;

/// `ValidateStorageClass`: the object meta, provisioner, parameters, reclaimPolicy,
/// volumeBindingMode, allowedTopologies. `mountOptions` and `allowVolumeExpansion` are not
/// validated upstream either.
pub fn storage_class(errs: &mut Vec<String>, obj: &Value) {
    object_meta(errs, Kind::StorageClass, obj);
    // validateProvisioner: required; a qualified name once lowercased (the value printed is
    // the lowercased one).
    let provisioner = obj.str_at("provisioner");
    if provisioner.is_empty() {
        errs.push(required("provisioner", ""));
    } else {
        qualified_name(errs, "provisioner", &provisioner.to_ascii_lowercase());
    }
    // validateParameters (allowEmpty): at most 512 entries (said in bytes, sic), no empty key,
    // keys and values at most 256 KiB together.
    if let Some(params) = obj.get("parameters").and_then(Value::as_map) {
        if params.len() > 512 {
            errs.push(too_long("parameters", 512));
        } else {
            let mut size = 0;
            for (k, v) in params.iter() {
                if k.is_empty() {
                    errs.push(invalid("parameters", string(k), "field can not be empty."));
                }
                size += k.len() + v.as_str().map_or(0, str::len);
            }
            if size > 256 * 1024 {
                errs.push(too_long("parameters", 256 * 1024));
            }
        }
    }
    // validateReclaimPolicy: an empty one is skipped (and stored as it is); the supported
    // values are `sets.NewString(...).List()`, sorted.
    let reclaim = obj.str_at("reclaimPolicy");
    if !reclaim.is_empty() && !["Delete", "Retain"].contains(&reclaim) {
        errs.push(unsupported("reclaimPolicy", typed(reclaim), &["Delete", "Retain"]));
    }
    // validateVolumeBindingMode: nil was defaulted to Immediate; an empty one is unsupported.
    match obj.get("volumeBindingMode") {
        None | Some(Value::Null) => errs.push(required("volumeBindingMode", "")),
        Some(mode) => {
            let mode = mode.as_str().unwrap_or("");
            if !["Immediate", "WaitForFirstConsumer"].contains(&mode) {
                errs.push(unsupported(
                    "volumeBindingMode",
                    typed(mode),
                    &["Immediate", "WaitForFirstConsumer"],
                ));
            }
        }
    }
    allowed_topologies(errs, list(obj, "allowedTopologies"));
}

/// `validateAllowedTopologies` with `ValidateTopologySelectorTerm`: each requirement has
/// values, without repeats, and a label key; a key once per term; no two terms alike.
/// Upstream compares each term with a list that starts with as many empty entries as there
/// are terms (`make(..., len(topologies))` then `append`), so a term without expressions is
/// always reported as a duplicate.
fn allowed_topologies(errs: &mut Vec<String>, terms: &[Value]) {
    let mut earlier: Vec<Vec<(String, Vec<String>)>> = Vec::new();
    for (i, term) in terms.iter().enumerate() {
        let at = format!("allowedTopologies[{i}]");
        let mut expressions: Vec<(String, Vec<String>)> = Vec::new();
        for (j, e) in list(term, "matchLabelExpressions").iter().enumerate() {
            let epath = format!("{at}.matchLabelExpressions[{j}]");
            let values = list(e, "values");
            if values.is_empty() {
                errs.push(required(&format!("{epath}.values"), ""));
            }
            let mut set: Vec<String> = Vec::new();
            for (k, v) in values.iter().enumerate() {
                let v = v.as_str().unwrap_or("").to_string();
                if set.contains(&v) {
                    errs.push(super::duplicate(&format!("{epath}.values[{k}]"), string(&v)));
                } else {
                    set.push(v);
                }
            }
            set.sort();
            let key = e.str_at("key");
            qualified_name(errs, &format!("{epath}.key"), key);
            if expressions.iter().any(|(k, _)| k == key) {
                errs.push(super::duplicate(&format!("{epath}.key"), string(key)));
                expressions.retain(|(k, _)| k != key);
            }
            expressions.push((key.to_string(), set));
        }
        expressions.sort();
        let repeats = earlier.iter().filter(|t| **t == expressions).count()
            + if expressions.is_empty() { terms.len() } else { 0 };
        for _ in 0..repeats {
            errs.push(super::duplicate(&format!("{at}.matchLabelExpressions"), string("")));
        }
        earlier.push(expressions);
    }
}

/// `ValidateStorageClassUpdate`, after the create rules: parameters, provisioner and
/// reclaimPolicy may not change (Forbidden), volumeBindingMode is immutable (Invalid).
pub fn storage_class_update(errs: &mut Vec<String>, new: &Value, old: &Value) {
    let params = |v: &Value| {
        v.get("parameters")
            .filter(|p| p.as_map().is_some_and(|m| !m.is_empty()))
            .cloned()
    };
    if params(new) != params(old) {
        errs.push(forbidden("parameters", "updates to parameters are forbidden."));
    }
    for (field, msg) in [
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
