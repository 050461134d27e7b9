//! `pkg/apis/policy/validation/validation.go`: PodDisruptionBudget.

use super::{go_json, go_struct, int_or_string, invalid, label_selector_json};
use crate::names::BadValue;
use crate::value::Value;

/// `ValidatePodDisruptionBudgetSpec`.
pub fn pdb(errs: &mut Vec<String>, obj: &Value) {
    // The value is the whole internal `policy.PodDisruptionBudgetSpec`, printed as its JSON
    // (Go field names).
    if obj.at("spec.minAvailable").is_some() && obj.at("spec.maxUnavailable").is_some() {
        let spec = |f: &str| obj.at(&format!("spec.{f}"));
        let value = go_struct(&[
            ("MinAvailable", int_or_string(spec("minAvailable"))),
            ("Selector", spec("selector").map_or("null".into(), label_selector_json)),
            ("MaxUnavailable", int_or_string(spec("maxUnavailable"))),
            (
                "UnhealthyPodEvictionPolicy",
                spec("unhealthyPodEvictionPolicy").map_or("null".into(), go_json),
            ),
        ]);
        errs.push(invalid(
            "spec",
            BadValue::Raw(value),
            "minAvailable and maxUnavailable cannot be both set",
        ));
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_pdb_both_set_error_prints_the_spec_struct() {
        let pdb = crate::yaml::value_of(
            "metadata:\n  name: both\nspec:\n  minAvailable: 2\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: web\n",
        );
        assert_eq!(
            super::super::validate_create(crate::api::resources::Kind::PodDisruptionBudget, &pdb),
            ["spec: Invalid value: {\"MinAvailable\":2,\"Selector\":{\"matchLabels\":{\"app\":\"web\"}},\"MaxUnavailable\":1,\"UnhealthyPodEvictionPolicy\":null}: minAvailable and maxUnavailable cannot be both set"]
        );
    }
}
