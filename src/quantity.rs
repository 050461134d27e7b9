//! Kubernetes `resource.Quantity`: exact parsing, comparison and canonical printing.
//!
//! A port of `staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go` (ParseQuantity,
//! parseQuantityString, CanonicalizeBytes, String) and `suffix.go` (the suffix tables).
//! Values are held exactly as `mantissa × 10^scale` (normalised: no trailing zero digit, at
//! most 38 digits), so `1Gi`, `1.5Gi`, `100m`, `1e3` and `12E` are all exact.
//!
//! Upstream behaviour kept on purpose:
//! - values finer than 1n are rounded *up* (away from zero) to 1n: `0.9n` is `1n`;
//! - BinarySI values are capped at 2^63-1 (`9Ei` parses to `9223372036854775807`);
//! - a BinarySI value strictly between 0 and 1 becomes DecimalSI (`.000000000001Ki` is `2n`);
//! - the input string is kept verbatim when ParseQuantity's int64 fast path judges it canonical,
//!   so `String()` of `"+100m"` or `"1.500k"` is the input itself, exactly as upstream;
//! - as on upstream main (`TestInterpretExponentInt32Bounds`, `TestQuantityString` in
//!   `quantity_test.go`), an exponent beyond ±(2^31-1) is rejected and a value past the last
//!   suffix prints in exponent form (`1000E` → `1e21`).
//!
//! Deliberate limit: more than 38 significant digits give [`QuantityError::Numeric`]
//! (upstream's inf.Dec is unbounded); no real manifest comes near it.

use std::cmp::Ordering;
use std::fmt;

/// `splitREString` in quantity.go.
pub const SPLIT_RE: &str = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

/// The parse errors of quantity.go: `ErrFormatWrong`, `ErrNumeric`, `ErrSuffix`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantityError {
    FormatWrong,
    Numeric,
    Suffix,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::FormatWrong => write!(f, "quantities must match the regular expression '{SPLIT_RE}'"),
            Self::Numeric => f.write_str("unable to parse numeric part of quantity"),
            Self::Suffix => f.write_str("unable to parse quantity's suffix"),
        }
    }
}

impl std::error::Error for QuantityError {}

/// The API server's answer to a bad quantity in a manifest: decoding fails before validation,
/// so there is no field path. `decode_error("CronJob", "v1", e)` gives
/// `CronJob in version "v1" cannot be handled as a CronJob: quantities must match ...`.
pub fn decode_error(kind: &str, version: &str, err: QuantityError) -> String {
    format!("{kind} in version \"{version}\" cannot be handled as a {kind}: {err}")
}

/// `Format` in quantity.go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    DecimalExponent,
    BinarySI,
    DecimalSI,
}

/// An exact Kubernetes quantity. Equality and ordering compare values only (`1Gi == 1024Mi`).
#[derive(Clone, Debug)]
pub struct Quantity {
    mantissa: i128,
    scale: i64,
    format: Format,
    cached: Option<String>,
}

/// suffix.go: decimal suffixes for 10^-9, 10^-6, ... 10^18 and binary ones for 2^0 ... 2^60.
const DEC: [&str; 10] = ["n", "u", "m", "", "k", "M", "G", "T", "P", "E"];
const BIN: [&str; 7] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
const MAX_MANTISSA: u128 = 10u128.pow(38);
/// `maxAllowed` (2^63-1) in nano units.
const CAP_NANOS: u128 = (i64::MAX as u128) * 1_000_000_000;
const WRONG: QuantityError = QuantityError::FormatWrong;

fn pow10(n: i64) -> Option<u128> {
    u32::try_from(n).ok().and_then(|n| 10u128.checked_pow(n))
}

fn normalize(neg: bool, mut mag: u128, mut scale: i64, f: Format) -> Result<Quantity, QuantityError> {
    if mag == 0 {
        scale = 0;
    }
    while mag != 0 && mag.is_multiple_of(10) {
        mag /= 10;
        scale += 1;
    }
    if mag >= MAX_MANTISSA {
        return Err(QuantityError::Numeric);
    }
    let m = if neg { -(mag as i128) } else { mag as i128 };
    Ok(Quantity {
        mantissa: m,
        scale,
        format: f,
        cached: None,
    })
}

struct Parts<'a> {
    positive: bool,
    num: &'a str,
    denom: &'a str,
    suffix: &'a str,
}

fn run(b: &[u8], mut pos: usize, f: impl Fn(u8) -> bool) -> usize {
    while pos < b.len() && f(b[pos]) {
        pos += 1;
    }
    pos
}

/// `parseQuantityString`: sign, integer digits (leading zeros stripped), fraction, suffix.
fn split(s: &str) -> Result<Parts<'_>, QuantityError> {
    let b = s.as_bytes();
    let mut p = Parts {
        positive: !s.starts_with('-'),
        num: "0",
        denom: "",
        suffix: "",
    };
    let start = run(b, usize::from(s.starts_with(['-', '+'])), |c| c == b'0');
    let mut pos = run(b, start, |c| c.is_ascii_digit());
    if pos > start {
        p.num = s.get(start..pos).ok_or(WRONG)?;
    }
    if b.get(pos) == Some(&b'.') {
        let end = run(b, pos + 1, |c| c.is_ascii_digit());
        p.denom = s.get(pos + 1..end).ok_or(WRONG)?;
        pos = end;
    }
    let mut end = run(b, pos, |c| b"eEinumkKMGTP".contains(&c));
    if matches!(b.get(end), Some(b'-' | b'+')) {
        end += 1;
    }
    if run(b, end, |c| c.is_ascii_digit()) < b.len() {
        return Err(WRONG);
    }
    p.suffix = s.get(pos..).ok_or(WRONG)?;
    Ok(p)
}

/// `quantitySuffixer.interpret` (suffix.go): (base, exponent, format).
fn interpret(suffix: &str) -> Option<(u8, i64, Format)> {
    if let Some(i) = DEC.iter().position(|&d| d == suffix) {
        return Some((10, 3 * i as i64 - 9, Format::DecimalSI));
    }
    if let Some(i) = BIN.iter().position(|&d| d == suffix) {
        return Some((2, 10 * i as i64, Format::BinarySI));
    }
    let rest = suffix.strip_prefix(['e', 'E'])?;
    let digits = rest.strip_prefix(['+', '-']).unwrap_or(rest);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let e: i64 = rest.parse().ok()?;
    (e.abs() <= i64::from(i32::MAX)).then_some((10, e, Format::DecimalExponent))
}

/// Whether ParseQuantity's int64 fast path keeps the input as the cached string `s`.
fn fast_path_caches(p: &Parts, exponent: i64, format: Format) -> bool {
    let (num, denom) = (p.num.len() as i64, p.denom.len() as i64);
    let (precision, scale, shift) = match format {
        Format::BinarySI if exponent >= 0 && denom == 0 => (15 - num - exponent * 3 / 10 - 1, 0, exponent),
        Format::BinarySI => (-1, 0, 0),
        _ => (18 - num - denom, exponent - denom, 0),
    };
    let shifted = format!("{}{}", p.num, p.denom);
    let fits = |v: i64| v.checked_mul(1 << shift).is_some();
    match shifted.parse::<i64>() {
        Ok(v) if precision >= 0 && scale >= -9 && fits(v) => match format {
            Format::BinarySI => exponent % 10 == 0 && v & 7 != 0,
            _ => scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0'),
        },
        _ => false,
    }
}

/// ASCII digits × 10^scale → (magnitude, scale) without leading or trailing zeros.
fn digits_to_u128(d: &[u8], mut scale: i64) -> Result<(u128, i64), QuantityError> {
    let mut d = &d[d.iter().position(|&c| c != b'0').unwrap_or(d.len())..];
    while let [rest @ .., b'0'] = d {
        (d, scale) = (rest, scale + 1);
    }
    if d.len() > 38 {
        return Err(QuantityError::Numeric);
    }
    Ok((d.iter().fold(0, |v, &c| v * 10 + u128::from(c - b'0')), scale))
}

/// ceil((m << e) / 10^j) in 256-bit arithmetic (e < 64); None if it exceeds u128.
fn ceil_shift_div(m: u128, e: u32, mut j: u32) -> Option<u128> {
    let (lo, hi) = (m << e, m.checked_shr(128 - e).unwrap_or(0));
    let mut a = [lo as u64, (lo >> 64) as u64, hi as u64, (hi >> 64) as u64];
    while j > 0 {
        let step = j.min(19);
        j -= step;
        let (d, mut rem) = (u128::from(10u64.pow(step)), 0u128);
        for limb in a.iter_mut().rev() {
            let cur = (rem << 64) | u128::from(*limb);
            (*limb, rem) = ((cur / d) as u64, cur % d);
        }
        // ceil(ceil(x / a) / b) == ceil(x / ab), so rounding per step is exact.
        for limb in a.iter_mut().filter(|_| rem != 0) {
            *limb = limb.wrapping_add(1);
            if *limb != 0 {
                break;
            }
        }
    }
    (a[2] == 0 && a[3] == 0).then(|| u128::from(a[0]) | (u128::from(a[1]) << 64))
}

/// The inf.Dec path of ParseQuantity: exact value, round up to nano, BinarySI cap.
fn exact(p: &Parts, base: u8, exp: i64, format: Format) -> Result<Quantity, QuantityError> {
    let digits: Vec<u8> = p.num.bytes().chain(p.denom.bytes()).collect();
    let (k, neg) = (p.denom.len() as i64, !p.positive);
    if base == 10 {
        let (mut d, mut scale, mut sticky) = (&digits[..], exp - k, false);
        if scale < -9 {
            let cut = usize::try_from(-9 - scale).unwrap_or(usize::MAX);
            let keep = d.len().saturating_sub(cut);
            sticky = d[keep..].iter().any(|&c| c != b'0');
            (d, scale) = (&d[..keep], -9);
        }
        let (mag, scale) = digits_to_u128(d, scale)?;
        return normalize(neg, mag + u128::from(sticky), scale, format);
    }
    let e = u32::try_from(exp).map_err(|_| QuantityError::Suffix)?;
    let nanos = if p.num.len() > 19 {
        CAP_NANOS // the integer part alone is already ≥ 2^63
    } else {
        let (mag, s10) = digits_to_u128(&digits, -k)?;
        let exact = match s10 + 9 {
            _ if mag == 0 => Some(0),
            t if t >= 0 => pow10(t).and_then(|p| mag.checked_mul(p)?.checked_mul(1 << e)),
            t => u32::try_from(-t).ok().and_then(|j| ceil_shift_div(mag, e, j)),
        };
        exact.map_or(CAP_NANOS, |v| v.min(CAP_NANOS))
    };
    let below_one = nanos > 0 && nanos < 1_000_000_000;
    normalize(neg, nanos, -9, if below_one { Format::DecimalSI } else { format })
}

impl Quantity {
    /// `ParseQuantity`. No surrounding whitespace is accepted (UnmarshalJSON trims it first).
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        if s.is_empty() {
            return Err(WRONG);
        }
        let p = split(s)?;
        let (base, exponent, format) = interpret(p.suffix).ok_or(QuantityError::Suffix)?;
        let mut q = exact(&p, base, exponent, format)?;
        if s == "0" || fast_path_caches(&p, exponent, format) {
            q.cached = Some(s.to_string());
        }
        Ok(q)
    }

    /// An integer quantity (`NewQuantity`).
    pub fn from_i64(value: i64, format: Format) -> Quantity {
        let m = i128::from(value);
        let q = normalize(m < 0, m.unsigned_abs(), 0, format);
        q.unwrap_or(Quantity {
            mantissa: m,
            scale: 0,
            format,
            cached: None,
        })
    }

    pub fn format(&self) -> Format {
        self.format
    }

    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    /// `Add`: the exact sum, in the receiver's format unless the receiver is zero (then the
    /// other's), printed in canonical form (upstream clears the cached string). None past the
    /// 38 digits this type holds.
    pub fn add(&self, other: &Quantity) -> Option<Quantity> {
        let scale = self.scale.min(other.scale);
        let align = |q: &Quantity| -> Option<i128> {
            let p = i128::try_from(pow10(q.scale.checked_sub(scale)?)?).ok()?;
            q.mantissa.checked_mul(p)
        };
        let sum = align(self)?.checked_add(align(other)?)?;
        let format = if self.is_zero() { other.format } else { self.format };
        normalize(sum < 0, sum.unsigned_abs(), scale, format).ok()
    }

    /// `ceil(value / 10^target)`, rounding away from zero; None on i128 overflow.
    fn scaled(&self, target: i64) -> Option<i128> {
        let shift = self.scale.checked_sub(target)?;
        if shift >= 0 || self.mantissa == 0 {
            let p = i128::try_from(pow10(shift.max(0))?).ok()?;
            return self.mantissa.checked_mul(p);
        }
        let Some(p) = pow10(-shift) else {
            return Some(self.mantissa.signum());
        };
        let mag = self.mantissa.unsigned_abs();
        let q = (mag / p + u128::from(!mag.is_multiple_of(p))) as i128;
        Some(q * self.mantissa.signum())
    }

    /// `Value()`: rounded up (away from zero) to an integer; the byte count for memory/storage.
    pub fn value(&self) -> Option<i128> {
        self.scaled(0)
    }

    /// Storage size in bytes: [`Quantity::value`].
    pub fn to_bytes_i128(&self) -> Option<i128> {
        self.value()
    }

    /// `MilliValue()`: ceil(value × 1000), e.g. CPU millicores.
    pub fn milli_value(&self) -> Option<i128> {
        self.scaled(-3)
    }

    /// The exact value in plain decimal notation (`307.2`), or the canonical form if huge.
    pub fn plain_decimal(&self) -> String {
        match self.value() {
            Some(v) if self.scale >= 0 => v.to_string(),
            _ if !(-40..0).contains(&self.scale) => self.canonical(),
            _ => {
                let frac = self.scale.unsigned_abs() as usize;
                let digits = format!("{:0>w$}", self.mantissa.unsigned_abs(), w = frac + 1);
                let (int, fr) = digits.split_at(digits.len() - frac);
                format!("{}{int}.{fr}", if self.mantissa < 0 { "-" } else { "" })
            }
        }
    }

    /// `CanonicalizeBytes` + suffix, ignoring any string kept from parsing.
    pub fn canonical(&self) -> String {
        if self.mantissa == 0 {
            return "0".into();
        }
        // BinarySI: |v| < 1024 and fractions print as DecimalSI; past Ei, in exponent form.
        if let (Format::BinarySI, Some(mut v)) = (self.format, self.scaled(0)) {
            if self.scale >= 0 && v.unsigned_abs() >= 1024 {
                let mut k = 0;
                while v % 1024 == 0 {
                    (v, k) = (v / 1024, k + 1);
                }
                return match BIN.get(k) {
                    Some(suffix) => format!("{v}{suffix}"),
                    None => self.decimal(false),
                };
            }
        }
        self.decimal(self.format != Format::DecimalExponent)
    }

    /// `AsCanonicalBytes`: lower the exponent to a multiple of 3, then pick the suffix.
    fn decimal(&self, si: bool) -> String {
        let pad = ["", "0", "00"][self.scale.rem_euclid(3) as usize];
        let exp = self.scale - pad.len() as i64;
        let si_suffix = usize::try_from(exp / 3 + 3).ok().and_then(|i| DEC.get(i));
        match si_suffix {
            Some(suffix) if si || exp == 0 => format!("{}{pad}{suffix}", self.mantissa),
            _ => format!("{}{pad}e{exp}", self.mantissa),
        }
    }
}

impl fmt::Display for Quantity {
    /// `String()`: the canonical form, or the parsed input when upstream keeps it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cached {
            Some(s) => f.write_str(s),
            None => f.write_str(&self.canonical()),
        }
    }
}

impl std::str::FromStr for Quantity {
    type Err = QuantityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Quantity::parse(s)
    }
}

/// Free-function form of [`Quantity::parse`].
pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
    Quantity::parse(s)
}

impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (self.mantissa, other.mantissa);
        if a.signum() != b.signum() || a == 0 {
            return a.signum().cmp(&b.signum());
        }
        let (ma, mb) = (a.unsigned_abs(), b.unsigned_abs());
        let (da, db) = (i64::from(ma.ilog10()), i64::from(mb.ilog10()));
        let by_magnitude = (da + self.scale).cmp(&(db + other.scale)).then_with(|| {
            // Same order of magnitude: align the shorter mantissa (fits: ≤ 38 digits).
            let p = 10u128.pow((da - db).unsigned_abs() as u32);
            if da >= db {
                ma.cmp(&(mb * p))
            } else {
                (ma * p).cmp(&mb)
            }
        });
        if a < 0 {
            by_magnitude.reverse()
        } else {
            by_magnitude
        }
    }
}
impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Quantity {}

/// A hint for a learner whose quantity was rejected; None if `input` is valid or nothing fits.
/// `"1GB"` → `1Gi (binary, 1073741824 bytes) or 1G (decimal, 1000000000 bytes)`,
/// `"10gi"` → `10Gi`, `"1 Gi"` → `1Gi`, `"1GiB"` → `1Gi`, `"100 bytes"` → `100`.
pub fn suggestion(input: &str) -> Option<String> {
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if Quantity::parse(input).is_ok() || compact.is_empty() {
        return None;
    }
    if Quantity::parse(&compact).is_ok() {
        return Some(compact);
    }
    let is_num = |c: char| c.is_ascii_digit() || "+-.".contains(c);
    let (num, unit) = compact.split_at(compact.find(|c| !is_num(c)).unwrap_or(compact.len()));
    if num.is_empty() || Quantity::parse(num).is_err() {
        return None;
    }
    let unit = unit.to_ascii_lowercase();
    if matches!(unit.as_str(), "b" | "byte" | "bytes") {
        return Some(num.to_string());
    }
    let (core, had_b) = match unit.strip_suffix('b') {
        Some(c) if !c.is_empty() => (c, true),
        _ => (unit.as_str(), false),
    };
    let (letter, binary_only) = match core.as_bytes() {
        [l] => (*l, false),
        [l, b'i'] => (*l, true),
        _ => return None,
    };
    let i = "kmgtpe"
        .bytes()
        .position(|c| c == letter)
        .filter(|&i| i < 5 || had_b || binary_only)?;
    let (bin, dec) = (format!("{num}{}", BIN[i + 1]), format!("{num}{}", DEC[i + 4]));
    let (bq, dq) = (Quantity::parse(&bin).ok()?, Quantity::parse(&dec).ok()?);
    if binary_only {
        return Some(bin);
    }
    let (bb, db) = (bq.plain_decimal(), dq.plain_decimal());
    Some(format!("{bin} (binary, {bb} bytes) or {dec} (decimal, {db} bytes)"))
}

#[cfg(test)]
#[rustfmt::skip]
mod tests {
    use super::*;
    use Format::{BinarySI as B, DecimalExponent as X, DecimalSI as D};

    fn q(s: &str) -> Quantity { Quantity::parse(s).unwrap_or_else(|e| panic!("{s}: {e}")) }
    /// `decQuantity(m, exp, format)` of quantity_test.go.
    fn dq(m: i128, exp: i64, f: Format) -> Quantity { normalize(m < 0, m.unsigned_abs(), exp, f).unwrap() }

    #[test]
    fn parse_table_from_quantity_test_go() {
        let (gi, max) = (1i128 << 30, i64::MAX as i128);
        let table: &[(&str, i128, i64, Format)] = &[
            ("0", 0, 0, D), ("0Ki", 0, 0, B), ("0m", 0, 0, D), ("1", 1, 0, D), ("1Ki", 1024, 0, B),
            ("7Mi", 7 << 20, 0, B), ("6Gi", 6 * gi, 0, B), ("3Ei", 3 << 60, 0, B), ("100Ti", 100 << 40, 0, B),
            ("5n", 5, -9, D), ("4u", 4, -6, D), ("3m", 3, -3, D), ("50k", 5, 4, D), ("300T", 3, 14, D),
            ("1E", 1, 18, D), ("1E-3", 1, -3, X), ("1e3", 1, 3, X), ("1E18", 1, 18, X),
            ("100.035k", 100035, 0, D), ("0.0005k", 5, -1, D), ("0.5e-2", 5, -3, X), ("1.3E+6", 13, 5, X),
            ("6.987654321G", 6987654321, 0, D), ("1.01E", 101, 16, D), ("3.001n", 4, -9, D),
            ("1.1E-9", 2, -9, X), ("0.0000000005", 1, -9, D), ("0.00000012354", 124, -9, D),
            ("9Ei", max, 0, B), ("9223372036854775807Ki", max, 0, B), ("12E", 12, 18, D),
            ("100.035Ki", 10243584, -2, B), ("0.5Mi", 524288, 0, B), ("0.025Ti", 274877906944, -1, B),
            ("0.000000000001Ki", 2, -9, D), (".001", 1, -3, D), ("1.", 1, 0, D), ("1.G", 1, 9, D),
        ];
        for &(input, m, exp, format) in table {
            for (prefix, sign) in [("", 1), ("+", 1), ("-", -1)] {
                let got = q(&format!("{prefix}{input}"));
                assert_eq!(got, dq(sign * m, exp, format), "{prefix}{input}");
                assert_eq!(got.format(), format, "{prefix}{input} format");
            }
        }
    }

    #[test]
    fn invalid_inputs_and_exact_error_texts() {
        for s in ["", "1.1.M", "1+1.0M", "0.1am", "aoeu", " 1", "1 ", "1GB", "1 Gi", "10gi"] {
            assert_eq!(Quantity::parse(s).unwrap_err(), QuantityError::FormatWrong, "{s}");
        }
        for s in ["0.1mi", ".5i", "1i", "-3.01i", "-3.01e-", "1e4294967297", "100K", "1e"] {
            assert_eq!(Quantity::parse(s).unwrap_err(), QuantityError::Suffix, "{s}");
        }
        assert_eq!(Quantity::parse(&"7".repeat(40)).unwrap_err(), QuantityError::Numeric);
        let re = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
        assert_eq!(QuantityError::FormatWrong.to_string(), re);
        assert_eq!(QuantityError::Suffix.to_string(), "unable to parse quantity's suffix");
        assert_eq!(QuantityError::Numeric.to_string(), "unable to parse numeric part of quantity");
        assert_eq!(decode_error("CronJob", "v1", QuantityError::FormatWrong),
            format!("CronJob in version \"v1\" cannot be handled as a CronJob: {re}"));
    }

    #[test]
    fn string_table_from_quantity_test_go() {
        let gi = 1i128 << 30;
        let table: &[(Quantity, &str, &str)] = &[
            (dq(gi, 0, B), "1Gi", "1024Mi"), (dq(300 << 20, 0, B), "300Mi", "307200Ki"),
            (dq(1001 * gi, 0, B), "1001Gi", "1025024Mi"), (dq(5, 0, B), "5", "5000m"),
            (dq(500, -3, B), "500m", "0.5"), (dq(1, 9, D), "1G", "1000M"), (dq(1000, 6, D), "1G", "0.001T"),
            (dq(1, -3, D), "1m", "1000u"), (dq(1080, -3, D), "1080m", "1.08"),
            (dq(108, -2, D), "1080m", "1080000000n"), (dq(1, 21, D), "1e21", "1000E"),
            (dq(5, 21, D), "5e21", "5000E"), (dq(1, 70, B), "10e69", ""), (dq(1234567, -3, B), "1234567m", ""),
            (dq(1025, 0, B), "1025", ""), (dq(0, 0, B), "0", ""), (dq(1, 9, X), "1e9", ".001e12"),
            (dq(1, -3, X), "1e-3", "0.001e0"), (dq(1, -9, X), "1e-9", "1000e-12"), (dq(80, -3, X), "80e-3", ""),
            (dq(300, 6, X), "300e6", ""), (dq(0, 0, X), "0", "00"), (dq(10800, -10, D), "1080n", ""),
            (dq(1080, -6, D), "1080u", ""),
        ];
        for (quantity, expect, alternate) in table {
            assert_eq!(quantity.to_string(), *expect);
            assert_eq!(q(expect).to_string(), *expect, "canonical re-parse");
            if !alternate.is_empty() {
                assert_eq!(q(alternate).to_string(), *expect, "alternate {alternate}");
            }
            if !quantity.is_zero() {
                let neg = dq(-quantity.mantissa, quantity.scale, quantity.format);
                assert_eq!(neg.to_string(), format!("-{expect}"));
            }
        }
        // TestBinarySIZeroExponentString and TestQuantityStringBelowNano (not reachable by parsing).
        assert_eq!((dq(2000, 0, B).to_string(), dq(-2000, 0, B).to_string()), ("2000".into(), "-2000".into()));
        assert_eq!((dq(1, -12, D).to_string(), dq(1, -10, D).to_string()), ("1e-12".into(), "100e-12".into()));
    }

    #[test]
    fn parse_emit_and_canonicalisation() {
        for (input, expect) in [
            ("1Ki", "1Ki"), ("1024Mi", "1Gi"), ("1000M", "1G"), (".001Ki", "1024m"), (".000001Ki", "1024u"),
            (".000000001Ki", "1024n"), (".000000000001Ki", "2n"), ("1.5Gi", "1536Mi"), ("1.5", "1500m"),
            ("0.5", "500m"), ("1.5Ki", "1536"), ("10Gi", "10Gi"), ("2048Mi", "2Gi"), ("1e6", "1e6"),
            ("1000e3", "1e6"),
        ] {
            assert_eq!(q(input).to_string(), expect, "{input}");
            assert_eq!(q(&format!("-{input}")).to_string(), format!("-{expect}"), "-{input}");
        }
        // Upstream keeps these inputs verbatim (fast-path cache), canonical or not.
        for kept in ["+100m", "+1Ki", "1.500k", "0100m"] {
            assert_eq!(q(kept).to_string(), kept);
        }
        assert_eq!((q("1.500k").canonical(), q("+1Ki").canonical()), ("1500".into(), "1Ki".into()));
        for zero in ["-", "+", ".", "-0", "000", "0Gi"] {
            assert_eq!(q(zero).to_string(), "0", "{zero}");
        }
    }

    #[test]
    fn ordering_and_values() {
        assert_eq!(q("0").cmp(&q("0")), Ordering::Equal);
        assert!(q("100m") > q("50m") && q("10000T") > q("100Gi") && q("1G") < q("1Gi"));
        assert_eq!(q("1Gi"), q("1024Mi"));
        assert!(q("-1") < q("-999m") && q("1e40") > q("9Ei") && q("-1e40") < q("-1"));
        assert!(q("999999999") < q("1G") && q("1000000001") > q("1G"));
        assert_eq!(q("1Gi").to_bytes_i128(), Some(1 << 30));
        assert_eq!((q("1.5").value(), q("-1.5").value(), q("1e300").value()), (Some(2), Some(-2), None));
        assert_eq!((q("250m").milli_value(), q("1n").milli_value()), (Some(250), Some(1)));
        assert_eq!((q("300.2T").plain_decimal(), q("307.2").plain_decimal()), ("300200000000000".into(), "307.2".into()));
        assert_eq!(Quantity::from_i64(2048 << 20, Format::BinarySI).to_string(), "2Gi");
    }

    #[test]
    fn learner_suggestions() {
        let s = |x: &str| suggestion(x);
        assert_eq!(s("1GB").as_deref(), Some("1Gi (binary, 1073741824 bytes) or 1G (decimal, 1000000000 bytes)"));
        assert_eq!(s("500mb").as_deref(), Some("500Mi (binary, 524288000 bytes) or 500M (decimal, 500000000 bytes)"));
        for (input, hint) in [("10gi", "10Gi"), ("10GI", "10Gi"), ("1 Gi", "1Gi"), ("1GiB", "1Gi"), ("100 bytes", "100")] {
            assert_eq!(s(input).as_deref(), Some(hint), "{input}");
        }
        assert_eq!(s("1 GB"), s("1GB"));
        assert!(s("100K").unwrap().starts_with("100Ki (binary, 102400 bytes) or 100k"));
        for none in ["1Gi", "500m", "", "abc", "1XB", "1e", "Gi", "1.2.3Gi"] {
            assert_eq!(s(none), None, "{none}");
        }
    }

    #[test]
    fn random_inputs_never_panic_and_round_trip() {
        let alphabet: Vec<char> = "0123456789.+-eEinumkKMGTPB ié\u{0}91".chars().collect();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || { x ^= x << 13; x ^= x >> 7; x ^= x << 17; x };
        let mut valid = 0;
        for _ in 0..30_000 {
            let len = (next() % 26) as usize;
            let s: String = (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
            let _ = suggestion(&s);
            if let Ok(v) = Quantity::parse(&s) {
                valid += 1;
                let _ = (v.value(), v.milli_value(), v.plain_decimal(), v.cmp(&q("1Gi")));
                let again = Quantity::parse(&v.to_string()).expect("String() must re-parse");
                assert_eq!(again, v, "{s:?} -> {v}");
                assert_eq!(q(&v.canonical()), v, "{s:?} canonical");
            }
        }
        assert!(valid > 500, "only {valid} valid inputs generated");
    }

    #[test]
    fn add_sums_exactly_in_the_first_format() {
        let sum = |a: &str, b: &str| parse(a).unwrap().add(&parse(b).unwrap()).unwrap().to_string();
        assert_eq!(sum("500m", "500m"), "1");
        assert_eq!(sum("100m", "1"), "1100m");
        assert_eq!(sum("64Mi", "128Mi"), "192Mi");
        assert_eq!(sum("1Gi", "512Mi"), "1536Mi");
        assert_eq!(sum("0", "1Gi"), "1Gi");
        assert_eq!(sum("250m", "0"), "250m");
    }
}
