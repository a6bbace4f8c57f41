//! The shop's side, with its API key: every survey with how often it was shown,
//! dismissed and answered, and one survey's report: NPS, CSAT and effort per week (in
//! the shop's survey time zone) and per version, and its responses with their context,
//! a page at a time as JSON, or all of them as CSV.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::Json;
use comeback_core::date::Date;
use comeback_core::error::ErrorBody;
use comeback_core::survey::scores::{CsatSummary, EffortSummary, NpsSummary};
use comeback_core::survey::{
    AdminSurveyResponse, QuestionKind, QuestionView, SurveyReport, SurveyWeek, Trigger,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{has_surveys, questions_of, survey_of, SurveyPath};
use crate::auth::{Shop, Staff};
use crate::config::surveys::SurveyConfig;
use crate::error::AppError;
use crate::routes::{ApiPath, ApiQuery};
use crate::store::{ScoreCount, SurveyAnswer};
use crate::AppState;

/// Responses per page when `limit` is not given.
pub const DEFAULT_PAGE_LIMIT: i64 = 50;
/// Most per page.
pub const MAX_PAGE_LIMIT: i64 = 200;
/// Responses read per query while exporting.
const EXPORT_BATCH: i64 = 500;

/// One survey as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SurveySummary {
    /// The survey's id.
    pub id: String,
    /// Its current version.
    pub version: u32,
    /// What brings it up.
    pub trigger: Trigger,
    /// Times shown (every version).
    pub shown: u64,
    /// Times dismissed.
    pub dismissed: u64,
    /// Responses received.
    pub responses: u64,
}

/// `GET /v1/shops/{shop}/admin/surveys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SurveyList {
    /// In the order of the config.
    pub surveys: Vec<SurveySummary>,
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// `GET /v1/shops/{shop}/admin/surveys`: the shop's surveys with how often each was
/// shown, dismissed and answered.
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/surveys", tag = "admin",
    params(("shop" = String, Path, description = "Shop id")),
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "The surveys", body = SurveyList),
        (status = 401, description = "Missing or wrong secret key", body = ErrorBody),
        (status = 404, description = "No such shop, or no surveys", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Staff { shop, .. }: Staff,
) -> Result<Json<SurveyList>, AppError> {
    has_surveys(&shop)?;
    let mut surveys = Vec::new();
    for survey in &shop.config.surveys {
        let counts = state.store.survey_counts(&shop.id, &survey.id).await?;
        surveys.push(SurveySummary {
            id: survey.id.clone(),
            version: survey.version,
            trigger: survey.trigger,
            shown: count(counts.shown),
            dismissed: count(counts.dismissed),
            responses: count(counts.responses),
        });
    }
    Ok(Json(SurveyList { surveys }))
}

/// `?version=&cursor=&limit=&format=`.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ReportQuery {
    /// Only this version's scores and responses.
    pub version: Option<u32>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Page size, 1-200 (default 50).
    pub limit: Option<i64>,
    /// `json` (default) or `csv` (every response, no paging).
    pub format: Option<String>,
}

/// The versions of `survey` with responses counted in `counts` and the current
/// one, ascending, with the questions each was answered with.
async fn versions(
    state: &AppState,
    shop: &Shop,
    survey: &SurveyConfig,
    counts: &[ScoreCount],
) -> BTreeMap<u32, Vec<QuestionView>> {
    let mut versions = BTreeMap::new();
    for version in counts.iter().map(|c| c.version).chain([survey.version]) {
        if let std::collections::btree_map::Entry::Vacant(entry) = versions.entry(version) {
            // A version the database does not know answers no questions.
            entry.insert(
                questions_of(state, shop, survey, version)
                    .await
                    .unwrap_or_default(),
            );
        }
    }
    versions
}

/// The scores per week and version, newest week first (then newest version).
fn weeks(counts: &[ScoreCount], versions: &BTreeMap<u32, Vec<QuestionView>>) -> Vec<SurveyWeek> {
    let mut groups: BTreeMap<(Date, u32), Vec<&ScoreCount>> = BTreeMap::new();
    for row in counts {
        groups.entry((row.week, row.version)).or_default().push(row);
    }
    let scores = |rows: &[&ScoreCount], pick: fn(&ScoreCount) -> Option<i64>| {
        rows.iter()
            .filter_map(|row| pick(row).map(|score| (score, row.count)))
            .flat_map(|(score, n)| std::iter::repeat_n(score, usize::try_from(n).unwrap_or(0)))
            .collect::<Vec<i64>>()
    };
    groups
        .into_iter()
        .rev()
        .map(|((week, version), rows)| {
            let asks = |kind: QuestionKind| {
                versions
                    .get(&version)
                    .is_some_and(|questions| questions.iter().any(|q| q.kind == kind))
            };
            SurveyWeek {
                version,
                week,
                responses: rows.iter().map(|row| row.count).sum(),
                nps: asks(QuestionKind::Nps)
                    .then(|| NpsSummary::of(scores(&rows, |row| row.scores.nps))),
                csat: asks(QuestionKind::Csat)
                    .then(|| CsatSummary::of(scores(&rows, |row| row.scores.csat))),
                effort: asks(QuestionKind::Effort)
                    .then(|| EffortSummary::of(scores(&rows, |row| row.scores.effort))),
            }
        })
        .collect()
}

fn admin_view(response: SurveyAnswer) -> AdminSurveyResponse {
    AdminSurveyResponse {
        id: response.id,
        version: response.version,
        answered_at: response.answered_at,
        customer_id: response.customer_id,
        answers: response.answers,
        context: response.context,
        reward: response.reward,
    }
}

fn cursor_of(cursor: Option<&str>) -> Result<Option<(i64, String)>, AppError> {
    cursor
        .map(|cursor| {
            cursor
                .split_once('~')
                .and_then(|(time, id)| Some((time.parse::<i64>().ok()?, id.to_owned())))
                .ok_or_else(|| {
                    AppError::BadRequest("`cursor` must be a page's `next_cursor`".into())
                })
        })
        .transpose()
}

/// `GET /v1/shops/{shop}/admin/surveys/{id}/responses`: the survey's scores per week
/// and version and a page of its responses, newest first; `?format=csv` gives every
/// response as CSV instead.
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/surveys/{id}/responses", tag = "admin",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("id" = String, Path, description = "Survey id"),
        ReportQuery,
    ),
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "The report as JSON, or every response as `text/csv` with `?format=csv`", content(
            (SurveyReport = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "Bad `limit` or `cursor`", body = ErrorBody),
        (status = 401, description = "Missing or wrong secret key", body = ErrorBody),
        (status = 404, description = "No such shop or survey", body = ErrorBody),
        (status = 422, description = "`format` is neither `json` nor `csv`", body = ErrorBody),
    ))]
pub async fn report(
    State(state): State<AppState>,
    Staff { shop, .. }: Staff,
    ApiPath(path): ApiPath<SurveyPath>,
    ApiQuery(query): ApiQuery<ReportQuery>,
) -> Result<Response, AppError> {
    let survey = survey_of(&shop, &path.id)?;
    let csv = match query.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(AppError::Validation(format!(
                "`format`: `{}` is neither `json` nor `csv`",
                crate::error::excerpt(other)
            )))
        }
    };
    let limit = query.limit.unwrap_or(DEFAULT_PAGE_LIMIT);
    if !(1..=MAX_PAGE_LIMIT).contains(&limit) {
        return Err(AppError::BadRequest(format!(
            "`limit` must be 1 to {MAX_PAGE_LIMIT}"
        )));
    }
    let cursor = cursor_of(query.cursor.as_deref())?;
    let counts = state
        .store
        .survey_score_counts(&shop.id, &survey.id, query.version)
        .await?;
    let versions = versions(&state, &shop, survey, &counts).await;
    if csv {
        return export(&state, &shop, survey, query.version, &versions).await;
    }
    let responses = state
        .store
        .survey_responses_page(&shop.id, &survey.id, query.version, cursor, limit)
        .await?;
    let full = i64::try_from(responses.len()).unwrap_or(i64::MAX) == limit;
    let next_cursor = responses
        .last()
        .filter(|_| full)
        .map(|r| format!("{}~{}", r.answered_at, r.id));
    let totals = state.store.survey_counts(&shop.id, &survey.id).await?;
    Ok(Json(SurveyReport {
        survey: survey.id.clone(),
        version: survey.version,
        shown: count(totals.shown),
        dismissed: count(totals.dismissed),
        responses_total: count(totals.responses),
        weeks: weeks(&counts, &versions),
        responses: responses.into_iter().map(admin_view).collect(),
        next_cursor,
    })
    .into_response())
}

async fn export(
    state: &AppState,
    shop: &Shop,
    survey: &SurveyConfig,
    version: Option<u32>,
    versions: &BTreeMap<u32, Vec<QuestionView>>,
) -> Result<Response, AppError> {
    let mut responses = Vec::new();
    let mut cursor = None;
    loop {
        let batch = state
            .store
            .survey_responses_page(&shop.id, &survey.id, version, cursor, EXPORT_BATCH)
            .await?;
        let done = i64::try_from(batch.len()).unwrap_or(i64::MAX) < EXPORT_BATCH;
        cursor = batch.last().map(|r| (r.answered_at, r.id.clone()));
        responses.extend(batch);
        if done {
            break;
        }
    }
    let columns = super::csv::question_columns(versions.values().map(Vec::as_slice));
    let body = super::csv::export(&columns, &responses)
        .map_err(|error| AppError::Internal(format!("survey export: {error}")))?;
    let disposition = format!("attachment; filename=\"{}-responses.csv\"", survey.id);
    Ok((
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        body,
    )
        .into_response())
}
