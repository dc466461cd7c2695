//! Parsing what a user types into form fields, with messages that say what is expected.

use crate::i18n::tr;
use jiff::civil::Date;
use jiff::ToSpan;

/// A date field: empty is `None`; `YYYY-MM-DD`, or `+N` for N days after `as_of`.
pub fn date(text: &str, as_of: Date) -> Result<Option<Date>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Some(days) = text.strip_prefix('+') {
        let days: i64 = days
            .trim_end_matches('d')
            .parse()
            .map_err(|_| tr("parse-days-number", &[("text", text)]))?;
        if !(0..=3650).contains(&days) {
            return Err(tr("parse-days-max", &[("text", text)]));
        }
        return as_of.checked_add(days.days()).map(Some).map_err(|e| {
            tr(
                "parse-date-invalid",
                &[("text", text), ("error", &e.to_string())],
            )
        });
    }
    text.parse::<Date>()
        .map(Some)
        .map_err(|_| tr("parse-not-a-date", &[("text", text)]))
}

/// A money amount: digits with an optional decimal point; spaces, `_` and `,` group.
pub fn amount(text: &str) -> Result<Option<f64>, String> {
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | ','))
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    match cleaned.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(Some(value)),
        _ => Err(tr("parse-not-a-number", &[("text", text.trim())])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date as d;

    #[test]
    fn dates() {
        let as_of = d(2026, 11, 22);
        assert_eq!(date("", as_of), Ok(None));
        assert_eq!(date("2026-12-01", as_of), Ok(Some(d(2026, 12, 1))));
        assert_eq!(date("+10", as_of), Ok(Some(d(2026, 12, 2))));
        assert_eq!(date("+3d", as_of), Ok(Some(d(2026, 11, 25))));
        assert!(date("tomorrow", as_of).unwrap_err().contains("YYYY-MM-DD"));
        assert!(date("2026-02-30", as_of).is_err());
        assert!(date("+x", as_of).is_err());
    }

    #[test]
    fn amounts() {
        assert_eq!(amount("12 000"), Ok(Some(12000.0)));
        assert_eq!(amount("1,250.5"), Ok(Some(1250.5)));
        assert_eq!(amount(" "), Ok(None));
        assert!(amount("12k").is_err());
        assert!(amount("inf").is_err());
    }
}
