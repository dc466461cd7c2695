//! The book in PostgreSQL, end to end with the real binary: `crm migrate` there and back
//! without losing anything, two servers on one database seeing each other's changes, and
//! a database that stops and starts under a server. Skipped (saying why) without
//! `$CRM_TEST_PG`; under `CI=true` they must run.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;
use common::pg::{OwnServer, TestDb};

const WAIT: Duration = Duration::from_secs(30);

fn crm(dir: &Path, store: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_crm"));
    command
        .arg("--data")
        .arg(dir)
        .args(["--as-of", "2026-11-22", "--user", "bob"])
        .env_remove("CRM_STORE")
        .env("LANG", "C.UTF-8");
    if let Some(url) = store {
        command.args(["--store", url]);
    }
    command.args(args).output().expect("run crm")
}

fn ok(output: Output) -> Output {
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn json(output: Output) -> Value {
    serde_json::from_slice(&ok(output).stdout).unwrap()
}

fn log_args<'a>(id: &'a str, note: &'a str, at: &'a str) -> Vec<&'a str> {
    vec![
        "log",
        id,
        "--channel",
        "phone",
        "--direction",
        "outbound",
        "--outcome",
        "positive",
        "--note",
        note,
        "--at",
        at,
    ]
}

/// The first customer id of the book, from its CSV export.
fn first_id(dir: &Path, store: Option<&str>) -> String {
    let csv = ok(crm(dir, store, &["export", "--format", "csv"])).stdout;
    String::from_utf8(csv)
        .unwrap()
        .lines()
        .nth(1)
        .and_then(|line| line.split(',').next())
        .unwrap()
        .to_string()
}

/// A `crm serve` process, killed when dropped (also when the test fails).
struct Server {
    child: Child,
    socket: PathBuf,
}

impl Server {
    fn start(dir: &Path, url: &str) -> Server {
        std::fs::create_dir_all(dir).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_crm"))
            .arg("--data")
            .arg(dir)
            .args(["--store", url, "--user", "bob", "serve"])
            .env("LANG", "C.UTF-8")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Server {
            child,
            socket: dir.join("crm.sock"),
        };
        let start = Instant::now();
        while std::os::unix::net::UnixStream::connect(&server.socket).is_err() {
            assert!(start.elapsed() < WAIT, "the server never listened");
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the server on `socket` pushes to a console, as it comes (a thread blocked on the
/// subscription, so a test can wait with a deadline).
fn changes_pushed_by(socket: &Path) -> std::sync::mpsc::Receiver<crm::book::remote::Changed> {
    let mut subscription = crm::book::remote::Subscription::open(socket).unwrap();
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        while let Ok(changed) = subscription.next_change() {
            if send.send(changed).is_err() {
                break;
            }
        }
    });
    receive
}

/// Polls `crm show ID --json` through the server of `dir` until the newest contact's note
/// is `note`; panics after `WAIT`.
fn wait_for_note(dir: &Path, id: &str, note: &str) {
    let start = Instant::now();
    loop {
        let card = json(crm(dir, None, &["show", id, "--json"]));
        if card["recent_interactions"][0]["note"] == note {
            return;
        }
        assert!(start.elapsed() < WAIT, "never saw '{note}': {card}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn migrate_to_postgres_and_back_loses_nothing() {
    let Some(db) = TestDb::new("migrate_round_trip") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let local = tmp.path().join("local");
    ok(crm(
        &local,
        None,
        &["demo", "--customers", "40", "--seed", "5"],
    ));
    let id = first_id(&local, None);
    ok(crm(
        &local,
        None,
        &log_args(&id, "before the move", "2026-11-20T09:00:00Z"),
    ));
    let original = ok(crm(&local, None, &["export", "--format", "json"])).stdout;

    let moved = ok(crm(&local, None, &["migrate", "--to", &db.url]));
    let line = String::from_utf8(moved.stdout).unwrap();
    assert!(line.starts_with("moved "), "{line}");
    assert!(line.contains("(40 customers"), "{line}");
    assert!(
        !line.contains(db.url.split('@').next().unwrap()),
        "no password: {line}"
    );

    // The book in PostgreSQL answers every command as the local one did.
    let in_pg = ok(crm(&local, Some(&db.url), &["export", "--format", "json"])).stdout;
    assert_eq!(
        String::from_utf8(in_pg).unwrap(),
        String::from_utf8(original.clone()).unwrap()
    );
    let card = json(crm(&local, Some(&db.url), &["show", &id, "--json"]));
    assert_eq!(card["recent_interactions"][0]["note"], "before the move");

    // Into a database that holds a book: refused, nothing changed.
    let again = crm(&local, None, &["migrate", "--to", &db.url]);
    assert_eq!(again.status.code(), Some(1));
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(said.contains("already holds a book"), "{said}");
    assert_eq!(said.lines().count(), 1, "{said}");

    let back = tmp.path().join("back");
    ok(crm(&back, None, &["migrate", "--from", &db.url]));
    let returned = ok(crm(&back, None, &["export", "--format", "json"])).stdout;
    assert_eq!(
        String::from_utf8(returned).unwrap(),
        String::from_utf8(original).unwrap()
    );
    // The audit trail came along: the same changes, authors and times.
    use crm::store::{JournalStore, Store};
    let entries = |dir: &Path| {
        JournalStore::open(dir)
            .unwrap()
            .0
            .journal_entries()
            .unwrap()
    };
    assert_eq!(entries(&local), entries(&back));
}

#[test]
fn a_change_through_one_server_is_seen_through_the_other() {
    let Some(db) = TestDb::new("two_servers") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let seed = tmp.path().join("seed");
    ok(crm(
        &seed,
        None,
        &["demo", "--customers", "30", "--seed", "9"],
    ));
    ok(crm(&seed, None, &["migrate", "--to", &db.url]));
    let id = first_id(&seed, None);

    let one = tmp.path().join("one");
    let two = tmp.path().join("two");
    let _first = Server::start(&one, &db.url);
    let _second = Server::start(&two, &db.url);
    // Both answer (the second one warm), then a contact logged through the first...
    json(crm(&two, None, &["show", &id, "--json"]));
    let pushed = changes_pushed_by(&two.join("crm.sock"));
    ok(crm(
        &one,
        None,
        &log_args(&id, "via one", "2026-11-21T10:00:00Z"),
    ));
    // ...is pushed to the second one's consoles though nobody asked it anything...
    let start = Instant::now();
    loop {
        let left = WAIT.saturating_sub(start.elapsed());
        let changed = pushed
            .recv_timeout(left)
            .expect("the second server never pushed the first one's change");
        if changed.customers == [id.clone()] {
            assert_eq!(
                changed.pid, 0,
                "made by another server, not a console of its own"
            );
            break;
        }
    }
    // ...and is on its card, and the other way round.
    wait_for_note(&two, &id, "via one");
    ok(crm(
        &two,
        None,
        &log_args(&id, "via two", "2026-11-21T11:00:00Z"),
    ));
    wait_for_note(&one, &id, "via two");
    // A new customer is found through the other server's search index.
    let file = tmp.path().join("new.json");
    std::fs::write(
        &file,
        r#"{"format":"crm-book/1","customers":[{"id":"zyx-new","name":"Zyxwv Freshly Added","kind":"organization","segment":"retail","owner":"bob","created":"2026-11-01"}]}"#,
    )
    .unwrap();
    ok(crm(
        &one,
        None,
        &["import", file.to_str().unwrap(), "--merge"],
    ));
    let start = Instant::now();
    loop {
        let found = ok(crm(&two, None, &["find", "Zyxwv"])).stdout;
        if String::from_utf8_lossy(&found).contains("zyx-new") {
            break;
        }
        assert!(start.elapsed() < WAIT, "the second server never found it");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_stopped_database_refuses_writes_and_the_server_catches_up_after() {
    let Some(pg) = OwnServer::start("stopped_database") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let seed = tmp.path().join("seed");
    ok(crm(
        &seed,
        None,
        &["demo", "--customers", "20", "--seed", "4"],
    ));
    ok(crm(&seed, None, &["migrate", "--to", &pg.url]));
    let id = first_id(&seed, None);
    let served = tmp.path().join("served");
    let _server = Server::start(&served, &pg.url);
    ok(crm(
        &served,
        None,
        &log_args(&id, "acknowledged", "2026-11-21T09:00:00Z"),
    ));

    pg.stop();
    let refused = crm(
        &served,
        None,
        &log_args(&id, "refused", "2026-11-21T10:00:00Z"),
    );
    assert_eq!(refused.status.code(), Some(1));
    let said = String::from_utf8_lossy(&refused.stderr).to_string();
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(said.contains("store unavailable"), "{said}");
    let password = pg
        .url
        .split(':')
        .nth(2)
        .and_then(|p| p.split('@').next())
        .unwrap();
    assert!(!said.contains(password), "the password leaked: {said}");

    pg.restart();
    // The server reconnects on its next request; the acknowledged contact is there, the
    // refused one is not, and writing works again.
    let start = Instant::now();
    loop {
        let out = crm(
            &served,
            None,
            &log_args(&id, "after the restart", "2026-11-21T11:00:00Z"),
        );
        if out.status.success() {
            break;
        }
        assert!(
            start.elapsed() < WAIT,
            "never wrote again: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let card = json(crm(&served, None, &["show", &id, "--json"]));
    let notes: Vec<&str> = card["recent_interactions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["note"].as_str())
        .collect();
    assert_eq!(
        notes[..2],
        ["after the restart", "acknowledged"],
        "{notes:?}"
    );
    assert!(!notes.contains(&"refused"));
}
