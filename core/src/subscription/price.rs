//! What a subscription costs: the one rule for the old price, the new price and the
//! saving. The toggle's badge, the manager's list and the renewal the shop charges all
//! come from [`Discount::apply`], so they can never disagree.

use serde::{Deserialize, Serialize};

use crate::bounds;

/// Highest percent discount a plan may give.
pub const MAX_PERCENT: u8 = 100;

/// A plan's discount on each delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Discount {
    /// A whole percent (1–100) off the unit price; the saving is rounded half up to the
    /// currency's minor unit.
    Percent {
        /// Percent off, 1–100.
        percent: u8,
    },
    /// A fixed amount off each unit, minor units; never more than the unit price.
    Amount {
        /// Minor units off each unit.
        amount: i64,
    },
}

/// The price of one unit bought on subscription, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Price {
    /// The one-time price.
    pub regular: i64,
    /// The subscription price: `regular - saving`, never below 0.
    pub price: i64,
    /// What subscribing saves.
    pub saving: i64,
}

impl Discount {
    /// What `unit_price` (minor units, 0 or more) costs under this discount. A
    /// negative price is treated as 0.
    pub fn apply(self, unit_price: i64) -> Price {
        let regular = unit_price.max(0);
        let saving = match self {
            Discount::Percent { percent } => {
                let percent = i128::from(percent.min(MAX_PERCENT));
                let saving = (i128::from(regular) * percent + 50) / 100;
                // At most `regular`, which is an i64.
                i64::try_from(saving).unwrap_or(regular)
            }
            Discount::Amount { amount } => amount.clamp(0, regular),
        };
        Price {
            regular,
            price: regular - saving,
            saving,
        }
    }

    /// Why this discount cannot be a plan's, if it cannot.
    pub fn problem(self) -> Option<String> {
        match self {
            Discount::Percent { percent } if !(1..=MAX_PERCENT).contains(&percent) => Some(
                format!("a percent discount must be 1 to {MAX_PERCENT}, not {percent}"),
            ),
            Discount::Amount { amount } if !(1..=bounds::MAX_MONEY).contains(&amount) => {
                Some(format!(
                    "an amount discount must be 1 to {} minor units, not {amount}",
                    bounds::MAX_MONEY
                ))
            }
            _ => None,
        }
    }
}

impl Price {
    /// The price of one unit with no discount (a plan that only ships free).
    pub fn undiscounted(unit_price: i64) -> Price {
        let regular = unit_price.max(0);
        Price {
            regular,
            price: regular,
            saving: 0,
        }
    }

    /// Under `discount`, or [`Price::undiscounted`] without one.
    pub fn of(unit_price: i64, discount: Option<Discount>) -> Price {
        discount.map_or_else(
            || Price::undiscounted(unit_price),
            |discount| discount.apply(unit_price),
        )
    }

    /// The price of `quantity` units; `None` if it leaves the range of `i64`.
    pub fn times(self, quantity: i64) -> Option<Price> {
        Some(Price {
            regular: bounds::mul(self.regular, quantity).ok()?,
            price: bounds::mul(self.price, quantity).ok()?,
            saving: bounds::mul(self.saving, quantity).ok()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_percent_saving_rounds_half_up_to_the_minor_unit() {
        let ten = Discount::Percent { percent: 10 };
        assert_eq!(
            ten.apply(2_800),
            Price {
                regular: 2_800,
                price: 2_520,
                saving: 280
            }
        );
        // 10% of 1 095 is 109.5: the saving is 110.
        assert_eq!(ten.apply(1_095).saving, 110);
        assert_eq!(ten.apply(1_094).saving, 109);
        assert_eq!(ten.apply(0).price, 0);
        assert_eq!(Discount::Percent { percent: 100 }.apply(999).price, 0);
    }

    #[test]
    fn an_amount_never_takes_the_price_below_zero() {
        let off = Discount::Amount { amount: 500 };
        assert_eq!(off.apply(2_000).price, 1_500);
        assert_eq!(
            off.apply(300),
            Price {
                regular: 300,
                price: 0,
                saving: 300
            }
        );
    }

    #[test]
    fn discounts_outside_their_range_are_refused() {
        assert!(Discount::Percent { percent: 0 }.problem().is_some());
        assert!(Discount::Percent { percent: 101 }.problem().is_some());
        assert!(Discount::Amount { amount: 0 }.problem().is_some());
        assert!(Discount::Percent { percent: 15 }.problem().is_none());
        assert!(Discount::Amount { amount: 1 }.problem().is_none());
    }

    #[test]
    fn a_plan_without_discount_charges_the_regular_price() {
        assert_eq!(Price::of(1_200, None).price, 1_200);
        assert_eq!(Price::of(1_200, None).saving, 0);
        assert_eq!(Price::of(-5, None).regular, 0);
    }

    #[test]
    fn several_units_cost_the_unit_price_times_the_quantity() {
        let price = Discount::Percent { percent: 10 }.apply(1_095);
        assert_eq!(
            price.times(3),
            Some(Price {
                regular: 3_285,
                price: 2_955,
                saving: 330
            })
        );
        assert_eq!(price.times(i64::MAX), None);
    }

    proptest! {
        #[test]
        fn price_plus_saving_is_the_regular_price(
            unit in 0i64..=bounds::MAX_MONEY,
            percent in 1u8..=100,
            amount in 1i64..=bounds::MAX_MONEY,
        ) {
            for discount in [Discount::Percent { percent }, Discount::Amount { amount }] {
                let price = discount.apply(unit);
                prop_assert_eq!(price.price + price.saving, price.regular);
                prop_assert!(price.price >= 0 && price.saving >= 0);
                prop_assert!(price.price <= unit);
            }
        }
    }
}
