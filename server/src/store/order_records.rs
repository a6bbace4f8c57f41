//! Orders as every feature reads them: each order's lines (product, quantity, unit
//! price, subscription) and the optional fields of its webhook (email, discount codes,
//! referral code), written once in the transaction of the order's first delivery.

use comeback_core::api::OrderLine;
use comeback_core::orders::LineSubscription;
use sqlx::AnyConnection;
use sqlx::Row;

use super::{Store, StoreError};

/// What an order's first delivery stores besides its points.
#[derive(Debug, Clone, Copy)]
pub struct OrderDetails<'a> {
    /// The customer's email, normalised.
    pub email: Option<&'a str>,
    /// Discount codes used on the order.
    pub discount_codes: &'a [String],
    /// The referral code the customer arrived with.
    pub referral_code: Option<&'a str>,
    /// The lines, as sent.
    pub lines: &'a [OrderLine],
}

/// An order as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOrder {
    /// The order id.
    pub order_id: String,
    /// The customer.
    pub customer_id: String,
    /// The email, normalised.
    pub email: Option<String>,
    /// Discount codes used on it.
    pub discount_codes: Vec<String>,
    /// The referral code it came with.
    pub referral_code: Option<String>,
    /// Total, minor units.
    pub total: i64,
    /// Currency.
    pub currency: String,
    /// When it was placed, Unix seconds.
    pub placed_at: i64,
    /// Its lines, in the order sent.
    pub lines: Vec<OrderLine>,
}

/// The order's identity and amounts, as the pipeline has them.
pub(super) struct OrderHead<'a> {
    pub(super) shop_id: &'a str,
    pub(super) order_id: &'a str,
    pub(super) customer_id: &'a str,
    pub(super) total: i64,
    pub(super) currency: &'a str,
    pub(super) placed_at: i64,
    pub(super) now: i64,
}

/// Stores the order's details and lines unless an earlier delivery did; true when it
/// stored them now.
pub(super) async fn store_once(
    connection: &mut AnyConnection,
    head: &OrderHead<'_>,
    details: &OrderDetails<'_>,
) -> Result<bool, StoreError> {
    let codes = serde_json::to_string(details.discount_codes)
        .map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let inserted = sqlx::query(
        "INSERT INTO order_details (shop_id, order_id, customer_id, email, discount_codes, \
         referral_code, total, currency, placed_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (shop_id, order_id) DO NOTHING",
    )
    .bind(head.shop_id)
    .bind(head.order_id)
    .bind(head.customer_id)
    .bind(details.email)
    .bind(codes)
    .bind(details.referral_code)
    .bind(head.total)
    .bind(head.currency)
    .bind(head.placed_at.min(head.now))
    .bind(head.now)
    .execute(&mut *connection)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(false);
    }
    for (line_no, line) in details.lines.iter().enumerate() {
        let line_no =
            i64::try_from(line_no).map_err(|_| StoreError::Corrupt("line number".into()))?;
        sqlx::query(
            "INSERT INTO order_lines (shop_id, order_id, line_no, product_id, quantity, \
             unit_price, subscription_plan_id, subscription_interval, subscription_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(head.shop_id)
        .bind(head.order_id)
        .bind(line_no)
        .bind(&line.product_id)
        .bind(line.quantity)
        .bind(line.unit_price)
        .bind(line.subscription.as_ref().map(|s| s.plan_id.as_str()))
        .bind(line.subscription.as_ref().map(|s| s.interval.as_str()))
        .bind(
            line.subscription
                .as_ref()
                .and_then(|s| s.subscription_id.as_deref()),
        )
        .execute(&mut *connection)
        .await?;
    }
    Ok(true)
}

/// A past order brought in by `import orders`: recorded for every feature that reads
/// orders, earning no points (its time has passed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedOrder {
    /// The order id.
    pub order_id: String,
    /// The customer.
    pub customer_id: String,
    /// When it was placed, Unix seconds.
    pub placed_at: i64,
    /// Its lines; a line without a price has unit price 0.
    pub lines: Vec<OrderLine>,
}

impl Store {
    /// Stores past orders in one transaction, each unless the shop already has an order
    /// with its id; how many were new. Their total is the sum of their lines.
    pub async fn import_orders(
        &self,
        shop_id: &str,
        currency: &str,
        orders: &[ImportedOrder],
        now: i64,
    ) -> Result<usize, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut stored = 0;
        for order in orders {
            let total = order.lines.iter().try_fold(0_i64, |total, line| {
                line.quantity
                    .checked_mul(line.unit_price)
                    .and_then(|amount| total.checked_add(amount))
            });
            let total = total.ok_or_else(|| {
                StoreError::Corrupt(format!("order `{}`: its total overflows", order.order_id))
            })?;
            let head = OrderHead {
                shop_id,
                order_id: &order.order_id,
                customer_id: &order.customer_id,
                total,
                currency,
                placed_at: order.placed_at,
                now,
            };
            let details = OrderDetails {
                email: None,
                discount_codes: &[],
                referral_code: None,
                lines: &order.lines,
            };
            if store_once(&mut tx, &head, &details).await? {
                stored += 1;
            }
        }
        tx.commit().await?;
        Ok(stored)
    }

    /// The order with its lines, as its first delivery stored them.
    pub async fn order(
        &self,
        shop_id: &str,
        order_id: &str,
    ) -> Result<Option<StoredOrder>, StoreError> {
        let mut connection = self.pool.acquire().await?;
        let Some(row) = sqlx::query(
            "SELECT customer_id, email, discount_codes, referral_code, total, currency, \
             placed_at FROM order_details WHERE shop_id = $1 AND order_id = $2",
        )
        .bind(shop_id)
        .bind(order_id)
        .fetch_optional(&mut *connection)
        .await?
        else {
            return Ok(None);
        };
        let codes: String = row.try_get("discount_codes")?;
        let discount_codes = serde_json::from_str(&codes)
            .map_err(|error| StoreError::Corrupt(format!("order discount codes: {error}")))?;
        let lines = sqlx::query(
            "SELECT product_id, quantity, unit_price, subscription_plan_id, \
             subscription_interval, subscription_id FROM order_lines WHERE shop_id = $1 AND order_id = $2 \
             ORDER BY line_no",
        )
        .bind(shop_id)
        .bind(order_id)
        .fetch_all(&mut *connection)
        .await?
        .iter()
        .map(|line| {
            let plan: Option<String> = line.try_get("subscription_plan_id")?;
            let interval: Option<String> = line.try_get("subscription_interval")?;
            let subscription_id: Option<String> = line.try_get("subscription_id")?;
            Ok(OrderLine {
                product_id: line.try_get("product_id")?,
                quantity: line.try_get("quantity")?,
                unit_price: line.try_get("unit_price")?,
                subscription: plan
                    .zip(interval)
                    .map(|(plan_id, interval)| LineSubscription {
                        plan_id,
                        interval,
                        subscription_id,
                    }),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some(StoredOrder {
            order_id: order_id.to_owned(),
            customer_id: row.try_get("customer_id")?,
            email: row.try_get("email")?,
            discount_codes,
            referral_code: row.try_get("referral_code")?,
            total: row.try_get("total")?,
            currency: row.try_get("currency")?,
            placed_at: row.try_get("placed_at")?,
            lines,
        }))
    }
}
