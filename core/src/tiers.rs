//! Tier qualification over a window (lifetime, calendar year or rolling 12 months) and
//! the status a shopper holds: moving up at once, moving down only when the hold ends.
//! The ladder itself and the progress bar are [`crate::tier`]'s.
//!
//! Rules:
//! - What counts is points earned or money spent ([`TierBasis`]), never the balance. A
//!   refund is a negative event; the server dates it with the refunded order's date so
//!   it cancels the purchase in the window where that counted. A total below zero counts
//!   as zero. A tier the refunded order helped to reach is not kept: the status is
//!   replayed without it ([`crate::tier_refund`]), and so is the multiplier bonus that
//!   tier gave later orders ([`crate::tier_bonus`]).
//! - Lifetime: the tier follows the lifetime total both ways. Nothing ends, so the only
//!   way down is a refund of qualifying amounts, which is a correction, not a downgrade.
//! - Calendar year: a tier reached with year Y's total is held through December 31 of
//!   Y + 1 (so a tier reached in December is not lost days later). When the hold ends,
//!   the shopper gets the best tier reached by last year's or this year's total.
//! - Rolling 12 months: the total counts events of the last 12 months, today included,
//!   an event dropping out on its first anniversary. A tier is held for 12 months from
//!   the day it was granted (through the day before the grant's anniversary); when the
//!   hold ends, the rolling total of that day decides the next tier and a new hold.
//! - Moving up grants the higher tier at once, with a new hold from today. Reaching the
//!   held tier again does not extend its hold; the re-evaluation when it ends does, so
//!   the result does not depend on how often the server evaluates.
//! - A held tier that is no longer on the ladder is not protected.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::tier::{tier_progress, Tier, TierProgress};

/// The period whose total decides the tier.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TierWindow {
    /// Everything since the shopper joined.
    #[default]
    Lifetime,
    /// January 1 to December 31.
    CalendarYear,
    /// The last 12 months up to today.
    #[serde(rename = "rolling_12_months")]
    Rolling12Months,
}

impl TierWindow {
    /// The window as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            TierWindow::Lifetime => "lifetime",
            TierWindow::CalendarYear => "calendar_year",
            TierWindow::Rolling12Months => "rolling_12_months",
        }
    }

    /// Parses a stored window.
    pub fn parse(value: &str) -> Option<TierWindow> {
        [
            TierWindow::Lifetime,
            TierWindow::CalendarYear,
            TierWindow::Rolling12Months,
        ]
        .into_iter()
        .find(|window| window.as_str() == value)
    }
}

/// What the tier thresholds measure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TierBasis {
    /// Points earned (not spent or expired ones subtracted; refunds are).
    #[default]
    PointsEarned,
    /// Money paid for orders, in minor units, refunds subtracted.
    MoneySpent,
}

impl TierBasis {
    /// The basis as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            TierBasis::PointsEarned => "points_earned",
            TierBasis::MoneySpent => "money_spent",
        }
    }

    /// Parses a stored basis.
    pub fn parse(value: &str) -> Option<TierBasis> {
        [TierBasis::PointsEarned, TierBasis::MoneySpent]
            .into_iter()
            .find(|basis| basis.as_str() == value)
    }
}

/// Points earned or money spent on one day (negative for a refund).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QualifyingEvent {
    /// When it happened (for a refund: the refunded order's date).
    pub on: Date,
    /// Points or minor units, as the [`TierBasis`] says.
    pub amount: i64,
}

/// The tier a shopper holds and until when it is safe from moving down.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierStatus {
    /// Id of the tier held, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// Last day the tier is held whatever the total does; `None` for lifetime
    /// programmes, where the tier follows the total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_until: Option<Date>,
}

/// Whether an event on `on` counts towards the window as of `today`. Events after
/// `today` never count.
pub fn in_window(window: TierWindow, on: Date, today: Date) -> bool {
    on <= today
        && match window {
            TierWindow::Lifetime => true,
            TierWindow::CalendarYear => on.year() == today.year(),
            TierWindow::Rolling12Months => on > today.add_years(-1),
        }
}

/// The qualifying total of the window as of `today`, never below zero.
pub fn qualifying_total(events: &[QualifyingEvent], window: TierWindow, today: Date) -> i64 {
    sum(events
        .iter()
        .filter(|event| in_window(window, event.on, today)))
}

/// Progress towards the next tier on the current window's total, for the widget.
pub fn progress(
    ladder: &[Tier],
    events: &[QualifyingEvent],
    window: TierWindow,
    today: Date,
) -> TierProgress {
    tier_progress(ladder, qualifying_total(events, window, today))
}

/// Progress as the widget shows it to a shopper who holds `status` with `total` in the
/// current window: the current tier is the one held, even while the total alone would
/// not reach it, and the next tier is the first above it.
pub fn held_progress(ladder: &[Tier], status: &TierStatus, total: i64) -> TierProgress {
    let by_total = tier_progress(ladder, total);
    let Some(held) = status.tier.as_deref().and_then(|id| rank(ladder, id)) else {
        return by_total;
    };
    let reached = by_total.current.as_deref().and_then(|id| rank(ladder, id));
    if reached >= Some(held) {
        return by_total;
    }
    let floor = ladder[held].threshold;
    let (next, points_to_next, percent) = match ladder.get(held + 1) {
        None => (None, 0, 100),
        Some(next) => {
            let span = (next.threshold - floor).max(1);
            let done = (total - floor).clamp(0, span);
            let percent = u8::try_from(done * 100 / span).unwrap_or(100);
            (Some(next.id.clone()), next.threshold - total, percent)
        }
    };
    TierProgress {
        current: Some(ladder[held].id.clone()),
        next,
        points_to_next,
        percent,
    }
}

/// The status after evaluating the shopper `today`, given the status they held. See the
/// module rules; `ladder` is sorted by rising threshold.
pub fn next_status(
    ladder: &[Tier],
    previous: &TierStatus,
    events: &[QualifyingEvent],
    window: TierWindow,
    today: Date,
) -> TierStatus {
    let reached = reached_now(ladder, events, window, today);
    let held = previous
        .held_until
        .filter(|until| today <= *until)
        .and_then(|_| rank(ladder, previous.tier.as_deref()?));
    match held {
        Some(held) if rank_of(ladder, &reached) <= Some(held) => previous.clone(),
        _ => reached,
    }
}

/// The best status the events earn as of `today`, with the hold it would start.
fn reached_now(
    ladder: &[Tier],
    events: &[QualifyingEvent],
    window: TierWindow,
    today: Date,
) -> TierStatus {
    match window {
        TierWindow::Lifetime => status(ladder, qualifying_total(events, window, today), None),
        TierWindow::Rolling12Months => {
            let total = qualifying_total(events, window, today);
            status(ladder, total, Some(today.add_years(1).add_days(-1)))
        }
        TierWindow::CalendarYear => {
            let this_year = today.end_of_year();
            let last_year = this_year.add_years(-1);
            let by_this_year = status(
                ladder,
                qualifying_total(events, window, today),
                Some(this_year.add_years(1)),
            );
            let by_last_year = status(
                ladder,
                qualifying_total(events, window, last_year),
                Some(this_year),
            );
            if rank_of(ladder, &by_last_year) > rank_of(ladder, &by_this_year) {
                by_last_year
            } else {
                by_this_year
            }
        }
    }
}

/// The tier `total` reaches, held until `held_until` (no hold without a tier).
fn status(ladder: &[Tier], total: i64, held_until: Option<Date>) -> TierStatus {
    let tier = tier_progress(ladder, total).current;
    TierStatus {
        held_until: tier.as_ref().and(held_until),
        tier,
    }
}

/// Position of a tier on the ladder, `None` for no tier or one not on it.
fn rank(ladder: &[Tier], id: &str) -> Option<usize> {
    ladder.iter().position(|tier| tier.id == id)
}

/// Rank (index in the ladder) of the tier a status holds, `None` without one.
pub(crate) fn rank_of(ladder: &[Tier], status: &TierStatus) -> Option<usize> {
    rank(ladder, status.tier.as_deref()?)
}

fn sum<'a>(events: impl Iterator<Item = &'a QualifyingEvent>) -> i64 {
    events
        .map(|event| event.amount)
        .fold(0, i64::saturating_add)
        .max(0)
}

/// Test fixtures shared by the tier modules' tests (`tiers`, `tier_refund`,
/// `tier_bonus`).
#[cfg(test)]
pub(crate) mod fixtures {
    use super::{QualifyingEvent, TierStatus};
    use crate::date::Date;
    use crate::tier::Tier;
    use crate::LocalizedText;

    /// The date of an ISO day.
    pub(crate) fn day(iso: &str) -> Date {
        Date::parse(iso).expect("valid test date")
    }

    /// Silver from 500, gold from 2,000, no perks.
    pub(crate) fn ladder() -> Vec<Tier> {
        [("silver", 500), ("gold", 2_000)]
            .into_iter()
            .map(|(id, threshold)| Tier {
                id: id.into(),
                name: LocalizedText::en(id),
                threshold,
                perks: crate::tier::TierPerks::default(),
            })
            .collect()
    }

    /// A qualifying amount on an ISO day.
    pub(crate) fn event(on: &str, amount: i64) -> QualifyingEvent {
        QualifyingEvent {
            on: day(on),
            amount,
        }
    }

    /// A tier held until an ISO day.
    pub(crate) fn held(tier: &str, until: &str) -> TierStatus {
        TierStatus {
            tier: Some(tier.into()),
            held_until: Some(day(until)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{day, event, held, ladder};
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn held_tier_shows_as_current_while_the_total_lags() {
        let gold = held("gold", "2027-12-31");
        let progress = held_progress(&ladder(), &gold, 300);
        assert_eq!(progress.current.as_deref(), Some("gold"));
        assert_eq!((progress.next, progress.points_to_next), (None, 0));
        let silver = held("silver", "2027-12-31");
        let progress = held_progress(&ladder(), &silver, 100);
        assert_eq!(progress.current.as_deref(), Some("silver"));
        assert_eq!(progress.next.as_deref(), Some("gold"));
        assert_eq!((progress.points_to_next, progress.percent), (1_900, 0));
    }

    #[test]
    fn a_total_above_the_held_tier_shows_the_total() {
        let silver = held("silver", "2027-12-31");
        let progress = held_progress(&ladder(), &silver, 2_500);
        assert_eq!(progress, tier_progress(&ladder(), 2_500));
        assert_eq!(
            held_progress(&ladder(), &none(), 700),
            tier_progress(&ladder(), 700)
        );
    }

    fn none() -> TierStatus {
        TierStatus::default()
    }

    #[test]
    fn windows_choose_the_events_that_count() {
        let events = [
            event("2025-06-01", 100),
            event("2026-03-01", 20),
            event("2026-03-02", 3),
            event("2027-01-01", 4_000),
            event("2027-02-01", -1_000),
            event("2027-05-01", 7),
        ];
        let today = day("2027-03-01");
        assert_eq!(
            qualifying_total(&events, TierWindow::Lifetime, today),
            3_123
        );
        assert_eq!(
            qualifying_total(&events, TierWindow::CalendarYear, today),
            3_000
        );
        assert_eq!(
            qualifying_total(&events, TierWindow::Rolling12Months, today),
            3_003,
            "2026-03-01 dropped out on its anniversary"
        );
        let refunds_only = [event("2027-01-01", -50)];
        assert_eq!(
            qualifying_total(&refunds_only, TierWindow::Lifetime, today),
            0
        );
    }

    #[test]
    fn lifetime_follows_the_total_both_ways() {
        let mut events = vec![event("2027-01-01", 2_100)];
        let today = day("2027-03-01");
        let gold = next_status(&ladder(), &none(), &events, TierWindow::Lifetime, today);
        assert_eq!(gold.tier.as_deref(), Some("gold"));
        assert_eq!(gold.held_until, None);
        events.push(event("2027-01-01", -1_000));
        let corrected = next_status(&ladder(), &gold, &events, TierWindow::Lifetime, today);
        assert_eq!(corrected.tier.as_deref(), Some("silver"));
    }

    #[test]
    fn calendar_year_holds_through_the_next_year() {
        let window = TierWindow::CalendarYear;
        let events = vec![event("2027-12-20", 2_000), event("2028-05-01", 600)];
        let gold = next_status(&ladder(), &none(), &events, window, day("2027-12-20"));
        assert_eq!(gold, held("gold", "2028-12-31"));
        // All of 2028 keeps gold though 2028's total only reaches silver.
        let later = next_status(&ladder(), &gold, &events, window, day("2028-12-31"));
        assert_eq!(later, gold);
        // On January 1, 2029 the hold has ended: 2028's total gives silver through 2029.
        let after = next_status(&ladder(), &gold, &events, window, day("2029-01-01"));
        assert_eq!(after, held("silver", "2029-12-31"));
        // Evaluating late changes nothing.
        let late = next_status(&ladder(), &gold, &events, window, day("2029-06-30"));
        assert_eq!(late, after);
        // In 2030 nothing qualifies any more.
        let gone = next_status(&ladder(), &after, &events, window, day("2030-01-01"));
        assert_eq!(gone, none());
    }

    #[test]
    fn moving_up_is_immediate_with_a_new_hold() {
        let window = TierWindow::CalendarYear;
        let events = vec![event("2028-02-01", 600), event("2028-03-01", 1_500)];
        let silver = next_status(&ladder(), &none(), &events[..1], window, day("2028-02-01"));
        assert_eq!(silver, held("silver", "2029-12-31"));
        let gold = next_status(&ladder(), &silver, &events, window, day("2028-03-01"));
        assert_eq!(gold, held("gold", "2029-12-31"));
    }

    #[test]
    fn a_refund_does_not_take_a_held_tier_early() {
        let window = TierWindow::CalendarYear;
        let mut events = vec![event("2028-02-01", 2_500)];
        let gold = next_status(&ladder(), &none(), &events, window, day("2028-02-01"));
        events.push(event("2028-02-01", -2_500));
        let after = next_status(&ladder(), &gold, &events, window, day("2028-03-01"));
        assert_eq!(after, gold);
    }

    #[test]
    fn rolling_window_holds_twelve_months_from_the_grant() {
        let window = TierWindow::Rolling12Months;
        let events = vec![event("2027-03-01", 2_000), event("2027-09-01", 500)];
        let gold = next_status(&ladder(), &none(), &events, window, day("2027-03-01"));
        assert_eq!(gold, held("gold", "2028-02-29"));
        // Qualifying again within the hold does not extend it.
        let still = next_status(&ladder(), &gold, &events, window, day("2027-09-01"));
        assert_eq!(still, gold);
        let last_day = next_status(&ladder(), &gold, &events, window, day("2028-02-29"));
        assert_eq!(last_day, gold);
        // March 1, 2028: the March purchase has dropped out; September's keeps silver.
        let after = next_status(&ladder(), &gold, &events, window, day("2028-03-01"));
        assert_eq!(after, held("silver", "2029-02-28"));
    }

    #[test]
    fn a_tier_taken_off_the_ladder_is_not_held() {
        let previous = held("platinum", "2030-12-31");
        let events = [event("2028-01-01", 600)];
        let status = next_status(
            &ladder(),
            &previous,
            &events,
            TierWindow::CalendarYear,
            day("2028-01-02"),
        );
        assert_eq!(status, held("silver", "2029-12-31"));
    }

    #[test]
    fn progress_uses_the_window_total() {
        let events = [event("2026-06-01", 1_000), event("2027-02-01", 1_250)];
        let today = day("2027-03-01");
        let yearly = progress(&ladder(), &events, TierWindow::CalendarYear, today);
        assert_eq!(yearly.current.as_deref(), Some("silver"));
        assert_eq!(yearly.points_to_next, 750);
        let lifetime = progress(&ladder(), &events, TierWindow::Lifetime, today);
        assert_eq!(lifetime.current.as_deref(), Some("gold"));
    }

    #[test]
    fn names_round_trip() {
        for window in [
            TierWindow::Lifetime,
            TierWindow::CalendarYear,
            TierWindow::Rolling12Months,
        ] {
            assert_eq!(TierWindow::parse(window.as_str()), Some(window));
            let json = serde_json::to_string(&window).expect("serializes");
            assert_eq!(json, format!("\"{}\"", window.as_str()));
        }
        for basis in [TierBasis::PointsEarned, TierBasis::MoneySpent] {
            assert_eq!(TierBasis::parse(basis.as_str()), Some(basis));
            let json = serde_json::to_string(&basis).expect("serializes");
            assert_eq!(json, format!("\"{}\"", basis.as_str()));
        }
        assert_eq!(TierWindow::parse("weekly"), None);
    }

    fn window() -> impl Strategy<Value = TierWindow> {
        prop_oneof![
            Just(TierWindow::Lifetime),
            Just(TierWindow::CalendarYear),
            Just(TierWindow::Rolling12Months),
        ]
    }

    proptest! {
        /// Evaluated day by day over any history, the tier never drops while held, never
        /// sits below what the current window's total reaches, and a hold never ends
        /// before today.
        #[test]
        fn status_never_drops_while_held(
            raw in proptest::collection::vec((0_i64..1_100, -800_i64..1_500), 0..30),
            window in window(),
        ) {
            let start = day("2027-01-01");
            let events: Vec<QualifyingEvent> = raw
                .iter()
                .map(|&(offset, amount)| QualifyingEvent { on: start.add_days(offset), amount })
                .collect();
            let ladder = ladder();
            let mut status = TierStatus::default();
            for offset in (0..1_100).step_by(7) {
                let today = start.add_days(offset);
                let next = next_status(&ladder, &status, &events, window, today);
                let reached = tier_progress(&ladder, qualifying_total(&events, window, today)).current;
                prop_assert!(rank_of(&ladder, &next) >= rank(&ladder, reached.as_deref().unwrap_or("")));
                if status.held_until.is_some_and(|until| today <= until) {
                    prop_assert!(rank_of(&ladder, &next) >= rank_of(&ladder, &status));
                }
                prop_assert!(next.held_until.is_none_or(|until| until >= today));
                let expects_hold = next.tier.is_some() && window != TierWindow::Lifetime;
                prop_assert_eq!(next.held_until.is_some(), expects_hold);
                status = next;
            }
        }
    }
}
