//! A JSON-like value: how the engine holds every API object, as the API server's unstructured
//! objects do. Maps are ordered by key, which is also the order `kubectl get -o yaml|json` prints.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::rc::Rc;

pub use crate::map::Map;

/// One JSON value. Maps and lists are shared copy-on-write (`Rc`): copying an object is cheap,
/// and changing one field copies only the path to it. Objects are copied on every controller
/// pass, so this is what keeps the simulation fast.
#[derive(Debug, Clone, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Shared: copying a map to change one field copies no string.
    Str(Rc<str>),
    List(Rc<Vec<Value>>),
    Map(Rc<Map>),
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            // Shared subtrees are equal without looking inside.
            (Value::List(a), Value::List(b)) => Rc::ptr_eq(a, b) || a == b,
            (Value::Map(a), Value::Map(b)) => Rc::ptr_eq(a, b) || a == b,
            _ => false,
        }
    }
}

/// The non-empty steps of a dotted path. A byte loop rather than `str::split`: paths are a few
/// short words, and this runs for every field read of every controller pass (the hottest code of
/// the engine, measured in `benches/engine.rs`).
fn path_steps(path: &str) -> impl Iterator<Item = &str> {
    let mut rest = path;
    std::iter::from_fn(move || loop {
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        let mut i = 0;
        while i < bytes.len() && bytes[i] != b'.' {
            i += 1;
        }
        let step = &rest[..i];
        rest = if i < bytes.len() { &rest[i + 1..] } else { "" };
        if !step.is_empty() {
            return Some(step);
        }
    })
}

impl Value {
    /// An empty map.
    pub fn map() -> Value {
        Value::Map(Rc::new(Map::new()))
    }

    /// A list value.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(items))
    }

    /// A map value.
    pub fn from_map(map: Map) -> Value {
        Value::Map(Rc::new(map))
    }

    /// The map inside, for changing it (copied first if it is shared).
    pub fn map_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Map(m) => Some(Rc::make_mut(m)),
            _ => None,
        }
    }

    /// The list inside, for changing it (copied first if it is shared).
    pub fn list_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Value::List(l) => Some(Rc::make_mut(l)),
            _ => None,
        }
    }

    /// Whether both are the same shared map or list (or equal scalars): a cheap "unchanged"
    /// test after copy-on-write, which never copies what it does not change.
    pub fn same(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Map(a), Value::Map(b)) => Rc::ptr_eq(a, b),
            (Value::List(a), Value::List(b)) => Rc::ptr_eq(a, b),
            (Value::Str(a), Value::Str(b)) => Rc::ptr_eq(a, b) || a == b,
            (Value::Map(_) | Value::List(_), _) | (_, Value::Map(_) | Value::List(_)) => false,
            (a, b) => a == b,
        }
    }

    /// The value at a dotted field path (`"spec.template.metadata"`), if every step exists.
    pub fn at(&self, path: &str) -> Option<&Value> {
        // Split as bytes, and look keys up as bytes: no UTF-8 boundary checks on the hottest
        // path of the engine.
        path.as_bytes()
            .split(|b| *b == b'.')
            .filter(|step| !step.is_empty())
            .try_fold(self, |v, key| match v {
                Value::Map(m) => m.get_bytes(key),
                _ => None,
            })
    }

    /// A field of a map.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(m) => m.get(key),
            _ => None,
        }
    }

    /// A mutable field of a map, created (as an empty map) along the path when missing. A step
    /// that holds a non-map value is replaced by a map.
    pub fn entry(&mut self, path: &str) -> &mut Value {
        let mut cur = self;
        for key in path_steps(path) {
            if !matches!(cur, Value::Map(_)) {
                *cur = Value::map();
            }
            let Some(m) = cur.map_mut() else {
                unreachable!("made a map above")
            };
            cur = m.entry(key).or_insert(Value::Null);
        }
        cur
    }

    /// Set a list at a dotted path, or remove the field when the list is empty (`omitempty`, as
    /// the API server prints owner references, finalizers and taints).
    pub fn set_list(&mut self, path: &str, items: Vec<Value>) {
        if items.is_empty() {
            self.remove(path);
        } else {
            self.set(path, Value::list(items));
        }
    }

    /// Set the value at a dotted path, creating maps along the way.
    pub fn set(&mut self, path: &str, value: impl Into<Value>) {
        *self.entry(path) = value.into();
    }

    /// Remove the field at a dotted path; returns what was there.
    pub fn remove(&mut self, path: &str) -> Option<Value> {
        let (parent, last) = match path.rsplit_once('.') {
            Some((p, l)) => (self.at_mut(p)?, l),
            None => (self, path),
        };
        parent.map_mut().and_then(|m| m.remove(last))
    }

    /// A mutable value at a dotted path, if it exists.
    pub fn at_mut(&mut self, path: &str) -> Option<&mut Value> {
        let mut cur = self;
        for key in path_steps(path) {
            cur = cur.map_mut()?.get_mut(key)?;
        }
        Some(cur)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_list(&self) -> &[Value] {
        match self {
            Value::List(l) => l,
            _ => &[],
        }
    }

    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The string at a path, or `""`.
    /// Feed this value's structure into `h`: equal values feed equal parts (a change detector
    /// that writes no JSON).
    pub fn feed(&self, h: &mut crate::rng::Fingerprint) {
        match self {
            Value::Null => h.add("~"),
            Value::Bool(b) => h.add(if *b { "t" } else { "f" }),
            Value::Int(i) => h.add_int(*i),
            Value::Float(f) => h.add(&f.to_string()),
            Value::Str(s) => {
                h.add("s");
                h.add(s);
            }
            Value::List(items) => {
                h.add("[");
                items.iter().for_each(|v| v.feed(h));
                h.add("]");
            }
            Value::Map(m) => {
                h.add("{");
                for (k, v) in m.iter() {
                    h.add(k);
                    v.feed(h);
                }
                h.add("}");
            }
        }
    }

    pub fn str_at(&self, path: &str) -> &str {
        self.at(path).and_then(Value::as_str).unwrap_or("")
    }

    /// The name of this value's JSON type, as the API server names it in errors.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::List(_) => "array",
            Value::Map(_) => "object",
        }
    }

    /// The string map at a path (labels, annotations, selectors); non-string values are skipped.
    pub fn string_map(&self, path: &str) -> BTreeMap<String, String> {
        self.at(path)
            .and_then(Value::as_map)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.to_string(), s.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Render as compact JSON (Go's encoding/json escaping of `<`, `>`, `&` is not applied).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_json(self, &mut out, None, 0);
        out
    }

    /// Render as indented JSON, as `kubectl get -o json` does (4 spaces).
    pub fn to_json_pretty(&self) -> String {
        let mut out = String::new();
        write_json(self, &mut out, Some(4), 0);
        out.push('\n');
        out
    }

    /// Render as YAML, as `kubectl get -o yaml` does: keys sorted, two-space indentation, list
    /// items at their parent's indentation, strings quoted only when needed.
    pub fn to_yaml(&self) -> String {
        let mut out = String::new();
        match self {
            Value::Map(m) if !m.is_empty() => write_yaml_map(m, &mut out, 0),
            Value::List(l) if !l.is_empty() => write_yaml_list(l, &mut out, 0),
            other => {
                out.push_str(&yaml_scalar(other));
                out.push('\n');
            }
        }
        out
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Str(s.into())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Str(s.into())
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}
impl From<Map> for Value {
    fn from(m: Map) -> Value {
        Value::Map(Rc::new(m))
    }
}
impl From<Vec<Value>> for Value {
    fn from(l: Vec<Value>) -> Value {
        Value::List(Rc::new(l))
    }
}
impl From<BTreeMap<String, String>> for Value {
    fn from(m: BTreeMap<String, String>) -> Value {
        Value::Map(Rc::new(m.into_iter().map(|(k, v)| (k, Value::Str(v.into()))).collect()))
    }
}

fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn float_text(f: f64) -> String {
    if f.is_finite() {
        let s = format!("{f}");
        s
    } else {
        "null".to_string()
    }
}

fn write_json(v: &Value, out: &mut String, indent: Option<usize>, depth: usize) {
    let newline = |out: &mut String, d: usize| {
        if let Some(n) = indent {
            out.push('\n');
            out.push_str(&" ".repeat(n * d));
        }
    };
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&float_text(*f)),
        Value::Str(s) => json_string(s, out),
        Value::List(l) if l.is_empty() => out.push_str("[]"),
        Value::Map(m) if m.is_empty() => out.push_str("{}"),
        Value::List(l) => {
            out.push('[');
            for (i, item) in l.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write_json(item, out, indent, depth + 1);
            }
            newline(out, depth);
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                json_string(k, out);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write_json(item, out, indent, depth + 1);
            }
            newline(out, depth);
            out.push('}');
        }
    }
}

/// Whether a plain (unquoted) YAML scalar would read back as this same string.
fn needs_quotes(s: &str) -> bool {
    if s.is_empty() || s.trim() != s {
        return true;
    }
    if crate::yaml::resolve_plain(s) != Value::Str(s.into()) {
        return true;
    }
    let first = s.chars().next().unwrap_or(' ');
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        // "-" alone or "- x" starts a list; other indicators start other things.
        if !(first == '-' && s.len() > 1 && !s.starts_with("- ")) {
            return true;
        }
    }
    // go-yaml quotes strings its resolver would read as timestamps (`"2026-01-01T00:00:00Z"`).
    let b = s.as_bytes();
    let timestamp = b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && b[..4].iter().all(u8::is_ascii_digit);
    timestamp || s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.chars().any(|c| c.is_control())
}

fn yaml_scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float_text(*f),
        Value::Str(s) if s.contains('\n') || s.chars().any(|c| c.is_control()) => {
            let mut out = String::new();
            json_string(s, &mut out);
            out
        }
        // sigs.k8s.io/yaml (go-yaml v2) double-quotes the strings it must quote.
        Value::Str(s) if needs_quotes(s) => {
            let mut out = String::new();
            json_string(s, &mut out);
            out
        }
        Value::Str(s) => s.to_string(),
        Value::List(l) if l.is_empty() => "[]".into(),
        Value::Map(m) if m.is_empty() => "{}".into(),
        _ => String::new(),
    }
}

fn is_block(v: &Value) -> bool {
    matches!(v, Value::Map(m) if !m.is_empty()) || matches!(v, Value::List(l) if !l.is_empty())
}

fn write_yaml_map(m: &Map, out: &mut String, indent: usize) {
    for (k, v) in m {
        out.push_str(&" ".repeat(indent));
        out.push_str(&yaml_scalar(&Value::Str(k.into())));
        out.push(':');
        match v {
            Value::Map(inner) if !inner.is_empty() => {
                out.push('\n');
                write_yaml_map(inner, out, indent + 2);
            }
            Value::List(inner) if !inner.is_empty() => {
                out.push('\n');
                write_yaml_list(inner, out, indent);
            }
            other => {
                out.push(' ');
                out.push_str(&yaml_scalar(other));
                out.push('\n');
            }
        }
    }
}

fn write_yaml_list(l: &[Value], out: &mut String, indent: usize) {
    for item in l {
        out.push_str(&" ".repeat(indent));
        out.push_str("- ");
        match item {
            Value::Map(m) if !m.is_empty() => {
                // The first key goes on the dash's line, the rest below it.
                let mut inner = String::new();
                write_yaml_map(m, &mut inner, indent + 2);
                out.push_str(inner.trim_start());
            }
            Value::List(l) if !l.is_empty() => {
                let mut inner = String::new();
                write_yaml_list(l, &mut inner, indent + 2);
                out.push_str(inner.trim_start());
            }
            other => {
                out.push_str(&yaml_scalar(other));
                out.push('\n');
            }
        }
    }
    let _ = is_block;
}

/// The text of a JSON string literal (`"a\nb"` → `a` newline `b`), or None when `raw` is not
/// exactly one well-formed string literal. Reads what earlier versions saved in the browser.
pub fn parse_json_string(raw: &str) -> Option<String> {
    let body = raw.trim().strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    let mut pending_high: Option<u32> = None;
    while let Some(c) = chars.next() {
        let unit = match c {
            '"' => return None,
            '\\' => match chars.next()? {
                '"' => '"' as u32,
                '\\' => '\\' as u32,
                '/' => '/' as u32,
                'b' => 8,
                'f' => 12,
                'n' => 10,
                'r' => 13,
                't' => 9,
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    if hex.len() != 4 {
                        return None;
                    }
                    u32::from_str_radix(&hex, 16).ok()?
                }
                _ => return None,
            },
            c if (c as u32) < 0x20 => return None,
            c => c as u32,
        };
        match (pending_high.take(), unit) {
            (None, 0xD800..=0xDBFF) => pending_high = Some(unit),
            (Some(high), 0xDC00..=0xDFFF) => {
                out.push(char::from_u32(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00))?);
            }
            (Some(_), _) | (None, 0xDC00..=0xDFFF) => return None,
            (None, unit) => out.push(char::from_u32(unit)?),
        }
    }
    pending_high.is_none().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_read_back() {
        for text in ["", "a: 1\nb: \"x\"\t\\", "é ☃ 𝄞", "\u{1}"] {
            let mut written = String::new();
            json_string(text, &mut written);
            assert_eq!(parse_json_string(&written).as_deref(), Some(text), "{written}");
        }
        assert_eq!(parse_json_string("\"\\ud834\\udd1e\"").as_deref(), Some("𝄞"));
        for bad in [
            "",
            "abc",
            "\"unterminated",
            "\"a\"b\"",
            "\"\\x\"",
            "\"\\ud834\"",
            "kind: Pod",
        ] {
            assert_eq!(parse_json_string(bad), None, "{bad}");
        }
    }

    #[test]
    fn yaml_output_matches_kubectl_layout() {
        let mut v = Value::map();
        v.set("metadata.name", "web");
        v.set("metadata.labels.app", "nginx");
        v.set("spec.replicas", 3i64);
        v.set(
            "spec.containers",
            Value::list(vec![{
                let mut c = Value::map();
                c.set("name", "nginx");
                c.set(
                    "ports",
                    Value::list(vec![{
                        let mut p = Value::map();
                        p.set("containerPort", 80i64);
                        p
                    }]),
                );
                c
            }]),
        );
        v.set("spec.empty", Value::map());
        v.set("status.phase", "true");
        assert_eq!(
            v.to_yaml(),
            "metadata:\n  labels:\n    app: nginx\n  name: web\nspec:\n  containers:\n  - name: nginx\n    ports:\n    - containerPort: 80\n  empty: {}\n  replicas: 3\nstatus:\n  phase: \"true\"\n"
        );
    }

    #[test]
    fn json_pretty_uses_four_spaces() {
        let mut v = Value::map();
        v.set("a.b", 1i64);
        assert_eq!(v.to_json_pretty(), "{\n    \"a\": {\n        \"b\": 1\n    }\n}\n");
    }

    #[test]
    fn quoting_keeps_strings_strings() {
        for s in [
            "yes",
            "1",
            "1.5",
            "null",
            "",
            " a",
            "a: b",
            "- x",
            "*x",
            "#c",
            "0x1f",
            "2026-01-01T00:00:00Z",
        ] {
            assert!(needs_quotes(s), "{s:?} must be quoted");
        }
        for s in ["nginx", "registry.k8s.io/nginx-slim:0.21", "1Gi", "-x", "web-0"] {
            assert!(!needs_quotes(s), "{s:?} needs no quotes");
        }
    }
}
