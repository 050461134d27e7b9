//! # StatefulSet Playground engine
//!
//! A deterministic simulation of the parts of a Kubernetes **v1.34** cluster that StatefulSets
//! touch, with kubectl's syntax and output. This crate is pure Rust: it never names Yew,
//! web-sys, gloo or wasm-bindgen (a `cargo build --no-default-features` proves it), so the
//! engine tests run natively and fast, and the same code runs in the browser.
//!
//! Layout (one concern per module):
//! - [`version`]: the Kubernetes version the simulator models.
//! - [`script`]: the `stsim run` script format and its transcript.

pub mod console;
pub mod value;
pub mod yaml;
pub mod script;
pub mod version;
