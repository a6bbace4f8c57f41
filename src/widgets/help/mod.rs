//! `<comeback-help>`: the help centre in the page. The shopper searches the shop's
//! articles as they type (locally, in English and Chinese, Simplified and Traditional
//! alike), reads an article, walks a troubleshooting tree one question at a time, and
//! when that does not solve it, writes to a person through a form that already holds
//! everything the widget knows, so they add only what is new.
//!
//! Attributes: `wizard` (a tree id: start in that tree), `suggest` (a tag whose articles
//! the home suggests first), `theme`, `lang`. Also the launcher's `help` tab.

mod contact;
pub mod element;
pub mod events;
pub mod model;
pub mod strings;
pub mod style;
mod walk;
mod wire;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::embed::WidgetContext;
use crate::i18n::{Common, Strings};
use crate::load::{use_load_with_options, Loaded, UseLoadOptions, UseLoadReturn};
use crate::wire::object_of;
use model::{Body, Content, Draft, Node, Problem, Walk};
use strings::Key;

/// The widget's stylesheet.
pub const CSS: &str = include_css!("widgets/help/style.css");

/// The widget as the registry loads it (see [`crate::widgets::Widget`]).
pub fn widget() -> crate::widgets::Widget {
    crate::widgets::Widget {
        view: || HelpWidget().into_any(),
        css: CSS,
    }
}

/// What the widget shows.
#[derive(Debug, Clone, PartialEq)]
enum Screen {
    /// Search, suggestions, topics, trees and contact channels.
    Home,
    /// An article, by position.
    Article(usize),
    /// A troubleshooting tree.
    Walk(Walk),
    /// The contact form.
    Contact,
    /// A ticket was accepted: its id.
    Sent(String),
    /// The backend was unreachable: the ticket waits on the device.
    Queued,
}

#[derive(Clone, Copy)]
struct Help {
    ctx: WidgetContext,
    content: UseLoadReturn<Content>,
    screen: RwSignal<Screen>,
    query: RwSignal<String>,
    /// The last article read, for the ticket.
    read: RwSignal<Option<usize>>,
    /// The walk that led to the contact form, for the ticket.
    walked: RwSignal<Option<Walk>>,
    draft: RwSignal<Draft>,
    problems: RwSignal<Vec<Problem>>,
    sending: RwSignal<bool>,
    /// The last send was refused (not a network failure: those queue the ticket).
    failed: RwSignal<bool>,
    /// The `Idempotency-Key` of the ticket being sent, kept until it is accepted.
    key: StoredValue<Option<String>>,
    /// Feedback subjects answered on this page (the thanks replaces the question).
    answered: RwSignal<Vec<String>>,
}

/// The help centre. Reads everything from [`WidgetContext`].
#[component]
pub fn HelpWidget() -> impl IntoView {
    let ctx = WidgetContext::get();
    let content = use_load_with_options(
        move |api, _token| {
            let locale = ctx.settings.with_untracked(|s| s.locale);
            async move {
                api.get::<Content>(&["/help?locale=", locale.as_str()].concat(), None)
                    .await
            }
        },
        UseLoadOptions {
            by_locale: true,
            ..UseLoadOptions::default()
        },
    );
    let help = Help {
        ctx,
        content,
        screen: RwSignal::new(Screen::Home),
        query: RwSignal::new(String::new()),
        read: RwSignal::new(None),
        walked: RwSignal::new(None),
        draft: RwSignal::new(Draft::default()),
        problems: RwSignal::new(Vec::new()),
        sending: RwSignal::new(false),
        failed: RwSignal::new(false),
        key: StoredValue::new(None),
        answered: RwSignal::new(Vec::new()),
    };
    help.start_wizard_from_attribute();
    help.send_pending_when_online();
    help.render()
}

impl Help {
    /// With `wizard="tree-id"`, the widget opens in that tree once the content is here.
    fn start_wizard_from_attribute(self) {
        Effect::new(move |started: Option<bool>| {
            if started == Some(true) {
                return true;
            }
            let wanted = self
                .ctx
                .settings
                .with(|s| s.attr("wizard").map(str::to_owned));
            let found = self.content.state.with(|state| match (state, &wanted) {
                (Loaded::Ready(content), Some(id)) => {
                    content.trees.iter().position(|t| &t.id == id)
                }
                _ => None,
            });
            match found {
                Some(tree) => {
                    self.screen.set(Screen::Walk(Walk::start(tree)));
                    true
                }
                None => false,
            }
        });
    }

    fn with_content<T>(self, read: impl FnOnce(&Content) -> T) -> Option<T> {
        self.content.state.with(|state| match state {
            Loaded::Ready(content) => Some(read(content)),
            _ => None,
        })
    }

    fn go(self, screen: Screen) {
        self.screen.set(screen);
        self.ctx.focus_later("[data-focus]".into());
    }

    fn open_article(self, position: usize) {
        self.read.set(Some(position));
        if let Some(id) = self
            .with_content(|c| c.articles.get(position).map(|a| a.id.clone()))
            .flatten()
        {
            let detail = object_of(&[("article", id.into())]);
            self.ctx.emit(events::ARTICLE_OPENED, &detail, false);
        }
        self.go(Screen::Article(position));
    }

    fn render(self) -> impl IntoView {
        let root_class = move || {
            let theme = self.ctx.settings.with(|st| st.theme.class());
            ["cb-root cb-help ", theme].concat()
        };
        let locale = move || self.ctx.settings.with(|st| st.locale.as_str());
        view! {
            <section class=root_class part="root" lang=locale>
                {move || {
                    let s = self.ctx.strings();
                    match self.content.state.get() {
                        Loaded::Loading => crate::ui::skeleton(s.get(Common::Loading).to_owned()).into_any(),
                        Loaded::Failed(_) => {
                            let reload = self.content.reload;
                            crate::ui::fallback(
                                s.get(Common::Unavailable).to_owned(),
                                s.get(Common::Retry).to_owned(),
                                move || reload.run(()),
                            )
                            .into_any()
                        }
                        Loaded::Ready(_) => self.screen_view(&s).into_any(),
                    }
                }}
            </section>
        }
    }

    fn screen_view(self, s: &Strings) -> AnyView {
        match self.screen.get() {
            Screen::Home => self.home(s).into_any(),
            Screen::Article(position) => self.article(s, position).into_any(),
            Screen::Walk(walk) => self.walk(s, walk).into_any(),
            Screen::Contact => self.contact_form(s).into_any(),
            Screen::Sent(id) => self.done(s, s.fill(Key::Sent, &[("id", &id)])).into_any(),
            Screen::Queued => self.done(s, s.get(Key::Queued).to_owned()).into_any(),
        }
    }

    fn home(self, s: &Strings) -> impl IntoView {
        let path = web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .unwrap_or_default();
        let tag = self
            .ctx
            .settings
            .with(|st| st.attr("suggest").map(str::to_owned));
        let (suggested, topics, trees) = self
            .with_content(|c| {
                let suggested = model::suggested(c, &path, tag.as_deref());
                let topics: Vec<(usize, String)> = c
                    .articles
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !suggested.contains(i))
                    .take(model::MAX_TOPICS)
                    .map(|(i, a)| (i, a.title.clone()))
                    .collect();
                let suggested: Vec<(usize, String)> = suggested
                    .iter()
                    .map(|&i| (i, c.articles[i].title.clone()))
                    .collect();
                let trees: Vec<(usize, String)> = c
                    .trees
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (i, t.title.clone()))
                    .collect();
                (suggested, topics, trees)
            })
            .unwrap_or_default();
        let search_label = s.get(Key::SearchLabel).to_owned();
        let list = move |heading: String, items: Vec<(usize, String)>| {
            (!items.is_empty()).then(|| {
                let links = items
                    .into_iter()
                    .map(|(i, title)| {
                        view! { <li><button type="button" class="cb-help__link" part="article-link"
                            on:click=move |_| self.open_article(i)>{title}</button></li> }
                    })
                    .collect_view();
                view! { <h3 class="cb-help__heading">{heading}</h3><ul class="cb-help__list" role="list">{links}</ul> }
            })
        };
        let tree_buttons = (!trees.is_empty()).then(|| {
            let buttons = trees
                .into_iter()
                .map(|(i, title)| {
                    view! { <li><button type="button" class="cb-btn cb-btn--quiet cb-help__tree" part="tree-button"
                        on:click=move |_| self.start_walk(i)>{title}</button></li> }
                })
                .collect_view();
            view! { <h3 class="cb-help__heading">{s.get(Key::Troubleshoot).to_owned()}</h3>
                <ul class="cb-help__list" role="list">{buttons}</ul> }
        });
        view! {
            <h2 class="cb-help__title" part="title">{s.get(Key::Title).to_owned()}</h2>
            <input type="search" class="cb-help__search" part="search" aria-label=search_label
                placeholder=s.get(Key::SearchHint).to_owned() autocomplete="off" data-focus=""
                prop:value=move || self.query.get()
                on:input=move |ev| self.query.set(event_target_value(&ev))
                on:change=move |_| self.searched()/>
            {move || self.results()}
            <div hidden=move || !self.query.with(|q| q.trim().is_empty())>
                {list(s.get(Key::Suggested).to_owned(), suggested)}
                {tree_buttons}
                {list(s.get(Key::Topics).to_owned(), topics)}
                {self.channels(s)}
            </div>
        }
    }

    /// The live results of the query (nothing while it is empty).
    fn results(self) -> Option<impl IntoView> {
        let query = self.query.get();
        if query.trim().is_empty() {
            return None;
        }
        let s = self.ctx.strings();
        let found = self.with_content(|c| {
            model::search(c, &query)
                .into_iter()
                .map(|f| {
                    (
                        f.article,
                        marked(&c.articles[f.article].title, &f.title_marks),
                        marked(&f.snippet, &f.snippet_marks),
                    )
                })
                .collect::<Vec<_>>()
        })?;
        let status = if found.is_empty() {
            s.fill(Key::NoResults, &[("query", query.trim())])
        } else if found.len() == 1 {
            s.get(Key::ResultsOne).to_owned()
        } else {
            s.fill(Key::Results, &[("n", &found.len().to_string())])
        };
        let items = found
            .into_iter()
            .map(|(i, title, snippet)| {
                view! { <li><button type="button" class="cb-help__result" part="result"
                    on:click=move |_| self.open_article(i)>
                    <span class="cb-help__result-title">{title}</span>
                    <span class="cb-help__snippet">{snippet}</span>
                </button></li> }
            })
            .collect_view();
        Some(view! {
            <p class="cb-help__status" role="status" part="results-status">{status}</p>
            <ul class="cb-help__list" role="list" part="results">{items}</ul>
        })
    }

    /// Fires `searched` when the shopper settles on a query (Enter or leaving the box).
    fn searched(self) {
        let query = self.query.get_untracked();
        if query.trim().is_empty() {
            return;
        }
        let count = self
            .with_content(|c| model::search(c, &query).len())
            .unwrap_or(0);
        let detail = object_of(&[("query", query.into()), ("results", (count as f64).into())]);
        self.ctx.emit(events::SEARCHED, &detail, false);
    }

    fn article(self, s: &Strings, position: usize) -> impl IntoView {
        let Some((id, title, body)) = self
            .with_content(|c| {
                c.articles
                    .get(position)
                    .map(|a| (a.id.clone(), a.title.clone(), a.body.clone()))
            })
            .flatten()
        else {
            return self.home(s).into_any();
        };
        let holder = NodeRef::<leptos::html::Div>::new();
        Effect::new(move |_| {
            if let Some(holder) = holder.get() {
                build(&holder, &body);
            }
        });
        view! {
            <button type="button" class="cb-btn cb-btn--quiet cb-help__back" part="back-button"
                on:click=move |_| self.go(Screen::Home)>{["← ", s.get(Key::Home)].concat()}</button>
            <article class="cb-help__article" part="article">
                <h3 class="cb-help__title" tabindex="-1" data-focus="">{title}</h3>
                <div class="cb-help__body" node_ref=holder></div>
            </article>
            {self.feedback(s, ["article:", &id].concat(), Key::Helpful)}
            <button type="button" class="cb-btn cb-btn--quiet" part="contact-button"
                on:click=move |_| self.go(Screen::Contact)>{s.get(Key::ContactTitle).to_owned()}</button>
        }
        .into_any()
    }

    /// "Did this help?" with yes and no, or the thanks once answered. A "no" on a wizard
    /// leaf leads to the contact form.
    fn feedback(self, s: &Strings, subject: String, question: Key) -> impl IntoView {
        let done = self.answered.with(|a| a.contains(&subject));
        if done {
            return view! { <p class="cb-help__thanks" role="status">{s.get(Key::Thanks).to_owned()}</p> }.into_any();
        }
        let answer = move |helpful: bool| {
            let subject = subject.clone();
            move |_| self.send_feedback(subject.clone(), helpful)
        };
        view! {
            <div class="cb-help__feedback" part="feedback" role="group" aria-label=s.get(question).to_owned()>
                <span>{s.get(question).to_owned()}</span>
                <button type="button" class="cb-btn cb-btn--quiet" on:click=answer(true)>{s.get(Key::Yes).to_owned()}</button>
                <button type="button" class="cb-btn cb-btn--quiet" on:click=answer(false)>{s.get(Key::No).to_owned()}</button>
            </div>
        }
        .into_any()
    }

    fn send_feedback(self, subject: String, helpful: bool) {
        self.answered.update(|a| a.push(subject.clone()));
        let detail = object_of(&[
            ("subject", subject.as_str().into()),
            ("helpful", helpful.into()),
        ]);
        self.ctx.emit(events::FEEDBACK, &detail, false);
        let api = self.ctx.api();
        let key = crate::api::new_idempotency_key();
        leptos::task::spawn_local(async move {
            // A lost vote is not worth bothering the shopper about; failures are reported.
            let sent: Result<crate::wire::Ignored, _> =
                api.post("/help/feedback", None, &key, &detail).await;
            if let Err(error) = sent {
                self.ctx.report(&error);
            }
        });
        if !helpful && matches!(self.screen.get_untracked(), Screen::Walk(_)) {
            self.go(Screen::Contact);
        }
    }

    /// The shop's phone, email, hours and address, as far as it gave them.
    fn channels(self, s: &Strings) -> Option<impl IntoView> {
        let contact = self.with_content(|c| c.contact.clone())?;
        let line = |label: Key, value: Option<String>, href: Option<String>| {
            value.map(|value| {
                let shown = match href {
                    Some(href) => view! { <a href=href>{value}</a> }.into_any(),
                    None => value.into_any(),
                };
                view! { <dt>{s.get(label).to_owned()}</dt><dd>{shown}</dd> }
            })
        };
        let phone_href = contact
            .phone
            .as_ref()
            .map(|p| ["tel:", &p.replace(' ', "")].concat());
        let email_href = contact.email.as_ref().map(|e| ["mailto:", e].concat());
        let any = contact.phone.is_some()
            || contact.email.is_some()
            || contact.hours.is_some()
            || contact.address.is_some();
        any.then(|| {
            view! {
                <h3 class="cb-help__heading">{s.get(Key::ContactTitle).to_owned()}</h3>
                <dl class="cb-help__channels" part="channels">
                    {line(Key::Phone, contact.phone.clone(), phone_href)}
                    {line(Key::Email, contact.email.clone(), email_href)}
                    {line(Key::Hours, contact.hours.clone(), None)}
                    {line(Key::Address, contact.address.clone(), None)}
                </dl>
            }
        })
    }

    fn done(self, s: &Strings, message: String) -> impl IntoView {
        view! {
            <p class="cb-help__done" role="status" part="ticket-status" tabindex="-1" data-focus="">{message}</p>
            <button type="button" class="cb-btn cb-btn--quiet" on:click=move |_| self.go(Screen::Home)>
                {s.get(Key::Home).to_owned()}
            </button>
        }
    }
}

/// `text` with the byte ranges in `marks` wrapped in `<mark>`.
fn marked(text: &str, marks: &[(usize, usize)]) -> impl IntoView {
    let mut pieces = Vec::new();
    let mut at = 0;
    for &(from, to) in marks {
        if from < at
            || to > text.len()
            || !text.is_char_boundary(from)
            || !text.is_char_boundary(to)
        {
            continue;
        }
        pieces.push(text[at..from].to_owned().into_any());
        pieces.push(view! { <mark>{text[from..to].to_owned()}</mark> }.into_any());
        at = to;
    }
    pieces.push(text[at..].to_owned().into_any());
    pieces.collect_view()
}

/// Builds an article's body under `holder`, element by element (no HTML parsing, so
/// pages requiring Trusted Types show it too).
fn build(holder: &web_sys::HtmlDivElement, body: &Body) {
    let Some(document) = holder.owner_document() else {
        return;
    };
    holder.replace_children_with_node_0();
    for node in body {
        if let Some(child) = dom(&document, node) {
            let _ = holder.append_child(&child);
        }
    }
}

fn dom(document: &web_sys::Document, node: &Node) -> Option<web_sys::Node> {
    match node {
        Node::Text(text) => Some(document.create_text_node(text).into()),
        Node::Element {
            tag,
            attributes,
            children,
        } => {
            let element = document.create_element(tag.as_str()).ok()?;
            for (name, value) in attributes {
                let _ = element.set_attribute(name, value);
            }
            if *tag == model::Tag::A {
                let _ = element.set_attribute("rel", "noopener noreferrer nofollow");
                let _ = element.set_attribute("target", "_blank");
            }
            for child in children {
                if let Some(child) = dom(document, child) {
                    let _ = element.append_child(&child);
                }
            }
            Some(element.unchecked_into())
        }
    }
}
