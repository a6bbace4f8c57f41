//! Whether a survey is due now, for the trigger the page names: the order-complete page
//! (the named survey, or the shop's first of that trigger, about the page's order), a
//! number of days after the signed-in customer's order (the first configured survey
//! whose window holds one of their kept orders and whose recontact rule allows it), or
//! a tracked event. For a signed-in shopper the rule reads what the server recorded
//! (shown, dismissed, answered on any device); a guest's history is the browser's, so
//! the widget applies the same rule again.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use comeback_core::error::ErrorBody;
use comeback_core::survey::recontact::due as recontact_due;
use comeback_core::survey::{Ask, Contact, NotDue, SurveyDue, Trigger};
use serde::Deserialize;
use utoipa::IntoParams;

use super::responses::{optional_customer, short_id, MAX_ORDER_ID};
use super::{has_surveys, locale_of, survey_of, view_of};
use crate::auth::{Customer, Shop};
use crate::config::surveys::{SurveyConfig, ORDER_WINDOW_DAYS};
use crate::error::AppError;
use crate::routes::ApiQuery;
use crate::AppState;

const DAY: i64 = 86_400;

/// `?trigger=&survey=&order=&event=&locale=`.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct DueQuery {
    /// `order_complete` (or `order-complete`), `days_after_order` or `event`; when
    /// absent, `order_complete` with an `order` and `days_after_order` without.
    pub trigger: Option<String>,
    /// The survey the page names (optional; narrows the choice).
    pub survey: Option<String>,
    /// The order of the order-complete page.
    pub order: Option<String>,
    /// The tracked event's name (`trigger=event`).
    pub event: Option<String>,
    /// The locale of the survey's texts (`zh-TW` reads as `zh-Hant`); English when
    /// absent or not shipped.
    pub locale: Option<String>,
}

/// `GET /v1/shops/{shop}/surveys/due`: the survey to ask now, with the order it is
/// about, or why none is asked.
#[utoipa::path(get, path = "/v1/shops/{shop}/surveys/due", tag = "surveys",
    params(("shop" = String, Path, description = "Shop id"), DueQuery),
    security((), ("customer_token" = [])),
    responses(
        (status = 200, description = "The survey due, or `not_due` with the reason", body = SurveyDue),
        (status = 401, description = "A token was sent and is not valid, or `days_after_order` without one", body = ErrorBody),
        (status = 404, description = "No such shop, no surveys, or `survey` names none", body = ErrorBody),
        (status = 422, description = "`trigger` is not a trigger, or `order` is out of bounds", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn due(
    State(state): State<AppState>,
    shop: Shop,
    headers: HeaderMap,
    customer: Result<Customer, AppError>,
    ApiQuery(query): ApiQuery<DueQuery>,
) -> Result<Json<SurveyDue>, AppError> {
    has_surveys(&shop)?;
    let customer = optional_customer(&headers, customer)?;
    let trigger = match query.trigger.as_deref() {
        Some(name) => Trigger::parse(name).ok_or_else(|| {
            AppError::Validation(format!(
                "`trigger`: `{}` is not `order_complete`, `days_after_order` or `event`",
                crate::error::excerpt(name)
            ))
        })?,
        None if query.order.is_some() => Trigger::OrderComplete,
        None => Trigger::DaysAfterOrder,
    };
    if let Some(order) = &query.order {
        short_id("order", order, MAX_ORDER_ID)?;
    }
    let named = query
        .survey
        .as_deref()
        .map(|id| survey_of(&shop, id))
        .transpose()?;
    let history = match &customer {
        Some(customer) => state.store.survey_history(&shop.id, customer).await?,
        None => Vec::new(),
    };
    let now = state.clock.now();
    let judge = Judge {
        shop: &shop,
        history: &history,
        now,
    };
    let locale = locale_of(query.locale.as_deref());
    let candidates = shop
        .config
        .surveys
        .iter()
        .filter(|s| s.trigger == trigger && named.is_none_or(|n| n.id == s.id));
    let decided = match trigger {
        Trigger::OrderComplete => candidates
            .into_iter()
            .next()
            .map(|survey| (survey, query.order.clone())),
        Trigger::Event => {
            let event = query.event.as_deref();
            candidates
                .into_iter()
                .find(|s| event.is_some() && s.event.as_deref() == event)
                .map(|survey| (survey, query.order.clone()))
        }
        Trigger::DaysAfterOrder => {
            let customer = customer.as_deref().ok_or_else(|| {
                AppError::unauthorized(
                    "a survey some days after an order is for a signed-in customer: send their token",
                )
            })?;
            let mut first_refusal = None;
            for survey in candidates {
                let days = i64::from(survey.days_after_order.unwrap_or(0));
                let (from, to) = (
                    now - (days + i64::from(ORDER_WINDOW_DAYS)) * DAY,
                    now - days * DAY,
                );
                let Some(order) = state
                    .store
                    .newest_kept_order(&shop.id, customer, from, to)
                    .await?
                else {
                    continue;
                };
                match judge.ask(survey, Some(&order)) {
                    Ok(()) => {
                        return Ok(Json(SurveyDue {
                            survey: Some(view_of(&shop, survey, locale)),
                            order_id: Some(order),
                            not_due: None,
                        }))
                    }
                    Err(reason) => {
                        first_refusal.get_or_insert(reason);
                    }
                }
            }
            return Ok(Json(not_due(first_refusal.unwrap_or(NotDue::NothingToAsk))));
        }
    };
    let Some((survey, order)) = decided else {
        return Ok(Json(not_due(NotDue::NothingToAsk)));
    };
    Ok(Json(match judge.ask(survey, order.as_deref()) {
        Ok(()) => SurveyDue {
            survey: Some(view_of(&shop, survey, locale)),
            order_id: order,
            not_due: None,
        },
        Err(reason) => not_due(reason),
    }))
}

/// The recontact rule applied to one shopper's history.
struct Judge<'a> {
    shop: &'a Shop,
    history: &'a [Contact],
    now: i64,
}

impl Judge<'_> {
    fn ask(&self, survey: &SurveyConfig, order: Option<&str>) -> Result<(), NotDue> {
        recontact_due(
            Ask {
                survey: &survey.id,
                recontact: survey.recontact,
                cooldown_days: self.shop.config.survey_cadence.cooldown_days,
                order_id: order,
                // Another dialog on the page is the browser's to know.
                dialog_open: false,
                now: self.now,
            },
            self.history,
        )
    }
}

fn not_due(reason: NotDue) -> SurveyDue {
    SurveyDue {
        survey: None,
        order_id: None,
        not_due: Some(reason),
    }
}
