//! Wire types and pure rules shared by the Comeback widgets (wasm) and the server.
//!
//! Everything here is plain data and arithmetic: no I/O, no async runtime, no DOM.
//! When the widget shows a number the server enforces (tier progress, points for an
//! order, whether a reward is affordable), both sides call the same function from here.

pub mod anniversary;
pub mod api;
pub mod birthday;
pub mod bounds;
pub mod catalogue;
pub mod clawback;
pub mod code;
pub mod dashboard;
pub mod date;
pub mod earning;
pub mod error;
pub mod expiry;
pub mod help;
pub mod ledger;
pub mod locale;
pub mod money;
pub mod orders;
pub mod punch_card;
pub mod recommend;
pub mod referral;
pub mod rewards;
pub mod rfm;
#[cfg(feature = "staff")]
pub mod settings;
pub mod subscription;
pub mod survey;
pub mod tier;
pub mod tier_bonus;
pub mod tier_refund;
pub mod tiers;
pub mod trend;

pub use error::ErrorCode;
pub use locale::{Locale, LocalizedText};
