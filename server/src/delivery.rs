//! Delivery of the webhook outbox: every [`INTERVAL`] inside `serve`, the oldest due
//! undelivered events are POSTed to their shop's `webhooks.url`, signed with the shop
//! secret like inbound webhooks (`Comeback-Signature: t=…,v1=…`). A 2xx answer marks an
//! event delivered; anything else (another status, a timeout, a refused connection)
//! schedules a retry with exponential backoff, and after [`MAX_ATTEMPTS`] the event is
//! given up. Delivery is at least once: receivers dedupe by the event `id`.

use std::sync::OnceLock;
use std::time::Duration;

use crate::auth::sign_webhook;
use crate::store::{OutboxEvent, StoreError};
use crate::AppState;

/// How often `serve` looks for due events.
pub const INTERVAL: Duration = Duration::from_secs(5);

/// Events attempted per batch.
pub const BATCH: i64 = 20;

/// How long one delivery may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Attempts before an event is given up.
pub const MAX_ATTEMPTS: i64 = 12;

/// The first retry's delay, seconds; doubled for each further attempt.
pub const BASE_DELAY_SECONDS: i64 = 30;

/// The longest delay between attempts, seconds (6 hours).
pub const MAX_DELAY_SECONDS: i64 = 6 * 60 * 60;

/// The outbound signature header, as documented.
pub const SIGNATURE_HEADER: &str = "Comeback-Signature";

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryRun {
    /// Events answered with 2xx.
    pub delivered: u64,
    /// Events that failed and will be retried.
    pub retrying: u64,
    /// Events that failed their last attempt and were given up.
    pub given_up: u64,
}

/// Seconds to wait after the `attempts`-th failed attempt: 30 s × 2^(attempts − 1),
/// capped at 6 hours.
pub fn backoff_seconds(attempts: i64) -> i64 {
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    BASE_DELAY_SECONDS
        .saturating_mul(1_i64 << exponent)
        .min(MAX_DELAY_SECONDS)
}

fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("comeback-server/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default()
    })
}

/// The body sent for an event: `{"id", "type", "created_at", "data"}`.
pub fn body_of(event: &OutboxEvent) -> Result<String, StoreError> {
    let data: serde_json::Value = serde_json::from_str(&event.payload)
        .map_err(|error| StoreError::Corrupt(format!("outbox payload: {error}")))?;
    let body = serde_json::json!({
        "id": event.id,
        "type": event.event_type,
        "created_at": event.created_at,
        "data": data,
    });
    Ok(body.to_string())
}

/// One attempt; `Err` says why it failed.
async fn attempt(state: &AppState, event: &OutboxEvent, now: i64) -> Result<(), String> {
    let shop = state
        .shops
        .get(&event.shop_id)
        .ok_or_else(|| format!("the shop `{}` is no longer configured", event.shop_id))?;
    let webhooks = shop
        .webhooks
        .as_ref()
        .ok_or_else(|| format!("the shop `{}` has no webhooks configured", event.shop_id))?;
    let body = body_of(event).map_err(|error| error.to_string())?;
    let signature = format!(
        "t={now},v1={}",
        sign_webhook(&shop.secret, now, body.as_bytes())
    );
    let response = client()
        .post(&webhooks.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(SIGNATURE_HEADER, signature)
        .body(body)
        .send()
        .await
        .map_err(|error| format!("request failed: {error}"))?;
    let status = response.status();
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("answered {}", status.as_u16()))
    }
}

/// Attempts every undelivered event due by the state's clock, oldest first, in batches
/// of [`BATCH`] until none is due. Each event is attempted at most once per run.
pub async fn deliver_due(state: &AppState) -> Result<DeliveryRun, StoreError> {
    let mut run = DeliveryRun::default();
    let started = state.clock.now();
    loop {
        let events = state.store.due_events(started, BATCH).await?;
        if events.is_empty() {
            return Ok(run);
        }
        for event in events {
            let now = state.clock.now();
            match attempt(state, &event, now).await {
                Ok(()) => {
                    state.store.mark_delivered(&event.id, now).await?;
                    run.delivered += 1;
                }
                Err(error) => {
                    let attempts = event.attempts + 1;
                    if attempts >= MAX_ATTEMPTS {
                        tracing::error!(
                            id = %event.id,
                            shop = %event.shop_id,
                            r#type = %event.event_type,
                            attempts,
                            %error,
                            "webhook given up"
                        );
                        state
                            .store
                            .mark_failed(&event.id, &error, None, now)
                            .await?;
                        run.given_up += 1;
                    } else {
                        // Never before `started`, so this run does not pick it again.
                        let next = now.max(started) + backoff_seconds(attempts);
                        tracing::warn!(
                            id = %event.id,
                            shop = %event.shop_id,
                            attempts,
                            %error,
                            "webhook delivery failed; will retry"
                        );
                        state
                            .store
                            .mark_failed(&event.id, &error, Some(next), now)
                            .await?;
                        run.retrying += 1;
                    }
                }
            }
        }
    }
}

/// Runs [`deliver_due`] every [`INTERVAL`] until the process ends. A failed run is
/// logged and retried at the next tick.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(INTERVAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match deliver_due(&state).await {
                Ok(run) if run == DeliveryRun::default() => {}
                Ok(run) => tracing::info!(
                    delivered = run.delivered,
                    retrying = run.retrying,
                    given_up = run.given_up,
                    "webhooks delivered"
                ),
                Err(error) => tracing::error!(%error, "webhook delivery failed"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_six_hours() {
        assert_eq!(backoff_seconds(1), 30);
        assert_eq!(backoff_seconds(2), 60);
        assert_eq!(backoff_seconds(3), 120);
        assert_eq!(backoff_seconds(10), 30 * 512);
        assert_eq!(backoff_seconds(11), 6 * 60 * 60);
        assert_eq!(backoff_seconds(1000), 6 * 60 * 60);
    }
}
