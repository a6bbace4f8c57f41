//! The multiplier bonus a refund takes back: an order paid while the shopper held a tier
//! (and its points multiplier) only a refunded order gave them keeps only what the tier
//! they would have held earns.
//!
//! The tier history is recomputed as if refunded orders had never counted: for each
//! order a multiplier raised, the status at the day it was processed is replayed
//! ([`crate::tier_refund::replay`]) from what was recorded before it plus the
//! corrections of it (refunds, negative amounts, dated by the order they refund), which
//! count whenever they were recorded. With a `points_earned` basis an order counts only the points
//! the recomputed tier earns it, so an excess bonus never lifts a later order either.
//!
//! What an order may keep is then what that tier's multiplier earns, less the share of
//! it the order's own refunds take back ([`crate::clawback::points_to_take_back`]);
//! what it holds beyond that is owed, and taken back like a refund
//! ([`crate::clawback::plan`]). The amount owed is a target less what was taken
//! already, so applying it again takes nothing more.

use crate::clawback::points_to_take_back;
use crate::date::Date;
use crate::tier::Tier;
use crate::tier_refund::replay;
use crate::tiers::{rank_of, QualifyingEvent, TierBasis, TierWindow};

/// A paid order a tier multiplier added points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Earning {
    /// The points before the multiplier.
    pub base: i64,
    /// The points it earned, multiplier included.
    pub earned: i64,
    /// Rank (index in the ladder) of the tier whose multiplier it used, when known: an order the
    /// recomputed history still gives that tier (or a higher one) keeps what it earned,
    /// even if the shop has changed the multiplier since.
    pub tier: Option<usize>,
}

/// A qualifying event as recorded, in the order the server recorded them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    /// The event (a negative amount is a refund: it counts whenever it was recorded).
    pub event: QualifyingEvent,
    /// The day it was processed (for an earning: the day its multiplier was decided).
    pub processed_on: Date,
    /// For a paid order a multiplier raised: its points.
    pub earning: Option<Earning>,
    /// For a correction (a refund): the index, in the same timeline, of the event it
    /// corrects; it counts once that event was recorded. `None` counts it always.
    pub corrects: Option<usize>,
}

/// For each recorded event, in the same order: for an earning, the points the tier of
/// the recomputed history earns it (never more than it earned); `None` for others.
pub fn allowed_earnings(
    ladder: &[Tier],
    basis: TierBasis,
    window: TierWindow,
    timeline: &[Recorded],
) -> Vec<Option<i64>> {
    let corrections: Vec<(Option<usize>, QualifyingEvent)> = timeline
        .iter()
        .filter(|recorded| recorded.event.amount < 0)
        .map(|recorded| (recorded.corrects, recorded.event))
        .collect();
    let mut known: Vec<QualifyingEvent> = Vec::new();
    let mut allowed = Vec::with_capacity(timeline.len());
    for (index, recorded) in timeline.iter().enumerate() {
        let mut event = recorded.event;
        let this = recorded.earning.map(|earning| {
            let mut events = known.clone();
            events.extend(
                corrections
                    .iter()
                    .filter(|(corrects, _)| corrects.is_none_or(|of| of < index))
                    .map(|(_, correction)| *correction),
            );
            let status = replay(ladder, &events, window, recorded.processed_on);
            let rank = rank_of(ladder, &status);
            let kept_its_tier = earning
                .tier
                .is_some_and(|paid_at| rank.is_some_and(|rank| rank >= paid_at));
            let multiply = if kept_its_tier {
                earning.earned
            } else {
                rank.and_then(|rank| ladder.get(rank))
                    .map_or(earning.base, |tier| tier.perks.multiply(earning.base))
            };
            let may = multiply.clamp(0, earning.earned.max(0));
            if basis == TierBasis::PointsEarned {
                event.amount -= earning.earned - may;
            }
            may
        });
        allowed.push(this);
        if event.amount >= 0 {
            known.push(event);
        }
    }
    allowed
}

/// Points an order owes back of its multiplier bonus: it `earned` points, the recomputed
/// tier allows `allowed`, `refunded` of its `total` has been refunded (0 when none),
/// and `taken` points were taken back from it so far (its own refunds and earlier
/// bonus take-backs). It may keep what `allowed` keeps after its own refunds; anything
/// it still holds beyond that is owed.
pub fn bonus_owed(earned: i64, allowed: i64, refunded: i64, total: i64, taken: i64) -> i64 {
    let allowed = allowed.clamp(0, earned.max(0));
    let may_keep = if refunded > 0 {
        allowed - points_to_take_back(allowed, refunded, total)
    } else {
        allowed
    };
    let holds = earned.max(0).saturating_sub(taken.max(0));
    holds.saturating_sub(may_keep).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tier::TierPerks;
    use crate::tiers::fixtures::day;
    use crate::LocalizedText;
    use proptest::prelude::*;

    /// Tender Bud 1.25× from 500, Full Bloom 1.5× from 2,000.
    fn ladder() -> Vec<Tier> {
        [("leaf", 0, 100), ("bud", 500, 125), ("bloom", 2_000, 150)]
            .into_iter()
            .map(|(id, threshold, percent)| Tier {
                id: id.into(),
                name: LocalizedText::en(id),
                threshold,
                perks: TierPerks {
                    points_multiplier_percent: percent,
                    ..TierPerks::default()
                },
            })
            .collect()
    }

    fn plain(on: &str, amount: i64) -> Recorded {
        Recorded {
            event: QualifyingEvent {
                on: day(on),
                amount,
            },
            processed_on: day(on),
            earning: None,
            corrects: None,
        }
    }

    fn refund_of(index: usize, on: &str, amount: i64) -> Recorded {
        Recorded {
            corrects: Some(index),
            ..plain(on, -amount)
        }
    }

    fn earning(on: &str, base: i64, earned: i64) -> Recorded {
        Recorded {
            earning: Some(Earning {
                base,
                earned,
                tier: None,
            }),
            ..plain(on, earned)
        }
    }

    #[test]
    fn a_bonus_from_a_refunded_tier_is_not_allowed() {
        // ¥2,000 reached Full Bloom; ¥1,000 then earned 1,500 at 1.5×; the ¥2,000 order is
        // refunded (a correction dated by its order).
        let timeline = [
            plain("2027-03-01", 2_000),
            earning("2027-03-02", 1_000, 1_500),
            refund_of(0, "2027-03-01", 2_000),
        ];
        for window in [TierWindow::Lifetime, TierWindow::CalendarYear] {
            let allowed = allowed_earnings(&ladder(), TierBasis::PointsEarned, window, &timeline);
            assert_eq!(allowed, vec![None, Some(1_000), None], "{window:?}");
        }
        assert_eq!(bonus_owed(1_500, 1_000, 0, 100_000, 0), 500);
        // Taken once: applying it again owes nothing.
        assert_eq!(bonus_owed(1_500, 1_000, 0, 100_000, 500), 0);
    }

    #[test]
    fn genuine_spending_keeps_the_bonus() {
        // Full Bloom by genuine spending, a later order at 1.5×, an unrelated refund.
        let timeline = [
            plain("2027-03-01", 2_100),
            plain("2027-03-01", 100),
            earning("2027-03-02", 1_000, 1_500),
            refund_of(1, "2027-03-01", 100),
        ];
        let allowed = allowed_earnings(
            &ladder(),
            TierBasis::PointsEarned,
            TierWindow::Lifetime,
            &timeline,
        );
        assert_eq!(allowed[2], Some(1_500));
        assert_eq!(bonus_owed(1_500, 1_500, 0, 100_000, 0), 0);
        // An order refunded after later ones does not count against itself or them
        // before it was recorded, and its refund does not reach below the genuine tier.
        let timeline = [
            plain("2027-03-01", 2_000),
            earning("2027-03-02", 100, 150),
            earning("2027-03-03", 1_000, 1_500),
            refund_of(1, "2027-03-02", 150),
        ];
        let allowed = allowed_earnings(
            &ladder(),
            TierBasis::PointsEarned,
            TierWindow::Lifetime,
            &timeline,
        );
        assert_eq!(allowed, vec![None, Some(150), Some(1_500), None]);
    }

    #[test]
    fn an_order_that_keeps_its_tier_keeps_what_it_earned() {
        // Paid at 2× by Full Bloom (the shop has lowered it to 1.5× since): genuine
        // spending still gives it Full Bloom, so nothing is owed.
        let timeline = [
            plain("2027-03-01", 2_000),
            Recorded {
                earning: Some(Earning {
                    base: 1_000,
                    earned: 2_000,
                    tier: Some(2),
                }),
                ..plain("2027-03-02", 2_000)
            },
            plain("2027-03-03", 100),
            refund_of(2, "2027-03-03", 100),
        ];
        let allowed = allowed_earnings(
            &ladder(),
            TierBasis::PointsEarned,
            TierWindow::Lifetime,
            &timeline,
        );
        assert_eq!(allowed[1], Some(2_000));
    }

    #[test]
    fn a_lower_tier_still_earns_its_own_multiplier() {
        // 600 genuine (Tender Bud) then 2,000 refunded: the later order keeps 1.25×.
        let timeline = [
            plain("2027-03-01", 600),
            plain("2027-03-01", 2_000),
            earning("2027-03-02", 1_000, 1_500),
            refund_of(1, "2027-03-01", 2_000),
        ];
        let allowed = allowed_earnings(
            &ladder(),
            TierBasis::PointsEarned,
            TierWindow::Lifetime,
            &timeline,
        );
        assert_eq!(allowed[2], Some(1_250));
    }

    #[test]
    fn an_excess_bonus_does_not_lift_a_later_order() {
        // 1,890 genuine and 200 refunded (Full Bloom only with it): an order then earned
        // 120 for 80 at 1.5×, where Tender Bud allows 100. Counting its 120 would reach
        // Full Bloom (2,010) for the next order; counting the allowed 100 (1,990) does not.
        let timeline = [
            plain("2027-03-01", 1_890),
            plain("2027-03-01", 200),
            earning("2027-03-02", 80, 120),
            earning("2027-03-03", 1_000, 1_500),
            refund_of(1, "2027-03-01", 200),
        ];
        let points = allowed_earnings(
            &ladder(),
            TierBasis::PointsEarned,
            TierWindow::Lifetime,
            &timeline,
        );
        assert_eq!(points[2], Some(100));
        assert_eq!(points[3], Some(1_250));
        // Counting money, the multiplier never changes the total.
        let money = allowed_earnings(
            &ladder(),
            TierBasis::MoneySpent,
            TierWindow::Lifetime,
            &[
                plain("2027-03-01", 1_890),
                plain("2027-03-01", 200),
                earning("2027-03-02", 80, 120),
                refund_of(1, "2027-03-01", 200),
            ],
        );
        assert_eq!(money[2], Some(100));
    }

    #[test]
    fn own_refunds_share_the_bonus() {
        // Half of the later order refunded first (750 taken): 250 of the bonus is owed.
        assert_eq!(bonus_owed(1_500, 1_000, 50, 100, 750), 250);
        // Bonus taken first (500), then half refunded: the refund's own share is
        // `points_to_take_back(1_500, ..) - 500` = 250, and 250 more is owed here.
        assert_eq!(bonus_owed(1_500, 1_000, 50, 100, 1_000), 0);
        assert_eq!(bonus_owed(1_500, 1_000, 50, 100, 750), 250);
        // Refunded whole: nothing left to owe beyond what its refund takes.
        assert_eq!(bonus_owed(1_500, 1_000, 100, 100, 1_500), 0);
        assert_eq!(bonus_owed(0, 0, 0, 0, 0), 0);
    }

    proptest! {
        /// An order never keeps more than its recomputed tier would have earned it (after
        /// its own refunds), never gives back more than it holds, and a second take-back
        /// owes nothing.
        #[test]
        fn holdings_never_exceed_the_recomputed_earning(
            base in 0_i64..10_000,
            percent in 100_i64..300,
            allowed_percent in 100_i64..300,
            total in 1_i64..100_000,
            refunded_share in 0_i64..=100,
            taken_share in 0_i64..=100,
        ) {
            let earned = base * percent / 100;
            let allowed = (base * allowed_percent / 100).min(earned);
            let refunded = total * refunded_share / 100;
            let own = if refunded > 0 { points_to_take_back(earned, refunded, total) } else { 0 };
            let taken = own.max(earned * taken_share / 100).min(earned);
            let owed = bonus_owed(earned, allowed, refunded, total, taken);
            let may_keep = if refunded > 0 {
                allowed - points_to_take_back(allowed, refunded, total)
            } else {
                allowed
            };
            prop_assert!(owed >= 0);
            prop_assert!(owed <= earned - taken);
            prop_assert!(earned - taken - owed <= may_keep);
            prop_assert_eq!(bonus_owed(earned, allowed, refunded, total, taken + owed), 0);
        }

        /// The recomputed history never allows more than an order earned, and without
        /// corrections (no refunds) it allows what the real history earned when every
        /// order's multiplier came from the tier its genuine points reached.
        #[test]
        fn allowed_never_exceeds_earned(
            orders in proptest::collection::vec((0_i64..60, 0_i64..1_500, proptest::bool::ANY), 0..10),
        ) {
            let start = day("2027-01-01");
            let mut timeline = Vec::new();
            let mut total = 0;
            let mut refunds = Vec::new();
            for (offset, base, refund) in orders {
                let on = start.add_days(offset);
                // The tier held from genuine points so far (Lifetime), as the server did.
                let percent = if total >= 2_000 { 150 } else if total >= 500 { 125 } else { 100 };
                let earned = base * percent / 100;
                total += earned;
                timeline.push(Recorded {
                    event: QualifyingEvent { on, amount: earned },
                    processed_on: on.max(timeline.last().map_or(on, |last: &Recorded| last.processed_on)),
                    earning: (percent > 100).then_some(Earning {
                        base,
                        earned,
                        tier: Some(if percent == 150 { 2 } else { 1 }),
                    }),
                    corrects: None,
                });
                if refund {
                    refunds.push((timeline.len() - 1, QualifyingEvent { on, amount: -earned }));
                }
            }
            let plain = allowed_earnings(&ladder(), TierBasis::PointsEarned, TierWindow::Lifetime, &timeline);
            for (allowed, recorded) in plain.iter().zip(&timeline) {
                prop_assert_eq!(*allowed, recorded.earning.map(|earning| earning.earned));
            }
            let last = timeline.last().map_or(start, |last| last.processed_on);
            timeline.extend(refunds.into_iter().map(|(of, event)| Recorded {
                event,
                processed_on: last,
                earning: None,
                corrects: Some(of),
            }));
            let refunded = allowed_earnings(&ladder(), TierBasis::PointsEarned, TierWindow::Lifetime, &timeline);
            for (allowed, recorded) in refunded.iter().zip(&timeline) {
                if let (Some(allowed), Some(earning)) = (allowed, recorded.earning) {
                    prop_assert!(*allowed <= earning.earned);
                    prop_assert!(*allowed >= earning.base);
                }
            }
        }
    }
}
