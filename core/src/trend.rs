//! Weekly trends of the dashboard's overview: weeks start on Mondays, UTC, and a
//! period's trend lists every week it touches, empty ones included; and the two
//! scores the trends carry (NPS and shares).

use crate::dashboard::TrendPoint;
use crate::date::Date;

/// Seconds in a week.
pub const WEEK_SECONDS: i64 = 7 * 86_400;

/// 1970-01-05 00:00 UTC, the first Monday of the Unix epoch, in Unix seconds.
const FIRST_MONDAY: i64 = 4 * 86_400;

/// The start (Unix seconds, a Monday 00:00 UTC) of the week `at` falls in.
pub fn week_start(at: i64) -> i64 {
    at - (at - FIRST_MONDAY).rem_euclid(WEEK_SECONDS)
}

/// One week's sums of a trend: the week's index from the period's first week, the
/// records in it and the sum of what the value is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WeekSums {
    /// Weeks since the period's first week (0 for the first).
    pub week: i64,
    /// Records in the week (the trend point's `count`).
    pub count: i64,
    /// The sum the value is made of (orders, promoters less detractors, satisfied).
    pub sum: i64,
}

/// The weekly points of a trend over `[from, to)`: one per week from the week of `from`
/// to the week of `to - 1`, Mondays UTC, weeks without records at 0; `value` is what
/// `value_of(sums)` says of each week that has records.
pub fn weekly_trend(
    from: i64,
    to: i64,
    weeks: &[WeekSums],
    value_of: impl Fn(&WeekSums) -> f64,
) -> Vec<TrendPoint> {
    let first = week_start(from);
    let last = week_start(to.max(from + 1) - 1);
    let count = (last - first) / WEEK_SECONDS + 1;
    (0..count)
        .map(|week| {
            let sums = weeks.iter().find(|sums| sums.week == week);
            TrendPoint {
                start: Date::from_unix_seconds(first + week * WEEK_SECONDS).to_iso(),
                value: sums.filter(|s| s.count > 0).map_or(0.0, &value_of),
                count: sums.map_or(0, |sums| sums.count),
            }
        })
        .collect()
}

/// Net Promoter Score of `count` answers of which `net` more were promoters (9–10)
/// than detractors (0–6): −100 to 100; `None` without answers.
pub fn nps(net: i64, count: i64) -> Option<f64> {
    (count > 0).then(|| 100.0 * net as f64 / count as f64)
}

/// The share (0–1) of `part` in `count`; `None` when `count` is 0.
pub fn share(part: i64, count: i64) -> Option<f64> {
    (count > 0).then(|| part as f64 / count as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_mondays() {
        // 2026-12-05 is a Saturday; its week began on Monday 2026-11-30.
        let saturday = 1_796_428_800 + 12 * 3600; // 2026-12-05 12:00 UTC
        let monday = week_start(saturday);
        assert_eq!(Date::from_unix_seconds(monday).to_iso(), "2026-11-30");
        assert_eq!(monday % 86_400, 0);
        assert_eq!(week_start(monday), monday);
        assert_eq!(week_start(monday - 1), monday - WEEK_SECONDS);
    }

    #[test]
    fn weekly_trends_cover_the_period_with_empty_weeks() {
        let monday = 1_796_428_800 - 5 * 86_400; // 2026-11-30
        let from = monday + 2 * 86_400; // a Wednesday
        let to = monday + 15 * 86_400; // the Tuesday two weeks on
        let weeks = [WeekSums {
            week: 2,
            count: 4,
            sum: 3,
        }];
        let trend = weekly_trend(from, to, &weeks, |w| w.sum as f64 / w.count as f64);
        let starts: Vec<&str> = trend.iter().map(|p| p.start.as_str()).collect();
        assert_eq!(starts, ["2026-11-30", "2026-12-07", "2026-12-14"]);
        assert_eq!(trend[0].count, 0);
        assert_eq!(trend[0].value, 0.0);
        assert_eq!(trend[2].count, 4);
        assert_eq!(trend[2].value, 0.75);
        // A period ending on a Monday leaves that week out.
        assert_eq!(
            weekly_trend(monday, monday + WEEK_SECONDS, &[], |_| 0.0).len(),
            1
        );
    }

    #[test]
    fn nps_and_shares() {
        assert_eq!(nps(1, 4), Some(25.0));
        assert_eq!(nps(-2, 2), Some(-100.0));
        assert_eq!(nps(0, 0), None);
        assert_eq!(share(3, 4), Some(0.75));
        assert_eq!(share(0, 0), None);
    }
}
