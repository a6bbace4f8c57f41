//! The help centre's content endpoint: articles rendered and sanitised, trees and
//! contact in the asked locale, the search index, and caching by entity tag.

use axum::body::Body;
use axum::http::{Method, Request};
use comeback_server::config::Settings;
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp, DEMO_API_KEY, DEMO_KEYS};

/// The `demo` shop with a help section only.
fn help_config() -> String {
    format!(
        r#"
[shops.demo]
name = "Cloud & Leaf Tea"
{DEMO_KEYS}currency = "CNY"
rate_limit_per_minute = 1000

[shops.demo.help.contact]
phone = "+86 21 5555 0100"
email = "help@tea.example"
hours = {{ en = "Mon-Fri 9:00-18:00", "zh-Hans" = "周一至周五 9:00-18:00", "zh-Hant" = "週一至週五 9:00-18:00" }}

[[shops.demo.help.articles]]
id = "points"
title = {{ en = "How points work", "zh-Hans" = "积分规则", "zh-Hant" = "積分規則" }}
body = {{ en = "Earn **1 point** per yuan.<script>alert(1)</script>", "zh-Hans" = "每消费一元得 **1 积分**。", "zh-Hant" = "每消費一元得 **1 積分**。" }}
tags = ["points"]
pages = ["/account*"]

[[shops.demo.help.articles]]
id = "shipping"
title = {{ en = "Shipping", "zh-Hans" = "运费说明", "zh-Hant" = "運費說明" }}
body = {{ en = "Free over ¥99. [Track](javascript:alert(1))", "zh-Hans" = "满 ¥99 免运费。", "zh-Hant" = "滿 ¥99 免運費。" }}

[[shops.demo.help.trees]]
id = "order-problem"
title = {{ en = "A problem with an order", "zh-Hans" = "订单问题", "zh-Hant" = "訂單問題" }}

[[shops.demo.help.trees.steps]]
id = "what"
question = {{ en = "What happened?", "zh-Hans" = "发生了什么？", "zh-Hant" = "發生了什麼？" }}
answers = [
  {{ label = {{ en = "It is late", "zh-Hans" = "迟到了", "zh-Hant" = "遲到了" }}, next = "late" }},
  {{ label = {{ en = "It arrived damaged", "zh-Hans" = "有损坏", "zh-Hant" = "有損壞" }}, next = "contact" }},
]

[[shops.demo.help.trees.steps]]
id = "contact"
contact = {{ en = "We are sorry. Tell us and we will make it right.", "zh-Hans" = "很抱歉，请联系我们。", "zh-Hant" = "很抱歉，請聯絡我們。" }}

[[shops.demo.help.trees.steps]]
id = "late"
solved = {{ en = "Most parcels arrive within 5 days.", "zh-Hans" = "大多数包裹 5 天内送达。", "zh-Hant" = "大多數包裹 5 天內送達。" }}
article = "shipping"
"#
    )
}

async fn help_app(backend: Backend) -> Option<TestApp> {
    // Events are only written: nothing listens on port 9.
    let config = format!(
        "{}\n[shops.demo.webhooks]\nurl = \"http://127.0.0.1:9/hooks\"\n",
        help_config()
    );
    TestApp::spawn_with(backend, &config, Settings::default()).await
}

const TICKETS: &str = "/v1/shops/demo/help/tickets";

fn ticket(message: &str) -> Value {
    json!({
        "message": message,
        "email": "lin@tea.example",
        "order_id": "o-1042",
        "context": {
            "tree": "order-problem",
            "path": [{"question": "What happened?", "answer": "It arrived damaged"}],
            "article": "shipping",
            "page": "/help",
            "locale": "en"
        }
    })
}

async fn ticket_events(app: &TestApp) -> Vec<Value> {
    app.outbox_of("help.ticket_created")
        .await
        .iter()
        .map(|row| serde_json::from_str(&row.event.payload).unwrap())
        .collect()
}

pub async fn help_content_comes_in_the_asked_locale_sanitised_and_indexed(backend: Backend) {
    let Some(app) = help_app(backend).await else {
        return;
    };
    let answer = app.get("/v1/shops/demo/help?locale=zh-TW", None).await;
    assert_eq!(answer.status.as_u16(), 200, "{}", answer.text);
    let body: Value = serde_json::from_str(&answer.text).unwrap();
    assert_eq!(body["locale"], "zh-Hant");
    assert_eq!(body["articles"][0]["title"], "積分規則");
    assert_eq!(
        body["articles"][0]["body_html"],
        "<p>每消費一元得 <strong>1 積分</strong>。</p>\n"
    );
    assert_eq!(body["articles"][0]["pages"][0], "/account*");
    assert_eq!(body["contact"]["hours"], "週一至週五 9:00-18:00");
    assert_eq!(body["contact"]["email"], "help@tea.example");
    // The tree starts at its first step, texts in the locale, leaves typed.
    let tree = &body["trees"][0];
    assert_eq!(tree["steps"][0]["id"], "what");
    assert_eq!(tree["steps"][0]["kind"], "question");
    assert_eq!(tree["steps"][0]["answers"][1]["label"], "有損壞");
    assert_eq!(tree["steps"][2]["kind"], "solved");
    assert_eq!(tree["steps"][2]["article"], "shipping");
    // The index is folded to Simplified and ships the pairs its content needs.
    let terms: Vec<&str> = body["index"]["terms"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(terms.contains(&"积分"), "{terms:?}");
    assert!(!terms.contains(&"積分"));
    let fold = body["index"]["fold"].as_str().unwrap();
    assert!(fold.contains("積积"), "{fold}");

    let english = app.get("/v1/shops/demo/help", None).await;
    let english: Value = serde_json::from_str(&english.text).unwrap();
    assert_eq!(english["locale"], "en");
    let html = english["articles"][0]["body_html"].as_str().unwrap();
    assert!(!html.contains("script"), "{html}");
    let html = english["articles"][1]["body_html"].as_str().unwrap();
    assert!(!html.contains("javascript"), "{html}");
    assert_eq!(english["articles"][1]["body_text"], "Free over ¥99. Track");
}

pub async fn help_answers_304_for_a_known_entity_tag(backend: Backend) {
    let Some(app) = help_app(backend).await else {
        return;
    };
    let first = app.get("/v1/shops/demo/help?locale=en", None).await;
    let etag = first.header("etag").expect("an entity tag").to_owned();
    assert!(first.header("cache-control").unwrap().contains("max-age"));
    let again = app
        .send(
            Request::builder()
                .method(Method::GET)
                .uri("/v1/shops/demo/help?locale=en")
                .header("if-none-match", &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status.as_u16(), 304);
    assert!(again.text.is_empty());
    let chinese = app.get("/v1/shops/demo/help?locale=zh-Hans", None).await;
    assert_ne!(chinese.header("etag"), Some(etag.as_str()));
}

pub async fn a_shop_without_help_answers_404(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.get("/v1/shops/demo/help", None)
        .await
        .assert_error(404, "not_found");
    app.get("/v1/shops/nope/help", None)
        .await
        .assert_error(404, "not_found");
}

pub async fn a_ticket_keeps_its_context_is_sent_once_and_lists_for_the_shop(backend: Backend) {
    let Some(app) = help_app(backend).await else {
        return;
    };
    let key = [("idempotency-key", "ticket-1")];
    let sent = app
        .post_json(TICKETS, None, &key, &ticket("The box was crushed"))
        .await;
    assert_eq!(sent.status.as_u16(), 201, "{}", sent.text);
    let id = sent.body["ticket_id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("H-") && id.len() == 11, "{id}");
    // A retry of the same ticket is the same ticket; the key with another body is refused.
    let again = app
        .post_json(TICKETS, None, &key, &ticket("The box was crushed"))
        .await;
    assert_eq!(again.status.as_u16(), 201);
    assert_eq!(again.body["ticket_id"], id.as_str());
    assert_eq!(again.header("idempotency-replayed"), Some("true"));
    app.post_json(TICKETS, None, &key, &ticket("Something else"))
        .await
        .assert_error(422, "idempotency_key_reused");

    let events = ticket_events(&app).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["ticket_id"], id.as_str());
    assert_eq!(events[0]["customer_id"], Value::Null);
    assert_eq!(
        events[0]["context"]["path"][0]["answer"],
        "It arrived damaged"
    );
    assert_eq!(events[0]["order_id"], "o-1042");

    // Signed in: the customer comes from the token, whatever the body says.
    let token = app.token("c-7");
    let mut body = ticket("Where is my order?");
    body["email"] = Value::Null;
    let mine = app
        .post_json(
            TICKETS,
            Some(&token),
            &[("idempotency-key", "ticket-2")],
            &body,
        )
        .await;
    assert_eq!(mine.status.as_u16(), 201, "{}", mine.text);

    let admin = app
        .get(
            "/v1/shops/demo/admin/help/tickets?limit=1",
            Some(DEMO_API_KEY),
        )
        .await;
    assert_eq!(admin.status.as_u16(), 200, "{}", admin.text);
    let page: Value = serde_json::from_str(&admin.text).unwrap();
    assert_eq!(page["tickets"].as_array().unwrap().len(), 1);
    let newest = &page["tickets"][0];
    let cursor = page["next_before"].as_str().unwrap().to_owned();
    let rest = app
        .get(
            &format!("/v1/shops/demo/admin/help/tickets?before={cursor}"),
            Some(DEMO_API_KEY),
        )
        .await;
    let rest: Value = serde_json::from_str(&rest.text).unwrap();
    let both: Vec<&Value> = [newest]
        .into_iter()
        .chain(rest["tickets"].as_array().unwrap())
        .collect();
    // Both tickets, each once, though they share a second.
    assert_eq!(both.len(), 2, "{both:?}");
    let signed_in = both.iter().find(|t| t["customer_id"] == "c-7").unwrap();
    assert_eq!(signed_in["message"], "Where is my order?");
    assert_eq!(signed_in["email"], Value::Null);
    assert!(rest.get("next_before").is_none());
    app.get("/v1/shops/demo/admin/help/tickets", None)
        .await
        .assert_error(401, "unauthorized");
}

pub async fn bad_tickets_are_refused_naming_the_field(backend: Backend) {
    let Some(app) = help_app(backend).await else {
        return;
    };
    let send = |body: Value, token: Option<String>, key: &'static str| {
        let app = &app;
        async move {
            app.post_json(
                TICKETS,
                token.as_deref(),
                &[("idempotency-key", key)],
                &body,
            )
            .await
        }
    };
    let mut no_email = ticket("Hello");
    no_email["email"] = Value::Null;
    let refused = send(no_email, None, "k1").await;
    refused.assert_error(422, "validation_failed");
    assert!(
        refused.text.contains("`email` is required"),
        "{}",
        refused.text
    );
    let refused = send(ticket("   "), None, "k2").await;
    assert!(
        refused.text.contains("`message` must not be empty"),
        "{}",
        refused.text
    );
    let refused = send(ticket(&"x".repeat(4001)), None, "k3").await;
    assert!(
        refused.text.contains("`message` is longer than 4000"),
        "{}",
        refused.text
    );
    let mut bad_email = ticket("Hello");
    bad_email["email"] = json!("lin@tea");
    assert!(send(bad_email, None, "k4")
        .await
        .text
        .contains("`email` is not an email address"));
    let mut unknown_tree = ticket("Hello");
    unknown_tree["context"]["tree"] = json!("nope");
    assert!(send(unknown_tree, None, "k5")
        .await
        .text
        .contains("`context.tree`: no tree `nope`"));
    let mut extra = ticket("Hello");
    extra["customer_id"] = json!("c-1");
    send(extra, None, "k6")
        .await
        .assert_error(400, "bad_request");
    // A token that fails is refused, never turned into an anonymous ticket.
    send(ticket("Hello"), Some("not-a-token".into()), "k7")
        .await
        .assert_error(401, "unauthorized");
    app.post_json(TICKETS, None, &[], &ticket("Hello"))
        .await
        .assert_error(400, "idempotency_key_required");
    assert!(ticket_events(&app).await.is_empty());
}

pub async fn feedback_is_counted_per_article_and_leaf(backend: Backend) {
    let Some(app) = help_app(backend).await else {
        return;
    };
    let vote = |subject: &'static str, helpful: bool| {
        let app = &app;
        async move {
            app.post_json(
                "/v1/shops/demo/help/feedback",
                None,
                &[],
                &json!({"subject": subject, "helpful": helpful}),
            )
            .await
        }
    };
    for (subject, helpful) in [
        ("article:points", true),
        ("article:points", true),
        ("article:shipping", false),
        ("leaf:order-problem/late", false),
        ("leaf:order-problem/late", true),
    ] {
        let counted = vote(subject, helpful).await;
        assert_eq!(counted.status.as_u16(), 200, "{}", counted.text);
    }
    vote("article:nope", true)
        .await
        .assert_error(422, "validation_failed");
    // A question is not a leaf.
    vote("leaf:order-problem/what", true)
        .await
        .assert_error(422, "validation_failed");
    let report = app
        .get("/v1/shops/demo/admin/help/feedback", Some(DEMO_API_KEY))
        .await;
    let report: Value = serde_json::from_str(&report.text).unwrap();
    assert_eq!(
        report["counts"],
        json!([
            {"subject": "article:shipping", "helpful": 0, "not_helpful": 1},
            {"subject": "leaf:order-problem/late", "helpful": 1, "not_helpful": 1},
            {"subject": "article:points", "helpful": 2, "not_helpful": 0},
        ])
    );
}
