//! Manifest diagnostics: what the editor underlines and `stsim lint` prints. Three layers, each
//! placed on the span of the offending key or value in the right document:
//! 1. YAML: syntax (the parser's position), duplicate keys, tabs used for indentation, limits;
//! 2. the API server: kinds it serves, quantities it can decode, and the create validation it
//!    runs (`api::validation`), or the update rules when the object already exists, in its words;
//! 3. consequences: what the simulated cluster (plus the other documents of the same file)
//!    will do with the object: a claim that will stay Pending, a StatefulSet without per-pod DNS,
//!    a Deployment that will hit Multi-Attach, a PDB that blocks every drain, and the
//!    StatefulSet checks of kube-score and kube-linter that fit.
//!
//! Pure engine code: the UI and the CLI both call [`lint`].

use crate::api::resources::{self, Kind};
use crate::api::selector::Selector;
use crate::api::{defaults, meta, quantities, validation};
use crate::value::Value;
use crate::world::Cluster;
use crate::yaml::{self, Limits, Seg, Span, Tree};

/// How serious a diagnostic is. Errors block Apply; warnings and infos do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One finding, on a span of the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// 0-based index of the YAML document.
    pub doc: usize,
    pub span: Span,
    pub severity: Severity,
    /// A stable rule id (`yaml-syntax`, `api-invalid`, `pvc-no-such-class`, …).
    pub rule: &'static str,
    /// What is wrong, in the API server's words where it has words for it.
    pub message: String,
    /// One plain line: why it matters.
    pub why: &'static str,
    /// The lesson that covers it, if one does.
    pub lesson: Option<&'static str>,
}

impl Diagnostic {
    /// `FILE:LINE:COL: SEVERITY [RULE-ID] message`, as `stsim lint` prints it.
    pub fn line(&self, file: &str) -> String {
        format!(
            "{file}:{}:{}: {} [{}] {}",
            self.span.start.line,
            self.span.start.col,
            self.severity.word(),
            self.rule,
            self.message
        )
    }
}

/// Every diagnostic of a manifest, against `cluster` (what exists already: classes, Services,
/// PVs, objects an apply would update). Sorted by position.
pub fn lint(text: &str, cluster: &Cluster) -> Vec<Diagnostic> {
    lint_together(&[text], cluster).pop().unwrap_or_default()
}

/// The diagnostics of several files applied together (`kubectl apply -f a.yaml -f b.yaml`,
/// `stsim lint a.yaml b.yaml`): each file's own problems, with every object of every file known
/// to the others (a Service one file declares serves the StatefulSet of another). One list per
/// file, in order, each sorted by position.
pub fn lint_together(texts: &[&str], cluster: &Cluster) -> Vec<Vec<Diagnostic>> {
    let read: Vec<Read> = texts.iter().map(|t| read(t, cluster)).collect();
    let all: Vec<(usize, Kind, Value)> = read.iter().flat_map(|r| r.objects.iter().cloned()).collect();
    let world = World::new(cluster, &all);
    read.into_iter()
        .map(|Read { tree, mut out, objects }| {
            for (index, kind, value) in &objects {
                consequences(&tree, *index, *kind, value, &world, &mut out);
            }
            duplicates(&tree, &objects, &mut out);
            crate::sort::by(&mut out, &|a, b| {
                (a.span.start, a.severity, a.rule, &a.message).cmp(&(b.span.start, b.severity, b.rule, &b.message))
            });
            out.dedup();
            out
        })
        .collect()
}

/// An object declared twice in one file: kubectl applies both, one after the other, so the
/// second replaces (or patches) what the first made; both places are marked.
fn duplicates(tree: &Tree, objects: &[(usize, Kind, Value)], out: &mut Vec<Diagnostic>) {
    for (i, (doc, kind, v)) in objects.iter().enumerate() {
        let same = |(_, k, w): &&(usize, Kind, Value)| {
            k == kind && ns_of(*k, w) == ns_of(*kind, v) && meta::name(w) == meta::name(v)
        };
        for (other_doc, _, _) in objects
            .iter()
            .enumerate()
            .filter(|(j, o)| *j != i && same(o))
            .map(|(_, o)| o)
        {
            let other_line = place(tree, *other_doc, "metadata.name").start.line;
            out.push(diag(
                *doc,
                place(tree, *doc, "metadata.name"),
                Severity::Warning,
                "manifest-duplicate-object",
                format!(
                    "{} \"{}\" is declared twice in this file (again on line {other_line}): kubectl applies both in turn, so one overwrites the other",
                    kind.info().name,
                    meta::name(v)
                ),
                "one file should declare each object once; a template added twice is the usual cause.",
            ));
        }
    }
}

/// One file read: its YAML tree, the diagnostics of its own (YAML, kinds, the API server's
/// checks), and its objects.
struct Read {
    tree: Tree,
    out: Vec<Diagnostic>,
    objects: Vec<(usize, Kind, Value)>,
}

fn read(text: &str, cluster: &Cluster) -> Read {
    let limits = Limits::default();
    let (tree, errors) = yaml::parse(text, limits);
    let mut out: Vec<Diagnostic> = errors
        .iter()
        .map(|e| Diagnostic {
            doc: e.doc,
            span: e.span,
            severity: Severity::Error,
            rule: e.rule,
            message: e.message.clone(),
            why: match e.rule {
                "yaml-duplicate-key" => {
                    "kubectl refuses the whole file: the YAML-to-JSON step rejects a key given twice."
                }
                "yaml-tab-indent" => "YAML forbids tabs for indentation; kubectl cannot read the file.",
                "yaml-limit" => "the file is too large or too deeply nested to read safely.",
                _ => "kubectl cannot read the file, so nothing in it is applied.",
            },
            lesson: None,
        })
        .collect();
    // Documents after a syntax error are not read (as kubectl stops there).
    let stop = errors
        .iter()
        .filter(|e| e.rule != "yaml-duplicate-key")
        .map(|e| e.doc)
        .min()
        .unwrap_or(usize::MAX);
    let mut objects = Vec::new();
    for (index, doc) in tree.docs.iter().enumerate() {
        if index >= stop || doc.root.is_none() {
            continue;
        }
        let Ok(value) = tree.to_value(index, limits) else {
            continue; // the alias limit was reported by the parse
        };
        let at = |path: &str| place(&tree, index, path);
        match &value {
            Value::Null => continue,
            Value::Map(_) => {}
            other => {
                out.push(diag(
                    index,
                    at(""),
                    Severity::Error,
                    "manifest-not-object",
                    format!("a Kubernetes object is a map of fields, not a {}", other.type_name()),
                    "kubectl cannot turn this document into an object.",
                ));
                continue;
            }
        }
        let (api_version, kind_name) = (value.str_at("apiVersion"), value.str_at("kind"));
        if kind_name.is_empty() || api_version.is_empty() {
            let missing = if kind_name.is_empty() { "kind" } else { "apiVersion" };
            out.push(diag(
                index,
                at(""),
                Severity::Error,
                "manifest-kind",
                format!("error validating data: {missing} not set"),
                "every object needs apiVersion and kind, so the API server knows what it is.",
            ));
            continue;
        }
        let Some(resource) = resources::by_manifest(api_version, kind_name) else {
            if resources::is_builtin(api_version, kind_name) {
                out.push(diag(
                    index,
                    at("kind"),
                    // A limit of the playground, not a fault of the manifest: a note, so a
                    // linter run exits 0 on a manifest a cluster would accept.
                    Severity::Info,
                    "not-simulated",
                    resources::not_simulated(api_version, kind_name),
                    "Apply sends the other objects and refuses this one rather than pretend to run it; a real cluster would accept it.",
                ));
                continue;
            }
            // A kind the cluster serves in another version: the apiVersion is what to change.
            let served = resources::RESOURCES.iter().find(|r| r.name == kind_name);
            out.push(diag(
                index,
                at(if served.is_some() { "apiVersion" } else { "kind" }),
                Severity::Error,
                "manifest-kind",
                match served {
                    Some(r) => format!(
                        "no matches for kind \"{kind_name}\" in version \"{api_version}\": the cluster serves {kind_name} as {}",
                        r.api_version
                    ),
                    None => format!("no matches for kind \"{kind_name}\" in version \"{api_version}\""),
                },
                "the cluster has no such kind in that API version (check the apiVersion, e.g. apps/v1 for StatefulSet).",
            ));
            continue;
        };
        objects.push((index, resource.kind, value));
    }
    for (index, kind, value) in &objects {
        api_layer(&tree, *index, *kind, value, cluster, &mut out);
    }
    Read { tree, out, objects }
}

fn diag(
    doc: usize,
    span: Span,
    severity: Severity,
    rule: &'static str,
    message: String,
    why: &'static str,
) -> Diagnostic {
    Diagnostic {
        doc,
        span,
        severity,
        rule,
        message,
        why,
        lesson: None,
    }
}

/// The span of the value at an API field path (`spec.template.spec.containers[0].image`), or of
/// the deepest part of it the source has (a missing field lands on the parent that should hold
/// it). The empty path is the document.
fn place(tree: &Tree, doc: usize, path: &str) -> Span {
    let segs = yaml::field_path(path);
    match tree.locate(doc, &segs) {
        Some((key, value)) => {
            // A missing leaf: point at the key of its parent, where it belongs. A block map or
            // list (its value starts on a later line): point at its key.
            let block = key.is_some_and(|k| value.start.line > k.start.line);
            if block || deepest_found(tree, doc, &segs) < segs.len() {
                key.unwrap_or(value)
            } else {
                value
            }
        }
        None => Span::default(),
    }
}

/// How many steps of `segs` the source has.
fn deepest_found(tree: &Tree, doc: usize, segs: &[Seg]) -> usize {
    (0..=segs.len())
        .rev()
        .find(|n| {
            let (Some(a), Some(b)) = (tree.locate(doc, &segs[..*n]), tree.locate(doc, segs)) else {
                return false;
            };
            a == b
        })
        .unwrap_or(0)
}

/// The span of a map key itself at a path (for "this field" findings).
fn key_span(tree: &Tree, doc: usize, path: &str) -> Span {
    let segs = yaml::field_path(path);
    match tree.locate(doc, &segs) {
        Some((Some(key), _)) => key,
        Some((None, value)) => value,
        None => Span::default(),
    }
}

/// Layer 2: decoding and the API server's validation.
fn api_layer(tree: &Tree, doc: usize, kind: Kind, value: &Value, cluster: &Cluster, out: &mut Vec<Diagnostic>) {
    for q in quantities::bad(kind, value) {
        let hint = suggest_quantity(&q.text)
            .map(|s| format!(" (did you mean {s}?)"))
            .unwrap_or_default();
        out.push(diag(
            doc,
            place(tree, doc, &q.path),
            Severity::Error,
            "api-quantity",
            format!("quantity \"{}\": {}{hint}", q.text, q.error),
            "the API server cannot decode the object, so it refuses all of it; sizes use Ki, Mi, Gi (powers of 1024) or k, M, G (powers of 1000), never GB.",
        ));
    }
    let wrong_types = crate::api::schema::wrong_types(value);
    let undecodable = !wrong_types.is_empty();
    for w in wrong_types {
        out.push(diag(
            doc,
            place(tree, doc, &w.path),
            Severity::Error,
            "api-type",
            w.message,
            "the API server cannot decode the object, so it refuses all of it; quote a value to make it a string (\"3\", \"true\"), or unquote a number.",
        ));
    }
    for u in crate::api::schema::unknown(value) {
        let hint = u
            .suggestion
            .map(|s| format!(" (did you mean {s}?)"))
            .unwrap_or_default();
        out.push(diag(
            doc,
            key_span(tree, doc, &u.path),
            Severity::Error,
            "api-unknown-field",
            format!("unknown field \"{}\"{hint}", u.path),
            "kubectl validates fields strictly: the API server refuses the object (\"strict decoding error\") rather than drop a field it does not know.",
        ));
    }
    if undecodable {
        // The API server stops at the decode error: it validates nothing else.
        return;
    }
    let mut obj = value.clone();
    defaults::apply(kind, &mut obj);
    let namespace = if kind.info().namespaced {
        match meta::namespace(value) {
            "" => "default",
            ns => ns,
        }
    } else {
        ""
    };
    let existing = cluster.get(kind, namespace, meta::name(value));
    match existing {
        Some(old) => crate::api::strategy::prepare_for_update(kind, &mut obj, old),
        None => crate::api::strategy::prepare_for_create(kind, &mut obj),
    }
    let causes = match existing {
        Some(old) => validation::validate_update(kind, &obj, old),
        None => validation::validate_create(kind, &obj),
    };
    // On an update, what the create rules alone would also refuse is an invalid value; the
    // rest is what may not change.
    let create_causes = match existing {
        Some(_) => validation::validate_create(kind, &obj),
        None => Vec::new(),
    };
    for cause in causes {
        let mut path = cause.split(": ").next().unwrap_or("");
        // The Service strategy copies clusterIP into clusterIPs: a manifest that writes only
        // clusterIP gets the finding there.
        if path.starts_with("spec.clusterIPs") && value.at("spec.clusterIPs").is_none() {
            path = "spec.clusterIP";
        }
        let rule = if existing.is_some() && !create_causes.contains(&cause) {
            "api-immutable"
        } else {
            "api-invalid"
        };
        out.push(diag(
            doc,
            place(tree, doc, path),
            Severity::Error,
            rule,
            format!("The {} \"{}\" is invalid: {cause}", kind.info().name, meta::name(value)),
            if rule == "api-immutable" {
                "this object already exists and the API server refuses to change these fields; delete and recreate it (for a StatefulSet: delete --cascade=orphan, then apply)."
            } else if existing.is_some() {
                "the API server refuses the change, so the object stays as it is."
            } else {
                "the API server refuses the object, so nothing of it is created."
            },
        ));
    }
}

/// What the cluster plus this file contain, for consequence lints.
struct World<'a> {
    cluster: &'a Cluster,
    /// Objects of the file by (kind, namespace, name), sorted by it (a later document replaces
    /// an earlier one of the same name, as applying the file would).
    file: Vec<((Kind, String, String), &'a Value)>,
}

impl<'a> World<'a> {
    fn new(cluster: &'a Cluster, objects: &'a [(usize, Kind, Value)]) -> World<'a> {
        let mut file: Vec<((Kind, String, String), &Value)> = objects
            .iter()
            .map(|(_, kind, v)| ((*kind, ns_of(*kind, v), meta::name(v).to_string()), v))
            .collect();
        crate::sort::by(&mut file, &|a, b| a.0.cmp(&b.0));
        file.reverse();
        file.dedup_by(|a, b| a.0 == b.0);
        file.reverse();
        World { cluster, file }
    }

    fn in_file(&self, kind: Kind, namespace: &str, name: &str) -> Option<&'a Value> {
        self.file
            .binary_search_by(|((k, ns, n), _)| (*k, ns.as_str(), n.as_str()).cmp(&(kind, namespace, name)))
            .ok()
            .map(|i| self.file[i].1)
    }

    fn get(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Value> {
        let ns = if kind.info().namespaced { namespace } else { "" };
        self.in_file(kind, ns, name)
            .or_else(|| self.cluster.get(kind, ns, name))
    }

    fn all(&self, kind: Kind) -> Vec<&Value> {
        let mut v: Vec<&Value> = self
            .file
            .iter()
            .filter(|((k, _, _), _)| *k == kind)
            .map(|(_, v)| *v)
            .collect();
        for o in self.cluster.store.list(kind, None) {
            if self.in_file(kind, &ns_of(kind, o), meta::name(o)).is_none() {
                v.push(o);
            }
        }
        v
    }

    fn default_class(&self) -> Option<String> {
        self.all(Kind::StorageClass)
            .into_iter()
            .find(|sc| meta::annotation(sc, crate::apiserver::DEFAULT_CLASS_ANNOTATION) == Some("true"))
            .map(|sc| meta::name(sc).to_string())
    }
}

fn ns_of(kind: Kind, v: &Value) -> String {
    if !kind.info().namespaced {
        return String::new();
    }
    match meta::namespace(v) {
        "" => "default".to_string(),
        ns => ns.to_string(),
    }
}

/// Layer 3: what the cluster will do with the object.
fn consequences(tree: &Tree, doc: usize, kind: Kind, v: &Value, world: &World, out: &mut Vec<Diagnostic>) {
    let ns = ns_of(kind, v);
    let mut push = |path: &str,
                    key: bool,
                    severity: Severity,
                    rule: &'static str,
                    message: String,
                    why: &'static str,
                    lesson: Option<&'static str>| {
        let span = if key {
            key_span(tree, doc, path)
        } else {
            place(tree, doc, path)
        };
        out.push(Diagnostic {
            lesson,
            ..diag(doc, span, severity, rule, message, why)
        });
    };
    if let Some(path) = crate::apiserver::unsimulated_init_containers(kind, v) {
        push(
            &path,
            true,
            Severity::Info,
            "not-simulated",
            "the playground does not run init containers yet, so Apply refuses this object (a real API server would accept it)".to_string(),
            "the simulated kubelet would start the pod as if they were not there, which a real cluster never does (Init:0/1, then PodInitializing); remove them to try the rest.",
            None,
        );
    }
    // Every kind that holds a pod spec gets the container checks, on its own path.
    if let Some(path) = kind.pod_spec_path() {
        let workload = if kind == Kind::StatefulSet {
            Workload::Set(v)
        } else {
            Workload::Other
        };
        pod_template_checks(path, v.at(path), &mut push);
        probe_checks(path, v.at(path), &workload, &mut push);
    }
    match kind {
        Kind::StatefulSet => {
            for (i, t) in list(v, "spec.volumeClaimTemplates").iter().enumerate() {
                claim_consequences(&format!("spec.volumeClaimTemplates[{i}]."), t, world, &mut push);
            }
            statefulset_consequences(v, &ns, world, &mut push);
        }
        Kind::PersistentVolumeClaim => claim_consequences("", v, world, &mut push),
        Kind::Deployment => deployment_consequences(v, &ns, world, &mut push),
        Kind::PodDisruptionBudget => pdb_consequences(v, &ns, world, &mut push),
        Kind::StorageClass
            if v.str_at("volumeBindingMode") == "WaitForFirstConsumer"
                && v.str_at("provisioner") == "ebs.csi.aws.com" =>
        {
            push(
                    "volumeBindingMode",
                    false,
                    Severity::Info,
                    "sc-wffc-zone-pinning",
                    "WaitForFirstConsumer creates each EBS volume in the zone of its first pod's node, and the volume stays in that zone".into(),
                    "a pod can later run only in that zone: if it has no room there, the pod stays Pending.",
                    Some("storage"),
                );
        }
        _ => {}
    }
}

type Push<'p> = dyn FnMut(&str, bool, Severity, &'static str, String, &'static str, Option<&'static str>) + 'p;

/// A claim (or claim template, at `prefix`) that will stay Pending. Its class is what the PV
/// controller reads (`GetPersistentVolumeClaimClass`): the beta annotation before the field.
fn claim_consequences(prefix: &str, claim: &Value, world: &World, push: &mut Push) {
    let Some(spec) = claim.get("spec") else { return };
    let path = format!("{prefix}spec");
    let path = path.as_str();
    let modes: Vec<&str> = spec
        .get("accessModes")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let annotated = claim
        .at("metadata.annotations")
        .is_some_and(|a| a.get(crate::api::claims::BETA_CLASS_ANNOTATION).is_some());
    let class_at = if annotated {
        format!(
            "{prefix}metadata.annotations[{}]",
            crate::api::claims::BETA_CLASS_ANNOTATION
        )
    } else {
        format!("{path}.storageClassName")
    };
    if annotated {
        let field = spec.str_at("storageClassName");
        push(
            &class_at,
            false,
            Severity::Warning,
            "pvc-beta-class-annotation",
            match field {
                "" => format!("{}; the PV controller reads this annotation for the claim's class", crate::api::claims::BETA_CLASS_WARNING),
                f => format!("{}; the PV controller reads this annotation, not storageClassName \"{f}\"", crate::api::claims::BETA_CLASS_WARNING),
            },
            "the annotation names the class and wins over spec.storageClassName, and the default class is not given to such a claim.",
            Some("storage"),
        );
    }
    let class_name = crate::api::claims::has_class(claim).then(|| crate::api::claims::class(claim).to_string());
    let class_name = match class_name {
        Some(c) if c.is_empty() => return, // "" asks for a static PV of no class
        Some(c) => c,
        None => match world.default_class() {
            Some(c) => c,
            None => {
                push(
                    path,
                    true,
                    Severity::Warning,
                    "pvc-no-default-class",
                    "no storageClassName and the cluster has no default StorageClass: the claim waits for a matching static PV (FailedBinding \"no persistent volumes available for this claim and no storage class is set\")".into(),
                    "the claim stays Pending, and so does every pod that uses it.",
                    Some("storage"),
                );
                return;
            }
        },
    };
    let Some(class) = world.get(Kind::StorageClass, "", &class_name) else {
        push(
            &class_at,
            false,
            Severity::Warning,
            "pvc-no-such-class",
            format!("StorageClass \"{class_name}\" does not exist: the claim will stay Pending with ProvisioningFailed \"storageclass.storage.k8s.io \\\"{class_name}\\\" not found\""),
            "nothing provisions a volume for it, so its pods stay Pending.",
            Some("storage"),
        );
        return;
    };
    let provisioner = crate::api::volumes::csi_provisioner(class.str_at("provisioner"));
    if provisioner == "ebs.csi.aws.com" {
        let bad: Vec<&str> = modes
            .iter()
            .copied()
            .filter(|m| !matches!(*m, "ReadWriteOnce" | "ReadWriteOncePod"))
            .collect();
        if !bad.is_empty() {
            push(
                &format!("{path}.accessModes"),
                false,
                Severity::Warning,
                "pvc-access-mode-unsupported",
                format!("the EBS CSI driver supports only ReadWriteOnce and ReadWriteOncePod, not {}: provisioning will fail (ProvisioningFailed … InvalidArgument)", bad.join(", ")),
                "an EBS volume attaches to one node at a time; for many nodes use EFS (ReadWriteMany).",
                Some("storage"),
            );
        }
    } else if !matches!(provisioner, "efs.csi.aws.com") && spec.get("volumeName").is_none() {
        push(
            &format!("{path}.storageClassName"),
            false,
            Severity::Warning,
            "pvc-provisioner-not-running",
            format!("no provisioner \"{provisioner}\" runs in this cluster: the claim will wait (ExternalProvisioning) until one does"),
            "the claim stays Pending, and so do its pods.",
            Some("storage"),
        );
    }
}

fn statefulset_consequences(v: &Value, ns: &str, world: &World, push: &mut Push) {
    let replicas = v.at("spec.replicas").and_then(Value::as_i64).unwrap_or(1);
    let template_labels = v.string_map("spec.template.metadata.labels");
    let service = v.str_at("spec.serviceName");
    if !service.is_empty() {
        match world.get(Kind::Service, ns, service) {
            None => push(
                "spec.serviceName",
                false,
                Severity::Warning,
                "sts-service-missing",
                format!("no Service \"{service}\" in namespace \"{ns}\": the pods run, but get no DNS names (<pod>.{service}.{ns}.svc.cluster.local does not resolve)"),
                "the StatefulSet never creates its governing Service; you must.",
                Some("dns"),
            ),
            Some(svc) => {
                if svc.str_at("spec.clusterIP") != "None" {
                    push(
                        "spec.serviceName",
                        false,
                        Severity::Warning,
                        "sts-service-not-headless",
                        format!("Service \"{service}\" is not headless (clusterIP: None): there are no per-pod DNS records"),
                        "only a headless Service gives each pod its stable name.",
                        Some("dns"),
                    );
                }
                let selector = svc.string_map("spec.selector");
                if !selector.is_empty() && !Selector::from_map(&selector).matches(&template_labels) {
                    push(
                        "spec.serviceName",
                        false,
                        Severity::Warning,
                        "sts-service-selector-mismatch",
                        format!("Service \"{service}\" selects {} but the pods are labelled {}: no endpoints, no DNS", crate::kubectl::printers::label_pairs(&selector), crate::kubectl::printers::label_pairs(&template_labels)),
                        "DNS records exist only for pods the Service selects.",
                        Some("dns"),
                    );
                }
            }
        }
    }
    // Claim templates no container mounts.
    let spec = v.at("spec.template.spec");
    let mounted: Vec<&str> = ["containers", "initContainers"]
        .iter()
        .flat_map(|l| spec.and_then(|s| s.get(l)).map(Value::as_list).unwrap_or(&[]))
        .flat_map(|c| list(c, "volumeMounts"))
        .map(|m| m.str_at("name"))
        .collect();
    for (i, t) in list(v, "spec.volumeClaimTemplates").iter().enumerate() {
        let name = t.str_at("metadata.name");
        if !name.is_empty() && !mounted.contains(&name) {
            push(
                &format!("spec.volumeClaimTemplates[{i}].metadata.name"),
                false,
                Severity::Warning,
                "sts-claim-template-unmounted",
                format!("no container mounts claim template \"{name}\": each pod still gets a claim and a disk it never uses"),
                "data you think is persisted is written to the container's own filesystem and lost on restart.",
                Some("storage"),
            );
        }
    }
    if v.str_at("spec.persistentVolumeClaimRetentionPolicy.whenScaled") == "Delete" {
        push(
            "spec.persistentVolumeClaimRetentionPolicy.whenScaled",
            false,
            Severity::Warning,
            "sts-retention-delete",
            "whenScaled: Delete deletes the claims of scaled-down pods, and with reclaimPolicy Delete their disks"
                .into(),
            "scaling down destroys data for good; back it up first.",
            Some("storage"),
        );
    }
    anti_affinity_selects_own_pods(v, ns, &template_labels, push);
    if replicas > 1 {
        let labels = &template_labels;
        let has_pdb = world.all(Kind::PodDisruptionBudget).into_iter().any(|p| {
            ns_of(Kind::PodDisruptionBudget, p) == ns
                && p.get("spec")
                    .and_then(|s| s.get("selector"))
                    .is_some_and(|s| Selector::from_label_selector(s).matches(labels))
        });
        if !has_pdb {
            push(
                "kind",
                false,
                Severity::Info,
                "sts-no-pdb",
                format!("no PodDisruptionBudget selects the pods of StatefulSet \"{}\"", meta::name(v)),
                "a drain may evict several replicas at once; a PDB makes evictions wait (it does not guard deletes, updates or scale-down).",
                Some("disruptions"),
            );
        }
        let spec = v.at("spec.template.spec");
        // A hostPort spreads the replicas too: two pods asking for one port never share a node
        // (the scheduler's NodePorts filter).
        let host_port = spec
            .into_iter()
            .flat_map(|s| list(s, "containers"))
            .flat_map(|c| list(c, "ports"))
            .any(|p| p.get("hostPort").and_then(Value::as_i64).is_some_and(|n| n > 0));
        let spread = host_port
            || spec.is_some_and(|s| {
                s.at("affinity.podAntiAffinity").is_some() || s.get("topologySpreadConstraints").is_some()
            });
        if !spread {
            push(
                "spec.template.spec",
                true,
                Severity::Info,
                "sts-no-anti-affinity",
                "no podAntiAffinity or topologySpreadConstraints: several replicas may land on one node".into(),
                "losing that node then takes down several replicas at once.",
                None,
            );
        }
    }
}

/// A StatefulSet whose pod anti-affinity terms select none of its own pods: the terms are kept
/// (the scheduler applies them to whatever pods they do select), but they do not keep the
/// replicas apart, which is what such a term on a StatefulSet is almost always for. A term is
/// read as the API server stores it on the pods (`matchLabelKeys` and `mismatchLabelKeys`
/// merged against the template's labels) and as the scheduler applies it (its namespaces, the
/// set's own by default). Terms naming a label the controller adds to each pod
/// (`statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index`,
/// `controller-revision-hash`), or selecting namespaces by label, are taken to match.
fn anti_affinity_selects_own_pods(
    v: &Value,
    ns: &str,
    labels: &std::collections::BTreeMap<String, String>,
    push: &mut Push,
) {
    const ADDED: [&str; 3] = [
        "statefulset.kubernetes.io/pod-name",
        "apps.kubernetes.io/pod-index",
        "controller-revision-hash",
    ];
    let base = "spec.template.spec.affinity.podAntiAffinity";
    let required = list(v, &format!("{base}.requiredDuringSchedulingIgnoredDuringExecution"));
    let preferred = list(v, &format!("{base}.preferredDuringSchedulingIgnoredDuringExecution"));
    let terms: Vec<(String, &Value)> = required
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("{base}.requiredDuringSchedulingIgnoredDuringExecution[{i}]"), t))
        .chain(preferred.iter().enumerate().filter_map(|(i, w)| {
            let t = w.get("podAffinityTerm")?;
            Some((
                format!("{base}.preferredDuringSchedulingIgnoredDuringExecution[{i}].podAffinityTerm"),
                t,
            ))
        }))
        .collect();
    let selects_own = |t: &Value| {
        let namespaces = list(t, "namespaces");
        let in_namespace = t.get("namespaceSelector").is_some_and(|s| !s.is_null())
            || namespaces.is_empty()
            || namespaces.iter().any(|n| n.as_str() == Some(ns));
        let Some(selector) = t.get("labelSelector").filter(|s| !s.is_null()) else {
            return false;
        };
        let keys = |field: &str| list(t, field).iter().filter_map(Value::as_str).collect::<Vec<_>>();
        let named = selector
            .string_map("matchLabels")
            .into_keys()
            .chain(
                list(selector, "matchExpressions")
                    .iter()
                    .map(|e| e.str_at("key").to_string()),
            )
            .any(|k| ADDED.contains(&k.as_str()));
        // mismatchLabelKeys become `key NotIn (own value)`: the set's own pods never match.
        let excluded = keys("mismatchLabelKeys").iter().any(|k| labels.contains_key(*k));
        let matches = crate::api::selector::label_selector(Some(selector)).is_some_and(|s| s.matches(labels));
        in_namespace && !excluded && (named || matches)
    };
    let Some((path, first)) = terms.first() else {
        return;
    };
    if terms.iter().any(|(_, t)| selects_own(t)) {
        return;
    }
    let at = if first.get("labelSelector").is_some() {
        format!("{path}.labelSelector")
    } else {
        path.clone()
    };
    push(
        &at,
        true,
        Severity::Warning,
        "sts-anti-affinity-selects-none",
        format!(
            "podAntiAffinity selects none of this StatefulSet's pods (labelled {}): it does not keep the replicas apart",
            crate::kubectl::printers::label_pairs(labels)
        ),
        "a term keeps a pod away from the pods its labelSelector matches; to spread the replicas it must match their own labels.",
        None,
    );
}

fn deployment_consequences(v: &Value, ns: &str, world: &World, push: &mut Push) {
    let replicas = v.at("spec.replicas").and_then(Value::as_i64).unwrap_or(1);
    let recreate = v.str_at("spec.strategy.type") == "Recreate";
    for (i, vol) in list(v, "spec.template.spec.volumes").iter().enumerate() {
        let claim_name = vol.str_at("persistentVolumeClaim.claimName");
        if claim_name.is_empty() {
            continue;
        }
        let Some(claim) = world.get(Kind::PersistentVolumeClaim, ns, claim_name) else {
            continue;
        };
        let rwo = list(claim, "spec.accessModes")
            .iter()
            .any(|m| matches!(m.as_str(), Some("ReadWriteOnce" | "ReadWriteOncePod")));
        if rwo && (replicas > 1 || !recreate) {
            let message = if replicas > 1 {
                format!("{replicas} replicas share claim \"{claim_name}\" (ReadWriteOnce): pods on other nodes will stay ContainerCreating with Multi-Attach errors")
            } else {
                format!("a RollingUpdate starts the new pod before the old one stops: on another node it waits with a Multi-Attach error for claim \"{claim_name}\"; use strategy Recreate")
            };
            push(
                &format!("spec.template.spec.volumes[{i}].persistentVolumeClaim.claimName"),
                false,
                Severity::Warning,
                "deploy-rwo-shared",
                message,
                "ReadWriteOnce means one node at a time; per-replica storage is what a StatefulSet is for.",
                Some("storage"),
            );
        }
    }
}

/// A PodDisruptionBudget that allows no disruption with every pod healthy: the disruption
/// controller (pkg/controller/disruption/disruption.go `getExpectedPodCount`) scales a
/// percentage of the expected pods rounding up, for minAvailable (desired healthy) and for
/// maxUnavailable alike, so `minAvailable: 50%` of one replica, or `90%` of three, is all of
/// them, and `maxUnavailable: 0` is none.
fn pdb_consequences(v: &Value, ns: &str, world: &World, push: &mut Push) {
    let (field, value) = match (v.at("spec.minAvailable"), v.at("spec.maxUnavailable")) {
        (Some(min), None) => ("spec.minAvailable", min),
        (None, Some(max)) => ("spec.maxUnavailable", max),
        _ => return,
    };
    let Some(selector) = v.at("spec.selector").map(Selector::from_label_selector) else {
        return;
    };
    for kind in [Kind::StatefulSet, Kind::Deployment] {
        for w in world.all(kind) {
            if ns_of(kind, w) != ns || !selector.matches(&w.string_map("spec.template.metadata.labels")) {
                continue;
            }
            let replicas = w.at("spec.replicas").and_then(Value::as_i64).unwrap_or(1);
            let Some(scaled) = crate::api::intstr::scaled(value, replicas, true) else {
                continue;
            };
            let text = crate::api::intstr::text(value);
            let of = format!("the {replicas} replicas of {} \"{}\"", kind.info().name, meta::name(w));
            let message = match field {
                "spec.minAvailable" if scaled >= replicas => Some(if text.ends_with('%') {
                    format!("minAvailable {text} of {of} rounds up to {scaled}: no eviction is ever allowed, so kubectl drain never finishes")
                } else {
                    format!("minAvailable {text} ≥ {of}: no eviction is ever allowed, so kubectl drain never finishes")
                }),
                "spec.maxUnavailable" if scaled == 0 && replicas > 0 => Some(format!(
                    "maxUnavailable {text} of {of} is 0: no eviction is ever allowed, so kubectl drain never finishes"
                )),
                _ => None,
            };
            if let Some(message) = message {
                push(
                    field,
                    false,
                    Severity::Warning,
                    "pdb-blocks-drain",
                    message,
                    "node maintenance waits for ever (\"Cannot evict pod as it would violate the pod's disruption budget.\").",
                    Some("disruptions"),
                );
            }
        }
    }
}

/// kube-score / kube-linter checks on containers that fit a StatefulSet lesson.
fn pod_template_checks(path: &str, spec: Option<&Value>, push: &mut Push) {
    let Some(spec) = spec else { return };
    for (i, c) in spec
        .get("containers")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let at = format!("{path}.containers[{i}]");
        let image = c.str_at("image");
        let tag = image.rsplit_once('/').map_or(image, |(_, last)| last);
        if !image.is_empty() && !image.contains('@') && (!tag.contains(':') || tag.ends_with(":latest")) {
            push(
                &format!("{at}.image"),
                false,
                Severity::Warning,
                "image-latest-tag",
                format!("image \"{image}\" has no fixed tag (latest): replicas may run different versions"),
                "pin a version so every pod, and every restart, runs the same code.",
                None,
            );
        }
        // Images the playground knows to exit at start (crate::images): the pod would
        // crash-loop on a real cluster too.
        if crate::images::mysql_without_password(c) {
            push(
                &format!("{at}.image"),
                false,
                Severity::Warning,
                "image-start-requirement",
                format!("the {image} image exits at start without MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD or MYSQL_RANDOM_ROOT_PASSWORD (its entrypoint: \"Database is uninitialized and password option is not specified\"): the pod will crash-loop"),
                "set one of them in env (from a Secret on a real cluster).",
                None,
            );
        }
        if crate::images::is_mysql(c) {
            for (j, m) in list(c, "volumeMounts").iter().enumerate() {
                let claim_backed = claim_volume(spec, m.str_at("name"));
                if m.str_at("mountPath").trim_end_matches('/') == crate::images::MYSQL_DATA_DIR
                    && m.get("subPath").is_none()
                    && claim_backed
                {
                    push(
                        &format!("{at}.volumeMounts[{j}].mountPath"),
                        false,
                        Severity::Warning,
                        "image-start-requirement",
                        "a new EBS (ext4) volume's root holds lost+found, and mysqld --initialize refuses a data directory that is not empty: mount a subPath of the volume (subPath: mysql), as the kubernetes.io MySQL page does".into(),
                        "the first start fails with \"--initialize specified but the data directory has files in it\" and the pod crash-loops.",
                        None,
                    );
                }
            }
        }
        // Per pod, as kube-score's container-readiness-probe check asks: the pod is Ready only
        // when every container is, so one probed container already holds the pod back.
        let probed = list(spec, "containers")
            .iter()
            .any(|ct| ct.get("readinessProbe").is_some());
        if !probed && i == 0 {
            push(
                &format!("{at}.name"),
                false,
                Severity::Info,
                "container-no-readiness-probe",
                format!("container \"{}\" has no readinessProbe: it counts as Ready as soon as it starts", c.str_at("name")),
                "OrderedReady then starts the next pod before this one can serve, and the Service sends it traffic early.",
                Some("ordering"),
            );
        }
        // SetDefaults_Pod copies limits into missing requests, so limits alone request too.
        let asks = |part: &str| {
            c.at(&format!("resources.{part}"))
                .and_then(Value::as_map)
                .is_some_and(|m| !m.is_empty())
        };
        if !asks("requests") && !asks("limits") {
            push(
                &format!("{at}.name"),
                false,
                Severity::Info,
                "container-no-requests",
                format!("container \"{}\" requests no CPU or memory", c.str_at("name")),
                "the scheduler cannot reserve room for it, and it is the first evicted under pressure.",
                None,
            );
        }
    }
}

/// Whether the pod spec's volume `name` is a claim: a persistentVolumeClaim volume, or (in a
/// StatefulSet's template) no volume of that name, which a claim template then provides.
fn claim_volume(spec: &Value, name: &str) -> bool {
    match list(spec, "volumes").iter().find(|v| v.str_at("name") == name) {
        Some(v) => v.get("persistentVolumeClaim").is_some(),
        None => true,
    }
}

/// Whose pod template a check reads: a StatefulSet's (its ordering decides what a pod that is
/// never Ready holds back) or another workload's.
enum Workload<'a> {
    Set(&'a Value),
    Other,
}

/// A readiness probe that can never pass: its port names no port of the container (the kubelet
/// cannot resolve it, see [`crate::api::pod::unresolvable_probe_port`]). For an OrderedReady
/// StatefulSet this stalls the rollout at its first ordinal.
fn probe_checks(path: &str, spec: Option<&Value>, workload: &Workload, push: &mut Push) {
    let Some(spec) = spec else { return };
    for (i, c) in list(spec, "containers").iter().enumerate() {
        let Some((handler, name)) = crate::api::pod::unresolvable_probe_port(c, "readinessProbe") else {
            continue;
        };
        let container = c.str_at("name");
        let consequence = match workload {
            Workload::Set(set) => {
                let set_name = meta::name(set);
                let start = set.at("spec.ordinals.start").and_then(Value::as_i64).unwrap_or(0);
                let replicas = set.at("spec.replicas").and_then(Value::as_i64).unwrap_or(1);
                if set.str_at("spec.podManagementPolicy") == "Parallel" {
                    format!("no pod of {set_name} ever becomes Ready (all are created; none serves)")
                } else if replicas > 1 {
                    format!(
                        "{set_name}-{start} never becomes Ready and the OrderedReady rollout stalls there: {set_name}-{} is never created",
                        start + 1
                    )
                } else {
                    format!("{set_name}-{start} never becomes Ready")
                }
            }
            Workload::Other => "its pods never become Ready".to_string(),
        };
        push(
            &format!("{path}.containers[{i}].readinessProbe.{handler}.port"),
            false,
            Severity::Warning,
            "probe-port-unknown",
            format!(
                "readinessProbe port \"{name}\" is not a port of container \"{container}\": the kubelet cannot run the probe (\"Readiness probe errored and resulted in unknown state: strconv.Atoi: parsing \"{name}\": invalid syntax\"), so {consequence}"
            ),
            "a named probe port must match a name under the container's ports; otherwise the probe errors on every run and the pod stays not Ready.",
            Some("ordering"),
        );
    }
}

/// The list at a field path (empty when absent).
fn list<'a>(v: &'a Value, path: &str) -> &'a [Value] {
    v.at(path).map(Value::as_list).unwrap_or(&[])
}

/// `1GB` → `1G` or `1Gi`: the likely intent of a size written with a byte unit.
fn suggest_quantity(text: &str) -> Option<String> {
    let t = text.trim();
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let unit = t[digits.len()..].trim();
    let prefix = match unit.to_ascii_uppercase().as_str() {
        "KB" | "KIB" => "Ki",
        "MB" | "MIB" => "Mi",
        "GB" | "GIB" => "Gi",
        "TB" | "TIB" => "Ti",
        _ => return None,
    };
    (!digits.is_empty()).then(|| format!("{digits}{prefix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint_default(text: &str) -> Vec<Diagnostic> {
        lint(text, &Cluster::default())
    }

    #[test]
    fn a_bad_quantity_lands_on_its_value() {
        let text = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1GB\n";
        let d = lint_default(text);
        let q = d.iter().find(|d| d.rule == "api-quantity").expect("found");
        assert_eq!((q.span.start.line, q.span.start.col), (9, 16));
        assert!(q.message.contains("did you mean 1Gi?"), "{}", q.message);
    }

    #[test]
    fn the_second_document_is_placed_in_the_second_document() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  clusterIP: None\n  selector:\n    app: web\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n";
        let d = lint_default(text);
        let invalid = d.iter().find(|d| d.rule == "api-invalid").expect("selector mismatch");
        assert_eq!(invalid.doc, 1);
        assert_eq!(invalid.span.start.line, 21, "{invalid:?}");
        assert!(d.iter().any(|d| d.rule == "sts-service-selector-mismatch"));
    }

    #[test]
    fn garbage_never_panics() {
        for text in [
            "",
            "---\n---\n",
            "- a\n- b\n",
            "kind: [",
            "\t\tkey: v",
            "a: &x [*x]",
            "\u{0}\u{1}\u{2}",
        ] {
            let _ = lint_default(text);
        }
    }
}
