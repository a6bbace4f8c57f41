//! The order pipeline, on top of the feature stores: an order webhook recorded once per
//! status, its points earned or taken back on the ledger, the tier re-evaluated and the
//! punch cards stamped, all in one transaction.

use comeback_core::api::OrderStatus;
use comeback_core::ledger::{self, EntryKind};
use sqlx::AnyConnection;
use sqlx::Row;

use super::ledger::{append_entry, name_json, NewEntry};
use super::order_records::{self, OrderDetails, OrderHead};
use super::punch_cards::PunchCardSetup;
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
    /// The shop's punch cards, stamped by a paid order.
    pub punch_cards: Vec<PunchCardSetup<'a>>,
    /// Prefix of the codes full punch cards issue.
    pub code_prefix: &'a str,
    /// When such a code expires, Unix seconds.
    pub code_expires_at: i64,
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
) -> Result<bool, StoreError> {
    let products = serde_json::to_string(&order.product_ids)
        .map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let result = sqlx::query(
        "INSERT INTO orders (shop_id, order_id, status, customer_id, total, currency, points, created_at, placed_at, product_ids) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
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

const PAID: &str = "paid";
const REFUNDED: &str = "refunded";

impl Store {
    /// Records an order webhook: a payment earns points once (multiplied by the perk of
    /// the tier held when it is processed); a refund takes them back once (forgiving
    /// what was already spent); a refund that arrives before its payment is recorded
    /// with no points so the late payment earns nothing. The tier is re-evaluated
    /// before and after, and a payment stamps the punch cards (issuing the codes of
    /// full ones), in the same transaction.
    pub async fn record_order(&self, order: &OrderInput<'_>) -> Result<OrderOutcome, StoreError> {
        let mut tx = self.begin_write().await?;
        lock_customer(&mut tx, order.shop_id, order.customer_id, order.now).await?;
        let held = self
            .evaluate_tier(&mut tx, order.shop_id, order.customer_id, order.now)
            .await?;
        let (balance, _) = totals(&mut tx, order.shop_id, order.customer_id).await?;
        // What this delivery would change: the ledger kind, the movement, (for a refund)
        // the points already spent that are forgiven, and (for a payment a tier perk
        // multiplied) the points before the perk and the tier's name.
        let (status, kind, movement, forgiven, perk) = match order.status {
            OrderStatus::Paid => {
                let refunded_first =
                    find_order(&mut tx, order.shop_id, order.order_id, REFUNDED).await?;
                let base = if refunded_first.is_some() {
                    0
                } else {
                    order.earned
                };
                let earned = held.as_ref().map_or(base, |tier| tier.perks.multiply(base));
                let perk = held
                    .as_ref()
                    .filter(|_| earned != base)
                    .map(|tier| (base, tier));
                (PAID, EntryKind::OrderPaid, ledger::earn(earned), 0, perk)
            }
            OrderStatus::Refunded => {
                let paid = find_order(&mut tx, order.shop_id, order.order_id, PAID).await?;
                if matches!(&paid, Some((customer, _)) if customer != order.customer_id) {
                    tx.commit().await?;
                    return Ok(OrderOutcome::CustomerMismatch);
                }
                let earned = paid.map_or(0, |(_, points)| points);
                let (movement, forgiven) = ledger::refund(earned, balance);
                (REFUNDED, EntryKind::OrderRefunded, movement, forgiven, None)
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
        let outcome = if claim_order(&mut tx, order, status, movement.points).await? {
            if movement.points != 0 || movement.lifetime != 0 {
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
                        forgiven,
                        action_id: None,
                        base_points: perk.map(|(base, _)| base),
                        created_at: order.now,
                    },
                )
                .await?;
            }
            self.evaluate_tier(&mut tx, order.shop_id, order.customer_id, order.now)
                .await?;
            self.stamp_punch_cards(&mut tx, order).await?;
            OrderOutcome::Recorded {
                points: movement.points,
                balance: balance + movement.points,
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
