//! The registry: the one list of widgets this bundle can mount.
//!
//! Each widget lives in its own folder (`mod.rs` view, `model.rs` pure logic,
//! `strings.rs` its catalogue, `events.rs` its event names, `wire.rs` its response
//! decoders, `style.css`) and exports `fn widget() -> Widget`. The one [`registry!`] call
//! below is everything else the platform knows about it: the kind, the attributes its
//! element reacts to, and the wasm chunk its code is split into. The runtime (`embed`,
//! `api`, `theme`, `i18n`, `events`, `ui`) names no widget, and `loader.js` gets its
//! list of elements from this registry at build time (`scripts/bundle_data.rs`).
//!
//! With the `split` feature (the default), each widget's chunk is loaded on demand:
//! `wasm-split-cli` cuts the linked module at each `load_*` function, and a page fetches
//! only the chunks of the elements it holds. Without it, the same source builds one
//! module, the fallback should a toolchain update break splitting.

pub mod help;
pub mod launcher;
pub mod loyalty;
pub mod recommendations;
pub mod subscribe;
pub mod subscriptions;

use leptos::prelude::AnyView;

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

/// Declares the widget kinds. Per entry: the variant, the module, the name of its
/// chunk (an identifier: `wasm-split-cli` names the chunk file after it), and the
/// attributes its element observes besides `theme` and `lang`; `floating` widgets sit over
/// the page, so they reserve no space and start as soon as their element is connected
/// instead of when it nears the viewport; `tab` names the widget's tab in the launcher's
/// panel (`Some("rewards")`), or `None` for a widget the panel does not hold, and
/// `tab_by_default` whether the panel shows it when the launcher's `tabs` attribute is
/// absent. A tab's label is the widget's `<kind>.tab` string. `reserves_space` says
/// whether the loader's skeleton holds the widget's place (`--comeback-min-height`,
/// 320px by default) while its code loads; a widget that often shows nothing (the
/// subscribe toggle on a product no plan covers) holds only what the shop sets.
macro_rules! registry {
    ($(
        $(#[$doc:meta])*
        $variant:ident {
            module: $module:ident,
            chunk: $chunk:ident,
            attributes: [$($attr:literal),* $(,)?],
            floating: $floating:literal,
            tab: $tab:expr,
            tab_by_default: $tab_by_default:literal,
            reserves_space: $reserves_space:literal $(,)?
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

            /// The attributes the element observes besides `theme` and `lang`.
            pub fn attributes(self) -> &'static [&'static str] {
                match self {
                    $( WidgetKind::$variant => &[$($attr),*], )*
                }
            }

            /// Whether the widget floats over the page: no reserved space, starts at once.
            pub fn floating(self) -> bool {
                match self {
                    $( WidgetKind::$variant => $floating, )*
                }
            }

            /// Whether the loader's skeleton reserves the default height while the code
            /// loads (otherwise only the shop's `--comeback-min-height`).
            pub fn reserves_space(self) -> bool {
                match self {
                    $( WidgetKind::$variant => $reserves_space, )*
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

            /// Every event name the kind fires, for the README table and the tests.
            pub fn events(self) -> &'static [&'static str] {
                match self {
                    $( WidgetKind::$variant => $module::events::ALL, )*
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
        attributes: ["join-url", "signin-url"],
        floating: false,
        tab: Some("rewards"),
        tab_by_default: true,
        reserves_space: true,
    }
    /// `<comeback-help>`: article search, troubleshooting trees, contact form.
    Help {
        module: help,
        chunk: widget_help,
        attributes: ["wizard", "suggest"],
        floating: false,
        tab: Some("help"),
        tab_by_default: false,
        reserves_space: true,
    }
    /// `<comeback-recommendations>`: product cards (bought together, for you, buy again,
    /// best sellers, trending, new) with "Add to cart" events for the shop's cart.
    Recommendations {
        module: recommendations,
        chunk: widget_recommendations,
        attributes: ["kind", "product", "limit", "min", "exclude"],
        floating: false,
        tab: None,
        tab_by_default: false,
        reserves_space: true,
    }
    /// `<comeback-subscribe>`: one-time purchase or subscribe and save on the product
    /// page, written into the product form's hidden field for the shop's cart.
    Subscribe {
        module: subscribe,
        chunk: widget_subscribe,
        attributes: ["product", "field"],
        floating: false,
        tab: None,
        tab_by_default: false,
        reserves_space: false,
    }
    /// `<comeback-subscriptions>`: the signed-in shopper's subscriptions, to skip,
    /// deliver now, change, pause, resume or cancel (in two clicks).
    Subscriptions {
        module: subscriptions,
        chunk: widget_subscriptions,
        attributes: ["signin-url"],
        floating: false,
        tab: Some("subscriptions"),
        tab_by_default: false,
        reserves_space: true,
    }
    /// `<comeback-launcher>`: the floating button and the panel holding, one tab each,
    /// the widgets with a `tab`. It floats over the page, so it reserves no space and
    /// starts at once.
    Launcher {
        module: launcher,
        chunk: widget_launcher,
        attributes: ["open", "label", "position", "tabs", "avoid"],
        floating: true,
        tab: None,
        tab_by_default: false,
        reserves_space: false,
    }
}

#[cfg(test)]
mod tests {
    use comeback_core::Locale;

    use super::WidgetKind;
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

    #[test]
    fn kinds_parse_back_and_name_distinct_chunks() {
        for (index, kind) in WidgetKind::ALL.iter().enumerate() {
            assert_eq!(WidgetKind::parse(kind.as_str()), Some(*kind));
            assert!(WidgetKind::ALL[..index]
                .iter()
                .all(|other| other.chunk() != kind.chunk()));
            assert!(kind
                .attributes()
                .iter()
                .all(|a| *a != "theme" && *a != "lang"));
        }
        assert_eq!(WidgetKind::parse("unknown"), None);
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
