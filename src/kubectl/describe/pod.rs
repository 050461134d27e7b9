//! `describePod` and what it shares with the workload describers' `DescribePodTemplate`
//! (kubectl describe.go): `describeContainers` (basic info, command, state, resources, probes,
//! environment, mounts) and `describeVolumes`. One set of functions serves pods and templates,
//! as upstream: a template passes no container statuses and no field resolver, and indents its
//! container and volume names by one more space.

use super::writer::Writer;
use super::{annotations_multiline, labels_multiline, rfc1123, rfc1123_or_zero};
use crate::api::meta;
use crate::api::pod;
use crate::api::qos;
use crate::clock;
use crate::quantity::Quantity;
use crate::value::Value;
use crate::world::Cluster;

fn list<'a>(v: &'a Value, path: &str) -> &'a [Value] {
    v.at(path).map(Value::as_list).unwrap_or(&[])
}

fn flag(v: &Value, path: &str) -> bool {
    v.at(path).and_then(Value::as_bool).unwrap_or(false)
}

fn int(v: &Value, path: &str) -> i64 {
    v.at(path).and_then(Value::as_i64).unwrap_or(0)
}

/// Go's `%v` of a stored scalar (a quantity or an int-or-string written as a number).
fn text(v: Option<&Value>) -> String {
    v.map(crate::api::intstr::text).unwrap_or_default()
}

/// `describePod`.
pub fn describe_pod(c: &Cluster, p: &Value, w: &mut Writer) {
    w.line(0, format!("Name:\t{}", meta::name(p)));
    w.line(0, format!("Namespace:\t{}", meta::namespace(p)));
    // The Priority admission plugin gives every pod a priority (0 without a class); a pod the
    // playground stored without one shows that 0.
    w.line(0, format!("Priority:\t{}", int(p, "spec.priority")));
    for (field, title) in [
        ("spec.priorityClassName", "Priority Class Name"),
        ("spec.runtimeClassName", "Runtime Class Name"),
        ("spec.serviceAccountName", "Service Account"),
    ] {
        if !p.str_at(field).is_empty() {
            w.line(0, format!("{title}:\t{}", p.str_at(field)));
        }
    }
    let node = p.str_at("spec.nodeName");
    if node.is_empty() {
        w.line(0, "Node:\t<none>");
    } else {
        w.line(0, format!("Node:\t{node}/{}", p.str_at("status.hostIP")));
    }
    if !p.str_at("status.startTime").is_empty() {
        w.line(0, format!("Start Time:\t{}", rfc1123(p.str_at("status.startTime"))));
    }
    labels_multiline(w, "", "Labels", &meta::labels(p));
    annotations_multiline(w, "Annotations", &p.string_map("metadata.annotations"));
    if meta::is_terminating(p) && !matches!(pod::phase(p), "Failed" | "Succeeded") {
        let since = clock::parse_rfc3339(p.str_at("metadata.deletionTimestamp")).unwrap_or(c.now);
        w.line(
            0,
            format!(
                "Status:\tTerminating (lasts {})",
                clock::human_duration(c.now.saturating_sub(since.min(c.now)))
            ),
        );
        w.line(
            0,
            format!(
                "Termination Grace Period:\t{}s",
                int(p, "metadata.deletionGracePeriodSeconds")
            ),
        );
    } else {
        w.line(0, format!("Status:\t{}", pod::phase(p)));
    }
    for (field, title) in [("status.reason", "Reason"), ("status.message", "Message")] {
        if !p.str_at(field).is_empty() {
            w.line(0, format!("{title}:\t{}", p.str_at(field)));
        }
    }
    if let Some(profile) = p.at("spec.securityContext.seccompProfile").filter(|v| !v.is_null()) {
        seccomp(w, 0, profile);
    }
    w.line(0, format!("IP:\t{}", p.str_at("status.podIP")));
    // describePodIPs.
    let ips = list(p, "status.podIPs");
    if ips.is_empty() {
        w.line(0, "IPs:\t<none>");
    } else {
        w.line(0, "IPs:");
        for ip in ips {
            w.line(1, format!("IP:\t{}", ip.str_at("ip")));
        }
    }
    if let Some(r) = meta::controller_ref(p) {
        w.line(0, format!("Controlled By:\t{}/{}", r.str_at("kind"), r.str_at("name")));
    }
    if !p.str_at("status.nominatedNodeName").is_empty() {
        w.line(
            0,
            format!("NominatedNodeName:\t{}", p.str_at("status.nominatedNodeName")),
        );
    }
    if let Some(resources) = p.at("spec.resources").filter(|r| !r.is_null()) {
        w.line(0, "Resources:");
        describe_resources(w, resources, 1);
    }
    let statuses = |path: &str| Some(list(p, path));
    if !list(p, "spec.initContainers").is_empty() {
        describe_containers(
            w,
            "Init Containers",
            list(p, "spec.initContainers"),
            statuses("status.initContainerStatuses"),
            Some(p),
            "",
        );
    }
    describe_containers(
        w,
        "Containers",
        list(p, "spec.containers"),
        statuses("status.containerStatuses"),
        Some(p),
        "",
    );
    let conditions = list(p, "status.conditions");
    let gates = list(p, "spec.readinessGates");
    if !gates.is_empty() {
        w.line(0, "Readiness Gates:");
        w.line(1, "Type\tStatus");
        for g in gates {
            let kind = g.str_at("conditionType");
            let status = conditions
                .iter()
                .find(|c| c.str_at("type") == kind)
                .map_or("<none>", |c| c.str_at("status"));
            w.line(1, format!("{kind} \t{status} "));
        }
    }
    if !conditions.is_empty() {
        w.line(0, "Conditions:");
        w.line(1, "Type\tStatus");
        for cond in conditions {
            w.line(1, format!("{} \t{} ", cond.str_at("type"), cond.str_at("status")));
        }
    }
    describe_volumes(w, list(p, "spec.volumes"), "");
    w.line(0, format!("QoS Class:\t{}", qos::of(p)));
    labels_multiline(w, "", "Node-Selectors", &p.string_map("spec.nodeSelector"));
    tolerations_multiline(w, "", "Tolerations", list(p, "spec.tolerations"));
    topology_spread_constraints(w, list(p, "spec.topologySpreadConstraints"), "");
}

/// The `SeccompProfile:` line (and `LocalhostProfile:` under it) of a pod or container.
fn seccomp(w: &mut Writer, level: usize, profile: &Value) {
    w.line(level, format!("SeccompProfile:\t{}", profile.str_at("type")));
    if profile.str_at("type") == "Localhost" {
        w.line(
            level + 1,
            format!("LocalhostProfile:\t{}", profile.str_at("localhostProfile")),
        );
    }
}

/// `DescribePodTemplate`: a workload's template, with no statuses and no field resolver.
pub fn describe_pod_template(w: &mut Writer, template: Option<&Value>) {
    w.line(0, "Pod Template:");
    let Some(t) = template.filter(|t| !t.is_null()) else {
        w.write(1, "<unset>");
        return;
    };
    labels_multiline(w, "", "  Labels", &t.string_map("metadata.labels"));
    let annotations = t.string_map("metadata.annotations");
    if !annotations.is_empty() {
        annotations_multiline(w, "  Annotations", &annotations);
    }
    if !t.str_at("spec.serviceAccountName").is_empty() {
        w.line(1, format!("Service Account:\t{}", t.str_at("spec.serviceAccountName")));
    }
    if !list(t, "spec.initContainers").is_empty() {
        describe_containers(w, "Init Containers", list(t, "spec.initContainers"), None, None, "  ");
    }
    describe_containers(w, "Containers", list(t, "spec.containers"), None, None, "  ");
    describe_volumes(w, list(t, "spec.volumes"), "  ");
    topology_spread_constraints(w, list(t, "spec.topologySpreadConstraints"), "  ");
    if !t.str_at("spec.priorityClassName").is_empty() {
        w.line(
            1,
            format!("Priority Class Name:\t{}", t.str_at("spec.priorityClassName")),
        );
    }
    labels_multiline(w, "", "  Node-Selectors", &t.string_map("spec.nodeSelector"));
    tolerations_multiline(w, "", "  Tolerations", list(t, "spec.tolerations"));
}

/// `describeContainers`. `statuses` is None for a template; `pod` resolves field references
/// (`EnvValueRetriever`), None for a template.
fn describe_containers(
    w: &mut Writer,
    label: &str,
    containers: &[Value],
    statuses: Option<&[Value]>,
    pod: Option<&Value>,
    space: &str,
) {
    let none = if containers.is_empty() { " <none>" } else { "" };
    w.line(0, format!("{space}{label}:{none}"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for ct in containers {
        let name = ct.str_at("name");
        let status = statuses.unwrap_or(&[]).iter().find(|s| s.str_at("name") == name);
        // describeContainerBasicInfo.
        w.line(1, format!("{name_indent}{name}:"));
        if let Some(s) = status {
            w.line(2, format!("Container ID:\t{}", s.str_at("containerID")));
        }
        w.line(2, format!("Image:\t{}", ct.str_at("image")));
        if let Some(s) = status {
            w.line(2, format!("Image ID:\t{}", s.str_at("imageID")));
        }
        let ports = list(ct, "ports");
        for (title, field) in [("Port", "containerPort"), ("Host Port", "hostPort")] {
            let text = container_ports(ports, field);
            if text.contains(',') {
                w.line(2, format!("{title}s:\t{text}"));
            } else {
                w.line(
                    2,
                    format!("{title}:\t{}", if text.is_empty() { "<none>" } else { &text }),
                );
            }
        }
        if let Some(profile) = ct.at("securityContext.seccompProfile").filter(|v| !v.is_null()) {
            seccomp(w, 2, profile);
        }
        // describeContainerCommand: every line of every element on its own line.
        for (field, title) in [("command", "Command"), ("args", "Args")] {
            let items = list(ct, field);
            if items.is_empty() {
                continue;
            }
            w.line(2, format!("{title}:"));
            for item in items {
                for part in item.as_str().unwrap_or("").split('\n') {
                    w.line(3, part);
                }
            }
        }
        if let Some(s) = status {
            // describeContainerState.
            describe_status(w, "State", s.get("state").unwrap_or(&Value::Null));
            if let Some(last) = s.get("lastState").filter(|l| l.get("terminated").is_some()) {
                describe_status(w, "Last State", last);
            }
            w.line(
                2,
                format!("Ready:\t{}", if flag(s, "ready") { "True" } else { "False" }),
            );
            w.line(2, format!("Restart Count:\t{}", int(s, "restartCount")));
        }
        describe_resources(w, ct.get("resources").unwrap_or(&Value::Null), 2);
        container_probes(w, ct);
        if !list(ct, "envFrom").is_empty() {
            container_env_from(w, ct);
        }
        container_env(w, ct, pod);
        container_mounts(w, ct);
    }
}

/// `describeContainerPorts` / `describeContainerHostPorts`: `80/TCP (web)`, joined by `, `.
fn container_ports(ports: &[Value], field: &str) -> String {
    ports
        .iter()
        .map(|p| {
            let mut s = format!("{}/{}", int(p, field), p.str_at("protocol"));
            if !p.str_at("name").is_empty() {
                s.push_str(&format!(" ({})", p.str_at("name")));
            }
            s
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `describeStatus`: a container state (`state` or `lastState`).
fn describe_status(w: &mut Writer, title: &str, state: &Value) {
    if let Some(running) = state.get("running").filter(|v| !v.is_null()) {
        w.line(2, format!("{title}:\tRunning"));
        w.line(3, format!("Started:\t{}", rfc1123_or_zero(running.str_at("startedAt"))));
    } else if let Some(waiting) = state.get("waiting").filter(|v| !v.is_null()) {
        w.line(2, format!("{title}:\tWaiting"));
        if !waiting.str_at("reason").is_empty() {
            w.line(3, format!("Reason:\t{}", waiting.str_at("reason")));
        }
    } else if let Some(t) = state.get("terminated").filter(|v| !v.is_null()) {
        w.line(2, format!("{title}:\tTerminated"));
        for (field, label) in [("reason", "Reason"), ("message", "Message")] {
            if !t.str_at(field).is_empty() {
                w.line(3, format!("{label}:\t{}", t.str_at(field)));
            }
        }
        w.line(3, format!("Exit Code:\t{}", int(t, "exitCode")));
        if int(t, "signal") > 0 {
            w.line(3, format!("Signal:\t{}", int(t, "signal")));
        }
        w.line(3, format!("Started:\t{}", rfc1123_or_zero(t.str_at("startedAt"))));
        w.line(3, format!("Finished:\t{}", rfc1123_or_zero(t.str_at("finishedAt"))));
    } else {
        w.line(2, format!("{title}:\tWaiting"));
    }
}

/// `describeResources`: `Limits:` then `Requests:`, each resource sorted by name with its
/// quantity as stored (`Quantity.String()`).
pub fn describe_resources(w: &mut Writer, resources: &Value, level: usize) {
    for (field, title) in [("limits", "Limits"), ("requests", "Requests")] {
        let Some(m) = resources.get(field).and_then(Value::as_map).filter(|m| !m.is_empty()) else {
            continue;
        };
        w.line(level, format!("{title}:"));
        for (name, q) in m.iter() {
            w.line(level + 1, format!("{name}:\t{}", text(Some(q))));
        }
    }
}

/// `describeContainerProbe` with `DescribeProbe`.
fn container_probes(w: &mut Writer, ct: &Value) {
    for (field, title) in [
        ("livenessProbe", "Liveness"),
        ("readinessProbe", "Readiness"),
        ("startupProbe", "Startup"),
    ] {
        if let Some(p) = ct.get(field).filter(|p| !p.is_null()) {
            w.line(2, format!("{title}:\t{}", describe_probe(p)));
        }
    }
}

/// `DescribeProbe`.
fn describe_probe(p: &Value) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        int(p, "initialDelaySeconds"),
        int(p, "timeoutSeconds"),
        int(p, "periodSeconds"),
        int(p, "successThreshold"),
        int(p, "failureThreshold")
    );
    if let Some(e) = p.get("exec").filter(|v| !v.is_null()) {
        let cmd: Vec<&str> = list(e, "command").iter().filter_map(Value::as_str).collect();
        return format!("exec [{}] {attrs}", cmd.join(" "));
    }
    if let Some(h) = p.get("httpGet").filter(|v| !v.is_null()) {
        // url.URL{Scheme, Host: JoinHostPort(host, port), Path}.String().
        let port = text(h.get("port"));
        let host = h.str_at("host");
        let authority = match (port.is_empty(), host.contains(':')) {
            (true, _) => host.to_string(),
            (false, true) => format!("[{host}]:{port}"),
            (false, false) => format!("{host}:{port}"),
        };
        let path = h.str_at("path");
        let slash = if !path.is_empty() && !path.starts_with('/') && !authority.is_empty() {
            "/"
        } else {
            ""
        };
        return format!(
            "http-get {}://{authority}{slash}{path} {attrs}",
            h.str_at("scheme").to_ascii_lowercase()
        );
    }
    if let Some(t) = p.get("tcpSocket").filter(|v| !v.is_null()) {
        return format!("tcp-socket {}:{} {attrs}", t.str_at("host"), text(t.get("port")));
    }
    if let Some(g) = p.get("grpc").filter(|v| !v.is_null()) {
        return format!("grpc <pod>:{} {} {attrs}", int(g, "port"), g.str_at("service"));
    }
    format!("unknown {attrs}")
}

/// `describeContainerEnvFrom`.
fn container_env_from(w: &mut Writer, ct: &Value) {
    w.line(2, "Environment Variables from:");
    for e in list(ct, "envFrom") {
        let (from, r) = if let Some(r) = e.get("configMapRef").filter(|v| !v.is_null()) {
            ("ConfigMap", Some(r))
        } else if let Some(r) = e.get("secretRef").filter(|v| !v.is_null()) {
            ("Secret", Some(r))
        } else {
            ("", None)
        };
        let name = r.map_or("", |r| r.str_at("name"));
        let optional = r.is_some_and(|r| flag(r, "optional"));
        let prefix = e.str_at("prefix");
        if prefix.is_empty() {
            w.line(3, format!("{name}\t{from}\tOptional: {optional}"));
        } else {
            w.line(
                3,
                format!("{name}\t{from} with prefix '{prefix}'\tOptional: {optional}"),
            );
        }
    }
}

/// `describeContainerEnvVars`.
fn container_env(w: &mut Writer, ct: &Value, pod: Option<&Value>) {
    let env = list(ct, "env");
    w.line(
        2,
        if env.is_empty() {
            "Environment:\t<none>"
        } else {
            "Environment:"
        },
    );
    for e in env {
        let name = e.str_at("name");
        let Some(from) = e.get("valueFrom").filter(|v| !v.is_null()) else {
            for (i, part) in e.str_at("value").split('\n').enumerate() {
                if i == 0 {
                    w.line(3, format!("{name}:\t{part}"));
                } else {
                    w.line(3, format!("\t{part}"));
                }
            }
            continue;
        };
        if let Some(f) = from.get("fieldRef").filter(|v| !v.is_null()) {
            let value = pod.map_or(String::new(), |p| field_value(p, f.str_at("fieldPath")));
            w.line(
                3,
                format!(
                    "{name}:\t{value} ({}:{})",
                    f.str_at("apiVersion"),
                    f.str_at("fieldPath")
                ),
            );
        } else if let Some(r) = from.get("resourceFieldRef").filter(|v| !v.is_null()) {
            let resource = r.str_at("resource");
            let mut value = resource_value(ct, resource, r.get("divisor")).unwrap_or_default();
            if value == "0" && matches!(resource, "limits.cpu" | "limits.memory") {
                value = "node allocatable".into();
            }
            w.line(3, format!("{name}:\t{value} ({resource})"));
        } else if let Some(s) = from.get("secretKeyRef").filter(|v| !v.is_null()) {
            w.line(
                3,
                format!(
                    "{name}:\t<set to the key '{}' in secret '{}'>\tOptional: {}",
                    s.str_at("key"),
                    s.str_at("name"),
                    flag(s, "optional")
                ),
            );
        } else if let Some(m) = from.get("configMapKeyRef").filter(|v| !v.is_null()) {
            w.line(
                3,
                format!(
                    "{name}:\t<set to the key '{}' of config map '{}'>\tOptional: {}",
                    m.str_at("key"),
                    m.str_at("name"),
                    flag(m, "optional")
                ),
            );
        }
    }
}

/// `EnvValueRetriever`: kubectl converts the field label with its own scheme, which knows
/// only `metadata.name` and `metadata.namespace` for a Pod (apimachinery
/// `DefaultMetaV1FieldSelectorConversion`); every other path (`status.podIP`, `spec.nodeName`,
/// labels) resolves to nothing.
fn field_value(pod: &Value, path: &str) -> String {
    match path {
        "metadata.name" => meta::name(pod).to_string(),
        "metadata.namespace" => meta::namespace(pod).to_string(),
        _ => String::new(),
    }
}

/// `ExtractContainerResourceValue` (kubectl pkg/util/resource): the container's own request or
/// limit over the divisor (1 when unset or zero), rounded up; cpu in millicores. None for a
/// resource it does not know (printed empty).
fn resource_value(ct: &Value, resource: &str, divisor: Option<&Value>) -> Option<String> {
    let (kind, name) = resource.split_once('.')?;
    if !matches!(kind, "limits" | "requests") || !matches!(name, "cpu" | "memory" | "ephemeral-storage") {
        return None;
    }
    let zero = Quantity::from_i64(0, crate::quantity::Format::DecimalSI);
    let divisor = divisor
        .and_then(qos::quantity)
        .filter(|d| *d != zero)
        .unwrap_or_else(|| Quantity::from_i64(1, crate::quantity::Format::DecimalSI));
    let have = ct
        .at("resources")
        .and_then(|r| r.get(kind))
        .and_then(|m| m.get(name))
        .and_then(qos::quantity)
        .unwrap_or(zero);
    let (num, den) = if name == "cpu" {
        (have.milli_value()?, divisor.milli_value()?)
    } else {
        (have.value()?, divisor.value()?)
    };
    // Go divides in float64 and takes the ceiling.
    Some(format!("{}", (num as f64 / den as f64).ceil() as i64))
}

/// `describeContainerVolumes`: mounts sorted by path, `ro`/`rw` and the subPath; then devices.
fn container_mounts(w: &mut Writer, ct: &Value) {
    let mut mounts: Vec<&Value> = list(ct, "volumeMounts").iter().collect();
    let none = if mounts.is_empty() { "\t<none>" } else { "" };
    w.line(2, format!("Mounts:{none}"));
    crate::sort::by_key(&mut mounts, |m| m.str_at("mountPath").to_string());
    for m in mounts {
        let mut flags = vec![if flag(m, "readOnly") {
            "ro".to_string()
        } else {
            "rw".to_string()
        }];
        if !m.str_at("subPath").is_empty() {
            flags.push(format!("path={}", go_quote(m.str_at("subPath"))));
        }
        w.line(
            3,
            format!(
                "{} from {} ({})",
                m.str_at("mountPath"),
                m.str_at("name"),
                flags.join(",")
            ),
        );
    }
    let mut devices: Vec<&Value> = list(ct, "volumeDevices").iter().collect();
    if !devices.is_empty() {
        w.line(2, format!("Devices:{none}"));
        crate::sort::by_key(&mut devices, |d| d.str_at("devicePath").to_string());
        for d in devices {
            w.line(3, format!("{} from {}", d.str_at("devicePath"), d.str_at("name")));
        }
    }
}

/// Go's `%q` of a string: double quotes, with `"` and `\` and control characters escaped.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `describeVolumes`: `space` is `"  "` in a pod template (its names get one more space).
pub fn describe_volumes(w: &mut Writer, volumes: &[Value], space: &str) {
    if volumes.is_empty() {
        w.line(0, format!("{space}Volumes:\t<none>"));
        return;
    }
    w.line(0, format!("{space}Volumes:"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in volumes {
        w.line(1, format!("{name_indent}{}:", v.str_at("name")));
        volume_source(w, v);
    }
}

/// One `print…VolumeSource` of describe.go, chosen in `describeVolumes`' order. Each writes its
/// lines as one LEVEL_2 format string, so the lines after the first carry four literal spaces.
fn volume_source(w: &mut Writer, v: &Value) {
    let get = |key: &str| v.get(key).filter(|s| !s.is_null());
    let fields = |w: &mut Writer, kind: &str, lines: &[(&str, String)]| {
        let mut text = format!("Type:\t{kind}\n");
        for (label, value) in lines {
            text.push_str(&format!("    {label}:\t{value}\n"));
        }
        w.write(2, text);
    };
    let b = |s: &Value, path: &str| flag(s, path).to_string();
    let st = |s: &Value, path: &str| s.str_at(path).to_string();
    if let Some(s) = get("hostPath") {
        let kind = s.get("type").and_then(Value::as_str).unwrap_or("<none>");
        fields(
            w,
            "HostPath (bare host directory volume)",
            &[("Path", st(s, "path")), ("HostPathType", kind.to_string())],
        );
    } else if let Some(s) = get("emptyDir") {
        let size = s
            .get("sizeLimit")
            .and_then(qos::quantity)
            .filter(|q| *q > Quantity::from_i64(0, q.format()))
            .map_or("<unset>".to_string(), |_| text(s.get("sizeLimit")));
        fields(
            w,
            "EmptyDir (a temporary directory that shares a pod's lifetime)",
            &[("Medium", st(s, "medium")), ("SizeLimit", size)],
        );
    } else if let Some(s) = get("gcePersistentDisk") {
        fields(
            w,
            "GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)",
            &[
                ("PDName", st(s, "pdName")),
                ("FSType", st(s, "fsType")),
                ("Partition", int(s, "partition").to_string()),
                ("ReadOnly", b(s, "readOnly")),
            ],
        );
    } else if let Some(s) = get("awsElasticBlockStore") {
        fields(
            w,
            "AWSElasticBlockStore (a Persistent Disk resource in AWS)",
            &[
                ("VolumeID", st(s, "volumeID")),
                ("FSType", st(s, "fsType")),
                ("Partition", int(s, "partition").to_string()),
                ("ReadOnly", b(s, "readOnly")),
            ],
        );
    } else if let Some(s) = get("gitRepo") {
        fields(
            w,
            "GitRepo (a volume that is pulled from git when the pod is created)",
            &[("Repository", st(s, "repository")), ("Revision", st(s, "revision"))],
        );
    } else if let Some(s) = get("secret") {
        fields(
            w,
            "Secret (a volume populated by a Secret)",
            &[("SecretName", st(s, "secretName")), ("Optional", b(s, "optional"))],
        );
    } else if let Some(s) = get("configMap") {
        fields(
            w,
            "ConfigMap (a volume populated by a ConfigMap)",
            &[("Name", st(s, "name")), ("Optional", b(s, "optional"))],
        );
    } else if let Some(s) = get("nfs") {
        fields(
            w,
            "NFS (an NFS mount that lasts the lifetime of a pod)",
            &[
                ("Server", st(s, "server")),
                ("Path", st(s, "path")),
                ("ReadOnly", b(s, "readOnly")),
            ],
        );
    } else if let Some(s) = get("persistentVolumeClaim") {
        fields(
            w,
            "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            &[("ClaimName", st(s, "claimName")), ("ReadOnly", b(s, "readOnly"))],
        );
    } else if let Some(s) = get("ephemeral") {
        w.line(
            2,
            "Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)",
        );
        if let Some(t) = s.get("volumeClaimTemplate").filter(|t| !t.is_null()) {
            // printPersistentVolumeClaim(NewNestedPrefixWriter(w, LEVEL_2), …, false).
            w.nest += 2;
            super::print_claim(w, t, false, 0);
            w.nest -= 2;
        }
    } else if let Some(s) = get("downwardAPI") {
        w.write(
            2,
            "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n",
        );
        for item in list(s, "items") {
            if let Some(f) = item.get("fieldRef").filter(|v| !v.is_null()) {
                w.line(3, format!("{} -> {}", f.str_at("fieldPath"), item.str_at("path")));
            }
            if let Some(r) = item.get("resourceFieldRef").filter(|v| !v.is_null()) {
                w.line(3, format!("{} -> {}", r.str_at("resource"), item.str_at("path")));
            }
        }
    } else if let Some(s) = get("projected") {
        w.line(
            2,
            "Type:\tProjected (a volume that contains injected data from multiple sources)",
        );
        for source in list(s, "sources") {
            if let Some(sec) = source.get("secret").filter(|v| !v.is_null()) {
                w.write(
                    2,
                    format!(
                        "SecretName:\t{}\n    Optional:\t{}\n",
                        sec.str_at("name"),
                        flag(sec, "optional")
                    ),
                );
            } else if source.get("downwardAPI").is_some_and(|v| !v.is_null()) {
                w.line(2, "DownwardAPI:\ttrue");
            } else if let Some(cm) = source.get("configMap").filter(|v| !v.is_null()) {
                w.write(
                    2,
                    format!(
                        "ConfigMapName:\t{}\n    Optional:\t{}\n",
                        cm.str_at("name"),
                        flag(cm, "optional")
                    ),
                );
            } else if let Some(token) = source.get("serviceAccountToken").filter(|v| !v.is_null()) {
                w.line(
                    2,
                    format!("TokenExpirationSeconds:\t{}", int(token, "expirationSeconds")),
                );
            }
        }
    } else if let Some(s) = get("csi") {
        fields(
            w,
            "CSI (a Container Storage Interface (CSI) volume source)",
            &[
                ("Driver", st(s, "driver")),
                ("FSType", st(s, "fsType")),
                ("ReadOnly", b(s, "readOnly")),
            ],
        );
        super::csi_attributes(w, &s.string_map("volumeAttributes"));
    } else if let Some(s) = get("image") {
        fields(
            w,
            "Image (a container image or OCI artifact)",
            &[("Reference", st(s, "reference")), ("PullPolicy", st(s, "pullPolicy"))],
        );
    } else {
        // The in-tree sources Kubernetes has removed (iSCSI, RBD, Cinder, …) are not modelled:
        // kubectl prints their fields, the playground only names the source.
        let kind = v
            .as_map()
            .and_then(|m| m.keys().find(|k| *k != "name").map(str::to_string))
            .unwrap_or_default();
        w.line(2, format!("Type:\t{kind} (not described by the playground)"));
    }
}

/// `printTolerationsMultilineWithIndent`: sorted by key; `key=value:Effect`, ` op=Exists`
/// (no space when it stands alone), ` for Ns`.
pub fn tolerations_multiline(w: &mut Writer, initial: &str, title: &str, tolerations: &[Value]) {
    w.write(0, format!("{initial}{title}:\t"));
    if tolerations.is_empty() {
        w.write_line("<none>");
        return;
    }
    let mut sorted: Vec<&Value> = tolerations.iter().collect();
    crate::sort::by_key(&mut sorted, |t| t.str_at("key").to_string());
    for (i, t) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(0, initial);
            w.write(0, "\t");
        }
        let mut text = t.str_at("key").to_string();
        if !t.str_at("value").is_empty() {
            text.push_str(&format!("={}", t.str_at("value")));
        }
        if !t.str_at("effect").is_empty() {
            text.push_str(&format!(":{}", t.str_at("effect")));
        }
        if t.str_at("operator") == "Exists" && t.str_at("value").is_empty() {
            if !t.str_at("key").is_empty() || !t.str_at("effect").is_empty() {
                text.push_str(" op=Exists");
            } else {
                text.push_str("op=Exists");
            }
        }
        if let Some(s) = t.get("tolerationSeconds").and_then(Value::as_i64) {
            text.push_str(&format!(" for {s}s"));
        }
        w.write(0, format!("{text}\n"));
    }
}

/// `describeTopologySpreadConstraints`: sorted by topology key, one a line.
fn topology_spread_constraints(w: &mut Writer, constraints: &[Value], space: &str) {
    if constraints.is_empty() {
        return;
    }
    let mut sorted: Vec<&Value> = constraints.iter().collect();
    crate::sort::by_key(&mut sorted, |c| c.str_at("topologyKey").to_string());
    w.write(0, format!("{space}Topology Spread Constraints:\t"));
    for (i, tsc) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(0, space);
            w.write(0, "\t");
        }
        let mut text = format!(
            "{}:{} when max skew {} is exceeded",
            tsc.str_at("topologyKey"),
            tsc.str_at("whenUnsatisfiable"),
            int(tsc, "maxSkew")
        );
        if let Some(sel) = tsc.get("labelSelector").filter(|s| !s.is_null()) {
            text.push_str(&format!(" for selector {}", super::format_label_selector(sel)));
        }
        w.write(0, format!("{text}\n"));
    }
}
