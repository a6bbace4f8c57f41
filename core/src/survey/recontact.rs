//! When a shopper may be asked: one rule the server applies to what it recorded for a
//! signed-in customer and the widget applies to what the browser recorded. A survey is
//! asked once per order or once per customer; "until answered" asks again (after the
//! cooldown) while it is left untouched, "once" never asks again once shown; a
//! dismissed or answered survey is never asked again in its scope; after any contact
//! with any of the shop's surveys, none is asked until the cooldown has passed; and a
//! pop-up never opens while another Comeback dialog is.

use serde::{Deserialize, Serialize};

const DAY: i64 = 86_400;

/// Whom one "ask" covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Per {
    /// Each order may be asked about once.
    #[default]
    Order,
    /// Each customer (or browser, for a guest) is asked once, whatever they order.
    Customer,
}

/// When a scope stops being asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Until {
    /// Asked again after the cooldown until answered or dismissed.
    Answered,
    /// Shown once, whatever the shopper did.
    #[default]
    Once,
}

/// A survey's recontact rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recontact {
    /// Whom one ask covers.
    #[serde(default)]
    pub per: Per,
    /// When its scope stops being asked.
    #[serde(default)]
    pub until: Until,
}

/// What happened when a survey met the shopper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It was on screen.
    Shown,
    /// The shopper closed it without answering.
    Dismissed,
    /// The shopper sent their answers.
    Answered,
}

impl Outcome {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Shown => "shown",
            Outcome::Dismissed => "dismissed",
            Outcome::Answered => "answered",
        }
    }

    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<Outcome> {
        [Outcome::Shown, Outcome::Dismissed, Outcome::Answered]
            .into_iter()
            .find(|o| o.as_str() == name)
    }
}

/// One recorded meeting of a survey and a shopper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// The survey's id (any version: a new version is still the same survey to the
    /// shopper).
    pub survey: String,
    /// The order it was about, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// What happened.
    pub outcome: Outcome,
    /// Unix seconds.
    pub at: i64,
}

/// Why a survey is not asked now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum NotDue {
    /// Its scope already answered it.
    Answered,
    /// Its scope dismissed it; a dismissed survey stays dismissed.
    Dismissed,
    /// It is asked once and was shown.
    Shown,
    /// Another contact with the shop's surveys was too recent.
    Cooldown {
        /// Unix seconds from which a survey may be asked again.
        until: i64,
    },
    /// Asked per order, but no order is known.
    NoOrder,
    /// Another Comeback dialog is open; a pop-up waits.
    DialogOpen,
    /// No survey of the asked trigger applies now (no order old enough, or none
    /// configured).
    NothingToAsk,
}

/// What [`due`] decides about.
#[derive(Debug, Clone, Copy)]
pub struct Ask<'a> {
    /// The survey's id.
    pub survey: &'a str,
    /// Its rule.
    pub recontact: Recontact,
    /// The shop's cooldown across all surveys, in days.
    pub cooldown_days: u32,
    /// The order the survey would be about.
    pub order_id: Option<&'a str>,
    /// Whether the survey would open over the page (pop-up, side tab opened by itself)
    /// while another Comeback dialog is open.
    pub dialog_open: bool,
    /// Unix seconds.
    pub now: i64,
}

/// Whether `ask` may be put to a shopper whose recorded contacts are `history` (all
/// surveys of the shop, any order).
pub fn due(ask: Ask<'_>, history: &[Contact]) -> Result<(), NotDue> {
    if ask.recontact.per == Per::Order && ask.order_id.is_none() {
        return Err(NotDue::NoOrder);
    }
    let in_scope = |c: &&Contact| {
        c.survey == ask.survey
            && (ask.recontact.per == Per::Customer || c.order_id.as_deref() == ask.order_id)
    };
    let scope: Vec<&Contact> = history.iter().filter(in_scope).collect();
    if scope.iter().any(|c| c.outcome == Outcome::Answered) {
        return Err(NotDue::Answered);
    }
    if scope.iter().any(|c| c.outcome == Outcome::Dismissed) {
        return Err(NotDue::Dismissed);
    }
    if ask.recontact.until == Until::Once && scope.iter().any(|c| c.outcome == Outcome::Shown) {
        return Err(NotDue::Shown);
    }
    if let Some(last) = history.iter().map(|c| c.at).max() {
        let until = last.saturating_add(i64::from(ask.cooldown_days).saturating_mul(DAY));
        if ask.now < until {
            return Err(NotDue::Cooldown { until });
        }
    }
    if ask.dialog_open {
        return Err(NotDue::DialogOpen);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn ask(per: Per, until: Until, order: Option<&str>) -> Ask<'_> {
        Ask {
            survey: "nps",
            recontact: Recontact { per, until },
            cooldown_days: 14,
            order_id: order,
            dialog_open: false,
            now: NOW,
        }
    }

    fn contact(survey: &str, order: Option<&str>, outcome: Outcome, days_ago: i64) -> Contact {
        Contact {
            survey: survey.into(),
            order_id: order.map(Into::into),
            outcome,
            at: NOW - days_ago * DAY,
        }
    }

    #[test]
    fn a_new_shopper_is_asked() {
        assert_eq!(due(ask(Per::Order, Until::Once, Some("1001")), &[]), Ok(()));
        assert_eq!(due(ask(Per::Customer, Until::Answered, None), &[]), Ok(()));
        assert_eq!(
            due(ask(Per::Order, Until::Once, None), &[]),
            Err(NotDue::NoOrder)
        );
    }

    #[test]
    fn per_order_asks_each_order_once_after_the_cooldown() {
        let history = [contact("nps", Some("1001"), Outcome::Answered, 20)];
        assert_eq!(
            due(ask(Per::Order, Until::Once, Some("1001")), &history),
            Err(NotDue::Answered)
        );
        assert_eq!(
            due(ask(Per::Order, Until::Once, Some("1002")), &history),
            Ok(())
        );
        let recent = [contact("nps", Some("1001"), Outcome::Answered, 3)];
        assert_eq!(
            due(ask(Per::Order, Until::Once, Some("1002")), &recent),
            Err(NotDue::Cooldown {
                until: NOW + 11 * DAY
            })
        );
        // Per customer, another order changes nothing.
        assert_eq!(
            due(ask(Per::Customer, Until::Once, Some("1002")), &history),
            Err(NotDue::Answered)
        );
    }

    #[test]
    fn a_dismissed_survey_stays_dismissed() {
        let history = [contact("nps", Some("1001"), Outcome::Dismissed, 400)];
        for until in [Until::Once, Until::Answered] {
            assert_eq!(
                due(ask(Per::Order, until, Some("1001")), &history),
                Err(NotDue::Dismissed)
            );
        }
    }

    #[test]
    fn until_answered_asks_again_after_the_cooldown_and_once_does_not() {
        let history = [contact("nps", None, Outcome::Shown, 15)];
        assert_eq!(
            due(ask(Per::Customer, Until::Answered, None), &history),
            Ok(())
        );
        assert_eq!(
            due(ask(Per::Customer, Until::Once, None), &history),
            Err(NotDue::Shown)
        );
        let yesterday = [contact("nps", None, Outcome::Shown, 1)];
        assert!(matches!(
            due(ask(Per::Customer, Until::Answered, None), &yesterday),
            Err(NotDue::Cooldown { .. })
        ));
    }

    #[test]
    fn the_cooldown_spans_every_survey() {
        let history = [contact("delivery-csat", Some("9"), Outcome::Dismissed, 2)];
        assert!(matches!(
            due(ask(Per::Order, Until::Once, Some("1001")), &history),
            Err(NotDue::Cooldown { .. })
        ));
        let mut no_cooldown = ask(Per::Order, Until::Once, Some("1001"));
        no_cooldown.cooldown_days = 0;
        assert_eq!(due(no_cooldown, &history), Ok(()));
    }

    #[test]
    fn a_pop_up_waits_for_another_dialog() {
        let mut popup = ask(Per::Order, Until::Once, Some("1001"));
        popup.dialog_open = true;
        assert_eq!(due(popup, &[]), Err(NotDue::DialogOpen));
    }

    #[test]
    fn reasons_travel_tagged() {
        let json = serde_json::to_string(&NotDue::Cooldown { until: 5 }).unwrap();
        assert_eq!(json, r#"{"reason":"cooldown","until":5}"#);
        assert_eq!(
            serde_json::to_string(&NotDue::Dismissed).unwrap(),
            r#"{"reason":"dismissed"}"#
        );
        let rule: Recontact = serde_json::from_str("{}").unwrap();
        assert_eq!(
            rule,
            Recontact {
                per: Per::Order,
                until: Until::Once
            }
        );
    }
}
