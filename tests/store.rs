//! The store layer: round trips, key layout, golden bytes, recovery from damage, crash
//! safety under `kill -9`, the single-owner lock, and a decoder that never panics.

use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use jiff::civil::{date, Date};
use jiff::Timestamp;
use proptest::prelude::*;

use crm::domain::card::{ActionCode, Level, Stage, Summary, Tier};
use crm::domain::model::*;
use crm::store::codec::{self, Versioned};
use crm::store::{
    files, Change, CodecError, Event, JournalStore, OpenReport, PgStore, Store, StoreError,
};

mod common;

// ---- helpers ---------------------------------------------------------------------------

/// Where a parameterised test keeps its book: the journal+sled store in its directory, or
/// PostgreSQL in a database of the test's own (the directory then keeps local files only).
enum Backend {
    Sled,
    Postgres(common::pg::TestDb),
}

impl Backend {
    /// Opens (or reopens) the book. PostgreSQL repairs nothing on open: its report is empty.
    fn open(&self, dir: &Path) -> (Box<dyn Store>, OpenReport) {
        match self {
            Backend::Sled => {
                let (store, report) = open(dir);
                (Box::new(store), report)
            }
            Backend::Postgres(db) => (
                Box::new(PgStore::open(&db.url, dir).unwrap()),
                OpenReport::default(),
            ),
        }
    }
}

/// Runs each named test (a `fn(Backend)`) once on sled and once on PostgreSQL.
macro_rules! on_both_backends {
    ($($test:ident),+ $(,)?) => {
        mod on_sled {
            $(#[test]
            fn $test() {
                super::$test(super::Backend::Sled)
            })+
        }
        mod on_postgres {
            $(#[test]
            fn $test() {
                if let Some(db) = super::common::pg::TestDb::new(stringify!($test)) {
                    super::$test(super::Backend::Postgres(db))
                }
            })+
        }
    };
}

on_both_backends!(
    every_change_kind_round_trips_and_survives_reopen,
    histories_come_back_in_time_order,
    a_customer_never_sees_the_history_of_an_id_it_prefixes,
    merge_import_replaces_profiles_and_appends_only_new_records,
    next_ids_are_monotonic_and_persisted,
    the_journal_is_the_audit_trail,
    events_after_give_the_changes_in_order,
    a_corrected_contact_keeps_the_old_version_and_moves_its_follow_up,
);

fn try_open(dir: &Path) -> Result<(JournalStore, OpenReport), StoreError> {
    JournalStore::open(dir)
}

fn open(dir: &Path) -> (JournalStore, OpenReport) {
    try_open(dir).unwrap()
}

fn spawn(mut command: Command) -> std::process::Child {
    command.spawn().unwrap()
}

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn customer(id: &str) -> Customer {
    Customer {
        id: id.to_string(),
        name: format!("Customer {id}"),
        kind: CustomerKind::Organization,
        segment: "manufacturing".into(),
        owner: "alice".into(),
        created: date(2023, 1, 15),
        tags: vec!["key-account".into()],
        category_spend: Some(250000.0),
        contacts: vec![Contact {
            name: "Li Wei".into(),
            role: "buyer".into(),
            phone: "+86 10 5555 0101".into(),
            email: "li.wei@acme.example".into(),
        }],
        note: "".into(),
        lost: None,
    }
}

fn interaction(at: &str, note: &str) -> Interaction {
    Interaction {
        at: ts(at),
        channel: Channel::Phone,
        direction: Direction::Outbound,
        purpose: Purpose::FollowUp,
        outcome: Outcome::Positive,
        satisfaction: Some(4),
        signals: vec![Signal::CompetitorMentioned],
        note: note.into(),
        follow_up: Some(date(2024, 6, 1)),
        author: "alice".into(),
    }
}

fn order(day: Date, amount: f64) -> Order {
    Order {
        date: day,
        amount,
        margin: Some(amount * 0.3),
    }
}

fn bond(level: BondLevel, since: Date) -> Bond {
    Bond {
        level,
        kind: "named account manager".into(),
        since,
        until: None,
        note: "".into(),
    }
}

fn task(id: TaskId, due: Date) -> Task {
    Task {
        id,
        due,
        text: format!("task {id}"),
        origin: TaskOrigin::FollowUp,
        done: None,
    }
}

fn user(login: &str) -> User {
    User {
        login: login.into(),
        name: "Alice Chen".into(),
        role: Role::Rep,
        team: None,
    }
}

fn cycle(id: CycleId) -> Cycle {
    Cycle {
        id,
        title: "Win back the north".into(),
        scope: Scope::Segment("north".into()),
        owner: "alice".into(),
        created: date(2024, 1, 2),
        phase: Phase::Do,
        metric: Some(Metric::RetentionRate),
        direction: GoalDirection::Raise,
        baseline: Some(0.7),
        target: Some(0.8),
        check_date: Some(date(2024, 4, 1)),
        plan_notes: "call every lapsed account".into(),
        actions: vec![CycleAction {
            text: "call list".into(),
            due: Some(date(2024, 2, 1)),
            done: None,
        }],
        result: Some(CheckResult {
            value: 0.75,
            met: false,
            on: date(2024, 4, 1),
        }),
        decision: Some(ActDecision::Adjust),
        lessons: "start earlier".into(),
        previous: None,
        next: Some(id + 1),
    }
}

fn summary(id: &str) -> Summary {
    Summary {
        id: id.into(),
        name: format!("Customer {id}"),
        owner: "alice".into(),
        segment: "manufacturing".into(),
        as_of: date(2024, 6, 30),
        stage: Stage::Decline,
        second_lifecycle: false,
        level: Level::Social,
        tier: Some(Tier::Gold),
        top_action: Some(ActionCode::DiagnoseDecline),
        top_action_due: Some(date(2024, 7, 2)),
        last_contact: Some(date(2024, 5, 10)),
        margin_12m: 3600.0,
        crv: 1234.5,
        next_due: None,
    }
}

fn log_contact(id: &str, at: &str, note: &str) -> Change {
    Change::LogContact {
        customer: id.into(),
        interaction: interaction(at, note),
        new_task: None,
        close_tasks: vec![],
    }
}

fn apply(store: &mut dyn Store, change: Change) -> u64 {
    store
        .apply("alice", ts("2024-07-01T10:00:00Z"), change)
        .unwrap()
}

/// The account as every read path sees it; they must agree.
fn read_account(store: &dyn Store, id: &str) -> Account {
    let account = store.account(id).unwrap().unwrap();
    let scanned: Vec<Account> = store
        .accounts()
        .map(Result::unwrap)
        .filter(|a| a.customer.id == id)
        .collect();
    assert_eq!(
        scanned,
        vec![account.clone()],
        "accounts() disagrees for {id}"
    );
    account
}

/// A small deterministic generator (no extra crate): xorshift64*.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A book with three customers and every kind of history, and its expected accounts.
fn populate(store: &mut dyn Store) -> Vec<Account> {
    let mut acme = Account::new(customer("acme"));
    acme.interactions = vec![
        interaction("2024-01-05T09:00:00Z", "first"),
        interaction("2024-03-05T09:00:00Z", "second"),
    ];
    acme.orders = vec![order(date(2024, 1, 10), 1000.0)];
    acme.bonds = vec![bond(BondLevel::Social, date(2023, 3, 1))];
    acme.tasks = vec![task(5, date(2024, 2, 1))];
    let mut beta = Account::new(customer("beta"));
    beta.orders = vec![order(date(2023, 5, 1), 50.0), order(date(2024, 5, 1), 70.0)];
    let data = BookData {
        users: vec![user("alice")],
        accounts: vec![acme.clone(), beta.clone()],
        cycles: vec![cycle(3)],
    };
    apply(store, Change::Import { data, merge: false });
    apply(
        store,
        log_contact("beta", "2024-04-01T08:00:00Z", "hello beta"),
    );
    beta.interactions
        .push(interaction("2024-04-01T08:00:00Z", "hello beta"));
    let gamma = Account::new(customer("gamma"));
    apply(store, Change::PutCustomer(customer("gamma")));
    vec![acme, beta, gamma]
}

fn assert_book(store: &dyn Store, expected: &[Account]) {
    let all: Vec<Account> = store.accounts().map(Result::unwrap).collect();
    assert_eq!(all, expected);
    for account in expected {
        assert_eq!(&read_account(store, &account.customer.id), account);
    }
    assert_eq!(store.users().unwrap(), vec![user("alice")]);
    assert_eq!(store.cycles().unwrap(), vec![cycle(3)]);
}

// ---- round trips -------------------------------------------------------------------------

fn every_change_kind_round_trips_and_survives_reopen(backend: Backend) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("book");
    let (mut boxed, report) = backend.open(&dir);
    let store = &mut *boxed;
    assert_eq!(report, OpenReport::default());
    assert!(store.is_empty());
    assert_eq!(store.seq(), 0);

    let expected = populate(store);
    assert_book(store, &expected);
    assert_eq!(store.customer_count(), 3);
    assert!(!store.is_empty());

    let mut acme = expected[0].clone();
    let new_task = task(9, date(2024, 8, 1));
    apply(
        store,
        Change::LogContact {
            customer: "acme".into(),
            interaction: interaction("2024-07-20T15:00:00Z", "third"),
            new_task: Some(new_task.clone()),
            close_tasks: vec![5],
        },
    );
    acme.interactions
        .push(interaction("2024-07-20T15:00:00Z", "third"));
    acme.tasks[0].done = Some(date(2024, 7, 20));
    acme.tasks.push(new_task);

    apply(
        store,
        Change::AddOrder {
            customer: "acme".into(),
            order: order(date(2024, 7, 21), 500.0),
        },
    );
    acme.orders.push(order(date(2024, 7, 21), 500.0));

    let bonds = vec![
        bond(BondLevel::Financial, date(2022, 1, 1)),
        bond(BondLevel::Structural, date(2024, 7, 1)),
    ];
    apply(
        store,
        Change::SetBonds {
            customer: "acme".into(),
            bonds: bonds.clone(),
        },
    );
    acme.bonds = bonds;

    let lost = Lost {
        date: date(2024, 7, 22),
        reason: LostReason::Competitor,
    };
    apply(
        store,
        Change::SetLost {
            customer: "acme".into(),
            lost: Some(lost.clone()),
        },
    );
    acme.customer.lost = Some(lost);

    let mut moved = task(9, date(2024, 9, 1));
    moved.text = "moved".into();
    apply(
        store,
        Change::PutTask {
            customer: "acme".into(),
            task: moved.clone(),
        },
    );
    acme.tasks[1] = moved;

    let mut renamed = acme.customer.clone();
    renamed.name = "Acme Trading Co.".into();
    apply(store, Change::PutCustomer(renamed.clone()));
    acme.customer = renamed;

    let mut c = cycle(3);
    c.phase = Phase::Check;
    apply(store, Change::PutCycle(c.clone()));
    apply(store, Change::PutCycle(cycle(4)));
    let mut bob = user("bob");
    bob.role = Role::Admin;
    apply(store, Change::PutUser(bob.clone()));

    let check = |store: &dyn Store| {
        assert_eq!(read_account(store, "acme"), acme);
        assert_eq!(store.cycles().unwrap(), vec![c.clone(), cycle(4)]);
        assert_eq!(store.cycle(4).unwrap(), Some(cycle(4)));
        assert_eq!(store.cycle(99).unwrap(), None);
        assert_eq!(store.users().unwrap(), vec![user("alice"), bob.clone()]);
        assert_eq!(store.seq(), 12);
        assert_eq!(store.customer_count(), 3);
        assert!(store.contains("beta").unwrap());
        assert!(!store.contains("delta").unwrap());
        assert_eq!(store.customer("delta").unwrap(), None);
        let ids: Vec<String> = store.customers().map(|c| c.unwrap().id).collect();
        assert_eq!(ids, ["acme", "beta", "gamma"]);
    };
    check(store);
    drop(boxed);
    let (store, report) = backend.open(&dir);
    assert_eq!(report, OpenReport::default());
    check(&*store);
}

fn histories_come_back_in_time_order(backend: Backend) {
    let tmp = tempfile::tempdir().unwrap();
    let (mut boxed, _) = backend.open(tmp.path());
    let store = &mut *boxed;
    apply(store, Change::PutCustomer(customer("c")));
    for (at, note) in [
        ("2024-05-01T00:00:00Z", "may"),
        ("2023-12-31T23:59:59Z", "new year's eve"),
        ("2024-05-01T00:00:00Z", "may again"),
        ("1969-07-20T20:17:00Z", "before the epoch"),
    ] {
        apply(store, log_contact("c", at, note));
    }
    for (day, amount) in [
        (date(2024, 2, 1), 1.0),
        (date(2022, 2, 1), 2.0),
        (date(2024, 2, 1), 3.0),
    ] {
        apply(
            store,
            Change::AddOrder {
                customer: "c".into(),
                order: order(day, amount),
            },
        );
    }
    for (id, due) in [
        (3, date(2024, 3, 1)),
        (1, date(2024, 3, 1)),
        (2, date(2024, 1, 1)),
    ] {
        apply(
            store,
            Change::PutTask {
                customer: "c".into(),
                task: task(id, due),
            },
        );
    }
    let account = read_account(store, "c");
    let notes: Vec<&str> = account
        .interactions
        .iter()
        .map(|i| i.note.as_str())
        .collect();
    assert_eq!(
        notes,
        ["before the epoch", "new year's eve", "may", "may again"]
    );
    let amounts: Vec<f64> = account.orders.iter().map(|o| o.amount).collect();
    assert_eq!(amounts, [2.0, 1.0, 3.0]);
    let tasks: Vec<TaskId> = account.tasks.iter().map(|t| t.id).collect();
    assert_eq!(tasks, [2, 1, 3]);
    let mut sorted = account.clone();
    sorted.sort_histories();
    assert_eq!(sorted, account);
}

fn a_customer_never_sees_the_history_of_an_id_it_prefixes(backend: Backend) {
    let tmp = tempfile::tempdir().unwrap();
    let (mut boxed, _) = backend.open(tmp.path());
    let store = &mut *boxed;
    let ids = ["a", "ab", "a\0b", "a\u{1}", "b"];
    for id in ids {
        apply(store, Change::PutCustomer(customer(id)));
        apply(store, log_contact(id, "2024-01-01T00:00:00Z", id));
        apply(
            store,
            Change::PutTask {
                customer: id.into(),
                task: task(1, date(2024, 1, 1)),
            },
        );
    }
    // History of a customer without a profile: never part of an account.
    apply(store, log_contact("aa", "2024-01-01T00:00:00Z", "orphan"));
    for id in ids {
        let account = read_account(store, id);
        let notes: Vec<&str> = account
            .interactions
            .iter()
            .map(|i| i.note.as_str())
            .collect();
        assert_eq!(notes, [id], "history of {id:?}");
        assert_eq!(account.tasks.len(), 1, "tasks of {id:?}");
    }
    let ids_seen: Vec<String> = store.accounts().map(|a| a.unwrap().customer.id).collect();
    let mut sorted = ids.to_vec();
    sorted.sort();
    assert_eq!(ids_seen, sorted);
}

fn merge_import_replaces_profiles_and_appends_only_new_records(backend: Backend) {
    let tmp = tempfile::tempdir().unwrap();
    let (mut boxed, _) = backend.open(tmp.path());
    let store = &mut *boxed;
    let expected = populate(store);
    let mut acme = expected[0].clone();

    let mut incoming = Account::new(customer("acme"));
    incoming.customer.segment = "retail".into();
    incoming.interactions = vec![
        interaction("2024-01-05T09:00:00Z", "first"), // equal to an existing one: skipped
        interaction("2024-02-05T09:00:00Z", "new"),
    ];
    incoming.orders = vec![
        order(date(2024, 1, 10), 1000.0),
        order(date(2024, 6, 1), 9.0),
    ];
    incoming.bonds = vec![bond(BondLevel::Social, date(2023, 3, 1))];
    let mut updated = task(5, date(2024, 2, 1));
    updated.done = Some(date(2024, 2, 2));
    incoming.tasks = vec![updated.clone(), task(40, date(2025, 1, 1))];
    let delta = Account::new(customer("delta"));
    let data = BookData {
        users: vec![],
        accounts: vec![incoming.clone(), delta.clone()],
        cycles: vec![cycle(10)],
    };
    apply(store, Change::Import { data, merge: true });

    acme.customer = incoming.customer.clone();
    acme.interactions = vec![
        interaction("2024-01-05T09:00:00Z", "first"),
        interaction("2024-02-05T09:00:00Z", "new"),
        interaction("2024-03-05T09:00:00Z", "second"),
    ];
    acme.orders.push(order(date(2024, 6, 1), 9.0));
    acme.tasks = vec![updated, task(40, date(2025, 1, 1))];
    assert_eq!(read_account(store, "acme"), acme);
    assert_eq!(read_account(store, "delta"), delta);
    assert_eq!(
        read_account(store, "beta"),
        expected[1],
        "untouched by the import"
    );
    assert_eq!(store.customer_count(), 4);
    assert_eq!(store.next_task_id(), 41);
    assert_eq!(store.next_cycle_id(), 11);

    // Without merge an existing account is replaced whole.
    let mut plain = Account::new(customer("acme"));
    plain.orders = vec![order(date(2020, 1, 1), 1.0)];
    let data = BookData {
        accounts: vec![plain.clone()],
        ..BookData::default()
    };
    apply(store, Change::Import { data, merge: false });
    assert_eq!(read_account(store, "acme"), plain);
    assert_eq!(store.customer_count(), 4);
}

fn next_ids_are_monotonic_and_persisted(backend: Backend) {
    let tmp = tempfile::tempdir().unwrap();
    let (mut boxed, _) = backend.open(tmp.path());
    let store = &mut *boxed;
    assert_eq!((store.next_task_id(), store.next_cycle_id()), (1, 1));
    populate(store); // task 5, cycle 3
    assert_eq!((store.next_task_id(), store.next_cycle_id()), (6, 4));
    apply(
        store,
        Change::PutTask {
            customer: "beta".into(),
            task: task(2, date(2024, 1, 1)),
        },
    );
    assert_eq!(store.next_task_id(), 6, "a lower id does not move it back");
    drop(boxed);
    let (store, _) = backend.open(tmp.path());
    assert_eq!((store.next_task_id(), store.next_cycle_id()), (6, 4));
}

fn the_journal_is_the_audit_trail(backend: Backend) {
    let tmp = tempfile::tempdir().unwrap();
    let (mut boxed, _) = backend.open(tmp.path());
    let store = &mut *boxed;
    populate(store);
    store
        .apply(
            "bob",
            ts("2024-07-02T11:00:00Z"),
            Change::PutUser(user("bob")),
        )
        .unwrap();
    let entries = store.journal_entries().unwrap();
    let lines: Vec<String> = entries
        .iter()
        .map(|e| format!("{} {} {} {}", e.seq, e.at, e.actor, e.description))
        .collect();
    assert_eq!(
        lines,
        [
            "1 2024-07-01T10:00:00Z alice imported 2 customers, 1 users, 1 cycles",
            "2 2024-07-01T10:00:00Z alice logged outbound phone contact with beta (positive)",
            "3 2024-07-01T10:00:00Z alice saved profile of gamma",
            "4 2024-07-02T11:00:00Z bob saved user bob (rep)",
        ]
    );
}

fn events_after_give_the_changes_in_order(backend: Backend) {
    let tmp = tempfile::tempdir().unwrap();
    let (mut boxed, _) = backend.open(tmp.path());
    let store = &mut *boxed;
    populate(store);
    let events = store.events_after(1).unwrap();
    let seqs: Vec<u64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [2, 3]);
    assert_eq!(events[1].change, Change::PutCustomer(customer("gamma")));
    assert_eq!(events[1].actor, "alice");
    assert_eq!(events[1].at, ts("2024-07-01T10:00:00Z"));
    assert_eq!(store.events_after(3).unwrap(), vec![]);
    assert_eq!(
        store.refresh().unwrap(),
        vec![],
        "nobody else writes this book"
    );
}

#[test]
fn summaries_and_cache_hold_derived_data() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, _) = open(tmp.path());
    assert_eq!(store.summaries().unwrap(), vec![]);
    store.put_summaries(&[summary("b"), summary("a")]).unwrap();
    assert_eq!(store.summaries().unwrap(), vec![summary("a"), summary("b")]);
    store.clear_summaries().unwrap();
    assert_eq!(store.summaries().unwrap(), vec![]);

    assert_eq!(store.cache_get("stats"), None);
    store.cache_put("stats", b"\x01\x02").unwrap();
    assert_eq!(store.cache_get("stats"), Some(vec![1, 2]));
    store
        .cache_put_value("pair", &(7u64, "x".to_string()))
        .unwrap();
    let pair: Option<(u64, String)> = store.cache_get_value("pair").unwrap();
    assert_eq!(pair, Some((7, "x".to_string())));
    let absent: Option<u64> = store.cache_get_value("absent").unwrap();
    assert_eq!(absent, None);
    // A shape that no longer fits is an error (the caller recomputes), not a panic.
    assert!(store.cache_get_value::<Vec<Summary>>("pair").is_err());
}

#[test]
fn snapshot_is_current_until_the_next_change() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (mut store, _) = open(dir);
    populate(&mut store);
    assert_eq!(files::read_current_snapshot(dir, "search"), None);
    store.write_snapshot("search", b"index bytes").unwrap();
    assert_eq!(
        files::read_current_snapshot(dir, "search"),
        Some(b"index bytes".to_vec()),
        "readable while the store is open (no lock needed)"
    );
    assert!(matches!(
        store.write_snapshot("../escape", b"x"),
        Err(StoreError::InvalidName { .. })
    ));
    apply(&mut store, Change::PutUser(user("carol")));
    assert_eq!(files::read_current_snapshot(dir, "search"), None, "stale");
    store.write_snapshot("search", b"newer").unwrap();
    drop(store);
    assert_eq!(
        files::read_current_snapshot(dir, "search"),
        Some(b"newer".to_vec())
    );

    // A damaged snapshot is never returned.
    let path = dir.join("snapshot.search");
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x20;
    std::fs::write(&path, bytes).unwrap();
    assert_eq!(files::read_current_snapshot(dir, "search"), None);
}

#[test]
fn a_mapped_snapshot_shows_its_payload_while_current() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (mut store, _) = open(dir);
    populate(&mut store);
    assert!(
        files::map_current_snapshot(dir, "search").is_none(),
        "none yet"
    );
    store.write_snapshot("search", b"index bytes").unwrap();
    let payload = |mapped: &crm::store::MappedSnapshot| {
        mapped.as_ref()[crm::store::MappedSnapshot::PAYLOAD_START..].to_vec()
    };
    let mapped = files::map_current_snapshot(dir, "search").unwrap();
    assert_eq!(payload(&mapped), b"index bytes");
    assert_eq!(crm::store::MappedSnapshot::PAYLOAD_START % 8, 0);
    // A newer snapshot replaces the file by renaming: the old mapping keeps its bytes.
    store.write_snapshot("search", b"newer").unwrap();
    assert_eq!(payload(&mapped), b"index bytes");
    assert_eq!(
        payload(&files::map_current_snapshot(dir, "search").unwrap()),
        b"newer"
    );
    apply(&mut store, Change::PutUser(user("carol")));
    assert!(
        files::map_current_snapshot(dir, "search").is_none(),
        "stale"
    );
    // Not a snapshot at all.
    std::fs::write(dir.join("snapshot.junk"), b"short").unwrap();
    assert!(files::map_current_snapshot(dir, "junk").is_none());
}

#[test]
fn the_data_dir_is_private() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new").join("book");
    let (store, _) = open(&dir);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("journal")), 0o600);
    assert_eq!(mode(&dir.join("lock")), 0o600);
    store.write_snapshot("s", b"x").unwrap();
    assert_eq!(mode(&dir.join("snapshot.s")), 0o600);
}

// ---- codec: golden bytes, versions ------------------------------------------------------

/// The sample as every version before the envelope stored it: the holder's own event.
fn sample_event() -> Event {
    Event::held(
        7,
        ts("2024-05-10T09:30:00Z"),
        "alice".into(),
        Change::LogContact {
            customer: "acme".into(),
            interaction: interaction("2024-05-10T09:30:00Z", "asked about volume pricing"),
            new_task: Some(task(12, date(2024, 6, 1))),
            close_tasks: vec![3],
        },
    )
}

/// The sample with an envelope of another book: id, clock and what its origin had seen.
fn sample_event_v4() -> Event {
    use crm::store::envelope::{BookId, EventId, FieldSeen, Hlc, ProfileField, Seen};
    let mut event = sample_event();
    event.id = EventId {
        origin: BookId([0x5a; 16]),
        counter: 41,
    };
    event.hlc = Hlc {
        ms: 1_715_333_400_000,
        logical: 2,
    };
    event.seen = Seen {
        fields: vec![FieldSeen {
            field: ProfileField::Note,
            replaced: Some(EventId {
                origin: BookId([0x11; 16]),
                counter: 3,
            }),
        }],
        lost: None,
        contacts: 4,
    };
    event
}

fn golden_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.hex"))
}

fn to_hex(bytes: &[u8]) -> String {
    let mut out = String::new();
    for line in bytes.chunks(32) {
        let words: Vec<String> = line.iter().map(|b| format!("{b:02x}")).collect();
        out.push_str(&words.join(" "));
        out.push('\n');
    }
    out
}

fn from_hex(text: &str) -> Vec<u8> {
    text.split_whitespace()
        .map(|w| u8::from_str_radix(w, 16).unwrap())
        .collect()
}

/// The exact bytes of `value` at its current version are pinned in a file; both ways.
/// `CRM_BLESS=1` writes the file (only when a new version is introduced).
fn check_golden<T: Versioned + PartialEq + std::fmt::Debug>(name: &str, value: &T) {
    let path = golden_path(name);
    let bytes = codec::encode(value).unwrap();
    if std::env::var_os("CRM_BLESS").is_some() {
        std::fs::write(&path, to_hex(&bytes)).unwrap();
    }
    let pinned = from_hex(&std::fs::read_to_string(&path).unwrap());
    assert_eq!(
        bytes[..2],
        T::VERSION.to_le_bytes(),
        "{name}: version header"
    );
    assert_eq!(
        to_hex(&bytes),
        to_hex(&pinned),
        "{name}: bytes changed; bump its version"
    );
    assert_eq!(
        &codec::decode::<T>(&pinned).unwrap(),
        value,
        "{name}: decode"
    );
}

#[test]
fn golden_bytes_pin_every_stored_type() {
    let mut lost = customer("acme");
    lost.lost = Some(Lost {
        date: date(2024, 9, 1),
        reason: LostReason::Price,
    });
    check_golden("customer_v1", &lost);
    check_golden(
        "interaction_v1",
        &interaction("2024-05-10T09:30:00Z", "asked"),
    );
    check_golden("order_v1", &order(date(2024, 5, 2), 12000.0));
    check_golden("bond_v1", &bond(BondLevel::Structural, date(2023, 3, 1)));
    check_golden("task_v1", &task(12, date(2024, 6, 1)));
    check_golden("cycle_v1", &cycle(3));
    let mut teamed = user("alice");
    teamed.team = Some("east".into());
    check_golden("user_v2", &teamed);
    check_golden("summary_v1", &summary("acme"));
    check_golden("event_v4", &sample_event_v4());
}

#[test]
fn events_before_the_envelope_upgrade_to_the_holders_own() {
    // Pinned when versions 2 and 3 were current: no id, no clock.
    for (name, version) in [("event_v2", 2u8), ("event_v3", 3)] {
        let old = from_hex(&std::fs::read_to_string(golden_path(name)).unwrap());
        assert_eq!(old[..2], [version, 0]);
        let event: Event = codec::decode(&old).unwrap();
        assert_eq!(event, sample_event(), "{name}");
        // The holder's own, counted by its sequence number, at its wall time in ms.
        assert_eq!(event.id.origin, crm::store::envelope::BookId::HOLDER);
        assert_eq!(event.id.counter, 7);
        assert_eq!(event.hlc.ms, 1_715_333_400_000);
        assert_eq!(event.hlc.logical, 0);
        let head = codec::event_head(&old).unwrap();
        assert_eq!((head.seq, head.id, head.hlc), (7, event.id, event.hlc));
    }
    let head = codec::event_head(&codec::encode(&sample_event_v4()).unwrap()).unwrap();
    assert_eq!(head.id, sample_event_v4().id);
    assert_eq!(head.hlc, sample_event_v4().hlc);
}

#[test]
fn older_versions_pinned_in_golden_files_still_load() {
    // Users before teams (user v1), events before their users had teams (event v2).
    let old_user = from_hex(&std::fs::read_to_string(golden_path("user_v1")).unwrap());
    assert_eq!(old_user[..2], [1, 0]);
    assert_eq!(codec::decode::<User>(&old_user).unwrap(), user("alice"));
    let old_event = from_hex(&std::fs::read_to_string(golden_path("event_v2")).unwrap());
    assert_eq!(old_event[..2], [2, 0]);
    assert_eq!(codec::decode::<Event>(&old_event).unwrap(), sample_event());
}

#[test]
fn a_version_1_event_upgrades_to_the_current_shape() {
    // Pinned by the codec's unit test; version 1 events had no actor.
    let old = from_hex(&std::fs::read_to_string(golden_path("event_v1")).unwrap());
    assert_eq!(old[..2], [1, 0]);
    let event: Event = codec::decode(&old).unwrap();
    let mut expected = sample_event();
    expected.actor = String::new();
    assert_eq!(event, expected);
}

#[test]
fn a_future_version_is_a_clear_error() {
    let mut bytes = codec::encode(&sample_event()).unwrap();
    bytes[..2].copy_from_slice(&5u16.to_le_bytes());
    let err = codec::decode::<Event>(&bytes).unwrap_err();
    assert_eq!(
        err,
        CodecError::FutureVersion {
            what: "journal event",
            found: 5,
            current: 4
        }
    );
    assert!(err.to_string().contains("newer than this crm understands"));
}

fn decode_all(bytes: &[u8]) {
    let _ = codec::decode::<Customer>(bytes);
    let _ = codec::decode::<Interaction>(bytes);
    let _ = codec::decode::<Order>(bytes);
    let _ = codec::decode::<Bond>(bytes);
    let _ = codec::decode::<Task>(bytes);
    let _ = codec::decode::<Cycle>(bytes);
    let _ = codec::decode::<User>(bytes);
    let _ = codec::decode::<Summary>(bytes);
    let _ = codec::decode::<Event>(bytes);
}

fn valid_payloads() -> Vec<Vec<u8>> {
    let mut event_v1 = sample_event();
    event_v1.seq = 1;
    vec![
        codec::encode(&customer("acme")).unwrap(),
        codec::encode(&interaction("2024-05-10T09:30:00Z", "n")).unwrap(),
        codec::encode(&cycle(1)).unwrap(),
        codec::encode(&summary("s")).unwrap(),
        codec::encode(&sample_event_v4()).unwrap(),
        from_hex(&std::fs::read_to_string(golden_path("event_v1")).unwrap()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_decoder_never_panics_on_random_bytes(
        version in 0u16..6,
        body in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        decode_all(&body);
        let mut framed = version.to_le_bytes().to_vec();
        framed.extend(&body);
        decode_all(&framed);
    }

    #[test]
    fn the_decoder_never_panics_on_mutated_payloads(
        which in 0usize..6,
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6),
        cut in any::<usize>(),
    ) {
        let mut bytes = valid_payloads().swap_remove(which);
        for (at, value) in flips {
            let at = at % bytes.len();
            bytes[at] = value;
        }
        decode_all(&bytes);
        bytes.truncate(cut % (bytes.len() + 1));
        decode_all(&bytes);
    }
}

// ---- recovery ------------------------------------------------------------------------------

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn a_deleted_index_is_rebuilt_from_the_journal() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (mut store, _) = open(dir);
    let expected = populate(&mut store);
    store.put_summaries(&[summary("acme")]).unwrap();
    drop(store);
    std::fs::remove_dir_all(dir.join("index")).unwrap();

    let mut calls = Vec::new();
    let (store, report) =
        JournalStore::open_with_progress(dir, &mut |done, total| calls.push((done, total)))
            .unwrap();
    assert!(report.rebuilt);
    assert_eq!(report.replayed, 3);
    assert_eq!(report.broken_index, None, "nothing to move aside");
    assert_book(&store, &expected);
    assert_eq!(
        store.summaries().unwrap(),
        vec![],
        "derived data is not journaled"
    );
    // Progress counts the records' bytes: the journal less its 24-byte file header.
    let records_len = std::fs::metadata(dir.join("journal")).unwrap().len() - 24;
    assert_eq!(calls.first(), Some(&(0, records_len)));
    assert_eq!(calls.last(), Some(&(records_len, records_len)));
    assert_eq!(calls.len(), 4);
}

#[test]
fn damaged_index_files_are_moved_aside_or_caught_up() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (mut store, _) = open(dir);
    let expected = populate(&mut store);
    drop(store);
    let mut rng = Rng::new(0x5eed_1de4);
    let mut rebuilt = 0;
    for round in 0..24 {
        let files = files_under(&dir.join("index"));
        let file = &files[rng.below(files.len() as u64) as usize];
        let len = std::fs::metadata(file).unwrap().len();
        if round % 3 == 0 {
            let keep = rng.below(len + 1);
            std::fs::OpenOptions::new()
                .write(true)
                .open(file)
                .unwrap()
                .set_len(keep)
                .unwrap();
        } else if len > 0 {
            let mut bytes = std::fs::read(file).unwrap();
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(len) as usize;
                bytes[at] ^= 1 << rng.below(8);
            }
            std::fs::write(file, bytes).unwrap();
        }
        let (store, report) = open(dir);
        rebuilt += report.rebuilt as u32;
        assert_book(&store, &expected);
        drop(store);
    }
    eprintln!("index damaged 24 times: rebuilt {rebuilt} times, otherwise caught up");
    let aside = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("index.broken-"))
        .count();
    assert_eq!(aside as u32, rebuilt);
}

#[test]
fn a_half_written_sled_snapshot_is_removed_before_open() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (mut store, _) = open(dir);
    let expected = populate(&mut store);
    drop(store);
    let leftover = dir.join("index").join("snap.00000000000DEAD.generating");
    std::fs::write(&leftover, b"half").unwrap();
    let (store, report) = open(dir);
    assert!(!leftover.exists());
    assert!(!report.rebuilt);
    assert_book(&store, &expected);
}

/// The journal of a book of `n` PutUser changes (user0..), and where each record ends.
/// The bytes are the same for every book: fixed times, actor, logins and book id.
fn users_book(dir: &Path, n: usize) -> (Vec<u8>, Vec<u64>) {
    // One book id for every such book: its events' ids are in the bytes.
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("book-id"), format!("{}\n", "7".repeat(32))).unwrap();
    let (mut store, _) = open(dir);
    let mut ends = Vec::new();
    for i in 0..n {
        apply(&mut store, Change::PutUser(user(&format!("user{i}"))));
        ends.push(std::fs::metadata(dir.join("journal")).unwrap().len());
    }
    drop(store);
    (std::fs::read(dir.join("journal")).unwrap(), ends)
}

/// A book of four PutUser changes after which a crash left `tail` (made from the bytes
/// the fifth change's record would have had): the index never saw that record.
fn torn_tail_case(
    tail: impl FnOnce(&[u8]) -> Vec<u8>,
) -> (
    tempfile::TempDir,
    JournalStore,
    OpenReport,
    Vec<String>,
    Vec<u8>,
) {
    let twin = tempfile::tempdir().unwrap();
    let (five, ends) = users_book(twin.path(), 5);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (four, _) = users_book(dir, 4);
    assert_eq!(
        four,
        five[..ends[3] as usize],
        "the books agree byte for byte"
    );
    let tail = tail(&five[ends[3] as usize..]);
    let mut bytes = four;
    bytes.extend_from_slice(&tail);
    std::fs::write(dir.join("journal"), &bytes).unwrap();
    let (store, report) = open(dir);
    let logins = (0..4).map(|i| format!("user{i}")).collect();
    (tmp, store, report, logins, tail)
}

fn logins(store: &JournalStore) -> Vec<String> {
    store
        .users()
        .unwrap()
        .into_iter()
        .map(|u| u.login)
        .collect()
}

/// After a cut the book goes on: the next change takes the freed sequence number and
/// survives a reopen.
fn assert_book_goes_on(mut store: JournalStore, kept: &[String]) {
    assert_eq!(apply(&mut store, Change::PutUser(user("user9"))), 5);
    let dir = store.dir().to_path_buf();
    drop(store);
    let (store, report) = open(&dir);
    assert_eq!(report.cut_tail_bytes, 0);
    assert!(!report.rebuilt);
    assert_eq!(logins(&store), [kept, &["user9".to_string()]].concat());
}

/// The open cut exactly `tail`, saved it whole to one side file, and rebuilt nothing.
fn assert_cut(report: &OpenReport, tail: &[u8]) {
    assert_eq!(report.cut_tail_bytes, tail.len() as u64);
    let saved = report.cut_tail_saved.clone().unwrap();
    assert_eq!(std::fs::read(saved).unwrap(), tail);
    assert!(!report.rebuilt, "the index never had the torn record");
}

#[test]
fn a_torn_journal_tail_loses_only_the_last_record() {
    let (_tmp, store, report, kept, tail) =
        torn_tail_case(|record| record[..record.len() / 2].to_vec());
    assert_eq!(logins(&store), kept);
    assert_eq!(store.seq(), 4);
    assert_cut(&report, &tail);
    assert_book_goes_on(store, &kept);
}

#[test]
fn a_torn_record_header_is_cut_too() {
    let (_tmp, store, report, kept, tail) = torn_tail_case(|record| record[..5].to_vec());
    assert_eq!(logins(&store), kept);
    assert_cut(&report, &tail);
    assert_eq!(report.cut_tail_bytes, 5);
    assert_book_goes_on(store, &kept);
}

#[test]
fn a_flipped_byte_in_an_unacknowledged_last_record_loses_only_that_record() {
    let (_tmp, store, report, kept, tail) = torn_tail_case(|record| {
        let mut record = record.to_vec();
        record[30] ^= 0x40; // inside the payload
        record
    });
    assert_eq!(logins(&store), kept);
    assert_cut(&report, &tail);
    assert_book_goes_on(store, &kept);
}

#[test]
fn a_damaged_last_record_that_the_index_holds_is_refused_not_cut() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (mut bytes, ends) = users_book(dir, 5);
    bytes[ends[3] as usize + 30] ^= 0x40;
    std::fs::write(dir.join("journal"), &bytes).unwrap();
    let err = try_open(dir).err().unwrap();
    assert!(
        matches!(
            err,
            StoreError::IndexAhead {
                applied: 5,
                journal_seq: 4,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(std::fs::read(dir.join("journal")).unwrap(), bytes);
    assert!(files_under(dir).iter().all(|f| {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        !name.starts_with("journal.cut") && !name.starts_with("index.broken")
    }));
}

#[test]
fn a_journal_from_a_newer_crm_is_refused_not_cut() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (mut store, _) = open(dir);
    apply(&mut store, Change::PutUser(user("a")));
    drop(store);
    // Rewrite the only record's payload as version 9, with valid checksums: the file
    // header is 24 bytes, the record header 24 more (payload crc at 16, header crc at 20).
    let journal = dir.join("journal");
    let mut bytes = std::fs::read(&journal).unwrap();
    bytes[48..50].copy_from_slice(&9u16.to_le_bytes());
    let crc = crc32fast::hash(&bytes[48..]);
    bytes[40..44].copy_from_slice(&crc.to_le_bytes());
    let crc = crc32fast::hash(&bytes[24..44]);
    bytes[44..48].copy_from_slice(&crc.to_le_bytes());
    std::fs::write(&journal, &bytes).unwrap();
    let err = try_open(dir).err().unwrap();
    assert!(err.to_string().contains("newer than this crm"), "{err}");
    assert_eq!(std::fs::read(&journal).unwrap(), bytes, "left as it was");
}

// ---- one owner per book --------------------------------------------------------------------

#[test]
fn a_second_open_in_this_process_is_refused_with_our_pid() {
    let tmp = tempfile::tempdir().unwrap();
    let (_store, _) = open(tmp.path());
    let err = try_open(tmp.path()).err().unwrap();
    let pid = std::process::id();
    assert!(matches!(err, StoreError::Locked { pid: Some(p) } if p == pid));
    assert_eq!(
        err.to_string(),
        format!("this book is open in another crm process (pid {pid})")
    );
}

/// A test of this file by the name libtest knows it by: prefixed with the module path when
/// this file is a module of a test harness (tests/harness/data.rs).
fn test_name(name: &str) -> String {
    match module_path!().split_once("::") {
        Some((_, module)) => format!("{module}::{name}"),
        None => name.to_string(),
    }
}

fn child(test: &str, dir: &Path) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        &test_name(test),
        "--nocapture",
        "--ignored",
        "--test-threads=1",
    ])
    .env(CHILD_DIR, dir)
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    cmd
}

const CHILD_DIR: &str = "CRM_STORE_TEST_CHILD_DIR";

/// Run by `a_second_open_in_another_process_is_refused`: holds the book until stdin closes.
#[test]
#[ignore]
fn child_holder() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return;
    };
    let _held = JournalStore::open(Path::new(&dir)).unwrap();
    println!("OPEN");
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}

#[test]
fn a_second_open_in_another_process_is_refused_with_its_pid() {
    let tmp = tempfile::tempdir().unwrap();
    let mut command = child("child_holder", tmp.path());
    command.stdin(Stdio::piped());
    let mut holder = spawn(command);
    // libtest prints the test's name first, so the word may end a longer line.
    let opened = BufReader::new(holder.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .any(|l| l.ends_with("OPEN"));
    assert!(opened, "the holder did not open the book");
    let err = try_open(tmp.path()).err().unwrap();
    assert!(
        matches!(err, StoreError::Locked { pid: Some(p) } if p == holder.id()),
        "{err}"
    );
    drop(holder.stdin.take());
    holder.wait().unwrap();
    assert!(
        try_open(tmp.path()).is_ok(),
        "free again once the holder exits"
    );
}

// ---- crash safety --------------------------------------------------------------------------

/// Run by `acknowledged_contacts_survive_kill_9`: logs contacts until killed, printing the
/// sequence of each one after `apply` returned.
#[test]
#[ignore]
fn child_writer() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return;
    };
    let (mut store, _) = JournalStore::open(Path::new(&dir)).unwrap();
    if !store.contains("c").unwrap() {
        apply(&mut store, Change::PutCustomer(customer("c")));
    }
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        let seq = store.seq() + 1;
        let note = format!("w{seq}");
        let done = apply(&mut store, log_contact("c", "2024-07-01T10:00:00Z", &note));
        assert_eq!(done, seq);
        println!("ACK {seq}");
    }
}

#[test]
fn acknowledged_contacts_survive_kill_9() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let seed = Timestamp::now().as_nanosecond() as u64;
    eprintln!("kill -9 test seed {seed}");
    let mut rng = Rng::new(seed);
    let mut acked: Vec<u64> = Vec::new();
    let started = Instant::now();
    let mut rounds = 0;
    while rounds < 60 && started.elapsed() < Duration::from_secs(14) {
        rounds += 1;
        let mut writer = spawn(child("child_writer", dir));
        // A quarter of the kills land during start-up and open, the rest while writing.
        let delay = if rng.below(4) == 0 {
            rng.below(40)
        } else {
            40 + rng.below(200)
        };
        std::thread::sleep(Duration::from_millis(delay));
        writer.kill().unwrap();
        writer.wait().unwrap();
        let mut out = String::new();
        writer
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        acked.extend(
            out.lines()
                .filter_map(|l| l.split("ACK ").nth(1))
                .map(|n| n.trim().parse::<u64>().unwrap()),
        );

        let (store, report) = try_open(dir).unwrap_or_else(|e| panic!("round {rounds}: {e}"));
        if let Some(&last) = acked.last() {
            assert!(
                store.seq() >= last,
                "round {rounds}: journal lost acknowledged {last}"
            );
            let notes: std::collections::HashSet<String> = store
                .account("c")
                .unwrap()
                .unwrap()
                .interactions
                .into_iter()
                .map(|i| i.note)
                .collect();
            for seq in &acked {
                assert!(
                    notes.contains(&format!("w{seq}")),
                    "round {rounds}: lost w{seq} ({report:?})"
                );
            }
        }
    }
    eprintln!(
        "{rounds} kills, {} acknowledged contacts, all present",
        acked.len()
    );
    assert!(rounds >= 10);
    assert!(acked.len() > 20, "the writer made progress");
}

// ---- scale (run by hand: cargo test --release --test data -- --ignored --nocapture large)

/// Imports 100,000 customers (10 interactions, 3 orders, a bond and a task each) and
/// prints how long each step takes; asserts only the results, never the times.
#[test]
#[ignore]
fn large_book_timing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let n = 100_000;
    let accounts: Vec<Account> = (0..n)
        .map(|i| {
            let mut a = Account::new(customer(&format!("c{i:06}")));
            a.interactions = (0..10)
                .map(|k| {
                    interaction(
                        &format!("2024-{:02}-10T09:30:00Z", k + 1),
                        "called about pricing",
                    )
                })
                .collect();
            a.orders = (0..3)
                .map(|k| order(date(2024, k + 1, 2), 1000.0))
                .collect();
            a.bonds = vec![bond(BondLevel::Social, date(2023, 3, 1))];
            a.tasks = vec![task(i as u64 + 1, date(2024, 6, 1))];
            a
        })
        .collect();
    let data = BookData {
        accounts,
        ..BookData::default()
    };
    let (mut store, _) = open(dir);
    let t = Instant::now();
    apply(&mut store, Change::Import { data, merge: false });
    eprintln!("import of {n} customers: {:?}", t.elapsed());
    let t = Instant::now();
    store
        .put_summaries(
            &(0..n)
                .map(|i| summary(&format!("c{i:06}")))
                .collect::<Vec<_>>(),
        )
        .unwrap();
    eprintln!("put {n} summaries: {:?}", t.elapsed());
    let t = Instant::now();
    let count = store.accounts().map(Result::unwrap).count();
    eprintln!("accounts() over {count}: {:?}", t.elapsed());
    let t = Instant::now();
    apply(
        &mut store,
        log_contact("c000042", "2024-07-01T10:00:00Z", "one more"),
    );
    eprintln!("one log contact: {:?}", t.elapsed());
    drop(store);
    let journal = std::fs::metadata(dir.join("journal")).unwrap().len();
    eprintln!(
        "journal {} MB, index {} MB",
        journal >> 20,
        dir_size(&dir.join("index")) >> 20
    );

    let t = Instant::now();
    let (store, report) = open(dir);
    let opened = t.elapsed();
    let summaries = store.summaries().unwrap();
    eprintln!(
        "open: {opened:?}; open + read of {} summaries: {:?}",
        summaries.len(),
        t.elapsed()
    );
    assert!(!report.rebuilt);
    assert_eq!(summaries.len(), n);
    let t = Instant::now();
    assert_eq!(
        store
            .account("c000042")
            .unwrap()
            .unwrap()
            .interactions
            .len(),
        11
    );
    eprintln!("one account: {:?}", t.elapsed());
    let t = Instant::now();
    assert_eq!(store.customer_count(), n);
    eprintln!("customer_count: {:?}", t.elapsed());
    drop(store);

    std::fs::remove_dir_all(dir.join("index")).unwrap();
    let t = Instant::now();
    let (store, report) = open(dir);
    eprintln!("rebuild from the journal: {:?}", t.elapsed());
    assert!(report.rebuilt);
    assert_eq!(store.customer_count(), n);
}

fn dir_size(dir: &Path) -> u64 {
    files_under(dir)
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum()
}

/// Five PutUser changes over two sessions: the second open remembers (`journal.checked`)
/// that the first three records are whole, then two more are appended.
fn checked_prefix_case(
    damage: impl FnOnce(&Path, &[u64]),
) -> (
    tempfile::TempDir,
    Result<(JournalStore, OpenReport), StoreError>,
) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut ends = Vec::new();
    let (mut store, _) = open(dir);
    for n in 0..3 {
        apply(&mut store, Change::PutUser(user(&format!("user{n}"))));
        ends.push(std::fs::metadata(dir.join("journal")).unwrap().len());
    }
    drop(store);
    let (mut store, _) = open(dir);
    assert!(dir.join("journal.checked").exists());
    for n in 3..5 {
        apply(&mut store, Change::PutUser(user(&format!("user{n}"))));
        ends.push(std::fs::metadata(dir.join("journal")).unwrap().len());
    }
    drop(store);
    damage(&dir.join("journal"), &ends);
    // Without an index that holds the damaged records, only the journal's scan decides.
    std::fs::remove_dir_all(dir.join("index")).unwrap();
    let opened = try_open(dir);
    (tmp, opened)
}

#[test]
fn records_past_the_checked_prefix_are_still_checked() {
    let (_tmp, opened) = checked_prefix_case(|journal, ends| {
        let mut bytes = std::fs::read(journal).unwrap();
        bytes[(ends[3] + 30) as usize] ^= 0x40; // inside the payload of record 5
        std::fs::write(journal, bytes).unwrap();
    });
    let (store, report) = opened.unwrap();
    assert_eq!(logins(&store), ["user0", "user1", "user2", "user3"]);
    assert!(report.cut_tail_bytes > 24);
}

#[test]
fn a_journal_shorter_than_its_checked_prefix_is_checked_in_full() {
    let (_tmp, opened) = checked_prefix_case(|journal, ends| {
        // Torn inside record 2, before the length the checked file names.
        let torn = ends[0] + (ends[1] - ends[0]) / 2;
        std::fs::OpenOptions::new()
            .write(true)
            .open(journal)
            .unwrap()
            .set_len(torn)
            .unwrap();
    });
    let (store, report) = opened.unwrap();
    assert_eq!(logins(&store), ["user0"]);
    assert_eq!(store.seq(), 1);
    assert!(report.cut_tail_bytes > 0);
}

#[test]
fn damage_inside_the_checked_prefix_is_refused_not_cut() {
    let mut before = Vec::new();
    let (tmp, opened) = checked_prefix_case(|journal, ends| {
        // Record 3 ends the checked prefix; a flipped byte in it must be found, and two
        // good records follow it.
        let mut bytes = std::fs::read(journal).unwrap();
        bytes[(ends[1] + 30) as usize] ^= 0x40;
        std::fs::write(journal, &bytes).unwrap();
        before = bytes;
    });
    let err = opened.err().unwrap();
    assert!(
        matches!(
            err,
            StoreError::Damaged {
                seq: 3,
                good_after: 2,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(std::fs::read(tmp.path().join("journal")).unwrap(), before);
}

// ---- the envelope: ids, clocks, books exchanging events ---------------------------------

/// A journal as crm wrote it before events had ids: framing 1, format-3 events (the
/// golden files show formats 2 and 3 upgrade alike).
fn journal_before_ids(events: &[(u64, &str, Change)]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for (seq, at, change) in events {
        let payload = codec::encode_event_before_envelope(*seq, ts(at), "alice", change);
        bytes.extend((payload.len() as u32).to_le_bytes());
        bytes.extend(crc32fast::hash(&payload).to_le_bytes());
        bytes.extend(payload);
    }
    bytes
}

#[test]
fn a_journal_from_before_ids_opens_and_its_events_get_ids_deterministically() {
    use crm::store::envelope::{BookId, EventId, Hlc, VersionVector};
    let journal = journal_before_ids(&[
        (1, "2024-05-01T08:00:00Z", Change::PutUser(user("alice"))),
        (
            2,
            "2024-05-02T08:00:00Z",
            Change::PutCustomer(customer("acme")),
        ),
        (
            3,
            "2024-05-03T08:00:00Z",
            log_contact("acme", "2024-05-03T08:00:00Z", "n"),
        ),
    ]);
    let root = tempfile::tempdir().unwrap();
    let (a, b) = (root.path().join("a"), root.path().join("b"));
    for dir in [&a, &b] {
        std::fs::create_dir(dir).unwrap();
        std::fs::write(dir.join("journal"), &journal).unwrap();
    }
    let ids = |dir: &Path| {
        let (store, _) = open(dir);
        let events = store.events_unknown_to(&VersionVector::default()).unwrap();
        let got: Vec<(EventId, Hlc)> = events.iter().map(|e| (e.id, e.hlc)).collect();
        (store.book_id(), got)
    };
    let (id_a, events_a) = ids(&a);
    assert_ne!(id_a, BookId::HOLDER);
    // Two copies of one old book are one book: same id, same event ids.
    assert_eq!(ids(&b), (id_a, events_a.clone()));
    let expected: Vec<(EventId, Hlc)> = [
        (1, 1_714_550_400_000u64),
        (2, 1_714_636_800_000),
        (3, 1_714_723_200_000),
    ]
    .iter()
    .map(|&(counter, ms)| {
        let id = EventId {
            origin: id_a,
            counter,
        };
        (id, Hlc { ms, logical: 0 })
    })
    .collect();
    assert_eq!(events_a, expected);
    // The id is kept with the book, and made again the same if its file is lost.
    assert_eq!(
        std::fs::read_to_string(a.join("book-id")).unwrap(),
        format!("{id_a}\n")
    );
    std::fs::remove_file(a.join("book-id")).unwrap();
    assert_eq!(ids(&a).0, id_a);

    // A new event counts on with the sequence, its clock past every one before.
    let (mut store, _) = open(&a);
    let at = ts("2024-05-03T07:00:00Z"); // a wall clock behind the last event's
    let seq = store
        .apply("alice", at, Change::PutUser(user("bob")))
        .unwrap();
    assert_eq!(seq, 4);
    let last = store.events_after(3).unwrap().remove(0);
    assert_eq!(
        last.id,
        EventId {
            origin: id_a,
            counter: 4
        }
    );
    assert_eq!(
        last.hlc,
        Hlc {
            ms: 1_714_723_200_000,
            logical: 1
        }
    );
    assert_eq!(
        store
            .version_vector()
            .unwrap()
            .0
            .into_iter()
            .collect::<Vec<_>>(),
        vec![(id_a, 4)]
    );
    drop(store);
    // The clock survives a reopen, and an index rebuilt from the journal agrees.
    std::fs::remove_dir_all(a.join("index")).unwrap();
    let (mut store, _) = open(&a);
    store
        .apply("alice", at, Change::PutUser(user("carol")))
        .unwrap();
    let last = store.events_after(4).unwrap().remove(0);
    assert_eq!(
        last.hlc,
        Hlc {
            ms: 1_714_723_200_000,
            logical: 2
        }
    );
}

#[test]
fn a_received_event_applies_once_and_keeps_its_envelope() {
    use crm::store::envelope::VersionVector;
    let root = tempfile::tempdir().unwrap();
    let (mut from, _) = open(&root.path().join("from"));
    let (mut to, _) = open(&root.path().join("to"));
    assert_ne!(from.book_id(), to.book_id());
    apply(&mut from, Change::PutCustomer(customer("acme")));
    apply(
        &mut from,
        log_contact("acme", "2024-05-10T09:30:00Z", "first"),
    );
    apply(&mut to, Change::PutUser(user("zed")));
    let sent = from
        .events_unknown_to(&to.version_vector().unwrap())
        .unwrap();
    assert_eq!(sent.len(), 2);
    assert_eq!(to.apply_received(&sent).unwrap(), vec![Some(2), Some(3)]);
    // Twice changes nothing: same sequence, same account, same journal; and an event given
    // twice in one batch is applied once.
    let seq = to.seq();
    assert_eq!(to.apply_received(&sent).unwrap(), vec![None, None]);
    assert_eq!(to.seq(), seq);
    assert_eq!(read_account(&to, "acme"), read_account(&from, "acme"));
    let held = to.events_after(1).unwrap();
    let ids: Vec<_> = held
        .iter()
        .map(|e| (e.id, e.hlc, e.actor.clone()))
        .collect();
    let sent_ids: Vec<_> = sent
        .iter()
        .map(|e| (e.id, e.hlc, e.actor.clone()))
        .collect();
    assert_eq!(ids, sent_ids);
    // Each knows the other's: nothing more to send either way after the return trip.
    let back = to
        .events_unknown_to(&from.version_vector().unwrap())
        .unwrap();
    assert_eq!(back.len(), 1);
    let twice = vec![back[0].clone(), back[0].clone()];
    assert_eq!(from.apply_received(&twice).unwrap(), vec![Some(3), None]);
    assert_eq!(from.version_vector().unwrap(), to.version_vector().unwrap());
    assert!(from
        .events_unknown_to(&to.version_vector().unwrap())
        .unwrap()
        .is_empty());
    assert!(to
        .events_unknown_to(&VersionVector::default())
        .unwrap()
        .iter()
        .all(|e| e.id.origin != crm::store::envelope::BookId::HOLDER));
}

/// `Change::RetractContact` (issue 14, the console's undo) was added at the end of the
/// enum within event format 4: the events pinned before it (`event_v4`, a logged contact)
/// decode as they did, and the new variant's bytes are pinned in their own file.
#[test]
fn a_retracted_contact_is_a_format_4_event_and_older_events_still_decode() {
    let pinned = from_hex(&std::fs::read_to_string(golden_path("event_v4")).unwrap());
    assert_eq!(codec::decode::<Event>(&pinned).unwrap(), sample_event_v4());
    let retract = Event::held(
        8,
        ts("2024-05-10T09:35:00Z"),
        "alice".into(),
        Change::RetractContact {
            customer: "acme".into(),
            interaction: interaction("2024-05-10T09:30:00Z", "asked about volume pricing"),
            drop_task: Some(12),
            reopen_tasks: vec![3],
        },
    );
    check_golden("event_v4_retract_contact", &retract);
}

/// `Change::CorrectContact` (issue 14) was added after `RetractContact` within event format
/// 4: the events pinned before it decode as they did, and its own bytes are pinned.
#[test]
fn a_corrected_contact_is_a_format_4_event_and_older_events_still_decode() {
    let pinned = from_hex(&std::fs::read_to_string(golden_path("event_v4")).unwrap());
    assert_eq!(codec::decode::<Event>(&pinned).unwrap(), sample_event_v4());
    let retract =
        from_hex(&std::fs::read_to_string(golden_path("event_v4_retract_contact")).unwrap());
    let retract = codec::decode::<Event>(&retract).unwrap();
    assert!(matches!(retract.change, Change::RetractContact { .. }));
    let previous = interaction("2024-05-10T09:30:00Z", "asked about volume pricing");
    let corrected = Interaction {
        outcome: Outcome::Neutral,
        note: "asked about volume pricing; list sent".into(),
        follow_up: Some(date(2024, 6, 3)),
        ..previous.clone()
    };
    let correct = Event::held(
        9,
        ts("2024-05-10T09:40:00Z"),
        "bob".into(),
        Change::CorrectContact {
            customer: "acme".into(),
            previous,
            corrected,
            task: Some(task(12, date(2024, 6, 3))),
            drop_task: None,
        },
    );
    check_golden("event_v4_correct_contact", &correct);
}

fn corrected_at(store: &mut dyn Store, by: &str, at: &str, change: Change) {
    store.apply(by, ts(at), change).unwrap();
}

/// A correction replaces the contact in what the engine reads, keeps the old version beside
/// the histories (who corrected it, when) and in the journal, moves the follow-up the
/// old version opened; a second correction drops it. Everything survives a reopen.
fn a_corrected_contact_keeps_the_old_version_and_moves_its_follow_up(backend: Backend) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("book");
    let (mut boxed, _) = backend.open(&dir);
    let store = &mut *boxed;
    apply(store, Change::PutCustomer(customer("acme")));
    let logged = interaction("2024-07-01T09:00:00Z", "asked for prices");
    let follow_up = Task {
        text: "Follow up: asked for prices".into(),
        ..task(1, date(2024, 6, 1))
    };
    apply(
        store,
        Change::LogContact {
            customer: "acme".into(),
            interaction: logged.clone(),
            new_task: Some(follow_up.clone()),
            close_tasks: vec![],
        },
    );
    let first = Interaction {
        outcome: Outcome::Negative,
        note: "asked for prices, unhappy with the last ones".into(),
        follow_up: Some(date(2024, 6, 4)),
        ..logged.clone()
    };
    let moved = Task {
        due: date(2024, 6, 4),
        text: "Follow up: asked for prices, unhappy with the last ones".into(),
        ..follow_up.clone()
    };
    corrected_at(
        store,
        "bob",
        "2024-07-02T08:00:00Z",
        Change::CorrectContact {
            customer: "acme".into(),
            previous: logged.clone(),
            corrected: first.clone(),
            task: Some(moved.clone()),
            drop_task: None,
        },
    );
    let account = read_account(store, "acme");
    assert_eq!(account.interactions, vec![first.clone()]);
    assert_eq!(account.tasks, vec![moved]);
    let one = ContactCorrection {
        previous: logged.clone(),
        corrected: first.clone(),
        by: "bob".into(),
        on: ts("2024-07-02T08:00:00Z"),
    };
    assert_eq!(
        store.contact_corrections("acme").unwrap(),
        vec![one.clone()]
    );

    // A second correction (of the corrected version): no follow-up any more.
    let second = Interaction {
        follow_up: None,
        ..first.clone()
    };
    corrected_at(
        store,
        "carol",
        "2024-07-03T08:00:00Z",
        Change::CorrectContact {
            customer: "acme".into(),
            previous: first.clone(),
            corrected: second.clone(),
            task: None,
            drop_task: Some(1),
        },
    );
    drop(boxed);
    let (mut boxed, _) = backend.open(&dir);
    let store = &mut *boxed;
    let account = read_account(store, "acme");
    assert_eq!(account.interactions, vec![second.clone()]);
    assert!(account.tasks.is_empty(), "{:?}", account.tasks);
    let two = ContactCorrection {
        previous: first,
        corrected: second,
        by: "carol".into(),
        on: ts("2024-07-03T08:00:00Z"),
    };
    assert_eq!(store.contact_corrections("acme").unwrap(), vec![one, two]);
    // The journal keeps the log and both corrections, each with its author.
    let journal = store.journal_entries().unwrap();
    let lines: Vec<(&str, &str)> = journal
        .iter()
        .skip(1)
        .map(|e| (e.actor.as_str(), e.description.as_str()))
        .collect();
    assert_eq!(
        lines,
        [
            (
                "alice",
                "logged outbound phone contact with acme (positive), opened task 1 due 2024-06-01"
            ),
            (
                "bob",
                "corrected the outbound phone contact with acme of 2024-07-01T09:00:00Z: \
                 outcome positive → negative; note \"asked for prices\" → \"asked for prices, \
                 unhappy with the last ones\"; follow-up 2024-06-01 → 2024-06-04"
            ),
            (
                "carol",
                "corrected the outbound phone contact with acme of 2024-07-01T09:00:00Z: \
                 follow-up 2024-06-04 → none"
            ),
        ]
    );
}
