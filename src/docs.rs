//! Field documentation for the editor's hover: which API field is written at a position, its
//! type, and its description from the Kubernetes v1.34.0 OpenAPI definitions.
//!
//! The descriptions (`assets/field-docs.txt`, 235 KB, generated with the field schema by
//! `scripts/gen-schema.py`) are not compiled in: the page fetches them the first time a learner
//! asks for a field's documentation, so they cost nothing on first load. This module finds the
//! field ([`field_at`]) and reads its entry from that text ([`lookup`]).

use crate::api::schema;
use crate::yaml::{self, Limits, Seg, Span};

/// The field at a position of a manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldAt {
    /// The field path as the API writes it: `spec.template.spec.containers[0].image`.
    pub path: String,
    /// Its entry in the documentation: `Type.field` (`Container.image`), or the root type for
    /// the object itself.
    pub doc_key: String,
    /// Its type in words (`string`, `list of Container`).
    pub type_text: String,
    /// The span of its key in the source (of the value, for a list item).
    pub span: Span,
}

/// The API field written at a 1-based line and column of `text` (on its key or its value),
/// when the document's kind is one the playground serves.
pub fn field_at(text: &str, line: u32, col: u32) -> Option<FieldAt> {
    let (tree, _) = yaml::parse(text, Limits::default());
    let (doc, path, span) = tree.path_at(line, col)?;
    let root = schema::root(tree.top_scalar(doc, "apiVersion")?, tree.top_scalar(doc, "kind")?)?;
    // Walk the schema along the path: the last field named is the one documented.
    let mut code = format!("@{root}");
    let mut doc_key = root.to_string();
    let mut path_text = String::new();
    for seg in &path {
        match seg {
            Seg::Key(key) => {
                if let Some(item) = code.strip_prefix('{') {
                    // A key of a map (a label, an annotation): the map's field is documented.
                    code = item.to_string();
                    path_text.push_str(&format!("[{key}]"));
                    continue;
                }
                let ty = code.strip_prefix('@')?.to_string();
                code = schema::field_type(&ty, key)?.to_string();
                doc_key = format!("{ty}.{key}");
                if !path_text.is_empty() {
                    path_text.push('.');
                }
                path_text.push_str(key);
            }
            Seg::Index(i) => {
                code = code.strip_prefix('[')?.to_string();
                path_text.push_str(&format!("[{i}]"));
            }
        }
    }
    if path_text.is_empty() {
        return None;
    }
    // The field's own type: a list item shows the list's.
    let type_text = schema::describe(
        &schema::field_type(
            doc_key.split_once('.').map_or("", |(t, _)| t),
            doc_key.split_once('.').map_or("", |(_, f)| f),
        )
        .map_or(code.clone(), str::to_string),
    );
    Some(FieldAt {
        path: path_text,
        doc_key,
        type_text,
        span,
    })
}

/// The description of `key` (`Type.field` or `Type`) in the documentation text, with its
/// line breaks restored.
pub fn lookup(docs: &str, key: &str) -> Option<String> {
    let line = docs
        .lines()
        .find(|l| l.strip_prefix(key).is_some_and(|rest| rest.starts_with('\t')))?;
    let raw = &line[key.len() + 1..];
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SET: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n";

    #[test]
    fn finds_the_field_under_a_key_or_its_value() {
        let f = field_at(SET, 8, 4).expect("replicas");
        assert_eq!(
            (f.path.as_str(), f.doc_key.as_str(), f.type_text.as_str()),
            ("spec.replicas", "StatefulSetSpec.replicas", "integer")
        );
        assert_eq!((f.span.start.line, f.span.start.col), (8, 3));
        let v = field_at(SET, 8, 13).expect("the value 3");
        assert_eq!(v.doc_key, "StatefulSetSpec.replicas");
        let image = field_at(SET, 13, 10).expect("image");
        assert_eq!(
            (image.path.as_str(), image.doc_key.as_str()),
            ("spec.template.spec.containers[0].image", "Container.image")
        );
        let label = field_at(SET, 6, 5).expect("a label");
        assert_eq!(
            (label.path.as_str(), label.doc_key.as_str()),
            ("metadata.labels[app]", "ObjectMeta.labels")
        );
        assert_eq!(field_at(SET, 40, 1), None);
        assert_eq!(field_at("kind: Unknown\nspec: {}\n", 2, 2), None);
    }

    #[test]
    fn descriptions_read_back() {
        let docs = "# header\nStatefulSetSpec.replicas\treplicas is the desired number.\\nMore.\nStatefulSetSpec.replicasX\tno\n";
        assert_eq!(
            lookup(docs, "StatefulSetSpec.replicas").as_deref(),
            Some("replicas is the desired number.\nMore.")
        );
        assert_eq!(lookup(docs, "StatefulSetSpec"), None);
    }

    #[test]
    fn the_shipped_docs_cover_the_fields_learners_use() {
        let docs = include_str!("../assets/field-docs.txt");
        for key in [
            "StatefulSetSpec.replicas",
            "StatefulSetSpec.podManagementPolicy",
            "StatefulSetSpec.volumeClaimTemplates",
            "Container.readinessProbe",
            "PersistentVolumeClaimSpec.storageClassName",
            "StorageClass.volumeBindingMode",
        ] {
            assert!(lookup(docs, key).is_some_and(|d| d.len() > 20), "{key}");
        }
    }
}
