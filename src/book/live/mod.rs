//! The live core: what keeps derived data current in proportion to each change instead of
//! recomputing the whole book (issue 12). `touched` says what a run of journal events
//! changed; `affected` says which cards a change of the book's figures reaches. The saved
//! passes themselves are based snapshots (`store::Base`), brought forward by
//! `book::derived`.

pub mod affected;
pub mod touched;

#[cfg(test)]
mod equivalence_tests;
