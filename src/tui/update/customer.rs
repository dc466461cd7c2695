//! Writes about one customer that several screens offer (the card, the agenda, a saved
//! form): accept an action, finish or snooze a task, and refresh what a write changed.

use crate::book::BookApi;
use crate::domain::acceptance::{acceptance, Acceptance};
use crate::domain::model::TaskId;
use crate::i18n::{t, tr};
use crate::tui::app::{App, Confirm, ConfirmKind};
use crate::tui::form::{edit, log};
use crate::tui::navigate::{load_view, open_card};
use crate::tui::vocab::{Msg, View};
use jiff::civil::Date;
use jiff::ToSpan;

/// Brings every shown figure up to date after `id` changed, and shows its card.
pub(crate) fn after_write(app: &mut App, book: &mut dyn BookApi, id: &str) {
    if app.view == View::Book {
        match book.summaries(app.as_of) {
            Ok(summaries) => app.list.replace(summaries),
            Err(e) => app.book_error(&e),
        }
    } else {
        app.list_stale = true;
    }
    app.agenda.forget();
    app.portfolio.portfolio = None;
    {
        let keep = app
            .card
            .as_ref()
            .filter(|c| c.card.id == id)
            .map(|c| c.reading);
        open_card(app, book, id);
        if let (Some(state), Some(kept)) = (app.card.as_mut(), keep) {
            state.reading.cursor = kept.cursor.min(state.items().len().saturating_sub(1));
            state.reading.scroll = kept.scroll;
        }
    }
    load_view(app, book);
}

pub(crate) fn profile_form(app: &mut App, book: &mut dyn BookApi, id: &str) {
    match book.account(id) {
        Ok(account) => {
            let known = super::forms::known(app, book, None);
            app.form = Some(edit::edit_customer(&account.customer, &known));
        }
        Err(e) => app.book_error(&e),
    }
}

/// Accepts a next-best-action: the contact form, the profile form, or a task.
pub(crate) fn accept(
    app: &mut App,
    book: &mut dyn BookApi,
    id: &str,
    name: &str,
    code: crate::domain::card::ActionCode,
    text: &str,
    due: Date,
) {
    match acceptance(code) {
        Acceptance::Contact(purpose) => {
            let prefill = log::Prefill {
                purpose,
                note: text.to_string(),
            };
            app.form = Some(log::new(id, name, Some(prefill)));
        }
        Acceptance::Profile => profile_form(app, book, id),
        Acceptance::Task => {
            let due = due.max(app.as_of);
            let origin = crate::domain::model::TaskOrigin::NextBestAction;
            match book.add_task(id, due, text, origin) {
                Ok(_) => {
                    after_write(app, book, id);
                    app.info(tr("msg-task-added", &[("due", &due.to_string())]));
                }
                Err(e) => app.book_error(&e),
            }
        }
    }
}

/// Asks before taking back the last contact logged in this console.
pub(crate) fn ask_undo_log(app: &mut App) {
    let Some(receipt) = app.last_log.as_ref() else {
        app.info(t("msg-nothing-to-undo"));
        return;
    };
    let at = receipt
        .at
        .to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%d %H:%M UTC")
        .to_string();
    app.confirm = Some(Confirm {
        prompt: tr(
            "msg-confirm-undo-log",
            &[("customer", &receipt.customer), ("at", &at)],
        ),
        kind: ConfirmKind::UndoLog,
    });
}

/// Takes back the last contact logged: a reverse event, the log kept in the journal.
pub(crate) fn undo_log(app: &mut App, book: &mut dyn BookApi) {
    let Some(receipt) = app.last_log.clone() else {
        return;
    };
    let over_card = app.card.is_some();
    match book.retract_contact(&receipt) {
        Ok(()) => {
            app.last_log = None;
            after_write(app, book, &receipt.customer);
            if !over_card {
                app.card = None;
            }
            app.info(t("msg-contact-taken-back"));
        }
        Err(e) => app.book_error(&e),
    }
}

/// Asks before marking a task done: one key must not close a follow-up by accident.
pub(crate) fn ask_task_done(app: &mut App, id: &str, task: TaskId, text: &str, close_card: bool) {
    app.confirm = Some(Confirm {
        prompt: tr(
            "msg-confirm-task-done",
            &[("text", &crate::i18n::task_text_words(text))],
        ),
        kind: ConfirmKind::TaskDone {
            customer: id.to_string(),
            task,
            close_card,
        },
    });
}

pub(crate) fn task_done(app: &mut App, book: &mut dyn BookApi, id: &str, task: TaskId) {
    match book.set_task_done(id, task, Some(app.as_of)) {
        Ok(()) => {
            after_write(app, book, id);
            app.info(t("msg-task-done"));
        }
        Err(e) => app.book_error(&e),
    }
}

pub(crate) fn snooze(
    app: &mut App,
    book: &mut dyn BookApi,
    id: &str,
    task: TaskId,
    due: Date,
    msg: Msg,
) {
    let days = if msg == Msg::SnoozeWeek { 7 } else { 1 };
    // Snoozing an overdue task counts from today, not from the missed date.
    let from = due.max(app.as_of);
    let Ok(new_due) = from.checked_add(days.days()) else {
        app.error(tr("msg-cannot-snooze", &[("date", &from.to_string())]));
        return;
    };
    match book.snooze_task(id, task, new_due) {
        Ok(()) => {
            after_write(app, book, id);
            app.info(tr("msg-snoozed", &[("date", &new_due.to_string())]));
        }
        Err(e) => app.book_error(&e),
    }
}
