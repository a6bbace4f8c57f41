//! Eight weeks of other shoppers' answers to the demo surveys, so the admin report has
//! weeks, NPS and CSAT to show: sent through the same path as the endpoint's (checked,
//! scored, with their event), each on its own day in the past. The answers follow a
//! fixed pattern and every response has a fixed `Idempotency-Key`, so the seed is the
//! same on every run and later runs change nothing. The demo customer answers nothing:
//! the account page still has `delivery-csat` due for their last order.

use comeback_core::survey::{Answer, Answers, ResponseContext, SurveyResponse, Trigger};

use crate::auth::Shop;
use crate::error::AppError;
use crate::features::surveys::responses::submit;
use crate::AppState;

const DAY: i64 = 86_400;
/// Days of history.
const DAYS: i64 = 56;

/// NPS scores, repeated in turn: mostly promoters, some passives and detractors.
const NPS: [i64; 12] = [10, 9, 8, 10, 6, 9, 7, 10, 3, 9, 10, 8];
/// Reasons written with some of them, in the shopper's locale.
const REASONS: [(&str, &str); 6] = [
    ("en", "Fresh leaves and fast shipping."),
    ("zh-Hans", "茶叶新鲜，包装也很用心。"),
    ("zh-Hant", "茶香濃郁，下次還會再買。"),
    ("en", "The oolong was lovely but shipping took a week."),
    ("zh-Hans", "价格有点高，希望多些优惠。"),
    ("zh-Hant", "客服回覆很快，謝謝。"),
];
/// CSAT scores, repeated in turn.
const CSAT: [i64; 9] = [5, 4, 5, 2, 4, 5, 3, 5, 4];
/// What went wrong, for a CSAT of 3 or less.
const PROBLEMS: [&str; 3] = ["late", "damaged", "other"];
/// The locale of each answer, with a comment some of them leave.
const COMMENTS: [(&str, &str); 3] = [
    ("zh-Hans", "包装很好，下次还来。"),
    ("en", "The courier called ahead, very kind."),
    ("zh-Hant", "包裝很用心，茶葉完好無損。"),
];
/// Products of the seeded answers' orders.
const PRODUCTS: [&str; 4] = [
    "longjing-green-100g",
    "wuyi-oolong-100g",
    "jasmine-pearls-50g",
    "keemun-black-100g",
];

/// The answers and locale of the `n`th seeded response.
type Pattern = fn(usize) -> (Answers, &'static str);

/// Seeds the answers, when the demo shop has the demo surveys.
pub async fn seed(state: &AppState, shop: &Shop) -> Result<(), AppError> {
    let now = state.clock.now();
    for survey in &shop.config.surveys {
        let (every, pattern): (i64, Pattern) = match survey.id.as_str() {
            "thank-you-nps" => (2, nps_answers),
            "delivery-csat" => (3, csat_answers),
            _ => continue,
        };
        for (n, days_ago) in (1..=DAYS).rev().step_by(every as usize).enumerate() {
            let (answers, locale) = pattern(n);
            let order_id = format!("demo-survey-{}-{n}", survey.id);
            let request = SurveyResponse {
                version: survey.version,
                answers,
                context: ResponseContext {
                    order_id: Some(order_id),
                    products: vec![PRODUCTS[n % PRODUCTS.len()].to_owned()],
                    page: Some(match survey.trigger {
                        Trigger::OrderComplete => "/thank-you.html".to_owned(),
                        _ => "/account.html".to_owned(),
                    }),
                    locale: Some(locale.to_owned()),
                    trigger: Some(survey.trigger),
                },
                answered_at: None,
            };
            // Spread over the day too, so the responses of a week are not all at noon.
            let at = now - days_ago * DAY - (i64::try_from(n).unwrap_or(0) % 7) * 3_600;
            // Another shopper for each: a guest every third answer.
            let customer = (n % 3 != 0).then(|| format!("c-{}", 3000 + n));
            let key = format!("demo-seed-survey-{}-{n}", survey.id);
            submit(state, shop, survey, customer.as_deref(), &key, &request, at).await?;
        }
    }
    Ok(())
}

fn nps_answers(n: usize) -> (Answers, &'static str) {
    let mut answers = Answers::new();
    answers.insert("nps".into(), Answer::Score(NPS[n % NPS.len()]));
    let (locale, reason) = REASONS[n % REASONS.len()];
    if n.is_multiple_of(2) {
        answers.insert("reason".into(), Answer::Text(reason.into()));
    }
    (answers, locale)
}

fn csat_answers(n: usize) -> (Answers, &'static str) {
    let mut answers = Answers::new();
    let csat = CSAT[n % CSAT.len()];
    answers.insert("csat".into(), Answer::Score(csat));
    if csat <= 3 {
        answers.insert(
            "problem".into(),
            Answer::Text(PROBLEMS[n % PROBLEMS.len()].into()),
        );
    }
    let (locale, comment) = COMMENTS[n % COMMENTS.len()];
    if n % 4 == 1 {
        answers.insert("comment".into(), Answer::Text(comment.into()));
    }
    (answers, locale)
}
