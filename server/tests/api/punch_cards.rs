//! Punch cards: stamps from paid orders, a code for each full card issued once, refunds
//! taking a stamp back (revoking an unused code the card no longer earns, or leaving a
//! stamp debt for a used one), and time-limited cards.

use comeback_core::date::Date;
use comeback_server::config::Settings;
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp, CONFIG, DEMO_API_KEY};

const DAY: i64 = 86_400;

/// [`CONFIG`] with a card-only reward and two cards: `teas` (3 tea orders of at least
/// ¥10 give a free tea) and `visits` (any 2 orders within 7 days give free shipping).
fn config() -> String {
    format!(
        r#"{CONFIG}
[[shops.demo.loyalty.rewards]]
id = "free-tea"
kind = "free_product"
product_id = "tea-sample"
name = {{ en = "A free tea" }}

[[shops.demo.loyalty.punch_cards]]
id = "teas"
name = {{ en = "Buy 3 teas, the 4th is on us" }}
required = 3
reward = "free-tea"
min_spend = 1000
product_ids = ["tea-1", "tea-2"]

[[shops.demo.loyalty.punch_cards]]
id = "visits"
name = {{ en = "Two orders in a week" }}
required = 2
reward = "free-shipping"
window_days = 7

[shops.demo.webhooks]
url = "http://127.0.0.1:9/hooks"
"#
    )
}

/// Pays an order of one product.
async fn buy(app: &TestApp, customer: &str, order_id: &str, product: &str, total: i64) {
    let response = app
        .webhook(&json!({
            "id": order_id,
            "customer_id": customer,
            "status": "paid",
            "currency": "CNY",
            "total": total,
            "lines": [{ "product_id": product, "quantity": 1, "unit_price": total }],
        }))
        .await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
}

async fn me(app: &TestApp, customer: &str) -> Value {
    let response = app.me(customer).await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
    response.body
}

fn card<'a>(me: &'a Value, id: &str) -> &'a Value {
    me["punch_cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|card| card["id"] == id)
        .unwrap_or_else(|| panic!("no card `{id}` in {me}"))
}

fn stamps(me: &Value, id: &str) -> (i64, i64) {
    let card = card(me, id);
    (
        card["filled"].as_i64().unwrap(),
        card["rewards_earned"].as_i64().unwrap(),
    )
}

fn codes_for(me: &Value, reward: &str) -> Vec<String> {
    me["codes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|code| code["reward_id"] == reward)
        .map(|code| code["code"].as_str().unwrap().to_owned())
        .collect()
}

async fn completed_events(app: &TestApp) -> Vec<Value> {
    app.state
        .store
        .outbox_rows("demo")
        .await
        .unwrap()
        .iter()
        .filter(|row| row.event.event_type == "punch_card.completed")
        .map(|row| serde_json::from_str::<Value>(&row.event.payload).unwrap())
        .filter(|payload| payload["card_id"] == "teas")
        .collect()
}

pub async fn full_cards_issue_a_code_once(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, &config(), Settings::default()).await else {
        return;
    };
    let programme = app.get("/v1/shops/demo/loyalty/programme", None).await;
    let teas = card(&programme.body, "teas");
    assert_eq!(
        teas,
        &json!({ "id": "teas", "name": { "en": "Buy 3 teas, the 4th is on us" },
                 "reward_id": "free-tea", "reward_name": { "en": "A free tea" },
                 "required": 3, "filled": 0, "rewards_earned": 0, "min_spend": 1000 })
    );
    assert!(
        programme.body["rewards"]
            .as_array()
            .unwrap()
            .iter()
            .all(|reward| reward["id"] != "free-tea"),
        "a card-only reward is not for points"
    );

    buy(&app, "c-1", "o-1", "tea-1", 2_000).await;
    app.state.clock.advance(DAY * 10); // The visits card lapses between orders.
    buy(&app, "c-1", "o-2", "cup", 5_000).await; // Not a tea.
    app.state.clock.advance(DAY * 10);
    buy(&app, "c-1", "o-3", "tea-2", 500).await; // Below the minimum spend.
    app.state.clock.advance(DAY * 10);
    buy(&app, "c-1", "o-4", "tea-1", 3_000).await;
    let body = me(&app, "c-1").await;
    assert_eq!(stamps(&body, "teas"), (2, 0));
    assert!(codes_for(&body, "free-tea").is_empty());

    app.state.clock.advance(DAY * 10);
    buy(&app, "c-1", "o-5", "tea-2", 1_000).await;
    let body = me(&app, "c-1").await;
    assert_eq!(stamps(&body, "teas"), (0, 1));
    let first = codes_for(&body, "free-tea");
    assert_eq!(first.len(), 1, "{body}");
    let code = app
        .get(
            &format!("/v1/shops/demo/discount-codes/{}", first[0]),
            Some(DEMO_API_KEY),
        )
        .await;
    assert_eq!(
        (code.body["kind"].as_str(), code.body["status"].as_str()),
        (Some("free_product"), Some("active"))
    );
    // The checkout learns which product to add from the code itself.
    assert_eq!(code.body["product_id"].as_str(), Some("tea-sample"));
    let events = completed_events(&app).await;
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0],
        json!({ "customer_id": "c-1", "card_id": "teas", "reward_id": "free-tea",
                "code": first[0], "order_id": "o-5", "rewards_earned": 1 })
    );

    // A repeated webhook stamps nothing more.
    buy(&app, "c-1", "o-5", "tea-2", 1_000).await;
    assert_eq!(codes_for(&me(&app, "c-1").await, "free-tea").len(), 1);

    // A refund takes its stamp back; the card is then short of the reward it paid, so
    // the unused code is revoked (issue 9) and the card pays again when refilled.
    let refund = app.order("c-1", "o-4", "refunded", 3_000).await;
    assert_eq!(refund.status.as_u16(), 200, "{}", refund.text);
    let body = me(&app, "c-1").await;
    assert_eq!(stamps(&body, "teas"), (2, 0));
    assert!(codes_for(&body, "free-tea").is_empty(), "{body}");
    let revoked = app
        .get(
            &format!("/v1/shops/demo/discount-codes/{}", first[0]),
            Some(DEMO_API_KEY),
        )
        .await;
    assert_eq!(revoked.body["status"], "revoked");
    buy(&app, "c-1", "o-6", "tea-1", 1_500).await;
    let body = me(&app, "c-1").await;
    assert_eq!(stamps(&body, "teas"), (0, 1));
    let second = codes_for(&body, "free-tea");
    assert_eq!(second.len(), 1);
    assert_ne!(second, first);
    for (index, id) in ["o-7", "o-8", "o-9"].into_iter().enumerate() {
        app.state.clock.advance(DAY);
        buy(
            &app,
            "c-1",
            id,
            "tea-2",
            1_000 + i64::try_from(index).unwrap(),
        )
        .await;
    }
    let body = me(&app, "c-1").await;
    assert_eq!(stamps(&body, "teas"), (0, 2));
    assert_eq!(codes_for(&body, "free-tea").len(), 2);
    assert_eq!(completed_events(&app).await.len(), 3);
    assert_eq!(body["balance"], 130, "codes of full cards cost no points");

    // The card-only reward cannot be bought with points.
    app.redeem("c-1", "k-1", "free-tea")
        .await
        .assert_error(422, "validation_failed");
}

pub async fn time_limited_cards_lapse(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, &config(), Settings::default()).await else {
        return;
    };
    let today = Date::from_unix_seconds(app.state.clock.now());
    buy(&app, "c-2", "o-1", "cup", 800).await;
    let body = me(&app, "c-2").await;
    let visits = card(&body, "visits");
    assert_eq!(
        (visits["filled"].as_i64(), visits["window_days"].as_i64()),
        (Some(1), Some(7))
    );
    assert_eq!(visits["complete_by"], today.add_days(6).to_iso().as_str());
    assert_eq!(stamps(&body, "teas"), (0, 0), "not a tea");

    // Eight days later the first stamp has lapsed: this order starts a new card.
    app.state.clock.advance(DAY * 8);
    buy(&app, "c-2", "o-2", "cup", 800).await;
    assert_eq!(stamps(&me(&app, "c-2").await, "visits"), (1, 0));
    app.state.clock.advance(DAY * 6);
    buy(&app, "c-2", "o-3", "cup", 800).await;
    let body = me(&app, "c-2").await;
    assert_eq!(stamps(&body, "visits"), (0, 1));
    assert_eq!(codes_for(&body, "free-shipping").len(), 1);
    assert!(card(&body, "visits").get("complete_by").is_none());
}

pub async fn a_used_card_code_survives_the_refund_as_a_stamp_debt(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, &config(), Settings::default()).await else {
        return;
    };
    for id in ["o-1", "o-2", "o-3"] {
        buy(&app, "c-1", id, "tea-1", 2_000).await;
    }
    let body = me(&app, "c-1").await;
    let issued = codes_for(&body, "free-tea");
    assert_eq!(issued.len(), 1, "{body}");
    let used = app
        .post_json(
            &format!("/v1/shops/demo/discount-codes/{}/consume", issued[0]),
            Some(DEMO_API_KEY),
            &[],
            &json!({ "order_id": "o-50" }),
        )
        .await;
    assert_eq!(used.status, 200, "{}", used.text);

    // Every order that stamped the card is refunded: the used code stays used.
    for id in ["o-1", "o-2", "o-3"] {
        let refund = app.order("c-1", id, "refunded", 2_000).await;
        assert_eq!(refund.status, 200, "{}", refund.text);
    }
    let code = app
        .get(
            &format!("/v1/shops/demo/discount-codes/{}", issued[0]),
            Some(DEMO_API_KEY),
        )
        .await;
    assert_eq!(code.body["status"], "used");
    assert_eq!(stamps(&me(&app, "c-1").await, "teas"), (0, 0));

    // The next full card pays the debt: no code for it.
    for id in ["o-4", "o-5", "o-6"] {
        buy(&app, "c-1", id, "tea-2", 2_000).await;
    }
    let body = me(&app, "c-1").await;
    assert_eq!(stamps(&body, "teas"), (0, 1));
    assert!(codes_for(&body, "free-tea").is_empty(), "{body}");
    assert_eq!(completed_events(&app).await.len(), 1);
    // The card after it pays again.
    for id in ["o-7", "o-8", "o-9"] {
        buy(&app, "c-1", id, "tea-2", 2_000).await;
    }
    let body = me(&app, "c-1").await;
    assert_eq!(stamps(&body, "teas"), (0, 2));
    assert_eq!(codes_for(&body, "free-tea").len(), 1);
    assert_eq!(completed_events(&app).await.len(), 2);
}
