//! The book as it lies in its data dir, before (or instead of) opening it: what a front end
//! may learn without taking the book's lock, and the way in. Front ends name the data dir
//! once (`Shelf::at`); which files answer is the service's business, not theirs.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::check::{CheckReport, RepairReport};
use super::derived::{Basis, Derived};
use super::{searching, Book, BookError, FirstPage};
use crate::domain::config::Config;
use crate::domain::search::Hit;
use crate::domain::text::Text;
use crate::store::files;

#[derive(Debug, Clone)]
pub struct Shelf {
    dir: PathBuf,
    /// The PostgreSQL database that keeps the book (`--store`, `$CRM_STORE`, `[store]
    /// url`); `None` for the book in `dir` itself.
    store: Option<String>,
}

impl Shelf {
    pub fn at(dir: &Path) -> Shelf {
        Shelf {
            dir: dir.to_path_buf(),
            store: None,
        }
    }

    /// The book kept at store `url` (a PostgreSQL URL), with `dir` for this machine's
    /// files (the server's socket). Snapshots and `check` belong to a local book: a
    /// shelf with a store has none, so every answer comes from the store.
    pub fn with_store(dir: &Path, url: Option<&str>) -> Shelf {
        Shelf {
            dir: dir.to_path_buf(),
            store: url.map(str::to_string),
        }
    }

    /// The store's URL as given, when the book is not in the data dir.
    pub fn store(&self) -> Option<&str> {
        self.store.as_deref()
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Opens the book (creating it when missing); `actor` is the login recorded on changes.
    pub fn open(&self, config: Config, actor: &str) -> Result<Book, BookError> {
        self.open_with_progress(config, actor, &mut |_, _| {})
    }

    /// As `open`, reporting progress while a damaged index is rebuilt from the journal.
    pub fn open_with_progress(
        &self,
        config: Config,
        actor: &str,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Book, BookError> {
        match &self.store {
            Some(url) => Book::open_postgres(url, &self.dir, config, actor),
            None => Book::open_with_progress(&self.dir, config, actor, progress),
        }
    }

    /// The hits for `query` from the search snapshot when it is current (`None` when it is
    /// not: open the book, or ask its serving process), so `crm find` neither waits for the
    /// store nor needs the book's lock.
    pub fn quick_find(&self, query: &str, limit: usize) -> Option<Vec<Hit>> {
        if self.store.is_some() {
            return None;
        }
        searching::read_current_index(&self.dir).map(|(index, _)| index.search(query, limit))
    }

    /// The book list's first page for `as_of`, when the snapshots are current and no other
    /// process holds the book: read from one small file without opening the book, so the
    /// console can show customers while it opens the rest.
    pub fn first_page(&self, as_of: Date, config: &Config) -> Option<FirstPage> {
        if self.store.is_some() || files::holder(&self.dir).is_some() {
            return None;
        }
        Derived::load_first_page(&self.dir, Basis::new(as_of, config))
    }

    /// As `first_page`, but also a page made for an earlier day or followed by writes,
    /// with the day its figures are of (`Some` when not current): the console shows it
    /// marked as such while it opens the book and brings the figures up to date.
    pub fn first_page_or_older(
        &self,
        as_of: Date,
        config: &Config,
    ) -> Option<(FirstPage, Option<Date>)> {
        if self.store.is_some() || files::holder(&self.dir).is_some() {
            return None;
        }
        Derived::load_first_page_or_older(&self.dir, as_of, config)
    }

    /// Verifies every journal record and compares the index with the journal; changes
    /// nothing. Takes the book's lock for the time.
    pub fn check(&self) -> Result<CheckReport, BookError> {
        self.local_only()?;
        Ok(files::check(&self.dir)?)
    }

    /// `check` and `repair` read a journal file; PostgreSQL checks its own storage.
    fn local_only(&self) -> Result<(), BookError> {
        match &self.store {
            Some(_) => Err(BookError::refused(
                "crm check works on a book in a data dir; a book in PostgreSQL is checked \
                 with PostgreSQL's own tools (amcheck, pg_dump)",
            )
            .with(Text::new("check-not-local"))),
            None => Ok(()),
        }
    }

    /// Salvages every good record of a damaged journal into a fresh one (the damaged
    /// original kept beside it), rebuilds the index, and says what was lost.
    pub fn repair(&self, progress: &mut dyn FnMut(u64, u64)) -> Result<RepairReport, BookError> {
        self.local_only()?;
        Ok(files::repair(&self.dir, progress)?)
    }
}
