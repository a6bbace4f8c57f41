//! What a paid order's lines do to subscriptions, checked before anything is written
//! (a line the shop's plans cannot take refuses the whole webhook with a 422 naming the
//! line, and nothing is recorded): a line with `subscription` starts one; a line whose
//! `subscription.subscription_id` names one of the customer's subscriptions renews it.

use comeback_core::api::{OrderStatus, OrderWebhook};
use comeback_core::date::Date;
use comeback_core::orders::Interval;

use super::product;
use crate::auth::Shop;
use crate::error::AppError;
use crate::routes::check_id;
use crate::store::SubscriptionLine;
use crate::AppState;

/// The subscription lines of `order`, placed at `placed_at` (Unix seconds): none for a
/// refund, nor for a shop without subscriptions (its lines keep `subscription` as data).
pub async fn lines_of(
    state: &AppState,
    shop: &Shop,
    order: &OrderWebhook,
    placed_at: i64,
) -> Result<Vec<SubscriptionLine>, AppError> {
    let Some(config) = shop.config.subscriptions.as_ref() else {
        return Ok(Vec::new());
    };
    if order.status != OrderStatus::Paid {
        return Ok(Vec::new());
    }
    let first_delivery: Date = config.local_date(placed_at);
    let mut lines = Vec::new();
    for (index, line) in order.lines.iter().enumerate() {
        let Some(subscription) = &line.subscription else {
            continue;
        };
        let at = |name: &str| format!("lines[{index}].subscription.{name}");
        if let Some(id) = &subscription.subscription_id {
            check_id(&at("subscription_id"), id)?;
            let known = state
                .store
                .subscription(&shop.id, id)
                .await?
                .is_some_and(|found| found.customer_id == order.customer_id);
            if !known {
                return Err(AppError::Validation(format!(
                    "`lines[{index}]`: `subscription.subscription_id` names no subscription of customer `{}`: `{}`",
                    crate::error::excerpt(&order.customer_id),
                    crate::error::excerpt(id)
                )));
            }
            lines.push(SubscriptionLine::Renew {
                subscription_id: id.clone(),
            });
            continue;
        }
        let plan = config.plan(&subscription.plan_id).ok_or_else(|| {
            let plans: Vec<&str> = config.plans.iter().map(|plan| plan.id.as_str()).collect();
            AppError::Validation(format!(
                "`{}` names no plan of this shop: `{}` (plans: {})",
                at("plan_id"),
                crate::error::excerpt(&subscription.plan_id),
                if plans.is_empty() {
                    "none".to_owned()
                } else {
                    plans.join(", ")
                }
            ))
        })?;
        if !plan.offers(&subscription.interval) {
            return Err(AppError::Validation(format!(
                "`{}` must be one plan `{}` offers ({}), not `{}`",
                at("interval"),
                plan.id,
                plan.intervals.join(", "),
                crate::error::excerpt(&subscription.interval)
            )));
        }
        let interval = Interval::parse(&subscription.interval).ok_or_else(|| {
            AppError::Internal(format!("plan `{}` offers a bad interval", plan.id))
        })?;
        if !plan.products.contains(&line.product_id) {
            let categories = product(state, &shop.id, &line.product_id)
                .await?
                .map(|product| product.categories)
                .unwrap_or_default();
            if !plan.covers(&line.product_id, &categories) {
                return Err(AppError::Validation(format!(
                    "plan `{}` does not cover product `{}` (`lines[{index}]`): it covers products [{}] and the catalogue categories [{}]; a product covered by category must be in the catalogue",
                    plan.id,
                    crate::error::excerpt(&line.product_id),
                    plan.products.join(", "),
                    plan.categories.join(", ")
                )));
            }
        }
        lines.push(SubscriptionLine::Start {
            line_no: i64::try_from(index).unwrap_or(i64::MAX),
            product_id: line.product_id.clone(),
            quantity: line.quantity,
            plan_id: plan.id.clone(),
            interval,
            first_delivery,
        });
    }
    Ok(lines)
}
