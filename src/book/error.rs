//! What can go wrong when using the book: typed, so a front end can tell a missing record
//! from a refused change or a damaged store, and plain serde data, so an error crosses the
//! socket of `crm serve` unchanged (src/book/remote.rs). Each prints as one line a user can
//! act on; the CLI maps the kinds to exit codes in one place (src/cli/mod.rs).

use serde::{Deserialize, Serialize};

use crate::domain::model::TaskId;
use crate::domain::search::Hit;
use crate::domain::text::Text;
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
    Refused {
        why: String,
        /// The same words as a message key and arguments, so a front end can say them in
        /// its reader's language (absent from older peers: the English words are said).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        said: Option<Text>,
    },
    /// A value breaks a rule of its field (`satisfaction`, `amount`, `login`, ...).
    #[error("{message}")]
    Invalid {
        field: String,
        message: String,
        /// The same words as a message key and arguments, so a front end can say them in
        /// its reader's language (absent from older peers: the English words are said).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        said: Option<Text>,
    },
    /// A file to import is wrong at a place it names (file, line, record, field).
    #[error("{0}")]
    Import(ImportError),
    /// The book cannot answer now: it is open in another process, its figures or the
    /// serving process are not there. Trying again later may work.
    #[error("{why}")]
    Unavailable {
        why: String,
        /// The same words as a message key and arguments, so a front end can say them in
        /// its reader's language (absent from older peers: the English words are said).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        said: Option<Text>,
    },
    /// What is on disk is damaged; nothing was changed (the message says how to repair).
    #[error("{detail}")]
    Damaged {
        detail: String,
        /// The same words as a message key and arguments, so a front end can say them in
        /// its reader's language (absent from older peers: the English words are said).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        said: Option<Text>,
    },
    /// The disk failed or is full; nothing was changed.
    #[error("{detail}")]
    Storage {
        detail: String,
        /// The same words as a message key and arguments, so a front end can say them in
        /// its reader's language (absent from older peers: the English words are said).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        said: Option<Text>,
    },
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
    /// A login that is none of the book's users.
    User,
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
        BookError::Refused {
            why: why.into(),
            said: None,
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        BookError::Invalid {
            field: field.to_string(),
            message: message.into(),
            said: None,
        }
    }

    pub fn unavailable(why: impl Into<String>) -> Self {
        BookError::Unavailable {
            why: why.into(),
            said: None,
        }
    }

    /// Another process holds the book (sled's one-process lock): it may be serving it, or
    /// about to; worth asking its socket, or waiting a moment.
    pub fn is_locked(&self) -> bool {
        matches!(self, BookError::Unavailable { said: Some(text), .. }
            if text.key == "err-locked" || text.key == "err-locked-pid")
    }

    /// The error's words as a message (`text`), kept beside its English words; a no-op on
    /// the kinds whose message the front end builds from their data.
    pub fn with(mut self, text: Text) -> Self {
        match &mut self {
            BookError::Refused { said, .. }
            | BookError::Invalid { said, .. }
            | BookError::Unavailable { said, .. }
            | BookError::Damaged { said, .. }
            | BookError::Storage { said, .. } => *said = Some(text),
            BookError::NotFound { .. } | BookError::Ambiguous { .. } | BookError::Import(_) => {}
        }
        self
    }

    /// What a front end says for this error in its reader's language: the message files'
    /// words for every kind, the English words as they are (`err-as-written`) where the
    /// book has no message for them (an OS error, a path, an older serving process).
    pub fn said(&self) -> Text {
        let as_written = |said: &Option<Text>, english: &str| {
            said.clone()
                .unwrap_or_else(|| Text::new("err-as-written").arg("text", english))
        };
        match self {
            BookError::NotFound { what, id } => match what {
                Missing::Customer => Text::new("err-no-customer").arg("id", id),
                Missing::Task { customer } => Text::new("err-no-task")
                    .arg("id", id)
                    .arg("customer", customer),
                Missing::Cycle => Text::new("err-no-cycle").arg("id", id),
                Missing::Bond { customer } => Text::new("err-no-bond")
                    .arg("id", id)
                    .arg("customer", customer),
                Missing::User => Text::new("err-no-user").arg("login", id),
            },
            BookError::Ambiguous { query, candidates } => {
                let shown: Vec<Text> = candidates
                    .iter()
                    .take(5)
                    .map(|hit| {
                        Text::new("err-candidate")
                            .arg("name", &hit.name)
                            .arg("id", &hit.id)
                    })
                    .collect();
                let more = candidates.len().saturating_sub(shown.len());
                let list = if more > 0 {
                    Text::new("err-and-more")
                        .list("list", shown)
                        .arg("more", more)
                } else {
                    Text::new("err-candidates").list("list", shown)
                };
                Text::new("err-ambiguous")
                    .arg("query", query)
                    .arg("count", candidates.len())
                    .part("list", list)
            }
            BookError::Refused { why, said } | BookError::Unavailable { why, said } => {
                as_written(said, why)
            }
            BookError::Invalid { message, said, .. } => as_written(said, message),
            BookError::Damaged { detail, said } | BookError::Storage { detail, said } => {
                as_written(said, detail)
            }
            BookError::Import(error) => {
                let place = match error.line {
                    Some(line) => format!("{}:{line}", error.file),
                    None => error.file.clone(),
                };
                let record = error.record.as_ref().map_or_else(Text::empty, |record| {
                    Text::new("err-import-record").arg("record", record)
                });
                let field = error.field.as_ref().map_or_else(Text::empty, |field| {
                    Text::new("err-import-field").arg("field", field)
                });
                Text::new("err-import")
                    .arg("place", place)
                    .part("record", record)
                    .part("field", field)
                    .part(
                        "message",
                        as_written(&error.said.as_deref().cloned(), &error.message),
                    )
            }
        }
    }
}

fn not_found(what: &Missing, id: &str) -> String {
    match what {
        Missing::Customer => format!("no customer matches '{id}'"),
        Missing::Task { customer } => format!("no task {id} on customer '{customer}'"),
        Missing::Cycle => format!("no PDCA cycle with id {id}"),
        Missing::Bond { customer } => format!("customer '{customer}' has no bond {id}"),
        Missing::User => format!("'{id}' is not a user of this book (crm user list)"),
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
        let said = None;
        match error {
            StoreError::Locked { pid } => {
                BookError::Unavailable { why: detail, said }.with(match pid {
                    Some(pid) => Text::new("err-locked-pid").arg("pid", pid),
                    None => Text::new("err-locked"),
                })
            }
            StoreError::Decode { .. }
            | StoreError::Journal { .. }
            | StoreError::Damaged { .. }
            | StoreError::IndexAhead { .. }
            | StoreError::DatabaseRecord { .. } => BookError::Damaged { detail, said },
            StoreError::Unavailable { .. } => BookError::Unavailable { why: detail, said },
            StoreError::BadUrl { .. } => BookError::Invalid {
                field: "store".to_string(),
                message: detail,
                said,
            },
            StoreError::InvalidName { what, .. } => BookError::Invalid {
                field: what.to_string(),
                message: detail,
                said,
            },
            StoreError::Io { .. }
            | StoreError::Index { .. }
            | StoreError::DiskFull { .. }
            | StoreError::Encode { .. }
            | StoreError::IndexBehind { .. }
            | StoreError::Database { .. } => BookError::Storage { detail, said },
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
            BookError::Damaged {
                detail: "d".into(),
                said: None,
            },
            BookError::Storage {
                detail: "s".into(),
                said: None,
            },
            BookError::refused("cycle 3: nothing to change")
                .with(Text::new("refuse-nothing-to-change").arg("id", 3)),
        ];
        for error in errors {
            let json = serde_json::to_string(&error).unwrap();
            let back: BookError = serde_json::from_str(&json).unwrap();
            assert_eq!(back, error, "{json}");
            assert_eq!(back.to_string(), error.to_string());
        }
        // A peer that sends no message (an older `crm serve`) is read with none.
        let old: BookError = serde_json::from_str(r#"{"kind":"refused","why":"no"}"#).unwrap();
        assert_eq!(old, BookError::refused("no"));
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
                why: "this book is open in another crm process (pid 42)".into(),
                said: Some(Text::new("err-locked-pid").arg("pid", 42)),
            }
        );
    }
}
