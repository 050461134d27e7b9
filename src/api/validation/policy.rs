//! `pkg/apis/policy/validation/validation.go`: PodDisruptionBudget.

use super::{
    generic_object_meta, go_json, go_struct, int_or_percent, int_or_string, invalid, label_selector,
    label_selector_json, not_more_than_100_percent, typed, unsupported,
};
use crate::names::BadValue;
use crate::value::Value;

/// `ValidatePodDisruptionBudget`, which checks the spec only (it does not call
/// ValidateObjectMeta: a PDB name need not be a DNS name), then, when that passed, the
/// registry's generic ObjectMeta check with `ValidatePathSegmentName` (`rest.BeforeCreate`).
pub fn pdb(errs: &mut Vec<String>, obj: &Value) {
    let before = errs.len();
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    let (min, max) = (
        spec.get("minAvailable").filter(|v| !v.is_null()),
        spec.get("maxUnavailable").filter(|v| !v.is_null()),
    );
    if min.is_some() && max.is_some() {
        // The value is the whole internal `policy.PodDisruptionBudgetSpec` (Go field names).
        let value = go_struct(&[
            ("MinAvailable", int_or_string(min)),
            (
                "Selector",
                spec.get("selector").map_or("null".into(), label_selector_json),
            ),
            ("MaxUnavailable", int_or_string(max)),
            (
                "UnhealthyPodEvictionPolicy",
                spec.get("unhealthyPodEvictionPolicy").map_or("null".into(), go_json),
            ),
        ]);
        errs.push(invalid(
            "spec",
            BadValue::Raw(value),
            "minAvailable and maxUnavailable cannot be both set",
        ));
    }
    for (field, v) in [("minAvailable", min), ("maxUnavailable", max)] {
        if let Some(v) = v {
            let path = format!("spec.{field}");
            int_or_percent(errs, v, &path);
            not_more_than_100_percent(errs, v, &path);
        }
    }
    label_selector(errs, spec.get("selector"), "spec.selector");
    if let Some(p) = spec.get("unhealthyPodEvictionPolicy").and_then(Value::as_str) {
        if !["AlwaysAllow", "IfHealthyBudget"].contains(&p) {
            errs.push(unsupported(
                "spec.unhealthyPodEvictionPolicy",
                typed(p),
                &["AlwaysAllow", "IfHealthyBudget"],
            ));
        }
    }
    if errs.len() == before {
        generic_object_meta(errs, obj);
    }
}

#[cfg(test)]
mod tests {
    use crate::api::resources::Kind;
    use crate::api::validation::validate_create;

    fn pdb(spec: &str) -> Vec<String> {
        validate_create(Kind::PodDisruptionBudget, &crate::yaml::value_of(spec))
    }

    #[test]
    fn the_pdb_both_set_error_prints_the_spec_struct() {
        assert_eq!(
            pdb("metadata:\n  name: both\nspec:\n  minAvailable: 2\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: web\n"),
            ["spec: Invalid value: {\"MinAvailable\":2,\"Selector\":{\"matchLabels\":{\"app\":\"web\"}},\"MaxUnavailable\":1,\"UnhealthyPodEvictionPolicy\":null}: minAvailable and maxUnavailable cannot be both set"]
        );
    }

    #[test]
    fn a_pdb_name_needs_only_to_be_a_path_segment() {
        assert!(pdb("metadata:\n  name: Web_PDB\nspec:\n  minAvailable: 1\n").is_empty());
        assert_eq!(
            pdb("metadata:\n  name: a/b\nspec:\n  minAvailable: 1\n"),
            ["metadata.name: Invalid value: \"a/b\": may not contain '/'"]
        );
        // The name is checked only once the spec passed.
        assert_eq!(
            pdb("metadata:\n  name: a/b\nspec:\n  minAvailable: 50\n  maxUnavailable: 150%\n").len(),
            2
        );
    }
}
