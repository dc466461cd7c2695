//! How well one record matches one query. Every path of the engine (posting lists, full
//! scan, incremental re-scoring, the reference scan) scores through these functions, so
//! they rank identically. The only file that names `fuzzy_matcher`.
//!
//! A query word scores `class * CLASS + refinement`, with `refinement < CLASS`, so a better
//! class always wins for a one-word query: exact word > word prefix > infix > fuzzy
//! subsequence > one typo. A record's score is the sum over the query's words, plus
//! `ID_BONUS` when the query is exactly the customer's id.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use memchr::memmem::Finder;

use super::keys::{fields, is_reading, record_mask, weight_of, Kind};
use super::normalize::{
    anchor_bit, as_phone_query, char_bit, ends_word, is_cjk, mask_of, normalize, order_bit,
    pairs_of, pairs_within, starts_word, Pairs,
};
use super::reading::readings;

pub(crate) const CLASS: i64 = 1000;
pub(crate) const EXACT: i64 = 5;
pub(crate) const PREFIX: i64 = 4;
pub(crate) const INFIX: i64 = 3;
pub(crate) const FUZZY: i64 = 2;
pub(crate) const TYPO: i64 = 1;
pub(crate) const ID_BONUS: i64 = 10_000_000;
/// The most the fuzzy matcher's own score adds.
const FUZZY_MAX: i64 = 700;

/// Words shorter than this never match with a typo: two letters with one wrong match
/// almost everything.
const TYPO_MIN_CHARS: usize = 3;

pub(crate) struct Word {
    pub(crate) text: String,
    pub(crate) chars: Vec<char>,
    pub(crate) mask: u64,
    pub(crate) pairs: Pairs,
    pub(crate) typo: bool,
    /// The anchor pairs (see `keys::record_anchors`) of the first character with each
    /// later one, and whether the first character can anchor a fuzzy or typo match.
    anchor_bits: Pairs,
    anchored: bool,
    /// The ordered pairs (see `keys::record_order`) of each character with the next one.
    next_bits: Pairs,
    finder: Finder<'static>,
}

impl Word {
    fn new(text: &str) -> Word {
        let chars: Vec<char> = text.chars().collect();
        let mut anchor_bits = [0u64; 4];
        if let Some((&first, rest)) = chars.split_first() {
            for &c in rest {
                let bit = anchor_bit(first, c);
                anchor_bits[bit / 64] |= 1 << (bit % 64);
            }
        }
        let mut next_bits = [0u64; 4];
        for w in chars.windows(2) {
            let bit = order_bit(w[0], w[1]);
            next_bits[bit / 64] |= 1 << (bit % 64);
        }
        Word {
            anchor_bits,
            anchored: chars.first().is_some_and(|&c| indexable_start(c)),
            next_bits,
            mask: mask_of(text),
            pairs: pairs_of(text),
            typo: chars.len() >= TYPO_MIN_CHARS,
            finder: Finder::new(text.as_bytes()).into_owned(),
            text: text.to_string(),
            chars,
        }
    }

    pub(crate) fn first(&self) -> Option<char> {
        self.chars.first().copied()
    }

    /// Whether a record with character bits `m` can hold this word at all (with one typo
    /// when typos are allowed): at most one character's bit missing, and the first
    /// character present, since a typo match keeps the first character.
    pub(crate) fn may_match(&self, m: u64) -> bool {
        let missing = self.mask & !m;
        if missing == 0 {
            return true;
        }
        self.typo && missing.count_ones() == 1 && self.first().is_some_and(|c| m & char_bit(c) != 0)
    }

    /// Whether a record with character bits `m` and anchor pairs `anchors` can match the
    /// word fuzzily or with a typo: every later character (all but one, for a typo) must
    /// follow a word start holding the first one in some field.
    /// With `heavy` (the ordered pairs of the heavy fields, `keys::record_order`), only a
    /// fuzzy match in a heavy field counts: each character must be followed by the next
    /// in one of them.
    pub(crate) fn may_match_fallback(
        &self,
        m: u64,
        anchors: &Pairs,
        heavy: Option<&Pairs>,
    ) -> bool {
        if !self.anchored {
            return false;
        }
        // Cheapest and most selective tests first: this runs once per candidate.
        if let Some(order) = heavy {
            return self.all_present(m)
                && pairs_within(&self.next_bits, order)
                && pairs_within(&self.anchor_bits, anchors);
        }
        if !self.may_match(m) {
            return false;
        }
        // Several later characters may share a bit, so a typo (one character left out)
        // leaves at most one bit out.
        let missing: u32 = (0..4)
            .map(|i| (self.anchor_bits[i] & !anchors[i]).count_ones())
            .sum();
        (missing == 0 && self.all_present(m)) || (missing <= 1 && self.typo)
    }

    /// Whether a record with character bits `m`, pair bits `pairs` and anchor pairs
    /// `anchors` can match the word in any class.
    pub(crate) fn may_match_any(&self, m: u64, pairs: &Pairs, anchors: &Pairs) -> bool {
        (self.all_present(m) && pairs_within(&self.pairs, pairs))
            || self.may_match_fallback(m, anchors, None)
    }

    /// Whether the word's bytes occur in `bytes`: what any substring match needs.
    pub(crate) fn occurs_in(&self, bytes: &[u8]) -> bool {
        self.finder.find(bytes).is_some()
    }

    /// Whether every character of the word is present in a record with bits `m`.
    pub(crate) fn all_present(&self, m: u64) -> bool {
        self.mask & !m == 0
    }

    /// The best exact-substring score of the word in the record (classes infix and up).
    pub(crate) fn substring(&self, rec: &str) -> Option<i64> {
        let bytes = rec.as_bytes();
        let (first, last) = (*self.chars.first()?, *self.chars.last()?);
        let mut best = None;
        let mut from = 0;
        // `find` in a loop: `find_iter` costs several times more to set up per record.
        while let Some(found) = bytes.get(from..).and_then(|rest| self.finder.find(rest)) {
            let pos = from + found;
            from = pos + 1;
            // The needle is valid UTF-8 and starts with a lead byte, so `pos` and
            // `end` fall on character boundaries.
            let end = pos + self.text.len();
            let sep = bytes[..pos].iter().rposition(|&b| b < Kind::LIMIT);
            let field_start = sep.map_or(0, |i| i + 1);
            let kind = sep.map_or(0, |i| bytes[i]);
            let field_end = bytes[end..]
                .iter()
                .position(|&b| b < Kind::LIMIT)
                .map_or(bytes.len(), |i| end + i);
            let prev = rec
                .get(field_start..pos)
                .and_then(|s| s.chars().next_back());
            let next = rec.get(end..field_end).and_then(|s| s.chars().next());
            let class = match (starts_word(prev, first), ends_word(last, next)) {
                (true, true) => EXACT,
                (true, false) => PREFIX,
                _ => INFIX,
            };
            let score = class * CLASS + placement(kind, pos - field_start, field_end - field_start);
            best = best.max(Some(score));
        }
        best
    }

    /// The most a fuzzy match of the word in a field of this weight can score: the
    /// matcher gives at most 32 per character (16 for the match, at most 16 of bonus).
    pub(crate) fn fuzzy_ceiling(&self, weight: i64) -> i64 {
        FUZZY * CLASS + (32 * self.chars.len() as i64).min(FUZZY_MAX) + weight * 40
    }

    /// The best fuzzy score of the word within one field: from the field's first word
    /// start holding the word's first character, the word is a subsequence of the rest.
    /// Anchoring at a word start is what lets posting lists find every candidate. Fields
    /// that cannot reach `need` are skipped, so a result below `need` may be missed.
    pub(crate) fn fuzzy(&self, rec: &str, matcher: &Matcher, need: i64) -> Option<i64> {
        self.anchor()?;
        // Cheap rejection first: most records do not hold the word's bytes in order.
        if !is_subsequence(self.text.as_bytes(), rec.as_bytes()) {
            return None;
        }
        let mut best = None;
        for (kind, text) in fields(rec) {
            if self.fuzzy_ceiling(weight_of(kind)) < need
                || !is_subsequence(self.text.as_bytes(), text.as_bytes())
            {
                continue;
            }
            let Some(at) = self.next_anchor(text, 0) else {
                continue;
            };
            let tail = &text[at..];
            if !is_subsequence(self.text.as_bytes(), tail.as_bytes()) {
                continue;
            }
            if let Some(s) = matcher.fuzzy_match(tail, &self.text) {
                let score = FUZZY * CLASS + s.clamp(0, FUZZY_MAX) + weight_of(kind) * 40;
                best = best.max(Some(score));
            }
        }
        best
    }

    /// The byte offset of the first word start at or after `from` that holds the word's
    /// first character.
    fn next_anchor(&self, text: &str, mut from: usize) -> Option<usize> {
        let first = self.first()?;
        let mut buf = [0u8; 4];
        let needle = first.encode_utf8(&mut buf).as_bytes();
        let bytes = text.as_bytes();
        loop {
            let rest = bytes.get(from..)?;
            let found = match needle {
                [b] => memchr::memchr(*b, rest),
                _ => memchr::memmem::find(rest, needle),
            };
            let at = from + found?;
            // A match of a whole encoded character starts on a character boundary.
            if starts_word(text.get(..at)?.chars().next_back(), first) {
                return Some(at);
            }
            from = at + needle.len();
        }
    }

    /// The first character, when fuzzy and typo matches may anchor on it.
    pub(crate) fn anchor(&self) -> Option<char> {
        self.first().filter(|c| indexable_start(*c))
    }

    /// The best score of the word with one wrong, extra or swapped character: from a word
    /// start holding the word's first character, all but one of the remaining characters
    /// appear in order within the next `len + 1` characters of the field. Fields that
    /// cannot reach `need` are skipped.
    pub(crate) fn typo_match(&self, rec: &str, need: i64) -> Option<i64> {
        if !self.typo {
            return None;
        }
        self.anchor()?;
        if !self.nearly_subsequence(rec.as_bytes()) {
            return None;
        }
        let rest = self.chars.get(1..)?;
        let mut best = None;
        for (kind, text) in fields(rec) {
            if TYPO * CLASS + placement(kind, 0, 0) < need {
                continue;
            }
            let mut from = 0;
            while let Some(at) = self.next_anchor(text, from) {
                if within_one_skip(rest, &text[at..]) {
                    let score = TYPO * CLASS + placement(kind, at, text.len());
                    best = best.max(Some(score));
                    break;
                }
                from = at + 1;
            }
        }
        best
    }
}

impl Word {
    /// Whether all but at most one of an ASCII word's bytes appear in order in `hay`: what
    /// any typo match implies, tested without decoding characters. Non-ASCII words pass.
    fn nearly_subsequence(&self, hay: &[u8]) -> bool {
        if !self.text.is_ascii() {
            return true;
        }
        let want = self.text.as_bytes();
        let n = want.len();
        // exact: how much of `want` matched in order; skipped: the same allowing one
        // byte left out (always ahead of `exact` until the end). A byte equal to neither
        // `want[exact]` nor `want[skipped]` changes nothing, so the scan jumps from one
        // such byte to the next (`memchr2`) instead of testing every byte of the record.
        let (mut exact, mut skipped) = (0, 1.min(n));
        let mut rest = hay;
        while skipped < n {
            // Here exact < skipped < n.
            let Some(i) = memchr::memchr2(want[exact], want[skipped], rest) else {
                return false;
            };
            let b = rest[i];
            if b == want[skipped] {
                skipped += 1;
            }
            if b == want[exact] {
                exact += 1;
            }
            skipped = skipped.max((exact + 1).min(n));
            rest = &rest[i + 1..];
        }
        true
    }
}

/// What one step of field weight adds to a placement; the other parts of a placement add
/// less than two steps, and nothing below zero, so a weight is at most placement / step.
pub(crate) const WEIGHT_STEP: i64 = 120;

/// Refinement within a class (< 1000): the field's weight, a match at the very start of
/// the field, an early match, a short field.
pub(crate) fn placement(kind: u8, at: usize, field_len: usize) -> i64 {
    let start = if at == 0 { 100 } else { 0 };
    weight_of(kind) * WEIGHT_STEP
        + start
        + (64 - at.min(64) as i64)
        + (32 - field_len.min(32) as i64)
}

/// Whether `needle` is a subsequence of `hay` byte by byte: implied by a character
/// subsequence, so a cheap necessary test before the real scorer.
fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut rest = hay;
    for &b in needle {
        match memchr::memchr(b, rest) {
            Some(i) => rest = &rest[i + 1..],
            None => return false,
        }
    }
    true
}

/// Whether `want` (the word after its first character) follows in `text` (which starts
/// at the matched first character) with at most one character of `want` left out, within
/// a window one longer than the word, so the match stays as local as the typo.
fn within_one_skip(want: &[char], text: &str) -> bool {
    let n = want.len();
    if n == 0 {
        return true;
    }
    // exact: how much of `want` matched in order; skipped: the same allowing one skip.
    // Greedy is optimal for both: a longer matched prefix never hurts.
    let (mut exact, mut skipped) = (0, 1);
    for c in text.chars().skip(1).take(n + 1) {
        if skipped >= n {
            return true;
        }
        if skipped < n && c == want[skipped] {
            skipped += 1;
        }
        if exact < n && c == want[exact] {
            exact += 1;
        }
        skipped = skipped.max((exact + 1).min(n));
    }
    skipped >= n
}

/// A normalised query: its words (or its digits, for a phone number).
pub(crate) struct Query {
    pub(crate) text: String,
    pub(crate) words: Vec<Word>,
}

impl Query {
    pub(crate) fn parse(raw: &str) -> Query {
        let text = normalize(raw);
        let words = match as_phone_query(&text) {
            Some(digits) => vec![Word::new(&digits)],
            None => text
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(Word::new)
                .collect(),
        };
        Query { text, words }
    }

    /// The bonus for a query that is exactly the customer's id.
    pub(crate) fn id_bonus(&self, rec: &str) -> i64 {
        let id = fields(rec).find(|(k, _)| *k == Kind::Id as u8);
        if id.is_some_and(|(_, text)| text == self.text) {
            ID_BONUS
        } else {
            0
        }
    }

    /// The full score of a record, or `None` when some word does not match at all.
    pub(crate) fn score(&self, rec: &str, mask: u64, matcher: &Matcher) -> Option<i64> {
        let mut total = self.id_bonus(rec);
        for word in &self.words {
            total += word_score(word, rec, mask, matcher)?;
        }
        Some(total)
    }
}

impl Query {
    /// The pinyin reading (spaced: `bei jing hua xin`) a record's match came through, or
    /// `None` when the record matches as well without its readings. `name` is the
    /// customer's name as given; contact names are read from the record itself.
    pub(crate) fn matched_reading(
        &self,
        rec: &str,
        name: &str,
        matcher: &Matcher,
    ) -> Option<String> {
        if !rec.bytes().any(is_reading) {
            return None;
        }
        let mut plain = String::with_capacity(rec.len());
        let mut contacts = Vec::new();
        for (kind, text) in fields(rec).filter(|(kind, _)| !is_reading(*kind)) {
            plain.push(kind as char);
            plain.push_str(text);
            if kind == Kind::Contact as u8 {
                contacts.push((Kind::ContactReading, text));
            }
        }
        let without = self.score(&plain, record_mask(&plain), matcher);
        // (score, spaced form) of each reading that adds to the match, first readings first.
        let mut adding: Vec<(i64, String)> = Vec::new();
        for (kind, text) in std::iter::once((Kind::NameReading, name)).chain(contacts) {
            for r in readings(text) {
                let mut one = plain.clone();
                for form in r.indexed() {
                    one.push(kind as u8 as char);
                    one.push_str(form);
                }
                if let Some(score) = self.score(&one, record_mask(&one), matcher) {
                    if without.is_none_or(|w| score > w) {
                        adding.push((score, r.spaced));
                    }
                }
            }
        }
        // A rarer reading may score a little more only by being shorter or its match
        // sitting earlier (under `READING_SLACK` a word): name the first reading that
        // matches as well as the best otherwise.
        let best = adding.iter().map(|(score, _)| *score).max()?;
        let slack = READING_SLACK * self.words.len() as i64;
        adding
            .into_iter()
            .find(|(score, _)| *score >= best - slack)
            .map(|(_, spaced)| spaced)
    }
}

/// What a reading's length and the position of a match in it add to a word's placement
/// at most (see `placement`), below one step of field weight.
const READING_SLACK: i64 = 96;

/// The characters (indexes into `reading`'s chars) to highlight where `query` matched a
/// reading: the query's letters found in order, preferring syllable starts (so `bjhx`
/// marks the initials). Empty when they are not all there in order (a typo).
pub fn reading_highlight(reading: &str, query: &str) -> Vec<usize> {
    let pattern: String = normalize(query).chars().filter(|c| *c != ' ').collect();
    if pattern.is_empty() {
        return Vec::new();
    }
    matcher()
        .fuzzy_indices(reading, &pattern)
        .map(|(_, indices)| indices)
        .unwrap_or_default()
}

/// The best score of one word in a record, trying cheaper classes first.
pub(crate) fn word_score(w: &Word, rec: &str, mask: u64, matcher: &Matcher) -> Option<i64> {
    if w.all_present(mask) {
        if let Some(s) = w.substring(rec) {
            return Some(s);
        }
    }
    fallback_score(w, rec, mask, matcher, i64::MIN, ANY_PLACE)
}

/// The best fuzzy or typo score of a word in a record without it as a substring, where
/// `place` bounds the placement of the record's word starts with the word's first
/// character; a score below `need` may be missed (reported lower or as no match).
pub(crate) fn fallback_score(
    w: &Word,
    rec: &str,
    mask: u64,
    matcher: &Matcher,
    need: i64,
    place: i64,
) -> Option<i64> {
    if !w.may_match(mask) {
        return None;
    }
    if w.all_present(mask) && w.fuzzy_ceiling(place / WEIGHT_STEP) >= need {
        if let Some(s) = w.fuzzy(rec, matcher, need) {
            return Some(s);
        }
    }
    if TYPO * CLASS + place < need {
        return None;
    }
    w.typo_match(rec, need)
}

/// A `place` for `fallback_score` that bounds nothing.
pub(crate) const ANY_PLACE: i64 = i32::MAX as i64;

/// The best score a word can reach without an exact substring match.
pub(crate) fn fallback_ceiling(w: &Word, mask: u64) -> Option<i64> {
    if w.all_present(mask) {
        Some(FUZZY * CLASS + CLASS - 1)
    } else if w.may_match(mask) {
        Some(TYPO * CLASS + CLASS - 1)
    } else {
        None
    }
}

/// The fuzzy scorer: fuzzy-matcher's skim algorithm, case-sensitive (both sides are
/// normalised first).
///
/// A fresh `SkimMatcherV2` scores each call. fuzzy-matcher 0.3.7 reuses its score matrix
/// between calls without clearing it, so a score depended on what was scored before (a
/// record scored 2314 after another record and 2302 alone, and the fast paths ranked
/// differently from the full scan); its `use_cache(false)` panics ("RefCell already
/// borrowed"). The matrix is small, so allocating it per call costs little.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Matcher;

impl Matcher {
    fn skim() -> SkimMatcherV2 {
        SkimMatcherV2::default().respect_case()
    }

    pub(crate) fn fuzzy_match(&self, choice: &str, pattern: &str) -> Option<i64> {
        Self::skim().fuzzy_match(choice, pattern)
    }

    pub(crate) fn fuzzy_indices(&self, choice: &str, pattern: &str) -> Option<(i64, Vec<usize>)> {
        Self::skim().fuzzy_indices(choice, pattern)
    }
}

pub(crate) fn matcher() -> Matcher {
    Matcher
}

/// Whether the query's first character is a word start in `c`'s posting list sense.
pub(crate) fn indexable_start(c: char) -> bool {
    c.is_alphanumeric() || is_cjk(c)
}

#[cfg(test)]
mod tests {
    use super::super::keys::{record_anchors, record_mask, record_order};
    use super::*;

    /// Whether the bits of a record with these fields (names, or with `heavy` e-mail
    /// addresses) leave a fuzzy or typo match of `word` possible; with `heavy` only a
    /// fuzzy match in a heavy field counts.
    fn possible(word: &str, fields: &[&str], heavy: bool) -> bool {
        let rec: String = fields.iter().map(|f| format!("\u{2}{f}")).collect();
        let (w, order) = (Word::new(word), record_order(&rec));
        w.may_match_fallback(
            record_mask(&rec),
            &record_anchors(&rec),
            heavy.then_some(&order),
        )
    }

    #[test]
    fn nearly_subsequence_allows_one_byte_left_out_in_order() {
        let near = |word: &str, hay: &str| Word::new(word).nearly_subsequence(hay.as_bytes());
        // "jonhson" less its "h" is "jonson", in order in "mary johnson".
        assert!(near("jonhson", "mary johnson"));
        // Whole, or less its last or first byte after the first ("jonso" + "n").
        assert!(near("jonhson", "x jonhson y"));
        assert!(near("jonhson", "jonhso"));
        assert!(near("abc", "ac"));
        // Two bytes left out, or the letters out of order.
        assert!(!near("jonhson", "jonso"));
        assert!(!near("jonhson", "john smith"));
        assert!(!near("abc", "cba"));
        // A repeated byte: "aab" needs two a's before the b, or one skip.
        assert!(near("aab", "ab"));
        assert!(!near("aab", "ba"));
        assert!(!near("aaab", "ab"));
        assert!(near("aaab", "aab"));
        assert!(!near("abc", ""));
    }

    #[test]
    fn bits_rule_out_records_without_the_letters_in_order() {
        // A swapped pair, a wrong and a missing letter are one typo away.
        assert!(possible("jonhson", &["mary johnson"], false));
        assert!(possible("johnsen", &["johnson"], false));
        assert!(possible("jhnson", &["johnson"], false));
        // A subsequence after a word start: a fuzzy match.
        assert!(possible("hx", &["huang@mail.example"], false));
        assert!(possible("jonhson", &["john thompson"], true));
        // The first letter starts no word, or the second is in another field.
        assert!(!possible("hx", &["the box"], false));
        assert!(!possible("hx", &["hernandez", "x"], true));
        // The letters are all there but out of order, for a fuzzy match.
        assert!(!possible("jonhson", &["john smith"], true));
        // Two characters: no typo.
        assert!(!possible("xo", &["ox"], false));
    }

    #[test]
    fn light_fields_have_no_ordered_pairs() {
        let rec = "\u{5}jonhson@mail.example";
        assert_eq!(record_order(rec), [0; 4]);
        let rec = "\u{3}jonhson";
        assert!(pairs_within(
            &Word::new("jonhson").next_bits,
            &record_order(rec)
        ));
    }
}
