//! The Comeback backend: the `/v1` REST API behind the widgets, the shop-facing
//! webhooks, discount-code and admin endpoints, and the static widget bundle.
//!
//! [`app`] builds the whole HTTP application from an [`AppState`]; `main` only parses
//! the command line and serves it. Tests drive [`app`] directly with `oneshot`.

pub mod anniversary;
pub mod auth;
pub mod birthday;
pub mod cli;
pub mod config;
pub mod delivery;
pub mod error;
pub mod expiry;
pub mod features;
pub mod import;
pub mod import_orders;
pub mod openapi;
pub mod ratelimit;
pub mod recs_cli;
pub mod request_id;
pub mod routes;
pub mod scheduler;
pub mod serve;
pub mod shop_settings;
pub mod shops;
pub mod staff_cli;
pub mod store;
pub mod tier_review;
pub mod yearly_gift;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::handler::HandlerWithoutStateExt;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, RETRY_AFTER,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, Method};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::Redirect;
use axum::routing::get;
use axum::Router;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Shop;
use crate::config::{Config, Settings};
use crate::error::AppError;
use crate::ratelimit::RateLimiter;
use crate::request_id::X_REQUEST_ID;
use crate::routes::{demo, health};
use crate::shops::{ShopMap, Shops};
use crate::store::Store;

/// Largest accepted request body, in bytes.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The server's clock in Unix seconds. Tests move it forward to expire codes and tokens
/// without waiting, and freeze it where they compare stored times with what they read.
#[derive(Debug, Default)]
pub struct Clock {
    offset: AtomicI64,
    /// The second the clock stands still at; 0 while it runs.
    frozen: AtomicI64,
}

impl Clock {
    /// Now, Unix seconds.
    pub fn now(&self) -> i64 {
        let base = match self.frozen.load(Ordering::Relaxed) {
            0 => time::OffsetDateTime::now_utc().unix_timestamp(),
            frozen => frozen,
        };
        base + self.offset.load(Ordering::Relaxed)
    }

    /// Stops the clock at the current second (only [`Clock::advance`] moves it then), so
    /// a test on a busy machine never straddles a second.
    pub fn freeze(&self) {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        self.frozen.store(now, Ordering::Relaxed);
    }

    /// Moves the clock forward (or back, with a negative value).
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::Relaxed);
    }
}

/// Everything a request handler needs: one shared [`Shared`], so the clone axum makes
/// for every layer and extractor of every request is one reference count.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What an [`AppState`] shares: each part is itself shared or swapped whole, so a copy
/// of it (see [`AppState::with_clock`]) sees the same shops, store and caches.
#[derive(Debug, Clone)]
pub struct Shared {
    /// The validated configuration.
    pub config: Arc<Config>,
    /// Shops by id, shared into extractors; replaced whole by [`AppState::reload`].
    pub shops: Arc<Shops>,
    /// Environment settings.
    pub settings: Arc<Settings>,
    /// The database.
    pub store: Store,
    /// The clock.
    pub clock: Arc<Clock>,
    /// Rate-limit buckets.
    pub rate_limiter: Arc<RateLimiter>,
    /// The `/loyalty/me` answers this process keeps while they are current.
    pub me_cache: features::loyalty::MeCache,
    /// The help content, compiled per shop and locale on first request.
    pub help: features::help::HelpCache,
    /// Each shop's recommendation model, built on first use and kept current.
    pub recommenders: features::recommendations::Recommenders,
    /// The configuration file as loaded and the dashboard settings in force.
    pub programme: Arc<shop_settings::Live>,
}

impl AppState {
    /// State for a validated config, its settings and a migrated store.
    pub fn new(config: Config, settings: Settings, store: Store) -> AppState {
        let shops = shop_map(&config);
        let rate_limiter = RateLimiter::new(config.server.trusted_networks());
        let store = store
            .with_webhooks(outbox_rules_of(&config))
            .with_tiers(tier_rules_of(&config));
        AppState(Arc::new(Shared {
            programme: Arc::new(shop_settings::Live::new(config.clone())),
            config: Arc::new(config),
            shops: Arc::new(Shops::new(shops)),
            settings: Arc::new(settings),
            store,
            clock: Arc::new(Clock::default()),
            rate_limiter: Arc::new(rate_limiter),
            me_cache: features::loyalty::MeCache::default(),
            help: features::help::HelpCache::default(),
            recommenders: features::recommendations::Recommenders::default(),
        }))
    }

    /// This state with another clock (tests share one clock between two instances, or
    /// with a webhook receiver); everything else stays shared with `self`.
    pub fn with_clock(&self, clock: Arc<Clock>) -> AppState {
        let mut shared = Shared::clone(self);
        shared.clock = clock;
        AppState(Arc::new(shared))
    }

    /// Serves the shops of `config` from now on (the configuration file was edited and
    /// the process told to reload it): their keys, origins, programmes and every other
    /// `[shops.<id>]` setting, shops added or removed. The survey versions are checked
    /// first, as at start, so a reload that would change a published version is refused
    /// and nothing changes. Kept answers made with the old settings (`/loyalty/me`,
    /// help content, recommendation models) are forgotten; one computed by a request
    /// still running on the old settings may be kept until its customer's next change.
    /// `[server]` and `[demo]` are read at start only: changing them needs a restart.
    pub async fn reload(&self, config: Config) -> Result<(), anyhow::Error> {
        self.reload_shops(config, &|_| true).await
    }

    /// [`AppState::reload`] where only the shops `changed` names have new settings (a
    /// dashboard save): only their survey versions are checked and only their kept
    /// answers forgotten, so one shop's save never costs another its caches and models.
    pub async fn reload_shops(
        &self,
        config: Config,
        changed: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<(), anyhow::Error> {
        let shops = shop_map(&config);
        let checked: ShopMap = shops
            .iter()
            .filter(|(id, _)| changed(id))
            .map(|(id, shop)| (id.clone(), Arc::clone(shop)))
            .collect();
        features::surveys::publish_shops(self, &checked).await?;
        self.store
            .set_rules(outbox_rules_of(&config), tier_rules_of(&config));
        self.shops.replace(shops);
        self.me_cache.forget(changed);
        self.help.forget(changed);
        self.recommenders.forget(changed);
        Ok(())
    }

    /// The shop with this id, or 404.
    pub fn shop(&self, id: &str) -> Result<Shop, AppError> {
        self.shops
            .get(id)
            .map(|config| Shop {
                id: id.to_owned(),
                config,
            })
            .ok_or_else(|| {
                AppError::not_found(format!("there is no shop `{}`", error::excerpt(id)))
            })
    }
}

/// Every shop of `config`, by id.
fn shop_map(config: &Config) -> ShopMap {
    config
        .shops
        .iter()
        .map(|(id, shop)| (id.clone(), Arc::new(shop.clone())))
        .collect()
}

/// The outbox rules of every shop of `config` that has webhooks: the store is handed
/// plain rules, never config types.
fn outbox_rules_of(config: &Config) -> store::Webhooks {
    Arc::new(
        config
            .shops
            .iter()
            .filter_map(|(id, shop)| {
                let webhooks = shop.webhooks.as_ref()?;
                let rules = store::OutboxRules {
                    events: webhooks.events.clone(),
                };
                Some((id.clone(), rules))
            })
            .collect(),
    )
}

/// The tier rules of every shop of `config` with a loyalty programme.
fn tier_rules_of(config: &Config) -> store::TierRulesByShop {
    Arc::new(
        config
            .shops
            .iter()
            .filter_map(|(id, shop)| {
                let loyalty = shop.loyalty.as_ref()?;
                let rules = store::TierRules {
                    ladder: loyalty.ladder(),
                    basis: loyalty.tier_basis,
                    window: loyalty.tier_window,
                };
                Some((id.clone(), rules))
            })
            .collect(),
    )
}

/// The whole HTTP application: the routes of [`features::router`] (the one list, which
/// also makes the OpenAPI document), the probes, the document, demo mode, the bundle and
/// the demo shop.
pub fn app(state: AppState) -> Router {
    let (shop_api, shop_api_doc) = features::router(&state).split_for_parts();
    let (probes, probes_doc) = OpenApiRouter::new()
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .split_for_parts();
    // Documented whether or not this instance runs in demo mode.
    let (demo_routes, demo_doc) = OpenApiRouter::new()
        .routes(routes!(demo::session))
        .routes(routes!(demo::checkout))
        .route_layer(from_fn_with_state(state.clone(), ratelimit::demo))
        .split_for_parts();
    let document = openapi::document([shop_api_doc, probes_doc, demo_doc]);

    // Set before the CORS layer so that preflight requests still reach it.
    let api = shop_api
        .method_not_allowed_fallback(routes::method_not_allowed)
        .layer(SetResponseHeaderLayer::if_not_present(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(cors(Arc::clone(&state.shops)));

    let mut router = probes
        .route("/v1/openapi.json", get(move || openapi::serve(document)))
        .method_not_allowed_fallback(routes::method_not_allowed)
        .merge(api);
    if state.config.demo.enabled {
        router = router.merge(demo_routes);
    }
    // The widget bundle: precompressed files when present, cacheable, and loadable from
    // any shop's origin (shops embed it cross-origin).
    let bundle = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300, stale-while-revalidate=86400"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("cross-origin"),
        ))
        .service(
            ServeDir::new(&state.settings.bundle_dir)
                .precompressed_br()
                .precompressed_gzip(),
        );
    router = router.nest_service("/comeback", bundle);
    router = router
        .nest_service("/admin", admin_app(&state.settings.admin_dir))
        .layer(from_fn(admin_slash));
    let www = &state.settings.www_dir;
    router = if www.is_dir() {
        router.fallback_service(
            ServeDir::new(www)
                .append_index_html_on_directories(true)
                .fallback(routes::not_found.into_service()),
        )
    } else {
        router.fallback(routes::not_found)
    };
    with_common_layers(router, state)
}

/// What the browser may do on the dashboard's pages: run only its own script and wasm,
/// talk only to this server, frame only its own widget preview, never be framed, send
/// no referrer.
const ADMIN_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
    connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
    frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The widget preview (`/admin/preview.html`): the dashboard frames it, and the widget
/// shows the shop's product images, wherever the shop keeps them.
const PREVIEW_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
    connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; \
    base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/// The shop-owner dashboard's files (`/admin/`): same-origin only, revalidated on every
/// visit so a new release is picked up at once.
fn admin_app(
    dir: &std::path::Path,
) -> impl tower::Service<
    axum::extract::Request,
    Response = axum::response::Response,
    Error = std::convert::Infallible,
    Future = impl Send,
> + Clone
       + Send
       + Sync
       + 'static {
    ServiceBuilder::new()
        .map_response(axum::response::IntoResponse::into_response)
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(from_fn(admin_framing))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("no-referrer"),
        ))
        .service(
            ServeDir::new(dir)
                .append_index_html_on_directories(true)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(routes::not_found.into_service()),
        )
}

/// The dashboard's framing rules: its pages are never framed; the widget preview only
/// by the dashboard itself.
async fn admin_framing(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    // Inside `/admin` the path arrives without that prefix.
    let preview = request.uri().path() == "/preview.html";
    let (policy, framing) = if preview {
        (PREVIEW_CSP, "SAMEORIGIN")
    } else {
        (ADMIN_CSP, "DENY")
    };
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        HeaderName::from_static("content-security-policy"),
        HeaderValue::from_static(policy),
    );
    headers.insert(
        HeaderName::from_static("x-frame-options"),
        HeaderValue::from_static(framing),
    );
    response
}

/// `/admin` sends the browser to `/admin/`, so the dashboard's relative addresses
/// resolve under it.
async fn admin_slash(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if request.uri().path() == "/admin" {
        return axum::response::IntoResponse::into_response(Redirect::permanent("/admin/"));
    }
    next.run(request).await
}

/// The layers every route gets: a time limit, the body limit, panics answered as a JSON
/// `500 internal` with the request id, the request id itself, and `nosniff`. Public so
/// tests can put a route of their own behind exactly these layers.
pub fn with_common_layers(router: Router<AppState>, state: AppState) -> Router {
    router
        .layer(from_fn(time_limit))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // Inside the request-id layer, so the answer carries the request's id.
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(from_fn(request_id::middleware))
        .layer(SetResponseHeaderLayer::overriding(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(state)
}

/// The answer to a handler that panicked: the standard error body, the cause logged.
fn panic_response(cause: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    let message = cause
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| cause.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned());
    axum::response::IntoResponse::into_response(AppError::Internal(format!(
        "handler panicked: {message}"
    )))
}

/// Longest a request may take before the server answers 503 `unavailable` (a stuck
/// database must not hold a shopper's widget, or a connection, forever).
pub const REQUEST_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(20);

async fn time_limit(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    match tokio::time::timeout(REQUEST_TIME_LIMIT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!("request exceeded the time limit");
            axum::response::IntoResponse::into_response(AppError::Unavailable)
        }
    }
}

/// CORS for the shopper routes `/v1/shops/{shop}/<section>/…` (sections in
/// [`features::SHOPPER_SECTIONS`]): only that shop's configured origins. The backend
/// routes (webhooks, admin, codes, catalogue) are never allowed cross-origin: browsers
/// have no business calling them.
fn cors(shops: Arc<Shops>) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(
            move |origin: &HeaderValue, parts: &Parts| {
                let mut segments = parts
                    .uri
                    .path()
                    .strip_prefix("/v1/shops/")
                    .unwrap_or_default()
                    .split('/');
                let (Some(shop), Some(section)) = (segments.next(), segments.next()) else {
                    return false;
                };
                if !features::SHOPPER_SECTIONS.contains(&section) {
                    return false;
                }
                shops.get(shop).is_some_and(|shop| {
                    shop.allowed_origins
                        .iter()
                        .any(|allowed| allowed.as_bytes() == origin.as_bytes())
                })
            },
        ))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::OPTIONS,
        ])
        .allow_headers([
            AUTHORIZATION,
            CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
            X_REQUEST_ID.clone(),
        ])
        .expose_headers([
            X_REQUEST_ID.clone(),
            RETRY_AFTER,
            routes::loyalty::IDEMPOTENCY_REPLAYED.clone(),
        ])
        .max_age(Duration::from_secs(600))
}
