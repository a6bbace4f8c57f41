//! `<comeback-loyalty>`: the shopper's points balance, tier and progress, rewards to
//! redeem with a confirmation step, their discount codes, ways to earn and history.
//! Signed-out shoppers see the programme and a join / sign-in invitation.
//!
//! Attributes: `join-url`, `signin-url` (links for signed-out shoppers; the shop's
//! programme settings are used when absent), `theme`, `lang`.

pub mod model;

use comeback_core::api::{
    DiscountCodeView, HistoryEntry, LoyaltyMe, ProgrammeView, Redemption, RewardKind, RewardView,
    WayToEarn,
};
use comeback_core::LocalizedText;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::api::ApiError;
use crate::embed::WidgetContext;
use crate::events;
use crate::i18n::{Key, Strings};
use crate::ui::{CopyButton, Fallback, Skeleton};
use crate::wire::{number, object_of};
use model::Flow;

/// The widget's stylesheet.
pub const CSS: &str = include_str!("style.css");

#[derive(Debug, Clone)]
enum Data {
    Member(LoyaltyMe),
    Guest(ProgrammeView),
}

/// The loyalty widget. Reads everything from [`WidgetContext`].
#[component]
pub fn LoyaltyWidget() -> impl IntoView {
    let ctx = WidgetContext::get();
    let data = LocalResource::new(move || {
        let token = ctx.token();
        let api = ctx.api.get_value();
        async move {
            let result = match token {
                Some(token) => api
                    .get::<LoyaltyMe>("/loyalty/me", Some(&token))
                    .await
                    .map(Data::Member),
                None => api
                    .get::<ProgrammeView>("/loyalty/programme", None)
                    .await
                    .map(Data::Guest),
            };
            if let Err(error) = &result {
                ctx.report(error);
            }
            result
        }
    });
    let retry = Callback::new(move |()| data.refetch());
    let root_class = move || {
        let theme = ctx.settings.with(|s| s.theme.class());
        ["cb-root cb-loyalty ", theme].concat()
    };
    let lang = move || ctx.settings.with(|s| s.locale.as_str());
    view! {
        <section class=root_class part="root" lang=lang aria-label=move || ctx.t(Key::Title)>
            {move || match data.get() {
                None => view! { <Skeleton /> }.into_any(),
                Some(Ok(Data::Member(me))) => view! { <Member me=me /> }.into_any(),
                Some(Ok(Data::Guest(programme))) => view! { <Guest programme=programme /> }.into_any(),
                Some(Err(error)) if error.is_unauthorized() => view! { <SignedOut expired=true /> }.into_any(),
                Some(Err(_)) => {
                    let message = Signal::derive(move || ctx.t(Key::Unavailable));
                    view! { <Fallback message=message on_retry=retry /> }.into_any()
                }
            }}
        </section>
    }
}

/// The signed-in view. Owns the shopper's data from here on, so a redemption updates it
/// in place without a reload.
#[component]
fn Member(
    /// What `/loyalty/me` answered.
    me: LoyaltyMe,
) -> impl IntoView {
    let ctx = WidgetContext::get();
    ctx.emit(
        events::LOYALTY_LOADED,
        &object_of(&[
            ("balance", number(me.balance)),
            (
                "tier",
                me.tier
                    .current
                    .as_deref()
                    .map_or(JsValue::NULL, JsValue::from),
            ),
        ]),
        false,
    );
    let me = RwSignal::new(me);
    let flow = RwSignal::new(Flow::Idle);
    let last_code = RwSignal::new(None::<Redemption>);
    let strings = ctx.strings;

    let balance_text = move || {
        let balance = me.with(|m| m.balance);
        strings.with(|s| s.points(balance))
    };
    let greeting = move || {
        me.with(|m| m.name.clone())
            .map(|name| strings.with(|s| s.fill(Key::Greeting, &[("name", &name)])))
            .unwrap_or_else(|| ctx.t(Key::BalanceLabel))
    };

    view! {
        <header class="cb-loyalty__header">
            <div>
                <p class="cb-muted" part="greeting">{greeting}</p>
                <p class="cb-loyalty__balance" part="balance" aria-live="polite">{balance_text}</p>
            </div>
            <TierBadge me=me />
        </header>
        <TierProgressBar me=me />
        <CodePanel last_code=last_code />
        <Rewards me=me flow=flow last_code=last_code />
        <Codes me=me last_code=last_code />
        <WaysToEarn ways=Signal::derive(move || me.with(|m| m.ways_to_earn.clone())) currency=Signal::derive(move || me.with(|m| m.currency.clone())) />
        <History me=me />
    }
}

#[component]
fn TierBadge(me: RwSignal<LoyaltyMe>) -> impl IntoView {
    let ctx = WidgetContext::get();
    let name = move || {
        let locale = ctx.settings.with(|s| s.locale);
        me.with(|m| {
            model::tier_name(m, m.tier.current.as_deref()).map(|name| name.get(locale).to_owned())
        })
        .unwrap_or_else(|| ctx.t(Key::TierNone))
    };
    view! { <span class="cb-loyalty__tier" part="tier-badge">{name}</span> }
}

#[component]
fn TierProgressBar(me: RwSignal<LoyaltyMe>) -> impl IntoView {
    let ctx = WidgetContext::get();
    let percent = move || me.with(|m| m.tier.percent);
    let label = move || {
        let locale = ctx.settings.with(|s| s.locale);
        me.with(|m| match model::tier_name(m, m.tier.next.as_deref()) {
            Some(next) => ctx.strings.with(|s| {
                s.fill(
                    Key::TierProgress,
                    &[
                        ("points", &s.points(m.tier.points_to_next)),
                        ("tier", next.get(locale)),
                    ],
                )
            }),
            None => ctx.t(Key::TierTop),
        })
    };
    view! {
        <div class="cb-loyalty__progress" part="progress">
            <progress max="100" value=percent aria-label=label></progress>
            <p class="cb-muted">{label}</p>
        </div>
    }
}

/// Text for what a reward gives.
fn reward_value(strings: &Strings, kind: RewardKind, value: i64, currency: &str) -> String {
    match kind {
        RewardKind::AmountOff => strings.fill(
            Key::AmountOff,
            &[("money", &strings.money(value, currency))],
        ),
        RewardKind::PercentOff => strings.fill(Key::PercentOff, &[("percent", &value.to_string())]),
        RewardKind::FreeShipping => strings.get(Key::FreeShipping).to_owned(),
    }
}

fn new_idempotency_key(reward_id: &str) -> String {
    let random = (js_sys::Math::random() * 1e16) as u64;
    [
        reward_id,
        "-",
        &(js_sys::Date::now() as u64).to_string(),
        "-",
        &random.to_string(),
    ]
    .concat()
}

#[component]
fn Rewards(
    me: RwSignal<LoyaltyMe>,
    flow: RwSignal<Flow>,
    last_code: RwSignal<Option<Redemption>>,
) -> impl IntoView {
    let ctx = WidgetContext::get();
    let redeem = move || {
        let Some(next) = flow.with_untracked(|f| {
            let reward_id = f.reward_id().unwrap_or_default().to_owned();
            f.confirm(new_idempotency_key(&reward_id))
        }) else {
            return;
        };
        let Flow::Redeeming { reward_id, key } = next.clone() else {
            return;
        };
        flow.set(next);
        let api = ctx.api.get_value();
        let token = ctx.settings.with_untracked(|s| s.token.clone());
        leptos::task::spawn_local(async move {
            let body = object_of(&[("reward_id", reward_id.as_str().into())]);
            let result: Result<Redemption, ApiError> = api
                .post("/loyalty/redemptions", token.as_deref(), &key, &body)
                .await;
            match result {
                Ok(redemption) => {
                    let now = (js_sys::Date::now() / 1000.0) as i64;
                    me.try_update(|m| model::apply_redemption(m, &redemption, now));
                    ctx.emit(
                        events::LOYALTY_REDEEMED,
                        &object_of(&[
                            ("reward_id", redemption.reward_id.as_str().into()),
                            ("code", redemption.code.as_str().into()),
                            ("points_spent", number(redemption.points_spent)),
                            ("balance", number(redemption.balance)),
                            ("expires_at", number(redemption.expires_at)),
                        ]),
                        false,
                    );
                    last_code.try_set(Some(redemption));
                    flow.try_set(Flow::Idle);
                }
                Err(error) => {
                    ctx.report(&error);
                    flow.try_update(|f| *f = f.fail(&error));
                }
            }
        });
    };
    let rewards = move || me.with(|m| m.rewards.clone());
    view! {
        <section class="cb-loyalty__section" part="rewards">
            <h3>{move || ctx.t(Key::RewardsHeading)}</h3>
            <ul class="cb-loyalty__rewards">
                <For each=rewards key=|reward| (reward.id.clone(), reward.affordable) let:reward>
                    <RewardItem reward=reward me=me flow=flow on_confirm=Callback::new(move |()| redeem()) />
                </For>
            </ul>
        </section>
    }
}

#[component]
fn RewardItem(
    reward: RewardView,
    me: RwSignal<LoyaltyMe>,
    flow: RwSignal<Flow>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let ctx = WidgetContext::get();
    let strings = ctx.strings;
    let id = StoredValue::new(reward.id.clone());
    let name = StoredValue::new(reward.name.clone());
    let locale = move || ctx.settings.with(|s| s.locale);
    let reward_name = move || name.with_value(|n| n.get(locale()).to_owned());
    let cost = reward.cost;
    let cost_text = move || strings.with(|s| s.points(cost));
    let needed = {
        let reward = reward.clone();
        move || me.with(|m| model::points_needed(&reward, m.balance))
    };
    let mine = move || flow.with(|f| f.reward_id() == Some(id.get_value().as_str()));
    let busy = move || flow.with(|f| !matches!(f, Flow::Idle | Flow::Failed { .. }));
    let confirm_ref = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if mine() && matches!(flow.get(), Flow::Confirming { .. }) {
            if let Some(button) = confirm_ref.get() {
                let _ = button.focus();
            }
        }
    });
    let choose = move |_| {
        flow.set(Flow::Confirming {
            reward_id: id.get_value(),
        })
    };
    let cancel = move |_| flow.set(Flow::Idle);
    let needed_for_button = needed.clone();
    view! {
        <li class="cb-loyalty__reward" part="reward">
            <div class="cb-loyalty__reward-text">
                <p class="cb-loyalty__reward-name">{reward_name}</p>
                <p class="cb-muted">{cost_text}</p>
            </div>
            {move || {
                let needed = needed_for_button();
                if needed > 0 {
                    let text = strings.with(|s| s.fill(Key::NeedMore, &[("points", &s.points(needed))]));
                    view! { <span class="cb-muted cb-loyalty__need" part="reward-need">{text}</span> }.into_any()
                } else {
                    view! {
                        <button type="button" class="cb-btn" part="redeem-button"
                            disabled=move || busy() || mine()
                            aria-haspopup="true"
                            on:click=choose>
                            {move || ctx.t(Key::Redeem)}
                        </button>
                    }.into_any()
                }
            }}
            <Show when=mine>
                <div class="cb-loyalty__confirm" part="confirm" role="group">
                    {move || match flow.get() {
                        Flow::Confirming { .. } => view! {
                            <p>{move || strings.with(|s| s.fill(Key::ConfirmRedeem, &[("points", &s.points(cost)), ("reward", &reward_name())]))}</p>
                        }.into_any(),
                        Flow::Redeeming { .. } => view! { <p role="status">{move || ctx.t(Key::Redeeming)}</p> }.into_any(),
                        Flow::Failed { message, .. } => view! { <p class="cb-loyalty__error" role="alert">{move || ctx.t(message)}</p> }.into_any(),
                        Flow::Idle => ().into_any(),
                    }}
                    <div class="cb-loyalty__actions">
                        <Show when=move || matches!(flow.get(), Flow::Confirming { .. } | Flow::Failed { message: Key::RedeemFailed, .. })>
                            <button type="button" class="cb-btn" part="confirm-button" node_ref=confirm_ref on:click=move |_| on_confirm.run(())>
                                {move || ctx.t(if matches!(flow.get(), Flow::Failed { .. }) { Key::Retry } else { Key::Confirm })}
                            </button>
                        </Show>
                        <button type="button" class="cb-btn cb-btn--quiet" part="cancel-button"
                            disabled=move || matches!(flow.get(), Flow::Redeeming { .. })
                            on:click=cancel>
                            {move || ctx.t(Key::Cancel)}
                        </button>
                    </div>
                </div>
            </Show>
        </li>
    }
}

#[component]
fn CodePanel(last_code: RwSignal<Option<Redemption>>) -> impl IntoView {
    let ctx = WidgetContext::get();
    let strings = ctx.strings;
    move || {
        last_code.get().map(|redemption| {
            let expires = redemption.expires_at;
            let code = redemption.code.clone();
            let on_copied = Callback::new(move |code: String| {
                ctx.emit(events::LOYALTY_CODE_COPIED, &object_of(&[("code", code.as_str().into())]), false);
            });
            view! {
                <div class="cb-loyalty__code" part="code" role="status">
                    <p class="cb-loyalty__code-title">{move || ctx.t(Key::CodeReady)}</p>
                    <div class="cb-loyalty__code-row">
                        <code part="code-value">{code.clone()}</code>
                        <CopyButton text=code.clone() on_copied=on_copied />
                    </div>
                    <p class="cb-muted">{move || strings.with(|s| s.fill(Key::CodeUse, &[("date", &s.date(expires))]))}</p>
                </div>
            }
        })
    }
}

#[component]
fn Codes(me: RwSignal<LoyaltyMe>, last_code: RwSignal<Option<Redemption>>) -> impl IntoView {
    let ctx = WidgetContext::get();
    let strings = ctx.strings;
    // The code just redeemed is already shown in the panel above.
    let codes = move || {
        let shown = last_code.with(|c| c.as_ref().map(|r| r.code.clone()));
        me.with(|m| {
            m.codes
                .iter()
                .filter(|c| Some(&c.code) != shown.as_ref())
                .cloned()
                .collect::<Vec<DiscountCodeView>>()
        })
    };
    view! {
        <Show when=move || !codes().is_empty()>
            <section class="cb-loyalty__section" part="codes">
                <h3>{move || ctx.t(Key::CodesHeading)}</h3>
                <ul class="cb-loyalty__list">
                    <For each=codes key=|code| code.code.clone() let:code>
                        <li class="cb-loyalty__row">
                            <span>
                                <code>{code.code.clone()}</code>
                                <span class="cb-muted">" · " {
                                    let code = code.clone();
                                    move || strings.with(|s| reward_value(s, code.kind, code.value, &code.currency))
                                }</span>
                            </span>
                            <span class="cb-muted">{move || strings.with(|s| s.fill(Key::Expires, &[("date", &s.date(code.expires_at))]))}</span>
                        </li>
                    </For>
                </ul>
            </section>
        </Show>
    }
}

#[component]
fn WaysToEarn(ways: Signal<Vec<WayToEarn>>, currency: Signal<String>) -> impl IntoView {
    let ctx = WidgetContext::get();
    let strings = ctx.strings;
    let lines = move || {
        let currency = currency.get();
        let exponent = comeback_core::money::currency_exponent(&currency).unwrap_or(2);
        let unit = 10_i64.pow(exponent);
        strings.with(|s| {
            ways.get()
                .iter()
                .map(|way| match way {
                    WayToEarn::Order { points_per_unit } => s.fill(
                        Key::EarnOrder,
                        &[
                            ("points", &s.points(*points_per_unit)),
                            ("money", &s.money(unit, &currency)),
                        ],
                    ),
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="cb-loyalty__section" part="ways-to-earn">
            <h3>{move || ctx.t(Key::EarnHeading)}</h3>
            <ul class="cb-loyalty__list">
                {move || lines().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
            </ul>
        </section>
    }
}

fn history_text(strings: &Strings, entry: &HistoryEntry, locale: comeback_core::Locale) -> String {
    let (key, placeholder, name) = model::history_line(entry);
    let value = name.map_or(entry.reference.as_str(), |n: &LocalizedText| n.get(locale));
    let mut text = strings.fill(key, &[(placeholder, value)]);
    if entry.forgiven > 0 {
        text.push_str(" · ");
        text.push_str(&strings.fill(
            Key::EntryForgiven,
            &[("points", &strings.points(entry.forgiven))],
        ));
    }
    text
}

#[component]
fn History(me: RwSignal<LoyaltyMe>) -> impl IntoView {
    let ctx = WidgetContext::get();
    let strings = ctx.strings;
    let entries = move || me.with(|m| m.history.clone());
    view! {
        <section class="cb-loyalty__section" part="history">
            <h3>{move || ctx.t(Key::HistoryHeading)}</h3>
            <Show when=move || me.with(|m| !m.history.is_empty())
                fallback=move || view! { <p class="cb-muted">{move || ctx.t(Key::HistoryEmpty)}</p> }>
                <ul class="cb-loyalty__list">
                    <For each=entries key=|entry| entry.id.clone() let:entry>
                        <li class="cb-loyalty__row" part="history-entry">
                            <span>
                                {
                                    let entry = entry.clone();
                                    move || {
                                        let locale = ctx.settings.with(|s| s.locale);
                                        strings.with(|s| history_text(s, &entry, locale))
                                    }
                                }
                                <span class="cb-muted cb-loyalty__date">{move || strings.with(|s| s.date(entry.created_at))}</span>
                            </span>
                            <span class=if entry.points < 0 { "cb-loyalty__points cb-loyalty__points--spent" } else { "cb-loyalty__points" }>
                                {move || {
                                    let sign = if entry.points > 0 { "+" } else { "" };
                                    [sign, &strings.with(|s| s.points(entry.points))].concat()
                                }}
                            </span>
                        </li>
                    </For>
                </ul>
            </Show>
        </section>
    }
}

/// Join / sign-in links. Each fires its cancelable event first; a listener that calls
/// `preventDefault()` keeps the shopper on the page (to open the shop's own dialog).
#[component]
fn AccountLinks(
    join_url: Option<String>,
    signin_url: Option<String>,
    show_join: bool,
) -> impl IntoView {
    let ctx = WidgetContext::get();
    let link = move |event_name: &'static str,
                     url: Option<String>,
                     key: Key,
                     class: &'static str,
                     part: &'static str| {
        let href = url.clone().unwrap_or_else(|| "#".into());
        view! {
            <a class=class part=part href=href on:click=move |ev| {
                let proceed = ctx.emit(event_name, &object_of(&[("url", url.as_deref().map_or(JsValue::NULL, JsValue::from))]), true);
                if !proceed || url.is_none() {
                    ev.prevent_default();
                }
            }>{move || ctx.t(key)}</a>
        }
    };
    view! {
        <div class="cb-loyalty__actions">
            {show_join.then(|| link(events::LOYALTY_JOIN, join_url.clone(), Key::Join, "cb-btn", "join-button"))}
            {link(events::LOYALTY_SIGN_IN, signin_url.clone(), Key::SignIn, "cb-btn cb-btn--quiet", "signin-button")}
        </div>
    }
}

#[component]
fn SignedOut(expired: bool) -> impl IntoView {
    let ctx = WidgetContext::get();
    let signin = ctx.settings.with_untracked(|s| s.link_attr("signin-url"));
    view! {
        <div class="cb-fallback" part="session-expired" role="status">
            <p>{move || ctx.t(if expired { Key::SessionExpired } else { Key::JoinBody })}</p>
            <AccountLinks join_url=None signin_url=signin show_join=false />
        </div>
    }
}

/// The signed-out view: what the programme offers and how to join.
#[component]
fn Guest(programme: ProgrammeView) -> impl IntoView {
    let ctx = WidgetContext::get();
    let strings = ctx.strings;
    let (join, signin) = ctx.settings.with_untracked(|s| {
        (
            s.link_attr("join-url")
                .or_else(|| programme.join_url.clone()),
            s.link_attr("signin-url")
                .or_else(|| programme.signin_url.clone()),
        )
    });
    let shop_name = programme.shop_name.clone();
    let currency = programme.currency.clone();
    let rewards = programme.rewards.clone();
    let ways = Signal::derive({
        let ways = programme.ways_to_earn.clone();
        move || ways.clone()
    });
    let currency_signal = Signal::derive({
        let currency = currency.clone();
        move || currency.clone()
    });
    view! {
        <div class="cb-loyalty__join" part="join">
            <h2>{move || strings.with(|s| s.fill(Key::JoinTitle, &[("shop", &shop_name)]))}</h2>
            <p class="cb-muted">{move || ctx.t(Key::JoinBody)}</p>
            <AccountLinks join_url=join signin_url=signin show_join=true />
        </div>
        <WaysToEarn ways=ways currency=currency_signal />
        <section class="cb-loyalty__section" part="rewards">
            <h3>{move || ctx.t(Key::RewardsHeading)}</h3>
            <ul class="cb-loyalty__list">
                {rewards.into_iter().map(|reward| {
                    let currency = currency.clone();
                    let name = reward.name.clone();
                    view! {
                        <li class="cb-loyalty__row" part="reward">
                            <span>{move || name.get(ctx.settings.with(|s| s.locale)).to_owned()}
                                <span class="cb-muted">" · " {move || strings.with(|s| reward_value(s, reward.kind, reward.value, &currency))}</span>
                            </span>
                            <span class="cb-loyalty__points">{move || strings.with(|s| s.points(reward.cost))}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
