//! View `4`, the PDCA review: every cycle grouped by phase with overdue checks first,
//! each row its goal (baseline -> target) and where it stands; the selected cycle's
//! figures underneath. Enter opens the cycle's page (pdca_page.rs).

use crate::i18n::{decision_label, goal_direction_label, metric_words, t, tr};
use jiff::civil::Date;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::model::{Cycle, Phase};
use crate::tui::app::App;
use crate::tui::app::Viewport;
use crate::tui::list::Cursor;
use crate::tui::pdca::state::Group;
use crate::tui::pdca::words::{full, met_words, phase_style, scope_words, short};
use crate::tui::theme::Theme;
use crate::tui::widgets::{cell, line};

const ID_W: usize = 4;
const GOAL_W: usize = 15;
const STATE_W: usize = 14;

/// One line of the grouped list: a group's heading or a cycle (by index in the list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Heading(Group, usize),
    Cycle(usize),
}

fn rows(cycles: &[Cycle], as_of: Date) -> Vec<Row> {
    let mut out = Vec::new();
    let mut last = None;
    for (i, c) in cycles.iter().enumerate() {
        let group = Group::of(c, as_of);
        if last != Some(group) {
            let count = cycles[i..]
                .iter()
                .take_while(|x| Group::of(x, as_of) == group)
                .count();
            out.push(Row::Heading(group, count));
            last = Some(group);
        }
        out.push(Row::Cycle(i));
    }
    out
}

/// The first line to show so the selection is visible, starting from the cursor's offset
/// (the heading above the first shown cycle comes along).
fn first_line(rows: &[Row], cursor: Cursor, height: usize) -> usize {
    let line_of = |i: usize| rows.iter().position(|r| *r == Row::Cycle(i)).unwrap_or(0);
    let mut start = line_of(cursor.offset);
    if start > 0 && matches!(rows[start - 1], Row::Heading(..)) {
        start -= 1;
    }
    let selected = line_of(cursor.selected);
    if selected >= start + height {
        start = selected + 1 - height;
    }
    start.min(selected)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Where a cycle stands, in the last column: its check date until checked, then the
/// result, then the decision.
fn standing(c: &Cycle) -> String {
    match (&c.result, c.decision) {
        (_, Some(decision)) => decision_label(decision),
        (Some(r), None) => format!("{} {}", short(c.metric, r.value), met_words(r.met)),
        (None, None) => c
            .check_date
            .map(|d| d.to_string())
            .unwrap_or_else(|| t("pdca-no-check-date")),
    }
}

fn goal(c: &Cycle) -> String {
    let value = |v: Option<f64>| v.map_or("?".to_string(), |v| short(c.metric, v));
    let arrow = match c.direction {
        crate::domain::model::GoalDirection::Raise => "↑",
        crate::domain::model::GoalDirection::Lower => "↓",
    };
    format!("{} → {}{arrow}", value(c.baseline), value(c.target))
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, viewport: &mut Viewport) {
    let theme = &app.theme;
    let width = usize::from(area.width);
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(5)]).areas(area);
    let cycles: &[Cycle] = app.pdca.cycles.as_deref().unwrap_or(&[]);
    let overdue = cycles
        .iter()
        .filter(|c| Group::of(c, app.as_of) == Group::Overdue)
        .count();
    let open = cycles.iter().filter(|c| c.phase != Phase::Closed).count();
    let mut lines = vec![line(
        &tr(
            "pdca-review-title",
            &[
                ("cycles", &cycles.len().to_string()),
                ("cycles_s", plural(cycles.len())),
                ("open", &open.to_string()),
                ("overdue", &overdue.to_string()),
                ("overdue_s", plural(overdue)),
            ],
        ),
        width,
        theme.title,
        theme,
    )];
    let w = Columns::for_width(width);
    let mut header = vec![
        Span::raw(" "),
        cell("#", ID_W, theme.header, theme),
        Span::raw(" "),
        cell(&t("pdca-col-title"), w.title, theme.header, theme),
    ];
    if w.scope > 0 {
        header.push(Span::raw(" "));
        header.push(cell(&t("pdca-col-scope"), w.scope, theme.header, theme));
    }
    if w.goal {
        header.push(Span::raw(" "));
        header.push(cell(&t("pdca-col-goal"), GOAL_W, theme.header, theme));
    }
    header.push(Span::raw(" "));
    header.push(cell(&t("pdca-col-state"), STATE_W, theme.header, theme));
    lines.push(Line::from(header));
    let height = usize::from(list_area.height)
        .saturating_sub(lines.len())
        .max(1);
    viewport.list_rows = height as u16;
    let mut cursor = app.pdca.cursor;
    cursor.follow(cycles.len(), height);
    let rows = rows(cycles, app.as_of);
    let start = first_line(&rows, cursor, height);
    for row in rows.iter().skip(start).take(height) {
        match *row {
            Row::Heading(group, count) => {
                let style = if group == Group::Overdue {
                    theme.bad
                } else {
                    theme.header
                };
                lines.push(line(
                    &tr(
                        "pdca-group-count",
                        &[("group", &group.title()), ("count", &count.to_string())],
                    ),
                    width,
                    style,
                    theme,
                ));
            }
            Row::Cycle(i) => {
                let c = &cycles[i];
                let selected = i == cursor.selected;
                let style = if selected { theme.selected } else { theme.base };
                let state_style = if selected {
                    theme.selected
                } else {
                    phase_style(c, app.as_of, theme)
                };
                let marker = if selected { theme.marker() } else { " " };
                let mut spans = vec![
                    Span::styled(marker, style),
                    cell(&format!("#{}", c.id), ID_W, style, theme),
                    Span::styled(" ", style),
                    cell(&c.title, w.title, style, theme),
                ];
                if w.scope > 0 {
                    spans.push(Span::styled(" ", style));
                    spans.push(cell(&scope_words(app, c), w.scope, style, theme));
                }
                if w.goal {
                    spans.push(Span::styled(" ", style));
                    spans.push(cell(&goal(c), GOAL_W, style, theme));
                }
                spans.push(Span::styled(" ", style));
                spans.push(cell(&standing(c), STATE_W, state_style, theme));
                lines.push(Line::from(spans));
            }
        }
    }
    if cycles.is_empty() {
        lines.push(line(&t("pdca-none"), width, theme.muted, theme));
    }
    frame.render_widget(Paragraph::new(lines), list_area);
    if let Some(c) = app.pdca.selected() {
        frame.render_widget(Paragraph::new(detail(c, width, theme)), detail_area);
    }
}

/// The review's columns for a screen `width` wide. The title keeps at least
/// `TITLE_MIN` columns: the scope goes first, then the goal (the selected cycle's detail
/// below the list says both).
struct Columns {
    title: usize,
    /// 0: not shown.
    scope: usize,
    goal: bool,
}

const TITLE_MIN: usize = 20;

impl Columns {
    fn for_width(width: usize) -> Columns {
        let rest = width.saturating_sub(1 + ID_W + 1 + 1 + GOAL_W + 1 + STATE_W);
        let title = rest * 3 / 5;
        if title >= TITLE_MIN {
            return Columns {
                title,
                scope: rest.saturating_sub(title + 1),
                goal: true,
            };
        }
        if rest >= TITLE_MIN {
            return Columns {
                title: rest,
                scope: 0,
                goal: true,
            };
        }
        Columns {
            title: rest + 1 + GOAL_W,
            scope: 0,
            goal: false,
        }
    }
}

fn detail(c: &Cycle, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let metric = c.metric.map_or_else(|| t("pdca-no-metric"), metric_words);
    let value = |v: Option<f64>| v.map(|v| full(c.metric, v)).unwrap_or_else(|| "-".into());
    let result = match &c.result {
        Some(r) => tr(
            "pdca-measured",
            &[
                ("value", &value(Some(r.value))),
                ("date", &r.on.to_string()),
                ("met", &met_words(r.met)),
            ],
        ),
        None => t("pdca-not-measured"),
    };
    let done = c.actions.iter().filter(|a| a.done.is_some()).count();
    let decision = c
        .decision
        .map(|d| format!(" · {}", decision_label(d)))
        .unwrap_or_default();
    let notes = if c.lessons.is_empty() {
        &c.plan_notes
    } else {
        &c.lessons
    };
    vec![
        line(
            &format!("#{} {}", c.id, c.title),
            width,
            theme.header,
            theme,
        ),
        line(
            &tr(
                "pdca-goal",
                &[
                    ("direction", &goal_direction_label(c.direction)),
                    ("metric", &metric),
                    ("from", &value(c.baseline)),
                    ("to", &value(c.target)),
                ],
            ),
            width,
            theme.base,
            theme,
        ),
        line(
            &tr(
                "pdca-actions-done",
                &[
                    ("done", &done.to_string()),
                    ("total", &c.actions.len().to_string()),
                    ("result", &result),
                    ("decision", &decision),
                ],
            ),
            width,
            theme.base,
            theme,
        ),
        line(notes, width, theme.muted, theme),
        line(&t("pdca-enter-opens"), width, theme.muted, theme),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{GoalDirection, Scope};
    use jiff::civil::date;

    fn cycle(id: u64, phase: Phase) -> Cycle {
        Cycle {
            id,
            title: "t".into(),
            scope: Scope::Book,
            owner: "alice".into(),
            created: date(2026, 1, 1),
            phase,
            metric: None,
            direction: GoalDirection::Raise,
            baseline: None,
            target: None,
            check_date: None,
            plan_notes: String::new(),
            actions: Vec::new(),
            result: None,
            decision: None,
            lessons: String::new(),
            previous: None,
            next: None,
        }
    }

    #[test]
    fn headings_open_each_group() {
        let cycles = [
            cycle(1, Phase::Plan),
            cycle(2, Phase::Plan),
            cycle(3, Phase::Closed),
        ];
        let rows = rows(&cycles, date(2026, 11, 22));
        assert_eq!(
            rows,
            [
                Row::Heading(Group::Plan, 2),
                Row::Cycle(0),
                Row::Cycle(1),
                Row::Heading(Group::Closed, 1),
                Row::Cycle(2)
            ]
        );
        // Three lines of room, the last cycle selected: its heading and it are shown.
        let cursor = Cursor {
            selected: 2,
            offset: 1,
        };
        assert_eq!(first_line(&rows, cursor, 3), 2);
        let top = Cursor::default();
        assert_eq!(first_line(&rows, top, 3), 0);
    }
}
