//! What a refund takes back, on the ledger (the rules are `comeback_core::clawback`):
//! the owed points from the balance, then by revoking the shopper's unused codes bought
//! since the order was paid (newest first, no points back), then as a debt that later
//! earnings repay (`ledger::append_entry`). The multiplier bonus a refund takes back
//! from a later order (`comeback_core::tier_bonus`) goes the same way. Runs in the order
//! pipeline's transaction, which holds the customer lock.

use comeback_core::clawback::{self, RevocableCode};
use comeback_core::ledger::{EntryDetail, EntryKind, Movement};
use sqlx::AnyConnection;

use super::codes::{self, DiscountCode};
use super::ledger::{append_step, NewEntry, StepOf};
use super::StoreError;

/// A refund owing points, as the order pipeline has it.
pub(super) struct Clawback<'a> {
    pub(super) shop_id: &'a str,
    pub(super) customer_id: &'a str,
    pub(super) order_id: &'a str,
    /// Points the refund owes (what the order earned, in proportion to the refund).
    pub(super) owed: i64,
    /// The customer's balance before the refund.
    pub(super) balance: i64,
    /// When the order whose points are owed was paid, Unix seconds: codes bought since
    /// then were bought with its points.
    pub(super) paid_at: i64,
    /// For the multiplier bonus of a later order (not the refunded order's own points):
    /// that order, recorded as a `tier_bonus_taken_back` step naming it in `code`.
    pub(super) bonus_of: Option<&'a str>,
    pub(super) now: i64,
}

/// The customer's unused, unexpired codes bought with points since `since`, newest
/// first.
async fn revocable(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
    since: i64,
    now: i64,
) -> Result<Vec<DiscountCode>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {} FROM discount_codes \
         WHERE shop_id = $1 AND customer_id = $2 AND used_by_order IS NULL \
         AND released_at IS NULL AND revoked_at IS NULL AND expires_at > $3 \
         AND points_spent > 0 AND created_at >= $4 \
         ORDER BY created_at DESC, code DESC",
        codes::COLUMNS
    ))
    .bind(shop_id)
    .bind(customer_id)
    .bind(now)
    .bind(since)
    .fetch_all(&mut *connection)
    .await?;
    rows.iter().map(codes::from_row).collect()
}

/// Marks a code revoked by the refund of `order_id`, unless it was used, released or
/// revoked meanwhile; true when this call revoked it.
pub(super) async fn revoke_code(
    connection: &mut AnyConnection,
    shop_id: &str,
    code: &str,
    order_id: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let revoked = sqlx::query(
        "UPDATE discount_codes SET revoked_at = $1, revoked_by_order = $2 \
         WHERE shop_id = $3 AND code = $4 AND used_by_order IS NULL \
         AND released_at IS NULL AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(order_id)
    .bind(shop_id)
    .bind(code)
    .execute(&mut *connection)
    .await?;
    Ok(revoked.rows_affected() == 1)
}

/// Applies a refund owing points: the `order_refunded` entry (taking what the balance
/// holds from it and all of `owed` from the lifetime total, recording any new debt; for
/// a bonus, the `tier_bonus_taken_back` step), then a `code_revoked` step per code
/// revoked. Returns the refund entry's movement.
pub(super) async fn take_back(
    connection: &mut AnyConnection,
    refund: &Clawback<'_>,
) -> Result<Movement, StoreError> {
    let candidates = revocable(
        connection,
        refund.shop_id,
        refund.customer_id,
        refund.paid_at,
        refund.now,
    )
    .await?;
    let prices: Vec<RevocableCode> = candidates
        .iter()
        .map(|code| RevocableCode {
            points_spent: code.points_spent,
        })
        .collect();
    let plan = clawback::plan(refund.owed, refund.balance, &prices);
    // The candidates were read under the customer lock, which consuming a code does not
    // take: a code used since is not revoked, and what it would have covered is owed.
    let mut revoked = Vec::new();
    let mut uncovered = 0;
    for revocation in &plan.revoked {
        let code = &candidates[revocation.index];
        if revoke_code(
            connection,
            refund.shop_id,
            &code.code,
            refund.order_id,
            refund.now,
        )
        .await?
        {
            revoked.push((code, revocation.returned));
        } else {
            uncovered += revocation.covered;
        }
    }
    let movement = Movement {
        points: -plan.from_balance,
        lifetime: -refund.owed.max(0),
    };
    if movement.points == 0 && movement.lifetime == 0 {
        return Ok(movement);
    }
    let entry = |movement| NewEntry {
        shop_id: refund.shop_id,
        customer_id: refund.customer_id,
        kind: EntryKind::OrderRefunded,
        movement,
        reference: refund.order_id,
        reward_name: None,
        forgiven: 0,
        action_id: None,
        base_points: None,
        created_at: refund.now,
    };
    let step = StepOf {
        debt: plan.debt + uncovered,
        detail: refund.bonus_of.map(|_| EntryDetail::TierBonusTakenBack),
        code: refund.bonus_of,
    };
    append_step(connection, entry(movement), step).await?;
    for (code, returned) in revoked {
        let returned = Movement {
            points: returned,
            lifetime: 0,
        };
        let step = StepOf {
            debt: 0,
            detail: Some(EntryDetail::CodeRevoked),
            code: Some(&code.code),
        };
        append_step(connection, entry(returned), step).await?;
    }
    Ok(movement)
}
