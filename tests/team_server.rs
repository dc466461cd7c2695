//! `crm serve` under load and under attack, run as real processes: many clients at once,
//! a client that lies about who it is, a server killed mid-stream, and real Unix users
//! (created by the test when it runs as root, as CI does; skipped with the reason printed
//! otherwise). Every wait polls for a condition with a generous deadline; every process a
//! test starts is killed when the test ends, also when it fails.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

#[path = "common/pty.rs"]
mod pty;

const BIN: &str = env!("CARGO_BIN_EXE_crm");
const DEADLINE: Duration = Duration::from_secs(60);

fn crm_cmd(data: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("--data")
        .arg(data)
        .args(["--as-of", "2026-11-22"])
        .env_remove("CRM_USER")
        .env_remove("CRM_SOCKET")
        .env_remove("CRM_CONFIG")
        .env_remove("CRM_STORE");
    cmd
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < DEADLINE, "waited for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A listening socket, not just a file: a stale one refuses connections.
fn listening(socket: &Path) -> bool {
    std::os::unix::net::UnixStream::connect(socket).is_ok()
}

fn serve(data: &Path, socket: Option<&Path>) -> Server {
    let mut cmd = crm_cmd(data);
    cmd.arg("serve");
    if let Some(socket) = socket {
        cmd.arg("--socket").arg(socket);
    }
    let server = Server(
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let path = socket.map_or_else(|| data.join("crm.sock"), Path::to_path_buf);
    wait_until("the server to listen", || listening(&path));
    server
}

fn demo(data: &Path, customers: &str) {
    ok(crm_cmd(data)
        .args(["demo", "--customers", customers, "--seed", "5"])
        .output()
        .unwrap());
}

fn first_id(data: &Path) -> String {
    ok(crm_cmd(data)
        .args(["export", "--format", "csv"])
        .output()
        .unwrap())
    .lines()
    .nth(1)
    .and_then(|line| line.split(',').next().map(str::to_string))
    .unwrap()
}

fn log_cmd(data: &Path, id: &str, note: &str) -> Command {
    let mut cmd = crm_cmd(data);
    cmd.args([
        "log",
        id,
        "--channel",
        "phone",
        "--direction",
        "outbound",
        "--outcome",
        "neutral",
        "--note",
        note,
        "--at",
        "2026-11-21T10:00:00Z",
    ]);
    cmd
}

/// The notes of every contact in the book, with their authors.
fn notes(data: &Path) -> Vec<(String, String)> {
    notes_of(crm_cmd(data))
}

/// As `notes`, asking through `crm`.
fn notes_of(mut crm: Command) -> Vec<(String, String)> {
    let book: serde_json::Value = serde_json::from_str(&ok(crm
        .args(["export", "--format", "json"])
        .output()
        .unwrap()))
    .unwrap();
    let mut notes = Vec::new();
    for customer in book["customers"].as_array().unwrap() {
        for contact in customer["interactions"].as_array().unwrap() {
            notes.push((
                contact["note"].as_str().unwrap_or_default().to_string(),
                contact["author"].as_str().unwrap_or_default().to_string(),
            ));
        }
    }
    notes
}

fn me() -> String {
    crm::book::remote::own_login().unwrap()
}

/// 16 `crm log` processes at once against one server: every one is acknowledged and every
/// contact is in the book, recorded as the kernel's login. The socket in the data dir is
/// private (0600), as the data dir is (0700).
#[test]
fn sixteen_client_processes_logging_at_once_lose_nothing() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("book");
    demo(&data, "30");
    let id = first_id(&data);
    let _server = serve(&data, None);
    let socket = data.join("crm.sock");
    assert_eq!(
        std::fs::metadata(&socket).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(
        std::fs::metadata(&data).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let children: Vec<Child> = (0..16)
        .map(|n| {
            log_cmd(&data, &id, &format!("concurrent {n}"))
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        ok(child.wait_with_output().unwrap());
    }
    let logged: Vec<(String, String)> = notes(&data)
        .into_iter()
        .filter(|(note, _)| note.starts_with("concurrent "))
        .collect();
    assert_eq!(logged.len(), 16);
    for n in 0..16 {
        let note = format!("concurrent {n}");
        assert!(logged.iter().any(|(got, by)| *got == note && *by == me()));
    }
}

/// A client that names someone else (`--user`, `$CRM_USER`) changes nothing: the server
/// records the login the kernel gives for the client's uid.
#[test]
fn a_spoofed_user_changes_nothing() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("book");
    demo(&data, "10");
    let id = first_id(&data);
    let _server = serve(&data, None);
    ok(log_cmd(&data, &id, "claimed to be the ceo")
        .args(["--user", "ceo"])
        .env("CRM_USER", "ceo")
        .output()
        .unwrap());
    let found: Vec<String> = notes(&data)
        .into_iter()
        .filter(|(note, _)| note == "claimed to be the ceo")
        .map(|(_, by)| by)
        .collect();
    assert_eq!(found, [me()]);
}

/// `kill -9` of the server while clients log: every contact a client was told was logged
/// is in the book afterwards (clients that came after the kill opened the book
/// themselves, once the kernel released the dead server's lock).
#[test]
fn kill_9_of_the_server_under_load_loses_nothing_acknowledged() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("book");
    demo(&data, "10");
    let id = first_id(&data);
    let mut server = serve(&data, None);
    let acknowledged = std::sync::Mutex::new(Vec::new());
    let attempts = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for worker in 0..4 {
            let (data, id, acknowledged, attempts) = (&data, &id, &acknowledged, &attempts);
            scope.spawn(move || {
                for n in 0..12 {
                    attempts.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let note = format!("kill test {worker}-{n}");
                    let out = log_cmd(data, id, &note).output().unwrap();
                    if out.status.success() {
                        acknowledged.lock().unwrap().push(note);
                    }
                }
            });
        }
        // Kill once some writes were acknowledged and more are on their way.
        wait_until("a few acknowledged contacts", || {
            acknowledged.lock().unwrap().len() >= 6
        });
        // SAFETY: kill(2) on the child we spawned.
        unsafe { libc::kill(server.0.id() as libc::pid_t, libc::SIGKILL) };
        let _ = server.0.wait();
    });
    let acknowledged = acknowledged.into_inner().unwrap();
    assert!(acknowledged.len() >= 6);
    let in_book: Vec<String> = notes(&data).into_iter().map(|(note, _)| note).collect();
    for note in &acknowledged {
        assert!(in_book.contains(note), "acknowledged but lost: {note}");
    }
}

/// A second `crm serve` on a live book is refused, naming the first one's pid; the data
/// dir's socket is replaced once the first is gone (a stale socket after kill -9).
#[test]
fn a_second_server_is_refused_and_a_stale_socket_replaced() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("book");
    demo(&data, "5");
    let mut first = serve(&data, None);
    let out = crm_cmd(&data).arg("serve").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains(&first.0.id().to_string()),
        "the first server's pid is named: {message}"
    );
    // SAFETY: kill(2) on the child we spawned.
    unsafe { libc::kill(first.0.id() as libc::pid_t, libc::SIGKILL) };
    let _ = first.0.wait();
    assert!(
        data.join("crm.sock").exists(),
        "a dead server's socket stays"
    );
    let _second = serve(&data, None);
}

// ---- real Unix users --------------------------------------------------------------------

/// Users and a group made for one test, removed when it ends.
struct UnixUsers {
    group: String,
    users: Vec<String>,
}

impl Drop for UnixUsers {
    fn drop(&mut self) {
        for user in &self.users {
            let _ = Command::new("userdel").arg(user).output();
        }
        let _ = Command::new("groupdel").arg(&self.group).output();
    }
}

/// Creates a group and `count` users in it, or says why it cannot (not root, no useradd).
fn unix_users(count: usize) -> Option<UnixUsers> {
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: creating Unix users needs root (CI runs as root)");
        return None;
    }
    // Unique per call: two tests of one process make their users at the same time.
    static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = MADE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let tag = format!("{:x}x{call}", std::process::id() % 0xfffff);
    let group = format!("crmg{tag}");
    if !Command::new("groupadd")
        .arg(&group)
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("skipped: groupadd is not available");
        return None;
    }
    let mut made = UnixUsers {
        group: group.clone(),
        users: Vec::new(),
    };
    for n in 0..count {
        let user = format!("crm{tag}u{n}");
        let created = Command::new("useradd")
            .args(["-M", "-N", "-g", &group, "-s", "/bin/sh", &user])
            .status()
            .is_ok_and(|s| s.success());
        if !created {
            eprintln!("skipped: useradd failed");
            return None;
        }
        made.users.push(user);
    }
    Some(made)
}

/// `crm` run as `user` (runuser), a client of the team socket only.
fn as_user(user: &str, socket: &Path, args: &[&str]) -> Output {
    Command::new("runuser")
        .args(["-u", user, "--", BIN, "--as-of", "2026-11-22", "--socket"])
        .arg(socket)
        .args(args)
        .env_remove("CRM_DATA")
        .env_remove("CRM_CONFIG")
        .env_remove("CRM_USER")
        .env("HOME", "/nonexistent")
        .output()
        .unwrap()
}

/// A team's book for real users: a 12-customer demo whose book users are `users` and
/// whose first customer `owner` owns, imported into `root/team`, with the team's socket
/// dir `root/run` of `group` (setgid, so the socket is the group's; mode 2770).
struct TeamBook {
    data: PathBuf,
    socket: PathBuf,
    id: String,
    name: String,
}

fn team_book(root: &Path, group: &str, users: serde_json::Value, owner: &str) -> TeamBook {
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
    let demo_dir = root.join("book");
    demo(&demo_dir, "12");
    let id = first_id(&demo_dir);
    let mut book: serde_json::Value = serde_json::from_str(&ok(crm_cmd(&demo_dir)
        .args(["export", "--format", "json"])
        .output()
        .unwrap()))
    .unwrap();
    book["users"] = users;
    let mut name = String::new();
    for customer in book["customers"].as_array_mut().unwrap() {
        if customer["id"] == id.as_str() {
            customer["owner"] = serde_json::json!(owner);
            name = customer["name"].as_str().unwrap().to_string();
        }
    }
    let file = root.join("book.json");
    std::fs::write(&file, serde_json::to_vec(&book).unwrap()).unwrap();
    let data = root.join("team");
    ok(crm_cmd(&data).args(["import"]).arg(&file).output().unwrap());
    let run = root.join("run");
    std::fs::create_dir(&run).unwrap();
    ok(Command::new("chgrp").arg(group).arg(&run).output().unwrap());
    std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o2770)).unwrap();
    TeamBook {
        data,
        socket: run.join("crm.sock"),
        id,
        name,
    }
}

/// Real users on a team socket: an unknown one is refused in one line saying how an
/// admin adds them; a known rep logs as themselves whatever they claim, and sees only
/// their own customers; a user outside the socket's group cannot connect at all.
#[test]
fn real_unix_users_are_who_the_kernel_says() {
    let Some(users) = unix_users(3) else { return };
    let (rep, stranger, outsider) = (&users.users[0], &users.users[1], &users.users[2]);
    let root = tempfile::tempdir().unwrap();
    // The book's users: the rep owns one customer. The team's socket is mode 0660 in the
    // group's directory; the outsider is in another group.
    let TeamBook {
        data: fresh,
        socket,
        id,
        ..
    } = team_book(
        root.path(),
        &users.group,
        serde_json::json!([{"login": rep, "name": "A Rep", "role": "rep"}]),
        rep,
    );
    ok(Command::new("usermod")
        .args(["-g", "nogroup", outsider])
        .output()
        .or_else(|_| Command::new("true").output())
        .unwrap());
    let _server = serve(&fresh, Some(&socket));
    assert_eq!(
        std::fs::metadata(&socket).unwrap().permissions().mode() & 0o777,
        0o660
    );

    let refused = as_user(stranger, &socket, &["list", "--json"]);
    assert_eq!(refused.status.code(), Some(1));
    let line = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(line.contains("crm user add"), "{line}");

    let logged = as_user(
        rep,
        &socket,
        &[
            "--user",
            "ceo",
            "log",
            &id,
            "--channel",
            "phone",
            "--direction",
            "outbound",
            "--outcome",
            "positive",
            "--note",
            "from a real user",
        ],
    );
    assert!(
        logged.status.success(),
        "{}",
        String::from_utf8_lossy(&logged.stderr)
    );
    let mut via_socket = crm_cmd(&fresh);
    via_socket.arg("--socket").arg(&socket);
    let by: Vec<String> = notes_of(via_socket)
        .into_iter()
        .filter(|(note, _)| note == "from a real user")
        .map(|(_, by)| by)
        .collect();
    assert_eq!(by, std::slice::from_ref(rep));
    let listed = as_user(rep, &socket, &["list", "--json"]);
    let lines: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("the rep's list");
    let ids: Vec<&str> = lines
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["id"].as_str())
        .collect();
    assert!(ids.contains(&id.as_str()), "{ids:?}");
    assert!(
        ids.len() < 12,
        "a rep sees their own, not the whole book: {ids:?}"
    );

    let shut_out = as_user(outsider, &socket, &["list"]);
    assert_eq!(shut_out.status.code(), Some(1));
}

/// A console in a pseudo-terminal run as `user` (runuser), a client of the team socket
/// only; its drafts go to `state` (the user's own).
fn console_as(user: &str, socket: &Path, state: &Path) -> pty::Session {
    std::fs::create_dir_all(state).unwrap();
    ok(Command::new("chown").arg(user).arg(state).output().unwrap());
    let mut cmd = portable_pty::CommandBuilder::new("runuser");
    cmd.args(["-u", user, "--", BIN, "--as-of", "2026-11-22", "--socket"]);
    cmd.arg(socket);
    for name in [
        "CRM_DATA",
        "CRM_CONFIG",
        "CRM_USER",
        "CRM_SOCKET",
        "CRM_STORE",
    ] {
        cmd.env_remove(name);
    }
    // No home: the console reads nothing of the user's but the team socket. (The pty
    // crate starts a command in its HOME unless told otherwise.)
    cmd.env("HOME", "/nonexistent");
    cmd.cwd("/");
    cmd.env("XDG_STATE_HOME", state);
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "C.UTF-8");
    for name in ["LC_ALL", "LC_MESSAGES", "NO_COLOR"] {
        cmd.env_remove(name);
    }
    pty::Session::spawn(cmd, 120, 40)
}

/// Two account managers, two Unix accounts, two consoles on the team's server: a contact
/// the rep logs appears on the card the admin has open, without a key pressed there; and
/// the journal names the rep, as the kernel said.
#[test]
fn two_consoles_as_two_real_users_see_each_others_changes() {
    let Some(users) = unix_users(2) else { return };
    let (rep, boss) = (&users.users[0], &users.users[1]);
    let root = tempfile::tempdir().unwrap();
    let TeamBook {
        data: team,
        socket,
        id,
        name,
    } = team_book(
        root.path(),
        &users.group,
        serde_json::json!([
            {"login": rep, "name": "A Rep", "role": "rep"},
            {"login": boss, "name": "The Boss", "role": "admin"},
        ]),
        rep,
    );
    let _server = serve(&team, Some(&socket));

    let mut theirs = console_as(boss, &socket, &root.path().join("state-boss"));
    let mut mine = console_as(rep, &socket, &root.path().join("state-rep"));
    for console in [&mut theirs, &mut mine] {
        console.wait_for("Book ·");
        console.send("/");
        console.wait_for("find a customer");
        console.send(&name);
        console.wait_for("found");
        console.send("\r");
        console.wait_for(&format!("{name} ·"));
    }
    mine.send("l");
    mine.wait_for("Log a contact");
    mine.send("logged by the rep herself");
    mine.send("\x13");
    mine.wait_for("contact logged");
    // No key is pressed in the admin's console: the server's push redraws the card.
    theirs.wait_for("logged by the rep herself");
    for console in [&mut mine, &mut theirs] {
        console.send("\x1b");
        console.wait_for("Book ·");
        console.send("q");
        assert_eq!(console.wait_exit(), 0);
    }
    // Recorded under the rep's own login: the kernel's word, not the console's.
    let audit = ok(crm_cmd(&team)
        .arg("--socket")
        .arg(&socket)
        .args(["audit", "--customer", &id, "--json"])
        .output()
        .unwrap());
    let entries: serde_json::Value = serde_json::from_str(&audit).unwrap();
    let last = entries
        .as_array()
        .and_then(|e| e.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["kind"], "contact", "{audit}");
    assert_eq!(last["user"], rep.as_str(), "{audit}");
}
