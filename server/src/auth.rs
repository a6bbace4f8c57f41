//! Who is calling: the shop from the path, a shopper from a customer token, the shop's
//! backend from its secret key, and webhooks from their signature.
//!
//! All three credentials derive from the shop secret. Comparisons of secrets and MACs
//! are constant-time. The customer id is taken only from a verified token.

use std::sync::Arc;

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::config::ShopConfig;
use crate::error::AppError;
use crate::AppState;

/// Seconds of clock difference tolerated on token `exp` and `iat`.
pub const TOKEN_LEEWAY_SECONDS: i64 = 30;

/// Webhooks older or newer than this many seconds are refused (replay protection).
pub const SIGNATURE_TOLERANCE_SECONDS: i64 = 300;

/// The webhook signature header.
pub const SIGNATURE_HEADER: &str = "comeback-signature";

/// The shop named by the `{shop}` path segment.
#[derive(Debug, Clone)]
pub struct Shop {
    /// The shop id.
    pub id: String,
    /// Its configuration.
    pub config: Arc<ShopConfig>,
}

impl Shop {
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

/// Claims of a customer token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerClaims {
    /// The customer id.
    pub sub: String,
    /// Expiry, Unix seconds.
    pub exp: i64,
    /// Issued at, Unix seconds.
    pub iat: i64,
    /// Key id, for the shop's own key management; not interpreted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// The customer's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The customer's name, shown in the widget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Why a token was refused (logged; the client gets a short message).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    /// No `Authorization: Bearer` header.
    #[error("a customer token is required (Authorization: Bearer <token>)")]
    Missing,
    /// Bad signature, algorithm, shape or claims.
    #[error("the customer token is not valid for this shop")]
    Invalid,
    /// Past `exp`.
    #[error("the customer token has expired")]
    Expired,
}

/// Signs a customer token for a shop (used by the `token` command and demo sessions).
pub fn mint_token(
    secret: &str,
    customer_id: &str,
    name: Option<&str>,
    now: i64,
    ttl_seconds: i64,
) -> Result<String, jsonwebtoken::errors::Error> {
    let claims = CustomerClaims {
        sub: customer_id.to_owned(),
        exp: now.saturating_add(ttl_seconds),
        iat: now,
        kid: None,
        email: None,
        name: name.map(str::to_owned),
    };
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
}

/// Verifies a customer token: HS256 only, signed with `secret`, `sub`, `iat` and `exp`
/// present, not expired at `now` (with leeway), not issued in the future.
pub fn verify_token(secret: &str, token: &str, now: i64) -> Result<CustomerClaims, TokenError> {
    let mut validation = Validation::new(Algorithm::HS256);
    // Expiry is checked below against the server's clock; presence of the claims is
    // enforced by `CustomerClaims` having no defaults for them.
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let data = jsonwebtoken::decode::<CustomerClaims>(
        token,
        &DecodingKey::from_secret(secret.as_bytes()),
        &validation,
    )
    .map_err(|error| {
        tracing::debug!(%error, "customer token refused");
        TokenError::Invalid
    })?;
    let claims = data.claims;
    if claims.sub.is_empty() || claims.sub.len() > 128 {
        return Err(TokenError::Invalid);
    }
    if claims.iat > now + TOKEN_LEEWAY_SECONDS {
        return Err(TokenError::Invalid);
    }
    if claims.exp + TOKEN_LEEWAY_SECONDS < now {
        return Err(TokenError::Expired);
    }
    Ok(claims)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
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
}

impl FromRequestParts<AppState> for Customer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let shop = Shop::from_request_parts(parts, state).await?;
        let token = bearer(&parts.headers)
            .ok_or_else(|| AppError::unauthorized(TokenError::Missing.to_string()))?;
        let claims = verify_token(&shop.config.secret, token, state.clock.now())
            .map_err(|error| AppError::unauthorized(error.to_string()))?;
        Ok(Customer { shop, claims })
    }
}

/// The shop's own backend, identified by the shop secret as a bearer key.
#[derive(Debug, Clone)]
pub struct ShopBackend(pub Shop);

impl FromRequestParts<AppState> for ShopBackend {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let shop = Shop::from_request_parts(parts, state).await?;
        let key = bearer(&parts.headers).unwrap_or_default();
        if bool::from(key.as_bytes().ct_eq(shop.config.secret.as_bytes())) {
            Ok(ShopBackend(shop))
        } else {
            Err(AppError::unauthorized(
                "the shop's secret key is required (Authorization: Bearer <secret>)",
            ))
        }
    }
}

/// Why a webhook signature was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignatureError {
    /// No `Comeback-Signature` header.
    #[error("the Comeback-Signature header is missing")]
    Missing,
    /// The header is not `t=<seconds>,v1=<hex>[,v1=<hex>…]`.
    #[error("the Comeback-Signature header is malformed")]
    Malformed,
    /// The timestamp is too far from now.
    #[error("the Comeback-Signature timestamp is outside the {SIGNATURE_TOLERANCE_SECONDS}-second tolerance")]
    Stale,
    /// No signature matches.
    #[error("the Comeback-Signature does not match the body")]
    Mismatch,
}

/// A parsed `Comeback-Signature` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeader {
    /// `t`, Unix seconds.
    pub timestamp: i64,
    /// Every `v1` MAC (several while a secret is being rotated).
    pub signatures: Vec<Vec<u8>>,
}

/// Parses `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`; unknown schemes are ignored so new
/// ones can be added beside `v1`.
pub fn parse_signature(header: &str) -> Result<SignatureHeader, SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        let (name, value) = part
            .trim()
            .split_once('=')
            .ok_or(SignatureError::Malformed)?;
        match name {
            "t" => {
                if timestamp.is_some()
                    || value.is_empty()
                    || !value.bytes().all(|b| b.is_ascii_digit())
                {
                    return Err(SignatureError::Malformed);
                }
                timestamp = Some(
                    value
                        .parse::<i64>()
                        .map_err(|_| SignatureError::Malformed)?,
                );
            }
            "v1" => {
                let mac = hex::decode(value).map_err(|_| SignatureError::Malformed)?;
                if mac.len() != 32 {
                    return Err(SignatureError::Malformed);
                }
                signatures.push(mac);
            }
            _ => {}
        }
    }
    match timestamp {
        Some(timestamp) if !signatures.is_empty() => Ok(SignatureHeader {
            timestamp,
            signatures,
        }),
        _ => Err(SignatureError::Malformed),
    }
}

fn mac_for(secret: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The `v1` signature of `body` at `timestamp`, hex: HMAC-SHA256 over `"<t>.<body>"`.
pub fn sign_webhook(secret: &str, timestamp: i64, body: &[u8]) -> String {
    hex::encode(mac_for(secret, timestamp, body).finalize().into_bytes())
}

/// Checks a webhook's signature header against the raw body, in constant time.
pub fn verify_webhook(
    secret: &str,
    header: Option<&str>,
    body: &[u8],
    now: i64,
) -> Result<(), SignatureError> {
    let parsed = parse_signature(header.ok_or(SignatureError::Missing)?)?;
    if (now - parsed.timestamp).abs() > SIGNATURE_TOLERANCE_SECONDS {
        return Err(SignatureError::Stale);
    }
    let expected = mac_for(secret, parsed.timestamp, body);
    let matched = parsed
        .signatures
        .iter()
        .any(|candidate| expected.clone().verify_slice(candidate).is_ok());
    if matched {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn signature_headers_parse() {
        let mac = "ab".repeat(32);
        let parsed = parse_signature(&format!("t=1700000000,v1={mac}, v1={mac},v0=zz")).unwrap();
        assert_eq!(parsed.timestamp, 1_700_000_000);
        assert_eq!(parsed.signatures.len(), 2);
        for bad in [
            "",
            "t=1700000000",
            &format!("v1={mac}"),
            &format!("t=abc,v1={mac}"),
            &format!("t=-5,v1={mac}"),
            "t=1700000000,v1=nothex",
            "t=1700000000,v1=abcd",
            &format!("t=1,t=2,v1={mac}"),
            "garbage",
        ] {
            assert_eq!(
                parse_signature(bad),
                Err(SignatureError::Malformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn webhook_signatures_verify() {
        let body = br#"{"id":"o-1"}"#;
        let now = 1_700_000_000;
        let good = sign_webhook(SECRET, now, body);
        let header = format!("t={now},v1={good}");
        assert_eq!(
            verify_webhook(SECRET, Some(&header), body, now + 10),
            Ok(())
        );
        let rotated = format!("t={now},v1={},v1={good}", "00".repeat(32));
        assert_eq!(verify_webhook(SECRET, Some(&rotated), body, now), Ok(()));
        assert_eq!(
            verify_webhook(SECRET, Some(&header), b"{\"id\":\"o-2\"}", now),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_webhook(SECRET, Some(&header), body, now + 301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify_webhook(SECRET, None, body, now),
            Err(SignatureError::Missing)
        );
    }

    #[test]
    fn known_signature_vector() {
        // The worked example in docs/server.md, computed there with openssl.
        let body = br#"{"id":"o-1001","customer_id":"c-1001","status":"paid","currency":"CNY","total":12850}"#;
        assert_eq!(
            sign_webhook(
                "demo-secret-not-for-production-use-0123456789",
                1_700_000_000,
                body
            ),
            "f585fae8005628be3398c660636d80969688ed75bd8611fa09e91543427bc6db"
        );
    }

    #[test]
    fn tokens_round_trip_and_expire() {
        let now = 1_700_000_000;
        let token = mint_token(SECRET, "c-1", Some("Lin"), now, 60).unwrap();
        let claims = verify_token(SECRET, &token, now).unwrap();
        assert_eq!(
            (claims.sub.as_str(), claims.name.as_deref()),
            ("c-1", Some("Lin"))
        );
        assert_eq!(
            verify_token(SECRET, &token, now + 60 + 31),
            Err(TokenError::Expired)
        );
        assert!(verify_token(SECRET, &token, now + 60 + 29).is_ok());
        assert_eq!(
            verify_token("another-secret-another-secret-xx", &token, now),
            Err(TokenError::Invalid)
        );
        assert_eq!(
            verify_token(SECRET, &token, now - 100),
            Err(TokenError::Invalid)
        );
    }
}
