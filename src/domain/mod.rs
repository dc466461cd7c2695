//! Pure domain: records, rules and configuration. No I/O, no clock, no terminal, no store.

pub mod card;
pub mod config;
pub mod model;
pub mod search;
