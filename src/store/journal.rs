//! The append-only event log: the book's source of truth.
//!
//! Records are framed as `frame.rs` describes, each payload a codec envelope of an `Event`.
//! A record is acknowledged only after `fdatasync`; a failed append is cut back, so the
//! file never keeps half a record that a later append would follow.
//!
//! Opening walks the records (`scan.rs`) without changing anything. Damage in the middle,
//! or in a record an earlier open verified whole, stops the open with an error naming the
//! record (`crm check --repair` salvages around it). A torn tail, the unfinished last write
//! of a crash (zeros included), is left pending: the store cuts it in one go once it knows
//! the index does not hold more than the journal, saving the cut bytes to a side file.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::checked::{self, Cursor};
use super::codec;
use super::error::{io_at, Result, StoreError};
use super::event::Event;
use super::frame::{self, Framing};
use super::private::create_temp_beside;
use super::scan::{self, Bad, Scan, Tail};
use super::space;

/// Where a good record starts, and its sequence number.
#[derive(Debug, Clone, Copy)]
struct Pos {
    offset: u64,
    seq: u64,
}

pub(crate) struct Journal {
    path: PathBuf,
    file: File,
    /// Bytes up to the end of the last good record.
    len: u64,
    framing: Framing,
    /// No new record takes a sequence number at or below this (see `frame.rs`).
    floor: u64,
    records: Vec<Pos>,
    /// A torn tail after `len`, not cut yet.
    pending: Tail,
    /// Where the rolling re-check of old records goes on at the next open.
    cursor: Cursor,
}

/// What cutting a torn tail did.
pub(crate) struct Cut {
    pub bytes: u64,
    pub saved: PathBuf,
    pub zeros: bool,
}

/// The journal's bytes, mapped (or read where mapping is not possible).
pub(crate) enum Contents {
    Map(memmap2::Mmap),
    Read(Vec<u8>),
}

impl AsRef<[u8]> for Contents {
    fn as_ref(&self) -> &[u8] {
        match self {
            Contents::Map(map) => map,
            Contents::Read(bytes) => bytes,
        }
    }
}

/// The whole file. The caller holds the book's lock: no other crm changes the file while
/// it is mapped, and this process only appends to or cuts it after the mapping is dropped.
pub(crate) fn contents(path: &Path, file: &File) -> Result<Contents> {
    let len = file.metadata().map_err(io_at(path))?.len();
    if len == 0 {
        return Ok(Contents::Read(Vec::new()));
    }
    // SAFETY: see above; the mapping is read-only and dropped before the file is changed.
    if let Ok(map) = unsafe { memmap2::Mmap::map(file) } {
        return Ok(Contents::Map(map));
    }
    let mut bytes = vec![0; len as usize];
    file.read_exact_at(&mut bytes, 0).map_err(io_at(path))?;
    Ok(Contents::Read(bytes))
}

/// The refusal of a file or record written by a newer crm.
pub(crate) fn future_error(path: &Path, future: scan::Future) -> StoreError {
    if future.seq == 0 {
        // The file header: no record to name.
        return StoreError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(future.detail),
        };
    }
    StoreError::Journal {
        path: path.to_path_buf(),
        seq: future.seq,
        offset: future.offset,
        detail: future.detail,
    }
}

/// The refusal for damage found by a scan.
pub(crate) fn damaged(path: &Path, bad: &Bad, scan: &Scan) -> StoreError {
    StoreError::Damaged {
        path: path.to_path_buf(),
        seq: bad.seq,
        offset: bad.offset,
        detail: bad.reason.clone(),
        good_after: scan
            .records
            .iter()
            .filter(|r| r.offset > bad.offset)
            .count(),
    }
}

impl Journal {
    pub fn open(path: &Path) -> Result<Journal> {
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
        let contents = contents(path, &file)?;
        let bytes = contents.as_ref();
        let (trusted, cursor) = checked::read(path, bytes);
        let scan = scan::scan(bytes, trusted, false).map_err(|f| future_error(path, f))?;
        if let Some(first) = scan.bad.first() {
            return Err(damaged(path, first, &scan));
        }
        let cursor = checked::roll(
            bytes,
            scan.framing,
            &scan.records,
            trusted,
            cursor,
            checked::ROLL_BUDGET,
        )
        .map_err(|bad| damaged(path, &bad, &scan))?;
        let len = match scan.tail {
            Tail::Torn { at, .. } => at,
            Tail::Clean => bytes.len() as u64,
        };
        let framing = if len == 0 {
            Framing::Empty
        } else {
            scan.framing
        };
        Ok(Journal {
            path: path.to_path_buf(),
            file,
            len,
            framing,
            floor: scan.floor,
            records: scan
                .records
                .iter()
                .map(|r| Pos {
                    offset: r.offset,
                    seq: r.seq,
                })
                .collect(),
            pending: scan.tail,
            cursor,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The highest sequence number ever used (0 for a new book).
    pub fn last_seq(&self) -> u64 {
        self.records
            .last()
            .map_or(self.floor, |p| p.seq.max(self.floor))
    }

    /// Where the first record after `seq` starts (the journal length if none).
    pub fn offset_after(&self, seq: u64) -> u64 {
        let i = self.records.partition_point(|p| p.seq <= seq);
        self.records.get(i).map_or(self.len, |p| p.offset)
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn file(&self) -> &File {
        &self.file
    }

    /// Remembers (best effort) that every record is verified, and the rolling cursor.
    pub fn remember_checked(&self) {
        if self.pending == Tail::Clean && self.len > 0 {
            checked::write(&self.path, &self.file, self.len, self.cursor);
        }
    }

    /// Appends `events` (numbered on from `last_seq() + 1`, without gaps) in one write and
    /// one sync: all are durable when it returns, or nothing of them stays (on any failure
    /// the file is cut back to where it was).
    pub fn append_all(&mut self, events: &[Event]) -> Result<()> {
        let Some(first) = events.first() else {
            return Ok(());
        };
        // The last sequence number comes from disk (a record or the header's floor).
        let Some(next) = self.last_seq().checked_add(1) else {
            return Err(self.error(first.seq, self.len, "sequence numbers exhausted"));
        };
        for (i, event) in events.iter().enumerate() {
            if Some(event.seq) != next.checked_add(i as u64) {
                return Err(self.error(event.seq, self.len, "out-of-order sequence"));
            }
        }
        self.cut_tail()?;
        let mut payloads = Vec::with_capacity(events.len());
        for event in events {
            let payload = codec::encode(event).map_err(|source| StoreError::Encode {
                path: self.path.clone(),
                source,
            })?;
            if u32::try_from(payload.len()).is_err() {
                return Err(self.error(event.seq, self.len, "change larger than 4 GiB"));
            }
            payloads.push(payload);
        }
        // Refused up front unless the records and the index's share of them fit, so that
        // changes on a nearly full disk are either whole in both or not written at all.
        let records_len: u64 = payloads
            .iter()
            .map(|p| frame::RECORD_HEADER + p.len() as u64)
            .sum();
        space::ensure(
            self.dir(),
            records_len * (1 + space::INDEX_FACTOR) + space::INDEX_HEADROOM,
        )?;
        if self.framing == Framing::V1 {
            self.upgrade()?;
        }
        let mut bytes = Vec::new();
        if self.framing == Framing::Empty {
            bytes.extend_from_slice(&frame::file_header(self.floor));
        }
        let mut positions = Vec::with_capacity(events.len());
        for (event, payload) in events.iter().zip(&payloads) {
            positions.push(Pos {
                offset: self.len + bytes.len() as u64,
                seq: event.seq,
            });
            bytes.extend(frame::encode_record(event.seq, payload));
        }
        let written = self
            .file
            .write_all_at(&bytes, self.len)
            .and_then(|()| self.file.sync_data());
        if let Err(source) = written {
            // Leave no partial record behind for the next append to follow.
            let _ = self
                .file
                .set_len(self.len)
                .and_then(|()| self.file.sync_data());
            return Err(if space::is_full(&source) {
                space::full(self.dir(), bytes.len() as u64)
            } else {
                StoreError::Io {
                    path: self.path.clone(),
                    source,
                }
            });
        }
        self.framing = Framing::V2;
        self.records.extend(positions);
        self.len += bytes.len() as u64;
        Ok(())
    }

    /// Reads the events from sequence `first` on, in order, each with the journal offset
    /// after it. Every record's checksum is verified again.
    pub fn read_from(&self, first: u64) -> impl Iterator<Item = Result<(Event, u64)>> + '_ {
        let start = self.records.partition_point(|p| p.seq < first);
        (start..self.records.len()).map(move |i| {
            let pos = self.records[i];
            let end = self.records.get(i + 1).map_or(self.len, |p| p.offset);
            let mut record = vec![0; (end - pos.offset) as usize];
            self.file
                .read_exact_at(&mut record, pos.offset)
                .map_err(io_at(&self.path))?;
            let header = frame::header(self.framing, &record)
                .map_err(|e| self.error(pos.seq, pos.offset, e))?;
            let payload = record
                .get(self.framing.record_header() as usize..)
                .unwrap_or_default();
            if crc32fast::hash(payload) != header.payload_crc {
                return Err(self.error(pos.seq, pos.offset, "checksum mismatch"));
            }
            let event: Event = codec::decode(payload)
                .map_err(|e| self.error(pos.seq, pos.offset, &e.to_string()))?;
            if event.seq != pos.seq {
                let detail = format!("holds sequence {} where {} belongs", event.seq, pos.seq);
                return Err(self.error(pos.seq, pos.offset, &detail));
            }
            Ok((event, end))
        })
    }

    /// The id and clock of every record from sequence `first` on, read from the first
    /// bytes of each payload (not the change): what sync chooses by, cheap on a journal
    /// whose import record is hundreds of megabytes. The open verified every record.
    pub fn heads_from(&self, first: u64) -> impl Iterator<Item = Result<codec::EventHead>> + '_ {
        /// Enough for the head of every event version (a version-2 head is the sequence
        /// and an RFC 3339 time).
        const HEAD_BYTES: u64 = 128;
        let start = self.records.partition_point(|p| p.seq < first);
        (start..self.records.len()).map(move |i| {
            let pos = self.records[i];
            let end = self.records.get(i + 1).map_or(self.len, |p| p.offset);
            let from = pos.offset + self.framing.record_header();
            let take = end.saturating_sub(from).min(HEAD_BYTES);
            let mut bytes = vec![0; take as usize];
            self.file
                .read_exact_at(&mut bytes, from)
                .map_err(io_at(&self.path))?;
            codec::event_head(&bytes).map_err(|e| self.error(pos.seq, pos.offset, &e.to_string()))
        })
    }

    /// The payload of the first record, if any (whole: a book written before events had
    /// ids takes its id from it).
    pub fn first_payload(&self) -> Result<Option<Vec<u8>>> {
        let Some(pos) = self.records.first() else {
            return Ok(None);
        };
        let end = self.records.get(1).map_or(self.len, |p| p.offset);
        let from = pos.offset + self.framing.record_header();
        let mut bytes = vec![0; end.saturating_sub(from) as usize];
        self.file
            .read_exact_at(&mut bytes, from)
            .map_err(io_at(&self.path))?;
        Ok(Some(bytes))
    }

    fn error(&self, seq: u64, offset: u64, detail: &str) -> StoreError {
        StoreError::Journal {
            path: self.path.clone(),
            seq,
            offset,
            detail: detail.to_string(),
        }
    }

    fn dir(&self) -> &Path {
        match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        }
    }

    /// Copies a pending torn tail to a side file, then cuts it off, in one go.
    pub fn cut_tail(&mut self) -> Result<Option<Cut>> {
        let Tail::Torn { at, len, zeros } = self.pending else {
            return Ok(None);
        };
        let mut tail = vec![0; len as usize];
        self.file
            .read_exact_at(&mut tail, at)
            .map_err(io_at(&self.path))?;
        let saved = side_file(&self.path)?;
        let mut side = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&saved)
            .map_err(io_at(&saved))?;
        if let Err(source) = side.write_all(&tail).and_then(|()| side.sync_all()) {
            drop(side);
            let _ = std::fs::remove_file(&saved);
            return Err(if space::is_full(&source) {
                space::full(self.dir(), len)
            } else {
                StoreError::Io {
                    path: saved,
                    source,
                }
            });
        }
        sync_parent(&saved)?;
        self.file
            .set_len(at)
            .and_then(|()| self.file.sync_all())
            .map_err(io_at(&self.path))?;
        self.pending = Tail::Clean;
        if at == 0 {
            self.framing = Framing::Empty;
        }
        Ok(Some(Cut {
            bytes: len,
            saved,
            zeros,
        }))
    }

    /// Rewrites a framing-1 journal in framing 2: every record verified and copied to an
    /// exclusive temporary file beside it, synced, renamed over the journal, the directory synced.
    /// A crash at any point leaves either the old file or the new one, both whole.
    fn upgrade(&mut self) -> Result<()> {
        let needed = frame::FILE_HEADER + self.len + 16 * self.records.len() as u64;
        let (out, tmp) = create_temp_beside(&self.path).map_err(|source| {
            if space::is_full(&source) {
                space::full(self.dir(), needed)
            } else {
                io_at(&self.path)(source)
            }
        })?;
        let written = self.write_upgraded(out, &tmp);
        let records = match written {
            Ok(records) => records,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(match e {
                    StoreError::Io { source, .. } if space::is_full(&source) => {
                        space::full(self.dir(), needed)
                    }
                    other => other,
                });
            }
        };
        if let Err(e) = std::fs::rename(&tmp, &self.path) {
            let _ = std::fs::remove_file(&tmp);
            return Err(io_at(&self.path)(e));
        }
        sync_parent(&self.path)?;
        self.file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&self.path)
            .map_err(io_at(&self.path))?;
        self.len = self.file.metadata().map_err(io_at(&self.path))?.len();
        self.records = records;
        self.framing = Framing::V2;
        self.cursor = Cursor::default();
        checked::write(&self.path, &self.file, self.len, self.cursor);
        Ok(())
    }

    fn write_upgraded(&self, out: File, tmp: &Path) -> Result<Vec<Pos>> {
        let mut writer = BufWriter::with_capacity(1 << 20, &out);
        let mut at = frame::FILE_HEADER;
        writer
            .write_all(&frame::file_header(self.floor))
            .map_err(io_at(tmp))?;
        let mut records = Vec::with_capacity(self.records.len());
        for (i, pos) in self.records.iter().enumerate() {
            let end = self.records.get(i + 1).map_or(self.len, |p| p.offset);
            let mut record = vec![0; (end - pos.offset) as usize];
            self.file
                .read_exact_at(&mut record, pos.offset)
                .map_err(io_at(&self.path))?;
            let header = frame::header(Framing::V1, &record)
                .map_err(|e| self.error(pos.seq, pos.offset, e))?;
            let payload = &record[frame::V1_HEADER as usize..];
            if crc32fast::hash(payload) != header.payload_crc {
                let bad = Bad {
                    offset: pos.offset,
                    len: end - pos.offset,
                    seq: pos.seq,
                    reason: "payload checksum mismatch".to_string(),
                };
                return Err(StoreError::Damaged {
                    path: self.path.clone(),
                    seq: bad.seq,
                    offset: bad.offset,
                    detail: bad.reason,
                    good_after: self.records.len() - i - 1,
                });
            }
            let framed = frame::encode_record(pos.seq, payload);
            writer.write_all(&framed).map_err(io_at(tmp))?;
            records.push(Pos {
                offset: at,
                seq: pos.seq,
            });
            at += framed.len() as u64;
        }
        writer.flush().map_err(io_at(tmp))?;
        drop(writer);
        out.sync_all().map_err(io_at(tmp))?;
        Ok(records)
    }
}

/// `journal.cut-<unix seconds>[-n]`, a name not yet taken.
fn side_file(path: &Path) -> Result<PathBuf> {
    aside_name(path, "cut")
}

/// `<file>.<what>-<unix seconds>[-n]` beside `path`, a name not yet taken.
pub(crate) fn aside_name(path: &Path, what: &str) -> Result<PathBuf> {
    let secs = jiff::Timestamp::now().as_second();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "journal".to_string());
    for n in 0..1000 {
        let suffix = if n == 0 {
            format!("{name}.{what}-{secs}")
        } else {
            format!("{name}.{what}-{secs}-{n}")
        };
        let candidate = path.with_file_name(suffix);
        if !candidate.exists() {
            return Ok(candidate);
        }
    }
    Err(StoreError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(format!("no free name for the {what} file")),
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
