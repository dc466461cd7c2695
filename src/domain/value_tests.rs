use super::*;
use crate::domain::model::Signal;
use crate::domain::stats::Retention;
use crate::domain::testkit::*;

fn stats(platinum: Option<f64>, gold: Option<f64>) -> BookStats {
    BookStats {
        as_of: d("2026-06-30"),
        rhythm: crate::domain::rhythm::BookRhythm::default_for(&Config::default()),
        customers: 0,
        prospects: 0,
        active: 0,
        churned: 0,
        owner_customers: Default::default(),
        retention: Retention {
            rate: 0.8,
            measured: false,
            base: 0,
            retained: 0,
        },
        median_margin_12m: 1000.0,
        median_potential: 5000.0,
        platinum_min_crv: platinum,
        gold_min_crv: gold,
    }
}

#[test]
fn clv_and_crv_by_hand() {
    let cfg = Config::default();
    // r = 0.8, d = 0.1: factor 0.8 / 0.3.
    assert_close(retention_factor(0.8, &cfg), 8.0 / 3.0, "factor");
    assert_close(clv(3000.0, 0.8, &cfg), 8000.0, "clv");
    // Denominator 1 + 0 − 1 = 0: no value rather than infinity.
    let mut zero_d = cfg.clone();
    zero_d.value.discount_rate = 0.0;
    assert_eq!(retention_factor(1.0, &zero_d), 0.0);

    // m = 3 000 (10 000 revenue, 30 %), c = 6 phone calls × 5 = 30, 2 referrals × 200.
    let mut a = account("a").order("2026-06-01", 10_000.0, None);
    for day in 1..=6 {
        let mut call = contact(
            &format!("2026-05-0{day}"),
            crate::domain::model::Direction::Outbound,
            crate::domain::model::Purpose::Sales,
            crate::domain::model::Outcome::Positive,
        );
        if day <= 2 {
            call.signals.push(Signal::ReferralGiven);
        }
        a = a.talk(call);
    }
    let f = a.facts("2026-06-30");
    assert_close(f.cost_to_serve_12m, 30.0, "cost to serve");
    // (3000 − 30) × 8/3 + 400 = 7920 + 400.
    assert_close(crv(&f, 0.8, &cfg), 8320.0, "crv");
    // Category spend 100 000 × 30 % − 3 000.
    assert_close(potential(&f), 27_000.0, "potential");
    assert_eq!(share_of_wallet(&f), Some(0.1));
    let figures = figures(&f, &stats(None, None), &cfg);
    assert_close(figures.clv, 8000.0, "figures.clv");
    assert_close(figures.crv, 8320.0, "figures.crv");
    assert_eq!(figures.retention_rate, 0.8);
}

#[test]
fn potential_and_share_need_a_spend() {
    let mut f = account("a")
        .order("2026-06-01", 10_000.0, None)
        .facts("2026-06-30");
    f.category_spend = None;
    assert_eq!(potential(&f), 0.0);
    assert_eq!(share_of_wallet(&f), None);
    f.category_spend = Some(0.0);
    assert_eq!(share_of_wallet(&f), None);
    // Spend below what we already earn: no headroom, not negative.
    f.category_spend = Some(5_000.0);
    assert_eq!(potential(&f), 0.0);
}

#[test]
fn tiers_by_cut_offs() {
    let s = stats(Some(5000.0), Some(2000.0));
    let cases = [
        (Stage::Maturity, 5000.0, Some(Tier::Platinum)),
        (Stage::Decline, 4999.0, Some(Tier::Gold)),
        (Stage::Growth, 2000.0, Some(Tier::Gold)),
        (Stage::Maturity, 1999.0, Some(Tier::Iron)),
        (Stage::Maturity, 0.01, Some(Tier::Iron)),
        (Stage::Maturity, 0.0, Some(Tier::Lead)),
        (Stage::Maturity, -10.0, Some(Tier::Lead)),
        (Stage::Acquisition, 9000.0, None),
        (Stage::Churned, 9000.0, None),
    ];
    for (stage, crv, expected) in cases {
        assert_eq!(tier(stage, crv, &s), expected, "{stage} {crv}");
    }
    // A cut-off at or below zero never lifts a customer out of lead.
    assert_eq!(
        tier(Stage::Maturity, 0.0, &stats(Some(0.0), None)),
        Some(Tier::Lead)
    );
    assert_eq!(
        tier(Stage::Maturity, 10.0, &stats(None, None)),
        Some(Tier::Iron)
    );
}

#[test]
fn quadrants_split_strictly_above_the_median() {
    let s = stats(None, None);
    let cases = [
        (1001.0, 5001.0, Quadrant::I),
        (1000.0, 5001.0, Quadrant::II),
        (1001.0, 5000.0, Quadrant::III),
        (1000.0, 5000.0, Quadrant::IV),
        (0.0, 0.0, Quadrant::IV),
    ];
    for (current, potential, expected) in cases {
        assert_eq!(
            quadrant(current, potential, &s),
            expected,
            "{current}/{potential}"
        );
    }
}
