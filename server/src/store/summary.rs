//! What a customer's points look like: the summary the loyalty widget shows and the
//! shop's view of a customer (balance, lifetime points, history, usable codes, next
//! expiry), read on one connection.

use comeback_core::api::{HistoryDetail, HistoryEntry};
use comeback_core::date::Date;
use comeback_core::ledger::{EntryDetail, EntryKind};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row;

use super::codes::{self, DiscountCode};
use super::expiry;
use super::ledger;
use super::{totals, Store, StoreError};

/// Ledger entries returned in a summary, newest first.
pub const HISTORY_LIMIT: i64 = 20;

/// Ledger entries returned in the shop's view of a customer, newest first.
pub const ADMIN_HISTORY_LIMIT: i64 = 100;

/// Discount codes returned in a summary, newest first.
const CODES_LIMIT: i64 = 50;

/// The numbers and lists behind `GET /loyalty/me`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerSummary {
    /// Spendable points.
    pub balance: i64,
    /// Lifetime points (decides the tier).
    pub lifetime: i64,
    /// Points owed after refunds (see `comeback_core::clawback`).
    pub debt: i64,
    /// Latest entries, newest first.
    pub history: Vec<HistoryEntry>,
    /// The refund steps among `history`.
    pub details: Vec<HistoryDetail>,
    /// Usable codes, newest first.
    pub codes: Vec<DiscountCode>,
    /// The next date after today on which points expire, and how many; `None` when the
    /// shop lets points live forever or none are left to expire.
    pub next_expiry: Option<(Date, i64)>,
}

/// The shop's view of a customer (`GET /admin/customers/{id}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRecord {
    /// When the customer row was created, Unix seconds.
    pub created_at: i64,
    /// Balance, lifetime points, the latest [`ADMIN_HISTORY_LIMIT`] entries and usable
    /// codes.
    pub summary: CustomerSummary,
}

impl Store {
    /// Balance, lifetime points, recent history, usable codes and the next expiry (in a
    /// shop whose points expire after `expire_after_days`) of a customer. A customer
    /// never seen has zeros and empty lists.
    pub async fn customer_summary(
        &self,
        shop_id: &str,
        customer_id: &str,
        expire_after_days: Option<i64>,
        now: i64,
    ) -> Result<CustomerSummary, StoreError> {
        let mut connection = self.pool.acquire().await?;
        summary(
            &mut connection,
            SummaryOf {
                shop_id,
                customer_id,
                expire_after_days,
                now,
                history_limit: HISTORY_LIMIT,
            },
        )
        .await
    }

    /// The shop's view of a customer, or `None` when the server has never recorded
    /// them (no order, redemption or adjustment).
    pub async fn customer_record(
        &self,
        shop_id: &str,
        customer_id: &str,
        expire_after_days: Option<i64>,
        now: i64,
    ) -> Result<Option<CustomerRecord>, StoreError> {
        let mut connection = self.pool.acquire().await?;
        let row =
            sqlx::query("SELECT created_at FROM customers WHERE shop_id = $1 AND customer_id = $2")
                .bind(shop_id)
                .bind(customer_id)
                .fetch_optional(&mut *connection)
                .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let summary = summary(
            &mut connection,
            SummaryOf {
                shop_id,
                customer_id,
                expire_after_days,
                now,
                history_limit: ADMIN_HISTORY_LIMIT,
            },
        )
        .await?;
        Ok(Some(CustomerRecord {
            created_at: row.try_get("created_at")?,
            summary,
        }))
    }
}

/// Whose summary to read, and how much of it.
pub(super) struct SummaryOf<'a> {
    pub(super) shop_id: &'a str,
    pub(super) customer_id: &'a str,
    pub(super) expire_after_days: Option<i64>,
    pub(super) now: i64,
    pub(super) history_limit: i64,
}

/// Balance, lifetime points, the latest `history_limit` entries, usable codes and the
/// next expiry.
pub(super) async fn summary(
    connection: &mut AnyConnection,
    of: SummaryOf<'_>,
) -> Result<CustomerSummary, StoreError> {
    let SummaryOf {
        shop_id,
        customer_id,
        expire_after_days,
        now,
        history_limit,
    } = of;
    let (balance, lifetime) = totals(&mut *connection, shop_id, customer_id).await?;
    let rows = sqlx::query(
        "SELECT id, kind, points, reference, reward_name, forgiven, created_at, debt, \
                detail, code \
         FROM ledger_entries WHERE shop_id = $1 AND customer_id = $2 \
         ORDER BY created_at DESC, id DESC LIMIT $3",
    )
    .bind(shop_id)
    .bind(customer_id)
    .bind(history_limit)
    .fetch_all(&mut *connection)
    .await?;
    let history = rows
        .iter()
        .map(history_entry)
        .collect::<Result<Vec<_>, _>>()?;
    let details = rows
        .iter()
        .filter_map(|row| history_detail(row).transpose())
        .collect::<Result<Vec<_>, _>>()?;
    let debt = ledger::debt(&mut *connection, shop_id, customer_id).await?;
    let codes =
        codes::usable_for_customer(&mut *connection, shop_id, customer_id, now, CODES_LIMIT)
            .await?;
    let next_expiry = expiry::next_expiry(
        &mut *connection,
        shop_id,
        customer_id,
        expire_after_days,
        Date::from_unix_seconds(now),
    )
    .await?;
    Ok(CustomerSummary {
        balance,
        lifetime,
        debt,
        history,
        details,
        codes,
        next_expiry,
    })
}

/// The refund step an entry is, or the debt it changed, when either.
fn history_detail(row: &AnyRow) -> Result<Option<HistoryDetail>, StoreError> {
    let detail: Option<String> = row.try_get("detail")?;
    let debt: i64 = row.try_get("debt")?;
    if detail.is_none() && debt == 0 {
        return Ok(None);
    }
    let detail = detail
        .map(|detail| {
            EntryDetail::parse(&detail)
                .ok_or_else(|| StoreError::Corrupt(format!("ledger entry detail `{detail}`")))
        })
        .transpose()?;
    // A bonus step keeps the later order in `code`; it is shown as `order`.
    let code: Option<String> = row.try_get("code")?;
    let (code, order) = if detail == Some(EntryDetail::TierBonusTakenBack) {
        (None, code)
    } else {
        (code, None)
    };
    Ok(Some(HistoryDetail {
        id: row.try_get("id")?,
        detail,
        code,
        order,
        debt,
    }))
}

fn history_entry(row: &AnyRow) -> Result<HistoryEntry, StoreError> {
    let kind: String = row.try_get("kind")?;
    let reward_name: Option<String> = row.try_get("reward_name")?;
    Ok(HistoryEntry {
        id: row.try_get("id")?,
        kind: EntryKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("ledger entry kind `{kind}`")))?,
        points: row.try_get("points")?,
        reference: row.try_get("reference")?,
        reward_name: reward_name
            .map(|json| serde_json::from_str(&json))
            .transpose()
            .map_err(|error| StoreError::Corrupt(format!("reward name: {error}")))?,
        forgiven: row.try_get("forgiven")?,
        created_at: row.try_get("created_at")?,
    })
}
