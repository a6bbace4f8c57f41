//! Referrals: the advocate's stable code and programme, visits and friends' claims
//! (once per mailbox, never the advocate's own, never an existing customer), every rule
//! deciding a referred first order with its reason, the hold paid once by the job in the
//! shop's time zone, refunds cancelling only while pending, friend codes attributing
//! orders, the admin funnel, list and hand decisions, and the events.

use axum::body::Body;
use axum::http::Request;
use comeback_server::config::Settings;
use comeback_server::features::referrals::payouts::run_once;
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp, TestResponse, DEMO_API_KEY, DEMO_KEYS, DEMO_ORIGIN};

/// The `demo` shop with loyalty, webhooks and referrals in Shanghai's time zone (points
/// for the advocate, 15% off for the friend, a ¥50 minimum, two referred orders per
/// address a week, three rewards per advocate), and a `plain` shop without referrals.
/// `advocate_reward` replaces the advocate's reward table.
fn config(advocate_reward: &str) -> String {
    format!(
        r#"
[shops.demo]
name = "Cloud & Leaf Tea"
{DEMO_KEYS}currency = "CNY"
rate_limit_per_minute = 100000
allowed_origins = ["{DEMO_ORIGIN}"]

[shops.demo.loyalty]
points_per_unit = 1
code_prefix = "TEA"

[shops.demo.webhooks]
url = "http://127.0.0.1:9/hooks"

[shops.demo.referrals]
landing_url = "https://tea.example/welcome?utm=share"
time_zone = "Asia/Shanghai"
hold_days = 30
minimum_order = 5000
max_per_address_per_week = 2
advocate_cap = 3
friend_code_prefix = "FRIEND"
reward_code_prefix = "THANKS"

[shops.demo.referrals.advocate_reward]
{advocate_reward}

[shops.demo.referrals.friend_reward]
kind = "percent_off"
value = 15
valid_days = 30
description = {{ en = "15% off", "zh-Hans" = "85 折优惠" }}

[shops.plain]
name = "Plain"
token_secrets = ["test-token-secret-plain-0123456789abcdef"]
webhook_secrets = ["test-webhook-secret-plain-0123456789abcdef"]
api_keys = ["test-api-key-plain-0123456789abcdef012345"]
currency = "CNY"
"#
    )
}

const POINTS: &str = "kind = \"points\"\nvalue = 500\n";

/// The advocate of most tests, with the email the shop synced.
const ADVOCATE: &str = "c-lin";
const ADVOCATE_EMAIL: &str = "lin.mei@gmail.com";

/// The app with a frozen clock at noon in Shanghai on 1 March 2027 and the advocate's
/// profile synced.
async fn app(backend: Backend, advocate_reward: &str) -> Option<TestApp> {
    let app = TestApp::spawn_with(backend, &config(advocate_reward), Settings::default()).await?;
    app.state.clock.freeze();
    app.move_to("2027-03-01T04:00:00Z");
    let profiles = json!([
        { "id": ADVOCATE, "email": ADVOCATE_EMAIL, "name": "Lin Mei", "created_at": "2026-01-01T00:00:00Z" },
        { "id": "c-wang", "email": "wang@example.com", "name": "Wang Fang", "created_at": "2026-01-01T00:00:00Z" },
    ]);
    let response = app.signed_webhook("customers", &profiles).await;
    assert_eq!(response.status, 200, "{}", response.text);
    Some(app)
}

/// `GET /referrals/me` of `customer`, asserting 200.
async fn me(app: &TestApp, customer: &str) -> Value {
    let response = app
        .get(
            "/v1/shops/demo/referrals/me?locale=zh-Hans",
            Some(&app.token(customer)),
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.text);
    response.body
}

/// The advocate's code.
async fn code_of(app: &TestApp, customer: &str) -> String {
    me(app, customer).await["code"].as_str().unwrap().to_owned()
}

/// A paid order of `total` by `customer`, with `extra` fields merged in.
async fn order(app: &TestApp, customer: &str, id: &str, total: i64, extra: Value) -> TestResponse {
    let mut body = json!({
        "id": id, "customer_id": customer, "status": "paid", "currency": "CNY",
        "total": total,
        "lines": [{ "product_id": "longjing", "quantity": 1, "unit_price": total }],
    });
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    let response = app.webhook(&body).await;
    assert_eq!(response.status, 200, "{}", response.text);
    response
}

/// A refund of `refunded` (cumulative) of the order.
async fn refund(app: &TestApp, customer: &str, id: &str, total: i64, refunded: i64) {
    let response = app
        .webhook(&json!({
            "id": id, "customer_id": customer, "status": "refunded", "currency": "CNY",
            "total": total, "refund_total": refunded,
            "lines": [{ "product_id": "longjing", "quantity": 1, "unit_price": total }],
        }))
        .await;
    assert_eq!(response.status, 200, "{}", response.text);
}

async fn claim(app: &TestApp, code: &str, email: &str, bearer: Option<&str>) -> TestResponse {
    app.post_json(
        "/v1/shops/demo/referrals/claim",
        bearer,
        &[],
        &json!({ "code": code, "email": email }),
    )
    .await
}

/// The shop's referrals, oldest first (admin list).
async fn referrals(app: &TestApp, query: &str) -> Vec<Value> {
    let response = app
        .get(
            &format!("/v1/shops/demo/admin/referrals?{query}"),
            Some(DEMO_API_KEY),
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.text);
    response.body["referrals"].as_array().unwrap().clone()
}

/// The referral of an order.
async fn referral_of(app: &TestApp, order_id: &str) -> Option<Value> {
    referrals(app, "limit=200")
        .await
        .into_iter()
        .find(|referral| referral["order_id"] == order_id)
}

async fn events(app: &TestApp, kind: &str) -> Vec<Value> {
    app.outbox_of(kind)
        .await
        .iter()
        .map(|row| serde_json::from_str(&row.event.payload).unwrap())
        .collect()
}

/// Runs the payment job, asserting nothing failed; answers how many were paid.
async fn pay_due(app: &TestApp) -> u64 {
    let (paid, failures) = run_once(&app.state).await.unwrap();
    assert_eq!(failures, 0);
    paid
}

/// The advocate's loyalty balance and their `referral` entries' points.
async fn ledger_of(app: &TestApp, customer: &str) -> (i64, Vec<i64>) {
    let me = app.me(customer).await;
    assert_eq!(me.status, 200, "{}", me.text);
    let referral_points = me.body["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["kind"] == "referral")
        .map(|entry| entry["points"].as_i64().unwrap())
        .collect();
    (me.body["balance"].as_i64().unwrap(), referral_points)
}

pub async fn referral_programme_codes_visits_and_claims(backend: Backend) {
    let Some(app) = app(backend, POINTS).await else {
        return;
    };
    // No token, and a shop without the section.
    app.get("/v1/shops/demo/referrals/me", None)
        .await
        .assert_error(401, "unauthorized");
    app.get(
        "/v1/shops/plain/referrals/me",
        Some(
            &comeback_server::auth::mint_token(
                "test-token-secret-plain-0123456789abcdef",
                "c-1",
                None,
                app.state.clock.now(),
                3600,
            )
            .unwrap(),
        ),
    )
    .await
    .assert_error(404, "not_found");

    let programme = me(&app, ADVOCATE).await;
    let code = programme["code"].as_str().unwrap().to_owned();
    assert_eq!(
        comeback_core::referral::code::parse_referral_code(&code).as_deref(),
        Some(code.as_str())
    );
    assert_eq!(
        programme["link"],
        format!("https://tea.example/welcome?utm=share&ref={code}")
    );
    assert_eq!(
        programme["advocate_reward"],
        json!({ "kind": "points", "value": 500, "currency": "CNY", "minimum_order": 5000 })
    );
    assert_eq!(
        programme["friend_reward"],
        json!({ "kind": "percent_off", "value": 15, "currency": "CNY", "valid_days": 30,
                "description": "85 折优惠" })
    );
    assert_eq!(programme["hold_days"], 30);
    assert_eq!(programme["visits"], 0);
    assert_eq!(programme["signups"], 0);
    assert_eq!(programme["referrals"], json!([]));
    assert_eq!(code_of(&app, ADVOCATE).await, code, "the code is stable");
    assert_ne!(
        code_of(&app, "c-other").await,
        code,
        "one code per advocate"
    );

    // The landing, by the code typed in any case without its dash.
    let typed = code.replace('-', "").to_lowercase();
    let landing = app
        .get(&format!("/v1/shops/demo/referrals/codes/{typed}"), None)
        .await;
    assert_eq!(landing.status, 200, "{}", landing.text);
    assert_eq!(landing.body["code"], code.as_str());
    assert_eq!(landing.body["advocate_name"], "Lin");
    assert_eq!(landing.body["window_days"], 30);
    assert_eq!(landing.body["friend_reward"]["description"], "15% off");
    app.get("/v1/shops/demo/referrals/codes/ZZZ-ZZZ", None)
        .await
        .assert_error(404, "not_found");

    // Visits: each call counts; the answer is the attribution window from now.
    let now = app.state.clock.now();
    for _ in 0..2 {
        let visit = app
            .post_json(
                "/v1/shops/demo/referrals/visits",
                None,
                &[],
                &json!({ "code": typed }),
            )
            .await;
        assert_eq!(visit.status, 200, "{}", visit.text);
        assert_eq!(
            visit.body,
            json!({ "code": code, "expires_at": now + 30 * 86_400 })
        );
    }
    app.post_json(
        "/v1/shops/demo/referrals/visits",
        None,
        &[],
        &json!({ "code": "ZZZ-ZZZ" }),
    )
    .await
    .assert_error(404, "not_found");
    app.post_json(
        "/v1/shops/demo/referrals/visits",
        None,
        &[],
        &json!({ "code": "x".repeat(300) }),
    )
    .await
    .assert_error(422, "validation_failed");
    app.post_json("/v1/shops/demo/referrals/visits", None, &[], &json!({}))
        .await
        .assert_error(400, "bad_request");
    assert_eq!(me(&app, ADVOCATE).await["visits"], 2);

    // A guest claims; the same mailbox written otherwise answers the same code.
    let first = claim(&app, &code, "Wang.Li+tea@Example.com", None).await;
    assert_eq!(first.status, 200, "{}", first.text);
    let friend_code = first.body["code"].as_str().unwrap().to_owned();
    assert!(friend_code.starts_with("FRIEND-"), "{friend_code}");
    assert_eq!(first.body["reward"]["kind"], "percent_off");
    assert_eq!(first.body["expires_at"], now + 30 * 86_400);
    let again = claim(&app, &code, "wangli@example.com", None).await;
    assert_eq!(again.body["code"], friend_code.as_str(), "{}", again.text);
    let stored = app
        .state
        .store
        .discount_code("demo", &friend_code)
        .await
        .unwrap()
        .expect("the friend code is a discount code");
    assert_eq!(stored.value, 15);
    assert_eq!(stored.reward_id, "referral-friend");

    // The advocate's own mailbox, or their own token: self_referral.
    claim(&app, &code, "LinMei+x@googlemail.com", None)
        .await
        .assert_error(409, "self_referral");
    claim(
        &app,
        &code,
        "someone@example.com",
        Some(&app.token(ADVOCATE)),
    )
    .await
    .assert_error(409, "self_referral");
    // Someone who has ordered (by email, or the token's customer): already_customer.
    order(
        &app,
        "c-old",
        "o-old",
        8_000,
        json!({ "email": "old@example.com" }),
    )
    .await;
    claim(&app, &code, "old@example.com", None)
        .await
        .assert_error(409, "already_customer");
    claim(
        &app,
        &code,
        "new-address@example.com",
        Some(&app.token("c-old")),
    )
    .await
    .assert_error(409, "already_customer");
    claim(&app, &code, "not an email", None)
        .await
        .assert_error(422, "validation_failed");
    claim(&app, "ZZZ-ZZZ", "new@example.com", None)
        .await
        .assert_error(404, "not_found");
    let programme = me(&app, ADVOCATE).await;
    assert_eq!(programme["signups"], 1);

    // The OpenAPI document lists the routes and their schemas.
    let openapi = app.get("/v1/openapi.json", None).await;
    for path in [
        "/v1/shops/{shop}/referrals/me",
        "/v1/shops/{shop}/referrals/codes/{code}",
        "/v1/shops/{shop}/referrals/visits",
        "/v1/shops/{shop}/referrals/claim",
        "/v1/shops/{shop}/admin/referrals",
        "/v1/shops/{shop}/admin/referrals/funnel",
        "/v1/shops/{shop}/admin/referrals/{id}/approve",
        "/v1/shops/{shop}/admin/referrals/{id}/decline",
    ] {
        assert!(openapi.body["paths"][path].is_object(), "{path}");
    }
    for schema in [
        "ReferralProgramme",
        "FriendReward",
        "AdminReferral",
        "ReferralFunnel",
    ] {
        assert!(
            openapi.body["components"]["schemas"][schema].is_object(),
            "{schema}"
        );
    }

    // The section is a shopper section: CORS for the shop's origin.
    let preflight = app
        .send(
            Request::options("/v1/shops/demo/referrals/claim")
                .header("origin", DEMO_ORIGIN)
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "content-type")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some(DEMO_ORIGIN),
        "{:?}",
        preflight.headers
    );
}

pub async fn referral_rules_decline_with_their_reasons(backend: Backend) {
    let Some(app) = app(backend, POINTS).await else {
        return;
    };
    let code = code_of(&app, ADVOCATE).await;
    let via = |extra: Value| {
        let mut extra = extra;
        extra["referral_code"] = json!(code.to_lowercase());
        extra
    };
    // The advocate's own order with their own code; their email; their mailbox
    // written with dots and a tag.
    order(&app, ADVOCATE, "o-self-id", 8_000, via(json!({}))).await;
    order(
        &app,
        "c-alt",
        "o-self-email",
        8_000,
        via(json!({ "email": ADVOCATE_EMAIL })),
    )
    .await;
    order(
        &app,
        "c-alt2",
        "o-self-box",
        8_000,
        via(json!({ "email": "LinMei+alt@gmail.com" })),
    )
    .await;
    // A friend who ordered before.
    order(&app, "c-wang", "o-wang-1", 8_000, json!({})).await;
    order(&app, "c-wang", "o-wang-2", 8_000, via(json!({}))).await;
    // Under the minimum.
    order(&app, "c-small", "o-small", 4_999, via(json!({}))).await;
    // Two from one address a week are fine, the third is refused (IPv6 by its /64).
    order(
        &app,
        "c-a1",
        "o-a1",
        8_000,
        via(json!({ "client_ip": "2001:db8:1:2::1" })),
    )
    .await;
    order(
        &app,
        "c-a2",
        "o-a2",
        8_000,
        via(json!({ "client_ip": "2001:db8:1:2:ffff::9" })),
    )
    .await;
    order(
        &app,
        "c-a3",
        "o-a3",
        8_000,
        via(json!({ "client_ip": "2001:db8:1:2::77" })),
    )
    .await;
    // A third reward is within the cap of three; the fourth is over it.
    order(
        &app,
        "c-b1",
        "o-b1",
        8_000,
        via(json!({ "client_ip": "198.51.100.7" })),
    )
    .await;
    order(&app, "c-b2", "o-b2", 8_000, via(json!({}))).await;

    let expected = [
        ("o-self-id", "declined", Some("self_referral")),
        ("o-self-email", "declined", Some("self_referral")),
        ("o-self-box", "declined", Some("self_referral")),
        ("o-wang-2", "declined", Some("not_first_order")),
        ("o-small", "declined", Some("below_minimum")),
        ("o-a1", "pending", None),
        ("o-a2", "pending", None),
        ("o-a3", "declined", Some("too_many_from_one_address")),
        ("o-b1", "pending", None),
        ("o-b2", "declined", Some("advocate_cap")),
    ];
    let listed = referrals(&app, "").await;
    let got: Vec<(String, String, Option<String>)> = listed
        .iter()
        .map(|referral| {
            (
                referral["order_id"].as_str().unwrap().to_owned(),
                referral["status"].as_str().unwrap().to_owned(),
                referral["reason"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let want: Vec<(String, String, Option<String>)> = expected
        .iter()
        .map(|(order, status, reason)| {
            (
                (*order).to_owned(),
                (*status).to_owned(),
                reason.map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert!(listed
        .iter()
        .all(|referral| referral["decided_by"] == "rules"));
    assert!(
        referral_of(&app, "o-wang-1").await.is_none(),
        "no code, no referral"
    );
    assert_eq!(listed[5]["pays_on"], "2027-03-31");
    assert_eq!(listed[5]["ordered_on"], "2027-03-01");
    assert_eq!(listed[5]["code"], code.as_str());

    // The advocate reads the reasons; each recorded order was one `referral.converted`.
    let programme = me(&app, ADVOCATE).await;
    let mine = programme["referrals"].as_array().unwrap();
    assert_eq!(mine.len(), 10);
    assert_eq!(mine[0]["status"], "declined", "newest first");
    assert_eq!(mine[0]["reason"], "advocate_cap");
    let wang = mine
        .iter()
        .find(|referral| referral["reason"] == "not_first_order")
        .unwrap();
    assert_eq!(wang["friend"], "Wang", "the friend's first name");
    let by_mailbox = mine
        .iter()
        .filter(|referral| referral["friend"] == "l•••@gmail.com")
        .count();
    assert_eq!(by_mailbox, 2, "emails are masked");
    let converted = events(&app, "referral.converted").await;
    assert_eq!(converted.len(), 10);
    assert_eq!(converted[7]["reason"], "too_many_from_one_address");
    assert_eq!(converted[5]["status"], "pending");

    // A second referral of a friend already referred is not a first order either.
    order(&app, "c-a1", "o-a1-again", 8_000, via(json!({}))).await;
    assert_eq!(
        referral_of(&app, "o-a1-again").await.unwrap()["reason"],
        "not_first_order"
    );
}

pub async fn referral_rewards_wait_for_the_hold_and_are_paid_once(backend: Backend) {
    let Some(app) = app(backend, POINTS).await else {
        return;
    };
    let code = code_of(&app, ADVOCATE).await;
    order(&app, ADVOCATE, "o-own", 10_000, json!({})).await;
    let (balance, _) = ledger_of(&app, ADVOCATE).await;
    assert_eq!(balance, 100);
    let friend = json!({ "referral_code": code, "email": "zhao@example.com" });
    order(&app, "c-zhao", "o-zhao", 8_000, friend.clone()).await;
    // The same webhook again is a duplicate: still one referral.
    let repeat = order(&app, "c-zhao", "o-zhao", 8_000, friend).await;
    assert_eq!(repeat.body["duplicate"], true);
    assert_eq!(referrals(&app, "").await.len(), 1);
    let pending = referral_of(&app, "o-zhao").await.unwrap();
    assert_eq!(pending["status"], "pending");
    assert_eq!(pending["pays_on"], "2027-03-31");
    assert_eq!(
        me(&app, ADVOCATE).await["referrals"][0]["pays_on"],
        "2027-03-31"
    );

    // The last second of 30 March in Shanghai: not yet.
    app.move_to("2027-03-30T15:59:59Z");
    assert_eq!(pay_due(&app).await, 0);
    assert_eq!(
        referral_of(&app, "o-zhao").await.unwrap()["status"],
        "pending"
    );
    assert_eq!(ledger_of(&app, ADVOCATE).await, (100, vec![]));
    // 31 March has begun in Shanghai: paid, once, however often the job runs.
    app.move_to("2027-03-30T16:00:00Z");
    assert_eq!(pay_due(&app).await, 1);
    assert_eq!(pay_due(&app).await, 0);
    assert_eq!(ledger_of(&app, ADVOCATE).await, (600, vec![500]));
    let paid = referral_of(&app, "o-zhao").await.unwrap();
    assert_eq!(paid["status"], "paid");
    assert_eq!(paid["paid_on"], "2027-03-31");
    assert_eq!(paid["points"], 500);
    assert_eq!(paid["decided_by"], "job");
    assert_eq!(paid["pays_on"], Value::Null);
    let view = &me(&app, ADVOCATE).await["referrals"][0];
    assert_eq!(view["status"], "paid");
    assert_eq!(view["paid_on"], "2027-03-31");
    // The ledger entry names the friend's order.
    let history = app.me(ADVOCATE).await.body["history"].clone();
    assert_eq!(history[0]["kind"], "referral");
    assert_eq!(history[0]["reference"], "o-zhao");
    // The webhook once more, and the admin's approval, pay nothing again.
    order(
        &app,
        "c-zhao",
        "o-zhao",
        8_000,
        json!({ "referral_code": code }),
    )
    .await;
    let id = paid["id"].as_str().unwrap();
    let approved = app
        .post_json(
            &format!("/v1/shops/demo/admin/referrals/{id}/approve"),
            Some(DEMO_API_KEY),
            &[],
            &json!({}),
        )
        .await;
    assert_eq!(approved.status, 200, "{}", approved.text);
    assert_eq!(approved.body["decided_by"], "job");
    assert_eq!(ledger_of(&app, ADVOCATE).await, (600, vec![500]));
    let paid_events = events(&app, "referral.reward_paid").await;
    assert_eq!(paid_events.len(), 1);
    assert_eq!(paid_events[0]["points"], 500);
    assert_eq!(paid_events[0]["advocate_id"], ADVOCATE);

    // A refund after payment changes nothing for the advocate (the hold was the
    // return window); the friend's own points are taken back as always.
    refund(&app, "c-zhao", "o-zhao", 8_000, 8_000).await;
    assert_eq!(referral_of(&app, "o-zhao").await.unwrap()["status"], "paid");
    assert_eq!(ledger_of(&app, ADVOCATE).await, (600, vec![500]));
    assert_eq!(app.me("c-zhao").await.body["balance"], 0);
    assert!(events(&app, "referral.cancelled").await.is_empty());
}

pub async fn refunds_within_the_hold_cancel_the_reward(backend: Backend) {
    let Some(app) = app(backend, POINTS).await else {
        return;
    };
    let code = code_of(&app, ADVOCATE).await;
    order(&app, "c-1", "o-1", 20_000, json!({ "referral_code": code })).await;
    order(&app, "c-2", "o-2", 8_000, json!({ "referral_code": code })).await;
    // A small part refunded: what the friend keeps still counts.
    refund(&app, "c-1", "o-1", 20_000, 2_000).await;
    assert_eq!(referral_of(&app, "o-1").await.unwrap()["status"], "pending");
    // The rest: under the minimum, cancelled.
    refund(&app, "c-1", "o-1", 20_000, 16_000).await;
    let cancelled = referral_of(&app, "o-1").await.unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["reason"], "refunded");
    assert_eq!(cancelled["pays_on"], Value::Null);
    // A whole refund cancels too.
    refund(&app, "c-2", "o-2", 8_000, 8_000).await;
    assert_eq!(
        referral_of(&app, "o-2").await.unwrap()["status"],
        "cancelled"
    );
    let events = events(&app, "referral.cancelled").await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["order_id"], "o-1");
    assert_eq!(events[0]["reason"], "refunded");
    // The hold passes: nothing is paid; the shop cannot approve a cancelled one.
    app.move_to("2027-06-01T00:00:00Z");
    assert_eq!(pay_due(&app).await, 0);
    assert_eq!(ledger_of(&app, ADVOCATE).await, (0, vec![]));
    let id = cancelled["id"].as_str().unwrap();
    app.post_json(
        &format!("/v1/shops/demo/admin/referrals/{id}/approve"),
        Some(DEMO_API_KEY),
        &[],
        &json!({}),
    )
    .await
    .assert_error(409, "referral_settled");
    // Cancelled rewards do not count against the advocate's cap.
    for (customer, id) in [("c-3", "o-3"), ("c-4", "o-4"), ("c-5", "o-5")] {
        order(&app, customer, id, 8_000, json!({ "referral_code": code })).await;
        assert_eq!(referral_of(&app, id).await.unwrap()["status"], "pending");
    }
}

pub async fn friend_codes_attribute_and_unknown_codes_are_ignored(backend: Backend) {
    let Some(app) = app(backend, POINTS).await else {
        return;
    };
    let code = code_of(&app, ADVOCATE).await;
    let claimed = claim(&app, &code, "zhou@example.com", None).await;
    let friend_code = claimed.body["code"].as_str().unwrap().to_owned();
    // The friend's own discount code, without `referral_code`, attributes the order;
    // the claim's email is the friend's when the order has none.
    order(
        &app,
        "c-zhou",
        "o-zhou",
        9_000,
        json!({ "discount_codes": [friend_code] }),
    )
    .await;
    let referral = referral_of(&app, "o-zhou")
        .await
        .expect("attributed by the friend code");
    assert_eq!(referral["advocate_id"], ADVOCATE);
    assert_eq!(referral["status"], "pending");
    assert_eq!(referral["friend_email"], "zhou@example.com");
    assert_eq!(referral["code"], code.as_str());
    // An unknown code and a value that is no referral code refer nobody, and never
    // refuse the order.
    let unknown = order(
        &app,
        "c-x",
        "o-x",
        9_000,
        json!({ "referral_code": "ZZZ-ZZZ" }),
    )
    .await;
    assert_eq!(unknown.body["points"], 90);
    order(
        &app,
        "c-y",
        "o-y",
        9_000,
        json!({ "referral_code": "lin-friend" }),
    )
    .await;
    order(
        &app,
        "c-z",
        "o-z",
        9_000,
        json!({ "discount_codes": ["FRIEND-XXXX-XXXX"] }),
    )
    .await;
    assert_eq!(referrals(&app, "").await.len(), 1);
    // Without `client_ip`, the address the friend claimed from counts: two friends a
    // week from one address are fine, the third is refused.
    for (index, friend) in ["c-p1", "c-p2", "c-p3"].into_iter().enumerate() {
        let mut request = Request::post("/v1/shops/demo/referrals/claim")
            .header("content-type", "application/json")
            .body(Body::from(
                json!({ "code": code, "email": format!("{friend}@example.net") }).to_string(),
            ))
            .unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                [203, 0, 113, 5],
                40_000 + u16::try_from(index).unwrap(),
            ))));
        let claimed = app.send(request).await;
        assert_eq!(claimed.status, 200, "{}", claimed.text);
        let friend_code = claimed.body["code"].as_str().unwrap().to_owned();
        order(
            &app,
            friend,
            &format!("o-{friend}"),
            9_000,
            json!({ "discount_codes": [friend_code] }),
        )
        .await;
    }
    let mut states = Vec::new();
    for id in ["o-c-p1", "o-c-p2", "o-c-p3"] {
        states.push(referral_of(&app, id).await.unwrap()["reason"].clone());
    }
    assert_eq!(
        states,
        [Value::Null, Value::Null, json!("too_many_from_one_address")]
    );
    let stored = app.state.store.order("demo", "o-y").await.unwrap().unwrap();
    assert_eq!(stored.referral_code.as_deref(), Some("lin-friend"));
    let stored = app.state.store.order("demo", "o-x").await.unwrap().unwrap();
    assert_eq!(stored.referral_code.as_deref(), Some("ZZZ-ZZZ"));
}

pub async fn admins_see_the_funnel_and_decide_by_hand(backend: Backend) {
    let Some(app) = app(backend, POINTS).await else {
        return;
    };
    let code = code_of(&app, ADVOCATE).await;
    let other = code_of(&app, "c-wang").await;
    app.post_json(
        "/v1/shops/demo/referrals/visits",
        None,
        &[],
        &json!({ "code": code }),
    )
    .await;
    claim(&app, &code, "a@example.com", None).await;
    order(&app, "c-a", "o-a", 8_000, json!({ "referral_code": code })).await;
    order(&app, "c-b", "o-b", 8_000, json!({ "referral_code": code })).await;
    order(&app, "c-c", "o-c", 1_000, json!({ "referral_code": code })).await;
    order(&app, "c-d", "o-d", 8_000, json!({ "referral_code": other })).await;
    let id = |referral: Option<Value>| referral.unwrap()["id"].as_str().unwrap().to_owned();
    let (a, b, c) = (
        id(referral_of(&app, "o-a").await),
        id(referral_of(&app, "o-b").await),
        id(referral_of(&app, "o-c").await),
    );
    let post = |path: String| {
        let app = &app;
        async move {
            app.post_json(&path, Some(DEMO_API_KEY), &[], &json!({}))
                .await
        }
    };
    let approve = |id: &str| post(format!("/v1/shops/demo/admin/referrals/{id}/approve"));
    let decline = |id: &str| post(format!("/v1/shops/demo/admin/referrals/{id}/decline"));

    // Approve pays now, once; a repeat answers the paid referral.
    let paid = approve(&a).await;
    assert_eq!(paid.status, 200, "{}", paid.text);
    assert_eq!(paid.body["status"], "paid");
    assert_eq!(paid.body["decided_by"], "shop");
    assert_eq!(paid.body["paid_on"], "2027-03-01");
    assert_eq!(approve(&a).await.body, paid.body);
    assert_eq!(ledger_of(&app, ADVOCATE).await, (500, vec![500]));
    decline(&a).await.assert_error(409, "referral_settled");
    // Decline a pending one; declining again answers it as it is.
    let declined = decline(&b).await;
    assert_eq!(declined.body["status"], "declined", "{}", declined.text);
    assert_eq!(declined.body["reason"], "declined_by_shop");
    assert_eq!(decline(&b).await.body, declined.body);
    // The job never pays a declined one; the shop's approval of a declined one does.
    app.move_to("2027-04-15T00:00:00Z");
    assert_eq!(pay_due(&app).await, 1, "only o-d was still pending");
    let below = approve(&c).await;
    assert_eq!(below.body["status"], "paid", "{}", below.text);
    assert_eq!(below.body["reason"], Value::Null);
    assert_eq!(ledger_of(&app, ADVOCATE).await, (1_000, vec![500, 500]));
    approve("0190aaaa-0000-7000-8000-000000000000")
        .await
        .assert_error(404, "not_found");
    app.post_json(
        &format!("/v1/shops/demo/admin/referrals/{a}/approve"),
        None,
        &[],
        &json!({}),
    )
    .await
    .assert_error(401, "unauthorized");

    // The list filters by advocate and status, a page at a time.
    let lins = referrals(&app, &format!("advocate={ADVOCATE}")).await;
    assert_eq!(lins.len(), 3);
    let page = app
        .get(
            "/v1/shops/demo/admin/referrals?status=paid&limit=2",
            Some(DEMO_API_KEY),
        )
        .await;
    assert_eq!(page.body["referrals"].as_array().unwrap().len(), 2);
    let after = page.body["next_after"].as_str().unwrap();
    let rest = referrals(&app, &format!("status=paid&limit=2&after={after}")).await;
    assert_eq!(rest.len(), 1);
    app.get(
        "/v1/shops/demo/admin/referrals?status=lost",
        Some(DEMO_API_KEY),
    )
    .await
    .assert_error(422, "validation_failed");

    // The funnel, whole and for a period with nothing in it.
    let funnel = app
        .get("/v1/shops/demo/admin/referrals/funnel", Some(DEMO_API_KEY))
        .await;
    assert_eq!(
        funnel.body,
        json!({ "visits": 1, "signups": 1, "first_orders": 4, "pending": 0, "paid": 3,
                "cancelled": 0, "declined": 1, "points_paid": 1500, "codes_paid": 0 }),
        "{}",
        funnel.text
    );
    let later = app
        .get(
            "/v1/shops/demo/admin/referrals/funnel?since=2027-03-02T00:00:00Z&until=2027-04-01T00:00:00Z",
            Some(DEMO_API_KEY),
        )
        .await;
    assert_eq!(later.body["first_orders"], 0, "{}", later.text);
    assert_eq!(later.body["visits"], 0);
    app.get(
        "/v1/shops/demo/admin/referrals/funnel?since=yesterday",
        Some(DEMO_API_KEY),
    )
    .await
    .assert_error(422, "validation_failed");
    assert_eq!(events(&app, "referral.reward_paid").await.len(), 3);
    let cancelled = events(&app, "referral.cancelled").await;
    assert_eq!(cancelled.len(), 1);
    assert_eq!(cancelled[0]["reason"], "declined_by_shop");
}

pub async fn advocates_can_be_paid_with_a_code(backend: Backend) {
    let reward = "kind = \"amount_off\"\nvalue = 2000\nvalid_days = 60\n";
    let Some(app) = app(backend, reward).await else {
        return;
    };
    let code = code_of(&app, ADVOCATE).await;
    order(&app, "c-1", "o-1", 8_000, json!({ "referral_code": code })).await;
    app.move_to("2027-04-01T00:00:00Z");
    assert_eq!(pay_due(&app).await, 1);
    assert_eq!(pay_due(&app).await, 0);
    let paid = referral_of(&app, "o-1").await.unwrap();
    let reward_code = paid["reward_code"].as_str().unwrap();
    assert!(reward_code.starts_with("THANKS-"), "{reward_code}");
    assert_eq!(paid["points"], Value::Null);
    let stored = app
        .state
        .store
        .discount_code("demo", reward_code)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.customer_id, ADVOCATE);
    assert_eq!(stored.value, 2000);
    assert_eq!(stored.expires_at - stored.created_at, 60 * 86_400);
    assert_eq!(
        me(&app, ADVOCATE).await["referrals"][0]["reward_code"],
        reward_code
    );
    assert_eq!(ledger_of(&app, ADVOCATE).await, (0, vec![]));
    let funnel = app
        .get("/v1/shops/demo/admin/referrals/funnel", Some(DEMO_API_KEY))
        .await;
    assert_eq!(funnel.body["codes_paid"], 1);
    assert_eq!(funnel.body["points_paid"], 0);
}

pub async fn the_demo_customer_has_referrals_in_every_state(backend: Backend) {
    let demo = include_str!("../../../comeback.demo.toml");
    let Some(app) = TestApp::spawn_with(backend, demo, Settings::default()).await else {
        return;
    };
    // Twice: the seed changes nothing the second time.
    comeback_server::routes::demo::seed(&app.state)
        .await
        .unwrap();
    comeback_server::routes::demo::seed(&app.state)
        .await
        .unwrap();
    let session = app.get("/demo/session", None).await;
    let token = session.body["token"].as_str().unwrap().to_owned();
    let programme = app.get("/v1/shops/demo/referrals/me", Some(&token)).await;
    assert_eq!(programme.status, 200, "{}", programme.text);
    let body = &programme.body;
    let code = body["code"].as_str().unwrap();
    assert_eq!(body["link"], format!("/?ref={code}"));
    assert_eq!(body["visits"], 9);
    assert_eq!(body["signups"], 3);
    assert_eq!(body["advocate_reward"]["value"], 500);
    assert_eq!(body["friend_reward"]["value"], 15);
    let states: Vec<(&str, Option<&str>)> = body["referrals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|referral| {
            (
                referral["status"].as_str().unwrap(),
                referral["reason"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("pending", None),
            ("cancelled", Some("refunded")),
            ("declined", Some("not_first_order")),
            ("paid", None),
        ],
        "newest first"
    );
    assert!(body["referrals"][0]["pays_on"].is_string());
    assert!(body["referrals"][3]["paid_on"].is_string());
    let me = app
        .get("/v1/shops/demo/loyalty/me", Some(&token))
        .await
        .body;
    let referral_entries: Vec<&Value> = me["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["kind"] == "referral")
        .collect();
    assert_eq!(referral_entries.len(), 1, "paid once: {me}");
    assert_eq!(referral_entries[0]["points"], 500);
    assert_eq!(referral_entries[0]["reference"], "demo-ref-2001");
    assert_eq!(me["tier"]["current"], "bud");
}

/// Two friends who referred each other order at the same moment: each order locks its
/// customer, then the other as the advocate, in opposite orders, which PostgreSQL may
/// break as a deadlock. The aborted transaction runs again: both webhooks answer 200
/// and each order's referral is recorded once.
pub async fn friends_who_referred_each_other_may_order_at_once(backend: Backend) {
    let Some(app) = app(backend, POINTS).await else {
        return;
    };
    for pair in 0..6 {
        let (first, second) = (format!("c-x{pair}"), format!("c-y{pair}"));
        let (first_code, second_code) = (code_of(&app, &first).await, code_of(&app, &second).await);
        let (first_order, second_order) = (format!("o-x{pair}"), format!("o-y{pair}"));
        tokio::join!(
            order(
                &app,
                &first,
                &first_order,
                8_000,
                json!({ "referral_code": second_code })
            ),
            order(
                &app,
                &second,
                &second_order,
                8_000,
                json!({ "referral_code": first_code })
            ),
        );
        for (order_id, advocate) in [(&first_order, &second), (&second_order, &first)] {
            let referral = referral_of(&app, order_id).await.expect("recorded");
            assert_eq!(referral["advocate_id"], advocate.as_str(), "{referral}");
            assert_eq!(referral["status"], "pending", "{referral}");
        }
    }
}
