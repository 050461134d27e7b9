//! Completion in the manifest editor: at a key position, the fields valid there (from the
//! v1.34 schema of the document's kind), with their types, minus those already written.
//! The path is read from the indentation of the lines above, as a YAML block reader would.

use crate::api::schema;

/// One proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The field name.
    pub label: &'static str,
    /// Its type in words.
    pub detail: String,
    /// What accepting it writes in place of the typed prefix.
    pub insert: String,
}

/// What to propose at `cursor` (a UTF-16 offset, as the text area reports it): the offset the
/// typed prefix starts at, and the fields. None when the cursor is not at a key position.
pub fn complete(text: &str, cursor: u32) -> Option<(u32, Vec<Completion>)> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let cursor = (cursor as usize).min(units.len());
    let before = String::from_utf16_lossy(&units[..cursor]);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = &before[line_start..];
    // A key position: spaces, an optional "- ", then letters being typed.
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let (item, word) = match rest.strip_prefix("- ") {
        Some(w) => (true, w),
        None => (false, rest),
    };
    if !word.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let column = indent + if item { 2 } else { 0 };
    // This document's lines above the cursor.
    let doc_start = before[..line_start]
        .rfind("\n---")
        .map_or(0, |i| before[i + 1..].find('\n').map_or(line_start, |j| i + 1 + j + 1));
    let above: Vec<&str> = before[doc_start.min(line_start)..line_start].lines().collect();
    let ty = type_at(text, doc_start, &above, column)?;
    let present: Vec<&str> = siblings(&above, column, item);
    let word_lower = word.to_ascii_lowercase();
    let proposals: Vec<Completion> = schema::fields(&ty)
        .into_iter()
        .filter(|(name, _)| !present.contains(name) && *name != "status")
        .filter(|(name, _)| name.to_ascii_lowercase().starts_with(&word_lower))
        .map(|(name, code)| Completion {
            label: name,
            detail: schema::describe(code),
            insert: insertion(name, code, column),
        })
        .collect();
    if proposals.is_empty() {
        return None;
    }
    let from = cursor - word.encode_utf16().count();
    Some((u32::try_from(from).ok()?, proposals))
}

/// `name: ` for a value on the line; a nested block (object, list, map) opens on the next line.
fn insertion(name: &str, code: &str, column: usize) -> String {
    let pad = " ".repeat(column + 2);
    match code.as_bytes().first() {
        Some(b'@') | Some(b'{') => format!("{name}:\n{pad}"),
        Some(b'[') if code.as_bytes().get(1) == Some(&b'@') => format!("{name}:\n{}- ", " ".repeat(column)),
        _ => format!("{name}: "),
    }
}

/// The schema type whose fields belong at `column` under the lines `above`.
fn type_at(text: &str, doc_start: usize, above: &[&str], column: usize) -> Option<String> {
    // The document's kind (anywhere in it, at the top level).
    let doc = &text[doc_start.min(text.len())..];
    let doc = doc.split("\n---").next().unwrap_or(doc);
    let top = |key: &str| {
        doc.lines()
            .find_map(|l| l.strip_prefix(key).map(|v| v.trim().trim_matches('"').to_string()))
    };
    let root = match (top("apiVersion:"), top("kind:")) {
        (Some(v), Some(k)) => schema::root(&v, &k)?,
        _ => return None,
    };
    // The block-opening keys that contain `column`, innermost first: a key line with no value
    // at a smaller column opens the block; a list item line (`- …`) whose body is at or left of
    // the cursor puts it inside that item, whose list key sits at or left of the dash.
    let mut chain: Vec<String> = Vec::new();
    let mut limit = column; // a containing key must start left of this column
    for (indent, dash, body, body_col) in block_lines(above) {
        let opens = body
            .split_once(':')
            .filter(|(_, v)| v.trim().is_empty())
            .map(|(k, _)| k.trim());
        if let (Some(key), true) = (opens, body_col < limit) {
            chain.push(key.to_string());
            limit = if dash { indent + 1 } else { body_col };
        } else if dash && indent < limit && body_col <= limit {
            limit = indent + 1;
        }
        if limit == 0 {
            break;
        }
    }
    chain.reverse();
    let mut ty = root.to_string();
    for key in &chain {
        let code = schema::field_type(&ty, key)?;
        ty = element(code)?;
    }
    Some(ty)
}

/// The object type a field's value holds (a list's element type for lists).
fn element(code: &str) -> Option<String> {
    let code = code.strip_prefix('[').unwrap_or(code);
    code.strip_prefix('@').map(str::to_string)
}

/// The lines above the cursor, nearest first, without blanks and comments: (indent, whether it
/// is a list item, the text after `- `, the column of that text).
fn block_lines<'a, 'b>(above: &'b [&'a str]) -> impl Iterator<Item = (usize, bool, &'a str, usize)> + 'b
where
    'a: 'b,
{
    above.iter().rev().filter_map(|line| {
        let trimmed = line.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return None;
        }
        let indent = line.len() - trimmed.len();
        Some(match trimmed.strip_prefix("- ") {
            Some(b) => (indent, true, b, indent + 2),
            None => (indent, false, trimmed, indent),
        })
    })
}

/// Keys already written at `column` in the block the cursor is in.
fn siblings<'a>(above: &[&'a str], column: usize, item: bool) -> Vec<&'a str> {
    let mut out = Vec::new();
    for (_, dash, body, body_col) in block_lines(above) {
        if body_col < column || (dash && body_col == column && !item) {
            if body_col == column {
                if let Some((key, _)) = body.split_once(':') {
                    out.push(key.trim());
                }
            }
            break;
        }
        if body_col == column && !(item && dash) {
            if let Some((key, _)) = body.split_once(':') {
                out.push(key.trim());
            }
        }
        if dash && body_col == column && item {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str) -> Vec<&'static str> {
        complete(text, text.encode_utf16().count() as u32)
            .map(|(_, c)| c.into_iter().map(|c| c.label).collect())
            .unwrap_or_default()
    }

    #[test]
    fn proposes_the_fields_of_the_block_minus_those_written() {
        let head = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  ";
        let all = labels(head);
        assert!(
            all.contains(&"serviceName") && all.contains(&"volumeClaimTemplates"),
            "{all:?}"
        );
        assert!(!all.contains(&"replicas"), "already written");
        assert_eq!(labels(&format!("{head}se")), ["selector", "serviceName"]);
        let (from, items) = complete(&format!("{head}serv"), (head.len() + 4) as u32).unwrap();
        assert_eq!(from as usize, head.len());
        assert_eq!(items[0].insert, "serviceName: ");
        assert_eq!(items[0].detail, "string");
    }

    #[test]
    fn follows_templates_and_list_items() {
        let text = "apiVersion: apps/v1\nkind: StatefulSet\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        ima";
        assert_eq!(labels(text), ["image", "imagePullPolicy"]);
        let text = "apiVersion: v1\nkind: Service\nspec:\n  ports:\n  - port: 80\n    ";
        let l = labels(text);
        assert!(l.contains(&"targetPort") && !l.contains(&"port"), "{l:?}");
        assert_eq!(labels("apiVersion: v1\nkind: Pod\nme"), ["metadata"]);
    }

    #[test]
    fn not_at_a_key_position_or_without_a_kind() {
        assert!(complete("kind: StatefulSet\napiVersion: apps/v1\nspec:\n  replicas: 3", 100).is_none());
        assert!(complete("spec:\n  ", 8).is_none());
        assert!(complete("", 0).is_none());
    }
}
