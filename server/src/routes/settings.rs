//! The shop's programme settings in the dashboard: read by any of its staff, saved and
//! restored by its owners (`settings = "dashboard"` shops only). The versions, their
//! check and how every process comes to serve them are in [`crate::shop_settings`].

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::Json;
use comeback_core::error::ErrorBody;
use comeback_core::settings::{
    SettingsChange, SettingsHistory, SettingsRevert, SettingsSave, SettingsSource, SettingsView,
    HISTORY_LIMIT, NOTE_MAX_CHARS,
};
use serde_json::Value;

use super::{parse_json, ApiJson};
use crate::auth::Staff;
use crate::config::SettingsMode;
use crate::error::AppError;
use crate::shop_settings::{self, document, Save, FROM_FILE};
use crate::AppState;

/// The largest settings document accepted, in bytes: help articles make them larger
/// than other bodies.
pub const SETTINGS_BODY_LIMIT: usize = 1024 * 1024;

/// `GET /v1/shops/{shop}/admin/settings`: the settings in force, their source and the
/// schema of their forms.
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/settings", tag = "settings",
    params(("shop" = String, Path, description = "Shop id")),
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "The settings in force", body = SettingsView),
        (status = 401, description = "No valid key or staff session", body = ErrorBody),
        (status = 404, description = "No such shop", body = ErrorBody),
    ))]
pub async fn get_settings(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<SettingsView>, AppError> {
    view(&state, &staff).await.map(Json)
}

/// `PUT /v1/shops/{shop}/admin/settings`: save a new version (owners; dashboard shops).
#[utoipa::path(put, path = "/v1/shops/{shop}/admin/settings", tag = "settings",
    params(("shop" = String, Path, description = "Shop id")),
    security(("shop_key" = []), ("staff_session" = [])),
    request_body = SettingsSave,
    responses(
        (status = 200, description = "The new version, in force", body = SettingsView),
        (status = 400, description = "Not JSON, or not a SettingsSave", body = ErrorBody),
        (status = 401, description = "No valid key or staff session", body = ErrorBody),
        (status = 403, description = "A staff account, a file shop, or no CSRF token", body = ErrorBody),
        (status = 409, description = "`settings_changed`: someone saved a newer version first", body = ErrorBody),
        (status = 413, description = "The document is over 1 MiB", body = ErrorBody),
        (status = 422, description = "A field is not acceptable; `error.field` is its path", body = ErrorBody),
    ))]
pub async fn put_settings(
    State(state): State<AppState>,
    staff: Staff,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<SettingsView>, AppError> {
    editable(&state, &staff)?;
    let save: SettingsSave = parse_json(&read_body(body)?)?;
    let note = save.note.trim();
    if note.chars().count() > NOTE_MAX_CHARS || note.chars().any(char::is_control) {
        return Err(AppError::InvalidField {
            field: "note".into(),
            message: format!("must be at most {NOTE_MAX_CHARS} characters on one line"),
        });
    }
    store_version(
        &state,
        &staff,
        save.base_version,
        &save.document,
        note,
        None,
    )
    .await
}

/// `POST /v1/shops/{shop}/admin/settings/revert`: save an earlier version's document as
/// a new version (owners; dashboard shops).
#[utoipa::path(post, path = "/v1/shops/{shop}/admin/settings/revert", tag = "settings",
    params(("shop" = String, Path, description = "Shop id")),
    security(("shop_key" = []), ("staff_session" = [])),
    request_body = SettingsRevert,
    responses(
        (status = 200, description = "The new version, in force", body = SettingsView),
        (status = 401, description = "No valid key or staff session", body = ErrorBody),
        (status = 403, description = "A staff account, a file shop, or no CSRF token", body = ErrorBody),
        (status = 404, description = "No such version", body = ErrorBody),
        (status = 409, description = "`settings_changed`: someone saved a newer version first", body = ErrorBody),
        (status = 422, description = "The old version no longer passes the checks (a survey version published since, say)", body = ErrorBody),
    ))]
pub async fn revert_settings(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(revert): ApiJson<SettingsRevert>,
) -> Result<Json<SettingsView>, AppError> {
    editable(&state, &staff)?;
    let old = state
        .store
        .settings_version(&staff.shop.id, revert.version)
        .await?
        .ok_or_else(|| {
            AppError::not_found(format!("there is no settings version {}", revert.version))
        })?;
    let document: Value = serde_json::from_str(&old.document)
        .map_err(|error| AppError::Internal(format!("stored settings: {error}")))?;
    let note = format!("Restored version {}", revert.version);
    store_version(
        &state,
        &staff,
        revert.base_version,
        &document,
        &note,
        Some(revert.version),
    )
    .await
}

/// `GET /v1/shops/{shop}/admin/settings/history`: the latest versions, newest first.
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/settings/history", tag = "settings",
    params(("shop" = String, Path, description = "Shop id")),
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "The latest versions (none for a file shop)", body = SettingsHistory),
        (status = 401, description = "No valid key or staff session", body = ErrorBody),
        (status = 404, description = "No such shop", body = ErrorBody),
    ))]
pub async fn settings_history(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<SettingsHistory>, AppError> {
    let changes = state
        .store
        .settings_history(&staff.shop.id, HISTORY_LIMIT)
        .await?
        .into_iter()
        .map(|version| SettingsChange {
            version: version.version,
            saved_at: version.saved_at,
            saved_by: version.saved_by,
            note: version.note,
            reverted_from: version.reverted_from,
            sections: version
                .sections
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        })
        .collect();
    Ok(Json(SettingsHistory { changes }))
}

/// Whether the shop keeps its settings in the database; 403 naming the way otherwise.
fn is_dashboard_shop(state: &AppState, shop_id: &str) -> bool {
    state
        .programme
        .file()
        .shop(shop_id)
        .is_some_and(|shop| shop.settings == SettingsMode::Dashboard)
}

/// A settings body as read under the route's limit: over it is `413`.
pub(super) fn read_body(body: Result<Bytes, BytesRejection>) -> Result<Bytes, AppError> {
    body.map_err(|rejection| {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge(SETTINGS_BODY_LIMIT)
        } else {
            AppError::BadRequest("the body could not be read".into())
        }
    })
}

/// Refuses unless an owner may change this shop's settings here.
pub(super) fn editable(state: &AppState, staff: &Staff) -> Result<(), AppError> {
    staff.require_owner()?;
    if !is_dashboard_shop(state, &staff.shop.id) {
        return Err(AppError::forbidden(
            "this shop's settings are kept in the configuration file; set `settings = \"dashboard\"` in its [shops.<id>] table to edit them here",
        ));
    }
    Ok(())
}

/// Checks, stores and serves a new version, and answers with it.
async fn store_version(
    state: &AppState,
    staff: &Staff,
    base_version: i64,
    document: &Value,
    note: &str,
    reverted_from: Option<i64>,
) -> Result<Json<SettingsView>, AppError> {
    shop_settings::save(
        state,
        Save {
            shop_id: &staff.shop.id,
            base_version,
            document,
            saved_by: staff.actor(),
            note,
            reverted_from,
        },
    )
    .await?;
    view(state, staff).await.map(Json)
}

/// The settings of the caller's shop: the newest stored version of a dashboard shop,
/// the file's sections otherwise.
async fn view(state: &AppState, staff: &Staff) -> Result<SettingsView, AppError> {
    let shop_id = &staff.shop.id;
    let schema = document::schema().clone();
    if !is_dashboard_shop(state, shop_id) {
        let document = state
            .programme
            .file()
            .file_documents
            .get(shop_id)
            .cloned()
            .unwrap_or_else(|| Value::Object(Default::default()));
        return Ok(SettingsView {
            source: SettingsSource::File,
            editable: false,
            version: 0,
            saved_at: None,
            saved_by: Some(FROM_FILE.into()),
            document,
            schema,
        });
    }
    let newest =
        state.store.newest_settings(shop_id).await?.ok_or_else(|| {
            AppError::Internal(format!("shop `{shop_id}` has no stored settings"))
        })?;
    let document = serde_json::from_str(&newest.document)
        .map_err(|error| AppError::Internal(format!("stored settings: {error}")))?;
    Ok(SettingsView {
        source: SettingsSource::Dashboard,
        editable: staff.role.may_change_settings(),
        version: newest.version,
        saved_at: Some(newest.saved_at),
        saved_by: Some(newest.saved_by),
        document,
        schema,
    })
}
