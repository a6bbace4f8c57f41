//! The dashboard's customer segments (`comeback_core::rfm`): their sizes, a segment's
//! customers with what to recommend to them, and the segment as a CSV or Excel file.

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::Json;
use comeback_core::dashboard::{
    CustomerHit, NamedCount, Segment, SegmentMember, SegmentPage, SegmentSizes,
};
use comeback_core::date::Date;
use comeback_core::error::ErrorBody;
use comeback_core::recommend::Kind;
use comeback_core::rfm::{due_within, segments, Purchases};
use comeback_core::Locale;
use comeback_recs::Request;
use serde::Deserialize;
use utoipa::IntoParams;

use super::dashboard_export::{self, Cell};
use super::{ApiPath, ApiQuery};
use crate::auth::{Shop, Staff};
use crate::error::AppError;
use crate::features::recommendations::models::ShopModel;
use crate::store::SegmentCustomer;
use crate::AppState;

/// Days the `due-to-buy-again` segment looks ahead when `days` is not given.
pub const DEFAULT_DUE_DAYS: i64 = 14;

/// Most days the `due-to-buy-again` segment may look ahead.
pub const MAX_DUE_DAYS: i64 = 365;

/// Customers per segment page when `limit` is not given.
pub const DEFAULT_PAGE_LIMIT: usize = 100;

/// Most customers per segment page.
pub const MAX_PAGE_LIMIT: usize = 1000;

/// Most customers in an export.
pub const MAX_EXPORT_ROWS: usize = 50_000;

/// Products recommended per customer.
const RECOMMENDED: usize = 3;

/// Seconds in a day.
const DAY: i64 = 86_400;

/// The export's columns, in order.
pub const EXPORT_COLUMNS: [&str; 15] = [
    "customer_id",
    "email",
    "name",
    "orders",
    "spent",
    "currency",
    "last_order_at",
    "days_since_last_order",
    "due_on",
    "recommended_1",
    "recommended_2",
    "recommended_3",
    "recommended_1_title",
    "recommended_2_title",
    "recommended_3_title",
];

/// Query of the segment sizes.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SizesQuery {
    /// Days `due-to-buy-again` looks ahead, 1-365 (default 14).
    days: Option<i64>,
}

/// Query of a segment page.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    /// Days `due-to-buy-again` looks ahead, 1-365 (default 14).
    days: Option<i64>,
    /// Most customers, 1-1000 (default 100).
    limit: Option<usize>,
}

/// Query of a segment export.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ExportQuery {
    /// `csv` (default) or `xlsx`.
    format: Option<String>,
    /// Days `due-to-buy-again` looks ahead, 1-365 (default 14).
    days: Option<i64>,
}

/// Path of one segment.
#[derive(Debug, Deserialize)]
pub struct SegmentPath {
    /// `champions`, `at-risk`, `lost`, `new` or `due-to-buy-again`.
    segment: String,
}

/// The asked look-ahead, checked.
fn due_days(days: Option<i64>) -> Result<i64, AppError> {
    let days = days.unwrap_or(DEFAULT_DUE_DAYS);
    if !(1..=MAX_DUE_DAYS).contains(&days) {
        return Err(AppError::Validation(format!(
            "`days` must be 1 to {MAX_DUE_DAYS}"
        )));
    }
    Ok(days)
}

/// The segment a path names, or 404.
fn segment_named(name: &str) -> Result<Segment, AppError> {
    Segment::parse(name).ok_or_else(|| {
        AppError::not_found(format!(
            "there is no segment `{}`; the segments are {}",
            crate::error::excerpt(name),
            Segment::ALL.map(Segment::as_str).join(", ")
        ))
    })
}

/// A customer sorted into the segments: their RFM segment (if any) and, when due to
/// buy again, the day (days since the epoch).
struct Sorted<'a> {
    customer: &'a SegmentCustomer,
    rfm: Option<Segment>,
    due: Option<i64>,
    days_since_last_order: i64,
}

impl Sorted<'_> {
    fn is_in(&self, segment: Segment) -> bool {
        match segment {
            Segment::DueToBuyAgain => self.due.is_some(),
            rfm => self.rfm == Some(rfm),
        }
    }
}

/// Sorts every customer with paid orders into the segments, as of `now`.
fn sort(customers: &[SegmentCustomer], now: i64, days: i64) -> Vec<Sorted<'_>> {
    let today = now.div_euclid(DAY);
    let order_days: Vec<Vec<i64>> = customers
        .iter()
        .map(|c| c.order_times.iter().map(|at| at.div_euclid(DAY)).collect())
        .collect();
    let purchases: Vec<Purchases> = customers
        .iter()
        .zip(&order_days)
        .map(|(customer, days)| Purchases {
            days_since_last_order: days.iter().max().map_or(0, |last| (today - last).max(0)),
            orders: customer.hit.orders,
            spent: customer.hit.spent,
        })
        .collect();
    segments(&purchases)
        .into_iter()
        .zip(customers)
        .zip(order_days.iter().zip(&purchases))
        .map(|((rfm, customer), (days_of, purchases))| Sorted {
            customer,
            rfm,
            due: due_within(days_of, today, days),
            days_since_last_order: purchases.days_since_last_order,
        })
        .collect()
}

/// The segment's members, most valuable first (spent, then orders), at most `limit`,
/// with the products recommended to each when the shop runs recommendations.
async fn members(
    state: &AppState,
    shop: &Shop,
    segment: Segment,
    days: i64,
    limit: usize,
) -> Result<Vec<SegmentMember>, AppError> {
    let now = state.clock.now();
    let customers = state.store.segment_customers(&shop.id).await?;
    let mut chosen: Vec<Sorted<'_>> = sort(&customers, now, days)
        .into_iter()
        .filter(|sorted| sorted.is_in(segment))
        .collect();
    chosen.sort_by(|a, b| {
        let (a, b) = (&a.customer.hit, &b.customer.hit);
        b.spent
            .cmp(&a.spent)
            .then(b.orders.cmp(&a.orders))
            .then_with(|| a.customer_id.cmp(&b.customer_id))
    });
    chosen.truncate(limit);
    let ids: Vec<&str> = chosen
        .iter()
        .map(|sorted| sorted.customer.hit.customer_id.as_str())
        .collect();
    let kind = match segment {
        Segment::DueToBuyAgain => Kind::BuyAgain,
        _ => Kind::ForYou,
    };
    let recommended = recommendations(state, shop, kind, &ids, now).await?;
    Ok(chosen
        .into_iter()
        .zip(recommended)
        .map(|(sorted, recommended)| {
            let (ids, titles) = recommended.into_iter().unzip();
            SegmentMember {
                customer: sorted.customer.hit.clone(),
                days_since_last_order: sorted.days_since_last_order,
                due_on: sorted
                    .due
                    .map(|day| Date::from_days_since_epoch(day).to_iso()),
                recommended: ids,
                recommended_titles: titles,
            }
        })
        .collect())
}

/// For each customer, up to three in-stock products of the shop's model (the list
/// of `kind` the widget shows them) with their English titles; empty lists when the
/// shop runs no recommendations. An export asks for thousands of customers, so the
/// lists are made on a blocking thread.
async fn recommendations(
    state: &AppState,
    shop: &Shop,
    kind: Kind,
    customers: &[&str],
    now: i64,
) -> Result<Vec<Vec<(String, String)>>, AppError> {
    let Some(config) = &shop.config.recommendations else {
        return Ok(vec![Vec::new(); customers.len()]);
    };
    let model = state
        .recommenders
        .model(&state.store, &shop.id, config, now)
        .await?;
    let exclude = config.exclude.clone();
    let customers: Vec<String> = customers.iter().map(|id| (*id).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        let exclude: Vec<&str> = exclude.iter().map(String::as_str).collect();
        customers
            .iter()
            .map(|customer| recommended_to(&model, kind, customer, &exclude, now))
            .collect()
    })
    .await
    .map_err(|error| AppError::Internal(format!("recommending to a segment stopped: {error}")))
}

/// Up to three in-stock products of `kind` for one customer, with their English
/// titles.
fn recommended_to(
    model: &ShopModel,
    kind: Kind,
    customer: &str,
    exclude: &[&str],
    now: i64,
) -> Vec<(String, String)> {
    let picks = model.read(|model| {
        model.recommend(&Request {
            kind,
            customer: Some(customer),
            product: None,
            exclude,
            limit: RECOMMENDED * 2 + 8,
            now,
        })
    });
    model.catalogue(|catalogue| {
        picks
            .iter()
            .filter_map(|pick| catalogue.get(&pick.product))
            .filter(|product| product.in_stock)
            .map(|product| {
                let title = product.title.get(Locale::En).to_owned();
                (product.product_id.clone(), title)
            })
            .take(RECOMMENDED)
            .collect()
    })
}

/// `GET /v1/shops/{shop}/admin/segments?days=14`: how many customers each segment
/// holds.
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/segments", tag = "admin",
    params(("shop" = String, Path, description = "Shop id"), SizesQuery),
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "Customers per segment", body = SegmentSizes),
        (status = 400, description = "`days` is not a number", body = ErrorBody),
        (status = 401, description = "Missing or wrong secret key", body = ErrorBody),
        (status = 404, description = "No such shop", body = ErrorBody),
        (status = 422, description = "`days` not 1-365", body = ErrorBody),
    ))]
pub async fn sizes(
    State(state): State<AppState>,
    staff: Staff,
    ApiQuery(query): ApiQuery<SizesQuery>,
) -> Result<Json<SegmentSizes>, AppError> {
    let days = due_days(query.days)?;
    let customers = state.store.segment_customers(&staff.shop.id).await?;
    let sorted = sort(&customers, state.clock.now(), days);
    let segments = Segment::ALL
        .into_iter()
        .map(|segment| NamedCount {
            name: segment.as_str().to_owned(),
            count: sorted.iter().filter(|s| s.is_in(segment)).count() as i64,
        })
        .collect();
    Ok(Json(SegmentSizes {
        segments,
        due_within_days: days,
    }))
}

/// `GET /v1/shops/{shop}/admin/segments/{segment}?days=14&limit=`: the segment's
/// customers, most valuable first, with up to three recommended products each.
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/segments/{segment}", tag = "admin",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("segment" = String, Path, description = "champions, at-risk, lost, new or due-to-buy-again"),
        PageQuery,
    ),
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "The segment's customers", body = SegmentPage),
        (status = 400, description = "A parameter is not a number", body = ErrorBody),
        (status = 401, description = "Missing or wrong secret key", body = ErrorBody),
        (status = 404, description = "No such shop or segment", body = ErrorBody),
        (status = 422, description = "`days` not 1-365 or `limit` not 1-1000", body = ErrorBody),
    ))]
pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SegmentPath>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<SegmentPage>, AppError> {
    let segment = segment_named(&path.segment)?;
    let days = due_days(query.days)?;
    let limit = query.limit.unwrap_or(DEFAULT_PAGE_LIMIT);
    if !(1..=MAX_PAGE_LIMIT).contains(&limit) {
        return Err(AppError::Validation(format!(
            "`limit` must be 1 to {MAX_PAGE_LIMIT}"
        )));
    }
    let customers = members(&state, &staff.shop, segment, days, limit).await?;
    Ok(Json(SegmentPage { segment, customers }))
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Xlsx,
}

impl Format {
    fn parse(name: Option<&str>) -> Result<Format, AppError> {
        match name.unwrap_or("csv") {
            "csv" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            _ => Err(AppError::Validation(
                "`format` must be `csv` or `xlsx`".into(),
            )),
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// `GET /v1/shops/{shop}/admin/segments/{segment}/export?format=csv|xlsx&days=14`: the
/// segment's customers (at most 50 000) as a file.
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/segments/{segment}/export", tag = "admin",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("segment" = String, Path, description = "champions, at-risk, lost, new or due-to-buy-again"),
        ExportQuery,
    ),
    security(("shop_key" = []), ("staff_session" = [])),
    responses(
        (status = 200, description = "An attachment `<shop>-<segment>-<YYYY-MM-DD>.<format>` with the columns customer_id, email, name, orders, spent, currency, last_order_at, days_since_last_order, due_on, recommended_1, recommended_2, recommended_3, recommended_1_title, recommended_2_title, recommended_3_title", content_type = "text/csv"),
        (status = 400, description = "`days` is not a number", body = ErrorBody),
        (status = 401, description = "Missing or wrong secret key", body = ErrorBody),
        (status = 404, description = "No such shop or segment", body = ErrorBody),
        (status = 422, description = "`days` not 1-365 or an unknown format", body = ErrorBody),
    ))]
pub async fn export(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SegmentPath>,
    ApiQuery(query): ApiQuery<ExportQuery>,
) -> Result<Response, AppError> {
    let segment = segment_named(&path.segment)?;
    let days = due_days(query.days)?;
    let format = Format::parse(query.format.as_deref())?;
    let members = members(&state, &staff.shop, segment, days, MAX_EXPORT_ROWS).await?;
    let rows: Vec<[Cell; 15]> = members.iter().map(row_of).collect();
    let body = match format {
        Format::Csv => dashboard_export::csv(&EXPORT_COLUMNS, &rows)?,
        Format::Xlsx => dashboard_export::xlsx(segment.as_str(), &EXPORT_COLUMNS, &rows)?,
    };
    let today = Date::from_unix_seconds(state.clock.now()).to_iso();
    let shop_id: String = staff
        .shop
        .id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    let filename = format!(
        "{shop_id}-{}-{today}.{}",
        segment.as_str(),
        format.extension()
    );
    Ok((
        [
            (CONTENT_TYPE, format.content_type().to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

/// A member as a row of [`EXPORT_COLUMNS`].
fn row_of(member: &SegmentMember) -> [Cell; 15] {
    let CustomerHit {
        customer_id,
        email,
        name,
        orders,
        spent,
        currency,
        last_order_at,
        ..
    } = &member.customer;
    let text = |value: Option<&String>| Cell::Text(value.cloned().unwrap_or_default());
    let recommended = |at: usize| text(member.recommended.get(at));
    let title = |at: usize| text(member.recommended_titles.get(at));
    [
        Cell::Text(customer_id.clone()),
        text(email.as_ref()),
        text(name.as_ref()),
        Cell::Number(*orders),
        Cell::Number(*spent),
        text(currency.as_ref()),
        Cell::Text(
            last_order_at
                .map(|at| Date::from_unix_seconds(at).to_iso())
                .unwrap_or_default(),
        ),
        Cell::Number(member.days_since_last_order),
        text(member.due_on.as_ref()),
        recommended(0),
        recommended(1),
        recommended(2),
        title(0),
        title(1),
        title(2),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_aheads_and_segment_names_are_checked() {
        assert_eq!(due_days(None).unwrap(), 14);
        assert_eq!(due_days(Some(365)).unwrap(), 365);
        assert!(due_days(Some(0)).is_err());
        assert!(due_days(Some(366)).is_err());
        assert_eq!(segment_named("at-risk").unwrap(), Segment::AtRisk);
        assert!(segment_named("vip").is_err());
        assert_eq!(Format::parse(None).unwrap(), Format::Csv);
        assert_eq!(Format::parse(Some("xlsx")).unwrap(), Format::Xlsx);
        assert!(Format::parse(Some("pdf")).is_err());
    }
}
