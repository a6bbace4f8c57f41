//! `<comeback-referral mode="banner">`: the friend's side. Shows nothing unless this
//! device holds a live referral (the loader keeps the code a link brought, see
//! `loader.js`); then the friend's offer ("Lin sent you 15% off on your first order"),
//! an email field to claim it as a guest, and, once claimed, the friend's discount code
//! to copy. A code the shop does not know hides the banner; a refused claim is explained
//! by the API's error code. Closing it is remembered with the stored referral, so it does
//! not follow the friend from page to page.

use comeback_core::referral::{FriendReward, ReferralClaim, ReferralLanding};
use leptos::prelude::*;

use super::model::{self, Refusal};
use super::strings::Key;
use super::{events, page, reward_words, Read};
use crate::api::{new_idempotency_key, ApiError};
use crate::embed::WidgetContext;
use crate::i18n::{Common, Strings};
use crate::load::Loaded;
use crate::wire::object_of;

/// What the claim form shows under the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    /// A message of this widget.
    Said(Key),
    /// The server could not be reached.
    Unavailable,
}

/// What the banner shows (its whole view changes with it).
#[derive(Debug, Clone, Default, PartialEq)]
enum Shown {
    /// The offer and the claim form.
    #[default]
    Form,
    /// The friend's reward, once claimed.
    Claimed(FriendReward),
    /// Nothing: closed by the friend, or the code turned out unknown.
    Hidden,
}

/// The details inside the view, each shown by its own small closure so the form keeps
/// its focus while they change.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct State {
    /// The claim is on its way.
    sending: bool,
    /// Why the last claim did not work, or what is wrong with the email.
    problem: Option<Problem>,
    /// The friend's code was copied.
    copied: bool,
}

/// The banner's handles; every field is copyable, so handlers capture the whole struct.
#[derive(Clone, Copy)]
pub(super) struct Claim {
    ctx: WidgetContext,
    code: StoredValue<Option<String>>,
    email: RwSignal<String>,
    shown: RwSignal<Shown>,
    state: RwSignal<State>,
}

impl Claim {
    /// The banner of the stored referral `code`, if any.
    pub(super) fn new(ctx: WidgetContext, code: Option<String>) -> Claim {
        Claim {
            ctx,
            code: StoredValue::new(code),
            email: RwSignal::new(String::new()),
            shown: RwSignal::new(Shown::Form),
            state: RwSignal::new(State::default()),
        }
    }

    /// The banner for what the read found.
    pub(super) fn render(self, read: Loaded<Read>) -> impl IntoView {
        if self.shown.with(|shown| *shown == Shown::Hidden) {
            return ().into_any();
        }
        match read {
            // Only the shop's `--comeback-min-height` is kept while asking (0 by default).
            Loaded::Loading if self.code.with_value(Option::is_some) => {
                view! { <div class="cb-referral__pending" aria-busy="true"></div> }.into_any()
            }
            Loaded::Ready(Read::Landing(landing)) => {
                self.banner(&self.ctx.strings(), &landing).into_any()
            }
            // No referral here, an unknown code, or the offer cannot be read: a banner is
            // an invitation, so nothing shows rather than an error.
            _ => ().into_any(),
        }
    }

    fn banner(self, s: &Strings, landing: &ReferralLanding) -> impl IntoView {
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
        let body = match self.shown.get() {
            Shown::Claimed(friend) => self.claimed_code(s, &friend).into_any(),
            Shown::Form | Shown::Hidden => self.form(s).into_any(),
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
            self.state.with(|st| st.problem).map(|problem| {
                let s = self.ctx.strings();
                match problem {
                    Problem::Said(key) => s.get(key).to_owned(),
                    Problem::Unavailable => s.get(Common::Unavailable).to_owned(),
                }
            })
        };
        let sending = move || self.state.with(|st| st.sending);
        let label = move || {
            let key = if sending() { Key::Claiming } else { Key::Claim };
            self.ctx.strings().get(key).to_owned()
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
                        aria-invalid=move || self.state.with(|st| st.problem.is_some()).then_some("true")
                        aria-describedby="cb-referral-error"
                        prop:value=move || self.email.get()
                        on:input=move |ev| {
                            self.email.set(event_target_value(&ev));
                            self.state.update(|st| st.problem = None);
                        }/>
                    <button type="submit" class="cb-btn" part="claim-button"
                        aria-disabled=move || sending().then_some("true")>
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
            self.state.update(|st| st.copied = false);
            leptos::task::spawn_local(async move {
                let done = crate::ui::copy_to_clipboard(&code).await;
                self.state.try_update(|st| st.copied = done);
            });
        };
        let copied = move || {
            self.state
                .with(|st| st.copied)
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
        if self.state.with_untracked(|st| st.sending) {
            return;
        }
        let Some(code) = self.code.get_value() else {
            return;
        };
        let email = self.email.get_untracked().trim().to_owned();
        if !model::email_looks_valid(&email) {
            self.state
                .update(|st| st.problem = Some(Problem::Said(Key::ErrorEmail)));
            self.ctx.focus_later("[part=email]".to_owned());
            return;
        }
        self.state.update(|st| {
            st.problem = None;
            st.sending = true;
        });
        let api = self.ctx.api();
        let token = self.ctx.token.get_untracked();
        let claim = ReferralClaim { code, email };
        let body = object_of(&[
            ("code", claim.code.as_str().into()),
            ("email", claim.email.as_str().into()),
        ]);
        // The claim is idempotent by mailbox; the key only follows the client's habit.
        let key = new_idempotency_key();
        leptos::task::spawn_local(async move {
            let result: Result<FriendReward, ApiError> = api
                .post("/referrals/claim", token.as_deref(), &key, &body)
                .await;
            if matches!(result, Err(ApiError::Aborted)) {
                return;
            }
            match result {
                Ok(friend) => {
                    let detail = object_of(&[
                        ("code", friend.code.as_str().into()),
                        ("referral_code", claim.code.as_str().into()),
                    ]);
                    self.state.try_update(|st| st.sending = false);
                    self.shown.try_set(Shown::Claimed(friend));
                    self.ctx.emit(events::CLAIMED, &detail, false);
                    self.ctx.focus_later("[part=friend-code]".to_owned());
                }
                Err(error) => {
                    self.ctx.report(&error);
                    let refusal = model::refusal(&error);
                    let problem = match refusal {
                        Refusal::Explain(key) => Some(Problem::Said(key)),
                        Refusal::Unavailable => Some(Problem::Unavailable),
                        Refusal::Hide => {
                            self.shown.try_set(Shown::Hidden);
                            None
                        }
                    };
                    self.state.try_update(|st| {
                        st.sending = false;
                        st.problem = problem;
                    });
                }
            }
        });
    }

    /// The friend closed the banner: gone here, and on the next pages.
    fn dismiss(self) {
        self.shown.set(Shown::Hidden);
        self.ctx.settings.with_untracked(|s| page::dismiss(&s.shop));
        let code = self.code.get_value().unwrap_or_default();
        self.ctx.emit(
            events::DISMISSED,
            &object_of(&[("referral_code", code.as_str().into())]),
            false,
        );
    }
}
