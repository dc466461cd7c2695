//! The agenda: a line of totals, then the sections (overdue, today, this week, suggested),
//! each under a heading with its honest count, rows acted on in place.

use crate::i18n::{t, task_text_words, tr};
use crate::tui::card::doc::said_or;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::agenda::{Agenda, WEEK_DAYS};
use crate::tui::agenda::state::{section, AgendaRow, AgendaState, Section};
use crate::tui::app::App;
use crate::tui::app::Viewport;
use crate::tui::theme::Theme;
use crate::tui::widgets::{cell, days_between, line, name_cell};

/// A drawn line of the agenda: a section's heading or one of its rows (an index into
/// `AgendaState::rows`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Drawn {
    Heading(Section),
    Row(usize),
}

fn drawn(state: &AgendaState, agenda: &Agenda) -> Vec<Drawn> {
    let mut out = Vec::new();
    let mut row = 0;
    for s in Section::ALL {
        out.push(Drawn::Heading(s));
        for _ in section(agenda, s).0 {
            out.push(Drawn::Row(row));
            row += 1;
        }
    }
    debug_assert_eq!(row, state.len());
    out
}

/// The first drawn line shown: the cursor's first row (with its heading when it opens its
/// section), moved down just enough to show the selected row.
fn first_shown(lines: &[Drawn], state: &AgendaState, rows: usize) -> usize {
    let at = |wanted: usize| {
        lines
            .iter()
            .position(|l| *l == Drawn::Row(wanted))
            .unwrap_or(0)
    };
    let mut cursor = state.cursor;
    cursor.follow(state.len(), rows);
    let mut first = at(cursor.offset);
    if first > 0 && matches!(lines[first - 1], Drawn::Heading(_)) {
        first -= 1;
    }
    if cursor.offset == 0 {
        first = 0;
    }
    let selected = at(cursor.selected);
    if selected >= first + rows {
        first = selected + 1 - rows;
    }
    first
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, viewport: &mut Viewport) {
    let theme = &app.theme;
    let width = usize::from(area.width);
    let rows = usize::from(area.height.saturating_sub(2));
    viewport.list_rows = rows as u16;
    let state = &app.agenda;
    let Some(agenda) = &state.agenda else {
        let said = if state.loading {
            t("agenda-loading")
        } else {
            t("agenda-none")
        };
        frame.render_widget(Paragraph::new(line(&said, width, theme.muted, theme)), area);
        return;
    };
    let whose = if state.mine {
        tr("agenda-whose-mine", &[("login", &app.actor)])
    } else {
        t("agenda-whose-everyone")
    };
    let info = tr(
        "agenda-sections",
        &[
            ("whose", &whose),
            ("overdue", &agenda.overdue_total.to_string()),
            ("today", &agenda.today_total.to_string()),
            ("week", &agenda.this_week_total.to_string()),
            ("suggested", &agenda.actions_total.to_string()),
        ],
    );
    let when_w = 11;
    // Mine: every row is the user's, so the owner column gives its room to the names
    // (at 50 columns they keep 14, not 9).
    let owner_w = if state.mine { 0 } else { 8 };
    let gaps = if owner_w > 0 { 3 } else { 2 };
    let rest = width.saturating_sub(1 + when_w + owner_w + gaps);
    let name_w = rest * 2 / 5;
    let what_w = rest - name_w;
    let mut header = vec![
        Span::raw(" "),
        cell(&t("agenda-col-due"), when_w, theme.header, theme),
        Span::raw(" "),
        cell(&t("agenda-col-customer"), name_w, theme.header, theme),
        Span::raw(" "),
        cell(&t("agenda-col-what"), what_w, theme.header, theme),
    ];
    if owner_w > 0 {
        header.push(Span::raw(" "));
        header.push(cell(&t("agenda-col-owner"), owner_w, theme.header, theme));
    }
    let mut lines = vec![line(&info, width, theme.title, theme), Line::from(header)];
    let all = state.rows();
    let drawn_lines = drawn(state, agenda);
    let first = first_shown(&drawn_lines, state, rows);
    let widths = Widths {
        when: when_w,
        name: name_w,
        what: what_w,
        owner: owner_w,
    };
    for d in drawn_lines.iter().skip(first).take(rows) {
        match *d {
            Drawn::Heading(s) => lines.push(heading(app, agenda, s, width, theme)),
            Drawn::Row(i) => {
                let Some((_, row)) = all.get(i) else {
                    continue;
                };
                let selected = i == state.cursor.selected.min(all.len().saturating_sub(1));
                lines.push(row_line(app, *row, selected, &widths, theme));
            }
        }
    }
    if state.is_empty() {
        let quiet = if state.mine {
            t("agenda-quiet-mine")
        } else {
            t("agenda-quiet")
        };
        lines.push(line(&quiet, width, theme.muted, theme));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn heading(app: &App, agenda: &Agenda, s: Section, width: usize, theme: &Theme) -> Line<'static> {
    let (shown, total) = section(agenda, s);
    let title = match s {
        Section::Overdue => t("agenda-section-overdue"),
        Section::Today => t("agenda-section-today"),
        Section::ThisWeek => {
            let until = app
                .as_of
                .checked_add(jiff::Span::new().days(WEEK_DAYS))
                .map(|d| d.to_string())
                .unwrap_or_default();
            tr("agenda-section-week", &[("until", &until)])
        }
        Section::Suggested => t("agenda-section-suggested"),
    };
    let count = if shown.len() < total {
        tr(
            "agenda-section-count-cut",
            &[
                ("total", &total.to_string()),
                ("shown", &shown.len().to_string()),
            ],
        )
    } else {
        tr("agenda-section-count", &[("total", &total.to_string())])
    };
    // Styled as a span, not as the whole row: rows scroll as they are drawn.
    Line::from(cell(
        &format!("{title} · {count}"),
        width,
        theme.header,
        theme,
    ))
}

struct Widths {
    when: usize,
    name: usize,
    what: usize,
    owner: usize,
}

fn row_line(
    app: &App,
    row: AgendaRow<'_>,
    selected: bool,
    w: &Widths,
    theme: &Theme,
) -> Line<'static> {
    let customer = row.customer().to_string();
    let shared = app.list.name_shared(&customer);
    let (when, name, what, owner, style) = match row {
        AgendaRow::FollowUp(f) => {
            let when = match f.days_overdue {
                d if d > 0 => tr("agenda-days-late", &[("n", &d.to_string())]),
                0 => t("agenda-today"),
                d => tr("agenda-in-days", &[("n", &(-d).to_string())]),
            };
            let style = match f.days_overdue {
                d if d > 0 => theme.bad,
                0 => theme.warn,
                _ => theme.base,
            };
            (
                when,
                f.name.clone(),
                task_text_words(&f.text),
                f.owner.clone(),
                style,
            )
        }
        AgendaRow::Action(a) => {
            let days = days_between(app.as_of, a.due);
            let when = if days <= 0 {
                t("agenda-act-now")
            } else {
                tr("agenda-in-days", &[("n", &days.to_string())])
            };
            // The sentence names the action itself ("Win back: listen, …"): a label in
            // front of it would say it twice.
            let what = said_or(&a.action_said, &a.action);
            (when, a.name.clone(), what, a.owner.clone(), theme.key)
        }
    };
    let base = if selected { theme.selected } else { theme.base };
    let marker = if selected { theme.marker() } else { " " };
    Line::from(
        vec![
            Span::styled(marker, base),
            cell(&when, w.when, if selected { base } else { style }, theme),
            Span::styled(" ", base),
        ]
        .into_iter()
        .chain(name_cell(
            &name,
            &customer,
            shared,
            w.name,
            (base, if selected { base } else { theme.muted }),
            theme,
        ))
        .chain([Span::styled(" ", base), cell(&what, w.what, base, theme)])
        .chain(
            (w.owner > 0)
                .then(|| [Span::styled(" ", base), cell(&owner, w.owner, base, theme)])
                .into_iter()
                .flatten(),
        )
        .collect::<Vec<_>>(),
    )
}
