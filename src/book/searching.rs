//! The book's search index: kept in memory, saved as a based snapshot (`store::Base`) so a
//! whole-process `crm find` maps it in one go and takes in the profiles stored since from
//! the journal; rebuilt from the profiles when there is no usable snapshot.

use std::path::Path;
use std::sync::Arc;

use crate::domain::model::{Customer, CustomerId};
use crate::domain::search::{normalize, readings, Hit, SearchIndex};
use crate::store::{files, MappedSnapshot, Store};

use super::live::touched::profiles;
use super::BookError;

pub(super) const SNAPSHOT: &str = "search";

/// Events after the saved index that a reader takes in before the index is saved anew.
pub(super) const REBASE_EVENTS: u64 = 256;

/// Events after the saved index past which it is built anew instead of brought forward.
const MAX_EVENTS: usize = 4096;

/// The index if it must be built now (and then the snapshot must be rewritten), or `None`
/// when the snapshot is usable and can be read on first use: `crm show ID` never needs it.
pub(super) fn open_index(store: &dyn Store, dir: &Path) -> Result<Option<SearchIndex>, BookError> {
    let usable = files::based_snapshot_base(dir, SNAPSHOT)
        .is_some_and(|base| base.seq <= store.seq() && store.seq() - base.seq <= MAX_EVENTS as u64);
    if usable {
        return Ok(None);
    }
    build(store).map(Some)
}

/// The index from the profiles in the store.
pub(super) fn build(store: &dyn Store) -> Result<SearchIndex, BookError> {
    let mut index = SearchIndex::new();
    for customer in store.customers() {
        index.upsert(&customer?);
    }
    Ok(index)
}

/// The saved index, used in place from the mapped snapshot (no copy, and only the pages a
/// search touches are read or take memory), with the profiles stored since taken in; and
/// how many events it was behind.
pub(super) fn read_current_index(dir: &Path) -> Option<(SearchIndex, u64)> {
    let (base, mapped) = files::map_based_snapshot(dir, SNAPSHOT)?;
    let events = files::events_after_base(dir, base, MAX_EVENTS)?;
    let mut index =
        SearchIndex::from_shared(Arc::new(mapped), MappedSnapshot::BASED_PAYLOAD_START)?;
    for customer in profiles(&events) {
        index.upsert(customer);
    }
    Some((index, events.len() as u64))
}

/// The customer a query names, resolved like `crm find` ranks it (the caller has tried the
/// query as an id first). The strongest kind of match decides: a customer whose name is the
/// query, else customers with every word of the query in their name, contacts, phones,
/// e-mails, tags or the pinyin readings of Han names, else the fuzzy hits of `find`. One customer of the strongest kind is the
/// answer; several are listed as candidates, best first.
pub(super) fn resolve(
    store: &dyn Store,
    index: &SearchIndex,
    query: &str,
) -> Result<CustomerId, BookError> {
    resolve_where(store, index, query, &|_| true, 50)
}

/// As `resolve`, among the customers `keep` lets through (a session's reach), judging the
/// best `window` hits of the query (wider when others' customers are dropped from them).
pub(super) fn resolve_where(
    store: &dyn Store,
    index: &SearchIndex,
    query: &str,
    keep: &dyn Fn(&Customer) -> bool,
    window: usize,
) -> Result<CustomerId, BookError> {
    let words: Vec<String> = normalize(query)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if words.is_empty() {
        return Err(BookError::customer_not_found(query));
    }
    let wanted = normalize(query);
    let mut same_name: Vec<Hit> = Vec::new();
    let mut every_word: Vec<Hit> = Vec::new();
    let mut fuzzy: Vec<Hit> = Vec::new();
    for hit in index.search(query, window) {
        let Some(customer) = store.customer(&hit.id)?.filter(|c| keep(c)) else {
            continue;
        };
        if normalize(&customer.name) == wanted {
            same_name.push(hit);
        } else if words
            .iter()
            .all(|w| searchable(&customer).contains(w.as_str()))
        {
            every_word.push(hit);
        } else {
            fuzzy.push(hit);
        }
    }
    let strongest = [same_name, every_word, fuzzy]
        .into_iter()
        .find(|tier| !tier.is_empty())
        .unwrap_or_default();
    match <[Hit; 1]>::try_from(strongest) {
        Ok([only]) => Ok(only.id),
        Err(candidates) if candidates.is_empty() => Err(BookError::customer_not_found(query)),
        Err(candidates) => Err(BookError::Ambiguous {
            query: query.to_string(),
            candidates,
        }),
    }
}

/// The normalised text `find` searches for a customer: name, contacts, phones, e-mails, tags,
/// and the pinyin readings of the name and the contact names (spaced, run together,
/// initials: `zhang wei`, `zhangwei`, `zw`).
fn searchable(customer: &crate::domain::model::Customer) -> String {
    let mut text = normalize(&customer.name);
    let names = std::iter::once(&customer.name).chain(customer.contacts.iter().map(|c| &c.name));
    for name in names {
        for r in readings(name) {
            for form in [r.spaced, r.joined, r.initials] {
                text.push(' ');
                text.push_str(&form);
            }
        }
    }
    for contact in &customer.contacts {
        for field in [&contact.name, &contact.phone, &contact.email] {
            text.push(' ');
            text.push_str(&normalize(field));
        }
    }
    for tag in &customer.tags {
        text.push(' ');
        text.push_str(&normalize(tag));
    }
    text
}
