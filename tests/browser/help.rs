//! `<comeback-help>` in the browser: search in both Chinese scripts with marks, the
//! wizard by keyboard, the pre-filled contact form, the offline queue, and article
//! bodies that can carry nothing but text markup.

use comeback_core::help::{Doc, Folding, Index};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

use super::{count_requests, document, first_post, quoted, script_fetch, set_value, Fixture};

const CONFIG: &str =
    r#"{"shop": "demo", "api": "https://api.test", "locales": ["en"], "attrs": {}}"#;

/// Two articles (one in Simplified Chinese) and a tree, with the index the server would
/// build (the fold table cut to the content, as the server ships it).
fn answer(body: &str) -> String {
    let titles = ["积分规则", "Shipping times"];
    let texts = ["每消费一元获得一积分。", "Orders ship the same day."];
    let folding = Folding::new(vec![('積', '积'), ('規', '规'), ('則', '则')]);
    let tags: [Vec<String>; 2] = [vec!["points".into()], vec![]];
    let docs: Vec<Doc> = (0..2)
        .map(|i| Doc {
            title: titles[i],
            tags: &tags[i],
            body: texts[i],
        })
        .collect();
    let fold = |c| folding.char(c);
    let index = Index::build(&docs, &fold, folding.clone());
    let terms: Vec<String> = index.terms.iter().map(|t| quoted(t)).collect();
    let postings: Vec<String> = index
        .postings
        .iter()
        .map(|p| {
            format!(
                "[{}]",
                p.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
            )
        })
        .collect();
    format!(
        r#"{{"locale": "en",
  "articles": [
    {{"id": "points", "title": "积分规则", "body_text": "每消费一元获得一积分。", "tags": ["points"], "pages": [],
      "body": [["p", "每消费一元获得", ["strong", "一积分"], "。"]]}},
    {{"id": "shipping", "title": "Shipping times", "body_text": "Orders ship the same day.", "tags": [], "pages": [],
      "body": {body}}}
  ],
  "trees": [{{"id": "order", "title": "Order problem", "steps": [
    {{"id": "what", "kind": "question", "text": "What happened?", "answers": [
      {{"label": "It is late", "next": "when"}}, {{"label": "It is damaged", "next": "damaged"}}]}},
    {{"id": "when", "kind": "question", "text": "When did you order?", "answers": [
      {{"label": "Recently", "next": "wait"}}, {{"label": "Long ago", "next": "damaged"}}]}},
    {{"id": "wait", "kind": "solved", "text": "It is on its way.", "article": "shipping"}},
    {{"id": "damaged", "kind": "contact", "text": "Tell us and we make it right."}}
  ]}}],
  "contact": {{"phone": "+86 21 5555 0100", "email": "help@tea.example"}},
  "index": {{"terms": [{}], "postings": [{}], "fold": "積积規规則则"}}}}"#,
        terms.join(","),
        postings.join(",")
    )
}

fn routes(body: &str, ticket: &str) -> String {
    format!(
        r#"{{"GET /help": [200, {}], "POST /help/tickets": {ticket}, "POST /help/feedback": [200, "{{}}"]}}"#,
        quoted(&answer(body))
    )
}

const PLAIN_BODY: &str =
    r#"[["p", "Orders ship ", ["a", {"href": "/track"}, "the same day"], "."]]"#;
const ACCEPTED: &str = r#"[201, "{\"ticket_id\": \"H-ABCD-EFGH\", \"created_at\": 1}"]"#;

fn active_in(fixture: &Fixture) -> String {
    fixture
        .shadow
        .active_element()
        .map(|e| e.text_content().unwrap_or_default())
        .unwrap_or_default()
}

/// Types the contact form's message and email, then sends it.
fn fill_and_send(fixture: &Fixture, message: &str, email: &str) {
    set_value(fixture.find("#cb-help-message").unwrap(), message, "input");
    set_value(fixture.find("#cb-help-email").unwrap(), email, "input");
    fixture.click("[part=send-button]");
}

/// Presses answer `index` of the question shown.
fn press_answer(fixture: &Fixture, index: u32) {
    let answers = fixture.shadow.query_selector_all("[part=answer]").unwrap();
    answers
        .item(index)
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
}

#[wasm_bindgen_test]
async fn search_finds_chinese_in_either_script_and_marks_it() {
    script_fetch(&routes(PLAIN_BODY, ACCEPTED));
    let fixture = Fixture::new();
    let _handle = fixture.mount_kind("help", CONFIG);
    fixture
        .until("the search box", |f| f.find("[part=search]").is_some())
        .await;
    let search = fixture.find("[part=search]").unwrap();
    // Traditional characters find the Simplified article.
    set_value(search.clone(), "積分", "input");
    fixture
        .until("a result", |f| f.find("[part=result]").is_some())
        .await;
    assert_eq!(fixture.text("[part=results-status]"), "1 result");
    assert_eq!(fixture.text("[part=result] mark"), "积分");
    set_value(search.clone(), "ship", "input");
    fixture
        .until("the English result", |f| {
            f.text("[part=result]").starts_with("Shipping")
        })
        .await;
    assert_eq!(fixture.text("[part=result] mark"), "Ship");
    set_value(search.clone(), "quantum", "input");
    fixture
        .until("no results", |f| {
            f.text("[part=results-status]").contains("Nothing found")
        })
        .await;
    search
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    let searched = fixture.fired("comeback:help:searched");
    assert_eq!(searched.len(), 1);
    assert_eq!(super::get(&searched[0], "results").as_f64(), Some(0.0));
    // One read of the content, whatever was typed.
    assert_eq!(count_requests("GET"), 1);
}

#[wasm_bindgen_test]
async fn the_wizard_goes_by_keyboard_and_the_form_already_knows_the_path() {
    script_fetch(&routes(PLAIN_BODY, ACCEPTED));
    let fixture = Fixture::new();
    let _handle = fixture.mount_kind("help", CONFIG);
    fixture
        .until("the tree button", |f| {
            f.find("[part=tree-button]").is_some()
        })
        .await;
    fixture.click("[part=tree-button]");
    fixture
        .until("the first question", |f| {
            f.text("[part=question]") == "What happened?"
        })
        .await;
    // Focus follows the question, so a keyboard or screen reader user starts there.
    fixture
        .until("focus on the question", |f| {
            active_in(f) == "What happened?"
        })
        .await;
    assert!(
        fixture
            .text("[part=progress]")
            .contains("Step 1 of up to 3"),
        "{}",
        fixture.text("[part=progress]")
    );
    fixture.click("[part=answer]");
    fixture
        .until("the second question", |f| {
            f.text("[part=question]") == "When did you order?"
        })
        .await;
    fixture.click("[part=back-button]");
    fixture
        .until("back at the start", |f| {
            f.text("[part=question]") == "What happened?"
        })
        .await;
    fixture.click("[part=answer]");
    fixture
        .until("the second question again", |f| {
            f.text("[part=question]") == "When did you order?"
        })
        .await;
    press_answer(&fixture, 1);
    fixture
        .until("the contact leaf", |f| {
            f.text("[part=question]").starts_with("Tell us")
        })
        .await;
    let finished = fixture.fired("comeback:help:wizard-finished");
    assert_eq!(
        super::get(&finished[0], "kind").as_string().as_deref(),
        Some("contact")
    );
    fixture.click("[part=contact-button]");
    fixture
        .until("the form", |f| f.find("[part=contact-form]").is_some())
        .await;
    let known = fixture.text("[part=known]");
    assert!(known.contains("What happened? → It is late"), "{known}");
    assert!(known.contains("When did you order? → Long ago"), "{known}");

    // Nothing typed: the problems are named and nothing is sent.
    fixture.click("[part=send-button]");
    fixture
        .until("the problems", |f| f.find("[aria-invalid=true]").is_some())
        .await;
    assert!(fixture
        .text("[part=contact-form]")
        .contains("Please tell us what happened."));
    assert!(fixture
        .text("[part=contact-form]")
        .contains("Please enter your email"));
    assert_eq!(count_requests("POST"), 0);

    fill_and_send(&fixture, "The parcel never came", "lin@tea.example");
    fixture
        .until("the ticket number", |f| {
            f.text("[part=ticket-status]").contains("H-ABCD-EFGH")
        })
        .await;
    let post = first_post();
    let body: String = super::get(&post, "body").as_string().unwrap();
    assert!(body.contains(r#""tree":"order""#), "{body}");
    assert!(
        body.contains(r#"{"question":"When did you order?","answer":"Long ago"}"#),
        "{body}"
    );
    assert!(body.contains(r#""email":"lin@tea.example""#), "{body}");
    assert_eq!(
        super::get(&post, "key").as_string().map(|k| k.len()),
        Some(36)
    );
    assert_eq!(fixture.fired("comeback:help:ticket-created").len(), 1);
}

#[wasm_bindgen_test]
async fn a_ticket_written_offline_waits_on_the_device_and_goes_when_back() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item("comeback:help:pending").unwrap();
    // The backend is unreachable for the ticket.
    script_fetch(&format!(
        r#"{{"GET /help": [200, {}]}}"#,
        quoted(&answer(PLAIN_BODY))
    ));
    let fixture = Fixture::new();
    let handle = fixture.mount_kind("help", CONFIG);
    fixture
        .until("the tree button", |f| {
            f.find("[part=tree-button]").is_some()
        })
        .await;
    fixture.click("[part=tree-button]");
    fixture
        .until("the first question", |f| f.find("[part=answer]").is_some())
        .await;
    press_answer(&fixture, 1);
    fixture
        .until("the contact leaf", |f| {
            f.find("[part=contact-button]").is_some()
        })
        .await;
    fixture.click("[part=contact-button]");
    fixture
        .until("the form", |f| f.find("#cb-help-message").is_some())
        .await;
    fill_and_send(&fixture, "Broken teapot", "lin@tea.example");
    fixture
        .until("the queued note", |f| {
            f.text("[part=ticket-status]").contains("offline")
        })
        .await;
    assert_eq!(fixture.fired("comeback:help:ticket-queued").len(), 1);
    let kept = storage.get_item("comeback:help:pending").unwrap().unwrap();
    assert!(
        kept.contains("Broken teapot") && !kept.contains("t0k"),
        "{kept}"
    );
    drop(handle);

    // Back online: the next mount sends it, with the same key, and forgets it.
    script_fetch(&routes(PLAIN_BODY, ACCEPTED));
    let again = Fixture::new();
    let _handle = again.mount_kind("help", CONFIG);
    again
        .until("the ticket sent", |f| {
            !f.fired("comeback:help:ticket-created").is_empty()
        })
        .await;
    assert!(storage.get_item("comeback:help:pending").unwrap().is_none());
    assert!(super::get(&first_post(), "body")
        .as_string()
        .unwrap()
        .contains("Broken teapot"));
}

#[wasm_bindgen_test]
async fn an_article_body_holds_only_text_markup() {
    let hostile = r#"[
      ["script", "window.__xss = 1"],
      ["p", {"onclick": "window.__xss = 2", "style": "position:fixed"}, "Safe text ",
        ["a", {"href": "javascript:window.__xss = 3"}, "bad link"], " ",
        ["a", {"href": "//evil.example/x"}, "other site"], " ",
        ["a", {"href": "/track"}, "good link"],
        ["img", {"src": "data:image/svg+xml,<svg onload=alert(1)>", "onerror": "window.__xss = 4"}],
        ["iframe", {"src": "https://evil.example"}]
      ]
    ]"#;
    script_fetch(&routes(hostile, ACCEPTED));
    let fixture = Fixture::new();
    let _handle = fixture.mount_kind("help", CONFIG);
    fixture
        .until("the topics", |f| f.find("[part=article-link]").is_some())
        .await;
    let links = fixture
        .shadow
        .query_selector_all("[part=article-link]")
        .unwrap();
    links
        .item(1)
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    fixture
        .until("the article", |f| {
            f.text("[part=article]").contains("Safe text")
        })
        .await;
    let body = fixture.find(".cb-help__body").unwrap();
    let html = body.inner_html();
    for banned in [
        "script",
        "onclick",
        "style",
        "javascript",
        "evil",
        "iframe",
        "onerror",
        "<img",
        "svg",
    ] {
        assert!(!html.contains(banned), "{banned} in {html}");
    }
    let good = body.query_selector("a[href]").unwrap().unwrap();
    assert!(good.get_attribute("href").unwrap().ends_with("/track"));
    assert_eq!(
        good.get_attribute("rel").as_deref(),
        Some("noopener noreferrer nofollow")
    );
    assert!(
        js_sys::Reflect::get(&web_sys::window().unwrap(), &"__xss".into())
            .unwrap()
            .is_undefined()
    );
    // The article's feedback is counted once and thanked.
    fixture.click("[part=feedback] button");
    fixture
        .until("the thanks", |f| f.find(".cb-help__thanks").is_some())
        .await;
    let feedback = fixture.fired("comeback:help:feedback");
    assert_eq!(
        super::get(&feedback[0], "subject").as_string().as_deref(),
        Some("article:shipping")
    );
    let _ = document();
}
