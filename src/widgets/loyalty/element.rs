//! The attributes of `<comeback-loyalty>`.

use crate::events::Ty;
use crate::widgets::Attribute;

/// Every attribute the element reads besides `theme` and `lang`.
pub const ATTRIBUTES: &[Attribute] = &[
    Attribute {
        name: "join-url",
        value: Ty::String,
        observed: true,
        about: "Where \"Join now\" leads signed-out shoppers (default: the shop's `join_url`).",
    },
    Attribute {
        name: "signin-url",
        value: Ty::String,
        observed: true,
        about: "Where \"Sign in\" leads (default: the shop's `signin_url`).",
    },
];
