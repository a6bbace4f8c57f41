//! The webhook outbox: events for the shop's backend, inserted in the transaction of
//! the change that causes them, and the bookkeeping of their delivery.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;
use sqlx::AnyConnection;
use sqlx::Row;

use super::events::Event;
use super::{Backend, Store, StoreError};

/// What a shop's outbox records: its event types.
#[derive(Debug, Clone, Default)]
pub struct OutboxRules {
    /// Event types the shop receives.
    pub events: Vec<String>,
}

/// The rules of every shop with `[shops.<id>.webhooks]`.
pub type Webhooks = Arc<BTreeMap<String, OutboxRules>>;

/// An undelivered event due for an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEvent {
    /// uuid v7.
    pub id: String,
    /// The shop.
    pub shop_id: String,
    /// The event type.
    pub event_type: String,
    /// The `data` object, JSON text.
    pub payload: String,
    /// When it was written, Unix seconds.
    pub created_at: i64,
    /// Attempts so far.
    pub attempts: i64,
}

/// A row of the outbox, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    /// The event.
    pub event: OutboxEvent,
    /// When the next attempt is due, Unix seconds.
    pub next_attempt_at: i64,
    /// When it was delivered.
    pub delivered_at: Option<i64>,
    /// When it was given up.
    pub failed_at: Option<i64>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

/// Inserts an event; with a `dedupe_key`, only the first one of that key is kept.
async fn insert(
    connection: &mut AnyConnection,
    shop_id: &str,
    event_type: &str,
    dedupe_key: Option<&str>,
    payload: &Value,
    now: i64,
) -> Result<bool, StoreError> {
    let result = sqlx::query(
        "INSERT INTO outbox (id, shop_id, type, dedupe_key, payload, created_at, attempts, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, $6) \
         ON CONFLICT (shop_id, type, dedupe_key) DO NOTHING",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(shop_id)
    .bind(event_type)
    .bind(dedupe_key)
    .bind(payload.to_string())
    .bind(now)
    .execute(&mut *connection)
    .await?;
    Ok(result.rows_affected() == 1)
}

impl Store {
    /// Writes `event` for the shop (in the caller's transaction) if the shop receives
    /// its type and, for an event with a dedupe key, none of that key was written
    /// before; true if written. The one way events enter the outbox.
    pub(super) async fn record_event(
        &self,
        connection: &mut AnyConnection,
        shop_id: &str,
        event: &Event<'_>,
        now: i64,
    ) -> Result<bool, StoreError> {
        if !self.sends(shop_id, event.kind()) {
            return Ok(false);
        }
        insert(
            connection,
            shop_id,
            event.kind(),
            event.dedupe_key().as_deref(),
            &event.data(),
            now,
        )
        .await
    }

    /// The shop's outbox rules when it receives `event_type`.
    pub(super) fn outbox_rules(&self, shop_id: &str, event_type: &str) -> Option<OutboxRules> {
        self.webhooks
            .load()
            .get(shop_id)
            .filter(|rules| rules.events.iter().any(|event| event == event_type))
            .cloned()
    }

    /// Whether the shop receives `event_type`.
    pub fn sends(&self, shop_id: &str, event_type: &str) -> bool {
        self.outbox_rules(shop_id, event_type).is_some()
    }

    /// Writes `points.expiring` for a customer's expiry date unless one was written for
    /// that customer and date before (or the shop does not receive it); true if written.
    pub async fn points_expiring(
        &self,
        shop_id: &str,
        customer_id: &str,
        on: &str,
        points: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut connection = self.pool.acquire().await?;
        let event = Event::PointsExpiring {
            customer_id,
            points,
            expires_on: on,
        };
        self.record_event(&mut connection, shop_id, &event, now)
            .await
    }

    /// Every outbox row of a shop, oldest first (for operators and tests).
    pub async fn outbox_rows(&self, shop_id: &str) -> Result<Vec<OutboxRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, shop_id, type, payload, created_at, attempts, next_attempt_at, \
             delivered_at, failed_at, last_error FROM outbox WHERE shop_id = $1 \
             ORDER BY created_at, id",
        )
        .bind(shop_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(OutboxRow {
                    event: OutboxEvent {
                        id: row.try_get("id")?,
                        shop_id: row.try_get("shop_id")?,
                        event_type: row.try_get("type")?,
                        payload: row.try_get("payload")?,
                        created_at: row.try_get("created_at")?,
                        attempts: row.try_get("attempts")?,
                    },
                    next_attempt_at: row.try_get("next_attempt_at")?,
                    delivered_at: row.try_get("delivered_at")?,
                    failed_at: row.try_get("failed_at")?,
                    last_error: row.try_get("last_error")?,
                })
            })
            .collect()
    }

    /// Claims up to `limit` undelivered events due by `now` and not locked by another
    /// process, locking them until `locked_until`; oldest first. On PostgreSQL the rows
    /// are picked with `FOR UPDATE SKIP LOCKED`, so processes claiming at once get
    /// different events; on SQLite the write lock serialises the claims.
    pub async fn claim_events(
        &self,
        now: i64,
        limit: i64,
        locked_until: i64,
    ) -> Result<Vec<OutboxEvent>, StoreError> {
        let skip_locked = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(&format!(
            "UPDATE outbox SET locked_until = $3 WHERE id IN (\
               SELECT id FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL \
               AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1) \
               ORDER BY created_at, id LIMIT $2{skip_locked}) \
             RETURNING id, shop_id, type, payload, created_at, attempts"
        ))
        .bind(now)
        .bind(limit)
        .bind(locked_until)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let mut events = rows
            .iter()
            .map(|row| {
                Ok(OutboxEvent {
                    id: row.try_get("id")?,
                    shop_id: row.try_get("shop_id")?,
                    event_type: row.try_get("type")?,
                    payload: row.try_get("payload")?,
                    created_at: row.try_get("created_at")?,
                    attempts: row.try_get("attempts")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        events.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(events)
    }

    /// Records a successful delivery.
    pub async fn mark_delivered(&self, id: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox SET delivered_at = $2, attempts = attempts + 1, last_error = NULL, \
             locked_until = NULL WHERE id = $1",
        )
        .bind(id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a failed attempt: the next one at `next_attempt_at`, or none (given up)
    /// when that is `None`.
    pub async fn mark_failed(
        &self,
        id: &str,
        error: &str,
        next_attempt_at: Option<i64>,
        now: i64,
    ) -> Result<(), StoreError> {
        let query = match next_attempt_at {
            Some(at) => sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, last_error = $2, \
                 next_attempt_at = $3, locked_until = NULL WHERE id = $1",
            )
            .bind(id)
            .bind(error)
            .bind(at),
            None => sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, last_error = $2, \
                 failed_at = $3, locked_until = NULL WHERE id = $1",
            )
            .bind(id)
            .bind(error)
            .bind(now),
        };
        query.execute(&self.pool).await?;
        Ok(())
    }
}
