//! Key layout of the index trees.
//!
//! History trees (interactions, orders, bonds, tasks) use
//! `escaped customer id + 0x00 + big-endian time + big-endian tiebreak`, so one prefix scan
//! returns a customer's history oldest first. Escaping (0x00 -> 01 01, 0x01 -> 01 02)
//! leaves ordinary ids as their own bytes, keeps the order of ids, and makes the 0x00
//! terminator unambiguous, so id "a" never sees the records of "ab" or "a\0b". Profiles are
//! keyed by the raw id, whose order is the same, so all trees can be merged in one pass.

use jiff::civil::Date;
use jiff::Timestamp;

use crate::domain::model::TaskId;

/// The prefix shared by all history keys of one customer.
pub(crate) fn customer_prefix(id: &str) -> Vec<u8> {
    prefix_of_bytes(id.as_bytes())
}

/// `customer_prefix` of a raw id, as the profile tree keys it.
pub(crate) fn prefix_of_bytes(id: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(id.len() + 1);
    for &b in id {
        match b {
            0 => out.extend([1, 1]),
            1 => out.extend([1, 2]),
            _ => out.push(b),
        }
    }
    out.push(0);
    out
}

/// Time order for timestamps: nanoseconds with the sign bit flipped, big-endian.
pub(crate) fn timestamp_bytes(at: Timestamp) -> [u8; 16] {
    ((at.as_nanosecond() as u128) ^ (1 << 127)).to_be_bytes()
}

/// Calendar order for dates: year (sign flipped), month, day, big-endian.
pub(crate) fn date_bytes(date: Date) -> [u8; 4] {
    let [y0, y1] = ((date.year() as u16) ^ 0x8000).to_be_bytes();
    [y0, y1, date.month() as u8, date.day() as u8]
}

/// A history record key: the event sequence and the record's index within the event
/// break ties, keeping records of one instant in the order they were written, and making
/// the key the same whenever the event is replayed.
pub(crate) fn history_key(prefix: &[u8], time: &[u8], seq: u64, index: u32) -> Vec<u8> {
    let mut key = Vec::with_capacity(prefix.len() + time.len() + 12);
    key.extend_from_slice(prefix);
    key.extend_from_slice(time);
    key.extend_from_slice(&seq.to_be_bytes());
    key.extend_from_slice(&index.to_be_bytes());
    key
}

/// Tasks are ordered by due date, then id (as `Account::sort_histories` does).
pub(crate) fn task_key(prefix: &[u8], due: Date, id: TaskId) -> Vec<u8> {
    let mut key = Vec::with_capacity(prefix.len() + 12);
    key.extend_from_slice(prefix);
    key.extend_from_slice(&date_bytes(due));
    key.extend_from_slice(&id.to_be_bytes());
    key
}

pub(crate) fn cycle_key(id: u64) -> [u8; 8] {
    id.to_be_bytes()
}

pub(crate) mod meta {
    /// The last journal sequence whose change the index holds.
    pub const APPLIED_SEQ: &[u8] = b"applied_seq";
    pub const NEXT_TASK: &[u8] = b"next_task_id";
    pub const NEXT_CYCLE: &[u8] = b"next_cycle_id";
    /// The key layout of the index; a different value means "rebuild from the journal".
    pub const LAYOUT: &[u8] = b"layout";
    pub const LAYOUT_VERSION: u64 = 1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn prefixes_are_isolated_and_ordered() {
        assert_eq!(customer_prefix("ab"), b"ab\0".to_vec());
        assert_eq!(customer_prefix("a\0b"), b"a\x01\x01b\0".to_vec());
        assert_eq!(customer_prefix("a\x01"), b"a\x01\x02\0".to_vec());
        let ids = ["a", "a\0", "a\0b", "a\x01", "a\x02", "ab", "b"];
        for pair in ids.windows(2) {
            assert!(pair[0] < pair[1]);
            let (p, q) = (customer_prefix(pair[0]), customer_prefix(pair[1]));
            assert!(p < q, "{:?} < {:?}", pair[0], pair[1]);
            assert!(!q.starts_with(&p));
        }
    }

    #[test]
    fn time_bytes_sort_like_time() {
        let early: Timestamp = "1960-01-01T00:00:00Z".parse().unwrap();
        let epoch: Timestamp = "1970-01-01T00:00:00Z".parse().unwrap();
        let late: Timestamp = "2024-05-10T09:30:00.5Z".parse().unwrap();
        assert!(timestamp_bytes(early) < timestamp_bytes(epoch));
        assert!(timestamp_bytes(epoch) < timestamp_bytes(late));
        assert_eq!(date_bytes(date(2024, 5, 10)), [0x87, 0xe8, 5, 10]);
        assert!(date_bytes(date(-5, 12, 31)) < date_bytes(date(1, 1, 1)));
        assert!(date_bytes(date(2024, 5, 10)) < date_bytes(date(2024, 5, 11)));
    }
}
