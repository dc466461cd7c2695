//! `crm find QUERY`: best first; reads only the search snapshot when it is current.

use super::{print, print_text, CliResult, Context, UserError};
use crate::book::remote::{socket_path, Client, Request};
use crate::book::Book;
use crate::domain::safe_text::{escaped, tsv_field};
use crate::domain::search::Hit;

pub fn run(context: &Context, query: &str, limit: usize, json: bool) -> CliResult {
    context.require_book()?;
    if query.trim().is_empty() {
        return Err(UserError::Message("find: give a query".into()));
    }
    let quick = Book::quick_find(
        &context.data_dir,
        context.config.clone(),
        &context.user,
        query,
        limit,
    );
    let hits: Vec<Hit> = match quick {
        Ok(hits) => hits,
        // The book is owned by a serving process: ask it.
        Err(error) => match Client::connect(&socket_path(&context.data_dir)) {
            Ok(mut client) => client.call(&Request::Find {
                query: query.to_string(),
                limit,
            })?,
            Err(_) => return Err(error.into()),
        },
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
        eprintln!("crm: nothing matches '{}'", escaped(query));
    }
    print_text(&out)
}
