//! `<comeback-recommendations>` in the browser: the cards and their wording, hiding (and
//! giving the space back) below `min` or on a failure, the skeleton's reserved height,
//! the add and click events, and what reaches the request (exclusions, the recently
//! viewed list with consent only, re-fetching when an attribute changes, with the cards
//! kept on screen meanwhile).

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

use comeback::MountHandle;

use super::{document, get, quoted, requests, script_fetch, settings, Fixture};

const VIEWED_KEY: &str = "comeback:recs:viewed";

/// Mounts the widget with `config` and waits until its cards show.
async fn with_cards(config: &str) -> (Fixture, MountHandle) {
    let fixture = Fixture::new();
    let handle = fixture.mount_kind("recommendations", config);
    fixture
        .until("the cards", |f| f.find("[part=card]").is_some())
        .await;
    (fixture, handle)
}

/// An answer with `count` items (up to four): a sale, a cadence, a best seller, no image.
fn answer(kind: &str, count: usize) -> String {
    let items = [
        r#"{"product_id": "longjing", "title": "Longjing 2027", "price": 12800, "compare_at_price": 15000,
            "url": "/products/longjing", "image": "https://img.test/longjing.jpg",
            "why": {"reason": "bought-with", "title": "Wuyi Oolong"}}"#,
        r#"{"product_id": "puer", "title": "Ripe Pu'er cake", "price": 9900, "compare_at_price": 9900,
            "url": "/products/puer", "image": "https://img.test/puer.jpg",
            "why": {"reason": "buy-again", "every_days": 21}}"#,
        r#"{"product_id": "jasmine", "title": "Jasmine pearls", "price": 6800,
            "url": "https://shop.test/products/jasmine", "why": {"reason": "popular"}}"#,
        r#"{"product_id": "baihao", "title": "Silver needle", "price": 15800,
            "url": "/products/baihao", "image": "https://img.test/baihao.jpg", "why": {"reason": "new"}}"#,
    ];
    format!(
        r#"{{"kind": "{kind}", "currency": "CNY", "items": [{}]}}"#,
        items[..count].join(",")
    )
}

fn routes(kind: &str, count: usize, delay: u32) -> String {
    format!(
        r#"{{"GET /recommendations": [200, {}, {delay}]}}"#,
        quoted(&answer(kind, count))
    )
}

fn config(attrs: &str, consent: bool, locale: &str) -> String {
    format!(
        r#"{{"shop": "demo", "api": "https://api.test", "locales": ["{locale}"], "consent": {consent},
            "attrs": {{{attrs}}}}}"#
    )
}

fn all_text(fixture: &Fixture, selector: &str) -> Vec<String> {
    let found = fixture.shadow.query_selector_all(selector).unwrap();
    (0..found.length())
        .map(|i| found.item(i).unwrap().text_content().unwrap_or_default())
        .map(|t| t.trim().to_owned())
        .collect()
}

fn request_urls() -> Vec<String> {
    requests()
        .iter()
        .filter_map(|r| get(&r, "url").as_string())
        .collect()
}

fn height(element: &HtmlElement) -> f64 {
    element.get_bounding_client_rect().height()
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Counts `console.warn` calls until dropped (then restores it).
struct Warnings(JsValue);

impl Warnings {
    fn watch() -> Warnings {
        let console = Reflect::get(&web_sys::window().unwrap(), &"console".into()).unwrap();
        let original = Reflect::get(&console, &"warn".into()).unwrap();
        Function::new_no_args(
            "window.__warnings = []; console.warn = (...a) => window.__warnings.push(a.join(' '));",
        )
        .call0(&JsValue::NULL)
        .unwrap();
        Warnings(original)
    }

    fn seen(&self) -> Vec<String> {
        js_sys::Array::from(&get(&web_sys::window().unwrap(), "__warnings"))
            .iter()
            .filter_map(|w| w.as_string())
            .collect()
    }
}

impl Drop for Warnings {
    fn drop(&mut self) {
        let console = Reflect::get(&web_sys::window().unwrap(), &"console".into()).unwrap();
        Reflect::set(&console, &"warn".into(), &self.0).unwrap();
    }
}

#[wasm_bindgen_test]
async fn cards_show_the_title_link_price_sale_and_reason() {
    script_fetch(&routes("also-bought", 3, 0));
    let (fixture, _handle) = with_cards(&config(
        r#""kind": "also-bought", "product": "wuyi""#,
        false,
        "en",
    ))
    .await;
    assert_eq!(
        all_text(&fixture, "[part=title]"),
        ["Longjing 2027", "Ripe Pu'er cake", "Jasmine pearls"]
    );
    let prices = all_text(&fixture, "[part=price] > span");
    assert_eq!(prices, ["¥128.00", "¥99.00", "¥68.00"]);
    // Only a higher old price is struck through, and it is read out as the old price.
    let struck = all_text(&fixture, "[part=compare-at-price]");
    assert_eq!(struck.len(), 1);
    assert!(struck[0].contains("Was ¥150.00"), "{struck:?}");
    assert_eq!(
        all_text(&fixture, "[part=reason]"),
        [
            "Often bought with Wuyi Oolong",
            "You buy this about every 3 weeks",
            "Best seller"
        ]
    );
    assert_eq!(fixture.text("[part=heading]"), "Often bought together");
    // Links went through the safe-link check and resolve against the page.
    let link = fixture.find("[part=title]").unwrap();
    assert!(link
        .get_attribute("href")
        .unwrap()
        .ends_with("/products/longjing"));
    // Images load lazily with their size known up front, named by the title.
    let image = fixture.find("img[part=image]").unwrap();
    assert_eq!(image.get_attribute("loading").as_deref(), Some("lazy"));
    assert_eq!(image.get_attribute("width").as_deref(), Some("320"));
    assert_eq!(image.get_attribute("height").as_deref(), Some("320"));
    assert_eq!(image.get_attribute("alt").as_deref(), Some("Longjing 2027"));
    // The card without an image keeps the same frame.
    assert_eq!(
        fixture
            .shadow
            .query_selector_all("[part=image]")
            .unwrap()
            .length(),
        3
    );
    // A list named by its heading; real buttons.
    let list = fixture.find("ul[part=list]").unwrap();
    let heading_id = list.get_attribute("aria-labelledby").unwrap();
    assert_eq!(
        fixture
            .find(&["#", &heading_id].concat())
            .and_then(|h| h.text_content())
            .as_deref(),
        Some("Often bought together")
    );
    let add = fixture.find("[part=add-button]").unwrap();
    assert_eq!(add.tag_name(), "BUTTON");
    assert_eq!(add.get_attribute("type").as_deref(), Some("button"));
    assert!(fixture.find("[style]").is_none());
}

#[wasm_bindgen_test]
async fn reasons_are_worded_in_chinese_too() {
    script_fetch(&routes("buy-again", 2, 0));
    let (fixture, _handle) = with_cards(&config(r#""kind": "buy-again""#, false, "zh-TW")).await;
    assert_eq!(fixture.text("[part=heading]"), "再次購買");
    assert_eq!(
        all_text(&fixture, "[part=reason]"),
        ["常與Wuyi Oolong一起購買", "您大約每 3 週購買一次"]
    );
    assert_eq!(all_text(&fixture, "[part=add-button]")[0], "加入購物車");
}

#[wasm_bindgen_test]
async fn fewer_items_than_min_hide_the_widget_and_keep_no_space() {
    script_fetch(&routes("popular", 1, 0));
    let fixture = Fixture::new();
    let _handle = fixture.mount_kind(
        "recommendations",
        &config(r#""kind": "popular", "min": "2""#, false, "en"),
    );
    fixture
        .until("the widget to hide", |f| {
            f.find("[part=root]")
                .is_some_and(|r| r.has_attribute("hidden"))
        })
        .await;
    assert!(fixture.find("[part=card]").is_none());
    assert_eq!(height(&fixture.host), 0.0);

    // An empty list hides it with the default min of 1.
    script_fetch(&routes("popular", 0, 0));
    let empty = Fixture::new();
    let _empty = empty.mount_kind(
        "recommendations",
        &config(r#""kind": "popular""#, false, "en"),
    );
    empty
        .until("the widget to hide", |f| {
            f.find("[part=root]")
                .is_some_and(|r| r.has_attribute("hidden"))
        })
        .await;
    assert_eq!(height(&empty.host), 0.0);
}

#[wasm_bindgen_test]
async fn a_failed_request_hides_the_widget_quietly() {
    let warnings = Warnings::watch();
    script_fetch(
        r#"{"GET /recommendations": [404, "{\"error\":{\"code\":\"not_found\",\"message\":\"no such shop\",\"request_id\":\"r1\"}}"]}"#,
    );
    let neighbour = document().create_element("p").unwrap();
    neighbour.set_text_content(Some("The host page"));
    document().body().unwrap().append_child(&neighbour).unwrap();
    let fixture = Fixture::new();
    let _handle = fixture.mount_kind("recommendations", &config("", false, "en"));
    fixture
        .until("the widget to hide", |f| {
            f.find("[part=root]")
                .is_some_and(|r| r.has_attribute("hidden"))
        })
        .await;
    assert_eq!(height(&fixture.host), 0.0);
    assert!(fixture.find("[part=fallback]").is_none());
    // One warning for the shop's developer, one error event, and the page carries on.
    let seen = warnings.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].contains("no such shop"));
    let errors = fixture.fired("comeback:error");
    assert_eq!(errors.len(), 1);
    assert_eq!(
        get(&errors[0], "widget").as_string().as_deref(),
        Some("recommendations")
    );
    assert!(neighbour.is_connected());
    assert_eq!(neighbour.text_content().as_deref(), Some("The host page"));
    neighbour.remove();
}

#[wasm_bindgen_test]
async fn the_skeleton_reserves_the_height_of_the_loaded_cards() {
    script_fetch(&routes("trending", 4, 400));
    let fixture = Fixture::new();
    let _handle = fixture.mount_kind(
        "recommendations",
        &config(r#""kind": "trending", "limit": "4""#, false, "en"),
    );
    // `limit` skeleton cards (after the runtime's own placeholder while the code loads).
    fixture
        .until("the skeleton cards", |f| {
            f.shadow
                .query_selector_all("[part=skeleton]")
                .unwrap()
                .length()
                == 4
        })
        .await;
    let reserved = height(&fixture.host);
    assert!(reserved > 100.0, "the skeleton reserves {reserved}px");
    fixture
        .until("the cards", |f| f.find("[part=card]").is_some())
        .await;
    assert_eq!(
        fixture
            .shadow
            .query_selector_all("[part=card]")
            .unwrap()
            .length(),
        4
    );
    assert_eq!(height(&fixture.host), reserved);
}

#[wasm_bindgen_test]
async fn add_and_click_fire_their_events_with_the_product() {
    // Signed out, `for-you` comes back as the popular list.
    script_fetch(&routes("popular", 2, 0));
    let (fixture, _handle) = with_cards(&config(r#""kind": "for-you""#, false, "en")).await;
    assert_eq!(fixture.text("[part=heading]"), "Best sellers");
    fixture.click("[part=add-button]");
    let added = fixture.fired("comeback:recommendations:add");
    assert_eq!(added.len(), 1);
    let detail = &added[0];
    assert_eq!(
        get(detail, "product_id").as_string().as_deref(),
        Some("longjing")
    );
    assert_eq!(
        get(detail, "title").as_string().as_deref(),
        Some("Longjing 2027")
    );
    assert_eq!(get(detail, "price").as_f64(), Some(12800.0));
    assert_eq!(get(detail, "currency").as_string().as_deref(), Some("CNY"));
    assert!(get(detail, "url")
        .as_string()
        .is_some_and(|u| u.ends_with("/products/longjing")));
    assert_eq!(get(detail, "kind").as_string().as_deref(), Some("popular"));
    // The add button does not follow the link under it.
    assert!(fixture.fired("comeback:recommendations:click").is_empty());

    // A click on the link fires `click`; this listener keeps the test page from leaving.
    let stay = Function::new_with_args("e", "e.preventDefault()");
    document()
        .add_event_listener_with_callback("comeback:recommendations:click", &stay)
        .unwrap();
    let links = fixture.shadow.query_selector_all("[part=title]").unwrap();
    links
        .item(1)
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    document()
        .remove_event_listener_with_callback("comeback:recommendations:click", &stay)
        .unwrap();
    let clicked = fixture.fired("comeback:recommendations:click");
    assert_eq!(clicked.len(), 1);
    assert_eq!(
        get(&clicked[0], "product_id").as_string().as_deref(),
        Some("puer")
    );
    assert_eq!(get(&clicked[0], "price").as_f64(), Some(9900.0));
    assert_eq!(
        get(&clicked[0], "kind").as_string().as_deref(),
        Some("popular")
    );
}

#[wasm_bindgen_test]
async fn exclusions_and_recently_viewed_reach_the_request_and_changes_refetch() {
    storage()
        .set_item(VIEWED_KEY, r#"["old-1", "wuyi", 7]"#)
        .unwrap();
    script_fetch(&routes("also-bought", 2, 300));
    let fixture = Fixture::new();
    let attrs = r#""kind": "also-bought", "product": "wuyi", "exclude": "puer, jasmine ,puer""#;
    let mut handle = fixture.mount_kind("recommendations", &config(attrs, true, "en"));
    fixture
        .until("the cards", |f| f.find("[part=card]").is_some())
        .await;
    let urls = request_urls();
    assert_eq!(urls.len(), 1);
    assert!(
        urls[0].ends_with(
            "/v1/shops/demo/recommendations?kind=also-bought&limit=4&product=wuyi\
             &exclude=puer,jasmine&viewed=wuyi,old-1&locale=en"
        ),
        "{}",
        urls[0]
    );
    // The product page was remembered, most recent first, without duplicates.
    assert_eq!(
        storage().get_item(VIEWED_KEY).unwrap().as_deref(),
        Some(r#"["wuyi","old-1"]"#)
    );

    // The theme updated `exclude` from its cart: the list is asked for again.
    let attrs = r#""kind": "also-bought", "product": "wuyi", "exclude": "puer,jasmine,longjing""#;
    handle.update(settings("recommendations", &config(attrs, true, "en")));
    fixture
        .until("a second request", |_| request_urls().len() == 2)
        .await;
    assert!(request_urls()[1].contains("&exclude=puer,jasmine,longjing&"));
    // While it reloads, the cards stay: no skeleton flashes in the row.
    assert!(fixture.find("[part=card]").is_some());
    assert!(fixture.find("[part=skeleton]").is_none());
    gloo_timers::future::TimeoutFuture::new(400).await;
    assert!(fixture.find("[part=card]").is_some());
    // A theme change alone asks for nothing.
    let attrs = r#""kind": "also-bought", "product": "wuyi", "exclude": "puer,jasmine,longjing", "theme": "dark""#;
    handle.update(settings("recommendations", &config(attrs, true, "en")));
    gloo_timers::future::TimeoutFuture::new(50).await;
    assert_eq!(request_urls().len(), 2);
    storage().remove_item(VIEWED_KEY).unwrap();
}

#[wasm_bindgen_test]
async fn without_consent_nothing_is_remembered_or_sent() {
    storage().set_item(VIEWED_KEY, r#"["old-1"]"#).unwrap();
    script_fetch(&routes("also-bought", 1, 0));
    let (_fixture, _handle) = with_cards(&config(
        r#""kind": "also-bought", "product": "wuyi""#,
        false,
        "en",
    ))
    .await;
    let urls = request_urls();
    assert!(!urls[0].contains("viewed="), "{}", urls[0]);
    assert_eq!(
        storage().get_item(VIEWED_KEY).unwrap().as_deref(),
        Some(r#"["old-1"]"#)
    );
    storage().remove_item(VIEWED_KEY).unwrap();
}

#[wasm_bindgen_test]
async fn a_signed_in_shopper_is_asked_for_with_the_token() {
    script_fetch(&routes("for-you", 1, 0));
    let (fixture, _handle) = with_cards(
        r#"{"shop": "demo", "api": "https://api.test", "token": "t0k", "locales": ["en"],
            "attrs": {"kind": "for-you"}}"#,
    )
    .await;
    let first = requests().get(0);
    assert_eq!(
        get(&first, "auth").as_string().as_deref(),
        Some("Bearer t0k")
    );
    assert!(!get(&first, "url").as_string().unwrap().contains("t0k"));
    assert_eq!(fixture.text("[part=heading]"), "Picked for you");
}
