//! What can go wrong when using the book: typed, so a front end can tell a missing record
//! from a refused change or a damaged store, and plain serde data, so an error crosses the
//! socket of `crm serve` unchanged (src/book/remote.rs). Each prints as one line a user can
//! act on; the CLI maps the kinds to exit codes in one place (src/cli/mod.rs).

use serde::{Deserialize, Serialize};

use crate::domain::model::TaskId;
use crate::domain::search::Hit;
use crate::interchange::import_error::ImportError;
use crate::store::StoreError;

#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BookError {
    /// No record of that kind has that id (or, for customers, matches that query).
    #[error("{}", not_found(what, id))]
    NotFound { what: Missing, id: String },
    /// The query names more than one customer.
    #[error("'{query}' matches {} customers: {}; give one of the ids", candidates.len(), list(candidates))]
    Ambiguous { query: String, candidates: Vec<Hit> },
    /// A rule of the book says no (an id taken, a PDCA step out of order, nothing to change).
    #[error("{why}")]
    Refused { why: String },
    /// A value breaks a rule of its field (`satisfaction`, `amount`, `login`, ...).
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// A file to import is wrong at a place it names (file, line, record, field).
    #[error("{0}")]
    Import(ImportError),
    /// The book cannot answer now: it is open in another process, its figures or the
    /// serving process are not there. Trying again later may work.
    #[error("{why}")]
    Unavailable { why: String },
    /// What is on disk is damaged; nothing was changed (the message says how to repair).
    #[error("{detail}")]
    Damaged { detail: String },
    /// The disk failed or is full; nothing was changed.
    #[error("{detail}")]
    Storage { detail: String },
}

/// The kind of record a `NotFound` is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "snake_case")]
pub enum Missing {
    Customer,
    /// A task, looked for on one customer.
    Task {
        customer: String,
    },
    Cycle,
    Bond {
        customer: String,
    },
}

impl BookError {
    pub fn customer_not_found(query: &str) -> Self {
        BookError::NotFound {
            what: Missing::Customer,
            id: query.to_string(),
        }
    }

    pub fn task_not_found(customer: &str, task: TaskId) -> Self {
        BookError::NotFound {
            what: Missing::Task {
                customer: customer.to_string(),
            },
            id: task.to_string(),
        }
    }

    pub fn refused(why: impl Into<String>) -> Self {
        BookError::Refused { why: why.into() }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        BookError::Invalid {
            field: field.to_string(),
            message: message.into(),
        }
    }

    pub fn unavailable(why: impl Into<String>) -> Self {
        BookError::Unavailable { why: why.into() }
    }
}

fn not_found(what: &Missing, id: &str) -> String {
    match what {
        Missing::Customer => format!("no customer matches '{id}'"),
        Missing::Task { customer } => format!("no task {id} on customer '{customer}'"),
        Missing::Cycle => format!("no PDCA cycle with id {id}"),
        Missing::Bond { customer } => format!("customer '{customer}' has no bond {id}"),
    }
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

impl From<ImportError> for BookError {
    fn from(error: ImportError) -> Self {
        BookError::Import(error)
    }
}

/// The store's errors carry paths and OS errors (not serde data): each becomes the kind a
/// front end acts on, keeping the store's one-line message word for word.
impl From<StoreError> for BookError {
    fn from(error: StoreError) -> Self {
        let detail = error.to_string();
        match error {
            StoreError::Locked { .. } => BookError::Unavailable { why: detail },
            StoreError::Decode { .. }
            | StoreError::Journal { .. }
            | StoreError::Damaged { .. }
            | StoreError::IndexAhead { .. } => BookError::Damaged { detail },
            StoreError::InvalidName { what, .. } => BookError::Invalid {
                field: what.to_string(),
                message: detail,
            },
            StoreError::Io { .. }
            | StoreError::Index { .. }
            | StoreError::DiskFull { .. }
            | StoreError::Encode { .. }
            | StoreError::IndexBehind { .. } => BookError::Storage { detail },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_task_names_the_task_and_its_customer() {
        let error = BookError::task_not_found("acme-trading", 9999);
        assert_eq!(error.to_string(), "no task 9999 on customer 'acme-trading'");
    }

    #[test]
    fn errors_cross_the_socket_unchanged() {
        let errors = [
            BookError::customer_not_found("acme"),
            BookError::task_not_found("acme", 7),
            BookError::Ambiguous {
                query: "ac".into(),
                candidates: vec![],
            },
            BookError::refused("cycle 3: nothing to change"),
            BookError::invalid("satisfaction", "satisfaction must be 1..5, got 9"),
            BookError::Import(ImportError::new("a.csv", "bad").at_line(3).field("email")),
            BookError::unavailable("the serving crm process: gone"),
            BookError::Damaged { detail: "d".into() },
            BookError::Storage { detail: "s".into() },
        ];
        for error in errors {
            let json = serde_json::to_string(&error).unwrap();
            let back: BookError = serde_json::from_str(&json).unwrap();
            assert_eq!(back, error, "{json}");
            assert_eq!(back.to_string(), error.to_string());
        }
        let json = serde_json::to_string(&BookError::task_not_found("acme", 7)).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"not_found","what":{"record":"task","customer":"acme"},"id":"7"}"#
        );
    }

    #[test]
    fn a_locked_book_is_unavailable_with_the_stores_words() {
        let error = BookError::from(StoreError::Locked { pid: Some(42) });
        assert_eq!(
            error,
            BookError::Unavailable {
                why: "this book is open in another crm process (pid 42)".into()
            }
        );
    }
}
