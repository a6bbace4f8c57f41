//! Shopper-facing strings in every shipped locale, merchant overrides, and number, money
//! and date formatting through the browser's `Intl`.
//!
//! Every string lives in the one [`catalogue!`] table below with all three locales, so a
//! missing translation is a compile error. Placeholders are `{name}`.

use comeback_core::Locale;

use crate::config::{lookup, Pairs};
use js_sys::{Array, Date, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// A catalogue string: its key name and its shipped text per locale. Every widget's
/// `strings.rs` declares its own enum with [`catalogue!`]; shared strings are [`Common`].
pub trait Text: Copy + 'static {
    /// The key's name (`loyalty.title`), used by merchants to override it in `strings`.
    fn name(self) -> &'static str;
    /// The shipped text for `locale`.
    fn text(self, locale: Locale) -> &'static str;
}

/// A key of any catalogue, for the lists the build and the tests walk.
pub trait AnyText: Sync {
    /// See [`Text::name`].
    fn key(&self) -> &'static str;
    /// See [`Text::text`].
    fn shipped(&self, locale: Locale) -> &'static str;
}

impl<T: Text + Sync> AnyText for T {
    fn key(&self) -> &'static str {
        self.name()
    }
    fn shipped(&self, locale: Locale) -> &'static str {
        self.text(locale)
    }
}

/// Declares a catalogue enum: each entry is the variant, its key name and its text in
/// English, Simplified and Traditional Chinese, so a missing translation is a compile
/// error. Placeholders are `{name}`.
macro_rules! catalogue {
    (
        $(#[$doc:meta])*
        pub enum $enum:ident {
            $($key:ident $name:literal { $en:literal, $hans:literal, $hant:literal })*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $enum {
            $(
                #[doc = $en]
                $key,
            )*
        }

        impl $enum {
            /// Every key, in catalogue order.
            pub const ALL: &'static [$enum] = &[$($enum::$key),*];
        }

        /// Every key as a trait object, for the build's string files and the tests.
        pub static ALL: &[&dyn $crate::i18n::AnyText] = &[$(&$enum::$key),*];

        impl $crate::i18n::Text for $enum {
            fn name(self) -> &'static str {
                match self {
                    $($enum::$key => $name,)*
                }
            }

            fn text(self, locale: ::comeback_core::Locale) -> &'static str {
                match (self, locale) {
                    $(
                        ($enum::$key, ::comeback_core::Locale::En) => $en,
                        ($enum::$key, ::comeback_core::Locale::ZhHans) => $hans,
                        ($enum::$key, ::comeback_core::Locale::ZhHant) => $hant,
                    )*
                }
            }
        }
    };
}
pub(crate) use catalogue;

catalogue! {
    /// Strings every widget shares.
    pub enum Common {
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
        Cancel "common.cancel" { "Cancel", "取消", "取消" }
        PointsOne "common.points_one" { "{n} point", "{n} 积分", "{n} 積分" }
        PointsOther "common.points_other" { "{n} points", "{n} 积分", "{n} 積分" }
    }
}

/// The strings of one locale: the merchant's overrides over the shipped catalogue the
/// loader fetched for that locale.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Strings {
    /// The locale.
    pub locale: Locale,
    overrides: Pairs,
    catalogue: std::sync::Arc<Pairs>,
}

impl Strings {
    /// Strings for `locale` from `catalogue` (key name → shipped text), with `overrides`
    /// (key name → text) taking precedence.
    pub fn new(
        locale: Locale,
        overrides: Option<&Pairs>,
        catalogue: &std::sync::Arc<Pairs>,
    ) -> Strings {
        Strings {
            locale,
            overrides: overrides.cloned().unwrap_or_default(),
            catalogue: catalogue.clone(),
        }
    }

    /// The text for `key`. In the browser the shipped texts come only from the catalogue
    /// the loader fetched, so the wasm carries no text of any locale; a key missing from
    /// it shows its name, which the catalogue tests rule out. Native builds (the model
    /// tests) fall back to the shipped text.
    pub fn get(&self, key: impl Text) -> &str {
        let name = key.name();
        lookup(&self.overrides, name)
            .or_else(|| lookup(&self.catalogue, name))
            .unwrap_or_else(|| shipped_fallback(key, self.locale))
    }

    /// The text of the key called `name`, for a key of another widget's catalogue (a
    /// tab's label in the launcher). Its name when neither override nor catalogue has it.
    pub fn get_named<'a>(&'a self, name: &'a str) -> &'a str {
        lookup(&self.overrides, name)
            .or_else(|| lookup(&self.catalogue, name))
            .unwrap_or(name)
    }

    /// The text for `key` with each `{name}` replaced by its value.
    pub fn fill(&self, key: impl Text, args: &[(&str, &str)]) -> String {
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
            Common::PointsOne
        } else {
            Common::PointsOther
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

thread_local! {
    /// `Intl` formatters by what they were made for: building one costs far more than
    /// using it (a profile of the loyalty widget's first render on a throttled CPU spent
    /// 60 ms constructing them), and a page formats the same few shapes again and again.
    static FORMATTERS: std::cell::RefCell<Vec<(String, Function)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The `format` function of the formatter known as `key`, made by `make` the first time.
fn formatter(key: String, make: impl FnOnce() -> Function) -> Function {
    let known = FORMATTERS.with(|all| {
        all.try_borrow()
            .ok()
            .and_then(|all| all.iter().find(|(k, _)| *k == key).map(|(_, f)| f.clone()))
    });
    known.unwrap_or_else(|| {
        let format = make();
        FORMATTERS.with(|all| {
            if let Ok(mut all) = all.try_borrow_mut() {
                all.push((key, format.clone()));
            }
        });
        format
    })
}

/// A whole number grouped for the locale; plain digits if `Intl` is unavailable.
pub fn format_number(value: i64, locale: Locale) -> String {
    let format = formatter(["n ", locale.as_str()].concat(), || {
        js_sys::Intl::NumberFormat::new(&locales(locale), &Object::new()).format()
    });
    call_format(format, &JsValue::from_f64(value as f64)).unwrap_or_else(|| value.to_string())
}

/// Money for minor units of an ISO 4217 currency.
pub fn format_money(minor: i64, currency: &str, locale: Locale) -> String {
    let exponent = comeback_core::money::currency_exponent(currency).unwrap_or(2);
    let amount = minor as f64 / 10_f64.powi(exponent as i32);
    let format = formatter(["m ", locale.as_str(), " ", currency].concat(), || {
        let opts = options(&[
            ("style", JsValue::from_str("currency")),
            ("currency", JsValue::from_str(currency)),
            ("currencyDisplay", JsValue::from_str("narrowSymbol")),
        ]);
        js_sys::Intl::NumberFormat::new(&locales(locale), &opts).format()
    });
    // Without Intl, show the minor units with the code rather than guess a format.
    call_format(format, &JsValue::from_f64(amount))
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
    let mut key = ["d ", locale.as_str()].concat();
    for (name, value) in opts {
        key.push_str(&[" ", name, "=", &value.as_string().unwrap_or_default()].concat());
    }
    let format = formatter(key, || {
        js_sys::Intl::DateTimeFormat::new(&locales(locale), &options(opts)).format()
    });
    call_format(format, date.unchecked_ref()).unwrap_or_else(|| date.to_iso_string().into())
}

#[cfg(target_arch = "wasm32")]
fn shipped_fallback(key: impl Text, _locale: Locale) -> &'static str {
    key.name()
}

#[cfg(not(target_arch = "wasm32"))]
fn shipped_fallback(key: impl Text, locale: Locale) -> &'static str {
    key.text(locale)
}

/// What a widget without a usable configuration shows (no locale is known then).
pub const NOT_SET_UP: &str = "This part of the shop is not set up yet.";

/// What the runtime shows when a widget cannot run at all (a panic, a configuration it
/// cannot use), in the one place that may not wait for a catalogue.
pub fn unavailable(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "This is unavailable right now. Please try again in a moment.",
        Locale::ZhHans => "服务暂时不可用，请稍后再试。",
        Locale::ZhHant => "服務暫時無法使用，請稍後再試。",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_fallback_says_what_the_catalogue_says() {
        for locale in Locale::ALL {
            assert_eq!(unavailable(locale), Common::Unavailable.text(locale));
        }
        assert_eq!(NOT_SET_UP, Common::NotSetUp.text(Locale::En));
    }

    #[test]
    fn money_without_intl_keeps_the_minor_digits() {
        assert_eq!(plain_money(12_850, 2, "CNY"), "CNY 128.50");
        assert_eq!(plain_money(1_005, 2, "USD"), "USD 10.05");
        assert_eq!(plain_money(500, 0, "JPY"), "JPY 500");
    }

    #[test]
    fn overrides_replace_shipped_text() {
        let overrides = vec![("common.retry".to_owned(), "Once more".to_owned())];
        let strings = Strings::new(Locale::En, Some(&overrides), &Default::default());
        assert_eq!(strings.get(Common::Retry), "Once more");
        assert_eq!(strings.get(Common::Close), "Close");
        assert_eq!(
            strings.fill(Common::PointsOther, &[("n", "40")]),
            "40 points"
        );
    }
}
