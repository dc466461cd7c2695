//! Fuzzy and typo matches of a one-word query (`engine`, pass 3): they are anchored at a
//! word start holding the word's first character, so the posting lists of that character
//! hold every candidate, best placement first. A placement bounds what a fuzzy or typo
//! match can score (the field weight is at most placement / `WEIGHT_STEP`), so the lists
//! are read only until that bound falls below the k-th score, and fields that cannot reach
//! it are never given to the matcher.

use super::engine::{Bits, Pass};
use super::keys::HEAVY as HIGH_WEIGHT;
use super::score::{fallback_score, Word, WEIGHT_STEP};

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
    read(pass, word, matched, &mut done, high);
    if pass.top.floor().is_some_and(|floor| floor >= high) {
        return;
    }
    read(pass, word, matched, &mut done, i64::MIN);
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
}
