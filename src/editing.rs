//! The editor's keyboard edits, as pure functions over the text and the selection (UTF-16
//! offsets, as the text area reports them): Tab / Shift-Tab indent and outdent, Enter keeps the
//! indentation (and indents after `key:`), Ctrl/Cmd+/ toggles comments. Each returns the range
//! to replace, the new text for it, and the selection afterwards; the component applies it with
//! the browser's `insertText`, so the edit joins the text area's own undo history.

/// One edit: replace `from..to` (UTF-16 offsets) with `text`, then select `select`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub from: u32,
    pub to: u32,
    pub text: String,
    pub select: (u32, u32),
}

/// The editing keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Tab,
    ShiftTab,
    Enter,
    ToggleComment,
}

const INDENT: &str = "  ";

/// The edit a key makes, or None when the browser's own behaviour is right.
pub fn edit(text: &str, start: u32, end: u32, key: Key) -> Option<Edit> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let len = u32::try_from(units.len()).ok()?;
    let (start, end) = (start.min(len), end.min(len).max(start.min(len)));
    let line_start = |at: u32| -> u32 {
        units[..at as usize]
            .iter()
            .rposition(|u| *u == u16::from(b'\n'))
            .map_or(0, |i| i as u32 + 1)
    };
    let line_end = |at: u32| -> u32 {
        units[at as usize..]
            .iter()
            .position(|u| *u == u16::from(b'\n'))
            .map_or(len, |i| at + i as u32)
    };
    let slice = |a: u32, b: u32| String::from_utf16_lossy(&units[a as usize..b as usize]);
    let multi_line = slice(start, end).contains('\n');
    match key {
        Key::Tab if !multi_line => Some(Edit {
            from: start,
            to: end,
            text: INDENT.into(),
            select: (start + 2, start + 2),
        }),
        Key::Tab | Key::ShiftTab | Key::ToggleComment => {
            // Whole lines of the selection (a selection ending at a line start leaves that line).
            let first = line_start(start);
            let last_at = if end > start && end > 0 && units[end as usize - 1] == u16::from(b'\n') {
                end - 1
            } else {
                end
            };
            let last = line_end(last_at.max(first));
            let block = slice(first, last);
            let lines: Vec<&str> = block.split('\n').collect();
            let new_lines: Vec<String> = match key {
                Key::Tab => lines
                    .iter()
                    .map(|l| {
                        if l.is_empty() {
                            String::new()
                        } else {
                            format!("{INDENT}{l}")
                        }
                    })
                    .collect(),
                Key::ShiftTab => lines
                    .iter()
                    .map(|l| {
                        let spaces = l.len() - l.trim_start_matches(' ').len();
                        l[spaces.min(2)..].to_string()
                    })
                    .collect(),
                _ => toggle_comments(&lines),
            };
            let new_block = new_lines.join("\n");
            if new_block == block {
                return None;
            }
            let new_len = u32::try_from(new_block.encode_utf16().count()).ok()?;
            let select = if start == end {
                // A caret: keep it on the same character of its line.
                let old_len = last - first;
                let caret = (start + new_len).saturating_sub(old_len).max(first);
                (caret, caret)
            } else {
                (first, first + new_len)
            };
            Some(Edit {
                from: first,
                to: last,
                text: new_block,
                select,
            })
        }
        Key::Enter => {
            let first = line_start(start);
            let before = slice(first, start);
            let indent: String = before.chars().take_while(|c| *c == ' ').collect();
            let trimmed = before.trim_end();
            // After `key:` (nothing after the colon) the value is a nested block: indent it.
            let opens_block = trimmed.ends_with(':') && !trimmed.trim_start().starts_with('#');
            let mut text = format!("\n{indent}");
            if opens_block {
                text.push_str(INDENT);
            } else if let Some(item) = trimmed.trim_start().strip_prefix("- ") {
                // Continue a list item's fields under it (`- name: web` → two more spaces).
                if item.contains(": ") || item.ends_with(':') {
                    text.push_str(INDENT);
                }
            }
            let at = start + u32::try_from(text.encode_utf16().count()).ok()?;
            Some(Edit {
                from: start,
                to: end,
                text,
                select: (at, at),
            })
        }
    }
}

/// Comment every line (at the smallest indentation) unless all non-blank ones already are; then
/// uncomment them.
fn toggle_comments(lines: &[&str]) -> Vec<String> {
    let body: Vec<&&str> = lines.iter().filter(|l| !l.trim().is_empty()).collect();
    let all_commented = !body.is_empty() && body.iter().all(|l| l.trim_start().starts_with('#'));
    if all_commented {
        return lines
            .iter()
            .map(|l| {
                let spaces = l.len() - l.trim_start().len();
                let rest = &l[spaces..];
                let rest = rest
                    .strip_prefix("# ")
                    .or_else(|| rest.strip_prefix('#'))
                    .unwrap_or(rest);
                format!("{}{rest}", &l[..spaces])
            })
            .collect();
    }
    let min = body.iter().map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
    lines
        .iter()
        .map(|l| {
            if l.trim().is_empty() {
                l.to_string()
            } else {
                format!("{}# {}", &l[..min], &l[min..])
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, e: &Edit) -> String {
        let units: Vec<u16> = text.encode_utf16().collect();
        let mut out = String::from_utf16_lossy(&units[..e.from as usize]);
        out.push_str(&e.text);
        out.push_str(&String::from_utf16_lossy(&units[e.to as usize..]));
        out
    }

    #[test]
    fn enter_keeps_and_opens_indentation() {
        let t = "spec:\n  template:";
        let e = edit(t, t.len() as u32, t.len() as u32, Key::Enter).unwrap();
        assert_eq!(apply(t, &e), "spec:\n  template:\n    ");
        let t = "spec:\n  replicas: 3";
        let e = edit(t, t.len() as u32, t.len() as u32, Key::Enter).unwrap();
        assert_eq!(apply(t, &e), "spec:\n  replicas: 3\n  ");
        let t = "  containers:\n  - name: web";
        let e = edit(t, t.len() as u32, t.len() as u32, Key::Enter).unwrap();
        assert_eq!(apply(t, &e), "  containers:\n  - name: web\n    ");
        assert_eq!(e.select.0 as usize, apply(t, &e).encode_utf16().count());
    }

    #[test]
    fn tab_indents_and_shift_tab_outdents_lines() {
        let t = "a: 1\nb: 2\nc: 3";
        let e = edit(t, 0, 9, Key::Tab).unwrap();
        assert_eq!(apply(t, &e), "  a: 1\n  b: 2\nc: 3");
        let t2 = apply(t, &e);
        let e = edit(&t2, 0, 13, Key::ShiftTab).unwrap();
        assert_eq!(apply(&t2, &e), t);
        let e = edit("ab", 1, 1, Key::Tab).unwrap();
        assert_eq!(apply("ab", &e), "a  b");
        assert!(edit("a: 1", 2, 2, Key::ShiftTab).is_none(), "nothing to outdent");
    }

    #[test]
    fn ctrl_slash_toggles_comments() {
        let t = "spec:\n  replicas: 3\n  selector: {}";
        let e = edit(t, 8, 25, Key::ToggleComment).unwrap();
        let commented = apply(t, &e);
        assert_eq!(commented, "spec:\n  # replicas: 3\n  # selector: {}");
        let e = edit(&commented, 8, 30, Key::ToggleComment).unwrap();
        assert_eq!(apply(&commented, &e), t);
    }

    #[test]
    fn offsets_past_the_end_and_non_ascii_are_safe() {
        for key in [Key::Tab, Key::ShiftTab, Key::Enter, Key::ToggleComment] {
            let _ = edit("é: ü\n  ñ: 1", 0, 999, key);
            let _ = edit("", 5, 2, key);
        }
    }
}
