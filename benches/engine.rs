//! Engine budgets, measured (never asserted in tests; figures go to the README and docs/performance.md):
//! - apply → settled for a 3-replica OrderedReady StatefulSet (budget ≤ 0.2 ms);
//! - a Parallel StatefulSet scaled 0 → N → 0 for N = 250, 500, 1000 (budget ≤ 50 ms at 1000),
//!   to show the cost grows linearly with pods.

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use stsim::console::{Console, NoFiles};

mod workloads;
use workloads::{extra_nodes, manifest};

fn apply_and_settle(c: &mut Criterion) {
    let three = manifest(3, false, true);
    c.bench_function("apply 3-replica OrderedReady set with claims, settle", |b| {
        // The default cluster is built outside the timed part: the budget is apply → settled.
        // One cluster is built right before each timed run (PerIteration), as a learner applies
        // into the cluster the page holds; batching hundreds of clusters first (SmallInput)
        // measured cold caches instead, and varied by 15 % between runs on this machine.
        b.iter_batched(
            || Console::new(Box::new(NoFiles)),
            |mut console| {
                console.apply_manifest(&three);
                console.cluster.settle().expect("settles");
                console
            },
            BatchSize::PerIteration,
        )
    });
}

fn parallel_scale(c: &mut Criterion) {
    let mut group = c.benchmark_group("Parallel set scaled 0 -> N -> 0");
    group.sample_size(10);
    for n in [250u32, 500, 1000] {
        let set = format!("{}---\n{}", extra_nodes(), manifest(0, true, false));
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, &n| {
            b.iter_batched(
                || {
                    let mut console = Console::new(Box::new(NoFiles));
                    console.apply_manifest(&set);
                    console
                },
                |mut console| {
                    console.run(&format!("kubectl scale sts web --replicas={n}"), None);
                    console.cluster.settle().expect("settles up");
                    console.run("kubectl scale sts web --replicas=0", None);
                    console.cluster.settle().expect("settles down");
                    console
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

/// The editor's full re-validation of a 300-line, 10-document manifest (budget ≤ 2 ms):
/// YAML, API validation and consequence lints against the default cluster.
fn lint_manifest(c: &mut Criterion) {
    let one = include_str!("../tests/lint/valid-web-with-service.yaml");
    let docs: Vec<String> = (0..4)
        .map(|i| {
            one.replace("name: web", &format!("name: web{i}"))
                .replace("name: nginx", &format!("name: nginx{i}"))
        })
        .collect();
    let text = docs.join("---\n");
    let lines = text.lines().count();
    let documents = text.matches("\napiVersion:").count() + usize::from(text.starts_with("apiVersion:"));
    let console = Console::new(Box::new(NoFiles));
    c.bench_function(&format!("lint a {lines}-line, {documents}-document manifest"), |b| {
        b.iter(|| stsim::lint::lint(std::hint::black_box(&text), &console.cluster))
    });
}

criterion_group!(benches, apply_and_settle, parallel_scale, lint_manifest);
criterion_main!(benches);
