//! `[shops.<id>.appearance]`: how the shop's widgets look on every page, unless the
//! page says otherwise. The widgets read it from `GET /v1/shops/{shop}/appearance`
//! beneath the page's own appearance (`comebackSettings.appearance`), so a theme
//! developer's setting on a page always wins over the shop's.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{invalid, ConfigError};

/// Most design tokens a shop may set (the widgets read about forty).
pub const MAX_VARIABLES: usize = 64;
/// The longest token value, in bytes (a font stack fits easily).
pub const MAX_VALUE_LEN: usize = 200;

/// `[shops.<id>.appearance]`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppearanceConfig {
    /// The colour scheme of every widget unless the page or the element sets one:
    /// `light`, `dark`, or `auto` (follows the shopper's system setting). Light when
    /// absent.
    #[serde(default)]
    pub theme: Option<ThemeChoice>,
    /// Design tokens: `--comeback-*` custom properties and their CSS values, with the
    /// names of the theme playground and the README's tables, such as
    /// `--comeback-color-accent = "#8a3b12"`, `--comeback-radius = "4px"` or
    /// `--comeback-font-family = "Georgia, serif"`. At most 64; a value is one CSS value
    /// (no `;`, braces, angle brackets, comments, backslashes or `url(…)`).
    #[serde(default)]
    #[schema(examples(json!({"--comeback-color-accent": "#8a3b12"})))]
    pub variables: BTreeMap<String, String>,
}

/// A colour scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ThemeChoice {
    /// Dark text on light surfaces.
    Light,
    /// Light text on dark surfaces.
    Dark,
    /// Light or dark as the shopper's system is set.
    Auto,
}

impl ThemeChoice {
    /// The word the widgets take (`theme` attribute, `appearance.theme`).
    pub fn as_str(self) -> &'static str {
        match self {
            ThemeChoice::Light => "light",
            ThemeChoice::Dark => "dark",
            ThemeChoice::Auto => "auto",
        }
    }
}

impl AppearanceConfig {
    pub(crate) fn validate(&self, id: &str) -> Result<(), ConfigError> {
        let key = format!("shops.{id}.appearance.variables");
        if self.variables.len() > MAX_VARIABLES {
            return Err(invalid(
                key,
                format!("at most {MAX_VARIABLES} tokens may be set"),
            ));
        }
        for (name, value) in &self.variables {
            let at = format!("{key}.{name}");
            if let Some(problem) = name_problem(name) {
                return Err(invalid(at, problem));
            }
            if let Some(problem) = value_problem(value) {
                return Err(invalid(at, problem));
            }
        }
        Ok(())
    }
}

/// Why `name` is not a token name, if it is not.
fn name_problem(name: &str) -> Option<String> {
    let rest = name.strip_prefix("--comeback-").unwrap_or_default();
    let well_formed = !rest.is_empty()
        && name.len() <= 64
        && rest
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    (!well_formed).then(|| {
        format!(
            "`{name}` is not a token name: it starts with `--comeback-` and goes on with \
             lowercase letters, digits and `-` (such as `--comeback-color-accent`)"
        )
    })
}

/// Why `value` cannot be a token's value, if it cannot: anything that could end the
/// declaration or reach outside the widget is refused.
fn value_problem(value: &str) -> Option<&'static str> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Some("must not be empty (remove the token to use the default)");
    }
    if value.len() > MAX_VALUE_LEN {
        return Some("must be at most 200 characters");
    }
    if value.chars().any(char::is_control)
        || value.contains([';', '{', '}', '<', '>', '\\', '!'])
        || value.contains("/*")
    {
        return Some(
            "must be one CSS value: no `;`, braces, angle brackets, `!`, backslashes or comments",
        );
    }
    if value.to_ascii_lowercase().contains("url(") {
        return Some("must not load anything: `url(…)` is not accepted");
    }
    let mut depth = 0i32;
    for c in trimmed.chars() {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        if depth < 0 {
            break;
        }
    }
    let quotes_closed = trimmed.matches('"').count().is_multiple_of(2)
        && trimmed.matches('\'').count().is_multiple_of(2);
    if depth != 0 || !quotes_closed {
        return Some("has a bracket or a quote that is not closed");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, value: &str) -> Result<(), ConfigError> {
        AppearanceConfig {
            theme: None,
            variables: BTreeMap::from([(name.to_owned(), value.to_owned())]),
        }
        .validate("s")
    }

    #[test]
    fn tokens_with_plain_values_are_accepted() {
        for (name, value) in [
            ("--comeback-color-accent", "#8a3b12"),
            ("--comeback-color-accent", "rgb(138 59 18 / 90%)"),
            (
                "--comeback-font-family",
                "\"Noto Serif SC\", Georgia, serif",
            ),
            ("--comeback-shadow", "0 1px 3px rgb(0 0 0 / 8%)"),
            (
                "--comeback-launcher-offset-y",
                "calc(20px + env(safe-area-inset-bottom))",
            ),
        ] {
            check(name, value).unwrap_or_else(|error| panic!("{name}: {value}: {error}"));
        }
    }

    #[test]
    fn a_bad_name_or_value_is_refused_naming_the_token() {
        for (name, value) in [
            ("color-accent", "red"),
            ("--comeback-", "red"),
            ("--comeback-Color", "red"),
            ("--comeback-color-accent", " "),
            ("--comeback-color-accent", "red;background:blue"),
            ("--comeback-color-accent", "red}:host{color:blue"),
            ("--comeback-color-accent", "red !important"),
            ("--comeback-color-accent", "red /* x */"),
            ("--comeback-color-accent", "\\72 ed"),
            (
                "--comeback-color-accent",
                "URL(https://tracker.example/p.gif)",
            ),
            ("--comeback-color-accent", "rgb(1 2 3"),
            ("--comeback-color-accent", "rgb(1 2 3))"),
            ("--comeback-font-family", "\"Noto"),
            ("--comeback-color-accent", "red\nblue"),
        ] {
            let error = check(name, value).expect_err(value).to_string();
            assert!(
                error.contains(&format!("shops.s.appearance.variables.{name}")),
                "{error}"
            );
        }
        let many = (0..=MAX_VARIABLES)
            .map(|n| (format!("--comeback-x{n}"), "1px".to_owned()))
            .collect();
        let error = AppearanceConfig {
            theme: None,
            variables: many,
        }
        .validate("s")
        .unwrap_err();
        assert!(error.to_string().contains("at most 64"), "{error}");
    }
}
