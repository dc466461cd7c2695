//! Screen snapshots of every view at 80x24 and 120x40, in the colour and the mono theme
//! (passed explicitly, never read from the environment), and the ASCII set for vt100.
//! A snapshot holds the screen text, then every styled run, so a lost selection or a
//! colour that leaks into the mono theme shows up as a diff.

mod common;

use common::{
    base_cycle, customer, dump, each_screen, each_screen_zh, four_customers, monthly_orders,
    new_app, screen, Tap,
};
use crm::book::Book;
use crm::domain::config::Config;
use crm::domain::model::{Account, BookData, Cycle, Metric, Phase, Scope};
use crm::tui::view;
use crm::tui::Theme;
use jiff::civil::date;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use tempfile::TempDir;

fn cycle() -> Cycle {
    Cycle {
        created: date(2026, 9, 1),
        baseline: Some(3.2),
        target: Some(4.0),
        check_date: Some(date(2026, 12, 15)),
        plan_notes: "monthly calls with the buyer".into(),
        ..base_cycle(
            1,
            "Lift satisfaction of key accounts",
            Scope::Customer("acme".into()),
            Phase::Do,
            Metric::AvgSatisfaction,
        )
    }
}

/// The four customers of `four_customers` and one cycle in do.
fn fixture() -> (TempDir, Book) {
    common::book_of(BookData {
        users: vec![],
        accounts: four_customers(),
        cycles: vec![cycle()],
    })
}

/// Snapshots one state at both sizes in both themes. `script` drives the App with keys.
fn snap(name: &str, script: &str) {
    each_screen(fixture, script, |variant, buffer| {
        insta::assert_snapshot!(format!("{name}_{variant}"), dump(&buffer));
    });
}

#[test]
fn book_view() {
    snap("book", "");
}

#[test]
fn book_filtered_and_sorted() {
    snap("book_filtered", "oj");
}

#[test]
fn find_palette() {
    snap("find", "/a");
}

#[test]
fn find_cjk() {
    snap("find_cjk", "<C-k>上海");
}

#[test]
fn find_pinyin() {
    // 上海贸易有限公司 by the initials of its reading; the reading shows, the typed
    // letters underlined.
    snap("find_pinyin", "<C-k>shmy");
}

#[test]
fn card_view() {
    snap("card", "/acme<Enter>");
}

#[test]
fn card_scrolled_to_the_timeline() {
    snap("card_scrolled", "/acme<Enter>G");
}

#[test]
fn card_cjk_prospect() {
    snap("card_cjk", "/shanghai<Enter>");
}

#[test]
fn log_form() {
    snap(
        "log_form",
        "/acme<Enter>lcalled about 上海 pricing<Tab>soon<C-s>",
    );
}

#[test]
fn confirm_drop() {
    snap("confirm", "/acme<Enter>ldraft<Esc>");
}

#[test]
fn edit_profile_form() {
    snap("edit_form", "/acme<Enter>e");
}

#[test]
fn agenda_view() {
    snap("agenda", "2");
}

/// Done asks first, over the agenda.
#[test]
fn confirm_task_done_view() {
    snap("confirm_task_done", "2od");
}

/// Everyone's agenda (`o`): bob's delta brings an overdue follow-up and one due today.
#[test]
fn agenda_everyone_view() {
    snap("agenda_everyone", "2o");
}

#[test]
fn portfolio_view() {
    snap("portfolio", "3");
}

#[test]
fn pdca_view() {
    snap("pdca", "4");
}

#[test]
fn help_view() {
    snap("help", "?");
}

#[test]
fn ascii_borders_for_vt100() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono().with_ascii(true));
    app.type_keys("/acme<Enter>", &mut book).unwrap();
    let buffer = screen(&app, 80, 24);
    assert!(
        buffer.content().iter().all(|c| c.symbol().is_ascii()),
        "vt100 screens hold ASCII only (names here are Latin)"
    );
    app.type_keys("l", &mut book).unwrap();
    let form = screen(&app, 80, 24);
    insta::assert_snapshot!("ascii_log_form_80x24", dump(&form));
}

#[test]
fn too_small_and_back() {
    let (_dir, mut book) = fixture();
    let app = new_app(&mut book, Theme::mono());
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| {
            view::render(&app, frame);
        })
        .unwrap();
    for (w, h) in [(24, 6), (1, 1), (49, 30), (200, 11)] {
        terminal.backend_mut().resize(w, h);
        terminal
            .draw(|frame| {
                view::render(&app, frame);
            })
            .unwrap();
        let text = dump(terminal.backend().buffer());
        assert!(
            !text.contains("Acme"),
            "{w}x{h}: no layout below the minimum"
        );
        if w >= 24 {
            assert!(text.starts_with("terminal too small"), "{w}x{h}: {text}");
        }
    }
    terminal.backend_mut().resize(80, 24);
    terminal
        .draw(|frame| {
            view::render(&app, frame);
        })
        .unwrap();
    let text = dump(terminal.backend().buffer());
    assert!(text.contains("Acme Trading Co."), "recovers: {text}");
    insta::assert_snapshot!("too_small_24x6", {
        let mut t = Terminal::new(TestBackend::new(24, 6)).unwrap();
        t.draw(|frame| {
            view::render(&app, frame);
        })
        .unwrap();
        dump(t.backend().buffer())
    });
}

#[test]
fn cjk_rows_line_up() {
    let (_dir, mut book) = fixture();
    let app = new_app(&mut book, Theme::mono());
    let buffer = screen(&app, 80, 24);
    // Every book row ends its name column at the same screen column: the stage column
    // starts right after it, so find where "acquire"/"mature"/... start on each row.
    let stage_col = |y: u16| {
        (0..80u16).find(|&x| {
            let rest: String = (x..80)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect();
            ["acquire ", "mature ", "churned ", "growth ", "decline "]
                .iter()
                .any(|s| rest.starts_with(s))
        })
    };
    let cols: Vec<Option<u16>> = (3..7).map(stage_col).collect();
    assert!(
        cols.iter().all(|c| c.is_some() && *c == cols[0]),
        "{cols:?}"
    );
}

#[test]
fn selection_move_sends_few_bytes() {
    use ratatui::backend::CrosstermBackend;
    // A 100-line book at 120x40; measure what one j costs on the wire.
    let dir = tempfile::tempdir().unwrap();
    let mut book = Book::open(dir.path(), Config::default(), "alice").unwrap();
    let accounts = (0..100)
        .map(|i| {
            let mut a = Account::new(customer(
                &format!("c{i:03}"),
                &format!("Customer {i:03}"),
                "alice",
            ));
            a.orders = monthly_orders(date(2025, 1, 1), (i % 20) + 1);
            a
        })
        .collect();
    book.import(
        BookData {
            users: vec![],
            accounts,
            cycles: vec![],
        },
        false,
    )
    .unwrap();
    let mut app = new_app(&mut book, Theme::color());
    let tap = Tap::default();
    let mut terminal = Terminal::with_options(
        CrosstermBackend::new(tap.clone()),
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 120, 40)),
        },
    )
    .unwrap();
    terminal
        .draw(|frame| {
            view::render(&app, frame);
        })
        .unwrap();
    app.type_keys("jjjj", &mut book).unwrap();
    terminal
        .draw(|frame| {
            view::render(&app, frame);
        })
        .unwrap();
    tap.0.borrow_mut().clear();
    app.type_keys("j", &mut book).unwrap();
    terminal
        .draw(|frame| {
            view::render(&app, frame);
        })
        .unwrap();
    let bytes = tap.0.borrow().len();
    eprintln!("one selection move at 120x40: {bytes} bytes");
    assert!(bytes > 0, "a move redraws something");
    assert!(bytes <= 500, "one selection move wrote {bytes} bytes");
}

/// Every view of this file in Simplified Chinese: labels double width, columns still
/// aligned at 80x24 and 120x40.
#[test]
fn every_view_in_chinese() {
    for (name, script) in [
        ("book", ""),
        ("book_filtered", "oj"),
        ("find", "/a"),
        ("find_cjk", "<C-k>上海"),
        ("find_pinyin", "<C-k>shmy"),
        ("card", "/acme<Enter>"),
        ("card_scrolled", "/acme<Enter>G"),
        ("card_cjk", "/shanghai<Enter>"),
        ("confirm", "/acme<Enter>ldraft<Esc>"),
        ("log_form", "/acme<Enter>l"),
        ("edit_form", "/acme<Enter>e"),
        ("agenda", "2"),
        ("portfolio", "3"),
        ("pdca", "4"),
        ("help", "?"),
    ] {
        each_screen_zh(fixture, script, |variant, buffer| {
            insta::assert_snapshot!(format!("{name}_{variant}"), dump(&buffer));
        });
    }
}
