//! The yearly gifts, the birthday and the first-purchase anniversary: for every shop that
//! configures the gift's points, each customer whose gift is due today (by the state's
//! clock, UTC) gets that year's. Run beside the points expiry by `comeback-server expire`
//! and every hour by the scheduler inside `serve`; the rules are in
//! `comeback_core::{birthday, anniversary}`, the SQL in `store`. Each customer is one
//! transaction that re-checks the gift under the customer lock, so running again (or in
//! another process) never gives a year's gift twice.

use std::time::Duration;

use comeback_core::LocalizedText;

use crate::config::LoyaltyConfig;
use crate::scheduler::{skip_failed, Job, JobFuture, JobReport};
use crate::store::StoreError;
use crate::AppState;

/// Which yearly gift.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gift {
    /// The birthday reward (`birthday_points`).
    Birthday,
    /// The first-purchase anniversary reward (`anniversary_points`).
    Anniversary,
}

/// What one run gave.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GiftRun {
    /// Customers rewarded.
    pub customers: u64,
    /// Points given, over all shops and customers.
    pub points: i64,
}

impl Gift {
    /// The job's name in logs and leases.
    fn job(self) -> &'static str {
        match self {
            Gift::Birthday => "birthday_rewards",
            Gift::Anniversary => "anniversary_rewards",
        }
    }

    /// The gift's points and name, when the shop gives it.
    fn configured(self, loyalty: &LoyaltyConfig) -> Option<(i64, LocalizedText)> {
        match self {
            Gift::Birthday => loyalty
                .birthday_points
                .map(|p| (p, loyalty.birthday_name())),
            Gift::Anniversary => loyalty
                .anniversary_points
                .map(|p| (p, loyalty.anniversary_name())),
        }
    }

    async fn due(
        self,
        state: &AppState,
        shop_id: &str,
        now: i64,
    ) -> Result<Vec<String>, StoreError> {
        match self {
            Gift::Birthday => state.store.customers_with_birthday_due(shop_id, now).await,
            Gift::Anniversary => {
                state
                    .store
                    .customers_with_anniversary_due(shop_id, now)
                    .await
            }
        }
    }

    async fn award(
        self,
        state: &AppState,
        shop_id: &str,
        customer_id: &str,
        points: i64,
        name: &LocalizedText,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        let store = &state.store;
        match self {
            Gift::Birthday => {
                store
                    .award_birthday(shop_id, customer_id, points, name, now)
                    .await
            }
            Gift::Anniversary => {
                store
                    .award_anniversary(shop_id, customer_id, points, name, now)
                    .await
            }
        }
    }
}

/// Gives every `gift` due by today.
pub async fn run_once(state: &AppState, gift: Gift) -> Result<GiftRun, StoreError> {
    run_counted(state, gift).await.map(|(run, _)| run)
}

/// [`run_once`], with the number of shops and customers that failed and were skipped
/// (each is logged; the others still get their gift).
pub async fn run_counted(state: &AppState, gift: Gift) -> Result<(GiftRun, u64), StoreError> {
    let now = state.clock.now();
    let mut run = GiftRun::default();
    let mut failures = 0;
    for (shop_id, shop) in state.shops.snapshot().iter() {
        let Some((points, name)) = shop.loyalty.as_ref().and_then(|l| gift.configured(l)) else {
            continue;
        };
        let due = match gift.due(state, shop_id, now).await {
            Ok(due) => due,
            Err(error) => {
                skip_failed(gift.job(), shop_id, &error, &mut failures);
                continue;
            }
        };
        for customer_id in due {
            match gift
                .award(state, shop_id, &customer_id, points, &name, now)
                .await
            {
                Ok(Some(given)) => {
                    run.customers += 1;
                    run.points += given;
                }
                Ok(None) => {}
                Err(error) => skip_failed(gift.job(), &customer_id, &error, &mut failures),
            }
        }
    }
    Ok((run, failures))
}

/// A yearly gift as a scheduler job, hourly.
#[derive(Debug, Clone, Copy)]
pub struct GiftJob(pub Gift);

impl Job for GiftJob {
    fn name(&self) -> &'static str {
        self.0.job()
    }

    fn interval(&self) -> Duration {
        crate::expiry::INTERVAL
    }

    fn run(&self, state: AppState) -> JobFuture {
        let gift = self.0;
        Box::pin(async move {
            let (run, failures) = run_counted(&state, gift).await?;
            let customers = i64::try_from(run.customers).unwrap_or(i64::MAX);
            Ok(JobReport::new(
                vec![("customers", customers), ("points", run.points)],
                failures,
            ))
        })
    }
}
