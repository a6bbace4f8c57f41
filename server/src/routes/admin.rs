//! The shop owner's side, for the shop's backend with its secret key or a staff member
//! signed in to the dashboard (either role: customer work is staff work): look up a
//! customer, adjust their points by hand, award earning actions, and list the shop's
//! redemptions.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use comeback_core::api::{
    ActionAwardRequest, AdjustmentRequest, AdminCustomer, NextExpiry, RedemptionPage,
};
use comeback_core::bounds;
use comeback_core::error::ErrorBody;
use comeback_core::tiers::held_progress;
use serde::Deserialize;

use super::loyalty::{replayed, request_hash, IdempotencyKey};
use super::{check_id, ApiJson, ApiPath, ApiQuery};
use crate::auth::Staff;
use crate::error::AppError;
use crate::store::{ActionInput, ActionOutcome, ActionRule, AdjustInput, AdjustOutcome};
use crate::AppState;

/// Longest adjustment reason, in characters.
pub const REASON_MAX_CHARS: usize = 200;

/// Longest action reference, in characters.
pub const REFERENCE_MAX_CHARS: usize = 128;

/// Text a shopper or operator will read: not blank, at most `max` characters, no
/// control characters.
fn check_text(field: &str, value: &str, max: usize) -> Result<(), AppError> {
    if value.trim().is_empty() || value.chars().count() > max || value.chars().any(char::is_control)
    {
        return Err(AppError::Validation(format!(
            "`{field}` must be 1 to {max} characters without control characters"
        )));
    }
    Ok(())
}

/// Redemptions per page when `limit` is not given.
pub const DEFAULT_PAGE_LIMIT: i64 = 50;

/// Most redemptions per page.
pub const MAX_PAGE_LIMIT: i64 = 200;

/// Path of the customer endpoints (the shop is read by [`Staff`]).
#[derive(Debug, Deserialize)]
pub struct CustomerPath {
    /// The shop's customer id.
    customer_id: String,
}

/// Query of the redemption list.
#[derive(Debug, Deserialize)]
pub struct RedemptionsQuery {
    /// Page size, 1–200 (default 50).
    limit: Option<i64>,
    /// Only redemptions made before this time, Unix seconds (a page's `next_before`).
    before: Option<i64>,
}

/// `GET /v1/shops/{shop}/admin/customers/{customer_id}`: a customer's points, tier,
/// history, usable codes and contact preferences.
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/customers/{customer_id}", tag = "admin",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("customer_id" = String, Path, description = "The shop's customer id"),
    ),
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "The customer", body = AdminCustomer),
        (status = 401, description = "Missing or wrong secret key, or no valid staff session", body = ErrorBody),
        (status = 404, description = "No such shop, or no record of this customer", body = ErrorBody),
        (status = 422, description = "Bad customer id", body = ErrorBody),
    ))]
pub async fn customer(
    State(state): State<AppState>,
    Staff { shop, .. }: Staff,
    ApiPath(path): ApiPath<CustomerPath>,
) -> Result<Json<AdminCustomer>, AppError> {
    check_id("customer_id", &path.customer_id)?;
    let programme = shop.loyalty()?;
    let now = state.clock.now();
    let record = state
        .store
        .customer_record(
            &shop.id,
            &path.customer_id,
            programme.loyalty.points_expire_after_days,
            now,
        )
        .await?
        .ok_or_else(|| {
            AppError::not_found(format!(
                "there is no record of customer `{}`",
                path.customer_id
            ))
        })?;
    let preferences = state
        .store
        .preferences_of(&shop.id, &path.customer_id)
        .await?;
    let standing = state
        .store
        .tier_standing(&shop.id, &path.customer_id, now)
        .await?;
    let summary = record.summary;
    Ok(Json(AdminCustomer {
        customer_id: path.customer_id,
        balance: summary.balance,
        lifetime_points: summary.lifetime,
        tier: held_progress(
            &programme.tiers(),
            &standing.status,
            standing.qualifying_total,
        ),
        history: summary.history,
        codes: summary
            .codes
            .iter()
            .map(|code| code.view(now, shop.config.reward_product(&code.reward_id)))
            .collect(),
        created_at: record.created_at,
        next_expiry: summary
            .next_expiry
            .map(|(on, points)| NextExpiry { points, on }),
        preferences: Some(preferences),
        qualifying_total: standing.qualifying_total,
        tier_held_until: standing.status.held_until,
        points_debt: summary.debt,
        history_details: summary.details,
    }))
}

/// `POST /v1/shops/{shop}/admin/customers/{customer_id}/adjustments`: adds or takes
/// away points by hand, with a reason the shopper sees. Repeating a request with the
/// same `Idempotency-Key` answers the first result again.
#[utoipa::path(post, path = "/v1/shops/{shop}/admin/customers/{customer_id}/adjustments", tag = "admin",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("customer_id" = String, Path, description = "The shop's customer id"),
        ("Idempotency-Key" = String, Header, description = "Unique per adjustment; 1-128 visible ASCII characters"),
    ),
    request_body = AdjustmentRequest,
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 201, description = "Adjusted; replays carry `Idempotency-Replayed: true`", body = comeback_core::api::Adjustment),
        (status = 400, description = "Bad body or missing Idempotency-Key", body = ErrorBody),
        (status = 401, description = "Missing or wrong secret key, or no valid staff session", body = ErrorBody),
        (status = 403, description = "A staff session without its X-CSRF-Token, or from another origin (csrf)", body = ErrorBody),
        (status = 404, description = "No such shop", body = ErrorBody),
        (status = 409, description = "Takes away more than the balance (insufficient_points)", body = ErrorBody),
        (status = 422, description = "Zero points or more than 10^9 either way, bad reason or customer id, Idempotency-Key reused with another body (validation_failed), or a total that would be out of range (amount_out_of_range)", body = ErrorBody),
    ))]
pub async fn adjust(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<CustomerPath>,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(request): ApiJson<AdjustmentRequest>,
) -> Result<Response, AppError> {
    check_id("customer_id", &path.customer_id)?;
    let shop = &staff.shop;
    shop.loyalty()?;
    if request.points == 0 {
        return Err(AppError::Validation("`points` must not be zero".into()));
    }
    bounds::points_change("points", request.points)?;
    let reason = request.reason.trim();
    check_text("reason", reason, REASON_MAX_CHARS)?;
    let request_hash = request_hash(&request)?;
    let input = AdjustInput {
        shop_id: &shop.id,
        customer_id: &path.customer_id,
        idempotency_key: &key,
        request_hash: &request_hash,
        points: request.points,
        reason,
        now: state.clock.now(),
    };
    match state.store.adjust(&input).await? {
        AdjustOutcome::Created(adjustment) => {
            // The ledger entry has no place for who made it: the log keeps it.
            tracing::info!(shop = %shop.id, actor = staff.actor(), points = request.points, "points adjusted by hand");
            Ok((StatusCode::CREATED, Json(adjustment)).into_response())
        }
        AdjustOutcome::Replayed { status, body } => replayed(status, body),
        AdjustOutcome::KeyReused => Err(AppError::IdempotencyKeyReused),
        AdjustOutcome::Insufficient(insufficient) => Err(AppError::AdjustmentExceedsBalance {
            balance: insufficient.balance,
            needed: insufficient.needed,
        }),
    }
}

/// `POST /v1/shops/{shop}/admin/customers/{customer_id}/actions`: awards one of the
/// shop's configured earning actions (sign-up, review, …) within its limits. Repeating
/// a request with the same `Idempotency-Key` answers the first result again.
#[utoipa::path(post, path = "/v1/shops/{shop}/admin/customers/{customer_id}/actions", tag = "admin",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("customer_id" = String, Path, description = "The shop's customer id"),
        ("Idempotency-Key" = String, Header, description = "Unique per award; 1-128 visible ASCII characters"),
    ),
    request_body = ActionAwardRequest,
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 201, description = "Awarded (fewer points than the action's when a daily cap trims it); replays carry `Idempotency-Replayed: true`", body = comeback_core::api::ActionAward),
        (status = 400, description = "Bad body or missing Idempotency-Key", body = ErrorBody),
        (status = 401, description = "Missing or wrong secret key, or no valid staff session", body = ErrorBody),
        (status = 403, description = "A staff session without its X-CSRF-Token, or from another origin (csrf)", body = ErrorBody),
        (status = 404, description = "No such shop, or no such action", body = ErrorBody),
        (status = 409, description = "A limit refuses the award (limit_reached): once_per_reference, once_per_year or daily_cap", body = ErrorBody),
        (status = 422, description = "Bad reference or customer id, or Idempotency-Key reused with another body", body = ErrorBody),
    ))]
pub async fn award_action(
    State(state): State<AppState>,
    Staff { shop, .. }: Staff,
    ApiPath(path): ApiPath<CustomerPath>,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(request): ApiJson<ActionAwardRequest>,
) -> Result<Response, AppError> {
    check_id("customer_id", &path.customer_id)?;
    let reference = &request.reference;
    check_text("reference", reference, REFERENCE_MAX_CHARS)?;
    let action = shop
        .loyalty()?
        .loyalty
        .action(&request.action_id)
        .ok_or_else(|| {
            AppError::not_found(format!(
                "the shop has no earning action `{}`",
                request.action_id
            ))
        })?;
    let request_hash = request_hash(&request)?;
    let input = ActionInput {
        shop_id: &shop.id,
        customer_id: &path.customer_id,
        idempotency_key: &key,
        request_hash: &request_hash,
        action: ActionRule {
            id: &action.id,
            points: action.points,
            limit: action.limit(),
            name: (&action.name).into(),
        },
        reference: &request.reference,
        now: state.clock.now(),
    };
    match state.store.award_action(&input).await? {
        ActionOutcome::Created(award) => Ok((StatusCode::CREATED, Json(award)).into_response()),
        ActionOutcome::Replayed { status, body } => replayed(status, body),
        ActionOutcome::KeyReused => Err(AppError::IdempotencyKeyReused),
        ActionOutcome::LimitReached(limit) => Err(AppError::LimitReached {
            action: action.id.clone(),
            limit,
        }),
    }
}

/// `GET /v1/shops/{shop}/admin/redemptions`: the shop's redemptions, newest first, a
/// page at a time.
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/redemptions", tag = "admin",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("limit" = Option<i64>, Query, description = "Page size, 1-200 (default 50)"),
        ("before" = Option<i64>, Query, description = "Only redemptions before this time, Unix seconds: the previous page's `next_before`"),
    ),
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "A page of redemptions", body = RedemptionPage),
        (status = 400, description = "Bad limit or before", body = ErrorBody),
        (status = 401, description = "Missing or wrong secret key, or no valid staff session", body = ErrorBody),
        (status = 404, description = "No such shop", body = ErrorBody),
    ))]
pub async fn redemptions(
    State(state): State<AppState>,
    Staff { shop, .. }: Staff,
    ApiQuery(query): ApiQuery<RedemptionsQuery>,
) -> Result<Json<RedemptionPage>, AppError> {
    shop.loyalty()?;
    let limit = query.limit.unwrap_or(DEFAULT_PAGE_LIMIT);
    if !(1..=MAX_PAGE_LIMIT).contains(&limit) {
        return Err(AppError::BadRequest(format!(
            "`limit` must be 1 to {MAX_PAGE_LIMIT}"
        )));
    }
    if query.before.is_some_and(|before| before < 0) {
        return Err(AppError::BadRequest(
            "`before` must be Unix seconds, 0 or more".into(),
        ));
    }
    let now = state.clock.now();
    let (codes, next_before) = state
        .store
        .redemptions_page(&shop.id, query.before, limit)
        .await?;
    Ok(Json(RedemptionPage {
        redemptions: codes.iter().map(|code| code.redemption(now)).collect(),
        next_before,
    }))
}
