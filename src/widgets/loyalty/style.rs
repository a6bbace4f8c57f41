//! What `<comeback-loyalty>` adds to the theme: its own tokens, its parts and the pairs it must
//! keep readable (see [`crate::theme`]).
use crate::theme::{Part, WidgetTheme};
/// The widget's theme, as the registry lists it.
pub const THEME: WidgetTheme = WidgetTheme {
    tokens: &[],
    parts: &[
        Part {
            name: "skeleton",
            about: "",
        },
        Part {
            name: "greeting",
            about: "",
        },
        Part {
            name: "balance",
            about: "",
        },
        Part {
            name: "tier-badge",
            about: "",
        },
        Part {
            name: "progress",
            about: "The bar towards the next tier.",
        },
        Part {
            name: "tier-held",
            about: "How long the tier is kept.",
        },
        Part {
            name: "expiry",
            about: "When points expire.",
        },
        Part {
            name: "perks",
            about: "The tier's perks.",
        },
        Part {
            name: "rewards",
            about: "",
        },
        Part {
            name: "reward",
            about: "Each reward.",
        },
        Part {
            name: "reward-need",
            about: "The points a reward still needs.",
        },
        Part {
            name: "reward-locked",
            about: "A reward for a higher tier.",
        },
        Part {
            name: "redeem-button",
            about: "",
        },
        Part {
            name: "confirm",
            about: "The redeem confirmation.",
        },
        Part {
            name: "points-slider",
            about: "How many points to spend, for a variable reward.",
        },
        Part {
            name: "confirm-button",
            about: "",
        },
        Part {
            name: "cancel-button",
            about: "",
        },
        Part {
            name: "code",
            about: "The issued code.",
        },
        Part {
            name: "code-value",
            about: "",
        },
        Part {
            name: "copy-button",
            about: "",
        },
        Part {
            name: "punch-cards",
            about: "",
        },
        Part {
            name: "punch-card",
            about: "",
        },
        Part {
            name: "stamp",
            about: "Each stamp; filled ones are also `stamp-filled`.",
        },
        Part {
            name: "stamp-filled",
            about: "",
        },
        Part {
            name: "punch-count",
            about: "",
        },
        Part {
            name: "codes",
            about: "The shopper's codes.",
        },
        Part {
            name: "code-entry",
            about: "",
        },
        Part {
            name: "ways-to-earn",
            about: "",
        },
        Part {
            name: "profile",
            about: "",
        },
        Part {
            name: "birthday",
            about: "",
        },
        Part {
            name: "birthday-form",
            about: "",
        },
        Part {
            name: "birthday-month",
            about: "",
        },
        Part {
            name: "birthday-day",
            about: "",
        },
        Part {
            name: "birthday-save",
            about: "",
        },
        Part {
            name: "contact",
            about: "Contact preferences.",
        },
        Part {
            name: "contact-change",
            about: "",
        },
        Part {
            name: "contact-form",
            about: "",
        },
        Part {
            name: "consent",
            about: "",
        },
        Part {
            name: "contact-save",
            about: "",
        },
        Part {
            name: "history",
            about: "",
        },
        Part {
            name: "history-entry",
            about: "",
        },
        Part {
            name: "join",
            about: "The signed-out invitation.",
        },
        Part {
            name: "join-button",
            about: "",
        },
        Part {
            name: "signin-button",
            about: "",
        },
        Part {
            name: "session-expired",
            about: "",
        },
    ],
    contrast: &[],
};
