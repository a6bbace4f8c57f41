//! Loyalty: points from orders and actions, tiers, rewards, punch cards, birthday and
//! anniversary gifts, points expiry. Configured by `[shops.<id>.loyalty]`; a shop
//! without that section has no loyalty endpoints (404) and its orders earn nothing.

pub mod me_cache;
pub mod programme;

use std::sync::Arc;

pub use me_cache::{MeCache, MeKey};
pub use programme::{Programme, Viewer};

use crate::scheduler::Job;

/// The feature's periodic jobs: points expiry (and codes giving their points back),
/// the tier review, birthday and anniversary rewards; each skips shops without the
/// configuration it needs.
pub fn jobs() -> Vec<Arc<dyn Job>> {
    vec![
        Arc::new(crate::expiry::ExpiryJob),
        Arc::new(crate::tier_review::TierReviewJob),
        Arc::new(crate::birthday::BirthdayJob),
        Arc::new(crate::anniversary::AnniversaryJob),
    ]
}
