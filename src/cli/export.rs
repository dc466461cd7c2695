//! `crm export`: JSON round-trips through `crm import`; CSV lists the customers.

use std::path::Path;

use super::args::ExportFormat;
use super::{print, CliResult, Context};
use crate::book::replace_private_file;
use crate::interchange::{format_csv, format_json};

pub fn run(context: &Context, format: ExportFormat, output: Option<&Path>) -> CliResult {
    context.require_book()?;
    let mut book = super::backend::open(context)?;
    let data = book.export()?;
    let text = match format {
        ExportFormat::Json => format_json::to_json(&data),
        ExportFormat::Csv => format_csv::to_csv(&data),
    };
    match output {
        None => print(&text),
        Some(file) => write_atomically(file, text.as_bytes()),
    }
}

/// Never leaves a half-written export, and writes it 0600 (it holds the whole book): an
/// exclusive temporary file beside it (a symlink there is never followed), synced, renamed.
fn write_atomically(file: &Path, bytes: &[u8]) -> CliResult {
    replace_private_file(file, bytes)
        .map_err(|e| super::at(&file.display().to_string(), &e.to_string()))
}
