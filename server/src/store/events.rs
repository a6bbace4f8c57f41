//! The one list of events the server writes to the outbox for a shop's backend: each
//! variant's type name, its `data` object, and the key that keeps it to one per cause.

use comeback_core::api::ContactChannel;
use comeback_core::date::Date;
use serde_json::{json, Value};

use super::referrals::Referral;
use super::subscription_renewals::RenewalTerms;
use super::subscriptions::Subscription;
use super::surveys::SurveyAnswer;

/// An event for the shop's backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event<'a> {
    /// A shopper redeemed a reward.
    RewardRedeemed {
        /// The customer.
        customer_id: &'a str,
        /// The reward.
        reward_id: &'a str,
        /// The code issued.
        code: &'a str,
        /// Points spent.
        points_spent: i64,
        /// The balance afterwards.
        balance: i64,
    },
    /// A customer's tier moved.
    TierChanged {
        /// The customer.
        customer_id: &'a str,
        /// The tier before (`None`: below the lowest threshold).
        from: Option<&'a str>,
        /// The tier after.
        to: Option<&'a str>,
        /// Lifetime points afterwards.
        lifetime_points: i64,
        /// The window's total afterwards.
        qualifying_total: i64,
        /// The last day the tier is held, if it is held.
        held_until: Option<Date>,
    },
    /// A customer's next expiry is near (once per customer and date).
    PointsExpiring {
        /// The customer.
        customer_id: &'a str,
        /// Points expiring that day.
        points: i64,
        /// The day, `YYYY-MM-DD`.
        expires_on: &'a str,
    },
    /// A shopper changed their contact preferences.
    PreferencesChanged {
        /// The customer.
        customer_id: &'a str,
        /// The channel afterwards.
        contact_channel: Option<ContactChannel>,
        /// The consent afterwards.
        marketing_consent: Option<bool>,
    },
    /// A paid order filled a punch card and its reward's code was issued.
    PunchCardCompleted {
        /// The customer.
        customer_id: &'a str,
        /// The card.
        card_id: &'a str,
        /// The reward.
        reward_id: &'a str,
        /// The code issued.
        code: &'a str,
        /// The order that filled it.
        order_id: &'a str,
        /// Cards filled so far.
        rewards_earned: u32,
    },
    /// A shopper sent a help ticket.
    HelpTicketCreated {
        /// The ticket, as stored.
        ticket: &'a super::help::Ticket,
    },
    /// A paid order line started a subscription.
    SubscriptionCreated {
        /// The subscription, as created.
        subscription: &'a Subscription,
    },
    /// A subscription changed: a shopper's action, a pause that ended, a renewal order.
    SubscriptionChanged {
        /// The subscription afterwards.
        subscription: &'a Subscription,
        /// `skip`, `deliver-now`, `pause`, `resume`, `change` or `renewal`.
        action: &'a str,
    },
    /// A shopper cancelled a subscription.
    SubscriptionCancelled {
        /// The subscription afterwards.
        subscription: &'a Subscription,
        /// The delivery the shop had been asked for and not confirmed, which it may void.
        pending_delivery: Option<Date>,
    },
    /// A delivery is due: the shop charges and ships it, then sends the renewal order.
    SubscriptionRenewalDue {
        /// The subscription, marked pending.
        subscription: &'a Subscription,
        /// The delivery asked for.
        delivery_date: Date,
        /// Its price and shipping.
        terms: &'a RenewalTerms,
        /// The price of the whole line (`Price::times` the quantity).
        line_total: Option<comeback_core::subscription::Price>,
    },
    /// A referred first order was recorded: pending, or declined with its reason.
    ReferralConverted {
        /// The referral, as recorded.
        referral: &'a Referral,
    },
    /// A referral's reward was paid (points on the ledger or a code).
    ReferralRewardPaid {
        /// The referral, paid.
        referral: &'a Referral,
    },
    /// A pending referral was cancelled by a refund, or declined by the shop.
    ReferralCancelled {
        /// The referral afterwards.
        referral: &'a Referral,
    },
    /// A shopper answered a survey.
    SurveyResponse {
        /// The response, as stored.
        response: &'a SurveyAnswer,
    },
}

/// Every event type, in the order of [`Event`]'s variants (the config's
/// `webhooks.events` choose among them).
pub const EVENT_TYPES: [&str; 14] = [
    REWARD_REDEEMED,
    TIER_CHANGED,
    POINTS_EXPIRING,
    PREFERENCES_CHANGED,
    PUNCH_CARD_COMPLETED,
    HELP_TICKET_CREATED,
    SUBSCRIPTION_CREATED,
    SUBSCRIPTION_CHANGED,
    SUBSCRIPTION_CANCELLED,
    SUBSCRIPTION_RENEWAL_DUE,
    REFERRAL_CONVERTED,
    REFERRAL_REWARD_PAID,
    REFERRAL_CANCELLED,
    SURVEY_RESPONSE,
];

/// `reward.redeemed`.
pub const REWARD_REDEEMED: &str = "reward.redeemed";
/// `tier.changed`.
pub const TIER_CHANGED: &str = "tier.changed";
/// `points.expiring`.
pub const POINTS_EXPIRING: &str = "points.expiring";
/// `preferences.changed`.
pub const PREFERENCES_CHANGED: &str = "preferences.changed";
/// `punch_card.completed`.
pub const PUNCH_CARD_COMPLETED: &str = "punch_card.completed";
/// `help.ticket_created`.
pub const HELP_TICKET_CREATED: &str = "help.ticket_created";
/// `subscription.created`.
pub const SUBSCRIPTION_CREATED: &str = "subscription.created";
/// `subscription.changed`.
pub const SUBSCRIPTION_CHANGED: &str = "subscription.changed";
/// `subscription.cancelled`.
pub const SUBSCRIPTION_CANCELLED: &str = "subscription.cancelled";
/// `subscription.renewal_due`.
pub const SUBSCRIPTION_RENEWAL_DUE: &str = "subscription.renewal_due";
/// `referral.converted`.
pub const REFERRAL_CONVERTED: &str = "referral.converted";
/// `referral.reward_paid`.
pub const REFERRAL_REWARD_PAID: &str = "referral.reward_paid";
/// `referral.cancelled`.
pub const REFERRAL_CANCELLED: &str = "referral.cancelled";
/// `survey.response`.
pub const SURVEY_RESPONSE: &str = "survey.response";

/// The wire name of an NPS score's group: `promoter`, `passive` or `detractor`.
pub fn nps_group_name(score: i64) -> &'static str {
    use comeback_core::survey::scores::{nps_group, NpsGroup};
    match nps_group(score) {
        NpsGroup::Promoter => "promoter",
        NpsGroup::Passive => "passive",
        NpsGroup::Detractor => "detractor",
    }
}

impl Event<'_> {
    /// The event's `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::RewardRedeemed { .. } => REWARD_REDEEMED,
            Event::TierChanged { .. } => TIER_CHANGED,
            Event::PointsExpiring { .. } => POINTS_EXPIRING,
            Event::PreferencesChanged { .. } => PREFERENCES_CHANGED,
            Event::PunchCardCompleted { .. } => PUNCH_CARD_COMPLETED,
            Event::HelpTicketCreated { .. } => HELP_TICKET_CREATED,
            Event::SubscriptionCreated { .. } => SUBSCRIPTION_CREATED,
            Event::SubscriptionChanged { .. } => SUBSCRIPTION_CHANGED,
            Event::SubscriptionCancelled { .. } => SUBSCRIPTION_CANCELLED,
            Event::SubscriptionRenewalDue { .. } => SUBSCRIPTION_RENEWAL_DUE,
            Event::ReferralConverted { .. } => REFERRAL_CONVERTED,
            Event::ReferralRewardPaid { .. } => REFERRAL_REWARD_PAID,
            Event::ReferralCancelled { .. } => REFERRAL_CANCELLED,
            Event::SurveyResponse { .. } => SURVEY_RESPONSE,
        }
    }

    /// The event's `data`.
    pub fn data(&self) -> Value {
        match self {
            Event::RewardRedeemed {
                customer_id,
                reward_id,
                code,
                points_spent,
                balance,
            } => json!({
                "customer_id": customer_id,
                "reward_id": reward_id,
                "code": code,
                "points_spent": points_spent,
                "balance": balance,
            }),
            Event::TierChanged {
                customer_id,
                from,
                to,
                lifetime_points,
                qualifying_total,
                held_until,
            } => json!({
                "customer_id": customer_id,
                "from": from,
                "to": to,
                "lifetime_points": lifetime_points,
                "qualifying_total": qualifying_total,
                "held_until": held_until,
            }),
            Event::PointsExpiring {
                customer_id,
                points,
                expires_on,
            } => json!({
                "customer_id": customer_id,
                "points": points,
                "expires_on": expires_on,
            }),
            Event::PreferencesChanged {
                customer_id,
                contact_channel,
                marketing_consent,
            } => json!({
                "customer_id": customer_id,
                "contact_channel": contact_channel,
                "marketing_consent": marketing_consent,
            }),
            Event::PunchCardCompleted {
                customer_id,
                card_id,
                reward_id,
                code,
                order_id,
                rewards_earned,
            } => json!({
                "customer_id": customer_id,
                "card_id": card_id,
                "reward_id": reward_id,
                "code": code,
                "order_id": order_id,
                "rewards_earned": rewards_earned,
            }),
            Event::HelpTicketCreated { ticket } => json!(ticket),
            Event::SubscriptionCreated { subscription } => json!({
                "subscription_id": subscription.id,
                "customer_id": subscription.customer_id,
                "product_id": subscription.product_id,
                "plan_id": subscription.plan_id,
                "quantity": subscription.quantity,
                "interval": subscription.interval(),
                "started_on": subscription.started_on,
                "next_delivery": subscription.next_delivery,
                "order_id": subscription.order_id,
            }),
            Event::SubscriptionChanged {
                subscription,
                action,
            } => json!({
                "subscription_id": subscription.id,
                "customer_id": subscription.customer_id,
                "action": action,
                "status": subscription.status,
                "product_id": subscription.product_id,
                "plan_id": subscription.plan_id,
                "quantity": subscription.quantity,
                "interval": subscription.interval(),
                "next_delivery": subscription.next_delivery,
                "paused_until": subscription.paused_until,
                "renewal_pending": subscription.renewal_pending(),
                "pending_delivery": subscription.renewal_requested_for,
                "deliveries": subscription.deliveries,
            }),
            Event::SubscriptionCancelled {
                subscription,
                pending_delivery,
            } => json!({
                "subscription_id": subscription.id,
                "customer_id": subscription.customer_id,
                "product_id": subscription.product_id,
                "plan_id": subscription.plan_id,
                "reason": subscription.cancel_reason,
                "comment": subscription.cancel_comment,
                "cancelled_on": subscription.cancelled_on,
                "deliveries": subscription.deliveries,
                "renewal_was_pending": pending_delivery.is_some(),
                "pending_delivery": pending_delivery,
            }),
            Event::SubscriptionRenewalDue {
                subscription,
                delivery_date,
                terms,
                line_total,
            } => json!({
                "subscription_id": subscription.id,
                "customer_id": subscription.customer_id,
                "product_id": subscription.product_id,
                "quantity": subscription.quantity,
                "plan_id": subscription.plan_id,
                "interval": subscription.interval(),
                "delivery_date": delivery_date,
                "currency": terms.currency,
                "unit_price": terms.unit_price,
                "line_total": line_total,
                "free_shipping": terms.free_shipping,
                "next_delivery": subscription.next_delivery,
            }),
            Event::ReferralConverted { referral }
            | Event::ReferralRewardPaid { referral }
            | Event::ReferralCancelled { referral } => json!({
                "referral_id": referral.id,
                "advocate_id": referral.advocate_id,
                "code": referral.code,
                "friend_customer_id": referral.friend_customer_id,
                "order_id": referral.order_id,
                "order_total": referral.order_total,
                "currency": referral.currency,
                "ordered_on": referral.ordered_on,
                "status": referral.status,
                "reason": referral.reason,
                "pays_on": referral.pays_on,
                "paid_on": referral.paid_on,
                "reward_kind": referral.reward_kind,
                "reward_value": referral.reward_value,
                "reward_code": referral.reward_code,
                "points": referral.points,
                "decided_by": referral.decided_by,
            }),
            Event::SurveyResponse { response } => json!({
                "response_id": response.id,
                "survey": response.survey_id,
                "version": response.version,
                "customer_id": response.customer_id,
                "answers": response.answers,
                "context": response.context,
                "answered_at": response.answered_at,
                "nps": response.scores.nps,
                "nps_group": response.scores.nps.map(nps_group_name),
                "reward": response.reward,
                "points": response.points,
            }),
        }
    }

    /// The key that keeps the event to one per cause, for events that must be written
    /// at most once (`points.expiring`: the customer and the date); `None` otherwise.
    pub fn dedupe_key(&self) -> Option<String> {
        match self {
            Event::PointsExpiring {
                customer_id,
                expires_on,
                ..
            } => Some(format!("{customer_id} {expires_on}")),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_has_its_type_and_only_expiry_warnings_dedupe() {
        let warning = Event::PointsExpiring {
            customer_id: "c-1",
            points: 5,
            expires_on: "2027-03-01",
        };
        assert_eq!(warning.kind(), "points.expiring");
        assert_eq!(warning.dedupe_key().as_deref(), Some("c-1 2027-03-01"));
        assert_eq!(warning.data()["points"], 5);
        let redeemed = Event::RewardRedeemed {
            customer_id: "c-1",
            reward_id: "r",
            code: "T-1",
            points_spent: 5,
            balance: 0,
        };
        assert!(EVENT_TYPES.contains(&redeemed.kind()));
        assert_eq!(redeemed.dedupe_key(), None);
    }
}
