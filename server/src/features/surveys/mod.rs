//! Feedback surveys for `<comeback-survey>`: a survey in the shopper's locale (this
//! module), whether one is due now ([`due`]), the shown and dismissed contacts and the
//! responses with their reward ([`responses`]), the shop's report and export
//! ([`admin`], [`csv`]), and the check at start that a published version never changes
//! ([`publish`]). Configured by `[[shops.<id>.surveys]]`; a shop without surveys
//! answers 404.
//!
//! The rules (which answers a version takes, its branching, recontact, the scores) are
//! `comeback_core::survey`'s; this module applies them.

pub mod admin;
pub mod csv;
pub mod due;
pub mod publish;
pub mod responses;

use axum::http::HeaderMap;
use axum::middleware::from_fn_with_state;
use axum::response::Response;
use comeback_core::error::ErrorBody;
use comeback_core::survey::{QuestionView, SurveyView};
use comeback_core::Locale;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use publish::{publish, publish_shops};

use crate::auth::Shop;
use crate::config::surveys::SurveyConfig;
use crate::error::AppError;
use crate::routes::{ApiPath, ApiQuery};
use crate::{ratelimit, AppState};

/// The feature's routes with their OpenAPI entries, under `/v1/shops/{shop}/`: the
/// shopper's (rate limited, CORS) and the shop backend's (API key; a coarse limit).
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let shopper = OpenApiRouter::new()
        .routes(routes!(due::due))
        .routes(routes!(survey))
        .routes(routes!(responses::contact))
        .routes(routes!(responses::respond))
        .route_layer(from_fn_with_state(state.clone(), ratelimit::shopper));
    let shop_backend = OpenApiRouter::new()
        .routes(routes!(admin::list))
        .routes(routes!(admin::report))
        .route_layer(from_fn_with_state(state.clone(), ratelimit::backend));
    shopper.merge(shop_backend)
}

/// The shop's survey `id`, or 404 (also for a shop without surveys).
pub(crate) fn survey_of<'a>(shop: &'a Shop, id: &str) -> Result<&'a SurveyConfig, AppError> {
    shop.config
        .surveys
        .iter()
        .find(|survey| survey.id == id)
        .ok_or_else(|| {
            AppError::not_found(format!(
                "the shop `{}` has no survey `{}`",
                shop.id,
                crate::error::excerpt(id)
            ))
        })
}

/// 404 for a shop without surveys.
pub(crate) fn has_surveys(shop: &Shop) -> Result<(), AppError> {
    if shop.config.surveys.is_empty() {
        return Err(AppError::not_found(format!(
            "the shop `{}` has no surveys",
            shop.id
        )));
    }
    Ok(())
}

/// The questions a response to `version` of `survey` is checked against: the
/// configured ones for the current version, the recorded structure of an older
/// published one, or 422 naming `version`.
pub(crate) async fn questions_of(
    state: &AppState,
    shop: &Shop,
    survey: &SurveyConfig,
    version: u32,
) -> Result<Vec<QuestionView>, AppError> {
    if version == survey.version {
        return Ok(survey.structure());
    }
    let unpublished = || {
        AppError::Validation(format!(
            "`version`: version {version} of survey `{}` was never published (the current one is {})",
            survey.id, survey.version
        ))
    };
    let structure = state
        .store
        .survey_structure(&shop.id, &survey.id, version)
        .await?
        .ok_or_else(unpublished)?;
    serde_json::from_str(&structure)
        .map_err(|error| AppError::Internal(format!("survey structure: {error}")))
}

/// The locale of an answer.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct LocaleQuery {
    /// A BCP 47 tag (`zh-TW` reads as `zh-Hant`); English when absent or not shipped.
    pub locale: Option<String>,
}

pub(crate) fn locale_of(tag: Option<&str>) -> Locale {
    tag.and_then(Locale::from_tag).unwrap_or_default()
}

/// The path of a survey.
#[derive(Debug, Deserialize)]
pub struct SurveyPath {
    /// The survey's id.
    pub id: String,
}

/// The view of a survey in a locale.
pub(crate) fn view_of(shop: &Shop, survey: &SurveyConfig, locale: Locale) -> SurveyView {
    survey.view(&shop.config.survey_cadence, locale)
}

/// `GET /v1/shops/{shop}/surveys/{id}`: the survey's current version in a locale, no
/// token needed. Public and cacheable: answers carry an `ETag`, and a request whose
/// `If-None-Match` names it gets 304.
#[utoipa::path(get, path = "/v1/shops/{shop}/surveys/{id}", tag = "surveys",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("id" = String, Path, description = "Survey id"),
        LocaleQuery,
    ),
    responses(
        (status = 200, description = "The survey in the locale", body = SurveyView),
        (status = 304, description = "Unchanged since the `If-None-Match` entity tag"),
        (status = 404, description = "No such shop or survey", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn survey(
    shop: Shop,
    headers: HeaderMap,
    ApiPath(path): ApiPath<SurveyPath>,
    ApiQuery(query): ApiQuery<LocaleQuery>,
) -> Result<Response, AppError> {
    let survey = survey_of(&shop, &path.id)?;
    let view = view_of(&shop, survey, locale_of(query.locale.as_deref()));
    let body = serde_json::to_vec(&view).map_err(|error| AppError::Internal(error.to_string()))?;
    let etag = crate::routes::entity_tag(&body);
    Ok(crate::routes::cacheable_json(
        &headers,
        &etag,
        body,
        crate::routes::KEEP_FIVE_MINUTES,
    ))
}
