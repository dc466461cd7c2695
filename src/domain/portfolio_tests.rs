use super::*;
use crate::domain::card::RelationshipType;
use crate::domain::model::Lost;
use crate::domain::stats::book_stats;
use crate::domain::testkit::*;

const AS_OF: &str = "2026-06-30";

fn facts(id: &str, owner: &str, stage: Stage, margin: f64, revenue: f64) -> CustomerFacts {
    let mut f = account(id).facts(AS_OF);
    f.owner = owner.into();
    f.stage = stage;
    f.margin_12m = margin;
    f.revenue_12m = revenue;
    if revenue > 0.0 {
        f.margin_rate = margin / revenue;
    }
    f
}

fn churned(id: &str, reason: Option<LostReason>, margin_before: f64) -> CustomerFacts {
    let mut f = facts(id, "alice", Stage::Churned, 0.0, 0.0);
    f.margin_before_last_order = margin_before;
    f.lost = reason.map(|reason| Lost {
        date: d("2026-01-01"),
        reason,
    });
    f
}

/// r = 0.8, d = 0.1: every value below is × 8/3.
fn book() -> Vec<CustomerFacts> {
    vec![
        // Potential 100 000 × 30 % = 30 000 -> 80 000.
        facts("p", "alice", Stage::Acquisition, 0.0, 0.0),
        facts("a", "alice", Stage::Maturity, 3000.0, 10_000.0),
        facts("b", "alice", Stage::Decline, 1500.0, 5000.0),
        facts("c", "bob", Stage::Growth, 300.0, 3000.0),
        // 600 -> 1 600 > 400: win back for 1 200.
        churned("x", Some(LostReason::Price), 600.0),
        // 100 -> 266.67 <= 400: not worth it.
        churned("y", None, 100.0),
        // 3 000 -> 8 000, but dropped deliberately.
        churned("z", Some(LostReason::Deliberate), 3000.0),
    ]
}

#[test]
fn a_small_book() {
    let cfg = Config::default();
    let facts = book();
    let stats = book_stats(&facts, d(AS_OF), &cfg);
    let p = portfolio(&facts, &stats, d(AS_OF), &cfg, 3.0);
    assert_eq!(p.customers, 7);

    assert_eq!(p.queues.acquire.customers, 1);
    assert_close(p.queues.acquire.expected_value, 80_000.0, "acquire");
    // a is the only platinum (ceil 3 × 5 % = 1); b is in decline, so not in retain.
    assert_eq!(p.queues.retain.customers, 1);
    assert_close(p.queues.retain.expected_value, 8000.0, "retain");
    assert_eq!(p.queues.win_back.customers, 2);
    assert_close(
        p.queues.win_back.expected_value,
        4000.0 + 1200.0,
        "win back",
    );
    let top: Vec<&str> = p
        .queues
        .win_back
        .top
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(top, ["b", "x"]);

    let tiers: Vec<(Tier, usize)> = p.tiers.iter().map(|t| (t.tier, t.customers)).collect();
    assert_eq!(
        tiers,
        [
            (Tier::Platinum, 1),
            (Tier::Gold, 0),
            (Tier::Iron, 2),
            (Tier::Lead, 0)
        ]
    );
    assert_close(p.tiers[2].crv, 4800.0, "iron crv");
    let stages: Vec<usize> = p.stages.iter().map(|s| s.customers).collect();
    assert_eq!(stages, [1, 1, 1, 1, 3]);

    // Profits 3 000, 1 500, 300: top ceil(0.6) = 1, bottom ceil(0.9) = 1.
    assert_eq!(p.pareto.top_customers, 1);
    assert_eq!(p.pareto.top_profit_share, Some(3000.0 / 4800.0));
    assert_eq!(p.pareto.bottom_profit_share, Some(300.0 / 4800.0));

    let churn: Vec<(&str, usize)> = p
        .churn
        .iter()
        .map(|c| (c.reason.as_str(), c.customers))
        .collect();
    assert_eq!(churn, [("price", 1), ("deliberate", 1), ("unrecorded", 1)]);
    assert_close(p.churn[2].profit_lost, 800.0 / 3.0, "unrecorded loss");
    assert_close(p.profit_lost, 1600.0 + 8000.0 + 800.0 / 3.0, "profit lost");
    assert_close(p.churn[0].share, 1.0 / 3.0, "share");

    // alice serves p, a, b (3, "few"); a and b at 30 % margin: proactive, 2 h each; 3 h
    // hold one: a. bob's c at 10 %: accountable, 1 h.
    let plans: Vec<(&str, Vec<&str>)> = p
        .capacity
        .iter()
        .map(|o| {
            (
                o.owner.as_str(),
                o.chosen.iter().map(|c| c.id.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(plans, [("alice", vec!["a"]), ("bob", vec!["c"])]);
    assert_eq!(
        p.capacity[0].chosen[0].relationship_type,
        RelationshipType::Proactive
    );
    assert_eq!(
        p.capacity[1].chosen[0].relationship_type,
        RelationshipType::Accountable
    );
    assert_eq!(p.capacity[0].left_out, 1);
}

/// Each queue's whole list is who the portfolio counts, most valuable first: the
/// prospect; a (platinum); b (in decline, 4 000) and x (price, worth 1 200) — not y (worth
/// too little) nor z (let go on purpose), nor c (iron).
#[test]
fn each_queue_lists_everyone_the_portfolio_counts() {
    let cfg = Config::default();
    let mut all = book();
    // A second prospect worth less than p, and one queue longer than `queue_list`.
    all.push(facts("q", "bob", Stage::Acquisition, 0.0, 0.0));
    all.last_mut().unwrap().category_spend = Some(1000.0);
    let stats = book_stats(&all, d(AS_OF), &cfg);
    let ids = |kind| -> Vec<String> {
        queue(&all, &stats, &cfg, kind)
            .into_iter()
            .map(|e| e.id)
            .collect()
    };
    assert_eq!(ids(QueueKind::Acquire), ["p", "q"]);
    assert_eq!(ids(QueueKind::Retain), ["a"]);
    assert_eq!(ids(QueueKind::WinBack), ["b", "x"]);
    let cfg_short = Config {
        portfolio: crate::domain::config::PortfolioConfig {
            queue_list: 1,
            ..cfg.portfolio.clone()
        },
        ..cfg.clone()
    };
    let p = portfolio(&all, &stats, d(AS_OF), &cfg_short, 3.0);
    assert_eq!(
        p.queues.acquire.top.len(),
        1,
        "the portfolio lists only the best"
    );
    assert_eq!(p.queues.acquire.customers, 2);
    assert_eq!(queue(&all, &stats, &cfg_short, QueueKind::Acquire).len(), 2);
    for (kind, q) in [
        (QueueKind::Acquire, &p.queues.acquire),
        (QueueKind::Retain, &p.queues.retain),
        (QueueKind::WinBack, &p.queues.win_back),
    ] {
        let listed = queue(&all, &stats, &cfg, kind);
        assert_eq!(listed.len(), q.customers, "{kind:?}");
        let total: f64 = listed.iter().map(|e| e.value).sum();
        assert_close(total, q.expected_value, "queue total");
    }
}

#[test]
fn pareto_split_by_hand() {
    let profits = vec![5.0, -10.0, 50.0, 0.0, 30.0, -20.0, 10.0, 5.0, -5.0, -15.0];
    let p = pareto(profits, &Config::default());
    // Sorted: 50 30 | 10 5 5 0 -5 | -10 -15 -20; total 50.
    assert_eq!((p.customers, p.total_profit), (10, 50.0));
    assert_eq!(
        (p.top_customers, p.top_profit, p.top_profit_share),
        (2, 80.0, Some(1.6))
    );
    assert_eq!(
        (p.bottom_customers, p.bottom_profit, p.bottom_profit_share),
        (3, -45.0, Some(-0.9))
    );
    let empty = pareto(vec![], &Config::default());
    assert_eq!((empty.top_customers, empty.top_profit_share), (0, None));
}

#[test]
fn size_bands_by_hand() {
    let sized = vec![
        (5000.0, 500.0),
        (100.0, 40.0),
        (300.0, 90.0),
        (900.0, 180.0),
        (200.0, 70.0),
    ];
    let bands = size_bands(sized, 2);
    // Ranks 0..2 = 100, 200; ranks 2..5 = 300, 900, 5 000.
    assert_eq!(bands.len(), 2);
    assert_eq!(
        (bands[0].customers, bands[0].revenue, bands[0].margin),
        (2, 300.0, 110.0)
    );
    assert_eq!(
        (bands[1].revenue_min, bands[1].revenue_max),
        (300.0, 5000.0)
    );
    assert_close(bands[1].margin_rate, 770.0 / 6200.0, "large band rate");
    assert!(size_bands(vec![], 5).is_empty());
    assert_eq!(size_bands(vec![(1.0, 1.0)], 5).len(), 1);
}
