//! Calls to the `/v1` admin API with the staff session: the cookie travels by itself
//! (same origin), the CSRF token goes in a header on every request that changes
//! something, and every error is read from the API's error body.

use comeback_core::dashboard::{StaffSession, CSRF_HEADER};
use comeback_core::error::{ErrorBody, ErrorCode};
use comeback_core::settings::{SettingsRevert, SettingsSave, SettingsView};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestCredentials, RequestInit, Response};

use crate::route::encode;

/// Why a call failed, as the dashboard tells the person using it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status, 0 when no answer came.
    pub status: u16,
    /// The API's error code, when it answered with one.
    pub code: Option<ErrorCode>,
    /// What to show.
    pub message: String,
    /// The field at fault (`loyalty.rewards[0].cost`), when the API named one.
    pub field: Option<String>,
}

impl ApiError {
    fn network(message: impl Into<String>) -> ApiError {
        ApiError {
            status: 0,
            code: None,
            message: message.into(),
            field: None,
        }
    }

    /// Whether the session is gone (expired, signed out elsewhere, user removed): the
    /// app goes back to the sign-in form.
    pub fn signed_out(&self) -> bool {
        self.code == Some(ErrorCode::Unauthorized)
    }
}

/// The admin API of `shop`: `/v1/shops/<shop>/admin`.
pub fn admin_base(shop: &str) -> String {
    format!("/v1/shops/{}/admin", encode(shop))
}

/// The admin API of the signed-in session's shop, with `path` appended.
pub fn admin_url(session: &StaffSession, path: &str) -> String {
    format!("{}{path}", admin_base(&session.shop_id))
}

/// `GET url`, decoded as `T`.
pub async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    decode(&call("GET", url, None, &[]).await?)
}

/// `method url` with a JSON body and the session's CSRF token (and an idempotency key
/// when given), decoded as `T`.
pub async fn send<B: Serialize, T: DeserializeOwned>(
    method: &str,
    url: &str,
    body: &B,
    session: Option<&StaffSession>,
    idempotency_key: Option<&str>,
) -> Result<T, ApiError> {
    let body = serde_json::to_string(body).map_err(|error| ApiError::network(error.to_string()))?;
    let mut headers = vec![("content-type", "application/json")];
    if let Some(session) = session {
        headers.push((CSRF_HEADER, session.csrf_token.as_str()));
    }
    if let Some(key) = idempotency_key {
        headers.push(("idempotency-key", key));
    }
    decode(&call(method, url, Some(&body), &headers).await?)
}

/// `DELETE url` with the session's CSRF token; the answer's body is not read.
pub async fn delete(url: &str, session: &StaffSession) -> Result<(), ApiError> {
    call("DELETE", url, None, &[(CSRF_HEADER, &session.csrf_token)])
        .await
        .map(|_| ())
}

/// `PUT …/settings`: saves a new version of the shop's settings.
pub async fn save_settings(
    session: &StaffSession,
    save: &SettingsSave,
) -> Result<SettingsView, ApiError> {
    let url = admin_url(session, "/settings");
    send("PUT", &url, save, Some(session), None).await
}

/// `POST …/settings/revert`: saves an earlier version's document as a new version.
pub async fn revert_settings(
    session: &StaffSession,
    revert: &SettingsRevert,
) -> Result<SettingsView, ApiError> {
    let url = admin_url(session, "/settings/revert");
    send("POST", &url, revert, Some(session), None).await
}

/// A fresh idempotency key, so a retried submit never applies twice.
pub fn new_idempotency_key() -> String {
    web_sys::window()
        .and_then(|window| window.crypto().ok())
        .map(|crypto| crypto.random_uuid())
        .unwrap_or_else(|| format!("dashboard-{}", js_sys::Date::now()))
}

fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|error| ApiError {
        status: 200,
        code: None,
        message: format!("the server's answer could not be read: {error}"),
        field: None,
    })
}

async fn call(
    method: &str,
    url: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> Result<String, ApiError> {
    let refused = |_| ApiError::network("the browser refused to build the request");
    let request_headers = Headers::new().map_err(refused)?;
    request_headers
        .set("accept", "application/json")
        .map_err(refused)?;
    for (name, value) in headers {
        request_headers.set(name, value).map_err(refused)?;
    }
    let init = RequestInit::new();
    init.set_method(method);
    init.set_headers(&request_headers.into());
    init.set_credentials(RequestCredentials::SameOrigin);
    if let Some(body) = body {
        init.set_body(&body.into());
    }
    let window = web_sys::window().ok_or_else(|| ApiError::network("no window"))?;
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .and_then(|value| value.dyn_into())
        .map_err(|_| ApiError::network("the server could not be reached; check the connection"))?;
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if response.ok() {
        return Ok(text);
    }
    Err(error_of(response.status(), &text))
}

/// The error of a failed answer: the API's code and message, or the status.
fn error_of(status: u16, text: &str) -> ApiError {
    match serde_json::from_str::<ErrorBody>(text) {
        Ok(body) => ApiError {
            status,
            code: Some(body.error.code),
            message: body.error.message,
            field: body.error.field,
        },
        Err(_) => ApiError {
            status,
            code: None,
            message: format!("the server answered {status}"),
            field: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_keeps_the_field_it_names() {
        let body = r#"{"error": {"code": "validation_failed", "message": "must be at least 1",
            "request_id": "r1", "field": "loyalty.rewards[0].cost"}}"#;
        let error = error_of(422, body);
        assert_eq!(error.code, Some(ErrorCode::ValidationFailed));
        assert_eq!(error.field.as_deref(), Some("loyalty.rewards[0].cost"));
        assert_eq!(error.message, "must be at least 1");
        let plain = error_of(502, "<html>bad gateway</html>");
        assert_eq!((plain.status, plain.code, plain.field), (502, None, None));
    }
}
