//! What the registry strategies change in an object before it is validated
//! (`PrepareForCreate` / `PrepareForUpdate` in `pkg/registry/<group>/<kind>/strategy.go`, and
//! the Service REST's `patchAllocatedValues`), for the fields validation reads. The API server
//! and the linter both apply it, so the editor flags what the API server would refuse.

use crate::api::resources::Kind;
use crate::value::Value;

/// The annotation in which the API server counts a DaemonSet's template changes
/// (`pkg/registry/apps/daemonset/strategy.go`).
pub const TEMPLATE_GENERATION: &str = "deprecated.daemonset.template.generation";

/// Before a create.
pub fn prepare_for_create(kind: Kind, obj: &mut Value) {
    match kind {
        // normalizeClusterIPs (pkg/registry/core/service/strategy.go): a client that sets only
        // the singular field gets the plural one.
        Kind::Service => {
            let ip = obj.str_at("spec.clusterIP").to_string();
            if !ip.is_empty() && obj.at("spec.clusterIPs").is_none_or(|l| l.as_list().is_empty()) {
                obj.set("spec.clusterIPs", Value::list(vec![ip.as_str().into()]));
            }
        }
        Kind::PersistentVolumeClaim => data_sources(obj),
        // The namespace strategy: the `kubernetes` finalizer is added to what the spec lists.
        Kind::Namespace => {
            let mut finalizers = obj.at("spec.finalizers").map(Value::as_list).unwrap_or(&[]).to_vec();
            if !finalizers.iter().any(|f| f.as_str() == Some("kubernetes")) {
                finalizers.push("kubernetes".into());
                obj.set("spec.finalizers", Value::list(finalizers));
            }
        }
        _ => {}
    }
}

/// Before an update of `old`.
pub fn prepare_for_update(kind: Kind, obj: &mut Value, old: &Value) {
    if kind != Kind::Service {
        return;
    }
    let ips = |v: &Value| v.at("spec.clusterIPs").map(Value::as_list).unwrap_or(&[]).to_vec();
    let ip = |v: &Value| v.str_at("spec.clusterIP").to_string();
    // patchAllocatedValues (pkg/registry/core/service/storage/storage.go): a client that
    // resubmits the Service without the allocated clusterIP keeps it.
    let needs_ip = |v: &Value| v.str_at("spec.type") != "ExternalName";
    if needs_ip(old) && needs_ip(obj) {
        if ip(obj).is_empty() && !ip(old).is_empty() {
            obj.set("spec.clusterIP", ip(old).as_str());
        }
        if ips(obj).is_empty() && !ips(old).is_empty() {
            obj.set("spec.clusterIPs", Value::list(ips(old)));
        }
    }
    // normalizeClusterIPs for an update: a changed clusterIP with unchanged clusterIPs
    // replaces them (so making a Service headless reaches validation as clusterIPs [None]).
    if ips(obj).is_empty() && !ips(old).is_empty() && ip(old) == ip(obj) {
        obj.set("spec.clusterIPs", Value::list(ips(old)));
    }
    if ip(old) != ip(obj) && ips(old) == ips(obj) {
        if ip(obj).is_empty() {
            obj.remove("spec.clusterIPs");
        } else {
            obj.set("spec.clusterIPs", Value::list(vec![ip(obj).as_str().into()]));
        }
    }
}

/// The claim strategy's data sources (`EnforceDataSourceBackwardsCompatibility`, then
/// `NormalizeDataSources`, pkg/api/persistentvolumeclaim/util.go): a dataSource that is not a
/// claim or a VolumeSnapshot is dropped; then whichever of dataSource and dataSourceRef is set
/// is copied to the other (not a dataSourceRef to another namespace).
fn data_sources(obj: &mut Value) {
    let group = |v: &Value| v.str_at("apiGroup").to_string();
    if let Some(source) = obj.at("spec.dataSource").filter(|s| !s.is_null()).cloned() {
        let kind = source.str_at("kind");
        let enabled = (kind == "PersistentVolumeClaim" && group(&source).is_empty())
            || (kind == "VolumeSnapshot" && group(&source) == "snapshot.storage.k8s.io");
        if !enabled {
            obj.remove("spec.dataSource");
        }
    }
    let source = obj.at("spec.dataSource").filter(|s| !s.is_null()).cloned();
    let source_ref = obj.at("spec.dataSourceRef").filter(|s| !s.is_null()).cloned();
    let copy = |from: &Value| {
        let mut to = Value::map();
        for field in ["apiGroup", "kind", "name"] {
            if let Some(v) = from.get(field) {
                to.set(field, v.clone());
            }
        }
        to
    };
    match (source, source_ref) {
        (Some(s), None) => obj.set("spec.dataSourceRef", copy(&s)),
        (None, Some(r)) if r.str_at("namespace").is_empty() => obj.set("spec.dataSource", copy(&r)),
        _ => {}
    }
}
