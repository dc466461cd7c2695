//! `update` for the PDCA review: the review list, the cycle page and the cycle forms.
//! Called from update/mod.rs, card.rs and forms.rs (the PDCA part of the updates); every write goes through the
//! Book's cycle methods, which make it durable before returning.

use crate::i18n::{decision_label, phase_label, t, tr};
use crate::tui::pdca::words::met_words;
use jiff::civil::Date;

use crate::book::{BookApi, BookError};
use crate::domain::model::{CycleId, Phase, Scope};
use crate::domain::pdca_metrics::format_value;
use crate::tui::app::{App, FindState};
use crate::tui::form::{pdca as forms, Form, FormKind, Submit};
use crate::tui::navigate::{load_view, open_card, reload_list};
use crate::tui::pdca::page as pdca_page;
use crate::tui::pdca::state::{CyclePage, PageItem};
use crate::tui::vocab::{Msg, PdcaMsg};

/// A message on the review list (view `4` with no page open).
/// A move key over the review list: `step` rows (`document::delta`), `rows` shown.
pub(crate) fn move_by(app: &mut App, step: isize, rows: usize) {
    let len = app.pdca.cycles.as_ref().map_or(0, Vec::len);
    app.pdca.cursor.move_by(step, len, rows);
}

pub(crate) fn list_msg(app: &mut App, msg: Msg, book: &mut dyn BookApi) {
    match msg {
        Msg::Open => match app.pdca.selected().map(|c| c.id) {
            Some(id) => open_page(app, book, id),
            None => app.info(t("msg-no-cycle")),
        },
        Msg::Pdca(PdcaMsg::New) => {
            let scope = default_scope(app);
            new_form(app, book, scope);
        }
        Msg::Pdca(PdcaMsg::OpenCustomer) => match app.pdca.scoped_customer().map(str::to_string) {
            Some(id) => open_card(app, book, &id),
            None => app.info(t("msg-not-one-customer")),
        },
        _ => {}
    }
}

/// A PDCA message on a customer's card: plan a cycle for that customer.
pub(crate) fn card_msg(app: &mut App, book: &mut dyn BookApi, msg: PdcaMsg, customer: &str) {
    if msg == PdcaMsg::New {
        new_form(app, book, Scope::Customer(customer.to_string()));
    }
}

/// The scope a new cycle starts with away from a card: the user's own customers when
/// there are any, else the whole book.
fn default_scope(app: &App) -> Scope {
    let owns = app.list.owners().contains(&app.actor);
    if owns {
        Scope::Owner(app.actor.clone())
    } else {
        Scope::Book
    }
}

fn new_form(app: &mut App, book: &mut dyn BookApi, scope: Scope) {
    let about = match &scope {
        Scope::Customer(id) => Some(id.as_str()),
        _ => None,
    };
    let known = crate::tui::update::forms::known(app, book, about);
    let mut form = forms::new_cycle(&scope, &known);
    refresh_baseline(&mut form, book, app.as_of);
    app.form = Some(form);
}

/// Measures the new cycle's baseline for what the form holds now.
pub(crate) fn refresh_baseline(form: &mut Form, book: &mut dyn BookApi, as_of: Date) {
    let Some((metric, scope)) = forms::baseline_inputs(form) else {
        return;
    };
    let measured = match scope {
        Ok(scope) => book
            .measure(metric, &scope, as_of)
            .map_err(|e| crate::tui::app::error_text(&e)),
        Err(why) => Err(why),
    };
    forms::show_baseline(form, measured);
}

/// After an edit in any form: re-measures the baseline when the metric or scope changed.
pub(crate) fn after_edit(form: &mut Form, book: &mut dyn BookApi, as_of: Date) {
    if matches!(form.focused().map(|f| f.name), Some("metric" | "scope")) {
        refresh_baseline(form, book, as_of);
    }
}

fn load_page(book: &mut dyn BookApi, id: CycleId, as_of: Date) -> Result<CyclePage, BookError> {
    let cycle = book.find_cycle(id)?;
    let chain = book.cycle_chain(id)?;
    let measured = book.measure_cycle(id, as_of)?;
    Ok(CyclePage::new(cycle, chain, measured))
}

/// Opens the page of cycle `id` over what is on screen (the list or a card).
pub(crate) fn open_page(app: &mut App, book: &mut dyn BookApi, id: CycleId) {
    match load_page(book, id, app.as_of) {
        Ok(page) => {
            app.pdca.select(id);
            app.pdca.page = Some(page);
        }
        Err(e) => app.book_error(&e),
    }
}

/// A message while a cycle's page is open.
pub(crate) fn page_msg(app: &mut App, msg: Msg, book: &mut dyn BookApi) {
    match msg {
        Msg::Quit => app.quit = true,
        Msg::Show(view) => {
            app.pdca.page = None;
            app.card = None;
            app.view = view;
            load_view(app, book);
        }
        Msg::OpenFind => app.find = Some(FindState::default()),
        Msg::ToggleHelp => app.help = Some(0),
        Msg::Back => app.pdca.page = None,
        Msg::Refresh => {
            if let Some(id) = app.pdca.page.as_ref().map(|p| p.cycle.id) {
                refresh(app, book, id);
            }
        }
        Msg::Up | Msg::Down | Msg::PageUp | Msg::PageDown | Msg::Top | Msg::Bottom => {
            move_page(app, msg)
        }
        Msg::Open | Msg::TaskDone => {
            let Some(page) = app.pdca.page.as_ref() else {
                return;
            };
            match page.current() {
                Some(PageItem::Action(i)) => complete(app, book, page.cycle.id, i),
                Some(PageItem::Chain(i)) if msg == Msg::Open => {
                    let id = page.chain.get(i).map(|c| c.id);
                    match id {
                        Some(id) if id != page.cycle.id => open_page(app, book, id),
                        _ => app.info(t("msg-cycle-on-screen")),
                    }
                }
                _ => app.info(t("msg-move-to-cycle-action")),
            }
        }
        Msg::Pdca(action) => page_action(app, book, action),
        _ => {}
    }
}

fn page_action(app: &mut App, book: &mut dyn BookApi, action: PdcaMsg) {
    let Some(cycle) = app.pdca.page.as_ref().map(|p| p.cycle.clone()) else {
        return;
    };
    let id = cycle.id;
    match action {
        PdcaMsg::New => new_form(app, book, cycle.scope.clone()),
        PdcaMsg::AddAction if cycle.phase == Phase::Closed => {
            app.error(tr("msg-cycle-closed", &[("id", &id.to_string())]))
        }
        PdcaMsg::AddAction => app.form = Some(forms::add_action(&cycle)),
        PdcaMsg::EditPlan => app.form = Some(forms::edit_plan(&cycle)),
        PdcaMsg::Act if matches!(cycle.phase, Phase::Check | Phase::Act) => {
            app.form = Some(forms::act(&cycle))
        }
        PdcaMsg::Act => app.error(tr(
            "msg-act-after-check",
            &[
                ("id", &id.to_string()),
                ("phase", &phase_label(cycle.phase)),
            ],
        )),
        PdcaMsg::Check if cycle.phase != Phase::Do => {
            let why = match (cycle.phase, &cycle.result) {
                (Phase::Plan, _) => t("msg-start-first"),
                (_, Some(r)) => tr(
                    "msg-checked-on",
                    &[
                        ("date", &r.on.to_string()),
                        (
                            "value",
                            &cycle
                                .metric
                                .map_or(r.value.to_string(), |m| format_value(m, r.value)),
                        ),
                    ],
                ),
                _ => t("msg-no-check"),
            };
            app.info(tr(
                "msg-cycle-why",
                &[("id", &id.to_string()), ("why", &why)],
            ));
        }
        PdcaMsg::Check | PdcaMsg::Advance => advance(app, book, id, cycle.phase),
        PdcaMsg::OpenCustomer => match &cycle.scope {
            Scope::Customer(customer) => open_card(app, book, customer),
            _ => app.info(t("msg-not-one-customer")),
        },
    }
}

fn advance(app: &mut App, book: &mut dyn BookApi, id: CycleId, from: Phase) {
    match book.advance_cycle(id, app.as_of) {
        Ok(cycle) => {
            refresh(app, book, id);
            let text = match (&cycle.result, cycle.metric, cycle.target) {
                (Some(r), Some(metric), Some(target)) if from == Phase::Do => tr(
                    "msg-checked-against",
                    &[
                        ("value", &format_value(metric, r.value)),
                        ("target", &format_value(metric, target)),
                        ("met", &met_words(r.met)),
                    ],
                ),
                _ => tr(
                    "msg-cycle-moved",
                    &[
                        ("id", &id.to_string()),
                        ("from", &phase_label(from)),
                        ("to", &phase_label(cycle.phase)),
                    ],
                ),
            };
            report(app, text);
        }
        Err(e) => app.book_error(&e),
    }
}

fn complete(app: &mut App, book: &mut dyn BookApi, id: CycleId, index: usize) {
    match book.complete_cycle_action(id, index, app.as_of) {
        Ok(_) => {
            refresh(app, book, id);
            report(
                app,
                tr("msg-action-n-done", &[("n", &(index + 1).to_string())]),
            );
        }
        Err(e) => app.book_error(&e),
    }
}

/// Shows `text` unless a reload after the write failed (its error matters more).
fn report(app: &mut App, text: String) {
    if !app.status.as_ref().is_some_and(|s| s.error) {
        app.info(text);
    }
}

/// Brings the page of `id`, the review list, a card below and the book's figures up to
/// date after a cycle changed (an open cycle scoped to a customer lifts its relationship).
fn refresh(app: &mut App, book: &mut dyn BookApi, id: CycleId) {
    let keep = app
        .pdca
        .page
        .as_ref()
        .filter(|p| p.cycle.id == id)
        .map(|p| p.reading);
    match load_page(book, id, app.as_of) {
        Ok(mut page) => {
            if let Some(kept) = keep {
                page.reading.cursor = kept.cursor.min(page.items().len().saturating_sub(1));
                page.reading.scroll = kept.scroll;
            }
            let customer = match &page.cycle.scope {
                Scope::Customer(c) => Some(c.clone()),
                _ => None,
            };
            app.pdca.page = Some(page);
            reload_list(app, book);
            app.pdca.select(id);
            if let Some(customer) = customer {
                refresh_customer(app, book, &customer);
            }
        }
        Err(e) => app.book_error(&e),
    }
    app.agenda.forget();
    app.portfolio.portfolio = None;
}

fn refresh_customer(app: &mut App, book: &mut dyn BookApi, customer: &str) {
    match book.summaries(app.as_of) {
        Ok(summaries) => app.list.replace(summaries),
        Err(e) => app.book_error(&e),
    }
    let Some(state) = app.card.as_mut().filter(|c| c.card.id == customer) else {
        return;
    };
    match book.card(customer, app.as_of) {
        Ok(card) => {
            state.replace_card(card);
            state.reading.cursor = state
                .reading
                .cursor
                .min(state.items().len().saturating_sub(1));
        }
        Err(e) => app.book_error(&e),
    }
}

/// Sends a checked cycle form to the book; on success closes it and shows the cycle.
pub(crate) fn save(app: &mut App, book: &mut dyn BookApi, kind: &FormKind, submit: Submit) {
    let as_of = app.as_of;
    let result: Result<(CycleId, String), BookError> = match (kind, submit) {
        (FormKind::NewCycle, Submit::NewCycle(plan)) => book.plan_cycle(plan, as_of).map(|c| {
            let baseline = match (c.baseline, c.metric) {
                (Some(b), Some(m)) => tr("msg-baseline", &[("value", &format_value(m, b))]),
                _ => t("msg-no-baseline"),
            };
            (
                c.id,
                tr(
                    "msg-planned-cycle",
                    &[("id", &c.id.to_string()), ("baseline", &baseline)],
                ),
            )
        }),
        (FormKind::CycleAction { cycle }, Submit::CycleAction(text, due)) => {
            book.add_cycle_action(*cycle, &text, due).map(|c| {
                (
                    c.id,
                    tr("msg-action-added", &[("n", &c.actions.len().to_string())]),
                )
            })
        }
        (FormKind::ActCycle { cycle }, Submit::ActCycle(decision, lessons)) => book
            .act_on_cycle(*cycle, decision, &lessons, as_of)
            .map(|(closed, next)| match next {
                Some(next) => {
                    let baseline = match (next.baseline, next.metric) {
                        (Some(b), Some(m)) => format_value(m, b),
                        _ => "-".to_string(),
                    };
                    let text = tr(
                        "msg-adjusted",
                        &[("id", &next.id.to_string()), ("baseline", &baseline)],
                    );
                    (next.id, text)
                }
                None => (
                    closed.id,
                    tr(
                        "msg-cycle-closed-decision",
                        &[
                            ("id", &closed.id.to_string()),
                            ("decision", &decision_label(decision)),
                        ],
                    ),
                ),
            }),
        (FormKind::EditCycle { original }, Submit::EditCycle(edit)) => {
            if edit == Default::default() {
                app.form = None;
                app.info(t("msg-nothing-changed"));
                return;
            }
            book.edit_cycle(original.id, edit)
                .map(|c| (c.id, t("msg-plan-saved")))
        }
        _ => return,
    };
    match result {
        Ok((id, text)) => {
            app.form = None;
            // Shows cycle `id`: a new one (planned, or opened by adjust) replaces the page.
            refresh(app, book, id);
            report(app, text);
        }
        Err(e) => {
            if let Some(form) = app.form.as_mut() {
                form.error = Some(crate::tui::app::error_text(&e));
            }
            app.book_error(&e);
        }
    }
}

/// Moves over the page's actions and spiral, scrolling to keep the selection in view.
fn move_page(app: &mut App, msg: Msg) {
    let width = app.viewport.width;
    let height = usize::from(app.viewport.card_rows);
    let (as_of, theme) = (app.as_of, app.theme.clone());
    let Some(page) = app.pdca.page.as_mut() else {
        return;
    };
    let laid = pdca_page::laid(page, as_of, width, &theme);
    page.reading.step(laid.shape(), height, msg);
}
