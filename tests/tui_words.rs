//! Words where words belong (issue 14): every screen of the console — the book and its
//! filters, every customer's card, every form with every choice, the agenda, the
//! portfolio, the PDCA review and each cycle's page, find, help in each mode, the status
//! line after a write — rendered on the demo book in English and in Simplified Chinese,
//! shows no snake_case code (`raise_intensity`, `changed_on_two_devices`). Codes belong to
//! `--json` and the contract; the console says them in words.
//!
//! Only what is genuinely data may look like a code: it is listed in `DATA`.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use crm::book::Book;
use crm::i18n::{set_for_thread, Lang};
use crm::tui::app::App;
use crm::tui::form::FieldValue;
use ratatui::buffer::Buffer;
use tempfile::TempDir;

use common::{keys, new_app, screen};

/// Words on screen that are data, not codes: none in the demo book today. (Ids and
/// logins are data; the demo's happen not to hold an underscore.)
const DATA: &[&str] = &[];

/// The sizes each state is drawn at: the smallest the contract names, and tall screens
/// (narrow and wide, where labels are long) that show a whole card or page at once.
const SIZES: [(u16, u16); 3] = [(80, 24), (80, 200), (120, 200)];

/// Every token of letters, digits and `_` that is a code: lower-case words joined by `_`
/// (`raise_intensity`, `margin_12m`, or one cut short by a column, `no_`); not a number
/// with an underscore (`x_1`) nor a name in capitals.
fn snake_tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| {
            let mut parts = word.split('_');
            let first = parts.next().unwrap_or("");
            let rest: Vec<&str> = parts.collect();
            !first.is_empty()
                && first.chars().all(|c| c.is_ascii_lowercase())
                && !rest.is_empty()
                && rest.iter().all(|p| {
                    p.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                })
                && rest
                    .iter()
                    .any(|p| p.is_empty() || p.chars().any(|c| c.is_ascii_lowercase()))
        })
        .map(str::to_string)
        .collect()
}

fn text_of(buffer: &Buffer) -> String {
    let dump = common::dump(buffer);
    dump.split("--- styles ---")
        .next()
        .unwrap_or("")
        .to_string()
}

/// The codes seen, each with the first few screens it was seen on.
#[derive(Default)]
struct Sweep {
    hits: BTreeMap<String, BTreeSet<String>>,
    screens: usize,
}

impl Sweep {
    /// Draws the App at every size and notes every code on screen.
    fn look(&mut self, app: &App, what: &str) {
        for (w, h) in SIZES {
            let text = text_of(&screen(app, w, h));
            self.screens += 1;
            for token in snake_tokens(&text) {
                if DATA.contains(&token.as_str()) {
                    continue;
                }
                let seen = self.hits.entry(token).or_default();
                if seen.len() < 3 {
                    seen.insert(format!("{what} at {w}x{h}"));
                }
            }
        }
    }
}

fn demo() -> (TempDir, Book) {
    common::demo(300, 1)
}

fn press(app: &mut App, book: &mut Book, script: &str) {
    keys(app, book, script);
}

/// Walks the open form field by field, every choice of every choice field shown, then
/// cancels it (answering the question cancelling may ask).
fn walk_form(sweep: &mut Sweep, app: &mut App, book: &mut Book, what: &str) {
    let Some(form) = app.form.as_ref() else {
        return;
    };
    let title = format!("{what} form {:?}", std::mem::discriminant(&form.kind));
    let fields = form.fields.len();
    sweep.look(app, &title);
    press(app, book, "?");
    sweep.look(app, &format!("{title} help"));
    press(app, book, "<Esc>");
    for _ in 0..fields {
        let Some(field) = app.form.as_ref().and_then(|f| f.focused()).cloned() else {
            break;
        };
        match &field.value {
            FieldValue::Choice { options, .. } => {
                for _ in 0..options.len() {
                    press(app, book, "<Right>");
                    sweep.look(app, &format!("{title} field {}", field.name));
                }
            }
            FieldValue::Pick(pick) => {
                for _ in 0..pick.options.len() {
                    press(app, book, "<Right>");
                    sweep.look(app, &format!("{title} picker {}", field.name));
                }
                press(app, book, "<Enter>");
                sweep.look(app, &format!("{title} picker {} open", field.name));
                press(app, book, "<Esc>");
            }
            FieldValue::Toggles { .. } | FieldValue::Text { .. } | FieldValue::Shown(_) => {
                sweep.look(app, &format!("{title} field {}", field.name));
            }
        }
        press(app, book, "<Tab>");
    }
    // An empty save shows each field's complaint.
    press(app, book, "<C-s>");
    sweep.look(app, &format!("{title} saved empty"));
    while app.form.is_some() || app.confirm.is_some() {
        if app.confirm.is_some() {
            press(app, book, "y");
        } else {
            press(app, book, "<Esc>");
        }
    }
}

/// Help over the view in front, then closed again.
fn help(sweep: &mut Sweep, app: &mut App, book: &mut Book, what: &str) {
    press(app, book, "?");
    sweep.look(app, &format!("{what} help"));
    press(app, book, "<Esc>");
}

fn sweep_book(sweep: &mut Sweep, app: &mut App, book: &mut Book) {
    sweep.look(app, "book");
    help(sweep, app, book, "book");
    for (key, times) in [("s", 6), ("t", 6), ("v", 5), ("o", 7)] {
        for _ in 0..times {
            press(app, book, key);
            sweep.look(app, &format!("book filtered by {key}"));
        }
        press(app, book, "x");
    }
    for key in ["n", "m", "c", "u"] {
        press(app, book, key);
        sweep.look(app, &format!("book sorted by {key}"));
    }
    press(app, book, "n");
    press(app, book, "/a");
    sweep.look(app, "find");
    press(app, book, "<Esc>/张");
    sweep.look(app, "find chinese");
    press(app, book, "<Esc>");
    press(app, book, "a");
    walk_form(sweep, app, book, "book");
}

/// Every customer's card; on the first few (one of each shape), each form the card opens.
fn sweep_cards(sweep: &mut Sweep, app: &mut App, book: &mut Book) {
    press(app, book, "1g");
    for i in 0..app.list.len() {
        press(app, book, "<Enter>");
        let id = app
            .card
            .as_ref()
            .map(|c| c.card.id.clone())
            .unwrap_or_default();
        let what = format!("card {id}");
        sweep.look(app, &what);
        if i < 10 {
            help(sweep, app, book, &what);
            for key in ["l", "e", "b", "B", "o", "L", "N"] {
                press(app, book, key);
                walk_form(sweep, app, book, &what);
            }
            // A contact corrected, then its earlier version shown beside it.
            let contact = app.card.as_ref().and_then(|c| {
                c.items()
                    .iter()
                    .position(|i| matches!(i, crm::tui::app::Item::Contact(_)))
            });
            if let Some(at) = contact {
                press(app, book, &format!("g{}c", "j".repeat(at)));
                walk_form(sweep, app, book, &what);
                press(app, book, &format!("g{}v", "j".repeat(at)));
                sweep.look(app, &format!("{what} earlier versions"));
                press(app, book, "v");
            }
            // The top action accepted: a task, or the log form pre-filled.
            press(app, book, "a");
            sweep.look(app, &format!("{what} accepted"));
            walk_form(sweep, app, book, &what);
        }
        press(app, book, "<Esc>j");
    }
}

fn sweep_views(sweep: &mut Sweep, app: &mut App, book: &mut Book) {
    press(app, book, "2");
    sweep.look(app, "agenda");
    help(sweep, app, book, "agenda");
    press(app, book, "o");
    sweep.look(app, "agenda, everyone");
    press(app, book, "3");
    sweep.look(app, "portfolio");
    help(sweep, app, book, "portfolio");
    press(app, book, "G");
    sweep.look(app, "portfolio, its end");
    // Each row drilled into: a tier, a stage, a queue.
    for row in 0..12 {
        press(app, book, &format!("g{}<Enter>", "j".repeat(row)));
        sweep.look(app, &format!("portfolio row {row} drilled into"));
        press(app, book, "<Esc>");
    }
    press(app, book, "4");
    sweep.look(app, "pdca");
    help(sweep, app, book, "pdca");
    let cycles = app.pdca.cycles.as_ref().map_or(0, |c| c.len());
    press(app, book, "g");
    for _ in 0..cycles {
        press(app, book, "<Enter>");
        sweep.look(app, "cycle page");
        help(sweep, app, book, "cycle page");
        for key in ["e", "x", "c", "a"] {
            press(app, book, key);
            sweep.look(app, &format!("cycle page after {key}"));
            walk_form(sweep, app, book, "cycle page");
        }
        press(app, book, "<Esc>j");
    }
    press(app, book, "N");
    walk_form(sweep, app, book, "pdca");
    // A target refused for each metric: the refusal names the metric.
    for metric in 0..9 {
        press(app, book, "N");
        focus(app, book, "metric");
        for _ in 0..metric {
            press(app, book, "<Right>");
        }
        focus(app, book, "target");
        press(app, book, "-1<C-s>");
        sweep.look(app, &format!("pdca target refused for metric {metric}"));
        walk_form(sweep, app, book, "pdca");
    }
}

/// Moves the open form's focus to the field `name`.
fn focus(app: &mut App, book: &mut Book, name: &str) {
    let fields = app.form.as_ref().map_or(0, |f| f.fields.len());
    for _ in 0..fields {
        if app.form.as_ref().and_then(|f| f.focused()).map(|f| f.name) == Some(name) {
            return;
        }
        press(app, book, "<Tab>");
    }
    panic!("the form has no field {name}");
}

/// What sync leaves on a card for a person to look at, every field it can name.
fn sweep_conflicts(sweep: &mut Sweep, app: &mut App, book: &mut Book) {
    press(app, book, "1g<Enter>");
    let Some(mut card) = app.card.take().map(|c| c.card) else {
        return;
    };
    card.changed_on_two_devices = [
        "name",
        "kind",
        "segment",
        "owner",
        "created",
        "tags",
        "category_spend",
        "contacts",
        "note",
        "lost",
    ]
    .map(String::from)
    .to_vec();
    card.lost_but_contacted = true;
    app.card = Some(crm::tui::app::CardState::new(card));
    sweep.look(app, "card with sync conflicts");
    press(app, book, "<Esc>");
}

/// A contact logged: the status line says what was done.
fn sweep_status(sweep: &mut Sweep, app: &mut App, book: &mut Book) {
    press(app, book, "1g<Enter>lcalled<C-s>");
    sweep.look(app, "status after a log");
    press(app, book, "Uy");
    sweep.look(app, "status after undo");
}

fn codes_on_screen(lang: Lang) -> (BTreeMap<String, BTreeSet<String>>, usize) {
    set_for_thread(Some(lang));
    let (_dir, mut book) = demo();
    let mut app = new_app(&mut book, crm::tui::Theme::color());
    let mut sweep = Sweep::default();
    sweep_book(&mut sweep, &mut app, &mut book);
    sweep_views(&mut sweep, &mut app, &mut book);
    sweep_cards(&mut sweep, &mut app, &mut book);
    sweep_conflicts(&mut sweep, &mut app, &mut book);
    sweep_status(&mut sweep, &mut app, &mut book);
    set_for_thread(None);
    (sweep.hits, sweep.screens)
}

fn assert_no_codes(lang: Lang) {
    let (hits, screens) = codes_on_screen(lang);
    assert!(screens > 1000, "only {screens} screens were looked at");
    let report: Vec<String> = hits
        .iter()
        .map(|(code, seen)| {
            format!(
                "{code}: {}",
                seen.iter().cloned().collect::<Vec<_>>().join("; ")
            )
        })
        .collect();
    assert!(
        hits.is_empty(),
        "{} codes on screen in {lang:?}:\n{}",
        hits.len(),
        report.join("\n")
    );
}

#[test]
fn no_code_on_any_screen_in_english() {
    assert_no_codes(Lang::En);
}

#[test]
fn no_code_on_any_screen_in_chinese() {
    assert_no_codes(Lang::ZhCn);
}

#[test]
fn a_code_is_told_from_words_and_data() {
    assert_eq!(
        snake_tokens("raise_intensity · Raise intensity · li.na · changed_on_two_devices"),
        ["raise_intensity", "changed_on_two_devices"]
    );
    assert_eq!(
        snake_tokens("margin_12m, no_… avg_satisf"),
        ["margin_12m", "no_", "avg_satisf"]
    );
    assert_eq!(
        snake_tokens("ACME_CO x_1 _private 张伟 follow-up 2026_11"),
        Vec::<String>::new()
    );
}
