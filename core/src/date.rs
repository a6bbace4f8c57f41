//! Calendar dates (UTC, no time of day) for the loyalty rules: when points were earned and
//! expire, birthdays, tier windows, punch-card time limits.
//!
//! Hand-written rather than taken from `chrono` or `time`: the rules only need civil dates
//! and day arithmetic, and this crate is compiled into the widget's wasm bundle, where a
//! date-time crate would cost size for features never used. Days are counted with the
//! proleptic Gregorian calendar, 1970-01-01 being day 0.

use serde::{Deserialize, Serialize};

/// A valid calendar date. Fields are private so an impossible date (2027-02-30) cannot
/// exist; build one with [`Date::new`], [`Date::parse`] or from a day number.
///
/// On the wire it is an ISO 8601 string, `"2027-03-01"`. Dates order chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    // Field order matters: the derived ordering compares year, then month, then day.
    year: i32,
    month: u8,
    day: u8,
}

/// A birthday or another yearly date: month and day without a year. February 29 is
/// allowed; see [`MonthDay::occurrence_in`] for years without it.
///
/// On the wire it is the ISO 8601 form without a year, `"--03-14"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MonthDay {
    month: u8,
    day: u8,
}

/// A string that is not a date in the expected ISO 8601 form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidDate(String);

impl std::fmt::Display for InvalidDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` is not a valid date", self.0)
    }
}

impl std::error::Error for InvalidDate {}

/// Whether `year` has a February 29.
pub fn is_leap_year(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in `month` (1 to 12) of `year`; 0 for a month that does not exist.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

const SECONDS_PER_DAY: i64 = 86_400;
/// Days in a 400-year cycle of the Gregorian calendar.
const DAYS_PER_ERA: i64 = 146_097;
/// Day number of 0000-03-01, the start of the eras counted below, relative to 1970-01-01.
const ERA_START_TO_EPOCH: i64 = 719_468;

/// Day number of a civil date. Years are counted from March so the leap day ends a year,
/// and in 400-year eras so the leap rule repeats exactly.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * DAYS_PER_ERA + day_of_era - ERA_START_TO_EPOCH
}

/// The civil date of a day number, as (year, month, day); the inverse of
/// [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + ERA_START_TO_EPOCH;
    let era = days.div_euclid(DAYS_PER_ERA);
    let day_of_era = days.rem_euclid(DAYS_PER_ERA);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = era * 400 + year_of_era + i64::from(month <= 2);
    (year, month, day)
}

impl Date {
    /// The earliest representable date: January 1 of year `i32::MIN`.
    pub const MIN: Date = Date {
        year: i32::MIN,
        month: 1,
        day: 1,
    };
    /// The latest representable date: December 31 of year `i32::MAX`.
    pub const MAX: Date = Date {
        year: i32::MAX,
        month: 12,
        day: 31,
    };
    /// 1970-01-01, day 0.
    pub const EPOCH: Date = Date {
        year: 1970,
        month: 1,
        day: 1,
    };

    /// The date `year-month-day`, or `None` if that day does not exist.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        (day >= 1 && day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1 to 31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days_since_epoch(self) -> i64 {
        days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        )
    }

    /// The date `days` after 1970-01-01. Day numbers beyond [`Date::MIN`] or
    /// [`Date::MAX`] (billions of years away) saturate there instead of overflowing.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let days = days.clamp(Date::MIN.days_since_epoch(), Date::MAX.days_since_epoch());
        let (year, month, day) = civil_from_days(days);
        // The clamp keeps the year within i32; month and day are 1..=12 and 1..=31 by
        // construction, so these conversions never fall back.
        Date {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// The UTC date of a Unix timestamp in seconds (as the API's timestamps are).
    pub fn from_unix_seconds(seconds: i64) -> Date {
        Date::from_days_since_epoch(seconds.div_euclid(SECONDS_PER_DAY))
    }

    /// The date `days` later (earlier when negative), saturating at [`Date::MIN`] and
    /// [`Date::MAX`].
    pub fn add_days(self, days: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch().saturating_add(days))
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }

    /// The same day `years` later (earlier when negative). February 29 becomes
    /// February 28 in a year without it. The year saturates at the `i32` range.
    pub fn add_years(self, years: i32) -> Date {
        let year = self.year.saturating_add(years);
        Date {
            year,
            month: self.month,
            day: self.day.min(days_in_month(year, self.month)),
        }
    }

    /// December 31 of the same year.
    pub fn end_of_year(self) -> Date {
        Date {
            year: self.year,
            month: 12,
            day: 31,
        }
    }

    /// Reads an ISO 8601 calendar date: `YYYY-MM-DD`, with two-digit month and day. Years
    /// outside 0000 to 9999 carry a sign (`-0001-01-01`, `+10000-01-01`), as
    /// [`Date::to_iso`] writes them.
    pub fn parse(input: &str) -> Option<Date> {
        let (year, rest) = split_year(input)?;
        let (month, day) = parse_month_day(rest.strip_prefix('-')?)?;
        Date::new(year, month, day)
    }

    /// The date as ISO 8601, `YYYY-MM-DD`: four-digit years for 0000 to 9999, signed
    /// otherwise.
    pub fn to_iso(self) -> String {
        let year = match self.year {
            0..=9_999 => format!("{:04}", self.year),
            year if year < 0 => format!("-{:04}", year.unsigned_abs()),
            year => format!("+{year}"),
        };
        format!("{year}-{:02}-{:02}", self.month, self.day)
    }
}

/// Splits a leading year (four digits, or a sign and at least four digits) from the rest.
fn split_year(input: &str) -> Option<(i32, &str)> {
    let (sign, unsigned) = match input.as_bytes().first()? {
        b'-' => (-1, &input[1..]),
        b'+' => (1, &input[1..]),
        _ => (1, input),
    };
    let digits = unsigned.bytes().take_while(u8::is_ascii_digit).count();
    let signed = unsigned.len() != input.len();
    if digits < 4 || (!signed && digits != 4) {
        return None;
    }
    let magnitude: i64 = unsigned[..digits].parse().ok()?;
    let year = i32::try_from(sign * magnitude).ok()?;
    Some((year, &unsigned[digits..]))
}

/// Reads exactly `MM-DD` (two digits each).
fn parse_month_day(input: &str) -> Option<(u8, u8)> {
    let bytes = input.as_bytes();
    let well_formed = bytes.len() == 5
        && bytes[2] == b'-'
        && [0, 1, 3, 4].iter().all(|&i| bytes[i].is_ascii_digit());
    if !well_formed {
        return None;
    }
    Some((input[..2].parse().ok()?, input[3..].parse().ok()?))
}

impl From<Date> for String {
    fn from(date: Date) -> String {
        date.to_iso()
    }
}

impl TryFrom<String> for Date {
    type Error = InvalidDate;

    fn try_from(value: String) -> Result<Date, InvalidDate> {
        Date::parse(&value).ok_or(InvalidDate(value))
    }
}

impl MonthDay {
    /// February 29, the only month-day that some years lack.
    pub const LEAP_DAY: MonthDay = MonthDay { month: 2, day: 29 };

    /// The month-day, or `None` if it exists in no year (February 29 is accepted).
    pub fn new(month: u8, day: u8) -> Option<MonthDay> {
        // 2000 is a leap year, so every day that exists in some year exists in it.
        Date::new(2000, month, day).map(|_| MonthDay { month, day })
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1 to 31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// The date this month-day falls on in `year`: February 29 falls on February 28 in a
    /// year without it.
    pub fn occurrence_in(self, year: i32) -> Date {
        Date {
            year,
            month: self.month,
            day: self.day.min(days_in_month(year, self.month)),
        }
    }

    /// The month-day of a date.
    pub fn of(date: Date) -> MonthDay {
        MonthDay {
            month: date.month,
            day: date.day,
        }
    }

    /// Reads `--MM-DD` (ISO 8601 without a year, as vCard writes birthdays) or plain
    /// `MM-DD`.
    pub fn parse(input: &str) -> Option<MonthDay> {
        let (month, day) = parse_month_day(input.strip_prefix("--").unwrap_or(input))?;
        MonthDay::new(month, day)
    }

    /// The month-day as ISO 8601 without a year, `--MM-DD`.
    pub fn to_iso(self) -> String {
        format!("--{:02}-{:02}", self.month, self.day)
    }
}

impl From<MonthDay> for String {
    fn from(month_day: MonthDay) -> String {
        month_day.to_iso()
    }
}

impl TryFrom<String> for MonthDay {
    type Error = InvalidDate;

    fn try_from(value: String) -> Result<MonthDay, InvalidDate> {
        MonthDay::parse(&value).ok_or(InvalidDate(value))
    }
}

/// A string schema with a format or pattern, for the two date types' custom wire form.
#[cfg(feature = "openapi")]
fn string_schema(
    format: Option<utoipa::openapi::SchemaFormat>,
    pattern: Option<&str>,
    example: &str,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .format(format)
        .pattern(pattern)
        .examples([example])
        .into()
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Date {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::{KnownFormat, SchemaFormat};
        string_schema(
            Some(SchemaFormat::KnownFormat(KnownFormat::Date)),
            None,
            "2027-03-01",
        )
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Date {}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for MonthDay {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        string_schema(None, Some("^--[0-9]{2}-[0-9]{2}$"), "--03-14")
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for MonthDay {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(year: i32, month: u8, day: u8) -> Date {
        Date::new(year, month, day).expect("valid test date")
    }

    #[test]
    fn new_rejects_impossible_days() {
        assert!(Date::new(2027, 2, 28).is_some());
        assert!(Date::new(2027, 2, 29).is_none());
        assert!(Date::new(2028, 2, 29).is_some());
        assert!(Date::new(1900, 2, 29).is_none(), "century, not leap");
        assert!(Date::new(2000, 2, 29).is_some(), "fourth century, leap");
        assert!(Date::new(2027, 4, 31).is_none());
        assert!(Date::new(2027, 13, 1).is_none());
        assert!(Date::new(2027, 0, 1).is_none());
        assert!(Date::new(2027, 1, 0).is_none());
    }

    #[test]
    fn known_day_numbers() {
        assert_eq!(Date::EPOCH.days_since_epoch(), 0);
        assert_eq!(date(1969, 12, 31).days_since_epoch(), -1);
        assert_eq!(date(2000, 3, 1).days_since_epoch(), 11_017);
        assert_eq!(date(2027, 3, 1).days_since_epoch(), 20_878);
        assert_eq!(date(1, 1, 1).days_since_epoch(), -719_162);
        assert_eq!(Date::from_days_since_epoch(20_878), date(2027, 3, 1));
    }

    #[test]
    fn unix_seconds_are_utc_days() {
        assert_eq!(Date::from_unix_seconds(0), Date::EPOCH);
        assert_eq!(Date::from_unix_seconds(86_399), Date::EPOCH);
        assert_eq!(Date::from_unix_seconds(-1), date(1969, 12, 31));
        // 2027-03-01T12:00:00Z
        assert_eq!(Date::from_unix_seconds(1_803_902_400), date(2027, 3, 1));
    }

    #[test]
    fn extreme_day_numbers_saturate() {
        assert_eq!(Date::from_days_since_epoch(i64::MAX), Date::MAX);
        assert_eq!(Date::from_days_since_epoch(i64::MIN), Date::MIN);
        assert_eq!(Date::from_unix_seconds(i64::MIN), Date::MIN);
        assert_eq!(Date::MAX.add_days(1), Date::MAX);
        assert_eq!(Date::MAX.add_years(1), Date::MAX);
    }

    #[test]
    fn adding_days_crosses_months_and_years() {
        assert_eq!(date(2027, 12, 31).add_days(1), date(2028, 1, 1));
        assert_eq!(date(2028, 2, 28).add_days(1), date(2028, 2, 29));
        assert_eq!(date(2027, 2, 28).add_days(1), date(2027, 3, 1));
        assert_eq!(date(2027, 3, 1).add_days(-1), date(2027, 2, 28));
        assert_eq!(date(2027, 1, 1).days_until(date(2028, 1, 1)), 365);
        assert_eq!(date(2028, 1, 1).days_until(date(2029, 1, 1)), 366);
    }

    #[test]
    fn adding_years_keeps_the_day_or_falls_back_to_february_28() {
        assert_eq!(date(2028, 2, 29).add_years(1), date(2029, 2, 28));
        assert_eq!(date(2028, 2, 29).add_years(4), date(2032, 2, 29));
        assert_eq!(date(2027, 3, 1).add_years(-1), date(2026, 3, 1));
        assert_eq!(date(2027, 6, 15).end_of_year(), date(2027, 12, 31));
    }

    #[test]
    fn iso_form_round_trips() {
        assert_eq!(date(2027, 3, 1).to_iso(), "2027-03-01");
        assert_eq!(date(7, 1, 2).to_iso(), "0007-01-02");
        assert_eq!(date(-1, 1, 1).to_iso(), "-0001-01-01");
        assert_eq!(date(12_345, 1, 1).to_iso(), "+12345-01-01");
        assert_eq!(Date::parse("2027-03-01"), Some(date(2027, 3, 1)));
        assert_eq!(Date::parse("-0001-01-01"), Some(date(-1, 1, 1)));
        assert_eq!(Date::parse("+12345-01-01"), Some(date(12_345, 1, 1)));
        for bad in [
            "",
            "2027-3-1",
            "2027-02-30",
            "27-03-01",
            "20270301",
            "2027-03-01T00:00",
            "12345-01-01",
            "2027/03/01",
            "+2027-0a-01",
            " 2027-03-01",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_are_iso_strings_on_the_wire() {
        let json = serde_json::to_string(&date(2027, 3, 1)).expect("serializes");
        assert_eq!(json, "\"2027-03-01\"");
        let back: Date = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, date(2027, 3, 1));
        assert!(serde_json::from_str::<Date>("\"2027-02-30\"").is_err());
        let birthday: MonthDay = serde_json::from_str("\"--02-29\"").expect("leap day");
        assert_eq!(birthday, MonthDay::LEAP_DAY);
        assert_eq!(
            serde_json::to_string(&birthday).expect("serializes"),
            "\"--02-29\""
        );
        assert!(serde_json::from_str::<MonthDay>("\"--02-30\"").is_err());
    }

    #[test]
    fn month_days_allow_the_leap_day_and_map_it_in_common_years() {
        assert_eq!(MonthDay::new(2, 29), Some(MonthDay::LEAP_DAY));
        assert_eq!(MonthDay::new(2, 30), None);
        assert_eq!(MonthDay::new(4, 31), None);
        assert_eq!(MonthDay::LEAP_DAY.occurrence_in(2027), date(2027, 2, 28));
        assert_eq!(MonthDay::LEAP_DAY.occurrence_in(2028), date(2028, 2, 29));
        let birthday = MonthDay::parse("03-14").expect("plain form");
        assert_eq!(birthday.occurrence_in(2027), date(2027, 3, 14));
        assert_eq!(MonthDay::parse("--03-14"), Some(birthday));
        assert_eq!(MonthDay::of(date(2027, 3, 14)), birthday);
        assert_eq!(birthday.to_iso(), "--03-14");
        assert_eq!(MonthDay::parse("--3-14"), None);
    }

    proptest! {
        #[test]
        fn day_numbers_round_trip(days in -1_000_000_000_i64..1_000_000_000) {
            let date = Date::from_days_since_epoch(days);
            prop_assert_eq!(date.days_since_epoch(), days);
            prop_assert!(Date::new(date.year(), date.month(), date.day()).is_some());
        }

        #[test]
        fn consecutive_days_are_consecutive_dates(days in -1_000_000_i64..1_000_000) {
            let today = Date::from_days_since_epoch(days);
            let tomorrow = Date::from_days_since_epoch(days + 1);
            let next_in_month = Date::new(today.year(), today.month(), today.day() + 1);
            let first_of_next_month = if today.month() == 12 {
                Date::new(today.year() + 1, 1, 1)
            } else {
                Date::new(today.year(), today.month() + 1, 1)
            };
            prop_assert_eq!(Some(tomorrow), next_in_month.or(first_of_next_month));
        }

        #[test]
        fn ordering_matches_day_numbers(a in -10_000_000_i64..10_000_000, b in -10_000_000_i64..10_000_000) {
            let (left, right) = (Date::from_days_since_epoch(a), Date::from_days_since_epoch(b));
            prop_assert_eq!(left.cmp(&right), a.cmp(&b));
        }

        #[test]
        fn iso_form_round_trips_for_any_date(days in -5_000_000_i64..5_000_000) {
            let date = Date::from_days_since_epoch(days);
            prop_assert_eq!(Date::parse(&date.to_iso()), Some(date));
        }

        #[test]
        fn adding_years_lands_on_the_same_month(days in -1_000_000_i64..1_000_000, years in -400_i32..400) {
            let date = Date::from_days_since_epoch(days);
            let moved = date.add_years(years);
            prop_assert_eq!(moved.year(), date.year() + years);
            prop_assert_eq!(moved.month(), date.month());
            prop_assert!(moved.day() == date.day() || (date.day() == 29 && moved.day() == 28));
        }
    }
}
