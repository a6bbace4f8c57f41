//! The configuration file (`comeback.toml`) and the environment settings.
//!
//! The file describes shops and their loyalty programmes; it is parsed strictly (unknown
//! keys are errors) and validated once at start-up with messages that name the key, so
//! a typo never turns into a silently different programme. Process settings (port,
//! database, directories) come from the environment.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use comeback_core::api::{ProgrammeView, PunchCardView, RewardKind, RewardView, WayToEarn};
use comeback_core::date::Date;
use comeback_core::earning::EarnLimit;
use comeback_core::punch_card::{PunchCardProgress, PunchCardRule};
use comeback_core::rewards::EarlyAccess;
use comeback_core::tier::{Tier, TierPerks};
use comeback_core::tiers::{TierBasis, TierWindow};
use comeback_core::LocalizedText;
use serde::Deserialize;

/// Shortest accepted shop secret, in characters.
pub const MIN_SECRET_LEN: usize = 32;

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
        /// Dotted path of the key, such as `shops.demo.secret`.
        key: String,
        /// What is wrong with it.
        message: String,
    },
}

fn invalid(key: impl Into<String>, message: impl Into<String>) -> ConfigError {
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
    /// Shops by id (the `{shop}` in every URL and the widget's `data-shop`).
    #[serde(default)]
    pub shops: BTreeMap<String, ShopConfig>,
}

/// `[demo]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoConfig {
    /// Turns demo mode on. Default `false`.
    #[serde(default)]
    pub enabled: bool,
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
            customer_id: default_demo_customer(),
            customer_name: default_demo_name(),
        }
    }
}

fn default_demo_customer() -> String {
    "c-1001".into()
}

fn default_demo_name() -> String {
    "Lin Mei".into()
}

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
    /// The loyalty programme.
    pub loyalty: LoyaltyConfig,
    /// Outbound webhooks to the shop's backend; none when absent.
    #[serde(default)]
    pub webhooks: Option<WebhooksConfig>,
}

/// The outbound webhook event types.
pub const WEBHOOK_EVENTS: [&str; 5] = [
    "reward.redeemed",
    "tier.changed",
    "points.expiring",
    "preferences.changed",
    "punch_card.completed",
];

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
    fn validate(&self, shop: &str) -> Result<(), ConfigError> {
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

fn default_rate_limit() -> u32 {
    120
}

/// `[shops.<id>.loyalty]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoyaltyConfig {
    /// Points per whole currency unit of a paid order. Default 1.
    #[serde(default = "default_points_per_unit")]
    pub points_per_unit: i64,
    /// Prefix of discount codes, 1–12 uppercase letters or digits.
    pub code_prefix: String,
    /// Days a discount code stays valid. Default 30.
    #[serde(default = "default_code_valid_days")]
    pub code_valid_days: i64,
    /// Where to send shoppers who want to join.
    #[serde(default)]
    pub join_url: Option<String>,
    /// Where to send shoppers who want to sign in.
    #[serde(default)]
    pub signin_url: Option<String>,
    /// What tier thresholds measure: `points_earned` (default) or `money_spent`.
    #[serde(default)]
    pub tier_basis: TierBasis,
    /// The period whose total decides the tier: `lifetime` (default), `calendar_year`
    /// or `rolling_12_months`.
    #[serde(default)]
    pub tier_window: TierWindow,
    /// The tier ladder, lowest first.
    #[serde(default)]
    pub tiers: Vec<TierConfig>,
    /// Rewards points can buy.
    #[serde(default)]
    pub rewards: Vec<RewardConfig>,
    /// Products some tiers may see before everyone.
    #[serde(default)]
    pub early_access: Vec<EarlyAccessConfig>,
    /// Punch cards: every qualifying paid order stamps them; a full card gives a reward.
    #[serde(default)]
    pub punch_cards: Vec<PunchCardConfig>,
    /// Days after which earned points expire, 1–3650; `None` (absent) means never.
    #[serde(default)]
    pub points_expire_after_days: Option<i64>,
    /// Things the shop's backend rewards besides orders (sign-up, review, …).
    #[serde(default)]
    pub actions: Vec<ActionConfig>,
    /// Points given once a year on the shopper's birthday, at least 1; absent means no
    /// birthday reward.
    #[serde(default)]
    pub birthday_points: Option<i64>,
    /// The birthday reward's name in the history; default "Birthday gift".
    #[serde(default)]
    pub birthday_name: Option<TextConfig>,
    /// Points given once a year on the anniversary of the shopper's first paid order, at
    /// least 1; absent means no anniversary reward.
    #[serde(default)]
    pub anniversary_points: Option<i64>,
    /// The anniversary reward's name in the history; default "Anniversary gift".
    #[serde(default)]
    pub anniversary_name: Option<TextConfig>,
}

/// The `action_id` of birthday rewards in the ledger; no configured action may use it.
pub const BIRTHDAY_ACTION_ID: &str = "birthday";

/// The `action_id` of first-purchase anniversary rewards in the ledger; no configured
/// action may use it.
pub const ANNIVERSARY_ACTION_ID: &str = "anniversary";

impl LoyaltyConfig {
    /// The birthday reward's name: `birthday_name`, or "Birthday gift" in each locale.
    pub fn birthday_name(&self) -> LocalizedText {
        self.birthday_name
            .as_ref()
            .map_or_else(default_birthday_name, LocalizedText::from)
    }

    /// The anniversary reward's name: `anniversary_name`, or "Anniversary gift" in each
    /// locale.
    pub fn anniversary_name(&self) -> LocalizedText {
        self.anniversary_name
            .as_ref()
            .map_or_else(default_anniversary_name, LocalizedText::from)
    }
}

fn default_anniversary_name() -> LocalizedText {
    LocalizedText {
        en: "Anniversary gift".into(),
        zh_hans: Some("周年礼物".into()),
        zh_hant: Some("週年禮物".into()),
    }
}

fn default_birthday_name() -> LocalizedText {
    LocalizedText {
        en: "Birthday gift".into(),
        zh_hans: Some("生日礼物".into()),
        zh_hant: Some("生日禮物".into()),
    }
}

fn default_points_per_unit() -> i64 {
    1
}

fn default_code_valid_days() -> i64 {
    30
}

/// `[[shops.<id>.loyalty.tiers]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierConfig {
    /// Stable id.
    pub id: String,
    /// Qualifying total needed: points, or minor units with `tier_basis = "money_spent"`.
    pub threshold: i64,
    /// Name in each locale.
    pub name: TextConfig,
    /// Points earned on orders as a multiple of the programme's rate, 1.0–10.0 with at
    /// most two decimals (`1.25`). Default 1 (no bonus).
    #[serde(default)]
    pub points_multiplier: Option<f64>,
    /// Extra points added to the birthday reward, 0 or more. Default 0.
    #[serde(default)]
    pub birthday_bonus: i64,
    /// Every order of members ships free (the shop's checkout applies it). Default false.
    #[serde(default)]
    pub free_shipping: bool,
}

/// `points_multiplier` in percent (`1.25` → 125), or `None` outside 1.0–10.0 or with
/// more than two decimals.
pub fn multiplier_percent(multiplier: f64) -> Option<u32> {
    if !multiplier.is_finite() || !(1.0..=10.0).contains(&multiplier) {
        return None;
    }
    let hundredths = (multiplier * 100.0).round();
    if (multiplier * 100.0 - hundredths).abs() > 1e-6 {
        return None;
    }
    // 100.0..=1000.0 after the range check, so the conversion is exact.
    Some(hundredths as u32)
}

/// A signed-in shopper, for [`ShopConfig::rewards`].
#[derive(Debug, Clone, Copy)]
pub struct Viewer<'a> {
    /// Their spendable points.
    pub balance: i64,
    /// The tier they hold.
    pub tier: Option<&'a str>,
}

impl RewardConfig {
    /// Whether a shopper holding `tier` may redeem it `today`
    /// (`comeback_core::rewards::eligible`).
    pub fn eligible(&self, tier: Option<&str>, today: Date) -> bool {
        comeback_core::rewards::eligible(&self.tiers, self.early_access_until, tier, today)
    }
}

impl TierConfig {
    /// The tier's perks, with `exclusive_rewards` the given reward ids.
    pub fn perks(&self, exclusive_rewards: Vec<String>) -> TierPerks {
        TierPerks {
            points_multiplier_percent: self
                .points_multiplier
                .and_then(multiplier_percent)
                .unwrap_or(100),
            birthday_bonus: self.birthday_bonus,
            free_shipping: self.free_shipping,
            exclusive_rewards,
        }
    }
}

/// `[[shops.<id>.loyalty.rewards]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RewardConfig {
    /// Stable id, sent by the widget to redeem.
    pub id: String,
    /// `amount_off`, `percent_off`, `free_shipping`, `free_product` or
    /// `points_at_checkout`.
    pub kind: RewardKind,
    /// Minor units for `amount_off`, percent for `percent_off`, minor units off per
    /// `cost` points for `points_at_checkout`; unused otherwise.
    #[serde(default)]
    pub value: i64,
    /// Points it costs, at least 1 (for `points_at_checkout`, the points of one step).
    /// Absent for a reward only punch cards give: it is not listed among the rewards and
    /// cannot be redeemed with points.
    #[serde(default)]
    pub cost: Option<i64>,
    /// Name in each locale.
    pub name: TextConfig,
    /// The product given, required for `free_product` (and only allowed there).
    #[serde(default)]
    pub product_id: Option<String>,
    /// Most points one `points_at_checkout` redemption may spend, a positive multiple
    /// of `cost`; absent means the whole balance.
    #[serde(default)]
    pub max_points: Option<i64>,
    /// Tiers whose members may redeem it; empty (default) for everyone.
    #[serde(default)]
    pub tiers: Vec<String>,
    /// With `tiers`: the restriction only lasts through this day (`"2027-03-01"`), then
    /// everyone may redeem it.
    #[serde(default)]
    pub early_access_until: Option<Date>,
}

/// `[[shops.<id>.loyalty.punch_cards]]`: "buy 6, the 7th is free".
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PunchCardConfig {
    /// Stable id, 1–64 of `[A-Za-z0-9_-]`.
    pub id: String,
    /// What the card is, shown to shoppers.
    pub name: TextConfig,
    /// Stamps that fill a card, at least 1.
    pub required: u32,
    /// The reward a full card gives (a reward id; it may have no `cost`).
    pub reward: String,
    /// Least order total, in minor units, that earns a stamp. Default: any.
    #[serde(default)]
    pub min_spend: Option<i64>,
    /// Products of which an order must hold one to earn a stamp. Default: any order.
    #[serde(default)]
    pub product_ids: Vec<String>,
    /// Days a card has to be filled, counting its first stamp. Default: no limit.
    #[serde(default)]
    pub window_days: Option<u32>,
}

impl PunchCardConfig {
    /// The card as `comeback_core::punch_card` takes it.
    pub fn rule(&self) -> PunchCardRule {
        PunchCardRule {
            id: self.id.clone(),
            required: self.required,
            min_spend: self.min_spend,
            product_ids: self.product_ids.clone(),
            window_days: self.window_days,
        }
    }
}

/// `[[shops.<id>.loyalty.early_access]]`: products some tiers see before everyone.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EarlyAccessConfig {
    /// The shop's product ids, at least one.
    pub product_ids: Vec<String>,
    /// Tiers whose members see them early, at least one.
    pub tiers: Vec<String>,
    /// Last day of the early access, `"2027-03-01"`.
    pub until: Date,
}

/// `[[shops.<id>.loyalty.actions]]`: an earning action the shop's backend reports with
/// `POST /admin/customers/{customer_id}/actions`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionConfig {
    /// Stable id, sent by the shop's backend, 1–64 of `[A-Za-z0-9_-]`.
    pub id: String,
    /// Points per award, at least 1.
    pub points: i64,
    /// What the shopper does, shown in "ways to earn" and in the history.
    pub name: TextConfig,
    /// At most one award per reference (the shop's order id, product id, `signup`, …).
    /// Default `false`.
    #[serde(default)]
    pub once_per_reference: bool,
    /// At most one award per calendar year (UTC). Default `false`.
    #[serde(default)]
    pub once_per_year: bool,
    /// Most points per UTC day, at least 1; the award that reaches it is trimmed.
    /// Absent means no cap.
    #[serde(default)]
    pub daily_cap: Option<i64>,
}

impl ActionConfig {
    /// The limits as `comeback_core::earning` checks them.
    pub fn limit(&self) -> EarnLimit {
        EarnLimit {
            once_per_order: self.once_per_reference,
            once_per_year: self.once_per_year,
            daily_cap: self.daily_cap,
        }
    }
}

/// Text in each shipped locale (`en` required). A strict twin of [`LocalizedText`] so
/// a misspelt locale key is an error instead of a silently missing translation.
#[derive(Debug, Clone, Deserialize)]
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
        Config::parse(&text).map_err(|error| match error {
            ConfigError::Parse { message, .. } => ConfigError::Parse {
                path: path.to_owned(),
                message,
            },
            other => other,
        })
    }

    /// Parses and validates config text.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|error| ConfigError::Parse {
            path: PathBuf::from("<text>"),
            message: error.to_string(),
        })?;
        config.validate()?;
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
        for (id, shop) in &self.shops {
            shop.validate(id)?;
        }
        Ok(())
    }

    /// The shop with this id.
    pub fn shop(&self, id: &str) -> Option<&ShopConfig> {
        self.shops.get(id)
    }
}

/// Whether `value` can be a shop's product id: 1–128 characters, not blank, no control
/// characters (the rule of ids in webhooks).
fn is_valid_product(value: &str) -> bool {
    !value.trim().is_empty() && value.len() <= 128 && !value.chars().any(char::is_control)
}

/// Whether `value` is 1 to `max` characters of `[A-Za-z0-9_-]`.
pub fn is_valid_id(value: &str, max: usize) -> bool {
    (1..=max).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

impl ShopConfig {
    fn validate(&self, id: &str) -> Result<(), ConfigError> {
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
        if let Some(webhooks) = &self.webhooks {
            webhooks.validate(id)?;
        }
        self.loyalty.validate(id)
    }

    /// Minor-unit digits of the shop's currency (validated at load).
    pub fn currency_exponent(&self) -> u32 {
        comeback_core::money::currency_exponent(&self.currency).unwrap_or(2)
    }

    /// The reward with this id.
    pub fn reward(&self, id: &str) -> Option<&RewardConfig> {
        self.loyalty.rewards.iter().find(|reward| reward.id == id)
    }

    /// The earning action with this id.
    pub fn action(&self, id: &str) -> Option<&ActionConfig> {
        self.loyalty.actions.iter().find(|action| action.id == id)
    }

    /// The tier ladder as the wire type, with each tier's perks.
    pub fn tiers(&self) -> Vec<Tier> {
        self.loyalty.ladder()
    }

    /// Every reward as `viewer` sees it `today`: affordable when their balance covers
    /// it, eligible when their tier may redeem it. `None` is a signed-out shopper (no
    /// balance, no tier).
    pub fn rewards(&self, viewer: Option<Viewer<'_>>, today: Date) -> Vec<RewardView> {
        self.loyalty
            .rewards
            .iter()
            .filter_map(|reward| Some((reward, reward.cost?)))
            .map(|(reward, cost)| RewardView {
                id: reward.id.clone(),
                name: (&reward.name).into(),
                kind: reward.kind,
                value: reward.value,
                cost,
                affordable: viewer.is_some_and(|viewer| {
                    comeback_core::ledger::spend(viewer.balance, cost).is_ok()
                }),
                product_id: reward.product_id.clone(),
                max_points: reward.max_points,
                tiers: reward.tiers.clone(),
                early_access_until: reward.early_access_until,
                eligible: reward.eligible(viewer.and_then(|viewer| viewer.tier), today),
            })
            .collect()
    }

    /// The shop's punch cards with `progress` (by card id; a card missing from it is
    /// empty).
    pub fn punch_cards(&self, progress: &[(String, PunchCardProgress)]) -> Vec<PunchCardView> {
        self.loyalty
            .punch_cards
            .iter()
            .map(|card| {
                let stamps = progress
                    .iter()
                    .find(|(id, _)| *id == card.id)
                    .map(|(_, progress)| progress);
                PunchCardView {
                    id: card.id.clone(),
                    name: (&card.name).into(),
                    reward_id: card.reward.clone(),
                    reward_name: self
                        .reward(&card.reward)
                        .map_or_else(|| LocalizedText::en(&card.reward), |r| (&r.name).into()),
                    required: card.required,
                    filled: stamps.map_or(0, |stamps| stamps.filled),
                    rewards_earned: stamps.map_or(0, |stamps| stamps.rewards_earned),
                    min_spend: card.min_spend,
                    window_days: card.window_days,
                    complete_by: stamps.and_then(|stamps| stamps.complete_by),
                }
            })
            .collect()
    }

    /// The punch cards with their rewards, as the order webhook stamps them.
    pub fn punch_card_setups(&self) -> Vec<crate::store::PunchCardSetup<'_>> {
        self.loyalty
            .punch_cards
            .iter()
            .filter_map(|card| {
                Some(crate::store::PunchCardSetup {
                    rule: card.rule(),
                    reward: self.reward(&card.reward)?,
                })
            })
            .collect()
    }

    /// The early-access products a shopper holding `tier` may already see `today`.
    pub fn early_access_products(&self, tier: Option<&str>, today: Date) -> Vec<String> {
        let rules: Vec<EarlyAccess> = self
            .loyalty
            .early_access
            .iter()
            .map(|rule| EarlyAccess {
                product_ids: rule.product_ids.clone(),
                tiers: rule.tiers.clone(),
                until: rule.until,
            })
            .collect();
        comeback_core::rewards::early_access_products(&rules, tier, today)
    }

    /// How points are earned: orders first, then each action in configured order, then
    /// the birthday and the first-purchase anniversary when the shop rewards them.
    pub fn ways_to_earn(&self) -> Vec<WayToEarn> {
        let order = WayToEarn::Order {
            points_per_unit: self.loyalty.points_per_unit,
        };
        let actions = self.loyalty.actions.iter().map(|action| WayToEarn::Action {
            id: action.id.clone(),
            name: (&action.name).into(),
            points: action.points,
        });
        let birthday = self
            .loyalty
            .birthday_points
            .map(|points| WayToEarn::Birthday { points });
        let anniversary = self
            .loyalty
            .anniversary_points
            .map(|points| WayToEarn::Anniversary { points });
        std::iter::once(order)
            .chain(actions)
            .chain(birthday)
            .chain(anniversary)
            .collect()
    }

    /// The public programme, as of `today`.
    pub fn programme(&self, today: Date) -> ProgrammeView {
        ProgrammeView {
            shop_name: self.name.clone(),
            currency: self.currency.clone(),
            tiers: self.tiers(),
            tier_basis: self.loyalty.tier_basis,
            tier_window: self.loyalty.tier_window,
            punch_cards: self.punch_cards(&[]),
            rewards: self.rewards(None, today),
            ways_to_earn: self.ways_to_earn(),
            join_url: self.loyalty.join_url.clone(),
            signin_url: self.loyalty.signin_url.clone(),
        }
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

impl LoyaltyConfig {
    /// The tier ladder as the wire type, with each tier's perks.
    pub fn ladder(&self) -> Vec<Tier> {
        self.tiers
            .iter()
            .map(|tier| Tier {
                id: tier.id.clone(),
                name: (&tier.name).into(),
                threshold: tier.threshold,
                perks: tier.perks(
                    self.rewards
                        .iter()
                        .filter(|reward| reward.cost.is_some() && reward.tiers.contains(&tier.id))
                        .map(|reward| reward.id.clone())
                        .collect(),
                ),
            })
            .collect()
    }

    fn validate(&self, shop: &str) -> Result<(), ConfigError> {
        let key = |name: &str| format!("shops.{shop}.loyalty.{name}");
        if self.points_per_unit < 1 {
            return Err(invalid(key("points_per_unit"), "must be at least 1"));
        }
        if !comeback_core::code::is_valid_prefix(&self.code_prefix) {
            return Err(invalid(
                key("code_prefix"),
                format!(
                    "`{}` must be 1-12 uppercase letters or digits",
                    self.code_prefix
                ),
            ));
        }
        if !(1..=3650).contains(&self.code_valid_days) {
            return Err(invalid(key("code_valid_days"), "must be 1 to 3650"));
        }
        if self
            .points_expire_after_days
            .is_some_and(|days| !(1..=3650).contains(&days))
        {
            return Err(invalid(
                key("points_expire_after_days"),
                "must be 1 to 3650 (leave it out for points that never expire)",
            ));
        }
        if self.birthday_points.is_some_and(|points| points < 1) {
            return Err(invalid(
                key("birthday_points"),
                "must be at least 1 point (leave it out for no birthday reward)",
            ));
        }
        if self
            .birthday_name
            .as_ref()
            .is_some_and(|name| name.en.trim().is_empty())
        {
            return Err(invalid(key("birthday_name.en"), "must not be empty"));
        }
        if self.anniversary_points.is_some_and(|points| points < 1) {
            return Err(invalid(
                key("anniversary_points"),
                "must be at least 1 point (leave it out for no anniversary reward)",
            ));
        }
        if self
            .anniversary_name
            .as_ref()
            .is_some_and(|name| name.en.trim().is_empty())
        {
            return Err(invalid(key("anniversary_name.en"), "must not be empty"));
        }
        for (index, tier) in self.tiers.iter().enumerate() {
            let at = |name: &str| format!("shops.{shop}.loyalty.tiers[{index}].{name}");
            if tier.name.en.trim().is_empty() {
                return Err(invalid(at("name.en"), "must not be empty"));
            }
            if let Some(multiplier) = tier.points_multiplier {
                if multiplier_percent(multiplier).is_none() {
                    return Err(invalid(
                        at("points_multiplier"),
                        format!("`{multiplier}` must be 1.0 to 10.0 with at most two decimals, such as 1.25"),
                    ));
                }
            }
            if tier.birthday_bonus < 0 {
                return Err(invalid(at("birthday_bonus"), "must be 0 or more points"));
            }
        }
        comeback_core::tier::validate_ladder(&self.ladder())
            .map_err(|message| invalid(key("tiers"), message))?;
        // Cards first: a reward without a cost is only valid as a card's.
        self.validate_punch_cards(shop)?;
        let mut seen = HashSet::new();
        for (index, reward) in self.rewards.iter().enumerate() {
            let at = |name: &str| format!("shops.{shop}.loyalty.rewards[{index}].{name}");
            if !is_valid_id(&reward.id, 64) {
                return Err(invalid(
                    at("id"),
                    "must be 1-64 characters of A-Z, a-z, 0-9, `_` or `-`",
                ));
            }
            if !seen.insert(reward.id.as_str()) {
                return Err(invalid(
                    at("id"),
                    format!("reward id `{}` is used twice", reward.id),
                ));
            }
            match reward.cost {
                Some(cost) if cost < 1 => {
                    return Err(invalid(at("cost"), "must be at least 1 point"));
                }
                None if reward.kind == RewardKind::PointsAtCheckout => {
                    return Err(invalid(
                        at("cost"),
                        "a points_at_checkout reward needs `cost`, the points of one step",
                    ));
                }
                None if !self.punch_cards.iter().any(|card| card.reward == reward.id) => {
                    return Err(invalid(
                        at("cost"),
                        "must be at least 1 point (leave it out only for a reward a punch card gives)",
                    ));
                }
                _ => {}
            }
            if reward.name.en.trim().is_empty() {
                return Err(invalid(at("name.en"), "must not be empty"));
            }
            match reward.kind {
                RewardKind::PercentOff if !(1..=100).contains(&reward.value) => {
                    return Err(invalid(at("value"), "a percent_off value must be 1 to 100"));
                }
                RewardKind::AmountOff if reward.value < 1 => {
                    return Err(invalid(
                        at("value"),
                        "an amount_off value must be at least 1 (minor units)",
                    ));
                }
                RewardKind::PointsAtCheckout if reward.value < 1 => {
                    return Err(invalid(
                        at("value"),
                        "a points_at_checkout value must be at least 1 (minor units off per `cost` points)",
                    ));
                }
                _ => {}
            }
            self.validate_reward_extras(shop, index, reward)?;
        }
        self.validate_early_access(shop)?;
        self.validate_actions(shop)
    }

    fn validate_punch_cards(&self, shop: &str) -> Result<(), ConfigError> {
        let mut seen = HashSet::new();
        for (index, card) in self.punch_cards.iter().enumerate() {
            let at = |name: &str| format!("shops.{shop}.loyalty.punch_cards[{index}].{name}");
            if !is_valid_id(&card.id, 64) {
                return Err(invalid(
                    at("id"),
                    "must be 1-64 characters of A-Z, a-z, 0-9, `_` or `-`",
                ));
            }
            if !seen.insert(card.id.as_str()) {
                return Err(invalid(
                    at("id"),
                    format!("punch card id `{}` is used twice", card.id),
                ));
            }
            if card.name.en.trim().is_empty() {
                return Err(invalid(at("name.en"), "must not be empty"));
            }
            comeback_core::punch_card::validate(&card.rule()).map_err(|message| {
                let field = match () {
                    () if card.required == 0 => "required",
                    () if card.min_spend.is_some_and(|min| min < 0) => "min_spend",
                    () if card.window_days == Some(0) => "window_days",
                    () => "product_ids",
                };
                invalid(at(field), message)
            })?;
            if let Some(position) = card
                .product_ids
                .iter()
                .position(|product| !is_valid_product(product))
            {
                return Err(invalid(
                    at(&format!("product_ids[{position}]")),
                    "must be 1-128 characters without control characters",
                ));
            }
            let Some(reward) = self.rewards.iter().find(|reward| reward.id == card.reward) else {
                return Err(invalid(
                    at("reward"),
                    format!("there is no reward `{}` in this programme", card.reward),
                ));
            };
            if reward.kind == RewardKind::PointsAtCheckout {
                return Err(invalid(
                    at("reward"),
                    "a punch card cannot give a points_at_checkout reward (it has no fixed value)",
                ));
            }
        }
        Ok(())
    }

    /// `product_id`, `max_points`, `tiers` and `early_access_until` of a reward.
    fn validate_reward_extras(
        &self,
        shop: &str,
        index: usize,
        reward: &RewardConfig,
    ) -> Result<(), ConfigError> {
        let at = |name: &str| format!("shops.{shop}.loyalty.rewards[{index}].{name}");
        match (&reward.product_id, reward.kind) {
            (None, RewardKind::FreeProduct) => {
                return Err(invalid(
                    at("product_id"),
                    "a free_product reward needs the product it gives",
                ));
            }
            (Some(product), RewardKind::FreeProduct) if !is_valid_product(product) => {
                return Err(invalid(
                    at("product_id"),
                    "must be 1-128 characters without control characters",
                ));
            }
            (Some(_), kind) if kind != RewardKind::FreeProduct => {
                return Err(invalid(
                    at("product_id"),
                    "only free_product rewards name a product",
                ));
            }
            _ => {}
        }
        if let Some(max) = reward.max_points {
            if reward.kind != RewardKind::PointsAtCheckout {
                return Err(invalid(
                    at("max_points"),
                    "only points_at_checkout rewards have a maximum",
                ));
            }
            let cost = reward.cost.unwrap_or(1).max(1);
            if max < cost || max % cost != 0 {
                return Err(invalid(
                    at("max_points"),
                    format!("must be a positive multiple of `cost` ({cost})"),
                ));
            }
        }
        for (tier_index, tier) in reward.tiers.iter().enumerate() {
            if !self.tiers.iter().any(|known| &known.id == tier) {
                return Err(invalid(
                    at(&format!("tiers[{tier_index}]")),
                    format!("there is no tier `{tier}` in the ladder"),
                ));
            }
        }
        if reward.early_access_until.is_some() && reward.tiers.is_empty() {
            return Err(invalid(
                at("early_access_until"),
                "early access needs `tiers`: the members who may redeem it first",
            ));
        }
        Ok(())
    }

    fn validate_early_access(&self, shop: &str) -> Result<(), ConfigError> {
        for (index, rule) in self.early_access.iter().enumerate() {
            let at = |name: &str| format!("shops.{shop}.loyalty.early_access[{index}].{name}");
            if rule.product_ids.is_empty() {
                return Err(invalid(at("product_ids"), "must list at least one product"));
            }
            if let Some(position) = rule
                .product_ids
                .iter()
                .position(|product| !is_valid_product(product))
            {
                return Err(invalid(
                    at(&format!("product_ids[{position}]")),
                    "must be 1-128 characters without control characters",
                ));
            }
            if rule.tiers.is_empty() {
                return Err(invalid(at("tiers"), "must list at least one tier"));
            }
            for (tier_index, tier) in rule.tiers.iter().enumerate() {
                if !self.tiers.iter().any(|known| &known.id == tier) {
                    return Err(invalid(
                        at(&format!("tiers[{tier_index}]")),
                        format!("there is no tier `{tier}` in the ladder"),
                    ));
                }
            }
        }
        Ok(())
    }

    fn validate_actions(&self, shop: &str) -> Result<(), ConfigError> {
        let mut seen = HashSet::new();
        for (index, action) in self.actions.iter().enumerate() {
            let at = |name: &str| format!("shops.{shop}.loyalty.actions[{index}].{name}");
            if !is_valid_id(&action.id, 64) {
                return Err(invalid(
                    at("id"),
                    "must be 1-64 characters of A-Z, a-z, 0-9, `_` or `-`",
                ));
            }
            if !seen.insert(action.id.as_str()) {
                return Err(invalid(
                    at("id"),
                    format!("action id `{}` is used twice", action.id),
                ));
            }
            if action.id == BIRTHDAY_ACTION_ID {
                return Err(invalid(
                    at("id"),
                    "`birthday` is reserved for the birthday reward (set `birthday_points`)",
                ));
            }
            if action.id == ANNIVERSARY_ACTION_ID {
                return Err(invalid(
                    at("id"),
                    "`anniversary` is reserved for the first-purchase anniversary reward (set `anniversary_points`)",
                ));
            }
            if action.points < 1 {
                return Err(invalid(at("points"), "must be at least 1 point"));
            }
            if action.name.en.trim().is_empty() {
                return Err(invalid(at("name.en"), "must not be empty"));
            }
            if action.daily_cap.is_some_and(|cap| cap < 1) {
                return Err(invalid(
                    at("daily_cap"),
                    "must be at least 1 point (leave it out for no cap)",
                ));
            }
        }
        Ok(())
    }
}

/// Process settings from the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `HOST`, default `127.0.0.1`.
    pub host: String,
    /// `PORT`, default 8080.
    pub port: u16,
    /// `DATABASE_URL`, default `sqlite://data/comeback.db`.
    pub database_url: String,
    /// `COMEBACK_WWW_DIR`, default `www`: served at `/` when it exists.
    pub www_dir: PathBuf,
    /// `COMEBACK_BUNDLE_DIR`, default `pkg`: served at `/comeback/`.
    pub bundle_dir: PathBuf,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            host: "127.0.0.1".into(),
            port: 8080,
            database_url: "sqlite://data/comeback.db".into(),
            www_dir: PathBuf::from("www"),
            bundle_dir: PathBuf::from("pkg"),
        }
    }
}

impl Settings {
    /// Reads the environment, falling back to the defaults.
    pub fn from_env() -> Result<Settings, ConfigError> {
        Settings::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
        let defaults = Settings::default();
        let non_empty = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let port = match non_empty("PORT") {
            Some(port) => port
                .trim()
                .parse()
                .map_err(|_| invalid("PORT", format!("`{port}` is not a port number")))?,
            None => defaults.port,
        };
        Ok(Settings {
            host: non_empty("HOST").unwrap_or(defaults.host),
            port,
            database_url: non_empty("DATABASE_URL").unwrap_or(defaults.database_url),
            www_dir: non_empty("COMEBACK_WWW_DIR").map_or(defaults.www_dir, PathBuf::from),
            bundle_dir: non_empty("COMEBACK_BUNDLE_DIR").map_or(defaults.bundle_dir, PathBuf::from),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[demo]
enabled = true

[shops.demo]
name = "Cloud & Leaf Tea"
secret = "0123456789abcdef0123456789abcdef"
allowed_origins = ["http://127.0.0.1:8080"]
currency = "CNY"

[shops.demo.loyalty]
code_prefix = "TEA"

[[shops.demo.loyalty.tiers]]
id = "leaf"
threshold = 0
name = { en = "Green Leaf", "zh-Hans" = "青叶" }

[[shops.demo.loyalty.tiers]]
id = "bud"
threshold = 500
name = { en = "Bud" }

[[shops.demo.loyalty.rewards]]
id = "off-10"
kind = "amount_off"
value = 1000
cost = 500
name = { en = "¥10 off" }
"#;

    fn error_of(text: &str) -> String {
        Config::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn the_readme_worked_example_is_a_valid_programme() {
        let readme = include_str!("../../README.md");
        let start = readme
            .find("```toml\n[shops.tea]")
            .expect("the README's worked example")
            + "```toml\n".len();
        let end = start + readme[start..].find("```").expect("the example's end");
        let config = Config::parse(&readme[start..end]).expect("a valid configuration");
        let shop = config.shop("tea").expect("the tea shop");
        assert_eq!(shop.loyalty.punch_cards.len(), 1);
        assert_eq!(shop.tiers()[1].perks.points_multiplier_percent, 150);
    }

    #[test]
    fn a_good_config_loads_with_defaults() {
        let config = Config::parse(GOOD).unwrap();
        assert!(config.demo.enabled);
        assert_eq!(config.demo.customer_id, "c-1001");
        let shop = config.shop("demo").unwrap();
        assert_eq!(shop.rate_limit_per_minute, 120);
        assert_eq!(shop.loyalty.points_per_unit, 1);
        assert_eq!(shop.loyalty.code_valid_days, 30);
        assert_eq!(shop.loyalty.points_expire_after_days, None);
        assert_eq!(shop.currency_exponent(), 2);
        assert_eq!(shop.tiers()[0].name.zh_hans.as_deref(), Some("青叶"));
        let today = Date::parse("2027-03-01").unwrap();
        let viewer = |balance| {
            Some(Viewer {
                balance,
                tier: None,
            })
        };
        assert!(shop.rewards(viewer(500), today)[0].affordable);
        assert!(!shop.rewards(viewer(499), today)[0].affordable);
    }

    #[test]
    fn the_demo_config_in_the_repository_is_valid() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../comeback.demo.toml");
        let config = Config::load(&path).unwrap();
        assert!(config.demo.enabled);
        let shop = config.shop("demo").unwrap();
        assert_eq!(shop.loyalty.points_expire_after_days, Some(365));
        let review = shop.action("review").unwrap();
        assert_eq!((review.points, review.daily_cap), (50, Some(150)));
        assert!(shop.action("signup").unwrap().once_per_reference);
        assert_eq!(shop.loyalty.birthday_points, Some(200));
        assert_eq!(shop.loyalty.birthday_name().en, "Birthday gift");
        assert_eq!(shop.loyalty.tier_window, TierWindow::CalendarYear);
        assert_eq!(shop.loyalty.anniversary_points, Some(100));
        assert_eq!(shop.tiers()[2].perks.points_multiplier_percent, 150);
        assert_eq!(
            shop.punch_card_setups()[0].reward.kind,
            RewardKind::FreeProduct
        );
        assert_eq!(
            shop.reward("pay-with-points").unwrap().max_points,
            Some(5000)
        );
    }

    #[test]
    fn birthday_reward_is_optional_and_checked() {
        let shop_of = |text: &str| {
            Config::parse(text).map(|config| config.shop("demo").unwrap().loyalty.clone())
        };
        let plain = shop_of(GOOD).unwrap();
        assert_eq!(plain.birthday_points, None);
        assert_eq!(plain.birthday_name().zh_hant.as_deref(), Some("生日禮物"));
        let with = |extra: &str| {
            GOOD.replace(
                "code_prefix = \"TEA\"",
                &format!("code_prefix = \"TEA\"\n{extra}"),
            )
        };
        let named = shop_of(&with(
            "birthday_points = 200\nbirthday_name = { en = \"Happy birthday\" }",
        ))
        .unwrap();
        assert_eq!(named.birthday_points, Some(200));
        assert_eq!(named.birthday_name().en, "Happy birthday");
        assert_eq!(named.birthday_name().zh_hans, None);
        assert!(
            error_of(&with("birthday_points = 0")).contains("shops.demo.loyalty.birthday_points")
        );
        assert!(
            error_of(&with("birthday_points = 5\nbirthday_name = { en = \" \" }"))
                .contains("birthday_name.en")
        );
        assert!(error_of(&with("birthday_name = { fr = \"Anniversaire\" }")).contains("fr"));
        assert!(error_of(&with("birthday_pionts = 5")).contains("birthday_pionts"));
    }

    const ACTIONS: &str = r#"
[[shops.demo.loyalty.actions]]
id = "signup"
points = 100
once_per_reference = true
name = { en = "Create an account" }

[[shops.demo.loyalty.actions]]
id = "review"
points = 50
daily_cap = 150
name = { en = "Write a review", "zh-Hans" = "写评价" }
"#;

    fn with_actions(actions: &str) -> String {
        format!("{GOOD}{actions}")
    }

    #[test]
    fn actions_load_with_default_limits_and_follow_the_order_rule() {
        let config = Config::parse(&with_actions(ACTIONS)).unwrap();
        let shop = config.shop("demo").unwrap();
        let signup = shop.action("signup").unwrap();
        assert_eq!(
            signup.limit(),
            EarnLimit {
                once_per_order: true,
                once_per_year: false,
                daily_cap: None,
            }
        );
        assert_eq!(
            shop.action("review").unwrap().limit(),
            EarnLimit {
                once_per_order: false,
                once_per_year: false,
                daily_cap: Some(150),
            }
        );
        assert!(shop.action("nope").is_none());
        let ways = shop.ways_to_earn();
        assert_eq!(ways.len(), 3);
        assert_eq!(ways[0], WayToEarn::Order { points_per_unit: 1 });
        match &ways[2] {
            WayToEarn::Action { id, name, points } => {
                assert_eq!((id.as_str(), *points), ("review", 50));
                assert_eq!(name.zh_hans.as_deref(), Some("写评价"));
            }
            other => panic!("expected an action, got {other:?}"),
        }
        let without = Config::parse(GOOD).unwrap();
        assert_eq!(without.shop("demo").unwrap().ways_to_earn().len(), 1);
    }

    #[test]
    fn bad_actions_are_named() {
        let cases = [
            (
                ACTIONS.replace("id = \"signup\"", "id = \"sign up\""),
                "shops.demo.loyalty.actions[0].id",
                "A-Z",
            ),
            (
                ACTIONS.replace("id = \"review\"", "id = \"signup\""),
                "shops.demo.loyalty.actions[1].id",
                "used twice",
            ),
            (
                ACTIONS.replace("points = 100", "points = 0"),
                "shops.demo.loyalty.actions[0].points",
                "at least 1",
            ),
            (
                ACTIONS.replace("daily_cap = 150", "daily_cap = 0"),
                "shops.demo.loyalty.actions[1].daily_cap",
                "at least 1",
            ),
            (
                ACTIONS.replace("en = \"Create an account\"", "en = \" \""),
                "shops.demo.loyalty.actions[0].name.en",
                "must not be empty",
            ),
        ];
        for (actions, key, message) in cases {
            let error = error_of(&with_actions(&actions));
            assert!(error.contains(key), "expected `{key}` in `{error}`");
            assert!(error.contains(message), "expected `{message}` in `{error}`");
        }
        let long_id = "a".repeat(65);
        let error = error_of(&with_actions(
            &ACTIONS.replace("id = \"signup\"", &format!("id = \"{long_id}\"")),
        ));
        assert!(error.contains("actions[0].id"), "{error}");
    }

    #[test]
    fn actions_reject_unknown_and_missing_keys() {
        let error = error_of(&with_actions(
            &ACTIONS.replace("once_per_reference = true", "once_per_order = true"),
        ));
        assert!(error.contains("once_per_order"), "{error}");
        let error = error_of(&with_actions(&ACTIONS.replace("points = 100\n", "")));
        assert!(error.contains("points"), "{error}");
        let error = error_of(&with_actions(&ACTIONS.replace(
            "name = { en = \"Create an account\" }",
            "name = { fr = \"Créer\" }",
        )));
        assert!(error.contains("fr"), "{error}");
    }

    #[test]
    fn tier_windows_bases_and_perks_load_and_are_checked() {
        let plain = Config::parse(GOOD).unwrap();
        let loyalty = &plain.shop("demo").unwrap().loyalty;
        assert_eq!(
            (loyalty.tier_basis, loyalty.tier_window),
            (TierBasis::PointsEarned, TierWindow::Lifetime)
        );
        assert!(plain.shop("demo").unwrap().tiers()[1].perks.is_empty());
        let text = GOOD
            .replace(
                "code_prefix = \"TEA\"",
                "code_prefix = \"TEA\"\ntier_basis = \"money_spent\"\ntier_window = \"rolling_12_months\"",
            )
            .replace(
                "threshold = 500\n",
                "threshold = 500\npoints_multiplier = 1.25\nbirthday_bonus = 50\nfree_shipping = true\n",
            );
        let config = Config::parse(&text).unwrap();
        let shop = config.shop("demo").unwrap();
        assert_eq!(shop.loyalty.tier_basis, TierBasis::MoneySpent);
        assert_eq!(shop.loyalty.tier_window, TierWindow::Rolling12Months);
        let bud = &shop.tiers()[1].perks;
        assert_eq!(
            (
                bud.points_multiplier_percent,
                bud.birthday_bonus,
                bud.free_shipping
            ),
            (125, 50, true)
        );
        let today = Date::parse("2027-03-01").unwrap();
        assert_eq!(
            shop.programme(today).tier_window,
            TierWindow::Rolling12Months
        );
        let with_bud =
            |extra: &str| GOOD.replace("threshold = 500\n", &format!("threshold = 500\n{extra}\n"));
        for bad in ["0.99", "10.01", "1.255", "-2"] {
            let error = error_of(&with_bud(&format!("points_multiplier = {bad}")));
            assert!(
                error.starts_with("shops.demo.loyalty.tiers[1].points_multiplier"),
                "{error}"
            );
        }
        for good in ["1", "10", "1.5", "2.75"] {
            assert!(Config::parse(&with_bud(&format!("points_multiplier = {good}"))).is_ok());
        }
        assert!(error_of(&with_bud("birthday_bonus = -1"))
            .starts_with("shops.demo.loyalty.tiers[1].birthday_bonus"));
        assert!(error_of(&GOOD.replace(
            "code_prefix = \"TEA\"",
            "code_prefix = \"TEA\"\ntier_window = \"monthly\""
        ))
        .contains("tier_window"));
        assert!(error_of(&with_bud("points_multipler = 2")).contains("points_multipler"));
        assert_eq!(multiplier_percent(1.1), Some(110));
        assert_eq!(multiplier_percent(f64::NAN), None);
    }

    #[test]
    fn anniversary_reward_is_optional_checked_and_reserved() {
        let with = |extra: &str| {
            GOOD.replace(
                "code_prefix = \"TEA\"",
                &format!("code_prefix = \"TEA\"\n{extra}"),
            )
        };
        let config =
            Config::parse(&with("anniversary_points = 100\nbirthday_points = 200")).unwrap();
        let shop = config.shop("demo").unwrap();
        assert_eq!(shop.loyalty.anniversary_name().en, "Anniversary gift");
        let ways = shop.ways_to_earn();
        assert_eq!(
            &ways[1..],
            [
                WayToEarn::Birthday { points: 200 },
                WayToEarn::Anniversary { points: 100 }
            ]
        );
        assert!(error_of(&with("anniversary_points = 0"))
            .starts_with("shops.demo.loyalty.anniversary_points"));
        assert!(error_of(&with(
            "anniversary_points = 5\nanniversary_name = { en = \"\" }"
        ))
        .contains("anniversary_name.en"));
        let reserved = with_actions(&ACTIONS.replace("id = \"review\"", "id = \"anniversary\""));
        let error = error_of(&reserved);
        assert!(
            error.starts_with("shops.demo.loyalty.actions[1].id"),
            "{error}"
        );
        assert!(error.contains("reserved"), "{error}");
    }

    #[test]
    fn reward_kinds_and_access_are_checked() {
        let with = |reward: &str| {
            format!("{GOOD}\n[[shops.demo.loyalty.rewards]]\nid = \"extra\"\nname = {{ en = \"Extra\" }}\n{reward}\n")
        };
        let good = [
            "kind = \"free_product\"\nproduct_id = \"sku-1\"\ncost = 800",
            "kind = \"points_at_checkout\"\ncost = 100\nvalue = 100\nmax_points = 5000",
            "kind = \"points_at_checkout\"\ncost = 100\nvalue = 100",
            "kind = \"free_shipping\"\ncost = 10\ntiers = [\"bud\"]\nearly_access_until = \"2027-03-01\"",
        ];
        for reward in good {
            assert!(Config::parse(&with(reward)).is_ok(), "{reward}");
        }
        let config = Config::parse(&with(good[3])).unwrap();
        let shop = config.shop("demo").unwrap();
        assert_eq!(shop.tiers()[1].perks.exclusive_rewards, ["extra"]);
        assert!(shop.tiers()[0].perks.exclusive_rewards.is_empty());
        let day = |iso: &str| Date::parse(iso).unwrap();
        let extra = shop.reward("extra").unwrap();
        assert!(!extra.eligible(Some("leaf"), day("2027-03-01")));
        assert!(extra.eligible(Some("bud"), day("2027-03-01")));
        assert!(extra.eligible(None, day("2027-03-02")));
        let bad = [
            ("kind = \"free_product\"\ncost = 800", "rewards[1].product_id"),
            ("kind = \"free_product\"\nproduct_id = \" \"\ncost = 800", "rewards[1].product_id"),
            ("kind = \"amount_off\"\nvalue = 5\nproduct_id = \"sku-1\"\ncost = 800", "rewards[1].product_id"),
            ("kind = \"points_at_checkout\"\ncost = 100", "rewards[1].value"),
            ("kind = \"points_at_checkout\"\ncost = 100\nvalue = 1\nmax_points = 150", "rewards[1].max_points"),
            ("kind = \"points_at_checkout\"\ncost = 100\nvalue = 1\nmax_points = 0", "rewards[1].max_points"),
            ("kind = \"free_shipping\"\ncost = 100\nmax_points = 200", "rewards[1].max_points"),
            ("kind = \"free_shipping\"\ncost = 1\ntiers = [\"gold\"]", "rewards[1].tiers[0]"),
            ("kind = \"free_shipping\"\ncost = 1\nearly_access_until = \"2027-03-01\"", "rewards[1].early_access_until"),
            ("kind = \"free_shipping\"\ncost = 1\ntiers = [\"bud\"]\nearly_access_until = \"2027-02-30\"", "early_access_until"),
        ];
        for (reward, key) in bad {
            let error = error_of(&with(reward));
            assert!(error.contains(key), "{reward}: {error}");
        }
        let early = |table: &str| format!("{GOOD}\n[[shops.demo.loyalty.early_access]]\n{table}\n");
        let config = Config::parse(&early(
            "product_ids = [\"a\", \"b\"]\ntiers = [\"bud\"]\nuntil = \"2027-03-01\"",
        ))
        .unwrap();
        let shop = config.shop("demo").unwrap();
        assert_eq!(
            shop.early_access_products(Some("bud"), day("2027-03-01")),
            ["a", "b"]
        );
        assert!(shop
            .early_access_products(Some("leaf"), day("2027-03-01"))
            .is_empty());
        for (table, key) in [
            (
                "product_ids = []\ntiers = [\"bud\"]\nuntil = \"2027-03-01\"",
                "early_access[0].product_ids",
            ),
            (
                "product_ids = [\"a\"]\ntiers = []\nuntil = \"2027-03-01\"",
                "early_access[0].tiers",
            ),
            (
                "product_ids = [\"a\"]\ntiers = [\"gold\"]\nuntil = \"2027-03-01\"",
                "early_access[0].tiers[0]",
            ),
            ("product_ids = [\"a\"]\ntiers = [\"bud\"]", "until"),
        ] {
            let error = error_of(&early(table));
            assert!(error.contains(key), "{table}: {error}");
        }
    }

    #[test]
    fn punch_cards_load_and_bad_ones_are_named() {
        let card_only = "[[shops.demo.loyalty.rewards]]\nid = \"free-tea\"\nkind = \"free_product\"\nproduct_id = \"tea\"\nname = { en = \"Free tea\" }\n";
        let with = |card: &str| {
            format!("{GOOD}\n{card_only}\n[[shops.demo.loyalty.punch_cards]]\nname = {{ en = \"Card\" }}\n{card}\n")
        };
        let config = Config::parse(&with("id = \"teas\"\nrequired = 5\nreward = \"free-tea\"\nmin_spend = 1000\nproduct_ids = [\"tea-1\"]\nwindow_days = 90")).unwrap();
        let shop = config.shop("demo").unwrap();
        let today = Date::parse("2027-03-01").unwrap();
        assert!(shop
            .rewards(None, today)
            .iter()
            .all(|reward| reward.id != "free-tea"));
        let cards = shop.punch_cards(&[]);
        assert_eq!(
            (
                cards[0].required,
                cards[0].filled,
                cards[0].reward_name.en.as_str()
            ),
            (5, 0, "Free tea")
        );
        assert_eq!(shop.punch_card_setups()[0].rule.window_days, Some(90));
        for (card, key) in [
            (
                "id = \"teas\"\nrequired = 0\nreward = \"free-tea\"",
                "punch_cards[0].required",
            ),
            (
                "id = \"teas\"\nrequired = 5\nreward = \"nope\"",
                "punch_cards[0].reward",
            ),
            (
                "id = \"te as\"\nrequired = 5\nreward = \"free-tea\"",
                "punch_cards[0].id",
            ),
            (
                "id = \"teas\"\nrequired = 5\nreward = \"free-tea\"\nmin_spend = -1",
                "punch_cards[0].min_spend",
            ),
            (
                "id = \"teas\"\nrequired = 5\nreward = \"free-tea\"\nwindow_days = 0",
                "punch_cards[0].window_days",
            ),
            (
                "id = \"teas\"\nrequired = 5\nreward = \"free-tea\"\nproduct_ids = [\"\"]",
                "punch_cards[0].product_ids",
            ),
        ] {
            let error = error_of(&with(card));
            assert!(error.contains(key), "{card}: {error}");
        }
        // A reward without a cost must be a card's.
        let error = error_of(&format!("{GOOD}\n{card_only}"));
        assert!(error.contains("rewards[1].cost"), "{error}");
    }

    #[test]
    fn points_expiry_accepts_the_documented_range() {
        for days in [1, 365, 3650] {
            let text = GOOD.replace(
                "code_prefix = \"TEA\"",
                &format!("code_prefix = \"TEA\"\npoints_expire_after_days = {days}"),
            );
            let config = Config::parse(&text).unwrap();
            assert_eq!(
                config
                    .shop("demo")
                    .unwrap()
                    .loyalty
                    .points_expire_after_days,
                Some(days)
            );
        }
    }

    #[test]
    fn short_secret_is_named() {
        let error = error_of(&GOOD.replace("0123456789abcdef0123456789abcdef", "short"));
        assert!(error.contains("shops.demo.secret"), "{error}");
        assert!(error.contains("at least 32"), "{error}");
    }

    #[test]
    fn bad_values_are_named() {
        let cases = [
            (GOOD.replace("\"CNY\"", "\"yuan\""), "shops.demo.currency"),
            (
                GOOD.replace("\"TEA\"", "\"tea\""),
                "shops.demo.loyalty.code_prefix",
            ),
            (
                GOOD.replace("threshold = 500", "threshold = 0"),
                "shops.demo.loyalty.tiers",
            ),
            (GOOD.replace("cost = 500", "cost = 0"), "rewards[0].cost"),
            (
                GOOD.replace(
                    "code_prefix = \"TEA\"",
                    "code_prefix = \"TEA\"\npoints_expire_after_days = 0",
                ),
                "shops.demo.loyalty.points_expire_after_days",
            ),
            (
                GOOD.replace(
                    "code_prefix = \"TEA\"",
                    "code_prefix = \"TEA\"\npoints_expire_after_days = 3651",
                ),
                "shops.demo.loyalty.points_expire_after_days",
            ),
            (
                GOOD.replace("kind = \"amount_off\"", "kind = \"percent_off\""),
                "rewards[0].value",
            ),
            (
                GOOD.replace("\"http://127.0.0.1:8080\"", "\"http://x.test/path\""),
                "allowed_origins[0]",
            ),
        ];
        for (text, key) in cases {
            let error = error_of(&text);
            assert!(error.contains(key), "expected `{key}` in `{error}`");
        }
        let twice = format!(
            "{GOOD}\n[[shops.demo.loyalty.rewards]]\nid = \"off-10\"\nkind = \"free_shipping\"\ncost = 3\nname = {{ en = \"x\" }}\n"
        );
        assert!(error_of(&twice).contains("used twice"));
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let error = error_of(&GOOD.replace(
            "code_prefix = \"TEA\"",
            "code_prefix = \"TEA\"\ncode_prefx = 1",
        ));
        assert!(error.contains("code_prefx"), "{error}");
        let error = error_of(&GOOD.replace("\"zh-Hans\" = \"青叶\"", "\"zh-CN\" = \"青叶\""));
        assert!(error.contains("zh-CN"), "{error}");
    }

    #[test]
    fn webhooks_load_with_defaults_and_bad_values_are_named() {
        let with = |table: &str| format!("{GOOD}\n[shops.demo.webhooks]\n{table}\n");
        let config = Config::parse(&with("url = \"https://shop.example/hooks\"")).unwrap();
        let webhooks = config.shop("demo").unwrap().webhooks.clone().unwrap();
        assert_eq!(webhooks.events.len(), 5);
        assert!(webhooks.sends("punch_card.completed"));
        assert_eq!(webhooks.points_expiring_days, 7);
        assert!(webhooks.sends("tier.changed"));
        assert!(webhooks.sends("preferences.changed"));
        assert!(Config::parse(GOOD)
            .unwrap()
            .shop("demo")
            .unwrap()
            .webhooks
            .is_none());
        let config = Config::parse(&with(
            "url = \"http://127.0.0.1:9/x\"\nevents = [\"reward.redeemed\"]\npoints_expiring_days = 60",
        ))
        .unwrap();
        let webhooks = config.shop("demo").unwrap().webhooks.clone().unwrap();
        assert!(webhooks.sends("reward.redeemed") && !webhooks.sends("tier.changed"));
        for (table, key) in [
            ("url = \"ftp://shop.example\"", "shops.demo.webhooks.url"),
            ("url = \"not a url\"", "shops.demo.webhooks.url"),
            (
                "url = \"https://a.example\"\nevents = [\"order.paid\"]",
                "shops.demo.webhooks.events[0]",
            ),
            (
                "url = \"https://a.example\"\npoints_expiring_days = 0",
                "shops.demo.webhooks.points_expiring_days",
            ),
            (
                "url = \"https://a.example\"\npoints_expiring_days = 61",
                "shops.demo.webhooks.points_expiring_days",
            ),
        ] {
            let error = error_of(&with(table));
            assert!(error.starts_with(key), "{table}: {error}");
        }
        assert!(error_of(&with("url = \"https://a.example\"\nsecret = \"x\"")).contains("secret"));
        assert!(error_of(&with("events = []")).contains("url"));
    }

    #[test]
    fn no_shops_is_an_error() {
        assert!(error_of("").contains("no shop"));
    }

    #[test]
    fn settings_defaults_and_overrides() {
        let settings = Settings::from_lookup(|_| None).unwrap();
        assert_eq!(settings.port, 8080);
        assert_eq!(settings.host, "127.0.0.1");
        assert_eq!(settings.database_url, "sqlite://data/comeback.db");
        let settings = Settings::from_lookup(|name| match name {
            "PORT" => Some("9000".into()),
            "DATABASE_URL" => Some("postgres://x/y".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(
            (settings.port, settings.database_url.as_str()),
            (9000, "postgres://x/y")
        );
        assert!(Settings::from_lookup(|name| (name == "PORT").then(|| "http".into())).is_err());
    }
}
