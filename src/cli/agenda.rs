//! `crm agenda`: due and overdue follow-ups first, then the top next-best-actions.

use std::fmt::Write;

use super::{print, print_text, CliResult, Context};
use crate::domain::agenda::Agenda;
use crate::domain::safe_text::escaped;

pub fn run(context: &Context, json: bool, owner: Option<&str>) -> CliResult {
    context.require_book()?;
    let agenda = super::backend::open(context)?.agenda(context.as_of, owner)?;
    if json {
        print(&(serde_json::to_string_pretty(&agenda)? + "\n"))
    } else {
        print_text(&render(&agenda))
    }
}

pub fn render(agenda: &Agenda) -> String {
    let mut out = String::new();
    let whose = agenda
        .owner
        .as_deref()
        .map(|o| format!(" for {}", escaped(o)))
        .unwrap_or_default();
    let _ = writeln!(out, "Agenda{whose} as of {}", agenda.as_of);
    let _ = writeln!(
        out,
        "\nFollow-ups due or overdue ({} of {})",
        agenda.follow_ups.len(),
        agenda.follow_ups_total
    );
    if agenda.follow_ups.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for f in &agenda.follow_ups {
        let late = if f.days_overdue > 0 {
            format!("{} d overdue", f.days_overdue)
        } else {
            "due today".to_string()
        };
        let _ = writeln!(
            out,
            "  {}  {:<14} {} ({})  {}",
            f.due,
            late,
            escaped(&f.name),
            escaped(&f.customer),
            escaped(&f.text)
        );
    }
    let _ = writeln!(
        out,
        "\nNext-best-actions ({} of {})",
        agenda.actions.len(),
        agenda.actions_total
    );
    if agenda.actions.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for a in &agenda.actions {
        let _ = writeln!(
            out,
            "  {}  [{}] {} ({}): {}",
            a.due,
            a.code,
            escaped(&a.name),
            escaped(&a.customer),
            escaped(&a.action)
        );
        if let Some(why) = a.why.first() {
            let _ = writeln!(out, "        because {}", escaped(why));
        }
    }
    out
}
