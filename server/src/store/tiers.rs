//! Tier status: the tier each customer holds and until when (`comeback_core::tiers`),
//! kept on their customer row and re-evaluated in the transaction of every change to
//! their qualifying total, and by the daily job when a hold ends.
//!
//! Qualifying events are read from the ledger and the orders:
//! - `points_earned`: every entry that changed the lifetime total (paid orders, refunds,
//!   actions, birthday and anniversary rewards, positive adjustments), dated by its
//!   UTC day, except that order entries (the payment and its refund) are dated by the
//!   day the order was placed, so a refund cancels the purchase in the window where it
//!   counted (a multiplier bonus taken back, by the day of the order that earned it).
//! - `money_spent`: the totals of paid orders less what was refunded of them, on the
//!   day they were placed (a wholly refunded order counts nothing).
//!
//! A customer whose status was never evaluated (`tier_evaluated_at IS NULL`: new, or
//! recorded before tiers were stored) is first evaluated silently, so the
//! `tier.changed` event is only written for a real move.

use std::collections::BTreeMap;
use std::sync::Arc;

use comeback_core::date::Date;
use comeback_core::ledger::{EntryDetail, EntryKind};
use comeback_core::tier::Tier;
use comeback_core::tier_refund;
use comeback_core::tiers::{self, QualifyingEvent, TierBasis, TierStatus, TierWindow};
use sqlx::AnyConnection;
use sqlx::Row;

use super::events::Event;
use super::{lock_customer, totals, Store, StoreError};

/// How a shop's tiers are decided.
#[derive(Debug, Clone, Default)]
pub struct TierRules {
    /// The ladder, lowest first, with each tier's perks.
    pub ladder: Vec<Tier>,
    /// What the thresholds measure.
    pub basis: TierBasis,
    /// The period whose total counts.
    pub window: TierWindow,
}

/// The tier rules of every shop, by shop id.
pub type TierRulesByShop = Arc<BTreeMap<String, TierRules>>;

/// Where a customer stands: the status they hold today and their window's total.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TierStanding {
    /// The tier held and its hold.
    pub status: TierStatus,
    /// The qualifying total of the current window.
    pub qualifying_total: i64,
}

/// The stored status, `None` when never evaluated.
async fn stored_status(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
) -> Result<Option<TierStatus>, StoreError> {
    let row = sqlx::query(
        "SELECT tier_id, tier_held_until, tier_evaluated_at FROM customers \
         WHERE shop_id = $1 AND customer_id = $2",
    )
    .bind(shop_id)
    .bind(customer_id)
    .fetch_optional(&mut *connection)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let evaluated: Option<i64> = row.try_get("tier_evaluated_at")?;
    if evaluated.is_none() {
        return Ok(None);
    }
    let held_until: Option<String> = row.try_get("tier_held_until")?;
    let held_until = held_until
        .map(|iso| {
            Date::parse(&iso).ok_or_else(|| StoreError::Corrupt(format!("tier hold `{iso}`")))
        })
        .transpose()?;
    Ok(Some(TierStatus {
        tier: row.try_get("tier_id")?,
        held_until,
    }))
}

async fn store_status(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
    status: &TierStatus,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE customers SET tier_id = $1, tier_held_until = $2, tier_evaluated_at = $3 \
         WHERE shop_id = $4 AND customer_id = $5",
    )
    .bind(status.tier.as_deref())
    .bind(status.held_until.map(Date::to_iso))
    .bind(now)
    .bind(shop_id)
    .bind(customer_id)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// The customer's qualifying events for `basis` (see the module header).
pub(super) async fn qualifying_events(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
    basis: TierBasis,
) -> Result<Vec<QualifyingEvent>, StoreError> {
    let rows = match basis {
        TierBasis::PointsEarned => {
            sqlx::query(
                "SELECT l.lifetime AS amount, \
                        COALESCE(o.placed_at, o.created_at, l.created_at) AS happened_at \
                 FROM ledger_entries l \
                 LEFT JOIN orders o ON o.shop_id = l.shop_id \
                      AND o.order_id = CASE WHEN l.detail = $5 THEN l.code ELSE l.reference END \
                      AND o.status = 'paid' AND l.kind IN ($3, $4) \
                 WHERE l.shop_id = $1 AND l.customer_id = $2 AND l.lifetime <> 0",
            )
            .bind(shop_id)
            .bind(customer_id)
            .bind(EntryKind::OrderPaid.as_str())
            .bind(EntryKind::OrderRefunded.as_str())
            .bind(EntryDetail::TierBonusTakenBack.as_str())
            .fetch_all(&mut *connection)
            .await?
        }
        TierBasis::MoneySpent => {
            sqlx::query(
                "SELECT p.total - COALESCE(r.refunded_amount, 0) AS amount, \
                        COALESCE(p.placed_at, p.created_at) AS happened_at \
                 FROM orders p LEFT JOIN orders r ON r.shop_id = p.shop_id \
                      AND r.order_id = p.order_id AND r.status = 'refunded' \
                 WHERE p.shop_id = $1 AND p.customer_id = $2 AND p.status = 'paid' \
                 AND (r.order_id IS NULL OR COALESCE(r.refunded_amount, p.total) < p.total)",
            )
            .bind(shop_id)
            .bind(customer_id)
            .fetch_all(&mut *connection)
            .await?
        }
    };
    rows.iter()
        .map(|row| {
            Ok(QualifyingEvent {
                on: Date::from_unix_seconds(row.try_get("happened_at")?),
                amount: row.try_get("amount")?,
            })
        })
        .collect()
}

/// The customer's standing as of the day of `now`, evaluated from their stored status
/// without writing anything (what the next evaluation will store).
pub(super) async fn standing(
    connection: &mut AnyConnection,
    rules: &TierRules,
    shop_id: &str,
    customer_id: &str,
    now: i64,
) -> Result<(Option<TierStatus>, TierStanding), StoreError> {
    let today = Date::from_unix_seconds(now);
    let previous = stored_status(connection, shop_id, customer_id).await?;
    let events = qualifying_events(connection, shop_id, customer_id, rules.basis).await?;
    let status = tiers::next_status(
        &rules.ladder,
        &previous.clone().unwrap_or_default(),
        &events,
        rules.window,
        today,
    );
    let qualifying_total = tiers::qualifying_total(&events, rules.window, today);
    Ok((
        previous,
        TierStanding {
            status,
            qualifying_total,
        },
    ))
}

impl Store {
    /// The shop's tier rules, when it has a ladder.
    pub(super) fn tier_rules(&self, shop_id: &str) -> Option<TierRules> {
        self.tiers
            .load()
            .get(shop_id)
            .filter(|rules| !rules.ladder.is_empty())
            .cloned()
    }

    /// Re-evaluates the customer's tier status as of `now` in the caller's transaction
    /// (which holds the customer lock), stores it when it changed, and writes
    /// `tier.changed` when the tier itself moved (not on a first, silent evaluation).
    /// Returns the tier held afterwards, with its perks.
    pub(super) async fn evaluate_tier(
        &self,
        connection: &mut AnyConnection,
        shop_id: &str,
        customer_id: &str,
        now: i64,
    ) -> Result<Option<Tier>, StoreError> {
        let Some(rules) = self.tier_rules(shop_id) else {
            return Ok(None);
        };
        let (previous, standing) = standing(connection, &rules, shop_id, customer_id, now).await?;
        if previous.as_ref() != Some(&standing.status) {
            store_status(connection, shop_id, customer_id, &standing.status, now).await?;
        }
        if let Some(previous) = previous.filter(|previous| previous.tier != standing.status.tier) {
            let (_, lifetime) = totals(connection, shop_id, customer_id).await?;
            self.tier_changed(
                connection,
                shop_id,
                customer_id,
                (&previous, &standing),
                lifetime,
                now,
            )
            .await?;
        }
        let held = standing.status.tier.as_deref();
        Ok(rules
            .ladder
            .iter()
            .find(|tier| Some(tier.id.as_str()) == held)
            .cloned())
    }

    /// After a refund (in its transaction, which holds the customer lock): the tier the
    /// refunded order helped to reach is not kept (`comeback_core::tier_refund`),
    /// with `tier.changed` when the tier moves. A tier earned by genuine spending keeps
    /// its hold.
    pub(super) async fn reassess_tier_after_refund(
        &self,
        connection: &mut AnyConnection,
        shop_id: &str,
        customer_id: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let Some(rules) = self.tier_rules(shop_id) else {
            return Ok(());
        };
        let Some(stored) = stored_status(connection, shop_id, customer_id).await? else {
            return Ok(());
        };
        let today = Date::from_unix_seconds(now);
        let events = qualifying_events(connection, shop_id, customer_id, rules.basis).await?;
        let after = tier_refund::after_refund(&rules.ladder, &stored, &events, rules.window, today);
        if after == stored {
            return Ok(());
        }
        store_status(connection, shop_id, customer_id, &after, now).await?;
        if after.tier != stored.tier {
            let standing = TierStanding {
                qualifying_total: tiers::qualifying_total(&events, rules.window, today),
                status: after,
            };
            let (_, lifetime) = totals(connection, shop_id, customer_id).await?;
            self.tier_changed(
                connection,
                shop_id,
                customer_id,
                (&stored, &standing),
                lifetime,
                now,
            )
            .await?;
        }
        Ok(())
    }

    /// Where the customer stands as of `now` (the status the next evaluation stores),
    /// without writing; the default for shops without tiers.
    pub async fn tier_standing(
        &self,
        shop_id: &str,
        customer_id: &str,
        now: i64,
    ) -> Result<TierStanding, StoreError> {
        let Some(rules) = self.tier_rules(shop_id) else {
            return Ok(TierStanding::default());
        };
        let mut connection = self.pool.acquire().await?;
        let (_, standing) = standing(&mut connection, &rules, shop_id, customer_id, now).await?;
        Ok(standing)
    }

    /// Re-evaluates one customer's tier in its own transaction (for the daily job);
    /// true when the tier moved.
    pub async fn review_tier(
        &self,
        shop_id: &str,
        customer_id: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        lock_customer(&mut tx, shop_id, customer_id, now).await?;
        let before = stored_status(&mut tx, shop_id, customer_id).await?;
        let after = self
            .evaluate_tier(&mut tx, shop_id, customer_id, now)
            .await?;
        tx.commit().await?;
        Ok(before.is_some_and(|before| before.tier != after.map(|tier| tier.id)))
    }

    /// Customers of a shop whose tier needs the daily review on the day of `now`: never
    /// evaluated, or holding a tier whose hold ended before today.
    pub async fn customers_due_for_tier_review(
        &self,
        shop_id: &str,
        now: i64,
    ) -> Result<Vec<String>, StoreError> {
        if self.tier_rules(shop_id).is_none() {
            return Ok(Vec::new());
        }
        let today = Date::from_unix_seconds(now).to_iso();
        let rows = sqlx::query(
            "SELECT customer_id FROM customers WHERE shop_id = $1 \
             AND (tier_evaluated_at IS NULL OR tier_held_until < $2) ORDER BY customer_id",
        )
        .bind(shop_id)
        .bind(today)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok(row.try_get("customer_id")?))
            .collect()
    }

    /// Writes `tier.changed` for a move from `previous` to `standing` (in the caller's
    /// transaction) when the shop receives it.
    async fn tier_changed(
        &self,
        connection: &mut AnyConnection,
        shop_id: &str,
        customer_id: &str,
        (previous, standing): (&TierStatus, &TierStanding),
        lifetime: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        let event = Event::TierChanged {
            customer_id,
            from: previous.tier.as_deref(),
            to: standing.status.tier.as_deref(),
            lifetime_points: lifetime,
            qualifying_total: standing.qualifying_total,
            held_until: standing.status.held_until,
        };
        self.record_event(connection, shop_id, &event, now).await?;
        Ok(())
    }
}
