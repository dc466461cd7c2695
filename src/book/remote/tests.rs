//! The server and its clients in one process: every test serves a fresh book on its own
//! socket and waits for conditions with generous deadlines, never for fixed times.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::sync::mpsc;
use std::time::Duration;

use super::*;
use crate::book::{Book, BookApi, BookError, Missing};
use crate::domain::config::Config;
use crate::domain::model::{Direction, Outcome, Purpose, TaskOrigin};
use crate::domain::testkit::{account, contact, d};

const DEADLINE: Duration = Duration::from_secs(60);

struct Served {
    _dir: tempfile::TempDir,
    socket: PathBuf,
    owner: Owned,
}

fn served_with(limits: Limits, customers: &[&str]) -> Served {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Book::open(dir.path(), Config::default(), "owner").unwrap();
    for id in customers {
        book.add_customer(account(id).customer).unwrap();
    }
    let socket = socket_path(dir.path());
    let claimed = claim(&socket, 0o600).unwrap();
    let owner = Owned::serve(book, claimed, limits).unwrap();
    Served {
        _dir: dir,
        socket,
        owner,
    }
}

fn served(customers: &[&str]) -> Served {
    served_with(Limits::default(), customers)
}

fn me() -> String {
    own_login().expect("this test's user has a login")
}

/// A raw connection that has said hello, for frames no client would send.
fn raw(socket: &Path) -> (UnixStream, BufReader<UnixStream>) {
    let stream = UnixStream::connect(socket).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    writer.write_all(b"{\"hello\":{\"protocol\":2}}\n").unwrap();
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("{\"hello\":"), "{line}");
    (writer, reader)
}

fn line(reader: &mut BufReader<UnixStream>) -> String {
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    line
}

fn call_at(at: &str) -> crate::domain::model::Interaction {
    contact(at, Direction::Outbound, Purpose::Service, Outcome::Positive)
}

/// A card and an agenda read over the socket carry their messages, so a client says
/// evidence, actions and reasons in its own language: they equal the book's own.
#[test]
fn cards_and_agendas_carry_their_messages_over_the_socket() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Book::open(dir.path(), Config::default(), "owner").unwrap();
    book.add_customer(account("acme").customer).unwrap();
    let as_of = d("2026-03-02");
    let card = BookApi::card(&mut book, "acme", as_of).unwrap();
    let agenda = BookApi::agenda(&mut book, as_of, None).unwrap();
    assert!(!card.stage_evidence_said.is_empty() && !card.next_actions.is_empty());
    assert!(!card.next_actions[0].action_said.key.is_empty());
    assert!(!agenda.actions.is_empty() && !agenda.actions[0].action_said.key.is_empty());
    // The contract's JSON stays without them.
    let json = serde_json::to_string(&card).unwrap();
    assert!(!json.contains("said"), "{json}");
    let socket = socket_path(dir.path());
    let owner = Owned::serve(book, claim(&socket, 0o600).unwrap(), Limits::default()).unwrap();
    let mut client = Client::connect(&socket, None).unwrap();
    assert_eq!(client.card("acme", as_of).unwrap(), card);
    assert_eq!(client.agenda(as_of, None).unwrap(), agenda);
    drop(client);
    drop(owner);
    // An answer without them (an older server) reads as the card, its lines in English.
    let plain = super::super::wire_said::card_from(serde_json::to_value(&card).unwrap()).unwrap();
    assert!(plain.stage_evidence_said.is_empty());
    assert_eq!(plain.stage_evidence, card.stage_evidence);
}

/// A portfolio queue the console drills into crosses the socket whole, as the book lists it.
#[test]
fn a_queue_crosses_the_socket_as_the_book_lists_it() {
    use crate::domain::portfolio::QueueKind;
    let dir = tempfile::tempdir().unwrap();
    let mut book = Book::open(dir.path(), Config::default(), "owner").unwrap();
    for id in ["acme", "bolt", "cord"] {
        book.add_customer(account(id).customer).unwrap();
    }
    let as_of = d("2026-03-02");
    let queues = QueueKind::ALL.map(|kind| BookApi::queue(&mut book, as_of, kind).unwrap());
    assert_eq!(queues.iter().map(Vec::len).sum::<usize>(), 3, "{queues:?}");
    let socket = socket_path(dir.path());
    let owner = Owned::serve(book, claim(&socket, 0o600).unwrap(), Limits::default()).unwrap();
    let mut client = Client::connect(&socket, None).unwrap();
    for (kind, queue) in QueueKind::ALL.into_iter().zip(&queues) {
        assert_eq!(&client.queue(as_of, kind).unwrap(), queue, "{kind:?}");
    }
    drop(client);
    drop(owner);
}

/// A client is a `BookApi` like the book itself: reads, writes and typed errors cross the
/// socket; the writes are recorded as the login the kernel names, whatever the owner's is.
#[test]
fn a_client_reads_writes_and_gets_typed_errors_as_its_kernel_login() {
    let served = served(&[]);
    let mut client = Client::connect(&served.socket, None).unwrap();
    assert_eq!(client.actor(), me());
    let id = client.add_customer(account("acme").customer).unwrap();
    assert_eq!(id, "acme");
    assert_eq!(client.resolve("Customer acme").unwrap(), "acme");
    let task = client
        .add_task("acme", d("2026-03-09"), "call back", TaskOrigin::Manual)
        .unwrap();
    client
        .log_contact("acme", call_at("2026-03-02T10:00:00Z"))
        .unwrap();
    assert_eq!(client.account("acme").unwrap().tasks[0].id, task);
    assert_eq!(
        client.set_task_done("acme", 9999, Some(d("2026-03-02"))),
        Err(BookError::NotFound {
            what: Missing::Task {
                customer: "acme".into()
            },
            id: "9999".into()
        })
    );
    assert!(matches!(
        client.card("nobody", d("2026-03-02")),
        Err(BookError::NotFound {
            what: Missing::Customer,
            ..
        })
    ));
    assert_eq!(client.customer_count().unwrap(), 1);
    let actors: Vec<String> = served.owner.transport().hub().with_book(|book| {
        assert_eq!(book.actor(), "owner");
        book.store
            .journal_entries()
            .unwrap()
            .into_iter()
            .map(|entry| entry.actor)
            .collect()
    });
    assert_eq!(actors, [me(), me(), me()]);
}

/// A request that names an actor (protocol 1 carried one) is a bad request: nobody can
/// write as someone else by saying so.
#[test]
fn a_request_that_claims_an_actor_is_refused() {
    let served = served(&["acme"]);
    let (mut writer, mut reader) = raw(&served.socket);
    writer
        .write_all(
            b"{\"op\":\"set_lost\",\"id\":\"acme\",\"lost\":null,\"actor\":\"ceo\"}\n\
              {\"op\":\"set_lost\",\"id\":\"acme\",\"lost\":null}\n",
        )
        .unwrap();
    let first = line(&mut reader);
    assert!(
        first.contains("bad request") && first.contains("actor"),
        "{first}"
    );
    assert_eq!(line(&mut reader), "{\"ok\":null}\n");
    let actors: Vec<String> = served.owner.transport().hub().with_book(|book| {
        book.store
            .journal_entries()
            .unwrap()
            .into_iter()
            .map(|e| e.actor)
            .collect()
    });
    assert_eq!(actors, ["owner".to_string(), me()]);
}

/// Malformed JSON is answered with a typed error and the connection goes on; a frame cut
/// short by the client hanging up is answered as truncated.
#[test]
fn malformed_and_truncated_frames_get_typed_errors() {
    let served = served(&["acme"]);
    let (mut writer, mut reader) = raw(&served.socket);
    writer.write_all(b"{\"op\":\"find\",\n").unwrap();
    let answer: serde_json::Value = serde_json::from_str(&line(&mut reader)).unwrap();
    assert_eq!(answer["error"]["kind"], "invalid", "{answer}");
    assert_eq!(answer["error"]["field"], "request", "{answer}");
    writer.write_all(b"not json at all\n").unwrap();
    assert!(line(&mut reader).contains("bad request"));
    writer.write_all(b"{\"op\":\"customer_count\"}\n").unwrap();
    assert_eq!(line(&mut reader), "{\"ok\":1}\n");
    writer.write_all(b"{\"op\":\"customer_co").unwrap();
    writer.shutdown(std::net::Shutdown::Write).unwrap();
    let answer = line(&mut reader);
    assert!(
        answer.contains("truncated frame") && answer.contains("18 bytes"),
        "{answer}"
    );
    assert_eq!(line(&mut reader), "", "then the connection ends");
}

/// A request over the limit is refused after reading one byte more than the limit (the
/// rest is never buffered) and the connection ends; one within the limit is served.
#[test]
fn an_oversized_request_is_refused_not_buffered() {
    let limits = Limits {
        max_request: 64,
        ..Limits::default()
    };
    let served = served_with(limits, &[]);
    let (mut writer, mut reader) = raw(&served.socket);
    writer
        .write_all(b"{\"op\":\"customer_count\"}                                  \n")
        .unwrap();
    assert_eq!(line(&mut reader), "{\"ok\":0}\n");
    writer.write_all(&[b'x'; 65]).unwrap();
    let answer = line(&mut reader);
    assert!(answer.contains("longer than 64 bytes"), "{answer}");
    assert_eq!(line(&mut reader), "", "connection closed");
}

/// The client refuses to send an import over the limit and says how to do it.
#[test]
fn an_import_over_the_limit_is_refused_by_the_client_with_the_way_out() {
    let served = served(&[]);
    let mut client = Client::connect(&served.socket, None).unwrap();
    let mut data = crate::domain::model::BookData::default();
    let mut big = account("big");
    big.customer.tags = vec!["x".repeat(MAX_REQUEST)];
    data.accounts.push(big);
    let error = client.import(data, false).unwrap_err();
    assert!(
        matches!(&error, BookError::Refused { why, .. } if why.contains("stop the serving crm")),
        "{error:?}"
    );
    assert_eq!(client.customer_count().unwrap(), 0);
}

/// Protocol versions: a hello of another version, or a request with no hello (protocol 1),
/// is answered with one line naming both versions; a client meeting such a server says
/// the same.
#[test]
fn a_protocol_mismatch_is_one_clear_line_both_ways() {
    let served = served(&[]);
    for opening in [
        &b"{\"hello\":{\"protocol\":3}}\n"[..],
        b"{\"op\":\"customer_count\"}\n",
    ] {
        let mut stream = UnixStream::connect(&served.socket).unwrap();
        stream.write_all(opening).unwrap();
        let mut reader = BufReader::new(stream);
        let answer = line(&mut reader);
        let error: serde_json::Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(error["error"]["kind"], "refused", "{answer}");
        let why = error["error"]["why"].as_str().unwrap();
        assert!(why.starts_with("protocol mismatch: the serving crm speaks protocol 2"));
        let client = if opening.starts_with(b"{\"hello") {
            3
        } else {
            1
        };
        assert!(why.contains(&format!("this client {client}")), "{why}");
        assert_eq!(line(&mut reader), "");
    }
    // A server of another version, as the client sees it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sock");
    let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    let old = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut writer = stream;
        let _ = line(&mut reader);
        writer
            .write_all(b"{\"hello\":{\"protocol\":7,\"login\":\"x\",\"pid\":1,\"config\":{}}}\n")
            .unwrap();
    });
    match Client::connect(&path, None) {
        Err(ConnectError::Refused(BookError::Refused { why, .. })) => {
            assert!(why.contains("speaks protocol 7, this client 2"), "{why}")
        }
        Err(other) => panic!("{other:?}"),
        Ok(_) => panic!("connected across versions"),
    }
    old.join().unwrap();
}

/// A client that starts a request and stops (or never says anything) holds nothing:
/// another client is served meanwhile, and so is the owner itself.
#[test]
fn a_stuck_client_does_not_delay_others() {
    let mut served = served(&["acme"]);
    let (mut stuck, _stuck_reader) = raw(&served.socket);
    stuck
        .write_all(b"{\"op\":\"log_contact\",\"id\":\"ac")
        .unwrap();
    let _silent = UnixStream::connect(&served.socket).unwrap();
    let socket = served.socket.clone();
    let (done, answered) = mpsc::channel();
    std::thread::spawn(move || {
        let mut client = Client::connect(&socket, None).unwrap();
        let logged = client.log_contact("acme", call_at("2026-03-02T10:00:00Z"));
        let _ = done.send((logged.is_ok(), client.customer_count()));
    });
    let (logged, count) = answered
        .recv_timeout(DEADLINE)
        .expect("a client waited behind a stuck one");
    assert!(logged);
    assert_eq!(count, Ok(1));
    assert_eq!(served.owner.customer_count(), Ok(1));
}

/// A connection idle past the limit is told `bye` and closed; its client reconnects on its
/// next call without the user noticing.
#[test]
fn an_idle_connection_is_closed_and_its_client_reconnects() {
    let limits = Limits {
        idle: Duration::from_millis(50),
        ..Limits::default()
    };
    let served = served_with(limits, &["acme"]);
    let (_writer, mut reader) = raw(&served.socket);
    let bye: serde_json::Value = serde_json::from_str(&line(&mut reader)).unwrap();
    assert!(bye["bye"]["why"]
        .as_str()
        .unwrap()
        .contains("no complete frame"));
    let mut client = Client::connect(&served.socket, None).unwrap();
    let first = client.transport().server_pid();
    // Whether or not the idle limit struck in between, the answer is the book's.
    for _ in 0..3 {
        assert_eq!(client.customer_count(), Ok(1));
        std::thread::sleep(Duration::from_millis(60));
    }
    assert_eq!(client.transport().server_pid(), first);
}

/// One connection more than the server takes is told so in one line.
#[test]
fn connections_beyond_the_limit_are_told_so() {
    let limits = Limits {
        max_connections: 2,
        ..Limits::default()
    };
    let served = served_with(limits, &[]);
    let _a = Client::connect(&served.socket, None).unwrap();
    let _b = Client::connect(&served.socket, None).unwrap();
    match Client::connect(&served.socket, None) {
        Err(ConnectError::Refused(BookError::Unavailable { why, .. })) => {
            assert!(why.contains("2 connections open"), "{why}")
        }
        other => panic!("{:?}", other.map(|_| ())),
    }
}

/// 16 clients logging at once lose nothing: every contact is in the book, each write got
/// its own sequence number, and a subscriber was told of every one.
#[test]
fn sixteen_clients_logging_at_once_lose_nothing() {
    let served = served(&["acme"]);
    let mut subscription = Subscription::open(&served.socket).unwrap();
    let per_client = 12;
    std::thread::scope(|scope| {
        for n in 0..16 {
            let socket = served.socket.clone();
            scope.spawn(move || {
                let mut client = Client::connect(&socket, None).unwrap();
                for i in 0..per_client {
                    let at = format!("2026-03-02T{:02}:{:02}:00Z", n, i);
                    client.log_contact("acme", call_at(&at)).unwrap();
                }
            });
        }
    });
    let account = Client::connect(&served.socket, None)
        .unwrap()
        .account("acme")
        .unwrap();
    assert_eq!(account.interactions.len(), 16 * per_client);
    let mut seqs = Vec::new();
    for _ in 0..16 * per_client {
        let changed = subscription.next_change().unwrap();
        assert_eq!(changed.customers, ["acme"]);
        seqs.push(changed.seq);
    }
    // One customer added before serving (seq 1), then 192 writes: seqs 2..=193 in order.
    assert_eq!(seqs, (2..=1 + 16 * per_client as u64).collect::<Vec<_>>());
}

/// Stopping the owner tells subscribers and idle clients `bye`; a client's next call then
/// says in one line that the server went away.
#[test]
fn stopping_the_owner_says_bye_and_clients_say_so() {
    let served = served(&["acme"]);
    let mut subscription = Subscription::open(&served.socket).unwrap();
    let mut client = Client::connect(&served.socket, None).unwrap();
    let pid = client.server_pid();
    let Served {
        _dir,
        owner,
        socket,
    } = served;
    drop(owner);
    assert!(!socket.exists(), "the owner removed its socket");
    match subscription.next_change() {
        Err(Ended::Bye { pid: by, why }) => {
            assert_eq!(by, pid);
            assert!(why.contains("quit"), "{why}");
        }
        other => panic!("{other:?}"),
    }
    match client.customer_count() {
        Err(BookError::Unavailable { why, .. }) => {
            assert!(why.contains(&format!("(pid {pid}) went away")), "{why}")
        }
        other => panic!("{other:?}"),
    }
}

/// The owner's own writes are announced like a client's, and recorded as the owner's.
#[test]
fn the_owners_own_writes_are_announced() {
    let mut served = served(&["acme"]);
    let mut subscription = Subscription::open(&served.socket).unwrap();
    served
        .owner
        .log_contact("acme", call_at("2026-03-02T10:00:00Z"))
        .unwrap();
    let changed = subscription.next_change().unwrap();
    assert_eq!(changed.customers, ["acme"]);
    assert_eq!(changed.seq, 2);
}

/// A client that names a configuration other than the server's is refused in one line;
/// the same rules in another language are fine.
#[test]
fn a_client_with_another_configuration_is_refused() {
    let served = served(&[]);
    let mut other = Config::default();
    other.value.default_margin_rate += 0.1;
    match Client::connect(&served.socket, Some(&other)) {
        Err(ConnectError::Refused(BookError::Refused { why, .. })) => {
            assert!(why.contains("its own configuration"), "{why}")
        }
        other => panic!("{:?}", other.map(|_| ())),
    }
    let chinese = Config {
        language: Some("zh-CN".into()),
        ..Config::default()
    };
    let client = Client::connect(&served.socket, Some(&chinese)).unwrap();
    assert_eq!(client.config().language.as_deref(), Some("zh-CN"));
}

/// The users and the audit trail cross the socket: the server's own account (this test's)
/// is the book's admin; every change is recorded under the login the kernel names.
#[test]
fn users_and_the_audit_trail_cross_the_socket() {
    use crate::book::audit::AuditFilter;
    use crate::domain::model::{Role, User};
    let served = served(&["acme"]);
    let mut client = Client::connect(&served.socket, None).unwrap();
    let bob = User {
        login: "bob".into(),
        name: "Bob".into(),
        role: Role::Rep,
        team: Some("east".into()),
    };
    client.add_user(bob.clone()).unwrap();
    assert!(matches!(
        client.add_user(bob.clone()),
        Err(BookError::Refused { .. })
    ));
    let ghost = User {
        login: "ghost".into(),
        ..bob.clone()
    };
    assert!(matches!(
        client.set_user(ghost),
        Err(BookError::NotFound {
            what: Missing::User,
            ..
        })
    ));
    let manager = User {
        role: Role::Manager,
        ..bob.clone()
    };
    client.set_user(manager.clone()).unwrap();
    assert_eq!(client.users().unwrap(), [manager]);
    client
        .log_contact("acme", call_at("2026-03-02T09:00:00Z"))
        .unwrap();
    // 1 acme added by the owner before serving; 2 and 3 bob added and changed; 4 the contact.
    let trail = client.audit(&AuditFilter::default()).unwrap();
    let seen: Vec<(u64, &str, &str)> = trail
        .iter()
        .map(|e| (e.seq, e.user.as_str(), e.kind.as_str()))
        .collect();
    let me = me();
    assert_eq!(
        seen,
        [
            (1, "owner", "profile"),
            (2, me.as_str(), "user"),
            (3, me.as_str(), "user"),
            (4, me.as_str(), "contact"),
        ]
    );
    let acme = AuditFilter {
        customer: Some("acme".into()),
        ..AuditFilter::default()
    };
    let seqs: Vec<u64> = client.audit(&acme).unwrap().iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [1, 4]);
}

/// A correction crosses the socket: it is made as the kernel's login, the contact keeps
/// the login that logged it, and the card read back shows the old version.
#[test]
fn a_contact_is_corrected_over_the_socket_as_the_kernel_login() {
    let served = served(&["acme"]);
    served.owner.transport().hub().with_book(|book| {
        book.log_contact("acme", call_at("2026-03-02T10:00:00Z"))
            .unwrap();
    });
    let mut client = Client::connect(&served.socket, None).unwrap();
    let previous = client.account("acme").unwrap().interactions[0].clone();
    let corrected = crate::domain::model::Interaction {
        note: "corrected over the socket".into(),
        ..previous.clone()
    };
    client
        .correct_contact("acme", &previous, corrected.clone())
        .unwrap();
    assert_eq!(client.account("acme").unwrap().interactions, [corrected]);
    let card = client.card("acme", d("2026-03-02")).unwrap();
    assert_eq!(card.corrections.len(), 1);
    assert_eq!(card.corrections[0].previous, previous);
    assert_eq!(card.corrections[0].by, me());
    // The stale version is refused: it is no longer the contact.
    assert!(matches!(
        client.correct_contact("acme", &previous, call_at("2026-03-02T10:00:00Z")),
        Err(BookError::Refused { .. })
    ));
}
