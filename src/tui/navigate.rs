//! What the screens' updates share: opening a card and loading what a view shows. A leaf under update.rs and pdca_update.rs, so neither has to
//! call the other back.

use crate::book::BookApi;
use crate::tui::app::App;
use crate::tui::card::state::CardState;
use crate::tui::vocab::View;

pub(crate) fn open_card(app: &mut App, book: &mut dyn BookApi, id: &str) {
    match book.card(id, app.as_of) {
        Ok(card) => {
            // A card opened from a cycle's page (or found over it) takes the screen.
            app.pdca.page = None;
            app.list.select_id(id);
            let rows = usize::from(app.viewport.list_rows);
            let len = app.list.len();
            app.list.cursor.follow(len, rows);
            app.card = Some(CardState::new(card));
        }
        Err(e) => app.book_error(&e),
    }
}

/// Asks for what the current view needs and does not have yet. A figure that takes a pass
/// over the book (the agenda, the portfolio) is only marked as loading: the loop draws
/// "loading…" and then computes it (`settle`), so the screen never freezes unexplained.
pub(crate) fn load_view(app: &mut App, book: &mut dyn BookApi) {
    match app.view {
        View::Book => {}
        View::Agenda if app.agenda.agenda.is_none() => app.agenda.loading = true,
        View::Portfolio if app.portfolio.portfolio.is_none() => app.portfolio.loading = true,
        View::Pdca => load_list(app, book),
        _ => {}
    }
}

/// Computes what `load_view` marked as loading, and the book list when it is shown after a
/// write made elsewhere left it stale; true when something was computed.
pub(crate) fn settle(app: &mut App, book: &mut dyn BookApi) -> bool {
    let rows = usize::from(app.viewport.list_rows);
    let mut changed = false;
    if app.view == View::Book && std::mem::take(&mut app.list_stale) {
        changed = true;
        match book.summaries(app.as_of) {
            Ok(summaries) => app.list.replace(summaries),
            Err(e) => app.book_error(&e),
        }
    }
    if std::mem::take(&mut app.agenda.loading) {
        changed = true;
        let owner = app.agenda.mine.then(|| app.actor.clone());
        match book.agenda(app.as_of, owner.as_deref()) {
            Ok(agenda) => app.agenda.set(agenda, rows),
            Err(e) => app.book_error(&e),
        }
    }
    if std::mem::take(&mut app.portfolio.loading) {
        changed = true;
        match book.portfolio(app.as_of, None) {
            Ok(p) => app.portfolio.portfolio = Some(p),
            Err(e) => app.book_error(&e),
        }
    }
    changed
}

/// Loads the review list unless it is loaded already.
pub(crate) fn load_list(app: &mut App, book: &mut dyn BookApi) {
    if app.pdca.cycles.is_none() {
        reload_list(app, book);
    }
}

pub(crate) fn reload_list(app: &mut App, book: &mut dyn BookApi) {
    let rows = usize::from(app.viewport.list_rows);
    match book.cycles() {
        Ok(cycles) => app.pdca.set(cycles, app.as_of, rows),
        Err(e) => app.book_error(&e),
    }
}
