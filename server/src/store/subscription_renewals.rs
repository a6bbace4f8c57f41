//! Asking the shop for a delivery: the `subscription.renewal_due` event, written with
//! the subscription marked pending in one transaction, by the renewal job (for each
//! delivery that has come) and by the shopper's "deliver now".

use comeback_core::date::Date;
use comeback_core::subscription::{Price, SubscriptionStatus};
use sqlx::AnyConnection;

use super::events::Event;
use super::ledger::lock_customer;
use super::subscription_rules::SubscriptionAction;
use super::subscriptions::{save, Subscription};
use super::{Store, StoreError};

/// What a delivery costs and how it ships, worked out by the caller from the plan and
/// the catalogue as they are now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenewalTerms {
    /// The shop's ISO 4217 currency.
    pub currency: String,
    /// One unit under the plan (`Discount::apply` on the current catalogue price); none
    /// when the product is no longer in the catalogue (the shop prices it).
    pub unit_price: Option<Price>,
    /// Whether the plan ships free.
    pub free_shipping: bool,
}

/// What the renewal job did to one subscription.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenewalRun {
    /// Its pause had ended: it runs again.
    pub resumed: bool,
    /// The delivery the shop was asked for.
    pub asked_for: Option<Date>,
}

impl Store {
    /// Writes `subscription.renewal_due` for the delivery on `day` (the caller has
    /// marked the subscription pending and saves it in the same transaction).
    pub(super) async fn ask_for_delivery(
        &self,
        connection: &mut AnyConnection,
        subscription: &Subscription,
        day: Date,
        terms: &RenewalTerms,
        now: i64,
    ) -> Result<(), StoreError> {
        let event = Event::SubscriptionRenewalDue {
            subscription,
            delivery_date: day,
            terms,
            line_total: terms
                .unit_price
                .and_then(|unit| unit.times(subscription.quantity)),
        };
        self.record_event(connection, &subscription.shop_id, &event, now)
            .await?;
        Ok(())
    }

    /// The renewal job's step for one subscription `due` found, re-checked under the
    /// customer's and the row's lock (so processes running the job at once, or a
    /// shopper's change in between, never make it ask twice): a pause that ended by
    /// `today` ends; a delivery that has come, with none pending, is asked for, and the
    /// next delivery becomes the first of the rhythm after today (a delivery missed
    /// while the server was down is asked for once, not once per missed interval).
    pub async fn renew_due(
        &self,
        due: &Subscription,
        today: Date,
        terms: &RenewalTerms,
        now: i64,
    ) -> Result<RenewalRun, StoreError> {
        let mut tx = self.begin_write().await?;
        lock_customer(&mut tx, &due.shop_id, &due.customer_id, now).await?;
        let Some(mut subscription) = self
            .lock_subscription(&mut tx, &due.shop_id, &due.id)
            .await?
        else {
            tx.rollback().await?;
            return Ok(RenewalRun::default());
        };
        let mut run = RenewalRun::default();
        if subscription.status == SubscriptionStatus::Paused
            && subscription
                .paused_until
                .is_some_and(|until| until <= today)
        {
            subscription.status = SubscriptionStatus::Active;
            subscription.paused_until = None;
            run.resumed = true;
        }
        let asked = subscription
            .next_delivery
            .filter(|next| *next <= today)
            .filter(|_| subscription.status == SubscriptionStatus::Active)
            .filter(|_| subscription.renewal_requested_for.is_none());
        if let Some(day) = asked {
            subscription.renewal_requested_for = Some(day);
            subscription.next_delivery = Some(subscription.schedule.first_after(day, today));
            run.asked_for = Some(day);
        }
        if run == RenewalRun::default() {
            tx.rollback().await?;
            return Ok(run);
        }
        save(&mut tx, &subscription, now).await?;
        if run.resumed {
            let event = Event::SubscriptionChanged {
                subscription: &subscription,
                action: SubscriptionAction::Resume.name(),
            };
            self.record_event(&mut tx, &subscription.shop_id, &event, now)
                .await?;
        }
        if let Some(day) = run.asked_for {
            self.ask_for_delivery(&mut tx, &subscription, day, terms, now)
                .await?;
        }
        tx.commit().await?;
        Ok(run)
    }
}
