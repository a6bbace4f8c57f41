//! What is typed into a field, read as JSON: numbers written as JSON numbers (whole
//! ones as integers) and the JSON text box. Pure, so it is checked natively.

use serde_json::Value;

/// Reads a typed number: `Ok(None)` when empty, a JSON integer for a whole number, a
/// JSON float otherwise; the error says what to type.
pub fn parse_number(text: &str, whole: bool) -> Result<Option<Value>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if whole {
        return text
            .parse::<i64>()
            .map(|number| Some(Value::from(number)))
            .map_err(|_| "Enter a whole number, such as 30.".into());
    }
    match text.parse::<f64>() {
        Ok(number) if number.is_finite() => Ok(Some(Value::from(number))),
        _ => Err("Enter a number, such as 1.5.".into()),
    }
}

/// Whether two numbers are the same value (`1` and `1.0` are).
pub fn same_number(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a == b || (a.as_f64().is_some() && a.as_f64() == b.as_f64()),
        _ => false,
    }
}

/// Reads the JSON box: `Ok(None)` for empty text or `null`.
pub fn parse_json(text: &str) -> Result<Option<Value>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    serde_json::from_str::<Value>(text)
        .map(|value| Some(value).filter(|value| !value.is_null()))
        .map_err(|error| format!("This is not valid JSON: {error}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_are_written_as_json_numbers() {
        assert_eq!(parse_number(" 30 ", true), Ok(Some(json!(30))));
        assert!(parse_number("30", true).unwrap().unwrap().is_i64());
        assert!(parse_number("1.5", true).is_err());
        assert_eq!(parse_number("1.5", false), Ok(Some(json!(1.5))));
        assert_eq!(parse_number("", false), Ok(None));
        assert!(parse_number("NaN", false).is_err());
        assert!(parse_number("1e999", false).is_err());
        assert!(same_number(Some(&json!(1)), Some(&json!(1.0))));
        assert!(!same_number(Some(&json!(1)), None));
    }

    #[test]
    fn json_text_keeps_errors_and_reads_null_as_none() {
        assert_eq!(parse_json(""), Ok(None));
        assert_eq!(parse_json("null"), Ok(None));
        assert_eq!(parse_json("{\"a\": [1]}"), Ok(Some(json!({"a": [1]}))));
        assert!(parse_json("{\"a\": ").is_err());
    }
}
