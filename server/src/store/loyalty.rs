//! The loyalty feature store: redemptions spending points for codes, manual
//! adjustments and earning actions (the summary is in `summary`). Built on the
//! ledger, idempotent writes, the outbox and the code issuer below it.

use comeback_core::api::{ActionAward, Adjustment, HistoryEntry, Redemption, RewardKind};
use comeback_core::date::Date;
use comeback_core::earning::{self, Award, EarnLimit, LimitReached};
use comeback_core::ledger::{self, EntryKind, Insufficient};
use comeback_core::LocalizedText;
use sqlx::AnyConnection;
use sqlx::Row;

use super::codes::{self, DiscountCode};
use super::events::Event;
use super::idempotency::{IdempotencySlot, Replayable};
use super::ledger::{append_entry, name_json, NewEntry};
use super::{lock_customer, totals, Store, StoreError};

/// Prefix that keeps adjustment keys apart from the customer's own redemption keys in
/// `idempotency_keys`. Clients' keys are visible ASCII without spaces, so no client key
/// can start with it.
const ADJUSTMENT_KEY_PREFIX: &str = "adjustment ";

/// Prefix that keeps action award keys apart from redemption and adjustment keys.
const ACTION_KEY_PREFIX: &str = "action ";

/// A reward as a redemption needs it (from the shop's programme).
#[derive(Debug, Clone)]
pub struct RewardSpec<'a> {
    /// Its id.
    pub id: &'a str,
    /// What it gives.
    pub kind: RewardKind,
    /// Its name, kept on the ledger entry.
    pub name: LocalizedText,
    /// Tiers whose members may redeem it; empty for everyone.
    pub tiers: &'a [String],
    /// With `tiers`: the last day of the restriction.
    pub early_access_until: Option<Date>,
}

/// An earning action as an award needs it (from the shop's programme).
#[derive(Debug, Clone)]
pub struct ActionRule<'a> {
    /// Its id, kept on the ledger entry.
    pub id: &'a str,
    /// Points per award.
    pub points: i64,
    /// Its limits.
    pub limit: EarnLimit,
    /// Its name, kept on the ledger entry.
    pub name: LocalizedText,
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
    pub reward: RewardSpec<'a>,
    /// Points to spend: the reward's cost, or the amount chosen for `points_at_checkout`
    /// (already checked against its steps and maximum).
    pub points: i64,
    /// What the code gives: the reward's value, or the minor units the chosen points
    /// take off.
    pub value: i64,
    /// The shop's currency.
    pub currency: &'a str,
    /// Prefix of the code issued.
    pub code_prefix: &'a str,
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
    pub action: ActionRule<'a>,
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

macro_rules! replayable {
    ($($outcome:ident),*) => {$(
        impl Replayable for $outcome {
            fn replayed(status: u16, body: String) -> Self {
                $outcome::Replayed { status, body }
            }
            fn key_reused() -> Self {
                $outcome::KeyReused
            }
        }
    )*};
}

replayable!(RedeemOutcome, AdjustOutcome, ActionOutcome);

impl Store {
    /// Spends points on a reward and issues a discount code, exactly once per
    /// idempotency key, if the tier the shopper holds may redeem it (checked after a
    /// replay, so a stored answer is always replayed). The customer lock serialises this with every other points change
    /// of the customer, so the balance check and the spend cannot interleave with another
    /// redemption; the answer is stored under the key in the same transaction.
    pub async fn redeem(&self, input: &RedeemInput<'_>) -> Result<RedeemOutcome, StoreError> {
        let slot = IdempotencySlot {
            shop_id: input.shop_id,
            customer_id: input.customer_id,
            key: input.idempotency_key,
            request_hash: input.request_hash,
        };
        let mut tx = match self.begin_idempotent(&slot, input.now).await? {
            Ok(tx) => tx,
            Err(previous) => return Ok(previous),
        };

        let held = self
            .evaluate_tier(&mut tx, input.shop_id, input.customer_id, input.now)
            .await?;
        let today = Date::from_unix_seconds(input.now);
        if !comeback_core::rewards::eligible(
            input.reward.tiers,
            input.reward.early_access_until,
            held.as_ref().map(|tier| tier.id.as_str()),
            today,
        ) {
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

        let code = codes::unique_code(&mut tx, input.shop_id, input.code_prefix).await?;
        let reward = &input.reward;
        let reward_name = name_json(&reward.name)?;
        append_entry(
            &mut tx,
            NewEntry {
                shop_id: input.shop_id,
                customer_id: input.customer_id,
                kind: EntryKind::Redeemed,
                movement,
                reference: reward.id,
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
            reward_id: reward.id.to_owned(),
            kind: reward.kind,
            value: input.value,
            points_spent: -movement.points,
            currency: input.currency.to_owned(),
            created_at: input.now,
            expires_at: input.expires_at,
            used_by_order: None,
            released_at: None,
            revoked_at: None,
        };
        codes::insert(&mut tx, input.shop_id, &issued).await?;

        let redemption = Redemption {
            code,
            reward_id: reward.id.to_owned(),
            kind: reward.kind,
            value: input.value,
            points_spent: -movement.points,
            balance: balance + movement.points,
            expires_at: input.expires_at,
        };
        let body = serde_json::to_string(&redemption)
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        slot.store(&mut tx, 201, &body, input.now).await?;
        let event = Event::RewardRedeemed {
            customer_id: input.customer_id,
            reward_id: &redemption.reward_id,
            code: &redemption.code,
            points_spent: redemption.points_spent,
            balance: redemption.balance,
        };
        self.record_event(&mut tx, input.shop_id, &event, input.now)
            .await?;
        tx.commit().await?;
        Ok(RedeemOutcome::Created(redemption))
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
            return Ok(previous.into_outcome());
        }

        let (balance, lifetime) = totals(&mut tx, input.shop_id, input.customer_id).await?;
        super::checked_add("balance", balance, input.points)?;
        super::checked_add("lifetime points", lifetime, input.points)?;
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
        let (after, _) = totals(&mut tx, input.shop_id, input.customer_id).await?;
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
            balance: after,
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
        let key = format!("{ACTION_KEY_PREFIX}{}", input.idempotency_key);
        let slot = IdempotencySlot {
            shop_id: input.shop_id,
            customer_id: input.customer_id,
            key: &key,
            request_hash: input.request_hash,
        };
        let mut tx = match self.begin_idempotent(&slot, input.now).await? {
            Ok(tx) => tx,
            Err(previous) => return Ok(previous),
        };

        let action = &input.action;
        let previous = action_awards(&mut tx, input.shop_id, input.customer_id, action.id).await?;
        let candidate = Award {
            on: Date::from_unix_seconds(input.now),
            points: action.points,
            reference: input.reference.to_owned(),
        };
        let granted = match earning::check(&action.limit, &previous, &candidate) {
            Ok(granted) => granted,
            Err(limit) => {
                tx.rollback().await?;
                return Ok(ActionOutcome::LimitReached(limit));
            }
        };
        let (balance, lifetime) = totals(&mut tx, input.shop_id, input.customer_id).await?;
        super::checked_add("balance", balance, granted)?;
        super::checked_add("lifetime points", lifetime, granted)?;
        let movement = ledger::earn(granted);
        let name = action.name.clone();
        let name_json = name_json(&name)?;
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
                    action_id: Some(action.id),
                    base_points: None,
                    created_at: input.now,
                },
            )
            .await?;
        let (after, _) = totals(&mut tx, input.shop_id, input.customer_id).await?;
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
            balance: after,
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
