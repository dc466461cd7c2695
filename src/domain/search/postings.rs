//! Posting lists of word starts, each kept sorted by placement (best first) so a short
//! one-word query reads only the heads of the few lists its prefix and length select.
//!
//! Appends go to an unsorted tail that every search reads whole; the tail is merged into
//! the sorted part once it outgrows a few times the square root of it, which keeps both
//! the tail short and a bulk load near-linear.

use std::collections::HashMap;

use super::keys::{PostingKey, WordStart};

/// (placement, slot) pairs.
pub(crate) type Entry = (i32, u32);

#[derive(Debug, Default, Clone)]
pub(crate) struct PostingList {
    /// Best placement first, then lower slot.
    pub(crate) sorted: Vec<Entry>,
    pub(crate) tail: Vec<Entry>,
}

impl PostingList {
    fn push(&mut self, entry: Entry) {
        self.tail.push(entry);
        let room = 64.max(4 * (self.sorted.len() as f64).sqrt() as usize);
        if self.tail.len() > room {
            self.settle();
        }
    }

    /// Moves the tail into the sorted part.
    pub(crate) fn settle(&mut self) {
        if self.tail.is_empty() {
            return;
        }
        let mut tail = std::mem::take(&mut self.tail);
        tail.sort_unstable_by(best_first);
        let old = std::mem::take(&mut self.sorted);
        let mut merged = Vec::with_capacity(old.len() + tail.len());
        let (mut i, mut j) = (0, 0);
        while i < old.len() && j < tail.len() {
            if best_first(&old[i], &tail[j]).is_le() {
                merged.push(old[i]);
                i += 1;
            } else {
                merged.push(tail[j]);
                j += 1;
            }
        }
        merged.extend_from_slice(&old[i..]);
        merged.extend_from_slice(&tail[j..]);
        self.sorted = merged;
    }

    pub(crate) fn len(&self) -> usize {
        self.sorted.len() + self.tail.len()
    }

    /// Every slot in the list, in no particular order.
    pub(crate) fn slots(&self) -> impl Iterator<Item = u32> + '_ {
        self.sorted.iter().chain(&self.tail).map(|&(_, slot)| slot)
    }
}

pub(crate) fn best_first(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then(a.1.cmp(&b.1))
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Postings {
    pub(crate) lists: HashMap<PostingKey, PostingList>,
}

impl Postings {
    pub(crate) fn add(&mut self, slot: u32, starts: &[WordStart]) {
        for start in starts {
            self.lists
                .entry(start.key)
                .or_default()
                .push((start.place, slot));
        }
    }

    pub(crate) fn get(&self, key: PostingKey) -> Option<&PostingList> {
        self.lists.get(&key)
    }

    /// The lists of words starting with `c` (of any length).
    pub(crate) fn starting_with(&self, c: char) -> impl Iterator<Item = &PostingList> {
        [(1, false), (1, true), (2, false)]
            .into_iter()
            .filter_map(move |(len, id)| {
                self.get(PostingKey {
                    a: c,
                    b: '\0',
                    len,
                    id,
                })
            })
    }
}
