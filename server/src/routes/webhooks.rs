//! Webhooks from the shop's backend: orders paid and refunded.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use comeback_core::api::{OrderWebhook, OrderWebhookResult};
use comeback_core::error::ErrorBody;
use comeback_core::money::points_for_order;
use comeback_core::orders::{is_valid_code, normalize_email, Interval, MAX_DISCOUNT_CODES};

use super::{check_id, parse_json, RawBody};
use crate::auth::{verify_webhook, Shop, SIGNATURE_HEADER};
use crate::error::AppError;
use crate::features::loyalty::Programme;
use crate::store::{OrderDetails, OrderInput, OrderOutcome};
use crate::AppState;

/// Applies an order to the ledger; shared by the webhook and the demo seed.
pub async fn process_order(
    state: &AppState,
    shop: &Shop,
    order: &OrderWebhook,
    now: i64,
) -> Result<OrderWebhookResult, AppError> {
    check_id("id", &order.id)?;
    check_id("customer_id", &order.customer_id)?;
    if order.total < 0 {
        return Err(AppError::Validation("`total` must not be negative".into()));
    }
    if order.currency != shop.config.currency {
        return Err(AppError::CurrencyMismatch {
            expected: shop.config.currency.clone(),
            got: order.currency.clone(),
        });
    }
    let email = check_details(order)?;
    let placed_at = match &order.created_at {
        Some(created_at) => {
            time::OffsetDateTime::parse(created_at, &time::format_description::well_known::Rfc3339)
                .map_err(|_| {
                    AppError::Validation("`created_at` must be an RFC 3339 timestamp".into())
                })?
                .unix_timestamp()
        }
        None => now,
    };
    // A shop without loyalty still records its orders (for the other features); they
    // earn nothing and stamp nothing.
    let programme = Programme::of(&shop.config);
    let earned = programme.map_or(0, |programme| {
        points_for_order(
            order.total,
            shop.config.currency_exponent(),
            programme.loyalty.points_per_unit,
        )
    });
    let input = OrderInput {
        shop_id: &shop.id,
        order_id: &order.id,
        customer_id: &order.customer_id,
        status: order.status,
        total: order.total,
        currency: &order.currency,
        earned,
        placed_at,
        product_ids: order
            .lines
            .iter()
            .map(|line| line.product_id.clone())
            .collect(),
        details: OrderDetails {
            email: email.as_deref(),
            discount_codes: &order.discount_codes,
            referral_code: order.referral_code.as_deref(),
            lines: &order.lines,
        },
        punch_cards: programme
            .map(|programme| programme.punch_card_setups())
            .unwrap_or_default(),
        code_prefix: programme.map_or("", |programme| &programme.loyalty.code_prefix),
        code_expires_at: now
            + programme.map_or(0, |programme| programme.loyalty.code_valid_days) * 86_400,
        now,
    };
    match state.store.record_order(&input).await? {
        OrderOutcome::Recorded {
            points,
            balance,
            duplicate,
        } => Ok(OrderWebhookResult {
            order_id: order.id.clone(),
            points,
            balance,
            duplicate,
        }),
        OrderOutcome::CustomerMismatch => Err(AppError::Validation(format!(
            "order `{}` was paid by another customer",
            order.id
        ))),
    }
}

/// Most lines one order may have.
pub const MAX_LINES: usize = 500;

/// Checks the lines and the optional fields of an order; the email, normalised.
fn check_details(order: &OrderWebhook) -> Result<Option<String>, AppError> {
    if order.lines.len() > MAX_LINES {
        return Err(AppError::Validation(format!(
            "an order may have at most {MAX_LINES} lines"
        )));
    }
    for (index, line) in order.lines.iter().enumerate() {
        check_id(&format!("lines[{index}].product_id"), &line.product_id)?;
        if !(1..=1_000_000).contains(&line.quantity) {
            return Err(AppError::Validation(format!(
                "`lines[{index}].quantity` must be 1 to 1000000"
            )));
        }
        if line.unit_price < 0 {
            return Err(AppError::Validation(format!(
                "`lines[{index}].unit_price` must not be negative"
            )));
        }
        if let Some(subscription) = &line.subscription {
            check_id(
                &format!("lines[{index}].subscription.plan_id"),
                &subscription.plan_id,
            )?;
            if Interval::parse(&subscription.interval).is_none() {
                return Err(AppError::Validation(format!(
                    "`lines[{index}].subscription.interval` must be an ISO 8601 duration of one unit such as P1M or P2W (P<n>D, P<n>W, P<n>M or P<n>Y, n from 1 to 365), not `{}`",
                    subscription.interval
                )));
            }
        }
    }
    if order.discount_codes.len() > MAX_DISCOUNT_CODES {
        return Err(AppError::Validation(format!(
            "`discount_codes` may list at most {MAX_DISCOUNT_CODES} codes"
        )));
    }
    for (index, code) in order.discount_codes.iter().enumerate() {
        if !is_valid_code(code) {
            return Err(AppError::Validation(format!(
                "`discount_codes[{index}]` must be 1 to 64 characters of A-Z, a-z, 0-9, `-` or `_`"
            )));
        }
    }
    if let Some(code) = &order.referral_code {
        if !is_valid_code(code) {
            return Err(AppError::Validation(
                "`referral_code` must be 1 to 64 characters of A-Z, a-z, 0-9, `-` or `_`".into(),
            ));
        }
    }
    order
        .email
        .as_deref()
        .map(|email| {
            normalize_email(email).ok_or_else(|| {
                AppError::Validation(format!("`email` is not an email address: `{email}`"))
            })
        })
        .transpose()
}

/// `POST /v1/shops/{shop}/webhooks/orders`: an order was paid or refunded.
///
/// The signature is checked on the raw bytes before the body is parsed.
#[utoipa::path(post, path = "/v1/shops/{shop}/webhooks/orders", tag = "webhooks",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("Comeback-Signature" = String, Header, description = "`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<raw body>\")>`"),
    ),
    request_body = OrderWebhook,
    security(("webhook_signature" = [])),
    responses(
        (status = 200, description = "Processed (or recognised as a repeat: `duplicate` is true)", body = OrderWebhookResult),
        (status = 400, description = "The body is not a valid order", body = ErrorBody),
        (status = 401, description = "Missing, malformed, stale or wrong signature", body = ErrorBody),
        (status = 404, description = "No such shop", body = ErrorBody),
        (status = 422, description = "validation_failed or currency_mismatch", body = ErrorBody),
    ))]
pub async fn orders(
    State(state): State<AppState>,
    shop: Shop,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Json<OrderWebhookResult>, AppError> {
    let now = state.clock.now();
    let signature = headers
        .get(SIGNATURE_HEADER)
        .map(|value| value.to_str().unwrap_or_default());
    verify_webhook(&shop.config.secret, signature, &body, now)
        .map_err(|error| AppError::unauthorized(error.to_string()))?;
    let order: OrderWebhook = parse_json(&body)?;
    Ok(Json(process_order(&state, &shop, &order, now).await?))
}
