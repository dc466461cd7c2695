//! Snapshot files: derived data that whole-process commands read without opening the index.
//!
//! A snapshot is stamped with the journal as it was when the snapshot was written (its
//! length and a checksum of its last bytes). It is current only while the journal still
//! matches the stamp, so any later change, or a cut tail, makes it stale.

use std::fs::{self, File};
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use super::error::{io_at, Result, StoreError};
use super::journal::sync_parent;
use super::private::create_temp_beside;
use super::space;

const MAGIC: &[u8; 8] = b"CRMSNAP1";
const TAIL: u64 = 4096;
const HEAD: usize = 8 + 8 + 4 + 4;

/// The journal's identity at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    tail_crc: u32,
}

fn stamp_of(journal: &File) -> std::io::Result<Stamp> {
    let len = journal.metadata()?.len();
    let from = len.saturating_sub(TAIL);
    let mut tail = vec![0; (len - from) as usize];
    journal.read_exact_at(&mut tail, from)?;
    Ok(Stamp {
        len,
        tail_crc: crc32fast::hash(&tail),
    })
}

pub(crate) fn path_of(dir: &Path, name: &str) -> Result<PathBuf> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid {
        return Err(StoreError::InvalidName {
            what: "snapshot",
            name: name.to_string(),
        });
    }
    Ok(dir.join(format!("snapshot.{name}")))
}

/// Writes `bytes` atomically (an exclusive temporary file, fsync, rename, fsync of the
/// directory).
pub(crate) fn write(dir: &Path, journal: &File, name: &str, bytes: &[u8]) -> Result<()> {
    let journal_path = dir.join("journal");
    let stamp = stamp_of(journal).map_err(io_at(&journal_path))?;
    let mut content = Vec::with_capacity(HEAD + bytes.len());
    content.extend_from_slice(MAGIC);
    content.extend_from_slice(&stamp.len.to_le_bytes());
    content.extend_from_slice(&stamp.tail_crc.to_le_bytes());
    content.extend_from_slice(&crc32fast::hash(bytes).to_le_bytes());
    content.extend_from_slice(bytes);
    write_raw(dir, name, &content)
}

/// Writes a snapshot file's whole `content` (header included) atomically.
pub(crate) fn write_raw(dir: &Path, name: &str, content: &[u8]) -> Result<()> {
    let path = path_of(dir, name)?;
    let (mut file, tmp) = create_temp_beside(&path).map_err(|source| {
        if space::is_full(&source) {
            space::full(dir, content.len() as u64)
        } else {
            io_at(&path)(source)
        }
    })?;
    let written = file.write_all(content).and_then(|()| file.sync_all());
    if let Err(source) = written {
        // A full disk leaves no half-written temporary file behind, and says so.
        let _ = fs::remove_file(&tmp);
        return Err(if space::is_full(&source) {
            space::full(dir, content.len() as u64)
        } else {
            io_at(&tmp)(source)
        });
    }
    if let Err(e) = fs::rename(&tmp, &path) {
        let _ = fs::remove_file(&tmp);
        return Err(io_at(&path)(e));
    }
    sync_parent(&path)
}

/// The stamp and payload checksum of a snapshot's header, if it is one.
fn header(content: &[u8]) -> Option<(Stamp, u32)> {
    let head = content.get(..HEAD)?;
    if &head[..8] != MAGIC {
        return None;
    }
    let word = |at: usize, n: usize| -> u64 {
        let mut buf = [0u8; 8];
        buf[..n].copy_from_slice(&head[at..at + n]);
        u64::from_le_bytes(buf)
    };
    let stamp = Stamp {
        len: word(8, 8),
        tail_crc: word(16, 4) as u32,
    };
    Some((stamp, word(20, 4) as u32))
}

fn journal_matches(dir: &Path, stamp: Stamp) -> bool {
    File::open(dir.join("journal"))
        .and_then(|journal| stamp_of(&journal))
        .is_ok_and(|found| found == stamp)
}

/// Whether the snapshot exists and the journal still matches its stamp, reading only its
/// header (its checksum is checked when it is read).
pub(crate) fn is_current(dir: &Path, name: &str) -> bool {
    let Ok(path) = path_of(dir, name) else {
        return false;
    };
    let mut head = [0u8; HEAD];
    let read = File::open(path).and_then(|file| file.read_exact_at(&mut head, 0));
    read.is_ok() && header(&head).is_some_and(|(stamp, _)| journal_matches(dir, stamp))
}

/// The snapshot's bytes if it exists, is intact, and the journal still matches its stamp.
pub(crate) fn read_current(dir: &Path, name: &str) -> Option<Vec<u8>> {
    let path = path_of(dir, name).ok()?;
    let mut content = fs::read(path).ok()?;
    let (stamp, crc) = header(&content)?;
    if crc32fast::hash(&content[HEAD..]) != crc || !journal_matches(dir, stamp) {
        return None;
    }
    content.drain(..HEAD);
    Some(content)
}

/// A snapshot file mapped into memory rather than read: its payload is used in place, and
/// only the pages a reader touches are read from disk or take memory.
pub struct MappedSnapshot {
    map: memmap2::Mmap,
}

impl MappedSnapshot {
    pub(crate) fn of(map: memmap2::Mmap) -> MappedSnapshot {
        MappedSnapshot { map }
    }

    /// Where the payload of a based snapshot (`based.rs`) starts; also a multiple of 8.
    pub const BASED_PAYLOAD_START: usize = super::based::HEAD;

    /// Where the payload starts in `as_ref()`: a multiple of 8, so 8-byte words in the
    /// payload stay aligned in the page-aligned mapping.
    pub const PAYLOAD_START: usize = HEAD;
}

impl AsRef<[u8]> for MappedSnapshot {
    fn as_ref(&self) -> &[u8] {
        &self.map
    }
}

/// The snapshot mapped, if it exists and the journal still matches its stamp. Its payload
/// checksum is not verified: that would read every page, which is what mapping avoids; the
/// reader must validate every length and offset it follows (damage then gives wrong
/// results, never a crash), and the next write replaces the snapshot.
pub(crate) fn map_current(dir: &Path, name: &str) -> Option<MappedSnapshot> {
    let path = path_of(dir, name).ok()?;
    let file = File::open(path).ok()?;
    // SAFETY: crm never writes a snapshot in place: a new one is written to a temporary
    // file and renamed over the old, so the mapped file's bytes do not change while mapped.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    let (stamp, _) = header(&map)?;
    journal_matches(dir, stamp).then_some(MappedSnapshot { map })
}
