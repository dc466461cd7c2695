//! `crm list`: every customer's line of the book list (stage, tier, top action), in id
//! order; `--json` is the machine-readable classification of the whole book.

use std::fmt::Write;

use super::backend::Backend;
use super::{print, CliResult, Context};
use crate::domain::card::Summary;

pub fn run(context: &Context, json: bool) -> CliResult {
    let lines = Backend::open(context)?.list(context.as_of)?;
    if json {
        print(&(serde_json::to_string_pretty(&lines)? + "\n"))
    } else {
        print(&render(&lines))
    }
}

/// `id  stage  tier  name`, tab-separated; "-" for no tier.
pub fn render(lines: &[Summary]) -> String {
    let mut out = String::new();
    for line in lines {
        let tier = line.tier.map_or("-".to_string(), |t| t.to_string());
        let _ = writeln!(out, "{}\t{}\t{tier}\t{}", line.id, line.stage, line.name);
    }
    out
}
