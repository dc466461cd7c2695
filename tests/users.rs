//! `crm user add|list|set` and `crm audit` end to end: what they print, their exit codes
//! and JSON, and the change history on the card (`crm show`). The test runs as the account
//! that owns its temporary data dir, so it is the book's admin (docs/team.md, "Users and
//! roles"); `--user` names it in the journal.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};

/// Runs crm on `dir`, naming `user` with the global `--user` when given.
fn crm_as(dir: &Path, user: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_crm"));
    command
        .arg("--data")
        .arg(dir)
        .args(["--as-of", "2026-11-22"])
        .env_remove("CRM_CONFIG")
        .env_remove("CRM_USER")
        .env("USER", "owner")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C");
    if let Some(user) = user {
        command.args(["--user", user]);
    }
    command.args(args).output().expect("run crm")
}

fn crm(dir: &Path, args: &[&str]) -> Output {
    crm_as(dir, Some("alice"), args)
}

fn ok(output: Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Exit `code` with one line on stderr, equal to `line` when given.
fn fails(output: Output, code: i32, line: Option<&str>) {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(code), "stderr: {stderr}");
    if let Some(line) = line {
        assert_eq!(stderr, format!("crm: {line}\n"));
    }
}

fn json_of(output: Output) -> Value {
    serde_json::from_str(&ok(output)).unwrap()
}

#[test]
fn user_add_list_and_set_with_their_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    assert_eq!(
        ok(crm(
            dir,
            &[
                "user",
                "add",
                "bob",
                "--name",
                "Bob Martin",
                "--role",
                "rep",
                "--team",
                "east"
            ]
        )),
        "added user bob (Bob Martin): rep, team east\n"
    );
    ok(crm(
        dir,
        &[
            "user", "add", "mia", "--name", "Mia", "--role", "manager", "--team", "east",
        ],
    ));
    // Refused and invalid: exit 1, one line; the book unchanged.
    fails(
        crm(
            dir,
            &["user", "add", "bob", "--name", "B", "--role", "admin"],
        ),
        1,
        Some("'bob' is a user already; change them with: crm user set bob"),
    );
    fails(
        crm(dir, &["user", "add", "b b", "--name", "B", "--role", "rep"]),
        1,
        None,
    );
    fails(
        crm(dir, &["user", "set", "ghost", "--role", "rep"]),
        1,
        Some("'ghost' is not a user of this book (crm user list)"),
    );
    // Usage errors: exit 2.
    fails(
        crm(dir, &["user", "add", "x", "--name", "X", "--role", "boss"]),
        2,
        None,
    );
    fails(crm(dir, &["user", "add", "x", "--role", "rep"]), 2, None);
    fails(crm(dir, &["user", "set", "bob"]), 2, None);
    assert_eq!(
        ok(crm(
            dir,
            &["user", "set", "bob", "--role", "manager", "--team", ""]
        )),
        "changed user bob (Bob Martin): manager, no team\n"
    );
    assert_eq!(
        json_of(crm(dir, &["user", "list", "--json"])),
        json!([
            {"login": "bob", "name": "Bob Martin", "role": "manager", "team": null},
            {"login": "mia", "name": "Mia", "role": "manager", "team": "east"},
        ])
    );
    assert_eq!(
        ok(crm(dir, &["user", "list"])),
        "bob\tBob Martin\tmanager\t-\nmia\tMia\tmanager\teast\n"
    );
    // The book's JSON carries a team where there is one.
    let export = json_of(crm(dir, &["export"]));
    assert_eq!(
        export["users"],
        json!([
            {"login": "bob", "name": "Bob Martin", "role": "manager"},
            {"login": "mia", "name": "Mia", "role": "manager", "team": "east"},
        ])
    );
    // Every change above is in the journal under the login that made it.
    let audit = json_of(crm_as(dir, None, &["audit", "--json"]));
    let lines: Vec<(u64, &str, &str, &str)> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["seq"].as_u64().unwrap(),
                e["user"].as_str().unwrap(),
                e["kind"].as_str().unwrap(),
                e["login"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (1, "alice", "user", "bob"),
            (2, "alice", "user", "mia"),
            (3, "alice", "user", "bob"),
        ]
    );
}

const BOOK: &str = r#"{
  "format": "crm-book/1",
  "users": [{"login": "alice", "name": "Alice", "role": "rep", "team": "east"},
            {"login": "bob", "name": "Bob", "role": "rep", "team": "west"}],
  "customers": [
    {"id": "acme", "name": "Acme Trading", "kind": "organization", "owner": "alice", "created": "2024-01-10"},
    {"id": "bolt", "name": "Bolt Logistics", "kind": "organization", "owner": "bob", "created": "2024-01-10"}
  ]
}"#;

fn contact(dir: &Path, user: &str, id: &str) {
    ok(crm_as(
        dir,
        Some(user),
        &[
            "log",
            id,
            "--channel",
            "phone",
            "--direction",
            "outbound",
            "--outcome",
            "positive",
            "--at",
            "2026-11-21T10:00:00Z",
        ],
    ));
}

#[test]
fn audit_lists_who_changed_what_and_the_card_shows_its_history() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("book");
    std::fs::create_dir(&dir).unwrap();
    let file = tmp.path().join("book.json");
    std::fs::write(&file, BOOK).unwrap();
    ok(crm(&dir, &["import", file.to_str().unwrap()]));
    contact(&dir, "alice", "acme");
    contact(&dir, "bob", "bolt");

    // In `crm audit`, --user names whose changes to list: none here.
    let audit = |args: &[&str]| crm_as(&dir, None, args);
    let all = json_of(audit(&["audit", "--json"]));
    let summary = |value: &Value| -> Vec<(u64, String, String, Value)> {
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["seq"].as_u64().unwrap(),
                    e["user"].as_str().unwrap().to_string(),
                    e["kind"].as_str().unwrap().to_string(),
                    e["customers"].clone(),
                )
            })
            .collect()
    };
    let s = |text: &str| text.to_string();
    assert_eq!(
        summary(&all),
        [
            (1, s("alice"), s("import"), json!(["acme", "bolt"])),
            (2, s("alice"), s("contact"), json!(["acme"])),
            (3, s("bob"), s("contact"), json!(["bolt"])),
        ]
    );
    assert_eq!(
        all[1]["description"],
        "logged outbound phone contact with acme (positive)"
    );
    // By customer (an import narrowed to it), by user, since a date.
    assert_eq!(
        summary(&json_of(crm(
            &dir,
            &["audit", "--customer", "acme", "--json"]
        ))),
        [
            (1, s("alice"), s("import"), json!(["acme"])),
            (2, s("alice"), s("contact"), json!(["acme"])),
        ]
    );
    let bobs = json_of(crm_as(&dir, Some("bob"), &["audit", "--json"]));
    assert_eq!(
        summary(&bobs),
        [(3, s("bob"), s("contact"), json!(["bolt"]))]
    );
    let none = audit(&["audit", "--since", "2999-01-01"]);
    assert_eq!(
        String::from_utf8_lossy(&none.stderr),
        "crm: no changes match\n"
    );
    assert_eq!(ok(none), "");
    fails(audit(&["audit", "--since", "yesterday"]), 2, None);
    fails(
        audit(&["audit", "--customer", "nosuch"]),
        1,
        Some("no customer matches 'nosuch'"),
    );
    // Text: sequence, local time, login, what; one line each.
    let text = ok(audit(&["audit", "--customer", "acme"]));
    let fields: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(fields.len(), 2);
    assert_eq!(fields[1][0], "2");
    assert_eq!(
        fields[1][1].len(),
        "2026-11-21 10:00".len(),
        "{}",
        fields[1][1]
    );
    assert_eq!(
        fields[1][2..],
        [
            "alice",
            "logged outbound phone contact with acme (positive)"
        ]
    );

    // The card: its contract fields as they were, plus its history.
    let card = json_of(crm(&dir, &["show", "acme", "--json"]));
    assert_eq!(card["id"], "acme");
    assert_eq!(card["owner"], "alice");
    assert_eq!(
        summary(&card["history"]),
        summary(&json_of(crm(
            &dir,
            &["audit", "--customer", "acme", "--json"]
        )))
    );
    let shown = ok(crm(&dir, &["show", "acme"]));
    let history = shown.split("Changes (newest last)\n").nth(1).unwrap();
    let lines: Vec<&str> = history.lines().collect();
    assert_eq!(lines.len(), 2, "{history}");
    assert!(lines[0].ends_with("  alice  imported 2 customers, 2 users, 0 cycles"));
    assert!(lines[1].ends_with("  alice  logged outbound phone contact with acme (positive)"));
}

#[test]
fn a_team_in_a_book_file_is_checked_and_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("book");
    let file = tmp.path().join("b.json");
    let book = |team: &str| {
        format!(
            "{{\n  \"format\": \"crm-book/1\",\n  \"users\": [{{\"login\": \"alice\", \"name\": \"Alice\", \"role\": \"rep\", \"team\": \"{team}\"}}],\n  \"customers\": []\n}}\n"
        )
    };
    std::fs::write(&file, book("east coast")).unwrap();
    let refused = crm(&dir, &["import", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&refused.stderr).into_owned();
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "crm: {}:3: record users[0] 'alice': field 'team': ",
            file.display()
        )),
        "{stderr}"
    );
    assert!(!dir.exists(), "nothing written");
    std::fs::write(&file, book("east")).unwrap();
    ok(crm(&dir, &["import", file.to_str().unwrap()]));
    assert_eq!(
        json_of(crm(&dir, &["user", "list", "--json"])),
        json!([{"login": "alice", "name": "Alice", "role": "rep", "team": "east"}])
    );
}
