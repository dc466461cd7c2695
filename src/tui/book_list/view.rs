//! The book: every customer, one line each. Only the visible rows are built, so a frame
//! costs the same for 100 customers as for 100 000.

use crate::i18n::{
    action_label, level_label, level_short_label, stage_label, stage_short_label, t, tier_label,
    tier_short_label, tr,
};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::card::{Level, Stage, Summary, Tier};
use crate::tui::app::App;
use crate::tui::app::Viewport;
use crate::tui::text;
use crate::tui::theme::Theme;
use crate::tui::widgets::{age, cell, cell_right, line, name_cell};

/// Column widths for a screen width; names and actions share what is left. A width of
/// 0 is a column dropped: as the screen narrows the least important columns go first
/// (owner, level, tier, last contact, stage), so the name keeps `NAME_MIN` columns.
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

/// The name column is not narrowed below this while a less important column is shown.
const NAME_MIN: usize = 22;
/// Narrower than this, the next action is dropped rather than shown as a stub.
const ACTION_MIN: usize = 10;

impl Columns {
    fn for_width(width: usize) -> Columns {
        let wide = width >= 110;
        let (stage, level, tier, owner, contact) = if wide {
            (11, 10, 8, 10, 10)
        } else {
            (7, 6, 4, 7, 5)
        };
        let mut cols = Columns {
            name: 0,
            stage,
            level,
            tier,
            action: 0,
            owner,
            contact,
            wide,
        };
        let drops: [fn(&mut Columns); 5] = [
            |c| c.owner = 0,
            |c| c.level = 0,
            |c| c.tier = 0,
            |c| c.contact = 0,
            |c| c.stage = 0,
        ];
        let mut drops = drops.iter();
        loop {
            // The marker, a free last column, and each shown fixed column after a space.
            let fixed: usize = 2 + [cols.stage, cols.level, cols.tier, cols.owner, cols.contact]
                .iter()
                .filter(|w| **w > 0)
                .map(|w| w + 1)
                .sum::<usize>();
            // Name, a space, the next action.
            let shared = width.saturating_sub(fixed + 1);
            if shared >= NAME_MIN + ACTION_MIN {
                cols.name = (shared * 55 / 100).max(NAME_MIN);
                cols.action = shared - cols.name;
                return cols;
            }
            match drops.next() {
                Some(drop) => drop(&mut cols),
                None => {
                    cols.name = width.saturating_sub(fixed);
                    return cols;
                }
            }
        }
    }

    /// Each column after the name, in screen order: its width (0 = dropped).
    fn after_name(&self) -> [usize; 6] {
        [
            self.stage,
            self.level,
            self.tier,
            self.action,
            self.owner,
            self.contact,
        ]
    }
}

/// The cells after the name, each after a space, leaving out dropped columns.
fn after_name(cols: &Columns, cells: [Span<'static>; 6], space: Style) -> Vec<Span<'static>> {
    cols.after_name()
        .into_iter()
        .zip(cells)
        .filter(|(w, _)| *w > 0)
        .flat_map(|(_, cell)| [Span::styled(" ", space), cell])
        .collect()
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
    // A portfolio row's customers: Esc goes back to it.
    let info = if app.portfolio.drilled.is_some() {
        tr("book-drilled", &[("info", &info)])
    } else {
        info
    };
    let mut lines = vec![line(&info, width, theme.title, theme), header(&cols, theme)];

    let mut cursor = list.cursor;
    cursor.follow(list.len(), rows);
    for row in cursor.offset..(cursor.offset + rows).min(list.len()) {
        let Some(summary) = list.row(row) else {
            break;
        };
        lines.push(row_line(
            &summary,
            list.row_name_shared(row),
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
    let mut spans = vec![
        Span::raw(" "),
        cell(&t("book-col-customer"), cols.name, style, theme),
    ];
    spans.extend(after_name(
        cols,
        [
            cell(&t("book-col-stage"), cols.stage, style, theme),
            cell(&t("book-col-level"), cols.level, style, theme),
            cell(&t("book-col-tier"), cols.tier, style, theme),
            cell(&t("book-col-action"), cols.action, style, theme),
            cell(&t("book-col-owner"), cols.owner, style, theme),
            cell(&contact, cols.contact, style, theme),
        ],
        Style::new(),
    ));
    Line::from(spans)
}

fn row_line(
    s: &Summary,
    shared: bool,
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
    let mut spans = vec![Span::styled(marker, base)];
    spans.extend(name_cell(
        &name,
        &s.id,
        shared,
        cols.name,
        (base, pick(theme.muted)),
        theme,
    ));
    spans.extend(after_name(
        cols,
        [
            cell(
                &stage_cell(s.stage, cols),
                cols.stage,
                pick(theme.stage(s.stage)),
                theme,
            ),
            cell(
                &level_cell(s.level, cols),
                cols.level,
                pick(theme.level(s.level)),
                theme,
            ),
            cell(
                &tier_cell(s.tier, cols),
                cols.tier,
                pick(theme.tier(s.tier)),
                theme,
            ),
            cell(&action, cols.action, base, theme),
            cell(&s.owner, cols.owner, base, theme),
            cell_right(&contact, cols.contact, pick(theme.muted), theme),
        ],
        base,
    ));
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fill_the_width() {
        for width in [50, 60, 80, 120, 200] {
            let c = Columns::for_width(width);
            let shown: usize = c
                .after_name()
                .iter()
                .filter(|w| **w > 0)
                .map(|w| w + 1)
                .sum();
            // The marker, the name, the shown columns after a space each, one column free.
            assert_eq!(1 + c.name + shown + 1, width, "width {width}");
        }
    }

    #[test]
    fn the_name_keeps_its_room_as_less_important_columns_go() {
        let c = Columns::for_width(50);
        // Owner, level and tier dropped; name, stage, next action and last contact stay.
        assert_eq!(
            (c.name, c.stage, c.level, c.tier, c.action, c.owner, c.contact),
            (22, 7, 0, 0, 11, 0, 5)
        );
        let c = Columns::for_width(80);
        assert_eq!(
            (c.name, c.stage, c.level, c.tier, c.action, c.owner, c.contact),
            (23, 7, 6, 4, 20, 7, 5)
        );
        let c = Columns::for_width(120);
        assert_eq!(
            (c.name, c.stage, c.level, c.tier, c.action, c.owner, c.contact),
            (34, 11, 10, 8, 29, 10, 10)
        );
        // Past every drop the name takes the row.
        let c = Columns::for_width(30);
        assert_eq!((c.name, c.action, c.stage), (28, 0, 0));
    }
}
