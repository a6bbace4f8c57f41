//! The one way a widget loads data and applies answers, so no widget can show what was
//! asked for someone else.
//!
//! On a shared device one shopper signs out and another signs in while requests are in
//! flight; a locale switch can race a slow answer in the shopper's language the same
//! way. [`Asked`] records the token and locale a request was made for, and
//! [`WidgetContext::still`] (and [`WidgetContext::still_in_locale`]) say whether they
//! still hold when the answer arrives: an answer for an earlier shopper or locale is
//! dropped, never shown. [`use_load`] builds on it for reads: it loads when the widget
//! mounts and again whenever the token (and, if asked, the locale) changes, keeps only
//! the newest answer, retries reads through [`crate::api::ApiClient`] (backoff, jitter,
//! `Retry-After`), and is aborted with every other request when the widget unmounts.

use std::future::Future;

use comeback_core::Locale;
use leptos::prelude::*;

use crate::api::{ApiClient, ApiError};
use crate::embed::WidgetContext;

/// The shopper and locale a request was made for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    token: Option<String>,
    locale: Locale,
}

impl Asked {
    /// The token the request carries.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }
}

impl WidgetContext {
    /// What a request made now is asked for (untracked).
    pub fn asked(&self) -> Asked {
        Asked {
            token: self.token.get_untracked(),
            locale: self.settings.with_untracked(|s| s.locale),
        }
    }

    /// Whether an answer to `asked` may still be shown: the same shopper is signed in
    /// (and the widget is still mounted).
    pub fn still(&self, asked: &Asked) -> bool {
        self.token.try_get_untracked().as_ref() == Some(&asked.token)
    }

    /// Like [`WidgetContext::still`], for answers in the shopper's language: the locale
    /// must not have changed either.
    pub fn still_in_locale(&self, asked: &Asked) -> bool {
        self.still(asked) && self.settings.try_with_untracked(|s| s.locale) == Some(asked.locale)
    }
}

/// Where a read stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded<T> {
    /// Asked, no answer yet.
    Loading,
    /// The answer for the current shopper (and locale).
    Ready(T),
    /// The read failed (after its retries); the widget offers to try again.
    Failed(ApiError),
}

/// Options of [`use_load_with_options`].
#[derive(Debug, Clone, Copy, Default)]
pub struct UseLoadOptions {
    /// Load again when the locale changes (for answers in the shopper's language).
    /// Default `false`: only a new token loads again.
    pub by_locale: bool,
    /// While loading again for the same shopper and locale (the fetch read a signal that
    /// changed, say a filter), keep the answer shown instead of going back to
    /// [`Loaded::Loading`]; the new answer replaces it when it comes. Never across
    /// shoppers or locales. Default `false`.
    pub keep_while_reloading: bool,
}

/// What [`use_load`] returns: signals and a callback, so it is `Copy` whatever `T` is.
pub struct UseLoadReturn<T: Send + Sync + 'static> {
    /// The current state of the read (tracked).
    pub state: ReadSignal<Loaded<T>>,
    /// Replaces the answer in place (after a write whose answer changed it), only if it
    /// is still for the current shopper.
    pub set: WriteSignal<Loaded<T>>,
    /// Loads again (the "Try again" button).
    pub reload: Callback<()>,
}

impl<T: Send + Sync + 'static> Clone for UseLoadReturn<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for UseLoadReturn<T> {}

/// Loads with `fetch(api, token)` now and whenever the token changes; see the module
/// docs. Equivalent to [`use_load_with_options`] with the default options.
pub fn use_load<T, F, Fut>(fetch: F) -> UseLoadReturn<T>
where
    T: Send + Sync + 'static,
    F: Fn(ApiClient, Option<String>) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    use_load_with_options(fetch, UseLoadOptions::default())
}

/// [`use_load`] with options.
pub fn use_load_with_options<T, F, Fut>(fetch: F, options: UseLoadOptions) -> UseLoadReturn<T>
where
    T: Send + Sync + 'static,
    F: Fn(ApiClient, Option<String>) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let ctx = WidgetContext::get();
    let (state, set) = signal(Loaded::Loading);
    let attempt = RwSignal::new(0_u32);
    let fetch = std::rc::Rc::new(fetch);
    // Bumped per request: of two answers for the same shopper, only the newest shows.
    let latest = StoredValue::new(0_u32);
    Effect::new(move |before: Option<Asked>| {
        attempt.track();
        let token = ctx.token();
        if options.by_locale {
            ctx.settings.with(|s| s.locale);
        }
        let asked = ctx.asked();
        let request = latest.get_value().wrapping_add(1);
        latest.set_value(request);
        let keep = options.keep_while_reloading
            && before.as_ref() == Some(&asked)
            && state.with_untracked(|s| matches!(s, Loaded::Ready(_)));
        if !keep {
            set.set(Loaded::Loading);
        }
        let future = fetch(ctx.api(), token);
        let answer_for = asked.clone();
        leptos::task::spawn_local(async move {
            let result = future.await;
            let same = if options.by_locale {
                ctx.still_in_locale(&answer_for)
            } else {
                ctx.still(&answer_for)
            };
            let current = latest.try_get_value() == Some(request) && same;
            match result {
                _ if !current => {}
                Err(ApiError::Aborted) => {}
                Ok(value) => {
                    set.try_set(Loaded::Ready(value));
                }
                Err(error) => {
                    ctx.report(&error);
                    set.try_set(Loaded::Failed(error));
                }
            }
        });
        asked
    });
    UseLoadReturn {
        state,
        set,
        reload: Callback::new(move |()| attempt.update(|n| *n = n.wrapping_add(1))),
    }
}
