//! What a new user meets first: ids resolved like `find`, pipe-safe output, completions and
//! the man page without a config or a book, a mistyped data dir, the console without a
//! terminal, usage errors with exit 2, and `--json` on the commands that write.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_crm");

/// Three Acme-like customers, so "acme" alone is ambiguous; the phone and the e-mail of
/// `acme-trading` are unique, and so is the name "Bolt".
const BOOK: &str = r#"{
  "format": "crm-book/1",
  "users": [{"login": "alice", "name": "Alice Chen", "role": "rep"}],
  "customers": [
    {"id": "acme-trading", "name": "Acme Trading Co.", "kind": "organization", "owner": "alice",
     "created": "2024-01-15",
     "contacts": [{"name": "Li Wei", "role": "buyer", "phone": "+86 10 5555 0101", "email": "li.wei@acme.example"}],
     "interactions": [{"at": "2026-05-10T09:30:00Z", "channel": "phone", "direction": "outbound",
                       "purpose": "follow_up", "outcome": "positive", "note": "pricing",
                       "follow_up": "2026-06-01", "author": "alice"}]},
    {"id": "acme-tools", "name": "Acme Tools GmbH", "kind": "organization", "owner": "alice",
     "created": "2024-02-01"},
    {"id": "acme", "name": "Acme Holdings", "kind": "organization", "owner": "alice",
     "created": "2024-03-01"},
    {"id": "bolt", "name": "Bolt", "kind": "organization", "owner": "alice",
     "created": "2024-03-01"}
  ],
  "pdca": []
}"#;

struct Book {
    dir: tempfile::TempDir,
    data: PathBuf,
}

impl Book {
    fn new() -> Book {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("book");
        let file = dir.path().join("book.json");
        std::fs::write(&file, BOOK).unwrap();
        let book = Book { dir, data };
        let out = book.run(&["import", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        book
    }

    fn run(&self, args: &[&str]) -> Output {
        crm(&self.data, self.dir.path(), args)
    }
}

/// `crm --data DATA ARGS` in `home` (also its HOME, so no user config is read).
fn crm(data: &Path, home: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--data")
        .arg(data)
        .args(["--as-of", "2026-11-22", "--user", "alice"])
        .args(args)
        .current_dir(home)
        .env("HOME", home)
        .env_remove("CRM_CONFIG")
        .env_remove("CRM_DATA")
        .env_remove("CRM_AS_OF")
        .stdin(Stdio::null())
        .output()
        .expect("run crm")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Exit `code` with one line on stderr containing every needle, and nothing on stdout.
fn fails(out: &Output, code: i32, needles: &[&str]) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "stderr: {stderr}");
    if code == 1 {
        assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    }
    for needle in needles {
        assert!(stderr.contains(needle), "'{needle}' not in: {stderr}");
    }
    assert!(out.stdout.is_empty(), "stdout: {}", text(&out.stdout));
}

fn stdout_ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn show_and_log_resolve_like_find() {
    let book = Book::new();
    // The exact id wins, although "acme" is in three names.
    let card = stdout_ok(&book.run(&["show", "acme"]));
    assert!(card.starts_with("Acme Holdings (acme)"), "{card}");
    // Several customers hold every word: they are listed, best first, exit 1.
    fails(
        &book.run(&["show", "acme t"]),
        1,
        &[
            "'acme t' matches 2 customers",
            "(acme-trading)",
            "(acme-tools)",
        ],
    );
    // A phone number, a contact's name and a name resolve when they name one customer.
    for query in ["5555 0101", "li wei", "acme trading", "Acme Tools GmbH"] {
        let card = stdout_ok(&book.run(&["show", query]));
        assert!(card.contains("(acme-"), "{query}: {card}");
    }
    // A typo still finds the one customer `find` ranks, as `find` would.
    let hits = stdout_ok(&book.run(&["find", "bolr"]));
    assert!(hits.starts_with("bolt\t"), "{hits}");
    assert!(stdout_ok(&book.run(&["show", "bolr"])).starts_with("Bolt (bolt)"));
    fails(
        &book.run(&["show", "zzzz"]),
        1,
        &["no customer matches 'zzzz'"],
    );
    let out = stdout_ok(&book.run(&[
        "log",
        "5555 0101",
        "--channel",
        "phone",
        "--direction",
        "inbound",
        "--outcome",
        "neutral",
    ]));
    assert_eq!(
        out,
        "logged a contact with acme-trading; closed earlier follow-ups 1\n"
    );
}

#[test]
fn log_and_import_answer_in_json() {
    let book = Book::new();
    let out = stdout_ok(&book.run(&[
        "log",
        "acme-trading",
        "--channel",
        "email",
        "--direction",
        "outbound",
        "--outcome",
        "positive",
        "--follow-up",
        "2026-12-01",
        "--at",
        "2026-11-20T15:00:00Z",
        "--json",
    ]));
    let receipt: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(receipt["customer"], "acme-trading");
    assert_eq!(receipt["at"], "2026-11-20T15:00:00Z");
    // The imported follow-up is task 1: closed; the new one is task 2.
    assert_eq!(receipt["follow_up_task"], 2);
    assert_eq!(receipt["closed_tasks"], serde_json::json!([1]));

    let csv = book.dir.path().join("new.csv");
    std::fs::write(&csv, "name,phone\nCoda Foods,+1 555 0199\nDelta Ltd,\n").unwrap();
    let out = stdout_ok(&book.run(&["import", csv.to_str().unwrap(), "--json"]));
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["customers"], 2);
    assert_eq!(
        report["ids"],
        serde_json::json!(["coda-foods", "delta-ltd"])
    );
    assert_eq!(report["interactions"], 0);
}

#[test]
fn a_missing_task_is_named_with_its_customer() {
    let dir = tempfile::tempdir().unwrap();
    let data = crm::interchange::format_json::parse_json("book.json", BOOK).unwrap();
    let mut book = crm::book::Book::open(dir.path(), Default::default(), "alice").unwrap();
    book.import(data, false).unwrap();
    let date = "2026-11-22".parse().unwrap();
    let error = book
        .set_task_done("acme-trading", 9999, Some(date))
        .unwrap_err();
    assert_eq!(error.to_string(), "no task 9999 on customer 'acme-trading'");
}

/// Runs crm with its standard output closed before it writes: `crm ... | head -0`.
fn into_a_closed_pipe(args: &[&str]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("CRM_CONFIG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run crm");
    drop(child.stdout.take());
    child.wait_with_output().expect("wait for crm")
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let book = Book::new();
    let data = book.data.to_str().unwrap();
    for args in [
        vec!["completions", "bash"],
        vec!["man"],
        vec!["--data", data, "find", "acme"],
        vec!["--data", data, "--as-of", "2026-11-22", "show", "acme"],
        vec!["--data", data, "export"],
    ] {
        let out = into_a_closed_pipe(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(out.stderr.is_empty(), "{args:?}: {}", text(&out.stderr));
    }
}

#[test]
fn completions_and_man_need_no_config_and_no_date() {
    let dir = tempfile::tempdir().unwrap();
    let bad_config = dir.path().join("bad.toml");
    std::fs::write(&bad_config, "[lifecycle\n").unwrap();
    for config in [dir.path().join("missing.toml"), bad_config] {
        for command in [&["completions", "bash"][..], &["man"][..]] {
            let out = Command::new(BIN)
                .arg("--config")
                .arg(&config)
                .args(["--as-of", "someday", "--data"])
                .arg(dir.path().join("no-such-dir"))
                .args(command)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
            assert!(!out.stdout.is_empty());
        }
    }
    assert!(!dir.path().join("no-such-dir").exists());
}

#[test]
fn read_commands_on_a_missing_data_dir_create_nothing() {
    let home = tempfile::tempdir().unwrap();
    let typo = home.path().join("boook");
    for command in [
        &["show", "x"][..],
        &["find", "x"],
        &["agenda"],
        &["list"],
        &["portfolio"],
        &["export"],
        &["pdca", "list"],
        &["pdca", "show", "1"],
        &[
            "log",
            "x",
            "--channel",
            "phone",
            "--direction",
            "inbound",
            "--outcome",
            "neutral",
        ],
    ] {
        let out = crm(&typo, home.path(), command);
        fails(
            &out,
            1,
            &[&format!("no book in {}", typo.display()), "does not exist"],
        );
        assert!(!typo.exists(), "{command:?} created the data dir");
    }
}

#[test]
fn the_console_without_a_terminal_says_so() {
    let book = Book::new();
    for command in [&[][..], &["demo", "--open"]] {
        let out = book.run(command);
        fails(
            &out,
            1,
            &["crm: the console needs a terminal (stdin/stdout is not a tty); use a subcommand such as `crm find`"],
        );
    }
}

#[test]
fn values_an_option_does_not_accept_are_usage_errors() {
    let book = Book::new();
    for capacity in ["-5", "nan", "inf", "abc"] {
        fails(
            &book.run(&["portfolio", "--capacity", capacity]),
            2,
            &["--capacity", &format!("'{capacity}'")],
        );
    }
    let out = stdout_ok(&book.run(&["portfolio", "--capacity", "0", "--json"]));
    assert!(out.contains("\"capacity\""), "{out}");
    fails(
        &book.run(&[
            "log",
            "acme",
            "--channel",
            "fax",
            "--direction",
            "inbound",
            "--outcome",
            "neutral",
        ]),
        2,
        &["'fax'", "--channel", "phone, email"],
    );
    fails(&book.run(&["find"]), 2, &["<QUERY>"]);
}
