//! `kubectl describe` (`staging/src/k8s.io/kubectl/pkg/describe/describe.go`): sections in
//! upstream order, aligned by text/tabwriter (minwidth 0, padding 2) within each block of
//! consecutive lines that contain a tab, and the Events table.

use crate::api::meta;
use crate::api::pod;
use crate::api::resources::Kind;
use crate::clock::{self, Millis};
use crate::cluster::Cluster;
use crate::kubectl::printers;
use crate::value::Value;

/// Lines with `\t` between cells; rendered by [`Writer::finish`].
#[derive(Default)]
struct Writer {
    lines: Vec<String>,
}

impl Writer {
    fn line(&mut self, level: usize, text: impl AsRef<str>) {
        self.lines.push(format!("{}{}", "  ".repeat(level), text.as_ref()));
    }

    /// Align each run of consecutive tabbed lines (Go's tabwriter column blocks, simplified to
    /// whole lines) and join.
    fn finish(self) -> String {
        let mut out = String::new();
        let mut block: Vec<Vec<String>> = Vec::new();
        let flush = |block: &mut Vec<Vec<String>>, out: &mut String| {
            if block.is_empty() {
                return;
            }
            let cols = block.iter().map(Vec::len).max().unwrap_or(0);
            let mut widths = vec![0usize; cols];
            for row in block.iter() {
                for (i, cell) in row.iter().enumerate() {
                    if i + 1 < row.len() {
                        widths[i] = widths[i].max(cell.chars().count() + 2);
                    }
                }
            }
            for row in block.iter() {
                for (i, cell) in row.iter().enumerate() {
                    out.push_str(cell);
                    if i + 1 < row.len() {
                        out.push_str(&" ".repeat(widths[i] - cell.chars().count()));
                    }
                }
                out.push('\n');
            }
            block.clear();
        };
        for line in self.lines {
            if line.contains('\t') {
                block.push(line.split('\t').map(str::to_string).collect());
            } else {
                flush(&mut block, &mut out);
                out.push_str(&line);
                out.push('\n');
            }
        }
        flush(&mut block, &mut out);
        out
    }
}

/// Describe one object, or say that kubectl cannot describe that kind here.
pub fn describe(c: &Cluster, kind: Kind, obj: &Value) -> String {
    let mut w = Writer::default();
    match kind {
        Kind::Pod => describe_pod(c, obj, &mut w),
        Kind::StatefulSet => describe_statefulset(c, obj, &mut w),
        Kind::Deployment => describe_deployment(c, obj, &mut w),
        Kind::PodDisruptionBudget => describe_pdb(obj, &mut w),
        Kind::Service => describe_service(c, obj, &mut w),
        Kind::PersistentVolumeClaim => describe_pvc(c, obj, &mut w),
        Kind::PersistentVolume => describe_pv(c, obj, &mut w),
        Kind::Node => describe_node(c, obj, &mut w),
        Kind::ReplicaSet => describe_replicaset(c, obj, &mut w),
        Kind::DaemonSet => describe_daemonset(c, obj, &mut w),
        Kind::StorageClass => describe_storageclass(obj, &mut w),
        _ => describe_generic(c, kind, obj, &mut w),
    }
    match events_block(c, obj) {
        Some(events) => w.finish() + &events,
        None => {
            w.line(0, "Events:\t<none>");
            w.finish()
        }
    }
}

fn rfc1123(ts: &str) -> String {
    // Go's RFC1123Z: "Mon, 02 Jan 2006 15:04:05 -0700".
    let Some(ms) = clock::parse_rfc3339(ts) else {
        return "<unknown>".into();
    };
    let secs = clock::EPOCH + ms / 1000;
    let days = secs / 86_400;
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let b = ts.as_bytes();
    if b.len() < 19 {
        return ts.to_string();
    }
    let month: usize = ts[5..7].parse().unwrap_or(1);
    format!(
        "{weekday}, {} {} {} {} +0000",
        &ts[8..10],
        months[month.clamp(1, 12) - 1],
        &ts[0..4],
        &ts[11..19]
    )
}

fn labels_multiline(
    w: &mut Writer,
    level: usize,
    title: &str,
    map: &std::collections::BTreeMap<String, String>,
    sep: &str,
) {
    if map.is_empty() {
        w.line(level, format!("{title}:\t<none>"));
        return;
    }
    for (i, (k, v)) in map.iter().enumerate() {
        if i == 0 {
            w.line(level, format!("{title}:\t{k}{sep}{v}"));
        } else {
            w.line(level, format!("\t{k}{sep}{v}"));
        }
    }
}

fn annotations(obj: &Value) -> std::collections::BTreeMap<String, String> {
    let mut a = obj.string_map("metadata.annotations");
    a.remove("kubectl.kubernetes.io/last-applied-configuration");
    a
}

fn describe_generic(c: &Cluster, kind: Kind, obj: &Value, w: &mut Writer) {
    w.line(0, format!("Name:\t{}", meta::name(obj)));
    if kind.info().namespaced {
        w.line(0, format!("Namespace:\t{}", meta::namespace(obj)));
    }
    labels_multiline(w, 0, "Labels", &meta::labels(obj), "=");
    labels_multiline(w, 0, "Annotations", &annotations(obj), ": ");
    let _ = c;
}

fn describe_pod(c: &Cluster, p: &Value, w: &mut Writer) {
    w.line(0, format!("Name:\t{}", meta::name(p)));
    w.line(0, format!("Namespace:\t{}", meta::namespace(p)));
    w.line(0, "Priority:\t0");
    w.line(
        0,
        format!(
            "Service Account:\t{}",
            if p.str_at("spec.serviceAccountName").is_empty() {
                "default"
            } else {
                p.str_at("spec.serviceAccountName")
            }
        ),
    );
    let node = p.str_at("spec.nodeName");
    if node.is_empty() {
        w.line(0, "Node:\t<none>");
    } else {
        w.line(0, format!("Node:\t{node}/{}", p.str_at("status.hostIP")));
    }
    if !p.str_at("status.startTime").is_empty() {
        w.line(0, format!("Start Time:\t{}", rfc1123(p.str_at("status.startTime"))));
    }
    labels_multiline(w, 0, "Labels", &meta::labels(p), "=");
    labels_multiline(w, 0, "Annotations", &annotations(p), ": ");
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
                p.at("metadata.deletionGracePeriodSeconds")
                    .and_then(Value::as_i64)
                    .unwrap_or(0)
            ),
        );
    } else {
        w.line(0, format!("Status:\t{}", pod::phase(p)));
    }
    if !p.str_at("status.reason").is_empty() {
        w.line(0, format!("Reason:\t{}", p.str_at("status.reason")));
    }
    if !p.str_at("status.message").is_empty() {
        w.line(0, format!("Message:\t{}", p.str_at("status.message")));
    }
    w.line(0, format!("IP:\t{}", p.str_at("status.podIP")));
    w.line(0, "IPs:");
    if p.str_at("status.podIP").is_empty() {
        w.line(0, "IPs:\t<none>");
        w.lines.pop();
        w.lines.pop();
        w.line(0, "IPs:\t<none>");
    } else {
        w.line(1, format!("IP:\t{}", p.str_at("status.podIP")));
    }
    if let Some(r) = meta::controller_ref(p) {
        w.line(0, format!("Controlled By:\t{}/{}", r.str_at("kind"), r.str_at("name")));
    }
    w.line(0, "Containers:");
    let statuses = p.at("status.containerStatuses").map(Value::as_list).unwrap_or(&[]);
    for ct in pod::containers(p) {
        let name = ct.str_at("name");
        let st = statuses.iter().find(|s| s.str_at("name") == name);
        w.line(1, format!("{name}:"));
        if let Some(id) = st.map(|s| s.str_at("containerID")).filter(|s| !s.is_empty()) {
            w.line(2, format!("Container ID:\t{id}"));
        }
        w.line(2, format!("Image:\t{}", ct.str_at("image")));
        w.line(
            2,
            format!("Image ID:\t{}", st.map(|s| s.str_at("imageID")).unwrap_or("")),
        );
        container_ports(w, ct);
        container_command(w, ct);
        match st.and_then(|s| s.get("state")) {
            Some(state) if state.get("running").is_some() => {
                w.line(2, "State:\tRunning");
                w.line(3, format!("Started:\t{}", rfc1123(state.str_at("running.startedAt"))));
            }
            Some(state) if state.get("waiting").is_some() => {
                w.line(2, "State:\tWaiting");
                w.line(3, format!("Reason:\t{}", state.str_at("waiting.reason")));
            }
            Some(state) if state.get("terminated").is_some() => {
                w.line(2, "State:\tTerminated");
                w.line(3, format!("Reason:\t{}", state.str_at("terminated.reason")));
                w.line(
                    3,
                    format!(
                        "Exit Code:\t{}",
                        state.at("terminated.exitCode").and_then(Value::as_i64).unwrap_or(0)
                    ),
                );
            }
            _ => {
                w.line(2, "State:\tWaiting");
                w.line(3, "Reason:\tPending");
            }
        }
        if let Some(last) = st.and_then(|s| s.at("lastState.terminated")) {
            w.line(2, "Last State:\tTerminated");
            w.line(3, format!("Reason:\t{}", last.str_at("reason")));
            w.line(
                3,
                format!(
                    "Exit Code:\t{}",
                    last.get("exitCode").and_then(Value::as_i64).unwrap_or(0)
                ),
            );
            w.line(3, format!("Started:\t{}", rfc1123(last.str_at("startedAt"))));
            w.line(3, format!("Finished:\t{}", rfc1123(last.str_at("finishedAt"))));
        }
        let ready = st
            .and_then(|s| s.get("ready"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        w.line(2, format!("Ready:\t{}", if ready { "True" } else { "False" }));
        w.line(
            2,
            format!(
                "Restart Count:\t{}",
                st.and_then(|s| s.get("restartCount"))
                    .and_then(Value::as_i64)
                    .unwrap_or(0)
            ),
        );
        container_probe(w, ct);
        w.line(2, "Environment:\t<none>");
        container_mounts(w, ct);
    }
    w.line(0, "Conditions:");
    w.line(1, "Type\tStatus");
    for cond in p.at("status.conditions").map(Value::as_list).unwrap_or(&[]) {
        w.line(1, format!("{} \t{} ", cond.str_at("type"), cond.str_at("status")));
    }
    w.line(0, "Volumes:");
    let volumes = p.at("spec.volumes").map(Value::as_list).unwrap_or(&[]);
    if volumes.is_empty() {
        w.lines.pop();
        w.line(0, "Volumes:\t<none>");
    }
    for v in volumes {
        w.line(1, format!("{}:", v.str_at("name")));
        if let Some(claim) = v.at("persistentVolumeClaim.claimName").and_then(Value::as_str) {
            w.line(
                2,
                "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            );
            w.line(2, format!("ClaimName:\t{claim}"));
            w.line(2, "ReadOnly:\tfalse");
        } else if v.get("projected").is_some() {
            w.line(
                2,
                "Type:\tProjected (a volume that contains injected data from multiple sources)",
            );
            w.line(2, "TokenExpirationSeconds:\t3607");
            w.line(2, "ConfigMapName:\tkube-root-ca.crt");
            w.line(2, "Optional:\tfalse");
            w.line(2, "DownwardAPI:\ttrue");
        } else if v.get("emptyDir").is_some() {
            w.line(
                2,
                "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)",
            );
            w.line(2, "Medium:\t");
            w.line(2, "SizeLimit:\t<unset>");
        } else {
            w.line(2, "Type:\t(a volume type the playground does not model)");
        }
    }
    w.line(0, format!("QoS Class:\t{}", p.str_at("status.qosClass")));
    let selector = p.string_map("spec.nodeSelector");
    let sel: Vec<String> = selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
    w.line(
        0,
        format!(
            "Node-Selectors:\t{}",
            if sel.is_empty() { "<none>".into() } else { sel.join(",") }
        ),
    );
    let tolerations = p.at("spec.tolerations").map(Value::as_list).unwrap_or(&[]);
    if tolerations.is_empty() {
        w.line(0, "Tolerations:\t<none>");
    }
    for (i, t) in tolerations.iter().enumerate() {
        let mut text = t.str_at("key").to_string();
        if !t.str_at("value").is_empty() {
            text.push_str(&format!("={}", t.str_at("value")));
        }
        if !t.str_at("effect").is_empty() {
            text.push_str(&format!(":{}", t.str_at("effect")));
        }
        if t.str_at("operator") == "Exists" {
            text.push_str(" op=Exists");
        }
        if let Some(s) = t.get("tolerationSeconds").and_then(Value::as_i64) {
            text.push_str(&format!(" for {s}s"));
        }
        if i == 0 {
            w.line(0, format!("Tolerations:\t{text}"));
        } else {
            w.line(0, format!("\t{text}"));
        }
    }
}

fn container_ports(w: &mut Writer, ct: &Value) {
    let ports = ct.get("ports").map(Value::as_list).unwrap_or(&[]);
    let fmt = |p: &Value, key: &str| {
        format!(
            "{}/{}",
            p.get(key).and_then(Value::as_i64).unwrap_or(0),
            p.str_at("protocol")
        )
    };
    match ports {
        [] => {
            w.line(2, "Port:\t<none>");
            w.line(2, "Host Port:\t<none>");
        }
        [one] => {
            w.line(2, format!("Port:\t{}", fmt(one, "containerPort")));
            w.line(2, format!("Host Port:\t{}", fmt(one, "hostPort")));
        }
        many => {
            let list: Vec<String> = many.iter().map(|p| fmt(p, "containerPort")).collect();
            let hosts: Vec<String> = many.iter().map(|p| fmt(p, "hostPort")).collect();
            w.line(2, format!("Ports:\t{}", list.join(", ")));
            w.line(2, format!("Host Ports:\t{}", hosts.join(", ")));
        }
    }
}

fn container_command(w: &mut Writer, ct: &Value) {
    for (field, title) in [("command", "Command"), ("args", "Args")] {
        let list = ct.get(field).map(Value::as_list).unwrap_or(&[]);
        if list.is_empty() {
            continue;
        }
        w.line(2, format!("{title}:"));
        for a in list {
            w.line(3, a.as_str().unwrap_or(""));
        }
    }
}

fn container_probe(w: &mut Writer, ct: &Value) {
    for (field, title) in [
        ("livenessProbe", "Liveness"),
        ("readinessProbe", "Readiness"),
        ("startupProbe", "Startup"),
    ] {
        let Some(p) = ct.get(field) else { continue };
        let what = if let Some(h) = p.get("httpGet") {
            let port = h
                .get("port")
                .map(|v| {
                    v.as_i64()
                        .map_or_else(|| v.as_str().unwrap_or("").to_string(), |i| i.to_string())
                })
                .unwrap_or_default();
            format!(
                "http-get {}://:{port}{}",
                h.str_at("scheme").to_ascii_lowercase(),
                h.str_at("path")
            )
        } else if let Some(t) = p.get("tcpSocket") {
            let port = t
                .get("port")
                .map(|v| {
                    v.as_i64()
                        .map_or_else(|| v.as_str().unwrap_or("").to_string(), |i| i.to_string())
                })
                .unwrap_or_default();
            format!("tcp-socket :{port}")
        } else if let Some(e) = p.get("exec") {
            let cmd: Vec<&str> = e
                .get("command")
                .map(Value::as_list)
                .unwrap_or(&[])
                .iter()
                .filter_map(Value::as_str)
                .collect();
            format!("exec [{}]", cmd.join(" "))
        } else {
            "unknown".into()
        };
        let n = |k: &str, d: i64| p.get(k).and_then(Value::as_i64).unwrap_or(d);
        w.line(
            2,
            format!(
                "{title}:\t{what} delay={}s timeout={}s period={}s #success={} #failure={}",
                n("initialDelaySeconds", 0),
                n("timeoutSeconds", 1),
                n("periodSeconds", 10),
                n("successThreshold", 1),
                n("failureThreshold", 3)
            ),
        );
    }
}

fn container_mounts(w: &mut Writer, ct: &Value) {
    let mounts = ct.get("volumeMounts").map(Value::as_list).unwrap_or(&[]);
    if mounts.is_empty() {
        w.line(2, "Mounts:\t<none>");
        return;
    }
    w.line(2, "Mounts:");
    for m in mounts {
        let ro = if m.get("readOnly").and_then(Value::as_bool) == Some(true) {
            "ro"
        } else {
            "rw"
        };
        w.line(3, format!("{} from {} ({ro})", m.str_at("mountPath"), m.str_at("name")));
    }
}

fn describe_statefulset(c: &Cluster, s: &Value, w: &mut Writer) {
    name_and_namespace(w, s);
    w.line(
        0,
        format!(
            "CreationTimestamp:\t{}",
            rfc1123(s.str_at("metadata.creationTimestamp"))
        ),
    );
    let sel: Vec<String> = s
        .string_map("spec.selector.matchLabels")
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    w.line(0, format!("Selector:\t{}", sel.join(",")));
    labels_multiline(w, 0, "Labels", &meta::labels(s), "=");
    labels_multiline(w, 0, "Annotations", &annotations(s), ": ");
    let desired = s.at("spec.replicas").and_then(Value::as_i64).unwrap_or(1);
    let total = s.at("status.replicas").and_then(Value::as_i64).unwrap_or(0);
    w.line(0, format!("Replicas:\t{desired} desired | {total} total"));
    w.line(0, format!("Update Strategy:\t{}", s.str_at("spec.updateStrategy.type")));
    if let Some(p) = s
        .at("spec.updateStrategy.rollingUpdate.partition")
        .and_then(Value::as_i64)
    {
        w.line(1, format!("Partition:\t{p}"));
    }
    pods_status(c, s, w);
    pod_template(w, s.at("spec.template").unwrap_or(&Value::Null));
    let claims = s.at("spec.volumeClaimTemplates").map(Value::as_list).unwrap_or(&[]);
    if claims.is_empty() {
        w.line(0, "Volume Claims:\t<none>");
    } else {
        w.line(0, "Volume Claims:");
        for t in claims {
            w.line(1, format!("Name:\t{}", t.str_at("metadata.name")));
            w.line(1, format!("StorageClass:\t{}", t.str_at("spec.storageClassName")));
            labels_multiline(w, 1, "Labels", &t.string_map("metadata.labels"), "=");
            labels_multiline(w, 1, "Annotations", &t.string_map("metadata.annotations"), ": ");
            let cap = t.str_at("spec.resources.requests.storage");
            w.line(
                1,
                format!("Capacity:\t{}", if cap.is_empty() { "<default>" } else { cap }),
            );
            let modes: Vec<&str> = t
                .at("spec.accessModes")
                .map(Value::as_list)
                .unwrap_or(&[])
                .iter()
                .filter_map(Value::as_str)
                .collect();
            w.line(1, format!("Access Modes:\t[{}]", modes.join(" ")));
        }
    }
}

/// `DescribePodTemplate`: the template of a workload.
/// `DescribePodTemplate` on its own, as `kubectl rollout history --revision` prints it.
pub fn describe_pod_template(template: &Value) -> String {
    let mut w = Writer::default();
    pod_template(&mut w, template);
    w.finish()
}

fn pod_template(w: &mut Writer, template: &Value) {
    w.line(0, "Pod Template:");
    labels_multiline(w, 1, "Labels", &template.string_map("metadata.labels"), "=");
    let ta = template.string_map("metadata.annotations");
    if !ta.is_empty() {
        labels_multiline(w, 1, "Annotations", &ta, ": ");
    }
    w.line(1, "Containers:");
    for ct in template.at("spec.containers").map(Value::as_list).unwrap_or(&[]) {
        w.line(1, format!(" {}:", ct.str_at("name")));
        w.line(2, format!("Image:\t{}", ct.str_at("image")));
        container_ports(w, ct);
        container_command(w, ct);
        container_probe(w, ct);
        w.line(2, "Environment:\t<none>");
        container_mounts(w, ct);
    }
    let volumes = template.at("spec.volumes").map(Value::as_list).unwrap_or(&[]);
    if volumes.is_empty() {
        w.line(1, "Volumes:\t<none>");
    } else {
        w.line(1, "Volumes:");
        for v in volumes {
            w.line(2, format!("{}:", v.str_at("name")));
        }
    }
    let ns: Vec<String> = template
        .string_map("spec.nodeSelector")
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    w.line(
        1,
        format!(
            "Node-Selectors:\t{}",
            if ns.is_empty() { "<none>".into() } else { ns.join(",") }
        ),
    );
    w.line(1, "Tolerations:\t<none>");
}

/// `describePodDisruptionBudget`.
fn describe_pdb(b: &Value, w: &mut Writer) {
    let n = |path: &str| b.at(path).and_then(Value::as_i64).unwrap_or(0);
    let text = crate::api::intstr::text;
    name_and_namespace(w, b);
    if let Some(v) = b.at("spec.minAvailable") {
        w.line(0, format!("Min available:\t{}", text(v)));
    } else if let Some(v) = b.at("spec.maxUnavailable") {
        w.line(0, format!("Max unavailable:\t{}", text(v)));
    }
    w.line(
        0,
        format!(
            "Selector:\t{}",
            if b.at("spec.selector").is_none() {
                "<unset>".to_string()
            } else {
                printers::label_pairs(&b.string_map("spec.selector.matchLabels"))
            }
        ),
    );
    w.line(0, "Status:");
    w.line(2, format!("Allowed disruptions:\t{}", n("status.disruptionsAllowed")));
    w.line(2, format!("Current:\t{}", n("status.currentHealthy")));
    w.line(2, format!("Desired:\t{}", n("status.desiredHealthy")));
    w.line(2, format!("Total:\t{}", n("status.expectedPods")));
}

/// The `Name:` and `Namespace:` lines every namespaced describer starts with.
fn name_and_namespace(w: &mut Writer, obj: &Value) {
    w.line(0, format!("Name:\t{}", meta::name(obj)));
    w.line(0, format!("Namespace:\t{}", meta::namespace(obj)));
}

/// The objects of `kind` in the owner's namespace that it controls.
fn controlled<'a>(c: &'a Cluster, kind: Kind, owner: &Value) -> Vec<&'a Value> {
    let uid = meta::uid(owner);
    c.store
        .list(kind, Some(meta::namespace(owner)))
        .into_iter()
        .filter(|o| meta::is_controlled_by(o, uid))
        .collect()
}

/// `Pods Status:` of the workload describers (`getPodStatusForController`): the pods the
/// object controls, by phase (Pending counts as Waiting).
fn pods_status(c: &Cluster, owner: &Value, w: &mut Writer) {
    let pods = controlled(c, Kind::Pod, owner);
    let count = |ph: &str| pods.iter().filter(|p| pod::phase(p) == ph).count();
    w.line(
        0,
        format!(
            "Pods Status:\t{} Running / {} Waiting / {} Succeeded / {} Failed",
            count("Running"),
            count("Pending"),
            count("Succeeded"),
            count("Failed")
        ),
    );
}

/// `ReplicaSetDescriber` (kubectl describe.go `describeReplicaSet`).
fn describe_replicaset(c: &Cluster, rs: &Value, w: &mut Writer) {
    name_and_namespace(w, rs);
    w.line(
        0,
        format!(
            "Selector:\t{}",
            printers::label_pairs(&rs.string_map("spec.selector.matchLabels"))
        ),
    );
    labels_multiline(w, 0, "Labels", &meta::labels(rs), "=");
    labels_multiline(w, 0, "Annotations", &annotations(rs), ": ");
    if let Some(r) = meta::controller_ref(rs) {
        w.line(0, format!("Controlled By:\t{}/{}", r.str_at("kind"), r.str_at("name")));
    }
    w.line(
        0,
        format!(
            "Replicas:\t{} current / {} desired",
            rs.at("status.replicas").and_then(Value::as_i64).unwrap_or(0),
            rs.at("spec.replicas").and_then(Value::as_i64).unwrap_or(1)
        ),
    );
    pods_status(c, rs, w);
    pod_template(w, rs.at("spec.template").unwrap_or(&Value::Null));
}

/// `DaemonSetDescriber` (kubectl describe.go `describeDaemonSet`).
fn describe_daemonset(c: &Cluster, ds: &Value, w: &mut Writer) {
    let n = |path: &str| ds.at(path).and_then(Value::as_i64).unwrap_or(0);
    let node_selector = ds.string_map("spec.template.spec.nodeSelector");
    name_and_namespace(w, ds);
    w.line(
        0,
        format!(
            "Selector:\t{}",
            printers::label_pairs(&ds.string_map("spec.selector.matchLabels"))
        ),
    );
    w.line(
        0,
        format!(
            "Node-Selector:\t{}",
            if node_selector.is_empty() {
                "<none>".to_string()
            } else {
                printers::label_pairs(&node_selector)
            }
        ),
    );
    labels_multiline(w, 0, "Labels", &meta::labels(ds), "=");
    labels_multiline(w, 0, "Annotations", &annotations(ds), ": ");
    for (title, field) in [
        ("Desired Number of Nodes Scheduled", "status.desiredNumberScheduled"),
        ("Current Number of Nodes Scheduled", "status.currentNumberScheduled"),
        (
            "Number of Nodes Scheduled with Up-to-date Pods",
            "status.updatedNumberScheduled",
        ),
        (
            "Number of Nodes Scheduled with Available Pods",
            "status.numberAvailable",
        ),
        ("Number of Nodes Misscheduled", "status.numberMisscheduled"),
    ] {
        // Written with a plain space, not a tab: these lines are not aligned upstream either.
        w.line(0, format!("{title}: {}", n(field)));
    }
    pods_status(c, ds, w);
    pod_template(w, ds.at("spec.template").unwrap_or(&Value::Null));
}

/// `StorageClassDescriber` (kubectl describe.go `describeStorageClass`): annotations and
/// parameters as `k=v` lists (`labels.FormatLabels`), the last-applied annotation included.
fn describe_storageclass(sc: &Value, w: &mut Writer) {
    let pairs = |m: std::collections::BTreeMap<String, String>| {
        if m.is_empty() {
            "<none>".to_string()
        } else {
            printers::label_pairs(&m)
        }
    };
    let default = [
        "storageclass.kubernetes.io/is-default-class",
        "storageclass.beta.kubernetes.io/is-default-class",
    ]
    .iter()
    .any(|k| meta::annotation(sc, k) == Some("true"));
    w.line(0, format!("Name:\t{}", meta::name(sc)));
    w.line(0, format!("IsDefaultClass:\t{}", if default { "Yes" } else { "No" }));
    w.line(
        0,
        format!("Annotations:\t{}", pairs(sc.string_map("metadata.annotations"))),
    );
    w.line(0, format!("Provisioner:\t{}", sc.str_at("provisioner")));
    w.line(0, format!("Parameters:\t{}", pairs(sc.string_map("parameters"))));
    w.line(
        0,
        format!(
            "AllowVolumeExpansion:\t{}",
            match sc.get("allowVolumeExpansion").and_then(Value::as_bool) {
                Some(true) => "True",
                Some(false) => "False",
                None => "<unset>",
            }
        ),
    );
    let options = sc.get("mountOptions").map(Value::as_list).unwrap_or(&[]);
    if options.is_empty() {
        w.line(0, "MountOptions:\t<none>");
    } else {
        w.line(0, "MountOptions:");
        for o in options {
            w.line(1, o.as_str().unwrap_or(""));
        }
    }
    for (title, field) in [
        ("ReclaimPolicy", "reclaimPolicy"),
        ("VolumeBindingMode", "volumeBindingMode"),
    ] {
        if let Some(v) = sc.get(field).and_then(Value::as_str) {
            w.line(0, format!("{title}:\t{v}"));
        }
    }
}

/// `DeploymentDescriber`.
fn describe_deployment(c: &Cluster, d: &Value, w: &mut Writer) {
    let n = |path: &str| d.at(path).and_then(Value::as_i64).unwrap_or(0);
    name_and_namespace(w, d);
    w.line(
        0,
        format!(
            "CreationTimestamp:\t{}",
            rfc1123(d.str_at("metadata.creationTimestamp"))
        ),
    );
    labels_multiline(w, 0, "Labels", &meta::labels(d), "=");
    labels_multiline(w, 0, "Annotations", &annotations(d), ": ");
    let sel: Vec<String> = d
        .string_map("spec.selector.matchLabels")
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    w.line(0, format!("Selector:\t{}", sel.join(",")));
    w.line(
        0,
        format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable",
            d.at("spec.replicas").and_then(Value::as_i64).unwrap_or(1),
            n("status.updatedReplicas"),
            n("status.replicas"),
            n("status.availableReplicas"),
            n("status.unavailableReplicas")
        ),
    );
    w.line(0, format!("StrategyType:\t{}", d.str_at("spec.strategy.type")));
    w.line(0, format!("MinReadySeconds:\t{}", n("spec.minReadySeconds")));
    if let Some(ru) = d.at("spec.strategy.rollingUpdate").filter(|r| !r.is_null()) {
        let text = |f: &str| ru.get(f).map(crate::api::intstr::text).unwrap_or_default();
        w.line(
            0,
            format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge",
                text("maxUnavailable"),
                text("maxSurge")
            ),
        );
    }
    pod_template(w, d.at("spec.template").unwrap_or(&Value::Null));
    let conditions = d.at("status.conditions").map(Value::as_list).unwrap_or(&[]);
    if !conditions.is_empty() {
        w.line(0, "Conditions:");
        w.line(1, "Type\tStatus\tReason");
        w.line(1, "----\t------\t------");
        for cond in conditions {
            w.line(
                1,
                format!(
                    "{} \t{}\t{}",
                    cond.str_at("type"),
                    cond.str_at("status"),
                    cond.str_at("reason")
                ),
            );
        }
    }
    // GetAllReplicaSets: the one whose template is the Deployment's is new, the rest old.
    let sets = controlled(c, Kind::ReplicaSet, d);
    let newest = d
        .at("metadata.annotations")
        .and_then(|a| a.get("deployment.kubernetes.io/revision"))
        .and_then(Value::as_str);
    let is_new = |rs: &Value| {
        rs.at("metadata.annotations")
            .and_then(|a| a.get("deployment.kubernetes.io/revision"))
            .and_then(Value::as_str)
            == newest
    };
    let list = |new: bool| {
        let names: Vec<String> = sets
            .iter()
            .filter(|rs| is_new(rs) == new && (new || rs.at("spec.replicas").and_then(Value::as_i64).unwrap_or(0) > 0))
            .map(|rs| {
                format!(
                    "{} ({}/{} replicas created)",
                    meta::name(rs),
                    rs.at("status.replicas").and_then(Value::as_i64).unwrap_or(0),
                    rs.at("spec.replicas").and_then(Value::as_i64).unwrap_or(0)
                )
            })
            .collect();
        if names.is_empty() {
            "<none>".to_string()
        } else {
            names.join(", ")
        }
    };
    w.line(0, format!("OldReplicaSets:\t{}", list(false)));
    w.line(0, format!("NewReplicaSet:\t{}", list(true)));
}

fn describe_service(_c: &Cluster, s: &Value, w: &mut Writer) {
    name_and_namespace(w, s);
    labels_multiline(w, 0, "Labels", &meta::labels(s), "=");
    labels_multiline(w, 0, "Annotations", &annotations(s), ": ");
    let sel = printers::label_pairs(&s.string_map("spec.selector"));
    w.line(
        0,
        format!("Selector:\t{}", if sel.is_empty() { "<none>" } else { &sel }),
    );
    w.line(0, format!("Type:\t{}", s.str_at("spec.type")));
    w.line(0, "IP Family Policy:\tSingleStack");
    w.line(0, "IP Families:\tIPv4");
    w.line(0, format!("IP:\t{}", s.str_at("spec.clusterIP")));
    w.line(0, format!("IPs:\t{}", s.str_at("spec.clusterIP")));
    for p in s.at("spec.ports").map(Value::as_list).unwrap_or(&[]) {
        let name = if p.str_at("name").is_empty() {
            "<unset>"
        } else {
            p.str_at("name")
        };
        w.line(
            0,
            format!(
                "Port:\t{name}\t{}/{}",
                p.get("port").and_then(Value::as_i64).unwrap_or(0),
                p.str_at("protocol")
            ),
        );
        let target = p
            .get("targetPort")
            .map(|v| {
                v.as_i64()
                    .map_or_else(|| v.as_str().unwrap_or("").to_string(), |i| i.to_string())
            })
            .unwrap_or_default();
        w.line(0, format!("TargetPort:\t{target}/{}", p.str_at("protocol")));
        w.line(0, format!("Endpoints:\t{}", endpoints_for(_c, s)));
    }
    w.line(0, format!("Session Affinity:\t{}", s.str_at("spec.sessionAffinity")));
    w.line(0, "Internal Traffic Policy:\tCluster");
}

fn endpoints_for(c: &Cluster, s: &Value) -> String {
    let ep = c.get(Kind::Endpoints, meta::namespace(s), meta::name(s));
    let ips: Vec<String> = ep
        .and_then(|e| e.get("subsets"))
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .flat_map(|sub| {
            let port = sub
                .get("ports")
                .map(Value::as_list)
                .unwrap_or(&[])
                .first()
                .and_then(|p| p.get("port"))
                .and_then(Value::as_i64)
                .unwrap_or(0);
            sub.get("addresses")
                .map(Value::as_list)
                .unwrap_or(&[])
                .iter()
                .map(move |a| format!("{}:{port}", a.str_at("ip")))
        })
        .collect();
    ips.join(",")
}

fn describe_pvc(c: &Cluster, p: &Value, w: &mut Writer) {
    w.line(0, format!("Name:\t{}", meta::name(p)));
    w.line(0, format!("Namespace:\t{}", meta::namespace(p)));
    w.line(0, format!("StorageClass:\t{}", p.str_at("spec.storageClassName")));
    let status = if meta::is_terminating(p) {
        format!(
            "Terminating (lasts {})",
            clock::human_duration(
                c.now
                    .saturating_sub(clock::parse_rfc3339(p.str_at("metadata.deletionTimestamp")).unwrap_or(c.now))
            )
        )
    } else {
        p.str_at("status.phase").to_string()
    };
    w.line(0, format!("Status:\t{status}"));
    w.line(0, format!("Volume:\t{}", p.str_at("spec.volumeName")));
    labels_multiline(w, 0, "Labels", &meta::labels(p), "=");
    labels_multiline(w, 0, "Annotations", &annotations(p), ": ");
    let fins: Vec<String> = meta::finalizers(p);
    w.line(0, format!("Finalizers:\t[{}]", fins.join(" ")));
    w.line(0, format!("Capacity:\t{}", p.str_at("status.capacity.storage")));
    let modes = printers::access_modes(p.at("status.accessModes"));
    w.line(0, format!("Access Modes:\t{modes}"));
    w.line(0, format!("VolumeMode:\t{}", p.str_at("spec.volumeMode")));
    let users: Vec<String> = c
        .store
        .list(Kind::Pod, Some(meta::namespace(p)))
        .into_iter()
        .filter(|q| pod::claim_names(q).iter().any(|n| n == meta::name(p)))
        .map(|q| meta::name(q).to_string())
        .collect();
    if users.is_empty() {
        w.line(0, "Used By:\t<none>");
    } else {
        for (i, u) in users.iter().enumerate() {
            w.line(
                0,
                if i == 0 {
                    format!("Used By:\t{u}")
                } else {
                    format!("\t{u}")
                },
            );
        }
    }
    // describePersistentVolumeClaim: the conditions table only when there are conditions (a
    // resize in progress). A null lastProbeTime prints as Go's zero time.
    let conditions = p.at("status.conditions").map(Value::as_list).unwrap_or(&[]);
    if !conditions.is_empty() {
        w.line(0, "Conditions:");
        w.line(1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage");
        w.line(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------",
        );
        for cond in conditions {
            let probe = cond.str_at("lastProbeTime");
            let probe = if probe.is_empty() {
                "Mon, 01 Jan 0001 00:00:00 +0000".to_string()
            } else {
                rfc1123(probe)
            };
            w.line(
                1,
                format!(
                    "{} \t{} \t{} \t{} \t{} \t{}",
                    cond.str_at("type"),
                    cond.str_at("status"),
                    probe,
                    rfc1123(cond.str_at("lastTransitionTime")),
                    cond.str_at("reason"),
                    cond.str_at("message")
                ),
            );
        }
    }
}

fn describe_pv(_c: &Cluster, p: &Value, w: &mut Writer) {
    w.line(0, format!("Name:\t{}", meta::name(p)));
    labels_multiline(w, 0, "Labels", &meta::labels(p), "=");
    labels_multiline(w, 0, "Annotations", &annotations(p), ": ");
    w.line(0, format!("Finalizers:\t[{}]", meta::finalizers(p).join(" ")));
    w.line(0, format!("StorageClass:\t{}", p.str_at("spec.storageClassName")));
    w.line(0, format!("Status:\t{}", p.str_at("status.phase")));
    let claim = p.at("spec.claimRef").map_or(String::new(), |r| {
        format!("{}/{}", r.str_at("namespace"), r.str_at("name"))
    });
    w.line(0, format!("Claim:\t{claim}"));
    w.line(
        0,
        format!("Reclaim Policy:\t{}", p.str_at("spec.persistentVolumeReclaimPolicy")),
    );
    w.line(
        0,
        format!("Access Modes:\t{}", printers::access_modes(p.at("spec.accessModes"))),
    );
    w.line(0, format!("VolumeMode:\t{}", p.str_at("spec.volumeMode")));
    w.line(0, format!("Capacity:\t{}", p.str_at("spec.capacity.storage")));
    match crate::controllers::scheduler::pv_zone(p) {
        Some(zone) => {
            w.line(0, "Node Affinity:\t");
            w.line(1, "Required Terms:\t");
            w.line(2, format!("Term 0:\ttopology.kubernetes.io/zone in [{zone}]"));
        }
        None => w.line(0, "Node Affinity:\t<none>"),
    }
    w.line(0, format!("Message:\t{}", p.str_at("status.message")));
    w.line(0, "Source:");
    // printCSIPersistentVolumeSource, printAWSElasticBlockStoreVolumeSource,
    // printHostPathVolumeSource (kubectl describe.go), written at LEVEL_2 (four spaces).
    if p.get("spec").and_then(|s| s.get("csi")).is_some() {
        w.line(2, "Type:\tCSI (a Container Storage Interface (CSI) volume source)");
        w.line(2, format!("Driver:\t{}", p.str_at("spec.csi.driver")));
        w.line(2, format!("FSType:\t{}", p.str_at("spec.csi.fsType")));
        w.line(2, format!("VolumeHandle:\t{}", p.str_at("spec.csi.volumeHandle")));
        w.line(2, "ReadOnly:\tfalse");
    } else if p.at("spec.awsElasticBlockStore").is_some() {
        w.line(2, "Type:\tAWSElasticBlockStore (a Persistent Disk resource in AWS)");
        w.line(
            2,
            format!("VolumeID:\t{}", p.str_at("spec.awsElasticBlockStore.volumeID")),
        );
        w.line(2, format!("FSType:\t{}", p.str_at("spec.awsElasticBlockStore.fsType")));
        w.line(
            2,
            format!(
                "Partition:\t{}",
                p.at("spec.awsElasticBlockStore.partition")
                    .and_then(Value::as_i64)
                    .unwrap_or(0)
            ),
        );
        w.line(2, "ReadOnly:\tfalse");
    } else if p.at("spec.hostPath").is_some() {
        w.line(2, "Type:\tHostPath (bare host directory volume)");
        w.line(2, format!("Path:\t{}", p.str_at("spec.hostPath.path")));
        w.line(2, format!("HostPathType:\t{}", p.str_at("spec.hostPath.type")));
    }
}

fn describe_node(c: &Cluster, n: &Value, w: &mut Writer) {
    w.line(0, format!("Name:\t{}", meta::name(n)));
    w.line(0, "Roles:\t<none>");
    labels_multiline(w, 0, "Labels", &meta::labels(n), "=");
    labels_multiline(w, 0, "Annotations", &annotations(n), ": ");
    w.line(
        0,
        format!(
            "CreationTimestamp:\t{}",
            rfc1123(n.str_at("metadata.creationTimestamp"))
        ),
    );
    let taints = n.at("spec.taints").map(Value::as_list).unwrap_or(&[]);
    if taints.is_empty() {
        w.line(0, "Taints:\t<none>");
    }
    for (i, t) in taints.iter().enumerate() {
        let v = if t.str_at("value").is_empty() {
            String::new()
        } else {
            format!("={}", t.str_at("value"))
        };
        let text = format!("{}{v}:{}", t.str_at("key"), t.str_at("effect"));
        w.line(
            0,
            if i == 0 {
                format!("Taints:\t{text}")
            } else {
                format!("\t{text}")
            },
        );
    }
    w.line(
        0,
        format!(
            "Unschedulable:\t{}",
            n.at("spec.unschedulable").and_then(Value::as_bool).unwrap_or(false)
        ),
    );
    w.line(0, "Conditions:");
    w.line(1, "Type\tStatus\tReason\tMessage");
    w.line(1, "----\t------\t------\t-------");
    for cond in n.at("status.conditions").map(Value::as_list).unwrap_or(&[]) {
        w.line(
            1,
            format!(
                "{}\t{}\t{}\t{}",
                cond.str_at("type"),
                cond.str_at("status"),
                cond.str_at("reason"),
                cond.str_at("message")
            ),
        );
    }
    let pods: Vec<&Value> = c
        .store
        .list(Kind::Pod, None)
        .into_iter()
        .filter(|p| p.str_at("spec.nodeName") == meta::name(n))
        .collect();
    w.line(0, format!("Non-terminated Pods:\t({} in total)", pods.len()));
    if !pods.is_empty() {
        w.line(1, "Namespace\tName\tAge");
        w.line(1, "---------\t----\t---");
        for p in pods {
            w.line(
                1,
                format!("{}\t{}\t{}", meta::namespace(p), meta::name(p), printers::age(p, c.now)),
            );
        }
    }
}

/// The Events table of describe: the object's events, oldest first.
fn events_block(c: &Cluster, obj: &Value) -> Option<String> {
    let uid = meta::uid(obj);
    let mut events: Vec<&crate::store::Event> = c.store.events(c.now).filter(|e| e.involved_uid == uid).collect();
    if events.is_empty() {
        return None;
    }
    crate::sort::by_key(&mut events, |e| (e.last, e.seq));
    let now: Millis = c.now;
    let mut rows = vec![
        vec![
            "  Type".to_string(),
            "Reason".into(),
            "Age".into(),
            "From".into(),
            "Message".into(),
        ],
        vec![
            "  ----".to_string(),
            "------".into(),
            "----".into(),
            "----".into(),
            "-------".into(),
        ],
    ];
    for e in events {
        rows.push(vec![
            format!("  {}", e.kind),
            e.reason.clone(),
            printers::event_interval(e, now),
            e.source.clone(),
            e.message.trim().to_string(),
        ]);
    }
    let mut w = Writer::default();
    for r in rows {
        w.lines.push(r.join("\t"));
    }
    Some(format!("Events:\n{}", w.finish()))
}
