//! `crm find QUERY`: best first; reads only the search snapshot when it is current.

use super::{print, print_text, CliResult, Context, UserError};
use crate::domain::safe_text::{escaped, tsv_field};
use crate::domain::search::Hit;

pub fn run(context: &Context, query: &str, limit: usize, json: bool) -> CliResult {
    context.require_book()?;
    if query.trim().is_empty() {
        return Err(UserError::Message(crate::i18n::t("cli-find-no-query")));
    }
    // The search snapshot answers when it is current and this is the book's own account
    // (its admin, who reaches every customer); otherwise the book (opened here, or its
    // serving process) does, within the session's reach.
    let quick = match crate::book::access::unix::owns(&context.data_dir) {
        true => context.shelf().quick_find(query, limit),
        false => None,
    };
    let hits: Vec<Hit> = match quick {
        Some(hits) => hits,
        None => super::backend::open(context)?.find(query, limit)?,
    };
    if json {
        return print(&(serde_json::to_string_pretty(&hits)? + "\n"));
    }
    let mut out = String::new();
    for hit in &hits {
        // One line per customer, always two fields: tabs and line breaks in them escaped.
        out.push_str(&format!(
            "{}\t{}\n",
            tsv_field(&hit.id),
            tsv_field(&hit.name)
        ));
    }
    if hits.is_empty() {
        eprintln!(
            "crm: {}",
            crate::i18n::tr("cli-nothing-matches", &[("query", &escaped(query))])
        );
    }
    print_text(&out)
}
