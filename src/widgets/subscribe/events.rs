//! The events `<comeback-subscribe>` fires on its element (they bubble and cross the
//! shadow root).

/// The shopper changed their choice (one-time or a plan and interval); `detail` is
/// `{product, plan, interval, price, regular, saving, currency}`: `plan` and `interval`
/// are `null` for a one-time purchase, prices are per unit in minor units of `currency`
/// (`price` is what one unit costs with this choice, `regular` the one-time price,
/// `saving` their difference). `Comeback.subscription(product)` answers the same object.
pub const CHANGED: &str = "comeback:subscribe:changed";

/// Every event this widget fires.
pub const ALL: &[&str] = &[CHANGED];
