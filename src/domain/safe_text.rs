//! Text from the book shown on a terminal: control characters escaped, so no name, note or
//! file can change a window title, clear the screen, write the clipboard or break a line.
//!
//! Every control character (C0, DEL, C1: Unicode's `Cc`) becomes visible text: `\t`, `\n`,
//! `\r` by name, the rest as `\x1b` (below U+0080) or `\u{9b}` (C1). ESC is the start of
//! every escape sequence, and C1's CSI/OSC start them on their own, so once these are
//! escaped the rest of a sequence is harmless printable text. JSON output needs none of
//! this: it is exact, and the JSON encoder escapes what a JSON string cannot hold.

use std::borrow::Cow;
use std::fmt::Write;

/// One field of data (a name, an id, a note): every control character escaped.
pub fn escaped(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| c.is_control())
}

/// Text a command wrote around escaped fields: escaped as `escaped`, except the line
/// breaks and tabs that are its own layout.
pub fn escaped_keeping_layout(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| c.is_control() && c != '\n' && c != '\t')
}

/// One field of a tab-separated line: as `escaped`, and `\` doubled, so the line splits on
/// its tabs into exactly the fields written and each field reads back unambiguously.
pub fn tsv_field(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| c.is_control() || c == '\\')
}

fn escape_where(text: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    let Some(first) = text.find(&escape) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if !escape(c) {
            out.push(c);
            continue;
        }
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_character_is_shown_escaped() {
        // A title change (OSC 0 ... BEL), a screen clear (CSI 2J), a clipboard write
        // (OSC 52), a tab, a newline, a carriage return, DEL and the C1 CSI.
        let name = "A\x1b]0;pwned\x07B\x1b[2J\x1b]52;c;aGk=\x07\tC\nD\rE\x7fF\u{9b}G";
        assert_eq!(
            escaped(name),
            "A\\x1b]0;pwned\\x07B\\x1b[2J\\x1b]52;c;aGk=\\x07\\tC\\nD\\rE\\x7fF\\u{9b}G"
        );
        assert!(!escaped(name).contains(|c: char| c.is_control()));
    }

    #[test]
    fn clean_text_is_borrowed_unchanged() {
        for text in ["Zhang Wei", "王芳", "Müller & Co. \\ backslash", ""] {
            assert!(matches!(escaped(text), Cow::Borrowed(t) if t == text));
        }
    }

    #[test]
    fn layout_keeps_its_line_breaks_and_tabs() {
        assert_eq!(
            escaped_keeping_layout("id\tname\x1b[2J\nnext\x00\u{85}\n"),
            "id\tname\\x1b[2J\nnext\\x00\\u{85}\n"
        );
    }

    #[test]
    fn a_tsv_field_has_no_tab_or_newline_and_doubles_backslashes() {
        assert_eq!(tsv_field("a\tb\nc\\d"), "a\\tb\\nc\\\\d");
        assert_eq!(
            tsv_field("a\\tb"),
            "a\\\\tb",
            "an escaped tab differs from a tab"
        );
        assert_eq!(tsv_field("plain"), "plain");
    }
}
