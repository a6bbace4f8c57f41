//! How a subscription changes: the shopper's actions (skip, deliver now, pause, resume,
//! change, cancel), each idempotent under its key with the customer and the row locked,
//! and what paid order lines do (start one, or confirm a renewal) in the order's own
//! transaction. Every change writes its outbound event in the same transaction; the
//! rules of each change are in [`super::subscription_rules`].

use comeback_core::date::Date;
use comeback_core::orders::Interval;
use comeback_core::subscription::{Schedule, SubscriptionStatus};
use sqlx::AnyConnection;

use super::events::Event;
use super::idempotency::{IdempotencySlot, Replayable};
use super::subscription_rules::{apply, confirm_renewal, Refusal, SubscriptionAction, RENEWAL};
use super::subscriptions::{insert, save, Subscription};
use super::{Store, StoreError};

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
            sqlx::query(
                "INSERT INTO subscription_log (shop_id, subscription_id, action, at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(input.shop_id)
            .bind(&subscription.id)
            .bind(input.action.name())
            .bind(input.now)
            .execute(&mut *tx)
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
