//! Applying one journal event to the index.
//!
//! A customer's histories are one value (`Histories`), not one key per record: sled spends
//! ~20 µs per write here whatever its size, so a 100,000-customer import as 1.4 million
//! records took 78 s, as 100,000 values a few seconds. Each value remembers the last event
//! applied to it, so replaying an event after a crash that landed between two writes skips
//! the customers it already reached: applying is idempotent. The meta tree (the applied
//! sequence) is written last, so a crash before it means the event is replayed on open.

use std::collections::HashMap;

use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::codec::{self, Versioned};
use super::envelope::{BookId, EventId, Hlc, Seen, Stamp, VersionVector};
use super::error::{Result, StoreError};
use super::event::{Change, Event};
use super::index::Index;
use super::keys::{self, meta};
use super::merge::{self, ProfileClocks};
use crate::domain::model::{
    Account, Bond, BookData, ContactCorrection, Customer, Interaction, Order, Task, TaskId,
};

/// A customer's histories as the index stores them, each oldest first (equal times in
/// the order they were written), tasks by due date then id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Histories {
    /// The last journal event applied to this value.
    pub seq: u64,
    pub interactions: Vec<Interaction>,
    pub orders: Vec<Order>,
    pub bonds: Vec<Bond>,
    pub tasks: Vec<Task>,
    /// The corrections of these contacts, oldest stamp first (format 2).
    pub corrections: Vec<Correction>,
}

/// A correction of a logged contact as the histories keep it: the record the card shows,
/// the stamp of its event (of two corrections of one contact the later is in force, on
/// every replica) and the follow-up task it put, if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Correction {
    pub stamp: Stamp,
    pub made: ContactCorrection,
    pub task: Option<TaskId>,
}

impl Correction {
    /// The correction `change` makes (a `Change::CorrectContact`) as event `stamp` by
    /// `by` at `on`.
    pub fn of(
        stamp: Stamp,
        by: &str,
        on: jiff::Timestamp,
        previous: &Interaction,
        corrected: &Interaction,
        task: Option<&Task>,
    ) -> Correction {
        Correction {
            stamp,
            made: ContactCorrection {
                previous: previous.clone(),
                corrected: corrected.clone(),
                by: by.to_string(),
                on,
            },
            task: task.map(|t| t.id),
        }
    }
}

impl Histories {
    /// Adds the imported accounts' records (every backend imports through this). Records
    /// equal to one in `stored` are skipped when merging; after a replace `stored` is empty,
    /// so every record is kept (duplicates in the input included). Tasks replace by id.
    pub(crate) fn take_in(&mut self, stored: &Histories, parts: &[&Account]) {
        for a in parts {
            for i in &a.interactions {
                // An export taken before a correction holds the old version: it is kept
                // among the corrections already, not a second contact.
                let superseded = stored.corrections.iter().any(|c| c.made.previous == *i);
                if !stored.interactions.contains(i) && !superseded {
                    self.add_interaction(i.clone());
                }
            }
            for o in &a.orders {
                if !stored.orders.contains(o) {
                    self.add_order(o.clone());
                }
            }
            for b in &a.bonds {
                if !stored.bonds.contains(b) {
                    self.add_bond(b.clone());
                }
            }
            for t in &a.tasks {
                self.put_task(t.clone());
            }
        }
    }

    pub(crate) fn add_interaction(&mut self, interaction: Interaction) {
        let at = self
            .interactions
            .partition_point(|i| i.at <= interaction.at);
        self.interactions.insert(at, interaction);
    }

    pub(crate) fn add_order(&mut self, order: Order) {
        let at = self.orders.partition_point(|o| o.date <= order.date);
        self.orders.insert(at, order);
    }

    pub(crate) fn add_bond(&mut self, bond: Bond) {
        let at = self.bonds.partition_point(|b| b.since <= bond.since);
        self.bonds.insert(at, bond);
    }

    pub(crate) fn put_task(&mut self, task: Task) {
        self.tasks.retain(|t| t.id != task.id);
        let at = self
            .tasks
            .partition_point(|t| (t.due, t.id) <= (task.due, task.id));
        self.tasks.insert(at, task);
    }

    /// Undoes a logged contact (`Change::RetractContact`). The contact is found as it was
    /// taken back, else in any version (a correction made on another device that had not
    /// seen the undo: the undo wins in every order). Follow-ups its corrections put go
    /// with it while open.
    pub(crate) fn retract_contact(
        &mut self,
        interaction: &Interaction,
        drop_task: Option<TaskId>,
        reopen: &[TaskId],
    ) {
        let found = self
            .interactions
            .iter()
            .rposition(|i| i == interaction)
            .or_else(|| {
                self.interactions
                    .iter()
                    .rposition(|i| i.same_contact(interaction))
            });
        if let Some(at) = found {
            self.interactions.remove(at);
        }
        if let Some(id) = drop_task {
            self.tasks.retain(|t| t.id != id);
        }
        let put: Vec<TaskId> = self
            .corrections
            .iter()
            .filter(|c| c.made.previous.same_contact(interaction))
            .filter_map(|c| c.task)
            .collect();
        self.tasks
            .retain(|t| !(put.contains(&t.id) && t.done.is_none()));
        let day = interaction.at.to_zoned(TimeZone::UTC).date();
        for task in self.tasks.iter_mut() {
            if reopen.contains(&task.id) && task.done == Some(day) {
                task.done = None;
            }
        }
    }

    /// Corrects a logged contact (`Change::CorrectContact`). Every correction is kept
    /// (the old versions stay visible); the one with the latest stamp among a contact's
    /// corrections is in force, whatever order they arrive in:
    /// - applied while a later one is in force, it changes nothing but the record;
    /// - in force, it replaces the contact, undoes the open follow-ups put by the
    ///   corrections it had not seen (made elsewhere from the same version) and applies
    ///   its own follow-up edit, never to a follow-up already done;
    /// - a contact taken back stays taken back.
    pub(crate) fn correct_contact(
        &mut self,
        correction: Correction,
        task: Option<&Task>,
        drop_task: Option<TaskId>,
    ) {
        if self.corrections.contains(&correction) {
            return;
        }
        let at = self
            .corrections
            .partition_point(|c| c.stamp <= correction.stamp);
        self.corrections.insert(at, correction.clone());
        let contact = &correction.made.previous;
        let in_force = self
            .corrections
            .iter()
            .rfind(|c| c.made.previous.same_contact(contact))
            .is_some_and(|c| c.stamp == correction.stamp);
        let Some(pos) = self
            .interactions
            .iter()
            .rposition(|i| i.same_contact(contact))
        else {
            return;
        };
        if !in_force {
            return;
        }
        self.interactions[pos] = correction.made.corrected.clone();
        let seen = self.seen_by(&correction);
        let unseen: Vec<TaskId> = self
            .corrections
            .iter()
            .filter(|c| c.made.previous.same_contact(contact) && c.stamp != correction.stamp)
            .filter(|c| !seen.contains(&c.stamp))
            .filter_map(|c| c.task)
            .filter(|id| Some(*id) != correction.task)
            .collect();
        self.tasks
            .retain(|t| !(unseen.contains(&t.id) && t.done.is_none()));
        if let Some(id) = drop_task {
            self.tasks.retain(|t| !(t.id == id && t.done.is_none()));
        }
        if let Some(task) = task {
            let done = self
                .tasks
                .iter()
                .any(|t| t.id == task.id && t.done.is_some());
            if !done {
                self.put_task(task.clone());
            }
        }
    }

    /// The stamps of the corrections `correction` was made on top of: the one whose
    /// version it corrected, that one's, and so on back to the contact as logged.
    fn seen_by(&self, correction: &Correction) -> Vec<Stamp> {
        let mut seen = Vec::new();
        let mut version = &correction.made.previous;
        while let Some(before) = self.corrections.iter().find(|c| {
            c.made.corrected == *version && c.stamp < correction.stamp && !seen.contains(&c.stamp)
        }) {
            seen.push(before.stamp);
            version = &before.made.previous;
        }
        seen
    }

    /// The corrections, as the card shows them (oldest stamp first).
    pub(crate) fn contact_corrections(&self) -> Vec<ContactCorrection> {
        self.corrections.iter().map(|c| c.made.clone()).collect()
    }

    pub(crate) fn close_tasks(&mut self, ids: &[TaskId], day: jiff::civil::Date) {
        for task in self.tasks.iter_mut() {
            if ids.contains(&task.id) && task.done.is_none() {
                task.done = Some(day);
            }
        }
    }
}

/// The counters the index keeps next to its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counters {
    pub next_task: u64,
    pub next_cycle: u64,
}

/// What the events applied add up to for sync: the latest clock seen and, per origin, the
/// highest counter (origins as stored: `BookId::HOLDER` for the holder's unstamped events).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SyncState {
    pub hlc: Hlc,
    pub vv: VersionVector,
}

impl SyncState {
    pub fn note(&mut self, id: &EventId, hlc: Hlc) {
        self.vv.note(id);
        self.hlc = self.hlc.max(hlc);
    }
}

/// What applying an event changed that the store keeps in memory.
pub(crate) struct Applied {
    pub counters: Counters,
    pub sync: SyncState,
    pub new_customers: u64,
}

/// Writes per sled batch: big enough to amortise, small enough that sled does not hold
/// one epoch open across an entire import.
const CHUNK: usize = 4096;

struct Writer<'a> {
    sync: SyncState,
    /// Who made the change and what they saw: profile changes merge by it (`merge.rs`).
    stamp: Stamp,
    seen: &'a Seen,
    /// Who made the change, and when (a correction keeps both).
    actor: &'a str,
    at: jiff::Timestamp,
    /// Profile clocks touched by this event.
    clocks: HashMap<String, ProfileClocks>,
    index: &'a Index,
    seq: u64,
    counters: Counters,
    new_customers: u64,
    profiles: Vec<(String, Vec<u8>)>,
    /// Histories touched by this event; `None` when the value already holds it.
    histories: HashMap<String, Option<Histories>>,
    users: Vec<(Vec<u8>, Vec<u8>)>,
    cycles: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Index {
    pub fn apply(&self, event: &Event, counters: Counters, sync: &SyncState) -> Result<Applied> {
        let mut sync = sync.clone();
        sync.note(&event.id, event.hlc);
        let mut w = Writer {
            sync,
            stamp: Stamp {
                hlc: event.hlc,
                id: event.id,
            },
            seen: &event.seen,
            actor: &event.actor,
            at: event.at,
            clocks: HashMap::new(),
            index: self,
            seq: event.seq,
            counters,
            new_customers: 0,
            profiles: Vec::new(),
            histories: HashMap::new(),
            users: Vec::new(),
            cycles: Vec::new(),
        };
        w.change(&event.change)?;
        w.write()
    }
}

fn encoded<T: Versioned>(index: &Index, value: &T) -> Result<Vec<u8>> {
    codec::encode(value).map_err(|source| StoreError::Encode {
        path: index.path.clone(),
        source,
    })
}

fn write_chunked(
    index: &Index,
    tree: &sled::Tree,
    writes: impl IntoIterator<Item = (Vec<u8>, Vec<u8>)>,
) -> Result<()> {
    let mut batch = sled::Batch::default();
    let mut pending = 0;
    for (key, value) in writes {
        batch.insert(key, value);
        pending += 1;
        if pending == CHUNK {
            tree.apply_batch(std::mem::take(&mut batch))
                .map_err(|e| index.sled_error(e))?;
            pending = 0;
        }
    }
    if pending > 0 {
        tree.apply_batch(batch).map_err(|e| index.sled_error(e))?;
    }
    Ok(())
}

impl Writer<'_> {
    fn write(self) -> Result<Applied> {
        let index = self.index;
        let profiles = self
            .profiles
            .into_iter()
            .map(|(id, value)| (id.into_bytes(), value));
        write_chunked(index, &index.customers, profiles)?;
        let mut clocks = Vec::new();
        for (id, value) in &self.clocks {
            clocks.push((id.clone().into_bytes(), encoded(index, value)?));
        }
        write_chunked(index, &index.clocks, clocks)?;
        let mut histories = Vec::new();
        for (id, value) in self.histories {
            if let Some(value) = value {
                histories.push((id.into_bytes(), encoded(index, &value)?));
            }
        }
        write_chunked(index, &index.histories, histories)?;
        write_chunked(index, &index.users, self.users)?;
        write_chunked(index, &index.cycles, self.cycles)?;
        let mut meta_batch = sled::Batch::default();
        meta_batch.insert(meta::APPLIED_SEQ, &self.seq.to_be_bytes());
        meta_batch.insert(meta::NEXT_TASK, &self.counters.next_task.to_be_bytes());
        meta_batch.insert(meta::NEXT_CYCLE, &self.counters.next_cycle.to_be_bytes());
        let sync = codec::encode_plain(&self.sync).map_err(|source| StoreError::Encode {
            path: index.path.clone(),
            source,
        })?;
        meta_batch.insert(meta::SYNC, sync);
        index
            .meta
            .apply_batch(meta_batch)
            .map_err(|e| index.sled_error(e))?;
        Ok(Applied {
            counters: self.counters,
            sync: self.sync,
            new_customers: self.new_customers,
        })
    }

    /// The customer's histories to change, or `None` when this event already reached them.
    fn histories(&mut self, id: &str) -> Result<Option<&mut Histories>> {
        if !self.histories.contains_key(id) {
            let index = self.index;
            let stored: Option<Histories> = index.get(&index.histories, id.as_bytes())?;
            let value = match stored {
                Some(h) if h.seq >= self.seq => None,
                Some(h) => Some(h),
                None => Some(Histories::default()),
            };
            self.histories.insert(id.to_string(), value);
        }
        let seq = self.seq;
        let Some(h) = self.histories.get_mut(id).and_then(Option::as_mut) else {
            return Ok(None);
        };
        h.seq = seq;
        Ok(Some(h))
    }

    fn note_task(&mut self, task: &Task) {
        self.counters.next_task = self.counters.next_task.max(task.id.saturating_add(1));
    }

    fn change(&mut self, change: &Change) -> Result<()> {
        let index = self.index;
        match change {
            Change::Import { data, merge } => self.import(data, *merge)?,
            Change::PutCustomer(customer) => self.put_customer(customer, false)?,
            Change::LogContact {
                customer,
                interaction,
                new_task,
                close_tasks,
            } => {
                if let Some(task) = new_task {
                    self.note_task(task);
                }
                if self.seen.lost.is_some() {
                    let seq = self.seq;
                    let seen = self.seen;
                    if let Some(clocks) = self.clocks_of(customer)? {
                        if clocks.seq < seq {
                            merge::note_contact(clocks, seen);
                        }
                    }
                }
                if let Some(h) = self.histories(customer)? {
                    h.add_interaction(interaction.clone());
                    if let Some(task) = new_task {
                        h.put_task(task.clone());
                    }
                    let day = interaction.at.to_zoned(TimeZone::UTC).date();
                    h.close_tasks(close_tasks, day);
                }
            }
            Change::AddOrder { customer, order } => {
                if let Some(h) = self.histories(customer)? {
                    h.add_order(order.clone());
                }
            }
            Change::SetBonds { customer, bonds } => {
                if let Some(h) = self.histories(customer)? {
                    h.bonds.clear();
                    bonds.iter().cloned().for_each(|b| h.add_bond(b));
                }
            }
            Change::SetLost { customer, lost } => {
                let stored: Option<Customer> = index.get(&index.customers, customer.as_bytes())?;
                if let Some(mut profile) = stored {
                    profile.lost = lost.clone();
                    self.put_customer(&profile, false)?;
                }
            }
            Change::PutTask { customer, task } => {
                self.note_task(task);
                if let Some(h) = self.histories(customer)? {
                    h.put_task(task.clone());
                }
            }
            Change::PutCycle(cycle) => {
                self.counters.next_cycle = self.counters.next_cycle.max(cycle.id.saturating_add(1));
                let value = encoded(index, cycle)?;
                self.cycles
                    .push((keys::cycle_key(cycle.id).to_vec(), value));
            }
            Change::PutUser(user) => {
                let value = encoded(index, user)?;
                self.users.push((user.login.as_bytes().to_vec(), value));
            }
            Change::RetractContact {
                customer,
                interaction,
                drop_task,
                reopen_tasks,
            } => {
                if let Some(h) = self.histories(customer)? {
                    h.retract_contact(interaction, *drop_task, reopen_tasks);
                }
            }
            Change::CorrectContact {
                customer,
                previous,
                corrected,
                task,
                drop_task,
            } => {
                if let Some(task) = task {
                    self.note_task(task);
                }
                let correction = Correction::of(
                    self.stamp,
                    self.actor,
                    self.at,
                    previous,
                    corrected,
                    task.as_ref(),
                );
                if let Some(h) = self.histories(customer)? {
                    h.correct_contact(correction, task.as_ref(), *drop_task);
                }
            }
        }
        Ok(())
    }

    /// Puts a profile; returns whether the customer existed before this event.
    /// The clocks of a customer's profile, to change (loaded once per event).
    fn clocks_of(&mut self, id: &str) -> Result<Option<&mut ProfileClocks>> {
        if !self.clocks.contains_key(id) {
            let index = self.index;
            let stored: Option<ProfileClocks> = index.get(&index.clocks, id.as_bytes())?;
            self.clocks
                .insert(id.to_string(), stored.unwrap_or_default());
        }
        Ok(self.clocks.get_mut(id))
    }

    /// Puts a profile, merged field by field with the one stored (`merge.rs`). A new
    /// customer of an import gets no clocks (any later edit wins over a bulk load), which
    /// keeps a 100,000-customer import at one value per customer.
    fn put_customer(&mut self, customer: &Customer, import: bool) -> Result<()> {
        let index = self.index;
        let stored: Option<Customer> = index.get(&index.customers, customer.id.as_bytes())?;
        if stored.is_none() {
            self.new_customers += 1;
            if import {
                let value = encoded(index, customer)?;
                self.profiles.push((customer.id.clone(), value));
                return Ok(());
            }
        }
        let (stamp, seq) = (self.stamp, self.seq);
        // What the maker saw is known for events made since the envelope, not imports.
        let tracked = !import && stamp.id.origin != BookId::HOLDER;
        let seen = tracked.then_some(self.seen);
        let merged = match self.clocks_of(&customer.id)? {
            Some(clocks) => {
                let merged = merge::merge(stored.as_ref(), clocks, customer, stamp, seen);
                clocks.seq = clocks.seq.max(seq);
                merged
            }
            None => customer.clone(),
        };
        let value = encoded(index, &merged)?;
        self.profiles.push((customer.id.clone(), value));
        Ok(())
    }

    fn import(&mut self, data: &BookData, merge: bool) -> Result<()> {
        let index = self.index;
        for user in &data.users {
            let value = encoded(index, user)?;
            self.users.push((user.login.as_bytes().to_vec(), value));
        }
        for cycle in &data.cycles {
            self.counters.next_cycle = self.counters.next_cycle.max(cycle.id.saturating_add(1));
            let value = encoded(index, cycle)?;
            self.cycles
                .push((keys::cycle_key(cycle.id).to_vec(), value));
        }
        // An id given twice is one account: the last profile, all the histories.
        let mut order: Vec<&str> = Vec::new();
        let mut groups: HashMap<&str, Vec<&Account>> = HashMap::new();
        for account in &data.accounts {
            let id = account.customer.id.as_str();
            groups
                .entry(id)
                .or_insert_with(|| {
                    order.push(id);
                    Vec::new()
                })
                .push(account);
        }
        for id in order {
            if let Some(parts) = groups.get(id) {
                self.import_account(parts, merge)?;
            }
        }
        Ok(())
    }

    fn import_account(&mut self, parts: &[&Account], merge: bool) -> Result<()> {
        let Some(last) = parts.last() else {
            return Ok(());
        };
        let id = last.customer.id.as_str();
        self.put_customer(&last.customer, true)?;
        for task in parts.iter().flat_map(|a| &a.tasks) {
            self.note_task(task);
        }
        let Some(h) = self.histories(id)? else {
            return Ok(());
        };
        if !merge {
            *h = Histories {
                seq: h.seq,
                ..Histories::default()
            };
        }
        let old = h.clone();
        h.take_in(&old, parts);
        Ok(())
    }
}

#[cfg(test)]
#[path = "apply_correct_tests.rs"]
mod correct_tests;
