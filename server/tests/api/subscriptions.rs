//! Subscribe and save: paid order lines start subscriptions once, the offer lists the
//! plans covering a product, the shopper's changes are idempotent and theirs alone, the
//! renewal job asks for each delivery once by the shop's calendar (month ends, time
//! zone), renewal orders advance the schedule and earn points, cancelling keeps to the
//! plan's minimum and reports a pending delivery, pauses end by themselves, and the
//! admin lists and the demo.

use axum::body::Body;
use axum::http::Request;
use comeback_server::auth::mint_token;
use comeback_server::config::Settings;
use comeback_server::features::subscriptions::renewals::{run_once, RenewalsRun};
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp, TestResponse, DEMO_API_KEY, DEMO_KEYS};

/// The `demo` shop with loyalty, webhooks and two plans in Shanghai's time zone, and a
/// `plain` shop without subscriptions.
fn config() -> String {
    format!(
        r#"
[shops.demo]
name = "Cloud & Leaf Tea"
{DEMO_KEYS}currency = "CNY"
rate_limit_per_minute = 100000

[shops.demo.loyalty]
points_per_unit = 1
code_prefix = "TEA"

[shops.demo.webhooks]
url = "http://127.0.0.1:9/hooks"

[shops.demo.subscriptions]
time_zone = "Asia/Shanghai"
save_offer = "skip"

[[shops.demo.subscriptions.plans]]
id = "tea-club"
categories = ["tea"]
discount_percent = 10
free_shipping = true
intervals = ["P2W", "P4W", "P1M"]
name = {{ en = "Subscribe & save 10%", "zh-Hans" = "订阅立省 10%" }}

[[shops.demo.subscriptions.plans]]
id = "descaler-club"
products = ["descaler"]
discount_amount = 500
intervals = ["P3M"]
min_deliveries = 3
name = {{ en = "Descaler club" }}

[[shops.demo.subscriptions.cancel_reasons]]
id = "too-much"
label = {{ en = "Too much tea", "zh-Hans" = "茶太多了" }}

[[shops.demo.subscriptions.cancel_reasons]]
id = "too-expensive"
label = {{ en = "Too expensive" }}

[shops.plain]
name = "Plain"
token_secrets = ["test-token-secret-plain-0123456789abcdef"]
webhook_secrets = ["test-webhook-secret-plain-0123456789abcdef"]
api_keys = ["test-api-key-plain-0123456789abcdef012345"]
currency = "CNY"
"#
    )
}

/// The app with a frozen clock at `at` and the catalogue synced.
async fn app(backend: Backend, at: &str) -> Option<TestApp> {
    let app = TestApp::spawn_with(backend, &config(), Settings::default()).await?;
    app.state.clock.freeze();
    app.move_to(at);
    catalogue(&app, 4_800, "2026-12-01T00:00:00Z").await;
    Some(app)
}

/// Syncs the catalogue: a tea (`longjing` at `price`), teaware and a descaler.
async fn catalogue(app: &TestApp, price: i64, updated_at: &str) {
    let products = json!([
        { "id": "longjing", "title": { "en": "West Lake Longjing", "zh-Hans": "西湖龙井" },
          "price": price, "url": "/p/longjing", "image": "https://cdn.example/longjing.jpg",
          "in_stock": true, "categories": ["tea"], "updated_at": updated_at },
        { "id": "gaiwan", "title": { "en": "Gaiwan" }, "price": 14_000, "url": "/p/gaiwan",
          "in_stock": true, "categories": ["teaware"], "updated_at": updated_at },
        { "id": "descaler", "title": { "en": "Kettle descaler" }, "price": 2_000,
          "url": "/p/descaler", "in_stock": true, "updated_at": updated_at },
    ]);
    let response = app.signed_webhook("products", &products).await;
    assert_eq!(response.status, 200, "{}", response.text);
}

fn line(product: &str, quantity: i64, unit_price: i64, subscription: Value) -> Value {
    let mut line = json!({ "product_id": product, "quantity": quantity, "unit_price": unit_price });
    if !subscription.is_null() {
        line["subscription"] = subscription;
    }
    line
}

fn start(plan: &str, interval: &str) -> Value {
    json!({ "plan_id": plan, "interval": interval })
}

fn renew(subscription_id: &str) -> Value {
    json!({ "plan_id": "tea-club", "interval": "P1M", "subscription_id": subscription_id })
}

/// Sends the paid order `id` of `customer` with these lines.
async fn pay(app: &TestApp, customer: &str, id: &str, lines: Value) -> TestResponse {
    let total: i64 = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line["quantity"].as_i64().unwrap() * line["unit_price"].as_i64().unwrap())
        .sum();
    app.webhook(&json!({
        "id": id, "customer_id": customer, "status": "paid", "currency": "CNY",
        "total": total, "lines": lines,
    }))
    .await
}

/// Pays an order of one `longjing` on `interval` and answers the new subscription.
async fn subscribe(app: &TestApp, customer: &str, order: &str, interval: &str) -> Value {
    let response = pay(
        app,
        customer,
        order,
        json!([line("longjing", 1, 4_320, start("tea-club", interval))]),
    )
    .await;
    assert_eq!(response.status, 200, "{}", response.text);
    let listed = list(app, customer, "en").await;
    listed["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|subscription| subscription["status"] != "cancelled")
        .cloned()
        .unwrap()
}

/// The shopper's list.
async fn list(app: &TestApp, customer: &str, locale: &str) -> Value {
    let response = app
        .get(
            &format!("/v1/shops/demo/subscriptions?locale={locale}"),
            Some(&app.token(customer)),
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.text);
    response.body
}

/// The subscription `id` as the shopper's list shows it.
async fn shown(app: &TestApp, customer: &str, id: &str) -> Value {
    list(app, customer, "en").await["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|subscription| subscription["id"] == id)
        .cloned()
        .unwrap()
}

/// `POST …/subscriptions/{id}/{action}` with an idempotency key and an optional body.
async fn act(
    app: &TestApp,
    customer: &str,
    id: &str,
    action: &str,
    key: &str,
    body: Option<Value>,
) -> TestResponse {
    let mut request = Request::post(format!("/v1/shops/demo/subscriptions/{id}/{action}"))
        .header("authorization", format!("Bearer {}", app.token(customer)))
        .header("idempotency-key", key);
    if body.is_some() {
        request = request.header("content-type", "application/json");
    }
    let body = body.map_or_else(Body::empty, |body| Body::from(body.to_string()));
    app.send(request.body(body).unwrap()).await
}

/// `PATCH …/subscriptions/{id}`.
async fn patch(app: &TestApp, customer: &str, id: &str, key: &str, body: Value) -> TestResponse {
    let request = Request::patch(format!("/v1/shops/demo/subscriptions/{id}"))
        .header("authorization", format!("Bearer {}", app.token(customer)))
        .header("idempotency-key", key)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(request).await
}

/// The `data` of the demo shop's outbox events of one type, oldest first.
async fn events(app: &TestApp, kind: &str) -> Vec<Value> {
    app.outbox_of(kind)
        .await
        .iter()
        .map(|row| serde_json::from_str(&row.event.payload).unwrap())
        .collect()
}

async fn renewals(app: &TestApp) -> RenewalsRun {
    let (run, failures) = run_once(&app.state).await.unwrap();
    assert_eq!(failures, 0);
    run
}

fn ok(response: &TestResponse) -> &Value {
    assert_eq!(response.status, 200, "{}", response.text);
    &response.body
}

pub async fn subscriptions_start_once_from_paid_order_lines(backend: Backend) {
    // 18:00 UTC on January 31 is already February 1 in Shanghai.
    let Some(app) = app(backend, "2027-01-31T18:00:00Z").await else {
        return;
    };
    let order = json!([
        line("gaiwan", 1, 14_000, Value::Null),
        line("longjing", 2, 4_320, start("tea-club", "P1M")),
    ]);
    let paid = pay(&app, "c-1", "o-1", order.clone()).await;
    assert_eq!(paid.status, 200, "{}", paid.text);
    let listed = list(&app, "c-1", "en").await;
    assert_eq!(listed["currency"], "CNY");
    assert_eq!(listed["save_offer"], "skip");
    assert_eq!(
        listed["cancel_reasons"],
        json!([{ "id": "too-much", "label": "Too much tea" },
               { "id": "too-expensive", "label": "Too expensive" }])
    );
    let subscriptions = listed["subscriptions"].as_array().unwrap();
    assert_eq!(subscriptions.len(), 1, "{listed}");
    let subscription = &subscriptions[0];
    let id = subscription["id"].as_str().unwrap();
    assert_eq!(subscription["product_id"], "longjing");
    assert_eq!(subscription["title"], "West Lake Longjing");
    assert_eq!(subscription["url"], "/p/longjing");
    assert_eq!(subscription["plan_id"], "tea-club");
    assert_eq!(subscription["plan_name"], "Subscribe & save 10%");
    assert_eq!(subscription["quantity"], 2);
    assert_eq!(subscription["interval"], "P1M");
    assert_eq!(subscription["intervals"], json!(["P2W", "P4W", "P1M"]));
    assert_eq!(subscription["status"], "active");
    assert_eq!(subscription["started_on"], "2027-02-01");
    assert_eq!(subscription["next_delivery"], "2027-03-01");
    assert_eq!(subscription["deliveries"], 1);
    assert_eq!(subscription["renewal_pending"], false);
    assert_eq!(subscription["free_shipping"], true);
    assert_eq!(
        subscription["price"],
        json!({ "regular": 4_800, "price": 4_320, "saving": 480 })
    );

    // The same webhook again: recognised, nothing started twice.
    let again = pay(&app, "c-1", "o-1", order).await;
    assert_eq!(again.body["duplicate"], true, "{}", again.text);
    assert_eq!(
        list(&app, "c-1", "en").await["subscriptions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let created = events(&app, "subscription.created").await;
    assert_eq!(created.len(), 1);
    assert_eq!(
        created[0],
        json!({
            "subscription_id": id, "customer_id": "c-1", "product_id": "longjing",
            "plan_id": "tea-club", "quantity": 2, "interval": "P1M",
            "started_on": "2027-02-01", "next_delivery": "2027-03-01", "order_id": "o-1",
        })
    );
    // The stored order reads back with its lines' subscriptions.
    let stored = app.state.store.order("demo", "o-1").await.unwrap().unwrap();
    let bought = stored.lines[1].subscription.clone().unwrap();
    assert_eq!(
        (bought.plan_id.as_str(), bought.interval.as_str()),
        ("tea-club", "P1M")
    );
    assert_eq!(bought.subscription_id, None);

    // Lines the plans cannot take refuse the order, naming the line; nothing is kept.
    let balance = app.me("c-2").await.body["balance"].clone();
    for (lines, named) in [
        (
            json!([line("longjing", 1, 4_320, start("tea-klub", "P1M"))]),
            "`lines[0].subscription.plan_id` names no plan",
        ),
        (
            json!([
                line("gaiwan", 1, 1, Value::Null),
                line("longjing", 1, 4_320, start("tea-club", "P8W"))
            ]),
            "`lines[1].subscription.interval` must be one plan `tea-club` offers (P2W, P4W, P1M)",
        ),
        (
            json!([line("gaiwan", 1, 14_000, start("tea-club", "P2W"))]),
            "plan `tea-club` does not cover product `gaiwan`",
        ),
        (
            json!([line("mystery-tea", 1, 100, start("tea-club", "P2W"))]),
            "plan `tea-club` does not cover product `mystery-tea`",
        ),
        (
            json!([line("longjing", 1, 4_320, renew(id))]),
            "names no subscription of customer `c-2`",
        ),
    ] {
        let refused = pay(&app, "c-2", "o-bad", lines.clone()).await;
        refused.assert_error(422, "validation_failed");
        let message = refused.body["error"]["message"].as_str().unwrap();
        assert!(message.contains(named), "{lines}: {message}");
    }
    assert_eq!(app.state.store.order("demo", "o-bad").await.unwrap(), None);
    assert_eq!(app.me("c-2").await.body["balance"], balance);
    assert_eq!(list(&app, "c-2", "en").await["subscriptions"], json!([]));

    // A plan that names its products covers them without the catalogue's categories.
    let descaler = pay(
        &app,
        "c-2",
        "o-2",
        json!([line("descaler", 1, 1_500, start("descaler-club", "P3M"))]),
    )
    .await;
    assert_eq!(descaler.status, 200, "{}", descaler.text);
    let theirs = list(&app, "c-2", "en").await;
    assert_eq!(theirs["subscriptions"][0]["next_delivery"], "2027-05-01");
    assert_eq!(
        theirs["subscriptions"][0]["price"],
        json!({ "regular": 2_000, "price": 1_500, "saving": 500 })
    );
    assert_eq!(theirs["subscriptions"][0]["min_deliveries"], 3);

    // Without a token, or for a shop without subscriptions: no list.
    app.get("/v1/shops/demo/subscriptions", None)
        .await
        .assert_error(401, "unauthorized");
    let plain = mint_token(
        "test-token-secret-plain-0123456789abcdef",
        "c-1",
        None,
        app.state.clock.now(),
        600,
    )
    .unwrap();
    app.get("/v1/shops/plain/subscriptions", Some(&plain))
        .await
        .assert_error(404, "not_found");
}

pub async fn subscriptions_offer_the_plans_covering_a_product(backend: Backend) {
    let Some(app) = app(backend, "2027-03-01T08:00:00Z").await else {
        return;
    };
    let offer = app
        .get("/v1/shops/demo/subscriptions/offer?product=longjing", None)
        .await;
    assert_eq!(
        ok(&offer),
        &json!({
            "product_id": "longjing", "currency": "CNY", "unit_price": 4_800,
            "plans": [{
                "id": "tea-club", "name": "Subscribe & save 10%",
                "discount": { "kind": "percent", "percent": 10 },
                "free_shipping": true, "intervals": ["P2W", "P4W", "P1M"],
            }],
        })
    );
    let chinese = app
        .get(
            "/v1/shops/demo/subscriptions/offer?product=longjing&locale=zh-CN",
            None,
        )
        .await;
    assert_eq!(ok(&chinese)["plans"][0]["name"], "订阅立省 10%");
    let descaler = app
        .get("/v1/shops/demo/subscriptions/offer?product=descaler", None)
        .await;
    let plan = &ok(&descaler)["plans"][0];
    assert_eq!(plan["id"], "descaler-club");
    assert_eq!(plan["discount"], json!({ "kind": "amount", "amount": 500 }));
    assert_eq!(plan["min_deliveries"], 3);
    // Teaware no plan covers: an offer of nothing.
    let gaiwan = app
        .get("/v1/shops/demo/subscriptions/offer?product=gaiwan", None)
        .await;
    assert_eq!(ok(&gaiwan)["plans"], json!([]));
    assert_eq!(gaiwan.body["unit_price"], 14_000);
    app.get("/v1/shops/demo/subscriptions/offer?product=nothing", None)
        .await
        .assert_error(404, "not_found");
    app.get("/v1/shops/demo/subscriptions/offer", None)
        .await
        .assert_error(422, "validation_failed");
    app.get("/v1/shops/plain/subscriptions/offer?product=longjing", None)
        .await
        .assert_error(404, "not_found");
}

pub async fn subscriptions_change_idempotently_for_their_owner_only(backend: Backend) {
    // Early on March 10 in Shanghai.
    let Some(app) = app(backend, "2027-03-09T20:00:00Z").await else {
        return;
    };
    let subscription = subscribe(&app, "c-1", "o-1", "P2W").await;
    let id = subscription["id"].as_str().unwrap();
    assert_eq!(subscription["next_delivery"], "2027-03-24");

    let skipped = act(&app, "c-1", id, "skip", "k-skip", None).await;
    assert_eq!(ok(&skipped)["next_delivery"], "2027-04-07");
    assert_eq!(skipped.header("idempotency-replayed"), None);
    // The same key again: the first answer, marked, and no second skip.
    let replay = act(&app, "c-1", id, "skip", "k-skip", None).await;
    assert_eq!(replay.header("idempotency-replayed"), Some("true"));
    assert_eq!(replay.body, skipped.body);
    assert_eq!(shown(&app, "c-1", id).await["next_delivery"], "2027-04-07");
    // The key for another change, no key, another customer, an unknown id.
    act(&app, "c-1", id, "resume", "k-skip", None)
        .await
        .assert_error(422, "idempotency_key_reused");
    let request = Request::post(format!("/v1/shops/demo/subscriptions/{id}/skip"))
        .header("authorization", format!("Bearer {}", app.token("c-1")))
        .body(Body::empty())
        .unwrap();
    app.send(request)
        .await
        .assert_error(400, "idempotency_key_required");
    act(&app, "c-2", id, "skip", "k-other", None)
        .await
        .assert_error(404, "not_found");
    act(
        &app,
        "c-1",
        "0190f0f0-0000-7000-8000-000000000000",
        "skip",
        "k-x",
        None,
    )
    .await
    .assert_error(404, "not_found");

    // Pause: the first delivery on or after the day it ends; bad days are named.
    for (until, named) in [
        (json!("2027-03-10"), "must end after today"),
        (json!("2028-04-01"), "at most 365 days"),
        (json!("soon"), "`until` must be a date"),
        (json!(null), "`until` is required"),
    ] {
        let refused = act(
            &app,
            "c-1",
            id,
            "pause",
            "k-bad",
            Some(json!({ "until": until })),
        )
        .await;
        refused.assert_error(422, "validation_failed");
        assert!(refused.text.contains(named), "{until}: {}", refused.text);
    }
    let paused = act(
        &app,
        "c-1",
        id,
        "pause",
        "k-pause",
        Some(json!({ "until": "2027-05-01" })),
    )
    .await;
    let body = ok(&paused);
    assert_eq!(
        (
            &body["status"],
            &body["paused_until"],
            &body["next_delivery"]
        ),
        (&json!("paused"), &json!("2027-05-01"), &json!("2027-05-05"))
    );
    // Resuming early brings back the first delivery of the rhythm still ahead.
    let resumed = act(&app, "c-1", id, "resume", "k-resume", None).await;
    let body = ok(&resumed);
    assert_eq!(
        (&body["status"], &body["next_delivery"]),
        (&json!("active"), &json!("2027-03-24"))
    );
    assert!(body.get("paused_until").is_none(), "{body}");

    // Interval (one of the plan's; the next date stays) and quantity.
    let changed = patch(&app, "c-1", id, "k-every", json!({ "interval": "P4W" })).await;
    assert_eq!(
        (&ok(&changed)["interval"], &changed.body["next_delivery"]),
        (&json!("P4W"), &json!("2027-03-24"))
    );
    for (body, named) in [
        (
            json!({ "interval": "P3M" }),
            "one the plan offers (P2W, P4W, P1M)",
        ),
        (json!({ "interval": "2w" }), "ISO 8601 duration"),
        (json!({ "quantity": 0 }), "`quantity`"),
        (json!({}), "give `interval`"),
    ] {
        let refused = patch(&app, "c-1", id, "k-bad-change", body.clone()).await;
        refused.assert_error(422, "validation_failed");
        assert!(refused.text.contains(named), "{body}: {}", refused.text);
    }
    let more = patch(&app, "c-1", id, "k-three", json!({ "quantity": 3 })).await;
    assert_eq!(ok(&more)["quantity"], 3);

    // Deliver now: the shop is asked for today's delivery at once; the rhythm goes on
    // from today.
    let now = act(&app, "c-1", id, "deliver-now", "k-now", None).await;
    let body = ok(&now);
    assert_eq!(
        (&body["renewal_pending"], &body["next_delivery"]),
        (&json!(true), &json!("2027-04-07"))
    );
    let due = events(&app, "subscription.renewal_due").await;
    assert_eq!(
        due,
        [json!({
            "subscription_id": id, "customer_id": "c-1", "product_id": "longjing",
            "quantity": 3, "plan_id": "tea-club", "interval": "P4W",
            "delivery_date": "2027-03-10", "currency": "CNY",
            "unit_price": { "regular": 4_800, "price": 4_320, "saving": 480 },
            "line_total": { "regular": 14_400, "price": 12_960, "saving": 1_440 },
            "free_shipping": true, "next_delivery": "2027-04-07",
        })]
    );
    let twice = act(&app, "c-1", id, "deliver-now", "k-now-2", None).await;
    twice.assert_error(422, "validation_failed");
    assert!(
        twice.text.contains("already being prepared"),
        "{}",
        twice.text
    );

    // Resuming a running subscription changes nothing; the answer is in the locale.
    let chinese = Request::post(format!(
        "/v1/shops/demo/subscriptions/{id}/resume?locale=zh-Hans"
    ))
    .header("authorization", format!("Bearer {}", app.token("c-1")))
    .header("idempotency-key", "k-zh")
    .body(Body::empty())
    .unwrap();
    let chinese = app.send(chinese).await;
    assert_eq!(
        (&ok(&chinese)["plan_name"], &chinese.body["title"]),
        (&json!("订阅立省 10%"), &json!("西湖龙井"))
    );
    let actions: Vec<Value> = events(&app, "subscription.changed")
        .await
        .iter()
        .map(|event| event["action"].clone())
        .collect();
    assert_eq!(
        actions,
        [
            json!("skip"),
            json!("pause"),
            json!("resume"),
            json!("change"),
            json!("change"),
            json!("deliver-now")
        ]
    );
    // A replay long after still answers the first answer.
    let late = act(&app, "c-1", id, "skip", "k-skip", None).await;
    assert_eq!(late.body, skipped.body);
}

pub async fn subscriptions_renew_once_per_delivery_across_month_ends(backend: Backend) {
    // 00:30 on January 31 in Shanghai (still the 30th in UTC).
    let Some(app) = app(backend, "2027-01-30T16:30:00Z").await else {
        return;
    };
    let subscription = subscribe(&app, "c-1", "o-1", "P1M").await;
    let id = subscription["id"].as_str().unwrap().to_owned();
    assert_eq!(subscription["started_on"], "2027-01-31");
    assert_eq!(subscription["next_delivery"], "2027-02-28");
    assert!(comeback_server::features::jobs()
        .iter()
        .any(|job| job.name() == "subscription_renewals"));
    // The tea costs more now: renewals are priced on the catalogue of now.
    catalogue(&app, 5_000, "2027-02-01T00:00:00Z").await;

    // 23:59 on February 27 in Shanghai: not yet.
    app.move_to("2027-02-27T15:59:00Z");
    assert_eq!(renewals(&app).await, RenewalsRun::default());
    // 00:01 on February 28: asked once, however many runs.
    app.move_to("2027-02-27T16:01:00Z");
    let (first, second) = tokio::join!(run_once(&app.state), run_once(&app.state));
    let asked = first.unwrap().0.renewals + second.unwrap().0.renewals;
    assert_eq!(asked, 1);
    assert_eq!(renewals(&app).await, RenewalsRun::default());
    let due = events(&app, "subscription.renewal_due").await;
    assert_eq!(due.len(), 1);
    assert_eq!(due[0]["delivery_date"], "2027-02-28");
    assert_eq!(due[0]["next_delivery"], "2027-03-31");
    assert_eq!(
        due[0]["unit_price"],
        json!({ "regular": 5_000, "price": 4_500, "saving": 500 })
    );
    let pending = shown(&app, "c-1", &id).await;
    assert_eq!(
        (&pending["renewal_pending"], &pending["next_delivery"]),
        (&json!(true), &json!("2027-03-31"))
    );
    // Days pass without the shop's renewal order: nothing is asked again.
    app.move_to("2027-03-05T04:00:00Z");
    assert_eq!(renewals(&app).await, RenewalsRun::default());

    // The renewal order names the subscription: it earns points like any order and
    // moves the schedule on.
    let plain = pay(
        &app,
        "c-9",
        "plain-1",
        json!([line("longjing", 1, 4_500, Value::Null)]),
    )
    .await;
    let points = ok(&plain)["points"].as_i64().unwrap();
    assert!(points > 0);
    let renewal_order = json!([line("longjing", 1, 4_500, renew(&id))]);
    let renewal = pay(&app, "c-1", "renewal-1", renewal_order.clone()).await;
    assert_eq!(ok(&renewal)["points"].as_i64(), Some(points));
    let renewed = shown(&app, "c-1", &id).await;
    assert_eq!(
        (
            &renewed["deliveries"],
            &renewed["renewal_pending"],
            &renewed["next_delivery"]
        ),
        (&json!(2), &json!(false), &json!("2027-03-31"))
    );
    let changed = events(&app, "subscription.changed").await;
    assert_eq!(changed.len(), 1);
    assert_eq!(
        (&changed[0]["action"], &changed[0]["deliveries"]),
        (&json!("renewal"), &json!(2))
    );
    let stored = app
        .state
        .store
        .order("demo", "renewal-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.lines[0]
            .subscription
            .as_ref()
            .unwrap()
            .subscription_id
            .as_deref(),
        Some(id.as_str())
    );
    // The same renewal webhook again changes nothing.
    let again = pay(&app, "c-1", "renewal-1", renewal_order).await;
    assert_eq!(again.body["duplicate"], true);
    assert_eq!(shown(&app, "c-1", &id).await["deliveries"], 2);

    // March 31, then April 30: the anchor day, as the month allows.
    app.move_to("2027-03-30T16:01:00Z");
    assert_eq!(renewals(&app).await.renewals, 1);
    let due = events(&app, "subscription.renewal_due").await;
    assert_eq!(
        (&due[1]["delivery_date"], &due[1]["next_delivery"]),
        (&json!("2027-03-31"), &json!("2027-04-30"))
    );
}

pub async fn subscriptions_cancel_after_the_minimum_and_report_a_pending_delivery(
    backend: Backend,
) {
    let Some(app) = app(backend, "2027-03-09T20:00:00Z").await else {
        return;
    };
    let descaler = pay(
        &app,
        "c-1",
        "o-descaler",
        json!([line("descaler", 1, 1_500, start("descaler-club", "P3M"))]),
    )
    .await;
    assert_eq!(descaler.status, 200, "{}", descaler.text);
    let descaler_id = list(&app, "c-1", "en").await["subscriptions"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let early = act(&app, "c-1", &descaler_id, "cancel", "k-early", None).await;
    early.assert_error(409, "minimum_deliveries");
    assert!(
        early
            .text
            .contains("3 deliveries before cancelling; 1 so far, 2 more deliveries to go"),
        "{}",
        early.text
    );

    let tea = subscribe(&app, "c-1", "o-tea", "P2W").await;
    let id = tea["id"].as_str().unwrap().to_owned();
    // March 24 in Shanghai: the shop is asked for the delivery.
    app.move_to("2027-03-23T16:01:00Z");
    assert_eq!(renewals(&app).await.renewals, 1);
    for (body, named) in [
        (
            json!({ "reason": "bored" }),
            "`reason` must be one of too-much, too-expensive",
        ),
        (
            json!({ "comment": "x".repeat(1_001) }),
            "at most 1000 characters",
        ),
    ] {
        let refused = act(&app, "c-1", &id, "cancel", "k-bad", Some(body)).await;
        refused.assert_error(422, "validation_failed");
        assert!(refused.text.contains(named), "{}", refused.text);
    }
    let body = json!({ "reason": "too-much", "comment": "  More tea than one person drinks \n" });
    let cancelled = act(&app, "c-1", &id, "cancel", "k-cancel", Some(body.clone())).await;
    let view = ok(&cancelled);
    assert_eq!(
        (&view["status"], &view["cancelled_on"]),
        (&json!("cancelled"), &json!("2027-03-24"))
    );
    assert_eq!(view["renewal_pending"], false);
    assert!(view.get("next_delivery").is_none(), "{view}");
    assert_eq!(
        events(&app, "subscription.cancelled").await,
        [json!({
            "subscription_id": id, "customer_id": "c-1", "product_id": "longjing",
            "plan_id": "tea-club", "reason": "too-much",
            "comment": "More tea than one person drinks", "cancelled_on": "2027-03-24",
            "deliveries": 1, "renewal_was_pending": true, "pending_delivery": "2027-03-24",
        })]
    );
    let replay = act(&app, "c-1", &id, "cancel", "k-cancel", Some(body)).await;
    assert_eq!(replay.header("idempotency-replayed"), Some("true"));
    assert_eq!(&replay.body, view);
    // Nothing changes a cancelled subscription any more.
    act(&app, "c-1", &id, "cancel", "k-again", None)
        .await
        .assert_error(409, "subscription_cancelled");
    act(&app, "c-1", &id, "skip", "k-skip", None)
        .await
        .assert_error(409, "subscription_cancelled");
    patch(&app, "c-1", &id, "k-patch", json!({ "quantity": 2 }))
        .await
        .assert_error(409, "subscription_cancelled");
    // A late renewal order still earns its points but never revives it.
    let late = pay(
        &app,
        "c-1",
        "late-renewal",
        json!([line("longjing", 1, 4_320, renew(&id))]),
    )
    .await;
    assert!(ok(&late)["points"].as_i64().unwrap() > 0);
    let after = shown(&app, "c-1", &id).await;
    assert_eq!(
        (&after["status"], &after["deliveries"]),
        (&json!("cancelled"), &json!(1))
    );
    app.move_to("2027-04-06T16:01:00Z");
    assert_eq!(renewals(&app).await, RenewalsRun::default());
    // Running ones first in the shopper's list.
    let listed = list(&app, "c-1", "en").await;
    let order: Vec<&Value> = listed["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|subscription| &subscription["id"])
        .collect();
    assert_eq!(order, [&json!(descaler_id), &json!(id)]);

    // The shop sees every subscription and why shoppers cancel.
    let app = &app;
    let admin = |query: &str| {
        let uri = format!("/v1/shops/demo/admin/subscriptions{query}");
        async move { app.get(&uri, Some(DEMO_API_KEY)).await }
    };
    let cancelled_page = admin("?status=cancelled").await;
    let page = ok(&cancelled_page);
    assert_eq!(page["subscriptions"].as_array().unwrap().len(), 1);
    assert_eq!(
        page["subscriptions"][0]["cancel_comment"],
        "More tea than one person drinks"
    );
    assert_eq!(page["subscriptions"][0]["order_id"], "o-tea");
    let first = admin("?limit=1").await;
    assert_eq!(ok(&first)["subscriptions"][0]["id"], json!(descaler_id));
    let next = first.body["next_after"].as_str().unwrap().to_owned();
    let second = admin(&format!("?limit=1&after={next}")).await;
    assert_eq!(ok(&second)["subscriptions"][0]["id"], json!(id));
    let none = admin("?customer=c-2").await;
    assert_eq!(ok(&none)["subscriptions"], json!([]));
    admin("?status=gone")
        .await
        .assert_error(422, "validation_failed");
    admin("?limit=0")
        .await
        .assert_error(422, "validation_failed");
    app.get("/v1/shops/demo/admin/subscriptions", None)
        .await
        .assert_error(401, "unauthorized");
    let report = admin("/cancellations").await;
    let report = ok(&report);
    assert_eq!(
        report["reasons"],
        json!([
            { "reason": "too-much", "label": { "en": "Too much tea", "zh-Hans": "茶太多了" }, "count": 1 },
            { "reason": "too-expensive", "label": { "en": "Too expensive" }, "count": 0 },
        ])
    );
    assert_eq!(report["recent"][0]["subscription_id"], json!(id));
    assert_eq!(
        report["recent"][0]["comment"],
        "More tea than one person drinks"
    );
}

pub async fn subscriptions_resume_by_themselves_when_a_pause_ends(backend: Backend) {
    let Some(app) = app(backend, "2027-03-09T20:00:00Z").await else {
        return;
    };
    let subscription = subscribe(&app, "c-1", "o-1", "P2W").await;
    let id = subscription["id"].as_str().unwrap().to_owned();
    let paused = act(
        &app,
        "c-1",
        &id,
        "pause",
        "k-pause",
        Some(json!({ "until": "2027-04-01" })),
    )
    .await;
    assert_eq!(ok(&paused)["next_delivery"], "2027-04-07");
    // March 31 in Shanghai: still paused; the March 24 delivery was never asked for.
    app.move_to("2027-03-30T16:01:00Z");
    assert_eq!(renewals(&app).await, RenewalsRun::default());
    assert_eq!(shown(&app, "c-1", &id).await["status"], "paused");
    // April 1: it runs again by itself.
    app.move_to("2027-03-31T16:01:00Z");
    assert_eq!(
        renewals(&app).await,
        RenewalsRun {
            renewals: 0,
            resumed: 1
        }
    );
    let resumed = shown(&app, "c-1", &id).await;
    assert_eq!(
        (&resumed["status"], &resumed["next_delivery"]),
        (&json!("active"), &json!("2027-04-07"))
    );
    assert!(resumed.get("paused_until").is_none(), "{resumed}");
    let changed = events(&app, "subscription.changed").await;
    assert_eq!(changed.last().unwrap()["action"], "resume");
    assert_eq!(
        events(&app, "subscription.renewal_due").await,
        Vec::<Value>::new()
    );
    // April 7: the delivery is asked for.
    app.move_to("2027-04-06T16:01:00Z");
    assert_eq!(renewals(&app).await.renewals, 1);
    assert_eq!(
        events(&app, "subscription.renewal_due").await[0]["delivery_date"],
        "2027-04-07"
    );
}

pub async fn subscriptions_of_the_demo_go_through_the_order_path(backend: Backend) {
    let demo = include_str!("../../../comeback.demo.toml");
    let Some(app) = TestApp::spawn_with(backend, demo, Settings::default()).await else {
        return;
    };
    comeback_server::routes::demo::seed(&app.state)
        .await
        .unwrap();
    let session = app.get("/demo/session", None).await;
    let token = ok(&session)["token"].as_str().unwrap().to_owned();
    let listed = app.get("/v1/shops/demo/subscriptions", Some(&token)).await;
    let subscriptions = ok(&listed)["subscriptions"].as_array().unwrap().clone();
    assert_eq!(subscriptions.len(), 1, "{}", listed.text);
    let running = &subscriptions[0];
    assert_eq!(
        (
            &running["product_id"],
            &running["plan_id"],
            &running["interval"],
            &running["status"]
        ),
        (
            &json!("wuyi-oolong-100g"),
            &json!("tea-club"),
            &json!("P4W"),
            &json!("active")
        )
    );
    assert_eq!(
        running["price"],
        json!({ "regular": 12_800, "price": 11_520, "saving": 1_280 })
    );
    assert_eq!(listed.body["cancel_reasons"].as_array().unwrap().len(), 4);
    // Seeding again starts nothing new.
    comeback_server::routes::demo::seed(&app.state)
        .await
        .unwrap();
    // The storefront's checkout passes the toggle's form value.
    let app = &app;
    let checkout = |subscription: Value| {
        let token = token.clone();
        async move {
            app.post_json(
                "/demo/shops/demo/checkout",
                Some(&token),
                &[],
                &json!({ "product_id": "longjing-green-100g", "quantity": 1,
                         "unit_price": 14_220, "subscription": subscription }),
            )
            .await
        }
    };
    assert_eq!(checkout(json!("tea-club:P2W")).await.status, 200);
    checkout(json!("tea-club:2w"))
        .await
        .assert_error(422, "validation_failed");
    checkout(json!("tea-club:P1M"))
        .await
        .assert_error(422, "validation_failed");
    assert_eq!(checkout(json!("")).await.status, 200);
    let listed = app.get("/v1/shops/demo/subscriptions", Some(&token)).await;
    assert_eq!(ok(&listed)["subscriptions"].as_array().unwrap().len(), 2);
    let offer = app
        .get(
            "/v1/shops/demo/subscriptions/offer?product=wuyi-oolong-100g&locale=zh-Hant",
            None,
        )
        .await;
    assert_eq!(ok(&offer)["plans"][0]["name"], "訂閱立省 10%");
}
