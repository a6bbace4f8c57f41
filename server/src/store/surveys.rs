//! Survey storage: each version's published structure (recorded once, never changed),
//! the responses (stored once per `Idempotency-Key`, with the reward paid on the ledger
//! once per scope and `survey.response` written in the same transaction), the shown
//! and dismissed contacts, and a customer's history the recontact rules read.

use comeback_core::date::Date;
use comeback_core::ledger::{self, EntryKind};
use comeback_core::survey::{
    Answers, Contact, Outcome, ResponseContext, RewardOutcome, SurveyReceipt,
};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::events::Event;
use super::idempotency::{IdempotencySlot, Replayable};
use super::ledger::NewEntry;
use super::{Store, StoreError};

/// A response's answers to the version's first NPS, CSAT and effort questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Scores {
    /// 0–10.
    pub nps: Option<i64>,
    /// 1–5.
    pub csat: Option<i64>,
    /// 1–7.
    pub effort: Option<i64>,
}

/// A response, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyAnswer {
    /// UUID v7.
    pub id: String,
    /// The survey.
    pub survey_id: String,
    /// The version answered.
    pub version: u32,
    /// The signed-in customer, from the token.
    pub customer_id: Option<String>,
    /// The answers kept (validated, blanks left out).
    pub answers: Answers,
    /// What the page knew (products filled in from the order when known).
    pub context: ResponseContext,
    /// Unix seconds the shopper answered at.
    pub answered_at: i64,
    /// The scores of the answers.
    pub scores: Scores,
    /// What the reward did.
    pub reward: RewardOutcome,
    /// Points awarded by it.
    pub points: i64,
}

impl SurveyAnswer {
    /// The receipt the shopper gets.
    pub fn receipt(&self) -> SurveyReceipt {
        SurveyReceipt {
            id: self.id.clone(),
            reward: self.reward,
            points: self.points,
        }
    }
}

/// The reward a response may earn.
#[derive(Debug, Clone, Copy)]
pub struct SurveyReward {
    /// Points.
    pub points: i64,
    /// Once per order (the response's order, the customer's own) instead of once per
    /// customer.
    pub per_order: bool,
}

/// A response to store.
#[derive(Debug)]
pub struct NewResponse<'a> {
    /// The shop.
    pub shop_id: &'a str,
    /// The survey.
    pub survey_id: &'a str,
    /// The version answered.
    pub version: u32,
    /// The signed-in customer, from the token.
    pub customer_id: Option<&'a str>,
    /// The validated answers.
    pub answers: &'a Answers,
    /// The checked context.
    pub context: &'a ResponseContext,
    /// Unix seconds the shopper answered at.
    pub answered_at: i64,
    /// The Monday of its week in the shop's time zone.
    pub week: Date,
    /// The scores of the answers.
    pub scores: Scores,
    /// The reward configured, if any.
    pub reward: Option<SurveyReward>,
    /// The request's `Idempotency-Key`.
    pub idempotency_key: &'a str,
    /// Hash of the survey id and request body.
    pub request_hash: &'a str,
    /// Now, Unix seconds.
    pub now: i64,
}

/// What storing a response did.
#[derive(Debug)]
pub enum ResponseOutcome {
    /// Stored, with its reward and event.
    Created(Box<SurveyAnswer>),
    /// The key was used before for the same request: its answer again.
    Replayed {
        /// The status first answered.
        status: u16,
        /// The body first answered.
        body: String,
    },
    /// The key was used before for another request.
    KeyReused,
}

impl Replayable for ResponseOutcome {
    fn replayed(status: u16, body: String) -> Self {
        ResponseOutcome::Replayed { status, body }
    }
    fn key_reused() -> Self {
        ResponseOutcome::KeyReused
    }
}

/// What publishing a version found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Published {
    /// Recorded now, or recorded before with the same structure.
    Current,
    /// Recorded before with another structure.
    Changed,
    /// A higher version was recorded before.
    Older {
        /// The highest version recorded.
        highest: u32,
    },
}

/// A contact to record.
#[derive(Debug)]
pub struct NewContact<'a> {
    /// The shop.
    pub shop_id: &'a str,
    /// The signed-in customer, from the token.
    pub customer_id: Option<&'a str>,
    /// The request's `Idempotency-Key`: a repeat counts once.
    pub idempotency_key: &'a str,
    /// The survey.
    pub survey_id: &'a str,
    /// The version shown.
    pub version: u32,
    /// The order it was about.
    pub order_id: Option<&'a str>,
    /// `shown` or `dismissed`.
    pub outcome: Outcome,
    /// Now, Unix seconds.
    pub at: i64,
}

fn json_text<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|error| StoreError::Corrupt(error.to_string()))
}

fn version_of(value: i64) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| StoreError::Corrupt(format!("survey version {value}")))
}

/// The wire name of a reward outcome, as stored and exported.
pub fn reward_name(reward: RewardOutcome) -> &'static str {
    match reward {
        RewardOutcome::None => "none",
        RewardOutcome::Awarded => "awarded",
        RewardOutcome::AlreadyAwarded => "already_awarded",
        RewardOutcome::NotEligible => "not_eligible",
    }
}

/// A stored response row read back.
pub(super) fn answer_from(row: &sqlx::any::AnyRow) -> Result<SurveyAnswer, StoreError> {
    let answers: String = row.try_get("answers")?;
    let context: String = row.try_get("context")?;
    let reward: String = row.try_get("reward")?;
    let corrupt = |what: &str, error: serde_json::Error| {
        StoreError::Corrupt(format!("survey response {what}: {error}"))
    };
    Ok(SurveyAnswer {
        id: row.try_get("id")?,
        survey_id: row.try_get("survey_id")?,
        version: version_of(row.try_get("version")?)?,
        customer_id: row.try_get("customer_id")?,
        answers: serde_json::from_str(&answers).map_err(|e| corrupt("answers", e))?,
        context: serde_json::from_str(&context).map_err(|e| corrupt("context", e))?,
        answered_at: row.try_get("answered_at")?,
        scores: Scores {
            nps: row.try_get("nps")?,
            csat: row.try_get("csat")?,
            effort: row.try_get("effort")?,
        },
        reward: serde_json::from_value(serde_json::Value::String(reward))
            .map_err(|e| corrupt("reward", e))?,
        points: row.try_get("points")?,
    })
}

/// The columns [`answer_from`] reads.
pub(super) const ANSWER_COLUMNS: &str = "id, survey_id, version, customer_id, answers, context, \
     answered_at, nps, csat, effort, reward, points";

impl Store {
    /// Records a survey version's structure the first time it is published; a version
    /// recorded before must have the same structure, and none higher may be recorded.
    pub async fn publish_survey_version(
        &self,
        shop_id: &str,
        survey_id: &str,
        version: u32,
        structure: &str,
        now: i64,
    ) -> Result<Published, StoreError> {
        let highest = sqlx::query(
            "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) AS highest FROM survey_versions \
             WHERE shop_id = $1 AND survey_id = $2",
        )
        .bind(shop_id)
        .bind(survey_id)
        .fetch_one(&self.pool)
        .await?;
        let highest = version_of(highest.try_get("highest")?)?;
        if highest > version {
            return Ok(Published::Older { highest });
        }
        sqlx::query(
            "INSERT INTO survey_versions (shop_id, survey_id, version, structure, published_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (shop_id, survey_id, version) DO NOTHING",
        )
        .bind(shop_id)
        .bind(survey_id)
        .bind(i64::from(version))
        .bind(structure)
        .bind(now)
        .execute(&self.pool)
        .await?;
        let recorded = self
            .survey_structure(shop_id, survey_id, version)
            .await?
            .unwrap_or_default();
        Ok(if recorded == structure {
            Published::Current
        } else {
            Published::Changed
        })
    }

    /// The structure a published version recorded (JSON), if it was published.
    pub async fn survey_structure(
        &self,
        shop_id: &str,
        survey_id: &str,
        version: u32,
    ) -> Result<Option<String>, StoreError> {
        let row = sqlx::query(
            "SELECT structure FROM survey_versions \
             WHERE shop_id = $1 AND survey_id = $2 AND version = $3",
        )
        .bind(shop_id)
        .bind(survey_id)
        .bind(i64::from(version))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|row| row.try_get("structure")).transpose()?)
    }

    /// Stores a response once per `Idempotency-Key`: its reward (once per survey and
    /// customer, or customer and order), `survey.response`, and the answer for repeats
    /// (`answer` makes its body), all in one transaction.
    pub async fn record_survey_response(
        &self,
        input: &NewResponse<'_>,
        answer: impl FnOnce(&SurveyAnswer) -> String,
    ) -> Result<ResponseOutcome, StoreError> {
        let slot = IdempotencySlot::for_shopper(
            input.shop_id,
            input.customer_id,
            input.idempotency_key,
            input.request_hash,
        );
        let mut tx = match self.begin_idempotent(&slot, input.now).await? {
            Ok(tx) => tx,
            Err(previous) => return Ok(previous),
        };
        let id = uuid::Uuid::now_v7().to_string();
        let order_id = input.context.order_id.as_deref();
        let (reward, points) = match (input.reward, input.customer_id) {
            (None, _) => (RewardOutcome::None, 0),
            (Some(_), None) => (RewardOutcome::NotEligible, 0),
            (Some(rule), Some(customer_id)) => {
                let scope = if rule.per_order {
                    let owner = match order_id {
                        Some(order_id) => sqlx::query(
                            "SELECT customer_id FROM order_details \
                             WHERE shop_id = $1 AND order_id = $2",
                        )
                        .bind(input.shop_id)
                        .bind(order_id)
                        .fetch_optional(&mut *tx)
                        .await?
                        .map(|row| row.try_get::<String, _>("customer_id"))
                        .transpose()?,
                        None => None,
                    };
                    order_id.filter(|_| owner.as_deref() == Some(customer_id))
                } else {
                    Some("")
                };
                match scope {
                    None => (RewardOutcome::NotEligible, 0),
                    Some(scope) => {
                        let inserted = sqlx::query(
                            "INSERT INTO survey_rewards (shop_id, survey_id, customer_id, scope, \
                             response_id, points, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                             ON CONFLICT (shop_id, survey_id, customer_id, scope) DO NOTHING",
                        )
                        .bind(input.shop_id)
                        .bind(input.survey_id)
                        .bind(customer_id)
                        .bind(scope)
                        .bind(&id)
                        .bind(rule.points)
                        .bind(input.now)
                        .execute(&mut *tx)
                        .await?;
                        if inserted.rows_affected() == 0 {
                            (RewardOutcome::AlreadyAwarded, 0)
                        } else {
                            self.append_earning(
                                &mut tx,
                                NewEntry {
                                    shop_id: input.shop_id,
                                    customer_id,
                                    kind: EntryKind::Survey,
                                    movement: ledger::earn(rule.points),
                                    reference: &id,
                                    reward_name: None,
                                    forgiven: 0,
                                    action_id: None,
                                    base_points: None,
                                    created_at: input.now,
                                },
                            )
                            .await?;
                            (RewardOutcome::Awarded, rule.points)
                        }
                    }
                }
            }
        };
        sqlx::query(
            "INSERT INTO survey_responses (id, shop_id, survey_id, version, customer_id, \
             order_id, answers, context, answered_at, received_at, week, nps, csat, effort, \
             reward, points) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind(&id)
        .bind(input.shop_id)
        .bind(input.survey_id)
        .bind(i64::from(input.version))
        .bind(input.customer_id)
        .bind(order_id)
        .bind(json_text(input.answers)?)
        .bind(json_text(input.context)?)
        .bind(input.answered_at)
        .bind(input.now)
        .bind(input.week.to_iso())
        .bind(input.scores.nps)
        .bind(input.scores.csat)
        .bind(input.scores.effort)
        .bind(reward_name(reward))
        .bind(points)
        .execute(&mut *tx)
        .await?;
        let stored = SurveyAnswer {
            id,
            survey_id: input.survey_id.to_owned(),
            version: input.version,
            customer_id: input.customer_id.map(str::to_owned),
            answers: input.answers.clone(),
            context: input.context.clone(),
            answered_at: input.answered_at,
            scores: input.scores,
            reward,
            points,
        };
        self.record_event(
            &mut tx,
            input.shop_id,
            &Event::SurveyResponse { response: &stored },
            input.now,
        )
        .await?;
        let body = answer(&stored);
        if let Some(raced) = slot
            .store_or_replay(self, tx, 201, &body, input.now)
            .await?
        {
            return Ok(raced);
        }
        Ok(ResponseOutcome::Created(Box::new(stored)))
    }

    /// Records that a survey was shown or dismissed, once per `Idempotency-Key`.
    pub async fn record_survey_contact(&self, contact: &NewContact<'_>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO survey_contacts (shop_id, customer_key, idempotency_key, survey_id, \
             version, order_id, outcome, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (shop_id, customer_key, idempotency_key) DO NOTHING",
        )
        .bind(contact.shop_id)
        .bind(contact.customer_id.unwrap_or(""))
        .bind(contact.idempotency_key)
        .bind(contact.survey_id)
        .bind(i64::from(contact.version))
        .bind(contact.order_id)
        .bind(contact.outcome.as_str())
        .bind(contact.at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A customer's recorded contacts with all the shop's surveys: shown and dismissed,
    /// and every response as answered.
    pub async fn survey_history(
        &self,
        shop_id: &str,
        customer_id: &str,
    ) -> Result<Vec<Contact>, StoreError> {
        let mut connection = self.pool.acquire().await?;
        let mut history = Vec::new();
        for row in sqlx::query(
            "SELECT survey_id, order_id, outcome, at FROM survey_contacts \
             WHERE shop_id = $1 AND customer_key = $2",
        )
        .bind(shop_id)
        .bind(customer_id)
        .fetch_all(&mut *connection)
        .await?
        {
            let outcome: String = row.try_get("outcome")?;
            history.push(Contact {
                survey: row.try_get("survey_id")?,
                order_id: row.try_get("order_id")?,
                outcome: Outcome::parse(&outcome)
                    .ok_or_else(|| StoreError::Corrupt(format!("contact outcome {outcome}")))?,
                at: row.try_get("at")?,
            });
        }
        for row in sqlx::query(
            "SELECT survey_id, order_id, answered_at FROM survey_responses \
             WHERE shop_id = $1 AND customer_id = $2",
        )
        .bind(shop_id)
        .bind(customer_id)
        .fetch_all(&mut *connection)
        .await?
        {
            history.push(Contact {
                survey: row.try_get("survey_id")?,
                order_id: row.try_get("order_id")?,
                outcome: Outcome::Answered,
                at: row.try_get("answered_at")?,
            });
        }
        Ok(history)
    }

    /// The customer's newest order placed from `from` to `to` (Unix seconds) that is
    /// paid and not refunded in full.
    pub async fn newest_kept_order(
        &self,
        shop_id: &str,
        customer_id: &str,
        from: i64,
        to: i64,
    ) -> Result<Option<String>, StoreError> {
        let row = sqlx::query(
            "SELECT d.order_id FROM order_details d \
             JOIN orders p ON p.shop_id = d.shop_id AND p.order_id = d.order_id \
             AND p.status = 'paid' \
             LEFT JOIN orders r ON r.shop_id = d.shop_id AND r.order_id = d.order_id \
             AND r.status = 'refunded' \
             WHERE d.shop_id = $1 AND d.customer_id = $2 AND d.placed_at >= $3 \
             AND d.placed_at <= $4 \
             AND (r.order_id IS NULL OR COALESCE(r.refunded_amount, r.total) < r.total) \
             ORDER BY d.placed_at DESC, d.order_id DESC LIMIT 1",
        )
        .bind(shop_id)
        .bind(customer_id)
        .bind(from)
        .bind(to)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|row| row.try_get("order_id")).transpose()?)
    }
}
