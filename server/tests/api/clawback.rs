//! Refunds after redemptions (issue 9, money): a refund takes back what it owes from the
//! balance, then by revoking unused codes bought with the refunded points, then as a
//! debt that later earnings repay; a used code is released only once its order is
//! refunded.

use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp, TestResponse, DEMO_API_KEY};

async fn code_action(app: &TestApp, code: &str, action: &str, body: &Value) -> TestResponse {
    app.post_json(
        &format!("/v1/shops/demo/discount-codes/{code}/{action}"),
        Some(DEMO_API_KEY),
        &[],
        body,
    )
    .await
}

async fn redeem_code(app: &TestApp, customer: &str, key: &str) -> String {
    let redeemed = app.redeem(customer, key, "off-10").await;
    assert_eq!(redeemed.status, 201, "{}", redeemed.text);
    redeemed.body["code"].as_str().unwrap().to_owned()
}

fn webhook_answer(response: &TestResponse) -> Value {
    assert_eq!(response.status, 200, "{}", response.text);
    json!([response.body["points"], response.body["balance"]])
}

pub async fn refund_after_redeeming_revokes_the_unused_code(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.pay("c-1", "o-1", 50_000).await;
    let code = redeem_code(&app, "c-1", "k-1").await;
    assert_eq!(app.me("c-1").await.body["balance"], json!(0));

    let refund = app.order("c-1", "o-1", "refunded", 50_000).await;
    assert_eq!(webhook_answer(&refund), json!([0, 0]));

    // Nothing forgiven, nothing owed: the code paid it back.
    let me = app.me("c-1").await;
    assert_eq!(me.body["balance"], json!(0));
    assert_eq!(me.body["lifetime_points"], json!(0));
    assert!(me.body.get("points_debt").is_none(), "{}", me.text);
    assert_eq!(me.body["codes"], json!([]), "the revoked code is not shown");
    let history = me.body["history"].as_array().unwrap();
    assert!(
        history.iter().all(|entry| entry["forgiven"] == json!(0)),
        "{history:?}"
    );
    let record = app.admin_customer("c-1").await;
    assert_eq!(record["points_debt"], json!(0));
    let revoked: Vec<&Value> = record["history_details"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|detail| detail["detail"] == "code_revoked")
        .collect();
    assert_eq!(revoked.len(), 1, "{record}");
    assert_eq!(revoked[0]["code"], json!(code));
    let step = record["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["id"] == revoked[0]["id"])
        .unwrap();
    assert_eq!(
        (
            step["kind"].clone(),
            step["reference"].clone(),
            step["points"].clone()
        ),
        (json!("order_refunded"), json!("o-1"), json!(0))
    );

    // The code can no longer be used or released for points.
    let lookup = app
        .get(
            &format!("/v1/shops/demo/discount-codes/{code}"),
            Some(DEMO_API_KEY),
        )
        .await;
    assert_eq!(lookup.body["status"], "revoked", "{}", lookup.text);
    code_action(&app, &code, "consume", &json!({ "order_id": "o-9" }))
        .await
        .assert_error(409, "code_revoked");
    code_action(&app, &code, "release", &json!({}))
        .await
        .assert_error(409, "code_revoked");

    // The same refund again changes nothing.
    let again = app.order("c-1", "o-1", "refunded", 50_000).await;
    assert_eq!(again.body["duplicate"], json!(true), "{}", again.text);
    let record_again = app.admin_customer("c-1").await;
    assert_eq!(record_again["history"], record["history"]);
}

pub async fn a_code_worth_more_than_owed_returns_the_rest(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.pay("c-1", "o-1", 40_000).await;
    app.pay("c-1", "o-2", 20_000).await;
    // 600 points: 500 on the code, 100 left.
    redeem_code(&app, "c-1", "k-1").await;
    // o-2 owes 200: 100 from the balance, the code covers 100 and 400 of it come back.
    let refund = app.order("c-1", "o-2", "refunded", 20_000).await;
    assert_eq!(webhook_answer(&refund), json!([300, 400]));
    let me = app.me("c-1").await;
    assert_eq!(me.body["codes"], json!([]));
    assert_eq!(me.body["lifetime_points"], json!(400));
}

pub async fn a_used_code_leaves_a_debt_that_earnings_repay(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.pay("c-1", "o-1", 50_000).await;
    let code = redeem_code(&app, "c-1", "k-1").await;
    let used = code_action(&app, &code, "consume", &json!({ "order_id": "o-2" })).await;
    assert_eq!(used.status, 200, "{}", used.text);
    app.pay("c-1", "o-2", 10_000).await;

    // o-1 owes 500: 100 from the balance, the used code cannot be revoked: 400 owed.
    let refund = app.order("c-1", "o-1", "refunded", 50_000).await;
    assert_eq!(webhook_answer(&refund), json!([-100, 0]));
    let me = app.me("c-1").await;
    assert_eq!(me.body["balance"], json!(0));
    assert_eq!(me.body["points_debt"], json!(400), "{}", me.text);
    assert_eq!(app.admin_customer("c-1").await["points_debt"], json!(400));

    // A used code stays used while its order stands.
    code_action(&app, &code, "release", &json!({}))
        .await
        .assert_error(409, "code_in_use");

    // Earnings repay the debt before the balance grows.
    let paid = app.pay("c-1", "o-3", 30_000).await;
    assert_eq!(json!([paid["points"], paid["balance"]]), json!([0, 0]));
    let me = app.me("c-1").await;
    assert_eq!(me.body["points_debt"], json!(100));
    assert_eq!(me.body["lifetime_points"], json!(400));
    let newest = &me.body["history"][0];
    assert_eq!(
        (
            newest["kind"].clone(),
            newest["points"].clone(),
            newest["reference"].clone()
        ),
        (json!("order_refunded"), json!(-300), json!("o-1"))
    );
    let record = app.admin_customer("c-1").await;
    let repaid = &record["history_details"][0];
    assert_eq!(
        (repaid["detail"].clone(), repaid["debt"].clone()),
        (json!("debt_repaid"), json!(-300)),
        "{record}"
    );

    // Refunding the order the code was used on frees the code; its points repay the
    // rest of the debt first.
    app.order("c-1", "o-2", "refunded", 10_000).await;
    assert_eq!(app.me("c-1").await.body["points_debt"], json!(200));
    let released = code_action(&app, &code, "release", &json!({})).await;
    assert_eq!(released.status, 200, "{}", released.text);
    assert_eq!(
        json!([released.body["points_returned"], released.body["balance"]]),
        json!([500, 300])
    );
    let me = app.me("c-1").await;
    assert!(me.body.get("points_debt").is_none(), "{}", me.text);
    assert_eq!(me.body["balance"], json!(300));
}

pub async fn a_partial_refund_of_the_codes_order_does_not_free_it(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.pay("c-1", "o-1", 50_000).await;
    let code = redeem_code(&app, "c-1", "k-1").await;
    code_action(&app, &code, "consume", &json!({ "order_id": "o-2" })).await;
    app.pay("c-1", "o-2", 10_000).await;
    let partial = app
        .webhook(&json!({
            "id": "o-2", "customer_id": "c-1", "status": "refunded", "currency": "CNY",
            "total": 10_000, "refund_total": 5_000,
        }))
        .await;
    assert_eq!(partial.status, 200, "{}", partial.text);
    code_action(&app, &code, "release", &json!({}))
        .await
        .assert_error(409, "code_in_use");
}

pub async fn a_code_listed_on_a_standing_order_is_not_released(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.pay("c-1", "o-1", 50_000).await;
    let code = redeem_code(&app, "c-1", "k-1").await;
    // The shop reports the code on the order only (never calls `consume`).
    let paid = app
        .webhook(&json!({
            "id": "o-2", "customer_id": "c-1", "status": "paid", "currency": "CNY",
            "total": 10_000, "discount_codes": ["SHOP10", code.to_lowercase()],
        }))
        .await;
    assert_eq!(paid.status, 200, "{}", paid.text);
    let refused = code_action(&app, &code, "release", &json!({})).await;
    refused.assert_error(409, "code_in_use");
    assert!(refused.text.contains("o-2"), "{}", refused.text);
    // Cancelled (refunded in full): the code's points come back.
    app.order("c-1", "o-2", "refunded", 10_000).await;
    let released = code_action(&app, &code, "release", &json!({})).await;
    assert_eq!(released.status, 200, "{}", released.text);
    assert_eq!(released.body["points_returned"], json!(500));
    // An unused code on no order is released at once.
    app.pay("c-1", "o-3", 50_000).await;
    let other = redeem_code(&app, "c-1", "k-2").await;
    let released = code_action(&app, &other, "release", &json!({})).await;
    assert_eq!(released.status, 200, "{}", released.text);
}
