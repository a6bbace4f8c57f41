//! Tickets and "did this help" answers from `<comeback-help>`, and their lists for the
//! shop's backend.
//!
//! A ticket carries what the shopper typed and what the widget already knew (the path
//! through a tree, the article read, the page, the locale). The customer comes from the
//! token when the shopper is signed in, never from the body. Each ticket is stored once
//! per `Idempotency-Key` and delivered as the signed outbound webhook
//! `help.ticket_created`.

use axum::extract::State;
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use comeback_core::error::ErrorBody;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::help_of;
use crate::auth::{Customer, Shop, Staff};
use crate::error::AppError;
use crate::routes::loyalty::{replayed, request_hash, IdempotencyKey};
use crate::routes::{ApiJson, ApiQuery};
use crate::store::{FeedbackCount, NewTicket, Ticket, TicketOutcome};
use crate::AppState;

/// The longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4000;
/// The most steps a ticket's path may hold.
pub const MAX_PATH_STEPS: usize = 50;

/// `POST …/help/tickets`.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketRequest {
    /// What the shopper wrote (1-4000 characters).
    pub message: String,
    /// Where to answer; required when the shopper is not signed in.
    #[serde(default)]
    pub email: Option<String>,
    /// The shopper's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The order it is about.
    #[serde(default)]
    pub order_id: Option<String>,
    /// What the widget already knew.
    #[serde(default)]
    pub context: TicketContext,
}

/// What the widget knew when the ticket was written.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketContext {
    /// The tree walked, by id.
    #[serde(default)]
    pub tree: Option<String>,
    /// The questions answered in it, in order.
    #[serde(default)]
    pub path: Vec<PathStep>,
    /// The article read last, by id.
    #[serde(default)]
    pub article: Option<String>,
    /// The page the shopper was on (a path).
    #[serde(default)]
    pub page: Option<String>,
    /// The shopper's locale.
    #[serde(default)]
    pub locale: Option<String>,
}

/// A question answered on the way.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PathStep {
    /// The question as the shopper saw it.
    pub question: String,
    /// The answer they chose.
    pub answer: String,
}

/// The answer to a ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketCreated {
    /// The ticket's id, shown to the shopper.
    pub ticket_id: String,
    /// When it was received, Unix seconds.
    pub created_at: i64,
}

/// A text field: trimmed, within `max` characters, `None` when blank.
fn text(value: Option<&str>, name: &str, max: usize) -> Result<Option<String>, AppError> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if value.chars().count() > max {
        return Err(AppError::Validation(format!(
            "`{name}` is longer than {max} characters"
        )));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(AppError::Validation(format!(
            "`{name}` holds control characters"
        )));
    }
    Ok(Some(value.to_owned()))
}

fn email(value: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(email) = text(value, "email", 254)? else {
        return Ok(None);
    };
    let (local, domain) = email.split_once('@').unwrap_or_default();
    let valid = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace);
    if valid {
        Ok(Some(email))
    } else {
        Err(AppError::Validation(
            "`email` is not an email address".into(),
        ))
    }
}

/// `POST /v1/shops/{shop}/help/tickets`: a shopper asks a person for help.
#[utoipa::path(post, path = "/v1/shops/{shop}/help/tickets", tag = "help",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("Idempotency-Key" = String, Header, description = "Unique per ticket; a repeat answers the first result"),
    ),
    request_body = TicketRequest,
    responses(
        (status = 201, description = "The ticket was received", body = TicketCreated),
        (status = 400, description = "Unreadable body or no Idempotency-Key", body = ErrorBody),
        (status = 401, description = "A customer token was sent and is not valid", body = ErrorBody),
        (status = 404, description = "No such shop, or no help centre", body = ErrorBody),
        (status = 422, description = "A field is not acceptable, or the key was used for another ticket", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn create_ticket(
    State(state): State<AppState>,
    shop: Shop,
    headers: HeaderMap,
    customer: Result<Customer, AppError>,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(request): ApiJson<TicketRequest>,
) -> Result<Response, AppError> {
    let help = help_of(&shop)?;
    // Signed in or not is the shopper's choice; a token that fails is an error, never
    // a silent fall back to an anonymous ticket.
    let customer = match customer {
        Ok(customer) => Some(customer.claims.sub),
        Err(error) if headers.contains_key(AUTHORIZATION) => return Err(error),
        Err(_) => None,
    };
    let message = text(Some(&request.message), "message", MAX_MESSAGE_CHARS)?
        .ok_or_else(|| AppError::Validation("`message` must not be empty".into()))?;
    let email = email(request.email.as_deref())?;
    if customer.is_none() && email.is_none() {
        return Err(AppError::Validation(
            "`email` is required when the shopper is not signed in".into(),
        ));
    }
    let name = text(request.name.as_deref(), "name", 200)?;
    let order_id = text(request.order_id.as_deref(), "order_id", 64)?;
    let context = &request.context;
    if let Some(tree) = &context.tree {
        if help.tree(tree).is_none() {
            return Err(AppError::Validation(format!(
                "`context.tree`: no tree `{}`",
                short(tree)
            )));
        }
    }
    if let Some(article) = &context.article {
        if help.article(article).is_none() {
            return Err(AppError::Validation(format!(
                "`context.article`: no article `{}`",
                short(article)
            )));
        }
    }
    if context.path.len() > MAX_PATH_STEPS {
        return Err(AppError::Validation(format!(
            "`context.path` holds more than {MAX_PATH_STEPS} steps"
        )));
    }
    for step in &context.path {
        text(Some(&step.question), "context.path.question", 500)?;
        text(Some(&step.answer), "context.path.answer", 500)?;
    }
    text(context.page.as_deref(), "context.page", 2000)?;
    text(context.locale.as_deref(), "context.locale", 35)?;
    let hash = request_hash(&request)?;
    let stored_context =
        serde_json::to_value(context).map_err(|e| AppError::Internal(e.to_string()))?;
    let input = NewTicket {
        shop_id: &shop.id,
        customer_id: customer.as_deref(),
        email: email.as_deref(),
        name: name.as_deref(),
        order_id: order_id.as_deref(),
        message: &message,
        context: &stored_context,
        idempotency_key: &key,
        request_hash: &hash,
        now: state.clock.now(),
    };
    let outcome = state
        .store
        .create_ticket(&input, |ticket| {
            serde_json::to_string(&TicketCreated {
                ticket_id: ticket.ticket_id.clone(),
                created_at: ticket.created_at,
            })
            .unwrap_or_default()
        })
        .await?;
    match outcome {
        TicketOutcome::Created(ticket) => Ok((
            StatusCode::CREATED,
            Json(TicketCreated {
                ticket_id: ticket.ticket_id,
                created_at: ticket.created_at,
            }),
        )
            .into_response()),
        TicketOutcome::Replayed { status, body } => replayed(status, body),
        TicketOutcome::KeyReused => Err(AppError::IdempotencyKeyReused),
    }
}

/// At most a short prefix of what the shopper sent, for an error message.
fn short(text: &str) -> String {
    text.chars().take(40).collect()
}

/// `POST …/help/feedback`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackRequest {
    /// `article:<id>` or `leaf:<tree id>/<step id>`.
    pub subject: String,
    /// Whether it helped.
    pub helpful: bool,
}

/// The answer to a "did this help" answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackCounted {
    /// The subject counted.
    pub subject: String,
}

/// `POST /v1/shops/{shop}/help/feedback`: counts whether an article or a solved leaf
/// helped, so the shop learns which content to fix.
#[utoipa::path(post, path = "/v1/shops/{shop}/help/feedback", tag = "help",
    params(("shop" = String, Path, description = "Shop id")),
    request_body = FeedbackRequest,
    responses(
        (status = 200, description = "Counted", body = FeedbackCounted),
        (status = 404, description = "No such shop, or no help centre", body = ErrorBody),
        (status = 422, description = "No such article or leaf", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn feedback(
    State(state): State<AppState>,
    shop: Shop,
    ApiJson(request): ApiJson<FeedbackRequest>,
) -> Result<Json<FeedbackCounted>, AppError> {
    let help = help_of(&shop)?;
    let known = match request.subject.split_once(':') {
        Some(("article", id)) => help.article(id).is_some(),
        Some(("leaf", path)) => path.split_once('/').is_some_and(|(tree, step)| {
            help.tree(tree)
                .and_then(|t| t.step(step))
                .is_some_and(|s| s.solved.is_some() || s.contact.is_some())
        }),
        _ => false,
    };
    if !known {
        return Err(AppError::Validation(format!(
            "`subject` must be `article:<id>` or `leaf:<tree>/<step>` of this shop (got `{}`)",
            short(&request.subject)
        )));
    }
    state
        .store
        .count_feedback(
            &shop.id,
            &request.subject,
            request.helpful,
            state.clock.now(),
        )
        .await?;
    Ok(Json(FeedbackCounted {
        subject: request.subject,
    }))
}

/// A page of tickets.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketPage {
    /// Newest first.
    pub tickets: Vec<Ticket>,
    /// Pass as `before` for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_before: Option<String>,
}

/// `?limit=&before=`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct TicketsQuery {
    /// Page size, 1-200 (default 50).
    pub limit: Option<i64>,
    /// The previous page's `next_before` (`<created_at>~<ticket_id>`).
    pub before: Option<String>,
}

/// `GET /v1/shops/{shop}/admin/help/tickets`: the shop's tickets, newest first, a page
/// at a time (tickets of the same second are never split across pages and lost).
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/help/tickets", tag = "admin",
    params(("shop" = String, Path, description = "Shop id"), TicketsQuery),
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "A page of tickets", body = TicketPage),
        (status = 400, description = "Bad limit or before", body = ErrorBody),
        (status = 401, description = "Missing or wrong secret key", body = ErrorBody),
        (status = 404, description = "No such shop, or no help centre", body = ErrorBody),
    ))]
pub async fn list_tickets(
    State(state): State<AppState>,
    Staff { shop, .. }: Staff,
    ApiQuery(query): ApiQuery<TicketsQuery>,
) -> Result<Json<TicketPage>, AppError> {
    help_of(&shop)?;
    let limit = query.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(AppError::BadRequest("`limit` must be 1 to 200".into()));
    }
    let before = match query.before.as_deref() {
        None => None,
        Some(cursor) => Some(
            cursor
                .split_once('~')
                .and_then(|(time, id)| Some((time.parse::<i64>().ok()?, id.to_owned())))
                .ok_or_else(|| {
                    AppError::BadRequest("`before` must be a page's `next_before`".into())
                })?,
        ),
    };
    let tickets = state.store.tickets_page(&shop.id, before, limit).await?;
    let full = i64::try_from(tickets.len()).unwrap_or(i64::MAX) == limit;
    let next_before = tickets
        .last()
        .filter(|_| full)
        .map(|t| format!("{}~{}", t.created_at, t.ticket_id));
    Ok(Json(TicketPage {
        tickets,
        next_before,
    }))
}

/// Every article's and leaf's "did this help" counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackReport {
    /// Least helpful first.
    pub counts: Vec<FeedbackCount>,
}

/// `GET /v1/shops/{shop}/admin/help/feedback`: which content helps and which to fix.
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/help/feedback", tag = "admin",
    params(("shop" = String, Path, description = "Shop id")),
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "The counts", body = FeedbackReport),
        (status = 401, description = "Missing or wrong secret key", body = ErrorBody),
        (status = 404, description = "No such shop, or no help centre", body = ErrorBody),
    ))]
pub async fn feedback_report(
    State(state): State<AppState>,
    Staff { shop, .. }: Staff,
) -> Result<Json<FeedbackReport>, AppError> {
    help_of(&shop)?;
    Ok(Json(FeedbackReport {
        counts: state.store.feedback_counts(&shop.id).await?,
    }))
}
