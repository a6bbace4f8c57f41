//! Reloading the configuration (`SIGHUP`): the new shops are served at once, answers
//! kept from the old settings are forgotten, and a reload that would change a published
//! survey is refused without changing anything.

use axum::body::Body;
use axum::http::{Method, Request};
use comeback_server::config::Config;

use crate::helpers::{Backend, TestApp, CONFIG};

/// [`CONFIG`] with its text replaced where `edits` say (each edit must apply).
fn edited(edits: &[(&str, &str)]) -> Config {
    let mut text = CONFIG.to_owned();
    for (from, to) in edits {
        assert!(text.contains(from), "the test config has no `{from}`");
        text = text.replacen(from, to, 1);
    }
    Config::parse(&text).expect("edited config is valid")
}

pub(crate) const SURVEY: &str = r#"
[[shops.demo.surveys]]
id = "after-order"
version = 1
trigger = "order_complete"
recontact = { per = "order", until = "once" }
title = { en = "Thank you" }
thanks = { en = "Thanks" }

[[shops.demo.surveys.questions]]
id = "score"
type = "KIND"
text = { en = "How was it?" }
"#;

pub(crate) async fn reward_cost(app: &TestApp, shop: &str, reward: &str) -> i64 {
    let programme = app
        .get(&format!("/v1/shops/{shop}/loyalty/programme"), None)
        .await;
    assert_eq!(programme.status, 200, "{}", programme.text);
    programme.body["rewards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == reward)
        .unwrap_or_else(|| panic!("no reward {reward}: {}", programme.text))["cost"]
        .as_i64()
        .unwrap()
}

fn affordable(me: &serde_json::Value, reward: &str) -> bool {
    me["rewards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == reward)
        .unwrap()["affordable"]
        .as_bool()
        .unwrap()
}

async fn allowed_origin(app: &TestApp, origin: &str) -> Option<String> {
    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri("/v1/shops/demo/loyalty/programme")
        .header("origin", origin)
        .header("access-control-request-method", "GET")
        .body(Body::empty())
        .unwrap();
    app.send(preflight)
        .await
        .header("access-control-allow-origin")
        .map(str::to_owned)
}

pub async fn a_reload_serves_the_new_shops_at_once(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.pay("c-1", "o-1", 70_000).await;
    let me = app.me("c-1").await;
    assert_eq!(me.body["balance"], 700);
    assert!(affordable(&me.body, "off-10"), "500 of 700 points");
    assert_eq!(reward_cost(&app, "demo", "off-10").await, 500);
    assert_eq!(allowed_origin(&app, "https://new.example").await, None);

    // The reward costs more, Full Bloom is reached at 710 points, another origin, the
    // shop's webhooks and a second shop are added.
    let config = edited(&[
        (
            "rate_limit_per_minute = 100000\n",
            "rate_limit_per_minute = 100000\n\n[shops.demo.webhooks]\nurl = \"http://127.0.0.1:9/hooks\"\n",
        ),
        ("value = 1000\ncost = 500", "value = 1000\ncost = 800"),
        ("threshold = 2000", "threshold = 710"),
        (
            "allowed_origins = [\"https://tea.example\"]",
            "allowed_origins = [\"https://tea.example\", \"https://new.example\"]",
        ),
        (
            "[shops.demo.loyalty]",
            "[shops.extra]\nname = \"Extra\"\ncurrency = \"EUR\"\ntoken_secrets = [\"test-token-secret-extra-0123456789abcdef\"]\nwebhook_secrets = [\"test-webhook-secret-extra-0123456789abcdef\"]\napi_keys = [\"test-api-key-extra-0123456789abcdef01234\"]\n\n[shops.extra.loyalty]\npoints_per_unit = 1\ncode_prefix = \"EX\"\n\n[[shops.extra.loyalty.rewards]]\nid = \"gift\"\nkind = \"free_shipping\"\ncost = 42\nname = { en = \"Gift\" }\n\n[shops.demo.loyalty]",
        ),
    ]);
    app.state.reload(config).await.expect("reloaded");

    assert_eq!(reward_cost(&app, "demo", "off-10").await, 800);
    let me = app.me("c-1").await;
    assert!(
        !affordable(&me.body, "off-10"),
        "the kept answer was forgotten: {}",
        me.text
    );
    assert_eq!(
        allowed_origin(&app, "https://new.example").await.as_deref(),
        Some("https://new.example")
    );
    assert_eq!(reward_cost(&app, "extra", "gift").await, 42);
    // The store follows the new ladder and webhooks: 20 more points reach the new Full
    // Bloom, and the shop is told.
    assert!(app.outbox_of("tier.changed").await.is_empty());
    app.pay("c-1", "o-2", 2_000).await;
    let me = app.me("c-1").await;
    assert_eq!(me.body["tier"]["current"], "bloom", "{}", me.text);
    let changed = app.outbox_of("tier.changed").await;
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(
        changed[0].event.payload.contains("\"bloom\""),
        "{changed:?}"
    );
}

pub async fn a_reload_that_changes_a_published_survey_changes_nothing(backend: Backend) {
    let survey = |kind: &str| {
        let mut text = CONFIG.to_owned();
        text.push_str(&SURVEY.replace("KIND", kind));
        text
    };
    let Some(app) = TestApp::spawn_with(
        backend,
        &survey("nps"),
        comeback_server::config::Settings::default(),
    )
    .await
    else {
        return;
    };
    comeback_server::features::surveys::publish(&app.state)
        .await
        .expect("published at start");

    // The same version asking a CSAT score instead, and a cheaper reward: refused whole.
    let changed = Config::parse(&survey("csat").replacen(
        "value = 1000\ncost = 500",
        "value = 1000\ncost = 100",
        1,
    ))
    .unwrap();
    let refused = app.state.reload(changed).await.unwrap_err().to_string();
    assert!(
        refused.contains("after-order") && refused.contains("raise `version`"),
        "{refused}"
    );
    assert_eq!(reward_cost(&app, "demo", "off-10").await, 500);

    // With the version raised it is accepted.
    let raised = Config::parse(
        &survey("csat")
            .replacen("version = 1", "version = 2", 1)
            .replacen("value = 1000\ncost = 500", "value = 1000\ncost = 100", 1),
    )
    .unwrap();
    app.state.reload(raised).await.expect("reloaded");
    assert_eq!(reward_cost(&app, "demo", "off-10").await, 100);
}
