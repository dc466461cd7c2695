//! The agenda: due and overdue follow-ups first, then the top next-best-actions.

use crate::i18n::{action_label, t, tr};
use crate::tui::card::doc::said_or;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::agenda::state::AgendaRow;
use crate::tui::app::App;
use crate::tui::app::Viewport;
use crate::tui::widgets::{cell, days_between, line};

pub fn render(app: &App, frame: &mut Frame, area: Rect, viewport: &mut Viewport) {
    let theme = &app.theme;
    let width = usize::from(area.width);
    let rows = usize::from(area.height.saturating_sub(2));
    viewport.list_rows = rows as u16;
    let state = &app.agenda;
    let Some(agenda) = &state.agenda else {
        frame.render_widget(
            Paragraph::new(line(&t("agenda-none"), width, theme.muted, theme)),
            area,
        );
        return;
    };
    let overdue = agenda
        .follow_ups
        .iter()
        .filter(|f| f.days_overdue > 0)
        .count();
    let info = tr(
        "agenda-info",
        &[
            ("due", &agenda.follow_ups_total.to_string()),
            ("overdue", &overdue.to_string()),
            ("top", &agenda.actions.len().to_string()),
            ("total", &agenda.actions_total.to_string()),
        ],
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
            cell(&t("agenda-col-due"), when_w, theme.header, theme),
            Span::raw(" "),
            cell(&t("agenda-col-customer"), name_w, theme.header, theme),
            Span::raw(" "),
            cell(&t("agenda-col-what"), what_w, theme.header, theme),
            Span::raw(" "),
            cell(&t("agenda-col-owner"), owner_w, theme.header, theme),
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
                    d if d > 0 => tr("agenda-days-late", &[("n", &d.to_string())]),
                    _ => t("agenda-today"),
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
                    t("agenda-act-now")
                } else {
                    tr("agenda-in-days", &[("n", &days.to_string())])
                };
                let what = tr(
                    "agenda-action",
                    &[
                        ("code", &action_label(a.code)),
                        ("action", &said_or(&a.action_said, &a.action)),
                    ],
                );
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
        lines.push(line(&t("agenda-quiet"), width, theme.muted, theme));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
