//! Demo mode is fenced: one shop, a rate limit, loopback only unless asked, and its
//! published keys refused outside it.

use std::process::Command;

use comeback_server::config::{Config, DemoConfig, Settings};
use comeback_server::routes::demo::check_host;
use serde_json::json;

use crate::helpers::{Backend, TestApp, CONFIG};

pub async fn demo_mode_serves_one_shop_and_is_rate_limited(backend: Backend) {
    let config = format!(
        "[demo]\nenabled = true\nshop = \"demo\"\n[server]\ndemo_rate_limit_per_minute = 4\n{CONFIG}"
    );
    let Some(app) = TestApp::spawn_with(backend, &config, Settings::default()).await else {
        return;
    };
    // Another shop of the same server gets no demo sessions and no demo checkout.
    let response = app.get("/demo/session?shop=other", None).await;
    response.assert_error(404, "not_found");
    assert!(
        response.text.contains("only the shop `demo`"),
        "{}",
        response.text
    );
    let session = app.get("/demo/session?shop=demo", None).await;
    assert_eq!(session.status, 200, "{}", session.text);
    let other_token = comeback_server::auth::mint_token(
        "test-token-secret-other-0123456789abcdef",
        "c-1",
        None,
        app.state.clock.now(),
        600,
    )
    .unwrap();
    let cart = json!({"product_id": "oolong-100g", "quantity": 1, "unit_price": 100});
    app.post_json("/demo/shops/other/checkout", Some(&other_token), &[], &cart)
        .await
        .assert_error(404, "not_found");
    // The seed gives history to the demo shop only.
    comeback_server::routes::demo::seed(&app.state)
        .await
        .unwrap();
    let demo_me = app
        .get(
            "/v1/shops/demo/loyalty/me",
            Some(session.body["token"].as_str().unwrap()),
        )
        .await;
    assert!(
        demo_me.body["balance"].as_i64().unwrap() > 0,
        "{}",
        demo_me.text
    );
    let other_me = comeback_server::auth::mint_token(
        "test-token-secret-other-0123456789abcdef",
        "c-1001",
        None,
        app.state.clock.now(),
        600,
    )
    .unwrap();
    let other = app.get("/v1/shops/other/loyalty/me", Some(&other_me)).await;
    assert_eq!(other.body["balance"], 0, "{}", other.text);
    // Four demo requests a minute from one address (three made above).
    let response = app.get("/demo/session?shop=demo", None).await;
    assert_eq!(response.status, 200, "{}", response.text);
    let response = app.get("/demo/session?shop=demo", None).await;
    response.assert_error(429, "rate_limited");
    assert!(response.header("retry-after").is_some());
}

pub async fn demo_mode_stays_on_loopback_and_its_keys_stay_in_it(_backend: Backend) {
    let demo = DemoConfig {
        enabled: true,
        ..DemoConfig::default()
    };
    for host in ["127.0.0.1", "::1", "[::1]", "localhost", "127.0.0.2"] {
        assert!(check_host(&demo, host).is_ok(), "{host}");
    }
    for host in ["0.0.0.0", "::", "192.0.2.1", "shop.example"] {
        let error = check_host(&demo, host).unwrap_err().to_string();
        assert!(error.starts_with("demo.allow_public_host"), "{error}");
    }
    let public = DemoConfig {
        allow_public_host: true,
        ..demo.clone()
    };
    assert!(check_host(&public, "0.0.0.0").is_ok());
    assert!(
        check_host(&DemoConfig::default(), "0.0.0.0").is_ok(),
        "not in demo mode"
    );

    // The real binary refuses to start, before it touches the database.
    let output = Command::new(env!("CARGO_BIN_EXE_comeback-server"))
        .args([
            "serve",
            "--config",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../comeback.demo.toml"),
        ])
        .env("HOST", "0.0.0.0")
        .env("PORT", "0")
        .env(
            "DATABASE_URL",
            "sqlite:///nonexistent-dir-for-sure/never.db",
        )
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("demo.allow_public_host"), "{stderr}");

    // The demo's published keys outside demo mode: a config error naming the key.
    let demo_toml = include_str!("../../../comeback.demo.toml");
    let without_demo = demo_toml.replace("enabled = true", "enabled = false");
    let error = Config::parse(&without_demo).unwrap_err().to_string();
    assert!(error.starts_with("shops.demo.token_secrets[0]"), "{error}");
    assert!(error.contains("published demo key"), "{error}");
}
