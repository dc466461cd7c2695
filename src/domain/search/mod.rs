//! Finding a customer fast: normalised keys of every customer in one contiguous buffer,
//! a per-record character bitmask as a prefilter, posting lists of word-start characters
//! for one- and two-character queries, and a bounded top-k (see `engine`).

mod codec;
mod engine;
mod fallback;
mod keys;
mod normalize;
mod postings;
mod prefix;
mod score;
mod searcher;
pub mod synth;
mod topk;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use crate::domain::model::{Customer, CustomerId};

pub use normalize::{normalize, phone_digits};
pub use searcher::Searcher;

/// One found customer; `score` only orders hits of the same search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Hit {
    pub id: CustomerId,
    pub name: String,
    pub score: i64,
}

/// Every index gets its own number so a `Searcher` notices when it is handed another.
static NEXT_INSTANCE: AtomicU64 = AtomicU64::new(1);

/// The in-memory search index of a book. Slots are append-only; an upsert of a known id
/// retires the old slot, and retired slots are dropped when they outnumber live ones.
#[derive(Debug)]
pub struct SearchIndex {
    /// Records of all slots back to back; slot `i` is `text[starts[i]..starts[i + 1]]`.
    text: String,
    starts: Vec<usize>,
    masks: Vec<u64>,
    pairs: Vec<normalize::Pairs>,
    alive: Vec<bool>,
    ids: Strings,
    names: Strings,
    /// Word starts by their first one or two characters (retired slots included).
    postings: postings::Postings,
    /// Built on the first change, so a process that only searches never pays for it.
    slot_of: Option<HashMap<CustomerId, u32>>,
    live: usize,
    instance: u64,
    generation: u64,
}

/// Many short strings in one buffer.
#[derive(Debug, Default, Clone)]
struct Strings {
    buf: String,
    ends: Vec<usize>,
}

impl Strings {
    fn push(&mut self, s: &str) {
        self.buf.push_str(s);
        self.ends.push(self.buf.len());
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.buf.get(start..self.ends[i]).unwrap_or("")
    }
}

impl Default for SearchIndex {
    fn default() -> Self {
        SearchIndex::new()
    }
}

impl SearchIndex {
    pub fn new() -> SearchIndex {
        SearchIndex {
            text: String::new(),
            starts: vec![0],
            masks: Vec::new(),
            pairs: Vec::new(),
            alive: Vec::new(),
            ids: Strings::default(),
            names: Strings::default(),
            postings: postings::Postings::default(),
            slot_of: Some(HashMap::new()),
            live: 0,
            instance: NEXT_INSTANCE.fetch_add(1, Ordering::Relaxed),
            generation: 0,
        }
    }

    /// The number of customers in the index.
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Adds the customer, or replaces what was indexed under its id.
    pub fn upsert(&mut self, customer: &Customer) {
        self.retire(&customer.id);
        let slot = self.masks.len() as u32;
        self.push_record(&customer.id, &customer.name, &keys::record(customer));
        self.slot_of_mut().insert(customer.id.clone(), slot);
        self.changed();
    }

    /// Drops the customer with this id; unknown ids are ignored.
    pub fn remove(&mut self, id: &str) {
        if self.retire(id) {
            self.slot_of_mut().remove(id);
            self.changed();
        }
    }

    /// The best `limit` customers for `query`, best first; ties by name, then id.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        engine::search(self, &score::Query::parse(query), limit, None, false).hits
    }

    /// The same ranking as `search`, computed by scoring every customer with no
    /// prefilter, posting list or pruning: the reference the fast paths are tested against.
    pub fn search_full_scan(&self, query: &str, limit: usize) -> Vec<Hit> {
        engine::reference(self, &score::Query::parse(query), limit)
    }

    fn push_record(&mut self, id: &str, name: &str, rec: &str) {
        let slot = self.masks.len() as u32;
        self.postings.add(slot, &keys::word_starts(rec));
        self.text.push_str(rec);
        self.starts.push(self.text.len());
        self.masks.push(keys::record_mask(rec));
        self.pairs.push(keys::record_pairs(rec));
        self.alive.push(true);
        self.ids.push(id);
        self.names.push(name);
        self.live += 1;
    }

    fn retire(&mut self, id: &str) -> bool {
        let Some(slot) = self.slot_of_mut().get(id).copied() else {
            return false;
        };
        if let Some(alive) = self.alive.get_mut(slot as usize) {
            if *alive {
                *alive = false;
                self.live -= 1;
            }
        }
        true
    }

    fn slot_of_mut(&mut self) -> &mut HashMap<CustomerId, u32> {
        let map = self.slot_of.get_or_insert_with(HashMap::new);
        if map.is_empty() && self.live > 0 {
            for slot in 0..self.alive.len() {
                if self.alive[slot] {
                    map.insert(self.ids.get(slot).to_string(), slot as u32);
                }
            }
        }
        map
    }

    fn changed(&mut self) {
        self.generation += 1;
        let retired = self.alive.len() - self.live;
        if retired > 1024 && retired > self.live {
            self.compact();
        }
    }

    /// Rebuilds the buffers from the live slots only.
    fn compact(&mut self) {
        let old = std::mem::take(self);
        for slot in 0..old.alive.len() {
            if old.alive[slot] {
                self.push_record(old.ids.get(slot), old.names.get(slot), old.record(slot));
            }
        }
        self.slot_of = None;
        self.instance = old.instance;
        self.generation = old.generation;
    }

    fn slots(&self) -> usize {
        self.masks.len()
    }

    fn record(&self, slot: usize) -> &str {
        self.text
            .get(self.starts[slot]..self.starts[slot + 1])
            .unwrap_or("")
    }

    fn hit(&self, slot: usize, score: i64) -> Hit {
        Hit {
            id: self.ids.get(slot).to_string(),
            name: self.names.get(slot).to_string(),
            score,
        }
    }
}
