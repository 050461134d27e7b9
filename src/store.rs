//! The object store: what etcd and the API server's generic registry do for the simulator.
//! Objects are kept as [`Value`]s in an ordered map (deterministic iteration); the store gives
//! each object its uid, resourceVersion, generation and creationTimestamp.

use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use crate::api::resources::{Kind, KINDS};
use crate::api::{meta, pod};
use crate::clock::{self, Millis};
use crate::rng::Rng;
use crate::value::Value;

/// Where an object lives: kind, namespace (empty for cluster-scoped kinds) and name. The names
/// are shared, so the controllers' copies of the keys they walk copy no text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub kind: Kind,
    pub namespace: Rc<str>,
    pub name: Rc<str>,
}

impl Key {
    pub fn new(kind: Kind, namespace: &str, name: &str) -> Key {
        let namespace = if kind.info().namespaced { namespace } else { "" };
        Key {
            kind,
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    /// The key of a stored object.
    pub fn of(kind: Kind, obj: &Value) -> Key {
        Key::new(kind, meta::namespace(obj), meta::name(obj))
    }
}

/// An error from the simulated API server, printed as kubectl prints it.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    NotFound {
        kind: Kind,
        name: String,
    },
    AlreadyExists {
        kind: Kind,
        name: String,
    },
    /// Validation failed; each cause is `path: Type: detail`.
    Invalid {
        kind: Kind,
        name: String,
        causes: Vec<String>,
    },
    /// A forbidden request, e.g. a resize the StorageClass does not allow.
    Forbidden {
        kind: Kind,
        name: String,
        message: String,
    },
    /// Anything else, already worded.
    Other(String),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::NotFound { kind, name } => write!(
                f,
                "Error from server (NotFound): {} \"{name}\" not found",
                kind.plural_qualified()
            ),
            ApiError::AlreadyExists { kind, name } => write!(
                f,
                "Error from server (AlreadyExists): {} \"{name}\" already exists",
                kind.plural_qualified()
            ),
            // kubectl's checkErr for an Invalid status (cmd/util/helpers.go): the causes
            // without repeats (statusCausesToAggrError), one alone on the line, several as
            // MultilineError prints them: one `* cause` line each.
            ApiError::Invalid { kind, name, causes } => {
                let mut unique: Vec<&str> = Vec::new();
                for c in causes {
                    if !unique.contains(&c.as_str()) {
                        unique.push(c);
                    }
                }
                write!(f, "The {} \"{name}\" is invalid: ", kind.info().name)?;
                match unique.as_slice() {
                    [one] => f.write_str(one),
                    many => {
                        for c in many {
                            write!(f, "\n* {c}")?;
                        }
                        Ok(())
                    }
                }
            }
            ApiError::Forbidden { kind, name, message } => write!(
                f,
                "Error from server (Forbidden): {} \"{name}\" is forbidden: {message}",
                kind.plural_qualified()
            ),
            ApiError::Other(text) => f.write_str(text),
        }
    }
}

pub use crate::events::Event;

/// The store of every object in the simulated cluster.
#[derive(Debug, Clone, Default)]
pub struct Store {
    /// Per kind (indexed by `Kind`): namespace → name → object, so a kind or a namespace is
    /// walked without searching, and a lookup compares names only.
    objects: Vec<Space>,
    resource_version: u64,
    /// The resourceVersion of the last change to an object of each kind (indexed by `Kind`).
    kind_versions: [u64; KINDS],
    /// The same, not counting writes of `status` alone (the kubelet's and the controllers'
    /// status updates), except a pod's phase: controllers that do not read status wait on it.
    spec_versions: [u64; KINDS],
    /// The same, counting only writes that change an object's [`Facts`] (or create or remove
    /// one): what the StatefulSet sync reads of pods.
    facts_versions: [u64; KINDS],
    /// The same, counting only writes that change a pod's readiness or IP (`Facts::ready`,
    /// `Facts::ip`): what the endpoints controller reads of pods' status.
    address_versions: [u64; KINDS],
    /// The same, counting only writes that change an object's metadata (labels, annotations,
    /// owner references, finalizers, deletion), and creations and removals.
    meta_versions: [u64; KINDS],
    /// The Events and the recorders' state. Shared copy-on-write: the settle look-ahead copies
    /// the cluster, and rarely records any.
    events: Rc<crate::events::Recorder>,
    /// The writes to watched kinds, for `kubectl get --watch` (copy-on-write, as the events).
    journal: Rc<Journal>,
}

/// What a watch sees of one write (the API server's watch event types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeType {
    Added,
    Modified,
    Deleted,
}

/// One write to an object of a watched kind: the object after it (before it, for a removal)
/// and when it happened.
#[derive(Debug, Clone)]
pub struct Change {
    pub kind: Kind,
    pub change: ChangeType,
    pub value: Value,
    pub at: Millis,
}

/// The writes watches have not read yet. Bounded: past [`JOURNAL_MAX`] changes the oldest
/// half goes (a watch that far behind misses them).
#[derive(Debug, Clone, Default)]
struct Journal {
    /// How many watches follow each kind (indexed by `Kind`): only those kinds are recorded.
    watchers: [u32; KINDS],
    changes: Vec<Change>,
    /// The position of `changes[0]` since the cluster started.
    first: u64,
    /// The cluster's time, for the changes' `at`.
    now: Millis,
}

/// The most changes the journal keeps.
pub const JOURNAL_MAX: usize = 10_000;

/// An object and the resourceVersion of its last write, as a number (controllers compare it to
/// skip objects that did not change since they last looked, as an informer's cache would).
#[derive(Debug, Clone)]
struct Stored {
    key: Key,
    value: Value,
    rv: u64,
    facts: Rc<Facts>,
}

/// The objects of one kind: namespace → name → object.
type Space = BTreeMap<Rc<str>, BTreeMap<Rc<str>, Stored>>;

/// What controllers read of an object on every pass, worked out once per write instead of on
/// every read (an informer's indexers play this part upstream).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// The uid in the `controller: true` owner reference (empty when none).
    pub controller_uid: Rc<str>,
    /// `metadata.deletionTimestamp` is set.
    pub terminating: bool,
    /// Pods: `isRunningAndReady`.
    pub running_and_ready: bool,
    /// Pods: when the Ready condition last became true.
    pub ready_since: Option<Millis>,
    /// Pods: the `controller-revision-hash` label.
    pub revision: Rc<str>,
    /// Pods: the Ready condition is true (`IsPodReady`).
    pub ready: bool,
    /// Pods: `status.podIP`.
    pub ip: Value,
    /// Pods: the phase as the StatefulSet controller tells phases apart.
    pub phase: PhaseClass,
    /// A hash of `metadata.ownerReferences` (0 without any).
    pub owners: u64,
}

/// A pod's phase as far as a controller that creates pods cares: waiting to run, done for
/// good, or anything else (running, unknown).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PhaseClass {
    #[default]
    Other,
    Pending,
    /// `Failed` or `Succeeded`.
    Terminal,
}

impl Facts {
    /// The facts of `obj`. `kept` are those of the version it replaces when its metadata is
    /// the same (shared) map: only the readiness facts, read from status, are worked out again.
    fn of(kind: Kind, obj: &Value, kept: Option<&Facts>) -> Facts {
        let pod = kind == Kind::Pod;
        let (ready, ready_since) = if pod {
            (pod::is_ready(obj), pod::ready_since(obj))
        } else {
            (false, None)
        };
        let phase_text = if pod { pod::phase(obj) } else { "" };
        let running_and_ready = ready && phase_text == "Running";
        let phase = match phase_text {
            "Pending" => PhaseClass::Pending,
            "Failed" | "Succeeded" => PhaseClass::Terminal,
            _ => PhaseClass::Other,
        };
        let ip = if pod {
            obj.at("status.podIP").cloned().unwrap_or_default()
        } else {
            Value::Null
        };
        if let Some(f) = kept {
            return Facts {
                running_and_ready,
                ready_since,
                ready,
                ip,
                phase,
                ..f.clone()
            };
        }
        let refs = meta::owner_refs(obj);
        let owners = if refs.is_empty() {
            0
        } else {
            let mut h = crate::rng::Fingerprint::default();
            refs.iter().for_each(|r| r.feed(&mut h));
            h.finish()
        };
        Facts {
            owners,
            controller_uid: meta::controller_ref(obj)
                .map(|r| r.str_at("uid").into())
                .unwrap_or_else(|| "".into()),
            terminating: meta::is_terminating(obj),
            running_and_ready,
            ready_since,
            revision: if pod {
                obj.at("metadata.labels")
                    .and_then(|l| l.get("controller-revision-hash"))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .into()
            } else {
                "".into()
            },
            ready,
            ip,
            phase,
        }
    }

    /// Pods: `isRunningAndAvailable` at `now` (see [`pod::availability`]).
    pub fn availability(&self, min_ready_seconds: i64, now: Millis) -> (bool, Option<Millis>) {
        pod::availability(self.running_and_ready, self.ready_since, min_ready_seconds, now)
    }
}

impl Store {
    /// The last resourceVersion handed out: it changes whenever any object changes.
    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }

    fn stored(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Stored> {
        let namespace = if kind.info().namespaced { namespace } else { "" };
        self.objects.get(kind as usize)?.get(namespace)?.get(name)
    }

    fn stored_mut(&mut self, key: &Key) -> Option<&mut Stored> {
        self.objects
            .get_mut(key.kind as usize)?
            .get_mut(&*key.namespace)?
            .get_mut(&*key.name)
    }

    pub fn get(&self, key: &Key) -> Option<&Value> {
        self.stored(key.kind, &key.namespace, &key.name).map(|s| &s.value)
    }

    /// An object by kind, namespace (ignored for cluster-scoped kinds) and name, without
    /// building a [`Key`].
    pub fn find(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Value> {
        self.stored(kind, namespace, name).map(|s| &s.value)
    }

    /// An object with the resourceVersion of its last write (one lookup for both).
    pub fn get_with_rv(&self, key: &Key) -> Option<(&Value, u64)> {
        self.stored(key.kind, &key.namespace, &key.name)
            .map(|s| (&s.value, s.rv))
    }

    /// The resourceVersion of an object's last write.
    pub fn rv(&self, key: &Key) -> Option<u64> {
        self.stored(key.kind, &key.namespace, &key.name).map(|s| s.rv)
    }

    /// Every object of a kind (in a namespace, or all when None) with its [`Facts`], in name order.
    pub fn list_facts<'a>(
        &'a self,
        kind: Kind,
        namespace: Option<&'a str>,
    ) -> impl Iterator<Item = (&'a Value, &'a Rc<Facts>)> {
        self.all(kind, namespace).map(|s| (&s.value, &s.facts))
    }

    /// The [`Facts`] of an object.
    pub fn facts(&self, key: &Key) -> Option<&Rc<Facts>> {
        self.stored(key.kind, &key.namespace, &key.name).map(|s| &s.facts)
    }

    /// Every object of a kind with the resourceVersion of its last write, in key order.
    pub fn versions(&self, kind: Kind) -> impl Iterator<Item = (&Key, u64)> {
        self.all(kind, None).map(|s| (&s.key, s.rv))
    }

    /// Every object of a kind (in a namespace, or all namespaces when `namespace` is None),
    /// in name order.
    pub fn list(&self, kind: Kind, namespace: Option<&str>) -> Vec<&Value> {
        self.all(kind, namespace).map(|s| &s.value).collect()
    }

    /// The keys of every object of a kind.
    pub fn keys(&self, kind: Kind) -> Vec<Key> {
        self.all(kind, None).map(|s| s.key.clone()).collect()
    }

    /// The objects of `kind` (in `namespace`, or in all), in key order.
    fn all<'a>(&'a self, kind: Kind, namespace: Option<&str>) -> impl Iterator<Item = &'a Stored> {
        let space = self.objects.get(kind as usize);
        let one = namespace.filter(|_| kind.info().namespaced);
        let spaces: Box<dyn Iterator<Item = &'a BTreeMap<Rc<str>, Stored>>> = match (space, one) {
            (None, _) => Box::new(std::iter::empty()),
            (Some(space), Some(ns)) => Box::new(space.get(ns).into_iter()),
            (Some(space), None) => Box::new(space.values()),
        };
        spaces.flat_map(|names| names.values())
    }

    fn insert(&mut self, stored: Stored) {
        if self.objects.len() < KINDS {
            self.objects.resize_with(KINDS, BTreeMap::new);
        }
        let key = &stored.key;
        self.objects[key.kind as usize]
            .entry(key.namespace.clone())
            .or_default()
            .insert(key.name.clone(), stored);
    }

    fn next_rv(&mut self) -> String {
        self.resource_version += 1;
        self.resource_version.to_string()
    }

    /// The resourceVersion of the last change (create, update, removal) to an object of `kind`:
    /// controllers use it to skip work when nothing they watch changed.
    pub fn kind_version(&self, kind: Kind) -> u64 {
        self.kind_versions[kind as usize]
    }

    /// [`Store::kind_version`], not counting status-only writes (see `spec_versions`).
    pub fn spec_version(&self, kind: Kind) -> u64 {
        self.spec_versions[kind as usize]
    }

    fn touch(&mut self, kind: Kind) {
        let i = kind as usize;
        self.kind_versions[i] = self.resource_version;
        self.spec_versions[i] = self.resource_version;
        self.facts_versions[i] = self.resource_version;
        self.address_versions[i] = self.resource_version;
        self.meta_versions[i] = self.resource_version;
    }

    /// [`Store::kind_version`], counting only creations, removals and writes that changed an
    /// object's metadata.
    pub fn meta_version(&self, kind: Kind) -> u64 {
        self.meta_versions[kind as usize]
    }

    /// [`Store::kind_version`], counting only writes that changed a pod's readiness or IP.
    pub fn address_version(&self, kind: Kind) -> u64 {
        self.address_versions[kind as usize]
    }

    /// [`Store::kind_version`], counting only creations, removals and writes that changed an
    /// object's [`Facts`] (other than readiness and IP alone).
    pub fn facts_version(&self, kind: Kind) -> u64 {
        self.facts_versions[kind as usize]
    }

    /// Create an object: fails when the name is taken. Sets uid, resourceVersion,
    /// creationTimestamp and generation.
    pub fn create(&mut self, kind: Kind, mut obj: Value, now: Millis, rng: &mut Rng) -> Result<Key, ApiError> {
        let key = Key::of(kind, &obj);
        if self.stored(kind, &key.namespace, &key.name).is_some() {
            return Err(ApiError::AlreadyExists {
                kind,
                name: key.name.to_string(),
            });
        }
        let info = kind.info();
        if !matches!(obj, Value::Map(_)) {
            obj = Value::map();
        }
        let rv = self.next_rv();
        if let Some(top) = obj.map_mut() {
            top.insert("apiVersion", Value::Str(info.api_version.into()));
            top.insert("kind", Value::Str(info.name.into()));
        }
        // The server's fields, written in one walk to the metadata map.
        let metadata = obj.entry("metadata");
        if !matches!(metadata, Value::Map(_)) {
            *metadata = Value::map();
        }
        if let Some(m) = metadata.map_mut() {
            if info.namespaced {
                m.insert("namespace", Value::Str(key.namespace.clone()));
            }
            m.insert("uid", Value::Str(rng.uuid().into()));
            m.insert("resourceVersion", Value::Str(rv.into()));
            m.insert("creationTimestamp", Value::Str(clock::rfc3339(now).into()));
            if has_generation(kind) {
                m.insert("generation", Value::Int(1));
            }
        }
        let rv = self.resource_version;
        let facts = Rc::new(Facts::of(kind, &obj, None));
        self.journal(kind, ChangeType::Added, &obj);
        self.insert(Stored {
            key: key.clone(),
            value: obj,
            rv,
            facts,
        });
        self.touch(kind);
        Ok(key)
    }

    /// Replace an object. The generation goes up when its spec changed (for kinds that track
    /// it). Returns whether anything changed.
    pub fn update(&mut self, key: &Key, mut obj: Value) -> Result<bool, ApiError> {
        let Some(stored) = self.stored(key.kind, &key.namespace, &key.name) else {
            return Err(ApiError::NotFound {
                kind: key.kind,
                name: key.name.to_string(),
            });
        };
        let old = &stored.value;
        // The server owns these fields (a controller's `modify` that left the metadata alone
        // cannot have changed them).
        let same_metadata = obj
            .get("metadata")
            .zip(old.get("metadata"))
            .is_some_and(|(a, b)| a.same(b));
        for field in [
            "metadata.uid",
            "metadata.creationTimestamp",
            "metadata.resourceVersion",
            "metadata.generation",
        ]
        .into_iter()
        .filter(|_| !same_metadata)
        {
            // Compared first: a controller's `modify` leaves them alone, and setting a field
            // copies the maps along its path.
            let kept = old.at(field);
            if obj.at(field) != kept {
                match kept {
                    Some(v) => obj.set(field, v.clone()),
                    None => {
                        obj.remove(field);
                    }
                }
            }
        }
        if obj == *old {
            return Ok(false);
        }
        if bumps_generation(key.kind) && obj.get("spec") != old.get("spec") {
            let g = old.at("metadata.generation").and_then(Value::as_i64).unwrap_or(1);
            obj.set("metadata.generation", g + 1);
        }
        let status_only = only_status_changed(old, &obj);
        // Before the new resourceVersion is set, while an unchanged metadata map is still the
        // shared one.
        let facts = Rc::new(Facts::of(key.kind, &obj, same_metadata.then_some(&*stored.facts)));
        let old = &stored.facts;
        let address_changed = facts.ready != old.ready || facts.ip != old.ip;
        let facts_changed = facts.controller_uid != old.controller_uid
            || facts.terminating != old.terminating
            || facts.running_and_ready != old.running_and_ready
            || facts.ready_since != old.ready_since
            || facts.revision != old.revision
            || facts.phase != old.phase
            || facts.owners != old.owners;
        let rv = self.next_rv();
        obj.set("metadata.resourceVersion", rv);
        let rv = self.resource_version;
        self.journal(key.kind, ChangeType::Modified, &obj);
        if let Some(slot) = self.stored_mut(key) {
            slot.value = obj;
            slot.rv = rv;
            slot.facts = facts;
        }
        let i = key.kind as usize;
        self.kind_versions[i] = rv;
        if !status_only {
            self.spec_versions[i] = rv;
        }
        if address_changed || !status_only {
            self.address_versions[i] = rv;
        }
        if facts_changed {
            self.facts_versions[i] = rv;
        }
        if !same_metadata {
            self.meta_versions[i] = rv;
        }
        Ok(true)
    }

    /// Change an object in place through `f`; bumps resourceVersion (and generation) when the
    /// object changed. Returns false when there is no such object or nothing changed.
    pub fn modify(&mut self, key: &Key, f: impl FnOnce(&mut Value)) -> bool {
        let Some(old) = self.get(key) else {
            return false;
        };
        let mut obj = old.clone();
        f(&mut obj);
        self.update(key, obj).unwrap_or(false)
    }

    /// Remove an object from the store at once (the final step of a deletion).
    pub fn remove(&mut self, key: &Key) -> Option<Value> {
        let space = self.objects.get_mut(key.kind as usize);
        let mut removed = None;
        if let Some(space) = space {
            if let Some(names) = space.get_mut(&*key.namespace) {
                removed = names.remove(&*key.name);
                if names.is_empty() {
                    // Keep no empty namespaces behind.
                    space.remove(&*key.namespace);
                }
            }
        }
        if let Some(gone) = &removed {
            // A removal is a change too: give it a version of its own.
            self.resource_version += 1;
            self.touch(key.kind);
            self.journal(key.kind, ChangeType::Deleted, &gone.value);
        }
        removed.map(|s| s.value)
    }

    /// Note a write for the watches of its kind (none: nothing is kept).
    fn journal(&mut self, kind: Kind, change: ChangeType, value: &Value) {
        if self.journal.watchers[kind as usize] == 0 {
            return;
        }
        let j = Rc::make_mut(&mut self.journal);
        if j.changes.len() >= JOURNAL_MAX {
            let drop = JOURNAL_MAX / 2;
            j.changes.drain(..drop);
            j.first += drop as u64;
        }
        let at = j.now;
        j.changes.push(Change {
            kind,
            change,
            value: value.clone(),
            at,
        });
    }

    /// Start following the writes to `kind` at `now`; returns where the watch starts reading.
    pub fn watch(&mut self, kind: Kind, now: Millis) -> u64 {
        let j = Rc::make_mut(&mut self.journal);
        j.watchers[kind as usize] += 1;
        j.now = now;
        j.first + j.changes.len() as u64
    }

    /// Stop following `kind` (one watch fewer).
    pub fn unwatch(&mut self, kind: Kind) {
        let j = Rc::make_mut(&mut self.journal);
        let w = &mut j.watchers[kind as usize];
        *w = w.saturating_sub(1);
        if j.watchers.iter().all(|w| *w == 0) {
            j.first += j.changes.len() as u64;
            j.changes.clear();
        }
    }

    /// The changes from position `from` on, and the position after them.
    pub fn changes_since(&self, from: u64) -> (&[Change], u64) {
        let j = &self.journal;
        let start = from.saturating_sub(j.first).min(j.changes.len() as u64) as usize;
        (&j.changes[start..], j.first + j.changes.len() as u64)
    }

    /// The cluster's clock, for the time of the changes watches read.
    pub fn set_now(&mut self, now: Millis) {
        if self.journal.now != now && self.journal.watchers.iter().any(|w| *w > 0) {
            Rc::make_mut(&mut self.journal).now = now;
        }
    }

    /// Record an event a component reports (see [`crate::events`]: repeats fold into a count,
    /// similar events are combined, a flood is dropped).
    #[allow(clippy::too_many_arguments)]
    pub fn record(
        &mut self,
        involved: &Value,
        involved_kind: Kind,
        kind: &'static str,
        reason: &str,
        message: String,
        source: &str,
        now: Millis,
    ) {
        let report = crate::events::Report {
            involved,
            involved_kind,
            kind,
            reason,
            message,
            source,
        };
        Rc::make_mut(&mut self.events).record(report, now);
    }

    /// Run the event recorders' timers up to `now` (the scheduler's series are written every
    /// few minutes).
    pub fn tick_events(&mut self, now: Millis) {
        if self.events.needs_tick(now) {
            Rc::make_mut(&mut self.events).tick(now);
        }
    }

    /// The Events that exist at `now`, in the order they were created.
    pub fn events(&self, now: Millis) -> impl Iterator<Item = &Event> {
        self.events.events(now)
    }

    /// Forget every event (a fresh cluster).
    pub fn clear_events(&mut self) {
        self.events = Rc::default();
    }
}

/// Whether `new` differs from `old` only in `status`, and not in `status.phase` (called before
/// the new resourceVersion is set).
fn only_status_changed(old: &Value, new: &Value) -> bool {
    let (Some(a), Some(b)) = (old.as_map(), new.as_map()) else {
        return false;
    };
    a.len() == b.len()
        && a.iter()
            .zip(b.iter())
            .all(|((ka, va), (kb, vb))| ka == kb && (ka == "status" || va == vb))
        && old.at("status.phase") == new.at("status.phase")
}

/// Kinds whose `metadata.generation` counts spec changes. (Pods start at generation 1 in
/// v1.34; the scheduler's binding and the kubelet's status writes do not change it.)
fn bumps_generation(kind: Kind) -> bool {
    has_generation(kind) && kind != Kind::Pod
}

/// Kinds that have `metadata.generation`.
fn has_generation(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::StatefulSet
            | Kind::Deployment
            | Kind::ReplicaSet
            | Kind::DaemonSet
            | Kind::Pod
            | Kind::PodDisruptionBudget
    )
}
