//! Label selectors: the structured `matchLabels` / `matchExpressions` of API objects, and the
//! string form of `kubectl -l` (k8s.io/apimachinery `pkg/labels/selector.go`).

use std::collections::BTreeMap;

use crate::value::Value;

/// One requirement of a selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

/// A selector: every requirement must hold. An empty selector selects everything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selector(pub Vec<Requirement>);

impl Selector {
    /// Whether `labels` satisfy every requirement.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.0.iter().all(|r| match r {
            Requirement::Equals(k, v) => labels.get(k) == Some(v),
            Requirement::NotEquals(k, v) => labels.get(k) != Some(v),
            Requirement::In(k, vs) => labels.get(k).is_some_and(|l| vs.contains(l)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|l| !vs.contains(l)),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::DoesNotExist(k) => !labels.contains_key(k),
        })
    }

    /// Whether an object's `metadata.labels` (as stored) satisfy every requirement, without
    /// copying the labels.
    pub fn matches_object(&self, obj: &Value) -> bool {
        let labels = obj.at("metadata.labels");
        let get = |k: &str| labels.and_then(|l| l.get(k)).and_then(Value::as_str);
        self.0.iter().all(|r| match r {
            Requirement::Equals(k, v) => get(k) == Some(v.as_str()),
            Requirement::NotEquals(k, v) => get(k) != Some(v.as_str()),
            Requirement::In(k, vs) => get(k).is_some_and(|l| vs.iter().any(|v| v == l)),
            Requirement::NotIn(k, vs) => get(k).is_none_or(|l| !vs.iter().any(|v| v == l)),
            Requirement::Exists(k) => get(k).is_some(),
            Requirement::DoesNotExist(k) => get(k).is_none(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `labels.Selector.String()`: the requirements sorted by key, as `k=v`, `k!=v`,
    /// `k in (a,b)`, `k notin (a,b)` (values sorted), `k` and `!k`, joined by commas; empty for
    /// an empty selector.
    pub fn to_text(&self) -> String {
        let key = |r: &Requirement| match r {
            Requirement::Equals(k, _)
            | Requirement::NotEquals(k, _)
            | Requirement::In(k, _)
            | Requirement::NotIn(k, _)
            | Requirement::Exists(k)
            | Requirement::DoesNotExist(k) => k.clone(),
        };
        let mut reqs: Vec<&Requirement> = self.0.iter().collect();
        crate::sort::by_key(&mut reqs, |r| key(r));
        let set = |vs: &[String]| {
            let mut sorted = vs.to_vec();
            crate::sort::natural(&mut sorted);
            sorted.dedup();
            sorted.join(",")
        };
        reqs.iter()
            .map(|r| match r {
                Requirement::Equals(k, v) => format!("{k}={v}"),
                Requirement::NotEquals(k, v) => format!("{k}!={v}"),
                Requirement::In(k, vs) => format!("{k} in ({})", set(vs)),
                Requirement::NotIn(k, vs) => format!("{k} notin ({})", set(vs)),
                Requirement::Exists(k) => k.clone(),
                Requirement::DoesNotExist(k) => format!("!{k}"),
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The structured selector of an API object (`spec.selector` of a StatefulSet:
    /// `matchLabels` and `matchExpressions`).
    pub fn from_label_selector(v: &Value) -> Selector {
        let (mut reqs, expressions) = label_selector_parts(v);
        reqs.extend(expressions.into_iter().map(|(key, operator, values)| match operator {
            "In" => Requirement::In(key, values),
            "NotIn" => Requirement::NotIn(key, values),
            "Exists" => Requirement::Exists(key),
            _ => Requirement::DoesNotExist(key),
        }));
        Selector(reqs)
    }

    /// A Service's `spec.selector` (a plain map: equality only).
    pub fn from_map(m: &BTreeMap<String, String>) -> Selector {
        Selector(
            m.iter()
                .map(|(k, v)| Requirement::Equals(k.clone(), v.clone()))
                .collect(),
        )
    }

    /// Parse the `-l` string form: `app=nginx`, `app==nginx`, `tier!=db`, `env in (a,b)`,
    /// `env notin (a)`, `key`, `!key`, joined by commas.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let mut reqs = Vec::new();
        for part in split_top_level(text) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let bad = || format!("unable to parse requirement: found '{part}', expected: identifier");
            if let Some(key) = part.strip_prefix('!') {
                reqs.push(Requirement::DoesNotExist(key.trim().to_string()));
            } else if let Some((k, v)) = part.split_once("!=") {
                reqs.push(Requirement::NotEquals(k.trim().into(), v.trim().into()));
            } else if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
                if k.trim().is_empty() {
                    return Err(bad());
                }
                reqs.push(Requirement::Equals(k.trim().into(), v.trim().into()));
            } else if let Some((k, rest)) = part.split_once(" notin ") {
                reqs.push(Requirement::NotIn(k.trim().into(), set_values(rest).ok_or_else(bad)?));
            } else if let Some((k, rest)) = part.split_once(" in ") {
                reqs.push(Requirement::In(k.trim().into(), set_values(rest).ok_or_else(bad)?));
            } else if part.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)) {
                reqs.push(Requirement::Exists(part.to_string()));
            } else {
                return Err(bad());
            }
        }
        Ok(Selector(reqs))
    }
}

fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn set_values(rest: &str) -> Option<Vec<String>> {
    let inner = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
    Some(
        inner
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

/// `metav1.LabelSelectorAsSelector`: None (a selector that matches nothing) for a missing or
/// null selector, and for one that does not parse (an unknown operator, `In` without values);
/// `{}` matches everything.
pub fn label_selector(v: Option<&Value>) -> Option<Selector> {
    let (mut reqs, expressions) = label_selector_parts(v.filter(|v| !v.is_null())?);
    for (key, operator, values) in expressions {
        reqs.push(match (operator, values.is_empty()) {
            ("In", false) => Requirement::In(key, values),
            ("NotIn", false) => Requirement::NotIn(key, values),
            ("Exists", true) => Requirement::Exists(key),
            ("DoesNotExist", true) => Requirement::DoesNotExist(key),
            _ => return None,
        });
    }
    Some(Selector(reqs))
}

/// One of a `metav1.LabelSelector`'s `matchExpressions`: key, operator, values.
type Expression<'a> = (String, &'a str, Vec<String>);

/// A `metav1.LabelSelector`'s `matchLabels` as equality requirements, and its
/// `matchExpressions` as written.
fn label_selector_parts(v: &Value) -> (Vec<Requirement>, Vec<Expression<'_>>) {
    let labels = v
        .string_map("matchLabels")
        .into_iter()
        .map(|(k, val)| Requirement::Equals(k, val))
        .collect();
    let expressions = v
        .get("matchExpressions")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .map(|e| {
            let values = e
                .get("values")
                .map(Value::as_list)
                .unwrap_or(&[])
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect();
            (e.str_at("key").to_string(), e.str_at("operator"), values)
        })
        .collect();
    (labels, expressions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn string_selectors() {
        let l = labels(&[("app", "nginx"), ("tier", "web")]);
        assert!(Selector::parse("app=nginx").unwrap().matches(&l));
        assert!(Selector::parse("app=nginx,tier!=db").unwrap().matches(&l));
        assert!(Selector::parse("tier in (web, api)").unwrap().matches(&l));
        assert!(!Selector::parse("tier notin (web)").unwrap().matches(&l));
        assert!(Selector::parse("app,!missing").unwrap().matches(&l));
        assert!(Selector::parse("").unwrap().matches(&l));
    }
}
