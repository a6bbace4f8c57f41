//! `<comeback-subscriptions>`: the signed-in shopper's subscriptions (also the launcher's
//! `subscriptions` tab). Each shows its product, next delivery, quantity, interval, price
//! per delivery and status, with the actions its status allows: skip the next delivery,
//! deliver now, change the interval or quantity, pause until a date (2, 4 or 8 weeks,
//! each with the delivery it leads to), resume, cancel. Cancelled ones sit below,
//! collapsed.
//!
//! Cancelling takes two clicks from the list: "Cancel subscription" opens an inline
//! confirmation (an optional reason and comment, and the shop's save offer once, as a
//! secondary button), and "Confirm cancellation" sends it. Every change is shown at once
//! and confirmed or explained in the notice on top; a change the server refuses is
//! rolled back with the reason in the shopper's language. Each press sends its own
//! `Idempotency-Key`, and "Try again" after a failure to reach the server sends the same
//! one, so the server replays rather than repeats. Answers for an earlier shopper or
//! language are never shown ([`crate::load`]). Signed-out shoppers are invited to sign in,
//! as in the loyalty widget.
//!
//! Attributes: `signin-url`, `theme`, `lang`. Parts: `root`, `notice`, `list`,
//! `subscription`, `image`, `title`, `status`, `next`, `price`, `actions`, the buttons
//! (`skip-button`, `deliver-now-button`, `change-button`, `pause-button`,
//! `resume-button`, `cancel-button`, `confirm-cancel-button`, `save-offer-button`,
//! `keep-button`, `close-button`, `save-button`, `confirm-pause-button`,
//! `retry-button`), `reason`, `change-form`, `pause-form`, `cancel-panel`,
//! `cancelled`, `signed-out`.

pub mod element;
pub mod events;
pub mod model;
mod panels;
pub mod strings;
pub mod style;
mod wire;

use comeback_core::subscription::{SubscriptionList, SubscriptionStatus, SubscriptionView};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::api::{new_idempotency_key, ApiError};
use crate::embed::WidgetContext;
use crate::i18n::{Common, Strings};
use crate::load::{use_load_with_options, Loaded, UseLoadOptions, UseLoadReturn};
use crate::ui;
use crate::wire::object_of;
use model::{Action, Attempt, Method, Notice, Offered};
use strings::Key;

/// The widget's stylesheet.
pub const CSS: &str = include_css!("widgets/subscriptions/style.css");

/// The widget as the registry loads it (see [`crate::widgets::Widget`]).
pub fn widget() -> crate::widgets::Widget {
    crate::widgets::Widget {
        view: || SubscriptionsWidget().into_any(),
        css: CSS,
    }
}

/// The panel open under one subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Panel {
    Change,
    Pause,
    Cancel,
}

/// What the widget shows besides the list itself.
#[derive(Debug, Default)]
struct State {
    /// The open panel and the subscription it belongs to.
    open: Option<(String, Panel)>,
    /// What the open form holds: the cancel reason or the change's interval, the comment
    /// or the change's quantity, the pause choice.
    choice: String,
    text: String,
    pause: usize,
    /// The change form's quantity is not a number it can send.
    invalid: bool,
    /// Whether the open cancel form offers the shop's save offer: only the first time
    /// it opens for a subscription.
    offer: bool,
    /// Subscriptions whose cancel form has offered the shop's save offer already.
    offered: Vec<String>,
    /// Changes sent and not answered yet.
    pending: Vec<Attempt>,
    /// The outcome of the last change.
    notice: Option<Notice>,
    /// The token was refused.
    expired: bool,
}

/// The widget's handles; every field is copyable, so handlers capture the whole struct.
#[derive(Clone, Copy)]
struct Manager {
    ctx: WidgetContext,
    list: UseLoadReturn<Option<SubscriptionList>>,
    state: RwSignal<State>,
}

/// The subscription manager. Reads everything from [`WidgetContext`].
#[component]
pub fn SubscriptionsWidget() -> impl IntoView {
    let ctx = WidgetContext::get();
    let list = use_load_with_options(
        move |api, token| {
            let path = [
                "/subscriptions?locale=",
                ctx.settings.with_untracked(|s| s.locale.as_str()),
            ]
            .concat();
            async move {
                match token {
                    Some(token) => api.get(&path, Some(&token)).await.map(Some),
                    None => Ok(None),
                }
            }
        },
        UseLoadOptions {
            by_locale: true,
            keep_while_reloading: false,
        },
    );
    let manager = Manager {
        ctx,
        list,
        state: RwSignal::new(State::default()),
    };
    // A new shopper starts afresh: no panel, notice or change of the previous one.
    Effect::new(move |_| {
        ctx.token.track();
        manager.state.set(State::default());
    });
    move || manager.render()
}

impl Manager {
    fn render(self) -> impl IntoView {
        let s = self.ctx.strings();
        let (theme, locale) = self
            .ctx
            .settings
            .with(|st| (st.theme.class(), st.locale.as_str()));
        let expired = self.state.with(|st| st.expired);
        let body = match self.list.state.get() {
            _ if expired => self.sign_in(&s, Key::SessionExpired).into_any(),
            Loaded::Loading => ui::skeleton(s.get(Common::Loading).to_owned()).into_any(),
            Loaded::Ready(None) => self.sign_in(&s, Key::SignedOut).into_any(),
            Loaded::Ready(Some(list)) => self.subscriptions(&s, &list).into_any(),
            Loaded::Failed(error) if error.is_unauthorized() => {
                self.sign_in(&s, Key::SessionExpired).into_any()
            }
            Loaded::Failed(_) => ui::fallback(
                s.get(Common::Unavailable).to_owned(),
                s.get(Common::Retry).to_owned(),
                move || self.list.reload.run(()),
            )
            .into_any(),
        };
        view! {
            <section class=["cb-root cb-subscriptions ", theme].concat() part="root" lang=locale
                aria-labelledby="cb-subscriptions-title">
                <h2 class="cb-subscriptions__title" id="cb-subscriptions-title">{s.get(Key::Title).to_owned()}</h2>
                {body}
            </section>
        }
    }

    /// The invitation to sign in (signed out, or the token was refused).
    fn sign_in(self, s: &Strings, message: Key) -> impl IntoView {
        let url = self
            .ctx
            .settings
            .with_untracked(|st| st.link_attr("signin-url"));
        let href = url.clone().unwrap_or_else(|| "#".to_owned());
        let on_click = move |ev: leptos::ev::MouseEvent| {
            let detail = object_of(&[("url", url.as_deref().map_or(JsValue::NULL, JsValue::from))]);
            if !self.ctx.emit(events::SIGN_IN, &detail, true) || url.is_none() {
                ev.prevent_default();
            }
        };
        view! {
            <div class="cb-fallback" part="signed-out" role="status">
                <p>{s.get(message).to_owned()}</p>
                <a class="cb-btn" part="signin-button" href=href on:click=on_click>
                    {s.get(Key::SignIn).to_owned()}
                </a>
            </div>
        }
    }

    /// The notice, the running subscriptions and the cancelled ones.
    fn subscriptions(self, s: &Strings, list: &SubscriptionList) -> impl IntoView {
        let (running, cancelled) = model::arrange(&list.subscriptions);
        let empty = running.is_empty().then(|| {
            view! { <p class="cb-muted" part="empty">{s.get(Key::Empty).to_owned()}</p> }
        });
        let items = running
            .iter()
            .map(|view| self.item(s, list, view))
            .collect_view();
        let cancelled = (!cancelled.is_empty()).then(|| {
            let count = cancelled.len().to_string();
            let items = cancelled
                .iter()
                .map(|view| self.item(s, list, view))
                .collect_view();
            view! {
                <details class="cb-subscriptions__cancelled" part="cancelled">
                    <summary>{s.fill(Key::CancelledList, &[("n", &count)])}</summary>
                    <ul class="cb-subscriptions__list" role="list">{items}</ul>
                </details>
            }
        });
        view! {
            {self.notice(s)}
            {empty}
            <ul class="cb-subscriptions__list" part="list" role="list">{items}</ul>
            {cancelled}
        }
    }

    /// The outcome of the last change: a status line, or an alert with "Try again" when
    /// the server could not be reached. The live region stays in place, so a screen
    /// reader hears each new outcome.
    fn notice(self, s: &Strings) -> impl IntoView {
        let notice = self.state.with(|st| st.notice.clone());
        let error = notice.as_ref().is_some_and(|n| n.error);
        let text = notice.as_ref().map(|notice| {
            let date = notice.date.map(|d| s.date(model::midday(d)));
            let (n, left) = (notice.counts.0.to_string(), notice.counts.1.to_string());
            s.fill(
                notice.key,
                &[
                    ("title", &notice.title),
                    ("date", date.as_deref().unwrap_or_default()),
                    ("n", &n),
                    ("left", &left),
                ],
            )
        });
        let retry = notice.and_then(|n| n.retry).map(|attempt| {
            view! {
                <button type="button" class="cb-btn cb-btn--quiet" part="retry-button"
                    on:click=move |_| self.send(attempt.clone())>
                    {s.get(Common::Retry).to_owned()}
                </button>
            }
        });
        let class = if error {
            "cb-subscriptions__notice cb-subscriptions__notice--error"
        } else {
            "cb-subscriptions__notice"
        };
        let hidden = text.is_none();
        view! {
            <div class=class part="notice" role="status" tabindex="-1" hidden=hidden>
                <p>{text}</p>
                {retry}
            </div>
        }
    }

    /// One subscription with its actions and, when open, its panel.
    fn item(self, s: &Strings, list: &SubscriptionList, view: &SubscriptionView) -> impl IntoView {
        let (pending, open) = self.state.with(|st| {
            (
                st.pending.iter().any(|a| a.id == view.id),
                st.open
                    .as_ref()
                    .filter(|(id, _)| *id == view.id)
                    .map(|(_, panel)| *panel),
            )
        });
        let cancelled = view.status == SubscriptionStatus::Cancelled;
        let class = match (cancelled, pending) {
            (true, _) => "cb-subscriptions__item cb-subscriptions__item--cancelled",
            (false, true) => "cb-subscriptions__item cb-subscriptions__item--pending",
            (false, false) => "cb-subscriptions__item",
        };
        let image = view.image.clone().map(|src| {
            view! {
                <img class="cb-subscriptions__image" part="image" src=src alt=""
                    loading="lazy" decoding="async" width="64" height="64"/>
            }
        });
        let title = match view.url.clone() {
            Some(href) => view! { <a href=href>{view.title.clone()}</a> }.into_any(),
            None => view.title.clone().into_any(),
        };
        let status_class = [
            "cb-subscriptions__status cb-subscriptions__status--",
            view.status.as_str(),
        ]
        .concat();
        let facts = [
            every(s, &view.interval),
            s.fill(Key::Quantity, &[("n", &view.quantity.to_string())]),
        ]
        .join(" · ");
        let day = |date: Option<comeback_core::date::Date>| {
            date.map(|d| s.date(model::midday(d))).unwrap_or_default()
        };
        let when = match view.status {
            SubscriptionStatus::Active => s.fill(Key::Next, &[("date", &day(view.next_delivery))]),
            SubscriptionStatus::Paused => s.fill(
                Key::PausedUntil,
                &[
                    ("date", &day(view.paused_until)),
                    ("next", &day(view.next_delivery)),
                ],
            ),
            SubscriptionStatus::Cancelled => {
                s.fill(Key::CancelledOn, &[("date", &day(view.cancelled_on))])
            }
        };
        let preparing = (view.renewal_pending && !cancelled)
            .then(|| view! { <p class="cb-muted">{s.get(Key::Preparing).to_owned()}</p> });
        let actions = (!cancelled).then(|| self.actions(s, view, pending));
        let panel = open.map(|panel| match panel {
            Panel::Change => self.change_form(s, view).into_any(),
            Panel::Pause => self.pause_form(s, view).into_any(),
            Panel::Cancel => self.cancel_panel(s, list, view).into_any(),
        });
        view! {
            <li class=class part="subscription" data-subscription=view.id.clone()
                aria-busy=pending.then_some("true")>
                {image}
                <div class="cb-subscriptions__body">
                    <h3 class="cb-subscriptions__name" part="title">{title}</h3>
                    <p class="cb-subscriptions__facts" part="status">
                        <span class=status_class>{s.get(model::status(view.status)).to_owned()}</span>
                        {[" · ", &facts].concat()}
                    </p>
                    <p part="next">{when}</p>
                    {price(s, list, view)}
                    {preparing}
                    {actions}
                    {panel}
                </div>
            </li>
        }
    }

    /// The buttons of a running or paused subscription. While a change of it is in
    /// flight they are marked unavailable (not disabled, so focus stays on them).
    fn actions(self, s: &Strings, view: &SubscriptionView, pending: bool) -> impl IntoView {
        let buttons = model::actions(view)
            .iter()
            .map(|&offered| {
                let id = view.id.clone();
                let class = if offered == Offered::Cancel {
                    "cb-btn cb-btn--quiet cb-subscriptions__cancel"
                } else {
                    "cb-btn cb-btn--quiet"
                };
                let panel = matches!(offered, Offered::Change | Offered::Pause | Offered::Cancel);
                view! {
                    <button type="button" class=class part=offered.part()
                        aria-disabled=pending.then_some("true")
                        aria-expanded=panel.then(|| self.is_open(&id).to_string())
                        on:click=move |_| self.press(&id, offered)>
                        {s.get(offered.label()).to_owned()}
                    </button>
                }
            })
            .collect_view();
        view! { <div class="cb-subscriptions__actions" part="actions">{buttons}</div> }
    }

    fn is_open(self, id: &str) -> bool {
        self.state
            .with_untracked(|st| st.open.as_ref().is_some_and(|(open, _)| open == id))
    }

    /// An action button was pressed: immediate actions are sent, the others open (or
    /// close) their panel.
    fn press(self, id: &str, offered: Offered) {
        if self
            .state
            .with_untracked(|st| st.pending.iter().any(|a| a.id == id))
        {
            return;
        }
        let panel = match offered {
            Offered::Skip => return self.act(id, Action::Skip),
            Offered::DeliverNow => return self.act(id, Action::DeliverNow),
            Offered::Resume => return self.act(id, Action::Resume),
            Offered::Change => Panel::Change,
            Offered::Pause => Panel::Pause,
            Offered::Cancel => Panel::Cancel,
        };
        let Some(view) = self.find(id) else {
            return;
        };
        let again = self
            .state
            .with_untracked(|st| st.open.as_ref() == Some(&(id.to_owned(), panel)));
        if again {
            return self.close(id, offered);
        }
        self.state.update(|st| {
            st.open = Some((id.to_owned(), panel));
            st.invalid = false;
            st.pause = 0;
            (st.choice, st.text) = match panel {
                Panel::Change => (view.interval.clone(), view.quantity.to_string()),
                _ => (String::new(), String::new()),
            };
            st.offer = panel == Panel::Cancel && !st.offered.iter().any(|o| o == id);
            if st.offer {
                st.offered.push(id.to_owned());
            }
        });
        self.focus(
            id,
            "[data-panel] select, [data-panel] input, [data-panel] button",
        );
    }

    /// Closes the open panel and gives focus back to the button that opened it.
    fn close(self, id: &str, opener: Offered) {
        self.state.update(|st| st.open = None);
        self.focus(id, &["[part=", opener.part(), "]"].concat());
    }

    /// Focuses the first match of `selector` inside subscription `id`.
    fn focus(self, id: &str, selector: &str) {
        let scope = ["[data-subscription=\"", &id.replace('"', ""), "\"] "].concat();
        let selectors: Vec<String> = selector
            .split(", ")
            .map(|one| [&scope, one].concat())
            .collect();
        self.ctx.focus_later(selectors.join(", "));
    }

    /// The subscription `id` as shown now.
    fn find(self, id: &str) -> Option<SubscriptionView> {
        self.list.state.with_untracked(|state| match state {
            Loaded::Ready(Some(list)) => list.subscriptions.iter().find(|s| s.id == id).cloned(),
            _ => None,
        })
    }

    /// A new press of `action` on subscription `id`: a new key.
    fn act(self, id: &str, action: Action) {
        let Some(before) = self.find(id) else {
            return;
        };
        self.send(Attempt {
            id: id.to_owned(),
            action,
            key: new_idempotency_key(),
            before,
        });
    }

    /// Sends `attempt` (again, after a failure: with the same key), showing its outcome
    /// at once and the server's when it answers.
    fn send(self, attempt: Attempt) {
        let today = today();
        let from_panel = self.state.with_untracked(|st| st.open.is_some());
        let predicted = model::predict(&attempt.before, &attempt.action, today);
        self.show(predicted);
        self.state.update(|st| {
            st.open = None;
            st.pending.retain(|a| a.id != attempt.id);
            st.pending.push(attempt.clone());
            st.notice = Some(Notice::saving(&attempt.before));
        });
        if from_panel || matches!(attempt.action, Action::Cancel { .. } | Action::Resume) {
            // The panel is gone, or the subscription moves: the notice holds focus.
            self.ctx.focus_later("[part=notice]".to_owned());
        }
        let api = self.ctx.api();
        let token = self.ctx.token.get_untracked();
        let asked = self.ctx.asked();
        let locale = self.ctx.settings.with_untracked(|s| s.locale);
        let (method, path) = attempt.action.request(&attempt.id, locale);
        let body = wire::body(&attempt.action);
        leptos::task::spawn_local(async move {
            let result: Result<SubscriptionView, ApiError> = match method {
                Method::Post => api.post(&path, token.as_deref(), &attempt.key, &body).await,
                Method::Patch => {
                    api.patch(&path, token.as_deref(), &attempt.key, &body)
                        .await
                }
            };
            // Another shopper or language meanwhile: the list has been asked for again.
            if matches!(result, Err(ApiError::Aborted)) || !self.ctx.still_in_locale(&asked) {
                return;
            }
            let notice = match result {
                Ok(view) => {
                    let notice = Notice::done(&attempt.action, &view);
                    self.show(view);
                    let detail = object_of(&[
                        ("id", attempt.id.as_str().into()),
                        ("action", attempt.action.name().into()),
                    ]);
                    self.ctx.emit(events::CHANGED, &detail, false);
                    notice
                }
                Err(error) => {
                    self.ctx.report(&error);
                    self.show(attempt.before.clone());
                    self.state
                        .try_update(|st| st.expired = error.is_unauthorized());
                    Notice::refused(&error, &attempt)
                }
            };
            self.state.try_update(|st| {
                st.pending.retain(|a| a.id != attempt.id);
                st.notice = Some(notice);
            });
        });
    }

    /// Puts `view` in the list shown (a prediction, the server's answer or a rollback).
    fn show(self, view: SubscriptionView) {
        self.list.set.try_update(|state| {
            if let Loaded::Ready(Some(list)) = state {
                model::replace(&mut list.subscriptions, view);
            }
        });
    }
}

/// The price of one delivery (the unit price times the quantity), the regular price
/// struck when the plan saves, and free shipping.
fn price(s: &Strings, list: &SubscriptionList, view: &SubscriptionView) -> impl IntoView {
    let each = view.price.times(view.quantity).unwrap_or(view.price);
    let money = |minor| s.money(minor, &list.currency);
    let was = (each.saving > 0).then(|| {
        let old = money(each.regular);
        view! {
            <s class="cb-subscriptions__was">
                <span class="cb-sr-only">{s.fill(Key::Was, &[("price", &old)])}</span>
                <span aria-hidden="true">{old.clone()}</span>
            </s>
        }
    });
    let shipping = view
        .free_shipping
        .then(|| [" · ", s.get(Key::FreeShipping)].concat());
    view! {
        <p class="cb-subscriptions__price" part="price">
            <span>{s.fill(Key::PerDelivery, &[("price", &money(each.price))])}</span>
            {was}
            {shipping}
        </p>
    }
}

/// "Every 4 weeks" for `P4W`, in the shopper's language.
fn every(s: &Strings, interval: &str) -> String {
    match model::every(interval) {
        Some((key, n)) => s.fill(key, &[("n", &n.to_string())]),
        None => interval.to_owned(),
    }
}

/// Today in the shopper's time zone.
fn today() -> comeback_core::date::Date {
    let offset = js_sys::Date::new_0().get_timezone_offset();
    model::today(js_sys::Date::now(), offset)
}
