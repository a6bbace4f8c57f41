//! Discount codes as the shop's backend uses them.

use serde_json::json;

use crate::helpers::{Backend, TestApp, DEMO_API_KEY, OTHER_API_KEY};

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
    let response = app.get(&uri, Some(DEMO_API_KEY)).await;
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
                Some(DEMO_API_KEY),
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
            Some(DEMO_API_KEY),
        )
        .await;
    assert_eq!(response.body["status"], "used");
    // A used code leaves the shopper's list.
    assert_eq!(app.me("c-1").await.body["codes"], json!([]));

    app.get(
        "/v1/shops/demo/discount-codes/TEA-NOPE-NOPE",
        Some(DEMO_API_KEY),
    )
    .await
    .assert_error(404, "not_found");
    app.post_json(
        &consume_uri("TEA-NOPE-NOPE"),
        Some(DEMO_API_KEY),
        &[],
        &json!({ "order_id": "o-1" }),
    )
    .await
    .assert_error(404, "not_found");
    app.post_json(
        &consume_uri(&code),
        Some(DEMO_API_KEY),
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
            Some(DEMO_API_KEY),
        )
        .await;
    assert_eq!(response.body["status"], "expired");
    app.post_json(
        &consume_uri(&code),
        Some(DEMO_API_KEY),
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
        Some(OTHER_API_KEY),
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
        Some(OTHER_API_KEY),
    )
    .await
    .assert_error(404, "not_found");
}

fn release_uri(code: &str) -> String {
    format!("/v1/shops/demo/discount-codes/{code}/release")
}

/// `returned` entries in the shopper's history: (points, reference).
fn returned_entries(me: &serde_json::Value) -> Vec<(i64, String)> {
    me["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["kind"] == "returned")
        .map(|entry| {
            (
                entry["points"].as_i64().unwrap(),
                entry["reference"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

pub async fn released_codes_give_their_points_back_once(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let code = issue_code(&app).await; // 600 points, 500 spent.
    app.request(
        axum::http::Method::POST,
        &release_uri(&code),
        &[("authorization", &format!("Bearer {OTHER_API_KEY}"))],
    )
    .await
    .assert_error(401, "unauthorized");
    let release = app
        .post_json(
            &release_uri(&code.to_lowercase()),
            Some(DEMO_API_KEY),
            &[],
            &json!({}),
        )
        .await;
    assert_eq!(release.status, 200, "{}", release.text);
    assert_eq!(release.body["code"]["status"], "released");
    assert_eq!(release.body["points_returned"], 500);
    assert_eq!(release.body["balance"], 600);
    let again = app
        .post_json(&release_uri(&code), Some(DEMO_API_KEY), &[], &json!({}))
        .await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(
        (
            again.body["points_returned"].as_i64(),
            again.body["balance"].as_i64()
        ),
        (Some(0), Some(600))
    );
    let me = app.me("c-1").await.body;
    assert_eq!(returned_entries(&me), [(500, code.clone())]);
    assert_eq!(
        me["lifetime_points"], 600,
        "returned points are not earned again"
    );
    assert!(
        me["codes"].as_array().unwrap().is_empty(),
        "a released code is not usable"
    );
    app.post_json(
        &consume_uri(&code),
        Some(DEMO_API_KEY),
        &[],
        &json!({ "order_id": "o-9" }),
    )
    .await
    .assert_error(409, "code_released");
    app.post_json(
        &release_uri("TEA-NOPE-NOPE"),
        Some(DEMO_API_KEY),
        &[],
        &json!({}),
    )
    .await
    .assert_error(404, "not_found");

    // A used code can be released too once its order is cancelled (sent as refunded in
    // full); before that it is in use (issue 9).
    let used = app.redeem("c-1", "k-2", "free-shipping").await;
    let used = used.body["code"].as_str().unwrap().to_owned();
    let consumed = app
        .post_json(
            &consume_uri(&used),
            Some(DEMO_API_KEY),
            &[],
            &json!({ "order_id": "o-7" }),
        )
        .await;
    assert_eq!(consumed.status, 200, "{}", consumed.text);
    app.post_json(&release_uri(&used), Some(DEMO_API_KEY), &[], &json!({}))
        .await
        .assert_error(409, "code_in_use");
    let cancelled = app.order("c-1", "o-7", "refunded", 10_000).await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.text);
    let release = app
        .post_json(&release_uri(&used), Some(DEMO_API_KEY), &[], &json!({}))
        .await;
    assert_eq!(release.body["points_returned"], 300, "{}", release.text);
    assert_eq!(release.body["code"]["used_by_order"], "o-7");
    assert_eq!(release.body["code"]["status"], "released");
    let page = app
        .get("/v1/shops/demo/admin/redemptions", Some(DEMO_API_KEY))
        .await;
    assert!(page.body["redemptions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|redemption| redemption["status"] == "released"));
}

pub async fn expired_codes_give_their_points_back(backend: Backend) {
    // Points expire after a year here, so the returned points' new batch is visible.
    let config = crate::helpers::CONFIG.replacen(
        "code_valid_days = 30\n",
        "code_valid_days = 30\npoints_expire_after_days = 365\n",
        1,
    );
    let Some(app) = TestApp::spawn_with(
        backend,
        &config,
        comeback_server::config::Settings::default(),
    )
    .await
    else {
        return;
    };
    let start = comeback_core::date::Date::from_unix_seconds(app.state.clock.now());
    let code = issue_code(&app).await; // 600 points, 500 spent.
    app.pay("c-1", "o-2", 30_000).await;
    let used = app.redeem("c-1", "k-2", "free-shipping").await;
    assert_eq!(used.status, 201, "{}", used.text);
    app.state.clock.advance(29 * 86_400);
    let run = comeback_server::expiry::run_once(&app.state).await.unwrap();
    assert_eq!(run.codes_returned, 0, "not expired yet");
    app.state.clock.advance(86_400);
    // Both expired unused; then the job runs twice (and twice at once): each code's
    // points come back once.
    let run = comeback_server::expiry::run_once(&app.state).await.unwrap();
    assert_eq!((run.codes_returned, run.points_returned), (2, 800));
    let (first, second) = tokio::join!(
        comeback_server::expiry::run_once(&app.state),
        comeback_server::expiry::run_once(&app.state)
    );
    assert_eq!(
        first.unwrap().points_returned + second.unwrap().points_returned,
        0
    );
    let me = app.me("c-1").await.body;
    assert_eq!(me["balance"], 900);
    let mut returned = returned_entries(&me);
    returned.sort();
    assert_eq!(returned.len(), 2);
    assert!(returned.contains(&(500, code.clone())), "{returned:?}");
    // The returned points are a new batch, earned the day they came back: what is left
    // of the orders' batches (100) expires first, the 800 a year after their return.
    assert_eq!(
        me["next_expiry"],
        json!({ "points": 100, "on": start.add_days(365).to_iso() })
    );
    app.state.clock.advance(335 * 86_400);
    comeback_server::expiry::run_once(&app.state).await.unwrap();
    let me = app.me("c-1").await.body;
    assert_eq!(me["balance"], 800);
    assert_eq!(
        me["next_expiry"],
        json!({ "points": 800, "on": start.add_days(395).to_iso() })
    );
    // An expired code cannot be released (its points already came back).
    app.post_json(&release_uri(&code), Some(DEMO_API_KEY), &[], &json!({}))
        .await
        .assert_error(409, "code_expired");
}
