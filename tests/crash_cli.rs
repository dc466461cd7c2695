//! `kill -9` a `crm log` writer at random moments, including while it opens the book:
//! every contact whose command returned success is there afterwards, and the book opens.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

fn crm(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crm"))
        .arg("--data")
        .arg(dir)
        .args(["--as-of", "2026-11-22"])
        .args(args)
        .output()
        .expect("run crm")
}

/// xorshift: the seed is printed, so a failing run can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn acknowledged_contacts_survive_kill_9() {
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64 | 1)
                .unwrap_or(88172645463325252)
        });
    eprintln!("CRASH_SEED={seed}");
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("book");
    assert!(crm(&data, &["demo", "--customers", "20", "--seed", "2"])
        .status
        .success());
    let csv = String::from_utf8(crm(&data, &["export", "--format", "csv"]).stdout).unwrap();
    let id = csv
        .lines()
        .nth(1)
        .and_then(|l| l.split(',').next())
        .unwrap()
        .to_string();

    let mut acknowledged = Vec::new();
    let mut killed = 0;
    for n in 0..60 {
        let note = format!("crash-test contact {n}");
        let at = format!("2026-11-{:02}T{:02}:{:02}:00Z", 1 + n % 20, n % 24, n % 60);
        let mut child = Command::new(env!("CARGO_BIN_EXE_crm"))
            .arg("--data")
            .arg(&data)
            .args(["log", &id, "--channel", "phone", "--direction", "outbound"])
            .args(["--outcome", "neutral", "--note", &note, "--at", &at])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        if rng.below(3) > 0 {
            // Somewhere between process start (the book opening) and the write.
            std::thread::sleep(Duration::from_micros(rng.below(40_000)));
            let _ = child.kill();
            killed += 1;
        }
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "a writer hung (seed {seed})"
            );
            std::thread::sleep(Duration::from_millis(2));
        };
        if status.success() {
            acknowledged.push(note);
        }
    }
    assert!(killed > 10, "the test must really kill writers");
    assert!(!acknowledged.is_empty(), "some writes must get through");

    let shown = crm(&data, &["export"]);
    assert!(
        shown.status.success(),
        "the book must open after the kills (seed {seed}): {}",
        String::from_utf8_lossy(&shown.stderr)
    );
    let book: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    let customer = book["customers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id.as_str())
        .unwrap();
    let notes: Vec<&str> = customer["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["note"].as_str())
        .collect();
    for note in &acknowledged {
        assert!(
            notes.contains(&note.as_str()),
            "lost '{note}' (seed {seed})"
        );
    }
}
