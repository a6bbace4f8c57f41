//! The rules of a subscription's changes, pure: what each of the shopper's actions and a
//! confirmed renewal do to it, and when they are refused. The store applies them under
//! the locks ([`super::subscription_changes`]) and saves the result.
//!
//! `next_delivery` is always the next delivery the shop has not been asked for: when the
//! shop is asked (`subscription.renewal_due`), the delivery moves to
//! `renewal_requested_for` and `next_delivery` to the one after it. So a skip while a
//! renewal is pending skips the delivery after the pending one (the pending one is
//! already being charged and shipped), and the renewal order that confirms it keeps
//! whatever the shopper changed meanwhile.

use comeback_core::date::Date;
use comeback_core::orders::Interval;
use comeback_core::subscription::schedule::pause_problem;
use comeback_core::subscription::{Schedule, SubscriptionStatus};

use super::subscription_renewals::RenewalTerms;
use super::subscriptions::Subscription;

/// The `action` of `subscription.changed` for a confirmed renewal.
pub const RENEWAL: &str = "renewal";

/// A shopper's change to one of their subscriptions.
#[derive(Debug, Clone, PartialEq)]
pub enum SubscriptionAction {
    /// Skip the next delivery.
    Skip,
    /// Deliver today, and keep the rhythm from today on.
    DeliverNow(RenewalTerms),
    /// Pause until a day.
    Pause {
        /// The day deliveries resume.
        until: Date,
    },
    /// End a pause now.
    Resume,
    /// Change the interval (one of the plan's, checked by the caller) or the quantity.
    Change {
        /// The new interval.
        interval: Option<Interval>,
        /// The new units per delivery (bounded by the caller).
        quantity: Option<i64>,
    },
    /// Cancel.
    Cancel {
        /// One of the shop's reason ids (checked by the caller).
        reason: Option<String>,
        /// What the shopper wrote, trimmed (checked by the caller).
        comment: Option<String>,
        /// The plan's least number of deliveries before cancelling.
        min_deliveries: Option<u32>,
    },
}

impl SubscriptionAction {
    /// The action's name, as in `subscription.changed` and the widget's events.
    pub fn name(&self) -> &'static str {
        match self {
            SubscriptionAction::Skip => "skip",
            SubscriptionAction::DeliverNow(_) => "deliver-now",
            SubscriptionAction::Pause { .. } => "pause",
            SubscriptionAction::Resume => "resume",
            SubscriptionAction::Change { .. } => "change",
            SubscriptionAction::Cancel { .. } => "cancel",
        }
    }
}

/// Why a change is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The subscription is cancelled.
    Cancelled,
    /// The plan asks for more deliveries before cancelling.
    MinimumDeliveries {
        /// The plan's minimum.
        required: u32,
        /// Deliveries so far.
        deliveries: u32,
    },
    /// Deliver now while the shop is already preparing a delivery (for this day).
    RenewalPending(Date),
    /// The pause cannot end on that day (the message says why).
    BadPause(String),
}

/// What an accepted change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Applied {
    /// Whether anything changed (resuming a running subscription changes nothing).
    pub(super) changed: bool,
    /// For a cancellation: the delivery that was pending, which the shop may void.
    pub(super) pending: Option<Date>,
    /// For deliver now: the day the shop is asked to deliver.
    pub(super) deliver_on: Option<Date>,
}

/// Applies `action` to `subscription` on the shop's `today` (pure: the caller saves).
pub(super) fn apply(
    subscription: &mut Subscription,
    action: &SubscriptionAction,
    today: Date,
    now: i64,
) -> Result<Applied, Refusal> {
    if subscription.status == SubscriptionStatus::Cancelled {
        return Err(Refusal::Cancelled);
    }
    let schedule = subscription.schedule;
    // Not cancelled, so it has a next delivery; today stands in should a row lack one.
    let next = subscription.next_delivery.unwrap_or(today);
    let mut applied = Applied {
        changed: true,
        pending: None,
        deliver_on: None,
    };
    match action {
        SubscriptionAction::Skip => subscription.next_delivery = Some(schedule.after(next)),
        SubscriptionAction::DeliverNow(_) => {
            if let Some(pending) = subscription.renewal_requested_for {
                return Err(Refusal::RenewalPending(pending));
            }
            let rhythm = Schedule::starting(today, schedule.interval);
            subscription.schedule = rhythm;
            subscription.status = SubscriptionStatus::Active;
            subscription.paused_until = None;
            subscription.renewal_requested_for = Some(today);
            subscription.next_delivery = Some(rhythm.after(today));
            applied.deliver_on = Some(today);
        }
        SubscriptionAction::Pause { until } => {
            if let Some(problem) = pause_problem(today, *until) {
                return Err(Refusal::BadPause(problem));
            }
            // A new end for a pause: from where the rhythm stands today, not from the
            // day the earlier pause pushed it to.
            let from = match subscription.status {
                SubscriptionStatus::Paused => schedule.first_after(next, today),
                _ => next,
            };
            subscription.status = SubscriptionStatus::Paused;
            subscription.paused_until = Some(*until);
            subscription.next_delivery = Some(schedule.on_or_after(from, *until));
        }
        SubscriptionAction::Resume => {
            if subscription.status != SubscriptionStatus::Paused {
                applied.changed = false;
                return Ok(applied);
            }
            subscription.status = SubscriptionStatus::Active;
            subscription.paused_until = None;
            subscription.next_delivery = Some(schedule.first_after(next, today));
        }
        SubscriptionAction::Change { interval, quantity } => {
            let before = (subscription.schedule, subscription.quantity);
            if let Some(interval) = interval {
                subscription.schedule.interval = *interval;
            }
            if let Some(quantity) = quantity {
                subscription.quantity = *quantity;
            }
            applied.changed = before != (subscription.schedule, subscription.quantity);
        }
        SubscriptionAction::Cancel {
            reason,
            comment,
            min_deliveries,
        } => {
            if let Some(required) = min_deliveries.filter(|m| subscription.deliveries < *m) {
                return Err(Refusal::MinimumDeliveries {
                    required,
                    deliveries: subscription.deliveries,
                });
            }
            applied.pending = subscription.renewal_requested_for.take();
            subscription.status = SubscriptionStatus::Cancelled;
            subscription.next_delivery = None;
            subscription.paused_until = None;
            subscription.cancelled_on = Some(today);
            subscription.cancelled_at = Some(now);
            subscription.cancel_reason.clone_from(reason);
            subscription.cancel_comment.clone_from(comment);
        }
    }
    Ok(applied)
}

/// A renewal order confirmed a delivery: one more delivery, the pending request
/// cleared, and the next delivery after the one confirmed (or after the scheduled one
/// when the shop renewed without being asked), never earlier than the shopper already
/// moved it. A cancelled subscription stays cancelled; false then.
pub(super) fn confirm_renewal(subscription: &mut Subscription) -> bool {
    if subscription.status == SubscriptionStatus::Cancelled {
        return false;
    }
    let schedule = subscription.schedule;
    subscription.deliveries = subscription.deliveries.saturating_add(1);
    subscription.next_delivery = match (
        subscription.renewal_requested_for.take(),
        subscription.next_delivery,
    ) {
        (Some(asked), Some(next)) => Some(next.max(schedule.after(asked))),
        (Some(asked), None) => Some(schedule.after(asked)),
        (None, next) => next.map(|next| schedule.after(next)),
    };
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(iso: &str) -> Date {
        Date::parse(iso).unwrap()
    }

    fn every(interval: &str, first: &str) -> Subscription {
        let schedule = Schedule::starting(day(first), Interval::parse(interval).unwrap());
        Subscription {
            id: "s-1".into(),
            shop_id: "demo".into(),
            customer_id: "c-1".into(),
            product_id: "tea".into(),
            plan_id: "club".into(),
            quantity: 1,
            schedule,
            status: SubscriptionStatus::Active,
            next_delivery: Some(schedule.after(day(first))),
            paused_until: None,
            renewal_requested_for: None,
            deliveries: 1,
            started_on: day(first),
            cancelled_on: None,
            cancelled_at: None,
            cancel_reason: None,
            cancel_comment: None,
            created_at: 0,
            order_id: "o-1".into(),
            line_no: 0,
        }
    }

    fn next(subscription: &Subscription) -> String {
        subscription
            .next_delivery
            .map(Date::to_iso)
            .unwrap_or_default()
    }

    #[test]
    fn a_skip_while_a_renewal_is_pending_skips_the_delivery_after_it() {
        let mut monthly = every("P1M", "2027-01-31");
        // The shop was asked for February 28; the next one not asked for is March 31.
        monthly.renewal_requested_for = Some(day("2027-02-28"));
        monthly.next_delivery = Some(day("2027-03-31"));
        let today = day("2027-02-28");
        apply(&mut monthly, &SubscriptionAction::Skip, today, 0).unwrap();
        assert_eq!(next(&monthly), "2027-04-30");
        assert_eq!(monthly.renewal_requested_for, Some(today));
        // The renewal order keeps the skip.
        assert!(confirm_renewal(&mut monthly));
        assert_eq!(
            (
                next(&monthly),
                monthly.deliveries,
                monthly.renewal_pending()
            ),
            ("2027-04-30".to_owned(), 2, false)
        );
        // Renewed without being asked: the scheduled delivery counts as the one renewed.
        assert!(confirm_renewal(&mut monthly));
        assert_eq!(next(&monthly), "2027-05-31");
    }

    #[test]
    fn deliver_now_restarts_the_rhythm_and_waits_for_a_pending_one() {
        let mut fortnightly = every("P2W", "2027-01-10");
        fortnightly.status = SubscriptionStatus::Paused;
        fortnightly.paused_until = Some(day("2027-03-01"));
        let today = day("2027-01-13");
        let deliver = SubscriptionAction::DeliverNow(RenewalTerms::default());
        let applied = apply(&mut fortnightly, &deliver, today, 0).unwrap();
        assert_eq!(applied.deliver_on, Some(today));
        assert_eq!(fortnightly.status, SubscriptionStatus::Active);
        assert_eq!(fortnightly.paused_until, None);
        assert_eq!(next(&fortnightly), "2027-01-27");
        assert_eq!(
            apply(&mut fortnightly, &deliver, today, 0),
            Err(Refusal::RenewalPending(today))
        );
    }

    #[test]
    fn pauses_push_the_next_delivery_and_resuming_brings_it_back() {
        let mut fortnightly = every("P2W", "2027-01-10");
        let pause = |until: &str| SubscriptionAction::Pause { until: day(until) };
        apply(&mut fortnightly, &pause("2027-03-01"), day("2027-01-12"), 0).unwrap();
        assert_eq!(fortnightly.status, SubscriptionStatus::Paused);
        assert_eq!(next(&fortnightly), "2027-03-07");
        // A shorter pause counts from the rhythm, not from March.
        apply(&mut fortnightly, &pause("2027-02-01"), day("2027-01-12"), 0).unwrap();
        assert_eq!(next(&fortnightly), "2027-02-07");
        apply(
            &mut fortnightly,
            &SubscriptionAction::Resume,
            day("2027-01-12"),
            0,
        )
        .unwrap();
        assert_eq!(
            (fortnightly.status, next(&fortnightly)),
            (SubscriptionStatus::Active, "2027-01-24".to_owned())
        );
        let again = apply(
            &mut fortnightly,
            &SubscriptionAction::Resume,
            day("2027-01-12"),
            0,
        );
        assert!(!again.unwrap().changed);
        assert!(matches!(
            apply(&mut fortnightly, &pause("2027-01-12"), day("2027-01-12"), 0),
            Err(Refusal::BadPause(_))
        ));
    }

    #[test]
    fn cancelling_keeps_to_the_minimum_and_reports_a_pending_delivery() {
        let mut monthly = every("P1M", "2027-01-31");
        let cancel = |min| SubscriptionAction::Cancel {
            reason: Some("too-much".into()),
            comment: None,
            min_deliveries: min,
        };
        let today = day("2027-02-28");
        assert_eq!(
            apply(&mut monthly, &cancel(Some(3)), today, 0),
            Err(Refusal::MinimumDeliveries {
                required: 3,
                deliveries: 1
            })
        );
        monthly.renewal_requested_for = Some(today);
        let applied = apply(&mut monthly, &cancel(Some(1)), today, 7).unwrap();
        assert_eq!(applied.pending, Some(today));
        assert_eq!(monthly.status, SubscriptionStatus::Cancelled);
        assert_eq!(
            (monthly.next_delivery, monthly.renewal_requested_for),
            (None, None)
        );
        assert_eq!(monthly.cancel_reason.as_deref(), Some("too-much"));
        assert_eq!(
            apply(&mut monthly, &SubscriptionAction::Skip, today, 0),
            Err(Refusal::Cancelled)
        );
        // A late renewal order never revives it.
        assert!(!confirm_renewal(&mut monthly));
        assert_eq!(monthly.deliveries, 1);
    }

    #[test]
    fn changes_keep_the_next_date_and_the_anchor() {
        let mut monthly = every("P1M", "2027-01-31");
        let change = SubscriptionAction::Change {
            interval: Interval::parse("P2M"),
            quantity: Some(3),
        };
        let applied = apply(&mut monthly, &change, day("2027-02-01"), 0).unwrap();
        assert!(applied.changed);
        assert_eq!(next(&monthly), "2027-02-28");
        assert_eq!(monthly.schedule.anchor_day, 31);
        assert_eq!(
            monthly.schedule.after(day("2027-02-28")).to_iso(),
            "2027-04-30"
        );
        assert!(
            !apply(&mut monthly, &change, day("2027-02-01"), 0)
                .unwrap()
                .changed
        );
    }
}
