//! The customer card as lines: an overview (stage, ladder, relationship, value, profile,
//! margin chart) and the selectable items (actions, tasks, timeline, cycles). Wide screens
//! put the overview in a fixed left column; narrow ones stack everything in one scrolling
//! column. The layout has no item selected (`document::Laid`); update (to keep the cursor
//! in view) and render share it through `CardState::layouts`.

use crate::i18n::{
    action_label, bond_level_label, channel_label, customer_kind_label, direction_label,
    level_label, lost_reason_label, metric_words, outcome_words, phase_label, purpose_words,
    relationship_label, say_words, signal_label, stage_label, t, task_text_words, tier_label, tr,
};
use jiff::tz::TimeZone;
use ratatui::style::Style;
use ratatui::text::Line;
use std::sync::Arc;

use crate::domain::card::{Card, MonthMargin, Quadrant};
use crate::domain::model::{BondLevel, Interaction};
use crate::tui::card::state::{CardState, Item};
use crate::tui::document::{item_first_line, Laid};
use crate::tui::text;
use crate::tui::theme::Theme;

/// From this width on, the overview gets its own column.
pub const WIDE: u16 = 110;
pub const LEFT_WIDTH: u16 = 52;

/// The card laid out at `width`, made once per width and content.
pub fn laid(state: &CardState, width: u16, theme: &Theme) -> Arc<Laid> {
    state.layouts.get(width, || layout(state, width, theme))
}

fn layout(state: &CardState, width: u16, theme: &Theme) -> Laid {
    let card = &state.card;
    let wide = width >= WIDE;
    let column = if wide { width - LEFT_WIDTH - 1 } else { width };
    let w = usize::from(column);
    let (first, first_items, mut selected_first) = items(state, Part::ActionsAndTasks, w, theme);
    let (second, second_items, second_selected) = items(state, Part::TimelineAndCycles, w, theme);
    selected_first.extend(second_selected);
    if wide {
        let lw = usize::from(LEFT_WIDTH);
        let mut left = super::conflicts::lines(card, lw, theme);
        left.extend(super::call::lines(card, lw, theme));
        left.extend(overview(card, lw, theme));
        left.extend(profile(card, lw, theme));
        left.extend(chart(&card.monthly_margin, lw, theme));
        let mut lines = first;
        let skip = lines.len();
        lines.extend(second);
        let item_lines = first_items
            .into_iter()
            .chain(second_items.into_iter().map(|(a, b)| (a + skip, b + skip)))
            .collect();
        Laid {
            left: Some(left),
            lines,
            item_lines,
            selected_first,
        }
    } else {
        // The call-time order: who to talk to and what was said last, what to do first,
        // then where the customer stands, the history after, the profile last.
        let mut lines = super::conflicts::lines(card, w, theme);
        lines.extend(super::call::lines(card, w, theme));
        let first_at = lines.len();
        lines.extend(first);
        lines.extend(overview(card, w, theme));
        lines.extend(chart(&card.monthly_margin, w, theme));
        let second_at = lines.len();
        lines.extend(second);
        lines.extend(profile(card, w, theme));
        let item_lines = first_items
            .into_iter()
            .map(|(a, b)| (a + first_at, b + first_at))
            .chain(
                second_items
                    .into_iter()
                    .map(|(a, b)| (a + second_at, b + second_at)),
            )
            .collect();
        Laid {
            left: None,
            lines,
            item_lines,
            selected_first,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    ActionsAndTasks,
    TimelineAndCycles,
}

/// A domain message in the reader's language, or its English line when the card has no
/// message for it (one read back from JSON).
pub fn said_or(said: &crate::domain::text::Text, english: &str) -> String {
    if said.key.is_empty() {
        english.to_string()
    } else {
        say_words(said)
    }
}

/// "none" under an empty heading, indented.
fn none(theme: &Theme) -> Line<'static> {
    Line::styled(format!("  {}", t("card-none")), theme.muted)
}

fn heading(title: &str, width: usize, theme: &Theme) -> Line<'static> {
    Line::styled(text::truncate(title, width, theme.ellipsis()), theme.header)
}

/// `s` word-wrapped to `width`, each line after an indent.
fn wrapped(s: &str, indent: usize, width: usize, style: Style) -> Vec<Line<'static>> {
    let pad = " ".repeat(indent);
    text::wrap(
        &text::clean_keep_newlines(s),
        width.saturating_sub(indent).max(1),
    )
    .into_iter()
    .map(|l| Line::styled(format!("{pad}{l}"), style))
    .collect()
}

fn quadrant_words(q: Quadrant) -> String {
    t(match q {
        Quadrant::I => "quadrant-i",
        Quadrant::II => "quadrant-ii",
        Quadrant::III => "quadrant-iii",
        Quadrant::IV => "quadrant-iv",
    })
}

fn overview(card: &Card, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let won_back = if card.second_lifecycle {
        t("card-second-lifecycle")
    } else {
        String::new()
    };
    out.push(heading(
        &tr(
            "card-stage",
            &[
                ("stage", &stage_label(card.stage)),
                ("second", &won_back),
                ("quadrant", card.quadrant.code()),
                ("words", &quadrant_words(card.quadrant)),
            ],
        ),
        w,
        theme,
    ));
    for (i, evidence) in card.stage_evidence.iter().enumerate() {
        // The message when the card has it (a card read back from JSON has only English).
        let said = card
            .stage_evidence_said
            .get(i)
            .map_or_else(|| evidence.clone(), say_words);
        out.extend(wrapped(&format!("- {said}"), 2, w, theme.base));
    }
    if let Some(lost) = &card.lost {
        out.extend(wrapped(
            &tr(
                "card-lost-on",
                &[
                    ("date", &lost.date.to_string()),
                    ("reason", &lost_reason_label(lost.reason)),
                ],
            ),
            2,
            w,
            theme.bad,
        ));
    }

    out.push(heading(
        &tr("card-level", &[("level", &level_label(card.level))]),
        w,
        theme,
    ));
    let has = |level: BondLevel| card.bonds.iter().any(|b| b.active && b.level == level);
    let rung = |level: BondLevel| {
        let mark = if has(level) { "[x]" } else { "[ ]" };
        format!("{mark} {}", bond_level_label(level))
    };
    out.extend(wrapped(
        &format!(
            "{}  {}  {}",
            rung(BondLevel::Financial),
            rung(BondLevel::Social),
            rung(BondLevel::Structural)
        ),
        2,
        w,
        theme.base,
    ));
    if let Some(note) = &card.level_note {
        let note = card
            .level_note_said
            .as_ref()
            .map_or_else(|| note.clone(), |said| said_or(said, note));
        out.extend(wrapped(&note, 2, w, theme.warn));
    }
    for bond in &card.bonds {
        let until = bond
            .until
            .map(|u| tr("card-bond-until", &[("date", &u.to_string())]))
            .unwrap_or_default();
        let style = if bond.active { theme.base } else { theme.muted };
        out.extend(wrapped(
            &tr(
                "card-bond",
                &[
                    ("level", &bond_level_label(bond.level)),
                    ("kind", &bond.kind),
                    ("since", &bond.since.to_string()),
                    ("until", &until),
                ],
            ),
            2,
            w,
            style,
        ));
    }

    let types = &card.relationship_type;
    let gap = types.actual < types.recommended;
    out.push(heading(&t("card-relationship"), w, theme));
    out.extend(wrapped(
        &tr(
            "card-relationship-types",
            &[
                ("recommended", &relationship_label(types.recommended)),
                ("actual", &relationship_label(types.actual)),
                ("below", &if gap { t("card-below") } else { String::new() }),
            ],
        ),
        2,
        w,
        if gap { theme.warn } else { theme.base },
    ));

    let v = &card.value;
    let tier = card.tier.map_or_else(|| t("card-tier-none"), tier_label);
    out.push(heading(&tr("card-value", &[("tier", &tier)]), w, theme));
    let wallet = v
        .share_of_wallet
        .map(text::percent)
        .unwrap_or_else(|| "?".into());
    for row in [
        tr(
            "card-value-margin",
            &[
                ("margin", &text::money(v.margin_12m)),
                ("revenue", &text::money(v.revenue_12m)),
            ],
        ),
        tr(
            "card-value-clv",
            &[
                ("clv", &text::money(v.clv)),
                ("crv", &text::money(v.crv)),
                ("cost", &text::money(v.cost_to_serve)),
            ],
        ),
        tr(
            "card-value-wallet",
            &[
                ("wallet", &wallet),
                ("potential", &text::money(v.potential)),
                ("retention", &text::percent(v.retention_rate)),
            ],
        ),
    ] {
        out.extend(wrapped(&row, 2, w, theme.base));
    }

    out
}

fn profile(card: &Card, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![heading(&t("card-profile"), w, theme)];
    let spend = card
        .category_spend
        .map(|s| tr("card-category-spend", &[("spend", &text::money(s))]))
        .unwrap_or_default();
    let segment = if card.segment.is_empty() {
        t("card-no-segment")
    } else {
        card.segment.clone()
    };
    out.extend(wrapped(
        &format!("{} · {segment}{spend}", customer_kind_label(card.kind)),
        2,
        w,
        theme.base,
    ));
    if !card.tags.is_empty() {
        out.extend(wrapped(
            &tr("card-tags", &[("tags", &card.tags.join(", "))]),
            2,
            w,
            theme.muted,
        ));
    }
    if card.contacts.is_empty() {
        out.extend(wrapped(&t("card-no-contact-person"), 2, w, theme.muted));
    }
    for c in &card.contacts {
        let parts: Vec<&str> = [c.name.as_str(), &c.role, &c.phone, &c.email]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect();
        out.extend(wrapped(&parts.join(", "), 2, w, theme.base));
    }
    if !card.note.trim().is_empty() {
        out.extend(wrapped(card.note.trim(), 2, w, theme.muted));
    }
    out
}

/// Monthly margin as a bar chart of block glyphs, four rows high.
fn chart(months: &[MonthMargin], w: usize, theme: &Theme) -> Vec<Line<'static>> {
    const HEIGHT: usize = 4;
    let max = months.iter().map(|m| m.margin).fold(0.0_f64, f64::max);
    let mut out = vec![heading(
        &tr(
            "card-margin-chart",
            &[
                ("months", &months.len().to_string()),
                ("top", &text::compact(max)),
            ],
        ),
        w,
        theme,
    )];
    if months.is_empty() || max <= 0.0 {
        out.push(Line::styled(
            format!("  {}", t("card-no-margin")),
            theme.muted,
        ));
        return out;
    }
    let room = w.saturating_sub(2);
    let col = if months.len() * 2 <= room { 2 } else { 1 };
    let shown = months.len().min(room / col);
    let months = &months[months.len() - shown..];
    let glyphs = theme.bar_glyphs();
    for row in 0..HEIGHT {
        let floor = (HEIGHT - 1 - row) * 8;
        let mut s = String::from("  ");
        for m in months {
            let eighths = ((m.margin.max(0.0) / max) * (HEIGHT * 8) as f64).round() as usize;
            let glyph = glyphs[eighths.saturating_sub(floor).min(8)];
            s.push_str(glyph);
            if col == 2 {
                s.push(' ');
            }
        }
        out.push(Line::styled(s, theme.bar));
    }
    if let (Some(first), Some(last)) = (months.first(), months.last()) {
        let span = shown * col;
        let gap = span.saturating_sub(first.month.len() + last.month.len());
        out.push(Line::styled(
            format!("  {}{}{}", first.month, " ".repeat(gap), last.month),
            theme.muted,
        ));
    }
    out
}

/// One part's lines, each item's `[start, end)` lines, and each item's first line as drawn
/// when selected.
type Items = (Vec<Line<'static>>, Vec<(usize, usize)>, Vec<Line<'static>>);

fn items(state: &CardState, part: Part, w: usize, theme: &Theme) -> Items {
    let card = &state.card;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut spans = Vec::new();
    let mut selected_first = Vec::new();
    // Adds an item: its first line carries a marker's room and, drawn selected, the marker
    // and the selection.
    let mut push = |lines: &mut Vec<Line<'static>>,
                    _item: Item,
                    first: String,
                    rest: Vec<Line<'static>>,
                    style: Style| {
        let start = lines.len();
        let (line, selected) = item_first_line(&first, style, w, theme);
        selected_first.push(selected);
        lines.push(line);
        lines.extend(rest);
        spans.push((start, lines.len()));
    };

    if part == Part::TimelineAndCycles {
        timeline_and_cycles(state, &mut lines, &mut push, w, theme);
        return (lines, spans, selected_first);
    }
    lines.push(heading(&t("card-actions"), w, theme));
    if card.next_actions.is_empty() {
        lines.push(none(theme));
    }
    for (i, action) in card.next_actions.iter().enumerate() {
        let mut rest = wrapped(
            &said_or(&action.action_said, &action.action),
            4,
            w,
            theme.base,
        );
        for (j, why) in action.why.iter().enumerate() {
            let why = action
                .why_said
                .get(j)
                .map_or_else(|| why.clone(), |said| said_or(said, why));
            rest.extend(wrapped(
                &tr("card-because", &[("why", &why)]),
                4,
                w,
                theme.muted,
            ));
        }
        let first = tr(
            "card-action-line",
            &[
                ("n", &(i + 1).to_string()),
                ("code", &action_label(action.code)),
                ("due", &action.due.to_string()),
            ],
        );
        push(&mut lines, Item::Action(i), first, rest, theme.key);
    }

    lines.push(heading(&t("card-tasks"), w, theme));
    if card.open_tasks.is_empty() {
        lines.push(none(theme));
    }
    for (i, task) in card.open_tasks.iter().enumerate() {
        let late = task.due < card.as_of;
        let first = tr(
            "card-task-line",
            &[
                ("due", &task.due.to_string()),
                ("text", &task_text_words(&task.text)),
            ],
        );
        let style = if late { theme.bad } else { theme.base };
        push(&mut lines, Item::Task(i), first, Vec::new(), style);
    }

    (lines, spans, selected_first)
}

type Push<'a> = dyn FnMut(&mut Vec<Line<'static>>, Item, String, Vec<Line<'static>>, Style) + 'a;

/// A contact's first line: its (UTC) day, channel, direction, purpose and outcome.
fn contact_line(contact: &Interaction, theme: &Theme) -> String {
    // Interactions count by their UTC day (the engine's rule), so show that day.
    let when = contact.at.to_zoned(TimeZone::UTC).date();
    let satisfaction = contact
        .satisfaction
        .map(|s| tr("card-satisfaction", &[("n", &s.to_string())]))
        .unwrap_or_default();
    let arrow = if theme.ascii { "->" } else { "→" };
    format!(
        "{when} {} {} {} {arrow} {}{satisfaction}",
        channel_label(contact.channel),
        direction_label(contact.direction),
        purpose_words(contact.purpose),
        outcome_words(contact.outcome)
    )
}

/// A contact's signals, note and follow-up, indented by `indent`.
fn contact_details(
    contact: &Interaction,
    indent: usize,
    w: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut rest = Vec::new();
    if !contact.signals.is_empty() {
        let signals: Vec<String> = contact.signals.iter().map(|s| signal_label(*s)).collect();
        rest.extend(wrapped(
            &tr("card-signals", &[("signals", &signals.join(", "))]),
            indent,
            w,
            theme.warn,
        ));
    }
    if !contact.note.trim().is_empty() {
        rest.extend(wrapped(contact.note.trim(), indent, w, theme.base));
    }
    if let Some(follow_up) = contact.follow_up {
        rest.extend(wrapped(
            &tr("card-follow-up", &[("date", &follow_up.to_string())]),
            indent,
            w,
            theme.muted,
        ));
    }
    rest
}

/// Under a corrected contact: who corrected it and when (the last correction), and, when
/// asked (`v`), each earlier version, oldest first (DOMAIN.md: corrections keep the old
/// version).
fn corrections(
    state: &CardState,
    contact: &Interaction,
    w: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let made = state.card.corrections_of(contact);
    let Some(last) = made.last() else {
        return Vec::new();
    };
    let day = |at: jiff::Timestamp| at.to_zoned(TimeZone::UTC).date().to_string();
    let shown = state.shows_versions(contact);
    let key = if shown {
        "card-corrected-shown"
    } else {
        "card-corrected"
    };
    let mut lines = wrapped(
        &tr(key, &[("date", &day(last.on)), ("login", &last.by)]),
        4,
        w,
        theme.muted,
    );
    if shown {
        for c in made {
            lines.extend(wrapped(
                &tr(
                    "card-version-before",
                    &[("date", &day(c.on)), ("login", &c.by)],
                ),
                4,
                w,
                theme.muted,
            ));
            lines.extend(wrapped(
                &contact_line(&c.previous, theme),
                6,
                w,
                theme.muted,
            ));
            lines.extend(contact_details(&c.previous, 6, w, theme));
        }
    }
    lines
}

fn timeline_and_cycles(
    state: &CardState,
    lines: &mut Vec<Line<'static>>,
    push: &mut Push<'_>,
    w: usize,
    theme: &Theme,
) {
    let card = &state.card;
    lines.push(heading(&t("card-timeline"), w, theme));
    if card.recent_interactions.is_empty() {
        lines.push(Line::styled(
            format!("  {}", t("card-no-contact-yet")),
            theme.muted,
        ));
    }
    for (i, contact) in card.recent_interactions.iter().enumerate() {
        let first = contact_line(contact, theme);
        let mut rest = contact_details(contact, 4, w, theme);
        rest.extend(corrections(state, contact, w, theme));
        push(lines, Item::Contact(i), first, rest, theme.base);
    }

    lines.push(heading(&t("card-cycles"), w, theme));
    if card.cycles.is_empty() {
        lines.push(none(theme));
    }
    for (i, cycle) in card.cycles.iter().enumerate() {
        let metric = cycle
            .metric
            .map(|m| format!(" · {}", metric_words(m)))
            .unwrap_or_default();
        let first = format!(
            "#{} {} · {}{metric}",
            cycle.id,
            phase_label(cycle.phase),
            cycle.title
        );
        push(lines, Item::Cycle(i), first, Vec::new(), theme.base);
    }
}
