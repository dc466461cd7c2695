//! State tests of the console: a real Book on a temporary directory, keys fed to the App,
//! and the App (and the book on disk) asserted. No terminal involved.

mod common;

use common::{as_of, four_customers, keys, new_app};
use crm::book::Book;
use crm::domain::card::Stage;
use crm::domain::model::{BookData, Channel, Direction, LostReason, Outcome};
use crm::tui::agenda::state::AgendaRow;
use crm::tui::app::{App, Item, SortKey, View};
use crm::tui::form::{FieldValue, FormKind};
use crm::tui::keymap::Mode;
use crm::tui::Theme;
use jiff::civil::date;
use tempfile::TempDir;

/// The four customers of `four_customers`, no cycle.
fn fixture() -> (TempDir, Book) {
    common::book_of(BookData {
        users: vec![],
        accounts: four_customers(),
        cycles: vec![],
    })
}

fn app(book: &mut Book) -> App {
    new_app(book, Theme::mono())
}

fn card_id(app: &App) -> &str {
    &app.card.as_ref().expect("a card is open").card.id
}

fn listed(app: &App) -> Vec<String> {
    (0..app.list.len())
        .map(|r| app.list.row(r).unwrap().id.clone())
        .collect()
}

#[test]
fn starts_on_the_book_sorted_by_name() {
    let (_dir, mut book) = fixture();
    let app = app(&mut book);
    assert_eq!(app.mode(), Mode::Book);
    assert_eq!(listed(&app), ["acme", "beta", "delta", "shanghai"]);
}

#[test]
fn find_opens_the_card_from_a_latin_fragment() {
    let (_dir, mut book) = fixture();
    let mut app = app(&mut book);
    keys(&mut app, &mut book, "/acm");
    let find = app.find.as_ref().unwrap();
    assert_eq!(find.hits[0].id, "acme");
    keys(&mut app, &mut book, "<Enter>");
    assert!(app.find.is_none());
    assert_eq!(card_id(&app), "acme");
    assert_eq!(app.mode(), Mode::Card);
}

#[test]
fn find_a_cjk_name_with_ctrl_k_from_a_card() {
    let (_dir, mut book) = fixture();
    let mut app = app(&mut book);
    keys(&mut app, &mut book, "/acme<Enter>");
    keys(&mut app, &mut book, "<C-k>贸易<Enter>");
    assert_eq!(card_id(&app), "shanghai");
    // Esc goes back to the book with the customer selected.
    keys(&mut app, &mut book, "<Esc>");
    assert!(app.card.is_none());
    assert_eq!(app.list.selected().unwrap().id, "shanghai");
}

#[test]
fn find_moves_through_hits_and_closes_on_esc() {
    let (_dir, mut book) = fixture();
    let mut app = app(&mut book);
    keys(&mut app, &mut book, "/a");
    let hits = app.find.as_ref().unwrap().hits.len();
    assert!(hits >= 2, "'a' matches several customers, got {hits}");
    keys(&mut app, &mut book, "<C-n>");
    assert_eq!(app.find.as_ref().unwrap().cursor.selected, 1);
    keys(&mut app, &mut book, "<C-p><C-p>");
    assert_eq!(app.find.as_ref().unwrap().cursor.selected, 0);
    keys(&mut app, &mut book, "<BS>");
    assert!(app.find.as_ref().unwrap().hits.is_empty());
    keys(&mut app, &mut book, "<Esc>");
    assert!(app.find.is_none());
    assert!(app.card.is_none());
}

#[test]
fn log_a_plain_call_with_the_note_and_ctrl_s() {
    let (_dir, mut book) = fixture();
    let mut app = app(&mut book);
    keys(&mut app, &mut book, "/delta<Enter>l");
    let form = app.form.as_ref().unwrap();
    assert_eq!(form.focused().unwrap().name, "note");
    assert!(matches!(form.kind, FormKind::Log { ref customer } if customer == "delta"));
    keys(&mut app, &mut book, "called, 上海 quote sent<C-s>");
    assert!(app.form.is_none());
    let card = &app.card.as_ref().unwrap().card;
    let newest = &card.recent_interactions[0];
    assert_eq!(newest.note, "called, 上海 quote sent");
    assert_eq!(newest.channel, Channel::Phone);
    assert_eq!(newest.direction, Direction::Outbound);
    assert_eq!(newest.outcome, Outcome::Neutral);
    // The clock says 10:00 on the as-of day: the contact keeps that time.
    assert_eq!(newest.at.to_string(), "2026-11-22T10:00:00Z");
    assert_eq!(card.last_contact, Some(as_of()));
    // Durable: the book on disk has it, and the book list shows the new last contact.
    let account = book.account("delta").unwrap();
    assert_eq!(
        account.interactions.last().unwrap().note,
        "called, 上海 quote sent"
    );
    assert_eq!(app.list.get("delta").unwrap().last_contact, Some(as_of()));
    assert_eq!(app.status.as_ref().unwrap().text, "contact logged");
}

#[test]
fn log_with_choices_and_a_follow_up() {
    let (_dir, mut book) = fixture();
    let mut app = app(&mut book);
    // From the book list: delta is the third line.
    keys(&mut app, &mut book, "jjl");
    // Up to the channel (6 fields above the note), pick email; outcome: positive.
    keys(&mut app, &mut book, "<Up><Up><Up><Up><Up><Up><Right>");
    keys(&mut app, &mut book, "<Down><Down><Down><Left>");
    keys(
        &mut app,
        &mut book,
        "<Tab><Tab><Tab>asked for samples<Enter>second line",
    );
    keys(&mut app, &mut book, "<Tab>+3<C-s>");
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.fields)
    );
    let account = book.account("delta").unwrap();
    let logged = account.interactions.last().unwrap();
    assert_eq!(logged.channel, Channel::Email);
    assert_eq!(logged.outcome, Outcome::Positive);
    assert_eq!(logged.note, "asked for samples\nsecond line");
    assert_eq!(logged.follow_up, Some(date(2026, 11, 25)));
    // The form returns to where it was opened: the book list, delta still selected.
    assert!(app.card.is_none());
    assert_eq!(app.mode(), Mode::Book);
    assert_eq!(app.list.selected().unwrap().id, "delta");
    assert!(account
        .tasks
        .iter()
        .any(|t| t.due == date(2026, 11, 25) && t.done.is_none()));
}

#[test]
fn an_invalid_follow_up_keeps_the_form_open_with_the_error() {
    let (_dir, mut book) = fixture();
    let mut app = app(&mut book);
    keys(&mut app, &mut book, "/acme<Enter>lnote<Tab>soon<C-s>");
    let form = app.form.as_ref().unwrap();
    let field = form.focused().unwrap();
    assert_eq!(field.name, "follow_up");
    assert!(field.error.as_deref().unwrap().contains("not a date"));
    assert_eq!(book.account("acme").unwrap().interactions.len(), 1);
}

#[test]
fn esc_asks_before_dropping_typed_text() {
    let (_dir, mut book) = fixture();
    let mut app = app(&mut book);
    keys(&mut app, &mut book, "/acme<Enter>l<Esc>");
    assert!(app.form.is_none(), "nothing typed: Esc closes at once");
    keys(&mut app, &mut book, "ldraft<Esc>");
    assert_eq!(app.mode(), Mode::Confirm);
    keys(&mut app, &mut book, "n");
    assert_eq!(app.mode(), Mode::Form);
    assert_eq!(app.form.as_ref().unwrap().text("note"), "draft");
    keys(&mut app, &mut book, "<Esc>y");
    assert!(app.form.is_none());
    assert_eq!(app.mode(), Mode::Card);
    assert_eq!(book.account("acme").unwrap().interactions.len(), 1);
}

#[test]
fn filters_and_sorts_from_the_keyboard() {
    let (_dir, mut book) = fixture();
    let mut app = app(&mut book);
    keys(&mut app, &mut book, "s");
    assert_eq!(app.list.filter.stage, Some(Stage::Acquisition));
    assert_eq!(listed(&app), ["shanghai"]);
    keys(&mut app, &mut book, "x");
    assert_eq!(app.list.len(), 4);
    keys(&mut app, &mut book, "o");
    assert_eq!(app.list.filter.owner.as_deref(), Some("alice"));
    assert_eq!(listed(&app), ["acme", "beta"]);
    keys(&mut app, &mut book, "ox");
    keys(&mut app, &mut book, "sssss");
    assert_eq!(app.list.filter.stage, Some(Stage::Churned));
    assert_eq!(listed(&app), ["beta"]);
    keys(&mut app, &mut book, "x");

    keys(&mut app, &mut book, "m");
    assert_eq!(app.list.sort, SortKey::Value);
    let crvs: Vec<f64> = (0..4).map(|r| app.list.row(r).unwrap().crv).collect();
    assert!(crvs.windows(2).all(|w| w[0] >= w[1]), "{crvs:?}");
    keys(&mut app, &mut book, "n");
    assert_eq!(listed(&app), ["acme", "beta", "delta", "shanghai"]);
    keys(&mut app, &mut book, "n");
    assert_eq!(listed(&app), ["shanghai", "delta", "beta", "acme"]);
    keys(&mut app, &mut book, "c");
    // Never contacted first, then the oldest contact.
    assert_eq!(app.list.row(3).unwrap().id, "acme");
    keys(&mut app, &mut book, "u");
    assert_eq!(app.list.sort, SortKey::Urgency);
    assert_eq!(
        app.list.row(0).unwrap().id,
        "delta",
        "delta's follow-up is overdue"
    );
}

#[test]
fn moving_in_the_book() {
    let (_dir, mut book) = fixture();
    let mut app = app(&mut book);
    keys(&mut app, &mut book, "G");
    assert_eq!(app.list.selected().unwrap().id, "shanghai");
    keys(&mut app, &mut book, "k<Up>");
    assert_eq!(app.list.selected().unwrap().id, "beta");
    keys(&mut app, &mut book, "g");
    assert_eq!(app.list.selected().unwrap().id, "acme");
    keys(&mut app, &mut book, "<PgDn>");
    assert_eq!(app.list.selected().unwrap().id, "shanghai");
    keys(&mut app, &mut book, "<Enter>");
    assert_eq!(card_id(&app), "shanghai");
}

#[test]
fn agenda_marks_done_and_snoozes() {
    let (_dir, mut book) = fixture();
    let mut app = app(&mut book);
    // delta is bob's: alice sees it on everyone's agenda (`o`), not on hers.
    keys(&mut app, &mut book, "2o");
    assert_eq!(app.view, View::Agenda);
    assert!(!app.agenda.mine);
    let agenda = app.agenda.agenda.as_ref().unwrap();
    let follow_ups: Vec<u64> = agenda.follow_ups.iter().map(|f| f.task).collect();
    assert_eq!(follow_ups, [9001, 9002], "overdue first, then due today");
    keys(&mut app, &mut book, "d");
    assert!(book
        .account("delta")
        .unwrap()
        .tasks
        .iter()
        .all(|t| t.done.is_none()));
    keys(&mut app, &mut book, "y");
    let delta = book.account("delta").unwrap();
    let done = delta.tasks.iter().find(|t| t.id == 9001).unwrap();
    assert_eq!(done.done, Some(as_of()));
    let agenda = app.agenda.agenda.as_ref().unwrap();
    assert_eq!(agenda.follow_ups.len(), 1);
    assert!(app.card.is_none(), "the agenda stays in view");
    keys(&mut app, &mut book, "Z");
    let delta = book.account("delta").unwrap();
    let snoozed = delta.tasks.iter().find(|t| t.id == 9002).unwrap();
    assert_eq!(snoozed.due, date(2026, 11, 29));
    assert!(app.agenda.agenda.as_ref().unwrap().follow_ups.is_empty());
    // Enter opens the card of the selected line (now an action).
    keys(&mut app, &mut book, "g<Enter>");
    assert!(app.card.is_some());
}

/// The four customers, alice's acme with these follow-ups (id, due, text).
fn acme_following_up(tasks: &[(u64, jiff::civil::Date, &str)]) -> (TempDir, Book) {
    let mut accounts = four_customers();
    accounts[0].tasks = tasks
        .iter()
        .map(|&(id, due, text)| common::task(id, due, text))
        .collect();
    common::book_of(BookData {
        users: vec![],
        accounts,
        cycles: vec![],
    })
}

/// The morning: the agenda is mine by default, a follow-up due today is in Today, and
/// each section's count is every item of it, not the rows a screen holds.
#[test]
fn the_morning_agenda_is_mine_in_sections_with_honest_counts() {
    // Alice's acme: one follow-up late, one due today, two this week, one beyond it.
    let (_dir, mut book) = acme_following_up(&[
        (7001, date(2026, 11, 21), "Follow up: the late one"),
        (7002, date(2026, 11, 22), "Follow up: call back today"),
        (7003, date(2026, 11, 23), "Follow up: tomorrow"),
        (7004, date(2026, 11, 29), "Follow up: in a week"),
        (7005, date(2026, 11, 30), "Follow up: next week"),
    ]);
    let mut app = app(&mut book);
    keys(&mut app, &mut book, "2");
    assert!(app.agenda.mine, "mine by default");
    let agenda = app.agenda.agenda.as_ref().unwrap();
    assert_eq!(agenda.owner.as_deref(), Some("alice"));
    assert_eq!(agenda.overdue_total, 1);
    assert_eq!(agenda.today_total, 1);
    assert_eq!(agenda.today[0].task, 7002);
    let week: Vec<u64> = agenda.this_week.iter().map(|f| f.task).collect();
    assert_eq!(week, [7003, 7004]);
    assert!(agenda.follow_ups.iter().all(|f| f.owner == "alice"));
    // Everyone's: bob's delta adds one overdue (the 20th) and one due today.
    keys(&mut app, &mut book, "o");
    let all = app.agenda.agenda.as_ref().unwrap();
    assert_eq!(all.owner, None);
    assert_eq!((all.overdue_total, all.today_total), (2, 2));
    // Back to mine; the rows run overdue, today, this week, then the suggestions: the
    // third row is tomorrow's, done in place.
    keys(&mut app, &mut book, "ojj");
    let row = app.agenda.selected().unwrap();
    assert_eq!(row.customer(), "acme");
    keys(&mut app, &mut book, "z");
    let acme = book.account("acme").unwrap();
    let snoozed = acme.tasks.iter().find(|t| t.id == 7003).unwrap();
    assert_eq!(
        snoozed.due,
        date(2026, 11, 24),
        "snoozed a day from its due date"
    );
}

/// Tab moves to the first row of the next section, S-Tab to the previous section's: Today
/// is one key away however many follow-ups are overdue.
#[test]
fn tab_moves_the_agenda_cursor_from_section_to_section() {
    // Alice's acme: three follow-ups late, one due today, one this week.
    let (_dir, mut book) = acme_following_up(&[
        (7001, date(2026, 11, 19), "Follow up: late"),
        (7002, date(2026, 11, 20), "Follow up: late too"),
        (7003, date(2026, 11, 21), "Follow up: late as well"),
        (7004, date(2026, 11, 22), "Follow up: call back today"),
        (7005, date(2026, 11, 24), "Follow up: this week"),
    ]);
    let mut app = app(&mut book);
    keys(&mut app, &mut book, "2j");
    let task = |app: &App| match app.agenda.selected() {
        Some(AgendaRow::FollowUp(f)) => Some(f.task),
        _ => None,
    };
    assert_eq!(task(&app), Some(7002), "the second overdue row");
    keys(&mut app, &mut book, "<Tab>");
    assert_eq!(task(&app), Some(7004), "Today's first row");
    keys(&mut app, &mut book, "<Tab>");
    assert_eq!(task(&app), Some(7005), "This week's first row");
    keys(&mut app, &mut book, "<S-Tab>");
    assert_eq!(task(&app), Some(7004), "back to Today");
    keys(&mut app, &mut book, "<S-Tab>");
    assert_eq!(task(&app), Some(7001), "Overdue's first row");
    keys(&mut app, &mut book, "<S-Tab>");
    assert_eq!(task(&app), Some(7001), "no section before the first");
}

#[test]
fn accepting_a_contact_action_prefills_the_form() {
    let (_dir, mut book) = fixture();
    let mut app = app(&mut book);
    keys(&mut app, &mut book, "/上海<Enter>");
    let card = &app.card.as_ref().unwrap().card;
    let position = card
        .next_actions
        .iter()
        .position(|a| a.code.code() == "qualify_prospect")
        .expect("a prospect is to be qualified");
    let text = card.next_actions[position].action.clone();
    for _ in 0..position {
        keys(&mut app, &mut book, "j");
    }
    assert_eq!(
        app.card.as_ref().unwrap().current(),
        Some(Item::Action(position))
    );
    keys(&mut app, &mut book, "a");
    let form = app.form.as_ref().unwrap();
    assert_eq!(form.text("note"), text);
    let FieldValue::Choice { options, index } = &form.field("purpose").unwrap().value else {
        panic!("purpose is a choice");
    };
    assert_eq!(options[*index], "sales");
    assert!(!form.dirty, "a pre-filled form closes without a question");
}

#[test]
fn accepting_a_task_action_adds_a_task() {
    let (_dir, mut book) = fixture();
    let mut app = app(&mut book);
    keys(&mut app, &mut book, "/acme<Enter>");
    let card = &app.card.as_ref().unwrap().card;
    let task_like = [
        "add_social_bond",
        "add_structural_bond",
        "differentiated_service",
        "let_go",
    ];
    let Some(position) = card
        .next_actions
        .iter()
        .position(|a| task_like.contains(&a.code.code()))
    else {
        // The engine gave acme no task-like action: nothing to accept here.
        return;
    };
    let before = card.open_tasks.len();
    for _ in 0..position {
        keys(&mut app, &mut book, "j");
    }
    keys(&mut app, &mut book, "a");
    assert!(app.form.is_none());
    assert_eq!(app.card.as_ref().unwrap().card.open_tasks.len(), before + 1);
}

#[test]
fn card_task_done_and_cursor_moves_over_items() {
    let (_dir, mut book) = fixture();
    let mut app = app(&mut book);
    keys(&mut app, &mut book, "/delta<Enter>");
    let state = app.card.as_ref().unwrap();
    let items = state.items();
    let first_task = items
        .iter()
        .position(|i| matches!(i, Item::Task(_)))
        .unwrap();
    for _ in 0..first_task {
        keys(&mut app, &mut book, "j");
    }
    assert_eq!(app.card.as_ref().unwrap().current(), Some(Item::Task(0)));
    let due = app.card.as_ref().unwrap().card.open_tasks[0].id;
    // d asks first; n leaves the task open, Enter asks too, y marks it done.
    keys(&mut app, &mut book, "d");
    assert_eq!(app.mode(), Mode::Confirm);
    assert!(app
        .confirm
        .as_ref()
        .unwrap()
        .prompt
        .contains("send the quote"));
    keys(&mut app, &mut book, "n<Enter>");
    assert_eq!(app.mode(), Mode::Confirm);
    let open = |book: &mut Book| {
        book.account("delta")
            .unwrap()
            .tasks
            .iter()
            .all(|t| t.done.is_none())
    };
    assert!(open(&mut book), "nothing done before a yes");
    keys(&mut app, &mut book, "y");
    let account = book.account("delta").unwrap();
    assert!(account
        .tasks
        .iter()
        .find(|t| t.id == due)
        .unwrap()
        .done
        .is_some());
    assert_eq!(app.card.as_ref().unwrap().card.open_tasks.len(), 1);
    assert_eq!(app.status.as_ref().unwrap().text, "task done");
}

#[test]
fn add_a_customer_then_edit_profile_and_contacts() {
    let (_dir, mut book) = fixture();
    let mut app = app(&mut book);
    keys(&mut app, &mut book, "aNorth 北方 Ltd<C-s>");
    assert!(app.form.is_none(), "{:?}", app.status);
    let id = card_id(&app).to_string();
    assert_eq!(app.card.as_ref().unwrap().card.name, "North 北方 Ltd");
    assert_eq!(app.card.as_ref().unwrap().card.owner, "alice");
    assert_eq!(app.list.total(), 5);
    // Edit: replace the name, add two contact persons.
    keys(&mut app, &mut book, "e<C-u>North Ltd");
    keys(&mut app, &mut book, "<Tab><Tab><Tab><Tab><Tab><Tab>");
    assert_eq!(
        app.form.as_ref().unwrap().focused().unwrap().name,
        "contacts"
    );
    keys(
        &mut app,
        &mut book,
        "Ann; cfo; 123; ann@x.example<Enter>Bo<C-s>",
    );
    assert!(app.form.is_none(), "{:?}", app.status);
    let customer = book.account(&id).unwrap().customer;
    assert_eq!(customer.name, "North Ltd");
    assert_eq!(customer.contacts.len(), 2);
    assert_eq!(customer.contacts[0].role, "cfo");
    assert_eq!(app.card.as_ref().unwrap().card.contacts[1].name, "Bo");
}

#[test]
fn bonds_orders_and_lost() {
    let (_dir, mut book) = fixture();
    let mut app = app(&mut book);
    keys(&mut app, &mut book, "/shanghai<Enter>");
    // Add a structural bond: level is the first field, kind has the focus.
    keys(&mut app, &mut book, "bEDI link<S-Tab><Right><C-s>");
    assert!(app.form.is_none(), "{:?}", app.status);
    let card = &app.card.as_ref().unwrap().card;
    assert_eq!(card.level.code(), "structural");
    // End it today.
    keys(&mut app, &mut book, "B<C-s>");
    let bonds = book.account("shanghai").unwrap().bonds;
    assert_eq!(bonds[0].until, Some(as_of()));
    // An order makes the prospect a customer.
    keys(&mut app, &mut book, "o5 000<Tab>1500<C-s>");
    assert!(app.form.is_none(), "{:?}", app.status);
    let orders = book.account("shanghai").unwrap().orders;
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].amount, 5000.0);
    assert_eq!(orders[0].margin, Some(1500.0));
    assert_ne!(app.card.as_ref().unwrap().card.stage, Stage::Acquisition);
    // Mark lost: no reason is preselected, so saving at once asks for one.
    keys(&mut app, &mut book, "L<C-s>");
    assert!(app.form.is_some());
    assert!(book.account("shanghai").unwrap().customer.lost.is_none());
    // Typing opens the reasons' list filtered; Enter picks price; saving asks first; n
    // keeps the form.
    keys(&mut app, &mut book, "pri<Enter><C-s>");
    assert_eq!(app.mode(), Mode::Confirm);
    keys(&mut app, &mut book, "n");
    assert!(app.form.is_some() && app.confirm.is_none());
    assert!(book.account("shanghai").unwrap().customer.lost.is_none());
    keys(&mut app, &mut book, "<C-s>y");
    let card = &app.card.as_ref().unwrap().card;
    assert_eq!(card.lost.as_ref().unwrap().reason, LostReason::Price);
    assert_eq!(card.stage, Stage::Churned);
    // And back: a lost customer's list offers "not lost", which needs no question.
    keys(&mut app, &mut book, "Lnot<Enter><C-s>");
    assert!(book.account("shanghai").unwrap().customer.lost.is_none());
}

#[test]
fn an_order_without_amount_is_refused_inline() {
    let (_dir, mut book) = fixture();
    let mut app = app(&mut book);
    keys(&mut app, &mut book, "/acme<Enter>o<C-s>");
    let form = app.form.as_ref().unwrap();
    assert_eq!(form.focused().unwrap().name, "amount");
    assert!(form.focused().unwrap().error.is_some());
    assert_eq!(book.account("acme").unwrap().orders.len(), 24);
}

#[test]
fn views_help_and_quit() {
    let (_dir, mut book) = fixture();
    let mut app = app(&mut book);
    keys(&mut app, &mut book, "3");
    assert_eq!(app.view, View::Portfolio);
    assert!(app.portfolio.portfolio.is_some());
    keys(&mut app, &mut book, "4");
    assert_eq!(app.view, View::Pdca);
    assert_eq!(app.pdca.cycles.as_ref().map(Vec::len), Some(0));
    keys(&mut app, &mut book, "?");
    assert_eq!(app.mode(), Mode::Help);
    assert_eq!(app.mode_under_help(), Mode::Pdca);
    keys(&mut app, &mut book, "q");
    assert_eq!(app.mode(), Mode::Pdca);
    keys(&mut app, &mut book, "<Esc>");
    assert_eq!(app.view, View::Book);
    assert!(!app.quit);
    keys(&mut app, &mut book, "/acme<Enter>q");
    assert!(app.card.is_none(), "q on a card goes back");
    assert!(!app.quit);
    keys(&mut app, &mut book, "q");
    assert!(app.quit);
}

#[test]
fn keys_that_mean_nothing_change_nothing() {
    let (_dir, mut book) = fixture();
    let mut app = app(&mut book);
    let before = listed(&app);
    let unbound = crm::tui::keymap::parse_keys("%<C-x>").unwrap();
    assert_eq!(unbound.len(), 2);
    for key in unbound {
        assert!(
            !app.handle_key(key, &mut book),
            "{key:?} is not bound in the book"
        );
    }
    assert_eq!(listed(&app), before);
}

/// The four customers, and carol: a user of the book who owns no customer yet.
fn fixture_with_a_user() -> (TempDir, Book) {
    common::book_of(BookData {
        users: vec![crm::domain::model::User {
            login: "carol".into(),
            name: "Carol Chen".into(),
            role: crm::domain::model::Role::Rep,
            team: None,
        }],
        accounts: four_customers(),
        cycles: vec![],
    })
}

/// The rows of the open picker, in words.
fn pick_rows(app: &App) -> Vec<String> {
    use crm::tui::form::pick::Row;
    let pick = app
        .form
        .as_ref()
        .and_then(|f| f.open_pick())
        .expect("a picker's list is open");
    pick.rows()
        .into_iter()
        .map(|row| match row {
            Row::Option(i) => pick.options[i].label.clone(),
            Row::New(login) => format!("new: {login}"),
        })
        .collect()
}

/// The owner is picked from a list of the book's owners and users, the console user first;
/// Esc closes the list as it was; a login no one has is made an owner only after a yes.
#[test]
fn the_owner_is_picked_from_owners_and_users_and_a_new_one_asks_first() {
    let (_dir, mut book) = fixture_with_a_user();
    let mut app = app(&mut book);
    keys(&mut app, &mut book, "/acme<Enter>e<Tab><Tab><Tab>");
    assert_eq!(app.form.as_ref().unwrap().focused().unwrap().name, "owner");
    keys(&mut app, &mut book, "<Enter>");
    assert_eq!(app.mode(), Mode::Pick);
    assert_eq!(
        pick_rows(&app),
        [
            "alice (you)",
            "bob",
            "carol · Carol Chen",
            "(no owner yet)",
            "new: "
        ]
    );
    // Down twice from alice (the chosen one) and Enter: carol.
    keys(&mut app, &mut book, "<Down><Down><Enter>");
    assert_eq!(app.mode(), Mode::Form);
    assert_eq!(app.form.as_ref().unwrap().picked("owner"), Some("carol"));
    keys(&mut app, &mut book, "<C-s>");
    assert!(app.form.is_none(), "{:?}", app.status);
    assert_eq!(book.customer("acme").unwrap().owner, "carol");

    // Esc closes the list and keeps the owner; nothing changed, so Esc closes the form.
    keys(&mut app, &mut book, "e<Tab><Tab><Tab><Enter><Down><Esc>");
    assert_eq!(app.mode(), Mode::Form);
    assert_eq!(app.form.as_ref().unwrap().picked("owner"), Some("carol"));
    keys(&mut app, &mut book, "<Esc>");
    assert!(app.form.is_none());

    // A new owner: typed, Enter asks, y makes it.
    keys(&mut app, &mut book, "e<Tab><Tab><Tab>dave");
    assert_eq!(pick_rows(&app), ["new: dave"]);
    keys(&mut app, &mut book, "<Enter>");
    assert_eq!(app.mode(), Mode::Confirm);
    assert!(app
        .confirm
        .as_ref()
        .unwrap()
        .prompt
        .contains("(closest: alice, bob, carol)"));
    keys(&mut app, &mut book, "y");
    assert_eq!(app.mode(), Mode::Form);
    let form = app.form.as_ref().unwrap();
    assert_eq!(form.picked("owner"), Some("dave"));
    assert_eq!(form.field("owner").unwrap().error, None);
    keys(&mut app, &mut book, "<C-s>");
    assert!(app.form.is_none(), "{:?}", app.status);
    assert_eq!(book.customer("acme").unwrap().owner, "dave");

    // A login with a space is no login: refused in the list, nothing asked.
    keys(&mut app, &mut book, "e<Tab><Tab><Tab>x y<Enter>");
    assert_eq!(app.mode(), Mode::Pick);
    assert_eq!(
        app.status.as_ref().map(|s| (s.text.as_str(), s.error)),
        Some(("a login has no spaces", true))
    );
}

/// The pickers' values come back from a draft: a new owner said yes to, a lost reason.
#[test]
fn picked_values_come_back_from_a_draft() {
    let (dir, mut book) = fixture();
    let file = crm::tui::drafts::draft_file(&dir.path().join("state"), "alice");
    let mut app = app(&mut book);
    app.drafts.path = Some(file.clone());
    keys(&mut app, &mut book, "aDraft Co<Tab><Tab><Tab>erin<Enter>y");
    assert_eq!(app.form.as_ref().unwrap().picked("owner"), Some("erin"));
    let kept = std::fs::read_to_string(&file).unwrap();
    assert!(kept.contains(r#"["owner",{"Picked":"erin"}]"#), "{kept}");
    drop(app);
    let mut app = new_app(&mut book, Theme::mono());
    app.drafts.path = Some(file.clone());
    crm::tui::drafts::offer(&mut app);
    keys(&mut app, &mut book, "y");
    let form = app.form.as_ref().expect("the draft is back");
    assert_eq!(form.text("name"), "Draft Co");
    assert_eq!(form.picked("owner"), Some("erin"));
    assert_eq!(form.focused().unwrap().name, "owner");
    let FieldValue::Pick(pick) = &form.field("owner").unwrap().value else {
        panic!("the owner is a picker");
    };
    assert_eq!(pick.label(), Some("erin (new owner)"));
    keys(&mut app, &mut book, "<C-s>");
    assert!(app.form.is_none(), "{:?}", app.status);
    assert_eq!(book.customer("draft-co").unwrap().owner, "erin");

    // A lost reason picked, the console killed: it comes back picked, nothing else.
    keys(&mut app, &mut book, "<Esc>/acme<Enter>Lcomp<Enter>");
    assert_eq!(
        app.form.as_ref().unwrap().picked("reason"),
        Some("competitor")
    );
    drop(app);
    let mut app = new_app(&mut book, Theme::mono());
    app.drafts.path = Some(file.clone());
    crm::tui::drafts::offer(&mut app);
    keys(&mut app, &mut book, "y");
    assert_eq!(
        app.form.as_ref().unwrap().picked("reason"),
        Some("competitor")
    );
    keys(&mut app, &mut book, "<C-s>y");
    assert_eq!(
        book.customer("acme").unwrap().lost.map(|l| l.reason),
        Some(LostReason::Competitor)
    );
}

/// A contact logged from the agenda costs the agenda, not every line of the book: the book
/// list is read again when it is shown (a 100,000-line list took ~0.6 s a save).
#[test]
fn a_contact_logged_from_the_agenda_leaves_the_book_list_until_it_is_shown() {
    let mut accounts = four_customers();
    accounts[0].tasks = vec![common::task(
        7001,
        date(2026, 11, 21),
        "Follow up: the late one",
    )];
    let (_dir, mut book) = common::book_of(BookData {
        users: vec![],
        accounts,
        cycles: vec![],
    });
    let mut app = app(&mut book);
    let before = app.list.get("acme").unwrap();
    keys(&mut app, &mut book, "2");
    assert_eq!(app.agenda.agenda.as_ref().unwrap().overdue_total, 1);
    keys(&mut app, &mut book, "lchecked in<C-s>");
    assert!(app.form.is_none());
    // The agenda is computed again: the contact closed acme's late follow-up.
    assert_eq!(app.view, View::Agenda);
    assert_eq!(app.agenda.agenda.as_ref().unwrap().overdue_total, 0);
    // The list is as it was until it is shown; then it has the write.
    assert!(app.list_stale);
    assert_eq!(app.list.get("acme").unwrap(), before);
    keys(&mut app, &mut book, "1");
    assert!(!app.list_stale);
    let after = app.list.get("acme").unwrap();
    assert_ne!(after, before);
    assert_eq!(after, book.summaries(as_of()).unwrap()[0]);
}

/// `R` on the agenda recomputes the agenda now and the book list when it is next shown:
/// a change made elsewhere is on the list when the user goes back to it.
#[test]
fn recomputing_the_agenda_leaves_the_book_list_to_be_read_when_shown() {
    let (_dir, mut book) = common::book_of(BookData {
        users: vec![],
        accounts: four_customers(),
        cycles: vec![],
    });
    let mut app = app(&mut book);
    let before = app.list.get("acme").unwrap();
    keys(&mut app, &mut book, "2");
    // Another front end's write: the console learns of it from R.
    let mut renamed = book.account("acme").unwrap().customer;
    renamed.name = "Acme Trading Renamed".into();
    book.update_customer(renamed).unwrap();
    keys(&mut app, &mut book, "R");
    assert!(app.list_stale);
    keys(&mut app, &mut book, "1");
    assert!(!app.list_stale);
    let after = app.list.get("acme").unwrap();
    assert_ne!(after, before);
    assert_eq!(after.name, "Acme Trading Renamed");
}

/// The portfolio's stage bars give way to "(N won back)" at 80 columns: the count of
/// customers in their second lifecycle is never cut off.
#[test]
fn the_portfolio_keeps_won_back_counts_whole_at_80_columns() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Book::open(dir.path(), crm::domain::config::Config::default(), "alice").unwrap();
    let options = crm::demo::DemoOptions {
        customers: 600,
        seed: 1,
        today: as_of(),
    };
    book.import(crm::demo::demo_book(&options, &mut |_| {}), false)
        .unwrap();
    let mut app = app(&mut book);
    keys(&mut app, &mut book, "3");
    let shown = common::dump(&common::screen(&app, 80, 80));
    let won: Vec<&str> = shown.lines().filter(|l| l.contains("won")).collect();
    assert!(
        !won.is_empty(),
        "the demo book has won-back customers:\n{shown}"
    );
    for line in won {
        assert!(line.contains(" won back)"), "cut: {line:?}\n{shown}");
    }
}
