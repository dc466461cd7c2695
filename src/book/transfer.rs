//! `crm migrate`: moving a book between the local store (journal+sled in a data dir) and
//! PostgreSQL, losslessly. What moves is the event log itself, every change with its
//! author and time, in order; each backend materialises its records from it as it would
//! have from the original writes, so the records, the audit trail and the id counters all
//! arrive. The receiving book must be empty: a move never merges into another book.

use std::path::Path;

use super::BookError;
use crate::domain::text::Text;
use crate::store::{JournalStore, PgStore, Store};

/// What a move carried.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Moved {
    /// The PostgreSQL end, named without its password.
    pub store: String,
    pub events: u64,
    pub customers: usize,
    pub users: usize,
    pub cycles: usize,
}

/// Moves the book in `dir` into the (empty) PostgreSQL database at `url`.
pub fn to_postgres(dir: &Path, url: &str) -> Result<Moved, BookError> {
    let (from, _) = JournalStore::open(dir)?;
    let mut to = PgStore::open(url, &dir.join("postgres"))?;
    let name = to.name().to_string();
    copy(&from, &mut to, &name, name.clone())
}

/// Moves the book in the PostgreSQL database at `url` into `dir` (a new or empty book).
pub fn from_postgres(url: &str, dir: &Path) -> Result<Moved, BookError> {
    let from = PgStore::open(url, &dir.join("postgres"))?;
    let (mut to, _) = JournalStore::open(dir)?;
    let name = from.name().to_string();
    copy(&from, &mut to, &dir.display().to_string(), name)
}

fn copy(
    from: &dyn Store,
    to: &mut dyn Store,
    to_name: &str,
    store: String,
) -> Result<Moved, BookError> {
    if to.seq() > 0 || !to.is_empty() {
        return Err(BookError::refused(format!(
            "{to_name} already holds a book ({} changes); crm migrate moves a book only into \
             an empty one",
            to.seq()
        ))
        .with(
            Text::new("migrate-not-empty")
                .arg("store", to_name)
                .arg("changes", to.seq()),
        ));
    }
    let events = from.events_after(0)?;
    let mut moved = 0;
    for event in events {
        let seq = to.apply(&event.actor, event.at, event.change)?;
        moved += 1;
        if seq != event.seq {
            // Another writer got in: the two logs no longer line up one to one.
            return Err(BookError::unavailable(format!(
                "{to_name}: change {} arrived as {seq}: another process wrote to it during \
                 the move; empty it and move again",
                event.seq
            )));
        }
    }
    Ok(Moved {
        store,
        events: moved,
        customers: to.customer_count(),
        users: to.users()?.len(),
        cycles: to.cycles()?.len(),
    })
}
