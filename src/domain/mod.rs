//! Pure domain: records, rules and configuration. No I/O, no clock, no terminal, no store.

pub mod acceptance;
pub mod access;
pub mod actions;
pub mod agenda;
pub mod agenda_index;
pub mod agenda_keys;
pub mod bonds;
pub mod capacity;
pub mod card;
pub mod config;
pub mod correction;
pub mod days;
pub mod engine;
pub mod facts;
pub mod follow_up;
pub mod format;
pub mod ids;
pub mod intensity;
pub mod lifecycle;
pub mod model;
pub mod pdca;
pub mod pdca_metrics;
pub mod portfolio;
pub mod ranked;
pub mod rhythm;
pub mod rules;
pub mod running_stats;
pub mod safe_text;
pub mod search;
pub mod stats;
#[cfg(test)]
pub(crate) mod testkit;
pub mod text;
pub mod value;
