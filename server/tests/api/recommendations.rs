//! Recommendations: the endpoint's checks, also-bought from other customers' orders,
//! stock read at request time, buy-again on the customer's own cadence, the fallback
//! for signed-out shoppers, for-you following the catalogue's categories, orders stored
//! by another process reaching the model, and the `import orders` command.

use comeback_server::config::Settings;
use comeback_server::features::recommendations::FollowJob;
use comeback_server::scheduler::Job;
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp, DEMO_KEYS};

const DAY: i64 = 86_400;

/// The `demo` shop with recommendations only.
fn config() -> String {
    format!(
        r#"
[shops.demo]
name = "Cloud & Leaf Tea"
{DEMO_KEYS}currency = "CNY"
rate_limit_per_minute = 1000

[shops.demo.recommendations]
exclude = ["gift-card"]
"#
    )
}

async fn app(backend: Backend) -> Option<TestApp> {
    let app = TestApp::spawn_with(backend, &config(), Settings::default()).await?;
    app.state.clock.freeze();
    Some(app)
}

fn product(id: &str, title: &str, in_stock: bool) -> Value {
    json!({
        "id": id,
        "title": { "en": title, "zh-Hans": format!("{title}（简）") },
        "price": 4_800,
        "url": format!("/products/{id}"),
        "image": format!("https://cdn.example/{id}.jpg"),
        "in_stock": in_stock,
        "updated_at": "2026-11-01T08:00:00Z",
    })
}

async fn catalogue(app: &TestApp, products: &[(&str, &str, bool)]) {
    let body: Vec<Value> = products
        .iter()
        .map(|(id, title, in_stock)| product(id, title, *in_stock))
        .collect();
    let response = app.signed_webhook("products", &json!(body)).await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
}

/// Pays an order of these products, placed `days_ago` days before the clock.
async fn bought(app: &TestApp, customer: &str, order: &str, products: &[&str], days_ago: i64) {
    let placed = app.state.clock.now() - days_ago * DAY;
    let placed = time::OffsetDateTime::from_unix_timestamp(placed)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let lines: Vec<Value> = products
        .iter()
        .map(|id| json!({ "product_id": id, "quantity": 1, "unit_price": 4_800 }))
        .collect();
    let response = app
        .webhook(&json!({
            "id": order,
            "customer_id": customer,
            "status": "paid",
            "currency": "CNY",
            "total": 4_800 * products.len() as i64,
            "created_at": placed,
            "lines": lines,
        }))
        .await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
}

async fn recommend(app: &TestApp, query: &str, customer: Option<&str>) -> Value {
    let token = customer.map(|customer| app.token(customer));
    let response = app
        .get(
            &format!("/v1/shops/demo/recommendations?{query}"),
            token.as_deref(),
        )
        .await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
    response.body
}

fn ids(answer: &Value) -> Vec<String> {
    answer["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["product_id"].as_str().unwrap().to_owned())
        .collect()
}

/// Four customers who buy Longjing with a teapot, one with cups too, plus some noise.
async fn tea_shop(app: &TestApp) {
    catalogue(
        app,
        &[
            ("longjing", "Longjing", true),
            ("teapot", "Yixing teapot", true),
            ("cups", "Tasting cups", true),
            ("sencha", "Sencha", true),
            ("gift-card", "Gift card", true),
        ],
    )
    .await;
    bought(app, "c-1", "o-1", &["longjing", "teapot"], 40).await;
    bought(app, "c-2", "o-2", &["longjing", "teapot", "gift-card"], 30).await;
    bought(app, "c-3", "o-3", &["longjing", "teapot", "cups"], 20).await;
    bought(app, "c-4", "o-4", &["sencha", "cups"], 10).await;
}

pub async fn requests_are_checked_and_a_shop_needs_the_section(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let get = |query: &'static str| {
        let app = &app;
        async move {
            app.get(&format!("/v1/shops/demo/recommendations{query}"), None)
                .await
        }
    };
    get("?kind=cheapest")
        .await
        .assert_error(422, "validation_failed");
    get("?kind=also-bought")
        .await
        .assert_error(422, "validation_failed");
    get("?limit=0").await.assert_error(422, "validation_failed");
    get("?limit=25")
        .await
        .assert_error(422, "validation_failed");
    let bad_token = app
        .get("/v1/shops/demo/recommendations", Some("not-a-token"))
        .await;
    bad_token.assert_error(401, "unauthorized");
    // Kinds that read no history read no token either.
    let anonymous = app
        .get(
            "/v1/shops/demo/recommendations?kind=popular",
            Some("not-a-token"),
        )
        .await;
    assert_eq!(anonymous.status.as_u16(), 200, "{}", anonymous.text);
    // An empty shop answers an empty list, not an error.
    let empty = recommend(&app, "kind=popular", None).await;
    assert_eq!(
        empty,
        json!({ "kind": "popular", "currency": "CNY", "items": [] })
    );
    // A shop without the section has no such endpoint.
    let Some(plain) = TestApp::spawn(backend).await else {
        return;
    };
    plain
        .get("/v1/shops/demo/recommendations", None)
        .await
        .assert_error(404, "not_found");
}

pub async fn also_bought_follows_other_customers_and_the_stock_of_now(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    tea_shop(&app).await;
    let answer = recommend(&app, "kind=also-bought&product=longjing&limit=3", None).await;
    assert_eq!(answer["kind"], "also-bought");
    let listed = ids(&answer);
    assert_eq!(
        listed.first().map(String::as_str),
        Some("teapot"),
        "{answer}"
    );
    assert!(
        !listed.contains(&"longjing".to_owned()),
        "never the page's product"
    );
    assert!(
        !listed.contains(&"gift-card".to_owned()),
        "never what the shop excludes"
    );
    let teapot = &answer["items"][0];
    assert_eq!(teapot["title"], "Yixing teapot");
    assert_eq!(teapot["price"], 4_800);
    assert_eq!(teapot["url"], "/products/teapot");
    assert_eq!(
        teapot["why"],
        json!({ "reason": "bought-with", "title": "Longjing" })
    );
    // Titles in the asked locale.
    let zh = recommend(&app, "kind=also-bought&product=longjing&locale=zh-CN", None).await;
    assert_eq!(zh["items"][0]["title"], "Yixing teapot（简）");
    // What the cart holds is left out.
    let without = recommend(
        &app,
        "kind=also-bought&product=longjing&exclude=teapot",
        None,
    )
    .await;
    assert!(!ids(&without).contains(&"teapot".to_owned()), "{without}");
    // Out of stock: gone from the very next answer.
    catalogue(&app, &[("teapot", "Yixing teapot", false)]).await;
    let newer = json!([{
        "id": "teapot",
        "title": { "en": "Yixing teapot" },
        "price": 4_800,
        "url": "/products/teapot",
        "in_stock": false,
        "updated_at": "2026-11-02T08:00:00Z",
    }]);
    let response = app.signed_webhook("products", &newer).await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
    let after = recommend(&app, "kind=also-bought&product=longjing", None).await;
    assert!(!ids(&after).contains(&"teapot".to_owned()), "{after}");
}

pub async fn buy_again_follows_the_customers_own_cadence(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    tea_shop(&app).await;
    // Sencha every 30 days, the last one 29 days ago: due now.
    bought(&app, "lin", "l-1", &["sencha"], 89).await;
    bought(&app, "lin", "l-2", &["sencha"], 59).await;
    bought(&app, "lin", "l-3", &["sencha", "cups"], 29).await;
    let answer = recommend(&app, "kind=buy-again", Some("lin")).await;
    assert_eq!(answer["kind"], "buy-again", "{answer}");
    assert_eq!(answer["items"][0]["product_id"], "sencha", "{answer}");
    assert_eq!(
        answer["items"][0]["why"],
        json!({ "reason": "buy-again", "every_days": 30 })
    );
    // Signed out, a personal kind answers the best sellers and says so.
    let signed_out = recommend(&app, "kind=buy-again", None).await;
    assert_eq!(signed_out["kind"], "popular", "{signed_out}");
    assert!(!ids(&signed_out).is_empty());
    // The answer for one shopper is never kept by a shared cache.
    let response = app
        .get(
            "/v1/shops/demo/recommendations?kind=buy-again",
            Some(&app.token("lin")),
        )
        .await;
    assert_eq!(response.header("cache-control"), Some("private, no-store"));
}

/// Syncs `products` (id, categories) with `updated_at` `at`.
async fn categorised(app: &TestApp, products: &[(&str, &[&str])], at: &str) {
    let body: Vec<Value> = products
        .iter()
        .map(|(id, categories)| {
            let mut product = product(id, id, true);
            product["categories"] = json!(categories);
            product["updated_at"] = json!(at);
            product
        })
        .collect();
    let response = app.signed_webhook("products", &json!(body)).await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
}

pub async fn for_you_prefers_the_categories_of_the_catalogue(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    // Alice bought Longjing; one customer bought it with Dahongpao, another with
    // Biluochun: the same evidence for both, and Dahongpao, seen first, leads.
    let none: &[&str] = &[];
    let products = [("longjing", none), ("dahongpao", none), ("biluochun", none)];
    categorised(&app, &products, "2026-11-01T08:00:00Z").await;
    bought(&app, "alice", "a-1", &["longjing"], 30).await;
    bought(&app, "carol", "c-1", &["longjing", "dahongpao"], 20).await;
    bought(&app, "bob", "b-1", &["longjing", "biluochun"], 10).await;
    let for_you = "kind=for-you&limit=2";
    assert_eq!(
        ids(&recommend(&app, for_you, Some("alice")).await),
        ["dahongpao", "biluochun"]
    );
    // The catalogue says Longjing and Biluochun are green teas, Dahongpao an oolong:
    // Alice buys green tea. A sync reaches the model at once.
    let products = [
        ("longjing", &["green tea"][..]),
        ("dahongpao", &["oolong"][..]),
        ("biluochun", &["green tea"][..]),
    ];
    categorised(&app, &products, "2026-11-02T08:00:00Z").await;
    assert_eq!(
        ids(&recommend(&app, for_you, Some("alice")).await),
        ["biluochun", "dahongpao"]
    );
    // A model built from the store reads them from the catalogue.
    app.state.recommenders.forget(&|_| true);
    assert_eq!(
        ids(&recommend(&app, for_you, Some("alice")).await),
        ["biluochun", "dahongpao"]
    );
}

pub async fn viewed_products_personalise_a_signed_out_list(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    tea_shop(&app).await;
    let answer = recommend(&app, "kind=for-you&viewed=longjing", None).await;
    assert_eq!(answer["kind"], "for-you", "{answer}");
    assert_eq!(answer["items"][0]["product_id"], "teapot", "{answer}");
    assert_eq!(answer["items"][0]["why"]["reason"], "bought-with");
    // A viewed product is not offered back.
    assert!(!ids(&answer).contains(&"longjing".to_owned()), "{answer}");
}

pub async fn orders_another_process_stores_reach_the_model(backend: Backend) {
    let Some(first) = app(backend).await else {
        return;
    };
    tea_shop(&first).await;
    let before = recommend(&first, "kind=also-bought&product=sencha", None).await;
    assert!(!ids(&before).contains(&"teapot".to_owned()), "{before}");
    {
        let second = first.second_instance(&config()).await;
        for (customer, order) in [("c-5", "o-5"), ("c-6", "o-6"), ("c-7", "o-7")] {
            bought(&second, customer, order, &["sencha", "teapot"], 1).await;
        }
    }
    // The first process learns them on its next follow, not before.
    FollowJob.run(first.state.clone()).await.expect("follow");
    let after = recommend(&first, "kind=also-bought&product=sencha", None).await;
    assert_eq!(after["items"][0]["product_id"], "teapot", "{after}");
    // Following again adds nothing twice.
    FollowJob.run(first.state.clone()).await.expect("follow");
    let again = recommend(&first, "kind=also-bought&product=sencha", None).await;
    assert_eq!(ids(&again), ids(&after));
    // The teapot sells out through the other process: the first keeps its copy of the
    // catalogue until its next follow, then drops the card.
    {
        let second = first.second_instance(&config()).await;
        let sold_out = json!({
            "id": "teapot",
            "title": { "en": "Yixing teapot" },
            "price": 4_800,
            "url": "/products/teapot",
            "in_stock": false,
            "updated_at": "2026-11-03T08:00:00Z",
        });
        let response = second.signed_webhook("products", &sold_out).await;
        assert_eq!(response.status.as_u16(), 200, "{}", response.text);
    }
    FollowJob.run(first.state.clone()).await.expect("follow");
    let sold = recommend(&first, "kind=also-bought&product=sencha", None).await;
    assert!(!ids(&sold).contains(&"teapot".to_owned()), "{sold}");
}

pub async fn import_orders_checks_every_row_and_imports_once(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    catalogue(
        &app,
        &[
            ("longjing", "Longjing", true),
            ("teapot", "Yixing teapot", true),
        ],
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "customer_id,order_id,product_id,created_at,quantity\n\
         c-1,o-1,longjing,2026-01-05T10:00:00+08:00,1\n\
         c-1,o-1,teapot,yesterday,1\n",
    )
    .unwrap();
    let store = &app.state.store;
    let now = app.state.clock.now();
    let error = comeback_server::import_orders::import_orders(store, "demo", "CNY", &bad, now)
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("line 3"), "{error}");
    assert!(error.contains("created_at"), "{error}");
    assert_eq!(
        store.order("demo", "o-1").await.unwrap(),
        None,
        "nothing imported"
    );

    let good = dir.path().join("orders.csv");
    let mut csv = String::from("order_id,customer_id,product_id,created_at,unit_price\n");
    for n in 0..4 {
        csv.push_str(&format!("o-{n},c-{n},longjing,1767600000,4800\n"));
        csv.push_str(&format!("o-{n},c-{n},teapot,1767600000,12000\n"));
    }
    std::fs::write(&good, csv).unwrap();
    let run = comeback_server::import_orders::import_orders(store, "demo", "CNY", &good, now)
        .await
        .unwrap();
    assert_eq!((run.lines, run.orders, run.stored), (8, 4, 4));
    let order = store.order("demo", "o-2").await.unwrap().expect("imported");
    assert_eq!((order.total, order.lines.len()), (16_800, 2));
    let again = comeback_server::import_orders::import_orders(store, "demo", "CNY", &good, now)
        .await
        .unwrap();
    assert_eq!(again.stored, 0, "importing again changes nothing");
    // An Excel workbook, where many small shops keep their records: date cells work.
    let workbook =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/orders.xlsx");
    let run = comeback_server::import_orders::import_orders(store, "demo", "CNY", &workbook, now)
        .await
        .unwrap();
    assert_eq!((run.lines, run.orders, run.stored), (4, 2, 2));
    let order = store.order("demo", "x-2").await.unwrap().expect("imported");
    assert_eq!(order.customer_id, "c-2");
    assert_eq!(
        order.placed_at,
        1_767_607_200 + 86_400,
        "2026-01-06 10:00 UTC"
    );
    assert_eq!((order.total, order.lines[0].quantity), (21_600, 2));
    // Recommendations know them.
    let answer = recommend(&app, "kind=also-bought&product=longjing", None).await;
    assert_eq!(answer["items"][0]["product_id"], "teapot", "{answer}");
}

/// Sends an interaction report as the widget's `sendBeacon` does: the query, no body.
async fn beacon(app: &TestApp, shop: &str, query: &str) -> u16 {
    let request =
        axum::http::Request::post(format!("/v1/shops/{shop}/recommendations/events?{query}"))
            .header("content-type", "text/plain;charset=UTF-8")
            .body(axum::body::Body::empty())
            .unwrap();
    app.send(request).await.status.as_u16()
}

pub async fn clicks_and_adds_are_counted_per_kind_for_the_overview(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let report =
        |action: &str, kind: &str| format!("action={action}&kind={kind}&product_id=wuyi%20oolong");
    for (action, kind) in [
        ("click", "also-bought"),
        ("click", "also-bought"),
        ("add", "also-bought"),
        ("click", "for-you"),
        ("add", "buy-again"),
    ] {
        assert_eq!(beacon(&app, "demo", &report(action, kind)).await, 204);
    }
    // Refused, and counted nowhere.
    assert_eq!(beacon(&app, "demo", &report("view", "for-you")).await, 400);
    assert_eq!(
        beacon(&app, "demo", &report("click", "everything")).await,
        400
    );
    assert_eq!(beacon(&app, "demo", "action=click&kind=popular").await, 400);
    assert_eq!(
        beacon(&app, "demo", "action=click&kind=popular&product_id=").await,
        422
    );
    assert_eq!(beacon(&app, "nope", &report("click", "popular")).await, 404);

    let overview = app
        .get(
            "/v1/shops/demo/admin/overview",
            Some(crate::helpers::DEMO_API_KEY),
        )
        .await;
    assert_eq!(overview.status, 200, "{}", overview.text);
    assert_eq!(
        overview.body["recommendations"],
        json!({
            "clicks": 3,
            "adds": 2,
            "kinds": [
                { "kind": "also-bought", "clicks": 2, "adds": 1 },
                { "kind": "for-you", "clicks": 1, "adds": 0 },
                { "kind": "buy-again", "clicks": 0, "adds": 1 },
            ],
        })
    );
    // A period that ended before today counts none of them.
    let now = app.state.clock.now();
    let earlier = app
        .get(
            &format!(
                "/v1/shops/demo/admin/overview?from={}&to={}",
                now - 30 * DAY,
                now - 2 * DAY
            ),
            Some(crate::helpers::DEMO_API_KEY),
        )
        .await;
    assert_eq!(
        earlier.body["recommendations"]["clicks"], 0,
        "{}",
        earlier.text
    );
}
