//! Go's `text/template`, the part `kubectl get --template` / `-o go-template=` needs
//! (cli-runtime/pkg/printers/template.go: the object as JSON decoded into maps, integral
//! numbers as int64; `missingkey=default`, so a missing key prints `<no value>`; the functions
//! of text/template plus `exists` and `base64decode`).
//!
//! Supported: text, `{{pipeline}}` with `.field.path`, `$var.path`, `$`, strings, numbers,
//! `true`/`false`/`nil`, function calls and `|` chains, `(…)`; `{{if}}`/`{{else if}}`/
//! `{{else}}`, `{{range}}` (with `$i, $v :=` or `$v :=`, over lists and maps in key order,
//! with `{{else}}`), `{{with}}`, `{{$x := …}}`, `{{/* comments */}}`, and `{{-`/`-}}` trimming.
//! Functions: `index`, `len`, `printf` (`%s %d %v %q %%`), `print`, `println`, `eq`, `ne`,
//! `lt`, `le`, `gt`, `ge`, `and`, `or`, `not`, `exists`. Errors are worded as Go words them
//! (`template: output:1: …`, `… executing "output" at <…>: …`).

use crate::value::Value;

/// A parse or execution error, as text/template words it.
pub type Error = String;

#[derive(Debug, Clone, PartialEq)]
enum Arg {
    /// `.a.b` (an empty path is the dot itself).
    Field(Vec<String>),
    /// `$x.a.b` (`$` alone is the root).
    Var(String, Vec<String>),
    Str(String),
    Int(i64),
    Bool(bool),
    Nil,
    Sub(Box<Pipeline>),
    /// A function name (a command's first word).
    Func(String),
}

#[derive(Debug, Clone, PartialEq)]
struct Command(Vec<Arg>);

#[derive(Debug, Clone, PartialEq)]
struct Pipeline {
    /// `$x :=` or `$i, $v :=`.
    decl: Vec<String>,
    commands: Vec<Command>,
    /// The action's text, for error messages (`<index .a "x">`).
    text: String,
    /// Where the action starts: line and column (1-based line, 0-based byte column after `{{`).
    at: (usize, usize),
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Action(Pipeline),
    If(Pipeline, Vec<Node>, Vec<Node>),
    Range(Pipeline, Vec<Node>, Vec<Node>),
    With(Pipeline, Vec<Node>, Vec<Node>),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template(Vec<Node>);

/// One `{{…}}` or text piece of the source.
enum Piece {
    Text(String),
    Action(String, (usize, usize)),
}

fn pieces(src: &str) -> Result<Vec<Piece>, Error> {
    let mut out = Vec::new();
    let mut rest = src;
    let mut consumed = 0usize;
    let line_at = |offset: usize| src[..offset].matches('\n').count() + 1;
    while let Some(open) = rest.find("{{") {
        let mut text = rest[..open].to_string();
        let after = &rest[open + 2..];
        let trim_left = after.starts_with("- ") || after.starts_with("-\t") || after.starts_with("-\n");
        if trim_left {
            text = text.trim_end().to_string();
        }
        out.push(Piece::Text(text));
        let start = consumed + open + 2;
        let Some(close) = after.find("}}") else {
            // The lexer meets a lone `}` before it runs out of text.
            return Err(match after.find('}') {
                Some(_) => format!("template: output:{}: bad character U+007D '}}'", line_at(start)),
                None => format!("template: output:{}: unclosed action", line_at(start)),
            });
        };
        let mut inner = &after[..close];
        let trim_right = inner.ends_with(" -") || inner.ends_with("\t-") || inner.ends_with("\n-");
        if trim_left {
            inner = &inner[1..];
        }
        if trim_right {
            inner = &inner[..inner.len() - 1];
        }
        let line = line_at(start);
        let col = start - src[..start].rfind('\n').map_or(0, |i| i + 1);
        out.push(Piece::Action(inner.trim().to_string(), (line, col)));
        consumed += open + 2 + close + 2;
        rest = &after[close + 2..];
        if trim_right {
            let trimmed = rest.trim_start();
            consumed += rest.len() - trimmed.len();
            rest = trimmed;
        }
    }
    out.push(Piece::Text(rest.to_string()));
    Ok(out)
}

/// Words of an action: strings, parentheses and pipes kept as tokens.
fn words(action: &str, line: usize) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    let mut chars = action.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                chars.next();
            }
            '(' | ')' | '|' | ',' => {
                chars.next();
                out.push(c.to_string());
            }
            '"' => {
                chars.next();
                let mut s = String::from("\"");
                loop {
                    match chars.next() {
                        Some('\\') => {
                            s.push('\\');
                            if let Some(x) = chars.next() {
                                s.push(x);
                            }
                        }
                        Some('"') => {
                            s.push('"');
                            break;
                        }
                        Some(x) => s.push(x),
                        None => return Err(format!("template: output:{line}: unterminated quoted string")),
                    }
                }
                out.push(s);
            }
            '`' => {
                chars.next();
                let mut s = String::from("`");
                loop {
                    match chars.next() {
                        Some('`') => break,
                        Some(x) => s.push(x),
                        None => return Err(format!("template: output:{line}: unterminated raw quoted string")),
                    }
                }
                out.push(s);
            }
            ':' => {
                chars.next();
                if chars.next_if_eq(&'=').is_some() {
                    out.push(":=".into());
                } else {
                    return Err(format!("template: output:{line}: expected :="));
                }
            }
            '=' => {
                chars.next();
                out.push("=".into());
            }
            _ => {
                let mut w = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '(' | ')' | '|' | ',' | '"' | ':' | '=') {
                        break;
                    }
                    w.push(c);
                    chars.next();
                }
                out.push(w);
            }
        }
    }
    Ok(out)
}

const FUNCTIONS: &[&str] = &[
    "index",
    "len",
    "printf",
    "print",
    "println",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "and",
    "or",
    "not",
    "exists",
    "base64decode",
    "html",
    "js",
    "urlquery",
    "slice",
    "call",
];

fn unescape(quoted: &str) -> String {
    let inner = &quoted[1..quoted.len() - 1];
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('"') => out.push('"'),
            Some(x) => {
                out.push('\\');
                out.push(x);
            }
            None => {}
        }
    }
    out
}

fn path(text: &str) -> Vec<String> {
    text.split('.').filter(|s| !s.is_empty()).map(str::to_string).collect()
}

fn parse_pipeline(text: &str, at: (usize, usize)) -> Result<Pipeline, Error> {
    let line = at.0;
    let toks = words(text, line)?;
    let mut i = 0;
    let mut decl = Vec::new();
    // `$x :=` / `$i, $v :=`
    let decl_end = toks.iter().position(|t| t == ":=" || t == "=");
    if let Some(end) = decl_end {
        let names: Vec<&String> = toks[..end].iter().filter(|t| *t != ",").collect();
        if !names.is_empty() && names.iter().all(|n| n.starts_with('$')) {
            decl = names.iter().map(|n| n.to_string()).collect();
            i = end + 1;
        }
    }
    let (pipe, used) = pipeline_tokens(&toks[i..], line)?;
    if used + i < toks.len() {
        return Err(format!(
            "template: output:{line}: unexpected \"{}\" in command",
            toks[used + i]
        ));
    }
    if pipe.is_empty() {
        return Err(format!("template: output:{line}: missing value for command"));
    }
    Ok(Pipeline {
        decl,
        commands: pipe,
        text: text.to_string(),
        at,
    })
}

/// Commands separated by `|`, up to a closing `)` or the end; returns them and tokens used.
fn pipeline_tokens(toks: &[String], line: usize) -> Result<(Vec<Command>, usize), Error> {
    let mut commands = Vec::new();
    let mut args = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        match t.as_str() {
            ")" => break,
            "|" => {
                if args.is_empty() {
                    return Err(format!("template: output:{line}: missing command"));
                }
                commands.push(Command(std::mem::take(&mut args)));
            }
            "(" => {
                let (inner, used) = pipeline_tokens(&toks[i + 1..], line)?;
                if toks.get(i + 1 + used).map(String::as_str) != Some(")") {
                    return Err(format!("template: output:{line}: unclosed left paren"));
                }
                let text = toks[i + 1..i + 1 + used].join(" ");
                args.push(Arg::Sub(Box::new(Pipeline {
                    decl: vec![],
                    commands: inner,
                    text,
                    at: (line, 0),
                })));
                i += used + 1;
            }
            _ => args.push(arg(t, line)?),
        }
        i += 1;
    }
    if !args.is_empty() {
        commands.push(Command(args));
    }
    Ok((commands, i))
}

fn arg(t: &str, line: usize) -> Result<Arg, Error> {
    Ok(if t.starts_with('"') {
        Arg::Str(unescape(t))
    } else if let Some(raw) = t.strip_prefix('`') {
        Arg::Str(raw.to_string())
    } else if t.starts_with('.') {
        Arg::Field(path(t))
    } else if let Some(rest) = t.strip_prefix('$') {
        let (name, fields) = match rest.find('.') {
            Some(i) => (&rest[..i], path(&rest[i..])),
            None => (rest, vec![]),
        };
        Arg::Var(format!("${name}"), fields)
    } else if let Ok(n) = t.parse::<i64>() {
        Arg::Int(n)
    } else if t == "true" || t == "false" {
        Arg::Bool(t == "true")
    } else if t == "nil" {
        Arg::Nil
    } else if FUNCTIONS.contains(&t) {
        Arg::Func(t.to_string())
    } else if t.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return Err(format!("template: output:{line}: function \"{t}\" not defined"));
    } else {
        let bad = t.chars().next().unwrap_or(' ');
        return Err(format!(
            "template: output:{line}: bad character U+{:04X} '{bad}'",
            bad as u32
        ));
    })
}

/// Parse a template (`error parsing template` texts as text/template gives them).
pub fn parse(src: &str) -> Result<Template, Error> {
    let pieces = pieces(src)?;
    let mut at = 0;
    let (nodes, end) = block(&pieces, &mut at)?;
    match end {
        None => Ok(Template(nodes)),
        Some((word, line)) => Err(format!("template: output:{line}: unexpected {{{{{word}}}}}")),
    }
}

/// Nodes up to `{{end}}` or `{{else…}}` (returned as the ending word) or the end.
#[allow(clippy::type_complexity)]
fn block(pieces: &[Piece], at: &mut usize) -> Result<(Vec<Node>, Option<(String, usize)>), Error> {
    let mut nodes = Vec::new();
    while *at < pieces.len() {
        let piece = &pieces[*at];
        *at += 1;
        let (action, pos) = match piece {
            Piece::Text(t) => {
                if !t.is_empty() {
                    nodes.push(Node::Text(t.clone()));
                }
                continue;
            }
            Piece::Action(a, pos) => (a.as_str(), *pos),
        };
        if action.starts_with("/*") {
            continue;
        }
        let (keyword, rest) = action.split_once(char::is_whitespace).unwrap_or((action, ""));
        match keyword {
            "end" => return Ok((nodes, Some(("end".into(), pos.0)))),
            "else" => return Ok((nodes, Some((action.to_string(), pos.0)))),
            "if" | "range" | "with" => {
                let pipe = parse_pipeline(rest, pos)?;
                let (body, end) = block(pieces, at)?;
                let (otherwise, end) = match end {
                    Some((w, line)) if w.starts_with("else") => {
                        let cond = w.trim_start_matches("else").trim();
                        if let Some(inner) = cond.strip_prefix("if ") {
                            // `{{else if X}}`: an if nested in the else branch, sharing one end.
                            let nested_pipe = parse_pipeline(inner, (line, pos.1))?;
                            let (nested_body, nested_end) = block(pieces, at)?;
                            let (nested_else, nested_end) = else_branch(pieces, at, nested_end)?;
                            (vec![Node::If(nested_pipe, nested_body, nested_else)], nested_end)
                        } else {
                            let (b, e) = block(pieces, at)?;
                            (b, e)
                        }
                    }
                    other => (vec![], other),
                };
                if end.as_ref().map(|(w, _)| w.as_str()) != Some("end") {
                    return Err(format!("template: output:{}: unexpected EOF", pos.0));
                }
                nodes.push(match keyword {
                    "if" => Node::If(pipe, body, otherwise),
                    "range" => Node::Range(pipe, body, otherwise),
                    _ => Node::With(pipe, body, otherwise),
                });
            }
            "define" | "template" | "block" | "break" | "continue" => {
                return Err(format!(
                    "template: output:{}: \"{keyword}\" is not available in the playground's templates",
                    pos.0
                ))
            }
            _ => nodes.push(Node::Action(parse_pipeline(action, pos)?)),
        }
    }
    Ok((nodes, None))
}

#[allow(clippy::type_complexity)]
fn else_branch(
    pieces: &[Piece],
    at: &mut usize,
    end: Option<(String, usize)>,
) -> Result<(Vec<Node>, Option<(String, usize)>), Error> {
    match end {
        Some((w, line)) if w.starts_with("else") => {
            let cond = w.trim_start_matches("else").trim();
            if let Some(inner) = cond.strip_prefix("if ") {
                let pipe = parse_pipeline(inner, (line, 0))?;
                let (body, e) = block(pieces, at)?;
                let (otherwise, e) = else_branch(pieces, at, e)?;
                Ok((vec![Node::If(pipe, body, otherwise)], e))
            } else {
                block(pieces, at)
            }
        }
        other => Ok((vec![], other)),
    }
}

/// A value during execution: a JSON value, or "no value" (a missing map key).
#[derive(Debug, Clone, PartialEq)]
enum V {
    Val(Value),
    Missing,
}

struct Exec<'a> {
    vars: Vec<(String, V)>,
    root: &'a Value,
    out: String,
    steps: u32,
}

fn truthy(v: &V) -> bool {
    match v {
        V::Missing => false,
        V::Val(Value::Null) => false,
        V::Val(Value::Bool(b)) => *b,
        V::Val(Value::Int(i)) => *i != 0,
        V::Val(Value::Float(f)) => *f != 0.0,
        V::Val(Value::Str(s)) => !s.is_empty(),
        V::Val(Value::List(l)) => !l.is_empty(),
        V::Val(Value::Map(m)) => !m.is_empty(),
    }
}

/// How `fmt.Sprint` prints a decoded JSON value: maps as `map[k:v]` in key order, lists as
/// `[a b]`, nil as `<nil>`.
pub fn go_print(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        // `%v` of a float64 is `%g`; integral numbers were decoded as int64 already.
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Value::Float(f) => f.to_string(),
        Value::Str(s) => s.to_string(),
        Value::List(l) => format!("[{}]", l.iter().map(go_print).collect::<Vec<_>>().join(" ")),
        Value::Map(m) => format!(
            "map[{}]",
            m.iter()
                .map(|(k, v)| format!("{k}:{}", go_print(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

fn print_v(v: &V) -> String {
    match v {
        V::Missing => "<no value>".into(),
        V::Val(v) => go_print(v),
    }
}

impl Exec<'_> {
    fn err(&self, p: &Pipeline, msg: &str) -> Error {
        format!(
            "template: output:{}:{}: executing \"output\" at <{}>: {msg}",
            p.at.0,
            p.at.1,
            p.text.trim()
        )
    }

    fn field(&self, p: &Pipeline, mut v: V, fields: &[String]) -> Result<V, Error> {
        for f in fields {
            v = match v {
                V::Val(Value::Map(m)) => m.get(f.as_str()).cloned().map_or(V::Missing, V::Val),
                V::Missing | V::Val(Value::Null) => V::Missing,
                V::Val(_) => return Err(self.err(p, &format!("can't evaluate field {f} in type interface {{}}"))),
            };
        }
        Ok(v)
    }

    fn var(&self, p: &Pipeline, name: &str) -> Result<V, Error> {
        if name == "$" {
            return Ok(V::Val(self.root.clone()));
        }
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| format!("template: output:{}: undefined variable \"{name}\"", p.at.0))
    }

    fn arg(&mut self, p: &Pipeline, a: &Arg, dot: &V) -> Result<V, Error> {
        Ok(match a {
            Arg::Field(fields) => self.field(p, dot.clone(), fields)?,
            Arg::Var(name, fields) => {
                let v = self.var(p, name)?;
                self.field(p, v, fields)?
            }
            Arg::Str(s) => V::Val(Value::Str(s.as_str().into())),
            Arg::Int(i) => V::Val(Value::Int(*i)),
            Arg::Bool(b) => V::Val(Value::Bool(*b)),
            Arg::Nil => V::Val(Value::Null),
            Arg::Sub(inner) => self.pipeline(inner, dot)?,
            Arg::Func(name) => self.call(p, name, &[], dot)?,
        })
    }

    fn command(&mut self, p: &Pipeline, c: &Command, dot: &V, piped: Option<V>) -> Result<V, Error> {
        let Some(first) = c.0.first() else {
            return Err(format!("template: output:{}: missing command", p.at.0));
        };
        match first {
            Arg::Func(name) => {
                let mut args = Vec::new();
                for a in &c.0[1..] {
                    args.push(self.arg(p, a, dot)?);
                }
                if let Some(v) = piped {
                    args.push(v);
                }
                self.call(p, name, &args, dot)
            }
            _ if c.0.len() > 1 || piped.is_some() => Err(self.err(p, "can't give argument to non-function")),
            a => self.arg(p, a, dot),
        }
    }

    fn pipeline(&mut self, p: &Pipeline, dot: &V) -> Result<V, Error> {
        let mut value = None;
        for c in &p.commands {
            value = Some(self.command(p, c, dot, value)?);
        }
        Ok(value.unwrap_or(V::Missing))
    }

    fn call(&mut self, p: &Pipeline, name: &str, args: &[V], _dot: &V) -> Result<V, Error> {
        let want = |n: usize| {
            if args.len() == n {
                Ok(())
            } else {
                Err(self.err(
                    p,
                    &format!("wrong number of args for {name}: want {n} got {}", args.len()),
                ))
            }
        };
        let str_v = |s: String| V::Val(Value::Str(s.into()));
        Ok(match name {
            "len" => {
                want(1)?;
                match &args[0] {
                    V::Val(Value::List(l)) => V::Val(Value::Int(l.len() as i64)),
                    V::Val(Value::Map(m)) => V::Val(Value::Int(m.len() as i64)),
                    V::Val(Value::Str(s)) => V::Val(Value::Int(s.len() as i64)),
                    V::Missing | V::Val(Value::Null) => {
                        return Err(self.err(p, "error calling len: len of nil pointer"))
                    }
                    V::Val(v) => return Err(self.err(p, &format!("error calling len: len of type {}", go_type(v)))),
                }
            }
            "index" => {
                let Some((first, keys)) = args.split_first() else {
                    return Err(self.err(p, "wrong number of args for index: want at least 1 got 0"));
                };
                let mut v = first.clone();
                for k in keys {
                    v = match (&v, k) {
                        (V::Val(Value::Map(m)), V::Val(Value::Str(key))) => {
                            m.get(&**key).cloned().map_or(V::Missing, V::Val)
                        }
                        (V::Val(Value::List(l)), V::Val(Value::Int(i))) => match usize::try_from(*i)
                            .ok()
                            .and_then(|i| l.get(i))
                        {
                            Some(x) => V::Val(x.clone()),
                            None => return Err(self.err(p, &format!("error calling index: index out of range: {i}"))),
                        },
                        (V::Missing | V::Val(Value::Null), _) => {
                            return Err(self.err(p, "error calling index: index of untyped nil"))
                        }
                        (V::Val(other), _) => {
                            return Err(self.err(
                                p,
                                &format!("error calling index: can't index item of type {}", go_type(other)),
                            ))
                        }
                    };
                }
                v
            }
            "exists" => {
                let Some((first, keys)) = args.split_first() else {
                    return Ok(V::Val(Value::Bool(false)));
                };
                let mut v = first.clone();
                for k in keys {
                    v = match (&v, k) {
                        (V::Val(Value::Map(m)), V::Val(Value::Str(key))) => {
                            m.get(&**key).cloned().map_or(V::Missing, V::Val)
                        }
                        (V::Val(Value::List(l)), V::Val(Value::Int(i))) => usize::try_from(*i)
                            .ok()
                            .and_then(|i| l.get(i))
                            .cloned()
                            .map_or(V::Missing, V::Val),
                        _ => V::Missing,
                    };
                }
                V::Val(Value::Bool(v != V::Missing))
            }
            "print" => str_v(sprint(args)),
            "println" => str_v(format!("{}\n", args.iter().map(print_v).collect::<Vec<_>>().join(" "))),
            "printf" => {
                let Some((V::Val(Value::Str(f)), rest)) = args.split_first() else {
                    return Err(self.err(p, "wrong type for value; expected string"));
                };
                str_v(sprintf(f, rest))
            }
            "not" => {
                want(1)?;
                V::Val(Value::Bool(!truthy(&args[0])))
            }
            "and" => args
                .iter()
                .find(|a| !truthy(a))
                .or(args.last())
                .cloned()
                .unwrap_or(V::Missing),
            "or" => args
                .iter()
                .find(|a| truthy(a))
                .or(args.last())
                .cloned()
                .unwrap_or(V::Missing),
            "eq" | "ne" | "lt" | "le" | "gt" | "ge" => {
                if args.len() < 2 {
                    return Err(self.err(
                        p,
                        &format!("wrong number of args for {name}: want 2 got {}", args.len()),
                    ));
                }
                let cmp = |a: &V, b: &V| -> Result<std::cmp::Ordering, Error> {
                    match (a, b) {
                        (V::Val(Value::Int(x)), V::Val(Value::Int(y))) => Ok(x.cmp(y)),
                        (V::Val(Value::Str(x)), V::Val(Value::Str(y))) => Ok(x.cmp(y)),
                        (V::Val(Value::Bool(x)), V::Val(Value::Bool(y))) if name == "eq" || name == "ne" => {
                            Ok(x.cmp(y))
                        }
                        _ => Err(self.err(p, &format!("error calling {name}: incompatible types for comparison"))),
                    }
                };
                let result = if name == "eq" {
                    let mut any = false;
                    for b in &args[1..] {
                        any |= cmp(&args[0], b)?.is_eq();
                    }
                    any
                } else {
                    let o = cmp(&args[0], &args[1])?;
                    match name {
                        "ne" => o.is_ne(),
                        "lt" => o.is_lt(),
                        "le" => o.is_le(),
                        "gt" => o.is_gt(),
                        _ => o.is_ge(),
                    }
                };
                V::Val(Value::Bool(result))
            }
            other => {
                return Err(self.err(p, &format!("the playground's templates do not run \"{other}\"")));
            }
        })
    }

    fn nodes(&mut self, nodes: &[Node], dot: &V) -> Result<(), Error> {
        for n in nodes {
            self.steps += 1;
            if self.steps > 100_000 {
                return Err(
                    "template: output: stopped after 100000 steps (the playground bounds every template)".into(),
                );
            }
            match n {
                Node::Text(t) => self.out.push_str(t),
                Node::Action(p) => {
                    let v = self.pipeline(p, dot)?;
                    if p.decl.is_empty() {
                        self.out.push_str(&print_v(&v));
                    } else {
                        for name in &p.decl {
                            self.vars.push((name.clone(), v.clone()));
                        }
                    }
                }
                Node::If(p, then, otherwise) => {
                    let v = self.pipeline(p, dot)?;
                    let mark = self.vars.len();
                    if truthy(&v) {
                        self.nodes(then, dot)?;
                    } else {
                        self.nodes(otherwise, dot)?;
                    }
                    self.vars.truncate(mark);
                }
                Node::With(p, then, otherwise) => {
                    let v = self.pipeline(p, dot)?;
                    let mark = self.vars.len();
                    if truthy(&v) {
                        self.nodes(then, &v)?;
                    } else {
                        self.nodes(otherwise, dot)?;
                    }
                    self.vars.truncate(mark);
                }
                Node::Range(p, body, otherwise) => {
                    let v = self.pipeline(p, dot)?;
                    let items: Vec<(Value, Value)> = match &v {
                        V::Val(Value::List(l)) => l
                            .iter()
                            .enumerate()
                            .map(|(i, x)| (Value::Int(i as i64), x.clone()))
                            .collect(),
                        V::Val(Value::Map(m)) => m.iter().map(|(k, x)| (Value::Str(k.into()), x.clone())).collect(),
                        V::Missing | V::Val(Value::Null) => vec![],
                        V::Val(Value::Int(n)) => (0..*n).map(|i| (Value::Int(i), Value::Int(i))).collect(),
                        V::Val(other) => {
                            return Err(self.err(p, &format!("range can't iterate over {}", go_print(other))));
                        }
                    };
                    if items.is_empty() {
                        self.nodes(otherwise, dot)?;
                        continue;
                    }
                    for (key, item) in items {
                        let mark = self.vars.len();
                        match p.decl.as_slice() {
                            [k, val] => {
                                self.vars.push((k.clone(), V::Val(key)));
                                self.vars.push((val.clone(), V::Val(item.clone())));
                            }
                            [val] => self.vars.push((val.clone(), V::Val(item.clone()))),
                            _ => {}
                        }
                        self.nodes(body, &V::Val(item))?;
                        self.vars.truncate(mark);
                    }
                }
            }
        }
        Ok(())
    }
}

fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Str(_) => "string",
        Value::Int(_) => "int64",
        Value::Float(_) => "float64",
        Value::Bool(_) => "bool",
        Value::List(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
        Value::Null => "<nil>",
    }
}

/// `fmt.Sprint`: spaces between operands when neither is a string.
fn sprint(args: &[V]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        let is_str = matches!(a, V::Val(Value::Str(_)));
        let prev_str = i > 0 && matches!(args[i - 1], V::Val(Value::Str(_)));
        if i > 0 && !is_str && !prev_str {
            out.push(' ');
        }
        out.push_str(&print_v(a));
    }
    out
}

/// `fmt.Sprintf` with the verbs templates use.
fn sprintf(format: &str, args: &[V]) -> String {
    let mut out = String::new();
    let mut next = args.iter();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(a) = next.next() else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        let nil = matches!(a, V::Missing | V::Val(Value::Null));
        match verb {
            's' | 'v' if !nil => out.push_str(&print_v(a)),
            'v' => out.push_str("<nil>"),
            'd' => match a {
                V::Val(Value::Int(i)) => out.push_str(&i.to_string()),
                _ => out.push_str(&format!("%!d({})", type_and_value(a))),
            },
            'q' => match a {
                V::Val(Value::Str(s)) => out.push_str(&crate::names::go_quote(s)),
                _ => out.push_str(&format!("%!q({})", type_and_value(a))),
            },
            other => out.push_str(&format!("%!{other}({})", type_and_value(a))),
        }
    }
    for extra in next {
        out.push_str(&format!("%!(EXTRA {})", type_and_value(extra)));
    }
    out
}

fn type_and_value(v: &V) -> String {
    match v {
        V::Missing | V::Val(Value::Null) => "<nil>".into(),
        V::Val(x) => format!("{}={}", go_type(x), go_print(x)),
    }
}

/// Run a template on a value.
pub fn execute(t: &Template, data: &Value) -> Result<String, (String, Error)> {
    let mut e = Exec {
        vars: vec![],
        root: data,
        out: String::new(),
        steps: 0,
    };
    match e.nodes(&t.0, &V::Val(data.clone())) {
        Ok(()) => Ok(e.out),
        Err(err) => Err((e.out, err)),
    }
}

/// What `kubectl get -o go-template=TEMPLATE` prints for `data` (template.go `PrintObj`): the
/// output, nothing added; on an execution error the partial output, kubectl's debugging text
/// and its error line.
pub fn render(template: &str, data: &Value) -> String {
    let t = match parse(template) {
        Ok(t) => t,
        Err(e) => return format!("error: error parsing template {template}, {e}\n"),
    };
    match execute(&t, data) {
        Ok(out) => out,
        Err((partial, err)) => format!(
            "{partial}Error executing template: {err}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{template}\n\traw data was:\n\t\t{}\n\tobject given to template engine was:\n\t\t{}\n\nerror: error executing template {}: {err}\n",
            data.to_json(),
            go_print(data),
            crate::names::go_quote(template)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod() -> Value {
        crate::yaml::value_of(
            "metadata:\n  name: web-0\n  labels:\n    app: nginx\n    tier: db\nspec:\n  replicas: 2\n  containers:\n  - name: nginx\n    image: registry.k8s.io/nginx-slim:0.21\n  - name: side\n    image: busybox:1.28\nstatus:\n  podIP: 10.244.1.2\n",
        )
    }

    #[test]
    fn the_tutorials_template_and_common_forms() {
        let p = pod();
        assert_eq!(
            render("{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}", &p),
            "registry.k8s.io/nginx-slim:0.21busybox:1.28"
        );
        assert_eq!(render("{{.metadata.name}}{{\"\\n\"}}", &p), "web-0\n");
        assert_eq!(render("{{index .metadata.labels \"app\"}}", &p), "nginx");
        assert_eq!(render("{{len .spec.containers}} {{.spec.replicas}}", &p), "2 2");
        assert_eq!(render("{{printf \"%s-%d\" .metadata.name 7}}", &p), "web-0-7");
        assert_eq!(
            render("{{if .status.podIP}}ip={{.status.podIP}}{{else}}noip{{end}}", &p),
            "ip=10.244.1.2"
        );
        assert_eq!(
            render("{{if .status.nope}}a{{else if .spec}}b{{else}}c{{end}}", &p),
            "b"
        );
        assert_eq!(
            render("{{range $k, $v := .metadata.labels}}{{$k}}={{$v}} {{end}}", &p),
            "app=nginx tier=db "
        );
        assert_eq!(
            render("{{.metadata.nosuch}}|{{index .metadata.labels \"x\"}}", &p),
            "<no value>|<no value>"
        );
        assert_eq!(render("{{range .spec.nosuch}}x{{else}}none{{end}}", &p), "none");
        assert_eq!(render("{{with .metadata}}{{.name}}{{end}}", &p), "web-0");
        assert_eq!(render("{{- \" a \" -}}  b", &p), " a b");
        assert_eq!(render("{{.metadata.labels}}", &p), "map[app:nginx tier:db]");
        assert_eq!(render("{{.metadata.name | printf \"%q\"}}", &p), "\"web-0\"");
        assert_eq!(render("{{if eq .metadata.name \"web-0\" \"web-1\"}}y{{end}}", &p), "y");
    }

    #[test]
    fn errors_read_as_kubectl_prints_them() {
        let p = pod();
        assert_eq!(
            render("{{.metadata.name}", &p),
            "error: error parsing template {{.metadata.name}, template: output:1: bad character U+007D '}'\n"
        );
        assert_eq!(
            render("{{foo .metadata.name}}", &p),
            "error: error parsing template {{foo .metadata.name}}, template: output:1: function \"foo\" not defined\n"
        );
        assert!(render("{{range .spec.containers}}", &p).contains("unexpected EOF"));
        let out = render("{{index .metadata.annotations \"x\"}}", &p);
        assert!(out.ends_with("error: error executing template \"{{index .metadata.annotations \\\"x\\\"}}\": template: output:1:2: executing \"output\" at <index .metadata.annotations \"x\">: error calling index: index of untyped nil\n"), "{out}");
        assert!(render("{{.metadata.name.foo}}", &p).contains("can't evaluate field foo in type interface {}"));
    }
}
