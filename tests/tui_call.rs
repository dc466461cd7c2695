//! The call, as state tests (issue 14): an inbound call logged in a few control keys from
//! the book, the form returning to where it was opened, the follow-up date resolved as it
//! is typed, and the find palette remembering its query and saying why a customer matched.

mod common;

use common::{four_customers, keys, new_app};
use crm::book::Book;
use crm::domain::model::{BookData, Direction};
use crm::tui::app::App;
use crm::tui::keymap::{parse_keys, resolve, Mode};
use crm::tui::vocab::Msg;
use crm::tui::Theme;
use tempfile::TempDir;

fn fixture() -> (TempDir, Book) {
    common::book_of(BookData {
        users: vec![],
        accounts: four_customers(),
        cycles: vec![],
    })
}

/// The keys of `script` that are not typed text (in a text mode, a printable key is text).
fn control_keys(app: &mut App, book: &mut Book, script: &str) -> usize {
    let mut count = 0;
    for key in parse_keys(script).unwrap() {
        if !matches!(resolve(app.mode(), &key), Some(Msg::Input(_)) | None) {
            count += 1;
        }
        app.handle_key(key, book);
    }
    count
}

#[test]
fn an_inbound_call_is_logged_in_five_control_keys_plus_the_note() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    let controls = control_keys(
        &mut app,
        &mut book,
        "/acme<Enter>l<C-d>rang about the samples<C-s>",
    );
    assert_eq!(controls, 5, "/ Enter l Ctrl-D Ctrl-S");
    assert!(controls <= 8);
    let logged = book
        .account("acme")
        .unwrap()
        .interactions
        .last()
        .cloned()
        .unwrap();
    assert_eq!(logged.direction, Direction::Inbound);
    assert_eq!(logged.note, "rang about the samples");
    // Back where the form was opened: the card.
    assert_eq!(app.mode(), Mode::Card);
    assert_eq!(app.card.as_ref().unwrap().card.id, "acme");
}

#[test]
fn ctrl_d_flips_the_direction_back_and_forth() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(&mut app, &mut book, "/acme<Enter>l<C-d><C-d>x<C-s>");
    let logged = book
        .account("acme")
        .unwrap()
        .interactions
        .last()
        .cloned()
        .unwrap();
    assert_eq!(logged.direction, Direction::Outbound);
}

#[test]
fn the_follow_up_date_is_shown_resolved_as_it_is_typed() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(&mut app, &mut book, "/acme<Enter>l<Tab>+7");
    let field = app.form.as_ref().unwrap().field("follow_up").unwrap();
    assert_eq!(field.echo.as_deref(), Some("= 2026-11-29, Sun"));
    keys(&mut app, &mut book, "x");
    let field = app.form.as_ref().unwrap().field("follow_up").unwrap();
    assert_eq!(field.echo, None, "+7x is no date");
}

#[test]
fn a_form_opened_from_the_agenda_returns_to_the_agenda() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(&mut app, &mut book, "2ol<C-d>called<C-s>");
    assert!(app.form.is_none());
    assert!(app.card.is_none());
    assert_eq!(app.mode(), Mode::Agenda);
}

#[test]
fn find_remembers_the_last_query_and_typing_replaces_it() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(&mut app, &mut book, "/delt<Enter><Esc>/");
    let find = app.find.as_ref().unwrap();
    assert_eq!(find.query.value(), "delt");
    assert_eq!(find.hits[0].id, "delta");
    // Moving keeps it; typing replaces it.
    keys(&mut app, &mut book, "<Down><Up>acm");
    let find = app.find.as_ref().unwrap();
    assert_eq!(find.query.value(), "acm");
    assert_eq!(find.hits[0].id, "acme");
    // Esc remembers too.
    keys(&mut app, &mut book, "<Esc>/");
    assert_eq!(app.find.as_ref().unwrap().query.value(), "acm");
}

#[test]
fn find_rows_say_why_a_customer_matched() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(&mut app, &mut book, "/5555 0101");
    let find = app.find.as_ref().unwrap();
    assert!(!find.hits.is_empty());
    assert_eq!(find.why[0].as_deref(), Some("phone +86 10 5555 0101"));
    keys(&mut app, &mut book, "<C-u>li wei");
    let find = app.find.as_ref().unwrap();
    assert_eq!(find.why[0].as_deref(), Some("contact Li Wei"));
    // A name that holds the query needs no reason.
    keys(&mut app, &mut book, "<C-u>acme");
    assert_eq!(app.find.as_ref().unwrap().why[0], None);
}

#[test]
fn pinyin_typed_run_together_finds_a_chinese_contact() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    // shanghai's contact is 王伟: "wangwei" as it is usually typed, no space.
    keys(&mut app, &mut book, "/wangwei");
    let find = app.find.as_ref().unwrap();
    assert_eq!(find.hits[0].id, "shanghai");
    assert_eq!(find.hits[0].reading.as_deref(), Some("wang wei"));
    // The reading is the contact's, not the company's: the row says whose it is.
    assert_eq!(find.why[0].as_deref(), Some("contact 王伟"));
}
