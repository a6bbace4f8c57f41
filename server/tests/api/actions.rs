//! Earning actions the shop's backend awards with its secret key: limits, idempotency,
//! and the award showing in the shopper's history, balance and expiry.

use comeback_core::date::Date;
use comeback_server::config::Settings;
use comeback_server::expiry::run_once;
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp, TestResponse, CONFIG, DEMO_API_KEY, OTHER_API_KEY};

const DAY: i64 = 86_400;

fn actions_uri(customer: &str) -> String {
    format!("/v1/shops/demo/admin/customers/{customer}/actions")
}

async fn award(
    app: &TestApp,
    customer: &str,
    key: &str,
    action_id: &str,
    reference: &str,
) -> TestResponse {
    app.post_json(
        &actions_uri(customer),
        Some(DEMO_API_KEY),
        &[("idempotency-key", key)],
        &json!({ "action_id": action_id, "reference": reference }),
    )
    .await
}

/// Awards and asserts 201; returns the points granted.
async fn granted(
    app: &TestApp,
    customer: &str,
    key: &str,
    action_id: &str,
    reference: &str,
) -> i64 {
    let response = award(app, customer, key, action_id, reference).await;
    assert_eq!(response.status, 201, "{}", response.text);
    response.body["entry"]["points"].as_i64().unwrap()
}

/// Moves the clock to one minute past the start of the next UTC day, so a test's
/// awards of "one day" never straddle midnight.
fn start_of_next_day(app: &TestApp) {
    let now = app.state.clock.now();
    app.state.clock.advance(DAY - now.rem_euclid(DAY) + 60);
}

fn message(response: &TestResponse) -> &str {
    response.body["error"]["message"]
        .as_str()
        .unwrap_or_default()
}

pub async fn actions_need_the_shop_key(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let customer_token = app.token("c-1");
    for key in [
        None,
        Some("wrong"),
        Some(OTHER_API_KEY),
        Some(customer_token.as_str()),
    ] {
        app.post_json(
            &actions_uri("c-1"),
            key,
            &[("idempotency-key", "k-1")],
            &json!({ "action_id": "signup", "reference": "signup" }),
        )
        .await
        .assert_error(401, "unauthorized");
    }
    assert_eq!(app.me("c-1").await.body["balance"], 0, "nothing awarded");
    app.get("/v1/shops/demo/admin/customers/c-1", Some(DEMO_API_KEY))
        .await
        .assert_error(404, "not_found");
}

pub async fn action_award_shows_in_the_shoppers_history(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    // A customer the server has never seen: the award creates them.
    let response = award(&app, "c-new", "k-1", "signup", "signup").await;
    assert_eq!(response.status, 201, "{}", response.text);
    assert!(response.header("idempotency-replayed").is_none());
    let entry = &response.body["entry"];
    assert_eq!(entry["kind"], "action");
    assert_eq!(entry["points"], 100);
    assert_eq!(entry["reference"], "signup");
    assert_eq!(
        entry["reward_name"],
        json!({ "en": "Create an account", "zh-Hans": "注册会员" })
    );
    assert_eq!(entry["forgiven"], 0);
    assert!(!entry["id"].as_str().unwrap().is_empty());
    assert_eq!(response.body["balance"], 100);

    let me = app.me("c-new").await.body;
    assert_eq!(me["balance"], 100);
    assert_eq!(me["lifetime_points"], 100, "an action counts for the tier");
    assert_eq!(me["history"][0], *entry, "the shopper sees the same entry");

    let record = app
        .get("/v1/shops/demo/admin/customers/c-new", Some(DEMO_API_KEY))
        .await;
    assert_eq!(record.status, 200, "{}", record.text);
    assert_eq!(record.body["history"][0]["kind"], "action");

    // The balance after an award adds to what orders earned.
    app.pay("c-new", "o-1", 25_000).await;
    let response = award(&app, "c-new", "k-2", "review", "o-1/sku-1").await;
    assert_eq!(response.status, 201, "{}", response.text);
    assert_eq!(response.body["balance"], 400);
    assert_eq!(
        response.body["entry"]["reward_name"]["en"],
        "Write a review"
    );
}

pub async fn once_per_reference_refuses_a_repeat(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    assert_eq!(granted(&app, "c-1", "k-1", "signup", "signup").await, 100);
    let refused = award(&app, "c-1", "k-2", "signup", "signup").await;
    refused.assert_error(409, "limit_reached");
    assert!(
        message(&refused).contains("once_per_reference"),
        "{}",
        refused.text
    );
    assert!(message(&refused).contains("`signup`"), "{}", refused.text);
    // Another reference is another award; another customer is unaffected.
    assert_eq!(granted(&app, "c-1", "k-3", "signup", "signup-2").await, 100);
    assert_eq!(granted(&app, "c-2", "k-1", "signup", "signup").await, 100);
    assert_eq!(app.me("c-1").await.body["balance"], 200);

    // Limits are per action: the same reference for another action is fine.
    assert_eq!(granted(&app, "c-1", "k-4", "review", "signup").await, 50);
    // A refused request was not stored under its key: after the limit is lifted by a
    // new reference, the same key is free for it.
    let retried = award(&app, "c-1", "k-2", "signup", "signup-3").await;
    assert_eq!(retried.status, 201, "{}", retried.text);
}

pub async fn daily_cap_trims_then_refuses_until_the_next_day(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    start_of_next_day(&app);
    // `review`: 50 points, at most 120 a day.
    assert_eq!(granted(&app, "c-1", "k-1", "review", "r-1").await, 50);
    app.state.clock.advance(3600);
    assert_eq!(granted(&app, "c-1", "k-2", "review", "r-2").await, 50);
    let trimmed = award(&app, "c-1", "k-3", "review", "r-3").await;
    assert_eq!(trimmed.status, 201, "{}", trimmed.text);
    assert_eq!(
        trimmed.body["entry"]["points"], 20,
        "trimmed to what is left"
    );
    assert_eq!(trimmed.body["balance"], 120);
    let refused = award(&app, "c-1", "k-4", "review", "r-4").await;
    refused.assert_error(409, "limit_reached");
    assert!(message(&refused).contains("daily_cap"), "{}", refused.text);
    assert!(message(&refused).contains("120"), "{}", refused.text);
    assert_eq!(app.me("c-1").await.body["balance"], 120);

    // The cap is per customer.
    assert_eq!(granted(&app, "c-2", "k-1", "review", "r-1").await, 50);

    // The next UTC day starts afresh.
    start_of_next_day(&app);
    assert_eq!(granted(&app, "c-1", "k-4", "review", "r-4").await, 50);
    assert_eq!(app.me("c-1").await.body["balance"], 170);
}

pub async fn once_per_year_goes_by_the_calendar(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    assert_eq!(granted(&app, "c-1", "k-1", "visit", "a-1").await, 30);
    let refused = award(&app, "c-1", "k-2", "visit", "a-2").await;
    refused.assert_error(409, "limit_reached");
    assert!(
        message(&refused).contains("once_per_year"),
        "{}",
        refused.text
    );
    // To 1 January of next year.
    let today = Date::from_unix_seconds(app.state.clock.now());
    let new_year = Date::new(today.year() + 1, 1, 1).unwrap();
    app.state.clock.advance(today.days_until(new_year) * DAY);
    assert_eq!(granted(&app, "c-1", "k-2", "visit", "a-2").await, 30);
}

pub async fn action_awards_are_idempotent(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let first = award(&app, "c-1", "k-1", "signup", "signup").await;
    assert_eq!(first.status, 201, "{}", first.text);
    let replay = award(&app, "c-1", "k-1", "signup", "signup").await;
    assert_eq!(replay.status, 201, "{}", replay.text);
    assert_eq!(replay.header("idempotency-replayed"), Some("true"));
    assert_eq!(replay.body, first.body, "the first answer, not a 409");
    assert_eq!(app.me("c-1").await.body["balance"], 100, "awarded once");

    award(&app, "c-1", "k-1", "signup", "other")
        .await
        .assert_error(422, "idempotency_key_reused");
    app.post_json(
        &actions_uri("c-1"),
        Some(DEMO_API_KEY),
        &[],
        &json!({ "action_id": "signup", "reference": "x" }),
    )
    .await
    .assert_error(400, "idempotency_key_required");

    // Adjustment keys live apart: the same key value awards an action afresh.
    let adjusted = app
        .post_json(
            "/v1/shops/demo/admin/customers/c-1/adjustments",
            Some(DEMO_API_KEY),
            &[("idempotency-key", "k-2")],
            &json!({ "points": 5, "reason": "Goodwill" }),
        )
        .await;
    assert_eq!(adjusted.status, 201, "{}", adjusted.text);
    let response = award(&app, "c-1", "k-2", "review", "r-1").await;
    assert_eq!(response.status, 201, "{}", response.text);
    assert!(response.header("idempotency-replayed").is_none());
    assert_eq!(app.me("c-1").await.body["balance"], 155);
}

pub async fn bad_action_requests_are_refused(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    award(&app, "c-1", "k-1", "birthday", "x")
        .await
        .assert_error(404, "not_found");
    for reference in ["", "   ", "a\nb"] {
        award(&app, "c-1", "k-1", "signup", reference)
            .await
            .assert_error(422, "validation_failed");
    }
    let long = "茶".repeat(129);
    award(&app, "c-1", "k-1", "signup", &long)
        .await
        .assert_error(422, "validation_failed");
    let at_limit = "茶".repeat(128);
    assert_eq!(granted(&app, "c-1", "k-1", "signup", &at_limit).await, 100);
    let body: Value = json!({ "action_id": "signup" });
    app.post_json(
        &actions_uri("c-1"),
        Some(DEMO_API_KEY),
        &[("idempotency-key", "k-2")],
        &body,
    )
    .await
    .assert_error(400, "bad_request");
    assert_eq!(app.me("c-1").await.body["balance"], 100);
}

pub async fn action_points_expire_like_other_earnings(backend: Backend) {
    let config = CONFIG.replacen(
        "code_valid_days = 30\n",
        "code_valid_days = 30\npoints_expire_after_days = 30\n",
        1,
    );
    let Some(app) = TestApp::spawn_with(backend, &config, Settings::default()).await else {
        return;
    };
    let today = Date::from_unix_seconds(app.state.clock.now());
    assert_eq!(granted(&app, "c-1", "k-1", "signup", "signup").await, 100);
    let me = app.me("c-1").await.body;
    assert_eq!(
        me["next_expiry"],
        json!({ "points": 100, "on": today.add_days(30).to_iso() })
    );
    app.state.clock.advance(30 * DAY);
    let run = run_once(&app.state).await.unwrap();
    assert_eq!(run.points, 100);
    let me = app.me("c-1").await.body;
    assert_eq!(me["balance"], 0);
    assert_eq!(me["history"][0]["kind"], "expired");
}
