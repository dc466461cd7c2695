//! What a command can learn from a data dir without opening its store: who holds it, and
//! the snapshots of derived data that are still current. Also `check` and `repair`, which
//! work on the journal's files themselves. Kept out of the `Store` trait: they take a path,
//! not an open store, and belong to the journal+sled backend.

use std::path::Path;

use serde::de::DeserializeOwned;

use super::{
    based, codec, lock, repair, snapshot, Base, CheckReport, Event, MappedSnapshot, RepairReport,
    Result,
};

/// Verifies every record of the journal in `dir` and compares the index with it,
/// changing nothing (`crm check`).
pub fn check(dir: &Path) -> Result<CheckReport> {
    repair::check(dir)
}

/// Salvages every good record of a damaged journal into a fresh one, keeps the
/// damaged original beside it, rebuilds the index, and says what was lost
/// (`crm check --repair`).
pub fn repair(dir: &Path, progress: &mut dyn FnMut(u64, u64)) -> Result<RepairReport> {
    repair::repair(dir, progress)
}

/// Whether another process has the book in `dir` open: `Some(pid)` (the pid when known,
/// else 0). Takes and drops the lock at once; opening may still race with another process.
pub fn holder(dir: &Path) -> Option<u32> {
    lock::holder(&dir.join("lock"))
}

/// Whether snapshot `name` exists and matches the journal, without reading its body.
pub fn snapshot_is_current(dir: &Path, name: &str) -> bool {
    snapshot::is_current(dir, name)
}

/// A value written with `write_snapshot_value`, if current and decodable.
pub fn read_current_snapshot_value<T: DeserializeOwned>(dir: &Path, name: &str) -> Option<T> {
    let bytes = snapshot::read_current(dir, name)?;
    codec::decode_plain(&bytes).ok()
}

/// Snapshot `name` mapped into memory if the journal has not changed since it was
/// written (see `MappedSnapshot`); takes no lock and opens no index.
pub fn map_current_snapshot(dir: &Path, name: &str) -> Option<MappedSnapshot> {
    snapshot::map_current(dir, name)
}

/// The bytes of snapshot `name` if the journal has not changed since it was written;
/// takes no lock and opens no index, so a whole-process command can start fast.
pub fn read_current_snapshot(dir: &Path, name: &str) -> Option<Vec<u8>> {
    snapshot::read_current(dir, name)
}

/// A value written with `Store::write_based_snapshot_value` and its base, if the journal
/// still holds the base and the value decodes; takes no lock and opens no index.
pub fn read_based_snapshot_value<T: DeserializeOwned>(dir: &Path, name: &str) -> Option<(Base, T)> {
    let (base, bytes) = based::read(dir, name)?;
    codec::decode_plain(&bytes).ok().map(|value| (base, value))
}

/// The base of based snapshot `name`, reading its header only.
pub fn based_snapshot_base(dir: &Path, name: &str) -> Option<Base> {
    based::base_of(dir, name)
}

/// Based snapshot `name` mapped into memory (payload at
/// `MappedSnapshot::BASED_PAYLOAD_START`), if the journal still holds its base.
pub fn map_based_snapshot(dir: &Path, name: &str) -> Option<(Base, MappedSnapshot)> {
    based::map(dir, name)
}

/// The journal's events after `base`, read from the file without the index or the lock;
/// `None` when more than `limit`, or when one is not whole and intact.
pub fn events_after_base(dir: &Path, base: Base, limit: usize) -> Option<Vec<Event>> {
    based::events_after(dir, base, limit)
}
