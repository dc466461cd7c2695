//! The customer card as lines: an overview (stage, ladder, relationship, value, profile,
//! margin chart) and the selectable items (actions, tasks, timeline, cycles). Wide screens
//! put the overview in a fixed left column; narrow ones stack everything in one scrolling
//! column. `update` uses the same layout to keep the cursor in view.

use jiff::tz::TimeZone;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::domain::card::{Card, MonthMargin, Quadrant};
use crate::domain::model::BondLevel;
use crate::tui::app::{CardState, Item};
use crate::tui::text;
use crate::tui::theme::Theme;

/// From this width on, the overview gets its own column.
pub const WIDE: u16 = 110;
pub const LEFT_WIDTH: u16 = 52;

pub struct CardLayout {
    /// The fixed left column (wide screens only).
    pub left: Option<Vec<Line<'static>>>,
    /// The scrolling column.
    pub lines: Vec<Line<'static>>,
    pub column_width: u16,
    /// `[start, end)` lines of each item of `CardState::items()`, in that order.
    pub item_lines: Vec<(usize, usize)>,
}

pub fn layout(state: &CardState, width: u16, theme: &Theme) -> CardLayout {
    let card = &state.card;
    let wide = width >= WIDE;
    let column = if wide { width - LEFT_WIDTH - 1 } else { width };
    let w = usize::from(column);
    let (first, first_items) = items(state, Part::ActionsAndTasks, w, theme);
    let (second, second_items) = items(state, Part::TimelineAndCycles, w, theme);
    if wide {
        let lw = usize::from(LEFT_WIDTH);
        let mut left = overview(card, lw, theme);
        left.extend(profile(card, lw, theme));
        left.extend(chart(&card.monthly_margin, lw, theme));
        let mut lines = first;
        let skip = lines.len();
        lines.extend(second);
        let item_lines = first_items
            .into_iter()
            .chain(second_items.into_iter().map(|(a, b)| (a + skip, b + skip)))
            .collect();
        CardLayout {
            left: Some(left),
            lines,
            column_width: column,
            item_lines,
        }
    } else {
        // The call-time order: where the customer stands and what to do first, the
        // history after, the profile last.
        let mut lines = overview(card, w, theme);
        let first_at = lines.len();
        lines.extend(first);
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
        CardLayout {
            left: None,
            lines,
            column_width: column,
            item_lines,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    ActionsAndTasks,
    TimelineAndCycles,
}

/// The one fixed line above the card: who it is and where it stands.
pub fn header(card: &Card, width: usize, theme: &Theme) -> Line<'static> {
    let tier = card.tier.map(|t| t.code()).unwrap_or("no tier");
    let won_back = if card.second_lifecycle {
        " (won back)"
    } else {
        ""
    };
    let head = format!("{} ", text::clean(&card.name));
    let rest = format!(
        "· {}{} · {} · {} · owner {} · id {}",
        card.stage,
        won_back,
        card.level,
        tier,
        text::clean(&card.owner),
        text::clean(&card.id)
    );
    let head_w = text::width(&head).min(width);
    Line::from(vec![
        Span::styled(text::truncate(&head, width, theme.ellipsis()), theme.title),
        Span::styled(
            text::truncate(&rest, width - head_w, theme.ellipsis()),
            theme.stage(card.stage),
        ),
    ])
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

fn quadrant_words(q: Quadrant) -> &'static str {
    match q {
        Quadrant::I => "about to mature",
        Quadrant::II => "early development",
        Quadrant::III => "decline ahead",
        Quadrant::IV => "still being identified",
    }
}

fn overview(card: &Card, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let won_back = if card.second_lifecycle {
        ", second lifecycle"
    } else {
        ""
    };
    out.push(heading(
        &format!(
            "Stage: {}{won_back} · quadrant {}: {}",
            card.stage,
            card.quadrant,
            quadrant_words(card.quadrant)
        ),
        w,
        theme,
    ));
    for evidence in &card.stage_evidence {
        out.extend(wrapped(&format!("- {evidence}"), 2, w, theme.base));
    }
    if let Some(lost) = &card.lost {
        out.extend(wrapped(
            &format!("lost on {} ({})", lost.date, lost.reason),
            2,
            w,
            theme.bad,
        ));
    }

    out.push(heading(&format!("Level: {}", card.level), w, theme));
    let has = |level: BondLevel| card.bonds.iter().any(|b| b.active && b.level == level);
    let rung = |level: BondLevel| {
        let mark = if has(level) { "[x]" } else { "[ ]" };
        format!("{mark} {level}")
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
        out.extend(wrapped(note, 2, w, theme.warn));
    }
    for bond in &card.bonds {
        let until = bond
            .until
            .map(|u| format!(" until {u}"))
            .unwrap_or_default();
        let style = if bond.active { theme.base } else { theme.muted };
        out.extend(wrapped(
            &format!(
                "{} · {} · since {}{until}",
                bond.level, bond.kind, bond.since
            ),
            2,
            w,
            style,
        ));
    }

    let types = &card.relationship_type;
    let gap = types.actual < types.recommended;
    out.push(heading("Relationship", w, theme));
    out.extend(wrapped(
        &format!(
            "recommended {} · actual {}{}",
            types.recommended,
            types.actual,
            if gap { " (below)" } else { "" }
        ),
        2,
        w,
        if gap { theme.warn } else { theme.base },
    ));

    let v = &card.value;
    let tier = card.tier.map(|t| t.code()).unwrap_or("none");
    out.push(heading(&format!("Value: tier {tier}"), w, theme));
    let wallet = v
        .share_of_wallet
        .map(text::percent)
        .unwrap_or_else(|| "?".into());
    for row in [
        format!(
            "margin 12m {} · revenue 12m {}",
            text::money(v.margin_12m),
            text::money(v.revenue_12m)
        ),
        format!(
            "CLV {} · CRV {} · cost to serve {}",
            text::money(v.clv),
            text::money(v.crv),
            text::money(v.cost_to_serve)
        ),
        format!(
            "wallet {wallet} · potential {} · retention {}",
            text::money(v.potential),
            text::percent(v.retention_rate)
        ),
    ] {
        out.extend(wrapped(&row, 2, w, theme.base));
    }

    out
}

fn profile(card: &Card, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![heading("Profile", w, theme)];
    let spend = card
        .category_spend
        .map(|s| format!(" · category spend {}", text::money(s)))
        .unwrap_or_default();
    let segment = if card.segment.is_empty() {
        "no segment"
    } else {
        &card.segment
    };
    out.extend(wrapped(
        &format!("{} · {segment}{spend}", card.kind),
        2,
        w,
        theme.base,
    ));
    if !card.tags.is_empty() {
        out.extend(wrapped(
            &format!("tags: {}", card.tags.join(", ")),
            2,
            w,
            theme.muted,
        ));
    }
    if card.contacts.is_empty() {
        out.extend(wrapped("no contact person", 2, w, theme.muted));
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
        &format!(
            "Margin by month, last {} (top {})",
            months.len(),
            text::compact(max)
        ),
        w,
        theme,
    )];
    if months.is_empty() || max <= 0.0 {
        out.push(Line::styled("  no margin in this period", theme.muted));
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

fn items(
    state: &CardState,
    part: Part,
    w: usize,
    theme: &Theme,
) -> (Vec<Line<'static>>, Vec<(usize, usize)>) {
    let card = &state.card;
    let selected = state.current();
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut spans = Vec::new();
    // Adds an item: its first line carries the marker and, when selected, the selection.
    let mut push = |lines: &mut Vec<Line<'static>>,
                    item: Item,
                    first: String,
                    rest: Vec<Line<'static>>,
                    style: Style| {
        let start = lines.len();
        let is_selected = selected == Some(item);
        let marker = if is_selected { theme.marker() } else { " " };
        let first = text::fit(
            &format!("{marker}{}", text::clean(&first)),
            w,
            theme.ellipsis(),
        );
        let style = if is_selected { theme.selected } else { style };
        lines.push(Line::styled(first, style));
        lines.extend(rest);
        spans.push((start, lines.len()));
    };

    if part == Part::TimelineAndCycles {
        timeline_and_cycles(card, &mut lines, &mut push, w, theme);
        return (lines, spans);
    }
    lines.push(heading("Next-best-actions (a accepts)", w, theme));
    if card.next_actions.is_empty() {
        lines.push(Line::styled("  none", theme.muted));
    }
    for (i, action) in card.next_actions.iter().enumerate() {
        let mut rest = wrapped(&action.action, 4, w, theme.base);
        for why in &action.why {
            rest.extend(wrapped(&format!("because {why}"), 4, w, theme.muted));
        }
        let first = format!("{}. {} · due {}", i + 1, action.code, action.due);
        push(&mut lines, Item::Action(i), first, rest, theme.key);
    }

    lines.push(heading("Open tasks (d done, z snooze)", w, theme));
    if card.open_tasks.is_empty() {
        lines.push(Line::styled("  none", theme.muted));
    }
    for (i, task) in card.open_tasks.iter().enumerate() {
        let late = task.due < card.as_of;
        let first = format!("due {} · {}", task.due, task.text);
        let style = if late { theme.bad } else { theme.base };
        push(&mut lines, Item::Task(i), first, Vec::new(), style);
    }

    (lines, spans)
}

type Push<'a> = dyn FnMut(&mut Vec<Line<'static>>, Item, String, Vec<Line<'static>>, Style) + 'a;

fn timeline_and_cycles(
    card: &Card,
    lines: &mut Vec<Line<'static>>,
    push: &mut Push<'_>,
    w: usize,
    theme: &Theme,
) {
    lines.push(heading("Timeline, newest first", w, theme));
    if card.recent_interactions.is_empty() {
        lines.push(Line::styled("  no contact yet", theme.muted));
    }
    for (i, contact) in card.recent_interactions.iter().enumerate() {
        // Interactions count by their UTC day (the engine's rule), so show that day.
        let when = contact.at.to_zoned(TimeZone::UTC).date();
        let satisfaction = contact
            .satisfaction
            .map(|s| format!(" · satisfaction {s}"))
            .unwrap_or_default();
        let arrow = if theme.ascii { "->" } else { "→" };
        let first = format!(
            "{when} {} {} {} {arrow} {}{satisfaction}",
            contact.channel, contact.direction, contact.purpose, contact.outcome
        );
        let mut rest = Vec::new();
        if !contact.signals.is_empty() {
            let signals: Vec<&str> = contact.signals.iter().map(|s| s.code()).collect();
            rest.extend(wrapped(
                &format!("signals: {}", signals.join(", ")),
                4,
                w,
                theme.warn,
            ));
        }
        if !contact.note.trim().is_empty() {
            rest.extend(wrapped(contact.note.trim(), 4, w, theme.base));
        }
        if let Some(follow_up) = contact.follow_up {
            rest.extend(wrapped(
                &format!("follow-up {follow_up}"),
                4,
                w,
                theme.muted,
            ));
        }
        push(lines, Item::Contact(i), first, rest, theme.base);
    }

    lines.push(heading("PDCA cycles", w, theme));
    if card.cycles.is_empty() {
        lines.push(Line::styled("  none", theme.muted));
    }
    for (i, cycle) in card.cycles.iter().enumerate() {
        let metric = cycle.metric.map(|m| format!(" · {m}")).unwrap_or_default();
        let first = format!("#{} {} · {}{metric}", cycle.id, cycle.phase, cycle.title);
        push(lines, Item::Cycle(i), first, Vec::new(), theme.base);
    }
}
