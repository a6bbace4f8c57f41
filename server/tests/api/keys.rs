//! A shop's three kinds of key: each list's keys all verify (so one rotates without
//! downtime), and no kind of key stands in for another.

use comeback_server::auth::{mint_token, sign_webhook};
use comeback_server::config::Settings;
use serde_json::json;

use crate::helpers::{Backend, TestApp, CONFIG};

const NEW_TOKEN: &str = "rotated-token-secret-new-0123456789abcdef";
const OLD_TOKEN: &str = "rotated-token-secret-old-0123456789abcdef";
const NEW_HOOK: &str = "rotated-webhook-secret-new-0123456789abcd";
const OLD_HOOK: &str = "rotated-webhook-secret-old-0123456789abcd";
const NEW_API: &str = "rotated-api-key-new-0123456789abcdef0123";
const OLD_API: &str = "rotated-api-key-old-0123456789abcdef0123";

/// [`CONFIG`] with the `demo` shop in the middle of rotating every key.
fn rotating_config() -> String {
    let start = CONFIG
        .find("token_secrets = [\"test-token-secret-demo")
        .unwrap();
    let end = start + CONFIG[start..].find("allowed_origins").unwrap();
    format!(
        "{}token_secrets = [\"{NEW_TOKEN}\", \"{OLD_TOKEN}\"]\nwebhook_secrets = [\"{NEW_HOOK}\", \"{OLD_HOOK}\"]\napi_keys = [\"{NEW_API}\", \"{OLD_API}\"]\n{}",
        &CONFIG[..start],
        &CONFIG[end..]
    )
}

pub async fn every_listed_key_verifies_and_kinds_do_not_mix(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, &rotating_config(), Settings::default()).await
    else {
        return;
    };
    let now = app.state.clock.now();
    let me = "/v1/shops/demo/loyalty/me";
    let customer = "/v1/shops/demo/admin/customers/c-1";
    let body = json!({
        "id": "o-1", "customer_id": "c-1", "status": "paid", "currency": "CNY", "total": 1000,
        "lines": [{ "product_id": "sku-1", "quantity": 1, "unit_price": 1000 }],
    })
    .to_string();
    let signed = |secret: &str, order: &str| {
        let body = body.replace("o-1", order);
        let header = format!("t={now},v1={}", sign_webhook(secret, now, body.as_bytes()));
        (body, header)
    };

    // Every token secret verifies tokens; every webhook secret verifies webhooks; every
    // API key opens the backend routes.
    for (index, secret) in [NEW_TOKEN, OLD_TOKEN].into_iter().enumerate() {
        let token = mint_token(secret, "c-1", None, now, 600).unwrap();
        let response = app.get(me, Some(&token)).await;
        assert_eq!(
            response.status, 200,
            "token secret {index}: {}",
            response.text
        );
    }
    for (index, secret) in [NEW_HOOK, OLD_HOOK].into_iter().enumerate() {
        let (body, header) = signed(secret, &format!("o-{index}"));
        let response = app.webhook_raw("demo", &body, Some(&header)).await;
        assert_eq!(
            response.status, 200,
            "webhook secret {index}: {}",
            response.text
        );
    }
    for key in [NEW_API, OLD_API] {
        let response = app.get(customer, Some(key)).await;
        assert_eq!(response.status, 200, "{}", response.text);
        assert_eq!(response.body["balance"], 20);
    }

    // The API key cannot mint shopper tokens, nor sign webhooks; the token secret and
    // webhook secret are not API keys.
    for key in [NEW_API, OLD_API, NEW_HOOK] {
        let token = mint_token(key, "c-1", None, now, 600).unwrap();
        app.get(me, Some(&token))
            .await
            .assert_error(401, "unauthorized");
    }
    for key in [NEW_API, NEW_TOKEN] {
        let (body, header) = signed(key, "o-forged");
        app.webhook_raw("demo", &body, Some(&header))
            .await
            .assert_error(401, "unauthorized");
    }
    for key in [NEW_TOKEN, OLD_HOOK] {
        app.get(customer, Some(key))
            .await
            .assert_error(401, "unauthorized");
    }
}
