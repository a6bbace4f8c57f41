//! The events `<comeback-launcher>` fires on its element.

/// The launcher's panel opened; `detail` is `{tab}`.
pub const OPEN: &str = "comeback:launcher:open";
/// The launcher's panel closed; `detail` is `null`.
pub const CLOSE: &str = "comeback:launcher:close";

/// Every event this widget fires.
pub const ALL: &[&str] = &[OPEN, CLOSE];
