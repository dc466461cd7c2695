//! The engine's acceptance test (issue 3 "Done means"): the hand-written book
//! `tests/data/engine_book.json` is imported into a temporary data dir with the real binary
//! and every customer's card, the agenda and the portfolio are read as of 2026-11-22 and
//! compared with figures worked out by hand from DOMAIN.md and docs/engine.md.
//!
//! # The book, in days before as_of (2026-11-22)
//!
//! All 26 customers belong to alice. Margins are 30 % of the amount unless said otherwise.
//! "every 45 d from o" means orders o, o+45, o+90, ... days ago: two of them fall in the last
//! 90 days (o, o+45) and two in the 90 days before (o+90, o+135), so the margin ratio is 1,
//! and eight fall in the last 365 days (o+315 < 365 <= o+360 for 5 <= o < 45).
//!
//! | id | orders (amount / margin) | contacts and other facts |
//! |---|---|---|
//! | plat | every 45 d from 10, 13 orders, 20 000 / 6 000 | meeting out 30 (sat 5), phone out 60, meeting out 200; financial + social bonds; spend 400 000 |
//! | gold_checkin | every 45 d from 15, 10 orders, 12 000 / 3 600 | phone out 90 (the only contact); financial bond; spend 120 000 |
//! | gold_fragile | every 45 d from 25, 10 orders, 11 000 / 3 300 | phone in 70, email out 40; financial + structural, social ended 2026-06-30; spend 100 000 |
//! | gold_growth | 300, 200, 120, 60, 10: 20 000 / 6 000 | phone out 50; no bond; spend 200 000 |
//! | decline_price | 480, 390, 300, 210, 120: 10 000 / 3 000; 30: 2 000 / 600 | phone in 20 price_objection, email out 15; spend 40 000 |
//! | decline_service | every 45 d from 20, 8 000 / 2 400 | complaint phone in 40 (negative), complaint email in 30 competitor_mentioned, phone out 25; spend 70 000 |
//! | decline_product | every 45 d from 30, 5 000 / 1 500 | email in 60 sat 2, phone out 20 and 10 no_response; spend 50 000 |
//! | growth_new | 100, 40: 4 000 / 1 200 | email out 35; financial bond; spend 20 000 |
//! | growth_rising | 15, 60, 90, 210, 300, 365, 480, 570, 660: 5 000 / 1 500 | phone out 30; spend 30 000 |
//! | wonback | 900, 850, then 200, 100, 20: 6 000 / 1 800 | phone out 190 and 25; spend 20 000 |
//! | mature_cross | every 45 d from 35, 3 000 / 900 | email out 50; spend 100 000 |
//! | mature_structural | every 45 d from 40, 6 000 / 1 800 | email out 10, 40, 70, 100, 130, 160; financial + social + structural; spend 50 000 |
//! | raise | every 45 d from 12, 2 000 / 600 | email in 100, phone in 45 (inbound only); spend 20 000 |
//! | overdue | every 45 d from 8, 2 500 / 750 | phone out 20 with follow-up due 2026-11-12; spend 25 000 |
//! | due_today | every 45 d from 18, 7 000 / 2 100 | email out 5 with follow-up due 2026-11-22; spend 60 000 |
//! | incomplete | every 45 d from 22, 1 500 / 450 | phone out 33; no contact person, no segment; spend 15 000 |
//! | lead | 40, 130, 220, 310, 400, 490: 500 / 25 (5 %) | event in 300, meeting out 200 and 50; spend 3 000 |
//! | default_margin | every 45 d from 28, 5 000, margin omitted | phone out 70; spend 40 000 |
//! | decline_gap | every 30 d from 100 to 400, 2 000 / 600 | phone out 12, email in 10 payment_delayed; spend 20 000 |
//! | referrer | every 45 d from 33, 4 500 / 1 350 | email out 80 and phone in 20, each referral_given; spend 30 000 |
//! | prospect_ready | none | email in 14; full profile; spend 50 000 |
//! | prospect_bare | none | nothing: no contact, segment or spend |
//! | churn_silent | 545, 485, 425, 365: 5 000 / 1 500 | phone out 420; financial bond ended 2025-12-31; spend 50 000 |
//! | churn_dropped | 300, 250, 200: 3 000 / 900 | lost 100 days ago, deliberate |
//! | churn_small | 500: 400, margin omitted (120) | nothing else |
//! | churn_price | 250, 200, 150: 4 000 / 1 200 | lost 60 days ago, price |
//!
//! # Book-level figures
//!
//! - Retention: 19 customers ordered in (as_of − 730, as_of − 365] (every customer with an
//!   order 365..729 days ago: all but gold_growth, growth_new, wonback, churn_dropped,
//!   churn_price and the prospects); 19 < 30, so r = the default 0.80 (17 of them also
//!   ordered in the last year). Factor r / (1 + d − r) = 0.8 / 0.3 = 8/3.
//! - Active (growth, maturity, decline): 20 → platinum ceil(20 × 5 %) = 1, platinum or gold
//!   ceil(20 × 20 %) = 4, so 3 gold.
//! - alice serves 22 customers that are not churned (20 active + 2 prospects): the 21–200
//!   row, so a 30 % margin rate (medium) recommends accountable, lead's 5 % reactive.
//! - Quadrant medians over the 20 active customers. 12-month margins, sorted:
//!   100, 2 400, 3 600, 4 800, 5 400, 5 400, 6 000, 7 200, 7 500, 9 600 | 10 800, 12 000,
//!   12 000, 14 400, 16 800, 19 200, 26 400, 28 800, 30 000, 48 000 → (9 600 + 10 800) / 2 =
//!   10 200. Potentials, sorted: 0, 0, 50, 600, 600, 600, 900, 1 200, 1 200, 1 500 | 1 500,
//!   1 800, ... → 1 500; "high" is strictly above, so 1 500 itself is low.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;

mod common;
use common::CARD_FIELDS;

const AS_OF: &str = "2026-11-22";
/// r / (1 + d − r) with the default r = 0.8 and d = 0.1.
const FACTOR: f64 = 0.8 / 0.3;

/// Every next-best-action code of DOMAIN.md §6.
const ALL_CODES: [&str; 17] = [
    "follow_up_overdue",
    "complete_profile",
    "qualify_prospect",
    "nurture_growth",
    "add_social_bond",
    "add_structural_bond",
    "cross_sell",
    "differentiated_service",
    "diagnose_decline",
    "retention_offer",
    "service_recovery",
    "escalate_product",
    "counter_competitor",
    "win_back",
    "let_go",
    "raise_intensity",
    "check_in",
];

const VALUE_FIELDS: [&str; 5] = [
    "margin_12m",
    "cost_to_serve",
    "clv",
    "crv",
    "share_of_wallet",
];

/// (id, stage, second lifecycle, level, tier, quadrant)
type Classification = (
    &'static str,
    &'static str,
    bool,
    &'static str,
    Option<&'static str>,
    &'static str,
);
/// (id, margin_12m, cost_to_serve, clv, crv, share_of_wallet)
type Figures = (&'static str, f64, f64, f64, f64, Option<f64>);

/// A temporary data dir holding the imported book; each test has its own, because a
/// book is open in one process at a time and the tests run in parallel.
struct Book {
    _dir: tempfile::TempDir,
    data: PathBuf,
    config: PathBuf,
}

impl Book {
    fn imported() -> Book {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.toml");
        // An empty config file: every threshold at its documented default.
        std::fs::write(&config, "").unwrap();
        let book = Book {
            data: dir.path().join("data"),
            config,
            _dir: dir,
        };
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/engine_book.json");
        let out = book.ok(&["import", file]);
        assert!(out.contains("imported 26 customers"), "{out}");
        book
    }

    fn ok(&self, args: &[&str]) -> String {
        common::crm_ok(&self.data, &self.config, AS_OF, args)
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.ok(args);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}\n{out}"))
    }

    fn card(&self, id: &str) -> Value {
        let card = self.json(&["show", id, "--json"]);
        // Indexing a missing key gives null, so check that the contract's fields are there
        // before a null can pass for "no tier" or "no share of wallet".
        for key in CARD_FIELDS {
            assert!(card.get(key).is_some(), "{id}: no field {key}");
        }
        for key in VALUE_FIELDS {
            assert!(
                card["value"].get(key).is_some(),
                "{id}: no field value.{key}"
            );
        }
        assert_eq!(card["id"], id);
        assert_eq!(card["as_of"], AS_OF);
        card
    }
}

fn close(actual: &Value, expected: f64, what: &str) {
    let actual = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: not a number: {actual}"));
    assert!(
        (actual - expected).abs() < 1e-6,
        "{what}: {actual}, expected {expected}"
    );
}

fn codes(card: &Value) -> Vec<String> {
    card["next_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap().to_string())
        .collect()
}

/// `null` for no tier, else the code.
fn tier(card: &Value) -> Option<&str> {
    card["tier"].as_str()
}

#[test]
fn every_stage_level_tier_and_quadrant() {
    let book = Book::imported();
    // (id, stage, second lifecycle, level, tier, quadrant). Quadrant: current margin
    // against 10 200, potential against 1 500 (see the module comment).
    #[rustfmt::skip]
    let expected: [Classification; 26] = [
        // Ratio 12 000 / 12 000 = 1, first order 550 days ago, no signal → maturity.
        // CRV 127 720 is the highest → platinum. 48 000 > 10 200, potential 72 000 → I.
        ("plat", "maturity", false, "social", Some("platinum"), "I"),
        // CRV 76 786.67, 3rd → gold. 28 800 high, 7 200 high → I.
        ("gold_checkin", "maturity", false, "financial", Some("gold"), "I"),
        // Structural active, social ended on 2026-06-30. CRV 70 384, 4th → gold. 26 400 / 3 600 → I.
        ("gold_fragile", "maturity", false, "structural", Some("gold"), "I"),
        // First order 300 days ago < 365 → growth. CRV 79 986.67, 2nd → gold. 30 000 / 30 000 → I.
        ("gold_growth", "growth", false, "none", Some("gold"), "I"),
        // 600 / 3 000 = 20 % <= 50 % → value drop scores 2 → decline. 9 600 is not > 10 200,
        // potential 40 000 × 0.3 − 9 600 = 2 400 > 1 500 → II.
        ("decline_price", "decline", false, "none", Some("iron"), "II"),
        // 2 complaints (1) + competitor (1) = 2. CRV 51 170.67 < 70 384 → iron. 19 200 / 1 800 → I.
        ("decline_service", "decline", false, "none", Some("iron"), "I"),
        // Mean satisfaction 2 <= 2 (1) + two unanswered outbound calls (1). 12 000 / 3 000 → I.
        ("decline_product", "decline", false, "none", Some("iron"), "I"),
        // First order 100 days ago. 2 400 low, 20 000 × 0.3 − 2 400 = 3 600 high → II.
        ("growth_new", "growth", false, "financial", Some("iron"), "II"),
        // Last 90 days 3 000 (ages 15, 60), prior 1 500 (age 90): +100 % → growth.
        // 7 500 low, 9 000 − 7 500 = 1 500 not above the median → IV.
        ("growth_rising", "growth", false, "none", Some("iron"), "IV"),
        // 850 → 200 days ago is a gap of 650 > max(365, 3 × 50): a new lifecycle that
        // started 200 days ago → growth, second lifecycle. 5 400 / 600 → IV.
        ("wonback", "growth", true, "none", Some("iron"), "IV"),
        // 7 200 low, 30 000 − 7 200 = 22 800 high → II.
        ("mature_cross", "maturity", false, "none", Some("iron"), "II"),
        // 14 400 high, 15 000 − 14 400 = 600 low → III.
        ("mature_structural", "maturity", false, "structural", Some("iron"), "III"),
        ("raise", "maturity", false, "none", Some("iron"), "IV"),
        // Potential 7 500 − 6 000 = 1 500: not above the median → IV.
        ("overdue", "maturity", false, "none", Some("iron"), "IV"),
        // 16 800 high, 1 200 low → III.
        ("due_today", "maturity", false, "none", Some("iron"), "III"),
        ("incomplete", "maturity", false, "none", Some("iron"), "IV"),
        // CRV (100 − 130) × 8/3 = −80 <= 0 → lead.
        ("lead", "maturity", false, "none", Some("lead"), "IV"),
        // 12 000 high, 40 000 × 0.3 − 12 000 = 0 → III.
        ("default_margin", "maturity", false, "none", Some("iron"), "III"),
        // Nothing in the last 90 days against 1 800 before (scores 2), 100 days since the
        // last order > 1.5 × 30 (1), payment delayed (1): score 4.
        ("decline_gap", "decline", false, "none", Some("iron"), "IV"),
        // 10 800 > 10 200, potential max(0, 9 000 − 10 800) = 0 → III.
        ("referrer", "maturity", false, "none", Some("iron"), "III"),
        // Prospects: potential = spend × default rate 0.3: 15 000 → II; no spend → 0 → IV.
        ("prospect_ready", "acquisition", false, "none", None, "II"),
        ("prospect_bare", "acquisition", false, "none", None, "IV"),
        // 365 days since the last order >= max(365, 3 × 60): churned on the boundary day.
        ("churn_silent", "churned", false, "none", None, "II"),
        ("churn_dropped", "churned", false, "none", None, "II"),
        ("churn_small", "churned", false, "none", None, "IV"),
        ("churn_price", "churned", false, "none", None, "II"),
    ];
    let mut seen = (
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
    );
    for (id, stage, second, level, tier_code, quadrant) in expected {
        let card = book.card(id);
        assert_eq!(
            card["stage"], stage,
            "{id} stage: {:?}",
            card["stage_evidence"]
        );
        assert_eq!(card["second_lifecycle"], second, "{id} second_lifecycle");
        assert_eq!(card["level"], level, "{id} level");
        assert_eq!(tier(&card), tier_code, "{id} tier");
        assert_eq!(card["quadrant"], quadrant, "{id} quadrant");
        seen.0.insert(stage);
        seen.1.insert(level);
        seen.2.insert(tier_code);
        seen.3.insert(quadrant);
    }
    // The table itself covers every code of the contract.
    assert_eq!(seen.0.len(), 5);
    assert_eq!(seen.1.len(), 4);
    assert_eq!(seen.2.len(), 5, "four tiers and null");
    assert_eq!(seen.3.len(), 4);
}

#[test]
fn the_ladder_shows_fragile_rungs_and_ended_bonds() {
    let book = Book::imported();
    let fragile = book.card("gold_fragile");
    assert_eq!(fragile["level_note"], "structural, social rung missing");
    let bonds = fragile["bonds"].as_array().unwrap();
    let social: Vec<&Value> = bonds.iter().filter(|b| b["level"] == "social").collect();
    assert_eq!(social.len(), 1);
    assert_eq!(social[0]["active"], false, "ended 2026-06-30");
    assert_eq!(social[0]["kind"], "customer club");
    for id in ["plat", "mature_structural"] {
        assert_eq!(book.card(id)["level_note"], Value::Null, "{id}: no gap");
    }
    // The financial bond ended 2025-12-31: listed, not active, level none.
    let silent = book.card("churn_silent");
    assert_eq!(silent["bonds"][0]["active"], false);
    assert_eq!(silent["level"], "none");
}

#[test]
fn next_best_actions_per_customer() {
    let book = Book::imported();
    // In actions::PRIORITY order, which is the order of docs/engine.md §5.
    #[rustfmt::skip]
    let expected: [(&str, &[&str]); 26] = [
        // Platinum below structural; maturity and gold+; share of wallet 160 000 / 400 000 = 40 % < 50 %.
        ("plat", &["add_structural_bond", "differentiated_service", "cross_sell"]),
        // Last contact exactly 90 days ago (check_in fires at 90); gold below social;
        // share of wallet 96 000 / 120 000 = 80 %.
        ("gold_checkin", &["check_in", "add_social_bond", "differentiated_service"]),
        ("gold_fragile", &["differentiated_service"]),
        ("gold_growth", &["add_social_bond", "nurture_growth"]),
        ("decline_price", &["diagnose_decline", "retention_offer"]),
        ("decline_service", &["diagnose_decline", "counter_competitor", "service_recovery"]),
        ("decline_product", &["diagnose_decline", "escalate_product"]),
        ("growth_new", &["nurture_growth"]),
        ("growth_rising", &["nurture_growth"]),
        ("wonback", &["nurture_growth"]),
        // 24 000 / 100 000 = 24 % < 50 %.
        ("mature_cross", &["cross_sell"]),
        // Iron, share of wallet 96 %, actual partnership >= recommended accountable.
        ("mature_structural", &[]),
        // Inbound only in 180 days → reactive, below accountable.
        ("raise", &["raise_intensity"]),
        ("overdue", &["follow_up_overdue"]),
        // Due today is not overdue (due < as_of is).
        ("due_today", &[]),
        ("incomplete", &["complete_profile"]),
        // Lead; recommended reactive (5 % margin), actual accountable; 2 000 / 3 000 = 67 %.
        ("lead", &[]),
        ("default_margin", &[]),
        // Payment delay is a warning sign but names no remedy of its own.
        ("decline_gap", &["diagnose_decline"]),
        ("referrer", &[]),
        ("prospect_ready", &["qualify_prospect"]),
        ("prospect_bare", &["qualify_prospect", "complete_profile"]),
        // Last active year 4 × 1 500 = 6 000 → 6 000 × 8/3 = 16 000 > 400.
        ("churn_silent", &["win_back"]),
        // Deliberately dropped.
        ("churn_dropped", &["let_go"]),
        // 120 × 8/3 = 320 <= 400: not worth winning back.
        ("churn_small", &["let_go"]),
        // Lost for price; 3 × 1 200 = 3 600 → 9 600 > 400.
        ("churn_price", &["win_back"]),
    ];
    let mut seen = BTreeSet::new();
    for (id, want) in expected {
        let card = book.card(id);
        let got = codes(&card);
        assert_eq!(got, want, "{id}: {:#}", card["next_actions"]);
        for action in card["next_actions"].as_array().unwrap() {
            // Due: the follow-up now, decline remedies within 2 days, the rest within 7.
            let due = match action["code"].as_str().unwrap() {
                "follow_up_overdue" => "2026-11-22",
                "diagnose_decline" | "retention_offer" | "service_recovery"
                | "escalate_product" | "counter_competitor" => "2026-11-24",
                _ => "2026-11-29",
            };
            assert_eq!(action["due"], due, "{id} {}", action["code"]);
            assert!(
                !action["why"].as_array().unwrap().is_empty(),
                "{id} {}: no evidence",
                action["code"]
            );
        }
        seen.extend(got);
    }
    let missing: Vec<&str> = ALL_CODES
        .iter()
        .copied()
        .filter(|c| !seen.contains(*c))
        .collect();
    assert!(missing.is_empty(), "codes never produced: {missing:?}");
}

#[test]
fn value_figures_by_hand() {
    let book = Book::imported();
    let expected: [Figures; 8] = [
        // 8 orders in 12 months × 6 000 = 48 000; meeting 50 + phone 5 + meeting 50 = 105;
        // CLV 48 000 × 8/3 = 128 000; CRV 47 895 × 8/3 = 127 720; 160 000 / 400 000.
        ("plat", 48_000.0, 105.0, 128_000.0, 127_720.0, Some(0.4)),
        // 8 × 3 600 = 28 800; one phone call 5; CRV 28 795 × 8/3; 96 000 / 120 000.
        (
            "gold_checkin",
            28_800.0,
            5.0,
            76_800.0,
            28_795.0 * FACTOR,
            Some(0.8),
        ),
        // 600 + 3 × 3 000 = 9 600; phone 5 + email 1; 32 000 / 40 000.
        (
            "decline_price",
            9_600.0,
            6.0,
            25_600.0,
            9_594.0 * FACTOR,
            Some(0.8),
        ),
        // Four orders of 25 in 12 months = 100; event 30 + meeting 50 + meeting 50 = 130;
        // CRV (100 − 130) × 8/3 = −80; 2 000 / 3 000.
        ("lead", 100.0, 130.0, 100.0 * FACTOR, -80.0, Some(2.0 / 3.0)),
        // Margin omitted: 8 × 5 000 × 30 % = 12 000; 40 000 / 40 000.
        (
            "default_margin",
            12_000.0,
            5.0,
            32_000.0,
            11_995.0 * FACTOR,
            Some(1.0),
        ),
        // 8 × 1 350 = 10 800; email 1 + phone 5; two referrals × 200:
        // 10 794 × 8/3 + 400 = 28 784 + 400 = 29 184; 36 000 / 30 000.
        ("referrer", 10_800.0, 6.0, 28_800.0, 29_184.0, Some(1.2)),
        // Ages 15, 60, 90, 210, 300 = 5 × 1 500 (the order 365 days ago is outside).
        (
            "growth_rising",
            7_500.0,
            5.0,
            20_000.0,
            7_495.0 * FACTOR,
            Some(25_000.0 / 30_000.0),
        ),
        // Nothing in the 12 months: the last order is exactly 365 days old.
        ("churn_silent", 0.0, 0.0, 0.0, 0.0, Some(0.0)),
    ];
    for (id, margin, cost, clv, crv, share) in expected {
        let card = book.card(id);
        let v = &card["value"];
        close(&v["margin_12m"], margin, &format!("{id} margin_12m"));
        close(&v["cost_to_serve"], cost, &format!("{id} cost_to_serve"));
        close(&v["clv"], clv, &format!("{id} clv"));
        close(&v["crv"], crv, &format!("{id} crv"));
        match share {
            Some(s) => close(&v["share_of_wallet"], s, &format!("{id} share_of_wallet")),
            None => assert_eq!(v["share_of_wallet"], Value::Null, "{id}"),
        }
    }
    // Unknown category spend: no share of wallet.
    assert_eq!(
        book.card("prospect_bare")["value"]["share_of_wallet"],
        Value::Null
    );
}

#[test]
fn relationship_types_recommended_and_actual() {
    let book = Book::imported();
    let expected = [
        // 22 customers for alice (21–200), 30 % margin → accountable; one outbound call.
        ("plat", "accountable", "accountable"),
        // Six outbound e-mails in 180 days and a structural bond → partnership.
        ("mature_structural", "accountable", "partnership"),
        // Inbound only → reactive.
        ("raise", "accountable", "reactive"),
        // 25 / 500 = 5 % < 15 % → reactive; outbound meeting → accountable.
        ("lead", "reactive", "accountable"),
    ];
    for (id, recommended, actual) in expected {
        let card = book.card(id);
        let types = &card["relationship_type"];
        assert_eq!(types["recommended"], recommended, "{id}");
        assert_eq!(types["actual"], actual, "{id}");
    }
}

#[test]
fn evidence_names_the_deciding_rule_and_the_window_boundaries() {
    let book = Book::imported();
    // The order exactly 90 days back counts in the prior window, not the last.
    let rising = book.card("growth_rising");
    assert_eq!(
        rising["stage_evidence"][0],
        "rising: margin last 90 days 3 000, prior 90 days 1 500: +100 %"
    );
    let silent = book.card("churn_silent");
    assert_eq!(
        silent["stage_evidence"][0],
        "no order for 365 days; churned after 365 days"
    );
    let price = book.card("decline_price");
    assert_eq!(price["stage_evidence"][0], "decline score 2 (decline at 2)");
    let won = book.card("wonback");
    let lines: Vec<&str> = won["stage_evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert_eq!(
        lines[0],
        "first order of this lifecycle 200 days ago (growth within 365 days)"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("second lifecycle: won back")),
        "{lines:?}"
    );
    let check_in = book.card("gold_checkin");
    let why = &check_in["next_actions"][0]["why"][0];
    assert_eq!(why, "tier gold, no contact for 90 days (since 2026-08-24)");
}

#[test]
fn agenda_lists_the_overdue_follow_up_first() {
    let book = Book::imported();
    let agenda = book.json(&["agenda", "--json"]);
    assert_eq!(agenda["as_of"], AS_OF);
    // Two follow-ups due on or before as_of: the overdue one first although due_today's
    // CRV (44 797.33) is higher than overdue's (15 986.67): the due date ranks first.
    let follow_ups = agenda["follow_ups"].as_array().unwrap();
    assert_eq!(agenda["follow_ups_total"], 2);
    assert_eq!(follow_ups[0]["customer"], "overdue");
    assert_eq!(follow_ups[0]["due"], "2026-11-12");
    assert_eq!(follow_ups[0]["days_overdue"], 10);
    assert_eq!(follow_ups[0]["text"], "Follow up: send the price list");
    assert_eq!(follow_ups[1]["customer"], "due_today");
    assert_eq!(follow_ups[1]["days_overdue"], 0);
    // Every action of every card except follow_up_overdue: prospects 1 + 2, churned 4,
    // platinum and gold 3 + 3 + 1 + 2, declines 2 + 3 + 2 + 1, other growth 1 + 1 + 1,
    // mature_cross, raise and incomplete 1 each: 3 + 4 + 9 + 8 + 3 + 3 = 30.
    assert_eq!(agenda["actions_total"], 30);
    let actions = agenda["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 30);
    assert!(actions.iter().all(|a| a["code"] != "follow_up_overdue"));
    // diagnose_decline ranks first, the four declines by CRV: 51 170.67, 31 970.67,
    // 25 584, 14 384.
    let first: Vec<(&str, &str)> = actions[..5]
        .iter()
        .map(|a| (a["code"].as_str().unwrap(), a["customer"].as_str().unwrap()))
        .collect();
    assert_eq!(
        first,
        [
            ("diagnose_decline", "decline_service"),
            ("diagnose_decline", "decline_product"),
            ("diagnose_decline", "decline_price"),
            ("diagnose_decline", "decline_gap"),
            ("counter_competitor", "decline_service"),
        ]
    );
}

#[test]
fn portfolio_counts_match_the_book() {
    let book = Book::imported();
    let p = book.json(&["portfolio", "--json"]);
    assert_eq!(p["customers"], 26);
    let stages: BTreeMap<&str, (u64, u64)> = p["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["stage"].as_str().unwrap(),
                (
                    s["customers"].as_u64().unwrap(),
                    s["second_lifecycle"].as_u64().unwrap(),
                ),
            )
        })
        .collect();
    let expected_stages = BTreeMap::from([
        ("acquisition", (2, 0)),
        // gold_growth, growth_new, growth_rising, wonback (won back).
        ("growth", (4, 1)),
        // plat, gold_checkin, gold_fragile, mature_cross, mature_structural, raise, overdue,
        // due_today, incomplete, lead, default_margin, referrer.
        ("maturity", (12, 0)),
        ("decline", (4, 0)),
        ("churned", (4, 0)),
    ]);
    assert_eq!(stages, expected_stages);
    assert_eq!(p["prospects"], 2);
    assert_eq!(p["churned"], 4);
    let tiers: BTreeMap<&str, (u64, f64)> = p["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["tier"].as_str().unwrap(),
                (t["customers"].as_u64().unwrap(), t["crv"].as_f64().unwrap()),
            )
        })
        .collect();
    assert_eq!(tiers["platinum"].0, 1);
    close(&Value::from(tiers["platinum"].1), 127_720.0, "platinum CRV");
    assert_eq!(tiers["gold"].0, 3);
    // (29 995 + 28 795 + 26 394) × 8/3 = 85 184 × 8/3.
    close(&Value::from(tiers["gold"].1), 85_184.0 * FACTOR, "gold CRV");
    assert_eq!(tiers["iron"].0, 15);
    assert_eq!(tiers["lead"].0, 1);
    close(&Value::from(tiers["lead"].1), -80.0, "lead CRV");
    let r = &p["retention"];
    assert_eq!(r["measured"], false);
    assert_eq!(r["base"], 19);
    assert_eq!(r["retained"], 17);
    close(&r["rate"], 0.8, "retention rate");
    // acquire: the prospects; retain: platinum and gold not in decline; win back: the 4
    // declines plus churn_silent and churn_price (worth more than 400).
    assert_eq!(p["queues"]["acquire"]["customers"], 2);
    assert_eq!(p["queues"]["retain"]["customers"], 4);
    assert_eq!(p["queues"]["win_back"]["customers"], 6);
}
