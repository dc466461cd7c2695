//! `crm show ID`: the customer card, as text or as the JSON of CONTRACT.md.

use std::fmt::Write;

use super::backend::Backend;
use super::{print, print_text, CliResult, Context};
use crate::domain::card::Card;
use crate::domain::safe_text::escaped;

pub fn run(context: &Context, id: &str, json: bool) -> CliResult {
    context.require_book()?;
    let mut backend = Backend::open(context)?;
    let card = backend.card(id, context.as_of)?;
    if json {
        print(&(serde_json::to_string_pretty(&card)? + "\n"))
    } else {
        print_text(&render(&card))
    }
}

fn money(value: f64) -> String {
    crate::domain::format::money(value)
}

/// The plain-text card: what a person reads in a terminal or a pasted message. Text from
/// the book is escaped (`safe_text`), so a field never spans lines or drives the terminal.
pub fn render(card: &Card) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({})  owner {}  as of {}",
        escaped(&card.name),
        escaped(&card.id),
        escaped(&card.owner),
        card.as_of
    );
    let lifecycle = if card.second_lifecycle {
        " (won back: second lifecycle)"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "Stage      {}{}   quadrant {}",
        card.stage, lifecycle, card.quadrant
    );
    for line in &card.stage_evidence {
        let _ = writeln!(out, "           - {}", escaped(line));
    }
    let note = card
        .level_note
        .as_deref()
        .map(|n| format!("  ({})", escaped(n)))
        .unwrap_or_default();
    let _ = writeln!(out, "Level      {}{}", card.level, note);
    for bond in &card.bonds {
        let state = if bond.active { "" } else { "  (not active)" };
        let until = bond
            .until
            .map(|u| format!(" until {u}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "           - {} {} since {}{}{}",
            bond.level,
            escaped(&bond.kind),
            bond.since,
            until,
            state
        );
    }
    let _ = writeln!(
        out,
        "Type       recommended {}, actual {}",
        card.relationship_type.recommended, card.relationship_type.actual
    );
    let v = &card.value;
    let share = v
        .share_of_wallet
        .map(|s| format!("{:.0} %", s * 100.0))
        .unwrap_or_else(|| "unknown".into());
    let _ = writeln!(
        out,
        "Value      margin 12m {}  cost to serve {}  CLV {}  CRV {}  share of wallet {}",
        money(v.margin_12m),
        money(v.cost_to_serve),
        money(v.clv),
        money(v.crv),
        share
    );
    let tier = card
        .tier
        .map(|t| t.to_string())
        .unwrap_or_else(|| "-".into());
    let _ = writeln!(out, "Tier       {tier}");
    if let Some(lost) = &card.lost {
        let _ = writeln!(out, "Lost       {} ({})", lost.date, lost.reason);
    }
    let _ = writeln!(out, "\nNext-best-actions");
    if card.next_actions.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for (i, action) in card.next_actions.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {}. [{}] {}  (due {})",
            i + 1,
            action.code,
            escaped(&action.action),
            action.due
        );
        for why in &action.why {
            let _ = writeln!(out, "       because {}", escaped(why));
        }
    }
    if !card.open_tasks.is_empty() {
        let _ = writeln!(out, "\nOpen tasks");
        for task in &card.open_tasks {
            let _ = writeln!(
                out,
                "  {}  {}  ({})",
                task.due,
                escaped(&task.text),
                task.origin
            );
        }
    }
    let _ = writeln!(out, "\nRecent interactions");
    if card.recent_interactions.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for i in card.recent_interactions.iter().take(10) {
        let date = i.at.to_zoned(jiff::tz::TimeZone::UTC).date();
        let sat = i
            .satisfaction
            .map(|s| format!(" sat {s}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {date}  {} {} {} -> {}{}  {}",
            i.channel,
            i.direction,
            i.purpose,
            i.outcome,
            sat,
            escaped(i.note.lines().next().unwrap_or(""))
        );
    }
    out
}
