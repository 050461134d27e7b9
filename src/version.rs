//! The Kubernetes version this simulator models, shown in the UI, the README and `kubectl version`.

/// The Kubernetes minor version whose behaviour the engine reproduces.
pub const KUBERNETES_VERSION: &str = "v1.34";

/// The full server version string `kubectl version` prints for the simulated cluster.
pub const KUBERNETES_SERVER_VERSION: &str = "v1.34.0";
