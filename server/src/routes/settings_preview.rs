//! `POST /v1/shops/{shop}/admin/settings/preview`: a shopper read answered with an
//! unsaved settings document, for the dashboard's preview of a draft. The document is
//! checked as a save is and never stored or served to anyone else; the read runs the
//! same code as the public endpoint, on a copy of the shop, past every cache.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use comeback_core::error::ErrorBody;
use comeback_core::settings::{SettingsPreview, PREVIEW_READS};
use comeback_core::Locale;

use super::settings::{editable, read_body};
use super::{parse_json, ApiQuery};
use crate::auth::{Shop, Staff};
use crate::error::AppError;
use crate::features::help::{self, LocaleQuery};
use crate::features::subscriptions::{self, OfferQuery};
use crate::shop_settings::document;
use crate::AppState;

/// `POST /v1/shops/{shop}/admin/settings/preview`: what `GET /v1/shops/{shop}/<request>`
/// would answer if `document` were saved (owners; dashboard shops).
#[utoipa::path(post, path = "/v1/shops/{shop}/admin/settings/preview", tag = "settings",
    params(("shop" = String, Path, description = "Shop id")),
    security(("shop_key" = []), ("staff_session" = [])),
    request_body = SettingsPreview,
    responses(
        (status = 200, description = "The read's answer, as the public endpoint gives it"),
        (status = 400, description = "Not JSON, or not a SettingsPreview", body = ErrorBody),
        (status = 401, description = "No valid key or staff session", body = ErrorBody),
        (status = 403, description = "A staff account, a file shop, or no CSRF token", body = ErrorBody),
        (status = 404, description = "A read that cannot be previewed, or what the read itself answers 404 for", body = ErrorBody),
        (status = 413, description = "The document is over 1 MiB", body = ErrorBody),
        (status = 422, description = "A field is not acceptable; `error.field` is its path", body = ErrorBody),
    ))]
pub async fn preview_settings(
    State(state): State<AppState>,
    staff: Staff,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    editable(&state, &staff)?;
    let preview: SettingsPreview = parse_json(&read_body(body)?)?;
    let uri: Uri = format!("/{}", preview.request.trim_start_matches('/'))
        .parse()
        .map_err(|_| AppError::Validation("`request` is not a path".into()))?;
    let read = uri.path().trim_start_matches('/');
    if !PREVIEW_READS.contains(&read) {
        return Err(AppError::not_found(format!(
            "`{read}` cannot be previewed; the reads that can are {}",
            PREVIEW_READS.join(", ")
        )));
    }
    let base = state
        .programme
        .file()
        .shops
        .get(&staff.shop.id)
        .cloned()
        .ok_or_else(|| AppError::not_found("no such shop"))?;
    let config = document::apply(&staff.shop.id, &base, &preview.document).map_err(|error| {
        AppError::InvalidField {
            field: error.field,
            message: error.message,
        }
    })?;
    let shop = Shop {
        id: staff.shop.id.clone(),
        config: Arc::new(config),
    };
    let query = |uri: &Uri| AppError::Validation(format!("the query of `{}` is not valid", uri));
    Ok(match read {
        "loyalty/programme" => super::loyalty::programme(State(state), shop)
            .await?
            .into_response(),
        // Compiled afresh: the compiled help kept for shoppers is the saved version's.
        "help" => {
            let Query(LocaleQuery { locale }) =
                Query::try_from_uri(&uri).map_err(|_| query(&uri))?;
            let locale = locale
                .as_deref()
                .and_then(Locale::from_tag)
                .unwrap_or_default();
            let compiled = help::content::compile(help::help_of(&shop)?, locale);
            ([(CONTENT_TYPE, "application/json")], compiled.body).into_response()
        }
        _ => {
            let Query(offer) = Query::<OfferQuery>::try_from_uri(&uri).map_err(|_| query(&uri))?;
            subscriptions::offer(State(state), shop, ApiQuery(offer))
                .await?
                .into_response()
        }
    })
}
