//! The OpenAPI document, served at `/v1/openapi.json`: the paths (and the schemas they
//! use) come from the routers that also serve them (`features::router`, the probes,
//! demo mode), so a route cannot be added without its entry; this module adds the
//! description, the tags and the security schemes.

use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderValue;
use axum::response::IntoResponse;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Comeback API",
        description = "Loyalty points, rewards and discount codes for the Comeback widgets, and the webhooks and secret-key endpoints for a shop's backend. Errors are `{\"error\": {\"code\", \"message\", \"request_id\"}}`, with `field` naming the field at fault where a document is refused.",
    ),
    components(schemas(comeback_core::error::ErrorBody, comeback_core::ErrorCode)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "appearance", description = "The shop's colour scheme and design tokens, laid by the loader beneath the page's own (CORS, rate limited, cached a minute)"),
        (name = "loyalty", description = "Shopper-facing loyalty endpoints (CORS, rate limited)"),
        (name = "subscriptions", description = "Subscribe and save: the product page's offer and the shopper's subscriptions (CORS, rate limited)"),
        (name = "referrals", description = "The referral programme: the advocate's code, link and referrals, and the friend's landing, visit and claim (CORS, rate limited)"),
        (name = "surveys", description = "Feedback surveys: a survey in a locale, whether one is due, shown and dismissed contacts, and responses with their reward (CORS, rate limited)"),
        (name = "webhooks", description = "Signed webhooks from the shop's backend"),
        (name = "discount codes", description = "The shop's backend checks and consumes codes with its secret key"),
        (name = "admin", description = "The shop's backend (with its secret key) or its staff (signed in to the dashboard) look up customers, adjust points, award earning actions and list redemptions; staff sign in and out"),
        (name = "settings", description = "The shop's programme settings as the dashboard edits them: read by any staff, saved and restored by owners, every save a version"),
        (name = "operations", description = "Probes"),
        (name = "demo", description = "Demo mode only"),
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "customer_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "HS256 JWT signed with the shop secret: `sub`, `iat`, `exp`; optional `name`, `email`, `kid`.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "shop_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The shop secret, for the shop's backend only."))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "staff_session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "comeback_staff",
                "A dashboard's staff session, from `POST /v1/shops/{shop}/admin/session`; requests that change something also send its `csrf_token` in `X-CSRF-Token`.",
            ))),
        );
        components.add_security_scheme(
            "webhook_signature",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Comeback-Signature",
                "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<raw body>\")>",
            ))),
        );
    }
}

/// The whole document: [`ApiDoc`] with the paths and schemas of `parts`, serialised once.
pub fn document(parts: impl IntoIterator<Item = utoipa::openapi::OpenApi>) -> Bytes {
    let mut document = ApiDoc::openapi();
    for part in parts {
        document.merge(part);
    }
    Bytes::from(document.to_json().unwrap_or_else(|error| {
        tracing::error!(%error, "cannot serialise the OpenAPI document");
        String::from("{}")
    }))
}

/// `GET /v1/openapi.json`.
pub async fn serve(document: Bytes) -> impl IntoResponse {
    (
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        document,
    )
}
