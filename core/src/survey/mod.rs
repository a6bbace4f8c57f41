//! Feedback surveys: the wire types of `<comeback-survey>` (a survey in the shopper's
//! locale, whether one is due, a response and its receipt) and the rules both sides
//! follow: which answers a survey takes and which questions its branching shows
//! ([`answers`]), when a shopper may be asked again ([`recontact`]), and the scores
//! the shop reads (NPS, CSAT, effort: [`scores`]).

pub mod answers;
pub mod recontact;
pub mod scores;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::Date;

pub use answers::{Answer, AnswerError, AnswerProblem, Answers};
pub use recontact::{Ask, Contact, NotDue, Outcome, Per, Recontact, Until};
pub use scores::{CsatSummary, EffortSummary, NpsSummary};

/// Longest survey or question id, in bytes.
pub const MAX_ID_LEN: usize = 64;

/// What a question asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Net Promoter Score: how likely to recommend, 0 to 10.
    Nps,
    /// Customer satisfaction: 1 (very unsatisfied) to 5 (very satisfied).
    Csat,
    /// Customer effort: 1 (very difficult) to 7 (very easy).
    Effort,
    /// One of the options.
    SingleChoice,
    /// Any number of the options (at least one when the question is not optional).
    MultipleChoice,
    /// Free text, at most [`answers::MAX_TEXT_CHARS`] characters.
    Text,
}

impl QuestionKind {
    /// Every kind, in the order the docs list them.
    pub const ALL: [QuestionKind; 6] = [
        QuestionKind::Nps,
        QuestionKind::Csat,
        QuestionKind::Effort,
        QuestionKind::SingleChoice,
        QuestionKind::MultipleChoice,
        QuestionKind::Text,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Nps => "nps",
            QuestionKind::Csat => "csat",
            QuestionKind::Effort => "effort",
            QuestionKind::SingleChoice => "single_choice",
            QuestionKind::MultipleChoice => "multiple_choice",
            QuestionKind::Text => "text",
        }
    }

    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<QuestionKind> {
        QuestionKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }

    /// The lowest and highest score of a scale question; `None` for choice and text.
    pub fn scale(self) -> Option<(i64, i64)> {
        match self {
            QuestionKind::Nps => Some((0, 10)),
            QuestionKind::Csat => Some((1, 5)),
            QuestionKind::Effort => Some((1, 7)),
            _ => None,
        }
    }

    /// Whether the question offers options.
    pub fn has_options(self) -> bool {
        matches!(
            self,
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice
        )
    }
}

/// When a question is shown: only once an earlier question was answered in a given way
/// (a follow-up for detractors: `{question = "nps", max = 6}`). A condition on a
/// question that is itself not shown never holds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Condition {
    /// The earlier question the condition reads.
    pub question: String,
    /// For a scale question: the lowest score that shows this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    /// For a scale question: the highest score that shows this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// For a choice question: shown when any of these options was chosen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<String>,
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChoiceView {
    /// Stable id, what an answer names.
    pub id: String,
    /// Its label in the answer's locale.
    pub label: String,
}

/// One question, in the answer's locale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionView {
    /// Stable id within the survey version, what an answer is keyed by.
    pub id: String,
    /// What it asks for.
    pub kind: QuestionKind,
    /// The question.
    pub text: String,
    /// Whether the shopper may leave it unanswered.
    #[serde(default)]
    pub optional: bool,
    /// The options of a choice question, in the shop's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceView>,
    /// For a scale question: the words under its lowest score, when the shop gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_label: Option<String>,
    /// For a scale question: the words under its highest score, when the shop gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_label: Option<String>,
    /// Shown only when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
}

/// What brings a survey up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// The order-complete (thank-you) page, with the order's id.
    OrderComplete,
    /// A number of days after a signed-in shopper's order; the server says when.
    DaysAfterOrder,
    /// A `Comeback.track(name)` call naming the survey's event.
    Event,
}

impl Trigger {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::OrderComplete => "order_complete",
            Trigger::DaysAfterOrder => "days_after_order",
            Trigger::Event => "event",
        }
    }

    /// Parses the wire name; the element's attribute spells it with a hyphen
    /// (`order-complete`), which is read too.
    pub fn parse(name: &str) -> Option<Trigger> {
        [
            Trigger::OrderComplete,
            Trigger::DaysAfterOrder,
            Trigger::Event,
        ]
        .into_iter()
        .find(|t| t.as_str() == name || t.as_str().replace('_', "-") == name)
    }
}

/// Where a survey shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// In the page, where the element sits.
    #[default]
    Inline,
    /// A small non-modal card in a corner of the window.
    Popup,
    /// A tab on the window's edge that opens the survey when the shopper wants.
    SideTab,
}

impl Placement {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Placement::Inline => "inline",
            Placement::Popup => "popup",
            Placement::SideTab => "side_tab",
        }
    }

    /// Parses the wire name (or the attribute's `side-tab`).
    pub fn parse(name: &str) -> Option<Placement> {
        [Placement::Inline, Placement::Popup, Placement::SideTab]
            .into_iter()
            .find(|p| p.as_str() == name || p.as_str().replace('_', "-") == name)
    }
}

/// `GET /v1/shops/{shop}/surveys/{id}?locale=`: one survey's current version in a
/// locale (no token needed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyView {
    /// The survey's id.
    pub id: String,
    /// Its version: answers are kept per version, so a changed question never mixes
    /// with old answers.
    pub version: u32,
    /// The locale the texts are in (the asked one, or the nearest the shop wrote).
    pub locale: String,
    /// What brings it up.
    pub trigger: Trigger,
    /// For [`Trigger::Event`]: the event's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// For [`Trigger::DaysAfterOrder`]: the days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_after_order: Option<u32>,
    /// Where it shows unless the element says otherwise.
    pub placement: Placement,
    /// Who may be asked again, and when.
    pub recontact: Recontact,
    /// The shop's cooldown across all its surveys, in days.
    pub cooldown_days: u32,
    /// Heading.
    pub title: String,
    /// A line under the heading, when the shop writes one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
    /// What the shopper reads once they answered.
    pub thanks: String,
    /// The questions in order; [`answers::visible`] says which the branching shows.
    pub questions: Vec<QuestionView>,
    /// Loyalty points for a signed-in shopper's completed survey, once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reward_points: Option<i64>,
}

/// `GET /v1/shops/{shop}/surveys/due?trigger=&survey=&order=&event=&locale=`: the
/// survey to ask now, if any. For a signed-in shopper the server applies
/// [`recontact::due`] to what it recorded; the widget applies it again to what the
/// browser recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyDue {
    /// The survey to ask, or `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey: Option<SurveyView>,
    /// The order it is about, when the trigger gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// Why nothing is asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_due: Option<NotDue>,
}

/// What the page knew when the shopper answered. The customer is never part of it: the
/// server takes them from the token.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseContext {
    /// The order the survey is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// Product ids of that order (the page's, or the server fills them in from the order).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<String>,
    /// The page's path (no query string, which may carry personal data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// The locale the shopper answered in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// What brought the survey up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<Trigger>,
}

/// `POST /v1/shops/{shop}/surveys/{id}/responses` body (with an `Idempotency-Key`
/// header; no token needed, a token adds the customer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyResponse {
    /// The version the shopper answered.
    pub version: u32,
    /// Answer per question id ([`answers::validate`] says which are accepted).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub answers: Answers,
    /// What the page knew.
    #[serde(default)]
    pub context: ResponseContext,
    /// Unix seconds the shopper answered at (a queued answer arrives later); the server
    /// keeps it when it lies within the last 30 days and not in the future.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<i64>,
}

/// What a completed survey earned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RewardOutcome {
    /// The survey gives no reward.
    None,
    /// `points` were added to the customer's balance now.
    Awarded,
    /// The customer already had this survey's reward (for this order, when asked per
    /// order).
    AlreadyAwarded,
    /// The reward needs a signed-in customer (and, per order, their own order).
    NotEligible,
}

/// The answer to a response: 201 the first time, the same again for a repeat with the
/// same `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyReceipt {
    /// Comeback's id of the response.
    pub id: String,
    /// What the reward did.
    pub reward: RewardOutcome,
    /// Points awarded by this response (0 unless `reward` is `awarded`).
    pub points: i64,
}

/// `POST /v1/shops/{shop}/surveys/{id}/contacts` body (with an `Idempotency-Key`):
/// the survey was shown, or the shopper dismissed it. A token adds the customer, so
/// the server's [`recontact::due`] sees it on their other devices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactReport {
    /// The version shown.
    pub version: u32,
    /// `shown` or `dismissed` (an answer is reported by its response).
    pub outcome: Outcome,
    /// The order it was about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
}

/// One week of one survey version's answers, for the shop (`week` is the Monday, in
/// the shop's time zone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyWeek {
    /// The survey version.
    pub version: u32,
    /// The Monday the week starts on ([`scores::week_of`]).
    pub week: Date,
    /// Responses received for that version that week.
    pub responses: u64,
    /// NPS over the version's NPS question, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nps: Option<NpsSummary>,
    /// CSAT over the version's CSAT question, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csat: Option<CsatSummary>,
    /// Customer effort over the version's effort question, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<EffortSummary>,
}

/// One response as the shop reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminSurveyResponse {
    /// Comeback's id of the response.
    pub id: String,
    /// The version answered.
    pub version: u32,
    /// Unix seconds the shopper answered at.
    pub answered_at: i64,
    /// The signed-in customer, from their token; `null` for a guest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// The answers, per question id.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub answers: Answers,
    /// What the page knew.
    pub context: ResponseContext,
    /// What the reward did.
    pub reward: RewardOutcome,
}

/// `GET /v1/shops/{shop}/admin/surveys/{id}/responses`: the survey's scores per week and
/// version, and its responses newest first (a page of them; `?format=csv` gives every
/// response as CSV instead).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyReport {
    /// The survey's id.
    pub survey: String,
    /// Its current version.
    pub version: u32,
    /// Times it was shown (every version).
    pub shown: u64,
    /// Times it was dismissed.
    pub dismissed: u64,
    /// Responses received (every version).
    pub responses_total: u64,
    /// Scores per week and version, newest week first.
    pub weeks: Vec<SurveyWeek>,
    /// A page of responses, newest first.
    pub responses: Vec<AdminSurveyResponse>,
    /// Pass as `?cursor=` for the next page; `null` on the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Checks a survey or question id: 1 to [`MAX_ID_LEN`] bytes of ASCII letters, digits,
/// `-` and `_`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Questions keyed by id, for lookups.
pub fn by_id(questions: &[QuestionView]) -> BTreeMap<&str, &QuestionView> {
    // Inserted one by one rather than collected: `collect` sorts first, and its sort is
    // several KB of the widget's wasm for a map of at most 20 questions.
    let mut map = BTreeMap::new();
    for q in questions {
        map.insert(q.id.as_str(), q);
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back() {
        for kind in QuestionKind::ALL {
            assert_eq!(QuestionKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(
            Trigger::parse("order-complete"),
            Some(Trigger::OrderComplete)
        );
        assert_eq!(
            Trigger::parse("days_after_order"),
            Some(Trigger::DaysAfterOrder)
        );
        assert_eq!(Trigger::parse("order complete"), None);
        assert_eq!(Placement::parse("side-tab"), Some(Placement::SideTab));
        assert_eq!(Placement::parse("modal"), None);
    }

    #[test]
    fn ids_are_short_and_plain() {
        assert!(valid_id("post-purchase_nps2"));
        assert!(!valid_id(""));
        assert!(!valid_id("a b"));
        assert!(!valid_id(&"x".repeat(MAX_ID_LEN + 1)));
    }
}
