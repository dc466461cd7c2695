//! What can go wrong when using the book, each as one line a user can act on.

use crate::domain::search::Hit;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum BookError {
    #[error("no customer matches '{0}'")]
    NotFound(String),
    #[error("no task {task} on customer '{customer}'")]
    NoTask {
        task: crate::domain::model::TaskId,
        customer: String,
    },
    #[error("'{query}' matches {} customers: {}; give one of the ids", candidates.len(), list(candidates))]
    Ambiguous { query: String, candidates: Vec<Hit> },
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Import(#[from] crate::interchange::import_error::ImportError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn list(candidates: &[Hit]) -> String {
    let shown: Vec<String> = candidates
        .iter()
        .take(5)
        .map(|hit| format!("{} ({})", hit.name, hit.id))
        .collect();
    let more = candidates.len().saturating_sub(shown.len());
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}
