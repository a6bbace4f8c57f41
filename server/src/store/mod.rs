//! Persistence: every SQL statement of the server lives under this module.
//!
//! One `sqlx` `Any` pool drives SQLite (the default, a single file) or PostgreSQL with
//! the same portable SQL: TEXT ids, BIGINT numbers and Unix-second timestamps, `$n`
//! placeholders, no booleans, and sums cast back to BIGINT (PostgreSQL's `SUM(bigint)`
//! is NUMERIC, which the `Any` driver cannot decode).
//!
//! Points are never stored as a balance: every points-changing transaction locks the
//! customer row first (see `ledger::lock_customer`), derives the balance by summing the
//! ledger, applies the rules from `comeback_core::ledger`, and appends entries.
//!
//! Layers point down only: at the bottom the ledger, idempotent writes, the outbox and
//! unique codes; the feature stores above them; the order pipeline on top. No module
//! here reads the configuration: callers pass the rules they need as plain values.

// The bottom layer: the ledger, idempotent writes, the outbox and unique codes.
mod clawback;
mod code_release;
mod codes;
mod events;
mod idempotency;
mod inline_reads;
mod leases;
mod ledger;
mod outbox;
// Feature stores, built on the bottom layer.
mod anniversary;
mod birthday;
mod catalogue;
mod dashboard;
mod dashboard_overview;
mod dashboard_segments;
mod expiry;
mod help;
mod loyalty;
mod preferences;
mod punch_cards;
mod recommendations;
mod referral_claims;
mod referrals;
mod revocations;
mod settings;
mod snapshot;
mod staff;
mod subscription_changes;
mod subscription_renewals;
mod subscription_rules;
mod subscriptions;
mod summary;
mod survey_reports;
mod surveys;
mod tier_bonus;
mod tiers;
// The order pipeline, on top, and the orders it keeps for every feature.
mod order_records;
mod orders;
mod referral_orders;
mod refunds;

use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Connection, Executor};

pub use birthday::{BirthdayRecord, SetBirthdayOutcome};
pub use catalogue::ProductRecord;
pub use code_release::ReleaseOutcome;
pub use codes::{ConsumeOutcome, DiscountCode};
pub use dashboard_overview::{PointsTotals, NO_REASON};
pub use dashboard_segments::SegmentCustomer;
pub use events::{
    nps_group_name, Event, EVENT_TYPES, POINTS_EXPIRING, PREFERENCES_CHANGED, PUNCH_CARD_COMPLETED,
    REFERRAL_CANCELLED, REFERRAL_CONVERTED, REFERRAL_REWARD_PAID, REWARD_REDEEMED,
    SUBSCRIPTION_CANCELLED, SUBSCRIPTION_CHANGED, SUBSCRIPTION_CREATED, SUBSCRIPTION_RENEWAL_DUE,
    SURVEY_RESPONSE, TIER_CHANGED,
};
pub use help::{FeedbackCount, NewTicket, Ticket, TicketOutcome};
use ledger::{lock_customer, totals};
pub use loyalty::{
    ActionInput, ActionOutcome, ActionRule, AdjustInput, AdjustOutcome, RedeemInput, RedeemOutcome,
    RewardSpec,
};
pub use order_records::{ImportedOrder, OrderDetails, StoredOrder};
pub use orders::{OrderInput, OrderOutcome};
pub use outbox::{OutboxEvent, OutboxRow, OutboxRules, Webhooks};
pub use punch_cards::PunchCardSetup;
pub use recommendations::{CatalogueRow, LearnedLine, ShownProduct};
pub use referral_claims::{Claim, ClaimInput, ClaimOutcome};
pub use referral_orders::{PayTerms, ReferralTerms, SettleOutcome};
pub use referrals::{decided_by, Funnel, Referral, ADVOCATE_REWARD_ID, FRIEND_REWARD_ID};
pub use refunds::{points_to_take_back, PartialRefund};
pub use revocations::SignedIn;
pub use settings::SettingsVersion;
pub use snapshot::{LoyaltySnapshot, SnapshotRules};
pub use staff::{NewStaffSession, StaffSessionRecord, StaffUser};
pub use subscription_changes::{Answer, ChangeInput, ChangeOutcome, SubscriptionLine};
pub use subscription_renewals::{RenewalRun, RenewalTerms};
pub use subscription_rules::{Refusal, SubscriptionAction, RENEWAL};
pub use subscriptions::Subscription;
pub use summary::{CustomerRecord, CustomerSummary, ADMIN_HISTORY_LIMIT, HISTORY_LIMIT};
pub use survey_reports::{ScoreCount, SurveyCounts};
pub use surveys::{
    reward_name, NewContact, NewResponse, Published, ResponseOutcome, Scores, SurveyAnswer,
    SurveyReward,
};
pub use tiers::{TierRules, TierRulesByShop, TierStanding};

/// A failure of the database or of the data in it. Shown to clients only as `internal`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed a statement.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The URL names a database this server does not support.
    #[error("unsupported DATABASE_URL scheme in `{0}`; use sqlite:// or postgres://")]
    UnsupportedUrl(String),
    /// The SQLite file's directory could not be created.
    #[error("cannot create the database directory {path}: {error}")]
    CreateDir {
        /// The directory.
        path: String,
        /// Why.
        error: std::io::Error,
    },
    /// A stored value could not be read back.
    #[error("stored data is not readable: {0}")]
    Corrupt(String),
    /// A change would take a total out of the range of `i64` (`comeback_core::bounds`);
    /// the request is refused and nothing is written.
    #[error("{0} would be out of range")]
    Overflow(&'static str),
}

/// `a + b` for a total named `what`, or [`StoreError::Overflow`].
pub(crate) fn checked_add(what: &'static str, a: i64, b: i64) -> Result<i64, StoreError> {
    comeback_core::bounds::add(a, b).map_err(|_| StoreError::Overflow(what))
}

/// Which database the pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The backend a database URL names.
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// The database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Key lookups on the request's thread, for a SQLite file (see `inline_reads`).
    inline: Option<Arc<inline_reads::InlineReader>>,
    /// Which shops get which outbound webhook events (none until [`Store::with_webhooks`]).
    webhooks: Swap<Webhooks>,
    /// Each shop's tier ladder, basis and window (none until [`Store::with_tiers`]).
    tiers: Swap<TierRulesByShop>,
}

/// Rules the store is handed, shared by every clone of it and replaced whole when the
/// configuration is reloaded ([`Store::set_rules`]).
#[derive(Debug, Default)]
pub struct Swap<T>(Arc<RwLock<T>>);

impl<T> Clone for Swap<T> {
    fn clone(&self) -> Self {
        Swap(Arc::clone(&self.0))
    }
}

impl<T: Clone> Swap<T> {
    /// The current value (for the maps here, a clone of an `Arc`).
    fn load(&self) -> T {
        // A poisoned lock only means a reload panicked mid-write of a whole value.
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Replaces the value for every clone.
    fn replace(&self, value: T) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = value;
    }
}

/// The size of the connection pool and how long a request waits for a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolSettings {
    /// Most connections; `None` for the default (8 on SQLite, 16 on PostgreSQL).
    pub max_connections: Option<u32>,
    /// Longest wait for a free connection before the request is answered 503 with
    /// `Retry-After` (shorter than the request time limit, so a saturated pool sheds
    /// load instead of queueing it).
    pub acquire_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            max_connections: None,
            acquire_timeout: Duration::from_secs(5),
        }
    }
}

/// How long a PostgreSQL connection may sit unused in the pool before it is checked
/// with a ping when taken: busy connections are not pinged, idle ones may have been cut.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(5);

/// The embedded migrations (`server/migrations`).
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

impl Store {
    /// Connects to `url` (`sqlite://path/file.db` or `postgres://…`). A SQLite file and
    /// its directory are created when missing.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_with(url, PoolSettings::default()).await
    }

    /// [`Store::connect`] with a pool of this size and acquire timeout.
    pub async fn connect_with(url: &str, pool: PoolSettings) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend =
            Backend::from_url(url).ok_or_else(|| StoreError::UnsupportedUrl(url.to_owned()))?;
        let (url, default_connections) = match backend {
            Backend::Sqlite => (prepare_sqlite_url(url)?, 8),
            Backend::Postgres => (url.to_owned(), 16),
        };
        // sqlx pings every connection it takes from the pool by default: a second round
        // trip for every query (on SQLite a hop to the connection's thread and back). A
        // SQLite connection is in this process and never goes stale, so it is not checked;
        // a PostgreSQL one can be cut (a restart, a proxy's idle timeout), so it is checked
        // only after sitting idle, as connection pools like HikariCP do.
        let mut options = AnyPoolOptions::new()
            .max_connections(pool.max_connections.unwrap_or(default_connections).max(1))
            .acquire_timeout(pool.acquire_timeout)
            .test_before_acquire(false);
        if backend == Backend::Postgres {
            options = options.before_acquire(|connection, meta| {
                Box::pin(async move {
                    if meta.idle_for >= IDLE_BEFORE_PING {
                        connection.ping().await?;
                    }
                    Ok(true)
                })
            });
        }
        let pool = options
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the one writer; FULL makes every
                        // commit durable; the busy timeout queues writers instead of
                        // failing them.
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = FULL",
                            "PRAGMA foreign_keys = ON",
                            "PRAGMA busy_timeout = 30000",
                        ] {
                            connection.execute(pragma).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        let inline = match backend {
            Backend::Sqlite => inline_reads::InlineReader::for_url(&url).map(Arc::new),
            Backend::Postgres => None,
        };
        Ok(Store {
            pool,
            backend,
            inline,
            webhooks: Swap::default(),
            tiers: Swap::default(),
        })
    }

    /// This store, writing outbox events for the shops of `webhooks`.
    pub fn with_webhooks(self, webhooks: Webhooks) -> Store {
        self.webhooks.replace(webhooks);
        self
    }

    /// This store, keeping the tier status of each shop's customers by `tiers`.
    pub fn with_tiers(self, tiers: TierRulesByShop) -> Store {
        self.tiers.replace(tiers);
        self
    }

    /// Replaces the outbox and tier rules of this store and every clone of it (a
    /// reloaded configuration).
    pub fn set_rules(&self, webhooks: Webhooks, tiers: TierRulesByShop) {
        self.webhooks.replace(webhooks);
        self.tiers.replace(tiers);
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").fetch_one(&self.pool).await?;
        Ok(())
    }

    /// The connection pool, for tools and tests that must hold or inspect connections;
    /// the server's own SQL stays in this module.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Whether PostgreSQL aborted the transaction to break a deadlock (`40P01`) or a
    /// serialization conflict (`40001`): it was rolled back whole and may be run again.
    /// Two orders that lock the same two customers in opposite order (two friends who
    /// referred each other, ordering at once) meet this.
    pub fn is_transient_conflict(error: &StoreError) -> bool {
        let StoreError::Database(sqlx::Error::Database(database)) = error else {
            return false;
        };
        matches!(database.code().as_deref(), Some("40P01" | "40001"))
    }

    /// Whether the error means no connection could be had in time (the pool is
    /// exhausted or closing): the request should be retried later, not reported as a bug.
    pub fn is_exhausted(error: &StoreError) -> bool {
        matches!(
            error,
            StoreError::Database(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed)
        )
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Begins a transaction that will change a customer's points. On SQLite it takes the
    /// write lock at once (`BEGIN IMMEDIATE`), so two such transactions never both read
    /// and then race to write; on PostgreSQL [`lock_customer`] takes a row lock.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }
}

/// Turns `sqlite://dir/file.db` into a URL that creates the file, creating `dir`.
fn prepare_sqlite_url(url: &str) -> Result<String, StoreError> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path == ":memory:" || path.is_empty() {
        return Ok(url.to_owned());
    }
    if let Some(dir) = Path::new(path)
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|error| StoreError::CreateDir {
            path: dir.display().to_string(),
            error,
        })?;
    }
    if query.split('&').any(|pair| pair.starts_with("mode=")) {
        Ok(url.to_owned())
    } else if query.is_empty() {
        Ok(format!("sqlite://{path}?mode=rwc"))
    } else {
        Ok(format!("sqlite://{path}?{query}&mode=rwc"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_create_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/db.sqlite");
        let url = prepare_sqlite_url(&format!("sqlite://{}", path.display())).unwrap();
        assert!(url.ends_with("?mode=rwc"), "{url}");
        assert!(path.parent().unwrap().is_dir());
        assert_eq!(
            prepare_sqlite_url("sqlite://x.db?mode=ro").unwrap(),
            "sqlite://x.db?mode=ro"
        );
        assert_eq!(
            prepare_sqlite_url("sqlite::memory:").unwrap(),
            "sqlite::memory:"
        );
    }

    #[test]
    fn backends_from_urls() {
        assert_eq!(Backend::from_url("sqlite://a.db"), Some(Backend::Sqlite));
        assert_eq!(
            Backend::from_url("postgres://h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::from_url("mysql://h/db"), None);
    }
}
