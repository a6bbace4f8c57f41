//! Discount codes as the shop's backend sees them: check a code at checkout, consume
//! it with the order that used it, or release it to give its points back.

use axum::extract::State;
use axum::Json;
use comeback_core::api::{CodeRelease, ConsumeCodeRequest, DiscountCodeView};
use comeback_core::code::normalize_code;
use comeback_core::error::ErrorBody;
use serde::Deserialize;

use super::{check_id, ApiJson, ApiPath};
use crate::auth::ShopBackend;
use crate::error::AppError;
use crate::store::{ConsumeOutcome, ReleaseOutcome};
use crate::AppState;

/// Path of the discount-code endpoints (the shop is read by [`ShopBackend`]).
#[derive(Debug, Deserialize)]
pub struct CodePath {
    /// The code as typed.
    code: String,
}

fn unknown(code: &str) -> AppError {
    AppError::not_found(format!(
        "there is no discount code `{}`",
        crate::error::excerpt(code)
    ))
}

/// `GET /v1/shops/{shop}/discount-codes/{code}`: a code's state.
#[utoipa::path(get, path = "/v1/shops/{shop}/discount-codes/{code}", tag = "discount codes",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("code" = String, Path, description = "The code, any case"),
    ),
    security(("shop_key" = [])),
    responses(
        (status = 200, description = "The code", body = DiscountCodeView),
        (status = 401, description = "Missing or wrong API key", body = ErrorBody),
        (status = 404, description = "No such shop or code", body = ErrorBody),
    ))]
pub async fn show(
    State(state): State<AppState>,
    ShopBackend(shop): ShopBackend,
    ApiPath(path): ApiPath<CodePath>,
) -> Result<Json<DiscountCodeView>, AppError> {
    let code = normalize_code(&path.code);
    let stored = state
        .store
        .discount_code(&shop.id, &code)
        .await?
        .ok_or_else(|| unknown(&code))?;
    Ok(Json(stored.view(
        state.clock.now(),
        shop.config.reward_product(&stored.reward_id),
    )))
}

/// `POST /v1/shops/{shop}/discount-codes/{code}/consume`: marks the code used by an
/// order. Repeating it with the same order is harmless.
#[utoipa::path(post, path = "/v1/shops/{shop}/discount-codes/{code}/consume", tag = "discount codes",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("code" = String, Path, description = "The code, any case"),
    ),
    request_body = ConsumeCodeRequest,
    security(("shop_key" = [])),
    responses(
        (status = 200, description = "Used by this order (now or before)", body = DiscountCodeView),
        (status = 400, description = "Bad body", body = ErrorBody),
        (status = 401, description = "Missing or wrong API key", body = ErrorBody),
        (status = 404, description = "No such shop or code", body = ErrorBody),
        (status = 409, description = "code_already_used, code_expired or code_released", body = ErrorBody),
        (status = 422, description = "Bad order id", body = ErrorBody),
    ))]
pub async fn consume(
    State(state): State<AppState>,
    ShopBackend(shop): ShopBackend,
    ApiPath(path): ApiPath<CodePath>,
    ApiJson(request): ApiJson<ConsumeCodeRequest>,
) -> Result<Json<DiscountCodeView>, AppError> {
    check_id("order_id", &request.order_id)?;
    let code = normalize_code(&path.code);
    let now = state.clock.now();
    match state
        .store
        .consume_code(&shop.id, &code, &request.order_id, now)
        .await?
    {
        ConsumeOutcome::Consumed(stored) => Ok(Json(
            stored.view(now, shop.config.reward_product(&stored.reward_id)),
        )),
        ConsumeOutcome::UsedByOther(_) => Err(AppError::CodeAlreadyUsed(code)),
        ConsumeOutcome::Expired(_) => Err(AppError::CodeExpired(code)),
        ConsumeOutcome::Released(_) => Err(AppError::CodeReleased(code)),
        ConsumeOutcome::Revoked(_) => Err(AppError::CodeRevoked(code)),
        ConsumeOutcome::NotFound => Err(unknown(&code)),
    }
}

/// `POST /v1/shops/{shop}/discount-codes/{code}/release`: gives back a code the
/// shopper will not use (never used, or used on an order since refunded in full, which
/// is how a cancelled order arrives): the code becomes `released` and its points return
/// to the customer (repaying a debt first). Releasing again answers the same code with
/// `points_returned: 0`.
#[utoipa::path(post, path = "/v1/shops/{shop}/discount-codes/{code}/release", tag = "discount codes",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("code" = String, Path, description = "The code, any case"),
    ),
    security(("shop_key" = [])),
    responses(
        (status = 200, description = "Released (now or before)", body = CodeRelease),
        (status = 401, description = "Missing or wrong API key", body = ErrorBody),
        (status = 404, description = "No such shop or code", body = ErrorBody),
        (status = 409, description = "code_expired: it expired unused, and the expiry job gives its points back; code_revoked: a refund revoked it; code_in_use: the order it was used on is not refunded in full", body = ErrorBody),
    ))]
pub async fn release(
    State(state): State<AppState>,
    ShopBackend(shop): ShopBackend,
    ApiPath(path): ApiPath<CodePath>,
) -> Result<Json<CodeRelease>, AppError> {
    let code = normalize_code(&path.code);
    let now = state.clock.now();
    match state.store.release_code(&shop.id, &code, now).await? {
        ReleaseOutcome::Released {
            code,
            points_returned,
            balance,
        } => Ok(Json(CodeRelease {
            code: code.view(now, shop.config.reward_product(&code.reward_id)),
            points_returned,
            balance,
        })),
        ReleaseOutcome::Expired(_) => Err(AppError::CodeExpired(code)),
        ReleaseOutcome::Revoked(_) => Err(AppError::CodeRevoked(code)),
        ReleaseOutcome::InUse { order, .. } => Err(AppError::CodeInUse { code, order }),
        ReleaseOutcome::NotFound => Err(unknown(&code)),
    }
}
