//! PDCA: the list of improvement cycles and the selected one's figures. Self-contained:
//! the review screen (the spiral of a chain) is added here later.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::model::{Cycle, Scope};
use crate::tui::app::App;
use crate::tui::theme::Theme;
use crate::tui::view::{cell, line};

fn scope(scope: &Scope) -> String {
    match scope {
        Scope::Customer(id) => format!("customer {id}"),
        Scope::Owner(owner) => format!("owner {owner}"),
        Scope::Segment(segment) => format!("segment {segment}"),
        Scope::Book => "whole book".to_string(),
    }
}

fn figure(value: Option<f64>) -> String {
    value
        .map(|v| format!("{v:.2}"))
        .unwrap_or_else(|| "-".into())
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let width = usize::from(area.width);
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(5)]).areas(area);
    let rows = usize::from(list_area.height.saturating_sub(2));
    app.viewport.list_rows.set(rows as u16);
    let cycles: &[Cycle] = app.pdca.cycles.as_deref().unwrap_or(&[]);
    let mut lines = vec![line(
        &format!("PDCA cycles · {}", cycles.len()),
        width,
        theme.title,
        theme,
    )];
    let phase_w = 7;
    let check_w = 10;
    let rest = width.saturating_sub(1 + 5 + phase_w + check_w + 4);
    let title_w = rest / 2;
    let scope_w = rest - title_w;
    lines.push(Line::from(vec![
        Span::raw(" "),
        cell("#", 5, theme.header, theme),
        Span::raw(" "),
        cell("phase", phase_w, theme.header, theme),
        Span::raw(" "),
        cell("title", title_w, theme.header, theme),
        Span::raw(" "),
        cell("scope", scope_w, theme.header, theme),
        Span::raw(" "),
        cell("check", check_w, theme.header, theme),
    ]));
    let mut cursor = app.pdca.cursor;
    cursor.follow(cycles.len(), rows);
    for (i, c) in cycles.iter().enumerate().skip(cursor.offset).take(rows) {
        let selected = i == cursor.selected;
        let style = if selected { theme.selected } else { theme.base };
        let marker = if selected { theme.marker() } else { " " };
        let check = c.check_date.map(|d| d.to_string()).unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(marker, style),
            cell(&c.id.to_string(), 5, style, theme),
            Span::styled(" ", style),
            cell(c.phase.code(), phase_w, style, theme),
            Span::styled(" ", style),
            cell(&c.title, title_w, style, theme),
            Span::styled(" ", style),
            cell(&scope(&c.scope), scope_w, style, theme),
            Span::styled(" ", style),
            cell(&check, check_w, style, theme),
        ]));
    }
    if cycles.is_empty() {
        lines.push(line(
            "No improvement cycle yet: `crm pdca new` plans one.",
            width,
            theme.muted,
            theme,
        ));
    }
    frame.render_widget(Paragraph::new(lines), list_area);
    if let Some(c) = app.pdca.selected() {
        frame.render_widget(Paragraph::new(detail(c, width, theme)), detail_area);
    }
}

fn detail(c: &Cycle, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let metric = c.metric.map(|m| m.code()).unwrap_or("no metric");
    let result = match &c.result {
        Some(r) => format!(
            "measured {:.2} on {} ({})",
            r.value,
            r.on,
            if r.met { "met" } else { "not met" }
        ),
        None => "not measured yet".into(),
    };
    let decision = c.decision.map(|d| d.code()).unwrap_or("no decision");
    vec![
        line(
            &format!("#{} {}", c.id, c.title),
            width,
            theme.header,
            theme,
        ),
        line(
            &format!(
                "goal: {} {metric} from {} to {}",
                c.direction,
                figure(c.baseline),
                figure(c.target)
            ),
            width,
            theme.base,
            theme,
        ),
        line(
            &format!("{} actions · {result} · {decision}", c.actions.len()),
            width,
            theme.base,
            theme,
        ),
        line(&c.plan_notes, width, theme.muted, theme),
        line(&c.lessons, width, theme.muted, theme),
    ]
}
