//! `GET /loyalty/me` reuses a process's snapshot only while it is current: a change
//! made by another process on the same database (an order, a consumed code) or the
//! passing of a code's expiry shows at the next view.

use serde_json::json;

use crate::helpers::{Backend, TestApp, CONFIG, DEMO_API_KEY};

pub async fn the_summary_follows_changes_made_by_another_process(backend: Backend) {
    let Some(a) = TestApp::spawn(backend).await else {
        return;
    };
    let b = a.second_instance(CONFIG).await;
    a.pay("c-1", "o-1", 60_000).await;
    let first = a.me("c-1").await;
    assert_eq!(first.body["balance"], json!(600));
    assert_eq!(
        a.me("c-1").await.body,
        first.body,
        "a repeat view is the same"
    );

    // Another process records an order and redeems: this one sees both.
    b.pay("c-1", "o-2", 20_000).await;
    let redeemed = b.redeem("c-1", "k-1", "off-10").await;
    assert_eq!(redeemed.status.as_u16(), 201, "{}", redeemed.text);
    let code = redeemed.body["code"].as_str().unwrap().to_owned();
    let after = a.me("c-1").await;
    assert_eq!(after.body["balance"], json!(300));
    assert_eq!(after.body["codes"][0]["code"], json!(code));

    // Another process consumes the code: it leaves the shopper's usable codes here.
    let consumed = b
        .post_json(
            &format!("/v1/shops/demo/discount-codes/{code}/consume"),
            Some(DEMO_API_KEY),
            &[],
            &json!({ "order_id": "o-3" }),
        )
        .await;
    assert_eq!(consumed.status.as_u16(), 200, "{}", consumed.text);
    assert_eq!(a.me("c-1").await.body["codes"], json!([]));

    // A code that expires later the same day leaves the view when it expires.
    let redeemed = a.redeem("c-1", "k-2", "free-shipping").await;
    assert_eq!(redeemed.status.as_u16(), 201, "{}", redeemed.text);
    assert_eq!(a.me("c-1").await.body["codes"].as_array().unwrap().len(), 1);
    let expires_at = redeemed.body["expires_at"].as_i64().unwrap();
    a.state.clock.advance(expires_at - a.state.clock.now());
    assert_eq!(a.me("c-1").await.body["codes"], json!([]));
    drop(b);
}
