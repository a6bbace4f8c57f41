//! Tiers in depth: perks (order multiplier, birthday bonus), calendar-year holds that
//! end and move shoppers down, money-spent programmes, refunds dated by their order,
//! and the first-purchase anniversary reward.

use comeback_core::date::{Date, MonthDay};
use comeback_server::config::Settings;
use comeback_server::store::OutboxRow;
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp, TestResponse, CONFIG};

const DAY: i64 = 86_400;

/// Nothing listens on port 9 (discard) on test machines; events are only written.
const NOWHERE: &str = "http://127.0.0.1:9/hooks";

/// [`CONFIG`] with `loyalty` keys added to the demo shop, `bud` and `bloom` given perks,
/// and webhooks so `tier.changed` is written.
fn config(loyalty: &str) -> String {
    let with_keys = CONFIG.replacen(
        "code_valid_days = 30\n",
        &format!("code_valid_days = 30\n{loyalty}\n"),
        1,
    );
    let with_perks = with_keys
        .replacen(
            "threshold = 500\nname = { en = \"Tender Bud\" }\n",
            "threshold = 500\nname = { en = \"Tender Bud\" }\npoints_multiplier = 1.5\n",
            1,
        )
        .replacen(
            "threshold = 2000\nname = { en = \"Full Bloom\" }\n",
            "threshold = 2000\nname = { en = \"Full Bloom\" }\npoints_multiplier = 2\nbirthday_bonus = 100\nfree_shipping = true\n",
            1,
        );
    assert_eq!(with_perks.matches("points_multiplier").count(), 2);
    format!("{with_perks}\n[shops.demo.webhooks]\nurl = \"{NOWHERE}\"\n")
}

async fn spawn(backend: Backend, loyalty: &str) -> Option<TestApp> {
    TestApp::spawn_with(backend, &config(loyalty), Settings::default()).await
}

fn today(app: &TestApp) -> Date {
    Date::from_unix_seconds(app.state.clock.now())
}

/// Moves the clock to noon (UTC) of `day`.
fn move_to(app: &TestApp, day: Date) {
    let target = day.days_since_epoch() * DAY + DAY / 2;
    app.state.clock.advance(target - app.state.clock.now());
}

/// January 1 of the year after the clock's: a fixed place in a calendar year.
fn next_january(app: &TestApp) -> Date {
    Date::new(today(app).year() + 1, 1, 1).unwrap()
}

async fn me(app: &TestApp, customer: &str) -> Value {
    let response = app.me(customer).await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
    response.body
}

/// An order webhook with an explicit `created_at` (noon UTC of `placed_on`).
async fn order_placed(
    app: &TestApp,
    customer: &str,
    order_id: &str,
    status: &str,
    total: i64,
    placed_on: Date,
) -> TestResponse {
    let created_at = format!("{}T12:00:00Z", placed_on.to_iso());
    let response = app
        .webhook(&json!({
            "id": order_id,
            "customer_id": customer,
            "status": status,
            "currency": "CNY",
            "total": total,
            "created_at": created_at,
        }))
        .await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
    response
}

async fn tier_events(app: &TestApp) -> Vec<Value> {
    app.state
        .store
        .outbox_rows("demo")
        .await
        .unwrap()
        .iter()
        .filter(|row: &&OutboxRow| row.event.event_type == "tier.changed")
        .map(|row| serde_json::from_str(&row.event.payload).unwrap())
        .collect()
}

fn entry<'a>(me: &'a Value, reference: &str) -> &'a Value {
    me["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["reference"] == reference)
        .unwrap_or_else(|| panic!("no entry `{reference}` in {me}"))
}

pub async fn tier_perks_multiply_order_points(backend: Backend) {
    let Some(app) = spawn(backend, "").await else {
        return;
    };
    // 600 points at Green Leaf (no perk): Tender Bud from now on.
    assert_eq!(app.pay("c-1", "o-1", 60_000).await["points"], 600);
    // At Tender Bud an order earns 1.5 times: ¥101 → 151 (rounded down).
    let paid = app.pay("c-1", "o-2", 10_100).await;
    assert_eq!(paid["points"], 151);
    let body = me(&app, "c-1").await;
    assert_eq!(body["balance"], 751);
    assert_eq!(body["lifetime_points"], 751);
    let bonus = entry(&body, "o-2");
    assert_eq!(
        (bonus["kind"].as_str(), bonus["points"].as_i64()),
        (Some("order_paid"), Some(151))
    );
    assert_eq!(
        bonus["reward_name"]["en"], "Tender Bud",
        "the tier whose perk added points"
    );
    assert!(entry(&body, "o-1").get("reward_name").is_none());
    // The ladder carries each tier's perks.
    assert_eq!(
        body["tiers"][1]["perks"],
        json!({ "points_multiplier_percent": 150, "birthday_bonus": 0, "free_shipping": false, "exclusive_rewards": [] })
    );
    assert_eq!(body["tiers"][2]["perks"]["points_multiplier_percent"], 200);
    assert_eq!(body["tiers"][2]["perks"]["free_shipping"], true);
    assert_eq!(body["tiers"][0]["perks"]["points_multiplier_percent"], 100);
    assert_eq!(
        (body["tier_basis"].as_str(), body["tier_window"].as_str()),
        (Some("points_earned"), Some("lifetime"))
    );
    assert_eq!(body["qualifying_total"], 751);
    assert!(
        body.get("tier_held_until").is_none(),
        "lifetime programmes hold nothing"
    );

    // A refund takes back everything the order earned, bonus included.
    let refund = app.order("c-1", "o-2", "refunded", 10_100).await;
    assert_eq!(refund.body["points"], -151, "{}", refund.text);
    assert_eq!(me(&app, "c-1").await["lifetime_points"], 600);
    // The programme shows the perks too.
    let programme = app.get("/v1/shops/demo/loyalty/programme", None).await;
    assert_eq!(
        programme.body["tiers"][1]["perks"]["points_multiplier_percent"],
        150
    );
    assert_eq!(programme.body["tier_window"], "lifetime");
}

pub async fn calendar_year_holds_then_moves_down(backend: Backend) {
    let Some(app) = spawn(backend, "tier_window = \"calendar_year\"").await else {
        return;
    };
    let start = next_january(&app).add_days(59); // March 1 (or Feb 29) of year Y.
    let year = start.year();
    move_to(&app, start);
    app.pay("c-1", "o-1", 60_000).await;
    let body = me(&app, "c-1").await;
    assert_eq!(body["tier"]["current"], "bud");
    assert_eq!(body["tier_window"], "calendar_year");
    assert_eq!(body["qualifying_total"], 600);
    let held_until = format!("{}-12-31", year + 1);
    assert_eq!(body["tier_held_until"], held_until.as_str());
    assert_eq!(
        tier_events(&app).await,
        vec![
            json!({ "customer_id": "c-1", "from": "leaf", "to": "bud", "lifetime_points": 600, "qualifying_total": 600, "held_until": held_until })
        ]
    );

    // All of next year Tender Bud is kept though that year's total is small.
    move_to(&app, Date::new(year + 1, 6, 1).unwrap());
    assert_eq!(
        app.pay("c-1", "o-2", 10_000).await["points"],
        150,
        "still Tender Bud's perk"
    );
    let body = me(&app, "c-1").await;
    assert_eq!(
        (
            body["tier"]["current"].as_str(),
            body["qualifying_total"].as_i64()
        ),
        (Some("bud"), Some(150))
    );
    assert_eq!(body["tier"]["next"], "bloom");
    let review = comeback_server::tier_review::run_once(&app.state)
        .await
        .unwrap();
    assert_eq!(review.moved, 0);

    // On January 1 of Y + 2 the hold has ended: Y + 1's total (150) only reaches Green
    // Leaf (as does this year's, which holds it through Y + 3). The shopper sees it at
    // once, and the daily review records it.
    move_to(&app, Date::new(year + 2, 1, 1).unwrap());
    let body = me(&app, "c-1").await;
    assert_eq!(body["tier"]["current"], "leaf");
    assert_eq!(
        body["tier_held_until"],
        format!("{}-12-31", year + 3).as_str()
    );
    let review = comeback_server::tier_review::run_once(&app.state)
        .await
        .unwrap();
    assert_eq!((review.reviewed, review.moved), (1, 1));
    let events = tier_events(&app).await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(
        (events[1]["from"].as_str(), events[1]["to"].as_str()),
        (Some("bud"), Some("leaf"))
    );
    // Nobody is due again the same day.
    let again = comeback_server::tier_review::run_once(&app.state)
        .await
        .unwrap();
    assert_eq!(again.reviewed, 0);
    // A Green Leaf order earns the plain rate again.
    assert_eq!(app.pay("c-1", "o-3", 10_000).await["points"], 100);
}

pub async fn refunds_count_against_the_year_of_their_order(backend: Backend) {
    let Some(app) = spawn(backend, "tier_window = \"calendar_year\"").await else {
        return;
    };
    let january = next_january(&app);
    let december = january.add_days(-12); // December 20 of year Y.
    move_to(&app, december);
    order_placed(&app, "c-1", "o-1", "paid", 60_000, december).await;
    move_to(&app, january.add_days(2));
    // Placed on December 31, paid on January 3: it counts for the year it was placed.
    order_placed(&app, "c-1", "o-2", "paid", 20_000, january.add_days(-1)).await;
    order_placed(&app, "c-1", "o-3", "paid", 30_000, january.add_days(2)).await;
    let body = me(&app, "c-1").await;
    assert_eq!(
        body["qualifying_total"], 450,
        "only o-3 (1.5 × 300) is this year's"
    );
    // Refunding the December order takes its own points from last year's total, and
    // the tier it reached goes with it (issue 9), with the bonus that tier's 1.5× gave
    // o-2 and o-3: without o-1 both were paid at Green Leaf, so this year counts o-3's
    // 300 and last year o-2's 200, neither of which reaches Tender Bud.
    move_to(&app, january.add_days(4));
    order_placed(&app, "c-1", "o-1", "refunded", 60_000, december).await;
    let body = me(&app, "c-1").await;
    assert_eq!(body["qualifying_total"], 300);
    assert_eq!(body["balance"], 500, "o-2's 200 and o-3's 300");
    assert_eq!(body["tier"]["current"], "leaf");
}

pub async fn a_refunded_order_does_not_keep_the_tier_it_reached(backend: Backend) {
    let Some(app) = spawn(backend, "tier_window = \"calendar_year\"").await else {
        return;
    };
    let start = next_january(&app).add_days(59);
    move_to(&app, start);
    // Genuine spending reaches Tender Bud; a ¥2,000 order then reaches Full Bloom.
    app.pay("c-1", "o-1", 60_000).await;
    app.pay("c-1", "o-2", 200_000).await;
    let body = me(&app, "c-1").await;
    assert_eq!(body["tier"]["current"], "bloom");
    move_to(&app, start.add_days(3));
    let refund = app.order("c-1", "o-2", "refunded", 200_000).await;
    assert_eq!(refund.status, 200, "{}", refund.text);
    // Full Bloom goes with the refunded order; Tender Bud, reached by genuine spending,
    // keeps its hold to the end of next year.
    let body = me(&app, "c-1").await;
    assert_eq!(body["tier"]["current"], "bud", "{body}");
    assert_eq!(
        body["tier_held_until"],
        format!("{}-12-31", start.year() + 1).as_str()
    );
    let events = tier_events(&app).await;
    let last = events.last().unwrap();
    assert_eq!(
        (last["from"].as_str(), last["to"].as_str()),
        (Some("bloom"), Some("bud"))
    );
    // Its perks went with it: a new order earns Tender Bud's 1.5×, not Full Bloom's 2×.
    assert_eq!(app.pay("c-1", "o-3", 10_000).await["points"], 150);

    // Genuine spending that reached a tier keeps it after an unrelated refund.
    app.pay("c-1", "o-4", 200_000).await;
    assert_eq!(me(&app, "c-1").await["tier"]["current"], "bloom");
    app.pay("c-1", "o-5", 1_000).await;
    app.order("c-1", "o-5", "refunded", 1_000).await;
    assert_eq!(me(&app, "c-1").await["tier"]["current"], "bloom");
}

pub async fn money_spent_programmes_count_orders(backend: Backend) {
    // Thresholds in minor units: Tender Bud from ¥5, Full Bloom from ¥20.
    let Some(app) = spawn(backend, "tier_basis = \"money_spent\"").await else {
        return;
    };
    app.pay("c-1", "o-1", 1_550).await;
    let body = me(&app, "c-1").await;
    assert_eq!(body["tier_basis"], "money_spent");
    assert_eq!(body["qualifying_total"], 1_550);
    assert_eq!(
        body["tier"],
        json!({ "current": "bud", "next": "bloom", "points_to_next": 450, "percent": 70 })
    );
    // ¥0.80 earns no point but still counts as money spent.
    assert_eq!(app.pay("c-1", "o-2", 80).await["points"], 0);
    assert_eq!(me(&app, "c-1").await["qualifying_total"], 1_630);
    app.pay("c-1", "o-3", 500).await;
    assert_eq!(me(&app, "c-1").await["tier"]["current"], "bloom");
    // A refund corrects a lifetime programme at once, with an event.
    app.order("c-1", "o-3", "refunded", 500).await;
    let body = me(&app, "c-1").await;
    assert_eq!(
        (
            body["qualifying_total"].as_i64(),
            body["tier"]["current"].as_str()
        ),
        (Some(1_630), Some("bud"))
    );
    let events = tier_events(&app).await;
    let moves: Vec<(&str, &str)> = events
        .iter()
        .map(|event| {
            (
                event["from"].as_str().unwrap(),
                event["to"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(moves, [("leaf", "bud"), ("bud", "bloom"), ("bloom", "bud")]);
}

pub async fn birthday_reward_adds_the_tier_bonus(backend: Backend) {
    let Some(app) = spawn(backend, "birthday_points = 200").await else {
        return;
    };
    let start = next_january(&app).add_days(9);
    move_to(&app, start);
    app.pay("c-1", "o-1", 250_000).await; // Full Bloom.
    let response = app
        .send(
            axum::http::Request::put("/v1/shops/demo/loyalty/me/birthday")
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {}", app.token("c-1")))
                .body(axum::body::Body::from(
                    json!({ "birthday": "--03-14" }).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
    move_to(
        &app,
        MonthDay::parse("--03-14")
            .unwrap()
            .occurrence_in(start.year()),
    );
    let run = comeback_server::birthday::run_once(&app.state)
        .await
        .unwrap();
    assert_eq!(run.points, 300, "200 plus Full Bloom's 100");
    let body = me(&app, "c-1").await;
    let gift = entry(&body, &format!("birthday-{}", start.year()));
    assert_eq!(gift["points"], 300);
    assert!(body["ways_to_earn"]
        .as_array()
        .unwrap()
        .contains(&json!({ "kind": "birthday", "points": 200 })));
}

pub async fn anniversary_reward_arrives_once_a_year(backend: Backend) {
    let Some(app) = spawn(backend, "anniversary_points = 100").await else {
        return;
    };
    let run = |app: &TestApp| {
        let state = app.state.clone();
        async move {
            comeback_server::anniversary::run_once(&state)
                .await
                .unwrap()
        }
    };
    let first = next_january(&app).add_days(130); // May 11 (or 10) of year Y.
    move_to(&app, first);
    app.pay("c-1", "o-1", 10_000).await;
    // c-2's first order is refunded, so its anniversary is that of the second one.
    app.pay("c-2", "o-a", 10_000).await;
    app.order("c-2", "o-a", "refunded", 10_000).await;
    move_to(&app, first.add_days(20));
    app.pay("c-2", "o-b", 10_000).await;
    assert_eq!(
        run(&app).await.customers,
        0,
        "the first order's own year has no anniversary"
    );

    let anniversary = MonthDay::of(first).occurrence_in(first.year() + 1);
    move_to(&app, anniversary.add_days(-1));
    assert_eq!(run(&app).await.customers, 0);
    move_to(&app, anniversary);
    let given = run(&app).await;
    assert_eq!((given.customers, given.points), (1, 100));
    assert_eq!(run(&app).await.customers, 0, "once a year");
    let body = me(&app, "c-1").await;
    let gift = entry(&body, &format!("anniversary-{}", anniversary.year()));
    assert_eq!(
        (gift["kind"].as_str(), gift["points"].as_i64()),
        (Some("action"), Some(100))
    );
    assert_eq!(gift["reward_name"]["en"], "Anniversary gift");
    assert_eq!(gift["reward_name"]["zh-Hans"], "周年礼物");
    assert_eq!(body["lifetime_points"], 200);
    assert!(body["ways_to_earn"]
        .as_array()
        .unwrap()
        .contains(&json!({ "kind": "anniversary", "points": 100 })));

    // c-2's anniversary is twenty days later.
    move_to(&app, anniversary.add_days(20));
    let given = run(&app).await;
    assert_eq!((given.customers, given.points), (1, 100));
    let body = me(&app, "c-2").await;
    entry(&body, &format!("anniversary-{}", anniversary.year()));
    // A missed day is caught up within the year; nothing more for c-1.
    move_to(&app, anniversary.end_of_year());
    assert_eq!(run(&app).await.customers, 0);
}
