//! Browser tests (wasm-bindgen-test in headless Chromium): the widget mounted into a real
//! shadow root against a scripted `fetch`, checking isolation, theming, locale switching,
//! events and the failure fallback.

#![cfg(target_arch = "wasm32")]

#[path = "browser/help.rs"]
mod help;
#[path = "browser/recommendations.rs"]
mod recommendations;
#[path = "browser/referral.rs"]
mod referral;
#[path = "browser/subscribe.rs"]
mod subscribe;
#[path = "browser/subscriptions.rs"]
mod subscriptions;
#[path = "browser/survey.rs"]
mod survey;

use std::cell::RefCell;
use std::rc::Rc;

use comeback::MountHandle;
use gloo_timers::future::TimeoutFuture;
use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::{
    CustomEvent, Document, Element, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode,
};

wasm_bindgen_test_configure!(run_in_browser);

const ME: &str = r#"{
  "customer_id": "c-1", "name": "Lin Mei", "balance": 620, "lifetime_points": 1250,
  "currency": "CNY",
  "tier": {"current": "bud", "next": "bloom", "points_to_next": 750, "percent": 50},
  "tiers": [
    {"id": "leaf", "name": {"en": "Green Leaf", "zh-Hans": "青叶", "zh-Hant": "青葉"}, "threshold": 0},
    {"id": "bud", "name": {"en": "Tea Bud", "zh-Hans": "嫩芽", "zh-Hant": "嫩芽"}, "threshold": 500},
    {"id": "bloom", "name": {"en": "Full Bloom", "zh-Hans": "花开", "zh-Hant": "花開"}, "threshold": 2000}
  ],
  "rewards": [
    {"id": "off-10", "name": {"en": "¥10 off", "zh-Hans": "立减10元"}, "kind": "amount_off", "value": 1000, "cost": 500, "affordable": true},
    {"id": "off-50", "name": {"en": "¥50 off"}, "kind": "amount_off", "value": 5000, "cost": 2500, "affordable": false}
  ],
  "ways_to_earn": [
    {"kind": "order", "points_per_unit": 1},
    {"kind": "action", "id": "review", "name": {"en": "Write a review", "zh-Hans": "写评价"}, "points": 50},
    {"kind": "a_kind_from_the_future", "id": "x"}
  ],
  "history": [
    {"id": "e3", "kind": "a_kind_from_the_future", "points": 1, "reference": "?", "created_at": 1760000200},
    {"id": "e2", "kind": "action", "points": 50, "reference": "review:A-1001", "reward_name": {"en": "Write a review"}, "created_at": 1760000100, "forgiven": 0},
    {"id": "e1", "kind": "order_paid", "points": 320, "reference": "A-1001", "created_at": 1760000000, "forgiven": 0}
  ],
  "codes": [],
  "next_expiry": {"points": 120, "on": "2027-03-01"}
}"#;

const REDEMPTION: &str = r#"{"code": "TEA-ABCD-EFGH", "reward_id": "off-10", "kind": "amount_off",
  "value": 1000, "points_spent": 500, "balance": 120, "expires_at": 1790000000}"#;

/// Replaces `window.fetch` with a script: `routes` maps "METHOD path-suffix" (or
/// "METHOD path-suffix#token", for that bearer token only) to [status, body] or
/// [status, body, delay in ms]; unmatched requests fail like a network error. Requests
/// are recorded in `window.__requests`.
fn script_fetch(routes: &str) {
    let install = Function::new_with_args(
        "routes",
        r#"
        window.__requests = [];
        window.fetch = async (input, init) => {
          const request = input instanceof Request ? input : new Request(input, init);
          const body = request.method === 'GET' ? null : await request.clone().text();
          window.__requests.push({ method: request.method, url: request.url,
            auth: request.headers.get('authorization'),
            key: request.headers.get('idempotency-key'), body });
          for (const [route, answer] of Object.entries(routes)) {
            const [method, target] = route.split(' ');
            const [suffix, token] = target.split('#');
            const forToken = !token || request.headers.get('authorization') === 'Bearer ' + token;
            if (request.method === method && new URL(request.url).pathname.endsWith(suffix) && forToken) {
              if (answer[2]) await new Promise((done) => setTimeout(done, answer[2]));
              return new Response(answer[1], { status: answer[0],
                headers: { 'content-type': 'application/json' } });
            }
          }
          // Shoppers who chose their contact preferences long ago, unless a test says.
          if (request.method === 'GET' && request.url.endsWith('/loyalty/me/preferences')) {
            return new Response('{"contact_channel":"email","marketing_consent":true,"updated_at":1}',
              { status: 200, headers: { 'content-type': 'application/json' } });
          }
          throw new TypeError('Failed to fetch');
        };
        "#,
    );
    let routes = js_sys::JSON::parse(routes).unwrap();
    install.call1(&JsValue::NULL, &routes).unwrap();
}

fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

struct Fixture {
    host: HtmlElement,
    shadow: ShadowRoot,
    events: Rc<RefCell<Vec<(String, JsValue)>>>,
    _listener: Closure<dyn FnMut(CustomEvent)>,
}

impl Fixture {
    fn new() -> Fixture {
        let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
        document().body().unwrap().append_child(&host).unwrap();
        let shadow = host
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .unwrap();
        // Each case mocks its own answers: nothing read by an earlier case is reused.
        comeback::api::forget_reads();
        let events = Rc::new(RefCell::new(Vec::new()));
        let log = events.clone();
        let listener = Closure::<dyn FnMut(CustomEvent)>::new(move |event: CustomEvent| {
            log.borrow_mut().push((event.type_(), event.detail()));
        });
        let kinds = comeback::widgets::WidgetKind::ALL.iter();
        let names = comeback::events::SHARED
            .iter()
            .chain(kinds.flat_map(|kind| kind.events()))
            .map(|event| event.name);
        for name in names {
            document()
                .add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())
                .unwrap();
        }
        Fixture {
            host,
            shadow,
            events,
            _listener: listener,
        }
    }

    fn mount(&self, config: &str) -> MountHandle {
        self.mount_kind("loyalty", config)
    }

    fn mount_kind(&self, kind: &str, config: &str) -> MountHandle {
        comeback::mount(
            kind,
            self.shadow.clone(),
            self.host.clone(),
            settings(kind, config),
        )
        .map_err(JsValue::from)
        .unwrap()
    }

    fn find(&self, selector: &str) -> Option<Element> {
        self.shadow.query_selector(selector).unwrap()
    }

    fn click(&self, selector: &str) {
        self.find(selector)
            .unwrap_or_else(|| panic!("nothing matches {selector}"))
            .unchecked_into::<HtmlElement>()
            .click();
    }

    fn text(&self, selector: &str) -> String {
        self.find(selector)
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    }

    fn fired(&self, name: &str) -> Vec<JsValue> {
        self.events
            .borrow()
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, d)| d.clone())
            .collect()
    }

    /// Waits until the button `selector` can be pressed, then presses it.
    async fn press_when_enabled(&self, selector: &str) {
        self.until(selector, |f| {
            f.find(selector)
                .is_some_and(|button| !button.has_attribute("disabled"))
        })
        .await;
        self.click(selector);
    }

    async fn until(&self, what: &str, check: impl Fn(&Fixture) -> bool) {
        for _ in 0..200 {
            if check(self) {
                return;
            }
            TimeoutFuture::new(10).await;
        }
        panic!("timed out waiting for {what}");
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        self.host.remove();
    }
}

/// What the loader passes to `mount`: `config` plus the catalogue the loader would have
/// fetched for the negotiated locale (the shared strings and the kind's).
fn settings(kind: &str, config: &str) -> JsValue {
    let value = js_sys::JSON::parse(config).unwrap();
    if !value.is_object() {
        return value;
    }
    let locales = get(&value, "locales");
    let tags: Vec<String> = if js_sys::Array::is_array(&locales) {
        js_sys::Array::from(&locales)
            .iter()
            .filter_map(|tag| tag.as_string())
            .collect()
    } else {
        Vec::new()
    };
    let locale =
        comeback_core::Locale::negotiate(tags.iter().map(String::as_str)).unwrap_or_default();
    let catalogue = js_sys::Object::new();
    let kind = comeback::widgets::WidgetKind::parse(kind).unwrap();
    for key in comeback::i18n::ALL.iter().chain(kind.strings()) {
        Reflect::set(&catalogue, &key.key().into(), &key.shipped(locale).into()).unwrap();
    }
    Reflect::set(&value, &"catalogue".into(), &catalogue).unwrap();
    value
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap()
}

const SIGNED_IN: &str = r#"{"shop": "demo", "api": "https://api.test", "token": "t0k",
  "locales": ["en-GB"], "attrs": {}}"#;

/// JSON-quotes a JSON text so it can travel as a string inside the routes table.
fn quoted(json: &str) -> String {
    js_sys::JSON::stringify(&JsValue::from_str(json))
        .unwrap()
        .into()
}

fn routes() -> String {
    format!(
        r#"{{"GET /loyalty/me": [200, {}], "POST /loyalty/redemptions": [201, {}]}}"#,
        quoted(ME),
        quoted(REDEMPTION)
    )
}

#[wasm_bindgen_test]
async fn mounts_into_the_shadow_root_and_shows_the_balance() {
    script_fetch(&routes());
    let fixture = Fixture::new();
    let _handle = fixture.mount(SIGNED_IN);
    fixture
        .until("the balance", |f| f.text("[part=balance]").contains("620"))
        .await;
    assert_eq!(fixture.text("[part=balance]"), "620 points");
    assert_eq!(fixture.text("[part=tier-badge]"), "Tea Bud");
    assert!(fixture
        .text("[part=progress]")
        .contains("750 points to Full Bloom"));
    // The widget lives only in the shadow root: nothing leaked into the page.
    assert!(document().query_selector(".cb-root").unwrap().is_none());
    assert_eq!(fixture.host.children().length(), 0);
    // Styles are adopted sheets, never inline style attributes.
    assert!(fixture.find("[style]").is_none());
    assert_eq!(fixture.shadow.adopted_style_sheets().length(), 3);
    // The token went in the Authorization header, never in the URL.
    let requests = get(&web_sys::window().unwrap(), "__requests");
    let first = Reflect::get_u32(&requests, 0).unwrap();
    assert_eq!(get(&first, "auth").as_string().unwrap(), "Bearer t0k");
    assert!(!get(&first, "url").as_string().unwrap().contains("t0k"));
    let loaded = fixture.fired("comeback:loyalty:loaded");
    assert_eq!(get(&loaded[0], "balance").as_f64(), Some(620.0));
    assert_eq!(get(&loaded[0], "tier").as_string().as_deref(), Some("bud"));
    let early = js_sys::Array::from(&get(&loaded[0], "early_access_products"));
    assert_eq!(early.length(), 0);
}

#[wasm_bindgen_test]
async fn theme_variables_reach_the_widget() {
    script_fetch(&routes());
    let fixture = Fixture::new();
    let _handle = fixture.mount(
        r#"{"shop": "demo", "api": "https://api.test", "token": "t0k", "locales": ["en"],
            "attrs": {"theme": "dark"},
            "appearance": {"variables": {"--comeback-color-accent": "rgb(200, 10, 20)"}}}"#,
    );
    fixture
        .until("the tier badge", |f| f.find("[part=tier-badge]").is_some())
        .await;
    let window = web_sys::window().unwrap();
    let badge = fixture.find("[part=tier-badge]").unwrap();
    let style = window.get_computed_style(&badge).unwrap().unwrap();
    assert_eq!(
        style.get_property_value("background-color").unwrap(),
        "rgb(200, 10, 20)"
    );
    let root = fixture.find(".cb-root").unwrap();
    assert!(root.class_list().contains("cb-root--dark"));
    let root_style = window.get_computed_style(&root).unwrap().unwrap();
    // Dark theme default surface from theme.css.
    assert_eq!(
        root_style.get_property_value("background-color").unwrap(),
        "rgb(24, 32, 28)"
    );
}

#[wasm_bindgen_test]
async fn switching_locale_rerenders_without_refetching() {
    script_fetch(&routes());
    let fixture = Fixture::new();
    let mut handle = fixture.mount(SIGNED_IN);
    fixture
        .until("english", |f| f.text("[part=tier-badge]") == "Tea Bud")
        .await;
    handle.update(settings("loyalty", r#"{"shop": "demo", "api": "https://api.test", "token": "t0k", "locales": ["zh-CN"], "attrs": {}}"#));
    fixture
        .until("chinese", |f| f.text("[part=tier-badge]") == "嫩芽")
        .await;
    assert_eq!(fixture.text("[part=balance]"), "620 积分");
    assert!(fixture.text("[part=rewards]").contains("兑换奖励"));
    assert_eq!(
        fixture
            .find(".cb-root")
            .unwrap()
            .get_attribute("lang")
            .as_deref(),
        Some("zh-Hans")
    );
    let requests = js_sys::Array::from(&get(&web_sys::window().unwrap(), "__requests"));
    let summaries = requests
        .iter()
        .filter(|r| {
            get(r, "url")
                .as_string()
                .is_some_and(|url| url.ends_with("/loyalty/me"))
        })
        .count();
    assert_eq!(summaries, 1, "locale switch must not refetch");
}

#[wasm_bindgen_test]
async fn redeeming_confirms_then_shows_the_code_and_fires_the_event() {
    script_fetch(&routes());
    let fixture = Fixture::new();
    let _handle = fixture.mount(SIGNED_IN);
    fixture
        .until("redeem button", |f| {
            f.find("[part=redeem-button]").is_some()
        })
        .await;
    fixture.click("[part=redeem-button]");
    fixture
        .until("confirmation", |f| {
            f.find("[part=confirm-button]").is_some()
        })
        .await;
    assert!(fixture
        .text("[part=confirm]")
        .contains("Spend 500 points on ¥10 off?"));
    fixture.click("[part=confirm-button]");
    fixture
        .until("the code", |f| {
            f.text("[part=code-value]") == "TEA-ABCD-EFGH"
        })
        .await;
    assert_eq!(fixture.text("[part=balance]"), "120 points");
    let redeemed = fixture.fired("comeback:loyalty:redeemed");
    assert_eq!(redeemed.len(), 1);
    assert_eq!(
        get(&redeemed[0], "code").as_string().unwrap(),
        "TEA-ABCD-EFGH"
    );
    let post = first_post();
    assert!(get(&post, "key")
        .as_string()
        .is_some_and(|k| is_uuid_v4(&k)));
    assert_eq!(
        get(&post, "body").as_string().unwrap(),
        r#"{"reward_id":"off-10"}"#
    );
}

#[wasm_bindgen_test]
async fn insufficient_points_is_explained_and_nothing_changes() {
    script_fetch(&format!(
        r#"{{"GET /loyalty/me": [200, {}], "POST /loyalty/redemptions": [409, "{{\"error\":{{\"code\":\"insufficient_points\",\"message\":\"needs 500\",\"request_id\":\"r1\"}}}}"]}}"#,
        quoted(ME)
    ));
    let fixture = Fixture::new();
    let _handle = fixture.mount(SIGNED_IN);
    fixture
        .until("redeem button", |f| {
            f.find("[part=redeem-button]").is_some()
        })
        .await;
    fixture.click("[part=redeem-button]");
    fixture
        .until("confirm", |f| f.find("[part=confirm-button]").is_some())
        .await;
    fixture.click("[part=confirm-button]");
    fixture
        .until("the explanation", |f| {
            f.text("[part=confirm]").contains("not have enough points")
        })
        .await;
    assert_eq!(fixture.text("[part=balance]"), "620 points");
    let errors = fixture.fired("comeback:error");
    assert_eq!(
        get(&errors[0], "code").as_string().unwrap(),
        "insufficient_points"
    );
}

#[wasm_bindgen_test]
async fn a_failing_api_shows_the_fallback_and_fires_an_error() {
    script_fetch("{}");
    let fixture = Fixture::new();
    let _handle = fixture.mount(SIGNED_IN);
    fixture
        .until("the fallback", |f| f.find("[part=fallback]").is_some())
        .await;
    assert!(fixture
        .text("[part=fallback]")
        .contains("unavailable right now"));
    let errors = fixture.fired("comeback:error");
    assert!(!errors.is_empty());
    assert_eq!(get(&errors[0], "widget").as_string().unwrap(), "loyalty");
    assert_eq!(get(&errors[0], "code").as_string().unwrap(), "network");
    // Reads were retried before giving up.
    let requests = js_sys::Array::from(&get(&web_sys::window().unwrap(), "__requests"));
    assert_eq!(requests.length(), comeback::api::READ_ATTEMPTS);
}

#[wasm_bindgen_test]
async fn signed_out_shoppers_see_the_invitation_with_safe_links() {
    script_fetch(
        r#"{"GET /loyalty/programme": [200, "{\"shop_name\":\"Cloud & Leaf Tea\",\"currency\":\"CNY\",\"tiers\":[],\"rewards\":[],\"ways_to_earn\":[{\"kind\":\"order\",\"points_per_unit\":2}],\"join_url\":\"/join\"}"]}"#,
    );
    let fixture = Fixture::new();
    let _handle = fixture.mount(
        r#"{"shop": "demo", "api": "https://api.test", "locales": ["en"],
            "attrs": {"signin-url": "javascript:alert(1)"}}"#,
    );
    fixture
        .until("the invitation", |f| f.find("[part=join]").is_some())
        .await;
    assert!(fixture
        .text("[part=join]")
        .contains("Join Cloud & Leaf Tea Rewards"));
    assert_eq!(
        fixture
            .find("[part=join-button]")
            .unwrap()
            .get_attribute("href"),
        Some(page_origin() + "/join")
    );
    let signin = fixture.find("[part=signin-button]").unwrap();
    assert_eq!(signin.get_attribute("href").as_deref(), Some("#"));
    assert!(fixture
        .text("[part=ways-to-earn]")
        .contains("Earn 2 points for every"));
}

#[wasm_bindgen_test]
async fn a_bad_configuration_shows_a_fallback_and_can_be_fixed() {
    script_fetch(&routes());
    let fixture = Fixture::new();
    let mut handle = fixture.mount(r#"{"api": "https://api.test"}"#);
    assert!(fixture.find("[part~=fallback]").is_some());
    let errors = fixture.fired("comeback:error");
    assert_eq!(get(&errors[0], "code").as_string().unwrap(), "config");
    handle.update(settings("loyalty", SIGNED_IN));
    fixture
        .until("the balance", |f| f.text("[part=balance]").contains("620"))
        .await;
}

#[wasm_bindgen_test]
async fn unmount_removes_the_widget() {
    script_fetch(&routes());
    let fixture = Fixture::new();
    let mut handle = fixture.mount(SIGNED_IN);
    fixture
        .until("the balance", |f| f.find("[part=balance]").is_some())
        .await;
    handle.unmount();
    assert!(fixture.find(".cb-root").is_none());
}

#[wasm_bindgen_test]
async fn focus_follows_the_redemption_flow_and_nodes_survive_rerenders() {
    script_fetch(&routes());
    let fixture = Fixture::new();
    let mut handle = fixture.mount(SIGNED_IN);
    fixture
        .until("redeem button", |f| {
            f.find("[part=redeem-button]").is_some()
        })
        .await;
    let balance = fixture.find("[part=balance]").unwrap();
    let focused = |f: &Fixture| {
        f.shadow
            .active_element()
            .and_then(|e| e.get_attribute("part"))
            .unwrap_or_default()
    };
    fixture.click("[part=redeem-button]");
    fixture
        .until("focus on confirm", |f| focused(f) == "confirm-button")
        .await;
    fixture.click("[part=cancel-button]");
    fixture
        .until("focus back on the reward", |f| {
            focused(f) == "redeem-button"
        })
        .await;
    assert!(fixture.find("[part=confirm]").is_none());
    // Re-rendering for a new locale updates the same nodes rather than replacing them.
    handle.update(settings("loyalty", r#"{"shop": "demo", "api": "https://api.test", "token": "t0k", "locales": ["zh-TW"], "attrs": {}}"#));
    fixture
        .until("traditional chinese", |f| {
            f.text("[part=balance]") == "620 積分"
        })
        .await;
    assert!(fixture
        .find("[part=balance]")
        .is_some_and(|now| now.is_same_node(Some(&balance))));
}

#[wasm_bindgen_test]
async fn after_a_panic_every_widget_shows_the_fallback_in_its_language() {
    script_fetch(&routes());
    let english = Fixture::new();
    let _first = english.mount(SIGNED_IN);
    let chinese = Fixture::new();
    let _second = chinese.mount(
        r#"{"shop": "demo", "api": "https://api.test", "token": "t0k", "locales": ["zh-Hans"], "attrs": {}}"#,
    );
    english
        .until("english balance", |f| f.find("[part=balance]").is_some())
        .await;
    chinese
        .until("chinese balance", |f| f.find("[part=balance]").is_some())
        .await;
    comeback::embed::after_panic("boom");
    assert!(english.text(".cb-mount").contains("unavailable right now"));
    assert!(chinese.text(".cb-mount").contains("服务暂时不可用"));
    let errors = english.fired("comeback:error");
    let panic = errors
        .iter()
        .find(|d| get(d, "code").as_string().as_deref() == Some("panic"))
        .expect("a panic error event");
    assert_eq!(get(panic, "message").as_string().unwrap(), "boom");
}

/// A shopper of a deeper programme: tiers by money spent over the calendar year with
/// perks and a hold, a stamp card, points at checkout, a member-only and an
/// early-access reward, no birthday yet.
const ME_DEEP: &str = r#"{
  "customer_id": "c-2", "balance": 620, "lifetime_points": 1250, "currency": "CNY",
  "tier": {"current": "bud", "next": "bloom", "points_to_next": 75000, "percent": 40},
  "tier_basis": "money_spent", "tier_window": "calendar_year", "qualifying_total": 125000,
  "tier_held_until": "2027-12-31",
  "tiers": [
    {"id": "leaf", "name": {"en": "Green Leaf"}, "threshold": 0},
    {"id": "bud", "name": {"en": "Tea Bud"}, "threshold": 50000,
     "perks": {"points_multiplier_percent": 125, "free_shipping": false, "birthday_bonus": 0, "exclusive_rewards": []}},
    {"id": "bloom", "name": {"en": "Full Bloom"}, "threshold": 200000,
     "perks": {"points_multiplier_percent": 150, "free_shipping": true, "birthday_bonus": 100, "exclusive_rewards": ["bloom-tin"]}}
  ],
  "rewards": [
    {"id": "points", "name": {"en": "Pay with points"}, "kind": "points_at_checkout", "value": 100, "cost": 100, "max_points": 5000, "affordable": true},
    {"id": "bloom-tin", "name": {"en": "Collector's tin"}, "kind": "free_product", "product_id": "tin", "value": 0, "cost": 300, "affordable": true, "tiers": ["bloom"], "eligible": false},
    {"id": "new-harvest", "name": {"en": "New harvest sampler"}, "kind": "free_product", "product_id": "sampler", "value": 0, "cost": 400, "affordable": true, "tiers": ["bloom"], "early_access_until": "2027-03-01", "eligible": false}
  ],
  "punch_cards": [
    {"id": "tea", "name": {"en": "Buy 5 teas, the 6th is on us"}, "reward_id": "free-tea", "reward_name": {"en": "a free 50 g tea"},
     "required": 5, "filled": 3, "rewards_earned": 1, "min_spend": 5000, "window_days": 90, "complete_by": "2027-02-01"}
  ],
  "ways_to_earn": [{"kind": "order", "points_per_unit": 1}, {"kind": "birthday", "points": 200}, {"kind": "anniversary", "points": 150}],
  "history": [
    {"id": "e9", "kind": "returned", "points": 500, "reference": "TEA-OLD1-CODE", "created_at": 1760000300},
    {"id": "e8", "kind": "order_paid", "points": 125, "reference": "A-7", "reward_name": {"en": "Tea Bud"}, "created_at": 1760000200}
  ],
  "codes": [],
  "early_access_products": ["mingqian-longjing-2027"]
}"#;

fn deep_routes(extra: &str) -> String {
    format!(
        r#"{{"GET /loyalty/me": [200, {}]{extra}}}"#,
        quoted(ME_DEEP)
    )
}

fn requests() -> js_sys::Array {
    js_sys::Array::from(&get(&web_sys::window().unwrap(), "__requests"))
}

/// How many requests of `method` the page has made so far.
fn count_requests(method: &str) -> usize {
    requests()
        .iter()
        .filter(|r| get(r, "method").as_string().as_deref() == Some(method))
        .count()
}

/// The `n`-th recorded request (from 0) with `method`.
fn nth_request(method: &str, n: usize) -> JsValue {
    requests()
        .iter()
        .filter(|r| get(r, "method").as_string().as_deref() == Some(method))
        .nth(n)
        .unwrap_or_else(|| panic!("no {method} request number {n}"))
}

fn first_post() -> JsValue {
    nth_request("POST", 0)
}

/// Sets a form control's value as a shopper would and fires `event` on it.
fn set_value(element: Element, value: &str, event: &str) {
    Reflect::set(&element, &"value".into(), &value.into()).unwrap();
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict(event, &init).unwrap();
    element.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn tier_progress_by_money_shows_the_hold_and_the_perks() {
    script_fetch(&deep_routes(""));
    let fixture = Fixture::new();
    let _handle = fixture.mount(SIGNED_IN);
    fixture
        .until("the progress", |f| f.find("[part=progress]").is_some())
        .await;
    let progress = fixture.text("[part=progress]");
    assert!(
        progress.contains("Spend ¥750.00 more to reach Full Bloom"),
        "{progress}"
    );
    assert!(fixture
        .text("[part=tier-held]")
        .contains("Tea Bud status is kept until"));
    let perks = fixture.text("[part=perks]");
    assert!(
        perks.contains("Your perks: 1.25× points on orders"),
        "{perks}"
    );
    assert!(perks.contains(
        "Full Bloom brings: 1.5× points on orders, free shipping on every order, 100 points extra on your birthday, members-only rewards"
    ));
    let earn = fixture.text("[part=ways-to-earn]");
    assert!(earn.contains("Birthday gift: 200 points"), "{earn}");
    assert!(earn.contains("Each anniversary of your first order: 150 points"));
    assert!(fixture
        .text("[part=history]")
        .contains("Points back: code TEA-OLD1-CODE was not used"));
    assert!(fixture
        .text("[part=history]")
        .contains("Order A-7 · Tea Bud bonus included"));
    let loaded = fixture.fired("comeback:loyalty:loaded");
    let early = js_sys::Array::from(&get(&loaded[0], "early_access_products"));
    assert_eq!(
        early.get(0).as_string().as_deref(),
        Some("mingqian-longjing-2027")
    );
}

#[wasm_bindgen_test]
async fn stamp_cards_show_stamps_filled_and_left() {
    script_fetch(&deep_routes(""));
    let fixture = Fixture::new();
    let _handle = fixture.mount(SIGNED_IN);
    fixture
        .until("the card", |f| f.find("[part=punch-card]").is_some())
        .await;
    let stamps = fixture.shadow.query_selector_all("[part~=stamp]").unwrap();
    let filled = fixture
        .shadow
        .query_selector_all("[part~=stamp-filled]")
        .unwrap();
    assert_eq!((stamps.length(), filled.length()), (5, 3));
    let card = fixture.text("[part=punch-card]");
    assert!(card.contains("3 of 5 stamps"), "{card}");
    assert!(card.contains("2 more to get a free 50 g tea"), "{card}");
    assert!(card.contains("Each order of ¥50.00 or more earns a stamp"));
    assert!(card.contains("Cards filled: 1"));
}

#[wasm_bindgen_test]
async fn points_at_checkout_spends_the_amount_chosen_on_the_slider() {
    let redemption = r#"{"code": "TEA-PNTS-0400", "reward_id": "points", "kind": "points_at_checkout",
      "value": 400, "points_spent": 400, "balance": 220, "expires_at": 1790000000}"#;
    script_fetch(&deep_routes(&format!(
        r#", "POST /loyalty/redemptions": [201, {}]"#,
        quoted(redemption)
    )));
    let fixture = Fixture::new();
    let _handle = fixture.mount(SIGNED_IN);
    fixture
        .until("redeem", |f| {
            f.find("[data-reward=points] [part=redeem-button]")
                .is_some()
        })
        .await;
    fixture.click("[data-reward=points] [part=redeem-button]");
    fixture
        .until("the slider", |f| f.find("[part=points-slider]").is_some())
        .await;
    let slider = fixture.find("[part=points-slider]").unwrap();
    // From one step up to the whole steps the balance of 620 covers.
    assert_eq!(slider.get_attribute("min").as_deref(), Some("100"));
    assert_eq!(slider.get_attribute("max").as_deref(), Some("600"));
    assert_eq!(slider.get_attribute("step").as_deref(), Some("100"));
    set_value(slider, "400", "input");
    fixture
        .until("the chosen amount", |f| {
            f.text("[part=confirm]")
                .contains("Spend 400 points for ¥4.00 off?")
        })
        .await;
    fixture.click("[part=confirm-button]");
    fixture
        .until("the code", |f| {
            f.text("[part=code-value]") == "TEA-PNTS-0400"
        })
        .await;
    let post = first_post();
    assert_eq!(
        get(&post, "body").as_string().unwrap(),
        r#"{"reward_id":"points","points":400}"#
    );
    assert_eq!(fixture.text("[part=balance]"), "220 points");
}

#[wasm_bindgen_test]
async fn member_only_and_early_access_rewards_say_who_may_redeem() {
    script_fetch(&deep_routes(""));
    let fixture = Fixture::new();
    let _handle = fixture.mount(SIGNED_IN);
    fixture
        .until("rewards", |f| f.find("[data-reward=bloom-tin]").is_some())
        .await;
    assert!(fixture
        .find("[data-reward=bloom-tin] [part=redeem-button]")
        .is_none());
    assert_eq!(
        fixture.text("[data-reward=bloom-tin] [part=reward-locked]"),
        "For Full Bloom members"
    );
    let early = fixture.text("[data-reward=new-harvest] [part=reward-locked]");
    assert!(
        early.starts_with("Full Bloom members first; open to all after"),
        "{early}"
    );
}

#[wasm_bindgen_test]
async fn birthday_and_contact_preferences_are_asked_once_and_saved() {
    let birthday =
        r#"{"birthday": "--03-14", "set_on": "2026-11-24", "first_reward_on": "2027-03-14"}"#;
    let unset = r#"{"contact_channel": null, "marketing_consent": null, "updated_at": null}"#;
    let saved = r#"{"contact_channel": "sms", "marketing_consent": true, "updated_at": 5}"#;
    script_fetch(&deep_routes(&format!(
        r#", "PUT /loyalty/me/birthday": [200, {}], "GET /loyalty/me/preferences": [200, {}], "PUT /loyalty/me/preferences": [200, {}]"#,
        quoted(birthday),
        quoted(unset),
        quoted(saved)
    )));
    let fixture = Fixture::new();
    let _handle = fixture.mount(SIGNED_IN);
    fixture
        .until("both forms", |f| {
            f.find("[part=birthday-form]").is_some() && f.find("[part=contact-form]").is_some()
        })
        .await;
    assert!(fixture
        .text("[part=birthday-form]")
        .contains("gift of 200 points every year"));
    let save = fixture.find("[part=birthday-save]").unwrap();
    assert!(save.has_attribute("disabled"), "nothing picked yet");
    set_value(
        fixture.find("[part=birthday-month]").unwrap(),
        "3",
        "change",
    );
    set_value(fixture.find("[part=birthday-day]").unwrap(), "14", "change");
    fixture.press_when_enabled("[part=birthday-save]").await;
    fixture
        .until("the birthday", |f| f.find("[part=birthday]").is_some())
        .await;
    assert!(fixture
        .text("[part=birthday]")
        .contains("Birthday: March 14"));
    assert!(fixture.find("[part=birthday-form]").is_none());
    let put = nth_request("PUT", 0);
    assert_eq!(
        get(&put, "body").as_string().unwrap(),
        r#"{"birthday":"--03-14"}"#
    );
    assert_eq!(fixture.fired("comeback:loyalty:birthday-saved").len(), 1);

    fixture.click("[part=contact-form] input[value=sms]");
    fixture.click("[part=consent]");
    fixture.press_when_enabled("[part=contact-save]").await;
    fixture
        .until("the summary", |f| f.find("[part=contact]").is_some())
        .await;
    assert!(fixture
        .text("[part=contact]")
        .contains("Contact: Text message"));
    assert!(fixture
        .text("[part=contact]")
        .contains("Offers and news: yes"));
    let put = nth_request("PUT", 1);
    assert_eq!(
        get(&put, "body").as_string().unwrap(),
        r#"{"contact_channel":"sms","marketing_consent":true}"#
    );
    assert_eq!(fixture.fired("comeback:loyalty:preferences-saved").len(), 1);
}

#[wasm_bindgen_test]
async fn the_launcher_shows_the_balance_opens_its_panel_and_gives_focus_back() {
    script_fetch(&routes());
    let fixture = Fixture::new();
    let handle = fixture.mount_kind("launcher", SIGNED_IN);
    fixture
        .until("the balance on the button", |f| {
            f.text("[part=launcher-balance]") == "620 points"
        })
        .await;
    let dialog: web_sys::HtmlDialogElement = fixture.find("[part=panel]").unwrap().unchecked_into();
    assert!(!dialog.open());
    fixture.click("[part=launcher-button]");
    fixture.until("the panel", |_| dialog.open()).await;
    assert_eq!(
        fixture.host.get_attribute("open").as_deref(),
        Some("rewards")
    );
    assert!(fixture.find("[role=tabpanel] comeback-loyalty").is_some());
    let tab = fixture.find("[role=tab][data-tab=rewards]").unwrap();
    assert_eq!(tab.get_attribute("aria-selected").as_deref(), Some("true"));
    assert_eq!(fixture.fired("comeback:launcher:open").len(), 1);
    fixture.click("[part=close-button]");
    fixture.until("closed", |_| !dialog.open()).await;
    fixture
        .until("focus back on the button", |f| {
            f.shadow
                .active_element()
                .and_then(|e| e.get_attribute("part"))
                .as_deref()
                == Some("launcher-button")
        })
        .await;
    assert!(!fixture.host.has_attribute("open"));
    assert_eq!(fixture.fired("comeback:launcher:close").len(), 1);
    // A click outside the panel lands on the dialog's backdrop and closes it too.
    fixture.click("[part=launcher-button]");
    fixture.until("open again", |_| dialog.open()).await;
    dialog.click();
    fixture
        .until("closed by the backdrop", |_| !dialog.open())
        .await;
    drop(handle);
}

#[wasm_bindgen_test]
async fn the_launcher_moves_up_clear_of_the_pages_checkout_bar() {
    script_fetch(&routes());
    let bar: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    bar.set_attribute("data-comeback-avoid", "").unwrap();
    bar.set_attribute(
        "style",
        "position:fixed;left:0;right:0;bottom:0;height:72px;background:#333",
    )
    .unwrap();
    document().body().unwrap().append_child(&bar).unwrap();
    let fixture = Fixture::new();
    let _handle = fixture.mount_kind("launcher", SIGNED_IN);
    let clear = |f: &Fixture| {
        let button = f.host.get_bounding_client_rect();
        let obstacle = bar.get_bounding_client_rect();
        button.height() > 0.0 && button.bottom() <= obstacle.top()
    };
    fixture.until("the button above the bar", clear).await;
    bar.remove();
    web_sys::window()
        .unwrap()
        .dispatch_event(&web_sys::Event::new("resize").unwrap())
        .unwrap();
    let window_height = web_sys::window()
        .unwrap()
        .inner_height()
        .unwrap()
        .as_f64()
        .unwrap();
    fixture
        .until("the button back down", |f| {
            f.host.get_bounding_client_rect().bottom() > window_height - 40.0
        })
        .await;
}

#[wasm_bindgen_test]
async fn preferences_in_the_summary_need_no_second_request() {
    let me = ME.replacen(
        r#""codes": [],"#,
        r#""codes": [], "preferences": {"contact_channel": "sms", "marketing_consent": false, "updated_at": 3},"#,
        1,
    );
    script_fetch(&format!(r#"{{"GET /loyalty/me": [200, {}]}}"#, quoted(&me)));
    let fixture = Fixture::new();
    let _handle = fixture.mount(SIGNED_IN);
    fixture
        .until("the contact summary", |f| {
            f.find("[part=contact]").is_some()
        })
        .await;
    assert!(fixture
        .text("[part=contact]")
        .contains("Contact: Text message"));
    assert!(fixture
        .text("[part=contact]")
        .contains("Offers and news: no"));
    let asked = requests().iter().any(|r| {
        get(&r, "url")
            .as_string()
            .is_some_and(|url| url.ends_with("/preferences"))
    });
    assert!(!asked, "the summary carried the preferences");
}

// Embed hardening (issue 7): settings from own properties only, one link check, keys
// from `crypto.randomUUID()`, nothing calling into a dead instance.

/// The page's origin, against which relative links resolve.
fn page_origin() -> String {
    web_sys::window().unwrap().location().origin().unwrap()
}

/// `xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`, lower-case hex.
fn is_uuid_v4(key: &str) -> bool {
    let groups: Vec<&str> = key.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        && groups[2].starts_with('4')
        && groups[3].starts_with(['8', '9', 'a', 'b'])
}

/// Puts `names` (with a hostile value each) on `Object.prototype` until dropped, as a
/// host page with a prototype-pollution bug would.
struct Polluted(Vec<&'static str>);

impl Polluted {
    fn new(pairs: &[(&'static str, JsValue)]) -> Polluted {
        let prototype =
            Reflect::get(&js_sys::Object::new().constructor(), &"prototype".into()).unwrap();
        for (name, value) in pairs {
            Reflect::set(&prototype, &JsValue::from_str(name), value).unwrap();
        }
        Polluted(pairs.iter().map(|(name, _)| *name).collect())
    }
}

impl Drop for Polluted {
    fn drop(&mut self) {
        let prototype =
            Reflect::get(&js_sys::Object::new().constructor(), &"prototype".into()).unwrap();
        for name in &self.0 {
            Reflect::delete_property(
                prototype.unchecked_ref::<js_sys::Object>(),
                &JsValue::from_str(name),
            )
            .unwrap();
        }
    }
}

const PROGRAMME: &str = r#"{"shop_name":"Cloud & Leaf Tea","currency":"CNY","tiers":[],"rewards":[],"ways_to_earn":[]}"#;

#[wasm_bindgen_test]
async fn a_polluted_object_prototype_changes_no_setting_and_no_answer() {
    script_fetch(&format!(
        r#"{{"GET /loyalty/programme": [200, {}]}}"#,
        quoted(PROGRAMME)
    ));
    let evil = JsValue::from_str("https://evil.example/steal");
    let polluted = Polluted::new(&[
        ("api", evil.clone()),
        ("token", "stolen".into()),
        ("theme", "dark".into()),
        ("join_url", evil.clone()),
        ("signin_url", evil.clone()),
        ("join-url", evil.clone()),
        ("signin-url", evil.clone()),
        ("rules", ":host{display:none}".into()),
    ]);
    let fixture = Fixture::new();
    // No api, no token, no theme, no links of its own: only the prototype has them.
    let _handle =
        fixture.mount(r#"{"shop": "demo", "locales": ["en"], "attrs": {}, "appearance": {}}"#);
    fixture
        .until("the invitation", |f| f.find("[part=join]").is_some())
        .await;
    let request = nth_request("GET", 0);
    let url = get(&request, "url").as_string().unwrap();
    assert!(url.starts_with(&page_origin()), "{url}");
    assert!(get(&request, "auth").is_null(), "the token went out");
    assert!(fixture
        .find(".cb-root")
        .unwrap()
        .class_list()
        .contains("cb-root--light"));
    for part in ["[part=join-button]", "[part=signin-button]"] {
        let href = fixture.find(part).unwrap().get_attribute("href").unwrap();
        assert!(!href.contains("evil"), "{part} points at {href}");
    }
    drop(polluted);
}

#[wasm_bindgen_test]
async fn settings_without_a_prototype_are_read() {
    script_fetch(&routes());
    let fixture = Fixture::new();
    let config: js_sys::Object = js_sys::Object::create(JsValue::NULL.unchecked_ref());
    let parsed = settings("loyalty", SIGNED_IN);
    js_sys::Object::assign(&config, parsed.unchecked_ref());
    let _handle = comeback::mount(
        "loyalty",
        fixture.shadow.clone(),
        fixture.host.clone(),
        config.into(),
    )
    .map_err(JsValue::from)
    .unwrap();
    fixture
        .until("the balance", |f| f.text("[part=balance]").contains("620"))
        .await;
}

#[wasm_bindgen_test]
fn links_resolve_against_the_page_and_paths_stay_on_it() {
    use comeback::config::safe_link;
    let origin = page_origin();
    for hostile in [
        "/\\evil.example/x",
        "/\t/evil.example",
        "//evil.example",
        "\\\\evil.example",
        " //evil.example/x",
        "javascript:alert(1)",
        "java\tscript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<p>x</p>",
        "vbscript:x",
        "",
        "   ",
    ] {
        assert_eq!(safe_link(hostile), None, "{hostile:?} was let through");
    }
    assert_eq!(safe_link(" /account "), Some(origin.clone() + "/account"));
    assert_eq!(
        safe_link("/a/../join?x=1#y"),
        Some(origin.clone() + "/join?x=1#y")
    );
    assert!(safe_link("#top").is_some_and(|l| l.starts_with(&origin) && l.ends_with("#top")));
    assert!(safe_link("join.html").is_some_and(|l| l.starts_with(&origin)));
    // An absolute http(s) URL the shop wrote may point elsewhere (its own account site).
    assert_eq!(
        safe_link("https://accounts.shop.example/join").as_deref(),
        Some("https://accounts.shop.example/join")
    );
    assert_eq!(
        safe_link("HTTP://shop.example/a").as_deref(),
        Some("http://shop.example/a")
    );
}

#[wasm_bindgen_test]
async fn attribute_and_programme_links_go_through_the_same_check() {
    let programme = r#"{"shop_name":"Cloud & Leaf Tea","currency":"CNY","tiers":[],"rewards":[],"ways_to_earn":[],"join_url":"//evil.example/join","signin_url":"/account"}"#;
    script_fetch(&format!(
        r#"{{"GET /loyalty/programme": [200, {}]}}"#,
        quoted(programme)
    ));
    let fixture = Fixture::new();
    let _handle = fixture.mount(
        r#"{"shop": "demo", "api": "https://api.test", "locales": ["en"],
            "attrs": {"signin-url": "/\\evil.example/x"}}"#,
    );
    fixture
        .until("the invitation", |f| f.find("[part=join]").is_some())
        .await;
    let href = |part: &str| fixture.find(part).unwrap().get_attribute("href").unwrap();
    // The attribute is refused, so the programme's own sign-in page is used.
    assert_eq!(href("[part=signin-button]"), page_origin() + "/account");
    // The programme's join link would leave the site: refused too.
    assert!(!href("[part=join-button]").contains("evil"));
}

#[wasm_bindgen_test]
fn idempotency_keys_are_random_v4_uuids() {
    let first = comeback::api::new_idempotency_key();
    let second = comeback::api::new_idempotency_key();
    assert!(is_uuid_v4(&first), "{first}");
    assert!(is_uuid_v4(&second), "{second}");
    assert_ne!(first, second);
}

#[wasm_bindgen_test]
async fn a_retry_sends_the_same_key_and_a_new_attempt_a_new_one() {
    // No answer for the POST: it fails like a dropped connection.
    script_fetch(&format!(r#"{{"GET /loyalty/me": [200, {}]}}"#, quoted(ME)));
    let fixture = Fixture::new();
    let _handle = fixture.mount(SIGNED_IN);
    fixture
        .until("redeem button", |f| {
            f.find("[part=redeem-button]").is_some()
        })
        .await;
    fixture.click("[part=redeem-button]");
    fixture.press_when_enabled("[part=confirm-button]").await;
    fixture
        .until("the retry button", |f| {
            f.text("[part=confirm-button]") == "Try again"
        })
        .await;
    fixture.click("[part=confirm-button]");
    fixture
        .until("the second attempt", |_| count_requests("POST") == 2)
        .await;
    fixture
        .until("the retry button again", |f| {
            f.text("[part=confirm-button]") == "Try again"
        })
        .await;
    fixture.click("[part=cancel-button]");
    fixture
        .until("the flow closed", |f| f.find("[part=confirm]").is_none())
        .await;
    fixture.click("[part=redeem-button]");
    fixture
        .until("a fresh confirmation", |f| {
            f.text("[part=confirm-button]") == "Confirm"
        })
        .await;
    fixture.click("[part=confirm-button]");
    fixture
        .until("the third attempt", |_| count_requests("POST") == 3)
        .await;
    let key = |n| get(&nth_request("POST", n), "key").as_string().unwrap();
    assert!(is_uuid_v4(&key(0)));
    assert_eq!(key(0), key(1), "a retry must repeat the key");
    assert_ne!(key(1), key(2), "a new attempt must get a new key");
}

#[wasm_bindgen_test]
async fn after_a_panic_nothing_on_the_page_calls_back_into_the_widgets() {
    script_fetch(&routes());
    let fixture = Fixture::new();
    let _launcher = fixture.mount_kind("launcher", SIGNED_IN);
    fixture
        .until("the balance on the button", |f| {
            f.text("[part=launcher-balance]") == "620 points"
        })
        .await;
    assert!(
        comeback::listeners::count() > 0,
        "the launcher listens on window"
    );
    comeback::embed::after_panic("boom");
    // Window listeners are gone, and every element the widget listened on with them.
    assert_eq!(comeback::listeners::count(), 0);
    assert!(fixture.find("[part=launcher-button]").is_none());
    assert!(fixture.find("[part=panel]").is_none());
    assert!(fixture.text(".cb-mount").contains("unavailable right now"));
    assert!(fixture
        .find(".cb-mount > [part=fallback][role=status]")
        .is_some());
}

/// Records every HTML-string assignment (`innerHTML` on elements and shadow roots) until
/// dropped: what a page requiring Trusted Types would block.
struct HtmlSinks(Function);

impl HtmlSinks {
    fn watch() -> HtmlSinks {
        let install = Function::new_no_args(
            r#"
            window.__htmlSinks = [];
            const originals = [];
            for (const proto of [Element.prototype, ShadowRoot.prototype]) {
              const d = Object.getOwnPropertyDescriptor(proto, 'innerHTML');
              originals.push([proto, d]);
              Object.defineProperty(proto, 'innerHTML', { ...d, set(v) {
                window.__htmlSinks.push(String(v).slice(0, 80)); d.set.call(this, v); } });
            }
            return () => originals.forEach(([p, d]) => Object.defineProperty(p, 'innerHTML', d));
            "#,
        );
        HtmlSinks(install.call0(&JsValue::NULL).unwrap().unchecked_into())
    }

    fn used(&self) -> Vec<String> {
        js_sys::Array::from(&get(&web_sys::window().unwrap(), "__htmlSinks"))
            .iter()
            .filter_map(|v| v.as_string())
            .collect()
    }
}

impl Drop for HtmlSinks {
    fn drop(&mut self) {
        self.0.call0(&JsValue::NULL).unwrap();
    }
}

#[wasm_bindgen_test]
async fn the_widgets_never_parse_html_strings() {
    let sinks = HtmlSinks::watch();
    script_fetch(&routes());
    let launcher = Fixture::new();
    let _launcher = launcher.mount_kind("launcher", SIGNED_IN);
    launcher
        .until("the balance on the button", |f| {
            f.text("[part=launcher-balance]") == "620 points"
        })
        .await;
    launcher.click("[part=launcher-button]");
    let loyalty = Fixture::new();
    let _loyalty = loyalty.mount(SIGNED_IN);
    loyalty
        .until("redeem button", |f| {
            f.find("[part=redeem-button]").is_some()
        })
        .await;
    loyalty.click("[part=redeem-button]");
    loyalty.press_when_enabled("[part=confirm-button]").await;
    loyalty
        .until("the code", |f| {
            f.text("[part=code-value]") == "TEA-ABCD-EFGH"
        })
        .await;
    let _bad = Fixture::new().mount(r#"{"api": "https://api.test"}"#);
    assert_eq!(sinks.used(), Vec::<String>::new());
}

#[wasm_bindgen_test]
async fn an_answer_for_the_previous_shopper_is_never_shown() {
    // Regression: on a shared device, the answer for the shopper who had just signed out
    // could arrive after the new shopper's and replace it.
    let balance = |n: &str| ME.replacen("\"balance\": 620", &["\"balance\": ", n].concat(), 1);
    script_fetch(&format!(
        r#"{{"GET /loyalty/me#before": [200, {}, 300], "GET /loyalty/me#after": [200, {}]}}"#,
        quoted(&balance("111")),
        quoted(&balance("222"))
    ));
    let fixture = Fixture::new();
    let mut handle = fixture.mount(&SIGNED_IN.replace("t0k", "before"));
    TimeoutFuture::new(20).await;
    handle.update(settings("loyalty", &SIGNED_IN.replace("t0k", "after")));
    fixture
        .until("the new shopper's balance", |f| {
            f.text("[part=balance]").contains("222")
        })
        .await;
    // Long after the first shopper's answer has come back.
    TimeoutFuture::new(500).await;
    assert!(fixture.text("[part=balance]").contains("222"));
}
