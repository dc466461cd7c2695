//! The customer card screen: a fixed header line, then the card document (card_doc.rs),
//! in two columns when wide, one scrolling column when narrow.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::app::App;
use crate::tui::app::Viewport;
use crate::tui::card::doc::{self as card_doc, LEFT_WIDTH};
use crate::tui::card::header;
use crate::tui::card::state::CardState;

pub fn render(
    app: &App,
    state: &CardState,
    frame: &mut Frame,
    area: Rect,
    viewport: &mut Viewport,
) {
    let theme = &app.theme;
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let header = header::header(&state.card, usize::from(head.width), theme);
    frame.render_widget(Paragraph::new(header), head);

    let height = usize::from(body.height);
    viewport.card_rows = body.height;
    let laid = card_doc::laid(state, area.width, theme);
    let visible = laid.visible(&state.reading, height);

    laid.draw(frame, body, LEFT_WIDTH, visible, theme);
}
