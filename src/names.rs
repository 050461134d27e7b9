//! Name and label validators with the API server's exact messages, and `field.Error` rendering.
//!
//! Ports (Kubernetes v1.34 era):
//! - `staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go`: IsDNS1123Label,
//!   IsDNS1123Subdomain, IsDNS1035Label, IsQualifiedName, IsValidLabelValue, IsValidPortNum,
//!   IsValidPortName, IsValidPercent, IsRelaxedEnvVarName, IsConfigMapKey, MaxLenError,
//!   RegexError, EmptyError, InclusiveRangeError; `pkg/api/validation/path/name.go`
//!   IsValidPathSegmentName. (In later releases the label-key/value checks moved to
//!   `pkg/api/validate/content`, whose MaxLenError says "bytes"; v1.34 still says "characters".)
//! - `staging/src/k8s.io/apimachinery/pkg/api/validation/generic.go`: NameIsDNSSubdomain,
//!   NameIsDNSLabel, NameIsDNS1035Label, maskTrailingDash; `objectmeta.go` ValidateObjectMeta
//!   ("name or generateName is required").
//! - `staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go` (v0.34.0): Error/ErrorBody
//!   and the constructors (TooLong as merged by kubernetes/kubernetes#128553). Since v0.34 ErrorBody
//!   prints every value that is not a string, integer, float or bool as its JSON (`json.Marshal`),
//!   so nil is `null`, a map `{"app":"web"}`, an internal API struct `{"Partition":0,...}`; the
//!   callers render such values with [`crate::api::validation::go_json`] into [`BadValue::Raw`].
//! - `staging/src/k8s.io/apimachinery/pkg/util/errors/errors.go` (aggregate) and
//!   `staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go` NewInvalid.
//!
//! Which kinds use which name rule: `pkg/apis/core/validation` (Pod, PVC, PV, ConfigMap, Secret,
//! ServiceAccount: DNS subdomain; Service: DNS-1035 label; Namespace: DNS label),
//! `pkg/apis/apps/validation/validation.go` ValidateStatefulSetName (DNS label since
//! kubernetes/kubernetes#114172), `pkg/apis/storage/validation` (StorageClass: subdomain).

use std::fmt;

pub const DNS1123_LABEL_MAX_LENGTH: usize = 63;
pub const DNS1123_SUBDOMAIN_MAX_LENGTH: usize = 253;
pub const DNS1035_LABEL_MAX_LENGTH: usize = 63;
pub const QUALIFIED_NAME_MAX_LENGTH: usize = 63;
pub const LABEL_VALUE_MAX_LENGTH: usize = 63;

pub const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
pub const DNS1123_LABEL_ERR_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
pub const DNS1123_SUBDOMAIN_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
pub const DNS1123_SUBDOMAIN_ERR_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
pub const DNS1035_LABEL_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
pub const DNS1035_LABEL_ERR_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
pub const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
pub const QUALIFIED_NAME_ERR_MSG: &str =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
pub const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
pub const LABEL_VALUE_ERR_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/// `MaxLenError`.
pub fn max_len_error(length: usize) -> String {
    format!("must be no more than {length} characters")
}

/// `RegexError`: each example is followed by `', ` and joined with ` or `, which yields the
/// upstream double space (`'my-name',  or '123-abc'`).
pub fn regex_error(msg: &str, re: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{re}')");
    }
    let quoted: Vec<String> = examples.iter().map(|e| format!("'{e}', ")).collect();
    format!(
        "{msg} (e.g. {}regex used for validation is '{re}')",
        quoted.join(" or ")
    )
}

/// `EmptyError`.
pub fn empty_error() -> &'static str {
    "must be non-empty"
}

/// `^first(middle*last)?$` over bytes, the shape of every regex here.
fn shape(b: &[u8], first: fn(u8) -> bool, mid: fn(u8) -> bool, last: fn(u8) -> bool) -> bool {
    match b {
        [f, rest @ ..] => first(*f) && rest.iter().all(|&c| mid(c)) && rest.last().is_none_or(|&l| last(l)),
        [] => false,
    }
}

fn lower_alnum(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn label_1123(b: &[u8]) -> bool {
    shape(b, lower_alnum, |c| lower_alnum(c) || c == b'-', lower_alnum)
}

fn subdomain_1123(b: &[u8]) -> bool {
    b.split(|&c| c == b'.').all(label_1123)
}

fn label_1035(b: &[u8]) -> bool {
    label_1123(b) && b[0].is_ascii_lowercase()
}

fn qualified_part(b: &[u8]) -> bool {
    let alnum = |c: u8| c.is_ascii_alphanumeric();
    shape(b, alnum, |c| c.is_ascii_alphanumeric() || b"-_.".contains(&c), alnum)
}

/// The common body of the `Is*` checks: length first, then the regex.
fn check(value: &str, max: usize, ok: bool, regex_msg: impl FnOnce() -> String) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > max {
        errs.push(max_len_error(max));
    }
    if !ok {
        errs.push(regex_msg());
    }
    errs
}

/// `IsDNS1123Label`.
pub fn is_dns1123_label(value: &str) -> Vec<String> {
    let b = value.as_bytes();
    check(value, DNS1123_LABEL_MAX_LENGTH, label_1123(b), || {
        if subdomain_1123(b) {
            // A valid subdomain but not a label: since length was checked, it must be dots.
            "must not contain dots".to_string()
        } else {
            regex_error(DNS1123_LABEL_ERR_MSG, DNS1123_LABEL_FMT, &["my-name", "123-abc"])
        }
    })
}

/// `IsDNS1123Subdomain`.
pub fn is_dns1123_subdomain(value: &str) -> Vec<String> {
    let ok = subdomain_1123(value.as_bytes());
    check(value, DNS1123_SUBDOMAIN_MAX_LENGTH, ok, || {
        regex_error(DNS1123_SUBDOMAIN_ERR_MSG, DNS1123_SUBDOMAIN_FMT, &["example.com"])
    })
}

/// `IsDNS1035Label`.
pub fn is_dns1035_label(value: &str) -> Vec<String> {
    check(value, DNS1035_LABEL_MAX_LENGTH, label_1035(value.as_bytes()), || {
        regex_error(DNS1035_LABEL_ERR_MSG, DNS1035_LABEL_FMT, &["my-name", "abc-123"])
    })
}

/// `IsQualifiedName`: label and annotation keys, `[prefix/]name`.
pub fn is_qualified_name(value: &str) -> Vec<String> {
    let regex = || {
        regex_error(
            QUALIFIED_NAME_ERR_MSG,
            QUALIFIED_NAME_FMT,
            &["MyName", "my.name", "123-abc"],
        )
    };
    let mut errs = Vec::new();
    let mut parts = value.splitn(3, '/');
    let name = match (parts.next(), parts.next(), parts.next()) {
        (Some(name), None, _) => name,
        (Some(prefix), Some(name), None) => {
            let prefix_errs = match prefix {
                "" => vec![empty_error().to_string()],
                _ => is_dns1123_subdomain(prefix),
            };
            errs.extend(prefix_errs.iter().map(|m| format!("prefix part {m}")));
            name
        }
        _ => {
            return vec![format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex()
            )]
        }
    };
    if name.is_empty() {
        errs.push(format!("name part {}", empty_error()));
    } else if name.len() > QUALIFIED_NAME_MAX_LENGTH {
        errs.push(format!("name part {}", max_len_error(QUALIFIED_NAME_MAX_LENGTH)));
    }
    if !qualified_part(name.as_bytes()) {
        errs.push(format!("name part {}", regex()));
    }
    errs
}

/// `IsValidLabelValue`.
pub fn is_valid_label_value(value: &str) -> Vec<String> {
    let ok = value.is_empty() || qualified_part(value.as_bytes());
    check(value, LABEL_VALUE_MAX_LENGTH, ok, || {
        regex_error(LABEL_VALUE_ERR_MSG, LABEL_VALUE_FMT, &["MyValue", "my_value", "12345"])
    })
}

/// `InclusiveRangeError`.
pub fn inclusive_range_error(lo: i64, hi: i64) -> String {
    format!("must be between {lo} and {hi}, inclusive")
}

/// `IsValidPortNum`: 1 to 65535.
pub fn is_valid_port_num(port: i64) -> Vec<String> {
    match port {
        1..=65535 => Vec::new(),
        _ => vec![inclusive_range_error(1, 65535)],
    }
}

/// `IsValidPortName` (IANA_SVC_NAME): one message per failing check, in upstream order.
pub fn is_valid_port_name(port: &str) -> Vec<String> {
    let b = port.as_bytes();
    let mut errs = Vec::new();
    if b.len() > 15 {
        errs.push(max_len_error(15));
    }
    if b.is_empty() || !b.iter().all(|&c| lower_alnum(c) || c == b'-') {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".into());
    }
    if !b.iter().any(u8::is_ascii_lowercase) {
        errs.push("must contain at least one letter (a-z)".into());
    }
    if port.contains("--") {
        errs.push("must not contain consecutive hyphens".into());
    }
    if b.first() == Some(&b'-') || b.last() == Some(&b'-') {
        errs.push("must not begin or end with a hyphen".into());
    }
    errs
}

/// `IsValidPercent`: `[0-9]+%`.
pub fn is_valid_percent(percent: &str) -> Vec<String> {
    match percent.strip_suffix('%') {
        Some(n) if !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()) => Vec::new(),
        _ => vec![regex_error(
            "a valid percent string must be a numeric string followed by an ending '%'",
            "[0-9]+%",
            &["1%", "93%"],
        )],
    }
}

/// `IsRelaxedEnvVarName` (RelaxedEnvironmentVariableValidation is GA and locked on in v1.34):
/// non-empty, printable ASCII other than '='.
pub fn is_relaxed_env_var_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.is_empty() {
        errs.push(format!("environment variable name {}", empty_error()));
    }
    if value.chars().any(|c| !(' '..='~').contains(&c) || c == '=') {
        errs.push(
            "a valid environment variable name must consist only of printable ASCII characters other than '='".into(),
        );
    }
    errs
}

/// `IsConfigMapKey`: a key of a ConfigMap or Secret.
pub fn is_config_map_key(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX_LENGTH {
        errs.push(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    let ok = !value.is_empty() && value.bytes().all(|c| c.is_ascii_alphanumeric() || b"-._".contains(&c));
    if !ok {
        errs.push(regex_error(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            "[-._a-zA-Z0-9]+",
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    match value {
        "." => errs.push("must not be '.'".into()),
        ".." => errs.push("must not be '..'".into()),
        v if v.starts_with("..") => errs.push("must not start with '..'".into()),
        _ => {}
    }
    errs
}

/// `IsValidPathSegmentName` (`pkg/api/validation/path/name.go`), or `IsValidPathSegmentPrefix`
/// for a `generateName`: the only name rule of a PodDisruptionBudget.
pub fn is_valid_path_segment_name(name: &str, prefix: bool) -> Vec<String> {
    if !prefix {
        if let Some(bad) = [".", ".."].into_iter().find(|b| name == *b) {
            return vec![format!("may not be '{bad}'")];
        }
    }
    ["/", "%"]
        .into_iter()
        .filter(|bad| name.contains(bad))
        .map(|bad| format!("may not contain '{bad}'"))
        .collect()
}

/// `maskTrailingDash`, applied when `prefix` (a `generateName`): with a trailing '-' and more
/// than one byte, the last *two* bytes become "a" (sic, upstream).
fn masked(name: &str, prefix: bool) -> String {
    match name.as_bytes() {
        [head @ .., _, b'-'] if prefix => format!("{}a", String::from_utf8_lossy(head)),
        _ => name.to_string(),
    }
}

/// `NameIsDNSSubdomain`; `prefix` is true for `generateName`.
pub fn name_is_dns_subdomain(name: &str, prefix: bool) -> Vec<String> {
    is_dns1123_subdomain(&masked(name, prefix))
}

/// `NameIsDNSLabel`.
pub fn name_is_dns_label(name: &str, prefix: bool) -> Vec<String> {
    is_dns1123_label(&masked(name, prefix))
}

/// `NameIsDNS1035Label`.
pub fn name_is_dns1035_label(name: &str, prefix: bool) -> Vec<String> {
    is_dns1035_label(&masked(name, prefix))
}

/// The `ValidateNameFunc` a kind's `ValidateObjectMeta` call uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameRule {
    DnsSubdomain,
    DnsLabel,
    Dns1035Label,
}

impl NameRule {
    /// Service: DNS-1035 label; Namespace and StatefulSet: DNS label; everything else the
    /// simulator knows (Pod, PVC, PV, StorageClass, ConfigMap, Secret, ...): DNS subdomain.
    pub fn for_kind(kind: &str) -> NameRule {
        match kind {
            "Service" => NameRule::Dns1035Label,
            "Namespace" | "StatefulSet" => NameRule::DnsLabel,
            _ => NameRule::DnsSubdomain,
        }
    }

    pub fn check(self, name: &str, prefix: bool) -> Vec<String> {
        match self {
            NameRule::DnsSubdomain => name_is_dns_subdomain(name, prefix),
            NameRule::DnsLabel => name_is_dns_label(name, prefix),
            NameRule::Dns1035Label => name_is_dns1035_label(name, prefix),
        }
    }
}

/// The name part of `ValidateObjectMeta` for `kind`, as field errors under `metadata`.
pub fn validate_object_meta_name(kind: &str, name: &str, generate_name: &str) -> Vec<FieldError> {
    let rule = NameRule::for_kind(kind);
    let invalid = |field: &str, value: &str, prefix: bool| -> Vec<FieldError> {
        let value_of = || BadValue::Str(value.into());
        let msgs = rule.check(value, prefix).into_iter();
        msgs.map(|m| FieldError::invalid(field, value_of(), &m)).collect()
    };
    let mut errs = Vec::new();
    if !generate_name.is_empty() {
        errs = invalid("metadata.generateName", generate_name, true);
    }
    if name.is_empty() {
        errs.push(FieldError::required(
            "metadata.name",
            "name or generateName is required",
        ));
    } else {
        errs.extend(invalid("metadata.name", name, false));
    }
    errs
}

/// `field.ErrorType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorType {
    NotFound,
    Required,
    Duplicate,
    Invalid,
    NotSupported,
    Forbidden,
    TooLong,
    TooMany,
    Internal,
    TypeInvalid,
}

/// (`ErrorType.String()`, the StatusCause `reason`), in `ErrorType` order.
const ERROR_TYPES: [(&str, &str); 10] = [
    ("Not found", "FieldValueNotFound"),
    ("Required value", "FieldValueRequired"),
    ("Duplicate value", "FieldValueDuplicate"),
    ("Invalid value", "FieldValueInvalid"),
    ("Unsupported value", "FieldValueNotSupported"),
    ("Forbidden", "FieldValueForbidden"),
    ("Too long", "FieldValueTooLong"),
    ("Too many", "FieldValueTooMany"),
    ("Internal error", "InternalError"),
    ("Invalid value", "FieldValueTypeInvalid"),
];

impl ErrorType {
    /// `ErrorType.String()`: `Invalid value`, `Required value`, ...
    pub fn message(self) -> &'static str {
        ERROR_TYPES[self as usize].0
    }

    /// The `reason` of the StatusCause: `FieldValueInvalid`, ...
    pub fn reason(self) -> &'static str {
        ERROR_TYPES[self as usize].1
    }
}

/// `Error.BadValue`, printed as ErrorBody does: strings `%q`, ints and bools `%v`, nil as the
/// JSON `null`; `Raw` as is (a value already rendered as its JSON); `Omitted` not at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BadValue {
    Str(String),
    Int(i64),
    Bool(bool),
    Null,
    Raw(String),
    Omitted,
}

/// `field.Error`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub error_type: ErrorType,
    pub field: String,
    pub bad_value: BadValue,
    pub detail: String,
}

impl FieldError {
    fn new(error_type: ErrorType, field: &str, value: BadValue, detail: &str) -> Self {
        let (field, detail) = (field.to_string(), detail.to_string());
        FieldError {
            error_type,
            field,
            bad_value: value,
            detail,
        }
    }
    pub fn invalid(field: &str, value: BadValue, detail: &str) -> Self {
        Self::new(ErrorType::Invalid, field, value, detail)
    }
    pub fn required(field: &str, detail: &str) -> Self {
        Self::new(ErrorType::Required, field, BadValue::Omitted, detail)
    }
    pub fn forbidden(field: &str, detail: &str) -> Self {
        Self::new(ErrorType::Forbidden, field, BadValue::Omitted, detail)
    }
    pub fn not_found(field: &str, value: BadValue) -> Self {
        Self::new(ErrorType::NotFound, field, value, "")
    }
    pub fn duplicate(field: &str, value: BadValue) -> Self {
        Self::new(ErrorType::Duplicate, field, value, "")
    }
    /// `NotSupported`: detail `supported values: "a", "b"` (none when the list is empty).
    pub fn not_supported(field: &str, value: BadValue, valid: &[&str]) -> Self {
        let quoted: Vec<String> = valid.iter().map(|v| go_quote(v)).collect();
        let detail = match quoted.is_empty() {
            true => String::new(),
            false => format!("supported values: {}", quoted.join(", ")),
        };
        Self::new(ErrorType::NotSupported, field, value, &detail)
    }
    /// `TooLong`: the value is never shown; a negative max gives "value is too long"; a max of
    /// 1 says "byte".
    pub fn too_long(field: &str, max_length: i64) -> Self {
        let detail = match max_length {
            1 => "may not be more than 1 byte".to_string(),
            0.. => format!("may not be more than {max_length} bytes"),
            _ => "value is too long".to_string(),
        };
        Self::new(ErrorType::TooLong, field, BadValue::Omitted, &detail)
    }
    /// `TooMany`: a negative `actual` omits the count, a negative `max` the limit; a max of 1
    /// says "item".
    pub fn too_many(field: &str, actual: i64, max: i64) -> Self {
        let detail = match max {
            1 => "must have at most 1 item".to_string(),
            0.. => format!("must have at most {max} items"),
            _ => "has too many items".to_string(),
        };
        let value = if actual >= 0 {
            BadValue::Int(actual)
        } else {
            BadValue::Omitted
        };
        Self::new(ErrorType::TooMany, field, value, &detail)
    }
    pub fn internal(field: &str, detail: &str) -> Self {
        Self::new(ErrorType::Internal, field, BadValue::Null, detail)
    }

    /// `ErrorBody()`: the message without the field path. Required, Forbidden, TooLong and
    /// Internal never show the value.
    pub fn body(&self) -> String {
        use ErrorType::*;
        let hidden = matches!(self.error_type, Required | Forbidden | TooLong | Internal);
        let value = match &self.bad_value {
            _ if hidden => String::new(),
            BadValue::Str(v) => format!(": {}", go_quote(v)),
            BadValue::Int(i) => format!(": {i}"),
            BadValue::Bool(b) => format!(": {b}"),
            BadValue::Null => ": null".to_string(),
            BadValue::Raw(r) => format!(": {r}"),
            BadValue::Omitted => String::new(),
        };
        let detail = if self.detail.is_empty() {
            String::new()
        } else {
            format!(": {}", self.detail)
        };
        format!("{}{value}{detail}", self.error_type.message())
    }
}

impl fmt::Display for FieldError {
    /// `Error()`: `<field>: <body>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.body())
    }
}

/// `path: Invalid value: "x": detail`. `value_repr` is the raw string; it is `%q`-quoted here.
pub fn field_error_invalid(path: &str, value_repr: &str, detail: &str) -> String {
    FieldError::invalid(path, BadValue::Str(value_repr.into()), detail).to_string()
}
/// `path: Invalid value: 5: detail` (ints print bare).
pub fn field_error_invalid_int(path: &str, value: i64, detail: &str) -> String {
    FieldError::invalid(path, BadValue::Int(value), detail).to_string()
}
/// `path: Required value`, or `path: Required value: detail`.
pub fn field_error_required(path: &str, detail: &str) -> String {
    FieldError::required(path, detail).to_string()
}
/// `path: Forbidden: detail`.
pub fn field_error_forbidden(path: &str, detail: &str) -> String {
    FieldError::forbidden(path, detail).to_string()
}
/// `path: Unsupported value: "x": supported values: "a", "b"`.
pub fn field_error_not_supported(path: &str, value: &str, supported: &[&str]) -> String {
    FieldError::not_supported(path, BadValue::Str(value.into()), supported).to_string()
}
/// `path: Not found: "x"`.
pub fn field_error_not_found(path: &str, value: &str) -> String {
    FieldError::not_found(path, BadValue::Str(value.into())).to_string()
}
/// `path: Duplicate value: "x"`.
pub fn field_error_duplicate(path: &str, value: &str) -> String {
    FieldError::duplicate(path, BadValue::Str(value.into())).to_string()
}
/// `path: Too long: may not be more than N bytes`.
pub fn field_error_too_long(path: &str, max_length: i64) -> String {
    FieldError::too_long(path, max_length).to_string()
}
/// `path: Too many: 5: must have at most 3 items`.
pub fn field_error_too_many(path: &str, actual: i64, max: i64) -> String {
    FieldError::too_many(path, actual, max).to_string()
}
/// `path: Internal error: detail`.
pub fn field_error_internal(path: &str, detail: &str) -> String {
    FieldError::internal(path, detail).to_string()
}

/// `ErrorList.ToAggregate().Error()`: duplicates dropped, one message alone, else `[a, b]`.
pub fn aggregate(messages: &[String]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for m in messages.iter().map(String::as_str) {
        if !seen.contains(&m) {
            seen.push(m);
        }
    }
    match seen[..] {
        [one] => one.to_string(),
        _ if seen.is_empty() => String::new(),
        _ => format!("[{}]", seen.join(", ")),
    }
}

/// `apierrors.NewInvalid` message: `StatefulSet.apps "web.1" is invalid: ...`; the qualified
/// kind is `Kind` for the core group and `Kind.group` otherwise.
pub fn invalid_object_message(qualified_kind: &str, name: &str, errors: &[FieldError]) -> String {
    let msgs: Vec<String> = errors.iter().map(FieldError::to_string).collect();
    let head = format!("{qualified_kind} {} is invalid", go_quote(name));
    match msgs.is_empty() {
        true => head,
        false => format!("{head}: {}", aggregate(&msgs)),
    }
}

const CONTROL: &str = "\u{7}\u{8}\t\n\u{b}\u{c}\r";
const ESCAPE: &[u8] = b"abtnvfr";

/// Go's `strconv.Quote` (`%q`). Printability approximates `unicode.IsPrint`: controls, non-ASCII
/// spaces, common format characters, private-use and non-characters are escaped.
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        let u = c as u32;
        match c {
            '"' | '\\' => out.extend(['\\', c]),
            c if CONTROL.contains(c) => out.extend(['\\', ESCAPE[CONTROL.find(c).unwrap_or(0)] as char]),
            c if is_go_printable(c) => out.push(c),
            _ if u < 0x80 => out.push_str(&format!("\\x{u:02x}")),
            _ if u < 0x10000 => out.push_str(&format!("\\u{u:04x}")),
            _ => out.push_str(&format!("\\U{u:08x}")),
        }
    }
    out.push('"');
    out
}

fn is_go_printable(c: char) -> bool {
    let u = c as u32;
    let format_chars = matches!(u, 0xAD | 0x600..=0x605 | 0x200B..=0x200F | 0x202A..=0x202E);
    let special = matches!(u, 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0xE000..=0xF8FF);
    let private_or_nonchar = u >= 0xF0000 || u & 0xFFFE == 0xFFFE;
    !(c.is_control() || (c.is_whitespace() && c != ' ') || format_chars || special || private_or_nonchar)
}

#[cfg(test)]
#[rustfmt::skip]
mod tests {
    use super::*;

    const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    const DNS1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    fn a(n: usize) -> String { "a".repeat(n) }
    fn all(f: fn(&str) -> Vec<String>, good: &[&str], bad: &[&str]) {
        for v in good { assert!(f(v).is_empty(), "expected valid: {v:?}: {:?}", f(v)); }
        for v in bad { assert!(!f(v).is_empty(), "expected invalid: {v:?}"); }
    }

    #[test]
    fn dns1123_label_upstream_cases() {
        all(is_dns1123_label,
            &["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2", &a(63)],
            &["", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b", "1_",
              "_1", "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2", " ", "a ", " a", "a b", "1 ", " 1", "1 2", &a(64)]);
        assert_eq!(is_dns1123_label("web_1"), [LABEL_MSG]);
        assert_eq!(is_dns1123_label("web.1"), ["must not contain dots"]);
        assert_eq!(is_dns1123_label(&a(64)), ["must be no more than 63 characters"]);
        assert_eq!(is_dns1123_label(&format!("{}-", a(64))), ["must be no more than 63 characters", LABEL_MSG]);
    }

    #[test]
    fn dns1123_subdomain_and_1035_upstream_cases() {
        all(is_dns1123_subdomain,
            &["a", "a--1--2--b", "0.a", "1-a.a", "a.1", "a.b.c.d.e", "11.22.33.44.55", &a(253)],
            &["", "A", "-", "a-", "_a", ".", "a.", ".a", "a..b", "1..2", "a b", "A.a", "aB.a", "a@b", "a:b", &a(254)]);
        assert_eq!(is_dns1123_subdomain("My.Pod"), [SUBDOMAIN_MSG]);
        assert_eq!(is_dns1123_subdomain(&a(254))[0], "must be no more than 253 characters");
        all(is_dns1035_label, &["a", "ab", "a-1", "a--1--2--b", &a(63)],
            &["0", "01", "1a", "1-a", "", "A", "aBc", "-", "a-", "-a", "a_b", "a.b", "a b", &a(64)]);
        assert_eq!(is_dns1035_label("1web"), [DNS1035_MSG]);
    }

    #[test]
    fn qualified_names_and_label_values() {
        all(is_qualified_name,
            &["simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple", "now.with.dots/simple",
              "1-num.2-num/3-num", "1.2.3.4/5678", "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123",
              "requests.storage-foo", &a(63), &format!("{}/{}", a(253), "b".repeat(63))],
            &["nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-", "only/one/slash", "Example.com/abc",
              "example_com/abc", "example.com/", "/simple", &a(64), &format!("{}/abc", a(254))]);
        assert_eq!(is_qualified_name("/simple"), ["prefix part must be non-empty"]);
        assert_eq!(is_qualified_name("example.com/"), ["name part must be non-empty",
            "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"]);
        let three = &is_qualified_name("a/b/c")[0];
        assert!(three.starts_with("a qualified name must consist of alphanumeric characters"), "{three}");
        assert!(three.ends_with(" with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"));
        assert_eq!(is_qualified_name("Example.com/abc"), [format!("prefix part {SUBDOMAIN_MSG}")]);
        assert_eq!(is_qualified_name(&a(64))[0], "name part must be no more than 63 characters");
        all(is_valid_label_value, &["simple", "now-with-dashes", "end-with-num-1", "1234", "", &a(63)],
            &["nospecialchars%^=@", "Tama-nui-te-rā.is.Māori.sun", "\\backslashes\\are\\bad", "-starts-with-dash",
              "ends-with-dash-", ".starts.with.dot", "ends.with.dot.", &a(64)]);
        assert_eq!(is_valid_label_value("-x"), ["a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]);
    }

    #[test]
    fn name_rules_per_kind_and_object_meta() {
        assert_eq!(NameRule::for_kind("Service"), NameRule::Dns1035Label);
        assert_eq!((NameRule::for_kind("StatefulSet"), NameRule::for_kind("Namespace")), (NameRule::DnsLabel, NameRule::DnsLabel));
        for k in ["Pod", "PersistentVolumeClaim", "PersistentVolume", "StorageClass", "ConfigMap"] {
            assert_eq!(NameRule::for_kind(k), NameRule::DnsSubdomain);
        }
        assert!(name_is_dns_label("web-", true).is_empty(), "generateName may end in '-'");
        assert!(!name_is_dns_label("web-", false).is_empty());
        assert!(!name_is_dns_subdomain("-", true).is_empty(), "a lone '-' is not masked");
        assert_eq!(name_is_dns_subdomain("é-", true).len(), 1, "no panic on multibyte");
        let errs = validate_object_meta_name("StatefulSet", "web.1", "");
        assert_eq!(errs[0].to_string(), "metadata.name: Invalid value: \"web.1\": must not contain dots");
        assert_eq!(validate_object_meta_name("Pod", "", "")[0].to_string(), "metadata.name: Required value: name or generateName is required");
        assert_eq!(validate_object_meta_name("Service", "1web", "")[0].to_string(), format!("metadata.name: Invalid value: \"1web\": {DNS1035_MSG}"));
        assert_eq!(validate_object_meta_name("Pod", "", "Web-")[0].to_string(), format!("metadata.generateName: Invalid value: \"Web-\": {SUBDOMAIN_MSG}"));
        assert!(validate_object_meta_name("Pod", "web.1", "web-").is_empty());
        assert_eq!(invalid_object_message("StatefulSet.apps", "web.1", &errs),
            "StatefulSet.apps \"web.1\" is invalid: metadata.name: Invalid value: \"web.1\": must not contain dots");
        assert_eq!(invalid_object_message("Pod", "x", &[]), "Pod \"x\" is invalid");
    }

    #[test]
    fn field_error_rendering_matches_errors_go() {
        assert_eq!(field_error_invalid("spec.replicas", "x", "must be an integer"), "spec.replicas: Invalid value: \"x\": must be an integer");
        assert_eq!(field_error_invalid_int("bla", 2, "details"), "bla: Invalid value: 2: details");
        // errors_test.go "invalid untyped nil" and "invalid typed nil" (v0.34).
        assert_eq!(FieldError::invalid("bla", BadValue::Null, "details").body(), "Invalid value: null: details");
        assert_eq!(FieldError::invalid("bla", BadValue::Raw("stringer".into()), "details").body(), "Invalid value: stringer: details");
        assert_eq!(FieldError::invalid("f", BadValue::Bool(true), "").body(), "Invalid value: true");
        assert_eq!(FieldError::invalid("f", BadValue::Omitted, "d").body(), "Invalid value: d");
        assert_eq!(FieldError::not_supported("f", BadValue::Str("v".into()), &["a", "b", "c"]).body(),
            "Unsupported value: \"v\": supported values: \"a\", \"b\", \"c\"");
        assert_eq!(field_error_not_supported("spec.podManagementPolicy", "Serial", &["OrderedReady", "Parallel"]),
            "spec.podManagementPolicy: Unsupported value: \"Serial\": supported values: \"OrderedReady\", \"Parallel\"");
        assert_eq!(field_error_not_supported("f", "v", &[]), "f: Unsupported value: \"v\"");
        assert_eq!(field_error_required("spec.selector", ""), "spec.selector: Required value");
        assert_eq!(field_error_forbidden("spec", "updates are forbidden"), "spec: Forbidden: updates are forbidden");
        assert_eq!(field_error_not_found("spec.volumeName", "pv-1"), "spec.volumeName: Not found: \"pv-1\"");
        assert_eq!(field_error_duplicate("spec.ports[1].name", "web"), "spec.ports[1].name: Duplicate value: \"web\"");
        assert_eq!(field_error_too_long("metadata.annotations", 262144), "metadata.annotations: Too long: may not be more than 262144 bytes");
        assert_eq!(field_error_too_long("f", -1), "f: Too long: value is too long");
        assert_eq!(field_error_too_long("f", 1), "f: Too long: may not be more than 1 byte");
        assert_eq!(field_error_too_many("f", 2, 1), "f: Too many: 2: must have at most 1 item");
        assert_eq!(field_error_too_many("spec.items", 5, 3), "spec.items: Too many: 5: must have at most 3 items");
        assert_eq!(field_error_too_many("spec.items", -1, -1), "spec.items: Too many: has too many items");
        assert_eq!(field_error_internal("spec", "boom"), "spec: Internal error: boom");
        assert_eq!((ErrorType::TooLong.reason(), ErrorType::TypeInvalid.message()), ("FieldValueTooLong", "Invalid value"));
        assert_eq!(aggregate(&["a".into(), "a".into()]), "a");
        assert_eq!(aggregate(&["a".into(), "b".into(), "a".into()]), "[a, b]");
        assert_eq!(go_quote("a\"b\\c\n\t\u{0}\u{7}\u{7f}é\u{a0}\u{200b}\u{1F600}\u{10FFFF}"),
            "\"a\\\"b\\\\c\\n\\t\\x00\\a\\x7fé\\u00a0\\u200b\u{1F600}\\U0010ffff\"");
    }

    #[test]
    fn random_inputs_never_panic() {
        let alphabet: Vec<char> = "abz09-._/AZ é\u{0}%\u{200b}".chars().collect();
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || { x ^= x << 13; x ^= x >> 7; x ^= x << 17; x };
        for _ in 0..20_000 {
            let len = (next() % 70) as usize;
            let s: String = (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
            let label_ok = is_dns1123_label(&s).is_empty();
            assert!(!label_ok || is_dns1123_subdomain(&s).is_empty(), "a label is a subdomain: {s:?}");
            assert!(!is_dns1035_label(&s).is_empty() || label_ok, "a DNS-1035 label is an RFC 1123 label");
            let _ = (is_qualified_name(&s), is_valid_label_value(&s), go_quote(&s));
            for kind in ["Pod", "Service", "StatefulSet"] {
                let _ = validate_object_meta_name(kind, &s, &s);
            }
        }
    }
}
