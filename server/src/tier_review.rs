//! The tier review job: re-evaluates the tier of every customer whose hold has ended
//! (or who was never evaluated), so shoppers move down when a calendar-year or
//! rolling-window hold runs out even if they do nothing, and `tier.changed` is written
//! then. Changes to a customer's points or orders re-evaluate them at once; this job
//! only catches the passing of time. Run by `comeback-server expire` and every hour
//! inside `serve`; the rules are `comeback_core::tiers`, the SQL is in `store`.

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
    let now = state.clock.now();
    let mut run = TierReviewRun::default();
    for shop_id in state.shops.keys() {
        for customer_id in state
            .store
            .customers_due_for_tier_review(shop_id, now)
            .await?
        {
            run.reviewed += 1;
            if state.store.review_tier(shop_id, &customer_id, now).await? {
                run.moved += 1;
            }
        }
    }
    Ok(run)
}
