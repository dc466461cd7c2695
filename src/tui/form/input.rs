//! A text field's value and cursor. The cursor is a byte offset that always sits on a
//! char boundary, so CJK and other multi-byte input edit cleanly.

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextInput {
    value: String,
    cursor: usize,
}

impl TextInput {
    /// A field holding `value`, cursor at its end.
    pub fn new(value: &str) -> TextInput {
        TextInput {
            value: value.to_string(),
            cursor: value.len(),
        }
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    /// The cursor as a byte offset into `value()`.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn insert(&mut self, c: char) {
        self.value.insert(self.cursor, c);
        self.cursor += c.len_utf8();
    }

    pub fn backspace(&mut self) -> bool {
        let Some(prev) = self.value[..self.cursor].chars().next_back() else {
            return false;
        };
        self.cursor -= prev.len_utf8();
        self.value.remove(self.cursor);
        true
    }

    pub fn delete(&mut self) -> bool {
        if self.cursor >= self.value.len() {
            return false;
        }
        self.value.remove(self.cursor);
        true
    }

    pub fn left(&mut self) {
        if let Some(prev) = self.value[..self.cursor].chars().next_back() {
            self.cursor -= prev.len_utf8();
        }
    }

    pub fn right(&mut self) {
        if let Some(next) = self.value[self.cursor..].chars().next() {
            self.cursor += next.len_utf8();
        }
    }

    /// Start of the current line (of the whole value for one-line fields).
    pub fn home(&mut self) {
        self.cursor = self.value[..self.cursor].rfind('\n').map_or(0, |i| i + 1);
    }

    pub fn end(&mut self) {
        self.cursor = self.value[self.cursor..]
            .find('\n')
            .map_or(self.value.len(), |i| self.cursor + i);
    }

    pub fn clear(&mut self) {
        self.value.clear();
        self.cursor = 0;
    }

    /// Removes the line the cursor is on (with its line break), leaving the other lines:
    /// in a field of many lines (the contacts, one a line) Ctrl-U takes one, not all.
    pub fn clear_line(&mut self) {
        let start = self.value[..self.cursor].rfind('\n').map_or(0, |i| i + 1);
        let end = self.value[self.cursor..]
            .find('\n')
            .map_or(self.value.len(), |i| self.cursor + i);
        // The line's own break goes with it: the one after it, else (the last line) the
        // one before it.
        let (from, to) = if end < self.value.len() {
            (start, end + 1)
        } else {
            (start.saturating_sub(1), end)
        };
        self.value.replace_range(from..to, "");
        self.cursor = from.min(self.value.len());
        if from > 0 && from == self.value.len() {
            // The last line went: the cursor goes to the start of the line now last.
            self.home();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_multibyte_text() {
        let mut input = TextInput::new("上海");
        input.left();
        input.insert('x');
        assert_eq!(input.value(), "上x海");
        assert!(input.backspace());
        assert!(input.backspace());
        assert_eq!(input.value(), "海");
        assert!(!input.backspace());
        assert!(input.delete());
        assert_eq!(input.value(), "");
        assert!(!input.delete());
    }

    #[test]
    fn clear_line_takes_the_cursors_line_only() {
        let mut input = TextInput::new("Li Wei; buyer\nWang Fang; boss\nZhao Lei; ops");
        // The cursor is at the end: the last line goes, its break with it.
        input.clear_line();
        assert_eq!(input.value(), "Li Wei; buyer\nWang Fang; boss");
        assert_eq!(input.cursor(), "Li Wei; buyer\n".len());
        // A middle (here the first) line goes with the break after it.
        input.home();
        input.left();
        input.clear_line();
        assert_eq!(input.value(), "Wang Fang; boss");
        assert_eq!(input.cursor(), 0);
        // One line left: clearing it empties the field.
        input.clear_line();
        assert_eq!(input.value(), "");
        assert_eq!(input.cursor(), 0);
    }

    #[test]
    fn home_and_end_stay_on_the_line() {
        let mut input = TextInput::new("ab\ncd");
        input.home();
        assert_eq!(input.cursor(), 3);
        input.left();
        input.home();
        assert_eq!(input.cursor(), 0);
        input.end();
        assert_eq!(input.cursor(), 2);
    }
}
