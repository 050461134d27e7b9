//! The kinds the simulated API server serves, with the names kubectl knows them by
//! (`kubectl api-resources`).

/// A kind of API object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Namespace,
    Node,
    StorageClass,
    PersistentVolume,
    Service,
    Endpoints,
    StatefulSet,
    ControllerRevision,
    PersistentVolumeClaim,
    Pod,
    Deployment,
    ReplicaSet,
    DaemonSet,
    PodDisruptionBudget,
    Event,
}

/// How many kinds there are (`Kind as usize` indexes per-kind tables).
pub const KINDS: usize = Kind::Event as usize + 1;

/// What kubectl and the API server know about a kind.
#[derive(Debug)]
pub struct Resource {
    pub kind: Kind,
    /// `kind:` in manifests.
    pub name: &'static str,
    /// `apiVersion:` in manifests.
    pub api_version: &'static str,
    /// API group (`""` for the core group).
    pub group: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub short: &'static [&'static str],
    pub namespaced: bool,
    /// Whether the simulator runs this kind's controller; others are refused on create.
    pub modelled: bool,
}

/// Every kind, in the order `kubectl api-resources` would list the ones we have.
pub const RESOURCES: &[Resource] = &[
    Resource {
        kind: Kind::Namespace,
        name: "Namespace",
        api_version: "v1",
        group: "",
        plural: "namespaces",
        singular: "namespace",
        short: &["ns"],
        namespaced: false,
        modelled: true,
    },
    Resource {
        kind: Kind::Node,
        name: "Node",
        api_version: "v1",
        group: "",
        plural: "nodes",
        singular: "node",
        short: &["no"],
        namespaced: false,
        modelled: true,
    },
    Resource {
        kind: Kind::StorageClass,
        name: "StorageClass",
        api_version: "storage.k8s.io/v1",
        group: "storage.k8s.io",
        plural: "storageclasses",
        singular: "storageclass",
        short: &["sc"],
        namespaced: false,
        modelled: true,
    },
    Resource {
        kind: Kind::PersistentVolume,
        name: "PersistentVolume",
        api_version: "v1",
        group: "",
        plural: "persistentvolumes",
        singular: "persistentvolume",
        short: &["pv"],
        namespaced: false,
        modelled: true,
    },
    Resource {
        kind: Kind::Service,
        name: "Service",
        api_version: "v1",
        group: "",
        plural: "services",
        singular: "service",
        short: &["svc"],
        namespaced: true,
        modelled: true,
    },
    Resource {
        kind: Kind::Endpoints,
        name: "Endpoints",
        api_version: "v1",
        group: "",
        plural: "endpoints",
        singular: "endpoints",
        short: &["ep"],
        namespaced: true,
        modelled: true,
    },
    Resource {
        kind: Kind::StatefulSet,
        name: "StatefulSet",
        api_version: "apps/v1",
        group: "apps",
        plural: "statefulsets",
        singular: "statefulset",
        short: &["sts"],
        namespaced: true,
        modelled: true,
    },
    Resource {
        kind: Kind::ControllerRevision,
        name: "ControllerRevision",
        api_version: "apps/v1",
        group: "apps",
        plural: "controllerrevisions",
        singular: "controllerrevision",
        short: &[],
        namespaced: true,
        modelled: true,
    },
    Resource {
        kind: Kind::PersistentVolumeClaim,
        name: "PersistentVolumeClaim",
        api_version: "v1",
        group: "",
        plural: "persistentvolumeclaims",
        singular: "persistentvolumeclaim",
        short: &["pvc"],
        namespaced: true,
        modelled: true,
    },
    Resource {
        kind: Kind::Pod,
        name: "Pod",
        api_version: "v1",
        group: "",
        plural: "pods",
        singular: "pod",
        short: &["po"],
        namespaced: true,
        modelled: true,
    },
    Resource {
        kind: Kind::Deployment,
        name: "Deployment",
        api_version: "apps/v1",
        group: "apps",
        plural: "deployments",
        singular: "deployment",
        short: &["deploy"],
        namespaced: true,
        modelled: true,
    },
    Resource {
        kind: Kind::ReplicaSet,
        name: "ReplicaSet",
        api_version: "apps/v1",
        group: "apps",
        plural: "replicasets",
        singular: "replicaset",
        short: &["rs"],
        namespaced: true,
        modelled: true,
    },
    Resource {
        kind: Kind::DaemonSet,
        name: "DaemonSet",
        api_version: "apps/v1",
        group: "apps",
        plural: "daemonsets",
        singular: "daemonset",
        short: &["ds"],
        namespaced: true,
        modelled: true,
    },
    Resource {
        kind: Kind::PodDisruptionBudget,
        name: "PodDisruptionBudget",
        api_version: "policy/v1",
        group: "policy",
        plural: "poddisruptionbudgets",
        singular: "poddisruptionbudget",
        short: &["pdb"],
        namespaced: true,
        modelled: true,
    },
    Resource {
        kind: Kind::Event,
        name: "Event",
        api_version: "v1",
        group: "",
        plural: "events",
        singular: "event",
        short: &["ev"],
        namespaced: true,
        modelled: true,
    },
];

impl Kind {
    /// This kind's entry in [`RESOURCES`].
    pub fn info(self) -> &'static Resource {
        RESOURCES
            .iter()
            .find(|r| r.kind == self)
            .expect("every Kind has a RESOURCES entry")
    }

    /// Where this kind keeps a pod spec: `spec` for a Pod, `spec.template.spec` for a workload
    /// (StatefulSet, Deployment, ReplicaSet, DaemonSet); None for other kinds.
    pub fn pod_spec_path(self) -> Option<&'static str> {
        match self {
            Kind::Pod => Some("spec"),
            Kind::StatefulSet | Kind::Deployment | Kind::ReplicaSet | Kind::DaemonSet => Some("spec.template.spec"),
            _ => None,
        }
    }

    /// The name kubectl prints before `/name`: `pod`, `statefulset.apps`, `storageclass.storage.k8s.io`.
    pub fn qualified(self) -> String {
        let r = self.info();
        if r.group.is_empty() {
            r.singular.to_string()
        } else {
            format!("{}.{}", r.singular, r.group)
        }
    }

    /// The plural with its group, as API errors name it: `pods`, `statefulsets.apps`.
    pub fn plural_qualified(self) -> String {
        let r = self.info();
        if r.group.is_empty() {
            r.plural.to_string()
        } else {
            format!("{}.{}", r.plural, r.group)
        }
    }
}

/// The kind a manifest's `apiVersion` and `kind` name, if the simulator knows it.
pub fn by_manifest(api_version: &str, kind: &str) -> Option<&'static Resource> {
    RESOURCES
        .iter()
        .find(|r| r.name == kind && r.api_version == api_version)
}

/// Every built-in kind a Kubernetes v1.34 API server serves by default (its GA versions: alpha
/// and beta APIs are off unless enabled), as `(apiVersion, kind)`. Generated from the v1.34.0
/// OpenAPI definitions (`x-kubernetes-group-version-kind`, as the PyPI package
/// kubernetes-validate ships them; see `scripts/gen-schema.py`). A manifest of one of these that
/// the playground does not simulate is refused as such, never reported as an unknown kind: a real
/// cluster would accept it.
pub const BUILTIN_V1_34: &[(&str, &str)] = &[
    ("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration"),
    ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy"),
    ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding"),
    ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
    ("apiregistration.k8s.io/v1", "APIService"),
    ("apps/v1", "ControllerRevision"),
    ("apps/v1", "DaemonSet"),
    ("apps/v1", "Deployment"),
    ("apps/v1", "ReplicaSet"),
    ("apps/v1", "StatefulSet"),
    ("authentication.k8s.io/v1", "SelfSubjectReview"),
    ("authentication.k8s.io/v1", "TokenReview"),
    ("authorization.k8s.io/v1", "LocalSubjectAccessReview"),
    ("authorization.k8s.io/v1", "SelfSubjectAccessReview"),
    ("authorization.k8s.io/v1", "SelfSubjectRulesReview"),
    ("authorization.k8s.io/v1", "SubjectAccessReview"),
    ("autoscaling/v1", "HorizontalPodAutoscaler"),
    ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("batch/v1", "CronJob"),
    ("batch/v1", "Job"),
    ("certificates.k8s.io/v1", "CertificateSigningRequest"),
    ("coordination.k8s.io/v1", "Lease"),
    ("discovery.k8s.io/v1", "EndpointSlice"),
    ("events.k8s.io/v1", "Event"),
    ("flowcontrol.apiserver.k8s.io/v1", "FlowSchema"),
    ("flowcontrol.apiserver.k8s.io/v1", "PriorityLevelConfiguration"),
    ("networking.k8s.io/v1", "IPAddress"),
    ("networking.k8s.io/v1", "Ingress"),
    ("networking.k8s.io/v1", "IngressClass"),
    ("networking.k8s.io/v1", "NetworkPolicy"),
    ("networking.k8s.io/v1", "ServiceCIDR"),
    ("node.k8s.io/v1", "RuntimeClass"),
    ("policy/v1", "PodDisruptionBudget"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("rbac.authorization.k8s.io/v1", "Role"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"),
    ("resource.k8s.io/v1", "DeviceClass"),
    ("resource.k8s.io/v1", "ResourceClaim"),
    ("resource.k8s.io/v1", "ResourceClaimTemplate"),
    ("resource.k8s.io/v1", "ResourceSlice"),
    ("scheduling.k8s.io/v1", "PriorityClass"),
    ("storage.k8s.io/v1", "CSIDriver"),
    ("storage.k8s.io/v1", "CSINode"),
    ("storage.k8s.io/v1", "CSIStorageCapacity"),
    ("storage.k8s.io/v1", "StorageClass"),
    ("storage.k8s.io/v1", "VolumeAttachment"),
    ("storage.k8s.io/v1", "VolumeAttributesClass"),
    ("v1", "ComponentStatus"),
    ("v1", "ConfigMap"),
    ("v1", "Endpoints"),
    ("v1", "Event"),
    ("v1", "LimitRange"),
    ("v1", "Namespace"),
    ("v1", "Node"),
    ("v1", "PersistentVolume"),
    ("v1", "PersistentVolumeClaim"),
    ("v1", "Pod"),
    ("v1", "PodTemplate"),
    ("v1", "ReplicationController"),
    ("v1", "ResourceQuota"),
    ("v1", "Secret"),
    ("v1", "Service"),
    ("v1", "ServiceAccount"),
];

/// Whether `kind` in `api_version` is a built-in v1.34 kind (see [`BUILTIN_V1_34`]).
pub fn is_builtin(api_version: &str, kind: &str) -> bool {
    BUILTIN_V1_34.iter().any(|(v, k)| *v == api_version && *k == kind)
}

/// Short names of built-in resources the playground does not simulate (`kubectl api-resources`
/// SHORTNAMES of a v1.34 cluster), so `kubectl get cm` is answered as for `configmaps`.
const BUILTIN_SHORT_NAMES: &[(&str, &str)] = &[
    ("cm", "ConfigMap"),
    ("cs", "ComponentStatus"),
    ("limits", "LimitRange"),
    ("quota", "ResourceQuota"),
    ("rc", "ReplicationController"),
    ("sa", "ServiceAccount"),
    ("cj", "CronJob"),
    ("hpa", "HorizontalPodAutoscaler"),
    ("ing", "Ingress"),
    ("netpol", "NetworkPolicy"),
    ("pc", "PriorityClass"),
    ("csr", "CertificateSigningRequest"),
    ("crd", "CustomResourceDefinition"),
    ("crds", "CustomResourceDefinition"),
];

/// The resource name of a kind, as the API server makes it (`ConfigMap` → `configmaps`,
/// `NetworkPolicy` → `networkpolicies`, `Ingress` → `ingresses`).
fn plural(kind: &str) -> String {
    let lower = kind.to_ascii_lowercase();
    if let Some(stem) = lower
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'i', 'o', 'u']))
    {
        format!("{stem}ies")
    } else if lower.ends_with('s') {
        format!("{lower}es")
    } else {
        format!("{lower}s")
    }
}

/// The built-in kind a resource word names (`configmaps`, `configmap`, `cm`, `ConfigMap`,
/// `cronjobs.batch`), for kinds the playground does not simulate: its `(apiVersion, kind)`.
pub fn builtin_by_word(word: &str) -> Option<(&'static str, &'static str)> {
    let w = word.to_ascii_lowercase();
    let (name, group) = w.split_once('.').map_or((w.as_str(), None), |(n, g)| (n, Some(g)));
    let short = BUILTIN_SHORT_NAMES.iter().find(|(s, _)| *s == name).map(|(_, k)| *k);
    BUILTIN_V1_34.iter().copied().find(|(version, kind)| {
        let kind_group = version.rsplit_once('/').map_or("", |(g, _)| g);
        let named = short == Some(*kind) || name == kind.to_ascii_lowercase() || name == plural(kind);
        named && group.is_none_or(|g| g == kind_group)
    })
}

/// What the playground says of a built-in kind it does not simulate (kubectl and the editor).
pub fn not_simulated(api_version: &str, kind: &str) -> String {
    format!(
        "the playground does not simulate {kind} objects: {api_version} {kind} is a built-in Kubernetes v1.34 kind that a real cluster would accept, but only StatefulSets, Deployments, ReplicaSets, DaemonSets, Services, Pods, PersistentVolumeClaims, PersistentVolumes, StorageClasses, PodDisruptionBudgets, Nodes and Namespaces are modelled here"
    )
}

/// The kind kubectl means by a resource word on the command line (`pods`, `po`, `sts`,
/// `statefulset.apps`, `StatefulSet`), case-insensitively as kubectl matches it.
pub fn by_cli_name(word: &str) -> Option<&'static Resource> {
    let w = word.to_ascii_lowercase();
    RESOURCES.iter().find(|r| {
        let group_forms = !r.group.is_empty()
            && (w == format!("{}.{}", r.plural, r.group) || w == format!("{}.{}", r.singular, r.group));
        w == r.plural
            || w == r.singular
            || r.short.contains(&w.as_str())
            || w == r.name.to_ascii_lowercase()
            || group_forms
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_names() {
        assert_eq!(by_cli_name("sts").unwrap().kind, Kind::StatefulSet);
        assert_eq!(by_cli_name("StatefulSets.apps").unwrap().kind, Kind::StatefulSet);
        assert_eq!(by_cli_name("pvc").unwrap().kind, Kind::PersistentVolumeClaim);
        assert_eq!(by_cli_name("po").unwrap().kind, Kind::Pod);
        assert!(by_cli_name("foo").is_none());
        assert_eq!(Kind::StatefulSet.qualified(), "statefulset.apps");
        assert_eq!(Kind::Pod.qualified(), "pod");
    }
}

#[cfg(test)]
mod builtin_tests {
    use super::*;

    #[test]
    fn resource_words_of_builtin_kinds() {
        assert_eq!(plural("ConfigMap"), "configmaps");
        assert_eq!(plural("NetworkPolicy"), "networkpolicies");
        assert_eq!(plural("Ingress"), "ingresses");
        assert_eq!(plural("Gateway"), "gateways");
        assert_eq!(builtin_by_word("cm"), Some(("v1", "ConfigMap")));
        assert_eq!(builtin_by_word("Secret"), Some(("v1", "Secret")));
        assert_eq!(builtin_by_word("cronjobs.batch"), Some(("batch/v1", "CronJob")));
        assert_eq!(builtin_by_word("cronjobs.apps"), None);
        assert_eq!(builtin_by_word("widgets"), None);
        // Alpha and beta versions are not served by default, so they are not built in.
        assert!(!is_builtin("batch/v1beta1", "CronJob"));
        assert!(is_builtin("storage.k8s.io/v1", "VolumeAttributesClass"));
    }
}
