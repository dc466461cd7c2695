//! The book: every customer, one line each. Only the visible rows are built, so a frame
//! costs the same for 100 customers as for 100 000.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::card::{Level, Stage, Summary, Tier};
use crate::tui::app::App;
use crate::tui::text;
use crate::tui::theme::Theme;
use crate::tui::view::{age, cell, cell_right, line};

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

fn stage_label(stage: Stage, wide: bool) -> &'static str {
    match (stage, wide) {
        (Stage::Acquisition, false) => "acquire",
        (Stage::Maturity, false) => "mature",
        (stage, _) => stage.code(),
    }
}

fn level_label(level: Level, wide: bool) -> &'static str {
    match (level, wide) {
        (Level::Financial, false) => "financ",
        (Level::Structural, false) => "struct",
        (level, _) => level.code(),
    }
}

fn tier_label(tier: Option<Tier>, wide: bool) -> &'static str {
    match (tier, wide) {
        (None, _) => "-",
        (Some(Tier::Platinum), false) => "plat",
        (Some(tier), _) => tier.code(),
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let width = usize::from(area.width);
    let list = &app.list;
    let cols = Columns::for_width(width);
    let rows = usize::from(area.height.saturating_sub(2));
    app.viewport.list_rows.set(rows as u16);

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
    let info = format!(
        "Book · {} of {} · filter: {} · sort: {} {arrow}",
        text::money(list.partial_total.unwrap_or(list.len()) as f64),
        text::money(list.total() as f64),
        list.filter.describe(),
        list.sort.title(),
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
            "The book is empty: a adds a customer (or run `crm demo`)."
        } else {
            "No customer matches the filter: x clears it."
        };
        lines.push(line(message, width, theme.muted, theme));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn header(cols: &Columns, theme: &Theme) -> Line<'static> {
    let style = theme.header;
    let mut contact = "last";
    if cols.wide {
        contact = "last contact";
    }
    Line::from(vec![
        Span::raw(" "),
        cell("customer", cols.name, style, theme),
        Span::raw(" "),
        cell("stage", cols.stage, style, theme),
        Span::raw(" "),
        cell("level", cols.level, style, theme),
        Span::raw(" "),
        cell("tier", cols.tier, style, theme),
        Span::raw(" "),
        cell("next action", cols.action, style, theme),
        Span::raw(" "),
        cell("owner", cols.owner, style, theme),
        Span::raw(" "),
        cell(contact, cols.contact, style, theme),
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
        format!("{} (won back)", s.name)
    } else {
        s.name.clone()
    };
    let action = s.top_action.map(|a| a.code()).unwrap_or("-");
    let contact = match s.last_contact {
        Some(date) if cols.wide => date.to_string(),
        Some(date) => age(date, app.as_of),
        None => "never".to_string(),
    };
    let marker = if selected { theme.marker() } else { " " };
    Line::from(vec![
        Span::styled(marker, base),
        cell(&name, cols.name, base, theme),
        Span::styled(" ", base),
        cell(
            stage_label(s.stage, cols.wide),
            cols.stage,
            pick(theme.stage(s.stage)),
            theme,
        ),
        Span::styled(" ", base),
        cell(
            level_label(s.level, cols.wide),
            cols.level,
            pick(theme.level(s.level)),
            theme,
        ),
        Span::styled(" ", base),
        cell(
            tier_label(s.tier, cols.wide),
            cols.tier,
            pick(theme.tier(s.tier)),
            theme,
        ),
        Span::styled(" ", base),
        cell(action, cols.action, base, theme),
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
