//! The payment job: for every shop with referrals, each pending referral whose `pays_on`
//! has come (the shop's calendar day by the state's clock) is paid, points through the
//! ledger or an advocate's discount code. The scheduler's lease runs it in one process
//! at a time, and each referral is re-checked under the advocate's lock, so a reward is
//! paid once however often the job runs.

use std::time::Duration;

use crate::scheduler::{skip_failed, Job, JobFuture, JobReport};
use crate::store::{decided_by, PayTerms, SettleOutcome, StoreError};
use crate::AppState;

/// How often the job runs: a reward is paid within this long after the shop's midnight
/// of its `pays_on`.
pub const INTERVAL: Duration = Duration::from_secs(10 * 60);

/// Referrals read per query.
const PAGE: i64 = 200;

/// Pays every pending referral due by today in each shop's time zone; answers how many
/// were paid and how many failed and were skipped (each is logged; the others are
/// still paid).
pub async fn run_once(state: &AppState) -> Result<(u64, u64), StoreError> {
    let now = state.clock.now();
    let mut paid = 0;
    let mut failures = 0;
    for (shop_id, config) in state.shops.snapshot().iter() {
        let Some(referrals) = config.referrals.as_ref() else {
            continue;
        };
        let terms = PayTerms {
            today: referrals.local_date(now),
            now,
            code_prefix: &referrals.reward_code_prefix,
            code_valid_for: i64::from(referrals.advocate_reward.valid_days()) * 86_400,
            currency: &config.currency,
            decided_by: decided_by::JOB,
            pay_declined: false,
        };
        let mut after = String::new();
        loop {
            let due = match state
                .store
                .due_referrals(shop_id, terms.today, &after, PAGE)
                .await
            {
                Ok(due) => due,
                Err(error) => {
                    skip_failed(PayoutJob.name(), shop_id, &error, &mut failures);
                    break;
                }
            };
            for id in &due {
                match state.store.pay_referral(shop_id, id, &terms).await {
                    Ok(SettleOutcome::Done(referral)) if referral.paid_on == Some(terms.today) => {
                        paid += 1;
                    }
                    Ok(_) => {}
                    Err(error) => skip_failed(PayoutJob.name(), id, &error, &mut failures),
                }
            }
            match due.last() {
                Some(last) if i64::try_from(due.len()).unwrap_or(0) == PAGE => {
                    after.clone_from(last);
                }
                _ => break,
            }
        }
    }
    Ok((paid, failures))
}

/// The payment job for the scheduler.
#[derive(Debug, Clone, Copy)]
pub struct PayoutJob;

impl Job for PayoutJob {
    fn name(&self) -> &'static str {
        "referral_rewards"
    }

    fn interval(&self) -> Duration {
        INTERVAL
    }

    fn run(&self, state: AppState) -> JobFuture {
        Box::pin(async move {
            let (paid, failures) = run_once(&state).await?;
            Ok(JobReport::new(
                vec![("paid", i64::try_from(paid).unwrap_or(i64::MAX))],
                failures,
            ))
        })
    }
}
