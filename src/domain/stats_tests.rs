use super::*;
use crate::domain::testkit::*;

const AS_OF: &str = "2026-06-30";

/// An active customer whose CRV is `margin` × 8/3 (default r, no costs) and whose
/// retention flags are as given.
fn active(id: &str, owner: &str, margin: f64) -> CustomerFacts {
    let mut f = account(id)
        .order("2026-06-01", 1000.0, Some(100.0))
        .facts(AS_OF);
    f.owner = owner.into();
    f.margin_12m = margin;
    f.stage = Stage::Maturity;
    f
}

#[test]
fn medians() {
    let cases: [(&[f64], f64); 5] = [
        (&[], 0.0),
        (&[5.0], 5.0),
        (&[3.0, 1.0], 2.0),
        (&[9.0, 1.0, 5.0], 5.0),
        (&[4.0, 1.0, 3.0, 2.0], 2.5),
    ];
    for (values, expected) in cases {
        assert_eq!(median(&mut values.to_vec()), expected, "{values:?}");
    }
}

#[test]
fn share_counts_round_up() {
    assert_eq!(share_count(20, 0.05), 1);
    assert_eq!(share_count(21, 0.05), 2);
    assert_eq!(share_count(100, 0.05 + 0.15), 20);
    assert_eq!(share_count(10, 0.05), 1);
    assert_eq!(share_count(0, 0.05), 0);
}

#[test]
fn pyramid_cut_offs() {
    let cfg = Config::default();
    // 20 active customers with margins 100 … 2 000, the first one negative: 1 platinum
    // (ceil 20 × 5 %), 3 gold (ceil 20 × 20 % = 4 in all), then iron, and lead at CRV <= 0.
    let mut facts: Vec<CustomerFacts> = (1..=20)
        .map(|i| active(&format!("c{i:02}"), "alice", 100.0 * i as f64))
        .collect();
    facts[0].margin_12m = -100.0;
    let s = book_stats(&facts, d(AS_OF), &cfg);
    assert_eq!(s.active, 20);
    let factor = 8.0 / 3.0;
    assert_close(s.platinum_min_crv.unwrap(), 2000.0 * factor, "platinum cut");
    assert_close(s.gold_min_crv.unwrap(), 1700.0 * factor, "gold cut");
    let tiers: Vec<_> = facts
        .iter()
        .map(|f| value::tier(f.stage, value::crv(f, s.retention.rate, &cfg), &s).unwrap())
        .collect();
    use crate::domain::card::Tier::*;
    assert_eq!(tiers[19], Platinum);
    assert_eq!(&tiers[16..19], [Gold, Gold, Gold]);
    assert_eq!(tiers[15], Iron);
    assert_eq!(tiers[1], Iron);
    assert_eq!(tiers[0], Lead);

    // A tie at the platinum cut-off lifts both customers.
    facts[18].margin_12m = 2000.0;
    let s = book_stats(&facts, d(AS_OF), &cfg);
    let crv19 = value::crv(&facts[18], s.retention.rate, &cfg);
    assert_eq!(value::tier(Stage::Maturity, crv19, &s), Some(Platinum));
}

#[test]
fn counts_medians_and_owners() {
    let cfg = Config::default();
    let mut prospect = account("p").facts(AS_OF);
    prospect.owner = "bob".into();
    let mut churned = active("x", "bob", 0.0);
    churned.stage = Stage::Churned;
    let facts = vec![
        active("a", "alice", 100.0),
        active("b", "alice", 300.0),
        active("c", "bob", 200.0),
        prospect,
        churned,
    ];
    let s = book_stats(&facts, d(AS_OF), &cfg);
    assert_eq!(
        (s.customers, s.prospects, s.active, s.churned),
        (5, 1, 3, 1)
    );
    assert_eq!(s.owner_customers("alice"), 2);
    // Churned customers are no longer served; prospects are.
    assert_eq!(s.owner_customers("bob"), 2);
    assert_eq!(s.owner_customers("carol"), 0);
    assert_eq!(s.median_margin_12m, 200.0);
    // Potential = 100 000 × 10 % − margin for each active customer.
    assert_eq!(s.median_potential, 9800.0);
}

#[test]
fn retention_is_measured_from_30_customers() {
    let cfg = Config::default();
    let make = |base: usize, retained: usize| -> Vec<CustomerFacts> {
        (0..base)
            .map(|i| {
                let mut f = active(&format!("c{i}"), "alice", 100.0);
                f.ordered_year_before_last = true;
                f.ordered_last_year = i < retained;
                f
            })
            .collect()
    };
    let measured = book_stats(&make(30, 27), d(AS_OF), &cfg).retention;
    assert_eq!(
        measured,
        Retention {
            rate: 0.9,
            measured: true,
            base: 30,
            retained: 27
        }
    );
    let too_few = book_stats(&make(29, 29), d(AS_OF), &cfg).retention;
    assert_eq!(
        (too_few.rate, too_few.measured, too_few.base),
        (0.8, false, 29)
    );
}

/// The book pass settles every customer with the book rhythm before it counts stages. The
/// churn floor is lowered to 200 days so that the rhythm decides: a one-time buyer 300
/// days silent is churned under the default 90 (max(200, 270) = 270) and under a book
/// rhythm of 100 (300), not under 101 (303).
#[test]
fn the_book_pass_settles_everyone_with_the_book_rhythm() {
    let mut cfg = Config::default();
    cfg.lifecycle.churn_min_days = 200;
    let rhythm = crate::domain::rhythm::BookRhythm::default_for(&cfg);
    let regular = |i: usize| {
        account(&format!("r{i:02}"))
            .order("2025-12-07", 100.0, None)
            .order("2026-03-17", 100.0, None)
            .order("2026-06-25", 100.0, None)
    };
    let mut facts: Vec<CustomerFacts> = (0..30)
        .map(|i| crate::domain::facts::customer_facts(&regular(i), d(AS_OF), &cfg, rhythm))
        .collect();
    let once = account("once").order("2025-09-03", 100.0, None);
    facts.push(crate::domain::facts::customer_facts(
        &once,
        d(AS_OF),
        &cfg,
        rhythm,
    ));
    // Under the default 90: churn after max(200, 270) = 270 <= 300 days.
    assert_eq!(facts[30].stage, Stage::Churned);
    let (stats, moved) = settle_book(&mut facts, d(AS_OF), &cfg);
    assert!(moved);
    assert_eq!(
        (
            stats.rhythm.days,
            stats.rhythm.measured,
            stats.rhythm.customers
        ),
        (100.0, true, 30)
    );
    // Under the book's 100: churn after max(200, 300) = 300 <= 300 days still; 3.0 × the
    // rhythm also scores 2.
    assert_eq!(facts[30].stage, Stage::Churned);
    assert_eq!(facts[30].decline_score, 2);
    assert_eq!(stats.churned, 1);
    // A rhythm of 101 (one more day between the regulars' orders) keeps it out of churn.
    let wider = |i: usize| {
        account(&format!("w{i:02}"))
            .order("2025-12-05", 100.0, None)
            .order("2026-03-16", 100.0, None)
            .order("2026-06-25", 100.0, None)
    };
    let mut facts: Vec<CustomerFacts> = (0..30)
        .map(|i| crate::domain::facts::customer_facts(&wider(i), d(AS_OF), &cfg, rhythm))
        .collect();
    facts.push(crate::domain::facts::customer_facts(
        &once,
        d(AS_OF),
        &cfg,
        rhythm,
    ));
    let (stats, _) = settle_book(&mut facts, d(AS_OF), &cfg);
    assert_eq!(stats.rhythm.days, 101.0);
    assert_eq!(
        (facts[30].stage, facts[30].decline_score),
        (Stage::Decline, 2)
    );
    assert_eq!((stats.churned, stats.active), (0, 31));
    // Settled already: a second pass moves nobody.
    assert!(!settle_book(&mut facts, d(AS_OF), &cfg).1);
}
