//! Command lines: shell-style words (quotes and backslashes as `sh` reads them) and kubectl's
//! flags (`--flag=value`, `--flag value`, `-f value`, `-fvalue`, booleans).

/// Split a command line into words as a POSIX shell would (no expansion).
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(ch) = chars.next() {
        match ch {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => cur.push(x),
                        None => return Err("error: unterminated single quote in the command line".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(x @ ('"' | '\\' | '$' | '`')) => cur.push(x),
                            Some(x) => {
                                cur.push('\\');
                                cur.push(x);
                            }
                            None => return Err("error: unterminated double quote in the command line".into()),
                        },
                        Some(x) => cur.push(x),
                        None => return Err("error: unterminated double quote in the command line".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(x) = chars.next() {
                    cur.push(x);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// What a command accepts: flags that take a value and boolean flags, with short aliases.
pub struct FlagSpec {
    pub command: &'static str,
    /// (long name, short alias or ' ') of flags that take a value.
    pub valued: &'static [(&'static str, char)],
    /// (long name, short alias or ' ') of boolean flags.
    pub boolean: &'static [(&'static str, char)],
}

/// Parsed arguments: positional words, flag values (last one wins, repeated ones kept in order),
/// and everything after `--`.
#[derive(Debug, Default, Clone)]
pub struct Parsed {
    pub positional: Vec<String>,
    /// Flags as given, in order: `(name, value)` (a list, not a map: a handful per command, and
    /// one map type fewer in the bundle).
    pub flags: Vec<(String, String)>,
    pub after_dashdash: Vec<String>,
}

impl Parsed {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.flags
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.flags.iter().any(|(n, _)| n == name)
    }

    /// A boolean flag: present (or `=true`) and not `=false`.
    pub fn bool(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| v != "false")
    }
}

/// Flags every command takes.
const GLOBAL_VALUED: &[(&str, char)] = &[("namespace", 'n'), ("context", ' '), ("kubeconfig", ' '), ("v", 'v')];

/// Parse the words after the command name against its spec, with kubectl's error texts.
pub fn parse(words: &[String], spec: &FlagSpec) -> Result<Parsed, String> {
    let mut out = Parsed::default();
    let mut i = 0;
    let usage = |msg: String| format!("{msg}\nSee 'kubectl {} --help' for usage.", spec.command);
    let find_valued = |name: &str| {
        spec.valued
            .iter()
            .chain(GLOBAL_VALUED)
            .find(|(l, _)| *l == name)
            .map(|(l, _)| *l)
    };
    let find_bool = |name: &str| spec.boolean.iter().find(|(l, _)| *l == name).map(|(l, _)| *l);
    let short_valued = |ch: char| {
        spec.valued
            .iter()
            .chain(GLOBAL_VALUED)
            .find(|(_, s)| *s == ch)
            .map(|(l, _)| *l)
    };
    let short_bool = |ch: char| spec.boolean.iter().find(|(_, s)| *s == ch).map(|(l, _)| *l);
    while i < words.len() {
        let w = &words[i];
        if w == "--" {
            out.after_dashdash = words[i + 1..].to_vec();
            break;
        }
        if let Some(long) = w.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            if let Some(flag) = find_valued(name) {
                let value = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        words
                            .get(i)
                            .cloned()
                            .ok_or_else(|| usage(format!("error: flag needs an argument: --{name}")))?
                    }
                };
                out.flags.push((flag.to_string(), value));
            } else if let Some(flag) = find_bool(name) {
                out.flags
                    .push((flag.to_string(), inline.unwrap_or_else(|| "true".into())));
            } else {
                return Err(usage(format!("error: unknown flag: --{name}")));
            }
        } else if w.len() > 1 && w.starts_with('-') && !w[1..].starts_with(|c: char| c.is_ascii_digit()) {
            let mut chars = w[1..].chars();
            while let Some(ch) = chars.next() {
                if let Some(flag) = short_valued(ch) {
                    let rest: String = chars.collect();
                    let value = if !rest.is_empty() {
                        rest.strip_prefix('=').unwrap_or(&rest).to_string()
                    } else {
                        i += 1;
                        words
                            .get(i)
                            .cloned()
                            .ok_or_else(|| usage(format!("error: flag needs an argument: '{ch}' in -{ch}")))?
                    };
                    out.flags.push((flag.to_string(), value));
                    break;
                } else if let Some(flag) = short_bool(ch) {
                    out.flags.push((flag.to_string(), "true".into()));
                } else {
                    return Err(usage(format!("error: unknown shorthand flag: '{ch}' in {w}")));
                }
            }
        } else {
            out.positional.push(w.clone());
        }
        i += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words() {
        assert_eq!(
            split_words(r#"kubectl exec web-0 -- sh -c 'echo hi > /x'"#).unwrap(),
            ["kubectl", "exec", "web-0", "--", "sh", "-c", "echo hi > /x"]
        );
        assert_eq!(split_words(r#"a "b c" d\ e"#).unwrap(), ["a", "b c", "d e"]);
        assert!(split_words("a 'b").is_err());
    }

    #[test]
    fn flags() {
        let spec = FlagSpec {
            command: "get",
            valued: &[("output", 'o'), ("selector", 'l')],
            boolean: &[("watch", 'w')],
        };
        let words: Vec<String> = ["pods", "-l", "app=nginx", "-owide", "--watch"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let p = parse(&words, &spec).unwrap();
        assert_eq!(p.positional, ["pods"]);
        assert_eq!(p.get("selector"), Some("app=nginx"));
        assert_eq!(p.get("output"), Some("wide"));
        assert!(p.bool("watch"));
        let bad: Vec<String> = ["--nope"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            parse(&bad, &spec).unwrap_err(),
            "error: unknown flag: --nope\nSee 'kubectl get --help' for usage."
        );
    }
}
