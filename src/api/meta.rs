//! Object metadata on [`Value`]s: names, labels, owner references, deletion state.

use std::collections::BTreeMap;

use crate::value::Value;

/// `metadata.name`.
pub fn name(obj: &Value) -> &str {
    obj.str_at("metadata.name")
}

/// `metadata.namespace` (empty for cluster-scoped objects).
pub fn namespace(obj: &Value) -> &str {
    obj.str_at("metadata.namespace")
}

/// `metadata.uid`.
pub fn uid(obj: &Value) -> &str {
    obj.str_at("metadata.uid")
}

/// `metadata.labels`.
pub fn labels(obj: &Value) -> BTreeMap<String, String> {
    obj.string_map("metadata.labels")
}

/// Whether the object is being deleted (`metadata.deletionTimestamp` is set).
pub fn is_terminating(obj: &Value) -> bool {
    obj.at("metadata.deletionTimestamp").is_some_and(|v| !v.is_null())
}

/// The owner reference with `controller: true`, if any.
pub fn controller_ref(obj: &Value) -> Option<&Value> {
    obj.at("metadata.ownerReferences")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
}

/// Whether `obj` is controlled by the object with this uid.
pub fn is_controlled_by(obj: &Value, owner_uid: &str) -> bool {
    controller_ref(obj).is_some_and(|r| r.str_at("uid") == owner_uid)
}

/// An owner reference as `metav1.NewControllerRef` makes it (`controller` and
/// `blockOwnerDeletion` true), or a plain one.
pub fn owner_reference(api_version: &str, kind: &str, name: &str, uid: &str, controller: bool) -> Value {
    let mut r = Value::map();
    r.set("apiVersion", api_version);
    r.set("kind", kind);
    r.set("name", name);
    r.set("uid", uid);
    if controller {
        r.set("controller", true);
        r.set("blockOwnerDeletion", true);
    }
    r
}

/// All owner references.
pub fn owner_refs(obj: &Value) -> &[Value] {
    obj.at("metadata.ownerReferences").map(Value::as_list).unwrap_or(&[])
}

/// Whether `metadata.finalizers` holds `finalizer`.
pub fn has_finalizer(obj: &Value, finalizer: &str) -> bool {
    obj.at("metadata.finalizers")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .any(|f| f.as_str() == Some(finalizer))
}

/// `metadata.finalizers` as strings.
pub fn finalizers(obj: &Value) -> Vec<String> {
    obj.at("metadata.finalizers")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .filter_map(|f| f.as_str().map(str::to_string))
        .collect()
}

/// Replace `metadata.finalizers` (removing the field when empty, as the API server prints it).
pub fn set_finalizers(obj: &mut Value, list: Vec<String>) {
    obj.set_list("metadata.finalizers", list.into_iter().map(Value::from).collect());
}

/// Set one label (label keys contain dots, so the dotted-path helpers cannot name them).
pub fn set_label(obj: &mut Value, key: &str, value: &str) {
    set_in_map(obj, "metadata.labels", key, value);
}

/// Set one annotation.
pub fn set_annotation(obj: &mut Value, key: &str, value: &str) {
    set_in_map(obj, "metadata.annotations", key, value);
}

/// Set several annotations (one walk to the map).
pub fn set_annotations(obj: &mut Value, pairs: &[(&str, &str)]) {
    let slot = obj.entry("metadata.annotations");
    if !matches!(slot, Value::Map(_)) {
        *slot = Value::map();
    }
    if let Some(m) = slot.map_mut() {
        for (k, v) in pairs {
            m.insert(*k, Value::Str((*v).into()));
        }
    }
}

/// `metadata.annotations[key]`.
pub fn annotation<'a>(obj: &'a Value, key: &str) -> Option<&'a str> {
    obj.at("metadata.annotations")
        .and_then(|a| a.get(key))
        .and_then(Value::as_str)
}

/// Remove one annotation (and the annotations map when it becomes empty).
pub fn remove_annotation(obj: &mut Value, key: &str) {
    remove_from_map(obj, "metadata.annotations", key);
}

/// Remove `key` from the string map at `path` (and the map when it becomes empty).
pub fn remove_from_map(obj: &mut Value, path: &str, key: &str) {
    if let Some(m) = obj.at_mut(path).and_then(Value::map_mut) {
        m.remove(key);
        if m.is_empty() {
            obj.remove(path);
        }
    }
}

/// Set `key` in the string map at `path` (creating the map).
pub fn set_in_map(obj: &mut Value, path: &str, key: &str, value: &str) {
    let slot = obj.entry(path);
    if !matches!(slot, Value::Map(_)) {
        *slot = Value::map();
    }
    if let Some(m) = slot.map_mut() {
        m.insert(key, Value::Str(value.into()));
    }
}
