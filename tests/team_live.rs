//! Several consoles on one book, in pseudo-terminals: the first serves it, the second is
//! its client; a contact logged in one appears in the other without a key press; when the
//! serving console quits, the other says so and serves the book itself. Every wait is a
//! bounded poll for expected text (30 s), never a fixed sleep.

#[path = "common/pty.rs"]
mod pty;

use std::time::{Duration, Instant};

use pty::*;

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < WAIT, "waited for {what}");
        std::thread::sleep(Duration::from_millis(30));
    }
}

fn open_card(s: &mut Session, fragment: &str, name: &str) {
    s.send("/");
    s.wait_for("find a customer");
    s.send(fragment);
    s.wait_for("found");
    s.send("\r");
    s.wait_for(&format!("{name} ·"));
}

#[test]
fn a_contact_logged_in_one_console_appears_in_the_other() {
    let (_root, data) = demo_book();
    let (fragment, name) = target(
        &data,
        |n| n.is_ascii() && n.len() > 8,
        |n| {
            n.chars()
                .take(n.chars().count() - 2)
                .collect::<String>()
                .to_lowercase()
        },
    );
    let mut first = Session::open(&data, 120, 40);
    first.wait_for("Book ·");
    // The first console owns the book and serves it.
    wait_until("the first console's socket", || {
        data.join("crm.sock").exists()
    });
    let mut second = Session::open(&data, 120, 40);
    second.wait_for("Book ·");
    open_card(&mut first, &fragment, &name);
    open_card(&mut second, &fragment, &name);
    first.send("l");
    first.wait_for("Log a contact");
    first.send("pushed across consoles");
    first.send("\x13");
    first.wait_for("contact logged");
    // No key is pressed in the second console: the server's push redraws it.
    second.wait_for("pushed across consoles");
    // And the other way round, served by the first.
    second.send("l");
    second.wait_for("Log a contact");
    second.send("and back again");
    second.send("\x13");
    second.wait_for("contact logged");
    first.wait_for("and back again");
    second.send("\x1b");
    second.wait_for("Book ·");
    second.send("q");
    assert_eq!(second.wait_exit(), 0);
    first.send("\x1b");
    first.wait_for("Book ·");
    first.send("q");
    assert_eq!(first.wait_exit(), 0);
    wait_until("the socket removed", || !data.join("crm.sock").exists());
}

#[test]
fn when_the_serving_console_quits_the_other_serves_the_book() {
    let (_root, data) = demo_book();
    let mut first = Session::open(&data, 100, 30);
    first.wait_for("Book ·");
    wait_until("the first console's socket", || {
        data.join("crm.sock").exists()
    });
    let mut second = Session::open(&data, 100, 30);
    second.wait_for("Book ·");
    first.send("q");
    assert_eq!(first.wait_exit(), 0);
    // Said in one line, then the second console takes the book over.
    second.wait_for("serves the book now");
    // A command is its client now.
    let listed = crm(&data, &["list", "--json"]);
    let lines: serde_json::Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(lines.as_array().unwrap().len(), 200);
    second.send("q");
    assert_eq!(second.wait_exit(), 0);
}
