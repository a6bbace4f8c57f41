//! The points ledger rules: entries are appended, never edited; the balance and the
//! lifetime total (which decides the tier) are sums over them; nothing may take the
//! balance below zero.

use serde::{Deserialize, Serialize};

/// Why a ledger entry exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Points earned by a paid order.
    OrderPaid,
    /// Points taken back because the order was refunded.
    OrderRefunded,
    /// Points spent on a reward.
    Redeemed,
    /// A manual correction by the shop.
    Adjusted,
    /// Points of an earning batch that reached its expiry date unspent.
    Expired,
    /// Points for an action the shop's backend reported (sign-up, review, …), a
    /// birthday or a first-purchase anniversary.
    Action,
    /// Points given back for a discount code that expired unused or that the shop's
    /// backend released; `reference` is the code.
    Returned,
    /// Points for a friend's first order through the customer's referral link, paid
    /// once the shop's hold passed; `reference` is the friend's order id.
    Referral,
    /// Points for answering one of the shop's surveys, once per survey (per order when
    /// the survey is asked per order); `reference` is the response id.
    Survey,
}

impl EntryKind {
    /// The kind as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::OrderPaid => "order_paid",
            EntryKind::OrderRefunded => "order_refunded",
            EntryKind::Redeemed => "redeemed",
            EntryKind::Adjusted => "adjusted",
            EntryKind::Expired => "expired",
            EntryKind::Action => "action",
            EntryKind::Returned => "returned",
            EntryKind::Referral => "referral",
            EntryKind::Survey => "survey",
        }
    }

    /// Parses a stored kind.
    pub fn parse(value: &str) -> Option<EntryKind> {
        [
            EntryKind::OrderPaid,
            EntryKind::OrderRefunded,
            EntryKind::Redeemed,
            EntryKind::Adjusted,
            EntryKind::Expired,
            EntryKind::Action,
            EntryKind::Returned,
            EntryKind::Referral,
            EntryKind::Survey,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == value)
    }
}

/// Which step of a refund an `order_refunded` entry is, when it is not the refund's own
/// entry (that one takes back the points; see [`crate::clawback`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EntryDetail {
    /// An unused code bought with the refunded points was revoked; `points` is the part
    /// of its price the refund did not need (usually 0).
    CodeRevoked,
    /// Points just earned went to repay what a refund left owing.
    DebtRepaid,
    /// The multiplier bonus a later order earned while the shopper held a tier only the
    /// refunded order gave them, taken back like the refund's own points (see
    /// [`crate::tier_bonus`]); the entry's `code` names that later order.
    TierBonusTakenBack,
}

impl EntryDetail {
    /// The detail as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryDetail::CodeRevoked => "code_revoked",
            EntryDetail::DebtRepaid => "debt_repaid",
            EntryDetail::TierBonusTakenBack => "tier_bonus_taken_back",
        }
    }

    /// Parses a stored detail.
    pub fn parse(value: &str) -> Option<EntryDetail> {
        [
            EntryDetail::CodeRevoked,
            EntryDetail::DebtRepaid,
            EntryDetail::TierBonusTakenBack,
        ]
        .into_iter()
        .find(|detail| detail.as_str() == value)
    }
}

/// One change to a shopper's points: its effect on the spendable balance and on the
/// lifetime total that decides the tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Movement {
    /// Change to the spendable balance.
    pub points: i64,
    /// Change to the lifetime earned total.
    pub lifetime: i64,
}

/// The balance after a run of entries.
pub fn balance(points: impl IntoIterator<Item = i64>) -> i64 {
    points.into_iter().fold(0, i64::saturating_add)
}

/// The movement for a paid order that earned `earned` points.
pub fn earn(earned: i64) -> Movement {
    let earned = earned.max(0);
    Movement {
        points: earned,
        lifetime: earned,
    }
}

/// The movement for refunding an order that had earned `earned` points, with `balance`
/// points left. The lifetime total loses all of them; the balance loses what it still
/// holds, and the rest (already spent on rewards) is forgiven so the balance stays at
/// or above zero. `forgiven` is shown in the history so the shopper sees why. The
/// server no longer forgives: it takes the rest back from unused codes and as a debt
/// ([`crate::clawback`]); this simpler rule stays for models that ignore codes.
pub fn refund(earned: i64, balance: i64) -> (Movement, i64) {
    let earned = earned.max(0);
    let taken = earned.min(balance.max(0));
    let movement = Movement {
        points: -taken,
        lifetime: -earned,
    };
    (movement, earned - taken)
}

/// The balance does not cover a spend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Insufficient {
    /// Points the shopper has.
    pub balance: i64,
    /// Points the spend needs.
    pub needed: i64,
}

/// The movement for spending `cost` points, or [`Insufficient`] if `balance` does not
/// cover it. A cost below one point is treated as one so nothing is free by mistake.
pub fn spend(balance: i64, cost: i64) -> Result<Movement, Insufficient> {
    let cost = cost.max(1);
    if balance < cost {
        return Err(Insufficient {
            balance,
            needed: cost,
        });
    }
    Ok(Movement {
        points: -cost,
        lifetime: 0,
    })
}

/// A manual adjustment: positive amounts count towards the tier, negative ones may not
/// take the balance below zero.
pub fn adjust(balance: i64, points: i64) -> Result<Movement, Insufficient> {
    if points < 0 {
        // `i64::MIN` has no positive counterpart: it asks for more than any balance.
        return spend(balance, points.checked_neg().unwrap_or(i64::MAX));
    }
    Ok(Movement {
        points,
        lifetime: points,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[test]
    fn kinds_round_trip() {
        for kind in [
            EntryKind::OrderPaid,
            EntryKind::OrderRefunded,
            EntryKind::Redeemed,
            EntryKind::Adjusted,
            EntryKind::Expired,
            EntryKind::Action,
        ] {
            assert_eq!(EntryKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(EntryKind::parse("gift"), None);
    }

    #[test]
    fn refund_after_spending_forgives_the_spent_part() {
        let (movement, forgiven) = refund(300, 120);
        assert_eq!(movement.points, -120);
        assert_eq!(movement.lifetime, -300);
        assert_eq!(forgiven, 180);
    }

    #[test]
    fn adjusting_by_the_smallest_i64_is_refused_not_a_panic() {
        assert_eq!(
            adjust(100, i64::MIN),
            Err(Insufficient {
                balance: 100,
                needed: i64::MAX
            })
        );
    }

    #[test]
    fn spend_needs_the_full_cost() {
        assert_eq!(
            spend(99, 100),
            Err(Insufficient {
                balance: 99,
                needed: 100
            })
        );
        assert_eq!(spend(100, 100).map(|m| m.points), Ok(-100));
        assert!(spend(0, 0).is_err(), "a zero cost still costs a point");
    }

    #[derive(Debug, Clone)]
    enum Op {
        Pay { order: u8, earned: i64 },
        Refund { order: u8 },
        Redeem { cost: i64 },
        Adjust { points: i64 },
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0_u8..8, 0_i64..2_000).prop_map(|(order, earned)| Op::Pay { order, earned }),
            (0_u8..8).prop_map(|order| Op::Refund { order }),
            (0_i64..1_500).prop_map(|cost| Op::Redeem { cost }),
            (-500_i64..500).prop_map(|points| Op::Adjust { points }),
        ]
    }

    proptest! {
        /// Any sequence of earning, refunding, redeeming and adjusting keeps the balance
        /// equal to the sum of the entries and never below zero, and each order earns
        /// and is refunded at most once.
        #[test]
        fn ledger_balances_under_any_sequence(ops in proptest::collection::vec(op(), 0..64)) {
            let mut entries: Vec<Movement> = Vec::new();
            let mut paid: BTreeMap<u8, i64> = BTreeMap::new();
            let mut refunded: BTreeMap<u8, bool> = BTreeMap::new();
            for op in ops {
                let current = balance(entries.iter().map(|e| e.points));
                match op {
                    Op::Pay { order, earned } => {
                        if let std::collections::btree_map::Entry::Vacant(slot) = paid.entry(order) {
                            slot.insert(earned);
                            entries.push(earn(earned));
                        }
                    }
                    Op::Refund { order } => {
                        if let Some(&earned) = paid.get(&order) {
                            if !refunded.insert(order, true).unwrap_or(false) {
                                let (movement, forgiven) = refund(earned, current);
                                prop_assert_eq!(-movement.points + forgiven, earned);
                                entries.push(movement);
                            }
                        }
                    }
                    Op::Redeem { cost } => {
                        if let Ok(movement) = spend(current, cost) {
                            entries.push(movement);
                        }
                    }
                    Op::Adjust { points } => {
                        if let Ok(movement) = adjust(current, points) {
                            entries.push(movement);
                        }
                    }
                }
                let after = balance(entries.iter().map(|e| e.points));
                prop_assert!(after >= 0, "balance went negative: {after}");
                prop_assert_eq!(after, entries.iter().map(|e| e.points).sum::<i64>());
                let lifetime: i64 = entries.iter().map(|e| e.lifetime).sum();
                prop_assert!(lifetime >= 0);
            }
        }
    }

    #[derive(Debug, Clone)]
    enum MoneyOp {
        Pay { earned: i64 },
        Redeem { cost: i64 },
        UseCode { newest: usize },
        Refund { order: usize },
    }

    fn money_op() -> impl Strategy<Value = MoneyOp> {
        prop_oneof![
            (1_i64..2_000).prop_map(|earned| MoneyOp::Pay { earned }),
            (1_i64..1_500).prop_map(|cost| MoneyOp::Redeem { cost }),
            (0_usize..4).prop_map(|newest| MoneyOp::UseCode { newest }),
            (0_usize..8).prop_map(|order| MoneyOp::Refund { order }),
        ]
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum CodeState {
        Active,
        Used,
        Revoked,
    }

    proptest! {
        /// Earning, redeeming, using codes and refunding in any order (refunds after
        /// redemptions included), with the refund rules of `crate::clawback`: the
        /// balance never goes below zero, the debt never either, no used code is ever
        /// revoked, and the books balance: what the shopper holds (balance less debt,
        /// plus the points in codes not revoked) is exactly what the orders not refunded
        /// earned. Nothing is forgiven.
        #[test]
        fn refunds_after_redemptions_keep_balance_debt_and_codes_in_agreement(
            ops in proptest::collection::vec(money_op(), 0..64)
        ) {
            // (points, debt) per entry; (points spent, state, redeemed at step) per code;
            // (earned, paid at step, refunded) per order.
            let mut entries: Vec<(i64, i64)> = Vec::new();
            let mut codes: Vec<(i64, CodeState, usize)> = Vec::new();
            let mut orders: Vec<(i64, usize, bool)> = Vec::new();
            for (step, op) in ops.into_iter().enumerate() {
                let current = balance(entries.iter().map(|e| e.0));
                let debt: i64 = entries.iter().map(|e| e.1).sum();
                match op {
                    MoneyOp::Pay { earned } => {
                        orders.push((earned, step, false));
                        let repaid = crate::clawback::repayment(earned, debt);
                        entries.push((earn(earned).points - repaid, -repaid));
                    }
                    MoneyOp::Redeem { cost } => {
                        if let Ok(movement) = spend(current, cost) {
                            entries.push((movement.points, 0));
                            codes.push((cost, CodeState::Active, step));
                        }
                    }
                    MoneyOp::UseCode { newest } => {
                        let active: Vec<usize> = (0..codes.len())
                            .rev()
                            .filter(|&i| codes[i].1 == CodeState::Active)
                            .collect();
                        if let Some(&i) = active.get(newest) {
                            codes[i].1 = CodeState::Used;
                        }
                    }
                    MoneyOp::Refund { order } => {
                        let Some(&(earned, paid_at, false)) = orders.get(order) else {
                            continue;
                        };
                        orders[order].2 = true;
                        // Unused codes bought since the order was paid, newest first.
                        let candidates: Vec<usize> = (0..codes.len())
                            .rev()
                            .filter(|&i| codes[i].1 == CodeState::Active && codes[i].2 > paid_at)
                            .collect();
                        let revocable: Vec<crate::clawback::RevocableCode> = candidates
                            .iter()
                            .map(|&i| crate::clawback::RevocableCode { points_spent: codes[i].0 })
                            .collect();
                        let plan = crate::clawback::plan(earned, current, &revocable);
                        let covered: i64 = plan.revoked.iter().map(|r| r.covered).sum();
                        prop_assert_eq!(plan.from_balance + covered + plan.debt, earned);
                        for revoked in &plan.revoked {
                            let code = &mut codes[candidates[revoked.index]];
                            prop_assert_eq!(code.1, CodeState::Active);
                            code.1 = CodeState::Revoked;
                        }
                        entries.push((-plan.from_balance, plan.debt));
                        // The unneeded part of a revoked code's price comes back as
                        // points, which repay an older debt first, as any earning does.
                        let returned = plan.balance_change() + plan.from_balance;
                        let repaid = crate::clawback::repayment(returned, debt + plan.debt);
                        entries.push((returned - repaid, -repaid));
                    }
                }
                let after = balance(entries.iter().map(|e| e.0));
                let debt: i64 = entries.iter().map(|e| e.1).sum();
                prop_assert!(after >= 0, "balance went negative: {after}");
                prop_assert!(debt >= 0, "debt went negative: {debt}");
                prop_assert!(after == 0 || debt == 0, "a balance while a debt is outstanding");
                let in_codes: i64 = codes
                    .iter()
                    .filter(|code| code.1 != CodeState::Revoked)
                    .map(|code| code.0)
                    .sum();
                let kept: i64 = orders.iter().filter(|o| !o.2).map(|o| o.0).sum();
                prop_assert_eq!(after - debt + in_codes, kept);
            }
        }
    }
}
