//! Discount codes issued by redemptions, checked and consumed by the shop's backend.

use comeback_core::api::{AdminRedemption, CodeStatus, DiscountCodeView, RewardKind};
use comeback_core::code::{format_code, CODE_RANDOM_LEN};
use comeback_core::ledger::{EntryKind, Movement};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row;

use super::ledger::{append_entry, NewEntry};
use super::{lock_customer, Store, StoreError};

/// A stored discount code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscountCode {
    /// The code, canonical form.
    pub code: String,
    /// The customer it was issued to.
    pub customer_id: String,
    /// The reward it came from.
    pub reward_id: String,
    /// What it gives.
    pub kind: RewardKind,
    /// Minor units or percent.
    pub value: i64,
    /// Points the redemption spent on it.
    pub points_spent: i64,
    /// The shop's currency.
    pub currency: String,
    /// Issued at, Unix seconds.
    pub created_at: i64,
    /// Expires at, Unix seconds.
    pub expires_at: i64,
    /// The order that used it.
    pub used_by_order: Option<String>,
    /// When the shop's backend released it, Unix seconds.
    pub released_at: Option<i64>,
    /// When a refund revoked it, Unix seconds.
    pub revoked_at: Option<i64>,
}

impl DiscountCode {
    /// The code's state at `now`: a revoked or released code stays so, a used code
    /// stays used after its expiry.
    pub fn status(&self, now: i64) -> CodeStatus {
        if self.revoked_at.is_some() {
            CodeStatus::Revoked
        } else if self.released_at.is_some() {
            CodeStatus::Released
        } else if self.used_by_order.is_some() {
            CodeStatus::Used
        } else if now >= self.expires_at {
            CodeStatus::Expired
        } else {
            CodeStatus::Active
        }
    }

    /// The wire view at `now`, with the product a free-product code gives.
    pub fn view(&self, now: i64, product_id: Option<String>) -> DiscountCodeView {
        DiscountCodeView {
            code: self.code.clone(),
            status: self.status(now),
            customer_id: self.customer_id.clone(),
            reward_id: self.reward_id.clone(),
            kind: self.kind,
            value: self.value,
            currency: self.currency.clone(),
            created_at: self.created_at,
            expires_at: self.expires_at,
            used_by_order: self.used_by_order.clone(),
            product_id,
        }
    }

    /// The redemption behind the code, as the shop's admin list shows it at `now`.
    pub fn redemption(&self, now: i64) -> AdminRedemption {
        AdminRedemption {
            code: self.code.clone(),
            customer_id: self.customer_id.clone(),
            reward_id: self.reward_id.clone(),
            kind: self.kind,
            value: self.value,
            points_spent: self.points_spent,
            status: self.status(now),
            created_at: self.created_at,
            expires_at: self.expires_at,
            used_by_order: self.used_by_order.clone(),
        }
    }
}

/// What consuming a code did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsumeOutcome {
    /// Consumed by this order, now or earlier (a repeat is harmless).
    Consumed(DiscountCode),
    /// Consumed earlier by another order.
    UsedByOther(DiscountCode),
    /// Past its expiry and never used.
    Expired(DiscountCode),
    /// Released by the shop's backend; its points were given back.
    Released(DiscountCode),
    /// Revoked by a refund.
    Revoked(DiscountCode),
    /// No such code.
    NotFound,
}

pub(super) const COLUMNS: &str = "code, customer_id, reward_id, kind, value, points_spent, \
                       currency, created_at, expires_at, used_by_order, released_at, revoked_at";

pub(super) fn from_row(row: &AnyRow) -> Result<DiscountCode, StoreError> {
    let kind: String = row.try_get("kind")?;
    Ok(DiscountCode {
        code: row.try_get("code")?,
        customer_id: row.try_get("customer_id")?,
        reward_id: row.try_get("reward_id")?,
        kind: RewardKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("discount code kind `{kind}`")))?,
        value: row.try_get("value")?,
        points_spent: row.try_get("points_spent")?,
        currency: row.try_get("currency")?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        used_by_order: row.try_get("used_by_order")?,
        released_at: row.try_get("released_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

/// The code, if the shop issued it (in the caller's transaction).
pub(super) async fn find(
    connection: &mut AnyConnection,
    shop_id: &str,
    code: &str,
) -> Result<Option<DiscountCode>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM discount_codes WHERE shop_id = $1 AND code = $2"
    ))
    .bind(shop_id)
    .bind(code)
    .fetch_optional(&mut *connection)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Whether the code's points were already given back.
async fn returned(
    connection: &mut AnyConnection,
    shop_id: &str,
    code: &str,
) -> Result<bool, StoreError> {
    let row = sqlx::query(
        "SELECT 1 AS found FROM ledger_entries WHERE shop_id = $1 AND kind = $2 AND reference = $3",
    )
    .bind(shop_id)
    .bind(EntryKind::Returned.as_str())
    .bind(code)
    .fetch_optional(&mut *connection)
    .await?;
    Ok(row.is_some())
}

/// Gives the code's points back (a `returned` entry, reference the code) unless it cost
/// none or they were given back before; returns the points returned.
pub(super) async fn give_back(
    connection: &mut AnyConnection,
    shop_id: &str,
    code: &DiscountCode,
    now: i64,
) -> Result<i64, StoreError> {
    if code.points_spent <= 0 || returned(connection, shop_id, &code.code).await? {
        return Ok(0);
    }
    append_entry(
        connection,
        NewEntry {
            shop_id,
            customer_id: &code.customer_id,
            kind: EntryKind::Returned,
            movement: Movement {
                points: code.points_spent,
                lifetime: 0,
            },
            reference: &code.code,
            reward_name: None,
            forgiven: 0,
            action_id: None,
            base_points: None,
            created_at: now,
        },
    )
    .await?;
    Ok(code.points_spent)
}

/// Whether the shop already has this code.
pub(super) async fn exists(
    connection: &mut AnyConnection,
    shop_id: &str,
    code: &str,
) -> Result<bool, StoreError> {
    let row = sqlx::query("SELECT 1 AS found FROM discount_codes WHERE shop_id = $1 AND code = $2")
        .bind(shop_id)
        .bind(code)
        .fetch_optional(&mut *connection)
        .await?;
    Ok(row.is_some())
}

/// Attempts at a fresh random code before giving up (a collision needs two codes of
/// the same prefix among 32^8 random ones, so a second attempt is already rare).
const UNIQUE_CODE_ATTEMPTS: usize = 16;

/// A new code of the shop, `<prefix>-XXXX-XXXX` (`comeback_core::code`), that no code of
/// the shop has; the one issuer of every code, whichever feature gives it.
pub(super) async fn unique_code(
    connection: &mut AnyConnection,
    shop_id: &str,
    prefix: &str,
) -> Result<String, StoreError> {
    for _ in 0..UNIQUE_CODE_ATTEMPTS {
        let candidate = format_code(prefix, rand::random::<[u8; CODE_RANDOM_LEN]>());
        if !exists(connection, shop_id, &candidate).await? {
            return Ok(candidate);
        }
    }
    Err(StoreError::Corrupt(format!(
        "no free code with prefix {prefix} after {UNIQUE_CODE_ATTEMPTS} attempts"
    )))
}

/// Stores a newly issued code.
pub(super) async fn insert(
    connection: &mut AnyConnection,
    shop_id: &str,
    code: &DiscountCode,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO discount_codes \
         (shop_id, code, customer_id, reward_id, kind, value, points_spent, currency, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(shop_id)
    .bind(&code.code)
    .bind(&code.customer_id)
    .bind(&code.reward_id)
    .bind(code.kind.as_str())
    .bind(code.value)
    .bind(code.points_spent)
    .bind(&code.currency)
    .bind(code.created_at)
    .bind(code.expires_at)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// A customer's unused, unexpired codes, newest first.
pub(super) async fn usable_for_customer(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
    now: i64,
    limit: i64,
) -> Result<Vec<DiscountCode>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM discount_codes \
         WHERE shop_id = $1 AND customer_id = $2 AND used_by_order IS NULL \
         AND released_at IS NULL AND revoked_at IS NULL AND expires_at > $3 \
         ORDER BY created_at DESC, code DESC LIMIT $4"
    ))
    .bind(shop_id)
    .bind(customer_id)
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *connection)
    .await?;
    rows.iter().map(from_row).collect()
}

impl Store {
    /// The code, if the shop issued it.
    pub async fn discount_code(
        &self,
        shop_id: &str,
        code: &str,
    ) -> Result<Option<DiscountCode>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM discount_codes WHERE shop_id = $1 AND code = $2"
        ))
        .bind(shop_id)
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Codes of a shop that expired unused by `now` and cost points that were not given
    /// back yet.
    pub async fn codes_to_return(
        &self,
        shop_id: &str,
        now: i64,
    ) -> Result<Vec<DiscountCode>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM discount_codes d WHERE shop_id = $1 AND expires_at <= $2 \
             AND used_by_order IS NULL AND released_at IS NULL AND revoked_at IS NULL \
             AND points_spent > 0 \
             AND NOT EXISTS (SELECT 1 FROM ledger_entries l WHERE l.shop_id = d.shop_id \
                 AND l.kind = $3 AND l.reference = d.code) \
             ORDER BY expires_at, code"
        ))
        .bind(shop_id)
        .bind(now)
        .bind(EntryKind::Returned.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// Gives back the points of a code that expired unused, once (re-checked under the
    /// customer lock); returns the points returned.
    pub async fn return_expired_code(
        &self,
        shop_id: &str,
        code: &str,
        now: i64,
    ) -> Result<i64, StoreError> {
        let Some(found) = self.discount_code(shop_id, code).await? else {
            return Ok(0);
        };
        let mut tx = self.begin_write().await?;
        lock_customer(&mut tx, shop_id, &found.customer_id, now).await?;
        let returned = match find(&mut tx, shop_id, code).await? {
            Some(stored) if stored.status(now) == CodeStatus::Expired => {
                give_back(&mut tx, shop_id, &stored, now).await?
            }
            _ => 0,
        };
        tx.commit().await?;
        Ok(returned)
    }

    /// Marks a code used by `order_id`. The conditional update makes two concurrent
    /// consumers race safely: exactly one order wins, and repeating the winner's call
    /// answers the same.
    pub async fn consume_code(
        &self,
        shop_id: &str,
        code: &str,
        order_id: &str,
        now: i64,
    ) -> Result<ConsumeOutcome, StoreError> {
        let mut tx = self.pool.begin().await?;
        let consumed = sqlx::query(
            "UPDATE discount_codes SET used_by_order = $1, used_at = $2 \
             WHERE shop_id = $3 AND code = $4 AND used_by_order IS NULL \
             AND released_at IS NULL AND revoked_at IS NULL AND expires_at > $2",
        )
        .bind(order_id)
        .bind(now)
        .bind(shop_id)
        .bind(code)
        .execute(&mut *tx)
        .await?;
        if consumed.rows_affected() == 1 {
            // The owner's snapshot shows the code: mark the customer changed.
            sqlx::query(
                "UPDATE customers SET lock_version = lock_version + 1 WHERE shop_id = $1 \
                 AND customer_id = (SELECT customer_id FROM discount_codes \
                 WHERE shop_id = $1 AND code = $2)",
            )
            .bind(shop_id)
            .bind(code)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        let Some(stored) = self.discount_code(shop_id, code).await? else {
            return Ok(ConsumeOutcome::NotFound);
        };
        Ok(match stored.used_by_order.as_deref() {
            _ if stored.revoked_at.is_some() => ConsumeOutcome::Revoked(stored),
            _ if stored.released_at.is_some() => ConsumeOutcome::Released(stored),
            Some(used_by) if used_by == order_id => ConsumeOutcome::Consumed(stored),
            Some(_) => ConsumeOutcome::UsedByOther(stored),
            None => ConsumeOutcome::Expired(stored),
        })
    }

    /// A page of the shop's redemptions (the codes they issued), newest first, issued
    /// before `before` (Unix seconds) when given, and the `before` of the next page.
    ///
    /// The cursor is a whole second, so a page never ends inside a second: rows of the
    /// second a full page would split are left for the next page. Should more than
    /// `limit` redemptions share one second, that page holds all of them instead.
    pub async fn redemptions_page(
        &self,
        shop_id: &str,
        before: Option<i64>,
        limit: i64,
    ) -> Result<(Vec<DiscountCode>, Option<i64>), StoreError> {
        let before = before.unwrap_or(i64::MAX);
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM discount_codes WHERE shop_id = $1 AND created_at < $2 \
             ORDER BY created_at DESC, code DESC LIMIT $3"
        ))
        .bind(shop_id)
        .bind(before)
        .bind(limit + 1)
        .fetch_all(&self.pool)
        .await?;
        let mut page = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
        let Ok(limit) = usize::try_from(limit) else {
            return Ok((page, None));
        };
        // The row after a full page: there is more, and the page must end on a second
        // boundary.
        let Some(boundary) = page.get(limit).map(|code| code.created_at) else {
            return Ok((page, None));
        };
        page.truncate(limit);
        page.retain(|code| code.created_at != boundary);
        if page.is_empty() {
            let rows = sqlx::query(&format!(
                "SELECT {COLUMNS} FROM discount_codes WHERE shop_id = $1 AND created_at = $2 \
                 ORDER BY code DESC"
            ))
            .bind(shop_id)
            .bind(boundary)
            .fetch_all(&self.pool)
            .await?;
            page = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
            let older = sqlx::query(
                "SELECT 1 AS found FROM discount_codes WHERE shop_id = $1 AND created_at < $2 \
                 LIMIT 1",
            )
            .bind(shop_id)
            .bind(boundary)
            .fetch_optional(&self.pool)
            .await?;
            return Ok((page, older.map(|_| boundary)));
        }
        let next_before = page.last().map(|code| code.created_at);
        Ok((page, next_before))
    }
}
