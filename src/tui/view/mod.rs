//! Read-only rendering: `render(&App, &mut Frame)`, one file per screen. Nothing here
//! changes the App: the sizes it lays out are returned (`render`) for the caller to keep.

pub mod agenda;
pub mod book;
pub mod card;
pub mod card_doc;
pub mod chrome;
pub mod find;
pub mod form;
pub mod help;
pub mod pdca;
pub mod pdca_chart;
pub mod pdca_page;
pub mod pdca_words;
pub mod portfolio;

use crate::i18n::{t, tr};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

use crate::tui::app::{App, Viewport};
use crate::tui::text;
use crate::tui::theme::Theme;
use crate::tui::vocab::View;

/// Below this the console shows a notice instead of a layout that cannot fit.
pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 12;

/// Draws the App and returns the sizes it laid out (list and card rows, width), which the
/// caller keeps in `App::viewport` for the next page key: rendering changes nothing.
pub fn render(app: &App, frame: &mut Frame) -> Viewport {
    let mut viewport = app.viewport;
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(app, frame, area);
        return viewport;
    }
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    viewport.width = body.width;
    chrome::top_bar(app, frame, top);
    match (&app.pdca.page, &app.card) {
        (Some(page), _) => pdca_page::render(app, page, frame, body, &mut viewport),
        (None, Some(state)) => card::render(app, state, frame, body, &mut viewport),
        (None, None) => match app.view {
            View::Book => book::render(app, frame, body, &mut viewport),
            View::Agenda => agenda::render(app, frame, body, &mut viewport),
            View::Portfolio => portfolio::render(app, frame, body),
            View::Pdca => pdca::render(app, frame, body, &mut viewport),
        },
    }
    if let Some(find) = &app.find {
        find::render(app, find, frame, body);
    }
    if let Some(form) = &app.form {
        form::render(app, form, frame, body);
    }
    if let Some(scroll) = app.help {
        help::render(app, scroll, frame, body);
    }
    if let Some(confirm) = &app.confirm {
        chrome::confirm(app, &confirm.prompt, frame, body);
    }
    chrome::bottom_bar(app, frame, bottom);
    if app.theme.ascii {
        asciify(frame.buffer_mut());
    }
    viewport
}

/// On an ASCII terminal, our own decorations (separators, arrows, bars, rules) become
/// ASCII. Names and notes keep their characters: they are the user's data.
fn asciify(buffer: &mut ratatui::buffer::Buffer) {
    for cell in buffer.content.iter_mut() {
        let replacement = match cell.symbol() {
            "·" => ".",
            "→" => ">",
            "…" => ".",
            "↓" => "v",
            "↑" => "^",
            "│" => "|",
            "─" => "-",
            "−" => "-",
            "×" => "x",
            "█" | "▁" | "▂" | "▃" | "▄" | "▅" | "▆" | "▇" => "#",
            _ => continue,
        };
        cell.set_symbol(replacement);
    }
}

fn too_small(app: &App, frame: &mut Frame, area: Rect) {
    let message = tr(
        "too-small",
        &[
            ("width", &area.width.to_string()),
            ("height", &area.height.to_string()),
            ("min_width", &MIN_WIDTH.to_string()),
            ("min_height", &MIN_HEIGHT.to_string()),
        ],
    );
    let width = usize::from(area.width);
    let lines: Vec<Line> = text::wrap(&message, width)
        .into_iter()
        .take(usize::from(area.height))
        .map(|l| {
            Line::styled(
                text::truncate(&l, width, app.theme.ellipsis()),
                app.theme.warn,
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// A span of `s` cut or padded to exactly `cols` columns.
pub fn cell(s: &str, cols: usize, style: Style, theme: &Theme) -> Span<'static> {
    Span::styled(text::fit(&text::clean(s), cols, theme.ellipsis()), style)
}

pub fn cell_right(s: &str, cols: usize, style: Style, theme: &Theme) -> Span<'static> {
    Span::styled(text::fit_right(s, cols, theme.ellipsis()), style)
}

/// A one-line text, cut with an ellipsis to `cols`.
pub fn line(s: &str, cols: usize, style: Style, theme: &Theme) -> Line<'static> {
    Line::styled(
        text::truncate(&text::clean(s), cols, theme.ellipsis()),
        style,
    )
}

/// A bordered block with the theme's border set and a title.
pub fn block(title: &str, theme: &Theme) -> Block<'static> {
    Block::bordered()
        .border_set(theme.border_set())
        .border_style(theme.border)
        .title(Span::styled(
            format!(" {} ", text::clean(title)),
            theme.title,
        ))
}

/// A rectangle of at most `width` x `height` centred in `area`, cleared for a popup.
pub fn popup(frame: &mut Frame, area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    let rect = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    frame.render_widget(Clear, rect);
    // A double-width character just left of the popup would spill into its border.
    let buffer = frame.buffer_mut();
    for y in rect.top()..rect.bottom() {
        if rect.x > area.x && text::width(buffer[(rect.x - 1, y)].symbol()) > 1 {
            buffer[(rect.x - 1, y)].set_symbol(" ");
        }
    }
    rect
}

/// Days between two dates as a short age: "today", "12d", "5mo", "2y".
pub fn age(from: jiff::civil::Date, to: jiff::civil::Date) -> String {
    let days = crate::tui::view::days_between(from, to);
    match days {
        i64::MIN..=0 => t("age-today"),
        1..=59 => tr("age-days", &[("n", &days.to_string())]),
        60..=729 => tr("age-months", &[("n", &(days / 30).to_string())]),
        _ => tr("age-years", &[("n", &(days / 365).to_string())]),
    }
}

pub fn days_between(from: jiff::civil::Date, to: jiff::civil::Date) -> i64 {
    from.until(to)
        .map(|span| i64::from(span.get_days()))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn ages() {
        let today = date(2026, 11, 22);
        assert_eq!(age(today, today), "today");
        assert_eq!(age(date(2026, 11, 10), today), "12d");
        assert_eq!(age(date(2026, 6, 1), today), "5mo");
        assert_eq!(age(date(2023, 1, 1), today), "3y");
    }
}
