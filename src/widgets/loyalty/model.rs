//! The loyalty widget's decisions, kept free of the DOM so they are tested natively:
//! what a history line says, how a redemption changes what is shown, the redemption
//! flow's states, the points-at-checkout slider's range, and who may redeem a reward.

use comeback_core::api::{
    CodeStatus, DiscountCodeView, HistoryEntry, LoyaltyMe, Redemption, RewardKind, RewardView,
};
use comeback_core::date::Date;
use comeback_core::error::ErrorCode;
use comeback_core::ledger::{self, EntryKind};
use comeback_core::LocalizedText;

use super::strings::Key;
use crate::api::ApiError;

/// Stamps drawn on a card at most; a longer card still says its count in words.
pub const MAX_STAMPS_SHOWN: u32 = 24;

/// Where the redemption flow stands. Only one reward is in the flow at a time.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Flow {
    /// Nothing in progress.
    #[default]
    Idle,
    /// The shopper chose a reward and is asked to confirm.
    Confirming {
        /// The reward.
        reward_id: String,
    },
    /// The request is in flight.
    Redeeming {
        /// The reward.
        reward_id: String,
        /// Sent as `Idempotency-Key`; kept for a retry of the same attempt.
        key: String,
    },
    /// The attempt failed; the shopper may retry with the same key.
    Failed {
        /// The reward.
        reward_id: String,
        /// The key of the failed attempt.
        key: String,
        /// What to tell the shopper.
        message: Key,
    },
}

impl Flow {
    /// The reward this state is about, if any.
    pub fn reward_id(&self) -> Option<&str> {
        match self {
            Flow::Idle => None,
            Flow::Confirming { reward_id }
            | Flow::Redeeming { reward_id, .. }
            | Flow::Failed { reward_id, .. } => Some(reward_id),
        }
    }

    /// The state after the shopper confirms: a new attempt gets `fresh_key`, a retry of a
    /// failed attempt keeps the old key so the server can recognise it.
    pub fn confirm(&self, fresh_key: String) -> Option<Flow> {
        match self {
            Flow::Confirming { reward_id } => Some(Flow::Redeeming {
                reward_id: reward_id.clone(),
                key: fresh_key,
            }),
            Flow::Failed {
                reward_id,
                key,
                message,
            } if !matches!(message, Key::NotEnough | Key::NotEligible) => Some(Flow::Redeeming {
                reward_id: reward_id.clone(),
                key: key.clone(),
            }),
            _ => None,
        }
    }

    /// The state after the server answered with `error`.
    pub fn fail(&self, error: &ApiError) -> Flow {
        let Flow::Redeeming { reward_id, key } = self else {
            return self.clone();
        };
        // Decided by the API's error code: one status covers several codes (409 is
        // also a reused idempotency key or a spent code), and those must not read as
        // "not enough points".
        let message = match error {
            ApiError::Http {
                code: ErrorCode::InsufficientPoints,
                ..
            } => Key::NotEnough,
            ApiError::Http {
                code: ErrorCode::RewardNotEligible,
                ..
            } => Key::NotEligible,
            ApiError::Http {
                code: ErrorCode::Unauthorized,
                ..
            } => Key::SessionExpired,
            _ => Key::RedeemFailed,
        };
        Flow::Failed {
            reward_id: reward_id.clone(),
            key: key.clone(),
            message,
        }
    }
}

/// Points still missing for `reward` at `balance` (0 when affordable).
pub fn points_needed(reward: &RewardView, balance: i64) -> i64 {
    match ledger::spend(balance, reward.cost) {
        Ok(_) => 0,
        Err(short) => short.needed - short.balance,
    }
}

/// The points a `points_at_checkout` reward lets the shopper spend at `balance`: from
/// one step (`cost`) up to the most whole steps the balance and the reward's cap allow.
/// `None` when the balance does not cover one step (or the reward is another kind).
pub fn checkout_range(reward: &RewardView, balance: i64) -> Option<(i64, i64)> {
    let step = reward.cost;
    if reward.kind != RewardKind::PointsAtCheckout || step < 1 {
        return None;
    }
    let cap = reward.max_points.unwrap_or(i64::MAX).min(balance.max(0));
    let most = cap / step * step;
    (most >= step).then_some((step, most))
}

/// `points` moved onto the slider's steps and into its range.
pub fn snap_points(reward: &RewardView, balance: i64, points: i64) -> i64 {
    match checkout_range(reward, balance) {
        Some((least, most)) => (points.clamp(least, most) / least) * least,
        None => reward.cost,
    }
}

/// Minor units `points` take off at checkout, by the rule the server applies.
pub fn checkout_value(reward: &RewardView, points: i64) -> i64 {
    comeback_core::rewards::checkout_value(points, reward.cost, reward.value)
}

/// Who may redeem a reward, as the widget says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Everyone.
    Open,
    /// Only some tiers, and the shopper's is not one of them.
    MembersOnly,
    /// Some tiers first, everyone after the date; the shopper must wait.
    EarlyAccessLocked(Date),
    /// Some tiers first, and the shopper is one of them.
    EarlyAccessYours,
}

/// The access the shopper has to `reward`, from what the server decided (`eligible`)
/// and the reward's restriction.
pub fn access(reward: &RewardView) -> Access {
    match (
        reward.tiers.is_empty(),
        reward.early_access_until,
        reward.eligible,
    ) {
        (true, _, _) => Access::Open,
        (false, Some(until), false) => Access::EarlyAccessLocked(until),
        (false, Some(_), true) => Access::EarlyAccessYours,
        (false, None, false) => Access::MembersOnly,
        (false, None, true) => Access::Open,
    }
}

/// Updates what the widget shows after a successful redemption, the same way the server
/// changed it: new balance, affordability, the code on top, and the history entry.
pub fn apply_redemption(me: &mut LoyaltyMe, redemption: &Redemption, now: i64) {
    me.balance = redemption.balance;
    for reward in &mut me.rewards {
        reward.affordable = ledger::spend(me.balance, reward.cost).is_ok();
    }
    let reward = me
        .rewards
        .iter()
        .find(|reward| reward.id == redemption.reward_id);
    let reward_name = reward.map(|reward| reward.name.clone());
    let product_id = reward.and_then(|reward| reward.product_id.clone());
    if !me.codes.iter().any(|code| code.code == redemption.code) {
        me.codes.insert(
            0,
            DiscountCodeView {
                code: redemption.code.clone(),
                status: CodeStatus::Active,
                customer_id: me.customer_id.clone(),
                reward_id: redemption.reward_id.clone(),
                kind: redemption.kind,
                value: redemption.value,
                currency: me.currency.clone(),
                created_at: now,
                expires_at: redemption.expires_at,
                used_by_order: None,
                product_id,
            },
        );
        me.history.insert(
            0,
            HistoryEntry {
                id: ["local-", &redemption.code].concat(),
                kind: EntryKind::Redeemed,
                points: -redemption.points_spent,
                reference: redemption.reward_id.clone(),
                reward_name,
                forgiven: 0,
                created_at: now,
            },
        );
    }
}

/// What a history line says: the catalogue key and the value of its placeholder.
pub fn history_line(entry: &HistoryEntry) -> (Key, &str, Option<&LocalizedText>) {
    match entry.kind {
        EntryKind::OrderPaid => (Key::EntryOrderPaid, "ref", None),
        EntryKind::OrderRefunded => (Key::EntryOrderRefunded, "ref", None),
        EntryKind::Redeemed => (Key::EntryRedeemed, "reward", entry.reward_name.as_ref()),
        EntryKind::Adjusted => (Key::EntryAdjusted, "note", None),
        EntryKind::Expired => (Key::EntryExpired, "ref", None),
        EntryKind::Action => (Key::EntryAction, "action", entry.reward_name.as_ref()),
        EntryKind::Returned => (Key::EntryReturned, "ref", None),
        EntryKind::Referral => (Key::EntryReferral, "ref", None),
        EntryKind::Survey => (Key::EntrySurvey, "ref", None),
    }
}

/// Unix seconds at noon UTC of `date`: a moment inside that calendar day in every time
/// zone within ±12 hours, so the browser's date formatting shows the intended day.
pub fn midday(date: comeback_core::date::Date) -> i64 {
    date.days_since_epoch() * 86_400 + 43_200
}

/// The name of tier `id` on the shopper's ladder.
pub fn tier_name<'a>(me: &'a LoyaltyMe, id: Option<&str>) -> Option<&'a LocalizedText> {
    let id = id?;
    me.tiers
        .iter()
        .find(|tier| tier.id == id)
        .map(|tier| &tier.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use comeback_core::api::{RewardKind, WayToEarn};
    use comeback_core::error::ErrorCode;
    use comeback_core::tier::{tier_progress, Tier};

    fn reward(id: &str, cost: i64, balance: i64) -> RewardView {
        RewardView {
            id: id.into(),
            name: LocalizedText::en(id),
            kind: RewardKind::AmountOff,
            value: 1_000,
            cost,
            affordable: balance >= cost,
            product_id: None,
            max_points: None,
            tiers: Vec::new(),
            early_access_until: None,
            eligible: true,
        }
    }

    fn checkout(step: i64, value: i64, max_points: Option<i64>) -> RewardView {
        RewardView {
            kind: RewardKind::PointsAtCheckout,
            value,
            max_points,
            ..reward("points", step, 0)
        }
    }

    fn member(balance: i64) -> LoyaltyMe {
        let tiers = vec![
            Tier {
                id: "leaf".into(),
                name: LocalizedText::en("Leaf"),
                threshold: 0,
                perks: Default::default(),
            },
            Tier {
                id: "bud".into(),
                name: LocalizedText::en("Bud"),
                threshold: 500,
                perks: Default::default(),
            },
        ];
        LoyaltyMe {
            customer_id: "c-1".into(),
            name: None,
            balance,
            lifetime_points: 900,
            currency: "CNY".into(),
            tier: tier_progress(&tiers, 900),
            tiers,
            tier_basis: Default::default(),
            tier_window: Default::default(),
            qualifying_total: 900,
            tier_held_until: None,
            punch_cards: Vec::new(),
            early_access_products: Vec::new(),
            rewards: vec![
                reward("off-10", 500, balance),
                reward("off-50", 2_500, balance),
            ],
            ways_to_earn: vec![WayToEarn::Order { points_per_unit: 1 }],
            history: Vec::new(),
            codes: Vec::new(),
            next_expiry: None,
            birthday: None,
            next_birthday_reward: None,
            preferences: None,
        }
    }

    fn redemption(code: &str, balance: i64) -> Redemption {
        Redemption {
            code: code.into(),
            reward_id: "off-10".into(),
            kind: RewardKind::AmountOff,
            value: 1_000,
            points_spent: 500,
            balance,
            expires_at: 2_000,
        }
    }

    #[test]
    fn redemption_updates_balance_affordability_codes_and_history() {
        let mut me = member(600);
        apply_redemption(&mut me, &redemption("TEA-2345-6789", 100), 1_000);
        assert_eq!(me.balance, 100);
        assert!(me.rewards.iter().all(|r| !r.affordable));
        assert_eq!(me.codes[0].code, "TEA-2345-6789");
        assert_eq!(me.history[0].points, -500);
        assert_eq!(me.history[0].reward_name, Some(LocalizedText::en("off-10")));
        // The tier depends on lifetime points, which spending does not touch.
        assert_eq!(me.tier.current.as_deref(), Some("bud"));
    }

    #[test]
    fn a_replayed_redemption_is_applied_once() {
        let mut me = member(1_200);
        apply_redemption(&mut me, &redemption("TEA-AAAA-BBBB", 700), 1);
        apply_redemption(&mut me, &redemption("TEA-AAAA-BBBB", 700), 2);
        assert_eq!(me.codes.len(), 1);
        assert_eq!(me.history.len(), 1);
    }

    #[test]
    fn points_needed_is_the_shortfall() {
        let me = member(450);
        assert_eq!(points_needed(&me.rewards[0], me.balance), 50);
        assert_eq!(points_needed(&me.rewards[0], 500), 0);
    }

    #[test]
    fn flow_keeps_the_key_for_a_retry_but_not_for_a_new_attempt() {
        let confirming = Flow::Confirming {
            reward_id: "off-10".into(),
        };
        let redeeming = confirming.confirm("k1".into()).unwrap();
        assert_eq!(redeeming.reward_id(), Some("off-10"));
        let failed = redeeming.fail(&ApiError::Timeout);
        assert_eq!(
            failed.confirm("k2".into()),
            Some(Flow::Redeeming {
                reward_id: "off-10".into(),
                key: "k1".into()
            })
        );
        assert_eq!(Flow::Idle.confirm("k3".into()), None);
    }

    #[test]
    fn insufficient_points_cannot_be_retried() {
        let redeeming = Flow::Redeeming {
            reward_id: "off-10".into(),
            key: "k1".into(),
        };
        let failed = redeeming.fail(&ApiError::Http {
            status: 409,
            code: ErrorCode::InsufficientPoints,
            message: String::new(),
            retry_after: None,
        });
        assert!(matches!(
            failed,
            Flow::Failed {
                message: Key::NotEnough,
                ..
            }
        ));
        assert_eq!(failed.confirm("k2".into()), None);
    }

    #[test]
    fn checkout_slider_moves_in_whole_steps_within_balance_and_cap() {
        let capped = checkout(100, 100, Some(5_000));
        assert_eq!(checkout_range(&capped, 99), None);
        assert_eq!(checkout_range(&capped, 100), Some((100, 100)));
        assert_eq!(checkout_range(&capped, 1_250), Some((100, 1_200)));
        assert_eq!(checkout_range(&capped, 90_000), Some((100, 5_000)));
        let uncapped = checkout(100, 100, None);
        assert_eq!(checkout_range(&uncapped, 90_050), Some((100, 90_000)));
        assert_eq!(checkout_range(&reward("off-10", 500, 900), 900), None);
        assert_eq!(snap_points(&capped, 1_250, 1_299), 1_200);
        assert_eq!(snap_points(&capped, 1_250, 0), 100);
        assert_eq!(snap_points(&capped, 1_250, 750), 700);
        assert_eq!(checkout_value(&capped, 1_200), 1_200);
        assert_eq!(checkout_value(&checkout(50, 30, None), 149), 60);
    }

    #[test]
    fn access_reads_the_restriction_and_the_servers_decision() {
        let open = reward("a", 1, 0);
        assert_eq!(access(&open), Access::Open);
        let members = RewardView {
            tiers: vec!["bloom".into()],
            eligible: false,
            ..reward("b", 1, 0)
        };
        assert_eq!(access(&members), Access::MembersOnly);
        let mine = RewardView {
            eligible: true,
            ..members.clone()
        };
        assert_eq!(access(&mine), Access::Open);
        let until = Date::new(2027, 3, 1).unwrap();
        let early = RewardView {
            early_access_until: Some(until),
            ..members
        };
        assert_eq!(access(&early), Access::EarlyAccessLocked(until));
        assert_eq!(
            access(&RewardView {
                eligible: true,
                ..early
            }),
            Access::EarlyAccessYours
        );
    }

    #[test]
    fn a_conflict_other_than_the_balance_is_not_called_not_enough_points() {
        // Regression: the message was chosen by HTTP status, so a 409 for a reused key
        // told the shopper they lacked points.
        let redeeming = Flow::Redeeming {
            reward_id: "off-10".into(),
            key: "k1".into(),
        };
        let failed = redeeming.fail(&ApiError::Http {
            status: 409,
            code: ErrorCode::IdempotencyKeyReused,
            message: String::new(),
            retry_after: None,
        });
        assert!(matches!(
            failed,
            Flow::Failed {
                message: Key::RedeemFailed,
                ..
            }
        ));
    }

    #[test]
    fn a_refused_tier_cannot_be_retried() {
        let redeeming = Flow::Redeeming {
            reward_id: "bloom-tea".into(),
            key: "k1".into(),
        };
        let failed = redeeming.fail(&ApiError::Http {
            status: 403,
            code: ErrorCode::RewardNotEligible,
            message: String::new(),
            retry_after: None,
        });
        assert!(matches!(
            failed,
            Flow::Failed {
                message: Key::NotEligible,
                ..
            }
        ));
        assert_eq!(failed.confirm("k2".into()), None);
    }

    #[test]
    fn expiry_dates_are_shown_from_midday() {
        let on = comeback_core::date::Date::new(2027, 3, 1).unwrap();
        assert_eq!(midday(on), 1_803_902_400);
    }

    #[test]
    fn history_lines_name_their_reason() {
        let entry = HistoryEntry {
            id: "e1".into(),
            kind: EntryKind::OrderRefunded,
            points: -120,
            reference: "A-1001".into(),
            reward_name: None,
            forgiven: 30,
            created_at: 0,
        };
        assert_eq!(history_line(&entry).0, Key::EntryOrderRefunded);
        let me = member(0);
        assert_eq!(tier_name(&me, Some("bud")), Some(&LocalizedText::en("Bud")));
        assert_eq!(tier_name(&me, None), None);
    }
}
