//! The shopper's loyalty snapshot behind `GET /loyalty/me`, read on one connection in
//! one read transaction (one consistent moment: balance, tier and codes can never come
//! from different writes), and kept per process while it is current.
//!
//! Every write that changes what the snapshot shows runs under the customer lock, which
//! bumps `customers.lock_version` (code consumption bumps it too). A snapshot is reused
//! while that version and the UTC day (tier windows, expiry dates, punch-card windows
//! are by day) are unchanged, so a repeated view costs one indexed read of the customer
//! row; codes that expire during the day are filtered by the time of each view. The
//! version is read from the database, so the reuse stays correct when several processes
//! share it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use comeback_core::api::Preferences;
use comeback_core::date::Date;
use comeback_core::punch_card::{self, PunchCardProgress, PunchCardRule};
use sqlx::AnyConnection;
use sqlx::Row;

use super::birthday::{self, BirthdayRecord};
use super::loyalty::{self, CustomerSummary, SummaryOf, HISTORY_LIMIT};
use super::tiers::{self, TierStanding};
use super::{preferences, punch_cards, Backend, Store, StoreError};

/// Seconds in a day.
const DAY: i64 = 86_400;

/// Snapshots kept per process before the cache starts over.
const CACHE_LIMIT: usize = 10_000;

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

/// A snapshot and what it is valid for.
#[derive(Debug, Clone)]
struct Cached {
    /// `customers.lock_version` when read (`None`: the customer had no row).
    version: Option<i64>,
    /// The UTC day it was read for.
    day: Date,
    snapshot: LoyaltySnapshot,
}

/// Snapshots by shop and customer.
#[derive(Debug, Clone, Default)]
pub(super) struct SnapshotCache(Arc<Mutex<HashMap<(String, String), Cached>>>);

impl SnapshotCache {
    fn get(
        &self,
        key: &(String, String),
        version: Option<i64>,
        day: Date,
    ) -> Option<LoyaltySnapshot> {
        let cache = self.0.lock().ok()?;
        cache
            .get(key)
            .filter(|cached| cached.version == version && cached.day == day)
            .map(|cached| cached.snapshot.clone())
    }

    fn put(&self, key: (String, String), cached: Cached) {
        if let Ok(mut cache) = self.0.lock() {
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(key, cached);
        }
    }
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
    /// The customer's loyalty snapshot at `now`: the current one of this process when
    /// the customer has not changed since and the day is the same, else read afresh in
    /// one read transaction.
    pub async fn loyalty_snapshot(
        &self,
        shop_id: &str,
        customer_id: &str,
        rules: SnapshotRules<'_>,
        now: i64,
    ) -> Result<LoyaltySnapshot, StoreError> {
        let day = Date::from_unix_seconds(now);
        let key = (shop_id.to_owned(), customer_id.to_owned());
        let mut connection = self.pool.acquire().await?;
        let current = version(&mut connection, shop_id, customer_id).await?;
        let mut snapshot = match self.snapshots.get(&key, current, day) {
            Some(snapshot) => snapshot,
            None => {
                drop(connection);
                let (version, snapshot) =
                    self.read_snapshot(shop_id, customer_id, rules, day).await?;
                self.snapshots.put(
                    key,
                    Cached {
                        version,
                        day,
                        snapshot: snapshot.clone(),
                    },
                );
                snapshot
            }
        };
        // Read for the start of the day: drop the codes that expired since.
        snapshot.summary.codes.retain(|code| code.expires_at > now);
        Ok(snapshot)
    }

    /// Reads the snapshot for `day` in one read transaction, with the version it is of.
    async fn read_snapshot(
        &self,
        shop_id: &str,
        customer_id: &str,
        rules: SnapshotRules<'_>,
        day: Date,
    ) -> Result<(Option<i64>, LoyaltySnapshot), StoreError> {
        let begin = match self.backend {
            Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
            Backend::Sqlite => "BEGIN",
        };
        let mut tx = self.pool.begin_with(begin).await?;
        let start_of_day = day.days_since_epoch().saturating_mul(DAY);
        let version = version(&mut tx, shop_id, customer_id).await?;
        let summary = loyalty::summary(
            &mut tx,
            SummaryOf {
                shop_id,
                customer_id,
                expire_after_days: rules.expire_after_days,
                now: start_of_day,
                history_limit: HISTORY_LIMIT,
            },
        )
        .await?;
        let birthday = birthday::record(&mut tx, shop_id, customer_id).await?;
        let standing = match self.tier_rules(shop_id) {
            Some(tier_rules) => {
                tiers::standing(&mut tx, tier_rules, shop_id, customer_id, start_of_day)
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
