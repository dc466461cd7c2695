//! Every command of the command line, end to end, on a temporary data dir: what it prints,
//! its exit code, and that refused input leaves the book exactly as it was.

use std::path::Path;
use std::process::{Command, Output};

mod common;

fn crm(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crm"))
        .arg("--data")
        .arg(dir)
        .args(["--as-of", "2026-11-22", "--user", "alice"])
        .args(args)
        .env_remove("CRM_CONFIG")
        .output()
        .expect("run crm")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status.code(),
        stderr(&output)
    );
    stdout(&output)
}

/// Exit 1 with a single line on stderr that contains every `needle`.
fn refused(output: Output, needles: &[&str]) {
    assert_eq!(output.status.code(), Some(1), "stderr: {}", stderr(&output));
    let message = stderr(&output);
    assert_eq!(message.trim_end().lines().count(), 1, "one line: {message}");
    for needle in needles {
        assert!(message.contains(needle), "'{needle}' not in: {message}");
    }
}

/// Exit 2 (a usage error: clap's message and usage) naming every `needle`.
fn usage_error(output: Output, needles: &[&str]) {
    assert_eq!(output.status.code(), Some(2), "stderr: {}", stderr(&output));
    let message = stderr(&output);
    for needle in needles {
        assert!(message.contains(needle), "'{needle}' not in: {message}");
    }
    assert!(output.stdout.is_empty());
}

const BOOK: &str = r#"{
  "format": "crm-book/1",
  "users": [{"login": "alice", "name": "Alice Chen", "role": "rep"}],
  "customers": [{
    "id": "acme", "name": "Acme Trading Co.", "kind": "organization", "segment": "manufacturing",
    "owner": "alice", "created": "2023-01-15", "tags": ["key-account"], "category_spend": 250000,
    "contacts": [{"name": "Li Wei", "role": "buyer", "phone": "+86 10 5555 0101", "email": "li.wei@acme.example"}],
    "bonds": [{"level": "social", "kind": "named account manager", "since": "2023-03-01", "until": null, "note": ""}],
    "orders": [{"date": "2026-05-02", "amount": 12000, "margin": 3600}],
    "interactions": [{"at": "2026-05-10T09:30:00Z", "channel": "phone", "direction": "outbound",
                      "purpose": "follow_up", "outcome": "positive", "satisfaction": 4,
                      "signals": ["competitor_mentioned"], "note": "asked about volume pricing",
                      "follow_up": "2026-06-01", "author": "alice"}],
    "lost": null
  }, {
    "id": "mueller", "name": "Müller Maschinenbau GmbH", "kind": "organization", "owner": "alice",
    "created": "2024-02-01"
  }, {
    "id": "huaxin", "name": "北京华信科技有限公司", "kind": "organization", "owner": "alice",
    "created": "2024-02-01"
  }],
  "pdca": []
}"#;

fn imported() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("book");
    let file = dir.path().join("book.json");
    std::fs::write(&file, BOOK).unwrap();
    let out = ok(crm(&data, &["import", file.to_str().unwrap()]));
    assert!(out.contains("imported 3 customers"), "{out}");
    (dir, data)
}

#[test]
fn find_is_unicode_aware_and_prints_json() {
    let (_dir, data) = imported();
    assert!(ok(crm(&data, &["find", "muller"])).starts_with("mueller\t"));
    assert!(ok(crm(&data, &["find", "华信"])).starts_with("huaxin\t"));
    assert!(ok(crm(&data, &["find", "5555", "0101"])).starts_with("acme\t"));
    assert!(ok(crm(&data, &["find", "wei", "li"])).starts_with("acme\t"));
    let hits: serde_json::Value =
        serde_json::from_str(&ok(crm(&data, &["find", "acme", "--json"]))).unwrap();
    assert_eq!(hits[0]["id"], "acme");
    assert_eq!(hits[0]["name"], "Acme Trading Co.");
    assert!(hits[0]["score"].is_number());
}

#[test]
fn show_gives_the_contract_fields() {
    let (_dir, data) = imported();
    let card: serde_json::Value =
        serde_json::from_str(&ok(crm(&data, &["show", "acme", "--json"]))).unwrap();
    for field in common::CARD_FIELDS {
        assert!(card.get(field).is_some(), "missing {field}");
    }
    assert_eq!(card["as_of"], "2026-11-22");
    assert_eq!(card["level"], "social");
    assert_eq!(card["bonds"][0]["kind"], "named account manager");
    // One order on 2026-05-02, 204 days before the as-of date: a young relationship, but
    // 204 ÷ 90 (the book's default rhythm, no own gap) = 2.27 > 1.5 is overdue (silence
    // scores 1, below decline's 2), and growth needs a customer that is not overdue.
    assert_eq!(card["stage"], "maturity");
    assert_eq!(
        card["stage_evidence"][1],
        "silence: no order for 204 days, 2.27 × the 90 days expected between orders (the book's default rhythm; too few orders for its own) (scores 1)"
    );
    assert_eq!(card["value"]["margin_12m"], 3600.0);
    // Revenue 12 000 of a category spend of 250 000.
    assert_eq!(card["value"]["share_of_wallet"], 0.048);
    // The follow-up of 2026-06-01 was never done.
    let codes: Vec<&str> = card["next_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes[0], "follow_up_overdue", "{codes:?}");
    // A query that names exactly one customer works like its id.
    let text = ok(crm(&data, &["show", "Acme Trading"]));
    assert!(text.starts_with("Acme Trading Co. (acme)"), "{text}");
}

/// `crm list` classifies the whole book in one call: one line per customer in id order.
#[test]
fn list_gives_every_customer_its_stage() {
    let (_dir, data) = imported();
    let lines: serde_json::Value =
        serde_json::from_str(&ok(crm(&data, &["list", "--json"]))).unwrap();
    let stages: Vec<(&str, &str)> = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["id"].as_str().unwrap(), l["stage"].as_str().unwrap()))
        .collect();
    // acme as in `show` above; the two without orders are prospects.
    assert_eq!(
        stages,
        [
            ("acme", "maturity"),
            ("huaxin", "acquisition"),
            ("mueller", "acquisition")
        ]
    );
    assert_eq!(lines[0]["as_of"], "2026-11-22");
    assert_eq!(lines[0]["tier"], "platinum");
    let text = ok(crm(&data, &["list"]));
    assert_eq!(
        text.lines().next(),
        Some("acme\tmaturity\tplatinum\tAcme Trading Co.")
    );
    assert_eq!(
        text.lines().nth(2),
        Some("mueller\tacquisition\t-\tMüller Maschinenbau GmbH")
    );
}

#[test]
fn show_refuses_unknown_and_ambiguous_customers() {
    let (_dir, data) = imported();
    refused(
        crm(&data, &["show", "nobody-like-this"]),
        &["nobody-like-this"],
    );
    refused(crm(&data, &["show", "gmbh co"]), &["no customer matches"]);
    usage_error(
        crm(&data, &["show", "--as-of", "2026-13-01", "acme"]),
        &["--as-of", "2026-13-01"],
    );
}

#[test]
fn log_validates_every_field_and_is_durable() {
    let (_dir, data) = imported();
    let base = [
        "log",
        "acme",
        "--direction",
        "outbound",
        "--outcome",
        "positive",
    ];
    let with = |extra: &[&str]| {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        args.iter().map(|s| s.to_string()).collect::<Vec<String>>()
    };
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        crm(&data, &args)
    };
    usage_error(
        run(with(&["--channel", "pigeon"])),
        &["--channel", "pigeon", "phone"],
    );
    usage_error(
        run(with(&["--channel", "phone", "--satisfaction", "6"])),
        &["--satisfaction"],
    );
    usage_error(
        run(with(&["--channel", "phone", "--signal", "rumour"])),
        &["--signal", "rumour"],
    );
    usage_error(
        run(with(&["--channel", "phone", "--follow-up", "next week"])),
        &["--follow-up"],
    );
    usage_error(
        run(with(&["--channel", "phone", "--at", "yesterday"])),
        &["--at"],
    );
    let usage = crm(&data, &["log", "acme"]);
    assert_eq!(
        usage.status.code(),
        Some(2),
        "a missing required flag is a usage error"
    );

    let out = ok(run(with(&[
        "--channel",
        "meeting",
        "--purpose",
        "sales",
        "--satisfaction",
        "5",
        "--signal",
        "referral_given",
        "--note",
        "signed the framework deal",
        "--follow-up",
        "2026-12-01",
        "--at",
        "2026-11-20T15:00:00Z",
    ])));
    // The imported follow-up was task 1; this contact closes it and opens task 2.
    assert_eq!(
        out,
        "logged a contact with acme; follow-up task 2 opened; closed earlier follow-ups 1\n"
    );
    let card: serde_json::Value =
        serde_json::from_str(&ok(crm(&data, &["show", "acme", "--json"]))).unwrap();
    let newest = &card["recent_interactions"][0];
    assert_eq!(newest["note"], "signed the framework deal");
    assert_eq!(newest["channel"], "meeting");
    assert_eq!(newest["author"], "alice");
    let tasks = card["open_tasks"].as_array().unwrap();
    assert_eq!(
        tasks.len(),
        1,
        "the new contact closed the old follow-up: {tasks:?}"
    );
    assert_eq!(tasks[0]["due"], "2026-12-01");
}

#[test]
fn agenda_and_portfolio_answer_in_text_and_json() {
    let (_dir, data) = imported();
    let agenda: serde_json::Value =
        serde_json::from_str(&ok(crm(&data, &["agenda", "--json"]))).unwrap();
    assert_eq!(agenda["follow_ups"][0]["customer"], "acme");
    assert!(ok(crm(&data, &["agenda", "--owner", "alice"])).contains("Acme Trading Co."));
    let portfolio: serde_json::Value = serde_json::from_str(&ok(crm(
        &data,
        &["portfolio", "--json", "--capacity", "10"],
    )))
    .unwrap();
    assert_eq!(portfolio["customers"], 3);
    assert!(ok(crm(&data, &["portfolio"])).contains("The three CRM queues"));
}

#[test]
fn export_json_round_trips_through_import() {
    let (dir, data) = imported();
    let first = ok(crm(&data, &["export"]));
    let file = dir.path().join("export.json");
    std::fs::write(&file, &first).unwrap();
    let copy = dir.path().join("copy");
    ok(crm(&copy, &["import", file.to_str().unwrap()]));
    assert_eq!(ok(crm(&copy, &["export"])), first);
    // -o writes the same bytes to a file.
    let out = dir.path().join("out.json");
    ok(crm(&data, &["export", "-o", out.to_str().unwrap()]));
    assert_eq!(std::fs::read_to_string(out).unwrap(), first);
    let csv = ok(crm(&data, &["export", "--format", "csv"]));
    assert!(csv.starts_with("id,name,"), "{csv}");
}

#[test]
fn importing_twice_needs_merge() {
    let (dir, data) = imported();
    let file = dir.path().join("book.json");
    refused(
        crm(&data, &["import", file.to_str().unwrap()]),
        &["book.json", "acme", "--merge"],
    );
    ok(crm(&data, &["import", "--merge", file.to_str().unwrap()]));
}

#[test]
fn a_bad_csv_line_leaves_the_book_exactly_as_it_was() {
    let (dir, data) = imported();
    let before = ok(crm(&data, &["export"]));
    let mut csv = String::from("name,phone,category_spend\n");
    for n in 2..=1001 {
        let spend = if n == 900 { "lots" } else { "1000" };
        csv.push_str(&format!("Customer {n},+1 555 {n:04},{spend}\n"));
    }
    let file = dir.path().join("customers.csv");
    std::fs::write(&file, csv).unwrap();
    refused(
        crm(&data, &["import", file.to_str().unwrap()]),
        &["customers.csv:900", "category_spend"],
    );
    assert_eq!(ok(crm(&data, &["export"])), before);
}

#[test]
fn vcards_import() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("book");
    let file = dir.path().join("people.vcf");
    std::fs::write(
        &file,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Wang Fang\r\nN:Wang;Fang;;;\r\nORG:Huaxin Tech\r\nTEL:+86 10 1234 5678\r\nEMAIL:wang.fang@huaxin.example\r\nCATEGORIES:vip,beijing\r\nEND:VCARD\r\n",
    )
    .unwrap();
    ok(crm(&data, &["import", file.to_str().unwrap()]));
    let hits = ok(crm(&data, &["find", "wang", "fang"]));
    assert!(hits.contains("Huaxin Tech"), "{hits}");
}

#[test]
fn demo_is_deterministic_and_refuses_a_full_book() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    ok(crm(&a, &["demo", "--customers", "30", "--seed", "9"]));
    ok(crm(&b, &["demo", "--customers", "30", "--seed", "9"]));
    assert_eq!(ok(crm(&a, &["export"])), ok(crm(&b, &["export"])));
    refused(
        crm(&a, &["demo", "--customers", "30"]),
        &["not empty", "--force"],
    );
    ok(crm(&a, &["demo", "--customers", "12", "--force"]));
    let book: serde_json::Value = serde_json::from_str(&ok(crm(&a, &["export"]))).unwrap();
    assert_eq!(book["customers"].as_array().unwrap().len(), 12);
}

#[test]
fn usage_errors_exit_2_and_help_has_examples() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("book");
    assert_eq!(crm(&data, &["frobnicate"]).status.code(), Some(2));
    assert!(ok(crm(&data, &["log", "--help"])).contains("Examples"));
    assert!(ok(crm(&data, &["completions", "bash"])).contains("crm"));
    assert!(ok(crm(&data, &["man"])).contains(".TH"));
}

#[test]
fn a_bad_config_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[value]\ndiscount_rate = 0.1\nretention = 3\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_crm"))
        .arg("--data")
        .arg(dir.path().join("book"))
        .arg("--config")
        .arg(&config)
        .args(["find", "x"])
        .output()
        .unwrap();
    refused(out, &["config.toml:3", "retention"]);
}

#[test]
fn a_second_process_is_told_who_holds_the_book() {
    let (_dir, data) = imported();
    // The console would hold the lock; a running `crm serve` is the simplest holder.
    let mut server = Command::new(env!("CARGO_BIN_EXE_crm"))
        .arg("--data")
        .arg(&data)
        .args(["serve", "--socket"])
        .arg(data.with_extension("elsewhere.sock"))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let socket = data.with_extension("elsewhere.sock");
    let start = std::time::Instant::now();
    while !socket.exists() && start.elapsed() < std::time::Duration::from_secs(30) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // No socket in the data dir, so the client cannot reach it: a clear refusal.
    let out = crm(&data, &["agenda"]);
    let _ = server.kill();
    let _ = server.wait();
    refused(out, &["open in another crm process", "pid"]);
}

/// `crm correct`: the contact at --at gets the fields given (the rest kept), its follow-up
/// moves; `crm show` says it was corrected and what it said before; the audit shows the
/// log and the correction; a time with no contact is refused, nothing changed.
#[test]
fn correct_changes_the_fields_given_and_keeps_the_old_version() {
    let (_dir, data) = imported();
    ok(crm(
        &data,
        &[
            "log",
            "acme",
            "--channel",
            "phone",
            "--direction",
            "inbound",
            "--outcome",
            "positive",
            "--note",
            "wants 50 units",
            "--follow-up",
            "2026-11-25",
            "--at",
            "2026-11-22T09:15:00Z",
        ],
    ));
    refused(
        crm(
            &data,
            &[
                "correct",
                "acme",
                "--at",
                "2026-11-22T09:16:00Z",
                "--note",
                "x",
            ],
        ),
        &["acme", "no contact at 2026-11-22T09:16:00Z"],
    );
    usage_error(
        crm(
            &data,
            &[
                "correct",
                "acme",
                "--at",
                "2026-11-22T09:15:00Z",
                "--follow-up",
                "2026-11-30",
                "--no-follow-up",
            ],
        ),
        &["--no-follow-up"],
    );
    let out = ok(crm(
        &data,
        &[
            "correct",
            "acme",
            "--at",
            "2026-11-22T09:15:00Z",
            "--note",
            "wants 500 units",
            "--follow-up",
            "2026-11-27",
        ],
    ));
    assert_eq!(
        out,
        "corrected the contact of 2026-11-22T09:15:00Z with acme (the old version is kept)\n"
    );
    let card: serde_json::Value =
        serde_json::from_str(&ok(crm(&data, &["show", "acme", "--json"]))).unwrap();
    let newest = &card["recent_interactions"][0];
    assert_eq!(newest["note"], "wants 500 units");
    assert_eq!(newest["direction"], "inbound", "a field not given is kept");
    assert_eq!(newest["follow_up"], "2026-11-27");
    assert_eq!(card["corrections"][0]["previous"]["note"], "wants 50 units");
    assert_eq!(card["corrections"][0]["by"], "alice");
    let due: Vec<&str> = card["open_tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["text"].as_str().unwrap_or("").contains("units"))
        .map(|t| t["due"].as_str().unwrap())
        .collect();
    assert_eq!(due, ["2026-11-27"], "the follow-up moved, not doubled");
    let shown = ok(crm(&data, &["show", "acme"]));
    assert!(
        shown.contains("by alice; before: positive  wants 50 units"),
        "{shown}"
    );
    let audit = ok(crm(&data, &["audit", "--customer", "acme", "--json"]));
    assert!(audit.contains("\"kind\": \"contact\""), "{audit}");
    assert!(audit.contains("\"kind\": \"contact_corrected\""), "{audit}");
}

/// `crm correct --last` corrects the customer's last contact; `--at` and `--last` are one
/// or the other.
#[test]
fn correct_last_takes_the_last_contact() {
    let (_dir, data) = imported();
    usage_error(crm(&data, &["correct", "acme", "--note", "x"]), &["--at"]);
    let before: serde_json::Value =
        serde_json::from_str(&ok(crm(&data, &["show", "acme", "--json"]))).unwrap();
    let last = before["recent_interactions"][0].clone();
    let out = ok(crm(
        &data,
        &[
            "correct",
            "acme",
            "--last",
            "--note",
            "corrected by --last",
            "--json",
        ],
    ));
    let out: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(out["previous"], last);
    assert_eq!(out["corrected"]["note"], "corrected by --last");
    assert_eq!(out["corrected"]["at"], last["at"]);
}

/// A corrected contact's earlier versions travel with the JSON book: exported, imported into
/// a new book, `crm show` says the same "corrected … before: …", the card's corrections are
/// the same, and the new book's export is the first export byte for byte. The BOOK file
/// (written before corrections existed, no `corrections` field) still imports.
#[test]
fn an_export_keeps_a_corrected_contacts_earlier_versions_through_an_import() {
    let (dir, data) = imported();
    let log = [
        "log",
        "acme",
        "--channel",
        "phone",
        "--direction",
        "inbound",
        "--outcome",
        "positive",
        "--note",
        "wants 50 units",
        "--follow-up",
        "2026-11-25",
        "--at",
        "2026-11-22T09:15:00Z",
    ];
    ok(crm(&data, &log));
    let at = ["correct", "acme", "--at", "2026-11-22T09:15:00Z"];
    ok(crm(
        &data,
        &[&at[..], &["--note", "wants 500 units"]].concat(),
    ));
    ok(crm(
        &data,
        &[&at[..], &["--note", "wants 5000 units"]].concat(),
    ));
    let first = ok(crm(&data, &["export"]));
    let exported: serde_json::Value = serde_json::from_str(&first).unwrap();
    let acme = exported["customers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "acme")
        .unwrap();
    let notes: Vec<(&str, &str)> = acme["corrections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(c["by"], "alice");
            (
                c["previous"]["note"].as_str().unwrap(),
                c["corrected"]["note"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        notes,
        [
            ("wants 50 units", "wants 500 units"),
            ("wants 500 units", "wants 5000 units")
        ]
    );
    let file = dir.path().join("first.json");
    std::fs::write(&file, &first).unwrap();
    let again = dir.path().join("again");
    ok(crm(&again, &["import", file.to_str().unwrap()]));
    let shown = ok(crm(&data, &["show", "acme"]));
    assert!(
        shown.contains("by alice; before: positive  wants 500 units"),
        "{shown}"
    );
    // Everything but the changes (the new book's journal starts with the import).
    let card_part = |text: &str| text.split("\nChanges").next().unwrap().to_string();
    let shown_again = ok(crm(&again, &["show", "acme"]));
    assert_eq!(card_part(&shown_again), card_part(&shown));
    // The audit trail brought forward from the store names the corrections as made.
    assert!(
        shown_again.contains("\"wants 500 units\" → \"wants 5000 units\""),
        "{shown_again}"
    );
    let card = |dir: &Path| -> serde_json::Value {
        serde_json::from_str(&ok(crm(dir, &["show", "acme", "--json"]))).unwrap()
    };
    let (before, after) = (card(&data), card(&again));
    assert_eq!(after["corrections"], before["corrections"]);
    assert_eq!(after["recent_interactions"], before["recent_interactions"]);
    assert_eq!(after["open_tasks"], before["open_tasks"]);
    assert_eq!(ok(crm(&again, &["export"])), first);
    // Merged back into the book it came from, it brings no correction twice.
    ok(crm(&data, &["import", "--merge", file.to_str().unwrap()]));
    assert_eq!(card(&data)["corrections"], before["corrections"]);
}

/// `crm show` says what field sync left to look at in words, in the reader's language
/// (the fields as people name them, not the format's codes); `--json` keeps the codes.
#[test]
fn show_says_what_sync_left_to_look_at_in_words() {
    let (_dir, mut book) = common::book_of(crm::domain::model::BookData {
        users: vec![],
        accounts: common::four_customers(),
        cycles: vec![],
    });
    let mut card = book.card("acme", common::as_of()).unwrap();
    card.changed_on_two_devices = vec!["category_spend".into(), "owner".into()];
    card.lost_but_contacted = true;
    let en = crm::cli::show::render(&card);
    assert!(
        en.contains(
            "\nchanged on two devices: category spend, owner (the later edit is shown; \
             crm audit has the other)\n"
        ),
        "{en}"
    );
    assert!(
        en.contains(
            "\nmarked lost on one device and contacted on another: decide (mark lost again, \
             or clear the mark)\n"
        ),
        "{en}"
    );
    crm::i18n::set_for_thread(Some(crm::i18n::Lang::ZhCn));
    let zh = crm::cli::show::render(&card);
    crm::i18n::set_for_thread(None);
    assert!(
        zh.contains(
            "\n在两台设备上都修改过：品类支出、负责人（显示较晚的修改；另一版本见 crm audit）\n"
        ),
        "{zh}"
    );
    assert!(
        zh.contains(
            "\n在一台设备上标记为流失，另一台上又有联系：请决定（再次标记流失，或清除标记）\n"
        ),
        "{zh}"
    );
    assert!(
        !zh.contains("category_spend") && !zh.contains("changed on"),
        "{zh}"
    );
    let json = serde_json::to_value(&card).unwrap();
    assert_eq!(
        json["changed_on_two_devices"],
        serde_json::json!(["category_spend", "owner"])
    );
    assert_eq!(json["lost_but_contacted"], true);
}
