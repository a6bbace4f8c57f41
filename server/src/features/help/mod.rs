//! Help: articles with instant search, troubleshooting trees and contact channels, for
//! `<comeback-help>`. Configured by `[shops.<id>.help]`; a shop without that section
//! answers 404 on the help endpoints.

pub mod content;
pub mod markup;
pub mod tickets;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::middleware::from_fn_with_state;
use axum::response::Response;
use comeback_core::error::ErrorBody;
use comeback_core::Locale;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use content::{Compiled, HelpCache, HelpView};

use crate::auth::Shop;
use crate::config::help::HelpConfig;
use crate::error::AppError;
use crate::{ratelimit, AppState};

/// The feature's routes with their OpenAPI entries, under `/v1/shops/{shop}/`: the
/// shopper's (rate limited, CORS) and the shop backend's (API key; a coarse limit).
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let shopper = OpenApiRouter::new()
        .routes(routes!(content_in_locale))
        .routes(routes!(tickets::create_ticket))
        .routes(routes!(tickets::feedback))
        .route_layer(from_fn_with_state(state.clone(), ratelimit::shopper));
    let shop_backend = OpenApiRouter::new()
        .routes(routes!(tickets::list_tickets))
        .routes(routes!(tickets::feedback_report))
        .route_layer(from_fn_with_state(state.clone(), ratelimit::backend));
    shopper.merge(shop_backend)
}

/// The shop's help section, or 404 when it has none.
pub(crate) fn help_of(shop: &Shop) -> Result<&HelpConfig, AppError> {
    shop.config
        .help
        .as_ref()
        .ok_or_else(|| AppError::not_found(format!("the shop `{}` has no help centre", shop.id)))
}

/// The locale asked for.
#[derive(Debug, Deserialize, IntoParams)]
pub struct LocaleQuery {
    /// A BCP 47 tag (`zh-TW` reads as `zh-Hant`); English when absent or not shipped.
    pub locale: Option<String>,
}

/// `GET /v1/shops/{shop}/help`: the articles, trees, contact channels and search index
/// in one locale. Public and cacheable: answers carry an `ETag`, and a request whose
/// `If-None-Match` names it gets 304.
#[utoipa::path(get, path = "/v1/shops/{shop}/help", tag = "help",
    params(("shop" = String, Path, description = "Shop id"), LocaleQuery),
    responses(
        (status = 200, description = "The help content in the locale", body = HelpView),
        (status = 304, description = "Unchanged since the `If-None-Match` entity tag"),
        (status = 404, description = "No such shop, or no help centre", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn content_in_locale(
    State(state): State<AppState>,
    shop: Shop,
    Query(query): Query<LocaleQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let help = help_of(&shop)?;
    let locale = query
        .locale
        .as_deref()
        .and_then(Locale::from_tag)
        .unwrap_or_default();
    let compiled = state.help.get(&shop.id, help, locale);
    Ok(crate::routes::cacheable_json(
        &headers,
        &compiled.etag,
        compiled.body.clone(),
        crate::routes::KEEP_FIVE_MINUTES,
    ))
}
