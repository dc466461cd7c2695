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
