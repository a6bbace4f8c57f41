//! Per-client, per-shop rate limiting of the shopper-facing endpoints.
//!
//! Hand-rolled rather than `tower_governor`: the limit differs per shop (read from the
//! path at request time), and refusals must use our error body and `Retry-After`. A
//! token bucket per (client IP, shop) holding `rate_limit_per_minute` tokens, refilled
//! continuously, is all that is needed.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{ConnectInfo, RawPathParams, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::RequestPartsExt;

use crate::error::AppError;
use crate::AppState;

/// Buckets kept before idle, full ones are dropped.
const MAX_BUCKETS: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Token buckets keyed by client and shop.
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<(IpAddr, String), Bucket>>,
}

impl RateLimiter {
    /// Takes one token for `(ip, shop)` at `now`; `Err(seconds)` says when to retry.
    pub fn check(&self, ip: IpAddr, shop: &str, per_minute: u32, now: Instant) -> Result<(), u64> {
        let capacity = f64::from(per_minute.max(1));
        let per_second = capacity / 60.0;
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() >= MAX_BUCKETS {
            buckets.retain(|_, bucket| {
                let refilled = bucket.tokens
                    + now.saturating_duration_since(bucket.updated).as_secs_f64() * per_second;
                refilled < capacity
            });
        }
        let bucket = buckets.entry((ip, shop.to_owned())).or_insert(Bucket {
            tokens: capacity,
            updated: now,
        });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_second).min(capacity);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = ((1.0 - bucket.tokens) / per_second).ceil();
            Err((wait as u64).max(1))
        }
    }
}

/// Middleware for the shopper-facing routes. Requests served without connection info
/// (tests driving the router directly) share one key.
pub async fn middleware(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let ip = parts
        .extract::<ConnectInfo<SocketAddr>>()
        .await
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
    let shop = parts
        .extract::<RawPathParams>()
        .await
        .ok()
        .and_then(|params| {
            params
                .iter()
                .find(|(name, _)| *name == "shop")
                .map(|(_, value)| value.to_owned())
        });
    if let Some((shop, config)) = shop.and_then(|id| state.config.shop(&id).map(|c| (id, c))) {
        if let Err(seconds) =
            state
                .rate_limiter
                .check(ip, &shop, config.rate_limit_per_minute, Instant::now())
        {
            return AppError::RateLimited(seconds).into_response();
        }
    }
    next.run(Request::from_parts(parts, body)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn buckets_refill_over_time() {
        let limiter = RateLimiter::default();
        let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check(ip, "demo", 3, start).is_ok());
        }
        assert_eq!(limiter.check(ip, "demo", 3, start), Err(20));
        assert!(
            limiter.check(ip, "other", 3, start).is_ok(),
            "shops are separate"
        );
        assert!(limiter
            .check(ip, "demo", 3, start + Duration::from_secs(20))
            .is_ok());
    }
}
