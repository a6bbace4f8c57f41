//! Customer tokens: only HS256 tokens signed with the shop's own secret, unexpired and
//! with `sub`, `iat` and `exp`, identify a shopper.

use comeback_server::auth::mint_token;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::json;

use crate::helpers::{Backend, TestApp, DEMO_SECRET, OTHER_SECRET};

const ME: &str = "/v1/shops/demo/loyalty/me";

fn b64(value: &serde_json::Value) -> String {
    // Unpadded base64url, as JWTs use; written out to forge tokens no library would make.
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bytes = value.to_string().into_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

pub async fn valid_token_is_accepted(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let response = app.me("c-1").await;
    assert_eq!(response.status, 200, "{}", response.text);
    assert_eq!(response.body["customer_id"], "c-1");
    assert_eq!(response.body["name"], "Test Shopper");
}

pub async fn token_from_a_standard_library_with_minimal_claims_is_accepted(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let now = app.state.clock.now();
    let token = encode(
        &Header::default(),
        &json!({ "sub": "c-min", "iat": now, "exp": now + 600 }),
        &EncodingKey::from_secret(DEMO_SECRET.as_bytes()),
    )
    .unwrap();
    let response = app.get(ME, Some(&token)).await;
    assert_eq!(response.status, 200, "{}", response.text);
    assert_eq!(response.body["customer_id"], "c-min");
    assert!(response.body.get("name").is_none());
}

pub async fn bad_tokens_are_refused(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let now = app.state.clock.now();
    let good = app.token("c-1");

    // Forged: the payload changed after signing.
    let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
    parts[1] = b64(&json!({ "sub": "c-admin", "iat": now, "exp": now + 600 }));
    let forged = parts.join(".");

    let expired = mint_token(DEMO_SECRET, "c-1", None, now - 7200, 3600).unwrap();
    let other_shop = mint_token(OTHER_SECRET, "c-1", None, now, 3600).unwrap();
    let alg_none = format!(
        "{}.{}.",
        b64(&json!({ "alg": "none", "typ": "JWT" })),
        b64(&json!({ "sub": "c-1", "iat": now, "exp": now + 600 }))
    );
    let hs512 = encode(
        &Header::new(Algorithm::HS512),
        &json!({ "sub": "c-1", "iat": now, "exp": now + 600 }),
        &EncodingKey::from_secret(DEMO_SECRET.as_bytes()),
    )
    .unwrap();
    let missing_sub = encode(
        &Header::default(),
        &json!({ "iat": now, "exp": now + 600 }),
        &EncodingKey::from_secret(DEMO_SECRET.as_bytes()),
    )
    .unwrap();
    let missing_exp = encode(
        &Header::default(),
        &json!({ "sub": "c-1", "iat": now }),
        &EncodingKey::from_secret(DEMO_SECRET.as_bytes()),
    )
    .unwrap();

    for (what, token) in [
        ("forged", Some(forged.as_str())),
        ("expired", Some(expired.as_str())),
        ("another shop's secret", Some(other_shop.as_str())),
        ("alg none", Some(alg_none.as_str())),
        ("HS512", Some(hs512.as_str())),
        ("missing sub", Some(missing_sub.as_str())),
        ("missing exp", Some(missing_exp.as_str())),
        ("garbage", Some("not-a-jwt")),
        ("no header", None),
    ] {
        let response = app.get(ME, token).await;
        assert_eq!(response.status, 401, "{what}: {}", response.text);
        response.assert_error(401, "unauthorized");
        assert!(response.body.get("balance").is_none(), "{what} leaked data");
    }

    // The demo shop's token does not open another shop.
    let response = app.get("/v1/shops/other/loyalty/me", Some(&good)).await;
    response.assert_error(401, "unauthorized");

    // An expired token says so.
    let response = app.get(ME, Some(&expired)).await;
    assert!(response.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("expired"));
}
