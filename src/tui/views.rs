//! The views (the top bar's tabs), one row each: how a view takes its own messages, moves
//! its selection and draws itself. `update/mod.rs` and `view/mod.rs` dispatch through this
//! table, so a new view is one row here rather than an arm in each dispatcher. What a view
//! loads when shown stays in `navigate.rs` `load_view`: the screens' updates call it, and
//! this file imports them (a row here would make an import circle).

use ratatui::layout::Rect;
use ratatui::Frame;

use crate::book::BookApi;
use crate::tui::app::{App, Viewport};
use crate::tui::vocab::{Msg, View};
use crate::tui::{agenda, book_list, pdca, portfolio};

/// A view's functions.
pub(crate) struct Screen {
    /// Its own messages (not the moves, not the global ones), with no card open.
    pub update: fn(&mut App, Msg, &mut dyn BookApi),
    /// A move key: `step` rows (`document::delta`) with `rows` rows shown.
    pub move_by: fn(&mut App, isize, usize),
    /// Draws it in the area under the top bar, recording what the next key needs.
    pub render: fn(&App, &mut Frame, Rect, &mut Viewport),
}

pub(crate) fn screen(view: View) -> Screen {
    match view {
        View::Book => Screen {
            update: book_list::update::book_msg,
            move_by: book_list::update::move_by,
            render: book_list::view::render,
        },
        View::Agenda => Screen {
            update: agenda::update::agenda_msg,
            move_by: agenda::update::move_by,
            render: agenda::view::render,
        },
        View::Portfolio => Screen {
            update: portfolio::update::portfolio_msg,
            move_by: portfolio::update::move_by,
            render: portfolio::view::render,
        },
        View::Pdca => Screen {
            update: pdca::update::list_msg,
            move_by: pdca::update::move_by,
            render: pdca::view::render,
        },
    }
}
