//! Releasing a discount code the shopper will not use: its points come back (repaying
//! a debt first). A code used on an order (consumed by it, or listed in its webhook's
//! `discount_codes`) is released only once that order is refunded in full (how a
//! cancelled order arrives); a revoked code never is.

use comeback_core::api::CodeStatus;
use comeback_core::code::normalize_code;
use sqlx::AnyConnection;
use sqlx::Row;

use super::codes::{find, give_back, DiscountCode};
use super::{lock_customer, totals, Store, StoreError};

/// Whether the order was refunded in full (a cancelled order is sent as one).
async fn order_refunded_in_full(
    connection: &mut AnyConnection,
    shop_id: &str,
    order_id: &str,
) -> Result<bool, StoreError> {
    let row = sqlx::query(
        "SELECT 1 AS found FROM orders WHERE shop_id = $1 AND order_id = $2 \
         AND status = 'refunded' AND COALESCE(refunded_amount, total) >= total",
    )
    .bind(shop_id)
    .bind(order_id)
    .fetch_optional(&mut *connection)
    .await?;
    Ok(row.is_some())
}

/// The orders that used the code: the one that consumed it, and every order of its
/// customer whose webhook listed it in `discount_codes` (a shop may report a code only
/// there).
async fn orders_using(
    connection: &mut AnyConnection,
    shop_id: &str,
    code: &DiscountCode,
) -> Result<Vec<String>, StoreError> {
    let mut orders: Vec<String> = code.used_by_order.iter().cloned().collect();
    // `LIKE` narrows the rows (codes are `A-Z0-9-`, so the pattern has no wildcard but
    // `_`, and any row it lets through by mistake is dropped by the exact check below).
    let rows = sqlx::query(
        "SELECT order_id, discount_codes FROM order_details \
         WHERE shop_id = $1 AND customer_id = $2 AND UPPER(discount_codes) LIKE $3",
    )
    .bind(shop_id)
    .bind(&code.customer_id)
    .bind(format!("%\"{}\"%", code.code))
    .fetch_all(&mut *connection)
    .await?;
    for row in &rows {
        let listed: String = row.try_get("discount_codes")?;
        let listed: Vec<String> = serde_json::from_str(&listed)
            .map_err(|error| StoreError::Corrupt(format!("order discount codes: {error}")))?;
        if listed.iter().any(|used| normalize_code(used) == code.code) {
            let order: String = row.try_get("order_id")?;
            if !orders.contains(&order) {
                orders.push(order);
            }
        }
    }
    Ok(orders)
}

/// The first order that used the code and is not refunded in full, if any.
async fn standing_order(
    connection: &mut AnyConnection,
    shop_id: &str,
    code: &DiscountCode,
) -> Result<Option<String>, StoreError> {
    for order in orders_using(connection, shop_id, code).await? {
        if !order_refunded_in_full(connection, shop_id, &order).await? {
            return Ok(Some(order));
        }
    }
    Ok(None)
}

/// What releasing a code did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReleaseOutcome {
    /// Released now or before: the code, the points this call returned and the balance.
    Released {
        /// The code afterwards.
        code: DiscountCode,
        /// Points given back by this call.
        points_returned: i64,
        /// The customer's balance afterwards.
        balance: i64,
    },
    /// Past its expiry and never used: its points come back with the expiry job.
    Expired(DiscountCode),
    /// Revoked by a refund: no points come back for it.
    Revoked(DiscountCode),
    /// Used on an order that is neither cancelled nor refunded in full.
    InUse {
        /// The code.
        code: DiscountCode,
        /// The order it was used on.
        order: String,
    },
    /// No such code.
    NotFound,
}

impl Store {
    /// Releases a code and gives its points back, in one transaction under the
    /// customer lock: a `returned` ledger entry for the points spent on it (none for a
    /// code that cost nothing, or whose points came back before; they repay a debt
    /// first), and the code marked released so it can no longer be consumed. A used
    /// code is released only once the order it was used on is refunded in full (how a
    /// cancelled order arrives); a revoked code never is. Releasing again answers the
    /// released code with 0 points returned.
    pub async fn release_code(
        &self,
        shop_id: &str,
        code: &str,
        now: i64,
    ) -> Result<ReleaseOutcome, StoreError> {
        let Some(found) = self.discount_code(shop_id, code).await? else {
            return Ok(ReleaseOutcome::NotFound);
        };
        let mut tx = self.begin_write().await?;
        lock_customer(&mut tx, shop_id, &found.customer_id, now).await?;
        let Some(mut stored) = find(&mut tx, shop_id, code).await? else {
            tx.rollback().await?;
            return Ok(ReleaseOutcome::NotFound);
        };
        if stored.released_at.is_none() {
            let refused = match stored.status(now) {
                CodeStatus::Expired => Some(ReleaseOutcome::Expired(stored.clone())),
                CodeStatus::Revoked => Some(ReleaseOutcome::Revoked(stored.clone())),
                CodeStatus::Used | CodeStatus::Active => standing_order(&mut tx, shop_id, &stored)
                    .await?
                    .map(|order| ReleaseOutcome::InUse {
                        code: stored.clone(),
                        order,
                    }),
                _ => None,
            };
            if let Some(refused) = refused {
                tx.rollback().await?;
                return Ok(refused);
            }
        }
        let points_returned = if stored.released_at.is_some() {
            0
        } else {
            sqlx::query(
                "UPDATE discount_codes SET released_at = $1 WHERE shop_id = $2 AND code = $3",
            )
            .bind(now)
            .bind(shop_id)
            .bind(code)
            .execute(&mut *tx)
            .await?;
            stored.released_at = Some(now);
            give_back(&mut tx, shop_id, &stored, now).await?
        };
        let (balance, _) = totals(&mut tx, shop_id, &stored.customer_id).await?;
        tx.commit().await?;
        Ok(ReleaseOutcome::Released {
            code: stored,
            points_returned,
            balance,
        })
    }
}
