//! Applying one journal event to the index.
//!
//! Every tree gets one batch, and the meta tree (with the applied sequence) goes last, so
//! if a crash lands between batches the index says it has not applied the event yet.
//! Applying is idempotent: record keys come from the event (its seq and the record's
//! position in it), never from the index's state, so replaying an event that was partly
//! applied gives the same index as applying it once.

use std::collections::HashMap;

use jiff::tz::TimeZone;

use super::codec::{self, Versioned};
use super::error::{Result, StoreError};
use super::event::{Change, Event};
use super::index::Index;
use super::keys::{self, meta};
use crate::domain::model::{Account, Bond, BookData, Customer, Interaction, Order, Task};

/// The counters the index keeps next to its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counters {
    pub next_task: u64,
    pub next_cycle: u64,
}

/// What applying an event changed that the store keeps in memory.
pub(crate) struct Applied {
    pub counters: Counters,
    pub new_customers: u64,
}

#[derive(Default)]
struct Batches {
    customers: sled::Batch,
    interactions: sled::Batch,
    orders: sled::Batch,
    bonds: sled::Batch,
    tasks: sled::Batch,
    cycles: sled::Batch,
    users: sled::Batch,
}

struct Writer<'a> {
    index: &'a Index,
    seq: u64,
    batches: Batches,
    counters: Counters,
    new_customers: u64,
    /// Position of the next history record within this event, per kind.
    next_record: u32,
}

impl Index {
    pub fn apply(&self, event: &Event, counters: Counters) -> Result<Applied> {
        let mut w = Writer {
            index: self,
            seq: event.seq,
            batches: Batches::default(),
            counters,
            new_customers: 0,
            next_record: 0,
        };
        w.change(&event.change)?;
        let Writer {
            batches,
            counters,
            new_customers,
            ..
        } = w;
        let mut meta_batch = sled::Batch::default();
        meta_batch.insert(meta::APPLIED_SEQ, &event.seq.to_be_bytes());
        meta_batch.insert(meta::NEXT_TASK, &counters.next_task.to_be_bytes());
        meta_batch.insert(meta::NEXT_CYCLE, &counters.next_cycle.to_be_bytes());
        let steps = [
            (&self.customers, batches.customers),
            (&self.interactions, batches.interactions),
            (&self.orders, batches.orders),
            (&self.bonds, batches.bonds),
            (&self.tasks, batches.tasks),
            (&self.users, batches.users),
            (&self.cycles, batches.cycles),
            (&self.meta, meta_batch),
        ];
        for (tree, batch) in steps {
            tree.apply_batch(batch).map_err(|e| self.sled_error(e))?;
        }
        Ok(Applied {
            counters,
            new_customers,
        })
    }
}

fn encoded<T: Versioned>(index: &Index, value: &T) -> Result<Vec<u8>> {
    codec::encode(value).map_err(|source| StoreError::Encode {
        path: index.path.clone(),
        source,
    })
}

impl Writer<'_> {
    fn change(&mut self, change: &Change) -> Result<()> {
        let index = self.index;
        match change {
            Change::Import { data, merge } => self.import(data, *merge)?,
            Change::PutCustomer(customer) => {
                self.put_customer(customer)?;
            }
            Change::LogContact {
                customer,
                interaction,
                new_task,
                close_tasks,
            } => {
                let prefix = keys::customer_prefix(customer);
                self.add_interaction(&prefix, interaction)?;
                let day = interaction.at.to_zoned(TimeZone::UTC).date();
                self.update_tasks(&prefix, new_task.iter().cloned(), |task| {
                    if close_tasks.contains(&task.id) && task.done.is_none() {
                        task.done = Some(day);
                    }
                })?;
            }
            Change::AddOrder { customer, order } => {
                self.add_order(&keys::customer_prefix(customer), order)?
            }
            Change::SetBonds { customer, bonds } => {
                let prefix = keys::customer_prefix(customer);
                for key in self.keys_under(&index.bonds, &prefix)? {
                    self.batches.bonds.remove(key);
                }
                for bond in bonds {
                    self.add_bond(&prefix, bond)?;
                }
            }
            Change::SetLost { customer, lost } => {
                if let Some(mut profile) =
                    index.get::<Customer>(&index.customers, customer.as_bytes())?
                {
                    profile.lost = lost.clone();
                    let value = encoded(index, &profile)?;
                    self.batches.customers.insert(customer.as_bytes(), value);
                }
            }
            Change::PutTask { customer, task } => {
                self.update_tasks(&keys::customer_prefix(customer), [task.clone()], |_| {})?
            }
            Change::PutCycle(cycle) => {
                self.counters.next_cycle = self.counters.next_cycle.max(cycle.id.saturating_add(1));
                let value = encoded(index, cycle)?;
                self.batches
                    .cycles
                    .insert(&keys::cycle_key(cycle.id), value);
            }
            Change::PutUser(user) => {
                let value = encoded(index, user)?;
                self.batches.users.insert(user.login.as_bytes(), value);
            }
        }
        Ok(())
    }

    fn put_customer(&mut self, customer: &Customer) -> Result<bool> {
        let index = self.index;
        let key = customer.id.as_bytes();
        let existed = index
            .customers
            .contains_key(key)
            .map_err(|e| index.sled_error(e))?;
        if !existed {
            self.new_customers += 1;
        }
        self.batches
            .customers
            .insert(key, encoded(index, customer)?);
        Ok(existed)
    }

    fn import(&mut self, data: &BookData, merge: bool) -> Result<()> {
        let index = self.index;
        for user in &data.users {
            self.batches
                .users
                .insert(user.login.as_bytes(), encoded(index, user)?);
        }
        for cycle in &data.cycles {
            self.counters.next_cycle = self.counters.next_cycle.max(cycle.id.saturating_add(1));
            self.batches
                .cycles
                .insert(&keys::cycle_key(cycle.id), encoded(index, cycle)?);
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
            let Some(parts) = groups.get(id) else {
                continue;
            };
            self.import_account(parts, merge)?;
        }
        Ok(())
    }

    fn import_account(&mut self, parts: &[&Account], merge: bool) -> Result<()> {
        let index = self.index;
        let Some(last) = parts.last() else {
            return Ok(());
        };
        let prefix = keys::customer_prefix(&last.customer.id);
        let existed = self.put_customer(&last.customer)?;
        let histories = || parts.iter().copied();
        if existed && !merge {
            for key in self.keys_under(&index.interactions, &prefix)? {
                self.batches.interactions.remove(key);
            }
            for key in self.keys_under(&index.orders, &prefix)? {
                self.batches.orders.remove(key);
            }
            for key in self.keys_under(&index.bonds, &prefix)? {
                self.batches.bonds.remove(key);
            }
            for key in self.keys_under(&index.tasks, &prefix)? {
                self.batches.tasks.remove(key);
            }
        }
        let merging = existed && merge;
        let old_interactions: Vec<Interaction> = if merging {
            index.history(&index.interactions, &prefix)?
        } else {
            Vec::new()
        };
        let old_orders: Vec<Order> = if merging {
            index.history(&index.orders, &prefix)?
        } else {
            Vec::new()
        };
        let old_bonds: Vec<Bond> = if merging {
            index.history(&index.bonds, &prefix)?
        } else {
            Vec::new()
        };
        for interaction in histories().flat_map(|a| &a.interactions) {
            if old_interactions.contains(interaction) {
                self.next_record += 1;
            } else {
                self.add_interaction(&prefix, interaction)?;
            }
        }
        for order in histories().flat_map(|a| &a.orders) {
            if old_orders.contains(order) {
                self.next_record += 1;
            } else {
                self.add_order(&prefix, order)?;
            }
        }
        for bond in histories().flat_map(|a| &a.bonds) {
            if old_bonds.contains(bond) {
                self.next_record += 1;
            } else {
                self.add_bond(&prefix, bond)?;
            }
        }
        let mut tasks: Vec<Task> = histories().flat_map(|a| a.tasks.iter().cloned()).collect();
        if merging {
            self.update_tasks(&prefix, tasks, |_| {})
        } else {
            // A task id given twice: the last one wins, as an upsert would have it.
            let mut seen = std::collections::HashSet::new();
            tasks.reverse();
            tasks.retain(|t| seen.insert(t.id));
            for task in tasks {
                self.counters.next_task = self.counters.next_task.max(task.id.saturating_add(1));
                let value = encoded(index, &task)?;
                self.batches
                    .tasks
                    .insert(keys::task_key(&prefix, task.due, task.id), value);
            }
            Ok(())
        }
    }

    fn record_key(&mut self, prefix: &[u8], time: &[u8]) -> Vec<u8> {
        let key = keys::history_key(prefix, time, self.seq, self.next_record);
        self.next_record = self.next_record.wrapping_add(1);
        key
    }

    fn add_interaction(&mut self, prefix: &[u8], interaction: &Interaction) -> Result<()> {
        let key = self.record_key(prefix, &keys::timestamp_bytes(interaction.at));
        let value = encoded(self.index, interaction)?;
        self.batches.interactions.insert(key, value);
        Ok(())
    }

    fn add_order(&mut self, prefix: &[u8], order: &Order) -> Result<()> {
        let key = self.record_key(prefix, &keys::date_bytes(order.date));
        let value = encoded(self.index, order)?;
        self.batches.orders.insert(key, value);
        Ok(())
    }

    fn add_bond(&mut self, prefix: &[u8], bond: &Bond) -> Result<()> {
        let key = self.record_key(prefix, &keys::date_bytes(bond.since));
        let value = encoded(self.index, bond)?;
        self.batches.bonds.insert(key, value);
        Ok(())
    }

    /// Keys of all records under a customer's prefix in a history tree.
    fn keys_under(&self, tree: &sled::Tree, prefix: &[u8]) -> Result<Vec<sled::IVec>> {
        tree.scan_prefix(prefix)
            .keys()
            .map(|k| k.map_err(|e| self.index.sled_error(e)))
            .collect()
    }

    /// Upserts `incoming` by id among the customer's tasks, then lets `edit` change each
    /// task; writes back only what changed.
    fn update_tasks(
        &mut self,
        prefix: &[u8],
        incoming: impl IntoIterator<Item = Task>,
        edit: impl Fn(&mut Task),
    ) -> Result<()> {
        let index = self.index;
        let mut before: Vec<(Vec<u8>, Task)> = Vec::new();
        for item in index.tasks.scan_prefix(prefix) {
            let (key, value) = item.map_err(|e| index.sled_error(e))?;
            before.push((key.to_vec(), index.decode(&key, &value)?));
        }
        let mut after: Vec<Task> = before.iter().map(|(_, t)| t.clone()).collect();
        for task in incoming {
            self.counters.next_task = self.counters.next_task.max(task.id.saturating_add(1));
            after.retain(|t| t.id != task.id);
            after.push(task);
        }
        after.iter_mut().for_each(&edit);
        let after: Vec<(Vec<u8>, Task)> = after
            .into_iter()
            .map(|t| (keys::task_key(prefix, t.due, t.id), t))
            .collect();
        for (old_key, _) in &before {
            if !after.iter().any(|(key, _)| key == old_key) {
                self.batches.tasks.remove(old_key.as_slice());
            }
        }
        for (key, task) in after {
            if !before.iter().any(|(k, t)| *k == key && *t == task) {
                let value = encoded(index, &task)?;
                self.batches.tasks.insert(key, value);
            }
        }
        Ok(())
    }
}
