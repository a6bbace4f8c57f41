//! `<comeback-survey>`: a short feedback survey at the right moment, once.
//!
//! The element asks the server whether a survey is due (`GET …/surveys/due`: on the
//! order-complete page with its order, N days after a signed-in shopper's order, or when
//! `Comeback.track(name)` names its event, also for a name tracked before it mounted),
//! then applies [`comeback_core::survey::recontact::due`] to the browser's own history,
//! so a guest is not asked twice either and a pop-up waits while another Comeback dialog
//! is open. Nothing shows unless a survey is due. It shows inline where the element sits,
//! as a polite corner card (non-modal, Esc closes it) or as a tab on the window's edge,
//! one question per step with a progress line; the branching
//! ([`comeback_core::survey::answers::visible`]) decides which follow-ups are asked,
//! and only their answers are sent. A half-finished survey resumes after a reload; an
//! answer the backend cannot take now waits on the device and is sent later, exactly once
//! ([`send`]).
//!
//! Attributes: `survey`, `trigger` (`order-complete`, `days-after-order`, `event`),
//! `order`, `products` (comma separated), `event`, `placement` (`inline`, `popup`,
//! `side-tab`), `theme`, `lang`. Parts: `root`, `title`, `intro`, `reward`, `progress`,
//! `progress-bar`, `form`, `question`, `question-text`, `optional`, `scale`,
//! `scale-point`, `scale-ends`, `options`, `option`, `hint`, `text`, `char-count`,
//! `error`, `back-button`, `next-button`, `send-button`, `close-button`, `side-tab`,
//! `thanks`, `saved`, `rewarded`, `failed`.

pub mod events;
pub mod model;
mod send;
mod store;
pub mod strings;
mod wire;

use std::sync::Arc;

use comeback_core::survey::{
    answers, recontact, Answer, Answers, Ask, Contact, Outcome, Placement, QuestionKind,
    QuestionView, RewardOutcome, SurveyDue, SurveyView, Trigger,
};
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::api::{encode, new_idempotency_key};
use crate::embed::WidgetContext;
use crate::i18n::Strings;
use crate::listeners;
use crate::wire::{get, number, object_of};
use model::{Advance, Draft, Request};
use strings::Key;

/// The widget's stylesheet.
pub const CSS: &str = include_str!("style.css");

/// The widget as the registry loads it (see [`crate::widgets::Widget`]).
pub fn widget() -> crate::widgets::Widget {
    crate::widgets::Widget {
        view: || SurveyWidget().into_any(),
        css: CSS,
    }
}

/// Where the survey stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Nothing due (yet): nothing shows.
    Idle,
    /// The shopper is answering.
    Asking,
    /// Answered: the thanks, and whether the answer was sent or saved.
    Done(Done),
    /// Dismissed, or closed after answering.
    Closed,
}

/// What became of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Done {
    /// The server took it; points awarded, if any.
    Sent(i64),
    /// It waits on the device.
    Saved,
    /// The server refused it for good.
    Failed,
}

/// The survey's state, `Copy` so every handler can hold it.
#[derive(Clone, Copy)]
struct Survey {
    ctx: WidgetContext,
    /// What the element asks for, from its attributes.
    request: Memo<Request>,
    phase: RwSignal<Phase>,
    survey: RwSignal<Option<Arc<SurveyView>>>,
    order: RwSignal<Option<String>>,
    placement: RwSignal<Placement>,
    answers: RwSignal<Answers>,
    step: RwSignal<usize>,
    /// The side tab's card is open.
    open: RwSignal<bool>,
    /// The shopper tried to go on without a required answer.
    missing: RwSignal<bool>,
    sending: RwSignal<bool>,
    /// Failed tries of the queue while this page stays open (for the backoff).
    tries: StoredValue<u32>,
}

/// The feedback survey. Reads everything from [`WidgetContext`].
#[component]
pub fn SurveyWidget() -> impl IntoView {
    let ctx = WidgetContext::get();
    let request = Memo::new(move |_| {
        ctx.settings
            .with(|s| Request::parse(|name| s.attr(name).map(str::to_owned)))
    });
    let survey = Survey {
        ctx,
        request,
        phase: RwSignal::new(Phase::Idle),
        survey: RwSignal::new(None),
        order: RwSignal::new(None),
        placement: RwSignal::new(Placement::Inline),
        answers: RwSignal::new(Answers::new()),
        step: RwSignal::new(0),
        open: RwSignal::new(false),
        missing: RwSignal::new(false),
        sending: RwSignal::new(false),
        tries: StoredValue::new(0),
    };
    survey.send_queue_when_possible();
    // The names `Comeback.track` announced since the widget mounted (those tracked
    // before it are in `Comeback.tracked`).
    let heard: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let listener = listeners::on_document("comeback:track", move |ev| {
        let detail = ev
            .dyn_ref::<web_sys::CustomEvent>()
            .map(|e| e.detail())
            .unwrap_or(JsValue::UNDEFINED);
        if let Some(name) = get(&detail, "name").as_string() {
            heard.try_update(|h| h.push(name));
        }
    });
    on_cleanup(move || listener.remove());
    // Asked when it mounts, for a new shopper or new attributes, and (an event survey)
    // each time its event is tracked.
    Effect::new(move |_| {
        ctx.token.track();
        let request = survey.request.get();
        let triggered = match (request.trigger(), &request.event) {
            (Trigger::Event, Some(event)) => {
                heard.with(|h| h.contains(event)) || store::tracked().contains(event)
            }
            (Trigger::Event, None) => false,
            _ => true,
        };
        if triggered && survey.phase.get_untracked() == Phase::Idle {
            survey.ask();
        }
    });
    // The answers so far, so a reload resumes where the shopper was.
    Effect::new(move |_| {
        let (answers, step) = (survey.answers.get(), survey.step.get());
        if survey.phase.get_untracked() != Phase::Asking || answers.is_empty() {
            return;
        }
        if let Some(view) = survey.survey.get_untracked() {
            let draft = Draft {
                survey: view.id.clone(),
                version: view.version,
                order: survey.order.get_untracked(),
                answers,
                step,
                at: store::now(),
            };
            store::keep_draft(&survey.shop(), draft);
        }
    });
    move || survey.render()
}

impl Survey {
    fn shop(self) -> String {
        self.ctx.settings.with_untracked(|s| s.shop.clone())
    }

    /// Sends the device's queue now (the survey's code just loaded), when the browser
    /// comes back online, and with backoff while some answers still wait.
    fn send_queue_when_possible(self) {
        self.send_queue();
        let online = listeners::on_window("online", move |_| self.send_queue());
        on_cleanup(move || online.remove());
    }

    fn send_queue(self) {
        leptos::task::spawn_local(async move {
            if send::flush(self.ctx).await {
                self.retry_later();
            } else {
                self.tries.try_set_value(0);
            }
        });
    }

    /// Tries the queue again after a wait that doubles with each failed try, while the
    /// widget stays mounted.
    fn retry_later(self) {
        let Some(tries) = self.tries.try_get_value() else {
            return;
        };
        let tries = tries.saturating_add(1);
        self.tries.set_value(tries);
        let timer = gloo_timers::callback::Timeout::new(model::backoff_ms(tries), move || {
            if self.tries.try_get_value().is_some() {
                self.send_queue();
            }
        });
        timer.forget();
    }

    /// Asks the server whether a survey is due for this element, then the browser's
    /// own history; a draft left for it resumes whatever they say.
    fn ask(self) {
        let ctx = self.ctx;
        let request = self.request.get_untracked();
        let locale = ctx.settings.with_untracked(|s| s.locale.as_str());
        let Some(path) = request.due_path(locale) else {
            return;
        };
        let asked = ctx.asked();
        let api = ctx.api();
        let shop = self.shop();
        leptos::task::spawn_local(async move {
            let due = api.get::<SurveyDue>(&path, asked.token()).await;
            if !ctx.still(&asked) || self.phase.try_get_untracked() != Some(Phase::Idle) {
                return;
            }
            let due = match due {
                Ok(due) => due,
                Err(error) => return ctx.report(&error),
            };
            let order = due.order_id.clone().or(request.order.clone());
            if let Some(view) = due.survey {
                let draft = store::draft(&shop, &view.id, order.as_deref())
                    .filter(|d| d.version == view.version);
                if draft.is_some() || self.due_here(&view, order.as_deref(), &shop) {
                    self.start(view, order, draft);
                }
                return;
            }
            // Not due (asked once, already shown): a half-finished draft still resumes.
            let Some(id) = request.survey.clone() else {
                return;
            };
            let Some(draft) = store::draft(&shop, &id, order.as_deref()) else {
                return;
            };
            let path = ["/surveys/", &encode(&id), "?locale=", locale].concat();
            match api.get::<SurveyView>(&path, asked.token()).await {
                Ok(view) if view.version == draft.version && ctx.still(&asked) => {
                    self.start(view, order, Some(draft));
                }
                Ok(_) => {}
                Err(error) => ctx.report(&error),
            }
        });
    }

    /// Whether the browser's history lets `view` be asked now.
    fn due_here(self, view: &SurveyView, order: Option<&str>, shop: &str) -> bool {
        let placement = self
            .request
            .with_untracked(|r| r.placement)
            .unwrap_or(view.placement);
        let ask = Ask {
            survey: &view.id,
            recontact: view.recontact,
            cooldown_days: view.cooldown_days,
            order_id: order,
            dialog_open: placement != Placement::Inline && store::dialog_open(),
            now: store::now(),
        };
        recontact::due(ask, &store::history(shop)).is_ok()
    }

    /// Shows `view` (resuming `draft`), and records it as shown unless it resumes.
    fn start(self, view: SurveyView, order: Option<String>, draft: Option<Draft>) {
        let placement = self
            .request
            .with_untracked(|r| r.placement)
            .unwrap_or(view.placement);
        let resumed = draft.is_some();
        let (answers, step) = draft.map(|d| (d.answers, d.step)).unwrap_or_default();
        let step = model::clamp_step(&view.questions, &answers, step);
        let (id, version) = (view.id.clone(), view.version);
        self.placement.set(placement);
        self.answers.set(answers);
        self.step.set(step);
        self.order.set(order.clone());
        self.open.set(placement != Placement::SideTab);
        self.survey.set(Some(Arc::new(view)));
        self.phase.set(Phase::Asking);
        if !resumed {
            self.contact(Outcome::Shown);
            let more = [
                ("order_id", wire::or_null(order.as_deref())),
                ("placement", placement.as_str().into()),
            ];
            self.ctx
                .emit(events::SHOWN, &send::detail(&id, version, &more), false);
        }
    }

    /// Records a contact in the browser's history and on the server.
    fn contact(self, outcome: Outcome) {
        let Some(view) = self.survey.get_untracked() else {
            return;
        };
        let order = self.order.get_untracked();
        store::remember(
            &self.shop(),
            Contact {
                survey: view.id.clone(),
                order_id: order.clone(),
                outcome,
                at: store::now(),
            },
        );
        if outcome != Outcome::Answered {
            let body = object_of(&[
                ("version", view.version.into()),
                ("outcome", outcome.as_str().into()),
                ("order_id", wire::or_null(order.as_deref())),
            ]);
            send::report_contact(self.ctx, &view.id, body);
        }
    }

    /// The shopper closed the survey: without an answer it stays dismissed.
    fn close(self) {
        if self.phase.get_untracked() == Phase::Asking {
            if let Some(view) = self.survey.get_untracked() {
                let order = self.order.get_untracked();
                self.contact(Outcome::Dismissed);
                store::forget_draft(&self.shop(), &view.id, order.as_deref());
                let more = [("order_id", wire::or_null(order.as_deref()))];
                self.ctx.emit(
                    events::DISMISSED,
                    &send::detail(&view.id, view.version, &more),
                    false,
                );
            }
        }
        self.phase.set(Phase::Closed);
    }

    fn choose(self, question: &str, answer: Answer) {
        self.answers.update(|a| {
            a.insert(question.to_owned(), answer);
        });
        self.missing.set(false);
    }

    /// Enter or the main button: on to the next shown question, or send.
    fn next(self) {
        let Some(view) = self.survey.get_untracked() else {
            return;
        };
        let step = self.step.get_untracked();
        match self
            .answers
            .with_untracked(|a| model::advance(&view.questions, a, step))
        {
            Advance::Missing => self.missing.set(true),
            Advance::To(step) => {
                self.missing.set(false);
                self.step.set(step);
                self.focus_question();
            }
            Advance::Submit => self.submit(view),
        }
    }

    fn back(self) {
        self.missing.set(false);
        self.step.update(|s| *s = s.saturating_sub(1));
        self.focus_question();
    }

    fn focus_question(self) {
        self.ctx
            .focus_later("[part~=question] input, [part~=question] textarea".into());
    }

    /// Sends the shown questions' answers; the backend's absence queues them.
    fn submit(self, view: Arc<SurveyView>) {
        if self.sending.get_untracked() {
            return;
        }
        let ctx = self.ctx;
        let sent = self
            .answers
            .with_untracked(|a| answers::submitted(&view.questions, a));
        let order = self.order.get_untracked();
        let (products, trigger) = self
            .request
            .with_untracked(|r| (r.products.clone(), r.trigger()));
        let locale = ctx.settings.with_untracked(|s| s.locale.as_str());
        let products: js_sys::Array = products.iter().map(|p| JsValue::from_str(p)).collect();
        let context = object_of(&[
            ("order_id", wire::or_null(order.as_deref())),
            ("products", products.into()),
            ("page", store::page_path().into()),
            ("locale", locale.into()),
            ("trigger", trigger.as_str().into()),
        ]);
        let body = object_of(&[
            ("version", view.version.into()),
            ("answers", wire::answers_js(&sent)),
            ("context", context),
            ("answered_at", number(store::now())),
        ]);
        let key = new_idempotency_key();
        let token = ctx.token.get_untracked();
        let api = ctx.api();
        let shop = self.shop();
        self.sending.set(true);
        leptos::task::spawn_local(async move {
            let outcome = send::post(&api, &view.id, token.as_deref(), &key, &body).await;
            self.sending.try_set(false);
            let done = match (outcome.fate, outcome.result) {
                (model::Fate::Sent, Ok(receipt)) => Done::Sent(
                    (receipt.reward == RewardOutcome::Awarded)
                        .then_some(receipt.points)
                        .unwrap_or(0),
                ),
                (model::Fate::Retry, _) => {
                    let item = store::Queued {
                        key,
                        base: api.base().to_owned(),
                        survey: view.id.clone(),
                        version: view.version,
                        token: token.filter(|_| !outcome.token_dropped),
                        body,
                    };
                    send::enqueue(ctx, &shop, item);
                    Done::Saved
                }
                (_, Err(error)) => {
                    if send::alive(ctx) {
                        ctx.report(&error);
                    }
                    Done::Failed
                }
                (_, Ok(_)) => Done::Failed,
            };
            self.finish(&view, order, sent, done);
        });
    }

    fn finish(self, view: &SurveyView, order: Option<String>, sent: Answers, done: Done) {
        let shop = self.shop();
        store::forget_draft(&shop, &view.id, order.as_deref());
        if done != Done::Failed {
            store::remember(
                &shop,
                Contact {
                    survey: view.id.clone(),
                    order_id: order,
                    outcome: Outcome::Answered,
                    at: store::now(),
                },
            );
        }
        // Unmounted while sending: the answer is safe (sent or queued), nobody to tell.
        if !send::alive(self.ctx) {
            return;
        }
        self.phase.set(Phase::Done(done));
        if done == Done::Failed {
            return;
        }
        if done == Done::Saved {
            self.retry_later();
        }
        let more = [
            ("answers", wire::answers_js(&sent)),
            ("queued", (done == Done::Saved).into()),
        ];
        self.ctx.emit(
            events::ANSWERED,
            &send::detail(&view.id, view.version, &more),
            false,
        );
        self.ctx.focus_later("[part~=thanks]".into());
    }

    fn render(self) -> AnyView {
        let phase = self.phase.get();
        let Some(view) = self.survey.get() else {
            return ().into_any();
        };
        if matches!(phase, Phase::Idle | Phase::Closed) {
            return ().into_any();
        }
        let ctx = self.ctx;
        let s = ctx.strings();
        let (theme, locale) = ctx
            .settings
            .with(|st| (st.theme.class(), st.locale.as_str()));
        let placement = self.placement.get();
        let floating = placement != Placement::Inline;
        let class = [
            "cb-root cb-survey cb-survey--",
            &placement.as_str().replace('_', "-"),
            " ",
            theme,
        ]
        .concat();
        if placement == Placement::SideTab && !self.open.get() {
            let open = move |_| {
                self.open.set(true);
                self.focus_question();
            };
            return view! {
                <div class=class part="root" lang=locale>
                    <button type="button" class="cb-survey__tab" part="side-tab"
                        aria-expanded="false" on:click=open>{s.get(Key::Open).to_owned()}</button>
                </div>
            }
            .into_any();
        }
        let on_keydown = move |ev: KeyboardEvent| {
            if ev.key() != "Escape" || !floating {
                return;
            }
            ev.prevent_default();
            if placement == Placement::SideTab && self.phase.get_untracked() == Phase::Asking {
                self.open.set(false);
                self.ctx.focus_later("[part~=side-tab]".into());
            } else {
                self.close();
            }
        };
        let body = match phase {
            Phase::Done(done) => self.thanks(&s, &view, done).into_any(),
            _ => self.asking(&s, &view).into_any(),
        };
        view! {
            <section class=class part="root" lang=locale aria-labelledby="cb-survey-title"
                role=floating.then_some("dialog") aria-modal=floating.then_some("false")
                on:keydown=on_keydown>
                <div class="cb-survey__head">
                    <h2 class="cb-survey__title" id="cb-survey-title" part="title">{view.title.clone()}</h2>
                    <button type="button" class="cb-survey__close" part="close-button"
                        aria-label=s.get(Key::Close).to_owned() on:click=move |_| self.close()>
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

    fn asking(self, s: &Strings, view: &Arc<SurveyView>) -> impl IntoView {
        let questions = view.clone();
        let at = Memo::new(move |_| {
            let step = self.step.get();
            self.answers.with(|a| {
                model::current(&questions.questions, a, step).map(|(q, total)| {
                    (
                        q.id.clone(),
                        model::clamp_step(&questions.questions, a, step),
                        total,
                    )
                })
            })
        });
        let shown = Memo::new(move |_| at.get().map(|(id, ..)| id));
        let questions = view.clone();
        let question = move || {
            let id = shown.get()?;
            let q = questions.questions.iter().find(|q| q.id == id)?;
            Some(self.question(&self.ctx.strings(), q))
        };
        let progress = move || {
            at.get().map(|(_, step, total)| {
                let s = self.ctx.strings();
                let text = s.fill(
                    Key::Progress,
                    &[
                        ("n", &(step + 1).to_string()),
                        ("total", &total.to_string()),
                    ],
                );
                view! {
                    <p class="cb-survey__progress" part="progress">{text}</p>
                    <progress class="cb-survey__bar" part="progress-bar" aria-hidden="true"
                        max=total.to_string() value=(step + 1).to_string()></progress>
                }
            })
        };
        let reward = view
            .reward_points
            .filter(|_| self.ctx.token.get_untracked().is_some())
            .map(|points| {
                view! { <p class="cb-survey__reward" part="reward">{s.fill(Key::Reward, &[("points", &s.points(points))])}</p> }
            });
        let last = move || matches!(at.get(), Some((_, step, total)) if step + 1 >= total);
        let first = move || matches!(at.get(), Some((_, 0, _)) | None);
        let on_submit = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            self.next();
        };
        // Enter goes on from a choice too (a browser submits only from text fields);
        // in the comment box it is a new line, Ctrl or ⌘ + Enter goes on.
        let on_enter = move |ev: KeyboardEvent| {
            if ev.key() != "Enter" || ev.is_composing() {
                return;
            }
            let tag = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .map(|e| e.tag_name())
                .unwrap_or_default();
            let in_text = tag.eq_ignore_ascii_case("textarea");
            if tag.eq_ignore_ascii_case("button") || (in_text && !(ev.ctrl_key() || ev.meta_key()))
            {
                return;
            }
            ev.prevent_default();
            self.next();
        };
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
            {progress}
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
                                on:click=move |_| self.back()>{back}</button>
                        }
                    })}
                    <button type="submit" class="cb-btn"
                        part=move || if last() { "send-button" } else { "next-button" }
                        disabled=move || self.sending.get()>
                        {move || if self.sending.get() { sending.clone() } else if last() { send.clone() } else { next.clone() }}
                    </button>
                </div>
            </form>
        }
    }

    /// One question as a fieldset: its text as the legend, its answers inside.
    fn question(self, s: &Strings, q: &QuestionView) -> impl IntoView {
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

    /// Arrow keys across a group of radios: the next value is chosen and focused.
    fn arrows(self, ev: &KeyboardEvent, question: &str, values: &[(Answer, String)]) {
        let selected = self.answers.with_untracked(|a| {
            a.get(question)
                .and_then(|current| values.iter().position(|(v, _)| v == current))
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

    /// A radio input bound to `answer` for `question`.
    fn radio(self, question: &str, answer: Answer, value: String) -> impl IntoView {
        let (id, chosen) = (question.to_owned(), answer.clone());
        let checked = move || self.answers.with(|a| a.get(&id) == Some(&chosen));
        let id = question.to_owned();
        view! {
            <input type="radio" name=question.to_owned() value=value prop:checked=checked
                on:change=move |_| self.choose(&id, answer.clone())/>
        }
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
                        {self.radio(&q.id, Answer::Score(score), score.to_string())}
                        <span class="cb-survey__mark" aria-hidden=face.then_some("true")>{shown}</span>
                        {(!named.is_empty()).then(|| view! { <span class="cb-sr-only">{named}</span> })}
                    </label>
                }
            })
            .collect_view();
        let id = q.id.clone();
        view! {
            <div class=["cb-survey__scale cb-survey__scale--", q.kind.as_str()].concat() part="scale"
                on:keydown=move |ev| self.arrows(&ev, &id, &values)>
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
        let question = Arc::new(q.clone());
        let items = q
            .options
            .iter()
            .map(|option| {
                let input = if multiple {
                    let (id, chosen) = (q.id.clone(), option.id.clone());
                    let checked = move || {
                        self.answers.with(|a| {
                            matches!(a.get(&id), Some(Answer::Choices(c)) if c.contains(&chosen))
                        })
                    };
                    let (question, chosen) = (question.clone(), option.id.clone());
                    let on_change = move |_| {
                        let now = self.answers.with_untracked(|a| match a.get(&question.id) {
                            Some(Answer::Choices(c)) => c.clone(),
                            _ => Vec::new(),
                        });
                        let next = model::toggle(&question, &now, &chosen);
                        self.choose(&question.id, Answer::Choices(next));
                    };
                    view! {
                        <input type="checkbox" name=q.id.clone() value=option.id.clone()
                            prop:checked=checked on:change=on_change/>
                    }
                    .into_any()
                } else {
                    self.radio(&q.id, Answer::Text(option.id.clone()), option.id.clone())
                        .into_any()
                };
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
        let id = q.id.clone();
        let on_keydown = move |ev: KeyboardEvent| {
            if !multiple {
                self.arrows(&ev, &id, &values);
            }
        };
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
                on:input=move |ev| self.choose(&id, Answer::Text(event_target_value(&ev)))></textarea>
            <p class="cb-survey__count cb-muted" part="char-count" id=count_id>{count}</p>
        }
    }
}
