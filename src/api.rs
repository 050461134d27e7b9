//! The Kubernetes API as the simulator models it: which kinds exist, how objects are named and
//! selected, how the API server defaults and validates them.

pub mod claims;
pub mod defaults;
pub mod intstr;
pub mod meta;
pub mod node;
pub mod node_affinity;
pub mod pod;
pub mod qos;
pub mod quantities;
pub mod resources;
pub mod schema;
pub mod selector;
pub mod strategy;
pub mod validation;
pub mod volumes;
