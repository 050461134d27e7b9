//! What the scheduler knows of the cluster during one pass (its cache's `Snapshot`,
//! `pkg/scheduler/backend/cache/snapshot.go`, and `framework.NodeInfo`): every node with the
//! pods on it, bound or assumed, and what they request and use. Built once per pass and kept
//! up to date as pods are placed, so scheduling N pods costs O(N) and not O(N²): the counts of
//! the pods a selector matches on each node are computed once per selector and pass, then moved
//! along as pods are added.

use super::pod_affinity::PodTerms;
use super::ports::{self, HostPort};
use super::resources::{self, Request};
use crate::api::meta;
use crate::api::pod;
use crate::api::resources::Kind;
use crate::api::selector::Selector;
use crate::value::Value;
use crate::world::Cluster;

/// One node and what its pods take of it.
pub struct NodeInfo {
    pub node: Value,
    name: String,
    /// `metadata.labels`, looked up once.
    labels: Value,
    /// Its Ready condition is True.
    pub ready: bool,
    /// cpu (millicores), memory, ephemeral-storage, pods.
    pub allocatable: [i64; 4],
    pub scalar_allocatable: Vec<(String, i64)>,
    /// What the pods on the node request (`Requested`), and with the defaults for containers
    /// that request no cpu or memory (`NonZeroRequested`).
    pub requested: [i64; 3],
    pub non_zero: [i64; 2],
    pub scalar_requested: Vec<(String, i64)>,
    pub pods: i64,
    /// The host ports its pods use (`UsedPorts`).
    pub ports: Vec<HostPort>,
    /// The images on the node (`ImageStates`), as the kubelet pulled them.
    pub images: Vec<String>,
}

impl NodeInfo {
    fn new(node: &Value) -> NodeInfo {
        let scalar_allocatable = node
            .at("status.allocatable")
            .and_then(Value::as_map)
            .into_iter()
            .flat_map(|m| m.iter())
            .filter(|(k, _)| !matches!(*k, "cpu" | "memory" | "ephemeral-storage" | "pods"))
            .map(|(k, v)| (k.to_string(), resources::quantity(v, false)))
            .collect();
        NodeInfo {
            node: node.clone(),
            name: meta::name(node).to_string(),
            labels: node.at("metadata.labels").cloned().unwrap_or_default(),
            ready: crate::api::node::ready_status(node) == "True",
            allocatable: resources::allocatable(node),
            scalar_allocatable,
            requested: [0; 3],
            non_zero: [0; 2],
            scalar_requested: Vec::new(),
            pods: 0,
            ports: Vec::new(),
            images: Vec::new(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn labels(&self) -> Option<&Value> {
        Some(&self.labels).filter(|l| !l.is_null())
    }

    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels.get(key).and_then(Value::as_str)
    }
}

/// A pod on a node, bound or assumed.
pub struct PodInfo {
    pub pod: Value,
    /// Index into [`Snapshot::nodes`].
    pub node: usize,
    pub terminating: bool,
    /// Its pod affinity and anti-affinity terms (`PodInfo.RequiredAffinityTerms`, …).
    pub terms: PodTerms,
}

/// Which pods a term or a spread constraint counts: a namespace set (or every namespace) and a
/// label selector.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    pub namespaces: Vec<String>,
    pub all_namespaces: bool,
    pub selector: Selector,
}

impl Scope {
    pub fn matches(&self, p: &Value) -> bool {
        (self.all_namespaces || self.namespaces.iter().any(|n| n == meta::namespace(p)))
            && self.selector.matches_object(p)
    }
}

struct Count {
    scopes: Vec<Scope>,
    live_only: bool,
    per_node: Vec<u32>,
}

/// The nodes (in name order) and the pods on them.
pub struct Snapshot {
    pub nodes: Vec<NodeInfo>,
    pub pods: Vec<PodInfo>,
    /// The pods with pod affinity or anti-affinity terms (`HavePodsWithAffinityList`).
    pub with_terms: Vec<usize>,
    counts: Vec<Count>,
}

impl Snapshot {
    /// The pods on nodes: bound to one (`spec.nodeName`) or assumed on one while their volumes
    /// are made, and neither Succeeded nor Failed (the scheduler's pod informer leaves those out:
    /// `status.phase!=Succeeded,status.phase!=Failed`); terminating pods count.
    pub fn of(c: &Cluster) -> Snapshot {
        let mut s = Snapshot {
            nodes: c.store.list(Kind::Node, None).into_iter().map(NodeInfo::new).collect(),
            pods: Vec::new(),
            with_terms: Vec::new(),
            counts: Vec::new(),
        };
        for entry in &c.images {
            if let Some((node, image)) = entry.split_once('\0') {
                if let Some(i) = s.index(node) {
                    s.nodes[i].images.push(super::image_locality::normalized(image));
                }
            }
        }
        for q in c.store.list(Kind::Pod, None) {
            if matches!(pod::phase(q), "Succeeded" | "Failed") {
                continue;
            }
            let node = match q.str_at("spec.nodeName") {
                "" => c.volumes.assumed.get(meta::uid(q)).map_or("", String::as_str),
                bound => bound,
            };
            if let Some(i) = s.index(node) {
                s.push(q, i);
            }
        }
        s
    }

    /// The index of the node called `name`.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.nodes.binary_search_by(|n| n.name().cmp(name)).ok()
    }

    fn push(&mut self, q: &Value, i: usize) {
        let r = Request::of(q);
        let n = &mut self.nodes[i];
        for (have, add) in n.requested.iter_mut().zip(r.amounts) {
            *have = have.saturating_add(add);
        }
        for (have, add) in n.non_zero.iter_mut().zip(r.non_zero) {
            *have = have.saturating_add(add);
        }
        for (name, add) in &r.scalar {
            resources::add_scalar(&mut n.scalar_requested, name, *add);
        }
        n.pods += 1;
        n.ports.extend(ports::of(q));
        let terms = PodTerms::of(q);
        if !terms.is_empty() {
            self.with_terms.push(self.pods.len());
        }
        self.pods.push(PodInfo {
            pod: q.clone(),
            node: i,
            terminating: meta::is_terminating(q),
            terms,
        });
    }

    /// A pod placed on `node` in this pass (bound, or assumed while its volumes are made).
    pub fn add(&mut self, q: &Value, node: &str) {
        let Some(i) = self.index(node) else {
            return;
        };
        self.push(q, i);
        let terminating = meta::is_terminating(q);
        for count in &mut self.counts {
            if (!count.live_only || !terminating) && count.scopes.iter().all(|s| s.matches(q)) {
                count.per_node[i] += 1;
            }
        }
    }

    /// On each node, the pods that every scope matches (without the terminating ones when
    /// `live_only`).
    pub fn per_node(&mut self, scopes: &[Scope], live_only: bool) -> Vec<u32> {
        if let Some(c) = self
            .counts
            .iter()
            .find(|c| c.live_only == live_only && c.scopes == scopes)
        {
            return c.per_node.clone();
        }
        let mut per_node = vec![0u32; self.nodes.len()];
        for q in &self.pods {
            if (!live_only || !q.terminating) && scopes.iter().all(|s| s.matches(&q.pod)) {
                per_node[q.node] += 1;
            }
        }
        self.counts.push(Count {
            scopes: scopes.to_vec(),
            live_only,
            per_node: per_node.clone(),
        });
        per_node
    }
}
