//! Partial refunds: the order sent again as `refunded` with a cumulative `refund_total`
//! or `refunded_lines` takes points back in proportion (rounded against the shopper);
//! a repeat, or a smaller amount than before, changes nothing; without those fields the
//! rest of the order is refunded, as before.

use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp};

fn order(status: &str, extra: Value) -> Value {
    let mut body = json!({
        "id": "o-1",
        "customer_id": "c-1",
        "status": status,
        "currency": "CNY",
        "total": 30_000,
        "lines": [
            { "product_id": "sku-1", "quantity": 2, "unit_price": 10_000 },
            { "product_id": "sku-2", "quantity": 1, "unit_price": 10_000 },
        ],
    });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        for (key, value) in extra {
            body.insert(key.clone(), value.clone());
        }
    }
    body
}

async fn refund(app: &TestApp, extra: Value) -> Value {
    let response = app.webhook(&order("refunded", extra)).await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
    json!([
        response.body["points"],
        response.body["balance"],
        response.body["duplicate"]
    ])
}

pub async fn partial_refunds_take_back_in_proportion_once(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let paid = app.webhook(&order("paid", json!({}))).await;
    assert_eq!(paid.body["points"], json!(300), "{}", paid.text);

    // A third of the order: a third of its points.
    assert_eq!(
        refund(&app, json!({ "refund_total": 10_000 })).await,
        json!([-100, 200, false])
    );
    assert_eq!(
        refund(&app, json!({ "refund_total": 10_000 })).await,
        json!([0, 200, true])
    );
    let me = app.me("c-1").await;
    assert_eq!(
        (
            me.body["balance"].clone(),
            me.body["lifetime_points"].clone()
        ),
        (json!(200), json!(200))
    );

    // Both units of sku-1 so far (20 000 of 30 000): another third.
    assert_eq!(
        refund(
            &app,
            json!({ "refunded_lines": [{ "product_id": "sku-1", "quantity": 2 }] })
        )
        .await,
        json!([-100, 100, false])
    );
    // Less than already refunded changes nothing.
    assert_eq!(
        refund(&app, json!({ "refund_total": 5_000 })).await,
        json!([0, 100, true])
    );
    // The rest of the order, as before: everything it earned is back.
    assert_eq!(refund(&app, json!({})).await, json!([-100, 0, false]));
    assert_eq!(refund(&app, json!({})).await, json!([0, 0, true]));
    let history = app.me("c-1").await.body["history"].clone();
    let refunds: Vec<&Value> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["kind"] == "order_refunded")
        .collect();
    assert_eq!(refunds.len(), 3, "{history}");
    assert_eq!(app.me("c-1").await.body["lifetime_points"], json!(0));
}

pub async fn partial_refunds_revoke_what_was_spent_and_round_against_the_shopper(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let paid = app
        .webhook(&order("paid", json!({ "total": 70_001, "lines": [] })))
        .await;
    assert_eq!(paid.body["points"], json!(700), "{}", paid.text);
    let redeemed = app.redeem("c-1", "k-1", "off-10").await;
    assert_eq!(redeemed.body["balance"], json!(200), "{}", redeemed.text);
    // A third of 700 is 233.33: 234 are taken. 200 come from the balance; the code
    // bought with the order's points is revoked for the other 34 and the 466 of its
    // price the refund did not need come back (issue 9: nothing is forgiven).
    let response = app
        .webhook(&order(
            "refunded",
            json!({ "total": 70_001, "lines": [], "refund_total": 23_334 }),
        ))
        .await;
    assert_eq!(
        (
            response.body["points"].clone(),
            response.body["balance"].clone()
        ),
        (json!(266), json!(466)),
        "{}",
        response.text
    );
    let me = app.me("c-1").await;
    assert_eq!(me.body["lifetime_points"], json!(700 - 234));
    assert_eq!(me.body["codes"], json!([]));
    let (revoked, refunded) = (me.body["history"][0].clone(), me.body["history"][1].clone());
    assert_eq!(
        (revoked["kind"].clone(), revoked["points"].clone()),
        (json!("order_refunded"), json!(466))
    );
    assert_eq!(
        (
            refunded["kind"].clone(),
            refunded["points"].clone(),
            refunded["forgiven"].clone()
        ),
        (json!("order_refunded"), json!(-200), json!(0))
    );
}

pub async fn bad_partial_refunds_are_named(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.webhook(&order("paid", json!({}))).await;
    let cases = [
        ("paid", json!({ "refund_total": 1 }), "`refund_total`"),
        (
            "refunded",
            json!({ "refund_total": 1, "refunded_lines": [{ "product_id": "sku-1", "quantity": 1 }] }),
            "not both",
        ),
        (
            "refunded",
            json!({ "refund_total": 30_001 }),
            "`refund_total`",
        ),
        ("refunded", json!({ "refund_total": -1 }), "`refund_total`"),
        (
            "refunded",
            json!({ "refunded_lines": [{ "product_id": "sku-9", "quantity": 1 }] }),
            "`refunded_lines[0].product_id`",
        ),
        (
            "refunded",
            json!({ "refunded_lines": [{ "product_id": "sku-2", "quantity": 2 }] }),
            "`refunded_lines[0].quantity`",
        ),
    ];
    for (status, extra, named) in cases {
        let response = app.webhook(&order(status, extra.clone())).await;
        response.assert_error(422, "validation_failed");
        assert!(response.text.contains(named), "{extra}: {}", response.text);
    }
    assert_eq!(
        app.me("c-1").await.body["balance"],
        json!(300),
        "nothing was taken back"
    );
}

/// [`crate::helpers::CONFIG`] with a card of 3 tea orders of at least ¥10.
fn card_config() -> String {
    format!(
        r#"{}
[[shops.demo.loyalty.rewards]]
id = "free-tea"
kind = "free_product"
product_id = "tea-sample"
name = {{ en = "A free tea" }}

[[shops.demo.loyalty.punch_cards]]
id = "teas"
name = {{ en = "Buy 3 teas" }}
required = 3
reward = "free-tea"
min_spend = 1000
product_ids = ["tea-1", "tea-2"]
"#,
        crate::helpers::CONFIG
    )
}

async fn stamps(app: &TestApp) -> Value {
    let me = app.me("c-1").await;
    me.body["punch_cards"][0]["filled"].clone()
}

fn tea_order(id: &str, status: &str, tea: &str, tea_price: i64, extra: Value) -> Value {
    let mut body = json!({
        "id": id,
        "customer_id": "c-1",
        "status": status,
        "currency": "CNY",
        "total": tea_price + 700,
        "lines": [
            { "product_id": tea, "quantity": 1, "unit_price": tea_price },
            { "product_id": "cup", "quantity": 1, "unit_price": 700 },
        ],
    });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        for (key, value) in extra {
            body.insert(key.clone(), value.clone());
        }
    }
    body
}

pub async fn partial_refunds_take_stamps_that_no_longer_qualify(backend: Backend) {
    let config = card_config();
    let Some(app) = TestApp::spawn_with(
        backend,
        &config,
        comeback_server::config::Settings::default(),
    )
    .await
    else {
        return;
    };
    // Refunding the tea leaves a cup: the order no longer stamps the tea card.
    app.webhook(&tea_order("o-1", "paid", "tea-1", 800, json!({})))
        .await;
    assert_eq!(stamps(&app).await, json!(1));
    let refund = json!({ "refunded_lines": [{ "product_id": "tea-1", "quantity": 1 }] });
    let response = app
        .webhook(&tea_order("o-1", "refunded", "tea-1", 800, refund))
        .await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
    assert_eq!(stamps(&app).await, json!(0));

    // Refunding ¥5 of ¥19 keeps ¥14 of tea: still a stamp; ¥8 more leaves ¥6: none.
    app.webhook(&tea_order("o-2", "paid", "tea-2", 1200, json!({})))
        .await;
    assert_eq!(stamps(&app).await, json!(1));
    let partly = json!({ "refund_total": 500 });
    app.webhook(&tea_order("o-2", "refunded", "tea-2", 1200, partly))
        .await;
    assert_eq!(stamps(&app).await, json!(1));
    let more = json!({ "refund_total": 1300 });
    app.webhook(&tea_order("o-2", "refunded", "tea-2", 1200, more))
        .await;
    assert_eq!(stamps(&app).await, json!(0));
}
