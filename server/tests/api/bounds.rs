//! Amounts are bounded where they enter (issue 9, money): order totals, prices and
//! refund totals 0..10^12 minor units, quantities 1..10^6, points 1..10^9 per change;
//! a sum that would leave `i64` is a 422 `amount_out_of_range`, never a panic; and no
//! JSON shape or number thrown at the order webhook or the adjustment endpoint gets a
//! 5xx.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Map, Value};

use crate::helpers::{Backend, TestApp, TestResponse, DEMO_API_KEY};

async fn adjust(app: &TestApp, key: &str, body: &Value) -> TestResponse {
    app.post_json(
        "/v1/shops/demo/admin/customers/c-1/adjustments",
        Some(DEMO_API_KEY),
        &[("idempotency-key", key)],
        body,
    )
    .await
}

fn order_with(field: &str, value: Value) -> Value {
    let mut order = json!({
        "id": "o-1", "customer_id": "c-1", "status": "paid", "currency": "CNY",
        "total": 10_000,
        "lines": [{ "product_id": "sku-1", "quantity": 1, "unit_price": 10_000 }],
    });
    match field.split_once('.') {
        Some((_, line_field)) => order["lines"][0][line_field] = value,
        None => order[field] = value,
    }
    order
}

fn assert_names(response: &TestResponse, code: &str, field: &str) {
    response.assert_error(422, code);
    let message = response.body["error"]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains(field), "{field} not named: {message}");
}

pub async fn amounts_out_of_bounds_are_refused_naming_the_field(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    for (field, value, named) in [
        ("total", json!(i64::MAX), "`total`"),
        ("total", json!(-1), "`total`"),
        ("total", json!(1_000_000_000_001_i64), "`total`"),
        ("lines.unit_price", json!(i64::MAX), "`lines[0].unit_price`"),
        ("lines.unit_price", json!(-5), "`lines[0].unit_price`"),
        ("lines.quantity", json!(0), "`lines[0].quantity`"),
        ("lines.quantity", json!(1_000_001), "`lines[0].quantity`"),
    ] {
        let response = app.webhook(&order_with(field, value)).await;
        assert_names(&response, "validation_failed", named);
    }
    // Within the money bounds but past the points one change may add.
    let response = app
        .webhook(&order_with("total", json!(1_000_000_000_000_i64)))
        .await;
    assert_names(&response, "amount_out_of_range", "`total`");
    let me = app.me("c-1").await;
    assert_eq!(me.body["balance"], json!(0), "nothing was credited");

    for (index, points) in [i64::MIN, i64::MAX, 1_000_000_001, -1_000_000_001]
        .into_iter()
        .enumerate()
    {
        let response = adjust(
            &app,
            &format!("k-{index}"),
            &json!({ "points": points, "reason": "test" }),
        )
        .await;
        assert_names(&response, "validation_failed", "`points`");
    }
    let response = adjust(
        &app,
        "k-ok",
        &json!({ "points": 1_000_000_000, "reason": "largest" }),
    )
    .await;
    assert_eq!(response.status, 201, "{}", response.text);

    let product = json!({
        "id": "sku-big", "title": { "en": "Big" }, "price": 1_000_000_000_001_i64,
        "url": "/big", "in_stock": true, "updated_at": "2027-03-01T08:00:00Z",
    });
    let request = axum::http::Request::put("/v1/shops/demo/admin/products/sku-big")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {DEMO_API_KEY}"))
        .body(axum::body::Body::from(product.to_string()))
        .unwrap();
    let response = app.send(request).await;
    assert_names(&response, "validation_failed", "`price`");
}

pub async fn a_balance_near_the_limit_is_refused_not_a_panic(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let seed = adjust(&app, "k-seed", &json!({ "points": 1, "reason": "seed" })).await;
    assert_eq!(seed.status, 201, "{}", seed.text);
    app.execute(&format!(
        "INSERT INTO ledger_entries (id, shop_id, customer_id, kind, points, lifetime, \
         reference, created_at) VALUES ('huge', 'demo', 'c-1', 'adjusted', {big}, {big}, \
         'imported', 0)",
        big = i64::MAX - 10
    ))
    .await;
    let response = adjust(&app, "k-1", &json!({ "points": 100, "reason": "more" })).await;
    response.assert_error(422, "amount_out_of_range");
    let response = app.order("c-1", "o-1", "paid", 50_000).await;
    response.assert_error(422, "amount_out_of_range");
    let me = app.me("c-1").await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.body["balance"], json!(i64::MAX - 9));
    // Spending still works.
    let response = adjust(&app, "k-2", &json!({ "points": -100, "reason": "less" })).await;
    assert_eq!(response.status, 201, "{}", response.text);
}

/// Any JSON value, numbers of every size included.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|x| serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)),
        prop_oneof![Just(i64::MIN), Just(i64::MAX), Just(0_i64), Just(-1_i64)]
            .prop_map(Value::from),
        "[a-z0-9-]{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,12}", inner, 0..5)
                .prop_map(|map| Value::Object(map.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// An order webhook whose fields are each kept, dropped or replaced by any JSON.
fn order_shapes() -> impl Strategy<Value = Value> {
    let fields = [
        ("id", json!("o-1")),
        ("customer_id", json!("c-1")),
        ("status", json!("paid")),
        ("currency", json!("CNY")),
        ("total", json!(10_000)),
        (
            "lines",
            json!([{ "product_id": "sku-1", "quantity": 1, "unit_price": 10_000 }]),
        ),
        ("refund_total", json!(5_000)),
        (
            "refunded_lines",
            json!([{ "product_id": "sku-1", "quantity": 1 }]),
        ),
        ("discount_codes", json!(["TEA-AAAA-AAAA"])),
    ];
    let choices: Vec<_> = fields
        .into_iter()
        .map(|(name, valid)| {
            prop_oneof![
                3 => Just(Some(valid)),
                1 => Just(None),
                2 => any_json().prop_map(Some),
            ]
            .prop_map(move |value| (name, value))
        })
        .collect();
    (choices, proptest::bool::ANY).prop_map(|(fields, refunded)| {
        let mut order = Map::new();
        for (name, value) in fields {
            if let Some(value) = value {
                order.insert(name.to_owned(), value);
            }
        }
        if refunded && order.get("status") == Some(&json!("paid")) {
            order.insert("status".into(), json!("refunded"));
        }
        Value::Object(order)
    })
}

fn adjustment_shapes() -> impl Strategy<Value = Value> {
    prop_oneof![
        (any::<i64>(), "[a-z ]{0,8}")
            .prop_map(|(points, reason)| json!({ "points": points, "reason": reason })),
        (any_json(), any_json())
            .prop_map(|(points, reason)| json!({ "points": points, "reason": reason })),
        any_json(),
    ]
}

fn never_5xx(response: &TestResponse, body: &Value) -> Result<(), TestCaseError> {
    prop_assert!(
        response.status.as_u16() < 500,
        "{} for {body}: {}",
        response.status,
        response.text
    );
    Ok(())
}

pub async fn no_json_shape_gets_a_server_error(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let handle = tokio::runtime::Handle::current();
    let mut runner = TestRunner::new(Config {
        cases: 96,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        order_shapes(),
        any_json(),
        adjustment_shapes(),
        0_u32..1_000,
    );
    let result = runner.run(&strategy, |(order, noise, adjustment, key)| {
        tokio::task::block_in_place(|| {
            handle.block_on(async {
                let response = app.webhook(&order).await;
                never_5xx(&response, &order)?;
                let response = app.webhook(&noise).await;
                never_5xx(&response, &noise)?;
                let response = adjust(&app, &format!("k-{key}"), &adjustment).await;
                never_5xx(&response, &adjustment)?;
                let me = app.me("c-1").await;
                prop_assert_eq!(me.status.as_u16(), 200, "{}", me.text);
                let balance = me.body["balance"].as_i64().unwrap_or(-1);
                prop_assert!(balance >= 0, "balance {balance}");
                Ok(())
            })
        })
    });
    if let Err(error) = result {
        panic!("{error}");
    }
}
