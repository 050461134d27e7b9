//! Plain view models for the UI: what the cluster pane and the timeline show, computed from the
//! cluster, with no browser types. The UI renders these and nothing else.

use crate::api::meta;
use crate::api::pod;
use crate::api::resources::Kind;
use crate::clock;
use crate::dns;
use crate::kubectl::printers;
use crate::value::Value;
use crate::world::Cluster;

/// One pod card.
#[derive(Debug, Clone, PartialEq)]
pub struct PodView {
    pub name: String,
    /// The STATUS column of `kubectl get pods` (Running, Pending, Terminating, ...).
    pub status: String,
    /// `1/1`, `0/1`.
    pub ready: String,
    pub is_ready: bool,
    pub ip: String,
    /// The claims this pod mounts, with their state.
    pub claims: Vec<ClaimView>,
}

/// One claim under its pod (or unattached).
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimView {
    pub name: String,
    /// Pending, Bound, Lost, or Terminating.
    pub status: String,
    /// The PV it is bound to (`pvc-…`), if any.
    pub volume: String,
    pub capacity: String,
    /// The zone the volume lives in, for zonal volumes.
    pub zone: String,
    /// The cloud disk behind the volume (the CSI `volumeHandle`: `vol-…` for EBS, `fs-…::fsap-…`
    /// for EFS), if bound.
    pub disk: String,
    /// The node the disk is attached to (EBS), if any.
    pub attached_node: String,
    /// The attachment is still in progress.
    pub attaching: bool,
}

/// One node lane.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeView {
    pub name: String,
    pub zone: String,
    /// Ready, NotReady, and `,SchedulingDisabled` when cordoned.
    pub status: String,
    pub pods: Vec<PodView>,
}

/// One Service with the DNS names it gives.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceView {
    pub name: String,
    pub headless: bool,
    pub cluster_ip: String,
    /// (name, resolves to, or None when NXDOMAIN) for the Service and each selected pod.
    pub records: Vec<(String, Option<String>)>,
}

/// One line of the event log.
#[derive(Debug, Clone, PartialEq)]
pub struct EventView {
    pub age: String,
    pub warning: bool,
    pub reason: String,
    pub object: String,
    pub message: String,
}

/// Everything the cluster pane and the timeline draw.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClusterView {
    /// Simulated time since the cluster started, as kubectl prints ages.
    pub clock: String,
    pub nodes: Vec<NodeView>,
    /// Pods not yet on a node.
    pub unscheduled: Vec<PodView>,
    /// Claims that no pod mounts.
    pub loose_claims: Vec<ClaimView>,
    pub services: Vec<ServiceView>,
    /// The StatefulSets as `kubectl get sts` shows them: (name, READY).
    pub statefulsets: Vec<(String, String)>,
    /// The newest events last, at most [`MAX_EVENTS`].
    pub events: Vec<EventView>,
}

/// How many events the timeline keeps on screen.
pub const MAX_EVENTS: usize = 60;

fn claim_view(c: &Cluster, claim: &Value) -> ClaimView {
    let volume = claim.str_at("spec.volumeName").to_string();
    let pv = c.get(Kind::PersistentVolume, "", &volume);
    let zone = pv.and_then(crate::api::volumes::pv_zone).unwrap_or_default();
    let disk = pv
        .map(|v| v.str_at("spec.csi.volumeHandle").to_string())
        .unwrap_or_default();
    let (attached_node, attaching) = match c.volumes.attachments.get(&volume) {
        Some((node, at)) => (node.clone(), *at > c.now),
        None => (String::new(), false),
    };
    ClaimView {
        disk,
        attached_node,
        attaching,
        name: meta::name(claim).to_string(),
        status: if meta::is_terminating(claim) {
            "Terminating".into()
        } else {
            claim.str_at("status.phase").to_string()
        },
        capacity: claim.str_at("status.capacity.storage").to_string(),
        volume,
        zone,
    }
}

fn pod_view(c: &Cluster, p: &Value) -> PodView {
    let (ready, status, _) = printers::pod_columns(p, c.now);
    let claims = pod::claim_names(p)
        .iter()
        .map(|n| match c.get(Kind::PersistentVolumeClaim, meta::namespace(p), n) {
            Some(claim) => claim_view(c, claim),
            None => ClaimView {
                name: n.clone(),
                status: "Missing".into(),
                volume: String::new(),
                capacity: String::new(),
                zone: String::new(),
                disk: String::new(),
                attached_node: String::new(),
                attaching: false,
            },
        })
        .collect();
    PodView {
        name: meta::name(p).to_string(),
        status,
        ready,
        is_ready: pod::is_ready(p),
        ip: p.str_at("status.podIP").to_string(),
        claims,
    }
}

impl ClusterView {
    /// The view of the `default` namespace of a cluster.
    pub fn of(c: &Cluster) -> ClusterView {
        let ns = "default";
        let pods: Vec<&Value> = c.store.list(Kind::Pod, Some(ns));
        let nodes = c
            .store
            .list(Kind::Node, None)
            .into_iter()
            .map(|n| {
                let name = meta::name(n).to_string();
                NodeView {
                    zone: meta::labels(n)
                        .get("topology.kubernetes.io/zone")
                        .cloned()
                        .unwrap_or_default(),
                    status: printers::row(c, Kind::Node, n, false)
                        .get(1)
                        .cloned()
                        .unwrap_or_default(),
                    pods: pods
                        .iter()
                        .filter(|p| p.str_at("spec.nodeName") == name)
                        .map(|p| pod_view(c, p))
                        .collect(),
                    name,
                }
            })
            .collect();
        let unscheduled = pods
            .iter()
            .filter(|p| p.str_at("spec.nodeName").is_empty())
            .map(|p| pod_view(c, p))
            .collect();
        let mounted: Vec<String> = pods.iter().flat_map(|p| pod::claim_names(p)).collect();
        let loose_claims = c
            .store
            .list(Kind::PersistentVolumeClaim, Some(ns))
            .into_iter()
            .filter(|cl| !mounted.iter().any(|m| m == meta::name(cl)))
            .map(|cl| claim_view(c, cl))
            .collect();
        let services = c
            .store
            .list(Kind::Service, Some(ns))
            .into_iter()
            .filter(|s| meta::name(s) != "kubernetes")
            .map(|s| {
                let name = meta::name(s).to_string();
                let headless = s.str_at("spec.clusterIP") == "None";
                let fqdn = format!("{name}.{ns}.svc.{}", dns::CLUSTER_DOMAIN);
                let answer = |q: &str| {
                    dns::resolve(c, ns, q, false).map(|(_, records)| {
                        records
                            .iter()
                            .filter_map(|r| match r {
                                dns::Record::A(ip) => Some(ip.clone()),
                                dns::Record::Srv { .. } => None,
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                };
                let mut records = vec![(fqdn.clone(), answer(&fqdn))];
                // Per-pod names for the pods whose subdomain is this Service.
                for p in &pods {
                    if p.str_at("spec.subdomain") == name && !p.str_at("spec.hostname").is_empty() {
                        let host = format!("{}.{fqdn}", p.str_at("spec.hostname"));
                        records.push((host.clone(), answer(&host)));
                    }
                }
                ServiceView {
                    name,
                    headless,
                    cluster_ip: s.str_at("spec.clusterIP").to_string(),
                    records,
                }
            })
            .collect();
        let statefulsets = c
            .store
            .list(Kind::StatefulSet, Some(ns))
            .into_iter()
            .map(|s| {
                let row = printers::row(c, Kind::StatefulSet, s, false);
                (row[0].clone(), row.get(1).cloned().unwrap_or_default())
            })
            .collect();
        let all: Vec<&crate::store::Event> = c.store.events(c.now).collect();
        let events = all[all.len().saturating_sub(MAX_EVENTS)..]
            .iter()
            .map(|e| EventView {
                age: clock::human_duration(c.now.saturating_sub(e.last)),
                warning: e.kind == "Warning",
                reason: e.reason.clone(),
                object: format!(
                    "{}/{}",
                    e.involved_kind.info().name.to_ascii_lowercase(),
                    e.involved_name
                ),
                message: if e.count > 1 {
                    format!("{} (x{})", e.message.trim(), e.count)
                } else {
                    e.message.trim().to_string()
                },
            })
            .collect();
        ClusterView {
            clock: clock::human_duration(c.now),
            nodes,
            unscheduled,
            loose_claims,
            services,
            statefulsets,
            events,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::{Console, NoFiles};

    #[test]
    fn the_tutorial_in_the_view() {
        let mut console = Console::new(Box::new(NoFiles));
        console.apply_manifest(include_str!("../assets/manifests/web.yaml"));
        console.run("sim settle", None);
        let view = ClusterView::of(&console.cluster);
        let pods: Vec<&PodView> = view.nodes.iter().flat_map(|n| &n.pods).collect();
        assert_eq!(pods.len(), 2);
        assert!(pods.iter().all(|p| p.status == "Running" && p.is_ready));
        assert_eq!(pods[0].claims[0].name, "www-web-0");
        assert_eq!(pods[0].claims[0].status, "Bound");
        let svc = &view.services[0];
        assert!(svc.headless);
        assert!(svc
            .records
            .iter()
            .any(|(n, ip)| n == "web-0.nginx.default.svc.cluster.local" && ip.is_some()));
        assert_eq!(view.statefulsets, vec![("web".to_string(), "2/2".to_string())]);
        // The wiring the cluster picture draws: claim → PV → disk, its zone and its node.
        let claim = &pods[0].claims[0];
        assert!(claim.volume.starts_with("pvc-"));
        assert!(claim.disk.starts_with("vol-"));
        assert_eq!(claim.zone, "us-east-1a");
        assert_eq!(claim.attached_node, "node-a");
        assert!(!claim.attaching);
    }
}
