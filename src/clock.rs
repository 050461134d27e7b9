//! Virtual time. The engine never reads the wall clock: time is a count of milliseconds since
//! the simulated cluster was created, which is [`EPOCH`] on the calendar.

/// Milliseconds since the simulated cluster started.
pub type Millis = u64;

/// One second in [`Millis`].
pub const SECOND: Millis = 1000;

/// The calendar date the simulated cluster starts at, in seconds since the Unix epoch
/// (2026-01-01T00:00:00Z). Fixed so transcripts never change.
pub const EPOCH: u64 = 1_767_225_600;

/// An RFC 3339 timestamp (`2026-01-01T00:00:05Z`) for a simulated instant, as the API server
/// writes `creationTimestamp` (second precision).
pub fn rfc3339(at: Millis) -> String {
    let secs = EPOCH + at / 1000;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(i64::try_from(days).unwrap_or(0));
    // Written digit by digit: every status write stamps a time, and `format!` cost ten times
    // as much (measured in `benches/engine.rs`).
    let mut out = [0u8; 20];
    let mut put = |at: usize, width: usize, mut n: u64| {
        for i in (at..at + width).rev() {
            out[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    put(0, 4, u64::try_from(y).unwrap_or(0).min(9999));
    put(5, 2, u64::from(m));
    put(8, 2, u64::from(d));
    put(11, 2, rem / 3600);
    put(14, 2, rem % 3600 / 60);
    put(17, 2, rem % 60);
    for (i, c) in [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':'), (19, b'Z')] {
        out[i] = c;
    }
    String::from_utf8(out.to_vec()).unwrap_or_default()
}

/// The simulated instant of an RFC 3339 timestamp written by [`rfc3339`] (None before the epoch
/// or when unreadable).
pub fn parse_rfc3339(text: &str) -> Option<Millis> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[10] != b'T' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let days = days_from_civil(y, m, d);
    let secs = days * 86_400 + hh * 3600 + mm * 60 + ss - i64::try_from(EPOCH).ok()?;
    u64::try_from(secs).ok().map(|s| s * 1000)
}

/// (year, month, day) to days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 to (year, month, day): Howard Hinnant's `civil_from_days`.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// kubectl's AGE column: `duration.HumanDuration` of k8s.io/apimachinery
/// (`pkg/util/duration/duration.go`): `45s`, `2m30s`, `15m`, `3h20m`, `2d5h`.
pub fn human_duration(ms: Millis) -> String {
    let seconds = ms / 1000;
    if seconds < 120 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{h}h", hours / 24)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    let years = hours / 24 / 365;
    let days = (hours / 24) % 365;
    if hours < 24 * 365 * 8 && days != 0 {
        return format!("{years}y{days}d");
    }
    format!("{years}y")
}

/// Parse a duration as kubectl flags and `sim advance` take it: `30s`, `2m`, `1h30m`, `500ms`;
/// a bare number means seconds.
pub fn parse_duration(text: &str) -> Option<Millis> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(secs) = text.parse::<u64>() {
        return secs.checked_mul(1000);
    }
    let mut total: Millis = 0;
    let mut number = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let unit = match (c, chars.peek()) {
            ('m', Some('s')) => {
                chars.next();
                1
            }
            ('h', _) => 3_600_000,
            ('m', _) => 60_000,
            ('s', _) => 1000,
            _ => return None,
        };
        let n: f64 = number.parse().ok()?;
        number.clear();
        let add = n * unit as f64;
        if !add.is_finite() || add > 1.0e15 {
            return None;
        }
        total = total.checked_add(add as u64)?;
    }
    number.is_empty().then_some(total)
}

/// The operands of `sleep` (coreutils and busybox: `NUMBER[smhd]`, decimals allowed, several
/// operands add up) as milliseconds; the error text `sleep` prints otherwise. The playground
/// lets at most a day pass at once.
pub fn sleep_operands(args: &[String]) -> Result<Millis, String> {
    if args.is_empty() {
        return Err("sleep: missing operand\n".into());
    }
    let mut total: f64 = 0.0;
    for a in args {
        let (number, unit) = match a.char_indices().last() {
            Some((i, u @ ('s' | 'm' | 'h' | 'd'))) => (&a[..i], u),
            _ => (a.as_str(), 's'),
        };
        let n: f64 = match number.parse() {
            Ok(n) if n >= 0.0 && f64::is_finite(n) && !number.starts_with('+') => n,
            _ => return Err(format!("sleep: invalid time interval '{a}'\n")),
        };
        let scale = match unit {
            'm' => 60.0,
            'h' => 3600.0,
            'd' => 86400.0,
            _ => 1.0,
        };
        total += n * scale * 1000.0;
    }
    if total > 86_400_000.0 {
        return Err("sleep: the playground lets at most 24h of simulated time pass at once\n".into());
    }
    Ok(total.round() as Millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_like_kubectl() {
        assert_eq!(human_duration(0), "0s");
        assert_eq!(human_duration(119_999), "119s");
        assert_eq!(human_duration(150_000), "2m30s");
        assert_eq!(human_duration(180_000), "3m");
        assert_eq!(human_duration(15 * 60_000), "15m");
        assert_eq!(human_duration(200 * 60_000), "3h20m");
        assert_eq!(human_duration(50 * 3_600_000), "2d2h");
    }

    #[test]
    fn timestamps_are_rfc3339_from_the_fixed_epoch() {
        assert_eq!(rfc3339(0), "2026-01-01T00:00:00Z");
        assert_eq!(rfc3339(90_061_000), "2026-01-02T01:01:01Z");
        assert_eq!(parse_rfc3339("2026-01-02T01:01:01Z"), Some(90_061_000));
        assert_eq!(parse_rfc3339("garbage"), None);
        // Leap days and year ends, a year and more in.
        assert_eq!(rfc3339(58 * 86_400_000 + 86_399_000), "2026-02-28T23:59:59Z");
        assert_eq!(rfc3339((3 * 365 + 60) * 86_400_000), "2029-03-01T00:00:00Z");
        assert_eq!(rfc3339(2 * 365 * 86_400_000 + 59 * 86_400_000), "2028-02-29T00:00:00Z");
        for at in (0..400u64).map(|i| i * 7_777_777_777) {
            assert_eq!(parse_rfc3339(&rfc3339(at)), Some(at / 1000 * 1000));
        }
    }

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("30s"), Some(30_000));
        assert_eq!(parse_duration("2m"), Some(120_000));
        assert_eq!(parse_duration("1h30m"), Some(5_400_000));
        assert_eq!(parse_duration("500ms"), Some(500));
        assert_eq!(parse_duration("10"), Some(10_000));
        assert_eq!(parse_duration("abc"), None);
        assert_eq!(parse_duration("5x"), None);
    }

    #[test]
    fn sleep_operands_add_up() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(super::sleep_operands(&args(&["30"])), Ok(30_000));
        assert_eq!(super::sleep_operands(&args(&["1m", "0.5"])), Ok(60_500));
        assert_eq!(
            super::sleep_operands(&args(&[])),
            Err("sleep: missing operand\n".into())
        );
        assert_eq!(
            super::sleep_operands(&args(&["x"])),
            Err("sleep: invalid time interval 'x'\n".into())
        );
        assert!(super::sleep_operands(&args(&["2d"])).is_err());
    }
}
