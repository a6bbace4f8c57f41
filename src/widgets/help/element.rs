//! The attributes of `<comeback-help>`.

use crate::events::Ty;
use crate::widgets::Attribute;

/// Every attribute the element reads besides `theme` and `lang`.
pub const ATTRIBUTES: &[Attribute] = &[
    Attribute {
        name: "wizard",
        value: Ty::String,
        observed: true,
        about: "A troubleshooting tree's id: the widget opens in that tree (the help page of an order, say).",
    },
    Attribute {
        name: "suggest",
        value: Ty::String,
        observed: true,
        about: "A tag: articles with it are suggested first on the help home (besides those whose `pages` match the page).",
    },
];
