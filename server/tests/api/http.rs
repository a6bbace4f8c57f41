//! Cross-cutting HTTP behaviour: error shape, body handling, rate limits, CORS,
//! request ids, probes, OpenAPI, demo mode and the static bundle.

use axum::body::Body;
use axum::http::{Method, Request};
use comeback_server::config::Settings;
use serde_json::json;

use crate::helpers::{Backend, TestApp, CONFIG, DEMO_ORIGIN};

pub async fn errors_have_the_standard_shape(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.get("/no/such/route", None)
        .await
        .assert_error(404, "not_found");
    app.get("/v1/shops/demo/webhooks/orders", None)
        .await
        .assert_error(405, "method_not_allowed");
    app.get("/v1/shops/nope/loyalty/me", Some("x"))
        .await
        .assert_error(404, "not_found");
    let response = app.get("/v1/shops/demo/loyalty/me", None).await;
    response.assert_error(401, "unauthorized");
    assert_eq!(response.header("content-type"), Some("application/json"));
}

pub async fn bad_bodies_are_refused(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let token = app.token("c-1");
    let post = |body: &'static str, content_type: &'static str| {
        Request::post("/v1/shops/demo/loyalty/redemptions")
            .header("authorization", format!("Bearer {token}"))
            .header("idempotency-key", "k-1")
            .header("content-type", content_type)
            .body(Body::from(body))
            .unwrap()
    };
    let response = app.send(post("{\"reward_id\":", "application/json")).await;
    response.assert_error(400, "bad_request");
    assert!(response.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("JSON"));
    app.send(post("{\"reward\":\"off-10\"}", "application/json"))
        .await
        .assert_error(400, "bad_request");
    let response = app
        .send(post("{\"reward_id\":\"off-10\"}", "text/plain"))
        .await;
    response.assert_error(400, "bad_request");
    assert!(response.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Content-Type"));

    let huge = format!("{{\"reward_id\":\"{}\"}}", "x".repeat(70 * 1024));
    let request = Request::post("/v1/shops/demo/loyalty/redemptions")
        .header("authorization", format!("Bearer {token}"))
        .header("idempotency-key", "k-2")
        .header("content-type", "application/json")
        .body(Body::from(huge.clone()))
        .unwrap();
    app.send(request)
        .await
        .assert_error(413, "payload_too_large");
    app.webhook_raw("demo", &huge, Some("t=1,v1=00"))
        .await
        .assert_error(413, "payload_too_large");
}

pub async fn rate_limit_answers_429_with_retry_after(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    for _ in 0..3 {
        let response = app.get("/v1/shops/tiny/loyalty/programme", None).await;
        assert_eq!(response.status, 200, "{}", response.text);
    }
    let response = app.get("/v1/shops/tiny/loyalty/programme", None).await;
    response.assert_error(429, "rate_limited");
    let retry_after: u64 = response.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=20).contains(&retry_after), "{retry_after}");
    // Limits are per shop.
    assert_eq!(
        app.get("/v1/shops/demo/loyalty/programme", None)
            .await
            .status,
        200
    );
    // Shop-backend endpoints are not limited.
    assert_eq!(
        app.get("/v1/shops/tiny/discount-codes/X", None)
            .await
            .status,
        401
    );
}

pub async fn cors_allows_only_configured_origins(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let uri = "/v1/shops/demo/loyalty/programme";
    let allowed = app
        .request(Method::GET, uri, &[("origin", DEMO_ORIGIN)])
        .await;
    assert_eq!(allowed.status, 200);
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some(DEMO_ORIGIN)
    );
    let exposed = allowed
        .header("access-control-expose-headers")
        .unwrap_or_default();
    assert!(
        exposed.contains("x-request-id") && exposed.contains("retry-after"),
        "{exposed}"
    );

    let other = app
        .request(Method::GET, uri, &[("origin", "https://evil.example")])
        .await;
    assert!(other.header("access-control-allow-origin").is_none());
    // The demo shop's origin is not allowed for another shop.
    let cross = app
        .request(
            Method::GET,
            "/v1/shops/other/loyalty/programme",
            &[("origin", DEMO_ORIGIN)],
        )
        .await;
    assert!(cross.header("access-control-allow-origin").is_none());

    let preflight = app
        .request(
            Method::OPTIONS,
            "/v1/shops/demo/loyalty/redemptions",
            &[
                ("origin", DEMO_ORIGIN),
                ("access-control-request-method", "POST"),
                (
                    "access-control-request-headers",
                    "authorization,content-type,idempotency-key",
                ),
            ],
        )
        .await;
    assert_eq!(preflight.status, 200, "{}", preflight.text);
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some(DEMO_ORIGIN)
    );
    let headers = preflight
        .header("access-control-allow-headers")
        .unwrap_or_default();
    assert!(headers.contains("idempotency-key"), "{headers}");
    let denied = app
        .request(
            Method::OPTIONS,
            "/v1/shops/demo/loyalty/redemptions",
            &[
                ("origin", "https://evil.example"),
                ("access-control-request-method", "POST"),
            ],
        )
        .await;
    assert!(denied.header("access-control-allow-origin").is_none());
}

pub async fn request_ids_are_echoed(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let response = app
        .request(
            Method::GET,
            "/v1/shops/demo/loyalty/me",
            &[("x-request-id", "req-abc-123")],
        )
        .await;
    response.assert_error(401, "unauthorized");
    assert_eq!(response.header("x-request-id"), Some("req-abc-123"));
    assert_eq!(response.body["error"]["request_id"], "req-abc-123");
    // An unreasonable id is replaced by a generated one.
    let response = app
        .request(
            Method::GET,
            "/healthz",
            &[("x-request-id", "bad id with spaces")],
        )
        .await;
    let generated = response.header("x-request-id").unwrap();
    assert!(uuid::Uuid::parse_str(generated).is_ok(), "{generated}");
    // Successful answers carry one too.
    assert!(app
        .get("/v1/shops/demo/loyalty/programme", None)
        .await
        .header("x-request-id")
        .is_some());
}

pub async fn probes_and_openapi(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let health = app.get("/healthz", None).await;
    assert_eq!(
        (health.status.as_u16(), health.body.clone()),
        (200, json!({ "status": "ok" }))
    );
    let ready = app.get("/readyz", None).await;
    assert_eq!(
        (ready.status.as_u16(), ready.body.clone()),
        (200, json!({ "status": "ok" }))
    );

    let openapi = app.get("/v1/openapi.json", None).await;
    assert_eq!(openapi.status, 200);
    let paths = openapi.body["paths"].as_object().unwrap();
    for path in [
        "/healthz",
        "/readyz",
        "/v1/shops/{shop}/loyalty/programme",
        "/v1/shops/{shop}/loyalty/me",
        "/v1/shops/{shop}/loyalty/redemptions",
        "/v1/shops/{shop}/webhooks/orders",
        "/v1/shops/{shop}/discount-codes/{code}",
        "/v1/shops/{shop}/discount-codes/{code}/consume",
        "/v1/shops/{shop}/admin/customers/{customer_id}",
        "/v1/shops/{shop}/admin/customers/{customer_id}/adjustments",
        "/v1/shops/{shop}/admin/customers/{customer_id}/actions",
        "/v1/shops/{shop}/admin/redemptions",
        "/v1/shops/{shop}/loyalty/me/preferences",
        "/v1/shops/{shop}/subscriptions",
        "/v1/shops/{shop}/subscriptions/offer",
        "/v1/shops/{shop}/subscriptions/{id}",
        "/v1/shops/{shop}/subscriptions/{id}/skip",
        "/v1/shops/{shop}/subscriptions/{id}/deliver-now",
        "/v1/shops/{shop}/subscriptions/{id}/pause",
        "/v1/shops/{shop}/subscriptions/{id}/resume",
        "/v1/shops/{shop}/subscriptions/{id}/cancel",
        "/v1/shops/{shop}/admin/subscriptions",
        "/v1/shops/{shop}/admin/subscriptions/cancellations",
        "/v1/shops/{shop}/admin/customers",
        "/v1/shops/{shop}/admin/customers/{customer_id}/activity",
        "/v1/shops/{shop}/admin/overview",
        "/v1/shops/{shop}/admin/segments",
        "/v1/shops/{shop}/admin/segments/{segment}",
        "/v1/shops/{shop}/admin/segments/{segment}/export",
    ] {
        assert!(
            paths.contains_key(path),
            "{path} missing from the OpenAPI document"
        );
    }
    let schemas = openapi.body["components"]["schemas"].as_object().unwrap();
    for schema in [
        "LoyaltyMe",
        "Redemption",
        "ErrorBody",
        "OrderWebhook",
        "DiscountCodeView",
        "AdminCustomer",
        "HistoryDetail",
        "EntryDetail",
        "AdjustmentRequest",
        "Adjustment",
        "ActionAwardRequest",
        "ActionAward",
        "RedemptionPage",
        "Preferences",
        "PreferencesUpdate",
        "ContactChannel",
        "SubscriptionOffer",
        "SubscriptionList",
        "SubscriptionView",
        "PauseRequest",
        "SubscriptionChange",
        "AdminSubscriptionPage",
        "CancellationReport",
        "CustomerSearch",
        "CustomerActivity",
        "Overview",
        "SegmentSizes",
        "SegmentPage",
    ] {
        assert!(schemas.contains_key(schema), "{schema} missing");
    }

    // With the database gone, readiness fails and liveness does not.
    app.state.store.close().await;
    app.get("/readyz", None)
        .await
        .assert_error(503, "unavailable");
    assert_eq!(app.get("/healthz", None).await.status, 200);
}

pub async fn demo_session_only_in_demo_mode(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.get("/demo/session?shop=demo", None)
        .await
        .assert_error(404, "not_found");
    let token = app.token("c-1");
    app.post_json(
        "/demo/shops/demo/checkout",
        Some(&token),
        &[],
        &json!({"product_id": "p", "quantity": 1, "unit_price": 100}),
    )
    .await
    .assert_error(404, "not_found");
    drop(app);

    let config = format!(
        "[demo]\nenabled = true\ncustomer_id = \"c-1001\"\ncustomer_name = \"Lin Mei\"\n{CONFIG}"
    );
    let Some(app) = TestApp::spawn_with(backend, &config, Settings::default()).await else {
        return;
    };
    let session = app.get("/demo/session?shop=demo", None).await;
    assert_eq!(session.status, 200, "{}", session.text);
    assert_eq!(session.body["customer_id"], "c-1001");
    assert_eq!(session.body["name"], "Lin Mei");
    assert_eq!(session.body["shop"], "demo");
    let token = session.body["token"].as_str().unwrap();
    let me = app.get("/v1/shops/demo/loyalty/me", Some(token)).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["name"], "Lin Mei");

    let other = app.get("/demo/session?shop=demo&customer=c-42", None).await;
    assert_eq!(other.body["customer_id"], "c-42");

    // The demo checkout records a paid order for the token's customer, like a webhook.
    let other_token = other.body["token"].as_str().unwrap();
    let cart = json!({"product_id": "oolong-100g", "quantity": 2, "unit_price": 12_800});
    let bought = app
        .post_json("/demo/shops/demo/checkout", Some(other_token), &[], &cart)
        .await;
    assert_eq!(bought.status, 200, "{}", bought.text);
    assert_eq!(bought.body["points"], 256);
    assert_eq!(bought.body["balance"], 256);
    app.post_json("/demo/shops/demo/checkout", None, &[], &cart)
        .await
        .assert_error(401, "unauthorized");
    let too_many = json!({"product_id": "oolong-100g", "quantity": 500, "unit_price": 12_800});
    app.post_json(
        "/demo/shops/demo/checkout",
        Some(other_token),
        &[],
        &too_many,
    )
    .await
    .assert_error(422, "validation_failed");
    app.get("/demo/session?shop=demo&customer=bad%20id", None)
        .await
        .assert_error(422, "validation_failed");
    app.get("/demo/session?shop=nope", None)
        .await
        .assert_error(404, "not_found");

    // The seed puts the demo customer in the middle tier with history, and is idempotent.
    comeback_server::routes::demo::seed(&app.state)
        .await
        .unwrap();
    comeback_server::routes::demo::seed(&app.state)
        .await
        .unwrap();
    let me = app.get("/v1/shops/demo/loyalty/me", Some(token)).await.body;
    assert_eq!(me["balance"], 568);
    assert_eq!(me["lifetime_points"], 1068);
    assert_eq!(me["tier"]["current"], "bud");
    assert_eq!(me["history"].as_array().unwrap().len(), 6);
    assert_eq!(me["history"][0]["kind"], "order_refunded");
    assert_eq!(me["codes"].as_array().unwrap().len(), 1);
}

pub async fn bundle_is_served_cross_origin(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("comeback_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.path().join("loader.js"), b"export {};").unwrap();
    let www = tempfile::tempdir().unwrap();
    std::fs::write(
        www.path().join("index.html"),
        b"<!doctype html><title>Tea</title>",
    )
    .unwrap();
    let settings = Settings {
        bundle_dir: dir.path().to_owned(),
        www_dir: www.path().to_owned(),
        ..Settings::default()
    };
    let Some(app) = TestApp::spawn_with(backend, CONFIG, settings).await else {
        return;
    };
    let wasm = app.get("/comeback/comeback_bg.wasm", None).await;
    assert_eq!(wasm.status, 200);
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(wasm.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        wasm.header("cross-origin-resource-policy"),
        Some("cross-origin")
    );
    assert_eq!(
        wasm.header("cache-control"),
        Some("public, max-age=300, stale-while-revalidate=86400")
    );
    let loader = app.get("/comeback/loader.js", None).await;
    assert_eq!(loader.status, 200);
    assert!(loader
        .header("content-type")
        .unwrap()
        .contains("javascript"));
    assert_eq!(app.get("/comeback/missing.js", None).await.status, 404);

    // The storefront directory is served at `/`; unknown files still get the error body.
    let home = app.get("/", None).await;
    assert_eq!(home.status, 200);
    assert!(home.text.contains("<title>Tea</title>"));
    app.get("/missing.html", None)
        .await
        .assert_error(404, "not_found");
}

pub async fn demo_seed_shows_the_whole_programme(backend: Backend) {
    let demo = include_str!("../../../comeback.demo.toml");
    let Some(app) = TestApp::spawn_with(backend, demo, Settings::default()).await else {
        return;
    };
    comeback_server::routes::demo::seed(&app.state)
        .await
        .unwrap();
    let session = app.get("/demo/session", None).await;
    let token = session.body["token"].as_str().unwrap().to_owned();
    let me = app
        .get("/v1/shops/demo/loyalty/me", Some(&token))
        .await
        .body;
    assert_eq!(me["tier"]["current"], "bud", "{me}");
    assert_eq!(me["tier_window"], "calendar_year");
    assert!(me["tier_held_until"].is_string());
    assert_eq!(me["tiers"][1]["perks"]["points_multiplier_percent"], 125);
    assert_eq!(me["tiers"][2]["perks"]["free_shipping"], true);
    assert_eq!(
        me["tiers"][2]["perks"]["exclusive_rewards"],
        json!(["bloom-tasting", "spring-preview"])
    );
    // The last order was paid at Tender Bud: its entry names the tier's bonus.
    let last_order = me["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["reference"] == "demo-order-1004")
        .unwrap();
    assert_eq!(
        (
            last_order["points"].as_i64(),
            last_order["reward_name"]["en"].as_str()
        ),
        (Some(485), Some("Tender Bud"))
    );
    let card = &me["punch_cards"][0];
    assert_eq!(
        (
            card["id"].as_str(),
            card["filled"].as_i64(),
            card["required"].as_i64()
        ),
        (Some("teas"), Some(3), Some(5))
    );
    assert_eq!(me["codes"].as_array().unwrap().len(), 1);
    let rewards: Vec<(&str, bool)> = me["rewards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|reward| {
            (
                reward["id"].as_str().unwrap(),
                reward["eligible"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(rewards.contains(&("bloom-tasting", false)), "{rewards:?}");
    assert!(rewards.contains(&("pay-with-points", true)), "{rewards:?}");
    assert!(rewards.iter().all(|(id, _)| *id != "free-tea"), "card-only");
    assert!(me["ways_to_earn"]
        .as_array()
        .unwrap()
        .contains(&json!({ "kind": "anniversary", "points": 100 })));
}
