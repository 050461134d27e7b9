//! `pkg/apis/apps/validation/validation.go`: StatefulSet, Deployment, ReplicaSet, DaemonSet.

use super::{
    forbidden, go_struct, int_or_string, invalid, json, json_string, label_selector_json, non_negative, required,
    typed, unsupported,
};
use crate::api::resources::Kind;
use crate::api::selector::Selector;
use crate::names::BadValue;
use crate::value::Value;

/// The internal `apps.RollingUpdateStatefulSetStrategy` as JSON (`null` when the pointer is
/// nil). `MaxUnavailable` is always nil: the MaxUnavailableStatefulSet gate is off in v1.34, and
/// the registry strategy drops the field (`dropStatefulSetDisabledFields`).
fn sts_rolling_update_json(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "null".into(),
        Some(r) => go_struct(&[
            (
                "Partition",
                r.at("partition").and_then(Value::as_i64).unwrap_or(0).to_string(),
            ),
            ("MaxUnavailable", "null".into()),
        ]),
    }
}

/// The internal `apps.DeploymentStrategy` as JSON. Its `RollingUpdateDeployment` holds
/// `intstr.IntOrString` values, not pointers, so an absent one prints `0`.
fn deployment_strategy_json(v: &Value) -> String {
    let rolling = match v.get("rollingUpdate") {
        None | Some(Value::Null) => "null".into(),
        Some(r) => go_struct(&[
            (
                "MaxUnavailable",
                int_or_string(Some(r.get("maxUnavailable").unwrap_or(&Value::Int(0)))),
            ),
            (
                "MaxSurge",
                int_or_string(Some(r.get("maxSurge").unwrap_or(&Value::Int(0)))),
            ),
        ]),
    };
    go_struct(&[("Type", json_string(v.str_at("type"))), ("RollingUpdate", rolling)])
}

/// `ValidateStatefulSetSpec` (semantics §8.1).
/// What every workload's spec must hold: a non-empty selector that matches the template's
/// labels, a valid pod template (`claims`: names a volumeMount may use besides the volumes),
/// and `restartPolicy: Always`.
fn selector_and_template(errs: &mut Vec<String>, spec: &Value, what: &str, claims: &[String]) {
    match spec.get("selector") {
        None => errs.push(required("spec.selector", "")),
        Some(s)
            if s.get("matchLabels")
                .and_then(Value::as_map)
                .is_none_or(crate::value::Map::is_empty)
                && s.get("matchExpressions").map(Value::as_list).unwrap_or(&[]).is_empty() =>
        {
            errs.push(invalid(
                "spec.selector",
                BadValue::Raw(label_selector_json(s)),
                &format!("empty selector is invalid for {what}"),
            ))
        }
        Some(s) => {
            let labels = spec.string_map("template.metadata.labels");
            if !Selector::from_label_selector(s).matches(&labels) {
                errs.push(invalid(
                    "spec.template.metadata.labels",
                    json(spec.at("template.metadata.labels").unwrap_or(&Value::Null)),
                    "`selector` does not match template `labels`",
                ));
            }
        }
    }
    let template_spec = spec.at("template.spec").cloned().unwrap_or_default();
    super::pod::pod_spec(errs, &template_spec, "spec.template.spec", claims);
    let restart = template_spec.str_at("restartPolicy");
    if !restart.is_empty() && restart != "Always" {
        errs.push(unsupported(
            "spec.template.spec.restartPolicy",
            typed(restart),
            &["Always"],
        ));
    }
}

/// ValidateDeploymentSpec / ValidateReplicaSetSpec: the selector, the template, the strategy.
pub fn replicated(errs: &mut Vec<String>, kind: Kind, obj: &Value) {
    let spec = obj.get("spec").cloned().unwrap_or_default();
    for path in ["spec.replicas", "spec.minReadySeconds", "spec.revisionHistoryLimit"] {
        non_negative(errs, obj, path);
    }
    let what = if kind == Kind::Deployment {
        "deployment"
    } else {
        "replicaset"
    };
    selector_and_template(errs, &spec, what, &[]);
    if kind == Kind::Deployment {
        match spec.str_at("strategy.type") {
            "RollingUpdate" => {}
            "Recreate" => {
                if spec.at("strategy.rollingUpdate").is_some_and(|r| !r.is_null()) {
                    errs.push(forbidden(
                        "spec.strategy.rollingUpdate",
                        "may not be specified when strategy `type` is 'Recreate'",
                    ));
                }
            }
            // The value is the whole internal `apps.DeploymentStrategy`.
            _ => errs.push(unsupported(
                "spec.strategy",
                BadValue::Raw(deployment_strategy_json(spec.get("strategy").unwrap_or(&Value::Null))),
                &["Recreate", "RollingUpdate"],
            )),
        }
    }
}

pub fn statefulset(errs: &mut Vec<String>, obj: &Value) {
    let spec = obj.get("spec").cloned().unwrap_or_default();
    let policy = spec.str_at("podManagementPolicy");
    if !policy.is_empty() && policy != "OrderedReady" && policy != "Parallel" {
        errs.push(invalid(
            "spec.podManagementPolicy",
            typed(policy),
            "must be 'OrderedReady' or 'Parallel'",
        ));
    }
    let strategy = spec.str_at("updateStrategy.type");
    match strategy {
        "RollingUpdate" => {
            non_negative(errs, obj, "spec.updateStrategy.rollingUpdate.partition");
        }
        "OnDelete" => {
            if spec.at("updateStrategy.rollingUpdate").is_some_and(|r| !r.is_null()) {
                errs.push(invalid(
                    "spec.updateStrategy.rollingUpdate",
                    BadValue::Raw(sts_rolling_update_json(spec.at("updateStrategy.rollingUpdate"))),
                    "only allowed for updateStrategy 'RollingUpdate'",
                ));
            }
        }
        // The value is the whole internal `apps.StatefulSetUpdateStrategy`.
        other => errs.push(invalid(
            "spec.updateStrategy",
            BadValue::Raw(go_struct(&[
                ("Type", json_string(other)),
                (
                    "RollingUpdate",
                    sts_rolling_update_json(spec.at("updateStrategy.rollingUpdate")),
                ),
            ])),
            "must be 'RollingUpdate' or 'OnDelete'",
        )),
    }
    for (field, path) in [
        ("whenDeleted", "spec.persistentVolumeClaimRetentionPolicy.whenDeleted"),
        ("whenScaled", "spec.persistentVolumeClaimRetentionPolicy.whenScaled"),
    ] {
        let v = spec.str_at(&format!("persistentVolumeClaimRetentionPolicy.{field}"));
        if v != "Retain" && v != "Delete" {
            errs.push(unsupported(path, typed(v), &["Retain", "Delete"]));
        }
    }
    for path in [
        "spec.replicas",
        "spec.minReadySeconds",
        "spec.ordinals.start",
        "spec.revisionHistoryLimit",
    ] {
        non_negative(errs, obj, path);
    }
    let service = spec.str_at("serviceName");
    if !service.is_empty() {
        errs.extend(super::dns1123_label("spec.serviceName", service));
    }
    // 1.34 validates the pod template when the StatefulSet is created (PR #131790).
    let claims: Vec<String> = spec
        .get("volumeClaimTemplates")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .map(|t| t.str_at("metadata.name").to_string())
        .collect();
    selector_and_template(errs, &spec, "statefulset", &claims);
    let template_spec = spec.at("template.spec").cloned().unwrap_or_default();
    if template_spec.get("activeDeadlineSeconds").is_some() {
        errs.push(forbidden(
            "spec.template.spec.activeDeadlineSeconds",
            "activeDeadlineSeconds in StatefulSet is not Supported",
        ));
    }
}

/// ValidateDaemonSetSpec: the selector and the template.
pub fn daemonset(errs: &mut Vec<String>, obj: &Value) {
    let spec = obj.get("spec").cloned().unwrap_or_default();
    selector_and_template(errs, &spec, "daemonset", &[]);
}

/// The fields of a StatefulSet spec that may change (`ValidateStatefulSetUpdate`, 1.34).
const STATEFULSET_MUTABLE: [&str; 6] = [
    "replicas",
    "ordinals",
    "template",
    "updateStrategy",
    "persistentVolumeClaimRetentionPolicy",
    "minReadySeconds",
];

/// `ValidateStatefulSetUpdate`: only the fields of [`STATEFULSET_MUTABLE`] may change.
pub fn statefulset_update(errs: &mut Vec<String>, new: &Value, old: &Value) {
    let strip = |v: &Value| {
        let mut spec = v.get("spec").cloned().unwrap_or_default();
        if let Some(m) = spec.map_mut() {
            for f in STATEFULSET_MUTABLE {
                m.remove(f);
            }
        }
        spec
    };
    if strip(new) != strip(old) {
        errs.push(forbidden(
            "spec",
            "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(yaml: &str) -> Value {
        crate::yaml::value_of(yaml)
    }

    #[test]
    fn internal_structs_print_with_go_field_names() {
        assert_eq!(
            sts_rolling_update_json(Some(&value("partition: 2"))),
            "{\"Partition\":2,\"MaxUnavailable\":null}"
        );
        assert_eq!(
            sts_rolling_update_json(Some(&value("{}"))),
            "{\"Partition\":0,\"MaxUnavailable\":null}"
        );
        assert_eq!(sts_rolling_update_json(None), "null");
        assert_eq!(
            deployment_strategy_json(&value("type: Rolling")),
            "{\"Type\":\"Rolling\",\"RollingUpdate\":null}"
        );
        assert_eq!(
            deployment_strategy_json(&value("type: Rolling\nrollingUpdate:\n  maxSurge: 50%\n")),
            "{\"Type\":\"Rolling\",\"RollingUpdate\":{\"MaxUnavailable\":0,\"MaxSurge\":\"50%\"}}"
        );
    }
}
