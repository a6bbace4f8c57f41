//! `[shops.<id>]`: a shop's name, credentials, origins, currency, rate limit, and its
//! optional feature sections.

use serde::Deserialize;

use super::help::HelpConfig;
use super::{invalid, is_valid_id, ConfigError, LoyaltyConfig, WebhooksConfig};

/// Shortest accepted shop secret, in characters.
pub const MIN_SECRET_LEN: usize = 32;

/// `[shops.<id>]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShopConfig {
    /// Display name.
    pub name: String,
    /// Signs customer tokens and webhooks; also the bearer key of the shop's backend.
    pub secret: String,
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
}

fn default_rate_limit() -> u32 {
    120
}

impl ShopConfig {
    pub(super) fn validate(&self, id: &str) -> Result<(), ConfigError> {
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
        let secret_len = self.secret.chars().count();
        if secret_len < MIN_SECRET_LEN {
            return Err(invalid(
                key("secret"),
                format!("must be at least {MIN_SECRET_LEN} characters (it has {secret_len})"),
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
        if let Some(webhooks) = &self.webhooks {
            webhooks.validate(id)?;
        }
        match &self.loyalty {
            Some(loyalty) => loyalty.validate(id),
            None => Ok(()),
        }
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
