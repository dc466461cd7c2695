//! `crm demo`: a generated sample book, then optionally the console.

use super::{print_text, CliResult, Context, UserError};
use crate::demo::{demo_book, DemoOptions};
use crate::i18n::tr;

pub fn run(context: &Context, customers: usize, seed: u64, force: bool, open: bool) -> CliResult {
    super::backend::require_unserved(context, "crm demo")?;
    if force {
        remove_book(&context.data_dir)?;
    }
    let mut book = context.open_book()?;
    if !book.is_empty() {
        if !open {
            return Err(UserError::Message(tr(
                "demo-not-empty",
                &[
                    ("dir", &context.data_dir.display().to_string()),
                    ("customers", &book.customer_count().to_string()),
                ],
            )));
        }
        eprintln!(
            "crm: {}",
            tr(
                "demo-opening-as-is",
                &[("customers", &book.customer_count().to_string())],
            )
        );
    } else {
        let mut bar = super::progress::Bar::new(crate::i18n::t("demo-progress"));
        let options = DemoOptions {
            customers,
            seed,
            today: context.as_of,
        };
        let data = demo_book(&options, &mut |done| bar.set(done as u64, customers as u64));
        bar.finish();
        let report = book.import(data, false)?;
        // The first look at a fresh book should not wait for the engine's pass.
        book.summaries(context.as_of)?;
        if !open {
            let count = |n: usize| n.to_string();
            print_text(
                &(tr(
                    "demo-made",
                    &[
                        ("customers", &count(report.customers)),
                        ("interactions", &count(report.interactions)),
                        ("orders", &count(report.orders)),
                        ("cycles", &count(report.cycles)),
                        ("dir", &context.data_dir.display().to_string()),
                    ],
                ) + "\n"),
            )?;
        }
    }
    if open {
        crate::tui::run(book, context.as_of, &context.socket)?;
    }
    Ok(())
}

/// `--force`: the old book goes entirely (journal included), so the demo starts clean.
fn remove_book(dir: &std::path::Path) -> Result<(), UserError> {
    if !dir.exists() {
        return Ok(());
    }
    // Taking the lock first makes sure no other crm process is using the book.
    drop(crate::book::Shelf::at(dir).open(Default::default(), "demo")?);
    std::fs::remove_dir_all(dir).map_err(|e| super::at(&dir.display().to_string(), &e.to_string()))
}
