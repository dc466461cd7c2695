//! Applying one change to the materialised tables, inside the transaction that records its
//! event. The rules are the journal+sled store's (`apply.rs`): the same `Histories` methods
//! order and upsert the records, so both backends hold the same book after the same events.
//!
//! A customer's histories are read, changed in memory and written back from the first
//! position that differs: a contact logged at the end of a history inserts one row.

use std::collections::HashMap;

use jiff::tz::TimeZone;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use postgres::Transaction;

use super::super::apply::{Correction, Counters, Histories};
use super::super::codec::{self, Versioned};
use super::super::envelope::Stamp;
use super::super::error::{Result, StoreError};
use super::super::event::{Change, Event};
use super::columns;
use super::read;
use super::target::Target;
use crate::domain::model::{
    Account, Bond, BookData, Customer, Cycle, Interaction, Order, Task, User,
};

/// Accounts of an import written per round (bounded memory for a million customers).
const CHUNK: usize = 2000;

pub(super) struct Applied {
    pub counters: Counters,
    pub new_customers: u64,
}

pub(super) fn apply(
    tx: &mut Transaction<'_>,
    target: &Target,
    event: &Event,
    counters: Counters,
) -> Result<Applied> {
    let mut w = Writer {
        tx,
        target,
        event,
        counters,
        new_customers: 0,
    };
    w.change(&event.change)?;
    Ok(Applied {
        counters: w.counters,
        new_customers: w.new_customers,
    })
}

/// One customer's histories: as stored (`None`: unknown, rewrite them whole) and as they
/// are to be.
struct Touched {
    key: String,
    old: Option<Histories>,
    new: Histories,
}

struct Writer<'a, 'b> {
    tx: &'a mut Transaction<'b>,
    target: &'a Target,
    /// The event being applied (a correction keeps its stamp, actor and time).
    event: &'a Event,
    counters: Counters,
    new_customers: u64,
}

impl Writer<'_, '_> {
    fn db(&self) -> impl Fn(postgres::Error) -> StoreError + '_ {
        |e| self.target.error(&e)
    }

    fn encode<T: Versioned>(&self, value: &T) -> Result<Vec<u8>> {
        codec::encode(value).map_err(|e| StoreError::Database {
            store: self.target.name.clone(),
            detail: e.to_string(),
        })
    }

    fn note_task(&mut self, task: &Task) {
        self.counters.next_task = self.counters.next_task.max(task.id.saturating_add(1));
    }

    fn note_cycle(&mut self, cycle: &Cycle) {
        self.counters.next_cycle = self.counters.next_cycle.max(cycle.id.saturating_add(1));
    }

    fn change(&mut self, change: &Change) -> Result<()> {
        match change {
            Change::Import { data, merge } => self.import(data, *merge),
            Change::PutCustomer(customer) => self.put_profiles(std::slice::from_ref(customer)),
            Change::LogContact {
                customer,
                interaction,
                new_task,
                close_tasks,
            } => {
                if let Some(task) = new_task {
                    self.note_task(task);
                }
                self.edit_histories(customer, |h| {
                    h.add_interaction(interaction.clone());
                    if let Some(task) = new_task {
                        h.put_task(task.clone());
                    }
                    let day = interaction.at.to_zoned(TimeZone::UTC).date();
                    h.close_tasks(close_tasks, day);
                })
            }
            Change::AddOrder { customer, order } => {
                self.edit_histories(customer, |h| h.add_order(order.clone()))
            }
            Change::SetBonds { customer, bonds } => self.edit_histories(customer, |h| {
                h.bonds.clear();
                bonds.iter().cloned().for_each(|b| h.add_bond(b));
            }),
            Change::SetLost { customer, lost } => {
                let stored = read::customer(self.tx, self.target, customer)?;
                match stored {
                    Some(mut profile) => {
                        profile.lost = lost.clone();
                        self.put_profiles(&[profile])
                    }
                    None => Ok(()),
                }
            }
            Change::PutTask { customer, task } => {
                self.note_task(task);
                self.edit_histories(customer, |h| h.put_task(task.clone()))
            }
            Change::PutCycle(cycle) => {
                self.note_cycle(cycle);
                self.put_cycles(std::slice::from_ref(cycle))
            }
            Change::PutUser(user) => self.put_users(std::slice::from_ref(user)),
            Change::RetractContact {
                customer,
                interaction,
                drop_task,
                reopen_tasks,
            } => self.edit_histories(customer, |h| {
                h.retract_contact(interaction, *drop_task, reopen_tasks)
            }),
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
                let stamp = Stamp {
                    hlc: self.event.hlc,
                    id: self.event.id,
                };
                let correction = Correction::of(
                    stamp,
                    &self.event.actor,
                    self.event.at,
                    previous,
                    corrected,
                    task.as_ref(),
                );
                self.edit_histories(customer, |h| {
                    h.correct_contact(correction, task.as_ref(), *drop_task)
                })
            }
        }
    }

    fn edit_histories(&mut self, customer: &str, edit: impl FnOnce(&mut Histories)) -> Result<()> {
        let key = columns::text(customer).into_owned();
        let mut stored = read::histories(self.tx, self.target, std::slice::from_ref(&key))?;
        let old = stored.remove(&key).unwrap_or_default();
        let mut new = old.clone();
        edit(&mut new);
        self.write_histories(vec![Touched {
            key,
            old: Some(old),
            new,
        }])
    }

    fn import(&mut self, data: &BookData, merge: bool) -> Result<()> {
        self.put_users(&data.users)?;
        for cycle in &data.cycles {
            self.note_cycle(cycle);
        }
        self.put_cycles(&data.cycles)?;
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
        for ids in order.chunks(CHUNK) {
            let parts: Vec<&[&Account]> = ids
                .iter()
                .filter_map(|id| groups.get(id).map(Vec::as_slice))
                .collect();
            self.import_chunk(&parts, merge)?;
        }
        Ok(())
    }

    /// Mirrors `apply.rs`'s `import_account` for a chunk of accounts.
    fn import_chunk(&mut self, accounts: &[&[&Account]], merge: bool) -> Result<()> {
        let profiles: Vec<Customer> = accounts
            .iter()
            .filter_map(|parts| parts.last().map(|a| a.customer.clone()))
            .collect();
        self.put_profiles(&profiles)?;
        let keys: Vec<String> = profiles
            .iter()
            .map(|c| columns::text(&c.id).into_owned())
            .collect();
        let mut stored = if merge {
            read::histories(self.tx, self.target, &keys)?
        } else {
            HashMap::new()
        };
        let mut touched = Vec::with_capacity(keys.len());
        for (parts, key) in accounts.iter().zip(keys) {
            for task in parts.iter().flat_map(|a| &a.tasks) {
                self.note_task(task);
            }
            // Without merge the histories are replaced whole: what is stored is not read.
            let old = merge.then(|| stored.remove(&key).unwrap_or_default());
            let base = old.clone().unwrap_or_default();
            let mut new = base.clone();
            new.take_in(&base, parts);
            touched.push(Touched { key, old, new });
        }
        self.write_histories(touched)
    }

    /// Replaces profiles (and their contacts) whole.
    fn put_profiles(&mut self, profiles: &[Customer]) -> Result<()> {
        if profiles.is_empty() {
            return Ok(());
        }
        let keys: Vec<String> = profiles
            .iter()
            .map(|c| columns::text(&c.id).into_owned())
            .collect();
        let existed = self
            .tx
            .execute("DELETE FROM customers WHERE id = ANY($1)", &[&keys])
            .map_err(self.db())?;
        self.tx
            .execute("DELETE FROM contacts WHERE customer_id = ANY($1)", &[&keys])
            .map_err(self.db())?;
        self.new_customers += (profiles.len() as u64).saturating_sub(existed);
        let mut records = Vec::with_capacity(profiles.len());
        for c in profiles {
            records.push(self.encode(c)?);
        }
        let sink = self
            .tx
            .copy_in(
                "COPY customers (id, name, kind, segment, owner, created, tags, category_spend, \
                 note, lost_on, lost_reason, record) FROM STDIN (FORMAT binary)",
            )
            .map_err(|e| self.target.error(&e))?;
        let types = [
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::DATE,
            Type::TEXT_ARRAY,
            Type::FLOAT8,
            Type::TEXT,
            Type::DATE,
            Type::TEXT,
            Type::BYTEA,
        ];
        let mut writer = BinaryCopyInWriter::new(sink, &types);
        for ((c, key), record) in profiles.iter().zip(&keys).zip(&records) {
            let lost_on = c.lost.as_ref().map(|l| columns::date(l.date));
            let lost_reason = c.lost.as_ref().map(|l| l.reason.code());
            let row: [&(dyn ToSql + Sync); 12] = [
                key,
                &columns::text(&c.name),
                &c.kind.code(),
                &columns::text(&c.segment),
                &columns::text(&c.owner),
                &columns::date(c.created),
                &columns::texts(&c.tags),
                &c.category_spend,
                &columns::text(&c.note),
                &lost_on,
                &lost_reason,
                record,
            ];
            writer.write(&row).map_err(|e| self.target.error(&e))?;
        }
        writer.finish().map_err(|e| self.target.error(&e))?;

        let sink = self
            .tx
            .copy_in(
                "COPY contacts (customer_id, pos, name, role, phone, email) \
                 FROM STDIN (FORMAT binary)",
            )
            .map_err(|e| self.target.error(&e))?;
        let types = [
            Type::TEXT,
            Type::INT4,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
        ];
        let mut writer = BinaryCopyInWriter::new(sink, &types);
        for (c, key) in profiles.iter().zip(&keys) {
            for (pos, contact) in c.contacts.iter().enumerate() {
                let pos = pos as i32;
                let row: [&(dyn ToSql + Sync); 6] = [
                    key,
                    &pos,
                    &columns::text(&contact.name),
                    &columns::text(&contact.role),
                    &columns::text(&contact.phone),
                    &columns::text(&contact.email),
                ];
                writer.write(&row).map_err(|e| self.target.error(&e))?;
            }
        }
        writer.finish().map_err(|e| self.target.error(&e))?;
        Ok(())
    }

    fn put_users(&mut self, users: &[User]) -> Result<()> {
        for user in users {
            let record = self.encode(user)?;
            self.tx
                .execute(
                    "INSERT INTO users (login, name, role, team, record) \
                     VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (login) DO UPDATE SET name = EXCLUDED.name, \
                     role = EXCLUDED.role, team = EXCLUDED.team, record = EXCLUDED.record",
                    &[
                        &columns::text(&user.login),
                        &columns::text(&user.name),
                        &user.role.code(),
                        &user.team.as_deref().map(columns::text),
                        &record,
                    ],
                )
                .map_err(self.db())?;
        }
        Ok(())
    }

    fn put_cycles(&mut self, cycles: &[Cycle]) -> Result<()> {
        for c in cycles {
            let record = self.encode(c)?;
            self.tx
                .execute(
                    "INSERT INTO cycles (id, title, scope, owner, created, phase, metric, \
                     check_date, record) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                     ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, \
                     scope = EXCLUDED.scope, owner = EXCLUDED.owner, \
                     created = EXCLUDED.created, phase = EXCLUDED.phase, \
                     metric = EXCLUDED.metric, check_date = EXCLUDED.check_date, \
                     record = EXCLUDED.record",
                    &[
                        &columns::id(c.id),
                        &columns::text(&c.title),
                        &columns::scope(&c.scope),
                        &columns::text(&c.owner),
                        &columns::date(c.created),
                        &c.phase.code(),
                        &c.metric.map(|m| m.code()),
                        &c.check_date.map(columns::date),
                        &record,
                    ],
                )
                .map_err(self.db())?;
        }
        Ok(())
    }

    /// Writes each history from the first record that differs from what is stored.
    fn write_histories(&mut self, touched: Vec<Touched>) -> Result<()> {
        let mut interactions = Tail::default();
        let mut orders = Tail::default();
        let mut bonds = Tail::default();
        let mut tasks = Tail::default();
        let mut corrections = Tail::default();
        for t in &touched {
            let old = t.old.as_ref();
            interactions.add(
                &t.key,
                old.map(|h| &h.interactions[..]),
                &t.new.interactions,
            );
            orders.add(&t.key, old.map(|h| &h.orders[..]), &t.new.orders);
            bonds.add(&t.key, old.map(|h| &h.bonds[..]), &t.new.bonds);
            tasks.add(&t.key, old.map(|h| &h.tasks[..]), &t.new.tasks);
            corrections.add(&t.key, old.map(|h| &h.corrections[..]), &t.new.corrections);
        }
        self.write_tail(
            "interactions",
            "at, channel, direction, purpose, outcome, satisfaction, signals, note, \
             follow_up, author",
            &[
                Type::TIMESTAMPTZ,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT,
                Type::INT2,
                Type::TEXT_ARRAY,
                Type::TEXT,
                Type::DATE,
                Type::TEXT,
            ],
            interactions,
            |i: &Interaction, row| {
                let signals: Vec<&str> = i.signals.iter().map(|s| s.code()).collect();
                row(&[
                    &columns::timestamp(i.at),
                    &i.channel.code(),
                    &i.direction.code(),
                    &i.purpose.code(),
                    &i.outcome.code(),
                    &i.satisfaction.map(i16::from),
                    &signals,
                    &columns::text(&i.note),
                    &i.follow_up.map(columns::date),
                    &columns::text(&i.author),
                ])
            },
        )?;
        self.write_tail(
            "orders",
            "date, amount, margin",
            &[Type::DATE, Type::FLOAT8, Type::FLOAT8],
            orders,
            |o: &Order, row| row(&[&columns::date(o.date), &o.amount, &o.margin]),
        )?;
        self.write_tail(
            "bonds",
            "level, kind, since, until, note",
            &[Type::TEXT, Type::TEXT, Type::DATE, Type::DATE, Type::TEXT],
            bonds,
            |b: &Bond, row| {
                row(&[
                    &b.level.code(),
                    &columns::text(&b.kind),
                    &columns::date(b.since),
                    &b.until.map(columns::date),
                    &columns::text(&b.note),
                ])
            },
        )?;
        self.write_tail(
            "tasks",
            "id, due, text, origin, done",
            &[Type::INT8, Type::DATE, Type::TEXT, Type::TEXT, Type::DATE],
            tasks,
            |t: &Task, row| {
                row(&[
                    &columns::id(t.id),
                    &columns::date(t.due),
                    &columns::text(&t.text),
                    &t.origin.code(),
                    &t.done.map(columns::date),
                ])
            },
        )?;
        self.write_tail(
            "corrections",
            "contact_at, author, corrected_by, corrected_on",
            &[Type::TIMESTAMPTZ, Type::TEXT, Type::TEXT, Type::TIMESTAMPTZ],
            corrections,
            |c: &Correction, row| {
                row(&[
                    &columns::timestamp(c.made.previous.at),
                    &columns::text(&c.made.previous.author),
                    &columns::text(&c.made.by),
                    &columns::timestamp(c.made.on),
                ])
            },
        )
    }

    /// Deletes the rows of `table` from each customer's first changed position and copies
    /// the records from there. `row` hands one record's own columns (`fields`, `types`)
    /// to the writer.
    fn write_tail<T: Versioned>(
        &mut self,
        table: &str,
        fields: &str,
        types: &[Type],
        tail: Tail<'_, T>,
        row: impl Fn(&T, &mut dyn FnMut(&[&(dyn ToSql + Sync)]) -> Result<()>) -> Result<()>,
    ) -> Result<()> {
        if !tail.cut_keys.is_empty() {
            self.tx
                .execute(
                    &format!(
                        "DELETE FROM {table} t USING unnest($1::text[], $2::int4[]) AS d(k, p) \
                         WHERE t.customer_id = d.k AND t.pos >= d.p"
                    ),
                    &[&tail.cut_keys, &tail.cut_from],
                )
                .map_err(self.db())?;
        }
        if tail.rows.is_empty() {
            return Ok(());
        }
        let mut records = Vec::with_capacity(tail.rows.len());
        for (_, _, record) in &tail.rows {
            records.push(self.encode(*record)?);
        }
        let target = self.target;
        let sink = self
            .tx
            .copy_in(&format!(
                "COPY {table} (customer_id, pos, {fields}, record) FROM STDIN (FORMAT binary)"
            ))
            .map_err(|e| target.error(&e))?;
        let mut all_types = vec![Type::TEXT, Type::INT4];
        all_types.extend_from_slice(types);
        all_types.push(Type::BYTEA);
        let mut writer = BinaryCopyInWriter::new(sink, &all_types);
        for ((key, pos, value), bytes) in tail.rows.iter().zip(&records) {
            row(value, &mut |own: &[&(dyn ToSql + Sync)]| {
                let mut full: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(own.len() + 3);
                full.push(key);
                full.push(pos);
                full.extend_from_slice(own);
                full.push(bytes);
                writer.write(&full).map_err(|e| target.error(&e))
            })?;
        }
        writer.finish().map_err(|e| target.error(&e))?;
        Ok(())
    }
}

/// For one history table: where each customer's stored rows stop being right, and the
/// records to write from there.
struct Tail<'a, T> {
    cut_keys: Vec<&'a str>,
    cut_from: Vec<i32>,
    rows: Vec<(&'a str, i32, &'a T)>,
}

impl<T> Default for Tail<'_, T> {
    fn default() -> Self {
        Tail {
            cut_keys: Vec::new(),
            cut_from: Vec::new(),
            rows: Vec::new(),
        }
    }
}

impl<'a, T: PartialEq> Tail<'a, T> {
    fn add(&mut self, key: &'a str, old: Option<&[T]>, new: &'a [T]) {
        let same = match old {
            Some(old) => old.iter().zip(new).take_while(|(a, b)| a == b).count(),
            None => 0,
        };
        let stored = old.map_or(usize::MAX, <[T]>::len);
        if stored > same {
            self.cut_keys.push(key);
            self.cut_from.push(same as i32);
        }
        for (pos, record) in new.iter().enumerate().skip(same) {
            self.rows.push((key, pos as i32, record));
        }
    }
}
