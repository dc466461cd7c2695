//! A PDCA cycle's page: the plan, the goal metric against baseline and target, the actions
//! with their status, and the spiral of its chain with the metric's trend. Wide screens
//! keep plan and chart in a fixed left column; narrow ones stack everything in one
//! scrolling column. The layout has no item selected (`document::Laid`); update (to keep
//! the cursor in view) and render share it through `CyclePage::layouts`.

use crate::i18n::{decision_label, goal_direction_label, metric_words, phase_label, t, tr};
use jiff::civil::Date;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::sync::Arc;

use crate::domain::model::Cycle;
use crate::domain::pdca::check_overdue;
use crate::tui::app::App;
use crate::tui::app::Viewport;
use crate::tui::document::{item_first_line, Laid};
use crate::tui::pdca::chart as pdca_chart;
use crate::tui::pdca::state::{CyclePage, PageItem};
use crate::tui::pdca::words::{full, met_words, phase_style, scope_phrase, scope_words, short};
use crate::tui::text;
use crate::tui::theme::Theme;

/// From this width on, plan and chart get their own column.
pub const WIDE: u16 = 110;
pub const LEFT_WIDTH: u16 = 54;
/// Plan notes longer than this many lines are cut on a narrow screen (the edit form
/// shows them whole).
const NOTE_LINES: usize = 3;
/// The fixed left column does not scroll: notes beyond this would push the chart off.
const WIDE_NOTE_LINES: usize = 8;

/// The page laid out at `width` on `as_of`, made once per width and content.
pub fn laid(page: &CyclePage, as_of: Date, width: u16, theme: &Theme) -> Arc<Laid> {
    page.layouts
        .get((width, as_of), || layout(page, as_of, width, theme))
}

fn layout(page: &CyclePage, as_of: Date, width: u16, theme: &Theme) -> Laid {
    let wide = width >= WIDE;
    let column = if wide { width - LEFT_WIDTH - 1 } else { width };
    let w = usize::from(column);
    let (items, item_lines, selected_first) = items(page, as_of, w, theme);
    if wide {
        let lw = usize::from(LEFT_WIDTH);
        let mut left = plan(&page.cycle, as_of, lw, WIDE_NOTE_LINES, theme);
        left.extend(goal(page, lw, theme));
        return Laid {
            left: Some(left),
            lines: items,
            item_lines,
            selected_first,
        };
    }
    let mut lines = plan(&page.cycle, as_of, w, NOTE_LINES, theme);
    lines.extend(goal(page, w, theme));
    let at = lines.len();
    lines.extend(items);
    Laid {
        left: None,
        lines,
        item_lines: item_lines
            .into_iter()
            .map(|(a, b)| (a + at, b + at))
            .collect(),
        selected_first,
    }
}

pub fn render(app: &App, page: &CyclePage, frame: &mut Frame, area: Rect, viewport: &mut Viewport) {
    let theme = &app.theme;
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(header(app, &page.cycle, usize::from(head.width))),
        head,
    );
    let height = usize::from(body.height);
    viewport.card_rows = body.height;
    let laid = laid(page, app.as_of, area.width, theme);
    let visible = laid.visible(&page.reading, height);
    laid.draw(frame, body, LEFT_WIDTH, visible, theme);
}

fn header(app: &App, cycle: &Cycle, width: usize) -> Line<'static> {
    let theme = &app.theme;
    let head = format!("#{} {} ", cycle.id, text::clean(&cycle.title));
    // An owner's book names the owner already.
    let owner = match &cycle.scope {
        crate::domain::model::Scope::Owner(login) if *login == cycle.owner => String::new(),
        _ => tr("page-owner", &[("owner", &cycle.owner)]),
    };
    let rest = format!(
        "· {} · {}{owner}",
        phase_label(cycle.phase),
        text::clean(&scope_words(app, cycle)),
    );
    let head = text::truncate(&head, width, theme.ellipsis());
    let head_w = text::width(&head);
    Line::from(vec![
        Span::styled(head, theme.title),
        Span::styled(
            text::truncate(&rest, width - head_w, theme.ellipsis()),
            phase_style(cycle, app.as_of, theme),
        ),
    ])
}

fn heading(title: &str, width: usize, theme: &Theme) -> Line<'static> {
    Line::styled(text::truncate(title, width, theme.ellipsis()), theme.header)
}

fn wrapped(
    s: &str,
    width: usize,
    max_lines: usize,
    style: Style,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut rows = text::wrap(
        &text::clean_keep_newlines(s),
        width.saturating_sub(2).max(1),
    );
    if rows.len() > max_lines {
        rows.truncate(max_lines);
        if let Some(last) = rows.last_mut() {
            let cut = text::truncate(last, width.saturating_sub(3), "");
            *last = format!("{cut}{}", theme.ellipsis());
        }
    }
    rows.into_iter()
        .map(|r| Line::styled(format!("  {r}"), style))
        .collect()
}

fn plan(
    cycle: &Cycle,
    as_of: Date,
    w: usize,
    note_lines: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut out = vec![heading(
        &tr(
            "page-plan",
            &[
                ("date", &cycle.created.to_string()),
                ("scope", &scope_phrase(&cycle.scope)),
            ],
        ),
        w,
        theme,
    )];
    let metric = cycle.metric;
    let value = |v: Option<f64>| v.map_or("-".to_string(), |v| full(metric, v));
    let goal = match metric {
        Some(m) => tr(
            "pdca-goal",
            &[
                ("direction", &goal_direction_label(cycle.direction)),
                ("metric", &metric_words(m)),
                ("from", &value(cycle.baseline)),
                ("to", &value(cycle.target)),
            ],
        ),
        None => t("page-no-metric"),
    };
    out.extend(wrapped(&goal, w, usize::MAX, theme.base, theme));
    let check = match (cycle.check_date, &cycle.result) {
        (_, Some(r)) => tr("page-checked-on", &[("date", &r.on.to_string())]),
        (Some(d), None) if check_overdue(cycle, as_of) => {
            tr("page-check-overdue", &[("date", &d.to_string())])
        }
        (Some(d), None) => tr("page-check-on", &[("date", &d.to_string())]),
        (None, None) => t("pdca-no-check-date"),
    };
    let decision = cycle
        .decision
        .map(|d| tr("page-decided", &[("decision", &decision_label(d))]))
        .unwrap_or_default();
    let style = if check_overdue(cycle, as_of) {
        theme.bad
    } else {
        theme.base
    };
    out.extend(wrapped(
        &format!("{check}{decision}"),
        w,
        usize::MAX,
        style,
        theme,
    ));
    if !cycle.plan_notes.trim().is_empty() {
        out.extend(wrapped(
            cycle.plan_notes.trim(),
            w,
            note_lines,
            theme.muted,
            theme,
        ));
    }
    if !cycle.lessons.trim().is_empty() {
        out.extend(wrapped(
            &tr("page-lessons", &[("lessons", cycle.lessons.trim())]),
            w,
            note_lines,
            theme.base,
            theme,
        ));
    }
    out
}

fn goal(page: &CyclePage, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let c = &page.cycle;
    let title = match c.metric {
        Some(m) => tr(
            "page-metric-goal",
            &[
                ("metric", &metric_words(m)),
                ("direction", &goal_direction_label(c.direction)),
            ],
        ),
        None => t("page-metric"),
    };
    let mut out = vec![heading(&title, w, theme)];
    out.extend(pdca_chart::goal_bars(c, page.measured_now, w, theme));
    out
}

/// The selectable part: actions, then the spiral (with its trend under it).
fn items(
    page: &CyclePage,
    as_of: Date,
    w: usize,
    theme: &Theme,
) -> (Vec<Line<'static>>, Vec<(usize, usize)>, Vec<Line<'static>>) {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut spans = Vec::new();
    let mut selected_first = Vec::new();
    // Adds an item of one line, and that line as drawn selected (marker and selection).
    let mut push =
        |lines: &mut Vec<Line<'static>>, _item: PageItem, first: String, style: Style| {
            let (line, selected) = item_first_line(&first, style, w, theme);
            selected_first.push(selected);
            spans.push((lines.len(), lines.len() + 1));
            lines.push(line);
        };

    let c = &page.cycle;
    let done = c.actions.iter().filter(|a| a.done.is_some()).count();
    lines.push(heading(
        &tr(
            "page-actions",
            &[
                ("done", &done.to_string()),
                ("total", &c.actions.len().to_string()),
            ],
        ),
        w,
        theme,
    ));
    if c.actions.is_empty() {
        lines.push(Line::styled(
            text::truncate(&t("page-no-actions"), w, theme.ellipsis()),
            theme.muted,
        ));
    }
    for (i, action) in c.actions.iter().enumerate() {
        let (mark, when, style) = match (action.done, action.due) {
            (Some(on), _) => (
                "[x]",
                tr("page-action-done", &[("date", &on.to_string())]),
                theme.muted,
            ),
            (None, Some(due)) if due < as_of => (
                "[ ]",
                tr("page-action-was-due", &[("date", &due.to_string())]),
                theme.bad,
            ),
            (None, Some(due)) => (
                "[ ]",
                tr("page-action-due", &[("date", &due.to_string())]),
                theme.base,
            ),
            (None, None) => ("[ ]", String::new(), theme.base),
        };
        let first = format!("{mark} {}{when}", action.text);
        push(&mut lines, PageItem::Action(i), first, style);
    }

    let metric = c
        .metric
        .or_else(|| page.chain.iter().find_map(|x| x.metric));
    let arrow = if theme.ascii { "->" } else { "→" };
    lines.push(heading(
        &tr(
            "page-spiral",
            &[
                ("n", &page.chain.len().to_string()),
                ("n_s", if page.chain.len() == 1 { "" } else { "s" }),
            ],
        ),
        w,
        theme,
    ));
    for (i, cycle) in page.chain.iter().enumerate() {
        let value = |v: Option<f64>| v.map_or("-".to_string(), |v| short(metric, v));
        let outcome = match &cycle.result {
            Some(r) => format!("{} {}", short(metric, r.value), met_words(r.met)),
            None => tr("page-target", &[("value", &value(cycle.target))]),
        };
        let decision = cycle
            .decision
            .map(|d| format!(" · {}", decision_label(d)))
            .unwrap_or_default();
        let this = if cycle.id == c.id {
            t("page-this")
        } else {
            String::new()
        };
        let first = format!(
            "#{} {} {} {arrow} {outcome}{decision}{this}",
            cycle.id,
            text::fit(&phase_label(cycle.phase), 6, theme.ellipsis()),
            value(cycle.baseline),
        );
        let style = phase_style(cycle, as_of, theme);
        push(&mut lines, PageItem::Chain(i), first, style);
    }
    let points = pdca_chart::points(&page.chain, c.id, page.measured_now);
    lines.extend(pdca_chart::trend(&points, metric, w, theme));
    (lines, spans, selected_first)
}
