//! The one HTTP client every widget uses to talk to the Comeback API.
//!
//! - JSON is parsed by the browser (`JSON.parse`) and read into Rust types by
//!   [`crate::wire`], which keeps serde out of the bundle.
//! - Every request has a timeout and is aborted when its widget unmounts.
//! - Reads retry network failures, 5xx and 429 with exponential backoff and jitter,
//!   honouring `Retry-After`; 4xx answers are final. Writes are sent once: a money action
//!   is never repeated behind the shopper's back (they carry an `Idempotency-Key`, so the
//!   shopper's own retry is safe).

use std::cell::RefCell;
use std::rc::Rc;

use comeback_core::error::ErrorCode;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;
use web_sys::{Headers, RequestInit, Response};

use crate::wire::{self, FromJs};

/// How long one attempt may take before it is aborted.
pub const TIMEOUT_MS: u32 = 10_000;
/// Attempts for a read, the first included.
pub const READ_ATTEMPTS: u32 = 3;
/// Base delay before the first retry; doubles each time.
pub const BACKOFF_BASE_MS: u32 = 400;
/// Longest wait a `Retry-After` may impose before the read gives up.
pub const MAX_RETRY_AFTER_MS: u32 = 8_000;

/// How long a successful read is reused by later reads of the same URL with the same
/// token, in milliseconds: widgets of one page (the launcher's button, the widget in its
/// tab) then share one answer instead of asking again.
pub const READ_REUSE_MS: f64 = 60_000.0;

/// A remembered read answer.
struct Read {
    url: String,
    token: Option<String>,
    at: f64,
    value: JsValue,
}

thread_local! {
    /// Read answers of this page, shared by every widget (one wasm instance per page).
    static READS: RefCell<Vec<Read>> = const { RefCell::new(Vec::new()) };
}

/// Remembers `value` as the answer to `GET url` for `token`, for [`READ_REUSE_MS`]. The
/// loader hands over what it fetched for the closed launcher this way.
pub fn remember(url: &str, token: Option<&str>, value: JsValue) {
    let now = js_sys::Date::now();
    READS.with(|reads| {
        let Ok(mut reads) = reads.try_borrow_mut() else {
            return;
        };
        reads.retain(|r| {
            now - r.at < READ_REUSE_MS && !(r.url == url && r.token.as_deref() == token)
        });
        reads.push(Read {
            url: url.to_owned(),
            token: token.map(str::to_owned),
            at: now,
            value,
        });
    });
}

fn recall(url: &str, token: Option<&str>) -> Option<JsValue> {
    let now = js_sys::Date::now();
    READS.with(|reads| {
        reads.try_borrow().ok().and_then(|reads| {
            reads
                .iter()
                .find(|r| r.url == url && r.token.as_deref() == token && now - r.at < READ_REUSE_MS)
                .map(|r| r.value.clone())
        })
    })
}

/// Forgets every remembered read (the browser tests start each case afresh with it).
pub fn forget_reads() {
    forget("");
}

/// Forgets every remembered read under `base`: a write may have changed any of them.
fn forget(base: &str) {
    READS.with(|reads| {
        if let Ok(mut reads) = reads.try_borrow_mut() {
            reads.retain(|r| !r.url.starts_with(base));
        }
    });
}

/// Why a call failed. `Display` is for developers (console, `comeback:error`); shoppers
/// see a catalogue string chosen from the variant.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The request never got an answer (offline, DNS, CORS refusal).
    #[error("network error: {0}")]
    Network(String),
    /// No answer within the timeout.
    #[error("the request timed out")]
    Timeout,
    /// The widget unmounted while the request was in flight.
    #[error("the request was cancelled")]
    Aborted,
    /// The server answered with an error.
    #[error("{status} {}: {message}", code.as_str())]
    Http {
        /// HTTP status.
        status: u16,
        /// The API's stable error code.
        code: ErrorCode,
        /// The API's message.
        message: String,
        /// Seconds from `Retry-After`, when present.
        retry_after: Option<u32>,
    },
    /// The answer was not the JSON this widget expects.
    #[error("unexpected response: {0}")]
    Decode(String),
}

impl ApiError {
    /// A short stable code for `comeback:error` details.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Network(_) => "network",
            ApiError::Timeout => "timeout",
            ApiError::Aborted => "aborted",
            ApiError::Http { code, .. } => code.as_str(),
            ApiError::Decode(_) => "decode",
        }
    }

    /// Whether the API rejected the shopper's credentials (by its error code, never by
    /// the HTTP status alone).
    pub fn is_unauthorized(&self) -> bool {
        matches!(
            self,
            ApiError::Http {
                code: ErrorCode::Unauthorized,
                ..
            }
        )
    }

    /// Whether a read may be tried again.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Network(_) | ApiError::Timeout => true,
            ApiError::Http { status, .. } => *status == 429 || *status >= 500,
            ApiError::Aborted | ApiError::Decode(_) => false,
        }
    }
}

/// The delay before retry number `attempt` (1-based): `Retry-After` when the server gave
/// one (capped), else exponential backoff with full jitter. `random` is in `[0, 1)`.
pub fn retry_delay_ms(attempt: u32, retry_after: Option<u32>, random: f64) -> u32 {
    if let Some(seconds) = retry_after {
        return seconds.saturating_mul(1000).min(MAX_RETRY_AFTER_MS);
    }
    let ceiling = BACKOFF_BASE_MS.saturating_mul(1 << attempt.saturating_sub(1).min(8));
    // Half fixed, half random: never a thundering herd, never a zero wait.
    let half = ceiling / 2;
    half + (f64::from(half) * random.clamp(0.0, 1.0)) as u32
}

/// A fresh `Idempotency-Key` for one attempt of a write: a random (version 4) UUID from
/// `crypto.randomUUID()`. Every widget takes its keys from here; a retry of the same
/// attempt sends the key it got again (the widget's model keeps it), a new attempt
/// asks for a new one.
pub fn new_idempotency_key() -> String {
    let window = web_sys::window();
    let crypto = window.as_ref().and_then(|window| window.crypto().ok());
    if let (Some(window), Some(crypto)) = (&window, &crypto) {
        // `randomUUID` exists only in secure contexts; calling it elsewhere would throw.
        if window.is_secure_context() {
            return crypto.random_uuid();
        }
    }
    // A shop still on plain http: the same format from `getRandomValues`.
    let mut bytes = [0_u8; 16];
    let filled = crypto.is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for byte in &mut bytes {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    uuid_v4(bytes)
}

/// Formats 16 random bytes as a version 4, variant 1 UUID.
fn uuid_v4(mut bytes: [u8; 16]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut uuid = String::with_capacity(36);
    for (index, byte) in bytes.iter().enumerate() {
        if matches!(index, 4 | 6 | 8 | 10) {
            uuid.push('-');
        }
        uuid.push(char::from(HEX[usize::from(byte >> 4)]));
        uuid.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    uuid
}

/// `text` percent-encoded for a query value: everything but RFC 3986's unreserved
/// characters, so an id holding `,`, `&` or `#` cannot change the request.
pub fn encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    out
}

/// Aborts every request of one widget when it unmounts.
#[derive(Debug, Default)]
struct InFlight {
    controllers: Vec<AbortController>,
    closed: bool,
}

/// A client bound to one shop's API prefix (`…/v1/shops/{shop}`).
#[derive(Debug, Clone)]
pub struct ApiClient {
    base: Rc<str>,
    in_flight: Rc<RefCell<InFlight>>,
}

impl ApiClient {
    /// A client for calls under `base`.
    pub fn new(base: &str) -> ApiClient {
        ApiClient {
            base: base.into(),
            in_flight: Rc::default(),
        }
    }

    /// The API prefix this client calls under (`…/v1/shops/{shop}`): one shop's.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Aborts every request in flight and refuses new ones.
    pub fn close(&self) {
        let mut in_flight = self.in_flight.borrow_mut();
        in_flight.closed = true;
        for controller in in_flight.controllers.drain(..) {
            controller.abort();
        }
    }

    /// `GET {base}{path}`, retried as a read; a recent answer to the same read (see
    /// [`READ_REUSE_MS`]) is reused without asking again.
    pub async fn get<T: FromJs>(&self, path: &str, token: Option<&str>) -> Result<T, ApiError> {
        let url = [&*self.base, path].concat();
        if let Some(value) = recall(&url, token) {
            return decode(value);
        }
        let value = self.get_json(path, token).await?;
        let decoded = decode(value.clone());
        if decoded.is_ok() {
            remember(&url, token, value);
        }
        decoded
    }

    /// `POST {base}{path}` with a JSON body and an `Idempotency-Key`, sent once.
    pub async fn post<T: FromJs>(
        &self,
        path: &str,
        token: Option<&str>,
        idempotency_key: &str,
        body: &JsValue,
    ) -> Result<T, ApiError> {
        decode(
            self.write("POST", path, token, idempotency_key, body)
                .await?,
        )
    }

    /// `PATCH {base}{path}` with a JSON body and an `Idempotency-Key`, sent once.
    pub async fn patch<T: FromJs>(
        &self,
        path: &str,
        token: Option<&str>,
        idempotency_key: &str,
        body: &JsValue,
    ) -> Result<T, ApiError> {
        decode(
            self.write("PATCH", path, token, idempotency_key, body)
                .await?,
        )
    }

    /// `PUT {base}{path}` with a JSON body, sent once (a PUT is idempotent by nature).
    pub async fn put<T: FromJs>(
        &self,
        path: &str,
        token: Option<&str>,
        body: &JsValue,
    ) -> Result<T, ApiError> {
        let url = [&*self.base, path].concat();
        forget(&self.base);
        let headers = [("content-type", "application/json")];
        let body = to_json(body)?;
        decode(self.send("PUT", &url, token, &headers, Some(body)).await?)
    }

    // The request paths below are not generic, so the bundle holds them once however
    // many answer types there are.

    /// A write with an `Idempotency-Key`: every remembered read may be stale after it.
    async fn write(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        idempotency_key: &str,
        body: &JsValue,
    ) -> Result<JsValue, ApiError> {
        let url = [&*self.base, path].concat();
        forget(&self.base);
        let headers = [
            ("content-type", "application/json"),
            ("idempotency-key", idempotency_key),
        ];
        let body = to_json(body)?;
        self.send(method, &url, token, &headers, Some(body)).await
    }

    async fn get_json(&self, path: &str, token: Option<&str>) -> Result<JsValue, ApiError> {
        let mut attempt = 1;
        loop {
            let url = [&*self.base, path].concat();
            let result = self.send("GET", &url, token, &[], None).await;
            match result {
                Err(error) if error.is_retryable() && attempt < READ_ATTEMPTS => {
                    let retry_after = match &error {
                        ApiError::Http { retry_after, .. } => *retry_after,
                        _ => None,
                    };
                    if retry_after.is_some_and(|s| s.saturating_mul(1000) > MAX_RETRY_AFTER_MS) {
                        return Err(error);
                    }
                    let delay = retry_delay_ms(attempt, retry_after, js_sys::Math::random());
                    gloo_timers::future::TimeoutFuture::new(delay).await;
                    if self.in_flight.borrow().closed {
                        return Err(ApiError::Aborted);
                    }
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// One `fetch` with the browser's own API (no HTTP crate in the bundle): the
    /// headers, the token, a timeout and the widget's abort signal.
    async fn send(
        &self,
        method: &str,
        url: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> Result<JsValue, ApiError> {
        let controller =
            AbortController::new().map_err(|_| ApiError::Network("no AbortController".into()))?;
        {
            let mut in_flight = self.in_flight.borrow_mut();
            if in_flight.closed {
                return Err(ApiError::Aborted);
            }
            in_flight.controllers.push(controller.clone());
        }
        let timed_out = Rc::new(std::cell::Cell::new(false));
        let timer = {
            let controller = controller.clone();
            let timed_out = timed_out.clone();
            gloo_timers::callback::Timeout::new(TIMEOUT_MS, move || {
                timed_out.set(true);
                controller.abort();
            })
        };
        let result = async {
            let init = RequestInit::new();
            init.set_method(method);
            init.set_headers(&request_headers(token, headers)?.into());
            if let Some(body) = body {
                init.set_body(&JsValue::from_str(&body));
            }
            init.set_signal(Some(&controller.signal()));
            let window = web_sys::window().ok_or_else(|| ApiError::Network("no window".into()))?;
            let fetched = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await;
            let response: Response = fetched
                .and_then(|value| value.dyn_into::<Response>())
                .map_err(|error| {
                    if timed_out.get() {
                        ApiError::Timeout
                    } else if controller.signal().aborted() {
                        ApiError::Aborted
                    } else {
                        ApiError::Network(js_message(&error))
                    }
                })?;
            read(response).await
        }
        .await;
        timer.cancel();
        self.in_flight
            .borrow_mut()
            .controllers
            .retain(|c| c != &controller);
        result
    }
}

fn request_headers(token: Option<&str>, extra: &[(&str, &str)]) -> Result<Headers, ApiError> {
    let invalid = |_| ApiError::Network("a request header was refused".into());
    let headers = Headers::new().map_err(invalid)?;
    if let Some(token) = token {
        headers
            .set("authorization", &["Bearer ", token].concat())
            .map_err(invalid)?;
    }
    for (name, value) in extra {
        headers.set(name, value).map_err(invalid)?;
    }
    Ok(headers)
}

/// The message of a JS error (`TypeError: Failed to fetch`), for developers.
fn js_message(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "fetch failed".into())
}

fn to_json(body: &JsValue) -> Result<String, ApiError> {
    js_sys::JSON::stringify(body)
        .map(String::from)
        .map_err(|_| ApiError::Decode("the request body is not JSON".into()))
}

fn parse_json(text: &str) -> Result<JsValue, ApiError> {
    js_sys::JSON::parse(text).map_err(|_| ApiError::Decode("the answer is not JSON".into()))
}

fn decode<T: FromJs>(value: JsValue) -> Result<T, ApiError> {
    T::from_js(&value)
        .map_err(|e| ApiError::Decode(["field `", e.0, "` is missing or malformed"].concat()))
}

async fn read(response: Response) -> Result<JsValue, ApiError> {
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .ok()
        .flatten()
        .and_then(|value| value.trim().parse().ok());
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise).await,
        Err(error) => Err(error),
    }
    .map_err(|e| ApiError::Network(js_message(&e)))?
    .as_string()
    .unwrap_or_default();
    if (200..300).contains(&status) {
        return parse_json(&text);
    }
    let body = parse_json(&text).ok();
    let (code, message) = match body.as_ref().and_then(wire::error_body) {
        Some(error) => error,
        None => (
            if status >= 500 {
                ErrorCode::Internal
            } else {
                ErrorCode::Unknown
            },
            ["HTTP ", &status.to_string()].concat(),
        ),
    };
    Err(ApiError::Http {
        status,
        code,
        message,
        retry_after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode("tea 1,a&b#c"), "tea%201%2Ca%26b%23c");
        assert_eq!(encode("茶"), "%E8%8C%B6");
        assert_eq!(encode("A-z_0.9~"), "A-z_0.9~");
    }

    #[test]
    fn uuids_carry_version_4_and_variant_1() {
        assert_eq!(uuid_v4([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
    }

    #[test]
    fn backoff_grows_and_keeps_jitter_in_bounds() {
        assert_eq!(retry_delay_ms(1, None, 0.0), 200);
        assert_eq!(retry_delay_ms(1, None, 1.0), 400);
        assert_eq!(retry_delay_ms(2, None, 0.0), 400);
        assert_eq!(retry_delay_ms(3, None, 0.5), 1_200);
    }

    #[test]
    fn retry_after_wins_and_is_capped() {
        assert_eq!(retry_delay_ms(1, Some(2), 0.9), 2_000);
        assert_eq!(retry_delay_ms(1, Some(600), 0.0), MAX_RETRY_AFTER_MS);
    }

    #[test]
    fn only_transient_failures_are_retried() {
        let http = |status| ApiError::Http {
            status,
            code: ErrorCode::Unknown,
            message: String::new(),
            retry_after: None,
        };
        assert!(http(503).is_retryable());
        assert!(http(429).is_retryable());
        assert!(!http(401).is_retryable());
        assert!(!http(409).is_retryable());
        assert!(ApiError::Timeout.is_retryable());
        assert!(!ApiError::Aborted.is_retryable());
        let unauthorized = ApiError::Http {
            status: 401,
            code: ErrorCode::Unauthorized,
            message: String::new(),
            retry_after: None,
        };
        assert!(unauthorized.is_unauthorized());
        assert!(
            !http(401).is_unauthorized(),
            "a bare 401 without the code is not a sign-out"
        );
    }
}
