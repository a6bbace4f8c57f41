//! The export of a survey's responses as CSV, one row per response, for a spreadsheet:
//! the context columns, then one column per question id (every version's, in order of
//! first appearance). A cell a spreadsheet would run as a formula (starting with `=`,
//! `+`, `-` or `@`) is prefixed with `'`; quoting is the `csv` crate's (RFC 4180).

use comeback_core::survey::{Answer, QuestionView};
use time::format_description::well_known::Rfc3339;

use crate::store::{reward_name, SurveyAnswer};

/// The context columns, before the questions'.
pub const CONTEXT_COLUMNS: [&str; 9] = [
    "id",
    "version",
    "answered_at",
    "customer_id",
    "order_id",
    "products",
    "page",
    "locale",
    "reward",
];

/// `value` made safe to open in a spreadsheet: a leading `=`, `+`, `-` or `@` would
/// make it a formula, so it gets a `'` in front.
pub fn defused(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

/// An answer as one cell: the score, the text or option id, or the options joined
/// with `;`.
fn cell(answer: Option<&Answer>) -> String {
    match answer {
        None => String::new(),
        Some(Answer::Score(score)) => score.to_string(),
        Some(Answer::Text(text)) => text.clone(),
        Some(Answer::Choices(ids)) => ids.join(";"),
    }
}

/// The question ids of `versions`' questions, each once, in order of first appearance.
pub fn question_columns<'a>(versions: impl IntoIterator<Item = &'a [QuestionView]>) -> Vec<String> {
    let mut columns: Vec<String> = Vec::new();
    for questions in versions {
        for question in questions {
            if !columns.contains(&question.id) {
                columns.push(question.id.clone());
            }
        }
    }
    columns
}

/// The CSV of `responses` with the question columns `questions`.
pub fn export(questions: &[String], responses: &[SurveyAnswer]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = CONTEXT_COLUMNS
        .iter()
        .copied()
        .chain(questions.iter().map(String::as_str))
        .collect();
    writer.write_record(&header)?;
    for response in responses {
        let answered_at = time::OffsetDateTime::from_unix_timestamp(response.answered_at)
            .ok()
            .and_then(|at| at.format(&Rfc3339).ok())
            .unwrap_or_default();
        let context = &response.context;
        let mut row = vec![
            response.id.clone(),
            response.version.to_string(),
            answered_at,
            response.customer_id.clone().unwrap_or_default(),
            context.order_id.clone().unwrap_or_default(),
            context.products.join(" "),
            context.page.clone().unwrap_or_default(),
            context.locale.clone().unwrap_or_default(),
            reward_name(response.reward).to_owned(),
        ];
        row.extend(questions.iter().map(|id| cell(response.answers.get(id))));
        writer.write_record(row.iter().map(|value| defused(value)))?;
    }
    writer
        .into_inner()
        .map_err(|error| error.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_plain_text_is_kept() {
        assert_eq!(defused("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(defused("+1"), "'+1");
        assert_eq!(defused("-5"), "'-5");
        assert_eq!(defused("@cmd"), "'@cmd");
        assert_eq!(defused("fine - really"), "fine - really");
    }
}
