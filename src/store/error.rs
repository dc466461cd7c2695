//! The store's errors: each one names the file (or the record) it is about, in one line.

use std::path::PathBuf;

/// Why a stored value could not be encoded or decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    #[error("{what}: {len} bytes is too short for a version header")]
    NoHeader { what: &'static str, len: usize },
    #[error(
        "{what}: format version {found} is newer than this crm understands (up to {current}); \
         upgrade crm"
    )]
    FutureVersion {
        what: &'static str,
        found: u16,
        current: u16,
    },
    #[error("{what}: format version {found} was never written")]
    UnknownVersion { what: &'static str, found: u16 },
    #[error("{what} (format version {version}): {detail}")]
    Payload {
        what: &'static str,
        version: u16,
        detail: String,
    },
    #[error("{what} (format version {version}): {extra} unexpected bytes after the value")]
    Trailing {
        what: &'static str,
        version: u16,
        extra: usize,
    },
    #[error("{what}: cannot encode: {detail}")]
    Encode { what: &'static str, detail: String },
}

/// Everything that can go wrong at the disk edge.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("this book is open in another crm process ({})", pid_text(*.pid))]
    Locked { pid: Option<u32> },
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The index (a derived copy of the journal) failed; reopening the book rebuilds it.
    #[error("index {}: {detail}", .path.display())]
    Index { path: PathBuf, detail: String },
    #[error("{}: {what}: {source}", .path.display())]
    Decode {
        path: PathBuf,
        what: String,
        #[source]
        source: CodecError,
    },
    #[error("{}: record {seq} at byte {offset}: {detail}", .path.display())]
    Journal {
        path: PathBuf,
        seq: u64,
        offset: u64,
        detail: String,
    },
    /// A bad record that good records follow (or that an earlier open verified whole):
    /// the book is not opened and nothing is moved or rewritten.
    #[error(
        "{}: record {seq} at byte {offset} is damaged ({detail}){}; nothing was changed: \
         run `crm check --repair` to salvage every good record",
        .path.display(), following_text(*.good_after)
    )]
    Damaged {
        path: PathBuf,
        seq: u64,
        offset: u64,
        detail: String,
        good_after: usize,
    },
    /// The index holds changes the journal no longer has: the journal lost records.
    #[error(
        "index {} holds changes up to {applied} but the journal {} ends at change {journal_seq}: \
         the journal has lost records; nothing was changed: restore the journal from a backup \
         or run `crm check --repair`",
        .index.display(), .journal.display()
    )]
    IndexAhead {
        index: PathBuf,
        journal: PathBuf,
        applied: u64,
        journal_seq: u64,
    },
    /// The disk (or the user's quota) is full: nothing was changed.
    #[error(
        "no space left for the book in {}: this needs about {needed} bytes free, {free} are; \
         nothing was changed: free some space and try again",
        .dir.display()
    )]
    DiskFull {
        dir: PathBuf,
        needed: u64,
        free: u64,
    },
    #[error("{}: {source}", .path.display())]
    Encode {
        path: PathBuf,
        #[source]
        source: CodecError,
    },
    #[error("invalid {what} name '{name}' (use letters, digits, '-' and '_', at most 64)")]
    InvalidName { what: &'static str, name: String },
    /// The change is in the journal (durable) but the index could not take it.
    #[error(
        "change {seq} is saved in {} but the index failed ({detail}); reopen the book to rebuild it",
        .path.display()
    )]
    IndexBehind {
        path: PathBuf,
        seq: u64,
        detail: String,
    },
    /// The database behind a PostgreSQL store cannot be reached (stopped, restarting,
    /// refusing us): nothing was changed. `store` names it without its password.
    #[error("store unavailable: {store}: {detail}")]
    Unavailable { store: String, detail: String },
    /// The database answered with an error (a bug of ours or a schema someone changed).
    #[error("store {store}: {detail}")]
    Database { store: String, detail: String },
    /// A record read from the database does not decode.
    #[error("store {store}: {what}: {source}")]
    DatabaseRecord {
        store: String,
        what: String,
        #[source]
        source: CodecError,
    },
    /// `--store`, `$CRM_STORE` or `[store] url` is not a store this crm knows.
    #[error("store URL: {detail}")]
    BadUrl { detail: String },
}

fn following_text(good_after: usize) -> String {
    match good_after {
        0 => String::new(),
        1 => " and 1 good record follows it".to_string(),
        n => format!(" and {n} good records follow it"),
    }
}

fn pid_text(pid: Option<u32>) -> String {
    match pid {
        Some(pid) => format!("pid {pid}"),
        None => "pid unknown".to_string(),
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Attaches the path to an I/O error.
pub(crate) fn io_at(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> StoreError {
    let path = path.into();
    move |source| StoreError::Io { path, source }
}
