//! `[[shops.<id>.surveys]]` and `[shops.<id>.survey_cadence]`: the feedback surveys of
//! `<comeback-survey>`. Each survey has an id, a version, what brings it up (the
//! order-complete page, a number of days after an order, or a tracked event), where it
//! shows, its recontact rule, an optional loyalty reward, and its questions with their
//! texts per locale and branching. The cadence holds what spans all of a shop's
//! surveys: the cooldown between two asks and the time zone of the report's weeks. A
//! shop without surveys answers 404 on the survey endpoints.
//!
//! The questions' rules (kinds, options, conditions) are checked by
//! `comeback_core::survey::answers::check_definition`; this module adds the texts, the
//! triggers and the reward, and names the key of every problem.

use std::sync::OnceLock;

use comeback_core::date::Date;
use comeback_core::survey::answers::check_definition;
use comeback_core::survey::{
    valid_id, ChoiceView, Condition, Placement, QuestionKind, QuestionView, Recontact, SurveyView,
    Trigger,
};
use comeback_core::{Locale, LocalizedText};
use serde::Deserialize;

use super::{invalid, ConfigError, TextConfig};

/// The cooldown across all a shop's surveys when it sets none, in days.
pub const DEFAULT_COOLDOWN_DAYS: u32 = 14;
/// The longest cooldown, and the most days after an order, a shop may set.
pub const MAX_DAYS: u32 = 365;
/// The largest reward a survey may give, in points.
pub const MAX_REWARD_POINTS: i64 = 100_000;
/// Days after the earliest day an order may still be asked about by a
/// `days_after_order` survey.
pub const ORDER_WINDOW_DAYS: u32 = 30;

/// `[shops.<id>.survey_cadence]`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyCadence {
    /// Days after any contact with any of the shop's surveys before another is asked,
    /// 0–365. Default 14.
    #[serde(default = "default_cooldown")]
    pub cooldown_days: u32,
    /// The IANA time zone of the report's weeks. Default `UTC`.
    #[serde(default = "super::zone::default_name")]
    pub time_zone: String,
    /// `time_zone`, resolved on first use (validated at load).
    #[serde(skip)]
    zone: OnceLock<jiff::tz::TimeZone>,
}

impl Default for SurveyCadence {
    fn default() -> Self {
        SurveyCadence {
            cooldown_days: DEFAULT_COOLDOWN_DAYS,
            time_zone: super::zone::default_name(),
            zone: OnceLock::new(),
        }
    }
}

fn default_cooldown() -> u32 {
    DEFAULT_COOLDOWN_DAYS
}

/// `[[shops.<id>.surveys]]`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyConfig {
    /// Stable id (`core::survey::valid_id`), unique in the shop.
    pub id: String,
    /// The version, at least 1: raise it whenever the questions change (ids, kinds,
    /// options, `optional`, conditions); texts may be edited in place.
    pub version: u32,
    /// `order_complete`, `days_after_order` or `event`.
    pub trigger: Trigger,
    /// With `days_after_order`: the days, 1–365.
    #[serde(default)]
    pub days_after_order: Option<u32>,
    /// With `event`: the name `Comeback.track(…)` is called with.
    #[serde(default)]
    pub event: Option<String>,
    /// `inline` (default), `popup` or `side_tab`.
    #[serde(default)]
    pub placement: Placement,
    /// `{ per = "order" | "customer", until = "once" | "answered" }`; default per order,
    /// once.
    #[serde(default)]
    pub recontact: Recontact,
    /// Loyalty points for a signed-in shopper's response, once per scope, 1–100000.
    #[serde(default)]
    pub reward_points: Option<i64>,
    /// Heading.
    pub title: TextConfig,
    /// A line under the heading.
    #[serde(default)]
    pub intro: Option<TextConfig>,
    /// What the shopper reads once they answered.
    pub thanks: TextConfig,
    /// The questions, in order.
    pub questions: Vec<QuestionConfig>,
}

/// `[[shops.<id>.surveys.questions]]`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionConfig {
    /// Stable id within the version.
    pub id: String,
    /// `nps`, `csat`, `effort`, `single_choice`, `multiple_choice` or `text`.
    #[serde(rename = "type")]
    pub kind: QuestionKind,
    /// The question.
    pub text: TextConfig,
    /// Whether it may be left unanswered. Default `false`.
    #[serde(default)]
    pub optional: bool,
    /// Scale questions: the words under the lowest score.
    #[serde(default)]
    pub low_label: Option<TextConfig>,
    /// Scale questions: the words under the highest score.
    #[serde(default)]
    pub high_label: Option<TextConfig>,
    /// Shown only when an earlier question was answered this way.
    #[serde(default)]
    pub when: Option<Condition>,
    /// Choice questions: the options.
    #[serde(default)]
    pub options: Vec<OptionConfig>,
}

/// One option of a choice question.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionConfig {
    /// Stable id, what an answer names.
    pub id: String,
    /// Its label.
    pub label: TextConfig,
}

fn text_in(text: &TextConfig, locale: Locale) -> String {
    LocalizedText::from(text).get(locale).to_owned()
}

impl SurveyCadence {
    /// The report's time zone (UTC until validated).
    pub fn zone(&self) -> &jiff::tz::TimeZone {
        super::zone::resolved(&self.zone, &self.time_zone)
    }

    /// The shop's calendar date at `unix_seconds`.
    pub fn local_date(&self, unix_seconds: i64) -> Date {
        super::zone::date_at(self.zone(), unix_seconds)
    }

    fn validate(&self, shop: &str) -> Result<(), ConfigError> {
        let key = |name: &str| format!("shops.{shop}.survey_cadence.{name}");
        if self.cooldown_days > MAX_DAYS {
            return Err(invalid(
                key("cooldown_days"),
                format!("must be 0 to {MAX_DAYS}"),
            ));
        }
        super::zone::check(&self.zone, &self.time_zone, key("time_zone"))
    }
}

impl QuestionConfig {
    /// The question in `locale`; `None` locale blanks every text (the structure).
    fn view(&self, locale: Option<Locale>) -> QuestionView {
        let text = |t: &TextConfig| locale.map(|l| text_in(t, l)).unwrap_or_default();
        QuestionView {
            id: self.id.clone(),
            kind: self.kind,
            text: text(&self.text),
            optional: self.optional,
            options: self
                .options
                .iter()
                .map(|option| ChoiceView {
                    id: option.id.clone(),
                    label: text(&option.label),
                })
                .collect(),
            low_label: locale.and(self.low_label.as_ref()).map(text),
            high_label: locale.and(self.high_label.as_ref()).map(text),
            when: self.when.clone(),
        }
    }
}

impl SurveyConfig {
    /// The questions in `locale`.
    pub fn questions(&self, locale: Locale) -> Vec<QuestionView> {
        self.questions
            .iter()
            .map(|q| q.view(Some(locale)))
            .collect()
    }

    /// The version's structure: the questions with every text blanked, what a published
    /// version keeps and an answer is checked against.
    pub fn structure(&self) -> Vec<QuestionView> {
        self.questions.iter().map(|q| q.view(None)).collect()
    }

    /// Whether the survey is asked once per order.
    pub fn per_order(&self) -> bool {
        self.recontact.per == comeback_core::survey::Per::Order
    }

    /// The survey as the widget shows it, in `locale`.
    pub fn view(&self, cadence: &SurveyCadence, locale: Locale) -> SurveyView {
        SurveyView {
            id: self.id.clone(),
            version: self.version,
            locale: locale.as_str().to_owned(),
            trigger: self.trigger,
            event: self.event.clone(),
            days_after_order: self.days_after_order,
            placement: self.placement,
            recontact: self.recontact,
            cooldown_days: cadence.cooldown_days,
            title: text_in(&self.title, locale),
            intro: self.intro.as_ref().map(|t| text_in(t, locale)),
            thanks: text_in(&self.thanks, locale),
            questions: self.questions(locale),
            reward_points: self.reward_points,
        }
    }

    fn validate(&self, at: &str, has_loyalty: bool) -> Result<(), ConfigError> {
        let key = |name: &str| format!("{at}.{name}");
        if !valid_id(&self.id) {
            return Err(invalid(
                key("id"),
                "must be 1-64 characters of A-Z, a-z, 0-9, `_` or `-`",
            ));
        }
        if self.version == 0 {
            return Err(invalid(key("version"), "must be at least 1"));
        }
        match (self.trigger, self.days_after_order) {
            (Trigger::DaysAfterOrder, None) => {
                return Err(invalid(
                    key("days_after_order"),
                    "is required with trigger `days_after_order`",
                ))
            }
            (Trigger::DaysAfterOrder, Some(days)) if !(1..=MAX_DAYS).contains(&days) => {
                return Err(invalid(
                    key("days_after_order"),
                    format!("must be 1 to {MAX_DAYS}"),
                ))
            }
            (Trigger::DaysAfterOrder, Some(_)) | (_, None) => {}
            (trigger, Some(_)) => {
                return Err(invalid(
                    key("days_after_order"),
                    format!(
                        "goes with trigger `days_after_order`, not `{}`",
                        trigger.as_str()
                    ),
                ))
            }
        }
        match (self.trigger, self.event.as_deref()) {
            (Trigger::Event, None) => {
                return Err(invalid(key("event"), "is required with trigger `event`"))
            }
            (Trigger::Event, Some(event)) if !valid_id(event) => {
                return Err(invalid(
                    key("event"),
                    "must be 1-64 characters of A-Z, a-z, 0-9, `_` or `-`",
                ))
            }
            (Trigger::Event, Some(_)) | (_, None) => {}
            (trigger, Some(_)) => {
                return Err(invalid(
                    key("event"),
                    format!("goes with trigger `event`, not `{}`", trigger.as_str()),
                ))
            }
        }
        if let Some(points) = self.reward_points {
            if !has_loyalty {
                return Err(invalid(
                    key("reward_points"),
                    "points are paid on the loyalty ledger: add [shops.<id>.loyalty] or leave the reward out",
                ));
            }
            if !(1..=MAX_REWARD_POINTS).contains(&points) {
                return Err(invalid(
                    key("reward_points"),
                    format!("must be 1 to {MAX_REWARD_POINTS}"),
                ));
            }
        }
        self.title.check(key("title"))?;
        if let Some(intro) = &self.intro {
            intro.check(key("intro"))?;
        }
        self.thanks.check(key("thanks"))?;
        self.validate_questions(at)
    }

    fn validate_questions(&self, at: &str) -> Result<(), ConfigError> {
        let questions = self.structure();
        if let Err(error) = check_definition(&questions) {
            // The checks run in order and read only earlier questions: the first
            // prefix that fails ends with the question at fault.
            let index = (1..=questions.len())
                .find(|&n| check_definition(&questions[..n]).is_err())
                .filter(|_| error.question.is_some());
            let Some(index) = index.map(|n| n - 1) else {
                return Err(invalid(format!("{at}.questions"), error.message));
            };
            let question = &self.questions[index];
            let field = if question.when.is_some()
                && check_definition(&{
                    let mut without = questions[..=index].to_vec();
                    without[index].when = None;
                    without
                })
                .is_ok()
            {
                ".when"
            } else if error.message.contains("option") {
                ".options"
            } else if error.message.contains("id") {
                ".id"
            } else {
                ""
            };
            return Err(invalid(
                format!("{at}.questions[{index}]{field}"),
                error.message,
            ));
        }
        for (index, question) in self.questions.iter().enumerate() {
            let key = |name: &str| format!("{at}.questions[{index}].{name}");
            question.text.check(key("text"))?;
            for (name, label) in [
                ("low_label", &question.low_label),
                ("high_label", &question.high_label),
            ] {
                if let Some(label) = label {
                    if question.kind.scale().is_none() {
                        return Err(invalid(
                            key(name),
                            format!(
                                "goes with a scale question (nps, csat, effort), not `{}`",
                                question.kind.as_str()
                            ),
                        ));
                    }
                    label.check(key(name))?;
                }
            }
            for (option_index, option) in question.options.iter().enumerate() {
                option
                    .label
                    .check(key(&format!("options[{option_index}].label")))?;
            }
        }
        Ok(())
    }
}

/// Checks a shop's surveys and cadence.
pub(super) fn validate(
    shop: &str,
    surveys: &[SurveyConfig],
    cadence: &SurveyCadence,
    has_loyalty: bool,
) -> Result<(), ConfigError> {
    cadence.validate(shop)?;
    for (index, survey) in surveys.iter().enumerate() {
        let at = format!("shops.{shop}.surveys[{index}]");
        survey.validate(&at, has_loyalty)?;
        if surveys[..index].iter().any(|other| other.id == survey.id) {
            return Err(invalid(
                format!("{at}.id"),
                format!("`{}` is used by an earlier survey", survey.id),
            ));
        }
    }
    Ok(())
}
