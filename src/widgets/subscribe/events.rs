//! The events `<comeback-subscribe>` fires on its element (they bubble and cross the
//! shadow root).

use crate::events::{field, Event, Ty};

/// The shopper changed their choice (one-time or a plan and interval).
pub const CHANGED: &str = "comeback:subscribe:changed";

/// Every event this widget fires.
pub const ALL: &[Event] = &[Event {
    name: CHANGED,
    detail: Ty::Object(&[
        field("product", Ty::String),
        field("plan", Ty::Nullable(&Ty::String)),
        field("interval", Ty::Nullable(&Ty::String)),
        field("price", Ty::Number),
        field("regular", Ty::Number),
        field("saving", Ty::Number),
        field("currency", Ty::String),
    ]),
    cancelable: false,
    about: "The shopper changed the toggle's choice; the hidden form field already holds \
            it. `plan` and `interval` are `null` for a one-time purchase; prices are per unit \
            in minor units of `currency` (`price` with this choice, `regular` the one-time \
            price, `saving` their difference). `Comeback.subscription(product)` answers the \
            same object.",
}];
