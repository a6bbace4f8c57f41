//! `<comeback-loyalty>`: the shopper's points balance, tier, progress and perks, rewards
//! to redeem with a confirmation step (points at checkout with a slider), stamp cards,
//! their discount codes, ways to earn, their birthday and contact preferences, and
//! history. Signed-out shoppers see the programme and a join / sign-in invitation.
//!
//! Attributes: `join-url`, `signin-url` (links for signed-out shoppers; the shop's
//! programme settings are used when absent), `theme`, `lang`.
//!
//! Rendering is deliberately coarse: one render function reads the widget's few signals
//! and builds the view from plain values. Leptos rebuilds a view of the same shape in
//! place (nodes and focus are kept), and the bundle stays far smaller than with a
//! reactive closure per string.

pub mod element;
pub mod events;
pub mod model;
mod profile;
pub mod strings;
pub mod style;
mod wire;

use comeback_core::api::{
    HistoryEntry, LoyaltyMe, Preferences, ProgrammeView, PunchCardView, Redemption, RewardKind,
    RewardView, WayToEarn,
};
use comeback_core::ledger::EntryKind;
use comeback_core::tier::{Tier, TierPerks};
use comeback_core::tiers::TierBasis;
use comeback_core::Locale;
use leptos::either::Either;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::api::{new_idempotency_key, ApiError};
use crate::config::safe_link;
use crate::embed::WidgetContext;
use crate::i18n::{Common, Strings};
use crate::ui;
use crate::wire::{number, object_of};
use model::{Access, Flow};
use strings::Key;

/// The widget's stylesheet.
pub const CSS: &str = include_css!("widgets/loyalty/style.css");

/// The widget as the registry loads it (see [`crate::widgets::Widget`]).
pub fn widget() -> crate::widgets::Widget {
    crate::widgets::Widget {
        view: || LoyaltyWidget().into_any(),
        css: CSS,
    }
}

/// What the widget is showing.
#[derive(Debug)]
enum Load {
    Loading,
    Member(Box<LoyaltyMe>),
    Guest(ProgrammeView),
    /// The token was refused: the shopper must sign in again.
    SignedOut,
    Failed,
}

/// Everything the widget shows, in one signal (one signal type keeps the bundle small).
#[derive(Debug)]
struct State {
    load: Load,
    flow: Flow,
    /// The code of the redemption just made, shown on top until the shopper leaves.
    code: Option<Redemption>,
    copied: bool,
    /// Points chosen on the points-at-checkout slider.
    chosen: i64,
    /// The shopper's contact preferences, once loaded.
    prefs: Option<Preferences>,
    /// What the profile forms hold and whether one is being saved.
    profile: profile::Profile,
    /// Bumped per load (without re-rendering), so an answer for a previous token is
    /// dropped.
    generation: u32,
}

/// The widget's handles. Every field is copyable, so event handlers capture the whole
/// struct.
#[derive(Clone, Copy)]
struct Loyalty {
    ctx: WidgetContext,
    state: RwSignal<State>,
}

/// The loyalty widget. Reads everything from [`WidgetContext`].
#[component]
pub fn LoyaltyWidget() -> impl IntoView {
    let ctx = WidgetContext::get();
    let widget = Loyalty {
        ctx,
        state: RwSignal::new(State::new(0)),
    };
    // A new token is a new shopper: forget everything shown for the previous one.
    Effect::new(move |_| widget.fetch(ctx.token()));
    move || widget.render()
}

impl State {
    fn new(generation: u32) -> State {
        State {
            load: Load::Loading,
            flow: Flow::Idle,
            code: None,
            copied: false,
            chosen: 0,
            prefs: None,
            profile: profile::Profile::default(),
            generation,
        }
    }
}

impl Loyalty {
    /// Loads what `token` may see. A new token is a new shopper: everything shown for the
    /// previous one is dropped first.
    fn fetch(self, token: Option<String>) {
        let generation = self.state.with_untracked(|s| s.generation.wrapping_add(1));
        self.state.set(State::new(generation));
        let api = self.ctx.api();
        let asked = self.ctx.asked();
        leptos::task::spawn_local(async move {
            let result = match &token {
                Some(token) => api
                    .get("/loyalty/me", Some(token))
                    .await
                    .map(|me| Load::Member(Box::new(me))),
                None => api.get("/loyalty/programme", None).await.map(Load::Guest),
            };
            let newest = self.state.try_with_untracked(|s| s.generation) == Some(generation);
            if !newest || !self.ctx.still(&asked) {
                return;
            }
            let next = match result {
                Ok(load) => load,
                Err(ApiError::Aborted) => return,
                Err(error) => {
                    self.ctx.report(&error);
                    if error.is_unauthorized() {
                        Load::SignedOut
                    } else {
                        Load::Failed
                    }
                }
            };
            if let Load::Member(me) = &next {
                let tier = me
                    .tier
                    .current
                    .as_deref()
                    .map_or(JsValue::NULL, JsValue::from);
                let early: js_sys::Array = me
                    .early_access_products
                    .iter()
                    .map(|id| JsValue::from_str(id))
                    .collect();
                let detail = object_of(&[
                    ("balance", number(me.balance)),
                    ("tier", tier),
                    ("early_access_products", early.into()),
                ]);
                self.ctx.emit(events::LOADED, &detail, false);
            }
            // Servers older than `preferences` in the summary are asked separately.
            let (member, prefs) = match &next {
                Load::Member(me) => (true, me.preferences.clone()),
                _ => (false, None),
            };
            self.state.try_update(|s| s.load = next);
            match prefs {
                Some(prefs) => self.show_preferences(prefs),
                None if member => self.load_preferences(token),
                None => {}
            }
        });
    }

    fn retry(self) {
        self.fetch(self.ctx.token.get_untracked());
    }

    /// Opens the confirmation for `reward`; the slider of a points-at-checkout reward
    /// starts at its smallest step.
    fn choose_reward(self, reward: &RewardView) {
        let reward_id = reward.id.clone();
        let least = reward.cost;
        self.transition(|s| {
            s.chosen = least;
            s.flow = Flow::Confirming { reward_id };
        });
    }

    /// Moves the slider to `points` (snapped to the reward's steps).
    fn choose_points(self, points: &str) {
        let points = points.parse::<i64>().unwrap_or(0);
        self.state.update(|s| {
            if let (Load::Member(me), Some(id)) = (&s.load, s.flow.reward_id()) {
                if let Some(reward) = me.rewards.iter().find(|r| r.id == id) {
                    s.chosen = model::snap_points(reward, me.balance, points);
                }
            }
        });
    }

    /// Confirms (or retries) the redemption in the flow.
    fn redeem(self) {
        let (next, points) = self.state.with_untracked(|s| {
            let reward_id = s.flow.reward_id().unwrap_or_default().to_owned();
            let at_checkout = match &s.load {
                Load::Member(me) => me
                    .rewards
                    .iter()
                    .any(|r| r.id == reward_id && r.kind == RewardKind::PointsAtCheckout),
                _ => false,
            };
            let key = new_idempotency_key();
            (s.flow.confirm(key), at_checkout.then_some(s.chosen))
        });
        let Some(Flow::Redeeming { reward_id, key }) = next.clone() else {
            return;
        };
        self.set_flow(Flow::Redeeming {
            reward_id: reward_id.clone(),
            key: key.clone(),
        });
        let api = self.ctx.api();
        let token = self.ctx.token.get_untracked();
        let asked = self.ctx.asked();
        leptos::task::spawn_local(async move {
            let points = points.map_or(JsValue::UNDEFINED, number);
            let body = object_of(&[("reward_id", reward_id.as_str().into()), ("points", points)]);
            let result: Result<Redemption, ApiError> = api
                .post("/loyalty/redemptions", token.as_deref(), &key, &body)
                .await;
            // Signed out (or another shopper signed in) meanwhile: the code belongs to the
            // shopper who asked, and a new shopper's widget has loaded their own state.
            if !self.ctx.still(&asked) {
                return;
            }
            match result {
                Ok(redemption) => {
                    let now = (js_sys::Date::now() / 1000.0) as i64;
                    self.state.try_update(|s| {
                        if let Load::Member(me) = &mut s.load {
                            model::apply_redemption(me, &redemption, now);
                        }
                    });
                    let detail = object_of(&[
                        ("reward_id", redemption.reward_id.as_str().into()),
                        ("code", redemption.code.as_str().into()),
                        ("points_spent", number(redemption.points_spent)),
                        ("balance", number(redemption.balance)),
                        ("expires_at", number(redemption.expires_at)),
                    ]);
                    self.ctx.emit(events::REDEEMED, &detail, false);
                    self.transition(|s| {
                        s.copied = false;
                        s.code = Some(redemption);
                        s.flow = Flow::Idle;
                    });
                }
                Err(error) => {
                    self.ctx.report(&error);
                    self.transition(|s| s.flow = s.flow.fail(&error));
                }
            }
        });
    }

    fn copy(self, code: String) {
        leptos::task::spawn_local(async move {
            if ui::copy_to_clipboard(&code).await {
                self.state.try_update(|s| s.copied = true);
                let detail = object_of(&[("code", code.as_str().into())]);
                self.ctx.emit(events::CODE_COPIED, &detail, false);
            }
        });
    }

    fn set_flow(self, flow: Flow) {
        self.transition(|s| s.flow = flow);
    }

    /// Applies `change` and keeps keyboard focus where the shopper expects it as the
    /// redemption flow moves: on the confirmation's first button, back on the reward
    /// after cancelling, on the new code after a redemption.
    fn transition(self, change: impl FnOnce(&mut State)) {
        let Some(before) = self.state.try_with_untracked(|s| s.flow.clone()) else {
            return;
        };
        self.state.try_update(change);
        let now = self.state.with_untracked(|s| s.flow.clone());
        let selector = match (&before, &now) {
            (before, now) if before == now => return,
            (_, Flow::Confirming { .. } | Flow::Failed { .. }) => {
                "[part=confirm-button], [part=cancel-button]".to_owned()
            }
            (Flow::Redeeming { .. }, Flow::Idle) => "[part=copy-button]".to_owned(),
            (before, Flow::Idle) => match before.reward_id() {
                Some(id) => ["[data-reward=\"", id, "\"] [part=redeem-button]"].concat(),
                None => return,
            },
            _ => return,
        };
        self.ctx.focus_later(selector);
    }

    fn render(self) -> impl IntoView {
        let strings = self.ctx.strings();
        let (theme, locale) = self
            .ctx
            .settings
            .with(|s| (s.theme.class(), s.locale.as_str()));
        let body = self.state.with(|state| match &state.load {
            Load::Loading => ui::skeleton(strings.get(Common::Loading).to_owned()).into_any(),
            Load::Failed => ui::fallback(
                strings.get(Common::Unavailable).to_owned(),
                strings.get(Common::Retry).to_owned(),
                move || self.retry(),
            )
            .into_any(),
            Load::SignedOut => self.signed_out(&strings).into_any(),
            Load::Guest(programme) => self.guest(&strings, programme).into_any(),
            Load::Member(me) => self.member(&strings, state, me).into_any(),
        });
        view! {
            <section class=["cb-root cb-loyalty ", theme].concat() part="root" lang=locale
                aria-label=strings.get(Key::Title).to_owned()>
                {body}
            </section>
        }
    }

    fn member(self, s: &Strings, state: &State, me: &LoyaltyMe) -> impl IntoView {
        let flow = &state.flow;
        let code = state.code.as_ref();
        let greeting = match &me.name {
            Some(name) => s.fill(Key::Greeting, &[("name", name)]),
            None => s.get(Key::BalanceLabel).to_owned(),
        };
        let tier = model::tier_name(me, me.tier.current.as_deref())
            .map_or_else(|| s.get(Key::TierNone), |name| name.get(s.locale))
            .to_owned();
        let progress = match model::tier_name(me, me.tier.next.as_deref()) {
            Some(next) => {
                let next = next.get(s.locale);
                match me.tier_basis {
                    TierBasis::PointsEarned => s.fill(
                        Key::TierProgress,
                        &[
                            ("points", &s.points(me.tier.points_to_next)),
                            ("tier", next),
                        ],
                    ),
                    TierBasis::MoneySpent => s.fill(
                        Key::TierProgressMoney,
                        &[
                            ("money", &s.money(me.tier.points_to_next, &me.currency)),
                            ("tier", next),
                        ],
                    ),
                }
            }
            None => s.get(Key::TierTop).to_owned(),
        };
        let held = me.tier_held_until.map(|until| {
            let text = s.fill(
                Key::TierHeld,
                &[("tier", &tier), ("date", &s.date(model::midday(until)))],
            );
            view! { <p class="cb-muted" part="tier-held">{text}</p> }
        });
        let rewards = me
            .rewards
            .iter()
            .map(|reward| self.reward(s, me, reward, flow, state.chosen))
            .collect_view();
        let shown = code.map(|r| r.code.clone());
        let expiry = me.next_expiry.map(|next| {
            let text = s.fill(
                Key::ExpiryNotice,
                &[
                    ("points", &s.points(next.points)),
                    ("date", &s.date(model::midday(next.on))),
                ],
            );
            view! { <p class="cb-muted" part="expiry">{text}</p> }
        });
        view! {
            <header class="cb-loyalty__header">
                <div>
                    <p class="cb-muted" part="greeting">{greeting}</p>
                    <p class="cb-loyalty__balance" part="balance" aria-live="polite">{s.points(me.balance)}</p>
                </div>
                <span class="cb-loyalty__tier" part="tier-badge">{tier}</span>
            </header>
            <div class="cb-loyalty__progress" part="progress">
                <progress max="100" value=me.tier.percent aria-label=progress.clone()></progress>
                <p class="cb-muted">{progress}</p>
                {held}
                {expiry}
                {perks(s, me)}
            </div>
            {code.map(|redemption| self.code_panel(s, redemption, state.copied))}
            <section class="cb-loyalty__section" part="rewards">
                <h3>{s.get(Key::RewardsHeading).to_owned()}</h3>
                <ul class="cb-loyalty__rewards">{rewards}</ul>
            </section>
            {punch_cards(s, &me.punch_cards, &me.currency)}
            {codes(s, me, shown.as_deref())}
            {ways_to_earn(s, &me.ways_to_earn, &me.currency)}
            {self.profile(s, state, me)}
            {history(s, &me.history)}
        }
    }

    fn reward(
        self,
        s: &Strings,
        me: &LoyaltyMe,
        reward: &RewardView,
        flow: &Flow,
        chosen: i64,
    ) -> impl IntoView {
        let needed = model::points_needed(reward, me.balance);
        let mine = flow.reward_id() == Some(reward.id.as_str());
        let busy = matches!(flow, Flow::Redeeming { .. });
        let access = model::access(reward);
        let lock = match access {
            Access::MembersOnly => Some(s.fill(
                Key::MembersOnly,
                &[("tiers", &tier_names(s, me, &reward.tiers))],
            )),
            Access::EarlyAccessLocked(until) => Some(s.fill(
                Key::EarlyAccess,
                &[
                    ("tiers", &tier_names(s, me, &reward.tiers)),
                    ("date", &s.date(model::midday(until))),
                ],
            )),
            Access::EarlyAccessYours => Some(s.get(Key::EarlyAccessYours).to_owned()),
            Access::Open => None,
        };
        let picked = reward.clone();
        let action = if let Some(text) = lock.clone().filter(|_| !reward.eligible) {
            Either::Left(
                view! { <span class="cb-muted cb-loyalty__need" part="reward-locked">{text}</span> },
            )
        } else if needed > 0 {
            let text = s.fill(Key::NeedMore, &[("points", &s.points(needed))]);
            Either::Left(
                view! { <span class="cb-muted cb-loyalty__need" part="reward-need">{text}</span> },
            )
        } else {
            Either::Right(view! {
                <button type="button" class="cb-btn" part="redeem-button" disabled=busy || mine
                    on:click=move |_| self.choose_reward(&picked)>
                    {s.get(Key::Redeem).to_owned()}
                </button>
            })
        };
        let name = reward.name.get(s.locale).to_owned();
        let value = reward_value(s, reward.kind, reward.value, reward.cost, &me.currency);
        // "¥1.00 off for every 100 points" already says what pay-with-points costs.
        let mut detail = match reward.kind {
            RewardKind::PointsAtCheckout => vec![value],
            _ => vec![s.points(reward.cost), value],
        };
        detail.extend(lock.filter(|_| reward.eligible));
        let confirm = mine.then(|| self.confirmation(s, me, reward, chosen, flow));
        view! {
            <li class="cb-loyalty__reward" part="reward" data-reward=reward.id.clone()>
                <div>
                    <p class="cb-loyalty__reward-name">{name}</p>
                    <p class="cb-muted">{detail.join(" · ")}</p>
                </div>
                {action}
                {confirm}
            </li>
        }
    }

    fn confirmation(
        self,
        s: &Strings,
        me: &LoyaltyMe,
        reward: &RewardView,
        chosen: i64,
        flow: &Flow,
    ) -> impl IntoView {
        let range = model::checkout_range(reward, me.balance);
        let spend = if range.is_some() { chosen } else { reward.cost };
        let off = s.money(model::checkout_value(reward, spend), &me.currency);
        let (message, alert) = match flow {
            Flow::Redeeming { .. } => (s.get(Key::Redeeming).to_owned(), false),
            Flow::Failed { message, .. } => (s.get(*message).to_owned(), true),
            _ if range.is_some() => (
                s.fill(
                    Key::CheckoutConfirm,
                    &[("points", &s.points(spend)), ("money", &off)],
                ),
                false,
            ),
            _ => (
                s.fill(
                    Key::ConfirmRedeem,
                    &[
                        ("points", &s.points(spend)),
                        ("reward", reward.name.get(s.locale)),
                    ],
                ),
                false,
            ),
        };
        let slider = range.map(|(least, most)| {
            let value_text = [s.points(spend), off.clone()].join(" · ");
            view! {
                <label class="cb-loyalty__slider">
                    <span>{s.get(Key::CheckoutChoose).to_owned()}</span>
                    <input type="range" part="points-slider" min=least max=most step=least
                        prop:value=spend.to_string() aria-valuetext=value_text
                        disabled=matches!(flow, Flow::Redeeming { .. })
                        on:input=move |ev| self.choose_points(&event_target_value(&ev))/>
                </label>
            }
        });
        let retrying = matches!(flow, Flow::Failed { .. });
        let can_confirm = matches!(
            flow,
            Flow::Confirming { .. }
                | Flow::Failed {
                    message: Key::RedeemFailed,
                    ..
                }
        );
        let confirm_label = s
            .get(if retrying {
                Common::Retry
            } else {
                Common::Confirm
            })
            .to_owned();
        let confirm = can_confirm.then(|| {
            view! {
                <button type="button" class="cb-btn" part="confirm-button" on:click=move |_| self.redeem()>
                    {confirm_label}
                </button>
            }
        });
        view! {
            <div class="cb-loyalty__confirm" part="confirm" role="group">
                {slider}
                <p class:cb-loyalty__error=alert role=if alert { "alert" } else { "status" }>{message}</p>
                <div class="cb-loyalty__actions">
                    {confirm}
                    <button type="button" class="cb-btn cb-btn--quiet" part="cancel-button"
                        disabled=matches!(flow, Flow::Redeeming { .. })
                        on:click=move |_| self.set_flow(Flow::Idle)>
                        {s.get(Common::Cancel).to_owned()}
                    </button>
                </div>
            </div>
        }
    }

    fn code_panel(self, s: &Strings, redemption: &Redemption, copied: bool) -> impl IntoView {
        let code = redemption.code.clone();
        let copy_label = s
            .get(if copied { Key::Copied } else { Key::Copy })
            .to_owned();
        let use_by = s.fill(Key::CodeUse, &[("date", &s.date(redemption.expires_at))]);
        view! {
            <div class="cb-loyalty__code" part="code" role="status">
                <p class="cb-loyalty__code-title">{s.get(Key::CodeReady).to_owned()}</p>
                <div class="cb-loyalty__code-row">
                    <code part="code-value">{code.clone()}</code>
                    <button type="button" class="cb-btn cb-btn--quiet" part="copy-button"
                        on:click=move |_| self.copy(code.clone())>
                        <span aria-live="polite">{copy_label}</span>
                    </button>
                </div>
                <p class="cb-muted">{use_by}</p>
            </div>
        }
    }

    fn signed_out(self, s: &Strings) -> impl IntoView {
        let signin = self
            .ctx
            .settings
            .with_untracked(|st| st.link_attr("signin-url"));
        view! {
            <div class="cb-fallback" part="session-expired" role="status">
                <p>{s.get(Key::SessionExpired).to_owned()}</p>
                {self.links(s, None, signin)}
            </div>
        }
    }

    fn guest(self, s: &Strings, programme: &ProgrammeView) -> impl IntoView {
        let (join, signin) = self.ctx.settings.with_untracked(|st| {
            (
                st.link_attr("join-url")
                    .or_else(|| programme.join_url.as_deref().and_then(safe_link)),
                st.link_attr("signin-url")
                    .or_else(|| programme.signin_url.as_deref().and_then(safe_link)),
            )
        });
        let rewards = programme
            .rewards
            .iter()
            .map(|reward| {
                row(Row {
                    part: "reward",
                    main: reward.name.get(s.locale).to_owned(),
                    code: false,
                    detail: reward_value(
                        s,
                        reward.kind,
                        reward.value,
                        reward.cost,
                        &programme.currency,
                    ),
                    amount: s.points(reward.cost),
                    amount_class: "cb-loyalty__points",
                })
            })
            .collect_view();
        view! {
            <div class="cb-loyalty__join" part="join">
                <h2>{s.fill(Key::JoinTitle, &[("shop", &programme.shop_name)])}</h2>
                <p class="cb-muted">{s.get(Key::JoinBody).to_owned()}</p>
                {self.links(s, Some(join), signin)}
            </div>
            {ways_to_earn(s, &programme.ways_to_earn, &programme.currency)}
            {punch_cards(s, &programme.punch_cards, &programme.currency)}
            <section class="cb-loyalty__section" part="rewards">
                <h3>{s.get(Key::RewardsHeading).to_owned()}</h3>
                <ul class="cb-loyalty__list">{rewards}</ul>
            </section>
        }
    }

    /// "Join now" (when `join` is given) and "Sign in". Each fires its cancelable event
    /// first; a listener that calls `preventDefault()` keeps the shopper on the page.
    fn links(
        self,
        s: &Strings,
        join: Option<Option<String>>,
        signin: Option<String>,
    ) -> impl IntoView {
        let link = move |event: &'static str,
                         url: Option<String>,
                         label: String,
                         class: &'static str,
                         part: &'static str| {
            let href = url.clone().unwrap_or_else(|| "#".to_owned());
            view! {
                <a class=class part=part href=href on:click=move |ev| {
                    let detail = object_of(&[("url", url.as_deref().map_or(JsValue::NULL, JsValue::from))]);
                    if !self.ctx.emit(event, &detail, true) || url.is_none() {
                        ev.prevent_default();
                    }
                }>{label}</a>
            }
        };
        view! {
            <div class="cb-loyalty__actions">
                {join.map(|url| link(events::JOIN, url, s.get(Key::Join).to_owned(), "cb-btn", "join-button"))}
                {link(events::SIGN_IN, signin, s.get(Key::SignIn).to_owned(), "cb-btn cb-btn--quiet", "signin-button")}
            </div>
        }
    }
}

/// Text for what a reward gives.
fn reward_value(s: &Strings, kind: RewardKind, value: i64, cost: i64, currency: &str) -> String {
    match kind {
        RewardKind::AmountOff => s.fill(Key::AmountOff, &[("money", &s.money(value, currency))]),
        RewardKind::PercentOff => s.fill(Key::PercentOff, &[("percent", &value.to_string())]),
        RewardKind::FreeShipping => s.get(Key::FreeShipping).to_owned(),
        RewardKind::FreeProduct => s.get(Key::FreeProduct).to_owned(),
        RewardKind::PointsAtCheckout => s.fill(
            Key::CheckoutRate,
            &[
                ("money", &s.money(value, currency)),
                ("points", &s.points(cost)),
            ],
        ),
    }
}

/// The separator of a list of words in the shopper's language.
fn list_separator(locale: Locale) -> &'static str {
    match locale {
        Locale::En => ", ",
        Locale::ZhHans | Locale::ZhHant => "、",
    }
}

/// The names of tiers `ids` on the shopper's ladder, as one phrase.
fn tier_names(s: &Strings, me: &LoyaltyMe, ids: &[String]) -> String {
    let names: Vec<&str> = ids
        .iter()
        .filter_map(|id| model::tier_name(me, Some(id)))
        .map(|name| name.get(s.locale))
        .collect();
    names.join(" / ")
}

/// What a tier brings, as one phrase; `None` when it brings nothing.
fn perks_text(s: &Strings, perks: &TierPerks) -> Option<String> {
    let mut items = Vec::new();
    if perks.points_multiplier_percent != 100 {
        let x = s.decimal(i64::from(perks.points_multiplier_percent));
        items.push(s.fill(Key::PerkMultiplier, &[("x", &x)]));
    }
    if perks.free_shipping {
        items.push(s.get(Key::PerkFreeShipping).to_owned());
    }
    if perks.birthday_bonus > 0 {
        let points = s.points(perks.birthday_bonus);
        items.push(s.fill(Key::PerkBirthday, &[("points", &points)]));
    }
    if !perks.exclusive_rewards.is_empty() {
        items.push(s.get(Key::PerkExclusive).to_owned());
    }
    (!items.is_empty()).then(|| items.join(list_separator(s.locale)))
}

/// The current tier's perks and what the next one brings.
fn perks(s: &Strings, me: &LoyaltyMe) -> impl IntoView {
    let find = |id: Option<&str>| -> Option<&Tier> {
        let id = id?;
        me.tiers.iter().find(|tier| tier.id == id)
    };
    let yours = find(me.tier.current.as_deref())
        .and_then(|tier| perks_text(s, &tier.perks))
        .map(|perks| s.fill(Key::PerksYours, &[("perks", &perks)]));
    let next = find(me.tier.next.as_deref()).and_then(|tier| {
        let perks = perks_text(s, &tier.perks)?;
        Some(s.fill(
            Key::PerksNext,
            &[("tier", tier.name.get(s.locale)), ("perks", &perks)],
        ))
    });
    let lines: Vec<_> = [yours, next]
        .into_iter()
        .flatten()
        .map(|text| view! { <li>{text}</li> })
        .collect();
    (!lines.is_empty()).then(|| view! { <ul class="cb-loyalty__perks" part="perks">{lines}</ul> })
}

/// Each stamp card: its stamps, what is left and until when.
fn punch_cards(s: &Strings, cards: &[PunchCardView], currency: &str) -> impl IntoView {
    let cards: Vec<_> = cards
        .iter()
        .map(|card| {
            let filled = card.filled.min(card.required);
            let stamps = (0..card.required.min(model::MAX_STAMPS_SHOWN))
                .map(|index| {
                    let on = index < filled;
                    view! { <span class="cb-loyalty__stamp" class:cb-loyalty__stamp--on=on part=if on { "stamp stamp-filled" } else { "stamp" }></span> }
                })
                .collect_view();
            let count = s.fill(
                Key::PunchStamps,
                &[
                    ("filled", &filled.to_string()),
                    ("required", &card.required.to_string()),
                ],
            );
            let left = s.fill(
                Key::PunchLeft,
                &[
                    ("left", &(card.required - filled).to_string()),
                    ("reward", card.reward_name.get(s.locale)),
                ],
            );
            let mut notes = vec![left];
            if let Some(min) = card.min_spend.filter(|min| *min > 0) {
                notes.push(s.fill(Key::PunchMin, &[("money", &s.money(min, currency))]));
            }
            if let Some(by) = card.complete_by {
                notes.push(s.fill(Key::PunchBy, &[("date", &s.date(model::midday(by)))]));
            }
            if card.rewards_earned > 0 {
                let count = card.rewards_earned.to_string();
                notes.push(s.fill(Key::PunchEarned, &[("count", &count)]));
            }
            view! {
                <li class="cb-loyalty__card" part="punch-card" data-card=card.id.clone()>
                    <p class="cb-loyalty__reward-name">{card.name.get(s.locale).to_owned()}</p>
                    <div class="cb-loyalty__stamps" role="img" aria-label=count.clone()>{stamps}</div>
                    <p class="cb-muted" part="punch-count">{count}</p>
                    <p class="cb-muted">{notes.join(" · ")}</p>
                </li>
            }
        })
        .collect();
    (!cards.is_empty()).then(|| {
        view! {
            <section class="cb-loyalty__section" part="punch-cards">
                <h3>{s.get(Key::PunchHeading).to_owned()}</h3>
                <ul class="cb-loyalty__list">{cards}</ul>
            </section>
        }
    })
}

/// One line of a list: what it is, a muted detail under it, an amount on the right.
/// Every list shares this one shape (and so one piece of rendering code).
struct Row {
    part: &'static str,
    main: String,
    /// Shows `main` in the code font.
    code: bool,
    detail: String,
    amount: String,
    amount_class: &'static str,
}

fn row(row: Row) -> impl IntoView {
    view! {
        <li class="cb-loyalty__row" part=row.part>
            <span>
                <span class:cb-loyalty__code-text=row.code>{row.main}</span>
                <span class="cb-muted cb-loyalty__detail">{row.detail}</span>
            </span>
            <span class=row.amount_class>{row.amount}</span>
        </li>
    }
}

/// The shopper's unused codes, except the one shown in the panel above.
fn codes(s: &Strings, me: &LoyaltyMe, shown: Option<&str>) -> impl IntoView {
    let rows: Vec<_> = me
        .codes
        .iter()
        .filter(|code| Some(code.code.as_str()) != shown)
        .map(|code| {
            row(Row {
                part: "code-entry",
                main: code.code.clone(),
                code: true,
                // A points-at-checkout code carries the amount it takes off.
                detail: match code.kind {
                    RewardKind::PointsAtCheckout => s.fill(
                        Key::AmountOff,
                        &[("money", &s.money(code.value, &code.currency))],
                    ),
                    kind => reward_value(s, kind, code.value, 0, &code.currency),
                },
                amount: s.fill(Key::Expires, &[("date", &s.date(code.expires_at))]),
                amount_class: "cb-muted",
            })
        })
        .collect();
    (!rows.is_empty()).then(|| {
        view! {
            <section class="cb-loyalty__section" part="codes">
                <h3>{s.get(Key::CodesHeading).to_owned()}</h3>
                <ul class="cb-loyalty__list">{rows}</ul>
            </section>
        }
    })
}

fn ways_to_earn(s: &Strings, ways: &[WayToEarn], currency: &str) -> impl IntoView {
    let unit = 10_i64.pow(comeback_core::money::currency_exponent(currency).unwrap_or(2));
    let lines = ways
        .iter()
        .map(|way| {
            let text = match way {
                WayToEarn::Order { points_per_unit } => s.fill(
                    Key::EarnOrder,
                    &[
                        ("points", &s.points(*points_per_unit)),
                        ("money", &s.money(unit, currency)),
                    ],
                ),
                WayToEarn::Action { name, points, .. } => s.fill(
                    Key::EarnAction,
                    &[
                        ("action", name.get(s.locale)),
                        ("points", &s.points(*points)),
                    ],
                ),
                WayToEarn::Birthday { points } => {
                    s.fill(Key::EarnBirthday, &[("points", &s.points(*points))])
                }
                WayToEarn::Anniversary { points } => {
                    s.fill(Key::EarnAnniversary, &[("points", &s.points(*points))])
                }
            };
            view! { <li>{text}</li> }
        })
        .collect_view();
    view! {
        <section class="cb-loyalty__section" part="ways-to-earn">
            <h3>{s.get(Key::EarnHeading).to_owned()}</h3>
            <ul class="cb-loyalty__list">{lines}</ul>
        </section>
    }
}

fn history_text(s: &Strings, entry: &HistoryEntry) -> String {
    let (key, placeholder, name) = model::history_line(entry);
    let value = name.map_or(entry.reference.as_str(), |name| name.get(s.locale));
    let mut text = s.fill(key, &[(placeholder, value)]);
    // A paid order names the tier whose points bonus it earned.
    if let (EntryKind::OrderPaid, Some(tier)) = (entry.kind, &entry.reward_name) {
        text.push_str(" · ");
        text.push_str(&s.fill(Key::EntryTierBonus, &[("tier", tier.get(s.locale))]));
    }
    if entry.forgiven > 0 {
        text.push_str(" · ");
        text.push_str(&s.fill(Key::EntryForgiven, &[("points", &s.points(entry.forgiven))]));
    }
    text
}

fn history(s: &Strings, entries: &[HistoryEntry]) -> impl IntoView {
    let body = if entries.is_empty() {
        Either::Left(view! { <p class="cb-muted">{s.get(Key::HistoryEmpty).to_owned()}</p> })
    } else {
        let rows = entries
            .iter()
            .map(|entry| {
                let sign = if entry.points > 0 { "+" } else { "" };
                row(Row {
                    part: "history-entry",
                    main: history_text(s, entry),
                    code: false,
                    detail: s.date(entry.created_at),
                    amount: [sign, &s.points(entry.points)].concat(),
                    amount_class: if entry.points < 0 {
                        "cb-loyalty__points cb-loyalty__points--spent"
                    } else {
                        "cb-loyalty__points"
                    },
                })
            })
            .collect_view();
        Either::Right(view! { <ul class="cb-loyalty__list">{rows}</ul> })
    };
    view! {
        <section class="cb-loyalty__section" part="history">
            <h3>{s.get(Key::HistoryHeading).to_owned()}</h3>
            {body}
        </section>
    }
}
