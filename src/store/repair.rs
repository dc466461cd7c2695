//! `crm check` and `crm check --repair`: every record of the journal verified and decoded,
//! the index compared with it; and, on request, every good record salvaged into a fresh
//! journal, the damaged original kept beside it, the index rebuilt, and the loss named.
//!
//! The index holds the effect of every change it applied. When it is readable and holds at
//! least every change the journal had (records lost in the middle or at the end, or a
//! journal that lost records), the repair adds one more change to the fresh journal: the
//! whole book as the index holds it, as an import that replaces every customer. What the
//! lost records changed is then kept; only their lines in the audit trail are gone.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::codec;
use super::error::{io_at, CodecError, Result, StoreError};
use super::event::{Change, Event};
use super::frame::{self, Framing};
use super::index::{self, Index};
use super::journal::{aside_name, contents, future_error, sync_parent};
use super::lock::DirLock;
use super::private::create_temp_beside;
use super::scan::{self, Tail};
use super::space;
use super::{move_aside, JournalStore, OpenReport, Store};
use crate::domain::model::BookData;

/// Bytes of the journal that hold no good record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRecord {
    /// The first sequence number these bytes held (named by an intact header, else the
    /// one after the last good record) and the last one (the one before the next good
    /// record; the same as `seq` when unknown).
    pub seq: u64,
    pub through: u64,
    pub offset: u64,
    pub length: u64,
    pub reason: String,
    /// What the change was, when its bytes still decode (they are not trusted).
    pub what: Option<String>,
    /// An unfinished last write (a torn tail), not damage to an acknowledged record.
    pub tail: bool,
}

/// How the index stands against the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexState {
    /// Holds every change of the journal.
    UpToDate { applied: u64 },
    /// Lacks the journal's last changes: the next open applies them.
    Behind { applied: u64 },
    /// Holds changes the journal does not have: the journal lost records.
    Ahead { applied: u64 },
    /// None yet: the next open builds it from the journal.
    Missing,
    /// Cannot be opened, or a value in it no longer decodes. An open rebuilds an index it
    /// cannot open; `repair` rebuilds either.
    Damaged { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    pub journal: PathBuf,
    pub index_path: PathBuf,
    /// Framing of the file: 0 (empty), 1 or 2.
    pub framing: u16,
    /// Good records, and the highest sequence number used.
    pub records: u64,
    pub last_seq: u64,
    pub bad: Vec<BadRecord>,
    pub index: IndexState,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.bad.is_empty()
            && matches!(
                self.index,
                IndexState::UpToDate { .. } | IndexState::Behind { .. } | IndexState::Missing
            )
    }
}

#[derive(Debug)]
pub struct RepairReport {
    /// What the check before the repair found.
    pub before: CheckReport,
    /// False when there was nothing to repair.
    pub repaired: bool,
    /// Records copied into the fresh journal.
    pub kept: u64,
    /// The bad records (`before.bad`), now gone from the journal.
    pub lost: Vec<BadRecord>,
    /// Changes only the index held (it was ahead of the journal): `(first, last)`.
    pub lost_from_index: Option<(u64, u64)>,
    /// The book as the index held it, written as one more change (see the module doc).
    pub restored: Option<Restored>,
    /// Where the damaged journal is kept.
    pub damaged_copy: Option<PathBuf>,
    /// Where the old index was moved before the rebuild.
    pub index_aside: Option<PathBuf>,
    /// The sequence number the next change will take.
    pub next_seq: u64,
    /// What the reopen (the index rebuild) did.
    pub reopened: OpenReport,
}

/// What the repair took from the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The last change the index had applied.
    pub applied: u64,
    /// The sequence number of the change that restores it.
    pub seq: u64,
    pub customers: usize,
    pub users: usize,
    pub cycles: usize,
}

/// The actor named on the change a repair restores from the index.
pub const REPAIR_ACTOR: &str = "crm-repair";

/// A good record as the repair copies it.
struct Kept {
    seq: u64,
    start: usize,
    end: usize,
}

struct Examined {
    report: CheckReport,
    kept: Vec<Kept>,
    floor: u64,
    /// The index as opened to compare it (sled is slow to let go of a closed one).
    index: Option<Index>,
}

/// Verifies the book in `dir` without changing it; takes the book's lock.
pub(crate) fn check(dir: &Path) -> Result<CheckReport> {
    let _lock = DirLock::acquire(&dir.join("lock"))?;
    examine(dir).map(|e| e.report)
}

fn examine(dir: &Path) -> Result<Examined> {
    let path = dir.join("journal");
    let file = match File::open(&path) {
        Ok(file) => Some(file),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io_at(&path)(e)),
    };
    let bytes = match &file {
        Some(file) => contents(&path, file)?,
        None => super::journal::Contents::Read(Vec::new()),
    };
    let bytes = bytes.as_ref();
    let scan = scan::scan(bytes, 0, true).map_err(|f| future_error(&path, f))?;
    let header = scan.framing.record_header() as usize;
    let mut bad: Vec<BadRecord> = Vec::new();
    let mut kept = Vec::new();
    for rec in &scan.records {
        let (start, end) = (rec.offset as usize, rec.end as usize);
        // Checksummed, but must also decode: a record that does not is lost all the same.
        match codec::decode::<Event>(&bytes[start + header..end]) {
            Ok(_) => kept.push(Kept {
                seq: rec.seq,
                start: start + header,
                end,
            }),
            Err(e @ CodecError::FutureVersion { .. }) => {
                return Err(StoreError::Journal {
                    path: path.clone(),
                    seq: rec.seq,
                    offset: rec.offset,
                    detail: e.to_string(),
                })
            }
            Err(e) => bad.push(BadRecord {
                seq: rec.seq,
                through: rec.seq,
                offset: rec.offset,
                length: rec.end - rec.offset,
                reason: e.to_string(),
                what: None,
                tail: false,
            }),
        }
    }
    for damage in &scan.bad {
        let next_good = scan
            .records
            .iter()
            .find(|r| r.offset > damage.offset)
            .map(|r| r.seq);
        bad.push(BadRecord {
            seq: damage.seq,
            through: next_good.map_or(damage.seq, |n| n.saturating_sub(1).max(damage.seq)),
            offset: damage.offset,
            length: damage.len,
            reason: damage.reason.clone(),
            what: describe(
                scan.framing,
                &bytes[damage.offset as usize..(damage.offset + damage.len) as usize],
            ),
            tail: false,
        });
    }
    let last_good = scan.records.last().map_or(0, |r| r.seq);
    if let Tail::Torn { at, len, zeros } = scan.tail {
        // From disk: the largest sequence number must not overflow.
        let seq = last_good.saturating_add(1);
        bad.push(BadRecord {
            seq,
            through: seq,
            offset: at,
            length: len,
            reason: if zeros {
                format!("{len} zero bytes after the last record (a torn tail)")
            } else {
                "an unfinished last write (a torn tail)".to_string()
            },
            what: describe(scan.framing, &bytes[at as usize..]),
            tail: true,
        });
    }
    bad.sort_by_key(|b| b.offset);
    let last_seq = bad
        .iter()
        .filter(|b| !b.tail)
        .map(|b| b.through)
        .chain([scan.floor, last_good])
        .max()
        .unwrap_or(0);
    let index_path = dir.join("index");
    let (index_state, opened) = index_state(&index_path, last_seq)?;
    let framing = match scan.framing {
        Framing::Empty => 0,
        Framing::V1 => 1,
        Framing::V2 => frame::FRAMING,
    };
    Ok(Examined {
        report: CheckReport {
            journal: path,
            index_path,
            framing,
            records: kept.len() as u64,
            last_seq,
            bad,
            index: index_state,
        },
        kept,
        floor: scan.floor,
        index: opened,
    })
}

/// What damaged bytes seem to have held, if they still decode as an event.
fn describe(framing: Framing, bytes: &[u8]) -> Option<String> {
    let header = frame::header(framing, bytes).ok()?;
    let start = framing.record_header() as usize;
    let end = start.checked_add(header.payload_len as usize)?;
    let event: Event = codec::decode(bytes.get(start..end)?).ok()?;
    Some(event.change.describe())
}

fn index_state(path: &Path, journal_seq: u64) -> Result<(IndexState, Option<Index>)> {
    if !path.exists() {
        return Ok((IndexState::Missing, None));
    }
    let opened = Index::open(path).and_then(|index| {
        let meta = index.read_meta()?;
        Ok((index, meta))
    });
    Ok(match opened {
        Ok((index, meta)) => {
            if let Err(e) = every_value_decodes(&index) {
                // Opening reads only the meta: this damage shows first when a value is read.
                return Ok((
                    IndexState::Damaged {
                        reason: e.to_string(),
                    },
                    None,
                ));
            }
            let applied = meta.applied_seq;
            let state = if applied > journal_seq {
                IndexState::Ahead { applied }
            } else if applied < journal_seq {
                IndexState::Behind { applied }
            } else {
                IndexState::UpToDate { applied }
            };
            (state, Some(index))
        }
        Err(index::Failure::Environment(source)) => {
            return Err(index::environment_error(path, source))
        }
        Err(index::Failure::Damaged(reason)) => (IndexState::Damaged { reason }, None),
    })
}

/// Reads every value of the index once (profiles and histories streamed, one account at a
/// time): a value that no longer decodes is damage that opening the book does not see.
fn every_value_decodes(index: &Index) -> Result<()> {
    for account in index.accounts() {
        account?;
    }
    index.all::<crate::domain::model::User>(&index.users)?;
    index.all::<crate::domain::model::Cycle>(&index.cycles)?;
    Ok(())
}

/// Salvages every good record into a fresh journal and rebuilds the index from it.
pub(crate) fn repair(dir: &Path, progress: &mut dyn FnMut(u64, u64)) -> Result<RepairReport> {
    let lock = DirLock::acquire(&dir.join("lock"))?;
    let mut examined = examine(dir)?;
    let before = examined.report.clone();
    let index_ahead = match before.index {
        IndexState::Ahead { applied } => Some(applied),
        _ => None,
    };
    let needs_new_journal = !before.bad.is_empty() || index_ahead.is_some();
    if !needs_new_journal && before.is_clean() {
        drop(examined.index.take());
        drop(lock);
        let (store, reopened) = JournalStore::open_with_progress(dir, progress)?;
        return Ok(RepairReport {
            kept: before.records,
            next_seq: store.seq().saturating_add(1),
            before,
            repaired: false,
            lost: Vec::new(),
            lost_from_index: None,
            restored: None,
            damaged_copy: None,
            index_aside: None,
            reopened,
        });
    }
    // Above every number used: the index's, and a torn tail's too (a gap costs nothing).
    let floor = before
        .bad
        .iter()
        .map(|b| b.through)
        .chain([before.last_seq, index_ahead.unwrap_or(0), examined.floor])
        .max()
        .unwrap_or(0);
    // The numbers come from disk: with none left above the floor nothing is restored.
    let restore = restorable(&before).and_then(|applied| {
        let next = floor.checked_add(1)?;
        let data = read_book(examined.index.as_ref()?).ok()?;
        let restored = Restored {
            applied,
            seq: next,
            customers: data.accounts.len(),
            users: data.users.len(),
            cycles: data.cycles.len(),
        };
        // The holder's own event (its id counts with `next`), like every restored change.
        let event = Event::held(
            next,
            jiff::Timestamp::now(),
            REPAIR_ACTOR.to_string(),
            Change::Import { data, merge: false },
        );
        Some((restored, event))
    });
    let journal = &before.journal;
    let keep_old = journal.exists() && !before.bad.is_empty();
    let extra = match &restore {
        Some((_, event)) => Some(codec::encode(event).map_err(|source| StoreError::Encode {
            path: journal.clone(),
            source,
        })?),
        None => None,
    };
    let damaged_copy = write_fresh(journal, &examined, floor, extra.as_deref(), keep_old)?;
    let restored = restore.map(|(restored, _)| restored);
    drop(examined.index.take());
    let _ = std::fs::remove_file(super::checked::path_of(journal));
    let index_aside = if before.index_path.exists() {
        Some(move_aside(dir, &before.index_path)?)
    } else {
        None
    };
    drop(lock);
    let (store, reopened) = JournalStore::open_with_progress(dir, progress)?;
    Ok(RepairReport {
        repaired: true,
        kept: examined.kept.len() as u64,
        lost: before.bad.clone(),
        lost_from_index: index_ahead.map(|applied| (before.last_seq.saturating_add(1), applied)),
        restored,
        damaged_copy,
        index_aside,
        next_seq: store.seq().saturating_add(1),
        before,
        reopened,
    })
}

/// Whether the index can give back what lost records changed: it is readable and holds
/// every change the journal had; the last change it applied.
fn restorable(report: &CheckReport) -> Option<u64> {
    let lost_records = report.bad.iter().any(|b| !b.tail);
    match report.index {
        IndexState::Ahead { applied } => Some(applied),
        IndexState::UpToDate { applied } if lost_records => Some(applied),
        _ => None,
    }
}

/// The whole book as the index holds it; any unreadable value gives up the restore.
fn read_book(index: &Index) -> Result<BookData> {
    Ok(BookData {
        users: index.all(&index.users)?,
        accounts: index.accounts().collect::<Result<Vec<_>>>()?,
        cycles: index.all(&index.cycles)?,
    })
}

/// Writes the kept records to a temporary file, syncs it, keeps the old journal (when
/// `keep_old`) as `journal.damaged-<unix seconds>` (a hard link, so no moment is without
/// it) and renames the new file over the journal; returns where the old one is kept.
fn write_fresh(
    journal: &Path,
    examined: &Examined,
    floor: u64,
    restore: Option<&[u8]>,
    keep_old: bool,
) -> Result<Option<PathBuf>> {
    let dir = journal.parent().unwrap_or(Path::new("."));
    let file = File::open(journal);
    let source = match &file {
        Ok(file) => Some(contents(journal, file)?),
        Err(_) => None,
    };
    let bytes = source.as_ref().map_or(&[][..], |c| c.as_ref());
    let mut needed = frame::FILE_HEADER;
    let (out, tmp) = create_temp_beside(journal).map_err(|source| {
        if space::is_full(&source) {
            space::full(dir, needed)
        } else {
            io_at(journal)(source)
        }
    })?;
    let written = (|| -> std::io::Result<()> {
        let mut writer = BufWriter::with_capacity(1 << 20, &out);
        writer.write_all(&frame::file_header(floor))?;
        for kept in &examined.kept {
            let record = frame::encode_record(kept.seq, &bytes[kept.start..kept.end]);
            needed += record.len() as u64;
            writer.write_all(&record)?;
        }
        if let Some(payload) = restore {
            // `restore` is only given when `floor + 1` exists (see `repair`).
            writer.write_all(&frame::encode_record(floor.saturating_add(1), payload))?;
        }
        writer.flush()?;
        drop(writer);
        out.sync_all()
    })();
    if let Err(source) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(if space::is_full(&source) {
            space::full(dir, needed)
        } else {
            StoreError::Io { path: tmp, source }
        });
    }
    let kept_as = if keep_old {
        let name = aside_name(journal, "damaged")?;
        std::fs::hard_link(journal, &name).map_err(io_at(&name))?;
        Some(name)
    } else {
        None
    };
    if let Err(e) = std::fs::rename(&tmp, journal) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io_at(journal)(e));
    }
    sync_parent(journal)?;
    Ok(kept_as)
}
