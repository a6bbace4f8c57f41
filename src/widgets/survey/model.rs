//! The survey widget's decisions, kept free of the DOM so they are tested natively: what
//! the element asks for (its attributes), which question the shopper is on and whether
//! they may go on, the keys of a scale or option group, the bounded lists the browser
//! keeps (its contact history, half-finished drafts, answers waiting to be sent) and
//! what becomes of a queued answer once the server replied. Which questions the
//! branching shows, which answers a question takes and when a survey is due are the
//! rules of [`comeback_core::survey`], shared with the server.

use comeback_core::survey::{
    answers, Answer, Answers, Contact, Placement, QuestionKind, QuestionView, Trigger,
};

use super::strings::Key;
use crate::api::encode;

/// Contacts the browser remembers per shop (newest kept).
pub const HISTORY_LIMIT: usize = 50;
/// Answers waiting to be sent per shop; a new one pushes the oldest out.
pub const QUEUE_LIMIT: usize = 20;
/// Half-finished surveys kept per shop.
pub const DRAFT_LIMIT: usize = 10;
/// A draft older than this is forgotten (seconds): the server keeps an answer's
/// `answered_at` only within 30 days.
pub const DRAFT_MAX_AGE: i64 = 30 * 86_400;
/// Most product ids the context carries (the server's bound).
pub const MAX_PRODUCTS: usize = 50;
/// The first wait before a queued answer is tried again while the page stays open.
pub const BACKOFF_FIRST_MS: u32 = 5_000;
/// The longest wait between two tries.
pub const BACKOFF_MAX_MS: u32 = 300_000;

/// The contact history's storage key (`comeback:surveys:<shop>`).
pub fn history_key(shop: &str) -> String {
    ["comeback:surveys:", shop].concat()
}

/// The queue's storage key (`comeback:survey-queue:<shop>`).
pub fn queue_key(shop: &str) -> String {
    ["comeback:survey-queue:", shop].concat()
}

/// The drafts' storage key (`comeback:survey-drafts:<shop>`).
pub fn drafts_key(shop: &str) -> String {
    ["comeback:survey-drafts:", shop].concat()
}

/// What the element asks for, read from its attributes once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Request {
    /// `survey`: the survey to ask (else the server picks the trigger's first).
    pub survey: Option<String>,
    /// `trigger`; `order-complete` when `order` is set, else `days-after-order`.
    pub trigger: Option<Trigger>,
    /// `order`: the order the survey is about.
    pub order: Option<String>,
    /// `products`, comma separated.
    pub products: Vec<String>,
    /// `event`: the `Comeback.track` name an event survey waits for.
    pub event: Option<String>,
    /// `placement`, overriding the survey's.
    pub placement: Option<Placement>,
    /// `preview` (a boolean attribute): show `survey` at once, whatever its schedule, and
    /// record nothing (no contact, no answer, no event, no draft): for the theme
    /// playground and the shop's own previews.
    pub preview: bool,
}

impl Request {
    /// Reads the element's attributes (`attr` gives a trimmed, non-blank value).
    pub fn parse(attr: impl Fn(&str) -> Option<String>) -> Request {
        let order = attr("order");
        let trigger = attr("trigger").and_then(|t| Trigger::parse(&t.to_ascii_lowercase()));
        Request {
            survey: attr("survey"),
            trigger: Some(trigger.unwrap_or(if order.is_some() {
                Trigger::OrderComplete
            } else {
                Trigger::DaysAfterOrder
            })),
            products: attr("products")
                .map(|list| {
                    list.split(',')
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .take(MAX_PRODUCTS)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            event: attr("event"),
            placement: attr("placement").and_then(|p| Placement::parse(&p.to_ascii_lowercase())),
            order,
            preview: false,
        }
    }

    /// The trigger (always set by [`Request::parse`]).
    pub fn trigger(&self) -> Trigger {
        self.trigger.unwrap_or(Trigger::DaysAfterOrder)
    }

    /// `GET /surveys/due?…` for this element in `locale`; `None` for an event survey
    /// without its event name (it can never be triggered).
    pub fn due_path(&self, locale: &str) -> Option<String> {
        let trigger = self.trigger();
        if trigger == Trigger::Event && self.event.is_none() {
            return None;
        }
        let mut path = ["/surveys/due?trigger=", trigger.as_str()].concat();
        for (name, value) in [
            ("survey", &self.survey),
            ("order", &self.order),
            ("event", &self.event),
        ] {
            if let Some(value) = value {
                path.push_str(&["&", name, "=", &encode(value)].concat());
            }
        }
        path.push_str(&["&locale=", locale].concat());
        Some(path)
    }
}

/// Appends `item` to `list`, keeping at most `limit` (the oldest go first); returns what
/// was pushed out.
pub fn push_bounded<T>(list: &mut Vec<T>, item: T, limit: usize) -> Vec<T> {
    list.push(item);
    let over = list.len().saturating_sub(limit);
    list.drain(..over).collect()
}

/// Records `contact` in the browser's history (bounded to [`HISTORY_LIMIT`]).
pub fn remember(history: &mut Vec<Contact>, contact: Contact) {
    push_bounded(history, contact, HISTORY_LIMIT);
}

/// A half-finished survey, kept so a reload resumes where the shopper was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The survey's id.
    pub survey: String,
    /// The version answered: a draft never crosses versions.
    pub version: u32,
    /// The order it is about.
    pub order: Option<String>,
    /// The answers so far.
    pub answers: Answers,
    /// The step the shopper was on.
    pub step: usize,
    /// Unix seconds it was last written.
    pub at: i64,
}

/// The live draft of `survey` about `order` (any version: the caller checks it against
/// the version it shows).
pub fn find_draft<'a>(
    drafts: &'a [Draft],
    survey: &str,
    order: Option<&str>,
    now: i64,
) -> Option<&'a Draft> {
    drafts
        .iter()
        .rev()
        .find(|d| d.survey == survey && d.order.as_deref() == order && now - d.at < DRAFT_MAX_AGE)
}

/// Replaces the draft of the same survey, version and order with `draft` (or adds it),
/// dropping expired ones and keeping at most [`DRAFT_LIMIT`].
pub fn keep_draft(drafts: &mut Vec<Draft>, draft: Draft) {
    let now = draft.at;
    drafts.retain(|d| {
        now - d.at < DRAFT_MAX_AGE
            && !(d.survey == draft.survey && d.version == draft.version && d.order == draft.order)
    });
    push_bounded(drafts, draft, DRAFT_LIMIT);
}

/// Forgets the drafts of `survey` about `order`.
pub fn forget_draft(drafts: &mut Vec<Draft>, survey: &str, order: Option<&str>) {
    drafts.retain(|d| !(d.survey == survey && d.order.as_deref() == order));
}

/// The step to show: `step`, kept within the questions the branching shows now.
pub fn clamp_step(questions: &[QuestionView], answers: &Answers, step: usize) -> usize {
    step.min(answers::visible(questions, answers).len().saturating_sub(1))
}

/// The question on `step` (after [`clamp_step`]) and how many the branching shows.
pub fn current<'a>(
    questions: &'a [QuestionView],
    answers: &Answers,
    step: usize,
) -> Option<(&'a QuestionView, usize)> {
    let shown = answers::visible(questions, answers);
    let total = shown.len();
    shown
        .get(step.min(total.saturating_sub(1)))
        .map(|q| (*q, total))
}

/// Whether `question` still needs an answer before the shopper may go on.
pub fn missing(question: &QuestionView, answers: &Answers) -> bool {
    !question.optional && answers.get(&question.id).is_none_or(Answer::is_blank)
}

/// What pressing Enter or the main button does on `step`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advance {
    /// The question is required and unanswered: say so, stay.
    Missing,
    /// Go to this step.
    To(usize),
    /// It was the last shown question: send.
    Submit,
}

/// Decides [`Advance`] for `step`.
pub fn advance(questions: &[QuestionView], answers: &Answers, step: usize) -> Advance {
    let Some((question, total)) = current(questions, answers, step) else {
        return Advance::Submit;
    };
    let step = clamp_step(questions, answers, step);
    if missing(question, answers) {
        Advance::Missing
    } else if step + 1 >= total {
        Advance::Submit
    } else {
        Advance::To(step + 1)
    }
}

/// The index an arrow key selects in a group of `len` choices (scale values, options),
/// wrapping like a native radio group; `Home` and `End` jump to the ends. `None` for any
/// other key.
pub fn arrow(key: &str, selected: Option<usize>, len: usize) -> Option<usize> {
    if len == 0 {
        return None;
    }
    let last = len - 1;
    match key {
        "ArrowRight" | "ArrowDown" => {
            Some(selected.map_or(0, |i| if i >= last { 0 } else { i + 1 }))
        }
        "ArrowLeft" | "ArrowUp" => {
            Some(selected.map_or(last, |i| if i == 0 { last } else { i - 1 }))
        }
        "Home" => Some(0),
        "End" => Some(last),
        _ => None,
    }
}

/// The scores of a scale question, lowest first.
pub fn scale(kind: QuestionKind) -> Vec<i64> {
    kind.scale()
        .map(|(low, high)| (low..=high).collect())
        .unwrap_or_default()
}

/// The words under a scale's ends when the shop gives none.
pub fn default_ends(kind: QuestionKind) -> Option<(Key, Key)> {
    match kind {
        QuestionKind::Nps => Some((Key::NpsLow, Key::NpsHigh)),
        QuestionKind::Csat => Some((Key::Csat1, Key::Csat5)),
        QuestionKind::Effort => Some((Key::EffortLow, Key::EffortHigh)),
        _ => None,
    }
}

/// CSAT is drawn as faces, each named for screen readers.
pub fn csat_face(score: i64) -> Option<(&'static str, Key)> {
    Some(match score {
        1 => ("😠", Key::Csat1),
        2 => ("🙁", Key::Csat2),
        3 => ("😐", Key::Csat3),
        4 => ("🙂", Key::Csat4),
        5 => ("😄", Key::Csat5),
        _ => return None,
    })
}

/// A multiple choice with `option` chosen or unchosen, in the order of the question's
/// `options` (their ids).
pub fn toggle(options: &[String], chosen: &[String], option: &str) -> Vec<String> {
    let had = chosen.iter().any(|c| c == option);
    options
        .iter()
        .filter(|id| {
            if *id == option {
                !had
            } else {
                chosen.contains(id)
            }
        })
        .cloned()
        .collect()
}

/// Whether the input for `value` is checked when the question's answer is `current`:
/// a scale point or a single choice when it is the answer, a multiple choice's option
/// (`value` is its id as text) when the answer's choices hold it.
pub fn chosen(current: Option<&Answer>, value: &Answer) -> bool {
    match (current, value) {
        (Some(Answer::Choices(ids)), Answer::Text(option)) => ids.contains(option),
        (current, value) => current == Some(value),
    }
}

/// Characters of a free-text answer, as the server counts them.
pub fn characters(text: &str) -> usize {
    text.chars().count()
}

/// What becomes of an answer after one attempt to send it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// The server took it: forget it.
    Sent,
    /// Not now (offline, timeout, 408, 429, 5xx, or the page left): keep it for later.
    Retry,
    /// The token was refused (401): send it again without one (the answer is kept, the
    /// reward is not).
    WithoutToken,
    /// Refused for good (another 4xx): it can never succeed; drop it.
    Drop,
}

/// The fate of an attempt that got `status` (`None`: no answer at all), sent with a token
/// or not.
pub fn fate(status: Option<u16>, with_token: bool) -> Fate {
    match status {
        None => Fate::Retry,
        Some(200..=299) => Fate::Sent,
        Some(401) if with_token => Fate::WithoutToken,
        Some(408 | 429) => Fate::Retry,
        Some(500..) => Fate::Retry,
        Some(_) => Fate::Drop,
    }
}

/// The wait before the next try of the queue after `tries` failed ones while the page
/// stays open: doubling from [`BACKOFF_FIRST_MS`], at most [`BACKOFF_MAX_MS`].
pub fn backoff_ms(tries: u32) -> u32 {
    BACKOFF_FIRST_MS
        .saturating_mul(1 << tries.saturating_sub(1).min(16))
        .min(BACKOFF_MAX_MS)
}

#[cfg(test)]
mod tests {
    use comeback_core::survey::{ChoiceView, Condition, Outcome};

    use super::*;

    #[test]
    fn an_input_is_checked_by_its_answer_or_among_the_choices() {
        let text = |t: &str| Answer::Text(t.into());
        assert!(chosen(Some(&Answer::Score(9)), &Answer::Score(9)));
        assert!(!chosen(Some(&Answer::Score(9)), &Answer::Score(8)));
        assert!(!chosen(None, &Answer::Score(9)));
        assert!(chosen(Some(&text("late")), &text("late")));
        assert!(!chosen(Some(&text("late")), &text("broken")));
        let choices = Answer::Choices(vec!["late".into(), "broken".into()]);
        assert!(chosen(Some(&choices), &text("broken")));
        assert!(!chosen(Some(&choices), &text("rude")));
        assert!(!chosen(Some(&Answer::Choices(Vec::new())), &text("late")));
    }

    fn question(id: &str, kind: QuestionKind, optional: bool) -> QuestionView {
        QuestionView {
            id: id.into(),
            kind,
            text: format!("{id}?"),
            optional,
            options: if kind.has_options() {
                ["late", "damaged", "wrong_item", "other"]
                    .map(|o| ChoiceView {
                        id: o.into(),
                        label: o.into(),
                    })
                    .to_vec()
            } else {
                Vec::new()
            },
            low_label: None,
            high_label: None,
            when: None,
        }
    }

    /// The demo's delivery survey: CSAT, a problem for scores up to 3, a comment.
    fn delivery() -> Vec<QuestionView> {
        let mut problem = question("problem", QuestionKind::SingleChoice, false);
        problem.when = Some(Condition {
            question: "csat".into(),
            max: Some(3),
            ..Condition::default()
        });
        vec![
            question("csat", QuestionKind::Csat, false),
            problem,
            question("comment", QuestionKind::Text, true),
        ]
    }

    fn with(pairs: &[(&str, Answer)]) -> Answers {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    fn attrs(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        move |name| {
            owned
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn the_trigger_defaults_by_whether_an_order_is_given() {
        let thank_you = Request::parse(attrs(&[("survey", "thank-you-nps"), ("order", "A 1")]));
        assert_eq!(thank_you.trigger(), Trigger::OrderComplete);
        assert_eq!(
            thank_you.due_path("en").unwrap(),
            "/surveys/due?trigger=order_complete&survey=thank-you-nps&order=A%201&locale=en"
        );
        let account = Request::parse(attrs(&[]));
        assert_eq!(account.trigger(), Trigger::DaysAfterOrder);
        assert_eq!(
            account.due_path("zh-Hans").unwrap(),
            "/surveys/due?trigger=days_after_order&locale=zh-Hans"
        );
        let spelled = Request::parse(attrs(&[
            ("trigger", "Order-Complete"),
            ("placement", "side-tab"),
        ]));
        assert_eq!(spelled.trigger(), Trigger::OrderComplete);
        assert_eq!(spelled.placement, Some(Placement::SideTab));
    }

    #[test]
    fn an_event_survey_needs_its_event_and_products_are_bounded() {
        let nameless = Request::parse(attrs(&[("trigger", "event")]));
        assert_eq!(nameless.due_path("en"), None);
        let named = Request::parse(attrs(&[
            ("trigger", "event"),
            ("event", "checkout-feedback"),
        ]));
        assert_eq!(
            named.due_path("en").unwrap(),
            "/surveys/due?trigger=event&event=checkout-feedback&locale=en"
        );
        let list = (0..60)
            .map(|i| format!("p{i}"))
            .collect::<Vec<_>>()
            .join(" , ");
        let request = Request::parse(attrs(&[("products", &list)]));
        assert_eq!(request.products.len(), MAX_PRODUCTS);
        assert_eq!(request.products[0], "p0");
    }

    #[test]
    fn bounded_lists_push_the_oldest_out() {
        let mut queue: Vec<u32> = (0..20).collect();
        assert_eq!(push_bounded(&mut queue, 20, QUEUE_LIMIT), vec![0]);
        assert_eq!(queue.len(), QUEUE_LIMIT);
        assert_eq!(queue.first(), Some(&1));
        let mut history = Vec::new();
        for at in 0..60 {
            remember(
                &mut history,
                Contact {
                    survey: "s".into(),
                    order_id: None,
                    outcome: Outcome::Shown,
                    at,
                },
            );
        }
        assert_eq!(history.len(), HISTORY_LIMIT);
        assert_eq!(history[0].at, 10);
    }

    #[test]
    fn a_draft_is_found_per_survey_and_order_and_expires() {
        let draft = |survey: &str, version, order: Option<&str>, at| Draft {
            survey: survey.into(),
            version,
            order: order.map(Into::into),
            answers: with(&[("nps", Answer::Score(7))]),
            step: 1,
            at,
        };
        let mut drafts = Vec::new();
        keep_draft(&mut drafts, draft("nps", 1, Some("1001"), 100));
        keep_draft(&mut drafts, draft("nps", 1, Some("1002"), 100));
        keep_draft(&mut drafts, draft("nps", 1, Some("1001"), 200));
        assert_eq!(
            drafts.len(),
            2,
            "the same survey, version and order is replaced"
        );
        assert_eq!(
            find_draft(&drafts, "nps", Some("1001"), 300).unwrap().at,
            200
        );
        assert!(find_draft(&drafts, "nps", None, 300).is_none());
        assert!(find_draft(&drafts, "csat", Some("1001"), 300).is_none());
        assert!(find_draft(&drafts, "nps", Some("1001"), 200 + DRAFT_MAX_AGE).is_none());
        forget_draft(&mut drafts, "nps", Some("1001"));
        assert_eq!(drafts.len(), 1);
        for n in 0..15 {
            keep_draft(&mut drafts, draft("nps", 1, Some(&n.to_string()), 400));
        }
        assert_eq!(drafts.len(), DRAFT_LIMIT);
    }

    #[test]
    fn advancing_follows_the_branching_and_waits_for_required_answers() {
        let survey = delivery();
        let none = Answers::new();
        assert_eq!(advance(&survey, &none, 0), Advance::Missing);
        let happy = with(&[("csat", Answer::Score(5))]);
        assert_eq!(advance(&survey, &happy, 0), Advance::To(1));
        assert_eq!(current(&survey, &happy, 1).unwrap().0.id, "comment");
        assert_eq!(current(&survey, &happy, 1).unwrap().1, 2);
        assert_eq!(
            advance(&survey, &happy, 1),
            Advance::Submit,
            "the comment is optional"
        );
        let unhappy = with(&[("csat", Answer::Score(2))]);
        assert_eq!(current(&survey, &unhappy, 1).unwrap().0.id, "problem");
        assert_eq!(advance(&survey, &unhappy, 1), Advance::Missing);
        let said = with(&[
            ("csat", Answer::Score(2)),
            ("problem", Answer::Text("late".into())),
        ]);
        assert_eq!(advance(&survey, &said, 1), Advance::To(2));
        // A shopper who goes back and raises the score loses the follow-up's step.
        assert_eq!(clamp_step(&survey, &happy, 2), 1);
        let blank = with(&[
            ("csat", Answer::Score(2)),
            ("problem", Answer::Choices(vec![])),
        ]);
        assert!(missing(&survey[1], &blank));
    }

    #[test]
    fn arrows_move_across_a_group_and_wrap() {
        assert_eq!(arrow("ArrowRight", None, 11), Some(0));
        assert_eq!(arrow("ArrowLeft", None, 11), Some(10));
        assert_eq!(arrow("ArrowRight", Some(3), 11), Some(4));
        assert_eq!(arrow("ArrowDown", Some(10), 11), Some(0));
        assert_eq!(arrow("ArrowUp", Some(0), 5), Some(4));
        assert_eq!(arrow("Home", Some(3), 5), Some(0));
        assert_eq!(arrow("End", None, 7), Some(6));
        assert_eq!(arrow("Enter", Some(3), 5), None);
        assert_eq!(arrow("ArrowRight", None, 0), None);
    }

    #[test]
    fn scales_faces_and_choices() {
        assert_eq!(scale(QuestionKind::Nps), (0..=10).collect::<Vec<_>>());
        assert_eq!(scale(QuestionKind::Csat), vec![1, 2, 3, 4, 5]);
        assert_eq!(scale(QuestionKind::Effort).len(), 7);
        assert!(scale(QuestionKind::Text).is_empty());
        assert_eq!(csat_face(1).unwrap().1, Key::Csat1);
        assert!(csat_face(6).is_none());
        assert_eq!(
            default_ends(QuestionKind::Effort),
            Some((Key::EffortLow, Key::EffortHigh))
        );
        let multiple: Vec<String> = question("why", QuestionKind::MultipleChoice, false)
            .options
            .into_iter()
            .map(|o| o.id)
            .collect();
        let chosen = toggle(&multiple, &[], "other");
        let chosen = toggle(&multiple, &chosen, "late");
        assert_eq!(chosen, ["late", "other"], "kept in the question's order");
        assert_eq!(toggle(&multiple, &chosen, "other"), ["late"]);
        assert_eq!(characters("好茶 tea"), 6);
    }

    #[test]
    fn a_queued_answer_is_kept_dropped_or_sent_without_its_token() {
        assert_eq!(fate(Some(201), true), Fate::Sent);
        assert_eq!(fate(None, false), Fate::Retry);
        assert_eq!(fate(Some(503), false), Fate::Retry);
        assert_eq!(fate(Some(429), true), Fate::Retry);
        assert_eq!(fate(Some(408), true), Fate::Retry);
        assert_eq!(fate(Some(401), true), Fate::WithoutToken);
        assert_eq!(fate(Some(401), false), Fate::Drop);
        assert_eq!(fate(Some(422), true), Fate::Drop);
        assert_eq!(fate(Some(404), false), Fate::Drop);
        assert_eq!(fate(Some(409), false), Fate::Drop);
    }

    #[test]
    fn backoff_doubles_up_to_its_ceiling() {
        assert_eq!(backoff_ms(1), 5_000);
        assert_eq!(backoff_ms(2), 10_000);
        assert_eq!(backoff_ms(4), 40_000);
        assert_eq!(backoff_ms(40), BACKOFF_MAX_MS);
    }

    #[test]
    fn storage_keys_follow_the_contract() {
        assert_eq!(history_key("demo"), "comeback:surveys:demo");
        assert_eq!(queue_key("demo"), "comeback:survey-queue:demo");
        assert_eq!(drafts_key("demo"), "comeback:survey-drafts:demo");
    }
}
