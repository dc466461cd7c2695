//! Finding a customer fast: normalised keys of every customer in one contiguous buffer,
//! per-record bitmasks as prefilters (characters, adjacent character pairs, and anchor
//! and ordered pairs for fuzzy and typo matches), posting lists of word-start characters for one- and
//! two-character queries, and a bounded top-k (see `engine`). A saved index is searched
//! where it lies (`codec`, `buf`).

mod buf;
mod codec;
mod engine;
mod fallback;
mod keys;
mod normalize;
mod postings;
mod prefix;
mod reading;
mod score;
mod searcher;
pub mod synth;
mod topk;
mod why;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use crate::domain::model::{Customer, CustomerId};

use buf::Buf;

pub use buf::SharedBytes;
pub use normalize::{normalize, phone_digits};
pub use reading::{readings, Reading};
pub use score::reading_highlight;
pub use searcher::Searcher;
pub use why::{matched_field, MatchField};

/// One found customer; `score` only orders hits of the same search. `reading` is the
/// pinyin reading of the name or a contact's name the match came through (spaced:
/// `bei jing hua xin`), absent when the customer matches as well without readings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Hit {
    pub id: CustomerId,
    pub name: String,
    pub score: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
}

/// Every index gets its own number so a `Searcher` notices when it is handed another.
static NEXT_INSTANCE: AtomicU64 = AtomicU64::new(1);

/// The in-memory search index of a book. Slots are append-only; an upsert of a known id
/// retires the old slot, and retired slots are dropped when they outnumber live ones.
/// A loaded index reads its big blocks in place from the snapshot's bytes (`from_shared`)
/// and copies a block only when it first changes.
#[derive(Debug)]
pub struct SearchIndex {
    /// Records of all slots back to back; slot `i` ends at `ends[i]` and starts where
    /// slot `i - 1` ends.
    text: Buf<u8>,
    ends: Buf<u64>,
    masks: Buf<u64>,
    pairs: Buf<normalize::Pairs>,
    /// Per slot, its anchor pairs (`keys::record_anchors`).
    anchors: Buf<normalize::Pairs>,
    /// Per slot, its ordered pairs (`keys::record_order`).
    order: Buf<normalize::Pairs>,
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
    buf: Buf<u8>,
    ends: Buf<u64>,
}

impl Strings {
    fn push(&mut self, s: &str) {
        let buf = self.buf.to_mut();
        buf.extend_from_slice(s.as_bytes());
        let end = buf.len() as u64;
        self.ends.to_mut().push(end);
    }

    fn view(&self) -> StrView<'_> {
        StrView {
            buf: self.buf.as_slice(),
            ends: self.ends.as_slice(),
        }
    }
}

/// The strings of a `Strings`, read in place.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StrView<'a> {
    buf: &'a [u8],
    ends: &'a [u64],
}

impl<'a> StrView<'a> {
    /// String `i`, or `""` when its bounds or bytes are damaged.
    pub(crate) fn get(&self, i: usize) -> &'a str {
        span(self.buf, self.ends, i)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }
}

/// Item `i` of a buffer of items back to back whose ends are `ends`.
fn span<'a>(buf: &'a [u8], ends: &[u64], i: usize) -> Option<&'a [u8]> {
    let start = match i.checked_sub(1) {
        Some(prev) => *ends.get(prev)?,
        None => 0,
    };
    let end = *ends.get(i)?;
    buf.get(usize::try_from(start).ok()?..usize::try_from(end).ok()?)
}

/// The index's blocks as plain slices for one search: taken once, so the search's inner
/// loops index slices instead of asking shared bytes for their address again.
#[derive(Clone, Copy)]
pub(crate) struct View<'a> {
    text: &'a [u8],
    ends: &'a [u64],
    pub(crate) masks: &'a [u64],
    pub(crate) pairs: &'a [normalize::Pairs],
    pub(crate) anchors: &'a [normalize::Pairs],
    pub(crate) order: &'a [normalize::Pairs],
    pub(crate) alive: &'a [bool],
    pub(crate) ids: StrView<'a>,
    pub(crate) names: StrView<'a>,
    pub(crate) postings: &'a postings::Postings,
}

impl<'a> View<'a> {
    pub(crate) fn slots(&self) -> usize {
        self.masks.len()
    }

    /// The record of a slot as bytes, unchecked.
    pub(crate) fn record_bytes(&self, slot: usize) -> &'a [u8] {
        span(self.text, self.ends, slot).unwrap_or(&[])
    }

    /// The record of a slot. Records are checked when read rather than when loaded, so
    /// loading touches none of them: damaged bytes read as an empty record.
    pub(crate) fn record(&self, slot: usize) -> &'a str {
        let Some(bytes) = span(self.text, self.ends, slot) else {
            return "";
        };
        // A record is empty or opens with a field separator, so field slicing holds.
        if bytes
            .first()
            .is_some_and(|&b| keys::Kind::from_byte(b).is_none())
        {
            return "";
        }
        std::str::from_utf8(bytes).unwrap_or("")
    }

    pub(crate) fn hit(
        &self,
        slot: usize,
        score: i64,
        query: &score::Query,
        matcher: &score::Matcher,
    ) -> Hit {
        let name = self.names.get(slot);
        Hit {
            id: self.ids.get(slot).to_string(),
            name: name.to_string(),
            score,
            reading: query.matched_reading(self.record(slot), name, matcher),
        }
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
            text: Buf::default(),
            ends: Buf::default(),
            masks: Buf::default(),
            pairs: Buf::default(),
            anchors: Buf::default(),
            order: Buf::default(),
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
        let slot = self.alive.len() as u32;
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

    /// The blocks as slices, all cut to the same number of slots.
    pub(crate) fn view(&self) -> View<'_> {
        let (masks, pairs, anchors, order, ends) = (
            self.masks.as_slice(),
            self.pairs.as_slice(),
            self.anchors.as_slice(),
            self.order.as_slice(),
            self.ends.as_slice(),
        );
        let n = masks
            .len()
            .min(pairs.len())
            .min(anchors.len())
            .min(order.len())
            .min(ends.len())
            .min(self.alive.len());
        View {
            text: self.text.as_slice(),
            ends: &ends[..n],
            masks: &masks[..n],
            pairs: &pairs[..n],
            anchors: &anchors[..n],
            order: &order[..n],
            alive: &self.alive[..n],
            ids: self.ids.view(),
            names: self.names.view(),
            postings: &self.postings,
        }
    }

    fn push_record(&mut self, id: &str, name: &str, rec: &str) {
        let slot = self.alive.len() as u32;
        self.postings.add(slot, &keys::word_starts(rec));
        let text = self.text.to_mut();
        text.extend_from_slice(rec.as_bytes());
        let end = text.len() as u64;
        self.ends.to_mut().push(end);
        self.masks.to_mut().push(keys::record_mask(rec));
        self.pairs.to_mut().push(keys::record_pairs(rec));
        self.anchors.to_mut().push(keys::record_anchors(rec));
        self.order.to_mut().push(keys::record_order(rec));
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
        if self.slot_of.is_none() {
            let ids = self.ids.view();
            let map = (0..self.alive.len())
                .filter(|&slot| self.alive[slot])
                .map(|slot| (ids.get(slot).to_string(), slot as u32))
                .collect();
            self.slot_of = Some(map);
        }
        self.slot_of.get_or_insert_with(HashMap::new)
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
        let view = old.view();
        for slot in 0..view.slots() {
            if view.alive[slot] {
                self.push_record(view.ids.get(slot), view.names.get(slot), view.record(slot));
            }
        }
        self.slot_of = None;
        self.instance = old.instance;
        self.generation = old.generation;
    }
}
