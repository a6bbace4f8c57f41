//! Wire types of the settings the dashboard edits: a shop's programme (loyalty,
//! help, recommendations, subscribe and save, referrals, surveys) as one document with
//! the shape of the shop's sections in the configuration file, its versions and their
//! history.
//!
//! A shop keeps its settings in the configuration file (`settings = "file"`, the
//! default; the dashboard shows them read-only) or in the database (`settings =
//! "dashboard"`; owners edit them, every save is a new version, and any version can
//! be restored). A document is checked by the same validation as the file, and a
//! refusal names the field (`loyalty.rewards[0].cost`) in the error's `field`.

use serde::{Deserialize, Serialize};

/// The top-level sections of a settings document, in the order the dashboard shows
/// them. Each is the key of the same section in `[shops.<id>]`.
pub const SECTIONS: [&str; 8] = [
    "loyalty",
    "referrals",
    "subscriptions",
    "help",
    "surveys",
    "survey_cadence",
    "recommendations",
    "appearance",
];

/// Where a shop's settings come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SettingsSource {
    /// The configuration file; read-only in the dashboard.
    File,
    /// The database, edited in the dashboard.
    Dashboard,
}

/// `GET /v1/shops/{shop}/admin/settings`: the settings in force and how to edit them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsView {
    /// Where they come from.
    pub source: SettingsSource,
    /// Whether the caller may save them: the source is the dashboard and the caller
    /// an owner.
    pub editable: bool,
    /// The version in force (0 for settings from the file).
    pub version: i64,
    /// When that version was saved, Unix seconds (absent for the file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved_at: Option<i64>,
    /// Who saved it: a staff email, `api key` or `configuration file`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved_by: Option<String>,
    /// The document: an object whose keys are among [`SECTIONS`], each with the
    /// shape of the same section of the configuration file.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub document: serde_json::Value,
    /// The document's JSON Schema (OpenAPI 3.1 dialect): `{"root": <schema>,
    /// "components": {<name>: <schema>}}`, where `$ref`s point at
    /// `#/components/schemas/<name>`. Descriptions are the configuration reference.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub schema: serde_json::Value,
}

/// `PUT /v1/shops/{shop}/admin/settings`: save a new version (owners only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SettingsSave {
    /// The version the edit started from; a save over a newer version is refused
    /// with `409 settings_changed`, so two editors never overwrite each other.
    pub base_version: i64,
    /// The whole new document.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub document: serde_json::Value,
    /// What changed and why, for the history (optional, at most 200 characters).
    #[serde(default)]
    pub note: String,
}

/// `POST /v1/shops/{shop}/admin/settings/revert`: save an earlier version's document
/// as a new version (owners only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SettingsRevert {
    /// The version whose document comes back.
    pub version: i64,
    /// The version in force when the owner clicked (as in [`SettingsSave`]).
    pub base_version: i64,
}

/// `POST /v1/shops/{shop}/admin/settings/preview`: what a shopper read would answer with
/// an unsaved document (owners only), for the dashboard's preview. Nothing is stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SettingsPreview {
    /// The unsaved document, checked as a save is.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub document: serde_json::Value,
    /// The shopper read, relative to `/v1/shops/{shop}/`, with its query: one of
    /// [`PREVIEW_READS`] (`loyalty/programme`, `help?locale=zh-Hans`,
    /// `subscriptions/offer?product=longjing&locale=en`).
    pub request: String,
}

/// The shopper reads a preview may ask for: what the previewed widgets read when the
/// shopper is signed out.
pub const PREVIEW_READS: [&str; 3] = ["loyalty/programme", "help", "subscriptions/offer"];

/// One saved version, newest first in [`SettingsHistory`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsChange {
    /// Its version number, from 1.
    pub version: i64,
    /// When, Unix seconds.
    pub saved_at: i64,
    /// Who: a staff email, `api key` or `configuration file`.
    pub saved_by: String,
    /// The note given with it.
    #[serde(default)]
    pub note: String,
    /// The version it restored, for a revert.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverted_from: Option<i64>,
    /// The sections that differ from the version before (every section present, for
    /// version 1).
    pub sections: Vec<String>,
}

/// `GET /v1/shops/{shop}/admin/settings/history`: the latest versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsHistory {
    /// Newest first, at most [`HISTORY_LIMIT`].
    pub changes: Vec<SettingsChange>,
}

/// The most versions the history lists.
pub const HISTORY_LIMIT: i64 = 100;

/// The longest note, in characters.
pub const NOTE_MAX_CHARS: usize = 200;

/// The top-level sections in which `before` and `after` differ, in [`SECTIONS`] order
/// (a section absent from one and present in the other differs).
pub fn changed_sections(before: &serde_json::Value, after: &serde_json::Value) -> Vec<String> {
    SECTIONS
        .iter()
        .filter(|section| before.get(**section) != after.get(**section))
        .map(|section| (*section).to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changed_sections_name_what_differs_in_display_order() {
        let before = json!({"loyalty": {"points_per_unit": 1}, "help": {"articles": []}});
        let after =
            json!({"loyalty": {"points_per_unit": 2}, "help": {"articles": []}, "surveys": []});
        assert_eq!(changed_sections(&before, &after), ["loyalty", "surveys"]);
        assert!(changed_sections(&after, &after).is_empty());
        assert_eq!(changed_sections(&json!({}), &before), ["loyalty", "help"]);
    }
}
