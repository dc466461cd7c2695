//! `crm correct ID --at DATETIME ...`: corrects a logged contact, keeping the old version
//! (DOMAIN.md §1). The options given replace the contact's fields; the others are kept.

use serde::Serialize;

use super::args::CorrectArgs;
use super::{print, print_text, CliResult, Context};
use crate::book::BookError;
use crate::domain::model::Interaction;
use crate::domain::safe_text::escaped;
use crate::domain::text::Text;
use crate::i18n::tr;

#[derive(Serialize)]
struct Corrected<'a> {
    customer: &'a str,
    previous: &'a Interaction,
    corrected: &'a Interaction,
}

pub fn run(context: &Context, args: CorrectArgs) -> CliResult {
    context.require_book()?;
    let mut api = super::backend::open(context)?;
    let id = api.resolve(&args.id)?;
    let account = api.account(&id)?;
    let found = match args.at {
        Some(at) => account.interactions.iter().rev().find(|i| i.at == at),
        None => account.interactions.last(),
    };
    let previous = found.cloned().ok_or_else(|| {
        let at = args
            .at
            .map_or_else(|| "any time".to_string(), |at| at.to_string());
        BookError::refused(format!(
            "{id} has no contact at {at}: `crm show {id} --json` lists the contacts' times"
        ))
        .with(
            Text::new("err-no-contact-at")
                .arg("customer", &id)
                .arg("at", at),
        )
    })?;
    let at = previous.at;
    let corrected = corrected(&previous, &args);
    api.correct_contact(&id, &previous, corrected.clone())?;
    if args.json {
        let out = Corrected {
            customer: &id,
            previous: &previous,
            corrected: &corrected,
        };
        return print(&(serde_json::to_string_pretty(&out)? + "\n"));
    }
    let line = tr(
        "cli-corrected",
        &[("customer", &escaped(&id)), ("at", &at.to_string())],
    );
    print_text(&(line + "\n"))
}

/// `previous` with the fields the options give.
fn corrected(previous: &Interaction, args: &CorrectArgs) -> Interaction {
    let mut out = previous.clone();
    if let Some(channel) = args.channel {
        out.channel = channel;
    }
    if let Some(direction) = args.direction {
        out.direction = direction;
    }
    if let Some(outcome) = args.outcome {
        out.outcome = outcome;
    }
    if let Some(purpose) = args.purpose {
        out.purpose = purpose;
    }
    if args.no_satisfaction {
        out.satisfaction = None;
    } else if args.satisfaction.is_some() {
        out.satisfaction = args.satisfaction;
    }
    if args.no_signals {
        out.signals.clear();
    } else if !args.signals.is_empty() {
        out.signals = args.signals.clone();
    }
    if let Some(note) = &args.note {
        out.note = note.trim().to_string();
    }
    if args.no_follow_up {
        out.follow_up = None;
    } else if args.follow_up.is_some() {
        out.follow_up = args.follow_up;
    }
    out
}
