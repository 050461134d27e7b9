//! The simulated world: one store, one clock, one seeded RNG, and the node-side state the
//! controllers cannot see through the API (containers, images, files, attachments). The world
//! holds state and answers questions about it; the default cluster is built in
//! [`crate::default_cluster`], the faults a learner injects are in [`crate::faults`], and the
//! loop that runs the controllers in [`crate::sim`].

use std::collections::{BTreeMap, BTreeSet};

use crate::api::resources::Kind;
use crate::clock::Millis;
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
    pub(crate) timers: BTreeSet<Millis>,
    /// Periodic timers (probes, resyncs, retries): they may or may not lead to a change, so
    /// `settle` looks ahead through them instead of waiting for them.
    pub(crate) periodic: BTreeSet<Millis>,
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

impl Cluster {
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

    /// Whether the node's kubelet is stopped (`sim node-down`).
    pub fn node_down(&self, node: &str) -> bool {
        self.down_nodes.contains_key(node)
    }

    /// When the node's kubelet stopped, if it is stopped.
    pub fn node_down_since(&self, node: &str) -> Option<Millis> {
        self.down_nodes.get(node).copied()
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
