//! The search keys of one customer, laid out as one record of normalised text: each field
//! is a kind byte (a control byte, which normalised text never contains) followed by the
//! field's text. Records of all customers live back to back in one buffer.

use crate::domain::model::Customer;

use super::normalize::{
    anchor_bit, char_bit, ends_word, mask_of, normalize, order_bit, pairs_of, phone_digits,
    starts_word, Pairs,
};
use super::reading::readings;
use super::score::{indexable_start, placement};

/// What a field of a record is; the byte value is the separator stored before the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Id = 1,
    Name = 2,
    Contact = 3,
    Phone = 4,
    Email = 5,
    Tag = 6,
    Segment = 7,
    /// A pinyin reading of the name (`reading`): run together or initials.
    NameReading = 8,
    /// A pinyin reading of a contact's name.
    ContactReading = 9,
}

impl Kind {
    /// Any byte below this is a field separator (all are control bytes).
    pub(crate) const LIMIT: u8 = 10;

    pub(crate) fn from_byte(b: u8) -> Option<Kind> {
        Some(match b {
            1 => Kind::Id,
            2 => Kind::Name,
            3 => Kind::Contact,
            4 => Kind::Phone,
            5 => Kind::Email,
            6 => Kind::Tag,
            7 => Kind::Segment,
            8 => Kind::NameReading,
            9 => Kind::ContactReading,
            _ => return None,
        })
    }

    /// How much a match in this field is worth relative to the others (0..=6): the
    /// customer's own name first, then its id, then the people we talk to. A reading
    /// weighs less than the text it reads, so the same match in Latin letters written out
    /// ranks first.
    pub(crate) fn weight(self) -> i64 {
        match self {
            Kind::Name => 6,
            Kind::Id => 5,
            Kind::Contact | Kind::NameReading => 4,
            Kind::Phone | Kind::ContactReading => 3,
            Kind::Email | Kind::Tag => 2,
            Kind::Segment => 1,
        }
    }
}

/// The weight of the field whose separator byte is `b` (0 for a byte that is none).
pub(crate) fn weight_of(b: u8) -> i64 {
    Kind::from_byte(b).map_or(0, Kind::weight)
}

/// The normalised record of a customer.
pub(crate) fn record(customer: &Customer) -> String {
    let mut rec = String::new();
    let mut push = |kind: Kind, text: String| {
        if !text.is_empty() {
            rec.push(kind as u8 as char);
            rec.push_str(&text);
        }
    };
    push(Kind::Id, normalize(&customer.id));
    push(Kind::Name, normalize(&customer.name));
    for contact in &customer.contacts {
        push(Kind::Contact, normalize(&contact.name));
        push(Kind::Phone, phone_digits(&contact.phone));
        push(Kind::Email, normalize(&contact.email));
    }
    for tag in &customer.tags {
        push(Kind::Tag, normalize(tag));
    }
    push(Kind::Segment, normalize(&customer.segment));
    push_readings(&mut rec, Kind::NameReading, [customer.name.as_str()]);
    push_readings(
        &mut rec,
        Kind::ContactReading,
        customer.contacts.iter().map(|c| c.name.as_str()),
    );
    rec
}

/// The pinyin readings of `texts` as fields of `kind`, each distinct text once.
fn push_readings<'a>(rec: &mut String, kind: Kind, texts: impl IntoIterator<Item = &'a str>) {
    let mut seen: Vec<String> = Vec::new();
    for text in texts {
        for r in readings(text) {
            for form in r.indexed() {
                if !form.is_empty() && !seen.iter().any(|s| s == form) {
                    rec.push(kind as u8 as char);
                    rec.push_str(form);
                    seen.push(form.to_string());
                }
            }
        }
    }
}

/// Whether a field of this separator byte holds a pinyin reading.
pub(crate) fn is_reading(kind: u8) -> bool {
    matches!(
        Kind::from_byte(kind),
        Some(Kind::NameReading | Kind::ContactReading)
    )
}

/// The fields of a record as (separator byte, text). Text before any separator (only in a
/// damaged index) is reported with separator 0.
pub(crate) fn fields(rec: &str) -> impl Iterator<Item = (u8, &str)> {
    let bytes = rec.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let (kind, start) = if bytes[pos] < Kind::LIMIT {
            (bytes[pos], pos + 1)
        } else {
            (0, pos)
        };
        let end = bytes[start..]
            .iter()
            .position(|&b| b < Kind::LIMIT)
            .map_or(bytes.len(), |i| start + i);
        pos = end;
        // Separators are ASCII, so `start..end` lies on character boundaries.
        Some((kind, rec.get(start..end).unwrap_or("")))
    })
}

/// The pair bits of every field of the record.
pub(crate) fn record_pairs(rec: &str) -> Pairs {
    let mut bits = [0u64; 4];
    for (_, text) in fields(rec) {
        for (b, p) in bits.iter_mut().zip(pairs_of(text)) {
            *b |= p;
        }
    }
    bits
}

/// The anchor pairs of the record: a bit (see `anchor_bit`) for every word start and every
/// character after it in the same field. A fuzzy or typo match anchors at a word start
/// with the query's first character and finds (all but one of) the others after it in
/// that field, so a record lacking those pairs is ruled out without reading its text.
pub(crate) fn record_anchors(rec: &str) -> Pairs {
    let mut bits = [0u64; 4];
    for (_, text) in fields(rec) {
        // The character classes of the word starts so far, and one character of each.
        let mut seen = 0u64;
        let mut anchors: Vec<char> = Vec::new();
        let mut prev = None;
        for c in text.chars() {
            if c != ' ' {
                for &a in &anchors {
                    let bit = anchor_bit(a, c);
                    bits[bit / 64] |= 1 << (bit % 64);
                }
            }
            if starts_word(prev, c) && c != ' ' && seen & char_bit(c) == 0 {
                seen |= char_bit(c);
                anchors.push(c);
            }
            prev = Some(c);
        }
    }
    bits
}

/// Fields of this weight and up (name, id, contact) are the heavy ones.
pub(crate) const HEAVY: i64 = 4;

/// The ordered pairs of the record's heavy fields: a bit (see `order_bit`) for every two
/// characters of such a field where the first comes before the second. A fuzzy match holds
/// the word's characters in order within one field, so once only a heavy field can still
/// give a match good enough, a record lacking a pair of consecutive ones is ruled out
/// without reading its text. (Over all fields, e-mail addresses fill three quarters of
/// the bits, too many to rule much out.)
pub(crate) fn record_order(rec: &str) -> Pairs {
    let mut bits = [0u64; 4];
    for (_, text) in fields(rec).filter(|(kind, _)| weight_of(*kind) >= HEAVY) {
        let mut seen = 0u64;
        let mut before: Vec<char> = Vec::new();
        for c in text.chars().filter(|&c| c != ' ') {
            for &b in &before {
                let bit = order_bit(b, c);
                bits[bit / 64] |= 1 << (bit % 64);
            }
            if seen & char_bit(c) == 0 {
                seen |= char_bit(c);
                before.push(c);
            }
        }
    }
    bits
}

/// The bitmask of every character in the record.
pub(crate) fn record_mask(rec: &str) -> u64 {
    fields(rec).fold(0, |m, (_, text)| m | mask_of(text))
}

/// A word start of a record as the posting lists see it: the list it is filed under and
/// its placement (what a match there adds to its class score, see `score::placement`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WordStart {
    pub(crate) key: PostingKey,
    pub(crate) place: i32,
}

/// Words longer than this share one list; queries this long skip the lists.
pub(crate) const LONG_WORD: u8 = 16;

/// A posting list: word starts whose first characters are `a` and `b` (`'\0'` for the
/// one-character lists) and whose word has `len` characters (capped at `LONG_WORD`; the
/// one-character lists only tell 1 from longer, as 2). `id` marks a word that is a whole
/// customer id, which scores `ID_BONUS` when the query equals it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct PostingKey {
    pub(crate) a: char,
    pub(crate) b: char,
    pub(crate) len: u8,
    pub(crate) id: bool,
}

/// Every word start of the record, best placement per posting key.
pub(crate) fn word_starts(rec: &str) -> Vec<WordStart> {
    let mut out: Vec<WordStart> = Vec::new();
    let mut add = |key: PostingKey, place: i32| match out.iter_mut().find(|w| w.key == key) {
        Some(w) => w.place = w.place.max(place),
        None => out.push(WordStart { key, place }),
    };
    let mut chars: Vec<char> = Vec::new();
    for (kind, text) in fields(rec) {
        chars.clear();
        chars.extend(text.chars());
        let mut at = 0;
        for i in 0..chars.len() {
            let c = chars[i];
            let here = at;
            at += c.len_utf8();
            let prev = i.checked_sub(1).map(|j| chars[j]);
            if !indexable_start(c) || !starts_word(prev, c) {
                continue;
            }
            let len = (i..chars.len())
                .find(|&j| ends_word(chars[j], chars.get(j + 1).copied()))
                .map_or(chars.len() - i, |j| j + 1 - i);
            let whole_id = kind == Kind::Id as u8 && here == 0 && len == chars.len();
            let place = placement(kind, here, text.len()) as i32;
            let short = if len == 1 { 1 } else { 2 };
            add(
                PostingKey {
                    a: c,
                    b: '\0',
                    len: short,
                    id: whole_id && len == 1,
                },
                place,
            );
            if len >= 2 {
                let capped = len.min(usize::from(LONG_WORD)) as u8;
                let id = whole_id && capped < LONG_WORD;
                add(
                    PostingKey {
                        a: c,
                        b: chars[i + 1],
                        len: capped,
                        id,
                    },
                    place,
                );
            }
        }
    }
    out
}
