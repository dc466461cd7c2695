//! Team mode end to end: `crm serve` owns the book; other `crm` commands on the same data
//! dir become its clients, and what they log is in the book after the server stops.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn crm(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crm"))
        .arg("--data")
        .arg(dir)
        .args(["--as-of", "2026-11-22", "--user", "bob"])
        .args(args)
        .output()
        .expect("run crm")
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn clients_use_the_serving_process() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("book");
    assert!(crm(&data, &["demo", "--customers", "40", "--seed", "3"])
        .status
        .success());
    let id = String::from_utf8(crm(&data, &["export", "--format", "csv"]).stdout)
        .unwrap()
        .lines()
        .nth(1)
        .and_then(|line| line.split(',').next().map(str::to_string))
        .unwrap();

    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_crm"))
            .arg("--data")
            .arg(&data)
            .arg("serve")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let socket = data.join("crm.sock");
    let start = Instant::now();
    while !socket.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the server never listened"
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    // The book is locked by the server, so these go through the socket.
    let logged = crm(
        &data,
        &[
            "log",
            &id,
            "--channel",
            "meeting",
            "--direction",
            "outbound",
            "--outcome",
            "positive",
            "--note",
            "served by the team process",
            "--at",
            "2026-11-21T10:00:00Z",
        ],
    );
    assert!(
        logged.status.success(),
        "{}",
        String::from_utf8_lossy(&logged.stderr)
    );
    let shown = crm(&data, &["show", &id, "--json"]);
    assert!(
        shown.status.success(),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    let card: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(card["id"], id.as_str());
    assert_eq!(
        card["recent_interactions"][0]["note"],
        "served by the team process"
    );
    // `--user bob` is what the client claims; the server records who the kernel says.
    let me = crm::book::remote::own_login().unwrap();
    assert_eq!(card["recent_interactions"][0]["author"], me.as_str());
    let agenda = crm(&data, &["agenda", "--json"]);
    assert!(
        agenda.status.success(),
        "{}",
        String::from_utf8_lossy(&agenda.stderr)
    );
    let listed = crm(&data, &["list", "--json"]);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let lines: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert!(lines
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["id"] == id.as_str() && l["stage"].is_string()));
    let missing = crm(&data, &["show", "no-such-customer-xyz"]);
    assert_eq!(missing.status.code(), Some(1));
    // The server's typed error, worded as a local book would.
    assert_eq!(
        String::from_utf8_lossy(&missing.stderr),
        "crm: no customer matches 'no-such-customer-xyz'\n"
    );
    // Every command is a client: export, import and pdca go through the socket too.
    let exported = crm(&data, &["export", "--format", "json"]);
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let book: serde_json::Value = serde_json::from_slice(&exported.stdout).unwrap();
    assert_eq!(book["customers"].as_array().unwrap().len(), 40);
    assert!(String::from_utf8_lossy(&exported.stdout).contains("served by the team process"));
    let file = dir.path().join("book.json");
    std::fs::write(&file, &exported.stdout).unwrap();
    let imported = crm(
        &data,
        &["import", file.to_str().unwrap(), "--merge", "--json"],
    );
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&imported.stdout).unwrap();
    assert_eq!(report["customers"], 40);
    let cycles = crm(&data, &["pdca", "list"]);
    assert!(
        cycles.status.success(),
        "{}",
        String::from_utf8_lossy(&cycles.stderr)
    );
    drop(server);

    // After the server is gone the book opens locally and still has the contact.
    let shown = crm(&data, &["show", &id, "--json"]);
    assert!(
        shown.status.success(),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    let card: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(
        card["recent_interactions"][0]["note"],
        "served by the team process"
    );
}
