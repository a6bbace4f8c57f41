//! The smaller guards: `nosniff` everywhere, CORS only on the shopper routes, short
//! echoes of client input, the webhook MAC over the literal `t`, and a panicking
//! handler answered with the standard JSON 500.

use axum::http::Method;
use axum::routing::get;
use axum::Router;
use comeback_server::config::Settings;
use comeback_server::with_common_layers;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;
use tower::ServiceExt;

use crate::helpers::{Backend, TestApp, DEMO_ORIGIN, DEMO_WEBHOOK_SECRET};

/// A CORS preflight from the demo shop's origin.
async fn preflight(app: &TestApp, uri: &str, method: &str) -> crate::helpers::TestResponse {
    app.request(
        Method::OPTIONS,
        uri,
        &[
            ("origin", DEMO_ORIGIN),
            ("access-control-request-method", method),
            ("access-control-request-headers", "authorization"),
        ],
    )
    .await
}

pub async fn cors_is_for_shopper_routes_and_nosniff_for_all(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    for uri in [
        "/v1/shops/demo/loyalty/programme",
        "/v1/shops/demo/admin/customers/c-1",
        "/healthz",
        "/nowhere",
    ] {
        let response = app.get(uri, None).await;
        assert_eq!(
            response.header("x-content-type-options"),
            Some("nosniff"),
            "{uri}"
        );
    }
    // Every widget calls its own section from the shop's pages: loyalty, help and
    // subscriptions (whose changes include a PATCH).
    for (uri, method) in [
        ("/v1/shops/demo/loyalty/me", "GET"),
        ("/v1/shops/demo/help/tickets", "POST"),
        ("/v1/shops/demo/subscriptions/s-1", "PATCH"),
    ] {
        let shopper = preflight(&app, uri, method).await;
        assert_eq!(
            shopper.header("access-control-allow-origin"),
            Some(DEMO_ORIGIN),
            "{uri}"
        );
        let methods = shopper
            .header("access-control-allow-methods")
            .unwrap_or_default();
        assert!(methods.contains(method), "{uri}: {methods}");
    }
    for uri in [
        "/v1/shops/demo/admin/customers/c-1",
        "/v1/shops/demo/webhooks/orders",
        "/v1/shops/demo/discount-codes/X",
        "/v1/shops/demo/admin/products",
        "/v1/shops/demo/admin/help/tickets",
        "/v1/shops/demo/admin/subscriptions",
    ] {
        let response = preflight(&app, uri, "POST").await;
        assert!(
            response.header("access-control-allow-origin").is_none(),
            "{uri}"
        );
        let response = app
            .request(Method::GET, uri, &[("origin", DEMO_ORIGIN)])
            .await;
        assert!(
            response.header("access-control-allow-origin").is_none(),
            "{uri}"
        );
    }
}

pub async fn client_input_is_echoed_short(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let long = "x".repeat(2000);
    let response = app
        .get(&format!("/v1/shops/{long}/loyalty/programme"), None)
        .await;
    response.assert_error(404, "not_found");
    assert!(response.text.len() < 400, "{}", response.text);
    let response = app
        .post_json(
            "/v1/shops/demo/loyalty/redemptions",
            Some(&app.token("c-1")),
            &[("idempotency-key", "k-1")],
            &json!({ "reward_id": long }),
        )
        .await;
    assert!(response.status.is_client_error(), "{}", response.text);
    assert!(response.text.len() < 400, "{}", response.text);
    let request = axum::http::Request::put("/v1/shops/demo/loyalty/me/preferences")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {}", app.token("c-1")))
        .body(axum::body::Body::from(
            json!({ "contact_channel": long }).to_string(),
        ))
        .unwrap();
    let response = app.send(request).await;
    assert!(response.status.is_client_error(), "{}", response.text);
    assert!(response.text.len() < 400, "{}", response.text);
}

pub async fn webhook_mac_covers_the_literal_timestamp(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let body = json!({
        "id": "o-1", "customer_id": "c-1", "status": "paid", "currency": "CNY", "total": 1000,
        "lines": [{ "product_id": "sku-1", "quantity": 1, "unit_price": 1000 }],
    })
    .to_string();
    // A sender that pads `t` signs the padded text; that is what must be checked.
    let t = format!("00{}", app.state.clock.now());
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(DEMO_WEBHOOK_SECRET.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    let header = format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()));
    let response = app.webhook_raw("demo", &body, Some(&header)).await;
    assert_eq!(response.status, 200, "{}", response.text);
    // The MAC of the number re-formatted does not pass for the padded `t`.
    let reformatted = comeback_server::auth::sign_webhook(
        DEMO_WEBHOOK_SECRET,
        app.state.clock.now(),
        body.as_bytes(),
    );
    app.webhook_raw("demo", &body, Some(&format!("t={t},v1={reformatted}")))
        .await
        .assert_error(401, "unauthorized");
}

pub async fn a_panicking_handler_answers_a_json_500(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, crate::helpers::CONFIG, Settings::default()).await
    else {
        return;
    };
    let router = with_common_layers(
        Router::new().route(
            "/boom",
            get(|| async {
                if true {
                    panic!("the handler broke");
                }
                "unreachable"
            }),
        ),
        app.state.clone(),
    );
    let request = axum::http::Request::get("/boom")
        .header("x-request-id", "req-panic-1")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(response.status(), 500);
    assert_eq!(response.headers()["x-request-id"], "req-panic-1");
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(
        body,
        json!({"error": {"code": "internal", "message": "internal error", "request_id": "req-panic-1"}})
    );
    // The server goes on.
    assert_eq!(app.get("/healthz", None).await.status, 200);
}
