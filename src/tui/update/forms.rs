//! An open form: editing, saving through the book, and what a write refreshes.

use crate::book::BookApi;
use crate::domain::rules;
use crate::i18n::{t, tr};
use crate::tui::app::{App, Confirm, ConfirmKind};
use crate::tui::form::pick::Row;
use crate::tui::form::{self, edit, Ctx, Edit, FormKind, Known, Submit};
use crate::tui::pdca::update as pdca_update;
use crate::tui::update::customer::*;
use crate::tui::vocab::Msg;

pub(super) fn form_msg(app: &mut App, msg: Msg, book: &mut dyn BookApi) {
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
            let question = question_before(form, &submit).or_else(|| duplicate_of(book, &submit));
            if let Some(prompt) = question {
                app.confirm = Some(Confirm {
                    prompt,
                    kind: ConfirmKind::SaveForm,
                });
                return;
            }
            let kind = form.kind.clone();
            save(app, book, kind, submit);
            return;
        }
        Msg::FlipDirection => {
            if !form.flip_direction() {
                app.info(t("msg-no-direction"));
            }
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
            // Enter is a new line in a note, opens a picker's list, else moves on.
            let stays = matches!(
                form.focused().map(|f| &f.value),
                Some(form::FieldValue::Text {
                    multiline: true,
                    ..
                }) | Some(form::FieldValue::Pick(_))
            );
            if !stays {
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
        after_change(app, book);
    }
}

/// What follows a change of the focused field: hints and echoes that depend on it, the
/// baseline measured again, errors shown for what was touched.
fn after_change(app: &mut App, book: &mut dyn BookApi) {
    let Some(form) = app.form.as_mut() else {
        return;
    };
    let ctx = Ctx {
        as_of: app.as_of,
        now: (app.now)(),
        author: &app.actor,
    };
    edit::refresh_bond_hint(form);
    form.refresh_echoes(ctx.as_of);
    pdca_update::after_edit(form, book, ctx.as_of);
    form.check(&ctx, false);
}

/// A key while a picker's list is open: typing filters it, Up/Down move, Enter picks the
/// row (a new owner only after a question), Esc closes it as it was.
pub(super) fn pick_msg(app: &mut App, msg: Msg, book: &mut dyn BookApi) {
    let Some(pick) = app.form.as_mut().and_then(|f| f.open_pick_mut()) else {
        return;
    };
    match msg {
        Msg::Back => pick.close(),
        Msg::Down => pick.move_cursor(1),
        Msg::Up => pick.move_cursor(-1),
        Msg::Input(c) => pick.edit_query(|q| q.insert(c)),
        Msg::Backspace => pick.edit_query(|q| {
            q.backspace();
        }),
        Msg::Delete => pick.edit_query(|q| {
            q.delete();
        }),
        Msg::Left => pick.edit_query(form::TextInput::left),
        Msg::Right => pick.edit_query(form::TextInput::right),
        Msg::Home => pick.edit_query(form::TextInput::home),
        Msg::End => pick.edit_query(form::TextInput::end),
        Msg::ClearInput => pick.edit_query(form::TextInput::clear),
        Msg::Open => match pick.current() {
            Some(Row::Option(i)) => {
                pick.chosen = Some(i);
                pick.close();
                if let Some(form) = app.form.as_mut() {
                    form.mark_changed();
                }
                after_change(app, book);
            }
            Some(Row::New(login)) => ask_new_owner(app, login.trim()),
            None => app.info(t("pick-nothing-matches")),
        },
        _ => {}
    }
}

/// A login typed in the owner list that no one has: made a new owner only when the user
/// says so, so a typo (`bobb`) never makes one silently.
fn ask_new_owner(app: &mut App, login: &str) {
    if login.is_empty() {
        app.info(t("pick-new-owner-type"));
        return;
    }
    if rules::owner(login).is_err() {
        app.error(t("form-err-login-spaces"));
        return;
    }
    // The owners it is spelled closest to: what a typo meant, however many the book has.
    let closest = match app.form.as_ref().and_then(|f| f.open_pick()) {
        Some(pick) => {
            let known: Vec<&str> = pick
                .options
                .iter()
                .map(|o| o.value.as_str())
                .filter(|v| !v.trim().is_empty())
                .collect();
            form::pick::nearest(login, &known, 3).join(", ")
        }
        None => String::new(),
    };
    app.confirm = Some(Confirm {
        prompt: tr(
            "pick-confirm-new-owner",
            &[("login", login), ("closest", &closest)],
        ),
        kind: ConfirmKind::NewOwner {
            login: login.to_string(),
        },
    });
}

/// Yes to a new owner: the owner list holds it, chosen, and closes.
pub(super) fn take_new_owner(app: &mut App, book: &mut dyn BookApi, login: &str) {
    let Some(form) = app.form.as_mut() else {
        return;
    };
    let Some(pick) = form.pick_mut("owner") else {
        return;
    };
    pick.add(edit::new_owner(login));
    pick.close();
    form.mark_changed();
    after_change(app, book);
}

/// What the pickers of a form offer now: the book's owners and users (the console user
/// first), its segments, and the customer `about` (by its name).
pub(crate) fn known(app: &App, book: &mut dyn BookApi, about: Option<&str>) -> Known {
    let mut owners: Vec<(String, String)> = app
        .list
        .owners()
        .iter()
        .filter(|o| !o.trim().is_empty())
        .map(|o| (o.clone(), String::new()))
        .collect();
    // Only an admin may read the users; anyone else picks among the owners they see.
    if let Ok(users) = book.users() {
        for user in users {
            match owners.iter_mut().find(|(login, _)| *login == user.login) {
                Some(owner) => owner.1 = user.name,
                None => owners.push((user.login, user.name)),
            }
        }
    }
    owners.sort();
    let mut segments: Vec<String> = Vec::new();
    for segment in app.list.segments() {
        let folded = segment.trim().to_lowercase();
        if !folded.is_empty() && !segments.iter().any(|s| s.trim().to_lowercase() == folded) {
            segments.push(segment.trim().to_string());
        }
    }
    let customer = about.and_then(|id| {
        let name = match app.list.get(id) {
            Some(summary) => summary.name,
            None => book.customer(id).ok()?.name,
        };
        Some((id.to_string(), name))
    });
    Known {
        actor: app.actor.clone(),
        owners,
        segments,
        customer,
    }
}

/// A name as two spellings of one customer compare: folded (case, width, accents) and only
/// its letters and digits, so "Acme Trading Co." is "acme trading co" is "ACME-Trading Co"
/// and 上海贸易 有限公司 is 上海贸易有限公司.
fn name_key(name: &str) -> String {
    crate::domain::search::normalize(name)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// A new customer that looks like one the book has (the same name once folded, or a
/// contact's phone digits or e-mail): the question to ask before adding it.
fn duplicate_of(book: &mut dyn BookApi, submit: &Submit) -> Option<String> {
    use crate::domain::search::{normalize, phone_digits};
    let Submit::NewCustomer(new) = submit else {
        return None;
    };
    let name = name_key(&new.name);
    let phones: Vec<String> = new
        .contacts
        .iter()
        .map(|c| phone_digits(&c.phone))
        .filter(|p| p.len() >= 5)
        .collect();
    let emails: Vec<String> = new
        .contacts
        .iter()
        .map(|c| normalize(&c.email))
        .filter(|e| !e.is_empty())
        .collect();
    let mut queries = vec![new.name.clone()];
    queries.extend(phones.iter().cloned());
    queries.extend(emails.iter().cloned());
    for query in queries {
        for hit in book.find(&query, 10).ok()? {
            let Ok(old) = book.customer(&hit.id) else {
                continue;
            };
            let same_name = !name.is_empty() && name_key(&old.name) == name;
            let same_phone = old
                .contacts
                .iter()
                .any(|c| phones.contains(&phone_digits(&c.phone)));
            let same_email = old
                .contacts
                .iter()
                .any(|c| emails.contains(&normalize(&c.email)));
            if same_name || same_phone || same_email {
                let why = if same_name {
                    "form-dup-name"
                } else if same_phone {
                    "form-dup-phone"
                } else {
                    "form-dup-email"
                };
                return Some(crate::i18n::tr(
                    "msg-confirm-duplicate",
                    &[("why", &t(why)), ("name", &old.name), ("id", &old.id)],
                ));
            }
        }
    }
    None
}

/// The question a save asks first when it does what one key must not: abandon a cycle for
/// good, mark a customer lost.
fn question_before(form: &form::Form, submit: &Submit) -> Option<String> {
    match submit {
        Submit::ActCycle(crate::domain::model::ActDecision::Abandon, _) => Some(crate::i18n::tr(
            "msg-confirm-abandon",
            &[("title", &form.title)],
        )),
        Submit::Lost(Some(lost)) => Some(crate::i18n::tr(
            "msg-confirm-lost",
            &[
                ("reason", &crate::i18n::lost_reason_label(lost.reason)),
                ("date", &lost.date.to_string()),
            ],
        )),
        _ => None,
    }
}

/// Saves the open form after its question was answered yes (checked again: nothing
/// changed it meanwhile, but a check is cheap and keeps one road to the book).
pub(super) fn save_open_form(app: &mut App, book: &mut dyn BookApi) {
    let Some(form) = app.form.as_mut() else {
        return;
    };
    let ctx = Ctx {
        as_of: app.as_of,
        now: (app.now)(),
        author: &app.actor,
    };
    let Some(submit) = form.check(&ctx, true) else {
        app.error(t("msg-fix-field"));
        return;
    };
    let kind = form.kind.clone();
    save(app, book, kind, submit);
}

/// Sends a checked form to the book; on success closes it and shows the result.
pub(super) fn save(app: &mut App, book: &mut dyn BookApi, kind: FormKind, submit: Submit) {
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
        (Submit::Log(interaction), Some(id)) if matches!(kind, FormKind::CorrectLog { .. }) => {
            let FormKind::CorrectLog { previous, .. } = &kind else {
                return;
            };
            book.correct_contact(id, previous, interaction.clone())
                .map(|()| (id.to_string(), "msg-contact-corrected"))
        }
        (Submit::Log(interaction), Some(id)) => {
            book.log_contact(id, interaction.clone()).map(|receipt| {
                app.last_log = Some(receipt);
                (id.to_string(), "msg-contact-logged")
            })
        }
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
    // A form returns to where it was opened: its card, or the list or agenda under it
    // (a new customer's card is shown: it is what was made).
    let over_card = app.card.is_some() || matches!(kind, FormKind::NewCustomer);
    match result {
        Ok((id, done)) => {
            app.form = None;
            after_write(app, book, &id);
            if let (FormKind::CorrectLog { previous, .. }, Some(card)) = (&kind, app.card.as_mut())
            {
                card.select_contact(previous);
            }
            if !over_card {
                app.card = None;
            }
            app.info(t(done));
        }
        Err(e) => {
            if let Some(form) = app.form.as_mut() {
                form.error = Some(crate::tui::app::error_text(&e));
            }
            app.book_error(&e);
        }
    }
}
