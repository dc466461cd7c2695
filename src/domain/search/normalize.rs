//! Text folding shared by keys and queries: both sides go through the same function, so
//! matching can compare bytes (fuzzy-matcher folds ASCII case only).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// NFKC-style folding for search: compatibility forms (full-width, ligatures) become their
/// plain letters, diacritics are dropped, everything is lower-case, and any run of
/// whitespace or control characters becomes one space, trimmed at both ends.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    if s.is_ascii() {
        for b in s.bytes() {
            if b.is_ascii_whitespace() || b.is_ascii_control() {
                space = !out.is_empty();
            } else {
                if space {
                    out.push(' ');
                    space = false;
                }
                out.push(b.to_ascii_lowercase() as char);
            }
        }
        return out;
    }
    for c in s.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() || c.is_control() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        for lower in c.to_lowercase() {
            // Lower-casing can itself produce marks (İ -> i + dot above).
            if !is_combining_mark(lower) {
                push_folded(&mut out, lower);
            }
        }
    }
    if out.is_ascii() {
        out
    } else {
        // Recompose what decomposition split without being a diacritic (Hangul jamo).
        out.nfc().collect()
    }
}

/// Letters that carry their diacritic in the base form, so NFKD alone does not fold them.
fn push_folded(out: &mut String, c: char) {
    let folded = match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ł' => "l",
        'þ' => "th",
        'ı' => "i",
        'ħ' => "h",
        _ => {
            out.push(c);
            return;
        }
    };
    out.push_str(folded);
}

/// The digits of a phone number, which is how phones are compared ("+86 10 5555 0101"
/// and "55550101" share "55550101").
pub fn phone_digits(s: &str) -> String {
    normalize(s).chars().filter(char::is_ascii_digit).collect()
}

/// A query made only of digits and phone punctuation is a phone number: its digits are
/// searched as one word, so "5555 0101" finds "+86 10 5555 0101".
pub(crate) fn as_phone_query(normalized: &str) -> Option<String> {
    let mut digits = String::new();
    for c in normalized.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '+' | '-' | '(' | ')' | '.' | '/' => {}
            _ => return None,
        }
    }
    (!digits.is_empty()).then_some(digits)
}

/// Han, kana and Hangul: scripts written without spaces, where every character starts a
/// word for matching purposes ("华信" is a word start inside "北京华信科技有限公司").
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xAC00..=0xD7AF | 0x20000..=0x2FA1F)
}

/// Whether a word starts at `c` when preceded by `prev`.
pub(crate) fn starts_word(prev: Option<char>, c: char) -> bool {
    match prev {
        None => true,
        Some(p) => !p.is_alphanumeric() || is_cjk(c) || is_cjk(p),
    }
}

/// Whether a word ends after `last` when followed by `next`. A CJK character followed by
/// another does not end a word: a whole-word match in CJK needs a real boundary.
pub(crate) fn ends_word(last: char, next: Option<char>) -> bool {
    match next {
        None => true,
        Some(n) => !n.is_alphanumeric() || is_cjk(n) != is_cjk(last),
    }
}

/// One bit per character class: a-z and 0-9 get their own bit, everything else shares the
/// remaining 28 by hash. A key can only contain a query if the query's bits are a subset.
pub(crate) fn char_bit(c: char) -> u64 {
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
        _ => 1 << (36 + ((c as u32).wrapping_mul(2_654_435_761) >> 16) % 28),
    }
}

/// The bits of every non-space character of `s`.
pub(crate) fn mask_of(s: &str) -> u64 {
    s.chars()
        .filter(|c| *c != ' ' && !c.is_control())
        .fold(0, |m, c| m | char_bit(c))
}

/// 256 bits of hashed adjacent character pairs: a far sharper prefilter for substrings
/// than single characters, since a record holds a word only if it holds all its pairs.
pub(crate) type Pairs = [u64; 4];

/// The pair bits of `s` (pairs around spaces and control characters are left out).
pub(crate) fn pairs_of(s: &str) -> Pairs {
    let mut bits = [0u64; 4];
    let mut prev: Option<char> = None;
    for c in s.chars() {
        if c == ' ' || c.is_control() {
            prev = None;
            continue;
        }
        if let Some(p) = prev {
            let h = (p as u32).wrapping_mul(0x9E37_79B1) ^ (c as u32).wrapping_mul(0x85EB_CA77);
            let bit = (h.wrapping_mul(0xC2B2_AE3D) >> 24) as usize;
            bits[bit / 64] |= 1 << (bit % 64);
        }
        prev = Some(c);
    }
    bits
}

/// The bit (of 256) for a word start holding `anchor` followed, later in the same field,
/// by `later`: by character class (`char_bit`), so a record's bits and a query's agree.
pub(crate) fn anchor_bit(anchor: char, later: char) -> usize {
    let (a, b) = (
        char_bit(anchor).trailing_zeros(),
        char_bit(later).trailing_zeros(),
    );
    ((a << 6 | b).wrapping_mul(0x9E37_79B1) >> 24) as usize
}

/// The bit (of 256) for `before` followed, anywhere later in the same field, by `after`:
/// by character class, like `anchor_bit`.
pub(crate) fn order_bit(before: char, after: char) -> usize {
    let (a, b) = (
        char_bit(before).trailing_zeros(),
        char_bit(after).trailing_zeros(),
    );
    ((a << 6 | b).wrapping_mul(0x85EB_CA77) >> 24) as usize
}

/// Whether every bit of `want` is in `have`.
pub(crate) fn pairs_within(want: &Pairs, have: &Pairs) -> bool {
    want.iter().zip(have).all(|(w, h)| w & !h == 0)
}
