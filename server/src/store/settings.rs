//! The versions of the programme settings that shops keep in the database. A save
//! inserts the version after the one its editor started from; when that version
//! already exists someone saved first and the insert changes nothing, so two editors
//! never overwrite each other without a lock.

use super::{Store, StoreError};

/// One stored version.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SettingsVersion {
    /// The shop.
    pub shop_id: String,
    /// Its number, from 1.
    pub version: i64,
    /// The document, JSON text.
    pub document: String,
    /// When, Unix seconds.
    pub saved_at: i64,
    /// Who: a staff email, `api key` or `configuration file`.
    pub saved_by: String,
    /// The note given with it.
    pub note: String,
    /// The version a revert restored.
    pub reverted_from: Option<i64>,
    /// The sections that differ from the version before, comma-separated.
    pub sections: String,
}

/// The columns of [`SettingsVersion`], for `SELECT`.
const COLUMNS: &str =
    "shop_id, version, document, saved_at, saved_by, note, reverted_from, sections";

impl Store {
    /// Stores `new` unless its version exists already; `false` then (someone saved
    /// that version first).
    pub async fn insert_settings_version(&self, new: &SettingsVersion) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO shop_settings (shop_id, version, document, saved_at, saved_by, note, \
             reverted_from, sections) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (shop_id, version) DO NOTHING",
        )
        .bind(&new.shop_id)
        .bind(new.version)
        .bind(&new.document)
        .bind(new.saved_at)
        .bind(&new.saved_by)
        .bind(&new.note)
        .bind(new.reverted_from)
        .bind(&new.sections)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The newest version of every shop that has one, by shop: what each process polls.
    pub async fn latest_settings_versions(&self) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT shop_id, MAX(version) FROM shop_settings GROUP BY shop_id ORDER BY shop_id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// One version of a shop's settings.
    pub async fn settings_version(
        &self,
        shop_id: &str,
        version: i64,
    ) -> Result<Option<SettingsVersion>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM shop_settings WHERE shop_id = $1 AND version = $2"
        ))
        .bind(shop_id)
        .bind(version)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// A shop's newest version.
    pub async fn newest_settings(
        &self,
        shop_id: &str,
    ) -> Result<Option<SettingsVersion>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM shop_settings WHERE shop_id = $1 \
             ORDER BY version DESC LIMIT 1"
        ))
        .bind(shop_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// A shop's newest versions, newest first, without their documents.
    pub async fn settings_history(
        &self,
        shop_id: &str,
        limit: i64,
    ) -> Result<Vec<SettingsVersion>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT shop_id, version, '' AS document, saved_at, saved_by, note, reverted_from, \
             sections FROM shop_settings WHERE shop_id = $1 ORDER BY version DESC LIMIT $2",
        )
        .bind(shop_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}
