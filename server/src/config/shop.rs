//! `[shops.<id>]`: a shop's name, keys, origins, currency, limits, and its optional
//! feature sections.

use serde::Deserialize;

use super::appearance::AppearanceConfig;
use super::help::HelpConfig;
use super::keys::{check_list, lists, Secret};
use super::recommendations::RecommendationsConfig;
use super::referrals::ReferralsConfig;
use super::subscriptions::SubscriptionsConfig;
use super::surveys::{SurveyCadence, SurveyConfig};
use super::{invalid, is_valid_id, ConfigError, LoyaltyConfig, WebhooksConfig};

/// Default longest lifetime (`exp - iat`) of a customer token: a day.
pub const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS: i64 = 24 * 60 * 60;

/// The largest `max_token_lifetime_seconds` accepted: 30 days.
pub const MAX_TOKEN_LIFETIME_LIMIT_SECONDS: i64 = 30 * 24 * 60 * 60;

/// `[shops.<id>]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShopConfig {
    /// Display name.
    pub name: String,
    /// Where the programme sections come from: `file` (this file, the default; the
    /// dashboard shows them read-only) or `dashboard` (the database: owners edit them in
    /// the dashboard, and this file's sections only seed the first version).
    #[serde(default)]
    pub settings: SettingsMode,
    /// The single secret of earlier versions; refused with a message naming the three
    /// lists that replace it (kept only to give that message instead of "unknown key").
    #[serde(default)]
    pub secret: Option<Secret>,
    /// Keys that sign customer tokens (HS256): the first is used by the `token` command
    /// and demo sessions, every one verifies.
    #[serde(default)]
    pub token_secrets: Vec<Secret>,
    /// Keys of webhook signatures: the first signs outbound webhooks, every one verifies
    /// inbound ones.
    #[serde(default)]
    pub webhook_secrets: Vec<Secret>,
    /// Bearer keys of the shop's backend (admin, codes, catalogue); every one is accepted.
    #[serde(default)]
    pub api_keys: Vec<Secret>,
    /// Longest accepted customer token lifetime, `exp - iat`, in seconds. Default a day.
    #[serde(default = "default_max_token_lifetime")]
    pub max_token_lifetime_seconds: i64,
    /// Browser origins allowed to call the API (CORS), such as `https://shop.example`.
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    /// ISO 4217 code of the shop's currency.
    pub currency: String,
    /// Shopper-facing requests allowed per client IP per minute. Default 120.
    #[serde(default = "default_rate_limit")]
    pub rate_limit_per_minute: u32,
    /// The loyalty programme; a shop without one answers 404 on the loyalty endpoints
    /// and its orders earn nothing (they are still recorded for the other features).
    #[serde(default)]
    pub loyalty: Option<LoyaltyConfig>,
    /// Outbound webhooks to the shop's backend; none when absent.
    #[serde(default)]
    pub webhooks: Option<WebhooksConfig>,
    /// The help centre; a shop without one answers 404 on the help endpoints.
    #[serde(default)]
    pub help: Option<HelpConfig>,
    /// Product recommendations; a shop without them answers 404 on that endpoint.
    #[serde(default)]
    pub recommendations: Option<RecommendationsConfig>,
    /// Subscribe and save; a shop without it answers 404 on the subscription endpoints
    /// and its order lines' `subscription` starts nothing.
    #[serde(default)]
    pub subscriptions: Option<SubscriptionsConfig>,
    /// The referral programme; a shop without it answers 404 on the referral endpoints
    /// and its orders' `referral_code` refers nobody.
    #[serde(default)]
    pub referrals: Option<ReferralsConfig>,
    /// Feedback surveys; a shop without any answers 404 on the survey endpoints.
    #[serde(default)]
    pub surveys: Vec<SurveyConfig>,
    /// What spans all the shop's surveys: the cooldown and the report's time zone.
    #[serde(default)]
    pub survey_cadence: SurveyCadence,
    /// How the shop's widgets look on every page unless the page says otherwise.
    #[serde(default)]
    pub appearance: Option<AppearanceConfig>,
}

/// `settings`: where a shop's programme sections come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SettingsMode {
    /// The configuration file.
    #[default]
    File,
    /// The database, edited in the dashboard.
    Dashboard,
}

fn default_rate_limit() -> u32 {
    120
}

fn default_max_token_lifetime() -> i64 {
    DEFAULT_MAX_TOKEN_LIFETIME_SECONDS
}

impl ShopConfig {
    pub(crate) fn validate(&self, id: &str) -> Result<(), ConfigError> {
        let key = |name: &str| format!("shops.{id}.{name}");
        if !is_valid_id(id, 64) {
            return Err(invalid(
                format!("shops.{id}"),
                "a shop id must be 1-64 characters of A-Z, a-z, 0-9, `_` or `-`",
            ));
        }
        if self.name.trim().is_empty() {
            return Err(invalid(key("name"), "must not be empty"));
        }
        if self.secret.is_some() {
            return Err(invalid(
                key("secret"),
                "one secret for everything is no longer accepted: replace it with three lists of different keys, `token_secrets` (sign customer tokens), `webhook_secrets` (sign webhooks) and `api_keys` (the backend's bearer keys); see \"Keys and rotation\" in docs/server.md",
            ));
        }
        for (name, list) in self.key_lists() {
            check_list(&key(name), list)?;
        }
        if !(60..=MAX_TOKEN_LIFETIME_LIMIT_SECONDS).contains(&self.max_token_lifetime_seconds) {
            return Err(invalid(
                key("max_token_lifetime_seconds"),
                format!("must be 60 to {MAX_TOKEN_LIFETIME_LIMIT_SECONDS} seconds (30 days)"),
            ));
        }
        if comeback_core::money::currency_exponent(&self.currency).is_none() {
            return Err(invalid(
                key("currency"),
                format!(
                    "`{}` is not an ISO 4217 code (three uppercase letters)",
                    self.currency
                ),
            ));
        }
        for (index, origin) in self.allowed_origins.iter().enumerate() {
            if !is_origin(origin) {
                return Err(invalid(
                    format!("shops.{id}.allowed_origins[{index}]"),
                    format!("`{origin}` is not an origin like `https://shop.example` (scheme and host, optional port, no path)"),
                ));
            }
        }
        if self.rate_limit_per_minute == 0 {
            return Err(invalid(key("rate_limit_per_minute"), "must be at least 1"));
        }
        if let Some(help) = &self.help {
            help.validate(id)?;
        }
        if let Some(recommendations) = &self.recommendations {
            recommendations.validate(id)?;
        }
        if let Some(subscriptions) = &self.subscriptions {
            subscriptions.validate(id)?;
        }
        if let Some(referrals) = &self.referrals {
            referrals.validate(id, self.loyalty.is_some())?;
        }
        super::surveys::validate(
            id,
            &self.surveys,
            &self.survey_cadence,
            self.loyalty.is_some(),
        )?;
        if let Some(appearance) = &self.appearance {
            appearance.validate(id)?;
        }
        if let Some(webhooks) = &self.webhooks {
            webhooks.validate(id)?;
        }
        match &self.loyalty {
            Some(loyalty) => loyalty.validate(id),
            None => Ok(()),
        }
    }

    /// The three key lists by config key name.
    pub(super) fn key_lists(&self) -> [(&'static str, &[Secret]); 3] {
        lists(&self.token_secrets, &self.webhook_secrets, &self.api_keys)
    }

    /// The key that signs customer tokens (validated non-empty at load).
    pub fn token_signing_key(&self) -> Option<&Secret> {
        self.token_secrets.first()
    }

    /// The key that signs outbound webhooks (validated non-empty at load).
    pub fn webhook_signing_key(&self) -> Option<&Secret> {
        self.webhook_secrets.first()
    }

    /// The product a loyalty reward gives (for `free_product` rewards).
    pub fn reward_product(&self, reward_id: &str) -> Option<String> {
        self.loyalty.as_ref()?.reward(reward_id)?.product_id.clone()
    }

    /// Minor-unit digits of the shop's currency (validated at load).
    pub fn currency_exponent(&self) -> u32 {
        comeback_core::money::currency_exponent(&self.currency).unwrap_or(2)
    }
}

fn is_origin(origin: &str) -> bool {
    let Some(rest) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        return false;
    };
    !rest.is_empty() && !rest.contains(['/', '?', '#', ' ', '@']) && http_origin_parses(origin)
}

fn http_origin_parses(origin: &str) -> bool {
    axum::http::HeaderValue::from_str(origin).is_ok()
}
