//! `crm import FILE`: all or nothing.

use std::path::Path;

use super::args::ImportFormat;
use super::{at, print, print_text, CliResult, Context, UserError};
use crate::i18n::tr;
use crate::interchange::{format_csv, format_json, format_vcf};

pub fn run(
    context: &Context,
    file: &Path,
    format: Option<ImportFormat>,
    merge: bool,
    json: bool,
) -> CliResult {
    let format = match format {
        Some(format) => format,
        None => guess_format(file)?,
    };
    let name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| at(&name, &e.to_string()))?;
    let data = match format {
        ImportFormat::Json => format_json::parse_json(&name, &text(&name, &bytes)?)?,
        ImportFormat::Csv => format_csv::parse_csv(&name, &bytes, context.as_of)?,
        ImportFormat::Vcf => format_vcf::parse_vcf(&name, &text(&name, &bytes)?, context.as_of)?,
    };
    let mut book = super::backend::open(context)?;
    let report = book
        .import(data, merge)
        .map_err(|e| at(&name, &super::book_error_text(&e)))?;
    if json {
        return print(&(serde_json::to_string_pretty(&report)? + "\n"));
    }
    let count = |n: usize| n.to_string();
    print_text(
        &(tr(
            "cli-imported",
            &[
                ("customers", &count(report.customers)),
                ("interactions", &count(report.interactions)),
                ("orders", &count(report.orders)),
                ("cycles", &count(report.cycles)),
                ("file", &name),
            ],
        ) + "\n"),
    )
}

fn text(name: &str, bytes: &[u8]) -> Result<String, UserError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let line = bytes[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        UserError::Message(tr(
            "cli-not-utf8",
            &[("file", name), ("line", &line.to_string())],
        ))
    })
}

fn guess_format(file: &Path) -> Result<ImportFormat, UserError> {
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("json") => Ok(ImportFormat::Json),
        Some("csv") => Ok(ImportFormat::Csv),
        Some("vcf") | Some("vcard") => Ok(ImportFormat::Vcf),
        _ => Err(UserError::Message(tr(
            "cli-unknown-format",
            &[("file", &file.display().to_string())],
        ))),
    }
}
