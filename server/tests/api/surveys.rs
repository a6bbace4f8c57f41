//! Surveys: the view in a locale and its entity tag, responses kept once per
//! `Idempotency-Key` and checked against the version they answer (every kind of bad
//! answer named, branching, unpublished and older published versions, context bounds),
//! the reward paid once per scope, `survey.response`, whether a survey is due for each
//! trigger (cooldown, dismissed, answered, shown once, the days-after-order window),
//! contacts, the admin report (weeks in the shop's time zone, NPS, CSAT and effort per
//! version) and its CSV export, the version check at start, and the demo's surveys.

use comeback_server::config::Settings;
use comeback_server::features::surveys::publish;
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp, TestResponse, DEMO_API_KEY, DEMO_KEYS, DEMO_ORIGIN};

/// The `thank-you-nps` survey; `{nps_extra}` goes into its first question.
const THANK_YOU: &str = r#"
[[shops.demo.surveys]]
id = "thank-you-nps"
version = {version}
trigger = "order_complete"
recontact = { per = "order", until = "once" }
title = { en = "Thank you", "zh-Hans" = "谢谢" }
thanks = { en = "Thanks" }

[[shops.demo.surveys.questions]]
id = "nps"
type = "nps"
text = { en = "Recommend us?", "zh-Hans" = "推荐吗？" }
{nps_extra}
[[shops.demo.surveys.questions]]
id = "reason"
type = "text"
optional = true
text = { en = "What went wrong?" }
when = { question = "nps", max = 6 }
"#;

/// `delivery-csat` (days after an order, a reward per order) and `feedback` (an event,
/// a reward per customer, effort and a multiple choice).
const OTHERS: &str = r#"
[[shops.demo.surveys]]
id = "delivery-csat"
version = 1
trigger = "days_after_order"
days_after_order = 3
recontact = { per = "order", until = "answered" }
reward_points = 20
title = { en = "Delivery" }
thanks = { en = "Thanks" }

[[shops.demo.surveys.questions]]
id = "csat"
type = "csat"
text = { en = "Happy with the delivery?" }

[[shops.demo.surveys.questions]]
id = "problem"
type = "single_choice"
text = { en = "What went wrong?" }
when = { question = "csat", max = 3 }
options = [{ id = "late", label = { en = "Late" } }, { id = "damaged", label = { en = "Damaged" } }]

[[shops.demo.surveys.questions]]
id = "comment"
type = "text"
optional = true
text = { en = "Anything else?" }

[[shops.demo.surveys]]
id = "feedback"
version = 1
trigger = "event"
event = "checkout-feedback"
placement = "popup"
recontact = { per = "customer", until = "once" }
reward_points = 15
title = { en = "Checkout" }
thanks = { en = "Thanks" }

[[shops.demo.surveys.questions]]
id = "effort"
type = "effort"
text = { en = "How easy was checkout?" }

[[shops.demo.surveys.questions]]
id = "channels"
type = "multiple_choice"
optional = true
text = { en = "How did you pay?" }
options = [{ id = "card", label = { en = "Card" } }, { id = "alipay", label = { en = "Alipay" } }, { id = "wechat", label = { en = "WeChat Pay" } }]
"#;

/// The `demo` shop with loyalty, webhooks and the surveys (a 14-day cooldown, weeks in
/// Shanghai), and a `plain` shop without surveys.
fn config(version: u32, nps_extra: &str) -> String {
    let thank_you = THANK_YOU
        .replace("{version}", &version.to_string())
        .replace("{nps_extra}", nps_extra);
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

[shops.demo.survey_cadence]
cooldown_days = 14
time_zone = "Asia/Shanghai"
{thank_you}{OTHERS}
[shops.plain]
name = "Plain"
token_secrets = ["test-token-secret-plain-0123456789abcdef"]
webhook_secrets = ["test-webhook-secret-plain-0123456789abcdef"]
api_keys = ["test-api-key-plain-0123456789abcdef012345"]
currency = "CNY"
"#
    )
}

const DAY: i64 = 86_400;

/// The app with a frozen clock at noon in Shanghai on Wednesday 3 March 2027, its
/// survey versions published.
async fn app(backend: Backend) -> Option<TestApp> {
    let app = TestApp::spawn_with(backend, &config(1, ""), Settings::default()).await?;
    app.state.clock.freeze();
    app.move_to("2027-03-03T04:00:00Z");
    publish(&app.state).await.unwrap();
    Some(app)
}

/// POSTs `body` to `survey`'s `what` (`responses` or `contacts`) with `key` and an
/// optional customer's token.
async fn post(
    app: &TestApp,
    survey: &str,
    what: &str,
    key: &str,
    customer: Option<&str>,
    body: &Value,
) -> TestResponse {
    let token = customer.map(|c| app.token(c));
    app.post_json(
        &format!("/v1/shops/demo/surveys/{survey}/{what}"),
        token.as_deref(),
        &[("idempotency-key", key)],
        body,
    )
    .await
}

/// POSTs a response.
async fn respond(
    app: &TestApp,
    survey: &str,
    key: &str,
    customer: Option<&str>,
    body: &Value,
) -> TestResponse {
    post(app, survey, "responses", key, customer, body).await
}

/// POSTs a contact.
async fn contact(
    app: &TestApp,
    survey: &str,
    key: &str,
    customer: Option<&str>,
    body: &Value,
) -> TestResponse {
    post(app, survey, "contacts", key, customer, body).await
}

/// `GET /surveys/due?{query}`, asserting 200.
async fn due(app: &TestApp, query: &str, customer: Option<&str>) -> Value {
    let token = customer.map(|c| app.token(c));
    let response = app
        .get(
            &format!("/v1/shops/demo/surveys/due?{query}"),
            token.as_deref(),
        )
        .await;
    assert_eq!(response.status, 200, "{query}: {}", response.text);
    response.body
}

/// Why nothing is due, or the survey and order due.
fn verdict(due: &Value) -> String {
    match due["survey"]["id"].as_str() {
        Some(id) => format!("{id} {}", due["order_id"].as_str().unwrap_or("-")),
        None => due["not_due"]["reason"].as_str().unwrap().to_owned(),
    }
}

fn nps(score: i64) -> Value {
    json!({ "version": 1, "answers": { "nps": score } })
}

pub async fn survey_views_are_cacheable_and_unknown_surveys_404(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let view = app
        .get("/v1/shops/demo/surveys/thank-you-nps?locale=zh-CN", None)
        .await;
    assert_eq!(view.status, 200, "{}", view.text);
    assert_eq!(view.body["locale"], "zh-Hans");
    assert_eq!(view.body["title"], "谢谢");
    assert_eq!(view.body["thanks"], "Thanks");
    assert_eq!(view.body["questions"][0]["text"], "推荐吗？");
    assert_eq!(view.body["questions"][1]["when"]["max"], 6);
    assert_eq!(view.body["cooldown_days"], 14);
    assert_eq!(
        view.body["recontact"],
        json!({ "per": "order", "until": "once" })
    );
    let etag = view.header("etag").unwrap().to_owned();
    assert_eq!(view.header("cache-control"), Some("public, max-age=300"));
    let again = app
        .request(
            axum::http::Method::GET,
            "/v1/shops/demo/surveys/thank-you-nps?locale=zh-Hans",
            &[("if-none-match", &etag)],
        )
        .await;
    assert_eq!(again.status, 304);
    let english = app.get("/v1/shops/demo/surveys/feedback", None).await;
    assert_eq!(english.body["placement"], "popup");
    assert_eq!(english.body["event"], "checkout-feedback");
    assert_eq!(english.body["reward_points"], 15);
    assert_ne!(english.header("etag"), Some(etag.as_str()));

    // Every route is in the OpenAPI document.
    let document = app.get("/v1/openapi.json", None).await;
    for path in [
        "/v1/shops/{shop}/surveys/{id}",
        "/v1/shops/{shop}/surveys/due",
        "/v1/shops/{shop}/surveys/{id}/contacts",
        "/v1/shops/{shop}/surveys/{id}/responses",
        "/v1/shops/{shop}/admin/surveys",
        "/v1/shops/{shop}/admin/surveys/{id}/responses",
    ] {
        assert!(document.body["paths"].get(path).is_some(), "{path}");
    }
    assert!(document.body["components"]["schemas"]
        .get("SurveyView")
        .is_some());

    app.get("/v1/shops/demo/surveys/nope", None)
        .await
        .assert_error(404, "not_found");
    respond(&app, "nope", "k-404", None, &nps(9))
        .await
        .assert_error(404, "not_found");
    // A shop without surveys answers 404 everywhere.
    app.get("/v1/shops/plain/surveys/thank-you-nps", None)
        .await
        .assert_error(404, "not_found");
    app.get(
        "/v1/shops/plain/surveys/due?trigger=order_complete&order=1",
        None,
    )
    .await
    .assert_error(404, "not_found");
    app.get(
        "/v1/shops/plain/admin/surveys",
        Some("test-api-key-plain-0123456789abcdef012345"),
    )
    .await
    .assert_error(404, "not_found");
}

pub async fn responses_are_kept_once_per_key_and_checked(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let body = json!({
        "version": 1,
        "answers": { "nps": 4, "reason": "Slow shipping" },
        "context": { "order_id": "o-1", "page": "/thank-you.html?order=o-1&email=a@b.c#top",
                     "locale": "zh-TW", "products": ["longjing"], "trigger": "order_complete" },
    });
    let first = respond(&app, "thank-you-nps", "k-1", None, &body).await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(first.body["reward"], "none");
    assert_eq!(first.body["points"], 0);
    let repeat = respond(&app, "thank-you-nps", "k-1", None, &body).await;
    assert_eq!(repeat.status, 201, "{}", repeat.text);
    assert_eq!(repeat.body, first.body);
    assert_eq!(repeat.header("idempotency-replayed"), Some("true"));
    let mut changed = body.clone();
    changed["answers"]["nps"] = json!(5);
    respond(&app, "thank-you-nps", "k-1", None, &changed)
        .await
        .assert_error(422, "idempotency_key_reused");
    // The key is the request's, not the survey's: the same body to another survey is
    // another request.
    app.post_json(
        "/v1/shops/demo/surveys/thank-you-nps/responses",
        None,
        &[],
        &body,
    )
    .await
    .assert_error(400, "idempotency_key_required");
    app.post_json(
        "/v1/shops/demo/surveys/thank-you-nps/responses",
        Some("forged.token.here"),
        &[("idempotency-key", "k-forged")],
        &body,
    )
    .await
    .assert_error(401, "unauthorized");

    // Every kind of bad answer is refused naming the question.
    let bad =
        |survey: &'static str, answers: Value, question: &'static str| (survey, answers, question);
    let long = "x".repeat(2001);
    let cases = [
        bad("thank-you-nps", json!({ "nps": 11 }), "nps"),
        bad("thank-you-nps", json!({ "nps": "ten" }), "nps"),
        bad("thank-you-nps", json!({}), "nps"),
        bad("thank-you-nps", json!({ "nps": 3, "reason": 5 }), "reason"),
        bad(
            "thank-you-nps",
            json!({ "nps": 3, "reason": long }),
            "reason",
        ),
        bad(
            "thank-you-nps",
            json!({ "nps": 3, "colour": "red" }),
            "colour",
        ),
        // Branching: `reason` is asked of detractors only.
        bad(
            "thank-you-nps",
            json!({ "nps": 9, "reason": "Great" }),
            "reason",
        ),
        bad("delivery-csat", json!({ "csat": 0 }), "csat"),
        bad("delivery-csat", json!({ "csat": 2 }), "problem"),
        bad(
            "delivery-csat",
            json!({ "csat": 2, "problem": "lost" }),
            "problem",
        ),
        bad(
            "delivery-csat",
            json!({ "csat": 2, "problem": ["late"] }),
            "problem",
        ),
        bad(
            "delivery-csat",
            json!({ "csat": 5, "problem": "late" }),
            "problem",
        ),
        bad("feedback", json!({ "effort": 8 }), "effort"),
        bad("feedback", json!({ "effort": "easy" }), "effort"),
        bad(
            "feedback",
            json!({ "effort": 4, "channels": "card" }),
            "channels",
        ),
        bad(
            "feedback",
            json!({ "effort": 4, "channels": ["card", "card"] }),
            "channels",
        ),
        bad(
            "feedback",
            json!({ "effort": 4, "channels": ["cash"] }),
            "channels",
        ),
    ];
    for (n, (survey, answers, question)) in cases.into_iter().enumerate() {
        let response = respond(
            &app,
            survey,
            &format!("bad-{n}"),
            None,
            &json!({ "version": 1, "answers": answers }),
        )
        .await;
        response.assert_error(422, "validation_failed");
        let message = response.body["error"]["message"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("question `{question}`")),
            "{survey} {answers}: {message}"
        );
    }
    // A version never published.
    let response = respond(
        &app,
        "thank-you-nps",
        "k-v7",
        None,
        &json!({ "version": 7, "answers": { "nps": 9 } }),
    )
    .await;
    response.assert_error(422, "validation_failed");
    assert!(response.text.contains("`version`"), "{}", response.text);
    // Context bounds name the field.
    let context_cases = [
        (json!({ "order_id": "o".repeat(65) }), "context.order_id"),
        (
            json!({ "page": format!("/{}", "p".repeat(512)) }),
            "context.page",
        ),
        (
            json!({ "products": (0..51).map(|n| format!("p{n}")).collect::<Vec<_>>() }),
            "context.products",
        ),
        (json!({ "products": ["p".repeat(65)] }), "context.products"),
        (json!({ "locale": "fr" }), "context.locale"),
    ];
    for (n, (context, field)) in context_cases.into_iter().enumerate() {
        let response = respond(
            &app,
            "thank-you-nps",
            &format!("ctx-{n}"),
            None,
            &json!({ "version": 1, "answers": { "nps": 9 }, "context": context }),
        )
        .await;
        response.assert_error(422, "validation_failed");
        assert!(response.text.contains(field), "{field}: {}", response.text);
    }

    // Blank answers count as none; `answered_at` is kept within 30 days, else now.
    let now = app.state.clock.now();
    let late = respond(
        &app,
        "delivery-csat",
        "k-late",
        None,
        &json!({ "version": 1, "answers": { "csat": 5, "comment": "  " },
                 "answered_at": now - 2 * DAY }),
    )
    .await;
    assert_eq!(late.status, 201, "{}", late.text);
    let ancient = respond(
        &app,
        "delivery-csat",
        "k-ancient",
        None,
        &json!({ "version": 1, "answers": { "csat": 4 }, "answered_at": now - 31 * DAY }),
    )
    .await;
    assert_eq!(ancient.status, 201, "{}", ancient.text);
    let future = respond(
        &app,
        "delivery-csat",
        "k-future",
        None,
        &json!({ "version": 1, "answers": { "csat": 4 }, "answered_at": now + 60 }),
    )
    .await;
    assert_eq!(future.status, 201, "{}", future.text);
    let report = admin(&app, "delivery-csat", "").await;
    let times: Vec<(i64, Value)> = report["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["answered_at"].as_i64().unwrap(), r["answers"].clone()))
        .collect();
    assert_eq!(
        times,
        [
            (now, json!({ "csat": 4 })),
            (now, json!({ "csat": 4 })),
            (now - 2 * DAY, json!({ "csat": 5 })),
        ]
    );
    // The page's query and fragment are cut, the locale canonical, the guest kept
    // without a customer.
    let report = admin(&app, "thank-you-nps", "").await;
    let kept = &report["responses"][0];
    assert_eq!(kept["context"]["page"], "/thank-you.html");
    assert_eq!(kept["context"]["locale"], "zh-Hant");
    assert_eq!(kept["context"]["order_id"], "o-1");
    assert!(kept.get("customer_id").is_none(), "{kept}");
    assert_eq!(
        kept["answers"],
        json!({ "nps": 4, "reason": "Slow shipping" })
    );
}

/// The admin report of a survey, asserting 200.
async fn admin(app: &TestApp, survey: &str, query: &str) -> Value {
    let response = app
        .get(
            &format!("/v1/shops/demo/admin/surveys/{survey}/responses?{query}"),
            Some(DEMO_API_KEY),
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.text);
    response.body
}

/// A paid order of `customer` with two lines.
async fn paid(app: &TestApp, customer: &str, id: &str) {
    let response = app
        .webhook(&json!({
            "id": id, "customer_id": customer, "status": "paid", "currency": "CNY",
            "total": 3000,
            "lines": [
                { "product_id": "longjing", "quantity": 1, "unit_price": 2000 },
                { "product_id": "gaiwan", "quantity": 1, "unit_price": 1000 },
            ],
        }))
        .await;
    assert_eq!(response.status, 200, "{}", response.text);
}

/// A customer's points balance.
async fn balance(app: &TestApp, customer: &str) -> i64 {
    app.me(customer).await.body["balance"].as_i64().unwrap()
}

/// The `survey.response` events, by response id.
async fn survey_events(app: &TestApp) -> std::collections::BTreeMap<String, Value> {
    app.outbox_of("survey.response")
        .await
        .iter()
        .map(|row| {
            let data: Value = serde_json::from_str(&row.event.payload).unwrap();
            (data["response_id"].as_str().unwrap().to_owned(), data)
        })
        .collect()
}

fn csat(order: Option<&str>, score: i64) -> Value {
    json!({ "version": 1, "answers": { "csat": score }, "context": { "order_id": order } })
}

pub async fn the_reward_is_paid_once_per_scope_with_the_event(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    paid(&app, "c-1", "o-1").await;
    paid(&app, "c-1", "o-2").await;
    let before = balance(&app, "c-1").await;
    let first = respond(
        &app,
        "delivery-csat",
        "r-1",
        Some("c-1"),
        &csat(Some("o-1"), 2),
    )
    .await;
    assert_eq!(
        first.status, 422,
        "the follow-up is required: {}",
        first.text
    );
    let body = json!({ "version": 1, "answers": { "csat": 2, "problem": "late",
                       "comment": "Box was =wet" }, "context": { "order_id": "o-1" } });
    let first = respond(&app, "delivery-csat", "r-1", Some("c-1"), &body).await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(first.body["reward"], "awarded");
    assert_eq!(first.body["points"], 20);
    assert_eq!(balance(&app, "c-1").await, before + 20);
    // A repeat of the request replays, paying nothing more.
    let repeat = respond(&app, "delivery-csat", "r-1", Some("c-1"), &body).await;
    assert_eq!(repeat.body, first.body);
    // Another response about the same order: already awarded.
    let second = respond(
        &app,
        "delivery-csat",
        "r-2",
        Some("c-1"),
        &csat(Some("o-1"), 5),
    )
    .await;
    assert_eq!(second.status, 201, "{}", second.text);
    assert_eq!(second.body["reward"], "already_awarded");
    assert_eq!(second.body["points"], 0);
    assert_eq!(balance(&app, "c-1").await, before + 20);
    // Another order of theirs: asked per order, so awarded again.
    let other = respond(
        &app,
        "delivery-csat",
        "r-3",
        Some("c-1"),
        &csat(Some("o-2"), 5),
    )
    .await;
    assert_eq!(other.body["reward"], "awarded");
    assert_eq!(balance(&app, "c-1").await, before + 40);
    // A guest, someone else's order, no order, an unknown order: not eligible.
    for (key, customer, order) in [
        ("r-4", None, Some("o-1")),
        ("r-5", Some("c-2"), Some("o-1")),
        ("r-6", Some("c-2"), None),
        ("r-7", Some("c-2"), Some("o-404")),
    ] {
        let response = respond(&app, "delivery-csat", key, customer, &csat(order, 4)).await;
        assert_eq!(response.status, 201, "{}", response.text);
        assert_eq!(response.body["reward"], "not_eligible", "{key}");
    }
    assert_eq!(balance(&app, "c-2").await, 0);
    // Per customer: once, whatever the order.
    let effort =
        json!({ "version": 1, "answers": { "effort": 6, "channels": ["alipay", "card"] } });
    let once = respond(&app, "feedback", "f-1", Some("c-1"), &effort).await;
    assert_eq!(once.body["reward"], "awarded");
    assert_eq!(once.body["points"], 15);
    let twice = respond(&app, "feedback", "f-2", Some("c-1"), &effort).await;
    assert_eq!(twice.body["reward"], "already_awarded");
    assert_eq!(balance(&app, "c-1").await, before + 55);
    // No reward configured.
    let none = respond(&app, "thank-you-nps", "n-1", Some("c-1"), &nps(10)).await;
    assert_eq!(none.body["reward"], "none");
    // The ledger entries: kind `survey`, the response id as the reference.
    let history = app.me("c-1").await.body["history"].clone();
    let survey_entries: Vec<&Value> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["kind"] == "survey")
        .collect();
    assert_eq!(survey_entries.len(), 3, "{history}");
    let references: Vec<&str> = survey_entries
        .iter()
        .map(|entry| entry["reference"].as_str().unwrap())
        .collect();
    assert!(
        references.contains(&first.body["id"].as_str().unwrap()),
        "{references:?}"
    );

    // One event per response (the repeat wrote none), with the detractor's group.
    let events = survey_events(&app).await;
    assert_eq!(events.len(), 10, "{events:?}");
    let data = &events[first.body["id"].as_str().unwrap()];
    assert_eq!(data["survey"], "delivery-csat");
    assert_eq!(data["version"], 1);
    assert_eq!(data["customer_id"], "c-1");
    assert_eq!(data["answers"]["problem"], "late");
    assert_eq!(data["context"]["order_id"], "o-1");
    // The order's products filled in.
    assert_eq!(data["context"]["products"], json!(["longjing", "gaiwan"]));
    assert_eq!(data["reward"], "awarded");
    assert_eq!(data["points"], 20);
    assert_eq!(data["answered_at"], app.state.clock.now());
    assert!(data["nps_group"].is_null());
    let promoter = &events[none.body["id"].as_str().unwrap()];
    assert_eq!(promoter["nps"], 10);
    assert_eq!(promoter["nps_group"], "promoter");
    let detractor = respond(&app, "thank-you-nps", "n-2", None, &nps(6)).await;
    assert_eq!(detractor.status, 201);
    let events = survey_events(&app).await;
    let data = &events[detractor.body["id"].as_str().unwrap()];
    assert_eq!(data["nps_group"], "detractor");
    assert!(data["customer_id"].is_null());
}

pub async fn due_follows_each_trigger_and_the_recontact_rules(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    // The order-complete page: a guest is asked about the page's order.
    let guest = due(
        &app,
        "trigger=order-complete&order=o-1&locale=zh-Hans",
        None,
    )
    .await;
    assert_eq!(verdict(&guest), "thank-you-nps o-1");
    assert_eq!(guest["survey"]["title"], "谢谢");
    assert_eq!(
        verdict(&due(&app, "trigger=order_complete", None).await),
        "no_order"
    );
    // No trigger with an order is the order-complete page.
    assert_eq!(
        verdict(&due(&app, "order=o-9", None).await),
        "thank-you-nps o-9"
    );
    let unknown = app
        .get("/v1/shops/demo/surveys/due?trigger=checkout", None)
        .await;
    unknown.assert_error(422, "validation_failed");
    assert!(unknown.text.contains("`trigger`"), "{}", unknown.text);
    app.get("/v1/shops/demo/surveys/due?trigger=event&survey=nope", None)
        .await
        .assert_error(404, "not_found");
    // A survey of another trigger named for the order-complete page: nothing.
    assert_eq!(
        verdict(
            &due(
                &app,
                "trigger=order_complete&survey=feedback&order=o-1",
                None
            )
            .await
        ),
        "nothing_to_ask"
    );

    // Signed in: dismissed stays dismissed, and starts the cooldown for every survey.
    let c = Some("c-1");
    let report =
        |outcome: &str, order: &str| json!({ "version": 1, "outcome": outcome, "order_id": order });
    let dismissed = contact(&app, "thank-you-nps", "d-1", c, &report("dismissed", "o-1")).await;
    assert_eq!(dismissed.status, 204, "{}", dismissed.text);
    assert_eq!(
        verdict(&due(&app, "trigger=order_complete&order=o-1", c).await),
        "dismissed"
    );
    let cooling = due(&app, "trigger=order_complete&order=o-2", c).await;
    assert_eq!(cooling["not_due"]["reason"], "cooldown");
    assert_eq!(
        cooling["not_due"]["until"],
        app.state.clock.now() + 14 * DAY
    );
    assert_eq!(
        verdict(&due(&app, "trigger=event&event=checkout-feedback", c).await),
        "cooldown"
    );
    // Another customer is not affected, and a guest's history is the browser's.
    assert_eq!(
        verdict(&due(&app, "trigger=order_complete&order=o-2", Some("c-2")).await),
        "thank-you-nps o-2"
    );
    app.state.clock.advance(14 * DAY);
    assert_eq!(
        verdict(&due(&app, "trigger=order_complete&order=o-2", c).await),
        "thank-you-nps o-2"
    );
    // Shown once: not again for that order (until = once), even after the cooldown.
    let shown = contact(&app, "thank-you-nps", "s-1", c, &report("shown", "o-2")).await;
    assert_eq!(shown.status, 204);
    app.state.clock.advance(15 * DAY);
    assert_eq!(
        verdict(&due(&app, "trigger=order_complete&order=o-2", c).await),
        "shown"
    );
    // Answered: a response counts.
    let answered = respond(
        &app,
        "thank-you-nps",
        "a-1",
        c,
        &json!({ "version": 1, "answers": { "nps": 9 }, "context": { "order_id": "o-3" } }),
    )
    .await;
    assert_eq!(answered.status, 201);
    app.state.clock.advance(15 * DAY);
    assert_eq!(
        verdict(&due(&app, "trigger=order_complete&order=o-3", c).await),
        "answered"
    );
    // An event: asked per customer, for the tracked event only.
    assert_eq!(
        verdict(&due(&app, "trigger=event&event=checkout-feedback", c).await),
        "feedback -"
    );
    assert_eq!(
        verdict(&due(&app, "trigger=event&event=other", c).await),
        "nothing_to_ask"
    );
    assert_eq!(
        verdict(&due(&app, "trigger=event", c).await),
        "nothing_to_ask"
    );

    // Days after an order: for a signed-in customer only.
    app.get("/v1/shops/demo/surveys/due?trigger=days_after_order", None)
        .await
        .assert_error(401, "unauthorized");
    let d = Some("c-days");
    let after = "trigger=days-after-order";
    assert_eq!(verdict(&due(&app, after, d).await), "nothing_to_ask");
    paid(&app, "c-days", "o-old").await;
    app.state.clock.advance(DAY);
    paid(&app, "c-days", "o-new").await;
    app.state.clock.advance(2 * DAY - 1);
    // o-old is 3 days old less a second, o-new 2 days old.
    assert_eq!(verdict(&due(&app, after, d).await), "nothing_to_ask");
    app.state.clock.advance(1);
    assert_eq!(verdict(&due(&app, after, d).await), "delivery-csat o-old");
    app.state.clock.advance(DAY);
    // Both within the window: the newest.
    assert_eq!(verdict(&due(&app, after, d).await), "delivery-csat o-new");
    // A full refund takes it out; a partial one does not.
    let refund = |id: &'static str, refunded: i64| {
        json!({ "id": id, "customer_id": "c-days", "status": "refunded", "currency": "CNY",
                "total": 3000, "refund_total": refunded,
                "lines": [{ "product_id": "longjing", "quantity": 1, "unit_price": 2000 },
                          { "product_id": "gaiwan", "quantity": 1, "unit_price": 1000 }] })
    };
    assert_eq!(app.webhook(&refund("o-new", 3000)).await.status, 200);
    assert_eq!(verdict(&due(&app, after, d).await), "delivery-csat o-old");
    assert_eq!(app.webhook(&refund("o-old", 1000)).await.status, 200);
    assert_eq!(verdict(&due(&app, after, d).await), "delivery-csat o-old");
    // Until answered: shown, then after the cooldown asked again; answered, never.
    contact(
        &app,
        "delivery-csat",
        "s-2",
        d,
        &json!({ "version": 1, "outcome": "shown", "order_id": "o-old" }),
    )
    .await;
    assert_eq!(verdict(&due(&app, after, d).await), "cooldown");
    app.state.clock.advance(14 * DAY);
    assert_eq!(verdict(&due(&app, after, d).await), "delivery-csat o-old");
    let answered = respond(&app, "delivery-csat", "a-2", d, &csat(Some("o-old"), 5)).await;
    assert_eq!(answered.body["reward"], "awarded");
    app.state.clock.advance(15 * DAY);
    // o-old was placed 33 days ago: still in the window, but answered.
    assert_eq!(verdict(&due(&app, after, d).await), "answered");
    app.state.clock.advance(1);
    // Out of the window (more than 3 + 30 days ago): nothing to ask.
    assert_eq!(verdict(&due(&app, after, d).await), "nothing_to_ask");
}

pub async fn contacts_are_counted_once_and_checked(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let shown = json!({ "version": 1, "outcome": "shown", "order_id": "o-1" });
    for _ in 0..2 {
        let response = contact(&app, "thank-you-nps", "c-key-1", None, &shown).await;
        assert_eq!(response.status, 204, "{}", response.text);
    }
    let response = contact(&app, "thank-you-nps", "c-key-2", Some("c-1"), &shown).await;
    assert_eq!(response.status, 204);
    let dismissed = json!({ "version": 1, "outcome": "dismissed" });
    assert_eq!(
        contact(&app, "thank-you-nps", "c-key-3", None, &dismissed)
            .await
            .status,
        204
    );
    let answered = contact(
        &app,
        "thank-you-nps",
        "c-key-4",
        None,
        &json!({ "version": 1, "outcome": "answered" }),
    )
    .await;
    answered.assert_error(422, "validation_failed");
    assert!(answered.text.contains("`outcome`"), "{}", answered.text);
    let unknown = contact(
        &app,
        "thank-you-nps",
        "c-key-5",
        None,
        &json!({ "version": 2, "outcome": "shown" }),
    )
    .await;
    unknown.assert_error(422, "validation_failed");
    assert!(unknown.text.contains("`version`"), "{}", unknown.text);
    contact(&app, "nope", "c-key-6", None, &shown)
        .await
        .assert_error(404, "not_found");
    app.post_json(
        "/v1/shops/demo/surveys/thank-you-nps/contacts",
        None,
        &[],
        &shown,
    )
    .await
    .assert_error(400, "idempotency_key_required");
    // The list counts each key once.
    let list = app
        .get("/v1/shops/demo/admin/surveys", Some(DEMO_API_KEY))
        .await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert_eq!(
        list.body["surveys"][0],
        json!({ "id": "thank-you-nps", "version": 1, "trigger": "order_complete",
                "shown": 2, "dismissed": 1, "responses": 0 })
    );
    assert_eq!(list.body["surveys"].as_array().unwrap().len(), 3);
    app.get("/v1/shops/demo/admin/surveys", None)
        .await
        .assert_error(401, "unauthorized");
}

pub async fn the_report_sums_weeks_per_version_and_exports_csv(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    // Sunday 28 February 2027, 23:30 in Shanghai (15:30 UTC): the week of 22 February.
    app.move_to("2027-02-28T15:30:00Z");
    for (n, score) in [10, 9, 3].into_iter().enumerate() {
        let r = respond(&app, "thank-you-nps", &format!("w1-{n}"), None, &nps(score)).await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    // Half an hour later it is Monday 1 March in Shanghai (still Sunday in UTC).
    app.state.clock.advance(1800);
    let tricky = json!({ "version": 1, "answers": { "nps": 2, "reason": "Too \"strong\", and bitter\nreally" },
                         "context": { "order_id": "=cmd|' /C calc'!A0", "products": ["a", "b"],
                                      "page": "/thank-you.html", "locale": "en" } });
    let r = respond(&app, "thank-you-nps", "w2-0", Some("c-9"), &tricky).await;
    assert_eq!(r.status, 201, "{}", r.text);
    app.state.clock.advance(1);
    let formula = json!({ "version": 1, "answers": { "nps": 5, "reason": "=1+1" } });
    assert_eq!(
        respond(&app, "thank-you-nps", "w2-1", None, &formula)
            .await
            .status,
        201
    );
    let effort =
        json!({ "version": 1, "answers": { "effort": 6, "channels": ["wechat", "card"] } });
    assert_eq!(
        respond(&app, "feedback", "e-1", None, &effort).await.status,
        201
    );
    let effort = json!({ "version": 1, "answers": { "effort": 3 } });
    assert_eq!(
        respond(&app, "feedback", "e-2", None, &effort).await.status,
        201
    );
    let report = admin(&app, "thank-you-nps", "").await;
    assert_eq!(report["survey"], "thank-you-nps");
    assert_eq!(report["responses_total"], 5);
    assert_eq!(
        report["weeks"],
        json!([
            { "version": 1, "week": "2027-03-01", "responses": 2,
              "nps": { "responses": 2, "promoters": 0, "passives": 0, "detractors": 2, "score": -100 } },
            { "version": 1, "week": "2027-02-22", "responses": 3,
              "nps": { "responses": 3, "promoters": 2, "passives": 0, "detractors": 1, "score": 33 } },
        ])
    );
    let feedback = admin(&app, "feedback", "").await;
    assert_eq!(
        feedback["weeks"][0]["effort"],
        json!({ "responses": 2, "mean_hundredths": 450 })
    );
    assert!(feedback["weeks"][0].get("nps").is_none());
    // Pages, newest first.
    let page = admin(&app, "thank-you-nps", "limit=2").await;
    let ids = |page: &Value| -> Vec<String> {
        page["responses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["answers"]["nps"].to_string())
            .collect()
    };
    assert_eq!(ids(&page), ["5", "2"]);
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let next = admin(&app, "thank-you-nps", &format!("limit=2&cursor={cursor}")).await;
    assert_eq!(next["responses"].as_array().unwrap().len(), 2);
    let cursor = next["next_cursor"].as_str().unwrap().to_owned();
    let last = admin(&app, "thank-you-nps", &format!("limit=2&cursor={cursor}")).await;
    assert_eq!(last["responses"].as_array().unwrap().len(), 1);
    assert!(last.get("next_cursor").is_none());
    app.get(
        "/v1/shops/demo/admin/surveys/thank-you-nps/responses?limit=0",
        Some(DEMO_API_KEY),
    )
    .await
    .assert_error(400, "bad_request");
    app.get(
        "/v1/shops/demo/admin/surveys/thank-you-nps/responses?format=xml",
        Some(DEMO_API_KEY),
    )
    .await
    .assert_error(422, "validation_failed");
    app.get("/v1/shops/demo/admin/surveys/thank-you-nps/responses", None)
        .await
        .assert_error(401, "unauthorized");
    app.get(
        "/v1/shops/demo/admin/surveys/nope/responses",
        Some(DEMO_API_KEY),
    )
    .await
    .assert_error(404, "not_found");

    // The CSV: every response, newest first, formulas defused, quoting kept.
    let csv = app
        .get(
            "/v1/shops/demo/admin/surveys/thank-you-nps/responses?format=csv",
            Some(DEMO_API_KEY),
        )
        .await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    let lines: Vec<&str> = csv.text.lines().collect();
    assert_eq!(
        lines[0],
        "id,version,answered_at,customer_id,order_id,products,page,locale,reward,nps,reason"
    );
    assert_eq!(csv.text.matches("\n").count(), 7, "{}", csv.text);
    let formula_row = lines[1];
    assert!(formula_row.ends_with(",none,5,'=1+1"), "{formula_row}");
    assert!(
        formula_row.contains(",2027-02-28T16:00:01Z,"),
        "{formula_row}"
    );
    let tricky_row = format!("{}\n{}", lines[2], lines[3]);
    assert!(
        tricky_row.contains(",2027-02-28T16:00:00Z,c-9,'=cmd|' /C calc'!A0,a b,/thank-you.html,en,none,2,\"Too \"\"strong\"\", and bitter\nreally\""),
        "{tricky_row}"
    );
    // Multiple choice joined with `;`.
    let csv = app
        .get(
            "/v1/shops/demo/admin/surveys/feedback/responses?format=csv",
            Some(DEMO_API_KEY),
        )
        .await;
    assert!(csv
        .text
        .lines()
        .next()
        .unwrap()
        .ends_with(",effort,channels"));
    assert!(csv.text.contains(",6,wechat;card"), "{}", csv.text);
}

pub async fn versions_are_immutable_and_older_ones_still_accepted(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let v1 = respond(&app, "thank-you-nps", "v1-0", None, &nps(9)).await;
    assert_eq!(v1.status, 201, "{}", v1.text);
    // The questions changed without a new version: refused at start, naming it.
    let changed = config(1, "optional = true\n");
    let second = app.second_instance(&changed).await;
    let error = publish(&second.state).await.unwrap_err().to_string();
    assert_eq!(
        error,
        "shops.demo.surveys[0] (`thank-you-nps`): its questions changed since version 1 was published; raise `version`"
    );
    drop(second);
    // Texts may change in place.
    let retitled = config(1, "").replace("Recommend us?", "Would you recommend us?");
    let second = app.second_instance(&retitled).await;
    publish(&second.state).await.unwrap();
    drop(second);
    // Version 2 with the change is published; an answer queued under version 1 is
    // still checked against version 1 and kept under it.
    let v2 = app.second_instance(&config(2, "optional = true\n")).await;
    publish(&v2.state).await.unwrap();
    let old = respond(&v2, "thank-you-nps", "v1-1", None, &nps(3)).await;
    assert_eq!(old.status, 201, "{}", old.text);
    let missing = respond(
        &v2,
        "thank-you-nps",
        "v1-2",
        None,
        &json!({ "version": 1, "answers": {} }),
    )
    .await;
    missing.assert_error(422, "validation_failed");
    assert!(missing.text.contains("question `nps`"), "{}", missing.text);
    let new = respond(
        &v2,
        "thank-you-nps",
        "v2-0",
        None,
        &json!({ "version": 2, "answers": {} }),
    )
    .await;
    assert_eq!(new.status, 201, "{}", new.text);
    let report = admin(&v2, "thank-you-nps", "").await;
    assert_eq!(report["version"], 2);
    let weeks: Vec<(i64, i64)> = report["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["version"].as_i64().unwrap(),
                w["responses"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(weeks, [(2, 1), (1, 2)]);
    assert_eq!(report["weeks"][0]["nps"]["responses"], 0);
    let only_v1 = admin(&v2, "thank-you-nps", "version=1").await;
    assert_eq!(only_v1["responses"].as_array().unwrap().len(), 2);
    drop(v2);
    // Going back to version 1 is refused too.
    let error = publish(&app.state).await.unwrap_err().to_string();
    assert!(
        error
            .starts_with("shops.demo.surveys[0] (`thank-you-nps`): version 2 was published before"),
        "{error}"
    );
    // And `serve` runs the check before it listens: the real binary refuses to start.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("comeback.toml");
    std::fs::write(&path, config(2, "")).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_comeback-server"))
        .args(["serve", "--config", path.to_str().unwrap()])
        .env("HOST", "127.0.0.1")
        .env("PORT", "0")
        .env("DATABASE_URL", &app.url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(30) {
            let _ = child.kill();
            panic!("the server started with a changed survey version");
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(!status.success());
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(
        stderr.contains("shops.demo.surveys[0] (`thank-you-nps`): its questions changed since version 2 was published; raise `version`"),
        "{stderr}"
    );
}

pub async fn the_demo_shows_both_surveys_and_weeks_of_answers(backend: Backend) {
    let demo = include_str!("../../../comeback.demo.toml");
    let Some(app) = TestApp::spawn_with(backend, demo, Settings::default()).await else {
        return;
    };
    publish(&app.state).await.unwrap();
    // Twice: the seed changes nothing the second time.
    comeback_server::routes::demo::seed(&app.state)
        .await
        .unwrap();
    comeback_server::routes::demo::seed(&app.state)
        .await
        .unwrap();
    let session = app.get("/demo/session", None).await;
    let token = session.body["token"].as_str().unwrap().to_owned();
    // The account page: the last delivery's survey, for the newest kept order.
    let account = app
        .get(
            "/v1/shops/demo/surveys/due?trigger=days-after-order&locale=zh-Hant",
            Some(&token),
        )
        .await;
    assert_eq!(account.status, 200, "{}", account.text);
    assert_eq!(verdict(&account.body), "delivery-csat demo-order-1004");
    assert_eq!(account.body["survey"]["reward_points"], 20);
    assert_eq!(account.body["survey"]["title"], "這次配送還滿意嗎？");
    // The thank-you page after a checkout (no cooldown in the demo).
    let thanks = app
        .get(
            "/v1/shops/demo/surveys/due?trigger=order-complete&order=demo-new&locale=zh-Hans",
            Some(&token),
        )
        .await;
    assert_eq!(verdict(&thanks.body), "thank-you-nps demo-new");
    assert_eq!(
        thanks.body["survey"]["questions"].as_array().unwrap().len(),
        2
    );
    for (survey, responses, key) in [("thank-you-nps", 28, "nps"), ("delivery-csat", 19, "csat")] {
        let report = app
            .get(
                &format!("/v1/shops/demo/admin/surveys/{survey}/responses"),
                Some("demo-api-key-not-for-production-0123456789"),
            )
            .await;
        assert_eq!(report.status, 200, "{}", report.text);
        assert_eq!(report.body["responses_total"], responses, "{survey}");
        let weeks = report.body["weeks"].as_array().unwrap();
        assert!(weeks.len() >= 8, "{survey}: {weeks:?}");
        assert!(
            weeks.iter().all(|w| w[key]["responses"].as_u64() > Some(0)),
            "{weeks:?}"
        );
    }
}
