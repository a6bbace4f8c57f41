//! The subscription manager's decisions, kept free of the DOM so they are tested
//! natively: the actions a shopper takes and the requests they make, what each shows at
//! once before the server answers (and how it is taken back when the server refuses),
//! the notice that confirms or explains the outcome, the pause choices with the delivery
//! they lead to, the change and cancel forms, the order of the list and the wording of
//! intervals. Dates and schedules come from core, the rules the server keeps too.

use comeback_core::bounds::MAX_QUANTITY;
use comeback_core::date::Date;
use comeback_core::error::ErrorCode;
use comeback_core::orders::{Interval, IntervalUnit};
use comeback_core::subscription::schedule::{local_date, pause_problem};
use comeback_core::subscription::{
    SaveOffer, Schedule, SubscriptionStatus, SubscriptionView, MAX_COMMENT_CHARS,
};
use comeback_core::Locale;

use super::strings::Key;
use crate::api::{encode, ApiError};

/// The pauses the manager offers, in weeks from today.
pub const PAUSE_WEEKS: [u16; 3] = [2, 4, 8];
/// The pause the cancel form offers instead, when the shop's save offer is a pause.
pub const SAVE_PAUSE_WEEKS: u16 = 4;

/// A change the shopper makes to one subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Skip the next delivery.
    Skip,
    /// Deliver now instead of on the next date.
    DeliverNow,
    /// Pause until a day.
    Pause {
        /// The day deliveries may start again.
        until: Date,
    },
    /// Resume a paused subscription now.
    Resume,
    /// Cancel, with an optional reason id and comment.
    Cancel {
        /// One of the shop's reason ids.
        reason: Option<String>,
        /// What the shopper wrote.
        comment: Option<String>,
    },
    /// A new interval and/or quantity.
    Change {
        /// The new interval, if it changes.
        interval: Option<String>,
        /// The new quantity, if it changes.
        quantity: Option<i64>,
    },
}

/// The HTTP method of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `POST …/subscriptions/{id}/{action}`.
    Post,
    /// `PATCH …/subscriptions/{id}`.
    Patch,
}

impl Action {
    /// The action's name in `comeback:subscriptions:changed` and in its route.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Skip => "skip",
            Action::DeliverNow => "deliver-now",
            Action::Pause { .. } => "pause",
            Action::Resume => "resume",
            Action::Cancel { .. } => "cancel",
            Action::Change { .. } => "change",
        }
    }

    /// The request for subscription `id`, with the answer asked in `locale`.
    pub fn request(&self, id: &str, locale: Locale) -> (Method, String) {
        let (method, tail) = match self {
            Action::Change { .. } => (Method::Patch, ""),
            _ => (Method::Post, self.name()),
        };
        let slash = if tail.is_empty() { "" } else { "/" };
        let path = [
            "/subscriptions/",
            &encode(id),
            slash,
            tail,
            "?locale=",
            locale.as_str(),
        ]
        .concat();
        (method, path)
    }
}

/// One press of an action: the key that makes a retry of it a replay, and the
/// subscription as it was, to roll back to if the server refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The subscription's id.
    pub id: String,
    /// What the shopper asked for.
    pub action: Action,
    /// Its `Idempotency-Key`, the same for every send of this attempt.
    pub key: String,
    /// The subscription before the change.
    pub before: SubscriptionView,
}

/// The subscription's delivery rhythm, anchored on the day it started; `None` for an
/// interval this build cannot read.
pub fn schedule(view: &SubscriptionView) -> Option<Schedule> {
    Interval::parse(&view.interval).map(|interval| Schedule {
        interval,
        anchor_day: view.started_on.day(),
    })
}

/// What the manager shows at once for `action` on `view`, before the server answers
/// (whose answer then replaces it). Predicted with core's schedule rules; anything it
/// cannot predict stays as it was.
pub fn predict(view: &SubscriptionView, action: &Action, today: Date) -> SubscriptionView {
    let mut next = view.clone();
    let schedule = schedule(view);
    match action {
        Action::Skip => {
            if let (Some(schedule), Some(date)) = (schedule, view.next_delivery) {
                next.next_delivery = Some(schedule.after(date));
            }
        }
        Action::DeliverNow => {
            next.renewal_pending = true;
            if let (Some(schedule), Some(date)) = (schedule, view.next_delivery) {
                next.next_delivery = Some(schedule.on_or_after(date, schedule.after(today)));
            }
        }
        Action::Pause { until } => {
            next.status = SubscriptionStatus::Paused;
            next.paused_until = Some(*until);
            next.next_delivery = Some(match (schedule, view.next_delivery) {
                (Some(schedule), Some(date)) => schedule.on_or_after(date, *until),
                _ => *until,
            });
        }
        Action::Resume => {
            next.status = SubscriptionStatus::Active;
            next.paused_until = None;
            if let (Some(schedule), Some(date)) = (schedule, view.next_delivery) {
                next.next_delivery = Some(schedule.first_after(date, today));
            }
        }
        Action::Cancel { .. } => {
            next.status = SubscriptionStatus::Cancelled;
            next.next_delivery = None;
            next.paused_until = None;
            next.cancelled_on = Some(today);
        }
        Action::Change { interval, quantity } => {
            if let Some(interval) = interval {
                next.interval = interval.clone();
            }
            if let Some(quantity) = quantity {
                next.quantity = *quantity;
            }
        }
    }
    next
}

/// Puts `view` in place of the subscription with its id (the server's answer, a
/// prediction or a rollback); a subscription the list does not hold is left out.
pub fn replace(list: &mut [SubscriptionView], view: SubscriptionView) {
    if let Some(slot) = list.iter_mut().find(|s| s.id == view.id) {
        *slot = view;
    }
}

/// The list as the manager shows it: running and paused subscriptions, then the
/// cancelled ones (shown below, collapsed), each group in the server's order (newest
/// first) so nothing jumps when a date changes.
pub fn arrange(list: &[SubscriptionView]) -> (Vec<&SubscriptionView>, Vec<&SubscriptionView>) {
    list.iter()
        .partition(|s| s.status != SubscriptionStatus::Cancelled)
}

/// Which actions a subscription offers, in the order shown.
pub fn actions(view: &SubscriptionView) -> &'static [Offered] {
    match view.status {
        SubscriptionStatus::Active => &[
            Offered::Skip,
            Offered::DeliverNow,
            Offered::Change,
            Offered::Pause,
            Offered::Cancel,
        ],
        SubscriptionStatus::Paused => &[Offered::Resume, Offered::Change, Offered::Cancel],
        SubscriptionStatus::Cancelled => &[],
    }
}

/// An action button: immediate, or opening its panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offered {
    /// Skips at once.
    Skip,
    /// Delivers now at once.
    DeliverNow,
    /// Resumes at once.
    Resume,
    /// Opens the change form.
    Change,
    /// Opens the pause choices.
    Pause,
    /// Opens the cancel confirmation.
    Cancel,
}

impl Offered {
    /// The button's label.
    pub fn label(self) -> Key {
        match self {
            Offered::Skip => Key::Skip,
            Offered::DeliverNow => Key::DeliverNow,
            Offered::Resume => Key::Resume,
            Offered::Change => Key::Change,
            Offered::Pause => Key::Pause,
            Offered::Cancel => Key::Cancel,
        }
    }

    /// The button's `part` (and how focus finds it again).
    pub fn part(self) -> &'static str {
        match self {
            Offered::Skip => "skip-button",
            Offered::DeliverNow => "deliver-now-button",
            Offered::Resume => "resume-button",
            Offered::Change => "change-button",
            Offered::Pause => "pause-button",
            Offered::Cancel => "cancel-button",
        }
    }
}

/// A pause the manager offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PauseChoice {
    /// Weeks from today.
    pub weeks: u16,
    /// The day the pause ends.
    pub until: Date,
    /// The delivery it leads to: the first of the schedule on or after `until`.
    pub next: Date,
}

/// The pause of `weeks` from `today`, if the server's rule allows it.
pub fn pause_choice(view: &SubscriptionView, today: Date, weeks: u16) -> Option<PauseChoice> {
    let until = today.add_days(7 * i64::from(weeks));
    if pause_problem(today, until).is_some() {
        return None;
    }
    let next = match (schedule(view), view.next_delivery) {
        (Some(schedule), Some(date)) => schedule.on_or_after(date, until),
        _ => until,
    };
    Some(PauseChoice { weeks, until, next })
}

/// The pauses offered: [`PAUSE_WEEKS`] from today.
pub fn pause_choices(view: &SubscriptionView, today: Date) -> Vec<PauseChoice> {
    PAUSE_WEEKS
        .iter()
        .filter_map(|&weeks| pause_choice(view, today, weeks))
        .collect()
}

/// What the cancel form offers instead, once: the shop's save offer, as an action on
/// `view` (only a running subscription can skip or pause).
pub fn save_action(
    offer: Option<SaveOffer>,
    view: &SubscriptionView,
    today: Date,
) -> Option<Action> {
    if view.status != SubscriptionStatus::Active {
        return None;
    }
    match offer? {
        SaveOffer::Skip => Some(Action::Skip),
        SaveOffer::Pause => {
            pause_choice(view, today, SAVE_PAUSE_WEEKS).map(|choice| Action::Pause {
                until: choice.until,
            })
        }
    }
}

/// The cancellation the form describes: blank fields are left out, the comment is cut
/// to [`MAX_COMMENT_CHARS`] characters.
pub fn cancel(reason: &str, comment: &str) -> Action {
    let some = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
    Action::Cancel {
        reason: some(reason),
        comment: some(comment).map(|c| c.chars().take(MAX_COMMENT_CHARS).collect()),
    }
}

/// Why the change form cannot be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeProblem {
    /// The quantity is not a whole number from 1 to core's maximum.
    Quantity,
}

/// The change the form describes: only what differs from `view`; `None` when nothing
/// does (the form just closes).
pub fn change(
    view: &SubscriptionView,
    interval: &str,
    quantity: &str,
) -> Result<Option<Action>, ChangeProblem> {
    let quantity: i64 = quantity
        .trim()
        .parse()
        .map_err(|_| ChangeProblem::Quantity)?;
    if !(1..=MAX_QUANTITY).contains(&quantity) {
        return Err(ChangeProblem::Quantity);
    }
    let interval = (interval != view.interval && view.intervals.iter().any(|i| i == interval))
        .then(|| interval.to_owned());
    let quantity = (quantity != view.quantity).then_some(quantity);
    Ok((interval.is_some() || quantity.is_some()).then_some(Action::Change { interval, quantity }))
}

/// What the notice on top says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The sentence.
    pub key: Key,
    /// The subscription's title (`{title}`).
    pub title: String,
    /// `{date}`, when the sentence has one.
    pub date: Option<Date>,
    /// `{n}` and `{left}` of the minimum-deliveries refusal.
    pub counts: (u32, u32),
    /// Whether it reports a failure (shown as an alert).
    pub error: bool,
    /// An attempt that may be sent again, with its own key.
    pub retry: Option<Attempt>,
}

impl Notice {
    fn new(key: Key, view: &SubscriptionView) -> Notice {
        Notice {
            key,
            title: view.title.clone(),
            date: None,
            counts: (0, 0),
            error: false,
            retry: None,
        }
    }

    /// While the change is sent.
    pub fn saving(view: &SubscriptionView) -> Notice {
        Notice::new(Key::Saving, view)
    }

    /// The server confirmed `action`; `view` is its answer.
    pub fn done(action: &Action, view: &SubscriptionView) -> Notice {
        let (key, date) = match action {
            Action::Skip => (Key::DoneSkip, view.next_delivery),
            Action::DeliverNow => (Key::DoneDeliverNow, view.next_delivery),
            Action::Pause { until } => (Key::DonePause, view.paused_until.or(Some(*until))),
            Action::Resume => (Key::DoneResume, view.next_delivery),
            Action::Cancel { .. } => (Key::DoneCancel, None),
            Action::Change { .. } => (Key::DoneChange, None),
        };
        Notice {
            date,
            ..Notice::new(key, view)
        }
    }

    /// The server refused `attempt` (or could not be reached): said from the error's
    /// code in the shopper's language, with the numbers of the shopper's own plan. Only a
    /// failure that may pass next time (network, timeout, busy server) offers a retry.
    pub fn refused(error: &ApiError, attempt: &Attempt) -> Notice {
        let view = &attempt.before;
        let code = match error {
            ApiError::Http { code, .. } => Some(*code),
            _ => None,
        };
        let (key, counts) = match (code, view.min_deliveries) {
            (Some(ErrorCode::MinimumDeliveries), Some(n)) => (
                Key::MinimumDeliveries,
                (n, n.saturating_sub(view.deliveries).max(1)),
            ),
            (Some(ErrorCode::SubscriptionCancelled), _) => (Key::AlreadyCancelled, (0, 0)),
            (Some(ErrorCode::ValidationFailed | ErrorCode::MinimumDeliveries), _) => {
                (Key::NotAccepted, (0, 0))
            }
            _ => (Key::Failed, (0, 0)),
        };
        Notice {
            counts,
            error: true,
            retry: error.is_retryable().then(|| attempt.clone()),
            ..Notice::new(key, view)
        }
    }
}

/// How an interval is worded: the key and its `{n}` (`P4W` is "Every 4 weeks", `P1M`
/// "Every month"); `None` for a string that is not an interval (shown as it is).
pub fn every(interval: &str) -> Option<(Key, u16)> {
    let Interval { count, unit } = Interval::parse(interval)?;
    let one = count == 1;
    let key = match unit {
        IntervalUnit::Day if one => Key::EveryDay,
        IntervalUnit::Day => Key::EveryDays,
        IntervalUnit::Week if one => Key::EveryWeek,
        IntervalUnit::Week => Key::EveryWeeks,
        IntervalUnit::Month if one => Key::EveryMonth,
        IntervalUnit::Month => Key::EveryMonths,
        IntervalUnit::Year if one => Key::EveryYear,
        IntervalUnit::Year => Key::EveryYears,
    };
    Some((key, count))
}

/// The status's label.
pub fn status(status: SubscriptionStatus) -> Key {
    match status {
        SubscriptionStatus::Active => Key::Active,
        SubscriptionStatus::Paused => Key::Paused,
        SubscriptionStatus::Cancelled => Key::Cancelled,
    }
}

/// Unix seconds at noon UTC of `date`: that calendar day in the shopper's time zone (for
/// every zone within ±12 hours) when the browser formats it.
pub fn midday(date: Date) -> i64 {
    date.days_since_epoch() * 86_400 + 43_200
}

/// Today in the shopper's time zone, from the browser's clock (`Date.now()`) and its
/// `getTimezoneOffset()` (minutes behind UTC).
pub fn today(now_ms: f64, timezone_offset_minutes: f64) -> Date {
    let offset = -(timezone_offset_minutes as i32).saturating_mul(60);
    local_date((now_ms / 1000.0).floor() as i64, offset)
}

#[cfg(test)]
mod tests {
    use comeback_core::subscription::Price;

    use super::*;

    fn day(iso: &str) -> Date {
        Date::parse(iso).unwrap()
    }

    fn view(id: &str, status: SubscriptionStatus) -> SubscriptionView {
        SubscriptionView {
            id: id.into(),
            product_id: "wuyi".into(),
            title: "Wuyi Oolong".into(),
            url: None,
            image: None,
            plan_id: "tea-club".into(),
            plan_name: "Tea club".into(),
            quantity: 1,
            interval: "P4W".into(),
            intervals: vec!["P2W".into(), "P4W".into(), "P8W".into()],
            status,
            next_delivery: (status != SubscriptionStatus::Cancelled).then(|| day("2027-03-01")),
            paused_until: None,
            renewal_pending: false,
            price: Price {
                regular: 12_800,
                price: 11_520,
                saving: 1_280,
            },
            free_shipping: true,
            deliveries: 1,
            min_deliveries: None,
            started_on: day("2027-02-01"),
            cancelled_on: None,
        }
    }

    fn active() -> SubscriptionView {
        view("s1", SubscriptionStatus::Active)
    }

    fn attempt(action: Action) -> Attempt {
        Attempt {
            id: "s1".into(),
            action,
            key: "key-1".into(),
            before: active(),
        }
    }

    fn http(code: ErrorCode, status: u16) -> ApiError {
        ApiError::Http {
            status,
            code,
            message: "refused".into(),
            retry_after: None,
        }
    }

    const TODAY: &str = "2027-02-10";

    #[test]
    fn each_action_has_its_route_and_event_name() {
        let cases = [
            (
                Action::Skip,
                Method::Post,
                "/subscriptions/s%201/skip?locale=en",
            ),
            (
                Action::DeliverNow,
                Method::Post,
                "/subscriptions/s%201/deliver-now?locale=en",
            ),
            (
                Action::Resume,
                Method::Post,
                "/subscriptions/s%201/resume?locale=en",
            ),
            (
                Action::Pause { until: day(TODAY) },
                Method::Post,
                "/subscriptions/s%201/pause?locale=en",
            ),
            (
                cancel("", ""),
                Method::Post,
                "/subscriptions/s%201/cancel?locale=en",
            ),
            (
                Action::Change {
                    interval: None,
                    quantity: Some(2),
                },
                Method::Patch,
                "/subscriptions/s%201?locale=en",
            ),
        ];
        for (action, method, path) in cases {
            assert_eq!(action.request("s 1", Locale::En), (method, path.to_owned()));
        }
        assert_eq!(
            Action::Skip.request("s1", Locale::ZhHant).1,
            "/subscriptions/s1/skip?locale=zh-Hant"
        );
        let names: Vec<&str> = [
            Action::Skip,
            Action::DeliverNow,
            Action::Resume,
            cancel("", ""),
        ]
        .iter()
        .map(Action::name)
        .collect();
        assert_eq!(names, ["skip", "deliver-now", "resume", "cancel"]);
    }

    #[test]
    fn skipping_shows_the_following_delivery_at_once() {
        let after = predict(&active(), &Action::Skip, day(TODAY));
        assert_eq!(after.next_delivery, Some(day("2027-03-29")));
        assert_eq!(after.status, SubscriptionStatus::Active);
        // A monthly schedule keeps its anchor day through a short month.
        let mut monthly = active();
        monthly.interval = "P1M".into();
        monthly.started_on = day("2027-01-31");
        monthly.next_delivery = Some(day("2027-02-28"));
        let after = predict(&monthly, &Action::Skip, day(TODAY));
        assert_eq!(after.next_delivery, Some(day("2027-03-31")));
    }

    #[test]
    fn pausing_and_resuming_follow_the_schedule() {
        let paused = predict(
            &active(),
            &Action::Pause {
                until: day("2027-04-01"),
            },
            day(TODAY),
        );
        assert_eq!(paused.status, SubscriptionStatus::Paused);
        assert_eq!(paused.paused_until, Some(day("2027-04-01")));
        // The first delivery of the rhythm on or after the pause's end.
        assert_eq!(paused.next_delivery, Some(day("2027-04-26")));
        let resumed = predict(&paused, &Action::Resume, day("2027-03-05"));
        assert_eq!(resumed.status, SubscriptionStatus::Active);
        assert_eq!(resumed.paused_until, None);
        assert_eq!(resumed.next_delivery, Some(day("2027-03-29")));
    }

    #[test]
    fn cancelling_deliver_now_and_changes_are_shown_at_once() {
        let cancelled = predict(&active(), &cancel("too-much", ""), day(TODAY));
        assert_eq!(cancelled.status, SubscriptionStatus::Cancelled);
        assert_eq!(cancelled.next_delivery, None);
        assert_eq!(cancelled.cancelled_on, Some(day(TODAY)));
        let now = predict(&active(), &Action::DeliverNow, day(TODAY));
        assert!(now.renewal_pending);
        assert_eq!(now.next_delivery, Some(day("2027-03-29")));
        let changed = predict(
            &active(),
            &Action::Change {
                interval: Some("P8W".into()),
                quantity: Some(3),
            },
            day(TODAY),
        );
        assert_eq!((changed.interval.as_str(), changed.quantity), ("P8W", 3));
    }

    #[test]
    fn a_rollback_puts_back_the_subscription_as_it_was() {
        let mut list = vec![active(), view("s2", SubscriptionStatus::Paused)];
        let attempt = attempt(cancel("", ""));
        replace(
            &mut list,
            predict(&attempt.before, &attempt.action, day(TODAY)),
        );
        assert_eq!(list[0].status, SubscriptionStatus::Cancelled);
        replace(&mut list, attempt.before.clone());
        assert_eq!(list[0], active());
        assert_eq!(list[1].id, "s2");
        // An answer for a subscription the list no longer holds changes nothing.
        replace(&mut list, view("gone", SubscriptionStatus::Active));
        assert_eq!(list.len(), 2);
    }

    #[test]
    fn refusals_are_explained_from_the_code_and_only_transient_ones_retried() {
        let mut attempt = attempt(cancel("", ""));
        attempt.before.min_deliveries = Some(3);
        let notice = Notice::refused(&http(ErrorCode::MinimumDeliveries, 409), &attempt);
        assert_eq!(notice.key, Key::MinimumDeliveries);
        assert_eq!(notice.counts, (3, 2));
        assert!(notice.error);
        assert_eq!(notice.retry, None);
        assert_eq!(notice.title, "Wuyi Oolong");
        attempt.before.min_deliveries = None;
        let notice = Notice::refused(&http(ErrorCode::MinimumDeliveries, 409), &attempt);
        assert_eq!(notice.key, Key::NotAccepted);
        let notice = Notice::refused(&http(ErrorCode::SubscriptionCancelled, 409), &attempt);
        assert_eq!(notice.key, Key::AlreadyCancelled);
        let notice = Notice::refused(&http(ErrorCode::ValidationFailed, 422), &attempt);
        assert_eq!(
            (notice.key, notice.retry.is_none()),
            (Key::NotAccepted, true)
        );
        // Only what may pass next time is offered again, with the same key.
        for transient in [
            ApiError::Timeout,
            ApiError::Network("down".into()),
            http(ErrorCode::Internal, 503),
        ] {
            let notice = Notice::refused(&transient, &attempt);
            assert_eq!(notice.key, Key::Failed);
            assert_eq!(notice.retry.as_ref().map(|a| a.key.as_str()), Some("key-1"));
        }
        assert_eq!(
            Notice::refused(&http(ErrorCode::NotFound, 404), &attempt).retry,
            None
        );
    }

    #[test]
    fn confirmations_name_the_date_the_server_answered() {
        let mut answer = active();
        answer.next_delivery = Some(day("2027-03-29"));
        let notice = Notice::done(&Action::Skip, &answer);
        assert_eq!(
            (notice.key, notice.date),
            (Key::DoneSkip, Some(day("2027-03-29")))
        );
        assert!(!notice.error);
        let until = day("2027-04-01");
        assert_eq!(
            Notice::done(&Action::Pause { until }, &answer).date,
            Some(until)
        );
        assert_eq!(Notice::done(&cancel("", ""), &answer).key, Key::DoneCancel);
        assert_eq!(Notice::saving(&answer).key, Key::Saving);
    }

    #[test]
    fn pause_choices_are_weeks_from_today_with_the_delivery_they_lead_to() {
        let choices = pause_choices(&active(), day(TODAY));
        let summary: Vec<(u16, String, String)> = choices
            .iter()
            .map(|c| (c.weeks, c.until.to_iso(), c.next.to_iso()))
            .collect();
        assert_eq!(
            summary,
            [
                (2, "2027-02-24".to_owned(), "2027-03-01".to_owned()),
                (4, "2027-03-10".to_owned(), "2027-03-29".to_owned()),
                (8, "2027-04-07".to_owned(), "2027-04-26".to_owned()),
            ]
        );
        for choice in &choices {
            assert!(pause_problem(day(TODAY), choice.until).is_none());
            assert!(choice.next >= choice.until);
        }
    }

    #[test]
    fn the_save_offer_is_an_action_on_running_subscriptions_only() {
        let today = day(TODAY);
        assert_eq!(
            save_action(Some(SaveOffer::Skip), &active(), today),
            Some(Action::Skip)
        );
        assert_eq!(
            save_action(Some(SaveOffer::Pause), &active(), today),
            Some(Action::Pause {
                until: day("2027-03-10")
            })
        );
        assert_eq!(save_action(None, &active(), today), None);
        let paused = view("s2", SubscriptionStatus::Paused);
        assert_eq!(save_action(Some(SaveOffer::Skip), &paused, today), None);
    }

    #[test]
    fn the_cancel_form_leaves_out_blanks_and_bounds_the_comment() {
        assert_eq!(
            cancel(" ", "\n"),
            Action::Cancel {
                reason: None,
                comment: None
            }
        );
        let long = "茶".repeat(MAX_COMMENT_CHARS + 5);
        let Action::Cancel { reason, comment } = cancel("too-much", &long) else {
            panic!("not a cancellation");
        };
        assert_eq!(reason.as_deref(), Some("too-much"));
        assert_eq!(comment.unwrap().chars().count(), MAX_COMMENT_CHARS);
    }

    #[test]
    fn the_change_form_sends_only_what_differs() {
        let view = active();
        assert_eq!(change(&view, "P4W", "1"), Ok(None));
        assert_eq!(
            change(&view, "P8W", " 1 "),
            Ok(Some(Action::Change {
                interval: Some("P8W".into()),
                quantity: None
            }))
        );
        assert_eq!(
            change(&view, "P4W", "2"),
            Ok(Some(Action::Change {
                interval: None,
                quantity: Some(2)
            }))
        );
        // An interval the plan does not offer is never sent.
        assert_eq!(change(&view, "P3W", "1"), Ok(None));
        for bad in ["0", "-1", "1.5", "", "x", "1000001"] {
            assert_eq!(
                change(&view, "P4W", bad),
                Err(ChangeProblem::Quantity),
                "{bad}"
            );
        }
    }

    #[test]
    fn cancelled_subscriptions_go_below_in_the_servers_order() {
        let list = vec![
            view("c1", SubscriptionStatus::Cancelled),
            view("a1", SubscriptionStatus::Active),
            view("p1", SubscriptionStatus::Paused),
            view("c2", SubscriptionStatus::Cancelled),
            view("a2", SubscriptionStatus::Active),
        ];
        let (running, cancelled) = arrange(&list);
        let ids =
            |views: &[&SubscriptionView]| views.iter().map(|v| v.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&running), ["a1", "p1", "a2"]);
        assert_eq!(ids(&cancelled), ["c1", "c2"]);
    }

    #[test]
    fn each_status_offers_its_actions() {
        assert_eq!(actions(&active()).len(), 5);
        assert_eq!(
            actions(&view("p", SubscriptionStatus::Paused)),
            [Offered::Resume, Offered::Change, Offered::Cancel]
        );
        assert!(actions(&view("c", SubscriptionStatus::Cancelled)).is_empty());
        assert_eq!(status(SubscriptionStatus::Paused), Key::Paused);
    }

    #[test]
    fn intervals_are_worded_with_plurals() {
        assert_eq!(every("P4W"), Some((Key::EveryWeeks, 4)));
        assert_eq!(every("P1W"), Some((Key::EveryWeek, 1)));
        assert_eq!(every("P1M"), Some((Key::EveryMonth, 1)));
        assert_eq!(every("P2M"), Some((Key::EveryMonths, 2)));
        assert_eq!(every("P10D"), Some((Key::EveryDays, 10)));
        assert_eq!(every("P1D"), Some((Key::EveryDay, 1)));
        assert_eq!(every("P1Y"), Some((Key::EveryYear, 1)));
        assert_eq!(every("P3Y"), Some((Key::EveryYears, 3)));
        assert_eq!(every("monthly"), None);
    }

    #[test]
    fn today_and_dates_follow_the_shoppers_zone() {
        // 2027-03-01T23:30Z: already March 2 in Shanghai (offset -480), still March 1 in
        // New York (offset 300).
        let now =
            (day("2027-03-01").days_since_epoch() * 86_400 + 23 * 3_600 + 1_800) as f64 * 1000.0;
        assert_eq!(today(now, -480.0), day("2027-03-02"));
        assert_eq!(today(now, 300.0), day("2027-03-01"));
        assert_eq!(today(now, 0.0), day("2027-03-01"));
        assert_eq!(midday(day("1970-01-02")), 86_400 + 43_200);
    }
}
