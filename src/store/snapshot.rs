//! Snapshot files: derived data that whole-process commands read without opening the index.
//!
//! A snapshot is stamped with the journal as it was when the snapshot was written (its
//! length and a checksum of its last bytes). It is current only while the journal still
//! matches the stamp, so any later change, or a cut tail, makes it stale.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::error::{io_at, Result, StoreError};
use super::journal::sync_parent;

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

/// Writes `bytes` atomically (temporary file, fsync, rename, fsync of the directory).
pub(crate) fn write(dir: &Path, journal: &File, name: &str, bytes: &[u8]) -> Result<()> {
    let path = path_of(dir, name)?;
    let journal_path = dir.join("journal");
    let stamp = stamp_of(journal).map_err(io_at(&journal_path))?;
    let mut content = Vec::with_capacity(HEAD + bytes.len());
    content.extend_from_slice(MAGIC);
    content.extend_from_slice(&stamp.len.to_le_bytes());
    content.extend_from_slice(&stamp.tail_crc.to_le_bytes());
    content.extend_from_slice(&crc32fast::hash(bytes).to_le_bytes());
    content.extend_from_slice(bytes);
    let tmp = dir.join(format!("snapshot.{name}.tmp"));
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(io_at(&tmp))?;
    file.write_all(&content)
        .and_then(|()| file.sync_all())
        .map_err(io_at(&tmp))?;
    fs::rename(&tmp, &path).map_err(io_at(&path))?;
    sync_parent(&path)
}

/// Whether the snapshot exists and the journal still matches its stamp, reading only its
/// header (its checksum is checked when it is read).
pub(crate) fn is_current(dir: &Path, name: &str) -> bool {
    let Ok(path) = path_of(dir, name) else {
        return false;
    };
    let mut head = [0u8; HEAD];
    let read = File::open(path).and_then(|file| file.read_exact_at(&mut head, 0));
    if read.is_err() || &head[..8] != MAGIC {
        return false;
    }
    let stamp = Stamp {
        len: u64::from_le_bytes([
            head[8], head[9], head[10], head[11], head[12], head[13], head[14], head[15],
        ]),
        tail_crc: u32::from_le_bytes([head[16], head[17], head[18], head[19]]),
    };
    File::open(dir.join("journal"))
        .and_then(|journal| stamp_of(&journal))
        .is_ok_and(|found| found == stamp)
}

/// The snapshot's bytes if it exists, is intact, and the journal still matches its stamp.
pub(crate) fn read_current(dir: &Path, name: &str) -> Option<Vec<u8>> {
    let path = path_of(dir, name).ok()?;
    let content = fs::read(path).ok()?;
    if content.len() < HEAD || &content[..8] != MAGIC {
        return None;
    }
    let word = |at: usize, n: usize| -> Option<u64> {
        let mut buf = [0u8; 8];
        buf[..n].copy_from_slice(content.get(at..at + n)?);
        Some(u64::from_le_bytes(buf))
    };
    let stamp = Stamp {
        len: word(8, 8)?,
        tail_crc: word(16, 4)? as u32,
    };
    let crc = word(20, 4)? as u32;
    let bytes = &content[HEAD..];
    if crc32fast::hash(bytes) != crc {
        return None;
    }
    let journal = File::open(dir.join("journal")).ok()?;
    if stamp_of(&journal).ok()? != stamp {
        return None;
    }
    Some(bytes.to_vec())
}
