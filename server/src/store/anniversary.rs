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

/// Seconds in a day.
const DAY: i64 = 86_400;

/// For each year from `first_year` to the year before `today`: the Unix-second range of
/// first purchases whose anniversary has come by `today` (January 1 up to today's month
/// and day in that year; February 29 counts as February 28 in common years either way).
pub fn anniversary_ranges(first_year: i32, today: Date) -> Vec<(i64, i64)> {
    let start = |date: Date| date.days_since_epoch().saturating_mul(DAY);
    (first_year.max(1970)..today.year())
        .filter_map(|year| {
            let from = Date::new(year, 1, 1)?;
            // The last day of `year` whose anniversary this year is on or before today.
            let mut last = comeback_core::date::MonthDay::of(today).occurrence_in(year);
            let feb_28_of_common_year = today.month() == 2
                && today.day() == 28
                && !comeback_core::date::is_leap_year(today.year());
            if feb_28_of_common_year && comeback_core::date::is_leap_year(year) {
                last = last.add_days(1);
            }
            Some((start(from), start(last.add_days(1))))
        })
        .collect()
}

/// Sets the customer's `first_order_at` from their orders (in the order's
/// transaction): the earliest kept purchase, or NULL when none is left.
pub(super) async fn refresh_first_order(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "UPDATE customers SET first_order_at = (SELECT MIN(COALESCE(p.placed_at, p.created_at)) \
         FROM orders p WHERE p.shop_id = $1 AND p.customer_id = $2 AND {KEPT_PAYMENT}) \
         WHERE shop_id = $1 AND customer_id = $2"
    ))
    .bind(shop_id)
    .bind(customer_id)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

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
    /// (whether this year was rewarded is checked by [`Store::award_anniversary`]): one
    /// index range per earlier year over `customers.first_order_at` (from January 1 to
    /// today's month and day of that year), leaving out those already rewarded this
    /// year, so a run reads the customers due rather than every order of the shop.
    pub async fn customers_with_anniversary_due(
        &self,
        shop_id: &str,
        now: i64,
    ) -> Result<Vec<String>, StoreError> {
        let today = Date::from_unix_seconds(now);
        let earliest =
            sqlx::query("SELECT MIN(first_order_at) AS earliest FROM customers WHERE shop_id = $1")
                .bind(shop_id)
                .fetch_one(&self.pool)
                .await?
                .try_get::<Option<i64>, _>("earliest")?;
        let Some(earliest) = earliest else {
            return Ok(Vec::new());
        };
        let ranges = anniversary_ranges(Date::from_unix_seconds(earliest).year(), today);
        if ranges.is_empty() {
            return Ok(Vec::new());
        }
        let conditions: Vec<String> = (0..ranges.len())
            .map(|index| {
                format!(
                    "(first_order_at >= ${} AND first_order_at < ${})",
                    3 + 2 * index,
                    4 + 2 * index
                )
            })
            .collect();
        let sql = format!(
            "SELECT customer_id, first_order_at FROM customers c WHERE shop_id = $1 \
             AND ({}) AND NOT EXISTS (SELECT 1 FROM ledger_entries l \
                 WHERE l.shop_id = c.shop_id AND l.customer_id = c.customer_id \
                 AND l.action_id = '{ANNIVERSARY_ACTION_ID}' AND l.reference = $2) \
             ORDER BY customer_id",
            conditions.join(" OR ")
        );
        let mut query = sqlx::query(&sql)
            .bind(shop_id)
            .bind(anniversary_reference(today.year()));
        for (from, until) in ranges {
            query = query.bind(from).bind(until);
        }
        let rows = query.fetch_all(&self.pool).await?;
        let mut due = Vec::new();
        for row in &rows {
            let first = Date::from_unix_seconds(row.try_get("first_order_at")?);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_reach_todays_month_and_day_of_each_earlier_year() {
        let day = |iso: &str| Date::parse(iso).unwrap();
        let at = |iso: &str| day(iso).days_since_epoch() * DAY;
        assert_eq!(
            anniversary_ranges(2025, day("2027-04-15")),
            [
                (at("2025-01-01"), at("2025-04-16")),
                (at("2026-01-01"), at("2026-04-16"))
            ]
        );
        assert!(anniversary_ranges(2027, day("2027-04-15")).is_empty());
        // February 29 first purchases are due on February 28 of common years.
        assert_eq!(
            anniversary_ranges(2024, day("2027-02-28"))[0],
            (at("2024-01-01"), at("2024-03-01"))
        );
        assert_eq!(
            anniversary_ranges(2025, day("2028-02-29"))[0],
            (at("2025-01-01"), at("2025-03-01"))
        );
    }
}
