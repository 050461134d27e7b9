//! A fixed workload for instruction counting (`valgrind --tool=callgrind`), so engine speed work
//! compares repeatable counts instead of noisy wall time:
//! `cargo build --release --example profile && valgrind --tool=callgrind target/release/examples/profile settle3 50`.
//! Workloads: `settle3` (apply a 3-replica OrderedReady set with claims, settle) and
//! `parallelN` (a Parallel set scaled 0 → N → 0 on 10 nodes, as `benches/engine.rs` does).

use stsim::console::{Console, NoFiles};

#[path = "../benches/workloads/mod.rs"]
mod workloads;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let what = args.get(1).map_or("settle3", String::as_str);
    let times: u32 = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(1);
    for _ in 0..times {
        if what == "settle3" {
            let mut console = Console::new(Box::new(NoFiles));
            console.apply_manifest(&workloads::manifest(3, false, true));
            console.cluster.settle().expect("settles");
        } else if let Some(n) = what.strip_prefix("parallel").and_then(|n| n.parse::<u32>().ok()) {
            let mut console = Console::new(Box::new(NoFiles));
            console.apply_manifest(&format!(
                "{}---\n{}",
                workloads::extra_nodes(),
                workloads::manifest(0, true, false)
            ));
            console.run(&format!("kubectl scale sts web --replicas={n}"), None);
            console.cluster.settle().expect("settles up");
            console.run("kubectl scale sts web --replicas=0", None);
            console.cluster.settle().expect("settles down");
        } else {
            eprintln!("unknown workload {what}: settle3 or parallelN");
            std::process::exit(2);
        }
    }
}
