//! Who is calling: the shop from the path, a shopper from a customer token, the shop's
//! backend from one of its API keys, the shop's staff from an API key or a staff
//! session cookie, and webhooks from their signature.
//!
//! Each credential has its own keys (`token_secrets`, `api_keys`, `webhook_secrets`),
//! so holding one never grants another. Comparisons of keys and MACs are constant-time.
//! The customer id is taken only from a verified, unrevoked token.

pub mod password;
pub mod signature;
pub mod staff;
pub mod token;

use std::sync::Arc;

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use subtle::ConstantTimeEq;

pub use signature::{
    parse_signature, sign_webhook, verify_webhook, SignatureError, SignatureHeader,
    SIGNATURE_HEADER, SIGNATURE_TOLERANCE_SECONDS,
};
pub use staff::{Staff, StaffSessionAuth};
pub use token::{
    mint_token, sign_claims, verify_token, CustomerClaims, TokenError, TokenRules,
    TOKEN_LEEWAY_SECONDS,
};

use crate::config::ShopConfig;
use crate::error::AppError;
use crate::AppState;

/// The shop named by the `{shop}` path segment.
#[derive(Debug, Clone)]
pub struct Shop {
    /// The shop id.
    pub id: String,
    /// Its configuration.
    pub config: Arc<ShopConfig>,
}

impl Shop {
    /// The rules customer tokens of this shop must meet.
    pub fn token_rules(&self) -> TokenRules<'_> {
        TokenRules {
            secrets: &self.config.token_secrets,
            shop_id: &self.id,
            max_lifetime_seconds: self.config.max_token_lifetime_seconds,
        }
    }

    /// The shop's loyalty programme, or 404 when it has none.
    pub fn loyalty(&self) -> Result<crate::features::loyalty::Programme<'_>, AppError> {
        crate::features::loyalty::Programme::of(&self.config).ok_or_else(|| {
            AppError::not_found(format!("the shop `{}` has no loyalty programme", self.id))
        })
    }
}

impl FromRequestParts<AppState> for Shop {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::BadRequest("the path is not valid".into()))?;
        let id = params
            .iter()
            .find(|(name, _)| *name == "shop")
            .map(|(_, value)| value.to_owned())
            .ok_or_else(|| AppError::Internal("route without a {shop} segment".into()))?;
        state.shop(&id)
    }
}

/// The bearer credential of a request, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|token| !token.is_empty())
}

/// A shopper, identified by a verified customer token for the path's shop.
#[derive(Debug, Clone)]
pub struct Customer {
    /// The shop.
    pub shop: Shop,
    /// The verified claims; `claims.sub` is the customer id.
    pub claims: CustomerClaims,
    /// The customer's `lock_version` read with the revocation check (`None`: never
    /// seen), so `/loyalty/me` can answer from its cache without another read.
    pub version: Option<i64>,
}

impl FromRequestParts<AppState> for Customer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let shop = Shop::from_request_parts(parts, state).await?;
        let verified = parts.extensions.remove::<VerifiedToken>();
        Customer::of_request(state, shop, verified, &parts.headers).await
    }
}

/// The claims of a request's customer token, verified for `shop_id` by the rate-limit
/// middleware and left in the request's extensions for [`Customer`], so a request's
/// signature is checked once. Only server code inserts extensions; a client cannot.
#[derive(Debug, Clone)]
pub struct VerifiedToken {
    /// The shop the token was verified for (the path's).
    pub shop_id: String,
    /// The verified claims.
    pub claims: CustomerClaims,
}

impl Customer {
    /// The shopper of a request: from the claims the shopper routes' rate limit verified
    /// for this shop when it did (a request's signature is checked once), otherwise from
    /// `headers`' bearer token. For handlers that need the shopper only for some requests
    /// (they take `Option<Extension<VerifiedToken>>`).
    pub async fn of_request(
        state: &AppState,
        shop: Shop,
        verified: Option<VerifiedToken>,
        headers: &HeaderMap,
    ) -> Result<Customer, AppError> {
        match verified {
            Some(verified) if verified.shop_id == shop.id => {
                Customer::admit(state, shop, verified.claims).await
            }
            _ => Customer::verify(state, shop, headers).await,
        }
    }

    /// The shopper of `headers`' bearer token for `shop`: the token verified and checked
    /// against the customer's revocation (one database round trip).
    pub async fn verify(
        state: &AppState,
        shop: Shop,
        headers: &HeaderMap,
    ) -> Result<Customer, AppError> {
        let token = bearer(headers)
            .ok_or_else(|| AppError::unauthorized(TokenError::Missing.to_string()))?;
        let claims = verify_token(shop.token_rules(), token, state.clock.now())
            .map_err(|error| AppError::unauthorized(error.to_string()))?;
        Customer::admit(state, shop, claims).await
    }

    /// The shopper of verified `claims`, unless the customer's tokens were revoked after
    /// this one was issued (one database round trip, which also reads the customer's
    /// version for `/loyalty/me`'s cache).
    async fn admit(
        state: &AppState,
        shop: Shop,
        claims: CustomerClaims,
    ) -> Result<Customer, AppError> {
        let signed_in = state.store.signed_in(&shop.id, &claims.sub).await?;
        if signed_in
            .revoked_before
            .is_some_and(|before| claims.iat < before)
        {
            return Err(AppError::unauthorized(TokenError::Revoked.to_string()));
        }
        Ok(Customer {
            shop,
            claims,
            version: signed_in.version,
        })
    }
}

/// The shop's own backend, identified by one of the shop's API keys as a bearer key.
#[derive(Debug, Clone)]
pub struct ShopBackend(pub Shop);

impl FromRequestParts<AppState> for ShopBackend {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let shop = Shop::from_request_parts(parts, state).await?;
        ShopBackend::verify(shop, &parts.headers)
    }
}

impl ShopBackend {
    /// `shop`'s backend when `headers` carry one of its API keys as a bearer key.
    pub fn verify(shop: Shop, headers: &HeaderMap) -> Result<ShopBackend, AppError> {
        let key = bearer(headers).unwrap_or_default();
        // Every key is compared, so the time taken does not tell which one matched.
        let matched = shop.config.api_keys.iter().fold(false, |matched, api_key| {
            matched | bool::from(key.as_bytes().ct_eq(api_key.expose().as_bytes()))
        });
        if matched {
            Ok(ShopBackend(shop))
        } else {
            Err(AppError::unauthorized(
                "one of the shop's API keys is required (Authorization: Bearer <api key>)",
            ))
        }
    }
}
