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
            if let Some(prompt) = question_before(form, &submit) {
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
