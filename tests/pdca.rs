//! `crm pdca` end to end through the real binary on a temporary book: a cycle goes
//! Plan → Do → Check → Act (adjust) → the next cycle, with the measured values worked out
//! by hand from the imported book and the contacts logged on the way.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_crm");

/// Alice owns acme and bolt, bob owns coda. Satisfaction ratings (all contacts positive):
/// acme 3 on 2025-12-01 and 2 on 2025-12-20, bolt 4 on 2025-12-10, coda 1 (bob's).
/// Cycle 1 is an old, closed turn, so new cycles are numbered from 2.
const BOOK: &str = include_str!("../docs/pdca-example.json");

struct Book {
    _dir: tempfile::TempDir,
    data: PathBuf,
    config: PathBuf,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Book {
    fn new() -> Book {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let config = dir.path().join("config.toml");
        std::fs::write(&config, "").unwrap();
        let file = dir.path().join("book.json");
        std::fs::write(&file, BOOK).unwrap();
        let book = Book {
            data,
            config,
            _dir: dir,
        };
        book.ok("2026-01-10", &["import", file.to_str().unwrap()]);
        book
    }

    fn run(&self, as_of: &str, args: &[&str]) -> Run {
        let out = Command::new(BIN)
            .arg("--data")
            .arg(&self.data)
            .arg("--config")
            .arg(&self.config)
            .args(["--user", "alice", "--as-of", as_of])
            .args(args)
            .env_remove("CRM_DATA")
            .env_remove("CRM_CONFIG")
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn ok(&self, as_of: &str, args: &[&str]) -> String {
        let run = self.run(as_of, args);
        assert_eq!(run.code, 0, "{args:?} failed: {}", run.stderr);
        run.stdout
    }

    /// A refusal: exit 1, one line on stderr containing `reason`, nothing on stdout.
    fn refused(&self, as_of: &str, args: &[&str], reason: &str) {
        let run = self.run(as_of, args);
        assert_eq!(
            run.code, 1,
            "{args:?} should be refused; stdout: {}",
            run.stdout
        );
        assert!(
            run.stderr.contains(reason),
            "{args:?}: expected '{reason}' in: {}",
            run.stderr
        );
        assert_eq!(
            run.stderr.trim().lines().count(),
            1,
            "one line: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty());
    }

    /// A usage error: exit 2, clap's message naming every needle, nothing on stdout.
    fn usage(&self, args: &[&str], needles: &[&str]) {
        let run = self.run("2026-01-10", args);
        assert_eq!(
            run.code, 2,
            "{args:?} is a usage error; stderr: {}",
            run.stderr
        );
        for needle in needles {
            assert!(
                run.stderr.contains(needle),
                "{args:?}: expected '{needle}' in: {}",
                run.stderr
            );
        }
        assert!(run.stdout.is_empty());
    }

    fn json(&self, as_of: &str, args: &[&str]) -> Value {
        let out = self.ok(as_of, args);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}\n{out}"))
    }

    fn show(&self, as_of: &str, id: &str) -> Value {
        self.json(as_of, &["pdca", "show", id, "--json"])
    }
}

fn close(actual: &Value, expected: f64, what: &str) {
    let actual = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: not a number: {actual}"));
    assert!(
        (actual - expected).abs() < 1e-9,
        "{what}: expected {expected}, got {actual}"
    );
}

fn log(book: &Book, customer: &str, at: &str, satisfaction: &str) {
    book.ok(
        "2026-03-01",
        &[
            "log",
            customer,
            "--channel",
            "phone",
            "--direction",
            "outbound",
            "--outcome",
            "positive",
            "--purpose",
            "service",
            "--satisfaction",
            satisfaction,
            "--at",
            at,
        ],
    );
}

#[test]
fn a_cycle_turns_through_plan_do_check_act_into_the_next() {
    let book = Book::new();

    // Plan on 2026-01-10. The 90-day window holds alice's ratings 3, 2 and 4: baseline 3.
    let out = book.ok(
        "2026-01-10",
        &[
            "pdca",
            "new",
            "--title",
            "Happier accounts",
            "--scope",
            "owner:alice",
            "--metric",
            "avg_satisfaction",
            "--direction",
            "raise",
            "--target",
            "3.5",
            "--check-date",
            "2026-03-01",
            "--notes",
            "two unhappy contacts in December",
        ],
    );
    assert!(
        out.starts_with("planned cycle 2 (owner:alice): avg_satisfaction baseline 3.00"),
        "{out}"
    );
    let planned = book.show("2026-01-10", "2");
    assert_eq!(planned["cycle"]["phase"], "plan");
    assert_eq!(planned["cycle"]["owner"], "alice");
    assert_eq!(
        planned["cycle"]["scope"],
        serde_json::json!({"owner": "alice"})
    );
    close(&planned["cycle"]["baseline"], 3.0, "baseline");
    close(&planned["measured_now"], 3.0, "measured now");

    // No Do without an action.
    book.refused(
        "2026-01-11",
        &["pdca", "advance", "2"],
        "cycle 2 has no action",
    );
    let out = book.ok(
        "2026-01-11",
        &[
            "pdca",
            "add-action",
            "2",
            "call",
            "the",
            "unhappy",
            "accounts",
            "--due",
            "2026-01-20",
        ],
    );
    assert_eq!(out, "cycle 2: action 1 added\n");
    assert_eq!(
        book.ok("2026-01-11", &["pdca", "advance", "2"]),
        "cycle 2: plan -> do\n"
    );

    // Do: no act before a check, no check before its date.
    book.refused(
        "2026-02-01",
        &["pdca", "act", "2", "--decision", "adjust"],
        "no measured result",
    );
    book.refused(
        "2026-02-01",
        &["pdca", "advance", "2"],
        "its check is due on 2026-03-01",
    );
    log(&book, "acme", "2026-02-10T10:00:00Z", "5");
    log(&book, "bolt", "2026-02-20T10:00:00Z", "4");
    book.ok("2026-02-21", &["pdca", "done", "2", "1"]);

    // Check on 2026-03-01: acme's rating of 2025-12-01 is 90 days old and leaves the
    // window; 2 + 4 + 5 + 4 remain: 15 / 4 = 3.75 >= 3.5, met. Coda's 1 is bob's.
    let out = book.ok("2026-03-01", &["pdca", "advance", "2"]);
    assert_eq!(
        out,
        "cycle 2: do -> check: avg_satisfaction measured 3.75 against target 3.50: met\n"
    );
    let checked = book.show("2026-03-01", "2");
    assert_eq!(checked["cycle"]["phase"], "check");
    close(&checked["cycle"]["result"]["value"], 3.75, "result");
    assert_eq!(checked["cycle"]["result"]["met"], true);
    assert_eq!(checked["cycle"]["result"]["on"], "2026-03-01");
    assert_eq!(checked["cycle"]["actions"][0]["done"], "2026-02-21");
    assert_eq!(checked["cycle"]["actions"][0]["due"], "2026-01-20");
    assert_eq!(
        checked["cycle"]["actions"][0]["text"],
        "call the unhappy accounts"
    );
    book.refused(
        "2026-03-01",
        &["pdca", "set", "2", "--target", "4"],
        "now fixed",
    );

    // Act: adjust closes the cycle and opens the next one with the measured baseline.
    assert_eq!(
        book.ok("2026-03-02", &["pdca", "advance", "2"]),
        "cycle 2: check -> act\n"
    );
    book.refused(
        "2026-03-02",
        &["pdca", "advance", "2"],
        "record the act decision",
    );
    let out = book.ok(
        "2026-03-02",
        &[
            "pdca",
            "act",
            "2",
            "--decision",
            "adjust",
            "--lessons",
            "personal calls lift satisfaction",
        ],
    );
    assert_eq!(
        out,
        "cycle 2: closed (adjust)\nplanned cycle 3 (owner:alice): avg_satisfaction baseline 3.75 carried from cycle 2\n"
    );
    // Closing cycle 2 and opening cycle 3 was one journal event.
    {
        use crm::store::Store as _;
        let (store, _) = crm::store::JournalStore::open(&book.data).unwrap();
        let entries = store.journal_entries().unwrap();
        let last = entries.last().unwrap();
        assert_eq!(last.description, "merged 0 customers, 0 users, 2 cycles");
        assert_eq!(last.actor, "alice");
        assert_eq!(
            store.cycle(2).unwrap().unwrap().phase,
            crm::domain::model::Phase::Closed
        );
    }
    let next = book.show("2026-03-02", "3");
    let cycle = &next["cycle"];
    assert_eq!(cycle["phase"], "plan");
    assert_eq!(cycle["previous"], 2);
    assert_eq!(cycle["metric"], "avg_satisfaction");
    assert_eq!(cycle["direction"], "raise");
    assert_eq!(cycle["created"], "2026-03-02");
    close(&cycle["baseline"], 3.75, "next baseline");
    assert!(cycle["plan_notes"]
        .as_str()
        .unwrap()
        .contains("personal calls lift satisfaction"));
    let chain: Vec<(u64, String)> = next["chain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["id"].as_u64().unwrap(), l["decision"].to_string()))
        .collect();
    assert_eq!(
        chain,
        [(2, "\"adjust\"".to_string()), (3, "null".to_string())]
    );
    close(&next["chain"][0]["baseline"], 3.0, "chain baseline");
    close(&next["chain"][0]["result"]["value"], 3.75, "chain result");

    // The closed cycle keeps its record; only its lessons change.
    book.refused(
        "2026-03-02",
        &["pdca", "add-action", "2", "more"],
        "cycle 2 is closed",
    );
    book.refused(
        "2026-03-02",
        &["pdca", "act", "2", "--decision", "abandon"],
        "cycle 2 is closed",
    );
    book.ok(
        "2026-03-02",
        &["pdca", "set", "2", "--lessons", "calls, then a visit"],
    );
    assert_eq!(
        book.show("2026-03-02", "2")["cycle"]["lessons"],
        "calls, then a visit"
    );
    book.refused(
        "2026-03-02",
        &["pdca", "advance", "3"],
        "cycle 3 has no target",
    );

    // Lists, filtered by phase, parse as JSON.
    let ids = |phase: &str| -> Vec<u64> {
        let list = book.json("2026-03-02", &["pdca", "list", "--json", "--phase", phase]);
        list.as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(ids("closed"), [1, 2]);
    assert_eq!(ids("plan"), [3]);
    assert!(ids("do").is_empty());
    let text = book.ok("2026-03-02", &["pdca", "list"]);
    assert_eq!(
        text.lines().count(),
        4,
        "a header and three cycles:\n{text}"
    );
}

#[test]
fn bad_input_is_refused_with_the_reason() {
    let book = Book::new();
    let new = |extra: &[&str]| -> Vec<String> {
        let mut args: Vec<String> = [
            "pdca",
            "new",
            "--title",
            "t",
            "--scope",
            "owner:alice",
            "--metric",
            "decline_count",
            "--direction",
            "lower",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    };
    let refused = |args: Vec<String>, reason: &str| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        book.refused("2026-01-10", &args, reason);
    };
    let usage = |args: Vec<String>, needles: &[&str]| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        book.usage(&args, needles);
    };
    let mut args = new(&[]);
    args[7] = "happiness".into();
    usage(args, &["--metric", "'happiness'", "retention_rate"]);
    usage(
        new(&["--target", "lots"]),
        &["--target", "'lots' is not a number"],
    );
    refused(
        new(&["--target", "-1"]),
        "target -1 for decline_count: must be 0 or more",
    );
    refused(
        new(&["--check-date", "2026-01-01"]),
        "before the plan was made",
    );
    let mut args = new(&[]);
    args[5] = "owner:nobody".into();
    refused(args, "scope owner:nobody holds no customer");
    let mut args = new(&[]);
    args[5] = "team:x".into();
    refused(args, "--scope: scope 'team:x': expected book");
    let mut args = new(&[]);
    args[5] = "customer:zzz".into();
    refused(args, "no customer matches 'zzz'");
    refused(
        vec!["pdca".into(), "show".into(), "99".into()],
        "no PDCA cycle with id 99",
    );
    book.usage(&["pdca", "advance", "x"], &["'x'", "<ID>"]);
    book.usage(
        &["pdca", "list", "--phase", "doing"],
        &["--phase", "'doing'", "closed"],
    );
    book.usage(
        &["pdca", "act", "1", "--decision", "keep"],
        &["--decision", "'keep'", "standardise"],
    );
    book.usage(&["pdca", "done", "1", "0"], &["'0'", "<ACTION>"]);
    book.refused(
        "2026-01-10",
        &["pdca", "set", "1"],
        "cycle 1: nothing to change",
    );
    // Nothing refused was written: only the imported cycle exists.
    let list = book.json("2026-01-10", &["pdca", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn a_customer_scope_resolves_a_query_and_takes_the_customers_owner() {
    let book = Book::new();
    // Coda's margin: no margin given, default 30 % of 2 000.
    let out = book.ok(
        "2026-01-10",
        &[
            "pdca",
            "new",
            "--title",
            "Grow Coda",
            "--scope",
            "customer:Coda Foods",
            "--metric",
            "margin_12m",
            "--direction",
            "raise",
            "--target",
            "900",
            "--action",
            "propose a bundle",
        ],
    );
    assert_eq!(
        out,
        "planned cycle 2 (customer:coda): margin_12m baseline 600 as of 2026-01-10\n"
    );
    let shown = book.show("2026-01-10", "2");
    assert_eq!(shown["cycle"]["owner"], "bob");
    assert_eq!(shown["cycle"]["actions"].as_array().unwrap().len(), 1);
    assert_eq!(
        book.ok("2026-01-10", &["pdca", "advance", "2"]),
        "cycle 2: plan -> do\n"
    );
    // Without a check date the check can be made any day; 366 days after the
    // order it has left the 12-month window.
    let out = book.ok("2026-09-02", &["pdca", "advance", "2"]);
    assert_eq!(
        out,
        "cycle 2: do -> check: margin_12m measured 0 against target 900: not met\n"
    );
    let text = book.ok("2026-09-02", &["pdca", "show", "2"]);
    assert!(
        text.contains("Result     0, not met (checked 2026-09-02)"),
        "{text}"
    );
}

#[test]
fn changing_commands_print_the_cycle_as_json() {
    let book = Book::new();
    let planned = book.json(
        "2026-01-10",
        &[
            "pdca",
            "new",
            "--title",
            "Happier accounts",
            "--scope",
            "owner:alice",
            "--metric",
            "avg_satisfaction",
            "--direction",
            "raise",
            "--target",
            "3.5",
            "--check-date",
            "2026-03-01",
            "--action",
            "call them",
            "--json",
        ],
    );
    assert_eq!(planned["cycle"]["id"], 2);
    assert_eq!(planned["cycle"]["phase"], "plan");
    close(&planned["cycle"]["baseline"], 3.0, "baseline");
    assert_eq!(planned["next"], Value::Null);
    let added = book.json(
        "2026-01-10",
        &["pdca", "add-action", "2", "write", "to", "them", "--json"],
    );
    assert_eq!(added["cycle"]["actions"].as_array().unwrap().len(), 2);
    let done = book.json("2026-01-10", &["pdca", "done", "2", "2", "--json"]);
    assert_eq!(done["cycle"]["actions"][1]["done"], "2026-01-10");
    let set = book.json(
        "2026-01-10",
        &["pdca", "set", "2", "--target", "3.25", "--json"],
    );
    close(&set["cycle"]["target"], 3.25, "target");
    let advanced = book.json("2026-01-11", &["pdca", "advance", "2", "--json"]);
    assert_eq!(advanced["cycle"]["phase"], "do");
    // The check on 2026-03-01 measures 2 and 4 (acme's 3 has left the window): 3.00.
    let checked = book.json("2026-03-01", &["pdca", "advance", "2", "--json"]);
    close(&checked["cycle"]["result"]["value"], 3.0, "result");
    let acted = book.json(
        "2026-03-02",
        &["pdca", "act", "2", "--decision", "adjust", "--json"],
    );
    assert_eq!(acted["cycle"]["phase"], "closed");
    assert_eq!(acted["next"]["id"], 3);
    assert_eq!(acted["next"]["phase"], "plan");
    close(&acted["next"]["baseline"], 3.0, "next baseline");
}
