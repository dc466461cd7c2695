//! The one error every import format returns: a single line that says where the problem is
//! ("FILE:LINE: record R: field 'F': message"), leaving out the parts that are not known.

use std::fmt;

use crate::domain::text::{Text, Worded};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportError {
    pub file: String,
    /// 1-based line in the file.
    pub line: Option<usize>,
    /// A ready-to-print label of the record: `customers[12] 'acme'` in JSON, `'acme'` in
    /// CSV, `card 3 'Wang Fang'` in vCard.
    pub record: Option<String>,
    /// The field within the record (`orders[0].amount`, `email`, `TEL`).
    pub field: Option<String>,
    pub message: String,
    /// The same message as a key and arguments, so a front end can say it in its reader's
    /// language (absent where the words come from outside crm, or from an older peer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Boxed: every `Result<_, BookError>` carries this error's size.
    pub said: Option<Box<Text>>,
}

impl ImportError {
    pub fn new(file: &str, message: impl Into<String>) -> Self {
        ImportError {
            file: file.to_string(),
            line: None,
            record: None,
            field: None,
            message: message.into(),
            said: None,
        }
    }

    /// An error whose message crm words itself, in English and as a message.
    pub fn worded(file: &str, message: Worded) -> Self {
        let mut error = ImportError::new(file, message.english);
        error.said = Some(Box::new(message.said));
        error
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn record(mut self, record: impl Into<String>) -> Self {
        self.record = Some(record.into());
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(record) = &self.record {
            write!(f, ": record {record}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field '{field}'")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ImportError {}

/// The 1-based line of a byte offset in `text` (an offset past the end counts as the end).
pub(crate) fn line_at(text: &[u8], offset: usize) -> usize {
    let end = offset.min(text.len());
    text[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_leaves_out_unknown_parts() {
        let full = ImportError::new("book.json", "must be >= 0")
            .at_line(40)
            .record("customers[12] 'acme'")
            .field("orders[0].amount");
        assert_eq!(
            full.to_string(),
            "book.json:40: record customers[12] 'acme': field 'orders[0].amount': must be >= 0"
        );
        assert_eq!(
            ImportError::new("x.csv", "empty file").to_string(),
            "x.csv: empty file"
        );
        assert_eq!(
            ImportError::new("x.csv", "unknown column")
                .at_line(1)
                .field("fax")
                .to_string(),
            "x.csv:1: field 'fax': unknown column"
        );
    }

    #[test]
    fn line_at_counts_newlines_before_the_offset() {
        assert_eq!(line_at(b"ab\ncd\nef", 0), 1);
        assert_eq!(line_at(b"ab\ncd\nef", 3), 2);
        assert_eq!(line_at(b"ab\ncd\nef", 99), 3);
    }
}
