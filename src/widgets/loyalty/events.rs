//! The events `<comeback-loyalty>` fires on its element (they bubble and cross the shadow root).

use crate::events::{field, Event, Ty};

/// The loyalty widget has shown a signed-in shopper's balance.
pub const LOADED: &str = "comeback:loyalty:loaded";
/// A reward was redeemed.
pub const REDEEMED: &str = "comeback:loyalty:redeemed";
/// The shopper copied a discount code.
pub const CODE_COPIED: &str = "comeback:loyalty:code-copied";
/// The signed-out shopper chose "Join" (cancelable).
pub const JOIN: &str = "comeback:loyalty:join";
/// The signed-out shopper chose "Sign in" (cancelable).
pub const SIGN_IN: &str = "comeback:loyalty:sign-in";
/// The shopper set their birthday.
pub const BIRTHDAY_SAVED: &str = "comeback:loyalty:birthday-saved";
/// The shopper saved their contact preferences.
pub const PREFERENCES_SAVED: &str = "comeback:loyalty:preferences-saved";

/// `{url}`: the link's target, `null` when the element has no such attribute.
const URL: Ty = Ty::Object(&[field("url", Ty::Nullable(&Ty::String))]);

/// Every event this widget fires.
pub const ALL: &[Event] = &[
    Event {
        name: LOADED,
        detail: Ty::Object(&[
            field("balance", Ty::Number),
            field("tier", Ty::Nullable(&Ty::String)),
            field("early_access_products", Ty::List(&Ty::String)),
        ]),
        cancelable: false,
        about: "A signed-in shopper's balance is shown (`tier` is `null` below the first \
                tier). `early_access_products` lists the product ids their tier may already \
                see while those are early access, so a theme can reveal them.",
    },
    Event {
        name: REDEEMED,
        detail: Ty::Object(&[
            field("reward_id", Ty::String),
            field("code", Ty::String),
            field("points_spent", Ty::Number),
            field("balance", Ty::Number),
            field("expires_at", Ty::Number),
        ]),
        cancelable: false,
        about: "A reward was redeemed: `code` is the discount code, `balance` the points \
                left and `expires_at` when the code stops working (Unix seconds).",
    },
    Event {
        name: CODE_COPIED,
        detail: Ty::Object(&[field("code", Ty::String)]),
        cancelable: false,
        about: "The shopper copied a code.",
    },
    Event {
        name: JOIN,
        detail: URL,
        cancelable: true,
        about: "\"Join now\" clicked. Cancelable: `preventDefault()` keeps the shopper on the \
                page (open your own dialog) instead of following `join-url`.",
    },
    Event {
        name: SIGN_IN,
        detail: URL,
        cancelable: true,
        about: "\"Sign in\" clicked. Cancelable like `join`.",
    },
    Event {
        name: BIRTHDAY_SAVED,
        detail: Ty::Object(&[field("birthday", Ty::String)]),
        cancelable: false,
        about: "The shopper set their birthday (`birthday` is `--MM-DD`).",
    },
    Event {
        name: PREFERENCES_SAVED,
        detail: Ty::Object(&[
            field("contact_channel", Ty::Enum(&["email", "sms", "none"])),
            field("marketing_consent", Ty::Bool),
        ]),
        cancelable: false,
        about: "The shopper saved their contact preferences.",
    },
];
