//! The first-purchase anniversary job: for every shop with `anniversary_points`, gives
//! each customer whose anniversary reward is due today (by the state's clock, UTC) that
//! year's reward. Run beside the points expiry by `comeback-server expire` and every
//! hour inside `serve`; the rules are `comeback_core::anniversary`, the SQL is in
//! `store`.

use crate::store::StoreError;
use crate::AppState;

/// What one run gave.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnniversaryRun {
    /// Customers rewarded.
    pub customers: u64,
    /// Points given, over all shops and customers.
    pub points: i64,
}

/// Gives every anniversary reward due by today. Each customer is one transaction that
/// re-checks the reward under the customer lock, so running again (or concurrently)
/// never gives a year's reward twice.
pub async fn run_once(state: &AppState) -> Result<AnniversaryRun, StoreError> {
    let now = state.clock.now();
    let mut run = AnniversaryRun::default();
    for (shop_id, shop) in state.shops.iter() {
        let Some(loyalty) = &shop.loyalty else {
            continue;
        };
        let Some(points) = loyalty.anniversary_points else {
            continue;
        };
        let name = loyalty.anniversary_name();
        for customer_id in state
            .store
            .customers_with_anniversary_due(shop_id, now)
            .await?
        {
            if let Some(given) = state
                .store
                .award_anniversary(shop_id, &customer_id, points, &name, now)
                .await?
            {
                run.customers += 1;
                run.points += given;
            }
        }
    }
    Ok(run)
}
