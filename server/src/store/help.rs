//! Help centre storage: the tickets shoppers send, each with the context it came with,
//! written with `help.ticket_created` in one transaction and answered once per
//! `Idempotency-Key`; and the "did this help" counts per article and wizard leaf.

use serde_json::Value;
use sqlx::Row;

use super::events::Event;
use super::idempotency::{IdempotencySlot, Replayable};
use super::{Store, StoreError};

/// Prefix of ticket ids (`H-7KQM-X2PD`).
const TICKET_PREFIX: &str = "H";

/// Attempts at a free ticket id (a clash needs two of 31^8 random ids).
const TICKET_ID_ATTEMPTS: usize = 8;

/// A ticket to store.
#[derive(Debug)]
pub struct NewTicket<'a> {
    /// The shop.
    pub shop_id: &'a str,
    /// The signed-in shopper, from the token; `None` when signed out.
    pub customer_id: Option<&'a str>,
    /// Where to answer, when given.
    pub email: Option<&'a str>,
    /// The shopper's name, when given.
    pub name: Option<&'a str>,
    /// The order it is about, when given.
    pub order_id: Option<&'a str>,
    /// What the shopper wrote.
    pub message: &'a str,
    /// What the widget already knew: tree, path, article, page, locale.
    pub context: &'a Value,
    /// The request's `Idempotency-Key`.
    pub idempotency_key: &'a str,
    /// Hash of the request body, to tell a repeat from a reuse of the key.
    pub request_hash: &'a str,
    /// Now, Unix seconds.
    pub now: i64,
}

/// A stored ticket.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Ticket {
    /// Its id, shown to the shopper (`H-7KQM-X2PD`).
    pub ticket_id: String,
    /// The signed-in shopper who sent it.
    pub customer_id: Option<String>,
    /// Where to answer.
    pub email: Option<String>,
    /// The shopper's name.
    pub name: Option<String>,
    /// The order it is about.
    pub order_id: Option<String>,
    /// What the shopper wrote.
    pub message: String,
    /// What the widget knew: `tree`, `path` (`[{question, answer}]`), `article`, `page`,
    /// `locale`.
    #[schema(value_type = Object)]
    pub context: Value,
    /// When it was sent, Unix seconds.
    pub created_at: i64,
}

/// What storing a ticket did.
#[derive(Debug)]
pub enum TicketOutcome {
    /// Stored (and its event written).
    Created(Ticket),
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

impl Replayable for TicketOutcome {
    fn replayed(status: u16, body: String) -> Self {
        TicketOutcome::Replayed { status, body }
    }
    fn key_reused() -> Self {
        TicketOutcome::KeyReused
    }
}

/// "Did this help" counts of one article or wizard leaf.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FeedbackCount {
    /// `article:<id>` or `leaf:<tree id>/<step id>`.
    pub subject: String,
    /// Answers "yes, it helped".
    pub helpful: i64,
    /// Answers "no".
    pub not_helpful: i64,
}

fn ticket_from(row: &sqlx::any::AnyRow) -> Result<Ticket, StoreError> {
    let context: String = row.try_get("context")?;
    Ok(Ticket {
        ticket_id: row.try_get("ticket_id")?,
        customer_id: row.try_get("customer_id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        order_id: row.try_get("order_id")?,
        message: row.try_get("message")?,
        context: serde_json::from_str(&context)
            .map_err(|e| StoreError::Corrupt(format!("ticket context: {e}")))?,
        created_at: row.try_get("created_at")?,
    })
}

impl Store {
    /// Stores a ticket with its `help.ticket_created` event and the answer for repeats
    /// of its key, all in one transaction. `answer` makes the stored answer's body from
    /// the new ticket.
    pub async fn create_ticket(
        &self,
        input: &NewTicket<'_>,
        answer: impl FnOnce(&Ticket) -> String,
    ) -> Result<TicketOutcome, StoreError> {
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
        let context = input.context.to_string();
        let mut ticket_id = None;
        for _ in 0..TICKET_ID_ATTEMPTS {
            let candidate = comeback_core::code::format_code(TICKET_PREFIX, rand::random());
            let inserted = sqlx::query(
                "INSERT INTO help_tickets (shop_id, ticket_id, customer_id, email, name, \
                 order_id, message, context, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (shop_id, ticket_id) DO NOTHING",
            )
            .bind(input.shop_id)
            .bind(&candidate)
            .bind(input.customer_id)
            .bind(input.email)
            .bind(input.name)
            .bind(input.order_id)
            .bind(input.message)
            .bind(&context)
            .bind(input.now)
            .execute(&mut *tx)
            .await?;
            if inserted.rows_affected() == 1 {
                ticket_id = Some(candidate);
                break;
            }
        }
        let Some(ticket_id) = ticket_id else {
            return Err(StoreError::Corrupt(
                "no free ticket id after several attempts".into(),
            ));
        };
        let ticket = Ticket {
            ticket_id,
            customer_id: input.customer_id.map(str::to_owned),
            email: input.email.map(str::to_owned),
            name: input.name.map(str::to_owned),
            order_id: input.order_id.map(str::to_owned),
            message: input.message.to_owned(),
            context: input.context.clone(),
            created_at: input.now,
        };
        self.record_event(
            &mut tx,
            input.shop_id,
            &Event::HelpTicketCreated { ticket: &ticket },
            input.now,
        )
        .await?;
        let body = answer(&ticket);
        if let Some(raced) = slot
            .store_or_replay(self, tx, 201, &body, input.now)
            .await?
        {
            return Ok(raced);
        }
        Ok(TicketOutcome::Created(ticket))
    }

    /// The shop's tickets, newest first (by time, then id), after the ticket `before`
    /// names (its time and id), at most `limit`.
    pub async fn tickets_page(
        &self,
        shop_id: &str,
        before: Option<(i64, String)>,
        limit: i64,
    ) -> Result<Vec<Ticket>, StoreError> {
        let (time, id) = before.unwrap_or((i64::MAX, String::new()));
        let rows = sqlx::query(
            "SELECT ticket_id, customer_id, email, name, order_id, message, context, created_at \
             FROM help_tickets WHERE shop_id = $1 \
             AND (created_at < $2 OR (created_at = $2 AND ticket_id < $3)) \
             ORDER BY created_at DESC, ticket_id DESC LIMIT $4",
        )
        .bind(shop_id)
        .bind(time)
        .bind(id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(ticket_from).collect()
    }

    /// Counts one "did this help" answer for `subject`, given `now` (Unix seconds): in
    /// the subject's all-time counts and in the shop's counts of the day.
    pub async fn count_feedback(
        &self,
        shop_id: &str,
        subject: &str,
        helpful: bool,
        now: i64,
    ) -> Result<(), StoreError> {
        let (yes, no) = if helpful { (1_i64, 0_i64) } else { (0, 1) };
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO help_feedback (shop_id, subject, helpful, not_helpful) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (shop_id, subject) DO UPDATE SET \
             helpful = help_feedback.helpful + excluded.helpful, \
             not_helpful = help_feedback.not_helpful + excluded.not_helpful",
        )
        .bind(shop_id)
        .bind(subject)
        .bind(yes)
        .bind(no)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO help_feedback_days (shop_id, day, helpful, not_helpful) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (shop_id, day) DO UPDATE SET \
             helpful = help_feedback_days.helpful + excluded.helpful, \
             not_helpful = help_feedback_days.not_helpful + excluded.not_helpful",
        )
        .bind(shop_id)
        .bind(now - now.rem_euclid(86_400))
        .bind(yes)
        .bind(no)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every subject's "did this help" counts, least helpful first.
    pub async fn feedback_counts(&self, shop_id: &str) -> Result<Vec<FeedbackCount>, StoreError> {
        let rows = sqlx::query(
            "SELECT subject, helpful, not_helpful FROM help_feedback WHERE shop_id = $1 \
             ORDER BY not_helpful - helpful DESC, subject",
        )
        .bind(shop_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(FeedbackCount {
                    subject: row.try_get("subject")?,
                    helpful: row.try_get("helpful")?,
                    not_helpful: row.try_get("not_helpful")?,
                })
            })
            .collect()
    }
}
