//! `<comeback-subscriptions>` in the browser: the list (dates, prices, statuses, the
//! cancelled ones collapsed below), a skip shown at once and then as the server answered,
//! a refused cancellation rolled back with the reason in the shopper's language, cancelling
//! in two clicks, a retry that replays with the same key, the signed-out invitation, and
//! no answer for an earlier shopper shown.

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use super::{
    count_requests, get, is_uuid_v4, nth_request, quoted, script_fetch, settings, Fixture,
    HtmlSinks,
};

const SUB1: &str = r#"{"id": "sub-1", "product_id": "wuyi-oolong-100g", "title": "Wuyi Rock Oolong",
  "url": "/product.html", "image": "https://img.test/wuyi.jpg", "plan_id": "tea-club",
  "plan_name": "Subscribe & save 10%", "quantity": 2, "interval": "P4W",
  "intervals": ["P2W", "P4W", "P8W"], "status": "active", "next_delivery": "2027-03-01",
  "renewal_pending": false, "price": {"regular": 12800, "price": 11520, "saving": 1280},
  "free_shipping": true, "deliveries": 1, "min_deliveries": 3, "started_on": "2027-02-01"}"#;

const SUB2: &str = r#"{"id": "sub-2", "product_id": "jasmine", "title": "Jasmine Pearls",
  "plan_id": "tea-club", "plan_name": "Subscribe & save 10%", "quantity": 1, "interval": "P2W",
  "intervals": ["P2W", "P4W", "P8W"], "status": "paused", "next_delivery": "2027-04-05",
  "paused_until": "2027-04-01", "renewal_pending": false,
  "price": {"regular": 6800, "price": 6120, "saving": 680}, "free_shipping": true,
  "deliveries": 4, "started_on": "2027-01-04"}"#;

const SUB3: &str = r#"{"id": "sub-3", "product_id": "puer", "title": "Ripe Pu'er",
  "plan_id": "tea-club", "plan_name": "Subscribe & save 10%", "quantity": 1, "interval": "P8W",
  "intervals": ["P2W", "P4W", "P8W"], "status": "cancelled", "renewal_pending": false,
  "price": {"regular": 9900, "price": 8910, "saving": 990}, "free_shipping": true,
  "deliveries": 3, "started_on": "2026-09-01", "cancelled_on": "2027-01-20"}"#;

fn list(title: &str) -> String {
    format!(
        r#"{{"currency": "CNY", "subscriptions": [{}, {SUB2}, {SUB3}],
            "cancel_reasons": [{{"id": "too-much", "label": "I have too much tea"}},
                               {{"id": "too-expensive", "label": "It costs too much"}}],
            "save_offer": "skip"}}"#,
        SUB1.replace("Wuyi Rock Oolong", title)
    )
}

/// Subscription 1 as the server answers a change: `changes` are `(from, to)` text edits.
fn sub1(changes: &[(&str, &str)]) -> String {
    changes
        .iter()
        .fold(SUB1.to_owned(), |json, (from, to)| json.replace(from, to))
}

fn routes(extra: &str) -> String {
    format!(
        r#"{{"GET /subscriptions": [200, {}]{extra}}}"#,
        quoted(&list("Wuyi Rock Oolong"))
    )
}

fn config(locale: &str) -> String {
    format!(
        r#"{{"shop": "demo", "api": "https://api.test", "token": "t0k", "locales": ["{locale}"], "attrs": {{}}}}"#
    )
}

fn item(id: &str) -> String {
    ["[data-subscription=\"", id, "\"]"].concat()
}

fn texts(fixture: &Fixture, selector: &str) -> Vec<String> {
    let found = fixture.shadow.query_selector_all(selector).unwrap();
    (0..found.length())
        .map(|i| found.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

async fn manager(locale: &str) -> (Fixture, comeback::MountHandle) {
    let fixture = Fixture::new();
    let handle = fixture.mount_kind("subscriptions", &config(locale));
    fixture
        .until("the list", |f| f.find("[part=subscription]").is_some())
        .await;
    (fixture, handle)
}

#[wasm_bindgen_test]
async fn the_manager_lists_subscriptions_with_dates_prices_and_the_cancelled_below() {
    script_fetch(&routes(""));
    let (fixture, _handle) = manager("en").await;
    assert_eq!(
        texts(&fixture, "ul[part=list] > li [part=title]"),
        ["Wuyi Rock Oolong", "Jasmine Pearls"]
    );
    let one = item("sub-1");
    assert_eq!(
        fixture.text(&[&one, " [part=status]"].concat()),
        "Active · Every 4 weeks · Quantity: 2"
    );
    assert_eq!(
        fixture.text(&[&one, " [part=next]"].concat()),
        "Next delivery: Mar 1, 2027"
    );
    let price = fixture.text(&[&one, " [part=price]"].concat());
    assert!(price.starts_with("¥230.40 per delivery"), "{price}");
    assert!(
        price.contains("Was ¥256.00") && price.contains("Free shipping"),
        "{price}"
    );
    let image = fixture.find(&[&one, " img[part=image]"].concat()).unwrap();
    assert_eq!(image.get_attribute("alt").as_deref(), Some(""));
    assert_eq!(image.get_attribute("loading").as_deref(), Some("lazy"));
    assert_eq!(
        texts(&fixture, &[&one, " [part=actions] button"].concat()),
        [
            "Skip next delivery",
            "Deliver now",
            "Change",
            "Pause",
            "Cancel subscription"
        ]
    );
    let two = item("sub-2");
    assert_eq!(
        fixture.text(&[&two, " [part=next]"].concat()),
        "Paused until Apr 1, 2027; next delivery Apr 5, 2027"
    );
    assert_eq!(
        texts(&fixture, &[&two, " [part=actions] button"].concat()),
        ["Resume", "Change", "Cancel subscription"]
    );
    // The cancelled one sits below, collapsed, muted, with nothing to press.
    let cancelled = fixture.find("details[part=cancelled]").unwrap();
    assert!(!cancelled.has_attribute("open"));
    assert_eq!(
        fixture.text("details[part=cancelled] > summary"),
        "Cancelled subscriptions (1)"
    );
    let three = ["details[part=cancelled] ", &item("sub-3")].concat();
    assert_eq!(
        fixture.text(&[&three, " [part=next]"].concat()),
        "Cancelled on Jan 20, 2027"
    );
    assert!(fixture.find(&[&three, " button"].concat()).is_none());
    // Asked for in the shopper's language, with the token in the header only.
    let request = nth_request("GET", 0);
    assert!(get(&request, "url")
        .as_string()
        .unwrap()
        .ends_with("/subscriptions?locale=en"));
    assert_eq!(
        get(&request, "auth").as_string().as_deref(),
        Some("Bearer t0k")
    );
}

#[wasm_bindgen_test]
async fn a_skip_shows_at_once_then_as_the_server_answered() {
    // The server's date differs from the one the widget predicts: its answer wins.
    let answer = sub1(&[("2027-03-01", "2027-04-05")]);
    script_fetch(&routes(&format!(
        r#", "POST /subscriptions/sub-1/skip": [200, {}, 400]"#,
        quoted(&answer)
    )));
    let (fixture, _handle) = manager("en").await;
    let one = item("sub-1");
    let next = [&one, " [part=next]"].concat();
    fixture.click(&[&one, " [part=skip-button]"].concat());
    // At once: the following delivery of its rhythm, marked as being saved.
    fixture
        .until("the predicted date", |f| {
            f.text(&next) == "Next delivery: Mar 29, 2027"
        })
        .await;
    assert_eq!(
        fixture
            .find(&one)
            .unwrap()
            .get_attribute("aria-busy")
            .as_deref(),
        Some("true")
    );
    assert_eq!(fixture.text("[part=notice]"), "Saving Wuyi Rock Oolong…");
    assert!(fixture.fired("comeback:subscriptions:changed").is_empty());
    // Then the server's answer, confirmed on screen and announced.
    fixture
        .until("the server's date", |f| {
            f.text(&next) == "Next delivery: Apr 5, 2027"
        })
        .await;
    fixture
        .until("the confirmation", |f| {
            f.text("[part=notice]")
                == "Wuyi Rock Oolong: the next delivery is skipped. Next delivery: Apr 5, 2027."
        })
        .await;
    assert!(fixture
        .find(&one)
        .unwrap()
        .get_attribute("aria-busy")
        .is_none());
    let changed = fixture.fired("comeback:subscriptions:changed");
    assert_eq!(changed.len(), 1);
    assert_eq!(get(&changed[0], "id").as_string().as_deref(), Some("sub-1"));
    assert_eq!(
        get(&changed[0], "action").as_string().as_deref(),
        Some("skip")
    );
    let post = nth_request("POST", 0);
    assert!(get(&post, "url")
        .as_string()
        .unwrap()
        .ends_with("/subscriptions/sub-1/skip?locale=en"));
    assert!(is_uuid_v4(&get(&post, "key").as_string().unwrap()));
    assert_eq!(
        get(&post, "auth").as_string().as_deref(),
        Some("Bearer t0k")
    );
}

#[wasm_bindgen_test]
async fn a_refused_cancellation_rolls_back_with_the_reason_in_the_shoppers_language() {
    let refusal = r#"{"error": {"code": "minimum_deliveries", "message": "2 more deliveries before this plan may be cancelled"}}"#;
    script_fetch(&routes(&format!(
        r#", "POST /subscriptions/sub-1/cancel": [409, {}, 300]"#,
        quoted(refusal)
    )));
    let (fixture, _handle) = manager("zh-CN").await;
    let one = item("sub-1");
    fixture.click(&[&one, " [part=cancel-button]"].concat());
    fixture
        .press_when_enabled("[part=confirm-cancel-button]")
        .await;
    // Shown cancelled at once: moved below with the cancelled ones.
    fixture
        .until("the optimistic cancellation", |f| {
            f.find(&["details[part=cancelled] ", &one].concat())
                .is_some()
        })
        .await;
    // Refused: back where it was, as it was, with the plan's own numbers, in Chinese.
    fixture
        .until("the rollback", |f| {
            f.find(&["ul[part=list] > ", &one].concat()).is_some()
        })
        .await;
    fixture
        .until("the reason", |f| f.text("[part=notice]").contains("还差"))
        .await;
    assert_eq!(
        fixture.text("[part=notice]"),
        "Wuyi Rock Oolong：此计划需配送满 3 次才能取消，还差 2 次。订阅未作更改。"
    );
    let notice = fixture.find("[part=notice]").unwrap();
    assert!(notice
        .class_list()
        .contains("cb-subscriptions__notice--error"));
    // A refusal is final: no "Try again" for it.
    assert!(fixture.find("[part=retry-button]").is_none());
    assert_eq!(
        fixture.text(&[&one, " [part=status]"].concat()),
        "配送中 · 每 4 周 · 数量：2"
    );
    assert_eq!(
        fixture.text(&[&one, " [part=next]"].concat()),
        "下次配送：2027年3月1日"
    );
    assert!(fixture.fired("comeback:subscriptions:changed").is_empty());
    let errors = fixture.fired("comeback:error");
    assert_eq!(
        get(&errors[0], "code").as_string().as_deref(),
        Some("minimum_deliveries")
    );
}

#[wasm_bindgen_test]
async fn cancelling_takes_two_clicks_and_is_confirmed_on_screen() {
    let sinks = HtmlSinks::watch();
    let answer = sub1(&[
        (
            r#""status": "active""#,
            r#""status": "cancelled", "cancelled_on": "2027-02-10""#,
        ),
        (r#""next_delivery": "2027-03-01","#, ""),
    ]);
    script_fetch(&routes(&format!(
        r#", "POST /subscriptions/sub-1/cancel": [200, {}]"#,
        quoted(&answer)
    )));
    let (fixture, _handle) = manager("en").await;
    let one = item("sub-1");
    // Click one: the inline confirmation, with the optional reason and comment and the
    // shop's save offer as a secondary choice.
    fixture.click(&[&one, " [part=cancel-button]"].concat());
    fixture
        .until("the confirmation", |f| {
            f.find("[part=cancel-panel]").is_some()
        })
        .await;
    assert_eq!(
        texts(&fixture, "[part=cancel-panel] select[part=reason] option"),
        [
            "Prefer not to say",
            "I have too much tea",
            "It costs too much"
        ]
    );
    assert!(fixture.find("[part=cancel-panel] textarea").is_some());
    assert_eq!(
        fixture.text("[part=save-offer-button]"),
        "Skip the next delivery instead"
    );
    assert_eq!(fixture.text("[part=keep-button]"), "Keep my subscription");
    assert_eq!(
        fixture
            .find(&[&one, " [part=cancel-button]"].concat())
            .unwrap()
            .get_attribute("aria-expanded")
            .as_deref(),
        Some("true")
    );
    // Click two: cancelled.
    fixture.click("[part=confirm-cancel-button]");
    fixture
        .until("the confirmation on screen", |f| {
            f.text("[part=notice]")
                == "Wuyi Rock Oolong: your subscription is cancelled. No more deliveries will be sent."
        })
        .await;
    assert_eq!(count_requests("POST"), 1);
    let post = nth_request("POST", 0);
    assert!(get(&post, "url")
        .as_string()
        .unwrap()
        .ends_with("/subscriptions/sub-1/cancel?locale=en"));
    // No reason chosen, no comment written: nothing of them is sent.
    assert_eq!(get(&post, "body").as_string().as_deref(), Some("{}"));
    assert!(fixture
        .find(&["details[part=cancelled] ", &one].concat())
        .is_some());
    assert_eq!(
        fixture.text("details[part=cancelled] > summary"),
        "Cancelled subscriptions (2)"
    );
    assert_eq!(
        fixture.text(&[&one, " [part=next]"].concat()),
        "Cancelled on Feb 10, 2027"
    );
    let changed = fixture.fired("comeback:subscriptions:changed");
    assert_eq!(
        get(&changed[0], "action").as_string().as_deref(),
        Some("cancel")
    );
    assert_eq!(sinks.used(), Vec::<String>::new());
}

#[wasm_bindgen_test]
async fn a_reason_and_comment_go_with_the_cancellation_and_the_save_offer_is_made_once() {
    let answer = sub1(&[(r#""status": "active""#, r#""status": "cancelled""#)]);
    script_fetch(&routes(&format!(
        r#", "POST /subscriptions/sub-1/cancel": [200, {}]"#,
        quoted(&answer)
    )));
    let (fixture, _handle) = manager("en").await;
    let one = item("sub-1");
    fixture.click(&[&one, " [part=cancel-button]"].concat());
    fixture
        .until("the confirmation", |f| {
            f.find("[part=save-offer-button]").is_some()
        })
        .await;
    // Closed and opened again: the offer is not made a second time.
    fixture.click("[part=keep-button]");
    fixture
        .until("closed", |f| f.find("[part=cancel-panel]").is_none())
        .await;
    fixture.click(&[&one, " [part=cancel-button]"].concat());
    fixture
        .until("the confirmation again", |f| {
            f.find("[part=cancel-panel]").is_some()
        })
        .await;
    assert!(fixture.find("[part=save-offer-button]").is_none());
    super::set_value(
        fixture.find("select[part=reason]").unwrap(),
        "too-much",
        "change",
    );
    super::set_value(
        fixture.find("[part=cancel-panel] textarea").unwrap(),
        "  Moving abroad  ",
        "input",
    );
    fixture.click("[part=confirm-cancel-button]");
    fixture
        .until("the cancellation", |_| count_requests("POST") == 1)
        .await;
    let body = get(&nth_request("POST", 0), "body").as_string().unwrap();
    assert_eq!(body, r#"{"reason":"too-much","comment":"Moving abroad"}"#);
}

#[wasm_bindgen_test]
async fn a_retry_after_a_dropped_connection_replays_with_the_same_key() {
    // No route for the skip: it fails like a dropped connection.
    script_fetch(&routes(""));
    let (fixture, _handle) = manager("en").await;
    let one = item("sub-1");
    let next = [&one, " [part=next]"].concat();
    fixture.click(&[&one, " [part=skip-button]"].concat());
    fixture
        .until("the retry button", |f| {
            f.find("[part=retry-button]").is_some()
        })
        .await;
    // Rolled back, and said so.
    assert_eq!(fixture.text(&next), "Next delivery: Mar 1, 2027");
    assert!(fixture
        .text("[part=notice]")
        .starts_with("Wuyi Rock Oolong: that did not go through, and nothing was changed."));
    fixture.click("[part=retry-button]");
    fixture
        .until("the second send", |_| count_requests("POST") == 2)
        .await;
    fixture
        .until("the retry button again", |f| {
            f.find("[part=retry-button]").is_some()
        })
        .await;
    // A new press is a new attempt.
    fixture.click(&[&one, " [part=skip-button]"].concat());
    fixture
        .until("the third send", |_| count_requests("POST") == 3)
        .await;
    let key = |n| get(&nth_request("POST", n), "key").as_string().unwrap();
    assert_eq!(key(0), key(1), "a retry must replay the same key");
    assert_ne!(key(1), key(2), "a new press must get a new key");
}

#[wasm_bindgen_test]
async fn signed_out_shoppers_are_invited_to_sign_in() {
    script_fetch(&routes(""));
    let fixture = Fixture::new();
    let _handle = fixture.mount_kind(
        "subscriptions",
        r#"{"shop": "demo", "api": "https://api.test", "locales": ["zh-TW"],
            "attrs": {"signin-url": "/account/login"}}"#,
    );
    fixture
        .until("the invitation", |f| f.find("[part=signed-out]").is_some())
        .await;
    assert_eq!(
        fixture.text("[part=signed-out] p"),
        "登入後即可查看和管理您的訂閱。"
    );
    let link = fixture.find("[part=signin-button]").unwrap();
    assert!(link
        .get_attribute("href")
        .unwrap()
        .ends_with("/account/login"));
    assert_eq!(count_requests("GET"), 0);
}

#[wasm_bindgen_test]
async fn a_list_asked_for_the_previous_shopper_is_never_shown() {
    let before = list("Before's tea");
    let after = list("After's tea");
    script_fetch(&format!(
        r#"{{"GET /subscriptions#before": [200, {}, 300], "GET /subscriptions#after": [200, {}]}}"#,
        quoted(&before),
        quoted(&after)
    ));
    let fixture = Fixture::new();
    let mut handle = fixture.mount_kind("subscriptions", &config("en").replace("t0k", "before"));
    TimeoutFuture::new(20).await;
    handle.update(settings(
        "subscriptions",
        &config("en").replace("t0k", "after"),
    ));
    fixture
        .until("the new shopper's list", |f| {
            f.text(&[&item("sub-1"), " [part=title]"].concat()) == "After's tea"
        })
        .await;
    TimeoutFuture::new(500).await;
    assert_eq!(
        fixture.text(&[&item("sub-1"), " [part=title]"].concat()),
        "After's tea"
    );
}

#[wasm_bindgen_test]
async fn pausing_offers_weeks_from_today_and_changing_sends_only_what_changed() {
    let paused = sub1(&[(
        r#""status": "active""#,
        r#""status": "paused", "paused_until": "2099-01-01""#,
    )]);
    let changed = sub1(&[(r#""quantity": 2"#, r#""quantity": 3"#)]);
    script_fetch(&routes(&format!(
        r#", "POST /subscriptions/sub-1/pause": [200, {}], "PATCH /subscriptions/sub-1": [200, {}]"#,
        quoted(&paused),
        quoted(&changed)
    )));
    let (fixture, _handle) = manager("en").await;
    let one = item("sub-1");
    // The change form: a quantity that is not a whole number is explained, not sent.
    fixture.click(&[&one, " [part=change-button]"].concat());
    fixture
        .until("the change form", |f| {
            f.find("[part=change-form]").is_some()
        })
        .await;
    assert_eq!(
        texts(&fixture, "[part=change-form] select option"),
        ["Every 2 weeks", "Every 4 weeks", "Every 8 weeks"]
    );
    let quantity = fixture.find("[part=change-form] input").unwrap();
    super::set_value(quantity.clone(), "0", "input");
    fixture.click("[part=save-button]");
    fixture
        .until("the quantity problem", |f| {
            f.text("[part=change-form]")
                .contains("Enter a whole number of 1 or more.")
        })
        .await;
    assert_eq!(count_requests("PATCH"), 0);
    super::set_value(quantity, "3", "input");
    fixture.click("[part=save-button]");
    fixture
        .until("the saved change", |f| {
            f.text("[part=notice]") == "Wuyi Rock Oolong: your changes are saved."
        })
        .await;
    let patch = nth_request("PATCH", 0);
    assert!(get(&patch, "url")
        .as_string()
        .unwrap()
        .ends_with("/subscriptions/sub-1?locale=en"));
    assert_eq!(
        get(&patch, "body").as_string().as_deref(),
        Some(r#"{"quantity":3}"#)
    );
    assert!(is_uuid_v4(&get(&patch, "key").as_string().unwrap()));
    assert!(fixture
        .text(&[&one, " [part=status]"].concat())
        .ends_with("Quantity: 3"));

    // The pause choices: 2, 4 and 8 weeks from today, each with the delivery it leads to.
    fixture.click(&[&one, " [part=pause-button]"].concat());
    fixture
        .until("the pause choices", |f| {
            f.find("[part=pause-form]").is_some()
        })
        .await;
    let choices = texts(&fixture, "[part=pause-form] label");
    assert_eq!(choices.len(), 3);
    for (choice, weeks) in choices.iter().zip(["2 weeks", "4 weeks", "8 weeks"]) {
        assert!(
            choice.contains(weeks) && choice.contains("next delivery"),
            "{choice}"
        );
    }
    let today = js_sys::Date::new_0();
    let in_four_weeks = js_sys::Date::new(&(today.get_time() + 28.0 * 86_400_000.0).into());
    let radios = fixture
        .shadow
        .query_selector_all("[part=pause-form] input[type=radio]")
        .unwrap();
    super::set_value(radios.item(1).unwrap().unchecked_into(), "1", "change");
    fixture.click("[part=confirm-pause-button]");
    fixture
        .until("the pause", |_| count_requests("POST") == 1)
        .await;
    let body = get(&nth_request("POST", 0), "body").as_string().unwrap();
    let until = format!(
        r#"{{"until":"{:04}-{:02}-{:02}"}}"#,
        in_four_weeks.get_full_year(),
        in_four_weeks.get_month() + 1,
        in_four_weeks.get_date()
    );
    assert_eq!(body, until);
    fixture
        .until("resume offered", |f| {
            f.find(&[&one, " [part=resume-button]"].concat()).is_some()
        })
        .await;
    let changed = fixture.fired("comeback:subscriptions:changed");
    let actions: Vec<String> = changed
        .iter()
        .filter_map(|d| get(d, "action").as_string())
        .collect();
    assert_eq!(actions, ["change", "pause"]);
}
