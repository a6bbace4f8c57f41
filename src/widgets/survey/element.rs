//! The attributes of `<comeback-survey>`, read by [`super::model::Request::parse`].

use crate::events::Ty;
use crate::widgets::Attribute;

// Read when the survey asks (see `survey::model::Request`): nothing to observe.
/// Every attribute the element reads besides `theme` and `lang`.
pub const ATTRIBUTES: &[Attribute] = &[
    Attribute {
        name: "survey",
        value: Ty::String,
        observed: false,
        about: "The survey's id (`thank-you-nps`). Needed for `order-complete` unless the shop has one survey with that trigger; for `event` it narrows to one survey.",
    },
    Attribute {
        name: "trigger",
        value: Ty::Enum(&["order-complete", "days-after-order", "event"]),
        observed: false,
        about: "`order-complete` (the thank-you page), `days-after-order` (a signed-in shopper's order the shop set days ago; the server says which) or `event` (a `Comeback.track` name). Default: `order-complete` when `order` is set, else `days-after-order`.",
    },
    Attribute {
        name: "order",
        value: Ty::String,
        observed: false,
        about: "The order the survey is about (thank-you page). Per-order surveys ask nothing without one.",
    },
    Attribute {
        name: "products",
        value: Ty::String,
        observed: false,
        about: "The order's product ids, comma-separated (at most 50); when absent the server fills them in from the order it knows.",
    },
    Attribute {
        name: "event",
        value: Ty::String,
        observed: false,
        about: "With `trigger=\"event\"`: the `Comeback.track` name that brings the survey up.",
    },
    Attribute {
        name: "placement",
        value: Ty::Enum(&["inline", "popup", "side-tab"]),
        observed: false,
        about: "`inline` (in the page where the element sits), `popup` (a small non-modal card in a corner) or `side-tab` (a tab on the window's edge the shopper opens); overrides the survey's own.",
    },
    Attribute {
        name: "preview",
        value: Ty::Bool,
        observed: false,
        about: "Present: shows `survey` at once, whatever its schedule and this browser's history, and records nothing (no contact, no answer, no event, no draft): for the theme playground and the shop's own previews.",
    },
];
