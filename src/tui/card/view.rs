//! The customer card screen: a fixed header line, then the card document (card_doc.rs),
//! in two columns when wide, one scrolling column when narrow.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::app::App;
use crate::tui::app::Viewport;
use crate::tui::card::doc::{self as card_doc, LEFT_WIDTH};
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
    let header = card_doc::header(&state.card, usize::from(head.width), theme);
    frame.render_widget(Paragraph::new(header), head);

    let height = usize::from(body.height);
    viewport.card_rows = body.height;
    let laid = card_doc::laid(state, area.width, theme);
    let visible = laid.visible(&state.reading, height);

    match &laid.left {
        Some(left) => {
            let [left_area, rule, right_area] = Layout::horizontal([
                Constraint::Length(LEFT_WIDTH),
                Constraint::Length(1),
                Constraint::Min(1),
            ])
            .areas(body);
            frame.render_widget(Paragraph::new(left.clone()), left_area);
            let bar = if theme.ascii { "|" } else { "│" };
            let rule_lines: Vec<Line> = (0..rule.height)
                .map(|_| Line::styled(bar, theme.border))
                .collect();
            frame.render_widget(Paragraph::new(rule_lines), rule);
            frame.render_widget(Paragraph::new(visible), right_area);
        }
        None => frame.render_widget(Paragraph::new(visible), body),
    }
}
