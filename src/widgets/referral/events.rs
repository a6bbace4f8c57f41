//! The events `<comeback-referral>` fires on its element (they bubble and cross the
//! shadow root).

use crate::events::{field, Event, Ty};

/// The advocate copied their link.
pub const COPIED: &str = "comeback:referral:copied";
/// The advocate shared their link through the browser's share sheet.
pub const SHARED: &str = "comeback:referral:shared";
/// The friend claimed their reward in the banner.
pub const CLAIMED: &str = "comeback:referral:claimed";
/// The friend closed the banner.
pub const DISMISSED: &str = "comeback:referral:dismissed";
/// The signed-out shopper chose "Sign in" (cancelable).
pub const SIGN_IN: &str = "comeback:referral:sign-in";

/// Every event this widget fires.
pub const ALL: &[Event] = &[
    Event {
        name: COPIED,
        detail: Ty::Object(&[field("link", Ty::String)]),
        cancelable: false,
        about: "The advocate copied their link.",
    },
    Event {
        name: SHARED,
        detail: Ty::Object(&[field("link", Ty::String)]),
        cancelable: false,
        about: "The browser's share sheet sent the advocate's link.",
    },
    Event {
        name: CLAIMED,
        detail: Ty::Object(&[
            field("code", Ty::String),
            field("referral_code", Ty::String),
        ]),
        cancelable: false,
        about: "A friend claimed their reward: `code` is their discount code (for the shop's \
                cart), `referral_code` the advocate's.",
    },
    Event {
        name: DISMISSED,
        detail: Ty::Object(&[field("referral_code", Ty::String)]),
        cancelable: false,
        about: "The friend closed the banner; `referral_code` is the advocate's.",
    },
    Event {
        name: SIGN_IN,
        detail: Ty::Object(&[field("url", Ty::Nullable(&Ty::String))]),
        cancelable: true,
        about: "\"Sign in\" clicked by a signed-out shopper (`url` is `signin-url`, or \
                `null`). Cancelable like `comeback:loyalty:sign-in`.",
    },
];
