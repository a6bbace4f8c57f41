//! The embed boundary: what `loader.js` calls.
//!
//! [`mount`] validates the configuration, replaces the loader's skeleton with the
//! widget's root inside the element's shadow root, adopts the widget's stylesheets and
//! renders the widget with everything it needs in context. [`MountHandle::update`]
//! pushes changed attributes, token, locale or appearance; [`MountHandle::unmount`]
//! aborts requests and removes the widget. A panic anywhere shows the polite fallback
//! in every mounted widget and fires `comeback:error`; it never throws into the page.

use std::cell::RefCell;

use comeback_core::Locale;
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::tachys::view::any_view::AnyViewState;
use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, Element, HtmlElement, ShadowRoot};

use crate::api::{self, ApiClient, ApiError};
use crate::config::{Config, Settings};
use crate::events;
use crate::i18n::{Common, Strings};
use crate::theme;
use crate::ui;
use crate::widgets::{self, Widget, WidgetKind};

thread_local! {
    /// Roots of mounted widgets with their locale, so the panic hook can show a fallback.
    static MOUNTED: RefCell<Vec<(Element, Locale)>> = const { RefCell::new(Vec::new()) };
}

/// Installs the panic hook once, when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| after_panic(&info.to_string())));
}

/// What the panic hook does: every mounted widget shows the polite fallback in its
/// locale, the console gets the message, and `comeback:error` (code `panic`) fires on
/// `document`. Nothing is thrown into the page. Public so the browser tests can check
/// it without crashing their own test runner.
///
/// The instance is dead afterwards (`panic = "abort"`), so nothing may call into it
/// again: the listeners on `window` and `document` are detached, each mounted root's
/// content (and with it every element listener) is replaced by the fallback node, and
/// the loader stops calling once it sees the event.
pub fn after_panic(message: &str) {
    // The event first: the loader must know the instance is dead before the fallback
    // below disconnects nested widget elements, whose callbacks would call back in.
    web_sys::console::error_1(&JsValue::from_str(message));
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        let detail = events::error_detail("runtime", "panic", message);
        events::emit(&document, events::ERROR, &detail, false);
    }
    crate::listeners::detach_all();
    // A RefCell already borrowed while panicking must not panic again.
    let roots = MOUNTED.with(|mounted| {
        mounted
            .try_borrow_mut()
            .map(|mut m| std::mem::take(&mut *m))
    });
    for (root, locale) in roots.unwrap_or_default() {
        let fallback = root
            .owner_document()
            .and_then(|d| d.create_element("p").ok());
        match fallback {
            Some(fallback) => {
                let _ = fallback.set_attribute("part", "fallback");
                let _ = fallback.set_attribute("role", "status");
                fallback.set_text_content(Some(crate::i18n::unavailable(locale)));
                root.set_text_content(None);
                let _ = root.append_child(&fallback);
            }
            None => root.set_text_content(Some(crate::i18n::unavailable(locale))),
        }
    }
}

/// What every component of one widget can reach through context.
#[derive(Clone, Copy)]
pub struct WidgetContext {
    /// The widget kind.
    pub kind: WidgetKind,
    /// Settings that may change while mounted.
    pub settings: RwSignal<Settings>,
    /// The customer token alone, so a locale or theme change does not refetch data.
    pub token: Memo<Option<String>>,
    io: StoredValue<Io, LocalStorage>,
}

/// The widget's links to the outside: its API client and its host element.
struct Io {
    api: ApiClient,
    host: HtmlElement,
}

impl WidgetContext {
    /// The context of the widget being rendered.
    pub fn get() -> WidgetContext {
        expect_context::<WidgetContext>()
    }

    /// The current customer token (tracked).
    pub fn token(&self) -> Option<String> {
        self.token.get()
    }

    /// Catalogue strings for the current locale with the merchant's overrides (tracked).
    pub fn strings(&self) -> Strings {
        self.settings.with(|s| {
            let overrides = s.strings.iter().find(|(tag, _)| tag == s.locale.as_str());
            Strings::new(s.locale, overrides.map(|(_, pairs)| pairs), &s.catalogue)
        })
    }

    /// The widget's API client.
    pub fn api(&self) -> ApiClient {
        self.io.with_value(|io| io.api.clone())
    }

    /// Fires a widget event on the host element; see [`events::emit`].
    pub fn emit(&self, name: &str, detail: &JsValue, cancelable: bool) -> bool {
        self.io
            .with_value(|io| events::emit(&io.host, name, detail, cancelable))
    }

    /// The widget's element in the page. Only for what a widget keeps in the page on
    /// purpose (the subscribe toggle's hidden form field): everything else it shows stays
    /// in its shadow root.
    pub fn host(&self) -> HtmlElement {
        self.io.with_value(|io| io.host.clone())
    }

    /// The shadow root the widget renders into.
    pub fn shadow_root(&self) -> Option<ShadowRoot> {
        self.io.with_value(|io| io.host.shadow_root())
    }

    /// Focuses the first element of the widget matching `selector`, once the view has
    /// caught up with the state change that asked for it.
    pub fn focus_later(&self, selector: String) {
        let Some(root) = self.shadow_root() else {
            return;
        };
        set_timeout(
            move || {
                let found = root.query_selector(&selector).ok().flatten();
                if let Some(element) = found.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                    let _ = element.focus();
                }
            },
            std::time::Duration::ZERO,
        );
    }

    /// Reports a failure: `comeback:error` on the element (it bubbles to `document`) and a
    /// console warning for the shop's developer.
    pub fn report(&self, error: &ApiError) {
        if matches!(error, ApiError::Aborted) {
            return;
        }
        let message = error.to_string();
        web_sys::console::warn_1(&JsValue::from_str(&["Comeback: ", &message].concat()));
        let detail = events::error_detail(self.kind.as_str(), error.code(), &message);
        self.emit(events::ERROR, &detail, false);
    }
}

struct Mounted {
    view: leptos::mount::UnmountHandle<AnyViewState>,
    settings: RwSignal<Settings>,
    api: ApiClient,
    appearance: CssStyleSheet,
    root: Element,
}

/// A mounted widget, owned by the loader.
#[wasm_bindgen]
pub struct MountHandle {
    kind: WidgetKind,
    shadow: ShadowRoot,
    host: HtmlElement,
    mounted: Option<Mounted>,
}

/// Mounts the widget `kind` (`loyalty`) into `shadow_root` of `host` with `config`
/// (`{shop, api, token, locales, theme, attrs, strings, appearance}`). Throws only for an
/// unknown kind; a bad configuration shows a fallback, fires `comeback:error` and can be
/// fixed later with `update`.
#[wasm_bindgen]
pub fn mount(
    kind: &str,
    shadow_root: ShadowRoot,
    host: HtmlElement,
    config: JsValue,
) -> Result<MountHandle, JsError> {
    let kind = WidgetKind::parse(kind)
        .ok_or_else(|| JsError::new(&["Comeback: unknown widget `", kind, "`"].concat()))?;
    let mut handle = MountHandle {
        kind,
        shadow: shadow_root,
        host,
        mounted: None,
    };
    handle.update(config);
    Ok(handle)
}

#[wasm_bindgen]
impl MountHandle {
    /// Applies a new configuration: the widget reacts to the changed settings. If the
    /// widget could not mount before (bad configuration), it tries again.
    pub fn update(&mut self, config: JsValue) {
        let js_config = config;
        let config = match Config::from_js(&js_config) {
            Ok(config) => config,
            Err(error) => {
                self.unmount();
                self.show_config_error(&error.to_string());
                return;
            }
        };
        // Reads the loader already made for this page (the closed launcher's summary).
        let prefetched = crate::wire::get(&js_config, "prefetched");
        if prefetched.is_object() {
            let token = config.settings.token.as_deref();
            for entry in js_sys::Object::entries(prefetched.unchecked_ref()).iter() {
                let pair: js_sys::Array = entry.unchecked_into();
                if let Some(path) = pair.get(0).as_string() {
                    api::remember(
                        &[config.api_base.as_str(), &path].concat(),
                        token,
                        pair.get(1),
                    );
                }
            }
        }
        for warning in &config.warnings {
            web_sys::console::warn_1(&JsValue::from_str(&["Comeback: ", warning].concat()));
        }
        match &self.mounted {
            Some(mounted) if mounted.api_matches(&config) => {
                // Replacing the text of an adopted sheet cannot fail for plain CSS text;
                // rules the browser rejects are simply dropped by it.
                let _ = mounted
                    .appearance
                    .replace_sync(&config.settings.appearance_css);
                let settings = config.settings;
                if mounted.settings.with_untracked(|s| s != &settings) {
                    mounted.settings.set(settings);
                }
            }
            _ => {
                self.unmount();
                if let Err(error) = self.mount_fresh(config) {
                    self.show_config_error(&error);
                }
            }
        }
    }

    /// Aborts the widget's requests and removes it from the shadow root.
    pub fn unmount(&mut self) {
        if let Some(mounted) = self.mounted.take() {
            mounted.api.close();
            MOUNTED.with(|m| m.borrow_mut().retain(|(root, _)| root != &mounted.root));
            drop(mounted.view);
            mounted.root.remove();
        }
    }
}

impl Mounted {
    fn api_matches(&self, config: &Config) -> bool {
        self.root.get_attribute("data-api").as_deref() == Some(config.api_base.as_str())
    }
}

impl MountHandle {
    fn mount_fresh(&mut self, config: Config) -> Result<(), String> {
        let js_error = |e: JsValue| e.as_string().unwrap_or_else(|| "DOM error".into());
        let document = self
            .host
            .owner_document()
            .ok_or("element has no document")?;
        let base = theme::sheet(theme::BASE_CSS).map_err(js_error)?;
        let appearance = theme::sheet(&config.settings.appearance_css).map_err(js_error)?;
        // A floating widget keeps the loader's facade (its look and its sheet) until its
        // own view is ready, so the page never sees it blink; the rest swap the skeleton
        // for the runtime's at once. `textContent = null` empties the root without an
        // HTML sink (Trusted Types).
        if !self.kind.floating() {
            theme::adopt(&self.shadow, &[&base, &appearance]);
            self.shadow.set_text_content(None);
        }
        let root = document.create_element("div").map_err(js_error)?;
        root.set_class_name("cb-mount");
        let _ = root.set_attribute("data-api", &config.api_base);
        self.shadow.append_child(&root).map_err(js_error)?;
        let container: HtmlElement = root.clone().unchecked_into();

        let api = ApiClient::new(&config.api_base);
        let locale = config.settings.locale;
        let settings = RwSignal::new(config.settings);
        let kind = self.kind;
        let host = self.host.clone();
        let client = api.clone();
        let sheets = Sheets {
            shadow: self.shadow.clone(),
            base,
            appearance: appearance.clone(),
        };
        let view = mount_to(container, move || {
            let token = Memo::new(move |_| settings.with(|s| s.token.clone()));
            let ctx = WidgetContext {
                kind,
                token,
                io: StoredValue::new_local(Io { api: client, host }),
                settings,
            };
            provide_context(ctx);
            render_when_loaded(ctx, sheets).into_any()
        });
        MOUNTED.with(|m| m.borrow_mut().push((root.clone(), locale)));
        self.mounted = Some(Mounted {
            view,
            settings,
            api,
            appearance,
            root,
        });
        Ok(())
    }

    fn show_config_error(&self, message: &str) {
        web_sys::console::warn_1(&JsValue::from_str(&["Comeback: ", message].concat()));
        let detail = events::error_detail(self.kind.as_str(), "config", message);
        events::emit(&self.host, events::ERROR, &detail, false);
        if let Ok(sheet) = theme::sheet(theme::BASE_CSS) {
            theme::adopt(&self.shadow, &[&sheet]);
        }
        self.shadow.set_text_content(None);
        if let Some(document) = self.host.owner_document() {
            if let Ok(root) = document.create_element("div") {
                root.set_class_name("cb-root cb-fallback");
                let _ = root.set_attribute("part", "root fallback");
                let _ = root.set_attribute("role", "status");
                root.set_text_content(Some(crate::i18n::NOT_SET_UP));
                let _ = self.shadow.append_child(&root);
            }
        }
    }
}

/// The shadow root of a mount and the sheets the runtime adopts into it.
struct Sheets {
    shadow: ShadowRoot,
    base: CssStyleSheet,
    appearance: CssStyleSheet,
}

impl Sheets {
    /// Adopts base, widget and appearance sheets in that order (the shop's appearance
    /// rules win), and removes whatever the loader drew before the widget (a facade):
    /// if the shopper had focus on it, the widget's element with the same `part` gets it.
    fn widget_ready(&self, widget: &Widget) {
        let Ok(own) = theme::sheet(widget.css) else {
            web_sys::console::warn_1(&"Comeback: a widget stylesheet was rejected".into());
            return;
        };
        theme::adopt(&self.shadow, &[&self.base, &own, &self.appearance]);
        let focused_part = self
            .shadow
            .active_element()
            .and_then(|element| element.get_attribute("part"));
        let children = self.shadow.children();
        for index in (0..children.length()).rev() {
            if let Some(child) = children.item(index) {
                if !child.class_list().contains("cb-mount") {
                    child.remove();
                }
            }
        }
        if let Some(part) = focused_part {
            let selector = [".cb-mount [part~=\"", &part, "\"]"].concat();
            let shadow = self.shadow.clone();
            // After the view has rendered into the mount.
            set_timeout(
                move || {
                    let found = shadow.query_selector(&selector).ok().flatten();
                    if let Some(element) = found.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                        let _ = element.focus();
                    }
                },
                std::time::Duration::ZERO,
            );
        }
    }
}

/// The widget's view once its code has loaded (in a split build, its chunk is fetched
/// the first time any element of its kind mounts). Until then a skeleton holds the
/// widget's place (a floating widget keeps the loader's facade); if the chunk cannot
/// load, the polite fallback offers to try again. The view is built here, inside the
/// mount's reactive owner, never inside the chunk's loader.
fn render_when_loaded(ctx: WidgetContext, sheets: Sheets) -> impl IntoView {
    let loaded: RwSignal<Option<Result<Widget, widgets::LoadError>>> = RwSignal::new(None);
    let attempt = RwSignal::new(0u32);
    let sheets = std::rc::Rc::new(sheets);
    Effect::new(move |_| {
        attempt.track();
        let sheets = sheets.clone();
        leptos::task::spawn_local(async move {
            let result = widgets::load(ctx.kind).await;
            match &result {
                Ok(widget) => sheets.widget_ready(widget),
                Err(error) => ctx.report(&crate::api::ApiError::Network(error.to_string())),
            }
            loaded.try_set(Some(result));
        });
    });
    // Until the widget's view is there, a root of the same reserved height as the
    // loader's skeleton holds its place, so nothing on the page moves twice.
    let placeholder = move |inner: AnyView| {
        let theme = ctx.settings.with(|s| s.theme.class());
        view! { <div class=["cb-root ", theme].concat() part="root">{inner}</div> }.into_any()
    };
    move || match loaded.get() {
        Some(Ok(widget)) => (widget.view)(),
        Some(Err(_)) => {
            let strings = ctx.strings();
            placeholder(
                ui::fallback(
                    strings.get(Common::Unavailable).to_owned(),
                    strings.get(Common::Retry).to_owned(),
                    move || attempt.update(|n| *n += 1),
                )
                .into_any(),
            )
        }
        None if ctx.kind.floating() => ().into_any(),
        // A widget that often shows nothing keeps only the shop's reservation, as the
        // loader's skeleton did (`WidgetKind::space`).
        None if ctx
            .kind
            .space()
            .shop_only(|name| ctx.settings.with(|s| s.attr(name).map(str::to_owned))) =>
        {
            view! { <div class="cb-compact" aria-busy="true"></div> }.into_any()
        }
        None => placeholder(ui::skeleton(ctx.strings().get(Common::Loading).to_owned()).into_any()),
    }
}

impl Drop for MountHandle {
    fn drop(&mut self) {
        self.unmount();
    }
}
