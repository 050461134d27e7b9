//! The StatefulSet Playground web UI (Yew, compiled to wasm32 by trunk).
//!
//! A thin layer over the engine: [`state`] holds the UI state and its one reducer; the
//! [`components`] render it and dispatch [`state::Action`]s. No Kubernetes logic lives here.

mod app;
mod components;
mod state;

fn main() {
    yew::Renderer::<app::App>::new().render();
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;
