//! Screen snapshots of every view at 80x24 and 120x40, in the colour and the mono theme
//! (passed explicitly, never read from the environment), and the ASCII set for vt100.
//! A snapshot holds the screen text, then every styled run, so a lost selection or a
//! colour that leaks into the mono theme shows up as a diff.

mod common;

use common::{
    base_cycle, customer, dump, each_screen, each_screen_zh, four_customers, monthly_orders,
    new_app, screen, task, Tap,
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

/// The fixture with acme's contact corrected by bob on 2026-11-21 (written through the
/// store, so the correction's date is fixed, not the clock's).
fn corrected() -> (TempDir, Book) {
    use crm::domain::model::{Interaction, Outcome};
    use crm::store::{Change, JournalStore, Store};
    let (dir, book) = fixture();
    let previous = book.account("acme").unwrap().interactions[0].clone();
    drop(book);
    let (mut store, _) = JournalStore::open(dir.path()).unwrap();
    let corrected = Interaction {
        outcome: Outcome::Negative,
        note: "quarterly review: prices too high".into(),
        ..previous.clone()
    };
    let change = Change::CorrectContact {
        customer: "acme".into(),
        previous,
        corrected,
        task: None,
        drop_task: None,
    };
    let on = "2026-11-21T09:30:00Z".parse().unwrap();
    store.apply("bob", on, change).unwrap();
    drop(store);
    let book = Book::open(dir.path(), Config::default(), "alice").unwrap();
    (dir, book)
}

/// A corrected contact on the card says who corrected it and when; `v` on it shows what
/// it said before (issue 14: corrections keep the old version).
#[test]
fn card_with_a_corrected_contact() {
    each_screen(corrected, "/acme<Enter>Gk", |variant, buffer| {
        insta::assert_snapshot!(format!("card_corrected_{variant}"), dump(&buffer));
    });
    each_screen(corrected, "/acme<Enter>Gkv", |variant, buffer| {
        insta::assert_snapshot!(format!("card_corrected_versions_{variant}"), dump(&buffer));
    });
    each_screen_zh(corrected, "/acme<Enter>Gkv", |variant, buffer| {
        insta::assert_snapshot!(format!("card_corrected_versions_{variant}"), dump(&buffer));
    });
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

/// The owner field's list, opened with Enter: the user first, then the book's owners,
/// then nobody; the chosen one marked, the cursor on it.
#[test]
fn owner_picker_open() {
    snap("owner_picker", "/acme<Enter>e<Tab><Tab><Tab><Enter>");
}

/// A typo typed in the owner list matches no owner: the only row is a new owner, asked
/// before it is made.
#[test]
fn owner_picker_typo_offers_only_a_new_owner() {
    snap("owner_picker_typo", "a<Tab><Tab><Tab>bobb");
}

/// A PDCA scope's list for a Chinese-named customer: the customer by its name, the book,
/// each owner's book, each segment; double-width names keep the box's right edge.
#[test]
fn scope_picker_open() {
    snap("scope_picker", "/shanghai<Enter>N<Tab><Enter>");
}

/// The lost reasons in words, none chosen.
#[test]
fn reason_picker_open() {
    snap("reason_picker", "/acme<Enter>L<Enter>");
}

/// Each picker open at the smallest screen the console draws (50x12) keeps its filter line
/// and cursor row on screen; below it (40x12) the screen says it is too small. No panic.
#[test]
fn pickers_at_small_sizes() {
    for script in [
        "/acme<Enter>e<Tab><Tab><Tab><Enter>",
        "/shanghai<Enter>N<Tab>上海",
        "/acme<Enter>L<Enter>",
    ] {
        let (_dir, mut book) = fixture();
        let mut app = new_app(&mut book, Theme::mono().with_ascii(true));
        screen(&app, 80, 24);
        app.type_keys(script, &mut book).unwrap();
        for (w, h) in [(50, 12), (40, 12), (51, 13), (60, 14)] {
            let text = dump(&screen(&app, w, h));
            let text = text.split("--- styles ---").next().unwrap();
            if w >= 50 {
                assert!(
                    text.contains("> "),
                    "{script} {w}x{h}: the filter line\n{text}"
                );
            } else {
                assert!(text.starts_with("terminal too small"), "{text}");
            }
        }
    }
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    app.type_keys("/shanghai<Enter>N<Tab><Enter>", &mut book)
        .unwrap();
    insta::assert_snapshot!("scope_picker_50x12", dump(&screen(&app, 50, 12)));
}

/// A list longer than the box scrolls with the cursor: thirty segments (two spelled only
/// in another case, listed once, as a scope compares them), the cursor moved to the
/// last, which is on screen and highlighted.
#[test]
fn a_long_picker_list_scrolls_to_the_cursor() {
    let mut accounts = Vec::new();
    for i in 0..30 {
        let mut a = Account::new(customer(
            &format!("c{i:02}"),
            &format!("Firm {i:02}"),
            "alice",
        ));
        a.customer.segment = format!("segment {i:02}");
        accounts.push(a);
    }
    for (id, segment) in [("x1", "SEGMENT 03"), ("x2", " segment 04 ")] {
        let mut a = Account::new(customer(id, id, "alice"));
        a.customer.segment = segment.into();
        accounts.push(a);
    }
    let (_dir, mut book) = common::book_of(BookData {
        users: vec![],
        accounts,
        cycles: vec![],
    });
    let mut app = new_app(&mut book, Theme::mono());
    app.type_keys("4N<Tab><Enter>", &mut book).unwrap();
    let pick = app.form.as_ref().unwrap().open_pick().unwrap();
    // The book, alice's book, thirty segments.
    assert_eq!(pick.rows().len(), 32);
    app.type_keys(&"<Down>".repeat(40), &mut book).unwrap();
    let buffer = screen(&app, 80, 24);
    let text = dump(&buffer);
    let rows: Vec<&str> = text.lines().collect();
    let last = rows
        .iter()
        .position(|l| l.contains("> Segment segment 29"))
        .unwrap_or_else(|| panic!("the cursor's row is shown:\n{text}"));
    assert!(
        !text.contains("Segment segment 03 "),
        "scrolled past the top:\n{text}"
    );
    assert!(text.contains("Segment segment 28"), "{text}");
    // Highlighted: the row's cells carry the selection's style (reversed in mono).
    let byte = rows[last].find("> Segment").unwrap();
    let x = rows[last][..byte].chars().count() as u16;
    let cell = &buffer[(x + 3, last as u16)];
    assert!(
        cell.modifier.contains(ratatui::style::Modifier::REVERSED),
        "{:?}",
        cell
    );
    app.type_keys("<Enter>", &mut book).unwrap();
    assert_eq!(
        app.form.as_ref().unwrap().picked("scope"),
        Some("segment:segment 29")
    );
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

/// The win-back row selected (the marker, reverse video) and churn by reason beside it.
#[test]
fn portfolio_row_selected() {
    snap("portfolio_selected", "3jjjjjjjjjjj");
}

/// The win-back queue drilled into: its customers in the book view, Esc back named on top.
#[test]
fn portfolio_queue_drilled() {
    snap("portfolio_drilled", "3jjjjjjjjjjj<Enter>");
}

/// Sync left something to look at (a field changed on two devices, a lost mark with
/// contacts made elsewhere): the card says so first, the fields in words.
#[test]
fn card_says_what_sync_left_to_look_at() {
    for (lang, name) in [(None, "en"), (Some(crm::i18n::Lang::ZhCn), "zh")] {
        crm::i18n::set_for_thread(lang);
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let (_dir, mut book) = fixture();
            let mut app = new_app(&mut book, Theme::color());
            common::keys(&mut app, &mut book, "/acme<Enter>");
            let mut card = app.card.take().unwrap().card;
            card.changed_on_two_devices = vec!["category_spend".into(), "owner".into()];
            card.lost_but_contacted = true;
            app.card = Some(crm::tui::app::CardState::new(card));
            insta::assert_snapshot!(
                format!("card_conflicts_{name}_{w}x{h}"),
                dump(&screen(&app, w, h))
            );
        }
        crm::i18n::set_for_thread(None);
    }
}

#[test]
fn pdca_view() {
    snap("pdca", "4");
}

#[test]
fn help_view() {
    snap("help", "?");
}

/// The four customers, a second "Acme Trading Co." (bob's, in Shanghai) and a customer
/// whose name is longer than any column; both Acmes have a follow-up due today.
fn twins_and_a_long_name() -> (TempDir, Book) {
    let mut accounts = four_customers();
    accounts[0].tasks = vec![task(9101, common::as_of(), "Follow up: price list")];
    let mut twin = Account::new(customer("acme-sh", "Acme Trading Co.", "bob"));
    twin.customer.segment = "retail".into();
    twin.tasks = vec![task(9102, common::as_of(), "Follow up: samples")];
    accounts.push(twin);
    accounts.push(Account::new(customer(
        "nordmach-0042",
        "Northern Provincial Agricultural Machinery Import & Export Corporation",
        "alice",
    )));
    common::book_of(BookData {
        users: vec![],
        accounts,
        cycles: vec![],
    })
}

/// The screen of `script` at `width` x `height` in the colour theme.
fn shot(fixture: fn() -> (TempDir, Book), script: &str, width: u16, height: u16) -> String {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::color());
    screen(&app, width, height);
    for key in crm::tui::keymap::parse_keys(script).unwrap() {
        app.handle_key(key, &mut book);
        screen(&app, width, height);
    }
    dump(&screen(&app, width, height))
}

/// The rows of a dumped screen (before its styles).
fn rows(dumped: &str) -> Vec<&str> {
    dumped
        .lines()
        .take_while(|l| *l != "--- styles ---")
        .collect()
}

/// Two customers named "Acme Trading Co." show their ids beside the name in the book list,
/// in find results (found by the phone they share) and in the agenda; one alone does not.
#[test]
fn same_name_customers_are_told_apart() {
    for (name, script, width, height) in [
        ("twins_book", "", 80, 24),
        ("twins_find", "/5555 0101", 80, 24),
        ("twins_agenda", "2o", 80, 24),
    ] {
        let dumped = shot(twins_and_a_long_name, script, width, height);
        let rows = rows(&dumped);
        // The id whole after the name (shortened when the column is narrow).
        for id in ["acme", "acme-sh"] {
            let with_id = format!(" · {id} ");
            assert!(
                rows.iter()
                    .any(|r| r.contains(&with_id) && r.contains("Acme Tra")),
                "{name} {width}x{height}: no Acme row says {with_id:?}:\n{dumped}"
            );
        }
        assert!(
            !dumped.contains("Delta Logistics ·"),
            "a name no one else has goes without its id:\n{dumped}"
        );
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), dumped);
    }
}

/// The card header keeps the id whole at 80 and 50 columns; the long name gives way.
#[test]
fn the_card_header_keeps_the_id() {
    for width in [80, 50] {
        let dumped = shot(twins_and_a_long_name, "/nordmach<Enter>", width, 24);
        let header = rows(&dumped)[1];
        assert!(
            header.ends_with("· id nordmach-0042"),
            "{width} columns: {header:?}"
        );
        assert!(header.starts_with("Northern Provin"), "{header:?}");
        assert!(header.contains('…'), "{header:?}");
        insta::assert_snapshot!(format!("card_header_long_name_{width}x24"), dumped);
    }
    crm::i18n::set_for_thread(Some(crm::i18n::Lang::ZhCn));
    let dumped = shot(twins_and_a_long_name, "/nordmach<Enter>", 80, 24);
    crm::i18n::set_for_thread(None);
    assert!(
        rows(&dumped)[1].ends_with("· 编号 nordmach-0042"),
        "{dumped}"
    );
    insta::assert_snapshot!("card_header_long_name_zh_80x24", dumped);
}

/// Names keep their room as the screen narrows: at 50 columns owner, level and tier go
/// and the name column keeps 22; at 80 and 120 every column shows.
#[test]
fn book_names_keep_their_room_as_the_screen_narrows() {
    for (width, height, name_shown) in [(50, 24, 21), (80, 24, 22), (120, 40, 33)] {
        let dumped = shot(twins_and_a_long_name, "", width, height);
        let rows = rows(&dumped);
        let long = rows
            .iter()
            .find(|r| r.contains("Northern"))
            .unwrap_or_else(|| panic!("{width}: no Northern row:\n{dumped}"));
        let shown = long.trim_start().chars().take_while(|c| *c != '…').count();
        assert_eq!(shown, name_shown, "{width} columns: {long:?}");
        let header = rows[2];
        assert_eq!(header.contains("owner"), width > 50, "{header:?}");
        assert!(header.contains("stage") && header.contains("next action"));
        insta::assert_snapshot!(format!("book_columns_{width}x{height}"), dumped);
    }
}

/// The four customers and a long-named one of alice's with a long overdue follow-up.
fn a_long_follow_up() -> (TempDir, Book) {
    let mut accounts = four_customers();
    let mut long = Account::new(customer(
        "nordmach-0042",
        "Northern Provincial Agricultural Machinery Import & Export Corporation",
        "alice",
    ));
    long.tasks = vec![task(
        9201,
        date(2026, 11, 1),
        "Follow up: send the revised quotation for the 2027 season, 24 / 200 units of \
         the MX-7 harvester, and confirm the delivery window with the port of Tianjin",
    )];
    accounts.push(long);
    common::book_of(BookData {
        users: vec![],
        accounts,
        cycles: vec![],
    })
}

/// A question or a message longer than the screen is wrapped onto more rows (numbers
/// whole: "24 / 200" never split), never cut: at 80x24 and in Chinese.
#[test]
fn long_messages_wrap_instead_of_being_cut() {
    let whole = |dumped: &str| {
        let joined = rows(dumped).join(" ").replace('│', " ");
        let squeezed: String = joined.split_whitespace().collect::<Vec<_>>().join(" ");
        squeezed.contains("confirm the delivery window with the port of Tianjin")
            && rows(dumped).iter().any(|r| r.contains("24 / 200"))
    };
    // Done asks first: the task's whole text in the question.
    let dumped = shot(a_long_follow_up, "2d", 80, 24);
    assert!(whole(&dumped), "{dumped}");
    assert!(dumped.contains("done? (y/n)"), "{dumped}");
    insta::assert_snapshot!("confirm_long_80x24", dumped);
    crm::i18n::set_for_thread(Some(crm::i18n::Lang::ZhCn));
    let dumped = shot(a_long_follow_up, "2d", 80, 24);
    crm::i18n::set_for_thread(None);
    assert!(whole(&dumped), "{dumped}");
    insta::assert_snapshot!("confirm_long_zh_80x24", dumped);

    // The status line: answered yes, the message names the task; and an error.
    let (_dir, mut book) = a_long_follow_up();
    let mut app = new_app(&mut book, Theme::color());
    app.error(
        "cannot keep the draft in /home/alice/.local/state/crm/drafts/alice.json: \
         No space left on device (os error 28); 24 / 200 forms unsaved",
    );
    let dumped = dump(&screen(&app, 80, 24));
    let rows = rows(&dumped);
    assert_eq!(
        rows[22..],
        [
            "cannot keep the draft in /home/alice/.local/state/crm/drafts/alice.json: No",
            "space left on device (os error 28); 24 / 200 forms unsaved",
        ],
        "{dumped}"
    );
    insta::assert_snapshot!("status_long_80x24", dumped);
    crm::i18n::set_for_thread(Some(crm::i18n::Lang::ZhCn));
    app.error("无法把草稿保存到 /home/alice/.local/state/crm/drafts/alice.json：设备上没有剩余空间（os error 28）；24 / 200 个表单未保存");
    let dumped = dump(&screen(&app, 80, 24));
    crm::i18n::set_for_thread(None);
    assert!(
        dumped.contains("24 / 200 个表单未保存") || dumped.contains("24 / 200"),
        "{dumped}"
    );
    insta::assert_snapshot!("status_long_zh_80x24", dumped);
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
    // A picker's list: ASCII borders, marks and prompt (the words' middle dots aside).
    app.type_keys("<Esc>e<Tab><Tab><Tab><Enter>", &mut book)
        .unwrap();
    let list = screen(&app, 80, 24);
    let text = dump(&list);
    assert!(text.contains("+ Owner ---"), "{text}");
    assert!(
        list.content()
            .iter()
            .all(|c| c.symbol().is_ascii() || c.symbol() == "·"),
        "{text}"
    );
    insta::assert_snapshot!("ascii_owner_picker_80x24", text);
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
        ("owner_picker", "/acme<Enter>e<Tab><Tab><Tab><Enter>"),
        ("scope_picker", "/shanghai<Enter>N<Tab><Enter>"),
        ("reason_picker", "/acme<Enter>L<Enter>"),
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

/// The morning at 50 columns: on my agenda every row is mine, so no owner column; its room
/// goes to the names ("Acme Trading" whole, not "Acme Trad…"). Everyone's keeps the owner.
#[test]
fn my_agenda_gives_the_owner_column_to_the_names() {
    let mine = shot(fixture, "2", 50, 24);
    let rows_of_mine = rows(&mine);
    assert!(rows_of_mine[1].starts_with("Mine (alice)"), "{mine}");
    assert_eq!(
        rows_of_mine[2].trim_end(),
        " due         customer       what"
    );
    assert!(
        rows_of_mine
            .iter()
            .any(|r| r.contains(" Acme Trading ") && !r.ends_with("alice")),
        "{mine}"
    );
    insta::assert_snapshot!("agenda_mine_50x24", mine);
    let everyone = shot(fixture, "2o", 50, 24);
    assert!(
        rows(&everyone)[2].trim_end().ends_with("owner"),
        "{everyone}"
    );
}
