//! Defaults the API server fills in on create and update (`pkg/apis/apps/v1/defaults.go`,
//! `pkg/apis/core/v1/defaults.go`, `pkg/apis/storage/v1/defaults.go`). They show in
//! `kubectl get -o yaml` exactly as on a real cluster.

use crate::api::resources::Kind;
use crate::value::Value;

/// A pointer field's default: set when absent or null.
fn default(obj: &mut Value, path: &str, value: impl Into<Value>) {
    if obj.at(path).is_none_or(Value::is_null) {
        obj.set(path, value.into());
    }
}

/// A plain field's default (a Go `string` or `int32`, not a pointer): upstream tests for the
/// zero value, so an explicit `""` or `0` is defaulted too.
fn default_zero(obj: &mut Value, path: &str, value: impl Into<Value>) {
    let zero = match obj.at(path) {
        None | Some(Value::Null) => true,
        Some(Value::Str(s)) => s.is_empty(),
        Some(v) => v.as_i64() == Some(0),
    };
    if zero {
        obj.set(path, value.into());
    }
}

/// Apply the defaults of `kind` to `obj` in place.
pub fn apply(kind: Kind, obj: &mut Value) {
    match kind {
        Kind::StatefulSet => statefulset(obj),
        Kind::Deployment => deployment(obj),
        Kind::DaemonSet => {
            // SetDefaults_DaemonSet.
            if obj.str_at("spec.updateStrategy.type").is_empty() {
                obj.set("spec.updateStrategy.type", "RollingUpdate");
            }
            if obj.str_at("spec.updateStrategy.type") == "RollingUpdate" {
                default(obj, "spec.updateStrategy.rollingUpdate.maxUnavailable", 1i64);
                default(obj, "spec.updateStrategy.rollingUpdate.maxSurge", 0i64);
            }
            default(obj, "spec.revisionHistoryLimit", 10i64);
            if let Some(spec) = obj.at_mut("spec.template.spec") {
                pod_spec(spec);
            }
        }
        Kind::ReplicaSet => {
            default(obj, "spec.replicas", 1i64);
            if let Some(spec) = obj.at_mut("spec.template.spec") {
                pod_spec(spec);
            }
        }
        Kind::Pod => {
            if let Some(spec) = obj.at_mut("spec") {
                pod_spec(spec);
                requests_from_limits(spec);
            }
        }
        Kind::Service => service(obj),
        Kind::PersistentVolumeClaim => default(obj, "spec.volumeMode", "Filesystem"),
        Kind::PersistentVolume => {
            default_zero(obj, "spec.persistentVolumeReclaimPolicy", "Retain");
            default(obj, "spec.volumeMode", "Filesystem");
            // A PV's hostPath is the same HostPathVolumeSource as a pod's.
            if obj.at("spec.hostPath").is_some_and(|s| s.as_map().is_some()) {
                default(obj, "spec.hostPath.type", "");
            }
        }
        Kind::StorageClass => {
            default(obj, "reclaimPolicy", "Delete");
            default(obj, "volumeBindingMode", "Immediate");
        }
        _ => {}
    }
}

/// `SetDefaults_StatefulSet` (kubernetes-semantics.md §2.1): note that `type: RollingUpdate` written without a
/// `rollingUpdate` block keeps `rollingUpdate` nil, while an empty type gets both.
fn statefulset(obj: &mut Value) {
    default_zero(obj, "spec.podManagementPolicy", "OrderedReady");
    if obj.str_at("spec.updateStrategy.type").is_empty() {
        obj.set("spec.updateStrategy.type", "RollingUpdate");
        default(obj, "spec.updateStrategy.rollingUpdate.partition", 0i64);
    } else if obj.str_at("spec.updateStrategy.type") == "RollingUpdate"
        && obj
            .at("spec.updateStrategy.rollingUpdate")
            .is_some_and(|r| !r.is_null())
    {
        default(obj, "spec.updateStrategy.rollingUpdate.partition", 0i64);
    }
    default(obj, "spec.replicas", 1i64);
    default(obj, "spec.revisionHistoryLimit", 10i64);
    default_zero(obj, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted", "Retain");
    default_zero(obj, "spec.persistentVolumeClaimRetentionPolicy.whenScaled", "Retain");
    if let Some(spec) = obj.at_mut("spec.template.spec") {
        pod_spec(spec);
    }
    if let Some(templates) = obj.at_mut("spec.volumeClaimTemplates").and_then(Value::list_mut) {
        for t in templates {
            default(t, "apiVersion", "v1");
            default(t, "kind", "PersistentVolumeClaim");
            default(t, "spec.volumeMode", "Filesystem");
            default(t, "status.phase", "Pending");
        }
    }
}

/// `SetDefaults_Deployment` (pkg/apis/apps/v1/defaults.go).
fn deployment(obj: &mut Value) {
    default(obj, "spec.replicas", 1i64);
    if obj.str_at("spec.strategy.type").is_empty() {
        obj.set("spec.strategy.type", "RollingUpdate");
    }
    if obj.str_at("spec.strategy.type") == "RollingUpdate" {
        default(obj, "spec.strategy.rollingUpdate.maxUnavailable", "25%");
        default(obj, "spec.strategy.rollingUpdate.maxSurge", "25%");
    }
    default(obj, "spec.revisionHistoryLimit", 10i64);
    default(obj, "spec.progressDeadlineSeconds", 600i64);
    if let Some(spec) = obj.at_mut("spec.template.spec") {
        pod_spec(spec);
    }
}

/// `SetDefaults_PodSpec` and the container defaults.
pub fn pod_spec(spec: &mut Value) {
    default_zero(spec, "restartPolicy", "Always");
    default_zero(spec, "dnsPolicy", "ClusterFirst");
    default_zero(spec, "schedulerName", "default-scheduler");
    default(
        spec,
        "terminationGracePeriodSeconds",
        crate::timing::DEFAULT_GRACE_SECONDS,
    );
    default(spec, "securityContext", Value::map());
    default(spec, "enableServiceLinks", true);
    for list in ["containers", "initContainers"] {
        if let Some(containers) = spec.at_mut(list).and_then(Value::list_mut) {
            for c in containers {
                container(c);
            }
        }
    }
    if let Some(volumes) = spec.at_mut("volumes").and_then(Value::list_mut) {
        for v in volumes {
            volume(v);
        }
    }
}

/// The volume source defaults: `defaultMode: 420` (0644) for configMap, secret, downwardAPI and
/// projected volumes (SetDefaults_ConfigMapVolumeSource and its siblings), `type: ""` for a
/// hostPath (SetDefaults_HostPathVolumeSource), `apiVersion: v1` in downward API field
/// references (SetDefaults_ObjectFieldSelector).
fn volume(v: &mut Value) {
    for source in ["configMap", "secret", "downwardAPI", "projected"] {
        if v.get(source).is_some_and(|s| s.as_map().is_some()) {
            default(v, &format!("{source}.defaultMode"), 420i64);
        }
    }
    if v.get("hostPath").is_some_and(|s| s.as_map().is_some()) {
        default(v, "hostPath.type", "");
    }
    for item in v
        .at_mut("downwardAPI.items")
        .and_then(Value::list_mut)
        .into_iter()
        .flatten()
    {
        field_selector(item);
    }
    for source in v
        .at_mut("projected.sources")
        .and_then(Value::list_mut)
        .into_iter()
        .flatten()
    {
        for item in source
            .at_mut("downwardAPI.items")
            .and_then(Value::list_mut)
            .into_iter()
            .flatten()
        {
            field_selector(item);
        }
    }
}

/// SetDefaults_ObjectFieldSelector: a `fieldRef` without `apiVersion` means `v1`.
fn field_selector(holder: &mut Value) {
    if holder.get("fieldRef").is_some_and(|f| f.as_map().is_some()) {
        default(holder, "fieldRef.apiVersion", "v1");
    }
}

/// `SetDefaults_Pod` (pkg/apis/core/v1/defaults.go): a container that sets a limit and no
/// request for that resource requests its limit. Pods only: a pod template keeps what it says,
/// and the pods made from it get the requests.
fn requests_from_limits(spec: &mut Value) {
    for list in ["containers", "initContainers"] {
        for c in spec.at_mut(list).and_then(Value::list_mut).into_iter().flatten() {
            let Some(limits) = c
                .at("resources.limits")
                .and_then(Value::as_map)
                .filter(|l| !l.is_empty())
                .cloned()
            else {
                continue;
            };
            let requests = c.entry("resources.requests");
            if !matches!(requests, Value::Map(_)) {
                *requests = Value::map();
            }
            let Some(requests) = requests.map_mut() else { continue };
            for (name, limit) in limits.iter() {
                if requests.get(name).is_none() {
                    requests.insert(name, limit.clone());
                }
            }
        }
    }
}

fn container(c: &mut Value) {
    let image = c.str_at("image").to_string();
    // `:latest` or no tag pulls every time; a tag or digest pulls if not present.
    let last = image.rsplit('/').next().unwrap_or("");
    let pull = if image.contains('@') || (last.contains(':') && !last.ends_with(":latest")) {
        "IfNotPresent"
    } else {
        "Always"
    };
    default_zero(c, "imagePullPolicy", pull);
    default_zero(c, "terminationMessagePath", "/dev/termination-log");
    default_zero(c, "terminationMessagePolicy", "File");
    default(c, "resources", Value::map());
    for e in c.at_mut("env").and_then(Value::list_mut).into_iter().flatten() {
        if let Some(from) = e.at_mut("valueFrom") {
            field_selector(from);
            // The divisor is a Quantity, not a pointer: unset, it is written as "0".
            if from.get("resourceFieldRef").is_some_and(|r| r.as_map().is_some()) {
                default(from, "resourceFieldRef.divisor", "0");
            }
        }
    }
    if let Some(ports) = c.at_mut("ports").and_then(Value::list_mut) {
        for p in ports {
            default_zero(p, "protocol", "TCP");
        }
    }
    if let Some(env) = c.at_mut("env").and_then(Value::list_mut) {
        for e in env {
            // SetDefaults_ObjectFieldSelector.
            if let Some(f) = e.at_mut("valueFrom.fieldRef").filter(|f| f.as_map().is_some()) {
                default_zero(f, "apiVersion", "v1");
            }
        }
    }
    // SetDefaults_HTTPGetAction also applies to the lifecycle hooks.
    for hook in ["lifecycle.postStart.httpGet", "lifecycle.preStop.httpGet"] {
        if let Some(h) = c.at_mut(hook).filter(|h| h.as_map().is_some()) {
            default_zero(h, "scheme", "HTTP");
            default_zero(h, "path", "/");
        }
    }
    for probe in ["readinessProbe", "livenessProbe", "startupProbe"] {
        if let Some(p) = c.at_mut(probe) {
            if p.as_map().is_some() {
                // SetDefaults_Probe: a 0 is defaulted, so it cannot fail validation.
                default_zero(p, "timeoutSeconds", 1i64);
                default_zero(p, "periodSeconds", crate::timing::DEFAULT_PROBE_PERIOD_SECONDS);
                default_zero(p, "successThreshold", 1i64);
                default_zero(p, "failureThreshold", 3i64);
                if p.get("httpGet").is_some_and(|h| h.as_map().is_some()) {
                    default_zero(p, "httpGet.scheme", "HTTP");
                    default_zero(p, "httpGet.path", "/");
                }
            }
        }
    }
}

/// `SetDefaults_Service`, and the IP families the allocator gives a single-stack cluster
/// (not an ExternalName Service, which gets no IP).
fn service(obj: &mut Value) {
    default_zero(obj, "spec.type", "ClusterIP");
    default_zero(obj, "spec.sessionAffinity", "None");
    let kind = obj.str_at("spec.type").to_string();
    if obj.str_at("spec.sessionAffinity") == "ClientIP" {
        default(obj, "spec.sessionAffinityConfig.clientIP.timeoutSeconds", 10800i64);
    }
    if ["ClusterIP", "NodePort", "LoadBalancer"].contains(&kind.as_str()) {
        default(obj, "spec.internalTrafficPolicy", "Cluster");
    }
    if kind == "NodePort" || kind == "LoadBalancer" {
        default_zero(obj, "spec.externalTrafficPolicy", "Cluster");
    }
    if kind == "LoadBalancer" {
        default(obj, "spec.allocateLoadBalancerNodePorts", true);
    }
    if kind != "ExternalName" {
        default(obj, "spec.ipFamilies", Value::list(vec!["IPv4".into()]));
        default(obj, "spec.ipFamilyPolicy", "SingleStack");
    }
    if let Some(ports) = obj.at_mut("spec.ports").and_then(Value::list_mut) {
        for p in ports {
            default_zero(p, "protocol", "TCP");
            // A targetPort of 0 or "" is the port.
            let unset = match p.get("targetPort") {
                None | Some(Value::Null) => true,
                Some(Value::Str(s)) => s.is_empty(),
                Some(v) => v.as_i64() == Some(0),
            };
            if unset {
                if let Some(port) = p.get("port").cloned() {
                    p.set("targetPort", port);
                }
            }
        }
    }
}
