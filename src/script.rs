//! The playground script format (`stsim run FILE`), as the design's contract states it:
//!
//! 1. one command a line; blank lines and lines starting with `#` are skipped;
//! 2. `kubectl apply -f - <<EOF` … `EOF` (any delimiter word, optionally quoted) passes the lines
//!    in between as the command's standard input;
//! 3. for every command the transcript has `$ ` and the command line, then exactly what the
//!    browser console prints for it; a failing command prints its error and the script goes on.
//!
//! Parsing never fails: an unterminated here-document takes the rest of the script and is
//! reported as a step of its own, so a learner sees where it went wrong.

/// One step of a script: a command line and, for a here-document, its standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// 1-based line of the script where the command stands.
    pub line: u32,
    /// The command as written, without the here-document marker's body.
    pub command: String,
    /// The here-document body, when the command ends with `<<WORD`.
    pub stdin: Option<String>,
    /// Set when a here-document was never closed: the delimiter word that was expected.
    pub unterminated: Option<String>,
}

/// Split a script into steps. See the module docs for the grammar.
pub fn parse(text: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((index, raw)) = lines.next() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
        match heredoc_delimiter(line) {
            Some((command, word)) => {
                let mut body = String::new();
                let mut closed = false;
                for (_, body_line) in lines.by_ref() {
                    if body_line.trim_end() == word {
                        closed = true;
                        break;
                    }
                    body.push_str(body_line);
                    body.push('\n');
                }
                steps.push(Step {
                    line: line_no,
                    command: command.to_string(),
                    stdin: Some(body),
                    unterminated: (!closed).then(|| word.to_string()),
                });
            }
            None => steps.push(Step {
                line: line_no,
                command: line.to_string(),
                stdin: None,
                unterminated: None,
            }),
        }
    }
    steps
}

/// `kubectl apply -f - <<EOF` → (`kubectl apply -f -`, `EOF`). Quotes around the word are dropped,
/// as the shell does (`<<'EOF'`, `<<"EOF"`, `<<-EOF` are all accepted).
fn heredoc_delimiter(line: &str) -> Option<(&str, &str)> {
    let at = line.rfind("<<")?;
    let word = line[at + 2..].trim().trim_start_matches('-');
    let word = word.trim_matches(|c| c == '\'' || c == '"');
    let valid = !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    valid.then(|| (line[..at].trim_end(), word))
}

/// Anything that can run one command and return what the console prints for it.
pub trait Executor {
    /// Run `command` (with `stdin` for a here-document) and return the console output,
    /// which ends with a newline unless it is empty.
    fn execute(&mut self, command: &str, stdin: Option<&str>) -> String;

    /// The prompt the next command is typed at (`$ `; a shell in a container has its own).
    fn prompt(&self) -> String {
        "$ ".to_string()
    }
}

/// Run every step of `text` against `executor` and build the transcript.
pub fn run(text: &str, executor: &mut dyn Executor) -> String {
    let mut transcript = String::new();
    for step in parse(text) {
        transcript.push_str(&executor.prompt());
        transcript.push_str(&step.command);
        transcript.push('\n');
        if let Some(word) = &step.unterminated {
            transcript.push_str(&format!(
                "error: the here-document started on line {} is never closed: add a line `{}` after the manifest\n",
                step.line, word
            ));
            continue;
        }
        let out = executor.execute(&step.command, step.stdin.as_deref());
        transcript.push_str(&out);
        if !out.is_empty() && !out.ends_with('\n') {
            transcript.push('\n');
        }
    }
    transcript
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_blank_lines_are_skipped() {
        let steps = parse("# a comment\n\n  kubectl get pods  \n");
        assert_eq!(steps.len(), 1);
        assert_eq!(steps[0].command, "kubectl get pods");
        assert_eq!(steps[0].line, 3);
    }

    #[test]
    fn heredoc_with_any_word_and_quotes() {
        let steps = parse("kubectl apply -f - <<'YAML'\nkind: Pod\n---\nkind: Service\nYAML\nkubectl get pods\n");
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0].command, "kubectl apply -f -");
        assert_eq!(steps[0].stdin.as_deref(), Some("kind: Pod\n---\nkind: Service\n"));
        assert_eq!(steps[1].line, 6);
    }

    #[test]
    fn unterminated_heredoc_is_reported_not_lost() {
        struct Echo;
        impl Executor for Echo {
            fn execute(&mut self, c: &str, _: Option<&str>) -> String {
                format!("ran {c}")
            }
        }
        let out = run("kubectl apply -f - <<EOF\nkind: Pod\n", &mut Echo);
        assert!(out.contains("never closed"), "{out}");
    }

    #[test]
    fn empty_script_gives_empty_transcript() {
        struct Never;
        impl Executor for Never {
            fn execute(&mut self, _: &str, _: Option<&str>) -> String {
                unreachable!("no step to run")
            }
        }
        assert_eq!(run("", &mut Never), "");
        assert_eq!(run("# only comments\n\n", &mut Never), "");
    }
}
