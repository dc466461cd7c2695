//! What this book remembers of its sync peers (`DIR/sync.json`): each peer's version
//! vector at the last contact (so `crm sync --status` can say offline what waits to go)
//! and the events a peer refused, with its reason, until someone clears them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::book::BookError;
use crate::store::envelope::{BookId, EventId, ProfileField, Stamp, VersionVector};

pub const FILE: &str = "sync.json";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncState {
    pub peers: BTreeMap<String, PeerState>,
    pub refused: Vec<RefusedEvent>,
    /// Per customer, the "changed on two devices" conflicts someone here has looked at.
    #[serde(default)]
    pub looked: BTreeMap<String, Vec<(ProfileField, Stamp, Stamp)>>,
}

/// A peer at the last contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerState {
    /// How the user named it (`HOST:DIR`, or "stdio").
    pub name: String,
    pub known: VersionVector,
    /// Events the peer had planned for us and we did not receive (an interrupted sync).
    pub waiting_here: u64,
    pub last: Timestamp,
    /// The last sync ran to its end.
    pub complete: bool,
}

/// An event a peer would not take, kept so the person who made it hears of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefusedEvent {
    pub id: EventId,
    pub peer: String,
    pub what: String,
    pub actor: String,
    pub at: Timestamp,
    pub reason: String,
}

fn path(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

pub fn load(dir: &Path) -> Result<SyncState, BookError> {
    let path = path(dir);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
            BookError::invalid(
                "sync",
                format!(
                    "{}: line {}, column {}: {e}; remove the file to start the sync record anew",
                    path.display(),
                    e.line(),
                    e.column()
                ),
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(SyncState::default()),
        Err(e) => Err(BookError::unavailable(format!("{}: {e}", path.display()))),
    }
}

/// Written whole (temporary file, fsync, rename): a crash leaves the old or the new.
pub fn save(dir: &Path, state: &SyncState) -> Result<(), BookError> {
    let path = path(dir);
    let bytes = serde_json::to_vec_pretty(state)
        .map_err(|e| BookError::unavailable(format!("{}: {e}", path.display())))?;
    crate::store::replace_private_file(&path, &bytes)
        .map_err(|e| BookError::unavailable(format!("{}: {e}", path.display())))
}

impl SyncState {
    pub fn peer_key(book: BookId) -> String {
        book.to_string()
    }

    /// Records a refusal once per event id.
    pub fn refuse(&mut self, refused: RefusedEvent) {
        if !self.refused.iter().any(|r| r.id == refused.id) {
            self.refused.push(refused);
        }
    }
}
