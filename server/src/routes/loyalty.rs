//! The loyalty programme as shoppers use it: the public programme, the signed-in
//! summary, setting a birthday, contact preferences, and redeeming points for a
//! discount code.

use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use comeback_core::api::{
    LoyaltyMe, NextExpiry, Preferences, PreferencesUpdate, ProgrammeView, RedeemRequest,
    Redemption, RewardKind,
};
use comeback_core::birthday::next_reward_on;
use comeback_core::date::{Date, MonthDay};
use comeback_core::error::ErrorBody;
use comeback_core::rewards::{check_checkout_points, checkout_value};
use comeback_core::tiers::held_progress;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::ApiJson;
use crate::auth::{Customer, Shop};
use crate::error::AppError;
use crate::features::loyalty::{MeKey, Programme, Viewer};
use crate::store::{
    LoyaltySnapshot, RedeemInput, RedeemOutcome, RewardSpec, SetBirthdayOutcome, SnapshotRules,
};
use crate::AppState;

/// Header marking an answer replayed for a repeated `Idempotency-Key`.
pub static IDEMPOTENCY_REPLAYED: HeaderName = HeaderName::from_static("idempotency-replayed");

/// `GET /v1/shops/{shop}/loyalty/programme`: the programme, for anyone.
#[utoipa::path(get, path = "/v1/shops/{shop}/loyalty/programme", tag = "loyalty",
    params(("shop" = String, Path, description = "Shop id")),
    responses(
        (status = 200, description = "The programme", body = ProgrammeView),
        (status = 404, description = "No such shop", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn programme(
    State(state): State<AppState>,
    shop: Shop,
) -> Result<Json<ProgrammeView>, AppError> {
    let today = Date::from_unix_seconds(state.clock.now());
    Ok(Json(shop.loyalty()?.programme(today)))
}

/// `GET /v1/shops/{shop}/loyalty/me`: the signed-in shopper's points, tier, rewards,
/// history and codes.
#[utoipa::path(get, path = "/v1/shops/{shop}/loyalty/me", tag = "loyalty",
    params(("shop" = String, Path, description = "Shop id")),
    security(("customer_token" = [])),
    responses(
        (status = 200, description = "The shopper's loyalty summary, with `points_debt` while a refund leaves the shopper owing points", body = LoyaltyMe),
        (status = 401, description = "Missing, forged or expired customer token", body = ErrorBody),
        (status = 404, description = "No such shop", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn me(State(state): State<AppState>, customer: Customer) -> Result<Response, AppError> {
    let shop = &customer.shop;
    let programme = shop.loyalty()?;
    let now = state.clock.now();
    let key = |version| MeKey {
        shop_id: &shop.id,
        customer_id: &customer.claims.sub,
        version,
        name: customer.claims.name.as_deref(),
    };
    if let Some(body) = state.me_cache.get(key(customer.version), now) {
        return Ok(json_response(body));
    }
    let rules: Vec<_> = programme
        .loyalty
        .punch_cards
        .iter()
        .map(|card| card.rule())
        .collect();
    let (version, snapshot) = state
        .store
        .loyalty_snapshot(
            &shop.id,
            &customer.claims.sub,
            SnapshotRules {
                expire_after_days: programme.loyalty.points_expire_after_days,
                punch_cards: &rules,
            },
            now,
        )
        .await?;
    let points_debt = snapshot.summary.debt;
    let me = loyalty_me(&customer, programme, snapshot, now);
    let body = Bytes::from(
        serde_json::to_vec(&MeBody {
            me: &me,
            points_debt,
        })
        .map_err(|error| AppError::Internal(error.to_string()))?,
    );
    // Current until the day ends or the first listed code expires.
    let end_of_day = (Date::from_unix_seconds(now).days_since_epoch() + 1) * 86_400;
    let valid_until = me
        .codes
        .iter()
        .map(|code| code.expires_at)
        .fold(end_of_day, i64::min);
    state.me_cache.put(key(version), valid_until, body.clone());
    Ok(json_response(body))
}

/// The `/loyalty/me` body: the summary and, only while a refund has left the shopper
/// owing points, `points_debt` (additive, so decoders that do not know it keep working).
#[derive(serde::Serialize)]
struct MeBody<'a> {
    #[serde(flatten)]
    me: &'a LoyaltyMe,
    #[serde(skip_serializing_if = "is_zero")]
    points_debt: i64,
}

fn is_zero(value: &i64) -> bool {
    *value == 0
}

/// A JSON answer from serialised bytes.
fn json_response(body: Bytes) -> Response {
    (
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        body,
    )
        .into_response()
}

/// The shopper's summary from their snapshot, at `now`.
fn loyalty_me(
    customer: &Customer,
    programme: Programme<'_>,
    snapshot: LoyaltySnapshot,
    now: i64,
) -> LoyaltyMe {
    let LoyaltySnapshot {
        summary,
        birthday,
        standing,
        stamps,
        preferences,
    } = snapshot;
    let shop = programme.shop;
    let today = Date::from_unix_seconds(now);
    let next_birthday_reward = birthday
        .filter(|_| programme.loyalty.birthday_points.is_some())
        .map(|record| {
            next_reward_on(
                record.birthday,
                record.set_on,
                today,
                record.last_rewarded_year,
            )
        });
    let tiers = programme.tiers();
    LoyaltyMe {
        customer_id: customer.claims.sub.clone(),
        name: customer.claims.name.clone(),
        balance: summary.balance,
        lifetime_points: summary.lifetime,
        currency: shop.currency.clone(),
        tier: held_progress(&tiers, &standing.status, standing.qualifying_total),
        tiers,
        tier_basis: programme.loyalty.tier_basis,
        tier_window: programme.loyalty.tier_window,
        qualifying_total: standing.qualifying_total,
        tier_held_until: standing.status.held_until,
        punch_cards: programme.punch_cards(&stamps),
        early_access_products: programme
            .early_access_products(standing.status.tier.as_deref(), today),
        rewards: programme.rewards(
            Some(Viewer {
                balance: summary.balance,
                tier: standing.status.tier.as_deref(),
            }),
            today,
        ),
        ways_to_earn: programme.ways_to_earn(),
        history: summary.history,
        codes: summary
            .codes
            .iter()
            .map(|code| code.view(now, shop.reward_product(&code.reward_id)))
            .collect(),
        next_expiry: summary
            .next_expiry
            .map(|(on, points)| NextExpiry { points, on }),
        birthday: birthday.map(|record| record.birthday),
        next_birthday_reward,
        preferences: Some(preferences),
    }
}

/// The body of `PUT /loyalty/me/birthday`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BirthdayRequest {
    /// Month and day, `--MM-DD` (or `MM-DD`); `--02-29` is allowed.
    #[schema(example = "--03-14")]
    pub birthday: String,
}

/// The shopper's birthday as stored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BirthdayView {
    /// Month and day, `--MM-DD`.
    #[schema(value_type = String, example = "--03-14")]
    pub birthday: MonthDay,
    /// The UTC date it was set, `YYYY-MM-DD`.
    #[schema(value_type = String, example = "2027-01-10")]
    pub set_on: Date,
    /// The day of the first birthday reward (the 30-day gate counts from `set_on`),
    /// `YYYY-MM-DD`; absent when the shop gives no birthday reward.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "2027-03-14")]
    pub first_reward_on: Option<Date>,
}

/// The answer when the shopper tries to change their birthday.
const BIRTHDAY_SET_ONCE: &str = "your birthday can be set only once; ask the shop to change it";

/// `PUT /v1/shops/{shop}/loyalty/me/birthday`: sets the signed-in shopper's birthday,
/// once. Setting the same birthday again answers the stored one; another is refused.
#[utoipa::path(put, path = "/v1/shops/{shop}/loyalty/me/birthday", tag = "loyalty",
    params(("shop" = String, Path, description = "Shop id")),
    request_body = BirthdayRequest,
    security(("customer_token" = [])),
    responses(
        (status = 200, description = "The birthday is set (now or before, to the same day)", body = BirthdayView),
        (status = 400, description = "Bad body", body = ErrorBody),
        (status = 401, description = "Missing, forged or expired customer token", body = ErrorBody),
        (status = 404, description = "No such shop", body = ErrorBody),
        (status = 422, description = "Not a month and day, or another birthday is already set (validation_failed)", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn set_birthday(
    State(state): State<AppState>,
    customer: Customer,
    ApiJson(request): ApiJson<BirthdayRequest>,
) -> Result<Json<BirthdayView>, AppError> {
    let birthday = MonthDay::parse(request.birthday.trim()).ok_or_else(|| {
        AppError::Validation(format!(
            "`birthday` must be a month and day like --03-14, not `{}`",
            request.birthday
        ))
    })?;
    let shop = &customer.shop;
    let programme = shop.loyalty()?;
    let now = state.clock.now();
    let outcome = state
        .store
        .set_birthday(&shop.id, &customer.claims.sub, birthday, now)
        .await?;
    let record = match outcome {
        SetBirthdayOutcome::Set(record) => record,
        SetBirthdayOutcome::AlreadySet(_) => {
            return Err(AppError::Validation(BIRTHDAY_SET_ONCE.into()));
        }
    };
    let first_reward_on = programme
        .loyalty
        .birthday_points
        .map(|_| next_reward_on(record.birthday, record.set_on, record.set_on, None));
    Ok(Json(BirthdayView {
        birthday: record.birthday,
        set_on: record.set_on,
        first_reward_on,
    }))
}

/// `GET /v1/shops/{shop}/loyalty/me/preferences`: the signed-in shopper's contact
/// preferences; each field is null until chosen.
#[utoipa::path(get, path = "/v1/shops/{shop}/loyalty/me/preferences", tag = "loyalty",
    params(("shop" = String, Path, description = "Shop id")),
    security(("customer_token" = [])),
    responses(
        (status = 200, description = "The shopper's contact preferences", body = Preferences),
        (status = 401, description = "Missing, forged or expired customer token", body = ErrorBody),
        (status = 404, description = "No such shop", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn preferences(
    State(state): State<AppState>,
    customer: Customer,
) -> Result<Json<Preferences>, AppError> {
    let preferences = state
        .store
        .preferences_of(&customer.shop.id, &customer.claims.sub)
        .await?;
    Ok(Json(preferences))
}

/// `PUT /v1/shops/{shop}/loyalty/me/preferences`: changes the signed-in shopper's
/// contact preferences; an absent field keeps its stored value.
#[utoipa::path(put, path = "/v1/shops/{shop}/loyalty/me/preferences", tag = "loyalty",
    params(("shop" = String, Path, description = "Shop id")),
    request_body = PreferencesUpdate,
    security(("customer_token" = [])),
    responses(
        (status = 200, description = "The preferences after the change", body = Preferences),
        (status = 400, description = "Bad body (unknown field, unknown channel, not a boolean)", body = ErrorBody),
        (status = 401, description = "Missing, forged or expired customer token", body = ErrorBody),
        (status = 404, description = "No such shop", body = ErrorBody),
        (status = 422, description = "Neither field given (validation_failed)", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn set_preferences(
    State(state): State<AppState>,
    customer: Customer,
    ApiJson(update): ApiJson<PreferencesUpdate>,
) -> Result<Json<Preferences>, AppError> {
    if update.contact_channel.is_none() && update.marketing_consent.is_none() {
        return Err(AppError::Validation(
            "give `contact_channel` (email, sms or none), `marketing_consent` (true or false), or both".into(),
        ));
    }
    let now = state.clock.now();
    let preferences = state
        .store
        .update_preferences(&customer.shop.id, &customer.claims.sub, &update, now)
        .await?;
    Ok(Json(preferences))
}

/// The `Idempotency-Key` header: 1–128 visible ASCII characters.
#[derive(Debug, Clone)]
pub struct IdempotencyKey(pub String);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        let value = parts
            .headers
            .get("idempotency-key")
            .ok_or_else(|| {
                AppError::IdempotencyKeyRequired(
                    "this request needs an Idempotency-Key header (a unique value per action, such as a UUID)".into(),
                )
            })?;
        let key = value.to_str().unwrap_or_default();
        if (1..=128).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) {
            Ok(IdempotencyKey(key.to_owned()))
        } else {
            Err(AppError::IdempotencyKeyRequired(
                "the Idempotency-Key header must be 1 to 128 visible ASCII characters".into(),
            ))
        }
    }
}

/// SHA-256 of a request's canonical JSON, stored with its idempotency key to tell a
/// replay (same request) from a reused key (another request).
pub fn request_hash<T: serde::Serialize>(request: &T) -> Result<String, AppError> {
    let canonical =
        serde_json::to_vec(request).map_err(|error| AppError::Internal(error.to_string()))?;
    Ok(hex::encode(Sha256::digest(&canonical)))
}

/// The stored first answer to a repeated request, marked `Idempotency-Replayed: true`.
pub fn replayed(status: u16, body: String) -> Result<Response, AppError> {
    let status = StatusCode::from_u16(status)
        .map_err(|_| AppError::Internal(format!("stored status {status}")))?;
    Ok((
        status,
        [
            (CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (
                IDEMPOTENCY_REPLAYED.clone(),
                HeaderValue::from_static("true"),
            ),
        ],
        body,
    )
        .into_response())
}

/// Spends points on a reward for a customer; shared by the endpoint and the demo seed.
pub async fn redeem_reward(
    state: &AppState,
    shop: &Shop,
    customer_id: &str,
    key: &str,
    request: &RedeemRequest,
    now: i64,
) -> Result<RedeemOutcome, AppError> {
    let programme = shop.loyalty()?;
    let reward = programme
        .loyalty
        .reward(&request.reward_id)
        .ok_or_else(|| {
            AppError::not_found(format!(
                "there is no reward `{}` in this programme",
                request.reward_id
            ))
        })?;
    let Some(cost) = reward.cost else {
        return Err(AppError::Validation(format!(
            "reward `{}` is only given by punch cards, not for points",
            reward.id
        )));
    };
    let (points, value) = match (reward.kind, request.points) {
        (RewardKind::PointsAtCheckout, None) => {
            return Err(AppError::Validation(format!(
                "reward `{}` spends the points you choose: send `points`, a multiple of {}",
                reward.id, cost
            )));
        }
        (RewardKind::PointsAtCheckout, Some(points)) => {
            check_checkout_points(points, cost, reward.max_points)
                .map_err(|error| AppError::Validation(error.to_string()))?;
            (points, checkout_value(points, cost, reward.value))
        }
        (_, Some(_)) => {
            return Err(AppError::Validation(format!(
                "`points` is only for points_at_checkout rewards; leave it out for `{}`",
                reward.id
            )));
        }
        (_, None) => (cost, reward.value),
    };
    let request_hash = request_hash(request)?;
    let input = RedeemInput {
        shop_id: &shop.id,
        customer_id,
        idempotency_key: key,
        request_hash: &request_hash,
        reward: RewardSpec {
            id: &reward.id,
            kind: reward.kind,
            name: (&reward.name).into(),
            tiers: &reward.tiers,
            early_access_until: reward.early_access_until,
        },
        points,
        value,
        currency: &shop.config.currency,
        code_prefix: &programme.loyalty.code_prefix,
        now,
        expires_at: now + programme.loyalty.code_valid_days * 86_400,
    };
    Ok(state.store.redeem(&input).await?)
}

/// Why a reward is refused to a shopper's tier, naming the tiers that may redeem it.
fn not_eligible_message(shop: &Shop, reward_id: &str) -> String {
    let Some(reward) = shop
        .config
        .loyalty
        .as_ref()
        .and_then(|loyalty| loyalty.reward(reward_id))
    else {
        return format!(
            "reward `{}` is not available to you",
            crate::error::excerpt(reward_id)
        );
    };
    let tiers = reward.tiers.join(", ");
    match reward.early_access_until {
        Some(until) => format!(
            "reward `{reward_id}` is for members of {tiers} until {}; everyone may redeem it from the day after",
            until.to_iso()
        ),
        None => format!("reward `{}` is only for members of {tiers}", crate::error::excerpt(reward_id)),
    }
}

/// `POST /v1/shops/{shop}/loyalty/redemptions`: spends points on a reward and answers
/// with a discount code. Repeating a request with the same `Idempotency-Key` answers
/// the first result again.
#[utoipa::path(post, path = "/v1/shops/{shop}/loyalty/redemptions", tag = "loyalty",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("Idempotency-Key" = String, Header, description = "Unique per redemption attempt; 1-128 visible ASCII characters"),
    ),
    request_body = RedeemRequest,
    security(("customer_token" = [])),
    responses(
        (status = 201, description = "Redeemed; replays carry `Idempotency-Replayed: true`", body = Redemption),
        (status = 400, description = "Bad body or missing Idempotency-Key", body = ErrorBody),
        (status = 401, description = "Missing, forged or expired customer token", body = ErrorBody),
        (status = 403, description = "The shopper's tier may not redeem this reward (yet): reward_not_eligible", body = ErrorBody),
        (status = 404, description = "No such shop or reward", body = ErrorBody),
        (status = 409, description = "The balance does not cover the reward or the points chosen (insufficient_points)", body = ErrorBody),
        (status = 422, description = "Bad `points` (missing for points_at_checkout, given for another kind, not a whole number of steps, above max_points), or Idempotency-Key reused with another body", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn redeem(
    State(state): State<AppState>,
    customer: Customer,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(request): ApiJson<RedeemRequest>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let outcome = redeem_reward(
        &state,
        &customer.shop,
        &customer.claims.sub,
        &key,
        &request,
        now,
    )
    .await?;
    match outcome {
        RedeemOutcome::Created(redemption) => {
            Ok((StatusCode::CREATED, Json(redemption)).into_response())
        }
        RedeemOutcome::Replayed { status, body } => replayed(status, body),
        RedeemOutcome::KeyReused => Err(AppError::IdempotencyKeyReused),
        RedeemOutcome::Insufficient(insufficient) => Err(AppError::InsufficientPoints {
            balance: insufficient.balance,
            needed: insufficient.needed,
        }),
        RedeemOutcome::NotEligible => Err(AppError::RewardNotEligible(not_eligible_message(
            &customer.shop,
            &request.reward_id,
        ))),
    }
}
