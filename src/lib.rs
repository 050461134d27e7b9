//! # StatefulSet Playground engine
//!
//! A deterministic simulation of the parts of a Kubernetes **v1.34** cluster that StatefulSets
//! touch, with kubectl's syntax and output. This crate is pure Rust: it never names Yew,
//! web-sys, gloo or wasm-bindgen (a `cargo build --no-default-features` proves it), so the
//! engine tests run natively and fast, and the same code runs in the browser.
//!
//! Layout (one concern per module):
//! - [`yaml`], [`value`]: manifests with positions, and the JSON-like value objects are held in;
//! - [`api`]: kinds, metadata, selectors, defaults and validation;
//! - [`store`], [`apiserver`]: the object store and the API server's write path;
//! - [`world`], [`default_cluster`], [`faults`], [`sim`], [`controllers`], [`timing`],
//!   [`clock`], [`rng`]: the simulated cluster (state, its starting point, what a learner breaks,
//!   and the loop that runs the controllers);
//! - [`dns`]: cluster DNS;
//! - [`kubectl`], [`console`], [`script`]: commands in, kubectl's output out;
//! - [`version`]: the Kubernetes version the simulator models.

pub mod api;
pub mod apiserver;
pub mod clock;
pub mod complete;
pub mod console;
pub mod controllers;
pub mod default_cluster;
pub mod dns;
pub mod docs;
pub mod editing;
pub mod events;
pub mod examples;
pub mod faults;
pub mod gotemplate;
pub mod highlight;
pub mod images;
pub mod jsonpath;
pub mod kubectl;
pub mod lint;
pub mod map;
pub mod names;
pub mod patch;
pub mod quantity;
pub mod rng;
pub mod script;
pub mod shell;
pub mod sim;
pub mod sort;
pub mod store;
pub mod timing;
pub mod value;
pub mod version;
pub mod view;
pub mod world;
pub mod yaml;

/// Native builds allocate with mimalloc (see `Cargo.toml`); the browser build keeps Rust's wasm
/// allocator.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
