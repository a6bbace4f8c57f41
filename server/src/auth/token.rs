//! Customer tokens: JWTs (HS256) the shop's backend signs with one of its token secrets.
//!
//! Accepted when signed by any of the shop's `token_secrets`; `sub` (a customer id by
//! the rule of ids in webhooks), `iat` and `exp` present; not expired, not issued in the
//! future, not before `nbf`; a lifetime `exp - iat` no longer than the shop's maximum;
//! and `aud`, when present, equal to the shop id. All time arithmetic is checked, so
//! extreme claims are refused instead of overflowing.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::config::Secret;

/// Seconds of clock difference tolerated on token `exp`, `iat` and `nbf`.
pub const TOKEN_LEEWAY_SECONDS: i64 = 30;

/// Claims of a customer token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerClaims {
    /// The customer id.
    pub sub: String,
    /// Expiry, Unix seconds.
    pub exp: i64,
    /// Issued at, Unix seconds.
    pub iat: i64,
    /// Not before, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    /// Audience: when present, the shop id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
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

/// Why a token was refused (the message is sent to the client; it names the rule, never
/// the secret or the token).
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
    /// Before `nbf`.
    #[error("the customer token is not valid yet (nbf)")]
    NotYetValid,
    /// `exp - iat` exceeds the shop's maximum.
    #[error("the customer token lives longer than this shop accepts (exp - iat over {0} seconds)")]
    TooLong(i64),
    /// `aud` is not this shop.
    #[error("the customer token is for another audience (aud must be the shop id)")]
    WrongAudience,
    /// Issued before the shop revoked the customer's tokens.
    #[error("the customer token was revoked; sign in again")]
    Revoked,
}

/// What a shop accepts: its token secrets, its id (the only `aud`) and the longest
/// lifetime.
#[derive(Debug, Clone, Copy)]
pub struct TokenRules<'a> {
    /// Every secret that verifies.
    pub secrets: &'a [Secret],
    /// The shop id.
    pub shop_id: &'a str,
    /// Longest `exp - iat`, seconds.
    pub max_lifetime_seconds: i64,
}

/// Signs a customer token (used by the `token` command, demo sessions and tests).
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
        nbf: None,
        aud: None,
        kid: None,
        email: None,
        name: name.map(str::to_owned),
    };
    sign_claims(secret, &claims)
}

/// Signs arbitrary claims with HS256.
pub fn sign_claims(
    secret: &str,
    claims: &CustomerClaims,
) -> Result<String, jsonwebtoken::errors::Error> {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
}

fn decode(secret: &Secret, token: &str) -> Option<CustomerClaims> {
    let mut validation = Validation::new(Algorithm::HS256);
    // Every claim is checked below against the server's clock with checked arithmetic;
    // presence of `sub`, `iat` and `exp` is enforced by `CustomerClaims`.
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    jsonwebtoken::decode::<CustomerClaims>(
        token,
        &DecodingKey::from_secret(secret.expose().as_bytes()),
        &validation,
    )
    .map_err(|error| tracing::debug!(%error, "customer token refused"))
    .ok()
    .map(|data| data.claims)
}

/// Whether `sub` is a customer id by the rule of ids in webhooks: 1–128 bytes, not
/// blank, no control characters (so a NUL never reaches the database).
pub fn is_valid_sub(sub: &str) -> bool {
    !sub.trim().is_empty() && sub.len() <= 128 && !sub.chars().any(char::is_control)
}

/// Verifies a customer token against a shop's rules at `now` (see the module header).
/// Revocation is checked by the caller, which has the database.
pub fn verify_token(
    rules: TokenRules<'_>,
    token: &str,
    now: i64,
) -> Result<CustomerClaims, TokenError> {
    let claims = rules
        .secrets
        .iter()
        .find_map(|secret| decode(secret, token))
        .ok_or(TokenError::Invalid)?;
    if !is_valid_sub(&claims.sub) {
        return Err(TokenError::Invalid);
    }
    if claims
        .aud
        .as_deref()
        .is_some_and(|aud| aud != rules.shop_id)
    {
        return Err(TokenError::WrongAudience);
    }
    let lifetime = claims
        .exp
        .checked_sub(claims.iat)
        .ok_or(TokenError::Invalid)?;
    if lifetime < 0 {
        return Err(TokenError::Invalid);
    }
    if lifetime > rules.max_lifetime_seconds {
        return Err(TokenError::TooLong(rules.max_lifetime_seconds));
    }
    let earliest = now.saturating_sub(TOKEN_LEEWAY_SECONDS);
    let latest = now.saturating_add(TOKEN_LEEWAY_SECONDS);
    if claims.iat > latest {
        return Err(TokenError::Invalid);
    }
    if claims.nbf.is_some_and(|nbf| nbf > latest) {
        return Err(TokenError::NotYetValid);
    }
    if claims.exp < earliest {
        return Err(TokenError::Expired);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    fn rules(secrets: &[Secret]) -> TokenRules<'_> {
        TokenRules {
            secrets,
            shop_id: "demo",
            max_lifetime_seconds: 86_400,
        }
    }

    fn claims(now: i64) -> CustomerClaims {
        CustomerClaims {
            sub: "c-1".into(),
            exp: now + 600,
            iat: now,
            nbf: None,
            aud: None,
            kid: None,
            email: None,
            name: None,
        }
    }

    #[test]
    fn tokens_round_trip_and_expire() {
        let now = 1_700_000_000;
        let secrets = [Secret::new(SECRET)];
        let token = mint_token(SECRET, "c-1", Some("Lin"), now, 60).unwrap();
        let verified = verify_token(rules(&secrets), &token, now).unwrap();
        assert_eq!(
            (verified.sub.as_str(), verified.name.as_deref()),
            ("c-1", Some("Lin"))
        );
        assert_eq!(
            verify_token(rules(&secrets), &token, now + 60 + 31),
            Err(TokenError::Expired)
        );
        assert!(verify_token(rules(&secrets), &token, now + 60 + 29).is_ok());
        let other = [Secret::new("another-secret-another-secret-xx")];
        assert_eq!(
            verify_token(rules(&other), &token, now),
            Err(TokenError::Invalid)
        );
        assert_eq!(
            verify_token(rules(&secrets), &token, now - 100),
            Err(TokenError::Invalid)
        );
    }

    #[test]
    fn every_secret_verifies() {
        let now = 1_700_000_000;
        let token = mint_token(SECRET, "c-1", None, now, 60).unwrap();
        let rotated = [
            Secret::new("the-new-secret-the-new-secret-xxx"),
            Secret::new(SECRET),
        ];
        assert!(verify_token(rules(&rotated), &token, now).is_ok());
    }

    #[test]
    fn extreme_claims_are_refused_without_overflow() {
        let now = 1_700_000_000;
        let secrets = [Secret::new(SECRET)];
        for (exp, iat) in [
            (i64::MAX, now),
            (i64::MAX, i64::MIN),
            (i64::MIN, now),
            (now, i64::MIN),
        ] {
            let token = sign_claims(
                SECRET,
                &CustomerClaims {
                    exp,
                    iat,
                    ..claims(now)
                },
            )
            .unwrap();
            assert!(
                verify_token(rules(&secrets), &token, now).is_err(),
                "{exp} {iat}"
            );
        }
        let nbf_max = sign_claims(
            SECRET,
            &CustomerClaims {
                nbf: Some(i64::MAX),
                ..claims(now)
            },
        )
        .unwrap();
        assert_eq!(
            verify_token(rules(&secrets), &nbf_max, now),
            Err(TokenError::NotYetValid)
        );
    }
}
