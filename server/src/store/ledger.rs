//! The ledger, the bottom layer of points: appending entries, locking a customer, and
//! the balance and lifetime totals derived from the entries.

use comeback_core::clawback;
use comeback_core::ledger::{EntryDetail, EntryKind, Movement};
use comeback_core::LocalizedText;
use sqlx::AnyConnection;
use sqlx::Row;

use super::{Store, StoreError};

/// A ledger entry to append.
pub(super) struct NewEntry<'a> {
    pub(super) shop_id: &'a str,
    pub(super) customer_id: &'a str,
    pub(super) kind: EntryKind,
    pub(super) movement: Movement,
    pub(super) reference: &'a str,
    pub(super) reward_name: Option<String>,
    pub(super) forgiven: i64,
    /// The configured action an `action` entry awards; `None` for other kinds.
    pub(super) action_id: Option<&'a str>,
    /// For entries a tier perk added points to: the points before the perk.
    pub(super) base_points: Option<i64>,
    pub(super) created_at: i64,
}

/// What a refund step adds to an entry: its change to the debt, which step it is, and
/// the code it revoked.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct StepOf<'a> {
    pub(super) debt: i64,
    pub(super) detail: Option<EntryDetail>,
    pub(super) code: Option<&'a str>,
}

/// Appends an entry and returns its id, or [`StoreError::Overflow`] when it would take
/// the balance or the lifetime total out of range. An entry that adds points repays an
/// outstanding debt first (a `debt_repaid` step right after it), so the balance only
/// grows once nothing is owed.
pub(super) async fn append_entry(
    connection: &mut AnyConnection,
    entry: NewEntry<'_>,
) -> Result<String, StoreError> {
    append_step(connection, entry, StepOf::default()).await
}

/// Appends an entry that is a step of a refund (see [`append_entry`]).
pub(super) async fn append_step(
    connection: &mut AnyConnection,
    entry: NewEntry<'_>,
    step: StepOf<'_>,
) -> Result<String, StoreError> {
    if entry.movement.points > 0 || entry.movement.lifetime > 0 {
        // The sums over the ledger must stay representable: refuse the entry that
        // would take them out of range (the request answers `amount_out_of_range`).
        let (balance, lifetime) = totals(connection, entry.shop_id, entry.customer_id).await?;
        super::checked_add("balance", balance, entry.movement.points)?;
        super::checked_add("lifetime points", lifetime, entry.movement.lifetime)?;
    }
    let id = insert_entry(connection, &entry, step).await?;
    if entry.movement.points > 0 {
        repay_debt(
            connection,
            entry.shop_id,
            entry.customer_id,
            entry.movement.points,
            entry.created_at,
        )
        .await?;
    }
    Ok(id)
}

async fn insert_entry(
    connection: &mut AnyConnection,
    entry: &NewEntry<'_>,
    step: StepOf<'_>,
) -> Result<String, StoreError> {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO ledger_entries \
         (id, shop_id, customer_id, kind, points, lifetime, reference, reward_name, forgiven, action_id, base_points, created_at, debt, detail, code) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(&id)
    .bind(entry.shop_id)
    .bind(entry.customer_id)
    .bind(entry.kind.as_str())
    .bind(entry.movement.points)
    .bind(entry.movement.lifetime)
    .bind(entry.reference)
    .bind(entry.reward_name.as_deref())
    .bind(entry.forgiven)
    .bind(entry.action_id)
    .bind(entry.base_points)
    .bind(entry.created_at)
    .bind(step.debt)
    .bind(step.detail.map(EntryDetail::as_str))
    .bind(step.code)
    .execute(&mut *connection)
    .await?;
    Ok(id)
}

/// Repays what the customer owes from `earned` new points: a `debt_repaid` step
/// (kind `order_refunded`, reference the refund that left the debt) taking them back.
async fn repay_debt(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
    earned: i64,
    now: i64,
) -> Result<(), StoreError> {
    let owed = debt(connection, shop_id, customer_id).await?;
    let repaid = clawback::repayment(earned, owed);
    if repaid == 0 {
        return Ok(());
    }
    let row = sqlx::query(
        "SELECT reference FROM ledger_entries \
         WHERE shop_id = $1 AND customer_id = $2 AND debt > 0 \
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(shop_id)
    .bind(customer_id)
    .fetch_one(&mut *connection)
    .await?;
    let reference: String = row.try_get("reference")?;
    let entry = NewEntry {
        shop_id,
        customer_id,
        kind: EntryKind::OrderRefunded,
        movement: Movement {
            points: -repaid,
            lifetime: 0,
        },
        reference: &reference,
        reward_name: None,
        forgiven: 0,
        action_id: None,
        base_points: None,
        created_at: now,
    };
    let step = StepOf {
        debt: -repaid,
        detail: Some(EntryDetail::DebtRepaid),
        code: None,
    };
    insert_entry(connection, &entry, step).await?;
    Ok(())
}

/// Points the customer owes: the sum of the entries' changes to the debt.
pub(super) async fn debt(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(debt), 0) AS BIGINT) AS debt FROM ledger_entries \
         WHERE shop_id = $1 AND customer_id = $2",
    )
    .bind(shop_id)
    .bind(customer_id)
    .fetch_one(&mut *connection)
    .await?;
    Ok(row.try_get("debt")?)
}

impl Store {
    /// Appends an entry that changes the lifetime total and, in the same transaction
    /// (which holds the customer lock), re-evaluates the customer's tier before and
    /// after it, recording `tier.changed` when the tier moves. Every change to lifetime
    /// points other than orders goes through here (orders, which may also move a
    /// money-spent total without points, evaluate around their own change), so no
    /// caller can forget the event.
    pub(super) async fn append_earning(
        &self,
        connection: &mut AnyConnection,
        entry: NewEntry<'_>,
    ) -> Result<String, StoreError> {
        let (shop_id, customer_id, now) = (entry.shop_id, entry.customer_id, entry.created_at);
        self.evaluate_tier(connection, shop_id, customer_id, now)
            .await?;
        let id = append_entry(connection, entry).await?;
        self.evaluate_tier(connection, shop_id, customer_id, now)
            .await?;
        Ok(id)
    }
}

/// A localised name as stored in `reward_name`.
pub(super) fn name_json(name: &LocalizedText) -> Result<String, StoreError> {
    serde_json::to_string(name).map_err(|error| StoreError::Corrupt(error.to_string()))
}

/// Makes sure the customer row exists and locks it for the rest of the transaction.
///
/// The `UPDATE` is the lock: it takes SQLite's write lock (if `BEGIN IMMEDIATE` did not
/// already) and a row lock on PostgreSQL, so every points-changing transaction of one
/// customer runs one after the other, and the balance read after it is current.
pub(super) async fn lock_customer(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO customers (shop_id, customer_id, created_at, lock_version) \
         VALUES ($1, $2, $3, 0) ON CONFLICT (shop_id, customer_id) DO NOTHING",
    )
    .bind(shop_id)
    .bind(customer_id)
    .bind(now)
    .execute(&mut *connection)
    .await?;
    sqlx::query(
        "UPDATE customers SET lock_version = lock_version + 1 \
         WHERE shop_id = $1 AND customer_id = $2",
    )
    .bind(shop_id)
    .bind(customer_id)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// Balance and lifetime points: sums over the customer's ledger.
pub(super) async fn totals(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
) -> Result<(i64, i64), StoreError> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) AS balance, \
                CAST(COALESCE(SUM(lifetime), 0) AS BIGINT) AS lifetime \
         FROM ledger_entries WHERE shop_id = $1 AND customer_id = $2",
    )
    .bind(shop_id)
    .bind(customer_id)
    .fetch_one(&mut *connection)
    .await?;
    Ok((row.try_get("balance")?, row.try_get("lifetime")?))
}
