//! Every stored value is `[u16 LE format version][bincode 2 payload, standard config]`.
//!
//! bincode is not self-describing: adding, removing or reordering a field changes the
//! bytes. So each stored type has a version; when its shape changes, bump `VERSION`, keep
//! the old shape as a private type, and teach `upgrade` to read it (each old version is
//! read as its own shape and converted one step at a time to the current one). The golden
//! files in `tests/golden/` pin the bytes of every version ever written.
//!
//! This is the only file that names bincode.

use bincode::config::{self, Config};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::apply::Histories;
use super::envelope::{BookId, EventId, Hlc};
use super::error::CodecError;
use super::event::Event;
use super::event_v2::{EventV1, EventV2, EventV3, UserV1};
use super::histories_v1::HistoriesV1;
use crate::domain::card::Summary;
use crate::domain::model::{Bond, Customer, Cycle, Interaction, Order, Task, User};

/// A type that is stored on disk, with its current format version.
pub trait Versioned: Serialize + DeserializeOwned {
    /// How error messages name the type.
    const WHAT: &'static str;
    /// The version written today; versions 1..VERSION may be read.
    const VERSION: u16;

    /// Reads a payload written at an older `version` (1 <= version < VERSION) and brings
    /// it to the current shape.
    fn upgrade(version: u16, payload: &[u8]) -> Result<Self, CodecError> {
        let _ = payload;
        Err(CodecError::UnknownVersion {
            what: Self::WHAT,
            found: version,
        })
    }
}

macro_rules! at_version_one {
    ($($ty:ty => $what:literal),+ $(,)?) => {
        $(impl Versioned for $ty {
            const WHAT: &'static str = $what;
            const VERSION: u16 = 1;
        })+
    };
}

at_version_one!(
    Customer => "customer",
    Interaction => "interaction",
    Order => "order",
    Bond => "bond",
    Task => "task",
    Cycle => "cycle",
    Summary => "summary",
);

impl Versioned for User {
    const WHAT: &'static str = "user";
    /// Version 2 added `team`.
    const VERSION: u16 = 2;

    fn upgrade(version: u16, payload: &[u8]) -> Result<Self, CodecError> {
        match version {
            1 => payload_from::<UserV1>(Self::WHAT, 1, payload).map(User::from),
            _ => Err(CodecError::UnknownVersion {
                what: Self::WHAT,
                found: version,
            }),
        }
    }
}

impl Versioned for super::merge::ProfileClocks {
    const WHAT: &'static str = "profile clocks";
    const VERSION: u16 = 1;
}

impl Versioned for Histories {
    const WHAT: &'static str = "history";
    /// Version 2 added `corrections` (a logged contact corrected, issue 14).
    const VERSION: u16 = 2;

    fn upgrade(version: u16, payload: &[u8]) -> Result<Self, CodecError> {
        match version {
            1 => payload_from::<HistoriesV1>(Self::WHAT, 1, payload).map(Histories::from),
            _ => Err(CodecError::UnknownVersion {
                what: Self::WHAT,
                found: version,
            }),
        }
    }
}

impl Versioned for super::apply::Correction {
    const WHAT: &'static str = "contact correction";
    const VERSION: u16 = 1;
}

impl Versioned for Event {
    const WHAT: &'static str = "journal event";
    /// Version 2 added `actor`; version 3 the `team` of the users a change carries;
    /// version 4 the envelope (`id`, `hlc`, `seen`: events books exchange, docs/sync.md).
    const VERSION: u16 = 4;

    fn upgrade(version: u16, payload: &[u8]) -> Result<Self, CodecError> {
        match version {
            1 => payload_from::<EventV1>(Self::WHAT, 1, payload).map(Event::from),
            2 => payload_from::<EventV2>(Self::WHAT, 2, payload).map(Event::from),
            3 => payload_from::<EventV3>(Self::WHAT, 3, payload).map(Event::from),
            _ => Err(CodecError::UnknownVersion {
                what: Self::WHAT,
                found: version,
            }),
        }
    }
}

/// Encodes `value` at its current version.
pub fn encode<T: Versioned>(value: &T) -> Result<Vec<u8>, CodecError> {
    let mut out = T::VERSION.to_le_bytes().to_vec();
    bincode::serde::encode_into_std_write(value, &mut out, config::standard()).map_err(|e| {
        CodecError::Encode {
            what: T::WHAT,
            detail: e.to_string(),
        }
    })?;
    Ok(out)
}

/// Decodes a value written at any version this build knows, upgrading older ones.
/// Never panics, whatever the bytes.
pub fn decode<T: Versioned>(bytes: &[u8]) -> Result<T, CodecError> {
    let (header, payload) = match bytes {
        [a, b, rest @ ..] => (u16::from_le_bytes([*a, *b]), rest),
        _ => {
            return Err(CodecError::NoHeader {
                what: T::WHAT,
                len: bytes.len(),
            })
        }
    };
    if header == T::VERSION {
        payload_from::<T>(T::WHAT, header, payload)
    } else if header > T::VERSION {
        Err(CodecError::FutureVersion {
            what: T::WHAT,
            found: header,
            current: T::VERSION,
        })
    } else if header == 0 {
        Err(CodecError::UnknownVersion {
            what: T::WHAT,
            found: 0,
        })
    } else {
        T::upgrade(header, payload)
    }
}

/// The first event format with an envelope (id, clock, `seen`).
pub const ENVELOPE_VERSION: u16 = 4;

/// The sequence number of an encoded event, read without decoding the change it carries:
/// an import is one event of hundreds of megabytes, and opening the book checks the
/// journal's last record on every start. Every event version begins with `seq`.
pub fn event_seq(bytes: &[u8]) -> Result<u64, CodecError> {
    event_head(bytes).map(|head| head.seq)
}

/// The first fields of an encoded event: what sync chooses events by (and what a store
/// keeps its version vector and clock with), read without decoding the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventHead {
    pub seq: u64,
    pub id: EventId,
    pub hlc: Hlc,
}

/// Reads `EventHead` from the start of an encoded event of any version (older versions
/// get what their upgrade gives them: the holder's id counted by `seq`, the wall time).
pub fn event_head(bytes: &[u8]) -> Result<EventHead, CodecError> {
    let what = Event::WHAT;
    let (header, payload) = match bytes {
        [a, b, rest @ ..] => (u16::from_le_bytes([*a, *b]), rest),
        _ => {
            return Err(CodecError::NoHeader {
                what,
                len: bytes.len(),
            })
        }
    };
    if header > Event::VERSION {
        return Err(CodecError::FutureVersion {
            what,
            found: header,
            current: Event::VERSION,
        });
    }
    if header == 0 {
        return Err(CodecError::UnknownVersion { what, found: 0 });
    }
    let payload_error = |detail| CodecError::Payload {
        what,
        version: header,
        detail,
    };
    if header >= ENVELOPE_VERSION {
        let ((seq, id, hlc), _) =
            decode_with::<(u64, EventId, Hlc), _>(payload, config::standard())
                .map_err(payload_error)?;
        return Ok(EventHead { seq, id, hlc });
    }
    // Versions 1 to 3 begin with `seq` and `at`.
    let ((seq, at), _) = decode_with::<(u64, jiff::Timestamp), _>(payload, config::standard())
        .map_err(payload_error)?;
    // As `Event::held` gives an upgraded event.
    Ok(EventHead {
        seq,
        id: EventId {
            origin: BookId::HOLDER,
            counter: seq,
        },
        hlc: Hlc::of_time(at),
    })
}

/// Encodes an event as format 3 (the last before the envelope) wrote it: for the migration
/// tests of `tests/store.rs`, never used to write a book.
pub fn encode_event_before_envelope(
    seq: u64,
    at: jiff::Timestamp,
    actor: &str,
    change: &super::event::Change,
) -> Vec<u8> {
    let old = EventV3 {
        seq,
        at,
        actor: actor.to_string(),
        change: change.clone(),
    };
    let mut out = 3u16.to_le_bytes().to_vec();
    out.extend(bincode::serde::encode_to_vec(&old, config::standard()).unwrap_or_default());
    out
}

/// Encodes derived, unversioned data (the cache): when its shape changes, decoding fails
/// and the caller recomputes it.
pub fn encode_plain<T: Serialize>(value: &T) -> Result<Vec<u8>, CodecError> {
    bincode::serde::encode_to_vec(value, config::standard()).map_err(|e| CodecError::Encode {
        what: "cached value",
        detail: e.to_string(),
    })
}

pub fn decode_plain<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    payload_from("cached value", 0, bytes)
}

/// Decodes one bincode payload of shape `S`, rejecting trailing bytes.
fn payload_from<S: DeserializeOwned>(
    what: &'static str,
    version: u16,
    payload: &[u8],
) -> Result<S, CodecError> {
    // bincode allocates a string's declared length before reading it, so a corrupt length
    // could ask for gigabytes: cap what a payload may claim. bincode counts in-memory sizes
    // (a one-byte varint claims 8 or 16), so the cap is 32 times the payload. Payloads
    // past 4 MiB come only from checksummed journal records (imports) and are not capped.
    let result = if payload.len() <= 1 << 16 {
        decode_with(payload, config::standard().with_limit::<{ 1 << 21 }>())
    } else if payload.len() <= 1 << 22 {
        decode_with(payload, config::standard().with_limit::<{ 1 << 27 }>())
    } else {
        decode_with(payload, config::standard())
    };
    let (value, used) = result.map_err(|detail| CodecError::Payload {
        what,
        version,
        detail,
    })?;
    if used != payload.len() {
        return Err(CodecError::Trailing {
            what,
            version,
            extra: payload.len() - used,
        });
    }
    Ok(value)
}

fn decode_with<S: DeserializeOwned, C: Config>(
    payload: &[u8],
    config: C,
) -> Result<(S, usize), String> {
    bincode::serde::decode_from_slice(payload, config).map_err(|e| e.to_string())
}

/// Encodes an event in the old version-1 shape: only to pin and test the upgrade path.
#[cfg(test)]
pub(crate) fn encode_event_v1(old: &EventV1) -> Vec<u8> {
    encode_old(1, old)
}

/// Encodes `value` after a version header, as an older crm wrote it: only for tests of
/// the upgrade paths.
#[cfg(test)]
pub(crate) fn encode_old<T: Serialize>(version: u16, value: &T) -> Vec<u8> {
    let mut out = version.to_le_bytes().to_vec();
    let payload = bincode::serde::encode_to_vec(value, config::standard());
    out.extend(payload.unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Role, User};
    use crate::store::event::Change;
    use crate::store::event_v2::ChangeV2;

    fn user() -> User {
        User {
            login: "li".into(),
            name: "Li".into(),
            role: Role::Manager,
            team: Some("east".into()),
        }
    }

    fn user_v1() -> UserV1 {
        UserV1 {
            login: "li".into(),
            name: "Li".into(),
            role: Role::Manager,
        }
    }

    #[test]
    fn round_trip_and_header() {
        let bytes = encode(&user()).unwrap();
        assert_eq!(&bytes[..2], &[2, 0]);
        // login "li" (len 2), name "Li" (len 2), role index 1, team Some (1) "east" (len 4).
        assert_eq!(
            &bytes[2..],
            &[2, b'l', b'i', 2, b'L', b'i', 1, 1, 4, b'e', b'a', b's', b't']
        );
        assert_eq!(decode::<User>(&bytes).unwrap(), user());
    }

    #[test]
    fn a_version_1_user_loads_without_a_team() {
        // The bytes crm wrote before users had a team.
        let old = [1, 0, 2, b'l', b'i', 2, b'L', b'i', 1];
        assert_eq!(encode_old(1, &user_v1()), old);
        let upgraded = decode::<User>(&old).unwrap();
        assert_eq!(
            upgraded,
            User {
                team: None,
                ..user()
            }
        );
    }

    #[test]
    fn a_version_2_event_carrying_users_upgrades_with_no_teams() {
        let at: jiff::Timestamp = "2024-05-10T09:30:00Z".parse().unwrap();
        let put = EventV2 {
            seq: 4,
            at,
            actor: "sam".into(),
            change: ChangeV2::PutUser(user_v1()),
        };
        let bytes = encode_old(2, &put);
        check_golden("event_v2_put_user", &bytes);
        let no_team = User {
            team: None,
            ..user()
        };
        assert_eq!(
            decode::<Event>(&bytes).unwrap(),
            Event::held(4, at, "sam".into(), Change::PutUser(no_team.clone()))
        );
        let import = EventV2 {
            seq: 5,
            at,
            actor: "sam".into(),
            change: ChangeV2::Import {
                data: crate::store::event_v2::BookDataV1 {
                    users: vec![user_v1()],
                    accounts: Vec::new(),
                    cycles: Vec::new(),
                },
                merge: true,
            },
        };
        let event = decode::<Event>(&encode_old(2, &import)).unwrap();
        let Change::Import { data, merge } = event.change else {
            panic!("not an import: {event:?}");
        };
        assert!(merge);
        assert_eq!(data.users, vec![no_team]);
        // The current version writes the team.
        let now = Event::held(6, at, "sam".into(), Change::PutUser(user()));
        let bytes = encode(&now).unwrap();
        assert_eq!(&bytes[..2], &[4, 0]);
        assert_eq!(decode::<Event>(&bytes).unwrap(), now);
    }

    #[test]
    fn future_version_is_a_clear_error() {
        let mut bytes = encode(&user()).unwrap();
        bytes[0] = 7;
        let err = decode::<User>(&bytes).unwrap_err();
        assert_eq!(
            err.to_string(),
            "user: format version 7 is newer than this crm understands (up to 2); upgrade crm"
        );
    }

    #[test]
    fn version_zero_and_short_input_are_errors() {
        assert!(matches!(
            decode::<User>(&[0, 0, 2, b'l', b'i', 2, b'L', b'i', 1]),
            Err(CodecError::UnknownVersion { found: 0, .. })
        ));
        assert!(matches!(
            decode::<User>(&[1]),
            Err(CodecError::NoHeader { len: 1, .. })
        ));
    }

    #[test]
    fn trailing_bytes_are_rejected() {
        let mut bytes = encode(&user()).unwrap();
        bytes.push(0);
        assert!(matches!(
            decode::<User>(&bytes),
            Err(CodecError::Trailing { extra: 1, .. })
        ));
    }

    #[test]
    fn long_histories_stay_within_the_decode_cap() {
        // Small tasks: under 64 KiB encoded, well over 64 KiB claimed in memory.
        let task = crate::domain::model::Task {
            id: 1,
            due: jiff::civil::date(2024, 6, 1),
            text: String::new(),
            origin: crate::domain::model::TaskOrigin::Manual,
            done: None,
        };
        let value = Histories {
            tasks: vec![task; 4000],
            ..Histories::default()
        };
        let bytes = encode(&value).unwrap();
        assert!(bytes.len() < 1 << 16, "{}", bytes.len());
        assert_eq!(decode::<Histories>(&bytes).unwrap(), value);
    }

    #[test]
    fn huge_declared_string_length_fails_without_allocating_it() {
        // Version 1, then a varint u64 marker (253) declaring a 2^40-byte login.
        let mut bytes = vec![1, 0, 253];
        bytes.extend((1u64 << 40).to_le_bytes());
        assert!(matches!(
            decode::<User>(&bytes),
            Err(CodecError::Payload { .. })
        ));
    }

    /// The sample of `tests/store.rs` (`sample_event`), in the shapes only this module
    /// can write.
    fn sample_change() -> Change {
        use crate::domain::model::*;
        use jiff::civil::date;
        Change::LogContact {
            customer: "acme".into(),
            interaction: sample_interaction(),
            new_task: Some(Task {
                id: 12,
                due: date(2024, 6, 1),
                text: "task 12".into(),
                origin: TaskOrigin::FollowUp,
                done: None,
            }),
            close_tasks: vec![3],
        }
    }

    /// `sample_change` in the shape event versions 1 and 2 wrote.
    fn sample_change_v2() -> ChangeV2 {
        let Change::LogContact {
            customer,
            interaction,
            new_task,
            close_tasks,
        } = sample_change()
        else {
            unreachable!("sample_change is a contact")
        };
        ChangeV2::LogContact {
            customer,
            interaction,
            new_task,
            close_tasks,
        }
    }

    fn sample_interaction() -> crate::domain::model::Interaction {
        use crate::domain::model::*;
        Interaction {
            at: "2024-05-10T09:30:00Z".parse().unwrap(),
            channel: Channel::Phone,
            direction: Direction::Outbound,
            purpose: Purpose::FollowUp,
            outcome: Outcome::Positive,
            satisfaction: Some(4),
            signals: vec![Signal::CompetitorMentioned],
            note: "asked about volume pricing".into(),
            follow_up: Some(jiff::civil::date(2024, 6, 1)),
            author: "alice".into(),
        }
    }

    /// Compares `bytes` with `tests/golden/<name>.hex`; `CRM_BLESS=1` writes the file.
    fn check_golden(name: &str, bytes: &[u8]) {
        let hex: String = bytes
            .chunks(32)
            .map(|line| {
                let words: Vec<String> = line.iter().map(|b| format!("{b:02x}")).collect();
                words.join(" ") + "\n"
            })
            .collect();
        let path = format!("{}/tests/golden/{name}.hex", env!("CARGO_MANIFEST_DIR"));
        if std::env::var_os("CRM_BLESS").is_some() {
            std::fs::write(&path, &hex).unwrap();
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), hex, "{name}");
    }

    /// Pins a version-1 event; `tests/store.rs` checks that it upgrades.
    #[test]
    fn event_v1_golden_file() {
        let old = EventV1 {
            seq: 7,
            at: "2024-05-10T09:30:00Z".parse().unwrap(),
            change: sample_change_v2(),
        };
        check_golden("event_v1", &encode_event_v1(&old));
    }

    #[test]
    fn histories_golden_file() {
        use crate::domain::model::*;
        use jiff::civil::date;
        let value = super::super::histories_v1::HistoriesV1 {
            seq: 9,
            interactions: vec![sample_interaction()],
            orders: vec![Order {
                date: date(2024, 5, 2),
                amount: 12000.0,
                margin: None,
            }],
            bonds: vec![Bond {
                level: BondLevel::Financial,
                kind: "loyalty points".into(),
                since: date(2023, 3, 1),
                until: Some(date(2025, 3, 1)),
                note: "".into(),
            }],
            tasks: vec![Task {
                id: 1,
                due: date(2024, 6, 1),
                text: "call back".into(),
                origin: TaskOrigin::Manual,
                done: Some(date(2024, 6, 2)),
            }],
        };
        // Version 1 (before corrections) is pinned and reads with no corrections.
        let bytes = encode_old(1, &value);
        check_golden("histories_v1", &bytes);
        let upgraded = decode::<Histories>(&bytes).unwrap();
        assert_eq!(upgraded, Histories::from(value));
        assert!(upgraded.corrections.is_empty());
        // Version 2 keeps the corrections.
        let previous = sample_interaction();
        let corrected = Interaction {
            outcome: Outcome::Neutral,
            note: "asked about volume pricing; sent the list".into(),
            ..previous.clone()
        };
        let stamp = super::super::envelope::Stamp {
            hlc: Hlc {
                ms: 1_715_333_700_000,
                logical: 0,
            },
            id: EventId {
                origin: BookId([7; 16]),
                counter: 10,
            },
        };
        let value = Histories {
            interactions: vec![corrected.clone()],
            corrections: vec![super::super::apply::Correction::of(
                stamp,
                "bob",
                "2024-05-10T09:35:00Z".parse().unwrap(),
                &previous,
                &corrected,
                None,
            )],
            ..upgraded
        };
        let bytes = encode(&value).unwrap();
        assert_eq!(&bytes[..2], &[2, 0]);
        check_golden("histories_v2", &bytes);
        assert_eq!(decode::<Histories>(&bytes).unwrap(), value);
    }

    #[test]
    fn event_seq_reads_only_the_sequence() {
        let at: jiff::Timestamp = "2024-05-10T09:30:00Z".parse().unwrap();
        let event = Event::held(300, at, "li".into(), sample_change());
        let bytes = encode(&event).unwrap();
        assert_eq!(event_seq(&bytes).unwrap(), 300);
        // Version 1 also begins with the sequence.
        let old = EventV1 {
            seq: 5,
            at,
            change: ChangeV2::PutUser(user_v1()),
        };
        assert_eq!(event_seq(&encode_event_v1(&old)).unwrap(), 5);
        let mut future = bytes.clone();
        future[0] = 9;
        assert!(matches!(
            event_seq(&future),
            Err(CodecError::FutureVersion { found: 9, .. })
        ));
        assert!(matches!(event_seq(&[2]), Err(CodecError::NoHeader { .. })));
        assert!(matches!(
            event_seq(&[0, 0, 1]),
            Err(CodecError::UnknownVersion { found: 0, .. })
        ));
    }

    #[test]
    fn event_v1_upgrades_with_an_empty_actor() {
        let at: jiff::Timestamp = "2024-05-10T09:30:00Z".parse().unwrap();
        let old = EventV1 {
            seq: 3,
            at,
            change: ChangeV2::PutUser(user_v1()),
        };
        let bytes = encode_event_v1(&old);
        assert_eq!(&bytes[..2], &[1, 0]);
        let event: Event = decode(&bytes).unwrap();
        assert_eq!(
            event,
            Event::held(
                3,
                at,
                String::new(),
                Change::PutUser(User {
                    team: None,
                    ..user()
                }),
            )
        );
    }
}
