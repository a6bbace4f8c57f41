//! The panels that open inline under a subscription: the change form (interval and
//! quantity), the pause choices, and the cancel confirmation with its optional reason,
//! comment and the shop's save offer. Each keeps what the shopper typed in the widget's
//! state, so a re-render never loses it.

use comeback_core::subscription::{SaveOffer, SubscriptionList, SubscriptionView};
use leptos::prelude::*;

use super::model::{self, Action, Offered};
use super::strings::Key;
use super::{every, today, Manager};
use crate::i18n::{Common, Strings};

/// An element id for subscription `id` (ids are free text; element ids and the id lists
/// of `aria-*` attributes must not hold spaces).
fn dom_id(prefix: &str, id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    [prefix, &safe].concat()
}

impl Manager {
    /// The change form: one of the plan's intervals and the quantity.
    pub(super) fn change_form(self, s: &Strings, view: &SubscriptionView) -> impl IntoView {
        let (interval, quantity, invalid) = self
            .state
            .with(|st| (st.choice.clone(), st.text.clone(), st.invalid));
        let options = view
            .intervals
            .iter()
            .map(|option| {
                view! {
                    <option value=option.clone() prop:selected=*option == interval>{every(s, option)}</option>
                }
            })
            .collect_view();
        let error_id = dom_id("cb-subscriptions-quantity-", &view.id);
        let error = invalid.then(|| {
            view! {
                <p class="cb-subscriptions__error" id=error_id.clone()>{s.get(Key::QuantityInvalid).to_owned()}</p>
            }
        });
        let id = view.id.clone();
        let submit = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            self.submit_change(&id);
        };
        let id = view.id.clone();
        view! {
            <form class="cb-subscriptions__panel" part="change-form" data-panel="" novalidate on:submit=submit>
                <label class="cb-subscriptions__field">
                    <span>{s.get(Key::Interval).to_owned()}</span>
                    <select on:change=move |ev| self.state.update(|st| st.choice = event_target_value(&ev))>
                        {options}
                    </select>
                </label>
                <label class="cb-subscriptions__field">
                    <span>{s.get(Key::QuantityLabel).to_owned()}</span>
                    <input type="number" inputmode="numeric" min="1" step="1" prop:value=quantity
                        aria-invalid=invalid.then_some("true")
                        aria-describedby=invalid.then_some(error_id)
                        on:input=move |ev| self.state.update(|st| st.text = event_target_value(&ev))/>
                </label>
                {error}
                <div class="cb-subscriptions__buttons">
                    <button type="submit" class="cb-btn" part="save-button">{s.get(Key::SaveChanges).to_owned()}</button>
                    {self.close_button(&id, Offered::Change, s.get(Common::Close))}
                </div>
            </form>
        }
    }

    fn submit_change(self, id: &str) {
        let Some(view) = self.find(id) else {
            return;
        };
        let (interval, quantity) = self
            .state
            .with_untracked(|st| (st.choice.clone(), st.text.clone()));
        match model::change(&view, &interval, &quantity) {
            Ok(Some(action)) => self.act(id, action),
            Ok(None) => self.close(id, Offered::Change),
            Err(model::ChangeProblem::Quantity) => {
                self.state.update(|st| st.invalid = true);
                self.focus(id, "[data-panel] input");
            }
        }
    }

    /// The pause choices, each with the delivery it leads to, and the rule behind them.
    pub(super) fn pause_form(self, s: &Strings, view: &SubscriptionView) -> impl IntoView {
        let choices = model::pause_choices(view, today());
        let picked = self
            .state
            .with(|st| st.pause)
            .min(choices.len().saturating_sub(1));
        let name = dom_id("cb-subscriptions-pause-", &view.id);
        let radios = choices
            .iter()
            .enumerate()
            .map(|(index, choice)| {
                let until = s.date(model::midday(choice.until));
                let next = s.date(model::midday(choice.next));
                let detail = s.fill(
                    Key::PauseFor,
                    &[("n", &choice.weeks.to_string()), ("next", &next)],
                );
                view! {
                    <label class="cb-subscriptions__choice">
                        <input type="radio" name=name.clone() value=index.to_string()
                            prop:checked=index == picked
                            on:change=move |_| self.state.update(|st| st.pause = index)/>
                        <span>{until}</span>
                        <span class="cb-muted">{detail}</span>
                    </label>
                }
            })
            .collect_view();
        let id = view.id.clone();
        let submit = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            self.submit_pause(&id);
        };
        let id = view.id.clone();
        view! {
            <form class="cb-subscriptions__panel" part="pause-form" data-panel="" on:submit=submit>
                <fieldset class="cb-subscriptions__choices">
                    <legend>{s.get(Key::PauseTitle).to_owned()}</legend>
                    {radios}
                </fieldset>
                <p class="cb-muted">{s.get(Key::PauseRule).to_owned()}</p>
                <div class="cb-subscriptions__buttons">
                    <button type="submit" class="cb-btn" part="confirm-pause-button">{s.get(Key::PauseConfirm).to_owned()}</button>
                    {self.close_button(&id, Offered::Pause, s.get(Common::Close))}
                </div>
            </form>
        }
    }

    /// Pauses until the choice picked now (read when sent, not when drawn).
    fn submit_pause(self, id: &str) {
        let Some(view) = self.find(id) else {
            return;
        };
        let choices = model::pause_choices(&view, today());
        let picked = self.state.with_untracked(|st| st.pause);
        if let Some(choice) = choices.get(picked).or(choices.last()) {
            self.act(
                id,
                Action::Pause {
                    until: choice.until,
                },
            );
        }
    }

    /// The cancel confirmation: the second and last click cancels. An optional reason
    /// (the shop's list) and comment, and once the shop's save offer as a secondary button.
    pub(super) fn cancel_panel(
        self,
        s: &Strings,
        list: &SubscriptionList,
        view: &SubscriptionView,
    ) -> impl IntoView {
        let (reason, comment, offer) = self
            .state
            .with(|st| (st.choice.clone(), st.text.clone(), st.offer));
        let reasons = (!list.cancel_reasons.is_empty()).then(|| {
            let options = list
                .cancel_reasons
                .iter()
                .map(|r| {
                    view! { <option value=r.id.clone() prop:selected=r.id == reason>{r.label.clone()}</option> }
                })
                .collect_view();
            view! {
                <label class="cb-subscriptions__field">
                    <span>{s.get(Key::Reason).to_owned()}</span>
                    <select part="reason" on:change=move |ev| self.state.update(|st| st.choice = event_target_value(&ev))>
                        <option value="" prop:selected=reason.is_empty()>{s.get(Key::NoReason).to_owned()}</option>
                        {options}
                    </select>
                </label>
            }
        });
        let saved = offer
            .then(|| model::save_action(list.save_offer, view, today()))
            .flatten()
            .map(|action| {
                let label = match list.save_offer {
                    Some(SaveOffer::Pause) => s.fill(
                        Key::OfferPause,
                        &[("n", &model::SAVE_PAUSE_WEEKS.to_string())],
                    ),
                    _ => s.get(Key::OfferSkip).to_owned(),
                };
                let id = view.id.clone();
                view! {
                    <button type="button" class="cb-btn cb-btn--quiet" part="save-offer-button"
                        on:click=move |_| self.act(&id, action.clone())>{label}</button>
                }
            });
        let id = view.id.clone();
        let confirm = move |_| {
            let action = self
                .state
                .with_untracked(|st| model::cancel(&st.choice, &st.text));
            self.act(&id, action);
        };
        let id = view.id.clone();
        view! {
            <div class="cb-subscriptions__panel cb-subscriptions__panel--cancel" part="cancel-panel"
                data-panel="" role="group" aria-label=s.get(Key::CancelTitle).to_owned()>
                <p class="cb-subscriptions__ask">{s.get(Key::CancelTitle).to_owned()}</p>
                {reasons}
                <label class="cb-subscriptions__field">
                    <span>{s.get(Key::Comment).to_owned()}</span>
                    <textarea rows="2" maxlength=comeback_core::subscription::MAX_COMMENT_CHARS.to_string()
                        prop:value=comment
                        on:input=move |ev| self.state.update(|st| st.text = event_target_value(&ev))></textarea>
                </label>
                <div class="cb-subscriptions__buttons">
                    <button type="button" class="cb-btn cb-subscriptions__confirm" part="confirm-cancel-button"
                        on:click=confirm>{s.get(Key::ConfirmCancel).to_owned()}</button>
                    {saved}
                    {self.close_button(&id, Offered::Cancel, s.get(Key::Keep))}
                </div>
            </div>
        }
    }

    /// The button that closes a panel without changing anything: "Keep my subscription"
    /// under the cancel confirmation (part `keep-button`), "Close" elsewhere
    /// (`close-button`).
    fn close_button(self, id: &str, opener: Offered, label: &str) -> impl IntoView {
        let id = id.to_owned();
        let part = if opener == Offered::Cancel {
            "keep-button"
        } else {
            "close-button"
        };
        view! {
            <button type="button" class="cb-btn cb-btn--quiet" part=part
                on:click=move |_| self.close(&id, opener)>{label.to_owned()}</button>
        }
    }
}
