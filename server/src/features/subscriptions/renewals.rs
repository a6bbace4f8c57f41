//! The renewal job: for every shop with subscriptions, on the shop's calendar day by the
//! state's clock, each pause that has ended ends, and each delivery that has come is
//! asked for with the signed outbound webhook `subscription.renewal_due` (the shop
//! charges and ships it, then sends the renewal order naming the subscription). The
//! scheduler's lease runs it in one process at a time, and each subscription is
//! re-checked under its lock, so a delivery is asked for once.

use std::collections::BTreeMap;
use std::time::Duration;

use comeback_core::catalogue::Product;

use super::{product, terms};
use crate::auth::Shop;
use crate::scheduler::{skip_failed, Job, JobFuture, JobReport};
use crate::store::StoreError;
use crate::AppState;

/// How often the job runs: a delivery day's request goes out within this long after
/// the shop's midnight.
pub const INTERVAL: Duration = Duration::from_secs(10 * 60);

/// Subscriptions read per query.
const PAGE: i64 = 200;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenewalsRun {
    /// Deliveries asked for.
    pub renewals: u64,
    /// Pauses that ended.
    pub resumed: u64,
}

/// Asks for every delivery due by today in each shop's time zone, ending the pauses
/// that ended; with the number of subscriptions that failed and were skipped (each is
/// logged; the others are still served).
pub async fn run_once(state: &AppState) -> Result<(RenewalsRun, u64), StoreError> {
    let now = state.clock.now();
    let mut run = RenewalsRun::default();
    let mut failures = 0;
    for (shop_id, config) in state.shops.snapshot().iter() {
        let Some(subscriptions) = config.subscriptions.as_ref() else {
            continue;
        };
        let shop = Shop {
            id: shop_id.clone(),
            config: std::sync::Arc::clone(config),
        };
        let today = subscriptions.local_date(now);
        // The catalogue entries read in this run, by product.
        let mut products: BTreeMap<String, Option<Product>> = BTreeMap::new();
        let mut after = String::new();
        loop {
            let due = match state
                .store
                .due_subscriptions(shop_id, today, &after, PAGE)
                .await
            {
                Ok(due) => due,
                Err(error) => {
                    skip_failed(RenewalJob.name(), shop_id, &error, &mut failures);
                    break;
                }
            };
            for subscription in &due {
                if !products.contains_key(&subscription.product_id) {
                    // A failed read must not become a renewal without a price: skipped,
                    // it is tried again at the next run.
                    match product(state, shop_id, &subscription.product_id).await {
                        Ok(found) => {
                            products.insert(subscription.product_id.clone(), found);
                        }
                        Err(error) => {
                            failures += 1;
                            tracing::error!(job = RenewalJob.name(), item = %subscription.id, %error, "cannot read the product of a renewal; skipped");
                            continue;
                        }
                    }
                }
                let product = products
                    .get(&subscription.product_id)
                    .and_then(Option::as_ref);
                let terms = terms(&shop, subscriptions, subscription, product);
                match state
                    .store
                    .renew_due(subscription, today, &terms, now)
                    .await
                {
                    Ok(done) => {
                        run.resumed += u64::from(done.resumed);
                        run.renewals += u64::from(done.asked_for.is_some());
                    }
                    Err(error) => {
                        skip_failed(RenewalJob.name(), &subscription.id, &error, &mut failures)
                    }
                }
            }
            match due.last() {
                Some(last) if i64::try_from(due.len()).unwrap_or(0) == PAGE => {
                    after.clone_from(&last.id);
                }
                _ => break,
            }
        }
    }
    Ok((run, failures))
}

/// The renewal job for the scheduler.
#[derive(Debug, Clone, Copy)]
pub struct RenewalJob;

impl Job for RenewalJob {
    fn name(&self) -> &'static str {
        "subscription_renewals"
    }

    fn interval(&self) -> Duration {
        INTERVAL
    }

    fn run(&self, state: AppState) -> JobFuture {
        Box::pin(async move {
            let (run, failures) = run_once(&state).await?;
            let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
            Ok(JobReport::new(
                vec![
                    ("renewals", count(run.renewals)),
                    ("resumed", count(run.resumed)),
                ],
                failures,
            ))
        })
    }
}
