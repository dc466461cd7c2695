//! `crm list`: every customer's line of the book list (stage, tier, top action), in id
//! order; `--json` is the machine-readable classification of the whole book.

use std::fmt::Write;

use super::{print, print_text, CliResult, Context};
use crate::domain::card::Summary;
use crate::domain::safe_text::tsv_field;

pub fn run(context: &Context, json: bool) -> CliResult {
    context.require_book()?;
    let lines = super::backend::open(context)?.summaries(context.as_of)?;
    if json {
        print(&(serde_json::to_string_pretty(&lines)? + "\n"))
    } else {
        print_text(&render(&lines))
    }
}

/// `id  stage  tier  name`, tab-separated; "-" for no tier. Tabs, line breaks and
/// backslashes in fields are escaped (`safe_text::tsv_field`): one line, four fields each.
pub fn render(lines: &[Summary]) -> String {
    let mut out = String::new();
    for line in lines {
        let tier = line.tier.map_or("-".to_string(), |t| t.to_string());
        let _ = writeln!(
            out,
            "{}\t{}\t{tier}\t{}",
            tsv_field(&line.id),
            line.stage,
            tsv_field(&line.name)
        );
    }
    out
}
