//! The friend's side, no token needed: what a link's code offers, a visit through it
//! (counted, with until when the browser keeps the code), and the claim of the friend's
//! discount code by email (once per mailbox; a signed-in shopper's token is checked
//! when sent).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{Extensions, HeaderMap};
use axum::Json;
use comeback_core::api::RewardKind;
use comeback_core::error::ErrorBody;
use comeback_core::orders::normalize_email;
use comeback_core::referral::attribution::ends_at;
use comeback_core::referral::code::parse_referral_code;
use comeback_core::referral::{
    FriendReward, ReferralClaim, ReferralLanding, ReferralRewardKind, ReferralVisit, VisitRecorded,
};
use serde::Deserialize;

use super::{friend_offer, locale_of, referrals_of, LocaleQuery};
use crate::auth::{bearer, Customer, Shop, VerifiedToken};
use crate::error::AppError;
use crate::routes::{ApiJson, ApiPath, ApiQuery};
use crate::store::{ClaimInput, ClaimOutcome};
use crate::AppState;

/// Longest code or email read (longer ones are refused before any lookup).
const MAX_INPUT: usize = 254;

/// The path of a code.
#[derive(Debug, Deserialize)]
pub struct CodePath {
    /// The advocate's code, any case.
    code: String,
}

fn unknown_code(code: &str) -> AppError {
    AppError::not_found(format!(
        "`{}` is no referral code of this shop",
        crate::error::excerpt(code)
    ))
}

/// The advocate of a code as typed (any case, dash optional): the canonical code and
/// the advocate's customer id, or 404.
async fn advocate(state: &AppState, shop: &Shop, code: &str) -> Result<(String, String), AppError> {
    if code.len() > MAX_INPUT {
        return Err(AppError::Validation(format!(
            "`code` is at most {MAX_INPUT} characters"
        )));
    }
    let canonical = parse_referral_code(code).ok_or_else(|| unknown_code(code))?;
    let advocate = state
        .store
        .advocate_by_code(&shop.id, &canonical)
        .await?
        .ok_or_else(|| unknown_code(code))?;
    Ok((canonical, advocate))
}

/// `GET /v1/shops/{shop}/referrals/codes/{code}`: what a friend landing through the
/// code is offered, with the advocate's first name when the shop synced it.
#[utoipa::path(get, path = "/v1/shops/{shop}/referrals/codes/{code}", tag = "referrals",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("code" = String, Path, description = "The advocate's code, any case, dash optional"),
        LocaleQuery,
    ),
    responses(
        (status = 200, description = "The friend's offer", body = ReferralLanding),
        (status = 404, description = "No such shop, no referral programme, or no such code", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn landing(
    State(state): State<AppState>,
    shop: Shop,
    ApiPath(path): ApiPath<CodePath>,
    ApiQuery(query): ApiQuery<LocaleQuery>,
) -> Result<Json<ReferralLanding>, AppError> {
    let config = referrals_of(&shop)?;
    let (code, advocate) = advocate(&state, &shop, &path.code).await?;
    let (advocate_name, _) = state.store.referral_profile(&shop.id, &advocate).await?;
    Ok(Json(ReferralLanding {
        code,
        advocate_name,
        friend_reward: friend_offer(&shop, config, locale_of(query.locale.as_deref())),
        window_days: config.window_days,
    }))
}

/// `POST /v1/shops/{shop}/referrals/visits`: a visit through a link, counted once per
/// call; the answer says until when the browser keeps the code (the attribution
/// window from now). No `Idempotency-Key`: visits are counts.
#[utoipa::path(post, path = "/v1/shops/{shop}/referrals/visits", tag = "referrals",
    params(("shop" = String, Path, description = "Shop id")),
    request_body = ReferralVisit,
    responses(
        (status = 200, description = "Counted", body = VisitRecorded),
        (status = 400, description = "Not JSON, or no `code`", body = ErrorBody),
        (status = 404, description = "No such shop, no referral programme, or no such code", body = ErrorBody),
        (status = 422, description = "`code` longer than 254 characters", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn visit(
    State(state): State<AppState>,
    shop: Shop,
    ApiJson(body): ApiJson<ReferralVisit>,
) -> Result<Json<VisitRecorded>, AppError> {
    let config = referrals_of(&shop)?;
    let (code, advocate) = advocate(&state, &shop, &body.code).await?;
    let now = state.clock.now();
    state
        .store
        .record_referral_visit(&shop.id, &advocate, now)
        .await?;
    Ok(Json(VisitRecorded {
        code,
        expires_at: ends_at(now, config.window_days),
    }))
}

/// `POST /v1/shops/{shop}/referrals/claim`: a friend asks for their reward by email
/// (a guest's is enough; a signed-in shopper's token, when sent, is checked too). The
/// discount code is issued once per mailbox: claiming again answers the same code.
#[utoipa::path(post, path = "/v1/shops/{shop}/referrals/claim", tag = "referrals",
    params(("shop" = String, Path, description = "Shop id"), LocaleQuery),
    request_body = ReferralClaim,
    security((), ("customer_token" = [])),
    responses(
        (status = 200, description = "The friend's discount code", body = FriendReward),
        (status = 400, description = "Not JSON, or no `code` or `email`", body = ErrorBody),
        (status = 401, description = "A token was sent and is forged, expired or revoked", body = ErrorBody),
        (status = 404, description = "No such shop, no referral programme, or no such code", body = ErrorBody),
        (status = 409, description = "self_referral (the advocate's own mailbox or token) or already_customer (that email or the shopper has a paid order)", body = ErrorBody),
        (status = 422, description = "`email` is not an email address", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn claim(
    State(state): State<AppState>,
    shop: Shop,
    headers: HeaderMap,
    extensions: Extensions,
    ApiQuery(query): ApiQuery<LocaleQuery>,
    ApiJson(body): ApiJson<ReferralClaim>,
) -> Result<Json<FriendReward>, AppError> {
    let config = referrals_of(&shop)?;
    let email = (body.email.len() <= MAX_INPUT)
        .then(|| normalize_email(&body.email))
        .flatten()
        .ok_or_else(|| {
            AppError::Validation(format!(
                "`email` is not an email address: `{}`",
                crate::error::excerpt(&body.email)
            ))
        })?;
    let customer = match bearer(&headers) {
        Some(_) => {
            let verified = extensions.get::<VerifiedToken>().cloned();
            Some(Customer::of_request(&state, shop.clone(), verified, &headers).await?)
        }
        None => None,
    };
    let canonical = parse_referral_code(&body.code)
        .filter(|_| body.code.len() <= MAX_INPUT)
        .ok_or_else(|| unknown_code(&body.code))?;
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    let address = peer
        .map(|peer| state.rate_limiter.client_address(Some(peer), &headers))
        .map(|address| address.to_string());
    let reward = &config.friend_reward;
    let kind = match reward.kind {
        ReferralRewardKind::AmountOff => RewardKind::AmountOff,
        ReferralRewardKind::PercentOff => RewardKind::PercentOff,
        ReferralRewardKind::FreeShipping => RewardKind::FreeShipping,
        ReferralRewardKind::Points => {
            return Err(AppError::Internal(
                "a friend's reward of points passed validation".into(),
            ))
        }
    };
    let now = state.clock.now();
    let outcome = state
        .store
        .claim_friend_reward(&ClaimInput {
            shop_id: &shop.id,
            advocate_code: &canonical,
            email: &email,
            customer_id: customer
                .as_ref()
                .map(|customer| customer.claims.sub.as_str()),
            address: address.as_deref(),
            kind,
            value: reward.value,
            currency: &shop.config.currency,
            prefix: &config.friend_code_prefix,
            valid_for: i64::from(reward.valid_days()) * 86_400,
            now,
        })
        .await?;
    let locale = locale_of(query.locale.as_deref());
    match outcome {
        ClaimOutcome::Issued(claim) => Ok(Json(FriendReward {
            code: claim.code,
            reward: friend_offer(&shop, config, locale),
            expires_at: claim.expires_at,
        })),
        ClaimOutcome::UnknownCode => Err(unknown_code(&body.code)),
        ClaimOutcome::SelfReferral => Err(AppError::SelfReferral(
            "this is your own referral code: share it with a friend instead".into(),
        )),
        ClaimOutcome::AlreadyCustomer => Err(AppError::AlreadyCustomer(
            "the friend's reward is for a first order, and this email (or account) has ordered before".into(),
        )),
    }
}
