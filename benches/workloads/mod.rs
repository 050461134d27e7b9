//! The workloads the engine benchmarks measure, shared by `benches/engine.rs` and
//! `examples/profile.rs` (instruction counts with callgrind).

/// A StatefulSet `web` of the tutorial: `replicas`, OrderedReady or Parallel, with or without
/// a claim template.
pub fn manifest(replicas: u32, parallel: bool, claims: bool) -> String {
    let mut m = format!(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: nginx\n  replicas: {replicas}\n  podManagementPolicy: {}\n  selector:\n    matchLabels:\n      app: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: registry.k8s.io/nginx-slim:0.21\n",
        if parallel { "Parallel" } else { "OrderedReady" }
    );
    if claims {
        m.push_str("        volumeMounts:\n        - name: www\n          mountPath: /usr/share/nginx/html\n  volumeClaimTemplates:\n  - metadata:\n      name: www\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources:\n        requests:\n          storage: 1Gi\n");
    }
    m
}

/// Seven more nodes (10 in all, 110 pods each), so that 1,000 pods fit: on the default three
/// nodes 670 of them would stay Pending (`Too many pods`), as on a real cluster.
pub fn extra_nodes() -> String {
    (1..=7)
        .map(|i| format!("apiVersion: v1\nkind: Node\nmetadata:\n  name: node-x{i}\n  labels:\n    topology.kubernetes.io/zone: us-east-1{}\n", ['a', 'b', 'c'][i % 3]))
        .collect::<Vec<_>>()
        .join("---\n")
}
