//! Limits on a way to earn (sign-up, review, custom action, …) that the server enforces
//! before recording an award: once per order, once per calendar year, and a daily cap
//! that trims the last award of a day instead of refusing it.
//!
//! `previous_awards` are the awards of the same way to earn to the same shopper; the
//! limits are checked in the order above and the first one reached is reported.

use serde::{Deserialize, Serialize};

use crate::date::Date;

/// The limits of one way to earn; the default is no limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EarnLimit {
    /// At most one award per reference (the order id for order-based ways to earn).
    #[serde(default)]
    pub once_per_order: bool,
    /// At most one award per calendar year (by the award's date).
    #[serde(default)]
    pub once_per_year: bool,
    /// Most points awarded on one day; `None` for no cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_cap: Option<i64>,
}

/// Points awarded, or about to be, by one way to earn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Award {
    /// The day of the award.
    pub on: Date,
    /// Points awarded.
    pub points: i64,
    /// What the award is for: an order id, a review id, the shop's action reference.
    pub reference: String,
}

/// Why an award is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitReached {
    /// The reference was already rewarded.
    AlreadyAwarded {
        /// The reference.
        reference: String,
    },
    /// There was already an award this year.
    AlreadyAwardedThisYear {
        /// The year.
        year: i32,
    },
    /// The day's points already reach the cap.
    DailyCapReached {
        /// The cap.
        cap: i64,
    },
}

impl LimitReached {
    /// A stable code for logs and API bodies.
    pub fn as_str(&self) -> &'static str {
        match self {
            LimitReached::AlreadyAwarded { .. } => "already_awarded",
            LimitReached::AlreadyAwardedThisYear { .. } => "already_awarded_this_year",
            LimitReached::DailyCapReached { .. } => "daily_cap_reached",
        }
    }
}

impl std::fmt::Display for LimitReached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LimitReached::AlreadyAwarded { reference } => {
                write!(f, "`{reference}` was already rewarded")
            }
            LimitReached::AlreadyAwardedThisYear { year } => {
                write!(f, "already rewarded in {year}")
            }
            LimitReached::DailyCapReached { cap } => {
                write!(f, "the daily cap of {cap} points is reached")
            }
        }
    }
}

impl std::error::Error for LimitReached {}

/// The points to grant for `candidate` (its points, or fewer if the daily cap trims
/// them; a negative candidate grants 0), or the limit that refuses it.
pub fn check(
    limit: &EarnLimit,
    previous_awards: &[Award],
    candidate: &Award,
) -> Result<i64, LimitReached> {
    if limit.once_per_order
        && previous_awards
            .iter()
            .any(|award| award.reference == candidate.reference)
    {
        return Err(LimitReached::AlreadyAwarded {
            reference: candidate.reference.clone(),
        });
    }
    let year = candidate.on.year();
    if limit.once_per_year && previous_awards.iter().any(|award| award.on.year() == year) {
        return Err(LimitReached::AlreadyAwardedThisYear { year });
    }
    let points = candidate.points.max(0);
    match limit.daily_cap {
        None => Ok(points),
        Some(cap) => {
            let left = cap.saturating_sub(awarded_on(previous_awards, candidate.on));
            if left <= 0 {
                return Err(LimitReached::DailyCapReached { cap });
            }
            Ok(points.min(left))
        }
    }
}

/// Points awarded on `day` (reversals included, never below zero).
fn awarded_on(awards: &[Award], day: Date) -> i64 {
    awards
        .iter()
        .filter(|award| award.on == day)
        .map(|award| award.points)
        .fold(0, i64::saturating_add)
        .max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn award(on: &str, points: i64, reference: &str) -> Award {
        Award {
            on: Date::parse(on).expect("valid test date"),
            points,
            reference: reference.into(),
        }
    }

    #[test]
    fn no_limit_grants_everything() {
        let previous = [award("2027-03-01", 50, "o1")];
        let limit = EarnLimit::default();
        assert_eq!(
            check(&limit, &previous, &award("2027-03-01", 50, "o1")),
            Ok(50)
        );
        assert_eq!(check(&limit, &[], &award("2027-03-01", -5, "o1")), Ok(0));
    }

    #[test]
    fn once_per_order_refuses_a_second_award_for_the_reference() {
        let limit = EarnLimit {
            once_per_order: true,
            ..EarnLimit::default()
        };
        let previous = [award("2027-03-01", 50, "o1")];
        let refused = check(&limit, &previous, &award("2027-04-01", 50, "o1"));
        assert_eq!(
            refused,
            Err(LimitReached::AlreadyAwarded {
                reference: "o1".into()
            })
        );
        assert_eq!(refused.unwrap_err().as_str(), "already_awarded");
        assert_eq!(
            check(&limit, &previous, &award("2027-03-01", 50, "o2")),
            Ok(50)
        );
    }

    #[test]
    fn once_per_year_goes_by_calendar_year() {
        let limit = EarnLimit {
            once_per_year: true,
            ..EarnLimit::default()
        };
        let previous = [award("2027-12-31", 100, "birthday-2027")];
        assert_eq!(
            check(&limit, &previous, &award("2027-01-01", 100, "other")),
            Err(LimitReached::AlreadyAwardedThisYear { year: 2027 })
        );
        assert_eq!(
            check(
                &limit,
                &previous,
                &award("2028-01-01", 100, "birthday-2028")
            ),
            Ok(100)
        );
    }

    #[test]
    fn the_daily_cap_trims_then_refuses() {
        let limit = EarnLimit {
            daily_cap: Some(100),
            ..EarnLimit::default()
        };
        let previous = [
            award("2027-03-01", 70, "r1"),
            award("2027-02-28", 100, "r0"),
        ];
        assert_eq!(
            check(&limit, &previous, &award("2027-03-01", 50, "r2")),
            Ok(30)
        );
        assert_eq!(
            check(&limit, &previous, &award("2027-03-02", 50, "r2")),
            Ok(50)
        );
        let full = [award("2027-03-01", 100, "r1")];
        let refused = check(&limit, &full, &award("2027-03-01", 1, "r2"));
        assert_eq!(refused, Err(LimitReached::DailyCapReached { cap: 100 }));
        assert_eq!(
            refused.unwrap_err().to_string(),
            "the daily cap of 100 points is reached"
        );
    }

    #[test]
    fn limits_are_checked_in_order() {
        let limit = EarnLimit {
            once_per_order: true,
            once_per_year: true,
            daily_cap: Some(10),
        };
        let previous = [award("2027-03-01", 10, "o1")];
        let result = check(&limit, &previous, &award("2027-03-01", 10, "o1"));
        assert_eq!(result.unwrap_err().as_str(), "already_awarded");
        let result = check(&limit, &previous, &award("2027-03-01", 10, "o2"));
        assert_eq!(result.unwrap_err().as_str(), "already_awarded_this_year");
    }

    proptest! {
        /// Awarding whatever `check` grants, one candidate after another, never takes a
        /// day past its cap and never grants more than asked.
        #[test]
        fn the_cap_is_never_exceeded(
            cap in 1_i64..500,
            candidates in proptest::collection::vec((0_i64..3, 0_i64..200), 0..40),
        ) {
            let limit = EarnLimit { daily_cap: Some(cap), ..EarnLimit::default() };
            let start = Date::parse("2027-03-01").expect("valid");
            let mut awards: Vec<Award> = Vec::new();
            for (index, (offset, points)) in candidates.into_iter().enumerate() {
                let candidate = Award {
                    on: start.add_days(offset),
                    points,
                    reference: format!("r{index}"),
                };
                if let Ok(granted) = check(&limit, &awards, &candidate) {
                    prop_assert!((0..=points).contains(&granted));
                    awards.push(Award { points: granted, ..candidate.clone() });
                }
                prop_assert!(awarded_on(&awards, candidate.on) <= cap);
            }
        }
    }
}
