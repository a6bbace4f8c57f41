//! Shopper-facing strings in every shipped locale, merchant overrides, and number, money
//! and date formatting through the browser's `Intl`.
//!
//! Every string lives in the one [`catalogue!`] table below with all three locales, so a
//! missing translation is a compile error. Placeholders are `{name}`.

use comeback_core::Locale;

use crate::config::{lookup, Pairs};
use js_sys::{Array, Date, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

macro_rules! catalogue {
    ($($key:ident $name:literal { $en:literal, $hans:literal, $hant:literal })*) => {
        /// A catalogue string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Key {
            $(
                #[doc = $en]
                $key,
            )*
        }

        impl Key {
            /// Every key, in catalogue order.
            pub const ALL: &'static [Key] = &[$(Key::$key),*];

            /// The key's name, used by merchants to override it in `strings`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Key::$key => $name,)*
                }
            }

            /// The shipped text for `locale`.
            pub fn text(self, locale: Locale) -> &'static str {
                match (self, locale) {
                    $(
                        (Key::$key, Locale::En) => $en,
                        (Key::$key, Locale::ZhHans) => $hans,
                        (Key::$key, Locale::ZhHant) => $hant,
                    )*
                }
            }
        }
    };
}

catalogue! {
    Loading "common.loading" { "Loading…", "正在加载…", "正在載入…" }
    Retry "common.retry" { "Try again", "重试", "重試" }
    Unavailable "common.unavailable" {
        "This is unavailable right now. Please try again in a moment.",
        "服务暂时不可用，请稍后再试。",
        "服務暫時無法使用，請稍後再試。"
    }
    NotSetUp "common.not_set_up" {
        "This part of the shop is not set up yet.",
        "此功能尚未设置。",
        "此功能尚未設定。"
    }
    Confirm "common.confirm" { "Confirm", "确认", "確認" }
    Save "common.save" { "Save", "保存", "儲存" }
    Saving "common.saving" { "Saving…", "正在保存…", "正在儲存…" }
    SaveFailed "common.save_failed" {
        "That was not saved. Please try again.",
        "保存失败，请重试。",
        "儲存失敗，請重試。"
    }
    Change "common.change" { "Change", "修改", "修改" }
    Close "common.close" { "Close", "关闭", "關閉" }
    LauncherRewards "launcher.rewards" { "Rewards", "会员积分", "會員積分" }
    LauncherTabs "launcher.tabs" { "Your account", "我的账户", "我的帳戶" }
    Cancel "common.cancel" { "Cancel", "取消", "取消" }
    PointsOne "loyalty.points_one" { "{n} point", "{n} 积分", "{n} 積分" }
    PointsOther "loyalty.points_other" { "{n} points", "{n} 积分", "{n} 積分" }
    Title "loyalty.title" { "Rewards", "积分奖励", "積分獎勵" }
    Greeting "loyalty.greeting" { "Hi {name}", "{name}，您好", "{name}，您好" }
    BalanceLabel "loyalty.balance" { "Your points", "我的积分", "我的積分" }
    TierProgress "loyalty.tier_progress" {
        "{points} to {tier}",
        "再得 {points} 升级为{tier}",
        "再得 {points} 升級為{tier}"
    }
    TierTop "loyalty.tier_top" {
        "You have reached our top tier. Thank you!",
        "您已是最高等级，感谢支持！",
        "您已是最高等級，感謝支持！"
    }
    TierNone "loyalty.tier_none" { "Member", "会员", "會員" }
    RewardsHeading "loyalty.rewards" { "Rewards", "兑换奖励", "兌換獎勵" }
    Redeem "loyalty.redeem" { "Redeem", "兑换", "兌換" }
    NeedMore "loyalty.need_more" { "{points} more needed", "还差 {points}", "還差 {points}" }
    ConfirmRedeem "loyalty.confirm_redeem" {
        "Spend {points} on {reward}?",
        "确定用 {points} 兑换「{reward}」吗？",
        "確定用 {points} 兌換「{reward}」嗎？"
    }
    Redeeming "loyalty.redeeming" { "Redeeming…", "兑换中…", "兌換中…" }
    RedeemFailed "loyalty.redeem_failed" {
        "That did not go through and no points were spent. Please try again.",
        "兑换未成功，积分没有扣除，请重试。",
        "兌換未成功，積分沒有扣除，請重試。"
    }
    NotEnough "loyalty.not_enough" {
        "You do not have enough points for this reward yet.",
        "积分不足，暂时无法兑换。",
        "積分不足，暫時無法兌換。"
    }
    CodeReady "loyalty.code_ready" { "Your code is ready", "兑换成功，这是您的优惠码", "兌換成功，這是您的優惠碼" }
    CodeUse "loyalty.code_use" {
        "Enter it at checkout before {date}.",
        "请在 {date} 前结账时使用。",
        "請在 {date} 前結帳時使用。"
    }
    Copy "loyalty.copy" { "Copy", "复制", "複製" }
    Copied "loyalty.copied" { "Copied", "已复制", "已複製" }
    CodesHeading "loyalty.codes" { "Your codes", "我的优惠码", "我的優惠碼" }
    Expires "loyalty.expires" { "Use by {date}", "{date} 前有效", "{date} 前有效" }
    EarnHeading "loyalty.earn" { "Ways to earn", "如何赚积分", "如何賺積分" }
    EarnOrder "loyalty.earn_order" {
        "Earn {points} for every {money} you spend",
        "每消费 {money} 得 {points}",
        "每消費 {money} 得 {points}"
    }
    EarnAction "loyalty.earn_action" {
        "{action}: {points}",
        "{action}：{points}",
        "{action}：{points}"
    }
    HistoryHeading "loyalty.history" { "History", "积分明细", "積分明細" }
    HistoryEmpty "loyalty.history_empty" {
        "No activity yet. Your next order earns points.",
        "暂无记录，下单即可获得积分。",
        "暫無記錄，下單即可獲得積分。"
    }
    EntryOrderPaid "loyalty.entry_order_paid" { "Order {ref}", "订单 {ref}", "訂單 {ref}" }
    EntryOrderRefunded "loyalty.entry_order_refunded" {
        "Refund of order {ref}",
        "订单 {ref} 退款",
        "訂單 {ref} 退款"
    }
    EntryForgiven "loyalty.entry_forgiven" {
        "{points} already spent were not taken back",
        "已使用的 {points} 不再扣回",
        "已使用的 {points} 不再扣回"
    }
    EntryRedeemed "loyalty.entry_redeemed" { "Redeemed: {reward}", "兑换：{reward}", "兌換：{reward}" }
    EntryAdjusted "loyalty.entry_adjusted" { "Adjustment: {note}", "积分调整：{note}", "積分調整：{note}" }
    EntryExpired "loyalty.entry_expired" { "Points expired", "积分过期", "積分過期" }
    EntryAction "loyalty.entry_action" { "{action}", "{action}", "{action}" }
    ExpiryNotice "loyalty.expiry_notice" {
        "{points} expire on {date}",
        "{points} 将于 {date} 过期",
        "{points} 將於 {date} 過期"
    }
    JoinTitle "loyalty.join_title" { "Join {shop} Rewards", "加入{shop}会员", "加入{shop}會員" }
    JoinBody "loyalty.join_body" {
        "Earn points on every order and turn them into discounts.",
        "每笔订单都能积分，积分可兑换优惠。",
        "每筆訂單都能積分，積分可兌換優惠。"
    }
    Join "loyalty.join" { "Join now", "立即加入", "立即加入" }
    SignIn "loyalty.sign_in" { "Sign in", "登录", "登入" }
    SessionExpired "loyalty.session_expired" {
        "Please sign in again to see your points.",
        "请重新登录以查看积分。",
        "請重新登入以查看積分。"
    }
    FreeShipping "loyalty.free_shipping" { "Free shipping", "免运费", "免運費" }
    PercentOff "loyalty.percent_off" { "{percent}% off", "{percent}% 折扣", "{percent}% 折扣" }
    AmountOff "loyalty.amount_off" { "{money} off", "立减 {money}", "立減 {money}" }
    FreeProduct "loyalty.free_product" { "A free gift with your order", "下单送赠品", "下單送贈品" }
    CheckoutRate "loyalty.checkout_rate" {
        "{money} off for every {points}",
        "每 {points} 抵 {money}",
        "每 {points} 抵 {money}"
    }
    CheckoutChoose "loyalty.checkout_choose" { "Points to spend", "使用积分", "使用積分" }
    CheckoutConfirm "loyalty.checkout_confirm" {
        "Spend {points} for {money} off?",
        "用 {points} 抵扣 {money}？",
        "用 {points} 抵扣 {money}？"
    }
    MembersOnly "loyalty.members_only" { "For {tiers} members", "{tiers}会员专享", "{tiers}會員專享" }
    EarlyAccess "loyalty.early_access" {
        "{tiers} members first; open to all after {date}",
        "{tiers}会员抢先兑换，{date} 后向所有人开放",
        "{tiers}會員搶先兌換，{date} 後向所有人開放"
    }
    EarlyAccessYours "loyalty.early_access_yours" { "Early access for you", "您可抢先兑换", "您可搶先兌換" }
    NotEligible "loyalty.not_eligible" {
        "This reward is not open to your tier yet.",
        "您的会员等级暂时无法兑换此奖励。",
        "您的會員等級暫時無法兌換此獎勵。"
    }
    TierProgressMoney "loyalty.tier_progress_money" {
        "Spend {money} more to reach {tier}",
        "再消费 {money} 升级为{tier}",
        "再消費 {money} 升級為{tier}"
    }
    TierHeld "loyalty.tier_held" {
        "Your {tier} status is kept until {date}",
        "{tier}等级保留至 {date}",
        "{tier}等級保留至 {date}"
    }
    PerksYours "loyalty.perks_yours" { "Your perks: {perks}", "您的权益：{perks}", "您的權益：{perks}" }
    PerksNext "loyalty.perks_next" { "{tier} brings: {perks}", "{tier}权益：{perks}", "{tier}權益：{perks}" }
    PerkMultiplier "loyalty.perk_multiplier" {
        "{x}× points on orders",
        "订单积分 {x} 倍",
        "訂單積分 {x} 倍"
    }
    PerkFreeShipping "loyalty.perk_free_shipping" { "free shipping on every order", "每单免运费", "每單免運費" }
    PerkBirthday "loyalty.perk_birthday" { "{points} extra on your birthday", "生日额外 {points}", "生日額外 {points}" }
    PerkExclusive "loyalty.perk_exclusive" { "members-only rewards", "会员专享奖励", "會員專享獎勵" }
    PunchHeading "loyalty.punch_cards" { "Stamp cards", "集章卡", "集章卡" }
    PunchStamps "loyalty.punch_stamps" {
        "{filled} of {required} stamps",
        "已集 {filled}/{required} 个章",
        "已集 {filled}/{required} 個章"
    }
    PunchLeft "loyalty.punch_left" {
        "{left} more to get {reward}",
        "再集 {left} 个章即得{reward}",
        "再集 {left} 個章即得{reward}"
    }
    PunchBy "loyalty.punch_by" { "Fill it by {date}", "请于 {date} 前集满", "請於 {date} 前集滿" }
    PunchMin "loyalty.punch_min" {
        "Each order of {money} or more earns a stamp",
        "每笔满 {money} 的订单得一个章",
        "每筆滿 {money} 的訂單得一個章"
    }
    PunchEarned "loyalty.punch_earned" {
        "Cards filled: {count}",
        "已集满 {count} 张",
        "已集滿 {count} 張"
    }
    EarnBirthday "loyalty.earn_birthday" { "Birthday gift: {points}", "生日礼物：{points}", "生日禮物：{points}" }
    EarnAnniversary "loyalty.earn_anniversary" {
        "Each anniversary of your first order: {points}",
        "首单周年纪念：{points}",
        "首單週年紀念：{points}"
    }
    EntryTierBonus "loyalty.entry_tier_bonus" { "{tier} bonus included", "含{tier}积分加成", "含{tier}積分加成" }
    EntryReturned "loyalty.entry_returned" {
        "Points back: code {ref} was not used",
        "优惠码 {ref} 未使用，积分已退回",
        "優惠碼 {ref} 未使用，積分已退回"
    }
    ProfileHeading "loyalty.profile" { "Your details", "我的资料", "我的資料" }
    BirthdayPrompt "loyalty.birthday_prompt" {
        "Tell us your birthday for a gift of {points} every year. No year needed; it can be set once.",
        "填写生日，每年可获 {points} 生日礼。无需年份，只能设置一次。",
        "填寫生日，每年可獲 {points} 生日禮。無需年份，只能設定一次。"
    }
    BirthdayMonth "loyalty.birthday_month" { "Month", "月", "月" }
    BirthdayDay "loyalty.birthday_day" { "Day", "日", "日" }
    BirthdayIs "loyalty.birthday_is" { "Birthday: {date}", "生日：{date}", "生日：{date}" }
    BirthdayNext "loyalty.birthday_next" {
        "Next birthday gift on {date}",
        "下次生日礼：{date}",
        "下次生日禮：{date}"
    }
    ContactPrompt "loyalty.contact_prompt" {
        "How should we keep in touch?",
        "您希望我们如何联系您？",
        "您希望我們如何聯絡您？"
    }
    ContactEmail "loyalty.contact_email" { "Email", "邮件", "電子郵件" }
    ContactSms "loyalty.contact_sms" { "Text message", "短信", "簡訊" }
    ContactNone "loyalty.contact_none" { "Please don't contact me", "请勿联系我", "請勿聯絡我" }
    Consent "loyalty.consent" { "Send me offers and news", "向我发送优惠和新品信息", "向我發送優惠和新品資訊" }
    ContactIs "loyalty.contact_is" { "Contact: {channel}", "联系方式：{channel}", "聯絡方式：{channel}" }
    ConsentYes "loyalty.consent_yes" { "Offers and news: yes", "接收优惠信息：是", "接收優惠資訊：是" }
    ConsentNo "loyalty.consent_no" { "Offers and news: no", "接收优惠信息：否", "接收優惠資訊：否" }
}

/// The strings of one locale with the merchant's overrides applied.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Strings {
    /// The locale.
    pub locale: Locale,
    overrides: Pairs,
}

impl Strings {
    /// Strings for `locale`, with `overrides` (key name → text) taking precedence.
    pub fn new(locale: Locale, overrides: Option<&Pairs>) -> Strings {
        Strings {
            locale,
            overrides: overrides.cloned().unwrap_or_default(),
        }
    }

    /// The text for `key`.
    pub fn get(&self, key: Key) -> &str {
        lookup(&self.overrides, key.name()).unwrap_or_else(|| key.text(self.locale))
    }

    /// The text for `key` with each `{name}` replaced by its value.
    pub fn fill(&self, key: Key, args: &[(&str, &str)]) -> String {
        let mut text = self.get(key).to_owned();
        for (name, value) in args {
            let placeholder = ["{", name, "}"].concat();
            text = text.replace(&placeholder, value);
        }
        text
    }

    /// "1 point" / "1,250 points", numbers grouped for the locale.
    pub fn points(&self, points: i64) -> String {
        let key = if points == 1 || points == -1 {
            Key::PointsOne
        } else {
            Key::PointsOther
        };
        self.fill(key, &[("n", &format_number(points, self.locale))])
    }

    /// Money in minor units as the locale writes it (`¥12.50`, `US$5.00`).
    pub fn money(&self, minor: i64, currency: &str) -> String {
        format_money(minor, currency, self.locale)
    }

    /// A Unix time as a medium date (`Mar 1, 2027`, `2027年3月1日`).
    pub fn date(&self, unix_seconds: i64) -> String {
        format_date(
            unix_seconds,
            self.locale,
            &[("dateStyle", JsValue::from_str("medium"))],
        )
    }

    /// A day of the year without the year (`March 14`, `3月14日`).
    pub fn month_day(&self, month: u8, day: u8) -> String {
        format_date(
            noon_utc(month, day),
            self.locale,
            &[("month", "long".into()), ("day", "numeric".into())],
        )
    }

    /// A month's name (`March`, `三月`).
    pub fn month(&self, month: u8) -> String {
        format_date(
            noon_utc(month, 15),
            self.locale,
            &[("month", "long".into())],
        )
    }

    /// Hundredths as a decimal (`150` → `1.5`), grouped for the locale.
    pub fn decimal(&self, hundredths: i64) -> String {
        let opts = options(&[("maximumFractionDigits", JsValue::from_f64(2.0))]);
        let formatter = js_sys::Intl::NumberFormat::new(&locales(self.locale), &opts);
        call_format(
            formatter.format(),
            &JsValue::from_f64(hundredths as f64 / 100.0),
        )
        .unwrap_or_else(|| (hundredths / 100).to_string())
    }
}

fn options(pairs: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (name, value) in pairs {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object
}

fn locales(locale: Locale) -> Array {
    Array::of1(&JsValue::from_str(locale.as_str()))
}

fn call_format(format: Function, value: &JsValue) -> Option<String> {
    format.call1(&JsValue::UNDEFINED, value).ok()?.as_string()
}

/// A whole number grouped for the locale; plain digits if `Intl` is unavailable.
pub fn format_number(value: i64, locale: Locale) -> String {
    let formatter = js_sys::Intl::NumberFormat::new(&locales(locale), &Object::new());
    call_format(formatter.format(), &JsValue::from_f64(value as f64))
        .unwrap_or_else(|| value.to_string())
}

/// Money for minor units of an ISO 4217 currency.
pub fn format_money(minor: i64, currency: &str, locale: Locale) -> String {
    let exponent = comeback_core::money::currency_exponent(currency).unwrap_or(2);
    let amount = minor as f64 / 10_f64.powi(exponent as i32);
    let opts = options(&[
        ("style", JsValue::from_str("currency")),
        ("currency", JsValue::from_str(currency)),
        ("currencyDisplay", JsValue::from_str("narrowSymbol")),
    ]);
    let formatter = js_sys::Intl::NumberFormat::new(&locales(locale), &opts);
    // Without Intl, show the minor units with the code rather than guess a format.
    call_format(formatter.format(), &JsValue::from_f64(amount))
        .unwrap_or_else(|| plain_money(minor, exponent, currency))
}

/// `CNY 12.50`: money written without `Intl`, with integer arithmetic only.
fn plain_money(minor: i64, exponent: u32, currency: &str) -> String {
    let unit = 10_i64.pow(exponent);
    let whole = (minor / unit).to_string();
    if exponent == 0 {
        return [currency, " ", &whole].concat();
    }
    let fraction = (minor % unit).abs().to_string();
    let padding = "0".repeat(exponent as usize - fraction.len());
    [currency, " ", &whole, ".", &padding, &fraction].concat()
}

/// Unix seconds at noon UTC of a day in the leap year 2000 (so February 29 exists):
/// inside that calendar day in every time zone within ±12 hours.
fn noon_utc(month: u8, day: u8) -> i64 {
    comeback_core::date::Date::new(2000, month, day)
        .map_or(0, |date| date.days_since_epoch() * 86_400 + 43_200)
}

/// A Unix time as a date in the shopper's time zone, with `Intl.DateTimeFormat`
/// options `opts`.
pub fn format_date(unix_seconds: i64, locale: Locale, opts: &[(&str, JsValue)]) -> String {
    let date = Date::new(&JsValue::from_f64(unix_seconds as f64 * 1000.0));
    let opts = options(opts);
    let formatter = js_sys::Intl::DateTimeFormat::new(&locales(locale), &opts);
    call_format(formatter.format(), date.unchecked_ref())
        .unwrap_or_else(|| date.to_iso_string().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_a_unique_name_and_text_in_every_locale() {
        for (index, key) in Key::ALL.iter().enumerate() {
            assert!(
                !Key::ALL[..index].iter().any(|k| k.name() == key.name()),
                "{} used twice",
                key.name()
            );
            for locale in Locale::ALL {
                assert!(!key.text(locale).trim().is_empty());
            }
        }
    }

    #[test]
    fn placeholders_match_across_locales() {
        fn placeholders(text: &str) -> Vec<&str> {
            let mut found: Vec<&str> = text
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
                .collect();
            found.sort_unstable();
            found
        }
        for key in Key::ALL {
            let english = placeholders(key.text(Locale::En));
            for locale in [Locale::ZhHans, Locale::ZhHant] {
                assert_eq!(
                    placeholders(key.text(locale)),
                    english,
                    "{} in {}",
                    key.name(),
                    locale.as_str()
                );
            }
        }
    }

    #[test]
    fn money_without_intl_keeps_the_minor_digits() {
        assert_eq!(plain_money(12_850, 2, "CNY"), "CNY 128.50");
        assert_eq!(plain_money(1_005, 2, "USD"), "USD 10.05");
        assert_eq!(plain_money(500, 0, "JPY"), "JPY 500");
    }

    #[test]
    fn overrides_replace_shipped_text() {
        let overrides = vec![("loyalty.title".to_owned(), "Tea Club".to_owned())];
        let strings = Strings::new(Locale::En, Some(&overrides));
        assert_eq!(strings.get(Key::Title), "Tea Club");
        assert_eq!(strings.get(Key::Redeem), "Redeem");
        assert_eq!(
            strings.fill(Key::TierProgress, &[("points", "40"), ("tier", "Gold")]),
            "40 to Gold"
        );
    }
}
