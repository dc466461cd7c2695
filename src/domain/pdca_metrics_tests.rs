use super::*;
use crate::domain::model::{Account, BondLevel, Direction, Outcome, Purpose, TaskOrigin};
use crate::domain::stats::book_stats;
use crate::domain::testkit::*;

const AS_OF: &str = "2026-06-30";

fn out(at: &str) -> crate::domain::model::Interaction {
    contact(at, Direction::Outbound, Purpose::Service, Outcome::Positive)
}

/// Four customers whose figures are worked out by hand in each test:
/// - a (alice, retail, spend 100 000): ordered in the year before last and in the last
///   year (retained); revenue 12m 2 000, margin 500; rated 4 and 2 in the last 90 days,
///   one more contact in the year (3 in 12 months); one active structural bond and one
///   ended; one overdue follow-up, one not yet due, one done; stage growth.
/// - b (bob, "Wholesale", spend 50 000): one order 576 days ago, so churned and not
///   retained; rated 5 twenty days ago.
/// - c (alice, retail, no spend): one order of 1 000 without margin (default 30 % = 300);
///   a structural bond since June; an overdue task that is not a follow-up; growth.
/// - d (alice, retail, spend 10 000): margin 1 000 in the prior 90 days and 100 in the
///   last 90 (a severe drop: decline); revenue 3 500; one contact; one overdue follow-up.
fn book() -> Vec<Account> {
    let a = account("a")
        .order("2025-03-01", 1000.0, Some(300.0))
        .order("2026-05-01", 2000.0, Some(500.0))
        .talk(out("2026-01-10"))
        .talk(rated(out("2026-05-15"), 2))
        .talk(rated(out("2026-06-01"), 4))
        .bond(BondLevel::Structural, "2025-01-01", None)
        .bond(BondLevel::Structural, "2024-01-01", Some("2026-01-01"))
        .task(1, "2026-06-01", TaskOrigin::FollowUp, None)
        .task(2, "2026-07-05", TaskOrigin::FollowUp, None)
        .task(3, "2026-05-01", TaskOrigin::FollowUp, Some("2026-05-02"));
    let b = account("b")
        .with(|a| {
            a.customer.owner = "bob".into();
            a.customer.segment = "Wholesale".into();
            a.customer.category_spend = Some(50_000.0);
        })
        .order("2024-12-01", 800.0, Some(200.0))
        .talk(rated(out("2026-06-10"), 5));
    let c = account("c")
        .with(|a| a.customer.category_spend = None)
        .order("2026-06-10", 1000.0, None)
        .bond(BondLevel::Structural, "2026-06-15", None)
        .task(4, "2026-06-01", TaskOrigin::NextBestAction, None);
    let d = account("d")
        .with(|a| a.customer.category_spend = Some(10_000.0))
        .order("2026-03-01", 3000.0, Some(1000.0))
        .order("2026-06-01", 500.0, Some(100.0))
        .talk(out("2026-02-01"))
        .task(5, "2026-06-29", TaskOrigin::FollowUp, None);
    vec![a, b, c, d]
}

struct Fixture {
    facts: Vec<CustomerFacts>,
    stats: BookStats,
    cfg: Config,
}

fn fixture() -> Fixture {
    let cfg = Config::default();
    let facts: Vec<CustomerFacts> = book().iter().map(|a| a.facts(AS_OF)).collect();
    let stages: Vec<Stage> = facts.iter().map(|f| f.stage).collect();
    assert_eq!(
        stages,
        [Stage::Growth, Stage::Churned, Stage::Growth, Stage::Decline],
        "the fixture's stages are what the expectations assume"
    );
    let stats = book_stats(&facts, d(AS_OF), &cfg);
    Fixture { facts, stats, cfg }
}

fn measured(fx: &Fixture, metric: Metric, scope: &Scope) -> Option<f64> {
    measure(metric, scope, &fx.facts, &fx.stats, d(AS_OF), &fx.cfg)
}

fn book_value(metric: Metric) -> f64 {
    let fx = fixture();
    measured(&fx, metric, &Scope::Book).unwrap_or(f64::NAN)
}

#[test]
fn retention_rate_is_the_share_of_last_years_buyers_who_bought_again() {
    // Base a and b (ordered in the year before last), retained a: 1 / 2, measured below
    // the book rule's 30-customer minimum.
    assert_close(book_value(Metric::RetentionRate), 0.5, "book");
    let fx = fixture();
    let alice = Scope::Owner("alice".into());
    assert_eq!(measured(&fx, Metric::RetentionRate, &alice), Some(1.0));
    let c = Scope::Customer("c".into());
    assert_eq!(measured(&fx, Metric::RetentionRate, &c), None, "no base");
}

#[test]
fn decline_and_churned_counts() {
    assert_eq!(book_value(Metric::DeclineCount), 1.0);
    assert_eq!(book_value(Metric::ChurnedCount), 1.0);
    let fx = fixture();
    let bob = Scope::Owner("bob".into());
    assert_eq!(measured(&fx, Metric::DeclineCount, &bob), Some(0.0));
    assert_eq!(measured(&fx, Metric::ChurnedCount, &bob), Some(1.0));
}

#[test]
fn avg_satisfaction_pools_every_rating_of_the_last_90_days() {
    // a: 4 and 2, b: 5 -> 11 / 3 (a mean of customer means would give 4.0).
    assert_close(book_value(Metric::AvgSatisfaction), 11.0 / 3.0, "book");
    let fx = fixture();
    let d_only = Scope::Customer("d".into());
    assert_eq!(
        measured(&fx, Metric::AvgSatisfaction, &d_only),
        None,
        "no rating"
    );
}

#[test]
fn share_of_wallet_is_revenue_over_spend_of_customers_with_a_spend() {
    // a 2 000 / 100 000, b 0 / 50 000, d 3 500 / 10 000; c has no spend and is left out.
    assert_close(
        book_value(Metric::ShareOfWallet),
        5500.0 / 160_000.0,
        "book",
    );
    let fx = fixture();
    let c = Scope::Customer("c".into());
    assert_eq!(measured(&fx, Metric::ShareOfWallet, &c), None);
}

#[test]
fn margin_12m_sums_the_scope() {
    // a 500, b 0 (order too old), c 300 (default rate), d 1 000 + 100.
    assert_close(book_value(Metric::Margin12m), 1900.0, "book");
    let fx = fixture();
    let c = Scope::Customer("c".into());
    assert_eq!(measured(&fx, Metric::Margin12m, &c), Some(300.0));
}

#[test]
fn contacts_per_customer_counts_served_customers_only() {
    // Served (not churned): a 3, c 0, d 1 -> 4 / 3; b's contact does not count.
    assert_close(book_value(Metric::ContactsPerCustomer), 4.0 / 3.0, "book");
    let fx = fixture();
    let bob = Scope::Owner("bob".into());
    assert_eq!(measured(&fx, Metric::ContactsPerCustomer, &bob), None);
}

#[test]
fn structural_bonds_counts_active_bonds() {
    // a: one active, one ended; c: one since June.
    assert_eq!(book_value(Metric::StructuralBonds), 2.0);
    let fx = fixture();
    let at_may = measure(
        Metric::StructuralBonds,
        &Scope::Book,
        &book()
            .iter()
            .map(|a| a.facts("2026-05-31"))
            .collect::<Vec<_>>(),
        &BookStats {
            as_of: d("2026-05-31"),
            ..fx.stats.clone()
        },
        d("2026-05-31"),
        &fx.cfg,
    );
    assert_eq!(at_may, Some(1.0), "c's bond starts after this date");
}

#[test]
fn overdue_followups_counts_open_follow_ups_past_due() {
    // a's task 1 and d's task 5; a's task 2 is not due, task 3 is done, c's is no follow-up.
    assert_eq!(book_value(Metric::OverdueFollowups), 2.0);
}

#[test]
fn segment_scope_ignores_case_and_space() {
    let fx = fixture();
    let wholesale = Scope::Segment(" wholesale ".into());
    assert_eq!(
        measured(&fx, Metric::AvgSatisfaction, &wholesale),
        Some(5.0)
    );
    assert_eq!(measured(&fx, Metric::RetentionRate, &wholesale), Some(0.0));
}

#[test]
fn nothing_is_measured_for_an_empty_scope_or_another_date() {
    let fx = fixture();
    for &metric in Metric::ALL {
        let nobody = Scope::Customer("nobody".into());
        assert_eq!(measured(&fx, metric, &nobody), None, "{metric}");
    }
    let other_day = BookStats {
        as_of: d("2026-06-29"),
        ..fx.stats.clone()
    };
    let m = measure(
        Metric::Margin12m,
        &Scope::Book,
        &fx.facts,
        &other_day,
        d(AS_OF),
        &fx.cfg,
    );
    assert_eq!(m, None, "stats of another date");
    let mut stale = fx.facts.clone();
    stale[2].as_of = d("2026-06-29");
    let m = measure(
        Metric::Margin12m,
        &Scope::Book,
        &stale,
        &fx.stats,
        d(AS_OF),
        &fx.cfg,
    );
    assert_eq!(m, None, "facts of another date");
}

#[test]
fn targets_must_fit_the_metric() {
    assert!(check_target(Metric::RetentionRate, 0.85).is_ok());
    let err = check_target(Metric::RetentionRate, 85.0).unwrap_err();
    assert!(
        err.english == "target 85 for retention_rate: must be a share from 0 to 1 (0.85 is 85 %)"
            && err.said.key == "pdca-invalid-target",
        "{err}"
    );
    assert!(check_target(Metric::AvgSatisfaction, 5.0).is_ok());
    assert!(check_target(Metric::AvgSatisfaction, 0.5).is_err());
    assert!(check_target(Metric::DeclineCount, 0.0).is_ok());
    assert!(check_target(Metric::Margin12m, -1.0).is_err());
    assert!(check_target(Metric::Margin12m, f64::INFINITY).is_err());
}

#[test]
fn values_read_as_people_expect() {
    assert_eq!(format_value(Metric::RetentionRate, 0.8126), "81.3 %");
    assert_eq!(format_value(Metric::AvgSatisfaction, 11.0 / 3.0), "3.67");
    assert_eq!(format_value(Metric::DeclineCount, 12.0), "12");
    assert_eq!(format_value(Metric::Margin12m, 12345.4), "12 345");
}
