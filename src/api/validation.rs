//! API-server validation on create and update, with the API server's error texts
//! (`pkg/apis/apps/validation/validation.go`, `pkg/apis/core/validation/validation.go`,
//! `pkg/apis/storage/validation/validation.go`; semantics §8). Each error is one
//! `field.Error` rendered as `path: Type: detail`.

use crate::api::resources::Kind;
use crate::api::selector::Selector;
use crate::names::{self, BadValue, FieldError};
use crate::value::Value;

/// `field.Invalid(path, value, detail)` rendered as apimachinery does.
pub fn invalid(path: &str, value: BadValue, detail: &str) -> String {
    FieldError::invalid(path, value, detail).to_string()
}

/// `field.Required(path, detail)`.
pub fn required(path: &str, detail: &str) -> String {
    FieldError::required(path, detail).to_string()
}

/// `field.Forbidden(path, detail)`.
pub fn forbidden(path: &str, detail: &str) -> String {
    FieldError::forbidden(path, detail).to_string()
}

/// `field.NotSupported(path, value, supported)`: the supported values in the order given (the
/// caller passes them sorted where upstream passes `sets.List`).
pub fn unsupported(path: &str, value: BadValue, supported: &[&str]) -> String {
    FieldError::not_supported(path, value, supported).to_string()
}

/// `field.NotFound(path, value)`.
pub fn not_found(path: &str, value: BadValue) -> String {
    FieldError::not_found(path, value).to_string()
}

/// A bad value whose Go type is `string`: ErrorBody prints it with `%q`.
pub fn string(s: &str) -> BadValue {
    BadValue::Str(s.into())
}

/// A bad value whose Go type is a named string type (`core.RestartPolicy`, a pointer to one):
/// not the type `string`, so ErrorBody prints its JSON.
pub fn typed(s: &str) -> BadValue {
    BadValue::Raw(json_string(s))
}

/// A bad value that is a map, list or versioned API struct (JSON tags: the manifest's own
/// form): ErrorBody prints its JSON, nil as `null`.
pub fn json(v: &Value) -> BadValue {
    match v {
        Value::Null => BadValue::Null,
        other => BadValue::Raw(go_json(other)),
    }
}

/// Go's `encoding/json.Marshal` of a value: map keys sorted, `<`, `>`, `&`, U+2028 and U+2029
/// escaped, floats in the ES6 form Go uses.
pub fn go_json(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => go_float(*f),
        Value::Str(s) => json_string(s),
        Value::List(items) => {
            let parts: Vec<String> = items.iter().map(go_json).collect();
            format!("[{}]", parts.join(","))
        }
        Value::Map(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}:{}", json_string(k), go_json(v)))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
    }
}

/// A Go struct without JSON tags (the internal API types) as `json.Marshal` prints it: every
/// field, under its Go name, in declaration order. Each value is already JSON.
pub fn go_struct(fields: &[(&str, String)]) -> String {
    let parts: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
    format!("{{{}}}", parts.join(","))
}

/// `intstr.IntOrString` as its MarshalJSON prints it; `None` is a nil pointer (`null`).
pub fn int_or_string(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "null".into(),
        Some(v) => go_json(v),
    }
}

/// A `metav1.LabelSelector` as JSON: its tags, with `omitempty` fields left out.
pub fn label_selector_json(v: &Value) -> String {
    if v.is_null() {
        return "null".into();
    }
    let mut fields = Vec::new();
    if let Some(m) = v
        .get("matchLabels")
        .filter(|m| m.as_map().is_some_and(|m| !m.is_empty()))
    {
        fields.push(format!("\"matchLabels\":{}", go_json(m)));
    }
    let expressions = v.get("matchExpressions").map(Value::as_list).unwrap_or(&[]);
    if !expressions.is_empty() {
        let parts: Vec<String> = expressions
            .iter()
            .map(|e| {
                let mut f = vec![
                    format!("\"key\":{}", json_string(e.str_at("key"))),
                    format!("\"operator\":{}", json_string(e.str_at("operator"))),
                ];
                if let Some(values) = e.get("values").filter(|l| !l.as_list().is_empty()) {
                    f.push(format!("\"values\":{}", go_json(values)));
                }
                format!("{{{}}}", f.join(","))
            })
            .collect();
        fields.push(format!("\"matchExpressions\":[{}]", parts.join(",")));
    }
    format!("{{{}}}", fields.join(","))
}

/// A JSON string as `encoding/json` writes it (HTML-safe escaping, as Marshal does).
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A float64 as `encoding/json` writes it: plain between 1e-6 and 1e21, else `1e+21`, `1e-7`.
fn go_float(f: f64) -> String {
    if !f.is_finite() {
        return "null".into();
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let e = format!("{f:e}");
        return match e.split_once('e') {
            Some((m, exp)) if !exp.starts_with('-') => format!("{m}e+{exp}"),
            _ => e,
        };
    }
    format!("{f}")
}

/// Each message of a name validator (k8s.io/apimachinery validation, see [`crate::names`]) as
/// an Invalid field error on `path`.
fn name_errors(path: &str, value: &str, messages: Vec<String>) -> Vec<String> {
    messages.into_iter().map(|m| invalid(path, string(value), &m)).collect()
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
        if let Some(i) = v.as_i64().filter(|i| *i < 0) {
            errs.push(invalid(path, BadValue::Int(i), "must be greater than or equal to 0"));
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
        // ValidatePodDisruptionBudgetSpec (pkg/apis/policy/validation): the value is the whole
        // internal `policy.PodDisruptionBudgetSpec`, printed as its JSON (Go field names).
        Kind::PodDisruptionBudget
            if obj.at("spec.minAvailable").is_some() && obj.at("spec.maxUnavailable").is_some() =>
        {
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
        _ => {}
    }
    errs
}

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
    pod_spec(errs, &template_spec, "spec.template.spec", claims);
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
            // The value is the whole internal `apps.DeploymentStrategy`.
            _ => errs.push(unsupported(
                "spec.strategy",
                BadValue::Raw(deployment_strategy_json(spec.get("strategy").unwrap_or(&Value::Null))),
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
                errs.push(not_found(&format!("{cpath}.volumeMounts[{j}].name"), string(name)));
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
            errs.push(unsupported(&format!("{path}.accessModes"), json(m), &MODES));
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
                    json(new.get("volumeBindingMode").unwrap_or(&Value::Null)),
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

    fn value(yaml: &str) -> Value {
        crate::yaml::value_of(yaml)
    }

    #[test]
    fn simple_values_print_with_go_verbs() {
        assert_eq!(
            invalid("spec.replicas", BadValue::Int(-1), "must be greater than or equal to 0"),
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        );
        assert_eq!(
            unsupported("x", typed("Foo"), &["Retain", "Delete"]),
            "x: Unsupported value: \"Foo\": supported values: \"Retain\", \"Delete\""
        );
        // A Go string is %q-quoted; a named string type goes through JSON, which escapes
        // HTML characters and keeps non-ASCII text.
        assert_eq!(invalid("f", string("a<b\u{1}é"), ""), "f: Invalid value: \"a<b\\x01é\"");
        assert_eq!(
            invalid("f", typed("a<b\u{1}é"), ""),
            "f: Invalid value: \"a\\u003cb\\u0001é\""
        );
    }

    #[test]
    fn maps_lists_and_nil_print_as_json() {
        let labels = value("app: web\ntier: db\n");
        assert_eq!(
            invalid("spec.template.metadata.labels", json(&labels), "`selector` does not match template `labels`"),
            "spec.template.metadata.labels: Invalid value: {\"app\":\"web\",\"tier\":\"db\"}: `selector` does not match template `labels`"
        );
        assert_eq!(invalid("f", json(&Value::Null), "d"), "f: Invalid value: null: d");
        assert_eq!(go_json(&value("[None]")), "[\"None\"]");
        assert_eq!(go_json(&value("{}")), "{}");
        assert_eq!(
            (go_float(0.5), go_float(1e21), go_float(1.5e-7), go_float(2.0)),
            ("0.5".into(), "1e+21".into(), "1.5e-7".into(), "2".into())
        );
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
        let selector = value("matchLabels:\n  app: web\nmatchExpressions:\n- key: tier\n  operator: Exists\n");
        assert_eq!(
            label_selector_json(&selector),
            "{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":[{\"key\":\"tier\",\"operator\":\"Exists\"}]}"
        );
        assert_eq!(label_selector_json(&value("matchLabels: {}")), "{}");
    }

    #[test]
    fn the_pdb_both_set_error_prints_the_spec_struct() {
        let pdb = value("metadata:\n  name: both\nspec:\n  minAvailable: 2\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: web\n");
        assert_eq!(
            validate_create(Kind::PodDisruptionBudget, &pdb),
            ["spec: Invalid value: {\"MinAvailable\":2,\"Selector\":{\"matchLabels\":{\"app\":\"web\"}},\"MaxUnavailable\":1,\"UnhealthyPodEvictionPolicy\":null}: minAvailable and maxUnavailable cannot be both set"]
        );
    }
}
