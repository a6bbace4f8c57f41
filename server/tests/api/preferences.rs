//! Contact preferences: reading them without creating the customer, merging partial
//! updates, `preferences.changed` in the outbox only when something changed, refusals,
//! and the admin lookup showing them.

use axum::body::Body;
use axum::http::Request;
use comeback_server::config::Settings;
use comeback_server::store::OutboxRow;
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp, TestResponse, CONFIG, DEMO_API_KEY};

const URI: &str = "/v1/shops/demo/loyalty/me/preferences";

/// Nothing listens on port 9 (discard) on test machines; events are only written.
const NOWHERE: &str = "http://127.0.0.1:9/hooks";

async fn spawn_with_webhooks(backend: Backend) -> Option<TestApp> {
    let config = format!("{CONFIG}\n[shops.demo.webhooks]\nurl = \"{NOWHERE}\"\n");
    TestApp::spawn_with(backend, &config, Settings::default()).await
}

async fn put(app: &TestApp, bearer: Option<&str>, body: &str) -> TestResponse {
    let mut request = Request::put(URI).header("content-type", "application/json");
    if let Some(bearer) = bearer {
        request = request.header("authorization", format!("Bearer {bearer}"));
    }
    app.send(request.body(Body::from(body.to_owned())).unwrap())
        .await
}

async fn set(app: &TestApp, customer: &str, body: &Value) -> Value {
    let response = put(app, Some(&app.token(customer)), &body.to_string()).await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
    response.body
}

async fn get(app: &TestApp, customer: &str) -> Value {
    let response = app.get(URI, Some(&app.token(customer))).await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
    response.body
}

async fn changed_rows(app: &TestApp) -> Vec<OutboxRow> {
    app.outbox_of("preferences.changed").await
}

fn payload(row: &OutboxRow) -> Value {
    serde_json::from_str(&row.event.payload).unwrap()
}

pub async fn preferences_start_empty_and_merge(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    // The stored times are compared with the clock read here.
    app.state.clock.freeze();
    let empty = json!({ "contact_channel": null, "marketing_consent": null, "updated_at": null });
    assert_eq!(get(&app, "c-1").await, empty);
    // Reading created no customer.
    app.get("/v1/shops/demo/admin/customers/c-1", Some(DEMO_API_KEY))
        .await
        .assert_error(404, "not_found");

    let now = app.state.clock.now();
    let after_channel = set(&app, "c-1", &json!({ "contact_channel": "sms" })).await;
    assert_eq!(
        after_channel,
        json!({ "contact_channel": "sms", "marketing_consent": null, "updated_at": now })
    );
    app.state.clock.advance(60);
    let after_consent = set(&app, "c-1", &json!({ "marketing_consent": false })).await;
    let merged =
        json!({ "contact_channel": "sms", "marketing_consent": false, "updated_at": now + 60 });
    assert_eq!(after_consent, merged);
    assert_eq!(get(&app, "c-1").await, merged);

    // An unchanged request keeps the time of the last change.
    app.state.clock.advance(60);
    let same = set(
        &app,
        "c-1",
        &json!({ "contact_channel": "sms", "marketing_consent": false }),
    )
    .await;
    assert_eq!(same, merged);
    // Both at once, and other customers are untouched.
    let both = set(
        &app,
        "c-1",
        &json!({ "contact_channel": "none", "marketing_consent": true }),
    )
    .await;
    assert_eq!(
        both,
        json!({ "contact_channel": "none", "marketing_consent": true, "updated_at": now + 120 })
    );
    assert_eq!(get(&app, "c-2").await, empty);

    // The admin lookup shows them.
    let admin = app
        .get("/v1/shops/demo/admin/customers/c-1", Some(DEMO_API_KEY))
        .await;
    assert_eq!(admin.status.as_u16(), 200, "{}", admin.text);
    assert_eq!(admin.body["preferences"], both);
    // So does the shopper's summary, and an empty one for a shopper who never chose.
    assert_eq!(app.me("c-1").await.body["preferences"], both);
    assert_eq!(app.me("c-3").await.body["preferences"], empty);
    // Shops without webhooks write no event.
    assert!(changed_rows(&app).await.is_empty());
}

pub async fn preference_changes_are_written_to_the_outbox(backend: Backend) {
    let Some(app) = spawn_with_webhooks(backend).await else {
        return;
    };
    set(&app, "c-1", &json!({ "contact_channel": "email" })).await;
    let rows = changed_rows(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        payload(&rows[0]),
        json!({ "customer_id": "c-1", "contact_channel": "email", "marketing_consent": null })
    );

    // Unchanged: no event.
    set(&app, "c-1", &json!({ "contact_channel": "email" })).await;
    assert_eq!(changed_rows(&app).await.len(), 1);

    // A change: one more, with the merged state.
    set(&app, "c-1", &json!({ "marketing_consent": true })).await;
    let rows = changed_rows(&app).await;
    assert_eq!(rows.len(), 2);
    assert_eq!(
        payload(&rows[1]),
        json!({ "customer_id": "c-1", "contact_channel": "email", "marketing_consent": true })
    );
    set(
        &app,
        "c-1",
        &json!({ "contact_channel": "email", "marketing_consent": true }),
    )
    .await;
    assert_eq!(changed_rows(&app).await.len(), 2);

    // A shop that does not list the event writes none.
    let config = format!(
        "{CONFIG}\n[shops.demo.webhooks]\nurl = \"{NOWHERE}\"\nevents = [\"reward.redeemed\"]\n"
    );
    let Some(narrow) = TestApp::spawn_with(backend, &config, Settings::default()).await else {
        return;
    };
    set(&narrow, "c-1", &json!({ "contact_channel": "sms" })).await;
    assert!(changed_rows(&narrow).await.is_empty());
}

pub async fn bad_preference_requests_are_refused(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.get(URI, None).await.assert_error(401, "unauthorized");
    put(&app, None, r#"{"contact_channel":"sms"}"#)
        .await
        .assert_error(401, "unauthorized");
    put(&app, Some("not-a-token"), r#"{"contact_channel":"sms"}"#)
        .await
        .assert_error(401, "unauthorized");

    let token = app.token("c-1");
    for body in [
        r#"{"contact_channel":"pigeon"}"#,
        r#"{"contact_channel":"SMS"}"#,
        r#"{"marketing_consent":"yes"}"#,
        r#"{"contact_channel":"sms","birthday":"--03-14"}"#,
        r#"{"contact_channel":"#,
        "42",
    ] {
        put(&app, Some(&token), body)
            .await
            .assert_error(400, "bad_request");
    }
    for body in ["{}", r#"{"contact_channel":null,"marketing_consent":null}"#] {
        put(&app, Some(&token), body)
            .await
            .assert_error(422, "validation_failed");
    }
    // Nothing was stored, and no customer was created.
    assert_eq!(
        get(&app, "c-1").await,
        json!({ "contact_channel": null, "marketing_consent": null, "updated_at": null })
    );
    app.get("/v1/shops/demo/admin/customers/c-1", Some(DEMO_API_KEY))
        .await
        .assert_error(404, "not_found");
}
