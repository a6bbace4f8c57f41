//! The survey's wire: decoders of `GET …/surveys/due`, `GET …/surveys/{id}` and the
//! response's receipt into the types of [`comeback_core::survey`], built on the shared
//! field readers in [`crate::wire`], and the bodies the widget sends (a response, a
//! contact) and keeps on the device (answers, contacts, drafts) as plain JS objects.
//! A question of a kind this build does not know (a newer server) is left out.

use comeback_core::survey::{
    Answer, Answers, ChoiceView, Condition, Contact, NotDue, Outcome, Placement, QuestionKind,
    QuestionView, Recontact, RewardOutcome, SurveyDue, SurveyReceipt, SurveyView, Trigger,
};
use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};

use super::model::Draft;
use crate::api::ApiError;
use crate::wire::*;

/// An answer as the browser parsed it, read by the caller with [`decoded`]: the widget
/// asks for every answer type through one `get` and one `post`, so the client's generic
/// code is in its chunk once.
pub struct Raw(JsValue);

impl FromJs for Raw {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(Raw(value.clone()))
    }
}

/// Reads an answer fetched as [`Raw`].
pub fn decoded<T: FromJs>(answer: Result<Raw, ApiError>) -> Result<T, ApiError> {
    T::from_js(&answer?.0)
        .map_err(|e| ApiError::Decode(["field `", e.0, "` is missing or malformed"].concat()))
}

impl FromJs for ChoiceView {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(ChoiceView {
            id: string(value, "id")?,
            label: string(value, "label")?,
        })
    }
}

impl FromJs for Condition {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(Condition {
            question: string(value, "question")?,
            min: maybe_int(value, "min")?,
            max: maybe_int(value, "max")?,
            any_of: strings(value, "any_of")?,
        })
    }
}

impl FromJs for QuestionView {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        let when = get(value, "when");
        Ok(QuestionView {
            id: string(value, "id")?,
            kind: named(value, "kind", QuestionKind::parse)?,
            text: string(value, "text")?,
            optional: get(value, "optional").as_bool().unwrap_or(false),
            options: optional_list(value, "options")?,
            low_label: opt_string(value, "low_label")?,
            high_label: opt_string(value, "high_label")?,
            when: if when.is_object() {
                Some(Condition::from_js(&when)?)
            } else {
                None
            },
        })
    }
}

impl FromJs for SurveyView {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        let rule = get(value, "recontact");
        Ok(SurveyView {
            id: string(value, "id")?,
            version: count(value, "version")?,
            locale: opt_string(value, "locale")?.unwrap_or_default(),
            trigger: named(value, "trigger", Trigger::parse)?,
            event: opt_string(value, "event")?,
            days_after_order: maybe_int(value, "days_after_order")?
                .and_then(|d| u32::try_from(d).ok()),
            placement: named_or(value, "placement", Placement::parse),
            recontact: Recontact {
                per: named_or(&rule, "per", |p| match p {
                    "customer" => Some(comeback_core::survey::Per::Customer),
                    "order" => Some(comeback_core::survey::Per::Order),
                    _ => None,
                }),
                until: named_or(&rule, "until", |u| match u {
                    "answered" => Some(comeback_core::survey::Until::Answered),
                    "once" => Some(comeback_core::survey::Until::Once),
                    _ => None,
                }),
            },
            cooldown_days: maybe_int(value, "cooldown_days")?
                .and_then(|d| u32::try_from(d).ok())
                .unwrap_or(0),
            title: string(value, "title")?,
            intro: opt_string(value, "intro")?,
            thanks: string(value, "thanks")?,
            questions: known(value, "questions")?,
            reward_points: maybe_int(value, "reward_points")?,
        })
    }
}

impl FromJs for SurveyDue {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        let survey = get(value, "survey");
        Ok(SurveyDue {
            survey: if survey.is_object() {
                Some(SurveyView::from_js(&survey)?)
            } else {
                None
            },
            order_id: opt_string(value, "order_id")?,
            // Why nothing is asked only matters to the server's logs: read loosely.
            not_due: get(value, "not_due")
                .is_object()
                .then_some(NotDue::NothingToAsk),
        })
    }
}

impl FromJs for SurveyReceipt {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(SurveyReceipt {
            id: string(value, "id")?,
            reward: named_or_none(&get(value, "reward")),
            points: opt_int(value, "points")?,
        })
    }
}

/// The reward outcome's wire name.
pub fn reward_name(reward: RewardOutcome) -> &'static str {
    match reward {
        RewardOutcome::None => "none",
        RewardOutcome::Awarded => "awarded",
        RewardOutcome::AlreadyAwarded => "already_awarded",
        RewardOutcome::NotEligible => "not_eligible",
    }
}

/// Reads a reward outcome; an unknown name reads as `none`.
fn named_or_none(value: &JsValue) -> RewardOutcome {
    let name = value.as_string().unwrap_or_default();
    [
        RewardOutcome::Awarded,
        RewardOutcome::AlreadyAwarded,
        RewardOutcome::NotEligible,
    ]
    .into_iter()
    .find(|r| reward_name(*r) == name)
    .unwrap_or(RewardOutcome::None)
}

/// One answer as its bare JSON value (`9`, `"late"`, `["a","b"]`).
fn answer_js(answer: &Answer) -> JsValue {
    match answer {
        Answer::Score(score) => number(*score),
        Answer::Text(text) => JsValue::from_str(text),
        Answer::Choices(ids) => ids
            .iter()
            .map(|id| JsValue::from_str(id))
            .collect::<Array>()
            .into(),
    }
}

/// Answers as a JS object keyed by question id.
pub fn answers_js(answers: &Answers) -> JsValue {
    let pairs: Vec<(&str, JsValue)> = answers
        .iter()
        .map(|(id, answer)| (id.as_str(), answer_js(answer)))
        .collect();
    object_of(&pairs)
}

/// Reads answers back (a stored draft); anything that is not an answer is left out.
pub fn answers_of(value: &JsValue) -> Answers {
    let mut answers = Answers::new();
    if !value.is_object() {
        return answers;
    }
    for entry in Object::entries(value.unchecked_ref()).iter() {
        let pair: Array = entry.unchecked_into();
        let (Some(id), item) = (pair.get(0).as_string(), pair.get(1)) else {
            continue;
        };
        let answer = if let Some(text) = item.as_string() {
            Some(Answer::Text(text))
        } else if let Some(n) = item.as_f64().filter(|n| n.fract() == 0.0 && n.abs() < 1e9) {
            Some(Answer::Score(n as i64))
        } else if Array::is_array(&item) {
            Some(Answer::Choices(super::store::texts_of(
                item.unchecked_ref(),
            )))
        } else {
            None
        };
        if let Some(answer) = answer {
            answers.insert(id, answer);
        }
    }
    answers
}

/// `null` for `None`.
pub fn or_null(text: Option<&str>) -> JsValue {
    text.map_or(JsValue::NULL, JsValue::from_str)
}

impl FromJs for Contact {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(Contact {
            survey: string(value, "survey")?,
            order_id: opt_string(value, "order_id")?,
            outcome: named(value, "outcome", Outcome::parse)?,
            at: int(value, "at")?,
        })
    }
}

/// A contact as the history stores it.
pub fn contact_js(contact: &Contact) -> JsValue {
    object_of(&[
        ("survey", contact.survey.as_str().into()),
        ("order_id", or_null(contact.order_id.as_deref())),
        ("outcome", contact.outcome.as_str().into()),
        ("at", number(contact.at)),
    ])
}

impl FromJs for Draft {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(Draft {
            survey: string(value, "survey")?,
            version: count(value, "version")?,
            order: opt_string(value, "order")?,
            answers: answers_of(&get(value, "answers")),
            step: usize::try_from(opt_int(value, "step")?).map_err(|_| DecodeError("step"))?,
            at: int(value, "at")?,
        })
    }
}

/// A draft as the device stores it.
pub fn draft_js(draft: &Draft) -> JsValue {
    object_of(&[
        ("survey", draft.survey.as_str().into()),
        ("version", draft.version.into()),
        ("order", or_null(draft.order.as_deref())),
        ("answers", answers_js(&draft.answers)),
        ("step", number(draft.step as i64)),
        ("at", number(draft.at)),
    ])
}
