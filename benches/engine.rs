//! The engine on a synthetic book held in memory (no store): the book pass (every
//! customer's facts, then the book's figures), the list lines, one card, and the work a
//! single write costs the cached pass, and the live core's incremental paths (one event
//! brought into the pass, a day rollover: `cargo bench --bench engine -- live`).
//!
//! `cargo bench --bench engine` (100k customers by default; ENGINE_SIZES=10000,100000 picks
//! others). The book is `crm demo`'s generator with a fixed seed and date, so figures from
//! two runs describe the same data.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use crm::book::live::affected::{affected, Affected};
use crm::demo::{demo_book, DemoOptions};
use crm::domain::config::Config;
use crm::domain::days::add_days;
use crm::domain::engine;
use crm::domain::facts::{customer_facts, CustomerFacts};
use crm::domain::model::{
    Account, BookData, Channel, Direction, Interaction, Order, Outcome, Purpose,
};
use crm::domain::rhythm::BookRhythm;
use crm::domain::running_stats::RunningStats;
use crm::domain::stats::{book_stats, settle_book, BookStats};
use jiff::civil::{date, Date};
use jiff::Timestamp;

/// The as-of date of every figure (and the demo's "today").
const AS_OF: Date = date(2026, 11, 22);
const SEED: u64 = 42;

fn sizes() -> Vec<usize> {
    std::env::var("ENGINE_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100_000])
}

fn book(n: usize) -> BookData {
    let options = DemoOptions {
        customers: n,
        seed: SEED,
        today: AS_OF,
    };
    demo_book(&options, &mut |_| {})
}

/// The book pass exactly as the book service runs it: facts in id order, then the figures.
fn pass(accounts: &[Account], cfg: &Config) -> (Vec<CustomerFacts>, BookStats) {
    pass_on(accounts, AS_OF, cfg)
}

/// The book pass for another as-of date (a day rollover).
fn pass_on(accounts: &[Account], as_of: Date, cfg: &Config) -> (Vec<CustomerFacts>, BookStats) {
    let rhythm = BookRhythm::default_for(cfg);
    let mut facts: Vec<CustomerFacts> = accounts
        .iter()
        .map(|a| customer_facts(a, as_of, cfg, rhythm))
        .collect();
    let (stats, _) = settle_book(&mut facts, as_of, cfg);
    (facts, stats)
}

/// One event applied to the pass as `book::derived` brings it forward (issue 12): the
/// customer's facts, its values moved in the running figures (one rank each), the figures
/// read again, the cards the changed figures reach, and the customer's line. Returns how
/// many cards were reached.
fn apply_one(
    account: &Account,
    at: usize,
    facts: &mut [CustomerFacts],
    running: &mut RunningStats,
    old: &BookStats,
    cfg: &Config,
) -> usize {
    let new = customer_facts(account, AS_OF, cfg, old.rhythm);
    running.remove(at, &facts[at], cfg);
    running.add(at, &new, cfg);
    facts[at] = new;
    let stats = running.settle(facts, old.rhythm, AS_OF, cfg);
    let reached = affected(old, &stats, running, facts, cfg);
    let card = engine::card(account, &facts[at], &stats, &[], AS_OF, cfg);
    black_box(engine::summary(&card));
    match reached {
        Affected::All => facts.len(),
        Affected::Some(set) => set.len(),
    }
}

/// A contact as the log form saves it by default (phone, outbound, neutral).
fn contact() -> Interaction {
    Interaction {
        at: Timestamp::from_second(1_795_338_000).unwrap_or(Timestamp::UNIX_EPOCH),
        channel: Channel::Phone,
        direction: Direction::Outbound,
        purpose: Purpose::FollowUp,
        outcome: Outcome::Neutral,
        satisfaction: Some(4),
        signals: Vec::new(),
        note: "benchmark contact".into(),
        follow_up: None,
        author: "bench".into(),
    }
}

fn engine_benches(c: &mut Criterion) {
    let cfg = Config::default();
    for n in sizes() {
        let mut data = book(n);
        // The store hands accounts out in id order; the pass relies on that order.
        data.accounts
            .sort_by(|a, b| a.customer.id.cmp(&b.customer.id));
        let accounts = data.accounts;
        let cycles = data.cycles;
        let (facts, stats) = pass(&accounts, &cfg);
        let running = RunningStats::of(&facts, &cfg);
        // A customer in the middle of the book, with a history like most others.
        let pick = accounts.len() / 2;

        let mut group = c.benchmark_group(format!("engine/{n}"));
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(if n >= 100_000 { 8 } else { 3 }));

        group.bench_function("book pass (facts + figures)", |b| {
            b.iter(|| pass(black_box(&accounts), &cfg))
        });
        group.bench_function("book figures from facts", |b| {
            b.iter(|| book_stats(black_box(&facts), AS_OF, &cfg))
        });
        // What a process pays once before it applies events in proportion to them.
        group.bench_function("live: running figures made from facts", |b| {
            b.iter(|| RunningStats::of(black_box(&facts), &cfg))
        });
        // What a moved book rhythm costs: every customer's stage settled again from its
        // facts (the book pass does this once, after the facts under the default rhythm).
        group.bench_function("re-settle every customer (book rhythm moved)", |b| {
            b.iter_batched_ref(
                || {
                    let mut moved = facts.clone();
                    let other = BookRhythm::default_for(&cfg);
                    for f in &mut moved {
                        f.book_rhythm = other;
                    }
                    moved
                },
                |all| settle_book(all, AS_OF, &cfg),
                BatchSize::LargeInput,
            )
        });
        group.bench_function("list lines (card + summary each)", |b| {
            b.iter(|| {
                accounts
                    .iter()
                    .zip(&facts)
                    .map(|(a, f)| {
                        engine::summary(&engine::card(a, f, &stats, &cycles, AS_OF, &cfg))
                    })
                    .collect::<Vec<_>>()
            })
        });
        group.bench_function("one card (facts + card)", |b| {
            b.iter(|| {
                let account = black_box(&accounts[pick]);
                let f = customer_facts(account, AS_OF, &cfg, stats.rhythm);
                engine::card(account, &f, &stats, &cycles, AS_OF, &cfg)
            })
        });
        // What a logged contact costs the cached pass: the customer's facts again, the
        // figures from all facts, its card and line (the journal write is in the store bench).
        group.bench_function("summary update on write", |b| {
            b.iter_batched_ref(
                || {
                    let mut account = accounts[pick].clone();
                    account.interactions.push(contact());
                    (account, facts.clone())
                },
                |(account, all)| {
                    let f = customer_facts(account, AS_OF, &cfg, stats.rhythm);
                    all[pick] = f;
                    let (stats, _) = settle_book(all, AS_OF, &cfg);
                    let card = engine::card(account, &all[pick], &stats, &cycles, AS_OF, &cfg);
                    engine::summary(&card)
                },
                BatchSize::LargeInput,
            )
        });
        // The live core (issue 12): one event brought into the pass, and a day rollover.
        group.bench_function("live: apply one event (a logged contact)", |b| {
            b.iter_batched_ref(
                || {
                    let mut account = accounts[pick].clone();
                    account.interactions.push(contact());
                    (account, facts.clone(), running.clone())
                },
                |(account, all, running)| apply_one(account, pick, all, running, &stats, &cfg),
                BatchSize::LargeInput,
            )
        });
        group.bench_function("live: apply one event (an order)", |b| {
            b.iter_batched_ref(
                || {
                    let mut account = accounts[pick].clone();
                    account.orders.push(Order {
                        date: AS_OF,
                        amount: 250.0,
                        margin: None,
                    });
                    (account, facts.clone(), running.clone())
                },
                |(account, all, running)| apply_one(account, pick, all, running, &stats, &cfg),
                BatchSize::LargeInput,
            )
        });
        let tomorrow = add_days(AS_OF, 1);
        group.bench_function(
            "live: day rollover (every customer's facts + figures)",
            |b| b.iter(|| pass_on(black_box(&accounts), tomorrow, &cfg)),
        );
        group.finish();
    }
}

criterion_group!(benches, engine_benches);
criterion_main!(benches);
