//! How the dashboard writes numbers, money, shares and days: pure, so the same text is
//! checked in native tests.

use comeback_core::date::Date;
use comeback_core::money::currency_exponent;
use comeback_core::orders::{Interval, IntervalUnit};

/// An integer with thin groups of three: `12 345`.
pub fn count(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('−');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(digit);
    }
    out
}

/// An amount in minor units of `currency`, with the currency code: `1 234.50 EUR`.
/// Unknown currencies are written with two decimals.
pub fn money(minor: i64, currency: &str) -> String {
    let exponent = currency_exponent(currency).unwrap_or(2);
    let scale = 10_i64.pow(exponent);
    let whole = count(minor / scale);
    let whole = if minor < 0 && minor / scale == 0 {
        format!("−{whole}")
    } else {
        whole
    };
    if exponent == 0 {
        return format!("{whole} {currency}");
    }
    let fraction = (minor % scale).unsigned_abs();
    format!(
        "{whole}.{fraction:0width$} {currency}",
        width = exponent as usize
    )
}

/// A share from 0 to 1 as a percentage with one decimal: `42.5 %`.
pub fn percent(share: f64) -> String {
    format!("{:.1} %", share * 100.0)
}

/// A score such as NPS with one decimal and its sign: `+32.0`, `−4.5`.
pub fn signed(value: f64) -> String {
    if value < 0.0 {
        format!("−{:.1}", -value)
    } else {
        format!("+{value:.1}")
    }
}

/// A day from Unix seconds, `YYYY-MM-DD` (UTC).
pub fn day(unix_seconds: i64) -> String {
    Date::from_unix_seconds(unix_seconds).to_iso()
}

/// A day and time from Unix seconds, `YYYY-MM-DD HH:MM` (UTC).
pub fn day_time(unix_seconds: i64) -> String {
    let seconds = unix_seconds.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}",
        day(unix_seconds),
        seconds / 3600,
        seconds % 3600 / 60
    )
}

/// Days as text, `1 day` or `12.5 days`.
pub fn days(value: f64) -> String {
    if (value - 1.0).abs() < f64::EPSILON {
        "1 day".into()
    } else if value.fract() == 0.0 {
        format!("{value:.0} days")
    } else {
        format!("{value:.1} days")
    }
}

/// A subscription interval (`P4W`) in words: `every 4 weeks`; unreadable ones as sent.
pub fn interval(iso: &str) -> String {
    let Some(interval) = Interval::parse(iso) else {
        return iso.to_owned();
    };
    let unit = match interval.unit {
        IntervalUnit::Day => "day",
        IntervalUnit::Week => "week",
        IntervalUnit::Month => "month",
        IntervalUnit::Year => "year",
    };
    match interval.count {
        1 => format!("every {unit}"),
        count => format!("every {count} {unit}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_by_three() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1\u{202f}000");
        assert_eq!(count(-1_234_567), "−1\u{202f}234\u{202f}567");
    }

    #[test]
    fn money_follows_the_currency_exponent() {
        assert_eq!(money(123_450, "EUR"), "1\u{202f}234.50 EUR");
        assert_eq!(money(5, "EUR"), "0.05 EUR");
        assert_eq!(money(-5, "EUR"), "−0.05 EUR");
        assert_eq!(money(-150, "USD"), "−1.50 USD");
        assert_eq!(money(1500, "JPY"), "1\u{202f}500 JPY");
        assert_eq!(money(1500, "BHD"), "1.500 BHD");
    }

    #[test]
    fn shares_days_and_scores() {
        assert_eq!(percent(0.425), "42.5 %");
        assert_eq!(signed(32.0), "+32.0");
        assert_eq!(signed(-4.54), "−4.5");
        assert_eq!(days(1.0), "1 day");
        assert_eq!(days(21.0), "21 days");
        assert_eq!(days(12.25), "12.2 days");
        assert_eq!(day(0), "1970-01-01");
        assert_eq!(interval("P4W"), "every 4 weeks");
        assert_eq!(interval("P1M"), "every month");
        assert_eq!(interval("weekly"), "weekly");
        assert_eq!(day_time(86_400 + 3_600 * 13 + 60 * 5), "1970-01-02 13:05");
    }
}
