//! Decoders of the manager's answers (`GET …/subscriptions` and each change's updated
//! subscription) into the wire types of [`comeback_core::subscription`], and the request
//! bodies of the changes, built on the shared field readers in [`crate::wire`]. A
//! subscription whose status this build does not know (a newer server) is left out of
//! the list rather than offered actions it may not allow; links and images pass
//! [`crate::config::safe_link`].

use comeback_core::subscription::{
    CancelReason, Price, SaveOffer, SubscriptionList, SubscriptionStatus, SubscriptionView,
};
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

use super::model::Action;
use crate::config::safe_link;
use crate::wire::*;

impl FromJs for SubscriptionList {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        let items = get(value, "subscriptions");
        if !Array::is_array(&items) {
            return Err(DecodeError("subscriptions"));
        }
        let mut subscriptions = Vec::new();
        for item in items.unchecked_into::<Array>().iter() {
            match SubscriptionView::from_js(&item) {
                Ok(view) => subscriptions.push(view),
                Err(DecodeError("status")) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(SubscriptionList {
            currency: string(value, "currency")?,
            subscriptions,
            cancel_reasons: optional_list(value, "cancel_reasons")?,
            save_offer: match get(value, "save_offer").as_string().as_deref() {
                Some("skip") => Some(SaveOffer::Skip),
                Some("pause") => Some(SaveOffer::Pause),
                _ => None,
            },
        })
    }
}

impl FromJs for CancelReason {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(CancelReason {
            id: string(value, "id")?,
            label: string(value, "label")?,
        })
    }
}

impl FromJs for Price {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(Price {
            regular: int(value, "regular")?,
            price: int(value, "price")?,
            saving: int(value, "saving")?,
        })
    }
}

impl FromJs for SubscriptionView {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        let link = |name| -> Result<Option<String>, DecodeError> {
            Ok(opt_string(value, name)?.and_then(|url| safe_link(&url)))
        };
        Ok(SubscriptionView {
            id: string(value, "id")?,
            product_id: string(value, "product_id")?,
            title: string(value, "title")?,
            url: link("url")?,
            image: link("image")?.filter(|src| src.starts_with("http")),
            plan_id: string(value, "plan_id")?,
            plan_name: string(value, "plan_name")?,
            quantity: int(value, "quantity")?,
            interval: string(value, "interval")?,
            intervals: strings(value, "intervals")?,
            status: named(value, "status", SubscriptionStatus::parse)?,
            next_delivery: maybe_date(value, "next_delivery")?,
            paused_until: maybe_date(value, "paused_until")?,
            renewal_pending: get(value, "renewal_pending").as_bool().unwrap_or(false),
            price: object(value, "price")?,
            free_shipping: get(value, "free_shipping").as_bool().unwrap_or(false),
            deliveries: count(value, "deliveries")?,
            min_deliveries: maybe_int(value, "min_deliveries")?
                .map(|n| u32::try_from(n).map_err(|_| DecodeError("min_deliveries")))
                .transpose()?,
            started_on: maybe_date(value, "started_on")?.ok_or(DecodeError("started_on"))?,
            cancelled_on: maybe_date(value, "cancelled_on")?,
        })
    }
}

/// The JSON body of `action`: `{until}` for a pause, `{reason?, comment?}` for a
/// cancellation, `{interval?, quantity?}` for a change, `{}` otherwise.
pub fn body(action: &Action) -> JsValue {
    let text = |value: &Option<String>| value.as_deref().map_or(JsValue::UNDEFINED, JsValue::from);
    match action {
        Action::Pause { until } => object_of(&[("until", until.to_iso().into())]),
        Action::Cancel { reason, comment } => {
            object_of(&[("reason", text(reason)), ("comment", text(comment))])
        }
        Action::Change { interval, quantity } => object_of(&[
            ("interval", text(interval)),
            ("quantity", quantity.map_or(JsValue::UNDEFINED, number)),
        ]),
        Action::Skip | Action::DeliverNow | Action::Resume => object_of(&[]),
    }
}
