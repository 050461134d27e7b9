//! The patch types of `kubectl patch` and `kubectl apply`, over [`Value`]: JSON merge patch
//! (RFC 7386), JSON patch (RFC 6902), strategic merge patch, and client-side apply's three-way
//! merge.
//!
//! Upstream sources this follows (Kubernetes v1.34):
//! - `staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go`: `mergeMap`,
//!   `mergeSlice`, `mergeSliceWithSpecialElements`, `mergeSliceWithoutSpecialElements`,
//!   `normalizeElementOrder`/`mergeSortedSlice`, `mergePatchIntoOriginal` (`$setElementOrder`),
//!   `applyRetainKeysDirective`, `diffMaps`/`diffLists` and `CreateThreeWayMergePatch`.
//! - The `patchStrategy`/`patchMergeKey` struct tags in `staging/src/k8s.io/api/core/v1/types.go`
//!   and `staging/src/k8s.io/api/apps/v1/types.go` (the table in `Walk::strategy`).
//! - `staging/src/k8s.io/kubectl/pkg/cmd/apply/patcher.go`: a strategic three-way patch for
//!   built-in kinds, `jsonmergepatch.CreateThreeWayJSONMergePatch` for the rest; `--overwrite`
//!   defaults to true, so there is no conflict check.
//! - `staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go`: a JSON patch that fails to
//!   apply is a 422, "the server rejected our request due to an error in our request".
//!
//! Where upstream differs from intuition, this follows upstream: `tolerations` (PodSpec) and
//! `taints` (NodeSpec) have no patch strategy, so they are replaced whole; a new element of a
//! merging list lands *before* the live-only elements (`mergeSortedSlice`), not after them.
//!
//! Simplified: `$setElementOrder` and `$retainKeys` lists are applied but not validated against
//! the patch; a value taken whole from a patch (the original lacks the field) is still cleaned of
//! nulls and directives, as if merged into an empty value; a `$deleteFromPrimitiveList` for a
//! field the original lacks is dropped (upstream stores the list as the field's value); the
//! three-way merge of the deletion and change patches puts a list's change elements before its
//! deletion elements instead of running `mergeSortedSlice`; the JSON merge patch for other kinds
//! skips kubectl's "apiVersion, kind and name unchanged" preconditions. The built-in kinds are a
//! fixed list (`BUILTIN_KINDS`); JSON patch error details follow evanphx/json-patch in substance,
//! not word for word.

use crate::value::{Map, Value};

/// How deep any of these functions recurses (field path length) before giving up.
pub const MAX_DEPTH: usize = 100;

const REJECTED: &str = "the server rejected our request due to an error in our request";

/// RFC 7386 JSON merge patch (`kubectl patch --type=merge`): a map patch merges key by key and a
/// null deletes; anything else replaces the target. Nesting past [`MAX_DEPTH`] is copied as is.
pub fn merge_patch(target: &Value, patch: &Value) -> Value {
    merge_patch_at(target, patch, 0)
}

fn merge_patch_at(target: &Value, patch: &Value, depth: usize) -> Value {
    let Value::Map(pm) = patch else {
        return patch.clone();
    };
    let mut out = target.as_map().cloned().unwrap_or_default();
    for (k, v) in pm.iter() {
        if v.is_null() {
            out.remove(k);
        } else if depth >= MAX_DEPTH {
            out.insert(k, v.clone());
        } else {
            let merged = merge_patch_at(out.get(k).unwrap_or(&Value::Null), v, depth + 1);
            out.insert(k, merged);
        }
    }
    Value::from_map(out)
}

/// RFC 6902 JSON patch (`kubectl patch --type=json`): add, remove, replace, move, copy, test;
/// JSON Pointer paths with `~0` `~1` escapes and `-` for append. Errors read as the API server's
/// 422 and name the failing operation's index and path.
pub fn json_patch(target: &Value, ops: &Value) -> Result<Value, String> {
    let Value::List(ops) = ops else {
        let t = ops.type_name();
        let e = format!("json: cannot unmarshal {t} into Go value of type jsonpatch.Patch");
        return Err(e);
    };
    let mut doc = target.clone();
    for (i, op) in ops.iter().enumerate() {
        apply_op(&mut doc, op).map_err(|e| {
            let name = op.get("op").and_then(Value::as_str).unwrap_or("?");
            let path = op.get("path").and_then(Value::as_str).unwrap_or("");
            format!("{REJECTED}: json patch operation {i} ({name} {path:?}): {e}")
        })?;
    }
    Ok(doc)
}

fn apply_op(doc: &mut Value, op: &Value) -> Result<(), String> {
    let m = op.as_map().ok_or("the operation is not an object")?;
    let need = |n: &str| m.get(n).ok_or(format!("missing {n:?}"));
    let field = |n: &str| need(n)?.as_str().ok_or(format!("{n:?} is not a string"));
    let value = || need("value").cloned();
    let (name, path) = (field("op")?, field("path")?);
    let to = pointer(path)?;
    match name {
        "add" => add(doc, &to, path, value()?),
        "remove" => remove(doc, &to, path).map(drop),
        "replace" => {
            *get_mut(doc, &to).ok_or_else(|| missing(path))? = value()?;
            Ok(())
        }
        "move" | "copy" => {
            let from_path = field("from")?;
            let from = pointer(from_path)?;
            let v = if name == "copy" {
                get(doc, &from).ok_or_else(|| missing(from_path))?.clone()
            } else if to.len() > from.len() && to.starts_with(&from) {
                return Err(format!("cannot move {from_path:?} into its own child"));
            } else {
                remove(doc, &from, from_path)?
            };
            add(doc, &to, path, v)
        }
        "test" => match (get(doc, &to), value()?) {
            (Some(have), want) if json_eq(have, &want, 0) => Ok(()),
            (None, Value::Null) => Ok(()),
            _ => Err(format!("testing value {path} failed: test failed")),
        },
        other => Err(format!("unexpected kind: {other}")),
    }
}

fn missing(path: &str) -> String {
    format!("doc is missing path: {path:?}: missing value")
}

/// A JSON Pointer's reference tokens (RFC 6901), unescaped.
fn pointer(path: &str) -> Result<Vec<String>, String> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let bad = || format!("JSON pointer must be empty or start with a \"/\": {path:?}");
    let unescape = |t: &str| t.replace("~1", "/").replace("~0", "~");
    Ok(path
        .strip_prefix('/')
        .ok_or_else(bad)?
        .split('/')
        .map(unescape)
        .collect())
}

/// A list index token: digits without a leading zero, below `len`.
fn index(tok: &str, len: usize) -> Option<usize> {
    let digits = tok.bytes().all(|b| b.is_ascii_digit()) && (tok == "0" || !tok.starts_with('0'));
    tok.parse::<usize>().ok().filter(|i| digits && *i < len)
}

fn get<'a>(doc: &'a Value, toks: &[String]) -> Option<&'a Value> {
    toks.iter().try_fold(doc, |v, t| match v {
        Value::Map(m) => m.get(t),
        Value::List(l) => l.get(index(t, l.len())?),
        _ => None,
    })
}

fn get_mut<'a>(doc: &'a mut Value, toks: &[String]) -> Option<&'a mut Value> {
    toks.iter().try_fold(doc, |v, t| match v {
        Value::Map(m) => std::rc::Rc::make_mut(m).get_mut(t),
        Value::List(l) => {
            let i = index(t, l.len())?;
            std::rc::Rc::make_mut(l).get_mut(i)
        }
        _ => None,
    })
}

fn add(doc: &mut Value, toks: &[String], path: &str, v: Value) -> Result<(), String> {
    let Some((last, parent)) = toks.split_last() else {
        *doc = v;
        return Ok(());
    };
    match get_mut(doc, parent).ok_or_else(|| missing(path))? {
        Value::Map(m) => drop(std::rc::Rc::make_mut(m).insert(last.clone(), v)),
        Value::List(l) => {
            let l = std::rc::Rc::make_mut(l);
            let n = l.len();
            let i = (last == "-").then_some(n).or_else(|| index(last, n + 1));
            let bad = || format!("invalid array index {last:?} (the list has {n} items)");
            l.insert(i.ok_or_else(bad)?, v);
        }
        other => return Err(format!("cannot add a member to a {}", other.type_name())),
    }
    Ok(())
}

fn remove(doc: &mut Value, toks: &[String], path: &str) -> Result<Value, String> {
    let (last, parent) = toks.split_last().ok_or("cannot remove the whole document")?;
    let found = match get_mut(doc, parent) {
        Some(Value::Map(m)) => std::rc::Rc::make_mut(m).remove(last),
        Some(Value::List(l)) => index(last, l.len()).map(|i| std::rc::Rc::make_mut(l).remove(i)),
        _ => None,
    };
    found.ok_or_else(|| missing(path))
}

/// JSON equality: integers and floats compare by numeric value.
fn json_eq(a: &Value, b: &Value, depth: usize) -> bool {
    match (a, b) {
        (Value::Int(i), Value::Float(f)) | (Value::Float(f), Value::Int(i)) => *i as f64 == *f,
        (Value::List(x), Value::List(y)) if depth < MAX_DEPTH => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| json_eq(p, q, depth + 1))
        }
        (Value::Map(x), Value::Map(y)) if depth < MAX_DEPTH => {
            let same = |((k, v), (l, w)): ((&str, &Value), (&str, &Value))| k == l && json_eq(v, w, depth + 1);
            x.len() == y.len() && x.iter().zip(y.iter()).all(same)
        }
        _ => a == b,
    }
}

fn list_eq(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| json_eq(x, y, 0))
}

/// How a list field merges in a strategic merge patch.
#[derive(Clone, Copy, Debug, PartialEq)]
enum ListStrategy {
    /// No patch strategy: the patch's list replaces the original.
    Atomic,
    /// `patchStrategy:"merge"` on scalars: a set union (`metadata.finalizers`).
    Set,
    /// `patchStrategy:"merge"` with `patchMergeKey`: maps merged by this key.
    Key(&'static str),
}
use ListStrategy::{Atomic, Key, Set};

/// Built-in kinds, which take strategic merge patches (lists not in the table are atomic).
const BUILTIN_KINDS: &str = "Pod PodTemplate StatefulSet Deployment DaemonSet ReplicaSet \
    ReplicationController Job CronJob Service Endpoints EndpointSlice PersistentVolumeClaim \
    PersistentVolume Node Namespace ConfigMap Secret ServiceAccount Event LimitRange \
    ResourceQuota PodDisruptionBudget HorizontalPodAutoscaler StorageClass Ingress NetworkPolicy \
    Role RoleBinding ClusterRole ClusterRoleBinding PriorityClass Lease ControllerRevision";

/// PodSpec lists with `patchStrategy:"merge"`, as `field:patchMergeKey` (core/v1 types.go);
/// `tolerations`, `readinessGates` and the rest have no strategy and are atomic.
const POD_SPEC_LISTS: &str = "containers:name initContainers:name ephemeralContainers:name \
    volumes:name imagePullSecrets:name hostAliases:ip topologySpreadConstraints:topologyKey \
    schedulingGates:name resourceClaims:name";

/// Container (and EphemeralContainerCommon) lists with `patchStrategy:"merge"`.
const CONTAINER_LISTS: &str = "ports:containerPort env:name volumeMounts:mountPath \
    volumeDevices:devicePath";

fn builtin(kind: &str) -> bool {
    BUILTIN_KINDS.split_whitespace().any(|k| k == kind)
}

/// The path inside the pod (`metadata...`, `spec...`) when `path` is in this kind's pod template.
fn pod_path<'p>(kind: &str, path: &'p [&'p str]) -> Option<&'p [&'p str]> {
    let prefix: &[&str] = match kind {
        "Pod" => &[],
        "PodTemplate" => &["template"],
        "StatefulSet" | "Deployment" | "DaemonSet" | "ReplicaSet" => &["spec", "template"],
        "ReplicationController" | "Job" => &["spec", "template"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template"],
        _ => return None,
    };
    path.strip_prefix(prefix)
}

fn too_deep() -> String {
    format!("the patch nests deeper than {MAX_DEPTH} levels")
}

fn no_merge_key(v: &Value, key: &str) -> String {
    let v = v.to_json();
    format!("map: {v} does not contain declared merge key: {key}")
}

fn bad_directive(d: &Value, within: &Value) -> String {
    let (d, within) = (d.to_json(), within.to_json());
    format!("unknown patch type: {d} in map: {within}")
}

/// Strategic merge patch (`kubectl patch` default, `--type=strategic`), for the built-in kinds we
/// model: merging lists merge element-wise by their merge key (see the module docs), other lists
/// are replaced, maps merge recursively and null deletes a key. Directives: `$patch: replace` /
/// `delete` (in a map, or as a merging-list element), `$retainKeys`, `$setElementOrder/<field>`,
/// `$deleteFromPrimitiveList/<field>`; none is left in the result.
pub fn strategic_merge_patch(kind: &str, target: &Value, patch: &Value) -> Result<Value, String> {
    if !builtin(kind) {
        return Err(format!(
            "application/strategic-merge-patch+json is not supported by {kind}: the body of the \
             request was in an unknown format - accepted media types include: \
             application/json-patch+json, application/merge-patch+json, \
             application/apply-patch+yaml"
        ));
    }
    let Value::Map(pm) = patch else {
        return Err("invalid JSON document: the patch must be an object".into());
    };
    let original = target.as_map().cloned().unwrap_or_default();
    Walk::new(kind).smp_map(&original, pm).map(Value::from_map)
}

/// kubectl's client-side apply three-way merge: given the last-applied configuration (from the
/// `kubectl.kubernetes.io/last-applied-configuration` annotation, None if absent), the new local
/// config, and the live object, return the patch kubectl would send (a strategic merge patch for
/// built-in kinds, with the `$setElementOrder`, `$patch: delete`, `$deleteFromPrimitiveList` and
/// `$retainKeys` directives upstream builds; a JSON merge patch for other kinds) — empty map `{}`
/// when nothing changes. Fields in last-applied but not in local become null, fields in local
/// that differ from live are set, fields only live has (status, defaults, `kubectl scale`'s
/// replicas when the manifest omits them) are left alone.
pub fn three_way_apply_patch(
    kind: &str,
    last_applied: Option<&Value>,
    local: &Value,
    live: &Value,
) -> Result<Value, String> {
    let as_map = |v: Option<&Value>, what: &str| match v {
        Some(Value::Map(m)) => Ok(Map::clone(m)),
        None | Some(Value::Null) => Ok(Map::new()),
        Some(other) => {
            let t = other.type_name();
            Err(format!("invalid JSON document: the {what} is a {t}"))
        }
    };
    let original = as_map(last_applied, "last-applied configuration")?;
    let modified = as_map(Some(local), "local configuration")?;
    let current = as_map(Some(live), "live object")?;
    let mut walk = Walk::new(kind);
    let delta = walk.diff_maps(&current, &modified, Changes, false)?;
    let removed = walk.diff_maps(&original, &modified, Deletions, false)?;
    walk.combine(removed, delta).map(Value::from_map)
}

/// Which part of a difference [`Walk::diff_maps`] reports: the two `DiffOptions` that
/// `CreateThreeWayMergePatch` uses.
#[derive(Clone, Copy, PartialEq)]
enum Diff {
    /// Additions and changes, no deletions (`IgnoreDeletions`): live → local.
    Changes,
    /// Deletions only (`IgnoreChangesAndAdditions`): last-applied → local.
    Deletions,
}
use Diff::{Changes, Deletions};

/// A walk over one object: its kind and the field path from the root (list elements add no step),
/// whose length bounds the recursion.
struct Walk<'a> {
    kind: &'a str,
    /// False for kinds without struct tags (custom resources): every list is atomic.
    strategic: bool,
    path: Vec<String>,
}

impl<'a> Walk<'a> {
    fn new(kind: &'a str) -> Self {
        let strategic = builtin(kind);
        let path = Vec::new();
        Walk { kind, strategic, path }
    }

    fn enter(&mut self, key: &str) -> Result<(), String> {
        if self.path.len() >= MAX_DEPTH {
            return Err(too_deep());
        }
        self.path.push(key.to_string());
        Ok(())
    }

    /// The merge strategy of the list at the current path, from the upstream struct tags.
    fn strategy(&self) -> ListStrategy {
        if !self.strategic {
            return Atomic;
        }
        let p: Vec<&str> = self.path.iter().map(String::as_str).collect();
        let meta = |p: &[&str]| match p {
            ["metadata", "finalizers"] => Some(Set),
            ["metadata", "ownerReferences"] => Some(Key("uid")),
            _ => None,
        };
        let find = |table: &'static str, f: &str| {
            let entry = |e: &'static str| e.strip_prefix(f)?.strip_prefix(':');
            table.split_whitespace().find_map(entry).map(Key)
        };
        let pod = |p: &[&str]| match p {
            ["spec", f] => find(POD_SPEC_LISTS, f),
            ["spec", "containers" | "initContainers" | "ephemeralContainers", f] => find(CONTAINER_LISTS, f),
            ["status", "podIPs" | "hostIPs"] => Some(Key("ip")),
            ["status", "resourceClaimStatuses"] => Some(Key("name")),
            _ => None,
        };
        let in_pod = pod_path(self.kind, &p).and_then(|r| meta(r).or_else(|| pod(r)));
        if let Some(found) = meta(&p).or(in_pod) {
            return found;
        }
        match (self.kind, p.as_slice()) {
            (_, ["status", "conditions"]) => Key("type"),
            ("Service", ["spec", "ports"]) => Key("port"),
            ("Node", ["spec", "podCIDRs"]) => Set,
            ("Node", ["status", "addresses"]) => Key("type"),
            _ => Atomic,
        }
    }

    /// Whether the map at the current path (or each element of the list there) has
    /// `patchStrategy:"retainKeys"`.
    fn retain_keys(&self) -> bool {
        let p: Vec<&str> = self.path.iter().map(String::as_str).collect();
        let pod = pod_path(self.kind, &p).unwrap_or_default();
        let in_pod = matches!(pod, ["spec", "volumes" | "resourceClaims"]);
        let strategy = self.kind == "Deployment" && p == ["spec", "strategy"];
        self.strategic && (in_pod || strategy)
    }

    /// mergeMap with `MergeParallelList` and `IgnoreUnmatchedNulls`, as the API server runs it.
    fn smp_map(&mut self, original: &Map, patch: &Map) -> Result<Map, String> {
        if let Some(directive) = patch.get("$patch") {
            return match directive.as_str() {
                Some("replace") => {
                    let mut rest = patch.clone();
                    rest.remove("$patch");
                    self.smp_map(&Map::new(), &rest)
                }
                Some("delete") => Ok(Map::new()),
                _ => Err(bad_directive(directive, &Value::from_map(patch.clone()))),
            };
        }
        let mut out = original.clone();
        if let Some(keys) = patch.get("$retainKeys") {
            let Value::List(keys) = keys else {
                return Err("invalid patch format of retainKeys".into());
            };
            out.retain(|k, _| keys.iter().any(|x| x.as_str() == Some(k)));
        }
        for (k, pv) in patch {
            if k == "$retainKeys" || k.starts_with("$setElementOrder/") {
                continue;
            }
            if let Some(field) = k.strip_prefix("$deleteFromPrimitiveList/") {
                let Value::List(gone) = pv else {
                    return Err("invalid patch format of primitive list".into());
                };
                if let Some(cur) = out.get_mut(field).and_then(Value::list_mut) {
                    cur.retain(|v| !gone.iter().any(|g| json_eq(g, v, 0)));
                }
                continue;
            }
            if pv.is_null() {
                out.remove(k);
                continue;
            }
            self.enter(k)?;
            let merged = match (out.get(k), pv) {
                (Some(Value::Map(cur)), Value::Map(pm)) => Value::from_map(self.smp_map(cur, pm)?),
                (_, Value::Map(pm)) => Value::from_map(self.smp_map(&Map::new(), pm)?),
                (cur, Value::List(pl)) => Value::list(self.smp_list(cur.map_or(&[], Value::as_list), pl)?),
                (_, other) => other.clone(),
            };
            self.path.pop();
            out.insert(k, merged);
        }
        for (k, order) in patch {
            let Some(field) = k.strip_prefix("$setElementOrder/") else {
                continue;
            };
            let Value::List(order) = order else {
                return Err("invalid patch format of setElementOrder list".into());
            };
            self.enter(field)?;
            let strategy = self.strategy();
            self.path.pop();
            let server = original.get(field).map_or(&[][..], Value::as_list);
            if let (Some(Value::List(cur)), false) = (out.get_mut(field), strategy == Atomic) {
                let items = std::mem::take(std::rc::Rc::make_mut(cur));
                *cur = std::rc::Rc::new(normalize(items, order, server, strategy));
            }
        }
        Ok(out)
    }

    /// mergeSlice for the list at the current path.
    fn smp_list(&mut self, original: &[Value], patch: &[Value]) -> Result<Vec<Value>, String> {
        let key = match effective(self.strategy(), &[original, patch])? {
            Atomic => return Ok(patch.to_vec()),
            Set => {
                let mut merged: Vec<Value> = Vec::new();
                for v in original.iter().chain(patch) {
                    if !merged.iter().any(|m| json_eq(m, v, 0)) {
                        merged.push(v.clone());
                    }
                }
                return Ok(normalize(merged, patch, original, Set));
            }
            Key(key) => key,
        };
        let same_key = |a: &Value, b: &Value| a.get(key).is_some_and(|x| json_eq(x, b, 0));
        // mergeSliceWithSpecialElements: `$patch` elements delete by key or replace the list.
        let (mut server, mut items, mut replace) = (original.to_vec(), Vec::new(), false);
        for p in patch {
            match p.get("$patch").map(|d| (d, d.as_str())) {
                None => items.push(p.clone()),
                Some((_, Some("delete"))) => {
                    let kv = p.get(key).ok_or_else(|| no_merge_key(p, key))?;
                    server.retain(|o| !same_key(o, kv));
                }
                Some((_, Some("replace"))) => replace = true,
                Some((_, Some("merge"))) => return Err("merging lists cannot yet be specified in the patch".into()),
                Some((d, _)) => return Err(bad_directive(d, p)),
            }
        }
        if replace {
            return Ok(items);
        }
        // mergeSliceWithoutSpecialElements: merge into the element with the same key, or append.
        let mut merged = server.clone();
        for p in &items {
            let kv = p.get(key).ok_or_else(|| no_merge_key(p, key))?;
            let pm = p.as_map().cloned().unwrap_or_default();
            match merged.iter().position(|o| same_key(o, kv)) {
                Some(i) => {
                    let cur = merged[i].as_map().cloned().unwrap_or_default();
                    merged[i] = Value::from_map(self.smp_map(&cur, &pm)?);
                }
                None => merged.push(Value::from_map(self.smp_map(&Map::new(), &pm)?)),
            }
        }
        Ok(normalize(merged, &items, &server, Key(key)))
    }

    /// diffMaps: the strategic patch turning `original` into `modified`, limited by `d`;
    /// `retain` builds the `$retainKeys` directive.
    fn diff_maps(&mut self, original: &Map, modified: &Map, d: Diff, retain: bool) -> MapResult {
        let mut patch = Map::new();
        for (k, mv) in modified {
            let Some(ov) = original.get(k) else {
                if d == Changes {
                    patch.insert(k, mv.clone());
                }
                continue;
            };
            self.enter(k)?;
            match (ov, mv) {
                (Value::Map(om), Value::Map(mm)) => {
                    let sub = self.diff_maps(om, mm, d, self.retain_keys())?;
                    if !sub.is_empty() {
                        patch.insert(k, Value::from_map(sub));
                    }
                }
                (Value::List(ol), Value::List(ml)) => match effective(self.strategy(), &[ol, ml])? {
                    Atomic if d == Changes && !list_eq(ol, ml) => drop(patch.insert(k, mv.clone())),
                    Atomic => {}
                    strategy => {
                        let (add, delete, order) = self.diff_lists(ol, ml, strategy, d)?;
                        let mut put = |key: String, l: Vec<Value>| {
                            if !l.is_empty() {
                                patch.insert(key, Value::list(l));
                            }
                        };
                        put(k.to_string(), add);
                        put(format!("$deleteFromPrimitiveList/{k}"), delete);
                        put(format!("$setElementOrder/{k}"), order);
                    }
                },
                _ if d == Changes && !json_eq(ov, mv, 0) => drop(patch.insert(k, mv.clone())),
                _ => {}
            }
            self.path.pop();
        }
        let gone = |k: &&str| !modified.contains_key(*k);
        if d == Deletions {
            for k in original.keys().filter(gone) {
                patch.insert(k, Value::Null);
            }
        }
        let extra = original.iter().any(|(k, v)| !v.is_null() && gone(&k));
        if retain && (!patch.is_empty() || extra) {
            let keys = modified.iter().filter(|(_, v)| !v.is_null());
            let keys = keys.map(|(k, _)| Value::Str(k.into())).collect();
            patch.insert("$retainKeys", Value::list(keys));
        }
        Ok(patch)
    }

    /// diffLists for a merging list: (patch elements, scalar deletions, `$setElementOrder`).
    fn diff_lists(&mut self, old: &[Value], new: &[Value], s: ListStrategy, d: Diff) -> ListResult {
        if old.is_empty() {
            let add = (d == Changes).then(|| new.to_vec());
            return Ok((add.unwrap_or_default(), Vec::new(), Vec::new()));
        }
        let text = |v: Option<&Value>| v.map(|v| v.as_str().map_or_else(|| v.to_json(), str::to_string));
        let gone = |v: &&Value| d == Deletions && position(new, v, s).is_none();
        let removed = old.iter().filter(gone);
        let Key(key) = s else {
            // diffListsOfScalars: additions, deduplicated deletions, and the new order.
            let fresh = |v: &&Value| d == Changes && position(old, v, Set).is_none();
            let add = new.iter().filter(fresh);
            let mut delete: Vec<Value> = Vec::new();
            for v in removed {
                if position(&delete, v, Set).is_none() {
                    delete.push(v.clone());
                }
            }
            crate::sort::by_key(&mut delete, |v| text(Some(v)));
            let reorder = (d == Deletions && !delete.is_empty()) || (d == Changes && !list_eq(old, new));
            let order = if reorder { new.to_vec() } else { Vec::new() };
            return Ok((add.cloned().collect(), delete, order));
        };
        // diffListsOfMaps: changed and added elements in the new order, then `$patch: delete`s.
        let all = || old.iter().chain(new);
        if let Some(v) = all().find(|v| v.get(key).is_none()) {
            return Err(no_merge_key(v, key));
        }
        let mut patch = Vec::new();
        for mv in new {
            match (old.iter().find(|ov| same(ov, mv, s)), mv) {
                (Some(Value::Map(om)), Value::Map(mm)) => {
                    let mut sub = self.diff_maps(om, mm, d, self.retain_keys())?;
                    if !sub.is_empty() {
                        sub.insert(key, mv.get(key).cloned().unwrap_or_default());
                        patch.push(Value::from_map(sub));
                    }
                }
                (None, _) if d == Changes => patch.push(mv.clone()),
                _ => {}
            }
        }
        let mut removed: Vec<&Value> = removed.collect();
        crate::sort::by_key(&mut removed, |v| text(v.get(key)));
        let directive = |v: &Value| (key.to_string(), v.get(key).cloned().unwrap_or_default());
        for ov in removed {
            let delete = ("$patch".to_string(), Value::Str("delete".into()));
            patch.push(Value::from_map(Map::from([directive(ov), delete])));
        }
        let in_order = old.len() == new.len() && old.iter().zip(new).all(|(a, b)| same(a, b, s));
        let one = |v: &Value| Value::from_map(Map::from([directive(v)]));
        let reorder = (d == Changes && !in_order) || !patch.is_empty();
        let order = reorder.then(|| new.iter().map(one).collect());
        Ok((patch, Vec::new(), order.unwrap_or_default()))
    }

    /// Merge the deletion patch and the change patch of a three-way merge (upstream: mergeMap
    /// without merging the parallel lists): maps merge, merging lists merge by key with change
    /// elements first, anything else takes the change patch's value.
    fn combine(&mut self, deletions: Map, delta: Map) -> MapResult {
        let mut out = deletions;
        for (k, dv) in delta {
            self.enter(&k)?;
            let merged = match (out.remove(&k), dv, self.strategy()) {
                (Some(Value::Map(a)), Value::Map(b), _) => {
                    Value::from_map(self.combine(std::rc::Rc::unwrap_or_clone(a), std::rc::Rc::unwrap_or_clone(b))?)
                }
                (Some(Value::List(dels)), Value::List(changes), Key(key)) => {
                    let mut dels = std::rc::Rc::unwrap_or_clone(dels);
                    let mut list = Vec::new();
                    for c in std::rc::Rc::unwrap_or_clone(changes) {
                        let same = |d: &Value| d.get("$patch").is_none() && same(d, &c, Key(key));
                        match (dels.iter().position(same), c) {
                            (Some(i), Value::Map(cm)) => {
                                let dm = dels.remove(i).as_map().cloned().unwrap_or_default();
                                list.push(Value::from_map(self.combine(dm, std::rc::Rc::unwrap_or_clone(cm))?));
                            }
                            (_, c) => list.push(c),
                        }
                    }
                    list.extend(dels);
                    Value::list(list)
                }
                (_, dv, _) => dv,
            };
            self.path.pop();
            out.insert(k, merged);
        }
        Ok(out)
    }
}

type MapResult = Result<Map, String>;
/// A list diff: (patch elements, scalar deletions, the `$setElementOrder` list).
type ListResult = Result<(Vec<Value>, Vec<Value>, Vec<Value>), String>;

/// The strategy actually used for these lists: merging by key needs maps, a list of scalars
/// merges as a set (upstream also decides by the elements' kind).
fn effective(strategy: ListStrategy, lists: &[&[Value]]) -> Result<ListStrategy, String> {
    let Key(_) = strategy else {
        return Ok(strategy);
    };
    let all = || lists.iter().flat_map(|l| l.iter());
    let maps = all().filter(|v| matches!(v, Value::Map(_))).count();
    match maps {
        m if m == all().count() => Ok(strategy),
        0 if all().all(|v| !matches!(v, Value::List(_))) => Ok(Set),
        _ => Err("list element types are not identical".into()),
    }
}

/// A list element's identity: its merge key's value, or the scalar itself.
fn ident(v: &Value, strategy: ListStrategy) -> Option<&Value> {
    match strategy {
        Key(k) => v.get(k),
        Set => Some(v),
        Atomic => None,
    }
}

fn same(a: &Value, b: &Value, s: ListStrategy) -> bool {
    matches!((ident(a, s), ident(b, s)), (Some(x), Some(y)) if json_eq(x, y, 0))
}

/// Where `v` is in `list`, matching by merge key value (or by value, for a set).
fn position(list: &[Value], v: &Value, s: ListStrategy) -> Option<usize> {
    list.iter().position(|x| same(x, v, s))
}

/// normalizeElementOrder: elements named in `order` sorted by it, the rest by `server`, then
/// interleaved as mergeSortedSlice does (a server-only element goes first only when both it and
/// the next patch element are in `server` and it comes earlier there).
fn normalize(merged: Vec<Value>, order: &[Value], server: &[Value], s: ListStrategy) -> Vec<Value> {
    let named = |v: &Value| position(order, v, s).is_some();
    let (mut patched, mut server_only): (Vec<_>, Vec<_>) = merged.into_iter().partition(named);
    crate::sort::by_key(&mut patched, |v| position(order, v, s));
    crate::sort::by_key(&mut server_only, |v| position(server, v, s).unwrap_or(usize::MAX));
    let mut out = Vec::with_capacity(patched.len() + server_only.len());
    let mut left = server_only.into_iter().peekable();
    let mut right = patched.into_iter().peekable();
    loop {
        let take_left = match (left.peek(), right.peek()) {
            (None, None) => break,
            (l, None) => l.is_some(),
            (None, Some(_)) => false,
            (Some(l), Some(r)) => matches!(
                (position(server, l, s), position(server, r, s)),
                (Some(a), Some(b)) if a < b
            ),
        };
        out.extend(if take_left { left.next() } else { right.next() });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse, Limits};

    /// JSON (a YAML flow document) to a Value.
    fn j(src: &str) -> Value {
        let (tree, errors) = parse(src, Limits::default());
        assert!(errors.is_empty(), "{src}: {errors:?}");
        tree.to_value(0, Limits::default()).unwrap()
    }

    /// Each case is one line of fields separated by ` | `; an expected `ERR:text` is an error
    /// containing that text.
    fn check<const N: usize>(cases: &[&str], run: impl Fn([&str; N]) -> Result<Value, String>) {
        for case in cases {
            let fields: Vec<&str> = case.split(" | ").collect();
            let (want, args) = fields.split_last().unwrap();
            let args = args.try_into().unwrap_or_else(|_| panic!("fields: {case}"));
            let got = run(args);
            match (want.strip_prefix("ERR:"), got) {
                (Some(text), Err(e)) => assert!(e.contains(text), "{case}\n  got error: {e}"),
                (None, Ok(v)) => assert_eq!(v, j(want), "{case}\n  got: {}", v.to_json()),
                (_, got) => panic!("{case}\n  got: {got:?}"),
            }
        }
    }

    fn smp_cases(cases: &[&str]) {
        check(cases, |[kind, t, p]| strategic_merge_patch(kind, &j(t), &j(p)));
    }

    #[test]
    fn merge_patch_rfc7386() {
        check(
            &[
                r#"{"a":"b","c":{"d":"e","f":"g"}} | {"a":"z","c":{"f":null}} | {"a":"z","c":{"d":"e"}}"#,
                r#"{"a":1,"l":[1,2]} | {"l":[3]} | {"a":1,"l":[3]}"#,
                r#"{"a":1} | [1] | [1]"#,
                r#"[1] | {"a":null,"b":{"c":null}} | {"b":{}}"#,
                r#"{"e":null} | {"a":1} | {"e":null,"a":1}"#,
                r#"{"a":1} | {} | {"a":1}"#,
            ],
            |[t, p]| Ok(merge_patch(&j(t), &j(p))),
        );
    }

    const DOC: &str = r#"{"m":{"a":"1","x/y":2,"m~n":3},"l":[1,2]}"#;

    fn json_cases(cases: &[&str]) {
        check(cases, |[ops]| json_patch(&j(DOC), &j(ops)));
    }

    #[test]
    fn json_patch_operations() {
        json_cases(&[
            r#"[{"op":"add","path":"/m/b","value":"2"},{"op":"add","path":"/l/0","value":0},{"op":"add","path":"/l/-","value":3}] | {"m":{"a":"1","b":"2","x/y":2,"m~n":3},"l":[0,1,2,3]}"#,
            r#"[{"op":"add","path":"/l/2","value":{"k":null}}] | {"m":{"a":"1","x/y":2,"m~n":3},"l":[1,2,{"k":null}]}"#,
            r#"[{"op":"remove","path":"/m"},{"op":"remove","path":"/l/0"}] | {"l":[2]}"#,
            r#"[{"op":"replace","path":"/l/1","value":10},{"op":"replace","path":"/m","value":"s"}] | {"m":"s","l":[1,10]}"#,
            r#"[{"op":"replace","path":"","value":{"x":1}}] | {"x":1}"#,
            r#"[{"op":"test","path":"/m/x~1y","value":2.0},{"op":"move","from":"/m/x~1y","path":"/z"}] | {"m":{"a":"1","m~n":3},"l":[1,2],"z":2}"#,
            r#"[{"op":"copy","from":"/m/m~0n","path":"/l/-"},{"op":"test","path":"/l","value":[1,2,3]}] | {"m":{"a":"1","x/y":2,"m~n":3},"l":[1,2,3]}"#,
            r#"[{"op":"move","from":"/l","path":"/m/l"}] | {"m":{"a":"1","x/y":2,"m~n":3,"l":[1,2]}}"#,
            r#"[{"op":"test","path":"/nope","value":null}] | {"m":{"a":"1","x/y":2,"m~n":3},"l":[1,2]}"#,
        ]);
    }

    #[test]
    fn json_patch_errors_say_where() {
        json_cases(&[
            r#"[{"op":"test","path":"/l/0","value":1},{"op":"remove","path":"/m/nope"}] | ERR:the server rejected our request due to an error in our request: json patch operation 1 (remove "/m/nope"): doc is missing path"#,
            r#"[{"op":"test","path":"/l/0","value":2}] | ERR:operation 0 (test "/l/0"): testing value /l/0 failed"#,
            r#"[{"op":"replace","path":"/missing","value":2}] | ERR:doc is missing path: "/missing""#,
            r#"[{"op":"add","path":"/x/y","value":2}] | ERR:doc is missing path: "/x/y""#,
            r#"[{"op":"add","path":"/l/5","value":2}] | ERR:invalid array index "5""#,
            r#"[{"op":"add","path":"/l/01","value":2}] | ERR:invalid array index "01""#,
            r#"[{"op":"remove","path":"/l/-"}] | ERR:doc is missing path"#,
            r#"[{"op":"add","path":"/m/a/b","value":2}] | ERR:cannot add a member to a string"#,
            r#"[{"op":"add","path":"/l/0"}] | ERR:missing "value""#,
            r#"[{"op":"copy","path":"/l/0"}] | ERR:missing "from""#,
            r#"[{"op":"move","from":"/m","path":"/m/z"}] | ERR:into its own child"#,
            r#"[{"op":"frobnicate","path":"/l"}] | ERR:unexpected kind: frobnicate"#,
            r#"[{"op":"remove","path":"l"}] | ERR:JSON pointer must be empty or start with"#,
            r#"[{"op":"remove","path":""}] | ERR:cannot remove the whole document"#,
            r#"["remove"] | ERR:the operation is not an object"#,
            r#"{"op":"add"} | ERR:json: cannot unmarshal object into Go value of type jsonpatch.Patch"#,
        ]);
    }

    const DEPLOY: &str = r#"{"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.25","ports":[{"containerPort":80}]},{"name":"sidecar","image":"busybox"}]}}}}"#;

    #[test]
    fn strategic_containers_merge_by_name() {
        let cases = [
            r#"{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"x"}]}}}} | {"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"nginx","image":"x","ports":[{"containerPort":80}]},{"name":"sidecar","image":"busybox"}]}}}}"#,
            r#"{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}} | {"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.25","ports":[{"containerPort":80}]}]}}}}"#,
            r#"{"spec":{"template":{"spec":{"containers":[{"name":"only"},{"$patch":"replace"}]}}}} | {"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"only"}]}}}}"#,
            r#"{"spec":{"template":{"spec":{"containers":[{"name":"nginx","ports":[{"containerPort":443}]}]}}}} | {"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.25","ports":[{"containerPort":443},{"containerPort":80}]},{"name":"sidecar","image":"busybox"}]}}}}"#,
            r#"{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}} | ERR:map: {"image":"x"} does not contain declared merge key: name"#,
            r#"{"spec":{"template":{"spec":{"containers":[{"name":"a","$patch":"merge"}]}}}} | ERR:merging lists cannot yet be specified"#,
            r#"{"spec":{"template":{"spec":{"containers":["x"]}}}} | ERR:list element types are not identical"#,
        ];
        for case in cases {
            smp_cases(&[&format!("Deployment | {DEPLOY} | {case}")]);
        }
    }

    #[test]
    fn strategic_element_order_follows_upstream() {
        smp_cases(&[
            r#"Pod | {"spec":{"containers":[{"name":"c","env":[{"name":"A","value":"1"},{"name":"B"}]}]}} | {"spec":{"containers":[{"name":"c","env":[{"name":"C","value":"3"}]}]}} | {"spec":{"containers":[{"name":"c","env":[{"name":"C","value":"3"},{"name":"A","value":"1"},{"name":"B"}]}]}}"#,
            r#"Pod | {"spec":{"containers":[{"name":"a"},{"name":"b"}]}} | {"spec":{"containers":[{"name":"b","image":"x"},{"name":"c"}]}} | {"spec":{"containers":[{"name":"a"},{"name":"b","image":"x"},{"name":"c"}]}}"#,
            r#"Pod | {"spec":{"containers":[{"name":"a"},{"name":"b"},{"name":"c"}]}} | {"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"a"},{"name":"b"}],"containers":[{"name":"a","image":"x"}]}} | {"spec":{"containers":[{"name":"c"},{"name":"a","image":"x"},{"name":"b"}]}}"#,
            r#"Pod | {"metadata":{"finalizers":["a","b"]}} | {"metadata":{"finalizers":["b","c"]}} | {"metadata":{"finalizers":["a","b","c"]}}"#,
            r#"Pod | {"metadata":{"finalizers":["a","b","c"]}} | {"metadata":{"$deleteFromPrimitiveList/finalizers":["b"],"$setElementOrder/finalizers":["c","a"]}} | {"metadata":{"finalizers":["c","a"]}}"#,
        ]);
    }

    #[test]
    fn strategic_maps_nulls_and_atomic_lists() {
        smp_cases(&[
            r#"Pod | {"metadata":{"labels":{"a":"1","b":"2"}}} | {"metadata":{"labels":{"a":null,"c":"3"}}} | {"metadata":{"labels":{"b":"2","c":"3"}}}"#,
            r#"Pod | {"spec":{"tolerations":[{"key":"x"},{"key":"y"}]}} | {"spec":{"tolerations":[{"key":"z"}]}} | {"spec":{"tolerations":[{"key":"z"}]}}"#,
            r#"Node | {"spec":{"taints":[{"key":"a","effect":"NoSchedule"}]}} | {"spec":{"taints":[{"key":"b","effect":"NoSchedule"}]}} | {"spec":{"taints":[{"key":"b","effect":"NoSchedule"}]}}"#,
            r#"Pod | {"metadata":{"labels":{"a":"1"}}} | {"metadata":{"$patch":"replace","labels":{"b":"2"}}} | {"metadata":{"labels":{"b":"2"}}}"#,
            r#"Pod | {"metadata":{"labels":{"a":"1"}}} | {"metadata":{"labels":{"$patch":"delete"}}} | {"metadata":{"labels":{}}}"#,
            r#"Pod | {"spec":{"containers":"oops"}} | {"spec":{"containers":[{"name":"b","env":[{"name":"X","value":null}]}]}} | {"spec":{"containers":[{"name":"b","env":[{"name":"X"}]}]}}"#,
            r#"Deployment | {"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}} | {"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}} | {"spec":{"strategy":{"type":"Recreate"}}}"#,
            r#"Pod | {} | {"spec":{"$patch":"bogus"}} | ERR:unknown patch type: "bogus""#,
            r#"Pod | {} | [1] | ERR:invalid JSON document"#,
            r#"CronTab | {} | {} | ERR:application/strategic-merge-patch+json is not supported by CronTab"#,
        ]);
    }

    #[test]
    fn strategic_merge_keys_of_other_fields_and_kinds() {
        smp_cases(&[
            r#"Service | {"spec":{"ports":[{"port":80,"name":"http"},{"port":443}]}} | {"spec":{"ports":[{"port":443,"targetPort":8443}]}} | {"spec":{"ports":[{"port":80,"name":"http"},{"port":443,"targetPort":8443}]}}"#,
            r#"PersistentVolumeClaim | {"status":{"conditions":[{"type":"Resizing","status":"True"},{"type":"X"}]}} | {"status":{"conditions":[{"type":"Resizing","status":"False"}]}} | {"status":{"conditions":[{"type":"Resizing","status":"False"},{"type":"X"}]}}"#,
            r#"StatefulSet | {"metadata":{"ownerReferences":[{"uid":"1"}]}} | {"metadata":{"ownerReferences":[{"uid":"2"}]}} | {"metadata":{"ownerReferences":[{"uid":"2"},{"uid":"1"}]}}"#,
            r#"StatefulSet | {"spec":{"template":{"spec":{"volumes":[{"name":"a","emptyDir":{}}],"containers":[{"name":"c","volumeMounts":[{"mountPath":"/a","name":"a"}]}]}}}} | {"spec":{"template":{"spec":{"volumes":[{"name":"b"}],"containers":[{"name":"c","volumeMounts":[{"mountPath":"/a","readOnly":true}]}]}}}} | {"spec":{"template":{"spec":{"volumes":[{"name":"b"},{"name":"a","emptyDir":{}}],"containers":[{"name":"c","volumeMounts":[{"mountPath":"/a","name":"a","readOnly":true}]}]}}}}"#,
            r#"DaemonSet | {"spec":{"template":{"spec":{"hostAliases":[{"ip":"1.2.3.4","hostnames":["a"]}],"imagePullSecrets":[{"name":"r"}]}}}} | {"spec":{"template":{"spec":{"hostAliases":[{"ip":"1.2.3.4","hostnames":["b"]}],"imagePullSecrets":[{"name":"s"}]}}}} | {"spec":{"template":{"spec":{"hostAliases":[{"ip":"1.2.3.4","hostnames":["b"]}],"imagePullSecrets":[{"name":"s"},{"name":"r"}]}}}}"#,
            r#"Node | {"spec":{"podCIDRs":["10.0.0.0/24"]},"status":{"addresses":[{"type":"InternalIP","address":"a"}]}} | {"spec":{"podCIDRs":["fd00::/64"]},"status":{"addresses":[{"type":"Hostname","address":"h"}]}} | {"spec":{"podCIDRs":["fd00::/64","10.0.0.0/24"]},"status":{"addresses":[{"type":"Hostname","address":"h"},{"type":"InternalIP","address":"a"}]}}"#,
        ]);
    }

    #[test]
    fn deep_input_is_an_error_not_a_crash() {
        let mut deep = Value::Str("x".into());
        for _ in 0..150 {
            deep = Value::from_map(Map::from([("a".to_string(), deep)]));
        }
        let err = strategic_merge_patch("Pod", &deep, &deep).unwrap_err();
        assert!(err.contains("deeper than 100"), "{err}");
        assert!(three_way_apply_patch("Pod", Some(&deep), &deep, &deep).is_err());
        let shallow = three_way_apply_patch("Pod", Some(&deep), &j("{}"), &deep);
        assert_eq!(shallow, Ok(j(r#"{"a":null}"#)));
        assert_eq!(merge_patch(&deep, &deep), deep);
    }

    #[test]
    fn odd_inputs_never_panic() {
        let docs = r#"null | 1 | [] | [1,{}] | {"spec":[]} | {"spec":{"containers":[1,[2]]}} | {"spec":{"containers":[{"name":null},{"$patch":1}]}} | {"metadata":"x"} | [{"op":"add"},{"op":"move","from":"/a","path":"/a"},{"op":"test","path":"/"}] | {"$setElementOrder/spec":1,"$deleteFromPrimitiveList/x":{},"$retainKeys":2}"#;
        let docs: Vec<Value> = docs.split(" | ").map(j).collect();
        for a in &docs {
            for b in &docs {
                let _ = (merge_patch(a, b), json_patch(a, b));
                for kind in ["Pod", "Deployment", "Node", "Thing"] {
                    let _ = strategic_merge_patch(kind, a, b);
                    let _ = three_way_apply_patch(kind, Some(a), b, a);
                    let _ = three_way_apply_patch(kind, Some(b), a, b);
                }
            }
        }
    }

    /// Cases: kind | last-applied (`-` for none) | local | live | patch | live after the patch.
    fn apply_cases(cases: &[&str]) {
        check(cases, |[kind, last, local, live, want]| {
            let last = (last != "-").then(|| j(last));
            let patch = three_way_apply_patch(kind, last.as_ref(), &j(local), &j(live))?;
            let shown = patch.to_json();
            assert_eq!(patch, j(want), "{kind} {local}\n  patch: {shown}");
            if kind == "CronTab" {
                return Ok(merge_patch(&j(live), &patch));
            }
            strategic_merge_patch(kind, &j(live), &patch)
        });
    }

    #[test]
    fn apply_deletes_own_fields_and_keeps_others() {
        apply_cases(&[
            r#"Pod | {"metadata":{"labels":{"app":"web","tier":"front"}}} | {"metadata":{"labels":{"app":"web"}}} | {"metadata":{"labels":{"app":"web","tier":"front","team":"x"}},"status":{"phase":"Running"}} | {"metadata":{"labels":{"tier":null}}} | {"metadata":{"labels":{"app":"web","team":"x"}},"status":{"phase":"Running"}}"#,
            r#"Pod | - | {"metadata":{"labels":{"app":"web","new":"1"}}} | {"metadata":{"labels":{"app":"web","team":"x"}}} | {"metadata":{"labels":{"new":"1"}}} | {"metadata":{"labels":{"app":"web","new":"1","team":"x"}}}"#,
            r#"StatefulSet | {"spec":{"replicas":3}} | {"spec":{}} | {"spec":{"replicas":5,"serviceName":"s"}} | {"spec":{"replicas":null}} | {"spec":{"serviceName":"s"}}"#,
            r#"StatefulSet | {"spec":{"replicas":3}} | {} | {"spec":{"replicas":5},"status":{}} | {"spec":null} | {"status":{}}"#,
            r#"CronTab | {"spec":{"items":[{"name":"a"},{"name":"b"}],"x":1}} | {"spec":{"items":[{"name":"a"}]}} | {"spec":{"items":[{"name":"a"},{"name":"b"}],"x":1,"y":2}} | {"spec":{"items":[{"name":"a"}],"x":null}} | {"spec":{"items":[{"name":"a"}],"y":2}}"#,
        ]);
    }

    #[test]
    fn apply_after_scale_sets_replicas() {
        apply_cases(&[
            r#"StatefulSet | {"spec":{"replicas":3}} | {"spec":{"replicas":4}} | {"spec":{"replicas":5,"revisionHistoryLimit":10}} | {"spec":{"replicas":4}} | {"spec":{"replicas":4,"revisionHistoryLimit":10}}"#,
            r#"StatefulSet | {"spec":{"replicas":3}} | {"spec":{"replicas":3}} | {"spec":{"replicas":5}} | {"spec":{"replicas":3}} | {"spec":{"replicas":3}}"#,
        ]);
    }

    #[test]
    fn apply_without_changes_is_empty() {
        let live = r#"{"metadata":{"uid":"u"},"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.25","imagePullPolicy":"IfNotPresent","ports":[{"containerPort":80,"protocol":"TCP"}]},{"name":"sidecar","image":"busybox"}]}}},"status":{"replicas":3}}"#;
        apply_cases(&[
            &format!("Deployment | {DEPLOY} | {DEPLOY} | {live} | {{}} | {live}"),
            &format!("Deployment | - | {DEPLOY} | {DEPLOY} | {{}} | {DEPLOY}"),
        ]);
    }

    #[test]
    fn apply_merges_lists_element_wise() {
        apply_cases(&[
            // A changed image and a removed env var: `$setElementOrder` plus a `$patch: delete`.
            r#"Deployment | {"spec":{"template":{"spec":{"containers":[{"name":"n","image":"a","env":[{"name":"A"},{"name":"B"}]}]}}}} | {"spec":{"template":{"spec":{"containers":[{"name":"n","image":"b","env":[{"name":"A"}]}]}}}} | {"spec":{"template":{"spec":{"containers":[{"name":"n","image":"a","env":[{"name":"A"},{"name":"B"}]}]}}}} | {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"n"}],"containers":[{"name":"n","image":"b","$setElementOrder/env":[{"name":"A"}],"env":[{"name":"B","$patch":"delete"}]}]}}}} | {"spec":{"template":{"spec":{"containers":[{"name":"n","image":"b","env":[{"name":"A"}]}]}}}}"#,
            // A removed container and finalizer; an injected container and another finalizer stay.
            r#"Pod | {"metadata":{"finalizers":["a","b"]},"spec":{"containers":[{"name":"a"},{"name":"b"}]}} | {"metadata":{"finalizers":["a"]},"spec":{"containers":[{"name":"a"}]}} | {"metadata":{"finalizers":["a","b","c"]},"spec":{"containers":[{"name":"a"},{"name":"b"},{"name":"i"}]}} | {"metadata":{"$deleteFromPrimitiveList/finalizers":["b"],"$setElementOrder/finalizers":["a"]},"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"name":"b","$patch":"delete"}]}} | {"metadata":{"finalizers":["a","c"]},"spec":{"containers":[{"name":"a"},{"name":"i"}]}}"#,
            // An added container goes where the manifest puts it.
            r#"Pod | {"spec":{"containers":[{"name":"a"}]}} | {"spec":{"containers":[{"name":"z"},{"name":"a"}]}} | {"spec":{"containers":[{"name":"a","image":"x"}]}} | {"spec":{"$setElementOrder/containers":[{"name":"z"},{"name":"a"}],"containers":[{"name":"z"}]}} | {"spec":{"containers":[{"name":"z"},{"name":"a","image":"x"}]}}"#,
            // Switching strategy type clears the server's rollingUpdate through `$retainKeys`.
            r#"Deployment | {"spec":{"strategy":{"type":"RollingUpdate"}}} | {"spec":{"strategy":{"type":"Recreate"}}} | {"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%"}}}} | {"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}} | {"spec":{"strategy":{"type":"Recreate"}}}"#,
        ]);
    }

    #[test]
    fn apply_rejects_non_objects() {
        let err = three_way_apply_patch("Pod", Some(&j("[1]")), &j("{}"), &j("{}")).unwrap_err();
        assert!(err.contains("last-applied configuration is a array"), "{err}");
    }
}
