//! Feature sections are optional: a shop configured without loyalty starts, records its
//! orders and answers 404 on the loyalty endpoints.

use comeback_server::config::Settings;
use serde_json::json;

use crate::helpers::{Backend, TestApp, DEMO_KEYS};

/// The `demo` shop with no feature section at all.
fn plain_config() -> String {
    format!(
        "[shops.demo]\nname = \"Plain Tea\"\n{DEMO_KEYS}currency = \"CNY\"\nrate_limit_per_minute = 1000\n"
    )
}

pub async fn a_shop_without_loyalty_works(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, &plain_config(), Settings::default()).await else {
        return;
    };
    app.get("/v1/shops/demo/loyalty/programme", None)
        .await
        .assert_error(404, "not_found");
    app.me("c-1").await.assert_error(404, "not_found");
    let paid = app.pay("c-1", "o-1", 12_000).await;
    assert_eq!(
        (paid["points"].clone(), paid["duplicate"].clone()),
        (json!(0), json!(false))
    );
    let again = app.pay("c-1", "o-1", 12_000).await;
    assert_eq!(again["duplicate"], json!(true));
    let refunded = app.order("c-1", "o-1", "refunded", 12_000).await;
    assert_eq!(refunded.status.as_u16(), 200, "{}", refunded.text);
    assert_eq!(app.get("/healthz", None).await.status.as_u16(), 200);
}
