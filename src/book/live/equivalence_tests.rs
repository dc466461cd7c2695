//! The live core's promise: after any sequence of writes and day changes, what the book
//! serves (list lines, figures, portfolio, agenda) equals a whole recomputation from the
//! store, whether the pass was brought forward in memory (the console) or from the saved
//! base in a later process (the command line).

use std::path::Path;

use jiff::civil::Date;
use proptest::prelude::*;

use crate::book::Book;
use crate::demo::{demo_book, DemoOptions};
use crate::domain::agenda::{Agenda, AgendaBuilder};
use crate::domain::card::Summary;
use crate::domain::config::Config;
use crate::domain::days::add_days;
use crate::domain::engine;
use crate::domain::facts::{customer_facts, CustomerFacts};
use crate::domain::model::*;
use crate::domain::rhythm::BookRhythm;
use crate::domain::stats::{settle_book, BookStats};
use crate::store::{JournalStore, Store};

#[derive(Debug, Clone)]
enum Step {
    Contact {
        who: usize,
        outcome: usize,
        follow_up: bool,
    },
    Order {
        who: usize,
        days_ago: i64,
        amount: u32,
    },
    /// The customer's latest contact is corrected (a new outcome, a follow-up or none).
    Correct {
        who: usize,
        outcome: usize,
        follow_up: bool,
    },
    Lost {
        who: usize,
        lost: bool,
    },
    Task {
        who: usize,
        in_days: i64,
    },
    NewCustomer,
    /// The as-of date moves on.
    NextDay {
        days: i64,
    },
    /// The process ends and a new one opens the book (the saved bases are used).
    Reopen,
    /// What the book serves is compared with a whole recomputation.
    Compare,
    /// The lines are read and the book kept open (the console): later writes are brought
    /// into the pass held in memory, one at a time.
    Read,
    /// The agenda is opened (its keys indexed) and the book kept open: the index is then
    /// kept current through later writes, or held while none comes (the saved keys).
    Agenda {
        mine: bool,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0usize..64, 0usize..4, any::<bool>())
            .prop_map(|(who, outcome, follow_up)| Step::Contact { who, outcome, follow_up }),
        3 => (0usize..64, 0i64..400, 1u32..5000)
            .prop_map(|(who, days_ago, amount)| Step::Order { who, days_ago, amount }),
        2 => (0usize..64, 0usize..4, any::<bool>())
            .prop_map(|(who, outcome, follow_up)| Step::Correct { who, outcome, follow_up }),
        1 => (0usize..64, any::<bool>()).prop_map(|(who, lost)| Step::Lost { who, lost }),
        1 => (0usize..64, -5i64..20).prop_map(|(who, in_days)| Step::Task { who, in_days }),
        1 => Just(Step::NewCustomer),
        1 => (1i64..40).prop_map(|days| Step::NextDay { days }),
        2 => Just(Step::Reopen),
        3 => Just(Step::Compare),
        2 => Just(Step::Read),
        2 => any::<bool>().prop_map(|mine| Step::Agenda { mine }),
    ]
}

/// The pass, lines and agenda of the book in `dir` made whole, one card at a time.
fn by_hand(dir: &Path, today: Date, owner: Option<&str>) -> (BookStats, Vec<Summary>, Agenda) {
    let (store, _) = JournalStore::open(dir).unwrap();
    let config = Config::default();
    let cycles = store.cycles().unwrap();
    let accounts: Vec<Account> = store.accounts().map(Result::unwrap).collect();
    let mut facts: Vec<CustomerFacts> = accounts
        .iter()
        .map(|a| customer_facts(a, today, &config, BookRhythm::default_for(&config)))
        .collect();
    let (stats, _) = settle_book(&mut facts, today, &config);
    let mut agenda = AgendaBuilder::new(today, owner.map(str::to_string), 50);
    let lines = accounts
        .iter()
        .zip(&facts)
        .map(|(a, f)| {
            let card = engine::card(a, f, &stats, &cycles, today, &config);
            agenda.add(&card);
            engine::summary(&card)
        })
        .collect();
    (stats, lines, agenda.finish())
}

fn contact(at: Date, outcome: usize, follow_up: Option<Date>) -> Interaction {
    let outcome = [
        Outcome::Positive,
        Outcome::Neutral,
        Outcome::Negative,
        Outcome::NoResponse,
    ][outcome % 4];
    Interaction {
        at: at.to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp(),
        channel: Channel::Phone,
        direction: Direction::Outbound,
        purpose: Purpose::Sales,
        outcome,
        satisfaction: None,
        signals: vec![],
        note: "called".into(),
        follow_up,
        author: "test".into(),
    }
}

fn run(steps: &[Step]) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut today = jiff::civil::date(2026, 3, 2);
    let open = || Book::open(dir, Config::default(), "test").unwrap();
    let mut book = open();
    let options = DemoOptions {
        customers: 48,
        seed: 11,
        today,
    };
    book.import(demo_book(&options, &mut |_| {}), false)
        .unwrap();
    // A saved pass with its lines: the base the later steps bring forward.
    book.summaries(today).unwrap();
    let mut ids: Vec<String> = book
        .summaries(today)
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    let mut added = 0;
    for step in steps {
        let who = |i: usize| ids[i % ids.len()].clone();
        match *step {
            Step::Contact {
                who: i,
                outcome,
                follow_up,
            } => {
                let due = follow_up.then(|| add_days(today, 7));
                book.log_contact(&who(i), contact(today, outcome, due))
                    .unwrap();
            }
            Step::Order {
                who: i,
                days_ago,
                amount,
            } => {
                let order = Order {
                    date: add_days(today, -days_ago),
                    amount: f64::from(amount),
                    margin: None,
                };
                book.add_order(&who(i), order).unwrap();
            }
            Step::Correct {
                who: i,
                outcome,
                follow_up,
            } => {
                let id = who(i);
                let latest = book.account(&id).unwrap().interactions.last().cloned();
                if let Some(previous) = latest {
                    let due = follow_up.then(|| add_days(today, 3));
                    let corrected = Interaction {
                        note: "corrected".into(),
                        at: previous.at,
                        author: previous.author.clone(),
                        ..contact(today, outcome, due)
                    };
                    if corrected != previous {
                        book.correct_contact(&id, &previous, corrected).unwrap();
                    }
                }
            }
            Step::Lost { who: i, lost } => {
                let lost = lost.then_some(Lost {
                    date: today,
                    reason: LostReason::Price,
                });
                book.set_lost(&who(i), lost).unwrap();
            }
            Step::Task { who: i, in_days } => {
                book.add_task(
                    &who(i),
                    add_days(today, in_days),
                    "call",
                    TaskOrigin::Manual,
                )
                .unwrap();
            }
            Step::NewCustomer => {
                added += 1;
                let mut customer = crate::domain::testkit::account("x").customer;
                // Between the demo's customers (c000001…), so every later position moves.
                customer.id = format!("c{:06}n{added}", added * 7 % 48);
                customer.name = format!("New {added}");
                customer.created = today;
                ids.push(book.add_customer(customer).unwrap());
            }
            Step::NextDay { days } => today = add_days(today, days),
            Step::Read => {
                book.summaries(today).unwrap();
            }
            Step::Agenda { mine } => {
                book.agenda(today, mine.then_some("bob")).unwrap();
            }
            Step::Reopen => {
                drop(book);
                book = open();
            }
            Step::Compare => {
                // The agenda first: from the saved keys when they are current (a fresh
                // process), else from the pass brought forward.
                let agenda = book.agenda(today, None).unwrap();
                let bobs = book.agenda(today, Some("bob")).unwrap();
                let lines = book.summaries(today).unwrap();
                let stats = book.stats(today).unwrap();
                drop(book);
                let (want_stats, want_lines, want_agenda) = by_hand(dir, today, None);
                assert_eq!(stats, want_stats);
                assert_eq!(lines, want_lines);
                assert_eq!(agenda, want_agenda);
                assert_eq!(bobs, by_hand(dir, today, Some("bob")).2);
                book = open();
            }
        }
    }
    drop(book);
    let (want_stats, want_lines, want_agenda) = by_hand(dir, today, None);
    let owner = want_lines[0].owner.clone();
    let (_, _, want_owned) = by_hand(dir, today, Some(&owner));
    let mut book = open();
    assert_eq!(book.agenda(today, None).unwrap(), want_agenda);
    assert_eq!(book.agenda(today, Some(&owner)).unwrap(), want_owned);
    assert_eq!(book.summaries(today).unwrap(), want_lines);
    assert_eq!(book.stats(today).unwrap(), want_stats);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn brought_forward_figures_equal_a_whole_recomputation(
        steps in proptest::collection::vec(step(), 1..24)
    ) {
        run(&steps);
    }
}

/// A write that moves a tier cut-off or a median changes other customers' lines: they are
/// made again, not kept (a CRV above every other one makes its customer platinum and moves
/// the platinum cut-off).
#[test]
fn a_write_that_moves_a_cut_off_remakes_the_lines_it_reaches() {
    let steps: Vec<Step> = (0..6)
        .flat_map(|who| {
            [
                Step::Order {
                    who,
                    days_ago: 3,
                    amount: 4_000_000,
                },
                Step::Compare,
            ]
        })
        .collect();
    run(&steps);
}

/// Customers added between others move every later customer's position: the cut-offs'
/// neighbours found after them are still the right customers (their lines are remade,
/// the others kept).
#[test]
fn customers_added_in_the_middle_keep_the_cut_offs_neighbours_right() {
    let mut steps = vec![Step::Read, Step::NewCustomer, Step::Read, Step::NewCustomer];
    steps.extend((10..16).flat_map(|who| {
        [
            Step::Read,
            Step::Order {
                who,
                days_ago: 2,
                amount: 3_000_000 + who as u32,
            },
        ]
    }));
    steps.extend([
        Step::Read,
        Step::Order {
            who: 48,
            days_ago: 1,
            amount: 9_000_000,
        },
        Step::Compare,
    ]);
    run(&steps);
}
