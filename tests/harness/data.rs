//! The tests of the library's data side (store, formats, engine, search) in one test
//! binary (see Cargo.toml). Each file of tests/ is a module.

// Each file keeps its own `mod common;` (tests/common), so the files stay as they were.
#![allow(clippy::duplicate_mod)]

#[path = "../access.rs"]
mod access;
#[path = "../engine_e2e.rs"]
mod engine_e2e;
#[path = "../formats.rs"]
mod formats;
#[path = "../journal_damage.rs"]
mod journal_damage;
#[path = "../pinyin.rs"]
mod pinyin;
#[path = "../search.rs"]
mod search;
#[path = "../store.rs"]
mod store;
#[path = "../store_pg.rs"]
mod store_pg;
