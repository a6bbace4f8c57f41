//! The shopper's changes to a subscription: skip, deliver now, pause, resume, change the
//! interval or quantity, cancel. Each needs an `Idempotency-Key` (a repeat answers the
//! first answer again, marked `Idempotency-Replayed`), runs with the customer and the
//! subscription locked, writes its outbound event, and answers the subscription as the
//! manager shows it afterwards.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use comeback_core::bounds;
use comeback_core::catalogue::Product;
use comeback_core::date::Date;
use comeback_core::error::ErrorBody;
use comeback_core::orders::Interval;
use comeback_core::subscription::{
    CancelRequest, PauseRequest, SubscriptionChange, SubscriptionView, MAX_COMMENT_CHARS,
};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{locale_of, product, subscriptions_of, terms, view, LocaleQuery};
use crate::auth::Customer;
use crate::config::subscriptions::SubscriptionsConfig;
use crate::error::AppError;
use crate::routes::loyalty::{replayed, request_hash, IdempotencyKey};
use crate::routes::{parse_json, ApiJson, ApiPath, ApiQuery, RawBody};
use crate::store::{
    ChangeInput, ChangeOutcome, Refusal, StoreError, Subscription, SubscriptionAction,
};
use crate::AppState;

/// The path of a subscription.
#[derive(Debug, Deserialize)]
pub struct SubscriptionPath {
    /// Comeback's subscription id.
    id: String,
}

fn not_found(id: &str) -> AppError {
    AppError::not_found(format!(
        "you have no subscription `{}`",
        crate::error::excerpt(id)
    ))
}

/// One change, made the way every action is: the subscription must be the shopper's;
/// the change, built from the subscription as it stands, the shop's section and the
/// product's catalogue entry (`build`, which may refuse it), is applied once per key
/// (`request` is the body it is known by); refusals become their errors.
async fn act(
    state: &AppState,
    customer: &Customer,
    id: &str,
    key: &str,
    locale: Option<&str>,
    request: Value,
    build: impl FnOnce(
        &Subscription,
        &SubscriptionsConfig,
        Option<&Product>,
    ) -> Result<SubscriptionAction, AppError>,
) -> Result<Response, AppError> {
    let shop = &customer.shop;
    let config = subscriptions_of(shop)?;
    let current = state
        .store
        .subscription(&shop.id, id)
        .await?
        .filter(|found| found.customer_id == customer.claims.sub)
        .ok_or_else(|| not_found(id))?;
    let product = product(state, &shop.id, &current.product_id).await?;
    let action = build(&current, config, product.as_ref())?;
    let now = state.clock.now();
    let request_hash = request_hash(&json!({
        "subscription_id": id,
        "action": action.name(),
        "request": request,
    }))?;
    let locale = locale_of(locale);
    let answer = |subscription: &Subscription| {
        serde_json::to_string(&view(config, subscription, product.as_ref(), locale))
            .map_err(|error| StoreError::Corrupt(error.to_string()))
    };
    let input = ChangeInput {
        shop_id: &shop.id,
        customer_id: &customer.claims.sub,
        subscription_id: id,
        idempotency_key: key,
        request_hash: &request_hash,
        action,
        today: config.local_date(now),
        now,
    };
    match state.store.change_subscription(&input, &answer).await? {
        ChangeOutcome::Changed(body) => Ok((
            StatusCode::OK,
            [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
            body,
        )
            .into_response()),
        ChangeOutcome::Replayed { status, body } => replayed(status, body),
        ChangeOutcome::KeyReused => Err(AppError::IdempotencyKeyReused),
        ChangeOutcome::NotFound => Err(not_found(id)),
        ChangeOutcome::Refused(refusal) => Err(refused(id, refusal)),
    }
}

/// The error of a refused change.
fn refused(id: &str, refusal: Refusal) -> AppError {
    match refusal {
        Refusal::Cancelled => AppError::SubscriptionCancelled(format!(
            "subscription `{}` is cancelled; it can no longer be changed",
            crate::error::excerpt(id)
        )),
        Refusal::MinimumDeliveries {
            required,
            deliveries,
        } => {
            let left = required.saturating_sub(deliveries);
            let more = if left == 1 { "delivery" } else { "deliveries" };
            AppError::MinimumDeliveries(format!(
                "this plan asks for {required} deliveries before cancelling; {deliveries} so far, {left} more {more} to go"
            ))
        }
        Refusal::RenewalPending(day) => AppError::Validation(format!(
            "a delivery for {} is already being prepared; ask again once it is confirmed",
            day.to_iso()
        )),
        Refusal::BadPause(message) => AppError::Validation(message),
    }
}

macro_rules! action_doc {
    () => {
        "Customer token; `Idempotency-Key` required (1-128 visible ASCII characters): a repeat with the same key answers the first answer again with `Idempotency-Replayed: true`."
    };
}

/// `POST /v1/shops/{shop}/subscriptions/{id}/skip`: skips the next delivery (the one
/// the shop has not been asked for; a pending one still comes).
#[utoipa::path(post, path = "/v1/shops/{shop}/subscriptions/{id}/skip", tag = "subscriptions",
    description = action_doc!(),
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("id" = String, Path, description = "Subscription id"),
        ("Idempotency-Key" = String, Header, description = "Unique per change"),
        LocaleQuery,
    ),
    security(("customer_token" = [])),
    responses(
        (status = 200, description = "The subscription afterwards", body = SubscriptionView),
        (status = 400, description = "Missing Idempotency-Key", body = ErrorBody),
        (status = 401, description = "Missing, forged or expired customer token", body = ErrorBody),
        (status = 404, description = "No such shop or subscription of the shopper", body = ErrorBody),
        (status = 409, description = "The subscription is cancelled (subscription_cancelled)", body = ErrorBody),
        (status = 422, description = "Idempotency-Key reused with another request", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn skip(
    State(state): State<AppState>,
    customer: Customer,
    IdempotencyKey(key): IdempotencyKey,
    ApiPath(path): ApiPath<SubscriptionPath>,
    ApiQuery(query): ApiQuery<LocaleQuery>,
) -> Result<Response, AppError> {
    let locale = query.locale.as_deref();
    act(
        &state,
        &customer,
        &path.id,
        &key,
        locale,
        Value::Null,
        |_, _, _| Ok(SubscriptionAction::Skip),
    )
    .await
}

/// `POST /v1/shops/{shop}/subscriptions/{id}/deliver-now`: asks the shop for a delivery
/// today (`subscription.renewal_due`); the rhythm goes on from today. A paused
/// subscription runs again.
#[utoipa::path(post, path = "/v1/shops/{shop}/subscriptions/{id}/deliver-now", tag = "subscriptions",
    description = action_doc!(),
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("id" = String, Path, description = "Subscription id"),
        ("Idempotency-Key" = String, Header, description = "Unique per change"),
        LocaleQuery,
    ),
    security(("customer_token" = [])),
    responses(
        (status = 200, description = "The subscription afterwards (`renewal_pending`)", body = SubscriptionView),
        (status = 400, description = "Missing Idempotency-Key", body = ErrorBody),
        (status = 401, description = "Missing, forged or expired customer token", body = ErrorBody),
        (status = 404, description = "No such shop or subscription of the shopper", body = ErrorBody),
        (status = 409, description = "The subscription is cancelled (subscription_cancelled)", body = ErrorBody),
        (status = 422, description = "A delivery is already being prepared, or Idempotency-Key reused", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn deliver_now(
    State(state): State<AppState>,
    customer: Customer,
    IdempotencyKey(key): IdempotencyKey,
    ApiPath(path): ApiPath<SubscriptionPath>,
    ApiQuery(query): ApiQuery<LocaleQuery>,
) -> Result<Response, AppError> {
    let locale = query.locale.as_deref();
    let shop = customer.shop.clone();
    act(
        &state,
        &customer,
        &path.id,
        &key,
        locale,
        Value::Null,
        |current, config, product| {
            Ok(SubscriptionAction::DeliverNow(terms(
                &shop, config, current, product,
            )))
        },
    )
    .await
}

/// `POST /v1/shops/{shop}/subscriptions/{id}/pause`: no deliveries until `until`
/// (after today, at most 365 days away); the first delivery on or after it comes.
#[utoipa::path(post, path = "/v1/shops/{shop}/subscriptions/{id}/pause", tag = "subscriptions",
    description = action_doc!(),
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("id" = String, Path, description = "Subscription id"),
        ("Idempotency-Key" = String, Header, description = "Unique per change"),
        LocaleQuery,
    ),
    request_body = PauseRequest,
    security(("customer_token" = [])),
    responses(
        (status = 200, description = "The subscription afterwards", body = SubscriptionView),
        (status = 400, description = "Not JSON, or missing Idempotency-Key", body = ErrorBody),
        (status = 401, description = "Missing, forged or expired customer token", body = ErrorBody),
        (status = 404, description = "No such shop or subscription of the shopper", body = ErrorBody),
        (status = 409, description = "The subscription is cancelled (subscription_cancelled)", body = ErrorBody),
        (status = 422, description = "`until` missing, not a date, not after today or more than 365 days away; or Idempotency-Key reused", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn pause(
    State(state): State<AppState>,
    customer: Customer,
    IdempotencyKey(key): IdempotencyKey,
    ApiPath(path): ApiPath<SubscriptionPath>,
    ApiQuery(query): ApiQuery<LocaleQuery>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Response, AppError> {
    let until = match body.get("until") {
        Some(Value::String(text)) => Date::parse(text).ok_or_else(|| {
            AppError::Validation(format!(
                "`until` must be a date, YYYY-MM-DD, not `{}`",
                crate::error::excerpt(text)
            ))
        })?,
        _ => {
            return Err(AppError::Validation(
                "`until` is required: the day deliveries resume, YYYY-MM-DD".into(),
            ))
        }
    };
    let request = json!({ "until": until });
    let locale = query.locale.as_deref();
    act(
        &state,
        &customer,
        &path.id,
        &key,
        locale,
        request,
        |_, _, _| Ok(SubscriptionAction::Pause { until }),
    )
    .await
}

/// `POST /v1/shops/{shop}/subscriptions/{id}/resume`: ends a pause now; deliveries come
/// back to their days, starting with the first one after today. Resuming a running
/// subscription changes nothing.
#[utoipa::path(post, path = "/v1/shops/{shop}/subscriptions/{id}/resume", tag = "subscriptions",
    description = action_doc!(),
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("id" = String, Path, description = "Subscription id"),
        ("Idempotency-Key" = String, Header, description = "Unique per change"),
        LocaleQuery,
    ),
    security(("customer_token" = [])),
    responses(
        (status = 200, description = "The subscription afterwards", body = SubscriptionView),
        (status = 400, description = "Missing Idempotency-Key", body = ErrorBody),
        (status = 401, description = "Missing, forged or expired customer token", body = ErrorBody),
        (status = 404, description = "No such shop or subscription of the shopper", body = ErrorBody),
        (status = 409, description = "The subscription is cancelled (subscription_cancelled)", body = ErrorBody),
        (status = 422, description = "Idempotency-Key reused with another request", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn resume(
    State(state): State<AppState>,
    customer: Customer,
    IdempotencyKey(key): IdempotencyKey,
    ApiPath(path): ApiPath<SubscriptionPath>,
    ApiQuery(query): ApiQuery<LocaleQuery>,
) -> Result<Response, AppError> {
    let locale = query.locale.as_deref();
    act(
        &state,
        &customer,
        &path.id,
        &key,
        locale,
        Value::Null,
        |_, _, _| Ok(SubscriptionAction::Resume),
    )
    .await
}

/// `PATCH /v1/shops/{shop}/subscriptions/{id}`: a new interval (one of the plan's; the
/// next date and the day of the month stay) or quantity, or both.
#[utoipa::path(patch, path = "/v1/shops/{shop}/subscriptions/{id}", tag = "subscriptions",
    description = action_doc!(),
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("id" = String, Path, description = "Subscription id"),
        ("Idempotency-Key" = String, Header, description = "Unique per change"),
        LocaleQuery,
    ),
    request_body = SubscriptionChange,
    security(("customer_token" = [])),
    responses(
        (status = 200, description = "The subscription afterwards", body = SubscriptionView),
        (status = 400, description = "Bad body, or missing Idempotency-Key", body = ErrorBody),
        (status = 401, description = "Missing, forged or expired customer token", body = ErrorBody),
        (status = 404, description = "No such shop or subscription of the shopper", body = ErrorBody),
        (status = 409, description = "The subscription is cancelled (subscription_cancelled)", body = ErrorBody),
        (status = 422, description = "Neither field, an interval the plan does not offer, a quantity out of range; or Idempotency-Key reused", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn change(
    State(state): State<AppState>,
    customer: Customer,
    IdempotencyKey(key): IdempotencyKey,
    ApiPath(path): ApiPath<SubscriptionPath>,
    ApiQuery(query): ApiQuery<LocaleQuery>,
    ApiJson(request): ApiJson<SubscriptionChange>,
) -> Result<Response, AppError> {
    if request.interval.is_none() && request.quantity.is_none() {
        return Err(AppError::Validation(
            "give `interval` (one of the plan's, such as P4W), `quantity`, or both".into(),
        ));
    }
    let interval = request
        .interval
        .as_deref()
        .map(|text| {
            Interval::parse(text).ok_or_else(|| {
                AppError::Validation(format!(
                    "`interval` must be an ISO 8601 duration of one unit such as P2W or P1M, not `{}`",
                    crate::error::excerpt(text)
                ))
            })
        })
        .transpose()?;
    if let Some(quantity) = request.quantity {
        bounds::quantity("quantity", quantity)?;
    }
    let body = serde_json::to_value(&request).unwrap_or(Value::Null);
    let locale = query.locale.as_deref();
    act(
        &state,
        &customer,
        &path.id,
        &key,
        locale,
        body,
        |current, config, _| {
            if let (Some(text), Some(interval)) = (request.interval.as_deref(), interval) {
                let offered = config
                    .plan(&current.plan_id)
                    .map(|plan| plan.intervals.clone())
                    .unwrap_or_default();
                if interval != current.schedule.interval && !offered.iter().any(|o| o == text) {
                    return Err(AppError::Validation(format!(
                        "`interval` must be one the plan offers ({}), not `{}`",
                        offered.join(", "),
                        crate::error::excerpt(text)
                    )));
                }
            }
            Ok(SubscriptionAction::Change {
                interval,
                quantity: request.quantity,
            })
        },
    )
    .await
}

/// `POST /v1/shops/{shop}/subscriptions/{id}/cancel`: cancels, with an optional reason
/// (one of the shop's) and comment. The body may be empty. A delivery the shop was
/// asked for and has not confirmed is reported in `subscription.cancelled`, so the shop
/// can void it.
#[utoipa::path(post, path = "/v1/shops/{shop}/subscriptions/{id}/cancel", tag = "subscriptions",
    description = action_doc!(),
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("id" = String, Path, description = "Subscription id"),
        ("Idempotency-Key" = String, Header, description = "Unique per change"),
        LocaleQuery,
    ),
    request_body(content = Option<CancelRequest>, description = "Optional"),
    security(("customer_token" = [])),
    responses(
        (status = 200, description = "The subscription afterwards (`status: cancelled`)", body = SubscriptionView),
        (status = 400, description = "Not JSON, or missing Idempotency-Key", body = ErrorBody),
        (status = 401, description = "Missing, forged or expired customer token", body = ErrorBody),
        (status = 404, description = "No such shop or subscription of the shopper", body = ErrorBody),
        (status = 409, description = "Already cancelled (subscription_cancelled), or the plan's minimum deliveries are not reached (minimum_deliveries)", body = ErrorBody),
        (status = 422, description = "A reason the shop does not list, a comment too long; or Idempotency-Key reused", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn cancel(
    State(state): State<AppState>,
    customer: Customer,
    IdempotencyKey(key): IdempotencyKey,
    ApiPath(path): ApiPath<SubscriptionPath>,
    ApiQuery(query): ApiQuery<LocaleQuery>,
    RawBody(body): RawBody,
) -> Result<Response, AppError> {
    let config = subscriptions_of(&customer.shop)?;
    let request: CancelRequest = if body.iter().all(u8::is_ascii_whitespace) {
        CancelRequest::default()
    } else {
        parse_json(&body)?
    };
    let reason = request
        .reason
        .as_deref()
        .filter(|reason| !reason.is_empty());
    if let Some(reason) = reason {
        if config.reason(reason).is_none() {
            let listed: Vec<&str> = config
                .cancel_reasons
                .iter()
                .map(|r| r.id.as_str())
                .collect();
            return Err(AppError::Validation(if listed.is_empty() {
                "this shop lists no cancel reasons; leave `reason` out".into()
            } else {
                format!(
                    "`reason` must be one of {}, not `{}`",
                    listed.join(", "),
                    crate::error::excerpt(reason)
                )
            }));
        }
    }
    let comment = request
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|comment| !comment.is_empty());
    if let Some(comment) = comment {
        if comment.chars().count() > MAX_COMMENT_CHARS {
            return Err(AppError::Validation(format!(
                "`comment` may have at most {MAX_COMMENT_CHARS} characters"
            )));
        }
        if comment
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(AppError::Validation(
                "`comment` must not hold control characters".into(),
            ));
        }
    }
    let request = json!({ "reason": reason, "comment": comment });
    let locale = query.locale.as_deref();
    act(
        &state,
        &customer,
        &path.id,
        &key,
        locale,
        request,
        |current, config, _| {
            Ok(SubscriptionAction::Cancel {
                reason: reason.map(str::to_owned),
                comment: comment.map(str::to_owned),
                min_deliveries: config
                    .plan(&current.plan_id)
                    .and_then(|plan| plan.min_deliveries),
            })
        },
    )
    .await
}
