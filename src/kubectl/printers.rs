//! `kubectl get` tables, one row function per kind, with v1.34's columns
//! (`pkg/printers/internalversion/printers.go`; kubernetes-semantics.md §7.2).

use crate::api::meta;
use crate::api::pod;
use crate::api::resources::Kind;
use crate::clock::{self, Millis};
use crate::store::Event;
use crate::value::Value;
use crate::world::Cluster;

/// How old an object is, in the AGE column's format.
pub fn age(obj: &Value, now: Millis) -> String {
    match clock::parse_rfc3339(obj.str_at("metadata.creationTimestamp")) {
        Some(t) => clock::human_duration(now.saturating_sub(t)),
        None => "<unknown>".into(),
    }
}

fn or_none(s: &str) -> String {
    if s.is_empty() {
        "<none>".into()
    } else {
        s.to_string()
    }
}

/// The column headers of a kind (with `-o wide` extras).
pub fn headers(kind: Kind, wide: bool) -> Vec<&'static str> {
    let (base, extra): (&[&str], &[&str]) = match kind {
        Kind::Pod => (
            &["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            &["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
        ),
        Kind::StatefulSet => (&["NAME", "READY", "AGE"], &["CONTAINERS", "IMAGES"]),
        Kind::Service => (
            &["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
            &["SELECTOR"],
        ),
        Kind::Endpoints => (&["NAME", "ENDPOINTS", "AGE"], &[]),
        Kind::PersistentVolumeClaim => (
            &[
                "NAME",
                "STATUS",
                "VOLUME",
                "CAPACITY",
                "ACCESS MODES",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "AGE",
            ],
            &["VOLUMEMODE"],
        ),
        Kind::PersistentVolume => (
            &[
                "NAME",
                "CAPACITY",
                "ACCESS MODES",
                "RECLAIM POLICY",
                "STATUS",
                "CLAIM",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "REASON",
                "AGE",
            ],
            &["VOLUMEMODE"],
        ),
        Kind::StorageClass => (
            &[
                "NAME",
                "PROVISIONER",
                "RECLAIMPOLICY",
                "VOLUMEBINDINGMODE",
                "ALLOWVOLUMEEXPANSION",
                "AGE",
            ],
            &[],
        ),
        Kind::Node => (
            &["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            &[
                "INTERNAL-IP",
                "EXTERNAL-IP",
                "OS-IMAGE",
                "KERNEL-VERSION",
                "CONTAINER-RUNTIME",
            ],
        ),
        Kind::ControllerRevision => (&["NAME", "CONTROLLER", "REVISION", "AGE"], &[]),
        Kind::Namespace => (&["NAME", "STATUS", "AGE"], &[]),
        Kind::Deployment => (
            &["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::ReplicaSet => (
            &["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::DaemonSet => (
            &[
                "NAME",
                "DESIRED",
                "CURRENT",
                "READY",
                "UP-TO-DATE",
                "AVAILABLE",
                "NODE SELECTOR",
                "AGE",
            ],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::PodDisruptionBudget => (
            &["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"],
            &[],
        ),
        Kind::Event => (&["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], &[]),
    };
    let mut h = base.to_vec();
    if wide {
        h.extend_from_slice(extra);
    }
    h
}

/// One table row for an object (the NAME cell is the plain name).
pub fn row(c: &Cluster, kind: Kind, obj: &Value, wide: bool) -> Vec<String> {
    row_at(kind, obj, wide, c.now)
}

/// [`row`] as it read at `now` (a watch prints each change as it happened).
pub fn row_at(kind: Kind, obj: &Value, wide: bool, now: Millis) -> Vec<String> {
    let name = meta::name(obj).to_string();
    let age = age(obj, now);
    let mut cells = match kind {
        Kind::Pod => {
            let (ready, status, restarts) = pod_columns(obj, now);
            let mut r = vec![name, ready, status, restarts, age];
            if wide {
                r.push(or_none(obj.str_at("status.podIP")));
                r.push(or_none(obj.str_at("spec.nodeName")));
                r.push("<none>".into());
                r.push("<none>".into());
            }
            r
        }
        Kind::StatefulSet => {
            let ready = obj.at("status.readyReplicas").and_then(Value::as_i64).unwrap_or(0);
            let desired = obj.at("spec.replicas").and_then(Value::as_i64).unwrap_or(1);
            let mut r = vec![name, format!("{ready}/{desired}"), age];
            if wide {
                let (names, images) = containers_images(obj.at("spec.template.spec").unwrap_or(&Value::Null));
                r.push(names);
                r.push(images);
            }
            r
        }
        Kind::Service => {
            let ips = obj.at("spec.clusterIPs").map(Value::as_list).unwrap_or(&[]);
            let cluster_ip = ips
                .first()
                .and_then(Value::as_str)
                .map_or_else(|| or_none(obj.str_at("spec.clusterIP")), str::to_string);
            let ports: Vec<String> = obj
                .at("spec.ports")
                .map(Value::as_list)
                .unwrap_or(&[])
                .iter()
                .map(|p| {
                    let port = p.get("port").and_then(Value::as_i64).unwrap_or(0);
                    match p.get("nodePort").and_then(Value::as_i64) {
                        Some(np) => format!("{port}:{np}/{}", p.str_at("protocol")),
                        None => format!("{port}/{}", p.str_at("protocol")),
                    }
                })
                .collect();
            let mut r = vec![
                name,
                obj.str_at("spec.type").to_string(),
                cluster_ip,
                "<none>".into(),
                if ports.is_empty() {
                    "<none>".into()
                } else {
                    ports.join(",")
                },
                age,
            ];
            if wide {
                let sel: Vec<String> = obj
                    .string_map("spec.selector")
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                r.push(if sel.is_empty() { "<none>".into() } else { sel.join(",") });
            }
            r
        }
        Kind::Endpoints => vec![name, endpoints_cell(obj), age],
        Kind::PersistentVolumeClaim => {
            let phase = if meta::is_terminating(obj) {
                "Terminating".to_string()
            } else {
                obj.str_at("status.phase").to_string()
            };
            let bound = !obj.str_at("spec.volumeName").is_empty();
            let capacity = if bound {
                obj.str_at("status.capacity.storage").to_string()
            } else {
                String::new()
            };
            let modes = if bound {
                access_modes(obj.at("status.accessModes"))
            } else {
                String::new()
            };
            let mut r = vec![
                name,
                phase,
                obj.str_at("spec.volumeName").to_string(),
                capacity,
                modes,
                crate::api::claims::class(obj).to_string(),
                "<unset>".into(),
                age,
            ];
            if wide {
                r.push(obj.str_at("spec.volumeMode").to_string());
            }
            r
        }
        Kind::PersistentVolume => {
            let claim = obj.at("spec.claimRef").map_or(String::new(), |r| {
                format!("{}/{}", r.str_at("namespace"), r.str_at("name"))
            });
            let phase = if meta::is_terminating(obj) {
                "Terminating".to_string()
            } else {
                obj.str_at("status.phase").to_string()
            };
            let mut r = vec![
                name,
                obj.str_at("spec.capacity.storage").to_string(),
                access_modes(obj.at("spec.accessModes")),
                obj.str_at("spec.persistentVolumeReclaimPolicy").to_string(),
                phase,
                claim,
                crate::api::claims::class(obj).to_string(),
                "<unset>".into(),
                obj.str_at("status.reason").to_string(),
                age,
            ];
            if wide {
                r.push(obj.str_at("spec.volumeMode").to_string());
            }
            r
        }
        Kind::Deployment | Kind::ReplicaSet => {
            let i = |f: &str| obj.at(f).and_then(Value::as_i64).unwrap_or(0);
            let desired = obj.at("spec.replicas").and_then(Value::as_i64).unwrap_or(1);
            let mut r = if kind == Kind::Deployment {
                vec![
                    name,
                    format!("{}/{desired}", i("status.readyReplicas")),
                    i("status.updatedReplicas").to_string(),
                    i("status.availableReplicas").to_string(),
                    age,
                ]
            } else {
                vec![
                    name,
                    desired.to_string(),
                    i("status.replicas").to_string(),
                    i("status.readyReplicas").to_string(),
                    age,
                ]
            };
            if wide {
                workload_wide(obj, &mut r);
            }
            r
        }
        Kind::DaemonSet => {
            let i = |f: &str| obj.at(f).and_then(Value::as_i64).unwrap_or(0).to_string();
            let selector = label_pairs(&obj.string_map("spec.template.spec.nodeSelector"));
            let selector = if selector.is_empty() {
                "<none>".to_string()
            } else {
                selector
            };
            let mut r = vec![
                name,
                i("status.desiredNumberScheduled"),
                i("status.currentNumberScheduled"),
                i("status.numberReady"),
                i("status.updatedNumberScheduled"),
                i("status.numberAvailable"),
                selector,
                age,
            ];
            if wide {
                workload_wide(obj, &mut r);
            }
            r
        }
        Kind::PodDisruptionBudget => {
            let field = |f: &str| obj.at(f).map_or("N/A".to_string(), crate::api::intstr::text);
            vec![
                name,
                field("spec.minAvailable"),
                field("spec.maxUnavailable"),
                obj.at("status.disruptionsAllowed")
                    .and_then(Value::as_i64)
                    .unwrap_or(0)
                    .to_string(),
                age,
            ]
        }
        Kind::StorageClass => {
            let default = meta::annotation(obj, crate::apiserver::DEFAULT_CLASS_ANNOTATION) == Some("true");
            vec![
                if default { format!("{name} (default)") } else { name },
                obj.str_at("provisioner").to_string(),
                obj.str_at("reclaimPolicy").to_string(),
                obj.str_at("volumeBindingMode").to_string(),
                obj.get("allowVolumeExpansion")
                    .and_then(Value::as_bool)
                    .unwrap_or(false)
                    .to_string(),
                age,
            ]
        }
        Kind::Node => {
            let mut status = match crate::api::node::ready_status(obj) {
                "True" => "Ready".to_string(),
                "False" => "NotReady".to_string(),
                _ => "Unknown".to_string(),
            };
            if obj.at("spec.unschedulable").and_then(Value::as_bool) == Some(true) {
                status.push_str(",SchedulingDisabled");
            }
            let roles: Vec<String> = meta::labels(obj)
                .keys()
                .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/").map(str::to_string))
                .collect();
            let mut r = vec![
                name,
                status,
                if roles.is_empty() {
                    "<none>".into()
                } else {
                    roles.join(",")
                },
                age,
                obj.str_at("status.nodeInfo.kubeletVersion").to_string(),
            ];
            if wide {
                let ip = obj
                    .at("status.addresses")
                    .map(Value::as_list)
                    .unwrap_or(&[])
                    .iter()
                    .find(|a| a.str_at("type") == "InternalIP")
                    .map(|a| a.str_at("address").to_string())
                    .unwrap_or_default();
                r.push(or_none(&ip));
                r.push("<none>".into());
                r.push(obj.str_at("status.nodeInfo.osImage").to_string());
                r.push(obj.str_at("status.nodeInfo.kernelVersion").to_string());
                r.push(obj.str_at("status.nodeInfo.containerRuntimeVersion").to_string());
            }
            r
        }
        Kind::ControllerRevision => {
            let controller = meta::controller_ref(obj).map_or("<none>".to_string(), |r| {
                let group = r
                    .str_at("apiVersion")
                    .split('/')
                    .next()
                    .filter(|_| r.str_at("apiVersion").contains('/'))
                    .unwrap_or("");
                let kind = r.str_at("kind").to_ascii_lowercase();
                if group.is_empty() {
                    format!("{kind}/{}", r.str_at("name"))
                } else {
                    format!("{kind}.{group}/{}", r.str_at("name"))
                }
            });
            vec![
                name,
                controller,
                obj.get("revision").and_then(Value::as_i64).unwrap_or(0).to_string(),
                age,
            ]
        }
        Kind::Namespace => {
            let phase = if meta::is_terminating(obj) {
                "Terminating".to_string()
            } else {
                obj.str_at("status.phase").to_string()
            };
            vec![name, phase, age]
        }
        _ => vec![name, age],
    };
    cells.truncate(headers(kind, wide).len().max(1));
    cells
}

fn containers_images(spec: &Value) -> (String, String) {
    let containers = spec.get("containers").map(Value::as_list).unwrap_or(&[]);
    let names: Vec<&str> = containers.iter().map(|c| c.str_at("name")).collect();
    let images: Vec<&str> = containers.iter().map(|c| c.str_at("image")).collect();
    (names.join(","), images.join(","))
}

/// Short forms of access modes, as `kubectl get pvc` prints them (`RWO,RWX`).
pub fn access_modes(v: Option<&Value>) -> String {
    v.map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .filter_map(Value::as_str)
        .map(|m| match m {
            "ReadWriteOnce" => "RWO",
            "ReadOnlyMany" => "ROX",
            "ReadWriteMany" => "RWX",
            "ReadWriteOncePod" => "RWOP",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn endpoints_cell(obj: &Value) -> String {
    let subsets = obj.get("subsets").map(Value::as_list).unwrap_or(&[]);
    if subsets.is_empty() {
        return "<none>".into();
    }
    let mut list = Vec::new();
    for s in subsets {
        for a in s.get("addresses").map(Value::as_list).unwrap_or(&[]) {
            for p in s.get("ports").map(Value::as_list).unwrap_or(&[]) {
                list.push(format!(
                    "{}:{}",
                    a.str_at("ip"),
                    p.get("port").and_then(Value::as_i64).unwrap_or(0)
                ));
            }
        }
    }
    if list.len() > 3 {
        let more = list.len() - 3;
        list.truncate(3);
        return format!("{} + {more} more...", list.join(","));
    }
    list.join(",")
}

/// The READY, STATUS and RESTARTS cells of a pod (printPod).
pub fn pod_columns(p: &Value, now: Millis) -> (String, String, String) {
    let total = pod::containers(p).len();
    let mut reason = p.str_at("status.phase").to_string();
    if !p.str_at("status.reason").is_empty() {
        reason = p.str_at("status.reason").to_string();
    }
    let statuses = p.at("status.containerStatuses").map(Value::as_list).unwrap_or(&[]);
    let mut ready = 0;
    let mut restarts = 0i64;
    let mut last_termination: Option<Millis> = None;
    for s in statuses.iter().rev() {
        restarts += s.get("restartCount").and_then(Value::as_i64).unwrap_or(0);
        if let Some(f) = s
            .at("lastState.terminated.finishedAt")
            .and_then(Value::as_str)
            .and_then(clock::parse_rfc3339)
        {
            last_termination = Some(last_termination.map_or(f, |l: Millis| l.max(f)));
        }
        if let Some(w) = s
            .at("state.waiting.reason")
            .and_then(Value::as_str)
            .filter(|r| !r.is_empty())
        {
            reason = w.to_string();
        } else if let Some(t) = s.at("state.terminated") {
            reason = match t.get("reason").and_then(Value::as_str) {
                Some(r) if !r.is_empty() => r.to_string(),
                _ => format!("ExitCode:{}", t.get("exitCode").and_then(Value::as_i64).unwrap_or(0)),
            };
        } else if s.get("ready").and_then(Value::as_bool) == Some(true) && s.at("state.running").is_some() {
            ready += 1;
        }
    }
    if meta::is_terminating(p) {
        if p.str_at("status.reason") == "NodeLost" {
            reason = "Unknown".into();
        } else if pod::phase(p) != "Failed" && pod::phase(p) != "Succeeded" {
            reason = "Terminating".into();
        }
    }
    let restarts = match last_termination {
        Some(t) if restarts > 0 => format!("{restarts} ({} ago)", clock::human_duration(now.saturating_sub(t))),
        _ => restarts.to_string(),
    };
    (format!("{ready}/{total}"), reason, restarts)
}

/// The `kubectl get events` row of an event.
pub fn event_row(e: &Event, now: Millis) -> Vec<String> {
    vec![
        clock::human_duration(now.saturating_sub(e.last)),
        e.kind.to_string(),
        e.reason.clone(),
        format!(
            "{}/{}",
            e.involved_kind.info().name.to_ascii_lowercase(),
            e.involved_name
        ),
        e.message.trim().to_string(),
    ]
}

/// The Age cell of an event in `describe` and `kubectl events`: `12s (x6 over 3m19s)`.
pub fn event_interval(e: &Event, now: Millis) -> String {
    if e.count > 1 {
        format!(
            "{} (x{} over {})",
            clock::human_duration(now.saturating_sub(e.last)),
            e.count,
            clock::human_duration(now.saturating_sub(e.first))
        )
    } else {
        clock::human_duration(now.saturating_sub(e.first))
    }
}

/// `k=v,k2=v2`, as kubectl prints label maps and selectors.
pub fn label_pairs(m: &std::collections::BTreeMap<String, String>) -> String {
    m.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// The `-o wide` columns of the workload kinds: CONTAINERS, IMAGES, SELECTOR.
fn workload_wide(obj: &Value, r: &mut Vec<String>) {
    let (names, images) = containers_images(obj.at("spec.template.spec").unwrap_or(&Value::Null));
    r.push(names);
    r.push(images);
    r.push(label_pairs(&obj.string_map("spec.selector.matchLabels")));
}
