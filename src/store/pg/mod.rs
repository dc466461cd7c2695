//! The book in PostgreSQL: the store for teams, several servers on one database.
//!
//! The `events` table is the truth (one row per change, the whole event in the store
//! codec); the other tables hold the records as of the last event, written in the same
//! transaction, so acknowledged means committed. Writers are serialised by a lock on the
//! events table held to the end of their transaction: the next sequence number is the
//! last one plus one, and a reader never sees a later number before an earlier one is
//! committed (so reading "after N" never skips anything). The schema is created and
//! upgraded by versioned migrations (`migrations/`, applied with refinery).
//!
//! Other servers' changes reach this one through `refresh`: a LISTEN thread hears each
//! commit's NOTIFY (`listen.rs`), and the events after the last one seen are read from
//! the table. A lost connection is "store unavailable" (nothing is changed or lost), and
//! the next use connects again.

mod columns;
mod listen;
mod read;
mod target;
mod write;

pub use target::is_postgres_url;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use jiff::Timestamp;
use postgres::Client;

use super::apply::Counters;
use super::codec;
use super::envelope::{BookId, VersionVector};
use super::error::{io_at, Result, StoreError};
use super::event::{Change, Event, JournalEntry};
use super::{private, Store};
use crate::domain::model::{Account, ContactCorrection, Customer, Cycle, CycleId, TaskId, User};
use listen::{Heard, Listener, CHANNEL};
use target::Target;

mod embedded {
    refinery::embed_migrations!("src/store/pg/migrations");
}

/// Any number: the advisory lock key under which one server at a time migrates.
const MIGRATION_LOCK: i64 = 0x6372_6d5f_6d69_6772;

const UNKNOWN: u64 = u64::MAX;

pub struct PgStore {
    dir: PathBuf,
    target: Target,
    /// `None` after the connection was lost: the next use connects again.
    client: Mutex<Option<Client>>,
    /// The last event this store has seen (its own or, through `refresh`, others').
    seq: u64,
    counters: Counters,
    customer_count: AtomicU64,
    /// Others' events found while applying ours: `refresh` hands them over first.
    pending: Vec<Event>,
    listener: Listener,
    /// The listener's epoch when the events table was last read.
    looked_under: Option<u64>,
}

impl PgStore {
    /// Connects to the database at `url`, creating or upgrading its schema. `dir` keeps
    /// this machine's files of the book (the server's socket); it is created private.
    pub fn open(url: &str, dir: &Path) -> Result<PgStore> {
        let target = Target::parse(url)?;
        Self::open_target(target, dir)
    }

    fn open_target(target: Target, dir: &Path) -> Result<PgStore> {
        private::private_dir(dir).map_err(io_at(dir))?;
        let mut client = target.connect()?;
        migrate(&mut client, &target)?;
        // Listening before reading where the book stands: nothing committed after the
        // read can go unheard (see `listen.rs` for the epoch).
        let listener = Listener::start(target.clone());
        let mut store = PgStore {
            dir: dir.to_path_buf(),
            target,
            client: Mutex::new(Some(client)),
            seq: 0,
            counters: Counters {
                next_task: 1,
                next_cycle: 1,
            },
            customer_count: AtomicU64::new(UNKNOWN),
            pending: Vec::new(),
            listener,
            looked_under: None,
        };
        let (seq, counters) = store.with_client(book_row)?;
        store.seq = seq;
        store.counters = counters;
        Ok(store)
    }

    /// The store's name in messages: `postgres://USER@HOST:PORT/DB`, never the password.
    pub fn name(&self) -> &str {
        &self.target.name
    }

    fn lock(&self) -> MutexGuard<'_, Option<Client>> {
        // A panic while holding the lock leaves at worst a client mid-statement: drop it.
        self.client.lock().unwrap_or_else(|poisoned| {
            let mut guard = poisoned.into_inner();
            *guard = None;
            guard
        })
    }

    /// Runs `work` with a live connection, connecting again if the last one was lost. A
    /// failure that loses the connection drops it, so the next call starts afresh.
    fn with_client<T>(&self, work: impl FnOnce(&mut Client, &Target) -> Result<T>) -> Result<T> {
        let mut guard = self.lock();
        if guard.as_ref().is_none_or(Client::is_closed) {
            *guard = Some(self.target.connect()?);
        }
        let Some(client) = guard.as_mut() else {
            return Err(StoreError::Unavailable {
                store: self.target.name.clone(),
                detail: "no connection".to_string(),
            });
        };
        let result = work(client, &self.target);
        if matches!(result, Err(StoreError::Unavailable { .. })) || client.is_closed() {
            *guard = None;
        }
        result
    }

    /// `crm sync` exchanges events between journal books only, for now.
    fn no_sync(&self) -> StoreError {
        StoreError::Database {
            store: self.target.name.clone(),
            detail:
                "a PostgreSQL book cannot exchange events with `crm sync` yet; sync a data-dir book"
                    .into(),
        }
    }

    fn heard_nothing_new(&self) -> bool {
        match (self.listener.heard(), self.looked_under) {
            (Some(Heard { notified, epoch }), Some(looked)) => {
                epoch == looked && notified <= self.seq
            }
            _ => false,
        }
    }
}

/// Creates or upgrades the schema, one server at a time.
fn migrate(client: &mut Client, target: &Target) -> Result<()> {
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .map_err(|e| target.error(&e))?;
    let ran = embedded::migrations::runner()
        .set_abort_divergent(true)
        .set_abort_missing(true)
        .run(client);
    let unlocked = client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK]);
    ran.map_err(|e| StoreError::Database {
        store: target.name.clone(),
        detail: format!("schema migration: {}", e.to_string().replace('\n', " ")),
    })?;
    unlocked.map_err(|e| target.error(&e))?;
    Ok(())
}

fn book_row(client: &mut impl postgres::GenericClient, target: &Target) -> Result<(u64, Counters)> {
    let row = client
        .query_one("SELECT applied_seq, next_task, next_cycle FROM book", &[])
        .map_err(|e| target.error(&e))?;
    let number = |i: usize| -> u64 {
        let value: i64 = row.get(i);
        u64::from_ne_bytes(value.to_ne_bytes())
    };
    Ok((
        number(0),
        Counters {
            next_task: number(1),
            next_cycle: number(2),
        },
    ))
}

fn as_bigint(value: u64) -> i64 {
    i64::from_ne_bytes(value.to_ne_bytes())
}

fn kind(change: &Change) -> &'static str {
    match change {
        Change::Import { .. } => "import",
        Change::PutCustomer(_) => "put_customer",
        Change::LogContact { .. } => "log_contact",
        Change::AddOrder { .. } => "add_order",
        Change::SetBonds { .. } => "set_bonds",
        Change::SetLost { .. } => "set_lost",
        Change::PutTask { .. } => "put_task",
        Change::PutCycle(_) => "put_cycle",
        Change::PutUser(_) => "put_user",
        Change::RetractContact { .. } => "retract_contact",
        Change::CorrectContact { .. } => "correct_contact",
    }
}

/// What one committed change left behind.
struct Committed {
    seq: u64,
    counters: Counters,
    new_customers: u64,
    /// Others' events between the last one we had seen and ours.
    others: Vec<Event>,
}

impl Store for PgStore {
    fn dir(&self) -> &Path {
        &self.dir
    }

    /// One transaction: lock the events table (writers queue here; readers do not), take
    /// the next sequence number, insert the event, apply it to the tables, announce it,
    /// commit. The change is acknowledged only once the commit has returned.
    fn apply(&mut self, actor: &str, at: Timestamp, change: Change) -> Result<u64> {
        let seen = self.seq;
        let committed = self.with_client(|client, target| {
            let db = |e: postgres::Error| target.error(&e);
            let mut tx = client.transaction().map_err(db)?;
            tx.batch_execute("LOCK TABLE events IN EXCLUSIVE MODE")
                .map_err(db)?;
            let (last, counters) = book_row(&mut tx, target)?;
            let others = if last > seen {
                read::events_after(&mut tx, target, seen)?
            } else {
                Vec::new()
            };
            let Some(seq) = last.checked_add(1).filter(|s| *s <= i64::MAX as u64) else {
                return Err(StoreError::Database {
                    store: target.name.clone(),
                    detail: format!("sequence numbers exhausted at {last}"),
                });
            };
            // The holder's own event (id counted by `seq`, clock = wall time) until this
            // store keeps a book id and a clock of its own (docs/sync.md, SEAMS.md).
            let event = Event::held(seq, at, actor.to_string(), change);
            let payload = codec::encode(&event).map_err(|e| StoreError::Database {
                store: target.name.clone(),
                detail: e.to_string(),
            })?;
            tx.execute(
                "INSERT INTO events (seq, at, actor, kind, payload) VALUES ($1, $2, $3, $4, $5)",
                &[
                    &as_bigint(seq),
                    &columns::timestamp(at),
                    &columns::text(actor),
                    &kind(&event.change),
                    &payload,
                ],
            )
            .map_err(db)?;
            let applied = write::apply(&mut tx, target, &event, counters)?;
            tx.execute(
                "UPDATE book SET applied_seq = $1, next_task = $2, next_cycle = $3",
                &[
                    &as_bigint(seq),
                    &as_bigint(applied.counters.next_task),
                    &as_bigint(applied.counters.next_cycle),
                ],
            )
            .map_err(db)?;
            tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &seq.to_string()])
                .map_err(db)?;
            tx.commit().map_err(db)?;
            Ok(Committed {
                seq,
                counters: applied.counters,
                new_customers: applied.new_customers,
                others,
            })
        })?;
        if committed.others.is_empty() {
            let count = self.customer_count.load(Ordering::Relaxed);
            if count != UNKNOWN {
                self.customer_count
                    .store(count + committed.new_customers, Ordering::Relaxed);
            }
        } else {
            self.customer_count.store(UNKNOWN, Ordering::Relaxed);
            self.pending.extend(committed.others);
        }
        self.seq = committed.seq;
        self.counters = committed.counters;
        Ok(committed.seq)
    }

    fn seq(&self) -> u64 {
        self.seq
    }

    /// No id of its own yet: its events are the holder's (`BookId::HOLDER`).
    fn book_id(&self) -> BookId {
        BookId::HOLDER
    }

    fn version_vector(&self) -> Result<VersionVector> {
        Err(self.no_sync())
    }

    fn apply_received(&mut self, _events: &[Event]) -> Result<Vec<Option<u64>>> {
        Err(self.no_sync())
    }

    fn account(&self, id: &str) -> Result<Option<Account>> {
        self.with_client(|client, target| {
            let Some(customer) = read::customer(client, target, id)? else {
                return Ok(None);
            };
            let key = columns::text(id).into_owned();
            let mut histories = read::histories(client, target, std::slice::from_ref(&key))?;
            let h = histories.remove(&key).unwrap_or_default();
            Ok(Some(read::account_of(customer, h)))
        })
    }

    fn contact_corrections(&self, id: &str) -> Result<Vec<ContactCorrection>> {
        self.with_client(|client, target| {
            let key = columns::text(id).into_owned();
            let mut histories = read::histories(client, target, std::slice::from_ref(&key))?;
            Ok(histories
                .remove(&key)
                .map(|h| h.contact_corrections())
                .unwrap_or_default())
        })
    }

    fn customer(&self, id: &str) -> Result<Option<Customer>> {
        self.with_client(|client, target| read::customer(client, target, id))
    }

    fn contains(&self, id: &str) -> Result<bool> {
        self.with_client(|client, target| read::contains(client, target, id))
    }

    fn customers(&self) -> Box<dyn Iterator<Item = Result<Customer>> + '_> {
        Box::new(Pages::new(self, false).map(|item| item.map(|a| a.customer)))
    }

    fn accounts(&self) -> Box<dyn Iterator<Item = Result<Account>> + '_> {
        Box::new(Pages::new(self, true))
    }

    fn customer_count(&self) -> usize {
        let count = self.customer_count.load(Ordering::Relaxed);
        if count != UNKNOWN {
            return count as usize;
        }
        let counted = self.with_client(|client, target| {
            let row = client
                .query_one("SELECT count(*) FROM customers", &[])
                .map_err(|e| target.error(&e))?;
            Ok(row.get::<_, i64>(0))
        });
        match counted {
            Ok(n) => {
                let n = u64::try_from(n).unwrap_or(0);
                self.customer_count.store(n, Ordering::Relaxed);
                n as usize
            }
            // The trait gives no way to fail here; an unknown count stays unknown.
            Err(_) => 0,
        }
    }

    fn users(&self) -> Result<Vec<User>> {
        self.with_client(read::users)
    }

    fn cycles(&self) -> Result<Vec<Cycle>> {
        self.with_client(read::cycles)
    }

    fn cycle(&self, id: CycleId) -> Result<Option<Cycle>> {
        self.with_client(|client, target| read::cycle(client, target, id))
    }

    /// A database that cannot be reached is not known to be empty: it counts as not.
    fn is_empty(&self) -> bool {
        self.with_client(|client, target| {
            let row = client
                .query_one(
                    "SELECT NOT EXISTS (SELECT 1 FROM customers) \
                     AND NOT EXISTS (SELECT 1 FROM users) \
                     AND NOT EXISTS (SELECT 1 FROM cycles)",
                    &[],
                )
                .map_err(|e| target.error(&e))?;
            Ok(row.get::<_, bool>(0))
        })
        .unwrap_or(false)
    }

    fn next_task_id(&self) -> TaskId {
        self.counters.next_task
    }

    fn next_cycle_id(&self) -> CycleId {
        self.counters.next_cycle
    }

    fn journal_entries(&self) -> Result<Vec<JournalEntry>> {
        Ok(self
            .events_after(0)?
            .into_iter()
            .map(|event| JournalEntry {
                seq: event.seq,
                at: event.at,
                description: event.change.describe(),
                actor: event.actor,
            })
            .collect())
    }

    /// Derived data of a PostgreSQL book lives in the serving process's memory only:
    /// snapshot files are stamped against a journal file, which this backend does not
    /// have, so none written here could ever be read back as current. Nothing is written.
    fn write_snapshot(&self, _name: &str, _bytes: &[u8]) -> Result<()> {
        Ok(())
    }

    /// As `write_snapshot`: nothing is written.
    fn write_based_snapshot(&self, _name: &str, _bytes: &[u8]) -> Result<()> {
        Ok(())
    }

    fn events_after(&self, seq: u64) -> Result<Vec<Event>> {
        let mut events =
            self.with_client(|client, target| read::events_after(client, target, seq))?;
        // Only what this store has seen: `seq()` and the reads above agree.
        events.retain(|e| e.seq <= self.seq);
        Ok(events)
    }

    /// Others' changes since the last one seen, oldest first: those met while applying
    /// ours, then the events table after `seq()` (read only when the listener heard of
    /// something newer, or cannot vouch that nothing happened).
    fn on_foreign_change(&self, wake: Box<dyn Fn() + Send + Sync>) {
        self.listener.wake_with(wake);
    }

    fn refresh(&mut self) -> Result<Vec<Event>> {
        let mut events = std::mem::take(&mut self.pending);
        if self.heard_nothing_new() {
            return Ok(events);
        }
        let epoch = self.listener.heard().map(|h| h.epoch);
        let seen = self.seq;
        let (newer, counters) = self.with_client(|client, target| {
            let newer = read::events_after(client, target, seen)?;
            let (_, counters) = book_row(client, target)?;
            Ok((newer, counters))
        })?;
        self.looked_under = epoch;
        if let Some(last) = newer.last() {
            self.seq = last.seq;
            self.counters = counters;
            self.customer_count.store(UNKNOWN, Ordering::Relaxed);
        }
        events.extend(newer);
        Ok(events)
    }
}

/// Profiles (and, for accounts, their histories) a page at a time, in id order. The walk
/// stops after the first error.
struct Pages<'a> {
    store: &'a PgStore,
    with_histories: bool,
    after: Option<String>,
    page: std::vec::IntoIter<Account>,
    done: bool,
}

impl<'a> Pages<'a> {
    fn new(store: &'a PgStore, with_histories: bool) -> Self {
        Pages {
            store,
            with_histories,
            after: None,
            page: Vec::new().into_iter(),
            done: false,
        }
    }

    fn next_page(&mut self) -> Result<Vec<Account>> {
        let after = self.after.clone();
        let with_histories = self.with_histories;
        let (last, accounts) = self.store.with_client(|client, target| {
            let profiles = read::customers_after(client, target, after.as_deref())?;
            let last = profiles.last().map(|(key, _)| key.clone());
            let mut histories = if with_histories {
                let keys: Vec<String> = profiles.iter().map(|(k, _)| k.clone()).collect();
                read::histories(client, target, &keys)?
            } else {
                Default::default()
            };
            let accounts = profiles
                .into_iter()
                .map(|(key, customer)| {
                    read::account_of(customer, histories.remove(&key).unwrap_or_default())
                })
                .collect();
            Ok((last, accounts))
        })?;
        self.after = last;
        Ok(accounts)
    }
}

impl Iterator for Pages<'_> {
    type Item = Result<Account>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(account) = self.page.next() {
                return Some(Ok(account));
            }
            if self.done {
                return None;
            }
            match self.next_page() {
                Ok(page) => {
                    if (page.len() as i64) < read::PAGE {
                        self.done = true;
                    }
                    self.page = page.into_iter();
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn store_can_move_to_a_worker_thread() {
        fn is_send<T: Send>() {}
        is_send::<super::PgStore>();
    }
}
