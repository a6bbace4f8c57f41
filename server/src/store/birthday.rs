//! Birthday rewards: the birthday a shopper sets once (kept on their customer row), and
//! the yearly `action` entry the job appends when `comeback_core::birthday` says it is
//! due.
//!
//! The last rewarded year is derived from the ledger: the customer's entries with
//! `action_id = 'birthday'` have the reference `birthday-<year>`. Appending runs under
//! the customer lock and re-reads that year first, and a unique index on those entries
//! (migration `birthday`) makes a second award for a year impossible.

use comeback_core::birthday;
use comeback_core::date::{Date, MonthDay};
use comeback_core::ledger::{self, EntryKind};
use comeback_core::LocalizedText;
use sqlx::AnyConnection;
use sqlx::Row;

use super::ledger::{name_json, NewEntry};
use super::{lock_customer, Store, StoreError};
use comeback_core::birthday::ACTION_ID as BIRTHDAY_ACTION_ID;

/// Prefix of a birthday entry's reference; the year follows.
const REFERENCE_PREFIX: &str = "birthday-";

/// A customer's birthday as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BirthdayRecord {
    /// Month and day.
    pub birthday: MonthDay,
    /// The UTC date it was set on.
    pub set_on: Date,
    /// The last year whose birthday reward was given, if any.
    pub last_rewarded_year: Option<i32>,
}

/// What setting a birthday did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetBirthdayOutcome {
    /// Stored now, or it was already this birthday: the stored record.
    Set(BirthdayRecord),
    /// Another birthday is already stored; the shopper cannot change it.
    AlreadySet(BirthdayRecord),
}

/// The reference of the birthday entry of `year`.
pub fn reference_of(year: i32) -> String {
    format!("{REFERENCE_PREFIX}{year}")
}

/// The customer's stored birthday and when it was set, without the rewarded year.
async fn stored_birthday(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
) -> Result<Option<(MonthDay, Date)>, StoreError> {
    let row = sqlx::query(
        "SELECT birthday_month, birthday_day, birthday_set_at FROM customers \
         WHERE shop_id = $1 AND customer_id = $2",
    )
    .bind(shop_id)
    .bind(customer_id)
    .fetch_optional(&mut *connection)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    birthday_of_row(
        row.try_get("birthday_month")?,
        row.try_get("birthday_day")?,
        row.try_get("birthday_set_at")?,
    )
}

fn birthday_of_row(
    month: Option<i64>,
    day: Option<i64>,
    set_at: Option<i64>,
) -> Result<Option<(MonthDay, Date)>, StoreError> {
    let (Some(month), Some(day), Some(set_at)) = (month, day, set_at) else {
        return Ok(None);
    };
    let birthday = u8::try_from(month)
        .ok()
        .zip(u8::try_from(day).ok())
        .and_then(|(month, day)| MonthDay::new(month, day))
        .ok_or_else(|| StoreError::Corrupt(format!("birthday {month}-{day}")))?;
    Ok(Some((birthday, Date::from_unix_seconds(set_at))))
}

/// The last year whose birthday reward the customer got, from the ledger.
async fn last_rewarded_year(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
) -> Result<Option<i32>, StoreError> {
    last_yearly_award(
        connection,
        shop_id,
        customer_id,
        BIRTHDAY_ACTION_ID,
        REFERENCE_PREFIX,
    )
    .await
}

/// The last year of a yearly reward (birthday, anniversary): the customer's `action`
/// entries with `action_id` have the reference `<prefix><year>`.
pub(super) async fn last_yearly_award(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
    action_id: &str,
    prefix: &str,
) -> Result<Option<i32>, StoreError> {
    let rows = sqlx::query(
        "SELECT reference FROM ledger_entries \
         WHERE shop_id = $1 AND customer_id = $2 AND action_id = $3 AND kind = $4",
    )
    .bind(shop_id)
    .bind(customer_id)
    .bind(action_id)
    .bind(EntryKind::Action.as_str())
    .fetch_all(&mut *connection)
    .await?;
    let mut last = None;
    for row in &rows {
        let reference: String = row.try_get("reference")?;
        let year = reference
            .strip_prefix(prefix)
            .and_then(|year| year.parse::<i32>().ok())
            .ok_or_else(|| StoreError::Corrupt(format!("{action_id} reference `{reference}`")))?;
        last = last.max(Some(year));
    }
    Ok(last)
}

pub(super) async fn record(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
) -> Result<Option<BirthdayRecord>, StoreError> {
    let Some((birthday, set_on)) = stored_birthday(connection, shop_id, customer_id).await? else {
        return Ok(None);
    };
    Ok(Some(BirthdayRecord {
        birthday,
        set_on,
        last_rewarded_year: last_rewarded_year(connection, shop_id, customer_id).await?,
    }))
}

impl Store {
    /// Sets the customer's birthday (creating the customer if needed) unless one is set:
    /// setting the same birthday again changes nothing, another one is refused.
    pub async fn set_birthday(
        &self,
        shop_id: &str,
        customer_id: &str,
        birthday: MonthDay,
        now: i64,
    ) -> Result<SetBirthdayOutcome, StoreError> {
        let mut tx = self.begin_write().await?;
        lock_customer(&mut tx, shop_id, customer_id, now).await?;
        if let Some(existing) = record(&mut tx, shop_id, customer_id).await? {
            tx.rollback().await?;
            return Ok(if existing.birthday == birthday {
                SetBirthdayOutcome::Set(existing)
            } else {
                SetBirthdayOutcome::AlreadySet(existing)
            });
        }
        sqlx::query(
            "UPDATE customers SET birthday_month = $1, birthday_day = $2, birthday_set_at = $3 \
             WHERE shop_id = $4 AND customer_id = $5",
        )
        .bind(i64::from(birthday.month()))
        .bind(i64::from(birthday.day()))
        .bind(now)
        .bind(shop_id)
        .bind(customer_id)
        .execute(&mut *tx)
        .await?;
        let last_rewarded_year = last_rewarded_year(&mut tx, shop_id, customer_id).await?;
        tx.commit().await?;
        Ok(SetBirthdayOutcome::Set(BirthdayRecord {
            birthday,
            set_on: Date::from_unix_seconds(now),
            last_rewarded_year,
        }))
    }

    /// The customer's birthday, when set.
    pub async fn birthday_of(
        &self,
        shop_id: &str,
        customer_id: &str,
    ) -> Result<Option<BirthdayRecord>, StoreError> {
        let mut connection = self.pool.acquire().await?;
        record(&mut connection, shop_id, customer_id).await
    }

    /// Customers of a shop whose birthday reward may be due on the day of `now` (the
    /// gate and the birthday have passed; whether this year was rewarded is checked by
    /// [`Store::award_birthday`]).
    pub async fn customers_with_birthday_due(
        &self,
        shop_id: &str,
        now: i64,
    ) -> Result<Vec<String>, StoreError> {
        let today = Date::from_unix_seconds(now);
        // Only birthdays on or before today's month and day (February 29 counts as
        // February 28 in common years) that this year's reward has not been given to:
        // an index range on the birthday and the unique index of the year's entries,
        // so a run reads the customers due, not every customer with a birthday.
        let last_day = if today.month() == 2
            && today.day() == 28
            && !comeback_core::date::is_leap_year(today.year())
        {
            29
        } else {
            i64::from(today.day())
        };
        let rows = sqlx::query(
            "SELECT c.customer_id, c.birthday_month, c.birthday_day, c.birthday_set_at \
             FROM customers c WHERE c.shop_id = $1 AND c.birthday_month IS NOT NULL \
             AND (c.birthday_month < $2 OR (c.birthday_month = $2 AND c.birthday_day <= $3)) \
             AND NOT EXISTS (SELECT 1 FROM ledger_entries l WHERE l.shop_id = c.shop_id \
                 AND l.customer_id = c.customer_id AND l.action_id = 'birthday' \
                 AND l.reference = $4) \
             ORDER BY c.customer_id",
        )
        .bind(shop_id)
        .bind(i64::from(today.month()))
        .bind(last_day)
        .bind(reference_of(today.year()))
        .fetch_all(&self.pool)
        .await?;
        let mut due = Vec::new();
        for row in &rows {
            let stored = birthday_of_row(
                row.try_get("birthday_month")?,
                row.try_get("birthday_day")?,
                row.try_get("birthday_set_at")?,
            )?;
            if let Some((birthday, set_on)) = stored {
                if birthday::birthday_reward_due(birthday, set_on, today, None).is_some() {
                    due.push(row.try_get("customer_id")?);
                }
            }
        }
        Ok(due)
    }

    /// Gives the customer this year's birthday reward if it is due on the day of `now`
    /// and not given yet: one `action` entry (action id `birthday`, reference
    /// `birthday-<year>`, named `name`, `points` plus the `birthday_bonus` of the tier
    /// held, counting towards lifetime points) and `tier.changed` if it moves the tier,
    /// in one transaction under the customer lock. Returns the points given for the
    /// year, or `None` when nothing was due.
    pub async fn award_birthday(
        &self,
        shop_id: &str,
        customer_id: &str,
        points: i64,
        name: &LocalizedText,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        let mut tx = self.begin_write().await?;
        lock_customer(&mut tx, shop_id, customer_id, now).await?;
        let Some(record) = record(&mut tx, shop_id, customer_id).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let Some(year) = birthday::birthday_reward_due(
            record.birthday,
            record.set_on,
            Date::from_unix_seconds(now),
            record.last_rewarded_year,
        ) else {
            tx.rollback().await?;
            return Ok(None);
        };
        let bonus = self
            .evaluate_tier(&mut tx, shop_id, customer_id, now)
            .await?
            .map_or(0, |tier| tier.perks.birthday_bonus.max(0));
        let movement = ledger::earn(points.saturating_add(bonus));
        self.append_earning(
            &mut tx,
            NewEntry {
                shop_id,
                customer_id,
                kind: EntryKind::Action,
                movement,
                reference: &reference_of(year),
                reward_name: Some(name_json(name)?),
                forgiven: 0,
                action_id: Some(BIRTHDAY_ACTION_ID),
                base_points: (bonus > 0).then_some(points),
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
    fn rows_read_back_as_birthdays() {
        assert_eq!(birthday_of_row(None, None, None).unwrap(), None);
        let (birthday, set_on) = birthday_of_row(Some(3), Some(14), Some(1_803_859_200))
            .unwrap()
            .unwrap();
        assert_eq!(birthday.to_iso(), "--03-14");
        assert_eq!(set_on.to_iso(), "2027-03-01");
        assert!(birthday_of_row(Some(2), Some(30), Some(0)).is_err());
        assert_eq!(reference_of(2027), "birthday-2027");
    }
}
