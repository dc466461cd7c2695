//! Per-keystroke find at 10k / 100k / 1M customers of the synthetic book, by query class,
//! and loading a saved index (what every `crm find` process pays first): copied
//! (`from_bytes`) and read in place (`from_shared`).
//! `cargo bench --bench find` (set FIND_SIZES=10000,100000 to skip the million). Each book
//! is built once per size; samples are few and short so the whole run takes minutes.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use crm::domain::search::{synth, SearchIndex, Searcher, SharedBytes};
use zerocopy::IntoBytes;

const LIMIT: usize = 20;

/// (class, query): each class of the targets, two queries where one could be lucky.
const QUERIES: &[(&str, &str)] = &[
    ("1char", "a"),
    ("1char", "z"),
    ("2char", "li"),
    ("2char", "hx"),
    ("3plus", "wang"),
    ("3plus", "trading co"),
    ("cjk", "华信"),
    ("cjk", "科技有限"),
    ("typo", "jonhson"),
    ("typo", "zhnag wei"),
    ("digits", "5555 01"),
    // Han names found by their readings: run together, spaced, initials, mixed, typo.
    ("pinyin", "beijing"),
    ("pinyin", "zhangwei"),
    ("pinyin", "bei jing hua xin"),
    ("pinyin", "bjhx"),
    ("pinyin", "bj huaxin"),
    ("pinyin", "zhang w"),
    ("pinyin", "chongqing"),
    ("pinyin-typo", "beijnghuaxin"),
];

fn sizes() -> Vec<usize> {
    std::env::var("FIND_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000])
}

/// The snapshot file's header length: the payload starts this far into the file.
const HEADER: usize = 24;

/// A snapshot file's bytes at an 8-byte-aligned address, like a memory-mapped file.
struct Snapshot {
    words: Vec<u64>,
    len: usize,
}

impl Snapshot {
    fn of(payload: &[u8]) -> Snapshot {
        let len = HEADER + payload.len();
        let mut words = vec![0u64; len.div_ceil(8)];
        words.as_mut_bytes()[HEADER..len].copy_from_slice(payload);
        Snapshot { words, len }
    }
}

impl AsRef<[u8]> for Snapshot {
    fn as_ref(&self) -> &[u8] {
        &self.words.as_bytes()[..self.len]
    }
}

fn build(n: usize) -> SearchIndex {
    let mut index = SearchIndex::new();
    for customer in synth::customers(n, 2024) {
        index.upsert(&customer);
    }
    index
}

fn find(c: &mut Criterion) {
    for n in sizes() {
        let index = build(n);
        let mut group = c.benchmark_group(format!("find/{n}"));
        group.sample_size(10);
        group.warm_up_time(Duration::from_millis(500));
        group.measurement_time(Duration::from_secs(if n >= 1_000_000 { 3 } else { 1 }));
        for (class, query) in QUERIES {
            group.bench_with_input(BenchmarkId::new(*class, query), query, |b, q| {
                b.iter(|| index.search(black_box(q), LIMIT))
            });
        }
        // A session typing a name: the mean per keystroke is the time / 8.
        group.bench_function("typing 'anderson' (8 keys)", |b| {
            b.iter(|| {
                let mut searcher = Searcher::new();
                let word = "anderson";
                for end in 1..=word.len() {
                    black_box(searcher.query(&index, &word[..end], LIMIT));
                }
            })
        });
        // Sessions typing a Han company's reading, run together and spaced: the mean per
        // keystroke is the time / the number of keys.
        for typed in ["beijinghuaxin", "bei jing hua xin", "zhagnwei"] {
            let name = format!("typing '{typed}' ({} keys)", typed.len());
            group.bench_function(name, |b| {
                b.iter(|| {
                    let mut searcher = Searcher::new();
                    for end in 1..=typed.len() {
                        black_box(searcher.query(&index, &typed[..end], LIMIT));
                    }
                })
            });
        }
        let bytes = index.to_bytes();
        eprintln!("find/{n}: snapshot payload {} bytes", bytes.len());
        group.bench_function("load snapshot (from_bytes)", |b| {
            b.iter(|| SearchIndex::from_bytes(black_box(&bytes)))
        });
        // As `crm find` reads it: the payload in place after the snapshot file's 24-byte
        // header, in 8-byte-aligned memory as a mapping of the file would be.
        let file: SharedBytes = Arc::new(Snapshot::of(&bytes));
        group.bench_function("load snapshot (from_shared)", |b| {
            b.iter(|| SearchIndex::from_shared(Arc::clone(black_box(&file)), HEADER))
        });
        group.bench_function("load snapshot (from_shared) + find 'wang'", |b| {
            b.iter(|| {
                SearchIndex::from_shared(Arc::clone(black_box(&file)), HEADER)
                    .map(|index| index.search("wang", LIMIT))
            })
        });
        group.finish();
    }
}

criterion_group!(benches, find);
criterion_main!(benches);
