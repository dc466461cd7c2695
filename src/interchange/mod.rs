//! Interchange formats: a book read from and written to JSON, CSV and vCard files.
//!
//! Pure translation between files and `BookData` (no store, no console): import parses a
//! file into plain records the book then validates and applies as one change; export
//! writes what the book hands it. Errors name the file, line and field.

pub mod format_csv;
pub mod format_json;
pub mod format_vcf;
pub mod import_error;
mod json_locate;
mod json_model;
mod json_validate;
mod kind_guess;
