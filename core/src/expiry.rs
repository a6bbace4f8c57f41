//! Points expiry per earning batch: each award of points is a batch with its own expiry
//! date, spending uses the oldest batch first, and a scheduled job expires what is left
//! of a batch once its date comes.
//!
//! The ledger keeps no per-batch balance; it is derived here from three sums the server
//! has anyway: the points of each batch, the points already expired from each batch
//! (earlier expiry entries), and the total consumed by everything else.
//!
//! Rules:
//! - A batch's points are usable up to the day before `expires_on`; on that date they
//!   are due to expire.
//! - Consumption is assigned oldest batch first (by `earned_on`, then `id`), and a batch
//!   can only be consumed up to what has not expired from it. Every negative movement
//!   other than expiry counts as consumption: redemptions, negative adjustments and
//!   points taken back by refunds.
//! - Points given back (a released code, a cancelled redemption) are a new batch, so
//!   `total_spent` only ever grows and an expired batch never comes back to life.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::ledger::Movement;

/// Points earned in one go (an order, a birthday, an adjustment) and when they expire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EarnedBatch {
    /// The ledger entry that earned the points.
    pub id: String,
    /// Points earned.
    pub points: i64,
    /// When they were earned; older batches are spent first.
    pub earned_on: Date,
    /// The day the points still unspent expire, or `None` if they never do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<Date>,
    /// Points of this batch already expired by earlier runs (the sum of its expiry
    /// entries). This is what makes [`due`] idempotent.
    #[serde(default)]
    pub expired: i64,
}

/// What is left of a batch once consumption is assigned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchRemaining {
    /// The batch's id.
    pub id: String,
    /// Points of the batch consumed by spending.
    pub spent: i64,
    /// Points of the batch already expired.
    pub expired: i64,
    /// Points still usable (or due, if `expires_on` has come).
    pub remaining: i64,
    /// When the remaining points expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<Date>,
}

/// Points of one batch that expire now: one expiry ledger entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Expiry {
    /// The batch the points came from; the server adds them to its `expired`.
    pub batch_id: String,
    /// Points expiring (positive).
    pub points: i64,
    /// The batch's expiry date.
    pub expires_on: Date,
}

impl Expiry {
    /// The ledger movement: the balance loses the points, the lifetime total (which
    /// counts what was earned) keeps them.
    pub fn movement(&self) -> Movement {
        Movement {
            points: -self.points,
            lifetime: 0,
        }
    }
}

/// The batches oldest first, each with what spending and expiry have taken from it.
/// `total_spent` is everything consumed other than by expiry; if it exceeds what the
/// batches hold (which the ledger's non-negative balance rules out) every batch is
/// simply empty.
pub fn remaining(batches: &[EarnedBatch], total_spent: i64) -> Vec<BatchRemaining> {
    let mut to_assign = total_spent.max(0);
    oldest_first(batches)
        .into_iter()
        .map(|batch| {
            let expired = batch.expired.clamp(0, batch.points.max(0));
            let spendable = batch.points.max(0) - expired;
            let spent = to_assign.min(spendable);
            to_assign -= spent;
            BatchRemaining {
                id: batch.id.clone(),
                spent,
                expired,
                remaining: spendable - spent,
                expires_on: batch.expires_on,
            }
        })
        .collect()
}

/// The expiries the scheduled job records `today`: every batch whose expiry date is
/// today or earlier and that still has points left. Once the server has added them to
/// the batches' `expired`, running it again returns nothing.
pub fn due(batches: &[EarnedBatch], total_spent: i64, today: Date) -> Vec<Expiry> {
    remaining(batches, total_spent)
        .into_iter()
        .filter(|batch| batch.remaining > 0)
        .filter_map(|batch| {
            let expires_on = batch.expires_on.filter(|date| *date <= today)?;
            Some(Expiry {
                batch_id: batch.id,
                points: batch.remaining,
                expires_on,
            })
        })
        .collect()
}

/// The next date after `today` on which points expire, with how many (all batches
/// expiring that day together), for the widget's "120 points expire on 2027-03-01".
/// Points already due are left out: the job takes them today.
pub fn next_expiry(batches: &[EarnedBatch], total_spent: i64, today: Date) -> Option<(Date, i64)> {
    let left = remaining(batches, total_spent);
    let date = left
        .iter()
        .filter(|batch| batch.remaining > 0)
        .filter_map(|batch| batch.expires_on)
        .filter(|date| *date > today)
        .min()?;
    let points = left
        .iter()
        .filter(|batch| batch.expires_on == Some(date))
        .map(|batch| batch.remaining)
        .sum();
    Some((date, points))
}

/// The batches in spending order: oldest earned first, ties by id.
fn oldest_first(batches: &[EarnedBatch]) -> Vec<&EarnedBatch> {
    let mut sorted: Vec<&EarnedBatch> = batches.iter().collect();
    sorted.sort_by(|a, b| (a.earned_on, &a.id).cmp(&(b.earned_on, &b.id)));
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(iso: &str) -> Date {
        Date::parse(iso).expect("valid test date")
    }

    fn batch(id: &str, points: i64, earned_on: &str, expires_on: Option<&str>) -> EarnedBatch {
        EarnedBatch {
            id: id.into(),
            points,
            earned_on: day(earned_on),
            expires_on: expires_on.map(day),
            expired: 0,
        }
    }

    fn sample() -> Vec<EarnedBatch> {
        vec![
            batch("b", 200, "2026-06-01", Some("2027-06-01")),
            batch("a", 100, "2026-03-01", Some("2027-03-01")),
            batch("c", 50, "2026-09-01", None),
        ]
    }

    #[test]
    fn spending_takes_the_oldest_batch_first() {
        let left = remaining(&sample(), 130);
        let view: Vec<(&str, i64, i64)> = left
            .iter()
            .map(|b| (b.id.as_str(), b.spent, b.remaining))
            .collect();
        assert_eq!(view, [("a", 100, 0), ("b", 30, 170), ("c", 0, 50)]);
    }

    #[test]
    fn ties_on_the_earning_date_go_by_id() {
        let batches = vec![
            batch("y", 10, "2026-01-01", None),
            batch("x", 10, "2026-01-01", None),
        ];
        assert_eq!(remaining(&batches, 5)[0].id, "x");
        assert_eq!(remaining(&batches, 5)[0].remaining, 5);
    }

    #[test]
    fn expiry_takes_only_what_is_left_of_due_batches() {
        assert_eq!(due(&sample(), 60, day("2027-02-28")), []);
        assert_eq!(
            due(&sample(), 60, day("2027-03-01")),
            [Expiry {
                batch_id: "a".into(),
                points: 40,
                expires_on: day("2027-03-01"),
            }]
        );
        assert_eq!(due(&sample(), 100, day("2027-03-01")), []);
        let late = due(&sample(), 0, day("2030-01-01"));
        assert_eq!(late.iter().map(|e| e.points).sum::<i64>(), 300);
        assert_eq!(late[0].movement().points, -100);
        assert_eq!(late[0].movement().lifetime, 0);
    }

    #[test]
    fn a_second_run_expires_nothing() {
        let mut batches = sample();
        let today = day("2027-03-02");
        let first = due(&batches, 60, today);
        assert_eq!(first.len(), 1);
        batches[1].expired += first[0].points;
        assert_eq!(due(&batches, 60, today), []);
    }

    #[test]
    fn spending_after_expiry_moves_on_to_the_next_batch() {
        let mut batches = sample();
        batches[1].expired = 40; // "a": 60 spent, then 40 expired
        let left = remaining(&batches, 90);
        let b = left.iter().find(|b| b.id == "b").expect("batch b");
        assert_eq!((b.spent, b.remaining), (30, 170));
        assert_eq!(due(&batches, 90, day("2027-03-05")), []);
    }

    #[test]
    fn next_expiry_names_the_first_future_date() {
        assert_eq!(
            next_expiry(&sample(), 0, day("2027-01-10")),
            Some((day("2027-03-01"), 100))
        );
        assert_eq!(
            next_expiry(&sample(), 120, day("2027-01-10")),
            Some((day("2027-06-01"), 180))
        );
        assert_eq!(
            next_expiry(&sample(), 0, day("2027-03-01")),
            Some((day("2027-06-01"), 200)),
            "points due today are not 'next'"
        );
        assert_eq!(next_expiry(&sample(), 0, day("2027-06-01")), None);
    }

    #[test]
    fn batches_expiring_the_same_day_are_added_up() {
        let batches = vec![
            batch("a", 100, "2026-03-01", Some("2027-03-01")),
            batch("b", 20, "2026-03-05", Some("2027-03-01")),
        ];
        assert_eq!(
            next_expiry(&batches, 10, day("2027-01-01")),
            Some((day("2027-03-01"), 110))
        );
    }

    #[derive(Debug, Clone)]
    enum Op {
        Earn {
            points: i64,
            earned: i64,
            life: Option<i64>,
        },
        Spend {
            points: i64,
        },
        RunExpiry {
            days_later: i64,
        },
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (1_i64..500, -30_i64..30, proptest::option::of(0_i64..400)).prop_map(
                |(points, earned, life)| Op::Earn {
                    points,
                    earned,
                    life
                }
            ),
            (1_i64..600).prop_map(|points| Op::Spend { points }),
            (0_i64..200).prop_map(|days_later| Op::RunExpiry { days_later }),
        ]
    }

    proptest! {
        /// Under any sequence of earning (possibly back-dated), spending within the
        /// balance and expiry runs: every point is remaining, spent or expired exactly
        /// once, nothing is negative, expiry never takes spent points and a repeated run
        /// expires nothing.
        #[test]
        fn points_are_accounted_for_exactly_once(ops in proptest::collection::vec(op(), 0..60)) {
            let mut batches: Vec<EarnedBatch> = Vec::new();
            let mut spent = 0_i64;
            let mut today = day("2027-01-01");
            for (index, op) in ops.into_iter().enumerate() {
                let earned: i64 = batches.iter().map(|b| b.points).sum();
                let expired: i64 = batches.iter().map(|b| b.expired).sum();
                match op {
                    Op::Earn { points, earned, life } => {
                        let earned_on = today.add_days(earned);
                        batches.push(EarnedBatch {
                            id: format!("{index:03}"),
                            points,
                            earned_on,
                            expires_on: life.map(|days| earned_on.add_days(days)),
                            expired: 0,
                        });
                    }
                    Op::Spend { points } => {
                        if points <= earned - spent - expired {
                            spent += points;
                        }
                    }
                    Op::RunExpiry { days_later } => {
                        today = today.add_days(days_later);
                        let before = remaining(&batches, spent);
                        let expiries = due(&batches, spent, today);
                        for expiry in &expiries {
                            let left = before.iter().find(|b| b.id == expiry.batch_id);
                            prop_assert!(expiry.points > 0);
                            prop_assert!(left.is_some_and(|b| expiry.points <= b.remaining));
                            let target = batches.iter_mut().find(|b| b.id == expiry.batch_id);
                            if let Some(target) = target {
                                target.expired += expiry.points;
                            }
                        }
                        prop_assert_eq!(due(&batches, spent, today), Vec::new());
                    }
                }
                let earned: i64 = batches.iter().map(|b| b.points).sum();
                let expired: i64 = batches.iter().map(|b| b.expired).sum();
                let left = remaining(&batches, spent);
                let still: i64 = left.iter().map(|b| b.remaining).sum();
                let assigned: i64 = left.iter().map(|b| b.spent).sum();
                prop_assert_eq!(still + spent + expired, earned);
                prop_assert_eq!(assigned, spent);
                for (batch, view) in oldest_first(&batches).into_iter().zip(&left) {
                    prop_assert!(view.remaining >= 0 && view.spent >= 0 && view.expired >= 0);
                    prop_assert_eq!(view.spent + view.expired + view.remaining, batch.points);
                }
            }
        }
    }

    /// One step of a shopper's life with the whole ledger: orders paid and refunded,
    /// rewards redeemed, codes giving their points back, and expiry runs.
    #[derive(Debug, Clone)]
    enum LifeOp {
        Pay {
            order: u8,
            points: i64,
            life: Option<i64>,
        },
        Refund {
            order: u8,
        },
        Redeem {
            cost: i64,
        },
        GiveBack,
        Expire {
            days_later: i64,
        },
    }

    fn life_op() -> impl Strategy<Value = LifeOp> {
        prop_oneof![
            (0_u8..8, 1_i64..800, proptest::option::of(1_i64..400)).prop_map(
                |(order, points, life)| LifeOp::Pay {
                    order,
                    points,
                    life
                }
            ),
            (0_u8..8).prop_map(|order| LifeOp::Refund { order }),
            (1_i64..700).prop_map(|cost| LifeOp::Redeem { cost }),
            Just(LifeOp::GiveBack),
            (0_i64..200).prop_map(|days_later| LifeOp::Expire { days_later }),
        ]
    }

    proptest! {
        /// Under any sequence of earning, redeeming, refunding, points given back and
        /// expiry, the balance is the sum of the ledger's entries, never negative, and
        /// equal to what the batches still hold; lifetime points only lose what refunds
        /// take; and an expiry run right after another expires nothing.
        #[test]
        fn the_ledger_balances_under_earn_redeem_refund_and_expiry(
            ops in proptest::collection::vec(life_op(), 0..80)
        ) {
            use crate::ledger::{self, balance};
            let mut entries: Vec<Movement> = Vec::new();
            let mut batches: Vec<EarnedBatch> = Vec::new();
            let mut consumed = 0_i64;
            let mut paid: std::collections::BTreeMap<u8, (i64, bool)> = Default::default();
            let mut redeemed: Vec<i64> = Vec::new();
            let mut today = day("2027-01-01");
            let earn = |entries: &mut Vec<Movement>, batches: &mut Vec<EarnedBatch>,
                            movement: Movement, life: Option<i64>, today: Date| {
                batches.push(EarnedBatch {
                    id: format!("{:03}", batches.len()),
                    points: movement.points,
                    earned_on: today,
                    expires_on: life.map(|days| today.add_days(days)),
                    expired: 0,
                });
                entries.push(movement);
            };
            for op in ops {
                let current = balance(entries.iter().map(|e| e.points));
                match op {
                    LifeOp::Pay { order, points, life } => {
                        if let std::collections::btree_map::Entry::Vacant(slot) = paid.entry(order) {
                            slot.insert((points, false));
                            earn(&mut entries, &mut batches, ledger::earn(points), life, today);
                        }
                    }
                    LifeOp::Refund { order } => {
                        if let Some((points, refunded)) = paid.get_mut(&order) {
                            if !*refunded {
                                *refunded = true;
                                let (movement, forgiven) = ledger::refund(*points, current);
                                prop_assert_eq!(-movement.points + forgiven, *points);
                                consumed += -movement.points;
                                entries.push(movement);
                            }
                        }
                    }
                    LifeOp::Redeem { cost } => {
                        if let Ok(movement) = ledger::spend(current, cost) {
                            consumed += cost;
                            redeemed.push(cost);
                            entries.push(movement);
                        }
                    }
                    LifeOp::GiveBack => {
                        // An unused code returns its points as a new batch.
                        if let Some(points) = redeemed.pop() {
                            let movement = Movement { points, lifetime: 0 };
                            earn(&mut entries, &mut batches, movement, Some(365), today);
                        }
                    }
                    LifeOp::Expire { days_later } => {
                        today = today.add_days(days_later);
                        for expiry in due(&batches, consumed, today) {
                            entries.push(expiry.movement());
                            if let Some(batch) = batches.iter_mut().find(|b| b.id == expiry.batch_id) {
                                batch.expired += expiry.points;
                            }
                        }
                        prop_assert_eq!(due(&batches, consumed, today), Vec::new());
                    }
                }
                let now = balance(entries.iter().map(|e| e.points));
                prop_assert!(now >= 0, "balance went negative: {}", now);
                let held: i64 = remaining(&batches, consumed).iter().map(|b| b.remaining).sum();
                prop_assert_eq!(held, now, "the batches disagree with the ledger");
                let lifetime: i64 = entries.iter().map(|e| e.lifetime).sum();
                let refunded: i64 = paid.values().filter(|(_, r)| *r).map(|(p, _)| p).sum();
                let earned: i64 = paid.values().map(|(p, _)| p).sum();
                prop_assert_eq!(lifetime, earned - refunded);
            }
        }
    }
}
