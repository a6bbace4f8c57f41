//! Validation of `[shops.<id>.loyalty]`: every error names the key at fault.

use std::collections::HashSet;

use comeback_core::api::RewardKind;

use super::loyalty::{multiplier_percent, ANNIVERSARY_ACTION_ID, BIRTHDAY_ACTION_ID};
use super::{invalid, is_valid_id, is_valid_product, ConfigError, LoyaltyConfig, RewardConfig};

impl LoyaltyConfig {
    pub(super) fn validate(&self, shop: &str) -> Result<(), ConfigError> {
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
