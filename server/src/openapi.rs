//! The OpenAPI document, generated from the handlers' annotations and the wire types in
//! `comeback_core::api`, served at `/v1/openapi.json`.

use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes::{admin, codes, demo, health, loyalty, webhooks};

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Comeback API",
        description = "Loyalty points, rewards and discount codes for the Comeback widgets, and the webhooks and secret-key endpoints for a shop's backend. Errors are `{\"error\": {\"code\", \"message\", \"request_id\"}}`.",
    ),
    paths(
        health::healthz,
        health::readyz,
        loyalty::programme,
        loyalty::me,
        loyalty::set_birthday,
        loyalty::preferences,
        loyalty::set_preferences,
        loyalty::redeem,
        webhooks::orders,
        codes::show,
        codes::consume,
        codes::release,
        admin::customer,
        admin::adjust,
        admin::award_action,
        admin::redemptions,
        demo::session,
        demo::checkout,
    ),
    components(schemas(comeback_core::error::ErrorBody, comeback_core::ErrorCode)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "loyalty", description = "Shopper-facing loyalty endpoints (CORS, rate limited)"),
        (name = "webhooks", description = "Signed webhooks from the shop's backend"),
        (name = "discount codes", description = "The shop's backend checks and consumes codes with its secret key"),
        (name = "admin", description = "The shop's backend looks up customers, adjusts points, awards earning actions and lists redemptions with its secret key"),
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
            "webhook_signature",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Comeback-Signature",
                "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<raw body>\")>",
            ))),
        );
    }
}

/// `GET /v1/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
