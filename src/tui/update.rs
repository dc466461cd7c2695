//! The only writer of the App: one message in, the state (and through the Book, the
//! data) changed. Writes go through the Book, which makes them durable before returning.

use crate::i18n::{t, tr};
use jiff::civil::Date;
use jiff::ToSpan;

use crate::book::BookApi;
use crate::domain::acceptance::{acceptance, Acceptance};
use crate::domain::model::TaskId;
use crate::tui::agenda_state::AgendaRow;
use crate::tui::app::{App, Confirm, ConfirmKind, FindState, Item};
use crate::tui::form::{self, edit, log, Ctx, Edit, FormKind, Submit};
use crate::tui::navigate::{delta, load_view, open_card};
use crate::tui::pdca_update;
use crate::tui::view::card_doc;
use crate::tui::vocab::Msg;
use crate::tui::vocab::{Mode, View};

/// How many hits the find palette asks for: more than any screen shows.
pub const FIND_LIMIT: usize = 50;

pub fn update(app: &mut App, msg: Msg, book: &mut dyn BookApi) {
    app.status = None;
    match app.mode() {
        Mode::Confirm => confirm(app, msg),
        Mode::Help => help(app, msg),
        Mode::Form => form_msg(app, msg, book),
        Mode::Find => find(app, msg, book),
        Mode::Cycle => pdca_update::page_msg(app, msg, book),
        _ => view_msg(app, msg, book),
    }
}

fn confirm(app: &mut App, msg: Msg) {
    let Some(question) = app.confirm.take() else {
        return;
    };
    match (msg, question.kind) {
        (Msg::Yes, ConfirmKind::DropForm) => {
            app.form = None;
            app.info(t("msg-discarded"));
        }
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

fn find(app: &mut App, msg: Msg, book: &mut dyn BookApi) {
    let Some(state) = app.find.as_mut() else {
        return;
    };
    let rows = usize::from(app.viewport.list_rows.get());
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
                failed = Some(e.to_string());
                Vec::new()
            })
        };
        state.cursor = Default::default();
    }
    if let Some(why) = failed {
        app.error(why);
    }
}

fn form_msg(app: &mut App, msg: Msg, book: &mut dyn BookApi) {
    let Some(form) = app.form.as_mut() else {
        return;
    };
    let ctx = Ctx {
        as_of: app.as_of,
        now: (app.now)(),
        author: &app.actor,
    };
    let edit = match msg {
        Msg::Back => {
            if form.dirty {
                app.confirm = Some(Confirm {
                    prompt: t("msg-discard-prompt"),
                    kind: ConfirmKind::DropForm,
                });
            } else {
                app.form = None;
            }
            return;
        }
        Msg::Save => {
            let Some(submit) = form.check(&ctx, true) else {
                app.error(t("msg-fix-field"));
                return;
            };
            let kind = form.kind.clone();
            save(app, book, kind, submit);
            return;
        }
        Msg::NextField => {
            form.next_field();
            return;
        }
        Msg::PrevField => {
            form.prev_field();
            return;
        }
        Msg::Newline => {
            let multiline = matches!(
                form.focused().map(|f| &f.value),
                Some(form::FieldValue::Text {
                    multiline: true,
                    ..
                })
            );
            if !multiline {
                form.next_field();
                return;
            }
            Edit::Newline
        }
        Msg::Input(c) => Edit::Char(c),
        Msg::Backspace => Edit::Backspace,
        Msg::Delete => Edit::Delete,
        Msg::Left => Edit::Left,
        Msg::Right => Edit::Right,
        Msg::Home => Edit::Home,
        Msg::End => Edit::End,
        Msg::ClearInput => Edit::Clear,
        _ => return,
    };
    if form.edit(edit) {
        edit::refresh_bond_hint(form);
        pdca_update::after_edit(form, book, ctx.as_of);
        form.check(&ctx, false);
    }
}

/// Sends a checked form to the book; on success closes it and shows the result.
fn save(app: &mut App, book: &mut dyn BookApi, kind: FormKind, submit: Submit) {
    if matches!(
        kind,
        FormKind::NewCycle
            | FormKind::CycleAction { .. }
            | FormKind::ActCycle { .. }
            | FormKind::EditCycle { .. }
    ) {
        pdca_update::save(app, book, &kind, submit);
        return;
    }
    let customer = kind.customer().map(str::to_string);
    let result = match (&submit, customer.as_deref()) {
        (Submit::Log(interaction), Some(id)) => book
            .log_contact(id, interaction.clone())
            .map(|_| (id.to_string(), "msg-contact-logged")),
        (Submit::NewCustomer(c), _) => book
            .add_customer(c.clone())
            .map(|id| (id, "msg-customer-added")),
        (Submit::EditCustomer(c), _) => book
            .update_customer(c.clone())
            .map(|_| (c.id.clone(), "msg-profile-saved")),
        (Submit::AddBond(bond), Some(id)) => book
            .add_bond(id, bond.clone())
            .map(|_| (id.to_string(), "msg-bond-added")),
        (Submit::EndBond { index, until }, Some(id)) => book
            .end_bond(id, *index, *until)
            .map(|_| (id.to_string(), "msg-bond-ended")),
        (Submit::AddOrder(order), Some(id)) => book
            .add_order(id, order.clone())
            .map(|_| (id.to_string(), "msg-order-added")),
        (Submit::Lost(lost), Some(id)) => book.set_lost(id, lost.clone()).map(|_| {
            let done = if lost.is_some() {
                "msg-marked-lost"
            } else {
                "msg-no-longer-lost"
            };
            (id.to_string(), done)
        }),
        _ => return,
    };
    match result {
        Ok((id, done)) => {
            app.form = None;
            after_write(app, book, &id);
            app.info(t(done));
        }
        Err(e) => {
            if let Some(form) = app.form.as_mut() {
                form.error = Some(e.to_string());
            }
            app.error(e.to_string());
        }
    }
}

/// Brings every shown figure up to date after `id` changed, and shows its card.
fn after_write(app: &mut App, book: &mut dyn BookApi, id: &str) {
    match book.summaries(app.as_of) {
        Ok(summaries) => app.list.replace(summaries),
        Err(e) => app.error(e.to_string()),
    }
    app.agenda.agenda = None;
    app.portfolio.portfolio = None;
    {
        let keep = app
            .card
            .as_ref()
            .filter(|c| c.card.id == id)
            .map(|c| (c.cursor, c.scroll));
        open_card(app, book, id);
        if let (Some(state), Some((cursor, scroll))) = (app.card.as_mut(), keep) {
            state.cursor = cursor.min(state.items().len().saturating_sub(1));
            state.scroll = scroll;
        }
    }
    load_view(app, book);
}

fn view_msg(app: &mut App, msg: Msg, book: &mut dyn BookApi) {
    match msg {
        Msg::Quit => app.quit = true,
        Msg::Show(view) => {
            app.card = None;
            app.view = view;
            load_view(app, book);
        }
        Msg::OpenFind => {
            app.find = Some(FindState::default());
        }
        Msg::ToggleHelp => app.help = Some(0),
        Msg::Back => {
            if app.card.is_some() {
                app.card = None;
            } else if app.view != View::Book {
                app.view = View::Book;
            }
        }
        Msg::Refresh => {
            app.agenda.agenda = None;
            app.portfolio.portfolio = None;
            app.pdca.cycles = None;
            if app.view == View::Book {
                match book.summaries(app.as_of) {
                    Ok(summaries) => app.list.replace(summaries),
                    Err(e) => app.error(e.to_string()),
                }
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
        _ => match app.view {
            View::Book => book_msg(app, msg, book),
            View::Agenda => agenda_msg(app, msg, book),
            View::Pdca => pdca_update::list_msg(app, msg, book),
            View::Portfolio => {}
        },
    }
}

fn move_list(app: &mut App, msg: Msg) {
    let rows = usize::from(app.viewport.list_rows.get());
    let step = delta(msg, rows);
    match app.view {
        View::Book => {
            let len = app.list.len();
            app.list.cursor.move_by(step, len, rows);
        }
        View::Agenda => {
            let len = app.agenda.len();
            app.agenda.cursor.move_by(step, len, rows);
        }
        View::Pdca => {
            let len = app.pdca.cycles.as_ref().map_or(0, Vec::len);
            app.pdca.cursor.move_by(step, len, rows);
        }
        View::Portfolio => {
            let target = app.portfolio_scroll as isize + step;
            app.portfolio_scroll = target.clamp(0, 200) as usize;
        }
    }
}

fn move_card(app: &mut App, msg: Msg) {
    let width = app.viewport.width.get();
    let height = usize::from(app.viewport.card_rows.get()).max(1);
    let theme = app.theme.clone();
    let Some(state) = app.card.as_mut() else {
        return;
    };
    let layout = card_doc::layout(state, width, &theme);
    let max_scroll = layout.lines.len().saturating_sub(height);
    let items = layout.item_lines.len();
    match msg {
        Msg::PageUp | Msg::PageDown => {
            let step = delta(msg, height);
            state.scroll = (state.scroll as isize + step).clamp(0, max_scroll as isize) as usize;
            let visible = state.scroll..state.scroll + height;
            if let Some(first) = layout
                .item_lines
                .iter()
                .position(|(start, _)| visible.contains(start))
            {
                state.cursor = first;
            }
            return;
        }
        _ if items == 0 => {
            let step = delta(msg, height);
            state.scroll = (state.scroll as isize + step).clamp(0, max_scroll as isize) as usize;
            return;
        }
        _ => {
            let step = delta(msg, height);
            state.cursor = (state.cursor as isize + step).clamp(0, items as isize - 1) as usize;
        }
    }
    if let Some(&(start, end)) = layout.item_lines.get(state.cursor) {
        if state.cursor == 0 {
            // The first item: show everything above it too (the overview on narrow screens).
            state.scroll = 0;
        }
        if end > state.scroll + height {
            state.scroll = end.saturating_sub(height).min(start);
        }
        if start < state.scroll {
            state.scroll = start;
        }
        if msg == Msg::Bottom {
            state.scroll = max_scroll.max(state.scroll);
        }
    }
}

fn book_msg(app: &mut App, msg: Msg, book: &mut dyn BookApi) {
    let rows = usize::from(app.viewport.list_rows.get());
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
        Msg::AddCustomer => app.form = Some(edit::new_customer(&app.actor, app.as_of)),
        _ => {}
    }
    let len = app.list.len();
    app.list.cursor.follow(len, rows);
}

fn card_msg(app: &mut App, msg: Msg, book: &mut dyn BookApi) {
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
                if let Some(task) = card.open_tasks.get(i).map(|t| t.id) {
                    task_done(app, book, &id, task);
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
                        task_done(app, book, &id, task.id);
                    } else {
                        snooze(app, book, &id, task.id, task.due, msg);
                    }
                }
            }
            _ => app.info(t("msg-move-to-task")),
        },
        Msg::EditProfile => profile_form(app, book, &id),
        Msg::AddBond => app.form = Some(edit::add_bond(&id, &name, None, app.as_of)),
        Msg::EndBond => match book.account(&id) {
            Ok(account) => match edit::end_bond(&account, app.as_of) {
                Some(form) => app.form = Some(form),
                None => app.info(t("msg-no-active-bond")),
            },
            Err(e) => app.error(e.to_string()),
        },
        Msg::AddOrder => app.form = Some(edit::add_order(&id, &name, app.as_of)),
        Msg::Pdca(pdca) => pdca_update::card_msg(app, book, pdca, &id),
        Msg::MarkLost => match book.account(&id) {
            Ok(account) => app.form = Some(edit::lost(&account.customer, app.as_of)),
            Err(e) => app.error(e.to_string()),
        },
        _ => {}
    }
}

fn profile_form(app: &mut App, book: &mut dyn BookApi, id: &str) {
    match book.account(id) {
        Ok(account) => app.form = Some(edit::edit_customer(&account.customer)),
        Err(e) => app.error(e.to_string()),
    }
}

/// Accepts a next-best-action: the contact form, the profile form, or a task.
fn accept(
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
                Err(e) => app.error(e.to_string()),
            }
        }
    }
}

fn task_done(app: &mut App, book: &mut dyn BookApi, id: &str, task: TaskId) {
    match book.set_task_done(id, task, Some(app.as_of)) {
        Ok(()) => {
            after_write(app, book, id);
            app.info(t("msg-task-done"));
        }
        Err(e) => app.error(e.to_string()),
    }
}

fn snooze(app: &mut App, book: &mut dyn BookApi, id: &str, task: TaskId, due: Date, msg: Msg) {
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
        Err(e) => app.error(e.to_string()),
    }
}

fn agenda_msg(app: &mut App, msg: Msg, book: &mut dyn BookApi) {
    let Some(row) = app.agenda.selected() else {
        return;
    };
    let id = row.customer().to_string();
    match (msg, row) {
        (Msg::Open, _) => open_card(app, book, &id),
        (Msg::Log, _) => {
            let name = match row {
                AgendaRow::FollowUp(f) => f.name.clone(),
                AgendaRow::Action(a) => a.name.clone(),
            };
            app.form = Some(log::new(&id, &name, None));
        }
        (Msg::TaskDone, AgendaRow::FollowUp(f)) => {
            let task = f.task;
            task_done(app, book, &id, task);
            app.card = None;
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
