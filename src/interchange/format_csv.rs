//! Customers as CSV (CONTRACT.md): RFC 4180 quoting, a header naming the columns in any
//! order, only `name` required. Profiles only: histories travel in the JSON book.
//!
//! Lossy by nature: one contact per row (the first when exporting), tags joined by `;`,
//! values trimmed on reading.

use std::collections::HashSet;

use jiff::civil::Date;

use super::import_error::ImportError;
use super::kind_guess::guess_kind;
use crate::domain::ids::FreshIds;
use crate::domain::model::{Account, BookData, Contact, Customer, CustomerKind};
use crate::domain::text::{Text, Worded};

/// Every column the format knows, in the order `to_csv` writes them.
pub const COLUMNS: [&str; 13] = [
    "id",
    "name",
    "kind",
    "segment",
    "owner",
    "created",
    "tags",
    "category_spend",
    "contact_name",
    "contact_role",
    "phone",
    "email",
    "note",
];

const ID: usize = 0;
const NAME: usize = 1;
const KIND: usize = 2;
const SEGMENT: usize = 3;
const OWNER: usize = 4;
const CREATED: usize = 5;
const TAGS: usize = 6;
const SPEND: usize = 7;
const CONTACT_NAME: usize = 8;
const CONTACT_ROLE: usize = 9;
const PHONE: usize = 10;
const EMAIL: usize = 11;
const NOTE: usize = 12;

/// One data row: its line and its values by column (empty where the file has no column).
struct Row {
    line: usize,
    values: [String; 13],
}

impl Row {
    fn get(&self, column: usize) -> &str {
        &self.values[column]
    }
}

/// Reads customers from CSV bytes. A missing `created` is `today`; a missing `kind` is
/// guessed from the name; a missing `id` is a slug of the name, made unique in the file.
pub fn parse_csv(file: &str, bytes: &[u8], today: Date) -> Result<BookData, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let rows = read_rows(file, bytes)?;
    let mut taken: HashSet<String> = HashSet::new();
    let mut first_line: std::collections::HashMap<&str, usize> = Default::default();
    for row in &rows {
        let id = row.get(ID);
        if id.is_empty() {
            continue;
        }
        if let Some(first) = first_line.get(id) {
            return Err(ImportError::worded(
                file,
                Worded::new(
                    format!("duplicate id (first on line {first})"),
                    Text::new("imp-csv-duplicate-id").arg("first", first),
                ),
            )
            .at_line(row.line)
            .record(format!("'{id}'"))
            .field("id"));
        }
        first_line.insert(id, row.line);
        taken.insert(id.to_string());
    }
    let mut accounts = Vec::with_capacity(rows.len());
    let mut fresh = FreshIds::default();
    for row in &rows {
        let mut customer = customer(file, row, today)?;
        if customer.id.is_empty() {
            customer.id = fresh.next(&customer.name, |candidate| taken.contains(candidate));
            taken.insert(customer.id.clone());
        }
        accounts.push(Account::new(customer));
    }
    Ok(BookData {
        users: Vec::new(),
        accounts,
        cycles: Vec::new(),
    })
}

/// The delimiter the header row uses: a comma, or the semicolon (Excel writes CSV so in
/// locales whose decimal separator is the comma) or a tab, whichever separates the most
/// header fields. Column names never contain any of them.
fn delimiter(bytes: &[u8]) -> u8 {
    let header = bytes.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let count = |d: u8| header.iter().filter(|&&b| b == d).count();
    [b';', b'\t']
        .into_iter()
        .filter(|&d| count(d) > count(b','))
        .max_by_key(|&d| count(d))
        .unwrap_or(b',')
}

/// The 1-based line of a record, counted from the bytes themselves: the csv crate's own
/// line numbers lag by one on CRLF files.
struct Lines<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, position: Option<&csv::Position>) -> usize {
        let Some(position) = position else {
            return self.line;
        };
        // After a CR the reader reports the record as starting on the LF that ends the
        // previous line: a record starts after any line ends at its position.
        let mut target = (position.byte() as usize).min(self.bytes.len());
        while matches!(self.bytes.get(target), Some(b'\r' | b'\n')) {
            target += 1;
        }
        if target < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        self.line += memchr::memchr_iter(b'\n', &self.bytes[self.offset..target]).count();
        self.offset = target;
        self.line
    }
}

fn read_rows(file: &str, bytes: &[u8]) -> Result<Vec<Row>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(bytes))
        .from_reader(bytes);
    let mut lines = Lines {
        bytes,
        offset: 0,
        line: 1,
    };
    let mut record = csv::ByteRecord::new();
    let read =
        |reader: &mut csv::Reader<&[u8]>, record: &mut csv::ByteRecord, lines: &mut Lines| {
            reader.read_byte_record(record).map_err(|e| {
                let mut error = ImportError::new(file, e.to_string());
                error.line = e.position().map(|p| lines.at(Some(p)));
                error
            })
        };
    if !read(&mut reader, &mut record, &mut lines)? {
        return Err(ImportError::worded(
            file,
            Worded::new(
                "empty file: a header row naming the columns is required",
                Text::new("imp-csv-empty"),
            ),
        ));
    }
    let columns = header(file, &record)?;
    let mut rows = Vec::new();
    while read(&mut reader, &mut record, &mut lines)? {
        let line = lines.at(record.position());
        if record.iter().all(|field| field.trim_ascii().is_empty()) {
            continue;
        }
        if record.len() != columns.len() {
            return Err(ImportError::worded(
                file,
                Worded::new(
                    format!(
                        "{} values, but the header names {} columns",
                        record.len(),
                        columns.len()
                    ),
                    Text::new("imp-csv-value-count")
                        .arg("values", record.len())
                        .arg("columns", columns.len()),
                ),
            )
            .at_line(line));
        }
        let mut values: [String; 13] = Default::default();
        for (field, &column) in record.iter().zip(&columns) {
            let text = std::str::from_utf8(field).map_err(|_| {
                ImportError::worded(
                    file,
                    Worded::new("not valid UTF-8", Text::new("imp-not-utf8")),
                )
                .at_line(line)
                .field(COLUMNS[column])
            })?;
            values[column] = text.trim().to_string();
        }
        rows.push(Row { line, values });
    }
    Ok(rows)
}

/// The column index of each header field; unknown or repeated names are errors.
fn header(file: &str, record: &csv::ByteRecord) -> Result<Vec<usize>, ImportError> {
    let mut columns = Vec::with_capacity(record.len());
    for field in record {
        let name = String::from_utf8_lossy(field).trim().to_ascii_lowercase();
        let error = |message: Worded| {
            ImportError::worded(file, message)
                .at_line(1)
                .field(name.clone())
        };
        let Some(column) = COLUMNS.iter().position(|c| *c == name) else {
            return Err(error(Worded::new(
                format!("unknown column (expected some of: {})", COLUMNS.join(", ")),
                Text::new("imp-csv-unknown-column").arg("columns", COLUMNS.join(", ")),
            )));
        };
        if columns.contains(&column) {
            return Err(error(Worded::new(
                "column named twice",
                Text::new("imp-csv-column-twice"),
            )));
        }
        columns.push(column);
    }
    if !columns.contains(&NAME) {
        return Err(ImportError::worded(
            file,
            Worded::new(
                "the header needs a 'name' column",
                Text::new("imp-csv-no-name-column"),
            ),
        )
        .at_line(1));
    }
    Ok(columns)
}

fn customer(file: &str, row: &Row, today: Date) -> Result<Customer, ImportError> {
    let error = |column: usize, message: Worded| {
        let mut error = ImportError::worded(file, message)
            .at_line(row.line)
            .field(COLUMNS[column]);
        if !row.get(ID).is_empty() {
            error.record = Some(format!("'{}'", row.get(ID)));
        }
        error
    };
    let name = row.get(NAME);
    if name.is_empty() {
        return Err(error(
            NAME,
            Worded::new("must not be empty", Text::new("imp-must-not-be-empty")),
        ));
    }
    let kind = match row.get(KIND) {
        "" => guess_kind(name),
        code => code.parse::<CustomerKind>().map_err(|e| {
            let english = e.to_string();
            let said = Text::new("err-as-written").arg("text", &english);
            error(KIND, Worded::new(english, said))
        })?,
    };
    let created = match row.get(CREATED) {
        "" => today,
        text => text.parse::<Date>().map_err(|_| {
            error(
                CREATED,
                Worded::new(
                    format!("'{text}' is not a date (YYYY-MM-DD)"),
                    Text::new("imp-not-a-date").arg("text", text),
                ),
            )
        })?,
    };
    let category_spend = match row.get(SPEND) {
        "" => None,
        text => match text.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Some(v),
            _ => {
                return Err(error(
                    SPEND,
                    Worded::new(
                        format!("'{text}' is not a number >= 0"),
                        Text::new("imp-not-a-number").arg("text", text),
                    ),
                ))
            }
        },
    };
    let contact = Contact {
        name: row.get(CONTACT_NAME).to_string(),
        role: row.get(CONTACT_ROLE).to_string(),
        phone: row.get(PHONE).to_string(),
        email: row.get(EMAIL).to_string(),
    };
    let has_contact = contact != Contact::default();
    Ok(Customer {
        id: row.get(ID).to_string(),
        name: name.to_string(),
        kind,
        segment: row.get(SEGMENT).to_string(),
        owner: row.get(OWNER).to_string(),
        created,
        tags: row
            .get(TAGS)
            .split(';')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
        category_spend,
        contacts: if has_contact {
            vec![contact]
        } else {
            Vec::new()
        },
        note: row.get(NOTE).to_string(),
        lost: None,
    })
}

/// Every customer as one row under a header of all columns.
pub fn to_csv(data: &BookData) -> String {
    let mut out = String::new();
    push_row(&mut out, COLUMNS.iter().map(|c| c.to_string()));
    for account in &data.accounts {
        push_account(&mut out, account);
    }
    out
}

/// `to_csv`'s text written to `out` as the accounts are read, one row at a time.
pub fn write_csv<E>(
    out: &mut dyn std::io::Write,
    accounts: impl Iterator<Item = Result<Account, E>>,
) -> Result<(), super::format_json::Streamed<E>> {
    use super::format_json::Streamed;
    let mut row = String::new();
    push_row(&mut row, COLUMNS.iter().map(|c| c.to_string()));
    out.write_all(row.as_bytes()).map_err(Streamed::Write)?;
    for account in accounts {
        row.clear();
        push_account(&mut row, &account.map_err(Streamed::Read)?);
        out.write_all(row.as_bytes()).map_err(Streamed::Write)?;
    }
    Ok(())
}

fn push_account(out: &mut String, account: &Account) {
    let c = &account.customer;
    let contact = c.contacts.first().cloned().unwrap_or_default();
    let created = c.created.to_string();
    push_row(
        out,
        [
            c.id.clone(),
            c.name.clone(),
            c.kind.code().to_string(),
            c.segment.clone(),
            c.owner.clone(),
            created,
            c.tags.join(";"),
            c.category_spend.map(|v| v.to_string()).unwrap_or_default(),
            contact.name,
            contact.role,
            contact.phone,
            contact.email,
            c.note.clone(),
        ],
    );
}

fn push_row(out: &mut String, fields: impl IntoIterator<Item = String>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, &field);
    }
    out.push('\n');
}

/// RFC 4180: quote a field holding a delimiter, a quote or a line break; double quotes.
fn push_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let mut out = String::new();
        push_row(
            &mut out,
            [
                "a".to_string(),
                "b,c".into(),
                "say \"hi\"".into(),
                "x\ny".into(),
            ],
        );
        assert_eq!(out, "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\"\n");
    }
}
