//! How a subscription changes: the shopper's actions (skip, deliver now, pause, resume,
//! change, cancel), each idempotent under its key with the customer and the row locked,
//! and what paid order lines do (start one, or confirm a renewal) in the order's own
//! transaction. Every change writes its outbound event in the same transaction.
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
use sqlx::AnyConnection;

use super::events::Event;
use super::idempotency::{IdempotencySlot, Replayable};
use super::subscription_renewals::RenewalTerms;
use super::subscriptions::{insert, save, Subscription};
use super::{Store, StoreError};

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

/// A shopper's change, with the idempotency key it came with.
#[derive(Debug, Clone)]
pub struct ChangeInput<'a> {
    /// The shop.
    pub shop_id: &'a str,
    /// The signed-in customer.
    pub customer_id: &'a str,
    /// The subscription.
    pub subscription_id: &'a str,
    /// The `Idempotency-Key`.
    pub idempotency_key: &'a str,
    /// Hash of the request, to tell a replay from a reused key.
    pub request_hash: &'a str,
    /// The change.
    pub action: SubscriptionAction,
    /// The shop's date now.
    pub today: Date,
    /// Now, Unix seconds.
    pub now: i64,
}

/// What a shopper's change did.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeOutcome {
    /// Done (or nothing to do); the answer body, stored for replays.
    Changed(String),
    /// The key was used before for this request: its answer.
    Replayed {
        /// Status.
        status: u16,
        /// JSON body.
        body: String,
    },
    /// The key was used before for another request.
    KeyReused,
    /// No such subscription of this customer.
    NotFound,
    /// Refused; nothing changed.
    Refused(Refusal),
}

impl Replayable for ChangeOutcome {
    fn replayed(status: u16, body: String) -> Self {
        ChangeOutcome::Replayed { status, body }
    }

    fn key_reused() -> Self {
        ChangeOutcome::KeyReused
    }
}

/// The answer to a change, made from the subscription afterwards (the manager's view).
pub type Answer<'a> = dyn Fn(&Subscription) -> Result<String, StoreError> + Send + Sync + 'a;

/// What a paid order's line does to subscriptions, as the caller decided and checked it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubscriptionLine {
    /// The line starts a subscription.
    Start {
        /// The line (from 0).
        line_no: i64,
        /// The product.
        product_id: String,
        /// Units per delivery.
        quantity: i64,
        /// The plan (exists, covers the product, offers the interval).
        plan_id: String,
        /// How often.
        interval: Interval,
        /// The first delivery: the order's date in the shop's time zone.
        first_delivery: Date,
    },
    /// The line renews this customer's subscription.
    Renew {
        /// The subscription.
        subscription_id: String,
    },
}

impl Store {
    /// Applies a shopper's change once per idempotency key, with the customer and the
    /// subscription locked: refused changes write nothing; an accepted one saves the
    /// subscription, writes its events and stores `answer` for replays.
    pub async fn change_subscription(
        &self,
        input: &ChangeInput<'_>,
        answer: &Answer<'_>,
    ) -> Result<ChangeOutcome, StoreError> {
        let slot = IdempotencySlot {
            shop_id: input.shop_id,
            customer_id: input.customer_id,
            key: input.idempotency_key,
            request_hash: input.request_hash,
        };
        let mut tx = match self.begin_idempotent(&slot, input.now).await? {
            Ok(tx) => tx,
            Err(previous) => return Ok(previous),
        };
        let found = self
            .lock_subscription(&mut tx, input.shop_id, input.subscription_id)
            .await?
            .filter(|found| found.customer_id == input.customer_id);
        let Some(mut subscription) = found else {
            tx.rollback().await?;
            return Ok(ChangeOutcome::NotFound);
        };
        let applied = match apply(&mut subscription, &input.action, input.today, input.now) {
            Ok(applied) => applied,
            Err(refusal) => {
                tx.rollback().await?;
                return Ok(ChangeOutcome::Refused(refusal));
            }
        };
        if applied.changed {
            save(&mut tx, &subscription, input.now).await?;
            if let (Some(day), SubscriptionAction::DeliverNow(terms)) =
                (applied.deliver_on, &input.action)
            {
                self.ask_for_delivery(&mut tx, &subscription, day, terms, input.now)
                    .await?;
            }
            let event = match input.action {
                SubscriptionAction::Cancel { .. } => Event::SubscriptionCancelled {
                    subscription: &subscription,
                    pending_delivery: applied.pending,
                },
                _ => Event::SubscriptionChanged {
                    subscription: &subscription,
                    action: input.action.name(),
                },
            };
            self.record_event(&mut tx, input.shop_id, &event, input.now)
                .await?;
        }
        let body = answer(&subscription)?;
        slot.store(&mut tx, 200, &body, input.now).await?;
        tx.commit().await?;
        Ok(ChangeOutcome::Changed(body))
    }

    /// What a paid order's lines do to subscriptions, in the order's transaction (the
    /// customer is locked): start the new ones (once per order line, whatever repeats
    /// of the webhook arrive) and confirm the renewals.
    pub(super) async fn apply_subscription_lines(
        &self,
        connection: &mut AnyConnection,
        order: &super::OrderInput<'_>,
    ) -> Result<(), StoreError> {
        let mut renewed: Vec<&str> = Vec::new();
        for line in &order.subscription_lines {
            match line {
                SubscriptionLine::Start {
                    line_no,
                    product_id,
                    quantity,
                    plan_id,
                    interval,
                    first_delivery,
                } => {
                    let schedule = Schedule::starting(*first_delivery, *interval);
                    let subscription = Subscription {
                        id: uuid::Uuid::now_v7().to_string(),
                        shop_id: order.shop_id.to_owned(),
                        customer_id: order.customer_id.to_owned(),
                        product_id: product_id.clone(),
                        plan_id: plan_id.clone(),
                        quantity: *quantity,
                        schedule,
                        status: SubscriptionStatus::Active,
                        next_delivery: Some(schedule.after(*first_delivery)),
                        paused_until: None,
                        renewal_requested_for: None,
                        deliveries: 1,
                        started_on: *first_delivery,
                        cancelled_on: None,
                        cancelled_at: None,
                        cancel_reason: None,
                        cancel_comment: None,
                        created_at: order.now,
                        order_id: order.order_id.to_owned(),
                        line_no: *line_no,
                    };
                    if insert(connection, &subscription, order.now).await? {
                        let event = Event::SubscriptionCreated {
                            subscription: &subscription,
                        };
                        self.record_event(connection, order.shop_id, &event, order.now)
                            .await?;
                    }
                }
                SubscriptionLine::Renew { subscription_id } => {
                    if renewed.contains(&subscription_id.as_str()) {
                        continue;
                    }
                    renewed.push(subscription_id);
                    let found = self
                        .lock_subscription(connection, order.shop_id, subscription_id)
                        .await?
                        .filter(|found| found.customer_id == order.customer_id);
                    let Some(mut subscription) = found else {
                        continue;
                    };
                    if confirm_renewal(&mut subscription) {
                        save(connection, &subscription, order.now).await?;
                        let event = Event::SubscriptionChanged {
                            subscription: &subscription,
                            action: RENEWAL,
                        };
                        self.record_event(connection, order.shop_id, &event, order.now)
                            .await?;
                    }
                }
            }
        }
        Ok(())
    }
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
