//! The shop's staff: whoever may use the admin API. The shop's backend with one of its
//! API keys acts as an owner; the dashboard signs in with a staff account and a session
//! cookie (see `docs/dashboard.md`).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use comeback_core::dashboard::StaffRole;

use super::{Shop, ShopBackend};
use crate::error::AppError;
use crate::AppState;

/// Someone allowed into the shop's admin API.
#[derive(Debug, Clone)]
pub struct Staff {
    /// The shop.
    pub shop: Shop,
    /// What they may do.
    pub role: StaffRole,
    /// The staff account's email; `None` for the shop's backend (an API key).
    pub email: Option<String>,
}

impl Staff {
    /// Refuses with 403 unless the caller may change the shop's settings.
    pub fn require_owner(&self) -> Result<(), AppError> {
        if self.role.may_change_settings() {
            Ok(())
        } else {
            Err(AppError::unauthorized(
                "only the shop's owners may change its settings",
            ))
        }
    }

    /// Who did it, for audit trails: the account's email, or `api-key`.
    pub fn actor(&self) -> &str {
        self.email.as_deref().unwrap_or("api-key")
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let ShopBackend(shop) = ShopBackend::from_request_parts(parts, state).await?;
        Ok(Staff {
            shop,
            role: StaffRole::Owner,
            email: None,
        })
    }
}
