//! Posting lists of word starts, each kept sorted by placement (best first) so a short
//! one-word query reads only the heads of the few lists its prefix and length select.
//!
//! The sorted part is stored encoded (see `encode`): about a quarter of the plain
//! (placement, slot) pairs, which keeps the index small in memory and on disk and lets a
//! saved index load without decoding a single list. Appends go to an unsorted tail that
//! every search reads whole; the tail is merged into the sorted part once it outgrows a
//! few times the square root of it, which keeps both the tail short and a bulk load
//! near-linear.

use std::collections::HashMap;

use super::buf::Buf;
use super::keys::{PostingKey, WordStart};

/// (placement, slot) pairs.
pub(crate) type Entry = (i32, u32);

#[derive(Debug, Default, Clone)]
pub(crate) struct PostingList {
    /// Best placement first, then lower slot, encoded.
    sorted: Buf<u8>,
    sorted_len: usize,
    pub(crate) tail: Vec<Entry>,
}

impl PostingList {
    /// A list whose sorted part is `bytes` as written by `encoded`; the bytes are trusted
    /// only not to make reading panic (a damaged list reads as a shorter one).
    pub(crate) fn from_encoded(bytes: Buf<u8>, len: usize) -> PostingList {
        PostingList {
            sorted: bytes,
            sorted_len: len,
            tail: Vec::new(),
        }
    }

    fn push(&mut self, entry: Entry) {
        self.tail.push(entry);
        let room = 64.max(4 * (self.sorted_len as f64).sqrt() as usize);
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
        let mut old = self.cursor().peekable();
        let mut tail = tail.into_iter().peekable();
        let merged = std::iter::from_fn(|| match (old.peek(), tail.peek()) {
            (Some(a), Some(b)) if best_first(a, b).is_gt() => tail.next(),
            (Some(_), _) => old.next(),
            (None, _) => tail.next(),
        });
        let (bytes, len) = encode(merged);
        self.sorted = Buf::from(bytes);
        self.sorted_len = len;
    }

    pub(crate) fn len(&self) -> usize {
        self.sorted_len + self.tail.len()
    }

    /// The sorted part, best first.
    pub(crate) fn cursor(&self) -> Cursor<'_> {
        Cursor {
            bytes: self.sorted.as_slice(),
            pos: 0,
            place: 0,
            slot: 0,
            left: 0,
        }
    }

    /// Every entry, in no particular order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = Entry> + '_ {
        self.cursor().chain(self.tail.iter().copied())
    }
}

pub(crate) fn best_first(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then(a.1.cmp(&b.1))
}

/// Encodes entries given best first: runs of one placement, each as the placement
/// (zig-zag varint), the run length and the slots (the first as is, then the gaps), all
/// varints. Placements repeat a lot and slots within a run ascend, so most entries take
/// one or two bytes instead of eight.
pub(crate) fn encode(entries: impl Iterator<Item = Entry>) -> (Vec<u8>, usize) {
    let mut out = Vec::new();
    let mut run: Vec<u32> = Vec::new();
    let mut place = 0i32;
    let mut count = 0;
    let flush = |out: &mut Vec<u8>, place: i32, run: &mut Vec<u32>| {
        if run.is_empty() {
            return;
        }
        put_varint(out, u64::from((place << 1 ^ place >> 31) as u32));
        put_varint(out, run.len() as u64);
        let mut prev = 0;
        for &slot in run.iter() {
            put_varint(out, u64::from(slot - prev));
            prev = slot;
        }
        run.clear();
    };
    for (p, slot) in entries {
        if p != place || run.last().is_some_and(|&last| slot <= last) {
            flush(&mut out, place, &mut run);
            place = p;
        }
        run.push(slot);
        count += 1;
    }
    flush(&mut out, place, &mut run);
    out.shrink_to_fit();
    (out, count)
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads the sorted part of a list, best first.
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
    place: i32,
    slot: u32,
    left: u64,
}

impl Cursor<'_> {
    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.pos)?;
            self.pos += 1;
            v |= u64::from(b & 0x7F) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }
}

impl Iterator for Cursor<'_> {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        if self.left == 0 {
            let zigzag = u32::try_from(self.varint()?).ok()?;
            self.place = (zigzag >> 1) as i32 ^ -((zigzag & 1) as i32);
            self.left = self.varint()?;
            self.slot = u32::try_from(self.varint()?).ok()?;
        } else {
            let gap = u32::try_from(self.varint()?).ok()?;
            self.slot = self.slot.checked_add(gap)?;
        }
        self.left = self.left.checked_sub(1)?;
        Some((self.place, self.slot))
    }
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

/// Several lists read together, best bound first, where an entry's bound is its list's
/// base plus its placement. Tails are sorted when the merge starts.
pub(crate) struct Merge<'a> {
    sources: Vec<Source<'a>>,
}

struct Source<'a> {
    base: i64,
    cursor: std::iter::Peekable<Cursor<'a>>,
    tail: std::iter::Peekable<std::vec::IntoIter<Entry>>,
}

impl Source<'_> {
    fn peek(&mut self) -> Option<Entry> {
        match (self.cursor.peek().copied(), self.tail.peek().copied()) {
            (Some(a), Some(b)) => Some(if best_first(&a, &b).is_le() { a } else { b }),
            (a, b) => a.or(b),
        }
    }

    fn advance(&mut self) {
        let from_cursor = match (self.cursor.peek(), self.tail.peek()) {
            (Some(a), Some(b)) => best_first(a, b).is_le(),
            (a, _) => a.is_some(),
        };
        if from_cursor {
            self.cursor.next();
        } else {
            self.tail.next();
        }
    }
}

impl<'a> Merge<'a> {
    pub(crate) fn new(lists: impl IntoIterator<Item = (&'a PostingList, i64)>) -> Merge<'a> {
        let sources = lists
            .into_iter()
            .map(|(list, base)| {
                let mut tail = list.tail.clone();
                tail.sort_unstable_by(best_first);
                Source {
                    base,
                    cursor: list.cursor().peekable(),
                    tail: tail.into_iter().peekable(),
                }
            })
            .collect();
        Merge { sources }
    }

    /// Takes the best remaining (bound, slot).
    pub(crate) fn pop(&mut self) -> Option<(i64, u32)> {
        let (bound, slot, i) = self.best()?;
        self.sources[i].advance();
        Some((bound, slot))
    }

    fn best(&mut self) -> Option<(i64, u32, usize)> {
        let mut best: Option<(i64, u32, usize)> = None;
        for (i, source) in self.sources.iter_mut().enumerate() {
            if let Some((place, slot)) = source.peek() {
                let bound = source.base + i64::from(place);
                if best.is_none_or(|(b, s, _)| {
                    (bound, std::cmp::Reverse(slot)) > (b, std::cmp::Reverse(s))
                }) {
                    best = Some((bound, slot, i));
                }
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips_runs_and_negative_placements() {
        let entries = vec![
            (900, 3),
            (900, 7),
            (900, 300),
            (12, 0),
            (-5, 2),
            (-5, 70_000),
        ];
        let (bytes, len) = encode(entries.iter().copied());
        assert_eq!(len, 6);
        // Three runs of (place, count, first slot, gaps): 900 zig-zags to 1800 (two
        // bytes), the gap 293 takes two and the gap 69 998 three.
        assert_eq!(bytes.len(), (2 + 1 + 1 + 1 + 2) + 3 + (1 + 1 + 1 + 3));
        let list = PostingList::from_encoded(Buf::from(bytes), len);
        assert_eq!(list.cursor().collect::<Vec<_>>(), entries);
    }

    #[test]
    fn settle_merges_the_tail_in_order() {
        let mut list = PostingList::default();
        for (i, place) in [5, 9, 5, 1, 9].into_iter().enumerate() {
            list.tail.push((place, i as u32));
        }
        list.settle();
        assert_eq!(
            list.cursor().collect::<Vec<_>>(),
            [(9, 1), (9, 4), (5, 0), (5, 2), (1, 3)]
        );
        list.tail.push((5, 1));
        list.settle();
        assert_eq!(list.len(), 6);
        assert_eq!(list.cursor().nth(2), Some((5, 0)));
        assert_eq!(list.cursor().nth(3), Some((5, 1)));
    }

    #[test]
    fn damaged_bytes_read_as_a_shorter_list() {
        let list = PostingList::from_encoded(Buf::from(vec![0x80, 0x80]), 3);
        assert_eq!(list.cursor().count(), 0);
        // A run claiming two entries with only one present.
        let list = PostingList::from_encoded(Buf::from(vec![2, 2, 5]), 2);
        assert_eq!(list.cursor().collect::<Vec<_>>(), [(1, 5)]);
    }

    #[test]
    fn merge_reads_best_bound_first_across_lists_and_tails() {
        let (bytes, len) = encode([(10, 1), (4, 2)].into_iter());
        let mut a = PostingList::from_encoded(Buf::from(bytes), len);
        a.tail.push((7, 9));
        let mut b = PostingList::default();
        b.tail.push((1, 3));
        let mut merge = Merge::new([(&a, 0), (&b, 8)]);
        let mut out = Vec::new();
        while let Some(e) = merge.pop() {
            out.push(e);
        }
        assert_eq!(out, [(10, 1), (9, 3), (7, 9), (4, 2)]);
    }
}
