//! `crm migrate --to URL` / `crm migrate --from URL`: the book in the data dir moved to a
//! PostgreSQL database, or from one into the data dir (`book::transfer`).

use super::{print, CliResult, Context, UserError};
use crate::book::transfer;
use crate::i18n::{t, tr};

pub fn run(context: &Context, to: Option<String>, from: Option<String>) -> CliResult {
    let dir = context.data_dir.display().to_string();
    // Clap insists on exactly one of the two.
    let (moved, from, to) = match (to, from) {
        (Some(url), None) => {
            context.require_book()?;
            let moved = transfer::to_postgres(&context.data_dir, &url)?;
            let store = moved.store.clone();
            (moved, dir, store)
        }
        (None, Some(url)) => {
            let moved = transfer::from_postgres(&url, &context.data_dir)?;
            let store = moved.store.clone();
            (moved, store, dir)
        }
        _ => return Err(UserError::Message(t("migrate-usage"))),
    };
    print(
        &(tr(
            "migrate-moved",
            &[
                ("events", &moved.events.to_string()),
                ("customers", &moved.customers.to_string()),
                ("users", &moved.users.to_string()),
                ("cycles", &moved.cycles.to_string()),
                ("from", &from),
                ("to", &to),
            ],
        ) + "\n"),
    )
}
