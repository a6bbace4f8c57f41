//! When a subscription delivers: the schedule of an interval kept on one day of the month,
//! skipping, pausing and resuming, and the shop's local date the scheduler compares with.
//!
//! Dates are the shop's calendar dates. A monthly schedule remembers the day it started
//! on (its anchor): started on January 31 it delivers on February 28 (29 in a leap year),
//! then March 31, never drifting to the 28th for good.

use crate::date::{days_in_month, Date};
use crate::orders::{Interval, IntervalUnit};

/// Longest a subscription may be paused, in days.
pub const MAX_PAUSE_DAYS: i64 = 365;

/// Most steps any walk along a schedule takes: a daily schedule walked across the
/// longest pause and back, with room to spare. Walks stop there rather than spin.
const MAX_STEPS: u32 = 1_000;

/// A subscription's delivery rhythm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// How often it delivers.
    pub interval: Interval,
    /// The day of the month monthly and yearly schedules keep to (1–31); month ends
    /// shorter than it deliver on their last day.
    pub anchor_day: u8,
}

impl Schedule {
    /// The schedule whose first delivery is `first`.
    pub fn starting(first: Date, interval: Interval) -> Schedule {
        Schedule {
            interval,
            anchor_day: first.day(),
        }
    }

    /// The delivery `steps` intervals after `date` (before it when negative). For
    /// months and years the day is the anchor, or the month's last day when shorter.
    pub fn step(self, date: Date, steps: i32) -> Date {
        let count = i64::from(self.interval.count) * i64::from(steps);
        match self.interval.unit {
            IntervalUnit::Day => date.add_days(count),
            IntervalUnit::Week => date.add_days(count * 7),
            IntervalUnit::Month => self.add_months(date, count),
            IntervalUnit::Year => self.add_months(date, count * 12),
        }
    }

    fn add_months(self, date: Date, months: i64) -> Date {
        let index = i64::from(date.year()) * 12 + i64::from(date.month()) - 1 + months;
        let year = i32::try_from(index.div_euclid(12)).unwrap_or(date.year());
        // `rem_euclid(12)` is 0..=11.
        let month = u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1);
        let day = self.anchor_day.clamp(1, days_in_month(year, month));
        Date::new(year, month, day).unwrap_or(date)
    }

    /// The delivery after `date`.
    pub fn after(self, date: Date) -> Date {
        self.step(date, 1)
    }

    /// The first delivery of the rhythm through `from` that falls on or after `earliest`
    /// (`from` itself when it already does).
    pub fn on_or_after(self, from: Date, earliest: Date) -> Date {
        let mut date = from;
        for _ in 0..MAX_STEPS {
            if date >= earliest {
                return date;
            }
            date = self.after(date);
        }
        date
    }

    /// The earliest delivery of the rhythm through `next` that falls after `today`: when
    /// a paused subscription resumes early, its deliveries come back to their old days,
    /// starting with the first one still ahead.
    pub fn first_after(self, next: Date, today: Date) -> Date {
        let mut date = self.on_or_after(next, today.add_days(1));
        for _ in 0..MAX_STEPS {
            let earlier = self.step(date, -1);
            if earlier <= today {
                break;
            }
            date = earlier;
        }
        date
    }
}

/// The calendar date at `unix_seconds` in a zone `utc_offset_seconds` ahead of UTC (the
/// offset the shop's time zone has at that instant).
pub fn local_date(unix_seconds: i64, utc_offset_seconds: i32) -> Date {
    Date::from_unix_seconds(unix_seconds.saturating_add(i64::from(utc_offset_seconds)))
}

/// Why a subscription cannot be paused until `until` on `today`, if it cannot: the
/// date must be after today and at most [`MAX_PAUSE_DAYS`] away.
pub fn pause_problem(today: Date, until: Date) -> Option<String> {
    let days = today.days_until(until);
    if days < 1 {
        return Some(format!(
            "a pause must end after today ({}), not on {}",
            today.to_iso(),
            until.to_iso()
        ));
    }
    (days > MAX_PAUSE_DAYS).then(|| {
        format!(
            "a pause may last at most {MAX_PAUSE_DAYS} days, until {} at the latest",
            today.add_days(MAX_PAUSE_DAYS).to_iso()
        )
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn day(iso: &str) -> Date {
        Date::parse(iso).unwrap()
    }

    fn every(interval: &str, first: &str) -> Schedule {
        Schedule::starting(day(first), Interval::parse(interval).unwrap())
    }

    fn walk(schedule: Schedule, first: &str, deliveries: usize) -> Vec<String> {
        let mut date = day(first);
        let mut out = vec![date.to_iso()];
        for _ in 1..deliveries {
            date = schedule.after(date);
            out.push(date.to_iso());
        }
        out
    }

    #[test]
    fn a_monthly_schedule_keeps_the_end_of_the_month() {
        let monthly = every("P1M", "2027-01-31");
        assert_eq!(
            walk(monthly, "2027-01-31", 5),
            [
                "2027-01-31",
                "2027-02-28",
                "2027-03-31",
                "2027-04-30",
                "2027-05-31"
            ]
        );
    }

    #[test]
    fn february_has_its_29th_in_leap_years_only() {
        let monthly = every("P1M", "2028-01-30");
        assert_eq!(
            walk(monthly, "2028-01-30", 3),
            ["2028-01-30", "2028-02-29", "2028-03-30"]
        );
        let yearly = every("P1Y", "2028-02-29");
        assert_eq!(
            walk(yearly, "2028-02-29", 6),
            [
                "2028-02-29",
                "2029-02-28",
                "2030-02-28",
                "2031-02-28",
                "2032-02-29",
                "2033-02-28"
            ]
        );
        // 2100 is not a leap year; 2000 was.
        let quarterly = every("P3M", "2099-11-29");
        assert_eq!(quarterly.after(day("2099-11-29")).to_iso(), "2100-02-28");
        let quarterly = every("P3M", "1999-11-29");
        assert_eq!(quarterly.after(day("1999-11-29")).to_iso(), "2000-02-29");
    }

    #[test]
    fn days_and_weeks_count_days_across_months_and_years() {
        assert_eq!(
            walk(every("P2W", "2027-12-20"), "2027-12-20", 3),
            ["2027-12-20", "2028-01-03", "2028-01-17"]
        );
        assert_eq!(
            walk(every("P45D", "2028-01-15"), "2028-01-15", 3),
            ["2028-01-15", "2028-02-29", "2028-04-14"]
        );
    }

    #[test]
    fn stepping_back_undoes_stepping_forward_on_the_anchor() {
        let monthly = every("P1M", "2027-01-31");
        let april = day("2027-04-30");
        assert_eq!(monthly.step(april, -2).to_iso(), "2027-02-28");
        assert_eq!(monthly.step(april, -3).to_iso(), "2027-01-31");
        assert_eq!(monthly.step(day("2027-01-31"), -1).to_iso(), "2026-12-31");
    }

    #[test]
    fn a_pause_moves_the_next_delivery_to_the_first_one_on_or_after_its_end() {
        let fortnightly = every("P2W", "2027-01-10");
        assert_eq!(
            fortnightly
                .on_or_after(day("2027-01-10"), day("2027-03-01"))
                .to_iso(),
            "2027-03-07"
        );
        // A pause ending on a delivery day keeps that delivery.
        assert_eq!(
            fortnightly
                .on_or_after(day("2027-01-10"), day("2027-01-24"))
                .to_iso(),
            "2027-01-24"
        );
    }

    #[test]
    fn resuming_early_brings_back_the_first_delivery_still_ahead() {
        let fortnightly = every("P2W", "2027-01-10");
        // Paused until March: the next delivery was pushed to March 7.
        let paused_next = day("2027-03-07");
        assert_eq!(
            fortnightly
                .first_after(paused_next, day("2027-01-30"))
                .to_iso(),
            "2027-02-07"
        );
        // Resuming on a delivery day delivers next time, not today.
        assert_eq!(
            fortnightly
                .first_after(paused_next, day("2027-02-07"))
                .to_iso(),
            "2027-02-21"
        );
        // A next delivery that has passed rolls forward instead.
        assert_eq!(
            fortnightly
                .first_after(day("2027-01-10"), day("2027-01-12"))
                .to_iso(),
            "2027-01-24"
        );
    }

    #[test]
    fn the_local_date_follows_the_shops_offset() {
        // 2027-03-01T23:30:00Z
        let instant = day("2027-03-01").days_since_epoch() * 86_400 + 23 * 3_600 + 1_800;
        assert_eq!(local_date(instant, 0).to_iso(), "2027-03-01");
        assert_eq!(local_date(instant, 8 * 3_600).to_iso(), "2027-03-02");
        assert_eq!(
            local_date(instant - 86_400 * 2, -5 * 3_600).to_iso(),
            "2027-02-27"
        );
        // Just past midnight in Shanghai is still yesterday in UTC.
        let shanghai_midnight = day("2028-02-29").days_since_epoch() * 86_400 - 8 * 3_600;
        assert_eq!(
            local_date(shanghai_midnight, 8 * 3_600).to_iso(),
            "2028-02-29"
        );
        assert_eq!(local_date(shanghai_midnight, 0).to_iso(), "2028-02-28");
    }

    #[test]
    fn pauses_end_after_today_and_within_a_year() {
        let today = day("2027-06-01");
        assert!(pause_problem(today, today).is_some());
        assert!(pause_problem(today, day("2027-05-01")).is_some());
        assert!(pause_problem(today, day("2027-06-02")).is_none());
        assert!(pause_problem(today, day("2028-05-31")).is_none());
        assert!(pause_problem(today, day("2028-06-01")).is_some());
    }

    fn interval() -> impl Strategy<Value = Interval> {
        (1u16..=90, 0usize..4).prop_map(|(count, unit)| Interval {
            count,
            unit: [
                IntervalUnit::Day,
                IntervalUnit::Week,
                IntervalUnit::Month,
                IntervalUnit::Year,
            ][unit],
        })
    }

    proptest! {
        #[test]
        fn deliveries_always_move_forward_and_keep_the_anchor(
            start in 0i64..40_000,
            interval in interval(),
            steps in 1usize..30,
        ) {
            let first = Date::from_days_since_epoch(start);
            let schedule = Schedule::starting(first, interval);
            let mut date = first;
            for _ in 0..steps {
                let next = schedule.after(date);
                prop_assert!(next > date);
                if matches!(interval.unit, IntervalUnit::Month | IntervalUnit::Year) {
                    let expected = first.day().min(days_in_month(next.year(), next.month()));
                    prop_assert_eq!(next.day(), expected);
                }
                prop_assert_eq!(schedule.step(next, -1), date);
                date = next;
            }
        }

        #[test]
        fn resuming_lands_after_today_and_within_one_interval(
            start in 10_000i64..30_000,
            interval in interval(),
            ahead in 0i64..400,
            today_offset in -50i64..400,
        ) {
            let first = Date::from_days_since_epoch(start);
            let schedule = Schedule::starting(first, interval);
            let next = schedule.on_or_after(first, first.add_days(ahead));
            let today = first.add_days(today_offset);
            let resumed = schedule.first_after(next, today);
            prop_assert!(resumed > today);
            prop_assert!(schedule.step(resumed, -1) <= today);
        }
    }
}
