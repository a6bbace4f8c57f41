//! The launcher's strings, in every shipped locale (keys `launcher.*`).

use crate::i18n::catalogue;

catalogue! {
    /// A string of this widget.
    pub enum Key {
        Rewards "launcher.rewards" { "Rewards", "会员积分", "會員積分" }
        Tabs "launcher.tabs" { "Your account", "我的账户", "我的帳戶" }
    }
}
