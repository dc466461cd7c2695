//! The best k hits seen so far, without sorting everything that matched.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A scored slot with what its tie-break needs.
#[derive(Debug, PartialEq, Eq)]
struct Entry<'a> {
    score: i64,
    name: &'a str,
    id: &'a str,
    slot: u32,
}

/// Orders entries worst first (the heap's top is the entry to drop): lower score, then
/// the later name, then the later id.
impl Ord for Entry<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .score
            .cmp(&self.score)
            .then_with(|| self.name.cmp(other.name))
            .then_with(|| self.id.cmp(other.id))
            .then_with(|| self.slot.cmp(&other.slot))
    }
}

impl PartialOrd for Entry<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

pub(crate) struct TopK<'a> {
    heap: BinaryHeap<Entry<'a>>,
    k: usize,
}

impl<'a> TopK<'a> {
    pub(crate) fn new(k: usize) -> TopK<'a> {
        TopK {
            // A caller may pass any limit ("all"); the heap grows as hits come.
            heap: BinaryHeap::with_capacity(k.min(1024)),
            k,
        }
    }

    /// Whether a hit with this score might enter (ties are decided by name and id).
    pub(crate) fn admits(&self, score: i64) -> bool {
        self.floor().is_none_or(|floor| score >= floor)
    }

    pub(crate) fn push(&mut self, score: i64, name: &'a str, id: &'a str, slot: u32) {
        let entry = Entry {
            score,
            name,
            id,
            slot,
        };
        if self.heap.len() < self.k {
            self.heap.push(entry);
        } else if let Some(mut worst) = self.heap.peek_mut() {
            if entry < *worst {
                *worst = entry;
            }
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.heap.len()
    }

    /// The score a newcomer must at least reach to enter, once the heap is full.
    pub(crate) fn floor(&self) -> Option<i64> {
        if self.heap.len() < self.k {
            None
        } else {
            self.heap.peek().map(|e| e.score)
        }
    }

    /// (slot, score), best first.
    pub(crate) fn into_sorted(self) -> Vec<(u32, i64)> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|e| (e.slot, e.score))
            .collect()
    }
}
