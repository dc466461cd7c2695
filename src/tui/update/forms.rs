//! An open form: editing, saving through the book, and what a write refreshes.

use crate::book::BookApi;
use crate::i18n::t;
use crate::tui::app::{App, Confirm, ConfirmKind};
use crate::tui::form::{self, edit, Ctx, Edit, FormKind, Submit};
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
            if let Some(problem) = unknown_owner(app, &submit) {
                if let Some(form) = app.form.as_mut() {
                    if let Some(field) = form.fields.iter_mut().find(|f| f.name == "owner") {
                        field.error = Some(problem.clone());
                    }
                    form.focus = form
                        .fields
                        .iter()
                        .position(|f| f.name == "owner")
                        .unwrap_or(0);
                }
                app.error(problem);
                return;
            }
            let Some(form) = app.form.as_mut() else {
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
        form.refresh_echoes(ctx.as_of);
        pdca_update::after_edit(form, book, ctx.as_of);
        form.check(&ctx, false);
    }
}

/// An owner no customer has and no one logged in is: a typo (`bobb`) would make a new
/// owner. Known owners are the book's (its list) and the console user.
fn unknown_owner(app: &App, submit: &Submit) -> Option<String> {
    let owner = match submit {
        Submit::NewCustomer(c) => &c.owner,
        Submit::EditCustomer(c) => &c.owner,
        _ => return None,
    };
    let owners = app.list.owners();
    if owner.is_empty() || *owner == app.actor || owners.iter().any(|o| o == owner) {
        return None;
    }
    let mut known: Vec<&str> = owners.iter().map(String::as_str).collect();
    known.push(&app.actor);
    known.sort_unstable();
    known.dedup();
    Some(crate::i18n::tr(
        "form-err-unknown-owner",
        &[("owner", owner), ("known", &known.join(", "))],
    ))
}

/// A new customer that looks like one the book has (the same name once folded, or a
/// contact's phone digits or e-mail): the question to ask before adding it.
fn duplicate_of(book: &mut dyn BookApi, submit: &Submit) -> Option<String> {
    use crate::domain::search::{normalize, phone_digits};
    let Submit::NewCustomer(new) = submit else {
        return None;
    };
    let name = normalize(&new.name);
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
            let same_name = normalize(&old.name) == name;
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
