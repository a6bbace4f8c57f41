//! `<comeback-subscribe>` in the browser: the choice with its prices, the intervals shown
//! only when subscribing, the hidden field in the product form, the changed event and
//! `Comeback.subscription`, two toggles on one page, a product no plan covers (nothing
//! shown, no space, no field), and native keyboard controls with accessible names.

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

use comeback::MountHandle;

use super::{document, get, quoted, script_fetch, set_value, Fixture, HtmlSinks};

/// The demo's tea club on a ¥128.00 tea: 10% off, free shipping, three intervals, at
/// least two deliveries.
fn offer(product: &str) -> String {
    format!(
        r#"{{"product_id": "{product}", "currency": "CNY", "unit_price": 12800, "plans": [
            {{"id": "tea-club", "name": "Subscribe & save 10%", "discount": {{"kind": "percent", "percent": 10}},
              "free_shipping": true, "intervals": ["P2W", "P4W", "P8W"], "min_deliveries": 2}}]}}"#
    )
}

const NO_PLAN: &str =
    r#"{"product_id": "teapot", "currency": "CNY", "unit_price": 36800, "plans": []}"#;

fn config(attrs: &str, locale: &str) -> String {
    format!(
        r#"{{"shop": "demo", "api": "https://api.test", "locales": ["{locale}"], "attrs": {{{attrs}}}}}"#
    )
}

/// A page's `window.Comeback`, as the loader leaves it, without `subscription` yet.
fn fresh_comeback() {
    let window = web_sys::window().unwrap();
    Reflect::set(&window, &"Comeback".into(), &js_sys::Object::new()).unwrap();
}

/// `Comeback.subscription(product)`.
fn subscription(product: &str) -> JsValue {
    let comeback = get(&web_sys::window().unwrap(), "Comeback");
    let method: Function = get(&comeback, "subscription").unchecked_into();
    method.call1(&comeback, &product.into()).unwrap()
}

/// A product form with the fixture's element inside, like a theme's product page.
fn in_form(fixture: &Fixture) -> Element {
    let form = document().create_element("form").unwrap();
    document().body().unwrap().append_child(&form).unwrap();
    form.append_child(&fixture.host).unwrap();
    form
}

/// The form's field called `name`, if there is one.
fn field(form: &Element, name: &str) -> Option<Element> {
    form.query_selector(&["input[name=\"", name, "\"]"].concat())
        .unwrap()
}

fn value(input: &Element) -> String {
    get(input, "value").as_string().unwrap()
}

fn all_text(fixture: &Fixture, selector: &str) -> Vec<String> {
    let found = fixture.shadow.query_selector_all(selector).unwrap();
    (0..found.length())
        .map(|i| found.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

/// Mounts a toggle for `product` inside a new form and waits for its choices.
async fn toggle(attrs: &str) -> (Fixture, Element, MountHandle) {
    let fixture = Fixture::new();
    let form = in_form(&fixture);
    let handle = fixture.mount_kind("subscribe", &config(attrs, "en"));
    fixture
        .until("the choices", |f| f.find("[part~=option]").is_some())
        .await;
    (fixture, form, handle)
}

#[wasm_bindgen_test]
async fn the_toggle_shows_both_prices_and_the_intervals_only_when_subscribing() {
    fresh_comeback();
    script_fetch(&format!(
        r#"{{"GET /subscriptions/offer": [200, {}]}}"#,
        quoted(&offer("wuyi"))
    ));
    let (fixture, form, _handle) = toggle(r#""product": "wuyi""#).await;
    let options = all_text(&fixture, "[part~=option]");
    assert_eq!(options.len(), 2);
    assert!(options[0].contains("One-time purchase") && options[0].contains("¥128.00"));
    assert!(options[1].contains("Subscribe & save 10%"), "{options:?}");
    assert_eq!(
        fixture.text("[part~=option] + [part~=option] [part=price] > s span[aria-hidden]"),
        "¥128.00"
    );
    assert!(fixture
        .text("[part~=option] + [part~=option] [part=price]")
        .starts_with("¥115.20"));
    assert_eq!(fixture.text("[part=badge]"), "Save ¥12.80");
    // One-time is chosen at first; the intervals wait until the shopper subscribes.
    let radios = fixture
        .shadow
        .query_selector_all("input[type=radio]")
        .unwrap();
    assert!(get(&radios.item(0).unwrap(), "checked").is_truthy());
    assert!(fixture.find("[part=interval]").is_none());
    // The field is in the form already, empty: a one-time purchase.
    let input = field(&form, "comeback_subscription").expect("the hidden field");
    assert_eq!(input.get_attribute("type").as_deref(), Some("hidden"));
    assert_eq!(value(&input), "");
    // Nothing leaked into the page but that field.
    assert_eq!(fixture.host.children().length(), 0);

    fixture.click("[part~=option] + [part~=option] input[type=radio]");
    fixture
        .until("the intervals", |f| f.find("[part=interval]").is_some())
        .await;
    assert_eq!(
        all_text(&fixture, "[part=interval] option"),
        ["Every 2 weeks", "Every 4 weeks", "Every 8 weeks"]
    );
    let notes = fixture.text("[part=notes]");
    assert!(notes.contains("Free shipping on every delivery"), "{notes}");
    assert!(
        notes.contains("Cancel any time after 2 deliveries"),
        "{notes}"
    );
    // The same input, now saying the plan and interval.
    assert_eq!(field(&form, "comeback_subscription").unwrap(), input);
    assert_eq!(value(&input), "tea-club:P2W");
    let changed = fixture.fired("comeback:subscribe:changed");
    assert_eq!(changed.len(), 1);
    let detail = &changed[0];
    assert_eq!(get(detail, "product").as_string().as_deref(), Some("wuyi"));
    assert_eq!(get(detail, "plan").as_string().as_deref(), Some("tea-club"));
    assert_eq!(get(detail, "interval").as_string().as_deref(), Some("P2W"));
    assert_eq!(get(detail, "price").as_f64(), Some(11_520.0));
    assert_eq!(get(detail, "regular").as_f64(), Some(12_800.0));
    assert_eq!(get(detail, "saving").as_f64(), Some(1_280.0));
    assert_eq!(get(detail, "currency").as_string().as_deref(), Some("CNY"));
    let now = subscription("wuyi");
    assert_eq!(get(&now, "interval").as_string().as_deref(), Some("P2W"));
    assert_eq!(get(&now, "price").as_f64(), Some(11_520.0));
    assert!(subscription("another-tea").is_null());

    set_value(fixture.find("[part=interval]").unwrap(), "P8W", "change");
    fixture
        .until("the new interval in the form", |_| {
            value(&input) == "tea-club:P8W"
        })
        .await;
    assert_eq!(fixture.fired("comeback:subscribe:changed").len(), 2);
    assert_eq!(
        get(&subscription("wuyi"), "interval")
            .as_string()
            .as_deref(),
        Some("P8W")
    );

    // Back to one-time: the field is emptied, the intervals go.
    fixture.click("[part~=option] input[type=radio]");
    fixture
        .until("the field emptied", |_| value(&input).is_empty())
        .await;
    fixture
        .until("the intervals gone", |f| {
            f.find("[part=interval]").is_none()
        })
        .await;
    let changed = fixture.fired("comeback:subscribe:changed");
    assert_eq!(changed.len(), 3);
    assert!(get(&changed[2], "plan").is_null());
    assert!(get(&changed[2], "interval").is_null());
    assert_eq!(get(&changed[2], "price").as_f64(), Some(12_800.0));
    assert_eq!(get(&changed[2], "saving").as_f64(), Some(0.0));
    assert!(get(&subscription("wuyi"), "plan").is_null());
    form.remove();
}

#[wasm_bindgen_test]
async fn two_toggles_on_one_page_stay_independent() {
    fresh_comeback();
    script_fetch(&format!(
        r#"{{"GET /subscriptions/offer": [200, {}]}}"#,
        quoted(&offer("wuyi"))
    ));
    let (first, first_form, _first) = toggle(r#""product": "wuyi""#).await;
    // The second product's form already holds the shop's own field of that name.
    let second = Fixture::new();
    let second_form = in_form(&second);
    let own = document().create_element("input").unwrap();
    own.set_attribute("type", "hidden").unwrap();
    own.set_attribute("name", "plan").unwrap();
    second_form.append_child(&own).unwrap();
    let _second = second.mount_kind(
        "subscribe",
        &config(r#""product": "wuyi", "field": "plan""#, "en"),
    );
    second
        .until("the second toggle", |f| f.find("[part~=option]").is_some())
        .await;

    second.click("[part~=option] + [part~=option] input[type=radio]");
    second
        .until("the second subscribed", |_| value(&own) == "tea-club:P2W")
        .await;
    // The shop's input was reused, not doubled; the first form is untouched.
    assert_eq!(second_form.query_selector_all("input").unwrap().length(), 1);
    assert_eq!(
        value(&field(&first_form, "comeback_subscription").unwrap()),
        ""
    );
    assert!(first.find("[part=interval]").is_none());
    assert!(get(
        &first
            .shadow
            .query_selector_all("input[type=radio]")
            .unwrap()
            .item(0)
            .unwrap(),
        "checked"
    )
    .is_truthy());
    assert_eq!(
        first.fired("comeback:subscribe:changed").len(),
        1,
        "both fixtures hear every event"
    );

    first.click("[part~=option] + [part~=option] input[type=radio]");
    first
        .until("the first subscribed", |f| {
            f.find("[part=interval]").is_some()
        })
        .await;
    set_value(first.find("[part=interval]").unwrap(), "P4W", "change");
    let first_field = field(&first_form, "comeback_subscription").unwrap();
    first
        .until("the first form's interval", |_| {
            value(&first_field) == "tea-club:P4W"
        })
        .await;
    assert_eq!(value(&own), "tea-club:P2W");
    // The toggle changed last answers for the product.
    assert_eq!(
        get(&subscription("wuyi"), "interval")
            .as_string()
            .as_deref(),
        Some("P4W")
    );

    // Unmounted, a toggle takes its choice back out of the form: the field it created
    // goes, the shop's own is emptied and stays.
    drop(_second);
    assert_eq!(value(&own), "");
    assert!(own.is_connected());
    drop(_first);
    assert!(field(&first_form, "comeback_subscription").is_none());
    assert!(subscription("wuyi").is_null());
    first_form.remove();
    second_form.remove();
}

#[wasm_bindgen_test]
async fn a_product_no_plan_covers_shows_nothing_and_keeps_no_space() {
    fresh_comeback();
    script_fetch(&format!(
        r#"{{"GET /subscriptions/offer": [200, {}]}}"#,
        quoted(NO_PLAN)
    ));
    let fixture = Fixture::new();
    let form = in_form(&fixture);
    let _handle = fixture.mount_kind("subscribe", &config(r#""product": "teapot""#, "en"));
    fixture
        .until("the answer", |_| super::count_requests("GET") == 1)
        .await;
    gloo_timers::future::TimeoutFuture::new(50).await;
    assert!(fixture.find(".cb-root").is_none());
    assert!(fixture.find("input").is_none());
    let host: &HtmlElement = &fixture.host;
    assert_eq!(host.get_bounding_client_rect().height(), 0.0);
    assert!(field(&form, "comeback_subscription").is_none());
    assert!(subscription("teapot").is_null());
    assert!(fixture.fired("comeback:error").is_empty());
    form.remove();
}

#[wasm_bindgen_test]
async fn an_offer_that_cannot_be_read_shows_nothing_and_reports_it() {
    fresh_comeback();
    script_fetch(
        r#"{"GET /subscriptions/offer": [404, "{\"error\": {\"code\": \"not_found\", \"message\": \"no such product\"}}"]}"#,
    );
    let fixture = Fixture::new();
    let form = in_form(&fixture);
    let _handle = fixture.mount_kind("subscribe", &config(r#""product": "nope""#, "en"));
    fixture
        .until("the error event", |f| !f.fired("comeback:error").is_empty())
        .await;
    let error = &fixture.fired("comeback:error")[0];
    assert_eq!(
        get(error, "widget").as_string().as_deref(),
        Some("subscribe")
    );
    assert_eq!(get(error, "code").as_string().as_deref(), Some("not_found"));
    assert!(fixture.find(".cb-root").is_none());
    assert_eq!(fixture.host.get_bounding_client_rect().height(), 0.0);
    assert!(field(&form, "comeback_subscription").is_none());
    form.remove();
}

#[wasm_bindgen_test]
async fn keyboard_users_get_native_named_controls_with_visible_focus() {
    fresh_comeback();
    script_fetch(&format!(
        r#"{{"GET /subscriptions/offer": [200, {}]}}"#,
        quoted(&offer("wuyi"))
    ));
    let sinks = HtmlSinks::watch();
    let fixture = Fixture::new();
    let form = in_form(&fixture);
    let _handle = fixture.mount_kind("subscribe", &config(r#""product": "wuyi""#, "zh-TW"));
    fixture
        .until("the choices", |f| f.find("[part~=option]").is_some())
        .await;
    // A named group of native radios, each named by its label, none out of the tab order.
    assert_eq!(fixture.text("fieldset[part=options] > legend"), "購買方式");
    let radios = fixture
        .shadow
        .query_selector_all("input[type=radio]")
        .unwrap();
    assert_eq!(radios.length(), 2);
    for index in 0..radios.length() {
        let radio: HtmlElement = radios.item(index).unwrap().unchecked_into();
        assert!(radio.closest("label").unwrap().is_some());
        assert_eq!(radio.tab_index(), 0);
        assert_eq!(
            radio.get_attribute("name").as_deref(),
            Some("cb-subscribe-choice")
        );
    }
    // Arrow keys on a radio group check the next radio and fire `change`, which is all
    // the widget listens to; a script cannot send trusted keys, so this does the same.
    let subscribe: HtmlElement = radios.item(1).unwrap().unchecked_into();
    subscribe.focus().unwrap();
    Reflect::set(&subscribe, &"checked".into(), &true.into()).unwrap();
    set_value(subscribe.clone().unchecked_into(), "tea-club", "change");
    fixture
        .until("the intervals", |f| f.find("[part=interval]").is_some())
        .await;
    // The radio kept focus through the re-render, and shows it.
    assert_eq!(
        fixture.shadow.active_element().as_ref(),
        Some(subscribe.unchecked_ref::<Element>())
    );
    let style = web_sys::window()
        .unwrap()
        .get_computed_style(&subscribe)
        .unwrap()
        .unwrap();
    assert_eq!(style.get_property_value("outline-style").unwrap(), "solid");
    // The interval is a native select named by its label, in the shopper's language.
    let select = fixture.find("[part=interval]").unwrap();
    assert_eq!(select.tag_name(), "SELECT");
    assert_eq!(
        select
            .closest("label")
            .unwrap()
            .unwrap()
            .first_element_child()
            .unwrap()
            .text_content()
            .as_deref(),
        Some("配送頻率")
    );
    assert_eq!(all_text(&fixture, "[part=interval] option")[0], "每 2 週");
    assert_eq!(
        value(&field(&form, "comeback_subscription").unwrap()),
        "tea-club:P2W"
    );
    assert_eq!(sinks.used(), Vec::<String>::new());
    form.remove();
}
