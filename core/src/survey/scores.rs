//! The scores a shop reads from its surveys, per week and per survey version: Net
//! Promoter Score (promoters 9–10 minus detractors 0–6, in percent of the answers),
//! CSAT (the share answering 4 or 5 of 5) and customer effort (the mean of 1–7).

use serde::{Deserialize, Serialize};

use crate::date::Date;

/// NPS of a set of answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NpsSummary {
    /// Answers counted.
    pub responses: u64,
    /// Answers of 9 or 10.
    pub promoters: u64,
    /// Answers of 7 or 8.
    pub passives: u64,
    /// Answers of 0 to 6.
    pub detractors: u64,
    /// Promoters minus detractors in percent of all answers, rounded half away from
    /// zero: -100 to 100.
    pub score: i64,
}

/// Where one NPS answer falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NpsGroup {
    /// 9 or 10.
    Promoter,
    /// 7 or 8.
    Passive,
    /// 0 to 6.
    Detractor,
}

/// The group of an NPS score (scores outside 0–10 are refused before they get here;
/// anything above 10 counts as a promoter, below 0 as a detractor).
pub fn nps_group(score: i64) -> NpsGroup {
    match score {
        9.. => NpsGroup::Promoter,
        7..=8 => NpsGroup::Passive,
        _ => NpsGroup::Detractor,
    }
}

/// `part` in percent of `whole`, rounded half away from zero; 0 for nothing.
fn percent(part: i64, whole: u64) -> i64 {
    let Ok(whole) = i64::try_from(whole) else {
        return 0;
    };
    if whole == 0 {
        return 0;
    }
    let scaled = part * 200;
    (scaled + scaled.signum() * whole) / (2 * whole)
}

impl NpsSummary {
    /// The summary of `scores`.
    pub fn of(scores: impl IntoIterator<Item = i64>) -> NpsSummary {
        let mut s = NpsSummary::default();
        for score in scores {
            s.responses += 1;
            match nps_group(score) {
                NpsGroup::Promoter => s.promoters += 1,
                NpsGroup::Passive => s.passives += 1,
                NpsGroup::Detractor => s.detractors += 1,
            }
        }
        let net = i64::try_from(s.promoters).unwrap_or(i64::MAX)
            - i64::try_from(s.detractors).unwrap_or(i64::MAX);
        s.score = percent(net, s.responses);
        s
    }
}

/// CSAT of a set of 1–5 answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CsatSummary {
    /// Answers counted.
    pub responses: u64,
    /// Answers of 4 or 5.
    pub satisfied: u64,
    /// `satisfied` in percent of `responses`, rounded.
    pub percent: i64,
}

impl CsatSummary {
    /// The summary of `scores`.
    pub fn of(scores: impl IntoIterator<Item = i64>) -> CsatSummary {
        let mut s = CsatSummary::default();
        for score in scores {
            s.responses += 1;
            s.satisfied += u64::from(score >= 4);
        }
        s.percent = percent(i64::try_from(s.satisfied).unwrap_or(i64::MAX), s.responses);
        s
    }
}

/// Customer effort of a set of 1–7 answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EffortSummary {
    /// Answers counted.
    pub responses: u64,
    /// The mean answer in hundredths (5.25 is 525), rounded; 0 for none.
    pub mean_hundredths: i64,
}

impl EffortSummary {
    /// The summary of `scores`.
    pub fn of(scores: impl IntoIterator<Item = i64>) -> EffortSummary {
        let (mut n, mut sum) = (0u64, 0i64);
        for score in scores {
            n += 1;
            sum += score;
        }
        EffortSummary {
            responses: n,
            mean_hundredths: percent(sum, n),
        }
    }
}

/// The Monday starting `day`'s ISO week: the key responses are summed by.
pub fn week_of(day: Date) -> Date {
    // 1970-01-01 was a Thursday: day 0 is weekday 3 counting from Monday.
    let days = day.days_since_epoch();
    day.add_days(-(days + 3).rem_euclid(7))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nps_is_promoters_minus_detractors() {
        let s = NpsSummary::of([10, 9, 9, 8, 7, 6, 0]);
        assert_eq!(
            (s.responses, s.promoters, s.passives, s.detractors),
            (7, 3, 2, 2)
        );
        // (3 - 2) / 7 = 14.29 %
        assert_eq!(s.score, 14);
        assert_eq!(NpsSummary::of([0, 1, 2]).score, -100);
        assert_eq!(NpsSummary::of([10]).score, 100);
        assert_eq!(NpsSummary::of([]).score, 0);
        // Half away from zero: 1/8 = 12.5 % and -1/8.
        assert_eq!(NpsSummary::of([10, 7, 7, 7, 7, 7, 7, 7]).score, 13);
        assert_eq!(NpsSummary::of([0, 7, 7, 7, 7, 7, 7, 7]).score, -13);
    }

    #[test]
    fn csat_counts_four_and_five_as_satisfied() {
        let s = CsatSummary::of([5, 4, 3, 1]);
        assert_eq!((s.responses, s.satisfied, s.percent), (4, 2, 50));
        assert_eq!(CsatSummary::of([5, 5, 2]).percent, 67);
        assert_eq!(CsatSummary::of([]).percent, 0);
    }

    #[test]
    fn effort_is_a_mean_in_hundredths() {
        assert_eq!(EffortSummary::of([7, 6, 2]).mean_hundredths, 500);
        assert_eq!(EffortSummary::of([7, 6]).mean_hundredths, 650);
        assert_eq!(EffortSummary::of([1, 1, 2]).mean_hundredths, 133);
    }

    #[test]
    fn weeks_start_on_monday() {
        let monday = Date::new(2026, 11, 30).unwrap();
        for offset in 0..7 {
            assert_eq!(week_of(monday.add_days(offset)), monday);
        }
        assert_eq!(week_of(monday.add_days(7)), monday.add_days(7));
        assert_eq!(
            week_of(Date::new(1970, 1, 1).unwrap()),
            Date::new(1969, 12, 29).unwrap()
        );
    }
}
