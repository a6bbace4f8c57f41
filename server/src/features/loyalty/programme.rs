//! The loyalty programme as shoppers see it: the configured section shaped into the wire
//! types of `comeback_core::api` (the public programme, rewards with what a viewer may
//! afford and redeem, punch cards with progress, ways to earn).

use comeback_core::api::{ProgrammeView, PunchCardView, RewardView, WayToEarn};
use comeback_core::date::Date;
use comeback_core::punch_card::PunchCardProgress;
use comeback_core::rewards::EarlyAccess;
use comeback_core::tier::Tier;
use comeback_core::LocalizedText;

use crate::config::{ActionConfig, LoyaltyConfig, RewardConfig, ShopConfig};

/// A signed-in shopper, for [`Programme::rewards`].
#[derive(Debug, Clone, Copy)]
pub struct Viewer<'a> {
    /// Their spendable points.
    pub balance: i64,
    /// The tier they hold.
    pub tier: Option<&'a str>,
}

/// A shop with a loyalty programme: its section and the shop it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Programme<'a> {
    /// The shop.
    pub shop: &'a ShopConfig,
    /// Its `[shops.<id>.loyalty]`.
    pub loyalty: &'a LoyaltyConfig,
}

impl<'a> Programme<'a> {
    /// The shop's programme, `None` when it has no `[loyalty]` section.
    pub fn of(shop: &'a ShopConfig) -> Option<Programme<'a>> {
        shop.loyalty
            .as_ref()
            .map(|loyalty| Programme { shop, loyalty })
    }

    /// The reward with this id.
    pub fn reward(&self, id: &str) -> Option<&'a RewardConfig> {
        self.loyalty.reward(id)
    }

    /// The earning action with this id.
    pub fn action(&self, id: &str) -> Option<&'a ActionConfig> {
        self.loyalty.action(id)
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
                        .loyalty
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
    pub fn punch_card_setups(&self) -> Vec<crate::store::PunchCardSetup<'a>> {
        self.loyalty
            .punch_cards
            .iter()
            .filter_map(|card| {
                let reward = self.loyalty.reward(&card.reward)?;
                Some(crate::store::PunchCardSetup {
                    rule: card.rule(),
                    reward_id: &reward.id,
                    reward_kind: reward.kind,
                    reward_value: reward.value,
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
            shop_name: self.shop.name.clone(),
            currency: self.shop.currency.clone(),
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
