//! What a refund takes back once some of the refunded points were spent, and how the
//! shopper's debt is repaid.
//!
//! A refund owes the points its order earned. It takes them, in this order:
//! 1. from the spendable balance, as far as it goes;
//! 2. by revoking the shopper's unused codes bought with those points, newest first:
//!    a revoked code is worth the points spent on it, no points come back for it, and
//!    the part of its price the refund did not need (only the last code revoked can
//!    have one) comes back as points, which repay an older debt first;
//! 3. what is still owed becomes a debt: the balance shown never goes below zero, and
//!    later earnings repay the debt before the balance grows.
//!
//! Nothing is forgiven: a refund never leaves a shopper better off than if the order
//! had not happened. The multiplier bonus later orders earned with a tier only the
//! refunded order gave is owed the same way ([`crate::tier_bonus`]).

/// An unused code the refund may revoke (the caller's list gives the order, newest
/// first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevocableCode {
    /// The points the redemption spent on it (codes that cost nothing are skipped).
    pub points_spent: i64,
}

/// A code the refund revokes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revocation {
    /// Index of the code in the list given to [`plan`].
    pub index: usize,
    /// Points of the debt the code covers.
    pub covered: i64,
    /// Points of its price the refund did not need, returned to the balance.
    pub returned: i64,
}

/// What a refund owing points does.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClawbackPlan {
    /// Points taken from the balance.
    pub from_balance: i64,
    /// Codes revoked, newest first as given.
    pub revoked: Vec<Revocation>,
    /// Points still owed afterwards: a new debt.
    pub debt: i64,
}

impl ClawbackPlan {
    /// The change to the balance, all steps together (never takes it below zero).
    pub fn balance_change(&self) -> i64 {
        self.revoked
            .iter()
            .fold(-self.from_balance, |sum, revoked| sum + revoked.returned)
    }
}

/// The plan for a refund owing `owed` points when the shopper holds `balance` and the
/// `codes` (newest first) are the unused ones bought with the refunded points.
pub fn plan(owed: i64, balance: i64, codes: &[RevocableCode]) -> ClawbackPlan {
    let owed = owed.max(0);
    let from_balance = owed.min(balance.max(0));
    let mut left = owed - from_balance;
    let mut revoked = Vec::new();
    for (index, code) in codes.iter().enumerate() {
        if left == 0 {
            break;
        }
        if code.points_spent <= 0 {
            continue;
        }
        let covered = code.points_spent.min(left);
        left -= covered;
        revoked.push(Revocation {
            index,
            covered,
            returned: code.points_spent - covered,
        });
    }
    ClawbackPlan {
        from_balance,
        revoked,
        debt: left,
    }
}

/// Of `earned` new points, how many repay an outstanding `debt` first.
pub fn repayment(earned: i64, debt: i64) -> i64 {
    earned.max(0).min(debt.max(0))
}

/// Points of an order that earned `earned` that a refund of `refunded` of its `total`
/// takes back: in proportion, rounded up (a refund never leaves the shopper better
/// off); all of them when the whole order (or a free one) is refunded.
pub fn points_to_take_back(earned: i64, refunded: i64, total: i64) -> i64 {
    if total <= 0 || refunded >= total {
        return earned.max(0);
    }
    let earned = i128::from(earned.max(0));
    let refunded = i128::from(refunded.max(0));
    let total = i128::from(total);
    let taken = (earned * refunded + total - 1) / total;
    i64::try_from(taken).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(points: &[i64]) -> Vec<RevocableCode> {
        points
            .iter()
            .map(|&points_spent| RevocableCode { points_spent })
            .collect()
    }

    #[test]
    fn a_refund_after_redeeming_revokes_the_code_and_forgives_nothing() {
        // ¥500 earned 500, `off-10` cost 500, the order is refunded.
        let plan = plan(500, 0, &codes(&[500]));
        assert_eq!(plan.from_balance, 0);
        assert_eq!(
            plan.revoked,
            vec![Revocation {
                index: 0,
                covered: 500,
                returned: 0
            }]
        );
        assert_eq!(plan.debt, 0);
        assert_eq!(plan.balance_change(), 0);
    }

    #[test]
    fn the_balance_goes_first_then_the_newest_codes_then_a_debt() {
        let plan = plan(1_000, 100, &codes(&[300, 0, 200]));
        assert_eq!(plan.from_balance, 100);
        assert_eq!(plan.revoked.len(), 2);
        assert_eq!((plan.revoked[0].index, plan.revoked[0].covered), (0, 300));
        assert_eq!((plan.revoked[1].index, plan.revoked[1].covered), (2, 200));
        assert_eq!(plan.debt, 400);
        assert_eq!(plan.balance_change(), -100);
    }

    #[test]
    fn a_code_worth_more_than_owed_returns_the_rest() {
        let plan = plan(150, 50, &codes(&[400, 300]));
        assert_eq!(
            plan.revoked,
            vec![Revocation {
                index: 0,
                covered: 100,
                returned: 300
            }]
        );
        assert_eq!(plan.debt, 0);
        assert_eq!(plan.balance_change(), 250);
    }

    #[test]
    fn nothing_owed_takes_nothing() {
        assert_eq!(plan(0, 100, &codes(&[100])), ClawbackPlan::default());
        assert_eq!(plan(-5, 100, &[]), ClawbackPlan::default());
    }

    #[test]
    fn earnings_repay_the_debt_first() {
        assert_eq!(repayment(300, 500), 300);
        assert_eq!(repayment(800, 500), 500);
        assert_eq!(repayment(800, 0), 0);
        assert_eq!(repayment(-3, 10), 0);
    }

    #[test]
    fn points_come_back_in_proportion_rounded_against_the_shopper() {
        assert_eq!(points_to_take_back(128, 6_425, 12_850), 64);
        assert_eq!(points_to_take_back(100, 1, 300), 1);
        assert_eq!(points_to_take_back(100, 100, 300), 34);
        assert_eq!(points_to_take_back(100, 300, 300), 100);
        assert_eq!(points_to_take_back(100, 999, 300), 100);
        assert_eq!(points_to_take_back(7, 0, 0), 7);
        assert_eq!(points_to_take_back(0, 50, 100), 0);
        assert_eq!(
            points_to_take_back(i64::MAX, i64::MAX - 1, i64::MAX),
            i64::MAX - 1
        );
    }
}
