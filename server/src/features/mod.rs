//! The features of the server, one module each. A feature owns its HTTP routes (with
//! their OpenAPI entries), reads its optional section of a shop's config, and lists the
//! periodic jobs it needs; the app and the scheduler are assembled from this list.

pub mod help;
pub mod loyalty;
pub mod recommendations;
pub mod referrals;
pub mod subscriptions;
pub mod surveys;

use std::sync::Arc;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::routes::{
    appearance, catalogue, dashboard, dashboard_segments, profiles, settings, settings_preview,
    staff, tokens, webhooks,
};
use crate::scheduler::Job;
use crate::{ratelimit, AppState};
use axum::middleware::from_fn_with_state;

/// The first path segment after `/v1/shops/{shop}/` of every shopper route: the only
/// routes browsers may call cross-origin (CORS).
pub const SHOPPER_SECTIONS: &[&str] = &[
    "appearance",
    "loyalty",
    "help",
    "recommendations",
    "subscriptions",
    "referrals",
    "surveys",
];

/// Every route under `/v1/shops/{shop}/` with its OpenAPI entry: the platform's (the
/// order webhook, the product catalogue and customer profiles every feature reads, and
/// the staff sessions of the dashboard) and each feature's. The one list of routes: the
/// app and the OpenAPI document are both made from it.
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let sessions = OpenApiRouter::new()
        .routes(routes!(
            staff::sign_in,
            staff::current_session,
            staff::sign_out
        ))
        .route_layer(from_fn_with_state(state.clone(), ratelimit::sign_in));
    // Settings documents carry help articles: larger bodies than the rest.
    let settings_routes = OpenApiRouter::new()
        .routes(routes!(settings::get_settings, settings::put_settings))
        .routes(routes!(settings::revert_settings))
        .routes(routes!(settings::settings_history))
        .routes(routes!(settings_preview::preview_settings))
        .layer(axum::extract::DefaultBodyLimit::max(
            settings::SETTINGS_BODY_LIMIT,
        ));
    // The shop's look, read by the loader on every page with a widget.
    let shopper = OpenApiRouter::new()
        .routes(routes!(appearance::appearance))
        .route_layer(from_fn_with_state(state.clone(), ratelimit::shopper));
    let platform = OpenApiRouter::new()
        .merge(sessions)
        .routes(routes!(webhooks::orders))
        .routes(routes!(catalogue::products_webhook))
        .routes(routes!(catalogue::customers_webhook))
        .routes(routes!(catalogue::list_products))
        .routes(routes!(
            catalogue::get_product,
            catalogue::put_product,
            catalogue::delete_product
        ))
        .routes(routes!(profiles::list_profiles))
        .routes(routes!(
            profiles::get_profile,
            profiles::put_profile,
            profiles::delete_profile
        ))
        .routes(routes!(tokens::revoke_tokens))
        .routes(routes!(dashboard::search))
        .routes(routes!(dashboard::overview))
        .routes(routes!(dashboard::activity))
        .routes(routes!(dashboard_segments::sizes))
        .routes(routes!(dashboard_segments::page))
        .routes(routes!(dashboard_segments::export))
        .merge(settings_routes)
        .route_layer(from_fn_with_state(state.clone(), ratelimit::backend));
    platform
        .merge(shopper)
        .merge(loyalty::router(state))
        .merge(help::router(state))
        .merge(recommendations::router(state))
        .merge(subscriptions::router(state))
        .merge(referrals::router(state))
        .merge(surveys::router(state))
}

/// Every periodic job of the server: each feature's, then the platform's own (the
/// delivery of outbound webhooks).
pub fn jobs() -> Vec<Arc<dyn Job>> {
    let mut jobs = loyalty::jobs();
    jobs.push(Arc::new(recommendations::FollowJob));
    jobs.push(Arc::new(subscriptions::RenewalJob));
    jobs.push(Arc::new(referrals::PayoutJob));
    jobs.push(Arc::new(crate::delivery::DeliveryJob));
    jobs
}
