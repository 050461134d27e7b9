//! A small subset of the POSIX shell, enough for the command lines of the kubernetes.io
//! StatefulSet pages: the console reads its lines with it, and so do the shells inside pods
//! (`kubectl exec -it POD -- sh`, `sh -c '…'`).
//!
//! Grammar, as `sh` reads it (POSIX "Shell Command Language", 2.3–2.9):
//! - a line is a list of commands separated by `;` or newlines, or joined by `&&` / `||`;
//! - `for NAME in WORD…; do LIST; done`;
//! - a simple command is words, with `> FILE` or `>> FILE` redirections; a command of only
//!   `NAME=VALUE` words sets shell variables (2.9.1), which later lines see;
//! - words keep quoted text whole: `'…'` literally, `"…"` with `$` expansions and `\` escapes;
//! - expansions: `$NAME`, `${NAME}` and `$(COMMAND)` (its output, trailing newlines removed),
//!   outside single quotes; an unset variable is empty; `$?` is the last exit status.
//!
//! Anything else (pipes, `&`, `<`, `if`, `while`, functions) is refused with a message that
//! names it. Every loop is bounded ([`MAX_STEPS`]).

use std::collections::BTreeMap;

/// The most simple commands one line may run (loops included).
pub const MAX_STEPS: u32 = 1000;

/// One piece of a word.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    /// Text as it stands (quoted or not).
    Text(String),
    /// `$NAME` / `${NAME}`.
    Var(String),
    /// `$(…)`: a command line whose output is substituted.
    Command(String),
}

/// A word: parts joined without spaces. Expansions never split words here (unlike sh outside
/// double quotes); the lines the playground reads quote them or need no splitting.
#[derive(Debug, Clone, PartialEq)]
struct Word(Vec<Part>);

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(Word),
    /// `;` or a newline.
    Sep,
    And,
    Or,
    /// `>` (false) or `>>` (true).
    Redirect(bool),
}

/// A parsed list: commands and how each joins the previous one.
#[derive(Debug, Clone, PartialEq)]
pub struct List(Vec<(Join, Node)>);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Join {
    Always,
    IfOk,
    IfFailed,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Simple {
        words: Vec<Word>,
        redirect: Option<(Word, bool)>,
    },
    For {
        name: String,
        items: Vec<Word>,
        body: List,
    },
}

/// What runs the simple commands of a list: the console (kubectl, sim) or a container.
pub trait Runner {
    /// Run one command; returns what it printed and its exit status.
    fn run(&mut self, argv: &[String]) -> (String, i32);
    /// Write `text` to `file` (`>`, or `>>` when `append`); an error message when it cannot.
    fn redirect(&mut self, file: &str, text: &str, append: bool) -> Result<(), String>;
    /// Whether the shell has exited (`exit`): nothing more of the line runs.
    fn stopped(&self) -> bool {
        false
    }
}

fn tokenize(line: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = line.chars().peekable();
    let mut parts: Vec<Part> = Vec::new();
    let mut text = String::new();
    let mut in_word = false;
    fn flush_text(parts: &mut Vec<Part>, text: &mut String) {
        if !text.is_empty() {
            parts.push(Part::Text(std::mem::take(text)));
        }
    }
    let end_word = |tokens: &mut Vec<Token>, parts: &mut Vec<Part>, text: &mut String, in_word: &mut bool| {
        if *in_word {
            flush_text(parts, text);
            tokens.push(Token::Word(Word(std::mem::take(parts))));
            *in_word = false;
        }
    };
    // `$…` after the `$`: a variable or a command substitution.
    fn dollar(
        chars: &mut std::iter::Peekable<std::str::Chars>,
        parts: &mut Vec<Part>,
        text: &mut String,
    ) -> Result<(), String> {
        match chars.peek().copied() {
            Some('(') => {
                chars.next();
                let mut depth = 1;
                let mut inner = String::new();
                let mut quote: Option<char> = None;
                loop {
                    let Some(c) = chars.next() else {
                        return Err("syntax error: unterminated $(".into());
                    };
                    match (quote, c) {
                        (Some(q), c) if c == q => quote = None,
                        (Some(_), _) => {}
                        (None, '\'' | '"') => quote = Some(c),
                        (None, '(') => depth += 1,
                        (None, ')') => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    inner.push(c);
                }
                flush_text(parts, text);
                parts.push(Part::Command(inner));
            }
            Some('{') => {
                chars.next();
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => name.push(c),
                        None => return Err("syntax error: bad substitution".into()),
                    }
                }
                flush_text(parts, text);
                parts.push(Part::Var(name));
            }
            Some('?') => {
                chars.next();
                flush_text(parts, text);
                parts.push(Part::Var("?".into()));
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let mut name = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        name.push(c);
                        chars.next();
                    } else {
                        break;
                    }
                }
                flush_text(parts, text);
                parts.push(Part::Var(name));
            }
            _ => text.push('$'),
        }
        Ok(())
    }
    while let Some(ch) = chars.next() {
        match ch {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => text.push(x),
                        None => return Err("syntax error: unterminated quoted string".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(x @ ('"' | '\\' | '$' | '`')) => text.push(x),
                            Some(x) => {
                                text.push('\\');
                                text.push(x);
                            }
                            None => return Err("syntax error: unterminated quoted string".into()),
                        },
                        Some('$') => dollar(&mut chars, &mut parts, &mut text)?,
                        Some(x) => text.push(x),
                        None => return Err("syntax error: unterminated quoted string".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') | None => {}
                    Some(x) => text.push(x),
                }
            }
            '$' => {
                in_word = true;
                dollar(&mut chars, &mut parts, &mut text)?;
            }
            '#' if !in_word => break,
            ';' | '\n' => {
                end_word(&mut tokens, &mut parts, &mut text, &mut in_word);
                if chars.peek() == Some(&';') {
                    return Err("syntax error: \";;\" unexpected".into());
                }
                tokens.push(Token::Sep);
            }
            '&' => {
                end_word(&mut tokens, &mut parts, &mut text, &mut in_word);
                if chars.next_if_eq(&'&').is_some() {
                    tokens.push(Token::And);
                } else {
                    return Err("the console does not run commands in the background (\"&\")".into());
                }
            }
            '|' => {
                end_word(&mut tokens, &mut parts, &mut text, &mut in_word);
                if chars.next_if_eq(&'|').is_some() {
                    tokens.push(Token::Or);
                } else {
                    return Err(UNSUPPORTED_PIPE.into());
                }
            }
            '>' => {
                end_word(&mut tokens, &mut parts, &mut text, &mut in_word);
                let append = chars.next_if_eq(&'>').is_some();
                tokens.push(Token::Redirect(append));
            }
            '<' => {
                end_word(&mut tokens, &mut parts, &mut text, &mut in_word);
                return Err(
                    "input redirection (\"<\") is not available: use kubectl apply -f - <<EOF … EOF, or the editor"
                        .into(),
                );
            }
            '`' => return Err("backquotes are not available: use $(…)".into()),
            c if c.is_whitespace() => end_word(&mut tokens, &mut parts, &mut text, &mut in_word),
            c => {
                in_word = true;
                text.push(c);
            }
        }
    }
    end_word(&mut tokens, &mut parts, &mut text, &mut in_word);
    Ok(tokens)
}

/// What a pipe gets: the reason and what to use instead.
pub const UNSUPPORTED_PIPE: &str = "pipes (\"|\") are not available in the playground: use kubectl's own filters instead (-l app=nginx, --field-selector, -o jsonpath='{...}', kubectl events --for pod/NAME)";

/// The literal text of a word, when it has no expansion (keywords, loop names).
fn literal(w: &Word) -> Option<String> {
    match w.0.as_slice() {
        [] => Some(String::new()),
        [Part::Text(t)] => Some(t.clone()),
        _ => None,
    }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek_word(&self) -> Option<String> {
        match self.tokens.get(self.at) {
            Some(Token::Word(w)) => literal(w),
            _ => None,
        }
    }

    fn skip_seps(&mut self) {
        while matches!(self.tokens.get(self.at), Some(Token::Sep)) {
            self.at += 1;
        }
    }

    /// A list up to the end, or up to one of `stop` (a keyword in command position).
    fn list(&mut self, stop: &[&str]) -> Result<List, String> {
        let mut items = Vec::new();
        let mut join = Join::Always;
        loop {
            self.skip_seps();
            if self.at >= self.tokens.len() {
                break;
            }
            if let Some(w) = self.peek_word() {
                if stop.contains(&w.as_str()) {
                    break;
                }
            }
            let node = self.command()?;
            items.push((join, node));
            match self.tokens.get(self.at) {
                None => break,
                Some(Token::Sep) => join = Join::Always,
                Some(Token::And) => join = Join::IfOk,
                Some(Token::Or) => join = Join::IfFailed,
                Some(other) => return Err(format!("syntax error near {other:?}")),
            }
            self.at += 1;
            if join != Join::Always {
                self.skip_seps();
                if self.at >= self.tokens.len() {
                    return Err("syntax error: unexpected end of line".into());
                }
            }
        }
        Ok(List(items))
    }

    fn command(&mut self) -> Result<Node, String> {
        match self.peek_word().as_deref() {
            Some("for") => return self.for_loop(),
            Some(kw @ ("if" | "while" | "until" | "case" | "function" | "select")) => {
                return Err(format!("\"{kw}\" is not available in the playground's shell: it runs commands, `;`, `&&`, `||`, and for loops"));
            }
            Some(kw @ ("do" | "done" | "then" | "fi" | "esac" | "in")) => {
                return Err(format!("syntax error: unexpected \"{kw}\""));
            }
            _ => {}
        }
        let mut words = Vec::new();
        let mut redirect = None;
        while let Some(t) = self.tokens.get(self.at) {
            match t {
                Token::Word(w) => words.push(w.clone()),
                Token::Redirect(append) => {
                    let append = *append;
                    self.at += 1;
                    match self.tokens.get(self.at) {
                        Some(Token::Word(w)) => redirect = Some((w.clone(), append)),
                        _ => return Err("syntax error: a redirection needs a file name".into()),
                    }
                }
                _ => break,
            }
            self.at += 1;
        }
        if words.is_empty() {
            return Err("syntax error: a command is missing".into());
        }
        Ok(Node::Simple { words, redirect })
    }

    fn for_loop(&mut self) -> Result<Node, String> {
        self.at += 1; // for
        let name = self.peek_word().filter(|n| {
            n.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        let Some(name) = name else {
            return Err("syntax error: a for loop needs a variable name: for i in 0 1; do …; done".into());
        };
        self.at += 1;
        if self.peek_word().as_deref() != Some("in") {
            return Err("syntax error: expected \"in\": for i in 0 1; do …; done".into());
        }
        self.at += 1;
        let mut items = Vec::new();
        while let Some(Token::Word(w)) = self.tokens.get(self.at) {
            items.push(w.clone());
            self.at += 1;
        }
        self.skip_seps();
        if self.peek_word().as_deref() != Some("do") {
            return Err("syntax error: expected \"do\": for i in 0 1; do …; done".into());
        }
        self.at += 1;
        let body = self.list(&["done"])?;
        if self.peek_word().as_deref() != Some("done") {
            return Err("syntax error: expected \"done\": for i in 0 1; do …; done".into());
        }
        self.at += 1;
        Ok(Node::For { name, items, body })
    }
}

/// Parse a command line.
pub fn parse(line: &str) -> Result<List, String> {
    let tokens = tokenize(line)?;
    let mut p = Parser { tokens, at: 0 };
    let list = p.list(&[])?;
    if p.at < p.tokens.len() {
        return Err(match p.peek_word() {
            Some(w) => format!("syntax error: unexpected \"{w}\""),
            None => "syntax error".into(),
        });
    }
    Ok(list)
}

/// A `NAME=VALUE` word (POSIX 2.9.1 "Variable Assignments"): the name and the value's word.
fn assignment(w: &Word) -> Option<(String, Word)> {
    let Some(Part::Text(first)) = w.0.first() else {
        return None;
    };
    let (name, value) = first.split_once('=')?;
    let mut chars = name.chars();
    let starts = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !starts || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let mut parts = vec![Part::Text(value.to_string())];
    parts.extend(w.0[1..].iter().cloned());
    Some((name.to_string(), Word(parts)))
}

/// Whether a line is one plain command (no operator, loop or expansion): the console then
/// passes it on as before, with a here-document's text.
pub fn is_simple(list: &List) -> bool {
    simple_words(list).is_some()
}

/// The words of a simple list (see [`is_simple`]).
pub fn simple_words(list: &List) -> Option<Vec<String>> {
    match list.0.as_slice() {
        [(_, Node::Simple { words, redirect: None })] if words.first().and_then(assignment).is_none() => {
            words.iter().map(literal).collect()
        }
        _ => None,
    }
}

/// Variables and the step budget of one run.
pub struct Env {
    pub vars: BTreeMap<String, String>,
    steps: u32,
    status: i32,
    /// The step budget ran out: nothing more runs.
    exhausted: bool,
}

impl Env {
    pub fn new(vars: BTreeMap<String, String>) -> Env {
        Env {
            vars,
            steps: 0,
            status: 0,
            exhausted: false,
        }
    }
}

fn expand(w: &Word, env: &mut Env, runner: &mut dyn Runner) -> String {
    let mut out = String::new();
    for part in &w.0 {
        match part {
            Part::Text(t) => out.push_str(t),
            Part::Var(name) if name == "?" => out.push_str(&env.status.to_string()),
            Part::Var(name) => out.push_str(env.vars.get(name).map_or("", String::as_str)),
            Part::Command(line) => {
                let (text, _) = match parse(line) {
                    Ok(list) => execute(&list, env, runner),
                    Err(e) => (format!("sh: {e}\n"), 2),
                };
                out.push_str(text.trim_end_matches('\n'));
            }
        }
    }
    out
}

/// Run a parsed list; returns what it printed and the last exit status.
pub fn execute(list: &List, env: &mut Env, runner: &mut dyn Runner) -> (String, i32) {
    let mut out = String::new();
    let mut status = env.status;
    for (join, node) in &list.0 {
        let run = match join {
            Join::Always => true,
            Join::IfOk => status == 0,
            Join::IfFailed => status != 0,
        };
        if !run {
            continue;
        }
        if env.exhausted || runner.stopped() {
            return (out, status);
        }
        if env.steps >= MAX_STEPS {
            out.push_str(&format!(
                "sh: stopped after {MAX_STEPS} commands (the playground bounds every loop)\n"
            ));
            env.exhausted = true;
            return (out, 1);
        }
        match node {
            Node::Simple { words, redirect } => {
                env.steps += 1;
                let assigns: Vec<(String, Word)> = words.iter().map_while(assignment).collect();
                if !assigns.is_empty() {
                    if assigns.len() < words.len() || redirect.is_some() {
                        out.push_str("sh: NAME=VALUE before a command is not supported in the playground: set the variable on its own (NAME=VALUE; command)\n");
                        status = 2;
                        env.status = status;
                        continue;
                    }
                    // 2.9.1: the status is that of the last command substitution, else 0.
                    let substitutes = assigns
                        .iter()
                        .any(|(_, w)| w.0.iter().any(|p| matches!(p, Part::Command(_))));
                    env.status = 0;
                    for (name, value) in assigns {
                        let v = expand(&value, env, runner);
                        env.vars.insert(name, v);
                    }
                    status = if substitutes { env.status } else { 0 };
                    env.status = status;
                    continue;
                }
                let argv: Vec<String> = words.iter().map(|w| expand(w, env, runner)).collect();
                let (text, code) = runner.run(&argv);
                status = code;
                match redirect {
                    Some((file, append)) => {
                        let file = expand(file, env, runner);
                        if let Err(e) = runner.redirect(&file, &text, *append) {
                            out.push_str(&e);
                            status = 1;
                        }
                    }
                    None => out.push_str(&text),
                }
            }
            Node::For { name, items, body } => {
                let values: Vec<String> = items.iter().map(|w| expand(w, env, runner)).collect();
                for v in values {
                    env.vars.insert(name.clone(), v);
                    let (text, code) = execute(body, env, runner);
                    out.push_str(&text);
                    status = code;
                    env.status = status;
                    if env.exhausted || runner.stopped() {
                        return (out, status);
                    }
                }
            }
        }
        env.status = status;
    }
    (out, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Echoes its argv, and records redirections.
    #[derive(Default)]
    struct Echo {
        files: BTreeMap<String, String>,
    }

    impl Runner for Echo {
        fn run(&mut self, argv: &[String]) -> (String, i32) {
            match argv.first().map(String::as_str) {
                Some("false") => (String::new(), 1),
                Some("hostname") => ("web-0\n".into(), 0),
                _ => (format!("{}\n", argv.join("|")), 0),
            }
        }
        fn redirect(&mut self, file: &str, text: &str, append: bool) -> Result<(), String> {
            let slot = self.files.entry(file.to_string()).or_default();
            if !append {
                slot.clear();
            }
            slot.push_str(text);
            Ok(())
        }
    }

    fn run(line: &str) -> (String, Echo) {
        let mut echo = Echo::default();
        let list = parse(line).expect("parses");
        let (out, _) = execute(&list, &mut Env::new(BTreeMap::new()), &mut echo);
        (out, echo)
    }

    #[test]
    fn the_tutorials_loops() {
        let (out, _) = run(r#"for i in 0 1; do kubectl exec "web-$i" -- sh -c 'hostname'; done"#);
        assert_eq!(
            out,
            "kubectl|exec|web-0|--|sh|-c|hostname\nkubectl|exec|web-1|--|sh|-c|hostname\n"
        );
        let (out, _) = run(
            r#"for p in 0 1 2; do kubectl get pod "web-$p" --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'; echo; done"#,
        );
        assert!(out.starts_with(
            "kubectl|get|pod|web-0|--template|{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}\necho\n"
        ));
    }

    #[test]
    fn substitution_redirection_and_joins() {
        let (_, echo) = run(r#"echo "$(hostname)" > /usr/share/nginx/html/index.html"#);
        assert_eq!(echo.files["/usr/share/nginx/html/index.html"], "echo|web-0\n");
        let (out, _) = run("false && echo no; false || echo yes; echo ${HOME}x $?");
        assert_eq!(out, "echo|yes\necho|x|0\n");
        assert!(!is_simple(&parse("a; b").unwrap()));
        assert!(is_simple(&parse("kubectl get pods -l 'app=nginx'").unwrap()));
    }

    #[test]
    fn assignments_set_variables() {
        let list = parse("grace=$(echo 30); n=web-0 ; echo $grace ${n}").unwrap();
        let mut env = Env::new(BTreeMap::new());
        let mut echo = Echo::default();
        let (out, code) = execute(&list, &mut env, &mut echo);
        assert_eq!(out, "echo|echo|30|web-0\n");
        assert_eq!(code, 0);
        assert_eq!(env.vars["grace"], "echo|30");
        assert!(simple_words(&parse("a=1").unwrap()).is_none());
        let (out, code) = execute(&parse("A=1 echo hi").unwrap(), &mut env, &mut echo);
        assert!(out.starts_with("sh: NAME=VALUE before a command"), "{out}");
        assert_eq!(code, 2);
        // Not an assignment: the name is not a valid one.
        assert!(simple_words(&parse("1a=2").unwrap()).is_some());
    }

    #[test]
    fn refusals_name_what_is_missing() {
        assert!(parse("kubectl get pods | grep web").unwrap_err().contains("pipes"));
        assert!(parse("sleep 1 &").unwrap_err().contains("background"));
        assert!(parse("if true; then echo; fi").unwrap_err().contains("\"if\""));
        assert!(parse("for i in 0 1; do echo $i").unwrap_err().contains("done"));
        assert!(parse("echo 'x").unwrap_err().contains("unterminated"));
    }

    #[test]
    fn loops_are_bounded() {
        let mut echo = Echo::default();
        let words: Vec<String> = (0..40).map(|i| i.to_string()).collect();
        let line = format!(
            "for a in {w}; do for b in {w}; do echo $a$b; done; done",
            w = words.join(" ")
        );
        let (out, code) = execute(&parse(&line).unwrap(), &mut Env::new(BTreeMap::new()), &mut echo);
        assert_eq!(code, 1);
        assert!(out.ends_with("(the playground bounds every loop)\n"));
    }
}
