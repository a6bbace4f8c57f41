//! Order webhooks: signatures, earning once, refunds, and validation.

use comeback_server::auth::sign_webhook;
use serde_json::json;

use crate::helpers::{Backend, TestApp, DEMO_WEBHOOK_SECRET};

pub async fn signatures_are_checked(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let body = json!({
        "id": "o-sig", "customer_id": "c-1", "status": "paid", "currency": "CNY", "total": 10000
    })
    .to_string();
    let now = app.state.clock.now();
    let good = sign_webhook(DEMO_WEBHOOK_SECRET, now, body.as_bytes());
    let wrong = sign_webhook("some-other-secret-some-other-secret", now, body.as_bytes());
    let stale_t = now - 301;
    let stale = sign_webhook(DEMO_WEBHOOK_SECRET, stale_t, body.as_bytes());

    for (what, header) in [
        ("wrong secret", Some(format!("t={now},v1={wrong}"))),
        ("stale", Some(format!("t={stale_t},v1={stale}"))),
        ("missing", None),
        ("malformed", Some(format!("v1={good}"))),
        ("not hex", Some(format!("t={now},v1=xyz"))),
        ("other timestamp", Some(format!("t={},v1={good}", now + 1))),
    ] {
        let response = app.webhook_raw("demo", &body, header.as_deref()).await;
        response.assert_error(401, "unauthorized");
        assert!(!what.is_empty());
    }
    // The signature covers the exact bytes: a re-serialised body does not match.
    let spaced = body.replace(',', ", ");
    let response = app
        .webhook_raw("demo", &spaced, Some(&format!("t={now},v1={good}")))
        .await;
    response.assert_error(401, "unauthorized");
    // Nothing was recorded by the refused deliveries.
    assert_eq!(app.me("c-1").await.body["balance"], 0);

    // Several v1 values (secret rotation): one match is enough.
    let header = format!("t={now},v1={wrong},v1={good}");
    let response = app.webhook_raw("demo", &body, Some(&header)).await;
    assert_eq!(response.status, 200, "{}", response.text);
    assert_eq!(response.body["points"], 100);
}

pub async fn paid_order_earns_once(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let first = app.pay("c-1", "o-1", 12_850).await;
    assert_eq!(
        first,
        json!({ "order_id": "o-1", "points": 128, "balance": 128, "duplicate": false })
    );
    let again = app.pay("c-1", "o-1", 12_850).await;
    assert_eq!(
        again,
        json!({ "order_id": "o-1", "points": 0, "balance": 128, "duplicate": true })
    );
    let me = app.me("c-1").await.body;
    assert_eq!(
        (me["balance"].as_i64(), me["lifetime_points"].as_i64()),
        (Some(128), Some(128))
    );
    assert_eq!(me["history"].as_array().unwrap().len(), 1);
    assert_eq!(me["history"][0]["kind"], "order_paid");
    assert_eq!(me["history"][0]["reference"], "o-1");
}

pub async fn refund_takes_back_and_revokes_what_was_spent(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    // Plain refund: everything comes back out.
    app.pay("c-1", "o-1", 30_000).await;
    let refund = app.order("c-1", "o-1", "refunded", 30_000).await;
    assert_eq!(refund.status, 200, "{}", refund.text);
    assert_eq!(refund.body["points"], -300);
    assert_eq!(refund.body["balance"], 0);
    let repeat = app.order("c-1", "o-1", "refunded", 30_000).await;
    assert_eq!(
        (
            repeat.body["duplicate"].as_bool(),
            repeat.body["points"].as_i64()
        ),
        (Some(true), Some(0))
    );

    // Spent before the refund: the balance goes first, then the unused code bought
    // with the refunded points is revoked (issue 9: nothing is forgiven any more).
    app.pay("c-2", "o-2", 60_000).await;
    assert_eq!(app.redeem("c-2", "k-1", "off-10").await.status, 201);
    let refund = app.order("c-2", "o-2", "refunded", 60_000).await;
    assert_eq!(refund.body["points"], -100);
    assert_eq!(refund.body["balance"], 0);
    let me = app.me("c-2").await.body;
    assert_eq!(me["balance"], 0);
    assert_eq!(me["lifetime_points"], 0);
    assert_eq!(me["codes"], serde_json::json!([]));
    let (revoked, refunded) = (&me["history"][0], &me["history"][1]);
    assert_eq!(revoked["kind"], "order_refunded");
    assert_eq!(revoked["points"], 0);
    assert_eq!(refunded["kind"], "order_refunded");
    assert_eq!(refunded["points"], -100);
    assert_eq!(refunded["forgiven"], 0);
}

pub async fn refund_before_payment_cancels_the_payment(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let refund = app.order("c-1", "o-late", "refunded", 20_000).await;
    assert_eq!(refund.status, 200, "{}", refund.text);
    assert_eq!(
        (
            refund.body["points"].as_i64(),
            refund.body["duplicate"].as_bool()
        ),
        (Some(0), Some(false))
    );
    let paid = app.pay("c-1", "o-late", 20_000).await;
    assert_eq!(paid["points"], 0, "a refunded order earns nothing");
    let me = app.me("c-1").await.body;
    assert_eq!(
        (me["balance"].as_i64(), me["lifetime_points"].as_i64()),
        (Some(0), Some(0))
    );
}

pub async fn bad_orders_are_refused(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let order = |currency: &str, id: &str, customer: &str, total: i64| json!({ "id": id, "customer_id": customer, "status": "paid", "currency": currency, "total": total });
    app.webhook(&order("USD", "o-1", "c-1", 100))
        .await
        .assert_error(422, "currency_mismatch");
    app.webhook(&order("CNY", "o-1", "c-1", -1))
        .await
        .assert_error(422, "validation_failed");
    app.webhook(&order("CNY", "", "c-1", 100))
        .await
        .assert_error(422, "validation_failed");
    app.webhook(&order("CNY", "o-1", "", 100))
        .await
        .assert_error(422, "validation_failed");
    let mut bad_date = order("CNY", "o-1", "c-1", 100);
    bad_date["created_at"] = json!("yesterday");
    app.webhook(&bad_date)
        .await
        .assert_error(422, "validation_failed");
    // Signed but not an order.
    app.webhook(&json!({ "id": "o-1" }))
        .await
        .assert_error(400, "bad_request");
    let now = app.state.clock.now();
    let body = "{not json";
    let signature = format!(
        "t={now},v1={}",
        sign_webhook(DEMO_WEBHOOK_SECRET, now, body.as_bytes())
    );
    app.webhook_raw("demo", body, Some(&signature))
        .await
        .assert_error(400, "bad_request");
    // A refund naming another customer than the payment.
    app.pay("c-1", "o-9", 10_000).await;
    app.order("c-2", "o-9", "refunded", 10_000)
        .await
        .assert_error(422, "validation_failed");
    // Unknown shop.
    app.webhook_raw("nope", "{}", Some("t=1,v1=00"))
        .await
        .assert_error(404, "not_found");
}
