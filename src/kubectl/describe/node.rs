//! `describeNode` and `describeNodeResource` (kubectl describe.go), with the request and limit
//! sums of kubectl's `pkg/util/resource` (`PodRequestsAndLimits`).

use std::collections::BTreeMap;

use super::writer::Writer;
use super::{annotations_multiline, labels_multiline, rfc1123, rfc1123_or_zero, taints_multiline};
use crate::api::meta;
use crate::api::pod;
use crate::api::qos;
use crate::api::resources::Kind;
use crate::clock::{self, Millis};
use crate::kubectl::printers;
use crate::quantity::Quantity;
use crate::value::Value;
use crate::world::Cluster;

/// The kubelet renews its node's Lease every 10 s (`renewInterval`, a quarter of the 40 s
/// `nodeLeaseDurationSeconds`).
const LEASE_RENEW: Millis = 10_000;

/// `describeNode`.
pub fn describe_node(c: &Cluster, n: &Value, w: &mut Writer) {
    let name = meta::name(n);
    w.line(0, format!("Name:\t{name}"));
    let roles = roles(n);
    w.line(
        0,
        format!(
            "Roles:\t{}",
            if roles.is_empty() {
                "<none>".into()
            } else {
                roles.join(",")
            }
        ),
    );
    labels_multiline(w, "", "Labels", &meta::labels(n));
    annotations_multiline(w, "Annotations", &n.string_map("metadata.annotations"));
    w.line(
        0,
        format!(
            "CreationTimestamp:\t{}",
            rfc1123(n.str_at("metadata.creationTimestamp"))
        ),
    );
    taints_multiline(w, "Taints", n.at("spec.taints").map(Value::as_list).unwrap_or(&[]));
    w.line(
        0,
        format!(
            "Unschedulable:\t{}",
            n.at("spec.unschedulable").and_then(Value::as_bool).unwrap_or(false)
        ),
    );
    lease(c, n, w);
    let conditions = n.at("status.conditions").map(Value::as_list).unwrap_or(&[]);
    if !conditions.is_empty() {
        w.line(0, "Conditions:");
        w.line(
            1,
            "Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage",
        );
        w.line(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------",
        );
        for cond in conditions {
            w.line(
                1,
                format!(
                    "{} \t{} \t{} \t{} \t{} \t{}",
                    cond.str_at("type"),
                    cond.str_at("status"),
                    rfc1123_or_zero(cond.str_at("lastHeartbeatTime")),
                    rfc1123_or_zero(cond.str_at("lastTransitionTime")),
                    cond.str_at("reason"),
                    cond.str_at("message")
                ),
            );
        }
    }
    w.line(0, "Addresses:");
    for a in n.at("status.addresses").map(Value::as_list).unwrap_or(&[]) {
        w.line(1, format!("{}:\t{}", a.str_at("type"), a.str_at("address")));
    }
    for (field, title) in [("status.capacity", "Capacity"), ("status.allocatable", "Allocatable")] {
        let Some(list) = n.at(field).and_then(Value::as_map).filter(|m| !m.is_empty()) else {
            continue;
        };
        w.line(0, format!("{title}:"));
        for (resource, q) in list.iter() {
            w.line(1, format!("{resource}:\t{}", crate::api::intstr::text(q)));
        }
    }
    w.line(0, "System Info:");
    for (title, field) in [
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
        ("Kube-Proxy Version", "kubeProxyVersion"),
    ] {
        let value = n.at("status.nodeInfo").map_or("", |i| i.str_at(field));
        w.line(1, format!("{title}:\t{value}"));
    }
    if !n.str_at("spec.podCIDR").is_empty() {
        w.line(0, format!("PodCIDR:\t{}", n.str_at("spec.podCIDR")));
    }
    let cidrs: Vec<&str> = n
        .at("spec.podCIDRs")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if !cidrs.is_empty() {
        w.line(0, format!("PodCIDRs:\t{}", cidrs.join(",")));
    }
    if !n.str_at("spec.providerID").is_empty() {
        w.line(0, format!("ProviderID:\t{}", n.str_at("spec.providerID")));
    }
    node_resources(c, n, w);
}

/// `findNodeRoles`: `node-role.kubernetes.io/<role>` labels and `kubernetes.io/role=<role>`.
fn roles(n: &Value) -> Vec<String> {
    let mut roles: Vec<String> = Vec::new();
    for (k, v) in meta::labels(n) {
        let role = match k.strip_prefix("node-role.kubernetes.io/") {
            Some(role) => role.to_string(),
            None if k == "kubernetes.io/role" => v,
            None => continue,
        };
        if !role.is_empty() && !roles.contains(&role) {
            roles.push(role);
        }
    }
    crate::sort::natural(&mut roles);
    roles
}

/// `describeNodeLease`: the kubelet's Lease in `kube-node-lease`, held under the node's name.
/// The playground keeps no Lease objects; its kubelets renew theirs every [`LEASE_RENEW`] from
/// the node's creation while they run, so the renew time is the last such tick (before the
/// kubelet stopped, for a node that is down). The kubelet sets no acquire time.
fn lease(c: &Cluster, n: &Value, w: &mut Writer) {
    w.line(0, "Lease:");
    w.line(1, format!("HolderIdentity:\t{}", meta::name(n)));
    w.line(1, "AcquireTime:\t<unset>");
    let created = clock::parse_rfc3339(n.str_at("metadata.creationTimestamp")).unwrap_or(0);
    let until = c.node_down_since(meta::name(n)).unwrap_or(c.now).max(created);
    let renewed = created + (until - created) / LEASE_RENEW * LEASE_RENEW;
    w.line(1, format!("RenewTime:\t{}", rfc1123(&clock::rfc3339(renewed))));
}

/// `describeNodeResource`: the node's pods that have not finished, with their requests and
/// limits as shares of the allocatable (truncated percentages), and the totals.
fn node_resources(c: &Cluster, n: &Value, w: &mut Writer) {
    let pods: Vec<&Value> = c
        .store
        .list(Kind::Pod, None)
        .into_iter()
        .filter(|p| p.str_at("spec.nodeName") == meta::name(n) && !matches!(pod::phase(p), "Succeeded" | "Failed"))
        .collect();
    w.line(0, format!("Non-terminated Pods:\t({} in total)", pods.len()));
    w.line(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge",
    );
    w.line(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---",
    );
    let allocatable = match n
        .at("status.allocatable")
        .filter(|a| a.as_map().is_some_and(|m| !m.is_empty()))
    {
        Some(a) => a,
        None => n.at("status.capacity").unwrap_or(&Value::Null),
    };
    let alloc = |name: &str| allocatable.get(name).and_then(qos::quantity);
    let alloc_cpu = alloc("cpu").and_then(|q| q.milli_value()).unwrap_or(0);
    let alloc_memory = alloc("memory").and_then(|q| q.value()).unwrap_or(0);
    let alloc_storage = alloc("ephemeral-storage").and_then(|q| q.value()).unwrap_or(0);
    let percent = |have: Option<&Quantity>, of: i128, milli: bool| -> i64 {
        if of == 0 {
            return 0;
        }
        let have = have
            .and_then(|q| if milli { q.milli_value() } else { q.value() })
            .unwrap_or(0);
        (have as f64 / of as f64 * 100.0) as i64
    };
    let shown = |q: Option<&Quantity>| q.map_or("0".to_string(), Quantity::to_string);
    let mut total_requests: Sums = BTreeMap::new();
    let mut total_limits: Sums = BTreeMap::new();
    for p in &pods {
        let (requests, limits) = requests_and_limits(p);
        w.line(
            1,
            format!(
                "{}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}",
                meta::namespace(p),
                meta::name(p),
                shown(requests.get("cpu")),
                percent(requests.get("cpu"), alloc_cpu, true),
                shown(limits.get("cpu")),
                percent(limits.get("cpu"), alloc_cpu, true),
                shown(requests.get("memory")),
                percent(requests.get("memory"), alloc_memory, false),
                shown(limits.get("memory")),
                percent(limits.get("memory"), alloc_memory, false),
                printers::age(p, c.now)
            ),
        );
        add_all(&mut total_requests, &requests);
        add_all(&mut total_limits, &limits);
    }
    w.line(0, "Allocated resources:");
    w.line(1, "(Total limits may be over 100 percent, i.e., overcommitted.)");
    w.line(1, "Resource\tRequests\tLimits");
    w.line(1, "--------\t--------\t------");
    for (name, of) in [
        ("cpu", alloc_cpu),
        ("memory", alloc_memory),
        ("ephemeral-storage", alloc_storage),
    ] {
        let milli = name == "cpu";
        w.line(
            1,
            format!(
                "{name}\t{} ({}%)\t{} ({}%)",
                shown(total_requests.get(name)),
                percent(total_requests.get(name), of, milli),
                shown(total_limits.get(name)),
                percent(total_limits.get(name), of, milli)
            ),
        );
    }
    let names: Vec<&str> = allocatable.as_map().map(|m| m.keys().collect()).unwrap_or_default();
    for name in names.iter().filter(|n| n.starts_with("hugepages-")) {
        let of = alloc(name).and_then(|q| q.value()).unwrap_or(0);
        w.line(
            1,
            format!(
                "{name}\t{} ({}%)\t{} ({}%)",
                shown(total_requests.get(*name)),
                percent(total_requests.get(*name), of, false),
                shown(total_limits.get(*name)),
                percent(total_limits.get(*name), of, false)
            ),
        );
    }
    // Extended resources: neither standard container resources nor `pods`.
    let standard =
        |n: &str| matches!(n, "cpu" | "memory" | "ephemeral-storage" | "pods") || n.starts_with("hugepages-");
    for name in names.iter().filter(|n| !standard(n)) {
        w.line(
            1,
            format!(
                "{name}\t{}\t{}",
                shown(total_requests.get(*name)),
                shown(total_limits.get(*name))
            ),
        );
    }
}

type Sums = BTreeMap<String, Quantity>;

fn add_all(sums: &mut Sums, more: &Sums) {
    for (name, q) in more {
        let sum = match sums.get(name) {
            Some(have) => have.add(q).unwrap_or_else(|| have.clone()),
            None => q.clone(),
        };
        sums.insert(name.clone(), sum);
    }
}

/// `PodRequestsAndLimits`: the containers' requests and limits summed; each init container
/// (with the restartable ones started before it) counts as its maximum, restartable (sidecar)
/// init containers add to the sum; the pod overhead is added (to limits only where one is set).
fn requests_and_limits(p: &Value) -> (Sums, Sums) {
    let list = |path: &str| p.at(path).map(Value::as_list).unwrap_or(&[]);
    let resources = |ct: &Value, field: &str| -> Sums {
        ct.at("resources")
            .and_then(|r| r.get(field))
            .and_then(Value::as_map)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| qos::quantity(v).map(|q| (k.to_string(), q)))
                    .collect()
            })
            .unwrap_or_default()
    };
    let max_all = |sums: &mut Sums, more: &Sums| {
        for (name, q) in more {
            if sums.get(name).is_none_or(|have| q > have) {
                sums.insert(name.clone(), q.clone());
            }
        }
    };
    let mut out = Vec::new();
    for field in ["requests", "limits"] {
        let mut sums = Sums::new();
        for ct in list("spec.containers") {
            add_all(&mut sums, &resources(ct, field));
        }
        let mut restartable = Sums::new();
        let mut init = Sums::new();
        for ct in list("spec.initContainers") {
            let own = resources(ct, field);
            let this = if ct.str_at("restartPolicy") == "Always" {
                add_all(&mut sums, &own);
                add_all(&mut restartable, &own);
                restartable.clone()
            } else {
                let mut tmp = own;
                add_all(&mut tmp, &restartable);
                tmp
            };
            max_all(&mut init, &this);
        }
        max_all(&mut sums, &init);
        if let Some(overhead) = p.at("spec.overhead").and_then(Value::as_map) {
            for (name, q) in overhead.iter() {
                let Some(q) = qos::quantity(q) else { continue };
                match sums.get(name) {
                    Some(have) if field == "limits" && have.is_zero() => {}
                    Some(have) => {
                        let sum = have.add(&q).unwrap_or_else(|| have.clone());
                        sums.insert(name.to_string(), sum);
                    }
                    None if field == "requests" => {
                        sums.insert(name.to_string(), q);
                    }
                    None => {}
                }
            }
        }
        out.push(sums);
    }
    let limits = out.pop().unwrap_or_default();
    let requests = out.pop().unwrap_or_default();
    (requests, limits)
}
