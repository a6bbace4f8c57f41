//! The demo customer's referrals, seeded through the same paths the widget and the
//! shop's backend use (the claim, the order webhook, the payment): visits and sign-ups
//! through their code, and a referral in every state, each friend's order on its own
//! day: paid after the hold (its points in the loyalty history), pending with its day,
//! cancelled by a refund, and declined because the friend had ordered before. Fixed
//! order ids and mailboxes make it safe to run at every start.

use comeback_core::api::{OrderLine, OrderStatus, OrderWebhook, RewardKind};
use comeback_core::referral::ReferralRewardKind;

use crate::auth::Shop;
use crate::error::AppError;
use crate::store::{decided_by, ClaimInput, ClaimOutcome, PayTerms};
use crate::AppState;

const DAY: i64 = 86_400;

/// Visits through the demo customer's link, the first time the seed runs.
const VISITS: i64 = 9;

/// A friend's order: id, customer, email, total, days ago.
type FriendOrder = (&'static str, &'static str, &'static str, i64, i64);

/// The paid one: ordered 42 days ago, paid when its 30-day hold ended.
const PAID: FriendOrder = (
    "demo-ref-2001",
    "c-2001",
    "wang.fang@example.com",
    25_600,
    42,
);
/// Cancelled: ordered 14 days ago, refunded 9 days ago.
const CANCELLED: FriendOrder = ("demo-ref-2002", "c-2002", "liu.yang@example.com", 9_800, 14);
/// Declined: this friend's first order came 70 days ago, without the code.
const EARLIER: FriendOrder = (
    "demo-ref-2003a",
    "c-2003",
    "chen.jie@example.com",
    15_800,
    70,
);
/// ... and their second came through the code, 20 days ago.
const DECLINED: FriendOrder = (
    "demo-ref-2003b",
    "c-2003",
    "chen.jie@example.com",
    12_800,
    20,
);
/// Pending: ordered 5 days ago with the friend code they claimed.
const PENDING: FriendOrder = ("demo-ref-2004", "c-2004", "zhao.lei@example.com", 18_000, 5);

/// Seeds the demo customer's referrals in the demo shop, when it has a programme.
pub async fn seed(state: &AppState, shop: &Shop, customer_id: &str) -> Result<(), AppError> {
    let Some(config) = shop.config.referrals.as_ref() else {
        return Ok(());
    };
    let now = state.clock.now();
    let code = state
        .store
        .advocate_code(&shop.id, customer_id, now - 60 * DAY)
        .await?;
    let (visits, _) = state.store.advocate_counts(&shop.id, customer_id).await?;
    if visits == 0 {
        for visit in 0..VISITS {
            state
                .store
                .record_referral_visit(&shop.id, customer_id, now - (55 - visit * 6) * DAY)
                .await?;
        }
    }
    // Three friends claimed: one ordered with their code, one has not ordered yet.
    let mut friend_code = None;
    for (email, days_ago) in [
        ("zhao.lei@example.com", 6),
        ("sun.mei@example.com", 2),
        ("wang.fang@example.com", 43),
    ] {
        let claimed = claim(state, shop, &code, email, now - days_ago * DAY).await?;
        if email == PENDING.2 {
            friend_code = claimed;
        }
    }
    let order =
        |(id, customer, email, total, _): FriendOrder, status, codes: Vec<String>| OrderWebhook {
            id: id.to_owned(),
            customer_id: customer.to_owned(),
            status,
            currency: shop.config.currency.clone(),
            total,
            lines: vec![OrderLine {
                product_id: "longjing-green-100g".to_owned(),
                quantity: 1,
                unit_price: total,
                subscription: None,
            }],
            created_at: None,
            email: Some(email.to_owned()),
            referral_code: codes.is_empty().then(|| code.clone()),
            discount_codes: codes,
            client_ip: None,
            refund_total: None,
            refunded_lines: Vec::new(),
        };
    let at = |(_, _, _, _, days_ago): FriendOrder| now - days_ago * DAY;
    let process = |webhook: OrderWebhook, when: i64| async move {
        super::webhooks::process_order(state, shop, &webhook, when).await
    };
    process(order(PAID, OrderStatus::Paid, Vec::new()), at(PAID)).await?;
    process(
        order(CANCELLED, OrderStatus::Paid, Vec::new()),
        at(CANCELLED),
    )
    .await?;
    process(
        order(CANCELLED, OrderStatus::Refunded, Vec::new()),
        now - 9 * DAY,
    )
    .await?;
    let mut earlier = order(EARLIER, OrderStatus::Paid, Vec::new());
    earlier.referral_code = None;
    process(earlier, at(EARLIER)).await?;
    process(order(DECLINED, OrderStatus::Paid, Vec::new()), at(DECLINED)).await?;
    let codes = friend_code.into_iter().collect();
    process(order(PENDING, OrderStatus::Paid, codes), at(PENDING)).await?;
    // The paid one was paid by the job on the day its hold ended.
    let paid_at = at(PAID) + i64::from(config.hold_days) * DAY;
    let pending = state
        .store
        .due_referrals(&shop.id, config.local_date(paid_at), "", 50)
        .await?;
    for id in pending {
        let terms = PayTerms {
            today: config.local_date(paid_at),
            now: paid_at,
            code_prefix: &config.reward_code_prefix,
            code_valid_for: i64::from(config.advocate_reward.valid_days()) * DAY,
            currency: &shop.config.currency,
            decided_by: decided_by::JOB,
            pay_declined: false,
        };
        state.store.pay_referral(&shop.id, &id, &terms).await?;
    }
    Ok(())
}

/// A friend's claim of their code (the same code on every run).
async fn claim(
    state: &AppState,
    shop: &Shop,
    code: &str,
    email: &str,
    at: i64,
) -> Result<Option<String>, AppError> {
    let Some(config) = shop.config.referrals.as_ref() else {
        return Ok(None);
    };
    let kind = match config.friend_reward.kind {
        ReferralRewardKind::AmountOff => RewardKind::AmountOff,
        ReferralRewardKind::PercentOff => RewardKind::PercentOff,
        ReferralRewardKind::FreeShipping => RewardKind::FreeShipping,
        ReferralRewardKind::Points => return Ok(None),
    };
    let outcome = state
        .store
        .claim_friend_reward(&ClaimInput {
            shop_id: &shop.id,
            advocate_code: code,
            email,
            customer_id: None,
            address: None,
            kind,
            value: config.friend_reward.value,
            currency: &shop.config.currency,
            prefix: &config.friend_code_prefix,
            valid_for: i64::from(config.friend_reward.valid_days()) * DAY,
            now: at,
        })
        .await?;
    Ok(match outcome {
        ClaimOutcome::Issued(claim) => Some(claim.code),
        _ => None,
    })
}
