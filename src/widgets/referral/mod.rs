//! `<comeback-referral>`: the referral programme (also the launcher's `referral` tab).
//!
//! For the signed-in advocate (the default): their link and code, shared by copying the
//! link (confirmed on screen and to screen readers), the browser's share sheet where it
//! has one, an email, or a QR code drawn in the widget for phones and WeChat; what they
//! get and what their friend gets, in plain words or the shop's own; visits and
//! sign-ups; and each referral with its status: pending with the day it will be paid,
//! paid, cancelled or declined with a reason a shopper understands. Signed-out shoppers
//! are invited to sign in, as in the loyalty widget.
//!
//! With `mode="banner"` ([`banner`]): the friend's side. It shows nothing unless this
//! device holds a live referral (the loader keeps the code a link brought); then the
//! friend's offer, an email field to claim it as a guest, and the discount code once
//! claimed.
//!
//! Attributes: `mode` (`banner`), `signin-url`, `theme`, `lang`. Parts: `root`,
//! `friend-gets`, `you-get`, `when-paid`, `share`, `qr`, `link`, `code`, `copy-button`,
//! `share-button`, `email-link`, `copied`, `stats`, `referrals`, `referral`, `friend`,
//! `status`, `detail`, `reason`, `empty`, `signed-out`, `signin-button`; the banner's
//! `banner`, `offer`, `claim-form`, `email`, `claim-button`, `error`, `friend-code`,
//! `copy-code-button`, `dismiss-button`.

mod banner;
pub mod element;
pub mod events;
pub mod model;
mod page;
pub mod strings;
pub mod style;
mod wire;

use comeback_core::date::Date;
use comeback_core::referral::{
    ReferralLanding, ReferralProgramme, ReferralStatus, ReferralView, RewardOffer,
};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::api::encode;
use crate::embed::WidgetContext;
use crate::i18n::{Common, Strings};
use crate::load::{use_load_with_options, Loaded, UseLoadOptions, UseLoadReturn};
use crate::ui;
use crate::wire::object_of;
use model::{Amount, Words};
use strings::Key;

/// The widget's stylesheet.
pub const CSS: &str = include_css!("widgets/referral/style.css");

/// The widget as the registry loads it (see [`crate::widgets::Widget`]).
pub fn widget() -> crate::widgets::Widget {
    crate::widgets::Widget {
        view: || ReferralWidget().into_any(),
        css: CSS,
    }
}

/// What the widget reads: the advocate's programme, or what the code a link brought
/// offers the friend (`mode="banner"`). One type and one read for both modes, so the
/// read machinery ([`crate::load`]) is built into the chunk once.
#[derive(Debug, Clone, PartialEq)]
enum Read {
    /// Nothing to ask: signed out (advocate), no live referral on this device (banner).
    Nothing,
    /// `GET …/referrals/me`.
    Programme(Box<ReferralProgramme>),
    /// `GET …/referrals/codes/{code}`.
    Landing(ReferralLanding),
}

/// The advocate's programme or, with `mode="banner"`, the friend's banner. Reads
/// everything from [`WidgetContext`].
#[component]
pub fn ReferralWidget() -> impl IntoView {
    let ctx = WidgetContext::get();
    let banner = Memo::new(move |_| {
        ctx.settings.with(|s| {
            s.attr("mode")
                .is_some_and(|m| m.eq_ignore_ascii_case("banner"))
        })
    });
    // The banner's referral, as the loader stored it when the page opened.
    let code = ctx.settings.with_untracked(|s| page::stored_code(&s.shop));
    let claim = banner::Claim::new(ctx, code.clone());
    let read = use_load_with_options(
        move |api, token| {
            let locale = ctx.settings.with_untracked(|s| s.locale.as_str());
            let path = if banner.get() {
                code.as_deref()
                    .map(|code| ["/referrals/codes/", &encode(code), "?locale=", locale].concat())
            } else {
                token
                    .as_ref()
                    .map(|_| ["/referrals/me?locale=", locale].concat())
            };
            let banner = banner.get_untracked();
            async move {
                let Some(path) = path else {
                    return Ok(Read::Nothing);
                };
                if banner {
                    // Public: what a code offers needs no token.
                    api.get::<ReferralLanding>(&path, None)
                        .await
                        .map(Read::Landing)
                } else {
                    api.get::<ReferralProgramme>(&path, token.as_deref())
                        .await
                        .map(|programme| Read::Programme(Box::new(programme)))
                }
            }
        },
        UseLoadOptions {
            by_locale: true,
            keep_while_reloading: false,
        },
    );
    let copied: RwSignal<Option<Key>> = RwSignal::new(None);
    let field = NodeRef::<leptos::html::Input>::new();
    // A new shopper starts without the previous one's confirmation.
    Effect::new(move |_| {
        ctx.token.track();
        copied.set(None);
    });
    move || {
        if banner.get() {
            claim.render(read.state.get()).into_any()
        } else {
            advocate(ctx, read, copied, field).into_any()
        }
    }
}

/// The signed-in advocate's link, rewards and referrals.
fn advocate(
    ctx: WidgetContext,
    read: UseLoadReturn<Read>,
    copied: RwSignal<Option<Key>>,
    field: NodeRef<leptos::html::Input>,
) -> impl IntoView {
    let s = ctx.strings();
    let (theme, locale) = ctx
        .settings
        .with(|st| (st.theme.class(), st.locale.as_str()));
    let body = match read.state.get() {
        Loaded::Loading | Loaded::Ready(Read::Landing(_)) => {
            ui::skeleton(s.get(Common::Loading).to_owned()).into_any()
        }
        Loaded::Ready(Read::Nothing) => sign_in(ctx, &s, Key::SignedOut).into_any(),
        Loaded::Ready(Read::Programme(programme)) => {
            share_and_list(ctx, &s, &programme, copied, field).into_any()
        }
        Loaded::Failed(error) if error.is_unauthorized() => {
            sign_in(ctx, &s, Key::SessionExpired).into_any()
        }
        Loaded::Failed(error) if model::not_offered(&error) => view! {
            <p class="cb-muted" part="empty">{s.get(Key::NotOffered).to_owned()}</p>
        }
        .into_any(),
        Loaded::Failed(_) => ui::fallback(
            s.get(Common::Unavailable).to_owned(),
            s.get(Common::Retry).to_owned(),
            move || read.reload.run(()),
        )
        .into_any(),
    };
    view! {
        <section class=["cb-root cb-referral ", theme].concat() part="root" lang=locale
            aria-labelledby="cb-referral-title">
            <h2 class="cb-referral__title" id="cb-referral-title">{s.get(Key::Title).to_owned()}</h2>
            {body}
        </section>
    }
}

/// The invitation to sign in (signed out, or the token was refused).
fn sign_in(ctx: WidgetContext, s: &Strings, message: Key) -> impl IntoView {
    let url = ctx.settings.with_untracked(|st| st.link_attr("signin-url"));
    let href = url.clone().unwrap_or_else(|| "#".to_owned());
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let detail = object_of(&[("url", url.as_deref().map_or(JsValue::NULL, JsValue::from))]);
        if !ctx.emit(events::SIGN_IN, &detail, true) || url.is_none() {
            ev.prevent_default();
        }
    };
    view! {
        <div class="cb-fallback" part="signed-out" role="status">
            <p>{s.get(message).to_owned()}</p>
            <a class="cb-btn" part="signin-button" href=href on:click=on_click>
                {s.get(Key::SignIn).to_owned()}
            </a>
        </div>
    }
}

/// A reward in the shopper's words (or the shop's).
pub(crate) fn reward_words(s: &Strings, offer: &RewardOffer) -> String {
    match model::words(offer) {
        Words::Shop(text) => text,
        Words::Built {
            key,
            amount,
            minimum,
            valid_days,
        } => {
            let text = match amount {
                Amount::Count(n) => s.fill(key, &[("n", &crate::i18n::format_number(n, s.locale))]),
                Amount::Money(minor) => s.fill(key, &[("money", &s.money(minor, &offer.currency))]),
                Amount::Nothing => s.get(key).to_owned(),
            };
            let money = minimum.map(|minor| s.money(minor, &offer.currency));
            let days = valid_days.map(|days| days.to_string());
            match (money, days) {
                (Some(money), Some(n)) => s.fill(
                    Key::RewardMinimumValid,
                    &[("reward", &text), ("money", &money), ("n", &n)],
                ),
                (Some(money), None) => {
                    s.fill(Key::RewardMinimum, &[("reward", &text), ("money", &money)])
                }
                (None, Some(n)) => s.fill(Key::RewardValid, &[("reward", &text), ("n", &n)]),
                (None, None) => text,
            }
        }
    }
}

/// A day as a medium date in the shopper's language.
fn day(s: &Strings, date: Date) -> String {
    s.date(date.days_since_epoch() * 86_400 + 43_200)
}

/// The rewards, the link with its ways to share, the tallies and the referrals.
fn share_and_list(
    ctx: WidgetContext,
    s: &Strings,
    programme: &ReferralProgramme,
    copied: RwSignal<Option<Key>>,
    field: NodeRef<leptos::html::Input>,
) -> impl IntoView {
    // A link that is not http(s) is never shown; the code alone still works at checkout.
    let link = page::resolve(&programme.link).unwrap_or_else(|| programme.code.clone());
    let friend = reward_words(s, &programme.friend_reward);
    let when = if programme.hold_days == 0 {
        s.get(Key::PaidAtOnce).to_owned()
    } else {
        s.fill(Key::WhenPaid, &[("n", &programme.hold_days.to_string())])
    };
    let message = s.fill(Key::Message, &[("reward", &friend)]);
    let subject = s.fill(Key::Subject, &[("reward", &friend)]);
    let mailto = model::mailto(&subject, &[message.as_str(), "\n", &link].concat());
    let qr = model::qr(&link).map(|qr| {
        let side = qr.size.to_string();
        let view_box = ["0 0 ", &side, " ", &side].concat();
        view! {
            <svg class="cb-referral__qr" part="qr" role="img" aria-label=s.get(Key::Qr).to_owned()
                viewBox=view_box shape-rendering="crispEdges">
                <rect width=side.clone() height=side fill="#fff"></rect>
                <path d=qr.d fill="#000"></path>
            </svg>
        }
    });
    let copy = {
        let link = link.clone();
        move |_| {
            let link = link.clone();
            copied.set(None);
            leptos::task::spawn_local(async move {
                let done = page::copy(&link, field.get_untracked()).await;
                copied.try_set(Some(if done { Key::Copied } else { Key::CopyByHand }));
                if done {
                    ctx.emit(
                        events::COPIED,
                        &object_of(&[("link", link.as_str().into())]),
                        false,
                    );
                }
            });
        }
    };
    let share = page::can_share().then(|| {
        let (link, message, subject) = (link.clone(), message.clone(), subject.clone());
        let on_click = move |_| {
            let (link, message, subject) = (link.clone(), message.clone(), subject.clone());
            leptos::task::spawn_local(async move {
                if page::share(&subject, &message, &link).await {
                    ctx.emit(events::SHARED, &object_of(&[("link", link.as_str().into())]), false);
                }
            });
        };
        view! {
            <button type="button" class="cb-btn cb-btn--quiet" part="share-button" on:click=on_click>
                {s.get(Key::Share).to_owned()}
            </button>
        }
    });
    let confirmation = move || copied.get().map(|key| ctx.strings().get(key).to_owned());
    let stats = [
        (Key::Visits, programme.visits.to_string()),
        (Key::Signups, programme.signups.to_string()),
        (
            Key::Rewarded,
            model::rewarded(&programme.referrals).to_string(),
        ),
    ]
    .into_iter()
    .map(|(key, n)| {
        view! {
            <div class="cb-referral__stat">
                <dt>{s.get(key).to_owned()}</dt>
                <dd>{n}</dd>
            </div>
        }
    })
    .collect_view();
    let referrals = if programme.referrals.is_empty() {
        view! { <p class="cb-muted" part="empty">{s.get(Key::Empty).to_owned()}</p> }.into_any()
    } else {
        let items = programme
            .referrals
            .iter()
            .map(|view| referral(s, view))
            .collect_view();
        view! { <ul class="cb-referral__list" part="referrals" role="list">{items}</ul> }.into_any()
    };
    view! {
        <p class="cb-referral__reward" part="friend-gets">{s.fill(Key::FriendGets, &[("reward", &friend)])}</p>
        <p class="cb-referral__reward" part="you-get">
            {s.fill(Key::YouGet, &[("reward", &reward_words(s, &programme.advocate_reward))])}
        </p>
        <p class="cb-muted" part="when-paid">{when}</p>
        <div class="cb-referral__share" part="share">
            {qr}
            <div class="cb-referral__ways">
                <label class="cb-referral__label" for="cb-referral-link">{s.get(Key::Link).to_owned()}</label>
                <input class="cb-referral__link" part="link" id="cb-referral-link" type="text" readonly
                    value=link.clone() node_ref=field on:focus=|ev| {
                        use wasm_bindgen::JsCast;
                        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            input.select();
                        }
                    }/>
                <p class="cb-referral__code-line">
                    {[s.get(Key::Code), " "].concat()}
                    <strong class="cb-referral__code" part="code">{programme.code.clone()}</strong>
                    <span class="cb-muted">{[" ", s.get(Key::CodeHint)].concat()}</span>
                </p>
                <div class="cb-referral__actions">
                    <button type="button" class="cb-btn" part="copy-button" on:click=copy>
                        {s.get(Key::CopyLink).to_owned()}
                    </button>
                    {share}
                    <a class="cb-btn cb-btn--quiet" part="email-link" href=mailto>
                        {s.get(Key::Email).to_owned()}
                    </a>
                </div>
                <p class="cb-referral__copied" part="copied" role="status" aria-live="polite">{confirmation}</p>
            </div>
        </div>
        <dl class="cb-referral__stats" part="stats">{stats}</dl>
        <h3 class="cb-referral__subtitle">{s.get(Key::Referrals).to_owned()}</h3>
        {referrals}
    }
}

/// One referral: the friend, its status, and what it means for the reward.
fn referral(s: &Strings, view: &ReferralView) -> impl IntoView {
    let friend = view
        .friend
        .clone()
        .unwrap_or_else(|| s.get(Key::AFriend).to_owned());
    let reward = reward_words(s, &view.reward);
    let detail = match view.status {
        ReferralStatus::Pending => view
            .pays_on
            .map(|date| s.fill(Key::PaysOn, &[("reward", &reward), ("date", &day(s, date))])),
        ReferralStatus::Paid => Some(match view.paid_on {
            Some(date) => s.fill(Key::PaidOn, &[("reward", &reward), ("date", &day(s, date))]),
            None => reward,
        }),
        ReferralStatus::Cancelled | ReferralStatus::Declined => None,
    };
    let code = view
        .reward_code
        .as_ref()
        .filter(|_| view.status == ReferralStatus::Paid)
        .map(|code| view! { <p class="cb-referral__reward-code">{s.fill(Key::RewardCode, &[("code", code)])}</p> });
    let reason = model::reason_of(view).map(
        |key| view! { <p class="cb-referral__reason" part="reason">{s.get(key).to_owned()}</p> },
    );
    let status = view.status.as_str();
    view! {
        <li class=["cb-referral__item cb-referral__item--", status].concat() part="referral" data-status=status>
            <p class="cb-referral__head">
                <span class="cb-referral__friend" part="friend">{friend}</span>
                <span class=["cb-referral__status cb-referral__status--", status].concat() part="status">
                    {s.get(model::status(view.status)).to_owned()}
                </span>
            </p>
            {detail.map(|text| view! { <p part="detail">{text}</p> })}
            {code}
            {reason}
            <p class="cb-muted">{s.fill(Key::OrderedOn, &[("date", &day(s, view.ordered_on))])}</p>
        </li>
    }
}
