//! API-server validation on create and update, with the API server's error texts, in the order
//! upstream appends them (kubectl prints one `* cause` line each). One file per upstream
//! validation package:
//! - [`apps`]: StatefulSet, Deployment, ReplicaSet, DaemonSet (`pkg/apis/apps/validation`);
//! - [`pod`]: the pod spec and pod template rules of `pkg/apis/core/validation` (ValidatePodSpec),
//!   with the container rules in [`container`];
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
pub mod container;
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
    match kind {
        Kind::StatefulSet => apps::statefulset(&mut errs, obj),
        Kind::Deployment => apps::deployment(&mut errs, obj, None),
        Kind::ReplicaSet => apps::replica_set(&mut errs, obj, None),
        Kind::DaemonSet => apps::daemon_set(&mut errs, obj, None),
        Kind::Pod => pod::pod(&mut errs, obj),
        Kind::PersistentVolumeClaim => core::claim(&mut errs, obj),
        Kind::PersistentVolume => core::volume(&mut errs, obj),
        Kind::Service => core::service(&mut errs, obj),
        Kind::Node => core::node(&mut errs, obj),
        Kind::Namespace => core::namespace(&mut errs, obj),
        Kind::StorageClass => storage::storage_class(&mut errs, obj),
        Kind::PodDisruptionBudget => policy::pdb(&mut errs, obj),
        // ControllerRevisions, Endpoints and Events are written by the controllers, which
        // write them valid: only their ObjectMeta is checked.
        Kind::ControllerRevision | Kind::Endpoints | Kind::Event => object_meta(&mut errs, kind, obj),
    }
    errs
}

/// Validation of an update of `old` to `new`: what the kind's strategy ValidateUpdate runs, in
/// its order (most re-run the create rules on the new object, then check what may not change).
pub fn validate_update(kind: Kind, new: &Value, old: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    match kind {
        Kind::StatefulSet => apps::statefulset_update(&mut errs, new, old),
        Kind::Deployment => apps::deployment(&mut errs, new, Some(old)),
        Kind::ReplicaSet => apps::replica_set(&mut errs, new, Some(old)),
        Kind::DaemonSet => apps::daemon_set(&mut errs, new, Some(old)),
        Kind::PersistentVolumeClaim => {
            core::claim(&mut errs, new);
            core::claim_update(&mut errs, new, old);
        }
        Kind::PersistentVolume => {
            core::volume(&mut errs, new);
            core::volume_update(&mut errs, new, old);
        }
        Kind::Service => {
            core::service_update(&mut errs, new, old);
            core::service(&mut errs, new);
        }
        Kind::Node => core::node_update(&mut errs, new, old),
        Kind::Namespace => object_meta_update(&mut errs, new),
        Kind::StorageClass => {
            storage::storage_class(&mut errs, new);
            storage::storage_class_update(&mut errs, new, old);
        }
        _ => errs = validate_create(kind, new),
    }
    errs
}

/// `ValidateObjectMeta` of `pkg/apis/core/validation` (apimachinery's, plus the check of
/// finalizer names): generateName and name by the kind's name rule, labels, annotations,
/// finalizers. The namespace is not checked: the API server has set it and found it.
pub fn object_meta(errs: &mut Vec<String>, kind: Kind, obj: &Value) {
    let meta = obj.get("metadata").unwrap_or(&Value::Null);
    let names = names::validate_object_meta_name(kind.info().name, meta.str_at("name"), meta.str_at("generateName"));
    errs.extend(names.iter().map(FieldError::to_string));
    object_meta_rest(errs, meta);
    for (i, f) in meta
        .get("finalizers")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let f = f.as_str().unwrap_or("");
        let path = format!("metadata.finalizers[{i}]");
        qualified_name(errs, &path, f);
        if !f.contains('/') && !["kubernetes", "orphan", "foregroundDeletion"].contains(&f) {
            errs.push(invalid(
                &path,
                string(f),
                "name is neither a standard finalizer name nor is it fully qualified",
            ));
        }
    }
}

/// `ValidateObjectMetaAccessor` with `ValidatePathSegmentName`, which the registry runs after
/// the kind's own validation passed (`rest.BeforeCreate`, create.go): for a kind whose own
/// validation checks no metadata (PodDisruptionBudget), the only name rule there is.
pub fn generic_object_meta(errs: &mut Vec<String>, obj: &Value) {
    let meta = obj.get("metadata").unwrap_or(&Value::Null);
    let (name, generate) = (meta.str_at("name"), meta.str_at("generateName"));
    if !generate.is_empty() {
        for m in names::is_valid_path_segment_name(generate, true) {
            errs.push(invalid("metadata.generateName", string(generate), &m));
        }
    }
    if name.is_empty() {
        errs.push(required("metadata.name", "name or generateName is required"));
    }
    for m in names::is_valid_path_segment_name(name, false) {
        errs.push(invalid("metadata.name", string(name), &m));
    }
    object_meta_rest(errs, meta);
}

/// `ValidateObjectMetaUpdate`'s checks of the new object's contents: labels and annotations
/// (names and finalizers are not checked again).
pub fn object_meta_update(errs: &mut Vec<String>, obj: &Value) {
    let meta = obj.get("metadata").unwrap_or(&Value::Null);
    labels(errs, meta.get("labels"), "metadata.labels");
    annotations(errs, meta.get("annotations"), "metadata.annotations");
}

/// The checks of `ValidateObjectMetaAccessor` after the name: labels, annotations, and
/// apimachinery's finalizer checks (ValidateFinalizers: on the list's path, without index).
fn object_meta_rest(errs: &mut Vec<String>, meta: &Value) {
    labels(errs, meta.get("labels"), "metadata.labels");
    annotations(errs, meta.get("annotations"), "metadata.annotations");
    let finalizers = meta.get("finalizers").map(Value::as_list).unwrap_or(&[]);
    for f in finalizers {
        qualified_name(errs, "metadata.finalizers", f.as_str().unwrap_or(""));
    }
    let has = |name: &str| finalizers.iter().any(|f| f.as_str() == Some(name));
    if has("orphan") && has("foregroundDeletion") {
        errs.push(invalid(
            "metadata.finalizers",
            json(meta.get("finalizers").unwrap_or(&Value::Null)),
            "finalizer orphan and foregroundDeletion cannot be both set",
        ));
    }
}

/// `ValidateLabels` (apimachinery `pkg/apis/meta/v1/validation`): each key a qualified name,
/// each value a label value, all reported on the map's path. Upstream walks the Go map in
/// random order; here the keys go in sorted order.
pub fn labels(errs: &mut Vec<String>, map: Option<&Value>, path: &str) {
    for (k, v) in map.and_then(Value::as_map).into_iter().flat_map(|m| m.iter()) {
        qualified_name(errs, path, k);
        let v = v.as_str().unwrap_or("");
        for m in names::is_valid_label_value(v) {
            errs.push(invalid(path, string(v), &m));
        }
    }
}

/// `ValidateAnnotations`: keys are qualified names once lowercased; keys and values together
/// at most 256 KiB.
pub fn annotations(errs: &mut Vec<String>, map: Option<&Value>, path: &str) {
    let Some(m) = map.and_then(Value::as_map) else { return };
    let mut size = 0;
    for (k, v) in m.iter() {
        for msg in names::is_qualified_name(&k.to_ascii_lowercase()) {
            errs.push(invalid(path, string(k), &msg));
        }
        size += k.len() + v.as_str().map_or(0, str::len);
    }
    if size > 256 * 1024 {
        errs.push(too_long(path, 256 * 1024));
    }
}

/// `ValidateLabelName` / `ValidateQualifiedName`: one Invalid error per IsQualifiedName message.
pub fn qualified_name(errs: &mut Vec<String>, path: &str, value: &str) {
    for m in names::is_qualified_name(value) {
        errs.push(invalid(path, string(value), &m));
    }
}

/// `ValidateLabelSelector` (apimachinery): matchLabels as labels, then each requirement's
/// operator and values, key, and values as label values. A nil selector is valid.
pub fn label_selector(errs: &mut Vec<String>, selector: Option<&Value>, path: &str) {
    let Some(s) = selector.filter(|s| !s.is_null()) else {
        return;
    };
    labels(errs, s.get("matchLabels"), &format!("{path}.matchLabels"));
    for (i, e) in s
        .get("matchExpressions")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let at = format!("{path}.matchExpressions[{i}]");
        let values = e.get("values").map(Value::as_list).unwrap_or(&[]);
        match e.str_at("operator") {
            "In" | "NotIn" if values.is_empty() => errs.push(required(
                &format!("{at}.values"),
                "must be specified when `operator` is 'In' or 'NotIn'",
            )),
            "Exists" | "DoesNotExist" if !values.is_empty() => errs.push(forbidden(
                &format!("{at}.values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            )),
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            other => errs.push(invalid(
                &format!("{at}.operator"),
                typed(other),
                "not a valid selector operator",
            )),
        }
        qualified_name(errs, &format!("{at}.key"), e.str_at("key"));
        for (j, v) in values.iter().enumerate() {
            let v = v.as_str().unwrap_or("");
            for m in names::is_valid_label_value(v) {
                errs.push(invalid(&format!("{at}.values[{j}]"), string(v), &m));
            }
        }
    }
}

/// Whether `metav1.LabelSelectorAsSelector` can convert the selector: it fails exactly where
/// [`label_selector`] finds something (a bad key, value or operator, In without values,
/// Exists with values).
pub fn selector_converts(selector: Option<&Value>) -> bool {
    let mut errs = Vec::new();
    label_selector(&mut errs, selector, "");
    errs.is_empty()
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

/// `field.Duplicate(path, value)`.
pub fn duplicate(path: &str, value: BadValue) -> String {
    FieldError::duplicate(path, value).to_string()
}

/// `field.TooLong(path, _, max)`.
pub fn too_long(path: &str, max: i64) -> String {
    FieldError::too_long(path, max).to_string()
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

/// `ValidateNonnegativeField` on an optional integer (a missing one is 0 or defaulted).
pub fn non_negative_value(errs: &mut Vec<String>, v: Option<&Value>, path: &str) {
    if let Some(i) = v.and_then(Value::as_i64).filter(|i| *i < 0) {
        errs.push(invalid(path, BadValue::Int(i), "must be greater than or equal to 0"));
    }
}

/// The list at `key` of a map (empty when absent or not a list).
pub fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.at(key).map(Value::as_list).unwrap_or(&[])
}

/// The integer at `key`, 0 when absent (a Go int32 field's zero value).
pub fn int_at(v: &Value, key: &str) -> i64 {
    v.at(key).and_then(Value::as_i64).unwrap_or(0)
}

/// A `resource.Quantity` as the decoder read it, if it reads (malformed ones were refused by
/// the decode before validation).
pub fn quantity(v: &Value) -> Option<crate::quantity::Quantity> {
    crate::quantity::Quantity::parse(&crate::api::quantities::text(v)?).ok()
}

/// A zero `resource.Quantity`, to compare with.
pub fn zero_quantity() -> crate::quantity::Quantity {
    crate::quantity::Quantity::from_i64(0, crate::quantity::Format::DecimalSI)
}

/// An `intstr.IntOrString` percentage (`getPercentValue`): the number, if it is one.
pub fn percent_value(v: &Value) -> Option<i64> {
    let s = v.as_str()?;
    names::is_valid_percent(s)
        .is_empty()
        .then(|| s.trim_end_matches('%').parse().unwrap_or(i64::MAX))
}

/// `getIntOrPercentValue`: the percentage, else `IntValue()` (a string's leading integer, 0
/// if none).
pub fn int_or_percent_value(v: &Value) -> i64 {
    percent_value(v).unwrap_or_else(|| match v {
        Value::Str(s) => s.parse().unwrap_or(0),
        other => other.as_i64().unwrap_or(0),
    })
}

/// `ValidatePositiveIntOrPercent` (apps validation) on an IntOrString at `path`: a string is a
/// percentage, a number is not negative.
pub fn int_or_percent(errs: &mut Vec<String>, v: &Value, path: &str) {
    match v {
        Value::Str(s) => {
            for m in names::is_valid_percent(s) {
                errs.push(invalid(path, json(v), &m));
            }
        }
        other => non_negative_value(errs, Some(other), path),
    }
}

/// `IsNotMoreThan100Percent`.
pub fn not_more_than_100_percent(errs: &mut Vec<String>, v: &Value, path: &str) {
    if percent_value(v).is_some_and(|p| p > 100) {
        errs.push(invalid(path, json(v), "must not be greater than 100%"));
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

    /// Random objects built from the field names the rules read never make validation panic,
    /// on create or on update, for any kind.
    #[test]
    fn random_objects_never_panic() {
        use crate::api::resources::RESOURCES;
        const KEYS: [&str; 40] = [
            "metadata",
            "name",
            "labels",
            "finalizers",
            "spec",
            "template",
            "containers",
            "ports",
            "port",
            "containerPort",
            "targetPort",
            "selector",
            "matchLabels",
            "matchExpressions",
            "operator",
            "values",
            "volumes",
            "volumeMounts",
            "mountPath",
            "resources",
            "requests",
            "limits",
            "storage",
            "cpu",
            "readinessProbe",
            "httpGet",
            "tcpSocket",
            "clusterIP",
            "clusterIPs",
            "type",
            "taints",
            "effect",
            "volumeClaimTemplates",
            "accessModes",
            "updateStrategy",
            "rollingUpdate",
            "minAvailable",
            "allowedTopologies",
            "matchLabelExpressions",
            "dataSourceRef",
        ];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        fn gen(next: &mut dyn FnMut(u64) -> u64, depth: u32) -> Value {
            match next(if depth == 0 { 6 } else { 9 }) {
                0 => Value::Null,
                1 => Value::Int([-1, 0, 1, 70000, i64::MAX][next(5) as usize]),
                2 => Value::Str(["", "None", "x y", "50%", "-1Gi", "a/b/c", "é"][next(7) as usize].into()),
                3 => Value::Bool(next(2) == 0),
                4 => Value::Float(0.5),
                5 => Value::Str("Always".into()),
                6 | 7 => {
                    let mut m = crate::value::Map::new();
                    for _ in 0..next(4) {
                        m.insert(KEYS[next(KEYS.len() as u64) as usize], gen(next, depth - 1));
                    }
                    Value::from_map(m)
                }
                _ => Value::list((0..next(3)).map(|_| gen(next, depth - 1)).collect()),
            }
        }
        for round in 0..3000 {
            let kind = RESOURCES[round % RESOURCES.len()].kind;
            let (a, b) = (gen(&mut next, 5), gen(&mut next, 5));
            let _ = validate_create(kind, &a);
            let _ = validate_update(kind, &a, &b);
        }
        // Full manifests with random subtrees replaced, so the deep rules run too.
        fn mutate(v: &Value, next: &mut dyn FnMut(u64) -> u64) -> Value {
            if next(7) == 0 {
                return gen(next, 2);
            }
            match v {
                Value::Map(m) => {
                    let mut out = crate::value::Map::new();
                    for (k, item) in m.iter() {
                        out.insert(k, mutate(item, next));
                    }
                    Value::from_map(out)
                }
                Value::List(items) => Value::list(items.iter().map(|i| mutate(i, next)).collect()),
                other => other.clone(),
            }
        }
        let bases: Vec<(Kind, Value)> = FUZZ_BASES.iter().map(|(k, y)| (*k, value(y))).collect();
        for _ in 0..2000 {
            for (kind, base) in &bases {
                let (a, b) = (mutate(base, &mut next), mutate(base, &mut next));
                let _ = validate_create(*kind, &a);
                let _ = validate_update(*kind, &a, &b);
            }
        }
    }

    const FUZZ_BASES: [(Kind, &str); 6] = [
        (
            Kind::StatefulSet,
            "metadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n    matchExpressions:\n    - {key: tier, operator: In, values: [a]}\n  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate: {partition: 1}\n  persistentVolumeClaimRetentionPolicy: {whenDeleted: Retain, whenScaled: Delete}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      restartPolicy: Always\n      dnsPolicy: ClusterFirst\n      terminationGracePeriodSeconds: 30\n      volumes:\n      - {name: cfg, configMap: {name: c, items: [{key: k, path: p, mode: 420}]}}\n      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions: [{key: zone, operator: In, values: [a]}]\n              matchFields: [{key: metadata.name, operator: In, values: [n]}]\n        podAntiAffinity:\n          preferredDuringSchedulingIgnoredDuringExecution:\n          - weight: 10\n            podAffinityTerm: {topologyKey: zone, labelSelector: {matchLabels: {app: web}}}\n      tolerations:\n      - {key: k, operator: Exists, effect: NoExecute, tolerationSeconds: 5}\n      topologySpreadConstraints:\n      - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, minDomains: 2}\n      dnsConfig: {nameservers: [1.1.1.1], options: [{name: ndots}]}\n      initContainers:\n      - {name: init, image: busybox, restartPolicy: Always, imagePullPolicy: Always, terminationMessagePolicy: File}\n      containers:\n      - name: web\n        image: nginx\n        imagePullPolicy: Always\n        terminationMessagePolicy: File\n        ports: [{name: http, containerPort: 80, hostPort: 80, protocol: TCP}]\n        env:\n        - {name: A, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: metadata.name}}}\n        - {name: B, valueFrom: {configMapKeyRef: {name: c, key: k}}}\n        envFrom: [{prefix: P_, configMapRef: {name: c}}]\n        volumeMounts: [{name: www, mountPath: /w, subPath: a, mountPropagation: None}]\n        resources: {requests: {cpu: 100m, example.com/gpu: 1}, limits: {cpu: 1, example.com/gpu: 1}}\n        readinessProbe: {httpGet: {port: http, path: /, scheme: HTTP}, periodSeconds: 1}\n        livenessProbe: {exec: {command: [true]}, successThreshold: 1}\n        lifecycle: {preStop: {sleep: {seconds: 5}}}\n  volumeClaimTemplates:\n  - metadata: {name: www}\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources: {requests: {storage: 1Gi}}\n      dataSource: {kind: PersistentVolumeClaim, name: src}\n      dataSourceRef: {kind: PersistentVolumeClaim, name: src}\n",
        ),
        (
            Kind::Service,
            "metadata: {name: web}\nspec:\n  type: NodePort\n  clusterIP: 10.96.0.5\n  clusterIPs: [10.96.0.5]\n  ipFamilies: [IPv4]\n  ipFamilyPolicy: SingleStack\n  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 10}}\n  externalTrafficPolicy: Local\n  internalTrafficPolicy: Cluster\n  selector: {app: web}\n  ports:\n  - {name: a, port: 80, targetPort: 8080, nodePort: 30080, protocol: TCP, appProtocol: http}\n  - {name: b, port: 81, targetPort: web, protocol: UDP}\n",
        ),
        (
            Kind::PersistentVolume,
            "metadata: {name: pv}\nspec:\n  accessModes: [ReadWriteOnce]\n  capacity: {storage: 1Gi}\n  persistentVolumeReclaimPolicy: Recycle\n  hostPath: {path: /, type: Directory}\n  local: {path: /mnt}\n  csi: {driver: ebs.csi.aws.com, volumeHandle: v}\n  nodeAffinity: {required: {nodeSelectorTerms: [{matchExpressions: [{key: k, operator: Gt, values: ['1']}]}]}}\n",
        ),
        (
            Kind::StorageClass,
            "metadata: {name: sc}\nprovisioner: ebs.csi.aws.com\nparameters: {type: gp3}\nreclaimPolicy: Retain\nvolumeBindingMode: Immediate\nallowedTopologies:\n- matchLabelExpressions: [{key: zone, values: [a, b]}]\n- matchLabelExpressions: [{key: zone, values: [a, b]}]\n",
        ),
        (
            Kind::DaemonSet,
            "metadata: {name: ds}\nspec:\n  selector: {matchLabels: {app: ds}}\n  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 10%, maxSurge: 0}}\n  template:\n    metadata: {labels: {app: ds}}\n    spec: {restartPolicy: Always, dnsPolicy: ClusterFirst, terminationGracePeriodSeconds: 1, containers: [{name: a, image: b}]}\n",
        ),
        (
            Kind::Node,
            "metadata: {name: n, finalizers: [x]}\nspec:\n  podCIDRs: [10.0.0.0/24]\n  providerID: aws://x\n  taints: [{key: k, value: v, effect: NoSchedule}, {key: k, effect: NoSchedule}]\n",
        ),
    ];

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
