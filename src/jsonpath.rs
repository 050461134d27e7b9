//! kubectl's JSONPath templates (`kubectl get -o jsonpath='{...}'`) evaluated over [`Value`].
//!
//! A port of the upstream engine in kubernetes/kubernetes, quirks included:
//! - parser: `staging/src/k8s.io/client-go/util/jsonpath/parser.go` (node kinds in `node.go`);
//! - evaluation and printing: `staging/src/k8s.io/client-go/util/jsonpath/jsonpath.go`
//!   (`FindResults` with the `range`/`end` state machine, `evalArray`, `evalFilter`,
//!   `PrintResults`, `evalToText`); filter comparisons follow
//!   `staging/src/k8s.io/client-go/third_party/forked/golang/template/funcs.go`;
//! - kubectl: `staging/src/k8s.io/cli-runtime/pkg/genericclioptions/jsonpath_flags.go` calls
//!   `AllowMissingKeys(true)` unless `--allow-missing-template-keys=false`, so a missing field
//!   prints nothing, and wraps parse errors ("error parsing jsonpath"); the printer in
//!   `staging/src/k8s.io/cli-runtime/pkg/printers/jsonpath.go` wraps execution errors.
//!
//! Printing is current upstream's: maps and lists as compact JSON (Go's encoding/json: keys
//! sorted, `<`, `>`, `&` escaped), null as `null`, strings raw, numbers as Go's `%v`; the
//! results of one `{}` are joined by single spaces. Go walks maps in random order for `*` and
//! `..`; this port uses key order, one of the orders kubectl can print. Like kubectl, there are
//! no regular expressions (`=~`), `&&`/`||` or functions: they are parse errors.

use crate::value::Value;
use std::fmt::Write as _;

/// Deepest nesting of `range` blocks (each level is one recursive call).
const MAX_RANGE_DEPTH: usize = 32;
/// Deepest nesting of sub-expressions (unions, quoted keys, filters).
const MAX_PARSE_DEPTH: usize = 64;
/// The most intermediate values one evaluation may produce.
const MAX_VALUES: usize = 1_000_000;

/// Evaluate a kubectl JSONPath template against `input` (the object, or for a list the
/// `{"kind":"List","items":[...]}` value), with kubectl's default of allowing missing keys.
/// The error is the text kubectl prints, `error: ...` included.
pub fn render(template: &str, input: &Value) -> Result<String, String> {
    render_with(template, input, true)
}

/// [`render`], with kubectl's `--allow-missing-template-keys` flag: when `false`, a missing
/// field is an error (`error executing jsonpath ... x is not found`) instead of no output.
pub fn render_with(template: &str, input: &Value, allow_missing_keys: bool) -> Result<String, String> {
    if template.is_empty() {
        return Err("error: template format specified but no template given".into());
    }
    let root = parse(template, 0).map_err(|e| format!("error: error parsing jsonpath {template}, {e}"))?;
    let exec_err = |e: String| {
        format!(
            // `{:?}` stands in for Go's `%q`: they differ only on control characters.
            "error: error executing jsonpath {template:?}: Error executing template: {e}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{template}\n"
        )
    };
    let (allow_missing, budget) = (allow_missing_keys, MAX_VALUES);
    let mut ev = Eval {
        root: &root,
        allow_missing,
        budget,
        ..Eval::default()
    };
    let data = Some(input).filter(|v| !v.is_null()).map_or(R::Absent, R::V);
    let groups = ev.find(0, data, 0).map_err(exec_err)?;
    // One `{}` prints its values joined by spaces; the groups follow each other directly.
    let mut out = String::new();
    for (i, r) in groups.into_iter().flat_map(|g| g.into_iter().enumerate()) {
        out.push_str(if i > 0 { " " } else { "" });
        print(r, &mut out).map_err(exec_err)?;
    }
    Ok(out)
}

// ---------------------------------------------------------------- parser (parser.go)

#[derive(Debug, Clone, Copy, Default)]
struct Param {
    value: i64,
    known: bool,
    derived: bool,
}

#[derive(Debug)]
enum Node {
    Text(String),
    Field(String),
    Array([Param; 3]),
    Filter(Vec<Node>, Vec<Node>, String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Wildcard,
    Recursive,
    Union(Vec<Vec<Node>>),
    Ident(String),
    List(Vec<Node>),
}

struct Parser<'s> {
    input: &'s str,
    pos: usize,
    start: usize,
    depth: usize,
}

/// Parse a whole template: text nodes and one `List` per `{...}` action.
fn parse(text: &str, depth: usize) -> Result<Vec<Node>, String> {
    if depth > MAX_PARSE_DEPTH {
        return Err("jsonpath expression nested too deeply".into());
    }
    let mut p = Parser {
        input: text,
        pos: 0,
        start: 0,
        depth,
    };
    let mut root = Vec::new();
    while let Some(off) = text[p.pos..].find('{') {
        let at = p.pos + off;
        if at > p.start {
            root.push(Node::Text(text[p.start..at].to_string()));
        }
        p.pos = at + 1;
        p.start = p.pos;
        root.push(Node::List(p.action()?));
    }
    if text.len() > p.start {
        root.push(Node::Text(text[p.start..].to_string()));
    }
    Ok(root)
}

/// `parseAction`: parse `{text}` and keep the first action's nodes (anything after its `}` is
/// dropped, as upstream does).
fn parse_action(text: &str, depth: usize) -> Result<Vec<Node>, String> {
    match parse(&format!("{{{text}}}"), depth + 1)?.into_iter().next() {
        Some(Node::List(nodes)) => Ok(nodes),
        _ => Ok(Vec::new()),
    }
}

fn is_terminator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\r' | '\n' | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}'
    )
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

impl Parser<'_> {
    fn next(&mut self) -> Option<char> {
        let c = self.input[self.pos..].chars().next()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn peek(&self) -> Option<char> {
        self.input[self.pos..].chars().next()
    }

    fn consume(&mut self) -> &str {
        let s = &self.input[self.start..self.pos];
        self.start = self.pos;
        s
    }

    /// The byte before the rune just read (the escape check of `parseQuote`/`parseFilter`).
    fn escaped(&self) -> bool {
        self.pos >= 2 && self.input.as_bytes()[self.pos - 2] == b'\\'
    }

    /// `parseInsideAction`, as a loop: the nodes of one action, up to and including its `}`.
    fn action(&mut self) -> Result<Vec<Node>, String> {
        let mut cur = Vec::new();
        loop {
            let rest = &self.input[self.pos..];
            if rest.starts_with('}') {
                self.pos += 1;
                self.start = self.pos;
                return Ok(cur);
            } else if rest.starts_with("[?(") {
                self.filter(&mut cur)?;
                continue;
            } else if rest.starts_with("..") {
                if matches!(cur.last(), Some(Node::Recursive)) {
                    return Err("invalid multiple recursive descent".into());
                }
                self.pos += 2;
                self.start = self.pos;
                cur.push(Node::Recursive);
                if self.peek().is_some_and(is_alnum) {
                    self.field(&mut cur);
                }
                continue;
            }
            match self.next() {
                None | Some('\r' | '\n') => return Err("unclosed action".into()),
                Some(' ' | '@' | '$') => self.start = self.pos,
                Some('[') => self.array(&mut cur)?,
                Some(q @ ('"' | '\'')) => self.quote(&mut cur, q)?,
                Some('.') => self.field(&mut cur),
                Some(c) if matches!(c, '+' | '-') || c.is_ascii_digit() => {
                    self.pos -= 1;
                    self.number(&mut cur)?;
                }
                Some(c) if is_alnum(c) => {
                    self.pos -= c.len_utf8();
                    while self.peek().is_some_and(|c| !is_terminator(c)) {
                        self.next();
                    }
                    let v = self.consume();
                    cur.push(match v {
                        "true" | "false" => Node::Bool(v == "true"),
                        _ => Node::Ident(v.to_string()),
                    });
                }
                Some(c) => return Err(format!("unrecognized character in action: {}", go_rune(c))),
            }
        }
    }

    fn field(&mut self, cur: &mut Vec<Node>) {
        self.start = self.pos;
        while let Some(c) = self.next() {
            if c == '\\' {
                self.next();
            } else if is_terminator(c) {
                self.pos -= c.len_utf8();
                break;
            }
        }
        let v = self.consume();
        cur.push(if v == "*" {
            Node::Wildcard
        } else {
            Node::Field(v.replace('\\', ""))
        });
    }

    fn number(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        if matches!(self.peek(), Some('+' | '-')) {
            self.pos += 1;
        }
        while self.peek().is_some_and(|c| c == '.' || c.is_ascii_digit()) {
            self.pos += 1;
        }
        let v = self.consume();
        cur.push(if let Ok(i) = v.parse::<i64>() {
            Node::Int(i)
        } else if let Ok(f) = v.parse::<f64>() {
            Node::Float(f)
        } else {
            return Err(format!("cannot parse number {v}"));
        });
        Ok(())
    }

    fn array(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated array".into()),
                Some(']') => break,
                _ => {}
            }
        }
        let (depth, all) = (self.depth, self.consume());
        let text = match &all[1..all.len() - 1] {
            "*" => ":",
            t => t,
        };
        let parts: Vec<&str> = text.split(',').collect();
        if parts.len() > 1 {
            let union = parts
                .iter()
                .map(|p| parse_action(&format!("[{}]", p.trim_matches(' ')), depth));
            cur.push(Node::Union(union.collect::<Result<_, _>>()?));
        } else if let Some(key) = text
            .strip_prefix('\'')
            .and_then(|t| t.strip_suffix('\''))
            .filter(|k| !k.contains('\''))
        {
            cur.extend(parse_action(&format!(".{key}"), depth)?);
        } else {
            cur.push(Node::Array(slice_params(text)?));
        }
        Ok(())
    }

    fn filter(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        self.pos += 3;
        self.start = self.pos;
        let (mut begin, mut end, mut pair) = (false, false, ' ');
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated filter".into()),
                Some(q @ ('"' | '\'')) if !begin => (begin, pair) = (true, q),
                Some(q @ ('"' | '\'')) if q == pair && !self.escaped() => end = true,
                Some(')') if begin == end => break,
                _ => {}
            }
        }
        if self.next() != Some(']') {
            return Err("unclosed array expect ]".into());
        }
        let depth = self.depth;
        let all = self.consume();
        let text = &all[..all.len() - 2];
        // The regexp `^([^!<>=]+)([!<>=]+)(.+?)$`, by hand.
        let op = |b: &u8| matches!(b, b'!' | b'<' | b'>' | b'=');
        let bytes = text.as_bytes();
        let split = bytes.iter().position(op).filter(|&i| i > 0).and_then(|i| {
            let j = i + bytes[i..].iter().take_while(|b| op(b)).count();
            match j == bytes.len() {
                false => Some((i, j)),
                true => (j - i >= 2).then_some((i, j - 1)),
            }
        });
        cur.push(match split {
            None => Node::Filter(parse_action(text, depth)?, Vec::new(), "exists".into()),
            Some((i, j)) => Node::Filter(
                parse_action(&text[..i], depth)?,
                parse_action(&text[j..], depth)?,
                text[i..j].into(),
            ),
        });
        Ok(())
    }

    fn quote(&mut self, cur: &mut Vec<Node>, end: char) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated quoted string".into()),
                Some(c) if c == end && !self.escaped() => break,
                _ => {}
            }
        }
        let value = self.consume();
        let s = unquote(value, end).map_err(|e| format!("unquote string {value} error {e}"))?;
        cur.push(Node::Text(s));
        Ok(())
    }
}

/// The slice regexp `^(-?\d*)(:-?\d*)?(:-?\d*)?$` and the `ParamsEntry` rules of `parseArray`.
fn slice_params(text: &str) -> Result<[Param; 3], String> {
    let parts: Vec<&str> = text.split(':').collect();
    let ok = |s: &&str| s.strip_prefix('-').unwrap_or(s).bytes().all(|b| b.is_ascii_digit());
    if parts.len() > 3 || !parts.iter().all(ok) {
        return Err(format!("invalid array index {text}"));
    }
    let mut params = [Param::default(); 3];
    for i in 0..3 {
        match parts.get(i) {
            Some(s) if !s.is_empty() => {
                params[i].known = true;
                params[i].value = s.parse().map_err(|_| format!("array index {s} is not a number"))?;
            }
            None if i == 1 => {
                let value = params[0].value.wrapping_add(1);
                params[1] = Param {
                    value,
                    known: true,
                    derived: true,
                };
            }
            _ => {}
        }
    }
    Ok(params)
}

/// `UnquoteExtend`: Go's `strconv.Unquote`, for single quotes too (a `\xNN` or octal escape
/// above 0x7f, a lone byte in Go, becomes U+FFFD).
fn unquote(s: &str, quote: char) -> Result<String, &'static str> {
    const SYNTAX: &str = "invalid syntax";
    let (mut out, mut rest) = (String::new(), &s[1..s.len() - 1]);
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        if c == quote {
            return Err(SYNTAX);
        } else if c != '\\' {
            out.push(c);
            continue;
        }
        let e = rest.chars().next().ok_or(SYNTAX)?;
        rest = &rest[e.len_utf8()..];
        let (radix, n) = match e {
            'x' => (16, 2),
            'u' => (16, 4),
            'U' => (16, 8),
            '0'..='7' => (8, 2),
            _ => (0, 0),
        };
        out.push(match e {
            'a' => '\x07',
            'b' => '\x08',
            'f' => '\x0c',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'v' => '\x0b',
            '\\' => '\\',
            '\'' | '"' if e == quote => e,
            _ if radix == 0 => return Err(SYNTAX),
            _ => {
                let digits = rest.get(..n).filter(|d| d.chars().all(|c| c.is_digit(radix)));
                let digits = digits.ok_or(SYNTAX)?;
                rest = &rest[n..];
                let lead = if radix == 8 { e.to_string() } else { String::new() };
                let v = u32::from_str_radix(&(lead + digits), radix).map_err(|_| SYNTAX)?;
                match e {
                    'u' | 'U' => char::from_u32(v).ok_or(SYNTAX)?,
                    _ if v > 255 => return Err(SYNTAX),
                    _ => char::from_u32(v).filter(char::is_ascii).unwrap_or('\u{fffd}'),
                }
            }
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------- evaluation (jsonpath.go)

/// One reflect.Value of the Go engine: a value of the object, a literal of the template, a byte
/// of a string (Go's `uint8`), or the invalid value that `range` hands its body for null.
#[derive(Debug, Clone, Copy)]
enum R<'a> {
    V(&'a Value),
    Text(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    Byte(u8),
    Absent,
}

/// An error with the values upstream returns alongside it (the `exists` filter keeps them).
type Res<'a> = Result<Vec<R<'a>>, (Vec<R<'a>>, String)>;

#[derive(Default)]
struct Eval<'a> {
    root: &'a [Node],
    allow_missing: bool,
    begin: usize,
    in_range: usize,
    end: usize,
    stack: usize,
    last_end: Option<usize>,
    budget: usize,
}

fn fail<'a, T>(partial: &[R<'a>], msg: impl Into<String>) -> Result<T, (Vec<R<'a>>, String)> {
    Err((partial.to_vec(), msg.into()))
}

/// Children for `*` and `..` (Go iterates arrays, maps and strings).
fn children(r: R<'_>) -> Vec<R<'_>> {
    match r {
        R::V(Value::List(l)) => l.iter().map(R::V).collect(),
        R::V(Value::Map(m)) => m.values().map(R::V).collect(),
        R::V(Value::Str(s)) => s.bytes().map(R::Byte).collect(),
        R::Text(s) => s.bytes().map(R::Byte).collect(),
        _ => Vec::new(),
    }
}

impl<'a> Eval<'a> {
    /// `FindResults`: one result group per node of `root[start..]`, with upstream's `range`.
    fn find(&mut self, start: usize, data: R<'a>, depth: usize) -> Result<Vec<Vec<R<'a>>>, String> {
        if depth > MAX_RANGE_DEPTH {
            return Err(format!("range blocks nested more than {MAX_RANGE_DEPTH} deep"));
        }
        let (root, cur) = (self.root, [data]);
        let mut full = Vec::new();
        let mut i = start;
        while i < root.len() {
            let results = self.walk(&cur, &root[i]).map_err(|(_, e)| e)?;
            if self.end > 0 && self.end <= self.in_range {
                self.end -= 1;
                self.last_end = Some(i);
                break;
            }
            if self.begin > 0 {
                self.begin -= 1;
                self.in_range += 1;
                if results.is_empty() {
                    self.find(i + 1, R::Absent, depth + 1)?;
                }
                for value in results {
                    let value = if matches!(value, R::V(Value::Null)) {
                        R::Absent
                    } else {
                        value
                    };
                    full.extend(self.find(i + 1, value, depth + 1)?);
                }
                self.in_range -= 1;
                if let Some(e) = self.last_end.filter(|&e| e > i) {
                    i = e;
                }
            } else {
                full.push(results);
            }
            i += 1;
        }
        Ok(full)
    }

    fn walk(&mut self, input: &[R<'a>], node: &'a Node) -> Res<'a> {
        let out = self.walk_inner(input, node)?;
        self.budget = self
            .budget
            .checked_sub(out.len())
            .ok_or((Vec::new(), "jsonpath result too large".to_string()))?;
        Ok(out)
    }

    fn list(&mut self, input: &[R<'a>], nodes: &'a [Node]) -> Res<'a> {
        let mut cur = input.to_vec();
        for node in nodes {
            cur = self.walk(&cur, node)?;
        }
        Ok(cur)
    }

    fn walk_inner(&mut self, input: &[R<'a>], node: &'a Node) -> Res<'a> {
        Ok(match node {
            Node::List(nodes) => return self.list(input, nodes),
            Node::Text(t) => vec![R::Text(t)],
            Node::Int(v) => vec![R::Int(*v); input.len()],
            Node::Float(v) => vec![R::Float(*v); input.len()],
            Node::Bool(v) => vec![R::Bool(*v); input.len()],
            Node::Field(name) => {
                let found: Vec<R> = input
                    .iter()
                    .filter_map(|r| match r {
                        R::V(Value::Map(m)) => m.get(name).map(R::V),
                        _ => None,
                    })
                    .collect();
                if found.is_empty() && !input.is_empty() && !self.allow_missing {
                    return fail(&[], format!("{name} is not found"));
                }
                found
            }
            Node::Array(params) => return array(input, params),
            Node::Filter(left, right, op) => return self.filter(input, left, right, op),
            Node::Wildcard => input.iter().flat_map(|r| children(*r)).collect(),
            Node::Recursive => {
                let (mut out, mut stack): (Vec<R>, Vec<R>) = (Vec::new(), input.iter().rev().copied().collect());
                while let Some(r) = stack.pop() {
                    let kids = children(r);
                    if !kids.is_empty() {
                        out.push(r);
                        if out.len() + stack.len() > self.budget {
                            return fail(&[], "jsonpath result too large");
                        }
                        stack.extend(kids.into_iter().rev());
                    }
                }
                out
            }
            Node::Union(lists) => {
                let mut out = Vec::new();
                for l in lists {
                    out.extend(self.list(input, l).or_else(|(_, e)| fail(input, e))?);
                }
                out
            }
            Node::Ident(name) => match name.as_str() {
                "range" => {
                    self.stack += 1;
                    self.begin += 1;
                    input.to_vec()
                }
                "end" if self.end < self.in_range => {
                    self.end += 1;
                    Vec::new()
                }
                "end" if self.stack > 0 => {
                    self.stack -= 1;
                    Vec::new()
                }
                "end" => return fail(&[], "not in range, nothing to end"),
                _ => return fail(input, format!("unrecognized identifier {name}")),
            },
        })
    }

    fn filter(&mut self, input: &[R<'a>], left: &'a [Node], right: &'a [Node], op: &str) -> Res<'a> {
        let mut out = Vec::new();
        for r in input {
            let R::V(Value::List(items)) = r else {
                return fail(
                    input,
                    format!("{} is not array or slice and cannot be filtered", go_v(*r)),
                );
            };
            for item in items.iter() {
                let temp = [R::V(item)];
                let lefts = self.list(&temp, left);
                if op == "exists" {
                    if !matches!(&lefts, Ok(v) | Err((v, _)) if v.is_empty()) {
                        out.push(R::V(item));
                    }
                    continue;
                }
                let one = |side: Res<'a>| match side {
                    Err((_, e)) => fail(input, e),
                    Ok(v) if v.len() > 1 => fail(input, "can only compare one element at a time"),
                    Ok(v) => Ok(v.first().copied()),
                };
                let Some(l) = one(lefts)? else { continue };
                let Some(rv) = one(self.list(&temp, right))? else {
                    continue;
                };
                if compare(op, l, rv).or_else(|e| fail(&out, e))? {
                    out.push(R::V(item));
                }
            }
        }
        Ok(out)
    }
}

/// `evalArray`: indexes and slices, with upstream's bounds errors and its early return when a
/// slice selects nothing.
fn array<'a>(input: &[R<'a>], params: &[Param; 3]) -> Res<'a> {
    let mut out = Vec::new();
    for r in input {
        let list = match r {
            R::V(Value::Null) => continue,
            R::V(Value::List(l)) => l,
            R::Absent => return fail(input, "reflect: call of reflect.Value.Type on zero Value"),
            other => return fail(input, format!("{} is not array or slice", go_type(*other))),
        };
        let len = list.len() as i64;
        let [a, b, step] = *params;
        // Negative indexes count from the end; `[-1]` is `[-1:0]` with a derived end.
        let (a, b, derived) = (
            if a.known { a.value } else { 0 },
            if b.known { b.value } else { len },
            b.derived,
        );
        let a = a + len * i64::from(a < 0);
        let b = b + len * i64::from(b < 0 || (b == 0 && derived));
        let bounds = |i: i64| format!("array index out of bounds: index {i}, length {len}");
        if a == b {
            return Ok(out); // upstream returns here, skipping any further inputs
        } else if a >= len || a < 0 {
            return fail(input, bounds(a));
        } else if b > len || b < 0 {
            return fail(input, bounds(b.wrapping_sub(1)));
        } else if a > b {
            return fail(input, format!("starting index {a} is greater than ending index {b}"));
        } else if step.known && step.value <= 0 {
            return fail(input, "step must be > 0");
        }
        let step = usize::try_from(step.value).unwrap_or(usize::MAX).max(1) * usize::from(step.known);
        let step = step.max(1);
        out.extend(list[a as usize..b as usize].iter().step_by(step).map(R::V));
    }
    Ok(out)
}

/// A comparable (scalar) value, by Go kind.
#[derive(Clone, Copy)]
enum Kind<'a> {
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(&'a str),
}

impl<'a> R<'a> {
    fn scalar(self) -> Option<Kind<'a>> {
        Some(match self {
            R::V(Value::Bool(v)) => Kind::Bool(*v),
            R::V(Value::Int(v)) => Kind::Int(*v),
            R::V(Value::Float(v)) => Kind::Float(*v),
            R::V(Value::Str(v)) => Kind::Str(v),
            R::Text(v) => Kind::Str(v),
            R::Bool(v) => Kind::Bool(v),
            R::Int(v) => Kind::Int(v),
            R::Float(v) => Kind::Float(v),
            R::Byte(v) => Kind::Uint(v.into()),
            _ => return None,
        })
    }
}

/// `template.Equal`/`Less` and friends: same-kind comparisons, ints against uints, and Go's
/// two error strings otherwise.
fn compare(op: &str, a: R<'_>, b: R<'_>) -> Result<bool, String> {
    use std::cmp::Ordering::{Equal, Greater, Less};
    if !["==", "!=", "<", ">", "<=", ">="].contains(&op) {
        return Err(format!("unrecognized filter operator {op}"));
    }
    let bad_type = || "invalid type for comparison".to_string();
    let (x, y) = (a.scalar().ok_or_else(bad_type)?, b.scalar().ok_or_else(bad_type)?);
    let ord = match (x, y) {
        (Kind::Bool(x), Kind::Bool(y)) => Some(x.cmp(&y)),
        (Kind::Int(x), Kind::Int(y)) => Some(x.cmp(&y)),
        (Kind::Uint(x), Kind::Uint(y)) => Some(x.cmp(&y)),
        (Kind::Float(x), Kind::Float(y)) => x.partial_cmp(&y),
        (Kind::Str(x), Kind::Str(y)) => Some(x.cmp(y)),
        (Kind::Int(x), Kind::Uint(y)) => Some(if x < 0 { Less } else { (x as u64).cmp(&y) }),
        (Kind::Uint(x), Kind::Int(y)) => Some(if y < 0 { Greater } else { x.cmp(&(y as u64)) }),
        _ => return Err("incompatible types for comparison".into()),
    };
    let less = || match x {
        Kind::Bool(_) => Err(bad_type()),
        _ => Ok(ord == Some(Less)),
    };
    match op {
        "==" => Ok(ord == Some(Equal)),
        "!=" => Ok(ord != Some(Equal)),
        "<" => less(),
        ">=" => Ok(!less()?),
        "<=" => Ok(less()? || ord == Some(Equal)),
        _ => Ok(!(less()? || ord == Some(Equal))),
    }
}

// ---------------------------------------------------------------- printing (Go's fmt and json)

/// `PrintResults` for one value: JSON for maps and lists, `evalToText` (`fmt.Fprint`) else.
fn print(r: R<'_>, out: &mut String) -> Result<(), String> {
    match r {
        R::V(v @ (Value::Map(_) | Value::List(_))) => go_json(v, out)?,
        R::V(Value::Null) => out.push_str("null"), // `<nil>` before kubernetes#119883
        R::Absent => out.push_str("<no value>"),
        other => out.push_str(&go_v(other)),
    }
    Ok(())
}

/// Go's `%v` of a value (maps as `map[k:v]`, lists as `[a b]`, nil as `<nil>`).
fn go_v(r: R<'_>) -> String {
    match (r.scalar(), r) {
        (Some(Kind::Bool(v)), _) => v.to_string(),
        (Some(Kind::Int(v)), _) => v.to_string(),
        (Some(Kind::Uint(v)), _) => v.to_string(),
        (Some(Kind::Float(v)), _) => go_float(v, false),
        (Some(Kind::Str(v)), _) => v.to_string(),
        (_, R::V(Value::List(l))) => {
            let items: Vec<String> = l.iter().map(|v| go_v(R::V(v))).collect();
            format!("[{}]", items.join(" "))
        }
        (_, R::V(Value::Map(m))) => {
            let items: Vec<String> = m.iter().map(|(k, v)| format!("{k}:{}", go_v(R::V(v)))).collect();
            format!("map[{}]", items.join(" "))
        }
        (_, R::Absent) => "<invalid reflect.Value>".into(),
        _ => "<nil>".into(),
    }
}

/// The Go type name that `evalArray`'s error shows.
fn go_type(r: R<'_>) -> &'static str {
    match r {
        R::V(Value::Bool(_)) | R::Bool(_) => "bool",
        R::V(Value::Int(_)) => "int64",
        R::Int(_) => "int",
        R::V(Value::Float(_)) | R::Float(_) => "float64",
        R::V(Value::Str(_)) | R::Text(_) => "string",
        R::Byte(_) => "uint8",
        _ => "map[string]interface {}",
    }
}

/// A float as Go prints it: `%v` (strconv's shortest `'g'`: exponent form below 1e-4 or from
/// 1e6, `1e+06`), or encoding/json (exponent form below 1e-6 or from 1e21, `1e-07` as `1e-7`).
fn go_float(f: f64, json: bool) -> String {
    if f.is_nan() {
        return "NaN".into();
    } else if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    let sci = format!("{f:e}");
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::from(if f.is_sign_negative() { "-" } else { "" });
    let use_e = match json {
        true => f != 0.0 && (f.abs() < 1e-6 || f.abs() >= 1e21),
        false => !(-4..6).contains(&exp),
    };
    if use_e {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            let _ = write!(out, ".{}", &digits[1..]);
        }
        let sign = if exp < 0 { '-' } else { '+' };
        let _ = match json && exp < 0 {
            true => write!(out, "e{sign}{}", exp.abs()),
            false => write!(out, "e{sign}{:02}", exp.abs()),
        };
    } else if exp >= 0 {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            let _ = write!(out, "{digits}{}", "0".repeat(int_len - digits.len()));
        } else {
            let _ = write!(out, "{}.{}", &digits[..int_len], &digits[int_len..]);
        }
    } else {
        let _ = write!(out, "0.{}{digits}", "0".repeat((-exp - 1) as usize));
    }
    out
}

/// Go's `json.Marshal`: compact, keys sorted, HTML-safe string escaping.
fn go_json(v: &Value, out: &mut String) -> Result<(), String> {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) if !f.is_finite() => return Err(format!("json: unsupported value: {}", go_float(*f, false))),
        Value::Float(f) => out.push_str(&go_float(*f, true)),
        Value::Str(s) => json_str(s, out),
        Value::List(l) => {
            out.push('[');
            for (i, item) in l.iter().enumerate() {
                out.push_str(if i > 0 { "," } else { "" });
                go_json(item, out)?;
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                out.push_str(if i > 0 { "," } else { "" });
                json_str(k, out);
                out.push(':');
                go_json(item, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

fn json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => out.extend(['\\', c]),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}') => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Go's `%#U` (`U+007E '~'`; the quoted form only for printable runes).
fn go_rune(c: char) -> String {
    match c.is_control() || (c.is_whitespace() && c != ' ') {
        true => format!("U+{:04X}", c as u32),
        false => format!("U+{:04X} '{c}'", c as u32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The input of the kubectl JSONPath docs page (kubernetes/website
    /// `content/en/docs/reference/kubectl/jsonpath.md`), as YAML flow (JSON) text.
    const DOCS: &str = r#"{"kind": "List", "items": [
        {"kind": "None", "metadata": {"name": "127.0.0.1", "labels": {"kubernetes.io/hostname": "127.0.0.1"}},
         "status": {"capacity": {"cpu": "4"}, "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.1"}]}},
        {"kind": "None", "metadata": {"name": "127.0.0.2"},
         "status": {"capacity": {"cpu": "8"}, "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.2"},
                                                             {"type": "another", "address": "127.0.0.3"}]}}],
      "users": [{"name": "myself", "user": {}}, {"name": "e2e", "user": {"username": "admin", "password": "secret"}}]}"#;

    const POD: &str = r#"{"metadata": {"name": "web-0", "labels": {"app.kubernetes.io/name": "web"}, "note": null},
      "spec": {"replicas": 3, "ports": [{"name": "http", "port": 80}, {"name": "https", "port": 443}],
               "containers": [{"name": "c0"}, {"name": "c1"}, {"name": "c2"}, {"name": "c3"}],
               "html": "<a&b>", "ready": true, "empty": []},
      "status": {"conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "False"}]}}"#;

    use crate::yaml::value_of as value;

    /// Cases, one a line: `template => output` (`\t`, `\n` and `\s`, a space, are escapes in the
    /// output). An output `!message` expects that parse or execution error.
    fn check(input: &str, cases: &str) {
        let input = value(input);
        for (template, want) in cases.lines().filter_map(|l| l.trim_start().split_once(" =>")) {
            let want = want.strip_prefix(' ').unwrap_or(want).replace("\\t", "\t");
            let want = want.replace("\\n", "\n").replace("\\s", " ");
            let got = render(template, &input);
            if let Some(want) = want.strip_prefix('!') {
                let got = got.expect_err(template);
                let exec = got.split(": Error executing template: ").nth(1);
                let msg = exec.map(|m| m.split(". Printing more").next().unwrap_or_default());
                let parse = got.strip_prefix(&format!("error: error parsing jsonpath {template}, "));
                assert_eq!(msg.or(parse), Some(want), "template {template}: {got}");
            } else {
                assert_eq!(got.as_deref(), Ok(want.as_str()), "template {template}");
            }
        }
    }

    #[test]
    fn docs_page_examples() {
        // The page's table still shows pre-1.19 output (`[127.0.0.1 127.0.0.2]`, `map[cpu:4]`);
        // these are what kubectl prints now, as upstream's jsonpath_test.go expects.
        check(
            DOCS,
            r#"
            kind is {.kind} => kind is List
            {.kind} => List
            {['kind']} => List
            {$.kind} => List
            {..name} => 127.0.0.1 127.0.0.2 myself e2e
            {.items[*].metadata.name} => 127.0.0.1 127.0.0.2
            {.users[0].name} => myself
            {.items[*]['metadata.name', 'status.capacity']} => 127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}
            {.users[?(@.name=="e2e")].user.password} => secret
            {range .items[*]}[{.metadata.name}, {.status.capacity}] {end} => [127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}]\s
            {range .items[*]}{.metadata.name}{'\t'}{end} => 127.0.0.1\t127.0.0.2\t
            {.items[0]} => {"kind":"None","metadata":{"labels":{"kubernetes.io/hostname":"127.0.0.1"},"name":"127.0.0.1"},"status":{"addresses":[{"address":"127.0.0.1","type":"LegacyHostIP"}],"capacity":{"cpu":"4"}}}
            {.items[0].metadata.name} => 127.0.0.1
            {range .items[*]}{.metadata.name}{"\t"}{.status.startTime}{"\n"}{end} => 127.0.0.1\t\n127.0.0.2\t\n
            {range .items[*]}{.metadata.name}{'\t'}{.status.startTime}{'\n'}{end} => 127.0.0.1\t\n127.0.0.2\t\n
            {.items[0].metadata.labels.kubernetes\.io/hostname} => 127.0.0.1
            {.items[?(@.metadata.name=~/^test$/)].metadata.name} => !unrecognized character in action: U+007E '~'
        "#,
        );
        check(r#"{"name.type": "List"}"#, r"{['name\.type']} => List");
        let docs = value(DOCS);
        let all = render("{@}", &docs).unwrap();
        assert!(
            all.starts_with(r#"{"items":[{"kind":"None","metadata":{"labels":"#)
                && all.ends_with(r#""username":"admin"}}]}"#)
        );
        assert_eq!(render("{$}", &docs).unwrap(), all);
    }

    #[test]
    fn upstream_kubernetes_cases() {
        check(
            DOCS,
            r#"
            {range .items[*]}{.metadata.name}, {end}{.kind} => 127.0.0.1, 127.0.0.2, List
            {.items[*].status.addresses[*].address} => 127.0.0.1 127.0.0.2 127.0.0.3
            {range .items[*]}{range .status.addresses[*]}{.address}, {end}{end} => 127.0.0.1, 127.0.0.2, 127.0.0.3,\s
            {.items[?(@.metadata.labels.kubernetes\.io/hostname=="127.0.0.1")].kind} => None
            {.users[0,1].name} => myself e2e
            {.users[?(@.user.username)].name} => e2e
            {.items[?(@.status.capacity.cpu>"5")].metadata.name} => 127.0.0.2
        "#,
        );
        let nested = r#"{"items": [{"metadata": {"name": "pod1"}, "spec": {"containers": [{"name": "foo"}, {"name": "bar"}]}},
                                   {"metadata": {"name": "pod2"}, "spec": {"containers": [{"name": "baz"}]}}]}"#;
        check(
            nested,
            r#"
            {range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end} => pod1:foo,bar,+pod2:baz,+
            {range .items[*]}{.metadata.name}{"\t"}{range .spec.containers[*]}{.name}{" "}{end}{"\t"}{range .spec.containers[*]}{.name}{" "}{end}{"\n"}{end} => pod1\tfoo bar \tfoo bar \npod2\tbaz \tbaz \n
        "#,
        );
        check(
            r#"{"items": []}"#,
            "{range .items[*]}{.metadata.name}{end} => \n {range .items[*]}x{range .a[*]}y{end}{end}z => z",
        );
    }

    #[test]
    fn fields_indexes_slices_filters_and_printing() {
        check(
            POD,
            r#"
            {.metadata.name} => web-0
            {.metadata.labels.app\.kubernetes\.io/name} => web
            {.metadata.labels['app.kubernetes.io/name']} =>
            {.spec.replicas} replicas => 3 replicas
            {.spec.nope} =>
            {.metadata.note} => null
            {.spec.ready} {.spec.html} => true <a&b>
            {.spec} => {"containers":[{"name":"c0"},{"name":"c1"},{"name":"c2"},{"name":"c3"}],"empty":[],"html":"\u003ca\u0026b\u003e","ports":[{"name":"http","port":80},{"name":"https","port":443}],"ready":true,"replicas":3}
            {.spec.containers[-1].name} => c3
            {.spec.containers[1:3].name} => c1 c2
            {.spec.containers[:2].name} => c0 c1
            {.spec.containers[-2:].name} => c2 c3
            {.spec.containers[0:-1].name} => c0 c1 c2
            {.spec.containers[::2].name} => c0 c2
            {.spec.containers[1:4:2].name} => c1 c3
            {.spec.containers[0:0].name} =>
            {.spec.containers[5:5].name} =>
            {.spec.empty[*]} =>
            {.spec.containers[*].name}{"\n"} => c0 c1 c2 c3\n
            {.spec.ports[*].port} => 80 443
            {.status.conditions[?(@.type=="Ready")].status} => False
            {.status.conditions[?(@.type!="Ready")].type} => Initialized
            {.spec.ports[?(@.port==80)].name} => http
            {.spec.ports[?(@.port > 100)].name} => https
            {.spec.ports[?(@.port<=80)].name} {.spec.ports[?(@.port>=443)].name} => http https
            {.spec.ports[?(@.port<443)].name} => http
            {.spec.ports[?(@.name=='http')].port} => 80
            {1}{2.5}{true} => 12.5true
        "#,
        );
    }

    #[test]
    fn numbers_print_as_go_does() {
        for (f, v, json) in [
            (0.5, "0.5", "0.5"),
            (3.0, "3", "3"),
            (-2.25, "-2.25", "-2.25"),
            (123456.0, "123456", "123456"),
            (1e6, "1e+06", "1000000"),
            (123456789.0, "1.23456789e+08", "123456789"),
            (0.0001, "0.0001", "0.0001"),
            (0.00001, "1e-05", "0.00001"),
            (1e-7, "1e-07", "1e-7"),
            (1e21, "1e+21", "1e+21"),
            (1.5e300, "1.5e+300", "1.5e+300"),
        ] {
            let mut m = Value::map();
            m.set("a", Value::Float(f));
            assert_eq!(render("{.a}", &m).unwrap(), v);
            assert_eq!(render("{@}", &m).unwrap(), format!(r#"{{"a":{json}}}"#));
        }
    }

    #[test]
    fn errors_read_as_kubectl_prints_them() {
        let pod = value(POD);
        let err = |t: &str| render(t, &pod).unwrap_err();
        assert_eq!(
            err("{.items[}"),
            "error: error parsing jsonpath {.items[}, unterminated array"
        );
        assert_eq!(err(""), "error: template format specified but no template given");
        assert_eq!(
            render_with("{.spec.nope}", &pod, false).unwrap_err(),
            "error: error executing jsonpath \"{.spec.nope}\": Error executing template: nope is not found. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{.spec.nope}\n"
        );
        assert_eq!(render_with("{.spec.replicas}", &pod, false).unwrap(), "3");
        let quoted = err(r#"{.spec.ports[?(@.name=="http")][0]}"#);
        assert!(quoted.starts_with(r#"error: error executing jsonpath "{.spec.ports[?(@.name==\"http\")][0]}": Error executing template: map[string]interface {} is not array or slice. Printing"#));
        assert!(err("{.a\n}").ends_with("unclosed action"));
        assert!(err("{.a\t}").ends_with("unrecognized character in action: U+0009"));
        check(
            POD,
            r#"
            {.kind => !unclosed action
            {.a}{ => !unclosed action
            {.spec.ports[?(@.x} => !unterminated filter
            {.spec.ports[?(@.x)} => !unclosed array expect ]
            {"abc} => !unterminated quoted string
            {"\q"} => !unquote string "\q" error invalid syntax
            {.a[x]} => !invalid array index x
            {.a[1:2:3:4]} => !invalid array index 1:2:3:4
            {.a[-]} => !array index - is not a number
            {.a[99999999999999999999]} => !array index 99999999999999999999 is not a number
            {....a} => !invalid multiple recursive descent
            {+} => !cannot parse number +
            {1.2.3} => !cannot parse number 1.2.3
            {#} => !unrecognized character in action: U+0023 '#'
            {.spec.containers[4]} => !array index out of bounds: index 4, length 4
            {.spec.containers[-5]} => !array index out of bounds: index -1, length 4
            {.spec.containers[1:9]} => !array index out of bounds: index 8, length 4
            {.spec.containers[3:1]} => !starting index 3 is greater than ending index 1
            {.spec.containers[::0]} => !step must be > 0
            {.spec.empty[0]} => !array index out of bounds: index 0, length 0
            {.metadata.name[0]} => !string is not array or slice
            {.spec.replicas[0]} => !int64 is not array or slice
            {.spec.ports[0][0]} => !map[string]interface {} is not array or slice
            {.spec.ports[0][?(@.x)]} => !map[name:http port:80] is not array or slice and cannot be filtered
            {.spec.containers[0:2][*]} => !map[string]interface {} is not array or slice
            {.spec.ports[?(@.port==80.0)]} => !incompatible types for comparison
            {.spec.ports[?(@.port=="80")]} => !incompatible types for comparison
            {.spec.ports[?(@.name<>1)]} => !unrecognized filter operator <>
            {.spec.ports[?(@.port==)]} => !unrecognized character in action: U+003D '='
            {.status.conditions[?(@==1)]} => !invalid type for comparison
            {.spec.ports[?(@.*==80)]} => !can only compare one element at a time
            {.metadata[?(@.x)]} => !map[labels:map[app.kubernetes.io/name:web] name:web-0 note:<nil>] is not array or slice and cannot be filtered
            {end} => !not in range, nothing to end
            {range .spec.ports[*]}{end}{end}{end} => !not in range, nothing to end
            {foo} => !unrecognized identifier foo
        "#,
        );
    }

    #[test]
    fn upstream_quirks_are_kept() {
        check(
            POD,
            r#"
            {.metadata.name.*} => 119 101 98 45 48
            {range .spec.containers[*]}{.name}{end} done => c0c1c2c3 done
            {range .spec.containers[1:3]}{.name} => c1c2
            {range .spec.containers[0]}{.name}{end}{.x}{end} => c0
            {.spec.ports[?(@.name)].port} => 80 443
            {.spec.ports[0].name "?"} => ?
            {['spec'].replicas} => 3
            {.spec.containers[0]['name}x']} => c0
            {.spec.containers[0:2].*} => c0 c1
            {.spec.containers[,0].name} => c0 c0
        "#,
        );
        check(
            r#"{"items": [null, {"a": 1}]}"#,
            r#"{range .items[*]}[{@}]{end} => [<no value>][{"a":1}]"#,
        );
    }

    #[test]
    fn nesting_and_size_are_bounded() {
        let pod = value(POD);
        let deep = "{range .spec.containers[*]}".repeat(40) + &"{end}".repeat(40);
        assert!(render(&deep, &pod)
            .unwrap_err()
            .contains("range blocks nested more than 32 deep"));
        let long = format!("{{{}}}", ".a".repeat(20_000));
        assert_eq!(render(&long, &pod).unwrap(), "");
        let mut deep = Value::Int(1);
        for _ in 0..300 {
            deep = Value::list(vec![deep, Value::Int(1)]);
        }
        assert!(render("{..}", &deep).unwrap().starts_with("[[[[[[[[[["));
        assert!(render("{..[*]..[*]..}", &deep)
            .unwrap_err()
            .contains("jsonpath result too large"));
    }

    #[test]
    fn random_templates_never_panic() {
        let pieces = "{ } [ ] ( ) ? @ $ . .. * , : ' \" \\ = ! < > - + 0 1 9 a items range end true é [?( x";
        let mut pieces: Vec<&str> = pieces.split(' ').collect();
        pieces.extend([" ", "\n", "\t"]);
        let docs = value(DOCS);
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut rand = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..20_000 {
            let template: String = (0..rand(24)).map(|_| pieces[rand(pieces.len())]).collect();
            let _ = render(&template, &docs);
            let _ = render_with(&format!("{{{template}}}"), &docs, false);
        }
    }
}
