//! The attributes of `<comeback-subscriptions>`.

use crate::events::Ty;
use crate::widgets::Attribute;

/// Every attribute the element reads besides `theme` and `lang`.
pub const ATTRIBUTES: &[Attribute] = &[Attribute {
    name: "signin-url",
    value: Ty::String,
    observed: true,
    about: "Where \"Sign in\" leads a signed-out shopper (default: the shop's `signin_url`).",
}];
