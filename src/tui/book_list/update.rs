//! The book list: filters, sorting, opening a card.

use crate::book::BookApi;
use crate::tui::app::App;
use crate::tui::form::{edit, log};
use crate::tui::navigate::open_card;
use crate::tui::vocab::Msg;

/// A move key over the list: `step` rows (`document::delta`), `rows` shown.
pub(crate) fn move_by(app: &mut App, step: isize, rows: usize) {
    let len = app.list.len();
    app.list.cursor.move_by(step, len, rows);
}

pub(crate) fn book_msg(app: &mut App, msg: Msg, book: &mut dyn BookApi) {
    let rows = usize::from(app.viewport.list_rows);
    match msg {
        Msg::Open => {
            if let Some(id) = app.list.selected().map(|s| s.id.clone()) {
                open_card(app, book, &id);
            }
        }
        Msg::Log => {
            if let Some(s) = app.list.selected() {
                app.form = Some(log::new(&s.id, &s.name, None));
            }
        }
        Msg::CycleStage => app.list.cycle_stage(),
        Msg::CycleTier => app.list.cycle_tier(),
        Msg::CycleLevel => app.list.cycle_level(),
        Msg::CycleOwner => app.list.cycle_owner(),
        Msg::ClearFilters => app.list.clear_filters(),
        Msg::Sort(key) => app.list.sort_by(key),
        Msg::AddCustomer => {
            let known = crate::tui::update::forms::known(app, book, None);
            app.form = Some(edit::new_customer(&app.actor, app.as_of, &known));
        }
        _ => {}
    }
    let len = app.list.len();
    app.list.cursor.follow(len, rows);
}
