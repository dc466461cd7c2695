//! No one-key accidents (issue 14): keys are ignored while the screen shows only "terminal
//! too small", and a task is marked done only after a yes.

mod common;

use common::{four_customers, keys, new_app};
use crm::book::Book;
use crm::domain::model::BookData;
use crm::tui::keymap::Mode;
use crm::tui::view;
use crm::tui::Theme;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use tempfile::TempDir;

fn fixture() -> (TempDir, Book) {
    common::book_of(BookData {
        users: vec![],
        accounts: four_customers(),
        cycles: vec![],
    })
}

/// Draws the App at `width` x `height` and keeps what the frame laid out, as the loop does.
fn draw(app: &mut crm::tui::App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut viewport = app.viewport;
    terminal
        .draw(|frame| viewport = view::render(app, frame))
        .unwrap();
    app.viewport = viewport;
    common::dump(terminal.backend().buffer())
}

#[test]
fn keys_do_nothing_while_the_terminal_is_too_small() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    // Everyone's agenda, its first row bob's overdue follow-up.
    keys(&mut app, &mut book, "2o");
    assert!(draw(&mut app, 40, 12).contains("too small"));
    keys(&mut app, &mut book, "dyjl/");
    assert!(app.confirm.is_none() && app.form.is_none() && app.find.is_none());
    assert_eq!(app.agenda.cursor.selected, 0);
    assert!(book
        .account("delta")
        .unwrap()
        .tasks
        .iter()
        .all(|t| t.done.is_none()));
    // Large enough again: the same keys act.
    draw(&mut app, 80, 24);
    keys(&mut app, &mut book, "d");
    assert_eq!(app.mode(), Mode::Confirm);
    // Quitting is still taken on a tiny screen.
    draw(&mut app, 40, 12);
    keys(&mut app, &mut book, "n");
    assert_eq!(app.mode(), Mode::Confirm, "n is not taken unseen");
    draw(&mut app, 80, 24);
    keys(&mut app, &mut book, "n");
    draw(&mut app, 40, 12);
    keys(&mut app, &mut book, "q");
    assert!(app.quit);
}

#[test]
fn the_agenda_asks_before_marking_a_follow_up_done() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(&mut app, &mut book, "2od");
    let prompt = app.confirm.as_ref().unwrap().prompt.clone();
    assert_eq!(prompt, "Mark \"Follow up: send the quote\" done? (y/n)");
    // Esc is a no.
    keys(&mut app, &mut book, "<Esc>");
    assert!(app.confirm.is_none());
    assert!(book
        .account("delta")
        .unwrap()
        .tasks
        .iter()
        .all(|t| t.done.is_none()));
    keys(&mut app, &mut book, "dy");
    let done: Vec<u64> = book
        .account("delta")
        .unwrap()
        .tasks
        .iter()
        .filter(|t| t.done.is_some())
        .map(|t| t.id)
        .collect();
    assert_eq!(done, [9001]);
    assert!(app.card.is_none(), "the agenda stays in view");
}
