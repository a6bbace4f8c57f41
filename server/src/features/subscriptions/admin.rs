//! The shop's side, with its API key: every subscription (by status or customer, a
//! page at a time) and why shoppers cancel.

use axum::extract::State;
use axum::Json;
use comeback_core::date::Date;
use comeback_core::error::ErrorBody;
use comeback_core::subscription::SubscriptionStatus;
use comeback_core::LocalizedText;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::subscriptions_of;
use crate::auth::Staff;
use crate::error::AppError;
use crate::routes::{check_id, ApiQuery};
use crate::store::Subscription;
use crate::AppState;

/// Subscriptions (or cancellations) per page when `limit` is not given.
pub const DEFAULT_PAGE_LIMIT: i64 = 50;
/// Most per page.
pub const MAX_PAGE_LIMIT: i64 = 200;

/// A subscription as the shop's backend sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AdminSubscription {
    /// Comeback's id (UUID v7; the order of creation).
    pub id: String,
    /// The customer.
    pub customer_id: String,
    /// The product delivered.
    pub product_id: String,
    /// The plan.
    pub plan_id: String,
    /// Units per delivery.
    pub quantity: i64,
    /// How often (`P2W`).
    pub interval: String,
    /// Where it stands.
    pub status: SubscriptionStatus,
    /// The next delivery the shop has not been asked for (none once cancelled).
    pub next_delivery: Option<Date>,
    /// While paused, the day it resumes.
    pub paused_until: Option<Date>,
    /// The delivery the shop was asked for (`subscription.renewal_due`) and has not
    /// confirmed with a renewal order.
    pub pending_delivery: Option<Date>,
    /// Deliveries confirmed, the first order included.
    pub deliveries: u32,
    /// The first delivery.
    pub started_on: Date,
    /// The day it was cancelled.
    pub cancelled_on: Option<Date>,
    /// The reason id picked when cancelling.
    pub cancel_reason: Option<String>,
    /// What the shopper wrote when cancelling.
    pub cancel_comment: Option<String>,
    /// The order that started it.
    pub order_id: String,
    /// When it was created, Unix seconds.
    pub created_at: i64,
}

impl From<&Subscription> for AdminSubscription {
    fn from(subscription: &Subscription) -> Self {
        AdminSubscription {
            id: subscription.id.clone(),
            customer_id: subscription.customer_id.clone(),
            product_id: subscription.product_id.clone(),
            plan_id: subscription.plan_id.clone(),
            quantity: subscription.quantity,
            interval: subscription.interval(),
            status: subscription.status,
            next_delivery: subscription.next_delivery,
            paused_until: subscription.paused_until,
            pending_delivery: subscription.renewal_requested_for,
            deliveries: subscription.deliveries,
            started_on: subscription.started_on,
            cancelled_on: subscription.cancelled_on,
            cancel_reason: subscription.cancel_reason.clone(),
            cancel_comment: subscription.cancel_comment.clone(),
            order_id: subscription.order_id.clone(),
            created_at: subscription.created_at,
        }
    }
}

/// A page of subscriptions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AdminSubscriptionPage {
    /// Oldest first.
    pub subscriptions: Vec<AdminSubscription>,
    /// Pass as `after` for the next page; absent on the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_after: Option<String>,
}

/// `?status=&customer=&limit=&after=`.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct SubscriptionsQuery {
    /// Only `active`, `paused` or `cancelled` ones.
    pub status: Option<String>,
    /// Only this customer's.
    pub customer: Option<String>,
    /// Page size, 1-200 (default 50).
    pub limit: Option<i64>,
    /// The previous page's `next_after`.
    pub after: Option<String>,
}

fn limit_of(limit: Option<i64>) -> Result<i64, AppError> {
    let limit = limit.unwrap_or(DEFAULT_PAGE_LIMIT);
    if !(1..=MAX_PAGE_LIMIT).contains(&limit) {
        return Err(AppError::Validation(format!(
            "`limit` must be 1 to {MAX_PAGE_LIMIT}"
        )));
    }
    Ok(limit)
}

/// `GET /v1/shops/{shop}/admin/subscriptions`: the shop's subscriptions, oldest first,
/// a page at a time.
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/subscriptions", tag = "admin",
    params(("shop" = String, Path, description = "Shop id"), SubscriptionsQuery),
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "A page of subscriptions", body = AdminSubscriptionPage),
        (status = 401, description = "Missing or wrong secret key", body = ErrorBody),
        (status = 404, description = "No such shop, or no subscriptions", body = ErrorBody),
        (status = 422, description = "Bad status, customer, limit or after", body = ErrorBody),
    ))]
pub async fn list_subscriptions(
    State(state): State<AppState>,
    Staff { shop, .. }: Staff,
    ApiQuery(query): ApiQuery<SubscriptionsQuery>,
) -> Result<Json<AdminSubscriptionPage>, AppError> {
    subscriptions_of(&shop)?;
    let status = match query.status.as_deref().filter(|status| !status.is_empty()) {
        None => None,
        Some(name) => Some(SubscriptionStatus::parse(name).ok_or_else(|| {
            AppError::Validation(format!(
                "`status` must be active, paused or cancelled, not `{}`",
                crate::error::excerpt(name)
            ))
        })?),
    };
    let customer = query.customer.as_deref().filter(|c| !c.is_empty());
    if let Some(customer) = customer {
        check_id("customer", customer)?;
    }
    let after = query.after.as_deref().filter(|a| !a.is_empty());
    if let Some(after) = after {
        check_id("after", after)?;
    }
    let limit = limit_of(query.limit)?;
    let page = state
        .store
        .subscriptions_page(&shop.id, status, customer, after, limit)
        .await?;
    let full = i64::try_from(page.len()).unwrap_or(i64::MAX) == limit;
    Ok(Json(AdminSubscriptionPage {
        next_after: page.last().filter(|_| full).map(|last| last.id.clone()),
        subscriptions: page.iter().map(AdminSubscription::from).collect(),
    }))
}

/// How many cancellations gave one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReasonCount {
    /// The reason id; `null` for cancellations without a reason.
    pub reason: Option<String>,
    /// Its label, when the shop still lists it.
    pub label: Option<LocalizedText>,
    /// Cancellations with it.
    pub count: i64,
}

/// A cancellation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Cancellation {
    /// The subscription.
    pub subscription_id: String,
    /// The customer.
    pub customer_id: String,
    /// The product.
    pub product_id: String,
    /// The plan.
    pub plan_id: String,
    /// The reason id, if one was picked.
    pub reason: Option<String>,
    /// What the shopper wrote.
    pub comment: Option<String>,
    /// The day.
    pub cancelled_on: Option<Date>,
    /// When, Unix seconds.
    pub cancelled_at: Option<i64>,
    /// Deliveries it had.
    pub deliveries: u32,
}

/// Why shoppers cancel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CancellationReport {
    /// Every reason the shop lists, in its order, with its count (0 included); then the
    /// reasons it no longer lists, most first; then `reason: null` for cancellations
    /// without a reason, when there are any.
    pub reasons: Vec<ReasonCount>,
    /// The most recent cancellations, newest first.
    pub recent: Vec<Cancellation>,
}

/// `?limit=`.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct CancellationsQuery {
    /// How many recent cancellations, 1-200 (default 50).
    pub limit: Option<i64>,
}

/// `GET /v1/shops/{shop}/admin/subscriptions/cancellations`: the reasons with their
/// counts, and the recent cancellations with their comments.
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/subscriptions/cancellations", tag = "admin",
    params(("shop" = String, Path, description = "Shop id"), CancellationsQuery),
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "The reasons and the recent cancellations", body = CancellationReport),
        (status = 401, description = "Missing or wrong secret key", body = ErrorBody),
        (status = 404, description = "No such shop, or no subscriptions", body = ErrorBody),
        (status = 422, description = "Bad limit", body = ErrorBody),
    ))]
pub async fn cancellations(
    State(state): State<AppState>,
    Staff { shop, .. }: Staff,
    ApiQuery(query): ApiQuery<CancellationsQuery>,
) -> Result<Json<CancellationReport>, AppError> {
    let config = subscriptions_of(&shop)?;
    let limit = limit_of(query.limit)?;
    let mut counts = state.store.cancellation_counts(&shop.id).await?;
    let mut reasons: Vec<ReasonCount> = config
        .cancel_reasons
        .iter()
        .map(|listed| {
            let at = counts
                .iter()
                .position(|(reason, _)| reason.as_deref() == Some(listed.id.as_str()));
            ReasonCount {
                reason: Some(listed.id.clone()),
                label: Some((&listed.label).into()),
                count: at.map_or(0, |at| counts.remove(at).1),
            }
        })
        .collect();
    // What is left: reasons no longer listed (most first), and no reason last.
    counts.sort_by_key(|(reason, count)| (reason.is_none(), -count));
    reasons.extend(counts.into_iter().map(|(reason, count)| ReasonCount {
        reason,
        label: None,
        count,
    }));
    let recent = state
        .store
        .recent_cancellations(&shop.id, limit)
        .await?
        .iter()
        .map(|subscription| Cancellation {
            subscription_id: subscription.id.clone(),
            customer_id: subscription.customer_id.clone(),
            product_id: subscription.product_id.clone(),
            plan_id: subscription.plan_id.clone(),
            reason: subscription.cancel_reason.clone(),
            comment: subscription.cancel_comment.clone(),
            cancelled_on: subscription.cancelled_on,
            cancelled_at: subscription.cancelled_at,
            deliveries: subscription.deliveries,
        })
        .collect();
    Ok(Json(CancellationReport { reasons, recent }))
}
