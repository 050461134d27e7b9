//! The container rules of `pkg/apis/core/validation/validation.go` (validateContainers,
//! validateInitContainers, validateContainerCommon and what they call): names, images, ports,
//! env, volume mounts, resources, probes and lifecycle hooks.

use super::pod::local_descending_path;
use super::{
    dns1123_label, dns1123_subdomain, duplicate, forbidden, int_at, invalid, json, json_string, list,
    non_negative_value, not_found, qualified_name, quantity, required, string, typed, unsupported,
};
use crate::names::{self, BadValue};
use crate::value::Value;

/// `validateInitContainers`: the common container rules; names unique across both lists;
/// only restartPolicy Always; probes and lifecycle only for such sidecars.
pub fn init_containers(
    errs: &mut Vec<String>,
    init: &[Value],
    regular: &[Value],
    volumes: &[String],
    grace: Option<i64>,
    path: &str,
) {
    let mut names: Vec<&str> = regular.iter().map(|c| c.str_at("name")).collect();
    for (i, c) in init.iter().enumerate() {
        let at = format!("{path}[{i}]");
        container_common(errs, c, volumes, &at);
        let restart = c.get("restartPolicy").and_then(Value::as_str);
        if let Some(r) = restart.filter(|r| *r != "Always") {
            errs.push(unsupported(&format!("{at}.restartPolicy"), typed(r), &["Always"]));
        }
        let name = c.str_at("name");
        if names.contains(&name) {
            errs.push(duplicate(&format!("{at}.name"), string(name)));
        } else if !name.is_empty() {
            names.push(name);
        }
        host_port_conflicts(errs, std::slice::from_ref(c), path);
        if restart == Some("Always") {
            probes_and_lifecycle(errs, c, grace, &at);
        } else {
            for (field, detail) in [
                (
                    "lifecycle",
                    "may not be set for init containers without restartPolicy=Always",
                ),
                (
                    "livenessProbe",
                    "may not be set for init containers without restartPolicy=Always",
                ),
                ("readinessProbe", "may not be set for init containers"),
                (
                    "startupProbe",
                    "may not be set for init containers without restartPolicy=Always",
                ),
            ] {
                if c.get(field).is_some_and(|v| !v.is_null()) {
                    errs.push(forbidden(&format!("{at}.{field}"), detail));
                }
            }
        }
    }
}

/// `validateContainers`: at least one; per container the common rules, a name unique across
/// both lists, probes and lifecycle, no restartPolicy; then host port conflicts.
pub fn containers(
    errs: &mut Vec<String>,
    regular: &[Value],
    init: &[Value],
    volumes: &[String],
    grace: Option<i64>,
    path: &str,
) {
    if regular.is_empty() {
        errs.push(required(path, ""));
        return;
    }
    let mut names: Vec<&str> = init.iter().map(|c| c.str_at("name")).collect();
    for (i, c) in regular.iter().enumerate() {
        let at = format!("{path}[{i}]");
        container_common(errs, c, volumes, &at);
        let name = c.str_at("name");
        if names.contains(&name) {
            errs.push(duplicate(&format!("{at}.name"), string(name)));
        } else {
            names.push(name);
        }
        probes_and_lifecycle(errs, c, grace, &at);
        // ContainerRestartRules is alpha (off) in v1.34.
        if c.get("restartPolicy").is_some_and(|v| !v.is_null()) {
            errs.push(forbidden(
                &format!("{at}.restartPolicy"),
                "may not be set for non-init containers",
            ));
        }
    }
    host_port_conflicts(errs, regular, path);
}

/// `validateLifecycle` and the three probes, as `validateContainers` runs them.
fn probes_and_lifecycle(errs: &mut Vec<String>, c: &Value, grace: Option<i64>, at: &str) {
    if let Some(l) = c.get("lifecycle").filter(|l| !l.is_null()) {
        for hook in ["postStart", "preStop"] {
            if let Some(h) = l.get(hook).filter(|h| !h.is_null()) {
                handler(errs, h, grace, &format!("{at}.lifecycle.{hook}"), true);
            }
        }
    }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        let Some(p) = c.get(probe).filter(|p| !p.is_null()) else {
            continue;
        };
        let ppath = format!("{at}.{probe}");
        probe_common(errs, p, grace, &ppath);
        match probe {
            "readinessProbe" => {
                if let Some(t) = p.get("terminationGracePeriodSeconds").filter(|t| !t.is_null()) {
                    errs.push(invalid(
                        &format!("{ppath}.terminationGracePeriodSeconds"),
                        json(t),
                        "must not be set for readinessProbes",
                    ));
                }
            }
            _ => {
                let success = int_at(p, "successThreshold");
                if success != 1 {
                    errs.push(invalid(
                        &format!("{ppath}.successThreshold"),
                        BadValue::Int(success),
                        "must be 1",
                    ));
                }
            }
        }
    }
}

/// `validateProbe`: exactly one handler, then the counts non-negative, then a probe-level
/// terminationGracePeriodSeconds above 0. (Zero counts were defaulted: periodSeconds 10,
/// timeoutSeconds 1, successThreshold 1, failureThreshold 3.)
fn probe_common(errs: &mut Vec<String>, p: &Value, grace: Option<i64>, path: &str) {
    handler(errs, p, grace, path, false);
    for field in [
        "initialDelaySeconds",
        "timeoutSeconds",
        "periodSeconds",
        "successThreshold",
        "failureThreshold",
    ] {
        non_negative_value(errs, p.get(field), &format!("{path}.{field}"));
    }
    if let Some(t) = p.get("terminationGracePeriodSeconds").and_then(Value::as_i64) {
        if t <= 0 {
            errs.push(invalid(
                &format!("{path}.terminationGracePeriodSeconds"),
                BadValue::Int(t),
                "must be greater than 0",
            ));
        }
    }
}

/// `validateHandler`: exactly one of exec, httpGet, tcpSocket, grpc (probes) or sleep
/// (lifecycle hooks); a later one is Forbidden on its own path.
fn handler(errs: &mut Vec<String>, h: &Value, grace: Option<i64>, path: &str, lifecycle: bool) {
    let kinds: &[&str] = if lifecycle {
        &["exec", "httpGet", "tcpSocket", "sleep"]
    } else {
        &["exec", "httpGet", "tcpSocket", "grpc"]
    };
    let mut found = 0;
    for kind in kinds {
        let Some(action) = h.get(kind).filter(|a| !a.is_null()) else {
            continue;
        };
        let at = format!("{path}.{kind}");
        if found > 0 {
            errs.push(forbidden(&at, "may not specify more than 1 handler type"));
            continue;
        }
        found += 1;
        match *kind {
            "exec" if list(action, "command").is_empty() => {
                errs.push(required(&format!("{at}.command"), ""));
            }
            "httpGet" => {
                if action.str_at("path").is_empty() {
                    errs.push(required(&format!("{at}.path"), ""));
                }
                port_num_or_name(errs, action.get("port"), &format!("{at}.port"));
                let scheme = action.str_at("scheme");
                if !["HTTP", "HTTPS"].contains(&scheme) {
                    errs.push(unsupported(&format!("{at}.scheme"), typed(scheme), &["HTTP", "HTTPS"]));
                }
                for header in list(action, "httpHeaders") {
                    let name = header.str_at("name");
                    let ok = !name.is_empty() && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-');
                    if !ok {
                        errs.push(invalid(
                            &format!("{at}.httpHeaders"),
                            string(name),
                            &names::regex_error(
                                "a valid HTTP header must consist of alphanumeric characters or '-'",
                                "[-A-Za-z0-9]+",
                                &["X-Header-Name"],
                            ),
                        ));
                    }
                }
            }
            "tcpSocket" => port_num_or_name(errs, action.get("port"), &format!("{at}.port")),
            "grpc" => {
                let port = int_at(action, "port");
                for m in names::is_valid_port_num(port) {
                    errs.push(invalid(&format!("{at}.port"), BadValue::Int(port), &m));
                }
            }
            "sleep" => {
                // PodLifecycleSleepActionAllowZero is GA in v1.34: 0 is allowed.
                let seconds = int_at(action, "seconds");
                if let Some(g) = grace.filter(|g| seconds < 0 || seconds > *g) {
                    errs.push(invalid(
                        &at,
                        BadValue::Int(seconds),
                        &format!("must be non-negative and less than terminationGracePeriodSeconds ({g})"),
                    ));
                }
            }
            _ => {}
        }
    }
    if found == 0 {
        errs.push(required(path, "must specify a handler type"));
    }
}

/// `ValidatePortNumOrName`: a number 1-65535, or an IANA service name (a missing port is the
/// number 0).
pub fn port_num_or_name(errs: &mut Vec<String>, port: Option<&Value>, path: &str) {
    match port {
        Some(Value::Str(s)) => {
            for m in names::is_valid_port_name(s) {
                errs.push(invalid(path, string(s), &m));
            }
        }
        other => {
            let n = other.and_then(Value::as_i64).unwrap_or(0);
            for m in names::is_valid_port_num(n) {
                errs.push(invalid(path, BadValue::Int(n), &m));
            }
        }
    }
}

/// `validateContainerCommon`: name, image, terminationMessagePolicy, ports, env, envFrom,
/// volumeMounts, imagePullPolicy, resources.
fn container_common(errs: &mut Vec<String>, c: &Value, volumes: &[String], path: &str) {
    let at = |f: &str| format!("{path}.{f}");
    let name = c.str_at("name");
    if name.is_empty() {
        errs.push(required(&at("name"), ""));
    } else {
        errs.extend(dns1123_label(&at("name"), name));
    }
    if c.str_at("image").is_empty() {
        errs.push(required(&at("image"), ""));
    }
    match c.str_at("terminationMessagePolicy") {
        "File" | "FallbackToLogsOnError" => {}
        "" => errs.push(required(&at("terminationMessagePolicy"), "")),
        other => errs.push(unsupported(
            &at("terminationMessagePolicy"),
            typed(other),
            &["File", "FallbackToLogsOnError"],
        )),
    }
    container_ports(errs, list(c, "ports"), &at("ports"));
    env(errs, list(c, "env"), &at("env"));
    env_from(errs, list(c, "envFrom"), &at("envFrom"));
    volume_mounts(errs, c, volumes, &at("volumeMounts"));
    match c.str_at("imagePullPolicy") {
        "Always" | "IfNotPresent" | "Never" => {}
        "" => errs.push(required(&at("imagePullPolicy"), "")),
        other => errs.push(unsupported(
            &at("imagePullPolicy"),
            typed(other),
            &["Always", "IfNotPresent", "Never"],
        )),
    }
    resources(errs, c.get("resources").unwrap_or(&Value::Null), &at("resources"));
}

/// `validateContainerPorts`: a name is an IANA service name, unique; containerPort is set and
/// 1-65535; hostPort 1-65535 when set; protocol TCP, UDP or SCTP.
fn container_ports(errs: &mut Vec<String>, ports: &[Value], path: &str) {
    let mut names_seen: Vec<&str> = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let name = p.str_at("name");
        if !name.is_empty() {
            let msgs = names::is_valid_port_name(name);
            if !msgs.is_empty() {
                for m in msgs {
                    errs.push(invalid(&format!("{at}.name"), string(name), &m));
                }
            } else if names_seen.contains(&name) {
                errs.push(duplicate(&format!("{at}.name"), string(name)));
            } else {
                names_seen.push(name);
            }
        }
        let port = int_at(p, "containerPort");
        if port == 0 {
            errs.push(required(&format!("{at}.containerPort"), ""));
        } else {
            for m in names::is_valid_port_num(port) {
                errs.push(invalid(&format!("{at}.containerPort"), BadValue::Int(port), &m));
            }
        }
        let host = int_at(p, "hostPort");
        if host != 0 {
            for m in names::is_valid_port_num(host) {
                errs.push(invalid(&format!("{at}.hostPort"), BadValue::Int(host), &m));
            }
        }
        protocol(errs, p.str_at("protocol"), &format!("{at}.protocol"));
    }
}

/// A port protocol: required (defaulted to TCP), one of `supportedPortProtocols` (sorted).
pub fn protocol(errs: &mut Vec<String>, p: &str, path: &str) {
    match p {
        "SCTP" | "TCP" | "UDP" => {}
        "" => errs.push(required(path, "")),
        other => errs.push(unsupported(path, typed(other), &["SCTP", "TCP", "UDP"])),
    }
}

/// `AccumulateUniqueHostPorts`: one `protocol/hostIP/hostPort` once across `containers`.
fn host_port_conflicts(errs: &mut Vec<String>, containers: &[Value], path: &str) {
    let mut seen: Vec<String> = Vec::new();
    for (i, c) in containers.iter().enumerate() {
        for (j, p) in list(c, "ports").iter().enumerate() {
            let host = int_at(p, "hostPort");
            if host == 0 {
                continue;
            }
            let key = format!("{}/{}/{host}", p.str_at("protocol"), p.str_at("hostIP"));
            if seen.contains(&key) {
                errs.push(duplicate(&format!("{path}[{i}].ports[{j}].hostPort"), string(&key)));
            } else {
                seen.push(key);
            }
        }
    }
}

/// `ValidateEnv`: a name (the relaxed rule), then `valueFrom`.
fn env(errs: &mut Vec<String>, vars: &[Value], path: &str) {
    for (i, e) in vars.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let name = e.str_at("name");
        if name.is_empty() {
            errs.push(required(&format!("{at}.name"), ""));
        }
        for m in names::is_relaxed_env_var_name(name) {
            errs.push(invalid(&format!("{at}.name"), string(name), &m));
        }
        if let Some(from) = e.get("valueFrom").filter(|f| !f.is_null()) {
            value_from(errs, from, !e.str_at("value").is_empty(), &format!("{at}.valueFrom"));
        }
    }
}

/// The field paths an env var may read from the pod (`validEnvDownwardAPIFieldPathExpressions`).
const ENV_FIELD_PATHS: [&str; 9] = [
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// The field labels `ConvertDownwardAPIFieldLabel` knows (`pkg/api/pod/util.go`).
const CONVERTIBLE_FIELD_LABELS: [&str; 14] = [
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.serviceAccountName",
    "spec.schedulerName",
    "status.phase",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// `validateEnvVarValueFrom`: one source, each checked, and no `value` beside it.
fn value_from(errs: &mut Vec<String>, from: &Value, has_value: bool, path: &str) {
    let mut sources = 0;
    if let Some(f) = from.get("fieldRef").filter(|f| !f.is_null()) {
        sources += 1;
        field_ref(errs, f, &format!("{path}.fieldRef"));
    }
    if let Some(r) = from.get("resourceFieldRef").filter(|r| !r.is_null()) {
        sources += 1;
        let at = format!("{path}.resourceFieldRef");
        const RESOURCES: [&str; 6] = [
            "limits.cpu",
            "limits.ephemeral-storage",
            "limits.memory",
            "requests.cpu",
            "requests.ephemeral-storage",
            "requests.memory",
        ];
        let resource = r.str_at("resource");
        if resource.is_empty() {
            errs.push(required(&format!("{at}.resource"), ""));
        } else if !RESOURCES.contains(&resource)
            && !resource.starts_with("limits.hugepages-")
            && !resource.starts_with("requests.hugepages-")
        {
            errs.push(unsupported(&format!("{at}.resource"), string(resource), &RESOURCES));
        }
    }
    for source in ["configMapKeyRef", "secretKeyRef"] {
        let Some(s) = from.get(source).filter(|s| !s.is_null()) else {
            continue;
        };
        sources += 1;
        let at = format!("{path}.{source}");
        errs.extend(dns1123_subdomain(&format!("{at}.name"), s.str_at("name")));
        let key = s.str_at("key");
        if key.is_empty() {
            errs.push(required(&format!("{at}.key"), ""));
        } else {
            for m in names::is_config_map_key(key) {
                errs.push(invalid(&format!("{at}.key"), string(key), &m));
            }
        }
    }
    if sources == 0 {
        errs.push(invalid(
            path,
            string(""),
            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        ));
    } else if has_value {
        errs.push(invalid(
            path,
            string(""),
            "may not be specified when `value` is not empty",
        ));
    } else if sources > 1 {
        errs.push(invalid(
            path,
            string(""),
            "may not have more than one field specified at a time",
        ));
    }
}

/// `validateObjectFieldSelector` for an env var (apiVersion is defaulted to v1).
fn field_ref(errs: &mut Vec<String>, f: &Value, path: &str) {
    let version = f.str_at("apiVersion");
    if version.is_empty() {
        errs.push(required(&format!("{path}.apiVersion"), ""));
        return;
    }
    let field_path = f.str_at("fieldPath");
    if field_path.is_empty() {
        errs.push(required(&format!("{path}.fieldPath"), ""));
        return;
    }
    let at = format!("{path}.fieldPath");
    // SplitMaybeSubscriptedPath: `metadata.labels['app']`.
    let subscripted = field_path
        .strip_suffix("']")
        .and_then(|p| p.split_once("['"))
        .filter(|(_, sub)| !sub.is_empty());
    let conversion_error = if version != "v1" {
        Some(format!("unsupported pod version: {version}"))
    } else if let Some((base, _)) = subscripted {
        (!["metadata.annotations", "metadata.labels"].contains(&base))
            .then(|| format!("field label does not support subscript: {field_path}"))
    } else {
        (!CONVERTIBLE_FIELD_LABELS.contains(&field_path) && field_path != "spec.host")
            .then(|| format!("field label not supported: {field_path}"))
    };
    if let Some(e) = conversion_error {
        errs.push(invalid(
            &at,
            string(field_path),
            &format!("error converting fieldPath: {e}"),
        ));
        return;
    }
    match subscripted {
        Some(("metadata.annotations", key)) => qualified_name(errs, path, &key.to_ascii_lowercase()),
        Some((_, key)) => qualified_name(errs, path, key),
        None => {
            let internal = if field_path == "spec.host" {
                "spec.nodeName"
            } else {
                field_path
            };
            if !ENV_FIELD_PATHS.contains(&internal) {
                let mut sorted = ENV_FIELD_PATHS;
                sorted.sort_unstable();
                errs.push(unsupported(&at, string(internal), &sorted));
            }
        }
    }
}

/// `ValidateEnvFrom`: a prefix is an env var name; exactly one of configMapRef and secretRef,
/// named (the count errors go on the list's path, without index, as upstream).
fn env_from(errs: &mut Vec<String>, sources: &[Value], path: &str) {
    for (i, s) in sources.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let prefix = s.str_at("prefix");
        if !prefix.is_empty() {
            for m in names::is_relaxed_env_var_name(prefix) {
                errs.push(invalid(&format!("{at}.prefix"), string(prefix), &m));
            }
        }
        let mut count = 0;
        for source in ["configMapRef", "secretRef"] {
            let Some(r) = s.get(source).filter(|r| !r.is_null()) else {
                continue;
            };
            count += 1;
            let name = r.str_at("name");
            if name.is_empty() {
                errs.push(required(&format!("{at}.{source}.name"), ""));
            } else {
                for m in names::name_is_dns_subdomain(name, true) {
                    errs.push(invalid(&format!("{at}.{source}.name"), string(name), &m));
                }
            }
        }
        match count {
            0 => errs.push(invalid(
                path,
                string(""),
                "must specify one of: `configMapRef` or `secretRef`",
            )),
            1 => {}
            _ => errs.push(invalid(
                path,
                string(""),
                "may not have more than one field specified at a time",
            )),
        }
    }
}

/// `ValidateVolumeMounts`: a name that names a valid volume, a mountPath unique in the
/// container, subPath and subPathExpr relative without `..` (reported on the list's path,
/// without index, as upstream), mountPropagation and recursiveReadOnly.
fn volume_mounts(errs: &mut Vec<String>, c: &Value, volumes: &[String], path: &str) {
    let mut paths: Vec<&str> = Vec::new();
    let privileged = c.at("securityContext.privileged").and_then(Value::as_bool) == Some(true);
    for (i, m) in list(c, "volumeMounts").iter().enumerate() {
        let at = format!("{path}[{i}]");
        let name = m.str_at("name");
        if name.is_empty() {
            errs.push(required(&format!("{at}.name"), ""));
        }
        if !volumes.iter().any(|v| v == name) {
            errs.push(not_found(&format!("{at}.name"), string(name)));
        }
        let mount_path = m.str_at("mountPath");
        if mount_path.is_empty() {
            errs.push(required(&format!("{at}.mountPath"), ""));
        }
        if paths.contains(&mount_path) {
            errs.push(invalid(
                &format!("{at}.mountPath"),
                string(mount_path),
                "must be unique",
            ));
        }
        paths.push(mount_path);
        let sub = m.str_at("subPath");
        if !sub.is_empty() {
            local_descending_path(errs, sub, &format!("{path}.subPath"));
        }
        let expr = m.str_at("subPathExpr");
        if !expr.is_empty() {
            if !sub.is_empty() {
                errs.push(invalid(
                    &format!("{at}.subPathExpr"),
                    string(expr),
                    "subPathExpr and subPath are mutually exclusive",
                ));
            }
            local_descending_path(errs, expr, &format!("{path}.subPathExpr"));
        }
        let propagation = m.get("mountPropagation").and_then(Value::as_str);
        if let Some(p) = propagation {
            const MODES: [&str; 3] = ["Bidirectional", "HostToContainer", "None"];
            if !MODES.contains(&p) {
                errs.push(unsupported(&format!("{path}.mountPropagation"), typed(p), &MODES));
            }
            if p == "Bidirectional" && !privileged {
                errs.push(forbidden(
                    &format!("{path}.mountPropagation"),
                    "Bidirectional mount propagation is available only to privileged containers",
                ));
            }
        }
        if let Some(rro) = m.get("recursiveReadOnly").and_then(Value::as_str) {
            let rpath = format!("{path}.recursiveReadOnly");
            match rro {
                "Disabled" => {}
                "Enabled" | "IfPossible" => {
                    if m.get("readOnly").and_then(Value::as_bool) != Some(true) {
                        errs.push(forbidden(&rpath, "may only be specified when readOnly is true"));
                    }
                    if propagation.is_some_and(|p| p != "None") {
                        errs.push(forbidden(
                            &rpath,
                            "may only be specified when mountPropagation is None or not specified",
                        ));
                    }
                }
                other => errs.push(unsupported(
                    &rpath,
                    typed(other),
                    &["Disabled", "Enabled", "IfPossible"],
                )),
            }
        }
    }
}

/// `validateResourceRequirements` for a container: each limit's and request's name and
/// quantity, then each request against its limit (on the `requests` path, without key, the
/// value being the request's `Quantity.String()`). Upstream walks the maps in random order;
/// here each map goes in key order.
fn resources(errs: &mut Vec<String>, r: &Value, path: &str) {
    let limits = r.get("limits").and_then(Value::as_map);
    let requests = r.get("requests").and_then(Value::as_map);
    let (mut lim_cpu_mem, mut req_cpu_mem, mut huge) = (false, false, false);
    for (name, q) in limits.into_iter().flat_map(|m| m.iter()) {
        let at = format!("{path}.limits[{name}]");
        resource_name(errs, name, &at);
        if let Some(q) = quantity(q) {
            resource_quantity(errs, name, &q, &at);
        }
        huge |= name.starts_with("hugepages-");
        lim_cpu_mem |= name == "cpu" || name == "memory";
    }
    for (name, q) in requests.into_iter().flat_map(|m| m.iter()) {
        let at = format!("{path}.requests[{name}]");
        resource_name(errs, name, &at);
        let Some(request) = quantity(q) else { continue };
        resource_quantity(errs, name, &request, &at);
        let limit = limits.and_then(|l| l.get(name)).and_then(quantity);
        let shown = request.to_string();
        match limit {
            Some(limit) if request != limit && !overcommit_allowed(name) => errs.push(invalid(
                &format!("{path}.requests"),
                string(&shown),
                &format!("must be equal to {name} limit of {limit}"),
            )),
            Some(limit) if request > limit => errs.push(invalid(
                &format!("{path}.requests"),
                string(&shown),
                &format!("must be less than or equal to {name} limit of {limit}"),
            )),
            Some(_) => {}
            None if !overcommit_allowed(name) => errs.push(required(
                &format!("{path}.limits"),
                "Limit must be set for non overcommitable resources",
            )),
            None => {}
        }
        huge |= name.starts_with("hugepages-");
        req_cpu_mem |= name == "cpu" || name == "memory";
    }
    if huge && !lim_cpu_mem && !req_cpu_mem {
        errs.push(forbidden(path, "HugePages require cpu or memory"));
    }
}

/// `IsNativeResource`: no domain, or a `kubernetes.io/` one.
fn native_resource(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

/// `IsOvercommitAllowed`: native resources other than huge pages.
fn overcommit_allowed(name: &str) -> bool {
    native_resource(name) && !name.starts_with("hugepages-")
}

/// `IsExtendedResourceName`.
fn extended_resource(name: &str) -> bool {
    !native_resource(name)
        && !name.starts_with("requests.")
        && names::is_qualified_name(&format!("requests.{name}")).is_empty()
}

/// `validateContainerResourceName` (after `validateResourceName`).
fn resource_name(errs: &mut Vec<String>, name: &str, path: &str) {
    let before = errs.len();
    qualified_name(errs, path, name);
    let qualified = errs.len() == before;
    // helper.IsStandardResourceName: the standard names of `pkg/apis/core/helper` plus the
    // huge page names.
    const STANDARD: [&str; 20] = [
        "cpu",
        "memory",
        "ephemeral-storage",
        "storage",
        "requests.cpu",
        "requests.memory",
        "requests.ephemeral-storage",
        "requests.storage",
        "limits.cpu",
        "limits.memory",
        "limits.ephemeral-storage",
        "pods",
        "services",
        "replicationcontrollers",
        "resourcequotas",
        "secrets",
        "configmaps",
        "persistentvolumeclaims",
        "services.nodeports",
        "services.loadbalancers",
    ];
    let huge = name.starts_with("hugepages-") || name.starts_with("requests.hugepages-");
    if !name.contains('/') {
        if qualified && !STANDARD.contains(&name) && !huge {
            errs.push(invalid(
                path,
                typed(name),
                "must be a standard resource type or fully qualified",
            ));
        }
        if !["cpu", "memory", "ephemeral-storage"].contains(&name) && !name.starts_with("hugepages-") {
            errs.push(invalid(path, typed(name), "must be a standard resource for containers"));
        }
    } else if !native_resource(name) && !extended_resource(name) {
        errs.push(invalid(
            path,
            typed(name),
            "doesn't follow extended resource name standard",
        ));
    }
}

/// `ValidateResourceQuantityValue`: not negative; a whole number for extended resources.
fn resource_quantity(errs: &mut Vec<String>, name: &str, q: &crate::quantity::Quantity, path: &str) {
    if *q < super::zero_quantity() {
        errs.push(invalid(
            path,
            string(&q.to_string()),
            "must be greater than or equal to 0",
        ));
    }
    if extended_resource(name) && q.milli_value().is_some_and(|m| m % 1000 != 0) {
        errs.push(invalid(
            path,
            BadValue::Raw(json_string(&q.to_string())),
            "must be an integer",
        ));
    }
}
