//! The API server's side of writes: defaulting, validation, admission, and deletion with grace
//! periods, finalizers and propagation. kubectl and the controllers both go through here.

use crate::api::resources::Kind;
use crate::api::selector::Selector;
use crate::api::strategy::TEMPLATE_GENERATION;
use crate::api::{defaults, meta, pod, validation};
use crate::clock;
use crate::store::{ApiError, Key};
use crate::value::{Map, Value};
use crate::world::Cluster;

/// The finalizer that keeps a claim while a pod uses it (`kubernetes.io/pvc-protection`).
pub const PVC_PROTECTION: &str = "kubernetes.io/pvc-protection";
/// The finalizer that keeps a PV while a claim is bound to it.
pub const PV_PROTECTION: &str = "kubernetes.io/pv-protection";
/// The finalizer of a foreground deletion.
pub const FOREGROUND: &str = "foregroundDeletion";
/// Annotation naming the default StorageClass.
pub const DEFAULT_CLASS_ANNOTATION: &str = "storageclass.kubernetes.io/is-default-class";

/// `--cascade` of kubectl delete (`propagationPolicy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Propagation {
    #[default]
    Background,
    Foreground,
    Orphan,
}

/// Options of a delete request.
#[derive(Debug, Clone, Copy, Default)]
pub struct DeleteOptions {
    /// `--grace-period`: None uses the object's own (a pod's terminationGracePeriodSeconds).
    pub grace_seconds: Option<i64>,
    pub propagation: Propagation,
}

/// The most replicas one StatefulSet may ask for in the playground. A real API server accepts up
/// to 2^31-1; the simulator runs in a browser tab, so it refuses more than this, saying so.
pub const MAX_REPLICAS: i64 = 1000;

/// The playground's own limits, checked after the API server's validation.
fn playground_limits(kind: Kind, obj: &Value) -> Result<(), ApiError> {
    if let Some(path) = unsimulated_init_containers(kind, obj) {
        return Err(ApiError::Other(format!(
            "error: the playground does not run init containers yet, so it does not accept {} \"{}\" with {path} (a real API server would accept it): remove them to try the rest of the manifest",
            kind.info().name.to_ascii_lowercase(),
            meta::name(obj)
        )));
    }
    if kind == Kind::StatefulSet {
        let replicas = obj.at("spec.replicas").and_then(Value::as_i64).unwrap_or(1);
        if replicas > MAX_REPLICAS {
            return Err(ApiError::Other(format!(
                "error: the playground simulates at most {MAX_REPLICAS} replicas per StatefulSet, and {} asks for {replicas} (a real API server would accept it)",
                meta::name(obj)
            )));
        }
    }
    Ok(())
}

/// Where an object asks for init containers, which the simulated kubelet does not run (it
/// starts a pod's containers as one; a real kubelet runs each init container to completion
/// first, the pod showing `Init:0/1` and then `PodInitializing`). Refused rather than run as if
/// they were not there.
pub fn unsimulated_init_containers(kind: Kind, obj: &Value) -> Option<String> {
    // Every create passes here (controllers' pods too): the path is written only when found.
    let spec = kind.pod_spec_path()?;
    let listed = obj
        .at(spec)?
        .get("initContainers")
        .is_some_and(|l| !l.as_list().is_empty());
    listed.then(|| format!("{spec}.initContainers"))
}

/// Create an object as a controller would: defaults, validation, admission.
pub fn create(c: &mut Cluster, kind: Kind, obj: Value) -> Result<Key, ApiError> {
    create_as(c, kind, obj, false)
}

/// [`create`] for a kubectl request (strict field validation).
pub fn create_from_kubectl(c: &mut Cluster, kind: Kind, obj: Value) -> Result<Key, ApiError> {
    create_as(c, kind, obj, true)
}

fn create_as(c: &mut Cluster, kind: Kind, mut obj: Value, strict: bool) -> Result<Key, ApiError> {
    let info = kind.info();
    if !info.modelled {
        return Err(ApiError::Other(format!(
            "error: {}",
            crate::api::resources::not_simulated(info.api_version, info.name)
        )));
    }
    decode(kind, &obj, strict)?;
    if info.namespaced {
        if meta::namespace(&obj).is_empty() {
            obj.set("metadata.namespace", "default");
        }
        let ns = meta::namespace(&obj).to_string();
        if c.get(Kind::Namespace, "", &ns).is_none() {
            return Err(ApiError::NotFound {
                kind: Kind::Namespace,
                name: ns,
            });
        }
    }
    defaults::apply(kind, &mut obj);
    crate::api::quantities::canonicalize(kind, &mut obj);
    crate::api::strategy::prepare_for_create(kind, &mut obj);
    admit(c, kind, &mut obj);
    let causes = validation::validate_create(kind, &obj);
    if !causes.is_empty() {
        return Err(ApiError::Invalid {
            kind,
            name: meta::name(&obj).to_string(),
            causes,
        });
    }
    playground_limits(kind, &obj)?;
    let now = c.now;
    c.store.create(kind, obj, now, &mut c.rng)
}

/// Replace an existing object with `obj` (kubectl apply / patch / scale): defaults, update
/// validation (immutable fields), then the write. Returns whether anything changed.
pub fn update(c: &mut Cluster, key: &Key, obj: Value) -> Result<bool, ApiError> {
    update_as(c, key, obj, false)
}

/// [`update`] for a kubectl request (strict field validation).
pub fn update_from_kubectl(c: &mut Cluster, key: &Key, obj: Value) -> Result<bool, ApiError> {
    update_as(c, key, obj, true)
}

fn update_as(c: &mut Cluster, key: &Key, mut obj: Value, strict: bool) -> Result<bool, ApiError> {
    let Some(old) = c.store.get(key).cloned() else {
        return Err(ApiError::NotFound {
            kind: key.kind,
            name: key.name.to_string(),
        });
    };
    decode(key.kind, &obj, strict)?;
    defaults::apply(key.kind, &mut obj);
    crate::api::quantities::canonicalize(key.kind, &mut obj);
    // Status is written only by controllers; a client's update keeps the stored status.
    match old.get("status") {
        Some(status) => obj.set("status", status.clone()),
        None => {
            obj.remove("status");
        }
    }
    crate::api::strategy::prepare_for_update(key.kind, &mut obj, &old);
    let causes = validation::validate_update(key.kind, &obj, &old);
    if !causes.is_empty() {
        return Err(ApiError::Invalid {
            kind: key.kind,
            name: key.name.to_string(),
            causes,
        });
    }
    playground_limits(key.kind, &obj)?;
    if key.kind == Kind::PersistentVolumeClaim {
        admit_resize(c, key, &obj, &old)?;
    }
    // An update that empties the finalizers of an object being deleted with no grace period
    // left deletes it (`ShouldDeleteDuringUpdate`,
    // staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go).
    let gone = meta::is_terminating(&obj)
        && meta::finalizers(&obj).is_empty()
        && obj
            .at("metadata.deletionGracePeriodSeconds")
            .and_then(Value::as_i64)
            .unwrap_or(0)
            == 0;
    if key.kind == Kind::DaemonSet {
        // The DaemonSet strategy counts template changes (pkg/registry/apps/daemonset/strategy.go).
        let generation = |o: &Value| {
            meta::annotation(o, TEMPLATE_GENERATION)
                .and_then(|g| g.parse::<i64>().ok())
                .unwrap_or(1)
        };
        let next = generation(&old) + i64::from(obj.at("spec.template") != old.at("spec.template"));
        meta::set_annotation(&mut obj, TEMPLATE_GENERATION, &next.to_string());
    }
    let changed = c.store.update(key, obj)?;
    if gone {
        c.store.remove(key);
    }
    Ok(changed)
}

/// Decoding comes before validation, and its failures are BadRequests with no field path:
/// a malformed quantity (apimachinery `resource.Quantity.UnmarshalJSON`), and, when the client
/// asks for strict field validation as kubectl does by default since v1.27
/// (`fieldValidation=Strict`; controllers do not), an unknown field (`strict decoding error:
/// unknown field "spec.replica"`) instead of dropping it.
fn decode(kind: Kind, obj: &Value, strict: bool) -> Result<(), ApiError> {
    let info = kind.info();
    // A value of the wrong JSON type fails the typed decode (a controller's own writes are
    // typed Go objects and cannot, so only clients' requests are checked).
    let wrong_type = strict
        .then(|| crate::api::schema::wrong_types(obj).into_iter().next())
        .flatten()
        .map(|w| {
            let version = info.api_version.rsplit('/').next().unwrap_or(info.api_version);
            format!(
                "{} in version \"{version}\" cannot be handled as a {}: {}",
                info.name, info.name, w.message
            )
        });
    let message = wrong_type
        .or_else(|| crate::api::quantities::decode_error(kind, obj))
        .or_else(|| {
            strict
                .then(|| crate::api::schema::strict_decoding_error(info.name, info.api_version, obj))
                .flatten()
        });
    match message {
        Some(message) => Err(ApiError::Other(format!("Error from server (BadRequest): {message}"))),
        None => Ok(()),
    }
}

/// The PersistentVolumeClaimResize admission plugin
/// (plugin/pkg/admission/storage/persistentvolume/resize/admission.go): a bigger request needs
/// a bound claim whose StorageClass allows expansion.
fn admit_resize(c: &Cluster, key: &Key, new: &Value, old: &Value) -> Result<(), ApiError> {
    let size = |v: &Value| crate::api::volumes::quantity_bytes(v.str_at("spec.resources.requests.storage"));
    if size(new) <= size(old) {
        return Ok(());
    }
    let forbidden = |message: &str| ApiError::Forbidden {
        kind: key.kind,
        name: key.name.to_string(),
        message: message.to_string(),
    };
    if old.str_at("status.phase") != "Bound" {
        return Err(forbidden("Only bound persistent volume claims can be expanded"));
    }
    let class = old.str_at("spec.storageClassName");
    let allowed = !class.is_empty()
        && new.str_at("spec.storageClassName") == class
        && c.get(Kind::StorageClass, "", class)
            .is_some_and(|sc| sc.get("allowVolumeExpansion").and_then(Value::as_bool) == Some(true));
    if !allowed {
        return Err(forbidden(
            "only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize",
        ));
    }
    Ok(())
}

/// Admission plugins that change objects on create (DefaultStorageClass, StorageObjectInUse
/// protection, DefaultTolerationSeconds, the service IP allocator).
fn admit(c: &mut Cluster, kind: Kind, obj: &mut Value) {
    match kind {
        Kind::PersistentVolumeClaim => {
            // DefaultStorageClass (plugin/pkg/admission/storage/storageclass/setdefault): a claim
            // that names a class, by the field or the beta annotation, is left alone.
            if !crate::api::claims::has_class(obj) {
                if let Some(class) = default_class(c) {
                    obj.set("spec.storageClassName", class);
                }
            }
            add_finalizer(obj, PVC_PROTECTION);
            obj.set("status.phase", "Pending");
        }
        Kind::PersistentVolume => {
            add_finalizer(obj, PV_PROTECTION);
            if obj.at("status.phase").is_none() {
                obj.set("status.phase", "Available");
            }
            // The status strategy stamps every phase change, the first one included
            // (pkg/registry/core/persistentvolume/strategy.go).
            obj.set("status.lastPhaseTransitionTime", crate::clock::rfc3339(c.now));
        }
        Kind::Pod => {
            // DefaultTolerationSeconds: tolerate not-ready and unreachable nodes for 300 s.
            let mut tolerations: Vec<Value> = obj.at("spec.tolerations").map(Value::as_list).unwrap_or(&[]).to_vec();
            DEFAULT_TOLERATIONS.with(|defaults| {
                for t in defaults {
                    if !tolerations.iter().any(|have| have.str_at("key") == t.str_at("key")) {
                        tolerations.push(t.clone());
                    }
                }
            });
            obj.set("spec.tolerations", Value::list(tolerations));
            service_account(c, obj);
            merge_label_keys(obj);
            obj.set("status.phase", "Pending");
            obj.set("status.qosClass", crate::api::qos::compute(obj));
        }
        Kind::DaemonSet => meta::set_annotation(obj, TEMPLATE_GENERATION, "1"),
        Kind::Service if obj.str_at("spec.type") != "ExternalName" => {
            // The strategy has copied a client's clusterIP (None included) into clusterIPs.
            let unset = obj.at("spec.clusterIPs").is_none_or(|l| l.as_list().is_empty());
            if obj.str_at("spec.clusterIP").is_empty() && unset {
                let ip = format!("10.96.{}.{}", 1 + c.rng.below(254), 1 + c.rng.below(254));
                obj.set("spec.clusterIP", ip.as_str());
                obj.set("spec.clusterIPs", Value::list(vec![ip.into()]));
            }
        }
        Kind::Node => {
            // A Node added by a manifest registers at once: Ready, with the labels it declares
            // and the default capacity unless it says otherwise (the design's default cluster).
            let name = meta::name(obj).to_string();
            let zone = obj
                .at("metadata.labels")
                .and_then(|l| l.get("topology.kubernetes.io/zone"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let index = c.store.list(Kind::Node, None).len() + 1;
            let template = crate::default_cluster::default_node(&name, &zone, &format!("10.0.9.{}", 10 + index % 240));
            let mut status = registered_status(&template, obj.get("status"));
            // The kubelet posts its conditions when it registers, now.
            let now = crate::clock::rfc3339(c.now);
            for cond in status
                .at_mut("conditions")
                .and_then(Value::list_mut)
                .into_iter()
                .flatten()
            {
                cond.set("lastHeartbeatTime", now.as_str());
                cond.set("lastTransitionTime", now.as_str());
            }
            obj.set("status", status);
            meta::set_label(obj, "kubernetes.io/hostname", &name);
            if obj.at("spec.podCIDR").is_none() {
                obj.set("spec.podCIDR", format!("10.244.{}.0/24", 10 + index % 240));
            }
            // The v1 conversion keeps `podCIDR` as the first of `podCIDRs`.
            if obj.at("spec.podCIDRs").is_none() {
                let cidr = obj.str_at("spec.podCIDR").to_string();
                obj.set("spec.podCIDRs", Value::list(vec![cidr.into()]));
            }
        }
        Kind::Namespace => {
            let name = meta::name(obj).to_string();
            meta::set_label(obj, "kubernetes.io/metadata.name", &name);
            obj.set("status.phase", "Active");
        }
        _ => {}
    }
}

/// The status a Node added by a manifest has once its (simulated) kubelet registers: the
/// kubelet posts the conditions (Ready), addresses and node info; the capacity and allocatable
/// the manifest declares are kept, over the default node's (a declared capacity without an
/// allocatable is allocatable too). The API server keeps a Node's status on create (unlike a
/// Pod's), so a manifest's `status` is where node manifests carry capacity.
fn registered_status(template: &Value, declared: Option<&Value>) -> Value {
    let mut status = template.get("status").cloned().unwrap_or_default();
    let Some(declared) = declared.and_then(Value::as_map) else {
        return status;
    };
    let overlay = |base: Option<&Value>, over: &[Option<&Value>]| {
        let mut map = base.and_then(Value::as_map).cloned().unwrap_or_default();
        for m in over.iter().flatten().filter_map(|v| v.as_map()) {
            for (k, v) in m.iter() {
                map.insert(k, v.clone());
            }
        }
        Value::from_map(map)
    };
    for (field, value) in declared.iter() {
        match field {
            // The kubelet owns these: it posts its own.
            "conditions" | "daemonEndpoints" | "nodeInfo" => {}
            "capacity" => status.set("capacity", overlay(status.get("capacity"), &[Some(value)])),
            "allocatable" => {}
            _ => status.set(field, value.clone()),
        }
    }
    let allocatable = overlay(
        template.at("status.allocatable"),
        &[declared.get("capacity"), declared.get("allocatable")],
    );
    status.set("allocatable", allocatable);
    status
}

/// `PrepareForCreate` of a pod (`pkg/registry/core/pod/strategy.go`): each pod (anti-)affinity
/// term's `matchLabelKeys` and `mismatchLabelKeys`, and each topology spread constraint's
/// `matchLabelKeys`, become `key In (value)` (`NotIn` for mismatch) expressions of its label
/// selector, for the keys the pod's labels have (`mutatePodAffinity`,
/// `mutateTopologySpreadConstraints`: gates MatchLabelKeysInPodAffinity, GA, and
/// MatchLabelKeysInPodTopologySpreadSelectorMerge, beta and on in v1.34). A term without a
/// label selector is left alone: it selects nothing either way.
fn merge_label_keys(obj: &mut Value) {
    let has_terms = obj.at("spec.affinity.podAffinity").is_some()
        || obj.at("spec.affinity.podAntiAffinity").is_some()
        || obj.at("spec.topologySpreadConstraints").is_some();
    if !has_terms {
        return;
    }
    let labels = meta::labels(obj);
    let merge = |term: &mut Value, keys: &[(&str, &str)]| {
        if term.get("labelSelector").is_none_or(Value::is_null) {
            return;
        }
        let mut added: Vec<Value> = Vec::new();
        for (field, operator) in keys {
            for key in term.get(field).map(Value::as_list).unwrap_or(&[]) {
                let Some(value) = key.as_str().and_then(|k| labels.get(k)) else {
                    continue;
                };
                let mut e = Value::map();
                e.set("key", key.clone());
                e.set("operator", *operator);
                e.set("values", Value::list(vec![value.as_str().into()]));
                added.push(e);
            }
        }
        if !added.is_empty() {
            let mut exprs = term
                .at("labelSelector.matchExpressions")
                .map(Value::as_list)
                .unwrap_or(&[])
                .to_vec();
            exprs.extend(added);
            term.set("labelSelector.matchExpressions", Value::list(exprs));
        }
    };
    let affinity_keys = [("matchLabelKeys", "In"), ("mismatchLabelKeys", "NotIn")];
    for kind in ["podAffinity", "podAntiAffinity"] {
        for (when, inner) in [
            ("preferredDuringSchedulingIgnoredDuringExecution", "podAffinityTerm"),
            ("requiredDuringSchedulingIgnoredDuringExecution", ""),
        ] {
            let path = format!("spec.affinity.{kind}.{when}");
            if let Some(terms) = obj.at_mut(&path).and_then(Value::list_mut) {
                for t in terms.iter_mut() {
                    match inner {
                        "" => merge(t, &affinity_keys),
                        _ => {
                            if let Some(term) = t.at_mut(inner) {
                                merge(term, &affinity_keys);
                            }
                        }
                    }
                }
            }
        }
    }
    if let Some(constraints) = obj.at_mut("spec.topologySpreadConstraints").and_then(Value::list_mut) {
        for t in constraints.iter_mut() {
            merge(t, &[("matchLabelKeys", "In")]);
        }
    }
}

/// The ServiceAccount admission plugin: `serviceAccountName: default` and the projected
/// `kube-api-access-xxxxx` volume mounted read-only in every container, as on a real cluster.
fn service_account(c: &mut Cluster, obj: &mut Value) {
    if obj.str_at("spec.serviceAccountName").is_empty() {
        obj.set("spec.serviceAccountName", "default");
    }
    let sa = obj.str_at("spec.serviceAccountName").to_string();
    obj.set("spec.serviceAccount", sa);
    let name = format!("kube-api-access-{}", c.rng.suffix(5));
    let mut volumes: Vec<Value> = obj.at("spec.volumes").map(Value::as_list).unwrap_or(&[]).to_vec();
    let mut vol = Map::new();
    vol.insert("name", Value::Str(name.as_str().into()));
    vol.insert("projected", PROJECTED_TOKEN.with(Value::clone));
    volumes.push(Value::from_map(vol));
    obj.set("spec.volumes", Value::list(volumes));
    if let Some(containers) = obj.at_mut("spec.containers").and_then(Value::list_mut) {
        for ct in containers {
            let mut mounts: Vec<Value> = ct.get("volumeMounts").map(Value::as_list).unwrap_or(&[]).to_vec();
            let mut m = Value::map();
            m.set("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount");
            m.set("name", name.as_str());
            m.set("readOnly", true);
            mounts.push(m);
            ct.set("volumeMounts", Value::list(mounts));
        }
    }
}

thread_local! {
    /// The projected service-account token volume every pod gets (the same for all pods, so
    /// built once and shared copy-on-write).
    static PROJECTED_TOKEN: Value = projected_token();
    /// The DefaultTolerationSeconds tolerations, in the order the admission plugin adds them.
    static DEFAULT_TOLERATIONS: [Value; 2] = [
        default_toleration("node.kubernetes.io/not-ready"),
        default_toleration("node.kubernetes.io/unreachable"),
    ];
}

fn projected_token() -> Value {
    let mut token = Value::map();
    token.set("serviceAccountToken.expirationSeconds", 3607i64);
    token.set("serviceAccountToken.path", "token");
    let mut ca = Value::map();
    ca.set("configMap.name", "kube-root-ca.crt");
    let mut item = Value::map();
    item.set("key", "ca.crt");
    item.set("path", "ca.crt");
    ca.set("configMap.items", Value::list(vec![item]));
    let mut ns_item = Value::map();
    ns_item.set("path", "namespace");
    ns_item.set("fieldRef.apiVersion", "v1");
    ns_item.set("fieldRef.fieldPath", "metadata.namespace");
    let mut downward = Value::map();
    downward.set("downwardAPI.items", Value::list(vec![ns_item]));
    let mut projected = Value::map();
    projected.set("defaultMode", 420i64);
    projected.set("sources", Value::list(vec![token, ca, downward]));
    projected
}

fn default_toleration(key: &str) -> Value {
    let mut t = Value::map();
    t.set("effect", "NoExecute");
    t.set("key", key);
    t.set("operator", "Exists");
    t.set("tolerationSeconds", 300i64);
    t
}

/// The default StorageClass: the newest class with the default annotation (doc:sc).
pub fn default_class(c: &Cluster) -> Option<String> {
    c.store
        .list(Kind::StorageClass, None)
        .into_iter()
        .filter(|sc| meta::annotation(sc, DEFAULT_CLASS_ANNOTATION) == Some("true"))
        .max_by_key(|sc| {
            (
                sc.str_at("metadata.creationTimestamp").to_string(),
                meta::name(sc).to_string(),
            )
        })
        .map(|sc| meta::name(sc).to_string())
}

fn add_finalizer(obj: &mut Value, finalizer: &str) {
    let mut list = meta::finalizers(obj);
    if !list.iter().any(|f| f == finalizer) {
        list.push(finalizer.to_string());
    }
    meta::set_finalizers(obj, list);
}

/// Delete an object as the API server does:
/// 1. `Orphan`: strip owner references to it from its dependents first;
/// 2. a pod bound to a node gets a deletionTimestamp and waits for the kubelet, for its grace
///    period (an unscheduled or finished pod, or grace 0, goes at once);
/// 3. an object with finalizers (or a foreground deletion) gets a deletionTimestamp and stays
///    until they are removed;
/// 4. anything else is removed now; the garbage collector deletes its dependents later.
pub fn delete(c: &mut Cluster, key: &Key, opts: DeleteOptions) -> Result<(), ApiError> {
    let Some(obj) = c.store.get(key).cloned() else {
        return Err(ApiError::NotFound {
            kind: key.kind,
            name: key.name.to_string(),
        });
    };
    let uid = meta::uid(&obj).to_string();
    if opts.propagation == Propagation::Orphan {
        orphan_dependents(c, &uid);
    }
    let now = c.now;
    if key.kind == Kind::Pod {
        let grace = opts.grace_seconds.unwrap_or_else(|| pod::grace_seconds(&obj)).max(0);
        let phase = pod::phase(&obj);
        let unscheduled = obj.str_at("spec.nodeName").is_empty();
        if grace == 0 || unscheduled || phase == "Failed" || phase == "Succeeded" {
            c.store.remove(key);
            c.runtime.remove(&uid);
            return Ok(());
        }
        if meta::is_terminating(&obj) {
            // A second delete may only shorten the grace period.
            let current = obj
                .at("metadata.deletionGracePeriodSeconds")
                .and_then(Value::as_i64)
                .unwrap_or(grace);
            if grace < current {
                set_deletion(c, key, grace);
            }
            return Ok(());
        }
        set_deletion(c, key, grace);
        return Ok(());
    }
    let mut finalizers = meta::finalizers(&obj);
    if opts.propagation == Propagation::Foreground && !finalizers.iter().any(|f| f == FOREGROUND) {
        finalizers.push(FOREGROUND.to_string());
    }
    if finalizers.is_empty() {
        c.store.remove(key);
        return Ok(());
    }
    if !meta::is_terminating(&obj) || meta::finalizers(&obj) != finalizers {
        c.store.modify(key, |o| {
            meta::set_finalizers(o, finalizers);
            if !meta::is_terminating(o) {
                o.set("metadata.deletionTimestamp", clock::rfc3339(now));
                o.set("metadata.deletionGracePeriodSeconds", 0i64);
            }
        });
    }
    Ok(())
}

/// Mark a pod for deletion in `grace` seconds (deletionTimestamp and deletionGracePeriodSeconds).
fn set_deletion(c: &mut Cluster, key: &Key, grace: i64) {
    let at = clock::rfc3339(c.now + u64::try_from(grace).unwrap_or(0) * 1000);
    c.store.modify(key, |p| {
        p.set("metadata.deletionGracePeriodSeconds", grace);
        p.set("metadata.deletionTimestamp", at);
    });
}

/// Remove owner references to `owner_uid` from every object (orphan propagation).
pub fn orphan_dependents(c: &mut Cluster, owner_uid: &str) {
    for kind in [
        Kind::Pod,
        Kind::PersistentVolumeClaim,
        Kind::ControllerRevision,
        Kind::Endpoints,
    ] {
        for key in c.store.keys(kind) {
            let owned = c
                .store
                .get(&key)
                .is_some_and(|o| meta::owner_refs(o).iter().any(|r| r.str_at("uid") == owner_uid));
            if owned {
                c.store.modify(&key, |o| {
                    let refs: Vec<Value> = meta::owner_refs(o)
                        .iter()
                        .filter(|r| r.str_at("uid") != owner_uid)
                        .cloned()
                        .collect();
                    o.set_list("metadata.ownerReferences", refs);
                });
            }
        }
    }
}

/// Remove one finalizer; the object goes when it was the last one and it is being deleted.
pub fn remove_finalizer(c: &mut Cluster, key: &Key, finalizer: &str) {
    let Some(obj) = c.store.get(key) else { return };
    let list: Vec<String> = meta::finalizers(obj).into_iter().filter(|f| f != finalizer).collect();
    if list.is_empty() && meta::is_terminating(obj) {
        c.store.remove(key);
    } else {
        c.store.modify(key, |o| meta::set_finalizers(o, list));
    }
}

// The eviction subresource (`pkg/registry/core/pod/storage/eviction.go`), which `kubectl drain`
// calls and PodDisruptionBudgets guard.

/// What the eviction subresource says when a budget is exhausted (HTTP 429).
pub const EVICTION_REFUSED: &str = "Cannot evict pod as it would violate the pod's disruption budget.";

/// The pods a budget covers: in its namespace, matching its selector (in policy/v1 an empty
/// selector `{}` selects every pod of the namespace; no selector selects none).
pub fn covered<'a>(c: &'a Cluster, pdb: &Value) -> Vec<&'a Value> {
    let selector = Selector::from_label_selector(pdb.at("spec.selector").unwrap_or(&Value::Null));
    if pdb.at("spec.selector").is_none() {
        return Vec::new();
    }
    c.store
        .list(Kind::Pod, Some(meta::namespace(pdb)))
        .into_iter()
        .filter(|p| selector.matches_object(p))
        .collect()
}

/// The eviction subresource: refuse (429) when a budget covering the pod allows no disruption,
/// else record the disruption and delete the pod gracefully. Pods that are not running, or
/// already being deleted, may always go (`canIgnorePDB`).
pub fn evict(c: &mut Cluster, key: &Key) -> Result<(), String> {
    let Some(p) = c.store.get(key).cloned() else {
        return Err(format!("pods \"{}\" not found", key.name));
    };
    let budgets: Vec<Value> = c
        .store
        .list(Kind::PodDisruptionBudget, Some(&key.namespace))
        .into_iter()
        .filter(|b| covered(c, b).iter().any(|q| meta::uid(q) == meta::uid(&p)))
        .cloned()
        .collect();
    let ignore = meta::is_terminating(&p) || matches!(pod::phase(&p), "Pending" | "Failed" | "Succeeded");
    if !ignore {
        if budgets.len() > 1 {
            return Err(
                "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."
                    .into(),
            );
        }
        if let Some(b) = budgets.first() {
            let allowed = b.at("status.disruptionsAllowed").and_then(Value::as_i64).unwrap_or(0);
            // unhealthyPodEvictionPolicy: a pod that is not Ready may go when the budget is met
            // (IfHealthyBudget, the default) or always (AlwaysAllow).
            let unready = !pod::is_ready(&p);
            let healthy = b.at("status.currentHealthy").and_then(Value::as_i64).unwrap_or(0);
            let desired = b.at("status.desiredHealthy").and_then(Value::as_i64).unwrap_or(0);
            let unready_ok =
                unready && (b.str_at("spec.unhealthyPodEvictionPolicy") == "AlwaysAllow" || healthy >= desired);
            if !unready_ok {
                if allowed <= 0 {
                    return Err(EVICTION_REFUSED.into());
                }
                let now = crate::clock::rfc3339(c.now);
                let name = meta::name(&p).to_string();
                c.store.modify(&Key::of(Kind::PodDisruptionBudget, b), |pdb| {
                    pdb.set("status.disruptionsAllowed", allowed - 1);
                    if let Some(m) = pdb.entry("status.disruptedPods").map_mut() {
                        m.insert(name, Value::Str(now.as_str().into()));
                    } else {
                        let mut m = crate::value::Map::new();
                        m.insert(name, Value::Str(now.as_str().into()));
                        pdb.set("status.disruptedPods", Value::from_map(m));
                    }
                });
            }
        }
    }
    delete(c, key, DeleteOptions::default()).map_err(|e| e.to_string())
}
