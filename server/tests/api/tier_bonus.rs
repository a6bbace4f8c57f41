//! The multiplier bonus a refund takes back: orders paid while the shopper held a tier
//! only a refunded order gave them keep only what the recomputed tier earns; the rest
//! goes like a refund (balance, unused codes, debt), once, and genuine spending keeps it.

use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp, TestResponse, CONFIG, DEMO_API_KEY};
use comeback_server::config::Settings;

/// [`CONFIG`] with Tender Bud at 1.25× and Full Bloom at 1.5×.
fn config() -> String {
    let with_perks = CONFIG
        .replacen(
            "threshold = 500\nname = { en = \"Tender Bud\" }\n",
            "threshold = 500\nname = { en = \"Tender Bud\" }\npoints_multiplier = 1.25\n",
            1,
        )
        .replacen(
            "threshold = 2000\nname = { en = \"Full Bloom\" }\n",
            "threshold = 2000\nname = { en = \"Full Bloom\" }\npoints_multiplier = 1.5\n",
            1,
        );
    assert_eq!(with_perks.matches("points_multiplier").count(), 2);
    with_perks
}

async fn spawn(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with(backend, &config(), Settings::default()).await
}

/// The ledger history entries with a detail of `kind`, with their details.
fn steps<'a>(record: &'a Value, kind: &str) -> Vec<(&'a Value, &'a Value)> {
    let history = record["history"].as_array().expect("a history");
    record["history_details"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|detail| detail["detail"] == kind)
        .map(|detail| {
            let entry = history
                .iter()
                .find(|entry| entry["id"] == detail["id"])
                .expect("the step is in the history");
            (entry, detail)
        })
        .collect()
}

fn answer(response: &TestResponse) -> Value {
    assert_eq!(response.status, 200, "{}", response.text);
    json!([
        response.body["points"],
        response.body["balance"],
        response.body["duplicate"]
    ])
}

async fn refund(app: &TestApp, customer: &str, order: &str, total: i64, extra: Value) -> Value {
    let mut body = json!({
        "id": order,
        "customer_id": customer,
        "status": "refunded",
        "currency": "CNY",
        "total": total,
    });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    answer(&app.webhook(&body).await)
}

async fn redeem_code(app: &TestApp, customer: &str, key: &str) -> String {
    let redeemed = app.redeem(customer, key, "off-10").await;
    assert_eq!(redeemed.status, 201, "{}", redeemed.text);
    redeemed.body["code"].as_str().expect("a code").to_owned()
}

/// ¥2,000 (`{prefix}1`) reaches Full Bloom, ¥1,000 (`{prefix}2`) then earns 1,500 at
/// 1.5×.
async fn bloom_then_bonus(app: &TestApp, customer: &str, prefix: &str) {
    let paid = app.pay(customer, &format!("{prefix}1"), 200_000).await;
    assert_eq!(paid["points"], 2_000);
    let paid = app.pay(customer, &format!("{prefix}2"), 100_000).await;
    assert_eq!(paid["points"], 1_500);
    assert_eq!(app.me(customer).await.body["tier"]["current"], "bloom");
}

pub async fn a_refund_takes_back_the_bonus_its_tier_gave_later_orders(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    bloom_then_bonus(&app, "c-1", "o-").await;
    // The refund takes its own 2,000 and the 500 of bonus o-2 earned at Full Bloom:
    // without o-1, o-2 was paid at Green Leaf (1×).
    assert_eq!(
        refund(&app, "c-1", "o-1", 200_000, json!({})).await,
        json!([-2_500, 1_000, false])
    );
    let me = app.me("c-1").await.body;
    assert_eq!(
        (me["balance"].clone(), me["lifetime_points"].clone()),
        (json!(1_000), json!(1_000)),
        "{me}"
    );
    assert_eq!(me["tier"]["current"], "bud");
    let record = app.admin_customer("c-1").await;
    let bonus = steps(&record, "tier_bonus_taken_back");
    assert_eq!(bonus.len(), 1, "{record}");
    let (entry, detail) = bonus[0];
    assert_eq!(
        (
            entry["kind"].clone(),
            entry["reference"].clone(),
            entry["points"].clone()
        ),
        (json!("order_refunded"), json!("o-1"), json!(-500)),
        "a step of o-1's refund"
    );
    assert_eq!(
        detail["order"], "o-2",
        "it names the order whose bonus it was"
    );
    assert!(detail.get("code").is_none(), "{detail}");
    // The widget's history shows a kind it knows.
    assert!(me["history"]
        .as_array()
        .expect("a history")
        .iter()
        .all(|entry| entry["kind"] != "tier_bonus_taken_back"));

    // The same refund again changes nothing.
    assert_eq!(
        refund(&app, "c-1", "o-1", 200_000, json!({})).await,
        json!([0, 1_000, true])
    );
    assert_eq!(
        app.admin_customer("c-1").await["history"],
        record["history"]
    );

    // Refunding o-2 later takes only what it still holds: 1,000.
    assert_eq!(
        refund(&app, "c-1", "o-2", 100_000, json!({})).await,
        json!([-1_000, 0, false])
    );
    let me = app.me("c-1").await.body;
    assert_eq!(me["lifetime_points"], 0, "{me}");
    assert_eq!(
        steps(&app.admin_customer("c-1").await, "tier_bonus_taken_back").len(),
        1
    );
}

pub async fn a_partial_refund_takes_back_the_bonus_in_steps(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    bloom_then_bonus(&app, "c-1", "o-").await;
    // Half of o-1 refunded: it counts 1,000, Tender Bud (1.25×): o-2 keeps 1,250.
    assert_eq!(
        refund(
            &app,
            "c-1",
            "o-1",
            200_000,
            json!({ "refund_total": 100_000 })
        )
        .await,
        json!([-1_250, 2_250, false])
    );
    assert_eq!(
        refund(
            &app,
            "c-1",
            "o-1",
            200_000,
            json!({ "refund_total": 100_000 })
        )
        .await,
        json!([0, 2_250, true])
    );
    // The rest refunded: Green Leaf, o-2 keeps 1,000.
    assert_eq!(
        refund(&app, "c-1", "o-1", 200_000, json!({})).await,
        json!([-1_250, 1_000, false])
    );
    let record = app.admin_customer("c-1").await;
    let bonus: Vec<Value> = steps(&record, "tier_bonus_taken_back")
        .iter()
        .map(|(entry, detail)| json!([entry["points"], detail["order"]]))
        .collect();
    assert_eq!(
        bonus,
        vec![json!([-250, "o-2"]), json!([-250, "o-2"])],
        "{record}"
    );
    assert_eq!(record["lifetime_points"], 1_000, "{record}");
}

pub async fn a_spent_bonus_revokes_a_code_or_becomes_a_debt(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    // c-1 spent 1,500 on three codes bought after o-2: the refund's own 2,000 comes from
    // the balance, the bonus revokes the newest code.
    bloom_then_bonus(&app, "c-1", "o-").await;
    let mut codes = Vec::new();
    for key in ["k-1", "k-2", "k-3"] {
        codes.push(redeem_code(&app, "c-1", key).await);
    }
    assert_eq!(
        refund(&app, "c-1", "o-1", 200_000, json!({})).await,
        json!([-2_000, 0, false])
    );
    let record = app.admin_customer("c-1").await;
    // One of the three (bought in the same second, so any may be the newest).
    let revoked: Vec<(&Value, &Value)> = steps(&record, "code_revoked");
    assert_eq!(revoked.len(), 1, "{record}");
    assert_eq!(revoked[0].0["reference"], "o-1");
    let revoked = revoked[0].1["code"].as_str().expect("the revoked code");
    assert_eq!(steps(&record, "tier_bonus_taken_back").len(), 1, "{record}");
    assert_eq!(record["points_debt"], 0);
    assert_eq!(record["lifetime_points"], 1_000);
    let me = app.me("c-1").await.body;
    let mut left: Vec<&str> = me["codes"]
        .as_array()
        .expect("codes")
        .iter()
        .filter_map(|code| code["code"].as_str())
        .collect();
    left.sort_unstable();
    let mut kept: Vec<&str> = codes
        .iter()
        .map(String::as_str)
        .filter(|code| *code != revoked)
        .collect();
    kept.sort_unstable();
    assert_eq!(left, kept, "the other two codes stay");

    // c-2 used all three codes: the bonus becomes a debt that later earnings repay.
    bloom_then_bonus(&app, "c-2", "p-").await;
    for (index, key) in ["k-4", "k-5", "k-6"].into_iter().enumerate() {
        let code = redeem_code(&app, "c-2", key).await;
        let used = app
            .post_json(
                &format!("/v1/shops/demo/discount-codes/{code}/consume"),
                Some(DEMO_API_KEY),
                &[],
                &json!({ "order_id": format!("used-{index}") }),
            )
            .await;
        assert_eq!(used.status, 200, "{}", used.text);
    }
    refund(&app, "c-2", "p-1", 200_000, json!({})).await;
    let record = app.admin_customer("c-2").await;
    assert_eq!(record["points_debt"], 500, "{record}");
    let bonus = steps(&record, "tier_bonus_taken_back");
    assert_eq!(bonus.len(), 1, "{record}");
    assert_eq!(bonus[0].1["debt"], 500, "the bonus step left the debt");
    // ¥600 earns 750 at Tender Bud: 500 repay the debt first.
    assert_eq!(app.pay("c-2", "p-3", 60_000).await["points"], 250);
    assert_eq!(app.admin_customer("c-2").await["points_debt"], 0);
}

pub async fn genuine_spending_keeps_the_bonus(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    // ¥2,000 of genuine spending reaches Full Bloom; a small order is refunded later.
    assert_eq!(app.pay("c-1", "o-1", 200_000).await["points"], 2_000);
    assert_eq!(app.pay("c-1", "o-2", 10_000).await["points"], 150);
    assert_eq!(app.pay("c-1", "o-3", 100_000).await["points"], 1_500);
    assert_eq!(
        refund(&app, "c-1", "o-2", 10_000, json!({})).await,
        json!([-150, 3_500, false])
    );
    let record = app.admin_customer("c-1").await;
    assert!(
        steps(&record, "tier_bonus_taken_back").is_empty(),
        "{record}"
    );
    assert_eq!(record["lifetime_points"], 3_500);
    assert_eq!(app.me("c-1").await.body["tier"]["current"], "bloom");
}
