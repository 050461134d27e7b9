//! The pod rules of `pkg/apis/core/validation/validation.go`: ValidatePodCreate,
//! ValidatePodTemplateSpec and ValidatePodSpec with what they call, for Pods and for every
//! workload's template. Each function names the upstream function it follows; errors are
//! appended in its order.

use super::container;
use super::{
    annotations, dns1123_label, dns1123_subdomain, duplicate, forbidden, go_struct, int_at, invalid, json, json_string,
    label_selector, labels, list, object_meta, qualified_name, quantity, required, string, typed, unsupported,
};
use crate::api::resources::Kind;
use crate::names::{self, BadValue};
use crate::value::Value;

/// `ValidatePodCreate`: the object meta and spec, then the rules for Pods only.
pub fn pod(errs: &mut Vec<String>, obj: &Value) {
    object_meta(errs, Kind::Pod, obj);
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    pod_spec(errs, spec, "spec", &[]);
    if !list(spec, "ephemeralContainers").is_empty() {
        errs.push(forbidden("spec.ephemeralContainers", "cannot be set on create"));
    }
    if !spec.str_at("nodeName").is_empty() && !list(spec, "schedulingGates").is_empty() {
        errs.push(forbidden(
            "spec.nodeName",
            "cannot be set until all schedulingGates have been cleared",
        ));
    }
    // validateContainersOnlyForPod: a template may hold " " as a placeholder image, a Pod not.
    for (field, items) in [
        ("containers", list(spec, "containers")),
        ("initContainers", list(spec, "initContainers")),
    ] {
        for (i, c) in items.iter().enumerate() {
            let image = c.str_at("image");
            if image.trim() != image {
                errs.push(invalid(
                    &format!("spec.{field}[{i}].image"),
                    string(image),
                    "must not have leading or trailing whitespace",
                ));
            }
        }
    }
}

/// `ValidatePodTemplateSpec` at `path` (`spec.template`): labels and annotations on the
/// template's own paths (`spec.template.labels`, not `.metadata.labels`), the pod spec, and no
/// ephemeral containers. `extra_volumes`: the names a StatefulSet's claim templates add.
pub fn pod_template(errs: &mut Vec<String>, template: &Value, path: &str, extra_volumes: &[String]) {
    labels(errs, template.at("metadata.labels"), &format!("{path}.labels"));
    annotations(
        errs,
        template.at("metadata.annotations"),
        &format!("{path}.annotations"),
    );
    let spec = template.get("spec").unwrap_or(&Value::Null);
    pod_spec(errs, spec, &format!("{path}.spec"), extra_volumes);
    if !list(spec, "ephemeralContainers").is_empty() {
        errs.push(forbidden(
            &format!("{path}.spec.ephemeralContainers"),
            "ephemeral containers not allowed in pod template",
        ));
    }
}

/// `ValidatePodSpec`, in its order: volumes, init containers, containers, restartPolicy,
/// dnsPolicy, nodeSelector, affinity, dnsConfig, topologySpreadConstraints, then the names,
/// activeDeadlineSeconds, hostname, subdomain and tolerations. Security contexts, resource
/// claims, readiness and scheduling gates, host aliases, os, overhead and pod-level resources
/// are not checked (docs/fidelity.md, "API validation").
pub fn pod_spec(errs: &mut Vec<String>, spec: &Value, path: &str, extra_volumes: &[String]) {
    let at = |f: &str| format!("{path}.{f}");
    if spec.get("terminationGracePeriodSeconds").is_none_or(Value::is_null) {
        errs.push(required(&at("terminationGracePeriodSeconds"), ""));
    }
    let mut volumes = validate_volumes(errs, list(spec, "volumes"), &at("volumes"));
    volumes.extend(extra_volumes.iter().cloned());
    let grace = spec.get("terminationGracePeriodSeconds").and_then(Value::as_i64);
    let (init, regular) = (list(spec, "initContainers"), list(spec, "containers"));
    container::init_containers(errs, init, regular, &volumes, grace, &at("initContainers"));
    container::containers(errs, regular, init, &volumes, grace, &at("containers"));
    restart_policy(errs, spec.str_at("restartPolicy"), &at("restartPolicy"));
    dns_policy(errs, spec.str_at("dnsPolicy"), &at("dnsPolicy"));
    labels(errs, spec.get("nodeSelector"), &at("nodeSelector"));
    if let Some(a) = spec.get("affinity").filter(|a| !a.is_null()) {
        affinity(errs, a, &at("affinity"));
    }
    dns_config(errs, spec.get("dnsConfig"), spec.str_at("dnsPolicy"), &at("dnsConfig"));
    topology_spread(
        errs,
        list(spec, "topologySpreadConstraints"),
        &at("topologySpreadConstraints"),
    );
    for (field, value) in [("serviceAccountName", "serviceAccountName"), ("nodeName", "nodeName")] {
        let name = spec.str_at(value);
        if !name.is_empty() {
            errs.extend(dns1123_subdomain(&at(field), name));
        }
    }
    if let Some(d) = spec.get("activeDeadlineSeconds").and_then(Value::as_i64) {
        if !(1..=i64::from(i32::MAX)).contains(&d) {
            errs.push(invalid(
                &at("activeDeadlineSeconds"),
                BadValue::Int(d),
                &names::inclusive_range_error(1, i64::from(i32::MAX)),
            ));
        }
    }
    for field in ["hostname", "subdomain"] {
        let v = spec.str_at(field);
        if !v.is_empty() {
            errs.extend(dns1123_label(&at(field), v));
        }
    }
    tolerations(errs, list(spec, "tolerations"), &at("tolerations"));
    let priority_class = spec.str_at("priorityClassName");
    if !priority_class.is_empty() {
        errs.extend(dns1123_subdomain(&at("priorityClassName"), priority_class));
    }
    if let Some(runtime) = spec.get("runtimeClassName").and_then(Value::as_str) {
        errs.extend(dns1123_subdomain(&at("runtimeClassName"), runtime));
    }
    match spec.get("preemptionPolicy").and_then(Value::as_str) {
        None | Some("PreemptLowerPriority" | "Never") => {}
        Some("") => errs.push(required(&at("preemptionPolicy"), "")),
        Some(p) => errs.push(unsupported(
            &at("preemptionPolicy"),
            typed(p),
            &["PreemptLowerPriority", "Never"],
        )),
    }
}

/// `ValidateVolumes`: each volume's source, then its name (a DNS label, unique). Returns the
/// names of the valid volumes: a mount of an invalid one is also "Not found" (upstream keeps
/// only volumes without errors).
fn validate_volumes(errs: &mut Vec<String>, volumes: &[Value], path: &str) -> Vec<String> {
    let mut valid: Vec<String> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (i, v) in volumes.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let mut el = Vec::new();
        volume_source(&mut el, v, &at);
        let name = v.str_at("name");
        if name.is_empty() {
            el.push(required(&format!("{at}.name"), ""));
        } else {
            el.extend(dns1123_label(&format!("{at}.name"), name));
        }
        if seen.contains(&name) {
            el.push(duplicate(&format!("{at}.name"), string(name)));
        }
        if el.is_empty() {
            seen.push(name);
            valid.push(name.to_string());
        }
        errs.extend(el);
    }
    valid
}

/// The volume sources of a pod volume in the order `validateVolumeSource` tests them (the
/// upstream path of the downward API source is misspelt `downwarAPI`).
const VOLUME_SOURCES: [(&str, &str); 31] = [
    ("emptyDir", "emptyDir"),
    ("hostPath", "hostPath"),
    ("gitRepo", "gitRepo"),
    ("gcePersistentDisk", "gcePersistentDisk"),
    ("awsElasticBlockStore", "awsElasticBlockStore"),
    ("secret", "secret"),
    ("nfs", "nfs"),
    ("iscsi", "iscsi"),
    ("glusterfs", "glusterfs"),
    ("flocker", "flocker"),
    ("persistentVolumeClaim", "persistentVolumeClaim"),
    ("rbd", "rbd"),
    ("cinder", "cinder"),
    ("cephfs", "cephFS"),
    ("quobyte", "quobyte"),
    ("downwardAPI", "downwarAPI"),
    ("fc", "fc"),
    ("flexVolume", "flexVolume"),
    ("configMap", "configMap"),
    ("azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume"),
    ("photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume"),
    ("azureDisk", "azureDisk"),
    ("storageos", "storageos"),
    ("projected", "projected"),
    ("scaleIO", "scaleIO"),
    ("csi", "csi"),
    ("ephemeral", "ephemeral"),
    ("image", "image"),
    ("", ""),
];

/// `validateVolumeSource`: exactly one source; the second and later are Forbidden on their
/// own path. The sources a learner writes get their own checks (emptyDir, hostPath,
/// awsElasticBlockStore, secret, nfs, persistentVolumeClaim, configMap).
fn volume_source(errs: &mut Vec<String>, v: &Value, path: &str) {
    let mut found = 0;
    for (field, upstream_path) in VOLUME_SOURCES.iter().filter(|(f, _)| !f.is_empty()) {
        let Some(source) = v.get(field).filter(|s| !s.is_null()) else {
            continue;
        };
        if found > 0 {
            errs.push(forbidden(
                &format!("{path}.{upstream_path}"),
                "may not specify more than 1 volume type",
            ));
            continue;
        }
        found += 1;
        let at = format!("{path}.{field}");
        match *field {
            "emptyDir"
                if source
                    .get("sizeLimit")
                    .and_then(quantity)
                    .is_some_and(|q| q < super::zero_quantity()) =>
            {
                errs.push(forbidden(
                    &format!("{at}.sizeLimit"),
                    "SizeLimit field must be a valid resource quantity",
                ));
            }
            "hostPath" => host_path(errs, source, &at),
            "awsElasticBlockStore" => aws_ebs(errs, source, &at),
            "nfs" => nfs(errs, source, &at),
            "persistentVolumeClaim" if source.str_at("claimName").is_empty() => {
                errs.push(required(&format!("{at}.claimName"), ""));
            }
            "secret" | "configMap" => {
                let name_field = if *field == "secret" { "secretName" } else { "name" };
                if source.str_at(name_field).is_empty() {
                    errs.push(required(&format!("{at}.{name_field}"), ""));
                }
                file_mode(errs, source.get("defaultMode"), &format!("{at}.defaultMode"));
                for (k, item) in list(source, "items").iter().enumerate() {
                    key_to_path(errs, item, &format!("{at}.items[{k}]"));
                }
            }
            _ => {}
        }
    }
    if found == 0 {
        errs.push(required(path, "must specify a volume type"));
    }
}

/// `validateHostPathVolumeSource`.
pub fn host_path(errs: &mut Vec<String>, source: &Value, path: &str) {
    let p = source.str_at("path");
    if p.is_empty() {
        errs.push(required(&format!("{path}.path"), ""));
        return;
    }
    no_backsteps(errs, p, &format!("{path}.path"));
    const TYPES: [&str; 8] = [
        "",
        "BlockDevice",
        "CharDevice",
        "Directory",
        "DirectoryOrCreate",
        "File",
        "FileOrCreate",
        "Socket",
    ];
    if let Some(t) = source.get("type").and_then(Value::as_str) {
        if !TYPES.contains(&t) {
            errs.push(unsupported(&format!("{path}.type"), typed(t), &TYPES));
        }
    }
}

/// `validateAWSElasticBlockStoreVolumeSource`.
pub fn aws_ebs(errs: &mut Vec<String>, source: &Value, path: &str) {
    if source.str_at("volumeID").is_empty() {
        errs.push(required(&format!("{path}.volumeID"), ""));
    }
    let partition = int_at(source, "partition");
    if !(0..=255).contains(&partition) {
        errs.push(invalid(
            &format!("{path}.partition"),
            BadValue::Int(partition),
            &names::inclusive_range_error(1, 255),
        ));
    }
}

/// `validateNFSVolumeSource`.
pub fn nfs(errs: &mut Vec<String>, source: &Value, path: &str) {
    if source.str_at("server").is_empty() {
        errs.push(required(&format!("{path}.server"), ""));
    }
    let p = source.str_at("path");
    if p.is_empty() {
        errs.push(required(&format!("{path}.path"), ""));
    }
    if !p.starts_with('/') {
        errs.push(invalid(&format!("{path}.path"), string(p), "must be an absolute path"));
    }
}

/// A file mode (`defaultMode`, `mode`): 0 to 0777; the value prints in decimal.
fn file_mode(errs: &mut Vec<String>, mode: Option<&Value>, path: &str) {
    if let Some(m) = mode.and_then(Value::as_i64).filter(|m| !(0..=0o777).contains(m)) {
        errs.push(invalid(
            path,
            BadValue::Int(m),
            "must be a number between 0 and 0777 (octal), both inclusive",
        ));
    }
}

/// `validateKeyToPath`.
fn key_to_path(errs: &mut Vec<String>, item: &Value, path: &str) {
    if item.str_at("key").is_empty() {
        errs.push(required(&format!("{path}.key"), ""));
    }
    let p = item.str_at("path");
    if p.is_empty() {
        errs.push(required(&format!("{path}.path"), ""));
    }
    local_non_reserved_path(errs, p, &format!("{path}.path"));
    file_mode(errs, item.get("mode"), &format!("{path}.mode"));
}

/// `validatePathNoBacksteps`: no `..` element.
fn no_backsteps(errs: &mut Vec<String>, p: &str, path: &str) {
    if p.split('/').any(|part| part == "..") {
        errs.push(invalid(path, string(p), "must not contain '..'"));
    }
}

/// `ValidateLocalDescendingPath`: relative, no `..` element.
pub(super) fn local_descending_path(errs: &mut Vec<String>, p: &str, path: &str) {
    if p.starts_with('/') {
        errs.push(invalid(path, string(p), "must be a relative path"));
    }
    no_backsteps(errs, p, path);
}

/// `ValidateLocalNonReservedPath`: also not starting with `..`.
fn local_non_reserved_path(errs: &mut Vec<String>, p: &str, path: &str) {
    local_descending_path(errs, p, path);
    if p.starts_with("..") && !p.starts_with("../") {
        errs.push(invalid(path, string(p), "must not start with '..'"));
    }
}

/// `validateRestartPolicy` (the literal order of upstream's list).
fn restart_policy(errs: &mut Vec<String>, policy: &str, path: &str) {
    match policy {
        "Always" | "OnFailure" | "Never" => {}
        "" => errs.push(required(path, "")),
        other => errs.push(unsupported(path, typed(other), &["Always", "OnFailure", "Never"])),
    }
}

/// `validateDNSPolicy` (literal order).
fn dns_policy(errs: &mut Vec<String>, policy: &str, path: &str) {
    match policy {
        "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None" => {}
        "" => errs.push(required(path, "")),
        other => errs.push(unsupported(
            path,
            typed(other),
            &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        )),
    }
}

/// `validatePodDNSConfig`: with dnsPolicy None a config with a nameserver is required; at most
/// three nameservers, each an IP; option names set.
fn dns_config(errs: &mut Vec<String>, config: Option<&Value>, policy: &str, path: &str) {
    let config = config.filter(|c| !c.is_null());
    if policy == "None" {
        let Some(c) = config else {
            errs.push(required(path, "must provide `dnsConfig` when `dnsPolicy` is None"));
            return;
        };
        if list(c, "nameservers").is_empty() {
            errs.push(required(
                &format!("{path}.nameservers"),
                "must provide at least one DNS nameserver when `dnsPolicy` is None",
            ));
            return;
        }
    }
    let Some(c) = config else { return };
    let servers = list(c, "nameservers");
    if servers.len() > 3 {
        errs.push(invalid(
            &format!("{path}.nameservers"),
            json(c.get("nameservers").unwrap_or(&Value::Null)),
            "must not have more than 3 nameservers",
        ));
    }
    for (i, ns) in servers.iter().enumerate() {
        let ns = ns.as_str().unwrap_or("");
        if ns.parse::<std::net::IpAddr>().is_err() {
            errs.push(invalid(
                &format!("{path}.nameservers[{i}]"),
                string(ns),
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            ));
        }
    }
    for (i, o) in list(c, "options").iter().enumerate() {
        if o.str_at("name").is_empty() {
            errs.push(required(&format!("{path}.options[{i}]"), "must not be empty"));
        }
    }
}

/// `validateAffinity`: node affinity, pod affinity, pod anti-affinity.
fn affinity(errs: &mut Vec<String>, a: &Value, path: &str) {
    if let Some(na) = a.get("nodeAffinity").filter(|v| !v.is_null()) {
        let at = format!("{path}.nodeAffinity");
        if let Some(req) = na
            .get("requiredDuringSchedulingIgnoredDuringExecution")
            .filter(|v| !v.is_null())
        {
            node_selector(
                errs,
                req,
                &format!("{at}.requiredDuringSchedulingIgnoredDuringExecution"),
                true,
            );
        }
        for (i, term) in list(na, "preferredDuringSchedulingIgnoredDuringExecution")
            .iter()
            .enumerate()
        {
            let tpath = format!("{at}.preferredDuringSchedulingIgnoredDuringExecution[{i}]");
            weight(errs, term, &tpath);
            node_selector_term(
                errs,
                term.get("preference").unwrap_or(&Value::Null),
                &format!("{tpath}.preference"),
                false,
            );
        }
    }
    for kind in ["podAffinity", "podAntiAffinity"] {
        let Some(pa) = a.get(kind).filter(|v| !v.is_null()) else {
            continue;
        };
        let at = format!("{path}.{kind}");
        for (i, term) in list(pa, "requiredDuringSchedulingIgnoredDuringExecution")
            .iter()
            .enumerate()
        {
            pod_affinity_term(
                errs,
                term,
                &format!("{at}.requiredDuringSchedulingIgnoredDuringExecution[{i}]"),
            );
        }
        for (i, term) in list(pa, "preferredDuringSchedulingIgnoredDuringExecution")
            .iter()
            .enumerate()
        {
            let tpath = format!("{at}.preferredDuringSchedulingIgnoredDuringExecution[{i}]");
            weight(errs, term, &tpath);
            pod_affinity_term(
                errs,
                term.get("podAffinityTerm").unwrap_or(&Value::Null),
                &format!("{tpath}.podAffinityTerm"),
            );
        }
    }
}

/// A preferred term's weight: 1 to 100.
fn weight(errs: &mut Vec<String>, term: &Value, path: &str) {
    let w = int_at(term, "weight");
    if !(1..=100).contains(&w) {
        errs.push(invalid(
            &format!("{path}.weight"),
            BadValue::Int(w),
            "must be in the range 1-100",
        ));
    }
}

/// `validatePodAffinityTerm`: the selectors, the namespaces, then a topologyKey that is set
/// (an empty one also fails the qualified-name check, twice).
fn pod_affinity_term(errs: &mut Vec<String>, term: &Value, path: &str) {
    label_selector(errs, term.get("labelSelector"), &format!("{path}.labelSelector"));
    label_selector(
        errs,
        term.get("namespaceSelector"),
        &format!("{path}.namespaceSelector"),
    );
    for ns in list(term, "namespaces") {
        let ns = ns.as_str().unwrap_or("");
        for m in names::name_is_dns_label(ns, false) {
            errs.push(invalid(&format!("{path}.namespace"), string(ns), &m));
        }
    }
    let key = term.str_at("topologyKey");
    if key.is_empty() {
        errs.push(required(&format!("{path}.topologyKey"), "can not be empty"));
    }
    qualified_name(errs, &format!("{path}.topologyKey"), key);
}

/// `ValidateNodeSelector`: at least one term, each term's requirements.
pub fn node_selector(errs: &mut Vec<String>, selector: &Value, path: &str, check_values: bool) {
    let terms = list(selector, "nodeSelectorTerms");
    let tpath = format!("{path}.nodeSelectorTerms");
    if terms.is_empty() {
        errs.push(required(&tpath, "must have at least one node selector term"));
        return;
    }
    for (i, term) in terms.iter().enumerate() {
        node_selector_term(errs, term, &format!("{tpath}[{i}]"), check_values);
    }
}

/// `ValidateNodeSelectorTerm`: matchExpressions (`ValidateNodeSelectorRequirement`; values are
/// label values unless the caller allows any), then matchFields (only `metadata.name`).
fn node_selector_term(errs: &mut Vec<String>, term: &Value, path: &str, check_values: bool) {
    for (j, r) in list(term, "matchExpressions").iter().enumerate() {
        let at = format!("{path}.matchExpressions[{j}]");
        let values = list(r, "values");
        match r.str_at("operator") {
            "In" | "NotIn" if values.is_empty() => errs.push(required(
                &format!("{at}.values"),
                "must be specified when `operator` is 'In' or 'NotIn'",
            )),
            "Exists" | "DoesNotExist" if !values.is_empty() => errs.push(forbidden(
                &format!("{at}.values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            )),
            "Gt" | "Lt" if values.len() != 1 => errs.push(required(
                &format!("{at}.values"),
                "must be specified single value when `operator` is 'Lt' or 'Gt'",
            )),
            "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt" => {}
            other => errs.push(invalid(
                &format!("{at}.operator"),
                typed(other),
                "not a valid selector operator",
            )),
        }
        qualified_name(errs, &format!("{at}.key"), r.str_at("key"));
        if check_values {
            for (k, v) in values.iter().enumerate() {
                let v = v.as_str().unwrap_or("");
                for m in names::is_valid_label_value(v) {
                    errs.push(invalid(&format!("{at}.values[{k}]"), string(v), &m));
                }
            }
        }
    }
    for (j, r) in list(term, "matchFields").iter().enumerate() {
        let at = format!("{path}.matchFields[{j}]");
        let values = list(r, "values");
        match r.str_at("operator") {
            "In" | "NotIn" if values.len() != 1 => errs.push(required(
                &format!("{at}.values"),
                "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
            )),
            "In" | "NotIn" => {}
            other => errs.push(invalid(
                &format!("{at}.operator"),
                typed(other),
                "not a valid selector operator",
            )),
        }
        let key = r.str_at("key");
        if key != "metadata.name" {
            errs.push(invalid(
                &format!("{at}.key"),
                string(key),
                "not a valid field selector key",
            ));
        } else {
            for (k, v) in values.iter().enumerate() {
                let v = v.as_str().unwrap_or("");
                errs.extend(dns1123_subdomain(&format!("{at}.values[{k}]"), v));
            }
        }
    }
}

/// `validateTopologySpreadConstraints`: maxSkew above 0, a topologyKey, whenUnsatisfiable,
/// no repeated (topologyKey, whenUnsatisfiable) pair (reported on the first of the two),
/// minDomains, the node inclusion policies, the label selector.
fn topology_spread(errs: &mut Vec<String>, constraints: &[Value], path: &str) {
    for (i, c) in constraints.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let skew = int_at(c, "maxSkew");
        if skew <= 0 {
            errs.push(invalid(
                &format!("{at}.maxSkew"),
                BadValue::Int(skew),
                "must be greater than zero",
            ));
        }
        let key = c.str_at("topologyKey");
        if key.is_empty() {
            errs.push(required(&format!("{at}.topologyKey"), "can not be empty"));
        }
        let when = c.str_at("whenUnsatisfiable");
        if !["DoNotSchedule", "ScheduleAnyway"].contains(&when) {
            errs.push(unsupported(
                &format!("{at}.whenUnsatisfiable"),
                typed(when),
                &["DoNotSchedule", "ScheduleAnyway"],
            ));
        }
        let repeated = constraints[i + 1..]
            .iter()
            .any(|o| o.str_at("topologyKey") == key && o.str_at("whenUnsatisfiable") == when);
        if repeated {
            errs.push(duplicate(
                &format!("{at}.{{topologyKey, whenUnsatisfiable}}"),
                string(&format!("{{{key}, {when}}}")),
            ));
        }
        if let Some(min) = c.get("minDomains").and_then(Value::as_i64) {
            let mpath = format!("{at}.minDomains");
            if min <= 0 {
                errs.push(invalid(&mpath, BadValue::Int(min), "must be greater than zero"));
            }
            if when != "DoNotSchedule" {
                errs.push(invalid(
                    &mpath,
                    BadValue::Int(min),
                    &format!("can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {when}"),
                ));
            }
        }
        for policy in ["nodeAffinityPolicy", "nodeTaintsPolicy"] {
            if let Some(p) = c.get(policy).and_then(Value::as_str) {
                if !["Honor", "Ignore"].contains(&p) {
                    errs.push(unsupported(&format!("{at}.{policy}"), typed(p), &["Honor", "Ignore"]));
                }
            }
        }
        label_selector(errs, c.get("labelSelector"), &format!("{at}.labelSelector"));
    }
}

/// `ValidateTolerations`: the key, an empty key only with Exists, tolerationSeconds only with
/// NoExecute, the operator with the value (a bad value is reported on `operator`), the effect.
fn tolerations(errs: &mut Vec<String>, tolerations: &[Value], path: &str) {
    for (i, t) in tolerations.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let (key, op, value, effect) = (
            t.str_at("key"),
            t.str_at("operator"),
            t.str_at("value"),
            t.str_at("effect"),
        );
        if !key.is_empty() {
            qualified_name(errs, &format!("{at}.key"), key);
        }
        if key.is_empty() && op != "Exists" {
            errs.push(invalid(
                &format!("{at}.operator"),
                typed(op),
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ));
        }
        let seconds = t.get("tolerationSeconds").filter(|s| !s.is_null());
        if seconds.is_some() && effect != "NoExecute" {
            errs.push(invalid(
                &format!("{at}.effect"),
                typed(effect),
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            ));
        }
        match op {
            "Equal" | "" => {
                let msgs = names::is_valid_label_value(value);
                if !msgs.is_empty() {
                    errs.push(invalid(&format!("{at}.operator"), string(value), &msgs.join(";")));
                }
            }
            "Exists" => {
                if !value.is_empty() {
                    // The value is the whole internal `core.Toleration`.
                    let toleration = go_struct(&[
                        ("Key", json_string(key)),
                        ("Operator", json_string(op)),
                        ("Value", json_string(value)),
                        ("Effect", json_string(effect)),
                        ("TolerationSeconds", seconds.map_or("null".into(), super::go_json)),
                    ]);
                    errs.push(invalid(
                        &format!("{at}.operator"),
                        BadValue::Raw(toleration),
                        "value must be empty when `operator` is 'Exists'",
                    ));
                }
            }
            other => errs.push(unsupported(
                &format!("{at}.operator"),
                typed(other),
                &["Equal", "Exists"],
            )),
        }
        if !effect.is_empty() {
            taint_effect(errs, effect, &format!("{at}.effect"));
        }
    }
}

/// `validateTaintEffect` (the literal order of upstream's list).
pub fn taint_effect(errs: &mut Vec<String>, effect: &str, path: &str) {
    if !["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(&effect) {
        errs.push(unsupported(
            path,
            typed(effect),
            &["NoSchedule", "PreferNoSchedule", "NoExecute"],
        ));
    }
}
