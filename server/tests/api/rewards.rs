//! Reward kinds and access: free products, points at checkout, member-only rewards,
//! early access to rewards and to products.

use comeback_core::date::Date;
use comeback_server::config::Settings;
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp, TestResponse, CONFIG, DEMO_API_KEY};

const DAY: i64 = 86_400;

/// [`CONFIG`] with four more demo rewards and one early-access list, whose early access
/// ends on `until`.
fn config(until: Date) -> String {
    let until = until.to_iso();
    format!(
        r#"{CONFIG}
[[shops.demo.loyalty.rewards]]
id = "teapot"
kind = "free_product"
product_id = "sku-teapot"
cost = 800
name = {{ en = "A free teapot" }}

[[shops.demo.loyalty.rewards]]
id = "pay-with-points"
kind = "points_at_checkout"
cost = 100
value = 100
max_points = 1000
name = {{ en = "Pay with points" }}

[[shops.demo.loyalty.rewards]]
id = "bloom-gift"
kind = "amount_off"
value = 3000
cost = 600
tiers = ["bloom"]
name = {{ en = "Full Bloom gift" }}

[[shops.demo.loyalty.rewards]]
id = "spring-preview"
kind = "percent_off"
value = 20
cost = 400
tiers = ["bud", "bloom"]
early_access_until = "{until}"
name = {{ en = "Spring tea preview" }}

[[shops.demo.loyalty.early_access]]
product_ids = ["spring-tea", "spring-cup"]
tiers = ["bloom"]
until = "{until}"
"#
    )
}

async fn spawn(backend: Backend) -> Option<(TestApp, Date)> {
    let now = time_now();
    let until = Date::from_unix_seconds(now).add_days(10);
    let app = TestApp::spawn_with(backend, &config(until), Settings::default()).await?;
    Some((app, until))
}

fn time_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(0))
}

fn reward<'a>(body: &'a Value, id: &str) -> &'a Value {
    body["rewards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|reward| reward["id"] == id)
        .unwrap_or_else(|| panic!("no reward `{id}` in {body}"))
}

async fn me(app: &TestApp, customer: &str) -> Value {
    let response = app.me(customer).await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
    response.body
}

async fn redeem_points(app: &TestApp, customer: &str, key: &str, points: Value) -> TestResponse {
    app.post_json(
        "/v1/shops/demo/loyalty/redemptions",
        Some(&app.token(customer)),
        &[("idempotency-key", key)],
        &json!({ "reward_id": "pay-with-points", "points": points }),
    )
    .await
}

pub async fn reward_kinds_and_member_only_rewards(backend: Backend) {
    let Some((app, _)) = spawn(backend).await else {
        return;
    };
    let programme = app.get("/v1/shops/demo/loyalty/programme", None).await;
    let body = &programme.body;
    assert_eq!(
        reward(body, "teapot"),
        &json!({ "id": "teapot", "name": { "en": "A free teapot" }, "kind": "free_product",
                 "value": 0, "cost": 800, "affordable": false, "product_id": "sku-teapot",
                 "eligible": true })
    );
    assert_eq!(reward(body, "pay-with-points")["max_points"], 1000);
    assert_eq!(reward(body, "bloom-gift")["tiers"], json!(["bloom"]));
    assert_eq!(reward(body, "bloom-gift")["eligible"], false, "signed out");
    assert_eq!(reward(body, "spring-preview")["eligible"], false);
    assert_eq!(reward(body, "off-10")["eligible"], true);
    assert_eq!(
        body["tiers"][1]["perks"]["exclusive_rewards"],
        json!(["spring-preview"])
    );
    assert_eq!(
        body["tiers"][2]["perks"]["exclusive_rewards"],
        json!(["bloom-gift", "spring-preview"])
    );

    app.pay("c-1", "o-1", 60_000).await; // 600 points: Tender Bud.
    let body = me(&app, "c-1").await;
    assert_eq!(reward(&body, "bloom-gift")["eligible"], false);
    assert_eq!(reward(&body, "bloom-gift")["affordable"], true);
    assert_eq!(reward(&body, "spring-preview")["eligible"], true);
    let refused = app.redeem("c-1", "k-1", "bloom-gift").await;
    refused.assert_error(403, "reward_not_eligible");
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("bloom"),
        "{}",
        refused.text
    );
    app.redeem("c-1", "k-2", "teapot")
        .await
        .assert_error(409, "insufficient_points");
    assert_eq!(
        me(&app, "c-1").await["balance"],
        600,
        "refusals spend nothing"
    );

    app.pay("c-1", "o-2", 150_000).await; // 2,100 points: Full Bloom.
    let gift = app.redeem("c-1", "k-1", "bloom-gift").await;
    assert_eq!(gift.status.as_u16(), 201, "{}", gift.text);
    assert_eq!(gift.body["value"], 3000);
    let teapot = app.redeem("c-1", "k-3", "teapot").await;
    assert_eq!(teapot.status.as_u16(), 201, "{}", teapot.text);
    assert_eq!(teapot.body["kind"], "free_product");
    assert_eq!(teapot.body["balance"], 2_100 - 600 - 800);
    let code = teapot.body["code"].as_str().unwrap();
    let view = app
        .get(
            &format!("/v1/shops/demo/discount-codes/{code}"),
            Some(DEMO_API_KEY),
        )
        .await;
    assert_eq!(view.body["reward_id"], "teapot", "{}", view.text);
    assert_eq!(view.body["kind"], "free_product");
    // A replay of the refused key's later success answers that success.
    let replay = app.redeem("c-1", "k-1", "bloom-gift").await;
    assert_eq!(replay.status.as_u16(), 201);
    assert_eq!(replay.body, gift.body);
}

pub async fn points_at_checkout_spends_the_chosen_points(backend: Backend) {
    let Some((app, _)) = spawn(backend).await else {
        return;
    };
    app.pay("c-2", "o-1", 120_000).await; // 1,200 points.
    let token = app.token("c-2");
    let missing = app
        .post_json(
            "/v1/shops/demo/loyalty/redemptions",
            Some(&token),
            &[("idempotency-key", "k-0")],
            &json!({ "reward_id": "pay-with-points" }),
        )
        .await;
    missing.assert_error(422, "validation_failed");
    for (points, words) in [
        (json!(150), "multiple of 100"),
        (json!(50), "at least 100"),
        (json!(0), "at least 100"),
        (json!(1_100), "at most 1000"),
    ] {
        let response = redeem_points(&app, "c-2", "k-bad", points).await;
        response.assert_error(422, "validation_failed");
        let message = response.body["error"]["message"].as_str().unwrap();
        assert!(message.contains(words), "{message}");
    }
    redeem_points(&app, "c-2", "k-bad", json!("ten"))
        .await
        .assert_error(400, "bad_request");
    let other_kind = app
        .post_json(
            "/v1/shops/demo/loyalty/redemptions",
            Some(&token),
            &[("idempotency-key", "k-x")],
            &json!({ "reward_id": "off-10", "points": 500 }),
        )
        .await;
    other_kind.assert_error(422, "validation_failed");
    assert_eq!(me(&app, "c-2").await["balance"], 1_200, "nothing was spent");

    let spent = redeem_points(&app, "c-2", "k-1", json!(1_000)).await;
    assert_eq!(spent.status.as_u16(), 201, "{}", spent.text);
    assert_eq!(
        (
            spent.body["kind"].as_str(),
            spent.body["value"].as_i64(),
            spent.body["points_spent"].as_i64(),
            spent.body["balance"].as_i64()
        ),
        (
            Some("points_at_checkout"),
            Some(1_000),
            Some(1_000),
            Some(200)
        )
    );
    let replay = redeem_points(&app, "c-2", "k-1", json!(1_000)).await;
    assert_eq!(replay.body, spent.body);
    assert_eq!(replay.header("idempotency-replayed"), Some("true"));
    redeem_points(&app, "c-2", "k-1", json!(200))
        .await
        .assert_error(422, "idempotency_key_reused");
    redeem_points(&app, "c-2", "k-2", json!(300))
        .await
        .assert_error(409, "insufficient_points");
    let small = redeem_points(&app, "c-2", "k-3", json!(200)).await;
    assert_eq!(small.body["value"], 200, "{}", small.text);
    let body = me(&app, "c-2").await;
    assert_eq!(body["balance"], 0);
    assert_eq!(reward(&body, "pay-with-points")["affordable"], false);
}

pub async fn early_access_ends_after_its_day(backend: Backend) {
    let Some((app, until)) = spawn(backend).await else {
        return;
    };
    app.pay("c-leaf", "o-1", 45_000).await; // 450 points: Green Leaf.
    app.pay("c-bloom", "o-2", 250_000).await; // Full Bloom.
    let leaf = me(&app, "c-leaf").await;
    assert_eq!(reward(&leaf, "spring-preview")["eligible"], false);
    assert_eq!(
        reward(&leaf, "spring-preview")["early_access_until"],
        until.to_iso().as_str()
    );
    assert_eq!(leaf["early_access_products"], json!([]));
    let bloom = me(&app, "c-bloom").await;
    assert_eq!(
        bloom["early_access_products"],
        json!(["spring-tea", "spring-cup"])
    );
    app.redeem("c-leaf", "k-1", "spring-preview")
        .await
        .assert_error(403, "reward_not_eligible");

    // The last day of early access still restricts; the next day is for everyone.
    let at = |day: Date| day.days_since_epoch() * DAY + DAY / 2 - app.state.clock.now();
    app.state.clock.advance(at(until));
    app.redeem("c-leaf", "k-1", "spring-preview")
        .await
        .assert_error(403, "reward_not_eligible");
    assert_eq!(
        me(&app, "c-bloom").await["early_access_products"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    app.state.clock.advance(at(until.add_days(1)));
    let body = me(&app, "c-leaf").await;
    assert_eq!(reward(&body, "spring-preview")["eligible"], true);
    let programme = app.get("/v1/shops/demo/loyalty/programme", None).await;
    assert_eq!(reward(&programme.body, "spring-preview")["eligible"], true);
    let redeemed = app.redeem("c-leaf", "k-1", "spring-preview").await;
    assert_eq!(redeemed.status.as_u16(), 201, "{}", redeemed.text);
    assert_eq!(
        me(&app, "c-bloom").await["early_access_products"],
        json!([])
    );
}
