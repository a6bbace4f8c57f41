//! The points-expiry job: gives back the points of discount codes that expired unused,
//! then, for every shop whose points expire, expires what is due for each customer who
//! may have some, and writes the `points.expiring` webhook events
//! of shops that want them. Run by `comeback-server expire` and every hour by the
//! scheduler inside `serve` ([`ExpiryJob`]); the rules are `comeback_core::expiry`, the
//! SQL is in `store`.

use std::time::Duration;

use comeback_core::date::Date;

use crate::config::ShopConfig;
use crate::scheduler::{skip_failed, Job, JobFuture, JobReport};
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
/// `points_expire_after_days`, and writes the `points.expiring` warnings. Each code and
/// each customer is one transaction; one that fails is logged and skipped, never
/// stopping the others; running again is always safe.
pub async fn run_once(state: &AppState) -> Result<ExpiryRun, StoreError> {
    run_counted(state).await.map(|(run, _)| run)
}

/// [`run_once`], with the number of codes and customers that failed and were skipped.
pub async fn run_counted(state: &AppState) -> Result<(ExpiryRun, u64), StoreError> {
    let now = state.clock.now();
    let mut run = ExpiryRun::default();
    let mut failures = 0;
    for (shop_id, shop) in state.shops.snapshot().iter() {
        if let Err(error) = run_shop(state, shop_id, shop, now, &mut run, &mut failures).await {
            skip_failed(JOB, shop_id, &error, &mut failures);
        }
    }
    Ok((run, failures))
}

/// The job's name in logs and leases.
const JOB: &str = "points_expiry";

async fn run_shop(
    state: &AppState,
    shop_id: &str,
    shop: &ShopConfig,
    now: i64,
    run: &mut ExpiryRun,
    failures: &mut u64,
) -> Result<(), StoreError> {
    // Codes that expired unused first: their points come back as new batches.
    for code in state.store.codes_to_return(shop_id, now).await? {
        match state
            .store
            .return_expired_code(shop_id, &code.code, now)
            .await
        {
            Ok(returned) if returned > 0 => {
                run.codes_returned += 1;
                run.points_returned += returned;
            }
            Ok(_) => {}
            Err(error) => skip_failed(JOB, &code.code, &error, failures),
        }
    }
    let Some(days) = shop
        .loyalty
        .as_ref()
        .and_then(|loyalty| loyalty.points_expire_after_days)
    else {
        return Ok(());
    };
    let failed_before = *failures;
    for customer_id in state
        .store
        .customers_with_points_due(shop_id, days, now)
        .await?
    {
        match state
            .store
            .expire_points(shop_id, &customer_id, days, now)
            .await
        {
            Ok(expired) if !expired.is_empty() => {
                run.customers += 1;
                run.points += expired.iter().map(|expiry| expiry.points).sum::<i64>();
            }
            Ok(_) => {}
            Err(error) => skip_failed(JOB, &customer_id, &error, failures),
        }
    }
    // Settled up to today only when every customer was: a failed one is tried again.
    if *failures == failed_before {
        state.store.mark_expiry_checked(shop_id, days, now).await?;
    }
    let Some(webhooks) = shop
        .webhooks
        .as_ref()
        .filter(|webhooks| webhooks.sends(POINTS_EXPIRING))
    else {
        return Ok(());
    };
    let horizon = Date::from_unix_seconds(now).add_days(webhooks.points_expiring_days);
    for customer_id in state
        .store
        .customers_with_points_expiring(shop_id, days, now, horizon)
        .await?
    {
        let warned = async {
            let next = state
                .store
                .next_expiry_of(shop_id, &customer_id, days, now)
                .await?;
            let Some((on, points)) = next.filter(|(on, _)| *on <= horizon) else {
                return Ok(false);
            };
            state
                .store
                .points_expiring(shop_id, &customer_id, &on.to_iso(), points, now)
                .await
        };
        match warned.await {
            Ok(true) => run.warned += 1,
            Ok(false) => {}
            Err(error) => skip_failed(JOB, &customer_id, &error, failures),
        }
    }
    Ok(())
}

/// The points expiry as a scheduler job, hourly.
#[derive(Debug, Clone, Copy)]
pub struct ExpiryJob;

impl Job for ExpiryJob {
    fn name(&self) -> &'static str {
        JOB
    }

    fn interval(&self) -> Duration {
        INTERVAL
    }

    fn run(&self, state: AppState) -> JobFuture {
        Box::pin(async move {
            let (run, failures) = run_counted(&state).await?;
            Ok(JobReport::new(
                vec![
                    (
                        "customers",
                        i64::try_from(run.customers).unwrap_or(i64::MAX),
                    ),
                    ("points", run.points),
                    ("warned", i64::try_from(run.warned).unwrap_or(i64::MAX)),
                    (
                        "codes_returned",
                        i64::try_from(run.codes_returned).unwrap_or(i64::MAX),
                    ),
                    ("points_returned", run.points_returned),
                ],
                failures,
            ))
        })
    }
}
