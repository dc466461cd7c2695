//! Day arithmetic for the rules: dates become day numbers once, so every window test is an
//! integer comparison (the book pass runs the rules for 100,000 customers).

use jiff::civil::Date;
use jiff::{Span, Timestamp};

/// Seconds in a civil day; interactions are dated by their UTC day.
const SECONDS_PER_DAY: i64 = 86_400;

/// Days since 1970-01-01 (negative before it), by the proleptic Gregorian calendar.
pub fn day_number(date: Date) -> i64 {
    // Howard Hinnant's days_from_civil: years start in March so the leap day comes last.
    let (year, month, day) = (
        i64::from(date.year()),
        i64::from(date.month()),
        i64::from(date.day()),
    );
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The UTC day number of an instant (the lead's rule: an interaction counts by its UTC date).
pub fn timestamp_day(at: Timestamp) -> i64 {
    at.as_second().div_euclid(SECONDS_PER_DAY)
}

/// `date` moved by `days`, clamped to jiff's supported range instead of failing.
pub fn add_days(date: Date, days: i64) -> Date {
    match Span::new().try_days(days) {
        Ok(span) => date.saturating_add(span),
        Err(_) if days < 0 => Date::MIN,
        Err(_) => Date::MAX,
    }
}

/// A month as a single number (year × 12 + month − 1), for month buckets.
pub fn month_number(date: Date) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month()) - 1
}

/// "YYYY-MM" of a month number.
pub fn month_label(month: i64) -> String {
    format!(
        "{:04}-{:02}",
        month.div_euclid(12),
        month.rem_euclid(12) + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn day_numbers_match_the_calendar() {
        let cases = [
            (date(1970, 1, 1), 0),
            (date(1970, 1, 2), 1),
            (date(1969, 12, 31), -1),
            (date(2000, 3, 1), 11_017),
            (date(2024, 2, 29), 19_782),
            (date(2024, 3, 1), 19_783),
        ];
        for (d, n) in cases {
            assert_eq!(day_number(d), n, "{d}");
        }
        // Consecutive days across a century non-leap year boundary.
        assert_eq!(
            day_number(date(2100, 3, 1)) - day_number(date(2100, 2, 28)),
            1
        );
    }

    #[test]
    fn timestamps_are_dated_in_utc() {
        let just_before_midnight: Timestamp = "2024-05-10T23:59:59Z".parse().unwrap();
        let midnight: Timestamp = "2024-05-11T00:00:00Z".parse().unwrap();
        let east: Timestamp = "2024-05-11T01:00:00+08:00".parse().unwrap();
        assert_eq!(
            timestamp_day(just_before_midnight),
            day_number(date(2024, 5, 10))
        );
        assert_eq!(timestamp_day(midnight), day_number(date(2024, 5, 11)));
        assert_eq!(timestamp_day(east), day_number(date(2024, 5, 10)));
        let before_epoch: Timestamp = "1969-12-31T12:00:00Z".parse().unwrap();
        assert_eq!(timestamp_day(before_epoch), -1);
    }

    #[test]
    fn adding_days_clamps() {
        assert_eq!(add_days(date(2026, 11, 22), 2), date(2026, 11, 24));
        assert_eq!(add_days(date(2026, 12, 31), 1), date(2027, 1, 1));
        assert_eq!(add_days(Date::MAX, 5), Date::MAX);
        assert_eq!(add_days(date(2026, 1, 1), i64::MIN), Date::MIN);
    }

    #[test]
    fn months() {
        assert_eq!(month_label(month_number(date(2026, 1, 31))), "2026-01");
        assert_eq!(month_label(month_number(date(2026, 1, 1)) - 1), "2025-12");
    }
}
