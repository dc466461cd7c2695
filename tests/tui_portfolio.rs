//! The portfolio's drill-down (issue 14): a tier, a stage or a CRM queue is a row to
//! select; Enter lists its customers in the book view, Enter there opens a card, and Esc
//! comes back to the portfolio where it was. And churn by reason, as the contract's
//! `crm portfolio` has it. State tests on the four customers, then the real binary in a
//! pseudo-terminal.

mod common;

#[path = "common/pty.rs"]
mod pty;

use common::{four_customers, keys, new_app, screen};
use crm::book::{Book, BookApi};
use crm::domain::card::{Stage, Tier};
use crm::domain::model::BookData;
use crm::domain::portfolio::QueueKind;
use crm::tui::app::{App, SortKey, View};
use crm::tui::keymap::Mode;
use crm::tui::Theme;
use tempfile::TempDir;

/// acme (mature, platinum), 上海 (a prospect), beta (lost to a competitor), delta (in
/// decline): acquire = 上海; retain = acme; win back = delta and beta.
fn fixture() -> (TempDir, Book) {
    common::book_of(BookData {
        users: vec![],
        accounts: four_customers(),
        cycles: vec![],
    })
}

fn listed(app: &App) -> Vec<String> {
    (0..app.list.len())
        .map(|r| app.list.row(r).unwrap().id.clone())
        .collect()
}

fn text(app: &App, w: u16, h: u16) -> String {
    common::dump(&screen(app, w, h))
}

/// The portfolio's selectable rows, in order: 4 tiers, 5 stages, 3 queues.
const WIN_BACK_ROW: usize = 11;

#[test]
fn a_queue_drilled_into_lists_its_customers_and_esc_comes_back_where_it_was() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    // The book list as the user left it: sorted by last contact, on delta.
    keys(&mut app, &mut book, "c");
    app.list.select_id("delta");
    keys(&mut app, &mut book, "3");
    screen(&app, 80, 24);
    assert_eq!(
        app.portfolio.reading.cursor, 0,
        "the first tier is selected"
    );
    keys(&mut app, &mut book, &"j".repeat(WIN_BACK_ROW));
    assert_eq!(app.portfolio.reading.cursor, WIN_BACK_ROW);
    let scroll = app.portfolio.reading.scroll;
    assert!(text(&app, 80, 24).contains("> win back       2 customers"));

    keys(&mut app, &mut book, "<Enter>");
    assert_eq!(app.view, View::Book);
    assert_eq!(app.mode(), Mode::Book);
    // The queue's customers, most valuable first (by CRV).
    let mut ids = listed(&app);
    ids.sort();
    assert_eq!(ids, ["beta", "delta"]);
    assert_eq!(app.list.sort, SortKey::Value);
    let shown = text(&app, 80, 24);
    assert!(
        shown.contains("Esc: portfolio · Book · 2 of 4 · filter: queue=win back"),
        "{shown}"
    );

    // Enter opens a card; Esc goes back to the list, then to the portfolio.
    keys(&mut app, &mut book, "<Enter>");
    let opened = app.card.as_ref().unwrap().card.id.clone();
    assert!(["beta", "delta"].contains(&opened.as_str()));
    keys(&mut app, &mut book, "<Esc>");
    assert!(app.card.is_none());
    assert_eq!(app.view, View::Book);
    assert_eq!(app.list.len(), 2, "still the queue's list");
    keys(&mut app, &mut book, "<Esc>");
    assert_eq!(app.view, View::Portfolio);
    assert_eq!(app.portfolio.reading.cursor, WIN_BACK_ROW);
    assert_eq!(app.portfolio.reading.scroll, scroll);
    // The book list is as it was left.
    assert_eq!(app.list.len(), 4);
    assert_eq!(app.list.sort, SortKey::LastContact);
    assert_eq!(app.list.selected().unwrap().id, "delta");
    assert!(app.portfolio.drilled.is_none());
}

#[test]
fn the_three_queues_list_whom_the_book_counts_in_them() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(&mut app, &mut book, "3");
    for (row, kind, expected) in [
        (9, QueueKind::Acquire, vec!["shanghai"]),
        (10, QueueKind::Retain, vec!["acme"]),
        (11, QueueKind::WinBack, vec!["beta", "delta"]),
    ] {
        keys(&mut app, &mut book, &format!("g{}<Enter>", "j".repeat(row)));
        let mut ids = listed(&app);
        ids.sort();
        assert_eq!(ids, expected, "{kind:?}");
        let from_book: Vec<String> = BookApi::queue(&mut book, common::as_of(), kind)
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(from_book.len(), expected.len());
        keys(&mut app, &mut book, "<Esc>");
        assert_eq!(app.view, View::Portfolio);
    }
}

#[test]
fn a_tier_or_a_stage_drilled_into_is_the_book_filtered_by_it() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(&mut app, &mut book, "3<Enter>");
    assert_eq!(app.list.filter.tier, Some(Some(Tier::Platinum)));
    assert_eq!(listed(&app), ["acme"]);
    keys(&mut app, &mut book, "<Esc>jj<Enter>");
    assert_eq!(app.list.filter.tier, Some(Some(Tier::Iron)));
    assert_eq!(listed(&app), ["delta"]);
    // Stages follow the tiers: acquisition is the fifth row, churned the ninth.
    keys(&mut app, &mut book, "<Esc>gjjjj<Enter>");
    assert_eq!(app.list.filter.stage, Some(Stage::Acquisition));
    assert_eq!(listed(&app), ["shanghai"]);
    keys(&mut app, &mut book, "<Esc>gjjjjjjjj<Enter>");
    assert_eq!(app.list.filter.stage, Some(Stage::Churned));
    assert_eq!(listed(&app), ["beta"]);
    // A view chosen with its key leaves the row's list: the whole book again.
    keys(&mut app, &mut book, "1");
    assert_eq!(app.view, View::Book);
    assert!(app.list.filter.is_empty());
    assert_eq!(app.list.len(), 4);
    assert!(app.portfolio.drilled.is_none());
    // Esc on the plain book list stays there.
    keys(&mut app, &mut book, "<Esc>");
    assert_eq!(app.view, View::Book);
}

#[test]
fn enter_on_a_row_scrolled_out_of_sight_does_nothing() {
    // The demo book: its figures run on well below the queues.
    let (_dir, mut book) = common::demo(120, 3);
    let mut app = new_app(&mut book, Theme::mono());
    keys(&mut app, &mut book, "3");
    screen(&app, 80, 24);
    // Past the last row, j scrolls on to the figures below; the queue row leaves the screen.
    keys(&mut app, &mut book, &"j".repeat(WIN_BACK_ROW + 40));
    assert_eq!(app.portfolio.reading.cursor, WIN_BACK_ROW);
    let shown = text(&app, 80, 24);
    assert!(shown.contains("One-to-one capacity plan"), "{shown}");
    assert!(!shown.contains("win back"), "{shown}");
    keys(&mut app, &mut book, "<Enter>");
    assert_eq!(app.view, View::Portfolio, "nothing on screen to open");
    // Up brings the row above back into view; then Enter opens it: the retain queue.
    keys(&mut app, &mut book, "k<Enter>");
    assert_eq!(app.view, View::Book);
    let mut ids = listed(&app);
    ids.sort();
    let mut retain: Vec<String> = BookApi::queue(&mut book, common::as_of(), QueueKind::Retain)
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    retain.sort();
    assert!(!retain.is_empty());
    assert_eq!(ids, retain);
}

#[test]
fn churn_by_reason_is_on_the_portfolio_in_both_languages() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(&mut app, &mut book, "3");
    // One churned customer, beta, lost to a competitor: all of the churn.
    let wide = text(&app, 120, 40);
    assert!(wide.contains("Churn by reason"), "{wide}");
    assert!(wide.contains("competitor       1 100% · lost"), "{wide}");
    crm::i18n::set_for_thread(Some(crm::i18n::Lang::ZhCn));
    let zh = text(&app, 120, 40);
    crm::i18n::set_for_thread(None);
    assert!(zh.contains("按原因的流失"), "{zh}");
}

/// A day the demo book and the console agree on.
const AS_OF: &str = "2026-11-22";

#[test]
fn a_queue_drilled_into_in_a_terminal_opens_a_card_and_esc_comes_back() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("book");
    std::fs::write(pty::config_of(&data), "").unwrap();
    pty::crm(
        &data,
        &[
            "--as-of",
            AS_OF,
            "demo",
            "--customers",
            "120",
            "--seed",
            "3",
        ],
    );
    let figures: serde_json::Value =
        serde_json::from_str(&pty::crm(&data, &["--as-of", AS_OF, "portfolio", "--json"])).unwrap();
    let win_back = figures["queues"]["win_back"]["customers"].as_u64().unwrap();
    let total = figures["customers"].as_u64().unwrap();
    assert!(win_back > 0, "the demo book has customers to win back");

    let mut s = pty::Session::open_with(&data, 80, 24, "C.UTF-8", &["--as-of", AS_OF]);
    s.wait_for("Book ·");
    s.send("3");
    s.wait_for("The three CRM tasks");
    s.send(&"j".repeat(WIN_BACK_ROW));
    s.wait_for("> win back");
    s.send("\r");
    s.wait_for(&format!(
        "Esc: portfolio · Book · {win_back} of {total} · filter: queue=win back"
    ));
    s.send("\r");
    s.wait_for(" · id ");
    s.send("\x1b");
    s.wait_for("Esc: portfolio · Book ·");
    s.send("\x1b");
    s.wait_for("The three CRM tasks");
    s.wait_for("> win back");
    assert!(!s.screen().contains("Esc: portfolio"), "{}", s.screen());
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}
