//! The portfolio: a page of figures with rows to select (a tier, a stage, a queue); Enter
//! lists the row's customers in the book view, and Esc there comes back here as it was.

use crate::book::BookApi;
use crate::domain::portfolio::QueueKind;
use crate::tui::app::App;
use crate::tui::document::Shape;
use crate::tui::list::{Filter, Only};
use crate::tui::navigate::load_view;
use crate::tui::portfolio::state::Target;
use crate::tui::portfolio::view::{page, queue_name};
use crate::tui::vocab::{Msg, View};

pub(crate) fn portfolio_msg(app: &mut App, msg: Msg, book: &mut dyn BookApi) {
    if msg == Msg::Open {
        if let Some(target) = shown_target(app) {
            drill(app, book, target);
        }
    }
}

/// The selected row's target, when that row is on screen (a key never acts on what the
/// reader cannot see).
fn shown_target(app: &App) -> Option<Target> {
    let p = app.portfolio.portfolio.as_ref()?;
    let page = page(app, p, usize::from(app.viewport.width), None);
    let reading = app.portfolio.reading;
    let height = usize::from(app.viewport.list_rows).max(1);
    let first = reading.first_line(page.lines.len(), height);
    let &(line, target) = page.rows.get(reading.cursor)?;
    (first..first + height).contains(&line).then_some(target)
}

/// Lists the customers of `target` in the book view, most valuable first, keeping how the
/// list was shown for Esc.
fn drill(app: &mut App, book: &mut dyn BookApi, target: Target) {
    let filter = match target {
        Target::Tier(tier) => Filter {
            tier: Some(Some(tier)),
            ..Filter::default()
        },
        Target::Stage(stage) => Filter {
            stage: Some(stage),
            ..Filter::default()
        },
        Target::Queue(kind) => match book.queue(app.as_of, kind) {
            Ok(entries) => Filter {
                only: Some(Only {
                    label: queue_label(kind),
                    ids: entries.into_iter().map(|e| e.id).collect(),
                }),
                ..Filter::default()
            },
            Err(e) => return app.book_error(&e),
        },
    };
    if app.portfolio.drilled.is_none() {
        app.portfolio.drilled = Some(app.list.shown());
    }
    app.list.narrow(filter);
    app.view = View::Book;
}

fn queue_label(kind: QueueKind) -> String {
    crate::i18n::tr("filter-queue", &[("value", &queue_name(kind))])
}

/// Back from a drilled-into list: the book list as it was, and the portfolio as it was
/// left (its selected row and scroll). False when no row was drilled into.
pub(crate) fn back_from_drill(app: &mut App, book: &mut dyn BookApi) -> bool {
    let Some(shown) = app.portfolio.drilled.take() else {
        return false;
    };
    app.list.show_as(shown);
    app.view = View::Portfolio;
    load_view(app, book);
    true
}

/// A move key: the selection moves over the rows Enter opens and the page scrolls to keep
/// it in view; a page key scrolls; past the last row, down scrolls on to the figures below.
pub(crate) fn move_by(app: &mut App, step: isize, rows: usize) {
    let Some(p) = app.portfolio.portfolio.as_ref() else {
        return;
    };
    let page = page(app, p, usize::from(app.viewport.width), None);
    let items = page.items();
    let shape = Shape {
        lines: page.lines.len(),
        items: &items,
    };
    let msg = match step {
        -1 => Msg::Up,
        1 => Msg::Down,
        s if s <= isize::MIN / 4 => Msg::Top,
        s if s >= isize::MAX / 4 => Msg::Bottom,
        s if s < 0 => Msg::PageUp,
        _ => Msg::PageDown,
    };
    let reading = &mut app.portfolio.reading;
    let last = items.len().saturating_sub(1);
    if msg == Msg::Down && reading.cursor == last {
        let max_scroll = shape.lines.saturating_sub(rows.max(1));
        reading.scroll = (reading.first_line(shape.lines, rows) + 1).min(max_scroll);
        return;
    }
    reading.step(shape, rows, msg);
}
