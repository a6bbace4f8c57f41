//! First-purchase anniversary rewards: the yearly `action` entry the daily job appends
//! when `comeback_core::anniversary` says it is due.
//!
//! The first purchase is the customer's earliest paid order that was not refunded, by
//! the day it was placed. The last rewarded year is derived from the ledger like the
//! birthday's: entries with `action_id = 'anniversary'` have the reference
//! `anniversary-<year>`. Appending runs under the customer lock and re-reads that year
//! first, so two runs never give a year twice.

use comeback_core::anniversary;
use comeback_core::date::Date;
use comeback_core::ledger::{self, EntryKind};
use comeback_core::LocalizedText;
use sqlx::AnyConnection;
use sqlx::Row;

use super::birthday::last_yearly_award;
use super::ledger::{name_json, NewEntry};
use super::{lock_customer, Store, StoreError};
use comeback_core::anniversary::ACTION_ID as ANNIVERSARY_ACTION_ID;

/// Prefix of an anniversary entry's reference; the year follows.
const REFERENCE_PREFIX: &str = "anniversary-";

/// The reference of the anniversary entry of `year`.
pub fn anniversary_reference(year: i32) -> String {
    format!("{REFERENCE_PREFIX}{year}")
}

/// Paid orders that were not wholly refunded, as a SQL condition on `p` (an `orders`
/// row); a partly refunded order is still a purchase.
const KEPT_PAYMENT: &str = "p.status = 'paid' AND NOT EXISTS (SELECT 1 FROM orders r \
     WHERE r.shop_id = p.shop_id AND r.order_id = p.order_id AND r.status = 'refunded' \
     AND COALESCE(r.refunded_amount, p.total) >= p.total)";

/// The day the customer's first kept paid order was placed, if any.
async fn first_order_on(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
) -> Result<Option<Date>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT MIN(COALESCE(p.placed_at, p.created_at)) AS first_at FROM orders p \
         WHERE p.shop_id = $1 AND p.customer_id = $2 AND {KEPT_PAYMENT}"
    ))
    .bind(shop_id)
    .bind(customer_id)
    .fetch_one(&mut *connection)
    .await?;
    let first: Option<i64> = row.try_get("first_at")?;
    Ok(first.map(Date::from_unix_seconds))
}

impl Store {
    /// The day of the customer's first kept paid order and the last year rewarded.
    pub async fn anniversary_of(
        &self,
        shop_id: &str,
        customer_id: &str,
    ) -> Result<Option<(Date, Option<i32>)>, StoreError> {
        let mut connection = self.pool.acquire().await?;
        let Some(first) = first_order_on(&mut connection, shop_id, customer_id).await? else {
            return Ok(None);
        };
        let last = last_yearly_award(
            &mut connection,
            shop_id,
            customer_id,
            ANNIVERSARY_ACTION_ID,
            REFERENCE_PREFIX,
        )
        .await?;
        Ok(Some((first, last)))
    }

    /// Customers of a shop whose anniversary reward may be due on the day of `now`
    /// (whether this year was rewarded is checked by [`Store::award_anniversary`]).
    pub async fn customers_with_anniversary_due(
        &self,
        shop_id: &str,
        now: i64,
    ) -> Result<Vec<String>, StoreError> {
        let today = Date::from_unix_seconds(now);
        let rows = sqlx::query(&format!(
            "SELECT p.customer_id, MIN(COALESCE(p.placed_at, p.created_at)) AS first_at \
             FROM orders p WHERE p.shop_id = $1 AND {KEPT_PAYMENT} \
             GROUP BY p.customer_id ORDER BY p.customer_id"
        ))
        .bind(shop_id)
        .fetch_all(&self.pool)
        .await?;
        let mut due = Vec::new();
        for row in &rows {
            let first = Date::from_unix_seconds(row.try_get("first_at")?);
            if anniversary::anniversary_due(first, today, None).is_some() {
                due.push(row.try_get("customer_id")?);
            }
        }
        Ok(due)
    }

    /// Gives the customer this year's anniversary reward if it is due on the day of
    /// `now` and not given yet: one `action` entry (action id `anniversary`, reference
    /// `anniversary-<year>`, named `name`, counting towards lifetime points) and
    /// `tier.changed` if it moves the tier, in one transaction under the customer lock.
    /// Returns the points given, or `None` when nothing was due.
    pub async fn award_anniversary(
        &self,
        shop_id: &str,
        customer_id: &str,
        points: i64,
        name: &LocalizedText,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        let mut tx = self.begin_write().await?;
        lock_customer(&mut tx, shop_id, customer_id, now).await?;
        let Some(first) = first_order_on(&mut tx, shop_id, customer_id).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let last = last_yearly_award(
            &mut tx,
            shop_id,
            customer_id,
            ANNIVERSARY_ACTION_ID,
            REFERENCE_PREFIX,
        )
        .await?;
        let Some(year) = anniversary::anniversary_due(first, Date::from_unix_seconds(now), last)
        else {
            tx.rollback().await?;
            return Ok(None);
        };
        let movement = ledger::earn(points);
        self.append_earning(
            &mut tx,
            NewEntry {
                shop_id,
                customer_id,
                kind: EntryKind::Action,
                movement,
                reference: &anniversary_reference(year),
                reward_name: Some(name_json(name)?),
                forgiven: 0,
                action_id: Some(ANNIVERSARY_ACTION_ID),
                base_points: None,
                created_at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Some(movement.points))
    }
}
