//! Civil (proleptic Gregorian) dates and UTC timestamps, without a date library.
//!
//! Day arithmetic uses Howard Hinnant's `days_from_civil` / `civil_from_days`
//! (<https://howardhinnant.github.io/date_algorithms.html>).

use std::time::{SystemTime, UNIX_EPOCH};

/// A calendar date. Field order makes the derived `Ord` chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// The date, if `day` exists in `month` of `year` (leap years included).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        ((1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day))
            .then_some(Date { year, month, day })
    }

    /// Reads exactly eight ASCII digits `YYYYMMDD`, e.g. `20240229`.
    pub fn parse_yyyymmdd(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 8 || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let num = |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
        Date::new(num(0..4) as i32, num(4..6) as u8, num(6..8) as u8)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_unix_days(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01, saturating at the ends of the `i32` year range.
    pub fn from_unix_days(days: i64) -> Date {
        let (year, month, day) = civil_from_days(days);
        match i32::try_from(year) {
            Ok(year) => Date { year, month, day },
            Err(_) if year < 0 => Date { year: i32::MIN, month: 1, day: 1 },
            Err(_) => Date { year: i32::MAX, month: 12, day: 31 },
        }
    }

    /// Today's date in UTC, from the system clock.
    pub fn today_utc() -> Date {
        Date::from_unix_days(unix_now().div_euclid(86_400))
    }

    /// Days from `self` to `other`: positive when `other` is later.
    pub fn days_until(self, other: Date) -> i64 {
        other.to_unix_days() - self.to_unix_days()
    }
}

/// `YYYY-MM-DD`.
impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// An RFC 3339 UTC timestamp for seconds since the Unix epoch, e.g. `2026-11-28T12:43:55Z`.
pub fn rfc3339_utc(unix_secs: i64) -> String {
    let (year, month, day) = civil_from_days(unix_secs.div_euclid(86_400));
    let secs = unix_secs.rem_euclid(86_400);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs / 60 % 60, secs % 60)
}

/// Reads exactly the form [`rfc3339_utc`] writes, `YYYY-MM-DDTHH:MM:SSZ`, as seconds since the
/// Unix epoch; `None` for anything else (another offset, fractions, a date that does not exist).
pub fn parse_rfc3339_utc(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let shape = b.len() == 20 && b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[13] == b':' && b[16] == b':' && b[19] == b'Z';
    let digits = [0..4, 5..7, 8..10, 11..13, 14..16, 17..19];
    if !shape || !digits.iter().all(|r| b[r.clone()].iter().all(u8::is_ascii_digit)) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| b[r].iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
    let date = Date::new(num(0..4) as i32, num(5..7) as u8, num(8..10) as u8)?;
    let (hour, minute, second) = (num(11..13), num(14..16), num(17..19));
    (hour < 24 && minute < 60 && second < 60).then(|| date.to_unix_days() * 86_400 + hour * 3600 + minute * 60 + second)
}

fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `(year, month, day)` of a day count; `i128` so no `i64` input overflows.
fn civil_from_days(days: i64) -> (i128, u8, u8) {
    let z = i128::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    (yoe + era * 400 + i128::from(month <= 2), month, day)
}

/// Seconds since the epoch, negative if the clock is set before 1970.
pub fn unix_now() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_reads_back_what_it_writes() {
        for secs in [0, 1_795_824_000, 1_795_910_399, 951_782_400, -86_400, 253_402_300_799] {
            assert_eq!(parse_rfc3339_utc(&rfc3339_utc(secs)), Some(secs), "{}", rfc3339_utc(secs));
        }
        for bad in ["2026-02-29T00:00:00Z", "2026-11-30T24:00:00Z", "2026-11-30T12:60:00Z", "2026-11-30 12:00:00Z",
            "2026-11-30T12:00:00+08:00", "2026-11-30T12:00:00.5Z", "2026-11-30T12:00:00z", "２026-11-30T12:00:00Z", ""] {
            assert_eq!(parse_rfc3339_utc(bad), None, "{bad}");
        }
    }

    #[test]
    fn leap_years() {
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(2024, 4, 31).is_none());
        assert!(Date::new(2024, 12, 31).is_some());
        assert!(Date::new(2024, 13, 1).is_none());
        assert!(Date::new(2024, 0, 1).is_none());
        assert!(Date::new(2024, 1, 0).is_none());
    }

    #[test]
    fn parse() {
        assert_eq!(Date::parse_yyyymmdd("20240229"), Date::new(2024, 2, 29));
        for bad in ["20230229", "2024022", "202402290", "2024-2-9", "２０２４０２２９", "", "+2024022"] {
            assert_eq!(Date::parse_yyyymmdd(bad), None, "{bad}");
        }
    }

    #[test]
    fn epoch_and_known_days() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().to_unix_days(), 0);
        assert_eq!(Date::from_unix_days(0), Date::new(1970, 1, 1).unwrap());
        assert_eq!(Date::new(2000, 3, 1).unwrap().to_unix_days(), 11_017);
        assert_eq!(Date::new(1969, 12, 31).unwrap().to_unix_days(), -1);
        assert_eq!(Date::new(1900, 1, 1).unwrap().to_unix_days(), -25_567);
        let (a, b) = (Date::new(2024, 2, 28).unwrap(), Date::new(2024, 3, 1).unwrap());
        assert_eq!(a.days_until(b), 2);
        assert_eq!(b.days_until(a), -2);
    }

    #[test]
    fn round_trip() {
        let mut previous = Date::from_unix_days(-800_000);
        for days in -800_000..800_000 {
            let date = Date::from_unix_days(days);
            assert_eq!(Some(date), Date::new(date.year, date.month, date.day));
            assert_eq!(date.to_unix_days(), days);
            assert!(days == -800_000 || previous < date);
            previous = date;
        }
    }

    #[test]
    fn extremes_saturate() {
        assert_eq!(Date::from_unix_days(i64::MAX), Date { year: i32::MAX, month: 12, day: 31 });
        assert_eq!(Date::from_unix_days(i64::MIN), Date { year: i32::MIN, month: 1, day: 1 });
        let max = Date { year: i32::MAX, month: 12, day: 31 };
        assert_eq!(Date::from_unix_days(max.to_unix_days()), max);
        let _ = rfc3339_utc(i64::MAX);
        let _ = rfc3339_utc(i64::MIN);
    }

    #[test]
    fn timestamps() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(1_795_869_835), "2026-11-28T12:43:55Z");
        assert_eq!(rfc3339_utc(-1), "1969-12-31T23:59:59Z");
        assert_eq!(rfc3339_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert!(Date::today_utc() >= Date::new(2024, 1, 1).unwrap());
        assert_eq!(Date::new(987, 6, 5).unwrap().to_string(), "0987-06-05");
    }
}
