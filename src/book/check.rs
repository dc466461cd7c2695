//! `crm check`: the book's integrity, for the front ends (which never see the store).

use std::path::Path;

use super::{Book, BookError};
use crate::store::Store;
pub use crate::store::{BadRecord, CheckReport, IndexState, RepairReport, Restored};

impl Book {
    /// Verifies every journal record of the book in `dir` and compares the index with
    /// the journal; changes nothing. Takes the book's lock for the time.
    pub fn check(dir: &Path) -> Result<CheckReport, BookError> {
        Ok(Store::check(dir)?)
    }

    /// Salvages every good record of a damaged journal into a fresh one (the damaged
    /// original kept beside it), rebuilds the index, and says what was lost.
    pub fn repair(
        dir: &Path,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<RepairReport, BookError> {
        Ok(Store::repair(dir, progress)?)
    }
}
