//! Decoders of the loyalty API's answers (`/loyalty/me`, `/loyalty/programme`,
//! redemptions, preferences), built on the shared field readers in [`crate::wire`].

use comeback_core::api::{
    CodeStatus, ContactChannel, DiscountCodeView, HistoryEntry, LoyaltyMe, NextExpiry, Preferences,
    ProgrammeView, PunchCardView, Redemption, RewardKind, RewardView, WayToEarn,
};
use comeback_core::date::Date;
use comeback_core::ledger::EntryKind;
use comeback_core::tier::{Tier, TierPerks, TierProgress};
use comeback_core::tiers::{TierBasis, TierWindow};
use comeback_core::LocalizedText;
use wasm_bindgen::JsValue;

use crate::wire::*;

impl FromJs for LocalizedText {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(LocalizedText {
            en: string(value, "en")?,
            zh_hans: opt_string(value, "zh-Hans")?,
            zh_hant: opt_string(value, "zh-Hant")?,
        })
    }
}

impl FromJs for Tier {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        let perks = get(value, "perks");
        Ok(Tier {
            id: string(value, "id")?,
            name: object(value, "name")?,
            threshold: int(value, "threshold")?,
            perks: if perks.is_object() {
                TierPerks::from_js(&perks)?
            } else {
                TierPerks::default()
            },
        })
    }
}

impl FromJs for TierPerks {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        let multiplier = maybe_int(value, "points_multiplier_percent")?.unwrap_or(100);
        Ok(TierPerks {
            points_multiplier_percent: u32::try_from(multiplier)
                .map_err(|_| DecodeError("points_multiplier_percent"))?,
            birthday_bonus: opt_int(value, "birthday_bonus")?,
            free_shipping: get(value, "free_shipping").as_bool().unwrap_or(false),
            exclusive_rewards: strings(value, "exclusive_rewards")?,
        })
    }
}

impl FromJs for PunchCardView {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(PunchCardView {
            id: string(value, "id")?,
            name: object(value, "name")?,
            reward_id: string(value, "reward_id")?,
            reward_name: object(value, "reward_name")?,
            required: count(value, "required")?,
            filled: count(value, "filled")?,
            rewards_earned: count(value, "rewards_earned")?,
            min_spend: maybe_int(value, "min_spend")?,
            window_days: maybe_int(value, "window_days")?
                .map(|days| u32::try_from(days).map_err(|_| DecodeError("window_days")))
                .transpose()?,
            complete_by: maybe_date(value, "complete_by")?,
        })
    }
}

impl FromJs for TierProgress {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        let percent = int(value, "percent")?;
        Ok(TierProgress {
            current: opt_string(value, "current")?,
            next: opt_string(value, "next")?,
            points_to_next: int(value, "points_to_next")?,
            percent: u8::try_from(percent.clamp(0, 100)).unwrap_or(100),
        })
    }
}

impl FromJs for RewardView {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(RewardView {
            id: string(value, "id")?,
            name: object(value, "name")?,
            kind: named(value, "kind", RewardKind::parse)?,
            value: opt_int(value, "value")?,
            cost: int(value, "cost")?,
            affordable: get(value, "affordable").as_bool().unwrap_or(false),
            product_id: opt_string(value, "product_id")?,
            max_points: maybe_int(value, "max_points")?,
            tiers: strings(value, "tiers")?,
            early_access_until: maybe_date(value, "early_access_until")?,
            eligible: get(value, "eligible").as_bool().unwrap_or(true),
        })
    }
}

impl FromJs for WayToEarn {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        match string(value, "kind")?.as_str() {
            "order" => Ok(WayToEarn::Order {
                points_per_unit: int(value, "points_per_unit")?,
            }),
            "action" => Ok(WayToEarn::Action {
                id: string(value, "id")?,
                name: object(value, "name")?,
                points: int(value, "points")?,
            }),
            "birthday" => Ok(WayToEarn::Birthday {
                points: int(value, "points")?,
            }),
            "anniversary" => Ok(WayToEarn::Anniversary {
                points: int(value, "points")?,
            }),
            _ => Err(DecodeError("kind")),
        }
    }
}

impl FromJs for HistoryEntry {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        let reward_name = get(value, "reward_name");
        Ok(HistoryEntry {
            id: string(value, "id")?,
            kind: named(value, "kind", EntryKind::parse)?,
            points: int(value, "points")?,
            reference: string(value, "reference")?,
            reward_name: if reward_name.is_object() {
                Some(LocalizedText::from_js(&reward_name)?)
            } else {
                None
            },
            forgiven: opt_int(value, "forgiven")?,
            created_at: int(value, "created_at")?,
        })
    }
}

impl FromJs for DiscountCodeView {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        let status = |s: &str| match s {
            "active" => Some(CodeStatus::Active),
            "used" => Some(CodeStatus::Used),
            "expired" => Some(CodeStatus::Expired),
            "released" => Some(CodeStatus::Released),
            _ => None,
        };
        Ok(DiscountCodeView {
            code: string(value, "code")?,
            status: named(value, "status", status)?,
            customer_id: string(value, "customer_id")?,
            reward_id: string(value, "reward_id")?,
            kind: named(value, "kind", RewardKind::parse)?,
            value: opt_int(value, "value")?,
            currency: string(value, "currency")?,
            created_at: int(value, "created_at")?,
            expires_at: int(value, "expires_at")?,
            used_by_order: opt_string(value, "used_by_order")?,
            product_id: opt_string(value, "product_id")?,
        })
    }
}

impl FromJs for LoyaltyMe {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(LoyaltyMe {
            customer_id: string(value, "customer_id")?,
            name: opt_string(value, "name")?,
            balance: int(value, "balance")?,
            lifetime_points: int(value, "lifetime_points")?,
            currency: string(value, "currency")?,
            tier: object(value, "tier")?,
            tiers: list(value, "tiers")?,
            tier_basis: named_or(value, "tier_basis", TierBasis::parse),
            tier_window: named_or(value, "tier_window", TierWindow::parse),
            qualifying_total: opt_int(value, "qualifying_total")?,
            tier_held_until: maybe_date(value, "tier_held_until")?,
            punch_cards: optional_list(value, "punch_cards")?,
            early_access_products: strings(value, "early_access_products")?,
            rewards: known(value, "rewards")?,
            ways_to_earn: known(value, "ways_to_earn")?,
            history: known(value, "history")?,
            codes: list(value, "codes")?,
            next_expiry: {
                let next = get(value, "next_expiry");
                if next.is_object() {
                    Some(NextExpiry::from_js(&next)?)
                } else {
                    None
                }
            },
            birthday: opt_string(value, "birthday")?
                .map(|text| {
                    comeback_core::date::MonthDay::parse(&text).ok_or(DecodeError("birthday"))
                })
                .transpose()?,
            next_birthday_reward: maybe_date(value, "next_birthday_reward")?,
            preferences: {
                let prefs = get(value, "preferences");
                if prefs.is_object() {
                    Some(Preferences::from_js(&prefs)?)
                } else {
                    None
                }
            },
        })
    }
}

impl FromJs for NextExpiry {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(NextExpiry {
            points: int(value, "points")?,
            on: named(value, "on", Date::parse)?,
        })
    }
}

impl FromJs for ProgrammeView {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(ProgrammeView {
            shop_name: string(value, "shop_name")?,
            currency: string(value, "currency")?,
            tiers: list(value, "tiers")?,
            tier_basis: named_or(value, "tier_basis", TierBasis::parse),
            tier_window: named_or(value, "tier_window", TierWindow::parse),
            punch_cards: optional_list(value, "punch_cards")?,
            rewards: known(value, "rewards")?,
            ways_to_earn: known(value, "ways_to_earn")?,
            join_url: opt_string(value, "join_url")?,
            signin_url: opt_string(value, "signin_url")?,
        })
    }
}

impl FromJs for Redemption {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(Redemption {
            code: string(value, "code")?,
            reward_id: string(value, "reward_id")?,
            kind: named(value, "kind", RewardKind::parse)?,
            value: opt_int(value, "value")?,
            points_spent: int(value, "points_spent")?,
            balance: int(value, "balance")?,
            expires_at: int(value, "expires_at")?,
        })
    }
}

impl FromJs for Preferences {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        let consent = get(value, "marketing_consent");
        Ok(Preferences {
            contact_channel: opt_string(value, "contact_channel")?
                .map(|name| ContactChannel::parse(&name).ok_or(DecodeError("contact_channel")))
                .transpose()?,
            marketing_consent: if consent.is_null() || consent.is_undefined() {
                None
            } else {
                Some(consent.as_bool().ok_or(DecodeError("marketing_consent"))?)
            },
            updated_at: maybe_int(value, "updated_at")?,
        })
    }
}
