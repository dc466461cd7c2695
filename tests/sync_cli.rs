//! `crm sync` as users run it: over ssh (a stand-in `ssh` on PATH that runs the remote
//! command here), and killed with SIGKILL at random bytes of the exchange, 50 times, after
//! which a last sync completes with nothing lost or duplicated.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crm::book::Book;
use crm::domain::config::Config;
use crm::domain::model::*;

fn crm_bin() -> &'static str {
    env!("CARGO_BIN_EXE_crm")
}

fn customer(id: &str) -> Customer {
    Customer {
        id: id.into(),
        name: format!("Customer {id}"),
        kind: CustomerKind::Organization,
        segment: "retail".into(),
        owner: "ana".into(),
        created: jiff::civil::date(2024, 1, 15),
        tags: vec![],
        category_spend: None,
        contacts: vec![],
        note: String::new(),
        lost: None,
    }
}

fn contact(minute: i64, note: String) -> Interaction {
    Interaction {
        at: jiff::Timestamp::from_second(1_717_200_000 + minute * 60).unwrap(),
        channel: Channel::Email,
        direction: Direction::Inbound,
        purpose: Purpose::Inquiry,
        outcome: Outcome::Neutral,
        satisfaction: None,
        signals: vec![],
        note,
        follow_up: None,
        author: "ana".into(),
    }
}

/// A book with one customer of its own and `n` contacts with it, one event each.
fn book_with(dir: &Path, id: &str, n: i64, offset: i64) {
    let mut book = Book::open(dir, Config::default(), "ana").unwrap();
    book.add_customer(customer(id)).unwrap();
    for i in 0..n {
        book.log_contact(id, contact(offset + i, format!("{id} contact {i}")))
            .unwrap();
    }
}

fn export(dir: &Path) -> BookData {
    Book::open(dir, Config::default(), "ana")
        .unwrap()
        .export()
        .unwrap()
}

/// Children killed when the test ends, whatever happened.
struct Reaper(Vec<Child>);

impl Drop for Reaper {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn stdio_end(dir: &Path) -> Child {
    Command::new(crm_bin())
        .arg("--data")
        .arg(dir)
        .args(["sync", "--stdio"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Copies `from` to `to`, counting bytes into `total`; when it passes `cut`, kills `victim`
/// (once). Ends when `from` ends, closing `to`.
fn relay(
    mut from: impl Read,
    mut to: impl Write,
    total: Arc<AtomicU64>,
    cut: u64,
    victim: i32,
    killed: Arc<AtomicBool>,
) {
    let mut buf = [0u8; 97];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let before = total.fetch_add(n as u64, Ordering::SeqCst);
        let keep = if before + n as u64 >= cut {
            (cut.saturating_sub(before) as usize).min(n)
        } else {
            n
        };
        if to
            .write_all(&buf[..keep])
            .and_then(|()| to.flush())
            .is_err()
        {
            return;
        }
        if keep < n && !killed.swap(true, Ordering::SeqCst) {
            // SAFETY: kill(2) with a pid this test spawned and has not waited for.
            unsafe {
                libc::kill(victim, libc::SIGKILL);
            }
            return;
        }
    }
}

/// One sync between the books in `a` and `b`, each end a `crm sync --stdio`, the bytes
/// relayed here and cut after `cut` of them by SIGKILL to one end. Whether both ended well.
fn run_once(a: &Path, b: &Path, cut: u64, kill_a: bool) -> bool {
    let mut reaper = Reaper(vec![stdio_end(a), stdio_end(b)]);
    let victim = reaper.0[if kill_a { 0 } else { 1 }].id() as i32;
    let total = Arc::new(AtomicU64::new(0));
    let killed = Arc::new(AtomicBool::new(false));
    let (a_out, a_in) = (
        reaper.0[0].stdout.take().unwrap(),
        reaper.0[0].stdin.take().unwrap(),
    );
    let (b_out, b_in) = (
        reaper.0[1].stdout.take().unwrap(),
        reaper.0[1].stdin.take().unwrap(),
    );
    let threads = [
        {
            let (total, killed) = (total.clone(), killed.clone());
            std::thread::spawn(move || relay(a_out, b_in, total, cut, victim, killed))
        },
        {
            let (total, killed) = (total.clone(), killed.clone());
            std::thread::spawn(move || relay(b_out, a_in, total, cut, victim, killed))
        },
    ];
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut ok = true;
    for child in &mut reaper.0 {
        loop {
            match child.try_wait().unwrap() {
                Some(status) => {
                    ok &= status.success();
                    break;
                }
                None if Instant::now() > deadline => panic!("a sync end hung"),
                None => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    }
    for thread in threads {
        thread.join().unwrap();
    }
    ok
}

#[test]
fn a_sync_killed_at_random_bytes_resumes_and_ends_with_nothing_lost_or_twice() {
    let root = tempfile::tempdir().unwrap();
    let (a, b) = (root.path().join("a"), root.path().join("b"));
    book_with(&a, "alpha", 300, 0);
    book_with(&b, "bravo", 300, 10_000);
    // A deterministic xorshift: the same cut points on every run.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut interrupted = 0;
    for _ in 0..50 {
        let cut = next() % 3_000;
        let kill_a = next() % 2 == 0;
        if !run_once(&a, &b, cut, kill_a) {
            interrupted += 1;
        }
    }
    assert!(interrupted >= 10, "only {interrupted} of 50 syncs were cut");
    assert!(run_once(&a, &b, u64::MAX, true), "the last sync completes");
    let (one, two) = (export(&a), export(&b));
    assert_eq!(one, two);
    for (id, offset) in [("alpha", 0), ("bravo", 10_000)] {
        let account = one.accounts.iter().find(|x| x.customer.id == id).unwrap();
        let notes: Vec<String> = account
            .interactions
            .iter()
            .map(|i| i.note.clone())
            .collect();
        let expected: Vec<String> = (0..300).map(|i| format!("{id} contact {i}")).collect();
        assert_eq!(
            notes, expected,
            "every contact of {id} once, offset {offset}"
        );
    }
}

#[test]
fn crm_sync_host_runs_ssh_host_crm_sync_stdio() {
    let root = tempfile::tempdir().unwrap();
    let (laptop, server) = (root.path().join("laptop"), root.path().join("server book"));
    book_with(&server, "srv", 3, 0);
    book_with(&laptop, "lap", 2, 100);
    // A stand-in ssh: skips its options and the host, runs the remote command here.
    let bin = root.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let ssh = bin.join("ssh");
    std::fs::write(
        &ssh,
        "#!/bin/sh\nwhile [ \"$1\" != \"--\" ]; do shift; done\nshift; shift\nexec sh -c \"$*\"\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(crm_bin(), bin.join("crm")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&ssh, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let crm = |args: &[&str]| {
        Command::new(crm_bin())
            .arg("--data")
            .arg(&laptop)
            .args(args)
            .env("PATH", &path)
            .env_remove("CRM_SSH")
            .output()
            .unwrap()
    };
    let target = format!("ana@field.example:{}", server.display());
    let out = crm(&["sync", &target]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("synced with {target}: sent 3, received 4 (4 new)\n")
    );
    assert_eq!(export(&laptop), export(&server));
    let status = crm(&["sync", "--status"]);
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(text.contains(&format!("{target} (")), "{text}");
    assert!(
        text.contains(": 0 to send, 0 to receive; last sync "),
        "{text}"
    );
    let json = crm(&["sync", "--status", "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["peers"][0]["to_send"], 0);
    // No way in is a usage error.
    assert_eq!(crm(&["sync"]).status.code(), Some(2));
}
