//! `POST /v1/shops/{shop}/recommendations/events?action=&kind=&product_id=`: the widget
//! reports a click or an "Add to cart" on a recommended product, counted per shop, day
//! and kind for the dashboard's overview. Sent with `navigator.sendBeacon` (a link click
//! leaves the page), everything in the query and no body. No shopper is named.

use axum::extract::State;
use axum::http::StatusCode;
use comeback_core::error::ErrorBody;
use comeback_core::recommend::InteractionReport;

use super::{is_product_id, recommendations_of};
use crate::auth::Shop;
use crate::error::AppError;
use crate::routes::ApiQuery;
use crate::AppState;

/// `POST /v1/shops/{shop}/recommendations/events`: one interaction.
#[utoipa::path(post, path = "/v1/shops/{shop}/recommendations/events", tag = "recommendations",
    params(("shop" = String, Path, description = "Shop id"), InteractionReport),
    responses(
        (status = 204, description = "Counted"),
        (status = 400, description = "A parameter is missing or not one of its values", body = ErrorBody),
        (status = 404, description = "No such shop, or no recommendations", body = ErrorBody),
        (status = 422, description = "The product id is not one", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn report(
    State(state): State<AppState>,
    shop: Shop,
    ApiQuery(report): ApiQuery<InteractionReport>,
) -> Result<StatusCode, AppError> {
    recommendations_of(&shop)?;
    if !is_product_id(&report.product_id) {
        return Err(AppError::Validation(
            "`product_id` must be a product id of 1-128 characters".into(),
        ));
    }
    state
        .store
        .count_recommendation_interaction(&shop.id, report.kind, report.action, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
