//! `[shops.<id>.recommendations]`: which products are never recommended and how the
//! recommendation model is tuned and refreshed. A shop without the section answers 404
//! on the recommendations endpoint.

use serde::Deserialize;

use super::{invalid, ConfigError};

/// `[shops.<id>.recommendations]`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecommendationsConfig {
    /// Product ids never recommended (gift cards, samples, shipping insurance).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Similar products kept per product. Default 50, 5 to 500.
    #[serde(default = "default_neighbours")]
    pub neighbours: usize,
    /// Half-life of a sale in the `trending` list, in days. Default 14, 1 to 365.
    #[serde(default = "default_half_life")]
    pub trending_half_life_days: f64,
    /// How long a product counts as a new arrival after the shop first lists it, in
    /// days. Default 30, 1 to 365.
    #[serde(default = "default_new_arrival_days")]
    pub new_arrival_days: i64,
    /// Minutes between full rebuilds of the model (orders are added as they arrive in
    /// between). Default 60, 5 to 10080 (a week).
    #[serde(default = "default_rebuild")]
    pub rebuild_every_minutes: u64,
}

fn default_neighbours() -> usize {
    50
}

fn default_half_life() -> f64 {
    14.0
}

fn default_new_arrival_days() -> i64 {
    30
}

fn default_rebuild() -> u64 {
    60
}

impl Default for RecommendationsConfig {
    fn default() -> Self {
        RecommendationsConfig {
            exclude: Vec::new(),
            neighbours: default_neighbours(),
            trending_half_life_days: default_half_life(),
            new_arrival_days: default_new_arrival_days(),
            rebuild_every_minutes: default_rebuild(),
        }
    }
}

impl RecommendationsConfig {
    pub(super) fn validate(&self, shop: &str) -> Result<(), ConfigError> {
        let key = |name: &str| format!("shops.{shop}.recommendations.{name}");
        for (index, id) in self.exclude.iter().enumerate() {
            if id.is_empty() || id.chars().count() > 128 {
                return Err(invalid(
                    format!("shops.{shop}.recommendations.exclude[{index}]"),
                    "a product id is 1-128 characters",
                ));
            }
        }
        if !(5..=500).contains(&self.neighbours) {
            return Err(invalid(key("neighbours"), "must be 5 to 500"));
        }
        if !(1.0..=365.0).contains(&self.trending_half_life_days) {
            return Err(invalid(
                key("trending_half_life_days"),
                "must be 1 to 365 days",
            ));
        }
        if !(1..=365).contains(&self.new_arrival_days) {
            return Err(invalid(key("new_arrival_days"), "must be 1 to 365 days"));
        }
        if !(5..=10_080).contains(&self.rebuild_every_minutes) {
            return Err(invalid(
                key("rebuild_every_minutes"),
                "must be 5 to 10080 minutes (a week)",
            ));
        }
        Ok(())
    }
}
