//! What orders and payments do to referrals, each under the advocate's lock: a referred
//! paid first delivery is decided by the rules of `comeback_core::referral::rules` in
//! the order's transaction (pending or declined, one row per order); a refund within the
//! hold cancels it when `refund_cancels` says so; the payment (by the job or the shop's
//! approval) pays once, points through the ledger or a discount code.

use comeback_core::api::RewardKind;
use comeback_core::date::Date;
use comeback_core::ledger::{self, EntryKind};
use comeback_core::referral::rules::{self, mailbox, Candidate, Limits};
use comeback_core::referral::{ReferralReason, ReferralRewardKind, ReferralStatus};
use sqlx::AnyConnection;
use sqlx::Row;

use super::codes::{self, DiscountCode};
use super::events::Event;
use super::ledger::NewEntry;
use super::referral_claims::{claim_of_code, claim_of_customer};
use super::referrals::{
    advocate_of, decided_by, email_of, find, has_paid_order, of_order, Referral, ADVOCATE_REWARD_ID,
};
use super::{lock_customer, Store, StoreError};

/// A week, in seconds (the per-address limit's period).
const WEEK: i64 = 7 * 86_400;

/// The shop's referral terms an order is decided by (the caller reads them from the
/// config; `None` in [`super::OrderInput`] for a shop without referrals).
#[derive(Debug, Clone)]
pub struct ReferralTerms<'a> {
    /// The order's `referral_code`, canonical, when it parsed as one.
    pub code: Option<&'a str>,
    /// The order's network address (`client_ip`, IPv6 cut to its /64), when sent.
    pub address: Option<&'a str>,
    /// The shop's limits.
    pub limits: Limits,
    /// Days of the hold.
    pub hold_days: u32,
    /// The day the order was placed, in the shop's time zone.
    pub ordered_on: Date,
    /// The advocate's reward.
    pub reward_kind: ReferralRewardKind,
    /// Its value.
    pub reward_value: i64,
}

/// How a pending referral is paid.
#[derive(Debug, Clone)]
pub struct PayTerms<'a> {
    /// Today, in the shop's time zone.
    pub today: Date,
    /// Now, Unix seconds.
    pub now: i64,
    /// Prefix of an advocate's reward code.
    pub code_prefix: &'a str,
    /// Seconds such a code stays valid.
    pub code_valid_for: i64,
    /// The shop's currency.
    pub currency: &'a str,
    /// `job` or `shop`.
    pub decided_by: &'static str,
    /// Whether a declined referral may be paid (the shop's approval).
    pub pay_declined: bool,
}

/// What paying or declining did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettleOutcome {
    /// Done now, or already so before (a repeat answers the same).
    Done(Referral),
    /// Settled the other way: cancelled (cannot be paid) or paid (cannot be declined).
    Settled(Referral),
    /// No such referral.
    NotFound,
}

fn reward_code_kind(kind: ReferralRewardKind) -> Option<RewardKind> {
    match kind {
        ReferralRewardKind::Points => None,
        ReferralRewardKind::AmountOff => Some(RewardKind::AmountOff),
        ReferralRewardKind::PercentOff => Some(RewardKind::PercentOff),
        ReferralRewardKind::FreeShipping => Some(RewardKind::FreeShipping),
    }
}

/// Counts of the rules: referred orders from `address` in the week before `now`, and
/// the advocate's rewards (pending or paid).
async fn counts(
    connection: &mut AnyConnection,
    shop_id: &str,
    advocate_id: &str,
    address: Option<&str>,
    now: i64,
) -> Result<(Option<u32>, u32), StoreError> {
    let from_address = match address {
        Some(address) => {
            let n: i64 = sqlx::query(
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM referrals \
                 WHERE shop_id = $1 AND address = $2 AND created_at > $3",
            )
            .bind(shop_id)
            .bind(address)
            .bind(now - WEEK)
            .fetch_one(&mut *connection)
            .await?
            .try_get("n")?;
            Some(u32::try_from(n).unwrap_or(u32::MAX))
        }
        None => None,
    };
    let rewards: i64 = sqlx::query(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM referrals \
         WHERE shop_id = $1 AND advocate_id = $2 AND status IN ('pending', 'paid')",
    )
    .bind(shop_id)
    .bind(advocate_id)
    .fetch_one(&mut *connection)
    .await?
    .try_get("n")?;
    Ok((from_address, u32::try_from(rewards).unwrap_or(u32::MAX)))
}

/// Whether the friend (by customer id or mailbox) was referred before.
async fn referred_before(
    connection: &mut AnyConnection,
    shop_id: &str,
    friend_id: &str,
    friend_mailbox: Option<&str>,
) -> Result<bool, StoreError> {
    let row = sqlx::query(
        "SELECT 1 AS found FROM referrals WHERE shop_id = $1 \
         AND (friend_customer_id = $2 OR friend_mailbox = $3) LIMIT 1",
    )
    .bind(shop_id)
    .bind(friend_id)
    .bind(friend_mailbox.unwrap_or(""))
    .fetch_optional(&mut *connection)
    .await?;
    Ok(row.is_some())
}

async fn save(
    connection: &mut AnyConnection,
    referral: &Referral,
    paid_at: Option<i64>,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE referrals SET status = $1, reason = $2, pays_on = $3, paid_on = $4, \
         paid_at = COALESCE($5, paid_at), reward_code = $6, points = $7, decided_by = $8, \
         updated_at = $9 WHERE shop_id = $10 AND id = $11",
    )
    .bind(referral.status.as_str())
    .bind(referral.reason.map(ReferralReason::as_str))
    .bind(referral.pays_on.map(Date::to_iso))
    .bind(referral.paid_on.map(Date::to_iso))
    .bind(paid_at)
    .bind(referral.reward_code.as_deref())
    .bind(referral.points)
    .bind(&referral.decided_by)
    .bind(now)
    .bind(&referral.shop_id)
    .bind(&referral.id)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

impl Store {
    /// The referral step of a paid first delivery, in the order's transaction (which
    /// holds the friend's lock): the advocate from the order's `referral_code`, else
    /// from a friend code among its discount codes; the rules decided under the
    /// advocate's lock; the row written (pending or declined) once per order, with
    /// `referral.converted`. An unknown code refers nobody.
    pub(super) async fn apply_referral(
        &self,
        connection: &mut AnyConnection,
        order: &super::OrderInput<'_>,
    ) -> Result<(), StoreError> {
        let Some(terms) = &order.referral else {
            return Ok(());
        };
        let shop_id = order.shop_id;
        let mut found = None;
        if let Some(code) = terms.code {
            match advocate_of(connection, shop_id, code).await? {
                Some(advocate) => found = Some((advocate, code.to_owned(), None)),
                None => {
                    tracing::info!(
                        shop = shop_id,
                        order = order.order_id,
                        code,
                        "order's referral_code is no advocate's code; ignored"
                    );
                }
            }
        }
        for discount in order.details.discount_codes {
            if found.is_some() {
                break;
            }
            if let Some(claim) = claim_of_code(connection, shop_id, discount).await? {
                let code = super::referrals::code_of(connection, shop_id, &claim.advocate_id)
                    .await?
                    .unwrap_or_default();
                found = Some((claim.advocate_id.clone(), code, Some(claim)));
            }
        }
        let Some((advocate_id, code, claim)) = found else {
            return Ok(());
        };
        if of_order(connection, shop_id, order.order_id)
            .await?
            .is_some()
        {
            return Ok(());
        }
        // The friend's claim, if they made one: it gives their email and the address
        // when the order has none, and learns who the friend is.
        let claim = match claim {
            Some(claim) => Some(claim),
            None => claim_of_customer(connection, shop_id, order.customer_id).await?,
        };
        if let Some(claim) = &claim {
            sqlx::query(
                "UPDATE referral_claims SET customer_id = $1 WHERE shop_id = $2 AND code = $3 \
                 AND customer_id IS NULL",
            )
            .bind(order.customer_id)
            .bind(shop_id)
            .bind(&claim.code)
            .execute(&mut *connection)
            .await?;
        }
        if advocate_id != order.customer_id {
            lock_customer(connection, shop_id, &advocate_id, order.now).await?;
        }
        let friend_email = order
            .details
            .email
            .map(str::to_owned)
            .or_else(|| claim.as_ref().map(|claim| claim.email.clone()));
        let friend_mailbox = friend_email.as_deref().map(mailbox);
        let address = terms
            .address
            .map(str::to_owned)
            .or_else(|| claim.as_ref().and_then(|claim| claim.address.clone()));
        let advocate_email = email_of(connection, shop_id, &advocate_id).await?;
        let ordered_before = has_paid_order(
            connection,
            shop_id,
            Some(order.customer_id),
            friend_email.as_deref(),
            order.order_id,
        )
        .await?
            || referred_before(
                connection,
                shop_id,
                order.customer_id,
                friend_mailbox.as_deref(),
            )
            .await?;
        let (from_address, advocate_rewards) = counts(
            connection,
            shop_id,
            &advocate_id,
            address.as_deref(),
            order.now,
        )
        .await?;
        let candidate = Candidate {
            advocate_id: &advocate_id,
            advocate_email: advocate_email.as_deref(),
            friend_id: order.customer_id,
            friend_email: friend_email.as_deref(),
            ordered_before,
            order_total: order.total,
            from_address_this_week: from_address,
            advocate_rewards,
        };
        let decision = rules::decide(&candidate, &terms.limits);
        let referral = Referral {
            id: uuid::Uuid::now_v7().to_string(),
            shop_id: shop_id.to_owned(),
            advocate_id: advocate_id.clone(),
            code,
            friend_customer_id: order.customer_id.to_owned(),
            friend_email: friend_email.clone(),
            order_id: order.order_id.to_owned(),
            order_total: order.total,
            currency: order.currency.to_owned(),
            ordered_on: terms.ordered_on,
            status: if decision.is_ok() {
                ReferralStatus::Pending
            } else {
                ReferralStatus::Declined
            },
            reason: decision.err(),
            pays_on: decision
                .is_ok()
                .then(|| rules::pays_on(terms.ordered_on, terms.hold_days)),
            paid_on: None,
            reward_kind: terms.reward_kind,
            reward_value: terms.reward_value,
            reward_code: None,
            points: None,
            address,
            decided_by: decided_by::RULES.to_owned(),
            created_at: order.now,
        };
        let inserted = sqlx::query(
            "INSERT INTO referrals (id, shop_id, advocate_id, code, friend_customer_id, \
             friend_email, friend_mailbox, order_id, order_total, currency, ordered_on, status, \
             reason, pays_on, reward_kind, reward_value, address, decided_by, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
             $15, $16, $17, $18, $19, $19) ON CONFLICT (shop_id, order_id) DO NOTHING",
        )
        .bind(&referral.id)
        .bind(shop_id)
        .bind(&referral.advocate_id)
        .bind(&referral.code)
        .bind(&referral.friend_customer_id)
        .bind(referral.friend_email.as_deref())
        .bind(friend_mailbox.as_deref())
        .bind(&referral.order_id)
        .bind(referral.order_total)
        .bind(&referral.currency)
        .bind(referral.ordered_on.to_iso())
        .bind(referral.status.as_str())
        .bind(referral.reason.map(ReferralReason::as_str))
        .bind(referral.pays_on.map(Date::to_iso))
        .bind(referral.reward_kind.as_str())
        .bind(referral.reward_value)
        .bind(referral.address.as_deref())
        .bind(&referral.decided_by)
        .bind(order.now)
        .execute(&mut *connection)
        .await?;
        if inserted.rows_affected() == 1 {
            let event = Event::ReferralConverted {
                referral: &referral,
            };
            self.record_event(connection, shop_id, &event, order.now)
                .await?;
        }
        Ok(())
    }

    /// The referral step of a refund, in the order's transaction: a pending referral of
    /// the order is cancelled (`refunded`) once `refund_cancels` says the order no
    /// longer counts (`refunded` is the order's refunded amount so far). A paid one
    /// stays paid: the hold is the return window.
    pub(super) async fn refund_referral(
        &self,
        connection: &mut AnyConnection,
        order: &super::OrderInput<'_>,
        total: i64,
        refunded: i64,
    ) -> Result<(), StoreError> {
        let Some(terms) = &order.referral else {
            return Ok(());
        };
        let Some(found) = of_order(connection, order.shop_id, order.order_id).await? else {
            return Ok(());
        };
        if found.status != ReferralStatus::Pending {
            return Ok(());
        }
        if !rules::refund_cancels(total, refunded, terms.limits.minimum_order) {
            return Ok(());
        }
        if found.advocate_id != order.customer_id {
            lock_customer(connection, order.shop_id, &found.advocate_id, order.now).await?;
        }
        // Re-read under the advocate's lock: the job may have paid it meanwhile.
        let Some(mut referral) = find(connection, order.shop_id, &found.id).await? else {
            return Ok(());
        };
        if referral.status != ReferralStatus::Pending {
            return Ok(());
        }
        referral.status = ReferralStatus::Cancelled;
        referral.reason = Some(ReferralReason::Refunded);
        referral.pays_on = None;
        referral.decided_by = decided_by::RULES.to_owned();
        save(connection, &referral, None, order.now).await?;
        let event = Event::ReferralCancelled {
            referral: &referral,
        };
        self.record_event(connection, order.shop_id, &event, order.now)
            .await?;
        Ok(())
    }

    /// Pays a pending referral (or, with `pay_declined`, a declined one) now, under the
    /// advocate's lock: points through the ledger (`referral`, reference the friend's
    /// order, once) or a discount code; `referral.reward_paid`. A paid one answers as
    /// it is; a cancelled one is [`SettleOutcome::Settled`].
    pub async fn pay_referral(
        &self,
        shop_id: &str,
        id: &str,
        terms: &PayTerms<'_>,
    ) -> Result<SettleOutcome, StoreError> {
        let Some(found) = self.referral(shop_id, id).await? else {
            return Ok(SettleOutcome::NotFound);
        };
        let mut tx = self.begin_write().await?;
        lock_customer(&mut tx, shop_id, &found.advocate_id, terms.now).await?;
        let Some(mut referral) = find(&mut tx, shop_id, id).await? else {
            return Ok(SettleOutcome::NotFound);
        };
        match referral.status {
            ReferralStatus::Paid => return Ok(SettleOutcome::Done(referral)),
            ReferralStatus::Cancelled => return Ok(SettleOutcome::Settled(referral)),
            ReferralStatus::Declined if !terms.pay_declined => {
                return Ok(SettleOutcome::Settled(referral))
            }
            ReferralStatus::Pending | ReferralStatus::Declined => {}
        }
        match reward_code_kind(referral.reward_kind) {
            None => {
                let already = sqlx::query(
                    "SELECT 1 AS found FROM ledger_entries WHERE shop_id = $1 \
                     AND customer_id = $2 AND kind = $3 AND reference = $4",
                )
                .bind(shop_id)
                .bind(&referral.advocate_id)
                .bind(EntryKind::Referral.as_str())
                .bind(&referral.order_id)
                .fetch_optional(&mut *tx)
                .await?;
                if already.is_none() {
                    self.append_earning(
                        &mut tx,
                        NewEntry {
                            shop_id,
                            customer_id: &referral.advocate_id,
                            kind: EntryKind::Referral,
                            movement: ledger::earn(referral.reward_value),
                            reference: &referral.order_id,
                            reward_name: None,
                            forgiven: 0,
                            action_id: None,
                            base_points: None,
                            created_at: terms.now,
                        },
                    )
                    .await?;
                }
                referral.points = Some(referral.reward_value);
            }
            Some(kind) => {
                let code = codes::unique_code(&mut tx, shop_id, terms.code_prefix).await?;
                codes::insert(
                    &mut tx,
                    shop_id,
                    &DiscountCode {
                        code: code.clone(),
                        customer_id: referral.advocate_id.clone(),
                        reward_id: ADVOCATE_REWARD_ID.to_owned(),
                        kind,
                        value: referral.reward_value,
                        points_spent: 0,
                        currency: terms.currency.to_owned(),
                        created_at: terms.now,
                        expires_at: terms.now.saturating_add(terms.code_valid_for),
                        used_by_order: None,
                        released_at: None,
                        revoked_at: None,
                    },
                )
                .await?;
                referral.reward_code = Some(code);
            }
        }
        referral.status = ReferralStatus::Paid;
        referral.reason = None;
        referral.pays_on = None;
        referral.paid_on = Some(terms.today);
        referral.decided_by = terms.decided_by.to_owned();
        save(&mut tx, &referral, Some(terms.now), terms.now).await?;
        let event = Event::ReferralRewardPaid {
            referral: &referral,
        };
        self.record_event(&mut tx, shop_id, &event, terms.now)
            .await?;
        tx.commit().await?;
        Ok(SettleOutcome::Done(referral))
    }

    /// The shop declines a pending referral (`declined_by_shop`); a declined or
    /// cancelled one answers as it is; a paid one is [`SettleOutcome::Settled`].
    pub async fn decline_referral(
        &self,
        shop_id: &str,
        id: &str,
        now: i64,
    ) -> Result<SettleOutcome, StoreError> {
        let Some(found) = self.referral(shop_id, id).await? else {
            return Ok(SettleOutcome::NotFound);
        };
        let mut tx = self.begin_write().await?;
        lock_customer(&mut tx, shop_id, &found.advocate_id, now).await?;
        let Some(mut referral) = find(&mut tx, shop_id, id).await? else {
            return Ok(SettleOutcome::NotFound);
        };
        match referral.status {
            ReferralStatus::Paid => return Ok(SettleOutcome::Settled(referral)),
            ReferralStatus::Declined | ReferralStatus::Cancelled => {
                return Ok(SettleOutcome::Done(referral))
            }
            ReferralStatus::Pending => {}
        }
        referral.status = ReferralStatus::Declined;
        referral.reason = Some(ReferralReason::DeclinedByShop);
        referral.pays_on = None;
        referral.decided_by = decided_by::SHOP.to_owned();
        save(&mut tx, &referral, None, now).await?;
        let event = Event::ReferralCancelled {
            referral: &referral,
        };
        self.record_event(&mut tx, shop_id, &event, now).await?;
        tx.commit().await?;
        Ok(SettleOutcome::Done(referral))
    }

    /// Ids of the shop's pending referrals due by `today`, after `after`, at most `limit`.
    pub async fn due_referrals(
        &self,
        shop_id: &str,
        today: Date,
        after: &str,
        limit: i64,
    ) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT id FROM referrals WHERE shop_id = $1 AND status = 'pending' \
             AND pays_on <= $2 AND id > $3 ORDER BY id LIMIT $4",
        )
        .bind(shop_id)
        .bind(today.to_iso())
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| row.try_get("id").map_err(StoreError::from))
            .collect()
    }
}
