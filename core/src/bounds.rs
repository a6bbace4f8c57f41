//! The bounds every amount is checked against where it enters (webhooks, the product
//! catalogue, admin adjustments, the import), and the checked sums the ledger uses, so
//! no request can make the server overflow.
//!
//! - Money (order totals, refund totals, prices): 0 to 10^12 minor units (ten billion
//!   yuan, far above any real order).
//! - Quantities: 1 to 10^6 units per line.
//! - Points: 1 to 10^9 per change (an adjustment may be negative: its size counts).
//!
//! With these, the sums the server forms (a total times a rate, a balance plus a
//! change) stay far from `i64::MAX`; the checked helpers turn the impossible rest into
//! [`Overflow`], which the server answers as a 422 `amount_out_of_range`.

/// Largest amount of money, minor units.
pub const MAX_MONEY: i64 = 1_000_000_000_000;
/// Largest quantity of one line.
pub const MAX_QUANTITY: i64 = 1_000_000;
/// Largest number of points one change may move.
pub const MAX_POINTS: i64 = 1_000_000_000;

/// A field outside its bounds; `Display` names the field and the range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutOfBounds {
    /// The field as the request names it, such as `total` or `lines[2].unit_price`.
    pub field: String,
    /// Smallest value allowed.
    pub min: i64,
    /// Largest value allowed.
    pub max: i64,
}

impl std::fmt::Display for OutOfBounds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` must be {} to {}", self.field, self.min, self.max)
    }
}

impl std::error::Error for OutOfBounds {}

fn within(field: &str, value: i64, min: i64, max: i64) -> Result<i64, OutOfBounds> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(OutOfBounds {
            field: field.to_owned(),
            min,
            max,
        })
    }
}

/// A money amount: 0 to [`MAX_MONEY`].
pub fn money(field: &str, value: i64) -> Result<i64, OutOfBounds> {
    within(field, value, 0, MAX_MONEY)
}

/// A line quantity: 1 to [`MAX_QUANTITY`].
pub fn quantity(field: &str, value: i64) -> Result<i64, OutOfBounds> {
    within(field, value, 1, MAX_QUANTITY)
}

/// Points one change adds: 1 to [`MAX_POINTS`].
pub fn points(field: &str, value: i64) -> Result<i64, OutOfBounds> {
    within(field, value, 1, MAX_POINTS)
}

/// A signed points change (an adjustment): ±1 to ±[`MAX_POINTS`], never zero.
pub fn points_change(field: &str, value: i64) -> Result<i64, OutOfBounds> {
    if value == 0 || value.checked_abs().is_none_or(|size| size > MAX_POINTS) {
        return Err(OutOfBounds {
            field: field.to_owned(),
            min: -MAX_POINTS,
            max: MAX_POINTS,
        });
    }
    Ok(value)
}

/// A sum or product left the range of `i64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

impl std::fmt::Display for Overflow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the amount is out of range")
    }
}

impl std::error::Error for Overflow {}

/// `a + b`, or [`Overflow`].
pub fn add(a: i64, b: i64) -> Result<i64, Overflow> {
    a.checked_add(b).ok_or(Overflow)
}

/// `a * b`, or [`Overflow`].
pub fn mul(a: i64, b: i64) -> Result<i64, Overflow> {
    a.checked_mul(b).ok_or(Overflow)
}

/// The sum of `values`, or [`Overflow`].
pub fn sum(values: impl IntoIterator<Item = i64>) -> Result<i64, Overflow> {
    values.into_iter().try_fold(0_i64, add)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn errors_name_the_field_and_the_range() {
        let error = money("lines[2].unit_price", -1).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`lines[2].unit_price` must be 0 to 1000000000000"
        );
        assert_eq!(money("total", MAX_MONEY), Ok(MAX_MONEY));
        assert!(money("total", i64::MAX).is_err());
        assert!(quantity("q", 0).is_err());
        assert_eq!(quantity("q", MAX_QUANTITY), Ok(MAX_QUANTITY));
        assert!(points("p", 0).is_err());
        assert!(points("p", MAX_POINTS + 1).is_err());
    }

    #[test]
    fn adjustments_are_bounded_both_ways() {
        assert!(points_change("points", i64::MIN).is_err());
        assert!(points_change("points", i64::MAX).is_err());
        assert!(points_change("points", 0).is_err());
        assert_eq!(points_change("points", -MAX_POINTS), Ok(-MAX_POINTS));
        assert_eq!(points_change("points", MAX_POINTS), Ok(MAX_POINTS));
    }

    #[test]
    fn checked_sums_report_overflow() {
        assert_eq!(add(i64::MAX, 1), Err(Overflow));
        assert_eq!(mul(i64::MAX, 2), Err(Overflow));
        assert_eq!(sum([i64::MAX, 1]), Err(Overflow));
        assert_eq!(sum([1, 2, 3]), Ok(6));
    }

    proptest! {
        /// Bounded amounts multiplied by bounded quantities never overflow, so a line's
        /// price times its quantity is always representable.
        #[test]
        fn bounded_line_totals_fit(price in 0..=MAX_MONEY, qty in 1..=MAX_QUANTITY) {
            prop_assert!(mul(price, qty).is_ok());
        }

        /// Any value is either accepted unchanged or refused naming its field.
        #[test]
        fn money_accepts_exactly_its_range(value in any::<i64>()) {
            match money("total", value) {
                Ok(kept) => prop_assert_eq!(kept, value),
                Err(error) => {
                    prop_assert!(!(0..=MAX_MONEY).contains(&value));
                    prop_assert_eq!(error.field, "total");
                }
            }
        }
    }
}
