//! `crm demo`: a generated sample book, then optionally the console.

use super::{print_text, CliResult, Context, UserError};
use crate::demo::{demo_book, DemoOptions};

pub fn run(context: &Context, customers: usize, seed: u64, force: bool, open: bool) -> CliResult {
    if force {
        remove_book(&context.data_dir)?;
    }
    let mut book = context.open_book()?;
    if !book.is_empty() {
        if !open {
            return Err(UserError::Message(format!(
                "the book in {} is not empty ({} customers); use --force to replace it",
                context.data_dir.display(),
                book.customer_count()
            )));
        }
        eprintln!(
            "crm: the book already has {} customers; opening it as it is (demo --force replaces it)",
            book.customer_count()
        );
    } else {
        let mut bar = super::progress::Bar::new("generating");
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
            print_text(&format!(
                "demo book: {} customers, {} interactions, {} orders, {} PDCA cycles in {}\n",
                report.customers,
                report.interactions,
                report.orders,
                report.cycles,
                context.data_dir.display()
            ))?;
        }
    }
    if open {
        crate::tui::run(book, context.as_of)?;
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
    std::fs::remove_dir_all(dir).map_err(|e| UserError::Message(format!("{}: {e}", dir.display())))
}
