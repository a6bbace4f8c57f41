//! Token revocation, for the shop's backend with an API key or its staff signed in to
//! the dashboard: after a password change, a sign-out everywhere or a stolen device,
//! the customer's tokens issued before a time stop working at once, though they have
//! not expired.

use axum::extract::State;
use axum::Json;
use comeback_core::error::ErrorBody;
use serde::{Deserialize, Serialize};

use super::{check_id, ApiJson, ApiPath};
use crate::auth::{Staff, TOKEN_LEEWAY_SECONDS};
use crate::error::AppError;
use crate::AppState;

/// Path of a customer's revocation.
#[derive(Debug, Deserialize)]
pub struct RevokePath {
    customer_id: String,
}

/// Body of a revocation; `{}` revokes every token issued until now.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeTokens {
    /// Tokens whose `iat` is earlier than this (Unix seconds) are refused; default now.
    /// At most now plus 30 seconds (the clock leeway tokens get).
    #[serde(default)]
    pub issued_before: Option<i64>,
}

/// The revocation in force.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TokensRevoked {
    /// The customer.
    pub customer_id: String,
    /// Tokens issued before this time (Unix seconds) are refused. Never moves back: a
    /// revocation earlier than one in force changes nothing.
    pub issued_before: i64,
}

/// `POST /v1/shops/{shop}/admin/customers/{customer_id}/revoke-tokens`: refuses the
/// customer's tokens issued before a time. Stored, so every server process honours it;
/// repeating it is harmless.
#[utoipa::path(post, path = "/v1/shops/{shop}/admin/customers/{customer_id}/revoke-tokens", tag = "admin",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("customer_id" = String, Path, description = "The customer's id"),
    ),
    request_body = RevokeTokens,
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "The revocation in force", body = TokensRevoked),
        (status = 400, description = "Bad body", body = ErrorBody),
        (status = 401, description = "Missing or wrong API key, or no valid staff session", body = ErrorBody),
        (status = 403, description = "A staff session without its X-CSRF-Token, or from another origin (csrf)", body = ErrorBody),
        (status = 422, description = "Bad customer id, or a time in the future", body = ErrorBody),
    ))]
pub async fn revoke_tokens(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<RevokePath>,
    ApiJson(body): ApiJson<RevokeTokens>,
) -> Result<Json<TokensRevoked>, AppError> {
    check_id("customer_id", &path.customer_id)?;
    let shop = &staff.shop;
    let now = state.clock.now();
    let before = body.issued_before.unwrap_or(now);
    if before > now.saturating_add(TOKEN_LEEWAY_SECONDS) || before < 0 {
        return Err(AppError::Validation(
            "`issued_before` must be a Unix time from 0 to now".into(),
        ));
    }
    let issued_before = state
        .store
        .revoke_tokens(&shop.id, &path.customer_id, before)
        .await?;
    tracing::info!(shop = %shop.id, actor = staff.actor(), issued_before, "customer tokens revoked");
    Ok(Json(TokensRevoked {
        customer_id: path.customer_id,
        issued_before,
    }))
}
