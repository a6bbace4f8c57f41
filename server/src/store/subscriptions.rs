//! Subscriptions as stored: the rows (read with `FromRow`), their typed form, and the
//! reads of the manager, the admin API and the renewal job. The changes live beside it:
//! [`super::subscription_changes`] (the shopper's actions and renewal orders) and
//! [`super::subscription_renewals`] (asking the shop for a delivery).
//!
//! Dates are the shop's calendar dates, stored as ISO text; the caller works out which
//! day it is in the shop's time zone and hands it down (this layer reads no config).

use comeback_core::date::Date;
use comeback_core::orders::Interval;
use comeback_core::subscription::{Schedule, SubscriptionStatus};
use sqlx::AnyConnection;

use super::{Backend, Store, StoreError};

/// A subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Comeback's id (UUID v7).
    pub id: String,
    /// The shop.
    pub shop_id: String,
    /// The customer.
    pub customer_id: String,
    /// The product delivered.
    pub product_id: String,
    /// The shop's plan.
    pub plan_id: String,
    /// Units per delivery.
    pub quantity: i64,
    /// How often it delivers, with the day of the month it keeps to.
    pub schedule: Schedule,
    /// Where it stands.
    pub status: SubscriptionStatus,
    /// The next delivery the shop has not been asked for yet (none once cancelled).
    pub next_delivery: Option<Date>,
    /// While paused, the day it resumes.
    pub paused_until: Option<Date>,
    /// The delivery the shop was asked for and has not confirmed yet.
    pub renewal_requested_for: Option<Date>,
    /// Deliveries confirmed, the first order included.
    pub deliveries: u32,
    /// The first delivery.
    pub started_on: Date,
    /// The day it was cancelled.
    pub cancelled_on: Option<Date>,
    /// When it was cancelled, Unix seconds.
    pub cancelled_at: Option<i64>,
    /// The shop's reason id the shopper picked.
    pub cancel_reason: Option<String>,
    /// What the shopper wrote when cancelling.
    pub cancel_comment: Option<String>,
    /// When it was created, Unix seconds.
    pub created_at: i64,
    /// The order that started it.
    pub order_id: String,
    /// The line of that order (from 0).
    pub line_no: i64,
}

impl Subscription {
    /// The ISO text of its interval (`P2W`).
    pub fn interval(&self) -> String {
        self.schedule.interval.to_iso()
    }

    /// Whether the shop has been asked for a delivery it has not confirmed.
    pub fn renewal_pending(&self) -> bool {
        self.renewal_requested_for.is_some()
    }
}

/// A `subscriptions` row as the database has it.
#[derive(Debug, sqlx::FromRow)]
struct SubscriptionRow {
    id: String,
    shop_id: String,
    customer_id: String,
    product_id: String,
    plan_id: String,
    quantity: i64,
    delivery_interval: String,
    anchor_day: i64,
    status: String,
    next_delivery: Option<String>,
    paused_until: Option<String>,
    renewal_requested_for: Option<String>,
    deliveries: i64,
    started_on: String,
    cancelled_on: Option<String>,
    cancelled_at: Option<i64>,
    cancel_reason: Option<String>,
    cancel_comment: Option<String>,
    created_at: i64,
    order_id: String,
    line_no: i64,
}

/// The columns of [`SubscriptionRow`], for `SELECT`.
const COLUMNS: &str = "id, shop_id, customer_id, product_id, plan_id, quantity, \
    delivery_interval, anchor_day, status, next_delivery, paused_until, \
    renewal_requested_for, deliveries, started_on, cancelled_on, cancelled_at, \
    cancel_reason, cancel_comment, created_at, order_id, line_no";

fn corrupt(id: &str, what: &str) -> StoreError {
    StoreError::Corrupt(format!("subscription {id}: {what}"))
}

fn date(id: &str, text: Option<String>) -> Result<Option<Date>, StoreError> {
    text.map(|text| Date::parse(&text).ok_or_else(|| corrupt(id, &format!("date `{text}`"))))
        .transpose()
}

impl TryFrom<SubscriptionRow> for Subscription {
    type Error = StoreError;

    fn try_from(row: SubscriptionRow) -> Result<Subscription, StoreError> {
        let id = row.id;
        let interval = Interval::parse(&row.delivery_interval)
            .ok_or_else(|| corrupt(&id, &format!("interval `{}`", row.delivery_interval)))?;
        let anchor_day = u8::try_from(row.anchor_day)
            .ok()
            .filter(|day| (1..=31).contains(day))
            .ok_or_else(|| corrupt(&id, "anchor day"))?;
        let status = SubscriptionStatus::parse(&row.status)
            .ok_or_else(|| corrupt(&id, &format!("status `{}`", row.status)))?;
        let started_on =
            date(&id, Some(row.started_on))?.ok_or_else(|| corrupt(&id, "start date"))?;
        Ok(Subscription {
            next_delivery: date(&id, row.next_delivery)?,
            paused_until: date(&id, row.paused_until)?,
            renewal_requested_for: date(&id, row.renewal_requested_for)?,
            cancelled_on: date(&id, row.cancelled_on)?,
            deliveries: u32::try_from(row.deliveries).map_err(|_| corrupt(&id, "deliveries"))?,
            id,
            shop_id: row.shop_id,
            customer_id: row.customer_id,
            product_id: row.product_id,
            plan_id: row.plan_id,
            quantity: row.quantity,
            schedule: Schedule {
                interval,
                anchor_day,
            },
            status,
            started_on,
            cancelled_at: row.cancelled_at,
            cancel_reason: row.cancel_reason,
            cancel_comment: row.cancel_comment,
            created_at: row.created_at,
            order_id: row.order_id,
            line_no: row.line_no,
        })
    }
}

fn typed(rows: Vec<SubscriptionRow>) -> Result<Vec<Subscription>, StoreError> {
    rows.into_iter().map(Subscription::try_from).collect()
}

/// Inserts a new subscription unless its order line already started one; true if
/// inserted.
pub(super) async fn insert(
    connection: &mut AnyConnection,
    subscription: &Subscription,
    now: i64,
) -> Result<bool, StoreError> {
    let result = sqlx::query(
        "INSERT INTO subscriptions (id, shop_id, customer_id, product_id, plan_id, quantity, \
         delivery_interval, anchor_day, status, next_delivery, paused_until, \
         renewal_requested_for, deliveries, started_on, created_at, updated_at, order_id, \
         line_no) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, NULL, $11, $12, \
         $13, $13, $14, $15) ON CONFLICT (shop_id, order_id, line_no) DO NOTHING",
    )
    .bind(&subscription.id)
    .bind(&subscription.shop_id)
    .bind(&subscription.customer_id)
    .bind(&subscription.product_id)
    .bind(&subscription.plan_id)
    .bind(subscription.quantity)
    .bind(subscription.interval())
    .bind(i64::from(subscription.schedule.anchor_day))
    .bind(subscription.status.as_str())
    .bind(subscription.next_delivery.map(Date::to_iso))
    .bind(i64::from(subscription.deliveries))
    .bind(subscription.started_on.to_iso())
    .bind(now)
    .bind(&subscription.order_id)
    .bind(subscription.line_no)
    .execute(&mut *connection)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Writes back everything a change may touch.
pub(super) async fn save(
    connection: &mut AnyConnection,
    subscription: &Subscription,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE subscriptions SET quantity = $3, delivery_interval = $4, anchor_day = $5, \
         status = $6, next_delivery = $7, paused_until = $8, renewal_requested_for = $9, \
         deliveries = $10, cancelled_on = $11, cancelled_at = $12, cancel_reason = $13, \
         cancel_comment = $14, updated_at = $15 WHERE shop_id = $1 AND id = $2",
    )
    .bind(&subscription.shop_id)
    .bind(&subscription.id)
    .bind(subscription.quantity)
    .bind(subscription.interval())
    .bind(i64::from(subscription.schedule.anchor_day))
    .bind(subscription.status.as_str())
    .bind(subscription.next_delivery.map(Date::to_iso))
    .bind(subscription.paused_until.map(Date::to_iso))
    .bind(subscription.renewal_requested_for.map(Date::to_iso))
    .bind(i64::from(subscription.deliveries))
    .bind(subscription.cancelled_on.map(Date::to_iso))
    .bind(subscription.cancelled_at)
    .bind(subscription.cancel_reason.as_deref())
    .bind(subscription.cancel_comment.as_deref())
    .bind(now)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

impl Store {
    /// Reads a subscription inside a write transaction, locking its row on PostgreSQL
    /// (SQLite's write transaction already holds the whole database).
    pub(super) async fn lock_subscription(
        &self,
        connection: &mut AnyConnection,
        shop_id: &str,
        id: &str,
    ) -> Result<Option<Subscription>, StoreError> {
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let row = sqlx::query_as::<_, SubscriptionRow>(&format!(
            "SELECT {COLUMNS} FROM subscriptions WHERE shop_id = $1 AND id = $2{lock}"
        ))
        .bind(shop_id)
        .bind(id)
        .fetch_optional(&mut *connection)
        .await?;
        row.map(Subscription::try_from).transpose()
    }

    /// The subscription with this id in the shop.
    pub async fn subscription(
        &self,
        shop_id: &str,
        id: &str,
    ) -> Result<Option<Subscription>, StoreError> {
        let row = sqlx::query_as::<_, SubscriptionRow>(&format!(
            "SELECT {COLUMNS} FROM subscriptions WHERE shop_id = $1 AND id = $2"
        ))
        .bind(shop_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(Subscription::try_from).transpose()
    }

    /// A customer's subscriptions: running and paused first, then cancelled; newest
    /// first within each.
    pub async fn subscriptions_of(
        &self,
        shop_id: &str,
        customer_id: &str,
    ) -> Result<Vec<Subscription>, StoreError> {
        let rows = sqlx::query_as::<_, SubscriptionRow>(&format!(
            "SELECT {COLUMNS} FROM subscriptions WHERE shop_id = $1 AND customer_id = $2 \
             ORDER BY CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END, created_at DESC, \
             id DESC"
        ))
        .bind(shop_id)
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?;
        typed(rows)
    }

    /// Up to `limit` of the shop's subscriptions with ids after `after` (ids are UUID v7,
    /// so oldest first), optionally only those with `status` or of `customer`.
    pub async fn subscriptions_page(
        &self,
        shop_id: &str,
        status: Option<SubscriptionStatus>,
        customer: Option<&str>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Subscription>, StoreError> {
        let rows = sqlx::query_as::<_, SubscriptionRow>(&format!(
            "SELECT {COLUMNS} FROM subscriptions WHERE shop_id = $1 \
             AND ($2 = '' OR status = $2) AND ($3 = '' OR customer_id = $3) AND id > $4 \
             ORDER BY id LIMIT $5"
        ))
        .bind(shop_id)
        .bind(status.map_or("", SubscriptionStatus::as_str))
        .bind(customer.unwrap_or(""))
        .bind(after.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        typed(rows)
    }

    /// How many subscriptions of the shop were cancelled with each reason id (`None`:
    /// no reason given), most first.
    pub async fn cancellation_counts(
        &self,
        shop_id: &str,
    ) -> Result<Vec<(Option<String>, i64)>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Count {
            cancel_reason: Option<String>,
            cancellations: i64,
        }
        let rows = sqlx::query_as::<_, Count>(
            "SELECT cancel_reason, CAST(COUNT(*) AS BIGINT) AS cancellations \
             FROM subscriptions WHERE shop_id = $1 AND status = 'cancelled' \
             GROUP BY cancel_reason ORDER BY cancellations DESC, cancel_reason",
        )
        .bind(shop_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| (row.cancel_reason, row.cancellations))
            .collect())
    }

    /// The shop's `limit` most recent cancellations, newest first.
    pub async fn recent_cancellations(
        &self,
        shop_id: &str,
        limit: i64,
    ) -> Result<Vec<Subscription>, StoreError> {
        let rows = sqlx::query_as::<_, SubscriptionRow>(&format!(
            "SELECT {COLUMNS} FROM subscriptions WHERE shop_id = $1 \
             AND cancelled_at IS NOT NULL ORDER BY cancelled_at DESC, id DESC LIMIT $2"
        ))
        .bind(shop_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        typed(rows)
    }

    /// Up to `limit` subscriptions of the shop, with ids after `after`, that the renewal
    /// job has to look at on `today`: active ones whose next delivery has come and whose
    /// shop was not asked for a delivery yet, and paused ones whose pause has ended.
    pub async fn due_subscriptions(
        &self,
        shop_id: &str,
        today: Date,
        after: &str,
        limit: i64,
    ) -> Result<Vec<Subscription>, StoreError> {
        let rows = sqlx::query_as::<_, SubscriptionRow>(&format!(
            "SELECT {COLUMNS} FROM subscriptions WHERE shop_id = $1 AND id > $3 AND ( \
             (status = 'active' AND next_delivery <= $2 AND renewal_requested_for IS NULL) \
             OR (status = 'paused' AND paused_until <= $2)) ORDER BY id LIMIT $4"
        ))
        .bind(shop_id)
        .bind(today.to_iso())
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        typed(rows)
    }
}
