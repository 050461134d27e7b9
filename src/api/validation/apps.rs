//! `pkg/apis/apps/validation/validation.go`: StatefulSet, Deployment, ReplicaSet, DaemonSet,
//! with the selector immutability the registry strategies add on update
//! (`pkg/registry/apps/{deployment,replicaset,daemonset}/strategy.go`).

use super::{
    forbidden, go_struct, int_at, int_or_percent, int_or_percent_value, int_or_string, invalid, json, json_string,
    label_selector, label_selector_json, list, non_negative_value, not_more_than_100_percent, object_meta,
    object_meta_update, required, selector_converts, typed, unsupported,
};
use crate::api::resources::Kind;
use crate::api::selector::Selector;
use crate::names::BadValue;
use crate::value::Value;

/// `ValidateStatefulSet`: the object meta, then the spec.
pub fn statefulset(errs: &mut Vec<String>, obj: &Value) {
    object_meta(errs, Kind::StatefulSet, obj);
    statefulset_spec(errs, obj.get("spec").unwrap_or(&Value::Null));
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

/// `ValidateStatefulSetUpdate`: the new spec is validated again (the name is not: it cannot
/// change), then only the fields of [`STATEFULSET_MUTABLE`] may differ.
pub fn statefulset_update(errs: &mut Vec<String>, new: &Value, old: &Value) {
    object_meta_update(errs, new);
    statefulset_spec(errs, new.get("spec").unwrap_or(&Value::Null));
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

/// `ValidateStatefulSetSpec` (v1.34, with the pod template validation of
/// kubernetes/kubernetes#131790 and the claim template validation of #132212). There is no
/// check of `serviceName` or `revisionHistoryLimit`.
fn statefulset_spec(errs: &mut Vec<String>, spec: &Value) {
    match spec.str_at("podManagementPolicy") {
        "OrderedReady" | "Parallel" => {}
        "" => errs.push(required("spec.podManagementPolicy", "")),
        other => errs.push(invalid(
            "spec.podManagementPolicy",
            typed(other),
            "must be 'OrderedReady' or 'Parallel'",
        )),
    }
    let rolling = spec.at("updateStrategy.rollingUpdate").filter(|r| !r.is_null());
    match spec.str_at("updateStrategy.type") {
        "" => errs.push(required("spec.updateStrategy", "")),
        "OnDelete" => {
            if rolling.is_some() {
                errs.push(invalid(
                    "spec.updateStrategy.rollingUpdate",
                    BadValue::Raw(sts_rolling_update_json(rolling)),
                    "only allowed for updateStrategy 'RollingUpdate'",
                ));
            }
        }
        // validateRollingUpdateStatefulSet: maxUnavailable is dropped (the gate is off).
        "RollingUpdate" => non_negative_value(
            errs,
            spec.at("updateStrategy.rollingUpdate.partition"),
            "spec.updateStrategy.rollingUpdate.partition",
        ),
        // The value is the whole internal `apps.StatefulSetUpdateStrategy`.
        other => errs.push(invalid(
            "spec.updateStrategy",
            BadValue::Raw(go_struct(&[
                ("Type", json_string(other)),
                ("RollingUpdate", sts_rolling_update_json(rolling)),
            ])),
            "must be 'RollingUpdate' or 'OnDelete'",
        )),
    }
    // ValidatePersistentVolumeClaimRetentionPolicy (an empty value was defaulted to Retain).
    if let Some(policy) = spec
        .get("persistentVolumeClaimRetentionPolicy")
        .filter(|p| !p.is_null())
    {
        for field in ["whenDeleted", "whenScaled"] {
            let v = policy.str_at(field);
            if v != "Retain" && v != "Delete" {
                errs.push(unsupported(
                    &format!("spec.persistentVolumeClaimRetentionPolicy.{field}"),
                    typed(v),
                    &["Retain", "Delete"],
                ));
            }
        }
    }
    for path in ["replicas", "minReadySeconds", "ordinals.start"] {
        non_negative_value(errs, spec.at(path), &format!("spec.{path}"));
    }
    let selector = spec.get("selector").filter(|s| !s.is_null());
    selector_rules(errs, selector, "statefulset");
    if selector_converts(selector) {
        // volumesToAddForTemplates: each claim template is a volume of the pods.
        let claims: Vec<String> = list(spec, "volumeClaimTemplates")
            .iter()
            .map(|t| t.str_at("metadata.name").to_string())
            .filter(|n| !n.is_empty())
            .collect();
        template_labels_match(errs, spec, selector);
        super::pod::pod_template(
            errs,
            spec.get("template").unwrap_or(&Value::Null),
            "spec.template",
            &claims,
        );
    } else {
        errs.push(invalid(
            "spec.selector",
            BadValue::Raw(label_selector_json(selector.unwrap_or(&Value::Null))),
            "",
        ));
    }
    let template_spec = spec.at("template.spec").unwrap_or(&Value::Null);
    let restart = template_spec.str_at("restartPolicy");
    if restart != "Always" {
        errs.push(unsupported(
            "spec.template.spec.restartPolicy",
            typed(restart),
            &["Always"],
        ));
    }
    if template_spec.get("activeDeadlineSeconds").is_some_and(|v| !v.is_null()) {
        errs.push(forbidden(
            "spec.template.spec.activeDeadlineSeconds",
            "activeDeadlineSeconds in StatefulSet is not Supported",
        ));
    }
    // validateVolumeClaimTemplates (#132212): each template's spec as a claim's.
    for (i, t) in list(spec, "volumeClaimTemplates").iter().enumerate() {
        super::core::claim_spec(
            errs,
            t.get("spec").unwrap_or(&Value::Null),
            &format!("spec.volumeClaimTemplates[{i}].spec"),
        );
    }
}

/// The selector rules every workload shares: set, valid, not empty (`what` names the kind in
/// the message: upstream's ReplicaSet says "deployment" too).
fn selector_rules(errs: &mut Vec<String>, selector: Option<&Value>, what: &str) {
    match selector {
        None => errs.push(required("spec.selector", "")),
        Some(s) => {
            label_selector(errs, Some(s), "spec.selector");
            if is_empty_selector(s) {
                errs.push(invalid(
                    "spec.selector",
                    BadValue::Raw(label_selector_json(s)),
                    &format!("empty selector is invalid for {what}"),
                ));
            }
        }
    }
}

fn is_empty_selector(s: &Value) -> bool {
    s.get("matchLabels")
        .and_then(Value::as_map)
        .is_none_or(crate::value::Map::is_empty)
        && list(s, "matchExpressions").is_empty()
}

/// The template's labels must match the selector. A nil selector converts to one that
/// matches nothing (`labels.Nothing()`), so it always fails here; an empty one is not checked.
fn template_labels_match(errs: &mut Vec<String>, spec: &Value, selector: Option<&Value>) {
    let labels = spec.string_map("template.metadata.labels");
    let matches = match selector {
        None => false,
        Some(s) if is_empty_selector(s) => true,
        Some(s) => Selector::from_label_selector(s).matches(&labels),
    };
    if !matches {
        errs.push(invalid(
            "spec.template.metadata.labels",
            json(spec.at("template.metadata.labels").unwrap_or(&Value::Null)),
            "`selector` does not match template `labels`",
        ));
    }
}

/// `ValidatePodTemplateSpecForReplicaSet` (Deployments and ReplicaSets): the labels match,
/// the pod template, restartPolicy Always, no activeDeadlineSeconds (the message says
/// ReplicaSet for a Deployment too).
fn template_for_replica_set(errs: &mut Vec<String>, spec: &Value, selector: Option<&Value>) {
    template_labels_match(errs, spec, selector);
    super::pod::pod_template(errs, spec.get("template").unwrap_or(&Value::Null), "spec.template", &[]);
    let template_spec = spec.at("template.spec").unwrap_or(&Value::Null);
    let restart = template_spec.str_at("restartPolicy");
    if restart != "Always" {
        errs.push(unsupported(
            "spec.template.spec.restartPolicy",
            typed(restart),
            &["Always"],
        ));
    }
    if template_spec.get("activeDeadlineSeconds").is_some_and(|v| !v.is_null()) {
        errs.push(forbidden(
            "spec.template.spec.activeDeadlineSeconds",
            "activeDeadlineSeconds in ReplicaSet is not Supported",
        ));
    }
}

/// The object meta on create, or its update checks, and on update the registry strategy's
/// selector immutability (after the spec), for Deployments, ReplicaSets and DaemonSets.
fn workload(
    errs: &mut Vec<String>,
    kind: Kind,
    obj: &Value,
    old: Option<&Value>,
    spec_rules: impl FnOnce(&mut Vec<String>, &Value),
) {
    match old {
        None => object_meta(errs, kind, obj),
        Some(_) => object_meta_update(errs, obj),
    }
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    spec_rules(errs, spec);
    if let Some(old) = old {
        let selector = |v: &Value| label_selector_json(v.at("spec.selector").unwrap_or(&Value::Null));
        if selector(obj) != selector(old) {
            errs.push(invalid(
                "spec.selector",
                BadValue::Raw(selector(obj)),
                "field is immutable",
            ));
        }
    }
}

/// `ValidateDeployment` / `ValidateDeploymentUpdate` (`old` is the stored object on update).
pub fn deployment(errs: &mut Vec<String>, obj: &Value, old: Option<&Value>) {
    workload(errs, Kind::Deployment, obj, old, |errs, spec| {
        non_negative_value(errs, spec.at("replicas"), "spec.replicas");
        let selector = spec.get("selector").filter(|s| !s.is_null());
        selector_rules(errs, selector, "deployment");
        if selector_converts(selector) {
            template_for_replica_set(errs, spec, selector);
        } else {
            errs.push(invalid(
                "spec.selector",
                BadValue::Raw(label_selector_json(selector.unwrap_or(&Value::Null))),
                "invalid label selector",
            ));
        }
        deployment_strategy(errs, spec.get("strategy").unwrap_or(&Value::Null));
        for path in ["minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"] {
            non_negative_value(errs, spec.get(path), &format!("spec.{path}"));
        }
        if let Some(deadline) = spec.get("progressDeadlineSeconds").and_then(Value::as_i64) {
            if deadline <= int_at(spec, "minReadySeconds") {
                errs.push(invalid(
                    "spec.progressDeadlineSeconds",
                    BadValue::Int(deadline),
                    "must be greater than minReadySeconds",
                ));
            }
        }
    });
}

/// `ValidateDeploymentStrategy` and `ValidateRollingUpdateDeployment`.
fn deployment_strategy(errs: &mut Vec<String>, strategy: &Value) {
    let rolling = strategy.get("rollingUpdate").filter(|r| !r.is_null());
    match strategy.str_at("type") {
        "Recreate" => {
            if rolling.is_some() {
                errs.push(forbidden(
                    "spec.strategy.rollingUpdate",
                    "may not be specified when strategy `type` is 'Recreate'",
                ));
            }
        }
        "RollingUpdate" => match rolling {
            None => errs.push(required(
                "spec.strategy.rollingUpdate",
                "this should be defaulted and never be nil",
            )),
            Some(r) => {
                let path = "spec.strategy.rollingUpdate";
                let zero = Value::Int(0);
                let unavailable = r.get("maxUnavailable").unwrap_or(&zero);
                let surge = r.get("maxSurge").unwrap_or(&zero);
                int_or_percent(errs, unavailable, &format!("{path}.maxUnavailable"));
                int_or_percent(errs, surge, &format!("{path}.maxSurge"));
                if int_or_percent_value(unavailable) == 0 && int_or_percent_value(surge) == 0 {
                    errs.push(invalid(
                        &format!("{path}.maxUnavailable"),
                        json(unavailable),
                        "may not be 0 when `maxSurge` is 0",
                    ));
                }
                not_more_than_100_percent(errs, unavailable, &format!("{path}.maxUnavailable"));
            }
        },
        // The value is the whole internal `apps.DeploymentStrategy`.
        _ => errs.push(unsupported(
            "spec.strategy",
            BadValue::Raw(deployment_strategy_json(strategy)),
            &["Recreate", "RollingUpdate"],
        )),
    }
}

/// `ValidateReplicaSet` / `ValidateReplicaSetUpdate`.
pub fn replica_set(errs: &mut Vec<String>, obj: &Value, old: Option<&Value>) {
    workload(errs, Kind::ReplicaSet, obj, old, |errs, spec| {
        for path in ["replicas", "minReadySeconds"] {
            non_negative_value(errs, spec.get(path), &format!("spec.{path}"));
        }
        let selector = spec.get("selector").filter(|s| !s.is_null());
        // Upstream's ReplicaSet message says "deployment".
        selector_rules(errs, selector, "deployment");
        if selector_converts(selector) {
            template_for_replica_set(errs, spec, selector);
        } else {
            errs.push(invalid(
                "spec.selector",
                BadValue::Raw(label_selector_json(selector.unwrap_or(&Value::Null))),
                "invalid label selector",
            ));
        }
    });
}

/// `ValidateDaemonSet` / `ValidateDaemonSetUpdate` (`ValidateDaemonSetSpec`): a selector is
/// not required, but a nil one matches no labels.
pub fn daemon_set(errs: &mut Vec<String>, obj: &Value, old: Option<&Value>) {
    workload(errs, Kind::DaemonSet, obj, old, |errs, spec| {
        let selector = spec.get("selector").filter(|s| !s.is_null());
        label_selector(errs, selector, "spec.selector");
        if selector_converts(selector) {
            template_labels_match(errs, spec, selector);
        }
        if selector.is_some_and(is_empty_selector) {
            errs.push(invalid(
                "spec.selector",
                BadValue::Raw(label_selector_json(selector.unwrap_or(&Value::Null))),
                "empty selector is invalid for daemonset",
            ));
        }
        super::pod::pod_template(errs, spec.get("template").unwrap_or(&Value::Null), "spec.template", &[]);
        let template_spec = spec.at("template.spec").unwrap_or(&Value::Null);
        let restart = template_spec.str_at("restartPolicy");
        if restart != "Always" {
            errs.push(unsupported(
                "spec.template.spec.restartPolicy",
                typed(restart),
                &["Always"],
            ));
        }
        if template_spec.get("activeDeadlineSeconds").is_some_and(|v| !v.is_null()) {
            errs.push(forbidden(
                "spec.template.spec.activeDeadlineSeconds",
                "activeDeadlineSeconds in DaemonSet is not Supported",
            ));
        }
        non_negative_value(errs, spec.at("minReadySeconds"), "spec.minReadySeconds");
        daemon_set_strategy(errs, spec.get("updateStrategy").unwrap_or(&Value::Null));
        non_negative_value(errs, spec.at("revisionHistoryLimit"), "spec.revisionHistoryLimit");
    });
}

/// `ValidateDaemonSetUpdateStrategy` and `ValidateRollingUpdateDaemonSet`.
fn daemon_set_strategy(errs: &mut Vec<String>, strategy: &Value) {
    let rolling = strategy.get("rollingUpdate").filter(|r| !r.is_null());
    match strategy.str_at("type") {
        "OnDelete" => {}
        "RollingUpdate" => {
            let Some(r) = rolling else {
                errs.push(required("spec.updateStrategy.rollingUpdate", ""));
                return;
            };
            let path = "spec.updateStrategy.rollingUpdate";
            let zero = Value::Int(0);
            let unavailable = r.get("maxUnavailable").unwrap_or(&zero);
            let surge = r.get("maxSurge").unwrap_or(&zero);
            int_or_percent(errs, unavailable, &format!("{path}.maxUnavailable"));
            int_or_percent(errs, surge, &format!("{path}.maxSurge"));
            not_more_than_100_percent(errs, unavailable, &format!("{path}.maxUnavailable"));
            not_more_than_100_percent(errs, surge, &format!("{path}.maxSurge"));
            let has_unavailable = int_or_percent_value(unavailable) != 0;
            let has_surge = int_or_percent_value(surge) != 0;
            if has_unavailable && has_surge {
                errs.push(invalid(
                    &format!("{path}.maxSurge"),
                    json(surge),
                    "may not be set when maxUnavailable is non-zero",
                ));
            } else if !has_unavailable && !has_surge {
                errs.push(required(
                    &format!("{path}.maxUnavailable"),
                    "cannot be 0 when maxSurge is 0",
                ));
            }
        }
        // The value is the whole internal `apps.DaemonSetUpdateStrategy`, whose
        // `RollingUpdateDaemonSet` holds IntOrString values (an absent one is 0).
        other => {
            let rolling_json = match rolling {
                None => "null".into(),
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
            errs.push(unsupported(
                "spec.updateStrategy",
                BadValue::Raw(go_struct(&[
                    ("Type", json_string(other)),
                    ("RollingUpdate", rolling_json),
                ])),
                &["RollingUpdate", "OnDelete"],
            ));
        }
    }
}

/// The internal `apps.RollingUpdateStatefulSetStrategy` as JSON (`null` when the pointer is
/// nil). `MaxUnavailable` is always nil: the MaxUnavailableStatefulSet gate is off in v1.34, and
/// the registry strategy drops the field (`dropStatefulSetDisabledFields`).
fn sts_rolling_update_json(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "null".into(),
        Some(r) => go_struct(&[
            ("Partition", int_at(r, "partition").to_string()),
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
