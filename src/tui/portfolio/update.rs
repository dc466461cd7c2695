//! The portfolio: a page of figures to scroll; it has no messages of its own.

use crate::book::BookApi;
use crate::tui::app::App;
use crate::tui::vocab::Msg;

/// The portfolio's figures are read, not acted on: its keys are the global ones.
pub(crate) fn portfolio_msg(_app: &mut App, _msg: Msg, _book: &mut dyn BookApi) {}

/// A move key scrolls the page by `step` lines (`document::delta`).
pub(crate) fn move_by(app: &mut App, step: isize, _rows: usize) {
    let target = app.portfolio_scroll as isize + step;
    app.portfolio_scroll = target.clamp(0, 200) as usize;
}
