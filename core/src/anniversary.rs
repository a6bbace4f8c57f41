//! The first-purchase anniversary reward: when it is due.
//!
//! Rules:
//! - The anniversary is the month and day of the shopper's first paid order that was not
//!   refunded (the server works that order out; if it is refunded later, the next one
//!   becomes the first). An order placed on February 29 has its anniversary on
//!   February 28 in common years.
//! - A year's reward is due on the anniversary itself, from the year after the first
//!   order on (the first order's own day is not an anniversary). If the daily job
//!   missed that day it is still due on any later day of the same calendar year, and
//!   lost on January 1.
//! - At most one reward per calendar year.

use crate::date::{Date, MonthDay};

/// The `action_id` of first-purchase anniversary rewards in the ledger; no configured
/// action may use it.
pub const ACTION_ID: &str = "anniversary";

/// The day the anniversary of a first order placed on `first_order_on` falls on in
/// `year` (February 29 falls on February 28 in a common year).
pub fn anniversary_in(first_order_on: Date, year: i32) -> Date {
    MonthDay::of(first_order_on).occurrence_in(year)
}

/// The year whose anniversary reward is due `today`, if any: a later year than the first
/// order's, whose anniversary has come, and not rewarded yet.
pub fn anniversary_due(
    first_order_on: Date,
    today: Date,
    last_rewarded_year: Option<i32>,
) -> Option<i32> {
    let year = today.year();
    let due = year > first_order_on.year()
        && today >= anniversary_in(first_order_on, year)
        && last_rewarded_year.is_none_or(|last| last < year);
    due.then_some(year)
}

/// The day of the next anniversary reward not yet given: in the past (but this year)
/// while a due reward waits for the job.
pub fn next_anniversary_on(
    first_order_on: Date,
    today: Date,
    last_rewarded_year: Option<i32>,
) -> Date {
    let mut year = today.year().max(first_order_on.year().saturating_add(1));
    if let Some(last) = last_rewarded_year {
        year = year.max(last.saturating_add(1));
    }
    anniversary_in(first_order_on, year)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(iso: &str) -> Date {
        Date::parse(iso).expect("valid test date")
    }

    #[test]
    fn the_first_order_day_itself_is_not_an_anniversary() {
        let first = day("2026-05-10");
        assert_eq!(anniversary_due(first, day("2026-05-10"), None), None);
        assert_eq!(anniversary_due(first, day("2026-12-31"), None), None);
        assert_eq!(next_anniversary_on(first, first, None), day("2027-05-10"));
    }

    #[test]
    fn due_on_the_day_and_later_that_year_but_once() {
        let first = day("2026-05-10");
        assert_eq!(anniversary_due(first, day("2027-05-09"), None), None);
        assert_eq!(anniversary_due(first, day("2027-05-10"), None), Some(2027));
        assert_eq!(
            anniversary_due(first, day("2027-11-30"), None),
            Some(2027),
            "a missed day is caught up within the year"
        );
        assert_eq!(anniversary_due(first, day("2027-11-30"), Some(2027)), None);
        assert_eq!(
            anniversary_due(first, day("2028-01-01"), None),
            None,
            "an unpaid year is lost on January 1"
        );
        assert_eq!(
            anniversary_due(first, day("2028-05-10"), Some(2027)),
            Some(2028)
        );
        assert_eq!(
            next_anniversary_on(first, day("2027-06-01"), Some(2027)),
            day("2028-05-10")
        );
        assert_eq!(
            next_anniversary_on(first, day("2027-06-01"), None),
            day("2027-05-10"),
            "a due reward waiting for the job shows its (past) day"
        );
    }

    #[test]
    fn february_29_falls_on_the_28th_in_common_years() {
        let first = day("2028-02-29");
        assert_eq!(anniversary_in(first, 2029), day("2029-02-28"));
        assert_eq!(anniversary_in(first, 2032), day("2032-02-29"));
        assert_eq!(anniversary_due(first, day("2029-02-27"), None), None);
        assert_eq!(anniversary_due(first, day("2029-02-28"), None), Some(2029));
        assert_eq!(anniversary_due(first, day("2032-02-28"), Some(2031)), None);
        assert_eq!(
            anniversary_due(first, day("2032-02-29"), Some(2031)),
            Some(2032)
        );
    }

    proptest! {
        /// Running the rule every day and recording what it grants gives exactly one
        /// reward per year after the first order's, each on or after its anniversary.
        #[test]
        fn one_reward_per_year_after_the_first(start in 0_i64..2_000, skip in 1_i64..5) {
            let first = day("2024-01-01").add_days(start);
            let mut last = None;
            let mut granted = Vec::new();
            let mut today = first;
            let end = first.add_years(4);
            while today <= end {
                if let Some(year) = anniversary_due(first, today, last) {
                    prop_assert!(today >= anniversary_in(first, year));
                    granted.push(year);
                    last = Some(year);
                }
                today = today.add_days(skip);
            }
            let expected: Vec<i32> = (first.year() + 1..=end.year())
                .filter(|year| {
                    // Reached by a run day of that year on or after the anniversary.
                    let on = anniversary_in(first, *year);
                    let mut run = first;
                    while run < on { run = run.add_days(skip); }
                    run.year() == *year && run <= end
                })
                .collect();
            prop_assert_eq!(granted, expected);
        }
    }
}
