//! The shopper's writes: a survey shown or dismissed (a contact, counted once per
//! `Idempotency-Key`), and a response: checked against the version it answers (the
//! current one, or an older published one), kept once per `Idempotency-Key` with its
//! context, its reward paid on the loyalty ledger once per scope, and `survey.response`
//! written for the shop's backend, all in one transaction. The customer comes from
//! the token only; a token that fails is an error, never a silent guest.

use axum::extract::State;
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use comeback_core::error::ErrorBody;
use comeback_core::survey::answers::validate;
use comeback_core::survey::{
    Answer, Answers, ContactReport, Outcome, QuestionKind, QuestionView, ResponseContext,
    SurveyReceipt, SurveyResponse,
};
use comeback_core::Locale;

use super::{questions_of, survey_of, SurveyPath};
use crate::auth::{Customer, Shop};
use crate::config::surveys::SurveyConfig;
use crate::error::AppError;
use crate::routes::loyalty::{replayed, request_hash, IdempotencyKey};
use crate::routes::{ApiJson, ApiPath};
use crate::store::{NewContact, NewResponse, ResponseOutcome, Scores, SurveyReward};
use crate::AppState;

/// Longest order id in a context, in characters.
pub const MAX_ORDER_ID: usize = 64;
/// Longest page path kept, in characters (after the query and fragment are cut).
pub const MAX_PAGE: usize = 512;
/// Most products in a context.
pub const MAX_PRODUCTS: usize = 50;
/// Longest product id in a context, in characters.
pub const MAX_PRODUCT_ID: usize = 64;
/// How far back an answer's own `answered_at` is believed (a queued answer arrives
/// late), in seconds: 30 days.
pub const MAX_ANSWER_AGE: i64 = 30 * 86_400;

/// The signed-in customer of a request whose token is optional: `None` without a
/// token, 401 for a token that fails.
pub(crate) fn optional_customer(
    headers: &HeaderMap,
    customer: Result<Customer, AppError>,
) -> Result<Option<String>, AppError> {
    match customer {
        Ok(customer) => Ok(Some(customer.claims.sub)),
        Err(error) if headers.contains_key(AUTHORIZATION) => Err(error),
        Err(_) => Ok(None),
    }
}

/// `value` as a short id: not blank, at most `max` characters, no control characters;
/// the error names `field`.
pub(crate) fn short_id(field: &str, value: &str, max: usize) -> Result<(), AppError> {
    if value.trim().is_empty() || value.chars().count() > max || value.chars().any(char::is_control)
    {
        return Err(AppError::Validation(format!(
            "`{field}` must be 1 to {max} characters without control characters"
        )));
    }
    Ok(())
}

/// The context as kept: ids bounded, the page's query and fragment cut (they may carry
/// personal data), the locale known and in its canonical form.
pub fn checked_context(context: &ResponseContext) -> Result<ResponseContext, AppError> {
    let mut kept = context.clone();
    if let Some(order_id) = &context.order_id {
        short_id("context.order_id", order_id, MAX_ORDER_ID)?;
    }
    if let Some(page) = &context.page {
        let path = page.split(['?', '#']).next().unwrap_or_default();
        if path.chars().count() > MAX_PAGE || path.chars().any(char::is_control) {
            return Err(AppError::Validation(format!(
                "`context.page` must be a path of at most {MAX_PAGE} characters"
            )));
        }
        kept.page = (!path.is_empty()).then(|| path.to_owned());
    }
    if context.products.len() > MAX_PRODUCTS {
        return Err(AppError::Validation(format!(
            "`context.products` holds at most {MAX_PRODUCTS} products"
        )));
    }
    for product in &context.products {
        short_id("context.products", product, MAX_PRODUCT_ID)?;
    }
    if let Some(locale) = &context.locale {
        let known = Locale::from_tag(locale).ok_or_else(|| {
            AppError::Validation(format!(
                "`context.locale`: `{}` is not a locale the shop ships (en, zh-Hans, zh-Hant)",
                crate::error::excerpt(locale)
            ))
        })?;
        kept.locale = Some(known.as_str().to_owned());
    }
    Ok(kept)
}

/// The answers to the first question of each scored kind.
pub fn scores_of(questions: &[QuestionView], answers: &Answers) -> Scores {
    let score = |kind: QuestionKind| {
        questions
            .iter()
            .find(|q| q.kind == kind)
            .and_then(|q| match answers.get(&q.id) {
                Some(Answer::Score(score)) => Some(*score),
                _ => None,
            })
    };
    Scores {
        nps: score(QuestionKind::Nps),
        csat: score(QuestionKind::Csat),
        effort: score(QuestionKind::Effort),
    }
}

/// `POST /v1/shops/{shop}/surveys/{id}/responses`: a shopper's answers (a guest's too;
/// a token adds the customer and makes a reward possible).
#[utoipa::path(post, path = "/v1/shops/{shop}/surveys/{id}/responses", tag = "surveys",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("id" = String, Path, description = "Survey id"),
        ("Idempotency-Key" = String, Header, description = "Unique per response, kept with a queued answer; a repeat answers the first result"),
    ),
    request_body = SurveyResponse,
    security((), ("customer_token" = [])),
    responses(
        (status = 201, description = "Received (or the first answer again, for a repeat)", body = SurveyReceipt),
        (status = 400, description = "Unreadable body or no Idempotency-Key", body = ErrorBody),
        (status = 401, description = "A customer token was sent and is not valid", body = ErrorBody),
        (status = 404, description = "No such shop or survey", body = ErrorBody),
        (status = 422, description = "An answer the version does not take (the message names the question), a `version` never published, a context field out of bounds, or the key used for another response (`idempotency_key_reused`)", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn respond(
    State(state): State<AppState>,
    shop: Shop,
    headers: HeaderMap,
    customer: Result<Customer, AppError>,
    IdempotencyKey(key): IdempotencyKey,
    ApiPath(path): ApiPath<SurveyPath>,
    ApiJson(request): ApiJson<SurveyResponse>,
) -> Result<Response, AppError> {
    let survey = survey_of(&shop, &path.id)?;
    let customer = optional_customer(&headers, customer)?;
    let now = state.clock.now();
    let outcome = submit(
        &state,
        &shop,
        survey,
        customer.as_deref(),
        &key,
        &request,
        now,
    )
    .await?;
    match outcome {
        ResponseOutcome::Created(stored) => {
            Ok((StatusCode::CREATED, Json(stored.receipt())).into_response())
        }
        ResponseOutcome::Replayed { status, body } => replayed(status, body),
        ResponseOutcome::KeyReused => Err(AppError::IdempotencyKeyReused),
    }
}

/// Checks and stores a response to `survey` received at `now` (the endpoint's, and
/// the demo seed's with past times): answers against the version's questions, the
/// context bounded, `answered_at` believed within the last 30 days, the products
/// filled in from a known order, the reward and the event.
pub async fn submit(
    state: &AppState,
    shop: &Shop,
    survey: &SurveyConfig,
    customer: Option<&str>,
    key: &str,
    request: &SurveyResponse,
    now: i64,
) -> Result<ResponseOutcome, AppError> {
    let questions = questions_of(state, shop, survey, request.version).await?;
    let answers = validate(&questions, &request.answers)
        .map_err(|error| AppError::Validation(error.to_string()))?;
    let mut context = checked_context(&request.context)?;
    let answered_at = request
        .answered_at
        .filter(|at| (now - MAX_ANSWER_AGE..=now).contains(at))
        .unwrap_or(now);
    if context.products.is_empty() {
        if let Some(order_id) = &context.order_id {
            if let Some(order) = state.store.order(&shop.id, order_id).await? {
                for line in order.lines {
                    if !context.products.contains(&line.product_id)
                        && context.products.len() < MAX_PRODUCTS
                    {
                        context.products.push(line.product_id);
                    }
                }
            }
        }
    }
    let hash = request_hash(&(&survey.id, request))?;
    let cadence = &shop.config.survey_cadence;
    let input = NewResponse {
        shop_id: &shop.id,
        survey_id: &survey.id,
        version: request.version,
        customer_id: customer,
        answers: &answers,
        context: &context,
        answered_at,
        week: comeback_core::survey::scores::week_of(cadence.local_date(answered_at)),
        scores: scores_of(&questions, &answers),
        reward: survey.reward_points.map(|points| SurveyReward {
            points,
            per_order: survey.per_order(),
        }),
        idempotency_key: key,
        request_hash: &hash,
        now,
    };
    Ok(state
        .store
        .record_survey_response(&input, |stored| {
            serde_json::to_string(&stored.receipt()).unwrap_or_default()
        })
        .await?)
}

/// `POST /v1/shops/{shop}/surveys/{id}/contacts`: the survey was shown, or the shopper
/// dismissed it (a token adds the customer, so their other devices see it too).
#[utoipa::path(post, path = "/v1/shops/{shop}/surveys/{id}/contacts", tag = "surveys",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("id" = String, Path, description = "Survey id"),
        ("Idempotency-Key" = String, Header, description = "Unique per contact; a repeat is counted once"),
    ),
    request_body = ContactReport,
    security((), ("customer_token" = [])),
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, description = "Unreadable body or no Idempotency-Key", body = ErrorBody),
        (status = 401, description = "A customer token was sent and is not valid", body = ErrorBody),
        (status = 404, description = "No such shop or survey", body = ErrorBody),
        (status = 422, description = "`outcome` is `answered` (answers come as responses), `version` was never published, or `order_id` is out of bounds", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn contact(
    State(state): State<AppState>,
    shop: Shop,
    headers: HeaderMap,
    customer: Result<Customer, AppError>,
    IdempotencyKey(key): IdempotencyKey,
    ApiPath(path): ApiPath<SurveyPath>,
    ApiJson(report): ApiJson<ContactReport>,
) -> Result<StatusCode, AppError> {
    let survey = survey_of(&shop, &path.id)?;
    let customer = optional_customer(&headers, customer)?;
    if report.outcome == Outcome::Answered {
        return Err(AppError::Validation(
            "`outcome` is `shown` or `dismissed`: an answer is sent as a response".into(),
        ));
    }
    questions_of(&state, &shop, survey, report.version).await?;
    if let Some(order_id) = &report.order_id {
        short_id("order_id", order_id, MAX_ORDER_ID)?;
    }
    state
        .store
        .record_survey_contact(&NewContact {
            shop_id: &shop.id,
            customer_id: customer.as_deref(),
            idempotency_key: &key,
            survey_id: &survey.id,
            version: report.version,
            order_id: report.order_id.as_deref(),
            outcome: report.outcome,
            at: state.clock.now(),
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
