//! `<comeback-referral>` in the browser: the advocate's link (resolved against the page),
//! code, rewards, tallies and referrals with their statuses, dates and reasons; copying
//! with its confirmation (and without the Clipboard API); the share button only where
//! the browser can share; the QR code, drawn by the browser and read back by a decoder,
//! holds the link; the banner hidden without a stored referral, shown with one, a claim
//! that shows the friend's code, each refusal explained by its error code, and closing
//! it remembered.

use gloo_timers::future::TimeoutFuture;
use js_sys::Function;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

use super::{count_requests, get, nth_request, page_origin, quoted, script_fetch, Fixture};

const PROGRAMME: &str = r#"{"code": "K7M-2QX", "link": "/?ref=K7M-2QX",
  "advocate_reward": {"kind": "points", "value": 500, "currency": "CNY"},
  "friend_reward": {"kind": "percent_off", "value": 15, "currency": "CNY", "valid_days": 30},
  "hold_days": 30, "visits": 12, "signups": 3,
  "referrals": [
    {"id": "r4", "friend": "Wang", "status": "pending", "ordered_on": "2027-03-02",
     "pays_on": "2027-04-01", "reward": {"kind": "points", "value": 500, "currency": "CNY"}},
    {"id": "r3", "status": "paid", "ordered_on": "2027-01-05", "paid_on": "2027-02-04",
     "reward": {"kind": "points", "value": 500, "currency": "CNY"}},
    {"id": "r2", "friend": "z•••@example.com", "status": "cancelled", "reason": "refunded",
     "ordered_on": "2027-01-03", "reward": {"kind": "points", "value": 500, "currency": "CNY"}},
    {"id": "r1", "friend": "Chen", "status": "declined", "reason": "not_first_order",
     "ordered_on": "2026-12-20", "reward": {"kind": "points", "value": 500, "currency": "CNY"}},
    {"id": "r0", "status": "a_status_from_the_future", "ordered_on": "2026-12-01",
     "reward": {"kind": "points", "value": 500, "currency": "CNY"}}
  ]}"#;

const LANDING: &str = r#"{"code": "K7M-2QX", "advocate_name": "Lin",
  "friend_reward": {"kind": "percent_off", "value": 15, "currency": "CNY"}, "window_days": 30}"#;

const FRIEND: &str = r#"{"code": "FRIEND-ABCD-EFGH",
  "reward": {"kind": "percent_off", "value": 15, "currency": "CNY"}, "expires_at": 1806000000}"#;

fn config(attrs: &str, token: bool) -> String {
    let token = if token { r#""token": "t0k","# } else { "" };
    format!(
        r#"{{"shop": "demo", "api": "https://api.test", {token} "locales": ["en"], "attrs": {attrs}}}"#
    )
}

fn texts(fixture: &Fixture, selector: &str) -> Vec<String> {
    let found = fixture.shadow.query_selector_all(selector).unwrap();
    (0..found.length())
        .map(|i| found.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

/// Runs `body` as a function of `args` in the page (for stubbing browser APIs).
fn run(args: &str, body: &str, values: &[JsValue]) -> JsValue {
    let function = Function::new_with_args(args, body);
    let values: js_sys::Array = values.iter().collect();
    function.apply(&JsValue::NULL, &values).unwrap()
}

/// Replaces (or, with `None`, hides) `navigator.<name>` for this page until [`restore`].
fn stub_navigator(name: &str, value: Option<&str>) {
    let value = value.map_or(JsValue::UNDEFINED, |body| {
        run("", &["return ", body].concat(), &[])
    });
    run(
        "name, value",
        "Object.defineProperty(navigator, name, { value, configurable: true });",
        &[name.into(), value],
    );
}

fn restore(name: &str) {
    run("name", "delete navigator[name];", &[name.into()]);
}

fn window_value(name: &str) -> JsValue {
    get(&web_sys::window().unwrap(), name)
}

async fn advocate() -> (Fixture, comeback::MountHandle) {
    let fixture = Fixture::new();
    let handle = fixture.mount_kind("referral", &config("{}", true));
    fixture
        .until("the programme", |f| f.find("[part=code]").is_some())
        .await;
    (fixture, handle)
}

fn programme_routes() -> String {
    format!(r#"{{"GET /referrals/me": [200, {}]}}"#, quoted(PROGRAMME))
}

#[wasm_bindgen_test]
async fn the_advocate_sees_the_link_code_rewards_and_each_referral() {
    script_fetch(&programme_routes());
    let (fixture, _handle) = advocate().await;
    // The path the API sent, resolved against the page.
    let link = fixture
        .find("input[part=link]")
        .unwrap()
        .unchecked_into::<web_sys::HtmlInputElement>()
        .value();
    assert_eq!(link, [page_origin().as_str(), "/?ref=K7M-2QX"].concat());
    assert_eq!(fixture.text("[part=code]"), "K7M-2QX");
    assert_eq!(
        fixture.text("[part=friend-gets]"),
        "Your friend gets 15% off (valid 30 days) on their first order."
    );
    assert_eq!(
        fixture.text("[part=you-get]"),
        "You get 500 points for each friend's first order."
    );
    assert!(fixture.text("[part=when-paid]").contains("30 days after"));
    assert_eq!(
        texts(&fixture, "[part=stats] dd"),
        ["12", "3", "1"],
        "visits, sign-ups, rewards paid"
    );
    // Newest first, as the server sent them; a status this build does not know is left out.
    assert_eq!(
        texts(&fixture, "[part=referral] [part=friend]"),
        ["Wang", "A friend", "z•••@example.com", "Chen"]
    );
    assert_eq!(
        texts(&fixture, "[part=referral] [part=status]"),
        ["Pending", "Paid", "Cancelled", "Declined"]
    );
    assert_eq!(
        fixture.text("[data-status=pending] [part=detail]"),
        "500 points, paid on Apr 1, 2027"
    );
    assert_eq!(
        fixture.text("[data-status=paid] [part=detail]"),
        "500 points, paid on Feb 4, 2027"
    );
    assert_eq!(
        fixture.text("[data-status=cancelled] [part=reason]"),
        "Your friend returned the order, so it no longer earns a reward."
    );
    assert!(fixture
        .text("[data-status=declined] [part=reason]")
        .starts_with("Your friend had ordered here before"));
    assert!(fixture
        .find("[data-status=pending] [part=reason]")
        .is_none());
    // The email names the friend's reward and carries the link.
    let mailto = fixture
        .find("[part=email-link]")
        .unwrap()
        .get_attribute("href")
        .unwrap();
    assert!(
        mailto
            .starts_with("mailto:?subject=A%20gift%20for%20your%20first%20order%3A%2015%25%20off"),
        "{mailto}"
    );
    assert!(mailto.contains("%3Fref%3DK7M-2QX"), "{mailto}");
    // Asked in the shopper's language, with the token in the header only.
    let request = nth_request("GET", 0);
    assert!(get(&request, "url")
        .as_string()
        .unwrap()
        .ends_with("/referrals/me?locale=en"));
    assert_eq!(
        get(&request, "auth").as_string().as_deref(),
        Some("Bearer t0k")
    );
}

#[wasm_bindgen_test]
async fn reasons_and_dates_follow_the_shoppers_language() {
    script_fetch(&programme_routes());
    let fixture = Fixture::new();
    let _handle = fixture.mount_kind(
        "referral",
        r#"{"shop": "demo", "api": "https://api.test", "token": "t0k", "locales": ["zh-TW"], "attrs": {}}"#,
    );
    fixture
        .until("the programme", |f| f.find("[part=referral]").is_some())
        .await;
    assert_eq!(
        fixture.text("[data-status=pending] [part=status]"),
        "待發放"
    );
    assert!(fixture
        .text("[data-status=pending] [part=detail]")
        .contains("2027年4月1日"));
    assert_eq!(
        fixture.text("[data-status=cancelled] [part=reason]"),
        "好友已退貨，該訂單不再獲得獎勵。"
    );
}

#[wasm_bindgen_test]
async fn signed_out_shoppers_are_invited_to_sign_in() {
    script_fetch(&programme_routes());
    let fixture = Fixture::new();
    let _handle = fixture.mount_kind(
        "referral",
        &config(r#"{"signin-url": "/account.html"}"#, false),
    );
    fixture
        .until("the invitation", |f| f.find("[part=signed-out]").is_some())
        .await;
    assert!(fixture
        .text("[part=signed-out]")
        .contains("Sign in to get your own referral link"));
    assert_eq!(count_requests("GET"), 0);
}

#[wasm_bindgen_test]
async fn copying_the_link_confirms_it_on_screen_and_to_screen_readers() {
    script_fetch(&programme_routes());
    stub_navigator(
        "clipboard",
        Some("{ writeText: async (text) => { window.__copied = text; } }"),
    );
    let (fixture, _handle) = advocate().await;
    let copied = fixture.find("[part=copied]").unwrap();
    assert_eq!(copied.get_attribute("aria-live").as_deref(), Some("polite"));
    assert_eq!(fixture.text("[part=copied]"), "");
    fixture.click("[part=copy-button]");
    fixture
        .until("the confirmation", |f| {
            f.text("[part=copied]") == "Link copied"
        })
        .await;
    let link = [page_origin().as_str(), "/?ref=K7M-2QX"].concat();
    assert_eq!(window_value("__copied").as_string(), Some(link.clone()));
    let fired = fixture.fired("comeback:referral:copied");
    assert_eq!(get(&fired[0], "link").as_string(), Some(link));
    restore("clipboard");
}

#[wasm_bindgen_test]
async fn without_the_clipboard_api_the_link_is_selected_and_copied_by_the_browser() {
    script_fetch(&programme_routes());
    stub_navigator("clipboard", None);
    run(
        "",
        "window.__exec = document.execCommand; document.execCommand = (name) => name === 'copy';",
        &[],
    );
    let (fixture, _handle) = advocate().await;
    fixture.click("[part=copy-button]");
    fixture
        .until("the confirmation", |f| {
            f.text("[part=copied]") == "Link copied"
        })
        .await;
    let field: web_sys::HtmlInputElement =
        fixture.find("input[part=link]").unwrap().unchecked_into();
    assert_eq!(field.selection_start().unwrap(), Some(0));
    assert_eq!(
        field.selection_end().unwrap(),
        Some(field.value().len() as u32)
    );
    // A browser that refuses the copy command too: the link stays selected, and the
    // shopper is told how to copy it.
    run("", "document.execCommand = () => false;", &[]);
    fixture.click("[part=copy-button]");
    fixture
        .until("the hint", |f| f.text("[part=copied]").contains("Ctrl+C"))
        .await;
    run("", "document.execCommand = window.__exec;", &[]);
    restore("clipboard");
}

#[wasm_bindgen_test]
async fn the_share_button_is_there_only_where_the_browser_can_share() {
    script_fetch(&programme_routes());
    stub_navigator("share", None);
    let (fixture, handle) = advocate().await;
    assert!(fixture.find("[part=share-button]").is_none());
    drop(handle);
    drop(fixture);

    stub_navigator(
        "share",
        Some("async function (data) { window.__shared = data; }"),
    );
    let (fixture, _handle) = advocate().await;
    fixture.click("[part=share-button]");
    fixture
        .until("the shared event", |f| {
            !f.fired("comeback:referral:shared").is_empty()
        })
        .await;
    let shared = window_value("__shared");
    let link = [page_origin().as_str(), "/?ref=K7M-2QX"].concat();
    assert_eq!(get(&shared, "url").as_string(), Some(link));
    assert!(get(&shared, "text")
        .as_string()
        .unwrap()
        .contains("15% off"));
    restore("share");
}

#[wasm_bindgen_test]
async fn the_qr_code_drawn_in_the_widget_reads_back_as_the_link() {
    script_fetch(&programme_routes());
    let (fixture, _handle) = advocate().await;
    let svg = fixture.find("svg[part=qr]").unwrap();
    assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
    assert!(svg.get_attribute("aria-label").unwrap().contains("QR code"));
    // The browser rasterises the SVG as a shopper's screen would; a decoder reads it.
    let side = 296_u32;
    let pixels = run(
        "svg, side",
        r#"return (async () => {
          const xml = new XMLSerializer().serializeToString(svg);
          const image = new Image();
          image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(xml);
          await image.decode();
          const canvas = document.createElement('canvas');
          canvas.width = canvas.height = side;
          const context = canvas.getContext('2d');
          context.drawImage(image, 0, 0, side, side);
          const rgba = context.getImageData(0, 0, side, side).data;
          const grey = new Uint8Array(side * side);
          for (let i = 0; i < grey.length; i++) grey[i] = rgba[i * 4];
          return grey;
        })();"#,
        &[svg.into(), side.into()],
    );
    let pixels = JsFuture::from(pixels.unchecked_into::<js_sys::Promise>())
        .await
        .unwrap();
    let grey = js_sys::Uint8Array::new(&pixels).to_vec();
    let side = side as usize;
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| grey[y * side + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the picture");
    let (_, text) = grids[0].decode().unwrap();
    assert_eq!(text, [page_origin().as_str(), "/?ref=K7M-2QX"].concat());
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Stores a referral the way the loader does, `until` seconds from now.
fn store_referral(code: &str, from_now: f64) {
    let until = (js_sys::Date::now() / 1000.0 + from_now).floor();
    storage()
        .set_item(
            "comeback:referral:demo",
            &format!(r#"{{"code": "{code}", "until": {until}}}"#),
        )
        .unwrap();
}

fn banner_routes(claim: &str) -> String {
    format!(
        r#"{{"GET /referrals/codes/K7M-2QX": [200, {}]{claim}}}"#,
        quoted(LANDING)
    )
}

async fn banner() -> (Fixture, comeback::MountHandle) {
    let fixture = Fixture::new();
    let handle = fixture.mount_kind("referral", &config(r#"{"mode": "banner"}"#, false));
    fixture
        .until("the banner", |f| f.find("[part~=banner]").is_some())
        .await;
    (fixture, handle)
}

fn type_email(fixture: &Fixture, email: &str) {
    let input: web_sys::HtmlInputElement = fixture.find("[part=email]").unwrap().unchecked_into();
    input.set_value(email);
    let event = web_sys::Event::new("input").unwrap();
    input.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn the_banner_shows_nothing_and_takes_no_space_without_a_stored_referral() {
    script_fetch(&banner_routes(""));
    storage().remove_item("comeback:referral:demo").unwrap();
    let fixture = Fixture::new();
    let _handle = fixture.mount_kind("referral", &config(r#"{"mode": "banner"}"#, false));
    TimeoutFuture::new(150).await;
    assert!(fixture.find("[part~=banner]").is_none());
    assert_eq!(fixture.host.get_bounding_client_rect().height(), 0.0);
    assert_eq!(count_requests("GET"), 0);
    // An expired referral is no referral either.
    store_referral("K7M-2QX", -10.0);
    let fixture = Fixture::new();
    let _handle = fixture.mount_kind("referral", &config(r#"{"mode": "banner"}"#, false));
    TimeoutFuture::new(150).await;
    assert!(fixture.find("[part~=banner]").is_none());
    assert_eq!(count_requests("GET"), 0);
    storage().remove_item("comeback:referral:demo").unwrap();
}

#[wasm_bindgen_test]
async fn the_banner_offers_the_reward_and_a_claim_shows_the_friends_code() {
    script_fetch(&banner_routes(&format!(
        r#", "POST /referrals/claim": [200, {}]"#,
        quoted(FRIEND)
    )));
    store_referral("k7m2qx", 3_600.0);
    stub_navigator(
        "clipboard",
        Some("{ writeText: async (text) => { window.__copied = text; } }"),
    );
    let (fixture, _handle) = banner().await;
    assert_eq!(
        fixture.text("[part=offer]"),
        "Lin sent you 15% off on your first order"
    );
    assert!(get(&nth_request("GET", 0), "url")
        .as_string()
        .unwrap()
        .ends_with("/referrals/codes/K7M-2QX?locale=en"));
    // A mistyped address is explained before anything is sent.
    type_email(&fixture, "lin@example");
    fixture.click("[part=claim-button]");
    fixture
        .until("the email problem", |f| {
            f.text("[part=error]")
                .starts_with("Please enter a valid email")
        })
        .await;
    assert_eq!(count_requests("POST"), 0);
    let input = fixture.find("[part=email]").unwrap();
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    // As a guest: no token, the code and the address. Typing clears the problem in the
    // same field: the form is not drawn anew under the shopper's fingers.
    type_email(&fixture, " friend@example.com ");
    fixture
        .until("the problem to clear", |f| {
            f.text("[part=error]").is_empty()
        })
        .await;
    assert!(fixture.find("[part=email]").unwrap() == input);
    assert!(input.get_attribute("aria-invalid").is_none());
    fixture.click("[part=claim-button]");
    fixture
        .until("the friend's code", |f| {
            f.text("[part=friend-code]") == "FRIEND-ABCD-EFGH"
        })
        .await;
    let post = nth_request("POST", 0);
    assert!(get(&post, "url")
        .as_string()
        .unwrap()
        .ends_with("/referrals/claim"));
    assert!(get(&post, "auth").is_null());
    let body = js_sys::JSON::parse(&get(&post, "body").as_string().unwrap()).unwrap();
    assert_eq!(get(&body, "code").as_string().as_deref(), Some("K7M-2QX"));
    assert_eq!(
        get(&body, "email").as_string().as_deref(),
        Some("friend@example.com")
    );
    let claimed = fixture.fired("comeback:referral:claimed");
    assert_eq!(
        get(&claimed[0], "code").as_string().as_deref(),
        Some("FRIEND-ABCD-EFGH")
    );
    fixture.click("[part=copy-code-button]");
    fixture
        .until("the confirmation", |f| {
            f.text("[part=copied]") == "Code copied"
        })
        .await;
    assert_eq!(
        window_value("__copied").as_string().as_deref(),
        Some("FRIEND-ABCD-EFGH")
    );
    restore("clipboard");
    storage().remove_item("comeback:referral:demo").unwrap();
}

#[wasm_bindgen_test]
async fn each_refused_claim_is_explained_by_its_error_code() {
    let refusals = [
        (
            r#"{"error": {"code": "self_referral", "message": "own code"}}"#,
            409,
            "This is your own referral link",
        ),
        (
            r#"{"error": {"code": "already_customer", "message": "has ordered"}}"#,
            409,
            "This offer is for a first order",
        ),
        (
            r#"{"error": {"code": "validation_failed", "message": "bad email"}}"#,
            422,
            "Please enter a valid email",
        ),
        // The message follows the code, not the status.
        (
            r#"{"error": {"code": "internal", "message": "boom"}}"#,
            409,
            "This is unavailable right now",
        ),
    ];
    store_referral("K7M-2QX", 3_600.0);
    for (answer, status, said) in refusals {
        script_fetch(&banner_routes(&format!(
            r#", "POST /referrals/claim": [{status}, {}]"#,
            quoted(answer)
        )));
        let (fixture, _handle) = banner().await;
        type_email(&fixture, "friend@example.com");
        fixture.click("[part=claim-button]");
        fixture
            .until(said, |f| f.text("[part=error]").starts_with(said))
            .await;
        assert!(fixture.find("[part=friend-code]").is_none());
        assert!(fixture.find("[part~=banner]").is_some());
    }
    // An unknown code: the banner goes away.
    script_fetch(&banner_routes(&format!(
        r#", "POST /referrals/claim": [404, {}]"#,
        quoted(r#"{"error": {"code": "not_found", "message": "no such code"}}"#)
    )));
    let (fixture, _handle) = banner().await;
    type_email(&fixture, "friend@example.com");
    fixture.click("[part=claim-button]");
    fixture
        .until("the banner to go", |f| f.find("[part~=banner]").is_none())
        .await;
    // And a code the shop does not know never shows one.
    script_fetch(&format!(
        r#"{{"GET /referrals/codes/K7M-2QX": [404, {}]}}"#,
        quoted(r#"{"error": {"code": "not_found", "message": "no such code"}}"#)
    ));
    let fixture = Fixture::new();
    let _handle = fixture.mount_kind("referral", &config(r#"{"mode": "banner"}"#, false));
    fixture
        .until("the lookup", |_| count_requests("GET") == 1)
        .await;
    TimeoutFuture::new(50).await;
    assert!(fixture.find("[part~=banner]").is_none());
    storage().remove_item("comeback:referral:demo").unwrap();
}

#[wasm_bindgen_test]
async fn a_closed_banner_stays_closed_on_the_next_page() {
    script_fetch(&banner_routes(""));
    store_referral("K7M-2QX", 3_600.0);
    let (fixture, handle) = banner().await;
    let dismiss = fixture.find("[part=dismiss-button]").unwrap();
    assert_eq!(
        dismiss.get_attribute("aria-label").as_deref(),
        Some("Close")
    );
    fixture.click("[part=dismiss-button]");
    fixture
        .until("the banner to go", |f| f.find("[part~=banner]").is_none())
        .await;
    let fired = fixture.fired("comeback:referral:dismissed");
    assert_eq!(
        get(&fired[0], "referral_code").as_string().as_deref(),
        Some("K7M-2QX")
    );
    let stored = storage()
        .get_item("comeback:referral:demo")
        .unwrap()
        .unwrap();
    let stored = js_sys::JSON::parse(&stored).unwrap();
    // The code still attributes the friend's order; only the banner is closed.
    assert_eq!(get(&stored, "code").as_string().as_deref(), Some("K7M-2QX"));
    assert_eq!(get(&stored, "dismissed").as_bool(), Some(true));
    drop(handle);
    drop(fixture);
    let fixture = Fixture::new();
    let _handle = fixture.mount_kind("referral", &config(r#"{"mode": "banner"}"#, false));
    TimeoutFuture::new(150).await;
    assert!(fixture.find("[part~=banner]").is_none());
    storage().remove_item("comeback:referral:demo").unwrap();
}

#[wasm_bindgen_test]
async fn the_launcher_holds_the_referral_tab_where_the_shop_lists_it() {
    script_fetch(&super::routes());
    let fixture = Fixture::new();
    let _handle = fixture.mount_kind(
        "launcher",
        &config(r#"{"tabs": "rewards, referral", "open": "referral"}"#, true),
    );
    fixture
        .until("the referral tab", |f| {
            f.find("[role=tab][data-tab=referral]").is_some()
        })
        .await;
    let tab = fixture.find("[role=tab][data-tab=referral]").unwrap();
    fixture
        .until("the referral tab selected", |_| {
            tab.get_attribute("aria-selected").as_deref() == Some("true")
        })
        .await;
    assert!(fixture
        .find("#cb-panel-referral comeback-referral")
        .is_some());
    assert!(fixture
        .find("#cb-panel-referral")
        .unwrap()
        .get_attribute("hidden")
        .is_none());
    // Without `tabs`, a shop that never set up referrals finds no such tab.
    let fixture = Fixture::new();
    let _handle = fixture.mount_kind("launcher", &config("{}", true));
    fixture
        .until("the rewards tab", |f| {
            f.find("[role=tab][data-tab=rewards]").is_some()
        })
        .await;
    assert!(fixture.find("[role=tab][data-tab=referral]").is_none());
}

#[wasm_bindgen_test]
async fn a_link_that_is_not_http_is_never_shown_and_the_code_stands_in() {
    let programme = PROGRAMME.replace("/?ref=K7M-2QX", "javascript:alert(1)");
    script_fetch(&format!(
        r#"{{"GET /referrals/me": [200, {}]}}"#,
        quoted(&programme)
    ));
    let (fixture, _handle) = advocate().await;
    let link: web_sys::HtmlInputElement =
        fixture.find("input[part=link]").unwrap().unchecked_into();
    assert_eq!(link.value(), "K7M-2QX");
    let mailto = fixture
        .find("[part=email-link]")
        .unwrap()
        .get_attribute("href")
        .unwrap();
    assert!(mailto.starts_with("mailto:") && !mailto.contains("javascript"));
}
