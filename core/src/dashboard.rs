//! Wire types of the shop-owner dashboard (`/admin/`): staff sign-in, the customer
//! search, one customer's activity, the overview of a period (its weekly trends are
//! made by [`crate::trend`]) and the customer segments (sorted by [`crate::rfm`]).
//!
//! The dashboard is a browser app of its own; it reads these through the same `/v1`
//! admin API the shop's backend calls with its secret key, signed in with a staff
//! session instead (an `HttpOnly` cookie plus the session's CSRF token in the
//! `X-CSRF-Token` header of every request that changes something).

use serde::{Deserialize, Serialize};

/// What a staff account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// Everything, settings included. The shop's API keys act as an owner.
    Owner,
    /// Customers and tickets; no settings.
    Staff,
}

impl StaffRole {
    /// Every role, owner first.
    pub const ALL: [StaffRole; 2] = [StaffRole::Owner, StaffRole::Staff];

    /// The role's name on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Owner => "owner",
            StaffRole::Staff => "staff",
        }
    }

    /// The role named `name`.
    pub fn parse(name: &str) -> Option<StaffRole> {
        StaffRole::ALL
            .into_iter()
            .find(|role| role.as_str() == name)
    }

    /// Whether this role may change the shop's settings.
    pub fn may_change_settings(self) -> bool {
        self == StaffRole::Owner
    }
}

/// Header carrying the session's CSRF token on every request that changes something.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// `POST /v1/shops/{shop}/admin/session`: sign in with a staff account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInRequest {
    /// The account's email.
    pub email: String,
    /// Its password.
    pub password: String,
}

/// The signed-in staff member: the answer to signing in and to
/// `GET /v1/shops/{shop}/admin/session`. The session itself travels only in its
/// `HttpOnly` cookie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffSession {
    /// The shop.
    pub shop_id: String,
    /// The account's email.
    pub email: String,
    /// What the account may do.
    pub role: StaffRole,
    /// Send it back in `X-CSRF-Token` with every request that changes something.
    pub csrf_token: String,
    /// When the session ends, Unix seconds.
    pub expires_at: i64,
}

/// One customer in the search results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerHit {
    /// The shop's customer id.
    pub customer_id: String,
    /// Their email, when the shop's backend synced a profile or an order carried one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Their name, when a profile was synced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Spendable points (0 without a loyalty record).
    pub balance: i64,
    /// Paid orders recorded.
    pub orders: i64,
    /// Money spent over those orders, minor units of `currency`.
    pub spent: i64,
    /// The currency of `spent`, when the customer has orders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Their latest order, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_order_at: Option<i64>,
}

/// `GET /v1/shops/{shop}/admin/customers?q=…`: customers whose id starts with `q`, or
/// whose email or name contains it (case-insensitive), best matches first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerSearch {
    /// The matches, at most the asked `limit`.
    pub customers: Vec<CustomerHit>,
}

/// A count on one day of a trend, `YYYY-MM-DD` of the week's Monday or the day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendPoint {
    /// Start of the bucket, `YYYY-MM-DD`.
    pub start: String,
    /// The value in the bucket.
    pub value: f64,
    /// How many records it stands on (responses, orders).
    pub count: i64,
}

/// A named count (tier, cancel reason, segment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NamedCount {
    /// The name (tier id, reason, segment).
    pub name: String,
    /// How many.
    pub count: i64,
}

/// Orders and repeat purchases in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrdersOverview {
    /// Paid orders placed in the period.
    pub orders: i64,
    /// Customers who placed them.
    pub customers: i64,
    /// Of those customers, the share (0–1) who had ordered before or ordered again in
    /// the period: the repeat-purchase rate.
    pub repeat_rate: f64,
    /// Median days between a customer's consecutive orders, over the pairs whose later
    /// order falls in the period; absent without any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median_days_between_orders: Option<f64>,
    /// Orders per week.
    pub weekly: Vec<TrendPoint>,
}

/// Points issued, redeemed and still owed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointsOverview {
    /// Points credited in the period (orders, actions, bonuses, adjustments up).
    pub issued: i64,
    /// Points spent on rewards in the period.
    pub redeemed: i64,
    /// Points expired in the period.
    pub expired: i64,
    /// Every customer's balance now: what the shop owes (the liability).
    pub outstanding: i64,
    /// Customers per tier now, lowest tier first (customers without a tier left out).
    pub tiers: Vec<NamedCount>,
}

/// The referral funnel of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferralOverview {
    /// Visits through referral links.
    pub visits: i64,
    /// Friends who claimed their reward.
    pub claims: i64,
    /// Referred first orders.
    pub first_orders: i64,
    /// Advocates paid.
    pub paid: i64,
}

/// Survey scores of the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyOverview {
    /// Responses in the period.
    pub responses: i64,
    /// Net Promoter Score (−100 to 100) over the period's NPS answers, when any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nps: Option<f64>,
    /// Share (0–1) of satisfied CSAT answers (4 or 5 of 5), when any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csat: Option<f64>,
    /// NPS per week.
    pub nps_weekly: Vec<TrendPoint>,
    /// CSAT per week.
    pub csat_weekly: Vec<TrendPoint>,
}

/// Subscriptions now and over the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubscriptionOverview {
    /// Active (not paused, not cancelled) now.
    pub active: i64,
    /// Paused now.
    pub paused: i64,
    /// Deliveries skipped in the period.
    pub skips: i64,
    /// Cancelled in the period.
    pub cancelled: i64,
    /// Cancellations of the period by reason, most frequent first.
    pub cancel_reasons: Vec<NamedCount>,
}

/// Help over the period: self-service against tickets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HelpOverview {
    /// Articles and wizard answers marked as having solved the problem.
    pub solved: i64,
    /// Marked as not having solved it.
    pub not_solved: i64,
    /// Tickets opened.
    pub tickets: i64,
    /// `solved / (solved + tickets)`, when either is above 0: the share of problems
    /// settled without a ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deflection: Option<f64>,
}

/// Clicks and add-to-carts on one kind of recommendation list.
#[cfg(feature = "staff")]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindInteractions {
    /// The list's kind (`also-bought`, `for-you`, ...).
    pub kind: crate::recommend::Kind,
    /// Cards whose link was followed.
    pub clicks: i64,
    /// "Add to cart" presses.
    pub adds: i64,
}

/// What shoppers did with recommendations in the period, as their widgets reported it.
#[cfg(feature = "staff")]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecommendationOverview {
    /// Cards whose link was followed.
    pub clicks: i64,
    /// "Add to cart" presses.
    pub adds: i64,
    /// Per kind of list, in [`crate::recommend::Kind::ALL`] order, kinds without any left out.
    pub kinds: Vec<KindInteractions>,
}

/// `GET /v1/shops/{shop}/admin/overview?from=&to=`: retention at a glance over
/// `[from, to)`. Sections of features the shop does not run are absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overview {
    /// Start of the period, Unix seconds.
    pub from: i64,
    /// End of the period (excluded), Unix seconds.
    pub to: i64,
    /// Orders and repeat purchases.
    pub orders: OrdersOverview,
    /// Points, when the shop runs loyalty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<PointsOverview>,
    /// Referrals, when the shop runs them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referrals: Option<ReferralOverview>,
    /// Surveys, when the shop runs any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surveys: Option<SurveyOverview>,
    /// Subscriptions, when the shop sells them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscriptions: Option<SubscriptionOverview>,
    /// Help, when the shop runs it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<HelpOverview>,
    /// Recommendations, when the shop runs them.
    #[cfg(feature = "staff")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendations: Option<RecommendationOverview>,
}

/// A customer segment by recency, frequency and money spent (RFM), or by the buy-again
/// cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Segment {
    /// Bought recently, often, and spent the most.
    Champions,
    /// Used to buy often or much, but not lately.
    AtRisk,
    /// Not bought for a long time.
    Lost,
    /// First order recently.
    New,
    /// Due to buy again within the asked number of days, by their own cadence.
    DueToBuyAgain,
}

impl Segment {
    /// Every segment, in the order the dashboard lists them.
    pub const ALL: [Segment; 5] = [
        Segment::Champions,
        Segment::AtRisk,
        Segment::Lost,
        Segment::New,
        Segment::DueToBuyAgain,
    ];

    /// The segment's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Segment::Champions => "champions",
            Segment::AtRisk => "at-risk",
            Segment::Lost => "lost",
            Segment::New => "new",
            Segment::DueToBuyAgain => "due-to-buy-again",
        }
    }

    /// The segment named `name`.
    pub fn parse(name: &str) -> Option<Segment> {
        Segment::ALL
            .into_iter()
            .find(|segment| segment.as_str() == name)
    }
}

/// One customer of a segment, with what to recommend to them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentMember {
    /// The customer, as in a search.
    #[serde(flatten)]
    pub customer: CustomerHit,
    /// Days since their latest order.
    pub days_since_last_order: i64,
    /// For `due-to-buy-again`: the day they are due, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<String>,
    /// Product ids recommended to them, best first (at most 3).
    pub recommended: Vec<String>,
    /// The titles of those products in English, in the same order.
    #[serde(default)]
    pub recommended_titles: Vec<String>,
}

/// `GET /v1/shops/{shop}/admin/segments/{segment}`: the segment's customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentPage {
    /// The segment.
    pub segment: Segment,
    /// Its customers, most valuable first.
    pub customers: Vec<SegmentMember>,
}

/// `GET /v1/shops/{shop}/admin/segments`: how many customers each segment holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentSizes {
    /// Customers per segment, in [`Segment::ALL`] order.
    pub segments: Vec<NamedCount>,
    /// The `days` the `due-to-buy-again` segment looks ahead.
    pub due_within_days: i64,
}

/// How much of a paid order was refunded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    /// Paid, nothing refunded.
    Paid,
    /// Part of it refunded.
    PartiallyRefunded,
    /// Refunded whole.
    Refunded,
}

impl OrderState {
    /// The state of an order of `total` of which `refunded` was refunded (`None`: no
    /// refund recorded).
    pub fn of(total: i64, refunded: Option<i64>) -> OrderState {
        match refunded {
            None => OrderState::Paid,
            Some(refunded) if refunded >= total => OrderState::Refunded,
            Some(_) => OrderState::PartiallyRefunded,
        }
    }
}

/// One line of an order in a customer's activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityLine {
    /// The product.
    pub product_id: String,
    /// Its title in the catalogue (English), when the catalogue has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Units bought.
    pub quantity: i64,
}

/// One order in a customer's activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityOrder {
    /// The shop's order id.
    pub order_id: String,
    /// When it was placed, Unix seconds.
    pub placed_at: i64,
    /// Its total, minor units of `currency`.
    pub total: i64,
    /// Its currency.
    pub currency: String,
    /// Paid, or how much of it was refunded.
    pub status: OrderState,
    /// Money refunded of it, minor units (0 without a refund).
    pub refunded: i64,
    /// Its lines, in the order sent.
    pub lines: Vec<ActivityLine>,
}

/// The customer's profile as the shop's backend synced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityProfile {
    /// Their email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Their name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The customer as an advocate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityReferrals {
    /// Their referral code, once they asked for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Friends' first orders through it.
    pub referred: i64,
    /// Of those, the ones that paid them their reward.
    pub paid: i64,
}

/// One survey response of the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivitySurveyAnswer {
    /// The survey.
    pub survey_id: String,
    /// When they answered, Unix seconds.
    pub submitted_at: i64,
    /// Their NPS answer (0–10), when the survey asked one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nps: Option<i64>,
    /// Their CSAT answer (1–5), when asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csat: Option<i64>,
    /// Their effort answer (1–7), when asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<i64>,
    /// Every answer by question id (scores, option ids, texts).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub answers: crate::survey::Answers,
}

/// One help ticket of the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityTicket {
    /// The ticket id.
    pub id: String,
    /// The first line of its message, at most [`TICKET_SUBJECT_MAX_CHARS`] characters.
    pub subject: String,
    /// The order it is about, when the shopper named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// When it was sent, Unix seconds.
    pub created_at: i64,
}

/// Longest ticket subject in a customer's activity, in characters.
pub const TICKET_SUBJECT_MAX_CHARS: usize = 80;

/// The subject of a ticket: its message's first non-blank line, trimmed, cut to
/// [`TICKET_SUBJECT_MAX_CHARS`] characters (with `…` when cut).
pub fn ticket_subject(message: &str) -> String {
    let line = message
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or_default();
    if line.chars().count() <= TICKET_SUBJECT_MAX_CHARS {
        return line.to_owned();
    }
    let mut subject: String = line.chars().take(TICKET_SUBJECT_MAX_CHARS - 1).collect();
    subject.push('…');
    subject
}

/// Most orders in a customer's activity.
pub const ACTIVITY_ORDERS: i64 = 50;

/// Most survey answers, and most tickets, in a customer's activity.
pub const ACTIVITY_RECENT: i64 = 20;

/// `GET /v1/shops/{shop}/admin/customers/{customer_id}/activity`: everything the shop
/// knows of one customer, newest first in each list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerActivity {
    /// The customer.
    pub customer_id: String,
    /// Their synced profile, when the shop's backend sent one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<ActivityProfile>,
    /// Their latest [`ACTIVITY_ORDERS`] paid orders.
    pub orders: Vec<ActivityOrder>,
    /// Their subscriptions, running and paused first (empty when the shop sells none).
    pub subscriptions: Vec<crate::subscription::SubscriptionView>,
    /// What they referred.
    pub referrals: ActivityReferrals,
    /// Their latest [`ACTIVITY_RECENT`] survey responses.
    pub survey_answers: Vec<ActivitySurveyAnswer>,
    /// Their latest [`ACTIVITY_RECENT`] help tickets.
    pub tickets: Vec<ActivityTicket>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for role in StaffRole::ALL {
            assert_eq!(StaffRole::parse(role.as_str()), Some(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
        for segment in Segment::ALL {
            assert_eq!(Segment::parse(segment.as_str()), Some(segment));
            let json = serde_json::to_string(&segment).unwrap();
            assert_eq!(json, format!("\"{}\"", segment.as_str()));
        }
        assert_eq!(StaffRole::parse("admin"), None);
        assert_eq!(Segment::parse("vip"), None);
        assert!(StaffRole::Owner.may_change_settings());
        assert!(!StaffRole::Staff.may_change_settings());
    }

    #[test]
    fn order_states_follow_the_refunded_amount() {
        assert_eq!(OrderState::of(1_000, None), OrderState::Paid);
        assert_eq!(
            OrderState::of(1_000, Some(400)),
            OrderState::PartiallyRefunded
        );
        assert_eq!(OrderState::of(1_000, Some(1_000)), OrderState::Refunded);
    }

    #[test]
    fn ticket_subjects_are_the_first_line_cut_short() {
        assert_eq!(
            ticket_subject("\n  Where is my tea?  \nIt is late."),
            "Where is my tea?"
        );
        assert_eq!(ticket_subject("   "), "");
        let long = "a".repeat(100);
        let subject = ticket_subject(&long);
        assert_eq!(subject.chars().count(), TICKET_SUBJECT_MAX_CHARS);
        assert!(subject.ends_with('…'));
    }
}
