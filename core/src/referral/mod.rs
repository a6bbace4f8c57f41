//! Referrals: the wire types of `<comeback-referral>` (the advocate's link, code and
//! referrals; the friend's banner and claim), and the rules both sides follow: the
//! format of a referral code ([`code`]), how long a visit through a link attributes
//! the friend's first order ([`attribution`]), and which referred orders earn the
//! advocate a reward and when it is paid ([`rules`]).

pub mod attribution;
pub mod code;
pub mod rules;

use serde::{Deserialize, Serialize};

use crate::date::Date;

pub use rules::ReferralReason;

/// What a reward gives: points on the ledger, or a discount code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReferralRewardKind {
    /// `value` points on the loyalty ledger (advocates only).
    Points,
    /// A code for `value` minor units off an order.
    AmountOff,
    /// A code for `value` percent off an order.
    PercentOff,
    /// A code for free shipping; `value` is 0.
    FreeShipping,
}

impl ReferralRewardKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReferralRewardKind::Points => "points",
            ReferralRewardKind::AmountOff => "amount_off",
            ReferralRewardKind::PercentOff => "percent_off",
            ReferralRewardKind::FreeShipping => "free_shipping",
        }
    }

    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<ReferralRewardKind> {
        [
            ReferralRewardKind::Points,
            ReferralRewardKind::AmountOff,
            ReferralRewardKind::PercentOff,
            ReferralRewardKind::FreeShipping,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == name)
    }
}

/// A reward as the shop configured it, for the widget to put in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RewardOffer {
    /// What it gives.
    pub kind: ReferralRewardKind,
    /// Points, minor units or percent, by `kind`; 0 for free shipping.
    pub value: i64,
    /// The shop's ISO 4217 currency (for `amount_off` and `minimum_order`).
    pub currency: String,
    /// The least order value (minor units) the reward asks of the friend's order, if
    /// the shop sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_order: Option<i64>,
    /// For a code: days it stays valid once issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_days: Option<u32>,
    /// The shop's own words for it in the answer's locale, when its config gives them;
    /// the widget shows them instead of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Where one referral stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    /// The friend's first order counts; the reward is paid on `pays_on` unless the
    /// order is refunded before.
    Pending,
    /// The reward was paid.
    Paid,
    /// The friend's order was refunded within the hold, or the shop withdrew it.
    Cancelled,
    /// A rule refused it; `reason` says which.
    Declined,
}

impl ReferralStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReferralStatus::Pending => "pending",
            ReferralStatus::Paid => "paid",
            ReferralStatus::Cancelled => "cancelled",
            ReferralStatus::Declined => "declined",
        }
    }

    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<ReferralStatus> {
        [
            ReferralStatus::Pending,
            ReferralStatus::Paid,
            ReferralStatus::Cancelled,
            ReferralStatus::Declined,
        ]
        .into_iter()
        .find(|status| status.as_str() == name)
    }
}

/// One friend's first order through the advocate's link or code, as the advocate
/// sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferralView {
    /// Comeback's id of the referral.
    pub id: String,
    /// Who the friend is, without giving them away: their first name when the shop
    /// knows it, else their email masked (`l•••@example.com`), else `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub friend: Option<String>,
    /// Where it stands.
    pub status: ReferralStatus,
    /// Why it was declined or cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<ReferralReason>,
    /// The day the friend ordered (shop's time zone).
    pub ordered_on: Date,
    /// While pending: the day the reward is paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pays_on: Option<Date>,
    /// Once paid: the day it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_on: Option<Date>,
    /// The reward it earns (or earned).
    pub reward: RewardOffer,
    /// Once paid with a discount code: the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reward_code: Option<String>,
}

/// `GET /v1/shops/{shop}/referrals/me`: the signed-in advocate's link, code, rewards and
/// referrals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferralProgramme {
    /// The advocate's code, stable (see [`code`]).
    pub code: String,
    /// The advocate's link: the shop's landing page with the code as a parameter.
    pub link: String,
    /// What the advocate gets per friend's first order.
    pub advocate_reward: RewardOffer,
    /// What the friend gets on their first order.
    pub friend_reward: RewardOffer,
    /// Days between the friend's order and the advocate's reward (the shop's return
    /// window).
    pub hold_days: u32,
    /// Visits through the link or code so far.
    pub visits: u64,
    /// Friends who claimed their reward so far.
    pub signups: u64,
    /// The advocate's referrals, newest first.
    pub referrals: Vec<ReferralView>,
}

/// `GET /v1/shops/{shop}/referrals/codes/{code}`: what a friend landing through the
/// code is offered (no token needed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferralLanding {
    /// The code, canonical form.
    pub code: String,
    /// The advocate's first name, when the shop knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advocate_name: Option<String>,
    /// What the friend gets.
    pub friend_reward: RewardOffer,
    /// Days a visit through the link keeps attributing the friend's first order.
    pub window_days: u32,
}

/// `POST /v1/shops/{shop}/referrals/visits` body: a visit through a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferralVisit {
    /// The code of the link, any case.
    pub code: String,
}

/// The answer to a visit: until when the browser keeps the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitRecorded {
    /// The code, canonical form.
    pub code: String,
    /// Unix seconds after which the visit no longer attributes an order
    /// ([`attribution::ends_at`]).
    pub expires_at: i64,
}

/// `POST /v1/shops/{shop}/referrals/claim` body: a friend asks for their reward.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferralClaim {
    /// The advocate's code, any case.
    pub code: String,
    /// The friend's email (a guest's is enough).
    pub email: String,
}

/// The friend's reward: a discount code for their first order. Claiming again with
/// the same mailbox answers the same code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FriendReward {
    /// The discount code, for the shop's checkout (`discount_codes` of the order).
    pub code: String,
    /// What it gives.
    pub reward: RewardOffer,
    /// Unix seconds it expires at.
    pub expires_at: i64,
}
