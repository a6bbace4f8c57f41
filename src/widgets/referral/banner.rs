//! `<comeback-referral mode="banner">`: the friend's side. Shows nothing unless this
//! device holds a live referral (the loader keeps the code a link brought, see
//! `loader.js`); then the friend's offer ("Lin sent you 15% off your first order"), an
//! email field to claim it as a guest, and, once claimed, the friend's discount code to
//! copy. A code the shop does not know hides the banner; a refused claim is explained by
//! the API's error code. Closing it is remembered with the stored referral, so it does
//! not follow the friend from page to page.

use comeback_core::referral::{FriendReward, ReferralClaim, ReferralLanding};
use leptos::prelude::*;

use super::model::{self, Refusal};
use super::strings::Key;
use super::{events, page, reward_words};
use crate::api::{encode, new_idempotency_key, ApiError};
use crate::embed::WidgetContext;
use crate::i18n::{Common, Strings};
use crate::load::{use_load_with_options, Loaded, UseLoadOptions};
use crate::wire::object_of;

/// What the claim form shows under the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    /// A message of this widget.
    Said(Key),
    /// The server could not be reached.
    Unavailable,
}

/// The banner's state besides the offer itself.
#[derive(Clone, Copy)]
struct Claim {
    ctx: WidgetContext,
    code: StoredValue<Option<String>>,
    email: RwSignal<String>,
    sending: RwSignal<bool>,
    problem: RwSignal<Option<Problem>>,
    claimed: RwSignal<Option<FriendReward>>,
    hidden: RwSignal<bool>,
    copied: RwSignal<bool>,
}

/// The friend's banner.
#[component]
pub fn Banner() -> impl IntoView {
    let ctx = WidgetContext::get();
    let code = ctx.settings.with_untracked(|s| page::stored_code(&s.shop));
    let claim = Claim {
        ctx,
        code: StoredValue::new(code.clone()),
        email: RwSignal::new(String::new()),
        sending: RwSignal::new(false),
        problem: RwSignal::new(None),
        claimed: RwSignal::new(None),
        hidden: RwSignal::new(false),
        copied: RwSignal::new(false),
    };
    // Public: what the code offers needs no token.
    let landing = use_load_with_options(
        move |api, _token| {
            let path = code.as_deref().map(|code| {
                let locale = ctx.settings.with_untracked(|s| s.locale.as_str());
                ["/referrals/codes/", &encode(code), "?locale=", locale].concat()
            });
            async move {
                match path {
                    Some(path) => api.get::<ReferralLanding>(&path, None).await.map(Some),
                    None => Ok(None),
                }
            }
        },
        UseLoadOptions {
            by_locale: true,
            keep_while_reloading: true,
        },
    );
    move || {
        if claim.hidden.get() {
            return ().into_any();
        }
        match landing.state.get() {
            // Only the shop's `--comeback-min-height` is kept while asking (0 by default).
            Loaded::Loading if claim.code.with_value(Option::is_some) => {
                view! { <div class="cb-referral__pending" aria-busy="true"></div> }.into_any()
            }
            Loaded::Ready(Some(landing)) => claim.render(&ctx.strings(), &landing).into_any(),
            // No referral here, an unknown code, or the offer cannot be read: a banner is
            // an invitation, so nothing shows rather than an error.
            _ => ().into_any(),
        }
    }
}

impl Claim {
    fn render(self, s: &Strings, landing: &ReferralLanding) -> impl IntoView {
        let (theme, locale) = self
            .ctx
            .settings
            .with(|st| (st.theme.class(), st.locale.as_str()));
        let reward = reward_words(s, &landing.friend_reward);
        let offer = match landing.advocate_name.as_deref().map(str::trim) {
            Some(name) if !name.is_empty() => {
                s.fill(Key::BannerFrom, &[("name", name), ("reward", &reward)])
            }
            _ => s.fill(Key::BannerAnonymous, &[("reward", &reward)]),
        };
        let body = match self.claimed.get() {
            Some(friend) => self.claimed_code(s, &friend).into_any(),
            None => self.form(s).into_any(),
        };
        view! {
            <aside class=["cb-root cb-referral cb-referral--banner ", theme].concat() part="root banner"
                lang=locale aria-labelledby="cb-referral-offer">
                <p class="cb-referral__offer" part="offer" id="cb-referral-offer">{offer}</p>
                {body}
                <button type="button" class="cb-referral__dismiss" part="dismiss-button"
                    aria-label=s.get(Key::Dismiss).to_owned() on:click=move |_| self.dismiss()>
                    <span aria-hidden="true">"×"</span>
                </button>
            </aside>
        }
    }

    /// The email field and the claim button.
    fn form(self, s: &Strings) -> impl IntoView {
        let problem = move || {
            self.problem.get().map(|problem| {
                let s = self.ctx.strings();
                match problem {
                    Problem::Said(key) => s.get(key).to_owned(),
                    Problem::Unavailable => s.get(Common::Unavailable).to_owned(),
                }
            })
        };
        let label = move || {
            let s = self.ctx.strings();
            if self.sending.get() {
                s.get(Key::Claiming).to_owned()
            } else {
                s.get(Key::Claim).to_owned()
            }
        };
        view! {
            <form class="cb-referral__claim" part="claim-form" novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    self.send();
                }>
                <label class="cb-referral__label" for="cb-referral-email">{s.get(Key::YourEmail).to_owned()}</label>
                <div class="cb-referral__row">
                    <input class="cb-referral__email" part="email" id="cb-referral-email" type="email"
                        autocomplete="email" inputmode="email" spellcheck="false"
                        aria-invalid=move || self.problem.get().is_some().then_some("true")
                        aria-describedby="cb-referral-error"
                        prop:value=move || self.email.get()
                        on:input=move |ev| {
                            self.email.set(event_target_value(&ev));
                            self.problem.set(None);
                        }/>
                    <button type="submit" class="cb-btn" part="claim-button"
                        aria-disabled=move || self.sending.get().then_some("true")>
                        {label}
                    </button>
                </div>
                <p class="cb-referral__error" part="error" id="cb-referral-error" role="alert">{problem}</p>
            </form>
        }
    }

    /// The friend's discount code, to copy, and until when it works.
    fn claimed_code(self, s: &Strings, friend: &FriendReward) -> impl IntoView {
        let code = friend.code.clone();
        let copy = move |_| {
            let code = code.clone();
            self.copied.set(false);
            leptos::task::spawn_local(async move {
                let done = crate::ui::copy_to_clipboard(&code).await;
                self.copied.try_set(done);
            });
        };
        let copied = move || {
            self.copied
                .get()
                .then(|| self.ctx.strings().get(Key::CodeCopied).to_owned())
        };
        view! {
            <div class="cb-referral__claimed">
                <p>{s.get(Key::YourCode).to_owned()}</p>
                <p class="cb-referral__row">
                    <strong class="cb-referral__code" part="friend-code" tabindex="-1">{friend.code.clone()}</strong>
                    <button type="button" class="cb-btn cb-btn--quiet" part="copy-code-button" on:click=copy>
                        {s.get(Key::CopyCode).to_owned()}
                    </button>
                </p>
                <p class="cb-muted">{s.fill(Key::UseBy, &[("date", &s.date(friend.expires_at))])}</p>
                <p class="cb-referral__copied" part="copied" role="status" aria-live="polite">{copied}</p>
            </div>
        }
    }

    /// Sends the claim (once at a time), or explains what is wrong with the email first.
    fn send(self) {
        if self.sending.get_untracked() {
            return;
        }
        let Some(code) = self.code.get_value() else {
            return;
        };
        let email = self.email.get_untracked().trim().to_owned();
        if !model::email_looks_valid(&email) {
            self.problem.set(Some(Problem::Said(Key::ErrorEmail)));
            self.ctx.focus_later("[part=email]".to_owned());
            return;
        }
        self.problem.set(None);
        self.sending.set(true);
        let api = self.ctx.api();
        let token = self.ctx.token.get_untracked();
        let claim = ReferralClaim { code, email };
        let body = object_of(&[
            ("code", claim.code.as_str().into()),
            ("email", claim.email.as_str().into()),
        ]);
        let code = claim.code;
        // The claim is idempotent by mailbox; the key only follows the client's habit.
        let key = new_idempotency_key();
        leptos::task::spawn_local(async move {
            let result: Result<FriendReward, ApiError> = api
                .post("/referrals/claim", token.as_deref(), &key, &body)
                .await;
            if matches!(result, Err(ApiError::Aborted)) {
                return;
            }
            self.sending.try_set(false);
            match result {
                Ok(friend) => {
                    let detail = object_of(&[
                        ("code", friend.code.as_str().into()),
                        ("referral_code", code.as_str().into()),
                    ]);
                    self.claimed.try_set(Some(friend));
                    self.ctx.emit(events::CLAIMED, &detail, false);
                    self.ctx.focus_later("[part=friend-code]".to_owned());
                }
                Err(error) => {
                    self.ctx.report(&error);
                    match model::refusal(&error) {
                        Refusal::Explain(key) => {
                            self.problem.try_set(Some(Problem::Said(key)));
                        }
                        Refusal::Unavailable => {
                            self.problem.try_set(Some(Problem::Unavailable));
                        }
                        Refusal::Hide => {
                            self.hidden.try_set(true);
                        }
                    }
                }
            }
        });
    }

    /// The friend closed the banner: gone here, and on the next pages.
    fn dismiss(self) {
        self.hidden.set(true);
        self.ctx.settings.with_untracked(|s| page::dismiss(&s.shop));
        let code = self.code.get_value().unwrap_or_default();
        self.ctx.emit(
            events::DISMISSED,
            &object_of(&[("referral_code", code.as_str().into())]),
            false,
        );
    }
}
