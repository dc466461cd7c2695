//! `crm find QUERY`: best first; reads only the search snapshot when it is current.

use super::{print, CliResult, Context, UserError};
use crate::book::Book;

pub fn run(context: &Context, query: &str, limit: usize, json: bool) -> CliResult {
    if query.trim().is_empty() {
        return Err(UserError("find: give a query".into()));
    }
    let hits = Book::quick_find(
        &context.data_dir,
        context.config.clone(),
        &context.user,
        query,
        limit,
    )?;
    if json {
        return print(&(serde_json::to_string_pretty(&hits)? + "\n"));
    }
    let mut out = String::new();
    for hit in &hits {
        out.push_str(&format!("{}\t{}\n", hit.id, hit.name));
    }
    if hits.is_empty() {
        eprintln!("crm: nothing matches '{query}'");
    }
    print(&out)
}
