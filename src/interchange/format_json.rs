//! The "crm-book/1" JSON book (CONTRACT.md): reading with errors that name the line, the
//! record and the field; writing that `parse_json` reads back to equal data.

use serde_json::Value;

use super::import_error::ImportError;
use super::json_locate::{line_of, render, Seg};
use std::cell::RefCell;

use super::json_model::{BookJson, BookOut, CustomersOut, StreamedOut};
use super::json_validate::{into_book, Invalid};
use crate::domain::model::{Account, BookData, Cycle, User};
use crate::domain::text::{Text, Worded};

/// Reads a whole book. `file` names the source in errors. A leading BOM is ignored.
pub fn parse_json(file: &str, text: &str) -> Result<BookData, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut de = serde_json::Deserializer::from_str(text);
    let json: BookJson =
        serde_path_to_error::deserialize(&mut de).map_err(|e| serde_error(file, text, e))?;
    de.end().map_err(|e| {
        let (line, message) = split_position(&e);
        located(file, line, message)
    })?;
    into_book(json).map_err(|invalid| invalid_error(file, text, invalid))
}

/// The book as pretty JSON, every field written, ending with a newline.
pub fn to_json(data: &BookData) -> String {
    let out = BookOut::new(&data.users, CustomersOut(&data.accounts), &data.cycles);
    // Plain strings, numbers and dates cannot fail to serialise (non-finite numbers would
    // become null, and the import checks refuse them before they reach a book).
    let mut text = serde_json::to_string_pretty(&out).expect("serialising plain data");
    text.push('\n');
    text
}

/// What stopped a streamed export: reading the book, or writing the output.
#[derive(Debug)]
pub enum Streamed<E> {
    Read(E),
    Write(std::io::Error),
}

/// `to_json`'s text written to `out` as the accounts are read, one at a time: a large
/// book is never whole in memory, nor is its text.
pub fn write_json<E>(
    out: &mut dyn std::io::Write,
    users: &[User],
    accounts: impl Iterator<Item = Result<Account, E>>,
    cycles: &[Cycle],
) -> Result<(), Streamed<E>> {
    let customers = StreamedOut {
        accounts: RefCell::new(Some(accounts)),
        failed: RefCell::new(None),
    };
    let book = BookOut::new(users, customers, cycles);
    let written = serde_json::to_writer_pretty(&mut *out, &book);
    if let Some(error) = book.customers.failed.into_inner() {
        return Err(Streamed::Read(error));
    }
    written
        .map_err(std::io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .map_err(Streamed::Write)
}

fn located(file: &str, line: Option<usize>, message: String) -> ImportError {
    let mut error = ImportError::new(file, message);
    error.line = line;
    error
}

/// serde_json's message without its " at line L column C" tail, and the line.
fn split_position(e: &serde_json::Error) -> (Option<usize>, String) {
    let text = e.to_string();
    if e.line() == 0 {
        return (None, text);
    }
    let tail = format!(" at line {} column {}", e.line(), e.column());
    let message = text.strip_suffix(&tail).unwrap_or(&text).to_string();
    (Some(e.line()), message)
}

fn serde_error(
    file: &str,
    text: &str,
    e: serde_path_to_error::Error<serde_json::Error>,
) -> ImportError {
    let path: Vec<Seg> = e
        .path()
        .iter()
        .filter_map(|segment| match segment {
            serde_path_to_error::Segment::Seq { index } => Some(Seg::Index(*index)),
            serde_path_to_error::Segment::Map { key } => Some(Seg::Key(key.clone())),
            serde_path_to_error::Segment::Enum { variant } => Some(Seg::Key(variant.clone())),
            serde_path_to_error::Segment::Unknown => None,
        })
        .collect();
    let (line, message) = split_position(e.inner());
    let mut error = located(file, line, message.clone());
    let (record, mut rest) = match path.as_slice() {
        [Seg::Key(list), Seg::Index(i), rest @ ..] if is_record_list(list) => {
            (Some(record_label(text, list, *i)), rest.to_vec())
        }
        _ => (None, path.clone()),
    };
    // A missing field is reported at its object; name the field itself.
    if let Some(name) = quoted_name(&message, "missing field `") {
        rest.push(Seg::Key(name));
    }
    error.record = record;
    if !rest.is_empty() {
        error.field = Some(render(&rest));
    }
    error
}

fn is_record_list(list: &str) -> bool {
    matches!(list, "users" | "customers" | "pdca")
}

/// `customers[3] 'acme'`, reading the id from the text when it can be read.
fn record_label(text: &str, list: &str, index: usize) -> String {
    let id_field = if list == "users" { "login" } else { "id" };
    let id = serde_json::from_str::<Value>(text).ok().and_then(|v| {
        match v.get(list)?.get(index)?.get(id_field)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    });
    match id {
        Some(id) if !id.is_empty() => format!("{list}[{index}] '{id}'"),
        _ => format!("{list}[{index}]"),
    }
}

/// The name in "missing field `name`".
fn quoted_name(message: &str, prefix: &str) -> Option<String> {
    let rest = message.strip_prefix(prefix)?;
    Some(rest.split('`').next()?.to_string())
}

fn invalid_error(file: &str, text: &str, invalid: Invalid) -> ImportError {
    let mut message = *invalid.message;
    if let Some((label, path)) = invalid.other.as_deref() {
        message = match line_of(text, path) {
            Some(line) => Worded::new(
                format!("{} (first at {label}, line {line})", message.english),
                Text::new("imp-json-first-at-line")
                    .part("message", message.said)
                    .arg("label", label)
                    .arg("line", line),
            ),
            None => Worded::new(
                format!("{} (first at {label})", message.english),
                Text::new("imp-json-first-at")
                    .part("message", message.said)
                    .arg("label", label),
            ),
        };
    }
    let mut error = ImportError::worded(file, message);
    if let Some(line) = line_of(text, &invalid.path) {
        error = error.at_line(line);
    }
    error.record = invalid.record;
    error.field = invalid.field;
    error
}

#[cfg(test)]
mod streamed_tests {
    use super::*;
    use crate::domain::model::{Direction, Outcome, Purpose};
    use crate::domain::testkit::{account, contact, AccountExt};
    use crate::interchange::format_csv::{to_csv, write_csv};

    /// Five customers with orders and contacts, one of them with a note of two lines.
    fn book() -> BookData {
        let accounts = (0..5)
            .map(|i| {
                account(&format!("c{i}"))
                    .order("2026-01-10", 100.0 * f64::from(i + 1), Some(30.0))
                    .with(|a| {
                        a.customer.note = format!("note {i}\nsecond line, \"quoted\"");
                        a.interactions.push(contact(
                            "2026-02-01T10:00:00Z",
                            Direction::Outbound,
                            Purpose::Sales,
                            Outcome::Positive,
                        ));
                    })
            })
            .collect();
        BookData {
            users: vec![],
            accounts,
            cycles: vec![],
        }
    }

    /// The text written account by account is byte for byte the text made whole.
    #[test]
    fn a_streamed_export_is_the_whole_text() {
        let data = book();
        let accounts = || data.accounts.iter().cloned().map(Ok::<_, ()>);
        let mut json = Vec::new();
        write_json(&mut json, &data.users, accounts(), &data.cycles).unwrap();
        assert_eq!(String::from_utf8(json).unwrap(), to_json(&data));
        let mut csv = Vec::new();
        write_csv(&mut csv, accounts()).unwrap();
        assert_eq!(String::from_utf8(csv).unwrap(), to_csv(&data));
    }

    /// A read error stops the writing and comes back as itself.
    #[test]
    fn a_read_error_stops_a_streamed_export() {
        let data = book();
        let accounts = data.accounts[..3]
            .iter()
            .cloned()
            .map(Ok)
            .chain([Err("damaged record")]);
        let mut json = Vec::new();
        let result = write_json(&mut json, &data.users, accounts, &data.cycles);
        assert!(matches!(result, Err(Streamed::Read("damaged record"))));
        let mut csv = Vec::new();
        let rows = data.accounts[..2].iter().cloned().map(Ok);
        let result = write_csv(&mut csv, rows.chain([Err("damaged record")]));
        assert!(matches!(result, Err(Streamed::Read("damaged record"))));
        // The header and the two good rows were written before it.
        let two = BookData {
            accounts: data.accounts[..2].to_vec(),
            ..data.clone()
        };
        assert_eq!(String::from_utf8(csv).unwrap(), to_csv(&two));
    }
}
