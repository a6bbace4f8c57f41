//! The one error type of the HTTP layer.
//!
//! Every failure a handler can meet becomes an [`AppError`], which maps to a stable
//! [`ErrorCode`], its status, and the `{"error": {...}}` body. Internal causes are
//! logged with the request id and never sent to the client.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use comeback_core::earning::LimitReached;
use comeback_core::error::{ErrorBody, ErrorDetail};
use comeback_core::ErrorCode;

use crate::request_id;
use crate::store::StoreError;

/// A failed request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The body or a parameter could not be read.
    #[error("{0}")]
    BadRequest(String),
    /// A field was read but is not acceptable.
    #[error("{0}")]
    Validation(String),
    /// One field of a document is not acceptable; `field` is its path in the body
    /// (`loyalty.rewards[0].cost`) and goes into the error's `field`.
    #[error("{field}: {message}")]
    InvalidField {
        /// The path of the field.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The shop's settings changed since the edit began.
    #[error("{0}")]
    SettingsChanged(String),
    /// Missing or failed credentials; the message says which, never why in detail.
    #[error("{0}")]
    Unauthorized(String),
    /// Valid credentials that do not allow this (a staff account on an owner's route).
    #[error("{0}")]
    Forbidden(String),
    /// A staff session's change without its CSRF token, or from another origin.
    #[error("{0}")]
    Csrf(String),
    /// The staff account is locked after too many failed sign-ins; retry after this
    /// many seconds.
    #[error("too many failed sign-ins: this account is locked; retry in {} minutes", .0.div_ceil(60))]
    AccountLocked(u64),
    /// No such shop, reward, code or route.
    #[error("{0}")]
    NotFound(String),
    /// The body is over the limit.
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// A mutating request without a usable `Idempotency-Key`.
    #[error("{0}")]
    IdempotencyKeyRequired(String),
    /// The `Idempotency-Key` was used before with a different body.
    #[error("this Idempotency-Key was already used with a different request")]
    IdempotencyKeyReused,
    /// The balance does not cover a reward.
    #[error("this reward costs {needed} points and the balance is {balance}; {missing} more points are needed", missing = needed - balance)]
    InsufficientPoints {
        /// Points the customer has.
        balance: i64,
        /// Points the reward costs.
        needed: i64,
    },
    /// A negative adjustment larger than the customer's balance.
    #[error("this adjustment takes away {needed} points and the balance is {balance}")]
    AdjustmentExceedsBalance {
        /// Points the customer has.
        balance: i64,
        /// Points the adjustment takes away.
        needed: i64,
    },
    /// An earning action's limit refuses the award.
    #[error("{}", limit_message(action, limit))]
    LimitReached {
        /// The action's id.
        action: String,
        /// The limit reached.
        limit: LimitReached,
    },
    /// The code was consumed by another order.
    #[error("discount code {0} was already used by another order")]
    CodeAlreadyUsed(String),
    /// The code is past its expiry.
    #[error("discount code {0} has expired")]
    CodeExpired(String),
    /// The code was released and its points given back.
    #[error("discount code {0} was released and its points given back; it can no longer be used")]
    CodeReleased(String),
    /// The code was revoked by a refund.
    #[error("discount code {0} was revoked by the refund of the order whose points bought it")]
    CodeRevoked(String),
    /// A used code whose order stands cannot be released.
    #[error("discount code {code} was used on order {order}, which is not cancelled or refunded in full; it cannot be released")]
    CodeInUse {
        /// The code.
        code: String,
        /// The order it was used on.
        order: String,
    },
    /// An amount, or a sum the request would make, is out of range; the message names
    /// the field.
    #[error("{0}")]
    AmountOutOfRange(String),
    /// The shopper's tier may not redeem the reward (yet); the message says who may.
    #[error("{0}")]
    RewardNotEligible(String),
    /// The order's currency is not the shop's.
    #[error("the order is in {got} but the shop's currency is {expected}")]
    CurrencyMismatch {
        /// The shop's currency.
        expected: String,
        /// The order's currency.
        got: String,
    },
    /// The subscription is cancelled; it cannot be changed any more.
    #[error("{0}")]
    SubscriptionCancelled(String),
    /// The plan asks for more deliveries before cancelling; the message says how many.
    #[error("{0}")]
    MinimumDeliveries(String),
    /// A friend's reward asked for by the advocate themself (their email's mailbox, or
    /// their own token).
    #[error("{0}")]
    SelfReferral(String),
    /// A friend's reward asked for by someone who has a paid order.
    #[error("{0}")]
    AlreadyCustomer(String),
    /// A referral settled the other way: cancelled by a refund (cannot be approved) or
    /// paid (cannot be declined).
    #[error("{0}")]
    ReferralSettled(String),
    /// No database connection could be had in time: 503 with `Retry-After`.
    #[error("the service is busy; retry in {0} seconds")]
    Busy(u64),
    /// Over the rate limit; retry after this many seconds.
    #[error("too many requests; retry in {0} seconds")]
    RateLimited(u64),
    /// The path exists but not with this method.
    #[error("this address does not accept {0}")]
    MethodNotAllowed(String),
    /// A dependency (the database) is not answering, or the request took too long.
    #[error("the service is not available right now")]
    Unavailable,
    /// The store failed; the cause is logged only.
    #[error("internal error")]
    Store(StoreError),
    /// Anything else that should not happen; the cause is logged only.
    #[error("internal error")]
    Internal(String),
}

/// Characters of a client's input an error message may quote.
pub const EXCERPT_CHARS: usize = 32;

/// At most [`EXCERPT_CHARS`] characters of `input`, control characters replaced, with
/// `…` when cut: what an error message may echo of what a client sent (a long or
/// binary value must not come back whole, nor land whole in the logs).
pub fn excerpt(input: &str) -> String {
    let mut out: String = input
        .chars()
        .take(EXCERPT_CHARS)
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    if input.chars().nth(EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// `message` with every quoted span (between backticks or double quotes) cut to an
/// [`excerpt`]: for messages of parsers that quote the input they refuse.
pub fn shorten_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(512));
    let mut rest = message;
    while let Some(start) = rest.find(['`', '"']) {
        let quote = rest[start..].chars().next().unwrap_or('"');
        out.push_str(&rest[..=start]);
        let after = &rest[start + 1..];
        match after.find(quote) {
            Some(end) => {
                out.push_str(&excerpt(&after[..end]));
                out.push(quote);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&excerpt(after));
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Seconds a client is asked to wait when the connection pool is exhausted.
pub const BUSY_RETRY_AFTER_SECONDS: u64 = 1;

impl From<comeback_core::bounds::OutOfBounds> for AppError {
    /// A field outside its bounds is a validation failure naming the field.
    fn from(error: comeback_core::bounds::OutOfBounds) -> Self {
        AppError::Validation(error.to_string())
    }
}

impl From<StoreError> for AppError {
    /// An exhausted pool is load to shed (503 `Busy`), anything else a failure.
    fn from(error: StoreError) -> Self {
        if let StoreError::Overflow(what) = error {
            return AppError::AmountOutOfRange(format!(
                "the customer's {what} would be out of range"
            ));
        }
        if crate::store::Store::is_exhausted(&error) {
            tracing::warn!(%error, "no database connection in time; answering 503");
            AppError::Busy(BUSY_RETRY_AFTER_SECONDS)
        } else {
            AppError::Store(error)
        }
    }
}

impl AppError {
    /// The stable code for this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::BadRequest(_) => ErrorCode::BadRequest,
            AppError::Validation(_) | AppError::InvalidField { .. } => ErrorCode::ValidationFailed,
            AppError::SettingsChanged(_) => ErrorCode::SettingsChanged,
            AppError::Unauthorized(_) => ErrorCode::Unauthorized,
            AppError::Forbidden(_) => ErrorCode::Forbidden,
            AppError::Csrf(_) => ErrorCode::Csrf,
            AppError::AccountLocked(_) => ErrorCode::AccountLocked,
            AppError::NotFound(_) => ErrorCode::NotFound,
            AppError::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            AppError::IdempotencyKeyRequired(_) => ErrorCode::IdempotencyKeyRequired,
            AppError::IdempotencyKeyReused => ErrorCode::IdempotencyKeyReused,
            AppError::InsufficientPoints { .. } | AppError::AdjustmentExceedsBalance { .. } => {
                ErrorCode::InsufficientPoints
            }
            AppError::CodeAlreadyUsed(_) => ErrorCode::CodeAlreadyUsed,
            AppError::LimitReached { .. } => ErrorCode::LimitReached,
            AppError::CodeExpired(_) => ErrorCode::CodeExpired,
            AppError::RewardNotEligible(_) => ErrorCode::RewardNotEligible,
            AppError::CodeReleased(_) => ErrorCode::CodeReleased,
            AppError::CodeRevoked(_) => ErrorCode::CodeRevoked,
            AppError::CodeInUse { .. } => ErrorCode::CodeInUse,
            AppError::AmountOutOfRange(_) => ErrorCode::AmountOutOfRange,
            AppError::CurrencyMismatch { .. } => ErrorCode::CurrencyMismatch,
            AppError::SubscriptionCancelled(_) => ErrorCode::SubscriptionCancelled,
            AppError::MinimumDeliveries(_) => ErrorCode::MinimumDeliveries,
            AppError::SelfReferral(_) => ErrorCode::SelfReferral,
            AppError::AlreadyCustomer(_) => ErrorCode::AlreadyCustomer,
            AppError::ReferralSettled(_) => ErrorCode::ReferralSettled,
            AppError::RateLimited(_) => ErrorCode::RateLimited,
            AppError::MethodNotAllowed(_) => ErrorCode::MethodNotAllowed,
            AppError::Unavailable | AppError::Busy(_) => ErrorCode::Unavailable,
            AppError::Store(_) | AppError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// `401` with a message for the client.
    pub fn unauthorized(message: impl Into<String>) -> AppError {
        AppError::Unauthorized(message.into())
    }

    /// `403 forbidden` with a message for the client.
    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError::Forbidden(message.into())
    }

    /// `404` naming what was not found.
    pub fn not_found(message: impl Into<String>) -> AppError {
        AppError::NotFound(message.into())
    }
}

/// The message of [`AppError::LimitReached`], naming the action and the config key of
/// the limit so the shop's developer can tell which one refused.
fn limit_message(action: &str, limit: &LimitReached) -> String {
    match limit {
        LimitReached::AlreadyAwarded { reference } => format!(
            "action `{action}` was already awarded for reference `{reference}` (once_per_reference)"
        ),
        LimitReached::AlreadyAwardedThisYear { year } => {
            format!("action `{action}` was already awarded in {year} (once_per_year)")
        }
        LimitReached::DailyCapReached { cap } => format!(
            "action `{action}` already reached its daily cap of {cap} points today, UTC (daily_cap)"
        ),
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let code = self.code();
        let request_id = request_id::current().unwrap_or_default();
        match &self {
            AppError::Store(cause) => {
                tracing::error!(request_id = %request_id, error = %cause, "store failure");
            }
            AppError::Internal(cause) => {
                tracing::error!(request_id = %request_id, error = %cause, "internal failure");
            }
            _ => tracing::debug!(code = code.as_str(), message = %self, "request refused"),
        }
        let status =
            StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        // Client input is quoted in backticks by convention; however a message was
        // made, no quoted span comes back longer than an excerpt.
        let body = ErrorBody {
            error: ErrorDetail {
                code,
                message: shorten_quoted(&self.to_string()),
                request_id,
                field: match &self {
                    AppError::InvalidField { field, .. } => Some(field.clone()),
                    _ => None,
                },
            },
        };
        let mut response = (status, Json(body)).into_response();
        match self {
            AppError::RateLimited(seconds)
            | AppError::Busy(seconds)
            | AppError::AccountLocked(seconds) => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            AppError::Unauthorized(_) => {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short_and_printable() {
        assert_eq!(excerpt("c-1"), "c-1");
        let long = "x".repeat(500);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt("a\0b\n"), "a\u{fffd}b\u{fffd}");
    }

    #[test]
    fn quoted_spans_are_cut() {
        let long = "y".repeat(200);
        let message = format!("unknown variant `{long}`, expected one of `a`, `b` at \"{long}\"");
        let short = shorten_quoted(&message);
        assert!(short.len() < 150, "{short}");
        assert!(short.contains("expected one of `a`, `b`"), "{short}");
        assert_eq!(shorten_quoted("no quotes"), "no quotes");
        assert_eq!(shorten_quoted("open `quote"), "open `quote");
    }
}
