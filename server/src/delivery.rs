//! Delivery of the webhook outbox: every [`INTERVAL`] inside `serve` (a scheduler job),
//! the oldest due undelivered events are claimed (locked for [`CLAIM_LEASE_SECONDS`], so
//! several processes on one database never send the same event at once) and POSTed to
//! their shop's `webhooks.url`, signed with the shop's first webhook secret like inbound webhooks
//! (`Comeback-Signature: t=…,v1=…`). Shops are served concurrently, at most
//! [`CONCURRENT_SHOPS`] at a time, each shop's events in order. A 2xx answer marks an
//! event delivered; anything else (another status, a timeout, a refused connection)
//! schedules a retry with exponential backoff and jitter, and after [`MAX_ATTEMPTS`] the
//! event is given up. The target URL is never logged nor stored in `last_error` (it may
//! carry a token). Delivery is at least once: receivers dedupe by the event `id`.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::auth::sign_webhook;
use crate::scheduler::{Job, JobFuture, JobReport};
use crate::store::{OutboxEvent, StoreError};
use crate::AppState;

/// How often `serve` looks for due events.
pub const INTERVAL: Duration = Duration::from_secs(5);

/// Events attempted per batch.
pub const BATCH: i64 = 20;

/// How long one delivery may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// How long connecting to a receiver may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// Shops whose events are sent at the same time.
pub const CONCURRENT_SHOPS: usize = 8;

/// How long a claimed event stays locked to this process (longer than a batch's worst
/// case of [`BATCH`] sequential timeouts of one shop).
pub const CLAIM_LEASE_SECONDS: i64 = 300;

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

/// The delay before the next attempt: [`backoff_seconds`] plus a random jitter of up to
/// a sixteenth of it, so events that failed together do not all retry together.
pub fn retry_delay_seconds(attempts: i64) -> i64 {
    let delay = backoff_seconds(attempts);
    delay + rand::random::<u32>() as i64 % (delay / 16 + 1)
}

fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
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

/// Why a request failed, without the URL (reqwest's own message names it).
fn describe(error: &reqwest::Error) -> String {
    let what = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_redirect() {
        "answered with a redirect"
    } else {
        "failed"
    };
    format!("request {what}")
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
    let secret = shop
        .webhook_signing_key()
        .ok_or_else(|| format!("the shop `{}` has no webhook secret", event.shop_id))?;
    let signature = format!(
        "t={now},v1={}",
        sign_webhook(secret.expose(), now, body.as_bytes())
    );
    let response = client()
        .post(&webhooks.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(SIGNATURE_HEADER, signature)
        .body(body)
        .send()
        .await
        .map_err(|error| describe(&error))?;
    let status = response.status();
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("answered {}", status.as_u16()))
    }
}

/// Attempts every undelivered event due by the state's clock, oldest first, in claimed
/// batches of [`BATCH`] until none is due. Each event is attempted at most once per run.
pub async fn deliver_due(state: &AppState) -> Result<DeliveryRun, StoreError> {
    let mut run = DeliveryRun::default();
    let started = state.clock.now();
    let permits = Arc::new(Semaphore::new(CONCURRENT_SHOPS));
    loop {
        let events = state
            .store
            .claim_events(started, BATCH, started + CLAIM_LEASE_SECONDS)
            .await?;
        if events.is_empty() {
            return Ok(run);
        }
        let mut by_shop: BTreeMap<String, Vec<OutboxEvent>> = BTreeMap::new();
        for event in events {
            by_shop
                .entry(event.shop_id.clone())
                .or_default()
                .push(event);
        }
        let mut tasks = tokio::task::JoinSet::new();
        for (_, events) in by_shop {
            let state = state.clone();
            let permits = Arc::clone(&permits);
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                let mut run = DeliveryRun::default();
                for event in events {
                    deliver_one(&state, &event, started, &mut run).await?;
                }
                Ok::<_, StoreError>(run)
            });
        }
        while let Some(done) = tasks.join_next().await {
            match done {
                Ok(Ok(shop_run)) => {
                    run.delivered += shop_run.delivered;
                    run.retrying += shop_run.retrying;
                    run.given_up += shop_run.given_up;
                }
                Ok(Err(error)) => return Err(error),
                Err(join) => tracing::error!(error = %join, "webhook delivery task failed"),
            }
        }
    }
}

/// One attempt at one claimed event, and its bookkeeping.
async fn deliver_one(
    state: &AppState,
    event: &OutboxEvent,
    started: i64,
    run: &mut DeliveryRun,
) -> Result<(), StoreError> {
    let now = state.clock.now();
    match attempt(state, event, now).await {
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
                let next = now.max(started) + retry_delay_seconds(attempts);
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
    Ok(())
}

/// The delivery of the outbox as a scheduler job: not exclusive (every process delivers;
/// the claims keep them apart).
#[derive(Debug, Clone, Copy)]
pub struct DeliveryJob;

impl Job for DeliveryJob {
    fn name(&self) -> &'static str {
        "webhook_delivery"
    }

    fn interval(&self) -> Duration {
        INTERVAL
    }

    fn exclusive(&self) -> bool {
        false
    }

    fn run(&self, state: AppState) -> JobFuture {
        Box::pin(async move {
            let run = deliver_due(&state).await?;
            Ok(JobReport::new(
                vec![
                    (
                        "delivered",
                        i64::try_from(run.delivered).unwrap_or(i64::MAX),
                    ),
                    ("retrying", i64::try_from(run.retrying).unwrap_or(i64::MAX)),
                    ("given_up", i64::try_from(run.given_up).unwrap_or(i64::MAX)),
                ],
                0,
            ))
        })
    }
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

    #[test]
    fn jitter_adds_at_most_a_sixteenth() {
        for attempts in [1, 2, 5, 11] {
            let base = backoff_seconds(attempts);
            for _ in 0..200 {
                let delay = retry_delay_seconds(attempts);
                assert!(
                    (base..=base + base / 16).contains(&delay),
                    "{attempts}: {delay}"
                );
            }
        }
    }
}
