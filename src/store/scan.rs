//! Walking a journal's bytes: which records are good, where the damage is, and whether what
//! follows the last good record is a torn tail (cut it) or damage in the middle (refuse).
//!
//! A record is bad when its header, length, checksum or sequence is wrong. After a bad
//! record the walk looks for the next good one at any later byte (`resync`). If one is
//! found, the bad bytes are damage in the middle: acknowledged records follow them. If none
//! is found, the bad bytes are a torn tail, the unfinished last write of a crash, unless
//! they lie in the part of the journal an earlier open verified whole (`trusted`): a record
//! that was once complete and is now bad is damage, never a torn write.

use super::codec;
use super::error::CodecError;
use super::frame::{self, Framing, Head};

/// A good record: its bytes are `offset..end` of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rec {
    pub offset: u64,
    pub seq: u64,
    pub end: u64,
}

/// Damaged bytes that good records follow (or that an earlier open had verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bad {
    pub offset: u64,
    pub len: u64,
    /// The sequence its header names, else the one after the last good record.
    pub seq: u64,
    pub reason: String,
}

/// What follows the last good record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tail {
    Clean,
    /// An unfinished write: `len` bytes from `at` to the end, all zero when `zeros`.
    Torn {
        at: u64,
        len: u64,
        zeros: bool,
    },
}

#[derive(Debug)]
pub(crate) struct Scan {
    pub framing: Framing,
    /// No new record takes a sequence number at or below this (see `frame`).
    pub floor: u64,
    pub records: Vec<Rec>,
    pub bad: Vec<Bad>,
    pub tail: Tail,
}

/// A record or header written by a newer crm: never cut, never repaired, only refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Future {
    pub offset: u64,
    pub seq: u64,
    pub detail: String,
}

enum Problem {
    Bad(String),
    Future(String),
}

/// Walks `bytes`. Records that end at or before `trusted` had every byte verified by an
/// earlier open: only their headers are read again, unless `full`.
pub(crate) fn scan(bytes: &[u8], trusted: u64, full: bool) -> Result<Scan, Future> {
    let (framing, floor, header_bad) = match frame::head(bytes) {
        Head::Empty => {
            return Ok(Scan {
                framing: Framing::Empty,
                floor: 0,
                records: Vec::new(),
                bad: Vec::new(),
                tail: Tail::Clean,
            })
        }
        Head::V1 => (Framing::V1, 0, false),
        Head::V2 { floor: Some(floor) } => (Framing::V2, floor, false),
        Head::V2 { floor: None } => (Framing::V2, 0, true),
        Head::Future(found) => {
            return Err(Future {
                offset: 0,
                seq: 0,
                detail: format!(
                    "journal framing {found} is newer than this crm understands (up to {}); \
                     upgrade crm",
                    frame::FRAMING
                ),
            })
        }
    };
    let found = scan_as(bytes, framing, floor, header_bad, trusted, full)?;
    if framing == Framing::V1 && found.records.is_empty() && found.tail != Tail::Clean {
        // Nothing reads as framing 1: a framing-2 file whose magic took a hit reads so too.
        // Its records still name themselves; if any is found, its header is the damage.
        let v2 = scan_as(bytes, Framing::V2, 0, true, trusted, full)?;
        if !v2.records.is_empty() {
            return Ok(v2);
        }
    }
    Ok(found)
}

fn scan_as(
    bytes: &[u8],
    framing: Framing,
    floor: u64,
    header_bad: bool,
    trusted: u64,
    full: bool,
) -> Result<Scan, Future> {
    let len = bytes.len() as u64;
    let walker = Walker {
        bytes,
        framing,
        trusted,
        full,
    };
    let mut at = framing.first_record().min(len);
    let mut prev = 0;
    let mut records = Vec::new();
    let mut bad = Vec::new();
    let mut tail = Tail::Clean;
    while at < len {
        let reason = match walker.record(at, prev) {
            Ok(rec) => {
                prev = rec.seq;
                records.push(rec);
                at = rec.end;
                continue;
            }
            Err(Problem::Future(detail)) => {
                return Err(Future {
                    offset: at,
                    seq: prev.saturating_add(1),
                    detail,
                })
            }
            Err(Problem::Bad(reason)) => reason,
        };
        let next = walker.resync(at + 1, prev);
        if next.is_none() && at >= trusted {
            tail = Tail::Torn {
                at,
                len: len - at,
                zeros: bytes[at as usize..].iter().all(|&b| b == 0),
            };
            break;
        }
        let end = next.unwrap_or(len);
        let seq = frame::header(framing, &bytes[at as usize..])
            .ok()
            .and_then(|h| h.seq)
            .filter(|&s| s > prev)
            .unwrap_or(prev.saturating_add(1));
        bad.push(Bad {
            offset: at,
            len: end - at,
            seq,
            reason,
        });
        at = end;
    }
    if header_bad {
        if records.is_empty() && bad.is_empty() {
            // A torn first write: nothing was ever acknowledged in this file.
            tail = Tail::Torn {
                at: 0,
                len,
                zeros: bytes.iter().all(|&b| b == 0),
            };
        } else {
            bad.insert(
                0,
                Bad {
                    offset: 0,
                    len: frame::FILE_HEADER.min(len),
                    seq: records.first().map_or(1, |r| r.seq),
                    reason: "journal file header damaged".to_string(),
                },
            );
        }
    }
    Ok(Scan {
        framing,
        floor,
        records,
        bad,
        tail,
    })
}

#[derive(Clone, Copy)]
struct Walker<'a> {
    bytes: &'a [u8],
    framing: Framing,
    trusted: u64,
    full: bool,
}

impl Walker<'_> {
    /// The record at `at`, whose sequence must exceed `prev`.
    fn record(&self, at: u64, prev: u64) -> Result<Rec, Problem> {
        let len = self.bytes.len() as u64;
        let here = &self.bytes[at as usize..];
        let h = frame::header(self.framing, here).map_err(|e| Problem::Bad(e.to_string()))?;
        if h.payload_len < frame::MIN_PAYLOAD {
            return Err(Problem::Bad(format!("impossible length {}", h.payload_len)));
        }
        let start = at + self.framing.record_header();
        let end = start + h.payload_len;
        if end > len {
            return Err(Problem::Bad(format!(
                "record of {} bytes runs past the end of the file",
                h.payload_len
            )));
        }
        if let Some(seq) = h.seq {
            if seq <= prev {
                return Err(Problem::Bad(format!(
                    "sequence {seq} does not follow {prev}"
                )));
            }
        }
        if !self.full && end <= self.trusted {
            let seq = h.seq.unwrap_or(prev.saturating_add(1));
            return Ok(Rec {
                offset: at,
                seq,
                end,
            });
        }
        let payload = &self.bytes[start as usize..end as usize];
        if crc32fast::hash(payload) != h.payload_crc {
            return Err(Problem::Bad("payload checksum mismatch".to_string()));
        }
        let seq = match codec::event_seq(payload) {
            Ok(seq) => seq,
            Err(e @ CodecError::FutureVersion { .. }) => {
                return Err(Problem::Future(e.to_string()))
            }
            Err(e) => return Err(Problem::Bad(e.to_string())),
        };
        if h.seq.is_some_and(|named| named != seq) || seq <= prev {
            return Err(Problem::Bad(format!(
                "payload holds sequence {seq} after {prev}"
            )));
        }
        Ok(Rec {
            offset: at,
            seq,
            end,
        })
    }

    /// The first offset from `from` on where a fully good record starts.
    fn resync(&self, from: u64, prev: u64) -> Option<u64> {
        let full = Walker {
            full: true,
            ..*self
        };
        let len = self.bytes.len();
        let from = (from as usize).min(len);
        match self.framing {
            Framing::V2 => memchr::memmem::find_iter(&self.bytes[from..], &frame::RECORD_MAGIC)
                .map(|hit| (from + hit) as u64)
                .find(|&at| full.record(at, prev).is_ok()),
            _ => {
                // Framing 1 has no magic: a payload starts with its codec version (one this
                // crm reads, little-endian u16), which rules out almost every byte cheaply.
                let header = frame::V1_HEADER as usize;
                let last = len.checked_sub(header + frame::MIN_PAYLOAD as usize)?;
                let known = 1..=<super::event::Event as super::codec::Versioned>::VERSION;
                (from..=last)
                    .filter(|&at| {
                        matches!(
                            self.bytes.get(at + header..at + header + 2),
                            Some(&[low, high]) if known.contains(&u16::from_le_bytes([low, high]))
                        )
                    })
                    .map(|at| at as u64)
                    .find(|&at| full.record(at, prev).is_ok())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Role, User};
    use crate::store::event::{Change, Event};

    fn payload(seq: u64) -> Vec<u8> {
        let event = Event::held(
            seq,
            "2024-05-10T09:30:00Z".parse().unwrap(),
            "li".into(),
            Change::PutUser(User {
                login: format!("user{seq}"),
                name: "Li".into(),
                role: Role::Rep,
                team: None,
            }),
        );
        codec::encode(&event).unwrap()
    }

    /// A framing-2 journal of `n` records and the offset of each record.
    fn journal(n: u64) -> (Vec<u8>, Vec<u64>) {
        let mut bytes = frame::file_header(0).to_vec();
        let mut offsets = Vec::new();
        for seq in 1..=n {
            offsets.push(bytes.len() as u64);
            bytes.extend(frame::encode_record(seq, &payload(seq)));
        }
        (bytes, offsets)
    }

    fn seqs(scan: &Scan) -> Vec<u64> {
        scan.records.iter().map(|r| r.seq).collect()
    }

    #[test]
    fn a_clean_journal_has_every_record_and_no_tail() {
        let (bytes, offsets) = journal(3);
        let scan = scan(&bytes, 0, false).unwrap();
        assert_eq!(seqs(&scan), [1, 2, 3]);
        assert_eq!(scan.records[1].offset, offsets[1]);
        assert_eq!(scan.tail, Tail::Clean);
        assert!(scan.bad.is_empty());
    }

    #[test]
    fn a_bad_record_with_good_ones_after_is_damage_not_a_tail() {
        let (mut bytes, offsets) = journal(4);
        bytes[offsets[1] as usize + 30] ^= 4;
        let scan = scan(&bytes, 0, false).unwrap();
        assert_eq!(seqs(&scan), [1, 3, 4]);
        assert_eq!(scan.tail, Tail::Clean);
        assert_eq!(
            scan.bad,
            [Bad {
                offset: offsets[1],
                len: offsets[2] - offsets[1],
                seq: 2,
                reason: "payload checksum mismatch".into(),
            }]
        );
    }

    /// Sequence numbers come from disk: a record naming the largest one, followed by damage,
    /// must be reported, not overflow `prev + 1` (a panic in debug builds, 0 in release).
    #[test]
    fn damage_after_the_largest_sequence_number_does_not_overflow() {
        let mut bytes = frame::file_header(0).to_vec();
        bytes.extend(frame::encode_record(u64::MAX, &payload(u64::MAX)));
        let damage = bytes.len() as u64;
        bytes.extend([0xAB; 30]);
        let len = bytes.len() as u64;
        // Verified before, so the bad bytes are damage rather than a torn tail.
        let scan = scan(&bytes, len, false).unwrap();
        assert_eq!(seqs(&scan), [u64::MAX]);
        assert_eq!(
            scan.bad,
            [Bad {
                offset: damage,
                len: 30,
                seq: u64::MAX,
                reason: "no record starts here".into(),
            }]
        );
    }

    #[test]
    fn a_bad_last_record_is_a_torn_tail_unless_it_was_verified_before() {
        let (mut bytes, offsets) = journal(3);
        let end = bytes.len() as u64;
        bytes[offsets[2] as usize + 30] ^= 4;
        let torn = scan(&bytes, 0, false).unwrap();
        assert_eq!(seqs(&torn), [1, 2]);
        assert_eq!(
            torn.tail,
            Tail::Torn {
                at: offsets[2],
                len: end - offsets[2],
                zeros: false
            }
        );
        // The same bytes, once verified whole by an earlier open: damage.
        let trusted = scan(&bytes, end, true).unwrap();
        assert_eq!(trusted.bad.len(), 1);
        assert_eq!(trusted.tail, Tail::Clean);
    }

    #[test]
    fn zeros_after_the_last_record_are_one_torn_tail() {
        for zeros in [8usize, 4096, 65536] {
            let (mut bytes, _) = journal(2);
            let end = bytes.len() as u64;
            bytes.extend(vec![0u8; zeros]);
            let scan = scan(&bytes, 0, false).unwrap();
            assert_eq!(seqs(&scan), [1, 2]);
            assert_eq!(
                scan.tail,
                Tail::Torn {
                    at: end,
                    len: zeros as u64,
                    zeros: true
                }
            );
        }
    }

    proptest::proptest! {
        /// Whatever bits are flipped, every record whose own bytes are untouched is found
        /// again (so a repair keeps it), and nothing found was damaged.
        #[test]
        fn every_untouched_record_survives_any_damage(
            flips in proptest::collection::vec((0usize..4000, 0u8..8), 1..6)
        ) {
            let (original, offsets) = journal(8);
            let len = original.len();
            let mut bytes = original.clone();
            for (at, bit) in flips {
                bytes[at % len] ^= 1 << bit;
            }
            // A byte flipped twice is whole again.
            let touched: Vec<bool> = original.iter().zip(&bytes).map(|(a, b)| a != b).collect();
            let scan = scan(&bytes, 0, true).unwrap();
            let ends: Vec<usize> = offsets.iter().skip(1).map(|&o| o as usize).chain([len]).collect();
            for (i, (&start, &end)) in offsets.iter().zip(&ends).enumerate() {
                let intact = !touched[start as usize..end].iter().any(|&t| t);
                let found = scan.records.iter().any(|r| r.seq == i as u64 + 1);
                if intact {
                    proptest::prop_assert!(found, "record {} lost", i + 1);
                } else {
                    proptest::prop_assert!(!found, "damaged record {} kept", i + 1);
                }
            }
        }

        #[test]
        fn random_bytes_never_panic_the_scan(bytes in proptest::collection::vec(0u8..=255, 0..600)) {
            for trusted in [0, bytes.len() as u64 / 2] {
                let _ = scan(&bytes, trusted, false);
                let _ = scan(&bytes, trusted, true);
            }
        }
    }

    #[test]
    fn a_flipped_file_magic_is_header_damage_not_an_empty_journal() {
        let (mut bytes, _) = journal(3);
        bytes[0] ^= 1; // "CRMJRNL" no longer: the file reads as framing 1 at first
        let scan = scan(&bytes, 0, false).unwrap();
        assert_eq!(scan.framing, Framing::V2);
        assert_eq!(seqs(&scan), [1, 2, 3]);
        assert_eq!(scan.tail, Tail::Clean);
        assert_eq!(scan.bad.len(), 1);
        assert_eq!((scan.bad[0].offset, scan.bad[0].len), (0, 24));
    }

    #[test]
    fn a_framing_1_journal_is_read_and_its_zero_tail_cut() {
        let mut bytes = Vec::new();
        for seq in 1..=2 {
            let p = payload(seq);
            bytes.extend((p.len() as u32).to_le_bytes());
            bytes.extend(crc32fast::hash(&p).to_le_bytes());
            bytes.extend(p);
        }
        let end = bytes.len() as u64;
        bytes.extend([0u8; 8]);
        let scan = scan(&bytes, 0, false).unwrap();
        assert_eq!(scan.framing, Framing::V1);
        assert_eq!(seqs(&scan), [1, 2]);
        assert_eq!(
            scan.tail,
            Tail::Torn {
                at: end,
                len: 8,
                zeros: true
            }
        );
    }
}
