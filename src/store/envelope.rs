//! The event envelope that lets books exchange events (docs/sync.md): a globally unique id
//! (the origin book's id + a counter of that origin), a hybrid logical clock time, and what
//! the origin knew when it made the change (for deciding conflicts the same way everywhere).
//!
//! Plain data, no I/O: every backend stamps events with these types (`stamp_local`), and
//! the sync protocol sends them as they are.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A book's identity: 128 random bits minted once per book and stored with it. Stored
/// as 16 bytes; in JSON (and other human-readable formats) as its 32 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BookId(pub [u8; 16]);

impl Serialize for BookId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.serialize_str(&self.to_string())
        } else {
            self.0.serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for BookId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<BookId, D::Error> {
        if deserializer.is_human_readable() {
            let text = String::deserialize(deserializer)?;
            text.parse().map_err(serde::de::Error::custom)
        } else {
            <[u8; 16]>::deserialize(deserializer).map(BookId)
        }
    }
}

impl BookId {
    /// "The book that holds this event": the origin of events written before events had
    /// ids (format 2 and older) and of a repair's restoring event. A store reads it as its
    /// own id, and the counter as the event's sequence number there.
    pub const HOLDER: BookId = BookId([0; 16]);

    /// A fresh id from the OS's random source.
    pub fn random() -> BookId {
        use std::collections::hash_map::RandomState;
        use std::hash::{BuildHasher, Hasher};
        let mut out = [0u8; 16];
        for (i, half) in out.chunks_mut(8).enumerate() {
            let mut hasher = RandomState::new().build_hasher();
            hasher.write_usize(i);
            hasher.write_u32(std::process::id());
            half.copy_from_slice(&hasher.finish().to_le_bytes());
        }
        if out == [0; 16] {
            out[0] = 1;
        }
        BookId(out)
    }

    /// An id that depends only on `bytes` (stable across builds and machines): a book
    /// written before ids existed takes its id from its first journal record, so its old
    /// events get the same ids wherever and however often it is opened.
    pub fn derived_from(bytes: &[u8]) -> BookId {
        let mut out = [0u8; 16];
        for (i, word) in out.chunks_mut(4).enumerate() {
            let mut hasher =
                crc32fast::Hasher::new_with_initial(0x9E37_79B9u32.wrapping_mul(i as u32 + 1));
            hasher.update(b"crm-book-id");
            hasher.update(&[i as u8]);
            hasher.update(bytes);
            word.copy_from_slice(&hasher.finalize().to_le_bytes());
        }
        if out == [0; 16] {
            out[0] = 1;
        }
        BookId(out)
    }

    /// `self`, with the placeholder `HOLDER` read as `holder`.
    pub fn or_holder(self, holder: BookId) -> BookId {
        if self == BookId::HOLDER {
            holder
        } else {
            self
        }
    }
}

impl fmt::Display for BookId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for BookId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BookId({self})")
    }
}

impl FromStr for BookId {
    type Err = String;

    /// 32 hexadecimal digits.
    fn from_str(text: &str) -> Result<BookId, String> {
        let text = text.trim();
        if text.len() != 32 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("a book id is 32 hexadecimal digits, not '{text}'"));
        }
        let mut out = [0u8; 16];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16)
                .map_err(|e| format!("book id '{text}': {e}"))?;
        }
        Ok(BookId(out))
    }
}

/// An event's globally unique id: its origin book and that book's counter. A book's own
/// events count with its sequence numbers, so the counters of one origin only grow (they
/// may skip numbers: the events it received in between).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EventId {
    pub origin: BookId,
    pub counter: u64,
}

impl EventId {
    pub fn or_holder(self, holder: BookId) -> EventId {
        EventId {
            origin: self.origin.or_holder(holder),
            counter: self.counter,
        }
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.origin, self.counter)
    }
}

/// A hybrid logical clock time: wall-clock milliseconds, and a logical count that orders
/// events within one millisecond (or while the wall clock lags a time already seen).
/// Ordered by `ms`, then `logical`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct Hlc {
    pub ms: u64,
    pub logical: u32,
}

impl Hlc {
    /// The time of an event written before events had clocks: its wall time.
    pub fn of_time(at: Timestamp) -> Hlc {
        Hlc {
            ms: u64::try_from(at.as_millisecond()).unwrap_or(0),
            logical: 0,
        }
    }

    /// The time of a new local event, after `self` (the latest time this book has seen)
    /// and at or after the wall clock `now`.
    pub fn tick(self, now: Timestamp) -> Hlc {
        let wall = Hlc::of_time(now).ms;
        if wall > self.ms {
            Hlc {
                ms: wall,
                logical: 0,
            }
        } else {
            match self.logical.checked_add(1) {
                Some(logical) => Hlc {
                    ms: self.ms,
                    logical,
                },
                None => Hlc {
                    ms: self.ms.saturating_add(1),
                    logical: 0,
                },
            }
        }
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match jiff::Timestamp::from_millisecond(self.ms as i64) {
            Ok(t) => write!(f, "{}+{}", t, self.logical),
            Err(_) => write!(f, "{}ms+{}", self.ms, self.logical),
        }
    }
}

/// Which changes "win" when two devices changed the same thing: the later clock, and for
/// equal clocks the larger id (so every replica decides alike).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Stamp {
    pub hlc: Hlc,
    pub id: EventId,
}

/// Per origin, the highest counter a book holds. Events of one origin reach every book in
/// counter order, so "known" is "counter at or below the entry".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionVector(pub BTreeMap<BookId, u64>);

impl VersionVector {
    pub fn knows(&self, id: &EventId) -> bool {
        self.0.get(&id.origin).is_some_and(|&c| c >= id.counter)
    }

    pub fn note(&mut self, id: &EventId) {
        let entry = self.0.entry(id.origin).or_insert(0);
        *entry = (*entry).max(id.counter);
    }

    pub fn get(&self, origin: &BookId) -> u64 {
        self.0.get(origin).copied().unwrap_or(0)
    }

    /// The placeholder origin folded into `holder`.
    pub fn with_holder(&self, holder: BookId) -> VersionVector {
        let mut out = VersionVector::default();
        for (origin, &counter) in &self.0 {
            out.note(&EventId {
                origin: origin.or_holder(holder),
                counter,
            });
        }
        out
    }
}

/// A field of a customer's profile, as conflicts are decided per field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ProfileField {
    Name,
    Kind,
    Segment,
    Owner,
    Created,
    Tags,
    CategorySpend,
    Contacts,
    Note,
    Lost,
}

impl ProfileField {
    pub const ALL: [ProfileField; 10] = [
        ProfileField::Name,
        ProfileField::Kind,
        ProfileField::Segment,
        ProfileField::Owner,
        ProfileField::Created,
        ProfileField::Tags,
        ProfileField::CategorySpend,
        ProfileField::Contacts,
        ProfileField::Note,
        ProfileField::Lost,
    ];

    /// The field's name as the JSON book format spells it.
    pub fn name(self) -> &'static str {
        match self {
            ProfileField::Name => "name",
            ProfileField::Kind => "kind",
            ProfileField::Segment => "segment",
            ProfileField::Owner => "owner",
            ProfileField::Created => "created",
            ProfileField::Tags => "tags",
            ProfileField::CategorySpend => "category_spend",
            ProfileField::Contacts => "contacts",
            ProfileField::Note => "note",
            ProfileField::Lost => "lost",
        }
    }
}

/// A profile field a change set, and the edit whose value it replaced as its origin saw it
/// (`None`: the value came from no tracked edit, e.g. an import).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSeen {
    pub field: ProfileField,
    pub replaced: Option<EventId>,
}

/// What the origin knew when it made the change, so every replica can tell a later edit
/// (it saw the earlier one) from a concurrent one (two devices, neither saw the other).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    /// A profile save or a lost mark: the fields it changed.
    pub fields: Vec<FieldSeen>,
    /// A contact: the lost mark the customer carried at the origin (its edit), if any.
    pub lost: Option<EventId>,
    /// A lost mark: how many contacts with the customer the origin held.
    pub contacts: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_book_id_prints_and_parses_as_32_hex_digits() {
        let id = BookId([0xab; 16]);
        assert_eq!(id.to_string(), "ab".repeat(16));
        assert_eq!(id.to_string().parse::<BookId>().unwrap(), id);
        assert!("abc".parse::<BookId>().is_err());
        assert!("zz".repeat(16).parse::<BookId>().is_err());
    }

    #[test]
    fn json_names_a_book_by_its_hex_digits() {
        let id = BookId([0x0f; 16]);
        let mut vv = VersionVector::default();
        vv.note(&EventId {
            origin: id,
            counter: 3,
        });
        let json = serde_json::to_string(&vv).unwrap();
        assert_eq!(json, format!("{{\"{}\":3}}", "0f".repeat(16)));
        assert_eq!(serde_json::from_str::<VersionVector>(&json).unwrap(), vv);
    }

    #[test]
    fn random_ids_differ_and_derived_ids_repeat() {
        assert_ne!(BookId::random(), BookId::random());
        assert_ne!(BookId::random(), BookId::HOLDER);
        assert_eq!(BookId::derived_from(b"abc"), BookId::derived_from(b"abc"));
        assert_ne!(BookId::derived_from(b"abc"), BookId::derived_from(b"abd"));
    }

    #[test]
    fn the_clock_ticks_past_what_it_has_seen() {
        let now: Timestamp = "2026-01-01T00:00:00.005Z".parse().unwrap();
        // Behind the wall clock: the wall clock.
        assert_eq!(
            Hlc::default().tick(now),
            Hlc {
                ms: 1767225600005,
                logical: 0
            }
        );
        // Ahead of it (a peer's clock ran fast): the same millisecond, one logical step on.
        let ahead = Hlc {
            ms: 1767225600009,
            logical: 3,
        };
        assert_eq!(
            ahead.tick(now),
            Hlc {
                ms: 1767225600009,
                logical: 4
            }
        );
        let full = Hlc {
            ms: 1767225600009,
            logical: u32::MAX,
        };
        assert_eq!(
            full.tick(now),
            Hlc {
                ms: 1767225600010,
                logical: 0
            }
        );
    }

    #[test]
    fn a_version_vector_knows_each_origin_up_to_its_counter() {
        let a = BookId([1; 16]);
        let mut vv = VersionVector::default();
        vv.note(&EventId {
            origin: a,
            counter: 5,
        });
        vv.note(&EventId {
            origin: a,
            counter: 3,
        });
        assert!(vv.knows(&EventId {
            origin: a,
            counter: 5
        }));
        assert!(!vv.knows(&EventId {
            origin: a,
            counter: 6
        }));
        assert!(!vv.knows(&EventId {
            origin: BookId([2; 16]),
            counter: 1
        }));
        let mut legacy = VersionVector::default();
        legacy.note(&EventId {
            origin: BookId::HOLDER,
            counter: 9,
        });
        legacy.note(&EventId {
            origin: a,
            counter: 4,
        });
        assert_eq!(legacy.with_holder(a).get(&a), 9);
    }

    #[test]
    fn the_later_clock_wins_and_ids_break_ties() {
        let id = |o: u8| EventId {
            origin: BookId([o; 16]),
            counter: 1,
        };
        let early = Stamp {
            hlc: Hlc { ms: 1, logical: 0 },
            id: id(9),
        };
        let late = Stamp {
            hlc: Hlc { ms: 2, logical: 0 },
            id: id(1),
        };
        assert!(late > early);
        let tie = Stamp {
            hlc: Hlc { ms: 2, logical: 0 },
            id: id(2),
        };
        assert!(tie > late);
    }
}
