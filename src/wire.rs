//! Moving data across the JS boundary without serde.
//!
//! API answers are parsed by the browser (`JSON.parse`) and read here field by field
//! with `Reflect`; request bodies and event details are built as plain JS objects. This
//! replaces `serde` + `serde-wasm-bindgen`, which cost about a third of the bundle
//! (their generic visitors and the float formatting their error messages pull in) for
//! a handful of fixed shapes. The wire types themselves stay in `comeback-core`, where
//! the server serialises them with serde; the browser tests decode real answers to keep
//! both sides in step.

use comeback_core::api::{
    CodeStatus, ContactChannel, DiscountCodeView, HistoryEntry, LoyaltyMe, NextExpiry, Preferences,
    ProgrammeView, PunchCardView, Redemption, RewardKind, RewardView, WayToEarn,
};
use comeback_core::date::Date;
use comeback_core::error::ErrorCode;
use comeback_core::ledger::EntryKind;
use comeback_core::tier::{Tier, TierPerks, TierProgress};
use comeback_core::tiers::{TierBasis, TierWindow};
use comeback_core::LocalizedText;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// A field that is missing or of the wrong type; names the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeError(pub &'static str);

/// Reading a value out of what `JSON.parse` returned.
pub trait FromJs: Sized {
    /// Reads `value`, or names the first field that does not fit.
    fn from_js(value: &JsValue) -> Result<Self, DecodeError>;
}

/// The own property `name` of `value` (`undefined` when absent, inherited or not an
/// object). Only own properties count: a host page that put `api`, `token` or
/// `join_url` on `Object.prototype` must not reach a setting or an API answer. This is
/// the one reader of JS objects for settings and answers alike.
pub fn get(value: &JsValue, name: &str) -> JsValue {
    let key = JsValue::from_str(name);
    // `is_object` rather than `instanceof Object`: objects without a prototype count.
    if value.is_object() && Object::has_own(value.unchecked_ref::<Object>(), &key) {
        Reflect::get(value, &key).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

fn string(value: &JsValue, name: &'static str) -> Result<String, DecodeError> {
    get(value, name).as_string().ok_or(DecodeError(name))
}

/// An optional string field: absent or `null` is `None`, another type an error.
fn opt_string(value: &JsValue, name: &'static str) -> Result<Option<String>, DecodeError> {
    let field = get(value, name);
    if field.is_undefined() || field.is_null() {
        return Ok(None);
    }
    field.as_string().map(Some).ok_or(DecodeError(name))
}

fn int(value: &JsValue, name: &'static str) -> Result<i64, DecodeError> {
    let number = get(value, name).as_f64().ok_or(DecodeError(name))?;
    // JSON numbers arrive as doubles; the API only sends integers well inside 2^53.
    if number.is_finite() && number.fract() == 0.0 && number.abs() < 9.0e15 {
        Ok(number as i64)
    } else {
        Err(DecodeError(name))
    }
}

fn opt_int(value: &JsValue, name: &'static str) -> Result<i64, DecodeError> {
    if get(value, name).is_undefined() {
        Ok(0)
    } else {
        int(value, name)
    }
}

/// An optional integer field: absent or `null` is `None`.
fn maybe_int(value: &JsValue, name: &'static str) -> Result<Option<i64>, DecodeError> {
    let field = get(value, name);
    if field.is_undefined() || field.is_null() {
        Ok(None)
    } else {
        int(value, name).map(Some)
    }
}

/// An optional `YYYY-MM-DD` field.
fn maybe_date(value: &JsValue, name: &'static str) -> Result<Option<Date>, DecodeError> {
    opt_string(value, name)?
        .map(|text| Date::parse(&text).ok_or(DecodeError(name)))
        .transpose()
}

/// A count field that must fit `u32`.
fn count(value: &JsValue, name: &'static str) -> Result<u32, DecodeError> {
    u32::try_from(int(value, name)?).map_err(|_| DecodeError(name))
}

/// A list of strings; absent is empty.
fn strings(value: &JsValue, name: &'static str) -> Result<Vec<String>, DecodeError> {
    let field = get(value, name);
    if field.is_undefined() || field.is_null() {
        return Ok(Vec::new());
    }
    if !Array::is_array(&field) {
        return Err(DecodeError(name));
    }
    field
        .unchecked_into::<Array>()
        .iter()
        .map(|item| item.as_string().ok_or(DecodeError(name)))
        .collect()
}

/// A field holding one of a fixed set of names, with a default when absent; an unknown
/// name also falls back, so a newer server cannot break the widget.
fn named_or<T: Default>(value: &JsValue, name: &'static str, parse: fn(&str) -> Option<T>) -> T {
    get(value, name)
        .as_string()
        .and_then(|text| parse(&text))
        .unwrap_or_default()
}

fn list<T: FromJs>(value: &JsValue, name: &'static str) -> Result<Vec<T>, DecodeError> {
    let field = get(value, name);
    if !Array::is_array(&field) {
        return Err(DecodeError(name));
    }
    field
        .unchecked_into::<Array>()
        .iter()
        .map(|item| T::from_js(&item))
        .collect()
}

/// Like [`list`], but an absent field is an empty list (fields newer than the server).
fn optional_list<T: FromJs>(value: &JsValue, name: &'static str) -> Result<Vec<T>, DecodeError> {
    if get(value, name).is_undefined() {
        Ok(Vec::new())
    } else {
        list(value, name)
    }
}

/// Like [`list`], but items of a `kind` this build does not know are left out, so a
/// newer server can add kinds of entries without breaking older widgets.
fn known<T: FromJs>(value: &JsValue, name: &'static str) -> Result<Vec<T>, DecodeError> {
    let field = get(value, name);
    if !Array::is_array(&field) {
        return Err(DecodeError(name));
    }
    let mut items = Vec::new();
    for item in field.unchecked_into::<Array>().iter() {
        match T::from_js(&item) {
            Ok(item) => items.push(item),
            Err(DecodeError("kind")) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(items)
}

fn object<T: FromJs>(value: &JsValue, name: &'static str) -> Result<T, DecodeError> {
    T::from_js(&get(value, name))
}

/// A string field holding one of a fixed set of names.
fn named<T>(
    value: &JsValue,
    name: &'static str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, DecodeError> {
    string(value, name)
        .ok()
        .and_then(|s| parse(&s))
        .ok_or(DecodeError(name))
}

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

/// The `code` and `message` of an API error body.
pub fn error_body(value: &JsValue) -> Option<(ErrorCode, String)> {
    let error = get(value, "error");
    let code = get(&error, "code").as_string()?;
    let message = get(&error, "message").as_string().unwrap_or_default();
    Some((ErrorCode::parse(&code), message))
}

/// A plain JS object from name/value pairs: request bodies and event details.
pub fn object_of(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in pairs {
        // Defining a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object.into()
}

/// A JS number for an integer the API sent (exact below 2^53).
pub fn number(value: i64) -> JsValue {
    JsValue::from_f64(value as f64)
}
