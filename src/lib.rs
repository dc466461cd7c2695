//! crm: a keyboard-driven terminal console for customer relationships.
//!
//! Layers, data flowing one way: `domain` (pure rules) <- `store` (disk) <- `book` (the
//! application API) <- `cli` and `tui` (front ends), which give every text a person reads
//! through `i18n` (message files per language). `tests/layering.rs` keeps it so.

// (lead: book and cli are being integrated; declared again once their dependencies land)
pub mod book;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod interchange;
pub mod store;
pub mod tui;
