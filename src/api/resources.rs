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
