//! Discount codes as the shop's backend uses them.

use serde_json::json;

use crate::helpers::{Backend, TestApp, DEMO_SECRET, OTHER_SECRET};

async fn issue_code(app: &TestApp) -> String {
    app.pay("c-1", "o-1", 60_000).await;
    let response = app.redeem("c-1", "k-1", "off-10").await;
    assert_eq!(response.status, 201, "{}", response.text);
    response.body["code"].as_str().unwrap().to_owned()
}

fn consume_uri(code: &str) -> String {
    format!("/v1/shops/demo/discount-codes/{code}/consume")
}

pub async fn codes_are_checked_and_consumed(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let code = issue_code(&app).await;

    // Looked up in any case.
    let uri = format!("/v1/shops/demo/discount-codes/{}", code.to_lowercase());
    let response = app.get(&uri, Some(DEMO_SECRET)).await;
    assert_eq!(response.status, 200, "{}", response.text);
    assert_eq!(response.body["code"], code.as_str());
    assert_eq!(response.body["status"], "active");
    assert_eq!(response.body["customer_id"], "c-1");
    assert_eq!(response.body["reward_id"], "off-10");
    assert_eq!(response.body["kind"], "amount_off");
    assert_eq!(response.body["value"], 1000);
    assert_eq!(response.body["currency"], "CNY");
    assert!(response.body.get("used_by_order").is_none());

    let consume = |order: &'static str| {
        let app = &app;
        let code = code.clone();
        async move {
            app.post_json(
                &consume_uri(&code),
                Some(DEMO_SECRET),
                &[],
                &json!({ "order_id": order }),
            )
            .await
        }
    };
    let first = consume("o-100").await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.body["status"], "used");
    assert_eq!(first.body["used_by_order"], "o-100");
    let again = consume("o-100").await;
    assert_eq!(
        again.status, 200,
        "consuming again with the same order is harmless"
    );
    assert_eq!(again.body, first.body);
    consume("o-200")
        .await
        .assert_error(409, "code_already_used");

    let response = app
        .get(
            &format!("/v1/shops/demo/discount-codes/{code}"),
            Some(DEMO_SECRET),
        )
        .await;
    assert_eq!(response.body["status"], "used");
    // A used code leaves the shopper's list.
    assert_eq!(app.me("c-1").await.body["codes"], json!([]));

    app.get(
        "/v1/shops/demo/discount-codes/TEA-NOPE-NOPE",
        Some(DEMO_SECRET),
    )
    .await
    .assert_error(404, "not_found");
    app.post_json(
        &consume_uri("TEA-NOPE-NOPE"),
        Some(DEMO_SECRET),
        &[],
        &json!({ "order_id": "o-1" }),
    )
    .await
    .assert_error(404, "not_found");
    app.post_json(
        &consume_uri(&code),
        Some(DEMO_SECRET),
        &[],
        &json!({ "order_id": "" }),
    )
    .await
    .assert_error(422, "validation_failed");
}

pub async fn expired_codes_are_refused(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let code = issue_code(&app).await;
    app.state.clock.advance(30 * 86_400 + 1);
    let response = app
        .get(
            &format!("/v1/shops/demo/discount-codes/{code}"),
            Some(DEMO_SECRET),
        )
        .await;
    assert_eq!(response.body["status"], "expired");
    app.post_json(
        &consume_uri(&code),
        Some(DEMO_SECRET),
        &[],
        &json!({ "order_id": "o-1" }),
    )
    .await
    .assert_error(409, "code_expired");
    // An expired code leaves the shopper's list.
    assert_eq!(app.me("c-1").await.body["codes"], json!([]));
}

pub async fn shop_key_is_required(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let code = issue_code(&app).await;
    let uri = format!("/v1/shops/demo/discount-codes/{code}");
    let customer_token = app.token("c-1");
    for key in [
        None,
        Some("wrong"),
        Some(OTHER_SECRET),
        Some(customer_token.as_str()),
    ] {
        app.get(&uri, key).await.assert_error(401, "unauthorized");
        app.post_json(&consume_uri(&code), key, &[], &json!({ "order_id": "o-1" }))
            .await
            .assert_error(401, "unauthorized");
    }
    // The other shop's key does not reach this shop's codes through its own path either.
    app.get(
        &format!("/v1/shops/other/discount-codes/{code}"),
        Some(OTHER_SECRET),
    )
    .await
    .assert_error(404, "not_found");
}
