//! Programme settings kept in the database and edited in the dashboard.
//!
//! A shop with `settings = "dashboard"` takes its programme sections (loyalty, help,
//! referrals, subscriptions, surveys, recommendations) from the newest version stored
//! in `shop_settings` instead of the file; the file's sections seed version 1. Every
//! save is checked by the file's own validation ([`document::apply`]) and by the
//! survey-version check, then stored as a new version; every process polls for new
//! versions ([`poll`]) and serves them through the same swap as a configuration reload
//! ([`AppState::reload`]). The identity of a shop (name, keys, origins, currency,
//! limits, webhooks) always comes from the file.

pub mod document;

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use comeback_core::settings::changed_sections;
use serde_json::Value;

use crate::config::{Config, SettingsMode};
use crate::error::AppError;
use crate::store::SettingsVersion;
use crate::AppState;

/// How often each process looks for versions saved by another.
pub const POLL_INTERVAL: Duration = Duration::from_secs(5);

/// Who saved the version seeded from the configuration file.
pub const FROM_FILE: &str = "configuration file";

/// This process's settings: the configuration file as last loaded and the version of
/// each dashboard shop it serves.
#[derive(Debug)]
pub struct Live {
    file: RwLock<Arc<Config>>,
    in_force: RwLock<BTreeMap<String, i64>>,
    /// Held while the settings in force change, so two changes never interleave.
    changing: tokio::sync::Mutex<()>,
}

impl Live {
    /// Settings of the file `config`, no stored version yet in force.
    pub fn new(config: Config) -> Live {
        Live {
            file: RwLock::new(Arc::new(config)),
            in_force: RwLock::new(BTreeMap::new()),
            changing: tokio::sync::Mutex::new(()),
        }
    }

    /// The configuration file as last loaded.
    pub fn file(&self) -> Arc<Config> {
        Arc::clone(&self.file.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// The stored version this process serves for `shop` (0: the file's sections).
    pub fn version_in_force(&self, shop: &str) -> i64 {
        let versions = self.in_force.read().unwrap_or_else(|e| e.into_inner());
        versions.get(shop).copied().unwrap_or(0)
    }

    /// The stored versions this process serves, by shop.
    fn versions_in_force(&self) -> BTreeMap<String, i64> {
        self.in_force
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// A change to the settings that was refused.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// A field of the document is not acceptable.
    #[error("{}: {}", .0.field, .0.message)]
    Field(document::FieldError),
    /// Someone saved a newer version first.
    #[error("the settings were saved by someone else since this edit began")]
    Changed,
    /// The store or the survey check failed.
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> AppError {
        match refusal {
            Refusal::Field(error) => AppError::InvalidField {
                field: error.field,
                message: error.message,
            },
            Refusal::Changed => AppError::SettingsChanged(
                "someone saved these settings since this edit began; load the latest version and make the change again".into(),
            ),
            Refusal::Failed(error) => AppError::Internal(format!("{error:#}")),
        }
    }
}

/// At start: seeds version 1 of every dashboard shop that has none from its file
/// sections, then serves the newest versions, checking the survey versions of what it
/// serves (a dashboard shop's file sections are not checked: they are not served). A
/// stored version or a survey that does not pass the checks stops the start, naming the
/// shop, the version and the field.
pub async fn start(state: &AppState) -> Result<(), anyhow::Error> {
    let file = state.programme.file();
    let now = state.clock.now();
    for (shop_id, shop) in &file.shops {
        if shop.settings != SettingsMode::Dashboard {
            continue;
        }
        let document = file
            .file_documents
            .get(shop_id)
            .cloned()
            .unwrap_or_default();
        let seed = SettingsVersion {
            shop_id: shop_id.clone(),
            version: 1,
            sections: changed_sections(&Value::Null, &document).join(","),
            document: document.to_string(),
            saved_at: now,
            saved_by: FROM_FILE.into(),
            note: "Imported from the configuration file".into(),
            reverted_from: None,
        };
        // A version 1 already there (this or another process seeded it) stays.
        state.store.insert_settings_version(&seed).await?;
    }
    refresh(state, true).await
}

/// Serves the configuration file `config` from now on (it was edited and the process
/// told to reload), with each dashboard shop's newest stored settings.
pub async fn reload_file(state: &AppState, config: Config) -> Result<(), anyhow::Error> {
    let _changing = state.programme.changing.lock().await;
    apply_newest(state, config, false).await
}

/// Serves the newest stored versions if any differs from those in force (or always,
/// with `force`).
pub async fn refresh(state: &AppState, force: bool) -> Result<(), anyhow::Error> {
    let _changing = state.programme.changing.lock().await;
    let newest = newest_versions(state, &state.programme.file()).await?;
    let in_force = state.programme.versions_in_force();
    if force || newest != in_force {
        apply_newest(state, state.programme.file().as_ref().clone(), !force).await?;
    }
    Ok(())
}

/// Looks for new versions every [`POLL_INTERVAL`] until the process stops; a version
/// that cannot be served is logged and the settings in force stay.
pub async fn poll(state: AppState) {
    let mut ticks = tokio::time::interval(POLL_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(error) = refresh(&state, false).await {
            tracing::error!("the newest dashboard settings are not served: {error:#}");
        }
    }
}

/// Serves `file` with each dashboard shop's newest stored version applied. Called with
/// `changing` held. With `only_new`, the file is the one in force, so only the shops
/// whose version moved have new settings (a save or a poll); otherwise every shop may.
async fn apply_newest(state: &AppState, file: Config, only_new: bool) -> Result<(), anyhow::Error> {
    let in_force = state.programme.versions_in_force();
    let unchanged = |shop: &str, version: i64| only_new && in_force.get(shop) == Some(&version);
    let mut config = file.clone();
    let mut versions = BTreeMap::new();
    for (shop_id, version) in newest_versions(state, &file).await? {
        // A version already in force is served as it is, not read and checked again.
        let kept = unchanged(&shop_id, version)
            .then(|| state.shops.get(&shop_id))
            .flatten();
        let shop = match kept {
            Some(shop) => shop.as_ref().clone(),
            None => stored_shop(state, &file, &shop_id, version).await?,
        };
        config.shops.insert(shop_id.clone(), shop);
        versions.insert(shop_id, version);
    }
    let changed = |shop: &str| !only_new || versions.get(shop) != in_force.get(shop);
    state.reload_shops(config, &changed).await?;
    *state
        .programme
        .file
        .write()
        .unwrap_or_else(|e| e.into_inner()) = Arc::new(file);
    *state
        .programme
        .in_force
        .write()
        .unwrap_or_else(|e| e.into_inner()) = versions;
    Ok(())
}

/// The newest stored version of every dashboard shop of `file`.
async fn newest_versions(
    state: &AppState,
    file: &Config,
) -> Result<BTreeMap<String, i64>, anyhow::Error> {
    Ok(state
        .store
        .latest_settings_versions()
        .await?
        .into_iter()
        .filter(|(shop, _)| {
            file.shops
                .get(shop)
                .is_some_and(|s| s.settings == SettingsMode::Dashboard)
        })
        .collect())
}

/// `file`'s shop `shop_id` with stored version `version` of its settings applied.
async fn stored_shop(
    state: &AppState,
    file: &Config,
    shop_id: &str,
    version: i64,
) -> Result<crate::config::ShopConfig, anyhow::Error> {
    let stored = state
        .store
        .settings_version(shop_id, version)
        .await?
        .ok_or_else(|| anyhow::anyhow!("shop `{shop_id}`: settings version {version} is gone"))?;
    let document: Value = serde_json::from_str(&stored.document)?;
    document::apply(shop_id, &file.shops[shop_id], &document).map_err(|e| {
        let field = if e.field.is_empty() {
            "document"
        } else {
            &e.field
        };
        anyhow::anyhow!(
            "shop `{shop_id}`, settings version {version}: {field}: {}",
            e.message
        )
    })
}

/// A new version to save.
#[derive(Debug, Clone)]
pub struct Save<'a> {
    /// The shop.
    pub shop_id: &'a str,
    /// The version the edit started from.
    pub base_version: i64,
    /// The whole new document.
    pub document: &'a Value,
    /// Who.
    pub saved_by: &'a str,
    /// Why.
    pub note: &'a str,
    /// The version a revert restores.
    pub reverted_from: Option<i64>,
}

/// Checks and stores a new version of a dashboard shop's settings and serves it.
pub async fn save(state: &AppState, save: Save<'_>) -> Result<i64, Refusal> {
    let _changing = state.programme.changing.lock().await;
    let file = state.programme.file();
    let Some(base) = file.shops.get(save.shop_id) else {
        return Err(Refusal::Failed(anyhow::anyhow!(
            "no shop `{}`",
            save.shop_id
        )));
    };
    let shop = document::apply(save.shop_id, base, save.document).map_err(Refusal::Field)?;
    if let Some(refused) =
        crate::features::surveys::publish::publish_shop(state, save.shop_id, &shop).await?
    {
        return Err(Refusal::Field(document::FieldError {
            field: format!("{}.version", refused.field),
            message: format!("survey `{}`: {}", refused.survey, refused.message),
        }));
    }
    let previous = match state
        .store
        .settings_version(save.shop_id, save.base_version)
        .await
        .map_err(anyhow::Error::from)?
    {
        Some(previous) => serde_json::from_str(&previous.document).unwrap_or(Value::Null),
        None => return Err(Refusal::Changed),
    };
    let version = save.base_version + 1;
    let stored = SettingsVersion {
        shop_id: save.shop_id.to_owned(),
        version,
        document: save.document.to_string(),
        saved_at: state.clock.now(),
        saved_by: save.saved_by.to_owned(),
        note: save.note.to_owned(),
        reverted_from: save.reverted_from,
        sections: changed_sections(&previous, save.document).join(","),
    };
    if !state
        .store
        .insert_settings_version(&stored)
        .await
        .map_err(anyhow::Error::from)?
    {
        return Err(Refusal::Changed);
    }
    apply_newest(state, file.as_ref().clone(), true).await?;
    Ok(version)
}
