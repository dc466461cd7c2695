//! The two jobs the console is opened for, end to end in a pseudo-terminal on the real
//! binary (issue 14): the morning (the agenda, mine, in sections with honest counts) and the
//! call (find, the card's first screen, an inbound call logged in a few keys), plus what
//! keeps typed work safe (a draft offered back after a killed terminal, undo, questions
//! before a one-key accident).

#[path = "common/pty.rs"]
mod pty;

use std::path::{Path, PathBuf};

use pty::*;

/// A book as of 2026-11-22 (a later contact closes the follow-ups before it, so one each):
/// alice's Acme and Baker have a follow-up due that day, her Carter one three days late,
/// her Dunn one in four days; bob's Delta one due that day. Returns the temporary root and
/// the data dir.
fn morning_book() -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("book");
    std::fs::write(config_of(&data), "").unwrap();
    let contact = |at: &str, note: &str, follow_up: &str| {
        serde_json::json!({
            "at": at, "channel": "phone", "direction": "outbound", "purpose": "follow_up",
            "outcome": "positive", "note": note, "follow_up": follow_up, "author": "alice"
        })
    };
    let customer =
        |id: &str, name: &str, owner: &str, phone: &str, contacts: Vec<serde_json::Value>| {
            serde_json::json!({
                "id": id, "name": name, "kind": "organization", "segment": "trade",
                "owner": owner, "created": "2025-01-10",
                "contacts": [{"name": "Li Wei", "role": "buyer", "phone": phone, "email": ""}],
                "orders": [{"date": "2026-06-02", "amount": 12000, "margin": 3600}],
                "interactions": contacts
            })
        };
    let book = serde_json::json!({
        "format": "crm-book/1",
        "customers": [
            customer("acme", "Acme Trading", "alice", "+86 10 5555 0101", vec![
                contact("2026-11-10T09:00:00Z", "asked for samples", "2026-11-22"),
            ]),
            customer("baker", "Baker Foods", "alice", "+86 21 6666 0202", vec![
                contact("2026-11-15T09:00:00Z", "wants a quote", "2026-11-22"),
            ]),
            customer("carter", "Carter Steel", "alice", "+86 22 8888 0404", vec![
                contact("2026-11-01T09:00:00Z", "sent the price list", "2026-11-19"),
            ]),
            customer("dunn", "Dunn Paper", "alice", "+86 23 9999 0505", vec![
                contact("2026-11-20T09:00:00Z", "samples shipped", "2026-11-26"),
            ]),
            customer("delta", "Delta Logistics", "bob", "+86 20 7777 0303", vec![
                contact("2026-11-15T09:00:00Z", "bob's customer", "2026-11-22"),
            ]),
        ]
    });
    let file = root.path().join("book.json");
    std::fs::write(&file, serde_json::to_string(&book).unwrap()).unwrap();
    crm(&data, &["import", file.to_str().unwrap()]);
    (root, data)
}

/// The one draft file kept for alice under the state dir of `data`'s console
/// (`crm/book-HASH/drafts/alice.json`, HASH naming the book).
fn draft_of(data: &Path) -> PathBuf {
    let books: Vec<PathBuf> = std::fs::read_dir(state_of(data).join("crm"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("drafts/alice.json").exists())
        .collect();
    assert_eq!(books.len(), 1, "{books:?}");
    books[0].join("drafts/alice.json")
}

fn open_as_of(data: &Path, cols: u16, rows: u16) -> Session {
    Session::open_with(data, cols, rows, "C.UTF-8", &["--as-of", "2026-11-22"])
}

#[test]
fn the_morning_shows_my_follow_ups_due_today_with_honest_counts() {
    let (_root, data) = morning_book();
    let mut s = open_as_of(&data, 80, 24);
    s.wait_for("Book ·");
    s.send("2");
    // Mine: two due today (Acme, Baker), one late, one this week; bob's Delta is not mine.
    s.wait_for("Mine (alice) · 1 overdue · 2 today · 1 this week");
    s.wait_for("Today · 2");
    s.wait_for("asked for samples");
    s.wait_for("wants a quote");
    assert!(!s.screen().contains("Delta Logistics"), "{}", s.screen());
    // Everyone's: Delta's follow-up joins today.
    s.send("o");
    s.wait_for("Today · 3");
    s.wait_for("Delta Logistics");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn the_call_first_card_screen_holds_the_phone_and_an_inbound_call_takes_five_keys() {
    let (_root, data) = morning_book();
    let mut s = open_as_of(&data, 80, 24);
    s.wait_for("Book ·");
    // Control keys: "/", Enter, "l", Ctrl-D, Ctrl-S; the rest is the query and the note.
    s.send("/");
    s.wait_for("find a customer");
    s.send("baker");
    s.wait_for("Baker Foods");
    s.send("\r");
    // The card's first screen at 80x24: who to call, their phone, what was said last.
    s.wait_for("Talk to Li Wei, buyer · +86 21 6666 0202");
    s.wait_for("Last contact 2026-11-15");
    s.wait_for("wants a quote");
    s.send("l");
    s.wait_for("Log a contact");
    s.send("\x04");
    s.send("called in for the quote");
    s.wait_for("called in for the quote");
    s.send("\x13");
    s.wait_for("contact logged");
    // Back on the card, the call on top of it as the last contact.
    s.wait_for("phone, inbound → neutral");
    s.send("q");
    s.wait_for("Book ·");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let export: serde_json::Value =
        serde_json::from_str(&crm(&data, &["export", "--format", "json"])).unwrap();
    let baker = export["customers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "baker")
        .unwrap();
    let last = baker["interactions"].as_array().unwrap().last().unwrap();
    assert_eq!(last["direction"], "inbound");
    assert_eq!(last["note"], "called in for the quote");
}

#[test]
fn done_asks_first_and_a_tiny_terminal_takes_no_key() {
    let (_root, data) = morning_book();
    let mut s = open_as_of(&data, 80, 24);
    s.wait_for("Book ·");
    s.send("2");
    s.wait_for("Overdue · 1");
    // The first row is Carter's late follow-up: d asks, n keeps it.
    s.send("d");
    s.wait_for("Mark \"Follow up: sent the price list\" done? (y/n)");
    s.send("n");
    s.send("d");
    s.wait_for("done? (y/n)");
    s.send("y");
    s.wait_for("task done");
    s.wait_for("Overdue · 0");
    // At 40x12 only the notice is shown: d does nothing, q still quits.
    s.resize(12, 40);
    s.wait_for("too small");
    s.send("d");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let agenda = crm(&data, &["agenda", "--json", "--as-of", "2026-11-22"]);
    let agenda: serde_json::Value = serde_json::from_str(&agenda).unwrap();
    assert_eq!(
        agenda["today_total"], 3,
        "the tiny screen's d marked nothing"
    );
}

#[test]
fn a_killed_terminal_mid_form_gets_its_draft_offered_back() {
    let (_root, data) = morning_book();
    let mut s = open_as_of(&data, 80, 24);
    s.wait_for("Book ·");
    s.send("/");
    s.wait_for("find a customer");
    s.send("acme");
    s.wait_for("Acme Trading");
    s.send("\r");
    s.wait_for("Talk to Li Wei");
    s.send("l");
    s.wait_for("Log a contact");
    s.send("they want 40 pallets");
    s.wait_for("they want 40 pallets");
    // The draft is on disk once the text is on screen (kept before the frame is drawn).
    let draft = draft_of(&data);
    let kept = std::fs::read_to_string(&draft).unwrap();
    assert!(kept.contains("they want 40 pallets"), "{kept}");
    // The terminal goes away without a word: SIGKILL.
    s.signal(libc::SIGKILL);
    s.wait_exit();
    drop(s);
    let mut s = open_as_of(&data, 80, 24);
    s.wait_for("A form was left open when the console ended: Log a contact: Acme Trading.");
    s.send("y");
    s.wait_for("draft restored");
    s.wait_for("they want 40 pallets");
    s.send("\x13");
    s.wait_for("contact logged");
    // The form was restored over the book's list (no card was open at the start), so it
    // returns there, and one `q` ends the console. (A second `q` raced the exit: the
    // list seen before it went away could satisfy a wait sent after it.)
    s.wait_for("Book ·");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    assert!(!draft.exists());
    let export = crm(&data, &["export", "--format", "json"]);
    assert!(export.contains("they want 40 pallets"));
}

#[test]
fn undo_takes_back_a_logged_contact() {
    let (_root, data) = morning_book();
    let mut s = open_as_of(&data, 80, 24);
    s.wait_for("Book ·");
    s.send("/");
    s.wait_for("find a customer");
    s.send("baker");
    s.wait_for("Baker Foods");
    s.send("\r");
    s.wait_for("Talk to Li Wei");
    s.send("l");
    s.wait_for("Log a contact");
    s.send("logged by mistake");
    s.send("\x13");
    s.wait_for("contact logged");
    s.send("U");
    s.wait_for("Take back the contact logged with baker");
    s.send("y");
    s.wait_for("contact taken back");
    s.wait_for("Last contact 2026-11-15");
    s.send("q");
    s.wait_for("Book ·");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let export = crm(&data, &["export", "--format", "json"]);
    assert!(!export.contains("logged by mistake"), "{export}");
    // The follow-up the call had closed is open again: still due today.
    let agenda = crm(&data, &["agenda", "--json", "--as-of", "2026-11-22"]);
    assert!(agenda.contains("wants a quote"), "{agenda}");
}

/// Correcting a logged contact in the real binary: `c` on the contact opens the log form
/// filled with it, Ctrl-S records the correction, the card says it was corrected and `v`
/// shows what it said before; the export has the corrected contact once, the audit trail
/// both the log and the correction.
#[test]
fn a_logged_contact_is_corrected_and_keeps_its_old_version() {
    let (_root, data) = morning_book();
    let mut s = open_as_of(&data, 80, 24);
    s.wait_for("Book ·");
    s.send("/");
    s.wait_for("find a customer");
    s.send("baker");
    s.wait_for("Baker Foods");
    s.send("\r");
    s.wait_for("Talk to Li Wei");
    s.send("l");
    s.wait_for("Log a contact");
    s.send("asked for prices by mistake");
    s.send("\x13");
    s.wait_for("contact logged");
    // The last item is the oldest contact; one up, the one just logged.
    s.send("Gk");
    s.wait_for(">2026-11-22 phone outbound");
    s.send("c");
    s.wait_for("Correct the contact of 2026-11-22");
    s.wait_for("asked for prices by mistake");
    // Ctrl-U empties the note; the corrected note; Ctrl-S.
    s.send("\x15");
    s.send("asked for the delivery dates");
    s.send("\x13");
    s.wait_for("contact corrected");
    s.send("Gk");
    s.wait_for("v: earlier versions");
    s.send("v");
    s.wait_for("before the correction of");
    s.wait_for("asked for prices by mistake");
    s.send("q");
    s.wait_for("Book ·");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    // The export holds the contact once, corrected, and the correction with its old version.
    let export = crm(&data, &["export", "--format", "json"]);
    let book: serde_json::Value = serde_json::from_str(&export).unwrap();
    let baker = book["customers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "baker")
        .unwrap();
    let notes: Vec<&str> = baker["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["note"].as_str())
        .filter(|n| n.starts_with("asked for"))
        .collect();
    assert_eq!(notes, ["asked for the delivery dates"], "{export}");
    let corrections = baker["corrections"].as_array().unwrap();
    assert_eq!(corrections.len(), 1, "{export}");
    assert_eq!(
        corrections[0]["previous"]["note"],
        "asked for prices by mistake"
    );
    assert_eq!(
        corrections[0]["corrected"]["note"],
        "asked for the delivery dates"
    );
    let audit = crm(&data, &["audit", "--customer", "baker", "--json"]);
    assert!(audit.contains("\"kind\": \"contact\""), "{audit}");
    assert!(audit.contains("\"kind\": \"contact_corrected\""), "{audit}");
    assert!(
        audit.contains(
            "note \\\"asked for prices by mistake\\\" → \\\"asked for the delivery dates\\\""
        ),
        "{audit}"
    );
}

/// Pickers in the real binary: the owner picked from its list (typed to filter, Enter), a
/// PDCA cycle's scope picked in words (a segment of the book), both saved as picked.
#[test]
fn an_owner_and_a_scope_are_picked_from_their_lists() {
    let (_root, data) = morning_book();
    let mut s = open_as_of(&data, 80, 24);
    s.wait_for("Book ·");
    s.send("/");
    s.wait_for("find a customer");
    s.send("acme");
    s.wait_for("Acme Trading");
    s.send("\r");
    s.wait_for("Talk to Li Wei");
    s.send("e");
    s.wait_for("Edit: Acme Trading");
    s.wait_for("alice (you) ▾");
    // Three fields down, the owner: typing opens its list, filtered.
    s.send("\t\t\tbo");
    s.wait_for("› bo");
    s.wait_for("> bob");
    s.send("\r");
    s.wait_for("bob ▾");
    s.send("\x13");
    s.wait_for("profile saved");
    // A new cycle from the card starts scoped to the customer, in words.
    s.send("N");
    s.wait_for("Customer Acme Trading (acme) ▾");
    s.send("Trade push\t\r");
    s.wait_for("Owner bob's book");
    s.send("segm");
    s.wait_for("> Segment trade");
    s.send("\r");
    s.wait_for("Segment trade ▾");
    s.send("\x13");
    s.wait_for("planned cycle 1");
    // The cycle's page, then the card, then the book.
    s.send("q");
    s.wait_for("Talk to Li Wei");
    s.send("q");
    s.wait_for("Book ·");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let shown = crm(&data, &["show", "acme"]);
    assert!(shown.contains("bob"), "{shown}");
    let export = crm(&data, &["export", "--format", "json"]);
    let book: serde_json::Value = serde_json::from_str(&export).unwrap();
    let acme = book["customers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "acme")
        .unwrap();
    assert_eq!(acme["owner"], "bob");
    let cycles = crm(&data, &["pdca", "list", "--json"]);
    let cycles: serde_json::Value = serde_json::from_str(&cycles).unwrap();
    let cycle = &cycles[0];
    assert_eq!(cycle["title"], "Trade push");
    assert_eq!(
        cycle["scope"],
        serde_json::json!({"segment": "trade"}),
        "{cycle}"
    );
}

/// A draft belongs to the book it was typed in: another book (its ids name other customers)
/// does not offer it, and leaves it for its own book, which still does.
#[test]
fn a_draft_is_offered_back_by_its_own_book_only() {
    let (_root, data) = morning_book();
    let (_other_root, other) = morning_book();
    let mut s = open_as_of(&data, 80, 24);
    s.wait_for("Book ·");
    s.send("/");
    s.wait_for("find a customer");
    s.send("acme");
    s.wait_for("Acme Trading");
    s.send("\r");
    s.wait_for("Talk to Li Wei");
    s.send("l");
    s.wait_for("Log a contact");
    s.send("typed in the first book");
    s.wait_for("typed in the first book");
    s.signal(libc::SIGKILL);
    s.wait_exit();
    drop(s);
    // The same user (the same state dir) opens the other book: nothing is offered, and
    // working in it (a form opened and cancelled) leaves the first book's draft alone.
    let mut cmd = console_command(&other, "C.UTF-8", &["--as-of", "2026-11-22"]);
    cmd.env("XDG_STATE_HOME", state_of(&data));
    let mut s = Session::spawn(cmd, 80, 24);
    s.wait_for("Book ·");
    s.send("2");
    s.wait_for("Mine (alice)");
    assert!(
        !s.screen().contains("A form was left open"),
        "{}",
        s.screen()
    );
    s.send("l");
    s.wait_for("Log a contact");
    s.send("\x1b");
    s.wait_for("Mine (alice)");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let draft = draft_of(&data);
    assert!(std::fs::read_to_string(&draft)
        .unwrap()
        .contains("typed in the first book"));
    // Its own book offers it back.
    let mut s = open_as_of(&data, 80, 24);
    s.wait_for("A form was left open when the console ended: Log a contact: Acme Trading.");
    s.send("y");
    s.wait_for("typed in the first book");
    s.send("\x13");
    s.wait_for("contact logged");
    s.wait_for("Book ·");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    assert!(!draft.exists());
    let export = crm(&data, &["export", "--format", "json"]);
    assert!(export.contains("typed in the first book"));
    let other_export = crm(&other, &["export", "--format", "json"]);
    assert!(!other_export.contains("typed in the first book"));
}
