//! `[shops.<id>.subscriptions]`: subscribe and save. The plans a shop offers (what they
//! cover, their discount, intervals and minimum), the reasons its cancel form lists, the
//! one offer made before a cancellation, and the time zone whose calendar the deliveries
//! follow. A shop without the section answers 404 on the subscription endpoints, and the
//! `subscription` of its order lines is stored with the order but starts nothing.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use comeback_core::date::Date;
use comeback_core::orders::Interval;
use comeback_core::subscription::{Discount, SaveOffer, MAX_CANCEL_REASONS};
use comeback_core::{Locale, LocalizedText};
use serde::Deserialize;

use super::{invalid, is_valid_id, is_valid_product, ConfigError, TextConfig};

/// Most plans a shop may offer.
pub const MAX_PLANS: usize = 50;
/// Most intervals one plan may offer.
pub const MAX_INTERVALS: usize = 12;

/// `[shops.<id>.subscriptions]`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionsConfig {
    /// The IANA time zone whose calendar decides the delivery days (`Asia/Shanghai`).
    /// Default `UTC`.
    #[serde(default = "super::zone::default_name")]
    pub time_zone: String,
    /// The plans, in the order the toggle offers them.
    #[serde(default)]
    pub plans: Vec<PlanConfig>,
    /// The reasons the cancel form lists, in order; none means no reason is asked.
    #[serde(default)]
    pub cancel_reasons: Vec<CancelReasonConfig>,
    /// What the cancel form offers once instead (`"skip"` or `"pause"`); none by default.
    #[serde(default)]
    pub save_offer: Option<SaveOffer>,
    /// `time_zone`, resolved on first use (validated at load).
    #[serde(skip)]
    zone: OnceLock<jiff::tz::TimeZone>,
}

/// `[[shops.<id>.subscriptions.plans]]`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanConfig {
    /// Stable id, 1–64 of `[A-Za-z0-9_-]` (the order line's `subscription.plan_id`).
    pub id: String,
    /// The products it covers, by id.
    #[serde(default)]
    pub products: Vec<String>,
    /// The catalogue categories it covers.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Whole percent off each delivery, 1–100.
    #[serde(default)]
    pub discount_percent: Option<u8>,
    /// Minor units off each unit of each delivery.
    #[serde(default)]
    pub discount_amount: Option<i64>,
    /// Whether deliveries ship free. Default `false`.
    #[serde(default)]
    pub free_shipping: bool,
    /// The intervals offered, ISO 8601 (`"P2W"`, `"P1M"`); the first is the default.
    pub intervals: Vec<String>,
    /// Deliveries (the first order included) before the shopper may cancel.
    #[serde(default)]
    pub min_deliveries: Option<u32>,
    /// The plan's name in each locale.
    pub name: TextConfig,
}

/// `[[shops.<id>.subscriptions.cancel_reasons]]`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelReasonConfig {
    /// Stable id, 1–64 of `[A-Za-z0-9_-]`, stored with the cancellation.
    pub id: String,
    /// What the form shows, in each locale.
    pub label: TextConfig,
}

impl PlanConfig {
    /// The plan's discount, if it has one.
    pub fn discount(&self) -> Option<Discount> {
        match (self.discount_percent, self.discount_amount) {
            (Some(percent), _) => Some(Discount::Percent { percent }),
            (None, Some(amount)) => Some(Discount::Amount { amount }),
            (None, None) => None,
        }
    }

    /// Whether the plan covers a product with this id and these categories.
    pub fn covers(&self, product_id: &str, categories: &[String]) -> bool {
        self.products.iter().any(|id| id == product_id)
            || categories
                .iter()
                .any(|category| self.categories.contains(category))
    }

    /// Whether `interval` is one the plan offers.
    pub fn offers(&self, interval: &str) -> bool {
        self.intervals.iter().any(|offered| offered == interval)
    }

    /// The plan's name.
    pub fn name(&self) -> LocalizedText {
        (&self.name).into()
    }
}

impl SubscriptionsConfig {
    /// The plan with this id.
    pub fn plan(&self, id: &str) -> Option<&PlanConfig> {
        self.plans.iter().find(|plan| plan.id == id)
    }

    /// The cancel reason with this id.
    pub fn reason(&self, id: &str) -> Option<&CancelReasonConfig> {
        self.cancel_reasons.iter().find(|reason| reason.id == id)
    }

    /// The shop's time zone (UTC until validated).
    pub fn zone(&self) -> &jiff::tz::TimeZone {
        super::zone::resolved(&self.zone, &self.time_zone)
    }

    /// The shop's calendar date at `unix_seconds`.
    pub fn local_date(&self, unix_seconds: i64) -> Date {
        super::zone::date_at(self.zone(), unix_seconds)
    }

    /// The cancel reasons with their labels in `locale`.
    pub fn reasons_in(&self, locale: Locale) -> Vec<comeback_core::subscription::CancelReason> {
        self.cancel_reasons
            .iter()
            .map(|reason| comeback_core::subscription::CancelReason {
                id: reason.id.clone(),
                label: LocalizedText::from(&reason.label).get(locale).to_owned(),
            })
            .collect()
    }

    pub(super) fn validate(&self, shop: &str) -> Result<(), ConfigError> {
        let key = |name: &str| format!("shops.{shop}.subscriptions.{name}");
        super::zone::check(&self.zone, &self.time_zone, key("time_zone"))?;
        if self.plans.len() > MAX_PLANS {
            return Err(invalid(key("plans"), format!("at most {MAX_PLANS} plans")));
        }
        let mut plan_ids = BTreeSet::new();
        for (index, plan) in self.plans.iter().enumerate() {
            let at = |name: &str| format!("shops.{shop}.subscriptions.plans[{index}].{name}");
            if !is_valid_id(&plan.id, 64) {
                return Err(invalid(
                    at("id"),
                    "must be 1-64 characters of A-Z, a-z, 0-9, `_` or `-`",
                ));
            }
            if !plan_ids.insert(plan.id.as_str()) {
                return Err(invalid(
                    at("id"),
                    format!("`{}` is used by two plans", plan.id),
                ));
            }
            plan.validate(&at)?;
        }
        if self.cancel_reasons.len() > MAX_CANCEL_REASONS {
            return Err(invalid(
                key("cancel_reasons"),
                format!("at most {MAX_CANCEL_REASONS} reasons"),
            ));
        }
        let mut reason_ids = BTreeSet::new();
        for (index, reason) in self.cancel_reasons.iter().enumerate() {
            let at =
                |name: &str| format!("shops.{shop}.subscriptions.cancel_reasons[{index}].{name}");
            if !is_valid_id(&reason.id, 64) {
                return Err(invalid(
                    at("id"),
                    "must be 1-64 characters of A-Z, a-z, 0-9, `_` or `-`",
                ));
            }
            if !reason_ids.insert(reason.id.as_str()) {
                return Err(invalid(
                    at("id"),
                    format!("`{}` is used by two reasons", reason.id),
                ));
            }
            if reason.label.en.trim().is_empty() {
                return Err(invalid(at("label.en"), "must not be empty"));
            }
        }
        Ok(())
    }
}

impl PlanConfig {
    fn validate(&self, at: &dyn Fn(&str) -> String) -> Result<(), ConfigError> {
        if self.products.is_empty() && self.categories.is_empty() {
            return Err(invalid(
                at("products"),
                "a plan covers `products` (ids), `categories`, or both: give at least one",
            ));
        }
        for (index, product) in self.products.iter().enumerate() {
            if !is_valid_product(product) {
                return Err(invalid(
                    at(&format!("products[{index}]")),
                    "a product id is 1-128 characters without control characters",
                ));
            }
        }
        for (index, category) in self.categories.iter().enumerate() {
            if !is_valid_product(category) {
                return Err(invalid(
                    at(&format!("categories[{index}]")),
                    "a category is 1-128 characters without control characters",
                ));
            }
        }
        if self.discount_percent.is_some() && self.discount_amount.is_some() {
            return Err(invalid(
                at("discount_percent"),
                "give `discount_percent` or `discount_amount`, not both",
            ));
        }
        if let Some(problem) = self.discount().and_then(Discount::problem) {
            let name = if self.discount_percent.is_some() {
                "discount_percent"
            } else {
                "discount_amount"
            };
            return Err(invalid(at(name), problem));
        }
        if self.intervals.is_empty() {
            return Err(invalid(
                at("intervals"),
                "must offer at least one interval, such as [\"P2W\", \"P1M\"]",
            ));
        }
        if self.intervals.len() > MAX_INTERVALS {
            return Err(invalid(
                at("intervals"),
                format!("at most {MAX_INTERVALS} intervals"),
            ));
        }
        let mut seen = BTreeSet::new();
        for (index, interval) in self.intervals.iter().enumerate() {
            if Interval::parse(interval).is_none() {
                return Err(invalid(
                    at(&format!("intervals[{index}]")),
                    format!(
                        "`{}` is not an ISO 8601 duration of one unit (P<n>D, P<n>W, P<n>M or P<n>Y, n from 1 to 365; `P2W` is every two weeks)",
                        crate::error::excerpt(interval)
                    ),
                ));
            }
            if !seen.insert(interval.as_str()) {
                return Err(invalid(
                    at(&format!("intervals[{index}]")),
                    format!("`{interval}` is offered twice"),
                ));
            }
        }
        if self.min_deliveries == Some(0) {
            return Err(invalid(
                at("min_deliveries"),
                "must be at least 1 (leave it out for no minimum)",
            ));
        }
        if self.name.en.trim().is_empty() {
            return Err(invalid(at("name.en"), "must not be empty"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use comeback_core::date::Date;
    use comeback_core::subscription::{Discount, SaveOffer};

    use crate::config::Config;

    fn shop(section: &str) -> String {
        format!(
            "[shops.demo]\nname = \"Tea\"\ntoken_secrets = [\"tok-0123456789abcdef0123456789abcdef\"]\nwebhook_secrets = [\"hook-0123456789abcdef0123456789abcdef\"]\napi_keys = [\"api-0123456789abcdef0123456789abcdef\"]\ncurrency = \"CNY\"\n{section}"
        )
    }

    fn error(section: &str) -> String {
        Config::parse(&shop(section)).unwrap_err().to_string()
    }

    const PLANS: &str = r#"
[shops.demo.subscriptions]
time_zone = "Asia/Shanghai"
save_offer = "pause"

[[shops.demo.subscriptions.plans]]
id = "tea-club"
categories = ["tea"]
discount_percent = 10
free_shipping = true
intervals = ["P2W", "P4W", "P8W"]
name = { en = "Subscribe & save 10%", "zh-Hans" = "订阅立省 10%" }

[[shops.demo.subscriptions.plans]]
id = "kettle-care"
products = ["descaler"]
discount_amount = 500
intervals = ["P3M"]
min_deliveries = 2
name = { en = "Descaler club" }

[[shops.demo.subscriptions.cancel_reasons]]
id = "too-much"
label = { en = "I have too much", "zh-Hant" = "存貨太多" }
"#;

    #[test]
    fn a_sound_section_loads_with_its_plans_reasons_and_zone() {
        let config = Config::parse(&shop(PLANS)).unwrap();
        let subscriptions = config
            .shop("demo")
            .and_then(|shop| shop.subscriptions.as_ref())
            .unwrap();
        assert_eq!(subscriptions.save_offer, Some(SaveOffer::Pause));
        let club = subscriptions.plan("tea-club").unwrap();
        assert_eq!(club.discount(), Some(Discount::Percent { percent: 10 }));
        assert!(club.covers("anything", &["tea".to_owned()]));
        assert!(!club.covers("tea", &["teaware".to_owned()]));
        assert!(club.offers("P4W") && !club.offers("P1M"));
        let care = subscriptions.plan("kettle-care").unwrap();
        assert_eq!(care.discount(), Some(Discount::Amount { amount: 500 }));
        assert!(care.covers("descaler", &[]));
        assert_eq!(care.min_deliveries, Some(2));
        assert_eq!(
            subscriptions.reasons_in(comeback_core::Locale::ZhHant)[0].label,
            "存貨太多"
        );
        // 2027-02-27T16:30Z is already the 28th in Shanghai (UTC+8).
        let instant = Date::parse("2027-02-27").unwrap().days_since_epoch() * 86_400 + 59_400;
        assert_eq!(subscriptions.local_date(instant).to_iso(), "2027-02-28");
    }

    #[test]
    fn the_time_zone_defaults_to_utc_and_follows_daylight_saving() {
        let section = PLANS.replace("time_zone = \"Asia/Shanghai\"\n", "");
        let config = Config::parse(&shop(&section)).unwrap();
        let subscriptions = config.shop("demo").unwrap().subscriptions.clone().unwrap();
        assert_eq!(subscriptions.time_zone, "UTC");
        let instant = Date::parse("2027-02-27").unwrap().days_since_epoch() * 86_400 + 59_400;
        assert_eq!(subscriptions.local_date(instant).to_iso(), "2027-02-27");
        let section = PLANS.replace("Asia/Shanghai", "America/New_York");
        let config = Config::parse(&shop(&section)).unwrap();
        let new_york = config.shop("demo").unwrap().subscriptions.clone().unwrap();
        // 03:30 UTC is still the evening before in New York: UTC-5 in winter, -4 in summer.
        let winter = Date::parse("2027-01-15").unwrap().days_since_epoch() * 86_400 + 3 * 3600;
        assert_eq!(new_york.local_date(winter).to_iso(), "2027-01-14");
        let summer = Date::parse("2027-07-15").unwrap().days_since_epoch() * 86_400 + 3 * 3600;
        assert_eq!(new_york.local_date(summer).to_iso(), "2027-07-14");
        let summer_late = summer + 3600 + 60;
        assert_eq!(new_york.local_date(summer_late).to_iso(), "2027-07-15");
        let winter_late = winter + 3600 + 60;
        assert_eq!(new_york.local_date(winter_late).to_iso(), "2027-01-14");
    }

    #[test]
    fn the_demo_shop_offers_its_tea_club() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../comeback.demo.toml");
        let config = Config::load(&path).unwrap();
        let subscriptions = config.shop("demo").unwrap().subscriptions.clone().unwrap();
        let club = subscriptions.plan("tea-club").unwrap();
        assert_eq!(club.categories, ["tea"]);
        assert_eq!(club.discount(), Some(Discount::Percent { percent: 10 }));
        assert!(club.free_shipping);
        assert_eq!(club.intervals, ["P2W", "P4W", "P8W"]);
        let name = club.name();
        assert_eq!(
            (
                name.en.as_str(),
                name.zh_hans.as_deref(),
                name.zh_hant.as_deref()
            ),
            (
                "Subscribe & save 10%",
                Some("订阅立省 10%"),
                Some("訂閱立省 10%")
            )
        );
        let reasons: Vec<&str> = subscriptions
            .cancel_reasons
            .iter()
            .map(|reason| reason.id.as_str())
            .collect();
        assert_eq!(reasons, ["too-much", "too-expensive", "switching", "other"]);
        assert_eq!(subscriptions.save_offer, Some(SaveOffer::Skip));
    }

    #[test]
    fn bad_sections_are_refused_naming_the_key() {
        let cases = [
            (
                PLANS.replace("Asia/Shanghai", "Mars/Olympus"),
                "shops.demo.subscriptions.time_zone: `Mars/Olympus` is not an IANA time zone name",
            ),
            (
                PLANS.replace("categories = [\"tea\"]\n", ""),
                "shops.demo.subscriptions.plans[0].products: a plan covers",
            ),
            (
                PLANS.replace("discount_percent = 10", "discount_percent = 10\ndiscount_amount = 5"),
                "shops.demo.subscriptions.plans[0].discount_percent: give `discount_percent` or `discount_amount`, not both",
            ),
            (
                PLANS.replace("discount_percent = 10", "discount_percent = 0"),
                "shops.demo.subscriptions.plans[0].discount_percent: a percent discount must be 1 to 100",
            ),
            (
                PLANS.replace("discount_amount = 500", "discount_amount = -1"),
                "shops.demo.subscriptions.plans[1].discount_amount: an amount discount must be",
            ),
            (
                PLANS.replace("[\"P3M\"]", "[]"),
                "shops.demo.subscriptions.plans[1].intervals: must offer at least one interval",
            ),
            (
                PLANS.replace("\"P8W\"]", "\"2w\"]"),
                "shops.demo.subscriptions.plans[0].intervals[2]: `2w` is not an ISO 8601 duration",
            ),
            (
                PLANS.replace("\"P8W\"]", "\"P2W\"]"),
                "shops.demo.subscriptions.plans[0].intervals[2]: `P2W` is offered twice",
            ),
            (
                PLANS.replace("min_deliveries = 2", "min_deliveries = 0"),
                "shops.demo.subscriptions.plans[1].min_deliveries: must be at least 1",
            ),
            (
                PLANS.replace("id = \"kettle-care\"", "id = \"tea-club\""),
                "shops.demo.subscriptions.plans[1].id: `tea-club` is used by two plans",
            ),
            (
                PLANS.replace("id = \"kettle-care\"", "id = \"kettle care\""),
                "shops.demo.subscriptions.plans[1].id: must be 1-64 characters",
            ),
            (
                PLANS.replace("name = { en = \"Descaler club\" }", "name = { en = \" \" }"),
                "shops.demo.subscriptions.plans[1].name.en: must not be empty",
            ),
            (
                PLANS.replace("products = [\"descaler\"]", "products = [\"\"]"),
                "shops.demo.subscriptions.plans[1].products[0]: a product id is",
            ),
            (
                format!("{PLANS}\n[[shops.demo.subscriptions.cancel_reasons]]\nid = \"too-much\"\nlabel = {{ en = \"Again\" }}\n"),
                "shops.demo.subscriptions.cancel_reasons[1].id: `too-much` is used by two reasons",
            ),
            (
                PLANS.replace("label = { en = \"I have too much\"", "label = { en = \"\""),
                "shops.demo.subscriptions.cancel_reasons[0].label.en: must not be empty",
            ),
        ];
        for (section, expected) in cases {
            let message = error(&section);
            assert!(
                message.starts_with(expected),
                "{expected}\n  got: {message}"
            );
        }
        let many: String = (0..13)
            .map(|n| {
                format!(
                    "[[shops.demo.subscriptions.cancel_reasons]]\nid = \"r{n}\"\nlabel = {{ en = \"R\" }}\n"
                )
            })
            .collect();
        let message = error(&format!("[shops.demo.subscriptions]\n{many}"));
        assert!(
            message.starts_with("shops.demo.subscriptions.cancel_reasons: at most 12"),
            "{message}"
        );
        // Strict parsing: unknown keys, locales and offers are errors too.
        assert!(error(&PLANS.replace("free_shipping", "free_shiping")).contains("free_shiping"));
        assert!(
            error(&PLANS.replace("\"zh-Hans\" = \"订阅", "\"zh-CN\" = \"订阅")).contains("zh-CN")
        );
        assert!(
            error(&PLANS.replace("save_offer = \"pause\"", "save_offer = \"discount\""))
                .contains("discount")
        );
        // The section is optional.
        assert!(Config::parse(&shop(""))
            .unwrap()
            .shop("demo")
            .unwrap()
            .subscriptions
            .is_none());
    }
}
