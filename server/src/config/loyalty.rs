//! `[shops.<id>.loyalty]`: the points programme, its tiers, rewards, punch cards,
//! early access and earning actions. Checked by [`super::loyalty_validate`].

use comeback_core::api::RewardKind;
use comeback_core::date::Date;
use comeback_core::earning::EarnLimit;
use comeback_core::punch_card::PunchCardRule;
use comeback_core::tier::{Tier, TierPerks};
use comeback_core::tiers::{TierBasis, TierWindow};
use comeback_core::LocalizedText;
use serde::Deserialize;

use super::TextConfig;

/// `[shops.<id>.loyalty]`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
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
pub const BIRTHDAY_ACTION_ID: &str = comeback_core::birthday::ACTION_ID;

/// The `action_id` of first-purchase anniversary rewards in the ledger; no configured
/// action may use it.
pub const ANNIVERSARY_ACTION_ID: &str = comeback_core::anniversary::ACTION_ID;

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
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
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

    /// The reward with this id.
    pub fn reward(&self, id: &str) -> Option<&RewardConfig> {
        self.rewards.iter().find(|reward| reward.id == id)
    }

    /// The earning action with this id.
    pub fn action(&self, id: &str) -> Option<&ActionConfig> {
        self.actions.iter().find(|action| action.id == id)
    }
}
