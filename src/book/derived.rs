//! The engine's book-level pass for one as-of date: every customer's facts, the book's
//! figures, and (lazily) the list summaries.
//!
//! Each is kept in a snapshot file (`snapshot.facts`, `snapshot.stats`,
//! `snapshot.summaries`) stamped with the journal, never in the index: a read-only command
//! then writes nothing to sled, so every later open of the index is a clean, fast one.
//! A snapshot is current only while the journal is unchanged, and it names its as-of date.

use std::path::Path;

use jiff::civil::Date;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::domain::card::Summary;
use crate::domain::config::Config;
use crate::domain::engine;
use crate::domain::facts::{customer_facts, CustomerFacts};
use crate::domain::model::{Account, Cycle};
use crate::domain::stats::{book_stats, BookStats};
use crate::store::Store;

use super::BookError;

const FACTS: &str = "facts";
const STATS: &str = "stats";
const SUMMARIES: &str = "summaries";

/// Accounts read from the store per parallel step of the summaries pass: enough to keep
/// both threads busy, few enough that memory stays small on a large book.
const SUMMARY_CHUNK: usize = 4096;

pub(super) struct Derived {
    pub as_of: Date,
    pub seq: u64,
    /// One per customer, in id order (the order of `Store::accounts`).
    pub facts: Vec<CustomerFacts>,
    pub stats: BookStats,
    pub summaries: Option<Vec<Summary>>,
    /// Changed in memory since the snapshots were written.
    dirty: bool,
}

#[derive(Serialize, Deserialize)]
struct Dated<T> {
    as_of: Date,
    value: T,
}

fn read_dated<T: DeserializeOwned>(dir: &Path, name: &str, as_of: Date) -> Option<T> {
    let dated: Dated<T> = Store::read_current_snapshot_value(dir, name)?;
    (dated.as_of == as_of).then_some(dated.value)
}

fn write_dated<T: Serialize>(
    store: &Store,
    name: &str,
    as_of: Date,
    value: &T,
) -> Result<(), BookError> {
    store.write_snapshot_value(name, &Dated { as_of, value })?;
    Ok(())
}

impl Derived {
    /// The saved pass when it matches the date and the journal, else a fresh pass (saved).
    pub fn load_or_compute(store: &Store, as_of: Date, config: &Config) -> Result<Self, BookError> {
        let seq = store.seq();
        let dir = store.dir();
        let stats = read_dated::<BookStats>(dir, STATS, as_of);
        let facts = stats
            .as_ref()
            .and_then(|_| read_dated::<Vec<CustomerFacts>>(dir, FACTS, as_of));
        if let (Some(stats), Some(facts)) = (stats, facts) {
            return Ok(Derived {
                as_of,
                seq,
                facts,
                stats,
                summaries: None,
                dirty: false,
            });
        }
        let mut facts = Vec::with_capacity(store.customer_count());
        for account in store.accounts() {
            facts.push(customer_facts(&account?, as_of, config));
        }
        let stats = book_stats(&facts, as_of, config);
        let mut derived = Derived {
            as_of,
            seq,
            facts,
            stats,
            summaries: None,
            dirty: true,
        };
        derived.save(store)?;
        Ok(derived)
    }

    /// Only the book's figures, when saved for this date and the journal as it is: all a
    /// card needs besides the customer's own history, so `crm show` reads one small file.
    pub fn load_stats(store: &Store, as_of: Date) -> Option<BookStats> {
        read_dated(store.dir(), STATS, as_of)
    }

    /// Writes the snapshots if this pass changed since and still matches the journal; it
    /// is derived data, so a lost write only costs a recomputation.
    pub fn save(&mut self, store: &Store) -> Result<(), BookError> {
        if !self.dirty || self.seq != store.seq() {
            return Ok(());
        }
        write_dated(store, STATS, self.as_of, &self.stats)?;
        write_dated(store, FACTS, self.as_of, &self.facts)?;
        if let Some(summaries) = &self.summaries {
            write_dated(store, SUMMARIES, self.as_of, summaries)?;
        }
        self.dirty = false;
        Ok(())
    }

    /// The list lines: from their snapshot, else a pass over every card (saved).
    pub fn ensure_summaries(
        &mut self,
        store: &Store,
        cycles: &[Cycle],
        config: &Config,
    ) -> Result<(), BookError> {
        if self.summaries.is_some() {
            return Ok(());
        }
        if !self.dirty {
            if let Some(saved) = read_dated::<Vec<Summary>>(store.dir(), SUMMARIES, self.as_of) {
                if saved.len() == self.facts.len() {
                    self.summaries = Some(saved);
                    return Ok(());
                }
            }
        }
        let summaries = self.compute_summaries(store, cycles, config)?;
        if !self.dirty && self.seq == store.seq() {
            write_dated(store, SUMMARIES, self.as_of, &summaries)?;
        }
        self.summaries = Some(summaries);
        Ok(())
    }

    /// A full card per customer (~55 µs each), split over two threads.
    fn compute_summaries(
        &self,
        store: &Store,
        cycles: &[Cycle],
        config: &Config,
    ) -> Result<Vec<Summary>, BookError> {
        let mut summaries = Vec::with_capacity(self.facts.len());
        let mut accounts = store.accounts();
        let mut facts = self.facts.iter();
        loop {
            let chunk = accounts
                .by_ref()
                .take(SUMMARY_CHUNK)
                .collect::<Result<Vec<Account>, _>>()?;
            if chunk.is_empty() {
                break;
            }
            let pairs: Vec<(&Account, &CustomerFacts)> = chunk.iter().zip(facts.by_ref()).collect();
            let line = |(account, facts): &(&Account, &CustomerFacts)| {
                let card = engine::card(account, facts, &self.stats, cycles, self.as_of, config);
                engine::summary(&card)
            };
            let (first, second) = pairs.split_at(pairs.len() / 2);
            let (a, b) = std::thread::scope(|scope| {
                let helper = scope.spawn(|| first.iter().map(line).collect::<Vec<_>>());
                let mine = second.iter().map(line).collect::<Vec<_>>();
                (helper.join(), mine)
            });
            match a {
                Ok(a) => summaries.extend(a),
                Err(_) => {
                    return Err(BookError::Invalid(
                        "computing the list lines failed in a worker thread".into(),
                    ))
                }
            }
            summaries.extend(b);
        }
        Ok(summaries)
    }

    /// After a write to one customer: its facts and line are recomputed, the book's
    /// figures are recomputed from all facts (cheap), other lines keep their values.
    pub fn update_customer(
        &mut self,
        account: &Account,
        cycles: &[Cycle],
        config: &Config,
        seq: u64,
    ) {
        let id = &account.customer.id;
        let facts = customer_facts(account, self.as_of, config);
        let position = self.facts.binary_search_by(|f| f.id.as_str().cmp(id));
        match position {
            Ok(i) => self.facts[i] = facts.clone(),
            Err(i) => self.facts.insert(i, facts.clone()),
        }
        self.stats = book_stats(&self.facts, self.as_of, config);
        let card = engine::card(account, &facts, &self.stats, cycles, self.as_of, config);
        let summary = engine::summary(&card);
        if let Some(summaries) = self.summaries.as_mut() {
            match summaries.binary_search_by(|s| s.id.as_str().cmp(id)) {
                Ok(i) => summaries[i] = summary,
                Err(i) => summaries.insert(i, summary),
            }
        }
        self.seq = seq;
        self.dirty = true;
    }

    pub fn remove_customer(&mut self, id: &str, config: &Config, seq: u64) {
        self.facts.retain(|f| f.id != id);
        if let Some(summaries) = self.summaries.as_mut() {
            summaries.retain(|s| s.id != id);
        }
        self.stats = book_stats(&self.facts, self.as_of, config);
        self.seq = seq;
        self.dirty = true;
    }
}
