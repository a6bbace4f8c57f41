//! The birthday reward: when it is due, and the rules that keep the birthday from being
//! gamed.
//!
//! Rules:
//! - The shopper sets a birthday once (month and day, no year); only the shop can change
//!   it afterwards.
//! - A year's reward is due on the birthday itself. If the daily job missed that day it
//!   is still due on any later day of the same calendar year, and lost on January 1.
//!   February 29 birthdays are celebrated on February 28 in common years.
//! - The 30-day gate: a year's reward is only given if the birthday was set at least
//!   [`NOTICE_DAYS`] days before that year's birthday; otherwise the first reward
//!   waits for the next year. Setting the birthday to "tomorrow" earns nothing now.
//! - At most one reward per calendar year.

use crate::date::{Date, MonthDay};

/// Days the birthday must be known before its reward is given.
pub const NOTICE_DAYS: i64 = 30;

/// The `action_id` of birthday rewards in the ledger; no configured action may use it.
pub const ACTION_ID: &str = "birthday";

/// Whether the shopper may set their birthday: only while none is set.
pub fn can_change(existing: Option<MonthDay>) -> bool {
    existing.is_none()
}

/// The first year whose birthday reward passes the 30-day gate for a birthday set on
/// `set_on`: that year, the next, or (for a birthday early in January set in late
/// December) the one after.
pub fn first_rewarded_year(birthday: MonthDay, set_on: Date) -> i32 {
    let year = set_on.year();
    let passes_gate = |year: &i32| set_on.days_until(birthday.occurrence_in(*year)) >= NOTICE_DAYS;
    (0..=2)
        .map(|ahead| year.saturating_add(ahead))
        .find(passes_gate)
        .unwrap_or(year.saturating_add(2))
}

/// The year whose birthday reward is due `today`, if any: the birthday of this year has
/// come, the year passes the 30-day gate and it was not rewarded yet.
pub fn birthday_reward_due(
    birthday: MonthDay,
    set_on: Date,
    today: Date,
    last_rewarded_year: Option<i32>,
) -> Option<i32> {
    let year = today.year();
    let due = today >= birthday.occurrence_in(year)
        && year >= first_rewarded_year(birthday, set_on)
        && last_rewarded_year.is_none_or(|last| last < year);
    due.then_some(year)
}

/// The day of the next reward not yet given, for the widget's "your birthday reward
/// arrives on …". It is in the past (but this year) while a due reward waits for the job.
pub fn next_reward_on(
    birthday: MonthDay,
    set_on: Date,
    today: Date,
    last_rewarded_year: Option<i32>,
) -> Date {
    let mut year = today.year().max(first_rewarded_year(birthday, set_on));
    if let Some(last) = last_rewarded_year {
        year = year.max(last.saturating_add(1));
    }
    birthday.occurrence_in(year)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(iso: &str) -> Date {
        Date::parse(iso).expect("valid test date")
    }

    fn birthday(iso: &str) -> MonthDay {
        MonthDay::parse(iso).expect("valid test birthday")
    }

    #[test]
    fn the_birthday_can_be_set_once() {
        assert!(can_change(None));
        assert!(!can_change(Some(birthday("--03-14"))));
    }

    #[test]
    fn due_on_the_day_and_later_that_year_but_once() {
        let bday = birthday("--03-14");
        let set_on = day("2026-01-01");
        assert_eq!(
            birthday_reward_due(bday, set_on, day("2027-03-13"), None),
            None
        );
        assert_eq!(
            birthday_reward_due(bday, set_on, day("2027-03-14"), None),
            Some(2027)
        );
        assert_eq!(
            birthday_reward_due(bday, set_on, day("2027-12-31"), Some(2026)),
            Some(2027),
            "a missed day is caught up within the year"
        );
        assert_eq!(
            birthday_reward_due(bday, set_on, day("2027-12-31"), Some(2027)),
            None
        );
        assert_eq!(
            birthday_reward_due(bday, set_on, day("2028-01-01"), Some(2026)),
            None
        );
    }

    #[test]
    fn the_gate_counts_thirty_days() {
        let bday = birthday("--03-31");
        // 30 days before: rewarded this year.
        assert_eq!(first_rewarded_year(bday, day("2027-03-01")), 2027);
        assert_eq!(
            birthday_reward_due(bday, day("2027-03-01"), day("2027-03-31"), None),
            Some(2027)
        );
        // 29 days before: waits for next year.
        assert_eq!(first_rewarded_year(bday, day("2027-03-02")), 2028);
        assert_eq!(
            birthday_reward_due(bday, day("2027-03-02"), day("2027-03-31"), None),
            None
        );
        assert_eq!(
            birthday_reward_due(bday, day("2027-03-02"), day("2028-03-31"), None),
            Some(2028)
        );
        // Set after this year's birthday: next year.
        assert_eq!(first_rewarded_year(bday, day("2027-05-01")), 2028);
    }

    #[test]
    fn the_gate_crosses_year_ends() {
        let bday = birthday("--01-05");
        // Set on December 20: January 5 is 16 days away, so the year after.
        assert_eq!(first_rewarded_year(bday, day("2026-12-20")), 2028);
        assert_eq!(
            birthday_reward_due(bday, day("2026-12-20"), day("2027-01-05"), None),
            None
        );
        // Set on December 1: 35 days, so next January.
        assert_eq!(first_rewarded_year(bday, day("2026-12-01")), 2027);
        assert_eq!(
            next_reward_on(bday, day("2026-12-01"), day("2026-12-01"), None),
            day("2027-01-05")
        );
    }

    #[test]
    fn february_29_is_celebrated_on_the_28th_in_common_years() {
        let bday = MonthDay::LEAP_DAY;
        let set_on = day("2026-01-01");
        assert_eq!(
            birthday_reward_due(bday, set_on, day("2027-02-27"), None),
            None
        );
        assert_eq!(
            birthday_reward_due(bday, set_on, day("2027-02-28"), None),
            Some(2027)
        );
        assert_eq!(
            birthday_reward_due(bday, set_on, day("2028-02-28"), Some(2027)),
            None
        );
        assert_eq!(
            birthday_reward_due(bday, set_on, day("2028-02-29"), Some(2027)),
            Some(2028)
        );
        // The gate is measured to February 28 in a common year: 29 days, too few.
        assert_eq!(first_rewarded_year(bday, day("2027-01-30")), 2028);
        assert_eq!(first_rewarded_year(bday, day("2027-01-29")), 2027);
    }

    #[test]
    fn the_next_reward_skips_rewarded_years() {
        let bday = birthday("--03-14");
        let set_on = day("2026-01-01");
        assert_eq!(
            next_reward_on(bday, set_on, day("2027-01-10"), Some(2026)),
            day("2027-03-14")
        );
        assert_eq!(
            next_reward_on(bday, set_on, day("2027-05-10"), Some(2027)),
            day("2028-03-14")
        );
        assert_eq!(
            next_reward_on(bday, set_on, day("2027-05-10"), Some(2026)),
            day("2027-03-14"),
            "due and waiting for the job"
        );
    }

    proptest! {
        /// Whatever the dates, a reward is never due for a birthday known fewer than 30
        /// days, never twice for a year, and never before the birthday.
        #[test]
        fn the_gate_always_holds(
            month in 1_u8..=12,
            day_of_month in 1_u8..=31,
            set_offset in 0_i64..3_000,
            later in 0_i64..1_500,
            last in proptest::option::of(2020_i32..2040),
        ) {
            let Some(bday) = MonthDay::new(month, day_of_month) else { return Ok(()) };
            let set_on = day("2020-01-01").add_days(set_offset);
            let today = set_on.add_days(later);
            if let Some(year) = birthday_reward_due(bday, set_on, today, last) {
                let occurrence = bday.occurrence_in(year);
                prop_assert_eq!(year, today.year());
                prop_assert!(set_on.days_until(occurrence) >= NOTICE_DAYS);
                prop_assert!(occurrence <= today);
                prop_assert!(last.is_none_or(|last| last < year));
                prop_assert_eq!(next_reward_on(bday, set_on, today, last), occurrence);
            }
        }
    }
}
