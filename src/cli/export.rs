//! `crm export`: JSON round-trips through `crm import`; CSV lists the customers.
//!
//! The text is written as the accounts are read, one at a time (`BookApi::export_records`),
//! so neither the book nor its text is ever whole in memory (issue 12: export peak RSS).

use std::io::Write;
use std::path::Path;

use super::args::ExportFormat;
use super::{CliResult, Context, UserError};
use crate::book::{replace_private_file_with, BookApi, BookError, ExportRecords};
use crate::interchange::format_json::Streamed;
use crate::interchange::{format_csv, format_json};

pub fn run(context: &Context, format: ExportFormat, output: Option<&Path>) -> CliResult {
    context.require_book()?;
    let mut book = super::backend::open(context)?;
    match output {
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            match export(&mut *book, format, &mut out).and_then(|()| flushed(&mut out)) {
                // A reader that stopped early (`| head`) is not an error.
                Err(Failed::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(Failed::Write(e)) => Err(UserError::from(e)),
                Err(Failed::Book(e)) => Err(UserError::from(e)),
                Ok(()) => Ok(()),
            }
        }
        Some(file) => write_atomically(&mut *book, format, file),
    }
}

/// Never leaves a half-written export, and writes it 0600 (it holds the whole book): an
/// exclusive temporary file beside it (a symlink there is never followed), synced, renamed.
fn write_atomically(book: &mut dyn BookApi, format: ExportFormat, file: &Path) -> CliResult {
    let mut failed = None;
    let written = replace_private_file_with(file, &mut |out| {
        export(book, format, out).map_err(|why| match why {
            Failed::Write(e) => e,
            Failed::Book(e) => {
                failed = Some(e);
                std::io::Error::other("reading the book failed")
            }
        })
    });
    if let Some(error) = failed {
        return Err(UserError::from(error));
    }
    written.map_err(|e| super::at(&file.display().to_string(), &e.to_string()))
}

/// What stopped an export: the book, or the output.
enum Failed {
    Book(BookError),
    Write(std::io::Error),
}

fn flushed(out: &mut dyn Write) -> Result<(), Failed> {
    out.flush().map_err(Failed::Write)
}

/// The book in `format` to `out`, one account at a time.
fn export(book: &mut dyn BookApi, format: ExportFormat, out: &mut dyn Write) -> Result<(), Failed> {
    let mut write_error = None;
    let exported = book.export_records(&mut |records: ExportRecords<'_>| {
        let written = match format {
            ExportFormat::Json => {
                format_json::write_json(out, &records.users, records.accounts, &records.cycles)
            }
            ExportFormat::Csv => format_csv::write_csv(out, records.accounts),
        };
        match written {
            Ok(()) => Ok(()),
            Err(Streamed::Read(e)) => Err(e),
            Err(Streamed::Write(e)) => {
                write_error = Some(e);
                Err(BookError::unavailable("writing the export failed"))
            }
        }
    });
    if let Some(e) = write_error {
        return Err(Failed::Write(e));
    }
    exported.map_err(Failed::Book)
}
