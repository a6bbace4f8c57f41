//! The registry: the one list of widgets this bundle can mount.
//!
//! Each widget lives in its own folder (`mod.rs` view, `model.rs` pure logic,
//! `strings.rs` its catalogue, `events.rs` its event names, `wire.rs` its response
//! decoders, `style.css`) and exports `fn widget() -> Widget`. The one [`registry!`] call
//! below is everything else the platform knows about it: the kind, where it sits and the
//! wasm chunk its code is split into; its element's attributes are declared once, in its
//! `element.rs` ([`Attribute`]). The runtime (`embed`, `api`, `theme`, `i18n`, `events`,
//! `ui`) names no widget, and `loader.js` gets its list of elements and the attributes
//! each observes from this registry at build time (`scripts/bundle_data.rs`).
//!
//! With the `split` feature (the default), each widget's chunk is loaded on demand:
//! `wasm-split-cli` cuts the linked module at each `load_*` function, and a page fetches
//! only the chunks of the elements it holds. Without it, the same source builds one
//! module, the fallback should a toolchain update break splitting.

pub mod help;
pub mod launcher;
pub mod loyalty;
pub mod recommendations;
pub mod referral;
pub mod subscribe;
pub mod subscriptions;
pub mod survey;

use leptos::prelude::AnyView;

/// An attribute of a widget's element, for the README's table, `comeback.d.ts` and the
/// loader's `observedAttributes`.
#[derive(Debug, Clone, Copy)]
pub struct Attribute {
    /// The attribute name.
    pub name: &'static str,
    /// Its values: `Ty::String`, `Ty::Number`, or `Ty::Enum(&[..])` when only these words are meant.
    pub value: crate::events::Ty,
    /// Whether the element reacts when it changes (the loader observes it); otherwise it is read when the widget starts.
    pub observed: bool,
    /// What it does (Markdown, for the README).
    pub about: &'static str,
}

/// The attributes every element takes, besides its own (`<kind>/element.rs`).
pub const SHARED_ATTRIBUTES: &[Attribute] = &[
    Attribute {
        name: "theme",
        value: crate::events::Ty::Enum(&["light", "dark", "auto"]),
        observed: true,
        about: "`light` (default), `dark` or `auto` (follows `prefers-color-scheme`).",
    },
    Attribute {
        name: "lang",
        value: crate::events::Ty::String,
        observed: true,
        about: "Locale for this element only.",
    },
];

/// What a widget's chunk hands the runtime once it has loaded.
#[derive(Clone, Copy)]
pub struct Widget {
    /// Builds the view. Called inside the mount's reactive owner with
    /// [`crate::embed::WidgetContext`] provided, never inside the chunk's loader (the
    /// loader runs outside any owner).
    pub view: fn() -> AnyView,
    /// The widget's stylesheet, adopted after the shared base sheet.
    pub css: &'static str,
}

/// A widget's chunk could not be fetched or instantiated (offline, blocked). The
/// element shows the polite fallback and may try again later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the code of this widget could not be loaded")]
pub struct LoadError;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for LoadError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> LoadError {
        LoadError
    }
}

/// What the skeleton holds for an element while its widget's code loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Space {
    /// The default height (`--comeback-min-height`, 320px by default), so the page does
    /// not move when the widget appears.
    Reserved,
    /// Only what the shop sets (`--comeback-min-height`, nothing by default): a widget
    /// that often shows nothing (the subscribe toggle on a product no plan covers).
    ShopOnly,
    /// [`Space::Reserved`], except for an element whose attribute (the first) has the
    /// value (the second): then [`Space::ShopOnly`] (`<comeback-referral mode="banner">`,
    /// shown only to a friend who came through a referral link).
    ShopOnlyWhen(&'static str, &'static str),
}

impl Space {
    /// Whether an element with `attribute` (its value for the attribute this rule names)
    /// holds only the shop's height.
    pub fn shop_only(self, attribute: impl FnOnce(&str) -> Option<String>) -> bool {
        match self {
            Space::Reserved => false,
            Space::ShopOnly => true,
            Space::ShopOnlyWhen(name, value) => {
                attribute(name).is_some_and(|v| v.trim().eq_ignore_ascii_case(value))
            }
        }
    }

    /// The rule as JSON for the loader's table: `0` reserved, `1` shop only, or
    /// `"attribute=value"`.
    pub fn to_json(self) -> String {
        match self {
            Space::Reserved => "0".to_owned(),
            Space::ShopOnly => "1".to_owned(),
            Space::ShopOnlyWhen(name, value) => ["\"", name, "=", value, "\""].concat(),
        }
    }
}

/// Declares the widget kinds. Per entry: the variant, the module, the name of its
/// chunk (an identifier: `wasm-split-cli` names the chunk file after it); its element's
/// attributes are `$module::element::ATTRIBUTES`; `floating` widgets sit over
/// the page, so they reserve no space and start as soon as their element is connected
/// instead of when it nears the viewport; `tab` names the widget's tab in the launcher's
/// panel (`Some("rewards")`), or `None` for a widget the panel does not hold, and
/// `tab_by_default` whether the panel shows it when the launcher's `tabs` attribute is
/// absent. A tab's label is the widget's `<kind>.tab` string. `space` says what the
/// loader's skeleton holds while the widget's code loads ([`Space`]).
macro_rules! registry {
    ($(
        $(#[$doc:meta])*
        $variant:ident {
            module: $module:ident,
            chunk: $chunk:ident,
            floating: $floating:literal,
            tab: $tab:expr,
            tab_by_default: $tab_by_default:literal,
            space: $space:expr $(,)?
        }
    )*) => {
        /// The widget kinds this bundle can mount, by element name without `comeback-`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum WidgetKind {
            $( $(#[$doc])* $variant, )*
        }

        impl WidgetKind {
            /// Every kind, in registry order.
            pub const ALL: &'static [WidgetKind] = &[$(WidgetKind::$variant),*];

            /// Parses the kind the loader passes (`loyalty`).
            pub fn parse(kind: &str) -> Option<WidgetKind> {
                WidgetKind::ALL.iter().copied().find(|k| k.as_str() == kind)
            }

            /// The kind's name: the element is `comeback-<name>`, events are
            /// `comeback:<name>:…`, strings `<name>.…`, CSS classes `cb-<name>__…`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( WidgetKind::$variant => stringify!($module), )*
                }
            }

            /// The element's own attributes (besides [`SHARED_ATTRIBUTES`]), for the
            /// README, `comeback.d.ts` and the loader.
            pub fn attributes(self) -> &'static [Attribute] {
                match self {
                    $( WidgetKind::$variant => $module::element::ATTRIBUTES, )*
                }
            }

            /// The names of the element's own attributes the loader observes (besides
            /// `theme` and `lang`), in declaration order.
            pub fn observed(self) -> impl Iterator<Item = &'static str> {
                self.attributes()
                    .iter()
                    .filter(|attribute| attribute.observed)
                    .map(|attribute| attribute.name)
            }

            /// Whether the widget floats over the page: no reserved space, starts at once.
            pub fn floating(self) -> bool {
                match self {
                    $( WidgetKind::$variant => $floating, )*
                }
            }

            /// What the loader's skeleton (and the runtime's, until the chunk is there)
            /// holds for an element of this kind while its code loads.
            pub fn space(self) -> Space {
                match self {
                    $( WidgetKind::$variant => $space, )*
                }
            }

            /// The kind's tab in the launcher's panel (`tabs`, `open`, `Comeback.open`),
            /// if the panel holds it.
            pub fn tab(self) -> Option<&'static str> {
                match self {
                    $( WidgetKind::$variant => $tab, )*
                }
            }

            /// Whether the launcher shows the kind's tab when its `tabs` attribute is
            /// absent. Tabs of features every shop has are; a newer feature's tab is
            /// shown only where the shop lists it, so no shop finds a tab it never set up.
            pub fn tab_by_default(self) -> bool {
                match self {
                    $( WidgetKind::$variant => $tab_by_default, )*
                }
            }

            /// The file stem of the kind's wasm chunk in a split build.
            pub fn chunk(self) -> &'static str {
                match self {
                    $( WidgetKind::$variant => stringify!($chunk), )*
                }
            }

            /// Every event the kind fires, for the README table, `comeback.d.ts` and the tests.
            pub fn events(self) -> &'static [crate::events::Event] {
                match self {
                    $( WidgetKind::$variant => $module::events::ALL, )*
                }
            }

            /// The kind's own tokens, parts and readable pairs (`<kind>/style.rs`), for
            /// the README, `kit.json`, `comeback.d.ts` and the tests.
            pub fn theme(self) -> &'static crate::theme::WidgetTheme {
                match self {
                    $( WidgetKind::$variant => &$module::style::THEME, )*
                }
            }

            /// The kind's stylesheet, for the tests (the runtime gets it from the
            /// loaded chunk, so it never lands in the main module).
            #[cfg(test)]
            pub fn css(self) -> &'static str {
                match self {
                    $( WidgetKind::$variant => $module::CSS, )*
                }
            }

            /// The kind's catalogue, for the build's string files and the tests.
            pub fn strings(self) -> &'static [&'static dyn crate::i18n::AnyText] {
                match self {
                    $( WidgetKind::$variant => $module::strings::ALL, )*
                }
            }
        }

        /// Loads the code of `kind`: in a split build, fetches its chunk the first time.
        pub async fn load(kind: WidgetKind) -> Result<Widget, LoadError> {
            match kind {
                $( WidgetKind::$variant => $chunk().await, )*
            }
        }

        $(
            // The split point: everything only this function reaches moves into the
            // chunk. It returns the builder, never a view (see `Widget::view`).
            #[cfg(feature = "split")]
            #[leptos::wasm_split::wasm_split(
                $chunk,
                wasm_split_path = ::leptos::wasm_split,
                fallible
            )]
            fn $chunk() -> Result<Widget, LoadError> {
                Ok($module::widget())
            }

            #[cfg(not(feature = "split"))]
            async fn $chunk() -> Result<Widget, LoadError> {
                Ok($module::widget())
            }
        )*
    };
}

registry! {
    /// `<comeback-loyalty>`: balance, tier, rewards, stamp cards, history.
    Loyalty {
        module: loyalty,
        chunk: widget_loyalty,
        floating: false,
        tab: Some("rewards"),
        tab_by_default: true,
        space: Space::Reserved,
    }
    /// `<comeback-help>`: article search, troubleshooting trees, contact form.
    Help {
        module: help,
        chunk: widget_help,
        floating: false,
        tab: Some("help"),
        tab_by_default: false,
        space: Space::Reserved,
    }
    /// `<comeback-recommendations>`: product cards (bought together, for you, buy again,
    /// best sellers, trending, new) with "Add to cart" events for the shop's cart.
    Recommendations {
        module: recommendations,
        chunk: widget_recommendations,
        floating: false,
        tab: None,
        tab_by_default: false,
        space: Space::Reserved,
    }
    /// `<comeback-subscribe>`: one-time purchase or subscribe and save on the product
    /// page, written into the product form's hidden field for the shop's cart.
    Subscribe {
        module: subscribe,
        chunk: widget_subscribe,
        floating: false,
        tab: None,
        tab_by_default: false,
        space: Space::ShopOnly,
    }
    /// `<comeback-subscriptions>`: the signed-in shopper's subscriptions, to skip,
    /// deliver now, change, pause, resume or cancel (in two clicks).
    Subscriptions {
        module: subscriptions,
        chunk: widget_subscriptions,
        floating: false,
        tab: Some("subscriptions"),
        tab_by_default: false,
        space: Space::Reserved,
    }
    /// `<comeback-referral>`: the signed-in advocate's link, code, QR code and referrals
    /// (also the launcher's `referral` tab); with `mode="banner"`, the friend's offer on
    /// landing through a referral link, claimed by email.
    Referral {
        module: referral,
        chunk: widget_referral,
        floating: false,
        tab: Some("referral"),
        tab_by_default: false,
        space: Space::ShopOnlyWhen("mode", "banner"),
    }
    /// `<comeback-survey>`: a feedback survey (NPS, CSAT, effort, choices, text) after a
    /// purchase, inline, as a corner card or a side tab; nothing shows unless one is due.
    Survey {
        module: survey,
        chunk: widget_survey,
        floating: false,
        tab: None,
        tab_by_default: false,
        space: Space::ShopOnly,
    }
    /// `<comeback-launcher>`: the floating button and the panel holding, one tab each,
    /// the widgets with a `tab`. It floats over the page, so it reserves no space and
    /// starts at once.
    Launcher {
        module: launcher,
        chunk: widget_launcher,
        floating: true,
        tab: None,
        tab_by_default: false,
        space: Space::ShopOnly,
    }
}

#[cfg(test)]
mod tests {
    use comeback_core::Locale;

    use super::{Attribute, WidgetKind, SHARED_ATTRIBUTES};
    use crate::events::Ty;
    use crate::i18n::AnyText;

    /// Every catalogue with the prefix its keys must carry.
    fn catalogues() -> Vec<(&'static str, &'static [&'static dyn AnyText])> {
        let mut all = vec![("common", crate::i18n::ALL)];
        all.extend(WidgetKind::ALL.iter().map(|k| (k.as_str(), k.strings())));
        all
    }

    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn every_key_is_unique_prefixed_by_its_widget_and_translated() {
        let mut seen: Vec<&str> = Vec::new();
        for (prefix, keys) in catalogues() {
            for key in keys {
                let name = key.key();
                assert!(
                    name.starts_with(&[prefix, "."].concat()),
                    "{name} is not in `{prefix}.`"
                );
                assert!(!seen.contains(&name), "{name} declared twice");
                seen.push(name);
                let english = placeholders(key.shipped(Locale::En));
                for locale in Locale::ALL {
                    assert!(
                        !key.shipped(locale).trim().is_empty(),
                        "{name} in {locale:?}"
                    );
                    assert_eq!(
                        placeholders(key.shipped(locale)),
                        english,
                        "{name}: placeholders differ in {locale:?}"
                    );
                }
            }
        }
    }

    /// The Rust source of a kind's folder, without its `style.rs` (the declarations).
    fn source(kind: WidgetKind) -> String {
        let dir = [env!("CARGO_MANIFEST_DIR"), "/src/widgets/", kind.as_str()].concat();
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "rs"))
            .filter(|path| !path.ends_with("style.rs"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|path| std::fs::read_to_string(path).unwrap())
            .collect()
    }

    /// The part names `source` writes literally: `part="a b"` in views and `[part~=a]`
    /// or `[part=\"a\"]` in selectors (a `part=` followed by an expression is skipped).
    fn written_parts(source: &str) -> Vec<String> {
        let mut found = Vec::new();
        for (at, _) in source.match_indices("part") {
            let rest = &source[at + 4..];
            let Some(rest) = rest.strip_prefix("~=").or_else(|| rest.strip_prefix('=')) else {
                continue;
            };
            let quoted = rest.starts_with('"') || rest.starts_with("\\\"");
            let rest = rest.trim_start_matches(['\\', '"']);
            let name_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
            if quoted {
                let end = rest.find(['"', '\\']).unwrap_or(rest.len());
                let names = rest[..end].split_whitespace();
                found.extend(
                    names
                        .filter(|name| name.chars().all(name_char))
                        .map(str::to_owned),
                );
            } else {
                let end = rest.find(|c: char| !name_char(c)).unwrap_or(rest.len());
                if rest[end..].starts_with(']') && end > 0 {
                    found.push(rest[..end].to_owned());
                }
            }
        }
        found
    }

    #[test]
    fn every_part_a_view_writes_is_declared_and_every_declared_part_is_written() {
        let shared: Vec<&str> = crate::theme::PARTS.iter().map(|p| p.name).collect();
        for kind in WidgetKind::ALL {
            let source = source(*kind);
            let declared: Vec<&str> = kind.theme().parts.iter().map(|p| p.name).collect();
            for (index, name) in declared.iter().enumerate() {
                assert!(!declared[..index].contains(name), "{name} declared twice");
                let literal = source.contains(&format!("\"{name}\""))
                    || source.contains(&format!("\"{name} "))
                    || source.contains(&format!(" {name}\""))
                    || (*name == "skeleton" && source.contains("ui::skeleton("));
                assert!(
                    literal,
                    "{}: `{name}` is declared in style.rs but no view writes it",
                    kind.as_str()
                );
            }
            for name in written_parts(&source) {
                assert!(
                    declared.contains(&name.as_str()) || shared.contains(&name.as_str()),
                    "{}: the part `{name}` is written but not declared in style.rs",
                    kind.as_str()
                );
            }
        }
    }

    #[test]
    fn parts_are_found_in_views_and_selectors() {
        let source = r#"<p part="a b">x</p> <i part=part> "[part~=c] input" "[part=d]"
            [".cb [part~=\"e\"]"] <b part=move || "f"> ["[part=", x, "]"]"#;
        assert_eq!(written_parts(source), ["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn only_a_banner_element_holds_no_more_than_the_shops_height() {
        let referral = |mode: Option<&str>| {
            WidgetKind::Referral
                .space()
                .shop_only(|name| mode.filter(|_| name == "mode").map(str::to_owned))
        };
        assert!(referral(Some("banner")));
        assert!(referral(Some(" Banner ")));
        assert!(!referral(None));
        assert!(!referral(Some("advocate")));
        assert!(WidgetKind::Subscribe.space().shop_only(|_| None));
        assert!(!WidgetKind::Loyalty
            .space()
            .shop_only(|_| Some("banner".to_owned())));
        assert_eq!(WidgetKind::Referral.space().to_json(), "\"mode=banner\"");
        assert_eq!(WidgetKind::Loyalty.space().to_json(), "0");
        assert_eq!(WidgetKind::Subscribe.space().to_json(), "1");
    }

    #[test]
    fn kinds_parse_back_and_name_distinct_chunks() {
        for (index, kind) in WidgetKind::ALL.iter().enumerate() {
            assert_eq!(WidgetKind::parse(kind.as_str()), Some(*kind));
            assert!(WidgetKind::ALL[..index]
                .iter()
                .all(|other| other.chunk() != kind.chunk()));
        }
        assert_eq!(WidgetKind::parse("unknown"), None);
    }

    #[test]
    fn every_attribute_is_named_once_and_explained() {
        let check = |element: &str, attributes: &[Attribute]| {
            for (index, attribute) in attributes.iter().enumerate() {
                let name = attribute.name;
                assert!(
                    !name.is_empty()
                        && name.starts_with(|c: char| c.is_ascii_lowercase())
                        && name
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                    "{element}: `{name}` is not a lowercase attribute name"
                );
                assert!(
                    attributes[..index].iter().all(|other| other.name != name),
                    "{element}: `{name}` declared twice"
                );
                let about = attribute.about.trim();
                assert!(
                    about.ends_with('.') && about.len() > 1,
                    "{element}: `{name}` needs a meaning ending with a full stop"
                );
                if let Ty::Enum(words) = attribute.value {
                    assert!(!words.is_empty(), "{element}: `{name}` allows no word");
                }
            }
        };
        check("any", SHARED_ATTRIBUTES);
        for kind in WidgetKind::ALL {
            check(kind.as_str(), kind.attributes());
            for attribute in kind.attributes() {
                assert!(
                    SHARED_ATTRIBUTES
                        .iter()
                        .all(|shared| shared.name != attribute.name),
                    "{}: `{}` is shared by every element",
                    kind.as_str(),
                    attribute.name
                );
            }
        }
    }

    #[test]
    fn the_loader_observes_the_declared_attributes_in_order() {
        let observed = |kind: WidgetKind| kind.observed().collect::<Vec<_>>();
        assert_eq!(observed(WidgetKind::Survey), Vec::<&str>::new());
        assert_eq!(observed(WidgetKind::Referral), ["mode", "signin-url"]);
        assert_eq!(
            observed(WidgetKind::Launcher),
            ["open", "label", "position", "tabs", "avoid"]
        );
        assert!(SHARED_ATTRIBUTES.iter().all(|shared| shared.observed));
    }

    #[test]
    fn every_tab_has_a_distinct_name_and_a_label() {
        let tabbed: Vec<WidgetKind> = WidgetKind::ALL
            .iter()
            .copied()
            .filter(|k| k.tab().is_some())
            .collect();
        assert!(!tabbed.is_empty());
        for (index, kind) in tabbed.iter().enumerate() {
            let label = [kind.as_str(), ".tab"].concat();
            assert!(
                kind.strings().iter().any(|key| key.key() == label),
                "{label} is missing from the {} catalogue",
                kind.as_str()
            );
            assert!(tabbed[..index]
                .iter()
                .all(|other| other.tab() != kind.tab()));
        }
    }
}
