//! A customer's card: scrolling, accepting actions, tasks, bonds and edits.

use crate::book::BookApi;
use crate::i18n::t;
use crate::tui::app::App;
use crate::tui::card::doc as card_doc;
use crate::tui::card::state::Item;
use crate::tui::form::{edit, log};
use crate::tui::pdca::update as pdca_update;
use crate::tui::update::customer::*;
use crate::tui::vocab::Msg;

pub(crate) fn move_card(app: &mut App, msg: Msg) {
    let width = app.viewport.width;
    let height = usize::from(app.viewport.card_rows);
    let theme = app.theme.clone();
    let Some(state) = app.card.as_mut() else {
        return;
    };
    let laid = card_doc::laid(state, width, &theme);
    state.reading.step(laid.shape(), height, msg);
}

pub(crate) fn card_msg(app: &mut App, msg: Msg, book: &mut dyn BookApi) {
    let Some(state) = app.card.as_ref() else {
        return;
    };
    let card = &state.card;
    let id = card.id.clone();
    let name = card.name.clone();
    let current = state.current();
    match msg {
        Msg::Log => app.form = Some(log::new(&id, &name, None)),
        Msg::Accept | Msg::Open => match current {
            Some(Item::Action(i)) => {
                if let Some(action) = card.next_actions.get(i).cloned() {
                    accept(
                        app,
                        book,
                        &id,
                        &name,
                        action.code,
                        &action.action,
                        action.due,
                    );
                }
            }
            Some(Item::Task(i)) if msg == Msg::Open => {
                if let Some(task) = card.open_tasks.get(i).cloned() {
                    ask_task_done(app, &id, task.id, &task.text, false);
                }
            }
            Some(Item::Cycle(i)) if msg == Msg::Open => {
                if let Some(cycle) = card.cycles.get(i).map(|c| c.id) {
                    pdca_update::open_page(app, book, cycle);
                }
            }
            _ if msg == Msg::Accept => app.info(t("msg-move-to-action")),
            _ => {}
        },
        Msg::TaskDone | Msg::Snooze | Msg::SnoozeWeek => match current {
            Some(Item::Task(i)) => {
                if let Some(task) = card.open_tasks.get(i).cloned() {
                    if msg == Msg::TaskDone {
                        ask_task_done(app, &id, task.id, &task.text, false);
                    } else {
                        snooze(app, book, &id, task.id, task.due, msg);
                    }
                }
            }
            _ => app.info(t("msg-move-to-task")),
        },
        Msg::CorrectContact => match current {
            Some(Item::Contact(i)) => {
                if let Some(contact) = card.recent_interactions.get(i) {
                    app.form = Some(log::correct(&id, &name, contact));
                }
            }
            _ => app.info(t("msg-move-to-contact")),
        },
        Msg::ShowVersions => match current {
            Some(Item::Contact(i)) => {
                let Some(contact) = card.recent_interactions.get(i).cloned() else {
                    return;
                };
                if card.corrections_of(&contact).is_empty() {
                    app.info(t("msg-contact-not-corrected"));
                } else if let Some(state) = app.card.as_mut() {
                    state.toggle_versions(&contact);
                }
            }
            _ => app.info(t("msg-move-to-contact")),
        },
        Msg::EditProfile => profile_form(app, book, &id),
        Msg::AddBond => app.form = Some(edit::add_bond(&id, &name, None, app.as_of)),
        Msg::EndBond => match book.account(&id) {
            Ok(account) => match edit::end_bond(&account, app.as_of) {
                Some(form) => app.form = Some(form),
                None => app.info(t("msg-no-active-bond")),
            },
            Err(e) => app.book_error(&e),
        },
        Msg::AddOrder => app.form = Some(edit::add_order(&id, &name, app.as_of)),
        Msg::Pdca(pdca) => pdca_update::card_msg(app, book, pdca, &id),
        Msg::MarkLost => match book.account(&id) {
            Ok(account) => app.form = Some(edit::lost(&account.customer, app.as_of)),
            Err(e) => app.book_error(&e),
        },
        _ => {}
    }
}
