//! `crm export`: JSON round-trips through `crm import`; CSV lists the customers.

use std::path::Path;

use super::args::ExportFormat;
use super::{print, CliResult, Context, UserError};
use crate::book::{format_csv, format_json};

pub fn run(context: &Context, format: ExportFormat, output: Option<&Path>) -> CliResult {
    let book = context.open_book()?;
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

/// Never leaves a half-written export: write beside, sync, rename.
fn write_atomically(file: &Path, bytes: &[u8]) -> CliResult {
    use std::io::Write;
    let name = file.display();
    let tmp = file.with_extension("crm-export-tmp");
    let result = (|| {
        let mut out = std::fs::File::create(&tmp)?;
        out.write_all(bytes)?;
        out.sync_all()?;
        std::fs::rename(&tmp, file)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        UserError(format!("{name}: {e}"))
    })
}
