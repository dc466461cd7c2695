//! The find palette: the query, its hits and why each matched, opening one. The last query
//! is remembered: reopening shows it and its hits, and typing replaces it.

use super::*;
use crate::book::BookApi;
use crate::domain::search::{matched_field, normalize, readings, MatchField};
use crate::i18n::tr;
use crate::tui::app::App;
use crate::tui::form::TextInput;
use crate::tui::navigate::open_card;
use crate::tui::vocab::Msg;

/// At most this many customers are read per keystroke to say why they matched (over a
/// socket each is a round trip); hits past them show their id.
const WHY_READS: usize = 20;

/// Opens the palette on the last query, its hits found again.
pub(super) fn open(app: &mut App, book: &mut dyn BookApi) {
    let last = app.last_query.clone();
    app.find = Some(FindState {
        query: TextInput::new(&last),
        remembered: !last.is_empty(),
        ..FindState::default()
    });
    search(app, book);
}

pub(super) fn find(app: &mut App, msg: Msg, book: &mut dyn BookApi) {
    let Some(state) = app.find.as_mut() else {
        return;
    };
    let rows = usize::from(app.viewport.list_rows);
    let remembered = std::mem::take(&mut state.remembered);
    let edited = match msg {
        Msg::Back => {
            app.last_query = state.query.value().to_string();
            app.find = None;
            return;
        }
        Msg::Open => {
            let id = state.hits.get(state.cursor.selected).map(|h| h.id.clone());
            if let Some(id) = id {
                app.last_query = state.query.value().to_string();
                app.find = None;
                open_card(app, book, &id);
            }
            return;
        }
        Msg::Down => {
            state.cursor.move_by(1, state.hits.len(), rows);
            state.remembered = remembered;
            false
        }
        Msg::Up => {
            state.cursor.move_by(-1, state.hits.len(), rows);
            state.remembered = remembered;
            false
        }
        Msg::Input(c) => {
            if remembered {
                state.query.clear();
            }
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
    if edited {
        search(app, book);
    }
}

/// Finds the palette's query and says why each hit matched.
fn search(app: &mut App, book: &mut dyn BookApi) {
    let Some(state) = app.find.as_mut() else {
        return;
    };
    let mut failed = None;
    let query = state.query.value().to_string();
    state.hits = if query.trim().is_empty() {
        Vec::new()
    } else if let Some(index) = book.local_index() {
        // In this process: narrow the previous hits keystroke by keystroke.
        app.searcher.query(index, &query, FIND_LIMIT).to_vec()
    } else {
        // A client of `crm serve`: the owner searches.
        book.find(&query, FIND_LIMIT).unwrap_or_else(|e| {
            failed = Some(crate::tui::app::error_text(&e));
            Vec::new()
        })
    };
    state.cursor = Default::default();
    let folded = normalize(&query);
    let mut reads = 0;
    state.why = state
        .hits
        .iter()
        .map(|hit| {
            // A name that holds the query (or a reading of the name, shown with it)
            // says it all without reading the customer.
            let name_reading =
                |reading: &String| readings(&hit.name).iter().any(|r| r.spaced == *reading);
            if hit.reading.as_ref().is_some_and(name_reading)
                || (hit.reading.is_none() && normalize(&hit.name).contains(&folded))
            {
                return None;
            }
            if reads >= WHY_READS {
                return None;
            }
            reads += 1;
            let customer = book.customer(&hit.id).ok()?;
            // A reading shown beside the name that is not the name's is a contact's
            // (`zhangwei` finds a company through its buyer 张伟): name that contact.
            if let Some(reading) = &hit.reading {
                let contact = customer
                    .contacts
                    .iter()
                    .find(|c| readings(&c.name).iter().any(|r| r.spaced == *reading))?;
                return Some(tr("find-why-contact", &[("text", &contact.name)]));
            }
            let (field, text) = matched_field(&customer, &query)?;
            let key = match field {
                MatchField::Name => return None,
                MatchField::Contact => "find-why-contact",
                MatchField::Phone => "find-why-phone",
                MatchField::Email => "find-why-email",
                MatchField::Tag => "find-why-tag",
                MatchField::Id => "find-why-id",
                MatchField::Segment => "find-why-segment",
            };
            Some(tr(key, &[("text", &text)]))
        })
        .collect();
    if let Some(why) = failed {
        app.error(why);
    }
}
