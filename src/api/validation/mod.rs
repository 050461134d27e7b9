//! API-server validation on create and update, with the API server's error texts, in the order
//! upstream appends them (kubectl prints one `* cause` line each). One file per upstream
//! validation package:
//! - [`apps`]: StatefulSet, Deployment, ReplicaSet, DaemonSet (`pkg/apis/apps/validation`);
//! - [`pod`]: the pod spec and pod template rules of `pkg/apis/core/validation` (ValidatePodSpec);
//! - [`core`]: the other core kinds: PersistentVolumeClaim, PersistentVolume, Service, Node,
//!   Namespace (`pkg/apis/core/validation`);
//! - [`storage`]: StorageClass (`pkg/apis/storage/validation`);
//! - [`policy`]: PodDisruptionBudget (`pkg/apis/policy/validation`).
//!
//! This file holds the entry points, the `field.Error` constructors, how a bad value prints
//! (apimachinery v0.34 `ErrorBody`), and the helpers of apimachinery that every kind uses.
//! Each error is one `field.Error` rendered as `path: Type: detail`; `docs/fidelity.md` ("API
//! validation") lists every upstream rule and whether it is here.

pub mod apps;
pub mod core;
pub mod pod;
pub mod policy;
pub mod storage;

use crate::api::resources::Kind;
use crate::names::{self, BadValue, FieldError};
use crate::value::Value;

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
        Kind::StatefulSet => apps::statefulset(&mut errs, obj),
        Kind::Deployment | Kind::ReplicaSet => apps::replicated(&mut errs, kind, obj),
        Kind::DaemonSet => apps::daemonset(&mut errs, obj),
        Kind::Pod => pod::pod_spec(&mut errs, obj.get("spec").unwrap_or(&Value::Null), "spec", &[]),
        Kind::PersistentVolumeClaim => core::claim_spec(&mut errs, obj.get("spec").unwrap_or(&Value::Null), "spec"),
        Kind::PodDisruptionBudget => policy::pdb(&mut errs, obj),
        _ => {}
    }
    errs
}

/// Validation of an update against the stored object (immutable fields).
pub fn validate_update(kind: Kind, new: &Value, old: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    match kind {
        Kind::StatefulSet => apps::statefulset_update(&mut errs, new, old),
        Kind::PersistentVolumeClaim => core::claim_update(&mut errs, new, old),
        Kind::StorageClass => storage::storage_class_update(&mut errs, new, old),
        _ => {}
    }
    errs
}

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
pub fn json_string(s: &str) -> String {
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

/// DNS-1123 subdomain errors of a name (`IsDNS1123Subdomain`).
pub fn dns1123_subdomain(path: &str, s: &str) -> Vec<String> {
    name_errors(path, s, names::is_dns1123_subdomain(s))
}

/// DNS-1035 label errors of a name (`IsDNS1035Label`).
pub fn dns1035_label(path: &str, s: &str) -> Vec<String> {
    name_errors(path, s, names::is_dns1035_label(s))
}

/// `ValidateNonnegativeField` (apimachinery `pkg/api/validation/generic.go`) on the integer at
/// `path` of `obj`, if there is one.
pub fn non_negative(errs: &mut Vec<String>, obj: &Value, path: &str) {
    if let Some(v) = obj.at(path) {
        if let Some(i) = v.as_i64().filter(|i| *i < 0) {
            errs.push(invalid(path, BadValue::Int(i), "must be greater than or equal to 0"));
        }
    }
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
            invalid(
                "spec.template.metadata.labels",
                json(&labels),
                "`selector` does not match template `labels`"
            ),
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
    fn label_selectors_print_with_their_json_tags() {
        let selector = value("matchLabels:\n  app: web\nmatchExpressions:\n- key: tier\n  operator: Exists\n");
        assert_eq!(
            label_selector_json(&selector),
            "{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":[{\"key\":\"tier\",\"operator\":\"Exists\"}]}"
        );
        assert_eq!(label_selector_json(&value("matchLabels: {}")), "{}");
    }
}
