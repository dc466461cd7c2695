//! The fast path for one-word queries: the posting lists of word starts sharing the
//! query's first two characters, read best placement first (see `engine`, pass 1).

use super::engine::{Bits, Pass};
use super::keys::{PostingKey, LONG_WORD};
use super::normalize::ends_word;
use super::postings::{Merge, PostingList};
use super::score::{indexable_start, matcher, Query, Word, CLASS, EXACT, ID_BONUS, PREFIX};
use super::topk::TopK;
use super::{Hit, View};

/// The posting lists that hold every word start where `word` matches as a whole word or
/// a word prefix (classes `EXACT` and `PREFIX`), each with what a match in it scores before
/// its placement; `None` when the lists cannot tell (a long word, or one with a word end
/// inside). Records in none of them score at most the infix class for this word.
pub(super) fn word_start_lists<'a>(
    index: View<'a>,
    word: &Word,
) -> Option<Vec<(&'a PostingList, i64)>> {
    let m = word.chars.len();
    let first = word.anchor()?;
    // Inside the query no word may end, or a match could sit in a list of shorter words.
    let one_word = word
        .chars
        .windows(2)
        .all(|w| !ends_word(w[0], Some(w[1])) && indexable_start(w[1]));
    if m >= usize::from(LONG_WORD) || !one_word {
        return None;
    }
    // (list, what a match in it scores before its placement)
    let mut lists: Vec<(&PostingList, i64)> = Vec::new();
    let mut add = |b: char, len: usize, base: i64| {
        for id in [false, true] {
            let key = PostingKey {
                a: first,
                b,
                len: len as u8,
                id,
            };
            if let Some(list) = index.postings.get(key) {
                let bonus = if id && base == EXACT * CLASS {
                    ID_BONUS
                } else {
                    0
                };
                lists.push((list, base + bonus));
            }
        }
    };
    if m == 1 {
        add('\0', 1, EXACT * CLASS);
        add('\0', 2, PREFIX * CLASS);
    } else {
        let second = word.chars[1];
        add(second, m, EXACT * CLASS);
        for len in m + 1..=usize::from(LONG_WORD) {
            add(second, len, PREFIX * CLASS);
        }
    }
    Some(lists)
}

/// The top `limit` hits when they can be read off the posting lists, else `None`.
pub(super) fn by_posting_list(index: View<'_>, query: &Query, limit: usize) -> Option<Vec<Hit>> {
    let [word] = query.words.as_slice() else {
        return None;
    };
    let lists = word_start_lists(index, word)?;
    if lists.iter().map(|(l, _)| l.len()).sum::<usize>() < limit {
        return None;
    }
    let mut pass = Pass {
        index,
        query,
        matcher: matcher(),
        top: TopK::new(limit),
    };
    let mut seen = Bits::new(index.slots());
    // Only substring scores matter here: the answer stands only if k of them reach
    // PREFIX, which no fuzzy or typo match does.
    let mut merge = Merge::new(lists);
    while let Some((bound, slot)) = merge.pop() {
        if pass.top.floor().is_some_and(|floor| bound < floor) {
            break;
        }
        if pass.alive(slot) && seen.insert(slot) {
            pass.score_substrings(slot);
        }
    }
    let enough = pass.top.len() == limit
        && pass
            .top
            .floor()
            .is_some_and(|floor| floor >= PREFIX * CLASS);
    enough.then(|| pass.hits())
}
