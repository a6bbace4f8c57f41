//! The shop's side, with its API key: the funnel for a period, every referral (by
//! advocate or status, a page at a time) with its reason, and the hand decisions: pay a
//! pending or declined referral now, or decline a pending one.

use axum::extract::State;
use axum::Json;
use comeback_core::date::Date;
use comeback_core::error::ErrorBody;
use comeback_core::referral::{ReferralReason, ReferralStatus, RewardOffer};
use comeback_core::Locale;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use utoipa::{IntoParams, ToSchema};

use super::referrals_of;
use crate::auth::{Shop, Staff};
use crate::error::AppError;
use crate::routes::{check_id, ApiPath, ApiQuery};
use crate::store::{decided_by, PayTerms, Referral, SettleOutcome};
use crate::AppState;

/// Referrals per page when `limit` is not given.
pub const DEFAULT_PAGE_LIMIT: i64 = 50;
/// Most per page.
pub const MAX_PAGE_LIMIT: i64 = 200;

/// The funnel for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReferralFunnel {
    /// Visits through advocates' links (counted by UTC day).
    pub visits: i64,
    /// Friends who claimed their reward.
    pub signups: i64,
    /// Referred first orders recorded (each of the four states below).
    pub first_orders: i64,
    /// Of those, rewards waiting for the hold.
    pub pending: i64,
    /// Rewards paid.
    pub paid: i64,
    /// Cancelled by a refund within the hold.
    pub cancelled: i64,
    /// Declined by a rule or by the shop.
    pub declined: i64,
    /// Points paid to advocates.
    pub points_paid: i64,
    /// Discount codes paid to advocates.
    pub codes_paid: i64,
}

/// `?since=&until=`.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct FunnelQuery {
    /// RFC 3339; from the beginning when absent.
    pub since: Option<String>,
    /// RFC 3339, exclusive; until now when absent.
    pub until: Option<String>,
}

fn instant(field: &str, value: Option<&str>) -> Result<Option<i64>, AppError> {
    value
        .filter(|value| !value.is_empty())
        .map(|value| {
            time::OffsetDateTime::parse(value, &Rfc3339)
                .map(time::OffsetDateTime::unix_timestamp)
                .map_err(|_| {
                    AppError::Validation(format!(
                        "`{field}` must be an RFC 3339 timestamp such as 2027-01-01T00:00:00Z, not `{}`",
                        crate::error::excerpt(value)
                    ))
                })
        })
        .transpose()
}

/// `GET /v1/shops/{shop}/admin/referrals/funnel`: visits, sign-ups, referred first
/// orders by state, and what was paid, for a period (the orders and claims by when
/// they were recorded).
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/referrals/funnel", tag = "admin",
    params(("shop" = String, Path, description = "Shop id"), FunnelQuery),
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "The funnel", body = ReferralFunnel),
        (status = 401, description = "Missing or wrong secret key", body = ErrorBody),
        (status = 404, description = "No such shop, or no referral programme", body = ErrorBody),
        (status = 422, description = "`since` or `until` not RFC 3339, or `since` after `until`", body = ErrorBody),
    ))]
pub async fn funnel(
    State(state): State<AppState>,
    Staff { shop, .. }: Staff,
    ApiQuery(query): ApiQuery<FunnelQuery>,
) -> Result<Json<ReferralFunnel>, AppError> {
    referrals_of(&shop)?;
    let since = instant("since", query.since.as_deref())?.unwrap_or(0);
    let until = instant("until", query.until.as_deref())?.unwrap_or(i64::MAX);
    if since > until {
        return Err(AppError::Validation(
            "`since` must not be after `until`".into(),
        ));
    }
    let funnel = state.store.referral_funnel(&shop.id, since, until).await?;
    Ok(Json(ReferralFunnel {
        visits: funnel.visits,
        signups: funnel.signups,
        first_orders: funnel.first_orders,
        pending: funnel.pending,
        paid: funnel.paid,
        cancelled: funnel.cancelled,
        declined: funnel.declined,
        points_paid: funnel.points_paid,
        codes_paid: funnel.codes_paid,
    }))
}

/// A referral as the shop's backend sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AdminReferral {
    /// Comeback's id (UUID v7; the order of creation).
    pub id: String,
    /// The advocate.
    pub advocate_id: String,
    /// The advocate's code the order came through.
    pub code: String,
    /// The friend.
    pub friend_customer_id: String,
    /// The friend's email, when known.
    pub friend_email: Option<String>,
    /// The friend's order.
    pub order_id: String,
    /// Its total, minor units.
    pub order_total: i64,
    /// Its currency.
    pub currency: String,
    /// The day of the order (the programme's time zone).
    pub ordered_on: Date,
    /// Where it stands.
    pub status: ReferralStatus,
    /// Why it was declined or cancelled.
    pub reason: Option<ReferralReason>,
    /// While pending: the day it is paid.
    pub pays_on: Option<Date>,
    /// Once paid: the day.
    pub paid_on: Option<Date>,
    /// The advocate's reward.
    pub reward: RewardOffer,
    /// Once paid with a code: the code.
    pub reward_code: Option<String>,
    /// Once paid with points: the points.
    pub points: Option<i64>,
    /// When it was recorded, Unix seconds.
    pub created_at: i64,
    /// Who settled it last: `rules`, `job` or `shop`.
    pub decided_by: String,
}

fn admin_view(shop: &Shop, referral: &Referral) -> Result<AdminReferral, AppError> {
    let config = referrals_of(shop)?;
    Ok(AdminReferral {
        id: referral.id.clone(),
        advocate_id: referral.advocate_id.clone(),
        code: referral.code.clone(),
        friend_customer_id: referral.friend_customer_id.clone(),
        friend_email: referral.friend_email.clone(),
        order_id: referral.order_id.clone(),
        order_total: referral.order_total,
        currency: referral.currency.clone(),
        ordered_on: referral.ordered_on,
        status: referral.status,
        reason: referral.reason,
        pays_on: referral.pays_on,
        paid_on: referral.paid_on,
        reward: super::reward_of(shop, config, referral, Locale::default()),
        reward_code: referral.reward_code.clone(),
        points: referral.points,
        created_at: referral.created_at,
        decided_by: referral.decided_by.clone(),
    })
}

/// A page of referrals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AdminReferralPage {
    /// Oldest first.
    pub referrals: Vec<AdminReferral>,
    /// Pass as `after` for the next page; absent on the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_after: Option<String>,
}

/// `?advocate=&status=&limit=&after=`.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ReferralsQuery {
    /// Only this advocate's.
    pub advocate: Option<String>,
    /// Only `pending`, `paid`, `cancelled` or `declined` ones.
    pub status: Option<String>,
    /// Page size, 1-200 (default 50).
    pub limit: Option<i64>,
    /// The previous page's `next_after`.
    pub after: Option<String>,
}

/// `GET /v1/shops/{shop}/admin/referrals`: the shop's referrals, oldest first, a page
/// at a time, with their reasons.
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/referrals", tag = "admin",
    params(("shop" = String, Path, description = "Shop id"), ReferralsQuery),
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "A page of referrals", body = AdminReferralPage),
        (status = 401, description = "Missing or wrong secret key", body = ErrorBody),
        (status = 404, description = "No such shop, or no referral programme", body = ErrorBody),
        (status = 422, description = "Bad advocate, status, limit or after", body = ErrorBody),
    ))]
pub async fn list_referrals(
    State(state): State<AppState>,
    Staff { shop, .. }: Staff,
    ApiQuery(query): ApiQuery<ReferralsQuery>,
) -> Result<Json<AdminReferralPage>, AppError> {
    referrals_of(&shop)?;
    let status = match query.status.as_deref().filter(|status| !status.is_empty()) {
        None => None,
        Some(name) => Some(ReferralStatus::parse(name).ok_or_else(|| {
            AppError::Validation(format!(
                "`status` must be pending, paid, cancelled or declined, not `{}`",
                crate::error::excerpt(name)
            ))
        })?),
    };
    let advocate = query.advocate.as_deref().filter(|a| !a.is_empty());
    if let Some(advocate) = advocate {
        check_id("advocate", advocate)?;
    }
    let after = query.after.as_deref().filter(|a| !a.is_empty());
    if let Some(after) = after {
        check_id("after", after)?;
    }
    let limit = query.limit.unwrap_or(DEFAULT_PAGE_LIMIT);
    if !(1..=MAX_PAGE_LIMIT).contains(&limit) {
        return Err(AppError::Validation(format!(
            "`limit` must be 1 to {MAX_PAGE_LIMIT}"
        )));
    }
    let page = state
        .store
        .referrals_page(&shop.id, advocate, status, after, limit)
        .await?;
    let full = i64::try_from(page.len()).unwrap_or(i64::MAX) == limit;
    Ok(Json(AdminReferralPage {
        next_after: page.last().filter(|_| full).map(|last| last.id.clone()),
        referrals: page
            .iter()
            .map(|referral| admin_view(&shop, referral))
            .collect::<Result<_, _>>()?,
    }))
}

/// The path of a referral.
#[derive(Debug, Deserialize)]
pub struct ReferralPath {
    /// Comeback's referral id.
    id: String,
}

fn no_referral(id: &str) -> AppError {
    AppError::not_found(format!(
        "there is no referral `{}`",
        crate::error::excerpt(id)
    ))
}

/// `POST /v1/shops/{shop}/admin/referrals/{id}/approve`: pays a pending (or declined)
/// referral now, through the ledger, once; repeating answers the paid referral.
#[utoipa::path(post, path = "/v1/shops/{shop}/admin/referrals/{id}/approve", tag = "admin",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("id" = String, Path, description = "Referral id"),
    ),
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "The referral, paid", body = AdminReferral),
        (status = 401, description = "Missing or wrong secret key", body = ErrorBody),
        (status = 404, description = "No such shop, referral programme or referral", body = ErrorBody),
        (status = 409, description = "referral_settled: a refund cancelled it", body = ErrorBody),
    ))]
pub async fn approve(
    State(state): State<AppState>,
    Staff { shop, .. }: Staff,
    ApiPath(path): ApiPath<ReferralPath>,
) -> Result<Json<AdminReferral>, AppError> {
    let config = referrals_of(&shop)?;
    check_id("id", &path.id)?;
    let now = state.clock.now();
    let terms = PayTerms {
        today: config.local_date(now),
        now,
        code_prefix: &config.reward_code_prefix,
        code_valid_for: i64::from(config.advocate_reward.valid_days()) * 86_400,
        currency: &shop.config.currency,
        decided_by: decided_by::SHOP,
        pay_declined: true,
    };
    match state.store.pay_referral(&shop.id, &path.id, &terms).await? {
        SettleOutcome::Done(referral) => Ok(Json(admin_view(&shop, &referral)?)),
        SettleOutcome::Settled(referral) => Err(AppError::ReferralSettled(format!(
            "referral `{}` was cancelled by the refund of order `{}`; it cannot be paid",
            referral.id, referral.order_id
        ))),
        SettleOutcome::NotFound => Err(no_referral(&path.id)),
    }
}

/// `POST /v1/shops/{shop}/admin/referrals/{id}/decline`: declines a pending referral
/// (`declined_by_shop`); a declined or cancelled one answers as it is.
#[utoipa::path(post, path = "/v1/shops/{shop}/admin/referrals/{id}/decline", tag = "admin",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("id" = String, Path, description = "Referral id"),
    ),
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "The referral, declined", body = AdminReferral),
        (status = 401, description = "Missing or wrong secret key", body = ErrorBody),
        (status = 404, description = "No such shop, referral programme or referral", body = ErrorBody),
        (status = 409, description = "referral_settled: its reward was paid", body = ErrorBody),
    ))]
pub async fn decline(
    State(state): State<AppState>,
    Staff { shop, .. }: Staff,
    ApiPath(path): ApiPath<ReferralPath>,
) -> Result<Json<AdminReferral>, AppError> {
    referrals_of(&shop)?;
    check_id("id", &path.id)?;
    let now = state.clock.now();
    match state
        .store
        .decline_referral(&shop.id, &path.id, now)
        .await?
    {
        SettleOutcome::Done(referral) => Ok(Json(admin_view(&shop, &referral)?)),
        SettleOutcome::Settled(referral) => Err(AppError::ReferralSettled(format!(
            "referral `{}` was paid; it cannot be declined",
            referral.id
        ))),
        SettleOutcome::NotFound => Err(no_referral(&path.id)),
    }
}
