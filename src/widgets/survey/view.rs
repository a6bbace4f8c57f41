//! The survey on screen: inline, as a corner card or behind a side tab; the step being
//! answered with its progress line and buttons, or the thanks.

use std::sync::Arc;

use comeback_core::survey::{answers, Answer, Placement, SurveyView};
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::strings::Key;
use super::{model, Done, Phase, Shown, Survey};
use crate::i18n::Strings;

/// What a button of the survey does.
#[derive(Clone, Copy)]
enum Click {
    /// The side tab: opens the card.
    Open,
    /// The close button.
    Close,
    /// The back button.
    Back,
}

/// What a keydown handler of the survey listens for.
pub(super) enum Keys {
    /// Esc on the survey shown with this placement: a floating one folds its side tab
    /// or closes.
    Escape(Placement),
    /// Enter in the form: on to the next step.
    Enter,
    /// Arrow keys across the radios of a question (its id, and each radio's answer
    /// and value); none for checkboxes.
    Arrows(String, Vec<(Answer, String)>),
}

impl Survey {
    /// The keydown handler for `keys`: one handler type for the card, the form and
    /// the radio groups, so its code is in the chunk once.
    pub(super) fn on_key(self, keys: Keys) -> impl Fn(KeyboardEvent) + 'static {
        move |ev| match &keys {
            Keys::Escape(placement) => self.escape(&ev, *placement),
            Keys::Enter => self.enter(&ev),
            Keys::Arrows(question, values) => self.arrows(&ev, question, values),
        }
    }

    /// Esc folds the side tab's card (the survey still waits there) or closes a pop-up.
    fn escape(self, ev: &KeyboardEvent, placement: Placement) {
        if ev.key() != "Escape" || placement == Placement::Inline {
            return;
        }
        ev.prevent_default();
        if placement == Placement::SideTab && self.phase.get_untracked() == Phase::Asking {
            self.open.set(false);
            self.ctx.focus_later("[part~=side-tab]".into());
        } else {
            self.close();
        }
    }

    /// Enter goes on from a choice too (a browser submits only from text fields); in the
    /// comment box it is a new line, Ctrl or ⌘ + Enter goes on.
    fn enter(self, ev: &KeyboardEvent) {
        if ev.key() != "Enter" || ev.is_composing() {
            return;
        }
        let tag = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|e| e.tag_name())
            .unwrap_or_default();
        let in_text = tag.eq_ignore_ascii_case("textarea");
        if tag.eq_ignore_ascii_case("button") || (in_text && !(ev.ctrl_key() || ev.meta_key())) {
            return;
        }
        ev.prevent_default();
        self.next();
    }

    /// The click handler of a button: one handler type for every button, so its code
    /// is in the chunk once.
    fn on_click(self, click: Click) -> impl Fn(leptos::ev::MouseEvent) + 'static {
        move |_| match click {
            Click::Open => {
                self.open.set(true);
                self.focus_question();
            }
            Click::Close => self.close(),
            Click::Back => self.back(),
        }
    }

    pub(super) fn render(self) -> AnyView {
        let phase = self.phase.get();
        let Some(shown) = self.shown.get() else {
            return ().into_any();
        };
        let view = &shown.view;
        if matches!(phase, Phase::Idle | Phase::Closed) {
            return ().into_any();
        }
        let ctx = self.ctx;
        let s = ctx.strings();
        let (theme, locale) = ctx
            .settings
            .with(|st| (st.theme.class(), st.locale.as_str()));
        let placement = shown.placement;
        let floating = placement != Placement::Inline;
        // The class modifier is the wire name with a hyphen (`side-tab`).
        let modifier = match placement {
            Placement::Inline => "inline",
            Placement::Popup => "popup",
            Placement::SideTab => "side-tab",
        };
        let class = ["cb-root cb-survey cb-survey--", modifier, " ", theme].concat();
        if placement == Placement::SideTab && !self.open.get() {
            return view! {
                <div class=class part="root" lang=locale>
                    <button type="button" class="cb-survey__tab" part="side-tab"
                        aria-expanded="false" on:click=self.on_click(Click::Open)>{s.get(Key::Open).to_owned()}</button>
                </div>
            }
            .into_any();
        }
        let on_keydown = self.on_key(Keys::Escape(placement));
        let body = match phase {
            Phase::Done(done) => self.thanks(&s, view, done).into_any(),
            _ => self.asking(&s, &shown).into_any(),
        };
        view! {
            <section class=class part="root" lang=locale aria-labelledby="cb-survey-title"
                role=floating.then_some("dialog") aria-modal=floating.then_some("false")
                on:keydown=on_keydown>
                <div class="cb-survey__head">
                    <h2 class="cb-survey__title" id="cb-survey-title" part="title">{view.title.clone()}</h2>
                    <button type="button" class="cb-survey__close" part="close-button"
                        aria-label=s.get(Key::Close).to_owned() on:click=self.on_click(Click::Close)>
                        <span aria-hidden="true">"×"</span>
                    </button>
                </div>
                {body}
            </section>
        }
        .into_any()
    }

    fn thanks(self, s: &Strings, view: &SurveyView, done: Done) -> impl IntoView {
        let line = match done {
            Done::Sent(points) if points > 0 => Some((
                "rewarded",
                s.fill(Key::Rewarded, &[("points", &s.points(points))]),
            )),
            Done::Sent(_) => None,
            Done::Saved => Some(("saved", s.get(Key::Saved).to_owned())),
            Done::Failed => Some(("failed", s.get(Key::Failed).to_owned())),
        };
        view! {
            <p class="cb-survey__thanks" part="thanks" role="status" tabindex="-1">{view.thanks.clone()}</p>
            {line.map(|(part, text)| view! { <p class="cb-survey__note" part=part>{text}</p> })}
        }
    }

    fn asking(self, s: &Strings, shown: &Arc<Shown>) -> impl IntoView {
        let view = &shown.view;
        // The step and how many the branching shows now (answering the question on
        // screen can add or remove later ones, never change it).
        let at = {
            let shown = shown.clone();
            move || {
                let step = self.step.get();
                self.answers.with(|a| {
                    let questions = &shown.view.questions;
                    let total = answers::visible(questions, a).len();
                    (model::clamp_step(questions, a, step), total)
                })
            }
        };
        let current = shown.clone();
        let question = move || {
            let step = self.step.get();
            let questions = &current.view.questions;
            let index = self.answers.with_untracked(|a| {
                let (q, _) = model::current(questions, a, step)?;
                questions.iter().position(|x| std::ptr::eq(x, q))
            })?;
            Some(self.question(&self.ctx.strings(), &questions[index]))
        };
        let progress = {
            let at = at.clone();
            move || {
                let (step, total) = at();
                self.ctx.strings().fill(
                    Key::Progress,
                    &[
                        ("n", &(step + 1).to_string()),
                        ("total", &total.to_string()),
                    ],
                )
            }
        };
        let reward = view
            .reward_points
            .filter(|_| self.ctx.token.get_untracked().is_some())
            .map(|points| {
                view! { <p class="cb-survey__reward" part="reward">{s.fill(Key::Reward, &[("points", &s.points(points))])}</p> }
            });
        let last = {
            let at = at.clone();
            move || {
                let (step, total) = at();
                step + 1 >= total
            }
        };
        let first = move || self.step.get() == 0;
        let on_submit = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            self.next();
        };
        let on_enter = self.on_key(Keys::Enter);
        let (next, send, sending, back) = (
            s.get(Key::Next).to_owned(),
            s.get(Key::Send).to_owned(),
            s.get(Key::Sending).to_owned(),
            s.get(Key::Back).to_owned(),
        );
        let required = s.get(Key::Required).to_owned();
        view! {
            {view.intro.clone().map(|intro| view! { <p class="cb-survey__intro" part="intro">{intro}</p> })}
            {reward}
            <p class="cb-survey__progress" part="progress">{progress}</p>
            <form class="cb-survey__form" part="form" novalidate on:submit=on_submit on:keydown=on_enter>
                {question}
                {move || self.missing.get().then(|| view! {
                    <p class="cb-survey__error" part="error" role="alert">{required.clone()}</p>
                })}
                <div class="cb-survey__nav">
                    {move || (!first()).then(|| {
                        let back = back.clone();
                        view! {
                            <button type="button" class="cb-btn cb-btn--quiet" part="back-button"
                                on:click=self.on_click(Click::Back)>{back}</button>
                        }
                    })}
                    {move || {
                        let (sending_now, last) = (self.sending.get(), last());
                        let text = if sending_now { &sending } else if last { &send } else { &next };
                        view! {
                            <button type="submit" class="cb-btn"
                                part=if last { "send-button" } else { "next-button" }
                                disabled=sending_now>{text.clone()}</button>
                        }
                    }}
                </div>
            </form>
        }
    }
}
