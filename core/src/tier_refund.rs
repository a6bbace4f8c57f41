//! The tier after a refund: the tier a refunded order helped to reach is not kept, while
//! a tier reached by genuine spending still moves down only when its hold ends. The
//! status is replayed from the events that remain, as if the refunded order had never
//! counted (see [`crate::tiers`] for the rules of a window and a hold).

use crate::date::Date;
use crate::tier::Tier;
use crate::tiers::{next_status, rank_of, QualifyingEvent, TierStatus, TierWindow};

/// The status the shopper would hold `today` had the server evaluated them every day,
/// starting with no tier: the status their events earn, with the holds those events
/// started. Only the days when something can change are evaluated: each event's day,
/// the day it leaves the window (its anniversary, or January 1 of the next year), and
/// the day after each hold ends.
pub fn replay(
    ladder: &[Tier],
    events: &[QualifyingEvent],
    window: TierWindow,
    today: Date,
) -> TierStatus {
    let mut days: Vec<Date> = events
        .iter()
        .flat_map(|event| {
            let leaves = match window {
                TierWindow::Lifetime => None,
                TierWindow::Rolling12Months => Some(event.on.add_years(1)),
                TierWindow::CalendarYear => Some(event.on.end_of_year().add_days(1)),
            };
            [Some(event.on), leaves]
        })
        .flatten()
        .filter(|on| *on <= today)
        .collect();
    days.push(today);
    days.sort_unstable();
    days.dedup();
    let mut held = TierStatus::default();
    for day in days {
        // Holds that ended before `day`: the day after each is a re-evaluation. Every
        // new hold ends later than the one before, so this ends.
        while let Some(after) = held
            .held_until
            .map(|until| until.add_days(1))
            .filter(|after| *after < day)
        {
            let next = next_status(ladder, &held, events, window, after);
            let later = next.held_until > held.held_until;
            held = next;
            if !later {
                break;
            }
        }
        held = next_status(ladder, &held, events, window, day);
    }
    held
}

/// The status after a refund, from the one held (`stored`) and the events that remain
/// (the refund included): the tier the refunded order helped to reach is not kept. When
/// [`replay`] without the refunded order earns less than `stored`, the shopper holds
/// what the replay earns; otherwise (genuine spending earned it) `stored` stands, and a
/// tier still moves down only when its hold ends.
pub fn after_refund(
    ladder: &[Tier],
    stored: &TierStatus,
    events: &[QualifyingEvent],
    window: TierWindow,
    today: Date,
) -> TierStatus {
    let replayed = replay(ladder, events, window, today);
    if rank_of(ladder, &replayed) < rank_of(ladder, stored) {
        replayed
    } else {
        stored.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tiers::fixtures::{day, event, held, ladder};
    use proptest::prelude::*;

    #[test]
    fn a_refunded_order_does_not_keep_the_tier_it_reached() {
        // 2,000 on March 1 reached gold (held through next year); refunded on March 5.
        let events = [event("2027-03-01", 2_000), event("2027-03-01", -2_000)];
        let stored = held("gold", "2028-12-31");
        let today = day("2027-03-05");
        for window in [TierWindow::CalendarYear, TierWindow::Rolling12Months] {
            assert_eq!(
                after_refund(&ladder(), &stored, &events, window, today),
                TierStatus::default(),
                "{window:?}"
            );
        }
    }

    #[test]
    fn genuine_spending_keeps_its_hold_after_a_refund() {
        // Gold reached by genuine spending in January; a later order refunded.
        let events = [
            event("2027-01-10", 2_100),
            event("2027-02-01", 300),
            event("2027-02-01", -300),
            event("2027-03-01", -200),
        ];
        let stored = held("gold", "2028-12-31");
        let today = day("2027-03-05");
        assert_eq!(
            after_refund(&ladder(), &stored, &events, TierWindow::CalendarYear, today),
            stored
        );
    }

    #[test]
    fn the_replay_keeps_the_best_tier_reached_with_its_hold() {
        // Silver in 2026, gold in 2027 with money that is refunded: silver, held from 2026.
        let events = [
            event("2026-06-01", 600),
            event("2027-02-01", 1_500),
            event("2027-02-01", -1_500),
        ];
        assert_eq!(
            replay(
                &ladder(),
                &events,
                TierWindow::CalendarYear,
                day("2027-03-01")
            ),
            held("silver", "2027-12-31")
        );
        // The rolling window re-grants silver on the day its hold ends while the total
        // still reaches it, and drops it when the total no longer does.
        let events = [event("2026-06-01", 400), event("2027-03-01", 200)];
        assert_eq!(
            replay(
                &ladder(),
                &events,
                TierWindow::Rolling12Months,
                day("2027-06-10")
            ),
            held("silver", "2028-02-29")
        );
        assert_eq!(
            replay(
                &ladder(),
                &events,
                TierWindow::Rolling12Months,
                day("2028-03-01")
            ),
            TierStatus::default()
        );
    }

    proptest! {
        /// A replay never grants more than evaluating every day would, and a status
        /// after a refund is never better than the one stored.
        #[test]
        fn after_refund_never_raises_the_tier(
            amounts in proptest::collection::vec((0_i64..700, -1_000_i64..2_500), 0..12),
            stored_rank in 0_usize..3,
        ) {
            let start = day("2026-01-01");
            let events: Vec<QualifyingEvent> = amounts
                .iter()
                .map(|(offset, amount)| QualifyingEvent { on: start.add_days(*offset), amount: *amount })
                .collect();
            let today = start.add_days(700);
            let stored = match stored_rank {
                0 => TierStatus::default(),
                1 => held("silver", "2028-12-31"),
                _ => held("gold", "2028-12-31"),
            };
            for window in [TierWindow::Lifetime, TierWindow::CalendarYear, TierWindow::Rolling12Months] {
                let after = after_refund(&ladder(), &stored, &events, window, today);
                prop_assert!(rank_of(&ladder(), &after) <= rank_of(&ladder(), &stored));
                let mut daily = TierStatus::default();
                for offset in 0..=700 {
                    daily = next_status(&ladder(), &daily, &events, window, start.add_days(offset));
                }
                prop_assert_eq!(replay(&ladder(), &events, window, today), daily);
            }
        }
    }
}
