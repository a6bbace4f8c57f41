//! Request and response bodies of the `/v1` REST API.
//!
//! Field names are snake_case on the wire. Timestamps are Unix seconds (UTC); money is
//! in minor units of the shop's currency (fen for CNY, cents for USD).

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::ledger::EntryKind;
use crate::tier::{Tier, TierProgress};
use crate::tiers::{TierBasis, TierWindow};
use crate::LocalizedText;

/// `GET /v1/shops/{shop}/loyalty/me`: everything the loyalty widget shows a signed-in
/// shopper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoyaltyMe {
    /// The customer id from the verified token.
    pub customer_id: String,
    /// The customer's name, when the token carries one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Spendable points.
    pub balance: i64,
    /// Points earned over the customer's lifetime (refunds deducted).
    pub lifetime_points: i64,
    /// The shop's currency (ISO 4217), for showing reward values.
    pub currency: String,
    /// Where the customer stands on the tier ladder: the tier held and what the next
    /// one still needs.
    pub tier: TierProgress,
    /// The whole ladder, lowest first, with each tier's perks.
    pub tiers: Vec<Tier>,
    /// What the tier thresholds measure.
    #[serde(default)]
    pub tier_basis: TierBasis,
    /// The period whose total decides the tier.
    #[serde(default)]
    pub tier_window: TierWindow,
    /// The customer's total in the current window, in the basis' unit (points, or
    /// minor units of money spent).
    #[serde(default)]
    pub qualifying_total: i64,
    /// Last day the current tier is kept whatever the total does, `YYYY-MM-DD`; absent
    /// for lifetime programmes and shoppers without a tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2027-12-31"))]
    pub tier_held_until: Option<Date>,
    /// The shop's punch cards with the customer's stamps.
    #[serde(default)]
    pub punch_cards: Vec<PunchCardView>,
    /// Products the customer may already see and buy while they are still early access
    /// for their tier, so the shop's pages can show them.
    #[serde(default)]
    pub early_access_products: Vec<String>,
    /// Every reward of the programme, with whether the balance covers it.
    pub rewards: Vec<RewardView>,
    /// How points are earned.
    pub ways_to_earn: Vec<WayToEarn>,
    /// Most recent ledger entries, newest first.
    pub history: Vec<HistoryEntry>,
    /// Discount codes from earlier redemptions that are still usable, newest first.
    pub codes: Vec<DiscountCodeView>,
    /// The next points to expire, when the shop lets points expire and some will.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_expiry: Option<NextExpiry>,
    /// The birthday the shopper set (`--MM-DD`), when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "--03-14"))]
    pub birthday: Option<crate::date::MonthDay>,
    /// The day the next birthday reward not yet given arrives, `YYYY-MM-DD`, when the
    /// birthday is set and the shop gives birthday rewards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2027-03-14"))]
    pub next_birthday_reward: Option<crate::date::Date>,
    /// The shopper's contact preferences (fields null until chosen), so the widget
    /// needs no second request to know whether to ask.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferences: Option<Preferences>,
}

/// Points that will expire on a date unless spent before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NextExpiry {
    /// How many points expire.
    pub points: i64,
    /// The day they expire on (they can be spent until the day before), `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2027-03-01"))]
    pub on: crate::date::Date,
}

/// `GET /v1/shops/{shop}/loyalty/programme` (public): the programme as a signed-out
/// shopper sees it, to invite them to join.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgrammeView {
    /// The shop's display name.
    pub shop_name: String,
    /// The shop's currency (ISO 4217).
    pub currency: String,
    /// The tier ladder, lowest first, with each tier's perks.
    pub tiers: Vec<Tier>,
    /// What the tier thresholds measure.
    #[serde(default)]
    pub tier_basis: TierBasis,
    /// The period whose total decides the tier.
    #[serde(default)]
    pub tier_window: TierWindow,
    /// The shop's punch cards, every one empty.
    #[serde(default)]
    pub punch_cards: Vec<PunchCardView>,
    /// Every reward (`affordable` is false for everyone signed out).
    pub rewards: Vec<RewardView>,
    /// How points are earned.
    pub ways_to_earn: Vec<WayToEarn>,
    /// Where to send a shopper who wants to join, if the shop set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_url: Option<String>,
    /// Where to send a shopper who wants to sign in, if the shop set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signin_url: Option<String>,
}

/// What a reward gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RewardKind {
    /// A fixed amount off the order, `value` in minor units.
    AmountOff,
    /// A percentage off the order, `value` in percent.
    PercentOff,
    /// Free shipping on the order; `value` is unused.
    FreeShipping,
    /// One unit of `product_id` free with the order; `value` is unused.
    FreeProduct,
    /// Points spent at checkout in the amount the shopper chooses: every `cost` points
    /// take `value` minor units off, up to `max_points` at once.
    PointsAtCheckout,
}

impl RewardKind {
    /// The kind as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            RewardKind::AmountOff => "amount_off",
            RewardKind::PercentOff => "percent_off",
            RewardKind::FreeShipping => "free_shipping",
            RewardKind::FreeProduct => "free_product",
            RewardKind::PointsAtCheckout => "points_at_checkout",
        }
    }

    /// Parses a stored kind.
    pub fn parse(value: &str) -> Option<RewardKind> {
        [
            RewardKind::AmountOff,
            RewardKind::PercentOff,
            RewardKind::FreeShipping,
            RewardKind::FreeProduct,
            RewardKind::PointsAtCheckout,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == value)
    }
}

/// A reward as the shopper sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RewardView {
    /// Stable id, sent back to redeem.
    pub id: String,
    /// Name shown to shoppers.
    pub name: LocalizedText,
    /// What it gives.
    pub kind: RewardKind,
    /// Amount in minor units (`amount_off`), percent (`percent_off`), or minor units
    /// off per `cost` points (`points_at_checkout`).
    pub value: i64,
    /// Points it costs; for `points_at_checkout`, the points of one step (the least
    /// that can be spent, and the step of the amount chosen).
    pub cost: i64,
    /// Whether the current balance covers the cost.
    pub affordable: bool,
    /// The product given, for `free_product`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// Most points one `points_at_checkout` redemption may spend (a multiple of
    /// `cost`); absent means the whole balance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_points: Option<i64>,
    /// Tiers whose members may redeem it; empty for everyone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<String>,
    /// When set, `tiers` only restricts the reward through this day (early access);
    /// from the next day everyone may redeem it. `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2027-03-01"))]
    pub early_access_until: Option<Date>,
    /// Whether the customer's tier lets them redeem it today (false for every
    /// restricted reward when signed out).
    #[serde(default = "yes")]
    pub eligible: bool,
}

fn yes() -> bool {
    true
}

/// A punch card ("buy 6, the 7th is free") with the customer's stamps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PunchCardView {
    /// Stable id.
    pub id: String,
    /// What the card is, shown to shoppers ("Buy 6 teas, the 7th is on us").
    pub name: LocalizedText,
    /// The reward a full card gives, issued as a discount code.
    pub reward_id: String,
    /// That reward's name.
    pub reward_name: LocalizedText,
    /// Stamps that fill a card.
    pub required: u32,
    /// Stamps on the current card, below `required`.
    pub filled: u32,
    /// Cards the customer has filled so far.
    pub rewards_earned: u32,
    /// Least order total, minor units, that earns a stamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_spend: Option<i64>,
    /// Days a card has to be filled, counting its first stamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_days: Option<u32>,
    /// Last day a stamp still counts on the current card, `YYYY-MM-DD`; absent without
    /// a time limit or while the card is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2027-01-31"))]
    pub complete_by: Option<Date>,
}

/// One way to earn points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WayToEarn {
    /// Every paid order earns `points_per_unit` points per whole currency unit.
    Order {
        /// Points per whole unit of the shop's currency.
        points_per_unit: i64,
    },
    /// Something the shop's backend reports the shopper did (signed up, wrote a review,
    /// followed the shop…), worth a fixed number of points within the action's limits.
    Action {
        /// Stable id the shop's backend sends when it awards the action.
        id: String,
        /// What the shopper does, shown in "ways to earn" and in the history.
        name: LocalizedText,
        /// Points per award.
        points: i64,
    },
    /// Points on the birthday the shopper sets, once a year.
    Birthday {
        /// Points given (before any tier bonus).
        points: i64,
    },
    /// Points on each anniversary of the shopper's first paid order.
    Anniversary {
        /// Points given.
        points: i64,
    },
}

/// One ledger entry as the shopper sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    /// Entry id.
    pub id: String,
    /// Why the entry exists.
    pub kind: EntryKind,
    /// Change to the balance (negative for spending and refunds).
    pub points: i64,
    /// The order, reward or note the entry refers to.
    pub reference: String,
    /// For rewards, the reward's name when it was redeemed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reward_name: Option<LocalizedText>,
    /// For refunds, points that were already spent and so were not taken back.
    #[serde(default)]
    pub forgiven: i64,
    /// When it happened, Unix seconds.
    pub created_at: i64,
}

/// `POST /v1/shops/{shop}/loyalty/redemptions` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedeemRequest {
    /// The reward to redeem.
    pub reward_id: String,
    /// For `points_at_checkout`: the points to spend, a multiple of the reward's `cost`
    /// from `cost` up to `max_points` and the balance. Not allowed for other kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<i64>,
}

/// The answer to a redemption: the discount code and the new balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Redemption {
    /// The discount code to use at checkout.
    pub code: String,
    /// The reward redeemed.
    pub reward_id: String,
    /// What the code gives.
    pub kind: RewardKind,
    /// Amount in minor units or percent, as on the reward.
    pub value: i64,
    /// Points spent.
    pub points_spent: i64,
    /// Balance after spending.
    pub balance: i64,
    /// When the code stops working, Unix seconds.
    pub expires_at: i64,
}

/// State of a discount code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CodeStatus {
    /// Can be used.
    Active,
    /// Already consumed by an order.
    Used,
    /// Past its expiry.
    Expired,
    /// Given back by the shop's backend (never used, or its order was cancelled).
    Released,
    /// Taken back by a refund of the order whose points bought it; no points came back.
    Revoked,
}

/// A discount code as the shop's backend (and the shopper's history) sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiscountCodeView {
    /// The code.
    pub code: String,
    /// Whether it can still be used.
    pub status: CodeStatus,
    /// The customer it was issued to.
    pub customer_id: String,
    /// The reward it came from.
    pub reward_id: String,
    /// What it gives.
    pub kind: RewardKind,
    /// Amount in minor units or percent.
    pub value: i64,
    /// The shop's currency.
    pub currency: String,
    /// Issued at, Unix seconds.
    pub created_at: i64,
    /// Expires at, Unix seconds.
    pub expires_at: i64,
    /// The order that consumed it, once used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_by_order: Option<String>,
    /// The product a `free_product` code gives, so the checkout can add it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
}

/// The answer to `POST /v1/shops/{shop}/discount-codes/{code}/release` (secret key):
/// the code, now `released`, and the points it gave back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeRelease {
    /// The code after release.
    pub code: DiscountCodeView,
    /// Points returned to the customer by this call (0 when released before, or for a
    /// code that cost no points).
    pub points_returned: i64,
    /// The customer's balance afterwards.
    pub balance: i64,
}

/// `POST /v1/shops/{shop}/discount-codes/{code}/consume` body (secret key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsumeCodeRequest {
    /// The shop's order id that uses the code.
    pub order_id: String,
}

/// Status of an order in the order webhook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Paid: the order earns points.
    Paid,
    /// Refunded in full: the points it earned are taken back.
    Refunded,
}

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderLine {
    /// The shop's product id.
    pub product_id: String,
    /// Units bought.
    pub quantity: i64,
    /// Price of one unit, minor units.
    pub unit_price: i64,
    /// The subscription the line was bought under, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription: Option<crate::orders::LineSubscription>,
}

/// `POST /v1/shops/{shop}/webhooks/orders` body, signed with `Comeback-Signature`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderWebhook {
    /// The shop's order id; the same id is processed once per status.
    pub id: String,
    /// The shop's customer id (the `sub` of that customer's tokens).
    pub customer_id: String,
    /// `paid` or `refunded`.
    pub status: OrderStatus,
    /// ISO 4217 code; must be the shop's currency.
    pub currency: String,
    /// Order total in minor units; points are earned on it.
    pub total: i64,
    /// The order's lines.
    #[serde(default)]
    pub lines: Vec<OrderLine>,
    /// When the order was placed, RFC 3339.
    #[serde(default)]
    pub created_at: Option<String>,
    /// The customer's email at the time of the order; stored lowercased.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Discount codes used on the order (the shop's own and Comeback's), at most 20.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discount_codes: Vec<String>,
    /// The referral code the customer arrived with, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral_code: Option<String>,
    /// The shopper's IP address at checkout (like Shopify's `browser_ip`), for the
    /// referral rule `too_many_from_one_address` (IPv4 whole, IPv6 by its /64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_ip: Option<String>,
    /// With `status: "refunded"`: minor units refunded so far over all of the order's
    /// refunds (cumulative); absent (with no `refunded_lines`) refunds the whole order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_total: Option<i64>,
    /// With `status: "refunded"`: the units refunded so far per product (cumulative),
    /// instead of `refund_total`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refunded_lines: Vec<crate::orders::RefundedLine>,
}

/// The answer to an order webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderWebhookResult {
    /// The order id.
    pub order_id: String,
    /// Points this delivery moved (0 for a repeat).
    pub points: i64,
    /// The customer's balance afterwards.
    pub balance: i64,
    /// True when this order and status had been processed before.
    pub duplicate: bool,
}

/// `GET /v1/shops/{shop}/admin/customers/{customer_id}` (secret key): a customer as the
/// shop's staff see them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminCustomer {
    /// The shop's customer id.
    pub customer_id: String,
    /// Spendable points.
    pub balance: i64,
    /// Points earned over the customer's lifetime (refunds deducted); decides the tier.
    pub lifetime_points: i64,
    /// Where the customer stands on the tier ladder.
    pub tier: TierProgress,
    /// The latest 100 ledger entries, newest first.
    pub history: Vec<HistoryEntry>,
    /// Unused, unexpired discount codes, newest first.
    pub codes: Vec<DiscountCodeView>,
    /// When the server first recorded the customer, Unix seconds.
    pub created_at: i64,
    /// The next points to expire, when the shop lets points expire and some will.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_expiry: Option<NextExpiry>,
    /// The customer's contact preferences (fields null until the shopper chooses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferences: Option<Preferences>,
    /// The customer's total in the current tier window, in the basis' unit (points, or
    /// minor units of money spent).
    #[serde(default)]
    pub qualifying_total: i64,
    /// Last day the current tier is kept whatever the total does, `YYYY-MM-DD`; absent
    /// for lifetime programmes and customers without a tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2027-12-31"))]
    pub tier_held_until: Option<Date>,
    /// Points the customer owes after refunds that could not take back all they owed
    /// (see `comeback_core::clawback`); later earnings repay it first.
    #[serde(default)]
    pub points_debt: i64,
    /// The refund steps among `history`, by entry id: the `order_refunded` entries that
    /// revoked a code, took back a multiplier bonus, repaid a debt or left one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history_details: Vec<HistoryDetail>,
}

/// What a refund step in the history did, beyond its `kind` (`order_refunded`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryDetail {
    /// The history entry's id.
    pub id: String,
    /// The step, when it is not the refund's own entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<crate::ledger::EntryDetail>,
    /// For `code_revoked`: the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// For `tier_bonus_taken_back`: the later order whose multiplier bonus was taken
    /// back (the entry's `reference` is the refunded order).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    /// The entry's change to the points owed (positive: a new debt; negative: repaid).
    #[serde(default)]
    pub debt: i64,
}

/// How the shopper wants to be contacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    /// By email.
    Email,
    /// By text message.
    Sms,
    /// Not at all.
    None,
}

impl ContactChannel {
    /// The wire (and stored) name: `email`, `sms` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            ContactChannel::Email => "email",
            ContactChannel::Sms => "sms",
            ContactChannel::None => "none",
        }
    }

    /// The channel of a wire (or stored) name.
    pub fn parse(name: &str) -> Option<ContactChannel> {
        match name {
            "email" => Some(ContactChannel::Email),
            "sms" => Some(ContactChannel::Sms),
            "none" => Some(ContactChannel::None),
            _ => None,
        }
    }
}

/// `GET`/`PUT /v1/shops/{shop}/loyalty/me/preferences`: the shopper's contact
/// preferences; each field is null until chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Preferences {
    /// The preferred channel, null when not chosen yet.
    pub contact_channel: Option<ContactChannel>,
    /// Whether the shopper agrees to marketing messages, null when not chosen yet.
    pub marketing_consent: Option<bool>,
    /// When the preferences last changed, Unix seconds; null when never set.
    pub updated_at: Option<i64>,
}

/// `PUT /v1/shops/{shop}/loyalty/me/preferences` body: at least one field; an absent
/// field keeps its stored value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PreferencesUpdate {
    /// The new preferred channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_channel: Option<ContactChannel>,
    /// The new marketing consent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketing_consent: Option<bool>,
}

/// `POST /v1/shops/{shop}/admin/customers/{customer_id}/adjustments` body (secret key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdjustmentRequest {
    /// Points to add (positive) or take away (negative); never zero. A positive
    /// adjustment also counts towards the tier.
    pub points: i64,
    /// Why, 1–200 characters; shown to the shopper in their history.
    pub reason: String,
}

/// The answer to an adjustment: the new ledger entry and the balance after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Adjustment {
    /// The entry, as the shopper's history shows it (`kind: adjusted`, the reason as
    /// `reference`).
    pub entry: HistoryEntry,
    /// The customer's balance afterwards.
    pub balance: i64,
}

/// `POST /v1/shops/{shop}/admin/customers/{customer_id}/actions` body (secret key): the
/// shopper did one of the shop's earning actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionAwardRequest {
    /// The configured action's id, such as `signup` or `review`.
    pub action_id: String,
    /// What the award is for, 1–128 characters: an order id, a review id, `signup`. An
    /// action limited to once per reference is awarded once per value.
    pub reference: String,
}

/// The answer to an action award: the new ledger entry and the balance after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionAward {
    /// The entry, as the shopper's history shows it (`kind: action`, the request's
    /// `reference`, the action's name as `reward_name`). Its `points` may be fewer than
    /// the action's when a daily cap trims the award.
    pub entry: HistoryEntry,
    /// The customer's balance afterwards.
    pub balance: i64,
}

/// One redemption in `GET /v1/shops/{shop}/admin/redemptions` (secret key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminRedemption {
    /// The discount code issued.
    pub code: String,
    /// The customer who redeemed.
    pub customer_id: String,
    /// The reward redeemed.
    pub reward_id: String,
    /// What the code gives.
    pub kind: RewardKind,
    /// Amount in minor units or percent.
    pub value: i64,
    /// Points spent on it.
    pub points_spent: i64,
    /// Whether the code can still be used.
    pub status: CodeStatus,
    /// Redeemed at, Unix seconds.
    pub created_at: i64,
    /// The code expires at, Unix seconds.
    pub expires_at: i64,
    /// The order that consumed the code, once used.
    pub used_by_order: Option<String>,
}

/// A page of redemptions, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedemptionPage {
    /// The redemptions, newest first.
    pub redemptions: Vec<AdminRedemption>,
    /// Pass as `before` to get the next (older) page; `null` on the last page.
    pub next_before: Option<i64>,
}
