//! Refunds, whole or partial, as the order pipeline applies them: how much of an order
//! has been refunded so far, and how many of its points a refund of that much takes
//! back. Every effect is in proportion and rounded against the shopper, and a refund
//! that does not raise the refunded amount changes nothing.

use comeback_core::ledger::EntryKind;
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

/// Points of an order that earned `earned` that a refund of `refunded` of its `total`
/// takes back: in proportion, rounded up (a refund never leaves the shopper better
/// off); all of them when the whole order (or a free one) is refunded.
pub fn points_to_take_back(earned: i64, refunded: i64, total: i64) -> i64 {
    if total <= 0 || refunded >= total {
        return earned.max(0);
    }
    let earned = i128::from(earned.max(0));
    let refunded = i128::from(refunded.max(0));
    let total = i128::from(total);
    let taken = (earned * refunded + total - 1) / total;
    i64::try_from(taken).unwrap_or(i64::MAX)
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

/// Points the order's refunds have taken back so far (before forgiveness): what their
/// ledger entries took from the lifetime total.
pub(super) async fn taken_back_so_far(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
    order_id: &str,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(lifetime), 0) AS BIGINT) AS taken FROM ledger_entries \
         WHERE shop_id = $1 AND customer_id = $2 AND kind = $3 AND reference = $4",
    )
    .bind(shop_id)
    .bind(customer_id)
    .bind(EntryKind::OrderRefunded.as_str())
    .bind(order_id)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_come_back_in_proportion_rounded_against_the_shopper() {
        assert_eq!(points_to_take_back(128, 6_425, 12_850), 64);
        assert_eq!(points_to_take_back(100, 1, 300), 1);
        assert_eq!(points_to_take_back(100, 100, 300), 34);
        assert_eq!(points_to_take_back(100, 300, 300), 100);
        assert_eq!(points_to_take_back(100, 999, 300), 100);
        assert_eq!(points_to_take_back(7, 0, 0), 7);
        assert_eq!(points_to_take_back(0, 50, 100), 0);
        assert_eq!(
            points_to_take_back(i64::MAX, i64::MAX - 1, i64::MAX),
            i64::MAX - 1
        );
    }
}
