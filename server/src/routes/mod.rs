//! HTTP handlers, one module per feature, and the extractors they share.
//!
//! The extractors here wrap axum's so that every rejection (bad JSON, wrong content
//! type, oversized body, bad path or query) becomes an [`AppError`] with our error body
//! instead of axum's plain-text answer.

pub mod admin;
pub mod appearance;
pub mod catalogue;
pub mod codes;
pub mod dashboard;
pub mod dashboard_export;
pub mod dashboard_segments;
pub mod demo;
pub mod demo_history;
pub mod demo_referrals;
pub mod demo_surveys;
pub mod health;
pub mod loyalty;
pub mod profiles;
pub mod settings;
pub mod settings_preview;
pub mod staff;
pub mod tokens;
pub mod webhooks;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Json;
use serde::de::DeserializeOwned;

use crate::error::{shorten_quoted, AppError};
use crate::BODY_LIMIT;

/// Fallback for unknown routes.
pub async fn not_found() -> AppError {
    AppError::not_found("there is nothing at this address")
}

/// Every known path asked with a method it does not take: 405 in the error shape.
pub async fn method_not_allowed(method: axum::http::Method) -> AppError {
    AppError::MethodNotAllowed(method.to_string())
}

/// A JSON body (requires `Content-Type: application/json`).
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(&rejection)),
        }
    }
}

fn json_rejection(rejection: &JsonRejection) -> AppError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return AppError::PayloadTooLarge(BODY_LIMIT);
    }
    match rejection {
        JsonRejection::MissingJsonContentType(_) => AppError::BadRequest(
            "expected a JSON body with `Content-Type: application/json`".into(),
        ),
        JsonRejection::JsonSyntaxError(error) => AppError::BadRequest(format!(
            "the body is not valid JSON: {}",
            shorten_quoted(&error.body_text())
        )),
        JsonRejection::JsonDataError(error) => AppError::BadRequest(format!(
            "the body does not have the expected fields: {}",
            shorten_quoted(&error.body_text())
        )),
        other => AppError::BadRequest(format!("the body could not be read: {}", other.body_text())),
    }
}

/// Parses a JSON body already read as bytes (after a signature check).
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    serde_json::from_slice(body).map_err(|error| {
        if error.is_data() {
            AppError::BadRequest(format!(
                "the body does not have the expected fields: {}",
                shorten_quoted(&error.to_string())
            ))
        } else {
            AppError::BadRequest(format!(
                "the body is not valid JSON: {}",
                shorten_quoted(&error.to_string())
            ))
        }
    })
}

/// The raw body, for endpoints that verify a signature over the exact bytes.
#[derive(Debug, Clone)]
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        Bytes::from_request(request, state)
            .await
            .map(RawBody)
            .map_err(|rejection: BytesRejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::PayloadTooLarge(BODY_LIMIT)
                } else {
                    AppError::BadRequest("the body could not be read".into())
                }
            })
    }
}

/// Path parameters.
#[derive(Debug, Clone)]
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| ApiPath(value))
            .map_err(|rejection| AppError::BadRequest(shorten_quoted(&rejection.body_text())))
    }
}

/// Query parameters.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| ApiQuery(value))
            .map_err(|rejection| AppError::BadRequest(shorten_quoted(&rejection.body_text())))
    }
}

/// Checks a client-supplied id (order id, customer id in a webhook): 1–128 characters,
/// no control characters.
pub fn check_id(field: &str, value: &str) -> Result<(), AppError> {
    if value.trim().is_empty() || value.len() > 128 || value.chars().any(char::is_control) {
        return Err(AppError::Validation(format!(
            "`{field}` must be 1 to 128 characters without control characters"
        )));
    }
    Ok(())
}

/// How long browsers and CDNs may keep the help content and a survey.
pub const KEEP_FIVE_MINUTES: &str = "public, max-age=300";

/// A public JSON answer browsers and CDNs may keep as `cache_control` says, with its
/// entity tag: 304 when the request's `If-None-Match` names `etag` (or `*`). The help
/// content, the survey view and the shop's appearance answer through it.
pub fn cacheable_json(
    headers: &axum::http::HeaderMap,
    etag: &str,
    body: Vec<u8>,
    cache_control: &'static str,
) -> axum::response::Response {
    use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
    use axum::http::HeaderValue;
    use axum::response::IntoResponse;
    let tag = HeaderValue::from_str(etag).unwrap_or(HeaderValue::from_static("\"\""));
    let cache = HeaderValue::from_static(cache_control);
    let unchanged = headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|candidate| {
            let candidate = candidate.trim();
            candidate == "*" || candidate.trim_start_matches("W/") == etag
        });
    if unchanged {
        return (
            StatusCode::NOT_MODIFIED,
            [(ETAG, tag), (CACHE_CONTROL, cache)],
        )
            .into_response();
    }
    (
        [
            (CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (ETAG, tag),
            (CACHE_CONTROL, cache),
        ],
        body,
    )
        .into_response()
}

/// The strong entity tag of a body: the first 16 bytes of its SHA-256, quoted.
pub fn entity_tag(body: &[u8]) -> String {
    use sha2::Digest;
    format!("\"{}\"", hex::encode(&sha2::Sha256::digest(body)[..16]))
}
