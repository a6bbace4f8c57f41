//! Loyalty: points from orders and actions, tiers, rewards, punch cards, birthday and
//! anniversary gifts, points expiry. Configured by `[shops.<id>.loyalty]`; a shop
//! without that section has no loyalty endpoints (404) and its orders earn nothing.

pub mod programme;

pub use programme::{Programme, Viewer};
