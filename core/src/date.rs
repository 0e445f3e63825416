//! Calendar dates in the one form the product writes and reads, `YYYY-MM-DD`, and Kemerovo's
//! local day and time of an instant.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use crate::id::RecordId;

/// A day of the calendar. Its text form is exactly `YYYY-MM-DD` (ISO 8601), both ways.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(NaiveDate);

impl Date {
    /// The earliest date there is; a fallback, never a real record's date.
    pub const MIN: Date = Date(NaiveDate::MIN);

    /// The latest date there is: checking "not in the future" against it lets every date pass.
    pub const MAX: Date = Date(NaiveDate::MAX);

    /// The date, if `year`-`month`-`day` exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, day).map(Self)
    }

    /// The day (UTC) of a time in Unix milliseconds.
    pub fn from_unix_ms(ms: u64) -> Option<Self> {
        chrono::DateTime::from_timestamp_millis(i64::try_from(ms).ok()?)
            .map(|time| Self(time.date_naive()))
    }

    /// Its first moment in UTC, in Unix milliseconds (0 for a day before 1970).
    pub fn midnight_unix_ms(self) -> u64 {
        let seconds = self
            .0
            .and_time(chrono::NaiveTime::MIN)
            .and_utc()
            .timestamp();
        u64::try_from(seconds.saturating_mul(1000)).unwrap_or(0)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// The month, 1–12.
    pub fn month(self) -> u32 {
        self.0.month()
    }

    /// The day of the month, 1–31.
    pub fn day(self) -> u32 {
        self.0.day()
    }

    /// The next day (the same date at the end of the calendar).
    pub fn next_day(self) -> Self {
        self.plus_days(1)
    }

    /// `days` later (the same date at the end of the calendar).
    pub fn plus_days(self, days: u32) -> Self {
        Self(
            self.0
                .checked_add_days(Days::new(u64::from(days)))
                .unwrap_or(self.0),
        )
    }
}

impl From<NaiveDate> for Date {
    fn from(date: NaiveDate) -> Self {
        Self(date)
    }
}

/// The text is not a `YYYY-MM-DD` date that exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a YYYY-MM-DD date")]
pub struct DateError;

impl FromStr for Date {
    type Err = DateError;

    /// Strict: four-digit year, two-digit month and day, nothing around them. Parsed by hand,
    /// which also keeps chrono's general-purpose parser out of the wasm bundle.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            b.get(range)?.iter().try_fold(0u32, |n, &c| {
                c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
            })
        };
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(DateError);
        }
        match (digits(0..4), digits(5..7), digits(8..10)) {
            (Some(y), Some(m), Some(d)) => i32::try_from(y)
                .ok()
                .and_then(|y| Self::from_ymd(y, m, d))
                .ok_or(DateError),
            _ => Err(DateError),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        )
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse()
            .map_err(|_| de::Error::invalid_value(de::Unexpected::Str(&text), &"a YYYY-MM-DD date"))
    }
}

/// Kemerovo's time: UTC+7 the year round. Every "day" and "time" the product shows or counts
/// (a record's day, a movement's time, a report's period) is Kemerovo's.
const LOCAL_OFFSET_MS: u64 = 7 * 3_600_000;

/// The day in Kemerovo of a Unix time in milliseconds.
pub fn local_date(ms: u64) -> Date {
    Date::from_unix_ms(ms + LOCAL_OFFSET_MS).unwrap_or(Date::MIN)
}

/// The day, hour and minute in Kemerovo of a Unix time in milliseconds.
pub fn local_moment(ms: u64) -> (Date, u32, u32) {
    let shifted = ms + LOCAL_OFFSET_MS;
    let minutes_of_day = (shifted / 60_000) % (24 * 60);
    let (hour, minute) = (minutes_of_day / 60, minutes_of_day % 60);
    // Both are below 60 and 24: they fit.
    (
        local_date(ms),
        u32::try_from(hour).unwrap_or(0),
        u32::try_from(minute).unwrap_or(0),
    )
}

/// The local date and time of a Unix time in milliseconds, `YYYY-MM-DD HH:MM`, for files
/// (a screen writes it as people do: `Strings::date_time`).
pub fn local_time(ms: u64) -> String {
    let (date, hour, minute) = local_moment(ms);
    format!("{date} {hour:02}:{minute:02}")
}

/// The ids of the records made in Kemerovo from the first moment of `from` to the last of
/// `to`: from the first bound, before the second. A record's id begins with the time it was
/// made (UUIDv7), so the ids of a period are a range.
pub fn period_ids(from: Date, to: Date) -> (RecordId, RecordId) {
    let start = |day: Date| day.midnight_unix_ms().saturating_sub(LOCAL_OFFSET_MS);
    (
        RecordId::from_parts(start(from), [0; 10]),
        RecordId::from_parts(start(to.next_day()), [0; 10]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_is_read_in_kemerovo_time() {
        // 2025-03-09 17:05 UTC is 2025-03-10 00:05 in Kemerovo.
        let ms = 1_741_539_900_000;
        let day = Date::from_ymd(2025, 3, 10).expect("a day");
        assert_eq!(local_moment(ms), (day, 0, 5));
        assert_eq!(local_time(ms), "2025-03-10 00:05");
    }
    use proptest::prelude::*;

    #[test]
    fn only_the_exact_form_of_a_real_day_is_read() {
        assert_eq!(
            "2024-02-29"
                .parse::<Date>()
                .map(|d| (d.year(), d.month(), d.day())),
            Ok((2024, 2, 29))
        );
        for bad in [
            "2023-02-29",
            "2024-5-1",
            "24-05-01",
            "2024-05-01 ",
            "+2024-05-01",
            "2024/05/01",
            "",
            "2024-13-01",
        ] {
            assert_eq!(bad.parse::<Date>(), Err(DateError), "{bad:?}");
        }
    }

    #[test]
    fn the_next_day_crosses_months_and_years() {
        assert_eq!(
            Date::from_ymd(2025, 12, 31).map(Date::next_day),
            Date::from_ymd(2026, 1, 1)
        );
    }

    proptest! {
        #[test]
        fn text_round_trips(days in 0u64..200_000) {
            let date = Date(NaiveDate::from_ymd_opt(1500, 1, 1).expect("date") + Days::new(days));
            prop_assert_eq!(date.to_string().parse::<Date>(), Ok(date));
            prop_assert_eq!(serde_json::to_string(&date).expect("json"), format!("\"{date}\""));
        }
    }

    #[test]
    fn a_period_holds_the_movements_of_its_days_in_kemerovo() {
        let day = |d| Date::from_ymd(2025, 3, d).expect("a day");
        let (first, after) = period_ids(day(10), day(11));
        let at = |ms: u64| RecordId::from_parts(ms, [0xff; 10]);
        // 2025-03-10 00:00 in Kemerovo is 2025-03-09 17:00 UTC.
        let start = 1_741_539_600_000;
        assert_eq!(local_time(start), "2025-03-10 00:00");
        assert!(at(start - 1) < first);
        assert!(first <= at(start));
        let end = start + 2 * 86_400_000;
        assert!(at(end - 1) < after);
        assert!(after <= RecordId::from_parts(end, [0; 10]));
    }
}
