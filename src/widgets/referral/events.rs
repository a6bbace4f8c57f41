//! The events `<comeback-referral>` fires on its element (they bubble and cross the
//! shadow root).

/// The advocate copied their link; `detail` is `{link}`.
pub const COPIED: &str = "comeback:referral:copied";
/// The advocate shared their link through the browser's share sheet; `detail` is
/// `{link}`.
pub const SHARED: &str = "comeback:referral:shared";
/// The friend claimed their reward in the banner; `detail` is `{code, referral_code}`:
/// the friend's discount code (for the shop's cart) and the advocate's code.
pub const CLAIMED: &str = "comeback:referral:claimed";
/// The friend closed the banner; `detail` is `{referral_code}`.
pub const DISMISSED: &str = "comeback:referral:dismissed";
/// The signed-out shopper chose "Sign in"; cancelable (call `preventDefault()` to open
/// your own sign-in instead of following `signin-url`); `detail` is `{url}`.
pub const SIGN_IN: &str = "comeback:referral:sign-in";

/// Every event this widget fires.
pub const ALL: &[&str] = &[COPIED, SHARED, CLAIMED, DISMISSED, SIGN_IN];
