//! The PostgreSQL store's own behaviour (the behaviour it shares with sled is tested on
//! both in store.rs): tables a SQL user can report from, several stores on one database
//! without a skipped or doubled event, and a password that never shows in a message.

use std::path::Path;

use jiff::civil::date;
use jiff::Timestamp;

use crm::domain::model::*;
use crm::store::{Change, PgStore, Store, StoreError};

mod common;
use common::pg::TestDb;

fn at() -> Timestamp {
    "2024-07-01T10:00:00Z".parse().unwrap()
}

fn customer(id: &str, owner: &str) -> Customer {
    Customer {
        id: id.to_string(),
        name: format!("Customer {id}"),
        kind: CustomerKind::Organization,
        segment: "retail".into(),
        owner: owner.into(),
        created: date(2023, 1, 15),
        tags: vec!["vip".into()],
        category_spend: Some(1000.0),
        contacts: vec![Contact {
            name: "Li Wei".into(),
            role: "buyer".into(),
            phone: "+86 10 5555 0101".into(),
            email: "Li.Wei@Example.com".into(),
        }],
        note: String::new(),
        lost: None,
    }
}

fn call(at: &str, note: &str) -> Interaction {
    Interaction {
        at: at.parse().unwrap(),
        channel: Channel::Phone,
        direction: Direction::Outbound,
        purpose: Purpose::FollowUp,
        outcome: Outcome::Positive,
        satisfaction: Some(4),
        signals: vec![Signal::CompetitorMentioned],
        note: note.into(),
        follow_up: None,
        author: "alice".into(),
    }
}

fn open(db: &TestDb, dir: &Path) -> PgStore {
    PgStore::open(&db.url, dir).unwrap()
}

#[test]
fn the_tables_answer_a_report_in_sql() {
    let Some(db) = TestDb::new("the_tables_answer_a_report_in_sql") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut store = open(&db, tmp.path());
    let mut acme = Account::new(customer("acme", "alice"));
    acme.orders = vec![
        Order {
            date: date(2024, 1, 10),
            amount: 1000.0,
            margin: Some(300.0),
        },
        Order {
            date: date(2024, 2, 10),
            amount: 500.0,
            margin: None,
        },
    ];
    let data = BookData {
        users: vec![],
        accounts: vec![acme, Account::new(customer("beta", "bob"))],
        cycles: vec![],
    };
    store
        .apply("alice", at(), Change::Import { data, merge: false })
        .unwrap();
    store
        .apply(
            "bob",
            at(),
            Change::LogContact {
                customer: "beta".into(),
                interaction: call("2024-06-01T09:00:00Z", "hello\0there"),
                new_task: None,
                close_tasks: vec![],
            },
        )
        .unwrap();

    let mut sql = db.client();
    let rows = sql
        .query(
            "SELECT c.owner, count(o.*)::int8, coalesce(sum(o.amount), 0) \
             FROM customers c LEFT JOIN orders o ON o.customer_id = c.id \
             GROUP BY c.owner ORDER BY c.owner",
            &[],
        )
        .unwrap();
    let report: Vec<(String, i64, f64)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(
        report,
        [
            ("alice".to_string(), 2, 1500.0),
            ("bob".to_string(), 0, 0.0)
        ]
    );
    let email: String = sql
        .query_one(
            "SELECT customer_id FROM contacts WHERE lower(email) = 'li.wei@example.com' \
             ORDER BY customer_id LIMIT 1",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(email, "acme");
    // NUL cannot be in a text column: it is spelled U+0001 U+0001 there, and crm reads
    // the record itself back exactly.
    let note: String = sql
        .query_one("SELECT note FROM interactions", &[])
        .unwrap()
        .get(0);
    assert_eq!(note, "hello\u{1}\u{1}there");
    let account = store.account("beta").unwrap().unwrap();
    assert_eq!(account.interactions[0].note, "hello\0there");
    let events: Vec<(i64, String, String)> = sql
        .query("SELECT seq, actor, kind FROM events ORDER BY seq", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(
        events,
        [
            (1, "alice".to_string(), "import".to_string()),
            (2, "bob".to_string(), "log_contact".to_string())
        ]
    );
    // The schema's version, as the migration crate records it (2: contact corrections).
    let version: i32 = sql
        .query_one("SELECT max(version) FROM refinery_schema_history", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, 2);
}

#[test]
fn a_second_store_on_the_database_sees_the_first_ones_changes() {
    let Some(db) = TestDb::new("a_second_store_sees") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut one = open(&db, &tmp.path().join("one"));
    let mut two = open(&db, &tmp.path().join("two"));
    one.apply(
        "alice",
        at(),
        Change::PutCustomer(customer("acme", "alice")),
    )
    .unwrap();
    // `two` has not looked yet: its sequence is where it was.
    assert_eq!(two.seq(), 0);
    let heard = two.refresh().unwrap();
    assert_eq!(heard.len(), 1);
    assert_eq!(heard[0].seq, 1);
    assert_eq!(two.seq(), 1);
    assert_eq!(two.customer("acme").unwrap().unwrap().owner, "alice");
    assert_eq!(two.refresh().unwrap(), vec![], "nothing new");

    // A write through `two` while `one` has not looked: `one` gets it at its next look,
    // and a write of `one`'s own in between does not hide it.
    two.apply("bob", at(), Change::PutCustomer(customer("beta", "bob")))
        .unwrap();
    let seq = one
        .apply(
            "alice",
            at(),
            Change::PutCustomer(customer("gamma", "alice")),
        )
        .unwrap();
    assert_eq!(seq, 3);
    let heard: Vec<u64> = one.refresh().unwrap().iter().map(|e| e.seq).collect();
    assert_eq!(heard, [2]);
    assert_eq!(one.customer_count(), 3);
    assert_eq!(one.events_after(0).unwrap().len(), 3);
}

/// Two stores write at once from two threads while a third follows with `refresh`: the
/// sequence has no gap or repeat, and the follower sees every event exactly once, in order.
#[test]
fn concurrent_writers_never_make_a_reader_skip_an_event() {
    let Some(db) = TestDb::new("concurrent_writers") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    const EACH: usize = 40;
    let mut follower = open(&db, &tmp.path().join("follower"));
    let writers: Vec<_> = ["w1", "w2"]
        .into_iter()
        .map(|name| {
            let mut store = open(&db, &tmp.path().join(name));
            std::thread::spawn(move || {
                let mut seqs = Vec::new();
                for i in 0..EACH {
                    let id = format!("{name}-{i:03}");
                    seqs.push(
                        store
                            .apply(name, at(), Change::PutCustomer(customer(&id, name)))
                            .unwrap(),
                    );
                }
                seqs
            })
        })
        .collect();
    let mut seen: Vec<u64> = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while seen.len() < 2 * EACH {
        assert!(std::time::Instant::now() < deadline, "saw only {seen:?}");
        seen.extend(follower.refresh().unwrap().iter().map(|e| e.seq));
    }
    let mut written: Vec<u64> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    written.sort();
    let all: Vec<u64> = (1..=(2 * EACH) as u64).collect();
    assert_eq!(written, all, "every number once");
    assert_eq!(seen, all, "followed in order, none skipped or repeated");
    assert_eq!(follower.customer_count(), 2 * EACH);
}

#[test]
fn a_wrong_password_is_named_without_the_password() {
    let Some(db) = TestDb::new("a_wrong_password") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let secret = "n0t-the-Passw0rd-xyzzy";
    let url = db.url.replacen("://crm:", &format!("://crm:{secret}x"), 1);
    assert_ne!(url, db.url, "the test URL carries a password to replace");
    let err = PgStore::open(&url, tmp.path()).err().unwrap();
    let message = err.to_string();
    assert!(matches!(err, StoreError::Unavailable { .. }), "{message}");
    assert!(message.starts_with("store unavailable: postgres://crm@127.0.0.1:"));
    assert!(!message.contains(secret), "{message}");
    let real = db.url.split(':').nth(2).and_then(|p| p.split('@').next());
    if let Some(real) = real {
        assert!(!message.contains(real), "{message}");
    }
}
