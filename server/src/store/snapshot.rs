//! The shopper's loyalty snapshot behind `GET /loyalty/me`, read on one connection in
//! one read transaction (one consistent moment: balance, tier and codes can never come
//! from different writes), with the customer's `lock_version` it is of.
//!
//! Every write that changes what the snapshot shows runs under the customer lock, which
//! bumps `customers.lock_version` (consuming a code bumps it too), so a caller may keep
//! what it built from a snapshot while the version [`Store::signed_in`] reads is unchanged.

use comeback_core::api::Preferences;
use comeback_core::date::Date;
use comeback_core::punch_card::{self, PunchCardProgress, PunchCardRule};
use sqlx::AnyConnection;
use sqlx::Row;

use super::birthday::{self, BirthdayRecord};
use super::summary::{self, CustomerSummary, SummaryOf, HISTORY_LIMIT};
use super::tiers::{self, TierStanding};
use super::{preferences, punch_cards, Backend, Store, StoreError};

/// What `GET /loyalty/me` shows of one customer, as of one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoyaltySnapshot {
    /// Balance, lifetime points, history, usable codes and the next expiry.
    pub summary: CustomerSummary,
    /// The birthday, when set.
    pub birthday: Option<BirthdayRecord>,
    /// The tier held and the window's total.
    pub standing: TierStanding,
    /// Progress on each punch card, by card id.
    pub stamps: Vec<(String, PunchCardProgress)>,
    /// Contact preferences.
    pub preferences: Preferences,
}

/// The shop's rules a snapshot is read with.
#[derive(Debug, Clone, Copy)]
pub struct SnapshotRules<'a> {
    /// Days after which points expire, when they do.
    pub expire_after_days: Option<i64>,
    /// The shop's punch cards.
    pub punch_cards: &'a [PunchCardRule],
}

/// The customer's `lock_version`, `None` when they have no row.
async fn version(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
) -> Result<Option<i64>, StoreError> {
    let row =
        sqlx::query("SELECT lock_version FROM customers WHERE shop_id = $1 AND customer_id = $2")
            .bind(shop_id)
            .bind(customer_id)
            .fetch_optional(&mut *connection)
            .await?;
    row.map(|row| row.try_get("lock_version"))
        .transpose()
        .map_err(StoreError::from)
}

impl Store {
    /// The customer's loyalty snapshot at `now`, read in one read transaction, with the
    /// version it is of.
    pub async fn loyalty_snapshot(
        &self,
        shop_id: &str,
        customer_id: &str,
        rules: SnapshotRules<'_>,
        now: i64,
    ) -> Result<(Option<i64>, LoyaltySnapshot), StoreError> {
        let begin = match self.backend {
            Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
            Backend::Sqlite => "BEGIN",
        };
        let mut tx = self.pool.begin_with(begin).await?;
        let day = Date::from_unix_seconds(now);
        let version = version(&mut tx, shop_id, customer_id).await?;
        let summary = summary::summary(
            &mut tx,
            SummaryOf {
                shop_id,
                customer_id,
                expire_after_days: rules.expire_after_days,
                now,
                history_limit: HISTORY_LIMIT,
            },
        )
        .await?;
        let birthday = birthday::record(&mut tx, shop_id, customer_id).await?;
        let standing = match self.tier_rules(shop_id) {
            Some(tier_rules) => {
                tiers::standing(&mut tx, &tier_rules, shop_id, customer_id, now)
                    .await?
                    .1
            }
            None => TierStanding::default(),
        };
        let stamps = if rules.punch_cards.is_empty() {
            Vec::new()
        } else {
            let orders = punch_cards::customer_orders(&mut tx, shop_id, customer_id).await?;
            rules
                .punch_cards
                .iter()
                .map(|rule| (rule.id.clone(), punch_card::progress(rule, &orders, day)))
                .collect()
        };
        let preferences = preferences::stored(&mut tx, shop_id, customer_id).await?;
        tx.commit().await?;
        Ok((
            version,
            LoyaltySnapshot {
                summary,
                birthday,
                standing,
                stamps,
                preferences,
            },
        ))
    }
}
