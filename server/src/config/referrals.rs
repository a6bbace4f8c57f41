//! `[shops.<id>.referrals]`: the referral programme. Where the advocate's link lands and
//! its parameter, how long a visit attributes the friend's first order, the hold before
//! the advocate is paid (the shop's return window) and the time zone of its dates, the
//! fraud limits, the two rewards and the prefixes of the codes they issue. A shop without
//! the section answers 404 on the referral endpoints, and its orders' `referral_code` is
//! stored with the order but refers nobody.

use std::sync::OnceLock;

use comeback_core::bounds::{MAX_MONEY, MAX_POINTS};
use comeback_core::date::Date;
use comeback_core::referral::attribution::{DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS};
use comeback_core::referral::rules::Limits;
use comeback_core::referral::{ReferralRewardKind, RewardOffer};
use comeback_core::{Locale, LocalizedText};
use serde::Deserialize;

use super::{invalid, is_valid_id, ConfigError, TextConfig};

/// Longest hold a shop may set, in days.
pub const MAX_HOLD_DAYS: u32 = 365;
/// Longest validity of a reward code, in days.
pub const MAX_VALID_DAYS: u32 = 3650;
/// Validity of a reward code when the shop sets none, in days.
pub const DEFAULT_VALID_DAYS: u32 = 30;

/// `[shops.<id>.referrals]`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralsConfig {
    /// Where the advocate's link lands: an absolute `http(s)://` URL, or a path starting
    /// with `/` (the widget resolves it against the page).
    pub landing_url: String,
    /// The link's query parameter (the loader's `data-referral-param`). Default `ref`.
    #[serde(default = "default_param")]
    pub param: String,
    /// Days a visit through the link attributes the friend's first order, 1–365.
    /// Default 30.
    #[serde(default = "default_window_days")]
    pub window_days: u32,
    /// Days between the friend's order and the advocate's reward (the shop's return
    /// window), 0–365. Default 30.
    #[serde(default = "default_hold_days")]
    pub hold_days: u32,
    /// The IANA time zone of the referral dates (`ordered_on`, `pays_on`). Default `UTC`.
    #[serde(default = "super::zone::default_name")]
    pub time_zone: String,
    /// The least order total (minor units) that earns the advocate a reward. Default 0.
    #[serde(default)]
    pub minimum_order: i64,
    /// Most referred orders from one network address in seven days; none by default.
    #[serde(default)]
    pub max_per_address_per_week: Option<u32>,
    /// Most rewards (pending or paid) one advocate may have; none by default.
    #[serde(default)]
    pub advocate_cap: Option<u32>,
    /// Prefix of the friends' discount codes (`FRIEND-ABCD-EFGH`). Default `FRIEND`.
    #[serde(default = "default_friend_prefix")]
    pub friend_code_prefix: String,
    /// Prefix of the advocates' codes when their reward is a code. Default `THANKS`.
    #[serde(default = "default_reward_prefix")]
    pub reward_code_prefix: String,
    /// What the advocate gets per friend's first order.
    pub advocate_reward: RewardConfig,
    /// What the friend gets (a discount code; never points).
    pub friend_reward: RewardConfig,
    /// `time_zone`, resolved on first use (validated at load).
    #[serde(skip)]
    zone: OnceLock<jiff::tz::TimeZone>,
}

/// `[shops.<id>.referrals.advocate_reward]` and `.friend_reward`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ReferralRewardConfig)]
pub struct RewardConfig {
    /// `points`, `amount_off`, `percent_off` or `free_shipping`.
    pub kind: ReferralRewardKind,
    /// Points, minor units or percent, by `kind`; 0 (or absent) for free shipping.
    #[serde(default)]
    pub value: i64,
    /// For a code: days it stays valid once issued, 1–3650. Default 30.
    #[serde(default)]
    pub valid_days: Option<u32>,
    /// The shop's own words for it, shown instead of the widget's.
    #[serde(default)]
    pub description: Option<TextConfig>,
}

fn default_param() -> String {
    "ref".into()
}

fn default_window_days() -> u32 {
    DEFAULT_WINDOW_DAYS
}

fn default_hold_days() -> u32 {
    30
}

fn default_friend_prefix() -> String {
    "FRIEND".into()
}

fn default_reward_prefix() -> String {
    "THANKS".into()
}

impl RewardConfig {
    /// Days a code of this reward stays valid.
    pub fn valid_days(&self) -> u32 {
        self.valid_days.unwrap_or(DEFAULT_VALID_DAYS)
    }

    /// The reward as the widget shows it, in `locale`.
    pub fn offer(&self, currency: &str, minimum_order: i64, locale: Locale) -> RewardOffer {
        RewardOffer {
            kind: self.kind,
            value: self.value,
            currency: currency.to_owned(),
            minimum_order: (minimum_order > 0).then_some(minimum_order),
            valid_days: (self.kind != ReferralRewardKind::Points).then(|| self.valid_days()),
            description: self
                .description
                .as_ref()
                .map(|text| LocalizedText::from(text).get(locale).to_owned()),
        }
    }

    fn validate(&self, key: &dyn Fn(&str) -> String) -> Result<(), ConfigError> {
        let range = match self.kind {
            ReferralRewardKind::Points => 1..=MAX_POINTS,
            ReferralRewardKind::AmountOff => 1..=MAX_MONEY,
            ReferralRewardKind::PercentOff => 1..=100,
            ReferralRewardKind::FreeShipping => 0..=0,
        };
        if !range.contains(&self.value) {
            let what = match self.kind {
                ReferralRewardKind::Points => format!("points, 1 to {MAX_POINTS}"),
                ReferralRewardKind::AmountOff => format!("minor units off, 1 to {MAX_MONEY}"),
                ReferralRewardKind::PercentOff => "whole percent off, 1 to 100".to_owned(),
                ReferralRewardKind::FreeShipping => "0 (free shipping has no value)".to_owned(),
            };
            return Err(invalid(
                key("value"),
                format!("a `{}` reward's value is {what}", self.kind.as_str()),
            ));
        }
        if let Some(days) = self.valid_days {
            if self.kind == ReferralRewardKind::Points {
                return Err(invalid(
                    key("valid_days"),
                    "points do not expire with the reward; `valid_days` goes with a code",
                ));
            }
            if !(1..=MAX_VALID_DAYS).contains(&days) {
                return Err(invalid(
                    key("valid_days"),
                    format!("must be 1 to {MAX_VALID_DAYS}"),
                ));
            }
        }
        if let Some(description) = &self.description {
            if description.en.trim().is_empty() {
                return Err(invalid(key("description.en"), "must not be empty"));
            }
        }
        Ok(())
    }
}

impl ReferralsConfig {
    /// The shop's time zone (UTC until validated).
    pub fn zone(&self) -> &jiff::tz::TimeZone {
        super::zone::resolved(&self.zone, &self.time_zone)
    }

    /// The shop's calendar date at `unix_seconds`.
    pub fn local_date(&self, unix_seconds: i64) -> Date {
        super::zone::date_at(self.zone(), unix_seconds)
    }

    /// The rules' limits.
    pub fn limits(&self) -> Limits {
        Limits {
            minimum_order: self.minimum_order,
            per_address_per_week: self.max_per_address_per_week,
            advocate_cap: self.advocate_cap,
        }
    }

    /// The advocate's link: `landing_url` with `param=code` added to its query.
    pub fn link(&self, code: &str) -> String {
        let (base, fragment) = match self.landing_url.split_once('#') {
            Some((base, fragment)) => (base, Some(fragment)),
            None => (self.landing_url.as_str(), None),
        };
        let separator = if !base.contains('?') {
            "?"
        } else if base.ends_with('?') || base.ends_with('&') {
            ""
        } else {
            "&"
        };
        let mut link = format!("{base}{separator}{}={code}", self.param);
        if let Some(fragment) = fragment {
            link.push('#');
            link.push_str(fragment);
        }
        link
    }

    pub(super) fn validate(&self, shop: &str, has_loyalty: bool) -> Result<(), ConfigError> {
        let key = |name: &str| format!("shops.{shop}.referrals.{name}");
        if !is_landing_url(&self.landing_url) {
            return Err(invalid(
                key("landing_url"),
                format!(
                    "`{}` is neither an http:// or https:// URL nor a path starting with `/`",
                    crate::error::excerpt(&self.landing_url)
                ),
            ));
        }
        if !is_valid_id(&self.param, 32) {
            return Err(invalid(
                key("param"),
                "must be 1-32 characters of A-Z, a-z, 0-9, `_` or `-`",
            ));
        }
        if !(1..=MAX_WINDOW_DAYS).contains(&self.window_days) {
            return Err(invalid(
                key("window_days"),
                format!("must be 1 to {MAX_WINDOW_DAYS}"),
            ));
        }
        if self.hold_days > MAX_HOLD_DAYS {
            return Err(invalid(
                key("hold_days"),
                format!("must be 0 to {MAX_HOLD_DAYS} (the shop's return window)"),
            ));
        }
        super::zone::check(&self.zone, &self.time_zone, key("time_zone"))?;
        if !(0..=MAX_MONEY).contains(&self.minimum_order) {
            return Err(invalid(
                key("minimum_order"),
                format!("must be 0 to {MAX_MONEY} minor units"),
            ));
        }
        if self.max_per_address_per_week == Some(0) {
            return Err(invalid(
                key("max_per_address_per_week"),
                "must be at least 1 (leave it out for no limit)",
            ));
        }
        if self.advocate_cap == Some(0) {
            return Err(invalid(
                key("advocate_cap"),
                "must be at least 1 (leave it out for no cap)",
            ));
        }
        for (name, prefix) in [
            ("friend_code_prefix", &self.friend_code_prefix),
            ("reward_code_prefix", &self.reward_code_prefix),
        ] {
            if !comeback_core::code::is_valid_prefix(prefix) {
                return Err(invalid(
                    key(name),
                    format!(
                        "`{}` must be 1-12 uppercase letters or digits",
                        crate::error::excerpt(prefix)
                    ),
                ));
            }
        }
        let advocate = |name: &str| key(&format!("advocate_reward.{name}"));
        if self.advocate_reward.kind == ReferralRewardKind::Points && !has_loyalty {
            return Err(invalid(
                advocate("kind"),
                "a `points` reward is paid on the loyalty ledger: add [shops.<id>.loyalty] or give a code (`amount_off`, `percent_off` or `free_shipping`)",
            ));
        }
        self.advocate_reward.validate(&advocate)?;
        let friend = |name: &str| key(&format!("friend_reward.{name}"));
        if self.friend_reward.kind == ReferralRewardKind::Points {
            return Err(invalid(
                friend("kind"),
                "the friend's reward is a discount code for their first order (`amount_off`, `percent_off` or `free_shipping`), not points",
            ));
        }
        self.friend_reward.validate(&friend)
    }
}

/// Whether `url` is an absolute `http(s)://` URL with a host, or a path from the root.
fn is_landing_url(url: &str) -> bool {
    if url.starts_with('/') {
        return !url.starts_with("//") && !url.chars().any(|c| c.is_control() || c == ' ');
    }
    reqwest::Url::parse(url).is_ok_and(|parsed| {
        matches!(parsed.scheme(), "http" | "https")
            && parsed.host_str().is_some_and(|host| !host.is_empty())
    })
}
