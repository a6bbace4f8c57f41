//! The settings document: a shop's programme sections (`loyalty`, `help`, `referrals`,
//! ...) as one JSON object with the shape those sections have in the configuration
//! file, its JSON Schema for the dashboard's forms, and its check, which is the file's
//! own validation with the key paths made relative to the document.

use std::sync::LazyLock;

use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::{PartialSchema, ToSchema};

use crate::config::appearance::AppearanceConfig;
use crate::config::help::HelpConfig;
use crate::config::recommendations::RecommendationsConfig;
use crate::config::referrals::ReferralsConfig;
use crate::config::subscriptions::SubscriptionsConfig;
use crate::config::surveys::{SurveyCadence, SurveyConfig};
use crate::config::{ConfigError, LoyaltyConfig, ShopConfig};
use comeback_core::settings::SECTIONS;

/// The document's root: every programme section a shop may have, each optional.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    /// The loyalty programme: points, tiers, rewards, punch cards and ways to earn.
    #[serde(default)]
    pub loyalty: Option<LoyaltyConfig>,
    /// The referral programme: the link, the hold and both rewards.
    #[serde(default)]
    pub referrals: Option<ReferralsConfig>,
    /// Subscribe and save: plans, cancel reasons and the save offer.
    #[serde(default)]
    pub subscriptions: Option<SubscriptionsConfig>,
    /// The help centre: articles, troubleshooting trees and contact channels.
    #[serde(default)]
    pub help: Option<HelpConfig>,
    /// Feedback surveys.
    #[serde(default)]
    pub surveys: Vec<SurveyConfig>,
    /// What spans all surveys: the cooldown between two and the report's time zone.
    #[serde(default)]
    pub survey_cadence: SurveyCadence,
    /// Product recommendations.
    #[serde(default)]
    pub recommendations: Option<RecommendationsConfig>,
    /// How the widgets look on every page unless the page says otherwise: the colour
    /// scheme and design tokens.
    #[serde(default)]
    pub appearance: Option<AppearanceConfig>,
}

/// A field of a document that is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Its path in the document (`loyalty.rewards[0].cost`; empty for the whole).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl FieldError {
    fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The document's JSON Schema: `{"root": <schema>, "components": {<name>: <schema>}}`.
pub fn schema() -> &'static Value {
    static SCHEMA: LazyLock<Value> = LazyLock::new(|| {
        let mut components = Vec::new();
        Programme::schemas(&mut components);
        let components: Map<String, Value> = components
            .into_iter()
            .map(|(name, schema)| (name, serde_json::to_value(schema).unwrap_or(Value::Null)))
            .collect();
        serde_json::json!({
            "root": serde_json::to_value(Programme::schema()).unwrap_or(Value::Null),
            "components": components,
        })
    });
    &SCHEMA
}

/// The programme sections of a shop's table in the configuration file, as a document.
/// Articles a `help.content_dir` holds are written out into `help.articles` (a
/// document never names a directory): `loaded` is the shop as loaded, with them read.
pub fn from_file_table(table: &toml::Table, loaded: &ShopConfig) -> Value {
    let mut document = Map::new();
    for section in SECTIONS {
        if let Some(value) = table.get(section) {
            document.insert(
                section.to_owned(),
                serde_json::to_value(value).unwrap_or(Value::Null),
            );
        }
    }
    if let (Some(Value::Object(help)), Some(loaded)) =
        (document.get_mut("help"), loaded.help.as_ref())
    {
        if help.remove("content_dir").is_some() {
            help.insert(
                "articles".to_owned(),
                serde_json::to_value(&loaded.articles).unwrap_or(Value::Null),
            );
        }
    }
    Value::Object(document)
}

/// `base` with its programme replaced by `document`'s, checked as the configuration
/// file is checked; the error names the field by its path in the document.
pub fn apply(shop_id: &str, base: &ShopConfig, document: &Value) -> Result<ShopConfig, FieldError> {
    if !document.is_object() {
        return Err(FieldError::new(
            "",
            "the settings must be an object of sections",
        ));
    }
    let programme: Programme = serde_path_to_error::deserialize(document).map_err(|error| {
        let field = error.path().to_string();
        let field = if field == "." { String::new() } else { field };
        FieldError::new(field, error.into_inner().to_string())
    })?;
    if programme
        .help
        .as_ref()
        .is_some_and(|help| help.content_dir.is_some())
    {
        return Err(FieldError::new(
            "help.content_dir",
            "articles kept in a directory cannot be edited here; list them in `articles`",
        ));
    }
    let mut shop = base.clone();
    shop.loyalty = programme.loyalty;
    shop.referrals = programme.referrals;
    shop.subscriptions = programme.subscriptions;
    shop.help = programme.help;
    shop.surveys = programme.surveys;
    shop.survey_cadence = programme.survey_cadence;
    shop.recommendations = programme.recommendations;
    shop.appearance = programme.appearance;
    shop.validate(shop_id)
        .map_err(|error| relative(shop_id, error))?;
    Ok(shop)
}

/// A configuration error with its key made relative to the shop's table.
fn relative(shop_id: &str, error: ConfigError) -> FieldError {
    match error {
        ConfigError::Invalid { key, message } => {
            let prefix = format!("shops.{shop_id}.");
            let field = key.strip_prefix(&prefix).unwrap_or(&key).to_owned();
            FieldError::new(field, message)
        }
        other => FieldError::new("", other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use serde_json::json;

    const FILE: &str = r#"
[shops.s]
name = "S"
currency = "EUR"
token_secrets = ["0123456789abcdef0123456789abcdef"]
webhook_secrets = ["1123456789abcdef0123456789abcdef"]
api_keys = ["2123456789abcdef0123456789abcdef"]

[shops.s.loyalty]
points_per_unit = 2
code_prefix = "S"

[[shops.s.loyalty.rewards]]
id = "five"
name = { en = "€5 off" }
cost = 500
kind = "amount_off"
value = 500
"#;

    fn shop() -> (Config, Value) {
        let config = Config::parse(FILE).unwrap();
        let table: toml::Table = toml::from_str(FILE).unwrap();
        let shop_table = table["shops"]["s"].as_table().unwrap();
        let document = from_file_table(shop_table, &config.shops["s"]);
        (config, document)
    }

    #[test]
    fn a_file_shop_becomes_a_document_that_applies_to_the_same_programme() {
        let (config, document) = shop();
        assert_eq!(document["loyalty"]["rewards"][0]["cost"], json!(500));
        assert!(document.get("help").is_none());
        let applied = apply("s", &config.shops["s"], &document).unwrap();
        let loyalty = applied.loyalty.unwrap();
        assert_eq!(loyalty.points_per_unit, 2);
        assert_eq!(loyalty.rewards[0].cost, Some(500));
    }

    #[test]
    fn errors_name_the_field_by_its_path_in_the_document() {
        let (config, mut document) = shop();
        document["loyalty"]["rewards"][0]["cost"] = json!(0);
        let error = apply("s", &config.shops["s"], &document).unwrap_err();
        assert_eq!(error.field, "loyalty.rewards[0].cost");

        document["loyalty"]["rewards"][0]["cost"] = json!("lots");
        let error = apply("s", &config.shops["s"], &document).unwrap_err();
        assert_eq!(error.field, "loyalty.rewards[0].cost");
        assert!(error.message.contains("invalid type"), "{}", error.message);

        let error = apply("s", &config.shops["s"], &json!({"loyalti": {}})).unwrap_err();
        assert_eq!(error.field, "loyalti");
        assert!(error.message.contains("loyalti"), "{}", error.message);

        let error = apply("s", &config.shops["s"], &json!([])).unwrap_err();
        assert_eq!(error.field, "");
    }

    #[test]
    fn a_document_never_names_a_directory() {
        let (config, _) = shop();
        let document = json!({"help": {"content_dir": "/etc"}});
        let error = apply("s", &config.shops["s"], &document).unwrap_err();
        assert_eq!(error.field, "help.content_dir");
    }

    #[test]
    fn the_schema_describes_every_section_with_its_components() {
        let schema = schema();
        let properties = schema["root"]["properties"].as_object().unwrap();
        for section in SECTIONS {
            assert!(properties.contains_key(section), "{section}");
        }
        let components = schema["components"].as_object().unwrap();
        for name in [
            "LoyaltyConfig",
            "RewardConfig",
            "ReferralRewardConfig",
            "Tree",
        ] {
            assert!(components.contains_key(name), "{name}");
        }
        assert!(components["RewardConfig"]["properties"]["cost"]["description"].is_string());
    }
}
