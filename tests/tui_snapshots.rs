//! Screen snapshots of every view at 80x24 and 120x40, in the colour and the mono theme
//! (passed explicitly, never read from the environment), and the ASCII set for vt100.
//! A snapshot holds the screen text, then every styled run, so a lost selection or a
//! colour that leaks into the mono theme shows up as a diff.

use crm::book::Book;
use crm::domain::config::Config;
use crm::domain::model::{
    Account, Bond, BondLevel, BookData, Channel, Contact, Customer, CustomerKind, Cycle, Direction,
    GoalDirection, Interaction, Lost, LostReason, Metric, Order, Outcome, Phase, Purpose, Scope,
    Task, TaskOrigin,
};
use crm::tui::app::App;
use crm::tui::view;
use crm::tui::Theme;
use jiff::civil::{date, Date};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Style;
use ratatui::Terminal;
use tempfile::TempDir;

fn cycle() -> Cycle {
    Cycle {
        id: 1,
        title: "Lift satisfaction of key accounts".into(),
        scope: Scope::Customer("acme".into()),
        owner: "alice".into(),
        created: date(2026, 9, 1),
        phase: Phase::Do,
        metric: Some(Metric::AvgSatisfaction),
        direction: GoalDirection::Raise,
        baseline: Some(3.2),
        target: Some(4.0),
        check_date: Some(date(2026, 12, 15)),
        plan_notes: "monthly calls with the buyer".into(),
        actions: vec![],
        result: None,
        decision: None,
        lessons: String::new(),
        previous: None,
        next: None,
    }
}

fn customer(id: &str, name: &str, owner: &str) -> Customer {
    Customer {
        id: id.into(),
        name: name.into(),
        kind: CustomerKind::Organization,
        segment: "trade".into(),
        owner: owner.into(),
        created: date(2024, 1, 10),
        tags: vec![],
        category_spend: Some(100_000.0),
        contacts: vec![Contact {
            name: "Li Wei".into(),
            role: "buyer".into(),
            phone: "+86 10 5555 0101".into(),
            email: "li@example.com".into(),
        }],
        note: String::new(),
        lost: None,
    }
}

fn call(at: &str, note: &str, follow_up: Option<Date>) -> Interaction {
    Interaction {
        at: at.parse().unwrap(),
        channel: Channel::Phone,
        direction: Direction::Outbound,
        purpose: Purpose::FollowUp,
        outcome: Outcome::Positive,
        satisfaction: Some(4),
        signals: vec![],
        note: note.into(),
        follow_up,
        author: "alice".into(),
    }
}

fn monthly_orders(from: Date, months: i64) -> Vec<Order> {
    (0..months)
        .map(|m| Order {
            date: from.checked_add(jiff::Span::new().months(m)).unwrap(),
            amount: 1000.0,
            margin: Some(300.0),
        })
        .collect()
}

fn task(id: u64, due: Date, text: &str) -> Task {
    Task {
        id,
        due,
        text: text.into(),
        origin: TaskOrigin::FollowUp,
        done: None,
    }
}

/// Four customers: a steady one, a Chinese-named prospect, a lost one, one with follow-ups.
fn fixture() -> (TempDir, Book) {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Book::open(dir.path(), Config::default(), "alice").unwrap();
    let mut acme = Account::new(customer("acme", "Acme Trading Co.", "alice"));
    acme.orders = monthly_orders(date(2024, 12, 1), 24);
    acme.interactions = vec![call("2026-11-02T09:00:00Z", "quarterly review", None)];
    acme.bonds = vec![Bond {
        level: BondLevel::Social,
        kind: "named account manager".into(),
        since: date(2025, 1, 1),
        until: None,
        note: String::new(),
    }];
    let mut shanghai = Account::new(customer("shanghai", "上海贸易有限公司", "bob"));
    shanghai.customer.contacts[0].name = "王伟".into();
    let mut beta = Account::new(customer("beta", "Beta Foods", "alice"));
    beta.orders = monthly_orders(date(2024, 1, 1), 6);
    beta.customer.lost = Some(Lost {
        date: date(2025, 6, 1),
        reason: LostReason::Competitor,
    });
    let mut delta = Account::new(customer("delta", "Delta Logistics", "bob"));
    delta.orders = monthly_orders(date(2025, 6, 1), 17);
    delta.tasks = vec![
        task(9001, date(2026, 11, 20), "Follow up: send the quote"),
        task(9002, date(2026, 11, 22), "Follow up: confirm delivery"),
    ];
    let data = BookData {
        users: vec![],
        accounts: vec![acme, shanghai, beta, delta],
        cycles: vec![cycle()],
    };
    book.import(data, false).unwrap();
    (dir, book)
}

fn as_of() -> Date {
    date(2026, 11, 22)
}

fn new_app(book: &mut Book, theme: Theme) -> App {
    let mut app = App::new(book, as_of(), theme).unwrap();
    app.now = || "2026-11-22T10:00:00Z".parse().unwrap();
    app
}

/// The screen as text, then each run of non-default style as `row: from-to style`.
fn dump(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut row = String::new();
        let mut skip = 0;
        for x in 0..area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = crm::tui::text::width(symbol).saturating_sub(1);
            row.push_str(symbol);
        }
        out.push_str(row.trim_end());
        out.push('\n');
    }
    out.push_str("--- styles ---\n");
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let style = buffer[(x, y)].style();
            let start = x;
            while x < area.width && buffer[(x, y)].style() == style {
                x += 1;
            }
            if !describe(style).is_empty() {
                out.push_str(&format!("{y}: {start}-{} {}\n", x - 1, describe(style)));
            }
        }
    }
    out
}

fn describe(style: Style) -> String {
    let mut parts = Vec::new();
    if let Some(fg) = style.fg.filter(|c| *c != ratatui::style::Color::Reset) {
        parts.push(format!("fg={fg:?}"));
    }
    if let Some(bg) = style.bg.filter(|c| *c != ratatui::style::Color::Reset) {
        parts.push(format!("bg={bg:?}"));
    }
    let mods = style.add_modifier - style.sub_modifier;
    if !mods.is_empty() {
        parts.push(format!("{mods:?}"));
    }
    parts.join(" ")
}

fn screen(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| view::render(app, frame)).unwrap();
    terminal.backend().buffer().clone()
}

/// Snapshots one state at both sizes in both themes. `setup` drives the App with keys.
fn snap(name: &str, script: &str) {
    for (theme_name, theme) in [("colour", Theme::color()), ("mono", Theme::mono())] {
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let (_dir, mut book) = fixture();
            let mut app = new_app(&mut book, theme.clone());
            // Render once first so paging knows the screen size, as in the real loop.
            screen(&app, w, h);
            for key in crm::tui::keymap::parse_keys(script).unwrap() {
                app.handle_key(key, &mut book);
                screen(&app, w, h);
            }
            let buffer = screen(&app, w, h);
            if theme_name == "mono" {
                assert_mono(&buffer);
            }
            insta::assert_snapshot!(format!("{name}_{theme_name}_{w}x{h}"), dump(&buffer));
        }
    }
}

/// NO_COLOR: no colour anywhere, and the selection still shows (reverse video).
fn assert_mono(buffer: &Buffer) {
    for cell in buffer.content() {
        let style = cell.style();
        assert!(
            style.fg.is_none_or(|c| c == ratatui::style::Color::Reset)
                && style.bg.is_none_or(|c| c == ratatui::style::Color::Reset),
            "colour in the mono theme: {style:?}"
        );
    }
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
    terminal.draw(|frame| view::render(&app, frame)).unwrap();
    for (w, h) in [(24, 6), (1, 1), (49, 30), (200, 11)] {
        terminal.backend_mut().resize(w, h);
        terminal.draw(|frame| view::render(&app, frame)).unwrap();
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
    terminal.draw(|frame| view::render(&app, frame)).unwrap();
    let text = dump(terminal.backend().buffer());
    assert!(text.contains("Acme Trading Co."), "recovers: {text}");
    insta::assert_snapshot!("too_small_24x6", {
        let mut t = Terminal::new(TestBackend::new(24, 6)).unwrap();
        t.draw(|frame| view::render(&app, frame)).unwrap();
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
    terminal.draw(|frame| view::render(&app, frame)).unwrap();
    app.type_keys("jjjj", &mut book).unwrap();
    terminal.draw(|frame| view::render(&app, frame)).unwrap();
    tap.0.borrow_mut().clear();
    app.type_keys("j", &mut book).unwrap();
    terminal.draw(|frame| view::render(&app, frame)).unwrap();
    let bytes = tap.0.borrow().len();
    eprintln!("one selection move at 120x40: {bytes} bytes");
    assert!(bytes > 0, "a move redraws something");
    assert!(bytes <= 500, "one selection move wrote {bytes} bytes");
}

/// A writer whose bytes the test can still read after handing it to the backend.
#[derive(Clone, Default)]
struct Tap(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl std::io::Write for Tap {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
