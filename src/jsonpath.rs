//! Placeholder until the JSONPath module lands.
use crate::value::Value;
/// Evaluate a kubectl JSONPath template.
pub fn render(_template: &str, _input: &Value) -> Result<String, String> {
    Err("error: jsonpath is not available yet".into())
}
