//! The shop's staff: whoever may use the admin API. The shop's backend with one of its
//! API keys acts as an owner; the dashboard signs in with a staff account and a session
//! cookie (see `docs/dashboard.md`).
//!
//! A session cookie counts only for the shop it was made for, while the account still
//! exists (with the role it has now), for at most [`SESSION_LIFETIME_SECONDS`] and
//! until [`SESSION_IDLE_SECONDS`] pass without a request. Requests that may change
//! something (every method but `GET`, `HEAD` and `OPTIONS`) must also carry the
//! session's CSRF token in `X-CSRF-Token` and, when the browser sends an `Origin`, come
//! from the server's own origin.

use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, HOST, ORIGIN};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use comeback_core::dashboard::{StaffRole, CSRF_HEADER};
use subtle::ConstantTimeEq;

use super::password::token_hash;
use super::{bearer, Shop, ShopBackend};
use crate::error::AppError;
use crate::AppState;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "comeback_staff";

/// A session ends this long after signing in, seconds (12 hours).
pub const SESSION_LIFETIME_SECONDS: i64 = 12 * 60 * 60;

/// A session ends after this long without a request, seconds (2 hours).
pub const SESSION_IDLE_SECONDS: i64 = 2 * 60 * 60;

/// A session's last request is written at most this often, seconds: the idle limit is
/// kept to the minute without a write on every request.
pub const TOUCH_INTERVAL_SECONDS: i64 = 60;

/// Failed sign-ins in a row that lock an account.
pub const MAX_FAILED_SIGN_INS: i64 = 5;

/// How long a locked account refuses sign-ins, seconds (15 minutes).
pub const LOCK_SECONDS: i64 = 15 * 60;

/// The answer to a missing, ended or foreign session.
const SIGN_IN_AGAIN: &str =
    "the staff session is missing, has ended or is not for this shop; sign in again";

/// Someone allowed into the shop's admin API.
#[derive(Debug, Clone)]
pub struct Staff {
    /// The shop.
    pub shop: Shop,
    /// What they may do.
    pub role: StaffRole,
    /// The staff account's email; `None` for the shop's backend (an API key).
    pub email: Option<String>,
}

impl Staff {
    /// Refuses with 403 `forbidden` unless the caller may change the shop's settings.
    pub fn require_owner(&self) -> Result<(), AppError> {
        if self.role.may_change_settings() {
            Ok(())
        } else {
            Err(AppError::forbidden(
                "only the shop's owners may change its settings",
            ))
        }
    }

    /// Who did it, for audit trails: the account's email, or `api-key`.
    pub fn actor(&self) -> &str {
        self.email.as_deref().unwrap_or("api-key")
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = AppError;

    /// An API key when the request has an `Authorization` header, else the session
    /// cookie.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let shop = Shop::from_request_parts(parts, state).await?;
        if bearer(&parts.headers).is_some() || session_token(&parts.headers).is_none() {
            let ShopBackend(shop) = ShopBackend::verify(shop, &parts.headers).map_err(|_| {
                AppError::unauthorized(
                    "one of the shop's API keys (Authorization: Bearer <api key>) or a staff session is required",
                )
            })?;
            return Ok(Staff {
                shop,
                role: StaffRole::Owner,
                email: None,
            });
        }
        Ok(StaffSessionAuth::verify(state, shop, parts).await?.staff)
    }
}

/// A request signed in with a staff session cookie (API keys do not count): for the
/// session endpoints themselves.
#[derive(Debug, Clone)]
pub struct StaffSessionAuth {
    /// The staff member.
    pub staff: Staff,
    /// The hash the session is stored under.
    pub token_hash: String,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// When the session ends at the latest, Unix seconds.
    pub expires_at: i64,
}

impl FromRequestParts<AppState> for StaffSessionAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let shop = Shop::from_request_parts(parts, state).await?;
        StaffSessionAuth::verify(state, shop, parts).await
    }
}

impl StaffSessionAuth {
    /// The session of the request's cookie for `shop`, checked as the module header
    /// says, its last request recorded (at most once a minute).
    pub async fn verify(
        state: &AppState,
        shop: Shop,
        parts: &Parts,
    ) -> Result<StaffSessionAuth, AppError> {
        let token =
            session_token(&parts.headers).ok_or_else(|| AppError::unauthorized(SIGN_IN_AGAIN))?;
        let token_hash = token_hash(token);
        let now = state.clock.now();
        let session = state
            .store
            .staff_session(&token_hash, now, now - SESSION_IDLE_SECONDS)
            .await?
            .filter(|session| session.shop_id == shop.id)
            .ok_or_else(|| AppError::unauthorized(SIGN_IN_AGAIN))?;
        if changes_something(&parts.method) {
            check_csrf(&parts.headers, &session.csrf_token)?;
            check_origin(&parts.headers, parts.uri.authority().map(|a| a.as_str()))?;
        }
        if now - session.last_seen_at >= TOUCH_INTERVAL_SECONDS {
            state.store.touch_staff_session(&token_hash, now).await?;
        }
        let role = session.role()?;
        Ok(StaffSessionAuth {
            staff: Staff {
                shop,
                role,
                email: Some(session.email),
            },
            token_hash,
            csrf_token: session.csrf_token,
            expires_at: session.expires_at,
        })
    }
}

/// Whether a request with this method may change something (and so needs the CSRF
/// token).
fn changes_something(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The value of the session cookie, if the request has one. (Not `axum-extra`'s
/// `CookieJar`: one cookie is read, and this is all it takes.)
pub fn session_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == SESSION_COOKIE).then(|| value.trim())
        })
        .filter(|value| !value.is_empty())
}

/// 403 `csrf` unless `X-CSRF-Token` is the session's token (compared in constant time).
fn check_csrf(headers: &HeaderMap, expected: &str) -> Result<(), AppError> {
    let sent = headers
        .get(CSRF_HEADER)
        .map(|value| value.as_bytes())
        .unwrap_or_default();
    if bool::from(sent.ct_eq(expected.as_bytes())) {
        Ok(())
    } else {
        Err(AppError::Csrf(
            "this request changes something and needs the session's token in the X-CSRF-Token header".into(),
        ))
    }
}

/// 403 `csrf` when the request carries an `Origin` that is not the server's own: the
/// same host (and port) as the request's `Host` (or `authority`), over `http` or
/// `https` — the one of `X-Forwarded-Proto` when a proxy says which.
pub fn check_origin(headers: &HeaderMap, authority: Option<&str>) -> Result<(), AppError> {
    let Some(origin) = headers.get(ORIGIN) else {
        return Ok(());
    };
    let host = headers
        .get(HOST)
        .and_then(|value| value.to_str().ok())
        .or(authority);
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|value| value.to_str().ok())
        .map(|value| value.split(',').next().unwrap_or_default().trim());
    let same = origin
        .to_str()
        .ok()
        .and_then(|origin| origin.split_once("://"))
        .zip(host)
        .is_some_and(|((scheme, origin_host), host)| {
            let scheme_ok = match proto {
                Some(proto) => scheme.eq_ignore_ascii_case(proto),
                None => scheme == "http" || scheme == "https",
            };
            scheme_ok && origin_host.eq_ignore_ascii_case(host)
        });
    if same {
        Ok(())
    } else {
        Err(AppError::Csrf(
            "a staff session's changes are accepted only from the dashboard's own origin".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use std::collections::BTreeMap;
    use std::sync::Arc;

    fn shop() -> Shop {
        let config = crate::config::Config::parse(
            "[shops.a]\nname = \"Tea\"\ncurrency = \"CNY\"\ntoken_secrets = [\"tok-0123456789abcdef0123456789abcdef\"]\nwebhook_secrets = [\"hook-0123456789abcdef0123456789abcdef\"]\napi_keys = [\"api-0123456789abcdef0123456789abcdef\"]\n",
        )
        .unwrap();
        let shops: BTreeMap<_, _> = config.shops.into_iter().collect();
        Shop {
            id: "a".into(),
            config: Arc::new(shops["a"].clone()),
        }
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn only_owners_pass_require_owner_and_staff_get_403() {
        let staff = |role| Staff {
            shop: shop(),
            role,
            email: Some("lin@example.com".into()),
        };
        assert!(staff(StaffRole::Owner).require_owner().is_ok());
        let refused = staff(StaffRole::Staff).require_owner().unwrap_err();
        assert_eq!(refused.code(), comeback_core::ErrorCode::Forbidden);
        assert_eq!(refused.code().status(), 403);
        assert_eq!(staff(StaffRole::Staff).actor(), "lin@example.com");
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let sent = headers(&[("cookie", "a=1; comeback_staff=tok; b=2")]);
        assert_eq!(session_token(&sent), Some("tok"));
        let split = headers(&[("cookie", "a=1"), ("cookie", "comeback_staff=t2")]);
        assert_eq!(session_token(&split), Some("t2"));
        assert_eq!(
            session_token(&headers(&[("cookie", "comeback_staff=")])),
            None
        );
        assert_eq!(
            session_token(&headers(&[("cookie", "xcomeback_staff=1")])),
            None
        );
    }

    #[test]
    fn origins_must_be_the_servers_own() {
        let check = |pairs: &[(&'static str, &str)]| check_origin(&headers(pairs), None).is_ok();
        assert!(
            check(&[("host", "shop.example")]),
            "no Origin: not a cross-site form"
        );
        assert!(check(&[
            ("host", "shop.example"),
            ("origin", "https://shop.example")
        ]));
        assert!(check(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080")
        ]));
        assert!(!check(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:9090")
        ]));
        assert!(!check(&[
            ("host", "shop.example"),
            ("origin", "https://evil.example")
        ]));
        assert!(!check(&[("host", "shop.example"), ("origin", "null")]));
        assert!(
            !check(&[("origin", "https://shop.example")]),
            "no Host to compare"
        );
        assert!(!check(&[
            ("host", "shop.example"),
            ("origin", "http://shop.example"),
            ("x-forwarded-proto", "https"),
        ]));
        assert!(check_origin(
            &headers(&[("origin", "https://shop.example")]),
            Some("shop.example")
        )
        .is_ok());
    }
}
