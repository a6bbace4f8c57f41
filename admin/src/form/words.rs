//! How the form words things: labels made from keys, the sections' plain names, list
//! items' titles, which texts get several lines, and the help text under a label.

use serde_json::Value;

/// A key made readable: `points_per_unit` → "Points per unit"; the locales of a
/// localized text by their names.
pub fn label(key: &str) -> String {
    match key {
        "en" => return "English".into(),
        "zh-Hans" => return "Simplified Chinese".into(),
        "zh-Hant" => return "Traditional Chinese".into(),
        _ => {}
    }
    let words: Vec<String> = key
        .split(['_', '-', ' '])
        .filter(|word| !word.is_empty())
        .map(|word| match word {
            "id" | "url" | "nps" | "csat" | "api" | "sku" | "utm" => word.to_uppercase(),
            _ => word.to_owned(),
        })
        .collect();
    let words = words.join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => key.to_owned(),
    }
}

/// The plain name of a settings section.
pub fn section_label(section: &str) -> String {
    match section {
        "loyalty" => "Loyalty".into(),
        "referrals" => "Referrals".into(),
        "subscriptions" => "Subscribe and save".into(),
        "help" => "Help centre".into(),
        "surveys" => "Surveys".into(),
        "survey_cadence" => "Survey cadence".into(),
        "recommendations" => "Recommendations".into(),
        other => label(other),
    }
}

/// What to call a list item: its `id`, `name` or `title` (a text or a localized
/// text's English), when it has one.
pub fn item_title(item: &Value) -> Option<String> {
    ["id", "name", "title", "key", "question"]
        .iter()
        .filter_map(|key| item.get(key))
        .find_map(|value| {
            let text = match value {
                Value::String(text) => Some(text.as_str()),
                Value::Object(_) => value.get("en")?.as_str(),
                _ => None,
            };
            text.filter(|text| !text.trim().is_empty())
                .map(str::to_owned)
        })
}

/// Whether a text field deserves several lines: its description speaks of markdown
/// or a body, or the text already has a line break.
pub fn multiline(description: Option<&str>, value: &str) -> bool {
    let about = description.unwrap_or_default().to_lowercase();
    value.contains('\n') || about.contains("markdown") || about.contains("body")
}

/// The help text worth showing under `label`: none when the description only says
/// the label again (`English.` under "English").
pub fn help_text(description: Option<&str>, label: &str) -> Option<String> {
    let text = description?.trim();
    let said = text.trim_end_matches('.').trim();
    (!text.is_empty() && !said.eq_ignore_ascii_case(label.trim())).then(|| text.to_owned())
}

/// A description cut at its backticks: `(true, code)` for the quoted parts. An
/// unclosed backtick is kept as text.
pub fn code_spans(text: &str) -> Vec<(bool, String)> {
    let parts: Vec<&str> = text.split('`').collect();
    let closed = parts.len() % 2 == 1;
    let mut spans: Vec<(bool, String)> = Vec::new();
    for (at, part) in parts.iter().enumerate() {
        let code = at % 2 == 1 && (closed || at + 1 < parts.len());
        let part = if at % 2 == 1 && !code {
            format!("`{part}")
        } else {
            (*part).to_owned()
        };
        if part.is_empty() {
            continue;
        }
        match spans.last_mut() {
            Some((false, last)) if !code => last.push_str(&part),
            _ => spans.push((code, part)),
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn labels_titles_and_text_boxes() {
        assert_eq!(label("points_per_unit"), "Points per unit");
        assert_eq!(label("zh-Hans"), "Simplified Chinese");
        assert_eq!(label("join_url"), "Join URL");
        assert_eq!(label("id"), "ID");
        assert_eq!(label("__"), "__");
        assert_eq!(section_label("subscriptions"), "Subscribe and save");
        assert_eq!(
            item_title(&json!({"id": "gold", "name": {"en": "Gold"}})),
            Some("gold".into())
        );
        assert_eq!(
            item_title(&json!({"title": {"en": "Returns"}})),
            Some("Returns".into())
        );
        assert_eq!(
            item_title(&json!({"id": "", "name": "Card"})),
            Some("Card".into())
        );
        assert_eq!(item_title(&json!({"cost": 1})), None);
        assert!(multiline(Some("The answer, in Markdown."), ""));
        assert!(multiline(None, "two\nlines"));
        assert!(!multiline(Some("A code prefix."), "ABC"));
        assert_eq!(help_text(Some("English."), "English"), None);
        assert_eq!(help_text(Some("  "), "Id"), None);
        assert_eq!(help_text(None, "Id"), None);
        assert_eq!(
            help_text(Some("Stable id."), "Id"),
            Some("Stable id.".into())
        );
        assert_eq!(
            code_spans("Default `UTC`, or `Asia/Shanghai`."),
            [
                (false, "Default ".to_owned()),
                (true, "UTC".to_owned()),
                (false, ", or ".to_owned()),
                (true, "Asia/Shanghai".to_owned()),
                (false, ".".to_owned()),
            ]
        );
        assert_eq!(code_spans("a `b"), [(false, "a `b".to_owned())]);
        assert_eq!(code_spans("`x`"), [(true, "x".to_owned())]);
    }
}
