//! Commands that change one field of live objects: `scale`, `patch`, `label`, `annotate`,
//! `set image`, `cordon`/`uncordon`; and `wait`.

use crate::api::meta;
use crate::api::pod;
use crate::api::resources::Kind;
use crate::apiserver;
use crate::clock;
use crate::kubectl::args::Parsed;
use crate::kubectl::commands::{self, Ctx};
use crate::patch;
use crate::store::{ApiError, Key};
use crate::value::Value;

/// Update the object at `key` through `f` and the API server; the kubectl line on success.
fn update(ctx: &mut Ctx, key: &Key, verb: &str, f: impl FnOnce(&mut Value) -> Result<(), String>) -> String {
    let Some(mut obj) = ctx.c.store.get(key).cloned() else {
        return format!(
            "{}\n",
            ApiError::NotFound {
                kind: key.kind,
                name: key.name.to_string()
            }
        );
    };
    if let Err(e) = f(&mut obj) {
        return e;
    }
    let reference = commands::ref_name(key.kind, &key.name);
    let result = match apiserver::update_from_kubectl(ctx.c, key, obj) {
        Ok(changed) => {
            if !changed && verb == "patched" {
                format!("{reference} patched (no change)\n")
            } else {
                format!("{reference} {verb}\n")
            }
        }
        Err(e) => format!("{e}\n"),
    };
    ctx.c.settle_instant();
    result
}

pub fn scale(ctx: &mut Ctx, p: &Parsed) -> String {
    let replicas = match p.get("replicas").map(str::parse::<i64>) {
        Some(Ok(n)) if n >= 0 => n,
        Some(Ok(_)) | None => return "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n".into(),
        Some(Err(_)) => return format!("error: invalid argument \"{}\" for \"--replicas\" flag: strconv.ParseInt: parsing \"{}\": invalid syntax\nSee 'kubectl scale --help' for usage.\n", p.get("replicas").unwrap_or(""), p.get("replicas").unwrap_or("")),
    };
    if replicas > i64::from(i32::MAX) {
        return format!("error: invalid argument \"{replicas}\" for \"--replicas\" flag: strconv.ParseInt: parsing \"{replicas}\": value out of range\nSee 'kubectl scale --help' for usage.\n");
    }
    let (kind, name, _) = match commands::single_target(&p.positional, "scale") {
        Ok(t) => t,
        Err(e) => return e,
    };
    if !matches!(kind, Kind::StatefulSet | Kind::Deployment | Kind::ReplicaSet) {
        return format!("error: cannot scale {}: no scale subresource\n", kind.info().plural);
    }
    let key = commands::key(kind, &commands::namespace(p), &name);
    if let Some(current) = p.get("current-replicas").and_then(|s| s.parse::<i64>().ok()) {
        let now = ctx
            .c
            .store
            .get(&key)
            .and_then(|o| o.at("spec.replicas"))
            .and_then(Value::as_i64);
        if now.is_some_and(|n| n != current) {
            return format!("error: Expected replicas to be {current}, was {}\n", now.unwrap_or(0));
        }
    }
    update(ctx, &key, "scaled", |o| {
        o.set("spec.replicas", replicas);
        Ok(())
    })
}

fn parse_patch(text: &str) -> Result<Value, String> {
    let limits = crate::yaml::Limits::default();
    let (tree, errs) = crate::yaml::parse(text, limits);
    if let Some(e) = errs.first() {
        return Err(format!("error: unable to parse \"{text}\": {}\n", e.message));
    }
    tree.to_value(0, limits)
        .map_err(|e| format!("error: unable to parse \"{text}\": {}\n", e.message))
}

pub fn patch(ctx: &mut Ctx, p: &Parsed) -> String {
    let (kind, name, _) = match commands::single_target(&p.positional, "patch") {
        Ok(t) => t,
        Err(e) => return e,
    };
    let Some(text) = p.get("patch") else {
        return "error: must specify -p to patch\nSee 'kubectl patch -h' for help and examples\n".into();
    };
    let body = match parse_patch(text) {
        Ok(b) => b,
        Err(e) => return e,
    };
    let kind_name = kind.info().name;
    let kind_type = p.get("type").unwrap_or("strategic").to_string();
    let key = commands::key(kind, &commands::namespace(p), &name);
    update(ctx, &key, "patched", move |o| {
        let patched = match kind_type.as_str() {
            "strategic" => patch::strategic_merge_patch(kind_name, o, &body),
            "merge" => Ok(patch::merge_patch(o, &body)),
            "json" => patch::json_patch(o, &body),
            other => {
                return Err(format!(
                    "error: --type must be one of [json merge strategic], not \"{other}\"\n"
                ))
            }
        };
        match patched {
            Ok(v) => {
                *o = v;
                Ok(())
            }
            Err(e) => Err(format!("Error from server (UnprocessableEntity): {e}\n")),
        }
    })
}

/// `cmdutil.GetResourcesAndPairs`: resource words first, then `KEY=VALUE` / `KEY-` pairs.
fn resources_and_pairs<'a>(args: &'a [String], pair_type: &str) -> Result<(Vec<String>, Vec<&'a str>), String> {
    let (mut resources, mut pairs) = (Vec::new(), Vec::new());
    for s in args {
        let pair = (s.contains('=') && !s.starts_with('=')) || (s.ends_with('-') && s != "-");
        match (pairs.is_empty(), pair) {
            (_, true) => pairs.push(s.as_str()),
            (true, false) => resources.push(s.clone()),
            (false, false) => {
                return Err(format!(
                    "error: all resources must be specified before {pair_type} changes: {s}\n"
                ))
            }
        }
    }
    Ok((resources, pairs))
}

/// What a `label` or `annotate` command asks: keys to set (in the order given, last wins) and
/// keys to remove.
struct PairUpdate {
    set: Vec<(String, String)>,
    remove: Vec<String>,
}

/// `parseLabels` (kubectl/pkg/cmd/label/label.go): `KEY=VALUE` with a valid label value, or
/// `KEY-`; a key may not be both set and removed.
fn parse_labels(specs: &[&str]) -> Result<PairUpdate, String> {
    let mut update = PairUpdate {
        set: Vec::new(),
        remove: Vec::new(),
    };
    for spec in specs {
        if spec.contains('=') {
            let parts: Vec<&str> = spec.split('=').collect();
            if parts.len() != 2 {
                return Err(format!("error: invalid label spec: {spec}\n"));
            }
            let errs = crate::names::is_valid_label_value(parts[1]);
            if !errs.is_empty() {
                return Err(format!(
                    "error: invalid label value: {}: {}\n",
                    crate::names::go_quote(spec),
                    errs.join(";")
                ));
            }
            update.set.retain(|(k, _)| k != parts[0]);
            update.set.push((parts[0].to_string(), parts[1].to_string()));
        } else if let Some(key) = spec.strip_suffix('-') {
            update.remove.push(key.to_string());
        } else {
            return Err(format!("error: unknown label spec: {spec}\n"));
        }
    }
    if update.remove.iter().any(|r| update.set.iter().any(|(k, _)| k == r)) {
        return Err("error: can not both modify and remove a label in the same command\n".into());
    }
    Ok(update)
}

/// `cmdutil.ParsePairs(args, "annotation", true)` and `validateAnnotations`
/// (kubectl/pkg/cmd/annotate/annotate.go): the value is everything after the first `=`.
fn parse_annotations(specs: &[&str]) -> Result<PairUpdate, String> {
    let mut update = PairUpdate {
        set: Vec::new(),
        remove: Vec::new(),
    };
    let mut invalid = Vec::new();
    for spec in specs {
        if let Some((k, v)) = spec.split_once('=').filter(|_| !spec.starts_with('=')) {
            update.set.retain(|(key, _)| key != k);
            update.set.push((k.to_string(), v.to_string()));
        } else if let Some(key) = spec.strip_suffix('-').filter(|_| *spec != "-") {
            update.remove.push(key.to_string());
        } else {
            invalid.push(*spec);
        }
    }
    if !invalid.is_empty() {
        return Err(format!("error: invalid annotation format: {}\n", invalid.join(", ")));
    }
    let both: Vec<&str> = update
        .remove
        .iter()
        .filter(|r| update.set.iter().any(|(k, _)| k == *r))
        .map(String::as_str)
        .collect();
    if !both.is_empty() {
        return Err(format!(
            "error: can not both modify and remove the following annotation(s) in the same command: {}\n",
            both.join(", ")
        ));
    }
    Ok(update)
}

/// `kubectl label` and `kubectl annotate`: pairs set or remove keys of `metadata.labels` /
/// `metadata.annotations` on the named objects, or on those `-l` or `--all` select. An existing
/// key with another value needs `--overwrite`. What each prints follows label.go
/// (`updateDataChangeMsg`: `labeled`, `unlabeled` when keys were only removed, `not labeled`
/// when nothing changed, after `label "KEY" not found.` for each missing key) and annotate.go
/// (always `annotated`).
fn set_pairs(ctx: &mut Ctx, p: &Parsed, labels: bool) -> String {
    let (pair_type, field) = if labels {
        ("label", "labels")
    } else {
        ("annotation", "annotations")
    };
    let (resources, specs) = match resources_and_pairs(&p.positional, pair_type) {
        Ok(split) => split,
        Err(e) => return e,
    };
    let update = match if labels {
        parse_labels(&specs)
    } else {
        parse_annotations(&specs)
    } {
        Ok(u) => u,
        Err(e) => return e,
    };
    let all = p.bool("all");
    if all && p.has("selector") {
        return "error: cannot set --all and --selector at the same time\n".into();
    }
    if resources.is_empty() {
        return "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n".into();
    }
    if update.set.is_empty() && update.remove.is_empty() {
        return format!("error: at least one {pair_type} update is required\n");
    }
    let selector = match commands::selector(p) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let targets = match commands::targets(&resources) {
        Ok(t) => t,
        Err(e) => return e,
    };
    let ns = commands::namespace(p);
    let mut keys = Vec::new();
    for (kind, names) in &targets {
        if names.is_empty() && selector.is_none() && !all {
            return "error: resource(s) were provided, but no name was specified\n".into();
        }
        keys.extend(commands::keys_for(ctx.c, *kind, &ns, names, selector.as_ref()));
    }
    // A selector that picks nothing: the builder visits no object, and label prints nothing.
    let path = format!("metadata.{field}");
    let mut out = String::new();
    let mut errors = Vec::new();
    for key in keys {
        let Some(mut obj) = ctx.c.store.get(&key).cloned() else {
            errors.push(format!(
                "{}",
                ApiError::NotFound {
                    kind: key.kind,
                    name: key.name.to_string()
                }
            ));
            continue;
        };
        let current = obj.at(&path).and_then(Value::as_map).cloned().unwrap_or_default();
        let value_of = |k: &str| current.get(k).and_then(Value::as_str).map(str::to_string);
        if !p.bool("overwrite") {
            let clashes: Vec<String> = update
                .set
                .iter()
                .filter(|(k, _)| labels || k != "kubernetes.io/change-cause")
                .filter_map(|(k, v)| value_of(k).filter(|old| old != v).map(|old| (k, old)))
                .map(|(k, old)| format!("'{k}' already has a value ({old})"))
                .collect();
            if !clashes.is_empty() {
                if labels {
                    errors.extend(clashes.into_iter().map(|c| format!("{c}, and --overwrite is false")));
                } else {
                    errors.push(format!(
                        "--overwrite is false but found the following declared annotation(s): {}",
                        clashes.join("; ")
                    ));
                }
                continue;
            }
        }
        if labels {
            for k in update.remove.iter().filter(|k| value_of(k).is_none()) {
                out.push_str(&format!("label \"{k}\" not found.\n"));
            }
        }
        let before = obj.at(&path).cloned();
        for (k, v) in &update.set {
            meta::set_in_map(&mut obj, &path, k, v);
        }
        for k in &update.remove {
            meta::remove_from_map(&mut obj, &path, k);
        }
        let after = obj.at(&path).cloned();
        // label.go `updateDataChangeMsg` compares the object's JSON before and after.
        let json_len = |v: &Option<Value>| v.as_ref().map_or(0, |m| m.to_json().len());
        let message = match (labels, before == after) {
            (false, _) => "annotated",
            (true, true) => "not labeled",
            (true, false) if !p.bool("overwrite") && json_len(&after) < json_len(&before) => "unlabeled",
            (true, false) => "labeled",
        };
        if before != after {
            if let Err(e) = apiserver::update_from_kubectl(ctx.c, &key, obj) {
                errors.push(e.to_string());
                continue;
            }
        }
        out.push_str(&format!("{} {message}\n", commands::ref_name(key.kind, &key.name)));
    }
    ctx.c.settle_instant();
    // checkErr: one error is printed with `error: ` (server errors as they come); several, as
    // an aggregate, one a line as they are.
    match errors.as_slice() {
        [] => {}
        [one] if one.starts_with("Error from server") || one.starts_with("The ") => out.push_str(&format!("{one}\n")),
        [one] => out.push_str(&format!("error: {one}\n")),
        many => many.iter().for_each(|e| out.push_str(&format!("{e}\n"))),
    }
    out
}

pub fn label(ctx: &mut Ctx, p: &Parsed) -> String {
    set_pairs(ctx, p, true)
}

pub fn annotate(ctx: &mut Ctx, p: &Parsed) -> String {
    set_pairs(ctx, p, false)
}

/// `kubectl set image TYPE/NAME CONTAINER=IMAGE...`.
pub fn set(ctx: &mut Ctx, p: &Parsed) -> String {
    let Some(sub) = p.positional.first() else {
        return "error: Required resource not specified.\nSee 'kubectl set -h' for help and examples\n".into();
    };
    if sub != "image" {
        return format!("error: the playground supports kubectl set image only, not \"set {sub}\"\n");
    }
    let (kind, name, pairs) = match commands::single_target(&p.positional[1..], "set image") {
        Ok(t) => t,
        Err(e) => return e,
    };
    let path = match kind {
        Kind::Pod => "spec.containers",
        Kind::StatefulSet | Kind::Deployment | Kind::DaemonSet | Kind::ReplicaSet => "spec.template.spec.containers",
        _ => return format!("error: {} \"{name}\" does not have containers\n", kind.info().plural),
    };
    let key = commands::key(kind, &commands::namespace(p), &name);
    update(ctx, &key, "image updated", |o| {
        for pair in &pairs {
            let Some((container, image)) = pair.split_once('=') else {
                return Err(format!("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form: {pair}\n"));
            };
            let mut found = false;
            if let Some(list) = o.at_mut(path).and_then(Value::list_mut) {
                for ct in list.iter_mut() {
                    if container == "*" || ct.str_at("name") == container {
                        ct.set("image", image);
                        found = true;
                    }
                }
            }
            if !found {
                return Err(format!("error: unable to find container named \"{container}\"\n"));
            }
        }
        Ok(())
    })
}

fn cordon_to(ctx: &mut Ctx, p: &Parsed, unschedulable: bool) -> String {
    let Some(name) = p.positional.first() else {
        return format!(
            "error: USAGE: {} NODE [flags]\nSee 'kubectl {} -h' for help and examples\n",
            if unschedulable { "cordon" } else { "uncordon" },
            if unschedulable { "cordon" } else { "uncordon" }
        );
    };
    let name = name.trim_start_matches("node/").trim_start_matches("nodes/");
    let key = Key::new(Kind::Node, "", name);
    let Some(node) = ctx.c.store.get(&key) else {
        return format!("Error from server (NotFound): nodes \"{name}\" not found\n");
    };
    let current = node.at("spec.unschedulable").and_then(Value::as_bool).unwrap_or(false);
    let word = if unschedulable { "cordoned" } else { "uncordoned" };
    if current == unschedulable {
        return format!("node/{name} already {word}\n");
    }
    ctx.c.store.modify(&key, |n| {
        if unschedulable {
            n.set("spec.unschedulable", true);
        } else {
            n.remove("spec.unschedulable");
        }
    });
    ctx.c.settle_instant();
    format!("node/{name} {word}\n")
}

/// `kubectl taint nodes NODE KEY[=VALUE]:EFFECT ...` and `KEY[:EFFECT]-` to remove
/// (`kubectl/pkg/cmd/taint/taint.go`, `parseTaints`, `reorganizeTaints`).
pub fn taint(ctx: &mut Ctx, p: &Parsed) -> String {
    const USAGE: &str = "error: at least one taint update is required\nSee 'kubectl taint -h' for help and examples\n";
    let mut args = p.positional.iter().map(String::as_str);
    let (node, specs): (String, Vec<&str>) = match args.next() {
        Some(kind @ ("node" | "nodes" | "no")) => {
            let _ = kind;
            match args.next() {
                Some(n) => (n.to_string(), args.collect()),
                None => return USAGE.into(),
            }
        }
        Some(other) => match other.split_once('/') {
            Some(("node" | "nodes" | "no", n)) => (n.to_string(), args.collect()),
            _ => return format!("error: resource type \"{other}\" is not a node: only nodes can be tainted\n"),
        },
        None => return USAGE.into(),
    };
    if specs.is_empty() {
        return USAGE.into();
    }
    let key = Key::new(Kind::Node, "", &node);
    let Some(current) = ctx.c.store.get(&key).cloned() else {
        return format!("Error from server (NotFound): nodes \"{node}\" not found\n");
    };
    let mut taints: Vec<Value> = current.at("spec.taints").map(Value::as_list).unwrap_or(&[]).to_vec();
    let mut removed_any = false;
    for spec in specs {
        if let Some(rest) = spec.strip_suffix('-') {
            let (k, effect) = rest.split_once(':').unwrap_or((rest, ""));
            // `KEY=VALUE:EFFECT-` also removes (the value is not compared), as the docs use it.
            let k = k.split_once('=').map_or(k, |(k, _)| k);
            let before = taints.len();
            taints.retain(|t| !(t.str_at("key") == k && (effect.is_empty() || t.str_at("effect") == effect)));
            if taints.len() == before {
                return format!("error: taint \"{rest}\" not found\n");
            }
            removed_any = true;
            continue;
        }
        let Some((kv, effect)) = spec.rsplit_once(':') else {
            return format!("error: invalid taint spec: {spec}, unknown taint spec: {spec}\n");
        };
        if !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
            return format!("error: invalid taint effect: {effect}, unsupported taint effect\n");
        }
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        if k.is_empty() {
            return format!("error: invalid taint spec: {spec}, unknown taint spec: {spec}\n");
        }
        if let Some(existing) = taints
            .iter_mut()
            .find(|t| t.str_at("key") == k && t.str_at("effect") == effect)
        {
            if !p.bool("overwrite") {
                return format!(
                    "error: node {node} already has {k} taint(s) with same effect(s) and --overwrite is false\n"
                );
            }
            existing.set("value", v);
            continue;
        }
        let mut t = Value::map();
        t.set("key", k);
        if !v.is_empty() {
            t.set("value", v);
        }
        t.set("effect", effect);
        if effect == "NoExecute" {
            t.set("timeAdded", crate::clock::rfc3339(ctx.c.now));
        }
        taints.push(t);
    }
    ctx.c.store.modify(&key, |n| n.set_list("spec.taints", taints));
    ctx.c.settle_instant();
    format!("node/{node} {}\n", if removed_any { "untainted" } else { "tainted" })
}

/// `kubectl drain NODE`: cordon, then evict every pod through the Eviction API, retrying every
/// 5 s while a PodDisruptionBudget refuses (`kubectl/pkg/drain/drain.go`, `filters.go`), then
/// wait for the pods to go. The playground stops retrying after 10 minutes of simulated time
/// (or `--timeout`) and says so; a real kubectl retries until interrupted.
pub fn drain(ctx: &mut Ctx, p: &Parsed) -> String {
    let Some(name) = p.positional.first() else {
        return "error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples\n".into();
    };
    let name = name
        .trim_start_matches("node/")
        .trim_start_matches("nodes/")
        .to_string();
    let key = Key::new(Kind::Node, "", &name);
    if ctx.c.store.get(&key).is_none() {
        return format!("Error from server (NotFound): nodes \"{name}\" not found\n");
    }
    let mut out = cordon_to(ctx, p, true);
    let on_node: Vec<Value> = ctx
        .c
        .store
        .list(Kind::Pod, None)
        .into_iter()
        .filter(|q| q.str_at("spec.nodeName") == name && !matches!(crate::api::pod::phase(q), "Succeeded" | "Failed"))
        .cloned()
        .collect();
    // DaemonSet pods are not evicted: the controller would put them straight back.
    let (daemons, pods): (Vec<Value>, Vec<Value>) = on_node
        .into_iter()
        .partition(|q| meta::controller_ref(q).is_some_and(|r| r.str_at("kind") == "DaemonSet"));
    let daemon_refs: Vec<&Value> = daemons.iter().collect();
    // filters.go: pods no controller would recreate, and pods with emptyDir data.
    let ids = |qs: &[&Value]| {
        qs.iter()
            .map(|q| format!("{}/{}", meta::namespace(q), meta::name(q)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let unmanaged: Vec<&Value> = pods.iter().filter(|q| meta::controller_ref(q).is_none()).collect();
    let local: Vec<&Value> = pods
        .iter()
        .filter(|q| {
            q.at("spec.volumes")
                .map(Value::as_list)
                .unwrap_or(&[])
                .iter()
                .any(|v| v.get("emptyDir").is_some())
        })
        .collect();
    let mut errors = Vec::new();
    if !daemons.is_empty() && !p.bool("ignore-daemonsets") {
        errors.push(format!(
            "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): {}",
            ids(&daemon_refs)
        ));
    }
    if !unmanaged.is_empty() && !p.bool("force") {
        errors.push(format!(
            "cannot delete Pods that declare no controller (use --force to override): {}",
            ids(&unmanaged)
        ));
    }
    if !local.is_empty() && !p.bool("delete-emptydir-data") {
        errors.push(format!(
            "cannot delete Pods with local storage (use --delete-emptydir-data to override): {}",
            ids(&local)
        ));
    }
    if !errors.is_empty() {
        let all = errors.join(", ");
        out.push_str(&format!(
            "error: unable to drain node \"{name}\" due to error: {all}, continuing command...\nThere are pending nodes to be drained:\n {name}\n{}\n",
            errors.join("\n")
        ));
        return out;
    }
    let mut warnings = Vec::new();
    if !daemons.is_empty() {
        warnings.push(format!("ignoring DaemonSet-managed Pods: {}", ids(&daemon_refs)));
    }
    if !unmanaged.is_empty() {
        warnings.push(format!("deleting Pods that declare no controller: {}", ids(&unmanaged)));
    }
    if !warnings.is_empty() {
        out.push_str(&format!("Warning: {}\n", warnings.join("; ")));
    }
    let limit = p
        .get("timeout")
        .and_then(crate::clock::parse_duration)
        .filter(|t| *t > 0);
    let deadline = ctx.c.now + limit.unwrap_or(600_000);
    let mut pending: Vec<(Key, String)> = pods
        .iter()
        .map(|q| (Key::of(Kind::Pod, q), meta::uid(q).to_string()))
        .collect();
    for (k, _) in &pending {
        out.push_str(&format!("evicting pod {}/{}\n", k.namespace, k.name));
    }
    let mut evicted: Vec<(Key, String)> = Vec::new();
    let mut repeats: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    let folded = |repeats: &std::collections::BTreeMap<String, u64>| {
        let more: u64 = repeats.values().map(|n| n.saturating_sub(3)).sum();
        if more > 0 {
            format!("(the console shows the first three: the same error was printed {more} more times, every 5s)\n")
        } else {
            String::new()
        }
    };
    loop {
        let mut refused = false;
        let mut still = Vec::new();
        for (k, uid) in pending {
            if !commands::still_there(ctx.c, &k, &uid) {
                evicted.push((k, uid));
                continue;
            }
            match crate::apiserver::evict(ctx.c, &k) {
                Ok(()) => evicted.push((k, uid)),
                Err(e) => {
                    // kubectl prints this every 5 s; the console shows the first three and counts
                    // the rest, so a long wait stays readable.
                    let line = format!(
                        "error when evicting pods/\"{}\" -n \"{}\" (will retry after 5s): {e}\n",
                        k.name, k.namespace
                    );
                    let n = repeats.entry(line.clone()).or_insert(0);
                    *n += 1;
                    if *n <= 3 {
                        out.push_str(&line);
                    }
                    refused = true;
                    still.push((k, uid));
                }
            }
        }
        pending = still;
        ctx.c.settle_instant();
        if !refused {
            break;
        }
        if ctx.c.now + 5000 > deadline {
            out.push_str(&folded(&repeats));
            match limit {
                Some(t) => {
                    // drain.go evictPods: the global timeout, then cmd/drain's report.
                    let first = pending.first().map(|(k, _)| k.clone()).unwrap_or_else(|| key.clone());
                    let err = format!(
                        "error when evicting pods/\"{}\" -n \"{}\": global timeout reached: {}",
                        first.name,
                        first.namespace,
                        crate::clock::human_duration(t)
                    );
                    out.push_str(&format!(
                        "There are pending pods in node \"{name}\" when an error occurred: {err}\n"
                    ));
                    for (k, _) in &pending {
                        out.push_str(&format!("pod/{}\n", k.name));
                    }
                    out.push_str(&format!("error: unable to drain node \"{name}\" due to error: {err}, continuing command...\nThere are pending nodes to be drained:\n {name}\n{err}\n"));
                }
                None => {
                    let left: Vec<String> = pending
                        .iter()
                        .map(|(k, _)| format!("{}/{}", k.namespace, k.name))
                        .collect();
                    out.push_str(&format!("(the playground stopped retrying after 10m of simulated time: the disruption budget still refuses {}; a real kubectl drain would keep retrying until you press Ctrl+C)\n", left.join(", ")));
                }
            }
            return out;
        }
        ctx.c.advance(5000);
    }
    out.push_str(&folded(&repeats));
    // waitForDelete: each evicted pod object goes (graceful termination).
    for (k, uid) in &evicted {
        let remaining = deadline.saturating_sub(ctx.c.now).max(1);
        ctx.c.run_until(remaining, |c| !commands::still_there(c, k, uid));
        if !commands::still_there(ctx.c, k, uid) {
            out.push_str(&format!("pod/{} evicted\n", k.name));
        }
    }
    // The instant the last pod went: let the controllers react before printing (a StatefulSet
    // recreates its pod at once).
    ctx.c.settle_instant();
    out.push_str(&format!("node/{name} drained\n"));
    out
}

pub fn cordon(ctx: &mut Ctx, p: &Parsed) -> String {
    cordon_to(ctx, p, true)
}

pub fn uncordon(ctx: &mut Ctx, p: &Parsed) -> String {
    cordon_to(ctx, p, false)
}

/// `kubectl wait --for=condition=X[=value] | --for=delete | --for=jsonpath=...`, default
/// timeout 30s; simulated time passes while it waits.
pub fn wait(ctx: &mut Ctx, p: &Parsed) -> String {
    let Some(cond) = p.get("for") else {
        return "error: --for must be set to one of: condition=..., create, delete, jsonpath=...\n".into();
    };
    let timeout = match p.get("timeout") {
        Some(t) => match clock::parse_duration(t) {
            Some(d) => d,
            None => {
                return format!(
                    "error: invalid argument \"{t}\" for \"--timeout\" flag: time: invalid duration \"{t}\"\n"
                )
            }
        },
        None => 30_000,
    };
    let targets = match commands::targets(&p.positional) {
        Ok(t) if !t.is_empty() => t,
        Ok(_) => return "error: resource(s) were provided, but no name was specified\n".into(),
        Err(e) => return e,
    };
    let ns = commands::namespace(p);
    let selector = match commands::selector(p) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let mut keys: Vec<Key> = Vec::new();
    for (kind, names) in &targets {
        keys.extend(commands::keys_for(ctx.c, *kind, &ns, names, selector.as_ref()));
    }
    if keys.is_empty() {
        return "error: no matching resources found\n".into();
    }
    let delete = cond == "delete";
    let (ctype, cvalue) = match cond.strip_prefix("condition=") {
        Some(rest) => match rest.split_once('=') {
            Some((t, v)) => (t.to_string(), v.to_string()),
            None => (rest.to_string(), "True".to_string()),
        },
        None if delete => (String::new(), String::new()),
        None => return format!("error: unrecognized condition: \"{cond}\"\n"),
    };
    if !delete {
        for k in &keys {
            if ctx.c.store.get(k).is_none() {
                return format!(
                    "Error from server (NotFound): {} \"{}\" not found\n",
                    k.kind.plural_qualified(),
                    k.name
                );
            }
        }
    }
    let holds = |c: &crate::world::Cluster, k: &Key| -> bool {
        let Some(o) = c.store.get(k) else {
            return delete;
        };
        if delete {
            return false;
        }
        let conds = o.at("status.conditions").map(Value::as_list).unwrap_or(&[]);
        conds
            .iter()
            .any(|x| x.str_at("type").eq_ignore_ascii_case(&ctype) && x.str_at("status").eq_ignore_ascii_case(&cvalue))
            || (k.kind == Kind::Pod && ctype.eq_ignore_ascii_case("ready") && cvalue == "True" && pod::is_ready(o))
    };
    let mut out = String::new();
    let mut pending: Vec<Key> = keys.clone();
    let deadline = ctx.c.now + timeout;
    // Report each object as its condition is met, in order, letting time pass in between.
    while !pending.is_empty() {
        let remaining = deadline.saturating_sub(ctx.c.now);
        let met = ctx.c.run_until(remaining, |c| holds(c, &pending[0]));
        if !met {
            let k = &pending[0];
            out.push_str(&format!(
                "error: timed out waiting for the condition on {}/{}\n",
                k.kind.info().plural,
                k.name
            ));
            return out;
        }
        let k = pending.remove(0);
        out.push_str(&format!("{}/{} condition met\n", k.kind.qualified(), k.name));
    }
    out
}

/// The comment kubectl puts above the object it opens (pkg/cmd/util/editor/editoptions.go).
const EDIT_HEADER: &str = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";

/// `kubectl edit TYPE NAME`: in the page the object opens in the editor (saving it runs
/// [`finish_edit`]); a script has no editor.
pub fn edit(ctx: &mut Ctx, p: &Parsed) -> String {
    if !ctx.interactive {
        return "error: the playground's scripts have no editor behind kubectl edit: use kubectl patch, or kubectl edit in the page\n".into();
    }
    let (kind, name, _) = match commands::single_target(&p.positional, "edit") {
        Ok(t) => t,
        Err(e) => return e,
    };
    let key = commands::key(kind, &commands::namespace(p), &name);
    let Some(obj) = ctx.c.store.get(&key).cloned() else {
        return format!("{}\n", ApiError::NotFound { kind, name });
    };
    let text = format!("{EDIT_HEADER}{}", obj.to_yaml());
    ctx.started = Some(crate::kubectl::session::Started::Edit(
        crate::kubectl::session::EditSession {
            key,
            original: obj,
            text,
        },
    ));
    String::new()
}

/// What saving an edit gives: what kubectl prints, and the text to reopen the editor with
/// when the edit could not be saved.
#[derive(Debug, Clone, PartialEq)]
pub struct EditOutcome {
    pub output: String,
    pub reopen: Option<String>,
}

/// Save an edit (editoptions.go `EditOptions.Run`): comment lines are dropped; an empty file
/// or no change cancels; apiVersion, kind and name may not change; the change from the object
/// as it was read is sent as a strategic merge patch (`CreateTwoWayMergePatch`), so what
/// changed on the server meanwhile in other fields stays. An invalid object reopens the editor
/// with the causes on top.
pub fn finish_edit(
    c: &mut crate::world::Cluster,
    session: &crate::kubectl::session::EditSession,
    text: &str,
) -> EditOutcome {
    let done = |output: String| EditOutcome { output, reopen: None };
    let body: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    if body.trim().is_empty() {
        return done("Edit cancelled, saved file was empty.\n".into());
    }
    let plural = session.key.kind.plural_qualified();
    let name = session.key.name.to_string();
    let limits = crate::yaml::Limits::default();
    let (tree, errs) = crate::yaml::parse(&body, limits);
    let parsed = match errs.first() {
        Some(e) => Err(e.message.clone()),
        None => tree.to_value(0, limits).map_err(|e| e.message),
    };
    let edited = match parsed {
        Ok(v) => v,
        Err(e) => {
            return EditOutcome {
                output: format!("error: the edited file had a syntax error: {e}\n"),
                reopen: Some(format!("# The edited file had a syntax error: {e}\n#\n{body}")),
            }
        }
    };
    if edited == session.original {
        return done("Edit cancelled, no changes made.\n".into());
    }
    let same = |path: &str| edited.str_at(path) == session.original.str_at(path);
    if !(same("apiVersion") && same("kind") && same("metadata.name")) {
        return EditOutcome {
            output: "error: At least one of apiVersion, kind and name was changed\n".into(),
            reopen: Some(text.to_string()),
        };
    }
    let kind_name = session.key.kind.info().name;
    let patch = match patch::three_way_apply_patch(kind_name, Some(&session.original), &edited, &session.original) {
        Ok(p) => p,
        Err(e) => return done(format!("error: {e}\n")),
    };
    let Some(live) = c.store.get(&session.key).cloned() else {
        return EditOutcome {
            output: format!("error: {plural} \"{name}\" could not be found on the server\nThe edits you made on deleted resources are kept in the editor.\n"),
            reopen: Some(text.to_string()),
        };
    };
    let merged = match patch::strategic_merge_patch(kind_name, &live, &patch) {
        Ok(v) => v,
        Err(e) => return done(format!("error: {plural} \"{name}\" could not be patched: {e}\n")),
    };
    let result = apiserver::update_from_kubectl(c, &session.key, merged);
    c.settle_instant();
    match result {
        Ok(_) => done(format!("{} edited\n", commands::ref_name(session.key.kind, &name))),
        Err(ApiError::Invalid { causes, .. }) => {
            let mut head = format!("# {plural} \"{name}\" was not valid:\n");
            for cause in &causes {
                head.push_str(&format!("# * {cause}\n"));
            }
            head.push_str("#\n");
            EditOutcome {
                output: format!("error: {plural} \"{name}\" is invalid\n"),
                reopen: Some(head + &body),
            }
        }
        Err(e) => done(format!("{e}\n")),
    }
}
