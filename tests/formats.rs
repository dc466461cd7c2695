//! Import and export formats (JSON book, CSV, vCard) and the demo book generator.

use std::collections::HashSet;

use crm::demo::{demo_book, DemoOptions};
use crm::domain::model::*;
use crm::interchange::format_csv::{parse_csv, to_csv};
use crm::interchange::format_json::{parse_json, to_json};
use crm::interchange::format_vcf::parse_vcf;
use crm::interchange::import_error::ImportError;
use jiff::civil::Date;

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

const TODAY: &str = "2026-03-15";

/// The example of CONTRACT.md "JSON book format", verbatim.
const CONTRACT_EXAMPLE: &str = r#"{
  "format": "crm-book/1",
  "users": [{"login": "alice", "name": "Alice Chen", "role": "rep"}],
  "customers": [{
    "id": "acme",
    "name": "Acme Trading Co.",
    "kind": "organization",
    "segment": "manufacturing",
    "owner": "alice",
    "created": "2023-01-15",
    "tags": ["key-account"],
    "category_spend": 250000,
    "contacts": [{"name": "Li Wei", "role": "buyer", "phone": "+86 10 5555 0101", "email": "li.wei@acme.example"}],
    "bonds": [{"level": "social", "kind": "named account manager", "since": "2023-03-01", "until": null, "note": ""}],
    "orders": [{"date": "2024-05-02", "amount": 12000, "margin": 3600}],
    "interactions": [{"at": "2024-05-10T09:30:00Z", "channel": "phone", "direction": "outbound",
                      "purpose": "follow_up", "outcome": "positive", "satisfaction": 4,
                      "signals": ["competitor_mentioned"], "note": "asked about volume pricing",
                      "follow_up": "2024-06-01", "author": "alice"}],
    "lost": null
  }],
  "pdca": []
}"#;

fn demo(customers: usize, seed: u64) -> BookData {
    let opts = DemoOptions {
        customers,
        seed,
        today: date(TODAY),
    };
    demo_book(&opts, &mut |_| {})
}

/// A valid book text with one customer whose body is `customer` (JSON members).
fn book_with(customer: &str) -> String {
    format!(
        "{{\n  \"format\": \"crm-book/1\",\n  \"customers\": [\n    {{\"id\": \"ok\", \"name\": \"Fine Ltd\", \"created\": \"2024-01-01\"}},\n    {{\n{customer}\n    }}\n  ]\n}}\n"
    )
}

fn json_err(text: &str) -> ImportError {
    parse_json("book.json", text).expect_err("the import should fail")
}

// ---- JSON ---------------------------------------------------------------------------------

#[test]
fn the_contract_example_reads_as_written() {
    let data = parse_json("book.json", CONTRACT_EXAMPLE).unwrap();
    assert_eq!(
        data.users,
        [User {
            login: "alice".into(),
            name: "Alice Chen".into(),
            role: Role::Rep,
            team: None
        }]
    );
    let account = &data.accounts[0];
    let c = &account.customer;
    assert_eq!(c.id, "acme");
    assert_eq!(c.kind, CustomerKind::Organization);
    assert_eq!(c.created, date("2023-01-15"));
    assert_eq!(c.category_spend, Some(250_000.0));
    assert_eq!(c.contacts[0].phone, "+86 10 5555 0101");
    assert_eq!(account.bonds[0].level, BondLevel::Social);
    assert_eq!(account.bonds[0].until, None);
    assert_eq!(
        account.orders,
        [Order {
            date: date("2024-05-02"),
            amount: 12000.0,
            margin: Some(3600.0)
        }]
    );
    let i = &account.interactions[0];
    assert_eq!(i.at, "2024-05-10T09:30:00Z".parse().unwrap());
    assert_eq!(i.purpose, Purpose::FollowUp);
    assert_eq!(i.signals, [Signal::CompetitorMentioned]);
    assert_eq!(i.satisfaction, Some(4));
    // No "tasks" field: the follow-up date opened a task, still open (no later contact).
    assert_eq!(
        account.tasks,
        [Task {
            id: 1,
            due: date("2024-06-01"),
            text: "Follow up: asked about volume pricing".into(),
            origin: TaskOrigin::FollowUp,
            done: None
        }]
    );
    assert!(data.cycles.is_empty());
}

#[test]
fn the_contract_example_round_trips() {
    let data = parse_json("book.json", CONTRACT_EXAMPLE).unwrap();
    let text = to_json(&data);
    assert_eq!(parse_json("export.json", &text).unwrap(), data);
    assert_eq!(to_json(&parse_json("export.json", &text).unwrap()), text);
    // Money is written as people write it.
    assert!(text.contains("\"amount\": 12000,"), "{text}");
    assert!(text.contains("\"at\": \"2024-05-10T09:30:00Z\""), "{text}");
}

#[test]
fn demo_books_round_trip_through_json() {
    for seed in [1, 2] {
        let data = demo(300, seed);
        let text = to_json(&data);
        let back = parse_json("demo.json", &text).unwrap();
        assert_eq!(back, data);
        assert_eq!(to_json(&back), text);
    }
}

#[test]
fn derived_tasks_close_on_a_later_contact_and_number_across_the_file() {
    let text = r#"{"format": "crm-book/1", "customers": [
      {"id": "a", "name": "A Ltd", "created": "2024-01-01", "interactions": [
        {"at": "2024-03-01T10:00:00Z", "channel": "email", "direction": "outbound",
         "outcome": "neutral", "follow_up": "2024-03-08", "note": "send offer"},
        {"at": "2024-02-01T10:00:00Z", "channel": "phone", "direction": "inbound",
         "outcome": "positive", "follow_up": "2024-02-05"}]},
      {"id": "b", "name": "B Ltd", "created": "2024-01-01", "interactions": [
        {"at": "2024-04-01T10:00:00Z", "channel": "chat", "direction": "inbound",
         "outcome": "positive", "follow_up": "2024-04-03"}]}]}"#;
    let data = parse_json("t.json", text).unwrap();
    let a = &data.accounts[0];
    // Sorted oldest first: the February contact opened task 1, closed by the March one.
    assert_eq!(
        a.interactions[0].at,
        "2024-02-01T10:00:00Z".parse().unwrap()
    );
    assert_eq!(a.interactions[0].purpose, Purpose::Other);
    let ids: Vec<(u64, Option<Date>)> = a.tasks.iter().map(|t| (t.id, t.done)).collect();
    assert_eq!(ids, [(1, Some(date("2024-03-01"))), (2, None)]);
    assert_eq!(a.tasks[1].text, "Follow up: send offer");
    assert_eq!(data.accounts[1].tasks[0].id, 3);
}

#[test]
fn explicit_tasks_are_kept_and_derived_ids_follow_them() {
    let text = r#"{"format": "crm-book/1", "customers": [
      {"id": "a", "name": "A Ltd", "created": "2024-01-01",
       "tasks": [{"id": 41, "due": "2024-05-01", "text": "call", "origin": "manual", "done": null}]},
      {"id": "b", "name": "B Ltd", "created": "2024-01-01", "interactions": [
        {"at": "2024-04-01T10:00:00Z", "channel": "chat", "direction": "inbound",
         "outcome": "positive", "follow_up": "2024-04-03"}]}]}"#;
    let data = parse_json("t.json", text).unwrap();
    assert_eq!(data.accounts[0].tasks[0].id, 41);
    assert_eq!(data.accounts[1].tasks[0].id, 42);
}

#[test]
fn extensions_tasks_note_and_pdca_are_read() {
    let text = r#"{"format": "crm-book/1",
      "customers": [{"id": "a", "name": "Jane Cooper", "created": "2024-01-01", "note": "VIP"}],
      "pdca": [
        {"id": 1, "title": "Fewer declines", "scope": "book", "created": "2024-01-01",
         "phase": "closed", "metric": "decline_count", "direction": "lower", "baseline": 12,
         "target": 9, "result": {"value": 10.5, "met": false, "on": "2024-03-01"},
         "decision": "adjust", "next": 2},
        {"id": 2, "title": "Fewer declines (2)", "scope": {"customer": "a"},
         "created": "2024-03-02", "phase": "plan", "metric": "margin_12m", "previous": 1}]}"#;
    let data = parse_json("t.json", text).unwrap();
    assert_eq!(data.accounts[0].customer.note, "VIP");
    // No kind given: a plain name reads as a person.
    assert_eq!(data.accounts[0].customer.kind, CustomerKind::Person);
    let c = &data.cycles;
    assert_eq!(c[0].scope, Scope::Book);
    assert_eq!(c[0].direction, GoalDirection::Lower);
    assert_eq!(c[0].result.as_ref().map(|r| r.value), Some(10.5));
    assert_eq!(c[0].decision, Some(ActDecision::Adjust));
    assert_eq!(c[1].scope, Scope::Customer("a".into()));
    assert_eq!(c[1].metric, Some(Metric::Margin12m));
    assert_eq!(c[1].direction, GoalDirection::Raise);
    assert_eq!(c[1].previous, Some(1));
}

#[test]
fn syntax_errors_name_the_line() {
    let e = json_err(
        "{\n  \"format\": \"crm-book/1\",\n  \"customers\": [\n    {\"id\": \"a\",,}\n  ]\n}",
    );
    assert_eq!(e.file, "book.json");
    assert_eq!(e.line, Some(4));
    assert!(
        e.to_string()
            .starts_with("book.json:4: record customers[0]"),
        "{e}"
    );
    let e = json_err("");
    assert_eq!(e.line, Some(1));
}

#[test]
fn unknown_fields_name_the_field_the_record_and_the_line() {
    let text = book_with(
        "      \"id\": \"acme\",\n      \"name\": \"Acme\",\n      \"created\": \"2024-01-01\",\n      \"orders\": [{\"date\": \"2024-02-01\", \"amount\": 5, \"discount\": 1}]",
    );
    let e = json_err(&text);
    assert_eq!(e.line, Some(9), "{e}");
    assert_eq!(e.record.as_deref(), Some("customers[1] 'acme'"));
    assert_eq!(e.field.as_deref(), Some("orders[0].discount"));
    assert!(e.message.contains("unknown field `discount`"), "{e}");
    let top = json_err("{\"format\": \"crm-book/1\", \"extra\": 1}");
    assert_eq!(top.field.as_deref(), Some("extra"), "{top}");
    assert_eq!(top.record, None);
}

#[test]
fn missing_fields_are_named() {
    let text = book_with("      \"id\": \"acme\",\n      \"created\": \"2024-01-01\"");
    let e = json_err(&text);
    assert_eq!(e.record.as_deref(), Some("customers[1] 'acme'"));
    assert_eq!(e.field.as_deref(), Some("name"));
    assert!(e.message.contains("missing field"), "{e}");
    assert_eq!(e.line, Some(8), "{e}");
    let e = json_err("{\"customers\": []}");
    assert_eq!(e.field.as_deref(), Some("format"), "{e}");
}

#[test]
fn type_and_code_errors_name_the_field() {
    let text = book_with(
        "      \"id\": \"acme\", \"name\": \"Acme\", \"created\": \"2024-01-01\",\n      \"interactions\": [{\"at\": \"2024-02-01T10:00:00Z\", \"channel\": \"fax\",\n        \"direction\": \"inbound\", \"outcome\": \"positive\"}]",
    );
    let e = json_err(&text);
    assert_eq!(e.line, Some(7), "{e}");
    assert_eq!(e.field.as_deref(), Some("interactions[0].channel"));
    assert!(
        e.message.contains("unknown channel 'fax'")
            && e.message
                .contains("phone, email, meeting, chat, event, letter, other"),
        "{e}"
    );
    let text = book_with("      \"id\": \"acme\", \"name\": \"Acme\", \"created\": \"2024-02-30\"");
    let e = json_err(&text);
    assert_eq!(e.field.as_deref(), Some("created"), "{e}");
    assert_eq!(e.line, Some(6));
    let text = book_with(
        "      \"id\": \"acme\", \"name\": \"Acme\", \"created\": \"2024-01-01\", \"tags\": \"vip\"",
    );
    assert_eq!(json_err(&text).field.as_deref(), Some("tags"));
}

#[test]
fn the_format_must_be_crm_book_1() {
    let e = json_err("{\n\n  \"format\": \"crm-book/2\"\n}");
    assert_eq!(
        e.to_string(),
        "book.json:3: field 'format': must be \"crm-book/1\", got \"crm-book/2\""
    );
}

#[test]
fn validation_errors_name_record_field_and_line() {
    let cases = [
        (
            "      \"id\": \"neg\", \"name\": \"N\", \"created\": \"2024-01-01\",\n      \"orders\": [\n        {\"date\": \"2024-01-02\", \"amount\": -5}]",
            "customers[1] 'neg'",
            "orders[0].amount",
            8,
            "must be a number > 0, got -5",
        ),
        (
            "      \"id\": \"sat\", \"name\": \"S\", \"created\": \"2024-01-01\",\n      \"interactions\": [{\"at\": \"2024-02-01T10:00:00Z\", \"channel\": \"email\",\n        \"direction\": \"inbound\", \"outcome\": \"positive\",\n        \"satisfaction\": 7}]",
            "customers[1] 'sat'",
            "interactions[0].satisfaction",
            9,
            "must be 1 to 5, got 7",
        ),
        (
            "      \"id\": \"blank\",\n      \"name\": \"  \", \"created\": \"2024-01-01\"",
            "customers[1] 'blank'",
            "name",
            7,
            "must not be empty",
        ),
        (
            "      \"id\": \"b\", \"name\": \"B\", \"created\": \"2024-01-01\",\n      \"bonds\": [{\"level\": \"social\", \"since\": \"2024-05-01\",\n        \"until\": \"2024-04-01\"}]",
            "customers[1] 'b'",
            "bonds[0].until",
            8,
            "ends before it starts (2024-05-01)",
        ),
    ];
    for (customer, record, field, line, message) in cases {
        let e = json_err(&book_with(customer));
        assert_eq!(e.record.as_deref(), Some(record), "{e}");
        assert_eq!(e.field.as_deref(), Some(field), "{e}");
        assert_eq!(e.line, Some(line), "{e}");
        assert_eq!(e.message, message, "{e}");
    }
}

/// The console's form rules (src/domain/rules.rs) hold for an import too, each error
/// naming record, field and line.
#[test]
fn import_refuses_what_the_console_refuses() {
    let cases = [
        (
            "      \"id\": \"own\", \"name\": \"O\", \"created\": \"2024-01-01\",\n      \"owner\": \"bob smith\"",
            "owner",
            7,
            "must not contain spaces (a login)",
        ),
        (
            "      \"id\": \"zero\", \"name\": \"Z\", \"created\": \"2024-01-01\",\n      \"orders\": [\n        {\"date\": \"2024-01-02\", \"amount\": 0}]",
            "orders[0].amount",
            8,
            "must be a number > 0, got 0",
        ),
        (
            "      \"id\": \"m\", \"name\": \"M\", \"created\": \"2024-01-01\",\n      \"orders\": [\n        {\"date\": \"2024-01-02\", \"amount\": 100, \"margin\": 120}]",
            "orders[0].margin",
            8,
            "must not exceed the amount (120 > 100)",
        ),
    ];
    for (customer, field, line, message) in cases {
        let e = json_err(&book_with(customer));
        assert_eq!(e.field.as_deref(), Some(field), "{e}");
        assert_eq!(e.line, Some(line), "{e}");
        assert_eq!(e.message, message, "{e}");
    }
    let spaced_login = "{\"format\": \"crm-book/1\", \"users\": [\n{\"login\": \"al chen\"}]}";
    let e = json_err(spaced_login);
    assert_eq!(e.field.as_deref(), Some("login"), "{e}");
    assert_eq!(e.line, Some(2), "{e}");
}

#[test]
fn duplicate_ids_name_both_records() {
    let text = book_with("      \"id\": \"ok\", \"name\": \"Again\", \"created\": \"2024-01-01\"");
    let e = json_err(&text);
    assert_eq!(
        e.to_string(),
        "book.json:6: record customers[1] 'ok': field 'id': duplicate id (first at customers[0] 'ok', line 4)"
    );
    let users =
        "{\"format\": \"crm-book/1\", \"users\": [\n{\"login\": \"al\"},\n{\"login\": \"al\"}]}";
    let e = json_err(users);
    assert_eq!(e.line, Some(3));
    assert!(e.message.contains("users[0] 'al', line 2"), "{e}");
    let tasks = r#"{"format": "crm-book/1", "customers": [
      {"id": "a", "name": "A", "created": "2024-01-01", "tasks": [{"id": 3, "due": "2024-01-02"}]},
      {"id": "b", "name": "B", "created": "2024-01-01", "tasks": [{"id": 3, "due": "2024-01-02"}]}]}"#;
    let e = json_err(tasks);
    assert_eq!(e.record.as_deref(), Some("customers[1] 'b'"));
    assert_eq!(e.field.as_deref(), Some("tasks[0].id"));
    assert_eq!(e.line, Some(3));
}

// ---- CSV ----------------------------------------------------------------------------------

fn csv(text: &str) -> Result<BookData, ImportError> {
    parse_csv("people.csv", text.as_bytes(), date(TODAY))
}

#[test]
fn csv_reads_columns_in_any_order_with_bom_and_quotes() {
    let text = "\u{feff}email,name,tags,created,category_spend,note\r\n\
                li.wei@acme.example,\"Acme Trading Co.\",key-account; export ;,2023-01-15,250000,\"said \"\"call\r\nlater\"\"\"\r\n\
                ,王芳,,,,\r\n";
    let data = csv(text).unwrap();
    assert_eq!(data.accounts.len(), 2);
    let acme = &data.accounts[0].customer;
    assert_eq!(acme.id, "acme-trading-co");
    assert_eq!(acme.name, "Acme Trading Co.");
    assert_eq!(acme.kind, CustomerKind::Organization);
    assert_eq!(acme.tags, ["key-account", "export"]);
    assert_eq!(acme.created, date("2023-01-15"));
    assert_eq!(acme.category_spend, Some(250_000.0));
    assert_eq!(acme.note, "said \"call\r\nlater\"");
    assert_eq!(acme.contacts.len(), 1);
    assert_eq!(acme.contacts[0].email, "li.wei@acme.example");
    let wang = &data.accounts[1].customer;
    assert_eq!(wang.kind, CustomerKind::Person);
    assert_eq!(wang.created, date(TODAY));
    assert!(wang.contacts.is_empty());
    assert!(!wang.id.is_empty());
}

#[test]
fn csv_generated_ids_are_unique_and_stable() {
    let text = "name,id\nAcme Ltd,\nAcme Ltd,\nOther,acme-ltd-2\nAcme Ltd,\n";
    let ids: Vec<String> = csv(text)
        .unwrap()
        .accounts
        .into_iter()
        .map(|a| a.customer.id)
        .collect();
    assert_eq!(ids, ["acme-ltd", "acme-ltd-3", "acme-ltd-2", "acme-ltd-4"]);
}

#[test]
fn csv_unknown_column_is_named() {
    let e = csv("name,fax\nAcme,1\n").unwrap_err();
    assert_eq!(e.line, Some(1));
    assert_eq!(e.field.as_deref(), Some("fax"));
    assert!(
        e.to_string()
            .starts_with("people.csv:1: field 'fax': unknown column"),
        "{e}"
    );
    let e = csv("id,email\nx,a@b\n").unwrap_err();
    assert!(e.message.contains("'name' column"), "{e}");
    let e = csv("").unwrap_err();
    assert!(e.message.contains("header"), "{e}");
}

#[test]
fn csv_error_on_line_900_counts_quoted_newlines() {
    let mut text = String::from("id,name,note\n");
    // Rows on lines 2.. ; row 3 spans three lines, so later rows shift by two.
    for i in 2..900 {
        if i == 3 {
            text.push_str("r3,Three,\"one\ntwo\nthree\"\n");
        } else if i == 4 || i == 5 {
            continue;
        } else {
            text.push_str(&format!("r{i},Name {i},\n"));
        }
    }
    text.push_str("r900,Bad,\"x\",extra\n");
    let e = csv(&text).unwrap_err();
    assert_eq!(e.line, Some(900), "{e}");
    let mut text = String::from("id,name,category_spend\n");
    for i in 2..900 {
        text.push_str(&format!("r{i},Name {i},{i}\n"));
    }
    text.push_str("r900,Bad,lots\n");
    let e = csv(&text).unwrap_err();
    assert_eq!(
        e.to_string(),
        "people.csv:900: record 'r900': field 'category_spend': 'lots' is not a number >= 0"
    );
}

#[test]
fn csv_value_errors_name_line_and_column() {
    let e = csv("name,kind\nAcme,company\n").unwrap_err();
    assert_eq!(e.line, Some(2));
    assert_eq!(e.field.as_deref(), Some("kind"));
    assert!(e.message.contains("person, organization"), "{e}");
    let e = csv("name,created\nAcme,15/01/2023\n").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("created"));
    let e = csv("name,id\n,x\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "people.csv:2: record 'x': field 'name': must not be empty"
    );
    let e = csv("id,name\nx,A\nx,B\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "people.csv:3: record 'x': field 'id': duplicate id (first on line 2)"
    );
    let e = csv("name,id\nA,1\nB\n").unwrap_err();
    assert_eq!(e.line, Some(3));
    let e = parse_csv("b.csv", b"name\n\xff\xfe\n", date(TODAY)).unwrap_err();
    assert_eq!(e.to_string(), "b.csv:2: field 'name': not valid UTF-8");
}

#[test]
fn csv_with_crlf_line_endings_names_the_right_lines() {
    // The same errors as above, written by Excel: CRLF after every row, and a quoted note
    // spanning two lines before the bad row.
    let e = csv("name,kind\r\nAcme,organization\r\nBolt,company\r\n").unwrap_err();
    assert_eq!(e.line, Some(3), "{e}");
    let e = csv("id,name,note\r\na,A,\"one\r\ntwo\"\r\nb,B\r\n").unwrap_err();
    assert_eq!(e.line, Some(4), "{e}");
    let e = csv("id,name\r\nx,A\r\n\r\nx,B\r\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "people.csv:4: record 'x': field 'id': duplicate id (first on line 2)"
    );
}

#[test]
fn csv_separated_by_semicolons_is_read() {
    // Excel in locales whose decimal separator is the comma writes semicolons; tags are
    // joined by ';' inside a quoted field as usual.
    let text = "name;phone;category_spend;tags\r\nAcme Trading Co.;+44 20 7946 0101;250000;\"vip;export\"\r\nBolt, Inc.;;;\r\n";
    let data = csv(text).unwrap();
    let names: Vec<&str> = data
        .accounts
        .iter()
        .map(|a| a.customer.name.as_str())
        .collect();
    assert_eq!(names, ["Acme Trading Co.", "Bolt, Inc."]);
    let acme = &data.accounts[0].customer;
    assert_eq!(acme.contacts[0].phone, "+44 20 7946 0101");
    assert_eq!(acme.category_spend, Some(250000.0));
    assert_eq!(acme.tags, ["vip", "export"]);
    // Tab-separated too; a one-column file stays comma-separated.
    let data = csv("name\temail\nAcme\ta@acme.example\n").unwrap();
    assert_eq!(
        data.accounts[0].customer.contacts[0].email,
        "a@acme.example"
    );
    let data = csv("name\nSmith; Jones & Co\n").unwrap();
    assert_eq!(data.accounts[0].customer.name, "Smith; Jones & Co");
    // A semicolon file with a bad value names its line and column like any other.
    let e = csv("name;kind\nAcme;company\n").unwrap_err();
    assert_eq!(e.line, Some(2));
    assert_eq!(e.field.as_deref(), Some("kind"));
}

#[test]
fn csv_export_reads_back() {
    let mut data = parse_json("book.json", CONTRACT_EXAMPLE).unwrap();
    data.accounts[0].customer.note = "line one\nline \"two\", done".into();
    let text = to_csv(&data);
    assert!(text.starts_with(
        "id,name,kind,segment,owner,created,tags,category_spend,contact_name,contact_role,phone,email,note\n"
    ));
    let back = csv(&text).unwrap();
    assert_eq!(back.accounts[0].customer, data.accounts[0].customer);
}

// ---- vCard --------------------------------------------------------------------------------

fn vcf(text: &str) -> Result<BookData, ImportError> {
    parse_vcf("contacts.vcf", text, date(TODAY))
}

const VCARD_3: &str = "BEGIN:VCARD\r\n\
VERSION:3.0\r\n\
N:Wei;Li;;;\r\n\
FN:Li Wei\r\n\
ORG:Acme Trading Co.;Purchasing\r\n\
TITLE:Buyer\r\n\
TEL;TYPE=WORK,VOICE:+86 10 5555 0101\r\n\
TEL;TYPE=CELL,pref:+86 138 0000 0001\r\n\
EMAIL;TYPE=INTERNET:li.wei@acme.example\r\n\
NOTE:Met at the fair\\, booth 12\\nLikes\r\n  tea\r\n\
CATEGORIES:key-account,export\r\n\
END:VCARD\r\n\
BEGIN:VCARD\r\n\
VERSION:3.0\r\n\
N:王;芳;;;\r\n\
EMAIL:wang.fang@mail.example.cn\r\n\
END:VCARD\r\n";

#[test]
fn vcard_3_cards_become_customers() {
    let data = vcf(VCARD_3).unwrap();
    assert_eq!(data.accounts.len(), 2);
    let acme = &data.accounts[0].customer;
    assert_eq!(acme.name, "Acme Trading Co.");
    assert_eq!(acme.kind, CustomerKind::Organization);
    assert_eq!(acme.id, "acme-trading-co");
    assert_eq!(
        acme.contacts,
        [Contact {
            name: "Li Wei".into(),
            role: "Buyer".into(),
            phone: "+86 138 0000 0001".into(),
            email: "li.wei@acme.example".into()
        }]
    );
    assert_eq!(acme.note, "Met at the fair, booth 12\nLikes tea");
    assert_eq!(acme.tags, ["key-account", "export"]);
    assert_eq!(acme.created, date(TODAY));
    let wang = &data.accounts[1].customer;
    assert_eq!(wang.name, "王芳");
    assert_eq!(wang.kind, CustomerKind::Person);
    assert_eq!(wang.contacts[0].email, "wang.fang@mail.example.cn");
}

#[test]
fn vcard_4_and_2_1_samples() {
    let v4 = "BEGIN:VCARD\nVERSION:4.0\nFN:Jane Cooper\nTEL;VALUE=uri;TYPE=\"voice,home\":tel:+44-20-7946-0123\n\
              EMAIL;PREF=1:jane@example.com\nCATEGORIES:vip,golf\\,club\nEND:VCARD\n";
    let data = vcf(v4).unwrap();
    let jane = &data.accounts[0].customer;
    assert_eq!(jane.name, "Jane Cooper");
    assert_eq!(jane.kind, CustomerKind::Person);
    assert_eq!(jane.contacts[0].phone, "+44-20-7946-0123");
    assert_eq!(jane.contacts[0].email, "jane@example.com");
    assert_eq!(jane.tags, ["vip", "golf,club"]);
    let v21 = "BEGIN:VCARD\nVERSION:2.1\nN:Smith;John\nNOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:=E7=8E=8B caf=\n=C3=A9\nEND:VCARD\n";
    let data = vcf(v21).unwrap();
    assert_eq!(data.accounts[0].customer.name, "John Smith");
    assert_eq!(data.accounts[0].customer.note, "王 café");
}

#[test]
fn vcard_structure_errors_name_lines() {
    let e = vcf("BEGIN:VCARD\nFN:A\nBEGIN:VCARD\nFN:B\nEND:VCARD\n").unwrap_err();
    assert_eq!(e.line, Some(3));
    assert!(e.message.contains("begun on line 1"), "{e}");
    let e = vcf("BEGIN:VCARD\nFN:A\nEND:VCARD\nEND:VCARD\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "contacts.vcf:4: END:VCARD without BEGIN:VCARD"
    );
    let e = vcf("FN:A\n").unwrap_err();
    assert_eq!(e.line, Some(1));
    let e = vcf("BEGIN:VCARD\nVERSION:3.0\nFN:A\nEND:VCARD\nBEGIN:VCARD\nFN:B\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "contacts.vcf:5: BEGIN:VCARD has no END:VCARD"
    );
    let e = vcf("BEGIN:VCARD\nVERSION:3.0\nTEL:1\nEND:VCARD\n").unwrap_err();
    assert_eq!(e.line, Some(1));
    assert_eq!(e.record.as_deref(), Some("card 1"));
    let e = vcf("BEGIN:VCARD\nVERSION:5.0\nFN:A\nEND:VCARD\n").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("VERSION"));
    assert_eq!(e.line, Some(2));
    let e = vcf("BEGIN:VCARD\nFN A\nEND:VCARD\n").unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(vcf("").is_err());
}

// ---- demo ---------------------------------------------------------------------------------

#[test]
fn demo_is_deterministic_for_a_seed() {
    let a = demo(250, 42);
    assert_eq!(a, demo(250, 42));
    assert_ne!(a, demo(250, 43));
    // A customer does not change when the book grows.
    assert_eq!(demo(300, 42).accounts[..250], a.accounts[..]);
}

#[test]
fn demo_covers_the_domain() {
    let data = demo(1000, 7);
    let today = date(TODAY);
    let accounts = &data.accounts;
    assert_eq!(accounts[0].customer.id, "c000001");
    let cjk = accounts
        .iter()
        .filter(|a| {
            a.customer
                .name
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        })
        .count();
    assert!((150..=250).contains(&cjk), "CJK names: {cjk} of 1000");
    let owners: HashSet<&str> = accounts.iter().map(|a| a.customer.owner.as_str()).collect();
    assert!((4..=6).contains(&owners.len()), "{owners:?}");
    assert!((4..=6).contains(&data.users.len()));
    let interactions: Vec<&Interaction> = accounts.iter().flat_map(|a| &a.interactions).collect();
    let per_customer = interactions.len() as f64 / accounts.len() as f64;
    assert!((8.0..=13.0).contains(&per_customer), "{per_customer}");
    for channel in Channel::ALL {
        assert!(
            interactions.iter().any(|i| i.channel == *channel),
            "{channel}"
        );
    }
    for purpose in Purpose::ALL {
        assert!(
            interactions.iter().any(|i| i.purpose == *purpose),
            "{purpose}"
        );
    }
    for outcome in Outcome::ALL {
        assert!(
            interactions.iter().any(|i| i.outcome == *outcome),
            "{outcome}"
        );
    }
    for signal in Signal::ALL {
        assert!(
            interactions.iter().any(|i| i.signals.contains(signal)),
            "{signal}"
        );
    }
    assert!(interactions
        .iter()
        .all(|i| i.at <= "2026-03-16T00:00:00Z".parse().unwrap()));
    let bonds: Vec<&Bond> = accounts.iter().flat_map(|a| &a.bonds).collect();
    for level in BondLevel::ALL {
        assert!(
            bonds
                .iter()
                .any(|b| b.level == *level && b.active_on(today)),
            "{level}"
        );
    }
    assert!(
        bonds.iter().any(|b| b.until.is_some_and(|u| u <= today)),
        "ended bonds"
    );
    assert!(bonds.iter().any(|b| b.since > today), "future bonds");
    let reasons: HashSet<LostReason> = accounts
        .iter()
        .filter_map(|a| a.customer.lost.as_ref().map(|l| l.reason))
        .collect();
    assert_eq!(reasons.len(), LostReason::ALL.len());
    let overdue = accounts
        .iter()
        .flat_map(|a| &a.tasks)
        .filter(|t| t.origin == TaskOrigin::FollowUp && t.done.is_none() && t.due < today)
        .count();
    assert!(overdue >= 50, "overdue follow-ups: {overdue}");
    let first_order = accounts
        .iter()
        .flat_map(|a| &a.orders)
        .map(|o| o.date)
        .min()
        .unwrap();
    assert!(
        first_order <= date("2023-03-15"),
        "orders start {first_order}"
    );
    assert!(accounts.iter().any(|a| a.orders.is_empty()), "prospects");
    let task_ids: HashSet<u64> = accounts
        .iter()
        .flat_map(|a| &a.tasks)
        .map(|t| t.id)
        .collect();
    assert_eq!(
        task_ids.len(),
        accounts.iter().map(|a| a.tasks.len()).sum::<usize>()
    );
}

#[test]
fn demo_pdca_has_a_chain_of_three() {
    let data = demo(50, 3);
    let cycles = &data.cycles;
    let by_id = |id: u64| cycles.iter().find(|c| c.id == id).unwrap();
    let first = cycles
        .iter()
        .find(|c| c.previous.is_none() && c.next.is_some())
        .unwrap();
    let second = by_id(first.next.unwrap());
    let third = by_id(second.next.unwrap());
    for done in [first, second] {
        assert_eq!(done.phase, Phase::Closed);
        assert_eq!(done.decision, Some(ActDecision::Adjust));
    }
    assert_eq!(second.baseline, first.result.as_ref().map(|r| r.value));
    assert_eq!(third.baseline, second.result.as_ref().map(|r| r.value));
    assert!(matches!(third.phase, Phase::Plan | Phase::Do));
    assert!(cycles.iter().any(|c| c.phase == Phase::Check));
    assert!(cycles.iter().filter(|c| c.phase == Phase::Do).count() >= 2);
}

#[test]
fn demo_reports_progress_every_thousand() {
    let mut seen = Vec::new();
    let opts = DemoOptions {
        customers: 2500,
        seed: 1,
        today: date(TODAY),
    };
    demo_book(&opts, &mut |n| seen.push(n));
    assert_eq!(seen, [1000, 2000, 2500]);
}

// ---- robustness ---------------------------------------------------------------------------

mod never_panic {
    use super::*;
    use proptest::prelude::*;

    fn mutate(text: &str, edits: &[(usize, u8, u8)]) -> Vec<u8> {
        let mut bytes = text.as_bytes().to_vec();
        for &(at, kind, byte) in edits {
            if bytes.is_empty() {
                bytes.push(byte);
                continue;
            }
            let at = at % bytes.len();
            match kind % 3 {
                0 => bytes[at] = byte,
                1 => {
                    bytes.remove(at);
                }
                _ => bytes.insert(at, byte),
            }
        }
        bytes
    }

    fn all_parsers(bytes: &[u8]) {
        let today = date(TODAY);
        let _ = parse_csv("f", bytes, today);
        let text = String::from_utf8_lossy(bytes);
        let _ = parse_json("f", &text);
        let _ = parse_vcf("f", &text, today);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            all_parsers(&bytes);
        }

        #[test]
        fn mutated_valid_files(
            edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..8),
            structural in proptest::sample::select(b"{}[]\":,\\\n;=".to_vec()),
        ) {
            let mut edits = edits;
            edits[0].2 = structural;
            let csv = to_csv(&parse_json("x", CONTRACT_EXAMPLE).unwrap());
            for sample in [CONTRACT_EXAMPLE, VCARD_3, csv.as_str()] {
                all_parsers(&mutate(sample, &edits));
            }
        }
    }
}

mod round_trip {
    use super::*;
    use jiff::Timestamp;
    use proptest::prelude::*;

    fn day() -> impl Strategy<Value = Date> {
        (1950i16..2080, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| jiff::civil::date(y, m, d))
    }

    fn instant() -> impl Strategy<Value = Timestamp> {
        (-600_000_000i64..4_000_000_000, 0i32..1_000_000_000)
            .prop_map(|(s, n)| Timestamp::new(s, n).unwrap())
    }

    fn text() -> impl Strategy<Value = String> {
        "\\PC{0,12}"
    }

    fn name() -> impl Strategy<Value = String> {
        "[A-Za-z王芳é][\\PC]{0,12}"
    }

    fn money() -> impl Strategy<Value = f64> {
        prop_oneof![
            (0u32..10_000_000).prop_map(f64::from),
            (prop::num::f64::NORMAL | prop::num::f64::ZERO).prop_map(f64::abs),
        ]
    }

    fn code<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
        proptest::sample::select(all)
    }

    fn interaction() -> impl Strategy<Value = Interaction> {
        (
            instant(),
            (
                code(Channel::ALL),
                code(Direction::ALL),
                code(Purpose::ALL),
                code(Outcome::ALL),
            ),
            proptest::option::of(1u8..=5),
            proptest::collection::vec(code(Signal::ALL), 0..3),
            (text(), proptest::option::of(day()), text()),
        )
            .prop_map(
                |(
                    at,
                    (channel, direction, purpose, outcome),
                    satisfaction,
                    signals,
                    (note, follow_up, author),
                )| {
                    Interaction {
                        at,
                        channel,
                        direction,
                        purpose,
                        outcome,
                        satisfaction,
                        signals,
                        note,
                        follow_up,
                        author,
                    }
                },
            )
    }

    fn account() -> impl Strategy<Value = Account> {
        let customer = (
            // The owner is a login or nobody (src/domain/rules.rs): no white space.
            (name(), code(CustomerKind::ALL), text(), "\\S{0,12}", day()),
            proptest::collection::vec(text(), 0..3),
            proptest::option::of(money()),
            proptest::collection::vec(
                (text(), text(), text(), text()).prop_map(|(name, role, phone, email)| Contact {
                    name,
                    role,
                    phone,
                    email,
                }),
                0..3,
            ),
            text(),
            proptest::option::of(
                (day(), code(LostReason::ALL)).prop_map(|(date, reason)| Lost { date, reason }),
            ),
        )
            .prop_map(
                |(
                    (name, kind, segment, owner, created),
                    tags,
                    category_spend,
                    contacts,
                    note,
                    lost,
                )| Customer {
                    id: String::new(),
                    name,
                    kind,
                    segment,
                    owner,
                    created,
                    tags,
                    category_spend,
                    contacts,
                    note,
                    lost,
                },
            );
        let bond = (
            code(BondLevel::ALL),
            text(),
            day(),
            proptest::option::of(0i32..5000),
            text(),
        )
            .prop_map(|(level, kind, since, days, note)| Bond {
                level,
                kind,
                since,
                until: days.map(|d| since.checked_add(jiff::Span::new().days(d)).unwrap()),
                note,
            });
        // Valid by the domain's rules (src/domain/rules.rs): an amount above 0, a margin
        // no larger than it.
        let order = (
            day(),
            money().prop_filter("an order is more than 0", |a| *a > 0.0),
            proptest::option::of(prop::num::f64::NORMAL | prop::num::f64::ZERO),
        )
            .prop_map(|(date, amount, margin)| Order {
                date,
                amount,
                margin: margin.map(|m| m.min(amount)),
            });
        let task = (
            day(),
            text(),
            code(TaskOrigin::ALL),
            proptest::option::of(day()),
        )
            .prop_map(|(due, text, origin, done)| Task {
                id: 0,
                due,
                text,
                origin,
                done,
            });
        (
            customer,
            proptest::collection::vec(bond, 0..3),
            proptest::collection::vec(order, 0..4),
            proptest::collection::vec(interaction(), 0..4),
            proptest::collection::vec(task, 0..3),
        )
            .prop_map(|(customer, bonds, orders, interactions, tasks)| Account {
                customer,
                bonds,
                orders,
                interactions,
                tasks,
                corrections: Vec::new(),
            })
    }

    fn cycle() -> impl Strategy<Value = Cycle> {
        let scope = prop_oneof![
            text().prop_map(Scope::Customer),
            text().prop_map(Scope::Owner),
            text().prop_map(Scope::Segment),
            Just(Scope::Book),
        ];
        let number = prop::num::f64::NORMAL | prop::num::f64::ZERO;
        (
            (name(), scope, text(), day(), code(Phase::ALL)),
            (
                proptest::option::of(code(Metric::ALL)),
                code(GoalDirection::ALL),
            ),
            (
                proptest::option::of(number),
                proptest::option::of(number),
                proptest::option::of(day()),
            ),
            text(),
            proptest::collection::vec(
                (
                    text(),
                    proptest::option::of(day()),
                    proptest::option::of(day()),
                )
                    .prop_map(|(text, due, done)| CycleAction { text, due, done }),
                0..3,
            ),
            proptest::option::of(
                (number, any::<bool>(), day()).prop_map(|(value, met, on)| CheckResult {
                    value,
                    met,
                    on,
                }),
            ),
            (
                proptest::option::of(code(ActDecision::ALL)),
                text(),
                proptest::option::of(any::<u64>()),
                proptest::option::of(any::<u64>()),
            ),
        )
            .prop_map(
                |(
                    (title, scope, owner, created, phase),
                    (metric, direction),
                    (baseline, target, check_date),
                    plan_notes,
                    actions,
                    result,
                    (decision, lessons, previous, next),
                )| Cycle {
                    id: 0,
                    title,
                    scope,
                    owner,
                    created,
                    phase,
                    metric,
                    direction,
                    baseline,
                    target,
                    check_date,
                    plan_notes,
                    actions,
                    result,
                    decision,
                    lessons,
                    previous,
                    next,
                },
            )
    }

    fn book() -> impl Strategy<Value = BookData> {
        (
            proptest::collection::vec((name(), code(Role::ALL)), 0..3),
            proptest::collection::vec(account(), 0..4),
            proptest::collection::vec(cycle(), 0..3),
        )
            .prop_map(|(users, mut accounts, mut cycles)| {
                let mut task_id = 1;
                for (i, account) in accounts.iter_mut().enumerate() {
                    account.customer.id = format!("c{i}");
                    for task in &mut account.tasks {
                        task.id = task_id;
                        task_id += 7;
                    }
                    account.sort_histories();
                }
                for (i, cycle) in cycles.iter_mut().enumerate() {
                    cycle.id = i as u64 * 3 + 1;
                }
                let users = users
                    .into_iter()
                    .enumerate()
                    .map(|(i, (name, role))| User {
                        login: format!("u{i}"),
                        name,
                        role,
                        team: None,
                    })
                    .collect();
                BookData {
                    users,
                    accounts,
                    cycles,
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn any_valid_book_round_trips(data in book()) {
            let text = to_json(&data);
            let back = parse_json("p.json", &text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&back, &data);
            prop_assert_eq!(to_json(&back), text);
        }
    }
}
