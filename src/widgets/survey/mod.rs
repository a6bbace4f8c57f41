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
//! `side-tab`), `preview` (show `survey` now and record nothing), `theme`, `lang`. They are read when the survey asks (on mounting, for a
//! new shopper, when its event is tracked), so the loader observes none of them: set
//! them before the element is connected.
//!
//! Parts: `root`, `title`, `close-button`, `side-tab`, `intro`, `reward`, `progress`,
//! `form`, `question`, `question-text`, `optional`, `scale`,
//! `scale-point`, `scale-ends`, `options`, `option`, `hint`, `text`, `char-count`,
//! `error`, `back-button`, `next-button`, `send-button`, `thanks`, `saved`, `rewarded`,
//! `failed`. Custom properties (besides the shared `--comeback-*`):
//! `--comeback-survey-width`, `--comeback-survey-offset-x`, `--comeback-survey-offset-y`,
//! `--comeback-survey-z-index`, `--comeback-survey-point-size`.

pub mod element;
pub mod events;
pub mod model;
mod questions;
mod send;
mod store;
pub mod strings;
pub mod style;
mod view;
mod wire;

use std::cell::Cell;
use std::sync::Arc;

use comeback_core::survey::{
    answers, recontact, Answer, Answers, Ask, Contact, Outcome, Placement, RewardOutcome,
    SurveyDue, SurveyView, Trigger,
};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::api::{encode, new_idempotency_key};
use crate::embed::WidgetContext;
use crate::listeners;
use crate::wire::{get, number, object_of};
use model::{Advance, Draft, Request};

/// The widget's stylesheet: inline, a corner card (popup) or a side tab, with the custom
/// properties of [`style::THEME`]. A scale's radio keeps the focus and the accessibility;
/// its label (`.cb-survey__mark`) is the look. No comments in the file: it ships as is,
/// in the survey's chunk.
pub const CSS: &str = include_css!("widgets/survey/style.css");

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

/// The survey on screen: what the server sent, the order it is about and where it shows.
struct Shown {
    view: SurveyView,
    order: Option<String>,
    placement: Placement,
    /// Shown by `preview`: nothing is recorded or sent.
    preview: bool,
}

thread_local! {
    /// Failed tries of the queue while this page stays open (for the backoff).
    static TRIES: Cell<u32> = const { Cell::new(0) };
}

/// The survey's state, `Copy` so every handler can hold it. Few signal types on purpose:
/// each one is code in the widget's chunk.
#[derive(Clone, Copy)]
struct Survey {
    ctx: WidgetContext,
    phase: RwSignal<Phase>,
    shown: RwSignal<Option<Arc<Shown>>>,
    answers: RwSignal<Answers>,
    step: RwSignal<usize>,
    /// The side tab's card is open.
    open: RwSignal<bool>,
    /// The shopper tried to go on without a required answer.
    missing: RwSignal<bool>,
    sending: RwSignal<bool>,
    /// The element's event was tracked (an event survey).
    triggered: RwSignal<bool>,
    /// Bumped when a Comeback dialog closed: a waiting pop-up is asked again.
    nudged: RwSignal<usize>,
}

/// What the page tells a survey through `document` and `window`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Heard {
    /// `comeback:track`: a name was tracked.
    Track,
    /// `comeback:launcher:close`: a Comeback dialog closed.
    DialogClosed,
    /// `online`: the browser is back online.
    Online,
}

/// One handler for every page event, so the listener code is in the chunk once.
fn on(survey: Survey, heard: Heard) -> impl FnMut(web_sys::Event) + 'static {
    move |ev| match heard {
        Heard::Track => {
            let detail = ev
                .dyn_ref::<web_sys::CustomEvent>()
                .map(|e| e.detail())
                .unwrap_or(JsValue::UNDEFINED);
            let name = get(&detail, "name").as_string();
            if name.is_some() && name == survey.request().event {
                survey.triggered.try_set(true);
            }
        }
        Heard::DialogClosed => {
            survey.nudged.try_update(|n| *n = n.wrapping_add(1));
        }
        Heard::Online => survey.send_queue(),
    }
}

/// The feedback survey. Reads everything from [`WidgetContext`].
#[component]
pub fn SurveyWidget() -> impl IntoView {
    let ctx = WidgetContext::get();
    let survey = Survey {
        ctx,
        phase: RwSignal::new(Phase::Idle),
        shown: RwSignal::new(None),
        answers: RwSignal::new(Answers::new()),
        step: RwSignal::new(0),
        open: RwSignal::new(false),
        missing: RwSignal::new(false),
        sending: RwSignal::new(false),
        triggered: RwSignal::new(false),
        nudged: RwSignal::new(0),
    };
    // The device's queue goes out now (the survey's code just loaded), when the browser
    // comes back online, and with backoff while some answers still wait.
    survey.send_queue();
    let listening = [
        listeners::on_window("online", on(survey, Heard::Online)),
        listeners::on_document("comeback:track", on(survey, Heard::Track)),
        listeners::on_document("comeback:launcher:close", on(survey, Heard::DialogClosed)),
    ];
    on_cleanup(move || {
        listening
            .into_iter()
            .for_each(listeners::GlobalListener::remove)
    });
    // Asked when it mounts, for a new shopper, when a Comeback dialog closed (a pop-up
    // waits for it), and (an event survey) when its event is tracked, also before it
    // mounted (`Comeback.tracked`).
    Effect::new(move |_| {
        ctx.token.track();
        survey.nudged.track();
        let request = survey.request();
        let go = match (request.trigger(), &request.event) {
            _ if request.preview => true,
            (Trigger::Event, Some(event)) => {
                survey.triggered.get() || store::tracked().contains(event)
            }
            (Trigger::Event, None) => false,
            _ => true,
        };
        if go && survey.phase.get_untracked() == Phase::Idle {
            survey.ask();
        }
    });
    // A new language: the survey's own texts in it, answers and step kept. And the
    // answers so far, so a reload resumes where the shopper was. One effect for both
    // (each effect is code of its own): the language is compared with the last one, and
    // keeping the same draft again is harmless.
    Effect::new(move |asked: Option<&'static str>| {
        let locale = ctx.settings.with(|s| s.locale.as_str());
        if asked.is_some_and(|asked| asked != locale) {
            survey.relocalize(locale);
        }
        let step = survey.step.get();
        survey.answers.with(|answers| {
            if survey.phase.get_untracked() != Phase::Asking || answers.is_empty() {
                return;
            }
            if let Some(shown) = survey.shown.get_untracked().filter(|s| !s.preview) {
                store::keep_draft(
                    &survey.shop(),
                    &shown.view.id,
                    shown.view.version,
                    shown.order.as_deref(),
                    answers,
                    step,
                );
            }
        });
        locale
    });
    move || survey.render()
}

impl Survey {
    fn shop(self) -> String {
        self.ctx.settings.with_untracked(|s| s.shop.clone())
    }

    /// What the element asks for (its attributes when asked).
    fn request(self) -> Request {
        self.ctx.settings.with_untracked(|s| Request {
            preview: s.has_attr("preview"),
            ..Request::parse(|name| s.attr(name).map(str::to_owned))
        })
    }

    fn send_queue(self) {
        let ctx = self.ctx;
        leptos::task::spawn_local(async move {
            if send::flush(ctx).await {
                self.retry_later();
            } else {
                TRIES.with(|t| t.set(0));
            }
        });
    }

    /// Tries the queue again after a wait that doubles with each failed try, while the
    /// widget stays mounted.
    fn retry_later(self) {
        let tries = TRIES.with(|t| {
            t.set(t.get().saturating_add(1));
            t.get()
        });
        let timer = gloo_timers::callback::Timeout::new(model::backoff_ms(tries), move || {
            if send::alive(self.ctx) {
                self.send_queue();
            }
        });
        timer.forget();
    }

    /// Asks the server whether a survey is due for this element, then the browser's
    /// own history; a draft left for it resumes whatever they say.
    fn ask(self) {
        let ctx = self.ctx;
        let request = self.request();
        let locale = ctx.settings.with_untracked(|s| s.locale.as_str());
        if request.preview {
            return self.preview(request, locale);
        }
        let Some(path) = request.due_path(locale) else {
            return;
        };
        let asked = ctx.asked();
        // N days after an order: only a signed-in shopper has orders to ask about.
        if request.trigger() == Trigger::DaysAfterOrder && asked.token().is_none() {
            return;
        }
        let api = ctx.api();
        let shop = self.shop();
        leptos::task::spawn_local(async move {
            let due = wire::decoded::<SurveyDue>(api.get::<wire::Raw>(&path, asked.token()).await);
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
            match wire::decoded::<SurveyView>(api.get::<wire::Raw>(&path, asked.token()).await) {
                Ok(view) if view.version == draft.version && ctx.still(&asked) => {
                    self.start(view, order, Some(draft));
                }
                Ok(_) => {}
                Err(error) => ctx.report(&error),
            }
        });
    }

    /// `preview`: fetches the named survey and shows it from its first question.
    fn preview(self, request: Request, locale: &'static str) {
        let Some(id) = request.survey else {
            return;
        };
        let ctx = self.ctx;
        let (api, asked) = (ctx.api(), ctx.asked());
        let path = ["/surveys/", &encode(&id), "?locale=", locale].concat();
        leptos::task::spawn_local(async move {
            match wire::decoded::<SurveyView>(api.get::<wire::Raw>(&path, asked.token()).await) {
                Ok(view) if ctx.still(&asked) => self.start(view, request.order, None),
                Ok(_) => {}
                Err(error) => ctx.report(&error),
            }
        });
    }

    /// Fetches the survey on screen in `locale` and shows it in place, the answers and
    /// the step kept; nothing changes if it fails or the version moved on.
    fn relocalize(self, locale: &'static str) {
        let Some(shown) = self.shown.get_untracked() else {
            return;
        };
        let ctx = self.ctx;
        let (api, asked) = (ctx.api(), ctx.asked());
        let path = ["/surveys/", &encode(&shown.view.id), "?locale=", locale].concat();
        leptos::task::spawn_local(async move {
            let answer = api.get::<wire::Raw>(&path, asked.token()).await;
            let current = ctx.settings.try_with_untracked(|s| s.locale.as_str());
            match wire::decoded::<SurveyView>(answer) {
                Ok(view) if view.version == shown.view.version && current == Some(locale) => {
                    self.shown.try_set(Some(Arc::new(Shown {
                        view,
                        order: shown.order.clone(),
                        placement: shown.placement,
                        preview: shown.preview,
                    })));
                }
                Ok(_) => {}
                Err(error) => ctx.report(&error),
            }
        });
    }

    /// Whether the browser's history lets `view` be asked now.
    fn due_here(self, view: &SurveyView, order: Option<&str>, shop: &str) -> bool {
        let placement = self.request().placement.unwrap_or(view.placement);
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

    /// Shows `view` (resuming `draft`), and records it as shown unless it resumes or is a
    /// preview.
    fn start(self, view: SurveyView, order: Option<String>, draft: Option<Draft>) {
        let request = self.request();
        let placement = request.placement.unwrap_or(view.placement);
        let resumed = draft.is_some();
        let (answers, step) = draft.map(|d| (d.answers, d.step)).unwrap_or_default();
        let step = model::clamp_step(&view.questions, &answers, step);
        self.answers.set(answers);
        self.step.set(step);
        self.open.set(placement != Placement::SideTab);
        let shown = Arc::new(Shown {
            view,
            order,
            placement,
            preview: request.preview,
        });
        self.shown.set(Some(shown.clone()));
        self.phase.set(Phase::Asking);
        if !resumed && !shown.preview {
            self.contact(&shown, Outcome::Shown);
            let more = [
                ("order_id", wire::or_null(shown.order.as_deref())),
                ("placement", placement.as_str().into()),
            ];
            let detail = send::detail(&shown.view.id, shown.view.version, &more);
            self.ctx.emit(events::SHOWN, &detail, false);
        }
    }

    /// Records a contact in the browser's history and (shown, dismissed) on the server.
    fn contact(self, shown: &Shown, outcome: Outcome) {
        let view = &shown.view;
        store::remember(
            &self.shop(),
            Contact {
                survey: view.id.clone(),
                order_id: shown.order.clone(),
                outcome,
                at: store::now(),
            },
        );
        if outcome != Outcome::Answered {
            let body = object_of(&[
                ("version", view.version.into()),
                ("outcome", outcome.as_str().into()),
                ("order_id", wire::or_null(shown.order.as_deref())),
            ]);
            send::report_contact(self.ctx, &view.id, body);
        }
    }

    /// The shopper closed the survey: without an answer it stays dismissed.
    fn close(self) {
        if let (Phase::Asking, Some(shown)) = (
            self.phase.get_untracked(),
            self.shown.get_untracked().filter(|s| !s.preview),
        ) {
            let (view, order) = (&shown.view, shown.order.as_deref());
            self.contact(&shown, Outcome::Dismissed);
            store::forget_draft(&self.shop(), &view.id, order);
            let more = [("order_id", wire::or_null(order))];
            let detail = send::detail(&view.id, view.version, &more);
            self.ctx.emit(events::DISMISSED, &detail, false);
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
        let Some(shown) = self.shown.get_untracked() else {
            return;
        };
        let step = self.step.get_untracked();
        match self
            .answers
            .with_untracked(|a| model::advance(&shown.view.questions, a, step))
        {
            Advance::Missing => self.missing.set(true),
            Advance::To(step) => {
                self.missing.set(false);
                self.step.set(step);
                self.focus_question();
            }
            Advance::Submit => self.submit(shown),
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
    fn submit(self, shown: Arc<Shown>) {
        if self.sending.get_untracked() {
            return;
        }
        let ctx = self.ctx;
        let view = &shown.view;
        let sent = self
            .answers
            .with_untracked(|a| answers::submitted(&view.questions, a));
        if shown.preview {
            self.phase.set(Phase::Done(Done::Sent(0)));
            return self.ctx.focus_later("[part~=thanks]".into());
        }
        let order = shown.order.as_deref();
        let request = self.request();
        let (trigger, products) = (request.trigger(), request.products);
        let locale = ctx.settings.with_untracked(|s| s.locale.as_str());
        let products: js_sys::Array = products.iter().map(|p| JsValue::from_str(p)).collect();
        let context = object_of(&[
            ("order_id", wire::or_null(order)),
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
            let view = &shown.view;
            let outcome = send::post(&api, &view.id, token.as_deref(), &key, &body).await;
            self.sending.try_set(false);
            let done = match (outcome.fate, outcome.result) {
                (model::Fate::Sent, Ok(receipt)) => {
                    Done::Sent(if receipt.reward == RewardOutcome::Awarded {
                        receipt.points
                    } else {
                        0
                    })
                }
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
            self.finish(&shown, sent, done);
        });
    }

    fn finish(self, shown: &Shown, sent: Answers, done: Done) {
        let view = &shown.view;
        store::forget_draft(&self.shop(), &view.id, shown.order.as_deref());
        if done != Done::Failed {
            self.contact(shown, Outcome::Answered);
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
}
