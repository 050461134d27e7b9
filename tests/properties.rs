//! Property test: random sequences of apply / scale / delete pod / readiness flips / crashes /
//! time passing, with the StatefulSet invariants checked after every step:
//! 1. never two pods with one identity (one pod object per name, and at most one not being
//!    deleted), and every pod's name parses to an ordinal of its set;
//! 2. never a pod without its claims (a non-terminating, non-failed pod of a set with claim templates has
//!    every claim `<template>-<set>-<ordinal>` in the store);
//! 3. OrderedReady never has ordinal k created while a lower in-range ordinal is missing or not
//!    Running and Ready (checked at the moment k is first seen);
//! 4. status counts match the pods (replicas = owned pods, readyReplicas = running and Ready);
//!
//! and, with storage and node events in the mix (node loss and return, force deletes, the
//! out-of-service taint, claim deletes, volume expansion, a Retain class):
//! 5. a Bound claim and its PV point at each other;
//! 6. an RWO volume is never used by started containers on two nodes at once;
//! 7. no data disk is deleted while its claim exists or a Retain policy keeps it;
//! 8. a pod never runs in a zone its volume is not in.
//!
//! The generator is a fixed xorshift over a seed list, so a failure prints the seed and the
//! command list to replay it with `stsim run -`.

use std::collections::{BTreeMap, BTreeSet};

use stsim::api::meta;
use stsim::api::pod;
use stsim::api::resources::Kind;
use stsim::console::{Console, NoFiles};
use stsim::controllers::statefulset::parent_and_ordinal;

struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn manifest(parallel: bool, replicas: u64) -> String {
    manifest_with_class(parallel, replicas, None)
}

/// A class like gp3 that keeps the disk when its claim goes.
const RETAIN_CLASS: &str = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: gp3-retain\nprovisioner: ebs.csi.aws.com\nparameters:\n  type: gp3\nreclaimPolicy: Retain\nvolumeBindingMode: WaitForFirstConsumer\n---\n";

fn manifest_with_class(parallel: bool, replicas: u64, class: Option<&str>) -> String {
    let text = manifest_text(parallel, replicas);
    match class {
        Some(class) => text.replace(
            "      accessModes: [ReadWriteOnce]\n",
            &format!("      storageClassName: {class}\n      accessModes: [ReadWriteOnce]\n"),
        ),
        None => text,
    }
}

fn manifest_text(parallel: bool, replicas: u64) -> String {
    format!(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: nginx\n  replicas: {replicas}\n  podManagementPolicy: {}\n  selector:\n    matchLabels:\n      app: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: registry.k8s.io/nginx-slim:0.21\n        readinessProbe:\n          tcpSocket:\n            port: 80\n          periodSeconds: 2\n        volumeMounts:\n        - name: www\n          mountPath: /usr/share/nginx/html\n  volumeClaimTemplates:\n  - metadata:\n      name: www\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources:\n        requests:\n          storage: 1Gi\n",
        if parallel { "Parallel" } else { "OrderedReady" }
    )
}

fn step(rng: &mut XorShift) -> String {
    let pod = format!("web-{}", rng.below(6));
    let node = ["node-a", "node-b", "node-c", "node-d"][rng.below(4) as usize];
    match rng.below(16) {
        15 => format!(
            "kubectl patch pvc www-web-{} -p '{{\"spec\":{{\"resources\":{{\"requests\":{{\"storage\":\"{}Gi\"}}}}}}}}'",
            rng.below(6),
            2 + rng.below(3)
        ),
        9 => format!("sim node-down {node}"),
        10 => format!("sim node-up {node}"),
        11 => format!("kubectl delete pod {pod} --grace-period=0 --force"),
        12 => format!("kubectl taint nodes {node} node.kubernetes.io/out-of-service=nodeshutdown:NoExecute"),
        13 => format!("kubectl taint nodes {node} node.kubernetes.io/out-of-service-"),
        14 => format!("kubectl delete pvc www-web-{} --wait=false", rng.below(6)),
        0 => format!("kubectl scale sts web --replicas={}", rng.below(6)),
        1 => format!("kubectl delete pod {pod} --wait=false"),
        2 => format!("sim unready {pod}"),
        3 => format!("sim ready {pod}"),
        4 => format!("sim crash {pod}"),
        5 => format!("sim evict {pod}"),
        6 => format!(
            "kubectl set image sts/web nginx=registry.k8s.io/nginx-slim:0.{}",
            20 + rng.below(5)
        ),
        _ => format!("sim advance {}s", 1 + rng.below(20)),
    }
}

/// What the storage invariants remember across steps: the disk (PV) each claim uid was bound
/// to, and the disks a Retain policy keeps.
#[derive(Default)]
struct Disks {
    of_claim: BTreeMap<String, String>,
    retained: BTreeSet<String>,
}

/// Invariants 5–8.
fn check_storage(c: &stsim::world::Cluster, disks: &mut Disks) -> Result<(), String> {
    let zone_of_node = |node: &str| {
        c.get(Kind::Node, "", node)
            .and_then(|n| {
                n.at("metadata.labels")
                    .and_then(|l| l.get("topology.kubernetes.io/zone"))
            })
            .and_then(|z| z.as_str())
            .map(str::to_string)
    };
    for claim in c.store.list(Kind::PersistentVolumeClaim, None) {
        let name = meta::name(claim);
        if claim.str_at("status.phase") == "Bound" {
            let pv_name = claim.str_at("spec.volumeName");
            let pv = c
                .get(Kind::PersistentVolume, "", pv_name)
                .ok_or(format!("claim {name} is Bound to {pv_name}, which does not exist"))?;
            if pv.str_at("spec.claimRef.uid") != meta::uid(claim) {
                return Err(format!("claim {name} is Bound to {pv_name}, which points elsewhere"));
            }
            disks.of_claim.insert(meta::uid(claim).to_string(), pv_name.to_string());
            if pv.str_at("spec.persistentVolumeReclaimPolicy") == "Retain" {
                disks.retained.insert(pv_name.to_string());
            }
        }
    }
    // 7. disks kept by a live claim or by Retain
    let live_claims: BTreeSet<String> = c
        .store
        .list(Kind::PersistentVolumeClaim, None)
        .into_iter()
        .map(|cl| meta::uid(cl).to_string())
        .collect();
    for (claim_uid, pv) in &disks.of_claim {
        if live_claims.contains(claim_uid) && c.get(Kind::PersistentVolume, "", pv).is_none() {
            return Err(format!("disk {pv} was deleted while its claim still exists"));
        }
    }
    for pv in &disks.retained {
        if c.get(Kind::PersistentVolume, "", pv).is_none() {
            return Err(format!("disk {pv} was deleted although its policy is Retain"));
        }
    }
    // 6 and 8: pods whose containers started (they have an IP: volumes attached and mounted).
    let mut used_on: BTreeMap<String, String> = BTreeMap::new();
    for p in c.store.list(Kind::Pod, None) {
        if p.str_at("status.podIP").is_empty() || matches!(pod::phase(p), "Failed" | "Succeeded") {
            continue;
        }
        let node = p.str_at("spec.nodeName");
        for claim_name in pod::claim_names(p) {
            let Some(claim) = c.get(Kind::PersistentVolumeClaim, meta::namespace(p), &claim_name) else {
                continue;
            };
            let pv_name = claim.str_at("spec.volumeName").to_string();
            let Some(pv) = c.get(Kind::PersistentVolume, "", &pv_name) else {
                continue;
            };
            if let (Some(vz), Some(nz)) = (stsim::api::volumes::pv_zone(pv), zone_of_node(node)) {
                if vz != nz {
                    return Err(format!(
                        "{} runs in {nz} but its volume {pv_name} is in {vz}",
                        meta::name(p)
                    ));
                }
            }
            let rwo = pv.at("spec.accessModes").is_some_and(|m| {
                m.as_list()
                    .iter()
                    .any(|x| matches!(x.as_str(), Some("ReadWriteOnce" | "ReadWriteOncePod")))
            });
            if rwo {
                if let Some(other) = used_on.insert(pv_name.clone(), node.to_string()) {
                    if other != node {
                        return Err(format!("RWO volume {pv_name} is used on {other} and {node} at once"));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Check the invariants; `seen` carries the pods already observed (for invariant 3).
fn check(c: &stsim::world::Cluster, parallel: bool, seen: &mut BTreeSet<String>, settled: bool) -> Result<(), String> {
    let Some(set) = c.get(Kind::StatefulSet, "default", "web") else {
        return Ok(());
    };
    let uid = meta::uid(set).to_string();
    let pods: Vec<_> = c
        .store
        .list(Kind::Pod, Some("default"))
        .into_iter()
        .filter(|p| meta::is_controlled_by(p, &uid))
        .collect();
    // 1. identities
    let mut names = BTreeMap::new();
    for p in &pods {
        let name = meta::name(p).to_string();
        let (parent, _) = parent_and_ordinal(&name).ok_or(format!("{name} has no ordinal"))?;
        if parent != "web" {
            return Err(format!("{name} does not belong to web"));
        }
        if names.insert(name.clone(), ()).is_some() {
            return Err(format!("two pods named {name}"));
        }
    }
    // 2. claims (of pods that may still run: a Failed pod no longer holds its claim, and an
    //    OrderedReady set deletes it only when it gets to its ordinal; a pod not yet on a node
    //    does not protect its claim, pvc_protection_controller.go podUsesPVC, and the set
    //    recreates it when it gets to that pod)
    for p in &pods {
        if meta::is_terminating(p)
            || matches!(pod::phase(p), "Failed" | "Succeeded")
            || p.str_at("spec.nodeName").is_empty()
        {
            continue;
        }
        let (_, ord) = parent_and_ordinal(meta::name(p)).unwrap_or(("", 0));
        let claim = format!("www-web-{ord}");
        if c.get(Kind::PersistentVolumeClaim, "default", &claim).is_none() {
            return Err(format!("{} runs without its claim {claim}", meta::name(p)));
        }
    }
    // 3. OrderedReady creation order
    let replicas = set.at("spec.replicas").and_then(|v| v.as_i64()).unwrap_or(1);
    for p in &pods {
        let name = meta::name(p).to_string();
        if seen.insert(format!("{name}/{}", meta::uid(p))) && !parallel {
            let (_, ord) = parent_and_ordinal(&name).unwrap_or(("", 0));
            if ord < replicas {
                for lower in 0..ord {
                    let ok = pods
                        .iter()
                        .any(|q| meta::name(q) == format!("web-{lower}") && pod::is_running_and_ready(q));
                    if !ok {
                        return Err(format!(
                            "{name} was created while web-{lower} was not Running and Ready"
                        ));
                    }
                }
            }
        }
    }
    // 4. status counts, once the instant has settled (mid-instant the kubelet may have moved on
    //    after the controller wrote status, as on a real cluster between two syncs).
    if !settled {
        return Ok(());
    }
    let status_replicas = set.at("status.replicas").and_then(|v| v.as_i64()).unwrap_or(0);
    let ready = set.at("status.readyReplicas").and_then(|v| v.as_i64()).unwrap_or(0);
    let real_ready = pods.iter().filter(|p| pod::is_running_and_ready(p)).count() as i64;
    if status_replicas != pods.len() as i64 {
        return Err(format!(
            "status.replicas is {status_replicas} but the set owns {} pods",
            pods.len()
        ));
    }
    if ready != real_ready {
        return Err(format!(
            "status.readyReplicas is {ready} but {real_ready} pods are Running and Ready"
        ));
    }
    Ok(())
}

#[test]
/// 200 seeds in CI; `PROPERTY_SEEDS=3000 cargo test --release --test properties` runs more.
fn statefulset_invariants_hold_under_random_operations() {
    for seed in 1..=std::env::var("PROPERTY_SEEDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200u64)
    {
        let mut rng = XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let parallel = seed % 3 == 0;
        let mut console = Console::new(Box::new(NoFiles));
        // A fourth node in us-east-1a, so a pod can move within its volume's zone; every other
        // seed keeps its disks (Retain).
        let retain = seed % 2 == 0;
        let first = format!(
            "apiVersion: v1\nkind: Node\nmetadata:\n  name: node-d\n  labels:\n    topology.kubernetes.io/zone: us-east-1a\n---\n{}{}",
            if retain { RETAIN_CLASS } else { "" },
            manifest_with_class(parallel, 1 + rng.below(4), retain.then_some("gp3-retain"))
        );
        let mut script = vec![format!("kubectl apply -f - <<EOF\n{first}EOF")];
        console.run("kubectl apply -f -", Some(&first));
        let mut seen = BTreeSet::new();
        let mut disks = Disks::default();
        for _ in 0..60 {
            let cmd = step(&mut rng);
            script.push(cmd.clone());
            let mut broken = None;
            if let Some(secs) = cmd.strip_prefix("sim advance ").and_then(|s| s.strip_suffix('s')) {
                // Let time pass checking after every reconcile pass, so a pod is judged at the
                // moment it is created.
                let ms = secs.parse::<u64>().unwrap_or(1) * 1000;
                console.cluster.run_until(ms, |c| {
                    if broken.is_none() {
                        broken = check(c, parallel, &mut seen, false)
                            .and_then(|()| check_storage(c, &mut disks))
                            .err();
                    }
                    broken.is_some()
                });
            } else {
                console.run(&cmd, None);
            }
            let broken = broken.or_else(|| {
                check(&console.cluster, parallel, &mut seen, true)
                    .and_then(|()| check_storage(&console.cluster, &mut disks))
                    .err()
            });
            if let Some(e) = broken {
                panic!(
                    "seed {seed}: invariant broken: {e}\nreplay with `stsim run -`:\n{}",
                    script.join("\n")
                );
            }
        }
    }
}

/// A Deployment, a DaemonSet and a PodDisruptionBudget, for the garbage to poke at.
const CONTRAST: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: d\n  template:\n    metadata:\n      labels:\n        app: d\n    spec:\n      containers:\n      - name: c\n        image: registry.k8s.io/nginx-slim:0.21\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels:\n      app: a\n  template:\n    metadata:\n      labels:\n        app: a\n    spec:\n      containers:\n      - name: c\n        image: registry.k8s.io/nginx-slim:0.21\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: pdb\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: nginx\n";

/// No input makes the engine panic: random words from kubectl's vocabulary, absurd numbers,
/// and random bytes as manifests all get an answer.
#[test]
fn console_never_panics_on_garbage() {
    const WORDS: &[&str] = &[
        "kubectl",
        "get",
        "describe",
        "apply",
        "delete",
        "scale",
        "patch",
        "exec",
        "rollout",
        "status",
        "undo",
        "history",
        "restart",
        "wait",
        "label",
        "annotate",
        "set",
        "image",
        "events",
        "logs",
        "cordon",
        "sts",
        "pods",
        "pod/web-0",
        "web",
        "web-0",
        "pvc",
        "pv",
        "all",
        "-o",
        "yaml",
        "json",
        "jsonpath={.items[*]}",
        "wide",
        "name",
        "-l",
        "app=x",
        "--replicas=-1",
        "--replicas=1e9",
        "--replicas=99999999999",
        "--replicas=3",
        "-f",
        "-",
        "--cascade=orphan",
        "--force",
        "--grace-period=0",
        "--",
        "sh",
        "-c",
        "echo hi > /x",
        "nslookup",
        "hostname",
        "-f",
        "sim",
        "advance",
        "settle",
        "crash",
        "evict",
        "unready",
        "'",
        "\"",
        "--for=delete",
        "--timeout=1s",
        "-p",
        "{\"spec\":null}",
        "--type=json",
        "[{\"op\":\"remove\",\"path\":\"/spec\"}]",
        "\u{0}",
        "ü",
        "--namespace",
        "kube-system",
        "=",
        "drain",
        "taint",
        "nodes",
        "node-a",
        "node-x",
        "node.kubernetes.io/out-of-service=nodeshutdown:NoExecute",
        "node.kubernetes.io/out-of-service-",
        "key=value:Bogus",
        ":NoSchedule",
        "-",
        "node-down",
        "node-up",
        "--ignore-daemonsets",
        "--delete-emptydir-data",
        "deploy",
        "deployment/web",
        "ds",
        "rs",
        "pdb",
        "|",
        "&&",
        "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"-5Gi\"}}}}",
        "{\"spec\":{\"minAvailable\":\"150%\",\"maxUnavailable\":null}}",
    ];
    let mut rng = XorShift(0x1234_5678_9abc_def1);
    let mut console = Console::new(Box::new(NoFiles));
    console.run("kubectl apply -f -", Some(&manifest(false, 2)));
    console.run("kubectl apply -f -", Some(CONTRAST));
    for _ in 0..3000 {
        let n = 1 + rng.below(6) as usize;
        let mut line: Vec<&str> = (0..n).map(|_| WORDS[rng.below(WORDS.len() as u64) as usize]).collect();
        // Most lines start as a learner's would, so the garbage reaches the commands.
        match rng.below(6) {
            0 => line.insert(0, "sim"),
            1 => {}
            _ => line.insert(0, "kubectl"),
        }
        let stdin: String = if rng.below(4) == 0 {
            (0..rng.below(200))
                .map(|_| char::from_u32(rng.below(0x250) as u32).unwrap_or(' '))
                .collect()
        } else if rng.below(3) == 0 {
            CONTRAST.replace(
                "maxUnavailable: 1",
                if rng.below(2) == 0 {
                    "maxUnavailable: 200%"
                } else {
                    "minAvailable: x"
                },
            )
        } else {
            manifest(rng.below(2) == 0, rng.below(4)).replace("replicas: 1", "replicas: -1")
        };
        let _ = console.run(&line.join(" "), Some(&stdin));
    }
}
