//! The features of the server, one module each. A feature owns its HTTP routes (with
//! their OpenAPI entries), reads its optional section of a shop's config, and lists the
//! periodic jobs it needs; the app and the scheduler are assembled from this list.

pub mod loyalty;

use std::sync::Arc;

use crate::scheduler::Job;

/// Every periodic job of the server: each feature's, then the platform's own (the
/// delivery of outbound webhooks).
pub fn jobs() -> Vec<Arc<dyn Job>> {
    let mut jobs = loyalty::jobs();
    jobs.push(Arc::new(crate::delivery::DeliveryJob));
    jobs
}
