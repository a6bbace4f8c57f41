//! Staff sessions of the shop-owner dashboard: sign in with a staff account's email and
//! password (a session cookie plus its CSRF token), read the session, sign out.
//!
//! A wrong email and a wrong password get the same answer, after the same Argon2
//! verification. [`MAX_FAILED_SIGN_INS`] failures in a row lock the account for
//! [`LOCK_SECONDS`]; sign-ins are also rate limited per client address
//! (`ratelimit::sign_in`).

use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use comeback_core::dashboard::{SignInRequest, StaffSession};
use comeback_core::error::ErrorBody;
use comeback_core::orders::normalize_email;

use super::ApiJson;
use crate::auth::password::{random_token, token_hash, verify_password};
use crate::auth::staff::{
    check_origin, LOCK_SECONDS, MAX_FAILED_SIGN_INS, SESSION_COOKIE, SESSION_IDLE_SECONDS,
    SESSION_LIFETIME_SECONDS,
};
use crate::auth::{Shop, StaffSessionAuth};
use crate::error::AppError;
use crate::store::NewStaffSession;
use crate::AppState;

/// The one answer to a wrong email or a wrong password.
const WRONG_CREDENTIALS: &str = "the email or the password is not right";

/// The `Set-Cookie` value of a new session.
fn session_cookie(token: &str) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={SESSION_LIFETIME_SECONDS}"
    )
}

/// The `Set-Cookie` value that clears the session cookie.
fn cleared_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0")
}

/// `response` with `cookie` set.
fn with_cookie(mut response: Response, cookie: &str) -> Result<Response, AppError> {
    let value = HeaderValue::from_str(cookie)
        .map_err(|_| AppError::Internal("a session cookie is not a header value".into()))?;
    response.headers_mut().insert(SET_COOKIE, value);
    Ok(response)
}

/// `POST /v1/shops/{shop}/admin/session`: signs a staff account in. Answers the session
/// and sets its `HttpOnly` cookie `comeback_staff`; every later request that changes
/// something must send the answer's `csrf_token` in `X-CSRF-Token`.
#[utoipa::path(post, path = "/v1/shops/{shop}/admin/session", tag = "admin",
    params(("shop" = String, Path, description = "Shop id")),
    request_body = SignInRequest,
    responses(
        (status = 200, description = "Signed in; `Set-Cookie: comeback_staff=…; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=43200`", body = StaffSession),
        (status = 400, description = "Bad body", body = ErrorBody),
        (status = 401, description = "Wrong email or password (one answer for both)", body = ErrorBody),
        (status = 403, description = "From another origin (csrf)", body = ErrorBody),
        (status = 404, description = "No such shop", body = ErrorBody),
        (status = 429, description = "The account is locked after 5 failed sign-ins in a row (account_locked), or too many sign-ins from this address (rate_limited); see `Retry-After`", body = ErrorBody),
    ))]
pub async fn sign_in(
    State(state): State<AppState>,
    shop: Shop,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SignInRequest>,
) -> Result<Response, AppError> {
    check_origin(&headers, None)?;
    let now = state.clock.now();
    let email = normalize_email(&request.email);
    let user = match &email {
        Some(email) => state.store.staff_user(&shop.id, email).await?,
        None => None,
    };
    if let Some(until) = user
        .as_ref()
        .and_then(|user| user.locked_until)
        .filter(|until| *until > now)
    {
        return Err(locked(until, now));
    }
    let hash = user.as_ref().map(|user| user.password_hash.clone());
    if !verify_password(request.password, hash).await {
        if let Some(user) = &user {
            let lock = state
                .store
                .record_staff_failure(
                    &shop.id,
                    &user.email,
                    MAX_FAILED_SIGN_INS,
                    now + LOCK_SECONDS,
                    now,
                )
                .await?;
            if let Some(until) = lock {
                tracing::warn!(shop = %shop.id, "a staff account is locked after failed sign-ins");
                return Err(locked(until, now));
            }
        }
        return Err(AppError::unauthorized(WRONG_CREDENTIALS));
    }
    let Some(user) = user else {
        return Err(AppError::unauthorized(WRONG_CREDENTIALS));
    };
    state
        .store
        .reset_staff_failures(&shop.id, &user.email)
        .await?;
    let token = random_token();
    let session = StaffSession {
        shop_id: shop.id.clone(),
        email: user.email,
        role: user.role,
        csrf_token: random_token(),
        expires_at: now + SESSION_LIFETIME_SECONDS,
    };
    state
        .store
        .create_staff_session(
            &NewStaffSession {
                token_hash: &token_hash(&token),
                shop_id: &shop.id,
                email: &session.email,
                csrf_token: &session.csrf_token,
                now,
                expires_at: session.expires_at,
            },
            now - SESSION_IDLE_SECONDS,
        )
        .await?;
    tracing::info!(shop = %shop.id, role = session.role.as_str(), "staff signed in");
    with_cookie(Json(session).into_response(), &session_cookie(&token))
}

/// 429 `account_locked` until `until`.
fn locked(until: i64, now: i64) -> AppError {
    AppError::AccountLocked(u64::try_from(until - now).unwrap_or(1).max(1))
}

/// `GET /v1/shops/{shop}/admin/session`: the signed-in staff member of the session
/// cookie, with the CSRF token to send (for a dashboard opened again).
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/session", tag = "admin",
    params(("shop" = String, Path, description = "Shop id")),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "The session", body = StaffSession),
        (status = 401, description = "No session, or it has ended, or it is for another shop", body = ErrorBody),
        (status = 404, description = "No such shop", body = ErrorBody),
    ))]
pub async fn current_session(session: StaffSessionAuth) -> Json<StaffSession> {
    Json(StaffSession {
        shop_id: session.staff.shop.id,
        email: session.staff.email.unwrap_or_default(),
        role: session.staff.role,
        csrf_token: session.csrf_token,
        expires_at: session.expires_at,
    })
}

/// `DELETE /v1/shops/{shop}/admin/session`: signs out: the session ends and its cookie
/// is cleared. Needs `X-CSRF-Token`.
#[utoipa::path(delete, path = "/v1/shops/{shop}/admin/session", tag = "admin",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("X-CSRF-Token" = String, Header, description = "The session's `csrf_token`"),
    ),
    security(("staff_session" = [])),
    responses(
        (status = 204, description = "Signed out; `Set-Cookie: comeback_staff=; …; Max-Age=0`"),
        (status = 401, description = "No session, or it has ended, or it is for another shop", body = ErrorBody),
        (status = 403, description = "Without the session's CSRF token, or from another origin (csrf)", body = ErrorBody),
        (status = 404, description = "No such shop", body = ErrorBody),
    ))]
pub async fn sign_out(
    State(state): State<AppState>,
    session: StaffSessionAuth,
) -> Result<Response, AppError> {
    state
        .store
        .delete_staff_session(&session.token_hash)
        .await?;
    tracing::info!(shop = %session.staff.shop.id, "staff signed out");
    with_cookie(StatusCode::NO_CONTENT.into_response(), &cleared_cookie())
}
