//! `TestApp`: the application over a fresh database (SQLite file or PostgreSQL
//! database), driven with `oneshot` — no TCP.

use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::Router;
use comeback_server::auth::{mint_token, sign_webhook};
use comeback_server::config::{Config, Settings};
use comeback_server::store::Store;
use comeback_server::{app, AppState};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use sqlx::Connection;
use tower::ServiceExt;

/// The token secret of the `demo` shop in [`CONFIG`].
pub const DEMO_TOKEN_SECRET: &str = "test-token-secret-demo-0123456789abcdef";
/// The webhook secret of the `demo` shop in [`CONFIG`].
pub const DEMO_WEBHOOK_SECRET: &str = "test-webhook-secret-demo-0123456789abcdef";
/// The API key of the `demo` shop in [`CONFIG`].
pub const DEMO_API_KEY: &str = "test-api-key-demo-0123456789abcdef012345";
/// The token secret of the `other` shop in [`CONFIG`].
pub const OTHER_TOKEN_SECRET: &str = "test-token-secret-other-0123456789abcdef";
/// The API key of the `other` shop in [`CONFIG`].
pub const OTHER_API_KEY: &str = "test-api-key-other-0123456789abcdef01234";
/// The key lists of the `demo` shop, as TOML lines.
pub const DEMO_KEYS: &str = "token_secrets = [\"test-token-secret-demo-0123456789abcdef\"]\nwebhook_secrets = [\"test-webhook-secret-demo-0123456789abcdef\"]\napi_keys = [\"test-api-key-demo-0123456789abcdef012345\"]\n";
/// The origin allowed for the `demo` shop.
pub const DEMO_ORIGIN: &str = "https://tea.example";

/// Three shops: `demo` (the one most tests use, with earning actions `signup`,
/// `review` and `visit`), `other` (other keys), `tiny` (a rate limit of 3
/// per minute).
pub const CONFIG: &str = r#"
[shops.demo]
name = "Cloud & Leaf Tea"
token_secrets = ["test-token-secret-demo-0123456789abcdef"]
webhook_secrets = ["test-webhook-secret-demo-0123456789abcdef"]
api_keys = ["test-api-key-demo-0123456789abcdef012345"]
allowed_origins = ["https://tea.example"]
currency = "CNY"
rate_limit_per_minute = 100000

[shops.demo.loyalty]
points_per_unit = 1
code_prefix = "TEA"
code_valid_days = 30
join_url = "/join"

[[shops.demo.loyalty.tiers]]
id = "leaf"
threshold = 0
name = { en = "Green Leaf", "zh-Hans" = "青叶", "zh-Hant" = "青葉" }

[[shops.demo.loyalty.tiers]]
id = "bud"
threshold = 500
name = { en = "Tender Bud" }

[[shops.demo.loyalty.tiers]]
id = "bloom"
threshold = 2000
name = { en = "Full Bloom" }

[[shops.demo.loyalty.rewards]]
id = "free-shipping"
kind = "free_shipping"
cost = 300
name = { en = "Free shipping" }

[[shops.demo.loyalty.rewards]]
id = "off-10"
kind = "amount_off"
value = 1000
cost = 500
name = { en = "¥10 off", "zh-Hans" = "立减 ¥10" }

[[shops.demo.loyalty.rewards]]
id = "off-50"
kind = "amount_off"
value = 5000
cost = 2500
name = { en = "¥50 off" }

[[shops.demo.loyalty.actions]]
id = "signup"
points = 100
once_per_reference = true
name = { en = "Create an account", "zh-Hans" = "注册会员" }

[[shops.demo.loyalty.actions]]
id = "review"
points = 50
once_per_reference = true
daily_cap = 120
name = { en = "Write a review" }

[[shops.demo.loyalty.actions]]
id = "visit"
points = 30
once_per_year = true
name = { en = "Visit on our anniversary" }

[shops.other]
name = "Other Shop"
token_secrets = ["test-token-secret-other-0123456789abcdef"]
webhook_secrets = ["test-webhook-secret-other-0123456789abcdef"]
api_keys = ["test-api-key-other-0123456789abcdef01234"]
currency = "USD"

[shops.other.loyalty]
code_prefix = "OTH"

[shops.tiny]
name = "Tiny Shop"
token_secrets = ["test-token-secret-tiny-0123456789abcdef"]
webhook_secrets = ["test-webhook-secret-tiny-0123456789abcdef"]
api_keys = ["test-api-key-tiny-0123456789abcdef012345"]
currency = "CNY"
rate_limit_per_minute = 3

[shops.tiny.loyalty]
code_prefix = "TINY"
"#;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A temporary SQLite file.
    Sqlite,
    /// A fresh PostgreSQL database.
    Postgres,
}

fn postgres_admin_url() -> String {
    std::env::var("COMEBACK_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// 0 = unknown, 1 = reachable, 2 = unreachable.
static POSTGRES_STATE: AtomicU8 = AtomicU8::new(0);

/// Removes the test database when the test ends, even when it panics.
enum DbGuard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres {
        name: String,
    },
    /// A second app on another app's database: that app's guard removes it.
    Shared,
}

impl Drop for DbGuard {
    fn drop(&mut self) {
        if let DbGuard::Postgres { name } = self {
            let name = name.clone();
            // A fresh runtime on its own thread: Drop cannot await, and the test's
            // runtime may be shutting down.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                runtime.block_on(async {
                    if let Ok(mut admin) = sqlx::PgConnection::connect(&postgres_admin_url()).await
                    {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut admin)
                                .await;
                    }
                });
            })
            .join();
        }
    }
}

/// The app under test.
pub struct TestApp {
    /// The router.
    pub router: Router,
    /// Its state (clock, store).
    pub state: AppState,
    /// The database URL.
    pub url: String,
    _guard: DbGuard,
}

/// An answer, with the body parsed as JSON when it is JSON.
#[derive(Debug)]
pub struct TestResponse {
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// JSON body, or `Null`.
    pub body: Value,
    /// Raw body.
    pub text: String,
}

impl TestResponse {
    /// The error code of an error body.
    pub fn error_code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("<none>")
    }

    /// Asserts an error answer with the standard shape.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
        assert_eq!(self.error_code(), code, "body: {}", self.text);
        let message = self.body["error"]["message"].as_str().unwrap_or_default();
        assert!(
            !message.is_empty(),
            "error without a message: {}",
            self.text
        );
        let request_id = self.body["error"]["request_id"]
            .as_str()
            .unwrap_or_default();
        assert!(
            !request_id.is_empty(),
            "error without a request id: {}",
            self.text
        );
        assert_eq!(
            self.headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok()),
            Some(request_id),
            "the body's request id is the header's"
        );
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

impl TestApp {
    /// Moves the app's clock to `at`, an RFC 3339 instant.
    pub fn move_to(&self, at: &str) {
        let target =
            time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
                .unwrap()
                .unix_timestamp();
        self.state.clock.advance(target - self.state.clock.now());
    }

    /// The app with [`CONFIG`] on a fresh database; `None` when PostgreSQL is skipped.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        TestApp::spawn_with(backend, CONFIG, Settings::default()).await
    }

    /// The app with another config and settings.
    pub async fn spawn_with(backend: Backend, config: &str, settings: Settings) -> Option<TestApp> {
        let config = Config::parse(config).expect("test config is valid");
        let (url, guard) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                (url, DbGuard::Sqlite(dir))
            }
            Backend::Postgres => {
                let (url, name) = create_postgres_database().await?;
                (url, DbGuard::Postgres { name })
            }
        };
        let store = Store::connect(&url).await.expect("connect");
        store.migrate().await.expect("migrate");
        let state = AppState::new(config, settings, store);
        Some(TestApp {
            router: app(state.clone()),
            state,
            url,
            _guard: guard,
        })
    }

    /// Another server process on this app's database, with its own pool and the same
    /// config and clock. Drop it before this app.
    pub async fn second_instance(&self, config: &str) -> TestApp {
        let config = Config::parse(config).expect("test config is valid");
        let store = Store::connect(&self.url).await.expect("connect");
        store.migrate().await.expect("migrate");
        let state = AppState::new(config, Settings::default(), store)
            .with_clock(std::sync::Arc::clone(&self.state.clock));
        TestApp {
            router: app(state.clone()),
            state,
            url: self.url.clone(),
            _guard: DbGuard::Shared,
        }
    }

    /// Runs a statement on the database directly (to set up states the API cannot).
    pub async fn execute(&self, sql: &str) {
        sqlx::any::install_default_drivers();
        let mut connection = sqlx::AnyConnection::connect(&self.url)
            .await
            .expect("connect");
        sqlx::query(sql)
            .execute(&mut connection)
            .await
            .expect("statement");
        let _ = connection.close().await;
    }

    /// Sends a request.
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        TestResponse {
            status,
            headers,
            body,
            text,
        }
    }

    /// `GET` with an optional bearer token.
    pub async fn get(&self, uri: &str, bearer: Option<&str>) -> TestResponse {
        let mut request = Request::get(uri);
        if let Some(bearer) = bearer {
            request = request.header("authorization", format!("Bearer {bearer}"));
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// `POST` of a JSON body with an optional bearer token and extra headers.
    pub async fn post_json(
        &self,
        uri: &str,
        bearer: Option<&str>,
        headers: &[(&str, &str)],
        body: &Value,
    ) -> TestResponse {
        self.send_json(Method::POST, uri, bearer, headers, body)
            .await
    }

    /// A JSON body sent with `method`, an optional bearer token and extra headers.
    pub async fn send_json(
        &self,
        method: Method,
        uri: &str,
        bearer: Option<&str>,
        headers: &[(&str, &str)],
        body: &Value,
    ) -> TestResponse {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", "application/json");
        if let Some(bearer) = bearer {
            request = request.header("authorization", format!("Bearer {bearer}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// A customer token for the `demo` shop, valid for an hour.
    pub fn token(&self, customer: &str) -> String {
        mint_token(
            DEMO_TOKEN_SECRET,
            customer,
            Some("Test Shopper"),
            self.state.clock.now(),
            3600,
        )
        .unwrap()
    }

    /// The demo shop's outbox rows of one event type, oldest first.
    pub async fn outbox_of(&self, event_type: &str) -> Vec<comeback_server::store::OutboxRow> {
        self.state
            .store
            .outbox_rows("demo")
            .await
            .unwrap()
            .into_iter()
            .filter(|row| row.event.event_type == event_type)
            .collect()
    }

    /// The demo shop's admin view of `customer` (asserting it answers 200).
    pub async fn admin_customer(&self, customer: &str) -> Value {
        let response = self
            .get(
                &format!("/v1/shops/demo/admin/customers/{customer}"),
                Some(DEMO_API_KEY),
            )
            .await;
        assert_eq!(response.status, 200, "{}", response.text);
        response.body
    }

    /// `GET /loyalty/me` of the demo shop.
    pub async fn me(&self, customer: &str) -> TestResponse {
        self.get("/v1/shops/demo/loyalty/me", Some(&self.token(customer)))
            .await
    }

    /// Redeems a reward in the demo shop.
    pub async fn redeem(&self, customer: &str, key: &str, reward_id: &str) -> TestResponse {
        self.post_json(
            "/v1/shops/demo/loyalty/redemptions",
            Some(&self.token(customer)),
            &[("idempotency-key", key)],
            &json!({ "reward_id": reward_id }),
        )
        .await
    }

    /// Sends a raw webhook body with a given signature header (or none).
    pub async fn webhook_raw(
        &self,
        shop: &str,
        body: &str,
        signature: Option<&str>,
    ) -> TestResponse {
        let mut request = Request::post(format!("/v1/shops/{shop}/webhooks/orders"))
            .header("content-type", "application/json");
        if let Some(signature) = signature {
            request = request.header(
                "comeback-signature",
                HeaderValue::from_str(signature).unwrap(),
            );
        }
        self.send(request.body(Body::from(body.to_owned())).unwrap())
            .await
    }

    /// Sends a correctly signed order webhook to the demo shop.
    pub async fn webhook(&self, body: &Value) -> TestResponse {
        self.signed_webhook("orders", body).await
    }

    /// Sends a correctly signed webhook (`orders`, `products`, `customers`) to the demo
    /// shop.
    pub async fn signed_webhook(&self, path: &str, body: &Value) -> TestResponse {
        let body = body.to_string();
        let now = self.state.clock.now();
        let signature = format!(
            "t={now},v1={}",
            sign_webhook(DEMO_WEBHOOK_SECRET, now, body.as_bytes())
        );
        self.send(
            Request::post(format!("/v1/shops/demo/webhooks/{path}"))
                .header("content-type", "application/json")
                .header("comeback-signature", signature)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// An order webhook in CNY.
    pub async fn order(
        &self,
        customer: &str,
        order_id: &str,
        status: &str,
        total: i64,
    ) -> TestResponse {
        self.webhook(&json!({
            "id": order_id,
            "customer_id": customer,
            "status": status,
            "currency": "CNY",
            "total": total,
            "lines": [{ "product_id": "sku-1", "quantity": 1, "unit_price": total }],
        }))
        .await
    }

    /// Pays an order and asserts success.
    pub async fn pay(&self, customer: &str, order_id: &str, total: i64) -> Value {
        let response = self.order(customer, order_id, "paid", total).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text);
        response.body
    }

    /// Sends an arbitrary request.
    pub async fn request(
        &self,
        method: Method,
        uri: &str,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut request = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }
}

/// Creates `cb_<uuid>` through the admin database; `None` (with a loud note) when
/// PostgreSQL is unreachable outside CI.
async fn create_postgres_database() -> Option<(String, String)> {
    let admin_url = postgres_admin_url();
    if POSTGRES_STATE.load(Ordering::Relaxed) == 2 {
        return skip(&admin_url, "unreachable earlier");
    }
    let connect = tokio::time::timeout(
        Duration::from_secs(5),
        sqlx::PgConnection::connect(&admin_url),
    )
    .await;
    let mut admin = match connect {
        Ok(Ok(connection)) => connection,
        Ok(Err(error)) => return skip(&admin_url, &error.to_string()),
        Err(_) => return skip(&admin_url, "timed out"),
    };
    POSTGRES_STATE.store(1, Ordering::Relaxed);
    let name = format!("cb_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create the test database");
    let _ = admin.close().await;
    let base = admin_url.split('?').next().unwrap_or(&admin_url);
    let (server, _) = base
        .rsplit_once('/')
        .expect("the PostgreSQL URL names a database");
    Some((format!("{server}/{name}"), name))
}

fn skip(url: &str, why: &str) -> Option<(String, String)> {
    let first = POSTGRES_STATE.swap(2, Ordering::Relaxed) != 2;
    if std::env::var("CI").is_ok_and(|ci| ci == "true") {
        panic!("PostgreSQL not reachable at {url} ({why}) and CI=true");
    }
    if first {
        // Straight to stderr: the test harness captures `eprintln!` of passing tests.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "\nSKIPPED: PostgreSQL not reachable at {url} ({why}); the PostgreSQL half of the tests did not run\n"
        );
    }
    None
}
