//! The book's search index: kept in memory, saved as a snapshot file so a whole-process
//! `crm find` loads it in one read, and rebuilt from the profiles when the snapshot is stale.

use std::path::Path;
use std::sync::Arc;

use crate::domain::model::CustomerId;
use crate::domain::search::{normalize, Hit, SearchIndex};
use crate::store::{MappedSnapshot, Store};

use super::BookError;

pub(super) const SNAPSHOT: &str = "search";

/// The index if it must be built now (and then the snapshot must be rewritten), or `None`
/// when the snapshot is current and can be read on first use: `crm show ID` never needs it.
pub(super) fn open_index(store: &Store, dir: &Path) -> Result<Option<SearchIndex>, BookError> {
    if Store::snapshot_is_current(dir, SNAPSHOT) {
        return Ok(None);
    }
    build(store).map(Some)
}

/// The index from the profiles in the store.
pub(super) fn build(store: &Store) -> Result<SearchIndex, BookError> {
    let mut index = SearchIndex::new();
    for customer in store.customers() {
        index.upsert(&customer?);
    }
    Ok(index)
}

/// The saved index, used in place from the mapped snapshot: no copy, and only the pages a
/// search touches are read or take memory.
pub(super) fn read_current_index(dir: &Path) -> Option<SearchIndex> {
    let mapped = Store::map_current_snapshot(dir, SNAPSHOT)?;
    SearchIndex::from_shared(Arc::new(mapped), MappedSnapshot::PAYLOAD_START)
}

/// A query names a customer when exactly one customer contains every word of it in its
/// name or contact names (or the name equals the query).
pub(super) fn resolve(
    store: &Store,
    index: &SearchIndex,
    query: &str,
) -> Result<CustomerId, BookError> {
    let words: Vec<String> = normalize(query)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if words.is_empty() {
        return Err(BookError::NotFound(query.to_string()));
    }
    let hits = index.search(query, 50);
    let wanted = normalize(query);
    let mut matching: Vec<Hit> = Vec::new();
    for hit in hits {
        let Some(customer) = store.customer(&hit.id)? else {
            continue;
        };
        let name = normalize(&customer.name);
        if name == wanted {
            return Ok(hit.id);
        }
        let mut haystack = name;
        for contact in &customer.contacts {
            haystack.push(' ');
            haystack.push_str(&normalize(&contact.name));
        }
        if words.iter().all(|w| haystack.contains(w.as_str())) {
            matching.push(hit);
        }
    }
    match matching.len() {
        0 => Err(BookError::NotFound(query.to_string())),
        1 => Ok(matching.remove(0).id),
        _ => Err(BookError::Ambiguous {
            query: query.to_string(),
            candidates: matching,
        }),
    }
}
