//! The multiplier bonus a refund takes back (the rule is `comeback_core::tier_bonus`):
//! after a refund, every paid order a tier multiplier raised is checked against the
//! tier the shopper would have held when it was processed had refunded orders never
//! counted, and what it holds beyond what that tier earns is taken back through the
//! refund's clawback (balance, then unused codes bought since that order was paid, then
//! a debt), as `tier_bonus_taken_back` steps of the refund naming the order in `code`.
//! What was taken already is subtracted, so a repeated refund takes nothing more. Runs
//! in the order pipeline's transaction, which holds the customer lock.

use comeback_core::date::Date;
use comeback_core::ledger::{EntryDetail, EntryKind};
use comeback_core::tier_bonus::{self, Earning, Recorded};
use comeback_core::tiers::{QualifyingEvent, TierBasis};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row;

use super::clawback::{self, Clawback};
use super::ledger::name_json;
use super::refunds;
use super::tiers::TierRules;
use super::{totals, Store, StoreError};

/// A paid order a multiplier raised: its id and when it was paid (Unix seconds).
struct Raised {
    order_id: String,
    paid_at: i64,
}

/// One recorded event of the timeline, with the order it raised, if any.
/// `names` are the ladder's names as stored in `reward_name`, by rank: they tell which
/// tier gave an order its multiplier.
fn recorded(row: &AnyRow, names: &[String]) -> Result<(Recorded, Option<Raised>), StoreError> {
    let base: Option<i64> = row.try_get("base_points")?;
    let earned: Option<i64> = row.try_get("earned")?;
    let processed_at: i64 = row.try_get("processed_at")?;
    let paid_by: Option<String> = row.try_get("reward_name")?;
    let tier = paid_by.and_then(|name| names.iter().position(|known| *known == name));
    let earning = base
        .zip(earned)
        .map(|(base, earned)| Earning { base, earned, tier });
    let raised = earning
        .map(|_| {
            Ok::<_, StoreError>(Raised {
                order_id: row.try_get("order_id")?,
                paid_at: processed_at,
            })
        })
        .transpose()?;
    Ok((
        Recorded {
            event: QualifyingEvent {
                on: Date::from_unix_seconds(row.try_get("happened_at")?),
                amount: row.try_get("amount")?,
            },
            processed_on: Date::from_unix_seconds(processed_at),
            earning,
            corrects: None,
        },
        raised,
    ))
}

/// The customer's qualifying events in the order they were recorded (see
/// `tiers::qualifying_events` for how they are dated), without the bonus already taken
/// back (the rule recomputes it), each paid order a multiplier raised with its points.
async fn timeline(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
    rules: &TierRules,
) -> Result<Vec<(Recorded, Option<Raised>)>, StoreError> {
    let names = rules
        .ladder
        .iter()
        .map(|tier| name_json(&tier.name))
        .collect::<Result<Vec<_>, _>>()?;
    let rows = match rules.basis {
        TierBasis::PointsEarned => {
            sqlx::query(
                "SELECT l.reference AS order_id, l.kind AS kind, l.lifetime AS amount, \
                        COALESCE(o.placed_at, o.created_at, l.created_at) AS happened_at, \
                        l.created_at AS processed_at, \
                        CASE WHEN l.kind = $3 THEN l.base_points END AS base_points, \
                        CASE WHEN l.kind = $3 THEN l.reward_name END AS reward_name, \
                        CASE WHEN l.kind = $3 AND l.base_points IS NOT NULL \
                             THEN l.lifetime END AS earned \
                 FROM ledger_entries l \
                 LEFT JOIN orders o ON o.shop_id = l.shop_id AND o.order_id = l.reference \
                      AND o.status = 'paid' AND l.kind IN ($3, $4) \
                 WHERE l.shop_id = $1 AND l.customer_id = $2 AND l.lifetime <> 0 \
                 AND (l.detail IS NULL OR l.detail <> $5) \
                 ORDER BY l.created_at, l.id",
            )
            .bind(shop_id)
            .bind(customer_id)
            .bind(EntryKind::OrderPaid.as_str())
            .bind(EntryKind::OrderRefunded.as_str())
            .bind(EntryDetail::TierBonusTakenBack.as_str())
            .fetch_all(&mut *connection)
            .await?
        }
        TierBasis::MoneySpent => {
            sqlx::query(
                "SELECT p.order_id AS order_id, $3 AS kind, \
                        p.total - CASE WHEN r.order_id IS NULL THEN 0 \
                                  ELSE COALESCE(r.refunded_amount, p.total) END AS amount, \
                        COALESCE(p.placed_at, p.created_at) AS happened_at, \
                        p.created_at AS processed_at, \
                        l.base_points AS base_points, l.reward_name AS reward_name, \
                        CASE WHEN l.base_points IS NOT NULL THEN l.lifetime END AS earned \
                 FROM orders p LEFT JOIN orders r ON r.shop_id = p.shop_id \
                      AND r.order_id = p.order_id AND r.status = 'refunded' \
                 LEFT JOIN ledger_entries l ON l.shop_id = p.shop_id \
                      AND l.customer_id = p.customer_id AND l.reference = p.order_id \
                      AND l.kind = $3 \
                 WHERE p.shop_id = $1 AND p.customer_id = $2 AND p.status = 'paid' \
                 ORDER BY p.created_at, l.id",
            )
            .bind(shop_id)
            .bind(customer_id)
            .bind(EntryKind::OrderPaid.as_str())
            .fetch_all(&mut *connection)
            .await?
        }
    };
    // A refund's entries correct its order's payment, once that was recorded.
    let mut paid_at_index = std::collections::BTreeMap::new();
    let mut timeline = Vec::with_capacity(rows.len());
    for row in &rows {
        let (mut event, raised) = recorded(row, &names)?;
        let kind: String = row.try_get("kind")?;
        let order_id: String = row.try_get("order_id")?;
        if kind == EntryKind::OrderPaid.as_str() {
            paid_at_index.insert(order_id, timeline.len());
        } else if kind == EntryKind::OrderRefunded.as_str() {
            event.corrects = paid_at_index.get(&order_id).copied();
        }
        timeline.push((event, raised));
    }
    Ok(timeline)
}

impl Store {
    /// After the refund of `refunded_order` (in its transaction, which holds the
    /// customer lock): takes back the multiplier bonus paid orders hold beyond what the
    /// recomputed tier history earns them (see the module header).
    pub(super) async fn take_back_tier_bonus(
        &self,
        connection: &mut AnyConnection,
        shop_id: &str,
        customer_id: &str,
        refunded_order: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let Some(rules) = self.tier_rules(shop_id) else {
            return Ok(());
        };
        let recorded = timeline(connection, shop_id, customer_id, &rules).await?;
        let events: Vec<Recorded> = recorded.iter().map(|(event, _)| *event).collect();
        let allowed =
            tier_bonus::allowed_earnings(&rules.ladder, rules.basis, rules.window, &events);
        for ((event, raised), allowed) in recorded.iter().zip(allowed) {
            let (Some(earning), Some(raised), Some(allowed)) = (event.earning, raised, allowed)
            else {
                continue;
            };
            if allowed >= earning.earned {
                continue;
            }
            let Some((_, _, total, _)) =
                refunds::paid_row(connection, shop_id, &raised.order_id).await?
            else {
                continue;
            };
            let refunded = refunds::refunded_so_far(connection, shop_id, &raised.order_id)
                .await?
                .unwrap_or(0);
            let taken =
                refunds::taken_back_so_far(connection, shop_id, customer_id, &raised.order_id)
                    .await?;
            let owed = tier_bonus::bonus_owed(earning.earned, allowed, refunded, total, taken);
            if owed == 0 {
                continue;
            }
            let (balance, _) = totals(connection, shop_id, customer_id).await?;
            let bonus = Clawback {
                shop_id,
                customer_id,
                order_id: refunded_order,
                owed,
                balance,
                paid_at: raised.paid_at,
                bonus_of: Some(&raised.order_id),
                now,
            };
            clawback::take_back(connection, &bonus).await?;
        }
        Ok(())
    }
}
