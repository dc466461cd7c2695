//! The demo book is the first thing a user sees, so it has to show what the engine can
//! say: `crm demo --customers 300 --seed 1` as of 2026-11-22 must contain every stage, every
//! level, every tier, every quadrant and most next-best-action codes.
//!
//! 300 `crm show` processes take about 20 s of a debug build on an idle 2-core machine and
//! far more while other tests run, so the cards are computed in-process through the same
//! `Book` API the binary uses; a sample of them is checked against `crm show --json`, and the
//! portfolio's stage and tier counts against the tallies of the cards.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crm::book::Book;
use crm::domain::card::{ActionCode, Card, Level, Quadrant, Stage, Tier};
use crm::domain::config::Config;
use serde_json::Value;

mod common;

const AS_OF: &str = "2026-11-22";
const CUSTOMERS: usize = 300;
/// "Most" of the 17 action codes.
const MIN_CODES: usize = 12;
/// Every 50th customer is also read through `crm show --json`.
const SHOW_EVERY: usize = 50;

fn run(data: &Path, config: &Path, args: &[&str]) -> String {
    common::crm_ok(data, config, AS_OF, args)
}

fn json(data: &Path, config: &Path, args: &[&str]) -> Value {
    let out = run(data, config, args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

/// Which of `all` never occurred among `seen`, by code.
fn missing<T: Copy + Ord + std::fmt::Display>(all: &[T], seen: &BTreeSet<T>) -> Vec<String> {
    all.iter()
        .filter(|x| !seen.contains(x))
        .map(|x| x.to_string())
        .collect()
}

fn assert_covered<T: Copy + Ord + std::fmt::Display>(what: &str, all: &[T], seen: &BTreeSet<T>) {
    let gaps = missing(all, seen);
    assert!(
        gaps.is_empty(),
        "{what} missing from the demo book: {gaps:?}"
    );
}

/// `(stage, customers, of them in a second lifecycle)` as the portfolio counts them.
fn portfolio_stages(portfolio: &Value) -> BTreeMap<String, (u64, u64)> {
    portfolio["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["stage"].as_str().unwrap().to_string(),
                (
                    s["customers"].as_u64().unwrap(),
                    s["second_lifecycle"].as_u64().unwrap(),
                ),
            )
        })
        .collect()
}

#[test]
fn demo_book_shows_every_stage_level_tier_and_most_actions() {
    let dir = tempfile::tempdir().unwrap();
    let data: PathBuf = dir.path().join("data");
    let config = dir.path().join("config.toml");
    // Empty: the defaults, the same as `Config::default()` in-process below.
    std::fs::write(&config, "").unwrap();
    let count = CUSTOMERS.to_string();
    run(
        &data,
        &config,
        &["demo", "--customers", &count, "--seed", "1"],
    );

    let export = json(&data, &config, &["export", "--format", "json"]);
    let ids: Vec<String> = export["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), CUSTOMERS);
    let shown: Vec<(usize, Value)> = (0..ids.len())
        .step_by(SHOW_EVERY)
        .map(|i| (i, json(&data, &config, &["show", &ids[i], "--json"])))
        .collect();
    let portfolio = json(&data, &config, &["portfolio", "--json"]);

    // Every process above has exited, so the book can be opened here.
    let as_of: jiff::civil::Date = AS_OF.parse().unwrap();
    let mut book = Book::open(&data, Config::default(), "alice").unwrap();
    let cards: Vec<Card> = ids.iter().map(|id| book.card(id, as_of).unwrap()).collect();
    for (i, shown) in &shown {
        // `crm show --json` adds the customer's change history to the card.
        let mut card = shown.clone();
        let history = card.as_object_mut().and_then(|c| c.remove("history"));
        assert!(
            history.is_some_and(|h| h.is_array()),
            "{}: no history",
            ids[*i]
        );
        assert_eq!(
            &serde_json::to_value(&cards[*i]).unwrap(),
            &card,
            "{}: the in-process card differs from crm show --json",
            ids[*i]
        );
    }

    let mut stages = BTreeMap::new();
    let mut levels = BTreeSet::new();
    let mut tiers = BTreeMap::new();
    let mut quadrants = BTreeSet::new();
    let mut codes: BTreeMap<ActionCode, usize> = BTreeMap::new();
    for card in &cards {
        let (customers, won_back) = stages.entry(card.stage.to_string()).or_insert((0, 0));
        *customers += 1;
        *won_back += u64::from(card.second_lifecycle);
        levels.insert(card.level);
        *tiers.entry(card.tier).or_insert(0u64) += 1;
        quadrants.insert(card.quadrant);
        for action in &card.next_actions {
            *codes.entry(action.code).or_insert(0) += 1;
        }
    }
    assert_eq!(
        portfolio_stages(&portfolio),
        stages,
        "portfolio stage counts"
    );
    for row in portfolio["tiers"].as_array().unwrap() {
        let tier: Tier = row["tier"].as_str().unwrap().parse().unwrap();
        assert_eq!(
            row["customers"].as_u64(),
            Some(tiers.get(&Some(tier)).copied().unwrap_or(0)),
            "portfolio {tier} count"
        );
    }

    let seen_codes: BTreeSet<ActionCode> = codes.keys().copied().collect();
    let missing_codes = missing(ActionCode::ALL, &seen_codes);
    let seen_tiers: BTreeSet<Tier> = tiers.keys().flatten().copied().collect();
    println!("stages (customers, won back): {stages:?}");
    println!("tiers: {tiers:?}");
    println!("action codes: {codes:?}");
    println!("action codes missing from the demo: {missing_codes:?}");

    let seen_stages: BTreeSet<Stage> = cards.iter().map(|c| c.stage).collect();
    assert_covered("stages", Stage::ALL, &seen_stages);
    assert!(
        cards.iter().any(|c| c.second_lifecycle),
        "no customer in a second lifecycle"
    );
    assert_covered("levels", Level::ALL, &levels);
    assert_covered("tiers", Tier::ALL, &seen_tiers);
    assert!(tiers.contains_key(&None), "no customer without a tier");
    assert_covered("quadrants", Quadrant::ALL, &quadrants);
    assert!(
        seen_codes.len() >= MIN_CODES,
        "only {} of {} action codes; missing {missing_codes:?}",
        seen_codes.len(),
        ActionCode::ALL.len()
    );
}
