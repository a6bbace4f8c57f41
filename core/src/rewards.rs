//! Who may redeem a reward, what a points-at-checkout redemption is worth, and which
//! early-access products a shopper may already see.
//!
//! Rules:
//! - A reward with an empty `tiers` list is for everyone. Otherwise only members holding
//!   one of those tiers may redeem it; with `early_access_until`, that restriction lasts
//!   through that day and from the next day everyone may redeem it. Signed-out shoppers
//!   hold no tier.
//! - A `points_at_checkout` redemption spends a multiple of the reward's `cost` (one
//!   step), at least one step, at most `max_points` when set; each step takes `value`
//!   minor units off. Whether the balance covers it is the ledger's check
//!   ([`crate::ledger::spend`]).
//! - An early-access product list is visible to its tiers through its `until` day;
//!   afterwards the products are public and no longer listed.

use crate::date::Date;

/// Whether a shopper holding `held_tier` may redeem a reward restricted to `tiers`
/// (empty: everyone) with optional early access through `early_access_until`, `today`.
pub fn eligible(
    tiers: &[String],
    early_access_until: Option<Date>,
    held_tier: Option<&str>,
    today: Date,
) -> bool {
    tiers.is_empty()
        || early_access_until.is_some_and(|until| today > until)
        || held_tier.is_some_and(|held| tiers.iter().any(|tier| tier == held))
}

/// Why the points chosen for a `points_at_checkout` redemption are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckoutPointsError {
    /// Fewer than one step.
    BelowStep {
        /// Points of one step (the reward's `cost`).
        step: i64,
    },
    /// Not a whole number of steps.
    NotMultiple {
        /// Points of one step.
        step: i64,
    },
    /// More than the reward allows at once.
    AboveMax {
        /// The reward's `max_points`.
        max: i64,
    },
}

impl std::fmt::Display for CheckoutPointsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckoutPointsError::BelowStep { step } => {
                write!(f, "`points` must be at least {step}")
            }
            CheckoutPointsError::NotMultiple { step } => {
                write!(f, "`points` must be a multiple of {step}")
            }
            CheckoutPointsError::AboveMax { max } => {
                write!(f, "`points` must be at most {max} for this reward")
            }
        }
    }
}

impl std::error::Error for CheckoutPointsError {}

/// Checks the points chosen for a `points_at_checkout` reward of step `cost` (at least
/// 1) and optional `max_points`. The balance is checked when spending.
pub fn check_checkout_points(
    points: i64,
    cost: i64,
    max_points: Option<i64>,
) -> Result<(), CheckoutPointsError> {
    let step = cost.max(1);
    if points < step {
        return Err(CheckoutPointsError::BelowStep { step });
    }
    if points % step != 0 {
        return Err(CheckoutPointsError::NotMultiple { step });
    }
    if let Some(max) = max_points.filter(|max| points > *max) {
        return Err(CheckoutPointsError::AboveMax { max });
    }
    Ok(())
}

/// Minor units a `points_at_checkout` redemption of `points` takes off: `value` per
/// whole `cost` points.
pub fn checkout_value(points: i64, cost: i64, value: i64) -> i64 {
    (points.max(0) / cost.max(1)).saturating_mul(value.max(0))
}

/// Products some tiers may see before everyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlyAccess {
    /// The shop's product ids.
    pub product_ids: Vec<String>,
    /// Tiers whose members may see them early.
    pub tiers: Vec<String>,
    /// Last day of the early access.
    pub until: Date,
}

/// The product ids a shopper holding `held_tier` may already see `today` while they are
/// still early access, each once, in configured order.
pub fn early_access_products(
    rules: &[EarlyAccess],
    held_tier: Option<&str>,
    today: Date,
) -> Vec<String> {
    let Some(held) = held_tier else {
        return Vec::new();
    };
    let mut products: Vec<String> = Vec::new();
    for rule in rules
        .iter()
        .filter(|rule| today <= rule.until && rule.tiers.iter().any(|tier| tier == held))
    {
        for product in &rule.product_ids {
            if !products.contains(product) {
                products.push(product.clone());
            }
        }
    }
    products
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(iso: &str) -> Date {
        Date::parse(iso).expect("valid test date")
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|id| (*id).to_owned()).collect()
    }

    #[test]
    fn rewards_for_everyone_and_member_only_rewards() {
        let today = day("2027-03-01");
        assert!(eligible(&[], None, None, today));
        let bloom = ids(&["bloom"]);
        assert!(!eligible(&bloom, None, None, today), "signed out");
        assert!(!eligible(&bloom, None, Some("bud"), today));
        assert!(eligible(&bloom, None, Some("bloom"), today));
        assert!(eligible(&ids(&["bud", "bloom"]), None, Some("bud"), today));
    }

    #[test]
    fn early_access_ends_after_its_last_day() {
        let until = Some(day("2027-03-01"));
        let bloom = ids(&["bloom"]);
        assert!(!eligible(&bloom, until, Some("bud"), day("2027-03-01")));
        assert!(eligible(&bloom, until, Some("bloom"), day("2027-03-01")));
        assert!(eligible(&bloom, until, Some("bud"), day("2027-03-02")));
        assert!(eligible(&bloom, until, None, day("2027-03-02")));
    }

    #[test]
    fn checkout_points_are_whole_steps_within_the_maximum() {
        assert_eq!(check_checkout_points(100, 100, Some(5_000)), Ok(()));
        assert_eq!(check_checkout_points(5_000, 100, Some(5_000)), Ok(()));
        assert_eq!(
            check_checkout_points(99, 100, None),
            Err(CheckoutPointsError::BelowStep { step: 100 })
        );
        assert_eq!(
            check_checkout_points(0, 100, None),
            Err(CheckoutPointsError::BelowStep { step: 100 })
        );
        assert_eq!(
            check_checkout_points(150, 100, None),
            Err(CheckoutPointsError::NotMultiple { step: 100 })
        );
        assert_eq!(
            check_checkout_points(5_100, 100, Some(5_000)),
            Err(CheckoutPointsError::AboveMax { max: 5_000 })
        );
        assert_eq!(
            CheckoutPointsError::NotMultiple { step: 100 }.to_string(),
            "`points` must be a multiple of 100"
        );
        assert_eq!(checkout_value(2_500, 100, 100), 2_500);
        assert_eq!(checkout_value(300, 100, 150), 450);
    }

    #[test]
    fn early_access_products_follow_the_tier_and_the_date() {
        let rules = vec![
            EarlyAccess {
                product_ids: ids(&["spring-tea", "cup"]),
                tiers: ids(&["bloom"]),
                until: day("2027-03-01"),
            },
            EarlyAccess {
                product_ids: ids(&["cup", "kettle"]),
                tiers: ids(&["bud", "bloom"]),
                until: day("2027-04-01"),
            },
        ];
        let today = day("2027-03-01");
        assert_eq!(
            early_access_products(&rules, Some("bloom"), today),
            ids(&["spring-tea", "cup", "kettle"])
        );
        assert_eq!(
            early_access_products(&rules, Some("bud"), today),
            ids(&["cup", "kettle"])
        );
        assert!(early_access_products(&rules, None, today).is_empty());
        assert_eq!(
            early_access_products(&rules, Some("bloom"), day("2027-03-02")),
            ids(&["cup", "kettle"])
        );
        assert!(early_access_products(&rules, Some("bloom"), day("2027-04-02")).is_empty());
    }

    proptest! {
        /// Every accepted amount is a whole number of steps within the bounds, and is
        /// worth exactly its steps.
        #[test]
        fn accepted_points_are_worth_their_steps(
            points in -100_i64..20_000,
            cost in 1_i64..500,
            value in 1_i64..1_000,
            max_steps in proptest::option::of(1_i64..50),
        ) {
            let max = max_steps.map(|steps| steps * cost);
            if check_checkout_points(points, cost, max).is_ok() {
                prop_assert!(points >= cost && points % cost == 0);
                prop_assert!(max.is_none_or(|max| points <= max));
                prop_assert_eq!(checkout_value(points, cost, value), points / cost * value);
            }
        }
    }
}
