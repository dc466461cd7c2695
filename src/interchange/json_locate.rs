//! Finds the line of a value in JSON text by its path (`customers[3].orders[0].amount`).
//!
//! serde_json reports lines only for syntax and type errors; checks made after parsing
//! (duplicate ids, ranges) know the path of the bad value, and this walks the text once
//! more to turn that path into a line. It runs only when there is an error to report.

use super::import_error::line_at;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// `orders[0].amount` for [Key orders, Index 0, Key amount].
pub(crate) fn render(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Seg::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// The 1-based line where the value at `path` starts (for an object member: its key).
/// `None` when the path is not in the text; never panics, whatever the text.
pub(crate) fn line_of(text: &str, path: &[Seg]) -> Option<usize> {
    let mut scan = Scan {
        b: text.as_bytes(),
        pos: 0,
    };
    let offset = scan.find(path)?;
    Some(line_at(text.as_bytes(), offset))
}

struct Scan<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        self.ws();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Some(())
        } else {
            None
        }
    }

    /// At an opening quote: moves past the closing one and returns the raw contents.
    fn string(&mut self) -> Option<&[u8]> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let start = self.pos + 1;
        let mut i = start;
        while let Some(&c) = self.b.get(i) {
            match c {
                b'\\' => i += 2,
                b'"' => {
                    self.pos = i + 1;
                    return self.b.get(start..i);
                }
                _ => i += 1,
            }
        }
        None
    }

    /// Skips one value of any kind, nesting counted without recursion.
    fn skip_value(&mut self) -> Option<()> {
        self.ws();
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'"' => {
                    self.string()?;
                }
                b'{' | b'[' => {
                    depth += 1;
                    self.pos += 1;
                }
                b'}' | b']' => {
                    if depth == 0 {
                        return Some(());
                    }
                    depth -= 1;
                    self.pos += 1;
                }
                b',' if depth == 0 => return Some(()),
                _ => self.pos += 1,
            }
            if depth == 0 {
                // A scalar ends at a delimiter; a closed container ends here.
                if matches!(
                    self.b.get(self.pos.wrapping_sub(1)),
                    Some(b'}' | b']' | b'"')
                ) {
                    return Some(());
                }
            }
        }
    }

    fn find(&mut self, path: &[Seg]) -> Option<usize> {
        let mut start = 0;
        for seg in path {
            start = match seg {
                Seg::Key(key) => self.member(key)?,
                Seg::Index(index) => self.element(*index)?,
            };
        }
        Some(start)
    }

    /// In an object: leaves the scan at the member's value, returns where its key starts.
    fn member(&mut self, key: &str) -> Option<usize> {
        self.eat(b'{')?;
        loop {
            self.ws();
            let key_start = self.pos;
            let raw = self.string()?;
            let found = raw == key.as_bytes();
            self.eat(b':')?;
            if found {
                self.ws();
                return Some(key_start);
            }
            self.skip_value()?;
            self.eat(b',')?;
        }
    }

    /// In an array: leaves the scan at the element, returns where it starts.
    fn element(&mut self, index: usize) -> Option<usize> {
        self.eat(b'[')?;
        for _ in 0..index {
            self.skip_value()?;
            self.eat(b',')?;
        }
        self.ws();
        if self.peek() == Some(b']') {
            return None;
        }
        Some(self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Seg {
        Seg::Key(k.to_string())
    }

    const TEXT: &str = r#"{
  "format": "crm-book/1",
  "customers": [
    {"id": "a", "note": "x, \"y\" ]}", "orders": [{"amount": 1}, {"amount": 2}]},
    {
      "id": "b",
      "orders": [
        {"amount": 3},
        {
          "amount": -4
        }
      ]
    }
  ]
}"#;

    #[test]
    fn finds_nested_values_past_tricky_strings() {
        assert_eq!(line_of(TEXT, &[key("format")]), Some(2));
        assert_eq!(line_of(TEXT, &[key("customers"), Seg::Index(1)]), Some(5));
        let amount = [
            key("customers"),
            Seg::Index(1),
            key("orders"),
            Seg::Index(1),
            key("amount"),
        ];
        assert_eq!(line_of(TEXT, &amount), Some(10));
        let first = [
            key("customers"),
            Seg::Index(0),
            key("orders"),
            Seg::Index(1),
        ];
        assert_eq!(line_of(TEXT, &first), Some(4));
    }

    #[test]
    fn missing_paths_and_garbage_give_none() {
        assert_eq!(line_of(TEXT, &[key("customers"), Seg::Index(2)]), None);
        assert_eq!(line_of(TEXT, &[key("users")]), None);
        assert_eq!(line_of("{\"a\": [1, 2", &[key("a"), Seg::Index(5)]), None);
        assert_eq!(line_of("\"", &[key("a")]), None);
    }

    #[test]
    fn renders_paths() {
        let path = [key("orders"), Seg::Index(0), key("amount")];
        assert_eq!(render(&path), "orders[0].amount");
    }
}
