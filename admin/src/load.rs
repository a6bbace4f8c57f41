//! The one way a page loads what it shows: again whenever what it asks for changes,
//! never showing an answer that arrived for an earlier question, and back to the
//! sign-in form when the session is gone.

use leptos::prelude::*;
use serde::de::DeserializeOwned;

use crate::api::{self, ApiError};
use crate::App;

/// What a page has loaded so far.
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded<T> {
    /// Asked, no answer yet.
    Loading,
    /// The answer.
    Ready(T),
    /// The call failed.
    Failed(ApiError),
}

/// Loads `GET url()` now and whenever the URL's signals change. `url` answering `None`
/// leaves the state as it is (nothing to ask yet). Bump `reload` to ask again.
pub fn use_get<T, F>(url: F) -> (ReadSignal<Loaded<T>>, RwSignal<u32>)
where
    T: DeserializeOwned + Send + Sync + 'static,
    F: Fn() -> Option<String> + 'static,
{
    let app = App::get();
    let (state, set) = signal(Loaded::Loading);
    let reload = RwSignal::new(0_u32);
    let latest = StoredValue::new(0_u32);
    Effect::new(move |_| {
        reload.track();
        let Some(url) = url() else { return };
        let request = latest.get_value().wrapping_add(1);
        latest.set_value(request);
        set.set(Loaded::Loading);
        leptos::task::spawn_local(async move {
            let result = api::get::<T>(&url).await;
            if latest.try_get_value() != Some(request) {
                return;
            }
            match result {
                Ok(value) => {
                    set.try_set(Loaded::Ready(value));
                }
                Err(error) => {
                    app.check(&error);
                    set.try_set(Loaded::Failed(error));
                }
            }
        });
    });
    (state, reload)
}
