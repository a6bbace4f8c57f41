//! `[shops.<id>.webhooks]`: where the shop's backend receives events, and which.

use serde::Deserialize;

use super::{invalid, ConfigError};

/// The outbound webhook event types.
pub const WEBHOOK_EVENTS: [&str; 14] = crate::store::EVENT_TYPES;

/// `[shops.<id>.webhooks]`: where and what to send.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhooksConfig {
    /// The `http(s)://` URL events are POSTed to.
    pub url: String,
    /// Event types to send, a subset of [`WEBHOOK_EVENTS`]. Default all.
    #[serde(default = "default_webhook_events")]
    pub events: Vec<String>,
    /// `points.expiring` is sent when the next expiry is at most this many days away,
    /// 1–60. Default 7.
    #[serde(default = "default_points_expiring_days")]
    pub points_expiring_days: i64,
}

fn default_webhook_events() -> Vec<String> {
    WEBHOOK_EVENTS
        .iter()
        .map(|event| (*event).to_owned())
        .collect()
}

fn default_points_expiring_days() -> i64 {
    7
}

impl WebhooksConfig {
    pub(super) fn validate(&self, shop: &str) -> Result<(), ConfigError> {
        let key = |name: &str| format!("shops.{shop}.webhooks.{name}");
        let url_ok = reqwest::Url::parse(&self.url).is_ok_and(|url| {
            matches!(url.scheme(), "http" | "https")
                && url.host_str().is_some_and(|host| !host.is_empty())
        });
        if !url_ok {
            return Err(invalid(
                key("url"),
                format!("`{}` is not an http:// or https:// URL", self.url),
            ));
        }
        for (index, event) in self.events.iter().enumerate() {
            if !WEBHOOK_EVENTS.contains(&event.as_str()) {
                return Err(invalid(
                    format!("shops.{shop}.webhooks.events[{index}]"),
                    format!(
                        "`{event}` is not an event type (one of {})",
                        WEBHOOK_EVENTS.join(", ")
                    ),
                ));
            }
        }
        if !(1..=60).contains(&self.points_expiring_days) {
            return Err(invalid(key("points_expiring_days"), "must be 1 to 60"));
        }
        Ok(())
    }

    /// Whether `event` is sent.
    pub fn sends(&self, event: &str) -> bool {
        self.events.iter().any(|wanted| wanted == event)
    }
}
