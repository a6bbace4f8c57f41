//! The points ledger: orders earning and refunding points, redemptions spending them,
//! and the summary the loyalty widget shows.

use comeback_core::api::{ActionAward, Adjustment, HistoryEntry, OrderStatus, Redemption};
use comeback_core::date::Date;
use comeback_core::earning::{self, Award, LimitReached};
use comeback_core::ledger::{self, EntryKind, Insufficient, Movement};
use comeback_core::LocalizedText;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row;

use super::codes::{self, DiscountCode};
use super::expiry;
use super::outbox;
use super::punch_cards::PunchCardSetup;
use super::{lock_customer, totals, Store, StoreError};
use crate::config::{ActionConfig, RewardConfig};

/// Ledger entries returned in a summary, newest first.
pub const HISTORY_LIMIT: i64 = 20;

/// Ledger entries returned in the shop's view of a customer, newest first.
pub const ADMIN_HISTORY_LIMIT: i64 = 100;

/// Discount codes returned in a summary, newest first.
const CODES_LIMIT: i64 = 50;

/// Prefix that keeps adjustment keys apart from the customer's own redemption keys in
/// `idempotency_keys`. Clients' keys are visible ASCII without spaces, so no client key
/// can start with it.
const ADJUSTMENT_KEY_PREFIX: &str = "adjustment ";

/// Prefix that keeps action award keys apart from redemption and adjustment keys.
const ACTION_KEY_PREFIX: &str = "action ";

/// An order webhook, checked and with its points worked out.
#[derive(Debug, Clone)]
pub struct OrderInput<'a> {
    /// The shop.
    pub shop_id: &'a str,
    /// The shop's order id.
    pub order_id: &'a str,
    /// The shop's customer id.
    pub customer_id: &'a str,
    /// Paid or refunded.
    pub status: OrderStatus,
    /// Order total, minor units.
    pub total: i64,
    /// The order's currency (already checked against the shop's).
    pub currency: &'a str,
    /// Points a paid order earns before any tier perk
    /// (`comeback_core::money::points_for_order`).
    pub earned: i64,
    /// When the order was placed (the webhook's `created_at`, else `now`), Unix
    /// seconds; stored no later than `now`.
    pub placed_at: i64,
    /// The products of the order's lines.
    pub product_ids: Vec<String>,
    /// The shop's punch cards, stamped by a paid order.
    pub punch_cards: Vec<PunchCardSetup<'a>>,
    /// Prefix of the codes full punch cards issue.
    pub code_prefix: &'a str,
    /// When such a code expires, Unix seconds.
    pub code_expires_at: i64,
    /// When this happened, Unix seconds.
    pub now: i64,
}

/// What recording an order did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderOutcome {
    /// Recorded (or recognised as a repeat).
    Recorded {
        /// Points moved by this delivery (0 for a repeat).
        points: i64,
        /// The balance afterwards.
        balance: i64,
        /// True when this order and status were seen before.
        duplicate: bool,
    },
    /// A refund names a different customer than the payment it refunds.
    CustomerMismatch,
}

/// A redemption request, checked.
#[derive(Debug, Clone)]
pub struct RedeemInput<'a> {
    /// The shop.
    pub shop_id: &'a str,
    /// The customer, from the verified token.
    pub customer_id: &'a str,
    /// The client's `Idempotency-Key`.
    pub idempotency_key: &'a str,
    /// Hash of the request, to tell a replay from a reused key.
    pub request_hash: &'a str,
    /// The reward.
    pub reward: &'a RewardConfig,
    /// Points to spend: the reward's cost, or the amount chosen for `points_at_checkout`
    /// (already checked against its steps and maximum).
    pub points: i64,
    /// What the code gives: the reward's value, or the minor units the chosen points
    /// take off.
    pub value: i64,
    /// The shop's currency.
    pub currency: &'a str,
    /// Now, Unix seconds.
    pub now: i64,
    /// When the code will expire, Unix seconds.
    pub expires_at: i64,
}

/// What a redemption did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedeemOutcome {
    /// Points spent and a code issued; the answer is stored under the key.
    Created(Redemption),
    /// The key was used before with the same request: the stored answer.
    Replayed {
        /// The stored status.
        status: u16,
        /// The stored JSON body.
        body: String,
    },
    /// The key was used before with a different request.
    KeyReused,
    /// The balance does not cover the reward.
    Insufficient(Insufficient),
    /// The shopper's tier may not redeem the reward (yet).
    NotEligible,
}

/// The numbers and lists behind `GET /loyalty/me`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerSummary {
    /// Spendable points.
    pub balance: i64,
    /// Lifetime points (decides the tier).
    pub lifetime: i64,
    /// Latest entries, newest first.
    pub history: Vec<HistoryEntry>,
    /// Usable codes, newest first.
    pub codes: Vec<DiscountCode>,
    /// The next date after today on which points expire, and how many; `None` when the
    /// shop lets points live forever or none are left to expire.
    pub next_expiry: Option<(Date, i64)>,
}

/// A manual adjustment by the shop, checked.
#[derive(Debug, Clone)]
pub struct AdjustInput<'a> {
    /// The shop.
    pub shop_id: &'a str,
    /// The customer.
    pub customer_id: &'a str,
    /// The shop backend's `Idempotency-Key`.
    pub idempotency_key: &'a str,
    /// Hash of the request, to tell a replay from a reused key.
    pub request_hash: &'a str,
    /// Points to add or (negative) take away; not zero.
    pub points: i64,
    /// Why, shown to the shopper; stored as the entry's reference.
    pub reason: &'a str,
    /// Now, Unix seconds.
    pub now: i64,
}

/// What an adjustment did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdjustOutcome {
    /// Entry appended; the answer is stored under the key.
    Created(Adjustment),
    /// The key was used before with the same request: the stored answer.
    Replayed {
        /// The stored status.
        status: u16,
        /// The stored JSON body.
        body: String,
    },
    /// The key was used before with a different request.
    KeyReused,
    /// A negative adjustment larger than the balance (or for an unknown customer).
    Insufficient(Insufficient),
}

/// An earning action the shop's backend reports, checked.
#[derive(Debug, Clone)]
pub struct ActionInput<'a> {
    /// The shop.
    pub shop_id: &'a str,
    /// The customer.
    pub customer_id: &'a str,
    /// The shop backend's `Idempotency-Key`.
    pub idempotency_key: &'a str,
    /// Hash of the request, to tell a replay from a reused key.
    pub request_hash: &'a str,
    /// The configured action.
    pub action: &'a ActionConfig,
    /// What the award is for; stored as the entry's reference.
    pub reference: &'a str,
    /// Now, Unix seconds.
    pub now: i64,
}

/// What an action award did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionOutcome {
    /// Entry appended; the answer is stored under the key.
    Created(ActionAward),
    /// The key was used before with the same request: the stored answer.
    Replayed {
        /// The stored status.
        status: u16,
        /// The stored JSON body.
        body: String,
    },
    /// The key was used before with a different request.
    KeyReused,
    /// One of the action's limits refuses the award.
    LimitReached(LimitReached),
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

/// Where a mutating request's answer is kept: one key of one customer, with the hash
/// of the request that first used it.
struct IdempotencySlot<'a> {
    shop_id: &'a str,
    customer_id: &'a str,
    key: &'a str,
    request_hash: &'a str,
}

/// What an idempotency key already holds.
enum StoredAnswer {
    /// The same request: replay this status and JSON body.
    Same { status: u16, body: String },
    /// Another request used the key.
    Different,
}

impl IdempotencySlot<'_> {
    /// The answer stored under the key, if any.
    async fn stored(
        &self,
        connection: &mut AnyConnection,
    ) -> Result<Option<StoredAnswer>, StoreError> {
        let row = sqlx::query(
            "SELECT request_hash, status_code, response_body FROM idempotency_keys \
             WHERE shop_id = $1 AND customer_id = $2 AND key = $3",
        )
        .bind(self.shop_id)
        .bind(self.customer_id)
        .bind(self.key)
        .fetch_optional(&mut *connection)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let hash: String = row.try_get("request_hash")?;
        if hash != self.request_hash {
            return Ok(Some(StoredAnswer::Different));
        }
        let status: i64 = row.try_get("status_code")?;
        Ok(Some(StoredAnswer::Same {
            status: u16::try_from(status)
                .map_err(|_| StoreError::Corrupt(format!("status code {status}")))?,
            body: row.try_get("response_body")?,
        }))
    }

    /// Stores the answer to replay for repeats (in the transaction of the change).
    async fn store(
        &self,
        connection: &mut AnyConnection,
        status: i64,
        body: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO idempotency_keys \
             (shop_id, customer_id, key, request_hash, status_code, response_body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(self.shop_id)
        .bind(self.customer_id)
        .bind(self.key)
        .bind(self.request_hash)
        .bind(status)
        .bind(body)
        .bind(now)
        .execute(&mut *connection)
        .await?;
        Ok(())
    }
}

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

/// Appends an entry and returns its id.
pub(super) async fn append_entry(
    connection: &mut AnyConnection,
    entry: NewEntry<'_>,
) -> Result<String, StoreError> {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO ledger_entries \
         (id, shop_id, customer_id, kind, points, lifetime, reference, reward_name, forgiven, action_id, base_points, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&id)
    .bind(entry.shop_id)
    .bind(entry.customer_id)
    .bind(entry.kind.as_str())
    .bind(entry.movement.points)
    .bind(entry.movement.lifetime)
    .bind(entry.reference)
    .bind(entry.reward_name)
    .bind(entry.forgiven)
    .bind(entry.action_id)
    .bind(entry.base_points)
    .bind(entry.created_at)
    .execute(&mut *connection)
    .await?;
    Ok(id)
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

/// Inserts the order row unless this order already has this status; true if inserted.
async fn claim_order(
    connection: &mut AnyConnection,
    order: &OrderInput<'_>,
    status: &str,
    points: i64,
) -> Result<bool, StoreError> {
    let products = serde_json::to_string(&order.product_ids)
        .map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let result = sqlx::query(
        "INSERT INTO orders (shop_id, order_id, status, customer_id, total, currency, points, created_at, placed_at, product_ids) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (shop_id, order_id, status) DO NOTHING",
    )
    .bind(order.shop_id)
    .bind(order.order_id)
    .bind(status)
    .bind(order.customer_id)
    .bind(order.total)
    .bind(order.currency)
    .bind(points)
    .bind(order.now)
    .bind(order.placed_at.min(order.now))
    .bind(products)
    .execute(&mut *connection)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// The stored row of an order with a status: (customer, points).
async fn find_order(
    connection: &mut AnyConnection,
    shop_id: &str,
    order_id: &str,
    status: &str,
) -> Result<Option<(String, i64)>, StoreError> {
    let row = sqlx::query(
        "SELECT customer_id, points FROM orders \
         WHERE shop_id = $1 AND order_id = $2 AND status = $3",
    )
    .bind(shop_id)
    .bind(order_id)
    .bind(status)
    .fetch_optional(&mut *connection)
    .await?;
    row.map(|row| Ok((row.try_get("customer_id")?, row.try_get("points")?)))
        .transpose()
}

const PAID: &str = "paid";
const REFUNDED: &str = "refunded";

impl Store {
    /// Records an order webhook: a payment earns points once (multiplied by the perk of
    /// the tier held when it is processed); a refund takes them back once (forgiving
    /// what was already spent); a refund that arrives before its payment is recorded
    /// with no points so the late payment earns nothing. The tier is re-evaluated
    /// before and after, and a payment stamps the punch cards (issuing the codes of
    /// full ones), in the same transaction.
    pub async fn record_order(&self, order: &OrderInput<'_>) -> Result<OrderOutcome, StoreError> {
        let mut tx = self.begin_write().await?;
        lock_customer(&mut tx, order.shop_id, order.customer_id, order.now).await?;
        let held = self
            .evaluate_tier(&mut tx, order.shop_id, order.customer_id, order.now)
            .await?;
        let (balance, _) = totals(&mut tx, order.shop_id, order.customer_id).await?;
        // What this delivery would change: the ledger kind, the movement, (for a refund)
        // the points already spent that are forgiven, and (for a payment a tier perk
        // multiplied) the points before the perk and the tier's name.
        let (status, kind, movement, forgiven, perk) = match order.status {
            OrderStatus::Paid => {
                let refunded_first =
                    find_order(&mut tx, order.shop_id, order.order_id, REFUNDED).await?;
                let base = if refunded_first.is_some() {
                    0
                } else {
                    order.earned
                };
                let earned = held.as_ref().map_or(base, |tier| tier.perks.multiply(base));
                let perk = held
                    .as_ref()
                    .filter(|_| earned != base)
                    .map(|tier| (base, tier));
                (PAID, EntryKind::OrderPaid, ledger::earn(earned), 0, perk)
            }
            OrderStatus::Refunded => {
                let paid = find_order(&mut tx, order.shop_id, order.order_id, PAID).await?;
                if matches!(&paid, Some((customer, _)) if customer != order.customer_id) {
                    tx.commit().await?;
                    return Ok(OrderOutcome::CustomerMismatch);
                }
                let earned = paid.map_or(0, |(_, points)| points);
                let (movement, forgiven) = ledger::refund(earned, balance);
                (REFUNDED, EntryKind::OrderRefunded, movement, forgiven, None)
            }
        };
        let outcome = if claim_order(&mut tx, order, status, movement.points).await? {
            if movement.points != 0 || movement.lifetime != 0 {
                let reward_name = perk.map(|(_, tier)| name_json(&tier.name)).transpose()?;
                append_entry(
                    &mut tx,
                    NewEntry {
                        shop_id: order.shop_id,
                        customer_id: order.customer_id,
                        kind,
                        movement,
                        reference: order.order_id,
                        reward_name,
                        forgiven,
                        action_id: None,
                        base_points: perk.map(|(base, _)| base),
                        created_at: order.now,
                    },
                )
                .await?;
            }
            self.evaluate_tier(&mut tx, order.shop_id, order.customer_id, order.now)
                .await?;
            self.stamp_punch_cards(&mut tx, order).await?;
            OrderOutcome::Recorded {
                points: movement.points,
                balance: balance + movement.points,
                duplicate: false,
            }
        } else {
            OrderOutcome::Recorded {
                points: 0,
                balance,
                duplicate: true,
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    /// Spends points on a reward and issues a discount code, exactly once per
    /// idempotency key, if the tier the shopper holds may redeem it (checked after a
    /// replay, so a stored answer is always replayed). The customer lock serialises this with every other points change
    /// of the customer, so the balance check and the spend cannot interleave with another
    /// redemption; the answer is stored under the key in the same transaction.
    pub async fn redeem(
        &self,
        input: &RedeemInput<'_>,
        mut new_code: impl FnMut() -> String,
    ) -> Result<RedeemOutcome, StoreError> {
        let mut tx = self.begin_write().await?;
        lock_customer(&mut tx, input.shop_id, input.customer_id, input.now).await?;

        let slot = IdempotencySlot {
            shop_id: input.shop_id,
            customer_id: input.customer_id,
            key: input.idempotency_key,
            request_hash: input.request_hash,
        };
        if let Some(previous) = slot.stored(&mut tx).await? {
            tx.rollback().await?;
            return Ok(match previous {
                StoredAnswer::Same { status, body } => RedeemOutcome::Replayed { status, body },
                StoredAnswer::Different => RedeemOutcome::KeyReused,
            });
        }

        let held = self
            .evaluate_tier(&mut tx, input.shop_id, input.customer_id, input.now)
            .await?;
        let today = Date::from_unix_seconds(input.now);
        if !input
            .reward
            .eligible(held.as_ref().map(|tier| tier.id.as_str()), today)
        {
            tx.rollback().await?;
            return Ok(RedeemOutcome::NotEligible);
        }
        let (balance, _) = totals(&mut tx, input.shop_id, input.customer_id).await?;
        let movement = match ledger::spend(balance, input.points) {
            Ok(movement) => movement,
            Err(insufficient) => {
                tx.rollback().await?;
                return Ok(RedeemOutcome::Insufficient(insufficient));
            }
        };

        let code = loop {
            let candidate = new_code();
            if !codes::exists(&mut tx, input.shop_id, &candidate).await? {
                break candidate;
            }
        };
        let reward = input.reward;
        let reward_name = serde_json::to_string(&LocalizedText::from(&reward.name))
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        append_entry(
            &mut tx,
            NewEntry {
                shop_id: input.shop_id,
                customer_id: input.customer_id,
                kind: EntryKind::Redeemed,
                movement,
                reference: &reward.id,
                reward_name: Some(reward_name),
                forgiven: 0,
                action_id: None,
                base_points: None,
                created_at: input.now,
            },
        )
        .await?;
        let issued = DiscountCode {
            code: code.clone(),
            customer_id: input.customer_id.to_owned(),
            reward_id: reward.id.clone(),
            kind: reward.kind,
            value: input.value,
            points_spent: -movement.points,
            currency: input.currency.to_owned(),
            created_at: input.now,
            expires_at: input.expires_at,
            used_by_order: None,
            released_at: None,
        };
        codes::insert(&mut tx, input.shop_id, &issued).await?;

        let redemption = Redemption {
            code,
            reward_id: reward.id.clone(),
            kind: reward.kind,
            value: input.value,
            points_spent: -movement.points,
            balance: balance + movement.points,
            expires_at: input.expires_at,
        };
        let body = serde_json::to_string(&redemption)
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        slot.store(&mut tx, 201, &body, input.now).await?;
        if self.sends(input.shop_id, outbox::REWARD_REDEEMED) {
            let payload = serde_json::json!({
                "customer_id": input.customer_id,
                "reward_id": redemption.reward_id,
                "code": redemption.code,
                "points_spent": redemption.points_spent,
                "balance": redemption.balance,
            });
            outbox::insert(
                &mut tx,
                input.shop_id,
                outbox::REWARD_REDEEMED,
                None,
                &payload,
                input.now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(RedeemOutcome::Created(redemption))
    }

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

    /// Adds or takes away points by hand, exactly once per idempotency key. Runs under
    /// the customer lock like every points change, so a negative adjustment cannot race
    /// a redemption below zero. A positive adjustment creates the customer if needed; a
    /// negative one for a customer never seen is refused (their balance is zero) and
    /// creates nothing.
    pub async fn adjust(&self, input: &AdjustInput<'_>) -> Result<AdjustOutcome, StoreError> {
        let mut tx = self.begin_write().await?;
        if input.points < 0 {
            let known = sqlx::query(
                "SELECT 1 AS found FROM customers WHERE shop_id = $1 AND customer_id = $2",
            )
            .bind(input.shop_id)
            .bind(input.customer_id)
            .fetch_optional(&mut *tx)
            .await?;
            if known.is_none() {
                tx.rollback().await?;
                return Ok(AdjustOutcome::Insufficient(Insufficient {
                    balance: 0,
                    needed: -input.points,
                }));
            }
        }
        lock_customer(&mut tx, input.shop_id, input.customer_id, input.now).await?;

        let key = format!("{ADJUSTMENT_KEY_PREFIX}{}", input.idempotency_key);
        let slot = IdempotencySlot {
            shop_id: input.shop_id,
            customer_id: input.customer_id,
            key: &key,
            request_hash: input.request_hash,
        };
        if let Some(previous) = slot.stored(&mut tx).await? {
            tx.rollback().await?;
            return Ok(match previous {
                StoredAnswer::Same { status, body } => AdjustOutcome::Replayed { status, body },
                StoredAnswer::Different => AdjustOutcome::KeyReused,
            });
        }

        let (balance, _) = totals(&mut tx, input.shop_id, input.customer_id).await?;
        let movement = match ledger::adjust(balance, input.points) {
            Ok(movement) => movement,
            Err(insufficient) => {
                tx.rollback().await?;
                return Ok(AdjustOutcome::Insufficient(insufficient));
            }
        };
        let id = self
            .append_earning(
                &mut tx,
                NewEntry {
                    shop_id: input.shop_id,
                    customer_id: input.customer_id,
                    kind: EntryKind::Adjusted,
                    movement,
                    reference: input.reason,
                    reward_name: None,
                    forgiven: 0,
                    action_id: None,
                    base_points: None,
                    created_at: input.now,
                },
            )
            .await?;
        let adjustment = Adjustment {
            entry: HistoryEntry {
                id,
                kind: EntryKind::Adjusted,
                points: movement.points,
                reference: input.reason.to_owned(),
                reward_name: None,
                forgiven: 0,
                created_at: input.now,
            },
            balance: balance + movement.points,
        };
        let body = serde_json::to_string(&adjustment)
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        slot.store(&mut tx, 201, &body, input.now).await?;
        tx.commit().await?;
        Ok(AdjustOutcome::Created(adjustment))
    }

    /// Awards an earning action exactly once per idempotency key, within the action's
    /// limits: under the customer lock (created if missing) it reads this customer's
    /// earlier awards of the action, lets `comeback_core::earning::check` grant the
    /// points (trimmed by a daily cap) or refuse, and appends an `action` entry named
    /// after the action. Refusals change nothing and are not stored under the key.
    pub async fn award_action(&self, input: &ActionInput<'_>) -> Result<ActionOutcome, StoreError> {
        let mut tx = self.begin_write().await?;
        lock_customer(&mut tx, input.shop_id, input.customer_id, input.now).await?;

        let key = format!("{ACTION_KEY_PREFIX}{}", input.idempotency_key);
        let slot = IdempotencySlot {
            shop_id: input.shop_id,
            customer_id: input.customer_id,
            key: &key,
            request_hash: input.request_hash,
        };
        if let Some(previous) = slot.stored(&mut tx).await? {
            tx.rollback().await?;
            return Ok(match previous {
                StoredAnswer::Same { status, body } => ActionOutcome::Replayed { status, body },
                StoredAnswer::Different => ActionOutcome::KeyReused,
            });
        }

        let action = input.action;
        let previous = action_awards(&mut tx, input.shop_id, input.customer_id, &action.id).await?;
        let candidate = Award {
            on: Date::from_unix_seconds(input.now),
            points: action.points,
            reference: input.reference.to_owned(),
        };
        let granted = match earning::check(&action.limit(), &previous, &candidate) {
            Ok(granted) => granted,
            Err(limit) => {
                tx.rollback().await?;
                return Ok(ActionOutcome::LimitReached(limit));
            }
        };
        let (balance, _) = totals(&mut tx, input.shop_id, input.customer_id).await?;
        let movement = ledger::earn(granted);
        let name = LocalizedText::from(&action.name);
        let name_json =
            serde_json::to_string(&name).map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let id = self
            .append_earning(
                &mut tx,
                NewEntry {
                    shop_id: input.shop_id,
                    customer_id: input.customer_id,
                    kind: EntryKind::Action,
                    movement,
                    reference: input.reference,
                    reward_name: Some(name_json),
                    forgiven: 0,
                    action_id: Some(&action.id),
                    base_points: None,
                    created_at: input.now,
                },
            )
            .await?;
        let award = ActionAward {
            entry: HistoryEntry {
                id,
                kind: EntryKind::Action,
                points: movement.points,
                reference: input.reference.to_owned(),
                reward_name: Some(name),
                forgiven: 0,
                created_at: input.now,
            },
            balance: balance + movement.points,
        };
        let body = serde_json::to_string(&award)
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        slot.store(&mut tx, 201, &body, input.now).await?;
        tx.commit().await?;
        Ok(ActionOutcome::Created(award))
    }
}

/// A customer's earlier awards of one action, as `comeback_core::earning` takes them.
async fn action_awards(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
    action_id: &str,
) -> Result<Vec<Award>, StoreError> {
    let rows = sqlx::query(
        "SELECT points, reference, created_at FROM ledger_entries \
         WHERE shop_id = $1 AND customer_id = $2 AND action_id = $3 AND kind = $4",
    )
    .bind(shop_id)
    .bind(customer_id)
    .bind(action_id)
    .bind(EntryKind::Action.as_str())
    .fetch_all(&mut *connection)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Award {
                on: Date::from_unix_seconds(row.try_get("created_at")?),
                points: row.try_get("points")?,
                reference: row.try_get("reference")?,
            })
        })
        .collect()
}

/// Whose summary to read, and how much of it.
struct SummaryOf<'a> {
    shop_id: &'a str,
    customer_id: &'a str,
    expire_after_days: Option<i64>,
    now: i64,
    history_limit: i64,
}

/// Balance, lifetime points, the latest `history_limit` entries, usable codes and the
/// next expiry.
async fn summary(
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
        "SELECT id, kind, points, reference, reward_name, forgiven, created_at \
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
        history,
        codes,
        next_expiry,
    })
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
