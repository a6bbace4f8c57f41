//! The tier review job: re-evaluates the tier of every customer whose hold has ended
//! (or who was never evaluated), so shoppers move down when a calendar-year or
//! rolling-window hold runs out even if they do nothing, and `tier.changed` is written
//! then. Changes to a customer's points or orders re-evaluate them at once; this job
//! only catches the passing of time. Run by `comeback-server expire` and every hour
//! by the scheduler inside `serve`; the rules are `comeback_core::tiers`, the SQL is in `store`.

use std::time::Duration;

use crate::scheduler::{skip_failed, Job, JobFuture, JobReport};
use crate::store::StoreError;
use crate::AppState;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TierReviewRun {
    /// Customers re-evaluated.
    pub reviewed: u64,
    /// Customers whose tier moved.
    pub moved: u64,
}

/// Re-evaluates every customer due for review today. Each customer is one transaction
/// under the customer lock; running again finds nobody due.
pub async fn run_once(state: &AppState) -> Result<TierReviewRun, StoreError> {
    run_counted(state).await.map(|(run, _)| run)
}

/// The job's name in logs and leases.
const JOB: &str = "tier_review";

/// [`run_once`], with the number of customers that failed and were skipped.
pub async fn run_counted(state: &AppState) -> Result<(TierReviewRun, u64), StoreError> {
    let now = state.clock.now();
    let mut run = TierReviewRun::default();
    let mut failures = 0;
    for shop_id in state.shops.snapshot().keys() {
        let due = match state
            .store
            .customers_due_for_tier_review(shop_id, now)
            .await
        {
            Ok(due) => due,
            Err(error) => {
                skip_failed(JOB, shop_id, &error, &mut failures);
                continue;
            }
        };
        for customer_id in due {
            match state.store.review_tier(shop_id, &customer_id, now).await {
                Ok(moved) => {
                    run.reviewed += 1;
                    if moved {
                        run.moved += 1;
                    }
                }
                Err(error) => skip_failed(JOB, &customer_id, &error, &mut failures),
            }
        }
    }
    Ok((run, failures))
}

/// The tier review as a scheduler job, hourly.
#[derive(Debug, Clone, Copy)]
pub struct TierReviewJob;

impl Job for TierReviewJob {
    fn name(&self) -> &'static str {
        JOB
    }

    fn interval(&self) -> Duration {
        crate::expiry::INTERVAL
    }

    fn run(&self, state: AppState) -> JobFuture {
        Box::pin(async move {
            let (run, failures) = run_counted(&state).await?;
            Ok(JobReport::new(
                vec![
                    ("reviewed", i64::try_from(run.reviewed).unwrap_or(i64::MAX)),
                    ("moved", i64::try_from(run.moved).unwrap_or(i64::MAX)),
                ],
                failures,
            ))
        })
    }
}
