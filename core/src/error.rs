//! The stable error codes of the REST API, shared so the widget can branch on them.

use serde::{Deserialize, Serialize};

/// A stable, machine-readable error code. The HTTP status goes with it; the message
/// beside it in the body is for people and may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request body or a parameter could not be read (400).
    BadRequest,
    /// The request was read but a field is not acceptable (422).
    ValidationFailed,
    /// No credentials, or credentials that failed verification (401).
    Unauthorized,
    /// Credentials are valid but do not allow this (403).
    Forbidden,
    /// A staff session's request that changes something came without the session's
    /// `X-CSRF-Token`, or from another origin (403).
    Csrf,
    /// The shop, reward or code does not exist (404).
    NotFound,
    /// The path exists but not with this HTTP method (405).
    MethodNotAllowed,
    /// The body is larger than the endpoint accepts (413).
    PayloadTooLarge,
    /// A mutating request came without an `Idempotency-Key` header (400).
    IdempotencyKeyRequired,
    /// The `Idempotency-Key` was used before with a different request (422).
    IdempotencyKeyReused,
    /// The balance does not cover the reward (409).
    InsufficientPoints,
    /// A discount code was already consumed by another order (409).
    CodeAlreadyUsed,
    /// An earning action's limit (once per reference, once a year, daily cap) is reached (409).
    LimitReached,
    /// A discount code is past its expiry (409).
    CodeExpired,
    /// A discount code was released and its points given back (409).
    CodeReleased,
    /// A discount code was revoked by the refund of the order whose points bought it (409).
    CodeRevoked,
    /// A used discount code cannot be released while the order it was used on stands (409).
    CodeInUse,
    /// An amount, or a sum of amounts, is outside what the server accepts (422).
    AmountOutOfRange,
    /// The reward is for members of other tiers, or still in their early access (403).
    RewardNotEligible,
    /// The order's currency is not the shop's currency (422).
    CurrencyMismatch,
    /// The subscription is cancelled; it cannot be changed any more (409).
    SubscriptionCancelled,
    /// The plan asks for more deliveries before the subscription may be cancelled (409).
    MinimumDeliveries,
    /// A friend's reward was asked for with the advocate's own email or mailbox (409).
    SelfReferral,
    /// A friend's reward was asked for by someone who has ordered before (409).
    AlreadyCustomer,
    /// A referral was already settled the other way: a refund cancelled it (it cannot be
    /// approved), or its reward was paid (it cannot be declined) (409).
    ReferralSettled,
    /// Too many requests; retry after the `Retry-After` header (429).
    RateLimited,
    /// Too many failed sign-ins in a row locked the staff account; retry after the
    /// `Retry-After` header (429).
    AccountLocked,
    /// The server or its database is not able to answer now (503).
    Unavailable,
    /// Something failed inside the server; details are only in its logs (500).
    Internal,
    /// The shop's settings were saved by someone else since the edit began (409):
    /// reload them and apply the change again. Only the dashboard's settings answer it,
    /// so only builds with the `staff` feature (the server, the dashboard) know it.
    #[cfg(feature = "staff")]
    SettingsChanged,
    /// A code this client does not know yet (forward compatibility).
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// The code as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::Csrf => "csrf",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::IdempotencyKeyRequired => "idempotency_key_required",
            ErrorCode::IdempotencyKeyReused => "idempotency_key_reused",
            ErrorCode::InsufficientPoints => "insufficient_points",
            ErrorCode::CodeAlreadyUsed => "code_already_used",
            ErrorCode::LimitReached => "limit_reached",
            ErrorCode::CodeExpired => "code_expired",
            ErrorCode::CodeReleased => "code_released",
            ErrorCode::CodeRevoked => "code_revoked",
            ErrorCode::CodeInUse => "code_in_use",
            ErrorCode::AmountOutOfRange => "amount_out_of_range",
            ErrorCode::RewardNotEligible => "reward_not_eligible",
            ErrorCode::CurrencyMismatch => "currency_mismatch",
            ErrorCode::SubscriptionCancelled => "subscription_cancelled",
            ErrorCode::MinimumDeliveries => "minimum_deliveries",
            ErrorCode::SelfReferral => "self_referral",
            ErrorCode::AlreadyCustomer => "already_customer",
            ErrorCode::ReferralSettled => "referral_settled",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::AccountLocked => "account_locked",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Internal => "internal",
            ErrorCode::Unknown => "unknown",
            #[cfg(feature = "staff")]
            ErrorCode::SettingsChanged => "settings_changed",
        }
    }

    /// Parses a code from the wire; codes this build does not know become `Unknown`.
    pub fn parse(value: &str) -> ErrorCode {
        #[cfg(feature = "staff")]
        if let Some(code) = ErrorCode::STAFF.into_iter().find(|c| c.as_str() == value) {
            return code;
        }
        ErrorCode::ALL
            .into_iter()
            .find(|code| code.as_str() == value)
            .unwrap_or(ErrorCode::Unknown)
    }

    /// Every known code.
    pub const ALL: [ErrorCode; 29] = [
        ErrorCode::BadRequest,
        ErrorCode::ValidationFailed,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::Csrf,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::PayloadTooLarge,
        ErrorCode::IdempotencyKeyRequired,
        ErrorCode::IdempotencyKeyReused,
        ErrorCode::InsufficientPoints,
        ErrorCode::CodeAlreadyUsed,
        ErrorCode::LimitReached,
        ErrorCode::CodeExpired,
        ErrorCode::CodeReleased,
        ErrorCode::CodeRevoked,
        ErrorCode::CodeInUse,
        ErrorCode::AmountOutOfRange,
        ErrorCode::RewardNotEligible,
        ErrorCode::CurrencyMismatch,
        ErrorCode::SubscriptionCancelled,
        ErrorCode::MinimumDeliveries,
        ErrorCode::SelfReferral,
        ErrorCode::AlreadyCustomer,
        ErrorCode::ReferralSettled,
        ErrorCode::RateLimited,
        ErrorCode::AccountLocked,
        ErrorCode::Unavailable,
        ErrorCode::Internal,
    ];

    /// The codes only the admin API answers (the dashboard's settings).
    #[cfg(feature = "staff")]
    pub const STAFF: [ErrorCode; 1] = [ErrorCode::SettingsChanged];

    /// The HTTP status that goes with the code.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::BadRequest | ErrorCode::IdempotencyKeyRequired => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden | ErrorCode::Csrf | ErrorCode::RewardNotEligible => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::InsufficientPoints
            | ErrorCode::CodeAlreadyUsed
            | ErrorCode::CodeExpired
            | ErrorCode::CodeReleased
            | ErrorCode::CodeRevoked
            | ErrorCode::CodeInUse
            | ErrorCode::LimitReached
            | ErrorCode::SubscriptionCancelled
            | ErrorCode::MinimumDeliveries
            | ErrorCode::SelfReferral
            | ErrorCode::AlreadyCustomer
            | ErrorCode::ReferralSettled => 409,
            #[cfg(feature = "staff")]
            ErrorCode::SettingsChanged => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::ValidationFailed
            | ErrorCode::IdempotencyKeyReused
            | ErrorCode::CurrencyMismatch
            | ErrorCode::AmountOutOfRange => 422,
            ErrorCode::RateLimited | ErrorCode::AccountLocked => 429,
            ErrorCode::Unavailable => 503,
            ErrorCode::Internal | ErrorCode::Unknown => 500,
        }
    }
}

/// The body of every error response: `{"error": {"code", "message", "request_id"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// The error itself.
    pub error: ErrorDetail,
}

/// What went wrong, for machines (`code`) and people (`message`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable code to branch on.
    pub code: ErrorCode,
    /// Human-readable explanation, safe to log; never contains internals.
    pub message: String,
    /// The request id, also in the `x-request-id` response header.
    #[serde(default)]
    pub request_id: String,
    /// The field at fault, as a path into the request body (`loyalty.rewards[0].cost`),
    /// when a `validation_failed` refusal is about one field of a document.
    #[cfg(feature = "staff")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_tolerated() {
        let json = serde_json::to_string(&ErrorCode::InsufficientPoints).unwrap();
        assert_eq!(json, "\"insufficient_points\"");
        assert_eq!(
            ErrorCode::InsufficientPoints.as_str(),
            "insufficient_points"
        );
        let later: ErrorCode = serde_json::from_str("\"some_future_code\"").unwrap();
        assert_eq!(later, ErrorCode::Unknown);
        assert_eq!(ErrorCode::parse("some_future_code"), ErrorCode::Unknown);
    }

    #[test]
    fn as_str_matches_serde_for_every_code() {
        #[cfg(feature = "staff")]
        let staff = ErrorCode::STAFF;
        #[cfg(not(feature = "staff"))]
        let staff: [ErrorCode; 0] = [];
        for code in ErrorCode::ALL.into_iter().chain(staff) {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json.trim_matches('"'), code.as_str());
            assert!((400..600).contains(&code.status()));
            assert_eq!(ErrorCode::parse(code.as_str()), code);
        }
    }
}
