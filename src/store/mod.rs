//! The disk edge: the book's records on disk, durable and recoverable.
//!
//! The journal (`DIR/journal`) is the truth: every change is appended to it and synced
//! before it is acknowledged. The index (`DIR/index/`, sled) holds the records in the shape
//! reads need and remembers the last journal sequence it applied; on open it catches up,
//! and if it is damaged or missing it is moved aside and rebuilt from the journal. Damage
//! in the journal, or an index ahead of it (the journal lost records), stops the open:
//! `check` reports and `repair` salvages. A full disk is reported as such, never taken for
//! damage. `DIR/lock` keeps the book to one process. Nothing of sled or bincode shows
//! in this API, so another backend can take its place.

mod apply;
mod based;
mod checked;
pub mod codec;
pub mod envelope;
pub mod error;
pub mod event;
mod event_v2;
pub mod files;
mod frame;
mod histories_v1;
mod identity;
mod index;
mod journal;
mod keys;
mod lock;
pub mod merge;
pub mod pg;
mod private;
mod repair;
mod scan;
mod seam;
mod snapshot;
mod space;

pub use based::Base;
pub use pg::{is_postgres_url, PgStore};
pub use private::replace_file as replace_private_file;
pub use private::replace_file_with as replace_private_file_with;
pub use repair::{BadRecord, CheckReport, IndexState, RepairReport, Restored, REPAIR_ACTOR};
pub use seam::Store;
pub use snapshot::MappedSnapshot;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::domain::card::Summary;
use crate::domain::model::{Account, ContactCorrection, Customer, Cycle, CycleId, TaskId, User};
use apply::{Counters, SyncState};
pub use codec::EventHead;
use envelope::{BookId, EventId, VersionVector};
use index::Index;
use journal::Journal;
use lock::DirLock;

pub use error::{CodecError, Result, StoreError};
pub use event::{Change, Event, JournalEntry};

/// What opening the book had to do.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpenReport {
    /// The index was built anew from the journal (it was missing, damaged or ahead).
    pub rebuilt: bool,
    /// Bytes of a torn journal tail (an unfinished last write) that were cut off.
    pub cut_tail_bytes: u64,
    /// The cut tail was all zeros (what some file systems leave after a power loss).
    pub cut_tail_zeros: bool,
    /// Where the cut bytes were kept.
    pub cut_tail_saved: Option<PathBuf>,
    /// Journal events applied to the index while opening.
    pub replayed: u64,
    /// Where a damaged index was moved, and why.
    pub broken_index: Option<(PathBuf, String)>,
    /// The data dir's mode when group or others had access to it; it is 0700 now.
    pub loose_dir_mode: Option<u32>,
    /// Files and directories in the data dir that others could read and are now
    /// 0600 / 0700 (an older crm's, or sled's under a loose umask).
    pub tightened: usize,
}

/// The journal+sled store: an open book in a data directory. One per directory at a time,
/// across all processes.
pub struct JournalStore {
    dir: PathBuf,
    index: Index,
    journal: Journal,
    /// The last journal sequence the index holds.
    applied: u64,
    counters: Counters,
    /// The latest clock and the version vector of the events applied.
    sync: SyncState,
    /// This book's id (`DIR/book-id`).
    book_id: BookId,
    /// Cached customer count; `u64::MAX` when unknown.
    customer_count: AtomicU64,
    // Declared last so it is released after the index and journal are closed.
    _lock: DirLock,
}

const UNKNOWN: u64 = u64::MAX;

impl JournalStore {
    /// Opens the book in `dir`, creating it (mode 0700) if missing.
    pub fn open(dir: &Path) -> Result<(JournalStore, OpenReport)> {
        Self::open_with_progress(dir, &mut |_, _| {})
    }

    /// As `open`; `progress` hears `(bytes done, bytes total)` of journal replayed into
    /// the index (a rebuild after damage can take a while on a large book).
    pub fn open_with_progress(
        dir: &Path,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<(JournalStore, OpenReport)> {
        let loose_dir_mode = private::private_dir(dir).map_err(error::io_at(dir))?;
        let lock = DirLock::acquire(&dir.join("lock"))?;
        // Every writer of temporary files here holds the lock: any left are a crash's.
        private::remove_stale_temps(dir);
        // What an older crm (or a looser umask) left readable by others.
        let tightened = private::tighten(dir).map_err(error::io_at(dir))?;
        let mut journal = Journal::open(&dir.join("journal"))?;
        let mut report = OpenReport {
            loose_dir_mode,
            tightened,
            ..OpenReport::default()
        };
        let index_path = dir.join("index");
        if !index_path.exists() && journal.last_seq() > 0 {
            report.rebuilt = true;
        }
        let book_id = identity::load_or_mint(dir, &journal)?;
        let mut index = open_index(dir, &journal, &mut report, None)?;
        // Only now, knowing the index holds nothing past the good records, is a torn
        // tail an unfinished write that nobody was told about: cut it. On a full disk the
        // cut bytes cannot be saved; the tail then stays until the next write needs it cut.
        match journal.cut_tail() {
            Ok(Some(cut)) => {
                report.cut_tail_bytes = cut.bytes;
                report.cut_tail_saved = Some(cut.saved);
                report.cut_tail_zeros = cut.zeros;
            }
            Ok(None) | Err(StoreError::DiskFull { .. }) => {}
            Err(e) => return Err(e),
        }
        journal.remember_checked();
        let caught_up = match catch_up(&index.0, &journal, index.1.clone(), progress) {
            Err(e @ (StoreError::Index { .. } | StoreError::Decode { .. })) => {
                // The index failed under us while replaying: it cannot be trusted.
                drop(index);
                index = open_index(dir, &journal, &mut report, Some(e.to_string()))?;
                catch_up(&index.0, &journal, index.1, progress)?
            }
            other => other?,
        };
        let (index, _) = index;
        index.db.flush().map_err(|e| index.sled_error(e))?;
        report.replayed = caught_up.replayed;
        // And the files sled has just created: they follow the process umask.
        private::tighten(dir).map_err(error::io_at(dir))?;
        let store = JournalStore {
            dir: dir.to_path_buf(),
            index,
            journal,
            applied: caught_up.position.applied,
            counters: caught_up.position.counters,
            sync: caught_up.position.sync,
            book_id,
            customer_count: AtomicU64::new(UNKNOWN),
            _lock: lock,
        };
        Ok((store, report))
    }

    fn index_event(&mut self, event: &Event) -> Result<()> {
        match self.index.apply(event, self.counters, &self.sync) {
            Ok(applied) => {
                self.applied = event.seq;
                self.counters = applied.counters;
                self.sync = applied.sync;
                let count = self.customer_count.load(Ordering::Relaxed);
                if count != UNKNOWN {
                    self.customer_count
                        .store(count + applied.new_customers, Ordering::Relaxed);
                }
                Ok(())
            }
            Err(e) => {
                self.customer_count.store(UNKNOWN, Ordering::Relaxed);
                Err(e)
            }
        }
    }

    /// Stores derived per-customer summaries (not journaled, not synced).
    pub fn put_summaries(&self, summaries: &[Summary]) -> Result<()> {
        let mut batch = sled::Batch::default();
        for summary in summaries {
            let value = codec::encode(summary).map_err(|source| StoreError::Encode {
                path: self.index.path.clone(),
                source,
            })?;
            batch.insert(summary.id.as_bytes(), value);
        }
        self.index
            .summaries
            .apply_batch(batch)
            .map_err(|e| self.index.sled_error(e))
    }

    /// All stored summaries in id order.
    pub fn summaries(&self) -> Result<Vec<Summary>> {
        self.index.all(&self.index.summaries)
    }

    pub fn clear_summaries(&self) -> Result<()> {
        self.index
            .summaries
            .clear()
            .map_err(|e| self.index.sled_error(e))
    }

    /// A derived blob, if present; a read failure counts as absent (it can be recomputed).
    pub fn cache_get(&self, name: &str) -> Option<Vec<u8>> {
        self.index
            .cache
            .get(name.as_bytes())
            .ok()
            .flatten()
            .map(|v| v.to_vec())
    }

    pub fn cache_put(&self, name: &str, bytes: &[u8]) -> Result<()> {
        self.index
            .cache
            .insert(name.as_bytes(), bytes)
            .map(|_| ())
            .map_err(|e| self.index.sled_error(e))
    }

    /// A derived value stored with `cache_put_value`; `Ok(None)` when absent, an error when
    /// it no longer decodes (e.g. written by another version: recompute it).
    pub fn cache_get_value<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>> {
        let Some(bytes) = self.cache_get(name) else {
            return Ok(None);
        };
        codec::decode_plain(&bytes)
            .map(Some)
            .map_err(|source| StoreError::Decode {
                path: self.index.path.clone(),
                what: format!("cache entry {name}"),
                source,
            })
    }

    pub fn cache_put_value<T: Serialize>(&self, name: &str, value: &T) -> Result<()> {
        let bytes = codec::encode_plain(value).map_err(|source| StoreError::Encode {
            path: self.index.path.clone(),
            source,
        })?;
        self.cache_put(name, &bytes)
    }
}

impl JournalStore {
    /// What this book knows that bears on conflicts with `change` (`merge.rs`): the
    /// profile fields it changes and whose values they replace, the lost mark a contact
    /// was made under, the contacts a lost mark was made knowing.
    fn seen_for(&self, change: &Change) -> Result<envelope::Seen> {
        let clocks = |id: &str| -> Result<merge::ProfileClocks> {
            Ok(self
                .index
                .get(&self.index.clocks, id.as_bytes())?
                .unwrap_or_default())
        };
        Ok(match change {
            Change::PutCustomer(after) => {
                let before = self.index.get(&self.index.customers, after.id.as_bytes())?;
                merge::seen_for(before.as_ref(), &clocks(&after.id)?, after)
            }
            Change::SetLost { customer, .. } => match self.index.account(customer)? {
                Some(account) => {
                    let clocks = clocks(customer)?;
                    // A lost mark is a decision even when it repeats the mark: it says
                    // which contacts it was made knowing.
                    envelope::Seen {
                        fields: vec![envelope::FieldSeen {
                            field: envelope::ProfileField::Lost,
                            replaced: clocks
                                .fields
                                .get(&envelope::ProfileField::Lost)
                                .map(|s| s.id),
                        }],
                        lost: None,
                        contacts: u32::try_from(account.interactions.len()).unwrap_or(u32::MAX),
                    }
                }
                None => envelope::Seen::default(),
            },
            Change::LogContact { customer, .. } => {
                let lost = match self
                    .index
                    .get::<Customer>(&self.index.customers, customer.as_bytes())?
                {
                    Some(c) if c.lost.is_some() => clocks(customer)?
                        .fields
                        .get(&envelope::ProfileField::Lost)
                        .map(|stamp| stamp.id),
                    _ => None,
                };
                envelope::Seen {
                    lost,
                    ..envelope::Seen::default()
                }
            }
            _ => envelope::Seen::default(),
        })
    }

    /// Appends `events` (numbered on from the last `seq`) to the journal, synced together,
    /// then to the index, flushed once.
    fn append_and_index(&mut self, events: &[Event]) -> Result<()> {
        let Some(first) = events.first() else {
            return Ok(());
        };
        self.journal.append_all(events)?;
        let indexed = if self.applied + 1 == first.seq {
            events.iter().try_for_each(|event| self.index_event(event))
        } else {
            self.customer_count.store(UNKNOWN, Ordering::Relaxed);
            let position = Position {
                applied: self.applied,
                counters: self.counters,
                sync: self.sync.clone(),
            };
            catch_up(&self.index, &self.journal, position, &mut |_, _| {}).map(|done| {
                self.applied = done.position.applied;
                self.counters = done.position.counters;
                self.sync = done.position.sync;
            })
        };
        indexed
            .and_then(|()| {
                self.index
                    .db
                    .flush()
                    .map(|_| ())
                    .map_err(|e| self.index.sled_error(e))
            })
            .map_err(|e| StoreError::IndexBehind {
                path: self.journal.path().to_path_buf(),
                seq: first.seq,
                detail: e.to_string(),
            })
    }
}

impl Store for JournalStore {
    fn dir(&self) -> &Path {
        &self.dir
    }

    /// Records `change` in the journal (synced to disk) and then in the index; returns its
    /// sequence number. When only the index step fails the change is durable and the
    /// error says so; the next `apply` or open brings the index up to date.
    fn apply(&mut self, actor: &str, at: Timestamp, change: Change) -> Result<u64> {
        // Saturating: at the last number `append` refuses the write.
        let seq = self.journal.last_seq().saturating_add(1);
        let seen = self.seen_for(&change)?;
        let event = Event {
            seq,
            id: EventId {
                origin: self.book_id,
                counter: seq,
            },
            hlc: self.sync.hlc.tick(at),
            at,
            actor: actor.to_string(),
            change,
            seen,
        };
        self.append_and_index(std::slice::from_ref(&event))?;
        Ok(seq)
    }

    fn book_id(&self) -> BookId {
        self.book_id
    }

    fn profile_clocks(&self, id: &str) -> Result<Option<merge::ProfileClocks>> {
        self.index.get(&self.index.clocks, id.as_bytes())
    }

    fn version_vector(&self) -> Result<VersionVector> {
        Ok(self.sync.vv.with_holder(self.book_id))
    }

    fn apply_received(&mut self, events: &[Event]) -> Result<Vec<Option<u64>>> {
        let mut known = Store::version_vector(self)?;
        let mut next = self.journal.last_seq();
        let mut fresh = Vec::new();
        let mut out = Vec::with_capacity(events.len());
        for event in events {
            if event.id.origin == BookId::HOLDER {
                return Err(StoreError::Journal {
                    path: self.journal.path().to_path_buf(),
                    seq: event.seq,
                    offset: self.journal.len(),
                    detail: "a received event names no origin book".into(),
                });
            }
            if known.knows(&event.id) {
                out.push(None);
                continue;
            }
            known.note(&event.id);
            // Saturating: at the last number `append_all` refuses the write.
            next = next.saturating_add(1);
            let mut event = event.clone();
            event.seq = next;
            out.push(Some(next));
            fresh.push(event);
        }
        self.append_and_index(&fresh)?;
        Ok(out)
    }

    fn events_unknown_to(&self, known: &VersionVector) -> Result<Vec<Event>> {
        let mut wanted = Vec::new();
        for head in self.journal.heads_from(1) {
            let head = head?;
            if !known.knows(&head.id.or_holder(self.book_id)) {
                wanted.push(head.seq);
            }
        }
        let mut out = Vec::with_capacity(wanted.len());
        for seq in wanted {
            if let Some(item) = self.journal.read_from(seq).next() {
                out.push(item?.0.with_holder(self.book_id));
            }
        }
        Ok(out)
    }
    /// The profile and histories of one customer, histories oldest first.
    fn account(&self, id: &str) -> Result<Option<Account>> {
        self.index.account(id)
    }

    fn contact_corrections(&self, id: &str) -> Result<Vec<ContactCorrection>> {
        let histories: Option<apply::Histories> =
            self.index.get(&self.index.histories, id.as_bytes())?;
        Ok(histories
            .map(|h| h.contact_corrections())
            .unwrap_or_default())
    }

    fn customer(&self, id: &str) -> Result<Option<Customer>> {
        self.index.get(&self.index.customers, id.as_bytes())
    }

    fn contains(&self, id: &str) -> Result<bool> {
        self.index
            .customers
            .contains_key(id.as_bytes())
            .map_err(|e| self.index.sled_error(e))
    }

    /// All profiles in id order.
    fn customers(&self) -> Box<dyn Iterator<Item = Result<Customer>> + '_> {
        Box::new(self.index.customers.iter().map(|item| {
            let (key, value) = item.map_err(|e| self.index.sled_error(e))?;
            self.index.decode(&key, &value)
        }))
    }

    /// All accounts in id order, read in one pass over each tree. The walk stops after
    /// the first error.
    fn accounts(&self) -> Box<dyn Iterator<Item = Result<Account>> + '_> {
        Box::new(self.index.accounts())
    }

    fn customer_count(&self) -> usize {
        let count = self.customer_count.load(Ordering::Relaxed);
        if count != UNKNOWN {
            return count as usize;
        }
        let count = self.index.customers.len();
        self.customer_count.store(count as u64, Ordering::Relaxed);
        count
    }

    fn users(&self) -> Result<Vec<User>> {
        self.index.all(&self.index.users)
    }

    /// All PDCA cycles in id order.
    fn cycles(&self) -> Result<Vec<Cycle>> {
        self.index.all(&self.index.cycles)
    }

    fn cycle(&self, id: CycleId) -> Result<Option<Cycle>> {
        self.index.get(&self.index.cycles, &keys::cycle_key(id))
    }

    /// The sequence of the last change in the journal (0 for a new book).
    fn seq(&self) -> u64 {
        self.journal.last_seq()
    }

    /// No customers, users or cycles.
    fn is_empty(&self) -> bool {
        self.index.customers.is_empty()
            && self.index.users.is_empty()
            && self.index.cycles.is_empty()
    }

    /// An id no task has had: above every task id ever applied (imports included).
    fn next_task_id(&self) -> TaskId {
        self.counters.next_task
    }

    /// An id no cycle has had: above every cycle id ever applied (imports included).
    fn next_cycle_id(&self) -> CycleId {
        self.counters.next_cycle
    }

    /// The audit trail, oldest first, read from the journal.
    fn journal_entries(&self) -> Result<Vec<JournalEntry>> {
        self.journal
            .read_from(1)
            .map(|item| {
                let (event, _) = item?;
                Ok(JournalEntry {
                    seq: event.seq,
                    at: event.at,
                    description: event.change.describe(),
                    actor: event.actor,
                })
            })
            .collect()
    }

    /// Writes `DIR/snapshot.<name>` atomically, stamped with the journal as it is now.
    /// `name` is letters, digits, `-` and `_`.
    fn write_snapshot(&self, name: &str, bytes: &[u8]) -> Result<()> {
        snapshot::write(&self.dir, self.journal.file(), name, bytes)
    }

    /// A based snapshot (`based.rs`): stamped with the journal's last sequence and the
    /// bytes before it, so it stays usable across later writes.
    fn write_based_snapshot(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let seq = self.journal.last_seq();
        let offset = self.journal.len();
        based::write(&self.dir, self.journal.file(), seq, offset, name, bytes)
    }

    /// The events after sequence `seq`, from the open journal (every record verified).
    fn events_after(&self, seq: u64) -> Result<Vec<Event>> {
        self.journal
            .read_from(seq + 1)
            .map(|item| item.map(|(event, _)| event))
            .collect()
    }

    /// Nothing: the book's lock keeps every other process out of this journal.
    fn refresh(&mut self) -> Result<Vec<Event>> {
        Ok(Vec::new())
    }
}

/// Where the index stands in the journal.
#[derive(Clone)]
struct Position {
    applied: u64,
    counters: Counters,
    sync: SyncState,
}

struct CaughtUp {
    position: Position,
    replayed: u64,
}

/// Opens the index, or moves it aside and starts a fresh one when it cannot be opened,
/// its meta is unreadable, it is ahead of the journal, or `distrust` gives a reason.
fn open_index(
    dir: &Path,
    journal: &Journal,
    report: &mut OpenReport,
    distrust: Option<String>,
) -> Result<(Index, Position)> {
    let path = dir.join("index");
    let trusted = match distrust {
        Some(reason) => Err(index::Failure::Damaged(reason)),
        None => Index::open(&path).and_then(|index| {
            let meta = index.read_meta()?;
            Ok((index, meta))
        }),
    };
    let (index, meta) = match trusted {
        Ok((_, meta)) if meta.applied_seq > journal.last_seq() => {
            return Err(StoreError::IndexAhead {
                index: path,
                journal: journal.path().to_path_buf(),
                applied: meta.applied_seq,
                journal_seq: journal.last_seq(),
            })
        }
        Ok(found) => found,
        Err(index::Failure::Environment(source)) => {
            return Err(index::environment_error(&path, source))
        }
        Err(index::Failure::Damaged(reason)) => {
            let aside = move_aside(dir, &path)?;
            report.rebuilt = true;
            report.broken_index = Some((aside, reason));
            let fresh_error = |failure: index::Failure| match failure {
                index::Failure::Environment(source) => index::environment_error(&path, source),
                index::Failure::Damaged(detail) => StoreError::Index {
                    path: path.clone(),
                    detail,
                },
            };
            let index = Index::open(&path).map_err(fresh_error)?;
            let meta = index.read_meta().map_err(fresh_error)?;
            (index, meta)
        }
    };
    let position = Position {
        applied: meta.applied_seq,
        counters: Counters {
            next_task: meta.next_task,
            next_cycle: meta.next_cycle,
        },
        sync: match meta.sync {
            Some(sync) => sync,
            None => sync_state_of(journal, meta.applied_seq)?,
        },
    };
    Ok((index, position))
}

/// The clock and version vector of the journal's events up to `applied`, read from their
/// heads: for an index written before events had ids (its next write stores them).
fn sync_state_of(journal: &Journal, applied: u64) -> Result<SyncState> {
    let mut state = SyncState::default();
    for head in journal.heads_from(1) {
        let head = head?;
        if head.seq > applied {
            break;
        }
        state.note(&head.id, head.hlc);
    }
    Ok(state)
}

/// Applies the journal events the index does not have yet.
fn catch_up(
    index: &Index,
    journal: &Journal,
    mut position: Position,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<CaughtUp> {
    let start = journal.offset_after(position.applied);
    let total = journal.len() - start;
    let mut replayed = 0;
    if total > 0 {
        progress(0, total);
    }
    for item in journal.read_from(position.applied + 1) {
        let (event, end) = item?;
        let applied = index.apply(&event, position.counters, &position.sync)?;
        position = Position {
            applied: event.seq,
            counters: applied.counters,
            sync: applied.sync,
        };
        replayed += 1;
        progress(end - start, total);
    }
    Ok(CaughtUp { position, replayed })
}

/// Renames a damaged index to `index.broken-<unix seconds>[-n]`.
pub(crate) fn move_aside(dir: &Path, path: &Path) -> Result<PathBuf> {
    let secs = Timestamp::now().as_second();
    for n in 0..1000 {
        let name = if n == 0 {
            format!("index.broken-{secs}")
        } else {
            format!("index.broken-{secs}-{n}")
        };
        let aside = dir.join(name);
        if !aside.exists() {
            if path.exists() {
                std::fs::rename(path, &aside).map_err(error::io_at(path))?;
            }
            return Ok(aside);
        }
    }
    Err(StoreError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other("no free name to move the damaged index to"),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn store_can_move_to_a_worker_thread() {
        fn is_send<T: Send>() {}
        is_send::<super::JournalStore>();
    }

    /// The next sequence number is one above a number read from disk (here the header's
    /// floor): at the largest one a write is refused, never wrapped or panicked on.
    #[test]
    fn a_write_after_the_last_sequence_number_is_refused() {
        use super::{Change, JournalStore, Store};
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(
            tmp.path().join("journal"),
            super::frame::file_header(u64::MAX),
        )
        .unwrap();
        let (mut store, _) = JournalStore::open(tmp.path()).unwrap();
        assert_eq!(store.seq(), u64::MAX);
        let user = crate::domain::model::User {
            login: "a".into(),
            name: "A".into(),
            role: crate::domain::model::Role::Rep,
            team: None,
        };
        let at = jiff::Timestamp::UNIX_EPOCH;
        let err = store.apply("t", at, Change::PutUser(user)).unwrap_err();
        assert!(
            err.to_string().contains("sequence numbers exhausted"),
            "{err}"
        );
        let len = std::fs::metadata(tmp.path().join("journal")).unwrap().len();
        assert_eq!(len, 24, "nothing appended");
    }
}
