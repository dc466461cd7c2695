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
        let (offsets, good_len) = scan(path, &file, file_len)?;
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
            let event: Event = codec::decode(record.get(HEADER as usize..).unwrap_or_default())
                .map_err(|e| self.error(seq, offset, &e.to_string()))?;
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

/// Walks the records; returns their offsets and where the last good one ends. Stops at the
/// first record that is short, fails its checksum, or (the last one) does not decode.
fn scan(path: &Path, file: &File, file_len: u64) -> Result<(Vec<u64>, u64)> {
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut offsets = Vec::new();
    let mut at = 0u64;
    let mut payload = Vec::new();
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
        payload.resize(size as usize, 0);
        if reader.read_exact(&mut payload).is_err() || crc32fast::hash(&payload) != crc {
            break;
        }
        let seq = offsets.len() as u64 + 1;
        let end = at + HEADER + size;
        if end == file_len {
            // Only the tail's version and sequence are read here (events are decoded when
            // applied; the tail may be a whole import): a checksummed record that a newer
            // crm wrote must stop us, never be cut.
            match codec::event_seq(&payload) {
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
