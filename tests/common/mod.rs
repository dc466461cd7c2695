// Each console test binary compiles this module and uses only its own subset of it.
#![allow(dead_code)]

//! Fixtures shared by the tests: running the real binary on a book (`crm_ok`) and the
//! card's contract fields; for the console tests (`tui_state`, `tui_snapshots`, `tui_pdca`,
//! `tui_scroll`), a real Book in a temporary directory and its customers, the App on a
//! fixed day and clock, and screens rendered to a ratatui `TestBackend` and dumped as text.
//! The `assert_snapshot!` calls stay in the test files: insta names a snapshot (and finds
//! its file) after the file the macro stands in.

/// PostgreSQL for the tests (`$CRM_TEST_PG`): a database per test, a server of one's own.
pub mod pg;

use crm::book::Book;
use crm::demo::{demo_book, DemoOptions};
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
use std::cell::RefCell;
use std::io;
use std::rc::Rc;
use tempfile::TempDir;

/// The day the console tests run on.
pub fn as_of() -> Date {
    date(2026, 11, 22)
}

pub fn customer(id: &str, name: &str, owner: &str) -> Customer {
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

pub fn call(at: &str, note: &str, follow_up: Option<Date>) -> Interaction {
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

pub fn monthly_orders(from: Date, months: i64) -> Vec<Order> {
    (0..months)
        .map(|m| Order {
            date: from.checked_add(jiff::Span::new().months(m)).unwrap(),
            amount: 1000.0,
            margin: Some(300.0),
        })
        .collect()
}

pub fn task(id: u64, due: Date, text: &str) -> Task {
    Task {
        id,
        due,
        text: text.into(),
        origin: TaskOrigin::FollowUp,
        done: None,
    }
}

/// A cycle of alice's created 2026-03-01 with no goal, plan, actions or result yet.
pub fn base_cycle(id: u64, title: &str, scope: Scope, phase: Phase, metric: Metric) -> Cycle {
    Cycle {
        id,
        title: title.into(),
        scope,
        owner: "alice".into(),
        created: date(2026, 3, 1),
        phase,
        metric: Some(metric),
        direction: GoalDirection::Raise,
        baseline: None,
        target: None,
        check_date: None,
        plan_notes: String::new(),
        actions: vec![],
        result: None,
        decision: None,
        lessons: String::new(),
        previous: None,
        next: None,
    }
}

/// A Chinese-named prospect of bob's whose contact has a Chinese name.
pub fn shanghai() -> Account {
    let mut shanghai = Account::new(customer("shanghai", "上海贸易有限公司", "bob"));
    shanghai.customer.contacts[0].name = "王伟".into();
    shanghai
}

/// A customer of alice's with six orders in 2024, lost to a competitor in 2025.
pub fn beta() -> Account {
    let mut beta = Account::new(customer("beta", "Beta Foods", "alice"));
    beta.orders = monthly_orders(date(2024, 1, 1), 6);
    beta.customer.lost = Some(Lost {
        date: date(2025, 6, 1),
        reason: LostReason::Competitor,
    });
    beta
}

/// Four customers: a steady one, a Chinese-named prospect, a lost one, one with follow-ups.
pub fn four_customers() -> Vec<Account> {
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
    let mut delta = Account::new(customer("delta", "Delta Logistics", "bob"));
    delta.orders = monthly_orders(date(2025, 6, 1), 17);
    delta.tasks = vec![
        task(9001, date(2026, 11, 20), "Follow up: send the quote"),
        task(9002, date(2026, 11, 22), "Follow up: confirm delivery"),
    ];
    vec![acme, shanghai(), beta(), delta]
}

/// A book of alice's in a fresh temporary directory holding `data`. Keep the directory
/// alive as long as the book.
pub fn book_of(data: BookData) -> (TempDir, Book) {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Book::open(dir.path(), Config::default(), "alice").unwrap();
    book.import(data, false).unwrap();
    (dir, book)
}

/// The generated demo book of `customers` customers as of [`as_of`].
pub fn demo(customers: usize, seed: u64) -> (TempDir, Book) {
    let options = DemoOptions {
        customers,
        seed,
        today: as_of(),
    };
    book_of(demo_book(&options, &mut |_| {}))
}

/// The App on [`as_of`], its clock stopped at 10:00 that day.
pub fn new_app(book: &mut Book, theme: Theme) -> App {
    let mut app = App::new(book, as_of(), theme).unwrap();
    app.now = || "2026-11-22T10:00:00Z".parse().unwrap();
    app
}

pub fn keys(app: &mut App, book: &mut Book, script: &str) {
    app.type_keys(script, book).unwrap();
}

/// A writer whose bytes the test can still read after handing it to the backend.
#[derive(Clone, Default)]
pub struct Tap(pub Rc<RefCell<Vec<u8>>>);

impl io::Write for Tap {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The screen as text, then each run of non-default style as `row: from-to style`.
pub fn dump(buffer: &Buffer) -> String {
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

pub fn screen(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| {
            view::render(app, frame);
        })
        .unwrap();
    terminal.backend().buffer().clone()
}

/// Renders one state at both sizes in both themes: for each, a fresh `fixture` and App
/// are driven with the keys of `script`, the mono screen is checked to hold no colour, and
/// `check` gets `{theme}_{width}x{height}` and the screen (to snapshot it).
pub fn each_screen(
    fixture: fn() -> (TempDir, Book),
    script: &str,
    mut check: impl FnMut(String, Buffer),
) {
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
            check(format!("{theme_name}_{w}x{h}"), buffer);
        }
    }
}

/// Renders one state in Simplified Chinese (the thread's language) at 80x24 and 120x40 in
/// the colour theme, as `each_screen` does; `check` gets `zh_{width}x{height}`.
pub fn each_screen_zh(
    fixture: fn() -> (TempDir, Book),
    script: &str,
    mut check: impl FnMut(String, Buffer),
) {
    crm::i18n::set_for_thread(Some(crm::i18n::Lang::ZhCn));
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let (_dir, mut book) = fixture();
        let mut app = new_app(&mut book, Theme::color());
        screen(&app, w, h);
        for key in crm::tui::keymap::parse_keys(script).unwrap() {
            app.handle_key(key, &mut book);
            screen(&app, w, h);
        }
        check(format!("zh_{w}x{h}"), screen(&app, w, h));
    }
    crm::i18n::set_for_thread(None);
}

/// NO_COLOR: no colour anywhere, and the selection still shows (reverse video).
pub fn assert_mono(buffer: &Buffer) {
    for cell in buffer.content() {
        let style = cell.style();
        assert!(
            style.fg.is_none_or(|c| c == ratatui::style::Color::Reset)
                && style.bg.is_none_or(|c| c == ratatui::style::Color::Reset),
            "colour in the mono theme: {style:?}"
        );
    }
}

/// The minimum fields of `crm show --json` (CONTRACT.md).
pub const CARD_FIELDS: [&str; 14] = [
    "id",
    "name",
    "owner",
    "as_of",
    "stage",
    "second_lifecycle",
    "stage_evidence",
    "quadrant",
    "level",
    "bonds",
    "relationship_type",
    "value",
    "tier",
    "next_actions",
];

/// Runs the real `crm` on `data` with `config`, as alice on `as_of` (whatever CRM_DATA and
/// CRM_CONFIG say), and returns its output; a failed command fails the test.
pub fn crm_ok(
    data: &std::path::Path,
    config: &std::path::Path,
    as_of: &str,
    args: &[&str],
) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_crm"))
        .arg("--data")
        .arg(data)
        .arg("--config")
        .arg(config)
        .args(["--user", "alice", "--as-of", as_of])
        .args(args)
        .env_remove("CRM_DATA")
        .env_remove("CRM_CONFIG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
