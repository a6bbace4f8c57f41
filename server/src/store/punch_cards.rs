//! Punch cards: each customer's progress, recomputed from their paid orders with
//! `comeback_core::punch_card`, and the discount codes issued for full cards.
//!
//! When a paid order is recorded, every card is recomputed in the same transaction;
//! when a card counts more full cards (`rewards_earned`) than `punch_card_rewards` has
//! rows in force for it, a code for the card's reward is issued (no points spent) and a
//! row recorded per full card. A refund removes its order's stamp; when that leaves the
//! card short of rewards already issued, the newest unused codes of the card are
//! revoked (their rows no longer count, so a refilled card pays again), and a reward
//! whose code was used stays counted: a stamp debt that the next stamps pay before the
//! card can pay again.

use comeback_core::api::{OrderStatus, RewardKind};
use comeback_core::date::Date;
use comeback_core::punch_card::{self, PunchCardOrder, PunchCardProgress, PunchCardRule};
use sqlx::AnyConnection;
use sqlx::Row;

use super::clawback;
use super::codes::{self, DiscountCode};
use super::events::Event;
use super::orders::OrderInput;
use super::{Store, StoreError};

/// A card and the reward a full one gives, as the order webhook passes them.
#[derive(Debug, Clone)]
pub struct PunchCardSetup<'a> {
    /// The card's rule.
    pub rule: PunchCardRule,
    /// The id of the reward a full card gives.
    pub reward_id: &'a str,
    /// What that reward gives.
    pub reward_kind: RewardKind,
    /// Minor units or percent, as the reward's `value`.
    pub reward_value: i64,
}

/// The customer's paid orders as punch cards see them.
pub(super) async fn customer_orders(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
) -> Result<Vec<PunchCardOrder>, StoreError> {
    let rows = sqlx::query(
        "SELECT p.order_id, p.total - COALESCE(r.refunded_amount, 0) AS total, \
                CASE WHEN r.order_id IS NULL THEN p.product_ids \
                     ELSE COALESCE(r.product_ids, p.product_ids) END AS product_ids, \
                COALESCE(p.placed_at, p.created_at) AS placed_at, \
                CASE WHEN r.order_id IS NULL THEN 0 \
                     WHEN COALESCE(r.refunded_amount, p.total) >= p.total THEN 1 \
                     ELSE 0 END AS refunded \
         FROM orders p LEFT JOIN orders r ON r.shop_id = p.shop_id \
              AND r.order_id = p.order_id AND r.status = 'refunded' \
         WHERE p.shop_id = $1 AND p.customer_id = $2 AND p.status = 'paid'",
    )
    .bind(shop_id)
    .bind(customer_id)
    .fetch_all(&mut *connection)
    .await?;
    rows.iter()
        .map(|row| {
            let products: Option<String> = row.try_get("product_ids")?;
            let product_ids = products
                .map(|json| serde_json::from_str::<Vec<String>>(&json))
                .transpose()
                .map_err(|error| StoreError::Corrupt(format!("order products: {error}")))?
                .unwrap_or_default();
            let refunded: i64 = row.try_get("refunded")?;
            Ok(PunchCardOrder {
                order_id: row.try_get("order_id")?,
                placed_on: Date::from_unix_seconds(row.try_get("placed_at")?),
                total: row.try_get("total")?,
                product_ids,
                refunded: refunded != 0,
            })
        })
        .collect()
}

/// Rewards issued for a card to a customer and not revoked.
async fn issued(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
    card_id: &str,
) -> Result<u32, StoreError> {
    let row = sqlx::query(
        "SELECT CAST(COUNT(*) AS BIGINT) AS issued FROM punch_card_rewards \
         WHERE shop_id = $1 AND customer_id = $2 AND card_id = $3 AND revoked_at IS NULL",
    )
    .bind(shop_id)
    .bind(customer_id)
    .bind(card_id)
    .fetch_one(&mut *connection)
    .await?;
    let count: i64 = row.try_get("issued")?;
    u32::try_from(count).map_err(|_| StoreError::Corrupt(format!("{count} punch card rewards")))
}

/// The next `seq` of a card's rewards (revoked rows keep theirs).
async fn next_seq(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
    card_id: &str,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) AS last FROM punch_card_rewards \
         WHERE shop_id = $1 AND customer_id = $2 AND card_id = $3",
    )
    .bind(shop_id)
    .bind(customer_id)
    .bind(card_id)
    .fetch_one(&mut *connection)
    .await?;
    let last: i64 = row.try_get("last")?;
    Ok(last + 1)
}

/// Revokes up to `short` of the card's rewards whose codes are unused, newest first;
/// the rest stay counted (a stamp debt).
async fn revoke_unused_rewards(
    connection: &mut AnyConnection,
    order: &OrderInput<'_>,
    card_id: &str,
    short: u32,
) -> Result<(), StoreError> {
    let rows = sqlx::query(
        "SELECT r.seq, r.code FROM punch_card_rewards r JOIN discount_codes d \
              ON d.shop_id = r.shop_id AND d.code = r.code \
         WHERE r.shop_id = $1 AND r.customer_id = $2 AND r.card_id = $3 \
         AND r.revoked_at IS NULL AND d.used_by_order IS NULL AND d.released_at IS NULL \
         AND d.revoked_at IS NULL ORDER BY r.seq DESC",
    )
    .bind(order.shop_id)
    .bind(order.customer_id)
    .bind(card_id)
    .fetch_all(&mut *connection)
    .await?;
    let mut left = short;
    for row in &rows {
        if left == 0 {
            break;
        }
        let code: String = row.try_get("code")?;
        let seq: i64 = row.try_get("seq")?;
        if !clawback::revoke_code(connection, order.shop_id, &code, order.order_id, order.now)
            .await?
        {
            continue;
        }
        sqlx::query(
            "UPDATE punch_card_rewards SET revoked_at = $1 WHERE shop_id = $2 \
             AND customer_id = $3 AND card_id = $4 AND seq = $5",
        )
        .bind(order.now)
        .bind(order.shop_id)
        .bind(order.customer_id)
        .bind(card_id)
        .bind(seq)
        .execute(&mut *connection)
        .await?;
        left -= 1;
    }
    Ok(())
}

impl Store {
    /// After a refund (in its transaction): revokes the unused codes of rewards the
    /// customer's cards no longer earn.
    pub(super) async fn unstamp_punch_cards(
        &self,
        connection: &mut AnyConnection,
        order: &OrderInput<'_>,
    ) -> Result<(), StoreError> {
        if order.status != OrderStatus::Refunded || order.punch_cards.is_empty() {
            return Ok(());
        }
        let orders = customer_orders(connection, order.shop_id, order.customer_id).await?;
        let today = Date::from_unix_seconds(order.now);
        for card in &order.punch_cards {
            let progress = punch_card::progress(&card.rule, &orders, today);
            let issued =
                issued(connection, order.shop_id, order.customer_id, &card.rule.id).await?;
            let short = issued.saturating_sub(progress.rewards_earned);
            if short > 0 {
                revoke_unused_rewards(connection, order, &card.rule.id, short).await?;
            }
        }
        Ok(())
    }

    /// Recomputes the customer's cards after a paid order (in the order's transaction)
    /// and issues a code for every full card not rewarded yet, with
    /// `punch_card.completed` for shops that receive it.
    pub(super) async fn stamp_punch_cards(
        &self,
        connection: &mut AnyConnection,
        order: &OrderInput<'_>,
    ) -> Result<(), StoreError> {
        if order.status != OrderStatus::Paid || order.punch_cards.is_empty() {
            return Ok(());
        }
        let orders = customer_orders(connection, order.shop_id, order.customer_id).await?;
        let today = Date::from_unix_seconds(order.now);
        for card in &order.punch_cards {
            let progress = punch_card::progress(&card.rule, &orders, today);
            let already =
                issued(connection, order.shop_id, order.customer_id, &card.rule.id).await?;
            for count in already + 1..=progress.rewards_earned {
                let seq =
                    next_seq(connection, order.shop_id, order.customer_id, &card.rule.id).await?;
                let code = codes::unique_code(connection, order.shop_id, order.code_prefix).await?;
                let issued_code = DiscountCode {
                    code: code.clone(),
                    customer_id: order.customer_id.to_owned(),
                    reward_id: card.reward_id.to_owned(),
                    kind: card.reward_kind,
                    value: card.reward_value,
                    points_spent: 0,
                    currency: order.currency.to_owned(),
                    created_at: order.now,
                    expires_at: order.code_expires_at,
                    used_by_order: None,
                    released_at: None,
                    revoked_at: None,
                };
                codes::insert(connection, order.shop_id, &issued_code).await?;
                sqlx::query(
                    "INSERT INTO punch_card_rewards \
                     (shop_id, customer_id, card_id, seq, code, order_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(order.shop_id)
                .bind(order.customer_id)
                .bind(&card.rule.id)
                .bind(seq)
                .bind(&code)
                .bind(order.order_id)
                .bind(order.now)
                .execute(&mut *connection)
                .await?;
                let event = Event::PunchCardCompleted {
                    customer_id: order.customer_id,
                    card_id: &card.rule.id,
                    reward_id: card.reward_id,
                    code: &code,
                    order_id: order.order_id,
                    rewards_earned: count,
                };
                self.record_event(connection, order.shop_id, &event, order.now)
                    .await?;
            }
        }
        Ok(())
    }

    /// The customer's progress on each card of `rules` as of `now`, by card id.
    pub async fn punch_card_progress(
        &self,
        shop_id: &str,
        customer_id: &str,
        rules: &[PunchCardRule],
        now: i64,
    ) -> Result<Vec<(String, PunchCardProgress)>, StoreError> {
        if rules.is_empty() {
            return Ok(Vec::new());
        }
        let mut connection = self.pool.acquire().await?;
        let orders = customer_orders(&mut connection, shop_id, customer_id).await?;
        let today = Date::from_unix_seconds(now);
        Ok(rules
            .iter()
            .map(|rule| (rule.id.clone(), punch_card::progress(rule, &orders, today)))
            .collect())
    }
}
