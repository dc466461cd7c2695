//! crm: a keyboard-driven terminal console for customer relationships.
//!
//! Layers, data flowing one way: `domain` (pure rules) <- `store` (disk) <- `book` (the
//! application API) <- `cli` and `tui` (front ends). `tests/layering.rs` keeps it so.

// (lead: book and cli are being integrated; declared again once their dependencies land)
pub mod book;
pub mod cli;
pub mod domain;
pub mod store;
pub mod tui;
