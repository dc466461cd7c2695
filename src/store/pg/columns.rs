//! Record fields as SQL column values: what PostgreSQL can hold of them.
//!
//! The columns are for people writing reports in SQL; crm reads each record back from its
//! `record` column (the store codec), so nothing here needs to round-trip. Ids are keys
//! though: they keep their byte order and stay distinct.

use std::borrow::Cow;

use jiff::civil::Date;
use jiff::Timestamp;

use crate::domain::model::Scope;

/// Text as a column holds it. PostgreSQL text cannot hold NUL, so NUL is written as
/// U+0001 U+0001 and U+0001 itself as U+0001 U+0002: distinct texts stay distinct and keep
/// their byte order (every other character is unchanged), which customer ids rely on.
pub fn text(value: &str) -> Cow<'_, str> {
    if !value.contains(['\0', '\u{1}']) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 2);
    for c in value.chars() {
        match c {
            '\0' => out.push_str("\u{1}\u{1}"),
            '\u{1}' => out.push_str("\u{1}\u{2}"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

pub fn texts(values: &[String]) -> Vec<String> {
    values.iter().map(|v| text(v).into_owned()).collect()
}

/// The earliest day PostgreSQL's date and timestamptz hold (4713 BC); jiff reaches
/// further back. Earlier days are written as this one (the record keeps the real one).
const FIRST_DAY: Date = Date::constant(-4712, 12, 31);

pub fn date(value: Date) -> Date {
    value.max(FIRST_DAY)
}

pub fn timestamp(value: Timestamp) -> Timestamp {
    let first = FIRST_DAY
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::MIN);
    value.max(first)
}

/// An id of crm's (u64) as bigint: the same 64 bits, so distinct ids stay distinct.
pub fn id(value: u64) -> i64 {
    i64::from_ne_bytes(value.to_ne_bytes())
}

pub fn scope(scope: &Scope) -> String {
    let spelled = match scope {
        Scope::Customer(id) => format!("customer:{id}"),
        Scope::Owner(owner) => format!("owner:{owner}"),
        Scope::Segment(segment) => format!("segment:{segment}"),
        Scope::Book => "book".to_string(),
    };
    text(&spelled).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_ids_stay_distinct_and_ordered() {
        let mut ids = ["a", "ab", "a\0b", "a\u{1}", "a\u{1}\u{1}", "b", "\0", ""];
        ids.sort();
        let escaped: Vec<String> = ids.iter().map(|id| text(id).into_owned()).collect();
        let mut sorted = escaped.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, escaped, "same order, none merged");
        assert!(escaped.iter().all(|t| !t.contains('\0')));
        assert_eq!(text("a\0b"), "a\u{1}\u{1}b");
        assert!(matches!(text("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn ids_above_i64_keep_their_bits() {
        assert_eq!(id(5), 5);
        assert_eq!(id(u64::MAX), -1);
        assert_eq!(id(1 << 63), i64::MIN);
    }

    #[test]
    fn days_before_4713_bc_are_clamped() {
        assert_eq!(date(Date::constant(-9999, 1, 1)), FIRST_DAY);
        assert_eq!(date(Date::constant(2024, 1, 1)), Date::constant(2024, 1, 1));
        assert!(timestamp(Timestamp::MIN) > Timestamp::MIN);
    }
}
