//! `pkg/apis/core/validation/validation.go` for the core kinds other than Pod:
//! PersistentVolumeClaim, PersistentVolume, Service, Node, Namespace.

use super::{
    dns1123_subdomain, duplicate, forbidden, go_struct, int_at, invalid, json, json_string, label_selector, labels,
    list, object_meta, object_meta_update, qualified_name, quantity, required, string, typed, unsupported,
};
use crate::api::resources::Kind;
use crate::names::{self, BadValue};
use crate::value::Value;

/// The access modes (`supportedAccessModes`, sorted as `sets.List` gives them).
const ACCESS_MODES: [&str; 4] = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];

/// `ValidatePersistentVolumeClaim`: the object meta, then the spec.
pub fn claim(errs: &mut Vec<String>, obj: &Value) {
    object_meta(errs, Kind::PersistentVolumeClaim, obj);
    claim_spec(errs, obj.get("spec").unwrap_or(&Value::Null), "spec");
}

/// `ValidatePersistentVolumeClaimSpec` at `path` (a claim's `spec`, or a StatefulSet claim
/// template's).
pub fn claim_spec(errs: &mut Vec<String>, spec: &Value, path: &str) {
    let at = |f: &str| format!("{path}.{f}");
    let modes = list(spec, "accessModes");
    if modes.is_empty() {
        errs.push(required(&at("accessModes"), "at least 1 access mode is required"));
    }
    label_selector(errs, spec.get("selector"), &at("selector"));
    access_modes(errs, modes, &at("accessModes"));
    let storage_path = at("resources[storage]");
    // ValidatePositiveQuantityValue (a malformed quantity failed the decode already).
    match spec.at("resources.requests.storage").filter(|q| !q.is_null()) {
        None => errs.push(required(&storage_path, "")),
        Some(q) => {
            if let Some(q) = quantity(q).filter(|q| *q <= super::zero_quantity()) {
                errs.push(invalid(
                    &storage_path,
                    string(&q.to_string()),
                    "must be greater than zero",
                ));
            }
        }
    }
    let class = spec.str_at("storageClassName");
    if !class.is_empty() {
        errs.extend(dns1123_subdomain(&at("storageClassName"), class));
    }
    volume_mode(errs, spec.get("volumeMode"), &at("volumeMode"));
    let source = spec.get("dataSource").filter(|v| !v.is_null());
    let source_ref = spec.get("dataSourceRef").filter(|v| !v.is_null());
    if let Some(s) = source {
        data_source(errs, s, &at("dataSource"));
    }
    if let Some(r) = source_ref {
        data_source(errs, r, &at("dataSourceRef"));
        let ns = r.str_at("namespace");
        if !ns.is_empty() {
            for m in names::is_dns1123_label(ns) {
                errs.push(invalid(&at("dataSourceRef.namespace"), string(ns), &m));
            }
        }
    }
    // The value is the `*field.Path` of dataSource, which marshals to `{}`.
    match (source, source_ref) {
        (Some(_), Some(r)) if !r.str_at("namespace").is_empty() => errs.push(invalid(
            path,
            BadValue::Raw("{}".into()),
            "may not be specified when dataSourceRef.namespace is specified",
        )),
        (Some(s), Some(r))
            if s.str_at("kind") != r.str_at("kind")
                || s.str_at("name") != r.str_at("name")
                || s.str_at("apiGroup") != r.str_at("apiGroup") =>
        {
            errs.push(invalid(path, BadValue::Raw("{}".into()), "must match dataSourceRef"))
        }
        _ => {}
    }
    let vac = spec.str_at("volumeAttributesClassName");
    if !vac.is_empty() {
        errs.extend(dns1123_subdomain(&at("volumeAttributesClassName"), vac));
    }
}

/// Each access mode supported, and ReadWriteOncePod alone.
fn access_modes(errs: &mut Vec<String>, modes: &[Value], path: &str) {
    let (mut rwop, mut other) = (false, false);
    for m in modes {
        let mode = m.as_str().unwrap_or("");
        if !ACCESS_MODES.contains(&mode) {
            errs.push(unsupported(path, typed(mode), &ACCESS_MODES));
        } else if mode == "ReadWriteOncePod" {
            rwop = true;
        } else {
            other = true;
        }
    }
    if rwop && other {
        errs.push(forbidden(path, "may not use ReadWriteOncePod with other access modes"));
    }
}

/// A volumeMode (`*PersistentVolumeMode`): Block or Filesystem when set.
fn volume_mode(errs: &mut Vec<String>, mode: Option<&Value>, path: &str) {
    if let Some(m) = mode.and_then(Value::as_str) {
        if !["Block", "Filesystem"].contains(&m) {
            errs.push(unsupported(path, typed(m), &["Block", "Filesystem"]));
        }
    }
}

/// `validateDataSource` / `validateDataSourceRef`: a name and a kind; in the core group only a
/// claim; an API group is a DNS subdomain.
fn data_source(errs: &mut Vec<String>, s: &Value, path: &str) {
    if s.str_at("name").is_empty() {
        errs.push(required(&format!("{path}.name"), ""));
    }
    let kind = s.str_at("kind");
    if kind.is_empty() {
        errs.push(required(&format!("{path}.kind"), ""));
    }
    let group = s.str_at("apiGroup");
    if group.is_empty() && kind != "PersistentVolumeClaim" {
        errs.push(invalid(
            path,
            string(kind),
            "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
        ));
    }
    if !group.is_empty() {
        for m in names::is_dns1123_subdomain(group) {
            errs.push(invalid(&format!("{path}.apiGroup"), string(group), &m));
        }
    }
}

/// `ValidatePersistentVolumeClaimUpdate` after the create rules: the spec may change only in
/// the requested size and volumeAttributesClassName of a bound claim, and volumeName once;
/// the request may shrink only down to `status.capacity` (RecoverVolumeExpansionFailure is GA
/// and locked on in v1.34). Upstream appends a diff of the two specs to the Forbidden message;
/// it is not printed here.
pub fn claim_update(errs: &mut Vec<String>, new: &Value, old: &Value) {
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
            spec.remove("volumeAttributesClassName");
        }
        let old_name = old.str_at("spec.volumeName");
        // volumeName may be set once; a client that leaves it out keeps the stored one.
        if old_name.is_empty() || v.at("spec.volumeName").is_none() {
            spec.remove("volumeName");
        }
        spec
    };
    if strip(new) != strip(old) {
        errs.push(forbidden(
            "spec",
            "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
        ));
    }
    let size = |v: &Value, path: &str| crate::api::volumes::quantity_bytes(v.str_at(path));
    let (wanted, before) = (
        size(new, "spec.resources.requests.storage"),
        size(old, "spec.resources.requests.storage"),
    );
    if wanted < before && wanted <= size(old, "status.capacity.storage") {
        errs.push(forbidden(
            "spec.resources.requests.storage",
            "field can not be less than status.capacity",
        ));
    }
    immutable(errs, new.at("spec.volumeMode"), old.at("spec.volumeMode"), "volumeMode");
}

/// `ValidateImmutableField` of a pointer-typed string field.
fn immutable(errs: &mut Vec<String>, new: Option<&Value>, old: Option<&Value>, path: &str) {
    let (n, o) = (new.unwrap_or(&Value::Null), old.unwrap_or(&Value::Null));
    if n != o {
        errs.push(invalid(path, json(n), "field is immutable"));
    }
}

/// The sources of a PersistentVolume in the order `ValidatePersistentVolumeSpec` tests them.
const PV_SOURCES: [&str; 22] = [
    "hostPath",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "glusterfs",
    "flocker",
    "nfs",
    "rbd",
    "quobyte",
    "cephfs",
    "iscsi",
    "cinder",
    "fc",
    "flexVolume",
    "azureFile",
    "vsphereVolume",
    "photonPersistentDisk",
    "portworxVolume",
    "azureDisk",
    "scaleIO",
    "local",
    "storageos",
    "csi",
];

/// `ValidatePersistentVolume`: the object meta, then `ValidatePersistentVolumeSpec`.
pub fn volume(errs: &mut Vec<String>, obj: &Value) {
    object_meta(errs, Kind::PersistentVolume, obj);
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    let modes = list(spec, "accessModes");
    if modes.is_empty() {
        errs.push(required("spec.accessModes", ""));
    }
    access_modes(errs, modes, "spec.accessModes");
    let capacity = spec.get("capacity").and_then(Value::as_map);
    if capacity.is_none_or(|c| c.is_empty()) {
        errs.push(required("spec.capacity", ""));
    }
    if capacity.is_none_or(|c| c.get("storage").is_none() || c.len() > 1) {
        errs.push(unsupported(
            "spec.capacity",
            json(spec.get("capacity").unwrap_or(&Value::Null)),
            &["storage"],
        ));
    }
    for (name, q) in capacity.into_iter().flat_map(|c| c.iter()) {
        let Some(q) = quantity(q) else { continue };
        let at = format!("spec.capacity[{name}]");
        // validateBasicResource: Value() as an int64.
        if q < super::zero_quantity() {
            let bytes = q.value().unwrap_or(0) as i64;
            errs.push(invalid(&at, BadValue::Int(bytes), "must be a valid resource quantity"));
        }
        if q <= super::zero_quantity() {
            errs.push(invalid(&at, string(&q.to_string()), "must be greater than zero"));
        }
    }
    let reclaim = spec.str_at("persistentVolumeReclaimPolicy");
    if !reclaim.is_empty() && !["Delete", "Recycle", "Retain"].contains(&reclaim) {
        errs.push(unsupported(
            "spec.persistentVolumeReclaimPolicy",
            typed(reclaim),
            &["Delete", "Recycle", "Retain"],
        ));
    }
    let affinity = spec.get("nodeAffinity").filter(|a| !a.is_null());
    if let Some(a) = affinity {
        match a.get("required").filter(|r| !r.is_null()) {
            Some(r) => super::pod::node_selector(errs, r, "spec.nodeAffinity.required", true),
            None => errs.push(required(
                "spec.nodeAffinity.required",
                "must specify required node constraints",
            )),
        }
    }
    let mut found = 0;
    for field in PV_SOURCES {
        let Some(source) = spec.get(field).filter(|s| !s.is_null()) else {
            continue;
        };
        let at = format!("spec.{field}");
        if found > 0 {
            errs.push(forbidden(&at, "may not specify more than 1 volume type"));
            continue;
        }
        found += 1;
        match field {
            "hostPath" => super::pod::host_path(errs, source, &at),
            "awsElasticBlockStore" => super::pod::aws_ebs(errs, source, &at),
            "nfs" => super::pod::nfs(errs, source, &at),
            "local" => {
                // validateLocalVolumeSource.
                let p = source.str_at("path");
                if p.is_empty() {
                    errs.push(required(&format!("{at}.path"), ""));
                } else if p.split('/').any(|part| part == "..") {
                    errs.push(invalid(&format!("{at}.path"), string(p), "must not contain '..'"));
                }
                if affinity.is_none() {
                    errs.push(required("spec.nodeAffinity", "Local volume requires node affinity"));
                }
            }
            "csi" => csi_source(errs, source, &at),
            _ => {}
        }
    }
    if found == 0 {
        errs.push(required("spec", "must specify a volume type"));
    }
    let host_root = spec
        .at("hostPath.path")
        .and_then(Value::as_str)
        .is_some_and(|p| p.trim_end_matches('/').is_empty() && p.starts_with('/'));
    if host_root && reclaim == "Recycle" {
        errs.push(forbidden(
            "spec.persistentVolumeReclaimPolicy",
            "may not be 'recycle' for a hostPath mount of '/'",
        ));
    }
    let class = spec.str_at("storageClassName");
    if !class.is_empty() {
        errs.extend(dns1123_subdomain("spec.storageClassName", class));
    }
    volume_mode(errs, spec.get("volumeMode"), "spec.volumeMode");
}

/// `validateCSIPersistentVolumeSource`: a driver name and a volume handle.
fn csi_source(errs: &mut Vec<String>, source: &Value, path: &str) {
    let driver = source.str_at("driver");
    if driver.is_empty() {
        errs.push(required(&format!("{path}.driver"), ""));
    } else {
        // ValidateCSIDriverName: at most 63 characters, a DNS subdomain once lowercased.
        if driver.len() > 63 {
            errs.push(super::too_long(&format!("{path}.driver"), 63));
        }
        for m in names::is_dns1123_subdomain(&driver.to_ascii_lowercase()) {
            errs.push(invalid(&format!("{path}.driver"), string(driver), &m));
        }
    }
    if source.str_at("volumeHandle").is_empty() {
        errs.push(required(&format!("{path}.volumeHandle"), ""));
    }
}

/// `ValidatePersistentVolumeUpdate` after the create rules: the volume source and volumeMode
/// may not change. Upstream appends a diff of the two sources; it is not printed here.
pub fn volume_update(errs: &mut Vec<String>, new: &Value, old: &Value) {
    let source = |v: &Value| -> Vec<Option<Value>> {
        PV_SOURCES
            .iter()
            .map(|f| v.at(&format!("spec.{f}")).filter(|s| !s.is_null()).cloned())
            .collect()
    };
    if source(new) != source(old) {
        errs.push(forbidden(
            "spec.persistentvolumesource",
            "spec.persistentvolumesource is immutable after creation",
        ));
    }
    immutable(errs, new.at("spec.volumeMode"), old.at("spec.volumeMode"), "volumeMode");
}

/// The Service types (`supportedServiceType`, sorted).
const SERVICE_TYPES: [&str; 4] = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];

/// `isHeadlessService`: `clusterIPs` is exactly `[None]`.
fn headless(spec: &Value) -> bool {
    matches!(list(spec, "clusterIPs"), [ip] if ip.as_str() == Some("None"))
}

/// `validateService` (ValidateServiceCreate; ValidateServiceUpdate runs it after its own
/// checks), in its order.
pub fn service(errs: &mut Vec<String>, obj: &Value) {
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    // The allocator runs ValidateServiceClusterIPsRelatedFields first, as a "loose
    // pre-validation" (initIPFamilyFields, pkg/registry/core/service/storage/alloc.go), and
    // refuses the Service with those errors alone.
    let mut early = Vec::new();
    cluster_ips(&mut early, spec);
    if !early.is_empty() {
        errs.extend(early);
        return;
    }
    object_meta(errs, Kind::Service, obj);
    let kind = spec.str_at("type");
    let ports = list(spec, "ports");
    if ports.is_empty() && !headless(spec) && kind != "ExternalName" {
        errs.push(required("spec.ports", ""));
    }
    let first_ip = || {
        list(spec, "clusterIPs")
            .first()
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    match kind {
        "LoadBalancer" | "NodePort" if headless(spec) => errs.push(invalid(
            "spec.clusterIPs[0]",
            string(&first_ip()),
            &format!("may not be set to 'None' for {kind} services"),
        )),
        "ExternalName" => {
            if !list(spec, "clusterIPs").is_empty() {
                errs.push(forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
            }
            if !list(spec, "ipFamilies").is_empty() {
                errs.push(forbidden("spec.ipFamilies", "may not be set for ExternalName services"));
            }
            if spec.get("ipFamilyPolicy").is_some_and(|v| !v.is_null()) {
                errs.push(forbidden(
                    "spec.ipFamilyPolicy",
                    "may not be set for ExternalName services",
                ));
            }
            let cname = spec.str_at("externalName");
            let cname = cname.strip_suffix('.').unwrap_or(cname);
            if cname.is_empty() {
                errs.push(required("spec.externalName", ""));
            } else {
                errs.extend(dns1123_subdomain("spec.externalName", cname));
            }
        }
        _ => {}
    }
    let mut port_names: Vec<&str> = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        service_port(errs, p, ports.len() > 1, &mut port_names, &format!("spec.ports[{i}]"));
    }
    if spec.get("selector").is_some_and(|s| !s.is_null()) {
        labels(errs, spec.get("selector"), "spec.selector");
    }
    let affinity = spec.str_at("sessionAffinity");
    match affinity {
        "" => errs.push(required("spec.sessionAffinity", "")),
        "ClientIP" | "None" => {}
        other => errs.push(unsupported("spec.sessionAffinity", typed(other), &["ClientIP", "None"])),
    }
    let config = spec.get("sessionAffinityConfig").filter(|c| !c.is_null());
    if affinity == "ClientIP" {
        if let Some(t) = config
            .and_then(|c| c.at("clientIP.timeoutSeconds"))
            .and_then(Value::as_i64)
        {
            if !(1..=86400).contains(&t) {
                errs.push(invalid(
                    "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                    BadValue::Int(t),
                    "must be greater than 0 and less than 86400",
                ));
            }
        }
    } else if affinity == "None" && config.is_some() {
        errs.push(forbidden(
            "spec.sessionAffinityConfig",
            "must not be set when session affinity is None",
        ));
    }
    cluster_ips(errs, spec);
    if !SERVICE_TYPES.contains(&kind) {
        errs.push(unsupported("spec.type", typed(kind), &SERVICE_TYPES));
    }
    if kind == "ClusterIP" {
        for (i, p) in ports.iter().enumerate() {
            if int_at(p, "nodePort") != 0 {
                errs.push(forbidden(
                    &format!("spec.ports[{i}].nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
        }
    }
    let mut node_ports: Vec<(&str, i64)> = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let node_port = int_at(p, "nodePort");
        if node_port == 0 {
            continue;
        }
        let key = (p.str_at("protocol"), node_port);
        if node_ports.contains(&key) {
            errs.push(duplicate(
                &format!("spec.ports[{i}].nodePort"),
                BadValue::Int(node_port),
            ));
        }
        node_ports.push(key);
    }
    let mut seen: Vec<(&str, i64)> = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let key = (p.str_at("protocol"), int_at(p, "port"));
        if seen.contains(&key) {
            // The value is the key: an internal `core.ServicePort` with only those two set.
            let value = go_struct(&[
                ("Name", "\"\"".into()),
                ("Protocol", json_string(key.0)),
                ("AppProtocol", "null".into()),
                ("Port", key.1.to_string()),
                ("TargetPort", "0".into()),
                ("NodePort", "0".into()),
            ]);
            errs.push(duplicate(&format!("spec.ports[{i}]"), BadValue::Raw(value)));
        }
        seen.push(key);
    }
    if spec.get("allocateLoadBalancerNodePorts").is_some_and(|v| !v.is_null()) && kind != "LoadBalancer" {
        errs.push(forbidden(
            "spec.allocateLoadBalancerNodePorts",
            "may only be used when `type` is 'LoadBalancer'",
        ));
    }
    // validateServiceExternalTrafficPolicy (apiservice.ExternallyAccessible).
    let external =
        kind == "LoadBalancer" || kind == "NodePort" || (kind == "ClusterIP" && !list(spec, "externalIPs").is_empty());
    let etp = spec.str_at("externalTrafficPolicy");
    if !external {
        if !etp.is_empty() {
            errs.push(invalid(
                "spec.externalTrafficPolicy",
                typed(etp),
                "may only be set for externally-accessible services",
            ));
        }
    } else if etp.is_empty() {
        errs.push(required("spec.externalTrafficPolicy", ""));
    } else if !["Cluster", "Local"].contains(&etp) {
        errs.push(unsupported(
            "spec.externalTrafficPolicy",
            typed(etp),
            &["Cluster", "Local"],
        ));
    }
    // validateServiceInternalTrafficFieldsValue.
    match spec.get("internalTrafficPolicy").and_then(Value::as_str) {
        None if ["NodePort", "LoadBalancer", "ClusterIP"].contains(&kind) => {
            errs.push(required("spec.internalTrafficPolicy", ""))
        }
        Some(p) if !["Cluster", "Local"].contains(&p) => errs.push(unsupported(
            "spec.internalTrafficPolicy",
            typed(p),
            &["Cluster", "Local"],
        )),
        _ => {}
    }
    // validateServiceTrafficDistribution (PreferSameTrafficDistribution is on in v1.34).
    if let Some(d) = spec.get("trafficDistribution").and_then(Value::as_str) {
        const DISTRIBUTIONS: [&str; 3] = ["PreferClose", "PreferSameZone", "PreferSameNode"];
        if !DISTRIBUTIONS.contains(&d) {
            errs.push(unsupported("spec.trafficDistribution", string(d), &DISTRIBUTIONS));
        }
    }
}

/// `validateServicePort`: a name (required when there are several ports, a DNS label,
/// unique), the port, the protocol, the targetPort, the appProtocol.
fn service_port<'a>(
    errs: &mut Vec<String>,
    p: &'a Value,
    require_name: bool,
    names_seen: &mut Vec<&'a str>,
    path: &str,
) {
    let name = p.str_at("name");
    if require_name && name.is_empty() {
        errs.push(required(&format!("{path}.name"), ""));
    } else if !name.is_empty() {
        errs.extend(super::dns1123_label(&format!("{path}.name"), name));
        if names_seen.contains(&name) {
            errs.push(duplicate(&format!("{path}.name"), string(name)));
        } else {
            names_seen.push(name);
        }
    }
    let port = int_at(p, "port");
    for m in names::is_valid_port_num(port) {
        errs.push(invalid(&format!("{path}.port"), BadValue::Int(port), &m));
    }
    super::container::protocol(errs, p.str_at("protocol"), &format!("{path}.protocol"));
    super::container::port_num_or_name(errs, p.get("targetPort"), &format!("{path}.targetPort"));
    if let Some(app) = p.get("appProtocol").and_then(Value::as_str) {
        qualified_name(errs, &format!("{path}.appProtocol"), app);
    }
}

/// `ValidateServiceClusterIPsRelatedFields` (not for ExternalName): clusterIP and clusterIPs
/// agree; ipFamilies and ipFamilyPolicy supported; each clusterIP an IP address, `None` only
/// alone.
fn cluster_ips(errs: &mut Vec<String>, spec: &Value) {
    if spec.str_at("type") == "ExternalName" {
        return;
    }
    let ips = list(spec, "clusterIPs");
    let ips_json = || json(spec.get("clusterIPs").unwrap_or(&Value::Null));
    let ip = spec.str_at("clusterIP");
    if !ip.is_empty() {
        if ips.first().and_then(Value::as_str) != Some(ip) {
            errs.push(invalid(
                "spec.clusterIPs",
                ips_json(),
                "first value must match `clusterIP`",
            ));
        }
    } else if !ips.is_empty() {
        errs.push(invalid(
            "spec.clusterIPs",
            ips_json(),
            "must be empty when `clusterIP` is not specified",
        ));
    }
    let mut families: Vec<&str> = Vec::new();
    for (i, f) in list(spec, "ipFamilies").iter().enumerate() {
        let f = f.as_str().unwrap_or("");
        if !["IPv4", "IPv6"].contains(&f) {
            errs.push(unsupported(
                &format!("spec.ipFamilies[{i}]"),
                typed(f),
                &["IPv4", "IPv6"],
            ));
        }
        if families.contains(&f) {
            errs.push(duplicate(&format!("spec.ipFamilies[{i}]"), typed(f)));
        }
        families.push(f);
    }
    if let Some(p) = spec.get("ipFamilyPolicy").and_then(Value::as_str) {
        const POLICIES: [&str; 3] = ["PreferDualStack", "RequireDualStack", "SingleStack"];
        if !POLICIES.contains(&p) {
            errs.push(unsupported("spec.ipFamilyPolicy", typed(p), &POLICIES));
        }
    }
    for (i, v) in ips.iter().enumerate() {
        let v = v.as_str().unwrap_or("");
        if i == 0 && v == "None" {
            if ips.len() > 1 {
                errs.push(invalid(
                    "spec.clusterIPs",
                    ips_json(),
                    "'None' must be the first and only value",
                ));
            }
            continue;
        }
        if v.parse::<std::net::IpAddr>().is_err() {
            errs.push(invalid(
                &format!("spec.clusterIPs[{i}]"),
                string(v),
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            ));
        }
    }
    if ips.len() > 2 {
        errs.push(invalid("spec.clusterIPs", ips_json(), "may only hold up to 2 values"));
    }
}

/// `ValidateServiceUpdate`'s own checks (`validateUpgradeDowngradeClusterIPs`), before
/// `validateService`: the primary clusterIP may not change, e.g. an existing Service may not
/// become headless. The value is the whole new `clusterIPs`.
pub fn service_update(errs: &mut Vec<String>, new: &Value, old: &Value) {
    object_meta_update(errs, new);
    let (n, o) = (
        new.get("spec").unwrap_or(&Value::Null),
        old.get("spec").unwrap_or(&Value::Null),
    );
    if n.str_at("type") == "ExternalName" || o.str_at("type") == "ExternalName" || (headless(n) && headless(o)) {
        return;
    }
    let (new_ips, old_ips) = (list(n, "clusterIPs"), list(o, "clusterIPs"));
    let value = || json(n.get("clusterIPs").unwrap_or(&Value::Null));
    let path = "spec.clusterIPs[0]";
    if new_ips.len() == old_ips.len() {
        for (a, b) in old_ips.iter().zip(new_ips) {
            if a != b {
                errs.push(invalid(path, value(), "may not change once set"));
            }
        }
    } else if old_ips.len() > new_ips.len() {
        if new_ips.is_empty() {
            errs.push(invalid(path, value(), "primary clusterIP can not be unset"));
        }
        if !old_ips.is_empty() && !new_ips.is_empty() && new_ips[0] != old_ips[0] {
            errs.push(invalid(path, value(), "may not change once set"));
        }
        if new_ips.len() == 1 && n.str_at("ipFamilyPolicy") != "SingleStack" {
            errs.push(invalid(
                path,
                value(),
                "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP",
            ));
        }
    } else if !old_ips.is_empty() && new_ips[0] != old_ips[0] {
        errs.push(invalid(path, value(), "may not change once set"));
    }
}

/// `ValidateNode`: the object meta, the taints (on `metadata.taints`: upstream passes the
/// metadata path), the pod CIDRs.
pub fn node(errs: &mut Vec<String>, obj: &Value) {
    object_meta(errs, Kind::Node, obj);
    node_taints(errs, obj);
    for (i, cidr) in list(obj, "spec.podCIDRs").iter().enumerate() {
        let cidr = cidr.as_str().unwrap_or("");
        if !valid_cidr(cidr) {
            errs.push(invalid(
                &format!("spec.podCIDRs[{i}]"),
                string(cidr),
                "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
            ));
        }
    }
}

fn valid_cidr(cidr: &str) -> bool {
    let Some((ip, bits)) = cidr.split_once('/') else {
        return false;
    };
    let Ok(ip) = ip.parse::<std::net::IpAddr>() else {
        return false;
    };
    let max = if ip.is_ipv4() { 32 } else { 128 };
    bits.parse::<u8>().is_ok_and(|b| b <= max) && !bits.starts_with('+')
}

/// `validateNodeTaints`: key, value, effect (required), unique by key and effect.
fn node_taints(errs: &mut Vec<String>, obj: &Value) {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (i, t) in list(obj, "spec.taints").iter().enumerate() {
        let at = format!("metadata.taints[{i}]");
        let (key, value, effect) = (t.str_at("key"), t.str_at("value"), t.str_at("effect"));
        qualified_name(errs, &format!("{at}.key"), key);
        let msgs = names::is_valid_label_value(value);
        if !msgs.is_empty() {
            errs.push(invalid(&format!("{at}.value"), string(value), &msgs.join(";")));
        }
        if effect.is_empty() {
            errs.push(required(&format!("{at}.effect"), ""));
        } else {
            super::pod::taint_effect(errs, effect, &format!("{at}.effect"));
        }
        if seen.contains(&(effect, key)) {
            // The value is the internal `core.Taint`.
            let taint = go_struct(&[
                ("Key", json_string(key)),
                ("Value", json_string(value)),
                ("Effect", json_string(effect)),
                ("TimeAdded", t.get("timeAdded").map_or("null".into(), super::go_json)),
            ]);
            let mut e = names::FieldError::duplicate(&at, BadValue::Raw(taint));
            e.detail = "taints must be unique by key and effect pair".into();
            errs.push(e.to_string());
            continue;
        }
        seen.push((effect, key));
    }
}

/// `ValidateNodeUpdate`: the meta update checks, the taints, and providerID and podCIDRs that
/// may only be set once.
pub fn node_update(errs: &mut Vec<String>, new: &Value, old: &Value) {
    object_meta_update(errs, new);
    let (old_cidrs, new_cidrs) = (list(old, "spec.podCIDRs"), list(new, "spec.podCIDRs"));
    if !old_cidrs.is_empty() && old_cidrs != new_cidrs {
        errs.push(forbidden(
            "spec.podCIDRs",
            "node updates may not change podCIDR except from \"\" to valid",
        ));
    }
    let old_provider = old.str_at("spec.providerID");
    if !old_provider.is_empty() && old_provider != new.str_at("spec.providerID") {
        errs.push(forbidden(
            "spec.providerID",
            "node updates may not change providerID except from \"\" to valid",
        ));
    }
    node_taints(errs, new);
}

/// `ValidateNamespace`: the object meta, then each spec finalizer (a qualified name, and a
/// standard one unless it has a domain; both on the list's path, without index).
pub fn namespace(errs: &mut Vec<String>, obj: &Value) {
    object_meta(errs, Kind::Namespace, obj);
    for f in list(obj, "spec.finalizers") {
        let f = f.as_str().unwrap_or("");
        qualified_name(errs, "spec.finalizers", f);
        qualified_name(errs, "spec.finalizers", f);
        if !f.contains('/') && !["kubernetes", "orphan", "foregroundDeletion"].contains(&f) {
            errs.push(invalid(
                "spec.finalizers",
                string(f),
                "name is neither a standard finalizer name nor is it fully qualified",
            ));
        }
    }
}
