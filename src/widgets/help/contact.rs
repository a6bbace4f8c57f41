//! The contact form: pre-filled with everything the widget already knows (the answers
//! given in a tree, the article read, the page, the signed-in shopper, the locale), so
//! the shopper adds only what is new. Sent once per `Idempotency-Key`; when the backend
//! cannot be reached, the ticket is kept in `localStorage` and sent when the browser is
//! back online or the widget next mounts.

use js_sys::{Array, JSON};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::model::{Draft, Problem};
use super::strings::Key;
use super::{events, Help, Screen};
use crate::api::{new_idempotency_key, ApiError};
use crate::i18n::{Common, Strings};
use crate::listeners;
use crate::wire::{get, object_of, string, DecodeError, FromJs};

/// Where tickets wait while the backend is unreachable: a JSON list of `{base, key,
/// signed_in, body}` (no token is ever stored).
const PENDING: &str = "comeback:help:pending";

/// The answer to a ticket.
struct TicketAnswer {
    ticket_id: String,
}

impl FromJs for TicketAnswer {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(TicketAnswer {
            ticket_id: string(value, "ticket_id")?,
        })
    }
}

fn problem_text(problem: Problem) -> Key {
    match problem {
        Problem::MessageMissing => Key::MessageMissing,
        Problem::MessageTooLong => Key::MessageTooLong,
        Problem::EmailMissing => Key::EmailMissing,
        Problem::EmailInvalid => Key::EmailInvalid,
        Problem::OrderTooLong => Key::OrderTooLong,
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn pending() -> Array {
    storage()
        .and_then(|s| s.get_item(PENDING).ok().flatten())
        .and_then(|text: String| JSON::parse(&text).ok())
        .filter(Array::is_array)
        .map(|list| list.unchecked_into::<Array>())
        .unwrap_or_default()
}

fn keep_pending(list: &Array) {
    if let Some(storage) = storage() {
        let _ = if list.length() == 0 {
            storage.remove_item(PENDING)
        } else {
            match JSON::stringify(list) {
                Ok(text) => storage.set_item(PENDING, &String::from(text)),
                Err(_) => Ok(()),
            }
        };
    }
}

impl Help {
    pub(super) fn contact_form(self, s: &Strings) -> impl IntoView {
        let known = self.known(s);
        let failed = s.get(Common::SaveFailed).to_owned();
        let problems = self.problems.get();
        let error_of = |field: &[Problem]| {
            problems
                .iter()
                .find(|p| field.contains(p))
                .map(|&p| s.get(problem_text(p)).to_owned())
        };
        let field = move |id: &'static str,
                          label: String,
                          error: Option<String>,
                          kind: &'static str,
                          read: fn(&Draft) -> String,
                          write: fn(&mut Draft, String)| {
            let described = error.as_ref().map(|_| [id, "-error"].concat());
            let input = if kind == "textarea" {
                view! { <textarea id=id rows="5" aria-invalid=error.is_some().then_some("true")
                    aria-describedby=described.clone() prop:value=move || self.draft.with(read)
                    on:input=move |ev| self.draft.update(|d| write(d, event_target_value(&ev)))></textarea> }
                .into_any()
            } else {
                view! { <input id=id type=kind aria-invalid=error.is_some().then_some("true")
                aria-describedby=described.clone() prop:value=move || self.draft.with(read)
                on:input=move |ev| self.draft.update(|d| write(d, event_target_value(&ev)))/> }
                .into_any()
            };
            view! {
                <label for=id>{label}</label>
                {input}
                {error.map(|e| view! { <p class="cb-help__error" id=[id, "-error"].concat()>{e}</p> })}
            }
        };
        view! {
            <button type="button" class="cb-btn cb-btn--quiet cb-help__back" part="back-button"
                on:click=move |_| self.go(Screen::Home)>{["← ", s.get(Key::Home)].concat()}</button>
            <h3 class="cb-help__title" tabindex="-1" data-focus="">{s.get(Key::ContactTitle).to_owned()}</h3>
            {known}
            <form class="cb-help__form" part="contact-form" novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    self.submit();
                }>
                {field("cb-help-message", s.get(Key::Message).to_owned(), error_of(&[Problem::MessageMissing, Problem::MessageTooLong]),
                    "textarea", |d| d.message.clone(), |d, v| d.message = v)}
                {field("cb-help-email", s.get(Key::YourEmail).to_owned(), error_of(&[Problem::EmailMissing, Problem::EmailInvalid]),
                    "email", |d| d.email.clone(), |d, v| d.email = v)}
                {field("cb-help-name", s.get(Key::Name).to_owned(), None, "text", |d| d.name.clone(), |d, v| d.name = v)}
                {field("cb-help-order", s.get(Key::Order).to_owned(), error_of(&[Problem::OrderTooLong]),
                    "text", |d| d.order.clone(), |d, v| d.order = v)}
                {move || self.failed.get().then(|| view! {
                    <p class="cb-help__error" role="alert">{failed.clone()}</p>
                })}
                <button type="submit" class="cb-btn" part="send-button" disabled=move || self.sending.get()>
                    {move || {
                        let s = self.ctx.strings();
                        s.get(if self.sending.get() { Key::Sending } else { Key::Send }).to_owned()
                    }}
                </button>
            </form>
            {self.channels(s)}
        }
    }

    /// What the ticket will carry without the shopper typing it.
    fn known(self, s: &Strings) -> Option<impl IntoView> {
        let (path, article) = self
            .with_content(|c| {
                let path = self
                    .walked
                    .with(|w| w.as_ref().map(|w| w.path(c)).unwrap_or_default());
                let article = self
                    .read
                    .get()
                    .and_then(|i| c.articles.get(i))
                    .map(|a| a.title.clone());
                (path, article)
            })
            .unwrap_or_default();
        if path.is_empty() && article.is_none() {
            return None;
        }
        let answers = path
            .into_iter()
            .map(|(question, answer)| view! { <li>{question}" → "<strong>{answer}</strong></li> })
            .collect_view();
        Some(view! {
            <div class="cb-help__known" part="known">
                <p>{s.get(Key::Known).to_owned()}</p>
                <ul>{answers}{article.map(|t| view! { <li>{s.fill(Key::KnownArticle, &[("title", &t)])}</li> })}</ul>
            </div>
        })
    }

    /// The ticket's body: what the shopper typed and what the widget knew.
    fn ticket_body(self, draft: &Draft) -> JsValue {
        let (tree, path, article) = self
            .with_content(|c| {
                let walked = self.walked.get_untracked();
                let tree = walked
                    .as_ref()
                    .and_then(|w| c.trees.get(w.tree))
                    .map(|t| t.id.clone());
                let path = walked.map(|w| w.path(c)).unwrap_or_default();
                let article = self
                    .read
                    .get_untracked()
                    .and_then(|i| c.articles.get(i))
                    .map(|a| a.id.clone());
                (tree, path, article)
            })
            .unwrap_or_default();
        let steps = Array::new();
        for (question, answer) in path {
            steps.push(&object_of(&[
                ("question", question.into()),
                ("answer", answer.into()),
            ]));
        }
        let page = web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .unwrap_or_default();
        let locale = self.ctx.settings.with_untracked(|s| s.locale.as_str());
        let context = object_of(&[
            ("tree", tree.map_or(JsValue::NULL, JsValue::from)),
            ("path", steps.into()),
            ("article", article.map_or(JsValue::NULL, JsValue::from)),
            ("page", page.into()),
            ("locale", locale.into()),
        ]);
        let optional = |text: &str| {
            let text = text.trim();
            if text.is_empty() {
                JsValue::NULL
            } else {
                JsValue::from_str(text)
            }
        };
        object_of(&[
            ("message", draft.message.trim().into()),
            ("email", optional(&draft.email)),
            ("name", optional(&draft.name)),
            ("order_id", optional(&draft.order)),
            ("context", context),
        ])
    }

    fn submit(self) {
        if self.sending.get_untracked() {
            return;
        }
        let draft = self.draft.get_untracked();
        let token = self.ctx.token.get_untracked();
        let problems = draft.problems(token.is_some());
        self.failed.set(false);
        if !problems.is_empty() {
            self.problems.set(problems);
            self.ctx.focus_later("[aria-invalid=true]".into());
            return;
        }
        self.problems.set(Vec::new());
        self.sending.set(true);
        let body = self.ticket_body(&draft);
        // The key is kept until the ticket is accepted, so a retry is the same ticket.
        let key = self.key.get_value().unwrap_or_else(new_idempotency_key);
        self.key.set_value(Some(key.clone()));
        let api = self.ctx.api();
        leptos::task::spawn_local(async move {
            let sent: Result<TicketAnswer, ApiError> = api
                .post("/help/tickets", token.as_deref(), &key, &body)
                .await;
            self.sending.try_set(false);
            match sent {
                Ok(answer) => self.accepted(answer.ticket_id),
                Err(ApiError::Aborted) => {}
                Err(error) if error.is_retryable() => {
                    let list = pending();
                    list.push(&object_of(&[
                        ("base", api.base().into()),
                        ("key", key.into()),
                        ("signed_in", token.is_some().into()),
                        ("body", body),
                    ]));
                    keep_pending(&list);
                    self.forget_draft();
                    self.ctx.emit(events::TICKET_QUEUED, &object_of(&[]), false);
                    self.go(Screen::Queued);
                }
                Err(error) => {
                    self.ctx.report(&error);
                    self.failed.try_set(true);
                }
            }
        });
    }

    fn accepted(self, ticket_id: String) {
        self.forget_draft();
        let detail = object_of(&[("ticket_id", ticket_id.as_str().into())]);
        self.ctx.emit(events::TICKET_CREATED, &detail, false);
        self.go(Screen::Sent(ticket_id));
    }

    fn forget_draft(self) {
        self.key.set_value(None);
        self.draft.try_set(Draft::default());
        self.walked.try_set(None);
        self.read.try_set(None);
    }

    /// Sends the tickets kept on this device for this shop, now and whenever the
    /// browser comes back online.
    pub(super) fn send_pending_when_online(self) {
        self.send_pending();
        let online = listeners::on_window("online", move |_| self.send_pending());
        on_cleanup(move || online.remove());
    }

    fn send_pending(self) {
        let api = self.ctx.api();
        let token = self.ctx.token.get_untracked();
        let list = pending();
        for entry in list.iter() {
            if get(&entry, "base").as_string().as_deref() != Some(api.base()) {
                continue;
            }
            let (Some(key), body) = (get(&entry, "key").as_string(), get(&entry, "body")) else {
                continue;
            };
            let signed_in = get(&entry, "signed_in").as_bool().unwrap_or(false);
            // A ticket written signed in goes with the current shopper's token, if any.
            let token = token.clone().filter(|_| signed_in);
            let api = api.clone();
            leptos::task::spawn_local(async move {
                let sent: Result<TicketAnswer, ApiError> = api
                    .post("/help/tickets", token.as_deref(), &key, &body)
                    .await;
                match sent {
                    // Accepted, or refused for good: either way it no longer waits.
                    Ok(answer) => {
                        drop_pending(&key);
                        let detail = object_of(&[("ticket_id", answer.ticket_id.into())]);
                        self.ctx.emit(events::TICKET_CREATED, &detail, false);
                    }
                    Err(error) if !error.is_retryable() && !matches!(error, ApiError::Aborted) => {
                        drop_pending(&key);
                        self.ctx.report(&error);
                    }
                    Err(_) => {}
                }
            });
        }
    }
}

fn drop_pending(key: &str) {
    let list = pending();
    let kept = Array::new();
    for entry in list.iter() {
        if get(&entry, "key").as_string().as_deref() != Some(key) {
            kept.push(&entry);
        }
    }
    keep_pending(&kept);
}
