//! Rules for the optional parts of an order webhook that every feature reads: emails
//! kept in one normal form for comparison, discount and referral codes, and the
//! subscription a line belongs to.

use serde::{Deserialize, Serialize};

/// Longest accepted email address, in bytes (RFC 5321's path limit).
pub const EMAIL_MAX_LEN: usize = 254;

/// Most discount codes one order may name.
pub const MAX_DISCOUNT_CODES: usize = 20;

/// Longest discount or referral code, in characters.
pub const CODE_MAX_LEN: usize = 64;

/// The subscription a line was bought under: `{"plan_id", "interval"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineSubscription {
    /// The shop's subscription plan id, 1–128 characters.
    pub plan_id: String,
    /// How often it renews: an ISO 8601 duration of one unit, `P<n>D`, `P<n>W`, `P<n>M`
    /// or `P<n>Y` with `n` from 1 to 365 (`P1M` monthly, `P2W` every two weeks).
    #[cfg_attr(feature = "openapi", schema(example = "P1M"))]
    pub interval: String,
    /// On a renewal order: the Comeback subscription it renews (the `subscription_id` of
    /// the `subscription.renewal_due` webhook). Absent on the order that starts one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
}

/// Units of a product refunded so far: `{"product_id", "quantity"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundedLine {
    /// A product of the order's lines.
    pub product_id: String,
    /// Units of it refunded so far, at most the units bought.
    pub quantity: i64,
}

/// A renewal interval: a count of one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    /// How many units, 1–365.
    pub count: u16,
    /// The unit.
    pub unit: IntervalUnit,
}

/// The unit of an [`Interval`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntervalUnit {
    /// `D`.
    Day,
    /// `W`.
    Week,
    /// `M`.
    Month,
    /// `Y`.
    Year,
}

impl Interval {
    /// Parses `P<n>D|W|M|Y`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Interval> {
        let rest = text.strip_prefix('P')?;
        let unit = match rest.chars().last()? {
            'D' => IntervalUnit::Day,
            'W' => IntervalUnit::Week,
            'M' => IntervalUnit::Month,
            'Y' => IntervalUnit::Year,
            _ => return None,
        };
        let digits = &rest[..rest.len() - 1];
        if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let count: u16 = digits.parse().ok()?;
        (1..=365)
            .contains(&count)
            .then_some(Interval { count, unit })
    }

    /// The ISO 8601 form [`Interval::parse`] reads, `P2W`.
    pub fn to_iso(self) -> String {
        let unit = match self.unit {
            IntervalUnit::Day => 'D',
            IntervalUnit::Week => 'W',
            IntervalUnit::Month => 'M',
            IntervalUnit::Year => 'Y',
        };
        format!("P{}{unit}", self.count)
    }
}

/// The form an email is stored and compared in: trimmed and lowercased; `None` when it
/// is not a plausible address (one `@` with text on both sides, a dot in the domain, no
/// spaces or control characters, at most [`EMAIL_MAX_LEN`] bytes).
pub fn normalize_email(email: &str) -> Option<String> {
    let email = email.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let plausible = !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.len() <= EMAIL_MAX_LEN
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    plausible.then_some(email)
}

/// Whether `code` can be a discount or referral code: 1–[`CODE_MAX_LEN`] characters of
/// `A-Z a-z 0-9 - _`.
pub fn is_valid_code(code: &str) -> bool {
    (1..=CODE_MAX_LEN).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_or_refused() {
        assert_eq!(
            normalize_email("  Lin.Mei@Example.COM ").as_deref(),
            Some("lin.mei@example.com")
        );
        for bad in [
            "",
            "lin",
            "@example.com",
            "lin@",
            "lin@example",
            "a b@example.com",
            "a@b@c.com",
            "lin@.com",
        ] {
            assert_eq!(normalize_email(bad), None, "{bad}");
        }
        assert_eq!(
            normalize_email(&format!("{}@example.com", "a".repeat(250))),
            None
        );
    }

    #[test]
    fn intervals_are_one_unit_of_iso_8601() {
        assert_eq!(
            Interval::parse("P1M"),
            Some(Interval {
                count: 1,
                unit: IntervalUnit::Month
            })
        );
        assert_eq!(
            Interval::parse("P2W"),
            Some(Interval {
                count: 2,
                unit: IntervalUnit::Week
            })
        );
        assert_eq!(Interval::parse("P365D").map(|i| i.count), Some(365));
        for text in ["P1D", "P2W", "P45D", "P3M", "P1Y"] {
            assert_eq!(
                Interval::parse(text).map(Interval::to_iso).as_deref(),
                Some(text)
            );
        }
        for bad in [
            "", "P", "PM", "P0M", "P366D", "1M", "P1H", "P1M2D", "p1m", "P-1M", "P1000D",
        ] {
            assert_eq!(Interval::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn codes_are_plain() {
        assert!(is_valid_code("TEA-7KQM-X2PD"));
        assert!(is_valid_code("friend_2027"));
        assert!(!is_valid_code(""));
        assert!(!is_valid_code("TEA 1"));
        assert!(!is_valid_code(&"A".repeat(65)));
    }
}
