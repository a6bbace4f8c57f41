//! Contact preferences: the channel a shopper wants to be contacted by and their
//! marketing consent, kept on their customer row. A change writes `preferences.changed`
//! to the outbox in the same transaction; a request that changes nothing writes nothing.

use comeback_core::api::{ContactChannel, Preferences, PreferencesUpdate};
use sqlx::AnyConnection;
use sqlx::Row;

use super::events::Event;
use super::{lock_customer, Store, StoreError};

/// The customer's stored preferences; all null when never set or no such customer.
pub(super) async fn stored(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
) -> Result<Preferences, StoreError> {
    let row = sqlx::query(
        "SELECT contact_channel, marketing_consent, preferences_updated_at FROM customers \
         WHERE shop_id = $1 AND customer_id = $2",
    )
    .bind(shop_id)
    .bind(customer_id)
    .fetch_optional(&mut *connection)
    .await?;
    let Some(row) = row else {
        return Ok(Preferences::default());
    };
    let channel: Option<String> = row.try_get("contact_channel")?;
    let consent: Option<i64> = row.try_get("marketing_consent")?;
    let contact_channel = channel
        .map(|name| {
            ContactChannel::parse(&name)
                .ok_or_else(|| StoreError::Corrupt(format!("contact channel `{name}`")))
        })
        .transpose()?;
    let marketing_consent = consent
        .map(|value| match value {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(StoreError::Corrupt(format!("marketing consent {other}"))),
        })
        .transpose()?;
    Ok(Preferences {
        contact_channel,
        marketing_consent,
        updated_at: row.try_get("preferences_updated_at")?,
    })
}

impl Store {
    /// The customer's contact preferences (all null when never set); creates nothing.
    pub async fn preferences_of(
        &self,
        shop_id: &str,
        customer_id: &str,
    ) -> Result<Preferences, StoreError> {
        let mut connection = self.pool.acquire().await?;
        stored(&mut connection, shop_id, customer_id).await
    }

    /// Merges `update` into the customer's preferences (creating the customer if
    /// needed): absent fields keep their stored value. When something changed, the
    /// change time is recorded and `preferences.changed` is written for shops that
    /// receive it, in the same transaction.
    pub async fn update_preferences(
        &self,
        shop_id: &str,
        customer_id: &str,
        update: &PreferencesUpdate,
        now: i64,
    ) -> Result<Preferences, StoreError> {
        let mut tx = self.begin_write().await?;
        lock_customer(&mut tx, shop_id, customer_id, now).await?;
        let current = stored(&mut tx, shop_id, customer_id).await?;
        let contact_channel = update.contact_channel.or(current.contact_channel);
        let marketing_consent = update.marketing_consent.or(current.marketing_consent);
        if contact_channel == current.contact_channel
            && marketing_consent == current.marketing_consent
        {
            tx.commit().await?;
            return Ok(current);
        }
        sqlx::query(
            "UPDATE customers SET contact_channel = $1, marketing_consent = $2, \
             preferences_updated_at = $3 WHERE shop_id = $4 AND customer_id = $5",
        )
        .bind(contact_channel.map(ContactChannel::as_str))
        .bind(marketing_consent.map(i64::from))
        .bind(now)
        .bind(shop_id)
        .bind(customer_id)
        .execute(&mut *tx)
        .await?;
        let event = Event::PreferencesChanged {
            customer_id,
            contact_channel,
            marketing_consent,
        };
        self.record_event(&mut tx, shop_id, &event, now).await?;
        tx.commit().await?;
        Ok(Preferences {
            contact_channel,
            marketing_consent,
            updated_at: Some(now),
        })
    }
}
