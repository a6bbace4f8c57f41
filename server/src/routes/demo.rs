//! Demo mode: a session endpoint that hands out customer tokens, and the seed that gives
//! the demo customer a believable history. Only mounted when `[demo] enabled = true`,
//! only for the one shop `[demo] shop` names, rate limited per client address, and
//! only on a loopback address unless `[demo] allow_public_host = true` ([`check_host`]).

use axum::extract::State;
use axum::Json;
use comeback_core::api::{
    OrderLine, OrderStatus, OrderWebhook, OrderWebhookResult, RedeemRequest, RewardKind,
};
use comeback_core::error::ErrorBody;
use comeback_core::orders::LineSubscription;
use comeback_core::subscription::parse_form_value;
use serde::{Deserialize, Serialize};

use super::{ApiJson, ApiQuery};
use crate::auth::{mint_token, Customer};
use crate::config::is_valid_id;
use crate::error::AppError;
use crate::AppState;

/// Lifetime of demo tokens.
pub const DEMO_TOKEN_TTL_SECONDS: i64 = 12 * 60 * 60;

/// Query of `/demo/session`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SessionQuery {
    /// Shop id; default `demo`.
    #[serde(default)]
    pub shop: Option<String>,
    /// Customer id; default the configured demo customer.
    #[serde(default)]
    pub customer: Option<String>,
}

/// A demo customer session.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DemoSession {
    /// A customer token valid for 12 hours.
    pub token: String,
    /// The customer it identifies.
    pub customer_id: String,
    /// The customer's name, for the demo customer.
    pub name: Option<String>,
    /// The shop it is valid for.
    pub shop: String,
}

/// `GET /demo/session`: a customer token for trying the widgets (demo mode only).
#[utoipa::path(get, path = "/demo/session", tag = "demo",
    params(SessionQuery),
    responses(
        (status = 200, description = "A 12-hour customer token", body = DemoSession),
        (status = 404, description = "No such shop, or demo mode is off", body = ErrorBody),
        (status = 422, description = "Bad customer id", body = ErrorBody),
    ))]
pub async fn session(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<SessionQuery>,
) -> Result<Json<DemoSession>, AppError> {
    let demo = &state.config.demo;
    let shop = demo_shop(&state, query.shop.as_deref().unwrap_or(&demo.shop))?;
    let customer_id = query.customer.unwrap_or_else(|| demo.customer_id.clone());
    if !is_valid_id(&customer_id, 64) {
        return Err(AppError::Validation(
            "`customer` must be 1 to 64 characters of A-Z, a-z, 0-9, `_` or `-`".into(),
        ));
    }
    let name = (customer_id == demo.customer_id).then(|| demo.customer_name.clone());
    let secret = shop
        .config
        .token_signing_key()
        .ok_or_else(|| AppError::Internal("the demo shop has no token secret".into()))?;
    let token = mint_token(
        secret.expose(),
        &customer_id,
        name.as_deref(),
        state.clock.now(),
        DEMO_TOKEN_TTL_SECONDS,
    )
    .map_err(|error| AppError::Internal(error.to_string()))?;
    Ok(Json(DemoSession {
        token,
        customer_id,
        name,
        shop: shop.id,
    }))
}

/// Body of `POST /demo/shops/{shop}/checkout`: one line of the demo shop's cart.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DemoCheckout {
    /// The demo shop's product id.
    pub product_id: String,
    /// Units, 1 to 20.
    pub quantity: i64,
    /// Price of one unit in minor units, 1 to 10,000,000.
    pub unit_price: i64,
    /// The subscribe toggle's form value, `<plan id>:<interval>` (`tea-club:P4W`): the
    /// line starts that subscription. Empty or absent for a one-time purchase.
    #[serde(default)]
    pub subscription: Option<String>,
    /// The referral code the page kept (`Comeback.referral()`), sent as the order's
    /// `referral_code` like a shop's cart would. The demo shopper following their own
    /// link is declined as a self-referral, as anyone would be.
    #[serde(default)]
    pub referral_code: Option<String>,
}

/// `POST /demo/shops/{shop}/checkout` (demo mode only): the signed-in demo shopper buys
/// something, and the order goes through the same path as a shop's signed order webhook,
/// so the demo shows points arriving. A real shop sends the webhook from its backend.
#[utoipa::path(post, path = "/demo/shops/{shop}/checkout", tag = "demo",
    params(("shop" = String, Path, description = "Shop id")),
    request_body = DemoCheckout,
    security(("customer_token" = [])),
    responses(
        (status = 200, description = "The order was recorded as paid", body = OrderWebhookResult),
        (status = 401, description = "No valid customer token", body = ErrorBody),
        (status = 404, description = "No such shop, or demo mode is off", body = ErrorBody),
        (status = 422, description = "Bad product, quantity, price or subscription (a form value no plan of the shop takes)", body = ErrorBody),
    ))]
pub async fn checkout(
    State(state): State<AppState>,
    customer: Customer,
    ApiJson(cart): ApiJson<DemoCheckout>,
) -> Result<Json<OrderWebhookResult>, AppError> {
    demo_shop(&state, &customer.shop.id)?;
    if !is_valid_id(&cart.product_id, 64) {
        return Err(AppError::Validation(
            "`product_id` must be 1 to 64 characters of A-Z, a-z, 0-9, `_` or `-`".into(),
        ));
    }
    if !(1..=20).contains(&cart.quantity) || !(1..=10_000_000).contains(&cart.unit_price) {
        return Err(AppError::Validation(
            "`quantity` must be 1 to 20 and `unit_price` 1 to 10,000,000 minor units".into(),
        ));
    }
    let subscription = match cart.subscription.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(value) => {
            let (plan_id, interval) = parse_form_value(value).ok_or_else(|| {
                AppError::Validation(format!(
                    "`subscription` must be the subscribe toggle's form value `<plan id>:<interval>` (such as tea-club:P4W), or empty for a one-time purchase; not `{}`",
                    crate::error::excerpt(value)
                ))
            })?;
            Some(LineSubscription {
                plan_id: plan_id.to_owned(),
                interval: interval.to_owned(),
                subscription_id: None,
            })
        }
    };
    let order = OrderWebhook {
        id: ["demo-", &uuid::Uuid::now_v7().simple().to_string()].concat(),
        customer_id: customer.claims.sub.clone(),
        status: OrderStatus::Paid,
        currency: customer.shop.config.currency.clone(),
        total: cart.quantity * cart.unit_price,
        lines: vec![OrderLine {
            product_id: cart.product_id,
            quantity: cart.quantity,
            unit_price: cart.unit_price,
            subscription,
        }],
        created_at: None,
        email: None,
        discount_codes: Vec::new(),
        referral_code: cart.referral_code,
        client_ip: None,
        refund_total: None,
        refunded_lines: Vec::new(),
    };
    let result =
        super::webhooks::process_order(&state, &customer.shop, &order, state.clock.now()).await?;
    Ok(Json(result))
}

/// The demo shop when `id` names it; 404 for every other shop, which demo mode does not
/// serve (it would hand out tokens for a real shop's customers).
fn demo_shop(state: &AppState, id: &str) -> Result<crate::auth::Shop, AppError> {
    if id != state.config.demo.shop {
        return Err(AppError::not_found(format!(
            "demo mode serves only the shop `{}`",
            state.config.demo.shop
        )));
    }
    state.shop(id)
}

/// Whether demo mode may listen on `host`: only on loopback (`127.0.0.1`, `::1`,
/// `localhost`) unless `[demo] allow_public_host = true`, because anyone who reaches a
/// demo server can sign in as any customer of the demo shop.
pub fn check_host(
    demo: &crate::config::DemoConfig,
    host: &str,
) -> Result<(), crate::config::ConfigError> {
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback());
    if demo.enabled && !loopback && !demo.allow_public_host {
        return Err(crate::config::ConfigError::Invalid {
            key: "demo.allow_public_host".into(),
            message: format!(
                "demo mode hands out a token for any customer, so it listens only on loopback; HOST is `{}`. Use HOST=127.0.0.1, or set [demo] allow_public_host = true to expose it on purpose",
                crate::error::excerpt(host)
            ),
        });
    }
    Ok(())
}

/// What `serve` prints (and logs) when demo mode is on: it must not go unnoticed.
pub const WARNING: &str = "DEMO MODE IS ON: /demo/session gives anyone a customer token of the demo shop, and its keys are published. Never run it for a real shop.";

const DAY: i64 = 86_400;

/// A line of a seeded order: product id, quantity, unit price in minor units.
type SeedLine = (&'static str, i64, i64);

/// Gives the demo customer of the demo shop a history, through the same functions the
/// webhook and the redemption endpoint use. Fixed order ids and idempotency key make
/// it safe to run at every start: later runs change nothing.
///
/// The demo catalogue (and, with recommendations, a year of other customers' orders),
/// then four paid orders of teas (¥268, ¥412.50, ¥356, ¥388; the oolong of the last one
/// started a subscription when the shop offers one), a ¥10-off redemption, and a
/// refund of the third order. With the demo programme (Tender Bud from 500 points,
/// earning 1.25 times) that is 665 points and 1,165 lifetime points: the middle tier,
/// an unused code, and three stamps on the tea punch card. With a referral programme,
/// the customer's referrals in every state follow (`demo_referrals`): the paid one
/// adds its reward (500 points in the demo). With surveys, eight weeks of other
/// shoppers' answers follow (`demo_surveys`).
pub async fn seed(state: &AppState) -> Result<(), AppError> {
    let customer_id = state.config.demo.customer_id.clone();
    let now = state.clock.now();
    {
        let shop = state.shop(&state.config.demo.shop)?;
        // The catalogue first: subscription plans cover teas by their category.
        if shop.config.recommendations.is_some() {
            super::demo_history::seed(state, &shop.id, &shop.config.currency).await?;
        } else if shop.config.subscriptions.is_some() {
            super::demo_history::seed_catalogue(state, &shop.id).await?;
        }
        let subscribed = demo_subscription(&shop);
        let order = |id: &str, status: OrderStatus, lines: &[SeedLine]| OrderWebhook {
            id: id.to_owned(),
            customer_id: customer_id.clone(),
            status,
            currency: shop.config.currency.clone(),
            total: lines
                .iter()
                .map(|(_, quantity, unit_price)| quantity * unit_price)
                .sum(),
            lines: lines
                .iter()
                .map(|(product_id, quantity, unit_price)| OrderLine {
                    product_id: (*product_id).to_owned(),
                    quantity: *quantity,
                    unit_price: *unit_price,
                    // The last order's oolong started the customer's subscription.
                    subscription: subscribed
                        .clone()
                        .filter(|_| id == SUBSCRIBED_ORDER && *product_id == SUBSCRIBED_PRODUCT),
                })
                .collect(),
            created_at: None,
            email: None,
            discount_codes: Vec::new(),
            referral_code: None,
            client_ip: None,
            refund_total: None,
            refunded_lines: Vec::new(),
        };
        let third: &[SeedLine] = &[("keemun-black-100g", 2, 17_800)];
        let paid: [(&str, &[SeedLine], i64); 4] = [
            (
                "demo-order-1001",
                &[("wuyi-oolong-100g", 1, 12_800), ("gaiwan-white", 1, 14_000)],
                120,
            ),
            (
                "demo-order-1002",
                &[
                    ("longjing-green-100g", 2, 15_800),
                    ("jasmine-pearls-50g", 1, 9_650),
                ],
                75,
            ),
            ("demo-order-1003", third, 40),
            (
                "demo-order-1004",
                &[("wuyi-oolong-100g", 2, 12_800), ("tea-towel", 1, 13_200)],
                25,
            ),
        ];
        for (id, lines, days_ago) in paid {
            super::webhooks::process_order(
                state,
                &shop,
                &order(id, OrderStatus::Paid, lines),
                now - days_ago * DAY,
            )
            .await?;
        }
        let rewards = shop
            .config
            .loyalty
            .as_ref()
            .map_or(&[][..], |loyalty| &loyalty.rewards[..]);
        let for_points = rewards.iter().filter(|r| {
            r.cost.is_some() && r.tiers.is_empty() && r.kind != RewardKind::PointsAtCheckout
        });
        // The reward closest to 500 points, so the demo shows a typical redemption.
        if let Some(reward) = for_points.min_by_key(|r| (r.cost.unwrap_or(0) - 500).abs()) {
            super::loyalty::redeem_reward(
                state,
                &shop,
                &customer_id,
                "demo-seed-redemption-1",
                &RedeemRequest {
                    reward_id: reward.id.clone(),
                    points: None,
                },
                now - 20 * DAY,
            )
            .await?;
        }
        super::webhooks::process_order(
            state,
            &shop,
            &order("demo-order-1003", OrderStatus::Refunded, third),
            now - 8 * DAY,
        )
        .await?;
        super::demo_referrals::seed(state, &shop, &customer_id).await?;
        super::demo_surveys::seed(state, &shop).await?;
    }
    Ok(())
}

/// The email of the demo shop's owner account.
pub const DEMO_OWNER_EMAIL: &str = "owner@demo.comeback.test";

/// Makes sure the demo shop has its owner account [`DEMO_OWNER_EMAIL`], with the
/// password of `COMEBACK_DEMO_OWNER_PASSWORD` or a fresh random one (its sessions of
/// an earlier run ended), and answers the password for `serve` to print. Demo mode only:
/// a password printed to the console is no secret.
pub async fn seed_owner(state: &AppState) -> Result<String, AppError> {
    let shop = state.shop(&state.config.demo.shop)?;
    let password = state
        .settings
        .demo_owner_password
        .as_ref()
        .map_or_else(crate::auth::password::generate_password, |secret| {
            secret.expose().to_owned()
        });
    let hash = crate::auth::password::hash_password(password.clone())
        .await
        .map_err(|error| match error {
            crate::auth::password::PasswordError::Length => {
                AppError::Validation(format!("COMEBACK_DEMO_OWNER_PASSWORD: {error}"))
            }
            crate::auth::password::PasswordError::Hash(cause) => AppError::Internal(cause),
        })?;
    let now = state.clock.now();
    state
        .store
        .put_staff_user(
            &shop.id,
            DEMO_OWNER_EMAIL,
            comeback_core::dashboard::StaffRole::Owner,
            &hash,
            now,
        )
        .await?;
    state
        .store
        .delete_staff_sessions_of(&shop.id, DEMO_OWNER_EMAIL)
        .await?;
    Ok(password)
}

/// The seeded order whose line started the demo customer's subscription.
const SUBSCRIBED_ORDER: &str = "demo-order-1004";
/// The product of that subscription, a tea.
const SUBSCRIBED_PRODUCT: &str = "wuyi-oolong-100g";

/// The subscription the demo customer's oolong runs on: the first plan of the shop
/// covering teas, every four weeks when it offers that (else its first interval).
fn demo_subscription(shop: &crate::auth::Shop) -> Option<LineSubscription> {
    let plan = shop
        .config
        .subscriptions
        .as_ref()?
        .plans
        .iter()
        .find(|plan| plan.covers(SUBSCRIBED_PRODUCT, &["tea".to_owned()]))?;
    let interval = if plan.offers("P4W") {
        "P4W"
    } else {
        plan.intervals.first()?
    };
    Some(LineSubscription {
        plan_id: plan.id.clone(),
        interval: interval.to_owned(),
        subscription_id: None,
    })
}
