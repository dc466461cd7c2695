use super::*;
use crate::domain::facts::settle;
use crate::domain::model::{Lost, LostReason};
use crate::domain::rhythm::BookRhythm;
use crate::domain::testkit::*;

const AS_OF: &str = "2026-06-30";

/// A steady customer: 10 purchases since 2024-01-01, the last 10 days ago, own gap 60
/// days (silent too long after 90, scores 2 from 150, churn after 365), margin 10 000 in
/// each window.
fn steady() -> CustomerFacts {
    let mut f = account("a")
        .order("2024-01-01", 1000.0, Some(100.0))
        .facts(AS_OF);
    f.purchase_days = 10;
    f.lifecycle_start = Some(d("2024-01-01"));
    f.last_order = Some(d("2026-06-20"));
    f.own_gap_days = Some(60.0);
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
        // Silence against the own gap: o > 1.5 (90 days) scores 1, o >= 2.5 (150) 2.
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
            "149 days",
            |f| f.last_order = Some(d("2026-02-01")),
            Maturity,
            1,
        ),
        (
            "exactly 150 days",
            |f| f.last_order = Some(d("2026-01-31")),
            Decline,
            2,
        ),
        // Two purchase days have no own gap: 121 days against the book's 90 is o = 1.34.
        (
            "gap with 2 purchases",
            |f| {
                f.purchase_days = 2;
                f.own_gap_days = None;
                f.last_order = Some(d("2026-03-01"))
            },
            Maturity,
            0,
        ),
        // The default book rhythm of 90 days: o exactly 1.5 at 135 days, 2.5 at 225.
        (
            "book rhythm, o = 1.5",
            |f| {
                f.own_gap_days = None;
                f.last_order = Some(d("2026-02-15"))
            },
            Maturity,
            0,
        ),
        (
            "book rhythm, o = 1.51",
            |f| {
                f.own_gap_days = None;
                f.last_order = Some(d("2026-02-14"))
            },
            Maturity,
            1,
        ),
        (
            "book rhythm, o = 2.49",
            |f| {
                f.own_gap_days = None;
                f.last_order = Some(d("2025-11-18"))
            },
            Maturity,
            1,
        ),
        (
            "book rhythm, o = 2.5",
            |f| {
                f.own_gap_days = None;
                f.last_order = Some(d("2025-11-17"))
            },
            Decline,
            2,
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
        // Churn after max(365, 3 × 60) = 365 days; a year's silence is 6 own gaps (scores 2).
        (
            "no order for 365 days",
            |f| f.last_order = Some(d("2025-06-30")),
            Churned,
            2,
        ),
        (
            "no order for 364 days",
            |f| f.last_order = Some(d("2025-07-01")),
            Decline,
            2,
        ),
        // Own gap 150: churn after 450 days.
        (
            "449 days, own gap 150",
            |f| {
                f.own_gap_days = Some(150.0);
                f.last_order = Some(d("2025-04-07"))
            },
            Decline,
            2,
        ),
        (
            "450 days, own gap 150",
            |f| {
                f.own_gap_days = Some(150.0);
                f.last_order = Some(d("2025-04-06"))
            },
            Churned,
            2,
        ),
        // Growth only while not overdue: young, but 136 days silent against the book's 90.
        (
            "young, o = 1.5",
            |f| {
                f.own_gap_days = None;
                f.lifecycle_start = Some(d("2026-01-01"));
                f.last_order = Some(d("2026-02-15"))
            },
            Growth,
            0,
        ),
        (
            "young, o = 1.51",
            |f| {
                f.own_gap_days = None;
                f.lifecycle_start = Some(d("2026-01-01"));
                f.last_order = Some(d("2026-02-14"))
            },
            Maturity,
            1,
        ),
        (
            "rising, but overdue",
            |f| {
                f.last_order = Some(d("2026-03-31"));
                f.margin_last = 12_000.0
            },
            Maturity,
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
                f.own_gap_days = None;
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
        f.own_gap_days = Some(150.0);
        f.last_order = Some(d("2025-04-06"));
    });
    assert_eq!(
        evidence(&churned, &cfg)[0],
        "no order for 450 days; churned after 450 days (3 × its own rhythm of 150 days)"
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
    // 609 days without an order (threshold max(365, 3 × the book's 90)): the order of
    // 2025-09-01 starts a new life. 302 days later, two purchase days have no own gap:
    // 302 ÷ 90 = 3.36 × the book rhythm scores 2, and a young lifecycle that is overdue is
    // not growth.
    let f = account("a")
        .order("2024-01-01", 100.0, Some(30.0))
        .order("2025-09-01", 100.0, Some(30.0))
        .facts(AS_OF);
    assert!(f.second_lifecycle);
    assert_eq!(f.stage, Stage::Decline);
    assert_eq!(
        evidence(&f, &Config::default()),
        [
            "decline score 2 (decline at 2)",
            "silence: no order for 302 days, 3.36 × the 90 days expected between orders (the book's default rhythm; too few orders for its own) (scores 2)",
            "no order for 302 days; churns after 365 days",
            "first order of this lifecycle 302 days ago (growth within 365 days, but overdue)",
            "second lifecycle: won back, ordering again since 2025-09-01 after 609 days without an order",
        ]
    );
    // Sixty days after the new life's second order it is growing.
    let young = account("a")
        .order("2024-01-01", 100.0, Some(30.0))
        .order("2025-09-01", 100.0, Some(30.0))
        .facts("2025-10-31");
    assert_eq!(young.stage, Stage::Growth);
    assert_eq!(
        evidence(&young, &Config::default())[0],
        "first order of this lifecycle 60 days ago (growth within 365 days)"
    );
    // A year later the new life is mature; the evidence still says where it came from.
    // Gaps 609, 242, 92: own gap 242, last order 60 days ago.
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

/// A one-time buyer, settled with a book rhythm.
fn buyer_on(date: &str, rhythm: BookRhythm) -> CustomerFacts {
    let mut f = account("a").order(date, 1000.0, Some(300.0)).facts(AS_OF);
    settle(&mut f, rhythm, &Config::default());
    f
}

/// ... 280 days ago.
fn one_time_buyer(rhythm: BookRhythm) -> CustomerFacts {
    buyer_on("2025-09-23", rhythm)
}

#[test]
fn silence_is_measured_against_the_book_rhythm_without_an_own_gap() {
    let book = |days| BookRhythm {
        days,
        measured: true,
        customers: 40,
    };
    // 280 ÷ 100 = 2.8 >= 2.5: scores 2; churn after max(365, 300) = 365; 280 >= 273.75 is
    // near it.
    let f = one_time_buyer(book(100.0));
    assert_eq!((f.stage, f.decline_score), (Stage::Decline, 2));
    assert_eq!(
        evidence(&f, &Config::default()),
        [
            "decline score 2 (decline at 2)",
            "silence: no order for 280 days, 2.8 × the 100 days expected between orders (the book's rhythm; too few orders for its own) (scores 2)",
            "no order for 280 days; churns after 365 days",
            "first order 280 days ago (growth within 365 days, but overdue)",
        ]
    );
    // 280 ÷ 160 = 1.75: scores 1, overdue: neither decline nor growth.
    let f = one_time_buyer(book(160.0));
    assert_eq!((f.stage, f.decline_score), (Stage::Maturity, 1));
    assert_eq!(
        evidence(&f, &Config::default())[1],
        "silence: no order for 280 days, 1.75 × the 160 days expected between orders (the book's rhythm; too few orders for its own) (scores 1)"
    );
    // 280 ÷ 190 = 1.47: not overdue, a young relationship grows; nearly silent
    // (280 > 0.75 × 285).
    let f = one_time_buyer(book(190.0));
    assert_eq!((f.stage, f.decline_score), (Stage::Growth, 0));
    assert_eq!(
        evidence(&f, &Config::default()),
        [
            "first order 280 days ago (growth within 365 days)",
            "decline score 0 (decline at 2)",
            "silence: no order for 280 days, 1.47 × the 190 days expected between orders (the book's rhythm; too few orders for its own) (nearly)",
        ]
    );
    // Churn from the rhythm, 400 days after a single order: max(365, 3 × 133 = 399) = 399
    // has passed, max(365, 3 × 134 = 402) has not; the default 90 gives 365.
    let f = buyer_on("2025-05-26", book(133.0));
    assert_eq!(f.stage, Stage::Churned);
    assert_eq!(
        evidence(&f, &Config::default())[0],
        "no order for 400 days; churned after 399 days (3 × the book's rhythm of 133 days)"
    );
    let f = buyer_on("2025-05-26", book(134.0));
    assert_eq!((f.stage, f.decline_score), (Stage::Decline, 2));
    assert_eq!(
        evidence(&f, &Config::default())[2],
        "no order for 400 days; churns after 402 days (3 × the book's rhythm of 134 days)"
    );
    // A book rhythm of 25.25 days (a median of medians) is shown as it is.
    let f = buyer_on(
        "2026-05-26",
        BookRhythm {
            days: 25.25,
            measured: true,
            customers: 31,
        },
    );
    assert_eq!(f.stage, Stage::Growth);
    assert_eq!(
        evidence(&f, &Config::default())[3],
        "silence: no order for 35 days, 1.39 × the 25.25 days expected between orders (the book's rhythm; too few orders for its own) (nearly)"
    );
    let f = buyer_on("2025-05-26", BookRhythm::default_for(&Config::default()));
    assert_eq!(f.stage, Stage::Churned);
    assert_eq!(
        evidence(&f, &Config::default())[0],
        "no order for 400 days; churned after 365 days"
    );
}

#[test]
fn own_gap_from_three_purchase_days_else_the_book_rhythm() {
    let book = BookRhythm {
        days: 100.0,
        measured: true,
        customers: 30,
    };
    // Orders 10 days apart, the last 16 days ago (2026-06-14).
    let two =
        account("a")
            .order("2026-06-04", 100.0, Some(30.0))
            .order("2026-06-14", 100.0, Some(30.0));
    let mut f = two.facts(AS_OF);
    settle(&mut f, book, &Config::default());
    // Two purchase days: 16 ÷ 100, quiet.
    assert_eq!(f.own_gap_days, None);
    assert_eq!(expected_gap(&f), (100.0, GapBasis::Book));
    assert_eq!((f.stage, f.decline_score), (Stage::Growth, 0));
    // Three: own gap 10, 16 ÷ 10 = 1.6 > 1.5 scores 1 and is overdue (no growth).
    let mut f = two.order("2026-05-25", 100.0, Some(30.0)).facts(AS_OF);
    settle(&mut f, book, &Config::default());
    assert_eq!(f.own_gap_days, Some(10.0));
    assert_eq!(expected_gap(&f), (10.0, GapBasis::Own));
    assert_eq!((f.stage, f.decline_score), (Stage::Maturity, 1));
    assert_eq!(
        evidence(&f, &Config::default())[1],
        "silence: no order for 16 days, 1.6 × the 10 days expected between orders (its own rhythm: the median gap between its 3 purchase days) (scores 1)"
    );
}
