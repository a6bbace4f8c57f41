//! What the order webhook hands the referral step: the order's `referral_code` read as
//! an advocate's code, and the shop's terms (limits, hold, the day of the order in the
//! shop's time zone, the advocate's reward). A code that does not read as a referral
//! code is kept with the order and refers nobody; it never refuses the order.

use comeback_core::api::OrderWebhook;
use comeback_core::referral::code::parse_referral_code;

use crate::auth::Shop;
use crate::store::ReferralTerms;

/// The order's `referral_code` in canonical form, when it reads as one (logged and
/// ignored otherwise).
pub fn code_of(shop: &Shop, order: &OrderWebhook) -> Option<String> {
    let sent = order.referral_code.as_deref()?;
    let code = parse_referral_code(sent);
    if code.is_none() {
        tracing::info!(shop = %shop.id, order = %order.id, code = %crate::error::excerpt(sent), "the order's referral_code is not a referral code; ignored");
    }
    code
}

/// The terms the order is decided by, or `None` for a shop without referrals.
/// `placed_at` (Unix seconds, no later than now) gives the day of the order.
pub fn terms_of<'a>(
    shop: &Shop,
    code: Option<&'a str>,
    address: Option<&'a str>,
    placed_at: i64,
) -> Option<ReferralTerms<'a>> {
    let referrals = shop.config.referrals.as_ref()?;
    Some(ReferralTerms {
        code,
        address,
        limits: referrals.limits(),
        hold_days: referrals.hold_days,
        ordered_on: referrals.local_date(placed_at),
        reward_kind: referrals.advocate_reward.kind,
        reward_value: referrals.advocate_reward.value,
    })
}
