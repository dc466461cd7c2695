//! The only writer of the App: one message in, the state (and through the Book, the
//! data) changed. Writes go through the Book, which makes them durable before returning.
//!
//! This file dispatches on the layer on top (confirmation, help, form, find, a cycle's page,
//! a card) and the view (through its row in `views.rs`); each screen's messages are its
//! folder's `update.rs`, the palette's and the forms' are `find.rs` and `forms.rs` here, and
//! `customer.rs` holds the writes about one customer that several screens offer.

use crate::i18n::t;

use crate::book::BookApi;
use crate::tui::app::{App, ConfirmKind, FindState};
use crate::tui::document::delta;
use crate::tui::navigate::load_view;
use crate::tui::pdca::update as pdca_update;
use crate::tui::portfolio::update::back_from_drill;
use crate::tui::views;
use crate::tui::vocab::Msg;
use crate::tui::vocab::{Mode, View};

pub(crate) mod customer;
mod find;
pub(crate) mod forms;

use crate::tui::card::update::{card_msg, move_card};
use find::find;
use forms::form_msg;

/// How many hits the find palette asks for: more than any screen shows.
pub const FIND_LIMIT: usize = 50;

pub fn update(app: &mut App, msg: Msg, book: &mut dyn BookApi) {
    app.status = None;
    match app.mode() {
        Mode::Confirm => confirm(app, msg, book),
        Mode::Help => help(app, msg),
        Mode::Form => form_msg(app, msg, book),
        Mode::Pick => forms::pick_msg(app, msg, book),
        Mode::Find => find(app, msg, book),
        Mode::Cycle => pdca_update::page_msg(app, msg, book),
        _ => view_msg(app, msg, book),
    }
    crate::tui::drafts::keep(app);
}

fn confirm(app: &mut App, msg: Msg, book: &mut dyn BookApi) {
    let Some(question) = app.confirm.take() else {
        return;
    };
    match (msg, &question.kind) {
        (Msg::Yes, ConfirmKind::DropForm) => {
            app.form = None;
            app.info(t("msg-discarded"));
        }
        (
            Msg::Yes,
            ConfirmKind::TaskDone {
                customer,
                task,
                close_card,
            },
        ) => {
            let (customer, task, close_card) = (customer.clone(), *task, *close_card);
            customer::task_done(app, book, &customer, task);
            if close_card {
                app.card = None;
            }
        }
        (Msg::Yes, ConfirmKind::SaveForm) => forms::save_open_form(app, book),
        (Msg::Yes, ConfirmKind::UndoLog) => customer::undo_log(app, book),
        (Msg::Yes, ConfirmKind::NewOwner { login }) => {
            let login = login.clone();
            forms::take_new_owner(app, book, &login);
        }
        (Msg::Yes, ConfirmKind::RestoreDraft) => crate::tui::drafts::answer(app, book, true),
        (Msg::No, ConfirmKind::RestoreDraft) => crate::tui::drafts::answer(app, book, false),
        (Msg::No, _) => {}
        _ => app.confirm = Some(question),
    }
}

fn help(app: &mut App, msg: Msg) {
    match msg {
        Msg::ToggleHelp => app.help = None,
        Msg::Down => app.help = app.help.map(|s| s + 1),
        Msg::Up => app.help = app.help.map(|s| s.saturating_sub(1)),
        _ => {}
    }
}

fn view_msg(app: &mut App, msg: Msg, book: &mut dyn BookApi) {
    match msg {
        Msg::Quit => app.quit = true,
        Msg::Show(view) => {
            app.card = None;
            // A view chosen leaves a portfolio row's list: the book shows as it was.
            if let Some(shown) = app.portfolio.drilled.take() {
                app.list.show_as(shown);
            }
            app.view = view;
            load_view(app, book);
        }
        Msg::OpenFind => find::open(app, book),
        Msg::ToggleHelp => app.help = Some(0),
        Msg::Undo => customer::ask_undo_log(app),
        Msg::Back => {
            if app.card.is_some() {
                app.card = None;
            } else if app.view == View::Book && back_from_drill(app, book) {
                // Back to the portfolio row the list was opened from.
            } else if app.view != View::Book {
                app.view = View::Book;
            }
        }
        Msg::Refresh => {
            app.agenda.forget();
            app.portfolio.portfolio = None;
            app.pdca.cycles = None;
            if app.view == View::Book {
                match book.summaries(app.as_of) {
                    Ok(summaries) => app.list.replace(summaries),
                    Err(e) => app.book_error(&e),
                }
            } else {
                // Read when it is shown (`navigate::settle`), not behind this view.
                app.list_stale = true;
            }
            load_view(app, book);
        }
        Msg::Up | Msg::Down | Msg::PageUp | Msg::PageDown | Msg::Top | Msg::Bottom => {
            if app.card.is_some() {
                move_card(app, msg);
            } else {
                move_list(app, msg);
            }
        }
        _ if app.card.is_some() => card_msg(app, msg, book),
        _ => (views::screen(app.view).update)(app, msg, book),
    }
}

fn move_list(app: &mut App, msg: Msg) {
    let rows = usize::from(app.viewport.list_rows);
    (views::screen(app.view).move_by)(app, delta(msg, rows), rows);
}
