//! The birthday job: for every shop with `birthday_points`, gives each customer whose
//! birthday reward is due today (by the state's clock, UTC) that year's reward. Run
//! beside the points expiry by `comeback-server expire` and every hour by the scheduler inside `serve`;
//! the rules are `comeback_core::birthday`, the SQL is in `store`.

use std::time::Duration;

use crate::scheduler::{skip_failed, Job, JobFuture, JobReport};
use crate::store::StoreError;
use crate::AppState;

/// What one run gave.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BirthdayRun {
    /// Customers rewarded.
    pub customers: u64,
    /// Points given, over all shops and customers.
    pub points: i64,
}

/// Gives every birthday reward due by today. Each customer is one transaction that
/// re-checks the reward under the customer lock, so running again (or concurrently)
/// never gives a year's reward twice.
pub async fn run_once(state: &AppState) -> Result<BirthdayRun, StoreError> {
    run_counted(state).await.map(|(run, _)| run)
}

/// The job's name in logs and leases.
const JOB: &str = "birthday_rewards";

/// [`run_once`], with the number of customers that failed and were skipped (each is
/// logged; the others still get their reward).
pub async fn run_counted(state: &AppState) -> Result<(BirthdayRun, u64), StoreError> {
    let now = state.clock.now();
    let mut run = BirthdayRun::default();
    let mut failures = 0;
    for (shop_id, shop) in state.shops.iter() {
        let Some(loyalty) = &shop.loyalty else {
            continue;
        };
        let Some(points) = loyalty.birthday_points else {
            continue;
        };
        let name = loyalty.birthday_name();
        let due = match state.store.customers_with_birthday_due(shop_id, now).await {
            Ok(due) => due,
            Err(error) => {
                skip_failed(JOB, shop_id, &error, &mut failures);
                continue;
            }
        };
        for customer_id in due {
            match state
                .store
                .award_birthday(shop_id, &customer_id, points, &name, now)
                .await
            {
                Ok(Some(given)) => {
                    run.customers += 1;
                    run.points += given;
                }
                Ok(None) => {}
                Err(error) => skip_failed(JOB, &customer_id, &error, &mut failures),
            }
        }
    }
    Ok((run, failures))
}

/// The birthday rewards as a scheduler job, hourly.
#[derive(Debug, Clone, Copy)]
pub struct BirthdayJob;

impl Job for BirthdayJob {
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
                    (
                        "customers",
                        i64::try_from(run.customers).unwrap_or(i64::MAX),
                    ),
                    ("points", run.points),
                ],
                failures,
            ))
        })
    }
}
