//! Token revocations: per customer, the time before which their customer tokens were
//! issued and are no longer accepted. Read on every signed-in request, together with the
//! customer's `lock_version` in one round trip ([`Store::signed_in`]), written by the
//! shop's backend.

use sqlx::Row;

use super::{Store, StoreError};

/// What every signed-in request reads about its customer, in one round trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedIn {
    /// The customer's `lock_version` (`None`: never seen): a loyalty snapshot of the
    /// same version is still current.
    pub version: Option<i64>,
    /// The time before which the customer's tokens are refused, if any was set.
    pub revoked_before: Option<i64>,
}

/// The customer's `lock_version` and revocation cut-off, for [`Store::signed_in`] (`$1`
/// is the shop, `$2` the customer; SQLite reads `$n` as the n-th parameter too).
const SIGNED_IN: &str = "SELECT \
     (SELECT lock_version FROM customers \
      WHERE shop_id = $1 AND customer_id = $2) AS version, \
     (SELECT revoked_before FROM token_revocations \
      WHERE shop_id = $1 AND customer_id = $2) AS revoked_before";

impl Store {
    /// The customer's revocation cut-off and `lock_version`: two primary-key lookups in
    /// one statement, so a signed-in request pays one database round trip for both.
    pub async fn signed_in(
        &self,
        shop_id: &str,
        customer_id: &str,
    ) -> Result<SignedIn, StoreError> {
        if let Some(signed_in) = self.signed_in_inline(shop_id, customer_id) {
            return Ok(signed_in);
        }
        let row = sqlx::query(SIGNED_IN)
            .bind(shop_id)
            .bind(customer_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(SignedIn {
            version: row.try_get("version")?,
            revoked_before: row.try_get("revoked_before")?,
        })
    }

    /// [`Store::signed_in`] on a SQLite file, on this thread (see `inline_reads`);
    /// `None` when it must be asked of the pool.
    fn signed_in_inline(&self, shop_id: &str, customer_id: &str) -> Option<SignedIn> {
        self.inline.as_deref()?.read(|connection| {
            connection
                .prepare_cached(SIGNED_IN)?
                .query_row([shop_id, customer_id], |row| {
                    Ok(SignedIn {
                        version: row.get("version")?,
                        revoked_before: row.get("revoked_before")?,
                    })
                })
        })
    }

    /// The time before which the customer's tokens are refused, if any was set.
    pub async fn tokens_revoked_before(
        &self,
        shop_id: &str,
        customer_id: &str,
    ) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query(
            "SELECT revoked_before FROM token_revocations \
             WHERE shop_id = $1 AND customer_id = $2",
        )
        .bind(shop_id)
        .bind(customer_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .map(|row| row.try_get::<i64, _>("revoked_before"))
            .transpose()?)
    }

    /// Refuses the customer's tokens issued before `before`; an earlier time than one
    /// already set changes nothing. Returns the time now in force.
    pub async fn revoke_tokens(
        &self,
        shop_id: &str,
        customer_id: &str,
        before: i64,
    ) -> Result<i64, StoreError> {
        sqlx::query(
            "INSERT INTO token_revocations (shop_id, customer_id, revoked_before) \
             VALUES ($1, $2, $3) \
             ON CONFLICT (shop_id, customer_id) DO UPDATE SET revoked_before = \
             CASE WHEN excluded.revoked_before > token_revocations.revoked_before \
             THEN excluded.revoked_before ELSE token_revocations.revoked_before END",
        )
        .bind(shop_id)
        .bind(customer_id)
        .bind(before)
        .execute(&self.pool)
        .await?;
        self.tokens_revoked_before(shop_id, customer_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt("a revocation just written is missing".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The inline read and the pool's answer alike, and a SQLite file is read inline.
    #[tokio::test]
    async fn a_sqlite_file_answers_inline_as_the_pool_does() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("shop.db").display());
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        sqlx::query(
            "INSERT INTO customers (shop_id, customer_id, created_at, lock_version) \
             VALUES ('tea', 'c1', 0, 3)",
        )
        .execute(&store.pool)
        .await
        .unwrap();
        store.revoke_tokens("tea", "c1", 1_000).await.unwrap();
        let known = SignedIn {
            version: Some(3),
            revoked_before: Some(1_000),
        };
        let unknown = SignedIn {
            version: None,
            revoked_before: None,
        };
        for (customer, expected) in [("c1", known), ("c2", unknown)] {
            assert_eq!(store.signed_in_inline("tea", customer), Some(expected));
            let pooled = Store {
                inline: None,
                ..store.clone()
            };
            assert_eq!(pooled.signed_in("tea", customer).await.unwrap(), expected);
        }
        // A later commit through the pool is seen at once.
        store.revoke_tokens("tea", "c1", 2_000).await.unwrap();
        assert_eq!(
            store.signed_in("tea", "c1").await.unwrap().revoked_before,
            Some(2_000)
        );

        let memory = Store::connect("sqlite::memory:").await.unwrap();
        assert!(memory.inline.is_none(), "another connection cannot see it");
    }
}
