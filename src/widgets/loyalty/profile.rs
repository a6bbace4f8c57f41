//! "Your details" in `<comeback-loyalty>`: the birthday, which the shopper sets once
//! (month and day, no year), and the contact preferences, asked until chosen and then
//! shown with a way to change them, so the shop never asks twice.

use comeback_core::api::{ContactChannel, LoyaltyMe, Preferences, WayToEarn};
use comeback_core::date::{days_in_month, Date, MonthDay};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::events;
use super::strings::Key;
use super::{Load, Loyalty, State};
use crate::api::ApiError;
use crate::i18n::{Common, Strings};
use crate::wire::{get, object_of, FromJs};

/// A form of the section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Form {
    Birthday,
    Contact,
}

/// What the section's forms hold.
#[derive(Debug, Default)]
pub(super) struct Profile {
    /// Month and day picked in the birthday form, 0 until picked.
    month: u8,
    day: u8,
    /// The contact choices being edited; `None` while the summary shows.
    draft: Option<Preferences>,
    /// The form being saved.
    saving: Option<Form>,
    /// The form whose last save failed.
    failed: Option<Form>,
}

/// The answer to setting a birthday, as far as the widget uses it.
struct BirthdaySaved {
    first_reward_on: Option<Date>,
}

impl FromJs for BirthdaySaved {
    fn from_js(value: &JsValue) -> Result<Self, crate::wire::DecodeError> {
        Ok(BirthdaySaved {
            first_reward_on: get(value, "first_reward_on")
                .as_string()
                .and_then(|text| Date::parse(&text)),
        })
    }
}

const CHANNELS: [(ContactChannel, Key); 3] = [
    (ContactChannel::Email, Key::ContactEmail),
    (ContactChannel::Sms, Key::ContactSms),
    (ContactChannel::None, Key::ContactNone),
];

fn channel_label(channel: ContactChannel) -> Key {
    CHANNELS
        .iter()
        .find(|(c, _)| *c == channel)
        .map_or(Key::ContactNone, |(_, key)| *key)
}

impl Loyalty {
    /// Loads the contact preferences from a server whose summary does not carry them.
    pub(super) fn load_preferences(self, token: Option<String>) {
        let api = self.ctx.api();
        let asked = self.ctx.asked();
        leptos::task::spawn_local(async move {
            let result: Result<Preferences, ApiError> =
                api.get("/loyalty/me/preferences", token.as_deref()).await;
            // Another shopper (or locale) by now: their own load asks again.
            if !self.ctx.still(&asked) {
                return;
            }
            match result {
                Ok(prefs) => self.show_preferences(prefs),
                Err(ApiError::Aborted) => {}
                // The rest of the widget works without them; the section stays hidden.
                Err(error) => self.ctx.report(&error),
            }
        });
    }

    /// Shows the shopper's preferences, with the form open while they have not chosen.
    pub(super) fn show_preferences(self, prefs: Preferences) {
        self.state.try_update(|s| {
            if prefs.contact_channel.is_none() {
                s.profile.draft = Some(prefs.clone());
            }
            s.prefs = Some(prefs);
        });
    }

    fn edit_profile(self, change: impl FnOnce(&mut Profile)) {
        self.state.update(|s| change(&mut s.profile));
    }

    fn save_birthday(self) {
        let Some(birthday) = self
            .state
            .with_untracked(|s| MonthDay::new(s.profile.month, s.profile.day))
        else {
            return;
        };
        self.save(Form::Birthday);
        let api = self.ctx.api();
        let token = self.ctx.token.get_untracked();
        let asked = self.ctx.asked();
        leptos::task::spawn_local(async move {
            let iso = birthday.to_iso();
            let body = object_of(&[("birthday", iso.as_str().into())]);
            let result: Result<BirthdaySaved, ApiError> = api
                .put("/loyalty/me/birthday", token.as_deref(), &body)
                .await;
            if !self.ctx.still(&asked) {
                return;
            }
            let saved = result.as_ref().ok().map(|saved| saved.first_reward_on);
            self.saved(Form::Birthday, result.err(), |s| {
                if let (Load::Member(me), Some(first)) = (&mut s.load, saved) {
                    me.birthday = Some(birthday);
                    me.next_birthday_reward = first;
                }
            });
            if saved.is_some() {
                let detail = object_of(&[("birthday", iso.as_str().into())]);
                self.ctx.emit(events::BIRTHDAY_SAVED, &detail, false);
                self.ctx.focus_later("[part=birthday]".to_owned());
            }
        });
    }

    fn save_contact(self) {
        let Some(draft) = self.state.with_untracked(|s| s.profile.draft.clone()) else {
            return;
        };
        let Some(channel) = draft.contact_channel else {
            return;
        };
        self.save(Form::Contact);
        let api = self.ctx.api();
        let token = self.ctx.token.get_untracked();
        let asked = self.ctx.asked();
        leptos::task::spawn_local(async move {
            let consent = draft.marketing_consent.unwrap_or(false);
            let body = object_of(&[
                ("contact_channel", channel.as_str().into()),
                ("marketing_consent", consent.into()),
            ]);
            let result: Result<Preferences, ApiError> = api
                .put("/loyalty/me/preferences", token.as_deref(), &body)
                .await;
            if !self.ctx.still(&asked) {
                return;
            }
            let ok = result.is_ok();
            match result {
                Ok(prefs) => self.saved(Form::Contact, None, |s| {
                    s.prefs = Some(prefs);
                    s.profile.draft = None;
                }),
                Err(error) => self.saved(Form::Contact, Some(error), |_| {}),
            }
            if ok {
                self.ctx.emit(events::PREFERENCES_SAVED, &body, false);
                self.ctx.focus_later("[part=contact-change]".to_owned());
            }
        });
    }

    fn save(self, form: Form) {
        self.edit_profile(|p| {
            p.saving = Some(form);
            p.failed = None;
        });
    }

    fn saved(self, form: Form, error: Option<ApiError>, apply: impl FnOnce(&mut State)) {
        if let Some(error) = &error {
            self.ctx.report(error);
        }
        self.state.try_update(|s| {
            s.profile.saving = None;
            s.profile.failed = error.is_some().then_some(form);
            if error.is_none() {
                apply(s);
            }
        });
    }

    /// The section, or nothing when the shop asks for neither.
    pub(super) fn profile(self, s: &Strings, state: &State, me: &LoyaltyMe) -> impl IntoView {
        let birthday = self.birthday(s, &state.profile, me);
        let contact = state
            .prefs
            .as_ref()
            .map(|prefs| self.contact(s, &state.profile, prefs));
        (birthday.is_some() || contact.is_some()).then(|| {
            view! {
                <section class="cb-loyalty__section" part="profile">
                    <h3>{s.get(Key::ProfileHeading).to_owned()}</h3>
                    {birthday}
                    {contact}
                </section>
            }
        })
    }

    fn birthday(self, s: &Strings, profile: &Profile, me: &LoyaltyMe) -> Option<AnyView> {
        if let Some(birthday) = me.birthday {
            let date = s.month_day(birthday.month(), birthday.day());
            let next = me.next_birthday_reward.map(|on| {
                s.fill(
                    Key::BirthdayNext,
                    &[("date", &s.date(super::model::midday(on)))],
                )
            });
            return Some(
                view! {
                    <p part="birthday" tabindex="-1">
                        {s.fill(Key::BirthdayIs, &[("date", &date)])}
                        <span class="cb-muted cb-loyalty__detail">{next}</span>
                    </p>
                }
                .into_any(),
            );
        }
        let points = me.ways_to_earn.iter().find_map(|way| match way {
            WayToEarn::Birthday { points } => Some(*points),
            _ => None,
        })?;
        let busy = profile.saving == Some(Form::Birthday);
        let failed = profile.failed == Some(Form::Birthday);
        let (month, day) = (profile.month, profile.day);
        let months = (1..=12)
            .map(
                |m| view! { <option value=m.to_string() selected=m == month>{s.month(m)}</option> },
            )
            .collect_view();
        // Leap day is a valid birthday, so days follow a leap year's months.
        let last_day = if month == 0 {
            31
        } else {
            days_in_month(2000, month)
        };
        let days = (1..=last_day)
            .map(|d| view! { <option value=d.to_string() selected=d == day>{d.to_string()}</option> })
            .collect_view();
        let pick = move |value: String, month: bool| {
            let number = value.parse::<u8>().unwrap_or(0);
            self.edit_profile(|p| {
                if month {
                    p.month = number;
                    p.day = p.day.min(days_in_month(2000, number.max(1)));
                } else {
                    p.day = number;
                }
            });
        };
        let prompt = s.fill(Key::BirthdayPrompt, &[("points", &s.points(points))]);
        Some(
            view! {
                <form class="cb-loyalty__form" part="birthday-form"
                    on:submit=move |ev| { ev.prevent_default(); self.save_birthday(); }>
                    <p class="cb-muted">{prompt}</p>
                    <div class="cb-loyalty__fields">
                        <label>
                            <span>{s.get(Key::BirthdayMonth).to_owned()}</span>
                            <select part="birthday-month" required disabled=busy
                                on:change=move |ev| pick(event_target_value(&ev), true)>
                                <option value="0" disabled selected=month == 0>"—"</option>
                                {months}
                            </select>
                        </label>
                        <label>
                            <span>{s.get(Key::BirthdayDay).to_owned()}</span>
                            <select part="birthday-day" required disabled=busy
                                on:change=move |ev| pick(event_target_value(&ev), false)>
                                <option value="0" disabled selected=day == 0>"—"</option>
                                {days}
                            </select>
                        </label>
                        <button type="submit" class="cb-btn" part="birthday-save"
                            disabled=busy || month == 0 || day == 0>
                            {s.get(if busy { Common::Saving } else { Common::Save }).to_owned()}
                        </button>
                    </div>
                    {failed.then(|| view! { <p class="cb-loyalty__error" role="alert">{s.get(Common::SaveFailed).to_owned()}</p> })}
                </form>
            }
            .into_any(),
        )
    }

    fn contact(self, s: &Strings, profile: &Profile, prefs: &Preferences) -> AnyView {
        let Some(draft) = profile.draft.clone() else {
            let channel = prefs
                .contact_channel
                .map_or(Key::ContactNone, channel_label);
            let channel = s.fill(Key::ContactIs, &[("channel", s.get(channel))]);
            let consent = s.get(if prefs.marketing_consent == Some(true) {
                Key::ConsentYes
            } else {
                Key::ConsentNo
            });
            let current = prefs.clone();
            return view! {
                <div class="cb-loyalty__row" part="contact">
                    <span>
                        <span>{channel}</span>
                        <span class="cb-muted cb-loyalty__detail">{consent.to_owned()}</span>
                    </span>
                    <button type="button" class="cb-btn cb-btn--quiet" part="contact-change"
                        on:click=move |_| self.edit_profile(|p| p.draft = Some(current.clone()))>
                        {s.get(Common::Change).to_owned()}
                    </button>
                </div>
            }
            .into_any();
        };
        let busy = profile.saving == Some(Form::Contact);
        let failed = profile.failed == Some(Form::Contact);
        let options = CHANNELS
            .iter()
            .map(|(channel, key)| {
                let channel = *channel;
                view! {
                    <label class="cb-loyalty__choice">
                        <input type="radio" name="contact-channel" value=channel.as_str()
                            prop:checked=draft.contact_channel == Some(channel) disabled=busy
                            on:change=move |_| self.edit_profile(|p| {
                                if let Some(draft) = &mut p.draft {
                                    draft.contact_channel = Some(channel);
                                }
                            })/>
                        <span>{s.get(*key).to_owned()}</span>
                    </label>
                }
            })
            .collect_view();
        let consent = draft.marketing_consent == Some(true);
        view! {
            <form class="cb-loyalty__form" part="contact-form"
                on:submit=move |ev| { ev.prevent_default(); self.save_contact(); }>
                <fieldset disabled=busy>
                    <legend>{s.get(Key::ContactPrompt).to_owned()}</legend>
                    {options}
                    <label class="cb-loyalty__choice">
                        <input type="checkbox" part="consent" prop:checked=consent
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                self.edit_profile(|p| {
                                    if let Some(draft) = &mut p.draft {
                                        draft.marketing_consent = Some(on);
                                    }
                                });
                            }/>
                        <span>{s.get(Key::Consent).to_owned()}</span>
                    </label>
                </fieldset>
                <button type="submit" class="cb-btn" part="contact-save"
                    disabled=busy || draft.contact_channel.is_none()>
                    {s.get(if busy { Common::Saving } else { Common::Save }).to_owned()}
                </button>
                {failed.then(|| view! { <p class="cb-loyalty__error" role="alert">{s.get(Common::SaveFailed).to_owned()}</p> })}
            </form>
        }
        .into_any()
    }
}
