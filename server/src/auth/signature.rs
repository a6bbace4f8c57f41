//! Webhook signatures, both ways: `Comeback-Signature: t=<unix seconds>,v1=<hex>`, the
//! hex being HMAC-SHA256 over `"<t>.<raw body>"` with a webhook secret. The MAC is
//! computed over the `t` exactly as the sender wrote it (not a re-formatted number), and
//! every `v1` is tried with every configured secret, so either side can rotate.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::Secret;

/// Webhooks older or newer than this many seconds are refused (replay protection).
pub const SIGNATURE_TOLERANCE_SECONDS: i64 = 300;

/// The webhook signature header.
pub const SIGNATURE_HEADER: &str = "comeback-signature";

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
    /// `t` as the sender wrote it: the MAC covers these bytes.
    pub timestamp_text: String,
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
                    || value.len() > 19
                    || !value.bytes().all(|b| b.is_ascii_digit())
                {
                    return Err(SignatureError::Malformed);
                }
                let seconds = value
                    .parse::<i64>()
                    .map_err(|_| SignatureError::Malformed)?;
                timestamp = Some((seconds, value.to_owned()));
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
        Some((timestamp, timestamp_text)) if !signatures.is_empty() => Ok(SignatureHeader {
            timestamp,
            timestamp_text,
            signatures,
        }),
        _ => Err(SignatureError::Malformed),
    }
}

fn mac_for(secret: &str, timestamp: &str, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The `v1` signature of `body` at `timestamp`, hex: HMAC-SHA256 over `"<t>.<body>"`.
pub fn sign_webhook(secret: &str, timestamp: i64, body: &[u8]) -> String {
    hex::encode(
        mac_for(secret, &timestamp.to_string(), body)
            .finalize()
            .into_bytes(),
    )
}

/// Checks a webhook's signature header against the raw body with every secret, in
/// constant time per comparison.
pub fn verify_webhook(
    secrets: &[Secret],
    header: Option<&str>,
    body: &[u8],
    now: i64,
) -> Result<(), SignatureError> {
    let parsed = parse_signature(header.ok_or(SignatureError::Missing)?)?;
    if now.abs_diff(parsed.timestamp) > SIGNATURE_TOLERANCE_SECONDS.unsigned_abs() {
        return Err(SignatureError::Stale);
    }
    let matched = secrets.iter().any(|secret| {
        let expected = mac_for(secret.expose(), &parsed.timestamp_text, body);
        parsed
            .signatures
            .iter()
            .any(|candidate| expected.clone().verify_slice(candidate).is_ok())
    });
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

    fn secrets(values: &[&str]) -> Vec<Secret> {
        values.iter().map(|value| Secret::new(*value)).collect()
    }

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
            &format!("t=99999999999999999999,v1={mac}"),
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
    fn webhook_signatures_verify_with_any_secret() {
        let body = br#"{"id":"o-1"}"#;
        let now = 1_700_000_000;
        let good = sign_webhook(SECRET, now, body);
        let header = format!("t={now},v1={good}");
        let one = secrets(&[SECRET]);
        assert_eq!(verify_webhook(&one, Some(&header), body, now + 10), Ok(()));
        let rotated = format!("t={now},v1={},v1={good}", "00".repeat(32));
        assert_eq!(verify_webhook(&one, Some(&rotated), body, now), Ok(()));
        let two = secrets(&["new-secret-new-secret-new-secret-x", SECRET]);
        assert_eq!(verify_webhook(&two, Some(&header), body, now), Ok(()));
        assert_eq!(
            verify_webhook(&two[..1], Some(&header), body, now),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_webhook(&one, Some(&header), b"{\"id\":\"o-2\"}", now),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_webhook(&one, Some(&header), body, now + 301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify_webhook(&one, None, body, now),
            Err(SignatureError::Missing)
        );
    }

    #[test]
    fn the_mac_covers_the_literal_timestamp() {
        // A sender that writes `t` with a leading zero signs those bytes.
        let body = b"{}";
        let now = 1_700_000_000;
        let mac = hex::encode(mac_for(SECRET, "01700000000", body).finalize().into_bytes());
        let header = format!("t=01700000000,v1={mac}");
        assert_eq!(
            verify_webhook(&secrets(&[SECRET]), Some(&header), body, now),
            Ok(())
        );
        // The re-formatted number's MAC does not stand in for it.
        let reformatted = format!("t=01700000000,v1={}", sign_webhook(SECRET, now, body));
        assert_eq!(
            verify_webhook(&secrets(&[SECRET]), Some(&reformatted), body, now),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn known_signature_vector() {
        // The worked example in docs/server.md, computed there with openssl.
        let body = br#"{"id":"o-1001","customer_id":"c-1001","status":"paid","currency":"CNY","total":12850}"#;
        assert_eq!(
            sign_webhook(
                "demo-webhook-secret-not-for-production-0123456789",
                1_700_000_000,
                body
            ),
            "c862cc6d60b8b642f384765d82089162ab9ee983d71231436a4d28d55cb3500b"
        );
    }
}
