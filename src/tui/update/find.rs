//! The find palette: the query, its hits, opening one.

use super::*;
use crate::book::BookApi;
use crate::tui::app::App;
use crate::tui::navigate::open_card;
use crate::tui::vocab::Msg;

pub(super) fn find(app: &mut App, msg: Msg, book: &mut dyn BookApi) {
    let Some(state) = app.find.as_mut() else {
        return;
    };
    let rows = usize::from(app.viewport.list_rows);
    let edited = match msg {
        Msg::Back => {
            app.find = None;
            return;
        }
        Msg::Open => {
            let id = state.hits.get(state.cursor.selected).map(|h| h.id.clone());
            if let Some(id) = id {
                app.find = None;
                open_card(app, book, &id);
            }
            return;
        }
        Msg::Down => {
            state.cursor.move_by(1, state.hits.len(), rows);
            false
        }
        Msg::Up => {
            state.cursor.move_by(-1, state.hits.len(), rows);
            false
        }
        Msg::Input(c) => {
            state.query.insert(c);
            true
        }
        Msg::Backspace => state.query.backspace(),
        Msg::Delete => state.query.delete(),
        Msg::Left => {
            state.query.left();
            false
        }
        Msg::Right => {
            state.query.right();
            false
        }
        Msg::Home => {
            state.query.home();
            false
        }
        Msg::End => {
            state.query.end();
            false
        }
        Msg::ClearInput => {
            state.query.clear();
            true
        }
        _ => false,
    };
    let mut failed = None;
    if edited {
        let query = state.query.value().to_string();
        state.hits = if query.trim().is_empty() {
            Vec::new()
        } else if let Some(index) = book.local_index() {
            // In this process: narrow the previous hits keystroke by keystroke.
            app.searcher.query(index, &query, FIND_LIMIT).to_vec()
        } else {
            // A client of `crm serve`: the owner searches.
            book.find(&query, FIND_LIMIT).unwrap_or_else(|e| {
                failed = Some(crate::tui::app::error_text(&e));
                Vec::new()
            })
        };
        state.cursor = Default::default();
    }
    if let Some(why) = failed {
        app.error(why);
    }
}
