//! Idempotent writes: the first answer to a mutating request is stored under its
//! `Idempotency-Key` in the transaction of the change, and a repeat with the same body
//! gets it again; a repeat with another body is refused. One helper for every such
//! write ([`Store::begin_idempotent`]), whatever the feature.

use sqlx::AnyConnection;
use sqlx::Row;

use super::{lock_customer, Store, StoreError};

/// Where a mutating request's answer is kept: one key of one customer, with the hash
/// of the request that first used it.
pub(super) struct IdempotencySlot<'a> {
    pub(super) shop_id: &'a str,
    pub(super) customer_id: &'a str,
    pub(super) key: &'a str,
    pub(super) request_hash: &'a str,
}

impl<'a> IdempotencySlot<'a> {
    /// The slot of a shopper's write that may come signed out: a signed-out shopper's
    /// keys share one space (they are random UUIDs).
    pub(super) fn for_shopper(
        shop_id: &'a str,
        customer_id: Option<&'a str>,
        key: &'a str,
        request_hash: &'a str,
    ) -> IdempotencySlot<'a> {
        IdempotencySlot {
            shop_id,
            customer_id: customer_id.unwrap_or(""),
            key,
            request_hash,
        }
    }
}

/// What an idempotency key already holds.
pub(super) enum StoredAnswer {
    /// The same request: replay this status and JSON body.
    Same { status: u16, body: String },
    /// Another request used the key.
    Different,
}

impl IdempotencySlot<'_> {
    /// The answer stored under the key, if any.
    pub(super) async fn stored(
        &self,
        connection: &mut AnyConnection,
    ) -> Result<Option<StoredAnswer>, StoreError> {
        let row = sqlx::query(
            "SELECT request_hash, status_code, response_body FROM idempotency_keys \
             WHERE shop_id = $1 AND customer_id = $2 AND key = $3",
        )
        .bind(self.shop_id)
        .bind(self.customer_id)
        .bind(self.key)
        .fetch_optional(&mut *connection)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let hash: String = row.try_get("request_hash")?;
        if hash != self.request_hash {
            return Ok(Some(StoredAnswer::Different));
        }
        let status: i64 = row.try_get("status_code")?;
        Ok(Some(StoredAnswer::Same {
            status: u16::try_from(status)
                .map_err(|_| StoreError::Corrupt(format!("status code {status}")))?,
            body: row.try_get("response_body")?,
        }))
    }

    /// Stores the answer to replay for repeats (in the transaction of the change).
    pub(super) async fn store(
        &self,
        connection: &mut AnyConnection,
        status: i64,
        body: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO idempotency_keys \
             (shop_id, customer_id, key, request_hash, status_code, response_body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(self.shop_id)
        .bind(self.customer_id)
        .bind(self.key)
        .bind(self.request_hash)
        .bind(status)
        .bind(body)
        .bind(now)
        .execute(&mut *connection)
        .await?;
        Ok(())
    }
}

/// An outcome that can be a replay of a stored answer or a refusal of a reused key.
pub(super) trait Replayable {
    /// The stored answer, replayed.
    fn replayed(status: u16, body: String) -> Self;
    /// The key was used with another request.
    fn key_reused() -> Self;
}

impl StoredAnswer {
    /// The outcome this stored answer means.
    pub(super) fn into_outcome<O: Replayable>(self) -> O {
        match self {
            StoredAnswer::Same { status, body } => O::replayed(status, body),
            StoredAnswer::Different => O::key_reused(),
        }
    }
}

impl IdempotencySlot<'_> {
    /// Stores the answer like [`IdempotencySlot::store`], for a write a signed-out
    /// shopper may make: two such requests with one key (their slot is not serialised
    /// by a customer lock) race to store, and the loser's transaction is rolled back
    /// and answered with the winner's stored answer (`Some`). `None`: stored, commit.
    pub(super) async fn store_or_replay<O: Replayable>(
        &self,
        store: &Store,
        mut tx: sqlx::Transaction<'static, sqlx::Any>,
        status: i64,
        body: &str,
        now: i64,
    ) -> Result<Option<O>, StoreError> {
        match self.store(&mut tx, status, body, now).await {
            Ok(()) => {
                tx.commit().await?;
                Ok(None)
            }
            Err(StoreError::Database(error))
                if error
                    .as_database_error()
                    .is_some_and(|e| e.is_unique_violation()) =>
            {
                tx.rollback().await?;
                let mut connection = store.pool.acquire().await?;
                Ok(Some(match self.stored(&mut connection).await? {
                    Some(previous) => previous.into_outcome(),
                    None => O::key_reused(),
                }))
            }
            Err(other) => Err(other),
        }
    }
}

impl Store {
    /// Begins an idempotent write: the write transaction with the customer locked (a
    /// slot of a signed-out shopper, whose `customer_id` is empty, locks nobody), or
    /// (`Err`) the outcome of a key used before, after rolling back. The caller stores
    /// its answer with [`IdempotencySlot::store`] (or
    /// [`IdempotencySlot::store_or_replay`] when signed out) before committing.
    pub(super) async fn begin_idempotent<O: Replayable>(
        &self,
        slot: &IdempotencySlot<'_>,
        now: i64,
    ) -> Result<Result<sqlx::Transaction<'static, sqlx::Any>, O>, StoreError> {
        let mut tx = self.begin_write().await?;
        if !slot.customer_id.is_empty() {
            lock_customer(&mut tx, slot.shop_id, slot.customer_id, now).await?;
        }
        if let Some(previous) = slot.stored(&mut tx).await? {
            tx.rollback().await?;
            return Ok(Err(previous.into_outcome()));
        }
        Ok(Ok(tx))
    }
}
