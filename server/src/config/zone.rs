//! The IANA time zone a feature section names (`time_zone = "Asia/Shanghai"`, UTC by
//! default): checked when the config loads, resolved once, and the shop's calendar date
//! at an instant. Subscriptions and referrals each keep their own, so a shop may date
//! deliveries and referral payments in different calendars.

use std::sync::OnceLock;

use comeback_core::date::Date;
use comeback_core::subscription::schedule::local_date;
use jiff::tz::TimeZone;

use super::{invalid, ConfigError};

/// The default `time_zone`.
pub(super) fn default_name() -> String {
    "UTC".into()
}

/// Checks `name` at load and keeps what it resolves to in `cell`; the error names `key`.
pub(super) fn check(cell: &OnceLock<TimeZone>, name: &str, key: String) -> Result<(), ConfigError> {
    let zone = TimeZone::get(name).map_err(|_| {
        invalid(
            key,
            format!(
                "`{}` is not an IANA time zone name (such as `UTC`, `Asia/Shanghai` or `Europe/Berlin`)",
                crate::error::excerpt(name)
            ),
        )
    })?;
    // The first use would resolve it again otherwise; a clone is cheap.
    let _ = cell.set(zone);
    Ok(())
}

/// The zone `name` names, from `cell` once checked (UTC for a name never checked).
pub(super) fn resolved<'a>(cell: &'a OnceLock<TimeZone>, name: &str) -> &'a TimeZone {
    cell.get_or_init(|| TimeZone::get(name).unwrap_or(TimeZone::UTC))
}

/// The calendar date in `zone` at `unix_seconds`.
pub(super) fn date_at(zone: &TimeZone, unix_seconds: i64) -> Date {
    let offset = jiff::Timestamp::from_second(unix_seconds)
        .map(|instant| zone.to_offset(instant).seconds())
        .unwrap_or(0);
    local_date(unix_seconds, offset)
}
