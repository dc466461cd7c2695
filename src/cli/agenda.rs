//! `crm agenda`: due and overdue follow-ups first, then the top next-best-actions.

use super::show::said_or;
use crate::i18n::{t, tr};
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
        .map(|o| tr("cli-agenda-for", &[("owner", &escaped(o))]))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{}",
        tr(
            "cli-agenda-title",
            &[("whose", &whose), ("date", &agenda.as_of.to_string())],
        )
    );
    let _ = writeln!(
        out,
        "\n{}",
        tr(
            "cli-agenda-follow-ups",
            &[
                ("shown", &agenda.follow_ups.len().to_string()),
                ("total", &agenda.follow_ups_total.to_string()),
            ],
        )
    );
    if agenda.follow_ups.is_empty() {
        let _ = writeln!(out, "{}", t("show-none"));
    }
    for f in &agenda.follow_ups {
        let late = if f.days_overdue > 0 {
            tr("cli-agenda-overdue", &[("n", &f.days_overdue.to_string())])
        } else {
            t("cli-agenda-due-today")
        };
        // Padded by display width: the Chinese words are double width.
        let pad = 14usize.saturating_sub(unicode_width::UnicodeWidthStr::width(late.as_str()));
        let _ = writeln!(
            out,
            "  {}  {}{} {} ({})  {}",
            f.due,
            late,
            " ".repeat(pad),
            escaped(&f.name),
            escaped(&f.customer),
            escaped(&f.text)
        );
    }
    if !agenda.this_week.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            tr(
                "cli-agenda-this-week",
                &[
                    ("shown", &agenda.this_week.len().to_string()),
                    ("total", &agenda.this_week_total.to_string()),
                ],
            )
        );
    }
    for f in &agenda.this_week {
        let _ = writeln!(
            out,
            "  {}  {} ({})  {}",
            f.due,
            escaped(&f.name),
            escaped(&f.customer),
            escaped(&f.text)
        );
    }
    let _ = writeln!(
        out,
        "\n{}",
        tr(
            "cli-agenda-actions",
            &[
                ("shown", &agenda.actions.len().to_string()),
                ("total", &agenda.actions_total.to_string()),
            ],
        )
    );
    if agenda.actions.is_empty() {
        let _ = writeln!(out, "{}", t("show-none"));
    }
    for a in &agenda.actions {
        let _ = writeln!(
            out,
            "  {}  [{}] {} ({}): {}",
            a.due,
            a.code,
            escaped(&a.name),
            escaped(&a.customer),
            escaped(&said_or(Some(&a.action_said), &a.action))
        );
        if let Some(why) = a.why.first() {
            let why = said_or(a.why_said.first(), why);
            let _ = writeln!(
                out,
                "        {}",
                tr("show-because", &[("why", &escaped(&why))])
            );
        }
    }
    out
}
