//! The storage seam: what the book needs of a store, whatever keeps the records.
//!
//! `JournalStore` (an fsynced journal as the truth, sled as the index) is one
//! implementation; a PostgreSQL store (an `events` table as the truth, tables as the
//! materialised records) is meant to be another. So nothing here names sled, bincode or a
//! file: a change goes in and gets a sequence number; records come out as domain types;
//! errors are `StoreError`s. Opening, checking and repairing are each backend's own
//! (`JournalStore::open`, `files::check`), as they take what only that backend knows.
//!
//! The current sequence (`seq`) is what derived data is keyed on: figures, summaries and
//! snapshots computed at sequence N are current while `seq()` is N.

use std::path::Path;

use jiff::Timestamp;
use serde::Serialize;

use super::envelope::{BookId, VersionVector};
use super::{codec, Change, Event, JournalEntry, Result, StoreError};
use crate::domain::model::{Account, ContactCorrection, Customer, Cycle, CycleId, TaskId, User};

pub trait Store: Send {
    /// Where this machine keeps the book's local files: its socket and the snapshots of
    /// derived data (a PostgreSQL store has one too, beside its connection).
    fn dir(&self) -> &Path;

    /// Makes `change` durable (acknowledged means it survives a crash) and visible to the
    /// reads below; returns its sequence number, one above the last. The event gets this
    /// book's envelope: id `(book_id(), seq)`, a clock ticked past every event applied
    /// (`Hlc::tick`), and what the book knew (`Seen`, docs/sync.md).
    fn apply(&mut self, actor: &str, at: Timestamp, change: Change) -> Result<u64>;

    /// This book's id, minted once and kept with the book (`envelope::BookId`).
    fn book_id(&self) -> BookId;

    /// Per origin, the highest counter of the events this book holds (its own included,
    /// under `book_id()`). What it tells a peer it has.
    fn version_vector(&self) -> Result<VersionVector>;

    /// Makes events received from another book durable, all together (acknowledged
    /// means all survive a crash), keeping each one's id, clock, time, actor and `seen`
    /// (only `seq` is this book's), and applies them as `apply` would. Idempotent by id:
    /// an event the version vector already covers (or one given twice) changes nothing
    /// and gives `None`; the others their new sequence numbers, in order. Events of one
    /// origin arrive in counter order (the protocol sends them so).
    fn apply_received(&mut self, events: &[Event]) -> Result<Vec<Option<u64>>>;

    /// Who set each field of a customer's profile and the conflicts waiting for a look
    /// (`merge::ProfileClocks`, kept beside the profile by `apply` and `apply_received`).
    fn profile_clocks(&self, id: &str) -> Result<Option<super::merge::ProfileClocks>> {
        let _ = id;
        Ok(None)
    }

    /// The events a holder of `known` lacks, oldest first, each with its origin named (never
    /// `BookId::HOLDER`).
    fn events_unknown_to(&self, known: &VersionVector) -> Result<Vec<Event>> {
        let holder = self.book_id();
        Ok(self
            .events_after(0)?
            .into_iter()
            .map(|e| e.with_holder(holder))
            .filter(|e| !known.knows(&e.id))
            .collect())
    }

    /// The sequence of the last change (0 for a new book).
    fn seq(&self) -> u64;

    /// The profile and histories of one customer, histories oldest first.
    fn account(&self, id: &str) -> Result<Option<Account>>;
    /// The corrections of the customer's logged contacts, each with the version it
    /// replaced (kept beside the histories by `apply`), oldest first.
    fn contact_corrections(&self, id: &str) -> Result<Vec<ContactCorrection>>;
    fn customer(&self, id: &str) -> Result<Option<Customer>>;
    fn contains(&self, id: &str) -> Result<bool>;
    /// All profiles in id order.
    fn customers(&self) -> Box<dyn Iterator<Item = Result<Customer>> + '_>;
    /// All accounts in id order; the walk stops after the first error.
    fn accounts(&self) -> Box<dyn Iterator<Item = Result<Account>> + '_>;
    fn customer_count(&self) -> usize;
    fn users(&self) -> Result<Vec<User>>;
    /// All PDCA cycles in id order.
    fn cycles(&self) -> Result<Vec<Cycle>>;
    fn cycle(&self, id: CycleId) -> Result<Option<Cycle>>;
    /// No customers, users or cycles.
    fn is_empty(&self) -> bool;
    /// An id no task has had: above every task id ever applied (imports included).
    fn next_task_id(&self) -> TaskId;
    /// An id no cycle has had: above every cycle id ever applied (imports included).
    fn next_cycle_id(&self) -> CycleId;
    /// The audit trail, oldest first.
    fn journal_entries(&self) -> Result<Vec<JournalEntry>>;

    /// Keeps derived data `name` (not journaled, recomputable) stamped as current for the
    /// book as it is now; `files::read_current_snapshot` gives it back while it is.
    fn write_snapshot(&self, name: &str, bytes: &[u8]) -> Result<()>;

    /// Keeps derived data `name` stamped with the sequence it reflects (`seq()` now): it
    /// stays usable after later changes, whose events its reader applies itself
    /// (`files::read_based_snapshot_value`, `events_after`). The live core's cache.
    fn write_based_snapshot(&self, name: &str, bytes: &[u8]) -> Result<()>;

    /// The changes after sequence `seq`, oldest first: what a reader of a based snapshot
    /// applies to bring it forward. Events written before envelopes existed come back
    /// with the placeholder origin `BookId::HOLDER` (`Event::with_holder` names it).
    fn events_after(&self, seq: u64) -> Result<Vec<Event>>;

    /// The changes other processes committed since this store last looked, oldest first,
    /// now visible to the reads above and counted in `seq()`: what a serving process
    /// applies to what it keeps in memory (search index, figures) before answering. Only
    /// a store several servers share has any (PostgreSQL); cheap when there are none.
    fn refresh(&mut self) -> Result<Vec<Event>>;

    /// Calls `wake` (from another thread, without waiting) whenever another process may
    /// have committed changes that `refresh` would bring: a serving process then takes
    /// them in and tells its consoles, without a request and without polling. A store
    /// only this process writes (the journal: one owner per data dir) never calls it.
    fn on_foreign_change(&self, wake: Box<dyn Fn() + Send + Sync>) {
        drop(wake);
    }
}

impl dyn Store + '_ {
    /// As `write_snapshot`, for a serde value (derived data: no format version, so a
    /// snapshot written by another build simply fails to decode and is recomputed).
    pub fn write_snapshot_value<T: Serialize>(&self, name: &str, value: &T) -> Result<()> {
        self.write_snapshot(name, &self.encode_snapshot(name, value)?)
    }

    /// As `write_based_snapshot`, for a serde value.
    pub fn write_based_snapshot_value<T: Serialize>(&self, name: &str, value: &T) -> Result<()> {
        self.write_based_snapshot(name, &self.encode_snapshot(name, value)?)
    }

    fn encode_snapshot<T: Serialize>(&self, name: &str, value: &T) -> Result<Vec<u8>> {
        codec::encode_plain(value).map_err(|source| StoreError::Encode {
            path: self.dir().join(format!("snapshot.{name}")),
            source,
        })
    }
}
