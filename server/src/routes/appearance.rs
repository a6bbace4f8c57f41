//! `GET /v1/shops/{shop}/appearance`: the shop's look (`[shops.<id>.appearance]`, or the
//! dashboard's Appearance section), which the loader fetches beside the wasm and lays
//! beneath the page's own `comebackSettings.appearance`.

use std::collections::BTreeMap;

use axum::http::HeaderMap;
use axum::response::Response;
use comeback_core::error::ErrorBody;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Shop;
use crate::error::AppError;

/// Fresh for a minute, so a dashboard change reaches shop pages within one; after that
/// a browser still uses what it has for a week while it revalidates in the background
/// (with the entity tag), so a repeat visit never waits for this answer: a mounted
/// widget restyled by a late one could move on the page.
const CACHE_CONTROL: &str = "public, max-age=60, stale-while-revalidate=604800";

/// The shop's appearance, in the shape of `comebackSettings.appearance`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppearanceView {
    /// `light`, `dark` or `auto`; absent when the shop sets none (light).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme: Option<&'static str>,
    /// `--comeback-*` design tokens and their CSS values (empty when none is set).
    pub variables: BTreeMap<String, String>,
}

/// `GET /v1/shops/{shop}/appearance`: the colour scheme and design tokens the shop set
/// for its widgets. Public; every shop answers, with no tokens when it set none.
#[utoipa::path(get, path = "/v1/shops/{shop}/appearance", tag = "appearance",
    params(("shop" = String, Path, description = "Shop id")),
    responses(
        (status = 200, description = "The shop's appearance", body = AppearanceView),
        (status = 304, description = "Unchanged since the `If-None-Match` entity tag"),
        (status = 404, description = "No such shop", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn appearance(shop: Shop, headers: HeaderMap) -> Result<Response, AppError> {
    let appearance = shop.config.appearance.as_ref();
    let view = AppearanceView {
        theme: appearance.and_then(|a| a.theme).map(|theme| theme.as_str()),
        variables: appearance.map(|a| a.variables.clone()).unwrap_or_default(),
    };
    let body = serde_json::to_vec(&view).map_err(|error| AppError::Internal(error.to_string()))?;
    let etag = super::entity_tag(&body);
    Ok(super::cacheable_json(&headers, &etag, body, CACHE_CONTROL))
}
