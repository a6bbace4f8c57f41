//! Subscribe and save: the wire types of the product-page toggle and the subscription
//! manager, and the two rules both sides follow, what a delivery costs ([`price`]) and
//! when it comes ([`schedule`]).

pub mod price;
pub mod schedule;

use serde::{Deserialize, Serialize};

pub use price::{Discount, Price};
pub use schedule::Schedule;

use crate::date::Date;

/// Most cancellation reasons a shop may list.
pub const MAX_CANCEL_REASONS: usize = 12;
/// Longest free-text comment on a cancellation, in characters.
pub const MAX_COMMENT_CHARS: usize = 1_000;

/// A plan the shop offers on a product, as the toggle shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferedPlan {
    /// The shop's plan id.
    pub id: String,
    /// Its name in the answer's locale.
    pub name: String,
    /// Its discount on each delivery; none for a plan that only ships free.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<Discount>,
    /// Whether deliveries ship free.
    pub free_shipping: bool,
    /// The intervals offered (`P2W`, `P1M`), in the shop's order; the first is the
    /// default.
    pub intervals: Vec<String>,
    /// The least number of deliveries before the subscription may be cancelled, if the
    /// plan sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_deliveries: Option<u32>,
}

impl OfferedPlan {
    /// What one unit at `unit_price` costs on this plan.
    pub fn price(&self, unit_price: i64) -> Price {
        Price::of(unit_price, self.discount)
    }
}

/// `GET /v1/shops/{shop}/subscriptions/offer?product=…`: the plans that cover a
/// product, with its price. No plans means the toggle shows nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubscriptionOffer {
    /// The product.
    pub product_id: String,
    /// The shop's ISO 4217 currency.
    pub currency: String,
    /// The product's one-time unit price, minor units.
    pub unit_price: i64,
    /// The plans that cover it, in the shop's order.
    pub plans: Vec<OfferedPlan>,
}

/// Where a subscription stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    /// Delivering on schedule.
    Active,
    /// Paused until `paused_until`; it resumes by itself that day.
    Paused,
    /// Cancelled: no more deliveries.
    Cancelled,
}

impl SubscriptionStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionStatus::Active => "active",
            SubscriptionStatus::Paused => "paused",
            SubscriptionStatus::Cancelled => "cancelled",
        }
    }

    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<SubscriptionStatus> {
        [
            SubscriptionStatus::Active,
            SubscriptionStatus::Paused,
            SubscriptionStatus::Cancelled,
        ]
        .into_iter()
        .find(|status| status.as_str() == name)
    }
}

/// One of the shopper's subscriptions, as the manager shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubscriptionView {
    /// Comeback's id of the subscription.
    pub id: String,
    /// The product delivered.
    pub product_id: String,
    /// Its title in the answer's locale (the product id when the catalogue lacks it).
    pub title: String,
    /// Its page, when the catalogue has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Its image, when the catalogue has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// The plan.
    pub plan_id: String,
    /// The plan's name in the answer's locale.
    pub plan_name: String,
    /// Units per delivery.
    pub quantity: i64,
    /// How often it delivers (`P2W`).
    pub interval: String,
    /// The intervals it may change to (the plan's).
    pub intervals: Vec<String>,
    /// Where it stands.
    pub status: SubscriptionStatus,
    /// The next delivery (none once cancelled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_delivery: Option<Date>,
    /// While paused, the day it resumes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused_until: Option<Date>,
    /// Whether the shop has been asked to charge and ship a delivery it has not
    /// confirmed yet.
    pub renewal_pending: bool,
    /// The unit price today under the plan.
    pub price: Price,
    /// Whether deliveries ship free.
    pub free_shipping: bool,
    /// Deliveries so far, the first order included.
    pub deliveries: u32,
    /// The plan's least number of deliveries before cancelling, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_deliveries: Option<u32>,
    /// The day it started.
    pub started_on: Date,
    /// The day it was cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_on: Option<Date>,
}

/// A reason the shop lists for cancelling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancelReason {
    /// Its id, sent back with the cancellation.
    pub id: String,
    /// Its label in the answer's locale.
    pub label: String,
}

/// What the manager may offer once, before a cancellation goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SaveOffer {
    /// Skip the next delivery instead.
    Skip,
    /// Pause instead.
    Pause,
}

/// `GET /v1/shops/{shop}/subscriptions`: the signed-in shopper's subscriptions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubscriptionList {
    /// The shop's ISO 4217 currency.
    pub currency: String,
    /// Running and paused first, then cancelled; newest first within each.
    pub subscriptions: Vec<SubscriptionView>,
    /// The reasons the cancel form lists (may be empty: then no reason is asked).
    pub cancel_reasons: Vec<CancelReason>,
    /// What the cancel form offers once instead, if the shop set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub save_offer: Option<SaveOffer>,
}

/// `POST …/subscriptions/{id}/pause` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PauseRequest {
    /// The day deliveries resume: after today, at most 365 days away.
    pub until: Date,
}

/// `POST …/subscriptions/{id}/cancel` body (may be empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancelRequest {
    /// One of the shop's reason ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Anything else the shopper wrote, at most 1 000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// `PATCH …/subscriptions/{id}` body: at least one field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubscriptionChange {
    /// A new interval, one of the plan's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    /// A new number of units per delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
}

/// The value of the toggle's hidden form field for a subscription: `<plan id>:<interval>`
/// (empty for a one-time purchase). Plan ids hold no `:`, so the shop's cart splits it
/// at the last one.
pub fn form_value(plan_id: &str, interval: &str) -> String {
    format!("{plan_id}:{interval}")
}

/// Reads a [`form_value`] back: `(plan id, interval)`.
pub fn parse_form_value(value: &str) -> Option<(&str, &str)> {
    let (plan, interval) = value.rsplit_once(':')?;
    (!plan.is_empty() && crate::orders::Interval::parse(interval).is_some())
        .then_some((plan, interval))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_value_round_trips() {
        let value = form_value("tea-club", "P2W");
        assert_eq!(value, "tea-club:P2W");
        assert_eq!(parse_form_value(&value), Some(("tea-club", "P2W")));
        assert_eq!(parse_form_value(""), None);
        assert_eq!(parse_form_value(":P2W"), None);
        assert_eq!(parse_form_value("tea-club:2w"), None);
    }

    #[test]
    fn statuses_round_trip_their_wire_names() {
        for status in [
            SubscriptionStatus::Active,
            SubscriptionStatus::Paused,
            SubscriptionStatus::Cancelled,
        ] {
            assert_eq!(SubscriptionStatus::parse(status.as_str()), Some(status));
            assert_eq!(
                serde_json::to_value(status).unwrap(),
                serde_json::json!(status.as_str())
            );
        }
    }

    #[test]
    fn discounts_are_tagged_on_the_wire() {
        let plan: OfferedPlan = serde_json::from_value(serde_json::json!({
            "id": "tea-club",
            "name": "Tea club",
            "discount": {"kind": "percent", "percent": 10},
            "free_shipping": true,
            "intervals": ["P2W", "P4W"]
        }))
        .unwrap();
        assert_eq!(plan.discount, Some(Discount::Percent { percent: 10 }));
        assert_eq!(plan.price(2_000).price, 1_800);
        assert_eq!(plan.min_deliveries, None);
    }
}
