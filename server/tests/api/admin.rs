//! The shop owner's admin endpoints: customer lookup, adjustments, redemption list.

use comeback_core::api::RedeemRequest;
use comeback_server::routes::loyalty::redeem_reward;
use comeback_server::store::RedeemOutcome;
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp, TestResponse, DEMO_API_KEY, OTHER_API_KEY};

fn customer_uri(customer: &str) -> String {
    format!("/v1/shops/demo/admin/customers/{customer}")
}

fn adjustments_uri(customer: &str) -> String {
    format!("/v1/shops/demo/admin/customers/{customer}/adjustments")
}

async fn adjust(
    app: &TestApp,
    customer: &str,
    key: &str,
    points: i64,
    reason: &str,
) -> TestResponse {
    app.post_json(
        &adjustments_uri(customer),
        Some(DEMO_API_KEY),
        &[("idempotency-key", key)],
        &json!({ "points": points, "reason": reason }),
    )
    .await
}

/// Redeems `off-10` (500 points) for a customer at a fixed time; returns the code.
async fn redeem_at(app: &TestApp, customer: &str, key: &str, at: i64) -> String {
    let shop = app.state.shop("demo").unwrap();
    let request = RedeemRequest {
        points: None,
        reward_id: "off-10".into(),
    };
    match redeem_reward(&app.state, &shop, customer, key, &request, at)
        .await
        .unwrap()
    {
        RedeemOutcome::Created(redemption) => redemption.code,
        other => panic!("not redeemed: {other:?}"),
    }
}

fn codes_of(page: &Value) -> Vec<String> {
    page["redemptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .collect()
}

pub async fn admin_key_is_required(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.pay("c-1", "o-1", 10_000).await;
    let customer_token = app.token("c-1");
    for key in [
        None,
        Some("wrong"),
        Some(OTHER_API_KEY),
        Some(customer_token.as_str()),
    ] {
        app.get(&customer_uri("c-1"), key)
            .await
            .assert_error(401, "unauthorized");
        app.post_json(
            &adjustments_uri("c-1"),
            key,
            &[("idempotency-key", "k-1")],
            &json!({ "points": 100, "reason": "Goodwill" }),
        )
        .await
        .assert_error(401, "unauthorized");
        app.get("/v1/shops/demo/admin/redemptions", key)
            .await
            .assert_error(401, "unauthorized");
    }
    assert_eq!(app.me("c-1").await.body["balance"], 100, "nothing changed");
}

pub async fn customer_lookup_shows_points_history_and_codes(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let first_seen = app.state.clock.now();
    app.pay("c-1", "o-1", 40_000).await;
    app.state.clock.advance(10);
    app.pay("c-1", "o-2", 85_000).await;
    app.state.clock.advance(10);
    let redemption = app.redeem("c-1", "k-1", "free-shipping").await;
    assert_eq!(redemption.status, 201, "{}", redemption.text);

    let response = app.get(&customer_uri("c-1"), Some(DEMO_API_KEY)).await;
    assert_eq!(response.status, 200, "{}", response.text);
    let body = &response.body;
    assert_eq!(body["customer_id"], "c-1");
    assert_eq!(body["balance"], 950);
    assert_eq!(body["lifetime_points"], 1250);
    assert_eq!(
        body["tier"],
        json!({ "current": "bud", "next": "bloom", "points_to_next": 750, "percent": 50 })
    );
    // The test programme counts lifetime points, so the tier has no hold.
    assert_eq!(body["qualifying_total"], 1250);
    assert!(body.get("tier_held_until").is_none());
    let history: Vec<(&str, i64, &str)> = body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap(),
                e["points"].as_i64().unwrap(),
                e["reference"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        history,
        [
            ("redeemed", -300, "free-shipping"),
            ("order_paid", 850, "o-2"),
            ("order_paid", 400, "o-1")
        ],
        "newest first"
    );
    let codes = body["codes"].as_array().unwrap();
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0]["code"], redemption.body["code"]);
    assert_eq!(codes[0]["status"], "active");
    let created_at = body["created_at"].as_i64().unwrap();
    assert!(
        (created_at - first_seen).abs() <= 2,
        "{created_at} vs {first_seen}"
    );

    // The full history, up to 100 entries, not the widget's 20.
    for order in 0..30 {
        app.pay("c-1", &format!("o-x{order}"), 100).await;
    }
    let response = app.get(&customer_uri("c-1"), Some(DEMO_API_KEY)).await;
    assert_eq!(response.body["history"].as_array().unwrap().len(), 33);
    assert_eq!(
        app.me("c-1").await.body["history"]
            .as_array()
            .unwrap()
            .len(),
        20
    );

    app.get(&customer_uri("c-nobody"), Some(DEMO_API_KEY))
        .await
        .assert_error(404, "not_found");
    // Having opened the widget is not a record.
    assert_eq!(app.me("c-browser").await.status, 200);
    app.get(&customer_uri("c-browser"), Some(DEMO_API_KEY))
        .await
        .assert_error(404, "not_found");
}

pub async fn positive_adjustment_shows_in_the_shoppers_history(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    // A customer the server has never seen: the adjustment creates them.
    let response = adjust(&app, "c-9", "k-1", 250, "  Sorry for the late parcel ").await;
    assert_eq!(response.status, 201, "{}", response.text);
    let entry = &response.body["entry"];
    assert_eq!(entry["kind"], "adjusted");
    assert_eq!(entry["points"], 250);
    assert_eq!(entry["reference"], "Sorry for the late parcel");
    assert_eq!(entry["forgiven"], 0);
    assert!(entry.get("reward_name").is_none());
    assert!(!entry["id"].as_str().unwrap().is_empty());
    assert_eq!(response.body["balance"], 250);
    assert!(response.header("idempotency-replayed").is_none());

    let me = app.me("c-9").await.body;
    assert_eq!(me["balance"], 250);
    assert_eq!(
        me["lifetime_points"], 250,
        "a positive adjustment counts for the tier"
    );
    assert_eq!(me["history"][0], *entry, "the shopper sees the same entry");

    let record = app.get(&customer_uri("c-9"), Some(DEMO_API_KEY)).await;
    assert_eq!(record.status, 200, "{}", record.text);
    assert_eq!(record.body["balance"], 250);

    // A reason of 200 characters (not bytes) is accepted.
    let long = "茶".repeat(200);
    let response = adjust(&app, "c-9", "k-2", 10, &long).await;
    assert_eq!(response.status, 201, "{}", response.text);
    assert_eq!(app.me("c-9").await.body["balance"], 260);
}

pub async fn negative_adjustment_cannot_exceed_the_balance(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.pay("c-1", "o-1", 10_000).await;
    let before = app.me("c-1").await.body;

    let response = adjust(&app, "c-1", "k-1", -150, "Correction").await;
    response.assert_error(409, "insufficient_points");
    assert_eq!(app.me("c-1").await.body, before, "nothing changed");

    let response = adjust(&app, "c-1", "k-2", -40, "Double-counted order").await;
    assert_eq!(response.status, 201, "{}", response.text);
    assert_eq!(response.body["balance"], 60);
    assert_eq!(response.body["entry"]["points"], -40);
    let me = app.me("c-1").await.body;
    assert_eq!(me["balance"], 60);
    assert_eq!(
        me["lifetime_points"], 100,
        "a deduction does not lower the tier"
    );
    // Down to exactly zero is fine.
    assert_eq!(adjust(&app, "c-1", "k-3", -60, "Closing").await.status, 201);

    // A deduction for a customer never seen is refused and creates nobody.
    adjust(&app, "c-ghost", "k-1", -1, "Oops")
        .await
        .assert_error(409, "insufficient_points");
    app.get(&customer_uri("c-ghost"), Some(DEMO_API_KEY))
        .await
        .assert_error(404, "not_found");

    // Bad adjustments.
    for (points, reason) in [(0, "Nothing"), (10, ""), (10, "   "), (10, "line\nbreak")] {
        adjust(&app, "c-1", "k-bad", points, reason)
            .await
            .assert_error(422, "validation_failed");
    }
    adjust(&app, "c-1", "k-bad", 10, &"x".repeat(201))
        .await
        .assert_error(422, "validation_failed");
    app.post_json(
        &adjustments_uri("c-1"),
        Some(DEMO_API_KEY),
        &[("idempotency-key", "k-bad")],
        &json!({ "points": 1.5, "reason": "Half" }),
    )
    .await
    .assert_error(400, "bad_request");
    assert_eq!(app.me("c-1").await.body["balance"], 0);
}

pub async fn adjustments_are_idempotent(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let first = adjust(&app, "c-1", "same-key", 300, "Welcome gift").await;
    assert_eq!(first.status, 201, "{}", first.text);
    let again = adjust(&app, "c-1", "same-key", 300, "Welcome gift").await;
    assert_eq!(again.status, 201, "{}", again.text);
    assert_eq!(again.body, first.body, "the replay is the first answer");
    assert_eq!(again.header("idempotency-replayed"), Some("true"));
    assert_eq!(app.me("c-1").await.body["balance"], 300, "added once");

    adjust(&app, "c-1", "same-key", 301, "Welcome gift")
        .await
        .assert_error(422, "idempotency_key_reused");
    adjust(&app, "c-1", "same-key", 300, "Another reason")
        .await
        .assert_error(422, "idempotency_key_reused");
    assert_eq!(app.me("c-1").await.body["balance"], 300);

    // Adjustment keys are apart from the shopper's own redemption keys.
    assert_eq!(
        app.redeem("c-1", "same-key", "free-shipping").await.status,
        201
    );
    assert_eq!(
        adjust(&app, "c-1", "k-2", 50, "Welcome gift").await.status,
        201
    );
    assert_eq!(app.me("c-1").await.body["balance"], 50);

    // Keys are per customer.
    assert_eq!(
        adjust(&app, "c-2", "same-key", 5, "Welcome gift")
            .await
            .status,
        201
    );

    for headers in [
        vec![],
        vec![("idempotency-key", "")],
        vec![("idempotency-key", "has space")],
    ] {
        app.post_json(
            &adjustments_uri("c-1"),
            Some(DEMO_API_KEY),
            &headers,
            &json!({ "points": 10, "reason": "Gift" }),
        )
        .await
        .assert_error(400, "idempotency_key_required");
    }
}

pub async fn redemptions_are_listed_newest_first(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.pay("c-1", "o-1", 150_000).await;
    app.pay("c-2", "o-2", 100_000).await;
    let t = app.state.clock.now();
    let oldest = redeem_at(&app, "c-1", "k-1", t).await;
    let same_a = redeem_at(&app, "c-2", "k-2", t + 10).await;
    let same_b = redeem_at(&app, "c-1", "k-3", t + 10).await;
    let newest = redeem_at(&app, "c-2", "k-4", t + 20).await;
    let mut same_second = [same_a.clone(), same_b.clone()];
    same_second.sort_by(|a, b| b.cmp(a));

    // Consume one code, let another expire: the list shows each status.
    let consumed = app
        .post_json(
            &format!("/v1/shops/demo/discount-codes/{same_a}/consume"),
            Some(DEMO_API_KEY),
            &[],
            &json!({ "order_id": "o-77" }),
        )
        .await;
    assert_eq!(consumed.status, 200, "{}", consumed.text);

    let all = app
        .get("/v1/shops/demo/admin/redemptions", Some(DEMO_API_KEY))
        .await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(
        codes_of(&all.body),
        [
            newest.clone(),
            same_second[0].clone(),
            same_second[1].clone(),
            oldest.clone()
        ]
    );
    assert_eq!(all.body["next_before"], Value::Null);
    let first = &all.body["redemptions"][0];
    assert_eq!(first["customer_id"], "c-2");
    assert_eq!(first["reward_id"], "off-10");
    assert_eq!(first["kind"], "amount_off");
    assert_eq!(first["value"], 1000);
    assert_eq!(first["points_spent"], 500);
    assert_eq!(first["status"], "active");
    assert_eq!(first["created_at"], t + 20);
    assert_eq!(first["expires_at"], t + 20 + 30 * 86_400);
    assert_eq!(first["used_by_order"], Value::Null);
    let used = all.body["redemptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == same_a.as_str())
        .unwrap();
    assert_eq!(used["status"], "used");
    assert_eq!(used["used_by_order"], "o-77");

    // Pages of two never split a second: the first page stops before it.
    let uri = |query: &str| format!("/v1/shops/demo/admin/redemptions?{query}");
    let page = app.get(&uri("limit=2"), Some(DEMO_API_KEY)).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert_eq!(codes_of(&page.body), [newest.as_str()]);
    assert_eq!(page.body["next_before"], t + 20);
    let page = app
        .get(
            &uri(&format!("limit=2&before={}", t + 20)),
            Some(DEMO_API_KEY),
        )
        .await;
    assert_eq!(codes_of(&page.body), same_second);
    assert_eq!(page.body["next_before"], t + 10);
    let page = app
        .get(
            &uri(&format!("limit=2&before={}", t + 10)),
            Some(DEMO_API_KEY),
        )
        .await;
    assert_eq!(codes_of(&page.body), [oldest.as_str()]);
    assert_eq!(page.body["next_before"], Value::Null);
    // A page of one over a second with two redemptions holds both.
    let page = app
        .get(
            &uri(&format!("limit=1&before={}", t + 20)),
            Some(DEMO_API_KEY),
        )
        .await;
    assert_eq!(codes_of(&page.body), same_second);
    assert_eq!(page.body["next_before"], t + 10);
    let page = app
        .get(&uri(&format!("limit=1&before={t}")), Some(DEMO_API_KEY))
        .await;
    assert_eq!(codes_of(&page.body), Vec::<String>::new());
    assert_eq!(page.body["next_before"], Value::Null);

    // Expiry shows.
    app.state.clock.advance(30 * 86_400 + 15);
    let all = app
        .get("/v1/shops/demo/admin/redemptions", Some(DEMO_API_KEY))
        .await;
    let statuses: Vec<&str> = all.body["redemptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == "expired").count(), 2);
    assert_eq!(statuses[0], "active");

    // Another shop sees none of them.
    let other = app
        .get("/v1/shops/other/admin/redemptions", Some(OTHER_API_KEY))
        .await;
    assert_eq!(
        other.body,
        json!({ "redemptions": [], "next_before": null })
    );

    for query in [
        "limit=0",
        "limit=201",
        "limit=abc",
        "limit=-1",
        "before=-5",
        "before=soon",
    ] {
        app.get(&uri(query), Some(DEMO_API_KEY))
            .await
            .assert_error(400, "bad_request");
    }
    assert_eq!(
        app.get(&uri("limit=200"), Some(DEMO_API_KEY)).await.status,
        200
    );
}
