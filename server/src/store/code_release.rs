//! Releasing a discount code the shopper will not use: its points come back (repaying
//! a debt first). A used code is released only once the order it was used on is
//! refunded in full (how a cancelled order arrives); a revoked code never is.

use comeback_core::api::CodeStatus;
use sqlx::AnyConnection;

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
    InUse(DiscountCode),
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
                CodeStatus::Used => {
                    let order = stored.used_by_order.as_deref().unwrap_or_default();
                    (!order_refunded_in_full(&mut tx, shop_id, order).await?)
                        .then(|| ReleaseOutcome::InUse(stored.clone()))
                }
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
