//! The book: every customer, one line each. Only the visible rows are built, so a frame
//! costs the same for 100 customers as for 100 000.

use crate::i18n::{
    action_label, level_label, level_short_label, stage_label, stage_short_label, t, tier_label,
    tier_short_label, tr,
};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::card::{Level, Stage, Summary, Tier};
use crate::tui::app::App;
use crate::tui::app::Viewport;
use crate::tui::text;
use crate::tui::theme::Theme;
use crate::tui::widgets::{age, cell, cell_right, line};

/// Column widths for a screen width; names and actions share what is left.
struct Columns {
    name: usize,
    stage: usize,
    level: usize,
    tier: usize,
    action: usize,
    owner: usize,
    contact: usize,
    wide: bool,
}

impl Columns {
    fn for_width(width: usize) -> Columns {
        let wide = width >= 110;
        let (stage, level, tier, owner, contact) = if wide {
            (11, 10, 8, 10, 10)
        } else {
            (7, 6, 4, 7, 5)
        };
        // Marker, fixed columns and one space between each of the 8 columns.
        let fixed = 1 + stage + level + tier + owner + contact + 7;
        let rest = width.saturating_sub(fixed);
        let name = rest * 55 / 100;
        Columns {
            name,
            stage,
            level,
            tier,
            action: rest - name,
            owner,
            contact,
            wide,
        }
    }
}

/// The full name when it fits the column (wide screens), else the short one.
fn fitting(full: String, short: impl FnOnce() -> String, wide: bool, cols: usize) -> String {
    if wide && text::width(&full) <= cols {
        full
    } else {
        short()
    }
}

fn stage_cell(stage: Stage, cols: &Columns) -> String {
    fitting(
        stage_label(stage),
        || stage_short_label(stage),
        cols.wide,
        cols.stage,
    )
}

fn level_cell(level: Level, cols: &Columns) -> String {
    fitting(
        level_label(level),
        || level_short_label(level),
        cols.wide,
        cols.level,
    )
}

fn tier_cell(tier: Option<Tier>, cols: &Columns) -> String {
    match tier {
        None => t("no-value"),
        Some(tier) => fitting(
            tier_label(tier),
            || tier_short_label(tier),
            cols.wide,
            cols.tier,
        ),
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, viewport: &mut Viewport) {
    let theme = &app.theme;
    let width = usize::from(area.width);
    let list = &app.list;
    let cols = Columns::for_width(width);
    let rows = usize::from(area.height.saturating_sub(2));
    viewport.list_rows = rows as u16;

    let arrow = if list.reverse { "↑" } else { "↓" };
    let arrow = if theme.ascii {
        if list.reverse {
            "^"
        } else {
            "v"
        }
    } else {
        arrow
    };
    let info = tr(
        "book-info",
        &[
            (
                "shown",
                &text::money(list.partial_total.unwrap_or(list.len()) as f64),
            ),
            ("total", &text::money(list.total() as f64)),
            ("filter", &list.filter.describe()),
            ("sort", &list.sort.title()),
            ("arrow", arrow),
        ],
    );
    let mut lines = vec![line(&info, width, theme.title, theme), header(&cols, theme)];

    let mut cursor = list.cursor;
    cursor.follow(list.len(), rows);
    for row in cursor.offset..(cursor.offset + rows).min(list.len()) {
        let Some(summary) = list.row(row) else {
            break;
        };
        lines.push(row_line(
            &summary,
            &cols,
            row == cursor.selected,
            app,
            theme,
        ));
    }
    if list.is_empty() {
        let message = if list.total() == 0 {
            t("book-empty")
        } else {
            t("book-no-match")
        };
        lines.push(line(&message, width, theme.muted, theme));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn header(cols: &Columns, theme: &Theme) -> Line<'static> {
    let style = theme.header;
    let contact = if cols.wide {
        t("book-col-last-contact")
    } else {
        t("book-col-last")
    };
    Line::from(vec![
        Span::raw(" "),
        cell(&t("book-col-customer"), cols.name, style, theme),
        Span::raw(" "),
        cell(&t("book-col-stage"), cols.stage, style, theme),
        Span::raw(" "),
        cell(&t("book-col-level"), cols.level, style, theme),
        Span::raw(" "),
        cell(&t("book-col-tier"), cols.tier, style, theme),
        Span::raw(" "),
        cell(&t("book-col-action"), cols.action, style, theme),
        Span::raw(" "),
        cell(&t("book-col-owner"), cols.owner, style, theme),
        Span::raw(" "),
        cell(&contact, cols.contact, style, theme),
    ])
}

fn row_line(
    s: &Summary,
    cols: &Columns,
    selected: bool,
    app: &App,
    theme: &Theme,
) -> Line<'static> {
    let base = if selected { theme.selected } else { theme.base };
    // On the selected row every cell takes the selection style: one style for the whole
    // line keeps a selection move to two short rewrites.
    let pick = |style| if selected { base } else { style };
    let name = if s.second_lifecycle {
        tr("won-back-suffix", &[("name", &s.name)])
    } else {
        s.name.clone()
    };
    let action = s.top_action.map_or_else(|| t("no-value"), action_label);
    let contact = match s.last_contact {
        Some(date) if cols.wide => date.to_string(),
        Some(date) => age(date, app.as_of),
        None => t("book-never"),
    };
    let marker = if selected { theme.marker() } else { " " };
    Line::from(vec![
        Span::styled(marker, base),
        cell(&name, cols.name, base, theme),
        Span::styled(" ", base),
        cell(
            &stage_cell(s.stage, cols),
            cols.stage,
            pick(theme.stage(s.stage)),
            theme,
        ),
        Span::styled(" ", base),
        cell(
            &level_cell(s.level, cols),
            cols.level,
            pick(theme.level(s.level)),
            theme,
        ),
        Span::styled(" ", base),
        cell(
            &tier_cell(s.tier, cols),
            cols.tier,
            pick(theme.tier(s.tier)),
            theme,
        ),
        Span::styled(" ", base),
        cell(&action, cols.action, base, theme),
        Span::styled(" ", base),
        cell(&s.owner, cols.owner, base, theme),
        Span::styled(" ", base),
        cell_right(&contact, cols.contact, pick(theme.muted), theme),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fill_the_width() {
        for width in [50, 80, 120, 200] {
            let c = Columns::for_width(width);
            let total =
                1 + c.name + c.stage + c.level + c.tier + c.action + c.owner + c.contact + 7;
            assert_eq!(total, width, "width {width}");
        }
    }
}
