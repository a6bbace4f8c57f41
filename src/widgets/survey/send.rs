//! Sending answers so none is lost: a response goes out with its own `Idempotency-Key`;
//! one the backend cannot take now waits in the device's queue ([`super::store`]) and is
//! sent again with the same key (so the server keeps it once) when the survey's code
//! next loads on any page, when the browser comes back online, and with backoff while
//! the page stays open. A refused token is dropped and the answer sent without it; an
//! answer refused for good is dropped with `comeback:survey:dropped`.

use std::cell::Cell;

use comeback_core::survey::SurveyReceipt;
use leptos::prelude::{GetUntracked, WithUntracked};
use wasm_bindgen::JsValue;

use super::events;
use super::model::{self, Fate};
use super::store::{self, Queued};
use super::wire::{decoded, reward_name, Raw};
use crate::api::{encode, ApiClient, ApiError};
use crate::embed::WidgetContext;
use crate::wire::{number, object_of};

thread_local! {
    /// One flush at a time per page, whatever the number of survey elements.
    static FLUSHING: Cell<bool> = const { Cell::new(false) };
}

/// What one send came to.
pub struct Outcome {
    /// Where the answer stands.
    pub fate: Fate,
    /// The server's receipt, or why it refused.
    pub result: Result<SurveyReceipt, ApiError>,
    /// The token was refused and the answer went (or will go) without it.
    pub token_dropped: bool,
}

fn fate_of(result: &Result<SurveyReceipt, ApiError>, with_token: bool) -> Fate {
    match result {
        Ok(_) => Fate::Sent,
        Err(ApiError::Http { status, .. }) => model::fate(Some(*status), with_token),
        // The widget unmounted (the page is leaving): kept for the next page.
        Err(ApiError::Network(_) | ApiError::Timeout | ApiError::Aborted) => Fate::Retry,
        Err(ApiError::Decode(_)) => Fate::Drop,
    }
}

/// `POST /surveys/{id}/responses` with `key`; a refused token is dropped and the same
/// answer sent once more without it.
pub async fn post(
    api: &ApiClient,
    survey: &str,
    token: Option<&str>,
    key: &str,
    body: &JsValue,
) -> Outcome {
    let path = ["/surveys/", &encode(survey), "/responses"].concat();
    let result = decoded(api.post::<Raw>(&path, token, key, body).await);
    match fate_of(&result, token.is_some()) {
        Fate::WithoutToken => {
            let result = decoded(api.post::<Raw>(&path, None, key, body).await);
            Outcome {
                fate: fate_of(&result, false),
                result,
                token_dropped: true,
            }
        }
        fate => Outcome {
            fate,
            result,
            token_dropped: false,
        },
    }
}

/// `POST /surveys/{id}/contacts`: the survey was shown or dismissed. Fire and forget:
/// the browser's own history already has it.
pub fn report_contact(ctx: WidgetContext, survey: &str, body: JsValue) {
    let api = ctx.api();
    let token = ctx.token.get_untracked();
    let path = ["/surveys/", &encode(survey), "/contacts"].concat();
    let key = crate::api::new_idempotency_key();
    leptos::task::spawn_local(async move {
        let _ = api.post::<Raw>(&path, token.as_deref(), &key, &body).await;
    });
}

/// Whether the widget is still mounted (its signals still live).
pub fn alive(ctx: WidgetContext) -> bool {
    ctx.settings.try_with_untracked(|_| ()).is_some()
}

/// The `detail` every survey event starts with.
pub fn detail(survey: &str, version: u32, more: &[(&str, JsValue)]) -> JsValue {
    let mut pairs = vec![
        ("survey", JsValue::from_str(survey)),
        ("version", version.into()),
    ];
    pairs.extend(more.iter().cloned());
    object_of(&pairs)
}

/// Fires `comeback:survey:dropped` for `item`.
pub fn dropped(ctx: WidgetContext, item: &Queued, status: Option<u16>, code: &str) {
    if alive(ctx) {
        let status = status.map_or(JsValue::NULL, |s| s.into());
        let detail = detail(
            &item.survey,
            item.version,
            &[("status", status), ("code", code.into())],
        );
        ctx.emit(events::DROPPED, &detail, false);
    }
}

/// Queues an answer the backend could not take; a full queue drops its oldest.
pub fn enqueue(ctx: WidgetContext, shop: &str, item: Queued) {
    for evicted in store::enqueue(shop, item) {
        dropped(ctx, &evicted, None, "queue_full");
    }
}

/// Sends every queued answer of this shop's API, oldest first. Returns whether some
/// still wait (the caller tries again later); `false` too when another flush runs.
pub async fn flush(ctx: WidgetContext) -> bool {
    if FLUSHING.with(|f| f.replace(true)) {
        return false;
    }
    let shop = ctx.settings.with_untracked(|s| s.shop.clone());
    let api = ctx.api();
    let mut waiting = false;
    for item in store::queue(&shop) {
        if item.base != api.base() {
            continue;
        }
        let outcome = post(
            &api,
            &item.survey,
            item.token.as_deref(),
            &item.key,
            &item.body,
        )
        .await;
        if outcome.token_dropped {
            store::drop_token(&shop, &item.key);
        }
        match (outcome.fate, outcome.result) {
            (Fate::Sent, Ok(receipt)) => {
                store::unqueue(&shop, &item.key);
                if alive(ctx) {
                    let more = [
                        ("response_id", receipt.id.as_str().into()),
                        ("reward", reward_name(receipt.reward).into()),
                        ("points", number(receipt.points)),
                    ];
                    ctx.emit(
                        events::SENT,
                        &detail(&item.survey, item.version, &more),
                        false,
                    );
                }
            }
            (Fate::Drop | Fate::WithoutToken, Err(error)) => {
                store::unqueue(&shop, &item.key);
                let status = match &error {
                    ApiError::Http { status, .. } => Some(*status),
                    _ => None,
                };
                if alive(ctx) {
                    ctx.report(&error);
                }
                dropped(ctx, &item, status, error.code());
            }
            _ => waiting = true,
        }
    }
    FLUSHING.with(|f| f.set(false));
    waiting
}
