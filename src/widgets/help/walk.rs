//! The troubleshooting wizard: one question at a time, with back, start over and the
//! progress, all by keyboard (answers are buttons, and focus moves to each new question).
//! A solved leaf asks whether it helped; a contact leaf hands over to the contact form
//! with the path already filled in.

use leptos::prelude::*;

use super::model::{StepKind, Walk};
use super::strings::Key;
use super::{events, Help, Screen};
use crate::i18n::Strings;
use crate::wire::object_of;

impl Help {
    pub(super) fn start_walk(self, tree: usize) {
        if let Some(id) = self
            .with_content(|c| c.trees.get(tree).map(|t| t.id.clone()))
            .flatten()
        {
            let detail = object_of(&[("tree", id.into())]);
            self.ctx.emit(events::WIZARD_STARTED, &detail, false);
        }
        self.go(Screen::Walk(Walk::start(tree)));
    }

    /// Moves the walk on (or back) and announces a leaf when one is reached.
    fn step_to(self, walk: Walk) {
        let leaf = self.with_content(|c| {
            let step = walk.current(c)?;
            let tree = c.trees.get(walk.tree)?;
            (step.kind != StepKind::Question).then(|| (tree.id.clone(), step.id.clone(), step.kind))
        });
        if let Some((tree, step, kind)) = leaf.flatten() {
            let kind = if kind == StepKind::Solved {
                "solved"
            } else {
                "contact"
            };
            let detail = object_of(&[
                ("tree", tree.into()),
                ("step", step.into()),
                ("kind", kind.into()),
            ]);
            self.ctx.emit(events::WIZARD_FINISHED, &detail, false);
        }
        self.walked.set(Some(walk.clone()));
        self.go(Screen::Walk(walk));
    }

    pub(super) fn walk(self, s: &Strings, walk: Walk) -> impl IntoView {
        let Some((title, step, (here, most), linked)) = self
            .with_content(|c| {
                let tree = c.trees.get(walk.tree)?;
                let step = walk.current(c)?.clone();
                let linked = step
                    .article
                    .as_ref()
                    .and_then(|id| c.articles.iter().position(|a| &a.id == id))
                    .map(|i| (i, c.articles[i].title.clone()));
                Some((tree.title.clone(), step, walk.progress(c), linked))
            })
            .flatten()
        else {
            return self.home(s).into_any();
        };
        let subject = [
            "leaf:",
            &self
                .with_content(|c| c.trees[walk.tree].id.clone())
                .unwrap_or_default(),
            "/",
            &step.id,
        ]
        .concat();
        let answers = step
            .answers
            .iter()
            .enumerate()
            .map(|(index, (label, _))| {
                let walk = walk.clone();
                view! { <li><button type="button" class="cb-btn cb-help__answer" part="answer"
                on:click=move |_| {
                    let mut next = walk.clone();
                    if let Some(()) = self.with_content(|c| next.choose(c, index)) {
                        self.step_to(next);
                    }
                }>{label.clone()}</button></li> }
            })
            .collect_view();
        let ending = match step.kind {
            StepKind::Question => None,
            StepKind::Solved => Some(
                view! {
                    {linked.map(|(i, title)| view! {
                        <button type="button" class="cb-help__link" part="article-link"
                            on:click=move |_| self.open_article(i)>{s.fill(Key::ReadArticle, &[("title", &title)])}</button>
                    })}
                    {self.feedback(s, subject, Key::Solved)}
                }
                .into_any(),
            ),
            StepKind::Contact => Some(
                view! {
                    <button type="button" class="cb-btn" part="contact-button"
                        on:click=move |_| self.go(Screen::Contact)>{s.get(Key::ContactTitle).to_owned()}</button>
                }
                .into_any(),
            ),
        };
        let back = walk.clone();
        let restart = walk.clone();
        let at_start = walk.answers.is_empty();
        view! {
            <div class="cb-help__walk" part="wizard">
                <p class="cb-help__progress" part="progress">
                    <span>{title}</span>" · "
                    <span>{s.fill(Key::Progress, &[("n", &here.to_string()), ("total", &most.to_string())])}</span>
                </p>
                <progress max=most.to_string() value=here.to_string() aria-hidden="true"></progress>
                <h3 class="cb-help__question" tabindex="-1" data-focus="" part="question">{step.text.clone()}</h3>
                <ul class="cb-help__answers" role="list">{answers}</ul>
                {ending}
                <div class="cb-help__walk-nav">
                    <button type="button" class="cb-btn cb-btn--quiet" part="back-button" disabled=at_start
                        on:click=move |_| {
                            let mut previous = back.clone();
                            previous.back();
                            self.step_to(previous);
                        }>{s.get(Key::Back).to_owned()}</button>
                    <button type="button" class="cb-btn cb-btn--quiet" part="restart-button" disabled=at_start
                        on:click=move |_| {
                            let mut first = restart.clone();
                            first.restart();
                            self.step_to(first);
                        }>{s.get(Key::Restart).to_owned()}</button>
                    <button type="button" class="cb-btn cb-btn--quiet" on:click=move |_| self.go(Screen::Home)>
                        {s.get(Key::Home).to_owned()}
                    </button>
                </div>
            </div>
        }
        .into_any()
    }
}
