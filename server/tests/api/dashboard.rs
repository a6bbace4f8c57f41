//! The dashboard's read API: the customer search (id prefix, email and name ignoring
//! case, `%` and `_` taken literally, other shops never shown), the overview of a
//! period on a hand-built history, one customer's activity, and the segments with
//! their CSV and Excel exports.

use std::io::Cursor;

use axum::body::Body;
use axum::http::Request;
use calamine::{Data, Reader, Xlsx};
use comeback_server::config::Settings;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::helpers::{Backend, TestApp, TestResponse, CONFIG, DEMO_API_KEY, OTHER_API_KEY};

const DAY: i64 = 86_400;

/// The test config's shops, the `demo` shop also running referrals, a survey,
/// subscriptions, help and recommendations.
fn config() -> String {
    format!(
        r#"{CONFIG}
[shops.demo.referrals]
landing_url = "https://tea.example/welcome"
friend_code_prefix = "FRIEND"
reward_code_prefix = "THANKS"

[shops.demo.referrals.advocate_reward]
kind = "points"
value = 500

[shops.demo.referrals.friend_reward]
kind = "percent_off"
value = 15
valid_days = 30
description = {{ en = "15% off" }}

[[shops.demo.surveys]]
id = "thank-you"
version = 1
trigger = "order_complete"
recontact = {{ per = "order", until = "once" }}
title = {{ en = "Thank you" }}
thanks = {{ en = "Thanks" }}

[[shops.demo.surveys.questions]]
id = "nps"
type = "nps"
text = {{ en = "Recommend us?" }}

[shops.demo.subscriptions]
time_zone = "UTC"

[[shops.demo.subscriptions.plans]]
id = "tea-club"
categories = ["tea"]
discount_percent = 10
intervals = ["P4W"]
name = {{ en = "Tea club" }}

[[shops.demo.subscriptions.cancel_reasons]]
id = "too-much"
label = {{ en = "Too much tea" }}

[shops.demo.help]
locales = ["en"]

[shops.demo.help.contact]
email = "help@tea.example"

[[shops.demo.help.articles]]
id = "shipping"
title = {{ en = "Shipping" }}
body = {{ en = "Free over ¥99." }}

[shops.demo.recommendations]
exclude = ["gift-card"]
"#
    )
}

/// The app on [`config`], its clock frozen at noon UTC on Wednesday 9 December 2026.
async fn app(backend: Backend) -> Option<TestApp> {
    let app = TestApp::spawn_with(backend, &config(), Settings::default()).await?;
    app.state.clock.freeze();
    app.move_to("2026-12-09T12:00:00Z");
    Some(app)
}

fn rfc3339(at: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(at)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

fn unix(at: &str) -> i64 {
    time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
        .unwrap()
        .unix_timestamp()
}

/// Pays an order of `total` (one line of `product`) placed at `placed` (Unix seconds).
async fn paid_at(
    app: &TestApp,
    customer: &str,
    order: &str,
    total: i64,
    placed: i64,
    email: Option<&str>,
) {
    let mut body = json!({
        "id": order,
        "customer_id": customer,
        "status": "paid",
        "currency": "CNY",
        "total": total,
        "created_at": rfc3339(placed),
        "lines": [{ "product_id": "sku-1", "quantity": 2, "unit_price": total / 2 }],
    });
    if let Some(email) = email {
        body["email"] = json!(email);
    }
    let response = app.webhook(&body).await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
}

/// Refunds `amount` of an order.
async fn refund(app: &TestApp, customer: &str, order: &str, total: i64, amount: i64) {
    let response = app
        .webhook(&json!({
            "id": order,
            "customer_id": customer,
            "status": "refunded",
            "currency": "CNY",
            "total": total,
            "refund_total": amount,
        }))
        .await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
}

/// Syncs a customer profile of the demo shop.
async fn profile(app: &TestApp, customer: &str, email: &str, name: &str) {
    let body = json!({
        "id": customer,
        "email": email,
        "name": name,
        "created_at": "2026-01-01T00:00:00Z",
    });
    let response = app
        .send(
            Request::put(format!("/v1/shops/demo/admin/profiles/{customer}"))
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {DEMO_API_KEY}"))
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
}

async fn get_ok(app: &TestApp, uri: &str) -> Value {
    let response = app.get(uri, Some(DEMO_API_KEY)).await;
    assert_eq!(response.status.as_u16(), 200, "{uri}: {}", response.text);
    response.body
}

async fn search(app: &TestApp, query: &str) -> Vec<String> {
    let body = get_ok(app, &format!("/v1/shops/demo/admin/customers?{query}")).await;
    body["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["customer_id"].as_str().unwrap().to_owned())
        .collect()
}

pub async fn search_finds_customers_by_id_email_and_name(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let now = app.state.clock.now();
    profile(&app, "c-100", "Ada@Example.com", "Ada Lovelace").await;
    paid_at(&app, "c-100", "o-1", 10_000, now - 5 * DAY, None).await;
    paid_at(&app, "c-100", "o-2", 4_000, now - 3 * DAY, None).await;
    refund(&app, "c-100", "o-2", 4_000, 1_000).await;
    paid_at(
        &app,
        "c-1000",
        "o-3",
        2_000,
        now - DAY,
        Some("Zed@Tea.example"),
    )
    .await;
    paid_at(
        &app,
        "c-101",
        "o-4",
        3_000,
        now - 10 * DAY,
        Some("bob@tea.example"),
    )
    .await;
    profile(&app, "x_1", "fan@tea.example", "100% Tea Fan").await;
    profile(&app, "xy1", "xy@example.org", "Xy").await;
    // Another shop's customer with a matching name and id.
    app.execute(
        "INSERT INTO customer_profiles (shop_id, customer_id, email, name, created_at, \
         synced_at) VALUES ('other', 'c-1009', 'ada@other.example', 'Ada Other', 0, 0)",
    )
    .await;

    // Id prefix: newest order first; the exact id before the rest.
    assert_eq!(search(&app, "q=c-10").await, ["c-1000", "c-100", "c-101"]);
    assert_eq!(search(&app, "q=c-100").await, ["c-100", "c-1000"]);
    assert_eq!(search(&app, "q=C-101").await, ["c-101"]);
    assert_eq!(search(&app, "q=c-10&limit=2").await, ["c-1000", "c-100"]);
    // Email and name, ignoring case and surrounding spaces; an order's email too.
    assert_eq!(search(&app, "q=%20ADA%40EXAMPLE%20").await, ["c-100"]);
    assert_eq!(search(&app, "q=lovelace").await, ["c-100"]);
    assert_eq!(
        search(&app, "q=ada").await,
        ["c-100"],
        "not the other shop's"
    );
    assert_eq!(search(&app, "q=Bob%40").await, ["c-101"]);
    assert_eq!(
        search(&app, "q=tea.example").await,
        ["c-1000", "c-101", "x_1"]
    );
    // `%` and `_` are the characters themselves.
    assert_eq!(search(&app, "q=%25").await, ["x_1"]);
    assert_eq!(search(&app, "q=x_").await, ["x_1"], "not `xy1`");
    assert!(search(&app, "q=nobody").await.is_empty());

    let hits = get_ok(&app, "/v1/shops/demo/admin/customers?q=c-10").await;
    let hit = |id: &str| {
        hits["customers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|hit| hit["customer_id"] == id)
            .unwrap()
            .clone()
    };
    let ada = hit("c-100");
    assert_eq!(ada["email"], "ada@example.com");
    assert_eq!(ada["name"], "Ada Lovelace");
    assert_eq!(ada["orders"], 2);
    assert_eq!(ada["spent"], 13_000, "less the refund");
    assert_eq!(ada["currency"], "CNY");
    assert_eq!(ada["last_order_at"], now - 3 * DAY);
    assert_eq!(
        ada["balance"],
        app.admin_customer("c-100").await["balance"],
        "{ada}"
    );
    assert!(ada["balance"].as_i64().unwrap() > 0);
    let zed = hit("c-1000");
    assert_eq!(zed["email"], "zed@tea.example", "the order's email");
    assert!(zed.get("name").is_none());

    for bad in ["q=", "q=%20%20", "", "q=x&limit=0", "q=x&limit=101"] {
        app.get(
            &format!("/v1/shops/demo/admin/customers?{bad}"),
            Some(DEMO_API_KEY),
        )
        .await
        .assert_error(422, "validation_failed");
    }
    let long = "a".repeat(101);
    app.get(
        &format!("/v1/shops/demo/admin/customers?q={long}"),
        Some(DEMO_API_KEY),
    )
    .await
    .assert_error(422, "validation_failed");
    for key in [None, Some(OTHER_API_KEY), Some("wrong")] {
        app.get("/v1/shops/demo/admin/customers?q=c", key)
            .await
            .assert_error(401, "unauthorized");
    }
    // The other shop sees only its own.
    let other = app
        .get("/v1/shops/other/admin/customers?q=ada", Some(OTHER_API_KEY))
        .await;
    assert_eq!(other.status.as_u16(), 200, "{}", other.text);
    assert_eq!(other.body["customers"][0]["customer_id"], "c-1009");
    assert_eq!(other.body["customers"].as_array().unwrap().len(), 1);
}

/// A survey response row.
fn response_sql(id: &str, customer: &str, at: i64, nps: &str, csat: &str) -> String {
    format!(
        "INSERT INTO survey_responses (id, shop_id, survey_id, version, customer_id, \
         order_id, answers, context, answered_at, received_at, week, nps, csat, effort, \
         reward, points) VALUES ('{id}', 'demo', 'thank-you', 1, '{customer}', NULL, \
         '{{\"nps\":7}}', '{{}}', {at}, {at}, '2026-11-30', {nps}, {csat}, NULL, 'none', 0)"
    )
}

/// A subscription row.
fn subscription_sql(id: &str, status: &str, cancelled_at: &str, reason: &str) -> String {
    format!(
        "INSERT INTO subscriptions (id, shop_id, customer_id, product_id, plan_id, \
         quantity, delivery_interval, anchor_day, status, next_delivery, deliveries, \
         started_on, cancelled_at, cancel_reason, created_at, updated_at, order_id, \
         line_no) VALUES ('{id}', 'demo', 'c-1', 'sku-1', 'tea-club', 1, 'P4W', 1, \
         '{status}', NULL, 1, '2026-10-01', {cancelled_at}, {reason}, 0, 0, 'o-{id}', 0)"
    )
}

/// Answers "did this help" about the shipping article.
async fn feedback(app: &TestApp, helpful: bool) {
    let counted = app
        .post_json(
            "/v1/shops/demo/help/feedback",
            None,
            &[],
            &json!({ "subject": "article:shipping", "helpful": helpful }),
        )
        .await;
    assert_eq!(counted.status.as_u16(), 200, "{}", counted.text);
}

pub async fn overview_sums_a_hand_built_history(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    // The period: Monday 30 November to Monday 14 December 2026.
    let from = unix("2026-11-30T00:00:00Z");
    let to = unix("2026-12-14T00:00:00Z");
    let at = |day: &str| unix(&format!("{day}T10:00:00Z"));
    paid_at(&app, "c-1", "o-1", 10_000, at("2026-11-20"), None).await;
    paid_at(&app, "c-1", "o-2", 50_000, at("2026-12-01"), None).await;
    paid_at(&app, "c-2", "o-3", 5_000, at("2026-12-02"), None).await;
    paid_at(&app, "c-2", "o-4", 7_000, at("2026-12-08"), None).await;
    paid_at(&app, "c-3", "o-5", 3_000, at("2026-12-08"), None).await;
    refund(&app, "c-2", "o-3", 5_000, 5_000).await;
    let redeemed = app.redeem("c-1", "r-1", "free-shipping").await;
    assert_eq!(redeemed.status.as_u16(), 201, "{}", redeemed.text);
    for (key, points) in [("a-1", 100), ("a-2", -20)] {
        let response = app
            .post_json(
                "/v1/shops/demo/admin/customers/c-3/adjustments",
                Some(DEMO_API_KEY),
                &[("idempotency-key", key)],
                &json!({ "points": points, "reason": "Goodwill" }),
            )
            .await;
        assert_eq!(response.status.as_u16(), 201, "{}", response.text);
    }
    for sql in [
        response_sql("r1", "c-1", at("2026-12-01"), "10", "NULL"),
        response_sql("r2", "c-2", at("2026-12-02"), "3", "NULL"),
        response_sql("r3", "c-3", at("2026-12-08"), "9", "NULL"),
        response_sql("r4", "c-1", at("2026-12-08"), "NULL", "5"),
        response_sql("r5", "c-2", at("2026-12-09"), "NULL", "2"),
        response_sql("r0", "c-1", at("2026-11-25"), "0", "NULL"),
        format!(
            "INSERT INTO help_tickets (shop_id, ticket_id, customer_id, message, context, \
             created_at) VALUES ('demo', 't-1', 'c-1', 'Late', '{{}}', {}), \
             ('demo', 't-2', NULL, 'Broken', '{{}}', {}), \
             ('demo', 't-0', 'c-1', 'Old', '{{}}', {})",
            at("2026-12-03"),
            at("2026-12-09"),
            at("2026-11-03"),
        ),
        subscription_sql("s1", "active", "NULL", "NULL"),
        subscription_sql("s2", "active", "NULL", "NULL"),
        subscription_sql("s3", "paused", "NULL", "NULL"),
        subscription_sql(
            "s4",
            "cancelled",
            &at("2026-12-02").to_string(),
            "'too-much'",
        ),
        subscription_sql(
            "s5",
            "cancelled",
            &at("2026-12-03").to_string(),
            "'too-much'",
        ),
        subscription_sql("s6", "cancelled", &at("2026-12-04").to_string(), "NULL"),
        subscription_sql(
            "s7",
            "cancelled",
            &at("2026-11-04").to_string(),
            "'too-much'",
        ),
        format!(
            "INSERT INTO subscription_log (shop_id, subscription_id, action, at) VALUES \
             ('demo', 's1', 'skip', {}), ('demo', 's2', 'skip', {}), \
             ('demo', 's1', 'skip', {}), ('demo', 's3', 'pause', {})",
            at("2026-12-01"),
            at("2026-12-07"),
            at("2026-11-01"),
            at("2026-12-01"),
        ),
        format!(
            "INSERT INTO referral_visits (shop_id, advocate_id, day, visits) VALUES \
             ('demo', 'c-1', {}, 7), ('demo', 'c-1', {}, 5)",
            unix("2026-12-01T00:00:00Z"),
            unix("2026-11-01T00:00:00Z"),
        ),
    ] {
        app.execute(&sql).await;
    }

    // "Did this help": three yes and a no now, a yes before the period.
    for helpful in [true, true, false, true] {
        feedback(&app, helpful).await;
    }
    app.move_to("2026-11-29T23:59:00Z");
    feedback(&app, true).await;
    app.move_to("2026-12-09T12:00:00Z");

    let overview = get_ok(
        &app,
        &format!("/v1/shops/demo/admin/overview?from={from}&to={to}"),
    )
    .await;
    assert_eq!(overview["from"], from);
    assert_eq!(overview["to"], to);
    let orders = &overview["orders"];
    assert_eq!(orders["orders"], 4, "{orders}");
    assert_eq!(orders["customers"], 3);
    assert!((orders["repeat_rate"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(
        orders["median_days_between_orders"], 8.5,
        "median of 11 and 6"
    );
    assert_eq!(
        orders["weekly"],
        json!([
            { "start": "2026-11-30", "value": 2.0, "count": 2 },
            { "start": "2026-12-07", "value": 2.0, "count": 2 },
        ])
    );
    // 100 + 500 + 50 + 70 + 30 points for orders and 100 by hand; the refund and the
    // taking away are not issuing.
    assert_eq!(
        overview["points"],
        json!({
            "issued": 850,
            "redeemed": 300,
            "expired": 0,
            "outstanding": 300 + 70 + 110,
            "tiers": [{ "name": "leaf", "count": 2 }, { "name": "bud", "count": 1 }],
        })
    );
    assert_eq!(
        overview["referrals"],
        json!({ "visits": 7, "claims": 0, "first_orders": 0, "paid": 0 })
    );
    let surveys = &overview["surveys"];
    assert_eq!(surveys["responses"], 5, "{surveys}");
    assert!((surveys["nps"].as_f64().unwrap() - 100.0 / 3.0).abs() < 1e-9);
    assert_eq!(surveys["csat"], 0.5);
    assert_eq!(
        surveys["nps_weekly"],
        json!([
            { "start": "2026-11-30", "value": 0.0, "count": 2 },
            { "start": "2026-12-07", "value": 100.0, "count": 1 },
        ])
    );
    assert_eq!(
        surveys["csat_weekly"],
        json!([
            { "start": "2026-11-30", "value": 0.0, "count": 0 },
            { "start": "2026-12-07", "value": 0.5, "count": 2 },
        ])
    );
    assert_eq!(
        overview["subscriptions"],
        json!({
            "active": 2,
            "paused": 1,
            "skips": 2,
            "cancelled": 3,
            "cancel_reasons": [
                { "name": "too-much", "count": 2 },
                { "name": "unspecified", "count": 1 },
            ],
        })
    );
    assert_eq!(
        overview["help"],
        json!({ "solved": 3, "not_solved": 1, "tickets": 2, "deflection": 0.6 })
    );

    // The default period: the 30 days before now, in weeks from Monday 9 November.
    let default = get_ok(&app, "/v1/shops/demo/admin/overview").await;
    let now = app.state.clock.now();
    assert_eq!(default["from"], now - 30 * DAY);
    assert_eq!(default["to"], now);
    assert_eq!(default["orders"]["orders"], 5, "{}", default["orders"]);
    assert_eq!(default["orders"]["weekly"].as_array().unwrap().len(), 5);
    assert_eq!(default["orders"]["weekly"][0]["start"], "2026-11-09");
    assert_eq!(default["orders"]["weekly"][1]["count"], 1, "o-1");

    // A shop without the other features gets only its sections.
    let other = app
        .get("/v1/shops/other/admin/overview", Some(OTHER_API_KEY))
        .await;
    assert_eq!(other.status.as_u16(), 200, "{}", other.text);
    assert_eq!(other.body["orders"]["orders"], 0);
    assert_eq!(other.body["points"]["issued"], 0);
    for absent in ["referrals", "surveys", "subscriptions", "help"] {
        assert!(other.body.get(absent).is_none(), "{absent}: {}", other.text);
    }

    let too_long = format!("from={}&to={to}", to - 367 * DAY);
    for bad in [
        format!("from={to}&to={to}"),
        format!("from={to}&to={from}"),
        too_long,
    ] {
        app.get(
            &format!("/v1/shops/demo/admin/overview?{bad}"),
            Some(DEMO_API_KEY),
        )
        .await
        .assert_error(422, "validation_failed");
    }
    app.get(
        "/v1/shops/demo/admin/overview?from=soon",
        Some(DEMO_API_KEY),
    )
    .await
    .assert_error(400, "bad_request");
    app.get("/v1/shops/demo/admin/overview", None)
        .await
        .assert_error(401, "unauthorized");
}

pub async fn activity_lists_what_the_shop_knows_of_a_customer(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let now = app.state.clock.now();
    let product = json!([{
        "id": "sku-1",
        "title": { "en": "Oolong" },
        "price": 2_500,
        "url": "/products/sku-1",
        "in_stock": true,
        "updated_at": "2026-11-01T08:00:00Z",
    }]);
    let synced = app.signed_webhook("products", &product).await;
    assert_eq!(synced.status.as_u16(), 200, "{}", synced.text);
    profile(&app, "c-1", "ada@example.com", "Ada").await;
    paid_at(&app, "c-1", "o-1", 5_000, now - 9 * DAY, None).await;
    paid_at(&app, "c-1", "o-2", 8_000, now - 2 * DAY, None).await;
    paid_at(&app, "c-1", "o-3", 1_000, now - DAY, None).await;
    refund(&app, "c-1", "o-1", 5_000, 2_000).await;
    refund(&app, "c-1", "o-3", 1_000, 1_000).await;
    paid_at(&app, "c-2", "o-9", 9_000, now - DAY, None).await;
    for sql in [
        response_sql("r1", "c-1", now - 3 * DAY, "9", "NULL"),
        response_sql("r2", "c-2", now - 3 * DAY, "2", "NULL"),
        format!(
            "INSERT INTO help_tickets (shop_id, ticket_id, customer_id, order_id, message, \
             context, created_at) VALUES ('demo', 't-1', 'c-1', 'o-2', \
             'Where is my tea?\nIt is late.', '{{}}', {}), \
             ('demo', 't-9', 'c-9', NULL, 'Hello', '{{}}', {})",
            now - DAY,
            now - DAY
        ),
        format!(
            "INSERT INTO referral_advocates (shop_id, customer_id, code, created_at) \
             VALUES ('demo', 'c-1', 'K7M-2QX', {now})"
        ),
    ] {
        app.execute(&sql).await;
    }

    let activity = get_ok(&app, "/v1/shops/demo/admin/customers/c-1/activity").await;
    assert_eq!(activity["customer_id"], "c-1");
    assert_eq!(
        activity["profile"],
        json!({ "email": "ada@example.com", "name": "Ada" })
    );
    let orders = activity["orders"].as_array().unwrap();
    let summary: Vec<(&str, &str, i64)> = orders
        .iter()
        .map(|order| {
            (
                order["order_id"].as_str().unwrap(),
                order["status"].as_str().unwrap(),
                order["refunded"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("o-3", "refunded", 1_000),
            ("o-2", "paid", 0),
            ("o-1", "partially_refunded", 2_000),
        ]
    );
    assert_eq!(orders[1]["placed_at"], now - 2 * DAY);
    assert_eq!(orders[1]["total"], 8_000);
    assert_eq!(orders[1]["currency"], "CNY");
    assert_eq!(
        orders[1]["lines"],
        json!([{ "product_id": "sku-1", "title": "Oolong", "quantity": 2 }])
    );
    assert_eq!(activity["subscriptions"], json!([]));
    assert_eq!(
        activity["referrals"],
        json!({ "code": "K7M-2QX", "referred": 0, "paid": 0 })
    );
    assert_eq!(
        activity["survey_answers"],
        json!([{
            "survey_id": "thank-you",
            "submitted_at": now - 3 * DAY,
            "nps": 9,
            "answers": { "nps": 7 },
        }])
    );
    assert_eq!(
        activity["tickets"],
        json!([{
            "id": "t-1",
            "subject": "Where is my tea?",
            "order_id": "o-2",
            "created_at": now - DAY,
        }])
    );

    // Known only by a ticket: an activity of that alone.
    let ticket_only = get_ok(&app, "/v1/shops/demo/admin/customers/c-9/activity").await;
    assert_eq!(ticket_only["orders"], json!([]));
    assert!(ticket_only.get("profile").is_none());
    assert_eq!(ticket_only["tickets"][0]["id"], "t-9");
    assert_eq!(
        ticket_only["referrals"],
        json!({ "referred": 0, "paid": 0 })
    );

    app.get(
        "/v1/shops/demo/admin/customers/nobody/activity",
        Some(DEMO_API_KEY),
    )
    .await
    .assert_error(404, "not_found");
    let other = app
        .get(
            "/v1/shops/other/admin/customers/c-1/activity",
            Some(OTHER_API_KEY),
        )
        .await;
    other.assert_error(404, "not_found");
    app.get("/v1/shops/demo/admin/customers/c-1/activity", None)
        .await
        .assert_error(401, "unauthorized");
}

/// Pays `count` orders of `each`, the latest `last_days_ago` days ago, one every
/// `every` days before it.
async fn history(
    app: &TestApp,
    customer: &str,
    count: i64,
    each: i64,
    last_days_ago: i64,
    every: i64,
) {
    let now = app.state.clock.now();
    for n in 0..count {
        let placed = now - (last_days_ago + n * every) * DAY;
        paid_at(
            app,
            customer,
            &format!("{customer}-o{n}"),
            each,
            placed,
            None,
        )
        .await;
    }
}

/// A download: the answer, with its body as bytes (the shared helper keeps text).
async fn download(app: &TestApp, uri: &str) -> (TestResponse, Vec<u8>) {
    let request = Request::get(uri)
        .header("authorization", format!("Bearer {DEMO_API_KEY}"))
        .body(Body::empty())
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let answer = TestResponse {
        status,
        headers,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        text: String::from_utf8_lossy(&bytes).into_owned(),
    };
    (answer, bytes.to_vec())
}

pub async fn segments_sort_customers_and_export_them(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    // Hand-checked in `comeback_core::rfm`'s terms: recency, frequency, money.
    history(&app, "champ-a", 6, 10_000, 1, 30).await; // 5 5 5
    history(&app, "champ-b", 5, 10_000, 2, 30).await; // 4 4 4
    history(&app, "risky", 4, 10_000, 200, 30).await; // 2 3 3
    history(&app, "gone", 1, 1_000, 400, 30).await; // 1 1 1
    history(&app, "newbie", 1, 2_000, 10, 30).await; // 3 1 2, one order 10 days ago
    history(&app, "regular", 3, 3_000, 25, 30).await; // 3 3 3, due in 5 days
    profile(&app, "champ-a", "a@tea.example", "=HYPERLINK(\"http://x\")").await;
    let catalogue = json!([{
        "id": "sku-1",
        "title": { "en": "Oolong" },
        "price": 2_500,
        "url": "/products/sku-1",
        "in_stock": true,
        "updated_at": "2026-11-01T08:00:00Z",
    }]);
    let synced = app.signed_webhook("products", &catalogue).await;
    assert_eq!(synced.status.as_u16(), 200, "{}", synced.text);

    let sizes = get_ok(&app, "/v1/shops/demo/admin/segments").await;
    assert_eq!(
        sizes,
        json!({
            "segments": [
                { "name": "champions", "count": 2 },
                { "name": "at-risk", "count": 1 },
                { "name": "lost", "count": 1 },
                { "name": "new", "count": 1 },
                { "name": "due-to-buy-again", "count": 1 },
            ],
            "due_within_days": 14,
        })
    );
    // Looking 4 days ahead, `regular` is not due yet.
    let narrow = get_ok(&app, "/v1/shops/demo/admin/segments?days=4").await;
    assert_eq!(narrow["segments"][4]["count"], 0);
    assert_eq!(narrow["due_within_days"], 4);

    let members = |page: &Value| -> Vec<String> {
        page["customers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|member| member["customer_id"].as_str().unwrap().to_owned())
            .collect()
    };
    let champions = get_ok(&app, "/v1/shops/demo/admin/segments/champions").await;
    assert_eq!(champions["segment"], "champions");
    assert_eq!(members(&champions), ["champ-a", "champ-b"]);
    let first = &champions["customers"][0];
    assert_eq!(first["orders"], 6);
    assert_eq!(first["spent"], 60_000);
    assert_eq!(first["email"], "a@tea.example");
    assert_eq!(first["days_since_last_order"], 1);
    assert!(first.get("due_on").is_none());
    // The shop runs recommendations: for you, nothing but what they already buy.
    assert_eq!(first["recommended"], json!([]));
    let limited = get_ok(&app, "/v1/shops/demo/admin/segments/champions?limit=1").await;
    assert_eq!(members(&limited), ["champ-a"]);
    for (segment, expected) in [("at-risk", "risky"), ("lost", "gone"), ("new", "newbie")] {
        let page = get_ok(&app, &format!("/v1/shops/demo/admin/segments/{segment}")).await;
        assert_eq!(members(&page), [expected], "{segment}");
    }
    let due = get_ok(&app, "/v1/shops/demo/admin/segments/due-to-buy-again").await;
    assert_eq!(members(&due), ["regular"]);
    assert_eq!(due["customers"][0]["due_on"], "2026-12-14");
    assert_eq!(due["customers"][0]["days_since_last_order"], 25);
    assert_eq!(
        due["customers"][0]["recommended"],
        json!(["sku-1"]),
        "buy again what they buy"
    );
    assert_eq!(due["customers"][0]["recommended_titles"], json!(["Oolong"]));

    let (csv_response, bytes) = download(
        &app,
        "/v1/shops/demo/admin/segments/champions/export?format=csv",
    )
    .await;
    assert_eq!(csv_response.status.as_u16(), 200, "{}", csv_response.text);
    assert_eq!(
        csv_response.header("content-disposition"),
        Some("attachment; filename=\"demo-champions-2026-12-09.csv\"")
    );
    assert!(csv_response
        .header("content-type")
        .unwrap()
        .starts_with("text/csv"));
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "customer_id",
            "email",
            "name",
            "orders",
            "spent",
            "currency",
            "last_order_at",
            "days_since_last_order",
            "due_on",
            "recommended_1",
            "recommended_2",
            "recommended_3",
            "recommended_1_title",
            "recommended_2_title",
            "recommended_3_title",
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|row| row.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0],
        [
            "champ-a",
            "a@tea.example",
            "'=HYPERLINK(\"http://x\")",
            "6",
            "60000",
            "CNY",
            "2026-12-08",
            "1",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    );
    assert_eq!(rows[1][0], "champ-b");

    let (xlsx_response, bytes) = download(
        &app,
        "/v1/shops/demo/admin/segments/due-to-buy-again/export?format=xlsx&days=14",
    )
    .await;
    assert_eq!(xlsx_response.status.as_u16(), 200);
    assert_eq!(
        xlsx_response.header("content-disposition"),
        Some("attachment; filename=\"demo-due-to-buy-again-2026-12-09.xlsx\"")
    );
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheet = workbook.worksheet_range("due-to-buy-again").unwrap();
    assert_eq!(sheet.get((0, 0)), Some(&Data::String("customer_id".into())));
    assert_eq!(sheet.get((1, 0)), Some(&Data::String("regular".into())));
    assert_eq!(sheet.get((1, 3)), Some(&Data::Float(3.0)));
    assert_eq!(sheet.get((1, 8)), Some(&Data::String("2026-12-14".into())));
    assert_eq!(sheet.get((1, 9)), Some(&Data::String("sku-1".into())));
    assert_eq!(sheet.get((1, 12)), Some(&Data::String("Oolong".into())));
    assert_eq!(sheet.height(), 2);

    app.get("/v1/shops/demo/admin/segments/vip", Some(DEMO_API_KEY))
        .await
        .assert_error(404, "not_found");
    for bad in [
        "segments?days=0",
        "segments/new?limit=1001",
        "segments/new/export?format=pdf",
        "segments/new/export?days=400",
    ] {
        app.get(&format!("/v1/shops/demo/admin/{bad}"), Some(DEMO_API_KEY))
            .await
            .assert_error(422, "validation_failed");
    }
    app.get("/v1/shops/demo/admin/segments/new/export", None)
        .await
        .assert_error(401, "unauthorized");
}

pub async fn subscriptions_show_in_the_activity_and_skips_count(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let product = json!([{
        "id": "sencha",
        "title": { "en": "Sencha" },
        "price": 4_000,
        "url": "/products/sencha",
        "in_stock": true,
        "categories": ["tea"],
        "updated_at": "2026-11-01T08:00:00Z",
    }]);
    let synced = app.signed_webhook("products", &product).await;
    assert_eq!(synced.status.as_u16(), 200, "{}", synced.text);
    let paid = app
        .webhook(&json!({
            "id": "o-1",
            "customer_id": "c-1",
            "status": "paid",
            "currency": "CNY",
            "total": 4_000,
            "lines": [{
                "product_id": "sencha",
                "quantity": 1,
                "unit_price": 4_000,
                "subscription": { "plan_id": "tea-club", "interval": "P4W" },
            }],
        }))
        .await;
    assert_eq!(paid.status.as_u16(), 200, "{}", paid.text);
    let activity = get_ok(&app, "/v1/shops/demo/admin/customers/c-1/activity").await;
    let subscriptions = activity["subscriptions"].as_array().unwrap();
    assert_eq!(subscriptions.len(), 1, "{activity}");
    assert_eq!(subscriptions[0]["product_id"], "sencha");
    assert_eq!(subscriptions[0]["title"], "Sencha");
    assert_eq!(subscriptions[0]["status"], "active");

    let id = subscriptions[0]["id"].as_str().unwrap();
    for key in ["k-1", "k-1"] {
        let skipped = app
            .send(
                Request::post(format!("/v1/shops/demo/subscriptions/{id}/skip"))
                    .header("authorization", format!("Bearer {}", app.token("c-1")))
                    .header("idempotency-key", key)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(skipped.status.as_u16(), 200, "{}", skipped.text);
    }
    // The default period ends now, excluded: look a minute later.
    app.state.clock.advance(60);
    let overview = get_ok(&app, "/v1/shops/demo/admin/overview").await;
    assert_eq!(
        overview["subscriptions"],
        json!({
            "active": 1,
            "paused": 0,
            "skips": 1,
            "cancelled": 0,
            "cancel_reasons": [],
        }),
        "a replayed skip is not a second one"
    );
}
