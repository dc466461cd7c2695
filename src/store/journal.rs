//! The append-only event log: the book's source of truth.
//!
//! A record is `[u32 LE payload length][u32 LE crc32 of payload][payload]`, the payload a
//! codec envelope of an `Event`. A record is acknowledged only after `fdatasync`. A crash
//! can leave a torn last record; opening cuts the file back to the last good record and
//! keeps the cut bytes in a side file, so nothing is ever destroyed silently.

use std::fs::{File, OpenOptions};
use std::io::{BufReader, Read, Write};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::codec;
use super::error::{io_at, CodecError, Result, StoreError};
use super::event::Event;

const HEADER: u64 = 8;

pub(crate) struct Journal {
    path: PathBuf,
    file: File,
    /// Bytes of good records; the file is exactly this long between calls.
    len: u64,
    /// `offsets[i]` is where the record of seq `i + 1` starts.
    offsets: Vec<u64>,
}

/// What opening found at the end of the journal.
pub(crate) struct Opened {
    pub journal: Journal,
    pub cut_bytes: u64,
    pub cut_saved: Option<PathBuf>,
}

impl Journal {
    pub fn open(path: &Path) -> Result<Opened> {
        let existed = path.exists();
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)
            .map_err(io_at(path))?;
        if !existed {
            sync_parent(path)?;
        }
        let file_len = file.metadata().map_err(io_at(path))?.len();
        let trusted = checked_prefix(path, &file, file_len);
        let (offsets, good_len) = scan(path, &file, file_len, trusted)?;
        if good_len == file_len && good_len > trusted {
            // Best effort: without it the next open only checks more.
            write_checked(path, &file, good_len);
        }
        let mut journal = Journal {
            path: path.to_path_buf(),
            file,
            len: good_len,
            offsets,
        };
        let cut_bytes = file_len - good_len;
        let cut_saved = if cut_bytes > 0 {
            Some(journal.cut_tail(file_len)?)
        } else {
            None
        };
        Ok(Opened {
            journal,
            cut_bytes,
            cut_saved,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn last_seq(&self) -> u64 {
        self.offsets.len() as u64
    }

    /// Where the record of `seq` starts (the journal length for `last_seq() + 1`).
    pub fn offset_of(&self, seq: u64) -> u64 {
        match seq.checked_sub(1) {
            Some(i) => self.offsets.get(i as usize).copied().unwrap_or(self.len),
            None => 0,
        }
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn file(&self) -> &File {
        &self.file
    }

    /// Appends `event` (whose seq must be `last_seq() + 1`) and syncs it to disk.
    pub fn append(&mut self, event: &Event) -> Result<()> {
        if event.seq != self.last_seq() + 1 {
            return Err(self.error(event.seq, self.len, "out-of-order sequence"));
        }
        let payload = codec::encode(event).map_err(|source| StoreError::Encode {
            path: self.path.clone(),
            source,
        })?;
        let Ok(size) = u32::try_from(payload.len()) else {
            return Err(self.error(event.seq, self.len, "change larger than 4 GiB"));
        };
        let mut record = Vec::with_capacity(payload.len() + HEADER as usize);
        record.extend_from_slice(&size.to_le_bytes());
        record.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
        record.extend_from_slice(&payload);
        let written = self
            .file
            .write_all_at(&record, self.len)
            .and_then(|()| self.file.sync_data());
        if let Err(source) = written {
            // Leave no partial record behind for the next append to follow.
            let _ = self.file.set_len(self.len);
            return Err(StoreError::Io {
                path: self.path.clone(),
                source,
            });
        }
        self.offsets.push(self.len);
        self.len += record.len() as u64;
        Ok(())
    }

    /// Reads the events from `first` on, in order, each with the journal offset after it.
    pub fn read_from(&self, first: u64) -> impl Iterator<Item = Result<(Event, u64)>> + '_ {
        let start = first.max(1);
        (start..=self.last_seq()).map(move |seq| {
            let offset = self.offset_of(seq);
            let end = self.offset_of(seq + 1);
            let mut record = vec![0; (end - offset) as usize];
            self.file
                .read_exact_at(&mut record, offset)
                .map_err(io_at(&self.path))?;
            let payload = record.get(HEADER as usize..).unwrap_or_default();
            let crc = record
                .get(4..8)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
            if crc != Some(crc32fast::hash(payload)) {
                return Err(self.error(seq, offset, "checksum mismatch"));
            }
            let event: Event =
                codec::decode(payload).map_err(|e| self.error(seq, offset, &e.to_string()))?;
            if event.seq != seq {
                let detail = format!("holds sequence {} where {} belongs", event.seq, seq);
                return Err(self.error(seq, offset, &detail));
            }
            Ok((event, end))
        })
    }

    fn error(&self, seq: u64, offset: u64, detail: &str) -> StoreError {
        StoreError::Journal {
            path: self.path.clone(),
            seq,
            offset,
            detail: detail.to_string(),
        }
    }

    /// Copies the bytes past the last good record to a side file, then cuts them off.
    fn cut_tail(&mut self, file_len: u64) -> Result<PathBuf> {
        let mut tail = vec![0; (file_len - self.len) as usize];
        self.file
            .read_exact_at(&mut tail, self.len)
            .map_err(io_at(&self.path))?;
        let saved = side_file(&self.path)?;
        let mut side = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&saved)
            .map_err(io_at(&saved))?;
        side.write_all(&tail)
            .and_then(|()| side.sync_all())
            .map_err(io_at(&saved))?;
        self.file
            .set_len(self.len)
            .and_then(|()| self.file.sync_all())
            .map_err(io_at(&self.path))?;
        sync_parent(&self.path)?;
        Ok(saved)
    }
}

/// Records up to this size are checksummed on every open (they are in the read buffer
/// anyway); a larger one is skipped unless it is the last record. A record followed by
/// another was written whole before the next one was acknowledged (each append is synced),
/// so only the tail can be torn; a larger record's checksum is checked when it is replayed.
/// This keeps opening a book whose history is one big import at a read of its tail.
const CHECK_ALWAYS: u64 = 1 << 20;

/// Walks the records; returns their offsets and where the last good one ends. Stops at the
/// first record that is short, fails its checksum, or (the last one) does not name its
/// sequence.
fn scan(path: &Path, file: &File, file_len: u64, trusted: u64) -> Result<(Vec<u64>, u64)> {
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut offsets = Vec::new();
    let mut at = 0u64;
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        let mut header = [0u8; HEADER as usize];
        if file_len - at < HEADER || reader.read_exact(&mut header).is_err() {
            break;
        }
        let size = u32::from_le_bytes([header[0], header[1], header[2], header[3]]) as u64;
        let crc = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
        if size > file_len - at - HEADER {
            break;
        }
        let seq = offsets.len() as u64 + 1;
        let end = at + HEADER + size;
        if end <= trusted || (end != file_len && size > CHECK_ALWAYS) {
            if reader.seek_relative(size as i64).is_err() {
                break;
            }
            offsets.push(at);
            at = end;
            continue;
        }
        // Streamed through a small buffer: the tail may be a whole import.
        let mut hasher = crc32fast::Hasher::new();
        let mut head = Vec::new();
        let mut left = size as usize;
        let mut short = false;
        while left > 0 {
            let n = left.min(chunk.len());
            if reader.read_exact(&mut chunk[..n]).is_err() {
                short = true;
                break;
            }
            hasher.update(&chunk[..n]);
            if head.len() < 32 {
                head.extend_from_slice(&chunk[..n.min(32)]);
            }
            left -= n;
        }
        if short || hasher.finalize() != crc {
            break;
        }
        if end == file_len {
            // A checksummed record that a newer crm wrote must stop us, never be cut.
            match codec::event_seq(&head) {
                Ok(found) if found == seq => {}
                Err(e @ CodecError::FutureVersion { .. }) => {
                    return Err(StoreError::Journal {
                        path: path.to_path_buf(),
                        seq,
                        offset: at,
                        detail: e.to_string(),
                    })
                }
                _ => break,
            }
        }
        offsets.push(at);
        at = end;
    }
    Ok((offsets, at))
}

/// How many bytes of the tail stand for the bytes before them in `journal.checked`.
const CHECKED_TAIL: u64 = 4096;

/// `DIR/journal.checked` remembers how far an earlier open checked every record:
/// `[u64 LE length][u32 LE crc32 of the journal's last 4 KiB before that length]`. The
/// journal only grows, so while those bytes are unchanged the records before that length
/// need no second reading: opening a book does not re-read a large import every time.
fn checked_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "journal".to_string());
    path.with_file_name(format!("{name}.checked"))
}

fn tail_crc(file: &File, len: u64) -> Option<u32> {
    let from = len.saturating_sub(CHECKED_TAIL);
    let mut tail = vec![0; (len - from) as usize];
    file.read_exact_at(&mut tail, from).ok()?;
    Some(crc32fast::hash(&tail))
}

/// The length up to which the journal was checked before, or 0.
fn checked_prefix(path: &Path, file: &File, file_len: u64) -> u64 {
    let Ok(bytes) = std::fs::read(checked_path(path)) else {
        return 0;
    };
    let Ok(bytes) = <[u8; 12]>::try_from(bytes.as_slice()) else {
        return 0;
    };
    let len = u64::from_le_bytes([
        bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
    ]);
    let crc = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
    if len > file_len || tail_crc(file, len) != Some(crc) {
        return 0;
    }
    len
}

/// Written by rename, unsynced: a lost or stale file only makes the next open check more.
fn write_checked(path: &Path, file: &File, len: u64) {
    let Some(crc) = tail_crc(file, len) else {
        return;
    };
    let mut bytes = len.to_le_bytes().to_vec();
    bytes.extend_from_slice(&crc.to_le_bytes());
    let target = checked_path(path);
    let tmp = target.with_extension("checked.tmp");
    let written = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)
        .and_then(|mut f| f.write_all(&bytes))
        .and_then(|()| std::fs::rename(&tmp, &target));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// `journal.cut-<unix seconds>[-n]`, a name not yet taken.
fn side_file(path: &Path) -> Result<PathBuf> {
    let secs = jiff::Timestamp::now().as_second();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "journal".to_string());
    for n in 0..1000 {
        let suffix = if n == 0 {
            format!("{name}.cut-{secs}")
        } else {
            format!("{name}.cut-{secs}-{n}")
        };
        let candidate = path.with_file_name(suffix);
        if !candidate.exists() {
            return Ok(candidate);
        }
    }
    Err(StoreError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other("no free name for the cut tail"),
    })
}

/// Makes a file's creation or rename durable.
pub(crate) fn sync_parent(path: &Path) -> Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    File::open(parent)
        .and_then(|dir| dir.sync_all())
        .map_err(io_at(parent))
}
