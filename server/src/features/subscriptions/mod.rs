//! Subscribe and save: the offer `<comeback-subscribe>` shows on a product page, the
//! shopper's subscriptions and their changes for `<comeback-subscriptions>`
//! ([`actions`]), the shop's admin lists ([`admin`]), what paid order lines start and
//! renew ([`orders`]), and the job that asks the shop for each delivery ([`renewals`]).
//! Configured by `[shops.<id>.subscriptions]`; a shop without that section answers 404.
//!
//! Prices come from the one rule in `comeback_core::subscription::price` applied to the
//! catalogue's price of now, so the toggle's badge, the manager and the renewal agree.

pub mod actions;
pub mod admin;
pub mod orders;
pub mod renewals;

use std::collections::BTreeMap;

use axum::extract::State;
use axum::middleware::from_fn_with_state;
use axum::Json;
use comeback_core::catalogue::Product;
use comeback_core::error::ErrorBody;
use comeback_core::subscription::{
    OfferedPlan, Price, SubscriptionList, SubscriptionOffer, SubscriptionView,
};
use comeback_core::Locale;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use renewals::RenewalJob;

use crate::auth::{Customer, Shop};
use crate::config::subscriptions::{PlanConfig, SubscriptionsConfig};
use crate::error::AppError;
use crate::routes::catalogue::rfc3339;
use crate::routes::{check_id, ApiQuery};
use crate::store::{RenewalTerms, Subscription};
use crate::{ratelimit, AppState};

/// The feature's routes with their OpenAPI entries, under `/v1/shops/{shop}/`: the
/// shopper's (rate limited, CORS) and the shop backend's (API key; a coarse limit).
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let shopper = OpenApiRouter::new()
        .routes(routes!(offer))
        .routes(routes!(list))
        .routes(routes!(actions::change))
        .routes(routes!(actions::skip))
        .routes(routes!(actions::deliver_now))
        .routes(routes!(actions::pause))
        .routes(routes!(actions::resume))
        .routes(routes!(actions::cancel))
        .route_layer(from_fn_with_state(state.clone(), ratelimit::shopper));
    let shop_backend = OpenApiRouter::new()
        .routes(routes!(admin::list_subscriptions))
        .routes(routes!(admin::cancellations))
        .route_layer(from_fn_with_state(state.clone(), ratelimit::backend));
    shopper.merge(shop_backend)
}

/// The shop's subscriptions section, or 404 when it has none.
pub(crate) fn subscriptions_of(shop: &Shop) -> Result<&SubscriptionsConfig, AppError> {
    shop.config.subscriptions.as_ref().ok_or_else(|| {
        AppError::not_found(format!("the shop `{}` offers no subscriptions", shop.id))
    })
}

/// The locale of an answer.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct LocaleQuery {
    /// A BCP 47 tag for names and titles (`zh-TW` reads as `zh-Hant`); English when
    /// absent or not shipped.
    pub locale: Option<String>,
}

fn locale_of(tag: Option<&str>) -> Locale {
    tag.and_then(Locale::from_tag).unwrap_or_default()
}

/// A plan as the toggle shows it, named in `locale`.
fn offered(plan: &PlanConfig, locale: Locale) -> OfferedPlan {
    OfferedPlan {
        id: plan.id.clone(),
        name: plan.name().get(locale).to_owned(),
        discount: plan.discount(),
        free_shipping: plan.free_shipping,
        intervals: plan.intervals.clone(),
        min_deliveries: plan.min_deliveries,
    }
}

/// The catalogue's entry for a product, if it has one.
pub(crate) async fn product(
    state: &AppState,
    shop_id: &str,
    product_id: &str,
) -> Result<Option<Product>, AppError> {
    Ok(state
        .store
        .product(shop_id, product_id, rfc3339)
        .await?
        .map(|record| record.product))
}

/// What a delivery of `subscription` costs now and how it ships: the plan's discount
/// on the catalogue's price of now (none when the product left the catalogue). A plan
/// removed from the config renews at the regular price, shipping charged.
pub(crate) fn terms(
    shop: &Shop,
    config: &SubscriptionsConfig,
    subscription: &Subscription,
    product: Option<&Product>,
) -> RenewalTerms {
    let plan = config.plan(&subscription.plan_id);
    RenewalTerms {
        currency: shop.config.currency.clone(),
        unit_price: product
            .map(|product| Price::of(product.price, plan.and_then(PlanConfig::discount))),
        free_shipping: plan.is_some_and(|plan| plan.free_shipping),
    }
}

/// A subscription as the manager shows it, in `locale`.
pub(crate) fn view(
    config: &SubscriptionsConfig,
    subscription: &Subscription,
    product: Option<&Product>,
    locale: Locale,
) -> SubscriptionView {
    let plan = config.plan(&subscription.plan_id);
    let interval = subscription.interval();
    SubscriptionView {
        id: subscription.id.clone(),
        product_id: subscription.product_id.clone(),
        title: product.map_or_else(
            || subscription.product_id.clone(),
            |product| product.title.get(locale).to_owned(),
        ),
        url: product.map(|product| product.url.clone()),
        image: product.and_then(|product| product.image.clone()),
        plan_id: subscription.plan_id.clone(),
        plan_name: plan.map_or_else(
            || subscription.plan_id.clone(),
            |plan| plan.name().get(locale).to_owned(),
        ),
        quantity: subscription.quantity,
        intervals: plan.map_or_else(|| vec![interval.clone()], |plan| plan.intervals.clone()),
        interval,
        status: subscription.status,
        next_delivery: subscription.next_delivery,
        paused_until: subscription.paused_until,
        renewal_pending: subscription.renewal_pending(),
        price: Price::of(
            product.map_or(0, |product| product.price),
            plan.and_then(PlanConfig::discount),
        ),
        free_shipping: plan.is_some_and(|plan| plan.free_shipping),
        deliveries: subscription.deliveries,
        min_deliveries: plan.and_then(|plan| plan.min_deliveries),
        started_on: subscription.started_on,
        cancelled_on: subscription.cancelled_on,
    }
}

/// The query of the offer.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct OfferQuery {
    /// The product page's product id.
    pub product: Option<String>,
    /// A BCP 47 tag for the plan names; English when absent or not shipped.
    pub locale: Option<String>,
}

/// `GET /v1/shops/{shop}/subscriptions/offer?product=…`: the plans that cover a product
/// (by its id or one of its catalogue categories), in the shop's order, with its price.
/// Public; no plan means the toggle shows nothing.
#[utoipa::path(get, path = "/v1/shops/{shop}/subscriptions/offer", tag = "subscriptions",
    params(("shop" = String, Path, description = "Shop id"), OfferQuery),
    responses(
        (status = 200, description = "The plans covering the product (`plans` empty when none does)", body = SubscriptionOffer),
        (status = 404, description = "No such shop, no subscriptions, or no such product in the catalogue", body = ErrorBody),
        (status = 422, description = "`product` missing or not a product id", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn offer(
    State(state): State<AppState>,
    shop: Shop,
    ApiQuery(query): ApiQuery<OfferQuery>,
) -> Result<Json<SubscriptionOffer>, AppError> {
    let config = subscriptions_of(&shop)?;
    let product_id = query
        .product
        .as_deref()
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| {
            AppError::Validation("`product` is required: the page's product id".into())
        })?;
    check_id("product", product_id)?;
    let locale = locale_of(query.locale.as_deref());
    let product = product(&state, &shop.id, product_id)
        .await?
        .ok_or_else(|| {
            AppError::not_found(format!(
                "there is no product `{}` in the catalogue",
                crate::error::excerpt(product_id)
            ))
        })?;
    Ok(Json(SubscriptionOffer {
        currency: shop.config.currency.clone(),
        unit_price: product.price,
        plans: config
            .plans
            .iter()
            .filter(|plan| plan.covers(&product.id, &product.categories))
            .map(|plan| offered(plan, locale))
            .collect(),
        product_id: product.id,
    }))
}

/// `GET /v1/shops/{shop}/subscriptions`: the signed-in shopper's subscriptions, with
/// the shop's cancel reasons and save offer.
#[utoipa::path(get, path = "/v1/shops/{shop}/subscriptions", tag = "subscriptions",
    params(("shop" = String, Path, description = "Shop id"), LocaleQuery),
    security(("customer_token" = [])),
    responses(
        (status = 200, description = "Running and paused first, then cancelled; newest first within each", body = SubscriptionList),
        (status = 401, description = "Missing, forged or expired customer token", body = ErrorBody),
        (status = 404, description = "No such shop, or no subscriptions", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    customer: Customer,
    ApiQuery(query): ApiQuery<LocaleQuery>,
) -> Result<Json<SubscriptionList>, AppError> {
    let shop = &customer.shop;
    let config = subscriptions_of(shop)?;
    let locale = locale_of(query.locale.as_deref());
    let subscriptions = state
        .store
        .subscriptions_of(&shop.id, &customer.claims.sub)
        .await?;
    let mut products: BTreeMap<&str, Option<Product>> = BTreeMap::new();
    for subscription in &subscriptions {
        if !products.contains_key(subscription.product_id.as_str()) {
            let found = product(&state, &shop.id, &subscription.product_id).await?;
            products.insert(&subscription.product_id, found);
        }
    }
    Ok(Json(SubscriptionList {
        currency: shop.config.currency.clone(),
        subscriptions: subscriptions
            .iter()
            .map(|subscription| {
                let product = products
                    .get(subscription.product_id.as_str())
                    .and_then(Option::as_ref);
                view(config, subscription, product, locale)
            })
            .collect(),
        cancel_reasons: config.reasons_in(locale),
        save_offer: config.save_offer,
    }))
}
