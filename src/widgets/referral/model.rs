//! The referral widget's decisions, kept free of the DOM so they are tested natively:
//! a reward in plain words (or the shop's own), the status and reason of each referral,
//! the banner's stored code and the claim's outcome by the API's error code, the email
//! link, and the QR code of the advocate's link as one SVG path.

use comeback_core::error::ErrorCode;
use comeback_core::referral::code::parse_referral_code;
use comeback_core::referral::{
    ReferralReason, ReferralRewardKind, ReferralStatus, ReferralView, RewardOffer,
};

use super::strings::Key;
use crate::api::{encode, ApiError};

/// The contract's storage key of the referral a link brought (`loader.js` writes it).
pub fn storage_key(shop: &str) -> String {
    ["comeback:referral:", shop].concat()
}

/// The code a stored referral still attributes at `now` (Unix seconds), canonical; `None`
/// when there is none, it has expired, or what is stored is not a referral code.
pub fn live_code(code: Option<&str>, until: Option<f64>, now: f64) -> Option<String> {
    until.filter(|until| until.is_finite() && *until > now)?;
    parse_referral_code(code?)
}

/// How much a reward gives, before its conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Amount {
    /// A number the text takes as `{n}` (points, percent).
    Count(i64),
    /// Minor units of the offer's currency, as `{money}`.
    Money(i64),
    /// Nothing to fill in (free shipping).
    Nothing,
}

/// A reward in words: the shop's own, or the widget's built from its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Words {
    /// The shop's description in the shopper's language, shown as it is.
    Shop(String),
    /// The widget's words: what it gives, then "on an order of … or more" and
    /// "valid for … days" when the shop set them.
    Built {
        /// The text of the kind.
        key: Key,
        /// What fills it.
        amount: Amount,
        /// The least order (minor units) it asks for.
        minimum: Option<i64>,
        /// Days a code stays valid.
        valid_days: Option<u32>,
    },
}

/// Puts `offer` in words.
pub fn words(offer: &RewardOffer) -> Words {
    if let Some(text) = offer.description.as_deref().map(str::trim) {
        if !text.is_empty() {
            return Words::Shop(text.to_owned());
        }
    }
    let (key, amount) = match offer.kind {
        ReferralRewardKind::Points => (Key::RewardPoints, Amount::Count(offer.value)),
        ReferralRewardKind::AmountOff => (Key::RewardAmountOff, Amount::Money(offer.value)),
        ReferralRewardKind::PercentOff => (Key::RewardPercentOff, Amount::Count(offer.value)),
        ReferralRewardKind::FreeShipping => (Key::RewardFreeShipping, Amount::Nothing),
    };
    Words::Built {
        key,
        amount,
        minimum: offer.minimum_order.filter(|minimum| *minimum > 0),
        // Points do not expire with the reward.
        valid_days: offer
            .valid_days
            .filter(|days| *days > 0 && offer.kind != ReferralRewardKind::Points),
    }
}

/// The label of a referral's status.
pub fn status(status: ReferralStatus) -> Key {
    match status {
        ReferralStatus::Pending => Key::Pending,
        ReferralStatus::Paid => Key::Paid,
        ReferralStatus::Cancelled => Key::Cancelled,
        ReferralStatus::Declined => Key::Declined,
    }
}

/// Why a referral earned nothing, in words a shopper understands.
pub fn reason(reason: ReferralReason) -> Key {
    match reason {
        ReferralReason::SelfReferral => Key::ReasonSelfReferral,
        ReferralReason::NotFirstOrder => Key::ReasonNotFirstOrder,
        ReferralReason::BelowMinimum => Key::ReasonBelowMinimum,
        ReferralReason::TooManyFromOneAddress => Key::ReasonTooMany,
        ReferralReason::AdvocateCap => Key::ReasonAdvocateCap,
        ReferralReason::Refunded => Key::ReasonRefunded,
        ReferralReason::DeclinedByShop => Key::ReasonDeclinedByShop,
    }
}

/// The reason a cancelled or declined referral shows; a cancellation the server sent no
/// reason for was a refund.
pub fn reason_of(view: &ReferralView) -> Option<Key> {
    match (view.status, view.reason) {
        (ReferralStatus::Pending | ReferralStatus::Paid, _) => None,
        (_, Some(why)) => Some(reason(why)),
        (ReferralStatus::Cancelled, None) => Some(Key::ReasonRefunded),
        (ReferralStatus::Declined, None) => Some(Key::ReasonDeclinedByShop),
    }
}

/// The advocate's tallies: visits, sign-ups and referrals paid.
pub fn rewarded(referrals: &[ReferralView]) -> usize {
    referrals
        .iter()
        .filter(|r| r.status == ReferralStatus::Paid)
        .count()
}

/// Whether the advocate's programme cannot be shown at all (the shop has none): the
/// API said `not_found`.
pub fn not_offered(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Http {
            code: ErrorCode::NotFound,
            ..
        }
    )
}

/// What the banner does after a failed claim, by the API's error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Explain and let the friend try again (another email).
    Explain(Key),
    /// The code is unknown (or the programme ended): the banner goes away.
    Hide,
    /// Could not reach the server: the shared "unavailable" text, the form stays.
    Unavailable,
}

/// The banner's answer to a refused claim.
pub fn refusal(error: &ApiError) -> Refusal {
    match error {
        ApiError::Http { code, .. } => match code {
            ErrorCode::SelfReferral => Refusal::Explain(Key::ErrorSelfReferral),
            ErrorCode::AlreadyCustomer => Refusal::Explain(Key::ErrorAlreadyCustomer),
            ErrorCode::ValidationFailed => Refusal::Explain(Key::ErrorEmail),
            ErrorCode::NotFound => Refusal::Hide,
            _ => Refusal::Unavailable,
        },
        _ => Refusal::Unavailable,
    }
}

/// Whether `email` can be an address: one `@` with text before it, a dotted domain after,
/// no spaces. The server decides; this only spares a request that cannot succeed.
pub fn email_looks_valid(email: &str) -> bool {
    let email = email.trim();
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
        && email.len() <= 254
}

/// A `mailto:` link with no recipient (the advocate picks the friend in their mail
/// program) and the subject and body filled in.
pub fn mailto(subject: &str, body: &str) -> String {
    [
        "mailto:?subject=",
        &encode(subject),
        "&body=",
        &encode(body),
    ]
    .concat()
}

/// Modules of white around the code, as the QR standard asks.
pub const QUIET_ZONE: i32 = 4;

/// A QR code drawn as one SVG path: `size` modules a side (quiet zone included), the
/// dark modules as one rectangle per horizontal run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrPath {
    /// The side of the square in modules, quiet zone included (the `viewBox`).
    pub size: i32,
    /// The path's `d`: `M{x} {y}h{run}v1h-{run}z` per run of dark modules.
    pub d: String,
}

/// The QR code of `text` (error correction level M: survives a smudge, stays small), or
/// `None` if it is too long for any QR code.
pub fn qr(text: &str) -> Option<QrPath> {
    let code = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium).ok()?;
    let modules = code.size();
    let mut d = String::new();
    for y in 0..modules {
        let mut x = 0;
        while x < modules {
            if !code.get_module(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < modules && code.get_module(x, y) {
                x += 1;
            }
            let run = (x - start).to_string();
            d.push_str(
                &[
                    "M",
                    &(start + QUIET_ZONE).to_string(),
                    " ",
                    &(y + QUIET_ZONE).to_string(),
                    "h",
                    &run,
                    "v1h-",
                    &run,
                    "z",
                ]
                .concat(),
            );
        }
    }
    Some(QrPath {
        size: modules + 2 * QUIET_ZONE,
        d,
    })
}

/// The dark modules of a [`QrPath`] as a grid (`grid[y][x]`), read back from its `d`:
/// what a scanner sees, for the tests (native and in the browser).
pub fn modules_of(path: &QrPath) -> Option<Vec<Vec<bool>>> {
    let size = usize::try_from(path.size).ok()?;
    let mut grid = vec![vec![false; size]; size];
    for rect in path.d.split('z').filter(|r| !r.is_empty()) {
        let rect = rect.strip_prefix('M')?;
        let (position, rest) = rect.split_once('h')?;
        let (x, y) = position.split_once(' ')?;
        let (run, _) = rest.split_once('v')?;
        let (x, y, run): (usize, usize, usize) =
            (x.parse().ok()?, y.parse().ok()?, run.parse().ok()?);
        for cell in grid.get_mut(y)?.get_mut(x..x + run)? {
            *cell = true;
        }
    }
    Some(grid)
}

#[cfg(test)]
mod tests {
    use comeback_core::date::Date;

    use super::*;

    fn offer(kind: ReferralRewardKind, value: i64) -> RewardOffer {
        RewardOffer {
            kind,
            value,
            currency: "CNY".into(),
            minimum_order: None,
            valid_days: None,
            description: None,
        }
    }

    fn referral(status: ReferralStatus, reason: Option<ReferralReason>) -> ReferralView {
        ReferralView {
            id: "r".into(),
            friend: None,
            status,
            reason,
            ordered_on: Date::new(2027, 3, 1).unwrap(),
            pays_on: None,
            paid_on: None,
            reward: offer(ReferralRewardKind::Points, 500),
            reward_code: None,
        }
    }

    #[test]
    fn a_stored_code_attributes_until_it_expires() {
        assert_eq!(
            live_code(Some("k7m2qx"), Some(2_000.0), 1_000.0).as_deref(),
            Some("K7M-2QX")
        );
        assert_eq!(live_code(Some("K7M-2QX"), Some(1_000.0), 1_000.0), None);
        assert_eq!(live_code(Some("K7M-2QX"), None, 1_000.0), None);
        assert_eq!(live_code(Some("K7M-2QX"), Some(f64::NAN), 1_000.0), None);
        assert_eq!(live_code(Some("<script>"), Some(2_000.0), 1_000.0), None);
        assert_eq!(live_code(None, Some(2_000.0), 1_000.0), None);
        assert_eq!(storage_key("demo"), "comeback:referral:demo");
    }

    #[test]
    fn rewards_are_put_in_words_with_their_conditions() {
        assert_eq!(
            words(&offer(ReferralRewardKind::Points, 500)),
            Words::Built {
                key: Key::RewardPoints,
                amount: Amount::Count(500),
                minimum: None,
                valid_days: None,
            }
        );
        let mut friend = offer(ReferralRewardKind::PercentOff, 15);
        friend.valid_days = Some(30);
        friend.minimum_order = Some(10_000);
        assert_eq!(
            words(&friend),
            Words::Built {
                key: Key::RewardPercentOff,
                amount: Amount::Count(15),
                minimum: Some(10_000),
                valid_days: Some(30),
            }
        );
        let mut amount = offer(ReferralRewardKind::AmountOff, 2_000);
        amount.minimum_order = Some(0);
        assert_eq!(
            words(&amount),
            Words::Built {
                key: Key::RewardAmountOff,
                amount: Amount::Money(2_000),
                minimum: None,
                valid_days: None,
            }
        );
        assert!(matches!(
            words(&offer(ReferralRewardKind::FreeShipping, 0)),
            Words::Built {
                key: Key::RewardFreeShipping,
                amount: Amount::Nothing,
                ..
            }
        ));
        // The shop's own words win; blank ones do not count.
        let mut described = offer(ReferralRewardKind::Points, 500);
        described.description = Some(" 500 tea points ".into());
        assert_eq!(words(&described), Words::Shop("500 tea points".into()));
        described.description = Some("  ".into());
        assert!(matches!(words(&described), Words::Built { .. }));
    }

    #[test]
    fn every_status_and_reason_has_words() {
        assert_eq!(status(ReferralStatus::Pending), Key::Pending);
        assert_eq!(status(ReferralStatus::Declined), Key::Declined);
        let keys: Vec<Key> = ReferralReason::ALL.into_iter().map(reason).collect();
        for (index, key) in keys.iter().enumerate() {
            assert!(!keys[..index].contains(key), "{key:?} twice");
        }
        assert_eq!(
            reason_of(&referral(
                ReferralStatus::Declined,
                Some(ReferralReason::AdvocateCap)
            )),
            Some(Key::ReasonAdvocateCap)
        );
        assert_eq!(
            reason_of(&referral(ReferralStatus::Cancelled, None)),
            Some(Key::ReasonRefunded)
        );
        assert_eq!(reason_of(&referral(ReferralStatus::Pending, None)), None);
        assert_eq!(
            reason_of(&referral(
                ReferralStatus::Paid,
                Some(ReferralReason::Refunded)
            )),
            None
        );
        let all = [
            referral(ReferralStatus::Paid, None),
            referral(ReferralStatus::Pending, None),
            referral(ReferralStatus::Paid, None),
        ];
        assert_eq!(rewarded(&all), 2);
    }

    fn http(code: ErrorCode, status: u16) -> ApiError {
        ApiError::Http {
            status,
            code,
            message: String::new(),
            retry_after: None,
        }
    }

    #[test]
    fn refused_claims_are_explained_by_their_code_not_their_status() {
        assert_eq!(
            refusal(&http(ErrorCode::SelfReferral, 409)),
            Refusal::Explain(Key::ErrorSelfReferral)
        );
        assert_eq!(
            refusal(&http(ErrorCode::AlreadyCustomer, 409)),
            Refusal::Explain(Key::ErrorAlreadyCustomer)
        );
        assert_eq!(
            refusal(&http(ErrorCode::ValidationFailed, 422)),
            Refusal::Explain(Key::ErrorEmail)
        );
        assert_eq!(refusal(&http(ErrorCode::NotFound, 404)), Refusal::Hide);
        // A 409 without a code this widget knows is not a self-referral.
        assert_eq!(
            refusal(&http(ErrorCode::Unknown, 409)),
            Refusal::Unavailable
        );
        assert_eq!(refusal(&ApiError::Timeout), Refusal::Unavailable);
        assert!(not_offered(&http(ErrorCode::NotFound, 404)));
        assert!(!not_offered(&http(ErrorCode::Unknown, 404)));
    }

    #[test]
    fn emails_are_checked_loosely() {
        for good in ["a@b.co", " lin.mei+tea@example.com ", "名字@例子.中国"] {
            assert!(email_looks_valid(good), "{good}");
        }
        for bad in [
            "", "a", "a@b", "@b.co", "a@.co", "a@b.", "a b@c.de", "a@b@c.de",
        ] {
            assert!(!email_looks_valid(bad), "{bad}");
        }
    }

    #[test]
    fn the_email_link_is_encoded() {
        assert_eq!(
            mailto("15% off & more", "Hi: https://tea.test/?ref=K7M-2QX"),
            "mailto:?subject=15%25%20off%20%26%20more&body=Hi%3A%20https%3A%2F%2Ftea.test%2F%3Fref%3DK7M-2QX"
        );
    }

    #[test]
    fn the_qr_code_reads_back_as_the_link() {
        let link = "https://tea.example/?ref=K7M-2QX";
        let path = qr(link).unwrap();
        // Version 3 at level M holds up to 42 bytes: 29 modules, plus the quiet zone.
        assert_eq!(path.size, 29 + 8);
        let grid = modules_of(&path).unwrap();
        // The quiet zone is white, the finder's corner dark.
        assert!(grid[0].iter().all(|dark| !dark));
        assert!(grid[4][4]);
        let scale = 4;
        let side = grid.len() * scale;
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            if grid[y / scale][x / scale] {
                0
            } else {
                255
            }
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, text) = grids[0].decode().unwrap();
        assert_eq!(text, link);
        assert_eq!(qr(&"x".repeat(3_000)), None);
    }
}
