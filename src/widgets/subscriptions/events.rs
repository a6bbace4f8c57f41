//! The events `<comeback-subscriptions>` fires on its element (they bubble and cross the
//! shadow root).

/// The server confirmed a change the shopper made; `detail` is `{id, action}`, `action`
/// one of `skip`, `deliver-now`, `pause`, `resume`, `cancel`, `change`. Fired once per
/// confirmed change, never for one the server refused (which the widget rolls back).
pub const CHANGED: &str = "comeback:subscriptions:changed";
/// The signed-out shopper chose "Sign in"; cancelable (call `preventDefault()` to open
/// your own sign-in instead of following `signin-url`); `detail` is `{url}`.
pub const SIGN_IN: &str = "comeback:subscriptions:sign-in";

/// Every event this widget fires.
pub const ALL: &[&str] = &[CHANGED, SIGN_IN];
