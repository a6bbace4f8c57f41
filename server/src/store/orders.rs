//! The order pipeline, on top of the feature stores: an order webhook recorded once per
//! status, its points earned or taken back on the ledger, the tier re-evaluated and the
//! punch cards stamped, all in one transaction.

use comeback_core::api::OrderStatus;
use comeback_core::ledger::{self, EntryKind};
use sqlx::AnyConnection;
use sqlx::Row;

use super::anniversary;
use super::clawback::{self, Clawback};
use super::ledger::{append_entry, name_json, NewEntry};
use super::order_records::{self, OrderDetails, OrderHead};
use super::punch_cards::PunchCardSetup;
use super::refunds::{self, PartialRefund};
use super::{lock_customer, totals, Store, StoreError};

/// An order webhook, checked and with its points worked out.
#[derive(Debug, Clone)]
pub struct OrderInput<'a> {
    /// The shop.
    pub shop_id: &'a str,
    /// The shop's order id.
    pub order_id: &'a str,
    /// The shop's customer id.
    pub customer_id: &'a str,
    /// Paid or refunded.
    pub status: OrderStatus,
    /// Order total, minor units.
    pub total: i64,
    /// The order's currency (already checked against the shop's).
    pub currency: &'a str,
    /// Points a paid order earns before any tier perk
    /// (`comeback_core::money::points_for_order`).
    pub earned: i64,
    /// When the order was placed (the webhook's `created_at`, else `now`), Unix
    /// seconds; stored no later than `now`.
    pub placed_at: i64,
    /// The products of the order's lines.
    pub product_ids: Vec<String>,
    /// The lines and optional fields, stored with the order's first delivery.
    pub details: OrderDetails<'a>,
    /// For a refund of part of the order: how much so far; `None` refunds it whole.
    pub partial_refund: Option<PartialRefund>,
    /// The shop's punch cards, stamped by a paid order.
    pub punch_cards: Vec<PunchCardSetup<'a>>,
    /// Prefix of the codes full punch cards issue.
    pub code_prefix: &'a str,
    /// When such a code expires, Unix seconds.
    pub code_expires_at: i64,
    /// What a payment's lines do to subscriptions (checked by the caller); empty for
    /// a refund and for shops without subscriptions.
    pub subscription_lines: Vec<super::SubscriptionLine>,
    /// The shop's referral terms, with the order's code and address; `None` for a shop
    /// without referrals.
    pub referral: Option<super::ReferralTerms<'a>>,
    /// When this happened, Unix seconds.
    pub now: i64,
}

/// What recording an order did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderOutcome {
    /// Recorded (or recognised as a repeat).
    Recorded {
        /// Points moved by this delivery (0 for a repeat).
        points: i64,
        /// The balance afterwards.
        balance: i64,
        /// True when this order and status were seen before.
        duplicate: bool,
    },
    /// A refund names a different customer than the payment it refunds.
    CustomerMismatch,
}

/// Inserts the order row unless this order already has this status; true if inserted.
async fn claim_order(
    connection: &mut AnyConnection,
    order: &OrderInput<'_>,
    status: &str,
    points: i64,
    refunded_amount: Option<i64>,
) -> Result<bool, StoreError> {
    // A partial refund keeps the products it names, or (by amount) the paid ones: NULL.
    let products = match &order.partial_refund {
        Some(refund) => refund.kept_products.as_ref(),
        None => Some(&order.product_ids),
    }
    .map(serde_json::to_string)
    .transpose()
    .map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let result = sqlx::query(
        "INSERT INTO orders (shop_id, order_id, status, customer_id, total, currency, points, created_at, placed_at, product_ids, refunded_amount) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (shop_id, order_id, status) DO NOTHING",
    )
    .bind(order.shop_id)
    .bind(order.order_id)
    .bind(status)
    .bind(order.customer_id)
    .bind(order.total)
    .bind(order.currency)
    .bind(points)
    .bind(order.now)
    .bind(order.placed_at.min(order.now))
    .bind(products)
    .bind(refunded_amount)
    .execute(&mut *connection)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// The stored row of an order with a status: (customer, points).
async fn find_order(
    connection: &mut AnyConnection,
    shop_id: &str,
    order_id: &str,
    status: &str,
) -> Result<Option<(String, i64)>, StoreError> {
    let row = sqlx::query(
        "SELECT customer_id, points FROM orders \
         WHERE shop_id = $1 AND order_id = $2 AND status = $3",
    )
    .bind(shop_id)
    .bind(order_id)
    .bind(status)
    .fetch_optional(&mut *connection)
    .await?;
    row.map(|row| Ok((row.try_get("customer_id")?, row.try_get("points")?)))
        .transpose()
}

/// Runs of an order's transaction before a conflict is reported (see
/// [`Store::record_order`]).
const ORDER_ATTEMPTS: u32 = 3;

const PAID: &str = "paid";
const REFUNDED: &str = "refunded";

impl Store {
    /// Records an order webhook: a payment earns points once (multiplied by the perk of
    /// the tier held when it is processed); a refund takes them back in proportion to
    /// how much of the order has been refunded so far, rounded against the shopper, and
    /// only what earlier refunds of the order did not already take (a refund that does
    /// not raise the refunded amount changes nothing): from the balance, then from
    /// unused codes, then as a debt (`clawback`), and the same way the multiplier bonus
    /// orders earned with a tier the refund takes away (`tier_bonus`); a refund that
    /// arrives before its payment is recorded with no points so the late payment earns
    /// nothing. The tier is re-evaluated before and after (a refund does not keep the
    /// tier its order reached), a payment stamps the punch cards (issuing the codes of
    /// full ones) and a refund revokes the unused codes of cards it leaves short, in the
    /// same transaction.
    ///
    /// A transaction PostgreSQL aborts to break a deadlock (the order's customer and a
    /// referral's advocate locked in the opposite order by another order) is run again,
    /// up to [`ORDER_ATTEMPTS`] times in all: it was rolled back whole, and recording is
    /// idempotent.
    pub async fn record_order(&self, order: &OrderInput<'_>) -> Result<OrderOutcome, StoreError> {
        let mut attempt = 1;
        loop {
            match self.record_order_once(order).await {
                Err(error) if attempt < ORDER_ATTEMPTS && Store::is_transient_conflict(&error) => {
                    tracing::warn!(order_id = order.order_id, attempt, %error, "order transaction aborted by a conflict; running it again");
                    attempt += 1;
                }
                outcome => return outcome,
            }
        }
    }

    async fn record_order_once(&self, order: &OrderInput<'_>) -> Result<OrderOutcome, StoreError> {
        let mut tx = self.begin_write().await?;
        lock_customer(&mut tx, order.shop_id, order.customer_id, order.now).await?;
        let held = self
            .evaluate_tier(&mut tx, order.shop_id, order.customer_id, order.now)
            .await?;
        let (balance, lifetime) = totals(&mut tx, order.shop_id, order.customer_id).await?;
        // What this delivery would change: the ledger kind, the movement (for a refund
        // only its lifetime part; `clawback::take_back` decides the rest), and (for a
        // payment a tier perk multiplied) the points before the perk and the tier's name.
        // For a refund: how much of the order is refunded after it, and whether an
        // earlier refund of the order was recorded.
        let mut refund_step = None;
        // A payment whose refund arrived first starts and renews nothing.
        let mut refunded_first = false;
        // For a refund: the paid order's total (what `refund_cancels` weighs).
        let mut refund_total = order.total;
        let (status, kind, movement, perk) = match order.status {
            OrderStatus::Paid => {
                refunded_first = find_order(&mut tx, order.shop_id, order.order_id, REFUNDED)
                    .await?
                    .is_some();
                let base = if refunded_first { 0 } else { order.earned };
                let earned = held.as_ref().map_or(base, |tier| tier.perks.multiply(base));
                super::checked_add("balance", balance, earned)?;
                super::checked_add("lifetime points", lifetime, earned)?;
                let perk = held
                    .as_ref()
                    .filter(|_| earned != base)
                    .map(|tier| (base, tier));
                (PAID, EntryKind::OrderPaid, ledger::earn(earned), perk)
            }
            OrderStatus::Refunded => {
                let paid = refunds::paid_row(&mut tx, order.shop_id, order.order_id).await?;
                if matches!(&paid, Some((customer, ..)) if customer != order.customer_id) {
                    tx.commit().await?;
                    return Ok(OrderOutcome::CustomerMismatch);
                }
                let total = paid.as_ref().map_or(order.total, |(_, _, total, _)| *total);
                refund_total = total;
                let refunded = order
                    .partial_refund
                    .as_ref()
                    .map_or(total, |refund| refund.amount.clamp(0, total));
                let before =
                    refunds::refunded_so_far(&mut tx, order.shop_id, order.order_id).await?;
                if before.is_some_and(|before| refunded <= before) {
                    tx.commit().await?;
                    return Ok(OrderOutcome::Recorded {
                        points: 0,
                        balance,
                        duplicate: true,
                    });
                }
                let (earned, paid_at) =
                    paid.map_or((0, order.now), |(_, points, _, at)| (points, at));
                let target = refunds::points_to_take_back(earned, refunded, total);
                let taken = refunds::taken_back_so_far(
                    &mut tx,
                    order.shop_id,
                    order.customer_id,
                    order.order_id,
                )
                .await?;
                let owed = (target - taken).max(0);
                refund_step = Some((refunded, before.is_some(), owed, paid_at));
                // The refund's movement is decided by `clawback::take_back` below.
                let movement = ledger::Movement {
                    points: 0,
                    lifetime: -owed,
                };
                (REFUNDED, EntryKind::OrderRefunded, movement, None)
            }
        };
        let head = OrderHead {
            shop_id: order.shop_id,
            order_id: order.order_id,
            customer_id: order.customer_id,
            total: order.total,
            currency: order.currency,
            placed_at: order.placed_at,
            now: order.now,
        };
        order_records::store_once(&mut tx, &head, &order.details).await?;
        // A refund takes its points back now (under the lock, before anything else is
        // recorded): from the balance, from unused codes, then as a debt.
        let mut movement = movement;
        if let Some((_, _, owed, paid_at)) = refund_step {
            let refund = Clawback {
                shop_id: order.shop_id,
                customer_id: order.customer_id,
                order_id: order.order_id,
                owed,
                balance,
                paid_at,
                bonus_of: None,
                now: order.now,
            };
            movement = clawback::take_back(&mut tx, &refund).await?;
        }
        let recorded = match refund_step {
            Some((refunded, true, _, _)) => {
                let kept = order
                    .partial_refund
                    .as_ref()
                    .and_then(|refund| refund.kept_products.as_ref())
                    .map(serde_json::to_string)
                    .transpose()
                    .map_err(|error| StoreError::Corrupt(error.to_string()))?;
                refunds::raise_refund(
                    &mut tx,
                    order.shop_id,
                    order.order_id,
                    refunded,
                    movement.points,
                    kept.as_deref(),
                )
                .await?;
                true
            }
            Some((refunded, false, _, _)) => {
                claim_order(&mut tx, order, status, movement.points, Some(refunded)).await?
            }
            None => claim_order(&mut tx, order, status, movement.points, None).await?,
        };
        if recorded {
            anniversary::refresh_first_order(&mut tx, order.shop_id, order.customer_id).await?;
        }
        let outcome = if recorded {
            if refund_step.is_none() && (movement.points != 0 || movement.lifetime != 0) {
                let reward_name = perk.map(|(_, tier)| name_json(&tier.name)).transpose()?;
                append_entry(
                    &mut tx,
                    NewEntry {
                        shop_id: order.shop_id,
                        customer_id: order.customer_id,
                        kind,
                        movement,
                        reference: order.order_id,
                        reward_name,
                        forgiven: 0,
                        action_id: None,
                        base_points: perk.map(|(base, _)| base),
                        created_at: order.now,
                    },
                )
                .await?;
            }
            if refund_step.is_some() {
                // The multiplier bonus orders earned with a tier the refund takes away.
                self.take_back_tier_bonus(
                    &mut tx,
                    order.shop_id,
                    order.customer_id,
                    order.order_id,
                    order.now,
                )
                .await?;
            }
            self.evaluate_tier(&mut tx, order.shop_id, order.customer_id, order.now)
                .await?;
            if refund_step.is_some() {
                self.reassess_tier_after_refund(
                    &mut tx,
                    order.shop_id,
                    order.customer_id,
                    order.now,
                )
                .await?;
            }
            self.stamp_punch_cards(&mut tx, order).await?;
            self.unstamp_punch_cards(&mut tx, order).await?;
            if order.status == OrderStatus::Paid && !refunded_first {
                self.apply_subscription_lines(&mut tx, order).await?;
                self.apply_referral(&mut tx, order).await?;
            }
            if let Some((refunded, _, _, _)) = refund_step {
                self.refund_referral(&mut tx, order, refund_total, refunded)
                    .await?;
            }
            let (after, _) = totals(&mut tx, order.shop_id, order.customer_id).await?;
            OrderOutcome::Recorded {
                points: after - balance,
                balance: after,
                duplicate: false,
            }
        } else {
            OrderOutcome::Recorded {
                points: 0,
                balance,
                duplicate: true,
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }
}
