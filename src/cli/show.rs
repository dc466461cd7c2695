//! `crm show ID`: the customer card, as text or as the JSON of CONTRACT.md.

use std::fmt::Write;

use super::{print, print_text, CliResult, Context};
use crate::book::audit::AuditFilter;
use crate::domain::card::Card;
use crate::domain::safe_text::escaped;
use crate::domain::text::Text;
use crate::i18n::{
    bond_level_label, channel_label, direction_label, level_label, lost_reason_label,
    outcome_label, profile_field_words, purpose_label, relationship_label, say, stage_label, t,
    tier_label, tr,
};

pub fn run(context: &Context, id: &str, json: bool) -> CliResult {
    context.require_book()?;
    let mut api = super::backend::open(context)?;
    let card = super::backend::card(&mut *api, id, context.as_of)?;
    let history = api.audit(&AuditFilter {
        customer: Some(card.id.clone()),
        last: Some(HISTORY),
        ..AuditFilter::default()
    })?;
    if json {
        // The contract's card, plus its change history (an addition: `history`).
        let mut value = serde_json::to_value(&card)?;
        if let Some(fields) = value.as_object_mut() {
            fields.insert("history".into(), serde_json::to_value(&history)?);
        }
        print(&(serde_json::to_string_pretty(&value)? + "\n"))
    } else {
        let mut text = render(&card);
        let _ = writeln!(text, "\n{}", t("show-history"));
        if history.is_empty() {
            let _ = writeln!(text, "{}", t("show-none"));
        }
        text.push_str(&super::audit::history_lines(&history));
        print_text(&text)
    }
}

/// How many of a customer's last changes the card shows.
const HISTORY: usize = 10;

fn money(value: f64) -> String {
    crate::domain::format::money(value)
}

/// A label of the text card's left column, padded by display width (a Chinese label is
/// double width) to the column the English labels fill.
fn label(key: &str) -> String {
    const COLUMN: usize = 11;
    let text = t(key);
    let width = unicode_width::UnicodeWidthStr::width(text.as_str());
    format!("{text}{}", " ".repeat(COLUMN.saturating_sub(width).max(1)))
}

/// A domain message in the reader's language, or its English line when the card has none
/// (one that came over the socket as JSON).
pub(super) fn said_or(said: Option<&Text>, english: &str) -> String {
    match said {
        Some(said) if !said.key.is_empty() => say(said),
        _ => english.to_string(),
    }
}

/// The plain-text card: what a person reads in a terminal or a pasted message. Text from
/// the book is escaped (`safe_text`), so a field never spans lines or drives the terminal.
pub fn render(card: &Card) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        tr(
            "show-head",
            &[
                ("name", &escaped(&card.name)),
                ("id", &escaped(&card.id)),
                ("owner", &escaped(&card.owner)),
                ("date", &card.as_of.to_string()),
            ],
        )
    );
    let lifecycle = if card.second_lifecycle {
        t("show-won-back")
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "{}{}{}   {}",
        label("show-stage"),
        stage_label(card.stage),
        lifecycle,
        tr("show-quadrant", &[("quadrant", card.quadrant.code())])
    );
    for (i, line) in card.stage_evidence.iter().enumerate() {
        let line = said_or(card.stage_evidence_said.get(i), line);
        let _ = writeln!(out, "           - {}", escaped(&line));
    }
    let note = card
        .level_note
        .as_deref()
        .map(|n| {
            format!(
                "  ({})",
                escaped(&said_or(card.level_note_said.as_ref(), n))
            )
        })
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{}{}{}",
        label("show-level"),
        level_label(card.level),
        note
    );
    for bond in &card.bonds {
        let state = if bond.active {
            String::new()
        } else {
            t("show-not-active")
        };
        let until = bond
            .until
            .map(|u| tr("card-bond-until", &[("date", &u.to_string())]))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "           - {}",
            tr(
                "show-bond",
                &[
                    ("level", &bond_level_label(bond.level)),
                    ("kind", &escaped(&bond.kind)),
                    ("since", &bond.since.to_string()),
                    ("until", &until),
                    ("state", &state),
                ],
            )
        );
    }
    let _ = writeln!(
        out,
        "{}{}",
        label("show-type"),
        tr(
            "show-types",
            &[
                (
                    "recommended",
                    &relationship_label(card.relationship_type.recommended)
                ),
                ("actual", &relationship_label(card.relationship_type.actual)),
            ],
        )
    );
    let v = &card.value;
    let share = v
        .share_of_wallet
        .map(|s| format!("{:.0} %", s * 100.0))
        .unwrap_or_else(|| t("show-unknown"));
    let _ = writeln!(
        out,
        "{}{}",
        label("show-value"),
        tr(
            "show-values",
            &[
                ("margin", &money(v.margin_12m)),
                ("cost", &money(v.cost_to_serve)),
                ("clv", &money(v.clv)),
                ("crv", &money(v.crv)),
                ("share", &share),
            ],
        )
    );
    let tier = card.tier.map_or_else(|| "-".to_string(), tier_label);
    let _ = writeln!(out, "{}{tier}", label("show-tier"));
    if let Some(lost) = &card.lost {
        let _ = writeln!(
            out,
            "{}{} ({})",
            label("show-lost"),
            lost.date,
            lost_reason_label(lost.reason)
        );
    }
    if !card.changed_on_two_devices.is_empty() {
        // The fields in words, as the console says them (`--json` keeps the codes).
        let fields: Vec<String> = card
            .changed_on_two_devices
            .iter()
            .map(|f| escaped(&profile_field_words(f)).into_owned())
            .collect();
        let fields = fields.join(&t("ev-list-separator"));
        let _ = writeln!(out, "{}", tr("show-two-devices", &[("fields", &fields)]));
    }
    if card.lost_but_contacted {
        let _ = writeln!(out, "{}", t("show-lost-but-contacted"));
    }
    let _ = writeln!(out, "\n{}", t("show-actions"));
    if card.next_actions.is_empty() {
        let _ = writeln!(out, "{}", t("show-none"));
    }
    for (i, action) in card.next_actions.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {}. [{}] {}  ({})",
            i + 1,
            action.code,
            escaped(&said_or(Some(&action.action_said), &action.action)),
            tr("show-action", &[("due", &action.due.to_string())])
        );
        for (j, why) in action.why.iter().enumerate() {
            let why = said_or(action.why_said.get(j), why);
            let _ = writeln!(
                out,
                "       {}",
                tr("show-because", &[("why", &escaped(&why))])
            );
        }
    }
    if !card.open_tasks.is_empty() {
        let _ = writeln!(out, "\n{}", t("show-tasks"));
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
    let _ = writeln!(out, "\n{}", t("show-interactions"));
    if card.recent_interactions.is_empty() {
        let _ = writeln!(out, "{}", t("show-none"));
    }
    for i in card.recent_interactions.iter().take(10) {
        let date = i.at.to_zoned(jiff::tz::TimeZone::UTC).date();
        let sat = i
            .satisfaction
            .map(|s| tr("show-sat", &[("n", &s.to_string())]))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {date}  {} {} {} -> {}{}  {}",
            channel_label(i.channel),
            direction_label(i.direction),
            purpose_label(i.purpose),
            outcome_label(i.outcome),
            sat,
            escaped(i.note.lines().next().unwrap_or(""))
        );
        // A corrected contact says so, with what it said before each correction.
        for c in card.corrections_of(i) {
            let on = c.on.to_zoned(jiff::tz::TimeZone::UTC).date().to_string();
            let before = c.previous.note.lines().next().unwrap_or("");
            let _ = writeln!(
                out,
                "    {}",
                tr(
                    "show-corrected",
                    &[
                        ("date", &on),
                        ("login", &escaped(&c.by)),
                        ("outcome", &outcome_label(c.previous.outcome)),
                        ("note", &escaped(before)),
                    ],
                )
            );
        }
    }
    out
}
