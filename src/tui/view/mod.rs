//! Read-only rendering: `render(&App, &mut Frame)`, one file per screen. Nothing here
//! changes the App: the sizes it lays out are returned (`render`) for the caller to keep.

pub mod chrome;
pub mod find;
pub mod form;
pub mod help;

use crate::i18n::tr;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::app::{App, Viewport};
use crate::tui::text;
use crate::tui::{card, pdca, views};

/// Below this the console shows a notice instead of a layout that cannot fit.
pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 12;

/// Draws the App and returns the sizes it laid out (list and card rows, width), which the
/// caller keeps in `App::viewport` for the next page key: rendering changes nothing.
pub fn render(app: &App, frame: &mut Frame) -> Viewport {
    let mut viewport = app.viewport;
    let area = frame.area();
    viewport.too_small = area.width < MIN_WIDTH || area.height < MIN_HEIGHT;
    if viewport.too_small {
        too_small(app, frame, area);
        return viewport;
    }
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(chrome::bottom_rows(app, area)),
    ])
    .areas(area);
    viewport.width = body.width;
    chrome::top_bar(app, frame, top);
    match (&app.pdca.page, &app.card) {
        (Some(page), _) => pdca::page::render(app, page, frame, body, &mut viewport),
        (None, Some(state)) => card::view::render(app, state, frame, body, &mut viewport),
        (None, None) => (views::screen(app.view).render)(app, frame, body, &mut viewport),
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
