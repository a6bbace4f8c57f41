//! The locales Comeback ships and the text type that carries one string in each.

use serde::{Deserialize, Serialize};

/// A locale Comeback ships a full catalogue for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    /// English, the last fallback.
    #[default]
    En,
    /// Simplified Chinese (mainland China, Singapore).
    ZhHans,
    /// Traditional Chinese (Taiwan, Hong Kong, Macau).
    ZhHant,
}

impl Locale {
    /// Every shipped locale, in catalogue order.
    pub const ALL: [Locale; 3] = [Locale::En, Locale::ZhHans, Locale::ZhHant];

    /// The BCP 47 tag, also the key used in config and wire types.
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhHans => "zh-Hans",
            Locale::ZhHant => "zh-Hant",
        }
    }

    /// Maps a BCP 47 tag (as found in `lang`, `navigator.languages`, config) to a shipped
    /// locale, or `None` when none fits. Regions decide the Chinese script when the tag
    /// names no script: `zh-TW`, `zh-HK` and `zh-MO` read Traditional, the rest Simplified.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let tag = tag.trim();
        let mut parts = tag.split(['-', '_']);
        let language = parts.next()?.to_ascii_lowercase();
        match language.as_str() {
            "en" => Some(Locale::En),
            "zh" | "cmn" | "yue" => {
                let mut script_or_region = None;
                for part in parts {
                    let part = part.to_ascii_lowercase();
                    match part.as_str() {
                        "hant" => return Some(Locale::ZhHant),
                        "hans" => return Some(Locale::ZhHans),
                        "tw" | "hk" | "mo" => script_or_region = Some(Locale::ZhHant),
                        _ => {}
                    }
                }
                Some(script_or_region.unwrap_or(if language == "yue" {
                    Locale::ZhHant
                } else {
                    Locale::ZhHans
                }))
            }
            _ => None,
        }
    }

    /// The first tag in `tags` that maps to a shipped locale.
    pub fn negotiate<'a>(tags: impl IntoIterator<Item = &'a str>) -> Option<Locale> {
        tags.into_iter().find_map(Locale::from_tag)
    }
}

/// One piece of shopper-facing text in every shipped locale. English is required; the
/// Chinese variants fall back to each other, then to English.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalizedText {
    /// English text.
    pub en: String,
    /// Simplified Chinese text.
    #[serde(rename = "zh-Hans", default, skip_serializing_if = "Option::is_none")]
    pub zh_hans: Option<String>,
    /// Traditional Chinese text.
    #[serde(rename = "zh-Hant", default, skip_serializing_if = "Option::is_none")]
    pub zh_hant: Option<String>,
}

impl LocalizedText {
    /// Text with only the English variant.
    pub fn en(text: impl Into<String>) -> Self {
        LocalizedText {
            en: text.into(),
            ..LocalizedText::default()
        }
    }

    /// The variant written for exactly `locale` (no fallback), unless blank.
    pub fn exact(&self, locale: Locale) -> Option<&str> {
        let text = match locale {
            Locale::En => Some(&self.en),
            Locale::ZhHans => self.zh_hans.as_ref(),
            Locale::ZhHant => self.zh_hant.as_ref(),
        };
        text.map(String::as_str).filter(|t| !t.trim().is_empty())
    }

    /// The best variant for `locale`.
    pub fn get(&self, locale: Locale) -> &str {
        let pick = match locale {
            Locale::En => None,
            Locale::ZhHans => self.zh_hans.as_ref().or(self.zh_hant.as_ref()),
            Locale::ZhHant => self.zh_hant.as_ref().or(self.zh_hans.as_ref()),
        };
        pick.map_or(self.en.as_str(), String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_tags_pick_the_script_by_region() {
        assert_eq!(Locale::from_tag("zh-CN"), Some(Locale::ZhHans));
        assert_eq!(Locale::from_tag("zh"), Some(Locale::ZhHans));
        assert_eq!(Locale::from_tag("zh-TW"), Some(Locale::ZhHant));
        assert_eq!(Locale::from_tag("zh_HK"), Some(Locale::ZhHant));
        assert_eq!(Locale::from_tag("zh-Hant-CN"), Some(Locale::ZhHant));
        assert_eq!(Locale::from_tag("zh-Hans-HK"), Some(Locale::ZhHans));
        assert_eq!(Locale::from_tag("en-GB"), Some(Locale::En));
        assert_eq!(Locale::from_tag("fr-FR"), None);
        assert_eq!(Locale::from_tag(""), None);
    }

    #[test]
    fn negotiation_takes_the_first_supported_tag() {
        assert_eq!(
            Locale::negotiate(["fr", "de", "zh-TW", "en"]),
            Some(Locale::ZhHant)
        );
        assert_eq!(Locale::negotiate(["fr"]), None);
    }

    #[test]
    fn text_falls_back_between_scripts_then_to_english() {
        let only_en = LocalizedText::en("Gold");
        assert_eq!(only_en.get(Locale::ZhHant), "Gold");
        let hans = LocalizedText {
            en: "Gold".into(),
            zh_hans: Some("金卡".into()),
            zh_hant: None,
        };
        assert_eq!(hans.get(Locale::ZhHant), "金卡");
        assert_eq!(hans.get(Locale::En), "Gold");
    }
}
