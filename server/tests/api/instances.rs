//! Two server processes on one PostgreSQL database: every job effect and every outbound
//! event happens exactly once while both schedulers run at the same time.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use comeback_core::date::Date;
use comeback_server::delivery::deliver_due;
use comeback_server::scheduler::Scheduler;
use comeback_server::store::OutboxRow;
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp, CONFIG};

const DAY: i64 = 86_400;
const CUSTOMERS: usize = 12;

/// Records the id of every event it receives.
async fn receive(
    State(ids): State<Arc<Mutex<Vec<String>>>>,
    Json(body): Json<Value>,
) -> StatusCode {
    if let Some(id) = body["id"].as_str() {
        ids.lock().unwrap().push(id.to_owned());
    }
    StatusCode::OK
}

async fn start_receiver(ids: Arc<Mutex<Vec<String>>>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = Router::new().route("/hooks", post(receive)).with_state(ids);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{address}/hooks")
}

/// Moves the shared clock to noon (UTC) of `iso`.
fn move_to(app: &TestApp, iso: &str) {
    let day = Date::parse(iso).unwrap();
    let target = day.days_since_epoch() * DAY + DAY / 2;
    app.state.clock.advance(target - app.state.clock.now());
}

/// Both schedulers at once, with every job of the server.
async fn run_both(a: &TestApp, b: &TestApp) {
    let (first, second) = (
        Scheduler::new(comeback_server::features::jobs()),
        Scheduler::new(comeback_server::features::jobs()),
    );
    tokio::join!(first.run_due(&a.state), second.run_due(&b.state));
}

pub async fn two_instances_run_every_job_and_event_once() {
    let ids = Arc::new(Mutex::new(Vec::new()));
    let url = start_receiver(Arc::clone(&ids)).await;
    let config = CONFIG.replacen(
        "code_valid_days = 30\n",
        "code_valid_days = 30\nbirthday_points = 200\nanniversary_points = 100\npoints_expire_after_days = 30\n",
        1,
    ) + &format!("\n[shops.demo.webhooks]\nurl = \"{url}\"\n");
    let Some(a) = TestApp::spawn_with(Backend::Postgres, &config, Default::default()).await else {
        return;
    };
    let b = a.second_instance(&config).await;

    // Each customer's first order was placed on 2026-04-15 (reported late), earns 600
    // points on 2027-03-01, and sets a birthday of April 15.
    move_to(&a, "2027-03-01");
    let customers: Vec<String> = (0..CUSTOMERS).map(|n| format!("c-{n:02}")).collect();
    for (n, customer) in customers.iter().enumerate() {
        let app = if n % 2 == 0 { &a } else { &b };
        let response = app
            .webhook(&json!({
                "id": format!("o-{n}"),
                "customer_id": customer,
                "status": "paid",
                "currency": "CNY",
                "total": 60_000,
                "created_at": "2026-04-15T12:00:00Z",
                "lines": [{ "product_id": "sku-1", "quantity": 1, "unit_price": 60_000 }],
            }))
            .await;
        assert_eq!(response.status.as_u16(), 200, "{}", response.text);
        let response = app
            .send(
                axum::http::Request::put("/v1/shops/demo/loyalty/me/birthday")
                    .header("content-type", "application/json")
                    .header("authorization", format!("Bearer {}", app.token(customer)))
                    .body(axum::body::Body::from(
                        json!({ "birthday": "--04-15" }).to_string(),
                    ))
                    .unwrap(),
            )
            .await;
        assert_eq!(response.status.as_u16(), 200, "{}", response.text);
    }

    // Warned of the expiry, then everything due on April 15: the points expire, the
    // birthday and the anniversary rewards arrive.
    move_to(&a, "2027-03-26");
    run_both(&a, &b).await;
    run_both(&a, &b).await;
    move_to(&a, "2027-04-15");
    run_both(&a, &b).await;
    run_both(&a, &b).await;

    for customer in &customers {
        let me = a.me(customer).await;
        assert_eq!(me.body["balance"], json!(300), "{customer}: {}", me.text);
        let history = me.body["history"].as_array().unwrap();
        let count = |kind: &str| history.iter().filter(|entry| entry["kind"] == kind).count();
        assert_eq!(
            (count("action"), count("expired")),
            (2, 1),
            "{customer}: {history:?}"
        );
    }

    // Both deliver the outbox at once until nothing is due: each event reaches the
    // shop once.
    loop {
        let (first, second) = tokio::join!(deliver_due(&a.state), deliver_due(&b.state));
        if first.unwrap().delivered + second.unwrap().delivered == 0 {
            break;
        }
    }
    let rows: Vec<OutboxRow> = a.state.store.outbox_rows("demo").await.unwrap();
    let expiring = rows
        .iter()
        .filter(|row| row.event.event_type == "points.expiring")
        .count();
    assert_eq!(expiring, CUSTOMERS);
    assert!(
        rows.len() > CUSTOMERS,
        "tier changes are events too: {}",
        rows.len()
    );
    assert!(
        rows.iter()
            .all(|row| row.delivered_at.is_some() && row.event.attempts == 1),
        "{rows:?}"
    );
    let received = ids.lock().unwrap().clone();
    let unique: HashSet<&String> = received.iter().collect();
    assert_eq!((received.len(), unique.len()), (rows.len(), rows.len()));
    drop(b);
}
