//! Decoder of the offer (`GET …/subscriptions/offer`) into the wire types of
//! [`comeback_core::subscription`], built on the shared field readers in [`crate::wire`].
//! A plan whose discount this build does not know (a newer server) is left out rather
//! than priced wrong; intervals that are not ISO 8601 durations are dropped.

use comeback_core::orders::Interval;
use comeback_core::subscription::{Discount, OfferedPlan, SubscriptionOffer};
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

use crate::wire::*;

impl FromJs for SubscriptionOffer {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        let plans = get(value, "plans");
        if !Array::is_array(&plans) {
            return Err(DecodeError("plans"));
        }
        let mut kept = Vec::new();
        for plan in plans.unchecked_into::<Array>().iter() {
            if let Some(plan) = self::plan(&plan)? {
                kept.push(plan);
            }
        }
        Ok(SubscriptionOffer {
            product_id: string(value, "product_id")?,
            currency: string(value, "currency")?,
            unit_price: int(value, "unit_price")?,
            plans: kept,
        })
    }
}

/// One plan, or `None` for one the widget cannot price (see the module docs).
fn plan(value: &JsValue) -> Result<Option<OfferedPlan>, DecodeError> {
    let field = get(value, "discount");
    let discount = if field.is_undefined() || field.is_null() {
        None
    } else {
        match get(&field, "kind").as_string().as_deref() {
            Some("percent") => Some(Discount::Percent {
                percent: u8::try_from(int(&field, "percent")?)
                    .map_err(|_| DecodeError("percent"))?,
            }),
            Some("amount") => Some(Discount::Amount {
                amount: int(&field, "amount")?,
            }),
            _ => return Ok(None),
        }
    };
    let mut intervals = strings(value, "intervals")?;
    intervals.retain(|interval| Interval::parse(interval).is_some());
    Ok(Some(OfferedPlan {
        id: string(value, "id")?,
        name: string(value, "name")?,
        discount,
        free_shipping: get(value, "free_shipping").as_bool().unwrap_or(false),
        intervals,
        min_deliveries: maybe_int(value, "min_deliveries")?
            .map(|n| u32::try_from(n).map_err(|_| DecodeError("min_deliveries")))
            .transpose()?,
    }))
}
