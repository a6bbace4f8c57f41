//! The product catalogue and customer profiles: signed webhooks with one or many items,
//! secret-key admin endpoints, idempotent upserts where an older product never wins,
//! and the import command's parser on a file.

use axum::body::Body;
use axum::http::Request;
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp, TestResponse, DEMO_API_KEY};

async fn signed(app: &TestApp, path: &str, body: &Value) -> TestResponse {
    app.signed_webhook(path, body).await
}

async fn admin(app: &TestApp, method: &str, path: &str, body: Option<&Value>) -> TestResponse {
    let request = Request::builder()
        .method(method)
        .uri(format!("/v1/shops/demo/admin/{path}"))
        .header("authorization", format!("Bearer {DEMO_API_KEY}"))
        .header("content-type", "application/json");
    let body = body.map_or_else(Body::empty, |body| Body::from(body.to_string()));
    app.send(request.body(body).unwrap()).await
}

fn product(id: &str, price: i64, updated_at: &str) -> Value {
    json!({
        "id": id,
        "title": { "en": "Wuyi oolong", "zh-Hans": "武夷岩茶" },
        "description": { "en": "Roasted rock tea." },
        "price": price,
        "compare_at_price": 15_000,
        "url": format!("/products/{id}"),
        "image": "https://cdn.example/oolong.jpg",
        "in_stock": true,
        "categories": ["oolong", "tea"],
        "updated_at": updated_at,
        "supplier": "ignored",
    })
}

pub async fn products_sync_idempotently_and_newest_wins(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    // One product, then many.
    let one = signed(
        &app,
        "products",
        &product("oolong", 12_800, "2027-03-01T08:00:00Z"),
    )
    .await;
    assert_eq!(one.status.as_u16(), 200, "{}", one.text);
    assert_eq!(one.body, json!({ "received": 1, "changed": 1 }));
    let many = json!([
        product("oolong", 12_800, "2027-03-01T08:00:00Z"),
        product("gaiwan", 14_000, "2027-03-01T08:00:00Z"),
    ]);
    let response = signed(&app, "products", &many).await;
    assert_eq!(
        response.body,
        json!({ "received": 2, "changed": 1 }),
        "{}",
        response.text
    );

    // An older version changes nothing; a newer one wins.
    let older = signed(
        &app,
        "products",
        &product("oolong", 9_900, "2027-02-01T08:00:00+08:00"),
    )
    .await;
    assert_eq!(older.body["changed"], json!(0));
    let shown = admin(&app, "GET", "products/oolong", None).await;
    assert_eq!(shown.body["price"], json!(12_800), "{}", shown.text);
    assert_eq!(shown.body["title"]["zh-Hans"], json!("武夷岩茶"));
    assert_eq!(shown.body["updated_at"], json!("2027-03-01T08:00:00Z"));
    let newer = admin(
        &app,
        "PUT",
        "products/oolong",
        Some(&product("oolong", 11_800, "2027-03-02T08:00:00Z")),
    )
    .await;
    assert_eq!(
        (
            newer.body["changed"].clone(),
            newer.body["product"]["price"].clone()
        ),
        (json!(true), json!(11_800))
    );

    // Listing pages by id; deleting is harmless to repeat.
    let page = admin(&app, "GET", "products?limit=1", None).await;
    assert_eq!(
        page.body["products"][0]["id"],
        json!("gaiwan"),
        "{}",
        page.text
    );
    assert_eq!(page.body["next_after"], json!("gaiwan"));
    let rest = admin(&app, "GET", "products?limit=1&after=gaiwan", None).await;
    assert_eq!(rest.body["products"][0]["id"], json!("oolong"));
    assert!(rest.body.get("next_after").is_none());
    assert_eq!(
        admin(&app, "DELETE", "products/gaiwan", None).await.body,
        json!({ "deleted": true })
    );
    assert_eq!(
        admin(&app, "DELETE", "products/gaiwan", None).await.body,
        json!({ "deleted": false })
    );
    admin(&app, "GET", "products/gaiwan", None)
        .await
        .assert_error(404, "not_found");
}

pub async fn bad_catalogue_requests_are_refused(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    // A bad product in a batch names it and stores nothing.
    let mut bad = product("b", 1, "2027-03-01T08:00:00Z");
    bad["price"] = json!(-5);
    let batch = json!([product("a", 1, "2027-03-01T08:00:00Z"), bad]);
    let response = signed(&app, "products", &batch).await;
    response.assert_error(422, "validation_failed");
    assert!(response.text.contains("`[1].price`"), "{}", response.text);
    admin(&app, "GET", "products/a", None)
        .await
        .assert_error(404, "not_found");
    let mut stale = product("a", 1, "yesterday");
    stale["url"] = json!("/a");
    signed(&app, "products", &stale)
        .await
        .assert_error(422, "validation_failed");
    signed(&app, "products", &json!([]))
        .await
        .assert_error(422, "validation_failed");
    signed(&app, "products", &json!({ "id": "x" }))
        .await
        .assert_error(400, "bad_request");
    // Unsigned webhooks and keyless admin calls are refused.
    let unsigned = app
        .send(
            Request::post("/v1/shops/demo/webhooks/products")
                .header("content-type", "application/json")
                .body(Body::from(
                    product("a", 1, "2027-03-01T08:00:00Z").to_string(),
                ))
                .unwrap(),
        )
        .await;
    unsigned.assert_error(401, "unauthorized");
    let keyless = app.get("/v1/shops/demo/admin/products", None).await;
    keyless.assert_error(401, "unauthorized");
    let other_id = admin(
        &app,
        "PUT",
        "products/a",
        Some(&product("b", 1, "2027-03-01T08:00:00Z")),
    )
    .await;
    other_id.assert_error(422, "validation_failed");
    admin(&app, "GET", "products?limit=0", None)
        .await
        .assert_error(400, "bad_request");
}

pub async fn customer_profiles_sync_with_normalised_emails(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let customers = json!([
        { "id": "c-1", "email": " Lin.Mei@Example.COM ", "name": "Lin Mei", "created_at": "2026-11-24T08:00:00Z" },
        { "id": "c-2", "created_at": "2026-11-25T08:00:00Z", "loyalty_tier": "ignored" },
    ]);
    let response = signed(&app, "customers", &customers).await;
    assert_eq!(
        response.body,
        json!({ "received": 2, "changed": 2 }),
        "{}",
        response.text
    );
    assert_eq!(
        signed(&app, "customers", &customers).await.body["changed"],
        json!(0)
    );
    let lin = admin(&app, "GET", "profiles/c-1", None).await;
    assert_eq!(
        lin.body["email"],
        json!("lin.mei@example.com"),
        "{}",
        lin.text
    );
    assert_eq!(
        app.state
            .store
            .customers_with_email("demo", "lin.mei@example.com")
            .await
            .unwrap(),
        ["c-1"]
    );
    let renamed = admin(
        &app,
        "PUT",
        "profiles/c-2",
        Some(&json!({ "id": "c-2", "email": "LIN.MEI@example.com", "created_at": "2026-11-25T08:00:00Z" })),
    )
    .await;
    assert_eq!(
        renamed.body["email"],
        json!("lin.mei@example.com"),
        "{}",
        renamed.text
    );
    assert_eq!(
        app.state
            .store
            .customers_with_email("demo", "lin.mei@example.com")
            .await
            .unwrap(),
        ["c-1", "c-2"]
    );
    let bad = json!({ "id": "c-3", "email": "nope", "created_at": "2026-11-25T08:00:00Z" });
    let refused = signed(&app, "customers", &bad).await;
    refused.assert_error(422, "validation_failed");
    assert!(refused.text.contains("`email`"), "{}", refused.text);
    admin(&app, "GET", "profiles/c-3", None)
        .await
        .assert_error(404, "not_found");
}

pub async fn customer_profiles_are_listed_by_page_and_forgotten(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let customers: Vec<Value> = (1..=5)
        .map(|n| json!({ "id": format!("c-{n}"), "email": format!("c{n}@example.com"), "created_at": "2026-11-24T08:00:00Z" }))
        .collect();
    signed(&app, "customers", &json!(customers)).await;

    let first = admin(&app, "GET", "profiles?limit=2", None).await;
    let ids = |page: &TestResponse| -> Vec<String> {
        page.body["profiles"]
            .as_array()
            .map(|all| {
                all.iter()
                    .map(|p| p["id"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(ids(&first), ["c-1", "c-2"], "{}", first.text);
    assert_eq!(first.body["next_after"], json!("c-2"));
    let last = admin(&app, "GET", "profiles?limit=3&after=c-2", None).await;
    assert_eq!(ids(&last), ["c-3", "c-4", "c-5"], "{}", last.text);
    assert!(last.body.get("next_after").is_none(), "{}", last.text);
    admin(&app, "GET", "profiles?limit=0", None)
        .await
        .assert_error(400, "bad_request");

    // Forgetting a profile removes the email and name, once; the customer's points stay.
    let gone = admin(&app, "DELETE", "profiles/c-3", None).await;
    assert_eq!(gone.body, json!({ "deleted": true }), "{}", gone.text);
    let again = admin(&app, "DELETE", "profiles/c-3", None).await;
    assert_eq!(again.body, json!({ "deleted": false }), "{}", again.text);
    admin(&app, "GET", "profiles/c-3", None)
        .await
        .assert_error(404, "not_found");
    assert!(app
        .state
        .store
        .customers_with_email("demo", "c3@example.com")
        .await
        .unwrap()
        .is_empty());
    let rest = admin(&app, "GET", "profiles", None).await;
    assert_eq!(ids(&rest), ["c-1", "c-2", "c-4", "c-5"], "{}", rest.text);
}

pub async fn the_import_command_loads_a_csv_once(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("products.csv");
    std::fs::write(
        &file,
        "id,title,price,url,in_stock,categories,updated_at\n\
         oolong,Wuyi oolong,12800,/p/oolong,true,oolong|tea,2027-03-01T08:00:00Z\n\
         gaiwan,Gaiwan,14000,/p/gaiwan,false,,2027-03-01T08:00:00Z\n",
    )
    .unwrap();
    let now = app.state.clock.now();
    let run = comeback_server::import::import_products(&app.state.store, "demo", &file, now)
        .await
        .unwrap();
    assert_eq!((run.read, run.changed), (2, 2));
    let again = comeback_server::import::import_products(&app.state.store, "demo", &file, now)
        .await
        .unwrap();
    assert_eq!((again.read, again.changed), (2, 0));
    let gaiwan = admin(&app, "GET", "products/gaiwan", None).await;
    assert_eq!(gaiwan.body["in_stock"], json!(false), "{}", gaiwan.text);

    std::fs::write(
        &file,
        "id,title,price,url,in_stock,updated_at\nx,X,-1,/x,true,2027-03-01T08:00:00Z\n",
    )
    .unwrap();
    let error = comeback_server::import::import_products(&app.state.store, "demo", &file, now)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("line 2") && error.contains("`price`"),
        "{error}"
    );
    admin(&app, "GET", "products/x", None)
        .await
        .assert_error(404, "not_found");
}
