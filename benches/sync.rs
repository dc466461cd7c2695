//! `cargo bench --bench sync`: 1,000 new events each way between two books over a pipe
//! (a Unix socket pair, each end on its own thread, as `crm sync --stdio` runs them), and
//! the bytes on the wire against the events' encoded size. docs/performance.md.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use crm::book::sync::Options;
use crm::book::Book;
use crm::domain::config::Config;
use crm::domain::model::*;
use crm::store::envelope::VersionVector;

/// Counts the bytes written through it.
struct Counted<W> {
    inner: W,
    bytes: Arc<AtomicU64>,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn book(dir: &std::path::Path, id: &str, n: i64) -> Book {
    let mut book = Book::open(dir, Config::default(), "ana").unwrap();
    book.add_customer(Customer {
        id: id.into(),
        name: format!("Customer {id}"),
        kind: CustomerKind::Organization,
        segment: "retail".into(),
        owner: "ana".into(),
        created: jiff::civil::date(2024, 1, 15),
        tags: vec![],
        category_spend: None,
        contacts: vec![],
        note: String::new(),
        lost: None,
    })
    .unwrap();
    for i in 0..n {
        let interaction = Interaction {
            at: jiff::Timestamp::from_second(1_717_200_000 + i * 60).unwrap(),
            channel: Channel::Phone,
            direction: Direction::Outbound,
            purpose: Purpose::FollowUp,
            outcome: Outcome::Positive,
            satisfaction: Some(4),
            signals: vec![],
            note: format!("called about the spring order, number {i}"),
            follow_up: None,
            author: "ana".into(),
        };
        book.log_contact(id, interaction).unwrap();
    }
    book
}

/// The encoded size (store codec) of the events of `origin` held in the book at `dir`.
fn encoded_size(dir: &std::path::Path, origin: crm::store::envelope::BookId) -> u64 {
    use crm::store::Store;
    let (store, _) = crm::store::JournalStore::open(dir).unwrap();
    store
        .events_unknown_to(&VersionVector::default())
        .unwrap()
        .iter()
        .filter(|e| e.id.origin == origin)
        .map(|e| crm::store::codec::encode(e).unwrap().len() as u64)
        .sum()
}

fn main() {
    let root = tempfile::tempdir().unwrap();
    let n = 1000;
    let made = Instant::now();
    let mut a = book(&root.path().join("a"), "alpha", n - 1);
    let mut b = book(&root.path().join("b"), "bravo", n - 1);
    eprintln!("made two books of {n} events each in {:?}", made.elapsed());
    let (id_a, id_b) = (a.book_id(), b.book_id());
    let (one, two) = UnixStream::pair().unwrap();
    let wire = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let (ra, rb) = std::thread::scope(|scope| {
        let wire_b = wire.clone();
        let answer = scope.spawn(move || {
            let mut input: Box<dyn Read> = Box::new(two.try_clone().unwrap());
            let mut output = Counted {
                inner: two,
                bytes: wire_b,
            };
            b.sync(
                &mut input,
                &mut output,
                Options {
                    peer_name: "a".into(),
                    peer: None,
                    progress: &mut |_, _| {},
                },
            )
            .map(|r| (r, b))
        });
        let mut input: Box<dyn Read> = Box::new(one.try_clone().unwrap());
        let mut output = Counted {
            inner: one,
            bytes: wire.clone(),
        };
        let ra = a
            .sync(
                &mut input,
                &mut output,
                Options {
                    peer_name: "b".into(),
                    peer: None,
                    progress: &mut |_, _| {},
                },
            )
            .unwrap();
        (ra, answer.join().unwrap().unwrap())
    });
    let took = started.elapsed();
    let (rb, b) = rb;
    drop(a);
    drop(b);
    let encoded =
        encoded_size(&root.path().join("a"), id_a) + encoded_size(&root.path().join("a"), id_b);
    let bytes = wire.load(Ordering::Relaxed);
    println!(
        "sync: {} events a->b, {} b->a in {:.3} s; {bytes} bytes on the wire for {encoded} bytes of encoded events ({:.3}x)",
        ra.sent,
        rb.sent,
        took.as_secs_f64(),
        bytes as f64 / encoded as f64
    );
}
