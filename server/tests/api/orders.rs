//! Orders for every feature: stored once with their lines and the optional webhook
//! fields, each field validated with a clear 422, unknown fields ignored.

use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp};

fn order(extra: Value) -> Value {
    let mut body = json!({
        "id": "o-1",
        "customer_id": "c-1",
        "status": "paid",
        "currency": "CNY",
        "total": 30_000,
        "lines": [
            { "product_id": "sku-1", "quantity": 2, "unit_price": 10_000 },
            { "product_id": "sku-2", "quantity": 1, "unit_price": 10_000,
              "subscription": { "plan_id": "tea-club", "interval": "P1M" } },
        ],
    });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        for (key, value) in extra {
            body.insert(key.clone(), value.clone());
        }
    }
    body
}

pub async fn orders_are_stored_with_their_lines_and_fields(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let paid = app
        .webhook(&order(json!({
            "email": " Lin.Mei@Example.COM ",
            "discount_codes": ["TEA-7KQM-X2PD", "SPRING10"],
            "referral_code": "lin-friend",
            "gift_wrap": true,
        })))
        .await;
    assert_eq!(paid.status.as_u16(), 200, "{}", paid.text);
    assert_eq!(paid.body["points"], json!(300));

    let stored = app.state.store.order("demo", "o-1").await.unwrap().unwrap();
    assert_eq!(stored.customer_id, "c-1");
    assert_eq!(stored.email.as_deref(), Some("lin.mei@example.com"));
    assert_eq!(stored.discount_codes, ["TEA-7KQM-X2PD", "SPRING10"]);
    assert_eq!(stored.referral_code.as_deref(), Some("lin-friend"));
    assert_eq!(stored.total, 30_000);
    assert_eq!(stored.lines.len(), 2);
    assert_eq!(
        (
            stored.lines[0].product_id.as_str(),
            stored.lines[0].quantity,
            stored.lines[0].unit_price
        ),
        ("sku-1", 2, 10_000)
    );
    let subscription = stored.lines[1].subscription.clone().unwrap();
    assert_eq!(
        (
            subscription.plan_id.as_str(),
            subscription.interval.as_str()
        ),
        ("tea-club", "P1M")
    );
    assert_eq!(stored.lines[0].subscription, None);

    // A repeat or the refund does not store the order again.
    let refund = app
        .webhook(&order(json!({ "status": "refunded", "lines": [] })))
        .await;
    assert_eq!(refund.status.as_u16(), 200, "{}", refund.text);
    let again = app.state.store.order("demo", "o-1").await.unwrap().unwrap();
    assert_eq!(again, stored);
    assert_eq!(app.state.store.order("demo", "o-9").await.unwrap(), None);
}

pub async fn bad_order_fields_are_named(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let cases = [
        (json!({ "email": "not an email" }), "`email`"),
        (
            json!({ "discount_codes": ["ok", "bad code"] }),
            "`discount_codes[1]`",
        ),
        (
            json!({ "discount_codes": vec!["X"; 21] }),
            "`discount_codes`",
        ),
        (json!({ "client_ip": "203.0.113" }), "`client_ip`"),
        (
            json!({ "lines": [{ "product_id": "a", "quantity": 0, "unit_price": 1 }] }),
            "`lines[0].quantity`",
        ),
        (
            json!({ "lines": [{ "product_id": "a", "quantity": 1, "unit_price": -1 }] }),
            "`lines[0].unit_price`",
        ),
        (
            json!({ "lines": [{ "product_id": "", "quantity": 1, "unit_price": 1 }] }),
            "`lines[0].product_id`",
        ),
        (
            json!({ "lines": [{ "product_id": "a", "quantity": 1, "unit_price": 1,
                     "subscription": { "plan_id": "p", "interval": "monthly" } }] }),
            "`lines[0].subscription.interval`",
        ),
    ];
    for (extra, named) in cases {
        let response = app.webhook(&order(extra.clone())).await;
        response.assert_error(422, "validation_failed");
        let message = response.body["error"]["message"]
            .as_str()
            .unwrap_or_default();
        assert!(message.contains(named), "{extra}: {message}");
    }
    let response = app
        .webhook(&order(
            json!({ "lines": [{ "product_id": "a", "quantity": 1, "unit_price": 1,
            "subscription": { "plan_id": "p" } }] }),
        ))
        .await;
    response.assert_error(400, "bad_request");
    // Nothing was recorded by the refused deliveries.
    assert_eq!(app.state.store.order("demo", "o-1").await.unwrap(), None);
    assert_eq!(app.me("c-1").await.body["balance"], json!(0));
}
