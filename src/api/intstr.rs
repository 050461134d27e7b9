//! `IntOrString` fields (`maxSurge`, `maxUnavailable`, `minAvailable`): a count or a percentage
//! (`k8s.io/apimachinery/pkg/util/intstr`).

use crate::value::Value;

/// `GetScaledValueFromIntOrPercent`: the count, or the percentage of `total` rounded up or
/// down. None for a string that is not a percentage (upstream returns an error).
pub fn scaled(v: &Value, total: i64, round_up: bool) -> Option<i64> {
    if let Some(i) = v.as_i64() {
        return Some(i);
    }
    let pct: i64 = v.as_str()?.strip_suffix('%')?.parse().ok()?;
    Some(if round_up {
        (pct * total + 99) / 100
    } else {
        pct * total / 100
    })
}

/// `IntOrString.String()`, as kubectl prints it (`25%`, `1`).
pub fn text(v: &Value) -> String {
    v.as_i64()
        .map_or_else(|| v.as_str().unwrap_or("").to_string(), |i| i.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_percentages() {
        assert_eq!(scaled(&Value::Int(2), 10, true), Some(2));
        assert_eq!(scaled(&Value::Str("25%".into()), 1, true), Some(1));
        assert_eq!(scaled(&Value::Str("25%".into()), 1, false), Some(0));
        assert_eq!(scaled(&Value::Str("25".into()), 4, true), None);
        assert_eq!(text(&Value::Str("25%".into())), "25%");
        assert_eq!(text(&Value::Int(1)), "1");
    }
}
