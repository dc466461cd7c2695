use super::*;
use crate::domain::model::{Lost, LostReason};
use crate::domain::testkit::*;

const AS_OF: &str = "2026-06-30";

/// A steady customer: 10 purchases since 2024-01-01, the last 10 days ago, median gap 60
/// days (purchase-gap limit 90, churn after 365), margin 10 000 in each window.
fn steady() -> CustomerFacts {
    let mut f = account("a")
        .order("2024-01-01", 1000.0, Some(100.0))
        .facts(AS_OF);
    f.purchase_days = 10;
    f.lifecycle_start = Some(d("2024-01-01"));
    f.last_order = Some(d("2026-06-20"));
    f.median_gap_days = Some(60.0);
    f.margin_last = 10_000.0;
    f.margin_prior = 10_000.0;
    f
}

fn classified(edit: impl Fn(&mut CustomerFacts)) -> CustomerFacts {
    let mut f = steady();
    edit(&mut f);
    let (stage, score) = classify(&f, &Config::default());
    f.stage = stage;
    f.decline_score = score;
    f
}

#[test]
fn stage_rules_and_their_boundaries() {
    use Stage::*;
    type Edit = fn(&mut CustomerFacts);
    let cases: Vec<(&str, Edit, Stage, u32)> = vec![
        ("steady", |_| {}, Maturity, 0),
        // Value drop: <= 70 % scores 1, <= 50 % scores 2.
        ("margin at 70 %", |f| f.margin_last = 7000.0, Maturity, 1),
        ("margin at 70.01 %", |f| f.margin_last = 7001.0, Maturity, 0),
        ("margin at 50 %", |f| f.margin_last = 5000.0, Decline, 2),
        ("margin at 50.01 %", |f| f.margin_last = 5001.0, Maturity, 1),
        (
            "no margin in either window",
            |f| {
                f.margin_last = 0.0;
                f.margin_prior = 0.0
            },
            Maturity,
            0,
        ),
        // Purchase gap: > 1.5 × 60 = 90 days, needs 3 purchases.
        (
            "91 days since the last order",
            |f| f.last_order = Some(d("2026-03-31")),
            Maturity,
            1,
        ),
        (
            "exactly 90 days",
            |f| f.last_order = Some(d("2026-04-01")),
            Maturity,
            0,
        ),
        (
            "gap with 2 purchases",
            |f| {
                f.purchase_days = 2;
                f.last_order = Some(d("2026-03-01"))
            },
            Maturity,
            0,
        ),
        ("2 unanswered", |f| f.unanswered_streak = 2, Maturity, 1),
        ("1 unanswered", |f| f.unanswered_streak = 1, Maturity, 0),
        ("2 complaints", |f| f.complaints_last = 2, Maturity, 1),
        (
            "mean satisfaction 2.0",
            |f| {
                f.satisfaction_sum_last = 4.0;
                f.satisfaction_count_last = 2
            },
            Maturity,
            1,
        ),
        (
            "satisfaction 3 after 4",
            |f| {
                f.satisfaction_sum_last = 3.0;
                f.satisfaction_count_last = 1;
                f.satisfaction_sum_prior = 8.0;
                f.satisfaction_count_prior = 2;
            },
            Maturity,
            1,
        ),
        (
            "satisfaction 3.5 after 4",
            |f| {
                f.satisfaction_sum_last = 7.0;
                f.satisfaction_count_last = 2;
                f.satisfaction_sum_prior = 4.0;
                f.satisfaction_count_prior = 1;
            },
            Maturity,
            0,
        ),
        (
            "payment delayed",
            |f| f.payment_delayed_last = 1,
            Maturity,
            1,
        ),
        (
            "price objection alone is no warning sign",
            |f| f.price_objection_last = 3,
            Maturity,
            0,
        ),
        (
            "two signals",
            |f| {
                f.unanswered_streak = 3;
                f.competitor_last = 1
            },
            Decline,
            2,
        ),
        // Churn after max(365, 3 × 60) = 365 days.
        (
            "no order for 365 days",
            |f| f.last_order = Some(d("2025-06-30")),
            Churned,
            1,
        ),
        (
            "no order for 364 days",
            |f| f.last_order = Some(d("2025-07-01")),
            Maturity,
            1,
        ),
        // Median gap 150: churn after 450 days.
        (
            "449 days, median 150",
            |f| {
                f.median_gap_days = Some(150.0);
                f.last_order = Some(d("2025-04-07"))
            },
            Maturity,
            1,
        ),
        (
            "450 days, median 150",
            |f| {
                f.median_gap_days = Some(150.0);
                f.last_order = Some(d("2025-04-06"))
            },
            Churned,
            1,
        ),
        (
            "marked lost",
            |f| {
                f.lost = Some(Lost {
                    date: d("2026-06-01"),
                    reason: LostReason::Price,
                })
            },
            Churned,
            0,
        ),
        (
            "no order yet",
            |f| {
                f.purchase_days = 0;
                f.last_order = None;
                f.lifecycle_start = None;
                f.median_gap_days = None;
                f.margin_last = 0.0;
                f.margin_prior = 0.0;
            },
            Acquisition,
            0,
        ),
        (
            "lost prospect",
            |f| {
                f.purchase_days = 0;
                f.last_order = None;
                f.lifecycle_start = None;
                f.lost = Some(Lost {
                    date: d("2026-06-01"),
                    reason: LostReason::Involuntary,
                });
            },
            Churned,
            0,
        ),
        // Growth: first order of this lifecycle < 365 days ago, or margin >= 120 %.
        (
            "first order 364 days ago",
            |f| f.lifecycle_start = Some(d("2025-07-01")),
            Growth,
            0,
        ),
        (
            "first order 365 days ago",
            |f| f.lifecycle_start = Some(d("2025-06-30")),
            Maturity,
            0,
        ),
        ("margin at 120 %", |f| f.margin_last = 12_000.0, Growth, 0),
        (
            "margin at 119.99 %",
            |f| f.margin_last = 11_999.0,
            Maturity,
            0,
        ),
        (
            "margin after none",
            |f| {
                f.margin_prior = 0.0;
                f.margin_last = 100.0
            },
            Growth,
            0,
        ),
        (
            "decline wins over growth",
            |f| {
                f.lifecycle_start = Some(d("2026-01-01"));
                f.unanswered_streak = 2;
                f.complaints_last = 2;
            },
            Decline,
            2,
        ),
        (
            "second lifecycle, young",
            |f| {
                f.second_lifecycle = true;
                f.lifecycle_start = Some(d("2026-03-01"))
            },
            Growth,
            0,
        ),
    ];
    for (name, edit, stage, score) in cases {
        let f = classified(edit);
        assert_eq!((f.stage, f.decline_score), (stage, score), "{name}");
    }
}

#[test]
fn evidence_names_the_figures() {
    let f = classified(|f| {
        f.margin_last = 4200.0;
        f.margin_prior = 9800.0;
    });
    assert_eq!(f.stage, Stage::Decline);
    assert_eq!(
        evidence(&f, &Config::default()),
        [
            "decline score 2 (decline at 2)",
            "value drop: margin last 90 days 4 200, prior 90 days 9 800: −57 % (scores 2)",
        ]
    );
}

#[test]
fn evidence_shows_near_misses_after_the_deciding_rule() {
    let f = classified(|f| {
        f.lifecycle_start = Some(d("2026-01-01"));
        f.unanswered_streak = 1;
        f.margin_last = 8000.0;
    });
    assert_eq!(f.stage, Stage::Growth);
    assert_eq!(
        evidence(&f, &Config::default()),
        [
            "first order 180 days ago (growth within 365 days)",
            "decline score 0 (decline at 2)",
            "value drop: margin last 90 days 8 000, prior 90 days 10 000: −20 % (nearly)",
            "unanswered: the last outbound contact got no response (nearly)",
        ]
    );
}

#[test]
fn evidence_for_churn_acquisition_and_a_quiet_maturity() {
    let cfg = Config::default();
    let churned = classified(|f| {
        f.median_gap_days = Some(150.0);
        f.last_order = Some(d("2025-04-06"));
    });
    assert_eq!(
        evidence(&churned, &cfg)[0],
        "no order for 450 days; churned after 450 days (3 × median gap 150 days)"
    );
    let nearly = classified(|f| f.last_order = Some(d("2025-09-30")));
    // 273 days < 0.75 × 365 = 273.75: quiet; 274 days: nearly.
    assert!(!evidence(&nearly, &cfg)
        .iter()
        .any(|l| l.starts_with("no order for")));
    let unanswered = classified(|f| f.unanswered_streak = 3);
    assert!(evidence(&unanswered, &cfg).contains(
        &"unanswered: the last 3 outbound contacts got no response (scores 1)".to_string()
    ));
    let nearly = classified(|f| f.last_order = Some(d("2025-09-29")));
    assert!(evidence(&nearly, &cfg)
        .contains(&"no order for 274 days; churns after 365 days".to_string()));

    let prospect = account("p").facts(AS_OF);
    assert_eq!(evidence(&prospect, &cfg), ["no order yet"]);

    let quiet = classified(|_| {});
    assert_eq!(
        evidence(&quiet, &cfg),
        ["stable: no decline signal, first order 911 days ago, margin last 90 days 10 000, prior 90 days 10 000: +0 %"]
    );
}

#[test]
fn second_lifecycle_is_explained() {
    // 609 days without an order (threshold 365): the order of 2025-09-01 starts a new life.
    let f = account("a")
        .order("2024-01-01", 100.0, Some(30.0))
        .order("2025-09-01", 100.0, Some(30.0))
        .facts(AS_OF);
    assert!(f.second_lifecycle);
    assert_eq!(f.stage, Stage::Growth);
    assert_eq!(
        evidence(&f, &Config::default()),
        [
            "first order of this lifecycle 302 days ago (growth within 365 days)",
            "second lifecycle: won back, ordering again since 2025-09-01 after 609 days without an order",
        ]
    );
    // A year later the new life is mature; the evidence still says where it came from.
    let later = account("a")
        .order("2024-01-01", 100.0, Some(30.0))
        .order("2025-09-01", 100.0, Some(30.0))
        .order("2026-05-01", 100.0, Some(30.0))
        .order("2026-08-01", 100.0, Some(30.0))
        .facts("2026-09-30");
    assert_eq!(later.stage, Stage::Maturity);
    let lines = evidence(&later, &Config::default());
    assert!(
        lines[0].starts_with("stable: no decline signal, first order 394 days ago"),
        "{lines:?}"
    );
    assert!(lines[1].starts_with("second lifecycle"), "{lines:?}");
}
