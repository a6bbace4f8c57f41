//! The birthday job: each customer whose birthday reward is due today gets that year's
//! (see [`crate::yearly_gift`], which runs it and the anniversary gift alike).

use crate::store::StoreError;
use crate::yearly_gift::{self, Gift, GiftJob, GiftRun};
use crate::AppState;

/// What one run gave.
pub type BirthdayRun = GiftRun;

/// The birthday rewards as a scheduler job, hourly.
pub const BIRTHDAY_JOB: GiftJob = GiftJob(Gift::Birthday);

/// Gives every birthday reward due by today, at most once a year per customer.
pub async fn run_once(state: &AppState) -> Result<BirthdayRun, StoreError> {
    yearly_gift::run_once(state, Gift::Birthday).await
}
