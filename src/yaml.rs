//! YAML with positions: a small arena tree built on `saphyr-parser`'s event stream.
//!
//! Why our own tree (docs/decisions/yaml-parser.md): every key and value keeps its span, so a
//! diagnostic lands on the exact line and column in the right document; duplicate keys and tabs
//! are our own diagnostics (the parse goes on); aliases stay alias nodes (an alias bomb costs
//! nothing until [`Tree::to_value`] expands it under a budget); depth and size are bounded; and
//! nothing recurses on the input's depth except the bounded expansion.
//!
//! Scalars resolve as Kubernetes' YAML library (sigs.k8s.io/yaml on go-yaml v2, YAML 1.1 rules)
//! resolves them: `yes`/`no`/`on`/`off` are booleans, `~` and `null` are null, `0x1f` and `0o17`
//! are integers.

use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as RawSpan};

use crate::value::{Map, Value};

/// A position in the source: 1-based line and 1-based column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// A span of source text: start inclusive, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

fn span_of(raw: RawSpan) -> Span {
    let pos = |m: saphyr_parser::Marker| Pos {
        line: u32::try_from(m.line()).unwrap_or(u32::MAX),
        col: u32::try_from(m.col() + 1).unwrap_or(u32::MAX),
    };
    Span {
        start: pos(raw.start),
        end: pos(raw.end),
    }
}

/// Index of a node in [`Tree::nodes`].
pub type NodeId = u64;

/// What a node holds.
#[derive(Debug, Clone)]
pub enum Kind {
    /// A scalar as written, and whether it was quoted or a block scalar (then it is a string).
    Scalar {
        text: String,
        plain: bool,
        tag: Option<String>,
    },
    Seq(Vec<NodeId>),
    /// Key and value node pairs, in source order.
    Map(Vec<(NodeId, NodeId)>),
    /// `*name`: the anchored node it refers to (None when the anchor is unknown).
    Alias(Option<NodeId>),
}

/// One node of the tree with its span.
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: Kind,
    pub span: Span,
}

/// One YAML document: its root, and the line of its first token (or `---`).
#[derive(Debug, Clone)]
pub struct Doc {
    pub root: Option<NodeId>,
    pub start_line: u32,
}

/// A problem found while reading YAML.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    /// 0-based index of the document it is in.
    pub doc: usize,
    pub span: Span,
    pub message: String,
    /// A stable rule id: `yaml-syntax`, `yaml-duplicate-key`, `yaml-tab-indent`, `yaml-limit`.
    pub rule: &'static str,
}

/// Bounds on what one parse may build ("put a limit on everything").
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_depth: usize,
    pub max_nodes: usize,
    pub max_documents: usize,
    /// How many values alias expansion may produce for one document.
    pub max_expanded: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 100,
            max_nodes: 1_000_000,
            max_documents: 10_000,
            max_expanded: 100_000,
        }
    }
}

/// A parsed YAML stream.
#[derive(Debug, Default, Clone)]
pub struct Tree {
    pub nodes: Vec<Node>,
    pub docs: Vec<Doc>,
}

enum Frame {
    Seq {
        id: NodeId,
        items: Vec<NodeId>,
    },
    Map {
        id: NodeId,
        entries: Vec<(NodeId, NodeId)>,
        key: Option<NodeId>,
        seen: BTreeMap<String, NodeId>,
    },
}

/// Maps with fewer keys than this find a duplicate key by scanning their keys; larger ones keep
/// a hash map of them.
const SEEN_SCAN: usize = 16;

/// A test's YAML text as a value (its first document); the text must parse.
#[cfg(test)]
pub fn value_of(src: &str) -> Value {
    let (tree, errors) = parse(src, Limits::default());
    assert!(errors.is_empty(), "{errors:?}");
    tree.to_value(0, Limits::default()).expect("a value")
}

/// Parse a YAML stream. Always returns what could be read; problems come back as errors, the
/// first syntax error ends the parse (the documents before it are kept).
pub fn parse(src: &str, limits: Limits) -> (Tree, Vec<YamlError>) {
    let mut tree = Tree::default();
    // About one node per 8 bytes of a typical manifest: grown once or twice, not a dozen times.
    tree.nodes.reserve((src.len() / 8).min(1 << 16));
    let mut errors = Vec::new();
    tab_indentation(src, &mut errors);
    let mut frames: Vec<Frame> = Vec::new();
    // Anchor → node. Keyed by the anchor's number written out: a map type the engine already
    // has (each distinct map type is more code in the browser bundle).
    let mut anchors: BTreeMap<String, NodeId> = BTreeMap::new();
    let mut root: Option<NodeId> = None;
    let mut doc_start = 1u32;

    for item in Parser::new_from_str(src) {
        let (event, raw) = match item {
            Ok(ok) => ok,
            Err(err) => {
                let m = err.marker();
                let at = Pos {
                    line: u32::try_from(m.line()).unwrap_or(u32::MAX),
                    col: u32::try_from(m.col() + 1).unwrap_or(u32::MAX),
                };
                // A tab in indentation is already reported, with a better message, on its line.
                if !errors
                    .iter()
                    .any(|e: &YamlError| e.rule == "yaml-tab-indent" && e.span.start.line <= at.line)
                {
                    errors.push(YamlError {
                        doc: tree.docs.len(),
                        span: Span { start: at, end: at },
                        message: format!("YAML syntax error: {}", syntax_message(err.info())),
                        rule: "yaml-syntax",
                    });
                }
                if frames.is_empty() && root.is_none() {
                    break;
                }
                // Keep what the broken document had so far: close it as it stands.
                tree.docs.push(Doc {
                    root: frames.first().map(frame_id).or(root),
                    start_line: doc_start,
                });
                finish_open_frames(&mut tree, &mut frames);
                return (tree, errors);
            }
        };
        let span = span_of(raw);
        if tree.nodes.len() >= limits.max_nodes {
            errors.push(limit_error(
                tree.docs.len(),
                span,
                "the manifest has more than 1,000,000 YAML nodes; split it into smaller files",
            ));
            break;
        }
        let new_node = |tree: &mut Tree, kind: Kind| -> NodeId {
            tree.nodes.push(Node { kind, span });
            NodeId::try_from(tree.nodes.len() - 1).unwrap_or(NodeId::MAX)
        };
        let completed = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => None,
            Event::DocumentStart(_) => {
                root = None;
                doc_start = span.start.line;
                if tree.docs.len() >= limits.max_documents {
                    errors.push(limit_error(
                        tree.docs.len(),
                        span,
                        "the manifest has more than 10,000 documents; split it into smaller files",
                    ));
                    break;
                }
                None
            }
            Event::DocumentEnd => {
                tree.docs.push(Doc {
                    root: root.take(),
                    start_line: doc_start,
                });
                None
            }
            Event::Scalar(text, style, anchor, tag) => {
                let plain = matches!(style, ScalarStyle::Plain) && tag.is_none();
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                let id = new_node(
                    &mut tree,
                    Kind::Scalar {
                        text: text.into_owned(),
                        plain,
                        tag,
                    },
                );
                if anchor > 0 {
                    anchors.insert(anchor.to_string(), id);
                }
                Some(id)
            }
            Event::Alias(anchor) => {
                let target = anchors.get(&anchor.to_string()).copied();
                Some(new_node(&mut tree, Kind::Alias(target)))
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if frames.len() >= limits.max_depth {
                    errors.push(limit_error(
                        tree.docs.len(),
                        span,
                        "the YAML is nested more than 100 levels deep",
                    ));
                    break;
                }
                let is_seq = matches!(event, Event::SequenceStart(..));
                let id = new_node(
                    &mut tree,
                    if is_seq {
                        Kind::Seq(Vec::new())
                    } else {
                        Kind::Map(Vec::new())
                    },
                );
                if anchor > 0 {
                    anchors.insert(anchor.to_string(), id);
                }
                frames.push(if is_seq {
                    Frame::Seq { id, items: Vec::new() }
                } else {
                    Frame::Map {
                        id,
                        entries: Vec::new(),
                        key: None,
                        seen: BTreeMap::new(),
                    }
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = frames.pop() else { continue };
                let id = close_frame(&mut tree, frame);
                tree.nodes[id as usize].span.end = span.end;
                Some(id)
            }
        };
        let Some(id) = completed else { continue };
        match frames.last_mut() {
            None => root = Some(id),
            Some(Frame::Seq { items, .. }) => items.push(id),
            Some(Frame::Map { entries, key, seen, .. }) => match key.take() {
                None => *key = Some(id),
                Some(k) => {
                    if let Kind::Scalar { text, .. } = &tree.nodes[k as usize].kind {
                        // Small maps (nearly all) are scanned; past SEEN_SCAN keys, hashed.
                        let earlier = if entries.len() < SEEN_SCAN {
                            entries.iter().map(|(e, _)| *e).find(
                                |e| matches!(&tree.nodes[*e as usize].kind, Kind::Scalar { text: t, .. } if t == text),
                            )
                        } else {
                            if seen.is_empty() {
                                for (e, _) in entries.iter() {
                                    if let Kind::Scalar { text: t, .. } = &tree.nodes[*e as usize].kind {
                                        seen.entry(t.clone()).or_insert(*e);
                                    }
                                }
                            }
                            seen.get(text).copied()
                        };
                        if let Some(first) = earlier {
                            let first_at = tree.nodes[first as usize].span.start;
                            errors.push(YamlError {
                                doc: tree.docs.len(),
                                span: tree.nodes[k as usize].span,
                                message: format!(
                                    "duplicate key \"{text}\": it is already set on line {}; kubectl would refuse this document (\"mapping key \\\"{text}\\\" already defined at line {}\"), so keep only one",
                                    first_at.line, first_at.line
                                ),
                                rule: "yaml-duplicate-key",
                            });
                        } else if entries.len() >= SEEN_SCAN {
                            seen.insert(text.clone(), k);
                        }
                    }
                    entries.push((k, id));
                }
            },
        }
    }
    (tree, errors)
}

fn frame_id(frame: &Frame) -> NodeId {
    match frame {
        Frame::Seq { id, .. } | Frame::Map { id, .. } => *id,
    }
}

fn close_frame(tree: &mut Tree, frame: Frame) -> NodeId {
    let (id, kind) = match frame {
        Frame::Seq { id, items } => (id, Kind::Seq(items)),
        Frame::Map { id, entries, .. } => (id, Kind::Map(entries)),
    };
    tree.nodes[id as usize].kind = kind;
    id
}

/// After a syntax error, close every open collection so the partial document stays readable.
fn finish_open_frames(tree: &mut Tree, frames: &mut Vec<Frame>) {
    while let Some(frame) = frames.pop() {
        let id = close_frame(tree, frame);
        match frames.last_mut() {
            Some(Frame::Seq { items, .. }) => items.push(id),
            Some(Frame::Map { entries, key, .. }) => {
                if let Some(k) = key.take() {
                    entries.push((k, id));
                }
            }
            None => {}
        }
    }
}

fn limit_error(doc: usize, span: Span, message: &str) -> YamlError {
    YamlError {
        doc,
        span,
        message: message.to_string(),
        rule: "yaml-limit",
    }
}

/// Make the scanner's terse messages readable.
fn syntax_message(info: &str) -> String {
    let info = info.trim();
    if info.contains("did not find expected key") {
        return format!("{info} (check the indentation of this line: it does not line up with the keys above it)");
    }
    if info.contains("mapping values are not allowed") {
        return format!(
            "{info} (a value cannot hold another `key: value` on the same line; quote it or move it to its own line)"
        );
    }
    info.to_string()
}

/// Tabs are not allowed in YAML indentation; say so on the line, at the tab.
fn tab_indentation(src: &str, errors: &mut Vec<YamlError>) {
    let mut doc = 0usize;
    for (i, line) in src.lines().enumerate() {
        if line.starts_with("---") {
            doc += 1;
        }
        let indent: String = line.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
        if let Some(col) = indent.chars().position(|c| c == '\t') {
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let at = Pos {
                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                col: u32::try_from(col + 1).unwrap_or(u32::MAX),
            };
            errors.push(YamlError {
                doc: doc.saturating_sub(usize::from(src.starts_with("---"))),
                span: Span {
                    start: at,
                    end: Pos {
                        line: at.line,
                        col: at.col + 1,
                    },
                },
                message: "a tab is used for indentation; YAML allows only spaces there (replace the tab with spaces)"
                    .into(),
                rule: "yaml-tab-indent",
            });
            return;
        }
    }
}

/// Resolve a plain scalar the way go-yaml v2 (YAML 1.1) does for Kubernetes manifests.
pub fn resolve_plain(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => return Value::Bool(true),
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N" => {
            return Value::Bool(false)
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Value::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    // A word that starts with a letter and is none of the above is a string (most keys and
    // values of a manifest): no number reads that way.
    if s.as_bytes()[0].is_ascii_alphabetic() {
        return Value::Str(s.into());
    }
    let plain = s.replace('_', "");
    let (neg, digits) = match plain.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, plain.strip_prefix('+').unwrap_or(&plain)),
    };
    let int = if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()
    } else if let Some(oct) = digits.strip_prefix("0o") {
        i64::from_str_radix(oct, 8).ok()
    } else if let Some(bin) = digits.strip_prefix("0b") {
        i64::from_str_radix(bin, 2).ok()
    } else if digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit()) {
        i64::from_str_radix(digits, 8).ok()
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse::<i64>().ok()
    } else {
        None
    };
    if let Some(i) = int {
        return Value::Int(if neg { -i } else { i });
    }
    let looks_numeric = s
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && s.bytes().any(|b| b.is_ascii_digit());
    if looks_numeric {
        if let Ok(f) = s.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str(s.into())
}

/// One step of a field path: a map key or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Parse a field path as the API server writes it: `spec.template.spec.containers[0].image`.
pub fn field_path(path: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    // Split on the dots outside brackets: `annotations[volume.beta.kubernetes.io/x]` is one key.
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in path.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => {
                parts.push(&path[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&path[start..]);
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(open) = rest.find('[') {
            if open > 0 {
                segs.push(Seg::Key(rest[..open].to_string()));
            }
            rest = &rest[open..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let close = stripped.find(']').unwrap_or(stripped.len());
                let inner = &stripped[..close];
                segs.push(match inner.parse::<usize>() {
                    Ok(i) => Seg::Index(i),
                    Err(_) => Seg::Key(inner.trim_matches('"').to_string()),
                });
                rest = stripped.get(close + 1..).unwrap_or("");
            }
        } else {
            segs.push(Seg::Key(rest.to_string()));
        }
    }
    segs
}

impl Tree {
    fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// Follow aliases to the node they stand for (bounded: alias chains cannot loop).
    fn deref(&self, mut id: NodeId) -> NodeId {
        for _ in 0..16 {
            match self.node(id).kind {
                Kind::Alias(Some(target)) => id = target,
                _ => break,
            }
        }
        id
    }

    /// The key and value spans at `path` in document `doc`. When the path goes further than the
    /// source does, the deepest existing step is returned, so a "missing field" error lands on
    /// the parent that should hold it.
    pub fn locate(&self, doc: usize, path: &[Seg]) -> Option<(Option<Span>, Span)> {
        let mut cur = self.docs.get(doc)?.root?;
        let mut found = (None, self.node(cur).span);
        for seg in path {
            let node = self.deref(cur);
            let next = match (&self.node(node).kind, seg) {
                (Kind::Map(entries), Seg::Key(key)) => entries.iter().find_map(|(k, v)| {
                    matches!(&self.node(*k).kind, Kind::Scalar { text, .. } if text == key).then_some((*k, *v))
                }),
                (Kind::Seq(items), Seg::Index(i)) => items.get(*i).map(|v| (*v, *v)),
                _ => None,
            };
            let Some((k, v)) = next else { break };
            let key_span = (k != v).then(|| self.node(k).span);
            found = (key_span.or(Some(self.node(v).span)), self.node(v).span);
            cur = v;
        }
        Some(found)
    }

    /// The document and field path of what is written at a 1-based line and column (a key, or
    /// a value: the path of the field it is the value of), with the span of the key (or of the
    /// value, for a list item). None outside every document's content.
    pub fn path_at(&self, line: u32, col: u32) -> Option<(usize, Vec<Seg>, Span)> {
        let at = Pos { line, col };
        let inside = |span: Span| span.start <= at && at < span.end;
        for (doc, d) in self.docs.iter().enumerate() {
            let Some(mut cur) = d.root else { continue };
            if !inside(self.node(cur).span) {
                continue;
            }
            let mut path = Vec::new();
            let mut last = self.node(cur).span;
            // Bounded by the document's depth (the parser limits it).
            for _ in 0..256 {
                let next = match &self.node(cur).kind {
                    Kind::Map(entries) => entries.iter().find_map(|(k, v)| {
                        let key = match &self.node(*k).kind {
                            Kind::Scalar { text, .. } => text.clone(),
                            _ => return None,
                        };
                        if inside(self.node(*k).span) {
                            Some((Seg::Key(key), *k, true))
                        } else if inside(self.node(*v).span) {
                            Some((Seg::Key(key), *v, false))
                        } else {
                            None
                        }
                    }),
                    Kind::Seq(items) => items
                        .iter()
                        .enumerate()
                        .find(|(_, v)| inside(self.node(**v).span))
                        .map(|(i, v)| (Seg::Index(i), *v, false)),
                    _ => None,
                };
                let Some((seg, node, on_key)) = next else { break };
                path.push(seg);
                last = self.node(node).span;
                if on_key {
                    break;
                }
                cur = node;
            }
            return (!path.is_empty()).then_some((doc, path, last));
        }
        None
    }

    /// The text of a top-level scalar field of a document (`apiVersion`, `kind`).
    pub fn top_scalar(&self, doc: usize, key: &str) -> Option<&str> {
        let root = self.docs.get(doc)?.root?;
        let Kind::Map(entries) = &self.node(root).kind else {
            return None;
        };
        entries
            .iter()
            .find_map(|(k, v)| match (&self.node(*k).kind, &self.node(*v).kind) {
                (Kind::Scalar { text: kt, .. }, Kind::Scalar { text, .. }) if kt == key => Some(text.as_str()),
                _ => None,
            })
    }

    /// The document's value, aliases expanded under `limits.max_expanded` values.
    pub fn to_value(&self, doc: usize, limits: Limits) -> Result<Value, YamlError> {
        let Some(root) = self.docs.get(doc).and_then(|d| d.root) else {
            return Ok(Value::Null);
        };
        let mut budget = limits.max_expanded;
        self.build(root, doc, &mut budget, 0)
    }

    fn build(&self, id: NodeId, doc: usize, budget: &mut usize, depth: usize) -> Result<Value, YamlError> {
        let node = self.node(id);
        if *budget == 0 || depth > 200 {
            return Err(YamlError {
                doc,
                span: node.span,
                message: "aliases here expand to more than 100,000 values (an alias bomb?); write the values out instead of nesting aliases".into(),
                rule: "yaml-limit",
            });
        }
        *budget -= 1;
        Ok(match &node.kind {
            Kind::Scalar { text, plain: true, .. } => resolve_plain(text),
            Kind::Scalar {
                text, tag: Some(tag), ..
            } => match tag.as_str() {
                "tag:yaml.org,2002:int" | "!!int" => resolve_plain(text),
                "tag:yaml.org,2002:bool"
                | "!!bool"
                | "tag:yaml.org,2002:float"
                | "!!float"
                | "tag:yaml.org,2002:null"
                | "!!null" => resolve_plain(text),
                _ => Value::Str(text.as_str().into()),
            },
            Kind::Scalar { text, .. } => Value::Str(text.as_str().into()),
            Kind::Alias(None) => {
                return Err(YamlError {
                    doc,
                    span: node.span,
                    message: "this alias names an anchor that is not defined above it".into(),
                    rule: "yaml-syntax",
                })
            }
            Kind::Alias(Some(target)) => self.build(*target, doc, budget, depth + 1)?,
            Kind::Seq(items) => Value::list(
                items
                    .iter()
                    .map(|i| self.build(*i, doc, budget, depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
            Kind::Map(entries) => {
                let mut map = Map::new();
                let mut merged = BTreeMap::new();
                for (k, v) in entries {
                    let key = match self.build(*k, doc, budget, depth + 1)? {
                        Value::Str(s) => String::from(&*s),
                        Value::Null => "null".to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Int(i) => i.to_string(),
                        Value::Float(f) => f.to_string(),
                        _ => {
                            return Err(YamlError {
                                doc,
                                span: self.node(*k).span,
                                message: "a key must be a plain value, not a list or a map".into(),
                                rule: "yaml-syntax",
                            })
                        }
                    };
                    let value = self.build(*v, doc, budget, depth + 1)?;
                    if key == "<<" && matches!(&self.node(*k).kind, Kind::Scalar { plain: true, .. }) {
                        // YAML 1.1 merge key: `<<: *base` or `<<: [*a, *b]`.
                        let sources = match value {
                            Value::List(l) => std::rc::Rc::unwrap_or_clone(l),
                            other => vec![other],
                        };
                        for source in sources {
                            if let Value::Map(m) = source {
                                for (mk, mv) in std::rc::Rc::unwrap_or_clone(m) {
                                    merged.entry(mk).or_insert(mv);
                                }
                            }
                        }
                        continue;
                    }
                    map.insert(key, value);
                }
                for (k, v) in merged {
                    map.entry(k).or_insert(v);
                }
                Value::from_map(map)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(src: &str) -> Tree {
        let (tree, errors) = parse(src, Limits::default());
        assert!(errors.is_empty(), "{errors:?}");
        tree
    }

    #[test]
    fn spans_of_keys_and_values_in_the_second_document() {
        let src = "a: 1\n---\nkind: StatefulSet\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: web}\n";
        let tree = parse_ok(src);
        assert_eq!(tree.docs.len(), 2);
        let (key, value) = tree.locate(1, &field_path("spec.replicas")).unwrap();
        assert_eq!(key.unwrap().start, Pos { line: 5, col: 3 });
        assert_eq!(value.start, Pos { line: 5, col: 13 });
        let (key, _) = tree.locate(1, &field_path("spec.selector.matchLabels.app")).unwrap();
        assert_eq!(key.unwrap().start, Pos { line: 7, col: 19 });
    }

    #[test]
    fn list_indices_in_paths() {
        let tree = parse_ok("spec:\n  containers:\n  - name: a\n  - name: b\n    image: x\n");
        let (_, value) = tree.locate(0, &field_path("spec.containers[1].image")).unwrap();
        assert_eq!(value.start, Pos { line: 5, col: 12 });
    }

    #[test]
    fn scalars_resolve_like_kubernetes() {
        let v = parse_ok("a: yes\nb: '1'\nc: 010\nd: 0x1f\ne: 1.5\nf: ~\ng: 1Gi\nh: \"on\"\n")
            .to_value(0, Limits::default())
            .unwrap();
        assert_eq!(v.get("a"), Some(&Value::Bool(true)));
        assert_eq!(v.get("b"), Some(&Value::Str("1".into())));
        assert_eq!(v.get("c"), Some(&Value::Int(8)));
        assert_eq!(v.get("d"), Some(&Value::Int(31)));
        assert_eq!(v.get("e"), Some(&Value::Float(1.5)));
        assert_eq!(v.get("f"), Some(&Value::Null));
        assert_eq!(v.get("g"), Some(&Value::Str("1Gi".into())));
        assert_eq!(v.get("h"), Some(&Value::Str("on".into())));
    }

    #[test]
    fn duplicate_keys_are_reported_at_the_second_key_and_parsing_goes_on() {
        let (tree, errors) = parse("spec:\n  replicas: 1\n  replicas: 2\n", Limits::default());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].rule, "yaml-duplicate-key");
        assert_eq!(errors[0].span.start, Pos { line: 3, col: 3 });
        assert_eq!(tree.docs.len(), 1);
    }

    #[test]
    fn tab_indentation_is_named() {
        let (_, errors) = parse("spec:\n\treplicas: 1\n", Limits::default());
        assert_eq!(errors[0].rule, "yaml-tab-indent");
        assert_eq!(errors[0].span.start, Pos { line: 2, col: 1 });
    }

    #[test]
    fn syntax_error_position_is_file_relative() {
        let (tree, errors) = parse("a: 1\n---\nspec:\n  replicas: 3\n bad: x\n", Limits::default());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].doc, 1);
        assert_eq!(errors[0].span.start.line, 5);
        assert_eq!(tree.docs.len(), 2);
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            src.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let tree = parse_ok(&src);
        let err = tree.to_value(0, Limits::default()).unwrap_err();
        assert_eq!(err.rule, "yaml-limit");
    }

    #[test]
    fn deep_nesting_is_bounded_without_overflow() {
        let src = "[".repeat(100_000);
        let (_, errors) = parse(&src, Limits::default());
        assert!(!errors.is_empty());
        let src = "- ".repeat(100_000) + "x";
        let (_, errors) = parse(&src, Limits::default());
        assert!(errors.iter().any(|e| e.rule == "yaml-limit"), "{errors:?}");
    }

    #[test]
    fn merge_keys() {
        let v = parse_ok("base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  b: 3\n")
            .to_value(0, Limits::default())
            .unwrap();
        assert_eq!(v.at("x.a"), Some(&Value::Int(1)));
        assert_eq!(v.at("x.b"), Some(&Value::Int(3)));
    }
}
