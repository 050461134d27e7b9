//! The kubelets of every node: they run the pods bound to their node and report status.
//! Upstream: `pkg/kubelet/kubelet.go` (`syncPod`), `kuberuntime/kuberuntime_container.go`,
//! `images/image_manager.go`, `prober/`, `status/status_manager.go`; event texts from
//! `pkg/kubelet/events/event.go` as v1.34 words them (`Created container: nginx`).
//!
//! Per pod bound to a node, per pass:
//! 1. a pod with a deletionTimestamp: `Killing` its containers, which stop after the app
//!    exits ([`timing::APP_STOP`]) or the grace period ends; then the pod object is removed;
//! 2. a new pod: status Pending, `ContainerCreating`, until its volumes are attached;
//! 3. images: `Pulling`/`Pulled` ([`timing::IMAGE_PULL`]) or `already present on machine`;
//!    a missing image gives `ErrImagePull`, then `ImagePullBackOff` with back-off;
//! 4. `Created`/`Started` after [`timing::CONTAINER_START`]: phase Running; a container whose
//!    environment names a ConfigMap or Secret that cannot be read is not created
//!    (`CreateContainerConfigError`, retried by the pod worker);
//! 5. readiness: Ready at start without a probe; with one, after `initialDelaySeconds` when the
//!    app answers (see `sim unready`), else `Unhealthy` each period;
//! 6. a crash (`sim crash`) restarts the container, with CrashLoopBackOff back-off for repeats.

use crate::api::meta;
use crate::api::pod;
use crate::api::resources::Kind;
use crate::clock::{self, Millis};
use crate::store::Key;
use crate::timing;
use crate::value::{Map, Value};
use crate::world::{Cluster, ContainerStage, KubeletSeen, MountRetry, PodRuntime};

/// Source of kubelet events.
pub const SOURCE: &str = crate::events::KUBELET;

pub fn reconcile(c: &mut Cluster) {
    // Like a kubelet's pod workers, visit only the pods that changed since their last visit or
    // whose next step is due; a settled pod costs one comparison per pass.
    let now = c.now;
    let mut visit = Vec::new();
    let mut gone = Vec::new();
    {
        let mut seen = c.kubelet_seen.iter().peekable();
        for (key, rv) in c.store.versions(Kind::Pod) {
            while let Some((k, _)) = seen.next_if(|(k, _)| *k < key) {
                gone.push(k.clone());
            }
            let quiet = seen
                .next_if(|(k, _)| *k == key)
                .is_some_and(|(_, s)| s.rv == rv && now < s.idle_until);
            if !quiet {
                visit.push(key.clone());
            }
        }
        gone.extend(seen.map(|(k, _)| k.clone()));
    }
    // Forget the runtimes of pods that are gone.
    for key in gone {
        if let Some(s) = c.kubelet_seen.remove(&key) {
            c.runtime.remove(&s.uid);
        }
    }
    for key in visit {
        if let Some(p) = c.store.get(&key).cloned() {
            if c.node_down(p.str_at("spec.nodeName")) {
                continue; // that kubelet is stopped: it sees nothing, so it forgets nothing
            }
            let idle = idle_until(c, &p);
            if now >= idle {
                let node = p.str_at("spec.nodeName").to_string();
                sync_pod(c, &key, &p, &node);
            } else {
                // Nothing was done: the pod is as it was read, and so is its idle time.
                remember(c, &key, Some(idle));
                continue;
            }
        }
        remember(c, &key, None);
    }
}

/// Note what a pod looked like at this visit, and until when it needs no other (`idle`, when
/// already known for the pod as it stands).
fn remember(c: &mut Cluster, key: &Key, idle: Option<Millis>) {
    let Some((p, rv)) = c.store.get_with_rv(key) else {
        c.kubelet_seen.remove(key);
        return;
    };
    let uid = meta::uid(p);
    let idle_until = idle.unwrap_or_else(|| idle_until(c, p));
    // One lookup of the pod's slot serves the check and the write.
    match c.kubelet_seen.entry(key.clone()) {
        std::collections::btree_map::Entry::Occupied(mut slot) => {
            let seen = slot.get_mut();
            seen.rv = rv;
            seen.idle_until = idle_until;
            if seen.uid != uid {
                // The same name, a new pod: the old one's containers are gone.
                let old_uid = std::mem::replace(&mut seen.uid, uid.to_string());
                c.runtime.remove(&old_uid);
            }
        }
        std::collections::btree_map::Entry::Vacant(slot) => {
            slot.insert(KubeletSeen {
                rv,
                idle_until,
                uid: uid.to_string(),
            });
        }
    }
}

/// Until when a kubelet has nothing to do for this pod (the current time when it has work now;
/// `Millis::MAX` when only a change to the pod can give it work). Checked on the borrowed pod,
/// so the common case, a running pod in a steady state, costs no copy.
fn idle_until(c: &Cluster, p: &Value) -> Millis {
    let now = c.now;
    if p.str_at("spec.nodeName").is_empty() || matches!(pod::phase(p), "Failed" | "Succeeded") {
        return Millis::MAX;
    }
    if meta::is_terminating(p) {
        return now;
    }
    let Some(rt) = c.runtime.get(meta::uid(p)) else {
        return now;
    };
    match rt.stage {
        ContainerStage::Pulling { until }
        | ContainerStage::Starting { until }
        | ContainerStage::CrashBackOff { until }
        | ContainerStage::PullBackOff { until, .. } => until.max(now),
        ContainerStage::ConfigError => rt.config_retry.max(now),
        ContainerStage::Running { .. } => {
            let has_probe = pod::containers(p).iter().any(|ct| ct.get("readinessProbe").is_some());
            if pod::containers(p).iter().any(|ct| config_error(ct).is_some()) {
                if has_probe {
                    rt.next_probe.min(rt.config_retry).max(now)
                } else {
                    rt.config_retry.max(now)
                }
            } else if has_probe {
                rt.next_probe.max(now)
            } else if pod::is_ready(p) {
                Millis::MAX
            } else {
                now
            }
        }
        ContainerStage::WaitingVolumes | ContainerStage::Stopping { .. } | ContainerStage::Stopped => now,
    }
}

fn container_names(p: &Value) -> Vec<String> {
    pod::containers(p)
        .iter()
        .map(|ct| ct.str_at("name").to_string())
        .collect()
}

fn sync_pod(c: &mut Cluster, key: &Key, p: &Value, node: &str) {
    let uid = meta::uid(p).to_string();
    let now = c.now;
    let phase = pod::phase(p).to_string();
    if phase == "Failed" || phase == "Succeeded" {
        return;
    }
    // 1. Termination.
    if meta::is_terminating(p) {
        terminate(c, key, p);
        return;
    }
    // 2. A new pod on this node. Its first status and, when its volumes are ready, its IP go
    // in one write, as the status manager sends one update per sync.
    if !c.runtime.contains_key(&uid) {
        c.runtime.insert(
            uid.clone(),
            PodRuntime {
                uid: uid.clone(),
                node: node.to_string(),
                stage: ContainerStage::WaitingVolumes,
                restarts: 0,
                crashes: 0,
                container_files: Default::default(),
                next_probe: 0,
                mount: MountRetry {
                    since: now,
                    ..MountRetry::default()
                },
                logs: Vec::new(),
                config_retry: 0,
            },
        );
        let host_ip = node_ip(c, node);
        let unmountable = unmountable(p);
        let ip = (volumes_ready(c, p) && unmountable.is_empty()).then(|| c.allocate_pod_ip(node));
        c.store.modify(key, |pod| {
            pod.set("status.hostIP", host_ip.as_str());
            pod.set("status.hostIPs", Value::list(vec![ip_entry(&host_ip)]));
            pod.set("status.startTime", clock::rfc3339(now));
            pod::set_conditions(
                pod,
                &[
                    ("PodReadyToStartContainers", false),
                    ("Initialized", true),
                    ("Ready", false),
                    ("ContainersReady", false),
                ],
                now,
            );
            set_container_statuses(pod, Waiting("ContainerCreating", None), 0, false);
            if let Some(ip) = &ip {
                sandbox_ready(pod, ip, now);
            }
        });
        if ip.is_some() {
            start_pull(c, key, p, node);
        } else if !unmountable.is_empty() {
            mount_failed(c, p, &uid, &unmountable);
        }
        return;
    }
    let Some(rt) = c.runtime.get(&uid).cloned() else {
        return;
    };
    match rt.stage {
        ContainerStage::WaitingVolumes => {
            let unmountable = unmountable(p);
            if !unmountable.is_empty() {
                mount_failed(c, p, &uid, &unmountable);
                return;
            }
            if !volumes_ready(c, p) {
                return;
            }
            let ip = c.allocate_pod_ip(node);
            c.store.modify(key, |pod| sandbox_ready(pod, &ip, now));
            start_pull(c, key, p, node);
        }
        ContainerStage::Pulling { until } => {
            if now < until {
                c.wake_at(until);
                return;
            }
            for ct in pod::containers(p) {
                let image = ct.str_at("image");
                c.images.insert(format!("{node}\0{image}"));
                pulled(c, p, image);
            }
            set_stage(
                c,
                &uid,
                ContainerStage::Starting {
                    until: now + timing::CONTAINER_START,
                },
            );
        }
        ContainerStage::PullBackOff { until, attempts } => {
            if now < until {
                c.wake_at(until);
                return;
            }
            let missing = missing_image(c, p);
            match missing {
                Some(image) => pull_failed(c, key, p, &uid, &image, attempts + 1),
                None => start_pull(c, key, p, node),
            }
        }
        ContainerStage::Starting { until } => {
            if now < until {
                c.wake_at(until);
                return;
            }
            let failing = config_errors(p);
            for (_, why) in &failing {
                c.event(p, Kind::Pod, false, "Failed", format!("Error: {why}"), SOURCE);
            }
            if !failing.is_empty() {
                if let Some(r) = c.runtime.get_mut(&uid) {
                    r.config_retry = now + timing::POD_WORKER_BACKOFF;
                }
                c.wake_periodic(now + timing::POD_WORKER_BACKOFF);
            }
            if failing.len() == pod::containers(p).len() {
                set_stage(c, &uid, ContainerStage::ConfigError);
                let restarts = rt.restarts;
                c.store
                    .modify(key, |pod| set_container_statuses(pod, Running(now), restarts, false));
                return;
            }
            for name in container_names(p) {
                if failing.iter().any(|(n, _)| *n == name) {
                    continue;
                }
                c.event(
                    p,
                    Kind::Pod,
                    true,
                    "Created",
                    format!("Created container: {name}"),
                    SOURCE,
                );
                c.event(
                    p,
                    Kind::Pod,
                    true,
                    "Started",
                    format!("Started container {name}"),
                    SOURCE,
                );
            }
            set_stage(c, &uid, ContainerStage::Running { since: now });
            if let Some(r) = c.runtime.get_mut(&uid) {
                r.next_probe = now + probe_initial_delay(p);
            }
            // Running, and the first readiness result when it is due now: one write.
            let restarts = rt.restarts;
            let ready = probe(c, p, &uid);
            c.store.modify(key, |pod| {
                pod.set("status.phase", "Running");
                match ready {
                    Some(ready) => set_readiness(pod, ready, now, restarts, now),
                    None => set_container_statuses(pod, Running(now), restarts, false),
                }
            });
            // An image whose entrypoint exits at once (see `images`): the container ends as it
            // starts, and the kubelet restarts it with back-off.
            if let Some(failure) = crate::images::start_failure(c, p) {
                if let Some(r) = c.runtime.get_mut(&uid) {
                    r.logs = vec![(failure.container, failure.logs)];
                }
                let _ = container_exited(c, key, failure.code);
            }
        }
        ContainerStage::ConfigError => retry_config(c, p, &uid, node),
        ContainerStage::Running { since } => {
            retry_config(c, p, &uid, node);
            if let Some(ready) = probe(c, p, &uid) {
                let restarts = rt.restarts;
                c.store
                    .modify(key, |pod| set_readiness(pod, ready, now, restarts, since));
            }
        }
        ContainerStage::CrashBackOff { until } => {
            if now < until {
                c.wake_at(until);
                return;
            }
            set_stage(
                c,
                &uid,
                ContainerStage::Starting {
                    until: now + timing::CONTAINER_START,
                },
            );
            c.wake_at(now + timing::CONTAINER_START);
        }
        ContainerStage::Stopping { .. } | ContainerStage::Stopped => {}
    }
}

/// Why the kubelet cannot make a container's environment, if it cannot
/// (kubelet_pods.go `makeEnvironmentVariables`: `envFrom` first, then `env`; a ConfigMap or
/// Secret that is not found stops it unless the reference is `optional`). The playground
/// serves no ConfigMap or Secret, so every other reference fails, as a missing one does.
fn config_error(ct: &Value) -> Option<String> {
    // A reference to one object: (the source, its ConfigMap field, its Secret field).
    let refs = |list: &str, cm: &'static str, secret: &'static str| {
        let sources: Vec<Value> = ct
            .get(list)
            .map(Value::as_list)
            .unwrap_or(&[])
            .iter()
            .map(|item| {
                if list == "env" {
                    item.get("valueFrom").cloned().unwrap_or_default()
                } else {
                    item.clone()
                }
            })
            .collect();
        sources.into_iter().map(move |s| (s, cm, secret))
    };
    refs("envFrom", "configMapRef", "secretRef")
        .chain(refs("env", "configMapKeyRef", "secretKeyRef"))
        .find_map(|(source, cm, secret)| {
            let (r, what) = match (source.get(cm), source.get(secret)) {
                (Some(r), _) => (r, "configmap"),
                (_, Some(r)) => (r, "secret"),
                _ => return None,
            };
            (r.get("optional").and_then(Value::as_bool) != Some(true))
                .then(|| format!("{what} \"{}\" not found", r.str_at("name")))
        })
}

/// The containers of `p` that cannot be created, with why (see [`config_error`]).
fn config_errors(p: &Value) -> Vec<(String, String)> {
    pod::containers(p)
        .iter()
        .filter_map(|ct| config_error(ct).map(|why| (ct.str_at("name").to_string(), why)))
        .collect()
}

/// The pod worker tries the containers it could not create again after an error
/// (pod_workers.go: `backOffPeriod`, 10 s; its jitter is not modelled): each try makes sure of
/// the image (`already present on machine`, or a pull for `imagePullPolicy: Always`) and fails
/// as before (kuberuntime_container.go `startContainer`: `Failed`, `Error: …`). No container
/// back-off applies: the container never ran. The tries are periodic work, so such a pod does
/// not keep `sim settle` from settling.
fn retry_config(c: &mut Cluster, p: &Value, uid: &str, node: &str) {
    let failing = config_errors(p);
    let Some(next) = c.runtime.get(uid).map(|r| r.config_retry) else {
        return;
    };
    if failing.is_empty() {
        return;
    }
    let now = c.now;
    if now < next {
        c.wake_periodic(next);
        return;
    }
    for ct in pod::containers(p) {
        let Some((_, why)) = failing.iter().find(|(n, _)| n == ct.str_at("name")) else {
            continue;
        };
        let image = ct.str_at("image");
        if ct.str_at("imagePullPolicy") == "Always" || !c.images.contains(&format!("{node}\0{image}")) {
            pulling(c, p, image);
            pulled(c, p, image);
        } else {
            already_present(c, p, image);
        }
        c.event(p, Kind::Pod, false, "Failed", format!("Error: {why}"), SOURCE);
    }
    let next = now + timing::POD_WORKER_BACKOFF;
    if let Some(r) = c.runtime.get_mut(uid) {
        r.config_retry = next;
    }
    c.wake_periodic(next);
}

/// Whether every claim of `p` is bound and its volume attached to the pod's node, or needs no
/// attach (volume_manager.go `WaitForAttachAndMount`: the attach/detach controller's work, as
/// the node's `volumesAttached` reports it).
fn volumes_ready(c: &Cluster, p: &Value) -> bool {
    let node = p.str_at("spec.nodeName");
    pod::claim_names(p).iter().all(|claim| {
        let Some(cl) = c.get(Kind::PersistentVolumeClaim, meta::namespace(p), claim) else {
            return false;
        };
        let pv_name = cl.str_at("spec.volumeName");
        if cl.str_at("status.phase") != "Bound" {
            return false;
        }
        let needs_attach = c
            .get(Kind::PersistentVolume, "", pv_name)
            .is_some_and(|pv| crate::api::volumes::pv_driver(pv) == "ebs.csi.aws.com");
        !needs_attach
            || c.volumes
                .attachments
                .get(pv_name)
                .is_some_and(|(n, at)| n == node && *at <= c.now)
    })
}

/// The configMap and secret volumes of `p` that cannot be mounted, with why: the playground
/// serves no ConfigMap or Secret, so a reference that is not `optional` never resolves
/// (pkg/volume/configmap and pkg/volume/secret `SetUpAt`: `configmap "NAME" not found`).
fn unmountable(p: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for v in p.at("spec.volumes").map(Value::as_list).unwrap_or(&[]) {
        let (source, what, name_field) = if let Some(cm) = v.get("configMap") {
            (cm, "configmap", "name")
        } else if let Some(secret) = v.get("secret") {
            (secret, "secret", "secretName")
        } else {
            continue;
        };
        if source.get("optional").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        out.push((
            v.str_at("name").to_string(),
            format!("{what} \"{}\" not found", source.str_at(name_field)),
        ));
    }
    out
}

/// A failed mount: `FailedMount` for each volume, retried with the operation executor's
/// exponential back-off (500 ms, doubling, at most 2m2s: nestedpendingoperations.go); every
/// 2m3s the pod's sync gives up waiting (`podAttachAndMountTimeout`, volume_manager.go
/// `WaitForAttachAndMount`) and says which volumes are missing. Retries are periodic: a pod
/// that can never mount does not keep `sim settle` from settling.
fn mount_failed(c: &mut Cluster, p: &Value, uid: &str, unmountable: &[(String, String)]) {
    const TIMEOUT: Millis = 123_000;
    let now = c.now;
    let Some(mut retry) = c.runtime.get(uid).map(|r| r.mount) else {
        return;
    };
    if now >= retry.next {
        for (volume, why) in unmountable {
            let message = format!("MountVolume.SetUp failed for volume \"{volume}\" : {why}");
            c.event(p, Kind::Pod, false, "FailedMount", message, SOURCE);
        }
        retry.attempts += 1;
        retry.next = now + (500u64 << (retry.attempts - 1).min(10)).min(122_000);
    }
    let due = (now - retry.since) / TIMEOUT;
    if due > retry.timeouts {
        let mut names: Vec<&str> = unmountable.iter().map(|(v, _)| v.as_str()).collect();
        crate::sort::natural(&mut names);
        let message = format!(
            "Unable to attach or mount volumes: unmounted volumes=[{}], unattached volumes=[], failed to process volumes=[]: timed out waiting for the condition",
            names.join(" ")
        );
        c.event(p, Kind::Pod, false, "FailedMount", message, SOURCE);
        retry.timeouts = due;
    }
    c.wake_periodic(retry.next.min(retry.since + (retry.timeouts + 1) * TIMEOUT));
    if let Some(r) = c.runtime.get_mut(uid) {
        r.mount = retry;
    }
}

fn set_stage(c: &mut Cluster, uid: &str, stage: ContainerStage) {
    if let ContainerStage::Starting { until } | ContainerStage::Pulling { until } = stage {
        c.wake_at(until);
    }
    if let Some(r) = c.runtime.get_mut(uid) {
        r.stage = stage;
    }
}

/// The pod sandbox is up: `PodReadyToStartContainers` and the pod IP.
fn sandbox_ready(pod: &mut Value, ip: &str, now: Millis) {
    pod::set_condition(pod, "PodReadyToStartContainers", true, now);
    pod.set("status.podIP", ip);
    pod.set("status.podIPs", Value::list(vec![ip_entry(ip)]));
}

/// A readiness result: the Ready and ContainersReady conditions and the containers' `ready`.
fn set_readiness(pod: &mut Value, ready: bool, now: Millis, restarts: u32, since: Millis) {
    let ready = ready && pod::containers(pod).iter().all(|ct| config_error(ct).is_none());
    pod::set_conditions(pod, &[("ContainersReady", ready), ("Ready", ready)], now);
    set_container_statuses(pod, Running(since), restarts, ready);
}

fn ip_entry(ip: &str) -> Value {
    let mut v = Value::map();
    v.set("ip", ip);
    v
}

fn node_ip(c: &Cluster, node: &str) -> String {
    c.get(Kind::Node, "", node)
        .and_then(|n| {
            n.at("status.addresses")
                .map(Value::as_list)
                .unwrap_or(&[])
                .iter()
                .find(|a| a.str_at("type") == "InternalIP")
                .map(|a| a.str_at("address").to_string())
        })
        .unwrap_or_default()
}

/// The first image of the pod the registry does not have.
fn missing_image(c: &Cluster, p: &Value) -> Option<String> {
    pod::containers(p)
        .iter()
        .map(|ct| ct.str_at("image").to_string())
        .find(|image| image.contains("does-not-exist") || c.faults.missing_images.contains(image))
}

fn start_pull(c: &mut Cluster, key: &Key, p: &Value, node: &str) {
    let uid = meta::uid(p).to_string();
    if let Some(image) = missing_image(c, p) {
        pull_failed(c, key, p, &uid, &image, 1);
        return;
    }
    let mut need_pull = false;
    for ct in pod::containers(p) {
        let image = ct.str_at("image");
        let present = c.images.contains(&format!("{node}\0{image}"));
        if present && ct.str_at("imagePullPolicy") != "Always" {
            already_present(c, p, image);
        } else {
            need_pull = true;
            pulling(c, p, image);
        }
    }
    let now = c.now;
    if need_pull {
        set_stage(
            c,
            &uid,
            ContainerStage::Pulling {
                until: now + timing::IMAGE_PULL,
            },
        );
    } else {
        set_stage(
            c,
            &uid,
            ContainerStage::Starting {
                until: now + timing::CONTAINER_START,
            },
        );
    }
}

/// The kubelet's `Pulled` event for an image it pulled.
fn pulled(c: &mut Cluster, p: &Value, image: &str) {
    let secs = timing::IMAGE_PULL as f64 / 1000.0;
    let size = crate::images::size(image);
    c.event(
        p,
        Kind::Pod,
        true,
        "Pulled",
        format!(
            "Successfully pulled image \"{image}\" in {secs}s ({secs}s including waiting). Image size: {size} bytes."
        ),
        SOURCE,
    );
}

/// The kubelet's `Pulled` event for an image the node has (image_manager.go `EnsureImageExists`).
fn already_present(c: &mut Cluster, p: &Value, image: &str) {
    c.event(
        p,
        Kind::Pod,
        true,
        "Pulled",
        format!("Container image \"{image}\" already present on machine"),
        SOURCE,
    );
}

/// The kubelet's `Pulling` event.
fn pulling(c: &mut Cluster, p: &Value, image: &str) {
    c.event(
        p,
        Kind::Pod,
        true,
        "Pulling",
        format!("Pulling image \"{image}\""),
        SOURCE,
    );
}

/// A pull attempt of an image the registry does not have: `Pulling`, then the failure events
/// and the back-off.
fn pull_failed(c: &mut Cluster, key: &Key, p: &Value, uid: &str, image: &str, attempts: u32) {
    pulling(c, p, image);
    let reference = if image.contains('/') {
        image.to_string()
    } else {
        format!("docker.io/library/{image}")
    };
    c.event(
        p,
        Kind::Pod,
        false,
        "Failed",
        format!("Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{reference}\": failed to resolve reference \"{reference}\": {reference}: not found"),
        SOURCE,
    );
    c.event(p, Kind::Pod, false, "Failed", "Error: ErrImagePull".into(), SOURCE);
    let backoff = (timing::PULL_BACKOFF_START << attempts.saturating_sub(1).min(5)).min(timing::CRASH_BACKOFF_MAX);
    let until = c.now + backoff;
    set_stage(c, uid, ContainerStage::PullBackOff { until, attempts });
    c.wake_at(until);
    c.store.modify(key, |pod| {
        set_container_statuses(pod, Waiting("ErrImagePull", None), 0, false)
    });
    // The kubelet reports ImagePullBackOff while it waits; model the switch a moment later.
    let image = image.to_string();
    c.store.modify(key, |pod| {
        set_container_statuses(
            pod,
            Waiting("ImagePullBackOff", Some(format!("Back-off pulling image \"{image}\""))),
            0,
            false,
        )
    });
    c.event(
        p,
        Kind::Pod,
        true,
        "BackOff",
        format!("Back-off pulling image \"{image}\""),
        SOURCE,
    );
    c.event(p, Kind::Pod, false, "Failed", "Error: ImagePullBackOff".into(), SOURCE);
}

fn probe_initial_delay(p: &Value) -> Millis {
    pod::containers(p)
        .iter()
        .filter_map(|ct| ct.at("readinessProbe.initialDelaySeconds").and_then(Value::as_i64))
        .max()
        .map_or(0, |s| u64::try_from(s).unwrap_or(0) * 1000)
}

fn probe_period(p: &Value) -> Millis {
    pod::containers(p)
        .iter()
        .filter_map(|ct| ct.at("readinessProbe.periodSeconds").and_then(Value::as_i64))
        .min()
        .map_or(10_000, |s| u64::try_from(s.max(1)).unwrap_or(10) * 1000)
}

/// What a failing readiness probe reports, by probe type (prober/prober.go wording).
fn probe_failure(p: &Value) -> Option<String> {
    let ct = pod::containers(p)
        .iter()
        .find(|ct| ct.get("readinessProbe").is_some())?;
    let probe = ct.get("readinessProbe")?;
    let ip = p.str_at("status.podIP");
    Some(if probe.get("httpGet").is_some() {
        "HTTP probe failed with statuscode: 503".to_string()
    } else if let Some(port) = probe.at("tcpSocket.port") {
        format!(
            "dial tcp {ip}:{}: connect: connection refused",
            port.as_i64()
                .map_or_else(|| port.as_str().unwrap_or("").to_string(), |i| i.to_string())
        )
    } else {
        String::new()
    })
}

/// Readiness: without a probe the pod is Ready once started; with one, the probe runs after its
/// initial delay and every period, and passes unless the app is marked unready. Returns the
/// result when a probe ran (None when none is due), for the caller to write.
fn probe(c: &mut Cluster, p: &Value, uid: &str) -> Option<bool> {
    let next_probe = c.runtime.get(uid)?.next_probe;
    let now = c.now;
    let has_probe = pod::containers(p).iter().any(|ct| ct.get("readinessProbe").is_some());
    let app_ready = !c.faults.unready.contains(meta::name(p));
    if has_probe && now < next_probe {
        c.wake_periodic(next_probe);
        return None;
    }
    // A probe whose port cannot be resolved errors on every run and counts as a failure
    // (prober.go `probe`: "%s probe errored and resulted in %s state: %s").
    let unresolvable = pod::containers(p)
        .iter()
        .find_map(|ct| pod::unresolvable_probe_port(ct, "readinessProbe"));
    let ready = if has_probe {
        app_ready && unresolvable.is_none()
    } else {
        true
    };
    if has_probe {
        let period = probe_period(p);
        if let Some(r) = c.runtime.get_mut(uid) {
            r.next_probe = now + period;
        }
        c.wake_periodic(now + period);
        if let Some((_, name)) = unresolvable {
            c.event(
                p,
                Kind::Pod,
                false,
                "Unhealthy",
                format!("Readiness probe errored and resulted in unknown state: strconv.Atoi: parsing \"{name}\": invalid syntax"),
                SOURCE,
            );
        } else if !ready {
            if let Some(msg) = probe_failure(p) {
                c.event(
                    p,
                    Kind::Pod,
                    false,
                    "Unhealthy",
                    format!("Readiness probe failed: {msg}"),
                    SOURCE,
                );
            }
        }
    }
    Some(ready)
}

/// Graceful termination: `Killing`, then the containers stop, then the pod object goes.
fn terminate(c: &mut Cluster, key: &Key, p: &Value) {
    let uid = meta::uid(p).to_string();
    let now = c.now;
    let deadline = clock::parse_rfc3339(p.str_at("metadata.deletionTimestamp")).unwrap_or(now);
    let stage = c.runtime.get(&uid).map(|r| r.stage.clone());
    match stage {
        None | Some(ContainerStage::WaitingVolumes) | Some(ContainerStage::Stopped) => {
            // Nothing running: the kubelet deletes the pod object at once.
            c.store.remove(key);
            c.runtime.remove(&uid);
        }
        Some(ContainerStage::Stopping { until }) => {
            if now >= until || now >= deadline {
                c.store.remove(key);
                c.runtime.remove(&uid);
            } else {
                c.wake_at(until.min(deadline));
            }
        }
        Some(_) => {
            for name in container_names(p) {
                c.event(
                    p,
                    Kind::Pod,
                    true,
                    "Killing",
                    format!("Stopping container {name}"),
                    SOURCE,
                );
            }
            let ignores_sigterm = pod::containers(p).iter().any(|ct| {
                ct.get("command")
                    .map(Value::as_list)
                    .unwrap_or(&[])
                    .iter()
                    .chain(ct.get("args").map(Value::as_list).unwrap_or(&[]))
                    .any(|a| a.as_str().is_some_and(|s| s.starts_with("sleep")))
            });
            let until = if ignores_sigterm {
                deadline
            } else {
                (now + timing::APP_STOP).min(deadline)
            };
            set_stage(c, &uid, ContainerStage::Stopping { until });
            c.wake_at(until);
            // A terminating pod is no longer Ready (the endpoints drop it).
            c.store.modify(key, |pod| {
                pod::set_conditions(pod, &[("Ready", false), ("ContainersReady", false)], now);
            });
        }
    }
}

/// `sim crash POD`: the container exits with code 1; the kubelet restarts it, backing off.
pub fn crash(c: &mut Cluster, key: &Key) -> Result<(), String> {
    container_exited(c, key, 1)
}

/// The main process of the pod's container exits with `code`. The pod's restartPolicy decides
/// (kuberuntime `computePodActions`, `shouldRestartOnFailure`; the phase from `getPhase` in
/// kubelet_pods.go): `Always` restarts it (backing off when it keeps exiting), `OnFailure`
/// restarts it unless it exited 0, `Never` leaves it terminated: the pod is `Succeeded` after
/// exit 0 and `Failed` otherwise.
pub fn container_exited(c: &mut Cluster, key: &Key, code: i64) -> Result<(), String> {
    let Some(p) = c.store.get(key).cloned() else {
        return Err(format!("Error from server (NotFound): pods \"{}\" not found", key.name));
    };
    let uid = meta::uid(&p).to_string();
    let Some(rt) = c.runtime.get(&uid).cloned() else {
        return Err(format!(
            "error: pod {} has no running container to crash (it is {})",
            key.name,
            pod::phase(&p)
        ));
    };
    if !matches!(rt.stage, ContainerStage::Running { .. }) {
        return Err(format!("error: pod {} has no running container to crash", key.name));
    }
    let now = c.now;
    let restart = match p.str_at("spec.restartPolicy") {
        "Never" => false,
        "OnFailure" => code != 0,
        _ => true,
    };
    if !restart {
        let (phase, reason) = if code == 0 {
            ("Succeeded", "Completed")
        } else {
            ("Failed", "Error")
        };
        let started = match rt.stage {
            ContainerStage::Running { since } => since,
            _ => now,
        };
        if let Some(r) = c.runtime.get_mut(&uid) {
            r.stage = ContainerStage::Stopped;
        }
        c.store.modify(key, |pod| {
            pod.set("status.phase", phase);
            pod::set_conditions(pod, &[("Ready", false), ("ContainersReady", false)], now);
            let mut term = Value::map();
            term.set("exitCode", code);
            term.set("reason", reason);
            term.set("startedAt", clock::rfc3339(started));
            term.set("finishedAt", clock::rfc3339(now));
            set_container_statuses(pod, Terminated(term), rt.restarts, false);
        });
        return Ok(());
    }
    let started = match rt.stage {
        ContainerStage::Running { since } => since,
        _ => now,
    };
    let reason = if code == 0 { "Completed" } else { "Error" };
    let crashes = rt.crashes + 1;
    // The first restart is immediate; repeats back off 10 s, 20 s, 40 s … 5 min.
    let backoff = if crashes <= 1 {
        0
    } else {
        (timing::CRASH_BACKOFF_START << (crashes - 2).min(5)).min(timing::CRASH_BACKOFF_MAX)
    };
    let restarts = rt.restarts + 1;
    if let Some(r) = c.runtime.get_mut(&uid) {
        r.crashes = crashes;
        r.restarts = restarts;
        r.container_files.clear();
        r.stage = ContainerStage::CrashBackOff { until: now + backoff };
    }
    c.wake_at(now + backoff);
    let name = container_names(&p).first().cloned().unwrap_or_default();
    let pod_ref = format!("{}_{}({uid})", meta::name(&p), meta::namespace(&p));
    c.store.modify(key, |pod| {
        pod::set_conditions(pod, &[("ContainersReady", false), ("Ready", false)], now);
        if backoff > 0 {
            let message = format!(
                "back-off {}s restarting failed container={name} pod={pod_ref}",
                backoff / 1000
            );
            set_container_statuses(pod, Waiting("CrashLoopBackOff", Some(message)), restarts, false);
        } else {
            // Restarted at once: until it runs again the status shows how it exited.
            let mut term = Value::map();
            term.set("exitCode", code);
            term.set("reason", reason);
            term.set("startedAt", clock::rfc3339(started));
            term.set("finishedAt", clock::rfc3339(now));
            set_container_statuses(pod, Terminated(term), restarts, false);
        }
        if let Some(statuses) = pod.at_mut("status.containerStatuses").and_then(Value::list_mut) {
            for s in statuses {
                let mut term = Value::map();
                term.set("exitCode", code);
                term.set("reason", reason);
                term.set("startedAt", clock::rfc3339(started));
                term.set("finishedAt", clock::rfc3339(now));
                s.set("lastState.terminated", term);
            }
        }
    });
    if backoff > 0 {
        c.event(
            &p,
            Kind::Pod,
            false,
            "BackOff",
            format!("Back-off restarting failed container {name} in pod {pod_ref}"),
            SOURCE,
        );
    }
    Ok(())
}

/// `sim evict POD`: node-pressure eviction by the kubelet: phase Failed, reason Evicted.
pub fn evict(c: &mut Cluster, key: &Key) -> Result<(), String> {
    let Some(p) = c.store.get(key).cloned() else {
        return Err(format!("Error from server (NotFound): pods \"{}\" not found", key.name));
    };
    if p.str_at("spec.nodeName").is_empty() {
        return Err(format!(
            "error: pod {} is not running on a node, so a kubelet cannot evict it",
            key.name
        ));
    }
    let now = c.now;
    c.event(
        &p,
        Kind::Pod,
        false,
        "Evicted",
        "The node was low on resource: memory. Threshold quantity: 100Mi, available: 92168Ki. ".into(),
        SOURCE,
    );
    for name in container_names(&p) {
        c.event(
            &p,
            Kind::Pod,
            true,
            "Killing",
            format!("Stopping container {name}"),
            SOURCE,
        );
    }
    c.runtime.remove(meta::uid(&p));
    c.store.modify(key, |pod| {
        pod.set("status.phase", "Failed");
        pod.set("status.reason", "Evicted");
        pod.set(
            "status.message",
            "The node was low on resource: memory. Threshold quantity: 100Mi, available: 92168Ki. ",
        );
        pod::set_conditions(
            pod,
            &[("Ready", false), ("ContainersReady", false), ("DisruptionTarget", true)],
            now,
        );
        let mut term = Value::map();
        term.set("exitCode", 137i64);
        term.set("reason", "ContainerStatusUnknown");
        set_container_statuses(pod, Terminated(term), 0, false);
    });
    Ok(())
}

enum State {
    Waiting(&'static str, Option<String>),
    Running(Millis),
    Terminated(Value),
}
use State::{Running, Terminated, Waiting};

/// Write `status.containerStatuses` for every container in one state. `probes_pass` is the
/// readiness probes' result: a running container without a readiness probe is ready as soon as
/// it runs, so in a pod with a probed and an
/// unprobed container a failing probe gives READY 1/2, not 0/2 (prober_manager.go
/// `UpdatePodStatus`: `ready = !exists // no readinessProbe -> always ready`).
fn set_container_statuses(pod: &mut Value, state: State, restarts: u32, probes_pass: bool) {
    // Built with `Map::insert` (keys are kept sorted), not dotted-path sets: this runs at every
    // container state change of every pod.
    let str_value = |s: &str| Value::Str(s.into());
    let previous = pod.at("status.containerStatuses").cloned().unwrap_or_default();
    let uid = meta::uid(pod);
    let statuses: Vec<Value> = pod::containers(pod)
        .iter()
        .map(|ct| {
            let name = ct.str_at("name");
            let image = ct.str_at("image");
            let mut s = Map::new();
            s.insert("name", str_value(name));
            s.insert("image", str_value(image));
            s.insert("imageID", str_value(""));
            // A container that could not be created waits, whatever its pod's others do.
            let not_created = matches!(state, Running(_))
                .then(|| config_error(ct))
                .flatten()
                .map(|why| Waiting("CreateContainerConfigError", Some(why)));
            let state = not_created.as_ref().unwrap_or(&state);
            let ready = matches!(state, Running(_)) && (probes_pass || ct.get("readinessProbe").is_none());
            s.insert("ready", Value::Bool(ready));
            s.insert("restartCount", Value::Int(i64::from(restarts)));
            let mut st = Map::new();
            match state {
                Waiting(reason, message) => {
                    let mut waiting = Map::new();
                    waiting.insert("reason", str_value(reason));
                    if let Some(m) = message {
                        waiting.insert("message", str_value(m));
                    }
                    st.insert("waiting", Value::from_map(waiting));
                    s.insert("started", Value::Bool(false));
                }
                Running(since) => {
                    let mut running = Map::new();
                    running.insert("startedAt", Value::Str(clock::rfc3339(*since).into()));
                    st.insert("running", Value::from_map(running));
                    s.insert("started", Value::Bool(true));
                    s.insert(
                        "containerID",
                        Value::Str(
                            format!("containerd://{}", crate::rng::digest(&format!("{uid}{name}{since}"))).into(),
                        ),
                    );
                    let repo = image
                        .rsplit_once(':')
                        .filter(|(_, tag)| !tag.contains('/'))
                        .map_or(image, |(r, _)| r);
                    s.insert(
                        "imageID",
                        Value::Str(format!("{repo}@sha256:{}", crate::rng::digest(image)).into()),
                    );
                }
                Terminated(term) => {
                    st.insert("terminated", term.clone());
                    s.insert("started", Value::Bool(false));
                }
            }
            s.insert("state", Value::from_map(st));
            let last = previous
                .as_list()
                .iter()
                .find(|p| p.str_at("name") == name)
                .and_then(|p| p.get("lastState"))
                .cloned()
                .unwrap_or_else(Value::map);
            s.insert("lastState", last);
            Value::from_map(s)
        })
        .collect();
    pod.set("status.containerStatuses", Value::list(statuses));
}
