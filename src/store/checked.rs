//! `journal.checked`: how far an earlier open verified every record, and where the rolling
//! re-check of those old records stands.
//!
//! Opening a book verifies every record past the checked length in full, but only the
//! headers of the records before it (a 173 MB import would otherwise be read on every
//! `crm show`). So that damage to an old record is still found at an open, and not first
//! by the rebuild that needs it, every open also re-checks the next `ROLL_BUDGET` bytes of
//! old payload, carrying a partial checksum across opens: a journal of N MiB is re-read
//! whole every N / 4 opens, at a cost of at most 4 MiB read per open.
//!
//! Layout: `[u64 length][u32 crc32 of the journal's last 4 KiB before it][u64 cursor
//! record][u64 cursor bytes done][u32 cursor partial crc][u32 crc32 of the 32 before]`.
//! The journal only grows, so while those 4 KiB are unchanged the records before that
//! length are the ones verified. The 12-byte layout of earlier versions (no cursor) is
//! still read. Written through an exclusive temporary file and a rename, unsynced (it is
//! written at every open): a lost or stale file only makes an open check more.

use std::fs::File;
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use super::frame::{self, Framing};
use super::private::create_temp_beside;
use super::scan::{Bad, Rec};

/// How many bytes of old payload each open re-checks.
pub(crate) const ROLL_BUDGET: u64 = 4 << 20;
/// How many bytes of the tail stand for the bytes before them.
const CHECKED_TAIL: u64 = 4096;

/// Where the rolling re-check goes on: `done` bytes of record number `record` (0-based)
/// hashed so far, to a partial crc of `crc`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Cursor {
    pub record: u64,
    pub done: u64,
    pub crc: u32,
}

pub(crate) fn path_of(journal: &Path) -> PathBuf {
    let name = journal
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "journal".to_string());
    journal.with_file_name(format!("{name}.checked"))
}

fn tail_crc(bytes: &[u8], len: u64) -> u32 {
    let from = len.saturating_sub(CHECKED_TAIL) as usize;
    crc32fast::hash(&bytes[from..len as usize])
}

/// The length up to which `bytes` was verified before (0 if unknown), and the cursor.
pub(crate) fn read(journal: &Path, bytes: &[u8]) -> (u64, Cursor) {
    let Ok(hint) = std::fs::read(path_of(journal)) else {
        return (0, Cursor::default());
    };
    let cursor = match hint.len() {
        12 => Cursor::default(),
        36 if crc32fast::hash(&hint[..32]) == frame::u32_at(&hint, 32) => Cursor {
            record: frame::u64_at(&hint, 12),
            done: frame::u64_at(&hint, 20),
            crc: frame::u32_at(&hint, 28),
        },
        _ => return (0, Cursor::default()),
    };
    let len = frame::u64_at(&hint, 0);
    let crc = frame::u32_at(&hint, 8);
    if len == 0 || len > bytes.len() as u64 || tail_crc(bytes, len) != crc {
        return (0, Cursor::default());
    }
    (len, cursor)
}

/// Remembers that the first `len` bytes of `file` are verified; best effort.
pub(crate) fn write(journal: &Path, file: &File, len: u64, cursor: Cursor) {
    let from = len.saturating_sub(CHECKED_TAIL);
    let mut tail = vec![0; (len - from) as usize];
    if file.read_exact_at(&mut tail, from).is_err() {
        return;
    }
    let mut bytes = len.to_le_bytes().to_vec();
    bytes.extend_from_slice(&crc32fast::hash(&tail).to_le_bytes());
    bytes.extend_from_slice(&cursor.record.to_le_bytes());
    bytes.extend_from_slice(&cursor.done.to_le_bytes());
    bytes.extend_from_slice(&cursor.crc.to_le_bytes());
    let crc = crc32fast::hash(&bytes);
    bytes.extend_from_slice(&crc.to_le_bytes());
    let target = path_of(journal);
    let Ok((mut file, tmp)) = create_temp_beside(&target) else {
        return;
    };
    let written = file
        .write_all(&bytes)
        .and_then(|()| std::fs::rename(&tmp, &target));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// Re-checks up to `budget` bytes of the payloads of the records that end at or before
/// `trusted`, from `cursor` on, wrapping around; returns where the next open goes on, or
/// the first record whose checksum no longer matches.
pub(crate) fn roll(
    bytes: &[u8],
    framing: Framing,
    records: &[Rec],
    trusted: u64,
    cursor: Cursor,
    budget: u64,
) -> Result<Cursor, Bad> {
    let old = records.partition_point(|r| r.end <= trusted);
    if old == 0 {
        return Ok(Cursor::default());
    }
    let mut at = if (cursor.record as usize) < old {
        cursor
    } else {
        Cursor::default()
    };
    let mut left = budget;
    let mut finished = 0;
    while left > 0 && finished <= old {
        let rec = records[at.record as usize];
        let payload = &bytes[(rec.offset + framing.record_header()) as usize..rec.end as usize];
        if at.done > payload.len() as u64 {
            at = Cursor {
                record: at.record,
                ..Cursor::default()
            };
        }
        let n = left.min(payload.len() as u64 - at.done);
        let mut hasher = crc32fast::Hasher::new_with_initial(at.crc);
        hasher.update(&payload[at.done as usize..(at.done + n) as usize]);
        at.crc = hasher.finalize();
        at.done += n;
        left -= n;
        if at.done < payload.len() as u64 {
            continue;
        }
        let expected = frame::header(framing, &bytes[rec.offset as usize..])
            .map(|h| h.payload_crc)
            .ok();
        if expected != Some(at.crc) {
            return Err(Bad {
                offset: rec.offset,
                len: rec.end - rec.offset,
                seq: rec.seq,
                reason: "payload checksum mismatch in a record verified before".to_string(),
            });
        }
        finished += 1;
        at = Cursor {
            record: (at.record + 1) % old as u64,
            ..Cursor::default()
        };
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three records of 10-byte payloads in framing 2.
    fn journal() -> (Vec<u8>, Vec<Rec>) {
        let mut bytes = frame::file_header(0).to_vec();
        let mut records = Vec::new();
        for seq in 1..=3u64 {
            let offset = bytes.len() as u64;
            bytes.extend(frame::encode_record(seq, &[seq as u8; 10]));
            records.push(Rec {
                offset,
                seq,
                end: bytes.len() as u64,
            });
        }
        (bytes, records)
    }

    #[test]
    fn a_partial_checksum_carries_across_opens() {
        let (bytes, records) = journal();
        let all = bytes.len() as u64;
        let mut cursor = Cursor::default();
        // 4 bytes per open: record 1 takes three opens, then record 2 starts.
        for _ in 0..3 {
            cursor = roll(&bytes, Framing::V2, &records, all, cursor, 4).unwrap();
        }
        assert_eq!(
            cursor,
            Cursor {
                record: 1,
                done: 2,
                crc: crc32fast::hash(&[2, 2])
            }
        );
        // A whole pass wraps around to the first record.
        let cursor = roll(&bytes, Framing::V2, &records, all, cursor, 18).unwrap();
        assert_eq!(cursor, Cursor::default());
    }

    #[test]
    fn damage_in_an_old_payload_is_found_by_the_roll() {
        let (mut bytes, records) = journal();
        let all = bytes.len() as u64;
        bytes[(records[2].offset + 24 + 5) as usize] ^= 1;
        let mut cursor = Cursor::default();
        let mut found = None;
        for _ in 0..4 {
            match roll(&bytes, Framing::V2, &records, all, cursor, 8) {
                Ok(next) => cursor = next,
                Err(bad) => {
                    found = Some(bad.seq);
                    break;
                }
            }
        }
        assert_eq!(found, Some(3));
    }

    #[test]
    fn only_records_before_the_trusted_length_are_rolled() {
        let (bytes, records) = journal();
        assert_eq!(
            roll(
                &bytes,
                Framing::V2,
                &records,
                records[0].offset,
                Cursor::default(),
                99
            ),
            Ok(Cursor::default())
        );
        let one = roll(
            &bytes,
            Framing::V2,
            &records,
            records[0].end,
            Cursor::default(),
            5,
        );
        assert_eq!(one.unwrap().done, 5);
    }
}
