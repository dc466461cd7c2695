//! `crm log ID ...`: the command line has checked every field (a bad value is a usage
//! error); returns only once the contact is durable.

use crate::i18n::tr;
use jiff::Timestamp;

use super::args::LogArgs;
use super::{print, print_text, CliResult, Context};
use crate::domain::model::Interaction;
use crate::domain::safe_text::escaped;

pub fn run(context: &Context, args: LogArgs) -> CliResult {
    context.require_book()?;
    let mut api = super::backend::open(context)?;
    let interaction = Interaction {
        at: args.at.unwrap_or_else(Timestamp::now),
        channel: args.channel,
        direction: args.direction,
        purpose: args.purpose,
        outcome: args.outcome,
        satisfaction: args.satisfaction,
        signals: args.signals,
        note: args.note.trim().to_string(),
        follow_up: args.follow_up,
        // Whom the book records: a served book names the kernel's login (and the server
        // writes that whatever a client sends).
        author: api.actor().to_string(),
    };
    let id = api.resolve(&args.id)?;
    let receipt = api.log_contact(&id, interaction)?;
    if args.json {
        return print(&(serde_json::to_string_pretty(&receipt)? + "\n"));
    }
    let mut line = tr("cli-logged", &[("customer", &escaped(&receipt.customer))]);
    if let Some(task) = receipt.follow_up_task {
        line.push_str(&tr("cli-follow-up-opened", &[("task", &task.to_string())]));
    }
    if !receipt.closed_tasks.is_empty() {
        let ids: Vec<String> = receipt.closed_tasks.iter().map(u64::to_string).collect();
        line.push_str(&tr("cli-closed-follow-ups", &[("ids", &ids.join(", "))]));
    }
    print_text(&(line + "\n"))
}
