//! Webhooks from the shop's backend: orders paid and refunded (a payment's lines may
//! start and renew subscriptions; a referred first order refers its advocate).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use comeback_core::api::{OrderStatus, OrderWebhook, OrderWebhookResult};
use comeback_core::bounds;
use comeback_core::error::ErrorBody;
use comeback_core::money::points_for_order;
use comeback_core::orders::{is_valid_code, normalize_email, Interval, MAX_DISCOUNT_CODES};

use super::{check_id, parse_json, RawBody};
use crate::auth::{verify_webhook, Shop, SIGNATURE_HEADER};
use crate::error::AppError;
use crate::features::loyalty::Programme;
use crate::store::{LearnedLine, OrderDetails, OrderInput, OrderOutcome, PartialRefund};
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
    bounds::money("total", order.total)?;
    if order.currency != shop.config.currency {
        return Err(AppError::CurrencyMismatch {
            expected: shop.config.currency.clone(),
            got: order.currency.clone(),
        });
    }
    let email = check_details(order)?;
    let address = client_address(order.client_ip.as_deref())?;
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
    if earned > bounds::MAX_POINTS {
        return Err(AppError::AmountOutOfRange(format!(
            "`total` would earn {earned} points; one change may add at most {}",
            bounds::MAX_POINTS
        )));
    }
    let partial_refund = partial_refund(state, shop, order).await?;
    // Checked before anything is written: a line the shop's plans cannot take loses
    // nothing, the shop sends the order again once it is right.
    let subscription_lines =
        crate::features::subscriptions::orders::lines_of(state, shop, order, placed_at.min(now))
            .await?;
    let referral_code = crate::features::referrals::orders::code_of(shop, order);
    let referral = crate::features::referrals::orders::terms_of(
        shop,
        referral_code.as_deref(),
        address.as_deref(),
        placed_at.min(now),
    );
    let stored_code = referral_code.clone().or_else(|| {
        order
            .referral_code
            .clone()
            .filter(|code| is_valid_code(code))
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
            referral_code: stored_code.as_deref(),
            lines: &order.lines,
        },
        partial_refund,
        punch_cards: programme
            .map(|programme| programme.punch_card_setups())
            .unwrap_or_default(),
        code_prefix: programme.map_or("", |programme| &programme.loyalty.code_prefix),
        code_expires_at: now
            + programme.map_or(0, |programme| programme.loyalty.code_valid_days) * 86_400,
        subscription_lines,
        referral,
        now,
    };
    match state.store.record_order(&input).await? {
        OrderOutcome::Recorded {
            points,
            balance,
            duplicate,
        } => {
            if order.status == OrderStatus::Paid && !duplicate {
                let lines: Vec<LearnedLine> = order
                    .lines
                    .iter()
                    .map(|line| LearnedLine {
                        customer_id: order.customer_id.clone(),
                        order_id: order.id.clone(),
                        product_id: line.product_id.clone(),
                        quantity: u32::try_from(line.quantity.max(1)).unwrap_or(u32::MAX),
                        placed_at,
                    })
                    .collect();
                state.recommenders.order_arrived(&shop.id, &lines, now);
            }
            Ok(OrderWebhookResult {
                order_id: order.id.clone(),
                points,
                balance,
                duplicate,
            })
        }
        OrderOutcome::CustomerMismatch => Err(AppError::Validation(format!(
            "order `{}` was paid by another customer",
            order.id
        ))),
    }
}

/// The partial refund an order webhook describes (`refund_total` or `refunded_lines`,
/// cumulative), checked against the order; `None` for a payment or a whole refund.
async fn partial_refund(
    state: &AppState,
    shop: &Shop,
    order: &OrderWebhook,
) -> Result<Option<PartialRefund>, AppError> {
    let by_lines = !order.refunded_lines.is_empty();
    if order.status != OrderStatus::Refunded {
        if order.refund_total.is_some() || by_lines {
            return Err(AppError::Validation(
                "`refund_total` and `refunded_lines` go with `status: \"refunded\"`".into(),
            ));
        }
        return Ok(None);
    }
    if order.refund_total.is_some() && by_lines {
        return Err(AppError::Validation(
            "send either `refund_total` or `refunded_lines`, not both".into(),
        ));
    }
    if let Some(amount) = order.refund_total {
        if !(0..=order.total).contains(&amount) {
            return Err(AppError::Validation(format!(
                "`refund_total` must be 0 to the order's total ({})",
                order.total
            )));
        }
        return Ok(Some(PartialRefund {
            amount,
            kept_products: None,
        }));
    }
    if !by_lines {
        return Ok(None);
    }
    let stored = state.store.order(&shop.id, &order.id).await?;
    let lines = stored.map(|stored| stored.lines).unwrap_or_default();
    if lines.is_empty() {
        return Err(AppError::Validation(format!(
            "the lines of order `{}` are not known; send `refund_total` instead of `refunded_lines`",
            order.id
        )));
    }
    let mut amount: i64 = 0;
    let mut seen = std::collections::HashSet::new();
    for (index, refunded) in order.refunded_lines.iter().enumerate() {
        let bought: Vec<_> = lines
            .iter()
            .filter(|line| line.product_id == refunded.product_id)
            .collect();
        let units: i64 = bought.iter().map(|line| line.quantity).sum();
        if bought.is_empty() || !seen.insert(refunded.product_id.as_str()) {
            return Err(AppError::Validation(format!(
                "`refunded_lines[{index}].product_id` must be a product of the order, named once"
            )));
        }
        if !(1..=units).contains(&refunded.quantity) {
            return Err(AppError::Validation(format!(
                "`refunded_lines[{index}].quantity` must be 1 to the {units} units bought"
            )));
        }
        // When a product is on several lines at different prices, the dearest units
        // count as refunded: the refund never leaves the shopper better off.
        let mut by_price: Vec<(i64, i64)> = bought
            .iter()
            .map(|line| (line.unit_price, line.quantity))
            .collect();
        by_price.sort_unstable_by_key(|(price, _)| std::cmp::Reverse(*price));
        let mut left = refunded.quantity;
        let mut value: i64 = 0;
        for (price, quantity) in by_price {
            let units = quantity.min(left);
            value = bounds::mul(price, units)
                .and_then(|line| bounds::add(value, line))
                .map_err(|_| refund_overflow(index))?;
            left -= units;
        }
        amount = bounds::add(amount, value).map_err(|_| refund_overflow(index))?;
    }
    let kept_products = lines
        .iter()
        .filter(|line| {
            let refunded = order
                .refunded_lines
                .iter()
                .find(|refunded| refunded.product_id == line.product_id)
                .map_or(0, |refunded| refunded.quantity);
            let units: i64 = lines
                .iter()
                .filter(|other| other.product_id == line.product_id)
                .map(|other| other.quantity)
                .sum();
            refunded < units
        })
        .map(|line| line.product_id.clone())
        .collect();
    Ok(Some(PartialRefund {
        amount: amount.min(order.total),
        kept_products: Some(kept_products),
    }))
}

/// The refunded lines' value left the range of `i64` (only with bounds-checked lines
/// this can no longer happen, but the sum is checked all the same).
fn refund_overflow(index: usize) -> AppError {
    AppError::AmountOutOfRange(format!(
        "the value of `refunded_lines[{index}]` and the lines before it is out of range"
    ))
}

/// The network address of the order's `client_ip` as the referral rules count it
/// (IPv4 whole, IPv6 its /64), or 422 when it is not an IP address.
fn client_address(client_ip: Option<&str>) -> Result<Option<String>, AppError> {
    client_ip
        .map(|ip| {
            ip.trim()
                .parse::<std::net::IpAddr>()
                .map(|ip| crate::ratelimit::network_of(ip).to_string())
                .map_err(|_| {
                    AppError::Validation(format!(
                        "`client_ip` must be an IPv4 or IPv6 address, not `{}`",
                        crate::error::excerpt(ip)
                    ))
                })
        })
        .transpose()
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
        bounds::quantity(&format!("lines[{index}].quantity"), line.quantity)?;
        bounds::money(&format!("lines[{index}].unit_price"), line.unit_price)?;
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
    order
        .email
        .as_deref()
        .map(|email| {
            normalize_email(email).ok_or_else(|| {
                AppError::Validation(format!(
                    "`email` is not an email address: `{}`",
                    crate::error::excerpt(email)
                ))
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
        ("Comeback-Signature" = String, Header, description = "`t=<unix seconds>,v1=<hex HMAC-SHA256(webhook secret, \"<t>.<raw body>\")>`"),
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
    verify_webhook(&shop.config.webhook_secrets, signature, &body, now)
        .map_err(|error| AppError::unauthorized(error.to_string()))?;
    let order: OrderWebhook = parse_json(&body)?;
    Ok(Json(process_order(&state, &shop, &order, now).await?))
}
