//! The default cluster of the design, built once per session and by `sim reset`: three nodes in
//! three zones, the namespaces a cluster starts with, the `gp3` (default) and `efs-sc`
//! StorageClasses, and the `kubernetes` and `kube-dns` Services.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::resources::Kind;
use crate::rng::Rng;
use crate::store::Store;
use crate::value::Value;
use crate::world::{Cluster, Faults, NameMap, VolumeState};

/// The seed of a fresh cluster (any seed gives a valid, reproducible run).
pub const DEFAULT_SEED: u64 = 0x5747_4C53;

/// The nodes of the default cluster: name, zone, internal IP.
pub const DEFAULT_NODES: [(&str, &str, &str); 3] = [
    ("node-a", "us-east-1a", "10.0.1.10"),
    ("node-b", "us-east-1b", "10.0.2.10"),
    ("node-c", "us-east-1c", "10.0.3.10"),
];

impl Default for Cluster {
    fn default() -> Self {
        Cluster::new(DEFAULT_SEED)
    }
}

impl Cluster {
    /// The default cluster of the design: three nodes in three zones, namespace `default`,
    /// the `gp3` (default) and `efs-sc` StorageClasses, cluster DNS at 10.96.0.10.
    pub fn new(seed: u64) -> Cluster {
        let mut c = Cluster {
            now: 0,
            store: Store::default(),
            rng: Rng::new(seed),
            timers: BTreeSet::new(),
            periodic: BTreeSet::new(),
            runtime: BTreeMap::new(),
            images: BTreeSet::new(),
            volume_files: BTreeMap::new(),
            faults: Faults::default(),
            retry_after: BTreeMap::new(),
            retry_delay: BTreeMap::new(),
            next_ip: BTreeMap::new(),
            volumes: VolumeState::default(),
            sync_memo: BTreeMap::new(),
            sync_failed: BTreeMap::new(),
            revision_memo: BTreeMap::new(),
            pass_memo: NameMap::default(),
            running: None,
            owned_timers: NameMap::default(),
            kubelet_seen: BTreeMap::new(),
            endpoints_seen: BTreeMap::new(),
            down_nodes: BTreeMap::new(),
        };
        for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
            let mut obj = Value::map();
            obj.set("metadata.name", ns);
            fix_dotted_label(&mut obj, ns);
            obj.set("spec.finalizers", Value::list(vec!["kubernetes".into()]));
            obj.set("status.phase", "Active");
            c.create_system(Kind::Namespace, obj);
        }
        for (name, zone, ip) in DEFAULT_NODES {
            c.create_system(Kind::Node, default_node(name, zone, ip));
        }
        c.create_system(Kind::StorageClass, storage_class_gp3());
        c.create_system(Kind::StorageClass, storage_class_efs());
        let mut kubernetes = Value::map();
        kubernetes.set("metadata.name", "kubernetes");
        kubernetes.set("metadata.namespace", "default");
        kubernetes.set("metadata.labels.component", "apiserver");
        kubernetes.set("metadata.labels.provider", "kubernetes");
        kubernetes.set("spec.clusterIP", "10.96.0.1");
        kubernetes.set("spec.clusterIPs", Value::list(vec!["10.96.0.1".into()]));
        kubernetes.set("spec.type", "ClusterIP");
        kubernetes.set("spec.sessionAffinity", "None");
        kubernetes.set("spec.ports", Value::list(vec![port_value("https", 443, 6443)]));
        c.create_system(Kind::Service, kubernetes);
        let mut dns = Value::map();
        dns.set("metadata.name", "kube-dns");
        dns.set("metadata.namespace", "kube-system");
        dns.set("metadata.labels.k8s-app", "kube-dns");
        dns.set("spec.clusterIP", crate::dns::CLUSTER_DNS_IP);
        dns.set("spec.clusterIPs", Value::list(vec![crate::dns::CLUSTER_DNS_IP.into()]));
        dns.set("spec.type", "ClusterIP");
        dns.set("spec.sessionAffinity", "None");
        dns.set("spec.selector.k8s-app", "kube-dns");
        dns.set("spec.ports", Value::list(vec![port_value("dns", 53, 53)]));
        c.create_system(Kind::Service, dns);
        c.store.clear_events();
        c
    }

    fn create_system(&mut self, kind: Kind, obj: Value) {
        // The default objects are valid by construction; a failure is a programmer error.
        self.store
            .create(kind, obj, self.now, &mut self.rng)
            .expect("default cluster objects are unique");
    }
}

fn fix_dotted_label(obj: &mut Value, ns: &str) {
    // Label keys contain dots, which the dotted-path helpers would split: set it directly.
    obj.remove("metadata.labels");
    let mut labels = crate::value::Map::new();
    labels.insert("kubernetes.io/metadata.name", Value::Str(ns.into()));
    obj.set("metadata.labels", Value::from_map(labels));
}

fn port_value(name: &str, port: i64, target: i64) -> Value {
    let mut p = Value::map();
    p.set("name", name);
    p.set("port", port);
    p.set("protocol", if name == "dns" { "UDP" } else { "TCP" });
    p.set("targetPort", target);
    p
}

fn string_map(pairs: &[(&str, &str)]) -> Value {
    Value::from_map(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Value::Str((*v).into())))
            .collect(),
    )
}

/// A Ready worker node as the default cluster has them (4 CPU, 16Gi, 110 pods).
pub fn default_node(name: &str, zone: &str, ip: &str) -> Value {
    let mut n = Value::map();
    n.set("metadata.name", name);
    n.set(
        "metadata.labels",
        string_map(&[
            ("beta.kubernetes.io/arch", "amd64"),
            ("beta.kubernetes.io/os", "linux"),
            ("kubernetes.io/arch", "amd64"),
            ("kubernetes.io/hostname", name),
            ("kubernetes.io/os", "linux"),
            ("node.kubernetes.io/instance-type", "m5.xlarge"),
            ("topology.ebs.csi.aws.com/zone", zone),
            ("topology.kubernetes.io/region", "us-east-1"),
            ("topology.kubernetes.io/zone", zone),
        ]),
    );
    let cidr = format!("10.244.{}.0/24", node_index(name));
    n.set("spec.podCIDRs", Value::list(vec![cidr.as_str().into()]));
    n.set("spec.podCIDR", cidr);
    n.set(
        "spec.providerID",
        format!(
            "aws:///{zone}/i-0{}",
            &format!("{:016x}", crate::rng::fnv32a(name.as_bytes()))[..16]
        ),
    );
    let resources = string_map(&[
        ("cpu", "4"),
        ("ephemeral-storage", "20Gi"),
        ("memory", "16Gi"),
        ("pods", "110"),
    ]);
    n.set("status.capacity", resources.clone());
    n.set("status.allocatable", resources);
    n.set(
        "status.addresses",
        Value::list(vec![
            {
                let mut a = Value::map();
                a.set("address", ip);
                a.set("type", "InternalIP");
                a
            },
            {
                let mut a = Value::map();
                a.set("address", name);
                a.set("type", "Hostname");
                a
            },
        ]),
    );
    // The conditions the kubelet posts when it registers, in its setters' order.
    let conditions = crate::api::node::KUBELET_CONDITIONS
        .iter()
        .map(|(kind, status, reason, message)| {
            let mut cond = Value::map();
            cond.set("lastHeartbeatTime", crate::clock::rfc3339(0));
            cond.set("lastTransitionTime", crate::clock::rfc3339(0));
            cond.set("message", *message);
            cond.set("reason", *reason);
            cond.set("status", *status);
            cond.set("type", *kind);
            cond
        })
        .collect();
    n.set("status.conditions", Value::list(conditions));
    n.set(
        "status.nodeInfo.kubeletVersion",
        crate::version::KUBERNETES_SERVER_VERSION,
    );
    n.set("status.nodeInfo.containerRuntimeVersion", "containerd://2.1.4");
    n.set("status.nodeInfo.osImage", "Amazon Linux 2023.8.20250818");
    n.set("status.nodeInfo.kernelVersion", "6.1.147-172.266.amzn2023.x86_64");
    n.set("status.nodeInfo.operatingSystem", "linux");
    n.set("status.nodeInfo.architecture", "amd64");
    // The machine's ids (cadvisor MachineInfo): stable per node name, like the other ids.
    let id = |what: &str| crate::rng::digest(&format!("{name}/{what}"));
    let uuid = |hex: String| {
        format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    };
    n.set("status.nodeInfo.machineID", &id("machine-id")[..32]);
    n.set(
        "status.nodeInfo.systemUUID",
        uuid(format!("ec2{}", &id("system-uuid")[3..])),
    );
    n.set("status.nodeInfo.bootID", uuid(id("boot-id")));
    n
}

fn node_index(name: &str) -> usize {
    DEFAULT_NODES
        .iter()
        .position(|(n, _, _)| *n == name)
        .map_or(10, |i| i + 1)
}

/// The `gp3` StorageClass of the default cluster (EKS-like, the default class).
pub fn storage_class_gp3() -> Value {
    let mut sc = Value::map();
    sc.set("metadata.name", "gp3");
    sc.set(
        "metadata.annotations",
        string_map(&[("storageclass.kubernetes.io/is-default-class", "true")]),
    );
    sc.set("provisioner", "ebs.csi.aws.com");
    sc.set("parameters.type", "gp3");
    sc.set("reclaimPolicy", "Delete");
    sc.set("volumeBindingMode", "WaitForFirstConsumer");
    sc.set("allowVolumeExpansion", true);
    sc
}

/// The `efs-sc` StorageClass of the default cluster (regional, ReadWriteMany).
pub fn storage_class_efs() -> Value {
    let mut sc = Value::map();
    sc.set("metadata.name", "efs-sc");
    sc.set("provisioner", "efs.csi.aws.com");
    sc.set("parameters.provisioningMode", "efs-ap");
    sc.set("parameters.fileSystemId", "fs-0a1b2c3d4e5f67890");
    sc.set("parameters.directoryPerms", "700");
    sc.set("reclaimPolicy", "Delete");
    sc.set("volumeBindingMode", "Immediate");
    sc
}
