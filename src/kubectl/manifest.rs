//! Reading manifests for `kubectl apply|create|delete -f`: YAML documents (or a `kind: List`)
//! to typed objects, with kubectl's errors. Empty documents are skipped, as kubectl does.

use crate::api::resources::{self, Kind};
use crate::value::Value;
use crate::yaml::{self, Limits};

/// One object read from a manifest.
#[derive(Debug, Clone)]
pub struct Object {
    pub kind: Kind,
    pub value: Value,
    /// 0-based index of the YAML document.
    pub doc: usize,
    /// 1-based line the document starts on.
    pub line: u32,
}

/// Read every object of a manifest. `source` names it in errors (`STDIN` or a file name).
/// Errors come in kubectl's words; objects before an error are still returned, as kubectl
/// applies the documents it could read before the broken one.
pub fn read(text: &str, source: &str) -> (Vec<Object>, Vec<String>) {
    let limits = Limits::default();
    let (tree, errors) = yaml::parse(text, limits);
    let mut objects = Vec::new();
    let mut problems = Vec::new();
    let first_error_doc = errors
        .iter()
        .filter(|e| e.rule != "yaml-duplicate-key")
        .map(|e| e.doc)
        .min();
    for (index, doc) in tree.docs.iter().enumerate() {
        if first_error_doc.is_some_and(|d| index >= d) {
            break;
        }
        if doc.root.is_none() {
            continue;
        }
        let value = match tree.to_value(index, limits) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!(
                    "error: error parsing {source}: line {}: {}",
                    e.span.start.line, e.message
                ));
                break;
            }
        };
        match value {
            Value::Null => continue,
            Value::Map(_) => {}
            _ => {
                problems.push(format!("error: error parsing {source}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}} (document {} on line {})", value.type_name(), index + 1, doc.start_line));
                continue;
            }
        }
        if value.str_at("kind") == "List" {
            for item in value.get("items").map(Value::as_list).unwrap_or(&[]) {
                match typed(item.clone(), source) {
                    Ok(kind) => objects.push(Object {
                        kind,
                        value: item.clone(),
                        doc: index,
                        line: doc.start_line,
                    }),
                    Err(e) => problems.push(e),
                }
            }
            continue;
        }
        match typed(value.clone(), source) {
            Ok(kind) => objects.push(Object {
                kind,
                value,
                doc: index,
                line: doc.start_line,
            }),
            Err(e) => problems.push(e),
        }
    }
    for e in errors {
        if e.rule == "yaml-duplicate-key" {
            let key = e.message.split('"').nth(1).unwrap_or("");
            problems.push(format!(
                "error: error parsing {source}: error converting YAML to JSON: yaml: unmarshal errors:\n  line {}: mapping key \"{key}\" already defined at line {}",
                e.span.start.line,
                e.message.split("line ").nth(1).and_then(|s| s.split(';').next()).unwrap_or("?")
            ));
        } else {
            problems.push(format!(
                "error: error parsing {source}: error converting YAML to JSON: yaml: line {}: {}",
                e.span.start.line,
                e.message.trim_start_matches("YAML syntax error: ")
            ));
        }
    }
    (objects, problems)
}

fn typed(value: Value, source: &str) -> Result<Kind, String> {
    let api_version = value.str_at("apiVersion");
    let kind = value.str_at("kind");
    if kind.is_empty() || api_version.is_empty() {
        let missing = if kind.is_empty() { "kind" } else { "apiVersion" };
        return Err(format!(
            "error: error validating \"{source}\": error validating data: {missing} not set; if you choose to ignore these errors, turn validation off with --validate=false"
        ));
    }
    match resources::by_manifest(api_version, kind) {
        Some(r) => Ok(r.kind),
        None if resources::is_builtin(api_version, kind) => Err(format!(
            "error: {} (object \"{}\" from \"{source}\" was not sent)",
            resources::not_simulated(api_version, kind),
            value.str_at("metadata.name")
        )),
        None => Err(format!(
            "error: resource mapping not found for name: \"{}\" namespace: \"{}\" from \"{source}\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first",
            value.str_at("metadata.name"),
            value.str_at("metadata.namespace")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_document_with_empty_documents() {
        let (objs, errs) = read("---\napiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: b}\n", "STDIN");
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(objs.len(), 2);
        assert_eq!(objs[1].kind, Kind::StatefulSet);
    }

    #[test]
    fn unknown_kind_in_kubectl_words() {
        let (_, errs) = read("apiVersion: v1\nkind: Foo\nmetadata: {name: x}\n", "STDIN");
        assert!(
            errs[0].starts_with("error: resource mapping not found for name: \"x\""),
            "{errs:?}"
        );
    }
}
