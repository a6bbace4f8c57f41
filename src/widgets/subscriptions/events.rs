//! The events `<comeback-subscriptions>` fires on its element (they bubble and cross the
//! shadow root).

use crate::events::{field, Event, Ty};

/// The server confirmed a change the shopper made.
pub const CHANGED: &str = "comeback:subscriptions:changed";
/// The signed-out shopper chose "Sign in" (cancelable).
pub const SIGN_IN: &str = "comeback:subscriptions:sign-in";

/// Every event this widget fires.
pub const ALL: &[Event] = &[
    Event {
        name: CHANGED,
        detail: Ty::Object(&[
            field("id", Ty::String),
            field(
                "action",
                Ty::Enum(&["skip", "deliver-now", "pause", "resume", "cancel", "change"]),
            ),
        ]),
        cancelable: false,
        about: "The server confirmed a change to subscription `id`: `action` is `skip`, \
                `deliver-now`, `pause`, `resume`, `cancel` or `change`. Never for a refused \
                change, which the widget rolls back.",
    },
    Event {
        name: SIGN_IN,
        detail: Ty::Object(&[field("url", Ty::Nullable(&Ty::String))]),
        cancelable: true,
        about: "\"Sign in\" clicked by a signed-out shopper (`url` is `signin-url`, or \
                `null`). Cancelable like `comeback:loyalty:sign-in`.",
    },
];
