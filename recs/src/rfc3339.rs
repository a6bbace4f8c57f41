//! RFC 3339 times (`2026-03-01T08:00:00Z`, `2026-03-01T16:00:00.5+08:00`) to Unix
//! seconds. Twenty lines instead of a date crate: the CSV parser calls it a million
//! times and needs nothing else from one.

/// The Unix seconds of `text`, an RFC 3339 date-time (`T`, `t` or a space between date
/// and time; fractions of a second dropped), or `None`.
pub(crate) fn parse(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() < 20
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || !matches!(bytes[10], b'T' | b't' | b' ')
        || bytes[13] != b':'
        || bytes[16] != b':'
    {
        return None;
    }
    let year = digits(&bytes[0..4])?;
    let month = digits(&bytes[5..7])?;
    let day = digits(&bytes[8..10])?;
    let hour = digits(&bytes[11..13])?;
    let minute = digits(&bytes[14..16])?;
    let second = digits(&bytes[17..19])?;
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &bytes[19..];
    if let [b'.', fraction @ ..] = rest {
        let count = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return None;
        }
        rest = &fraction[count..];
    }
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = digits(&[*h1, *h2])?;
            let minutes = digits(&[*m1, *m2])?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = hours * 3600 + minutes * 60;
            if *sign == b'-' {
                -offset
            } else {
                offset
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

fn digits(bytes: &[u8]) -> Option<i64> {
    bytes.iter().try_fold(0i64, |value, &b| {
        b.is_ascii_digit().then(|| value * 10 + i64::from(b - b'0'))
    })
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn utc_times() {
        assert_eq!(parse("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse("2026-03-01T08:00:00Z"), Some(1_772_352_000));
        assert_eq!(parse("2000-02-29t23:59:59z"), Some(951_868_799));
        assert_eq!(parse("1969-12-31 23:59:59Z"), Some(-1));
    }

    #[test]
    fn offsets_and_fractions() {
        assert_eq!(parse("2026-03-01T16:00:00+08:00"), Some(1_772_352_000));
        assert_eq!(parse("2026-03-01T03:30:00-04:30"), Some(1_772_352_000));
        assert_eq!(parse("2026-03-01T08:00:00.999Z"), Some(1_772_352_000));
    }

    #[test]
    fn rejects_what_is_not_a_time() {
        for text in [
            "yesterday",
            "2026-03-01",
            "2026-03-01T08:00:00",
            "2026-02-29T08:00:00Z",
            "2026-13-01T08:00:00Z",
            "2026-03-01T24:00:00Z",
            "2026-03-01T08:00:00.Z",
            "2026-03-01T08:00:00+0800",
            "2026-03-01T08:00:00+08:00 ",
            "2026-03-01T08:0a:00Z",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
