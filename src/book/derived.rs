//! The engine's book-level pass for one as-of date: every customer's facts, the book's
//! figures, and (lazily) the list summaries. Cached in the store so a whole-process
//! `crm show` reuses it instead of reading every history.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::domain::card::Summary;
use crate::domain::config::Config;
use crate::domain::engine;
use crate::domain::facts::{customer_facts, CustomerFacts};
use crate::domain::model::{Account, Cycle};
use crate::domain::stats::{book_stats, BookStats};
use crate::store::Store;

use super::BookError;

const FACTS: &str = "derived.facts";
const STATS: &str = "derived.stats";

#[derive(Serialize, Deserialize)]
struct Stamp {
    as_of: Date,
    seq: u64,
}

pub(super) struct Derived {
    pub as_of: Date,
    pub seq: u64,
    /// One per customer, in id order (the order of `Store::accounts`).
    pub facts: Vec<CustomerFacts>,
    pub stats: BookStats,
    pub summaries: Option<Vec<Summary>>,
}

impl Derived {
    /// The cached pass when it matches the date and the journal, else a fresh pass.
    pub fn load_or_compute(store: &Store, as_of: Date, config: &Config) -> Result<Self, BookError> {
        let seq = store.seq();
        if let Some(derived) = Self::load(store, as_of, seq) {
            return Ok(derived);
        }
        let mut facts = Vec::with_capacity(store.customer_count());
        for account in store.accounts() {
            facts.push(customer_facts(&account?, as_of, config));
        }
        let stats = book_stats(&facts, as_of, config);
        let derived = Derived {
            as_of,
            seq,
            facts,
            stats,
            summaries: None,
        };
        derived.persist(store)?;
        Ok(derived)
    }

    /// Only the book's figures, when cached for this date and journal: all a card needs
    /// besides the customer's own history, so `crm show` skips loading every customer's facts.
    pub fn load_stats(store: &Store, as_of: Date) -> Option<BookStats> {
        let (stamp, stats): (Stamp, BookStats) = store.cache_get_value(STATS).ok()??;
        (stamp.as_of == as_of && stamp.seq == store.seq()).then_some(stats)
    }

    fn load(store: &Store, as_of: Date, seq: u64) -> Option<Self> {
        let (stamp, stats): (Stamp, BookStats) = store.cache_get_value(STATS).ok()??;
        if stamp.as_of != as_of || stamp.seq != seq {
            return None;
        }
        let (stamp, facts): (Stamp, Vec<CustomerFacts>) = store.cache_get_value(FACTS).ok()??;
        if stamp.as_of != as_of || stamp.seq != seq {
            return None;
        }
        Some(Derived {
            as_of,
            seq,
            facts,
            stats,
            summaries: None,
        })
    }

    /// Saves the pass; it is derived data, so a lost write only costs a recomputation.
    pub fn persist(&self, store: &Store) -> Result<(), BookError> {
        let stamp = || Stamp {
            as_of: self.as_of,
            seq: self.seq,
        };
        store.cache_put_value(FACTS, &(stamp(), &self.facts))?;
        store.cache_put_value(STATS, &(stamp(), &self.stats))?;
        Ok(())
    }

    /// The list lines need each customer's card, so a second pass over the histories.
    pub fn compute_summaries(
        &mut self,
        store: &Store,
        cycles: &[Cycle],
        config: &Config,
    ) -> Result<(), BookError> {
        let mut summaries = Vec::with_capacity(self.facts.len());
        for (account, facts) in store.accounts().zip(self.facts.iter()) {
            let account = account?;
            let card = engine::card(&account, facts, &self.stats, cycles, self.as_of, config);
            summaries.push(engine::summary(&card));
        }
        self.summaries = Some(summaries);
        Ok(())
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
    }

    pub fn remove_customer(&mut self, id: &str, config: &Config, seq: u64) {
        self.facts.retain(|f| f.id != id);
        if let Some(summaries) = self.summaries.as_mut() {
            summaries.retain(|s| s.id != id);
        }
        self.stats = book_stats(&self.facts, self.as_of, config);
        self.seq = seq;
    }
}
