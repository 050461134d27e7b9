//! NodeAffinity (`pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go`): a pod's
//! `nodeSelector` and required node affinity as a filter, its `metadata.name` pins as a node set
//! (PreFilter), its preferred terms as a score. The selector semantics are component-helpers',
//! in [`crate::api::node_affinity`].

pub use crate::api::node_affinity::{node_names, preferred, preferred_score, NodeSelector, Required};

/// `ErrReasonPod`.
pub const REASON: &str = "node(s) didn't match Pod's node affinity/selector";
/// `errReasonConflict`: every term pins the pod to no node by name.
pub const CONFLICT: &str = "pod affinity terms conflict";
/// The status of the nodes outside a PreFilter node set (`schedule_one.go`
/// `findNodesThatFitPod`: `node(s) didn't satisfy plugin(s) %v` of the sorted plugin names).
pub const OUTSIDE_NODE_SET: &str = "node(s) didn't satisfy plugin(s) [NodeAffinity]";
