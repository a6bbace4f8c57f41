//! Points expiry: batches expiring oldest first, `next_expiry` in `/loyalty/me` and the
//! admin lookup, and the job being idempotent and leaving the tier alone.

use comeback_core::date::Date;
use comeback_server::config::Settings;
use comeback_server::expiry::{run_once, ExpiryRun};
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp, CONFIG, DEMO_API_KEY};

const DAY: i64 = 86_400;

/// The demo shop of [`CONFIG`] with points expiring after 30 days.
async fn spawn_with_expiry(backend: Backend) -> Option<TestApp> {
    let config = CONFIG.replacen(
        "code_valid_days = 30\n",
        "code_valid_days = 30\npoints_expire_after_days = 30\n",
        1,
    );
    assert_ne!(config, CONFIG, "the expiry key was added");
    TestApp::spawn_with(backend, &config, Settings::default()).await
}

fn today(app: &TestApp) -> Date {
    Date::from_unix_seconds(app.state.clock.now())
}

/// Moves the clock to `days` after `start` (same time of day).
fn move_to_day(app: &TestApp, start: i64, days: i64) {
    let target = start + days * DAY;
    app.state.clock.advance(target - app.state.clock.now());
}

async fn adjust(app: &TestApp, customer: &str, key: &str, points: i64) {
    let response = app
        .post_json(
            &format!("/v1/shops/demo/admin/customers/{customer}/adjustments"),
            Some(DEMO_API_KEY),
            &[("idempotency-key", key)],
            &json!({ "points": points, "reason": "Test adjustment" }),
        )
        .await;
    assert_eq!(response.status.as_u16(), 201, "{}", response.text);
}

async fn me(app: &TestApp, customer: &str) -> Value {
    let response = app.me(customer).await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
    response.body
}

fn next_expiry(me: &Value) -> Option<(i64, String)> {
    let next = me.get("next_expiry")?;
    Some((
        next["points"].as_i64().unwrap(),
        next["on"].as_str().unwrap().to_owned(),
    ))
}

/// History entries of one kind, oldest first: (points, reference).
fn entries(me: &Value, kind: &str) -> Vec<(i64, String)> {
    let mut found: Vec<(i64, String)> = me["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["kind"] == kind)
        .map(|entry| {
            (
                entry["points"].as_i64().unwrap(),
                entry["reference"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.reverse();
    found
}

/// The id of the only history entry of a kind.
fn entry_id(me: &Value, kind: &str) -> String {
    let ids: Vec<&str> = me["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["kind"] == kind)
        .map(|entry| entry["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 1, "one `{kind}` entry in {me}");
    ids[0].to_owned()
}

pub async fn unspent_points_expire_on_their_day_once(backend: Backend) {
    let Some(app) = spawn_with_expiry(backend).await else {
        return;
    };
    let start = app.state.clock.now();
    let day_30 = today(&app).add_days(30).to_iso();
    // c-1 earns 600 (the `bud` tier) and spends 100; c-2 earns 300 and keeps them.
    app.pay("c-1", "o-1", 60_000).await;
    app.pay("c-2", "o-2", 30_000).await;
    let earned = me(&app, "c-1").await;
    assert_eq!(next_expiry(&earned), Some((600, day_30.clone())));
    let batch = entry_id(&earned, "order_paid");

    move_to_day(&app, start, 10);
    adjust(&app, "c-1", "spend-1", -100).await;
    assert_eq!(
        next_expiry(&me(&app, "c-1").await),
        Some((500, day_30.clone()))
    );

    move_to_day(&app, start, 29);
    assert_eq!(run_once(&app.state).await.unwrap(), ExpiryRun::default());
    let c1 = me(&app, "c-1").await;
    assert_eq!(c1["balance"], 500);
    assert_eq!(next_expiry(&c1), Some((500, day_30.clone())));
    assert_eq!(
        next_expiry(&me(&app, "c-2").await),
        Some((300, day_30.clone()))
    );

    move_to_day(&app, start, 30);
    // Before the job runs, the points due today are no longer "next".
    assert_eq!(next_expiry(&me(&app, "c-1").await), None);
    let run = run_once(&app.state).await.unwrap();
    assert_eq!(
        run,
        ExpiryRun {
            warned: 0,
            customers: 2,
            points: 800,
            ..ExpiryRun::default()
        }
    );
    let c1 = me(&app, "c-1").await;
    assert_eq!(c1["balance"], 0);
    assert_eq!(
        c1["lifetime_points"], 600,
        "expiry keeps the lifetime total"
    );
    assert_eq!(c1["tier"]["current"], "bud", "expiry keeps the tier");
    assert_eq!(entries(&c1, "expired"), [(-500, batch)]);
    assert_eq!(next_expiry(&c1), None);
    let c2 = me(&app, "c-2").await;
    assert_eq!(c2["balance"], 0);
    assert_eq!(entries(&c2, "expired").len(), 1);

    assert_eq!(
        run_once(&app.state).await.unwrap(),
        ExpiryRun::default(),
        "a second run expires nothing"
    );
    move_to_day(&app, start, 400);
    assert_eq!(run_once(&app.state).await.unwrap(), ExpiryRun::default());
    let c1 = me(&app, "c-1").await;
    assert_eq!(c1["balance"], 0);
    assert_eq!(entries(&c1, "expired").len(), 1);

    // The shop's view shows the same.
    let admin = app
        .get("/v1/shops/demo/admin/customers/c-1", Some(DEMO_API_KEY))
        .await;
    assert_eq!(admin.status.as_u16(), 200, "{}", admin.text);
    assert_eq!(admin.body["balance"], 0);
    assert!(admin.body.get("next_expiry").is_none(), "{}", admin.text);
}

pub async fn batches_expire_oldest_first(backend: Backend) {
    let Some(app) = spawn_with_expiry(backend).await else {
        return;
    };
    let start = app.state.clock.now();
    let day_0 = today(&app);
    app.pay("c-1", "o-1", 30_000).await;
    move_to_day(&app, start, 5);
    adjust(&app, "c-1", "bonus", 200).await;
    move_to_day(&app, start, 6);
    adjust(&app, "c-1", "spend", -100).await;
    let before = me(&app, "c-1").await;
    let first = entry_id(&before, "order_paid");
    let second = before["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["kind"] == "adjusted" && entry["points"] == 200)
        .map(|entry| entry["id"].as_str().unwrap().to_owned())
        .unwrap();
    // The 100 spent came out of the oldest batch.
    assert_eq!(
        next_expiry(&before),
        Some((200, day_0.add_days(30).to_iso()))
    );
    // Admin lookup carries it too.
    let admin = app
        .get("/v1/shops/demo/admin/customers/c-1", Some(DEMO_API_KEY))
        .await;
    assert_eq!(admin.body["next_expiry"]["points"], 200, "{}", admin.text);

    move_to_day(&app, start, 30);
    assert_eq!(run_once(&app.state).await.unwrap().points, 200);
    let after_first = me(&app, "c-1").await;
    assert_eq!(after_first["balance"], 200);
    assert_eq!(
        next_expiry(&after_first),
        Some((200, day_0.add_days(35).to_iso()))
    );

    move_to_day(&app, start, 34);
    assert_eq!(run_once(&app.state).await.unwrap().points, 0);
    move_to_day(&app, start, 35);
    assert_eq!(run_once(&app.state).await.unwrap().points, 200);
    let done = me(&app, "c-1").await;
    assert_eq!(done["balance"], 0);
    assert_eq!(done["lifetime_points"], 500);
    assert_eq!(
        entries(&done, "expired"),
        [(-200, first), (-200, second)],
        "oldest batch first, each referenced"
    );
    assert_eq!(next_expiry(&done), None);
}

pub async fn spending_after_expiry_comes_from_the_next_batch(backend: Backend) {
    let Some(app) = spawn_with_expiry(backend).await else {
        return;
    };
    let start = app.state.clock.now();
    let day_0 = today(&app);
    app.pay("c-1", "o-1", 30_000).await;
    move_to_day(&app, start, 20);
    app.pay("c-1", "o-2", 30_000).await;
    move_to_day(&app, start, 30);
    assert_eq!(run_once(&app.state).await.unwrap().points, 300);
    // Expired points are not counted as spending: the second batch is whole.
    assert_eq!(
        next_expiry(&me(&app, "c-1").await),
        Some((300, day_0.add_days(50).to_iso()))
    );
    // Spending the second batch, then the day it expires: nothing is left to expire,
    // and the already expired first batch is not charged again.
    let response = app.redeem("c-1", "r-1", "free-shipping").await;
    assert_eq!(response.status.as_u16(), 201, "{}", response.text);
    assert_eq!(next_expiry(&me(&app, "c-1").await), None);
    move_to_day(&app, start, 50);
    assert_eq!(run_once(&app.state).await.unwrap(), ExpiryRun::default());
    let c1 = me(&app, "c-1").await;
    assert_eq!(c1["balance"], 0);
    assert_eq!(c1["lifetime_points"], 600);
}

pub async fn shops_without_expiry_never_expire(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.pay("c-1", "o-1", 30_000).await;
    assert_eq!(next_expiry(&me(&app, "c-1").await), None);
    app.state.clock.advance(4000 * DAY);
    assert_eq!(run_once(&app.state).await.unwrap(), ExpiryRun::default());
    let c1 = me(&app, "c-1").await;
    assert_eq!(c1["balance"], 300);
    assert!(entries(&c1, "expired").is_empty());
    assert_eq!(next_expiry(&c1), None);
}
