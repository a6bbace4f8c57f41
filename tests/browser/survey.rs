//! `<comeback-survey>` in the browser: each question type renders accessibly and sends
//! the JSON the server reads; arrow keys move across a scale, Enter goes on, Esc closes a
//! pop-up; the branching shows and hides follow-ups and only the shown answers are sent;
//! a survey that is not due shows nothing (nor one the browser already answered); a
//! half-finished survey resumes after a remount; an answer the backend cannot take is
//! saved, then sent once with the same `Idempotency-Key`; a refused one is dropped; a
//! refused token is dropped and the answer kept; an event survey waits for its
//! `Comeback.track` name, also one tracked before it mounted.

use js_sys::{Function, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

use comeback::MountHandle;

use super::{
    count_requests, get, is_uuid_v4, nth_request, quoted, requests, script_fetch, set_value,
    settings, Fixture,
};

const NPS: &str = r#"{"id": "thank-you-nps", "version": 1, "locale": "en",
  "trigger": "order_complete", "placement": "inline",
  "recontact": {"per": "order", "until": "once"}, "cooldown_days": 0,
  "title": "How did we do?", "thanks": "Thank you for your feedback!",
  "questions": [
    {"id": "nps", "kind": "nps", "text": "How likely are you to recommend us to a friend?"},
    {"id": "reason", "kind": "text", "text": "What is the main reason for your score?", "optional": true}
  ]}"#;

const DELIVERY: &str = r#"{"id": "delivery-csat", "version": 2, "locale": "en",
  "trigger": "days_after_order", "days_after_order": 3, "placement": "inline",
  "recontact": {"per": "order", "until": "answered"}, "cooldown_days": 14,
  "title": "Your last delivery", "thanks": "Thanks!", "reward_points": 20,
  "questions": [
    {"id": "csat", "kind": "csat", "text": "How satisfied are you with the delivery of your last order?"},
    {"id": "problem", "kind": "single_choice", "text": "What went wrong?",
     "when": {"question": "csat", "max": 3},
     "options": [{"id": "late", "label": "It was late"}, {"id": "damaged", "label": "It was damaged"},
                 {"id": "wrong_item", "label": "Wrong item"}, {"id": "other", "label": "Something else"}]},
    {"id": "comment", "kind": "text", "text": "Anything else?", "optional": true}
  ]}"#;

const EFFORT: &str = r#"{"id": "checkout", "version": 1, "locale": "en", "trigger": "event",
  "event": "checkout-feedback", "placement": "inline",
  "recontact": {"per": "customer", "until": "once"}, "cooldown_days": 0,
  "title": "Checkout", "thanks": "Thanks!",
  "questions": [
    {"id": "effort", "kind": "effort", "text": "How easy was checking out?"},
    {"id": "liked", "kind": "multiple_choice", "text": "What did you like?",
     "options": [{"id": "a", "label": "Speed"}, {"id": "b", "label": "Prices"}, {"id": "c", "label": "Payment"}]}
  ]}"#;

const RECEIPT: &str = r#"{"id": "resp-1", "reward": "none", "points": 0}"#;

fn due(survey: &str, order: Option<&str>) -> String {
    let order = order.map_or(String::new(), |o| format!(r#", "order_id": "{o}""#));
    quoted(&format!(r#"{{"survey": {survey}{order}}}"#))
}

const NOT_DUE: &str = r#"{"not_due": {"reason": "shown"}}"#;

fn config(shop: &str, attrs: &str, token: bool) -> String {
    let token = if token { r#""token": "t0k","# } else { "" };
    format!(
        r#"{{"shop": "{shop}", "api": "https://api.test", {token} "locales": ["en"], "attrs": {attrs}}}"#
    )
}

/// Mounts a survey element of `shop` with `attrs` (JSON), signed in when `token`.
fn mount(fixture: &Fixture, shop: &str, attrs: &str, token: bool) -> MountHandle {
    fixture.mount_kind("survey", &config(shop, attrs, token))
}

/// Runs `body` as a function of `args` in the page.
fn run(args: &str, body: &str, values: &[JsValue]) -> JsValue {
    let values: js_sys::Array = values.iter().collect();
    Function::new_with_args(args, body)
        .apply(&JsValue::NULL, &values)
        .unwrap()
}

/// Empties what the survey keeps on this device for `shop`.
fn forget_device(shop: &str) {
    run(
        "shop",
        "for (const k of ['surveys', 'survey-queue', 'survey-drafts']) localStorage.removeItem('comeback:' + k + ':' + shop);",
        &[shop.into()],
    );
}

fn stored(key: &str) -> JsValue {
    let text = run("k", "return localStorage.getItem(k);", &[key.into()]);
    text.as_string()
        .map(|t| JSON::parse(&t).unwrap())
        .unwrap_or(JsValue::NULL)
}

fn stored_len(key: &str) -> u32 {
    let list = stored(key);
    if js_sys::Array::is_array(&list) {
        js_sys::Array::from(&list).length()
    } else {
        0
    }
}

/// Presses `key` on the element `selector` (the event bubbles like a real key press).
fn press(fixture: &Fixture, selector: &str, key: &str) {
    let target = fixture
        .find(selector)
        .unwrap_or_else(|| panic!("nothing matches {selector}"));
    run(
        "el, key",
        "el.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true, composed: true, cancelable: true}));",
        &[target.into(), key.into()],
    );
}

/// Lets the view catch up with a state change.
async fn settle() {
    gloo_timers::future::TimeoutFuture::new(20).await;
}

/// The value of the checked radio of the shown question, if any.
fn checked(fixture: &Fixture) -> Option<String> {
    fixture
        .find("[part~=question] input:checked")
        .and_then(|i| i.get_attribute("value"))
}

fn focused_value(fixture: &Fixture) -> Option<String> {
    fixture
        .shadow
        .active_element()
        .and_then(|e| e.get_attribute("value"))
}

/// The JSON body of the `n`-th POST to `suffix`.
fn posted(suffix: &str, n: usize) -> JsValue {
    let request = requests()
        .iter()
        .filter(|r| {
            get(r, "method").as_string().as_deref() == Some("POST")
                && get(r, "url")
                    .as_string()
                    .is_some_and(|u| u.ends_with(suffix))
        })
        .nth(n)
        .unwrap_or_else(|| panic!("no POST number {n} to {suffix}"));
    request
}

fn count_posts(suffix: &str) -> usize {
    requests()
        .iter()
        .filter(|r| {
            get(r, "method").as_string().as_deref() == Some("POST")
                && get(r, "url")
                    .as_string()
                    .is_some_and(|u| u.ends_with(suffix))
        })
        .count()
}

fn body_of(request: &JsValue) -> JsValue {
    JSON::parse(&get(request, "body").as_string().unwrap()).unwrap()
}

fn json(value: &JsValue) -> String {
    JSON::stringify(value).unwrap().into()
}

async fn choose(fixture: &Fixture, value: &str) {
    let selector = format!("[part~=question] input[value=\"{value}\"]");
    fixture
        .until(&selector, |f| f.find(&selector).is_some())
        .await;
    fixture.click(&selector);
}

async fn shown(fixture: &Fixture, question: &str) {
    let selector = format!("[part~=question][data-question={question}]");
    fixture
        .until(&selector, |f| f.find(&selector).is_some())
        .await;
}

#[wasm_bindgen_test]
async fn nps_and_text_render_accessibly_and_send_the_answers() {
    forget_device("s-nps");
    script_fetch(&format!(
        r#"{{"GET /surveys/due": [200, {}], "POST /surveys/thank-you-nps/contacts": [200, "{{}}"],
            "POST /surveys/thank-you-nps/responses": [201, {}]}}"#,
        due(NPS, Some("1001")),
        quoted(RECEIPT)
    ));
    let fixture = Fixture::new();
    let _handle = mount(
        &fixture,
        "s-nps",
        r#"{"survey": "thank-you-nps", "order": "1001", "products": "green, oolong"}"#,
        false,
    );
    shown(&fixture, "nps").await;
    let due = nth_request("GET", 0);
    assert!(get(&due, "url").as_string().unwrap().ends_with(
        "/v1/shops/s-nps/surveys/due?trigger=order_complete&survey=thank-you-nps&order=1001&locale=en"
    ));
    // A fieldset named by its legend, eleven radios, the ends named for screen readers.
    assert_eq!(
        fixture.text("fieldset[part~=question] > legend"),
        "How likely are you to recommend us to a friend?"
    );
    let radios = fixture
        .shadow
        .query_selector_all("[part~=scale] input[type=radio]")
        .unwrap();
    assert_eq!(radios.length(), 11);
    assert_eq!(
        fixture.text("[part~=scale-point][data-value=\"0\"]"),
        "0 Not at all likely"
    );
    assert_eq!(
        fixture.text("[part~=scale-point][data-value=\"10\"]"),
        "10 Extremely likely"
    );
    assert_eq!(fixture.text("[part~=progress]"), "Question 1 of 2");
    assert!(fixture.find("[part~=back-button]").is_none());
    // Shown: once, to the page and to the server.
    fixture
        .until("the shown contact", |_| {
            count_posts("/s-nps/surveys/thank-you-nps/contacts") == 1
        })
        .await;
    let contact = body_of(&posted("/s-nps/surveys/thank-you-nps/contacts", 0));
    assert_eq!(
        json(&contact),
        r#"{"version":1,"outcome":"shown","order_id":"1001"}"#
    );
    let fired = fixture.fired("comeback:survey:shown");
    assert_eq!(fired.len(), 1);
    assert_eq!(
        get(&fired[0], "survey").as_string().as_deref(),
        Some("thank-you-nps")
    );
    assert_eq!(get(&fired[0], "version").as_f64(), Some(1.0));

    choose(&fixture, "9").await;
    fixture.click("[part~=next-button]");
    shown(&fixture, "reason").await;
    assert_eq!(fixture.text("[part~=progress]"), "Question 2 of 2");
    assert!(fixture.text("legend").contains("(optional)"));
    let area = fixture.find("textarea[part~=text]").unwrap();
    assert_eq!(area.get_attribute("maxlength").as_deref(), Some("2000"));
    set_value(area, "Fresh tea, fast", "input");
    fixture
        .until("the count", |f| {
            f.text("[part~=char-count]") == "15 of 2000 characters"
        })
        .await;
    fixture.click("[part~=send-button]");
    fixture
        .until("the thanks", |f| {
            f.text("[part~=thanks]") == "Thank you for your feedback!"
        })
        .await;
    let post = posted("/surveys/thank-you-nps/responses", 0);
    assert!(is_uuid_v4(&get(&post, "key").as_string().unwrap()));
    assert!(get(&post, "auth").is_null(), "a guest sends no token");
    let body = body_of(&post);
    assert_eq!(
        json(&get(&body, "answers")),
        r#"{"nps":9,"reason":"Fresh tea, fast"}"#
    );
    assert_eq!(get(&body, "version").as_f64(), Some(1.0));
    let context = get(&body, "context");
    assert_eq!(
        get(&context, "order_id").as_string().as_deref(),
        Some("1001")
    );
    assert_eq!(json(&get(&context, "products")), r#"["green","oolong"]"#);
    assert_eq!(get(&context, "locale").as_string().as_deref(), Some("en"));
    assert_eq!(
        get(&context, "trigger").as_string().as_deref(),
        Some("order_complete")
    );
    let page = get(&context, "page").as_string().unwrap();
    assert!(page.starts_with('/') && !page.contains('?'));
    assert!(get(&body, "answered_at").as_f64().unwrap() > 1.7e9);
    let answered = fixture.fired("comeback:survey:answered");
    assert_eq!(answered.len(), 1);
    assert_eq!(get(&answered[0], "queued").as_bool(), Some(false));
    assert_eq!(
        json(&get(&answered[0], "answers")),
        r#"{"nps":9,"reason":"Fresh tea, fast"}"#
    );
    assert!(fixture.find("[part~=saved]").is_none());
    // Answered on this device: asked again, it is not shown.
    let history = stored("comeback:surveys:s-nps");
    assert!(json(&history).contains(r#""outcome":"answered""#));
}

#[wasm_bindgen_test]
async fn csat_faces_branching_sends_only_the_shown_answers_and_the_reward_line() {
    forget_device("s-csat");
    script_fetch(&format!(
        r#"{{"GET /surveys/due": [200, {}], "POST /surveys/delivery-csat/contacts": [200, "{{}}"],
            "POST /surveys/delivery-csat/responses": [201, {}]}}"#,
        due(DELIVERY, Some("A-1001")),
        quoted(r#"{"id": "resp-2", "reward": "awarded", "points": 20}"#)
    ));
    let fixture = Fixture::new();
    let _handle = mount(&fixture, "s-csat", "{}", true);
    shown(&fixture, "csat").await;
    assert!(get(&nth_request("GET", 0), "url")
        .as_string()
        .unwrap()
        .ends_with("/surveys/due?trigger=days_after_order&locale=en"));
    assert_eq!(fixture.text("[part~=reward]"), "Answer to earn 20 points.");
    // Five faces, each named.
    let faces = fixture
        .shadow
        .query_selector_all("[part~=scale-point]")
        .unwrap();
    assert_eq!(faces.length(), 5);
    assert_eq!(
        fixture.text("[part~=scale-point][data-value=\"1\"] .cb-sr-only"),
        "Very unsatisfied"
    );
    assert_eq!(
        fixture.text("[part~=scale-point][data-value=\"5\"] .cb-sr-only"),
        "Very satisfied"
    );
    // A required question: going on without an answer says so.
    fixture.click("[part~=next-button]");
    fixture
        .until("the error", |f| f.find("[part~=error]").is_some())
        .await;
    assert_eq!(
        fixture
            .find("[part~=error]")
            .unwrap()
            .get_attribute("role")
            .as_deref(),
        Some("alert")
    );
    // Unhappy: the follow-up is asked.
    choose(&fixture, "2").await;
    fixture
        .until("three questions now", |f| {
            f.find("[part~=error]").is_none() && f.text("[part~=progress]") == "Question 1 of 3"
        })
        .await;
    fixture.click("[part~=next-button]");
    shown(&fixture, "problem").await;
    assert_eq!(
        fixture
            .shadow
            .query_selector_all("[part~=option] input[type=radio]")
            .unwrap()
            .length(),
        4
    );
    choose(&fixture, "late").await;
    // Back, and happy after all: the follow-up is no longer asked nor sent.
    fixture.click("[part~=back-button]");
    shown(&fixture, "csat").await;
    assert_eq!(checked(&fixture).as_deref(), Some("2"));
    choose(&fixture, "5").await;
    fixture
        .until("two questions again", |f| {
            f.text("[part~=progress]") == "Question 1 of 2"
        })
        .await;
    fixture.click("[part~=next-button]");
    shown(&fixture, "comment").await;
    assert!(fixture.find("[data-question=problem]").is_none());
    fixture.click("[part~=send-button]");
    fixture
        .until("the reward", |f| f.find("[part~=rewarded]").is_some())
        .await;
    assert_eq!(
        fixture.text("[part~=rewarded]"),
        "20 points have been added to your balance."
    );
    let post = posted("/surveys/delivery-csat/responses", 0);
    assert_eq!(
        get(&post, "auth").as_string().as_deref(),
        Some("Bearer t0k")
    );
    let body = body_of(&post);
    assert_eq!(json(&get(&body, "answers")), r#"{"csat":5}"#);
    assert_eq!(get(&body, "version").as_f64(), Some(2.0));
    assert_eq!(
        get(&get(&body, "context"), "order_id")
            .as_string()
            .as_deref(),
        Some("A-1001"),
        "the order the server said the survey is about"
    );
}

#[wasm_bindgen_test]
async fn effort_and_multiple_choice_send_a_score_and_a_list() {
    forget_device("s-effort");
    untrack();
    script_fetch(&format!(
        r#"{{"GET /surveys/due": [200, {}], "POST /surveys/checkout/responses": [201, {}]}}"#,
        due(EFFORT, None),
        quoted(RECEIPT)
    ));
    let fixture = Fixture::new();
    let _handle = mount(
        &fixture,
        "s-effort",
        r#"{"trigger": "event", "event": "checkout-feedback"}"#,
        false,
    );
    // Nothing is asked until the event is tracked.
    gloo_timers::future::TimeoutFuture::new(50).await;
    assert_eq!(count_requests("GET"), 0);
    track("checkout-feedback");
    shown(&fixture, "effort").await;
    assert_eq!(
        fixture
            .shadow
            .query_selector_all("[part~=scale-point]")
            .unwrap()
            .length(),
        7
    );
    assert_eq!(
        fixture.text("[part~=scale-ends]"),
        "Very difficultVery easy"
    );
    assert_eq!(
        fixture.text("[part~=scale-point][data-value=\"7\"]"),
        "7 Very easy"
    );
    choose(&fixture, "6").await;
    // Enter on the scale goes on.
    press(&fixture, "[part~=question] input:checked", "Enter");
    shown(&fixture, "liked").await;
    assert_eq!(fixture.text("[part~=hint]"), "Choose all that apply.");
    let boxes = fixture
        .shadow
        .query_selector_all("[part~=option] input[type=checkbox]")
        .unwrap();
    assert_eq!(boxes.length(), 3);
    // A required multiple choice: nothing chosen, nothing sent.
    press(&fixture, "[part~=question] input", "Enter");
    fixture
        .until("the error", |f| f.find("[part~=error]").is_some())
        .await;
    choose(&fixture, "c").await;
    choose(&fixture, "a").await;
    choose(&fixture, "b").await;
    choose(&fixture, "b").await;
    press(&fixture, "[part~=question] input", "Enter");
    fixture
        .until("the thanks", |f| f.find("[part~=thanks]").is_some())
        .await;
    let body = body_of(&posted("/surveys/checkout/responses", 0));
    assert_eq!(
        json(&get(&body, "answers")),
        r#"{"effort":6,"liked":["a","c"]}"#,
        "options in the question's order, an unticked one left out"
    );
    assert_eq!(
        get(&get(&body, "context"), "trigger")
            .as_string()
            .as_deref(),
        Some("event")
    );
    assert!(get(&nth_request("GET", 0), "url")
        .as_string()
        .unwrap()
        .contains("trigger=event&event=checkout-feedback"));
    untrack();
}

/// What `Comeback.track(name)` does in the loader: keeps the name and announces it.
fn track(name: &str) {
    run(
        "name",
        "window.Comeback = window.Comeback || {}; (Comeback.tracked ||= []).push(name); document.dispatchEvent(new CustomEvent('comeback:track', {detail: {name}}));",
        &[name.into()],
    );
}

fn untrack() {
    run("", "delete window.Comeback;", &[]);
}

#[wasm_bindgen_test]
async fn a_name_tracked_before_mounting_asks_at_once_and_other_names_do_not() {
    forget_device("s-track");
    untrack();
    script_fetch(&format!(
        r#"{{"GET /surveys/due": [200, {}]}}"#,
        due(EFFORT, None)
    ));
    let fixture = Fixture::new();
    let attrs = r#"{"trigger": "event", "event": "checkout-feedback"}"#;
    let first = mount(&fixture, "s-track", attrs, false);
    track("newsletter-signup");
    gloo_timers::future::TimeoutFuture::new(50).await;
    assert_eq!(count_requests("GET"), 0, "another name asks nothing");
    drop(first);
    // Tracked before the element mounted: asked at once.
    run(
        "",
        "window.Comeback = {tracked: ['checkout-feedback']};",
        &[],
    );
    let later = Fixture::new();
    let _second = mount(&later, "s-track", attrs, false);
    shown(&later, "effort").await;
    assert_eq!(count_requests("GET"), 1);
    untrack();
}

#[wasm_bindgen_test]
async fn arrows_move_across_the_scale_enter_goes_on_and_esc_closes_the_popup() {
    forget_device("s-keys");
    script_fetch(&format!(
        r#"{{"GET /surveys/due": [200, {}], "POST /surveys/thank-you-nps/contacts": [200, "{{}}"]}}"#,
        due(NPS, Some("7"))
    ));
    let fixture = Fixture::new();
    let _handle = mount(
        &fixture,
        "s-keys",
        r#"{"survey": "thank-you-nps", "order": "7", "placement": "popup"}"#,
        false,
    );
    shown(&fixture, "nps").await;
    let root = fixture.find("[part~=root]").unwrap();
    assert_eq!(root.get_attribute("role").as_deref(), Some("dialog"));
    assert_eq!(root.get_attribute("aria-modal").as_deref(), Some("false"));
    assert!(root.class_list().contains("cb-survey--popup"));
    // Polite: the pop-up does not take the shopper's focus.
    assert!(fixture.shadow.active_element().is_none());
    // Enter without an answer: the question stays and says why.
    press(&fixture, "[part~=question] input", "Enter");
    fixture
        .until("the error", |f| f.find("[part~=error]").is_some())
        .await;
    // Tab lands on the first point without choosing it; the arrows move from the
    // focused point, as in a native radio group.
    fixture
        .find("[part~=scale] input")
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap()
        .focus()
        .unwrap();
    assert_eq!(checked(&fixture), None);
    let scale = "[part~=scale] input:focus";
    press(&fixture, scale, "ArrowRight");
    settle().await;
    assert_eq!(checked(&fixture).as_deref(), Some("1"));
    assert_eq!(focused_value(&fixture).as_deref(), Some("1"));
    press(&fixture, scale, "ArrowRight");
    press(&fixture, scale, "ArrowDown");
    settle().await;
    assert_eq!(checked(&fixture).as_deref(), Some("3"));
    assert_eq!(focused_value(&fixture).as_deref(), Some("3"));
    press(&fixture, scale, "ArrowLeft");
    settle().await;
    assert_eq!(checked(&fixture).as_deref(), Some("2"));
    press(&fixture, scale, "End");
    settle().await;
    assert_eq!(checked(&fixture).as_deref(), Some("10"));
    press(&fixture, scale, "ArrowRight");
    settle().await;
    assert_eq!(
        checked(&fixture).as_deref(),
        Some("0"),
        "wraps like a radio group"
    );
    press(&fixture, scale, "ArrowUp");
    settle().await;
    assert_eq!(checked(&fixture).as_deref(), Some("10"));
    press(&fixture, scale, "Home");
    settle().await;
    assert_eq!(checked(&fixture).as_deref(), Some("0"));
    fixture
        .until("the error gone", |f| f.find("[part~=error]").is_none())
        .await;
    press(&fixture, "[part~=question] input:checked", "Enter");
    shown(&fixture, "reason").await;
    // The new question has the focus.
    fixture
        .until("focus on the text", |f| {
            f.shadow
                .active_element()
                .is_some_and(|e| e.tag_name().eq_ignore_ascii_case("textarea"))
        })
        .await;
    // Enter in the text is a new line, not a send.
    press(&fixture, "textarea", "Enter");
    gloo_timers::future::TimeoutFuture::new(30).await;
    assert_eq!(count_posts("/responses"), 0);
    // Esc closes the pop-up for good.
    press(&fixture, "textarea", "Escape");
    fixture
        .until("closed", |f| f.find("[part~=root]").is_none())
        .await;
    let dismissed = fixture.fired("comeback:survey:dismissed");
    assert_eq!(dismissed.len(), 1);
    assert_eq!(
        get(&dismissed[0], "order_id").as_string().as_deref(),
        Some("7")
    );
    fixture
        .until("the dismissed contact", |_| {
            count_posts("/s-keys/surveys/thank-you-nps/contacts") == 2
        })
        .await;
    assert!(json(&body_of(&posted(
        "/s-keys/surveys/thank-you-nps/contacts",
        1
    )))
    .contains(r#""outcome":"dismissed""#));
    assert!(json(&stored("comeback:surveys:s-keys")).contains(r#""outcome":"dismissed""#));
    assert_eq!(stored_len("comeback:survey-drafts:s-keys"), 0);
}

#[wasm_bindgen_test]
async fn a_survey_not_due_or_answered_here_renders_nothing() {
    forget_device("s-none");
    script_fetch(&format!(
        r#"{{"GET /surveys/due": [200, {}]}}"#,
        quoted(NOT_DUE)
    ));
    let fixture = Fixture::new();
    let _handle = mount(
        &fixture,
        "s-none",
        r#"{"survey": "thank-you-nps", "order": "1"}"#,
        false,
    );
    fixture
        .until("the due request", |_| count_requests("GET") == 1)
        .await;
    gloo_timers::future::TimeoutFuture::new(50).await;
    assert!(fixture.find("[part~=root]").is_none());
    assert!(fixture.find("fieldset").is_none());
    assert!(fixture.fired("comeback:survey:shown").is_empty());
    drop(_handle);
    // Due for the server (a guest), but this browser answered it already.
    run(
        "",
        r#"localStorage.setItem('comeback:surveys:s-none', JSON.stringify([{survey: 'thank-you-nps', order_id: '1', outcome: 'answered', at: 1}]));"#,
        &[],
    );
    script_fetch(&format!(
        r#"{{"GET /surveys/due": [200, {}]}}"#,
        due(NPS, Some("1"))
    ));
    let again = Fixture::new();
    let _handle = mount(
        &again,
        "s-none",
        r#"{"survey": "thank-you-nps", "order": "1"}"#,
        false,
    );
    again
        .until("the due request", |_| count_requests("GET") == 1)
        .await;
    gloo_timers::future::TimeoutFuture::new(50).await;
    assert!(again.find("[part~=root]").is_none());
    assert_eq!(count_posts("/s-none/surveys/thank-you-nps/contacts"), 0);
    // Another order is asked about.
    drop(_handle);
    script_fetch(&format!(
        r#"{{"GET /surveys/due": [200, {}]}}"#,
        due(NPS, Some("2"))
    ));
    let other = Fixture::new();
    let _handle = mount(
        &other,
        "s-none",
        r#"{"survey": "thank-you-nps", "order": "2"}"#,
        false,
    );
    shown(&other, "nps").await;
    drop(_handle);
    // N days after an order, signed out: there is no order to ask about, nor a request.
    script_fetch(&format!(
        r#"{{"GET /surveys/due": [200, {}]}}"#,
        due(DELIVERY, Some("1"))
    ));
    let signed_out = Fixture::new();
    let _handle = mount(&signed_out, "s-none", "{}", false);
    gloo_timers::future::TimeoutFuture::new(50).await;
    assert_eq!(count_requests("GET"), 0);
    assert!(signed_out.find("[part~=root]").is_none());
}

#[wasm_bindgen_test]
async fn a_half_finished_survey_resumes_after_a_remount() {
    forget_device("s-draft");
    script_fetch(&format!(
        r#"{{"GET /surveys/due": [200, {}], "POST /surveys/thank-you-nps/contacts": [200, "{{}}"]}}"#,
        due(NPS, Some("55"))
    ));
    let attrs = r#"{"survey": "thank-you-nps", "order": "55"}"#;
    let fixture = Fixture::new();
    let handle = mount(&fixture, "s-draft", attrs, false);
    choose(&fixture, "4").await;
    fixture.click("[part~=next-button]");
    shown(&fixture, "reason").await;
    set_value(
        fixture.find("textarea").unwrap(),
        "The tin was dented",
        "input",
    );
    fixture
        .until("the draft", |_| {
            json(&stored("comeback:survey-drafts:s-draft")).contains("dented")
        })
        .await;
    drop(handle);
    drop(fixture);
    // Reloaded: the server (and this browser's history) say it was shown already.
    script_fetch(&format!(
        r#"{{"GET /surveys/due": [200, {}], "GET /surveys/thank-you-nps": [200, {}]}}"#,
        quoted(NOT_DUE),
        quoted(NPS)
    ));
    let again = Fixture::new();
    let _handle = mount(&again, "s-draft", attrs, false);
    shown(&again, "reason").await;
    assert_eq!(
        Reflect::get(&again.find("textarea").unwrap(), &"value".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("The tin was dented")
    );
    assert_eq!(again.text("[part~=progress]"), "Question 2 of 2");
    again.click("[part~=back-button]");
    shown(&again, "nps").await;
    assert_eq!(checked(&again).as_deref(), Some("4"));
    assert!(
        again.fired("comeback:survey:shown").is_empty(),
        "a resumed survey was already recorded as shown"
    );
}

/// Answers the NPS survey of `shop` with 8 and sends it.
async fn answer_nps(fixture: &Fixture) {
    choose(fixture, "8").await;
    fixture.click("[part~=next-button]");
    shown(fixture, "reason").await;
    fixture.click("[part~=send-button]");
}

#[wasm_bindgen_test]
async fn an_answer_the_backend_cannot_take_is_saved_then_sent_once_with_its_key() {
    forget_device("s-queue");
    // No route for the response: the backend is unreachable.
    script_fetch(&format!(
        r#"{{"GET /surveys/due": [200, {}], "POST /surveys/thank-you-nps/contacts": [200, "{{}}"]}}"#,
        due(NPS, Some("9"))
    ));
    let attrs = r#"{"survey": "thank-you-nps", "order": "9"}"#;
    let fixture = Fixture::new();
    let handle = mount(&fixture, "s-queue", attrs, true);
    answer_nps(&fixture).await;
    fixture
        .until("saved", |f| f.find("[part~=saved]").is_some())
        .await;
    assert_eq!(
        fixture.text("[part~=saved]"),
        "Saved. Your answers will be sent as soon as the connection is back."
    );
    let answered = fixture.fired("comeback:survey:answered");
    assert_eq!(get(&answered[0], "queued").as_bool(), Some(true));
    let key = get(&posted("/responses", 0), "key").as_string().unwrap();
    let queue = stored("comeback:survey-queue:s-queue");
    assert_eq!(js_sys::Array::from(&queue).length(), 1);
    let item = js_sys::Array::from(&queue).get(0);
    assert_eq!(get(&item, "key").as_string(), Some(key.clone()));
    assert_eq!(get(&item, "token").as_string().as_deref(), Some("t0k"));
    drop(handle);
    drop(fixture);

    // Back online, another page: the chunk loads (here with nothing due) and sends it.
    script_fetch(&format!(
        r#"{{"GET /surveys/due": [200, {}], "POST /surveys/thank-you-nps/responses": [201, {}]}}"#,
        quoted(NOT_DUE),
        quoted(r#"{"id": "resp-9", "reward": "not_eligible", "points": 0}"#)
    ));
    let page = Fixture::new();
    let _handle = mount(&page, "s-queue", "{}", false);
    page.until("sent", |f| !f.fired("comeback:survey:sent").is_empty())
        .await;
    let sent = page.fired("comeback:survey:sent");
    assert_eq!(
        get(&sent[0], "response_id").as_string().as_deref(),
        Some("resp-9")
    );
    assert_eq!(
        get(&sent[0], "reward").as_string().as_deref(),
        Some("not_eligible")
    );
    assert_eq!(
        get(&sent[0], "survey").as_string().as_deref(),
        Some("thank-you-nps")
    );
    let resent = posted("/responses", 0);
    assert_eq!(get(&resent, "key").as_string(), Some(key));
    assert_eq!(
        get(&resent, "auth").as_string().as_deref(),
        Some("Bearer t0k"),
        "the token it was answered with"
    );
    assert_eq!(json(&get(&body_of(&resent), "answers")), r#"{"nps":8}"#);
    assert_eq!(stored_len("comeback:survey-queue:s-queue"), 0);
    // Online again, nothing left to send: exactly once.
    run("", "window.dispatchEvent(new Event('online'));", &[]);
    gloo_timers::future::TimeoutFuture::new(50).await;
    assert_eq!(count_posts("/responses"), 1);
}

#[wasm_bindgen_test]
async fn a_refused_answer_is_dropped_and_a_refused_token_only_loses_the_reward() {
    forget_device("s-drop");
    script_fetch(&format!(
        r#"{{"GET /surveys/due": [200, {}], "POST /surveys/thank-you-nps/contacts": [200, "{{}}"],
            "POST /surveys/thank-you-nps/responses": [503, "{{}}"]}}"#,
        due(NPS, Some("1"))
    ));
    let fixture = Fixture::new();
    let handle = mount(
        &fixture,
        "s-drop",
        r#"{"survey": "thank-you-nps", "order": "1"}"#,
        true,
    );
    answer_nps(&fixture).await;
    fixture
        .until("saved", |f| f.find("[part~=saved]").is_some())
        .await;
    drop(handle);
    drop(fixture);
    assert_eq!(stored_len("comeback:survey-queue:s-drop"), 1);

    // The token has expired since: refused, the answer goes without it.
    script_fetch(&format!(
        r#"{{"GET /surveys/due": [200, {}],
            "POST /surveys/thank-you-nps/responses#t0k": [401, "{{\"error\":{{\"code\":\"unauthorized\",\"message\":\"expired\",\"request_id\":\"r\"}}}}"],
            "POST /surveys/thank-you-nps/responses": [201, {}]}}"#,
        quoted(NOT_DUE),
        quoted(RECEIPT)
    ));
    let page = Fixture::new();
    let handle = mount(&page, "s-drop", "{}", false);
    page.until("sent", |f| !f.fired("comeback:survey:sent").is_empty())
        .await;
    assert_eq!(count_posts("/responses"), 2);
    let (first, second) = (posted("/responses", 0), posted("/responses", 1));
    assert_eq!(
        get(&first, "auth").as_string().as_deref(),
        Some("Bearer t0k")
    );
    assert!(get(&second, "auth").is_null());
    assert_eq!(
        get(&first, "key").as_string(),
        get(&second, "key").as_string()
    );
    assert_eq!(stored_len("comeback:survey-queue:s-drop"), 0);
    drop(handle);
    drop(page);

    // Another answer that can never succeed (the survey is gone): dropped with an event.
    run(
        "",
        r#"localStorage.setItem('comeback:survey-queue:s-drop', JSON.stringify([{key: 'k-1', base: 'https://api.test/v1/shops/s-drop', survey: 'old-survey', version: 3, token: null, body: {version: 3, answers: {nps: 1}, context: {}}}]));"#,
        &[],
    );
    script_fetch(&format!(
        r#"{{"GET /surveys/due": [200, {}],
            "POST /surveys/old-survey/responses": [404, "{{\"error\":{{\"code\":\"not_found\",\"message\":\"no such survey\",\"request_id\":\"r\"}}}}"]}}"#,
        quoted(NOT_DUE)
    ));
    let last = Fixture::new();
    let _handle = mount(&last, "s-drop", "{}", false);
    last.until("dropped", |f| {
        !f.fired("comeback:survey:dropped").is_empty()
    })
    .await;
    let dropped = last.fired("comeback:survey:dropped");
    assert_eq!(get(&dropped[0], "status").as_f64(), Some(404.0));
    assert_eq!(
        get(&dropped[0], "survey").as_string().as_deref(),
        Some("old-survey")
    );
    assert_eq!(get(&dropped[0], "version").as_f64(), Some(3.0));
    assert_eq!(stored_len("comeback:survey-queue:s-drop"), 0);
    assert_eq!(count_posts("/responses"), 1, "never tried again");
}

#[wasm_bindgen_test]
async fn the_side_tab_opens_the_survey_and_esc_folds_it_back() {
    forget_device("s-tab");
    script_fetch(&format!(
        r#"{{"GET /surveys/due": [200, {}], "POST /surveys/thank-you-nps/contacts": [200, "{{}}"]}}"#,
        due(NPS, Some("3"))
    ));
    let fixture = Fixture::new();
    let _handle = mount(
        &fixture,
        "s-tab",
        r#"{"survey": "thank-you-nps", "order": "3", "placement": "side-tab"}"#,
        false,
    );
    fixture
        .until("the tab", |f| f.find("[part~=side-tab]").is_some())
        .await;
    assert!(fixture.find("fieldset").is_none());
    assert_eq!(fixture.text("[part~=side-tab]"), "Feedback");
    fixture.click("[part~=side-tab]");
    shown(&fixture, "nps").await;
    fixture
        .until("focus in the survey", |f| {
            f.shadow
                .active_element()
                .is_some_and(|e| e.tag_name().eq_ignore_ascii_case("input"))
        })
        .await;
    press(&fixture, "[part~=question] input", "Escape");
    fixture
        .until("folded", |f| f.find("[part~=side-tab]").is_some())
        .await;
    // The tab was on screen: recorded as shown (and nothing recorded by folding it).
    fixture
        .until("the shown contact", |_| {
            count_posts("/s-tab/surveys/thank-you-nps/contacts") == 1
        })
        .await;
    assert!(
        fixture.fired("comeback:survey:dismissed").is_empty(),
        "folding is not dismissing"
    );
    fixture
        .until("focus on the tab", |f| {
            f.shadow
                .active_element()
                .and_then(|e| e.get_attribute("part"))
                .as_deref()
                == Some("side-tab")
        })
        .await;
}

#[wasm_bindgen_test]
async fn a_new_language_brings_the_surveys_own_texts_and_keeps_the_answers() {
    forget_device("s-lang");
    let routes = format!(
        r#"{{"GET /surveys/due": [200, {}], "POST /surveys/thank-you-nps/contacts": [200, "{{}}"]}}"#,
        due(NPS, Some("5"))
    );
    script_fetch(&routes);
    let fixture = Fixture::new();
    let attrs = r#"{"survey": "thank-you-nps", "order": "5"}"#;
    let mut handle = mount(&fixture, "s-lang", attrs, false);
    shown(&fixture, "nps").await;
    choose(&fixture, "9").await;
    // The shopper switches to Chinese: the server has the survey in it.
    let chinese = NPS
        .replace(r#""locale": "en""#, r#""locale": "zh-Hans""#)
        .replace("How did we do?", "您对这次购物满意吗？")
        .replace(
            "How likely are you to recommend us to a friend?",
            "您有多大可能向朋友推荐我们？",
        );
    script_fetch(&format!(
        r#"{{"GET /surveys/thank-you-nps": [200, {}]}}"#,
        quoted(&chinese)
    ));
    handle.update(settings(
        "survey",
        &config("s-lang", attrs, false).replace(r#"["en"]"#, r#"["zh-Hans"]"#),
    ));
    fixture
        .until("the Chinese question", |f| {
            f.text("fieldset[part~=question] > legend") == "您有多大可能向朋友推荐我们？"
        })
        .await;
    let asked = nth_request("GET", 0);
    assert!(get(&asked, "url")
        .as_string()
        .unwrap()
        .ends_with("/v1/shops/s-lang/surveys/thank-you-nps?locale=zh-Hans"));
    assert_eq!(fixture.text("[part~=title]"), "您对这次购物满意吗？");
    assert_eq!(
        checked(&fixture).as_deref(),
        Some("9"),
        "the answer is kept"
    );
    assert_eq!(
        count_requests("GET"),
        1,
        "asked once, not asked whether due again"
    );
}

/// Mounts a pop-up preview of the NPS survey, answering its `GET /surveys/<id>`.
fn mount_preview(fixture: &Fixture) -> MountHandle {
    script_fetch(&format!(
        r#"{{"GET /surveys/thank-you-nps": [200, {}]}}"#,
        quoted(NPS)
    ));
    let attrs = r#"{"survey": "thank-you-nps", "preview": "", "placement": "popup"}"#;
    mount(fixture, "s-preview", attrs, false)
}

#[wasm_bindgen_test]
async fn a_preview_shows_the_named_survey_now_and_records_nothing() {
    forget_device("s-preview");
    // This browser answered the survey already: a preview shows it all the same.
    run(
        "",
        r#"localStorage.setItem('comeback:surveys:s-preview', JSON.stringify([{survey: 'thank-you-nps', order_id: null, outcome: 'answered', at: 1}]));"#,
        &[],
    );
    let fixture = Fixture::new();
    let _handle = mount_preview(&fixture);
    shown(&fixture, "nps").await;
    let asked = get(&nth_request("GET", 0), "url").as_string().unwrap();
    assert!(
        asked.ends_with("/surveys/thank-you-nps?locale=en"),
        "{asked}"
    );
    answer_nps(&fixture).await;
    fixture
        .until("the thanks", |f| f.find("[part~=thanks]").is_some())
        .await;
    settle().await;
    // Nothing went to the server, nothing was kept on the device, no event fired.
    assert_eq!(count_requests("POST"), 0);
    assert_eq!(count_requests("GET"), 1);
    assert_eq!(stored_len("comeback:surveys:s-preview"), 1);
    assert_eq!(stored_len("comeback:survey-drafts:s-preview"), 0);
    assert_eq!(stored_len("comeback:survey-queue:s-preview"), 0);
    for name in ["shown", "answered", "sent", "dismissed"] {
        assert!(
            fixture.fired(&format!("comeback:survey:{name}")).is_empty(),
            "{name}"
        );
    }
    // Closing a preview records no dismissal either.
    drop(_handle);
    let again = Fixture::new();
    let _handle = mount_preview(&again);
    shown(&again, "nps").await;
    choose(&again, "3").await;
    again.click("[part~=close-button]");
    settle().await;
    assert!(again.find("[part~=question]").is_none());
    assert_eq!(count_requests("POST"), 0);
    assert_eq!(stored_len("comeback:survey-drafts:s-preview"), 0);
    assert!(again.fired("comeback:survey:dismissed").is_empty());
}
