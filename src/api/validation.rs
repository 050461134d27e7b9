//! API-server validation on create and update, with the API server's error texts
//! (`pkg/apis/apps/validation/validation.go`, `pkg/apis/core/validation/validation.go`,
//! `pkg/apis/storage/validation/validation.go`; semantics §8). Each error is one
//! `field.Error` rendered as `path: Type: detail`.

use crate::api::resources::Kind;
use crate::api::selector::Selector;
use crate::names;
use crate::value::Value;

/// `field.Invalid(path, value, detail)` rendered as apimachinery does.
pub fn invalid(path: &str, value: &Value, detail: &str) -> String {
    format!("{path}: Invalid value: {}: {detail}", go_value(value))
}

/// `field.Required(path, detail)`.
pub fn required(path: &str, detail: &str) -> String {
    if detail.is_empty() {
        format!("{path}: Required value")
    } else {
        format!("{path}: Required value: {detail}")
    }
}

/// `field.Forbidden(path, detail)`.
pub fn forbidden(path: &str, detail: &str) -> String {
    format!("{path}: Forbidden: {detail}")
}

/// `field.NotSupported(path, value, supported)`.
pub fn unsupported(path: &str, value: &Value, supported: &[&str]) -> String {
    let list: Vec<String> = supported.iter().map(|s| format!("\"{s}\"")).collect();
    format!(
        "{path}: Unsupported value: {}: supported values: {}",
        go_value(value),
        list.join(", ")
    )
}

/// `field.NotFound(path, value)`.
pub fn not_found(path: &str, value: &Value) -> String {
    format!("{path}: Not found: {}", go_value(value))
}

/// How field errors print a value: strings quoted, numbers plain, maps as Go's `%#v`.
fn go_value(v: &Value) -> String {
    match v {
        Value::Str(s) => format!("\"{s}\""),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        Value::Map(m) => {
            let parts: Vec<String> = m.iter().map(|(k, v)| format!("\"{k}\":{}", go_value(v))).collect();
            format!("map[string]string{{{}}}", parts.join(", "))
        }
        Value::List(_) => v.to_json(),
    }
}

/// Each message of a name validator (k8s.io/apimachinery validation, see [`crate::names`]) as
/// an Invalid field error on `path`.
fn name_errors(path: &str, value: &str, messages: Vec<String>) -> Vec<String> {
    messages
        .into_iter()
        .map(|m| invalid(path, &Value::Str(value.into()), &m))
        .collect()
}

/// DNS-1123 label errors of a name (`IsDNS1123Label`).
pub fn dns1123_label(path: &str, s: &str) -> Vec<String> {
    name_errors(path, s, names::is_dns1123_label(s))
}

fn dns1123_subdomain(path: &str, s: &str) -> Vec<String> {
    name_errors(path, s, names::is_dns1123_subdomain(s))
}

fn dns1035_label(path: &str, s: &str) -> Vec<String> {
    name_errors(path, s, names::is_dns1035_label(s))
}

fn non_negative(errs: &mut Vec<String>, obj: &Value, path: &str) {
    if let Some(v) = obj.at(path) {
        if v.as_i64().is_some_and(|i| i < 0) {
            errs.push(invalid(path, v, "must be greater than or equal to 0"));
        }
    }
}

/// Validation of a new object.
pub fn validate_create(kind: Kind, obj: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    let name = obj.str_at("metadata.name");
    if name.is_empty() {
        errs.push(required("metadata.name", "name or generateName is required"));
    } else {
        errs.extend(match kind {
            Kind::StatefulSet | Kind::Namespace => dns1123_label("metadata.name", name),
            Kind::Service => dns1035_label("metadata.name", name),
            _ => dns1123_subdomain("metadata.name", name),
        });
    }
    match kind {
        Kind::StatefulSet => statefulset(&mut errs, obj),
        Kind::Deployment | Kind::ReplicaSet => replicated(&mut errs, kind, obj),
        Kind::DaemonSet => {
            let spec = obj.get("spec").cloned().unwrap_or_default();
            selector_and_template(&mut errs, &spec, "daemonset", &[]);
        }
        Kind::Pod => pod_spec(&mut errs, obj.get("spec").unwrap_or(&Value::Null), "spec", &[]),
        Kind::PersistentVolumeClaim => claim_spec(&mut errs, obj.get("spec").unwrap_or(&Value::Null), "spec"),
        // ValidatePodDisruptionBudgetSpec (pkg/apis/policy/validation). The real message prints
        // the Go struct of the spec, pointers included; the playground abbreviates it.
        Kind::PodDisruptionBudget
            if obj.at("spec.minAvailable").is_some() && obj.at("spec.maxUnavailable").is_some() =>
        {
            errs.push("spec: Invalid value: policy.PodDisruptionBudgetSpec{...}: minAvailable and maxUnavailable cannot be both set".into());
        }
        _ => {}
    }
    errs
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
                s,
                &format!("empty selector is invalid for {what}"),
            ))
        }
        Some(s) => {
            let labels = spec.string_map("template.metadata.labels");
            if !Selector::from_label_selector(s).matches(&labels) {
                errs.push(invalid(
                    "spec.template.metadata.labels",
                    &Value::from(labels),
                    "`selector` does not match template `labels`",
                ));
            }
        }
    }
    let template_spec = spec.at("template.spec").cloned().unwrap_or_default();
    pod_spec(errs, &template_spec, "spec.template.spec", claims);
    let restart = template_spec.str_at("restartPolicy");
    if !restart.is_empty() && restart != "Always" {
        errs.push(unsupported(
            "spec.template.spec.restartPolicy",
            &Value::Str(restart.into()),
            &["Always"],
        ));
    }
}

/// ValidateDeploymentSpec / ValidateReplicaSetSpec: the selector, the template, the strategy.
fn replicated(errs: &mut Vec<String>, kind: Kind, obj: &Value) {
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
            other => errs.push(unsupported(
                "spec.strategy.type",
                &Value::Str(other.into()),
                &["Recreate", "RollingUpdate"],
            )),
        }
    }
}

fn statefulset(errs: &mut Vec<String>, obj: &Value) {
    let spec = obj.get("spec").cloned().unwrap_or_default();
    let policy = spec.str_at("podManagementPolicy");
    if !policy.is_empty() && policy != "OrderedReady" && policy != "Parallel" {
        errs.push(invalid(
            "spec.podManagementPolicy",
            &Value::Str(policy.into()),
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
                    spec.at("updateStrategy.rollingUpdate").unwrap_or(&Value::Null),
                    "only allowed for updateStrategy 'RollingUpdate'",
                ));
            }
        }
        other => errs.push(invalid(
            "spec.updateStrategy",
            &Value::Str(other.into()),
            "must be 'RollingUpdate' or 'OnDelete'",
        )),
    }
    for (field, path) in [
        ("whenDeleted", "spec.persistentVolumeClaimRetentionPolicy.whenDeleted"),
        ("whenScaled", "spec.persistentVolumeClaimRetentionPolicy.whenScaled"),
    ] {
        let v = spec.str_at(&format!("persistentVolumeClaimRetentionPolicy.{field}"));
        if v != "Retain" && v != "Delete" {
            errs.push(unsupported(path, &Value::Str(v.into()), &["Retain", "Delete"]));
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
        errs.extend(dns1123_label("spec.serviceName", service));
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

/// The pod spec rules a learner meets: containers present, names, images, and every
/// volumeMount naming a volume (claim templates count as volumes for a StatefulSet).
fn pod_spec(errs: &mut Vec<String>, spec: &Value, path: &str, claim_volumes: &[String]) {
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
                errs.push(not_found(
                    &format!("{cpath}.volumeMounts[{j}].name"),
                    &Value::Str(name.into()),
                ));
            }
        }
    }
}

/// The claim spec rules of `ValidatePersistentVolumeClaimSpec` a learner meets.
fn claim_spec(errs: &mut Vec<String>, spec: &Value, path: &str) {
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
            errs.push(unsupported(&format!("{path}.accessModes"), m, &MODES));
        }
    }
    if spec.at("resources.requests.storage").is_none() {
        errs.push(required(&format!("{path}.resources[storage]"), ""));
    }
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

/// Validation of an update against the stored object (immutable fields).
pub fn validate_update(kind: Kind, new: &Value, old: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    match kind {
        Kind::StatefulSet => {
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
        Kind::PersistentVolumeClaim => {
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
                errs.push(forbidden("spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
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
        Kind::StorageClass => {
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
                    new.get("volumeBindingMode").unwrap_or(&Value::Null),
                    "field is immutable",
                ));
            }
        }
        _ => {}
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_render_like_apimachinery() {
        assert_eq!(
            invalid("spec.replicas", &Value::Int(-1), "must be greater than or equal to 0"),
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        );
        let mut m = crate::value::Map::new();
        m.insert("app", Value::Str("web".into()));
        assert_eq!(
            invalid("spec.template.metadata.labels", &Value::from_map(m), "`selector` does not match template `labels`"),
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"
        );
        assert_eq!(
            unsupported("x", &Value::Str("Foo".into()), &["Retain", "Delete"]),
            "x: Unsupported value: \"Foo\": supported values: \"Retain\", \"Delete\""
        );
    }
}
