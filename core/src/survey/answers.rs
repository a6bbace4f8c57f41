//! Which answers a survey takes, and which questions its branching shows. The widget
//! keeps only the shown questions' answers when it submits ([`submitted`]); the server
//! refuses anything else ([`validate`]), naming the question. [`check_definition`] is
//! what the server runs on a configured survey before it starts.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{valid_id, Condition, QuestionKind, QuestionView};

/// Longest free-text answer, in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// Most questions one survey may ask.
pub const MAX_QUESTIONS: usize = 20;
/// Most options one choice question may offer.
pub const MAX_OPTIONS: usize = 20;

/// One answer: a score for a scale question, an option id for a single choice or the
/// text of a text question, option ids for a multiple choice. On the wire it is the bare
/// JSON value (`9`, `"price"`, `["a","b"]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Answer {
    /// A scale question's score.
    Score(i64),
    /// A single choice's option id, or a text question's text.
    Text(String),
    /// A multiple choice's option ids.
    Choices(Vec<String>),
}

/// Answers keyed by question id, in id order; on the wire a JSON object (`{"nps": 9}`).
///
/// A sorted `Vec` rather than a `BTreeMap`: a survey has at most [`MAX_QUESTIONS`]
/// answers, and a map's code (insert, rebalance, drop) was about 5 KB of the survey
/// widget's chunk, where the vector's is a few hundred bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers(Vec<(String, Answer)>);

impl Answers {
    /// No answers.
    pub fn new() -> Answers {
        Answers(Vec::new())
    }

    fn find(&self, id: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(key, _)| key.as_str().cmp(id))
    }

    /// The answer to question `id`.
    pub fn get(&self, id: &str) -> Option<&Answer> {
        self.find(id).ok().map(|at| &self.0[at].1)
    }

    /// Sets the answer to question `id`, giving back the one it replaces.
    pub fn insert(&mut self, id: String, answer: Answer) -> Option<Answer> {
        match self.find(&id) {
            Ok(at) => Some(std::mem::replace(&mut self.0[at].1, answer)),
            Err(at) => {
                self.0.insert(at, (id, answer));
                None
            }
        }
    }

    /// Each question id with its answer, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Answer)> {
        self.0.iter().map(|(id, answer)| (id, answer))
    }

    /// Whether question `id` is answered.
    pub fn contains_key(&self, id: &str) -> bool {
        self.find(id).is_ok()
    }

    /// The answered question ids, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(id, _)| id)
    }

    /// How many questions are answered.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether nothing is answered.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(String, Answer)> for Answers {
    /// Later answers to the same question replace earlier ones (as a map's would).
    fn from_iter<I: IntoIterator<Item = (String, Answer)>>(pairs: I) -> Answers {
        let mut answers = Answers::new();
        for (id, answer) in pairs {
            answers.insert(id, answer);
        }
        answers
    }
}

impl Serialize for Answers {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Answers {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Answers, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Answers;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of answers by question id")
            }

            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<Answers, M::Error> {
                let mut answers = Answers::new();
                while let Some((id, answer)) = map.next_entry::<String, Answer>()? {
                    answers.insert(id, answer);
                }
                Ok(answers)
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// What is wrong with an answer (or a missing one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerProblem {
    /// The survey version has no such question.
    UnknownQuestion,
    /// The branching does not show the question for these answers.
    NotAsked,
    /// A shown question that is not optional has no answer.
    Missing,
    /// The answer is not a score.
    ScoreExpected {
        /// Lowest score.
        min: i64,
        /// Highest score.
        max: i64,
    },
    /// The score lies outside the scale.
    OutOfRange {
        /// Lowest score.
        min: i64,
        /// Highest score.
        max: i64,
    },
    /// A single choice needs one option id.
    OptionExpected,
    /// A multiple choice needs a list of option ids.
    OptionsExpected,
    /// An option id the question does not offer.
    UnknownOption(String),
    /// The same option twice.
    RepeatedOption(String),
    /// A text question needs text.
    TextExpected,
    /// Longer than [`MAX_TEXT_CHARS`].
    TooLong,
}

/// An answer the survey does not take, naming the question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerError {
    /// The question's id.
    pub question: String,
    /// What is wrong.
    pub problem: AnswerProblem,
}

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let q = &self.question;
        match &self.problem {
            AnswerProblem::UnknownQuestion => write!(
                f,
                "question `{q}`: this survey version has no such question"
            ),
            AnswerProblem::NotAsked => write!(
                f,
                "question `{q}`: not asked for these answers (its condition does not hold)"
            ),
            AnswerProblem::Missing => write!(f, "question `{q}`: an answer is required"),
            AnswerProblem::ScoreExpected { min, max } => {
                write!(
                    f,
                    "question `{q}`: a whole number from {min} to {max} is expected"
                )
            }
            AnswerProblem::OutOfRange { min, max } => {
                write!(f, "question `{q}`: the score must lie from {min} to {max}")
            }
            AnswerProblem::OptionExpected => write!(f, "question `{q}`: one option id is expected"),
            AnswerProblem::OptionsExpected => {
                write!(f, "question `{q}`: a list of option ids is expected")
            }
            AnswerProblem::UnknownOption(id) => {
                write!(f, "question `{q}`: `{id}` is not one of its options")
            }
            AnswerProblem::RepeatedOption(id) => {
                write!(f, "question `{q}`: `{id}` is chosen twice")
            }
            AnswerProblem::TextExpected => write!(f, "question `{q}`: text is expected"),
            AnswerProblem::TooLong => {
                write!(f, "question `{q}`: at most {MAX_TEXT_CHARS} characters")
            }
        }
    }
}

impl std::error::Error for AnswerError {}

impl Answer {
    /// Whether this counts as no answer at all (blank text, no options chosen).
    pub fn is_blank(&self) -> bool {
        match self {
            Answer::Score(_) => false,
            Answer::Text(text) => text.trim().is_empty(),
            Answer::Choices(ids) => ids.is_empty(),
        }
    }
}

/// Whether `condition` holds on `answers`, given the questions shown so far (a condition
/// on a question that is not shown never holds). The shown questions are searched in
/// order rather than indexed: a survey asks at most [`MAX_QUESTIONS`], and a map here
/// would be several KB of the widget's wasm.
fn holds(condition: &Condition, shown: &[&QuestionView], answers: &Answers) -> bool {
    let Some(kind) = shown
        .iter()
        .find(|q| q.id == condition.question)
        .map(|q| q.kind)
    else {
        return false;
    };
    match (answers.get(&condition.question), kind.scale()) {
        (Some(Answer::Score(score)), Some(_)) => {
            condition.min.is_none_or(|min| *score >= min)
                && condition.max.is_none_or(|max| *score <= max)
        }
        (Some(Answer::Text(id)), None) if kind == QuestionKind::SingleChoice => {
            condition.any_of.contains(id)
        }
        (Some(Answer::Choices(ids)), None) => ids.iter().any(|id| condition.any_of.contains(id)),
        _ => false,
    }
}

/// The questions the branching shows for `answers`, in order. A question without a
/// condition is always shown; one with a condition is shown when an earlier shown
/// question was answered the way it names.
pub fn visible<'a>(questions: &'a [QuestionView], answers: &Answers) -> Vec<&'a QuestionView> {
    let mut out: Vec<&QuestionView> = Vec::new();
    for question in questions {
        if question
            .when
            .as_ref()
            .is_none_or(|c| holds(c, &out, answers))
        {
            out.push(question);
        }
    }
    out
}

/// Checks one answer against its question.
pub fn check(question: &QuestionView, answer: &Answer) -> Result<(), AnswerProblem> {
    if let Some((min, max)) = question.kind.scale() {
        return match answer {
            Answer::Score(score) if (min..=max).contains(score) => Ok(()),
            Answer::Score(_) => Err(AnswerProblem::OutOfRange { min, max }),
            _ => Err(AnswerProblem::ScoreExpected { min, max }),
        };
    }
    let offered = |id: &String| question.options.iter().any(|o| &o.id == id);
    match (question.kind, answer) {
        (QuestionKind::SingleChoice, Answer::Text(id)) if offered(id) => Ok(()),
        (QuestionKind::SingleChoice, Answer::Text(id)) => {
            Err(AnswerProblem::UnknownOption(id.clone()))
        }
        (QuestionKind::SingleChoice, _) => Err(AnswerProblem::OptionExpected),
        (QuestionKind::MultipleChoice, Answer::Choices(ids)) => {
            let mut seen = BTreeSet::new();
            for id in ids {
                if !offered(id) {
                    return Err(AnswerProblem::UnknownOption(id.clone()));
                }
                if !seen.insert(id) {
                    return Err(AnswerProblem::RepeatedOption(id.clone()));
                }
            }
            Ok(())
        }
        (QuestionKind::MultipleChoice, _) => Err(AnswerProblem::OptionsExpected),
        (QuestionKind::Text, Answer::Text(text)) if text.chars().count() > MAX_TEXT_CHARS => {
            Err(AnswerProblem::TooLong)
        }
        (QuestionKind::Text, Answer::Text(_)) => Ok(()),
        _ => Err(AnswerProblem::TextExpected),
    }
}

/// Checks a whole response: every answer names a question the branching shows and
/// fits it, and every shown question that is not optional is answered. Blank answers
/// (empty text, no options) count as none and are left out of what is returned.
pub fn validate(questions: &[QuestionView], answers: &Answers) -> Result<Answers, AnswerError> {
    let fail = |question: &str, problem| {
        Err(AnswerError {
            question: question.to_owned(),
            problem,
        })
    };
    let index = super::by_id(questions);
    for id in answers.keys() {
        if !index.contains_key(id.as_str()) {
            return fail(id, AnswerProblem::UnknownQuestion);
        }
    }
    let shown = visible(questions, answers);
    let shown_ids: BTreeSet<&str> = shown.iter().map(|q| q.id.as_str()).collect();
    let mut kept = Answers::new();
    for (id, answer) in answers.iter() {
        if !shown_ids.contains(id.as_str()) {
            return fail(id, AnswerProblem::NotAsked);
        }
        if let Err(problem) = check(index[id.as_str()], answer) {
            return fail(id, problem);
        }
        if !answer.is_blank() {
            kept.insert(id.clone(), answer.clone());
        }
    }
    for question in shown {
        if !question.optional && !kept.contains_key(&question.id) {
            return fail(&question.id, AnswerProblem::Missing);
        }
    }
    Ok(kept)
}

/// What the widget sends: the answers to the questions the branching shows now (a
/// shopper who changed an earlier answer may have answered a follow-up that is no
/// longer asked), blank ones left out.
pub fn submitted(questions: &[QuestionView], answers: &Answers) -> Answers {
    // Inserted one by one, not collected (see `super::by_id`).
    let mut kept = Answers::new();
    for q in visible(questions, answers) {
        if let Some(a) = answers.get(&q.id).filter(|a| !a.is_blank()) {
            kept.insert(q.id.clone(), a.clone());
        }
    }
    kept
}

/// A configured survey that cannot run, naming the question (or `None` for the survey
/// as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    /// The question at fault.
    pub question: Option<String>,
    /// What is wrong, in words for the shop's developer.
    pub message: String,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.question {
            Some(q) => write!(f, "question `{q}`: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for DefinitionError {}

/// Checks a survey's questions: at least one and at most [`MAX_QUESTIONS`], ids valid
/// and unique, choice questions with 2 to [`MAX_OPTIONS`] options of unique valid ids
/// and other kinds with none, and every condition naming an earlier question in a way
/// that question can be answered (a score range within its scale, or options it
/// offers). Texts are checked by the caller per locale.
pub fn check_definition(questions: &[QuestionView]) -> Result<(), DefinitionError> {
    let fail = |question: Option<&str>, message: String| {
        Err(DefinitionError {
            question: question.map(str::to_owned),
            message,
        })
    };
    if questions.is_empty() || questions.len() > MAX_QUESTIONS {
        return fail(
            None,
            format!(
                "a survey asks 1 to {MAX_QUESTIONS} questions, not {}",
                questions.len()
            ),
        );
    }
    let mut earlier: BTreeMap<&str, &QuestionView> = BTreeMap::new();
    for q in questions {
        let id = Some(q.id.as_str());
        if !super::valid_id(&q.id) {
            return fail(id, "an id is 1 to 64 letters, digits, `-` or `_`".into());
        }
        if earlier.contains_key(q.id.as_str()) {
            return fail(id, "the id is used twice".into());
        }
        if q.kind.has_options() {
            if !(2..=MAX_OPTIONS).contains(&q.options.len()) {
                return fail(
                    id,
                    format!("a choice question offers 2 to {MAX_OPTIONS} options"),
                );
            }
            let mut seen = BTreeSet::new();
            for option in &q.options {
                if !valid_id(&option.id) || !seen.insert(option.id.as_str()) {
                    return fail(
                        id,
                        format!("option id `{}` is invalid or used twice", option.id),
                    );
                }
            }
        } else if !q.options.is_empty() {
            return fail(id, format!("a {} question has no options", q.kind.as_str()));
        }
        if let Some(c) = &q.when {
            let Some(target) = earlier.get(c.question.as_str()) else {
                return fail(
                    id,
                    format!(
                        "its condition names `{}`, which is not an earlier question",
                        c.question
                    ),
                );
            };
            match target.kind.scale() {
                Some((low, high)) => {
                    let (min, max) = (c.min.unwrap_or(low), c.max.unwrap_or(high));
                    if !c.any_of.is_empty() || (c.min.is_none() && c.max.is_none()) {
                        return fail(
                            id,
                            format!(
                                "a condition on the scale question `{}` gives `min` and/or `max`",
                                c.question
                            ),
                        );
                    }
                    if min > max || min < low || max > high {
                        return fail(id, format!("the range {min} to {max} does not fit `{}`'s scale {low} to {high}", c.question));
                    }
                }
                None if target.kind.has_options() => {
                    if c.any_of.is_empty() || c.min.is_some() || c.max.is_some() {
                        return fail(
                            id,
                            format!(
                                "a condition on the choice question `{}` gives `any_of`",
                                c.question
                            ),
                        );
                    }
                    if let Some(bad) = c
                        .any_of
                        .iter()
                        .find(|o| !target.options.iter().any(|t| &t.id == *o))
                    {
                        return fail(id, format!("`{bad}` is not an option of `{}`", c.question));
                    }
                }
                None => {
                    return fail(
                        id,
                        format!("a condition cannot read the text question `{}`", c.question),
                    );
                }
            }
        }
        earlier.insert(&q.id, q);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::ChoiceView;
    use super::*;

    fn question(id: &str, kind: QuestionKind) -> QuestionView {
        let options = if kind.has_options() {
            ["price", "taste", "delivery"]
                .map(|o| ChoiceView {
                    id: o.into(),
                    label: o.to_uppercase(),
                })
                .to_vec()
        } else {
            Vec::new()
        };
        QuestionView {
            id: id.into(),
            kind,
            text: format!("{id}?"),
            optional: false,
            options,
            low_label: None,
            high_label: None,
            when: None,
        }
    }

    fn when(q: &str, min: Option<i64>, max: Option<i64>, any_of: &[&str]) -> Option<Condition> {
        Some(Condition {
            question: q.into(),
            min,
            max,
            any_of: any_of.iter().map(|s| s.to_string()).collect(),
        })
    }

    /// NPS, then "what went wrong" for detractors, then "what did you like" for
    /// promoters, then an optional comment.
    fn nps_survey() -> Vec<QuestionView> {
        let mut wrong = question("wrong", QuestionKind::MultipleChoice);
        wrong.when = when("nps", None, Some(6), &[]);
        let mut liked = question("liked", QuestionKind::SingleChoice);
        liked.when = when("nps", Some(9), None, &[]);
        let mut detail = question("detail", QuestionKind::Text);
        detail.when = when("wrong", None, None, &["delivery"]);
        detail.optional = true;
        vec![question("nps", QuestionKind::Nps), wrong, liked, detail]
    }

    fn answers(pairs: &[(&str, Answer)]) -> Answers {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    fn ids(shown: Vec<&QuestionView>) -> Vec<&str> {
        shown.into_iter().map(|q| q.id.as_str()).collect()
    }

    #[test]
    fn a_follow_up_shows_for_detractors_only() {
        let survey = nps_survey();
        assert_eq!(ids(visible(&survey, &Answers::new())), ["nps"]);
        assert_eq!(
            ids(visible(&survey, &answers(&[("nps", Answer::Score(6))]))),
            ["nps", "wrong"]
        );
        assert_eq!(
            ids(visible(&survey, &answers(&[("nps", Answer::Score(7))]))),
            ["nps"]
        );
        assert_eq!(
            ids(visible(&survey, &answers(&[("nps", Answer::Score(9))]))),
            ["nps", "liked"]
        );
        let delivery = answers(&[
            ("nps", Answer::Score(2)),
            ("wrong", Answer::Choices(vec!["delivery".into()])),
        ]);
        assert_eq!(ids(visible(&survey, &delivery)), ["nps", "wrong", "detail"]);
    }

    #[test]
    fn a_condition_on_a_hidden_question_never_holds() {
        // "wrong" was answered while the score was low; the score changed since.
        let survey = nps_survey();
        let stale = answers(&[
            ("nps", Answer::Score(10)),
            ("wrong", Answer::Choices(vec!["delivery".into()])),
        ]);
        assert_eq!(ids(visible(&survey, &stale)), ["nps", "liked"]);
    }

    #[test]
    fn validate_names_the_question_at_fault() {
        let survey = nps_survey();
        let problem = |pairs: &[(&str, Answer)]| validate(&survey, &answers(pairs)).unwrap_err();
        let e = problem(&[("nps", Answer::Score(11))]);
        assert_eq!(
            (e.question.as_str(), &e.problem),
            ("nps", &AnswerProblem::OutOfRange { min: 0, max: 10 })
        );
        assert!(e.to_string().contains("`nps`"));
        assert_eq!(
            problem(&[("nps", Answer::Text("9".into()))]).problem,
            AnswerProblem::ScoreExpected { min: 0, max: 10 }
        );
        assert_eq!(problem(&[]).question, "nps");
        assert_eq!(problem(&[]).problem, AnswerProblem::Missing);
        assert_eq!(problem(&[("nps", Answer::Score(3))]).question, "wrong");
        assert_eq!(
            problem(&[
                ("nps", Answer::Score(8)),
                ("wrong", Answer::Choices(vec![]))
            ])
            .problem,
            AnswerProblem::NotAsked
        );
        assert_eq!(
            problem(&[("nps", Answer::Score(8)), ("extra", Answer::Score(1))]).problem,
            AnswerProblem::UnknownQuestion
        );
        let e = problem(&[
            ("nps", Answer::Score(9)),
            ("liked", Answer::Text("colour".into())),
        ]);
        assert_eq!(e.problem, AnswerProblem::UnknownOption("colour".into()));
        let e = problem(&[
            ("nps", Answer::Score(0)),
            (
                "wrong",
                Answer::Choices(vec!["price".into(), "price".into()]),
            ),
        ]);
        assert_eq!(e.problem, AnswerProblem::RepeatedOption("price".into()));
        assert_eq!(
            problem(&[
                ("nps", Answer::Score(9)),
                ("liked", Answer::Choices(vec![]))
            ])
            .problem,
            AnswerProblem::OptionExpected
        );
    }

    #[test]
    fn valid_answers_pass_and_blank_optional_ones_drop() {
        let survey = nps_survey();
        let given = answers(&[
            ("nps", Answer::Score(4)),
            (
                "wrong",
                Answer::Choices(vec!["delivery".into(), "price".into()]),
            ),
            ("detail", Answer::Text("  ".into())),
        ]);
        let kept = validate(&survey, &given).unwrap();
        assert_eq!(kept.keys().collect::<Vec<_>>(), ["nps", "wrong"]);
        let long = answers(&[
            ("nps", Answer::Score(4)),
            ("wrong", Answer::Choices(vec!["delivery".into()])),
            ("detail", Answer::Text("好".repeat(MAX_TEXT_CHARS))),
        ]);
        assert!(
            validate(&survey, &long).is_ok(),
            "the limit counts characters, not bytes"
        );
        let longer = answers(&[
            ("nps", Answer::Score(4)),
            ("wrong", Answer::Choices(vec!["delivery".into()])),
            ("detail", Answer::Text("好".repeat(MAX_TEXT_CHARS + 1))),
        ]);
        assert_eq!(
            validate(&survey, &longer).unwrap_err().problem,
            AnswerProblem::TooLong
        );
    }

    #[test]
    fn submitted_keeps_what_the_branching_shows_and_validates() {
        let survey = nps_survey();
        let draft = answers(&[
            ("nps", Answer::Score(10)),
            ("wrong", Answer::Choices(vec!["delivery".into()])),
            ("liked", Answer::Text("taste".into())),
            ("detail", Answer::Text("late".into())),
        ]);
        let sent = submitted(&survey, &draft);
        assert_eq!(sent.keys().collect::<Vec<_>>(), ["liked", "nps"]);
        assert_eq!(validate(&survey, &sent).unwrap(), sent);
    }

    #[test]
    fn answers_travel_as_bare_json_values() {
        let given = answers(&[
            ("a", Answer::Score(9)),
            ("b", Answer::Text("price".into())),
            ("c", Answer::Choices(vec!["x".into(), "y".into()])),
        ]);
        let json = serde_json::to_string(&given).unwrap();
        assert_eq!(json, r#"{"a":9,"b":"price","c":["x","y"]}"#);
        assert_eq!(serde_json::from_str::<Answers>(&json).unwrap(), given);
        assert!(serde_json::from_str::<Answers>(r#"{"a":{"x":1}}"#).is_err());
        assert!(serde_json::from_str::<Answers>(r#"{"a":9.5}"#).is_err());
    }

    #[test]
    fn answers_keep_one_per_question_in_id_order() {
        let mut given = Answers::new();
        assert_eq!(given.insert("nps".into(), Answer::Score(3)), None);
        assert_eq!(given.insert("a".into(), Answer::Text("x".into())), None);
        assert_eq!(given.insert("z".into(), Answer::Score(1)), None);
        // A second answer to a question replaces the first, as a map's would.
        assert_eq!(
            given.insert("nps".into(), Answer::Score(9)),
            Some(Answer::Score(3))
        );
        assert_eq!(given.keys().collect::<Vec<_>>(), ["a", "nps", "z"]);
        assert_eq!(given.len(), 3);
        assert_eq!(given.get("nps"), Some(&Answer::Score(9)));
        assert_eq!(given.get("b"), None);
        assert!(given.contains_key("z") && !given.contains_key("y"));
        assert_eq!(
            serde_json::to_string(&given).unwrap(),
            r#"{"a":"x","nps":9,"z":1}"#
        );
        // From the wire: any key order, a repeated key's last value.
        let read: Answers = serde_json::from_str(r#"{"z":1,"nps":3,"a":"x","nps":9}"#).unwrap();
        assert_eq!(read, given);
        assert!(serde_json::from_str::<Answers>("[]").is_err());
    }

    #[test]
    fn definitions_with_dangling_or_impossible_conditions_are_refused() {
        assert!(check_definition(&nps_survey()).is_ok());
        assert!(check_definition(&[]).is_err());
        let refused = |edit: &dyn Fn(&mut Vec<QuestionView>)| {
            let mut survey = nps_survey();
            edit(&mut survey);
            check_definition(&survey).unwrap_err()
        };
        let e = refused(&|s| s[1].when = when("later", None, Some(6), &[]));
        assert_eq!(e.question.as_deref(), Some("wrong"));
        // A condition may only name an earlier question: no loops.
        let e = refused(&|s| s[0].when = when("liked", None, None, &["taste"]));
        assert_eq!(e.question.as_deref(), Some("nps"));
        refused(&|s| s[1].when = when("nps", Some(5), Some(12), &[]));
        refused(&|s| s[1].when = when("nps", Some(7), Some(6), &[]));
        refused(&|s| s[1].when = when("nps", None, None, &[]));
        refused(&|s| s[3].when = when("wrong", None, None, &["colour"]));
        refused(&|s| s[3].when = when("wrong", Some(1), None, &["price"]));
        refused(&|s| s.push(question("nps", QuestionKind::Csat)));
        refused(&|s| s[1].options.truncate(1));
        refused(&|s| s[1].options[1].id = "price".into());
        refused(&|s| s[0].options = s[1].options.clone());
        refused(&|s| s[0].id = "n p s".into());
        let mut comment = question("comment", QuestionKind::Text);
        comment.when = when("detail", None, None, &["x"]);
        refused(&|s| s.push(comment.clone()));
    }
}
