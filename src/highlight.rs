//! YAML syntax colouring for the editor, one line at a time.
//!
//! The editor draws each line of the manifest as its own component, so a keystroke redraws the
//! line it changed, not the file. A line's colours depend on that line alone, except inside a
//! block scalar (`command: |` and the more-indented lines under it), which [`block_lines`] works
//! out in one cheap pass over the text. Colours are decoration: nothing here decides anything,
//! and any text, however broken, gets some colouring without an error.

/// What a piece of a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A mapping key (`replicas` in `replicas: 3`).
    Key,
    /// A quoted or plain string value, or block scalar text.
    Str,
    /// A number (`3`, `0.5`, `0x1F`).
    Num,
    /// `true`, `false` (and YAML 1.1's `yes`, `no`, `on`, `off`, as Kubernetes reads them).
    Bool,
    /// `null`, `~`.
    Null,
    /// A comment, `#` to the end of the line.
    Comment,
    /// `:`, `-`, `[`, `]`, `{`, `}`, `,`, `|`, `>`.
    Punct,
    /// `&anchor`, `*alias`.
    Anchor,
    /// `!tag`.
    Tag,
    /// `---` and `...` between documents.
    Doc,
}

impl Class {
    /// The CSS class the editor gives it.
    pub fn css(self) -> &'static str {
        match self {
            Class::Key => "tok-key",
            Class::Str => "tok-str",
            Class::Num => "tok-num",
            Class::Bool => "tok-bool",
            Class::Null => "tok-null",
            Class::Comment => "tok-comment",
            Class::Punct => "tok-punct",
            Class::Anchor => "tok-anchor",
            Class::Tag => "tok-tag",
            Class::Doc => "tok-doc",
        }
    }
}

/// A coloured run of a line: character offsets `[start, end)` and its class.
pub type Token = (usize, usize, Class);

/// For each line of `text`, whether it is the content of a block scalar (`|` or `>`).
pub fn block_lines(text: &str) -> Vec<bool> {
    let mut out = Vec::new();
    // The indentation of the line that opened a block scalar, while in one.
    let mut open: Option<usize> = None;
    for line in text.split('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if let Some(header) = open {
            if blank || indent > header {
                out.push(true);
                continue;
            }
            open = None;
        }
        out.push(false);
        if opens_block(line) {
            open = Some(indent);
        }
    }
    out
}

/// Whether a line ends with a block scalar header (`key: |`, `- >-`, `key: |2 # note`).
fn opens_block(line: &str) -> bool {
    let code = strip_comment(line).trim_end();
    let last = code.rsplit([' ', '\t']).next().unwrap_or("");
    let Some(rest) = last.strip_prefix(['|', '>']) else {
        return false;
    };
    let before = code[..code.len() - last.len()].trim_end();
    (before.is_empty() || before.ends_with(':') || before.ends_with('-'))
        && rest.chars().all(|c| matches!(c, '+' | '-' | '1'..='9'))
}

/// The line without a trailing comment (a `#` at the start or after a space, outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && (prev == ' ' || prev == '\t') => return &line[..i],
            None => {}
        }
        prev = c;
    }
    line
}

/// The coloured runs of one line (`in_block`: it is block scalar content). Runs do not overlap
/// and are in order; characters outside every run are plain.
pub fn tokens(line: &str, in_block: bool) -> Vec<Token> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let n = chars.len();
    let mut i = chars.iter().take_while(|c| **c == ' ' || **c == '\t').count();
    if i == n {
        return out;
    }
    if in_block {
        out.push((i, n, Class::Str));
        return out;
    }
    // Document markers.
    let text: String = chars.iter().collect();
    if i == 0 && (text.starts_with("---") || text.starts_with("...")) && chars.get(3).is_none_or(|c| *c == ' ') {
        out.push((0, 3, Class::Doc));
        i = 3;
    }
    // List item markers.
    while i < n && chars[i] == '-' && chars.get(i + 1).is_none_or(|c| *c == ' ') {
        out.push((i, i + 1, Class::Punct));
        i += 1;
        i += chars[i..].iter().take_while(|c| **c == ' ').count();
    }
    // A key: a quoted or plain scalar followed by `:` and a space or the end of the line.
    if let Some((end, colon)) = key_at(&chars, i) {
        out.push((i, end, Class::Key));
        out.push((colon, colon + 1, Class::Punct));
        i = colon + 1;
    }
    value(&chars, i, n, &mut out);
    out
}

/// If a key starts at `i`: where it ends and where its colon is.
fn key_at(chars: &[char], i: usize) -> Option<(usize, usize)> {
    let n = chars.len();
    let first = *chars.get(i)?;
    let end = if first == '"' || first == '\'' {
        let close = (i + 1..n).find(|j| chars[*j] == first)?;
        close + 1
    } else {
        if matches!(
            first,
            '#' | '[' | '{' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`'
        ) {
            return None;
        }
        // Up to a `:` followed by a space or the end of the line.
        let mut j = i;
        loop {
            if j >= n {
                return None;
            }
            if chars[j] == ':' && (j + 1 == n || chars[j + 1] == ' ' || chars[j + 1] == '\t') {
                break;
            }
            if chars[j] == '#' && j > i && chars[j - 1] == ' ' {
                return None;
            }
            j += 1;
        }
        let mut end = j;
        while end > i && chars[end - 1] == ' ' {
            end -= 1;
        }
        return (end > i).then_some((end, j));
    };
    let colon = (end..n).find(|j| chars[*j] != ' ')?;
    (chars[colon] == ':' && (colon + 1 == n || chars[colon + 1] == ' ')).then_some((end, colon))
}

/// The runs of a value from `i` to `n`: flow collections, quoted and plain scalars, anchors,
/// tags, block scalar headers and a trailing comment.
fn value(chars: &[char], mut i: usize, n: usize, out: &mut Vec<Token>) {
    // How deep in flow collections (`[`, `{`) the scan is.
    let mut depth = 0u32;
    while i < n {
        let c = chars[i];
        match c {
            ' ' | '\t' => i += 1,
            '#' if i == 0 || chars[i - 1] == ' ' || chars[i - 1] == '\t' => {
                out.push((i, n, Class::Comment));
                return;
            }
            '"' | '\'' => {
                let mut j = i + 1;
                while j < n && chars[j] != c {
                    if c == '"' && chars[j] == '\\' {
                        j += 1;
                    }
                    j += 1;
                }
                let end = (j + 1).min(n);
                out.push((i, end, Class::Str));
                i = end;
            }
            '[' | ']' | '{' | '}' | ',' => {
                match c {
                    '[' | '{' => depth += 1,
                    ']' | '}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
                out.push((i, i + 1, Class::Punct));
                i += 1;
            }
            ':' if chars.get(i + 1).is_none_or(|c| *c == ' ') => {
                out.push((i, i + 1, Class::Punct));
                i += 1;
            }
            '&' | '*' | '!' => {
                let end = word_end(chars, i, n);
                out.push((i, end, if c == '!' { Class::Tag } else { Class::Anchor }));
                i = end;
            }
            '|' | '>' if out.last().is_none_or(|t| t.2 == Class::Punct) => {
                let end = word_end(chars, i, n);
                out.push((i, end, Class::Punct));
                i = end;
            }
            _ => {
                // A plain scalar: to a flow indicator (inside flow), a comment, or the end.
                let in_flow = depth > 0;
                let mut j = i;
                while j < n {
                    let d = chars[j];
                    if in_flow && matches!(d, ',' | ']' | '}') {
                        break;
                    }
                    if in_flow && d == ':' && chars.get(j + 1).is_none_or(|c| *c == ' ') {
                        break;
                    }
                    if d == '#' && j > i && (chars[j - 1] == ' ' || chars[j - 1] == '\t') {
                        break;
                    }
                    j += 1;
                }
                let mut end = j;
                while end > i && (chars[end - 1] == ' ' || chars[end - 1] == '\t') {
                    end -= 1;
                }
                let word: String = chars[i..end].iter().collect();
                out.push((i, end, scalar_class(&word)));
                i = j.max(i + 1);
            }
        }
    }
}

/// The end of a word (to a space or a flow indicator).
fn word_end(chars: &[char], i: usize, n: usize) -> usize {
    (i + 1..n)
        .find(|j| matches!(chars[*j], ' ' | '\t' | ',' | ']' | '}'))
        .unwrap_or(n)
}

/// How Kubernetes' YAML (go-yaml v2, YAML 1.1) reads a plain scalar, for its colour.
fn scalar_class(word: &str) -> Class {
    match crate::yaml::resolve_plain(word) {
        crate::value::Value::Null => Class::Null,
        crate::value::Value::Bool(_) => Class::Bool,
        crate::value::Value::Int(_) | crate::value::Value::Float(_) => Class::Num,
        _ => Class::Str,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line with each run bracketed and labelled: `[key:replicas][punct::] [num:3]`.
    fn show(line: &str, in_block: bool) -> String {
        let chars: Vec<char> = line.chars().collect();
        let mut out = String::new();
        let mut at = 0;
        for (start, end, class) in tokens(line, in_block) {
            out.extend(&chars[at..start]);
            let text: String = chars[start..end].iter().collect();
            out.push_str(&format!("[{}:{text}]", &class.css()[4..]));
            at = end;
        }
        out.extend(&chars[at..]);
        out
    }

    #[test]
    fn keys_values_and_comments() {
        assert_eq!(
            show("  replicas: 3 # three", false),
            "  [key:replicas][punct::] [num:3] [comment:# three]"
        );
        assert_eq!(
            show("kind: StatefulSet", false),
            "[key:kind][punct::] [str:StatefulSet]"
        );
        assert_eq!(
            show("- name: nginx", false),
            "[punct:-] [key:name][punct::] [str:nginx]"
        );
        assert_eq!(show("  - ReadWriteOnce", false), "  [punct:-] [str:ReadWriteOnce]");
        assert_eq!(
            show("image: \"nginx:1.27\"", false),
            "[key:image][punct::] [str:\"nginx:1.27\"]"
        );
        assert_eq!(
            show("accessModes: [ReadWriteOnce, ReadWriteMany]", false),
            "[key:accessModes][punct::] [punct:[][str:ReadWriteOnce][punct:,] [str:ReadWriteMany][punct:]]"
        );
        assert_eq!(
            show("labels: {app: web}", false),
            "[key:labels][punct::] [punct:{][str:app][punct::] [str:web][punct:}]"
        );
        assert_eq!(show("enabled: yes", false), "[key:enabled][punct::] [bool:yes]");
        assert_eq!(show("clusterIP: None", false), "[key:clusterIP][punct::] [str:None]");
        assert_eq!(show("x: ~", false), "[key:x][punct::] [null:~]");
        assert_eq!(show("---", false), "[doc:---]");
        assert_eq!(show("# a comment", false), "[comment:# a comment]");
        assert_eq!(show("url: http://a#b", false), "[key:url][punct::] [str:http://a#b]");
        assert_eq!(
            show("base: &b {x: 1}", false),
            "[key:base][punct::] [anchor:&b] [punct:{][str:x][punct::] [num:1][punct:}]"
        );
        assert_eq!(show("script: |", false), "[key:script][punct::] [punct:|]");
        assert_eq!(show("    echo hi: there", true), "    [str:echo hi: there]");
    }

    #[test]
    fn block_scalars_run_to_the_outdent() {
        let text = "a: |\n  one\n\n  two: x\nb: 1\n- >-\n  c\nd: e\n";
        assert_eq!(
            block_lines(text),
            [false, true, true, true, false, false, true, false, false]
        );
    }

    #[test]
    fn any_text_is_coloured_without_panic() {
        for line in [
            "",
            " ",
            ":",
            "- ",
            "\"unterminated",
            "'",
            "a: \"b\\",
            "{[}]",
            "é: ☃",
            "&",
            "!!",
            "key:value",
            "|||",
            "- - - x",
        ] {
            let toks = tokens(line, false);
            let n = line.chars().count();
            assert!(toks.windows(2).all(|w| w[0].1 <= w[1].0), "{line:?} {toks:?}");
            assert!(toks.iter().all(|t| t.0 < t.1 && t.1 <= n), "{line:?} {toks:?}");
        }
        let _ = block_lines("a: |\n\t\tb\n");
    }
}
