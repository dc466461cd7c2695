//! The PDCA review in the console (view `4`): state tests on a real Book in a temporary
//! directory (keys in, App and book on disk asserted), and snapshots of the review
//! screen, a cycle page and the new-cycle form at 80x24 and 120x40, colour and mono.

mod common;

use common::{
    as_of, base_cycle, beta, call, customer, dump, each_screen, each_screen_zh, keys,
    monthly_orders, new_app, screen, shanghai,
};
use crm::book::Book;
use crm::demo::{demo_book, DemoOptions};
use crm::domain::config::Config;
use crm::domain::model::{
    Account, ActDecision, BookData, CheckResult, Cycle, CycleAction, GoalDirection, Interaction,
    Metric, Phase, Scope,
};
use crm::tui::app::App;
use crm::tui::form::{FieldValue, FormKind};
use crm::tui::keymap::Mode;
use crm::tui::pdca::state::PageItem;
use crm::tui::Theme;
use jiff::civil::{date, Date};
use tempfile::TempDir;

fn rated_call(at: &str, satisfaction: u8) -> Interaction {
    Interaction {
        satisfaction: Some(satisfaction),
        ..call(at, "review call", None)
    }
}

fn action(text: &str, due: Date, done: Option<Date>) -> CycleAction {
    CycleAction {
        text: text.into(),
        due: Some(due),
        done,
    }
}

/// Four cycles, one of each kind the review groups: a closed turn (adjusted) and its
/// successor in do with the check overdue, a CJK-titled plan, a book-wide check.
fn cycles() -> Vec<Cycle> {
    let acme = || Scope::Customer("acme".into());
    let title = "Lift satisfaction of key accounts";
    let mut first = base_cycle(1, title, acme(), Phase::Closed, Metric::AvgSatisfaction);
    first.baseline = Some(3.0);
    first.target = Some(4.0);
    first.check_date = Some(date(2026, 6, 1));
    first.plan_notes = "monthly calls with the buyer".into();
    first.actions = vec![action(
        "call the buyer monthly",
        date(2026, 3, 10),
        Some(date(2026, 3, 10)),
    )];
    first.result = Some(CheckResult {
        value: 3.5,
        met: false,
        on: date(2026, 6, 1),
    });
    first.decision = Some(ActDecision::Adjust);
    first.lessons = "calls alone do not lift it".into();
    first.next = Some(2);

    let mut second = base_cycle(2, title, acme(), Phase::Do, Metric::AvgSatisfaction);
    second.created = date(2026, 6, 2);
    second.baseline = Some(3.5);
    second.target = Some(4.5);
    second.check_date = Some(date(2026, 11, 1));
    second.plan_notes = "Lessons from cycle 1: calls alone do not lift it".into();
    second.actions = vec![
        action(
            "quarterly review with the buyer",
            date(2026, 9, 1),
            Some(date(2026, 9, 5)),
        ),
        action("fix the delivery complaints", date(2026, 10, 1), None),
    ];
    second.previous = Some(1);

    let shanghai = Scope::Customer("shanghai".into());
    let mut third = base_cycle(
        3,
        "提高上海客户的联系频率",
        shanghai,
        Phase::Plan,
        Metric::ContactsPerCustomer,
    );
    third.created = date(2026, 11, 1);
    third.baseline = Some(0.0);
    third.target = Some(2.0);
    third.check_date = Some(date(2026, 12, 31));
    third.plan_notes = "每月拜访一次".into();

    let mut fourth = base_cycle(
        4,
        "Fewer declining accounts",
        Scope::Book,
        Phase::Check,
        Metric::DeclineCount,
    );
    fourth.created = date(2026, 8, 1);
    fourth.direction = GoalDirection::Lower;
    fourth.baseline = Some(2.0);
    fourth.target = Some(1.0);
    fourth.check_date = Some(date(2026, 11, 15));
    fourth.actions = vec![action(
        "diagnose every decline in two days",
        date(2026, 9, 1),
        Some(date(2026, 8, 20)),
    )];
    fourth.result = Some(CheckResult {
        value: 1.0,
        met: true,
        on: date(2026, 11, 16),
    });
    vec![first, second, third, fourth]
}

/// acme rated 3, 5 and 4 in the last 90 days: its satisfaction now is 4.00.
fn fixture() -> (TempDir, Book) {
    let mut acme = Account::new(customer("acme", "Acme Trading Co.", "alice"));
    acme.orders = monthly_orders(date(2024, 12, 1), 24);
    acme.interactions = vec![
        rated_call("2026-09-30T09:00:00Z", 3),
        rated_call("2026-10-10T09:00:00Z", 5),
        rated_call("2026-11-02T09:00:00Z", 4),
    ];
    common::book_of(BookData {
        users: vec![],
        accounts: vec![acme, shanghai(), beta()],
        cycles: cycles(),
    })
}

fn listed(app: &App) -> Vec<u64> {
    app.pdca
        .cycles
        .as_ref()
        .expect("the review is loaded")
        .iter()
        .map(|c| c.id)
        .collect()
}

fn page_id(app: &App) -> u64 {
    app.pdca
        .page
        .as_ref()
        .expect("a cycle page is open")
        .cycle
        .id
}

fn status(app: &App) -> (String, bool) {
    let s = app.status.as_ref().expect("a status line");
    (s.text.clone(), s.error)
}

fn baseline_shown(app: &App) -> String {
    let form = app.form.as_ref().expect("a form is open");
    match &form.field("baseline").expect("a baseline field").value {
        FieldValue::Shown(value) => value.clone(),
        other => panic!("the baseline is shown, not {other:?}"),
    }
}

/// The scope picked, in the words the form shows.
fn scope_shown(app: &App) -> String {
    let form = app.form.as_ref().expect("a form is open");
    match &form.field("scope").expect("a scope field").value {
        FieldValue::Pick(pick) => pick.label().unwrap_or_default().to_string(),
        other => panic!("the scope is a picker, not {other:?}"),
    }
}

// ---- state tests ----

#[test]
fn review_lists_overdue_checks_first_then_by_phase() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(&mut app, &mut book, "4");
    assert_eq!(app.mode(), Mode::Pdca);
    // 2 is in do with its check date (Nov 1) passed; then plan 3, check 4, closed 1.
    assert_eq!(listed(&app), [2, 3, 4, 1]);
    keys(&mut app, &mut book, "jj");
    assert_eq!(app.pdca.selected().map(|c| c.id), Some(4));
    keys(&mut app, &mut book, "G");
    assert_eq!(app.pdca.selected().map(|c| c.id), Some(1));
}

#[test]
fn enter_opens_the_page_and_esc_goes_back_to_the_review() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(&mut app, &mut book, "4<Enter>");
    assert_eq!(app.mode(), Mode::Cycle);
    let page = app.pdca.page.as_ref().unwrap();
    assert_eq!(page.cycle.id, 2);
    assert_eq!(page.chain.iter().map(|c| c.id).collect::<Vec<_>>(), [1, 2]);
    // acme's ratings in the last 90 days: (3 + 5 + 4) / 3.
    assert_eq!(page.measured_now, Some(4.0));
    // Two actions, then the two cycles of the spiral.
    assert_eq!(page.items().len(), 4);
    keys(&mut app, &mut book, "jjj");
    let page = app.pdca.page.as_ref().unwrap();
    assert_eq!(page.current(), Some(PageItem::Chain(1)));
    // Enter on the older cycle of the spiral opens its page.
    keys(&mut app, &mut book, "k<Enter>");
    assert_eq!(page_id(&app), 1);
    keys(&mut app, &mut book, "<Esc>");
    assert_eq!(app.mode(), Mode::Pdca);
    assert!(app.card.is_none());
    keys(&mut app, &mut book, "?");
    assert_eq!(app.mode_under_help(), Mode::Pdca);
}

#[test]
fn the_card_lists_the_customers_cycles_and_enter_opens_one() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(&mut app, &mut book, "/acme<Enter>");
    let card = &app.card.as_ref().unwrap().card;
    let ids: Vec<u64> = card.cycles.iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        [1, 2],
        "acme's two cycles, not the book's or shanghai's"
    );
    // The cycles are the last items of the card.
    keys(&mut app, &mut book, "G<Enter>");
    assert_eq!(app.mode(), Mode::Cycle);
    assert_eq!(page_id(&app), 2);
    keys(&mut app, &mut book, "<Esc>");
    assert_eq!(app.mode(), Mode::Card, "Esc goes back to the card");
    // From a page, o opens the scoped customer's card and the page closes.
    keys(&mut app, &mut book, "4<Enter>o");
    assert!(app.pdca.page.is_none());
    assert_eq!(app.card.as_ref().unwrap().card.id, "acme");
}

#[test]
fn a_new_cycle_from_the_card_is_scoped_to_the_customer_with_a_live_baseline() {
    let (dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(&mut app, &mut book, "/acme<Enter>N");
    let form = app.form.as_ref().unwrap();
    assert_eq!(form.kind, FormKind::NewCycle);
    assert_eq!(form.picked("scope"), Some("customer:acme"));
    assert_eq!(scope_shown(&app), "Customer Acme Trading Co. (acme)");
    assert_eq!(baseline_shown(&app), "4.00 measured now");
    // The scope is picked from its list, filtered as typed: bob's book, where no one
    // rated anything, measures nothing.
    keys(&mut app, &mut book, "<Tab>bob");
    assert_eq!(app.mode(), Mode::Pick);
    keys(&mut app, &mut book, "<Enter>");
    assert_eq!(scope_shown(&app), "Owner bob's book");
    assert!(
        baseline_shown(&app).starts_with("none"),
        "{}",
        baseline_shown(&app)
    );
    keys(&mut app, &mut book, "<Enter>acme<Enter>");
    assert_eq!(scope_shown(&app), "Customer Acme Trading Co. (acme)");
    assert_eq!(baseline_shown(&app), "4.00 measured now");
    // Switching the metric re-measures: margin of the last 12 months is 12 orders x 300.
    keys(&mut app, &mut book, "<Tab>m");
    assert_eq!(baseline_shown(&app), "3 600 measured now");
    keys(&mut app, &mut book, "d");
    assert_eq!(baseline_shown(&app), "0 measured now");
    assert_eq!(app.form.as_ref().unwrap().choice("direction"), 1, "lower");
    // Two Tabs from the metric reach the target: the baseline is passed by.
    keys(&mut app, &mut book, "a<Tab><Tab>");
    assert_eq!(app.form.as_ref().unwrap().focused().unwrap().name, "target");
    assert_eq!(baseline_shown(&app), "4.00 measured now");
    // Back to the title, then target, check date, first action.
    keys(
        &mut app,
        &mut book,
        "<S-Tab><S-Tab><S-Tab><S-Tab>Win the buyer back<Tab><Tab><Tab><Tab>\
         4.5<Tab>+30<Tab>one visit a month<Tab>visit the buyer<C-s>",
    );
    assert!(app.form.is_none(), "saved: {:?}", app.status);
    assert_eq!(
        status(&app),
        ("planned cycle 5: baseline 4.00".into(), false)
    );
    assert_eq!(page_id(&app), 5);
    assert_eq!(app.card.as_ref().unwrap().card.cycles.len(), 3);
    let cycle = book.find_cycle(5).unwrap();
    assert_eq!(cycle.title, "Win the buyer back");
    assert_eq!(cycle.scope, Scope::Customer("acme".into()));
    assert_eq!(cycle.metric, Some(Metric::AvgSatisfaction));
    assert_eq!(cycle.direction, GoalDirection::Raise);
    assert_eq!(cycle.baseline, Some(4.0));
    assert_eq!(cycle.target, Some(4.5));
    assert_eq!(cycle.check_date, Some(date(2026, 12, 22)));
    assert_eq!(cycle.plan_notes, "one visit a month");
    assert_eq!(cycle.actions.len(), 1);
    assert_eq!(cycle.actions[0].text, "visit the buyer");
    // Durable: a fresh Book on the same directory has it.
    drop(book);
    let book = Book::open(dir.path(), Config::default(), "alice").unwrap();
    assert_eq!(book.find_cycle(5).unwrap().target, Some(4.5));
}

#[test]
fn the_review_plans_for_the_users_own_customers_by_default() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(&mut app, &mut book, "4N");
    let form = app.form.as_ref().unwrap();
    assert_eq!(form.picked("scope"), Some("owner:alice"));
    assert_eq!(scope_shown(&app), "Owner alice's book");
    // alice's customers: acme's three ratings; Beta Foods gave none.
    assert_eq!(baseline_shown(&app), "4.00 measured now");
    keys(&mut app, &mut book, "<C-s>");
    let form = app
        .form
        .as_ref()
        .expect("a plan without a title stays open");
    assert_eq!(
        form.field("title").unwrap().error.as_deref(),
        Some("a cycle needs a title")
    );
}

#[test]
fn check_act_adjust_then_plan_and_run_the_next_turn() {
    let (dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(&mut app, &mut book, "4<Enter>c");
    // 4.00 measured against the target 4.50, raise: not met.
    assert_eq!(
        status(&app),
        (
            "checked: 4.00 against the target 4.50: not met".into(),
            false
        )
    );
    let page = app.pdca.page.as_ref().unwrap();
    assert_eq!(page.cycle.phase, Phase::Check);
    assert_eq!(
        page.cycle.result,
        Some(CheckResult {
            value: 4.0,
            met: false,
            on: as_of()
        })
    );
    // Checked cycles leave the overdue group.
    assert_eq!(listed(&app), [3, 2, 4, 1]);

    // Not met: the act form proposes adjust.
    keys(&mut app, &mut book, "x");
    let form = app.form.as_ref().unwrap();
    assert_eq!(form.kind, FormKind::ActCycle { cycle: 2 });
    assert_eq!(form.choice("decision"), 1, "adjust");
    keys(&mut app, &mut book, "<Tab>meet the buyer in person<C-s>");
    assert_eq!(
        status(&app),
        (
            "adjusted: cycle 5 planned from baseline 4.00; set its target (e)".into(),
            false
        )
    );
    let page = app.pdca.page.as_ref().unwrap();
    assert_eq!(page.cycle.id, 5);
    assert_eq!(page.cycle.phase, Phase::Plan);
    assert_eq!(page.cycle.baseline, Some(4.0));
    assert_eq!(
        page.cycle.plan_notes,
        "Lessons from cycle 2: meet the buyer in person"
    );
    assert_eq!(
        page.chain.iter().map(|c| c.id).collect::<Vec<_>>(),
        [1, 2, 5]
    );

    // The next turn: a target and check date, an action, then do.
    keys(&mut app, &mut book, ">");
    assert_eq!(
        status(&app),
        ("cycle 5 has no target: set one before Do".into(), true)
    );
    keys(&mut app, &mut book, "e4.6<Tab>+60<C-s>");
    assert_eq!(status(&app), ("plan saved".into(), false));
    keys(&mut app, &mut book, "avisit the buyer<Tab>+14<C-s>");
    assert_eq!(status(&app), ("action 1 added".into(), false));
    keys(&mut app, &mut book, ">");
    assert_eq!(status(&app), ("cycle 5: plan -> do".into(), false));
    // The check is due in 60 days, not now.
    keys(&mut app, &mut book, "c");
    let (text, error) = status(&app);
    assert!(
        error && text.contains("its check is due on 2027-01-21"),
        "{text}"
    );
    keys(&mut app, &mut book, "d");
    assert_eq!(status(&app), ("action 1 done".into(), false));

    drop(book);
    let book = Book::open(dir.path(), Config::default(), "alice").unwrap();
    let closed = book.find_cycle(2).unwrap();
    assert_eq!(closed.phase, Phase::Closed);
    assert_eq!(closed.decision, Some(ActDecision::Adjust));
    assert_eq!(closed.lessons, "meet the buyer in person");
    assert_eq!(closed.next, Some(5));
    let next = book.find_cycle(5).unwrap();
    assert_eq!(next.phase, Phase::Do);
    assert_eq!(next.target, Some(4.6));
    assert_eq!(next.check_date, Some(date(2027, 1, 21)));
    assert_eq!(next.actions[0].due, Some(date(2026, 12, 6)));
    assert_eq!(next.actions[0].done, Some(as_of()));
}

#[test]
fn refusals_say_why_and_change_nothing() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    // Cycle 3: in plan with no action.
    keys(&mut app, &mut book, "4j<Enter>");
    assert_eq!(page_id(&app), 3);
    keys(&mut app, &mut book, ">");
    assert_eq!(
        status(&app),
        (
            "cycle 3 has no action: add at least one before Do".into(),
            true
        )
    );
    keys(&mut app, &mut book, "x");
    assert!(app.form.is_none());
    assert_eq!(
        status(&app),
        (
            "cycle 3 is in plan: act comes after the check (c)".into(),
            true
        )
    );
    keys(&mut app, &mut book, "c");
    assert_eq!(
        status(&app),
        ("cycle 3: start it first: > moves plan to do".into(), false)
    );
    keys(&mut app, &mut book, "d");
    assert_eq!(status(&app).0, "move to an action first (j/k)");
    assert_eq!(book.find_cycle(3).unwrap(), cycles()[2]);
    // Cycle 1 is closed: no new action.
    keys(&mut app, &mut book, "<Esc>G<Enter>a");
    assert_eq!(page_id(&app), 1);
    assert!(app.form.is_none());
    assert!(status(&app).1);
    // Its lessons can still be written.
    keys(&mut app, &mut book, "e");
    let form = app.form.as_ref().unwrap();
    let names: Vec<&str> = form.fields.iter().map(|f| f.name).collect();
    assert_eq!(names, ["lessons"]);
    keys(&mut app, &mut book, "<Esc>");
    assert!(app.form.is_none(), "nothing typed: no question");
}

#[test]
fn the_demo_book_opens_in_view_4() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Book::open(dir.path(), Config::default(), "alice").unwrap();
    let options = DemoOptions {
        customers: 200,
        seed: 1,
        today: as_of(),
    };
    book.import(demo_book(&options, &mut |_| {}), false)
        .unwrap();
    let mut app = new_app(&mut book, Theme::color());
    keys(&mut app, &mut book, "4");
    let count = listed(&app).len();
    assert!(count >= 5, "the demo plans several cycles, got {count}");
    screen(&app, 80, 24);
    let mut longest = 0;
    for row in 0..count {
        keys(&mut app, &mut book, "g");
        for _ in 0..row {
            keys(&mut app, &mut book, "j");
        }
        keys(&mut app, &mut book, "<Enter>");
        assert_eq!(app.mode(), Mode::Cycle, "row {row}: {:?}", app.status);
        let id = page_id(&app);
        for (w, h) in [(80, 24), (120, 40)] {
            let top = dump(&screen(&app, w, h));
            assert!(
                top.contains(&format!("#{id} ")),
                "row {row} at {w}x{h}:\n{top}"
            );
            // The bottom of the page holds the spiral and its trend.
            keys(&mut app, &mut book, "G");
            let bottom = dump(&screen(&app, w, h));
            assert!(bottom.contains("Spiral"), "row {row} at {w}x{h}:\n{bottom}");
            keys(&mut app, &mut book, "g");
        }
        longest = longest.max(app.pdca.page.as_ref().unwrap().chain.len());
        keys(&mut app, &mut book, "<Esc>");
        assert_eq!(app.mode(), Mode::Pdca);
    }
    assert_eq!(longest, 3, "the demo's chain has three turns");
}

#[test]
fn contract_keys_keep_their_meaning_on_a_page() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(&mut app, &mut book, "4<Enter>?");
    assert_eq!(app.mode_under_help(), Mode::Cycle);
    let help = crm::tui::keymap::help(Mode::Cycle);
    let keys_of = |what: &str| {
        help.iter()
            .find(|l| crm::i18n::t(l.help).starts_with(what))
            .map(|l| l.keys.clone())
            .unwrap_or_default()
    };
    assert_eq!(keys_of("back"), ["Esc", "q"]);
    assert_eq!(keys_of("advance"), [">"]);
    assert_eq!(keys_of("find a customer"), ["/", "Ctrl-K"]);
    keys(&mut app, &mut book, "?/acme<Esc>");
    assert_eq!(
        app.mode(),
        Mode::Cycle,
        "find closed, the page is still there"
    );
    keys(&mut app, &mut book, "2");
    assert!(app.pdca.page.is_none());
    assert_eq!(app.view, crm::tui::app::View::Agenda);
    keys(&mut app, &mut book, "4<Enter>q");
    assert_eq!(
        app.mode(),
        Mode::Pdca,
        "q on a page goes back, it does not quit"
    );
    assert!(!app.quit);
}

#[test]
fn vt100_draws_the_review_and_the_page_in_ascii() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono().with_ascii(true));
    for script in ["4", "<Enter>", "G"] {
        keys(&mut app, &mut book, script);
        for (w, h) in [(80, 24), (120, 40)] {
            let buffer = screen(&app, w, h);
            // Cycle 2's page and the review's rows above the CJK one hold only ASCII data.
            let rows = if app.pdca.page.is_some() { h } else { 5 };
            for y in 0..rows {
                for x in 0..w {
                    let symbol = buffer[(x, y)].symbol();
                    assert!(
                        symbol.is_ascii(),
                        "{script} at {w}x{h}: {symbol:?} at {x},{y}"
                    );
                }
            }
        }
    }
}

// ---- snapshots ----

/// Snapshots one state at both sizes in both themes; the mono one must hold no colour.
fn snap(name: &str, script: &str) {
    each_screen(fixture, script, |variant, buffer| {
        insta::assert_snapshot!(format!("{name}_{variant}"), dump(&buffer));
    });
}

#[test]
fn snapshot_review() {
    snap("pdca_review", "4");
}

#[test]
fn snapshot_cycle_page() {
    snap("pdca_page", "4<Enter>j");
}

#[test]
fn snapshot_cycle_page_cjk() {
    snap("pdca_page_cjk", "4j<Enter>");
}

#[test]
fn snapshot_new_cycle_form() {
    snap("pdca_new_form", "/acme<Enter>N");
}

#[test]
fn snapshot_page_keys_help() {
    snap("pdca_page_help", "4<Enter>?");
}

/// The PDCA views in Simplified Chinese at 80x24 and 120x40.
#[test]
fn pdca_views_in_chinese() {
    for (name, script) in [
        ("pdca_review", "4"),
        ("pdca_page", "4<Enter>j"),
        ("pdca_page_cjk", "4j<Enter>"),
        ("pdca_new_form", "/acme<Enter>N"),
        ("pdca_page_help", "4<Enter>?"),
    ] {
        each_screen_zh(fixture, script, |variant, buffer| {
            insta::assert_snapshot!(format!("{name}_{variant}"), dump(&buffer));
        });
    }
}

/// Abandon closes a chain for good: saving it asks first, and no leaves the cycle as it was.
#[test]
fn abandoning_a_cycle_asks_first() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(&mut app, &mut book, "4<Enter>cx");
    // The decision field has the focus: End picks the last choice, abandon.
    keys(&mut app, &mut book, "<End><C-s>");
    assert!(app.confirm.is_some());
    assert!(app
        .confirm
        .as_ref()
        .unwrap()
        .prompt
        .contains("Abandon for good?"));
    keys(&mut app, &mut book, "n");
    assert!(app.form.is_some(), "the form stays open");
    assert_eq!(book.find_cycle(2).unwrap().phase, Phase::Check);
    keys(&mut app, &mut book, "<C-s>y");
    assert!(app.form.is_none());
    let cycle = book.find_cycle(2).unwrap();
    assert_eq!(cycle.decision, Some(ActDecision::Abandon));
    assert_eq!(cycle.phase, Phase::Closed);
}

/// The baseline is shown, not typed into: Tab from the direction reaches the target, so
/// what is typed next is the target (it used to land on the baseline and be lost); S-Tab
/// from the target goes back to the direction.
#[test]
fn typing_after_the_direction_goes_to_the_target_not_the_baseline() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(&mut app, &mut book, "/acme<Enter>N<Tab><Tab><Tab>");
    let focused = |app: &App| app.form.as_ref().unwrap().focused().unwrap().name;
    assert_eq!(focused(&app), "direction");
    keys(&mut app, &mut book, "<Tab>4.5");
    assert_eq!(focused(&app), "target");
    assert_eq!(app.form.as_ref().unwrap().text("target"), "4.5");
    assert_eq!(baseline_shown(&app), "4.00 measured now");
    keys(&mut app, &mut book, "<S-Tab>");
    assert_eq!(focused(&app), "direction");
    // Down and Up move the same way.
    keys(&mut app, &mut book, "<Down>");
    assert_eq!(focused(&app), "target");
    keys(&mut app, &mut book, "<Up>");
    assert_eq!(focused(&app), "direction");
}

/// A new cycle's scope comes back from a draft as picked, in words, its baseline measured.
#[test]
fn a_picked_scope_comes_back_from_a_draft() {
    let (dir, mut book) = fixture();
    let file = crm::tui::drafts::draft_file(&dir.path().join("state"), "alice");
    let mut app = new_app(&mut book, Theme::mono());
    app.drafts.path = Some(file.clone());
    keys(
        &mut app,
        &mut book,
        "/shanghai<Enter>NContact more<Tab><Enter>",
    );
    assert_eq!(scope_shown(&app), "Customer 上海贸易有限公司 (shanghai)");
    // Picked away and back: the draft holds the code of what is chosen.
    keys(&mut app, &mut book, "bob<Enter>");
    assert_eq!(scope_shown(&app), "Owner bob's book");
    keys(&mut app, &mut book, "<Enter>上海<Enter>");
    assert_eq!(scope_shown(&app), "Customer 上海贸易有限公司 (shanghai)");
    let kept = std::fs::read_to_string(&file).unwrap();
    assert!(
        kept.contains(r#"["scope",{"Picked":"customer:shanghai"}]"#),
        "{kept}"
    );
    drop(app);
    let mut app = new_app(&mut book, Theme::mono());
    app.drafts.path = Some(file.clone());
    crm::tui::drafts::offer(&mut app);
    keys(&mut app, &mut book, "y");
    assert_eq!(app.form.as_ref().unwrap().text("title"), "Contact more");
    assert_eq!(scope_shown(&app), "Customer 上海贸易有限公司 (shanghai)");
    assert_eq!(
        app.form.as_ref().unwrap().picked("scope"),
        Some("customer:shanghai")
    );
    // shanghai gave no ratings: measured again on the way back, not left as "-".
    assert!(
        baseline_shown(&app).starts_with("none"),
        "{}",
        baseline_shown(&app)
    );
}

/// The fixture's cycles, #1 and #4 scoped to a segment and #2 to an owner's book.
fn scoped_fixture() -> (TempDir, Book) {
    let mut scoped = cycles();
    scoped[0].scope = Scope::Segment("trade".into());
    scoped[3].scope = Scope::Segment("trade".into());
    scoped[1].scope = Scope::Owner("bob".into());
    common::book_of(BookData {
        users: vec![],
        accounts: vec![shanghai(), beta()],
        cycles: scoped,
    })
}

/// The review and a cycle's page say what a cycle is about in words ("Segment trade"),
/// never in the command line's spelling (`segment:trade`, `owner:bob`).
#[test]
fn scopes_are_said_in_words_on_the_review_and_the_page() {
    each_screen(scoped_fixture, "4", |variant, buffer| {
        let shown = dump(&buffer);
        assert!(shown.contains("Segment trade"), "{variant}:\n{shown}");
        assert!(shown.contains("Owner bob's book"), "{variant}:\n{shown}");
        assert!(!shown.contains("segment:"), "{variant}:\n{shown}");
        assert!(!shown.contains("owner:"), "{variant}:\n{shown}");
    });
    // Cycle #1's page (the review's last row): its header and plan line name the segment.
    each_screen(scoped_fixture, "4G<Enter>", |variant, buffer| {
        let shown = dump(&buffer);
        assert!(shown.contains("Segment trade"), "{variant}:\n{shown}");
        assert!(!shown.contains("segment:"), "{variant}:\n{shown}");
    });
}

/// At 50 columns the review gives the scope's and then the goal's room to the titles:
/// "Fewer declining accounts" is read whole, not as "Fewer …".
#[test]
fn the_review_keeps_titles_readable_at_50_columns() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::color());
    keys(&mut app, &mut book, "4");
    let shown = dump(&screen(&app, 50, 24));
    assert!(shown.contains("Fewer declining accounts"), "{shown}");
    // At 80 columns every column is there.
    let wide = dump(&screen(&app, 80, 24));
    assert!(wide.contains("The whole book"), "{wide}");
}
