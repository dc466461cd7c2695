//! The agenda: each row acted on in place (open, log, done, snooze, accept), and whose
//! agenda it is (mine, or everyone's the book shows me).

use crate::book::BookApi;
use crate::i18n::t;
use crate::tui::agenda::state::AgendaRow;
use crate::tui::app::App;
use crate::tui::form::log;
use crate::tui::navigate::{load_view, open_card};
use crate::tui::update::customer::*;
use crate::tui::vocab::Msg;

/// A move key over the agenda: `step` rows (`document::delta`), `rows` shown.
pub(crate) fn move_by(app: &mut App, step: isize, rows: usize) {
    let len = app.agenda.len();
    app.agenda.cursor.move_by(step, len, rows);
}

pub(crate) fn agenda_msg(app: &mut App, msg: Msg, book: &mut dyn BookApi) {
    if msg == Msg::ToggleMine {
        app.agenda.mine = !app.agenda.mine;
        app.agenda.forget();
        app.agenda.cursor = Default::default();
        load_view(app, book);
        return;
    }
    if matches!(msg, Msg::NextSection | Msg::PrevSection) {
        to_section(app, msg == Msg::NextSection);
        return;
    }
    let Some(row) = app.agenda.selected() else {
        return;
    };
    let id = row.customer().to_string();
    match (msg, row) {
        (Msg::Open, _) => open_card(app, book, &id),
        (Msg::Log, _) => {
            let name = row.name().to_string();
            app.form = Some(log::new(&id, &name, None));
        }
        (Msg::TaskDone, AgendaRow::FollowUp(f)) => {
            let (task, text) = (f.task, f.text.clone());
            ask_task_done(app, &id, task, &text, true);
        }
        (Msg::Snooze | Msg::SnoozeWeek, AgendaRow::FollowUp(f)) => {
            let (task, due) = (f.task, f.due);
            snooze(app, book, &id, task, due, msg);
            app.card = None;
        }
        (Msg::Accept, AgendaRow::Action(a)) => {
            let (name, code, text, due) = (a.name.clone(), a.code, a.action.clone(), a.due);
            accept(app, book, &id, &name, code, &text, due);
            if app.form.is_none() {
                app.card = None;
            }
        }
        (Msg::TaskDone | Msg::Snooze | Msg::SnoozeWeek, AgendaRow::Action(_)) => {
            app.info(t("msg-action-not-task"))
        }
        (Msg::Accept, AgendaRow::FollowUp(_)) => app.info(t("msg-follow-up-done-hint")),
        _ => {}
    }
}

/// Moves the cursor to the first row of the next section with rows (`forward`), or of the
/// section before the cursor's; stays where it is when there is none.
fn to_section(app: &mut App, forward: bool) {
    let starts: Vec<usize> = {
        let rows = app.agenda.rows();
        (0..rows.len())
            .filter(|&i| i == 0 || rows[i].0 != rows[i - 1].0)
            .collect()
    };
    let at = app.agenda.cursor.selected;
    // The first row of the cursor's own section.
    let own = starts.iter().copied().rfind(|&s| s <= at);
    let target = if forward {
        starts.iter().copied().find(|&s| s > at)
    } else {
        own.and_then(|own| starts.iter().copied().rfind(|&s| s < own))
    };
    if let Some(target) = target {
        let rows = usize::from(app.viewport.list_rows);
        move_by(app, target as isize - at as isize, rows);
    }
}
