//! The attributes of `<comeback-subscribe>`, read by [`super::model::Ask::parse`].

use crate::events::Ty;
use crate::widgets::Attribute;

/// Every attribute the element reads besides `theme` and `lang`.
pub const ATTRIBUTES: &[Attribute] = &[
    Attribute {
        name: "product",
        value: Ty::String,
        observed: true,
        about: "The product id (required). The toggle shows the plans covering it; none: the element shows nothing and takes no space.",
    },
    Attribute {
        name: "field",
        value: Ty::String,
        observed: true,
        about: "The name of the hidden input the toggle keeps in the closest `<form>` around it (default `comeback_subscription`): empty for a one-time purchase, `<plan id>:<interval>` when subscribing. An input of that name already in the form is reused; nothing else in the form is touched.",
    },
];
