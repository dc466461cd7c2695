//! Value parsers for the command line. A value that does not parse is a usage error (exit 2,
//! clap's message with the accepted values), and the codes of the domain's enums become the
//! possible values that `--help`, the man page and the shell completions list.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use jiff::civil::Date;
use jiff::Timestamp;

use crate::i18n::tr;

/// Accepts exactly the codes of a coded enum (`Channel::ALL`, `Channel::code`).
pub fn coded<T>(all: &'static [T], code: fn(T) -> &'static str) -> impl TypedValueParser<Value = T>
where
    T: Copy + Send + Sync + 'static,
{
    PossibleValuesParser::new(all.iter().map(move |value| code(*value))).try_map(
        move |text: String| {
            all.iter()
                .copied()
                .find(|value| code(*value) == text)
                .ok_or_else(|| tr("value-not-accepted", &[("text", &text)]))
        },
    )
}

/// A calendar date, YYYY-MM-DD.
pub fn date(text: &str) -> Result<Date, String> {
    text.trim()
        .parse::<Date>()
        .map_err(|_| tr("value-not-a-date", &[("text", text)]))
}

/// RFC 3339, or a local date / date-time (taken in the local time zone).
pub fn datetime(text: &str) -> Result<Timestamp, String> {
    let trimmed = text.trim();
    if let Ok(ts) = trimmed.parse::<Timestamp>() {
        return Ok(ts);
    }
    let local = trimmed.parse::<jiff::civil::DateTime>().or_else(|_| {
        trimmed
            .parse::<Date>()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    });
    local
        .ok()
        .and_then(|dt| dt.to_zoned(jiff::tz::TimeZone::system()).ok())
        .map(|z| z.timestamp())
        .ok_or_else(|| tr("value-not-a-date-time", &[("text", text)]))
}

/// A finite number (a PDCA target may be negative: a margin goal).
pub fn finite(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(n),
        _ => Err(tr("value-not-a-number", &[("text", text)])),
    }
}

/// Hours of work: a finite number, zero or more.
pub fn hours(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(n) if n.is_finite() && n >= 0.0 => Ok(n),
        _ => Err(tr("value-not-hours", &[("text", text)])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_refuse_negative_and_non_finite_values() {
        assert_eq!(hours("40"), Ok(40.0));
        assert_eq!(hours(" 0 "), Ok(0.0));
        for bad in ["-5", "nan", "NaN", "inf", "-inf", "abc", ""] {
            assert!(hours(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn finite_numbers_may_be_negative() {
        assert_eq!(finite("-2.5"), Ok(-2.5));
        assert!(finite("inf").is_err());
    }

    #[test]
    fn dates_and_date_times() {
        assert_eq!(date("2026-11-22").map(|d| d.day()), Ok(22));
        assert!(date("2026-13-01").is_err());
        assert_eq!(
            datetime("2026-11-22T09:30:00Z").map(|t| t.as_second()),
            Ok(1_795_339_800)
        );
        assert!(datetime("yesterday").is_err());
    }
}
