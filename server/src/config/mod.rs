//! The configuration file (`comeback.toml`) and the environment settings.
//!
//! The file describes shops and the features each one uses; it is parsed strictly
//! (unknown keys are errors) and validated once at start-up with messages that name the
//! key, so a typo never turns into a silently different programme. Every feature section
//! of a shop is optional. Process settings (port, database, directories) come from the
//! environment ([`env`]).
//!
//! - [`shop`]: `[shops.<id>]`, origins, currency, limits
//! - [`keys`]: a shop's token secrets, webhook secrets and API keys
//! - [`server`]: `[server]`, the process-wide limits and trusted proxies
//! - [`loyalty`]: `[shops.<id>.loyalty]` and its tables ([`loyalty_validate`] checks them)
//! - [`webhooks`]: `[shops.<id>.webhooks]`, the outbound events
//! - [`help`]: `[shops.<id>.help]`, articles, troubleshooting trees, contact channels
//! - [`recommendations`]: `[shops.<id>.recommendations]`, exclusions and model tuning
//! - [`subscriptions`]: `[shops.<id>.subscriptions]`, plans, cancel reasons, time zone
//! - [`referrals`]: `[shops.<id>.referrals]`, the link, hold, limits and rewards
//! - [`surveys`]: `[[shops.<id>.surveys]]` and `[shops.<id>.survey_cadence]`, the feedback surveys
//! - [`env`]: the environment

pub mod appearance;
pub mod env;
pub mod help;
pub mod keys;
pub mod loyalty;
mod loyalty_validate;
pub mod recommendations;
pub mod referrals;
pub mod server;
pub mod shop;
pub mod subscriptions;
#[cfg(test)]
mod survey_tests;
pub mod surveys;
#[cfg(test)]
mod tests;
pub mod webhooks;
mod zone;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use comeback_core::LocalizedText;
use serde::Deserialize;

pub use env::Settings;
pub use keys::{Secret, MIN_SECRET_LEN, PUBLISHED_DEMO_KEYS};
pub use loyalty::{
    multiplier_percent, ActionConfig, EarlyAccessConfig, LoyaltyConfig, PunchCardConfig,
    RewardConfig, TierConfig, ANNIVERSARY_ACTION_ID, BIRTHDAY_ACTION_ID,
};
pub use server::ServerConfig;
pub use shop::{SettingsMode, ShopConfig, DEFAULT_MAX_TOKEN_LIFETIME_SECONDS};
pub use webhooks::{WebhooksConfig, WEBHOOK_EVENTS};

/// A configuration problem, naming the key at fault.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {error}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// The file is not valid TOML or does not match the schema.
    #[error("config file {path} is not valid: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's explanation, with line and column.
        message: String,
    },
    /// A value is out of range.
    #[error("{key}: {message}")]
    Invalid {
        /// Dotted path of the key, such as `shops.demo.api_keys[0]`.
        key: String,
        /// What is wrong with it.
        message: String,
    },
}

pub(crate) fn invalid(key: impl Into<String>, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key: key.into(),
        message: message.into(),
    }
}

/// The whole configuration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Demo mode: seeds a demo customer and exposes `/demo/session`. Off when absent.
    #[serde(default)]
    pub demo: DemoConfig,
    /// `[server]`: limits of the process and the proxies it trusts.
    #[serde(default)]
    pub server: ServerConfig,
    /// Shops by id (the `{shop}` in every URL and the widget's `data-shop`).
    #[serde(default)]
    pub shops: BTreeMap<String, ShopConfig>,
    /// Each shop's programme sections as written in the file, as a settings document
    /// ([`crate::shop_settings`]): what a shop kept in the dashboard starts from.
    #[serde(skip)]
    pub file_documents: BTreeMap<String, serde_json::Value>,
}

/// `[demo]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoConfig {
    /// Turns demo mode on. Default `false`.
    #[serde(default)]
    pub enabled: bool,
    /// The one shop demo mode serves sessions and seed data for. Default `demo`.
    #[serde(default = "default_demo_shop")]
    pub shop: String,
    /// Lets demo mode listen on an address other than loopback (`HOST`). Default
    /// `false`: anyone who can reach a demo server can sign in as any customer.
    #[serde(default)]
    pub allow_public_host: bool,
    /// The customer seeded with history and handed out by `/demo/session`. Default `c-1001`.
    #[serde(default = "default_demo_customer")]
    pub customer_id: String,
    /// That customer's name, put in demo tokens. Default `Lin Mei`.
    #[serde(default = "default_demo_name")]
    pub customer_name: String,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            enabled: false,
            shop: default_demo_shop(),
            allow_public_host: false,
            customer_id: default_demo_customer(),
            customer_name: default_demo_name(),
        }
    }
}

fn default_demo_shop() -> String {
    "demo".into()
}

fn default_demo_customer() -> String {
    "c-1001".into()
}

fn default_demo_name() -> String {
    "Lin Mei".into()
}

/// Text in each shipped locale (`en` required). A strict twin of [`LocalizedText`] so
/// a misspelt locale key is an error instead of a silently missing translation.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextConfig {
    /// English.
    pub en: String,
    /// Simplified Chinese.
    #[serde(rename = "zh-Hans", default)]
    pub zh_hans: Option<String>,
    /// Traditional Chinese.
    #[serde(rename = "zh-Hant", default)]
    pub zh_hant: Option<String>,
}

impl TextConfig {
    /// Checks the text is written: `en` not blank, and a Chinese text given is not blank
    /// either; the error names `key`.
    pub(crate) fn check(&self, key: String) -> Result<(), ConfigError> {
        if self.en.trim().is_empty() {
            return Err(invalid(format!("{key}.en"), "must not be empty"));
        }
        for (locale, text) in [("zh-Hans", &self.zh_hans), ("zh-Hant", &self.zh_hant)] {
            if text.as_deref().is_some_and(|text| text.trim().is_empty()) {
                return Err(invalid(
                    format!("{key}.{locale}"),
                    "must not be empty (leave it out to show the English text)",
                ));
            }
        }
        Ok(())
    }
}

impl From<&TextConfig> for LocalizedText {
    fn from(text: &TextConfig) -> Self {
        LocalizedText {
            en: text.en.clone(),
            zh_hans: text.zh_hans.clone(),
            zh_hant: text.zh_hant.clone(),
        }
    }
}

impl Config {
    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Read {
            path: path.to_owned(),
            error,
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        Config::parse_in(&text, base).map_err(|error| match error {
            ConfigError::Parse { message, .. } => ConfigError::Parse {
                path: path.to_owned(),
                message,
            },
            other => other,
        })
    }

    /// Parses and validates config text.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse_in(text, Path::new("."))
    }

    /// Parses and validates `text`, reading the files it names (a help section's
    /// `content_dir`) relative to `base`, the config file's directory.
    pub fn parse_in(text: &str, base: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|error| ConfigError::Parse {
            path: PathBuf::from("<text>"),
            message: error.to_string(),
        })?;
        for (id, shop) in &mut config.shops {
            if let Some(help) = &mut shop.help {
                help.read_content_dir(id, base)?;
            }
        }
        config.validate()?;
        // The text parsed into `Config` above, so it parses as a table too.
        let table: toml::Table = toml::from_str(text).unwrap_or_default();
        let shop_tables = table.get("shops").and_then(toml::Value::as_table);
        for (id, shop) in &config.shops {
            if let Some(shop_table) = shop_tables.and_then(|t| t.get(id)?.as_table()) {
                let document = crate::shop_settings::document::from_file_table(shop_table, shop);
                config.file_documents.insert(id.clone(), document);
            }
        }
        Ok(config)
    }

    /// Checks every value; the error names the first bad key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.shops.is_empty() {
            return Err(invalid(
                "shops",
                "no shop is configured; add a [shops.<id>] table",
            ));
        }
        if self.demo.enabled && !is_valid_id(&self.demo.customer_id, 64) {
            return Err(invalid(
                "demo.customer_id",
                "must be 1-64 characters of A-Z, a-z, 0-9, `_` or `-`",
            ));
        }
        if self.demo.enabled && !self.shops.contains_key(&self.demo.shop) {
            return Err(invalid(
                "demo.shop",
                format!(
                    "demo mode serves one shop, and there is no [shops.{}]",
                    crate::error::excerpt(&self.demo.shop)
                ),
            ));
        }
        self.server.validate()?;
        for (id, shop) in &self.shops {
            shop.validate(id)?;
        }
        keys::check_unique(
            self.shops
                .iter()
                .map(|(id, shop)| (id.as_str(), shop.key_lists())),
            self.demo.enabled,
        )
    }

    /// The shop with this id.
    pub fn shop(&self, id: &str) -> Option<&ShopConfig> {
        self.shops.get(id)
    }
}

/// Whether `value` can be a shop's product id: 1–128 characters, not blank, no control
/// characters (the rule of ids in webhooks).
pub(crate) fn is_valid_product(value: &str) -> bool {
    !value.trim().is_empty() && value.len() <= 128 && !value.chars().any(char::is_control)
}

/// Whether `value` is 1 to `max` characters of `[A-Za-z0-9_-]`.
pub fn is_valid_id(value: &str, max: usize) -> bool {
    (1..=max).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}
