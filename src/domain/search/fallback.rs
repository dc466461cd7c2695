//! Fuzzy and typo matches of a one-word query (`engine`, pass 3): they are anchored at a
//! word start holding the word's first character, so the posting lists of that character
//! hold every candidate, best placement first. A placement bounds what a fuzzy or typo
//! match can score (the field weight is at most placement / `WEIGHT_STEP`), so the lists
//! are read only until that bound falls below the k-th score, and fields that cannot reach
//! it are never given to the matcher.

use super::engine::{may_match_rest, Bits, Pass};
use super::keys::Kind;
use super::keys::HEAVY as HIGH_WEIGHT;
use super::normalize::pairs_within;
use super::prefix::word_start_lists;
use super::score::{fallback_score, placement, Word, CLASS, EXACT, INFIX, TYPO, WEIGHT_STEP};

/// Scores the records outside `matched` that may match `word` by fuzzy or typo matching.
pub(super) fn one_word(pass: &mut Pass<'_>, word: &Word, matched: &Bits) {
    if word.anchor().is_none() {
        return;
    }
    let index = pass.index;
    let mut done = Bits::new(index.slots());
    // A phone query with punctuation differs from its one word, and a customer whose id
    // equals it gets the id bonus on top of what its placements bound: score those first.
    if pass.query.text != word.text {
        for slot in 0..index.slots() as u32 {
            if !matched.contains(slot)
                && pass.alive(slot)
                && pass.query.id_bonus(index.record(slot as usize)) > 0
            {
                done.insert(slot);
                pass.score(slot);
            }
        }
    }
    // Words match fuzzily or with a typo almost everywhere (e-mail addresses hold most
    // letters), so the matcher would run on most records before the k-th score rises.
    // Fuzzy matches in the heavy fields outscore every other fallback match, and the
    // heavy fields' ordered pairs rule out most records without reading them: find those
    // first, and read the other fields only if they can still enter the top k.
    let high = word.fuzzy_ceiling(HIGH_WEIGHT - 1) + 1;
    if scanning_is_cheaper(pass, word) {
        scan_heavy(pass, word, matched, &mut done, high);
    } else {
        read(pass, word, matched, &mut done, high);
    }
    if pass.top.floor().is_some_and(|floor| floor >= high) {
        return;
    }
    read(pass, word, matched, &mut done, i64::MIN);
}

/// How many records one posting-list entry costs as much as: an entry is decoded and then
/// sends the test to three blocks at a random slot (cache misses), while the bits of a
/// record in a sequential scan are read at memory speed and mostly only its mask at that.
const ENTRY_COST_IN_RECORDS: usize = 16;

/// Whether testing every record's bits in slot order costs less than reading the posting
/// lists of the word's first character.
fn scanning_is_cheaper(pass: &Pass<'_>, word: &Word) -> bool {
    let Some(first) = word.anchor() else {
        return false;
    };
    let entries: usize = pass
        .index
        .postings
        .starting_with(first)
        .map(|list| list.len())
        .sum();
    entries > pass.index.slots() / ENTRY_COST_IN_RECORDS
}

/// The heavy-field pass of `one_word` as a scan of every record's bits in slot order,
/// for a first character so common that its posting lists hold a large part of the book
/// (the lists' order would only let the pass stop early at the light fields, which it
/// never reads). Pushes scores of at least `at_least`, like `read`.
fn scan_heavy(pass: &mut Pass<'_>, word: &Word, matched: &Bits, done: &mut Bits, at_least: i64) {
    let index = pass.index;
    let mut batch: Vec<u32> = Vec::with_capacity(BATCH);
    for s in 0..index.slots() {
        // The heavy test, as `read` applies it while its bound is above the light fields:
        // the mask first, the one block of the three a sequential scan reads whole.
        if !word.may_match_fallback(index.masks[s], &index.anchors[s], Some(&index.order[s])) {
            continue;
        }
        let slot = s as u32;
        if matched.contains(slot) || done.contains(slot) || !index.alive[s] {
            continue;
        }
        batch.push(slot);
        if batch.len() == BATCH {
            score_batch(pass, word, &batch, done, at_least);
            batch.clear();
        }
    }
    score_batch(pass, word, &batch, done, at_least);
}

/// Candidates scored together: their records lie far apart in a big book, and reading
/// one byte of each before scoring any lets the memory fetch them all at once instead of
/// one cache miss after another.
const BATCH: usize = 32;

fn score_batch(pass: &mut Pass<'_>, word: &Word, batch: &[u32], done: &mut Bits, at_least: i64) {
    let index = pass.index;
    let heads = batch.iter().fold(0u8, |acc, &slot| {
        let bytes = index.record_bytes(slot as usize);
        acc ^ bytes.first().copied().unwrap_or(0) ^ bytes.last().copied().unwrap_or(0)
    });
    // The value itself is of no use: it only makes the reads happen.
    std::hint::black_box(heads);
    // The best placement there is (a short name's start) bounds every record's: it lets a
    // typo match, which cannot reach a heavy fuzzy match, be ruled out without a look.
    let best_place = placement(Kind::Name as u8, 0, 0);
    for &slot in batch {
        let need = pass
            .top
            .floor()
            .map_or(at_least, |floor| floor.max(at_least));
        score_slot(pass, word, slot, (need, at_least), best_place, done);
    }
}

/// Scores the record in `slot` (needing `need` to matter) and keeps it when it reaches
/// `at_least`.
fn score_slot(
    pass: &mut Pass<'_>,
    word: &Word,
    slot: u32,
    (need, at_least): (i64, i64),
    place: i64,
    done: &mut Bits,
) {
    let index = pass.index;
    let s = slot as usize;
    let (rec, mask) = (index.record(s), index.masks[s]);
    let bonus = pass.query.id_bonus(rec);
    let scored = fallback_score(
        word,
        rec,
        mask,
        &pass.matcher,
        need.saturating_sub(bonus),
        place,
    );
    if let Some(score) = scored.map(|s| s + bonus) {
        if score >= at_least {
            done.insert(slot);
            pass.push(slot, score);
        }
    }
}

/// One pass over the candidates, best placement first, pushing scores of at least
/// `at_least` (a record that scores less is left for a later pass).
fn read(pass: &mut Pass<'_>, word: &Word, matched: &Bits, done: &mut Bits, at_least: i64) {
    let Some(first) = word.anchor() else {
        return;
    };
    let index = pass.index;
    let lists = index.postings.starting_with(first).map(|list| (list, 0));
    let mut merge = super::postings::Merge::new(lists);
    let mut seen = Bits::new(index.slots());
    while let Some((place, slot)) = merge.pop() {
        let need = pass
            .top
            .floor()
            .map_or(at_least, |floor| floor.max(at_least));
        // A fuzzy match always outscores a typo match, so the fuzzy ceiling bounds both.
        if word.fuzzy_ceiling(place / WEIGHT_STEP) < need {
            break;
        }
        // The first sighting of a slot carries its best placement.
        if !seen.insert(slot) || matched.contains(slot) || done.contains(slot) {
            continue;
        }
        if !pass.alive(slot) {
            continue;
        }
        let s = slot as usize;
        // The record's text is read only when its bits leave a match possible. A score of
        // `need` is beyond any typo match and any fuzzy match outside the heavy fields once
        // it exceeds their ceiling. (Records with the id bonus are matched or done by now.)
        let heavy = (word.fuzzy_ceiling(HIGH_WEIGHT - 1) < need).then(|| &index.order[s]);
        if !word.may_match_fallback(index.masks[s], &index.anchors[s], heavy) {
            continue;
        }
        score_slot(pass, word, slot, (need, at_least), place, done);
    }
}

/// Fuzzy and typo matches of a query of several words (`engine`, pass 3). A record outside
/// `matched` has a word without a substring, which matches only by fuzzy or typo matching
/// and so needs a word start with its first character: the records to read are in those
/// posting lists. Records where some word is a whole word or a word prefix score most and
/// are in the small lists of word starts with its first two characters (`prefix`): they
/// are scored first, and their k-th score then rules out whole lists and most records
/// without reading their text.
pub(super) fn many_words(pass: &mut Pass<'_>, matched: &Bits) {
    let index = pass.index;
    let query = pass.query;
    let n = index.slots();
    let mut done = Bits::new(n);
    // Per word, the most its substring match can score in a record outside its
    // word-start lists: the infix class, when those lists are read here.
    let mut substring_max = Vec::with_capacity(query.words.len());
    for word in &query.words {
        let lists = (word.chars.len() >= 2)
            .then(|| word_start_lists(index, word))
            .flatten();
        let Some(lists) = lists else {
            substring_max.push(EXACT * CLASS + CLASS - 1);
            continue;
        };
        substring_max.push(INFIX * CLASS + CLASS - 1);
        for (list, _) in lists {
            for (_, slot) in list.entries() {
                if done.insert(slot) && may_match_rest(pass, query, matched, slot) {
                    pass.score(slot);
                }
            }
        }
    }
    let best_fallback = |word: &Word| {
        word.fuzzy_ceiling(Kind::Name.weight())
            .max(TYPO * CLASS + CLASS - 1)
    };
    let total_max: i64 = substring_max.iter().sum();
    // A record left needs some word to match by fuzzy or typo matching; that word's lists
    // are read only if such a record can still reach the k-th score.
    let floor = pass.top.floor();
    let mut seen = Bits::new(n);
    for (word, &sub) in query.words.iter().zip(&substring_max) {
        let Some(first) = word.anchor() else {
            continue;
        };
        if floor.is_some_and(|floor| total_max - sub + best_fallback(word) < floor) {
            continue;
        }
        for list in index.postings.starting_with(first) {
            for (_, slot) in list.entries() {
                seen.insert(slot);
            }
        }
    }
    for slot in seen.slots() {
        if done.contains(slot) || !may_match_rest(pass, query, matched, slot) {
            continue;
        }
        // What the record's bits allow, before its text is read (a fuzzy or typo match
        // scores below the infix class, so a possible substring bounds either).
        let s = slot as usize;
        let (mask, pairs) = (index.masks[s], &index.pairs[s]);
        let mut bound = 0;
        for (word, &sub) in query.words.iter().zip(&substring_max) {
            bound += if word.all_present(mask) && pairs_within(&word.pairs, pairs) {
                sub
            } else {
                best_fallback(word)
            };
        }
        if pass.top.floor().is_some_and(|floor| bound < floor) {
            continue;
        }
        let Some(ceiling) = pass.ceiling(slot) else {
            continue;
        };
        if pass.top.floor().is_none_or(|floor| ceiling >= floor) {
            pass.score(slot);
        }
    }
}
