//! The search passes. Each is exact: it returns the same top k as scoring every record
//! (`reference`), and skips only records that provably cannot enter the top k.
//!
//! 1. A one-word query of under 16 characters reads the posting lists of word starts with
//!    its first two characters and a length of at least its own (exactly its own: the
//!    `EXACT` class), best bound first, stopping when the next bound is below the k-th
//!    score. Records in none of them cannot start a word with the query, so they score
//!    below `PREFIX`: if k records reach it, done.
//! 2. Otherwise every record holding each word as a substring is found by testing two
//!    bitmasks per record (characters, and hashed character pairs) and searching only the
//!    survivors (or only the previous query's substring matches).
//! 3. Fuzzy and typo matches are anchored at a word start with the word's first
//!    character, so their candidates come from posting lists; they are scored only when
//!    their ceiling can still reach the k-th score. A one-word query reads the lists best
//!    placement first and stops early (see `fallback`). Before any text is read, a record's
//!    anchor pairs (`keys::record_anchors`) must hold the word's first character followed
//!    by (all but one of) the others; once only a fuzzy match in a heavy field can enter
//!    the top k, its ordered pairs (`keys::record_order`) must hold each character
//!    followed by the next. That rules out most candidates of a misspelt or short query.
//!    When the first character's lists hold much of the book, that heavy pass tests every
//!    record's bits in slot order instead. A query of several words first scores the
//!    records where some word is a word prefix (`prefix::word_start_lists`); their k-th
//!    score then skips the lists of words that cannot be the misspelt one, and records
//!    whose bits bound them below it (see `fallback::many_words`).

use super::fallback;
use super::keys::record_mask;
use super::normalize::pairs_within;
use super::prefix;
use super::score::{fallback_ceiling, matcher, Matcher, Query, CLASS, EXACT, FUZZY};
use super::topk::TopK;
use super::{Hit, SearchIndex, View};

/// The records that could match a query, split by how: what a query extending it needs.
#[derive(Debug, Default, Clone)]
pub(crate) struct Candidates {
    /// Records where every word occurs as a substring, ascending.
    pub(crate) substr: Vec<u32>,
    /// Other records that may match by fuzzy or typo matching, ascending; `None` when not
    /// listed (the posting lists of each word's first character hold them all).
    pub(crate) rest: Option<Vec<u32>>,
}

pub(crate) struct Outcome {
    pub(crate) hits: Vec<Hit>,
    /// A superset of the records matching the query, when this pass computed one.
    pub(crate) candidates: Option<Candidates>,
}

pub(crate) fn search(
    index: &SearchIndex,
    query: &Query,
    limit: usize,
    within: Option<&Candidates>,
    want_candidates: bool,
) -> Outcome {
    if query.words.is_empty() || limit == 0 {
        return Outcome {
            hits: Vec::new(),
            candidates: None,
        };
    }
    let index = index.view();
    if within.is_none() {
        if let Some(hits) = prefix::by_posting_list(index, query, limit) {
            return Outcome {
                hits,
                candidates: None,
            };
        }
    }
    scan(index, query, limit, within, want_candidates)
}

/// One bit per slot.
pub(super) struct Bits(Vec<u64>);

impl Bits {
    pub(super) fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }

    /// Sets the bit; whether it was clear.
    pub(super) fn insert(&mut self, slot: u32) -> bool {
        let (word, bit) = (slot as usize / 64, 1u64 << (slot % 64));
        match self.0.get_mut(word) {
            Some(w) if *w & bit == 0 => {
                *w |= bit;
                true
            }
            _ => false,
        }
    }

    pub(super) fn contains(&self, slot: u32) -> bool {
        self.0
            .get(slot as usize / 64)
            .is_some_and(|w| w & (1u64 << (slot % 64)) != 0)
    }

    /// The set slots, ascending.
    pub(super) fn slots(&self) -> Vec<u32> {
        let mut out = Vec::new();
        for (i, &w) in self.0.iter().enumerate() {
            let mut w = w;
            while w != 0 {
                out.push((i * 64) as u32 + w.trailing_zeros());
                w &= w - 1;
            }
        }
        out
    }
}

/// One search's state: the query, the fuzzy scorer's scratch space and the top k.
pub(super) struct Pass<'a> {
    pub(super) index: View<'a>,
    pub(super) query: &'a Query,
    pub(super) matcher: Matcher,
    pub(super) top: TopK<'a>,
}

impl<'a> Pass<'a> {
    pub(super) fn push(&mut self, slot: u32, score: i64) {
        if !self.top.admits(score) {
            return;
        }
        let index = self.index;
        let s = slot as usize;
        self.top
            .push(score, index.names.get(s), index.ids.get(s), slot);
    }

    pub(super) fn alive(&self, slot: u32) -> bool {
        self.index
            .alive
            .get(slot as usize)
            .copied()
            .unwrap_or(false)
    }

    /// Scores the record fully; whether it matched.
    pub(super) fn score(&mut self, slot: u32) -> bool {
        let s = slot as usize;
        let scored = self
            .query
            .score(self.index.record(s), self.index.masks[s], &self.matcher);
        if let Some(score) = scored {
            self.push(slot, score);
        }
        scored.is_some()
    }

    /// Scores the record when every word occurs in it as a substring; whether it did.
    pub(super) fn score_substrings(&mut self, slot: u32) -> bool {
        let s = slot as usize;
        // Most records the bitmasks let through hold no word at all: find that out on the
        // raw bytes, before the record is checked as text.
        let raw = self.index.record_bytes(s);
        if !self.query.words.iter().all(|w| w.occurs_in(raw)) {
            return false;
        }
        let (rec, mask) = (self.index.record(s), self.index.masks[s]);
        let mut total = self.query.id_bonus(rec);
        for word in &self.query.words {
            match word
                .all_present(mask)
                .then(|| word.substring(rec))
                .flatten()
            {
                Some(score) => total += score,
                None => return false,
            }
        }
        self.push(slot, total);
        true
    }

    /// The best score the record could reach, or `None` when it cannot match.
    pub(super) fn ceiling(&self, slot: u32) -> Option<i64> {
        let s = slot as usize;
        let (rec, mask) = (self.index.record(s), self.index.masks[s]);
        let mut total = self.query.id_bonus(rec);
        for word in &self.query.words {
            total += match word
                .all_present(mask)
                .then(|| word.substring(rec))
                .flatten()
            {
                Some(score) => score,
                None => fallback_ceiling(word, mask)?,
            };
        }
        Some(total)
    }

    pub(super) fn hits(self) -> Vec<Hit> {
        let (index, query, matcher) = (self.index, self.query, self.matcher);
        self.top
            .into_sorted()
            .into_iter()
            .map(|(slot, score)| index.hit(slot as usize, score, query, &matcher))
            .collect()
    }
}

fn scan(
    index: View<'_>,
    query: &Query,
    limit: usize,
    within: Option<&Candidates>,
    want_candidates: bool,
) -> Outcome {
    let n = index.slots();
    let mut pass = Pass {
        index,
        query,
        matcher: matcher(),
        top: TopK::new(limit),
    };
    let mut matched = Bits::new(n);
    let mut substr = Vec::new();

    match within {
        // Few previous matches: re-check only those.
        Some(c) if c.substr.len() * 8 < n => {
            for &slot in &c.substr {
                if pass.alive(slot) && pass.score_substrings(slot) {
                    matched.insert(slot);
                    substr.push(slot);
                }
            }
        }
        _ => {
            // Every word must be a substring: all its characters and character pairs
            // are in the record, which the two bitmasks test without reading the text.
            let chars = query.words.iter().fold(0, |m, w| m | w.mask);
            let mut pairs = [0u64; 4];
            for word in &query.words {
                for (p, w) in pairs.iter_mut().zip(&word.pairs) {
                    *p |= w;
                }
            }
            for s in 0..n {
                if index.masks[s] & chars != chars
                    || !pairs_within(&pairs, &index.pairs[s])
                    || !index.alive[s]
                {
                    continue;
                }
                let slot = s as u32;
                if pass.score_substrings(slot) {
                    matched.insert(slot);
                    substr.push(slot);
                }
            }
        }
    }

    // A record outside `substr` lacks a substring for at least one word.
    let words = query.words.len() as i64;
    let best_other = (words - 1) * (EXACT * CLASS + CLASS - 1) + FUZZY * CLASS + CLASS - 1;
    let fallback_needed = pass.top.floor().is_none_or(|floor| best_other >= floor);
    let mut rest = None;
    if let [word] = query.words.as_slice() {
        // The next query re-reads the posting lists rather than a list of candidates.
        if fallback_needed {
            fallback::one_word(&mut pass, word, &matched);
        }
    } else if fallback_needed && within.is_none_or(|c| c.rest.is_none()) {
        // Bounded by the words' prefix lists; it lists no candidates, so the next query
        // re-reads the posting lists (`rest` stays `None`).
        fallback::many_words(&mut pass, &matched);
    } else if fallback_needed || want_candidates {
        let mut listed = Vec::new();
        for slot in others(&pass, query, within, &matched) {
            if fallback_needed {
                let reachable = pass.ceiling(slot);
                let Some(ceiling) = reachable else {
                    continue;
                };
                if pass.top.floor().is_none_or(|floor| ceiling >= floor) && !pass.score(slot) {
                    continue;
                }
            }
            listed.push(slot);
        }
        rest = Some(listed);
    }
    let candidates = want_candidates.then_some(Candidates { substr, rest });
    Outcome {
        hits: pass.hits(),
        candidates,
    }
}

/// Live records outside `matched` that may still match through fuzzy or typo matching,
/// ascending.
fn others(pass: &Pass<'_>, query: &Query, within: Option<&Candidates>, matched: &Bits) -> Vec<u32> {
    let index = pass.index;
    let mut seen = Bits::new(index.slots());
    match within.and_then(|c| Some((c.rest.as_ref()?, &c.substr))) {
        Some((rest, substr)) => {
            for &slot in rest.iter().chain(substr) {
                seen.insert(slot);
            }
        }
        None => {
            for word in &query.words {
                let Some(first) = word.anchor() else {
                    continue;
                };
                for list in index.postings.starting_with(first) {
                    for (_, slot) in list.entries() {
                        seen.insert(slot);
                    }
                }
            }
        }
    }
    seen.slots()
        .into_iter()
        .filter(|&slot| may_match_rest(pass, query, matched, slot))
        .collect()
}

/// Whether a live record outside `matched` may match every word in some class.
pub(super) fn may_match_rest(pass: &Pass<'_>, query: &Query, matched: &Bits, slot: u32) -> bool {
    let index = pass.index;
    let s = slot as usize;
    !matched.contains(slot)
        && pass.alive(slot)
        && query
            .words
            .iter()
            .all(|w| w.may_match_any(index.masks[s], &index.pairs[s], &index.anchors[s]))
}

/// Scores every live record with no shortcut at all.
pub(crate) fn reference(index: &SearchIndex, query: &Query, limit: usize) -> Vec<Hit> {
    if query.words.is_empty() {
        return Vec::new();
    }
    let index = index.view();
    let matcher = matcher();
    let mut scored: Vec<(i64, usize)> = (0..index.slots())
        .filter(|&s| index.alive[s])
        .filter_map(|s| {
            let rec = index.record(s);
            query
                .score(rec, record_mask(rec), &matcher)
                .map(|score| (score, s))
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| index.names.get(a.1).cmp(index.names.get(b.1)))
            .then_with(|| index.ids.get(a.1).cmp(index.ids.get(b.1)))
            .then_with(|| a.1.cmp(&b.1))
    });
    scored
        .into_iter()
        .take(limit)
        .map(|(score, s)| index.hit(s, score, query, &matcher))
        .collect()
}
