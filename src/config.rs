//! Widget configuration: gathered by the loader (script `data-*`, `window.comebackSettings`,
//! element attributes, `Comeback.set*` calls), parsed and validated here once per mount or
//! update, then provided to the widget through context. Widgets never read `window`.

use comeback_core::Locale;
use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};

use crate::theme::Theme;

/// Name/value pairs in the order they came. Plain vectors rather than maps: there are
/// only a handful of entries, and map code is a noticeable share of the wasm bundle.
pub type Pairs = Vec<(String, String)>;

/// The value of `name` in `pairs`.
pub fn lookup<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// What the loader passes to `mount` and `update`, before validation.
#[derive(Debug, Default)]
struct RawConfig {
    shop: Option<String>,
    api: Option<String>,
    token: Option<String>,
    consent: bool,
    locales: Vec<String>,
    theme: Option<String>,
    attrs: Pairs,
    strings: Vec<(String, Pairs)>,
    catalogue: Pairs,
    appearance: RawAppearance,
}

/// `Comeback.setAppearance({theme, variables, rules})`.
#[derive(Debug, Default)]
struct RawAppearance {
    theme: Option<String>,
    variables: Pairs,
    rules: Option<String>,
}

/// A configuration the widget cannot run with. The message is for the shop's developer
/// (console and `comeback:error`); shoppers see a polite fallback instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The loader passed something that is not a settings object.
    #[error("settings must be an object")]
    NotAnObject,
    /// No `data-shop` on the script tag nor `shop` in `window.comebackSettings`.
    #[error("no shop id: add data-shop=\"your-shop\" to the Comeback script tag")]
    MissingShop,
    /// The shop id has characters no shop id has.
    #[error("shop id `{0}` is not valid: use 1-64 letters, digits, `-` or `_`")]
    InvalidShop(String),
    /// The API address is not an http(s) URL or a path.
    #[error("api address `{0}` is not valid: use https://… or a path starting with /")]
    InvalidApi(String),
}

/// The validated configuration of one mounted widget.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The public shop id.
    pub shop: String,
    /// `…/v1/shops/{shop}`: the prefix of every API call this widget makes.
    pub api_base: String,
    /// The parts that may change while the widget is mounted.
    pub settings: Settings,
    /// Problems that did not stop the widget (an unknown theme, a rejected CSS variable),
    /// reported once on the console.
    pub warnings: Vec<String>,
}

/// Settings that can change after mount; the widget reacts to each change.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Settings {
    /// The public shop id (a widget keeping something on the device keys it by shop).
    pub shop: String,
    /// The negotiated locale.
    pub locale: Locale,
    /// Light, dark or following the system.
    pub theme: Theme,
    /// The signed-in customer's token, if any.
    pub token: Option<String>,
    /// Whether the shopper lets the widgets remember things on this device
    /// (`Comeback.hasConsent`: consent given or not required, and no Global Privacy
    /// Control). False when the loader does not say.
    pub consent: bool,
    /// The element's attributes, for widget-specific options.
    pub attrs: Pairs,
    /// Merchant overrides of catalogue strings: (locale tag, key → text).
    pub strings: Vec<(String, Pairs)>,
    /// The shipped strings of the negotiated locale (key → text) for the shared keys and
    /// this widget's: the loader fetches only the active locale's file of each. Shared,
    /// since every render reads it.
    pub catalogue: std::sync::Arc<Pairs>,
    /// CSS for the shadow root from `setAppearance` (variables and rules).
    pub appearance_css: String,
}

impl Settings {
    /// An attribute's value, if present and not blank.
    pub fn attr(&self, name: &str) -> Option<&str> {
        lookup(&self.attrs, name)
            .map(str::trim)
            .filter(|value| !value.is_empty())
    }

    /// Whether the element carries `name` at all, empty or not (a boolean attribute).
    pub fn has_attr(&self, name: &str) -> bool {
        lookup(&self.attrs, name).is_some()
    }

    /// An attribute holding a link, checked by [`safe_link`].
    pub fn link_attr(&self, name: &str) -> Option<String> {
        self.attr(name).and_then(safe_link)
    }
}

impl Config {
    /// Parses and validates what the loader passed.
    pub fn from_js(value: &JsValue) -> Result<Config, ConfigError> {
        if !value.is_object() {
            return Err(ConfigError::NotAnObject);
        }
        let appearance = get(value, "appearance");
        let strings = get(value, "strings");
        let raw = RawConfig {
            shop: get(value, "shop").as_string(),
            api: get(value, "api").as_string(),
            token: get(value, "token").as_string(),
            consent: get(value, "consent").as_bool() == Some(true),
            locales: strings_of(&get(value, "locales")),
            theme: get(value, "theme").as_string(),
            attrs: string_map(&get(value, "attrs")),
            strings: entries(&strings)
                .map(|(locale, table)| (locale, string_map(&table)))
                .collect(),
            catalogue: string_map(&get(value, "catalogue")),
            appearance: RawAppearance {
                theme: get(&appearance, "theme").as_string(),
                variables: string_map(&get(&appearance, "variables")),
                rules: get(&appearance, "rules").as_string(),
            },
        };
        Config::from_raw(raw)
    }

    fn from_raw(raw: RawConfig) -> Result<Config, ConfigError> {
        let shop = raw
            .shop
            .map(|shop| shop.trim().to_owned())
            .filter(|shop| !shop.is_empty())
            .ok_or(ConfigError::MissingShop)?;
        if shop.len() > 64
            || !shop
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(ConfigError::InvalidShop(shop));
        }
        let api = raw.api.unwrap_or_default();
        let api = api.trim().trim_end_matches('/');
        if !(api.is_empty()
            || api.starts_with("https://")
            || api.starts_with("http://")
            || api.starts_with('/'))
        {
            return Err(ConfigError::InvalidApi(api.to_owned()));
        }
        let api_base = format!("{api}/v1/shops/{shop}");

        let mut warnings = Vec::new();
        let theme_name = lookup(&raw.attrs, "theme")
            .map(str::to_owned)
            .or(raw.theme)
            .or(raw.appearance.theme);
        let theme = match theme_name.as_deref().map(str::trim) {
            None | Some("") => Theme::default(),
            Some(name) => Theme::parse(name).unwrap_or_else(|| {
                warnings.push(format!(
                    "theme `{name}` is unknown; use light, dark or auto"
                ));
                Theme::default()
            }),
        };
        let locale = Locale::negotiate(raw.locales.iter().map(String::as_str)).unwrap_or_default();
        let token = raw
            .token
            .map(|token| token.trim().to_owned())
            .filter(|token| !token.is_empty());
        let appearance_css = appearance_css(
            &raw.appearance.variables,
            raw.appearance.rules.as_deref(),
            &mut warnings,
        );

        Ok(Config {
            shop: shop.clone(),
            api_base,
            settings: Settings {
                shop,
                locale,
                theme,
                token,
                consent: raw.consent,
                attrs: raw.attrs,
                strings: raw.strings,
                catalogue: std::sync::Arc::new(raw.catalogue),
                appearance_css,
            },
            warnings,
        })
    }
}

use crate::wire::get;

/// The string items of a JS array; anything else is skipped.
fn strings_of(value: &JsValue) -> Vec<String> {
    if !Array::is_array(value) {
        return Vec::new();
    }
    value
        .unchecked_ref::<Array>()
        .iter()
        .filter_map(|item| item.as_string())
        .collect()
}

/// The own enumerable properties of a JS object as (name, value) pairs.
fn entries(value: &JsValue) -> impl Iterator<Item = (String, JsValue)> {
    let pairs = if value.is_object() {
        Object::entries(value.unchecked_ref())
    } else {
        Array::new()
    };
    pairs.into_iter().filter_map(|pair| {
        let pair: Array = pair.dyn_into().ok()?;
        Some((pair.get(0).as_string()?, pair.get(1)))
    })
}

/// A JS object of strings as name/value pairs; non-string values are skipped.
fn string_map(value: &JsValue) -> Pairs {
    entries(value)
        .filter_map(|(name, value)| Some((name, value.as_string()?)))
        .collect()
}

/// Builds the appearance stylesheet: accepted `--comeback-*` variables on `:host`, then the
/// theme developer's rules. A variable with a bad name or a value that could end the
/// declaration is skipped with a warning.
fn appearance_css(variables: &Pairs, rules: Option<&str>, warnings: &mut Vec<String>) -> String {
    let mut css = String::new();
    for (name, value) in variables {
        let name_ok = name.len() > "--comeback-".len()
            && name.starts_with("--comeback-")
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let value_ok = !value.trim().is_empty()
            && !value.contains([';', '{', '}', '<', '>'])
            && !value.contains("/*");
        if name_ok && value_ok {
            if css.is_empty() {
                css.push_str(":host{");
            }
            css.push_str(name);
            css.push(':');
            css.push_str(value.trim());
            css.push(';');
        } else {
            warnings.push(format!("appearance variable `{name}` was ignored"));
        }
    }
    if !css.is_empty() {
        css.push('}');
    }
    if let Some(rules) = rules {
        css.push_str(rules);
    }
    css
}

/// The one check for every link a widget renders (element attributes and the
/// programme's `join_url`/`signin_url` alike): the value is resolved with `URL` against
/// the page (`document.baseURI`), exactly as the browser will resolve the `href`, and
/// kept only when the result is `http:` or `https:`. A value that is not an absolute URL
/// on its own (a path, `?query`, `#fragment`) must stay on the page's origin after
/// resolution, which rules out `//evil.example`, `/\evil.example` and `/<TAB>/evil.example`;
/// an absolute http(s) URL the shop wrote may point elsewhere. Returns the resolved
/// address, so what was checked is what the `href` holds.
pub fn safe_link(url: &str) -> Option<String> {
    let base = web_sys::window()?.document()?.base_uri().ok()??;
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    let resolved = web_sys::Url::new_with_base(url, &base).ok()?;
    if !matches!(resolved.protocol().as_str(), "http:" | "https:") {
        return None;
    }
    let absolute = web_sys::Url::new(url).is_ok();
    if !absolute && resolved.origin() != web_sys::Url::new(&base).ok()?.origin() {
        return None;
    }
    Some(resolved.href())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(shop: &str) -> RawConfig {
        RawConfig {
            shop: Some(shop.into()),
            ..RawConfig::default()
        }
    }

    #[test]
    fn shop_is_required_and_checked() {
        assert_eq!(
            Config::from_raw(RawConfig::default()).unwrap_err(),
            ConfigError::MissingShop
        );
        assert!(matches!(
            Config::from_raw(raw("tea shop")),
            Err(ConfigError::InvalidShop(_))
        ));
        let config = Config::from_raw(raw("demo")).unwrap();
        assert_eq!(config.api_base, "/v1/shops/demo");
    }

    #[test]
    fn api_address_is_normalised_or_rejected() {
        let mut with_api = raw("demo");
        with_api.api = Some("https://api.example.com/".into());
        assert_eq!(
            Config::from_raw(with_api).unwrap().api_base,
            "https://api.example.com/v1/shops/demo"
        );
        let mut bad = raw("demo");
        bad.api = Some("javascript:alert(1)".into());
        assert!(matches!(
            Config::from_raw(bad),
            Err(ConfigError::InvalidApi(_))
        ));
    }

    #[test]
    fn element_attributes_win_over_appearance_theme() {
        let mut config = raw("demo");
        config.appearance.theme = Some("dark".into());
        config.attrs.push(("theme".into(), "auto".into()));
        assert_eq!(
            Config::from_raw(config).unwrap().settings.theme,
            Theme::Auto
        );
    }

    #[test]
    fn unknown_theme_warns_and_falls_back() {
        let mut config = raw("demo");
        config.theme = Some("neon".into());
        let config = Config::from_raw(config).unwrap();
        assert_eq!(config.settings.theme, Theme::Light);
        assert_eq!(config.warnings.len(), 1);
    }

    #[test]
    fn locale_follows_the_first_supported_tag() {
        let mut config = raw("demo");
        config.locales = vec!["fr".into(), "zh-TW".into(), "en".into()];
        assert_eq!(
            Config::from_raw(config).unwrap().settings.locale,
            Locale::ZhHant
        );
    }

    #[test]
    fn appearance_variables_are_filtered() {
        let mut warnings = Vec::new();
        let variables = Vec::from([
            ("--comeback-color-accent".to_owned(), "#c0392b".to_owned()),
            ("--evil".to_owned(), "red".to_owned()),
            (
                "--comeback-radius".to_owned(),
                "4px;} body{display:none".to_owned(),
            ),
        ]);
        let css = appearance_css(&variables, Some(".cb-x{}"), &mut warnings);
        assert_eq!(css, ":host{--comeback-color-accent:#c0392b;}.cb-x{}");
        assert_eq!(warnings.len(), 2);
    }
}
