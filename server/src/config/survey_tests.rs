//! Tests of `[[shops.<id>.surveys]]` and `[shops.<id>.survey_cadence]`: the demo's
//! surveys load, views come in each locale, the structure blanks every text, and every
//! bad value stops the start naming its key.

use comeback_core::survey::{Per, Placement, Trigger, Until};
use comeback_core::Locale;

use super::*;

const SHOP: &str = r#"
[shops.demo]
name = "Cloud & Leaf Tea"
token_secrets = ["tok-0123456789abcdef0123456789abcdef"]
webhook_secrets = ["hook-0123456789abcdef0123456789abcdef"]
api_keys = ["api-0123456789abcdef0123456789abcdef"]
currency = "CNY"

[shops.demo.loyalty]
code_prefix = "TEA"
"#;

const SURVEYS: &str = r#"
[[shops.demo.surveys]]
id = "thank-you-nps"
version = 1
trigger = "order_complete"
title = { en = "Thanks", "zh-Hans" = "谢谢" }
thanks = { en = "Thank you" }

[[shops.demo.surveys.questions]]
id = "nps"
type = "nps"
text = { en = "Recommend us?", "zh-Hans" = "推荐吗？" }
low_label = { en = "Never" }

[[shops.demo.surveys.questions]]
id = "reason"
type = "text"
optional = true
text = { en = "Why?" }
when = { question = "nps", max = 6 }

[[shops.demo.surveys]]
id = "delivery-csat"
version = 2
trigger = "days_after_order"
days_after_order = 3
placement = "popup"
recontact = { per = "customer", until = "answered" }
reward_points = 20
title = { en = "Delivery" }
thanks = { en = "Thanks" }

[[shops.demo.surveys.questions]]
id = "csat"
type = "csat"
text = { en = "Happy?" }

[[shops.demo.surveys.questions]]
id = "problem"
type = "single_choice"
text = { en = "What went wrong?" }
when = { question = "csat", max = 3 }
options = [{ id = "late", label = { en = "Late" } }, { id = "damaged", label = { en = "Damaged" } }]
"#;

fn error_with(from: &str, to: &str) -> String {
    let text = format!("{SHOP}{}", SURVEYS.replacen(from, to, 1));
    match Config::parse(&text) {
        Ok(_) => panic!("`{from}` → `{to}` was accepted"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn surveys_load_with_their_defaults() {
    let config = Config::parse(&format!("{SHOP}{SURVEYS}")).unwrap();
    let shop = config.shop("demo").unwrap();
    assert_eq!(shop.survey_cadence.cooldown_days, 14);
    assert_eq!(shop.survey_cadence.time_zone, "UTC");
    let [nps, csat] = &shop.surveys[..] else {
        panic!("two surveys")
    };
    assert_eq!(nps.placement, Placement::Inline);
    assert_eq!(
        (nps.recontact.per, nps.recontact.until),
        (Per::Order, Until::Once)
    );
    assert_eq!(csat.trigger, Trigger::DaysAfterOrder);
    assert!(!csat.per_order());
    let view = nps.view(&shop.survey_cadence, Locale::ZhHans);
    assert_eq!(view.title, "谢谢");
    // A text not written in the locale falls back to English.
    assert_eq!(view.thanks, "Thank you");
    assert_eq!(view.questions[0].text, "推荐吗？");
    assert_eq!(view.questions[0].low_label.as_deref(), Some("Never"));
    assert_eq!(view.cooldown_days, 14);
    // The structure keeps ids, kinds, options and conditions, and no text.
    let structure = csat.structure();
    assert!(structure.iter().all(|q| q.text.is_empty()));
    assert_eq!(structure[1].options[1].id, "damaged");
    assert!(structure[1].options.iter().all(|o| o.label.is_empty()));
    assert_eq!(structure[1].when.as_ref().unwrap().max, Some(3));
    // A shop without surveys is fine.
    assert!(Config::parse(SHOP)
        .unwrap()
        .shop("demo")
        .unwrap()
        .surveys
        .is_empty());
}

#[test]
fn the_demo_surveys_are_valid_and_written_in_every_locale() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../comeback.demo.toml");
    let config = Config::load(&path).unwrap();
    let shop = config.shop("demo").unwrap();
    assert_eq!(shop.survey_cadence.cooldown_days, 0);
    let ids: Vec<&str> = shop.surveys.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["thank-you-nps", "delivery-csat"]);
    for survey in &shop.surveys {
        for locale in [Locale::ZhHans, Locale::ZhHant] {
            let english = survey.view(&shop.survey_cadence, Locale::En);
            let view = survey.view(&shop.survey_cadence, locale);
            assert_ne!(view.title, english.title, "{} {locale:?}", survey.id);
            for (q, e) in view.questions.iter().zip(&english.questions) {
                assert_ne!(q.text, e.text, "{} {} {locale:?}", survey.id, q.id);
            }
        }
    }
}

#[test]
fn bad_survey_values_are_named() {
    let cases = [
        (
            error_with("id = \"thank-you-nps\"", "id = \"thank you\""),
            "shops.demo.surveys[0].id",
        ),
        (
            error_with("id = \"delivery-csat\"", "id = \"thank-you-nps\""),
            "shops.demo.surveys[1].id",
        ),
        (
            error_with("version = 1", "version = 0"),
            "shops.demo.surveys[0].version",
        ),
        (
            error_with("days_after_order = 3\n", ""),
            "shops.demo.surveys[1].days_after_order",
        ),
        (
            error_with("days_after_order = 3", "days_after_order = 0"),
            "shops.demo.surveys[1].days_after_order",
        ),
        (
            error_with(
                "trigger = \"order_complete\"",
                "trigger = \"order_complete\"\ndays_after_order = 2",
            ),
            "shops.demo.surveys[0].days_after_order",
        ),
        (
            error_with("trigger = \"order_complete\"", "trigger = \"event\""),
            "shops.demo.surveys[0].event",
        ),
        (
            error_with(
                "trigger = \"order_complete\"",
                "trigger = \"order_complete\"\nevent = \"x\"",
            ),
            "shops.demo.surveys[0].event",
        ),
        (
            error_with("reward_points = 20", "reward_points = 0"),
            "shops.demo.surveys[1].reward_points",
        ),
        (
            error_with("title = { en = \"Thanks\"", "title = { en = \" \""),
            "shops.demo.surveys[0].title.en",
        ),
        (
            error_with("\"zh-Hans\" = \"推荐吗？\"", "\"zh-Hans\" = \"\""),
            "shops.demo.surveys[0].questions[0].text.zh-Hans",
        ),
        (
            error_with("max = 6", "max = 11"),
            "shops.demo.surveys[0].questions[1].when",
        ),
        (
            error_with("question = \"nps\"", "question = \"reason\""),
            "shops.demo.surveys[0].questions[1].when",
        ),
        (
            error_with("{ id = \"damaged\"", "{ id = \"late\""),
            "shops.demo.surveys[1].questions[1].options",
        ),
        (
            error_with(
                "id = \"reason\"\ntype = \"text\"",
                "id = \"reason\"\ntype = \"text\"\nlow_label = { en = \"x\" }",
            ),
            "shops.demo.surveys[0].questions[1].low_label",
        ),
        (
            error_with("id = \"reason\"", "id = \"nps\""),
            "shops.demo.surveys[0].questions[1].id",
        ),
        (
            error_with(
                "{ id = \"late\", label = { en = \"Late\" } }",
                "{ id = \"late\", label = { en = \"\" } }",
            ),
            "shops.demo.surveys[1].questions[1].options[0].label.en",
        ),
    ];
    for (error, key) in cases {
        assert!(error.starts_with(&format!("{key}:")), "{key}: {error}");
    }
    let cadence = |line: &str| {
        Config::parse(&format!(
            "{SHOP}[shops.demo.survey_cadence]\n{line}\n{SURVEYS}"
        ))
        .unwrap_err()
        .to_string()
    };
    assert!(cadence("cooldown_days = 366").starts_with("shops.demo.survey_cadence.cooldown_days:"));
    assert!(
        cadence("time_zone = \"Mars/Olympus\"").starts_with("shops.demo.survey_cadence.time_zone:")
    );
    // A reward needs the loyalty programme.
    let without_loyalty =
        format!("{SHOP}{SURVEYS}").replace("[shops.demo.loyalty]\ncode_prefix = \"TEA\"\n", "");
    let error = Config::parse(&without_loyalty).unwrap_err().to_string();
    assert!(
        error.starts_with("shops.demo.surveys[1].reward_points:"),
        "{error}"
    );
    // A survey without questions.
    let empty = format!(
        "{SHOP}[[shops.demo.surveys]]\nid = \"x\"\nversion = 1\ntrigger = \"order_complete\"\ntitle = {{ en = \"T\" }}\nthanks = {{ en = \"T\" }}\nquestions = []\n"
    );
    let error = Config::parse(&empty).unwrap_err().to_string();
    assert!(
        error.starts_with("shops.demo.surveys[0].questions:"),
        "{error}"
    );
}
