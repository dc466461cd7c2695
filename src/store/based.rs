//! Based snapshots: derived data stamped with the journal sequence it reflects, kept across
//! later writes.
//!
//! A plain snapshot (`snapshot.rs`) is current only while the journal is unchanged, so
//! every write had to rewrite it whole (66 MB at 100k customers for a 192-byte contact).
//! A based snapshot instead names the sequence `seq` it was computed at and where the
//! journal ended then (`offset`, with a checksum of the 4 KiB before it). It stays usable
//! while the journal still holds those same bytes; a reader takes it as a base and applies
//! the events after `seq` itself (`events_after`), so a write appends only its journal
//! record and the base is rewritten rarely (when the delta has grown).
//!
//! ```text
//! "CRMSNAP2" | u64 seq | u64 journal offset | u32 crc32 of the journal's 4 KiB before
//! the offset | u32 crc32 of the payload | payload
//! ```

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;

use super::codec;
use super::error::Result;
use super::event::Event;
use super::frame::{self, Framing};
use super::snapshot::{self, MappedSnapshot};

const MAGIC: &[u8; 8] = b"CRMSNAP2";
const TAIL: u64 = 4096;
/// Header bytes; a multiple of 8 so 8-byte words of a mapped payload stay aligned.
pub(crate) const HEAD: usize = 8 + 8 + 8 + 4 + 4;

/// Where a based snapshot stands in the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Base {
    /// The last journal sequence the snapshot reflects.
    pub seq: u64,
    /// The journal's length at that sequence: events after `seq` start here.
    pub offset: u64,
    tail_crc: u32,
}

fn tail_crc(journal: &File, offset: u64) -> std::io::Result<u32> {
    let from = offset.saturating_sub(TAIL);
    let mut tail = vec![0; (offset - from) as usize];
    journal.read_exact_at(&mut tail, from)?;
    Ok(crc32fast::hash(&tail))
}

/// Writes `bytes` as snapshot `name` based at `seq`, where the journal (of length
/// `offset`) ends. Atomic like every snapshot.
pub(crate) fn write(
    dir: &Path,
    journal: &File,
    seq: u64,
    offset: u64,
    name: &str,
    bytes: &[u8],
) -> Result<()> {
    let crc = tail_crc(journal, offset).map_err(super::error::io_at(&dir.join("journal")))?;
    let mut content = Vec::with_capacity(HEAD + bytes.len());
    content.extend_from_slice(MAGIC);
    content.extend_from_slice(&seq.to_le_bytes());
    content.extend_from_slice(&offset.to_le_bytes());
    content.extend_from_slice(&crc.to_le_bytes());
    content.extend_from_slice(&crc32fast::hash(bytes).to_le_bytes());
    content.extend_from_slice(bytes);
    snapshot::write_raw(dir, name, &content)
}

fn header(content: &[u8]) -> Option<(Base, u32)> {
    let head = content.get(..HEAD)?;
    if &head[..8] != MAGIC {
        return None;
    }
    let base = Base {
        seq: frame::u64_at(head, 8),
        offset: frame::u64_at(head, 16),
        tail_crc: frame::u32_at(head, 24),
    };
    Some((base, frame::u32_at(head, 28)))
}

/// Whether the journal in `dir` still holds the bytes the base was computed from.
fn journal_holds(dir: &Path, base: Base) -> bool {
    let Ok(journal) = File::open(dir.join("journal")) else {
        return false;
    };
    let long_enough = journal.metadata().is_ok_and(|m| m.len() >= base.offset);
    long_enough && tail_crc(&journal, base.offset).is_ok_and(|crc| crc == base.tail_crc)
}

/// The snapshot's base and payload, if it is intact and the journal still holds its base.
pub(crate) fn read(dir: &Path, name: &str) -> Option<(Base, Vec<u8>)> {
    let path = snapshot::path_of(dir, name).ok()?;
    let mut content = std::fs::read(path).ok()?;
    let (base, crc) = header(&content)?;
    if crc32fast::hash(&content[HEAD..]) != crc || !journal_holds(dir, base) {
        return None;
    }
    content.drain(..HEAD);
    Some((base, content))
}

/// Only the base of snapshot `name`, reading its header alone.
pub(crate) fn base_of(dir: &Path, name: &str) -> Option<Base> {
    let path = snapshot::path_of(dir, name).ok()?;
    let mut head = [0u8; HEAD];
    File::open(path).ok()?.read_exact_at(&mut head, 0).ok()?;
    let (base, _) = header(&head)?;
    journal_holds(dir, base).then_some(base)
}

/// The snapshot mapped (payload from `HEAD`), if the journal still holds its base. As with
/// `snapshot::map_current`, the payload checksum is not verified: the reader validates
/// every length and offset it follows.
pub(crate) fn map(dir: &Path, name: &str) -> Option<(Base, MappedSnapshot)> {
    let path = snapshot::path_of(dir, name).ok()?;
    let file = File::open(path).ok()?;
    // SAFETY: snapshots are never written in place (temporary file, then rename).
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    let (base, _) = header(&map)?;
    journal_holds(dir, base).then(|| (base, MappedSnapshot::of(map)))
}

/// The events after `base`, read from the journal file itself (no index, no lock), at most
/// `limit` of them. `None` when there are more, or when a record past the base is not a
/// whole, intact framing-2 record (a write under way, damage): the caller then takes the
/// slow path, which opens the book and meets any damage there.
pub(crate) fn events_after(dir: &Path, base: Base, limit: usize) -> Option<Vec<Event>> {
    let journal = File::open(dir.join("journal")).ok()?;
    let len = journal.metadata().ok()?.len();
    if limit == 0 {
        // Only "is anything after the base?": answered by the length, nothing read.
        return (len == base.offset).then(Vec::new);
    }
    let mut bytes = vec![0; usize::try_from(len.checked_sub(base.offset)?).ok()?];
    journal.read_exact_at(&mut bytes, base.offset).ok()?;
    let mut events = Vec::new();
    let mut at = 0usize;
    while at < bytes.len() {
        if events.len() == limit {
            return None;
        }
        let header = frame::header(Framing::V2, &bytes[at..]).ok()?;
        let start = at + frame::RECORD_HEADER as usize;
        let end = start.checked_add(usize::try_from(header.payload_len).ok()?)?;
        let payload = bytes.get(start..end)?;
        if crc32fast::hash(payload) != header.payload_crc {
            return None;
        }
        let event: Event = codec::decode(payload).ok()?;
        // `base.seq` is read from the snapshot file: a damaged one must not overflow.
        let expected = base.seq.checked_add(events.len() as u64 + 1)?;
        if event.seq != expected || header.seq != Some(expected) {
            return None;
        }
        events.push(event);
        at = end;
    }
    Some(events)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::User;
    use crate::store::{Change, JournalStore, Store};

    fn user(login: &str) -> Change {
        Change::PutUser(User {
            login: login.into(),
            name: login.into(),
            role: crate::domain::model::Role::Rep,
            team: None,
        })
    }

    #[test]
    fn a_base_survives_later_writes_and_names_the_events_after_it() {
        let tmp = tempfile::tempdir().unwrap();
        let (mut store, _) = JournalStore::open(tmp.path()).unwrap();
        let at = jiff::Timestamp::UNIX_EPOCH;
        store.apply("t", at, user("a")).unwrap();
        store.write_based_snapshot("x", b"payload").unwrap();
        store.apply("t", at, user("b")).unwrap();
        store.apply("t", at, user("c")).unwrap();
        let (base, bytes) = read(tmp.path(), "x").unwrap();
        assert_eq!((base.seq, bytes.as_slice()), (1, &b"payload"[..]));
        let after = events_after(tmp.path(), base, 10).unwrap();
        let seqs: Vec<u64> = after.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [2, 3]);
        assert_eq!(after[1].change, user("c"));
        // More events than the caller takes: none.
        assert!(events_after(tmp.path(), base, 1).is_none());
        assert_eq!(base_of(tmp.path(), "x"), Some(base));
    }

    /// A base's sequence is read from the snapshot file: a damaged one naming the largest
    /// sequence number sends the reader to the slow path instead of overflowing.
    #[test]
    fn a_base_at_the_largest_sequence_number_is_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let (mut store, _) = JournalStore::open(tmp.path()).unwrap();
        let at = jiff::Timestamp::UNIX_EPOCH;
        store.apply("t", at, user("a")).unwrap();
        store.write_based_snapshot("x", b"payload").unwrap();
        store.apply("t", at, user("b")).unwrap();
        let (base, _) = read(tmp.path(), "x").unwrap();
        let damaged = Base {
            seq: u64::MAX,
            ..base
        };
        assert!(events_after(tmp.path(), damaged, 10).is_none());
        assert_eq!(events_after(tmp.path(), base, 10).unwrap().len(), 1);
    }

    #[test]
    fn a_base_whose_journal_bytes_changed_is_not_used() {
        let tmp = tempfile::tempdir().unwrap();
        let (mut store, _) = JournalStore::open(tmp.path()).unwrap();
        let at = jiff::Timestamp::UNIX_EPOCH;
        store.apply("t", at, user("a")).unwrap();
        store.write_based_snapshot("x", b"payload").unwrap();
        drop(store);
        // A journal cut before the base (a repair, a replaced book) no longer holds it.
        let journal = std::fs::OpenOptions::new()
            .write(true)
            .open(tmp.path().join("journal"))
            .unwrap();
        let len = journal.metadata().unwrap().len();
        journal.set_len(len - 1).unwrap();
        assert!(read(tmp.path(), "x").is_none());
        journal.set_len(len).unwrap();
        journal.write_all_at(b"Z", len - 1).unwrap();
        assert!(read(tmp.path(), "x").is_none());
        assert!(map(tmp.path(), "x").is_none());
    }

    #[test]
    fn a_damaged_or_half_written_event_after_the_base_gives_none() {
        let tmp = tempfile::tempdir().unwrap();
        let (mut store, _) = JournalStore::open(tmp.path()).unwrap();
        let at = jiff::Timestamp::UNIX_EPOCH;
        store.apply("t", at, user("a")).unwrap();
        store.write_based_snapshot("x", b"p").unwrap();
        store.apply("t", at, user("b")).unwrap();
        drop(store);
        let (base, _) = read(tmp.path(), "x").unwrap();
        let journal = std::fs::OpenOptions::new()
            .write(true)
            .open(tmp.path().join("journal"))
            .unwrap();
        let len = journal.metadata().unwrap().len();
        journal.set_len(len - 2).unwrap();
        assert!(events_after(tmp.path(), base, 10).is_none());
    }
}
