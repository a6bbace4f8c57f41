//! `<comeback-launcher>`: a floating button with the shopper's balance that opens a
//! panel holding the account widgets in tabs (rewards now; referral, subscriptions and
//! help join as they land).
//!
//! The panel is a modal `<dialog>`: the browser traps focus in it, makes the page
//! behind inert, closes it on Esc and hands focus back to the button. Each tab holds
//! its widget's own element (`<comeback-loyalty>`), which the loader mounts the first
//! time its tab is shown; inactive tabs are hidden, never removed, so a widget keeps
//! its state when the shopper switches tabs.
//!
//! Attributes: `open` (a tab name: the panel is open on that tab; removed when the
//! shopper closes it), `label`, `position` (`bottom-right`, the default, or
//! `bottom-left`), `tabs` (which tabs, in order), `avoid` (a CSS selector of the page's
//! own buttons the launcher must not cover), `theme`, `lang`.

pub mod element;
pub mod events;
pub mod model;
pub mod strings;
pub mod style;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, HtmlDialogElement};

use crate::embed::WidgetContext;
use crate::i18n::Common;
use crate::listeners;
use crate::load::{use_load, Loaded, UseLoadReturn};
use crate::theme;
use crate::wire::{get, int, object_of, DecodeError, FromJs};
use model::{Rect, Tab};
use strings::Key;

/// The widget's stylesheet.
pub const CSS: &str = include_css!("widgets/launcher/style.css");

/// The widget as the registry loads it (see [`crate::widgets::Widget`]).
pub fn widget() -> crate::widgets::Widget {
    crate::widgets::Widget {
        view: || LauncherWidget().into_any(),
        css: CSS,
    }
}

/// What the page's own buttons look like to the launcher when `avoid` is not set.
const DEFAULT_AVOID: &str =
    "[data-comeback-avoid],[name=checkout],.checkout-button,#checkout-button,.shopify-payment-button";

#[derive(Debug, Clone, PartialEq, Default)]
struct State {
    /// The open tab; `None` while the panel is closed.
    open: Option<Tab>,
    /// The tab selected in the panel (kept while closed).
    selected: Option<Tab>,
}

#[derive(Clone, Copy)]
struct Launcher {
    ctx: WidgetContext,
    state: RwSignal<State>,
    /// The signed-in shopper's spendable balance (`None` when signed out).
    balance: UseLoadReturn<Option<i64>>,
    dialog: NodeRef<leptos::html::Dialog>,
    button: NodeRef<leptos::html::Button>,
}

/// The launcher. Reads everything from [`WidgetContext`].
#[component]
pub fn LauncherWidget() -> impl IntoView {
    let ctx = WidgetContext::get();
    let widget = Launcher {
        ctx,
        state: RwSignal::new(State::default()),
        balance: use_load(|api, token| async move {
            let Some(token) = token else {
                return Ok(None);
            };
            // The loyalty summary: the loader's closed button already read it, and the
            // widget in the rewards tab reads the same answer (see `api::remember`).
            let summary: Balance = api.get("/loyalty/me", Some(&token)).await?;
            Ok(Some(summary.0))
        }),
        dialog: NodeRef::new(),
        button: NodeRef::new(),
    };
    // The `open` attribute (set by `Comeback.open`, a deep link or the page) drives the
    // panel; the panel removes it again when the shopper closes it.
    Effect::new(move |_| {
        let wanted = ctx.settings.with(|s| s.attr("open").map(str::to_owned));
        widget.show(wanted.as_deref());
    });
    widget.follow_balance();
    widget.keep_clear();
    widget.render()
}

/// The one field of the loyalty summary the button shows.
struct Balance(i64);

impl FromJs for Balance {
    fn from_js(value: &JsValue) -> Result<Balance, DecodeError> {
        int(value, "balance").map(Balance)
    }
}

impl Launcher {
    fn tabs(self) -> Vec<Tab> {
        self.ctx.settings.with(|s| model::tabs(s.attr("tabs")))
    }

    /// Keeps the balance on the button in step with the widgets in the panel.
    fn follow_balance(self) {
        let update = move |event: web_sys::Event| {
            let detail = event
                .dyn_ref::<web_sys::CustomEvent>()
                .map(|e| e.detail())
                .unwrap_or(JsValue::UNDEFINED);
            if let Some(balance) = get(&detail, "balance").as_f64().map(|b| b as i64) {
                let shown = self.balance.state.try_with_untracked(|l| l.clone());
                if shown != Some(Loaded::Ready(Some(balance))) {
                    self.balance.set.try_set(Loaded::Ready(Some(balance)));
                }
            }
        };
        let loaded = listeners::on_window(crate::widgets::loyalty::events::LOADED, update);
        let redeemed = listeners::on_window(crate::widgets::loyalty::events::REDEEMED, update);
        on_cleanup(move || {
            loaded.remove();
            redeemed.remove();
        });
    }

    /// Opens the panel on the tab `wanted` names (the first tab for an unknown name), or
    /// closes it for `None`.
    fn show(self, wanted: Option<&str>) {
        let Some(dialog) = self.dialog.get_untracked() else {
            return;
        };
        match wanted.and_then(|name| model::tab_to_open(name, &self.tabs())) {
            Some(tab) => {
                self.state.update(|s| {
                    s.open = Some(tab);
                    s.selected = Some(tab);
                });
                if !dialog.open() {
                    // Only fails when the dialog is not connected; the panel stays shut.
                    if dialog.show_modal().is_ok() {
                        let detail = object_of(&[("tab", model::tab_name(tab).into())]);
                        self.ctx.emit(events::OPEN, &detail, false);
                    }
                }
                self.focus_tab(tab);
            }
            None if dialog.open() => dialog.close(),
            None => {}
        }
    }

    fn open(self, tab: Tab) {
        self.set_open_attr(Some(model::tab_name(tab)));
        self.show(Some(model::tab_name(tab)));
    }

    /// After the dialog closed (close button, Esc or a click on the backdrop).
    fn closed(self) {
        self.state.update(|s| s.open = None);
        self.set_open_attr(None);
        self.ctx.emit(events::CLOSE, &JsValue::NULL, false);
        if let Some(button) = self.button.get_untracked() {
            let _ = button.focus();
        }
    }

    fn set_open_attr(self, tab: Option<&str>) {
        let Some(host) = self.host() else {
            return;
        };
        let _ = match tab {
            Some(tab) => host.set_attribute("open", tab),
            None => host.remove_attribute("open"),
        };
    }

    fn host(self) -> Option<web_sys::Element> {
        let dialog: HtmlDialogElement = self.dialog.get_untracked()?;
        let root = dialog
            .get_root_node()
            .dyn_into::<web_sys::ShadowRoot>()
            .ok()?;
        Some(root.host())
    }

    fn select(self, tab: Tab) {
        self.state.update(|s| {
            s.selected = Some(tab);
            if s.open.is_some() {
                s.open = Some(tab);
            }
        });
        self.set_open_attr(Some(model::tab_name(tab)));
        self.focus_tab(tab);
    }

    fn focus_tab(self, tab: Tab) {
        self.ctx
            .focus_later(["[role=tab][data-tab=", model::tab_name(tab), "]"].concat());
    }

    /// Moves the button up while it would cover one of the page's own buttons (a
    /// checkout bar on a phone, say), checking on scroll and resize.
    fn keep_clear(self) {
        let sheet = self.host_sheet();
        let pending = StoredValue::new(false);
        // The lift applied now, in whole pixels (integers keep float formatting and
        // parsing out of the bundle).
        let applied = StoredValue::new(0_i64);
        let check = move |_: web_sys::Event| {
            if pending.get_value() {
                return;
            }
            pending.set_value(true);
            let sheet = sheet.clone();
            request_animation_frame(move || {
                pending.set_value(false);
                let now = applied.get_value();
                if let (Some(sheet), Some(lift)) = (&sheet, self.measure_lift(now)) {
                    let lift = lift.round() as i64;
                    if lift != now {
                        applied.set_value(lift);
                        let rule = [":host{--cb-lift:", &lift.to_string(), "px}"].concat();
                        let _ = sheet.replace_sync(&rule);
                    }
                }
            });
        };
        let scroll = listeners::on_window("scroll", check.clone());
        let resize = listeners::on_window("resize", check.clone());
        // The first check once the button is on screen.
        set_timeout(
            move || {
                if let Ok(event) = web_sys::Event::new("resize") {
                    check(event);
                }
            },
            std::time::Duration::ZERO,
        );
        on_cleanup(move || {
            scroll.remove();
            resize.remove();
        });
    }

    /// A stylesheet of the launcher's own, adopted after the others, for the lift.
    fn host_sheet(self) -> Option<CssStyleSheet> {
        let sheet = CssStyleSheet::new().ok()?;
        let root = self.ctx.shadow_root()?;
        theme::add(&root, &sheet);
        Some(sheet)
    }

    /// How far the button must rise, measured against the page as it is now, while it
    /// is raised by `lifted` pixels.
    fn measure_lift(self, lifted: i64) -> Option<f64> {
        let window = web_sys::window()?;
        let document = window.document()?;
        let host = self.host()?;
        let current = host.get_bounding_client_rect();
        let height = window.inner_height().ok()?.as_f64()?;
        // Measure from where the button sits without any lift.
        let lifted = lifted as f64;
        let button = Rect {
            left: current.left(),
            top: current.top() + lifted,
            right: current.right(),
            bottom: current.bottom() + lifted,
        };
        let selector = self
            .ctx
            .settings
            .with_untracked(|s| s.attr("avoid").unwrap_or(DEFAULT_AVOID).to_owned());
        let found = document.query_selector_all(&selector).ok()?;
        let obstacles: Vec<Rect> = (0..found.length())
            .filter_map(|index| found.item(index))
            .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
            .map(|element| {
                let r = element.get_bounding_client_rect();
                Rect {
                    left: r.left(),
                    top: r.top(),
                    right: r.right(),
                    bottom: r.bottom(),
                }
            })
            .collect();
        Some(model::lift(button, &obstacles, height))
    }

    /// A focus guard was reached. Tabbing out of the panel's last control wraps to the
    /// start and Shift+Tab out of its first wraps to the end (`to_start` says which
    /// guard); focus arriving from outside (the dialog opening) goes to the start.
    fn guard(self, event: web_sys::FocusEvent, to_start: bool) {
        let from_inside = event
            .related_target()
            .and_then(|target| target.dyn_into::<web_sys::Node>().ok())
            .zip(self.dialog.get_untracked())
            .is_some_and(|(node, dialog)| dialog.contains(Some(&node)));
        self.wrap_focus(to_start || !from_inside);
    }

    /// Moves focus to the panel's first control (`to_start`) or its last one, looking
    /// inside the nested widgets' shadow roots.
    fn wrap_focus(self, to_start: bool) {
        let Some(dialog) = self.dialog.get_untracked() else {
            return;
        };
        let target = if to_start {
            dialog
                .query_selector("[role=tab][tabindex='0']")
                .ok()
                .flatten()
        } else {
            dialog
                .query_selector("[role=tabpanel]:not([hidden])")
                .ok()
                .flatten()
                .and_then(|panel| last_focusable(&panel.query_selector_all("*").ok()?))
        };
        let target = target.or_else(|| dialog.query_selector("[part=close-button]").ok().flatten());
        if let Some(target) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = target.focus();
        }
    }

    /// The tab selected in the panel, among the tabs shown.
    fn selected(self, tabs: &[Tab]) -> Option<Tab> {
        self.state
            .with(|s| s.selected)
            .filter(|tab| tabs.contains(tab))
            .or_else(|| tabs.first().copied())
    }

    fn label(self, s: &crate::i18n::Strings) -> String {
        self.ctx
            .settings
            .with(|st| st.attr("label").map(str::to_owned))
            .unwrap_or_else(|| s.get(Key::Rewards).to_owned())
    }

    /// The floating button: re-rendered as a whole when the balance, label or locale
    /// change (the node itself is kept).
    fn button(self) -> impl IntoView {
        let s = self.ctx.strings();
        let label = self.label(&s);
        let open = self.state.with(|st| st.open.is_some());
        let balance = match self.balance.state.get() {
            Loaded::Ready(balance) => balance,
            Loaded::Loading | Loaded::Failed(_) => None,
        };
        let balance = balance.map(|points| s.points(points));
        let selected = self.selected(&self.tabs());
        view! {
            <button type="button" class="cb-launcher__button" part="launcher-button"
                node_ref=self.button aria-haspopup="dialog"
                aria-expanded=if open { "true" } else { "false" }
                on:click=move |_| {
                    if let Some(tab) = selected {
                        self.open(tab);
                    }
                }>
                {icon()}
                // The name comes from the visible text (WCAG 2.5.3), spaced for readers.
                <span class="cb-launcher__label">{label}</span>{" "}
                {balance.map(|points| view! { <span class="cb-launcher__balance" part="launcher-balance">{points}</span> })}
            </button>
        }
    }

    fn tab_list(self) -> impl IntoView {
        let s = self.ctx.strings();
        let tabs = self.tabs();
        let selected = self.selected(&tabs);
        let count = tabs.len();
        let buttons = tabs
            .iter()
            .enumerate()
            .map(|(index, &tab)| {
                let on = Some(tab) == selected;
                let all = tabs.clone();
                let name = model::tab_name(tab);
                let label = s.get_named(&[tab.as_str(), ".tab"].concat()).to_owned();
                view! {
                    <button type="button" role="tab" part="tab" data-tab=name
                        id=["cb-tab-", name].concat()
                        aria-controls=["cb-panel-", name].concat()
                        aria-selected=if on { "true" } else { "false" }
                        tabindex=if on { "0" } else { "-1" }
                        on:click=move |_| self.select(tab)
                        on:keydown=move |ev| {
                            if let Some(next) = model::tab_after_key(&ev.key(), index, count) {
                                ev.prevent_default();
                                self.select(all[next]);
                            }
                        }>
                        {label}
                    </button>
                }
            })
            .collect_view();
        view! {
            <div role="tablist" class="cb-launcher__tabs" part="tabs" aria-label=s.get(Key::Tabs).to_owned()>
                {buttons}
            </div>
            <button type="button" class="cb-btn cb-btn--quiet cb-launcher__close" part="close-button"
                aria-label=s.get(Common::Close).to_owned()
                on:click=move |_| {
                    if let Some(dialog) = self.dialog.get_untracked() {
                        dialog.close();
                    }
                }>
                "×"
            </button>
        }
    }

    /// The tab panels, built once: each holds its widget element for the whole life of
    /// the launcher (re-creating it would mount the widget again), and only its
    /// `hidden` attribute follows the selected tab.
    fn panels(self) -> impl IntoView {
        let (tabs, theme, lang) = self.ctx.settings.with_untracked(|st| {
            (
                model::tabs(st.attr("tabs")),
                st.attr("theme").map(str::to_owned),
                st.attr("lang").map(str::to_owned),
            )
        });
        tabs.into_iter()
            .map(|tab| {
                let name = model::tab_name(tab);
                view! {
                    <div role="tabpanel" part="tab-panel" id=["cb-panel-", name].concat()
                        aria-labelledby=["cb-tab-", name].concat()
                        hidden=move || self.selected(&self.tabs()) != Some(tab)>
                        {embedded(tab, theme.clone(), lang.clone())}
                    </div>
                }
            })
            .collect_view()
    }

    fn render(self) -> impl IntoView {
        let root_class = move || {
            let theme = self.ctx.settings.with(|st| st.theme.class());
            ["cb-root cb-launcher ", theme].concat()
        };
        let locale = move || self.ctx.settings.with(|st| st.locale.as_str());
        let label = move || self.label(&self.ctx.strings());
        view! {
            <div class=root_class part="root" lang=locale>
                {move || self.button()}
                <dialog class="cb-launcher__panel" part="panel" node_ref=self.dialog
                    aria-label=label
                    on:close=move |_| self.closed()
                    on:click=move |ev| {
                        // A click on the backdrop lands on the dialog itself.
                        let target = ev.target();
                        let dialog = self.dialog.get_untracked();
                        if let (Some(target), Some(dialog)) = (target, dialog) {
                            if target.unchecked_ref::<JsValue>() == dialog.unchecked_ref::<JsValue>() {
                                dialog.close();
                            }
                        }
                    }>
                    // Focus guards: the browser lets Tab leave a modal dialog for its own
                    // toolbar, so reaching either edge wraps round to the other.
                    <span tabindex="0" class="cb-sr-only" on:focus=move |ev| self.guard(ev, false)></span>
                    <div class="cb-launcher__head">{move || self.tab_list()}</div>
                    {self.panels()}
                    <span tabindex="0" class="cb-sr-only" on:focus=move |ev| self.guard(ev, true)></span>
                </dialog>
            </div>
        }
    }
}

/// What the keyboard can reach.
const FOCUSABLE: &str = "button:not([disabled]),[href],input:not([disabled]),\
select:not([disabled]),textarea:not([disabled]),[tabindex]:not([tabindex='-1'])";

/// The last focusable, visible element among `nodes` (in document order), descending
/// into open shadow roots.
fn last_focusable(nodes: &web_sys::NodeList) -> Option<web_sys::Element> {
    let mut last = None;
    for index in 0..nodes.length() {
        let Some(element) = nodes
            .item(index)
            .and_then(|node| node.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let shown = element.get_bounding_client_rect().width() > 0.0;
        if shown && element.matches(FOCUSABLE).unwrap_or(false) {
            last = Some(element.clone());
        }
        if let Some(inner) = element
            .shadow_root()
            .and_then(|root| root.query_selector_all("*").ok())
            .and_then(|inner| last_focusable(&inner))
        {
            last = Some(inner);
        }
    }
    last
}

/// The widget element a tab holds, passing on the launcher's theme and language.
fn embedded(tab: Tab, theme: Option<String>, lang: Option<String>) -> impl IntoView {
    leptos::html::custom(["comeback-", tab.as_str()].concat())
        .attr("theme", theme)
        .attr("lang", lang)
}

/// The gift icon's outline. An expression rather than a literal in the view: leptos creates
/// a subtree of literals only from an HTML string (`innerHTML` on a `<template>`), which
/// pages requiring Trusted Types block.
const GIFT_ICON: &str = "M20 7h-2.2A3 3 0 0 0 12 4.2 3 3 0 0 0 6.2 7H4a1 1 0 0 0-1 1v3a1 1 0 0 0 1 1h1v7a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-7h1a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1Zm-7-.5A1.5 1.5 0 1 1 14.5 8H13ZM9.5 5A1.5 1.5 0 0 1 11 6.5V8H9.5a1.5 1.5 0 0 1 0-3ZM5 9h6v1H5Zm2 3h4v6H7Zm10 6h-4v-6h4Zm2-8h-6V9h6Z";

fn icon() -> impl IntoView {
    view! {
        <svg class="cb-launcher__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=GIFT_ICON/>
        </svg>
    }
}
