//! Nothing acknowledged is ever lost: a bit flip anywhere in the journal, torn and zero
//! tails, framing-1 journals, an index ahead of its journal, damage to old records, a full
//! disk, and `crm check [--repair]` end to end through the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crm::domain::model::{Role, User};
use crm::store::codec;
use crm::store::{files, Change, JournalStore, OpenReport, Restored, Store, StoreError};
use jiff::Timestamp;

// ---- helpers ---------------------------------------------------------------------------

fn at() -> Timestamp {
    "2024-07-01T10:00:00Z".parse().unwrap()
}

fn user(login: &str, name: &str) -> User {
    User {
        login: login.into(),
        name: name.into(),
        role: Role::Rep,
        team: None,
    }
}

fn login(i: usize) -> String {
    format!("user{i}")
}

/// A book of `n` PutUser changes (`user0`..); the journal's bytes and where each record
/// starts and ends. The bytes are the same for every book: fixed time, actor and names.
fn users_book(dir: &Path, n: usize) -> (Vec<u8>, Vec<u64>, Vec<u64>) {
    users_book_named(dir, n, |_| "Alice Chen".to_string())
}

fn users_book_named(
    dir: &Path,
    n: usize,
    name: impl Fn(usize) -> String,
) -> (Vec<u8>, Vec<u64>, Vec<u64>) {
    let (mut store, _) = JournalStore::open(dir).unwrap();
    let journal = dir.join("journal");
    let mut starts = Vec::new();
    let mut ends = Vec::new();
    for i in 0..n {
        starts.push(std::fs::metadata(&journal).unwrap().len().max(24));
        let change = Change::PutUser(user(&login(i), &name(i)));
        assert_eq!(store.apply("alice", at(), change).unwrap(), i as u64 + 1);
        ends.push(std::fs::metadata(&journal).unwrap().len());
    }
    drop(store);
    (std::fs::read(&journal).unwrap(), starts, ends)
}

fn logins(store: &JournalStore) -> Vec<String> {
    store
        .users()
        .unwrap()
        .into_iter()
        .map(|u| u.login)
        .collect()
}

fn open(dir: &Path) -> (JournalStore, OpenReport) {
    JournalStore::open(dir).unwrap()
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Side files that only a cut, a move aside or a repair leaves.
fn evidence(dir: &Path) -> Vec<String> {
    names_in(dir)
        .into_iter()
        .filter(|n| n.contains(".cut-") || n.contains(".broken-") || n.contains(".damaged-"))
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A journal in framing 1 (before records named themselves) of `n` PutUser events.
fn framing_1_journal(n: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    for i in 0..n {
        // Framing-1 journals held events from before the envelope.
        let change = Change::PutUser(user(&login(i), "Alice Chen"));
        let payload = codec::encode_event_before_envelope(i as u64 + 1, at(), "alice", &change);
        bytes.extend((payload.len() as u32).to_le_bytes());
        bytes.extend(crc32fast::hash(&payload).to_le_bytes());
        bytes.extend(payload);
    }
    bytes
}

fn crm(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crm"))
        .arg("--data")
        .arg(dir)
        .args(["--as-of", "2026-11-22"])
        .args(args)
        .output()
        .expect("run crm")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

// ---- a bit flip anywhere -----------------------------------------------------------------

#[test]
fn a_bit_flip_in_any_record_loses_no_acknowledged_record() {
    let master = tempfile::tempdir().unwrap();
    let (bytes, starts, ends) = users_book(master.path(), 6);
    let mut cases = 0;
    for r in 0..6 {
        let (start, len) = (starts[r] as usize, (ends[r] - starts[r]) as usize);
        let payload = len - 24;
        // Magic, length, sequence, payload checksum, header checksum; then the payload's
        // first, middle and last byte.
        let positions = [0, 5, 9, 17, 22, 24, 24 + payload / 2, len - 1];
        for (k, position) in positions.into_iter().enumerate() {
            let case = tempfile::tempdir().unwrap();
            let dir = case.path();
            copy_dir(master.path(), dir);
            let mut damaged = bytes.clone();
            damaged[start + position] ^= 1 << (k % 8);
            std::fs::write(dir.join("journal"), &damaged).unwrap();
            let seq = r as u64 + 1;
            let what = format!("record {seq}, byte {position}, bit {}", k % 8);

            // The open refuses, naming the record, and changes nothing.
            let err = JournalStore::open(dir).err().expect(&what);
            if r < 5 {
                assert!(
                    matches!(
                        err,
                        StoreError::Damaged { seq: s, offset, good_after, .. }
                            if s == seq && offset == start as u64 && good_after == 5 - r
                    ),
                    "{what}: {err}"
                );
            } else {
                // The last record: a torn tail, were it not that the index holds it.
                assert!(
                    matches!(
                        err,
                        StoreError::IndexAhead {
                            applied: 6,
                            journal_seq: 5,
                            ..
                        }
                    ),
                    "{what}: {err}"
                );
            }
            assert_eq!(
                std::fs::read(dir.join("journal")).unwrap(),
                damaged,
                "{what}"
            );
            assert_eq!(evidence(dir), Vec::<String>::new(), "{what}");

            // Without the index, the repair salvages exactly the other five records and
            // loses only that one; its number is never given again.
            let bare = tempfile::tempdir().unwrap();
            copy_dir(dir, bare.path());
            std::fs::remove_dir_all(bare.path().join("index")).unwrap();
            let report = files::repair(bare.path(), &mut |_, _| {}).expect(&what);
            let lost: Vec<(u64, u64, u64)> = report
                .lost
                .iter()
                .map(|b| (b.seq, b.through, b.offset))
                .collect();
            assert_eq!(lost, [(seq, seq, start as u64)], "{what}");
            assert_eq!((report.kept, report.restored.clone()), (5, None), "{what}");
            assert_eq!(report.next_seq, 7, "{what}: numbers are never reused");
            let copy = report.damaged_copy.clone().expect(&what);
            assert_eq!(std::fs::read(copy).unwrap(), damaged, "{what}");
            let (mut store, _) = open(bare.path());
            let others: Vec<String> = (0..6).filter(|&i| i != r).map(login).collect();
            assert_eq!(logins(&store), others, "{what}");
            let next = store.apply("alice", at(), Change::PutUser(user("new", "N")));
            assert_eq!(next.unwrap(), 7, "{what}");

            // With the index, which applied the lost record, nothing is lost at all: the
            // book as the index held it is restored as change 7.
            let report = files::repair(dir, &mut |_, _| {}).expect(&what);
            assert_eq!(report.kept, 5, "{what}");
            assert_eq!(
                report.restored,
                Some(Restored {
                    applied: 6,
                    seq: 7,
                    customers: 0,
                    users: 6,
                    cycles: 0
                }),
                "{what}"
            );
            assert_eq!(report.next_seq, 8, "{what}");
            let (mut store, _) = open(dir);
            assert_eq!(
                logins(&store),
                (0..6).map(login).collect::<Vec<_>>(),
                "{what}"
            );
            let next = store.apply("alice", at(), Change::PutUser(user("new", "N")));
            assert_eq!(next.unwrap(), 8, "{what}");
            cases += 1;
        }
    }
    assert_eq!(cases, 48);
}

// ---- torn and zero tails -------------------------------------------------------------------

fn assert_zero_tail_cut_in_one_open(dir: &Path, zeros: usize, kept: usize) {
    let mut journal = std::fs::read(dir.join("journal")).unwrap();
    let before = journal.len();
    journal.extend(vec![0u8; zeros]);
    std::fs::write(dir.join("journal"), &journal).unwrap();

    let (store, report) = open(dir);
    assert_eq!(report.cut_tail_bytes, zeros as u64, "{zeros} zeros");
    assert!(report.cut_tail_zeros);
    let saved = report.cut_tail_saved.clone().unwrap();
    assert_eq!(std::fs::read(saved).unwrap(), vec![0u8; zeros]);
    assert_eq!(
        std::fs::metadata(dir.join("journal")).unwrap().len(),
        before as u64
    );
    assert_eq!(logins(&store), (0..kept).map(login).collect::<Vec<_>>());
    drop(store);
    let (mut store, report) = open(dir);
    assert_eq!(report.cut_tail_bytes, 0, "cut in one open");
    let cuts = evidence(dir);
    assert_eq!(cuts.len(), 1, "the cut bytes are saved once: {cuts:?}");
    let next = store.apply("alice", at(), Change::PutUser(user("new", "N")));
    assert_eq!(next.unwrap(), kept as u64 + 1);
}

#[test]
fn zero_tails_are_cut_in_one_open() {
    for zeros in [8, 4096, 65536] {
        let tmp = tempfile::tempdir().unwrap();
        users_book(tmp.path(), 3);
        assert_zero_tail_cut_in_one_open(tmp.path(), zeros, 3);
    }
}

#[test]
fn zero_tails_after_a_framing_1_journal_are_cut_in_one_open() {
    for zeros in [8, 4096, 65536] {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("journal"), framing_1_journal(3)).unwrap();
        assert_zero_tail_cut_in_one_open(tmp.path(), zeros, 3);
    }
}

#[test]
fn a_journal_of_nothing_but_zeros_is_an_empty_book() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("journal"), vec![0u8; 4096]).unwrap();
    let (store, report) = open(tmp.path());
    assert_eq!(report.cut_tail_bytes, 4096);
    assert_eq!(store.seq(), 0);
}

// ---- framing 1 -----------------------------------------------------------------------------

#[test]
fn a_framing_1_journal_opens_and_is_upgraded_by_the_first_append() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let old = framing_1_journal(3);
    std::fs::write(dir.join("journal"), &old).unwrap();

    let (mut store, report) = open(dir);
    assert!(report.rebuilt, "no index yet: built from the old journal");
    assert_eq!(logins(&store), ["user0", "user1", "user2"]);
    assert_eq!(store.seq(), 3);
    assert_eq!(
        std::fs::read(dir.join("journal")).unwrap(),
        old,
        "reading changes nothing"
    );
    let entries = store.journal_entries().unwrap();
    assert_eq!(entries.len(), 3);

    let next = store.apply("alice", at(), Change::PutUser(user("user3", "Alice Chen")));
    assert_eq!(next.unwrap(), 4);
    drop(store);
    let new = std::fs::read(dir.join("journal")).unwrap();
    assert_eq!(&new[..8], b"CRMJRNL\0");
    // Header 24 bytes; each record gains 16 header bytes (24 instead of 8).
    let appended = new.len() - (24 + old.len() + 3 * 16);
    assert!(
        appended > 24,
        "the fourth record follows the three copied ones"
    );
    assert!(!names_in(dir).iter().any(|n| n.ends_with(".tmp")));

    let (store, report) = open(dir);
    assert!(!report.rebuilt);
    assert_eq!(logins(&store), ["user0", "user1", "user2", "user3"]);
    drop(store);
    let check = files::check(dir).unwrap();
    assert!(check.is_clean());
    assert_eq!((check.framing, check.records, check.last_seq), (2, 4, 4));
}

#[test]
fn damage_in_the_middle_of_a_framing_1_journal_is_refused_and_repaired() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut old = framing_1_journal(3);
    let second = 8 + u32::from_le_bytes([old[0], old[1], old[2], old[3]]) as usize;
    old[second + 20] ^= 2;
    std::fs::write(dir.join("journal"), &old).unwrap();
    let err = JournalStore::open(dir).err().unwrap();
    assert!(
        matches!(err, StoreError::Damaged { seq: 2, offset, good_after: 1, .. } if offset == second as u64),
        "{err}"
    );
    let report = files::repair(dir, &mut |_, _| {}).unwrap();
    assert_eq!(report.kept, 2);
    assert_eq!(report.lost.len(), 1);
    let (store, _) = open(dir);
    assert_eq!(logins(&store), ["user0", "user2"]);
    assert_eq!(store.seq(), 3);
}

// ---- an index ahead of its journal -----------------------------------------------------------

#[test]
fn an_empty_or_missing_journal_beside_a_full_index_is_refused_not_shown_empty() {
    for remove in [false, true] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        users_book(dir, 3);
        if remove {
            std::fs::remove_file(dir.join("journal")).unwrap();
        } else {
            std::fs::write(dir.join("journal"), b"").unwrap();
        }
        let err = JournalStore::open(dir).err().unwrap();
        assert!(
            matches!(
                err,
                StoreError::IndexAhead {
                    applied: 3,
                    journal_seq: 0,
                    ..
                }
            ),
            "{err}"
        );
        assert!(dir.join("index").exists());
        assert_eq!(evidence(dir), Vec::<String>::new());
        assert_eq!(std::fs::metadata(dir.join("journal")).unwrap().len(), 0);

        // The repair gives the book back from the index (as change 4: 1-3 are never
        // reused) and keeps the old index aside.
        let report = files::repair(dir, &mut |_, _| {}).unwrap();
        assert_eq!(report.lost_from_index, Some((1, 3)));
        assert_eq!(
            report.restored.as_ref().map(|r| (r.seq, r.users)),
            Some((4, 3))
        );
        assert_eq!(report.next_seq, 5);
        assert!(report.index_aside.clone().unwrap().exists());
        let (store, _) = open(dir);
        assert_eq!(logins(&store), ["user0", "user1", "user2"]);
        let audit = store.journal_entries().unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].actor, "crm-repair");
    }
}

// ---- damage to an old record ------------------------------------------------------------------

#[test]
fn damage_to_an_already_verified_old_record_is_found_at_the_next_open() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // Large names: the first record lies outside the last 4 KiB that `journal.checked`
    // fingerprints, so the hint still holds after the damage.
    let (mut bytes, starts, _) = users_book_named(dir, 3, |i| format!("{i}").repeat(3000));
    drop(open(dir));
    assert!(dir.join("journal.checked").exists());
    bytes[starts[0] as usize + 100] ^= 8;
    std::fs::write(dir.join("journal"), &bytes).unwrap();
    let err = JournalStore::open(dir).err().unwrap();
    match err {
        StoreError::Damaged {
            seq: 1,
            offset: 24,
            good_after: 2,
            ref detail,
            ..
        } => assert!(detail.contains("verified before"), "{detail}"),
        other => panic!("{other}"),
    }
    assert_eq!(std::fs::read(dir.join("journal")).unwrap(), bytes);
}

// ---- crm check and --repair through the binary -------------------------------------------------

#[test]
fn crm_check_reports_and_repair_salvages_with_exact_output() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (mut bytes, starts, ends) = users_book(dir, 3);
    let d = dir.display();

    let clean = crm(dir, &["check"]);
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(
        text(&clean.stdout),
        format!(
            "journal {d}/journal: 3 records, all good (last change 3)\n\
             index {d}/index: up to date (change 3)\n"
        )
    );

    // Flip a bit of the name in record 2: its checksum fails, its bytes still decode.
    let record = &bytes[starts[1] as usize..ends[1] as usize];
    let name_at = record.windows(5).position(|w| w == b"Alice").unwrap();
    bytes[starts[1] as usize + name_at] ^= 0x20;
    std::fs::write(dir.join("journal"), &bytes).unwrap();
    let (offset, length) = (starts[1], ends[1] - starts[1]);

    let refused = crm(dir, &["show", "x"]);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        text(&refused.stderr),
        format!(
            "crm: {d}/journal: record 2 at byte {offset} is damaged (payload checksum mismatch) \
             and 1 good record follows it; nothing was changed: run `crm check --repair` to \
             salvage every good record\n"
        )
    );

    let found = crm(dir, &["check"]);
    assert_eq!(found.status.code(), Some(1));
    assert_eq!(
        text(&found.stdout),
        format!(
            "journal {d}/journal: 2 good records, 1 damaged:\n  \
             record 2 at byte {offset} ({length} bytes): payload checksum mismatch; \
             was: saved user user1 (rep)\n\
             index {d}/index: up to date (change 3)\n"
        )
    );
    assert_eq!(
        text(&found.stderr),
        format!(
            "crm: the book in {d} is damaged: run `crm check --repair` to salvage its 2 good \
             records\n"
        )
    );

    let json = crm(dir, &["check", "--json"]);
    assert_eq!(json.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        value,
        serde_json::json!({
            "clean": false,
            "journal": format!("{d}/journal"),
            "framing": 2,
            "records": 2,
            "last_seq": 3,
            "bad": [{
                "seq": 2, "through": 2, "offset": offset, "length": length,
                "reason": "payload checksum mismatch",
                "what": "saved user user1 (rep)",
                "torn_tail": false,
            }],
            "index": {
                "path": format!("{d}/index"), "state": "up_to_date", "applied": 3,
                "reason": null,
            },
        })
    );
    assert_eq!(std::fs::read(dir.join("journal")).unwrap(), bytes);

    let repaired = crm(dir, &["check", "--repair"]);
    assert_eq!(
        repaired.status.code(),
        Some(0),
        "{}",
        text(&repaired.stderr)
    );
    let names = names_in(dir);
    let damaged = names
        .iter()
        .find(|n| n.starts_with("journal.damaged-"))
        .unwrap();
    let aside = names
        .iter()
        .find(|n| n.starts_with("index.broken-"))
        .unwrap();
    assert_eq!(
        text(&repaired.stdout),
        format!(
            "salvaged 2 good records into a fresh {d}/journal\n\
             kept the damaged journal as {d}/{damaged}\n\
             lost record 2 at byte {offset} ({length} bytes): payload checksum mismatch; \
             was: saved user user1 (rep)\n\
             restored the book as the index held it at change 3 (0 customers, 3 users, 0 \
             cycles) as change 4: what the lost records changed is kept, only their lines in \
             the audit trail are gone\n\
             moved the old index to {d}/{aside} and rebuilt it from the journal\n\
             the next change is number 5\n"
        )
    );
    assert_eq!(std::fs::read(dir.join(damaged)).unwrap(), bytes);

    let after = crm(dir, &["check"]);
    assert_eq!(after.status.code(), Some(0));
    assert_eq!(
        text(&after.stdout),
        format!(
            "journal {d}/journal: 3 records, all good (last change 4)\n\
             index {d}/index: up to date (change 4)\n"
        )
    );
    let again = crm(dir, &["check", "--repair"]);
    assert_eq!(
        text(&again.stdout),
        "nothing to repair: the journal's 3 records and the index are whole\n"
    );
    let (store, _) = open(dir);
    assert_eq!(logins(&store), ["user0", "user1", "user2"]);
}

// ---- a full disk -------------------------------------------------------------------------------

/// A small tmpfs mounted for one test (root only), unmounted when dropped.
struct Tmpfs {
    path: PathBuf,
    _dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            eprintln!("skipped: mounting a tmpfs needs root");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fs");
        std::fs::create_dir(&path).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&path)
            .status();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("skipped: cannot mount a tmpfs here");
            return None;
        }
        Some(Tmpfs { path, _dir: dir })
    }

    fn free(&self) -> u64 {
        let path = std::ffi::CString::new(self.path.to_str().unwrap()).unwrap();
        // SAFETY: statvfs fills the zeroed struct; the path is NUL-terminated.
        let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::statvfs(path.as_ptr(), &mut stat) }, 0);
        stat.f_bavail as u64 * stat.f_frsize as u64
    }

    /// Fills the file system until `left` bytes are free.
    fn fill_to(&self, left: u64) {
        let filler = self.path.join("filler");
        let _ = std::fs::remove_file(&filler);
        let size = self.free().saturating_sub(left);
        let file = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0u8; 1 << 16];
        let mut written = 0;
        use std::io::Write;
        let mut out = std::io::BufWriter::new(file);
        while written < size {
            let n = chunk.len().min((size - written) as usize);
            if out.write_all(&chunk[..n]).is_err() {
                break;
            }
            written += n as u64;
        }
        let _ = out.flush();
    }

    fn free_up(&self) {
        let _ = std::fs::remove_file(self.path.join("filler"));
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.path).status();
    }
}

/// The message of a full disk: names the data dir and the bytes needed.
fn assert_full_disk_message(stderr: &[u8], dir: &Path) {
    let line = text(stderr);
    let expected = format!(
        "no space left for the book in {}: this needs about ",
        dir.display()
    );
    assert!(line.contains(&expected), "{line}");
    assert!(line.contains(" bytes free, "), "{line}");
    assert!(line.contains("nothing was changed"), "{line}");
}

fn contact_notes(dir: &Path) -> String {
    text(&crm(dir, &["export"]).stdout)
}

#[test]
fn a_full_disk_is_reported_and_never_taken_for_damage() {
    let Some(fs) = Tmpfs::mount("8m") else {
        return;
    };
    let dir = fs.path.join("book");
    let demo = crm(&dir, &["demo", "--customers", "20", "--seed", "2"]);
    assert!(demo.status.success(), "{}", text(&demo.stderr));
    let id = "c000001";
    let logged = crm(
        &dir,
        &[
            "log",
            id,
            "--channel",
            "phone",
            "--direction",
            "outbound",
            "--outcome",
            "neutral",
        ],
    );
    assert!(logged.status.success(), "{}", text(&logged.stderr));
    let journal = std::fs::read(dir.join("journal")).unwrap();
    fs.fill_to(0);

    // Read-only: an error naming the data dir, the index left where it is, every time.
    for _ in 0..3 {
        let shown = crm(&dir, &["show", id]);
        assert_eq!(shown.status.code(), Some(1));
        assert_full_disk_message(&shown.stderr, &dir);
    }
    // A write: refused, nothing of it written.
    let args = [
        "log",
        id,
        "--channel",
        "phone",
        "--direction",
        "outbound",
        "--outcome",
        "neutral",
    ];
    let refused = crm(&dir, &[&args[..], &["--note", "on a full disk"]].concat());
    assert_eq!(refused.status.code(), Some(1));
    assert_full_disk_message(&refused.stderr, &dir);
    assert_eq!(std::fs::read(dir.join("journal")).unwrap(), journal);
    let leftovers: Vec<String> = names_in(&dir)
        .into_iter()
        .filter(|n| n.contains(".broken-") || n.contains(".cut-") || n.ends_with(".tmp"))
        .collect();
    assert_eq!(leftovers, Vec::<String>::new());

    // Space freed: the book opens as it was.
    fs.free_up();
    let shown = crm(&dir, &["show", id]);
    assert!(shown.status.success(), "{}", text(&shown.stderr));
    assert!(!contact_notes(&dir).contains("on a full disk"));
}

/// Twenty new customers as a JSON book (the contract's format), made from the book's own
/// export with fresh ids.
fn twenty_new_customers(dir: &Path, file: &Path) {
    let exported = crm(dir, &["export"]);
    let mut book: serde_json::Value = serde_json::from_slice(&exported.stdout).unwrap();
    for customer in book["customers"].as_array_mut().unwrap() {
        let id = customer["id"].as_str().unwrap().to_string();
        customer["id"] = format!("{id}new").into();
    }
    book["pdca"] = serde_json::json!([]);
    book["users"] = serde_json::json!([]);
    std::fs::write(file, serde_json::to_vec(&book).unwrap()).unwrap();
}

#[test]
fn an_import_on_a_nearly_full_disk_is_all_or_nothing() {
    let Some(fs) = Tmpfs::mount("8m") else {
        return;
    };
    let dir = fs.path.join("book");
    assert!(crm(&dir, &["demo", "--customers", "20", "--seed", "2"])
        .status
        .success());
    let file = fs.path.join("import.json");
    twenty_new_customers(&dir, &file);
    let (mut refused, mut imported) = (0, 0);
    for kib in [0u64, 16, 64, 256, 512, 1024, 1536, 2048, 3072] {
        let before = std::fs::read(dir.join("journal")).unwrap();
        let had = contact_notes(&dir).matches("new\"").count();
        fs.fill_to(kib << 10);
        let run = crm(&dir, &["import", file.to_str().unwrap(), "--merge"]);
        fs.free_up();
        let has = contact_notes(&dir).matches("new\"").count();
        match run.status.code() {
            Some(0) => {
                imported += 1;
                assert_eq!(has, 20, "{kib} KiB free: imported whole");
            }
            Some(1) => {
                refused += 1;
                assert_full_disk_message(&run.stderr, &dir);
                assert_eq!(has, had, "{kib} KiB free: nothing imported");
                assert_eq!(
                    std::fs::read(dir.join("journal")).unwrap(),
                    before,
                    "{kib} KiB free: nothing written"
                );
            }
            other => panic!("{kib} KiB free: exit {other:?}: {}", text(&run.stderr)),
        }
    }
    assert!(
        refused > 0 && imported > 0,
        "{refused} refused, {imported} imported"
    );
}

#[test]
fn a_journal_framed_by_a_newer_crm_is_refused_never_cut() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (mut bytes, _, _) = users_book(dir, 2);
    // Framing 3 in the file header, its checksum made valid again.
    bytes[8..10].copy_from_slice(&3u16.to_le_bytes());
    let crc = crc32fast::hash(&bytes[..20]);
    bytes[20..24].copy_from_slice(&crc.to_le_bytes());
    std::fs::write(dir.join("journal"), &bytes).unwrap();
    let err = JournalStore::open(dir).err().unwrap();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: journal framing 3 is newer than this crm understands (up to 2); upgrade crm",
            dir.join("journal").display()
        )
    );
    assert!(files::check(dir).is_err());
    assert!(files::repair(dir, &mut |_, _| {}).is_err());
    assert_eq!(std::fs::read(dir.join("journal")).unwrap(), bytes);
    assert_eq!(evidence(dir), Vec::<String>::new());
}

#[test]
fn crm_check_names_a_torn_tail_and_the_next_open_cuts_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (mut bytes, _, ends) = users_book(dir, 2);
    // The first 30 bytes of a record that never finished (the index never saw it).
    let torn = frame_prefix(&bytes[ends[0] as usize..ends[1] as usize], 30);
    bytes.extend_from_slice(&torn);
    std::fs::write(dir.join("journal"), &bytes).unwrap();
    let d = dir.display();
    let found = crm(dir, &["check"]);
    assert_eq!(found.status.code(), Some(1));
    assert_eq!(
        text(&found.stdout),
        format!(
            "journal {d}/journal: 2 good records, 1 damaged:\n  \
             torn tail at byte {} (30 bytes): an unfinished last write (a torn tail); \
             not decodable\n\
             index {d}/index: up to date (change 2)\n",
            ends[1]
        )
    );
    let shown = crm(dir, &["show", "x"]);
    let cut = names_in(dir)
        .into_iter()
        .find(|n| n.starts_with("journal.cut-"))
        .unwrap();
    assert_eq!(std::fs::read(dir.join(&cut)).unwrap(), torn);
    assert!(
        text(&shown.stderr).starts_with(&format!(
            "crm: an unfinished write (30 bytes) at the end of the journal was cut (kept in \
             {d}/{cut})\n"
        )),
        "{}",
        text(&shown.stderr)
    );
    let (store, report) = open(dir);
    assert_eq!(report.cut_tail_bytes, 0, "cut once");
    drop(store);
    let clean = crm(dir, &["check"]);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stdout));
}

/// The first `n` bytes of `record`, its sequence changed to 3 with a valid header checksum,
/// as a crash in the middle of writing record 3 would leave them.
fn frame_prefix(record: &[u8], n: usize) -> Vec<u8> {
    let mut record = record.to_vec();
    record[8..16].copy_from_slice(&3u64.to_le_bytes());
    let crc = crc32fast::hash(&record[..20]);
    record[20..24].copy_from_slice(&crc.to_le_bytes());
    record.truncate(n);
    record
}

#[test]
fn a_bit_flip_in_the_file_header_is_refused_and_repaired_not_taken_for_an_empty_book() {
    // Magic, framing, floor, checksum; no index, so only the journal's scan decides.
    for position in [0usize, 9, 14, 21] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let (mut bytes, _, _) = users_book(dir, 3);
        std::fs::remove_dir_all(dir.join("index")).unwrap();
        bytes[position] ^= 1;
        std::fs::write(dir.join("journal"), &bytes).unwrap();
        let err = JournalStore::open(dir).err().unwrap();
        assert!(
            matches!(
                err,
                StoreError::Damaged {
                    offset: 0,
                    good_after: 3,
                    ..
                }
            ),
            "byte {position}: {err}"
        );
        assert_eq!(std::fs::read(dir.join("journal")).unwrap(), bytes);
        let report = files::repair(dir, &mut |_, _| {}).unwrap();
        assert_eq!((report.kept, report.next_seq), (3, 4), "byte {position}");
        let (store, _) = open(dir);
        assert_eq!(logins(&store), ["user0", "user1", "user2"]);
    }
}

/// sled releases its file lock from a background thread a moment after the last handle is
/// dropped, so a test that reopens the index directly waits for it as `Index::open` does.
fn sled_when_released(path: &Path) -> sled::Db {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match sled::open(path) {
            Ok(db) => return db,
            Err(e) if std::time::Instant::now() < deadline => {
                assert!(e.to_string().contains("lock"), "{e}");
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => panic!("{e}"),
        }
    }
}

#[test]
fn crm_check_reads_every_index_value_and_repair_rebuilds_a_damaged_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    users_book(dir, 2);
    // A value that no longer decodes, where opening the book never looks.
    {
        let db = sled_when_released(&dir.join("index"));
        let users = db.open_tree("users").unwrap();
        users.insert(b"zz", &b"\x01\x00\xff\xff\xff"[..]).unwrap();
        db.flush().unwrap();
    }
    let report = files::check(dir).unwrap();
    assert!(!report.is_clean());
    assert!(report.bad.is_empty(), "the journal is whole");
    match &report.index {
        crm::store::IndexState::Damaged { reason } => {
            assert!(reason.contains("user at key zz"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    let repaired = files::repair(dir, &mut |_, _| {}).unwrap();
    assert!(repaired.repaired);
    assert_eq!((repaired.kept, repaired.lost.len()), (2, 0));
    assert!(repaired.index_aside.is_some());
    let (store, _) = open(dir);
    assert_eq!(logins(&store), ["user0", "user1"]);
    drop(store);
    assert!(files::check(dir).unwrap().is_clean());
}
