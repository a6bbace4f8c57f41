//! Troubleshooting trees: a shop's decision trees, walked one question at a time.
//!
//! A tree is data. Each step is a question with answer buttons leading to other steps,
//! or a leaf: "solved" (optionally linking an article) or "contact us". The server
//! validates every tree at start and refuses to start on a broken one, naming the tree and
//! the step; the widget and the server follow a shopper's answers with the same
//! [`Tree::follow`], so a ticket's path is the path the shopper saw.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Locale, LocalizedText};

/// A troubleshooting tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Tree {
    /// Its id, unique in the shop (`order-problem`).
    pub id: String,
    /// Its title, shown on the help home and above its questions.
    pub title: LocalizedText,
    /// The id of the first step (default: the first step listed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Its steps, in any order.
    pub steps: Vec<Step>,
}

/// One step: a question with answers, or a leaf. Exactly one of `question` (with
/// `answers`), `solved` and `contact` is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Its id, unique in the tree.
    pub id: String,
    /// A question step's question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<LocalizedText>,
    /// A question step's answers, each leading to another step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<Answer>,
    /// A solved leaf: what fixes the problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solved: Option<LocalizedText>,
    /// The article a solved leaf links to, by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
    /// A "contact us" leaf: what to tell the shopper before the contact form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<LocalizedText>,
}

/// An answer button.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The button's text.
    pub label: LocalizedText,
    /// The step it leads to.
    pub next: String,
}

/// What kind of step a [`Step`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// A question with answers.
    Question,
    /// A leaf saying the problem is solved.
    Solved,
    /// A leaf handing over to a person.
    Contact,
}

impl Step {
    /// Its kind, or `None` when it is not exactly one of question, solved and contact.
    pub fn kind(&self) -> Option<StepKind> {
        match (
            self.question.is_some() || !self.answers.is_empty(),
            self.solved.is_some(),
            self.contact.is_some(),
        ) {
            (true, false, false) => Some(StepKind::Question),
            (false, true, false) => Some(StepKind::Solved),
            (false, false, true) => Some(StepKind::Contact),
            _ => None,
        }
    }

    /// Every text of the step with what it is, for the locale check.
    fn texts(&self) -> Vec<(&'static str, &LocalizedText)> {
        let mut texts = Vec::new();
        if let Some(question) = &self.question {
            texts.push(("question", question));
        }
        texts.extend(
            self.answers
                .iter()
                .map(|answer| ("answer label", &answer.label)),
        );
        if let Some(solved) = &self.solved {
            texts.push(("solved", solved));
        }
        if let Some(contact) = &self.contact {
            texts.push(("contact", contact));
        }
        texts
    }
}

/// What is wrong with a tree, naming the tree and the step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeError {
    /// The tree's id.
    pub tree: String,
    /// The step's id, when one step is at fault.
    pub step: Option<String>,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for TreeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "help tree `{}`", self.tree)?;
        if let Some(step) = &self.step {
            write!(f, ", step `{step}`")?;
        }
        write!(f, ": {}", self.problem)
    }
}

impl std::error::Error for TreeError {}

impl Tree {
    /// The step with `id`.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|step| step.id == id)
    }

    /// The first step.
    pub fn first(&self) -> Option<&Step> {
        match &self.start {
            Some(start) => self.step(start),
            None => self.steps.first(),
        }
    }

    /// Follows the answers chosen (each an index into its step's answers) from the first
    /// step: every step passed with the answer taken there, then the step reached (its
    /// answer `None`). `None` when an index does not exist.
    pub fn follow(&self, chosen: &[usize]) -> Option<Vec<(&Step, Option<&Answer>)>> {
        let mut step = self.first()?;
        let mut path = Vec::with_capacity(chosen.len() + 1);
        for &index in chosen {
            let answer = step.answers.get(index)?;
            path.push((step, Some(answer)));
            step = self.step(&answer.next)?;
        }
        path.push((step, None));
        Some(path)
    }

    /// Checks the tree: steps exist and have distinct ids, each is exactly one kind, every
    /// answer leads to a step, no path loops, every step is reachable from the first,
    /// every text is written in each of `locales`, and a solved leaf's article is one
    /// `article_exists` knows.
    pub fn validate(
        &self,
        locales: &[Locale],
        article_exists: &dyn Fn(&str) -> bool,
    ) -> Result<(), TreeError> {
        let fail = |step: Option<&str>, problem: String| TreeError {
            tree: self.id.clone(),
            step: step.map(str::to_owned),
            problem,
        };
        if self.steps.is_empty() {
            return Err(fail(None, "has no steps".into()));
        }
        check_locales(&self.title, locales).map_err(|l| fail(None, missing("title", l)))?;
        let mut ids = BTreeSet::new();
        for step in &self.steps {
            let at = Some(step.id.as_str());
            if step.id.trim().is_empty() {
                return Err(fail(None, "a step has an empty id".into()));
            }
            if !ids.insert(step.id.as_str()) {
                return Err(fail(at, "the id is used by two steps".into()));
            }
            match step.kind() {
                None => {
                    return Err(fail(
                        at,
                        "must be exactly one of a question (with answers), `solved` or `contact`"
                            .into(),
                    ))
                }
                Some(StepKind::Question) if step.question.is_none() => {
                    return Err(fail(at, "has answers but no `question`".into()))
                }
                Some(StepKind::Question) if step.answers.is_empty() => {
                    return Err(fail(at, "asks a question with no `answers`".into()))
                }
                Some(kind) if kind != StepKind::Solved && step.article.is_some() => {
                    return Err(fail(
                        at,
                        "only a `solved` step may link an `article`".into(),
                    ))
                }
                Some(_) => {}
            }
            for (what, text) in step.texts() {
                check_locales(text, locales).map_err(|l| fail(at, missing(what, l)))?;
            }
            if let Some(article) = &step.article {
                if !article_exists(article) {
                    return Err(fail(at, format!("links the unknown article `{article}`")));
                }
            }
        }
        for step in &self.steps {
            for answer in &step.answers {
                if !ids.contains(answer.next.as_str()) {
                    return Err(fail(
                        Some(&step.id),
                        format!("an answer leads to the unknown step `{}`", answer.next),
                    ));
                }
            }
        }
        let first = match &self.start {
            Some(start) => self
                .step(start)
                .ok_or_else(|| fail(None, format!("`start` names the unknown step `{start}`")))?,
            None => &self.steps[0],
        };
        self.check_paths(first).map_err(|step| {
            fail(
                Some(&step),
                "an answer leads back to an earlier step (a loop)".into(),
            )
        })?;
        let reached = self.reachable(first);
        if let Some(lost) = self.steps.iter().find(|s| !reached.contains(s.id.as_str())) {
            return Err(fail(
                Some(&lost.id),
                "no path from the first step reaches it".into(),
            ));
        }
        Ok(())
    }

    /// Depth-first from `first` without recursion; `Err` names a step whose answer leads
    /// back to a step on the current path.
    fn check_paths(&self, first: &Step) -> Result<(), String> {
        // The path: each step with the index of its next answer to try.
        let mut path: Vec<(&Step, usize)> = vec![(first, 0)];
        let mut done: BTreeSet<&str> = BTreeSet::new();
        while let Some(&(step, next)) = path.last() {
            match step.answers.get(next) {
                Some(answer) => {
                    if let Some(top) = path.last_mut() {
                        top.1 += 1;
                    }
                    if path.iter().any(|(on, _)| on.id == answer.next) {
                        return Err(step.id.clone());
                    }
                    if !done.contains(answer.next.as_str()) {
                        if let Some(target) = self.step(&answer.next) {
                            path.push((target, 0));
                        }
                    }
                }
                None => {
                    done.insert(step.id.as_str());
                    path.pop();
                }
            }
        }
        Ok(())
    }

    fn reachable<'a>(&'a self, first: &'a Step) -> BTreeSet<&'a str> {
        let mut seen = BTreeSet::from([first.id.as_str()]);
        let mut todo = vec![first];
        while let Some(step) = todo.pop() {
            for answer in &step.answers {
                if seen.insert(answer.next.as_str()) {
                    todo.extend(self.step(&answer.next));
                }
            }
        }
        seen
    }
}

/// The first of `locales` that `text` lacks.
fn check_locales(text: &LocalizedText, locales: &[Locale]) -> Result<(), Locale> {
    match locales.iter().find(|&&l| text.exact(l).is_none()) {
        Some(&missing) => Err(missing),
        None => Ok(()),
    }
}

fn missing(what: &str, locale: Locale) -> String {
    format!("the {what} has no `{}` text", locale.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(en: &str) -> LocalizedText {
        LocalizedText {
            en: en.into(),
            zh_hans: Some(format!("{en}（简）")),
            zh_hant: Some(format!("{en}（繁）")),
        }
    }

    fn question(id: &str, answers: &[(&str, &str)]) -> Step {
        Step {
            id: id.into(),
            question: Some(text(id)),
            answers: answers
                .iter()
                .map(|(label, next)| Answer {
                    label: text(label),
                    next: (*next).into(),
                })
                .collect(),
            solved: None,
            article: None,
            contact: None,
        }
    }

    fn leaf(id: &str, contact: bool) -> Step {
        Step {
            id: id.into(),
            question: None,
            answers: Vec::new(),
            solved: (!contact).then(|| text("Fixed")),
            article: None,
            contact: contact.then(|| text("Call us")),
        }
    }

    fn tree(steps: Vec<Step>) -> Tree {
        Tree {
            id: "order-problem".into(),
            title: text("Order problem"),
            start: None,
            steps,
        }
    }

    fn good() -> Tree {
        tree(vec![
            question("what", &[("Late", "late"), ("Damaged", "damaged")]),
            question("late", &[("Over 7 days", "contact"), ("Less", "wait")]),
            leaf("wait", false),
            leaf("damaged", true),
            leaf("contact", true),
        ])
    }

    fn problem(tree: &Tree) -> String {
        tree.validate(&Locale::ALL, &|id| id == "returns")
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_sound_tree_passes_and_can_be_followed() {
        let tree = good();
        assert_eq!(tree.validate(&Locale::ALL, &|_| false), Ok(()));
        let path = tree.follow(&[0, 1]).unwrap();
        let ids: Vec<&str> = path.iter().map(|(step, _)| step.id.as_str()).collect();
        assert_eq!(ids, vec!["what", "late", "wait"]);
        assert_eq!(path[0].1.unwrap().next, "late");
        assert!(path[2].1.is_none());
        assert!(tree.follow(&[5]).is_none());
        assert_eq!(tree.follow(&[]).unwrap().len(), 1);
    }

    #[test]
    fn dangling_answers_and_unknown_starts_are_named() {
        let mut tree = good();
        tree.steps[1].answers[1].next = "nowhere".into();
        assert_eq!(
            problem(&tree),
            "help tree `order-problem`, step `late`: an answer leads to the unknown step `nowhere`"
        );
        let mut tree = good();
        tree.start = Some("gone".into());
        assert!(problem(&tree).contains("`start` names the unknown step `gone`"));
    }

    #[test]
    fn loops_unreachable_steps_and_duplicates_are_refused() {
        let mut tree = good();
        tree.steps[1].answers[1].next = "what".into();
        assert!(
            problem(&tree).contains("step `late`: an answer leads back"),
            "{}",
            problem(&tree)
        );
        let mut tree = good();
        tree.steps.push(leaf("orphan", false));
        assert!(problem(&tree).contains("step `orphan`: no path"));
        let mut tree = good();
        tree.steps.push(leaf("wait", true));
        assert!(problem(&tree).contains("step `wait`: the id is used by two steps"));
        // A step reached twice by different paths is no loop.
        let mut tree = good();
        tree.steps[0].answers.push(Answer {
            label: text("Other"),
            next: "contact".into(),
        });
        assert_eq!(tree.validate(&Locale::ALL, &|_| true), Ok(()));
        // A self-loop.
        let mut tree = good();
        tree.steps[1].answers[0].next = "late".into();
        assert!(problem(&tree).contains("step `late`: an answer leads back"));
    }

    #[test]
    fn shapes_locales_and_articles_are_checked() {
        let mut tree = good();
        tree.steps[2].contact = Some(text("both"));
        assert!(problem(&tree).contains("step `wait`: must be exactly one of"));
        let mut tree = good();
        tree.steps[1].question = None;
        assert!(problem(&tree).contains("step `late`: has answers but no `question`"));
        let mut tree = good();
        tree.steps[1].answers[0].label.zh_hant = None;
        assert!(problem(&tree).contains("step `late`: the answer label has no `zh-Hant` text"));
        // Only the shop's own locales are required.
        assert_eq!(
            tree.validate(&[Locale::En, Locale::ZhHans], &|_| true),
            Ok(())
        );
        let mut tree = good();
        tree.steps[2].article = Some("brewing".into());
        assert!(problem(&tree).contains("links the unknown article `brewing`"));
        tree.steps[2].article = Some("returns".into());
        assert_eq!(tree.validate(&Locale::ALL, &|id| id == "returns"), Ok(()));
        tree.steps[3].article = Some("returns".into());
        assert!(problem(&tree).contains("only a `solved` step may link"));
        assert!(problem(&self::tree(Vec::new())).contains("has no steps"));
    }

    #[test]
    fn trees_read_from_config_shaped_json() {
        let json = r#"{"id":"t","title":{"en":"T"},"steps":[
            {"id":"a","question":{"en":"Q"},"answers":[{"label":{"en":"Yes"},"next":"b"}]},
            {"id":"b","solved":{"en":"Done"}}]}"#;
        let tree: Tree = serde_json::from_str(json).unwrap();
        assert_eq!(tree.validate(&[Locale::En], &|_| false), Ok(()));
        assert_eq!(tree.steps[1].kind(), Some(StepKind::Solved));
    }
}
