//! Referrals as stored: each advocate's code, the visits through it, the referred orders
//! (read with `FromRow`), and the reads of `/referrals/me`, the landing, and the admin
//! funnel and list. Beside it: the friends' claims ([`super::referral_claims`]) and what
//! orders and the payment job change ([`super::referral_orders`]).
//!
//! Dates are the shop's calendar dates, stored as ISO text; the caller works out which
//! day it is in the shop's time zone and hands it down (this layer reads no config).

use comeback_core::date::Date;
use comeback_core::referral::code::{referral_code, REFERRAL_CODE_LEN};
use comeback_core::referral::{ReferralReason, ReferralRewardKind, ReferralStatus};
use sqlx::AnyConnection;
use sqlx::Row;

use super::{Store, StoreError};

/// The `reward_id` of the discount codes a friend's claim issues.
pub const FRIEND_REWARD_ID: &str = "referral-friend";
/// The `reward_id` of the discount codes an advocate's reward issues.
pub const ADVOCATE_REWARD_ID: &str = "referral-advocate";

/// Who settled a referral last.
pub mod decided_by {
    /// The rules, when the order arrived (or a refund cancelled it).
    pub const RULES: &str = "rules";
    /// The payment job.
    pub const JOB: &str = "job";
    /// The shop, by hand.
    pub const SHOP: &str = "shop";
}

/// A referred first order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    /// Comeback's id (UUID v7).
    pub id: String,
    /// The shop.
    pub shop_id: String,
    /// The advocate's customer id.
    pub advocate_id: String,
    /// The advocate's code the order came through.
    pub code: String,
    /// The friend's customer id.
    pub friend_customer_id: String,
    /// The friend's email (the order's, else the claim's), normalised.
    pub friend_email: Option<String>,
    /// The shop's order id.
    pub order_id: String,
    /// The order's total, minor units.
    pub order_total: i64,
    /// The order's currency.
    pub currency: String,
    /// The day the friend ordered.
    pub ordered_on: Date,
    /// Where it stands.
    pub status: ReferralStatus,
    /// Why it was declined or cancelled.
    pub reason: Option<ReferralReason>,
    /// While pending: the day it is paid.
    pub pays_on: Option<Date>,
    /// Once paid: the day.
    pub paid_on: Option<Date>,
    /// What the advocate's reward gives.
    pub reward_kind: ReferralRewardKind,
    /// Points, minor units or percent.
    pub reward_value: i64,
    /// Once paid with a code: the code.
    pub reward_code: Option<String>,
    /// Once paid with points: the points.
    pub points: Option<i64>,
    /// The order's network address, when known.
    pub address: Option<String>,
    /// `rules`, `job` or `shop`.
    pub decided_by: String,
    /// When it was recorded, Unix seconds.
    pub created_at: i64,
}

/// A `referrals` row as the database has it.
#[derive(Debug, sqlx::FromRow)]
struct ReferralRow {
    id: String,
    shop_id: String,
    advocate_id: String,
    code: String,
    friend_customer_id: String,
    friend_email: Option<String>,
    order_id: String,
    order_total: i64,
    currency: String,
    ordered_on: String,
    status: String,
    reason: Option<String>,
    pays_on: Option<String>,
    paid_on: Option<String>,
    reward_kind: String,
    reward_value: i64,
    reward_code: Option<String>,
    points: Option<i64>,
    address: Option<String>,
    decided_by: String,
    created_at: i64,
}

/// The columns of [`ReferralRow`], for `SELECT`.
pub(super) const COLUMNS: &str = "id, shop_id, advocate_id, code, friend_customer_id, \
    friend_email, order_id, order_total, currency, ordered_on, status, reason, pays_on, \
    paid_on, reward_kind, reward_value, reward_code, points, address, decided_by, created_at";

fn corrupt(id: &str, what: &str) -> StoreError {
    StoreError::Corrupt(format!("referral {id}: {what}"))
}

fn date(id: &str, text: Option<String>) -> Result<Option<Date>, StoreError> {
    text.map(|text| Date::parse(&text).ok_or_else(|| corrupt(id, &format!("date `{text}`"))))
        .transpose()
}

impl TryFrom<ReferralRow> for Referral {
    type Error = StoreError;

    fn try_from(row: ReferralRow) -> Result<Referral, StoreError> {
        let id = row.id;
        let status = ReferralStatus::parse(&row.status)
            .ok_or_else(|| corrupt(&id, &format!("status `{}`", row.status)))?;
        let reason = row
            .reason
            .map(|reason| {
                ReferralReason::parse(&reason)
                    .ok_or_else(|| corrupt(&id, &format!("reason `{reason}`")))
            })
            .transpose()?;
        let reward_kind = ReferralRewardKind::parse(&row.reward_kind)
            .ok_or_else(|| corrupt(&id, &format!("reward kind `{}`", row.reward_kind)))?;
        let ordered_on =
            date(&id, Some(row.ordered_on))?.ok_or_else(|| corrupt(&id, "no ordered_on"))?;
        Ok(Referral {
            pays_on: date(&id, row.pays_on)?,
            paid_on: date(&id, row.paid_on)?,
            id,
            shop_id: row.shop_id,
            advocate_id: row.advocate_id,
            code: row.code,
            friend_customer_id: row.friend_customer_id,
            friend_email: row.friend_email,
            order_id: row.order_id,
            order_total: row.order_total,
            currency: row.currency,
            ordered_on,
            status,
            reason,
            reward_kind,
            reward_value: row.reward_value,
            reward_code: row.reward_code,
            points: row.points,
            address: row.address,
            decided_by: row.decided_by,
            created_at: row.created_at,
        })
    }
}

/// The referral whose `key` column (`id` or `order_id`, both unique per shop) is
/// `value` (in the caller's transaction).
async fn one_by(
    connection: &mut AnyConnection,
    shop_id: &str,
    key: &'static str,
    value: &str,
) -> Result<Option<Referral>, StoreError> {
    let row = sqlx::query_as::<_, ReferralRow>(&format!(
        "SELECT {COLUMNS} FROM referrals WHERE shop_id = $1 AND {key} = $2"
    ))
    .bind(shop_id)
    .bind(value)
    .fetch_optional(&mut *connection)
    .await?;
    row.map(Referral::try_from).transpose()
}

/// The referral with this id (in the caller's transaction).
pub(super) async fn find(
    connection: &mut AnyConnection,
    shop_id: &str,
    id: &str,
) -> Result<Option<Referral>, StoreError> {
    one_by(connection, shop_id, "id", id).await
}

/// The referral of an order (in the caller's transaction).
pub(super) async fn of_order(
    connection: &mut AnyConnection,
    shop_id: &str,
    order_id: &str,
) -> Result<Option<Referral>, StoreError> {
    one_by(connection, shop_id, "order_id", order_id).await
}

/// One column of the advocate row whose `key` column (`code` or `customer_id`, each
/// unique per shop) is `value` (in the caller's transaction).
async fn advocate_column(
    connection: &mut AnyConnection,
    shop_id: &str,
    (want, key): (&'static str, &'static str),
    value: &str,
) -> Result<Option<String>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {want} FROM referral_advocates WHERE shop_id = $1 AND {key} = $2"
    ))
    .bind(shop_id)
    .bind(value)
    .fetch_optional(&mut *connection)
    .await?;
    Ok(row.map(|row| row.try_get(want)).transpose()?)
}

/// The advocate whose code this is (in the caller's transaction).
pub(super) async fn advocate_of(
    connection: &mut AnyConnection,
    shop_id: &str,
    code: &str,
) -> Result<Option<String>, StoreError> {
    advocate_column(connection, shop_id, ("customer_id", "code"), code).await
}

/// The code of an advocate, if they have one (in the caller's transaction).
pub(super) async fn code_of(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
) -> Result<Option<String>, StoreError> {
    advocate_column(connection, shop_id, ("code", "customer_id"), customer_id).await
}

/// The email the shop synced for a customer (normalised), else the one of their newest
/// order that had one.
pub(super) async fn email_of(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
) -> Result<Option<String>, StoreError> {
    let row = sqlx::query(
        "SELECT email FROM customer_profiles WHERE shop_id = $1 AND customer_id = $2 \
         AND email IS NOT NULL",
    )
    .bind(shop_id)
    .bind(customer_id)
    .fetch_optional(&mut *connection)
    .await?;
    if let Some(row) = row {
        return Ok(Some(row.try_get("email")?));
    }
    let row = sqlx::query(
        "SELECT email FROM order_details WHERE shop_id = $1 AND customer_id = $2 \
         AND email IS NOT NULL ORDER BY placed_at DESC LIMIT 1",
    )
    .bind(shop_id)
    .bind(customer_id)
    .fetch_optional(&mut *connection)
    .await?;
    Ok(row.map(|row| row.try_get("email")).transpose()?)
}

/// Whether a customer (by id), or anyone with this email, has a paid order other than
/// `except_order`.
pub(super) async fn has_paid_order(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: Option<&str>,
    email: Option<&str>,
    except_order: &str,
) -> Result<bool, StoreError> {
    if let Some(customer_id) = customer_id {
        let row = sqlx::query(
            "SELECT 1 AS found FROM orders WHERE shop_id = $1 AND customer_id = $2 \
             AND status = 'paid' AND order_id <> $3 LIMIT 1",
        )
        .bind(shop_id)
        .bind(customer_id)
        .bind(except_order)
        .fetch_optional(&mut *connection)
        .await?;
        if row.is_some() {
            return Ok(true);
        }
    }
    if let Some(email) = email {
        let row = sqlx::query(
            "SELECT 1 AS found FROM order_details d JOIN orders o \
             ON o.shop_id = d.shop_id AND o.order_id = d.order_id AND o.status = 'paid' \
             WHERE d.shop_id = $1 AND d.email = $2 AND d.order_id <> $3 LIMIT 1",
        )
        .bind(shop_id)
        .bind(email)
        .bind(except_order)
        .fetch_optional(&mut *connection)
        .await?;
        if row.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The day of `now` a visit is counted under: the UTC day's first second.
fn visit_day(now: i64) -> i64 {
    now.div_euclid(86_400) * 86_400
}

impl Store {
    /// The advocate's code: the one they have, or a new one drawn and kept.
    pub async fn advocate_code(
        &self,
        shop_id: &str,
        customer_id: &str,
        now: i64,
    ) -> Result<String, StoreError> {
        let mut connection = self.pool.acquire().await?;
        if let Some(code) = code_of(&mut connection, shop_id, customer_id).await? {
            return Ok(code);
        }
        for _ in 0..16 {
            let candidate = referral_code(rand::random::<[u8; REFERRAL_CODE_LEN]>());
            if advocate_of(&mut connection, shop_id, &candidate)
                .await?
                .is_some()
            {
                continue;
            }
            // A concurrent first call of the same advocate keeps the code drawn first.
            sqlx::query(
                "INSERT INTO referral_advocates (shop_id, customer_id, code, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (shop_id, customer_id) DO NOTHING",
            )
            .bind(shop_id)
            .bind(customer_id)
            .bind(&candidate)
            .bind(now)
            .execute(&mut *connection)
            .await?;
            if let Some(code) = code_of(&mut connection, shop_id, customer_id).await? {
                return Ok(code);
            }
        }
        Err(StoreError::Corrupt(
            "no free referral code after 16 attempts".into(),
        ))
    }

    /// The advocate whose code this is (canonical form).
    pub async fn advocate_by_code(
        &self,
        shop_id: &str,
        code: &str,
    ) -> Result<Option<String>, StoreError> {
        let mut connection = self.pool.acquire().await?;
        advocate_of(&mut connection, shop_id, code).await
    }

    /// The first name the shop synced for a customer (the first word of the profile's
    /// name), and their email.
    pub async fn referral_profile(
        &self,
        shop_id: &str,
        customer_id: &str,
    ) -> Result<(Option<String>, Option<String>), StoreError> {
        let row = sqlx::query(
            "SELECT name, email FROM customer_profiles WHERE shop_id = $1 AND customer_id = $2",
        )
        .bind(shop_id)
        .bind(customer_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok((None, None));
        };
        let name: Option<String> = row.try_get("name")?;
        let first = name
            .as_deref()
            .and_then(|name| name.split_whitespace().next())
            .map(str::to_owned);
        Ok((first, row.try_get("email")?))
    }

    /// The first names the shop synced for these customers (the first word of each
    /// profile's name), by customer id; customers without one are left out.
    pub async fn first_names(
        &self,
        shop_id: &str,
        customer_ids: &[&str],
    ) -> Result<std::collections::BTreeMap<String, String>, StoreError> {
        let mut names = std::collections::BTreeMap::new();
        if customer_ids.is_empty() {
            return Ok(names);
        }
        let placeholders: Vec<String> = (2..customer_ids.len() + 2)
            .map(|n| format!("${n}"))
            .collect();
        let sql = format!(
            "SELECT customer_id, name FROM customer_profiles WHERE shop_id = $1 \
             AND name IS NOT NULL AND customer_id IN ({})",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(&sql).bind(shop_id);
        for id in customer_ids {
            query = query.bind(*id);
        }
        for row in query.fetch_all(&self.pool).await? {
            let name: String = row.try_get("name")?;
            if let Some(first) = name.split_whitespace().next() {
                names.insert(row.try_get("customer_id")?, first.to_owned());
            }
        }
        Ok(names)
    }

    /// Counts one visit through the advocate's link.
    pub async fn record_referral_visit(
        &self,
        shop_id: &str,
        advocate_id: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO referral_visits (shop_id, advocate_id, day, visits) \
             VALUES ($1, $2, $3, 1) ON CONFLICT (shop_id, advocate_id, day) \
             DO UPDATE SET visits = referral_visits.visits + 1",
        )
        .bind(shop_id)
        .bind(advocate_id)
        .bind(visit_day(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The visits through an advocate's link and the friends who claimed, so far.
    pub async fn advocate_counts(
        &self,
        shop_id: &str,
        advocate_id: &str,
    ) -> Result<(i64, i64), StoreError> {
        let visits = sqlx::query(
            "SELECT CAST(COALESCE(SUM(visits), 0) AS BIGINT) AS n FROM referral_visits \
             WHERE shop_id = $1 AND advocate_id = $2",
        )
        .bind(shop_id)
        .bind(advocate_id)
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?;
        let signups = sqlx::query(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM referral_claims \
             WHERE shop_id = $1 AND advocate_id = $2",
        )
        .bind(shop_id)
        .bind(advocate_id)
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?;
        Ok((visits, signups))
    }

    /// An advocate's referrals, newest first, at most `limit`.
    pub async fn referrals_of(
        &self,
        shop_id: &str,
        advocate_id: &str,
        limit: i64,
    ) -> Result<Vec<Referral>, StoreError> {
        let rows = sqlx::query_as::<_, ReferralRow>(&format!(
            "SELECT {COLUMNS} FROM referrals WHERE shop_id = $1 AND advocate_id = $2 \
             ORDER BY created_at DESC, id DESC LIMIT $3"
        ))
        .bind(shop_id)
        .bind(advocate_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Referral::try_from).collect()
    }

    /// The referral with this id.
    pub async fn referral(&self, shop_id: &str, id: &str) -> Result<Option<Referral>, StoreError> {
        let mut connection = self.pool.acquire().await?;
        find(&mut connection, shop_id, id).await
    }

    /// A page of the shop's referrals, oldest first (ids are UUID v7), after `after`,
    /// of one advocate and one status when given.
    pub async fn referrals_page(
        &self,
        shop_id: &str,
        advocate_id: Option<&str>,
        status: Option<ReferralStatus>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Referral>, StoreError> {
        let rows = sqlx::query_as::<_, ReferralRow>(&format!(
            "SELECT {COLUMNS} FROM referrals WHERE shop_id = $1 \
             AND ($2 = '' OR advocate_id = $2) AND ($3 = '' OR status = $3) AND id > $4 \
             ORDER BY id LIMIT $5"
        ))
        .bind(shop_id)
        .bind(advocate_id.unwrap_or(""))
        .bind(status.map_or("", ReferralStatus::as_str))
        .bind(after.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Referral::try_from).collect()
    }

    /// The shop's funnel between `since` and `until` (Unix seconds; visits by their UTC
    /// day): visits, sign-ups (claims), first orders (referrals recorded), each status,
    /// and what was paid.
    pub async fn referral_funnel(
        &self,
        shop_id: &str,
        since: i64,
        until: i64,
    ) -> Result<Funnel, StoreError> {
        let visits: i64 = sqlx::query(
            "SELECT CAST(COALESCE(SUM(visits), 0) AS BIGINT) AS n FROM referral_visits \
             WHERE shop_id = $1 AND day >= $2 AND day < $3",
        )
        .bind(shop_id)
        .bind(visit_day(since))
        .bind(until)
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?;
        let signups: i64 = sqlx::query(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM referral_claims \
             WHERE shop_id = $1 AND created_at >= $2 AND created_at < $3",
        )
        .bind(shop_id)
        .bind(since)
        .bind(until)
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?;
        let rows = sqlx::query(
            "SELECT status, reward_kind, CAST(COUNT(*) AS BIGINT) AS n, \
             CAST(COALESCE(SUM(points), 0) AS BIGINT) AS points FROM referrals \
             WHERE shop_id = $1 AND created_at >= $2 AND created_at < $3 \
             GROUP BY status, reward_kind",
        )
        .bind(shop_id)
        .bind(since)
        .bind(until)
        .fetch_all(&self.pool)
        .await?;
        let mut funnel = Funnel {
            visits,
            signups,
            ..Funnel::default()
        };
        for row in rows {
            let status: String = row.try_get("status")?;
            let kind: String = row.try_get("reward_kind")?;
            let count: i64 = row.try_get("n")?;
            let points: i64 = row.try_get("points")?;
            funnel.first_orders += count;
            match ReferralStatus::parse(&status) {
                Some(ReferralStatus::Pending) => funnel.pending += count,
                Some(ReferralStatus::Paid) => {
                    funnel.paid += count;
                    funnel.points_paid += points;
                    if kind != ReferralRewardKind::Points.as_str() {
                        funnel.codes_paid += count;
                    }
                }
                Some(ReferralStatus::Cancelled) => funnel.cancelled += count,
                Some(ReferralStatus::Declined) => funnel.declined += count,
                None => return Err(corrupt("funnel", &format!("status `{status}`"))),
            }
        }
        Ok(funnel)
    }
}

/// The shop's referral funnel for a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Funnel {
    /// Visits through links.
    pub visits: i64,
    /// Friends who claimed their reward.
    pub signups: i64,
    /// Referred first orders recorded.
    pub first_orders: i64,
    /// Of those, pending.
    pub pending: i64,
    /// Paid.
    pub paid: i64,
    /// Cancelled.
    pub cancelled: i64,
    /// Declined.
    pub declined: i64,
    /// Points paid.
    pub points_paid: i64,
    /// Codes paid.
    pub codes_paid: i64,
}
