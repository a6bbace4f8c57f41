//! The attributes of `<comeback-referral>`.

use crate::events::Ty;
use crate::widgets::Attribute;

/// Every attribute the element reads besides `theme` and `lang`.
pub const ATTRIBUTES: &[Attribute] = &[
    Attribute {
        name: "mode",
        value: Ty::Enum(&["banner"]),
        observed: true,
        about: "Absent: the signed-in customer's referral page (link, code, QR code, rewards, referrals). `banner`: the friend's welcome offer, shown only to a visitor who arrived through a referral link (otherwise the element is empty and takes no space).",
    },
    Attribute {
        name: "signin-url",
        value: Ty::String,
        observed: true,
        about: "Where \"Sign in\" leads a signed-out shopper (default: the shop's `signin_url`).",
    },
];
