//! Display-width text helpers: CJK characters take two columns, so every cut, pad and wrap
//! counts columns with unicode-width, never bytes or chars.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::domain::safe_text::{escaped, escaped_keeping_layout};

/// Columns `s` takes on a terminal.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn char_width(c: char) -> usize {
    // Control characters (a stray tab or newline in a note) would otherwise count as 0
    // and break alignment; they are shown as one column by `clean`.
    UnicodeWidthChar::width(c).unwrap_or(1)
}

/// Text from the book made safe to draw on one line: a tab, line break or carriage return
/// becomes a space (so one record cannot break a line's layout) and every other control
/// character is shown escaped, as the command line shows it (`safe_text`), so an escape
/// sequence in a name is visible for what it is rather than silently half-dropped.
pub fn clean(s: &str) -> String {
    spaced_and_escaped(s, false)
}

/// As `clean`, but keeps line breaks (for text that is wrapped, such as notes).
pub fn clean_keep_newlines(s: &str) -> String {
    spaced_and_escaped(s, true)
}

fn spaced_and_escaped(s: &str, keep_newlines: bool) -> String {
    let spaced: String = s
        .chars()
        .map(|c| match c {
            '\n' if keep_newlines => c,
            '\t' | '\n' | '\r' => ' ',
            c => c,
        })
        .collect();
    if keep_newlines {
        escaped_keeping_layout(&spaced).into_owned()
    } else {
        escaped(&spaced).into_owned()
    }
}

/// Fits `s` into `max` columns: unchanged when it fits, otherwise cut and ended with
/// `ellipsis` so a reader always sees that something was left out.
pub fn truncate(s: &str, max: usize, ellipsis: &str) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let room = max.saturating_sub(width(ellipsis));
    if room == 0 {
        // Not even the ellipsis fits whole: show as much of it as there is room for.
        return take_columns(ellipsis, max).0;
    }
    let (mut head, _) = take_columns(s, room);
    head.push_str(ellipsis);
    head
}

/// The longest prefix of `s` that fits in `max` columns, and its width. A double-width
/// character that would straddle the edge is left out whole.
pub fn take_columns(s: &str, max: usize) -> (String, usize) {
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w > max {
            break;
        }
        used += w;
        out.push(c);
    }
    (out, used)
}

/// `s` cut or padded with spaces to exactly `cols` columns.
pub fn fit(s: &str, cols: usize, ellipsis: &str) -> String {
    let mut out = truncate(s, cols, ellipsis);
    let w = width(&out);
    // A double-width character left out at the edge leaves one column to pad.
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

/// `s` right-aligned in `cols` columns (numbers in tables).
pub fn fit_right(s: &str, cols: usize, ellipsis: &str) -> String {
    let cut = truncate(s, cols, ellipsis);
    let pad = cols.saturating_sub(width(&cut));
    let mut out: String = std::iter::repeat_n(' ', pad).collect();
    out.push_str(&cut);
    out
}

/// The words of a paragraph, a number's parts kept together: "100 000", "+86 10 5555
/// 0101", "24 / 200" and "12 %" are one word each, so a line never ends inside a number.
fn words(paragraph: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in paragraph.split(' ') {
        let glue = out.last().is_some_and(|prev| {
            let ends_digit = prev.ends_with(|c: char| c.is_ascii_digit());
            let starts = word.chars().next();
            let number_goes_on =
                word == "/" || starts.is_some_and(|c| c.is_ascii_digit() || c == '%');
            (ends_digit && number_goes_on)
                || (prev.ends_with(" /") && starts.is_some_and(|c| c.is_ascii_digit()))
        });
        match out.last_mut() {
            Some(prev) if glue => {
                prev.push(' ');
                prev.push_str(word);
            }
            _ => out.push(word.to_string()),
        }
    }
    out
}

/// Word-wraps `s` to lines of at most `cols` columns. Words longer than a line are broken
/// by columns (CJK text has no spaces, so this is its normal case). Hard newlines are kept.
pub fn wrap(s: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(1);
    let mut lines = Vec::new();
    for paragraph in s.split('\n') {
        let mut line = Line::default();
        for word in words(paragraph) {
            line.place(&word, true, cols, &mut lines);
        }
        lines.push(line.text);
    }
    lines
}

/// As `wrap`, for a message read as a whole (a status, a question): a word holding
/// double-width text (Chinese, where a line may end between any two characters) fills the
/// rest of the line rather than leaving it short. Runs of narrow characters (a path, a
/// number, `24 / 200`) stay whole, closing punctuation stays with what it closes, and an
/// opening bracket with what it opens.
pub fn wrap_filling(s: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(1);
    let mut lines = Vec::new();
    for paragraph in s.split('\n') {
        let mut line = Line::default();
        for word in words(paragraph) {
            let fits = line.used + usize::from(!line.text.is_empty()) + width(&word) <= cols;
            if fits || !word.chars().any(|c| char_width(c) > 1) {
                line.place(&word, true, cols, &mut lines);
                continue;
            }
            for (i, piece) in pieces(&word).iter().enumerate() {
                line.place(piece, i == 0, cols, &mut lines);
            }
        }
        lines.push(line.text);
    }
    lines
}

/// The line being filled by `wrap`: its text and columns.
#[derive(Default)]
struct Line {
    text: String,
    used: usize,
}

impl Line {
    /// Adds `word` (after a space when `spaced` and the line has text), on the next line
    /// when it does not fit; a word longer than a line is broken by columns.
    fn place(&mut self, word: &str, spaced: bool, cols: usize, lines: &mut Vec<String>) {
        let w = width(word);
        let sep = usize::from(spaced && !self.text.is_empty());
        if self.used + sep + w <= cols {
            if sep == 1 {
                self.text.push(' ');
            }
            self.text.push_str(word);
            self.used += sep + w;
            return;
        }
        if !self.text.is_empty() {
            lines.push(std::mem::take(&mut self.text));
        }
        let mut rest = word;
        while width(rest) > cols {
            let (head, _) = take_columns(rest, cols);
            if head.is_empty() {
                // A double-width character in a one-column line: emit it alone.
                let mut chars = rest.chars();
                let first = chars.next().map(String::from).unwrap_or_default();
                lines.push(first);
                rest = chars.as_str();
                continue;
            }
            rest = &rest[head.len()..];
            lines.push(head);
        }
        self.text.push_str(rest);
        self.used = width(rest);
    }
}

/// The pieces a line may end between, in a word holding double-width text: each wide
/// character alone, each run of narrow ones whole; punctuation kept with its neighbour.
fn pieces(word: &str) -> Vec<String> {
    const CLOSING: &str = "，。、；：！？）」』】》〉”’,.;:!?)]}%";
    const OPENING: &str = "（「『【《〈“‘([{";
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for c in word.chars() {
        let wide = char_width(c) > 1;
        let joins = out.last().is_some_and(|last| {
            let last_wide = last.chars().last().is_some_and(|l| char_width(l) > 1);
            open || CLOSING.contains(c) || (!wide && !last_wide)
        });
        match out.last_mut() {
            Some(last) if joins => last.push(c),
            _ => out.push(c.to_string()),
        }
        open = OPENING.contains(c);
    }
    out
}

/// A money figure with thin grouping, no decimals: 12 345.
pub fn money(value: f64) -> String {
    if !value.is_finite() {
        return "-".to_string();
    }
    let rounded = value.round() as i64;
    let digits = rounded.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    if rounded < 0 {
        out.insert(0, '-');
    }
    out
}

/// A compact figure for narrow columns: 950, 12.3k, 4.5M.
pub fn compact(value: f64) -> String {
    if !value.is_finite() {
        return "-".to_string();
    }
    let abs = value.abs();
    let sign = if value < 0.0 { "-" } else { "" };
    if abs >= 999_500.0 {
        format!("{sign}{:.1}M", abs / 1_000_000.0)
    } else if abs >= 9_999.5 {
        format!("{sign}{:.0}k", abs / 1_000.0)
    } else if abs >= 999.5 {
        format!("{sign}{:.1}k", abs / 1_000.0)
    } else {
        format!("{sign}{abs:.0}")
    }
}

/// A share 0..1 as a whole percentage.
pub fn percent(share: f64) -> String {
    if share.is_finite() {
        format!("{:.0}%", share * 100.0)
    } else {
        "-".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_never_splits_a_number() {
        assert_eq!(
            wrap("of category spend 100 000), below", 22),
            ["of category spend", "100 000), below"]
        );
        assert_eq!(
            wrap("call +86 10 5555 0101 now", 17),
            ["call", "+86 10 5555 0101", "now"]
        );
        assert_eq!(wrap("row 24 / 200 shown", 8), ["row", "24 / 200", "shown"]);
        assert_eq!(wrap("share 12 % ok", 9), ["share", "12 % ok"]);
        assert_eq!(wrap("a b", 1), ["a", "b"]);
    }

    #[test]
    fn wrap_filling_fills_lines_with_chinese_and_keeps_numbers_and_paths_whole() {
        // wrap leaves the first line short: the rest is one word with no space in it.
        let message = "无法保存 /tmp/a.json：设备上没有剩余空间（os error 28）；24 / 200 个";
        assert_eq!(
            wrap(message, 30),
            [
                "无法保存",
                "/tmp/a.json：设备上没有剩余空",
                "间（os error 28）；24 / 200 个"
            ]
        );
        // Filling: line by line as full as it goes; "24 / 200" whole, "）；" after "28".
        assert_eq!(
            wrap_filling(message, 30),
            [
                "无法保存 /tmp/a.json：设备上没",
                "有剩余空间（os error 28）；",
                "24 / 200 个"
            ]
        );
        // Latin text wraps as `wrap` does.
        assert_eq!(
            wrap_filling("row 24 / 200 shown", 8),
            wrap("row 24 / 200 shown", 8)
        );
    }

    #[test]
    fn cjk_counts_two_columns() {
        assert_eq!(width("上海贸易"), 8);
        assert_eq!(width("Acme 上海"), 9);
    }

    #[test]
    fn truncate_marks_the_cut() {
        assert_eq!(truncate("Acme Trading", 8, "…"), "Acme Tr…");
        assert_eq!(truncate("Acme", 8, "…"), "Acme");
        assert_eq!(truncate("Acme Trading", 8, "..."), "Acme ...");
    }

    #[test]
    fn truncate_never_splits_a_wide_character() {
        // 6 columns: "上海" (4) + "…" (1) = 5; the third CJK char would need 2 more.
        assert_eq!(truncate("上海贸易公司", 6, "…"), "上海…");
        assert_eq!(fit("上海贸易公司", 6, "…"), "上海… ");
        assert_eq!(width(&fit("上海贸易公司", 6, "…")), 6);
    }

    #[test]
    fn fit_pads_to_exact_columns() {
        assert_eq!(fit("ab", 4, "…"), "ab  ");
        assert_eq!(fit_right("12", 4, "…"), "  12");
        assert_eq!(fit("上", 3, "…"), "上 ");
    }

    #[test]
    fn truncate_with_no_room() {
        assert_eq!(truncate("abc", 0, "…"), "");
        assert_eq!(truncate("abcdef", 2, "..."), "..");
    }

    #[test]
    fn wrap_breaks_at_words_and_long_runs() {
        assert_eq!(
            wrap("call back on monday", 10),
            vec!["call back", "on monday"]
        );
        assert_eq!(wrap("上海贸易公司", 5), vec!["上海", "贸易", "公司"]);
        assert_eq!(wrap("a\nb", 10), vec!["a", "b"]);
        assert_eq!(wrap("", 10), vec![""]);
    }

    #[test]
    fn figures() {
        assert_eq!(money(1234567.4), "1 234 567");
        assert_eq!(money(-950.0), "-950");
        assert_eq!(compact(950.0), "950");
        assert_eq!(compact(12_345.0), "12k");
        assert_eq!(compact(4_500.0), "4.5k");
        assert_eq!(compact(4_500_000.0), "4.5M");
        assert_eq!(percent(0.456), "46%");
    }

    #[test]
    fn clean_spaces_layout_controls_and_escapes_the_rest() {
        assert_eq!(clean("a\tb\nc\rd"), "a b c d");
        assert_eq!(
            clean("x\x1b]0;t\x07y\u{9b}2J\x7f"),
            "x\\x1b]0;t\\x07y\\u{9b}2J\\x7f"
        );
        assert_eq!(clean_keep_newlines("a\tb\nc\x1b[2J"), "a b\nc\\x1b[2J");
    }
}
