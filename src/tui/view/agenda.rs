//! The agenda: due and overdue follow-ups first, then the top next-best-actions.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::agenda_state::AgendaRow;
use crate::tui::app::App;
use crate::tui::view::{cell, days_between, line};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let width = usize::from(area.width);
    let rows = usize::from(area.height.saturating_sub(2));
    app.viewport.list_rows.set(rows as u16);
    let state = &app.agenda;
    let Some(agenda) = &state.agenda else {
        frame.render_widget(
            Paragraph::new(line("no agenda", width, theme.muted, theme)),
            area,
        );
        return;
    };
    let overdue = agenda
        .follow_ups
        .iter()
        .filter(|f| f.days_overdue > 0)
        .count();
    let info = format!(
        "Agenda · {} follow-ups due ({} overdue) · top {} of {} actions",
        agenda.follow_ups_total,
        overdue,
        agenda.actions.len(),
        agenda.actions_total
    );
    let when_w = 11;
    let owner_w = 8;
    let rest = width.saturating_sub(1 + when_w + owner_w + 3);
    let name_w = rest * 2 / 5;
    let what_w = rest - name_w;
    let mut lines = vec![
        line(&info, width, theme.title, theme),
        Line::from(vec![
            Span::raw(" "),
            cell("due", when_w, theme.header, theme),
            Span::raw(" "),
            cell("customer", name_w, theme.header, theme),
            Span::raw(" "),
            cell("what", what_w, theme.header, theme),
            Span::raw(" "),
            cell("owner", owner_w, theme.header, theme),
        ]),
    ];
    let mut cursor = state.cursor;
    cursor.follow(state.len(), rows);
    for i in cursor.offset..(cursor.offset + rows).min(state.len()) {
        let Some(row) = state.row(i) else {
            break;
        };
        let selected = i == cursor.selected;
        let (when, name, what, owner, style) = match row {
            AgendaRow::FollowUp(f) => {
                let when = match f.days_overdue {
                    d if d > 0 => format!("{d}d late"),
                    _ => "today".to_string(),
                };
                let style = if f.days_overdue > 0 {
                    theme.bad
                } else {
                    theme.warn
                };
                (when, &f.name, f.text.clone(), &f.owner, style)
            }
            AgendaRow::Action(a) => {
                let days = days_between(app.as_of, a.due);
                let when = if days <= 0 {
                    "act now".to_string()
                } else {
                    format!("in {days}d")
                };
                let what = format!("{}: {}", a.code, a.action);
                (when, &a.name, what, &a.owner, theme.key)
            }
        };
        let base = if selected { theme.selected } else { theme.base };
        let marker = if selected { theme.marker() } else { " " };
        lines.push(Line::from(vec![
            Span::styled(marker, base),
            cell(&when, when_w, if selected { base } else { style }, theme),
            Span::styled(" ", base),
            cell(name, name_w, base, theme),
            Span::styled(" ", base),
            cell(&what, what_w, base, theme),
            Span::styled(" ", base),
            cell(owner, owner_w, base, theme),
        ]));
    }
    if state.is_empty() {
        lines.push(line(
            "Nothing due and no action: a quiet day.",
            width,
            theme.muted,
            theme,
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
