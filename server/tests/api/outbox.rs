//! Outbound webhooks: events written to the outbox with the change that causes them,
//! and their signed delivery to the shop's backend with retries.

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use comeback_server::auth::verify_webhook;
use comeback_server::config::{Secret, Settings};
use comeback_server::delivery::{deliver_due, DeliveryRun};
use comeback_server::expiry::run_once;
use comeback_server::store::OutboxRow;
use comeback_server::Clock;
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp, CONFIG, DEMO_WEBHOOK_SECRET};

const DAY: i64 = 86_400;

/// [`CONFIG`] with webhooks for the demo shop to `url`, plus `extra` in the same table.
fn config_with_webhooks(url: &str, extra: &str) -> String {
    format!("{CONFIG}\n[shops.demo.webhooks]\nurl = \"{url}\"\n{extra}\n")
}

async fn spawn_with_webhooks(backend: Backend, url: &str) -> Option<TestApp> {
    TestApp::spawn_with(backend, &config_with_webhooks(url, ""), Settings::default()).await
}

/// Nothing listens on port 9 (discard) on test machines; events are only written.
const NOWHERE: &str = "http://127.0.0.1:9/hooks";

async fn rows(app: &TestApp, kind: &str) -> Vec<OutboxRow> {
    app.outbox_of(kind).await
}

fn payload(row: &OutboxRow) -> Value {
    serde_json::from_str(&row.event.payload).unwrap()
}

pub async fn redemption_writes_reward_redeemed(backend: Backend) {
    let Some(app) = spawn_with_webhooks(backend, NOWHERE).await else {
        return;
    };
    app.pay("c-1", "o-1", 60_000).await;
    let refused = app.redeem("c-1", "key-0", "off-50").await;
    refused.assert_error(409, "insufficient_points");
    assert!(rows(&app, "reward.redeemed").await.is_empty());

    let response = app.redeem("c-1", "key-1", "off-10").await;
    assert_eq!(response.status.as_u16(), 201, "{}", response.text);
    let redeemed = rows(&app, "reward.redeemed").await;
    assert_eq!(redeemed.len(), 1);
    let row = &redeemed[0];
    assert_eq!(
        payload(row),
        json!({
            "customer_id": "c-1",
            "reward_id": "off-10",
            "code": response.body["code"],
            "points_spent": 500,
            "balance": 100,
        })
    );
    assert_eq!(row.event.attempts, 0);
    assert_eq!(row.delivered_at, None);
    assert_eq!(row.next_attempt_at, row.event.created_at);
    assert_eq!(row.event.id.len(), 36);

    // A replay of the same key changes nothing and writes nothing.
    let replay = app.redeem("c-1", "key-1", "off-10").await;
    assert_eq!(replay.status.as_u16(), 201);
    assert_eq!(rows(&app, "reward.redeemed").await.len(), 1);
}

pub async fn tier_changes_are_written_when_the_tier_moves(backend: Backend) {
    let Some(app) = spawn_with_webhooks(backend, NOWHERE).await else {
        return;
    };
    app.pay("c-1", "o-1", 10_000).await; // 100 points: still Green Leaf.
    assert!(rows(&app, "tier.changed").await.is_empty());
    app.pay("c-1", "o-2", 45_000).await; // 550: Tender Bud.
    let changed = rows(&app, "tier.changed").await;
    assert_eq!(changed.len(), 1);
    assert_eq!(
        payload(&changed[0]),
        json!({
            "customer_id": "c-1",
            "from": "leaf",
            "to": "bud",
            "lifetime_points": 550,
            "qualifying_total": 550,
            "held_until": null,
        })
    );
    // A redemption never moves the tier; a refund back under the threshold does.
    let response = app.redeem("c-1", "key-1", "free-shipping").await;
    assert_eq!(response.status.as_u16(), 201, "{}", response.text);
    assert_eq!(rows(&app, "tier.changed").await.len(), 1);
    let refund = app.order("c-1", "o-2", "refunded", 45_000).await;
    assert_eq!(refund.status.as_u16(), 200, "{}", refund.text);
    let changed = rows(&app, "tier.changed").await;
    assert_eq!(changed.len(), 2);
    assert_eq!(payload(&changed[1])["from"], "bud");
    assert_eq!(payload(&changed[1])["to"], "leaf");
}

pub async fn expiry_job_warns_once_per_customer_and_date(backend: Backend) {
    let config = config_with_webhooks(NOWHERE, "points_expiring_days = 7").replacen(
        "code_valid_days = 30\n",
        "code_valid_days = 30\npoints_expire_after_days = 30\n",
        1,
    );
    let Some(app) = TestApp::spawn_with(backend, &config, Settings::default()).await else {
        return;
    };
    let start = app.state.clock.now();
    app.pay("c-1", "o-1", 30_000).await;
    app.pay("c-2", "o-2", 20_000).await;
    // Day 22: the points expire on day 30, 8 days away.
    app.state.clock.advance(22 * DAY);
    assert_eq!(run_once(&app.state).await.unwrap().warned, 0);
    assert!(rows(&app, "points.expiring").await.is_empty());
    // Day 23: 7 days away.
    app.state.clock.advance(DAY);
    assert_eq!(run_once(&app.state).await.unwrap().warned, 2);
    assert_eq!(run_once(&app.state).await.unwrap().warned, 0);
    app.state.clock.advance(DAY);
    assert_eq!(run_once(&app.state).await.unwrap().warned, 0);
    let warned = rows(&app, "points.expiring").await;
    assert_eq!(warned.len(), 2);
    let expires_on = comeback_core::date::Date::from_unix_seconds(start)
        .add_days(30)
        .to_iso();
    assert_eq!(
        payload(&warned[0]),
        json!({ "customer_id": "c-1", "points": 300, "expires_on": expires_on })
    );
    assert_eq!(payload(&warned[1])["customer_id"], "c-2");
}

/// A receiver on 127.0.0.1 that checks signatures with the shop secret by the app's
/// clock and records the bodies it accepted.
#[derive(Clone)]
struct Receiver {
    status: Arc<AtomicU16>,
    bodies: Arc<Mutex<Vec<Value>>>,
    clock: Arc<Clock>,
}

async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let signature = headers
        .get("comeback-signature")
        .and_then(|value| value.to_str().ok());
    if verify_webhook(
        &[Secret::new(DEMO_WEBHOOK_SECRET)],
        signature,
        &body,
        receiver.clock.now(),
    )
    .is_err()
    {
        return StatusCode::UNAUTHORIZED;
    }
    if headers.get("content-type").and_then(|v| v.to_str().ok()) != Some("application/json") {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE;
    }
    let status = StatusCode::from_u16(receiver.status.load(Ordering::SeqCst)).unwrap();
    if status.is_success() {
        receiver
            .bodies
            .lock()
            .unwrap()
            .push(serde_json::from_slice(&body).unwrap());
    }
    status
}

/// Starts a receiver and returns its URL.
async fn start_receiver(receiver: Receiver) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = Router::new()
        .route("/hooks", post(receive))
        .with_state(receiver);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{address}/hooks")
}

pub async fn events_are_delivered_signed_and_retried(backend: Backend) {
    let status = Arc::new(AtomicU16::new(500));
    let bodies = Arc::new(Mutex::new(Vec::new()));
    // The receiver is bound first (its URL goes in the config) and shares the clock
    // the app is then given.
    let clock_slot: Arc<Clock> = Arc::new(Clock::default());
    let url = start_receiver(Receiver {
        status: Arc::clone(&status),
        bodies: Arc::clone(&bodies),
        clock: Arc::clone(&clock_slot),
    })
    .await;
    let Some(mut app) = spawn_with_webhooks(backend, &url).await else {
        return;
    };
    app.state = app.state.with_clock(Arc::clone(&clock_slot));
    app.router = comeback_server::app(app.state.clone());

    app.pay("c-1", "o-1", 60_000).await; // tier.changed
    let response = app.redeem("c-1", "key-1", "off-10").await;
    assert_eq!(response.status.as_u16(), 201, "{}", response.text);

    // The receiver fails: both are retried later, not within the same run. (The time
    // is read before the run: the clock runs on while it delivers.)
    let before = app.state.clock.now();
    let run = deliver_due(&app.state).await.unwrap();
    assert_eq!(
        run,
        DeliveryRun {
            delivered: 0,
            retrying: 2,
            given_up: 0
        }
    );
    for row in app.state.store.outbox_rows("demo").await.unwrap() {
        assert_eq!(row.event.attempts, 1);
        assert_eq!(row.delivered_at, None);
        assert!(row.next_attempt_at >= before + 30, "{row:?}");
        assert_eq!(row.last_error.as_deref(), Some("answered 500"));
    }
    assert_eq!(
        deliver_due(&app.state).await.unwrap(),
        DeliveryRun::default()
    );

    // Later, the receiver is back.
    status.store(200, Ordering::SeqCst);
    app.state.clock.advance(31);
    let run = deliver_due(&app.state).await.unwrap();
    assert_eq!(run.delivered, 2);
    let rows = app.state.store.outbox_rows("demo").await.unwrap();
    assert!(rows.iter().all(|row| row.delivered_at.is_some()
        && row.event.attempts == 2
        && row.last_error.is_none()));
    let bodies = bodies.lock().unwrap().clone();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0]["type"], "tier.changed");
    assert_eq!(bodies[0]["id"], rows[0].event.id.as_str());
    assert_eq!(bodies[1]["type"], "reward.redeemed");
    assert_eq!(bodies[1]["data"]["code"], response.body["code"]);
    assert_eq!(bodies[1]["created_at"], rows[1].event.created_at);
    assert_eq!(
        deliver_due(&app.state).await.unwrap(),
        DeliveryRun::default()
    );
}

pub async fn shops_without_webhooks_write_nothing(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.pay("c-1", "o-1", 60_000).await;
    let response = app.redeem("c-1", "key-1", "off-10").await;
    assert_eq!(response.status.as_u16(), 201, "{}", response.text);
    assert!(app
        .state
        .store
        .outbox_rows("demo")
        .await
        .unwrap()
        .is_empty());
    // A shop that only wants `reward.redeemed` gets no `tier.changed`.
    let config = config_with_webhooks(NOWHERE, "events = [\"reward.redeemed\"]");
    let Some(app) = TestApp::spawn_with(backend, &config, Settings::default()).await else {
        return;
    };
    app.pay("c-1", "o-1", 60_000).await;
    assert!(app
        .state
        .store
        .outbox_rows("demo")
        .await
        .unwrap()
        .is_empty());
    let response = app.redeem("c-1", "key-1", "off-10").await;
    assert_eq!(response.status.as_u16(), 201, "{}", response.text);
    assert_eq!(rows(&app, "reward.redeemed").await.len(), 1);
}
