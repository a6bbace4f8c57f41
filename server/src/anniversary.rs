//! The first-purchase anniversary job: each customer whose anniversary reward is due
//! today gets that year's (see [`crate::yearly_gift`], which runs it and the birthday
//! gift alike).

use crate::store::StoreError;
use crate::yearly_gift::{self, Gift, GiftJob, GiftRun};
use crate::AppState;

/// What one run gave.
pub type AnniversaryRun = GiftRun;

/// The anniversary rewards as a scheduler job, hourly.
pub const ANNIVERSARY_JOB: GiftJob = GiftJob(Gift::Anniversary);

/// Gives every anniversary reward due by today, at most once a year per customer.
pub async fn run_once(state: &AppState) -> Result<AnniversaryRun, StoreError> {
    yearly_gift::run_once(state, Gift::Anniversary).await
}
