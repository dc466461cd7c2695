//! Field sync (docs/sync.md): two books exchange events over a pipe and end identical;
//! conflicts are decided alike on both; a rep cannot push changes to another rep's
//! customers (refused events are kept and reported); a sync killed at any byte loses and
//! duplicates nothing.

use std::os::unix::net::UnixStream;
use std::path::Path;

use jiff::civil::date;
use jiff::Timestamp;
use proptest::prelude::*;

use crm::book::sync::{Options, Report};
use crm::book::Book;
use crm::domain::access::Session;
use crm::domain::config::Config;
use crm::domain::model::*;

fn open(dir: &Path, actor: &str) -> Book {
    Book::open(dir, Config::default(), actor).unwrap()
}

fn customer(id: &str, owner: &str) -> Customer {
    Customer {
        id: id.into(),
        name: format!("Customer {id}"),
        kind: CustomerKind::Organization,
        segment: "retail".into(),
        owner: owner.into(),
        created: date(2024, 1, 15),
        tags: vec![],
        category_spend: None,
        contacts: vec![],
        note: String::new(),
        lost: None,
    }
}

fn contact(minute: i64, note: &str) -> Interaction {
    Interaction {
        at: Timestamp::from_second(1_717_200_000 + minute * 60).unwrap(),
        channel: Channel::Phone,
        direction: Direction::Outbound,
        purpose: Purpose::FollowUp,
        outcome: Outcome::Positive,
        satisfaction: None,
        signals: vec![],
        note: note.into(),
        follow_up: None,
        author: "ana".into(),
    }
}

fn user(login: &str, role: Role) -> User {
    User {
        login: login.into(),
        name: login.into(),
        role,
        team: None,
    }
}

/// One sync between two open books over a socket pair: `dialler` takes what comes,
/// `answerer` checks it against `peer` (the account on the dialling side).
fn sync(dialler: &mut Book, answerer: &mut Book, peer: Option<Session>) -> (Report, Report) {
    let (one, two) = UnixStream::pair().unwrap();
    std::thread::scope(|scope| {
        let answer = scope.spawn(move || {
            let mut input = two.try_clone().unwrap();
            let mut output = two;
            answerer.sync(
                &mut input,
                &mut output,
                Options {
                    peer_name: "dialler".into(),
                    peer,
                    progress: &mut |_, _| {},
                },
            )
        });
        let mut input = one.try_clone().unwrap();
        let mut output = one;
        let dialled = dialler
            .sync(
                &mut input,
                &mut output,
                Options {
                    peer_name: "answerer".into(),
                    peer: None,
                    progress: &mut |_, _| {},
                },
            )
            .unwrap();
        (dialled, answer.join().unwrap().unwrap())
    })
}

fn admin(login: &str) -> Option<Session> {
    Some(Session {
        login: login.into(),
        role: Role::Admin,
        team: None,
    })
}

fn same(a: &Book, b: &Book) {
    assert_eq!(a.export().unwrap(), b.export().unwrap());
}

#[test]
fn two_books_exchange_what_each_lacks_and_a_second_sync_sends_nothing() {
    let root = tempfile::tempdir().unwrap();
    let mut a = open(&root.path().join("a"), "ana");
    let mut b = open(&root.path().join("b"), "ana");
    a.add_customer(customer("acme", "ana")).unwrap();
    a.log_contact("acme", contact(1, "from a")).unwrap();
    b.add_customer(customer("bolt", "ana")).unwrap();
    let (ab, ba) = sync(&mut a, &mut b, admin("ana"));
    assert_eq!((ab.sent, ab.received, ab.applied), (2, 1, 1));
    assert_eq!((ba.sent, ba.received, ba.applied), (1, 2, 2));
    same(&a, &b);
    let (again, back) = sync(&mut b, &mut a, admin("ana"));
    assert_eq!(
        (again.sent, again.received, back.sent, back.received),
        (0, 0, 0, 0)
    );
    // A third book learns both books' events from either one, once.
    let mut c = open(&root.path().join("c"), "ana");
    sync(&mut c, &mut a, admin("ana"));
    let (_, relayed) = sync(&mut c, &mut b, admin("ana"));
    assert_eq!(relayed.sent, 0, "b's events reached c through a");
    same(&a, &c);
    let status = a.sync_status().unwrap();
    assert_eq!(status.peers.len(), 2);
    assert!(status.peers.iter().all(|p| p.to_send == 0 && p.complete));
}

#[test]
fn interactions_orders_and_contacts_are_append_only_and_all_kept() {
    let root = tempfile::tempdir().unwrap();
    let mut a = open(&root.path().join("a"), "ana");
    let mut b = open(&root.path().join("b"), "ana");
    a.add_customer(customer("acme", "ana")).unwrap();
    sync(&mut b, &mut a, admin("ana"));
    a.log_contact("acme", contact(1, "a's call")).unwrap();
    b.log_contact("acme", contact(2, "b's call")).unwrap();
    let order = |day| Order {
        date: date(2024, 6, day),
        amount: 100.0,
        margin: None,
    };
    a.add_order("acme", order(3)).unwrap();
    b.add_order("acme", order(4)).unwrap();
    sync(&mut a, &mut b, admin("ana"));
    same(&a, &b);
    let account = a.account("acme").unwrap();
    let notes: Vec<&str> = account
        .interactions
        .iter()
        .map(|i| i.note.as_str())
        .collect();
    assert_eq!(notes, ["a's call", "b's call"]);
    assert_eq!(account.orders.len(), 2);
}

#[test]
fn a_field_edited_on_two_devices_takes_the_later_edit_and_says_so_until_someone_looks() {
    let root = tempfile::tempdir().unwrap();
    let mut server = open(&root.path().join("server"), "ana");
    let mut laptop = open(&root.path().join("laptop"), "ana");
    server.add_customer(customer("acme", "ana")).unwrap();
    sync(&mut laptop, &mut server, admin("ana"));
    let as_of = date(2024, 7, 1);
    // The laptop edits first (offline), the server later: neither saw the other's edit.
    let mut on_laptop = laptop.customer("acme").unwrap();
    on_laptop.note = "laptop's note".into();
    on_laptop.segment = "wholesale".into();
    laptop.update_customer(on_laptop).unwrap();
    // "Later" is the hybrid clock's, whose milliseconds come from the wall clock: two edits
    // in the same millisecond tie, and a tie goes by book id (random here). So the
    // server's edit is made once the clock has moved on.
    let edited = std::time::Instant::now();
    while edited.elapsed() < std::time::Duration::from_millis(3) {
        std::thread::yield_now();
    }
    let mut on_server = server.customer("acme").unwrap();
    on_server.note = "server's note".into();
    server.update_customer(on_server).unwrap();
    sync(&mut laptop, &mut server, admin("ana"));
    same(&laptop, &server);
    for book in [&mut laptop, &mut server] {
        let card = book.card("acme", as_of).unwrap();
        assert_eq!(card.note, "server's note", "the later clock wins");
        assert_eq!(
            card.segment, "wholesale",
            "a field only one device edited is kept"
        );
        assert_eq!(card.changed_on_two_devices, ["note"]);
    }
    // The laptop's value is in the audit trail (its event is in both journals).
    let json = serde_json::to_string(&server.card("acme", as_of).unwrap()).unwrap();
    assert!(
        json.contains("\"changed_on_two_devices\":[\"note\"]"),
        "{json}"
    );
    // Someone looks on the laptop: its card stops saying so; the server's still does.
    assert_eq!(laptop.look_at_conflicts("acme").unwrap(), ["note"]);
    assert!(laptop
        .card("acme", as_of)
        .unwrap()
        .changed_on_two_devices
        .is_empty());
    assert_eq!(
        server.card("acme", as_of).unwrap().changed_on_two_devices,
        ["note"]
    );
    // A later edit on either side keeps the value decided and the look.
    let mut later = laptop.customer("acme").unwrap();
    later.note = "agreed note".into();
    laptop.update_customer(later).unwrap();
    sync(&mut laptop, &mut server, admin("ana"));
    same(&laptop, &server);
    assert_eq!(server.card("acme", as_of).unwrap().note, "agreed note");
}

/// The rule for a contact corrected on two devices (docs/sync.md): the later correction
/// (hybrid clock) is the contact on both, both corrections and the old version are kept;
/// an undo on one device and a correction on the other leave the contact taken back.
#[test]
fn a_contact_corrected_on_two_devices_takes_the_later_and_keeps_every_version() {
    let root = tempfile::tempdir().unwrap();
    let mut server = open(&root.path().join("server"), "ana");
    let mut laptop = open(&root.path().join("laptop"), "bo");
    server.add_customer(customer("acme", "ana")).unwrap();
    let logged = contact(1, "asked for prices");
    server.log_contact("acme", logged.clone()).unwrap();
    let receipt = server
        .log_contact("acme", contact(2, "second call"))
        .unwrap();
    sync(&mut laptop, &mut server, admin("ana"));
    let first = |book: &Book| book.account("acme").unwrap().interactions[0].clone();
    let on_laptop = Interaction {
        note: "asked for prices (laptop)".into(),
        ..logged.clone()
    };
    laptop
        .correct_contact("acme", &first(&laptop), on_laptop)
        .unwrap();
    // Made once the clock has moved on (two edits in one millisecond tie on the hybrid
    // clock and go by the random book id).
    let edited = std::time::Instant::now();
    while edited.elapsed() < std::time::Duration::from_millis(3) {
        std::thread::yield_now();
    }
    let on_server = Interaction {
        note: "asked for prices (server)".into(),
        outcome: Outcome::Negative,
        ..logged.clone()
    };
    server
        .correct_contact("acme", &first(&server), on_server.clone())
        .unwrap();
    // Meanwhile the server takes back the second call; the laptop corrects it.
    server.retract_contact(&receipt).unwrap();
    let second = laptop.account("acme").unwrap().interactions[1].clone();
    let fixed = Interaction {
        note: "second call, corrected".into(),
        ..second.clone()
    };
    laptop.correct_contact("acme", &second, fixed).unwrap();
    sync(&mut laptop, &mut server, admin("ana"));
    same(&laptop, &server);
    let as_of = date(2024, 7, 1);
    for book in [&mut laptop, &mut server] {
        let account = book.account("acme").unwrap();
        assert_eq!(account.interactions, vec![on_server.clone()]);
        let card = book.card("acme", as_of).unwrap();
        // Oldest clock first: the laptop's, the server's, the laptop's second.
        let kept: Vec<(&str, &str, &str)> = card
            .corrections
            .iter()
            .map(|c| {
                (
                    c.by.as_str(),
                    c.previous.note.as_str(),
                    c.corrected.note.as_str(),
                )
            })
            .collect();
        assert_eq!(
            kept,
            [
                ("bo", "asked for prices", "asked for prices (laptop)"),
                ("ana", "asked for prices", "asked for prices (server)"),
                ("bo", "second call", "second call, corrected"),
            ]
        );
    }
}

#[test]
fn lost_on_one_side_and_contacted_on_the_other_is_shown_for_a_decision() {
    let root = tempfile::tempdir().unwrap();
    let mut server = open(&root.path().join("server"), "ana");
    let mut laptop = open(&root.path().join("laptop"), "ana");
    server.add_customer(customer("acme", "ana")).unwrap();
    server.log_contact("acme", contact(1, "first")).unwrap();
    sync(&mut laptop, &mut server, admin("ana"));
    let lost = Lost {
        date: date(2024, 6, 10),
        reason: LostReason::Competitor,
    };
    server.set_lost("acme", Some(lost.clone())).unwrap();
    laptop
        .log_contact("acme", contact(30, "they want to talk"))
        .unwrap();
    sync(&mut laptop, &mut server, admin("ana"));
    same(&laptop, &server);
    let as_of = date(2024, 7, 1);
    for book in [&mut laptop, &mut server] {
        let card = book.card("acme", as_of).unwrap();
        assert_eq!(
            card.lost,
            Some(lost.clone()),
            "not silently resolved either way"
        );
        assert!(card.lost_but_contacted);
    }
    // A contact made knowing the mark (a win-back call) is no conflict; deciding (marking
    // lost again, knowing every contact) clears it everywhere.
    server.set_lost("acme", Some(lost.clone())).unwrap();
    sync(&mut laptop, &mut server, admin("ana"));
    laptop
        .log_contact("acme", contact(60, "win-back call"))
        .unwrap();
    sync(&mut laptop, &mut server, admin("ana"));
    for book in [&mut laptop, &mut server] {
        assert!(!book.card("acme", as_of).unwrap().lost_but_contacted);
    }
}

#[test]
fn a_rep_cannot_push_changes_to_another_reps_customer_and_hears_why() {
    let root = tempfile::tempdir().unwrap();
    let mut server = open(&root.path().join("server"), "boss");
    server.put_user(user("alice", Role::Rep)).unwrap();
    server.put_user(user("bob", Role::Rep)).unwrap();
    server.add_customer(customer("c-alice", "alice")).unwrap();
    server.add_customer(customer("c-bob", "bob")).unwrap();
    server.add_customer(customer("c-free", "")).unwrap();
    server
        .log_contact("c-bob", contact(1, "bob's secret"))
        .unwrap();
    let alice = || {
        Some(Session {
            login: "alice".into(),
            role: Role::Rep,
            team: None,
        })
    };
    let mut laptop = open(&root.path().join("laptop"), "alice");
    sync(&mut laptop, &mut server, alice());
    // The laptop keeps alice's slice: her customers and the unassigned prospect.
    let ids: Vec<String> = laptop
        .export()
        .unwrap()
        .accounts
        .into_iter()
        .map(|a| a.customer.id)
        .collect();
    assert_eq!(ids, ["c-alice", "c-free"]);
    // Offline, alice logs a contact with her customer and claims bob's customer's id.
    laptop
        .log_contact("c-alice", contact(5, "alice's call"))
        .unwrap();
    laptop.add_customer(customer("c-bob", "alice")).unwrap();
    let (pushed, answered) = sync(&mut laptop, &mut server, alice());
    assert_eq!((pushed.sent, pushed.refused_by_peer), (2, 1));
    assert_eq!(answered.refused_here, 1);
    assert_eq!(
        server.customer("c-bob").unwrap().owner,
        "bob",
        "bob's customer untouched"
    );
    assert_eq!(server.account("c-alice").unwrap().interactions.len(), 1);
    // Reported, not dropped: the refusal waits on the laptop with its reason.
    let status = laptop.sync_status().unwrap();
    assert_eq!(status.refused.len(), 1);
    let refused = &status.refused[0];
    assert_eq!(refused.what, "saved profile of c-bob");
    assert_eq!(refused.actor, "alice");
    assert_eq!(refused.reason, "customer c-bob is not within alice's reach");
    // Syncing again refuses it again and still lists it once.
    sync(&mut laptop, &mut server, alice());
    assert_eq!(laptop.sync_status().unwrap().refused.len(), 1);
    assert_eq!(laptop.clear_refused().unwrap(), 1);
}

// ---- the property: replicas that diverge end identical ---------------------------------

#[derive(Debug, Clone)]
enum Op {
    Contact(usize),
    Order(usize),
    Note(usize, u8),
    Segment(usize, u8),
    Lost(usize, bool),
    /// The customer's latest contact corrected.
    Correct(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize).prop_map(Op::Contact),
        (0..3usize).prop_map(Op::Order),
        (0..3usize, 0..4u8).prop_map(|(c, v)| Op::Note(c, v)),
        (0..3usize, 0..4u8).prop_map(|(c, v)| Op::Segment(c, v)),
        (0..3usize, any::<bool>()).prop_map(|(c, v)| Op::Lost(c, v)),
        (0..3usize).prop_map(Op::Correct),
    ]
}

const IDS: [&str; 3] = ["c0", "c1", "c2"];

/// Applies `op`; `n` makes times and dates unique across both books.
fn run(book: &mut Book, op: &Op, n: i64) {
    match op {
        Op::Contact(c) => {
            book.log_contact(IDS[*c], contact(n, &format!("contact {n}")))
                .unwrap();
        }
        Op::Order(c) => {
            let day = date(2024, 1, 1)
                .checked_add(jiff::Span::new().days(n))
                .unwrap();
            let order = Order {
                date: day,
                amount: 10.0 * n as f64,
                margin: None,
            };
            book.add_order(IDS[*c], order).unwrap();
        }
        Op::Note(c, v) | Op::Segment(c, v) => {
            let mut profile = book.customer(IDS[*c]).unwrap();
            match op {
                Op::Note(..) => profile.note = format!("note {v}"),
                _ => profile.segment = format!("segment {v}"),
            }
            book.update_customer(profile).unwrap();
        }
        Op::Correct(c) => {
            let latest = book.account(IDS[*c]).unwrap().interactions.last().cloned();
            if let Some(previous) = latest {
                let corrected = Interaction {
                    note: format!("corrected {n}"),
                    ..previous.clone()
                };
                book.correct_contact(IDS[*c], &previous, corrected).unwrap();
            }
        }
        Op::Lost(c, lost) => {
            let mark = lost.then(|| Lost {
                date: date(2024, 5, 1),
                reason: LostReason::Price,
            });
            book.set_lost(IDS[*c], mark).unwrap();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn replicas_that_diverge_end_identical_whatever_the_order_of_syncs(
        first_a in proptest::collection::vec(op(), 0..6),
        first_b in proptest::collection::vec(op(), 0..6),
        then_a in proptest::collection::vec(op(), 0..6),
        then_b in proptest::collection::vec(op(), 0..6),
        order in proptest::collection::vec(any::<bool>(), 1..4),
    ) {
        let root = tempfile::tempdir().unwrap();
        let mut a = open(&root.path().join("a"), "ana");
        let mut b = open(&root.path().join("b"), "ana");
        for id in IDS {
            a.add_customer(customer(id, "ana")).unwrap();
        }
        sync(&mut b, &mut a, admin("ana"));
        let mut n = 0;
        for (book, ops) in [(&mut a, &first_a), (&mut b, &first_b)] {
            for op in ops {
                n += 1;
                run(book, op, n);
            }
        }
        // A sync in one direction, more changes, then syncs in the drawn orders.
        sync(&mut a, &mut b, admin("ana"));
        for (book, ops) in [(&mut b, &then_b), (&mut a, &then_a)] {
            for op in ops {
                n += 1;
                run(book, op, n);
            }
        }
        for a_dials in order {
            if a_dials {
                sync(&mut a, &mut b, admin("ana"));
            } else {
                sync(&mut b, &mut a, admin("ana"));
            }
        }
        prop_assert_eq!(a.export().unwrap(), b.export().unwrap());
        let as_of = date(2024, 7, 1);
        for id in IDS {
            let (ca, cb) = (a.card(id, as_of).unwrap(), b.card(id, as_of).unwrap());
            prop_assert_eq!(ca.changed_on_two_devices, cb.changed_on_two_devices);
            prop_assert_eq!(ca.lost_but_contacted, cb.lost_but_contacted);
            prop_assert_eq!(ca.corrections, cb.corrections);
        }
        let (x, y) = sync(&mut a, &mut b, admin("ana"));
        prop_assert_eq!((x.sent, x.received, y.sent, y.received), (0, 0, 0, 0));
    }
}
