//! The events `<comeback-loyalty>` fires on its element (they bubble and cross the shadow root).

/// The loyalty widget has shown a balance; `detail` is `{balance, tier,
/// early_access_products}` (the product ids the shopper may already see early).
pub const LOADED: &str = "comeback:loyalty:loaded";
/// A reward was redeemed; `detail` is `{reward_id, code, points_spent, balance, expires_at}`.
pub const REDEEMED: &str = "comeback:loyalty:redeemed";
/// The shopper copied a discount code; `detail` is `{code}`.
pub const CODE_COPIED: &str = "comeback:loyalty:code-copied";
/// The signed-out shopper chose "Join"; cancelable (call `preventDefault()` to open your
/// own sign-up instead of following `join-url`); `detail` is `{url}`.
pub const JOIN: &str = "comeback:loyalty:join";
/// The signed-out shopper chose "Sign in"; cancelable like `join`; `detail` is `{url}`.
pub const SIGN_IN: &str = "comeback:loyalty:sign-in";
/// The shopper set their birthday; `detail` is `{birthday}` (`--MM-DD`).
pub const BIRTHDAY_SAVED: &str = "comeback:loyalty:birthday-saved";
/// The shopper saved their contact preferences; `detail` is
/// `{contact_channel, marketing_consent}`.
pub const PREFERENCES_SAVED: &str = "comeback:loyalty:preferences-saved";

/// Every event this widget fires.
pub const ALL: &[&str] = &[
    LOADED,
    REDEEMED,
    CODE_COPIED,
    JOIN,
    SIGN_IN,
    BIRTHDAY_SAVED,
    PREFERENCES_SAVED,
];
