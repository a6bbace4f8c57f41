//! The points-expiry job: gives back the points of discount codes that expired unused,
//! then, for every shop whose points expire, expires what is due for each customer who
//! may have some, and writes the `points.expiring` webhook events
//! of shops that want them. Run by `comeback-server expire` and every hour
//! inside `serve`; the rules are `comeback_core::expiry`, the SQL is in `store`. The
//! same task runs the tier review ([`crate::tier_review::run_once`]), birthday
//! ([`crate::birthday::run_once`]) and anniversary ([`crate::anniversary::run_once`])
//! jobs.

use std::time::Duration;

use comeback_core::date::Date;

use crate::store::{StoreError, POINTS_EXPIRING};
use crate::AppState;

/// How often `serve` runs the job.
pub const INTERVAL: Duration = Duration::from_secs(60 * 60);

/// What one run expired.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExpiryRun {
    /// Customers who lost points.
    pub customers: u64,
    /// Points expired, over all shops and customers.
    pub points: i64,
    /// `points.expiring` webhook events written.
    pub warned: u64,
    /// Codes that expired unused and gave their points back.
    pub codes_returned: u64,
    /// Points those codes gave back.
    pub points_returned: i64,
}

/// Gives back the points of every code that expired unused (in every shop), then
/// expires every point due by today (by the state's clock) in every shop with
/// `points_expire_after_days`. Each customer is one transaction, so a failure leaves
/// what ran before it recorded; running again is always safe.
pub async fn run_once(state: &AppState) -> Result<ExpiryRun, StoreError> {
    let now = state.clock.now();
    let mut run = ExpiryRun::default();
    for (shop_id, shop) in state.shops.iter() {
        // Codes that expired unused first: their points come back as new batches.
        for code in state.store.codes_to_return(shop_id, now).await? {
            let returned = state
                .store
                .return_expired_code(shop_id, &code.code, now)
                .await?;
            if returned > 0 {
                run.codes_returned += 1;
                run.points_returned += returned;
            }
        }
        let Some(days) = shop
            .loyalty
            .as_ref()
            .and_then(|loyalty| loyalty.points_expire_after_days)
        else {
            continue;
        };
        for customer_id in state
            .store
            .customers_with_points_due(shop_id, days, now)
            .await?
        {
            let expired = state
                .store
                .expire_points(shop_id, &customer_id, days, now)
                .await?;
            if !expired.is_empty() {
                run.customers += 1;
                run.points += expired.iter().map(|expiry| expiry.points).sum::<i64>();
            }
        }
        let Some(webhooks) = shop
            .webhooks
            .as_ref()
            .filter(|webhooks| webhooks.sends(POINTS_EXPIRING))
        else {
            continue;
        };
        let horizon = Date::from_unix_seconds(now).add_days(webhooks.points_expiring_days);
        for customer_id in state.store.customers_with_balance(shop_id).await? {
            let next = state
                .store
                .next_expiry_of(shop_id, &customer_id, days, now)
                .await?;
            if let Some((on, points)) = next.filter(|(on, _)| *on <= horizon) {
                let on = on.to_iso();
                if state
                    .store
                    .points_expiring(shop_id, &customer_id, &on, points, now)
                    .await?
                {
                    run.warned += 1;
                }
            }
        }
    }
    Ok(run)
}

/// Runs the job (and the tier review, birthday and anniversary jobs) now and then every [`INTERVAL`] until the
/// process ends, logging what each run did. A failed run is logged and retried at the next tick; it never
/// stops the server.
pub fn spawn_hourly(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(INTERVAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match run_once(&state).await {
                Ok(run) => tracing::info!(
                    customers = run.customers,
                    points = run.points,
                    warned = run.warned,
                    codes_returned = run.codes_returned,
                    points_returned = run.points_returned,
                    "points expiry ran"
                ),
                Err(error) => tracing::error!(%error, "points expiry failed"),
            }
            match crate::tier_review::run_once(&state).await {
                Ok(run) => tracing::info!(
                    reviewed = run.reviewed,
                    moved = run.moved,
                    "tier review ran"
                ),
                Err(error) => tracing::error!(%error, "tier review failed"),
            }
            match crate::birthday::run_once(&state).await {
                Ok(run) => tracing::info!(
                    customers = run.customers,
                    points = run.points,
                    "birthday rewards ran"
                ),
                Err(error) => tracing::error!(%error, "birthday rewards failed"),
            }
            match crate::anniversary::run_once(&state).await {
                Ok(run) => tracing::info!(
                    customers = run.customers,
                    points = run.points,
                    "anniversary rewards ran"
                ),
                Err(error) => tracing::error!(%error, "anniversary rewards failed"),
            }
        }
    })
}
