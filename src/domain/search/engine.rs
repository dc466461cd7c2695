//! The search passes. Each is exact: it returns the same top k as scoring every record
//! (`reference`), only skipping records that provably cannot enter the top k.
//!
//! 1. A one-word query of one or two characters first ranks the records in the posting
//!    list of its first character. Records outside that list cannot start a word with the
//!    query, so they score below `PREFIX`; when k records inside reach `PREFIX`, done.
//! 2. Otherwise a scan over the bitmask survivors scores exact substrings (cheap), and
//!    defers records where some word has none.
//! 3. Deferred records get fuzzy and typo scoring only when their ceiling can still beat
//!    the k-th score so far.

use super::score::{fallback_ceiling, indexable_start, matcher, Query, CLASS, PREFIX};
use super::topk::TopK;
use super::{Hit, SearchIndex};

pub(crate) struct Outcome {
    pub(crate) hits: Vec<Hit>,
    /// A superset of the records matching the query, when the pass computed one: a query
    /// that extends this one only needs to look at these.
    pub(crate) candidates: Option<Vec<u32>>,
}

pub(crate) fn search(
    index: &SearchIndex,
    query: &Query,
    limit: usize,
    within: Option<&[u32]>,
) -> Outcome {
    if query.words.is_empty() || limit == 0 {
        return Outcome {
            hits: Vec::new(),
            candidates: None,
        };
    }
    if within.is_none() {
        if let Some(hits) = by_posting_list(index, query, limit) {
            return Outcome {
                hits,
                candidates: None,
            };
        }
    }
    scan(index, query, limit, within)
}

fn by_posting_list(index: &SearchIndex, query: &Query, limit: usize) -> Option<Vec<Hit>> {
    let [word] = query.words.as_slice() else {
        return None;
    };
    let first = word.first()?;
    if word.chars.len() > 2 || !indexable_start(first) {
        return None;
    }
    let list = index.postings.get(&first)?;
    if list.len() < limit {
        return None;
    }
    let matcher = matcher();
    let mut top = TopK::new(limit);
    for &slot in list {
        let s = slot as usize;
        if !index.alive.get(s).copied().unwrap_or(false) {
            continue;
        }
        let Some(score) = query.score(index.record(s), index.masks[s], &matcher) else {
            continue;
        };
        if score >= PREFIX * CLASS {
            top.push(score, index.names.get(s), index.ids.get(s), slot);
        }
    }
    (top.len() == limit).then(|| hits(index, top))
}

fn scan(index: &SearchIndex, query: &Query, limit: usize, within: Option<&[u32]>) -> Outcome {
    let all;
    let slots: &[u32] = match within {
        Some(slots) => slots,
        None => {
            all = (0..index.slots() as u32).collect::<Vec<u32>>();
            &all
        }
    };
    let mut top = TopK::new(limit);
    let mut candidates = Vec::new();
    let mut deferred = Vec::new();
    for &slot in slots {
        let s = slot as usize;
        if !index.alive.get(s).copied().unwrap_or(false) || !query.may_match(index.masks[s]) {
            continue;
        }
        candidates.push(slot);
        let rec = index.record(s);
        let mut total = query.id_bonus(rec);
        let mut complete = true;
        for word in &query.words {
            match word.all_present(index.masks[s]).then(|| word.substring(rec)).flatten() {
                Some(score) => total += score,
                None => {
                    complete = false;
                    break;
                }
            }
        }
        if complete {
            top.push(total, index.names.get(s), index.ids.get(s), slot);
        } else {
            deferred.push(slot);
        }
    }
    let matcher = matcher();
    let mut rejected = Vec::new();
    for &slot in &deferred {
        let s = slot as usize;
        let (rec, mask) = (index.record(s), index.masks[s]);
        let mut ceiling = query.id_bonus(rec);
        for word in &query.words {
            let best = match word.all_present(mask).then(|| word.substring(rec)).flatten() {
                Some(score) => Some(score),
                None => fallback_ceiling(word, mask),
            };
            match best {
                Some(score) => ceiling += score,
                None => {
                    ceiling = i64::MIN;
                    break;
                }
            }
        }
        if ceiling == i64::MIN {
            rejected.push(slot);
            continue;
        }
        if top.floor().is_some_and(|floor| ceiling < floor) {
            continue;
        }
        match query.score(rec, mask, &matcher) {
            Some(score) => top.push(score, index.names.get(s), index.ids.get(s), slot),
            None => rejected.push(slot),
        }
    }
    if !rejected.is_empty() {
        // Both lists are in slot order, so one merge pass drops the rejected.
        let mut gone = rejected.iter().peekable();
        candidates.retain(|slot| {
            if gone.peek() == Some(&slot) {
                gone.next();
                false
            } else {
                true
            }
        });
    }
    Outcome {
        hits: hits(index, top),
        candidates: Some(candidates),
    }
}

/// Scores every live record with no shortcut at all.
pub(crate) fn reference(index: &SearchIndex, query: &Query, limit: usize) -> Vec<Hit> {
    if query.words.is_empty() {
        return Vec::new();
    }
    let matcher = matcher();
    let mut scored: Vec<(i64, usize)> = (0..index.slots())
        .filter(|&s| index.alive[s])
        .filter_map(|s| {
            query
                .score(index.record(s), index.masks[s], &matcher)
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
        .map(|(score, s)| index.hit(s, score))
        .collect()
}

fn hits(index: &SearchIndex, top: TopK<'_>) -> Vec<Hit> {
    top.into_sorted()
        .into_iter()
        .map(|(slot, score)| index.hit(slot as usize, score))
        .collect()
}
