//! The disk side: opening a book (store, search index), the console's first page, reading
//! one customer, and one logged contact (journal append with fdatasync, then the cached
//! pass brought up to date).
//!
//! `cargo bench --bench store` (100k customers by default; STORE_SIZES=10000,100000 picks
//! others). The book is written once per size into a temporary directory under
//! STORE_BENCH_DIR (default: the system temp dir): put it on the disk you care about, since
//! the write benchmark measures that disk's fdatasync.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use crm::book::Book;
use crm::demo::{demo_book, DemoOptions};
use crm::domain::config::Config;
use crm::domain::model::{Channel, Direction, Interaction, Outcome, Purpose};
use crm::store::JournalStore;
use jiff::civil::{date, Date};
use jiff::Timestamp;

/// The as-of date of every figure (and the demo's "today").
const AS_OF: Date = date(2026, 11, 22);
const SEED: u64 = 42;
/// Rows of the book list a 120×40 console shows at most.
const FIRST_PAGE: usize = 40;

fn sizes() -> Vec<usize> {
    std::env::var("STORE_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100_000])
}

fn temp_dir() -> tempfile::TempDir {
    let base = std::env::var_os("STORE_BENCH_DIR")
        .map(Into::into)
        .unwrap_or_else(std::env::temp_dir);
    tempfile::Builder::new()
        .prefix("crm-store-bench-")
        .tempdir_in(base)
        .expect("a temporary directory for the benchmark book")
}

/// Writes the demo book the way `crm demo` does: one import, then the engine's pass, so
/// the caches a real first start finds are in place.
fn write_book(dir: &Path, n: usize) {
    let mut book = Book::open(dir, Config::default(), "bench").expect("open an empty book");
    let options = DemoOptions {
        customers: n,
        seed: SEED,
        today: AS_OF,
    };
    book.import(demo_book(&options, &mut |_| {}), false)
        .expect("import the demo book");
    book.summaries(AS_OF).expect("the first pass");
}

/// 2026-11-22T09:00Z, the morning of `AS_OF`: a contact as the log form saves it by
/// default (phone, outbound, neutral).
fn contact() -> Interaction {
    Interaction {
        at: Timestamp::from_second(1_795_338_000).unwrap_or(Timestamp::UNIX_EPOCH),
        channel: Channel::Phone,
        direction: Direction::Outbound,
        purpose: Purpose::FollowUp,
        outcome: Outcome::Neutral,
        satisfaction: None,
        signals: Vec::new(),
        note: "benchmark contact".into(),
        follow_up: None,
        author: "bench".into(),
    }
}

fn store_benches(c: &mut Criterion) {
    for n in sizes() {
        let tmp = temp_dir();
        let dir = tmp.path().join("book");
        write_book(&dir, n);
        let ids: Vec<String> = {
            let mut book = Book::open(&dir, Config::default(), "bench").expect("reopen");
            let lines = book.summaries(AS_OF).expect("list lines");
            lines.into_iter().map(|s| s.id).collect()
        };
        let pick = ids[ids.len() / 2].clone();

        let mut group = c.benchmark_group(format!("store/{n}"));
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(if n >= 100_000 { 6 } else { 3 }));

        group.bench_function("open store", |b| {
            b.iter(|| JournalStore::open(black_box(&dir)).expect("open store"))
        });
        group.bench_function("open book (store + search index)", |b| {
            b.iter(|| Book::open(black_box(&dir), Config::default(), "bench").expect("open"))
        });
        group.bench_function("open book + first page", |b| {
            b.iter(|| {
                let mut book = Book::open(&dir, Config::default(), "bench").expect("open");
                let lines = book.summaries(AS_OF).expect("list lines");
                lines.into_iter().take(FIRST_PAGE).collect::<Vec<_>>()
            })
        });

        let mut book = Book::open(&dir, Config::default(), "bench").expect("open");
        book.summaries(AS_OF).expect("list lines");
        group.bench_function("read one account", |b| {
            b.iter(|| book.account(black_box(&pick)).expect("account"))
        });
        group.bench_function("card (cached figures)", |b| {
            b.iter(|| book.card(black_box(&pick), AS_OF).expect("card"))
        });
        // Each iteration is a durable write: it grows the journal by one contact, as the
        // log form's Ctrl-S does, and brings that customer's figures up to date.
        group.bench_function("log contact", |b| {
            b.iter(|| book.log_contact(black_box(&pick), contact()).expect("log"))
        });
        // The console then takes the fresh list lines (its after-write step).
        group.bench_function("log contact + list lines", |b| {
            b.iter(|| {
                book.log_contact(black_box(&pick), contact()).expect("log");
                book.summaries(AS_OF).expect("list lines").len()
            })
        });
        group.finish();
        drop(book);
    }
}

criterion_group!(benches, store_benches);
criterion_main!(benches);
