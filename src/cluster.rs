//! The simulated cluster: one store, one clock, one seeded RNG, the node-side state the
//! controllers cannot see through the API (containers, images, files), and the loop that runs
//! the controllers in a fixed order.
//!
//! One pass of [`Cluster::reconcile_pass`] runs, in this order (the design's order):
//! 1. StatefulSet controller (`controllers::statefulset`), then the Deployment and ReplicaSet
//!    controllers of the contrast workloads (`controllers::workloads`)
//! 2. PV binder and provisioner, then reclaim, attach/detach and expansion
//!    (`controllers::volumes`): before the scheduler, so a new claim is seen
//!    (`WaitForFirstConsumer`) before the scheduler picks its node
//! 3. scheduler (`controllers::scheduler`)
//! 4. kubelet (`controllers::kubelet`)
//! 5. endpoints (`controllers::endpoints`)
//! 6. garbage collector and pvc-protection (`controllers::gc`)
//! 7. node lifecycle, taint-based eviction and the pod GC's out-of-service rule
//!    (`controllers::nodes`)
//! 8. disruption controller: PodDisruptionBudget status (`controllers::disruption`)
//!
//! Passes repeat at one instant until nothing changes (bounded), then time moves to the next
//! timer a controller asked for. Controllers are level-triggered: they read the store and act;
//! none is told why it runs.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::resources::Kind;
use crate::clock::Millis;
use crate::controllers;
use crate::rng::Rng;
use crate::store::{Key, Store};
use crate::timing;
use crate::value::Value;

/// Node-side state of one container (what the container runtime knows).
#[derive(Debug, Clone, PartialEq)]
pub enum ContainerStage {
    /// Waiting for volumes to attach and mount.
    WaitingVolumes,
    /// Pulling the image until the given time.
    Pulling { until: Millis },
    /// Image pull failed; back off until the given time.
    PullBackOff { until: Millis, attempts: u32 },
    /// Creating and starting until the given time.
    Starting { until: Millis },
    /// Running since the given time.
    Running { since: Millis },
    /// No container could be created: each names a ConfigMap or Secret that cannot be read
    /// (`CreateContainerConfigError`); retried at [`PodRuntime::config_retry`].
    ConfigError,
    /// Exited; restarting after back-off at the given time.
    CrashBackOff { until: Millis },
    /// Stopping after SIGTERM until the given time.
    Stopping { until: Millis },
    /// Exited for good (the pod is going away).
    Stopped,
}

/// Where a file on a volume is kept in [`Cluster::volume_files`]: the PV's name, a NUL, the
/// path on the volume.
pub fn volume_file_key(pv: &str, path: &str) -> String {
    format!("{pv}\0{path}")
}

/// Node-side state of one pod.
#[derive(Debug, Clone, PartialEq)]
pub struct PodRuntime {
    pub uid: String,
    pub node: String,
    pub stage: ContainerStage,
    pub restarts: u32,
    /// Consecutive crashes, for the back-off.
    pub crashes: u32,
    /// Files written in the container (lost on restart), path → content.
    pub container_files: BTreeMap<String, String>,
    /// The last readiness probe result reported (to emit `Unhealthy` once per period).
    pub next_probe: Millis,
    /// Volumes that cannot be mounted: since when, how many attempts failed, the next one.
    pub mount: MountRetry,
    /// What a container's last run printed (container name, text), for `kubectl logs`.
    pub logs: Vec<(String, String)>,
    /// When the pod worker next tries the containers it could not create (see
    /// [`ContainerStage::ConfigError`]).
    pub config_retry: Millis,
}

/// The kubelet's retries of a volume it cannot mount (nestedpendingoperations back-off).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MountRetry {
    pub since: Millis,
    pub attempts: u32,
    pub next: Millis,
    /// How many times the pod's sync gave up waiting.
    pub timeouts: u64,
}

/// Things a real cluster does on its own, switched by `sim` verbs.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Pod names whose app fails its readiness probe (kept across recreation).
    pub unready: BTreeSet<String>,
    /// Images the registry does not have.
    pub missing_images: BTreeSet<String>,
}

/// The whole simulated cluster.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub now: Millis,
    pub store: Store,
    pub rng: Rng,
    timers: BTreeSet<Millis>,
    /// Periodic timers (probes, resyncs, retries): they may or may not lead to a change, so
    /// `settle` looks ahead through them instead of waiting for them.
    periodic: BTreeSet<Millis>,
    /// Container runtime state per pod uid.
    pub runtime: BTreeMap<String, PodRuntime>,
    /// Images present on nodes, as `<node>\0<image>` (one set rather than a map of sets: one
    /// collection type fewer in the browser bundle).
    pub images: BTreeSet<String>,
    /// Files on volumes, keyed by [`volume_file_key`] (PV name and path), so a volume's files
    /// sort together; one flat map rather than a map of maps: one collection type fewer in the
    /// browser bundle. Volumes outlive pods.
    pub volume_files: BTreeMap<String, String>,
    pub faults: Faults,
    /// Per-object retry times after a failed controller sync, and the back-off that led there
    /// (two maps of one type the bundle already has, rather than a map of pairs).
    pub retry_after: BTreeMap<String, Millis>,
    pub retry_delay: BTreeMap<String, Millis>,
    /// Next pod IP host part per node.
    pub next_ip: BTreeMap<String, u64>,
    /// Cloud-side volume state: provisioning in progress and attachments.
    pub volumes: VolumeState,
    /// StatefulSet controller: (watched version, time) after each set's last sync that changed
    /// nothing, to skip a sync when nothing changed since.
    pub sync_memo: BTreeMap<Key, (u64, Millis)>,
    /// StatefulSet controller: (watched version, time) after each set's last failed sync (the
    /// back-off holds while nothing changes).
    pub sync_failed: BTreeMap<Key, (u64, Millis)>,
    /// StatefulSet controller: set uid → (update revision name, the generation it was made for);
    /// the attachments' map type, so the bundle has one map type fewer.
    pub revision_memo: BTreeMap<String, (String, Millis)>,
    /// Other controllers: the versions of the kinds they watch (and the time) at their last
    /// pass that changed nothing, to skip a pass that would do the same nothing again.
    pub pass_memo: NameMap<(u64, Millis)>,
    /// The controller running now (its timers are noted as its own).
    pub running: Option<&'static str>,
    /// Each controller's own timers: a timed controller's memo holds until one of them is due.
    pub owned_timers: NameMap<BTreeSet<Millis>>,
    /// Nodes whose kubelet is stopped (`sim node-down`), with the time it stopped.
    pub down_nodes: BTreeMap<String, Millis>,
    /// Kubelet: each pod as of its last visit (see `controllers::kubelet::reconcile`).
    pub kubelet_seen: BTreeMap<Key, KubeletSeen>,
    /// Endpoints controller: a fingerprint of what each Endpoints object was last built from
    /// (and 0: the StatefulSet memos' map type, so the bundle has one map type fewer).
    pub endpoints_seen: BTreeMap<Key, (u64, u64)>,
}

/// What the kubelet saw of a pod at its last visit.
#[derive(Debug, Clone, PartialEq)]
pub struct KubeletSeen {
    /// The pod's resourceVersion then.
    pub rv: u64,
    /// Until when the pod needs no visit unless it changes.
    pub idle_until: Millis,
    pub uid: String,
}

/// What the cloud and the attach/detach controller know about volumes.
#[derive(Debug, Clone, Default)]
pub struct VolumeState {
    /// Claim uid → when its provisioning finishes.
    pub provisioning: BTreeMap<String, Millis>,
    /// PV name → (node, attached from this time on).
    pub attachments: BTreeMap<String, (String, Millis)>,
    /// `<PV name>\0<pod uid>` of the attachments whose `SuccessfulAttachVolume` was recorded.
    pub attach_reported: std::collections::BTreeSet<String>,
    /// `<PV name>\0<pod uid>` of the Multi-Attach `FailedAttachVolume` events recorded.
    pub multi_attach_reported: std::collections::BTreeSet<String>,
    /// PV name → since when no pod uses it while it stays attached to an unhealthy node.
    pub unused_since: BTreeMap<String, Millis>,
    /// Claim uid → when the external resizer's cloud-side expansion finishes (or, after a
    /// failed attempt, when it retries).
    pub resizing: BTreeMap<String, Millis>,
    /// Claim uid → failed resize attempts in a row (the resizer's back-off).
    pub resize_failures: BTreeMap<String, u64>,
    /// Pod uid → the node the scheduler chose for it while its `WaitForFirstConsumer` claims
    /// are provisioned (the pod is bound there once they are bound).
    pub assumed: BTreeMap<String, String>,
    /// PV name → when its EBS volume was last modified (AWS allows one modification per volume
    /// every 6 hours).
    pub modified: BTreeMap<String, Millis>,
}

/// A small map keyed by controller names (string literals), looked up on every pass: a
/// literal is found by its address, without comparing text, and by its text otherwise.
#[derive(Debug, Clone)]
pub struct NameMap<V> {
    entries: Vec<(&'static str, V)>,
}

impl<V> Default for NameMap<V> {
    fn default() -> Self {
        NameMap { entries: Vec::new() }
    }
}

impl<V: Default> NameMap<V> {
    fn index(&self, name: &str) -> Option<usize> {
        let same = |k: &str| std::ptr::eq(k, name);
        self.entries
            .iter()
            .position(|(k, _)| same(k))
            .or_else(|| self.entries.iter().position(|(k, _)| *k == name))
    }

    pub fn get(&self, name: &str) -> Option<&V> {
        self.index(name).map(|i| &self.entries[i].1)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut V> {
        self.index(name).map(|i| &mut self.entries[i].1)
    }

    pub fn insert(&mut self, name: &'static str, value: V) {
        match self.index(name) {
            Some(i) => self.entries[i].1 = value,
            None => self.entries.push((name, value)),
        }
    }

    /// The value for `name`, made (default) when missing.
    pub fn entry(&mut self, name: &'static str) -> &mut V {
        let i = match self.index(name) {
            Some(i) => i,
            None => {
                self.entries.push((name, V::default()));
                self.entries.len() - 1
            }
        };
        &mut self.entries[i].1
    }

    pub fn remove(&mut self, name: &str) {
        if let Some(i) = self.index(name) {
            self.entries.swap_remove(i);
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// Which changes of a pod wake a controller that watches pods (see
/// [`Cluster::unless_unchanged`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodWatch {
    /// Every write, status included.
    Status,
    /// Spec, metadata and phase ([`Store::spec_version`]).
    Spec,
    /// Those, and the pod's readiness and IP.
    Addresses,
}

/// The seed of a fresh cluster (any seed gives a valid, reproducible run).
pub const DEFAULT_SEED: u64 = 0x5747_4C53;

/// The nodes of the default cluster: name, zone, internal IP.
pub const DEFAULT_NODES: [(&str, &str, &str); 3] = [
    ("node-a", "us-east-1a", "10.0.1.10"),
    ("node-b", "us-east-1b", "10.0.2.10"),
    ("node-c", "us-east-1c", "10.0.3.10"),
];

impl Default for Cluster {
    fn default() -> Self {
        Cluster::new(DEFAULT_SEED)
    }
}

impl Cluster {
    /// The default cluster of the design: three nodes in three zones, namespace `default`,
    /// the `gp3` (default) and `efs-sc` StorageClasses, cluster DNS at 10.96.0.10.
    pub fn new(seed: u64) -> Cluster {
        let mut c = Cluster {
            now: 0,
            store: Store::default(),
            rng: Rng::new(seed),
            timers: BTreeSet::new(),
            periodic: BTreeSet::new(),
            runtime: BTreeMap::new(),
            images: BTreeSet::new(),
            volume_files: BTreeMap::new(),
            faults: Faults::default(),
            retry_after: BTreeMap::new(),
            retry_delay: BTreeMap::new(),
            next_ip: BTreeMap::new(),
            volumes: VolumeState::default(),
            sync_memo: BTreeMap::new(),
            sync_failed: BTreeMap::new(),
            revision_memo: BTreeMap::new(),
            pass_memo: NameMap::default(),
            running: None,
            owned_timers: NameMap::default(),
            kubelet_seen: BTreeMap::new(),
            endpoints_seen: BTreeMap::new(),
            down_nodes: BTreeMap::new(),
        };
        for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
            let mut obj = Value::map();
            obj.set("metadata.name", ns);
            fix_dotted_label(&mut obj, ns);
            obj.set("spec.finalizers", Value::list(vec!["kubernetes".into()]));
            obj.set("status.phase", "Active");
            c.create_system(Kind::Namespace, obj);
        }
        for (name, zone, ip) in DEFAULT_NODES {
            c.create_system(Kind::Node, default_node(name, zone, ip));
        }
        c.create_system(Kind::StorageClass, storage_class_gp3());
        c.create_system(Kind::StorageClass, storage_class_efs());
        let mut kubernetes = Value::map();
        kubernetes.set("metadata.name", "kubernetes");
        kubernetes.set("metadata.namespace", "default");
        kubernetes.set("metadata.labels.component", "apiserver");
        kubernetes.set("metadata.labels.provider", "kubernetes");
        kubernetes.set("spec.clusterIP", "10.96.0.1");
        kubernetes.set("spec.clusterIPs", Value::list(vec!["10.96.0.1".into()]));
        kubernetes.set("spec.type", "ClusterIP");
        kubernetes.set("spec.sessionAffinity", "None");
        kubernetes.set("spec.ports", Value::list(vec![port_value("https", 443, 6443)]));
        c.create_system(Kind::Service, kubernetes);
        let mut dns = Value::map();
        dns.set("metadata.name", "kube-dns");
        dns.set("metadata.namespace", "kube-system");
        dns.set("metadata.labels.k8s-app", "kube-dns");
        dns.set("spec.clusterIP", crate::dns::CLUSTER_DNS_IP);
        dns.set("spec.clusterIPs", Value::list(vec![crate::dns::CLUSTER_DNS_IP.into()]));
        dns.set("spec.type", "ClusterIP");
        dns.set("spec.sessionAffinity", "None");
        dns.set("spec.selector.k8s-app", "kube-dns");
        dns.set("spec.ports", Value::list(vec![port_value("dns", 53, 53)]));
        c.create_system(Kind::Service, dns);
        c.store.clear_events();
        c
    }

    fn create_system(&mut self, kind: Kind, obj: Value) {
        // The default objects are valid by construction; a failure is a programmer error.
        self.store
            .create(kind, obj, self.now, &mut self.rng)
            .expect("default cluster objects are unique");
    }

    /// Ask for a reconcile pass at time `at` (a controller's requeue-after).
    pub fn wake_at(&mut self, at: Millis) {
        if at > self.now {
            self.timers.insert(at);
            self.own_timer(at);
        }
    }

    fn own_timer(&mut self, at: Millis) {
        if let Some(owner) = self.running {
            self.owned_timers.entry(owner).insert(at);
        }
    }

    /// The latest of `owner`'s timers that is due (0 when none), forgetting older ones.
    pub fn owned_due(&mut self, owner: &str) -> Millis {
        let now = self.now;
        let Some(set) = self.owned_timers.get_mut(owner) else {
            return 0;
        };
        let due = set.range(..=now).next_back().copied().unwrap_or(0);
        // Forget the older ones only when there are any: this runs on every pass.
        if set.first().is_some_and(|first| *first < due) {
            *set = set.split_off(&due);
        }
        due
    }

    /// Ask for a periodic pass at time `at` (a probe period, a resync, a retry back-off).
    pub fn wake_periodic(&mut self, at: Millis) {
        if at > self.now {
            self.periodic.insert(at);
            self.own_timer(at);
        }
    }

    /// The next time a controller asked to run, if any (work or periodic).
    pub fn next_timer(&self) -> Option<Millis> {
        let work = self.timers.iter().copied().find(|t| *t > self.now);
        let periodic = self.periodic.iter().copied().find(|t| *t > self.now);
        match (work, periodic) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The next work timer (something is known to be about to happen).
    fn next_work_timer(&self) -> Option<Millis> {
        self.timers.iter().copied().find(|t| *t > self.now)
    }

    /// Move the clock to `t` and drop the timers at or before it.
    fn jump_to(&mut self, t: Millis) {
        self.now = t;
        // The scheduler's event recorder writes its series on its own tickers.
        self.store.tick_events(t);
        self.store.set_now(t);
        self.timers = self.timers.split_off(&(t + 1));
        self.periodic = self.periodic.split_off(&(t + 1));
    }

    /// A fingerprint of the store: changes whenever any object changes.
    fn fingerprint(&self) -> (u64, usize) {
        (self.store.resource_version(), self.runtime.len())
    }

    /// Run every controller once, in the fixed order of the module docs.
    pub fn reconcile_pass(&mut self) {
        let outer = self.running.replace(controllers::statefulset::CONTROLLER);
        controllers::statefulset::reconcile(self);
        self.running = outer;
        self.unless_unchanged(
            "workloads",
            &[
                Kind::Deployment,
                Kind::ReplicaSet,
                Kind::DaemonSet,
                Kind::Pod,
                Kind::Node,
            ],
            PodWatch::Status,
            true,
            controllers::workloads::reconcile,
        );
        let binding = [Kind::PersistentVolumeClaim, Kind::PersistentVolume, Kind::StorageClass];
        self.unless_unchanged(
            "binder",
            &binding,
            PodWatch::Spec,
            true,
            controllers::volumes::reconcile_binding,
        );
        let storage = [
            Kind::PersistentVolumeClaim,
            Kind::PersistentVolume,
            Kind::StorageClass,
            Kind::Pod,
            Kind::Node,
        ];
        self.unless_unchanged(
            "volumes",
            &storage,
            PodWatch::Spec,
            true,
            controllers::volumes::reconcile_volumes,
        );
        let scheduling = [
            Kind::Pod,
            Kind::Node,
            Kind::PersistentVolumeClaim,
            Kind::PersistentVolume,
            Kind::StorageClass,
        ];
        self.unless_unchanged(
            "scheduler",
            &scheduling,
            PodWatch::Spec,
            true,
            controllers::scheduler::reconcile,
        );
        controllers::kubelet::reconcile(self);
        self.unless_unchanged(
            "endpoints",
            &[Kind::Service, Kind::Pod, Kind::Endpoints],
            PodWatch::Addresses,
            false,
            controllers::endpoints::reconcile,
        );
        let owned = [
            Kind::StatefulSet,
            Kind::Deployment,
            Kind::ReplicaSet,
            Kind::DaemonSet,
            Kind::Pod,
            Kind::PersistentVolumeClaim,
            Kind::ControllerRevision,
            Kind::PersistentVolume,
        ];
        self.unless_unchanged("gc", &owned, PodWatch::Spec, false, controllers::gc::reconcile);
        // `sim node-down|up` changes no object: the console forgets this memo then.
        self.unless_unchanged(
            "nodes",
            &[Kind::Node, Kind::Pod],
            PodWatch::Spec,
            true,
            controllers::nodes::reconcile,
        );
        self.unless_unchanged(
            "disruption",
            &[Kind::PodDisruptionBudget, Kind::Pod, Kind::StatefulSet],
            PodWatch::Status,
            false,
            controllers::disruption::reconcile,
        );
    }

    /// Run passes at the current instant until nothing changes (at most 200 passes: a
    /// controller that never settles is a bug, and the bound keeps the page responsive).
    pub fn settle_instant(&mut self) {
        for _ in 0..200 {
            let before = self.fingerprint();
            self.reconcile_pass();
            if self.fingerprint() == before {
                return;
            }
        }
    }

    /// Let `duration` of simulated time pass, running controllers at every timer on the way.
    pub fn advance(&mut self, duration: Millis) {
        let target = self.now.saturating_add(duration);
        self.settle_instant();
        // Bounded: every step moves time forward to a timer or to the target.
        for _ in 0..100_000 {
            match self.next_timer() {
                Some(t) if t <= target => {
                    self.jump_to(t);
                    self.settle_instant();
                }
                _ => break,
            }
        }
        self.jump_to(target);
        self.settle_instant();
    }

    /// Let time pass until no controller has work due within [`timing::SETTLE_HORIZON`].
    ///
    /// Work timers (a pull finishing, a grace period ending) are followed. When only periodic
    /// timers remain (probes, resyncs, retries), the cluster is run ahead on a copy through the
    /// horizon: if nothing changes, it is settled and the clock stays where the last change
    /// left it; if something changes (a retry that succeeds), time really moves on to it.
    /// Returns the time that passed, or an error when it gave up after [`timing::SETTLE_LIMIT`].
    pub fn settle(&mut self) -> Result<Millis, Millis> {
        let start = self.now;
        self.settle_instant();
        for _ in 0..100_000 {
            if self.now - start > timing::SETTLE_LIMIT {
                return Err(self.now - start);
            }
            match self.next_work_timer() {
                Some(w) if w <= self.now + timing::SETTLE_HORIZON => {
                    // Everything due up to the work timer, periodic ones included, in order.
                    let t = self.next_timer().unwrap_or(w).min(w);
                    self.jump_to(t);
                    self.settle_instant();
                }
                _ => {
                    // Only periodic timers: look ahead on a copy.
                    let mut ahead = self.clone();
                    let quiet = ahead.fingerprint();
                    let horizon = self.now + timing::SETTLE_HORIZON;
                    let mut changed_at = None;
                    while let Some(t) = ahead.next_timer().filter(|t| *t <= horizon) {
                        ahead.jump_to(t);
                        ahead.settle_instant();
                        if ahead.fingerprint() != quiet {
                            changed_at = Some(t);
                            break;
                        }
                    }
                    match changed_at {
                        None => return Ok(self.now - start),
                        Some(_) => *self = ahead,
                    }
                }
            }
        }
        Err(self.now - start)
    }

    /// Advance until `done` holds or `timeout` passes; returns whether it held. `done` is
    /// checked after every reconcile pass, so a watcher sees each intermediate state, as a
    /// `kubectl ... --watch` would. Used by the blocking kubectl commands.
    pub fn run_until(&mut self, timeout: Millis, mut done: impl FnMut(&Cluster) -> bool) -> bool {
        let deadline = self.now.saturating_add(timeout);
        if done(self) {
            return true;
        }
        for _ in 0..100_000 {
            // Passes at this instant, checking after each.
            for _ in 0..200 {
                let before = self.fingerprint();
                self.reconcile_pass();
                if done(self) {
                    return true;
                }
                if self.fingerprint() == before {
                    break;
                }
            }
            match self.next_timer() {
                Some(t) if t <= deadline => self.jump_to(t),
                _ => {
                    self.jump_to(deadline);
                    self.settle_instant();
                    return done(self);
                }
            }
        }
        done(self)
    }

    /// An object by kind, namespace and name.
    pub fn get(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Value> {
        self.store.find(kind, namespace, name)
    }

    /// Record an event on `obj` at the current time.
    pub fn event(&mut self, obj: &Value, kind: Kind, normal: bool, reason: &str, message: String, source: &str) {
        let now = self.now;
        self.store.record(
            obj,
            kind,
            if normal { "Normal" } else { "Warning" },
            reason,
            message,
            source,
            now,
        );
    }

    /// A fresh pod IP on `node` (10.244.<n>.<k>, node n's pod CIDR, addresses handed out in turn).
    pub fn allocate_pod_ip(&mut self, node: &str) -> String {
        // The node's pod CIDR, 10.244.<n>.0/24.
        let index = self
            .get(Kind::Node, "", node)
            .and_then(|n| {
                n.str_at("spec.podCIDR")
                    .split('.')
                    .nth(2)
                    .and_then(|x| x.parse::<u32>().ok())
            })
            .unwrap_or(10);
        let next = self.next_ip.entry(node.to_string()).or_insert(2);
        let host = *next;
        *next = if *next >= 254 { 2 } else { *next + 1 };
        format!("10.244.{index}.{host}")
    }

    /// Run `pass` unless nothing it watches changed since its last pass that changed nothing
    /// (at the same instant, when `timed`). Controllers stay level-triggered; this only skips
    /// passes whose answer is known. Pods change status all the time: `pods` says which of a
    /// pod's changes count (see [`PodWatch`]).
    pub fn unless_unchanged(
        &mut self,
        name: &'static str,
        watched: &[Kind],
        pods: PodWatch,
        timed: bool,
        pass: impl FnOnce(&mut Cluster),
    ) {
        let version = |c: &Cluster| {
            watched
                .iter()
                .map(|k| match (*k, pods) {
                    (Kind::Pod, PodWatch::Spec) => c.store.spec_version(*k),
                    (Kind::Pod, PodWatch::Addresses) => c.store.spec_version(*k).max(c.store.address_version(*k)),
                    _ => c.store.kind_version(*k),
                })
                .max()
                .unwrap_or(0)
        };
        // A timed controller also runs when one of its own timers is due.
        let due = if timed { self.owned_due(name) } else { 0 };
        let stamp = (version(self), due);
        if self.pass_memo.get(name) == Some(&stamp) {
            return;
        }
        let timers = (self.timers.len(), self.periodic.len());
        let outer = self.running.replace(name);
        pass(self);
        self.running = outer;
        if version(self) == stamp.0 && timers == (self.timers.len(), self.periodic.len()) {
            self.pass_memo.insert(name, stamp);
        } else {
            self.pass_memo.remove(name);
        }
    }

    /// Whether a controller's retry for `key` is due (after a failed sync it backs off).
    pub fn retry_due(&self, key: &str) -> bool {
        self.retry_after.get(key).is_none_or(|at| *at <= self.now)
    }

    /// Note a failed sync of `key`: the next retry waits, doubling each time.
    pub fn retry_later(&mut self, key: &str) {
        let delay = self
            .retry_delay
            .get(key)
            .map_or(timing::RETRY_START, |d| (*d * 2).min(timing::RETRY_MAX));
        let at = self.now + delay;
        self.retry_after.insert(key.to_string(), at);
        self.retry_delay.insert(key.to_string(), delay);
        self.wake_periodic(at);
    }

    /// A sync of `key` succeeded: forget its back-off.
    pub fn retry_reset(&mut self, key: &str) {
        self.retry_after.remove(key);
        self.retry_delay.remove(key);
    }

    /// `key` needs no more resyncs (its object is done): forget its retry, and the periodic
    /// wake-up it asked for unless something else still waits for that instant. A stale
    /// wake-up would only make `settle` look ahead through an instant where nothing happens.
    pub fn retry_cancel(&mut self, key: &str) {
        self.retry_delay.remove(key);
        let Some(at) = self.retry_after.remove(key) else {
            return;
        };
        let wanted = self.retry_after.values().any(|t| *t == at)
            || self.owned_timers.entries.iter().any(|(owner, set)| {
                set.contains(&at) && self.running.is_none_or(|running| !std::ptr::eq(*owner, running))
            });
        if !wanted {
            self.periodic.remove(&at);
            if let Some(owner) = self.running {
                if let Some(set) = self.owned_timers.get_mut(owner) {
                    set.remove(&at);
                }
            }
        }
    }
}

fn fix_dotted_label(obj: &mut Value, ns: &str) {
    // Label keys contain dots, which the dotted-path helpers would split: set it directly.
    obj.remove("metadata.labels");
    let mut labels = crate::value::Map::new();
    labels.insert("kubernetes.io/metadata.name", Value::Str(ns.into()));
    obj.set("metadata.labels", Value::from_map(labels));
}

fn port_value(name: &str, port: i64, target: i64) -> Value {
    let mut p = Value::map();
    p.set("name", name);
    p.set("port", port);
    p.set("protocol", if name == "dns" { "UDP" } else { "TCP" });
    p.set("targetPort", target);
    p
}

fn string_map(pairs: &[(&str, &str)]) -> Value {
    Value::from_map(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Value::Str((*v).into())))
            .collect(),
    )
}

/// A Ready worker node as the default cluster has them (4 CPU, 16Gi, 110 pods).
pub fn default_node(name: &str, zone: &str, ip: &str) -> Value {
    let mut n = Value::map();
    n.set("metadata.name", name);
    n.set(
        "metadata.labels",
        string_map(&[
            ("beta.kubernetes.io/arch", "amd64"),
            ("beta.kubernetes.io/os", "linux"),
            ("kubernetes.io/arch", "amd64"),
            ("kubernetes.io/hostname", name),
            ("kubernetes.io/os", "linux"),
            ("node.kubernetes.io/instance-type", "m5.xlarge"),
            ("topology.ebs.csi.aws.com/zone", zone),
            ("topology.kubernetes.io/region", "us-east-1"),
            ("topology.kubernetes.io/zone", zone),
        ]),
    );
    let cidr = format!("10.244.{}.0/24", node_index(name));
    n.set("spec.podCIDRs", Value::list(vec![cidr.as_str().into()]));
    n.set("spec.podCIDR", cidr);
    n.set(
        "spec.providerID",
        format!(
            "aws:///{zone}/i-0{}",
            &format!("{:016x}", crate::rng::fnv32a(name.as_bytes()))[..16]
        ),
    );
    let resources = string_map(&[
        ("cpu", "4"),
        ("ephemeral-storage", "20Gi"),
        ("memory", "16Gi"),
        ("pods", "110"),
    ]);
    n.set("status.capacity", resources.clone());
    n.set("status.allocatable", resources);
    n.set(
        "status.addresses",
        Value::list(vec![
            {
                let mut a = Value::map();
                a.set("address", ip);
                a.set("type", "InternalIP");
                a
            },
            {
                let mut a = Value::map();
                a.set("address", name);
                a.set("type", "Hostname");
                a
            },
        ]),
    );
    // The conditions the kubelet posts when it registers, in its setters' order.
    let conditions = crate::controllers::nodes::KUBELET_CONDITIONS
        .iter()
        .map(|(kind, status, reason, message)| {
            let mut cond = Value::map();
            cond.set("lastHeartbeatTime", crate::clock::rfc3339(0));
            cond.set("lastTransitionTime", crate::clock::rfc3339(0));
            cond.set("message", *message);
            cond.set("reason", *reason);
            cond.set("status", *status);
            cond.set("type", *kind);
            cond
        })
        .collect();
    n.set("status.conditions", Value::list(conditions));
    n.set(
        "status.nodeInfo.kubeletVersion",
        crate::version::KUBERNETES_SERVER_VERSION,
    );
    n.set("status.nodeInfo.containerRuntimeVersion", "containerd://2.1.4");
    n.set("status.nodeInfo.osImage", "Amazon Linux 2023.8.20250818");
    n.set("status.nodeInfo.kernelVersion", "6.1.147-172.266.amzn2023.x86_64");
    n.set("status.nodeInfo.operatingSystem", "linux");
    n.set("status.nodeInfo.architecture", "amd64");
    // The machine's ids (cadvisor MachineInfo): stable per node name, like the other ids.
    let id = |what: &str| crate::rng::digest(&format!("{name}/{what}"));
    let uuid = |hex: String| {
        format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    };
    n.set("status.nodeInfo.machineID", &id("machine-id")[..32]);
    n.set(
        "status.nodeInfo.systemUUID",
        uuid(format!("ec2{}", &id("system-uuid")[3..])),
    );
    n.set("status.nodeInfo.bootID", uuid(id("boot-id")));
    n
}

fn node_index(name: &str) -> usize {
    DEFAULT_NODES
        .iter()
        .position(|(n, _, _)| *n == name)
        .map_or(10, |i| i + 1)
}

/// The `gp3` StorageClass of the default cluster (EKS-like, the default class).
pub fn storage_class_gp3() -> Value {
    let mut sc = Value::map();
    sc.set("metadata.name", "gp3");
    sc.set(
        "metadata.annotations",
        string_map(&[("storageclass.kubernetes.io/is-default-class", "true")]),
    );
    sc.set("provisioner", "ebs.csi.aws.com");
    sc.set("parameters.type", "gp3");
    sc.set("reclaimPolicy", "Delete");
    sc.set("volumeBindingMode", "WaitForFirstConsumer");
    sc.set("allowVolumeExpansion", true);
    sc
}

/// The `efs-sc` StorageClass of the default cluster (regional, ReadWriteMany).
pub fn storage_class_efs() -> Value {
    let mut sc = Value::map();
    sc.set("metadata.name", "efs-sc");
    sc.set("provisioner", "efs.csi.aws.com");
    sc.set("parameters.provisioningMode", "efs-ap");
    sc.set("parameters.fileSystemId", "fs-0a1b2c3d4e5f67890");
    sc.set("parameters.directoryPerms", "700");
    sc.set("reclaimPolicy", "Delete");
    sc.set("volumeBindingMode", "Immediate");
    sc
}
