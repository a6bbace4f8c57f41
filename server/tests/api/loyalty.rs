//! The shopper-facing loyalty endpoints: programme, summary, redemptions.

use std::collections::HashSet;

use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp};

pub async fn programme_is_public(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let response = app.get("/v1/shops/demo/loyalty/programme", None).await;
    assert_eq!(response.status, 200, "{}", response.text);
    let body = &response.body;
    assert_eq!(body["shop_name"], "Cloud & Leaf Tea");
    assert_eq!(body["currency"], "CNY");
    assert_eq!(body["join_url"], "/join");
    assert!(body.get("signin_url").is_none());
    assert_eq!(body["tiers"][0]["name"]["zh-Hant"], "青葉");
    assert_eq!(body["rewards"].as_array().unwrap().len(), 3);
    assert!(body["rewards"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["affordable"] == false));
    assert_eq!(
        body["ways_to_earn"],
        json!([
            { "kind": "order", "points_per_unit": 1 },
            { "kind": "action", "id": "signup", "name": { "en": "Create an account", "zh-Hans": "注册会员" }, "points": 100 },
            { "kind": "action", "id": "review", "name": { "en": "Write a review" }, "points": 50 },
            { "kind": "action", "id": "visit", "name": { "en": "Visit on our anniversary" }, "points": 30 },
        ]),
        "the order rule first, then the actions in configured order"
    );

    app.get("/v1/shops/nope/loyalty/programme", None)
        .await
        .assert_error(404, "not_found");
}

pub async fn me_has_the_documented_shape(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.pay("c-1", "o-1", 40_000).await;
    app.state.clock.advance(10);
    app.pay("c-1", "o-2", 85_000).await;
    app.state.clock.advance(10);
    let redemption = app.redeem("c-1", "k-1", "free-shipping").await;
    assert_eq!(redemption.status, 201, "{}", redemption.text);

    let response = app.me("c-1").await;
    assert_eq!(response.status, 200, "{}", response.text);
    let me = &response.body;
    assert_eq!(me["customer_id"], "c-1");
    assert_eq!(me["currency"], "CNY");
    assert_eq!(me["balance"], 1250 - 300);
    assert_eq!(me["lifetime_points"], 1250);
    assert_eq!(
        me["tier"],
        json!({ "current": "bud", "next": "bloom", "points_to_next": 750, "percent": 50 })
    );
    assert_eq!(me["tiers"].as_array().unwrap().len(), 3);
    let affordable: Vec<(&str, bool)> = me["rewards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap(),
                r["affordable"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        affordable,
        [("free-shipping", true), ("off-10", true), ("off-50", false)]
    );
    let history: Vec<(&str, i64)> = me["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["kind"].as_str().unwrap(), e["points"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        history,
        [("redeemed", -300), ("order_paid", 850), ("order_paid", 400)],
        "newest first"
    );
    assert_eq!(me["history"][0]["reward_name"]["en"], "Free shipping");
    assert_eq!(me["history"][0]["reference"], "free-shipping");
    let codes = me["codes"].as_array().unwrap();
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0]["code"], redemption.body["code"]);
    assert_eq!(codes[0]["status"], "active");
    assert_eq!(me["ways_to_earn"][0]["kind"], "order");
}

pub async fn new_customer_has_zero_balance(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let response = app.me("c-new").await;
    assert_eq!(response.status, 200, "{}", response.text);
    assert_eq!(response.body["balance"], 0);
    assert_eq!(response.body["lifetime_points"], 0);
    assert_eq!(response.body["tier"]["current"], "leaf");
    assert_eq!(response.body["history"], json!([]));
    assert_eq!(response.body["codes"], json!([]));
}

pub async fn redemption_issues_a_code(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.pay("c-1", "o-1", 70_000).await;
    let response = app.redeem("c-1", "k-1", "off-10").await;
    assert_eq!(response.status, 201, "{}", response.text);
    let body = &response.body;
    let code = body["code"].as_str().unwrap();
    assert!(
        code.starts_with("TEA-") && code.len() == "TEA-ABCD-EFGH".len(),
        "{code}"
    );
    assert_eq!(body["reward_id"], "off-10");
    assert_eq!(body["kind"], "amount_off");
    assert_eq!(body["value"], 1000);
    assert_eq!(body["points_spent"], 500);
    assert_eq!(body["balance"], 200);
    let expected_expiry = app.state.clock.now() + 30 * 86_400;
    assert!((body["expires_at"].as_i64().unwrap() - expected_expiry).abs() <= 2);
    assert!(response.header("idempotency-replayed").is_none());

    app.redeem("c-1", "k-2", "no-such-reward")
        .await
        .assert_error(404, "not_found");
}

pub async fn idempotency_keys_replay_and_guard(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.pay("c-1", "o-1", 200_000).await;
    let first = app.redeem("c-1", "same-key", "off-10").await;
    assert_eq!(first.status, 201, "{}", first.text);
    let again = app.redeem("c-1", "same-key", "off-10").await;
    assert_eq!(again.status, 201, "{}", again.text);
    assert_eq!(again.body, first.body, "the replay is the first answer");
    assert_eq!(again.header("idempotency-replayed"), Some("true"));
    assert_eq!(app.me("c-1").await.body["balance"], 1500, "spent once");

    app.redeem("c-1", "same-key", "free-shipping")
        .await
        .assert_error(422, "idempotency_key_reused");
    // Keys are per customer: another shopper may use the same key.
    app.pay("c-2", "o-2", 50_000).await;
    assert_eq!(app.redeem("c-2", "same-key", "off-10").await.status, 201);

    let token = app.token("c-1");
    for headers in [
        vec![],
        vec![("idempotency-key", "")],
        vec![("idempotency-key", &*"x".repeat(129))],
    ] {
        app.post_json(
            "/v1/shops/demo/loyalty/redemptions",
            Some(&token),
            &headers,
            &json!({ "reward_id": "off-10" }),
        )
        .await
        .assert_error(400, "idempotency_key_required");
    }
}

pub async fn insufficient_points_are_refused(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.pay("c-1", "o-1", 45_000).await;
    let response = app.redeem("c-1", "k-1", "off-10").await;
    response.assert_error(409, "insufficient_points");
    let message = response.body["error"]["message"].as_str().unwrap();
    assert!(message.contains("50 more points"), "{message}");
    assert_eq!(app.me("c-1").await.body["balance"], 450);
    // A refused attempt is not stored: the same key works once the points are there.
    app.pay("c-1", "o-2", 5_000).await;
    assert_eq!(app.redeem("c-1", "k-1", "off-10").await.status, 201);
}

pub async fn concurrent_redemptions_spend_once(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.pay("c-1", "o-1", 50_000).await;
    let token = app.token("c-1");
    let mut tasks = tokio::task::JoinSet::new();
    for attempt in 0..100 {
        let router = app.router.clone();
        let token = token.clone();
        tasks.spawn(async move {
            use tower::ServiceExt;
            let request = axum::http::Request::post("/v1/shops/demo/loyalty/redemptions")
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {token}"))
                .header("idempotency-key", format!("race-{attempt}"))
                .body(axum::body::Body::from(
                    json!({ "reward_id": "off-10" }).to_string(),
                ))
                .unwrap();
            router.oneshot(request).await.unwrap().status().as_u16()
        });
    }
    let mut statuses = Vec::new();
    while let Some(status) = tasks.join_next().await {
        statuses.push(status.unwrap());
    }
    let created = statuses.iter().filter(|s| **s == 201).count();
    let refused = statuses.iter().filter(|s| **s == 409).count();
    assert_eq!((created, refused), (1, 99), "statuses: {statuses:?}");
    let me = app.me("c-1").await.body;
    assert_eq!(me["balance"], 0);
    let codes: HashSet<&str> = me["codes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["code"].as_str())
        .collect();
    assert_eq!(codes.len(), 1);
    let spent: Vec<&Value> = me["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "redeemed")
        .collect();
    assert_eq!(spent.len(), 1);
}
