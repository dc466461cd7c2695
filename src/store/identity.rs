//! The book's id (`envelope::BookId`), kept in `DIR/book-id` as 32 hex digits.
//!
//! Minted once: at random for a new book; for a book written before events had ids, from
//! its first journal record, so its old events get the same ids wherever it is opened,
//! and a lost `book-id` file is made again the same. A book whose first record already has
//! an envelope (it was made by this crm) gets a fresh random id if the file is lost: its
//! events keep the ids they carry, and its new ones count under the new id.

use std::path::Path;

use super::codec;
use super::envelope::BookId;
use super::error::{io_at, Result, StoreError};
use super::journal::Journal;

pub(crate) const FILE: &str = "book-id";

/// The book's id, read from `DIR/book-id` or minted and written there (durably: synced,
/// renamed, the directory synced) before any event carries it.
pub(crate) fn load_or_mint(dir: &Path, journal: &Journal) -> Result<BookId> {
    let path = dir.join(FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            return text.parse().map_err(|detail: String| StoreError::Io {
                path: path.clone(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{detail}; remove the file to have it made again"),
                ),
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_at(&path)(e)),
    }
    let id = match journal.first_payload()? {
        Some(payload) if payload_version(&payload) < codec::ENVELOPE_VERSION => {
            BookId::derived_from(&payload)
        }
        _ => BookId::random(),
    };
    super::private::replace_file(&path, format!("{id}\n").as_bytes()).map_err(io_at(&path))?;
    super::journal::sync_parent(&path)?;
    Ok(id)
}

/// The codec version of an event payload (its first two bytes).
fn payload_version(payload: &[u8]) -> u16 {
    match payload {
        [a, b, ..] => u16::from_le_bytes([*a, *b]),
        _ => 0,
    }
}
