//! Which referred orders earn the advocate a reward, and when it is paid. The server
//! decides with [`decide`] under the advocate's lock, with the counts it read from the
//! database; the widget only shows the [`ReferralReason`] it answers.

use serde::{Deserialize, Serialize};

use crate::date::Date;

/// Why a referral was declined (a rule refused it) or cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReferralReason {
    /// The friend is the advocate: the same customer, the same email, or the same
    /// mailbox written with dots or a `+tag` ([`mailbox`]).
    SelfReferral,
    /// The friend had ordered before, or was referred before.
    NotFirstOrder,
    /// Too many referred orders from one network address this week.
    TooManyFromOneAddress,
    /// The order is worth less than the shop's minimum.
    BelowMinimum,
    /// The advocate has had as many rewards as the shop gives one advocate.
    AdvocateCap,
    /// The friend's order was refunded within the hold (a cancellation).
    Refunded,
    /// The shop declined or withdrew it by hand.
    DeclinedByShop,
}

impl ReferralReason {
    /// Every reason, in the order [`decide`] checks the rules (then the two causes of
    /// a cancellation).
    pub const ALL: [ReferralReason; 7] = [
        ReferralReason::SelfReferral,
        ReferralReason::NotFirstOrder,
        ReferralReason::BelowMinimum,
        ReferralReason::TooManyFromOneAddress,
        ReferralReason::AdvocateCap,
        ReferralReason::Refunded,
        ReferralReason::DeclinedByShop,
    ];

    /// The wire name, also the reason code shown to the shop.
    pub fn as_str(self) -> &'static str {
        match self {
            ReferralReason::SelfReferral => "self_referral",
            ReferralReason::NotFirstOrder => "not_first_order",
            ReferralReason::TooManyFromOneAddress => "too_many_from_one_address",
            ReferralReason::BelowMinimum => "below_minimum",
            ReferralReason::AdvocateCap => "advocate_cap",
            ReferralReason::Refunded => "refunded",
            ReferralReason::DeclinedByShop => "declined_by_shop",
        }
    }

    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<ReferralReason> {
        ReferralReason::ALL
            .into_iter()
            .find(|reason| reason.as_str() == name)
    }
}

/// The mailbox an email address delivers to, for comparing people: the address
/// lowercased, with the local part's `+tag` and dots dropped (`Lin.Mei+shop@x.com` and
/// `linmei@x.com` are one mailbox) and `googlemail.com` read as `gmail.com`. Expects an
/// address [`crate::orders::normalize_email`] accepted.
pub fn mailbox(email: &str) -> String {
    let email = email.trim().to_lowercase();
    let Some((local, domain)) = email.rsplit_once('@') else {
        return email;
    };
    let local = local.split('+').next().unwrap_or(local);
    let local: String = local.chars().filter(|c| *c != '.').collect();
    let domain = if domain == "googlemail.com" {
        "gmail.com"
    } else {
        domain
    };
    format!("{local}@{domain}")
}

/// The shop's limits on referrals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The least order total (minor units) that counts; 0 for none.
    pub minimum_order: i64,
    /// Most referred orders from one network address in seven days; `None` for no
    /// limit.
    pub per_address_per_week: Option<u32>,
    /// Most rewards (pending or paid) one advocate may have; `None` for no cap.
    pub advocate_cap: Option<u32>,
}

/// A referred order, with what the server counted for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate<'a> {
    /// The advocate's customer id.
    pub advocate_id: &'a str,
    /// The advocate's email, normalised, when the shop synced it.
    pub advocate_email: Option<&'a str>,
    /// The friend's customer id (the order's).
    pub friend_id: &'a str,
    /// The friend's email, normalised: the order's, else the one they claimed with.
    pub friend_email: Option<&'a str>,
    /// Whether the friend (by customer id or mailbox) had a paid order before this
    /// one, or was referred before.
    pub ordered_before: bool,
    /// The order's total, minor units.
    pub order_total: i64,
    /// Referred orders from the order's network address in the seven days before it;
    /// `None` when the address is not known.
    pub from_address_this_week: Option<u32>,
    /// The advocate's rewards so far, pending or paid.
    pub advocate_rewards: u32,
}

/// Whether the referred order earns the advocate a reward: `Ok` for pending, else the
/// first rule that refuses it, in the order of [`ReferralReason::ALL`].
pub fn decide(candidate: &Candidate<'_>, limits: &Limits) -> Result<(), ReferralReason> {
    let same_mailbox = match (candidate.advocate_email, candidate.friend_email) {
        (Some(advocate), Some(friend)) => mailbox(advocate) == mailbox(friend),
        _ => false,
    };
    if candidate.advocate_id == candidate.friend_id || same_mailbox {
        return Err(ReferralReason::SelfReferral);
    }
    if candidate.ordered_before {
        return Err(ReferralReason::NotFirstOrder);
    }
    if candidate.order_total < limits.minimum_order {
        return Err(ReferralReason::BelowMinimum);
    }
    if let (Some(limit), Some(seen)) = (
        limits.per_address_per_week,
        candidate.from_address_this_week,
    ) {
        if seen >= limit {
            return Err(ReferralReason::TooManyFromOneAddress);
        }
    }
    if limits
        .advocate_cap
        .is_some_and(|cap| candidate.advocate_rewards >= cap)
    {
        return Err(ReferralReason::AdvocateCap);
    }
    Ok(())
}

/// The day a pending reward is paid: the day of the friend's order plus the hold.
pub fn pays_on(ordered_on: Date, hold_days: u32) -> Date {
    ordered_on.add_days(i64::from(hold_days))
}

/// Whether a refund of the friend's order cancels the pending reward: it does once
/// what the friend keeps (`total - refunded`) is nothing, or falls below the shop's
/// minimum. A small partial refund of a large order keeps the reward pending.
pub fn refund_cancels(total: i64, refunded: i64, minimum_order: i64) -> bool {
    let kept = total.saturating_sub(refunded);
    kept <= 0 || kept < minimum_order
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        minimum_order: 5_000,
        per_address_per_week: Some(3),
        advocate_cap: Some(10),
    };

    fn candidate() -> Candidate<'static> {
        Candidate {
            advocate_id: "cust-1",
            advocate_email: Some("lin.mei@example.com"),
            friend_id: "cust-2",
            friend_email: Some("wang@example.com"),
            ordered_before: false,
            order_total: 8_000,
            from_address_this_week: Some(0),
            advocate_rewards: 0,
        }
    }

    #[test]
    fn mailboxes_ignore_dots_tags_and_case() {
        assert_eq!(mailbox("Lin.Mei+shop@Example.com"), "linmei@example.com");
        assert_eq!(mailbox("linmei@googlemail.com"), "linmei@gmail.com");
        assert_eq!(mailbox("l.i.n@x.org"), mailbox("lin+a+b@x.org"));
        assert_ne!(mailbox("lin@x.org"), mailbox("lin@y.org"));
    }

    #[test]
    fn a_first_order_from_a_new_friend_is_pending() {
        assert_eq!(decide(&candidate(), &LIMITS), Ok(()));
    }

    #[test]
    fn each_rule_refuses_with_its_reason() {
        let cases: [(Candidate<'static>, ReferralReason); 7] = [
            (
                Candidate {
                    friend_id: "cust-1",
                    ..candidate()
                },
                ReferralReason::SelfReferral,
            ),
            (
                Candidate {
                    friend_email: Some("linmei+2@example.com"),
                    ..candidate()
                },
                ReferralReason::SelfReferral,
            ),
            (
                Candidate {
                    ordered_before: true,
                    ..candidate()
                },
                ReferralReason::NotFirstOrder,
            ),
            (
                Candidate {
                    order_total: 4_999,
                    ..candidate()
                },
                ReferralReason::BelowMinimum,
            ),
            (
                Candidate {
                    from_address_this_week: Some(3),
                    ..candidate()
                },
                ReferralReason::TooManyFromOneAddress,
            ),
            (
                Candidate {
                    advocate_rewards: 10,
                    ..candidate()
                },
                ReferralReason::AdvocateCap,
            ),
            (
                // Several rules refuse: the first in order names it.
                Candidate {
                    friend_id: "cust-1",
                    ordered_before: true,
                    order_total: 1,
                    ..candidate()
                },
                ReferralReason::SelfReferral,
            ),
        ];
        for (candidate, reason) in cases {
            assert_eq!(decide(&candidate, &LIMITS), Err(reason), "{candidate:?}");
        }
    }

    #[test]
    fn unknown_addresses_and_absent_limits_refuse_nothing() {
        let open = Limits {
            minimum_order: 0,
            per_address_per_week: None,
            advocate_cap: None,
        };
        let busy = Candidate {
            from_address_this_week: Some(1_000),
            advocate_rewards: 1_000,
            order_total: 0,
            ..candidate()
        };
        assert_eq!(decide(&busy, &open), Ok(()));
        let unknown = Candidate {
            from_address_this_week: None,
            ..candidate()
        };
        assert_eq!(decide(&unknown, &LIMITS), Ok(()));
        let no_emails = Candidate {
            advocate_email: None,
            ..candidate()
        };
        assert_eq!(decide(&no_emails, &LIMITS), Ok(()));
    }

    #[test]
    fn rewards_are_paid_after_the_hold() {
        let ordered = Date::new(2027, 1, 20).unwrap();
        assert_eq!(pays_on(ordered, 30), Date::new(2027, 2, 19).unwrap());
        assert_eq!(pays_on(ordered, 0), ordered);
    }

    #[test]
    fn refunds_cancel_when_the_order_no_longer_counts() {
        assert!(refund_cancels(8_000, 8_000, 0));
        assert!(refund_cancels(8_000, 4_000, 5_000));
        assert!(!refund_cancels(8_000, 1_000, 5_000));
        assert!(!refund_cancels(8_000, 7_999, 0));
    }

    #[test]
    fn reasons_round_trip() {
        for reason in ReferralReason::ALL {
            assert_eq!(ReferralReason::parse(reason.as_str()), Some(reason));
        }
        assert_eq!(ReferralReason::parse("nope"), None);
    }
}
