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

/// Nothing typed is lost: the open form is on disk as it is typed (private), offered back
/// by the next console, and gone once saved.
#[test]
fn a_half_typed_contact_is_kept_as_a_draft_and_offered_back() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, mut book) = fixture();
    let file = crm::tui::drafts::draft_file(&dir.path().join("state"), "alice");
    let mut app = new_app(&mut book, Theme::mono());
    app.drafts.path = Some(file.clone());
    keys(&mut app, &mut book, "/acme<Enter>l<C-d>half typed");
    let kept = std::fs::read_to_string(&file).unwrap();
    assert!(kept.contains("half typed"), "{kept}");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let dir_mode = std::fs::metadata(file.parent().unwrap())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(dir_mode & 0o777, 0o700);
    // The console ends without a save (the terminal was killed): a new one offers it.
    drop(app);
    let mut app = new_app(&mut book, Theme::mono());
    app.drafts.path = Some(file.clone());
    crm::tui::drafts::offer(&mut app);
    assert_eq!(app.mode(), Mode::Confirm);
    assert!(app
        .confirm
        .as_ref()
        .unwrap()
        .prompt
        .contains("Log a contact: Acme Trading Co."));
    keys(&mut app, &mut book, "y");
    let form = app.form.as_ref().unwrap();
    assert_eq!(form.text("note"), "half typed");
    assert_eq!(
        form.field("note").map(|f| f.name),
        form.focused().map(|f| f.name)
    );
    keys(&mut app, &mut book, " and finished<C-s>");
    let logged = book
        .account("acme")
        .unwrap()
        .interactions
        .last()
        .cloned()
        .unwrap();
    assert_eq!(logged.note, "half typed and finished");
    assert_eq!(logged.direction, crm::domain::model::Direction::Inbound);
    assert!(!file.exists(), "a saved form leaves no draft");
    // Declining an offer forgets the draft.
    keys(&mut app, &mut book, "lsomething");
    assert!(file.exists());
    let mut app = new_app(&mut book, Theme::mono());
    app.drafts.path = Some(file.clone());
    crm::tui::drafts::offer(&mut app);
    keys(&mut app, &mut book, "n");
    assert!(app.form.is_none());
    assert!(!file.exists());
}

/// Undo of a log: `U` asks, then takes the contact back as a reverse event. The follow-up
/// it opened goes, the follow-ups it closed open again, and the journal keeps both events,
/// also after the book is opened again from disk.
#[test]
fn undo_takes_back_the_last_contact_as_a_reverse_event() {
    let (dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    // delta has two open follow-ups (9001, 9002); a call with a follow-up closes both.
    keys(
        &mut app,
        &mut book,
        "/delta<Enter>lcalled about the quote<Tab>+3<C-s>",
    );
    let account = book.account("delta").unwrap();
    assert_eq!(account.interactions.len(), 1);
    assert!(account
        .tasks
        .iter()
        .filter(|t| t.id >= 9001 && t.id <= 9002)
        .all(|t| t.done.is_some()));
    assert_eq!(account.tasks.len(), 3);
    keys(&mut app, &mut book, "U");
    assert!(app
        .confirm
        .as_ref()
        .unwrap()
        .prompt
        .starts_with("Take back the contact logged with delta"));
    keys(&mut app, &mut book, "n");
    assert_eq!(
        book.account("delta").unwrap().interactions.len(),
        1,
        "n keeps it"
    );
    keys(&mut app, &mut book, "Uy");
    assert_eq!(
        app.status.as_ref().unwrap().text,
        "contact taken back (kept in the audit trail)"
    );
    let account = book.account("delta").unwrap();
    assert!(account.interactions.is_empty());
    let ids: Vec<(u64, bool)> = account
        .tasks
        .iter()
        .map(|t| (t.id, t.done.is_some()))
        .collect();
    assert_eq!(
        ids,
        [(9001, false), (9002, false)],
        "closed ones open again, the new one gone"
    );
    // Once: nothing more to undo.
    keys(&mut app, &mut book, "U");
    assert!(app.confirm.is_none());
    drop(app);
    drop(book);
    // The reverse event is durable and replays: reopened from disk, the same.
    let book = Book::open(dir.path(), crm::domain::config::Config::default(), "alice").unwrap();
    let account = book.account("delta").unwrap();
    assert!(account.interactions.is_empty());
    assert_eq!(account.tasks.len(), 2);
    drop(book);
    // The audit trail holds the log and its retraction, both by alice.
    use crm::store::Store;
    let (store, _) = crm::store::JournalStore::open(dir.path()).unwrap();
    let trail: Vec<(String, String)> = store
        .journal_entries()
        .unwrap()
        .into_iter()
        .map(|e| (e.actor, e.description))
        .collect();
    let last_two = &trail[trail.len() - 2..];
    assert!(
        last_two[0]
            .1
            .starts_with("logged outbound phone contact with delta"),
        "{trail:?}"
    );
    assert!(
        last_two[1]
            .1
            .starts_with("took back the outbound phone contact with delta"),
        "{trail:?}"
    );
    assert!(last_two.iter().all(|(actor, _)| actor == "alice"));
}

/// Owner is checked against the book's owners (a typo would make a new owner), and a new
/// customer like one the book has (same folded name, phone or e-mail) asks first.
#[test]
fn owner_is_picked_and_a_duplicate_customer_asks_first() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    // Name, then three fields on: the owner. Typing there opens its list, filtered; a typo
    // matches no owner, and the only row left is a new owner, which asks first.
    keys(&mut app, &mut book, "aNew Co<Tab><Tab><Tab>bobb");
    assert_eq!(app.mode(), Mode::Pick);
    keys(&mut app, &mut book, "<Enter>");
    let prompt = app
        .confirm
        .as_ref()
        .expect("a new owner asks")
        .prompt
        .clone();
    assert_eq!(
        prompt,
        "No one owns a customer as 'bobb' and no user has that login (closest: bob, alice). \
         Make 'bobb' a new owner? (y/n)"
    );
    // No: back in the list as typed; one Backspace and Enter picks bob.
    keys(&mut app, &mut book, "n");
    assert_eq!(app.mode(), Mode::Pick);
    keys(&mut app, &mut book, "<BS><Enter>");
    assert_eq!(app.mode(), Mode::Form);
    assert_eq!(app.form.as_ref().unwrap().picked("owner"), Some("bob"));
    keys(&mut app, &mut book, "<C-s>");
    assert!(app.form.is_none(), "{:?}", app.status);
    assert_eq!(book.customer("new-co").unwrap().owner, "bob");

    // The same name, folded: asks; n keeps the form, y adds it.
    keys(&mut app, &mut book, "<Esc>aacme trading co.<C-s>");
    let prompt = app.confirm.as_ref().unwrap().prompt.clone();
    assert_eq!(
        prompt,
        "A customer with this name exists: Acme Trading Co. (acme). Add this customer anyway? (y/n)"
    );
    keys(&mut app, &mut book, "n");
    assert!(app.form.is_some());
    assert_eq!(app.list.total(), 5);
    keys(&mut app, &mut book, "<C-s>y");
    assert!(app.form.is_none());
    assert_eq!(app.list.total(), 6);

    // Another name with a phone the book has.
    keys(&mut app, &mut book, "<Esc>aZed Works");
    keys(
        &mut app,
        &mut book,
        "<Tab><Tab><Tab><Tab><Tab><Tab>Zed; buyer; +86 10 5555 0101; <C-s>",
    );
    let prompt = app.confirm.as_ref().unwrap().prompt.clone();
    assert!(
        prompt.starts_with("A customer with this phone exists:"),
        "{prompt}"
    );
}

/// At 80x24 help is longer than the screen: scrolling down reaches its last entry (quit)
/// in every view, the scroll hint below it.
#[test]
fn help_scrolls_to_its_last_entry_at_80x24() {
    let (_dir, mut book) = fixture();
    for view in ["1", "2", "/acme<Enter>"] {
        let mut app = new_app(&mut book, Theme::mono());
        keys(&mut app, &mut book, view);
        keys(&mut app, &mut book, "?");
        keys(&mut app, &mut book, &"j".repeat(60));
        let screen = draw(&mut app, 80, 24);
        let text = screen.split("--- styles ---").next().unwrap();
        assert!(text.contains("Ctrl-C"), "{view}: {text}");
        assert!(text.contains("quit"), "{view}: {text}");
    }
}

/// Correcting a logged contact keeps the old version (DOMAIN.md §1): `c` on a contact of
/// the card opens the log form filled with it; saving records a correction. The contact
/// now says what was corrected, its follow-up moved to the new date, the card says who
/// corrected it and `v` shows what it said before; the journal keeps the log and the
/// correction, also after the book is opened again from disk.
#[test]
fn correcting_a_contact_keeps_the_old_version_and_moves_its_follow_up() {
    let (dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(
        &mut app,
        &mut book,
        "/delta<Enter>lcalled about the quote<Tab>+3<C-s>",
    );
    let logged = book.account("delta").unwrap().interactions[0].clone();
    let opened = book
        .account("delta")
        .unwrap()
        .tasks
        .into_iter()
        .find(|t| t.done.is_none())
        .unwrap();
    assert_eq!(opened.due.to_string(), "2026-11-25");
    // Not on a contact: the card says where to go.
    keys(&mut app, &mut book, "gc");
    assert!(app.form.is_none());
    assert_eq!(
        app.status.as_ref().unwrap().text,
        "move to a contact in the timeline first (j/k)"
    );
    // The last item is the contact (delta has no cycles).
    keys(&mut app, &mut book, "Gc");
    let form = app.form.as_ref().expect("the correction form");
    assert_eq!(
        form.title,
        "Correct the contact of 2026-11-22 10:00 UTC: Delta Logistics"
    );
    assert_eq!(form.text("note"), "called about the quote");
    assert_eq!(form.text("follow_up"), "2026-11-25");
    // The outcome (three fields up), the note and the follow-up.
    keys(
        &mut app,
        &mut book,
        "<S-Tab><S-Tab><S-Tab><Right><Tab><Tab><Tab><C-u>called about the quote: too dear<Tab><C-u>+5<C-s>",
    );
    assert!(app.form.is_none(), "saved: {:?}", app.form);
    assert_eq!(
        app.status.as_ref().unwrap().text,
        "contact corrected (the earlier version is kept: v on the card shows it)"
    );
    let account = book.account("delta").unwrap();
    assert_eq!(account.interactions.len(), 1, "corrected, not added");
    let now = &account.interactions[0];
    assert_eq!(now.note, "called about the quote: too dear");
    assert_eq!(now.outcome, crm::domain::model::Outcome::Negative);
    assert_eq!((now.at, now.author.as_str()), (logged.at, "alice"));
    let moved: Vec<(u64, String)> = account
        .tasks
        .iter()
        .filter(|t| t.done.is_none())
        .map(|t| (t.id, t.due.to_string()))
        .collect();
    assert_eq!(moved, [(opened.id, "2026-11-27".to_string())]);
    // The card says it was corrected; v shows the version before, v again hides it.
    // The correction is dated by the clock (the day it was made): read after it, it is
    // today, or yesterday when midnight UTC fell in between.
    let today = {
        let now = jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date();
        let on = book.card("delta", common::as_of()).unwrap().corrections[0].on;
        let on = on.to_zoned(jiff::tz::TimeZone::UTC).date();
        assert!(on == now || on.tomorrow().ok() == Some(now), "{on} {now}");
        on.to_string()
    };
    let screen = draw(&mut app, 120, 40);
    assert!(
        screen.contains(&format!("corrected {today} by alice · v: earlier versions")),
        "{screen}"
    );
    assert!(!screen.contains("before the correction"), "{screen}");
    keys(&mut app, &mut book, "Gv");
    let screen = draw(&mut app, 120, 40);
    assert!(
        screen.contains(&format!("before the correction of {today} by alice:")),
        "{screen}"
    );
    assert!(
        screen.contains("2026-11-22 phone outbound other → neutral"),
        "{screen}"
    );
    assert!(screen.contains("follow-up 2026-11-25"), "{screen}");
    keys(&mut app, &mut book, "v");
    assert!(!draw(&mut app, 120, 40).contains("before the correction"));
    drop(app);
    drop(book);
    let book = Book::open(dir.path(), crm::domain::config::Config::default(), "alice").unwrap();
    assert_eq!(
        book.account("delta").unwrap().interactions[0].note,
        "called about the quote: too dear"
    );
    drop(book);
    use crm::store::Store;
    let (store, _) = crm::store::JournalStore::open(dir.path()).unwrap();
    assert_eq!(
        store.contact_corrections("delta").unwrap()[0].previous,
        logged
    );
    let trail: Vec<String> = store
        .journal_entries()
        .unwrap()
        .into_iter()
        .map(|e| e.description)
        .collect();
    let last_two = &trail[trail.len() - 2..];
    assert!(
        last_two[0].starts_with("logged outbound phone contact with delta"),
        "{trail:?}"
    );
    assert_eq!(
        last_two[1],
        "corrected the outbound phone contact with delta of 2026-11-22T10:00:00Z: \
         outcome neutral → negative; note \"called about the quote\" → \"called about the \
         quote: too dear\"; follow-up 2026-11-25 → 2026-11-27"
    );
}

/// Ctrl-U in a field of many lines (the contacts, one a line) takes the line the cursor is
/// on, not every contact the customer has.
#[test]
fn ctrl_u_in_the_contacts_takes_one_line_not_every_contact() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(&mut app, &mut book, "/acme<Enter>e");
    while app.form.as_ref().unwrap().focused().unwrap().name != "contacts" {
        keys(&mut app, &mut book, "<Tab>");
    }
    let before = app.form.as_ref().unwrap().text("contacts").to_string();
    assert!(before.contains("Li Wei"), "{before}");
    keys(&mut app, &mut book, "<Enter>Wang Fang; boss; +86 21 1234");
    keys(&mut app, &mut book, "<C-u>");
    assert_eq!(app.form.as_ref().unwrap().text("contacts"), before);
    keys(&mut app, &mut book, "<C-s>");
    assert!(app.form.is_none(), "saved");
    let contacts = book.customer("acme").unwrap().contacts;
    assert_eq!(contacts.len(), 1);
    assert_eq!(contacts[0].name, "Li Wei");
    assert_eq!(contacts[0].phone, "+86 10 5555 0101");
}

/// Saving a correction leaves the card's cursor on the corrected contact, though the
/// correction put a follow-up on the card above it (one more item before the contact).
#[test]
fn a_saved_correction_keeps_the_cursor_on_the_corrected_contact() {
    use crm::tui::app::Item;
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    keys(
        &mut app,
        &mut book,
        "/delta<Enter>lcalled about the quote<C-s>",
    );
    let tasks = app.card.as_ref().unwrap().card.open_tasks.len();
    // The last item is the contact (delta has no cycles); the correction adds a follow-up.
    keys(&mut app, &mut book, "Gc<Tab>+5<C-s>");
    assert!(app.form.is_none(), "saved: {:?}", app.form);
    let card = app.card.as_ref().unwrap();
    assert_eq!(card.card.open_tasks.len(), tasks + 1, "a follow-up was put");
    match card.current() {
        Some(Item::Contact(i)) => {
            let contact = &card.card.recent_interactions[i];
            assert_eq!(contact.note, "called about the quote");
            assert!(contact.follow_up.is_some(), "{contact:?}");
        }
        other => panic!("the cursor is on {other:?}, not the corrected contact"),
    }
}

/// The duplicate warning compares names as people spell them: without the full stop of
/// "Co.", in other case, with a hyphen for a space.
#[test]
fn a_duplicate_name_is_caught_however_it_is_punctuated() {
    let (_dir, mut book) = fixture();
    let mut app = new_app(&mut book, Theme::mono());
    for typed in ["acme trading co", "ACME-Trading Co"] {
        keys(&mut app, &mut book, &format!("a{typed}<C-s>"));
        let prompt = app
            .confirm
            .as_ref()
            .unwrap_or_else(|| panic!("{typed:?} added without a question"))
            .prompt
            .clone();
        assert_eq!(
            prompt,
            "A customer with this name exists: Acme Trading Co. (acme). Add this customer anyway? (y/n)"
        );
        keys(&mut app, &mut book, "n<Esc>y");
        assert!(app.form.is_none(), "{typed}");
    }
    assert_eq!(app.list.total(), 4, "nothing added");
}
