//! Loyalty: points from orders and actions, tiers, rewards, punch cards, birthday and
//! anniversary gifts, points expiry. Configured by `[shops.<id>.loyalty]`; a shop
//! without that section has no loyalty endpoints (404) and its orders earn nothing.

pub mod me_cache;
pub mod programme;

use std::sync::Arc;

pub use me_cache::{MeCache, MeKey};
pub use programme::{Programme, Viewer};

use axum::middleware::from_fn_with_state;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::routes::{admin, codes, loyalty};
use crate::scheduler::Job;
use crate::{ratelimit, AppState};

/// The feature's routes with their OpenAPI entries: the shopper's (rate limited) and
/// the shop backend's (API key; a coarse limit), all under `/v1/shops/{shop}/`.
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let shopper = OpenApiRouter::new()
        .routes(routes!(loyalty::programme))
        .routes(routes!(loyalty::me))
        .routes(routes!(loyalty::set_birthday))
        .routes(routes!(loyalty::preferences, loyalty::set_preferences))
        .routes(routes!(loyalty::redeem))
        .route_layer(from_fn_with_state(state.clone(), ratelimit::shopper));
    let shop_backend = OpenApiRouter::new()
        .routes(routes!(codes::show))
        .routes(routes!(codes::consume))
        .routes(routes!(codes::release))
        .routes(routes!(admin::customer))
        .routes(routes!(admin::adjust))
        .routes(routes!(admin::award_action))
        .routes(routes!(admin::redemptions))
        .route_layer(from_fn_with_state(state.clone(), ratelimit::backend));
    shopper.merge(shop_backend)
}

/// The feature's periodic jobs: points expiry (and codes giving their points back),
/// the tier review, birthday and anniversary rewards; each skips shops without the
/// configuration it needs.
pub fn jobs() -> Vec<Arc<dyn Job>> {
    vec![
        Arc::new(crate::expiry::ExpiryJob),
        Arc::new(crate::tier_review::TierReviewJob),
        Arc::new(crate::birthday::BIRTHDAY_JOB),
        Arc::new(crate::anniversary::ANNIVERSARY_JOB),
    ]
}
