//! The controllers of the simulated cluster, one file each, run in the fixed order documented
//! in [`crate::sim`]. Each is a level-triggered reconciler: it reads the store and acts.

pub mod disruption;
pub mod endpoints;
pub mod gc;
pub mod kubelet;
pub mod nodes;
pub mod scheduler;
pub mod statefulset;
pub mod volumes;
pub mod workloads;
