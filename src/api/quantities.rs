//! The `resource.Quantity` fields of the kinds the playground serves. The API server decodes
//! them before it validates anything, so a malformed one (`1GB`, `10 Gi`) fails the whole
//! request with a decode error and no field path (`PersistentVolumeClaim in version "v1" cannot
//! be handled as a PersistentVolumeClaim: quantities must match the regular expression …`).
//! The linter uses the same walk to put the error on the exact value.

use crate::api::resources::Kind;
use crate::quantity::{Quantity, QuantityError};
use crate::value::Value;

/// A malformed quantity: the field path (`spec.resources.requests[storage]`), the text and why.
#[derive(Debug, Clone, PartialEq)]
pub struct BadQuantity {
    pub path: String,
    pub text: String,
    pub error: QuantityError,
}

/// Where a kind keeps `resource.Quantity` values, as patterns: `[*]` is every item of a list,
/// a trailing `[]` every value of a `ResourceList` map. Both walks below read this one table.
fn places(kind: Kind) -> Vec<String> {
    const POD: [&str; 5] = [
        "initContainers[*].resources.requests[]",
        "initContainers[*].resources.limits[]",
        "containers[*].resources.requests[]",
        "containers[*].resources.limits[]",
        "volumes[*].emptyDir.sizeLimit",
    ];
    const CLAIM: [&str; 2] = ["resources.requests[]", "resources.limits[]"];
    let under = |prefix: &str, rest: &[&str]| rest.iter().map(|r| format!("{prefix}.{r}")).collect::<Vec<_>>();
    let mut out = Vec::new();
    if let Some(spec) = kind.pod_spec_path() {
        out.extend(under(spec, &POD));
    }
    match kind {
        Kind::PersistentVolumeClaim => out.extend(under("spec", &CLAIM)),
        Kind::StatefulSet => out.extend(under("spec.volumeClaimTemplates[*].spec", &CLAIM)),
        Kind::PersistentVolume => out.push("spec.capacity[]".into()),
        Kind::Node => out.extend(["status.capacity[]".to_string(), "status.allocatable[]".into()]),
        _ => {}
    }
    out
}

/// One step of a place pattern.
#[derive(Clone, Copy)]
enum Step<'a> {
    Field(&'a str),
    Items,
    Entries,
}

fn steps(pattern: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    for part in pattern.split('.') {
        let (name, suffix) = match part.find('[') {
            Some(i) => part.split_at(i),
            None => (part, ""),
        };
        out.push(Step::Field(name));
        match suffix {
            "[*]" => out.push(Step::Items),
            "[]" => out.push(Step::Entries),
            _ => {}
        }
    }
    out
}

/// Call `f` with the field path (`spec.containers[0].resources.limits[cpu]`) and value of every
/// quantity the pattern reaches.
fn visit(v: &Value, steps: &[Step], path: &mut String, f: &mut dyn FnMut(&str, &Value)) {
    let Some((step, rest)) = steps.split_first() else {
        return f(path, v);
    };
    let len = path.len();
    match *step {
        Step::Field(name) => {
            if let Some(next) = v.get(name) {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(name);
                visit(next, rest, path, f);
            }
        }
        Step::Items => {
            for (i, item) in v.as_list().iter().enumerate() {
                path.push_str(&format!("[{i}]"));
                visit(item, rest, path, f);
                path.truncate(len);
            }
        }
        Step::Entries => {
            for (name, item) in v.as_map().into_iter().flat_map(|m| m.iter()) {
                path.push_str(&format!("[{name}]"));
                visit(item, rest, path, f);
                path.truncate(len);
            }
        }
    }
    path.truncate(len);
}

/// The same walk with mutable access.
fn visit_mut(v: &mut Value, steps: &[Step], f: &mut dyn FnMut(&mut Value)) {
    let Some((step, rest)) = steps.split_first() else {
        return f(v);
    };
    match *step {
        Step::Field(name) => {
            if let Some(next) = v.map_mut().and_then(|m| m.get_mut(name)) {
                visit_mut(next, rest, f);
            }
        }
        Step::Items => v
            .list_mut()
            .into_iter()
            .flatten()
            .for_each(|item| visit_mut(item, rest, f)),
        Step::Entries => {
            if let Some(m) = v.map_mut() {
                m.values_mut().for_each(|item| visit_mut(item, rest, f));
            }
        }
    }
}

/// The text of a quantity field as the decoder reads it (YAML numbers too: `cpu: 0.5`).
pub fn text(q: &Value) -> Option<String> {
    match q {
        Value::Str(s) => Some(s.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Null => None,
        other => Some(other.to_json()),
    }
}

/// Every malformed quantity of `obj`, in document order.
pub fn bad(kind: Kind, obj: &Value) -> Vec<BadQuantity> {
    let mut out = Vec::new();
    for place in places(kind) {
        visit(obj, &steps(&place), &mut String::new(), &mut |path, q| {
            if let Some(Err(error)) = text(q).map(|t| Quantity::parse(&t).map_err(|e| (e, t))) {
                let (error, text) = error;
                out.push(BadQuantity {
                    path: path.to_string(),
                    text,
                    error,
                });
            }
        });
    }
    out
}

/// Every quantity as the API server stores it: decoded and written back in canonical form
/// (`Quantity.String()`: `0.5` is `500m`, `1.5Gi` is `1536Mi`, `1000m` is `1`), as
/// `kubectl get -o yaml` then shows it. Malformed ones were refused by the decode before.
pub fn canonicalize(kind: Kind, obj: &mut Value) {
    let stored = |q: &Value| {
        let parsed = Quantity::parse(&text(q)?).ok()?.to_string();
        (q.as_str() != Some(parsed.as_str())).then_some(parsed)
    };
    for place in places(kind) {
        let steps = steps(&place);
        // Look first: a mutable walk copies the shared maps it passes through.
        let mut differs = false;
        visit(obj, &steps, &mut String::new(), &mut |_, q| {
            differs |= stored(q).is_some()
        });
        if differs {
            visit_mut(obj, &steps, &mut |q| {
                if let Some(text) = stored(q) {
                    *q = Value::Str(text.into());
                }
            });
        }
    }
}

/// The API server's decode error for the first malformed quantity, if any.
pub fn decode_error(kind: Kind, obj: &Value) -> Option<String> {
    let first = bad(kind, obj).into_iter().next()?;
    let info = kind.info();
    let version = info.api_version.rsplit('/').next().unwrap_or(info.api_version);
    Some(crate::quantity::decode_error(info.name, version, first.error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_gb_in_a_claim_template() {
        let set = crate::yaml::value_of(
            "spec:\n  volumeClaimTemplates:\n  - spec:\n      resources:\n        requests:\n          storage: 1GB\n",
        );
        let found = bad(Kind::StatefulSet, &set);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].path,
            "spec.volumeClaimTemplates[0].spec.resources.requests[storage]"
        );
        assert_eq!(found[0].error, QuantityError::FormatWrong);
        assert_eq!(
            decode_error(Kind::StatefulSet, &set).as_deref(),
            Some("StatefulSet in version \"v1\" cannot be handled as a StatefulSet: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
        );
    }
}
