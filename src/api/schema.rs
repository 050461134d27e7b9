//! The field tree of the kinds the playground serves (Kubernetes v1.34.0 OpenAPI, generated into
//! `schema.txt` by `scripts/gen-schema.py`: 18 KB, 4.5 KB gzip), for kubectl's default strict
//! field validation: an unknown field fails the request (`strict decoding error: unknown field
//! "spec.replica"`) instead of being dropped silently. The linter places the same finding on the
//! key.

use std::sync::OnceLock;

use crate::value::Value;

const TEXT: &str = include_str!("schema.txt");

struct Schema {
    /// (apiVersion, kind) → root type.
    roots: Vec<((&'static str, &'static str), &'static str)>,
    /// Type → its fields (name → type code, see the generator's docs), both sorted by name.
    /// Sorted lists, not maps: read-only data, and no map types of their own in the bundle.
    types: Vec<(&'static str, Vec<(&'static str, &'static str)>)>,
}

impl Schema {
    fn fields_of(&self, ty: &str) -> Option<&[(&'static str, &'static str)]> {
        let i = self.types.binary_search_by(|(name, _)| (*name).cmp(ty)).ok()?;
        Some(&self.types[i].1)
    }
}

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let mut roots = Vec::new();
        let mut types = Vec::new();
        for line in TEXT.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
            if let Some(root) = line.strip_prefix('!') {
                let mut words = root.split(' ');
                if let (Some(version), Some(kind), Some(ty)) = (words.next(), words.next(), words.next()) {
                    roots.push(((version, kind), ty));
                }
                continue;
            }
            let mut words = line.split(' ');
            let Some(name) = words.next() else { continue };
            let mut fields: Vec<(&str, &str)> = words.filter_map(|w| w.split_once(':')).collect();
            crate::sort::by(&mut fields, &|a, b| a.0.cmp(b.0));
            types.push((name, fields));
        }
        crate::sort::by(&mut types, &|a, b| a.0.cmp(b.0));
        Schema { roots, types }
    })
}

/// The root type of a kind (`apps/v1`, `StatefulSet` → `StatefulSet`).
pub fn root(api_version: &str, kind: &str) -> Option<&'static str> {
    let schema = schema();
    schema
        .roots
        .iter()
        .find(|((v, k), _)| *v == api_version && *k == kind)
        .map(|(_, ty)| *ty)
}

/// The fields of a type with their type codes, in name order.
pub fn fields(ty: &str) -> Vec<(&'static str, &'static str)> {
    schema().fields_of(ty).map(<[_]>::to_vec).unwrap_or_default()
}

/// The type code of a field of a type.
pub fn field_type(ty: &str, field: &str) -> Option<&'static str> {
    let fields = schema().fields_of(ty)?;
    let i = fields.binary_search_by(|(name, _)| (*name).cmp(field)).ok()?;
    Some(fields[i].1)
}

/// A type code in words: `string`, `list of Container`, `object (PodSpec)`.
pub fn describe(code: &str) -> String {
    match code.as_bytes().first() {
        Some(b'@') => format!("object ({})", &code[1..]),
        Some(b'[') => format!(
            "list of {}",
            describe(&code[1..])
                .trim_start_matches("object (")
                .trim_end_matches(')')
        ),
        Some(b'{') => format!("map of {}", describe(&code[1..])),
        _ => match code {
            "s" => "string",
            "i" | "l" => "integer",
            "n" => "number",
            "b" => "boolean",
            "q" => "quantity or string",
            _ => "any value",
        }
        .to_string(),
    }
}

/// An unknown field: its path (`spec.template.spec.containers[0].imag`) and the known field
/// of the same object it most likely means (`image`), if one is close.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub path: String,
    pub suggestion: Option<&'static str>,
}

/// The unknown fields of an object, in document order. Kinds without a schema give none.
pub fn unknown(obj: &Value) -> Vec<Unknown> {
    let s = schema();
    let Some(root) = root(obj.str_at("apiVersion"), obj.str_at("kind")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    walk(s, &format!("@{root}"), obj, &mut Vec::new(), &mut out);
    out
}

/// A value of the wrong JSON type for its field: where (`spec.replicas`, with list indices, for
/// placing it) and the API server's decode error for it.
#[derive(Debug, Clone, PartialEq)]
pub struct WrongType {
    pub path: String,
    pub message: String,
}

/// The values of an object that the API server cannot decode into its Go types, in document
/// order. The message is encoding/json's `UnmarshalTypeError` as sigs.k8s.io/json words it
/// (`json: cannot unmarshal string into Go struct field StatefulSetSpec.spec.replicas of type
/// int32`): the struct holding the field, the field's path without list indices, the Go type.
/// `null` decodes into anything; quantities and int-or-strings take strings and numbers alike;
/// a list of strings given something else is reported in our words (its Go item type, often
/// a named string type, is not in the OpenAPI definitions).
pub fn wrong_types(obj: &Value) -> Vec<WrongType> {
    let Some(root) = root(obj.str_at("apiVersion"), obj.str_at("kind")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut at = TypeWalk {
        steps: Vec::new(),
        out: &mut out,
    };
    at.walk(schema(), &format!("@{root}"), root, obj);
    out
}

/// [`wrong_types`] of the object's `metadata` only (kubectl decodes that part itself): the
/// rest of the object is not walked.
pub fn wrong_metadata_types(obj: &Value) -> Vec<WrongType> {
    let field = |name: &str| obj.get(name).cloned().unwrap_or_default();
    let head = crate::map::Map::from_sorted([
        ("apiVersion", field("apiVersion")),
        ("kind", field("kind")),
        ("metadata", field("metadata")),
    ]);
    wrong_types(&Value::Map(std::rc::Rc::new(head)))
}

/// The walk of [`wrong_types`]: the path so far (field names and list indices).
struct TypeWalk<'a, 'o> {
    steps: Vec<Step<'a>>,
    out: &'o mut Vec<WrongType>,
}

impl<'a> TypeWalk<'a, '_> {
    /// Check `v` against type code `code`; `owner` is the Go struct that holds the field.
    fn walk(&mut self, s: &Schema, code: &str, owner: &str, v: &'a Value) {
        if matches!(v, Value::Null) {
            return;
        }
        let got = match v {
            Value::Str(_) => "string",
            Value::Int(_) | Value::Float(_) => "number",
            Value::Bool(_) => "bool",
            Value::List(_) => "array",
            Value::Map(_) => "object",
            Value::Null => return,
        };
        let want: Option<String> = match code.as_bytes().first() {
            Some(b'@') => (got != "object").then(|| format!("v1.{}", &code[1..])),
            Some(b'[') => (got != "array").then(|| match code[1..].strip_prefix('@') {
                Some(item) => format!("[]v1.{item}"),
                None => String::new(), // a list of scalars: see below
            }),
            Some(b'{') => (got != "object").then(|| format!("map[string]{}", go_scalar(&code[1..]))),
            _ => match code {
                "s" => (got != "string").then(|| "string".to_string()),
                "b" => (got != "bool").then(|| "bool".to_string()),
                "n" => (got != "number").then(|| "float64".to_string()),
                "i" | "l" => {
                    let go = if code == "i" { "int32" } else { "int64" };
                    match v {
                        Value::Int(_) => None,
                        Value::Float(f) if f.fract() == 0.0 => None,
                        // A number that is not an integer is named with its value.
                        Value::Float(f) => {
                            self.report(owner, &format!("number {f}"), go);
                            return;
                        }
                        _ => Some(go.to_string()),
                    }
                }
                _ => None, // `q` quantities and int-or-strings, `o` anything
            },
        };
        if let Some(go) = want {
            if go.is_empty() {
                let path = self.field_path();
                self.out.push(WrongType {
                    path: path_text(&self.steps),
                    message: format!(
                        "{path} must be a list, not a {}: the API server cannot decode the object",
                        type_word(got)
                    ),
                });
            } else {
                self.report(owner, got, &go);
            }
            return;
        }
        match (code.as_bytes().first(), v) {
            (Some(b'@'), Value::Map(map)) => {
                let name = &code[1..];
                let Some(fields) = s.fields_of(name) else { return };
                for (key, value) in map.iter() {
                    if let Ok(i) = fields.binary_search_by(|(n, _)| (*n).cmp(key)) {
                        self.steps.push(Step::Field(key));
                        self.walk(s, fields[i].1, name, value);
                        self.steps.pop();
                    }
                }
            }
            (Some(b'['), Value::List(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.steps.push(Step::Index(i));
                    self.walk(s, &code[1..], owner, item);
                    self.steps.pop();
                }
            }
            (Some(b'{'), Value::Map(map)) => {
                for (key, value) in map.iter() {
                    self.steps.push(Step::Key(key));
                    self.walk(s, &code[1..], owner, value);
                    self.steps.pop();
                }
            }
            _ => {}
        }
    }

    /// The field path as encoding/json writes it: field names only, no indices or map keys.
    fn field_path(&self) -> String {
        self.steps
            .iter()
            .filter_map(|s| match s {
                Step::Field(f) => Some(*f),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(".")
    }

    fn report(&mut self, owner: &str, got: &str, go: &str) {
        let field = self.field_path();
        self.out.push(WrongType {
            path: path_text(&self.steps),
            message: format!("json: cannot unmarshal {got} into Go struct field {owner}.{field} of type {go}"),
        });
    }
}

/// The Go type of a scalar type code (map values: `map[string]string`).
fn go_scalar(code: &str) -> &'static str {
    match code {
        "s" => "string",
        "b" => "bool",
        "i" => "int32",
        "l" => "int64",
        "n" => "float64",
        _ => "interface {}",
    }
}

/// A JSON type in words.
fn type_word(got: &str) -> &'static str {
    match got {
        "string" => "string",
        "number" => "number",
        "bool" => "boolean",
        "array" => "list",
        _ => "map",
    }
}

/// The paths of [`unknown`].
pub fn unknown_fields(obj: &Value) -> Vec<String> {
    unknown(obj).into_iter().map(|u| u.path).collect()
}

/// One step of the path being walked (turned into text only for an unknown field).
enum Step<'a> {
    Field(&'a str),
    Index(usize),
    Key(&'a str),
}

fn path_text(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Field(f) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(f);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
            Step::Key(k) => out.push_str(&format!("[{k}]")),
        }
    }
    out
}

fn walk<'a>(s: &Schema, ty: &str, v: &'a Value, path: &mut Vec<Step<'a>>, out: &mut Vec<Unknown>) {
    if let Some(name) = ty.strip_prefix('@') {
        let (Some(fields), Some(map)) = (s.fields_of(name), v.as_map()) else {
            return;
        };
        for (key, value) in map.iter() {
            path.push(Step::Field(key));
            match fields.binary_search_by(|(name, _)| (*name).cmp(key)) {
                Ok(i) => walk(s, fields[i].1, value, path, out),
                Err(_) => out.push(Unknown {
                    path: path_text(path),
                    suggestion: closest(key, fields.iter().map(|(name, _)| *name)),
                }),
            }
            path.pop();
        }
    } else if let Some(item) = ty.strip_prefix('[') {
        for (i, value) in v.as_list().iter().enumerate() {
            path.push(Step::Index(i));
            walk(s, item, value, path, out);
            path.pop();
        }
    } else if let Some(item) = ty.strip_prefix('{') {
        if let Some(map) = v.as_map() {
            for (key, value) in map.iter() {
                path.push(Step::Key(key));
                walk(s, item, value, path, out);
                path.pop();
            }
        }
    }
}

/// Drop the unknown fields of an object, as the API server's decoder does when a request does
/// not ask for strict field validation (`fieldValidation=Ignore` or `Warn`: kubectl
/// `--validate=false|warn`): a field the Go types do not have is not stored.
pub fn prune_unknown(obj: &mut Value) {
    let Some(root) = root(obj.str_at("apiVersion"), obj.str_at("kind")) else {
        return;
    };
    prune(schema(), &format!("@{root}"), obj);
}

fn prune(s: &Schema, ty: &str, v: &mut Value) {
    if let Some(name) = ty.strip_prefix('@') {
        let Some(fields) = s.fields_of(name) else { return };
        let Some(map) = v.map_mut() else { return };
        map.retain(|key, _| fields.binary_search_by(|(name, _)| (*name).cmp(key)).is_ok());
        for (key, value) in map.iter_mut() {
            if let Ok(i) = fields.binary_search_by(|(name, _)| (*name).cmp(key)) {
                prune(s, fields[i].1, value);
            }
        }
    } else if let Some(item) = ty.strip_prefix('[') {
        if let Some(list) = v.list_mut() {
            list.iter_mut().for_each(|value| prune(s, item, value));
        }
    } else if let Some(item) = ty.strip_prefix('{') {
        if let Some(map) = v.map_mut() {
            map.values_mut().for_each(|value| prune(s, item, value));
        }
    }
}

/// The known field nearest to a misspelt one (same letters ignoring case, or at most two
/// edits), if any.
fn closest(word: &str, known: impl Iterator<Item = &'static str>) -> Option<&'static str> {
    let lower = word.to_ascii_lowercase();
    known
        .map(|k| {
            let d = if k.to_ascii_lowercase() == lower {
                0
            } else {
                edit_distance(&lower, &k.to_ascii_lowercase())
            };
            (d, k)
        })
        .filter(|(d, _)| *d <= 2.min(word.len() / 3 + 1))
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance (fields are short ASCII words).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut prev = row[0];
        row[0] = i;
        for j in 1..=b.len() {
            let cur = row[j];
            row[j] = (row[j] + 1)
                .min(row[j - 1] + 1)
                .min(prev + usize::from(a[i - 1] != b[j - 1]));
            prev = cur;
        }
    }
    row[b.len()]
}

/// The API server's strict decoding error for an object with unknown fields, if it has any
/// (`StatefulSet in version "v1" cannot be handled as a StatefulSet: strict decoding error:
/// unknown field "spec.replica"`).
pub fn strict_decoding_error(kind_name: &str, api_version: &str, obj: &Value) -> Option<String> {
    let unknown = unknown_fields(obj);
    if unknown.is_empty() {
        return None;
    }
    let version = api_version.rsplit('/').next().unwrap_or(api_version);
    let list: Vec<String> = unknown.iter().map(|p| format!("unknown field \"{p}\"")).collect();
    Some(format!(
        "{kind_name} in version \"{version}\" cannot be handled as a {kind_name}: strict decoding error: {}",
        list.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_types_in_encoding_json_words() {
        let obj = value(
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  labels: {on: yes}\nspec:\n  replicas: 1.5\n  minReadySeconds: 3.0\n  template:\n    spec:\n      terminationGracePeriodSeconds: \"30\"\n      containers: [web]\n",
        );
        let found: Vec<(String, String)> = wrong_types(&obj).into_iter().map(|w| (w.path, w.message)).collect();
        assert_eq!(
            found,
            [
                ("metadata.labels[true]".to_string(), "json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string".to_string()),
                ("spec.replicas".to_string(), "json: cannot unmarshal number 1.5 into Go struct field StatefulSetSpec.spec.replicas of type int32".to_string()),
                ("spec.template.spec.containers[0]".to_string(), "json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.containers of type v1.Container".to_string()),
                ("spec.template.spec.terminationGracePeriodSeconds".to_string(), "json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.terminationGracePeriodSeconds of type int64".to_string()),
            ]
        );
    }

    use crate::yaml::value_of as value;

    #[test]
    fn finds_typos_at_any_depth_and_accepts_real_fields() {
        let v = value("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\n  labels: {a: b}\nspec:\n  replica: 3\n  template:\n    spec:\n      containers:\n      - name: c\n        imag: x\n        resources:\n          requests: {storage: 1Gi}\n  volumeClaimTemplates:\n  - metadata: {name: www}\n    spec:\n      accessModes: [ReadWriteOnce]\nstatus: {replicas: 1}\n");
        assert_eq!(
            unknown_fields(&v),
            ["spec.replica", "spec.template.spec.containers[0].imag"]
        );
        assert_eq!(
            unknown(&v).iter().map(|u| u.suggestion).collect::<Vec<_>>(),
            [Some("replicas"), Some("image")]
        );
        assert_eq!(
            strict_decoding_error("StatefulSet", "apps/v1", &v).as_deref(),
            Some("StatefulSet in version \"v1\" cannot be handled as a StatefulSet: strict decoding error: unknown field \"spec.replica\", unknown field \"spec.template.spec.containers[0].imag\"")
        );
        let ok = value("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  clusterIP: None\n  selector: {app: a}\n  ports:\n  - port: 80\n    targetPort: web\n");
        assert!(unknown_fields(&ok).is_empty());
    }
}
