//! The help centre's content endpoint: articles rendered and sanitised, trees and
//! contact in the asked locale, the search index, and caching by entity tag.

use axum::body::Body;
use axum::http::{Method, Request};
use comeback_server::config::Settings;
use serde_json::Value;

use crate::helpers::{Backend, TestApp, DEMO_SECRET};

/// The `demo` shop with a help section only.
fn help_config() -> String {
    format!(
        r#"
[shops.demo]
name = "Cloud & Leaf Tea"
secret = "{DEMO_SECRET}"
currency = "CNY"
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
    TestApp::spawn_with(backend, &help_config(), Settings::default()).await
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
