//! Decoders of the referral answers (`GET …/referrals/me`, `GET …/referrals/codes/{code}`,
//! `POST …/referrals/claim`) into the wire types of [`comeback_core::referral`], built on
//! the shared field readers in [`crate::wire`]. A referral whose status this build does
//! not know (a newer server) is left out of the list; an unknown reason shows none.

use comeback_core::referral::{
    FriendReward, ReferralLanding, ReferralProgramme, ReferralReason, ReferralRewardKind,
    ReferralStatus, ReferralView, RewardOffer,
};
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

use crate::wire::*;

impl FromJs for RewardOffer {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(RewardOffer {
            kind: named(value, "kind", ReferralRewardKind::parse)?,
            value: opt_int(value, "value")?,
            currency: opt_string(value, "currency")?.unwrap_or_default(),
            minimum_order: maybe_int(value, "minimum_order")?,
            valid_days: maybe_int(value, "valid_days")?
                .map(|days| u32::try_from(days).map_err(|_| DecodeError("valid_days")))
                .transpose()?,
            description: opt_string(value, "description")?,
        })
    }
}

impl FromJs for ReferralView {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(ReferralView {
            id: string(value, "id")?,
            friend: opt_string(value, "friend")?,
            status: named(value, "status", ReferralStatus::parse)?,
            reason: get(value, "reason")
                .as_string()
                .and_then(|name| ReferralReason::parse(&name)),
            ordered_on: maybe_date(value, "ordered_on")?.ok_or(DecodeError("ordered_on"))?,
            pays_on: maybe_date(value, "pays_on")?,
            paid_on: maybe_date(value, "paid_on")?,
            reward: object(value, "reward")?,
            reward_code: opt_string(value, "reward_code")?,
        })
    }
}

/// A count the API sends as a non-negative integer.
fn tally(value: &JsValue, name: &'static str) -> Result<u64, DecodeError> {
    u64::try_from(opt_int(value, name)?).map_err(|_| DecodeError(name))
}

impl FromJs for ReferralProgramme {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        let items = get(value, "referrals");
        let mut referrals = Vec::new();
        if Array::is_array(&items) {
            for item in items.unchecked_into::<Array>().iter() {
                match ReferralView::from_js(&item) {
                    Ok(view) => referrals.push(view),
                    Err(DecodeError("status")) => {}
                    Err(error) => return Err(error),
                }
            }
        } else if !items.is_undefined() {
            return Err(DecodeError("referrals"));
        }
        Ok(ReferralProgramme {
            code: string(value, "code")?,
            link: string(value, "link")?,
            advocate_reward: object(value, "advocate_reward")?,
            friend_reward: object(value, "friend_reward")?,
            hold_days: count(value, "hold_days")?,
            visits: tally(value, "visits")?,
            signups: tally(value, "signups")?,
            referrals,
        })
    }
}

impl FromJs for ReferralLanding {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(ReferralLanding {
            code: string(value, "code")?,
            advocate_name: opt_string(value, "advocate_name")?,
            friend_reward: object(value, "friend_reward")?,
            window_days: count(value, "window_days")?,
        })
    }
}

impl FromJs for FriendReward {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(FriendReward {
            code: string(value, "code")?,
            reward: object(value, "reward")?,
            expires_at: int(value, "expires_at")?,
        })
    }
}
