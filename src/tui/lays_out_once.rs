//! A page key lays the card and a cycle's page out once: update (to move) and render (to
//! draw) share the layout `document::Layouts` keeps, until the width or content changes.

use jiff::civil::{date, Date};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use crate::book::Book;
use crate::demo::{demo_book, DemoOptions};
use crate::domain::config::Config;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use crate::tui::view;

const AS_OF: Date = date(2026, 11, 22);

/// A demo book of alice's (kept alive by the returned directory) and its console.
fn console() -> (tempfile::TempDir, Book, App) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut book = Book::open(dir.path(), Config::default(), "alice").expect("a new book");
    let options = DemoOptions {
        customers: 40,
        seed: 42,
        today: AS_OF,
    };
    book.import(demo_book(&options, &mut |_| {}), false)
        .expect("the demo imports");
    let app = App::new(&mut book, AS_OF, Theme::mono()).expect("the console opens");
    (dir, book, app)
}

/// Draws a frame of `width`×`height` and keeps its viewport, as the console's loop does.
fn draw(app: &mut App, width: u16, height: u16) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    let mut viewport = app.viewport;
    terminal
        .draw(|frame| viewport = view::render(app, frame))
        .expect("a frame");
    app.viewport = viewport;
}

fn press(app: &mut App, book: &mut Book, keys: &str) {
    app.type_keys(keys, book).expect("known keys");
}

#[test]
fn a_page_down_lays_the_card_out_once() {
    let (_dir, mut book, mut app) = console();
    draw(&mut app, 80, 24);
    press(&mut app, &mut book, "<Enter>");
    draw(&mut app, 80, 24);
    let made = |app: &App| {
        app.card
            .as_ref()
            .expect("a card is open")
            .layouts
            .made
            .get()
    };
    assert_eq!(made(&app), 1, "the first frame lays the card out");
    press(&mut app, &mut book, "<PgDn>");
    draw(&mut app, 80, 24);
    let reading = app.card.as_ref().expect("a card is open").reading;
    assert!(
        reading.scroll > 0,
        "the card is longer than a page: {reading:?}"
    );
    assert_eq!(
        made(&app),
        1,
        "the key and the next frame reuse that layout"
    );
    draw(&mut app, 120, 40);
    assert_eq!(made(&app), 2, "a new width lays it out again");
}

#[test]
fn a_page_down_lays_a_cycles_page_out_once() {
    let (_dir, mut book, mut app) = console();
    press(&mut app, &mut book, "4");
    draw(&mut app, 80, 12);
    press(&mut app, &mut book, "<Enter>");
    draw(&mut app, 80, 12);
    let made = |app: &App| {
        app.pdca
            .page
            .as_ref()
            .expect("a page is open")
            .layouts
            .made
            .get()
    };
    assert_eq!(made(&app), 1, "the first frame lays the page out");
    press(&mut app, &mut book, "<PgDn>");
    draw(&mut app, 80, 12);
    let reading = app.pdca.page.as_ref().expect("a page is open").reading;
    assert!(
        reading.scroll > 0,
        "the page is longer than a page: {reading:?}"
    );
    assert_eq!(
        made(&app),
        1,
        "the key and the next frame reuse that layout"
    );
}
