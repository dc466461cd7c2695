//! crm: a keyboard-driven terminal console for customer relationships.
//!
//! Layers, data flowing one way: `domain` (pure rules) <- `store` (disk) <- `book` (the
//! application API) <- `cli` and `tui` (front ends), which give every text a person reads
//! through `i18n` (message files per language). Beside the book, `interchange` (file
//! formats) and `demo` (a generated book) know only the domain. `tests/layering.rs` keeps
//! it so; docs/architecture.md walks through it.

// (lead: book and cli are being integrated; declared again once their dependencies land)
pub mod book;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod interchange;
pub mod store;
pub mod tui;
