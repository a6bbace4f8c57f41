//! One question as a fieldset, per kind: a scale of radios (NPS, CSAT as faces, effort)
//! with its ends named, the options of a single (radios) or multiple (checkboxes)
//! choice, or a text box with its character count. Arrow keys move across a radio group
//! as in a native one, and choose as they move.

use comeback_core::survey::{answers, Answer, QuestionKind, QuestionView};
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::strings::Key;
use super::view::Keys;
use super::{model, Survey};
use crate::i18n::Strings;

impl Survey {
    /// One question as a fieldset: its text as the legend, its answers inside.
    pub(super) fn question(self, s: &Strings, q: &QuestionView) -> impl IntoView {
        let legend_id = ["cb-survey-q-", &q.id].concat();
        let optional = q.optional.then(|| {
            view! { <span class="cb-survey__optional" part="optional">{[" ", s.get(Key::Optional)].concat()}</span> }
        });
        let body = match q.kind {
            QuestionKind::Nps | QuestionKind::Csat | QuestionKind::Effort => {
                self.scale(s, q).into_any()
            }
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
                self.options(s, q).into_any()
            }
            QuestionKind::Text => self.text(q).into_any(),
        };
        view! {
            <fieldset class=["cb-survey__question cb-survey__question--", q.kind.as_str()].concat()
                part="question" data-question=q.id.clone() data-kind=q.kind.as_str()
                aria-invalid=move || self.missing.get().then_some("true")>
                <legend class="cb-survey__legend" part="question-text" id=legend_id>
                    {q.text.clone()}{optional}
                </legend>
                {body}
            </fieldset>
        }
    }

    /// Arrow keys across a group of radios: the next value from the focused radio (as in
    /// a native group, where focus may rest on one not chosen), else from the chosen one,
    /// is chosen and focused.
    pub(super) fn arrows(self, ev: &KeyboardEvent, question: &str, values: &[(Answer, String)]) {
        let focused = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| values.iter().position(|(_, v)| *v == input.value()));
        let selected = focused.or_else(|| {
            self.answers.with_untracked(|a| {
                a.get(question)
                    .and_then(|current| values.iter().position(|(v, _)| v == current))
            })
        });
        let Some(index) = model::arrow(&ev.key(), selected, values.len()) else {
            return;
        };
        ev.prevent_default();
        let (answer, value) = values[index].clone();
        self.choose(question, answer);
        let group = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let input = group.and_then(|g| {
            g.query_selector(&["input[value=\"", &value, "\"]"].concat())
                .ok()
                .flatten()
        });
        // Checked at once, as a native radio group does, not when the view catches up.
        if let Some(input) = input.and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok()) {
            input.set_checked(true);
            let _ = input.focus();
        }
    }

    /// A radio input bound to `answer` for `question`, or (`multiple`) a checkbox for
    /// the option whose id `answer` holds as text: one input shape for every kind, so
    /// its view code is in the chunk once.
    fn input(self, multiple: bool, question: &str, answer: Answer, value: String) -> impl IntoView {
        let (id, value_answer) = (question.to_owned(), answer.clone());
        let checked = move || {
            self.answers
                .with(|a| model::chosen(a.get(&id), &value_answer))
        };
        let id = question.to_owned();
        view! {
            <input type=if multiple { "checkbox" } else { "radio" } name=question.to_owned()
                value=value prop:checked=checked
                on:change=self.on_answer(id, Some((answer, multiple)))/>
        }
    }

    /// The handler of an input of `question`: a radio's or checkbox's `answer` (see
    /// [`Survey::pick`]), or with none the text box's text. One handler type for every
    /// input, so its code is in the chunk once.
    fn on_answer(
        self,
        question: String,
        answer: Option<(Answer, bool)>,
    ) -> impl Fn(web_sys::Event) + 'static {
        move |ev| match &answer {
            Some((answer, multiple)) => self.pick(&question, answer.clone(), *multiple),
            None => self.choose(&question, Answer::Text(event_target_value(&ev))),
        }
    }

    /// An input changed: a radio's answer replaces the question's; a checkbox's option
    /// is added to or taken from its choices, kept in the order of the options.
    fn pick(self, question: &str, answer: Answer, multiple: bool) {
        let answer = match (answer, multiple) {
            (Answer::Text(option), true) => {
                let ids: Vec<String> = self.shown.with_untracked(|shown| {
                    shown
                        .iter()
                        .flat_map(|s| s.view.questions.iter())
                        .filter(|q| q.id == question)
                        .flat_map(|q| q.options.iter().map(|o| o.id.clone()))
                        .collect()
                });
                Answer::Choices(self.answers.with_untracked(|a| match a.get(question) {
                    Some(Answer::Choices(c)) => model::toggle(&ids, c, &option),
                    _ => model::toggle(&ids, &[], &option),
                }))
            }
            (answer, _) => answer,
        };
        self.choose(question, answer);
    }

    /// NPS, CSAT (faces) and effort: a row of radios with the ends named.
    fn scale(self, s: &Strings, q: &QuestionView) -> impl IntoView {
        let defaults = model::default_ends(q.kind);
        let end = |own: &Option<String>, default: Option<Key>| {
            own.clone()
                .or_else(|| default.map(|k| s.get(k).to_owned()))
                .unwrap_or_default()
        };
        let low = end(&q.low_label, defaults.map(|d| d.0));
        let high = end(&q.high_label, defaults.map(|d| d.1));
        let scores = model::scale(q.kind);
        let values: Vec<(Answer, String)> = scores
            .iter()
            .map(|v| (Answer::Score(*v), v.to_string()))
            .collect();
        let last = scores.len().saturating_sub(1);
        let points = scores
            .iter()
            .enumerate()
            .map(|(index, &score)| {
                let (shown, named) = match (q.kind, model::csat_face(score)) {
                    (QuestionKind::Csat, Some((face, key))) => (face.to_owned(), s.get(key).to_owned()),
                    _ => (score.to_string(), String::new()),
                };
                // Screen readers hear the ends' words with the ends' numbers.
                let named = match (q.kind, index) {
                    (QuestionKind::Csat, _) => named,
                    (_, 0) => [" ", &low].concat(),
                    (_, i) if i == last => [" ", &high].concat(),
                    _ => named,
                };
                let face = q.kind == QuestionKind::Csat;
                view! {
                    <label class="cb-survey__point" part="scale-point" data-value=score.to_string()>
                        {self.input(false, &q.id, Answer::Score(score), score.to_string())}
                        <span class="cb-survey__mark" aria-hidden=face.then_some("true")>{shown}</span>
                        {(!named.is_empty()).then(|| view! { <span class="cb-sr-only">{named}</span> })}
                    </label>
                }
            })
            .collect_view();
        let id = q.id.clone();
        view! {
            <div class=["cb-survey__scale cb-survey__scale--", q.kind.as_str()].concat() part="scale"
                on:keydown=self.on_key(Keys::Arrows(id, values))>
                {points}
            </div>
            <div class="cb-survey__ends" part="scale-ends" aria-hidden="true">
                <span>{low}</span>
                <span>{high}</span>
            </div>
        }
    }

    /// Single choice (radios, arrow keys) and multiple choice (checkboxes).
    fn options(self, s: &Strings, q: &QuestionView) -> impl IntoView {
        let multiple = q.kind == QuestionKind::MultipleChoice;
        let items = q
            .options
            .iter()
            .map(|option| {
                let input = self.input(
                    multiple,
                    &q.id,
                    Answer::Text(option.id.clone()),
                    option.id.clone(),
                );
                view! {
                    <label class="cb-survey__option" part="option" data-option=option.id.clone()>
                        {input}
                        <span>{option.label.clone()}</span>
                    </label>
                }
            })
            .collect_view();
        let values: Vec<(Answer, String)> = q
            .options
            .iter()
            .map(|o| (Answer::Text(o.id.clone()), o.id.clone()))
            .collect();
        // Checkboxes are not a group the arrows move across.
        let values = if multiple { Vec::new() } else { values };
        let on_keydown = self.on_key(Keys::Arrows(q.id.clone(), values));
        view! {
            {multiple.then(|| view! { <p class="cb-survey__hint cb-muted" part="hint">{s.get(Key::ChooseAny).to_owned()}</p> })}
            <div class="cb-survey__options" part="options" on:keydown=on_keydown>{items}</div>
        }
    }

    /// Free text, with its character count.
    fn text(self, q: &QuestionView) -> impl IntoView {
        let field_id = ["cb-survey-text-", &q.id].concat();
        let count_id = [&field_id, "-count"].concat();
        let max = answers::MAX_TEXT_CHARS;
        let (id, read) = (q.id.clone(), q.id.clone());
        let value = move || {
            self.answers.with(|a| match a.get(&read) {
                Some(Answer::Text(text)) => text.clone(),
                _ => String::new(),
            })
        };
        let typed = value.clone();
        let count = move || {
            let n = model::characters(&typed());
            self.ctx.strings().fill(
                Key::Characters,
                &[("n", &n.to_string()), ("max", &max.to_string())],
            )
        };
        view! {
            <textarea class="cb-survey__text" part="text" id=field_id rows="4" maxlength=max.to_string()
                aria-describedby=count_id.clone() prop:value=value
                on:input=self.on_answer(id, None)></textarea>
            <p class="cb-survey__count cb-muted" part="char-count" id=count_id>{count}</p>
        }
    }
}
