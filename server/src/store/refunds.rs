//! Refunds, whole or partial, as the order pipeline applies them: how much of an order
//! has been refunded so far, and how many of its points a refund of that much takes
//! back. Every effect is in proportion and rounded against the shopper, and a refund
//! that does not raise the refunded amount changes nothing.

pub use comeback_core::clawback::points_to_take_back;
use comeback_core::ledger::{EntryDetail, EntryKind};
use sqlx::AnyConnection;
use sqlx::Row;

use super::StoreError;

/// A refund of part of an order, as the webhook described it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialRefund {
    /// Minor units refunded so far over all of the order's refunds (cumulative).
    pub amount: i64,
    /// The products the shopper keeps, when the refund named lines; `None` keeps all.
    pub kept_products: Option<Vec<String>>,
}

/// The paid row of an order: (customer, points earned, total, when it was recorded).
pub(super) async fn paid_row(
    connection: &mut AnyConnection,
    shop_id: &str,
    order_id: &str,
) -> Result<Option<(String, i64, i64, i64)>, StoreError> {
    let row = sqlx::query(
        "SELECT customer_id, points, total, created_at FROM orders \
         WHERE shop_id = $1 AND order_id = $2 AND status = 'paid'",
    )
    .bind(shop_id)
    .bind(order_id)
    .fetch_optional(&mut *connection)
    .await?;
    row.map(|row| {
        Ok((
            row.try_get("customer_id")?,
            row.try_get("points")?,
            row.try_get("total")?,
            row.try_get("created_at")?,
        ))
    })
    .transpose()
}

/// How much of the order its refunds so far refunded; `None` before its first refund.
pub(super) async fn refunded_so_far(
    connection: &mut AnyConnection,
    shop_id: &str,
    order_id: &str,
) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query(
        "SELECT COALESCE(refunded_amount, total) AS refunded FROM orders \
         WHERE shop_id = $1 AND order_id = $2 AND status = 'refunded'",
    )
    .bind(shop_id)
    .bind(order_id)
    .fetch_optional(&mut *connection)
    .await?;
    row.map(|row| row.try_get("refunded").map_err(StoreError::from))
        .transpose()
}

/// Points taken back from the order so far (before forgiveness): what its refunds'
/// ledger entries took from the lifetime total, and the multiplier bonus refunds of
/// other orders took back from it (`tier_bonus_taken_back` steps name it in `code`;
/// those its own refunds took from other orders are theirs).
pub(super) async fn taken_back_so_far(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
    order_id: &str,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(lifetime), 0) AS BIGINT) AS taken FROM ledger_entries \
         WHERE shop_id = $1 AND customer_id = $2 AND kind = $3 \
         AND ((reference = $4 AND (detail IS NULL OR detail <> $5)) \
              OR (detail = $5 AND code = $4))",
    )
    .bind(shop_id)
    .bind(customer_id)
    .bind(EntryKind::OrderRefunded.as_str())
    .bind(order_id)
    .bind(EntryDetail::TierBonusTakenBack.as_str())
    .fetch_one(&mut *connection)
    .await?;
    let taken: i64 = row.try_get("taken")?;
    Ok(-taken)
}

/// Raises a recorded refund to `refunded` (cumulative), adding `points` to what it
/// moved and keeping `kept_products`.
pub(super) async fn raise_refund(
    connection: &mut AnyConnection,
    shop_id: &str,
    order_id: &str,
    refunded: i64,
    points: i64,
    kept_products: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE orders SET refunded_amount = $3, points = points + $4, \
         product_ids = COALESCE($5, product_ids) \
         WHERE shop_id = $1 AND order_id = $2 AND status = 'refunded'",
    )
    .bind(shop_id)
    .bind(order_id)
    .bind(refunded)
    .bind(points)
    .bind(kept_products)
    .execute(&mut *connection)
    .await?;
    Ok(())
}
