//! Customer tokens: only HS256 tokens signed with the shop's own secret, unexpired and
//! with `sub`, `iat` and `exp`, identify a shopper.

use comeback_server::auth::mint_token;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::json;

use crate::helpers::{
    Backend, TestApp, CONFIG, DEMO_API_KEY, DEMO_TOKEN_SECRET, OTHER_TOKEN_SECRET,
};

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
        &EncodingKey::from_secret(DEMO_TOKEN_SECRET.as_bytes()),
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

    let expired = mint_token(DEMO_TOKEN_SECRET, "c-1", None, now - 7200, 3600).unwrap();
    let other_shop = mint_token(OTHER_TOKEN_SECRET, "c-1", None, now, 3600).unwrap();
    let alg_none = format!(
        "{}.{}.",
        b64(&json!({ "alg": "none", "typ": "JWT" })),
        b64(&json!({ "sub": "c-1", "iat": now, "exp": now + 600 }))
    );
    let hs512 = encode(
        &Header::new(Algorithm::HS512),
        &json!({ "sub": "c-1", "iat": now, "exp": now + 600 }),
        &EncodingKey::from_secret(DEMO_TOKEN_SECRET.as_bytes()),
    )
    .unwrap();
    let missing_sub = encode(
        &Header::default(),
        &json!({ "iat": now, "exp": now + 600 }),
        &EncodingKey::from_secret(DEMO_TOKEN_SECRET.as_bytes()),
    )
    .unwrap();
    let missing_exp = encode(
        &Header::default(),
        &json!({ "sub": "c-1", "iat": now }),
        &EncodingKey::from_secret(DEMO_TOKEN_SECRET.as_bytes()),
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

fn signed(claims: &serde_json::Value) -> String {
    encode(
        &Header::default(),
        claims,
        &EncodingKey::from_secret(DEMO_TOKEN_SECRET.as_bytes()),
    )
    .unwrap()
}

pub async fn lifetimes_nbf_and_audience_are_enforced(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let now = app.state.clock.now();
    let day = 24 * 60 * 60;
    let eighty_years = 80 * 365 * day;
    let accepted = [
        (
            "a day",
            json!({ "sub": "c-1", "iat": now, "exp": now + day }),
        ),
        (
            "nbf passed",
            json!({ "sub": "c-1", "iat": now, "exp": now + 60, "nbf": now - 5 }),
        ),
        (
            "aud is the shop",
            json!({ "sub": "c-1", "iat": now, "exp": now + 60, "aud": "demo" }),
        ),
    ];
    for (what, claims) in accepted {
        let response = app.get(ME, Some(&signed(&claims))).await;
        assert_eq!(response.status, 200, "{what}: {}", response.text);
    }
    let refused = [
        (
            "a day and a second",
            json!({ "sub": "c-1", "iat": now, "exp": now + day + 1 }),
            "lives longer",
        ),
        (
            "eighty years",
            json!({ "sub": "c-1", "iat": now, "exp": now + eighty_years }),
            "lives longer",
        ),
        (
            "exp is i64::MAX",
            json!({ "sub": "c-1", "iat": now, "exp": i64::MAX }),
            "lives longer",
        ),
        (
            "iat is i64::MIN",
            json!({ "sub": "c-1", "iat": i64::MIN, "exp": now }),
            "not valid",
        ),
        (
            "nbf in an hour",
            json!({ "sub": "c-1", "iat": now, "exp": now + 7200, "nbf": now + 3600 }),
            "not valid yet",
        ),
        (
            "aud is another shop",
            json!({ "sub": "c-1", "iat": now, "exp": now + 60, "aud": "other" }),
            "audience",
        ),
        (
            "NUL in sub",
            json!({ "sub": "c-\u{0}1", "iat": now, "exp": now + 60 }),
            "not valid",
        ),
        (
            "blank sub",
            json!({ "sub": "  ", "iat": now, "exp": now + 60 }),
            "not valid",
        ),
    ];
    for (what, claims, message) in refused {
        let response = app.get(ME, Some(&signed(&claims))).await;
        response.assert_error(401, "unauthorized");
        let text = response.body["error"]["message"].as_str().unwrap();
        assert!(text.contains(message), "{what}: {text}");
    }
    // The server is still up after the extreme claims.
    assert_eq!(app.me("c-1").await.status, 200);

    // The `token` command is capped by the same maximum (the demo config's: a day).
    let demo_config = concat!(env!("CARGO_MANIFEST_DIR"), "/../comeback.demo.toml");
    let token_command = |ttl: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_comeback-server"))
            .args([
                "token",
                "--config",
                demo_config,
                "--shop",
                "demo",
                "--customer",
                "c-1",
            ])
            .args(["--ttl-seconds", ttl])
            .output()
            .unwrap()
    };
    let refused = token_command("86401");
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("max_token_lifetime_seconds"), "{stderr}");
    let minted = token_command("86400");
    assert!(
        minted.status.success(),
        "{}",
        String::from_utf8_lossy(&minted.stderr)
    );
    let token = String::from_utf8(minted.stdout).unwrap();
    let config = comeback_server::config::Config::load(std::path::Path::new(demo_config)).unwrap();
    let shop = app.state.shop("demo").unwrap();
    let demo_shop = comeback_server::auth::Shop {
        config: std::sync::Arc::new(config.shops["demo"].clone()),
        ..shop
    };
    let claims = comeback_server::auth::verify_token(demo_shop.token_rules(), token.trim(), now)
        .expect("the minted token verifies with the demo shop's token secret");
    assert_eq!(
        (claims.sub.as_str(), claims.exp - claims.iat),
        ("c-1", 86_400)
    );
}

pub async fn revoked_tokens_are_refused_on_every_instance(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.state.clock.freeze();
    let revoke = "/v1/shops/demo/admin/customers/c-1/revoke-tokens";
    let before = app.token("c-1");
    let bystander = app.token("c-2");
    assert_eq!(app.get(ME, Some(&before)).await.status, 200);

    // Only an API key may revoke.
    for bearer in [None, Some(DEMO_TOKEN_SECRET), Some(before.as_str())] {
        app.post_json(revoke, bearer, &[], &json!({}))
            .await
            .assert_error(401, "unauthorized");
    }
    app.state.clock.advance(10);
    let now = app.state.clock.now();
    let revoked = app
        .post_json(revoke, Some(DEMO_API_KEY), &[], &json!({}))
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.text);
    assert_eq!(
        revoked.body,
        json!({ "customer_id": "c-1", "issued_before": now })
    );

    let response = app.get(ME, Some(&before)).await;
    response.assert_error(401, "unauthorized");
    assert!(response.text.contains("revoked"), "{}", response.text);
    assert_eq!(
        app.get(ME, Some(&bystander)).await.status,
        200,
        "others keep theirs"
    );
    let after = app.token("c-1");
    assert_eq!(
        app.get(ME, Some(&after)).await.status,
        200,
        "a new sign-in works"
    );

    // Stored: another server process on the database refuses the old token too.
    let second = app.second_instance(CONFIG).await;
    second
        .get(ME, Some(&before))
        .await
        .assert_error(401, "unauthorized");
    drop(second);

    // An earlier time never moves the revocation back; a future one is refused.
    let earlier = app
        .post_json(
            revoke,
            Some(DEMO_API_KEY),
            &[],
            &json!({ "issued_before": now - 100 }),
        )
        .await;
    assert_eq!(earlier.body["issued_before"], now);
    app.post_json(
        revoke,
        Some(DEMO_API_KEY),
        &[],
        &json!({ "issued_before": now + 3600 }),
    )
    .await
    .assert_error(422, "validation_failed");
    app.post_json(
        "/v1/shops/demo/admin/customers/c%001/revoke-tokens",
        Some(DEMO_API_KEY),
        &[],
        &json!({}),
    )
    .await
    .assert_error(422, "validation_failed");
}
