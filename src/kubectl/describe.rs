//! `kubectl describe` (`staging/src/k8s.io/kubectl/pkg/describe/describe.go`): each describer
//! ported section by section in upstream order, written through [`writer::Writer`] (describe.go's
//! `prefixWriter` over one text/tabwriter), then the Events table.
//!
//! - [`pod`]: `describePod`, `describeContainers`, `describeVolumes`, `DescribePodTemplate`;
//! - [`node`]: `describeNode` and `describeNodeResource`;
//! - here: the workload, Service, storage and budget describers and the shared helpers
//!   (`printLabelsMultiline`, `printAnnotationsMultiline`, `DescribeEvents`).

mod node;
mod pod;
mod writer;

use std::collections::BTreeMap;

use crate::api::meta;
use crate::api::pod as podutil;
use crate::api::resources::Kind;
use crate::api::selector::Selector;
use crate::clock::{self, Millis};
use crate::kubectl::printers;
use crate::value::Value;
use crate::world::Cluster;
use writer::Writer;

/// Describe one object, or say that kubectl cannot describe that kind here.
pub fn describe(c: &Cluster, kind: Kind, obj: &Value) -> String {
    let mut w = Writer::default();
    match kind {
        Kind::Pod => pod::describe_pod(c, obj, &mut w),
        Kind::StatefulSet => describe_statefulset(c, obj, &mut w),
        Kind::Deployment => describe_deployment(c, obj, &mut w),
        Kind::PodDisruptionBudget => describe_pdb(obj, &mut w),
        Kind::Service => describe_service(c, obj, &mut w),
        Kind::PersistentVolumeClaim => describe_pvc(c, obj, &mut w),
        Kind::PersistentVolume => describe_pv(c, obj, &mut w),
        Kind::Node => node::describe_node(c, obj, &mut w),
        Kind::ReplicaSet => describe_replicaset(c, obj, &mut w),
        Kind::DaemonSet => describe_daemonset(c, obj, &mut w),
        Kind::StorageClass => describe_storageclass(obj, &mut w),
        _ => describe_generic(kind, obj, &mut w),
    }
    describe_events(c, obj, kind, &mut w);
    w.finish()
}

/// `DescribePodTemplate` alone, as `kubectl rollout history --revision` prints it: into a plain
/// buffer (polymorphichelpers/history.go `printTemplate`), so its tabs are not aligned.
pub fn describe_pod_template(template: &Value) -> String {
    let mut w = Writer::default();
    pod::describe_pod_template(&mut w, Some(template));
    w.unaligned()
}

/// Go's `Time.Format(time.RFC1123Z)` of a stored RFC 3339 time: `Mon, 02 Jan 2006 15:04:05
/// -0700` (the simulator's clock is UTC).
fn rfc1123(ts: &str) -> String {
    let Some(ms) = clock::parse_rfc3339(ts) else {
        return "<unknown>".into();
    };
    let b = ts.as_bytes();
    if b.len() < 19 {
        return ts.to_string();
    }
    let secs = clock::EPOCH + ms / 1000;
    let days = secs / 86_400;
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month: usize = ts[5..7].parse().unwrap_or(1);
    format!(
        "{weekday}, {} {} {} {} +0000",
        &ts[8..10],
        months[month.clamp(1, 12) - 1],
        &ts[0..4],
        &ts[11..19]
    )
}

/// [`rfc1123`], where a time that is not set prints as Go's zero time does.
fn rfc1123_or_zero(ts: &str) -> String {
    if ts.is_empty() {
        "Mon, 01 Jan 0001 00:00:00 +0000".into()
    } else {
        rfc1123(ts)
    }
}

/// `printLabelsMultilineWithIndent` (inner indent a tab): `title:` then the sorted `k=v`, one a
/// line, the later ones under the first; `<none>` when empty.
fn labels_multiline(w: &mut Writer, initial: &str, title: &str, labels: &BTreeMap<String, String>) {
    w.write(0, format!("{initial}{title}:\t"));
    if labels.is_empty() {
        w.write_line("<none>");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            w.write(0, initial);
            w.write(0, "\t");
        }
        w.write(0, format!("{k}={v}\n"));
    }
}

/// describe.go `maxAnnotationLen`.
const MAX_ANNOTATION_LEN: usize = 140;

/// `printAnnotationsMultiline`: sorted `key: value` lines without the last-applied
/// configuration; a long or multi-line value goes under its key, each line shortened to 138
/// bytes.
fn annotations_multiline(w: &mut Writer, title: &str, annotations: &BTreeMap<String, String>) {
    w.write(0, format!("{title}:\t"));
    let keys: Vec<&String> = annotations
        .keys()
        .filter(|k| k.as_str() != "kubectl.kubernetes.io/last-applied-configuration")
        .collect();
    if keys.is_empty() {
        w.write_line("<none>");
        return;
    }
    for (i, key) in keys.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let value = annotations[*key].strip_suffix('\n').unwrap_or(&annotations[*key]);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.write(0, format!("{key}:\n"));
            for line in value.split('\n') {
                w.write(0, format!("\t  {}\n", shorten(line, MAX_ANNOTATION_LEN - 2)));
            }
        } else {
            w.write(0, format!("{key}: {value}\n"));
        }
    }
}

/// describe.go `shorten`: the first `max` bytes and `...` (cut at a character boundary).
fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

/// `metav1.FormatLabelSelector`: the selector's string form, `<none>` when empty.
fn format_label_selector(sel: &Value) -> String {
    let text = Selector::from_label_selector(sel).to_text();
    if text.is_empty() {
        "<none>".into()
    } else {
        text
    }
}

/// `labels.FormatLabels`: `k=v,…`, `<none>` when empty.
fn format_labels(m: &BTreeMap<String, String>) -> String {
    if m.is_empty() {
        "<none>".into()
    } else {
        printers::label_pairs(m)
    }
}

/// A workload's `spec.selector` as `LabelSelectorAsSelector(…).String()` prints it.
fn selector_text(obj: &Value) -> String {
    obj.at("spec.selector")
        .map(|s| Selector::from_label_selector(s).to_text())
        .unwrap_or_default()
}

/// `printCSIPersistentVolumeAttributesMultiline`: every write is at LEVEL_2, so the values
/// after the title's tab carry four more spaces.
fn csi_attributes(w: &mut Writer, attributes: &BTreeMap<String, String>) {
    w.write(2, "VolumeAttributes:\t");
    if attributes.is_empty() {
        w.write_line("<none>");
        return;
    }
    for (i, (k, v)) in attributes.iter().enumerate() {
        if i != 0 {
            w.write(2, "");
            w.write(2, "\t");
        }
        w.write(2, format!("{}\n", shorten(&format!("{k}={v}"), MAX_ANNOTATION_LEN)));
    }
}

/// `printTaintsMultilineWithIndent`: sorted by effect then key, `key=value:Effect`.
fn taints_multiline(w: &mut Writer, title: &str, taints: &[Value]) {
    w.write(0, format!("{title}:\t"));
    if taints.is_empty() {
        w.write_line("<none>");
        return;
    }
    let mut sorted: Vec<&Value> = taints.iter().collect();
    crate::sort::by_key(&mut sorted, |t| format!("{},{}", t.str_at("effect"), t.str_at("key")));
    for (i, t) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        // Taint.ToString.
        let (key, value, effect) = (t.str_at("key"), t.str_at("value"), t.str_at("effect"));
        let text = match (value.is_empty(), effect.is_empty()) {
            (true, true) => key.to_string(),
            (false, true) => format!("{key}={value}:"),
            (true, false) => format!("{key}:{effect}"),
            (false, false) => format!("{key}={value}:{effect}"),
        };
        w.write(0, format!("{text}\n"));
    }
}

/// `printPodsMultilineWithIndent`: pod names sorted.
fn pods_multiline(w: &mut Writer, title: &str, mut names: Vec<String>) {
    w.write(0, format!("{title}:\t"));
    if names.is_empty() {
        w.write_line("<none>");
        return;
    }
    crate::sort::natural(&mut names);
    for (i, name) in names.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        w.write(0, format!("{name}\n"));
    }
}

fn describe_generic(kind: Kind, obj: &Value, w: &mut Writer) {
    w.line(0, format!("Name:\t{}", meta::name(obj)));
    if kind.info().namespaced {
        w.line(0, format!("Namespace:\t{}", meta::namespace(obj)));
    }
    labels_multiline(w, "", "Labels", &meta::labels(obj));
    annotations_multiline(w, "Annotations", &obj.string_map("metadata.annotations"));
}

/// The `Name:` and `Namespace:` lines every namespaced describer starts with.
fn name_and_namespace(w: &mut Writer, obj: &Value) {
    w.line(0, format!("Name:\t{}", meta::name(obj)));
    w.line(0, format!("Namespace:\t{}", meta::namespace(obj)));
}

fn creation_timestamp(w: &mut Writer, obj: &Value) {
    w.line(
        0,
        format!(
            "CreationTimestamp:\t{}",
            rfc1123(obj.str_at("metadata.creationTimestamp"))
        ),
    );
}

/// The objects of `kind` in the owner's namespace that it controls.
fn controlled<'a>(c: &'a Cluster, kind: Kind, owner: &Value) -> Vec<&'a Value> {
    let uid = meta::uid(owner);
    c.store
        .list(kind, Some(meta::namespace(owner)))
        .into_iter()
        .filter(|o| meta::is_controlled_by(o, uid))
        .collect()
}

/// `Pods Status:` of the workload describers (`getPodStatusForController`): the pods matching
/// the selector whose controller is the object, by phase (Pending counts as Waiting).
fn pods_status(c: &Cluster, owner: &Value, w: &mut Writer) {
    let selector = owner.at("spec.selector").map(Selector::from_label_selector);
    let pods: Vec<&Value> = controlled(c, Kind::Pod, owner)
        .into_iter()
        .filter(|p| selector.as_ref().is_some_and(|s| s.matches_object(p)))
        .collect();
    let count = |ph: &str| pods.iter().filter(|p| podutil::phase(p) == ph).count();
    w.line(
        0,
        format!(
            "Pods Status:\t{} Running / {} Waiting / {} Succeeded / {} Failed",
            count("Running"),
            count("Pending"),
            count("Succeeded"),
            count("Failed")
        ),
    );
}

/// `describeStatefulSet`.
fn describe_statefulset(c: &Cluster, s: &Value, w: &mut Writer) {
    name_and_namespace(w, s);
    creation_timestamp(w, s);
    w.line(0, format!("Selector:\t{}", selector_text(s)));
    labels_multiline(w, "", "Labels", &meta::labels(s));
    annotations_multiline(w, "Annotations", &s.string_map("metadata.annotations"));
    let desired = s.at("spec.replicas").and_then(Value::as_i64).unwrap_or(1);
    let total = s.at("status.replicas").and_then(Value::as_i64).unwrap_or(0);
    w.line(0, format!("Replicas:\t{desired} desired | {total} total"));
    w.line(0, format!("Update Strategy:\t{}", s.str_at("spec.updateStrategy.type")));
    if let Some(ru) = s.at("spec.updateStrategy.rollingUpdate").filter(|r| !r.is_null()) {
        if let Some(p) = ru.get("partition").and_then(Value::as_i64) {
            w.line(1, format!("Partition:\t{p}"));
            if let Some(max) = ru.get("maxUnavailable").filter(|m| !m.is_null()) {
                w.line(1, format!("MaxUnavailable:\t{}", crate::api::intstr::text(max)));
            }
        }
    }
    pods_status(c, s, w);
    pod::describe_pod_template(w, s.at("spec.template"));
    // describeVolumeClaimTemplates.
    let claims = s.at("spec.volumeClaimTemplates").map(Value::as_list).unwrap_or(&[]);
    if claims.is_empty() {
        w.line(0, "Volume Claims:\t<none>");
        return;
    }
    w.line(0, "Volume Claims:");
    for t in claims {
        w.line(1, format!("Name:\t{}", t.str_at("metadata.name")));
        w.line(1, format!("StorageClass:\t{}", claim_class(t)));
        labels_multiline(w, "  ", "Labels", &t.string_map("metadata.labels"));
        labels_multiline(w, "  ", "Annotations", &t.string_map("metadata.annotations"));
        match t.at("spec.resources.requests.storage") {
            Some(q) => w.line(1, format!("Capacity:\t{}", crate::api::intstr::text(q))),
            None => w.line(1, "Capacity:\t<default>"),
        }
        w.line(
            1,
            format!("Access Modes:\t[{}]", string_list(t, "spec.accessModes").join(" ")),
        );
    }
}

fn string_list<'a>(v: &'a Value, path: &str) -> Vec<&'a str> {
    v.at(path)
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

/// `storageutil.GetPersistentVolumeClaimClass`: the beta annotation, then the field.
fn claim_class(claim: &Value) -> &str {
    crate::api::claims::class(claim)
}

/// `describePodDisruptionBudgetV1`.
fn describe_pdb(b: &Value, w: &mut Writer) {
    let n = |path: &str| b.at(path).and_then(Value::as_i64).unwrap_or(0);
    let text = crate::api::intstr::text;
    name_and_namespace(w, b);
    if let Some(v) = b.at("spec.minAvailable") {
        w.line(0, format!("Min available:\t{}", text(v)));
    } else if let Some(v) = b.at("spec.maxUnavailable") {
        w.line(0, format!("Max unavailable:\t{}", text(v)));
    }
    match b.at("spec.selector").filter(|s| !s.is_null()) {
        Some(sel) => w.line(0, format!("Selector:\t{}", format_label_selector(sel))),
        None => w.line(0, "Selector:\t<unset>"),
    }
    w.line(0, "Status:");
    w.line(2, format!("Allowed disruptions:\t{}", n("status.disruptionsAllowed")));
    w.line(2, format!("Current:\t{}", n("status.currentHealthy")));
    w.line(2, format!("Desired:\t{}", n("status.desiredHealthy")));
    w.line(2, format!("Total:\t{}", n("status.expectedPods")));
}

/// The `Conditions:` table of the ReplicaSet and Deployment describers (type, status, reason).
fn workload_conditions(w: &mut Writer, obj: &Value) {
    let conditions = obj.at("status.conditions").map(Value::as_list).unwrap_or(&[]);
    if conditions.is_empty() {
        return;
    }
    w.line(0, "Conditions:");
    w.line(1, "Type\tStatus\tReason");
    w.line(1, "----\t------\t------");
    for cond in conditions {
        w.line(
            1,
            format!(
                "{} \t{}\t{}",
                cond.str_at("type"),
                cond.str_at("status"),
                cond.str_at("reason")
            ),
        );
    }
}

/// `describeReplicaSet`.
fn describe_replicaset(c: &Cluster, rs: &Value, w: &mut Writer) {
    name_and_namespace(w, rs);
    let selector = rs.at("spec.selector").map_or("<none>".into(), format_label_selector);
    w.line(0, format!("Selector:\t{selector}"));
    labels_multiline(w, "", "Labels", &meta::labels(rs));
    annotations_multiline(w, "Annotations", &rs.string_map("metadata.annotations"));
    if let Some(r) = meta::controller_ref(rs) {
        w.line(0, format!("Controlled By:\t{}/{}", r.str_at("kind"), r.str_at("name")));
    }
    w.line(
        0,
        format!(
            "Replicas:\t{} current / {} desired",
            rs.at("status.replicas").and_then(Value::as_i64).unwrap_or(0),
            rs.at("spec.replicas").and_then(Value::as_i64).unwrap_or(1)
        ),
    );
    pods_status(c, rs, w);
    pod::describe_pod_template(w, rs.at("spec.template"));
    workload_conditions(w, rs);
}

/// `describeDaemonSet`.
fn describe_daemonset(c: &Cluster, ds: &Value, w: &mut Writer) {
    let n = |path: &str| ds.at(path).and_then(Value::as_i64).unwrap_or(0);
    name_and_namespace(w, ds);
    w.line(0, format!("Selector:\t{}", selector_text(ds)));
    w.line(
        0,
        format!(
            "Node-Selector:\t{}",
            format_labels(&ds.string_map("spec.template.spec.nodeSelector"))
        ),
    );
    labels_multiline(w, "", "Labels", &meta::labels(ds));
    annotations_multiline(w, "Annotations", &ds.string_map("metadata.annotations"));
    for (title, field) in [
        ("Desired Number of Nodes Scheduled", "status.desiredNumberScheduled"),
        ("Current Number of Nodes Scheduled", "status.currentNumberScheduled"),
        (
            "Number of Nodes Scheduled with Up-to-date Pods",
            "status.updatedNumberScheduled",
        ),
        (
            "Number of Nodes Scheduled with Available Pods",
            "status.numberAvailable",
        ),
        ("Number of Nodes Misscheduled", "status.numberMisscheduled"),
    ] {
        // Written with a plain space, not a tab: these lines are not aligned upstream either.
        w.line(0, format!("{title}: {}", n(field)));
    }
    pods_status(c, ds, w);
    pod::describe_pod_template(w, ds.at("spec.template"));
}

/// `describeStorageClass`: annotations and parameters as `k=v` lists (`labels.FormatLabels`),
/// the last-applied annotation included.
fn describe_storageclass(sc: &Value, w: &mut Writer) {
    let default = [
        "storageclass.kubernetes.io/is-default-class",
        "storageclass.beta.kubernetes.io/is-default-class",
    ]
    .iter()
    .any(|k| meta::annotation(sc, k) == Some("true"));
    w.line(0, format!("Name:\t{}", meta::name(sc)));
    w.line(0, format!("IsDefaultClass:\t{}", if default { "Yes" } else { "No" }));
    w.line(
        0,
        format!(
            "Annotations:\t{}",
            format_labels(&sc.string_map("metadata.annotations"))
        ),
    );
    w.line(0, format!("Provisioner:\t{}", sc.str_at("provisioner")));
    w.line(
        0,
        format!("Parameters:\t{}", format_labels(&sc.string_map("parameters"))),
    );
    w.line(
        0,
        format!(
            "AllowVolumeExpansion:\t{}",
            match sc.get("allowVolumeExpansion").and_then(Value::as_bool) {
                Some(true) => "True",
                Some(false) => "False",
                None => "<unset>",
            }
        ),
    );
    let options = sc.get("mountOptions").map(Value::as_list).unwrap_or(&[]);
    if options.is_empty() {
        w.line(0, "MountOptions:\t<none>");
    } else {
        w.line(0, "MountOptions:");
        for o in options {
            w.line(1, o.as_str().unwrap_or(""));
        }
    }
    for (title, field) in [
        ("ReclaimPolicy", "reclaimPolicy"),
        ("VolumeBindingMode", "volumeBindingMode"),
    ] {
        if let Some(v) = sc.get(field).and_then(Value::as_str) {
            w.line(0, format!("{title}:\t{v}"));
        }
    }
}

/// `describeDeployment`.
fn describe_deployment(c: &Cluster, d: &Value, w: &mut Writer) {
    let n = |path: &str| d.at(path).and_then(Value::as_i64).unwrap_or(0);
    name_and_namespace(w, d);
    creation_timestamp(w, d);
    labels_multiline(w, "", "Labels", &meta::labels(d));
    annotations_multiline(w, "Annotations", &d.string_map("metadata.annotations"));
    w.line(0, format!("Selector:\t{}", selector_text(d)));
    w.line(
        0,
        format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable",
            d.at("spec.replicas").and_then(Value::as_i64).unwrap_or(1),
            n("status.updatedReplicas"),
            n("status.replicas"),
            n("status.availableReplicas"),
            n("status.unavailableReplicas")
        ),
    );
    w.line(0, format!("StrategyType:\t{}", d.str_at("spec.strategy.type")));
    w.line(0, format!("MinReadySeconds:\t{}", n("spec.minReadySeconds")));
    if let Some(ru) = d.at("spec.strategy.rollingUpdate").filter(|r| !r.is_null()) {
        let text = |f: &str| ru.get(f).map(crate::api::intstr::text).unwrap_or_default();
        w.line(
            0,
            format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge",
                text("maxUnavailable"),
                text("maxSurge")
            ),
        );
    }
    pod::describe_pod_template(w, d.at("spec.template"));
    workload_conditions(w, d);
    // GetAllReplicaSets: the one whose template is the Deployment's is new, the rest old.
    let sets = controlled(c, Kind::ReplicaSet, d);
    let newest = meta::annotation(d, "deployment.kubernetes.io/revision");
    let is_new = |rs: &Value| meta::annotation(rs, "deployment.kubernetes.io/revision") == newest;
    let list = |new: bool| {
        let names: Vec<String> = sets
            .iter()
            .filter(|rs| is_new(rs) == new && (new || rs.at("spec.replicas").and_then(Value::as_i64).unwrap_or(0) > 0))
            .map(|rs| {
                format!(
                    "{} ({}/{} replicas created)",
                    meta::name(rs),
                    rs.at("status.replicas").and_then(Value::as_i64).unwrap_or(0),
                    rs.at("spec.replicas").and_then(Value::as_i64).unwrap_or(0)
                )
            })
            .collect();
        if names.is_empty() {
            "<none>".to_string()
        } else {
            names.join(", ")
        }
    };
    w.line(0, format!("OldReplicaSets:\t{}", list(false)));
    w.line(0, format!("NewReplicaSet:\t{}", list(true)));
}

/// `describeService`.
fn describe_service(c: &Cluster, s: &Value, w: &mut Writer) {
    name_and_namespace(w, s);
    labels_multiline(w, "", "Labels", &meta::labels(s));
    annotations_multiline(w, "Annotations", &s.string_map("metadata.annotations"));
    w.line(
        0,
        format!("Selector:\t{}", format_labels(&s.string_map("spec.selector"))),
    );
    w.line(0, format!("Type:\t{}", s.str_at("spec.type")));
    if !s.str_at("spec.ipFamilyPolicy").is_empty() {
        w.line(0, format!("IP Family Policy:\t{}", s.str_at("spec.ipFamilyPolicy")));
    }
    let families = string_list(s, "spec.ipFamilies");
    w.line(
        0,
        format!(
            "IP Families:\t{}",
            if families.is_empty() {
                "<none>".into()
            } else {
                families.join(",")
            }
        ),
    );
    w.line(0, format!("IP:\t{}", s.str_at("spec.clusterIP")));
    let ips = string_list(s, "spec.clusterIPs");
    w.line(
        0,
        format!("IPs:\t{}", if ips.is_empty() { "<none>".into() } else { ips.join(",") }),
    );
    let external = string_list(s, "spec.externalIPs");
    if !external.is_empty() {
        w.line(0, format!("External IPs:\t{}", external.join(",")));
    }
    if !s.str_at("spec.externalName").is_empty() {
        w.line(0, format!("External Name:\t{}", s.str_at("spec.externalName")));
    }
    for p in s.at("spec.ports").map(Value::as_list).unwrap_or(&[]) {
        let name = if p.str_at("name").is_empty() {
            "<unset>"
        } else {
            p.str_at("name")
        };
        let protocol = p.str_at("protocol");
        let port = p.get("port").and_then(Value::as_i64).unwrap_or(0);
        w.line(0, format!("Port:\t{name}\t{port}/{protocol}"));
        let target = p.get("targetPort").map(crate::api::intstr::text).unwrap_or_default();
        w.line(0, format!("TargetPort:\t{target}/{protocol}"));
        if let Some(node_port) = p.get("nodePort").and_then(Value::as_i64).filter(|n| *n != 0) {
            w.line(0, format!("NodePort:\t{name}\t{node_port}/{protocol}"));
        }
        w.line(0, format!("Endpoints:\t{}", endpoints_for(c, s, p.str_at("name"))));
    }
    w.line(0, format!("Session Affinity:\t{}", s.str_at("spec.sessionAffinity")));
    if !s.str_at("spec.externalTrafficPolicy").is_empty() {
        w.line(
            0,
            format!("External Traffic Policy:\t{}", s.str_at("spec.externalTrafficPolicy")),
        );
    }
    if !s.str_at("spec.internalTrafficPolicy").is_empty() {
        w.line(
            0,
            format!("Internal Traffic Policy:\t{}", s.str_at("spec.internalTrafficPolicy")),
        );
    }
}

/// `formatEndpointSlices` for one Service port: the ready endpoints as `ip:port`, at most three
/// and `+ N more...`; `<none>` when the Service has no EndpointSlice (no selector, or not yet
/// synced), empty when its slice has no ready endpoint. The playground keeps the Endpoints
/// object the endpoints controller writes for a Service with a selector; the EndpointSlice
/// controller's slice has the same ready addresses and ports.
fn endpoints_for(c: &Cluster, s: &Value, port_name: &str) -> String {
    let ep = c.get(Kind::Endpoints, meta::namespace(s), meta::name(s));
    if s.string_map("spec.selector").is_empty() || ep.is_none() {
        return "<none>".into();
    }
    let mut list: Vec<String> = Vec::new();
    let mut count = 0usize;
    for sub in ep.and_then(|e| e.get("subsets")).map(Value::as_list).unwrap_or(&[]) {
        for port in sub.get("ports").map(Value::as_list).unwrap_or(&[]) {
            if port.str_at("name") != port_name {
                continue;
            }
            let number = port.get("port").and_then(Value::as_i64).unwrap_or(0);
            for a in sub.get("addresses").map(Value::as_list).unwrap_or(&[]) {
                if list.len() < 3 {
                    list.push(format!("{}:{number}", a.str_at("ip")));
                }
                count += 1;
            }
        }
    }
    let text = list.join(",");
    if count > 3 {
        format!("{text} + {} more...", count - 3)
    } else {
        text
    }
}

/// `printPersistentVolumeClaim`: a full claim, or (`full` false) the template of an ephemeral
/// volume.
fn print_claim(w: &mut Writer, pvc: &Value, full: bool, now: Millis) {
    if full {
        name_and_namespace(w, pvc);
    }
    w.line(0, format!("StorageClass:\t{}", claim_class(pvc)));
    if full {
        w.line(0, format!("Status:\t{}", status_or_terminating(pvc, now)));
    }
    w.line(0, format!("Volume:\t{}", pvc.str_at("spec.volumeName")));
    labels_multiline(w, "", "Labels", &pvc.string_map("metadata.labels"));
    annotations_multiline(w, "Annotations", &pvc.string_map("metadata.annotations"));
    if full {
        w.line(0, format!("Finalizers:\t[{}]", meta::finalizers(pvc).join(" ")));
    }
    // Capacity and access modes come from the status, and only once the claim is bound.
    let (capacity, modes) = if pvc.str_at("spec.volumeName").is_empty() {
        (String::new(), String::new())
    } else {
        (
            pvc.at("status.capacity.storage")
                .map(crate::api::intstr::text)
                .unwrap_or_else(|| "0".into()),
            printers::access_modes(pvc.at("status.accessModes")),
        )
    };
    w.line(0, format!("Capacity:\t{capacity}"));
    w.line(0, format!("Access Modes:\t{modes}"));
    if !pvc.str_at("spec.volumeMode").is_empty() {
        w.line(0, format!("VolumeMode:\t{}", pvc.str_at("spec.volumeMode")));
    }
    if let Some(ds) = pvc.at("spec.dataSource").filter(|d| !d.is_null()) {
        w.line(0, "DataSource:");
        if ds.get("apiGroup").is_some_and(|g| !g.is_null()) {
            w.line(1, format!("APIGroup:\t{}", ds.str_at("apiGroup")));
        }
        w.line(1, format!("Kind:\t{}", ds.str_at("kind")));
        w.line(1, format!("Name:\t{}", ds.str_at("name")));
    }
}

/// The `Status:` of a claim or volume: `Terminating (lasts …)` once it is being deleted, else
/// its phase.
fn status_or_terminating(obj: &Value, now: Millis) -> String {
    if !meta::is_terminating(obj) {
        return obj.str_at("status.phase").to_string();
    }
    let since = clock::parse_rfc3339(obj.str_at("metadata.deletionTimestamp")).unwrap_or(now);
    format!(
        "Terminating (lasts {})",
        clock::human_duration(now.saturating_sub(since.min(now)))
    )
}

/// `describePersistentVolumeClaim`.
fn describe_pvc(c: &Cluster, p: &Value, w: &mut Writer) {
    print_claim(w, p, true, c.now);
    // getPodsForPVC: every pod of the namespace with a volume of this claim (once per such
    // volume), then the pods that own the claim.
    let pods = c.store.list(Kind::Pod, Some(meta::namespace(p)));
    let mut users: Vec<String> = Vec::new();
    for q in &pods {
        for _ in podutil::claims(q).filter(|n| *n == meta::name(p)) {
            users.push(meta::name(q).to_string());
        }
    }
    for r in p.at("metadata.ownerReferences").map(Value::as_list).unwrap_or(&[]) {
        if r.str_at("kind") != "Pod" {
            continue;
        }
        if let Some(owner) = pods.iter().find(|q| meta::uid(q) == r.str_at("uid")) {
            if !users.iter().any(|u| u == meta::name(owner)) {
                users.push(meta::name(owner).to_string());
            }
        }
    }
    pods_multiline(w, "Used By", users);
    let conditions = p.at("status.conditions").map(Value::as_list).unwrap_or(&[]);
    if !conditions.is_empty() {
        w.line(0, "Conditions:");
        w.line(1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage");
        w.line(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------",
        );
        for cond in conditions {
            w.line(
                1,
                format!(
                    "{} \t{} \t{} \t{} \t{} \t{}",
                    cond.str_at("type"),
                    cond.str_at("status"),
                    rfc1123_or_zero(cond.str_at("lastProbeTime")),
                    rfc1123_or_zero(cond.str_at("lastTransitionTime")),
                    cond.str_at("reason"),
                    cond.str_at("message")
                ),
            );
        }
    }
}

/// `describePersistentVolume`.
fn describe_pv(c: &Cluster, p: &Value, w: &mut Writer) {
    w.line(0, format!("Name:\t{}", meta::name(p)));
    labels_multiline(w, "", "Labels", &meta::labels(p));
    annotations_multiline(w, "Annotations", &p.string_map("metadata.annotations"));
    w.line(0, format!("Finalizers:\t[{}]", meta::finalizers(p).join(" ")));
    let class = crate::api::claims::class(p);
    w.line(0, format!("StorageClass:\t{class}"));
    w.line(0, format!("Status:\t{}", status_or_terminating(p, c.now)));
    let claim = p
        .at("spec.claimRef")
        .filter(|r| !r.is_null())
        .map_or(String::new(), |r| {
            format!("{}/{}", r.str_at("namespace"), r.str_at("name"))
        });
    w.line(0, format!("Claim:\t{claim}"));
    w.line(
        0,
        format!("Reclaim Policy:\t{}", p.str_at("spec.persistentVolumeReclaimPolicy")),
    );
    w.line(
        0,
        format!("Access Modes:\t{}", printers::access_modes(p.at("spec.accessModes"))),
    );
    if !p.str_at("spec.volumeMode").is_empty() {
        w.line(0, format!("VolumeMode:\t{}", p.str_at("spec.volumeMode")));
    }
    let capacity = p.at("spec.capacity.storage").map(crate::api::intstr::text);
    w.line(0, format!("Capacity:\t{}", capacity.unwrap_or_else(|| "0".into())));
    volume_node_affinity(w, p.at("spec.nodeAffinity"));
    w.line(0, format!("Message:\t{}", p.str_at("status.message")));
    w.line(0, "Source:");
    let flag = |s: &Value, f: &str| s.get(f).and_then(Value::as_bool).unwrap_or(false);
    if let Some(s) = p.at("spec.hostPath").filter(|s| !s.is_null()) {
        let kind = s.get("type").and_then(Value::as_str).unwrap_or("<none>");
        w.write(
            2,
            format!(
                "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{kind}\n",
                s.str_at("path")
            ),
        );
    } else if let Some(s) = p.at("spec.awsElasticBlockStore").filter(|s| !s.is_null()) {
        w.write(
            2,
            format!(
                "Type:\tAWSElasticBlockStore (a Persistent Disk resource in AWS)\n    VolumeID:\t{}\n    FSType:\t{}\n    Partition:\t{}\n    ReadOnly:\t{}\n",
                s.str_at("volumeID"),
                s.str_at("fsType"),
                s.get("partition").and_then(Value::as_i64).unwrap_or(0),
                flag(s, "readOnly")
            ),
        );
    } else if let Some(s) = p.at("spec.nfs").filter(|s| !s.is_null()) {
        w.write(
            2,
            format!(
                "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                s.str_at("server"),
                s.str_at("path"),
                flag(s, "readOnly")
            ),
        );
    } else if let Some(s) = p.at("spec.local").filter(|s| !s.is_null()) {
        w.write(
            2,
            format!(
                "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t{}\n",
                s.str_at("path")
            ),
        );
    } else if let Some(s) = p.at("spec.csi").filter(|s| !s.is_null()) {
        w.write(
            2,
            format!(
                "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    VolumeHandle:\t{}\n    ReadOnly:\t{}\n",
                s.str_at("driver"),
                s.str_at("fsType"),
                s.str_at("volumeHandle"),
                flag(s, "readOnly")
            ),
        );
        csi_attributes(w, &s.string_map("volumeAttributes"));
    } else {
        w.line(1, "<unknown>");
    }
}

/// `printVolumeNodeAffinity` with `printNodeSelectorTermsMultilineWithIndent`.
fn volume_node_affinity(w: &mut Writer, affinity: Option<&Value>) {
    w.write(0, "Node Affinity:\t");
    let Some(required) = affinity.and_then(|a| a.get("required")).filter(|r| !r.is_null()) else {
        w.write_line("<none>");
        return;
    };
    w.write_line("");
    w.write(1, "Required Terms:\t");
    let terms = required.get("nodeSelectorTerms").map(Value::as_list).unwrap_or(&[]);
    if terms.is_empty() {
        w.write_line("<none>");
        return;
    }
    w.write_line("");
    for (i, term) in terms.iter().enumerate() {
        w.write(2, format!("Term {i}:\t"));
        let reqs = term.get("matchExpressions").map(Value::as_list).unwrap_or(&[]);
        if reqs.is_empty() {
            w.write_line("<none>");
            continue;
        }
        for (j, req) in reqs.iter().enumerate() {
            if j != 0 {
                w.write(2, "\t");
            }
            let mut expr = format!("{} {}", req.str_at("key"), req.str_at("operator").to_ascii_lowercase());
            let values = string_list(req, "values");
            if !values.is_empty() {
                expr.push_str(&format!(" [{}]", values.join(", ")));
            }
            w.write(0, format!("{expr}\n"));
        }
    }
}

/// `DescribeEvents`: the object's events oldest first after a flush, or `Events:  <none>`
/// aligned with what comes before. A Node's events are also those filed under its name as uid
/// (the kubelet's), as `NodeDescriber` merges both.
fn describe_events(c: &Cluster, obj: &Value, kind: Kind, w: &mut Writer) {
    let uid = meta::uid(obj);
    let by_name = (kind == Kind::Node).then(|| meta::name(obj));
    let mut events: Vec<&crate::store::Event> = c
        .store
        .events(c.now)
        .filter(|e| e.involved_uid == uid || Some(e.involved_uid.as_str()) == by_name)
        .collect();
    if events.is_empty() {
        w.line(0, "Events:\t<none>");
        return;
    }
    w.flush();
    crate::sort::by_key(&mut events, |e| (e.last, e.seq));
    let now: Millis = c.now;
    w.line(0, "Events:");
    w.line(1, "Type\tReason\tAge\tFrom\tMessage");
    w.line(1, "----\t------\t----\t----\t-------");
    for e in events {
        w.line(
            1,
            format!(
                "{}\t{}\t{}\t{}\t{}",
                e.kind,
                e.reason,
                printers::event_interval(e, now),
                e.source,
                e.message.trim()
            ),
        );
    }
}
