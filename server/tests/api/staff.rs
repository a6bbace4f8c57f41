//! Staff accounts and sessions of the dashboard: signing in (one answer for a wrong
//! email or password, the cookie's attributes), the session's shop, CSRF token and
//! origin, the lockout, the ends of a session, and API keys still working on every
//! admin route a session opens.

use axum::http::Method;
use comeback_core::dashboard::StaffRole;
use comeback_server::auth::password::{hash_password, token_hash};
use comeback_server::config::{Secret, Settings};
use serde_json::json;

use crate::helpers::{Backend, TestApp, TestResponse, CONFIG, DEMO_API_KEY};

/// The password of every account the tests add.
pub(crate) const PASSWORD: &str = "green tea at dawn";

/// [`CONFIG`] with room for more sign-ins a minute than the default 10.
fn roomy_config() -> String {
    format!("[server]\nsign_in_rate_limit_per_minute = 100\n{CONFIG}")
}

async fn spawn(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with(backend, &roomy_config(), Settings::default()).await
}

/// Adds an account with [`PASSWORD`].
pub(crate) async fn add_user(app: &TestApp, shop: &str, email: &str, role: StaffRole) {
    let hash = hash_password(PASSWORD.into()).await.unwrap();
    app.state
        .store
        .put_staff_user(shop, email, role, &hash, app.state.clock.now())
        .await
        .unwrap();
}

async fn sign_in(app: &TestApp, shop: &str, email: &str, password: &str) -> TestResponse {
    app.post_json(
        &format!("/v1/shops/{shop}/admin/session"),
        None,
        &[],
        &json!({ "email": email, "password": password }),
    )
    .await
}

/// A signed-in dashboard: its `Cookie` header and CSRF token.
pub(crate) struct Session {
    pub(crate) cookie: String,
    pub(crate) csrf: String,
}

pub(crate) async fn signed_in(app: &TestApp, shop: &str, email: &str) -> Session {
    let response = sign_in(app, shop, email, PASSWORD).await;
    assert_eq!(response.status, 200, "{}", response.text);
    let cookie = response.header("set-cookie").unwrap();
    Session {
        cookie: cookie.split(';').next().unwrap().to_owned(),
        csrf: response.body["csrf_token"].as_str().unwrap().to_owned(),
    }
}

async fn get_with(app: &TestApp, uri: &str, session: &Session) -> TestResponse {
    app.request(Method::GET, uri, &[("cookie", &session.cookie)])
        .await
}

async fn adjust_with(app: &TestApp, key: &str, headers: &[(&str, &str)]) -> TestResponse {
    let mut headers = headers.to_vec();
    headers.push(("idempotency-key", key));
    app.post_json(
        "/v1/shops/demo/admin/customers/c-1/adjustments",
        None,
        &headers,
        &json!({ "points": 10, "reason": "A kind word" }),
    )
    .await
}

pub async fn signing_in_sets_a_strict_cookie_and_one_answer_for_wrong_credentials(
    backend: Backend,
) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    app.state.clock.freeze();
    add_user(&app, "demo", "lin@example.com", StaffRole::Owner).await;
    let now = app.state.clock.now();

    let response = sign_in(&app, "demo", "  Lin@Example.COM ", PASSWORD).await;
    assert_eq!(response.status, 200, "{}", response.text);
    assert_eq!(response.body["shop_id"], "demo");
    assert_eq!(response.body["email"], "lin@example.com");
    assert_eq!(response.body["role"], "owner");
    assert_eq!(response.body["expires_at"], now + 12 * 3600);
    let csrf = response.body["csrf_token"].as_str().unwrap();
    assert_eq!(csrf.len(), 64);
    let cookie = response.header("set-cookie").unwrap();
    let token = cookie
        .strip_prefix("comeback_staff=")
        .and_then(|rest| {
            rest.strip_suffix("; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=43200")
        })
        .unwrap_or_else(|| panic!("cookie attributes: {cookie}"));
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_ne!(token, csrf);
    // Stored under its hash only.
    let store = &app.state.store;
    assert!(store
        .staff_session(&token_hash(token), now, 0)
        .await
        .unwrap()
        .is_some());
    assert!(store.staff_session(token, now, 0).await.unwrap().is_none());

    let session = Session {
        cookie: format!("comeback_staff={token}"),
        csrf: csrf.to_owned(),
    };
    let current = get_with(&app, "/v1/shops/demo/admin/session", &session).await;
    assert_eq!(current.status, 200, "{}", current.text);
    assert_eq!(current.body, response.body);

    let wrong_password = sign_in(&app, "demo", "lin@example.com", "green tea at dusk").await;
    let unknown_email = sign_in(&app, "demo", "mei@example.com", PASSWORD).await;
    let not_an_email = sign_in(&app, "demo", "mei", PASSWORD).await;
    for refused in [&wrong_password, &unknown_email, &not_an_email] {
        refused.assert_error(401, "unauthorized");
        assert!(refused.header("set-cookie").is_none());
        assert_eq!(
            refused.body["error"]["message"],
            wrong_password.body["error"]["message"]
        );
    }
    // The account is per shop.
    sign_in(&app, "other", "lin@example.com", PASSWORD)
        .await
        .assert_error(401, "unauthorized");
    // No session: 401 on the session and on the admin routes.
    app.get("/v1/shops/demo/admin/session", None)
        .await
        .assert_error(401, "unauthorized");
    app.get("/v1/shops/demo/admin/customers/c-1", None)
        .await
        .assert_error(401, "unauthorized");
    let forged = Session {
        cookie: "comeback_staff=0123".into(),
        csrf: String::new(),
    };
    get_with(&app, "/v1/shops/demo/admin/customers/c-1", &forged)
        .await
        .assert_error(401, "unauthorized");

    let document = app.get("/v1/openapi.json", None).await;
    assert!(document.body["paths"]["/v1/shops/{shop}/admin/session"]["post"].is_object());
    assert!(document.body["paths"]["/v1/shops/{shop}/admin/session"]["delete"].is_object());
    assert_eq!(
        document.body["components"]["securitySchemes"]["staff_session"]["in"],
        "cookie"
    );
    let lookup = &document.body["paths"]["/v1/shops/{shop}/admin/customers/{customer_id}"]["get"];
    assert!(lookup["security"].to_string().contains("staff_session"));
    assert!(document.body["components"]["schemas"]["StaffSession"].is_object());
}

pub async fn sessions_work_for_their_shop_and_changes_need_the_csrf_token(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    add_user(&app, "demo", "lin@example.com", StaffRole::Staff).await;
    add_user(&app, "other", "lin@example.com", StaffRole::Owner).await;
    app.pay("c-1", "o-1", 10_000).await;
    let session = signed_in(&app, "demo", "lin@example.com").await;

    // Reading needs no CSRF token; a staff role may do customer work.
    let lookup = get_with(&app, "/v1/shops/demo/admin/customers/c-1", &session).await;
    assert_eq!(lookup.status, 200, "{}", lookup.text);
    assert_eq!(lookup.body["balance"], 100);
    let redemptions = get_with(&app, "/v1/shops/demo/admin/redemptions", &session).await;
    assert_eq!(redemptions.status, 200, "{}", redemptions.text);
    // The session is the demo shop's only.
    get_with(&app, "/v1/shops/other/admin/customers/c-1", &session)
        .await
        .assert_error(401, "unauthorized");
    get_with(&app, "/v1/shops/other/admin/session", &session)
        .await
        .assert_error(401, "unauthorized");

    let cookie = session.cookie.as_str();
    adjust_with(&app, "k-1", &[("cookie", cookie)])
        .await
        .assert_error(403, "csrf");
    adjust_with(
        &app,
        "k-1",
        &[
            ("cookie", cookie),
            ("x-csrf-token", "0".repeat(64).as_str()),
        ],
    )
    .await
    .assert_error(403, "csrf");
    let csrf = session.csrf.as_str();
    adjust_with(
        &app,
        "k-1",
        &[
            ("cookie", cookie),
            ("x-csrf-token", csrf),
            ("host", "admin.tea.example"),
            ("origin", "https://evil.example"),
        ],
    )
    .await
    .assert_error(403, "csrf");
    assert_eq!(
        app.admin_customer("c-1").await["balance"],
        100,
        "nothing refused was done"
    );
    let adjusted = adjust_with(
        &app,
        "k-1",
        &[
            ("cookie", cookie),
            ("x-csrf-token", csrf),
            ("host", "admin.tea.example"),
            ("origin", "https://admin.tea.example"),
        ],
    )
    .await;
    assert_eq!(adjusted.status, 201, "{}", adjusted.text);
    assert_eq!(adjusted.body["balance"], 110);
    let without_origin =
        adjust_with(&app, "k-2", &[("cookie", cookie), ("x-csrf-token", csrf)]).await;
    assert_eq!(without_origin.status, 201, "{}", without_origin.text);

    let award = app
        .post_json(
            "/v1/shops/demo/admin/customers/c-1/actions",
            None,
            &[
                ("cookie", cookie),
                ("x-csrf-token", csrf),
                ("idempotency-key", "a-1"),
            ],
            &json!({ "action_id": "signup", "reference": "signup" }),
        )
        .await;
    assert_eq!(award.status, 201, "{}", award.text);
    let revoke_uri = "/v1/shops/demo/admin/customers/c-1/revoke-tokens";
    app.post_json(revoke_uri, None, &[("cookie", cookie)], &json!({}))
        .await
        .assert_error(403, "csrf");
    let revoked = app
        .post_json(
            revoke_uri,
            None,
            &[("cookie", cookie), ("x-csrf-token", csrf)],
            &json!({}),
        )
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.text);

    // The API key still opens every switched route, without any CSRF token.
    let key = Some(DEMO_API_KEY);
    assert_eq!(
        app.get("/v1/shops/demo/admin/customers/c-1", key)
            .await
            .status,
        200
    );
    assert_eq!(
        app.get("/v1/shops/demo/admin/redemptions", key)
            .await
            .status,
        200
    );
    let by_key = app
        .post_json(
            "/v1/shops/demo/admin/customers/c-1/adjustments",
            key,
            &[("idempotency-key", "k-3")],
            &json!({ "points": 5, "reason": "Key" }),
        )
        .await;
    assert_eq!(by_key.status, 201, "{}", by_key.text);
    let award_by_key = app
        .post_json(
            "/v1/shops/demo/admin/customers/c-1/actions",
            key,
            &[("idempotency-key", "a-2")],
            &json!({ "action_id": "review", "reference": "r-1" }),
        )
        .await;
    assert_eq!(award_by_key.status, 201, "{}", award_by_key.text);
    assert_eq!(
        app.post_json(revoke_uri, key, &[], &json!({})).await.status,
        200
    );
    // A wrong key is refused even with a valid session beside it.
    app.send(
        axum::http::Request::get("/v1/shops/demo/admin/customers/c-1")
            .header("authorization", "Bearer not-a-key")
            .header("cookie", cookie)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .assert_error(401, "unauthorized");
}

pub async fn failed_sign_ins_lock_the_account_for_15_minutes(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    app.state.clock.freeze();
    add_user(&app, "demo", "lin@example.com", StaffRole::Owner).await;
    // A success clears the count: four failures, a success, four more stay unlocked.
    for _ in 0..4 {
        sign_in(&app, "demo", "lin@example.com", "not the password")
            .await
            .assert_error(401, "unauthorized");
    }
    signed_in(&app, "demo", "lin@example.com").await;
    for _ in 0..4 {
        sign_in(&app, "demo", "lin@example.com", "not the password")
            .await
            .assert_error(401, "unauthorized");
    }
    let fifth = sign_in(&app, "demo", "lin@example.com", "not the password").await;
    fifth.assert_error(429, "account_locked");
    assert_eq!(fifth.header("retry-after"), Some("900"));
    let locked = sign_in(&app, "demo", "lin@example.com", PASSWORD).await;
    locked.assert_error(429, "account_locked");
    assert!(locked.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("locked"));
    // Unknown emails never lock (nothing to lock) and still answer 401.
    for _ in 0..6 {
        sign_in(&app, "demo", "mei@example.com", "not the password")
            .await
            .assert_error(401, "unauthorized");
    }
    app.state.clock.advance(14 * 60);
    let later = sign_in(&app, "demo", "lin@example.com", PASSWORD).await;
    later.assert_error(429, "account_locked");
    assert_eq!(later.header("retry-after"), Some("60"));
    app.state.clock.advance(60);
    signed_in(&app, "demo", "lin@example.com").await;
    let user = app
        .state
        .store
        .staff_user("demo", "lin@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.failed_attempts, 0);
    assert_eq!(user.locked_until, None);

    // Sign-ins are also rate limited per address: 10 a minute by default.
    let Some(strict) = TestApp::spawn(backend).await else {
        return;
    };
    for _ in 0..10 {
        sign_in(&strict, "demo", "mei@example.com", "not the password")
            .await
            .assert_error(401, "unauthorized");
    }
    sign_in(&strict, "demo", "mei@example.com", "not the password")
        .await
        .assert_error(429, "rate_limited");
}

pub async fn sessions_end_when_idle_expired_signed_out_or_removed(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    app.state.clock.freeze();
    add_user(&app, "demo", "lin@example.com", StaffRole::Owner).await;
    let session_uri = "/v1/shops/demo/admin/session";

    // Two hours without a request end a session.
    let idle = signed_in(&app, "demo", "lin@example.com").await;
    app.state.clock.advance(2 * 3600 - 1);
    assert_eq!(get_with(&app, session_uri, &idle).await.status, 200);
    app.state.clock.advance(2 * 3600);
    get_with(&app, session_uri, &idle)
        .await
        .assert_error(401, "unauthorized");

    // The last request is written at most once a minute.
    let touched = signed_in(&app, "demo", "lin@example.com").await;
    let signed_at = app.state.clock.now();
    let hash = token_hash(touched.cookie.strip_prefix("comeback_staff=").unwrap());
    let last_seen = || async {
        let now = app.state.clock.now();
        let session = app.state.store.staff_session(&hash, now, 0).await.unwrap();
        session.unwrap().last_seen_at
    };
    app.state.clock.advance(59);
    assert_eq!(get_with(&app, session_uri, &touched).await.status, 200);
    assert_eq!(last_seen().await, signed_at);
    app.state.clock.advance(1);
    assert_eq!(get_with(&app, session_uri, &touched).await.status, 200);
    assert_eq!(last_seen().await, signed_at + 60);

    // A busy session still ends 12 hours after signing in.
    let busy = signed_in(&app, "demo", "lin@example.com").await;
    for _ in 0..7 {
        app.state.clock.advance(90 * 60);
        let seen = get_with(&app, session_uri, &busy).await;
        assert_eq!(seen.status, 200, "{}", seen.text);
    }
    app.state.clock.advance(90 * 60);
    get_with(&app, session_uri, &busy)
        .await
        .assert_error(401, "unauthorized");

    // Signing out needs the CSRF token, ends the session and clears the cookie.
    let out = signed_in(&app, "demo", "lin@example.com").await;
    app.request(Method::DELETE, session_uri, &[("cookie", &out.cookie)])
        .await
        .assert_error(403, "csrf");
    let signed_out = app
        .request(
            Method::DELETE,
            session_uri,
            &[("cookie", &out.cookie), ("x-csrf-token", &out.csrf)],
        )
        .await;
    assert_eq!(signed_out.status, 204, "{}", signed_out.text);
    assert_eq!(
        signed_out.header("set-cookie"),
        Some("comeback_staff=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0")
    );
    get_with(&app, session_uri, &out)
        .await
        .assert_error(401, "unauthorized");

    // The account's current role counts; a removed account's sessions end.
    let kept = signed_in(&app, "demo", "lin@example.com").await;
    let store = &app.state.store;
    let now = app.state.clock.now();
    assert!(store
        .set_staff_role("demo", "lin@example.com", StaffRole::Staff, now)
        .await
        .unwrap());
    assert_eq!(
        get_with(&app, session_uri, &kept).await.body["role"],
        "staff"
    );
    assert!(store
        .remove_staff_user("demo", "lin@example.com")
        .await
        .unwrap());
    get_with(&app, session_uri, &kept)
        .await
        .assert_error(401, "unauthorized");
    get_with(&app, "/v1/shops/demo/admin/customers/c-1", &kept)
        .await
        .assert_error(401, "unauthorized");
}

pub async fn the_demo_owner_signs_in_with_the_given_or_a_fresh_password(backend: Backend) {
    let settings = Settings {
        demo_owner_password: Some(Secret::new("end-to-end owner password")),
        ..Settings::default()
    };
    let Some(app) = TestApp::spawn_with(backend, CONFIG, settings).await else {
        return;
    };
    let email = comeback_server::routes::demo::DEMO_OWNER_EMAIL;
    let given = comeback_server::routes::demo::seed_owner(&app.state)
        .await
        .unwrap();
    assert_eq!(given, "end-to-end owner password");
    let response = sign_in(&app, "demo", email, &given).await;
    assert_eq!(response.status, 200, "{}", response.text);
    assert_eq!(response.body["role"], "owner");

    let second = app.second_instance(CONFIG).await;
    let seed = || comeback_server::routes::demo::seed_owner(&second.state);
    let (first, fresh) = (seed().await.unwrap(), seed().await.unwrap());
    assert_eq!(fresh.chars().count(), 24);
    assert_ne!(first, fresh, "a new password at every start");
    sign_in(&app, "demo", email, &given)
        .await
        .assert_error(401, "unauthorized");
    let response = sign_in(&app, "demo", email, &fresh).await;
    assert_eq!(response.status, 200, "{}", response.text);
    drop(second);
}
