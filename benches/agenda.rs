//! The agenda on a synthetic book held in memory (no store): opening it (the customers
//! chosen, their cards, the agenda built) and what one logged contact costs before the
//! next open, the whole selection over every customer's keys (before issue 14's index)
//! beside the index kept current (`domain::agenda_index`), mine (one owner's) and
//! everyone's.
//!
//! `cargo bench --bench agenda` (100k customers; AGENDA_SIZES=100000,1000000 for more).
//! The book is `crm demo`'s generator with a fixed seed and date, as in `benches/engine.rs`.
//! Making a 1M book, its pass and every card's keys takes minutes before the first figure.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use crm::book::live::affected::{affected, Affected};
use crm::demo::{demo_book, DemoOptions};
use crm::domain::agenda::{Agenda, AgendaBuilder};
use crm::domain::agenda_index::{AgendaBoard, AgendaIndex};
use crm::domain::agenda_keys::{choose_where, AgendaKeys, Chosen};
use crm::domain::config::Config;
use crm::domain::days::add_days;
use crm::domain::engine;
use crm::domain::facts::{customer_facts, CustomerFacts};
use crm::domain::model::{Account, Channel, Cycle, Direction, Interaction, Outcome, Purpose};
use crm::domain::rhythm::BookRhythm;
use crm::domain::running_stats::RunningStats;
use crm::domain::stats::{settle_book, BookStats};
use jiff::civil::{date, Date};
use jiff::Timestamp;

const AS_OF: Date = date(2026, 11, 22);
const SEED: u64 = 42;
/// Items of each list an agenda shows (as the book asks).
const LIMIT: usize = 50;
/// "Mine": one of the demo's five owners (a quarter of the book).
const MINE: &str = "bob";

fn sizes() -> Vec<usize> {
    std::env::var("AGENDA_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100_000])
}

/// The book in memory as the pass holds it: accounts in id order, facts, figures, and
/// every card's agenda keys (the cards made on two threads, as the book makes them).
struct Held {
    accounts: Vec<Account>,
    cycles: Vec<Cycle>,
    facts: Vec<CustomerFacts>,
    stats: BookStats,
    keys: Vec<AgendaKeys>,
}

fn held(n: usize, cfg: &Config) -> Held {
    let started = Instant::now();
    let options = DemoOptions {
        customers: n,
        seed: SEED,
        today: AS_OF,
    };
    let mut data = demo_book(&options, &mut |_| {});
    data.accounts
        .sort_by(|a, b| a.customer.id.cmp(&b.customer.id));
    let rhythm = BookRhythm::default_for(cfg);
    let mut facts: Vec<CustomerFacts> = data
        .accounts
        .iter()
        .map(|a| customer_facts(a, AS_OF, cfg, rhythm))
        .collect();
    let (stats, _) = settle_book(&mut facts, AS_OF, cfg);
    let key = |(a, f): (&Account, &CustomerFacts)| {
        AgendaKeys::of(&engine::card(a, f, &stats, &data.cycles, AS_OF, cfg))
    };
    let half = n / 2;
    let keys = std::thread::scope(|scope| {
        let first = scope.spawn(|| {
            data.accounts[..half]
                .iter()
                .zip(&facts[..half])
                .map(key)
                .collect::<Vec<_>>()
        });
        let second: Vec<_> = data.accounts[half..]
            .iter()
            .zip(&facts[half..])
            .map(key)
            .collect();
        let mut keys = first.join().unwrap_or_default();
        keys.extend(second);
        keys
    });
    let items: usize = keys
        .iter()
        .map(|k| k.follow_ups.len() + k.upcoming.len() + k.actions.len())
        .sum();
    eprintln!(
        "agenda bench: {n} customers, {items} agenda items, made in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Held {
        accounts: data.accounts,
        cycles: data.cycles,
        facts,
        stats,
        keys,
    }
}

/// The agenda of the chosen customers' cards, as `Book::agenda` builds it (the accounts
/// are in memory here; the book reads each from its store).
fn agenda_of(held: &Held, stats: &BookStats, chosen: &Chosen, owner: Option<&str>) -> Agenda {
    let cfg = Config::default();
    let mut builder = AgendaBuilder::new(AS_OF, owner.map(str::to_string), LIMIT);
    for &at in &chosen.positions {
        let card = engine::card(
            &held.accounts[at],
            &held.facts[at],
            stats,
            &held.cycles,
            AS_OF,
            &cfg,
        );
        builder.add(&card);
    }
    let mut agenda = builder.finish();
    agenda.follow_ups_total = chosen.follow_ups_total;
    agenda.actions_total = chosen.actions_total;
    agenda.overdue_total = chosen.overdue_total;
    agenda.today_total = chosen.today_total;
    agenda.this_week_total = chosen.this_week_total;
    agenda
}

/// A contact as the log form saves it, with a follow-up in two days (this week's list).
fn contact() -> Interaction {
    Interaction {
        at: Timestamp::from_second(1_795_338_000).unwrap_or(Timestamp::UNIX_EPOCH),
        channel: Channel::Phone,
        direction: Direction::Inbound,
        purpose: Purpose::FollowUp,
        outcome: Outcome::Positive,
        satisfaction: Some(4),
        signals: Vec::new(),
        note: "benchmark contact".into(),
        follow_up: Some(add_days(AS_OF, 2)),
        author: "bench".into(),
    }
}

/// One changed account brought into the pass as `book::derived` brings it (facts, the
/// running figures, the figures settled, the cards the change reaches): returns the new
/// figures and the (position, keys) of every card made again.
fn bring_in(
    held: &mut Held,
    running: &mut RunningStats,
    account: &Account,
    at: usize,
) -> (BookStats, Vec<(usize, AgendaKeys)>) {
    let cfg = Config::default();
    let new = customer_facts(account, AS_OF, &cfg, held.stats.rhythm);
    running.remove(at, &held.facts[at], &cfg);
    running.add(at, &new, &cfg);
    held.facts[at] = new;
    let stats = running.settle(&mut held.facts, held.stats.rhythm, AS_OF, &cfg);
    let mut reached = match affected(&held.stats, &stats, running, &held.facts, &cfg) {
        Affected::All => (0..held.facts.len()).collect(),
        Affected::Some(set) => set,
    };
    reached.insert(at);
    let keys = reached
        .into_iter()
        .map(|i| {
            let account = if i == at { account } else { &held.accounts[i] };
            let card = engine::card(account, &held.facts[i], &stats, &held.cycles, AS_OF, &cfg);
            (i, AgendaKeys::of(&card))
        })
        .collect();
    (stats, keys)
}

fn agenda_benches(c: &mut Criterion) {
    let cfg = Config::default();
    let everyone = |_: &str| true;
    for n in sizes() {
        let mut held = held(n, &cfg);
        let mut running = RunningStats::of(&held.facts, &cfg);
        let mut board = AgendaBoard::new(held.keys.clone());
        // A customer of mine in the middle of the book.
        let pick = (n / 2..n)
            .chain(0..n / 2)
            .find(|&i| held.accounts[i].customer.owner == MINE)
            .unwrap_or(0);
        let original = held.accounts[pick].clone();
        let mut called = original.clone();
        called.interactions.push(contact());

        let mut group = c.benchmark_group(format!("agenda/{n}"));
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(if n >= 1_000_000 { 20 } else { 6 }));

        // The index and the whole selection choose the same customers and totals.
        for owner in [None, Some(MINE)] {
            let whole = choose_where(&held.keys, owner, &|_| true, AS_OF, LIMIT);
            assert_eq!(board.choose(owner, &everyone, AS_OF, LIMIT), whole);
        }

        for (whose, owner) in [("everyone", None), ("mine", Some(MINE))] {
            group.bench_function(format!("rank, whole selection ({whose})"), |b| {
                b.iter(|| choose_where(black_box(&held.keys), owner, &|_| true, AS_OF, LIMIT))
            });
            group.bench_function(format!("rank, from the index ({whose})"), |b| {
                b.iter(|| board.choose(owner, &everyone, AS_OF, LIMIT))
            });
            group.bench_function(format!("open, whole selection ({whose})"), |b| {
                b.iter(|| {
                    let chosen = choose_where(&held.keys, owner, &|_| true, AS_OF, LIMIT);
                    agenda_of(&held, &held.stats, &chosen, owner)
                })
            });
            group.bench_function(format!("open, from the index ({whose})"), |b| {
                b.iter(|| {
                    let chosen = board.choose(owner, &everyone, AS_OF, LIMIT);
                    agenda_of(&held, &held.stats, &chosen, owner)
                })
            });
        }
        // Once per pass (the first agenda asked of it).
        group.bench_function("index made from every key", |b| {
            b.iter(|| AgendaIndex::of(black_box(&held.keys)))
        });

        // One logged contact of mine, then my agenda opened again. Only the contact and
        // the open are timed; the account is put back after each (untimed), so every
        // iteration starts from the same book.
        let mut after_contact = |b: &mut criterion::Bencher, indexed: bool| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    let started = Instant::now();
                    let (stats, remade) = bring_in(&mut held, &mut running, &called, pick);
                    let chosen = if indexed {
                        remade.into_iter().for_each(|(i, k)| board.set(i, k));
                        board.choose(Some(MINE), &everyone, AS_OF, LIMIT)
                    } else {
                        remade.into_iter().for_each(|(i, k)| held.keys[i] = k);
                        choose_where(&held.keys, Some(MINE), &|_| true, AS_OF, LIMIT)
                    };
                    black_box(agenda_of(&held, &stats, &chosen, Some(MINE)));
                    spent += started.elapsed();
                    let (_, back) = bring_in(&mut held, &mut running, &original, pick);
                    for (i, k) in back {
                        board.set(i, k.clone());
                        held.keys[i] = k;
                    }
                }
                spent
            })
        };
        group.bench_function(
            "one logged contact, then open, whole selection (mine)",
            |b| after_contact(b, false),
        );
        group.bench_function(
            "one logged contact, then open, from the index (mine)",
            |b| after_contact(b, true),
        );
        group.finish();
    }
}

criterion_group!(benches, agenda_benches);
criterion_main!(benches);
