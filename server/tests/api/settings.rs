//! Settings edited in the dashboard: a file shop's shown read-only, a dashboard shop's
//! saved as versions that the widget API serves at once and other processes after
//! their poll, refusals that name the field and store nothing, a stale edit refused,
//! reverts, the survey-version check, who may do what, and a save forgetting only its
//! own shop's kept answers.

use axum::http::Method;
use comeback_core::dashboard::StaffRole;
use comeback_server::config::Settings;
use comeback_server::features::loyalty::MeKey;
use comeback_server::shop_settings;
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp, TestResponse, CONFIG, DEMO_API_KEY};
use crate::reload::{reward_cost, SURVEY};
use crate::staff::{add_user, signed_in};

const SETTINGS: &str = "/v1/shops/demo/admin/settings";

/// [`CONFIG`] with the demo shop's settings kept in the dashboard (and sign-ins enough).
fn dashboard_config(extra: &str) -> String {
    let text = CONFIG.replacen(
        "rate_limit_per_minute = 100000\n",
        "rate_limit_per_minute = 100000\nsettings = \"dashboard\"\n",
        1,
    );
    format!("[server]\nsign_in_rate_limit_per_minute = 100\n{text}{extra}")
}

/// The app on `config`, its dashboard settings seeded and served as at start.
async fn spawn(backend: Backend, config: &str) -> Option<TestApp> {
    let app = TestApp::spawn_with(backend, config, Settings::default()).await?;
    shop_settings::start(&app.state).await.expect("started");
    Some(app)
}

async fn put(
    app: &TestApp,
    headers: &[(&str, &str)],
    bearer: Option<&str>,
    body: &Value,
) -> TestResponse {
    app.send_json(Method::PUT, SETTINGS, bearer, headers, body)
        .await
}

/// Saves `document` over `base` with the API key.
async fn save(app: &TestApp, base: i64, document: &Value) -> TestResponse {
    let body = json!({ "base_version": base, "document": document, "note": "test" });
    put(app, &[], Some(DEMO_API_KEY), &body).await
}

async fn current(app: &TestApp) -> Value {
    let response = app.get(SETTINGS, Some(DEMO_API_KEY)).await;
    assert_eq!(response.status, 200, "{}", response.text);
    response.body
}

/// Restores `version` over `base` with the API key.
async fn revert(app: &TestApp, version: i64, base: i64) -> TestResponse {
    app.post_json(
        &format!("{SETTINGS}/revert"),
        Some(DEMO_API_KEY),
        &[],
        &json!({ "version": version, "base_version": base }),
    )
    .await
}

/// `document` with the cost of the demo shop's reward `off-10` (its second) set.
fn with_cost(document: &Value, cost: Value) -> Value {
    let mut document = document.clone();
    assert_eq!(document["loyalty"]["rewards"][1]["id"], "off-10");
    document["loyalty"]["rewards"][1]["cost"] = cost;
    document
}

pub async fn a_file_shop_shows_its_settings_read_only(backend: Backend) {
    let Some(app) = spawn(backend, CONFIG).await else {
        return;
    };
    let view = current(&app).await;
    assert_eq!(view["source"], "file");
    assert_eq!(view["editable"], false);
    assert_eq!(view["version"], 0);
    assert_eq!(view["document"]["loyalty"]["rewards"][1]["cost"], 500);
    assert!(view["schema"]["components"]["RewardConfig"].is_object());

    let refused = save(&app, 0, &with_cost(&view["document"], json!(400))).await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    assert!(
        refused.text.contains("settings = \\\"dashboard\\\""),
        "{}",
        refused.text
    );
    assert_eq!(reward_cost(&app, "demo", "off-10").await, 500);
    let history = app
        .get(&format!("{SETTINGS}/history"), Some(DEMO_API_KEY))
        .await;
    assert_eq!(history.body["changes"], json!([]));
}

pub async fn saved_versions_are_served_at_once_and_can_be_restored(backend: Backend) {
    let Some(app) = spawn(backend, &dashboard_config("")).await else {
        return;
    };
    let view = current(&app).await;
    assert_eq!(view["source"], "dashboard");
    assert_eq!(view["editable"], true);
    assert_eq!(view["version"], 1);
    assert_eq!(view["saved_by"], "configuration file");
    app.pay("c-1", "o-1", 45_000).await;
    assert_eq!(app.me("c-1").await.body["balance"], 450);

    let saved = save(&app, 1, &with_cost(&view["document"], json!(400))).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(saved.body["version"], 2);
    assert_eq!(saved.body["saved_by"], "api-key");
    assert_eq!(reward_cost(&app, "demo", "off-10").await, 400);
    let me = app.me("c-1").await;
    let off_10 = me.body["rewards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "off-10")
        .unwrap()
        .clone();
    assert_eq!(
        off_10["affordable"], true,
        "the kept answer was forgotten: {}",
        me.text
    );

    let restored = revert(&app, 1, 2).await;
    assert_eq!(restored.status, 200, "{}", restored.text);
    assert_eq!(restored.body["version"], 3);
    assert_eq!(reward_cost(&app, "demo", "off-10").await, 500);

    let history = app
        .get(&format!("{SETTINGS}/history"), Some(DEMO_API_KEY))
        .await;
    let changes = history.body["changes"].as_array().unwrap();
    let summary: Vec<(i64, &str, Value, Value)> = changes
        .iter()
        .map(|c| {
            (
                c["version"].as_i64().unwrap(),
                c["saved_by"].as_str().unwrap(),
                c["sections"].clone(),
                c.get("reverted_from").cloned().unwrap_or(Value::Null),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (3, "api-key", json!(["loyalty"]), json!(1)),
            (2, "api-key", json!(["loyalty"]), Value::Null),
            (1, "configuration file", json!(["loyalty"]), Value::Null),
        ]
    );
    assert_eq!(changes[0]["note"], "Restored version 1");

    let missing = revert(&app, 9, 3).await;
    assert_eq!(missing.status, 404, "{}", missing.text);
}

pub async fn bad_or_stale_settings_are_refused_and_nothing_changes(backend: Backend) {
    let Some(app) = spawn(backend, &dashboard_config("")).await else {
        return;
    };
    let document = current(&app).await["document"].clone();
    for (cost, field) in [
        (json!(0), "loyalty.rewards[1].cost"),
        (json!("lots"), "loyalty.rewards[1].cost"),
        (json!(-5), "loyalty.rewards[1].cost"),
    ] {
        let refused = save(&app, 1, &with_cost(&document, cost.clone())).await;
        assert_eq!(refused.status, 422, "{cost}: {}", refused.text);
        assert_eq!(refused.body["error"]["code"], "validation_failed");
        assert_eq!(
            refused.body["error"]["field"], field,
            "{cost}: {}",
            refused.text
        );
    }
    let mut unknown = document.clone();
    unknown["loyalty"]["pionts_per_unit"] = json!(3);
    let refused = save(&app, 1, &unknown).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.body["error"]["field"], "loyalty.pionts_per_unit");
    let long_note = json!({ "base_version": 1, "document": document, "note": "n".repeat(201) });
    let refused = put(&app, &[], Some(DEMO_API_KEY), &long_note).await;
    assert_eq!(refused.body["error"]["field"], "note", "{}", refused.text);
    assert_eq!(current(&app).await["version"], 1, "nothing was stored");

    // Two editors start from version 1; the second save is refused, not merged.
    let first = save(&app, 1, &with_cost(&document, json!(450))).await;
    assert_eq!(first.status, 200, "{}", first.text);
    let second = save(&app, 1, &with_cost(&document, json!(350))).await;
    assert_eq!(second.status, 409, "{}", second.text);
    assert_eq!(second.body["error"]["code"], "settings_changed");
    assert_eq!(reward_cost(&app, "demo", "off-10").await, 450);
    let future = save(&app, 7, &with_cost(&document, json!(350))).await;
    assert_eq!(future.status, 409, "{}", future.text);
}

pub async fn a_survey_version_is_checked_before_a_save(backend: Backend) {
    let config = dashboard_config(&SURVEY.replace("KIND", "nps"));
    let Some(app) = spawn(backend, &config).await else {
        return;
    };
    let document = current(&app).await["document"].clone();
    let mut changed = document.clone();
    changed["surveys"][0]["questions"][0]["type"] = json!("csat");
    let refused = save(&app, 1, &changed).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.body["error"]["field"], "surveys[0].version");
    assert!(refused.text.contains("raise `version`"), "{}", refused.text);

    changed["surveys"][0]["version"] = json!(2);
    let saved = save(&app, 1, &changed).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    // Version 1's survey can never come back: its answers would mix with version 2's.
    let restored = revert(&app, 1, 2).await;
    assert_eq!(restored.status, 422, "{}", restored.text);
    assert_eq!(restored.body["error"]["field"], "surveys[0].version");
    assert_eq!(current(&app).await["version"], 2);

    // A restart serves version 2 of the survey: the file's version 1, no longer in
    // force, does not stop it.
    let restarted = app.second_instance(&config).await;
    shop_settings::start(&restarted.state)
        .await
        .expect("the file's outdated survey is not checked");
    let survey = restarted
        .get("/v1/shops/demo/surveys/after-order?locale=en", None)
        .await;
    assert_eq!(survey.status, 200, "{}", survey.text);
    assert_eq!(survey.body["version"], 2, "{}", survey.text);
}

pub async fn staff_read_settings_and_only_owners_change_them(backend: Backend) {
    let Some(app) = spawn(backend, &dashboard_config("")).await else {
        return;
    };
    add_user(&app, "demo", "clerk@tea.example", StaffRole::Staff).await;
    add_user(&app, "demo", "owner@tea.example", StaffRole::Owner).await;
    let document = current(&app).await["document"].clone();
    let body = json!({ "base_version": 1, "document": with_cost(&document, json!(400)) });

    let nobody = put(&app, &[], None, &body).await;
    assert_eq!(nobody.status, 401, "{}", nobody.text);
    assert_eq!(app.get(SETTINGS, None).await.status, 401);

    let clerk = signed_in(&app, "demo", "clerk@tea.example").await;
    let view = app
        .request(Method::GET, SETTINGS, &[("cookie", &clerk.cookie)])
        .await;
    assert_eq!(view.status, 200, "{}", view.text);
    assert_eq!(view.body["editable"], false);
    let refused = put(
        &app,
        &[("cookie", &clerk.cookie), ("x-csrf-token", &clerk.csrf)],
        None,
        &body,
    )
    .await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    assert_eq!(refused.body["error"]["code"], "forbidden");
    let refused = app
        .post_json(
            &format!("{SETTINGS}/revert"),
            None,
            &[("cookie", &clerk.cookie), ("x-csrf-token", &clerk.csrf)],
            &json!({ "version": 1, "base_version": 1 }),
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.text);

    let owner = signed_in(&app, "demo", "owner@tea.example").await;
    let no_csrf = put(&app, &[("cookie", &owner.cookie)], None, &body).await;
    assert_eq!(no_csrf.status, 403, "{}", no_csrf.text);
    assert_eq!(no_csrf.body["error"]["code"], "csrf");
    assert_eq!(reward_cost(&app, "demo", "off-10").await, 500);

    let saved = put(
        &app,
        &[("cookie", &owner.cookie), ("x-csrf-token", &owner.csrf)],
        None,
        &body,
    )
    .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(saved.body["saved_by"], "owner@tea.example");
    assert_eq!(reward_cost(&app, "demo", "off-10").await, 400);
}

pub async fn another_process_serves_a_saved_version_after_its_poll(backend: Backend) {
    let config = dashboard_config("");
    let Some(app) = spawn(backend, &config).await else {
        return;
    };
    let other = app.second_instance(&config).await;
    shop_settings::start(&other.state).await.expect("started");
    let document = current(&app).await["document"].clone();
    let saved = save(&app, 1, &with_cost(&document, json!(420))).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(
        reward_cost(&other, "demo", "off-10").await,
        500,
        "not polled yet"
    );
    shop_settings::refresh(&other.state, false)
        .await
        .expect("polled");
    assert_eq!(reward_cost(&other, "demo", "off-10").await, 420);
    assert_eq!(other.state.programme.version_in_force("demo"), 2);

    // A restart keeps the newest version rather than the file's sections.
    let restarted = app.second_instance(&config).await;
    shop_settings::start(&restarted.state)
        .await
        .expect("started");
    assert_eq!(reward_cost(&restarted, "demo", "off-10").await, 420);
    drop(restarted);
    drop(other);
}

pub async fn only_the_widget_preview_may_be_framed_and_only_by_the_dashboard(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    for page in ["index.html", "preview.html"] {
        std::fs::write(dir.path().join(page), "<!doctype html>").unwrap();
    }
    let settings = Settings {
        admin_dir: dir.path().to_owned(),
        ..Settings::default()
    };
    let Some(app) = TestApp::spawn_with(backend, CONFIG, settings).await else {
        return;
    };
    let dashboard = app.get("/admin/", None).await;
    assert_eq!(dashboard.status, 200, "{}", dashboard.text);
    assert_eq!(dashboard.header("x-frame-options"), Some("DENY"));
    let policy = dashboard.header("content-security-policy").unwrap();
    assert!(
        policy.contains("frame-ancestors 'none'") && policy.contains("frame-src 'self'"),
        "{policy}"
    );

    let preview = app
        .get("/admin/preview.html?shop=demo&widget=loyalty", None)
        .await;
    assert_eq!(preview.status, 200, "{}", preview.text);
    assert_eq!(preview.header("x-frame-options"), Some("SAMEORIGIN"));
    let policy = preview.header("content-security-policy").unwrap();
    assert!(policy.contains("frame-ancestors 'self'"), "{policy}");
    assert!(
        !policy.contains("frame-src"),
        "the preview frames nothing: {policy}"
    );
}

pub async fn a_save_forgets_only_its_own_shops_kept_answers(backend: Backend) {
    let Some(app) = spawn(backend, &dashboard_config("")).await else {
        return;
    };
    let far = app.state.clock.now() + 3600;
    let key = |shop_id| MeKey {
        shop_id,
        customer_id: "c-1",
        version: Some(1),
        name: None,
    };
    for shop in ["demo", "other"] {
        let body = axum::body::Bytes::from_static(b"{}");
        app.state.me_cache.put(key(shop), far, body);
    }
    let document = current(&app).await["document"].clone();
    let saved = save(&app, 1, &with_cost(&document, json!(400))).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    let now = app.state.clock.now();
    assert!(
        app.state.me_cache.get(key("demo"), now).is_none(),
        "made with the old programme"
    );
    assert!(
        app.state.me_cache.get(key("other"), now).is_some(),
        "another shop's answer stays"
    );
}

pub async fn the_shops_appearance_is_public_cached_and_checked_like_the_rest(backend: Backend) {
    let Some(app) = spawn(backend, &dashboard_config("")).await else {
        return;
    };
    const APPEARANCE: &str = "/v1/shops/demo/appearance";
    // A shop that set nothing answers with no tokens (never a 404 in the page's console).
    let none = app
        .request(
            Method::GET,
            APPEARANCE,
            &[("origin", "https://tea.example")],
        )
        .await;
    assert_eq!(none.status, 200, "{}", none.text);
    assert_eq!(none.body, json!({"variables": {}}));
    assert_eq!(
        none.header("access-control-allow-origin"),
        Some("https://tea.example")
    );
    assert_eq!(
        none.header("cache-control"),
        Some("public, max-age=60, stale-while-revalidate=604800")
    );
    app.get("/v1/shops/nope/appearance", None)
        .await
        .assert_error(404, "not_found");

    let view = current(&app).await;
    let mut document = view["document"].clone();
    document["appearance"] = json!({
        "theme": "dark",
        "variables": {"--comeback-color-accent": "#8a3b12", "--comeback-radius": "4px"},
    });
    let saved = save(&app, 1, &document).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    let history = app
        .get(&format!("{SETTINGS}/history"), Some(DEMO_API_KEY))
        .await;
    assert_eq!(
        history.body["changes"][0]["sections"],
        json!(["appearance"])
    );
    let served = app.get(APPEARANCE, None).await;
    assert_eq!(
        served.body,
        json!({"theme": "dark", "variables": {"--comeback-color-accent": "#8a3b12", "--comeback-radius": "4px"}})
    );
    let etag = served.header("etag").expect("an entity tag").to_owned();
    assert_ne!(none.header("etag"), Some(etag.as_str()));
    let again = app
        .request(Method::GET, APPEARANCE, &[("if-none-match", &etag)])
        .await;
    assert_eq!(again.status, 304);

    // A value that could end the declaration is refused, naming the token; nothing changes.
    document["appearance"]["variables"]["--comeback-color-accent"] = json!("red;x:y");
    let refused = save(&app, 2, &document).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(
        refused.body["error"]["field"],
        "appearance.variables.--comeback-color-accent"
    );
    document["appearance"]["theme"] = json!("sepia");
    let refused = save(&app, 2, &document).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.body["error"]["field"], "appearance.theme");
    assert_eq!(app.get(APPEARANCE, None).await.body["theme"], "dark");
}

pub async fn a_draft_is_previewed_without_being_saved_or_served(backend: Backend) {
    let Some(app) = spawn(backend, &dashboard_config("")).await else {
        return;
    };
    const PREVIEW: &str = "/v1/shops/demo/admin/settings/preview";
    let app = &app;
    let preview = |document: &Value, request: &str| {
        let body = json!({ "document": document, "request": request });
        async move { app.post_json(PREVIEW, Some(DEMO_API_KEY), &[], &body).await }
    };
    let mut draft = with_cost(&current(app).await["document"], json!(321));
    draft["help"] = json!({"articles": [{
        "id": "returns",
        "title": {"en": "Returns, drafted", "zh-Hans": "退货（草稿）", "zh-Hant": "退貨（草稿）"},
        "body": {
            "en": "Send it back within **30 days**.",
            "zh-Hans": "**30 天**内寄回。",
            "zh-Hant": "**30 天**內寄回。",
        },
    }]});

    let answer = preview(&draft, "loyalty/programme").await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let rewards = answer.body["rewards"].as_array().unwrap();
    let off_10 = rewards.iter().find(|r| r["id"] == "off-10").unwrap();
    assert_eq!(off_10["cost"], 321);
    let help = preview(&draft, "/help?locale=zh-TW").await;
    assert_eq!(help.status, 200, "{}", help.text);
    assert!(help.text.contains("退貨（草稿）"), "{}", help.text);
    assert!(
        help.text.contains("<strong>30 天</strong>"),
        "{}",
        help.text
    );

    // Nothing was saved, and shoppers still get the saved version, compiled help too.
    assert_eq!(reward_cost(app, "demo", "off-10").await, 500);
    assert_eq!(current(app).await["version"], 1);
    app.get("/v1/shops/demo/help", None)
        .await
        .assert_error(404, "not_found");

    // A refused document names its field; a read that cannot be previewed is a 404.
    let refused = preview(&with_cost(&draft, json!(0)), "loyalty/programme").await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.body["error"]["field"], "loyalty.rewards[1].cost");
    let unknown = preview(&draft, "loyalty/me").await;
    unknown.assert_error(404, "not_found");
    let offer = preview(&draft, "subscriptions/offer?product=longjing").await;
    offer.assert_error(404, "not_found");

    // Only owners preview, with the session's CSRF token like any change.
    add_user(app, "demo", "clerk@tea.example", StaffRole::Staff).await;
    let clerk = signed_in(app, "demo", "clerk@tea.example").await;
    let body = json!({ "document": draft, "request": "loyalty/programme" });
    let refused = app
        .post_json(
            PREVIEW,
            None,
            &[("cookie", &clerk.cookie), ("x-csrf-token", &clerk.csrf)],
            &body,
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    assert_eq!(app.post_json(PREVIEW, None, &[], &body).await.status, 401);
}
