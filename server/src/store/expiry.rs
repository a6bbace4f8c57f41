//! Points expiry: reading a customer's earning batches out of the ledger for
//! `comeback_core::expiry`, and appending the `expired` entries it says are due.
//!
//! Every positive ledger entry is a batch, earned on the UTC date of its `created_at`.
//! What each batch has already lost to expiry is the sum of the `expired` entries whose
//! `reference` is the batch's entry id, which is what makes a repeated run expire
//! nothing; everything else taken from the balance (redemptions, refunds, negative
//! adjustments) is the `total_spent` the core assigns to batches oldest first.

use std::collections::HashMap;

use comeback_core::date::Date;
use comeback_core::expiry::{self, EarnedBatch, Expiry};
use comeback_core::ledger::EntryKind;
use sqlx::AnyConnection;
use sqlx::Row;

use super::ledger::{append_entry, NewEntry};
use super::{lock_customer, Store, StoreError};

/// Seconds in a day.
const DAY: i64 = 86_400;

/// A customer's earning batches and what they have spent, as `comeback_core::expiry`
/// takes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batches {
    /// Every positive entry, with its expiry date and what has expired of it.
    pub batches: Vec<EarnedBatch>,
    /// Points taken by every negative entry other than expiry.
    pub total_spent: i64,
}

/// The batch an earning entry makes: earned on the UTC date of `created_at`, expiring
/// `expire_after_days` later (never, when `None`).
pub fn batch_of(
    id: String,
    points: i64,
    created_at: i64,
    expire_after_days: Option<i64>,
) -> EarnedBatch {
    let earned_on = Date::from_unix_seconds(created_at);
    EarnedBatch {
        id,
        points,
        earned_on,
        expires_on: expire_after_days.map(|days| earned_on.add_days(days)),
        expired: 0,
    }
}

/// The first second that cannot hold a batch due `today`: a batch earned on day E is due
/// from day E + `expire_after_days`, so only entries created before the start of
/// day `today - expire_after_days + 1` can have points due.
pub fn due_cutoff(today: Date, expire_after_days: i64) -> i64 {
    today
        .add_days(1 - expire_after_days)
        .days_since_epoch()
        .saturating_mul(DAY)
}

/// Reads a customer's batches, with what each has already expired, and their spending.
async fn batches(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
    expire_after_days: Option<i64>,
) -> Result<Batches, StoreError> {
    let expired_kind = EntryKind::Expired.as_str();
    let rows = sqlx::query(
        "SELECT reference, CAST(COALESCE(SUM(points), 0) AS BIGINT) AS points \
         FROM ledger_entries WHERE shop_id = $1 AND customer_id = $2 AND kind = $3 \
         GROUP BY reference",
    )
    .bind(shop_id)
    .bind(customer_id)
    .bind(expired_kind)
    .fetch_all(&mut *connection)
    .await?;
    let mut expired: HashMap<String, i64> = HashMap::new();
    for row in &rows {
        let points: i64 = row.try_get("points")?;
        expired.insert(row.try_get("reference")?, -points);
    }

    let rows = sqlx::query(
        "SELECT id, points, created_at FROM ledger_entries \
         WHERE shop_id = $1 AND customer_id = $2 AND points > 0 AND kind <> $3",
    )
    .bind(shop_id)
    .bind(customer_id)
    .bind(expired_kind)
    .fetch_all(&mut *connection)
    .await?;
    let batches = rows
        .iter()
        .map(|row| {
            let id: String = row.try_get("id")?;
            let mut batch = batch_of(
                id,
                row.try_get("points")?,
                row.try_get("created_at")?,
                expire_after_days,
            );
            batch.expired = expired.get(&batch.id).copied().unwrap_or(0);
            Ok(batch)
        })
        .collect::<Result<Vec<_>, StoreError>>()?;

    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) AS spent FROM ledger_entries \
         WHERE shop_id = $1 AND customer_id = $2 AND points < 0 AND kind <> $3",
    )
    .bind(shop_id)
    .bind(customer_id)
    .bind(expired_kind)
    .fetch_one(&mut *connection)
    .await?;
    let spent: i64 = row.try_get("spent")?;
    Ok(Batches {
        batches,
        total_spent: -spent,
    })
}

/// The next date after `today` on which some of the customer's points expire, and how
/// many; `None` when points never expire in this shop or none are left to expire.
pub(super) async fn next_expiry(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
    expire_after_days: Option<i64>,
    today: Date,
) -> Result<Option<(Date, i64)>, StoreError> {
    if expire_after_days.is_none() {
        return Ok(None);
    }
    let read = batches(connection, shop_id, customer_id, expire_after_days).await?;
    Ok(expiry::next_expiry(&read.batches, read.total_spent, today))
}

impl Store {
    /// Expires what is left of every batch of the customer due by the day of `now`: one
    /// `expired` entry per batch (negative points, lifetime untouched, the batch's entry
    /// id as reference), in one transaction under the customer lock. A second run the
    /// same day finds nothing left to expire. Returns the expiries recorded.
    pub async fn expire_points(
        &self,
        shop_id: &str,
        customer_id: &str,
        expire_after_days: i64,
        now: i64,
    ) -> Result<Vec<Expiry>, StoreError> {
        let mut tx = self.begin_write().await?;
        lock_customer(&mut tx, shop_id, customer_id, now).await?;
        let read = batches(&mut tx, shop_id, customer_id, Some(expire_after_days)).await?;
        let due = expiry::due(
            &read.batches,
            read.total_spent,
            Date::from_unix_seconds(now),
        );
        for expiry in &due {
            append_entry(
                &mut tx,
                NewEntry {
                    shop_id,
                    customer_id,
                    kind: EntryKind::Expired,
                    movement: expiry.movement(),
                    reference: &expiry.batch_id,
                    reward_name: None,
                    forgiven: 0,
                    action_id: None,
                    base_points: None,
                    created_at: now,
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(due)
    }

    /// The next date after the day of `now` on which some of a customer's points
    /// expire, and how many (see `comeback_core::expiry::next_expiry`).
    pub async fn next_expiry_of(
        &self,
        shop_id: &str,
        customer_id: &str,
        expire_after_days: i64,
        now: i64,
    ) -> Result<Option<(Date, i64)>, StoreError> {
        let mut connection = self.pool.acquire().await?;
        next_expiry(
            &mut connection,
            shop_id,
            customer_id,
            Some(expire_after_days),
            Date::from_unix_seconds(now),
        )
        .await
    }

    /// Customers of a shop with an earning entry that may have points due by the day
    /// of `now` and was not settled by an earlier complete run (see
    /// [`Store::mark_expiry_checked`]): an index range over the entries created since,
    /// not the whole ledger. Customers whose points all went already are included;
    /// their run expires nothing.
    pub async fn customers_with_points_due(
        &self,
        shop_id: &str,
        expire_after_days: i64,
        now: i64,
    ) -> Result<Vec<String>, StoreError> {
        let cutoff = due_cutoff(Date::from_unix_seconds(now), expire_after_days);
        let checked =
            sqlx::query("SELECT checked_before FROM expiry_watermarks WHERE shop_id = $1")
                .bind(shop_id)
                .fetch_optional(&self.pool)
                .await?
                .map(|row| row.try_get::<i64, _>("checked_before"))
                .transpose()?
                .unwrap_or(i64::MIN);
        self.earners_between(shop_id, checked, cutoff).await
    }

    /// Records that every entry due before the day of `now` is settled for the shop: the
    /// run that expired them finished without a failure, so later runs start there.
    pub async fn mark_expiry_checked(
        &self,
        shop_id: &str,
        expire_after_days: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        let cutoff = due_cutoff(Date::from_unix_seconds(now), expire_after_days);
        sqlx::query(
            "INSERT INTO expiry_watermarks (shop_id, checked_before) VALUES ($1, $2) \
             ON CONFLICT (shop_id) DO UPDATE SET checked_before = excluded.checked_before \
             WHERE expiry_watermarks.checked_before < excluded.checked_before",
        )
        .bind(shop_id)
        .bind(cutoff)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Customers of a shop whose next points may expire after the day of `now` and by
    /// `horizon`: those with an earning entry in that window (an index range).
    pub async fn customers_with_points_expiring(
        &self,
        shop_id: &str,
        expire_after_days: i64,
        now: i64,
        horizon: Date,
    ) -> Result<Vec<String>, StoreError> {
        let from = due_cutoff(Date::from_unix_seconds(now), expire_after_days);
        let until = due_cutoff(horizon, expire_after_days);
        self.earners_between(shop_id, from, until).await
    }

    /// Customers with an earning entry created in `[from, until)`, by id.
    async fn earners_between(
        &self,
        shop_id: &str,
        from: i64,
        until: i64,
    ) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT customer_id FROM ledger_entries \
             WHERE shop_id = $1 AND points > 0 AND created_at >= $2 AND created_at < $3 \
             ORDER BY customer_id",
        )
        .bind(shop_id)
        .bind(from)
        .bind(until)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok(row.try_get("customer_id")?))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(iso: &str) -> Date {
        Date::parse(iso).unwrap()
    }

    /// 2027-03-01T00:00:00Z.
    const MARCH_1: i64 = 1_803_859_200;

    #[test]
    fn a_batch_is_earned_on_its_utc_date_and_expires_days_later() {
        let batch = batch_of("e-1".into(), 300, MARCH_1 + DAY - 1, Some(30));
        assert_eq!(batch.earned_on, day("2027-03-01"));
        assert_eq!(batch.expires_on, Some(day("2027-03-31")));
        assert_eq!((batch.points, batch.expired), (300, 0));
        let next_day = batch_of("e-2".into(), 300, MARCH_1 + DAY, Some(30));
        assert_eq!(next_day.earned_on, day("2027-03-02"));
        assert_eq!(batch_of("e-3".into(), 1, MARCH_1, None).expires_on, None);
    }

    #[test]
    fn the_cutoff_keeps_exactly_the_batches_that_can_be_due() {
        let today = day("2027-03-31");
        let cutoff = due_cutoff(today, 30);
        // Earned on March 1 (due on the 31st): in; earned on March 2: out.
        assert_eq!(cutoff, MARCH_1 + DAY);
        let last_in = batch_of("in".into(), 1, cutoff - 1, Some(30));
        let first_out = batch_of("out".into(), 1, cutoff, Some(30));
        assert!(last_in.expires_on.is_some_and(|on| on <= today));
        assert!(first_out.expires_on.is_some_and(|on| on > today));
    }
}
