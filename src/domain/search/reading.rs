//! Tone-less pinyin readings of Han text, so a Chinese name is found by what someone
//! without a Chinese input method types: `beijinghuaxin`, `bei jing hua xin`, `bjhx`.
//!
//! A character with several readings (重 zhong/chong, 长 zhang/chang, 行 xing/hang) gives
//! several readings of the text. Their number multiplies with every such character, so it
//! is bounded: each character keeps at most `PER_CHAR` readings (the data lists the common
//! ones first); when every combination fits in `MAX_VARIANTS` all are kept, otherwise the
//! first readings of all characters and every single change of one character.

use pinyin::ToPinyinMulti;

use super::normalize::normalize;

/// The most readings of one character that are kept.
const PER_CHAR: usize = 3;
/// The most readings of one text.
pub(crate) const MAX_VARIANTS: usize = 8;

/// One reading of a text in the three forms people type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// Every syllable a word: `bei jing hua xin`.
    pub spaced: String,
    /// The syllables of each run of text run together: `beijinghuaxin`.
    pub joined: String,
    /// The first letter of each syllable: `bjhx`.
    pub initials: String,
}

impl Reading {
    /// The forms the search index holds. Spaced queries (`bei jing hua xin`) match the
    /// run-together form word by word; the spaced form itself is left out because every
    /// syllable would be a word start, and each word start is a candidate for the fuzzy
    /// and typo passes of every query with that letter (measured: a misspelt two-word
    /// query took 11x as long with it; docs/performance.md).
    pub(crate) fn indexed(&self) -> [&str; 2] {
        [&self.joined, &self.initials]
    }
}

/// A piece of a text: a Han character's readings, or a run of other letters and digits.
enum Token {
    Han(Vec<&'static str>),
    Other(String),
}

/// The readings of `text`, first readings first; empty when it holds no Han character
/// with a known reading.
pub fn readings(text: &str) -> Vec<Reading> {
    let runs = tokens(text);
    let slots: Vec<&Vec<&'static str>> = runs
        .iter()
        .flatten()
        .filter_map(|t| match t {
            Token::Han(options) => Some(options),
            Token::Other(_) => None,
        })
        .collect();
    if slots.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<Reading> = Vec::new();
    for choice in choices(&slots.iter().map(|o| o.len()).collect::<Vec<_>>()) {
        let reading = render(&runs, &choice);
        if !out.contains(&reading) {
            out.push(reading);
        }
    }
    out
}

/// The text as runs (split at spaces and punctuation) of tokens.
fn tokens(text: &str) -> Vec<Vec<Token>> {
    let mut runs: Vec<Vec<Token>> = Vec::new();
    let mut run: Vec<Token> = Vec::new();
    for c in normalize(text).chars() {
        if let Some(multi) = c.to_pinyin_multi() {
            let mut options: Vec<&'static str> = Vec::new();
            for reading in multi {
                let plain = reading.plain();
                if !options.contains(&plain) && options.len() < PER_CHAR {
                    options.push(plain);
                }
            }
            run.push(Token::Han(options));
        } else if c.is_alphanumeric() {
            match run.last_mut() {
                Some(Token::Other(s)) => s.push(c),
                _ => run.push(Token::Other(c.to_string())),
            }
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// Which reading each slot takes, per variant: all combinations when they fit in
/// `MAX_VARIANTS`, else the first readings and then one slot changed at a time.
fn choices(counts: &[usize]) -> Vec<Vec<usize>> {
    let total = counts
        .iter()
        .try_fold(1usize, |acc, &n| acc.checked_mul(n.max(1)))
        .unwrap_or(usize::MAX);
    let base = vec![0; counts.len()];
    if total <= MAX_VARIANTS {
        let mut out = Vec::with_capacity(total);
        let mut cur = base;
        loop {
            out.push(cur.clone());
            // An odometer, last slot fastest.
            let Some(i) = (0..counts.len()).rev().find(|&i| cur[i] + 1 < counts[i]) else {
                return out;
            };
            cur[i] += 1;
            for c in cur.iter_mut().skip(i + 1) {
                *c = 0;
            }
        }
    }
    let mut out = vec![base.clone()];
    for (i, &n) in counts.iter().enumerate() {
        for alt in 1..n {
            if out.len() == MAX_VARIANTS {
                return out;
            }
            let mut one = base.clone();
            one[i] = alt;
            out.push(one);
        }
    }
    out
}

fn render(runs: &[Vec<Token>], choice: &[usize]) -> Reading {
    let (mut spaced, mut joined, mut initials) = (String::new(), String::new(), String::new());
    let mut slot = 0;
    for run in runs {
        if !joined.is_empty() {
            joined.push(' ');
            initials.push(' ');
        }
        for token in run {
            let syllable = match token {
                Token::Han(options) => {
                    let s = typed(options.get(choice[slot]).copied().unwrap_or_default());
                    slot += 1;
                    initials.extend(s.chars().next());
                    s
                }
                Token::Other(s) => {
                    initials.push_str(s);
                    s.clone()
                }
            };
            if !spaced.is_empty() {
                spaced.push(' ');
            }
            spaced.push_str(&syllable);
            joined.push_str(&syllable);
        }
    }
    Reading {
        spaced,
        joined,
        initials,
    }
}

/// A plain reading as typed: `ü` is written `v` (lü -> lv), as pinyin keyboards do, and
/// the few readings with other marks (ê) are folded like any searched text.
fn typed(s: &str) -> String {
    normalize(&s.replace('ü', "v"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spaced(text: &str) -> Vec<String> {
        readings(text).into_iter().map(|r| r.spaced).collect()
    }

    #[test]
    fn three_forms_of_a_company_name() {
        let r = readings("北京华信科技");
        assert_eq!(r[0].spaced, "bei jing hua xin ke ji");
        assert_eq!(r[0].joined, "beijinghuaxinkeji");
        assert_eq!(r[0].initials, "bjhxkj");
        // 信 also reads shen, 技 qi: every combination of the two fits.
        let all: Vec<&str> = r.iter().map(|r| r.joined.as_str()).collect();
        assert_eq!(
            all,
            [
                "beijinghuaxinkeji",
                "beijinghuaxinkeqi",
                "beijinghuashenkeji",
                "beijinghuashenkeqi"
            ]
        );
    }

    #[test]
    fn polyphones_give_each_common_reading() {
        assert_eq!(spaced("重庆"), ["zhong qing", "chong qing", "tong qing"]);
        assert_eq!(
            spaced("长沙"),
            ["zhang sha", "zhang suo", "chang sha", "chang suo"]
        );
        assert!(spaced("银行").contains(&"yin hang".to_string()));
        assert_eq!(spaced("绿")[0], "lv");
    }

    #[test]
    fn runs_and_other_letters_keep_their_place() {
        let r = readings("张伟 (ABC)");
        assert_eq!(r[0].spaced, "zhang wei abc");
        assert_eq!(r[0].joined, "zhangwei abc");
        assert_eq!(r[0].initials, "zw abc");
        assert!(readings("Acme Trading").is_empty());
        assert!(readings("").is_empty());
    }

    #[test]
    fn combinations_are_bounded() {
        // 行 x3, 长 x2, 沙 x2, 行 x3, 长 x2: 72 combinations, far more than fit.
        let r = readings("银行长沙行长");
        assert_eq!(r.len(), MAX_VARIANTS);
        assert_eq!(r[0].joined, "yinxingzhangshaxingzhang");
        assert!(r.iter().any(|r| r.joined == "yinhangzhangshaxingzhang"));
        assert!(r.iter().any(|r| r.joined == "yinxingchangshaxingzhang"));
    }
}
