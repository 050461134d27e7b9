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

/// Every malformed quantity of `obj`, in document order.
pub fn bad(kind: Kind, obj: &Value) -> Vec<BadQuantity> {
    let mut out = Vec::new();
    match kind {
        Kind::PersistentVolumeClaim => claim_spec(obj.get("spec"), &|| "spec".into(), &mut out),
        Kind::PersistentVolume => resource_map(obj.at("spec.capacity"), &|| "spec.capacity".into(), &mut out),
        Kind::Pod => pod_spec(obj.get("spec"), &|| "spec".into(), &mut out),
        Kind::StatefulSet | Kind::Deployment | Kind::ReplicaSet | Kind::DaemonSet => {
            pod_spec(obj.at("spec.template.spec"), &|| "spec.template.spec".into(), &mut out);
            for (i, t) in items(obj.at("spec.volumeClaimTemplates")).iter().enumerate() {
                claim_spec(
                    t.get("spec"),
                    &|| format!("spec.volumeClaimTemplates[{i}].spec"),
                    &mut out,
                );
            }
        }
        _ => {}
    }
    out
}

/// The API server's decode error for the first malformed quantity, if any.
pub fn decode_error(kind: Kind, obj: &Value) -> Option<String> {
    let first = bad(kind, obj).into_iter().next()?;
    let info = kind.info();
    let version = info.api_version.rsplit('/').next().unwrap_or(info.api_version);
    Some(crate::quantity::decode_error(info.name, version, first.error))
}

fn items(v: Option<&Value>) -> &[Value] {
    v.map(Value::as_list).unwrap_or(&[])
}

/// A field path, written out only for a malformed quantity (every create decodes quantities).
type Path<'a> = &'a dyn Fn() -> String;

fn claim_spec(spec: Option<&Value>, path: Path, out: &mut Vec<BadQuantity>) {
    let Some(spec) = spec else { return };
    for part in ["requests", "limits"] {
        resource_map(
            spec.get("resources").and_then(|r| r.get(part)),
            &|| format!("{}.resources.{part}", path()),
            out,
        );
    }
}

fn pod_spec(spec: Option<&Value>, path: Path, out: &mut Vec<BadQuantity>) {
    let Some(spec) = spec else { return };
    for list in ["initContainers", "containers"] {
        for (i, c) in items(spec.get(list)).iter().enumerate() {
            for part in ["requests", "limits"] {
                resource_map(
                    c.get("resources").and_then(|r| r.get(part)),
                    &|| format!("{}.{list}[{i}].resources.{part}", path()),
                    out,
                );
            }
        }
    }
    for (i, v) in items(spec.get("volumes")).iter().enumerate() {
        if let Some(q) = v.at("emptyDir.sizeLimit") {
            check(q, &|| format!("{}.volumes[{i}].emptyDir.sizeLimit", path()), out);
        }
    }
}

/// A `ResourceList`: each value a quantity.
fn resource_map(map: Option<&Value>, path: Path, out: &mut Vec<BadQuantity>) {
    let Some(map) = map.and_then(Value::as_map) else { return };
    for (name, q) in map.iter() {
        check(q, &|| format!("{}[{name}]", path()), out);
    }
}

fn check(q: &Value, path: Path, out: &mut Vec<BadQuantity>) {
    let text = |q: &Value| match q {
        Value::Str(s) => s.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        other => other.to_json(),
    };
    let parsed = match q {
        Value::Str(s) => Quantity::parse(s),
        Value::Null => return,
        other => Quantity::parse(&text(other)),
    };
    if let Err(error) = parsed {
        let text = text(q);
        out.push(BadQuantity {
            path: path(),
            text,
            error,
        });
    }
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
