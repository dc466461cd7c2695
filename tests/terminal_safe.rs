//! Terminal-safe output (issue 11, item 7): escape sequences and control characters in the
//! book's data reach no terminal raw. Every text command and error message shows them
//! escaped (`\x1b`, `\t`, `\n`, `\u{9b}`); `--json` keeps the data exact; `find`'s
//! tab-separated lines keep one customer per line and two fields per line.

use std::path::Path;
use std::process::{Command, Output};

mod common;

use crm::domain::model::{Account, BookData};
use crm::tui::Theme;

/// A title change (OSC 0 … BEL), a screen clear (CSI 2J), a clipboard write (OSC 52), a
/// tab, a newline, DEL and a C1 CSI (U+009B) starting a colour change.
const NASTY: &str = "Evil\x1b]0;pwned\x07 \x1b[2J Co\x1b]52;c;aGk=\x07\tTab\nLine\x7f\u{9b}31m";
/// NASTY as every text output must show it.
const SHOWN: &str = r"Evil\x1b]0;pwned\x07 \x1b[2J Co\x1b]52;c;aGk=\x07\tTab\nLine\x7f\u{9b}31m";

fn book_json() -> String {
    let name = serde_json::to_string(NASTY).unwrap();
    let note = serde_json::to_string("call back\x1b[2J\x1b]0;x\x07 soon").unwrap();
    let owner = serde_json::to_string("bob\x1b[31m").unwrap();
    format!(
        r#"{{
  "format": "crm-book/1",
  "users": [{{"login": "alice", "name": "Alice Chen", "role": "rep"}}],
  "customers": [{{
    "id": "evil", "name": {name}, "kind": "organization", "owner": "alice",
    "created": "2023-01-15", "category_spend": 250000,
    "orders": [{{"date": "2026-05-02", "amount": 12000, "margin": 3600}}],
    "interactions": [{{"at": "2026-05-10T09:30:00Z", "channel": "phone",
                      "direction": "outbound", "purpose": "follow_up", "outcome": "positive",
                      "satisfaction": 4, "signals": [], "note": {note},
                      "follow_up": "2026-11-01", "author": "alice"}}]
  }}, {{
    "id": "plain", "name": "Plain Trading", "kind": "organization", "owner": {owner},
    "created": "2024-02-01",
    "orders": [{{"date": "2026-06-02", "amount": 5000, "margin": 1000}}]
  }}, {{
    "id": "slash", "name": "Slash\\tName", "kind": "person", "owner": "alice",
    "created": "2024-02-01"
  }}],
  "pdca": []
}}"#
    )
}

fn crm(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crm"))
        .arg("--data")
        .arg(dir)
        .args(["--as-of", "2026-11-22", "--user", "alice"])
        .args(args)
        .env_remove("CRM_CONFIG")
        .env_remove("CRM_DATA")
        .output()
        .expect("run crm")
}

fn ok(args: &[&str], output: Output) -> String {
    assert!(
        output.status.success(),
        "{args:?}: exit {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_safe(args, "stderr", &output.stderr, false);
    String::from_utf8(output.stdout).unwrap()
}

/// No control character but line breaks (and tabs where `tabs` allows them).
fn assert_safe(what: &[&str], stream: &str, bytes: &[u8], tabs: bool) {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| c.is_control() && c != '\n' && !(tabs && c == '\t'))
        .collect();
    assert!(
        bad.is_empty(),
        "{what:?} wrote {bad:?} raw to {stream}:\n{text}"
    );
}

fn imported() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("book");
    let file = dir.path().join("book.json");
    std::fs::write(&file, book_json()).unwrap();
    let args = ["import", file.to_str().unwrap()];
    ok(&args, crm(&data, &args));
    (dir, data)
}

/// Runs a text command; its stdout, checked to hold no raw control character.
fn text(data: &Path, args: &[&str]) -> String {
    let out = ok(args, crm(data, args));
    assert_safe(args, "stdout", out.as_bytes(), false);
    out
}

#[test]
fn find_and_list_print_one_line_per_customer_with_fixed_fields() {
    let (_dir, data) = imported();
    let args = ["find", "evil"];
    let out = ok(&args, crm(&data, &args));
    assert_safe(&args, "stdout", out.as_bytes(), true);
    assert_eq!(out, format!("evil\t{SHOWN}\n"));
    let fields: Vec<&str> = out.trim_end_matches('\n').split('\t').collect();
    assert_eq!(fields.len(), 2, "{out}");
    let args = ["list"];
    let list = ok(&args, crm(&data, &args));
    assert_safe(&args, "stdout", list.as_bytes(), true);
    let evil = list
        .lines()
        .find(|l| l.starts_with("evil\t"))
        .expect("evil listed");
    assert!(evil.ends_with(&format!("\t{SHOWN}")), "{list}");
    assert_eq!(evil.split('\t').count(), 4, "{list}");
    assert_eq!(list.lines().count(), 3, "{list}");
    // A backslash of the data is doubled, so it never reads as an escaped tab.
    let args = ["find", "slash"];
    assert_eq!(ok(&args, crm(&data, &args)), "slash\tSlash\\\\tName\n");
}

#[test]
fn json_keeps_the_data_exact() {
    let (_dir, data) = imported();
    let args = ["find", "evil", "--json"];
    let hits: serde_json::Value = serde_json::from_str(&ok(&args, crm(&data, &args))).unwrap();
    assert_eq!(hits[0]["name"], NASTY);
    let args = ["show", "evil", "--json"];
    let card: serde_json::Value = serde_json::from_str(&ok(&args, crm(&data, &args))).unwrap();
    assert_eq!(card["name"], NASTY);
}

#[test]
fn show_agenda_and_portfolio_show_the_escapes() {
    let (_dir, data) = imported();
    let card = text(&data, &["show", "evil"]);
    assert!(
        card.starts_with(&format!("{SHOWN} (evil)  owner alice")),
        "{card}"
    );
    assert!(
        card.contains(r"call back\x1b[2J\x1b]0;x\x07 soon"),
        "{card}"
    );

    let agenda = text(&data, &["agenda"]);
    assert!(agenda.contains(&format!("{SHOWN} (evil)")), "{agenda}");
    assert!(
        agenda.contains(r"Follow up: call back\x1b[2J\x1b]0;x\x07 soon"),
        "{agenda}"
    );

    let portfolio = text(&data, &["portfolio"]);
    assert!(portfolio.contains(r"bob\x1b[31m"), "{portfolio}");
}

#[test]
fn pdca_list_and_show_show_the_escapes() {
    let (_dir, data) = imported();
    let title = "Fewer\x1b]0;t\x07 declines\nnow";
    let planned = text(
        &data,
        &[
            "pdca",
            "new",
            "--title",
            title,
            "--scope",
            "customer:evil",
            "--metric",
            "decline_count",
            "--direction",
            "lower",
            "--notes",
            "first\x1b[2J\nsecond\u{9b}",
            "--action",
            "call\tthem\x07",
        ],
    );
    assert!(
        planned.starts_with("planned cycle 1 (customer:evil)"),
        "{planned}"
    );
    let shown_title = r"Fewer\x1b]0;t\x07 declines\nnow";
    let list = text(&data, &["pdca", "list"]);
    assert!(list.trim_end().ends_with(shown_title), "{list}");
    let show = text(&data, &["pdca", "show", "1"]);
    assert!(
        show.starts_with(&format!("Cycle 1  {shown_title}  [plan]")),
        "{show}"
    );
    assert!(show.contains("Plan       first\\x1b[2J\n"), "{show}");
    assert!(show.contains("           second\\u{9b}\n"), "{show}");
    assert!(show.contains(r"1. [ ] call\tthem\x07"), "{show}");
}

#[test]
fn error_messages_show_the_escapes_on_one_line() {
    let (dir, data) = imported();
    let out = crm(&data, &["show", "nobody\x1b[2J\x1b]0;t\x07"]);
    assert_eq!(out.status.code(), Some(1));
    assert_safe(&["show"], "stderr", &out.stderr, false);
    let message = String::from_utf8(out.stderr).unwrap();
    assert!(message.contains(r"nobody\x1b[2J\x1b]0;t\x07"), "{message}");
    assert_eq!(message.lines().count(), 1, "{message}");

    let csv = dir.path().join("dup.csv");
    std::fs::write(&csv, "id,name\nx\x1b[2Jy,A\nx\x1b[2Jy,B\n").unwrap();
    let out = crm(&data, &["import", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_safe(&["import"], "stderr", &out.stderr, false);
    let message = String::from_utf8(out.stderr).unwrap();
    assert!(message.contains(r"'x\x1b[2Jy'"), "{message}");
    assert!(message.contains("dup.csv:3"), "{message}");
}

/// The console draws the escapes too (ratatui would drop a control character silently,
/// leaving the rest of the sequence as if it were part of the name).
#[test]
fn the_console_shows_the_escapes_in_the_list_and_on_the_card() {
    let mut evil = common::customer("evil", NASTY, "alice");
    evil.contacts[0].name = "Li\x1b[2JWei".into();
    let (_dir, mut book) = common::book_of(BookData {
        users: vec![],
        accounts: vec![Account::new(evil)],
        cycles: vec![],
    });
    let mut app = common::new_app(&mut book, Theme::mono());
    let screens = [common::screen(&app, 200, 30), {
        common::keys(&mut app, &mut book, "<Enter>");
        common::screen(&app, 200, 30)
    }];
    for (i, buffer) in screens.iter().enumerate() {
        let raw: Vec<&str> = buffer
            .content
            .iter()
            .map(|cell| cell.symbol())
            .filter(|symbol| symbol.contains(char::is_control))
            .collect();
        assert!(raw.is_empty(), "screen {i} holds {raw:?}");
        let text = common::dump(buffer);
        // Tab and line break become spaces on one line; the rest is escaped.
        let shown = r"Evil\x1b]0;pwned\x07 \x1b[2J Co\x1b]52;c;aGk=\x07 Tab Line\x7f\u{9b}31m";
        assert!(text.contains(shown), "screen {i}:\n{text}");
    }
    assert!(common::dump(&screens[1]).contains(r"Li\x1b[2JWei"));
}
