//! The shop-owner dashboard's read API, for any of the shop's staff: the customer
//! search, one customer's activity and the overview of a period. The segments and their
//! exports are in `dashboard_segments`.

use axum::extract::State;
use axum::Json;
use comeback_core::dashboard::{
    CustomerActivity, CustomerSearch, NamedCount, Overview, PointsOverview, ReferralOverview,
};
use comeback_core::error::ErrorBody;
use comeback_core::Locale;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{check_id, ApiPath, ApiQuery};
use crate::auth::Staff;
use crate::error::AppError;
use crate::features::loyalty::Programme;
use crate::features::subscriptions;
use crate::AppState;

/// Matches per search when `limit` is not given.
pub const DEFAULT_SEARCH_LIMIT: i64 = 20;

/// Most matches per search.
pub const MAX_SEARCH_LIMIT: i64 = 100;

/// Longest search, in characters.
pub const MAX_QUERY_CHARS: usize = 100;

/// Seconds in a day.
const DAY: i64 = 86_400;

/// The overview's period when none is asked: the last 30 days.
pub const DEFAULT_PERIOD_DAYS: i64 = 30;

/// The longest overview period, in days.
pub const MAX_PERIOD_DAYS: i64 = 366;

/// Query of the customer search.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchQuery {
    /// What to look for: the start of a customer id, or part of an email or name
    /// (1-100 characters, ignoring case and surrounding spaces).
    q: Option<String>,
    /// Most matches, 1-100 (default 20).
    limit: Option<i64>,
}

/// `GET /v1/shops/{shop}/admin/customers?q=…`: customers whose id starts with `q`, or
/// whose email or name contains it; the customer whose id is `q` first, then by latest
/// order.
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/customers", tag = "admin",
    params(("shop" = String, Path, description = "Shop id"), SearchQuery),
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "The matches, best first", body = CustomerSearch),
        (status = 400, description = "A parameter is not a number", body = ErrorBody),
        (status = 401, description = "Missing or wrong secret key", body = ErrorBody),
        (status = 404, description = "No such shop", body = ErrorBody),
        (status = 422, description = "Blank or too long `q`, or `limit` not 1-100", body = ErrorBody),
    ))]
pub async fn search(
    State(state): State<AppState>,
    staff: Staff,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Json<CustomerSearch>, AppError> {
    let q = query.q.as_deref().unwrap_or_default().trim();
    if q.is_empty() || q.chars().count() > MAX_QUERY_CHARS || q.chars().any(char::is_control) {
        return Err(AppError::Validation(format!(
            "`q` must be 1 to {MAX_QUERY_CHARS} characters without control characters"
        )));
    }
    let limit = query.limit.unwrap_or(DEFAULT_SEARCH_LIMIT);
    if !(1..=MAX_SEARCH_LIMIT).contains(&limit) {
        return Err(AppError::Validation(format!(
            "`limit` must be 1 to {MAX_SEARCH_LIMIT}"
        )));
    }
    let customers = state
        .store
        .search_customers(&staff.shop.id, q, limit)
        .await?;
    Ok(Json(CustomerSearch { customers }))
}

/// Query of the overview.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PeriodQuery {
    /// Start of the period, Unix seconds (default: 30 days before `to`).
    from: Option<i64>,
    /// End of the period (excluded), Unix seconds (default: now).
    to: Option<i64>,
}

/// The asked period `[from, to)`, checked: `from` before `to`, at most
/// [`MAX_PERIOD_DAYS`] long, neither before 1970.
fn period(query: &PeriodQuery, now: i64) -> Result<(i64, i64), AppError> {
    let to = query.to.unwrap_or(now);
    let from = query
        .from
        .unwrap_or_else(|| to.saturating_sub(DEFAULT_PERIOD_DAYS * DAY));
    if from < 0 || to <= from {
        return Err(AppError::Validation(
            "`from` must be Unix seconds, 0 or more, before `to`".into(),
        ));
    }
    if to - from > MAX_PERIOD_DAYS * DAY {
        return Err(AppError::Validation(format!(
            "the period may be at most {MAX_PERIOD_DAYS} days long"
        )));
    }
    Ok((from, to))
}

/// `tiers` in the order of `ladder` (lowest first); ids no longer on it last.
fn in_ladder_order(mut tiers: Vec<NamedCount>, ladder: &[String]) -> Vec<NamedCount> {
    tiers.sort_by_key(|tier| {
        ladder
            .iter()
            .position(|id| *id == tier.name)
            .unwrap_or(ladder.len())
    });
    tiers
}

/// `GET /v1/shops/{shop}/admin/overview?from=&to=`: orders and repeat purchases, and
/// each feature the shop runs, over `[from, to)`.
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/overview", tag = "admin",
    params(("shop" = String, Path, description = "Shop id"), PeriodQuery),
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "The period at a glance", body = Overview),
        (status = 400, description = "A parameter is not a number", body = ErrorBody),
        (status = 401, description = "Missing or wrong secret key", body = ErrorBody),
        (status = 404, description = "No such shop", body = ErrorBody),
        (status = 422, description = "`from` not before `to`, or a period over 366 days", body = ErrorBody),
    ))]
pub async fn overview(
    State(state): State<AppState>,
    staff: Staff,
    ApiQuery(query): ApiQuery<PeriodQuery>,
) -> Result<Json<Overview>, AppError> {
    let (from, to) = period(&query, state.clock.now())?;
    let shop = &staff.shop;
    let store = &state.store;
    let points = match Programme::of(&shop.config) {
        Some(programme) => {
            let totals = store.points_totals(&shop.id, from, to).await?;
            let ladder: Vec<String> = programme.tiers().into_iter().map(|t| t.id).collect();
            Some(PointsOverview {
                issued: totals.issued,
                redeemed: totals.redeemed,
                expired: totals.expired,
                outstanding: totals.outstanding,
                tiers: in_ladder_order(store.tier_counts(&shop.id).await?, &ladder),
            })
        }
        None => None,
    };
    let referrals = match shop.config.referrals {
        Some(_) => {
            let funnel = store.referral_funnel(&shop.id, from, to).await?;
            Some(ReferralOverview {
                visits: funnel.visits,
                claims: funnel.signups,
                first_orders: funnel.first_orders,
                paid: funnel.paid,
            })
        }
        None => None,
    };
    let surveys = if shop.config.surveys.is_empty() {
        None
    } else {
        Some(store.survey_overview(&shop.id, from, to).await?)
    };
    let subscriptions = match shop.config.subscriptions {
        Some(_) => Some(store.subscription_overview(&shop.id, from, to).await?),
        None => None,
    };
    let help = match shop.config.help {
        Some(_) => Some(store.help_overview(&shop.id, from, to).await?),
        None => None,
    };
    let recommendations = match shop.config.recommendations {
        Some(_) => Some(store.recommendation_overview(&shop.id, from, to).await?),
        None => None,
    };
    Ok(Json(Overview {
        from,
        to,
        orders: store.orders_overview(&shop.id, from, to).await?,
        points,
        referrals,
        surveys,
        subscriptions,
        help,
        recommendations,
    }))
}

/// Path of a customer's activity.
#[derive(Debug, Deserialize)]
pub struct ActivityPath {
    /// The shop's customer id.
    customer_id: String,
}

/// `GET /v1/shops/{shop}/admin/customers/{customer_id}/activity`: the customer's
/// profile, orders, subscriptions, referrals, survey answers and tickets.
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/customers/{customer_id}/activity", tag = "admin",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("customer_id" = String, Path, description = "The shop's customer id"),
    ),
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "The customer's activity, newest first", body = CustomerActivity),
        (status = 401, description = "Missing or wrong secret key", body = ErrorBody),
        (status = 404, description = "No such shop, or the shop knows nothing of this customer", body = ErrorBody),
        (status = 422, description = "Bad customer id", body = ErrorBody),
    ))]
pub async fn activity(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<ActivityPath>,
) -> Result<Json<CustomerActivity>, AppError> {
    check_id("customer_id", &path.customer_id)?;
    let shop = &staff.shop;
    let customer = path.customer_id.as_str();
    let store = &state.store;
    if !store.customer_known(&shop.id, customer).await? {
        return Err(AppError::not_found(format!(
            "the shop knows nothing of customer `{}`",
            crate::error::excerpt(customer)
        )));
    }
    let mut subscription_views = Vec::new();
    if let Some(config) = &shop.config.subscriptions {
        for subscription in store.subscriptions_of(&shop.id, customer).await? {
            let product =
                subscriptions::product(&state, &shop.id, &subscription.product_id).await?;
            subscription_views.push(subscriptions::view(
                config,
                &subscription,
                product.as_ref(),
                Locale::En,
            ));
        }
    }
    Ok(Json(CustomerActivity {
        customer_id: customer.to_owned(),
        profile: store.activity_profile(&shop.id, customer).await?,
        orders: store.activity_orders(&shop.id, customer).await?,
        subscriptions: subscription_views,
        referrals: store.activity_referrals(&shop.id, customer).await?,
        survey_answers: store.activity_survey_answers(&shop.id, customer).await?,
        tickets: store.activity_tickets(&shop.id, customer).await?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_default_to_the_last_30_days_and_are_bounded() {
        let now = 1_800_000_000;
        let asked = |from, to| period(&PeriodQuery { from, to }, now);
        assert_eq!(asked(None, None).unwrap(), (now - 30 * DAY, now));
        assert_eq!(
            asked(None, Some(now - DAY)).unwrap(),
            (now - 31 * DAY, now - DAY)
        );
        assert_eq!(asked(Some(now - DAY), None).unwrap(), (now - DAY, now));
        assert!(asked(Some(now), Some(now)).is_err());
        assert!(asked(Some(now), Some(now - 1)).is_err());
        assert!(asked(Some(-1), Some(now)).is_err());
        assert!(asked(Some(now - 366 * DAY), Some(now)).is_ok());
        assert!(asked(Some(now - 366 * DAY - 1), Some(now)).is_err());
    }

    #[test]
    fn tiers_follow_the_ladder() {
        let count = |name: &str, count| NamedCount {
            name: name.into(),
            count,
        };
        let ladder = ["leaf".to_owned(), "bud".to_owned(), "bloom".to_owned()];
        let sorted = in_ladder_order(
            vec![count("bloom", 1), count("gone", 7), count("leaf", 3)],
            &ladder,
        );
        let names: Vec<&str> = sorted.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["leaf", "bloom", "gone"]);
    }
}
