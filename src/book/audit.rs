//! The audit trail: who changed what and when, read from the journal (every change is one
//! event naming its actor, the login the book ran it as). `crm audit` lists it; a
//! customer's card shows the customer's last changes (`crm show`).
//!
//! The journal is the only record of who did what (a change's result is in the index, its
//! author only here). Reading it whole for each question would make every card as slow as
//! the journal is long (an import of the whole book is one event), so the book keeps the
//! trail: in memory, brought forward by the events since (`Store::events_after`), and
//! saved as a based snapshot (`snapshot.audit`) that the next process starts from.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{Book, BookError};
use crate::domain::model::{CustomerId, CycleId};
use crate::store::{files, Change, Event};

/// The based snapshot the trail is saved in.
const SNAPSHOT: &str = "audit";
/// Events after the saved trail past which it is saved anew.
const REBASE_EVENTS: u64 = 1024;

/// Every change's entry, oldest first, as of journal sequence `seq`.
#[derive(Debug, Default)]
pub(super) struct Trail {
    seq: u64,
    entries: Vec<AuditEntry>,
    /// The sequence the saved snapshot reflects, if there is one.
    saved: Option<u64>,
}

/// One change of the book, as the trail shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: Timestamp,
    /// The login that made the change (empty for journals written before changes named
    /// one).
    pub user: String,
    /// `import`, `profile`, `contact`, `contact_retracted`, `contact_corrected`, `order`,
    /// `bonds`, `lost`, `task`, `cycle` or `user`.
    pub kind: String,
    /// The customers it changed (an import: those of them the trail is asked about).
    pub customers: Vec<CustomerId>,
    /// The PDCA cycle it stored, if any (an import: the first).
    pub cycle: Option<CycleId>,
    /// The login of the book user it stored, if any.
    pub login: Option<String>,
    /// One line in English, as the journal describes the change.
    pub description: String,
}

/// Which changes to list; every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// Changes to this customer.
    pub customer: Option<CustomerId>,
    /// Changes made by this login.
    pub user: Option<String>,
    /// Changes made at or after this instant.
    pub since: Option<Timestamp>,
    /// Only the last this many of the matching changes (`None`: all).
    pub last: Option<usize>,
}

impl AuditEntry {
    fn of(event: Event) -> AuditEntry {
        AuditEntry::made(event.seq, event.at, event.actor, &event.change)
    }

    /// The entry of `change`, made as journal sequence `seq` by `user` at `at`.
    fn made(seq: u64, at: Timestamp, user: String, change: &Change) -> AuditEntry {
        let one = |id: &CustomerId| vec![id.clone()];
        let (kind, customers, cycle, login) = match change {
            Change::Import { data, .. } => (
                "import",
                data.accounts
                    .iter()
                    .map(|a| a.customer.id.clone())
                    .collect(),
                data.cycles.first().map(|c| c.id),
                None,
            ),
            Change::PutCustomer(customer) => ("profile", one(&customer.id), None, None),
            Change::LogContact { customer, .. } => ("contact", one(customer), None, None),
            Change::AddOrder { customer, .. } => ("order", one(customer), None, None),
            Change::SetBonds { customer, .. } => ("bonds", one(customer), None, None),
            Change::SetLost { customer, .. } => ("lost", one(customer), None, None),
            Change::PutTask { customer, .. } => ("task", one(customer), None, None),
            Change::PutCycle(cycle) => ("cycle", Vec::new(), Some(cycle.id), None),
            Change::PutUser(u) => ("user", Vec::new(), None, Some(u.login.clone())),
            Change::RetractContact { customer, .. } => {
                ("contact_retracted", one(customer), None, None)
            }
            Change::CorrectContact { customer, .. } => {
                ("contact_corrected", one(customer), None, None)
            }
        };
        AuditEntry {
            seq,
            at,
            user,
            kind: kind.to_string(),
            customers,
            cycle,
            login,
            description: change.describe(),
        }
    }
}

impl Book {
    /// The changes `filter` asks for, oldest first.
    pub fn audit(&mut self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, BookError> {
        self.audit_where(filter, &mut |entry| Some(entry))
    }

    /// As `audit`, each matching entry passed through `keep` (a session's reach: it may
    /// narrow an entry's customers or drop it).
    pub(crate) fn audit_where(
        &mut self,
        filter: &AuditFilter,
        keep: &mut dyn FnMut(AuditEntry) -> Option<AuditEntry>,
    ) -> Result<Vec<AuditEntry>, BookError> {
        let trail = self.trail()?;
        let mut entries = Vec::new();
        for entry in &trail.entries {
            if filter.since.is_some_and(|since| entry.at < since)
                || filter.user.as_ref().is_some_and(|u| *u != entry.user)
                || filter
                    .customer
                    .as_ref()
                    .is_some_and(|id| !entry.customers.contains(id))
            {
                continue;
            }
            let mut entry = entry.clone();
            if let Some(id) = &filter.customer {
                entry.customers = vec![id.clone()];
            }
            if let Some(entry) = keep(entry) {
                entries.push(entry);
            }
        }
        if let Some(last) = filter.last {
            entries.drain(..entries.len().saturating_sub(last));
        }
        Ok(entries)
    }

    /// The trail as the journal stands: the one in memory brought forward, else the saved
    /// one brought forward, else read from the whole journal.
    fn trail(&mut self) -> Result<&Trail, BookError> {
        let seq = self.store.seq();
        let mut trail = match self.trail.take() {
            Some(trail) if trail.seq <= seq => trail,
            _ => match files::read_based_snapshot_value::<Vec<AuditEntry>>(&self.dir, SNAPSHOT) {
                Some((base, entries)) if base.seq <= seq => Trail {
                    seq: base.seq,
                    entries,
                    saved: Some(base.seq),
                },
                _ => Trail::default(),
            },
        };
        if trail.seq < seq {
            let events = self.store.events_after(trail.seq)?;
            trail.entries.extend(events.into_iter().map(AuditEntry::of));
            trail.seq = seq;
        }
        Ok(self.trail.insert(trail))
    }

    /// The entry a change this book is about to make adds to the trail in memory, when
    /// that trail is current (`before`: the journal's sequence now). A new book starts its
    /// trail here, so its first import's trail is saved without reading the import back.
    pub(super) fn trail_entry(
        &mut self,
        before: u64,
        at: Timestamp,
        change: &Change,
    ) -> Option<AuditEntry> {
        if before == 0 && self.trail.is_none() {
            self.trail = Some(Trail::default());
        }
        self.trail.as_ref().filter(|t| t.seq == before)?;
        Some(AuditEntry::made(0, at, self.actor.clone(), change))
    }

    /// Adds the entry of a change made durable as `seq` (`before` it the trail was current).
    /// When other writers' changes came in between (servers sharing a PostgreSQL book), the
    /// trail is left to be brought forward from the store, this change with them.
    pub(super) fn trail_push(&mut self, before: u64, seq: u64, mut entry: AuditEntry) {
        let next = before.checked_add(1) == Some(seq);
        if let Some(trail) = self.trail.as_mut().filter(|t| t.seq == before && next) {
            entry.seq = seq;
            trail.entries.push(entry);
            trail.seq = seq;
        }
    }

    /// Saves the trail when none is saved or the saved one has fallen far behind.
    pub(super) fn save_trail(&mut self) -> Result<(), BookError> {
        let seq = self.store.seq();
        let Some(trail) = self.trail.as_mut().filter(|t| t.seq == seq) else {
            return Ok(());
        };
        if trail
            .saved
            .is_some_and(|saved| seq.saturating_sub(saved) <= REBASE_EVENTS)
        {
            return Ok(());
        }
        self.store
            .write_based_snapshot_value(SNAPSHOT, &trail.entries)?;
        trail.saved = Some(seq);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::config::Config;
    use crate::domain::model::{Role, User};

    fn user(login: &str) -> User {
        User {
            login: login.into(),
            name: login.into(),
            role: Role::Rep,
            team: None,
        }
    }

    fn seqs(book: &mut Book) -> Vec<u64> {
        let entries = book.audit(&AuditFilter::default()).unwrap();
        entries.iter().map(|e| e.seq).collect()
    }

    #[test]
    fn the_trail_is_saved_and_brought_forward_by_the_next_process() {
        let tmp = tempfile::tempdir().unwrap();
        let mut book = Book::open(tmp.path(), Config::default(), "sam").unwrap();
        book.put_user(user("a")).unwrap();
        book.put_user(user("b")).unwrap();
        // A new book keeps its trail as it writes: nothing to read back.
        assert_eq!(book.trail.as_ref().map(|t| t.entries.len()), Some(2));
        assert_eq!(seqs(&mut book), [1, 2]);
        drop(book);
        let mut book = Book::open(tmp.path(), Config::default(), "li").unwrap();
        book.put_user(user("c")).unwrap();
        let entries = book.audit(&AuditFilter::default()).unwrap();
        // Read from the snapshot saved at 2, with event 3 from the journal.
        assert_eq!(book.trail.as_ref().and_then(|t| t.saved), Some(2));
        let who: Vec<(u64, &str, &str, Option<&str>)> = entries
            .iter()
            .map(|e| (e.seq, e.user.as_str(), e.kind.as_str(), e.login.as_deref()))
            .collect();
        assert_eq!(
            who,
            [
                (1, "sam", "user", Some("a")),
                (2, "sam", "user", Some("b")),
                (3, "li", "user", Some("c")),
            ]
        );
        // The last two since the second change, by li only.
        let second = entries[1].at;
        let filter = AuditFilter {
            since: Some(second),
            last: Some(1),
            ..AuditFilter::default()
        };
        assert_eq!(book.audit(&filter).unwrap()[0].seq, 3);
        let filter = AuditFilter {
            user: Some("li".into()),
            ..AuditFilter::default()
        };
        assert_eq!(book.audit(&filter).unwrap().len(), 1);
    }

    #[test]
    fn a_change_after_other_writers_leaves_the_trail_to_the_store() {
        let tmp = tempfile::tempdir().unwrap();
        let mut book = Book::open(tmp.path(), Config::default(), "sam").unwrap();
        book.put_user(user("a")).unwrap();
        let change = Change::PutUser(user("x"));
        let entry = book.trail_entry(1, Timestamp::now(), &change).unwrap();
        // Sequence 3, not 2: another server's change came in between.
        book.trail_push(1, 3, entry);
        let trail = book.trail.as_ref().unwrap();
        assert_eq!((trail.seq, trail.entries.len()), (1, 1));
    }
}
