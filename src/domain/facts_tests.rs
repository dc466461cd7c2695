use super::*;
use crate::domain::model::{Direction::*, LostReason, Outcome::*, Purpose, Signal as S};
use crate::domain::rhythm::BookRhythm;
use crate::domain::testkit::*;

const AS_OF: &str = "2026-06-30";

#[test]
fn order_windows_have_exact_boundaries() {
    // (order date, margin) -> (last 90, prior 90, 12 months, ordered last year, year before).
    // as_of − 90 = 2026-04-01, − 180 = 2026-01-01, − 365 = 2025-06-30, − 730 = 2024-06-30.
    let cases = [
        ("2026-06-30", (100.0, 0.0, 100.0, true, false)),
        ("2026-04-02", (100.0, 0.0, 100.0, true, false)),
        ("2026-04-01", (0.0, 100.0, 100.0, true, false)),
        ("2026-01-02", (0.0, 100.0, 100.0, true, false)),
        ("2026-01-01", (0.0, 0.0, 100.0, true, false)),
        ("2025-07-01", (0.0, 0.0, 100.0, true, false)),
        ("2025-06-30", (0.0, 0.0, 0.0, false, true)),
        ("2024-07-01", (0.0, 0.0, 0.0, false, true)),
        ("2024-06-30", (0.0, 0.0, 0.0, false, false)),
        // After as_of: does not exist yet.
        ("2026-07-01", (0.0, 0.0, 0.0, false, false)),
    ];
    for (date, (last, prior, year, ly, ybl)) in cases {
        let f = account("a").order(date, 1000.0, Some(100.0)).facts(AS_OF);
        assert_eq!(
            (
                f.margin_last,
                f.margin_prior,
                f.margin_12m,
                f.ordered_last_year,
                f.ordered_year_before_last
            ),
            (last, prior, year, ly, ybl),
            "order on {date}"
        );
    }
}

#[test]
fn missing_margin_uses_the_default_rate() {
    let f = account("a")
        .order("2026-06-01", 1000.0, None)
        .order("2026-06-02", 1000.0, Some(500.0))
        .facts(AS_OF);
    assert_close(f.margin_12m, 300.0 + 500.0, "margin");
    assert_close(f.revenue_12m, 2000.0, "revenue");
    assert_close(f.margin_rate, 0.4, "margin rate");
}

#[test]
fn margin_rate_falls_back_to_all_orders_then_default() {
    let old = account("a")
        .order("2020-01-01", 1000.0, Some(100.0))
        .facts(AS_OF);
    assert_close(old.margin_rate, 0.1, "lifetime rate");
    let none = account("a").facts(AS_OF);
    assert_close(none.margin_rate, 0.3, "default rate");
    assert_eq!(none.purchase_days, 0);
    assert_eq!(none.first_order, None);
}

#[test]
fn empty_history() {
    let f = account("a").facts(AS_OF);
    assert_eq!(f.stage, Stage::Acquisition);
    assert_eq!(f.last_contact, None);
    assert_eq!(f.own_gap_days, None);
    assert_eq!(f.interactions_12m, 0);
    assert_eq!(f.level, Level::None);
    assert_eq!(f.actual_type, RelationshipType::Basic);
}

#[test]
fn interactions_count_by_utc_date() {
    let cases = [
        ("2026-06-30T23:59:59Z", 1),
        ("2026-07-01T00:00:00Z", 0),
        // 21:00 UTC on the 30th.
        ("2026-07-01T05:00:00+08:00", 1),
        // 16:00 UTC on the 30th of March 2026: exactly 92 days before: in the 12 months.
        ("2026-03-30T16:00:00Z", 1),
        // as_of − 365 = 2025-06-30: outside the year.
        ("2025-06-30T12:00:00Z", 0),
    ];
    for (at, in_year) in cases {
        let f = account("a")
            .talk(contact(at, Outbound, Purpose::Sales, Positive))
            .facts(AS_OF);
        assert_eq!(f.interactions_12m, in_year, "{at}");
    }
    let f = account("a")
        .talk(contact(
            "2026-07-01T05:00:00+08:00",
            Inbound,
            Purpose::Sales,
            Positive,
        ))
        .facts(AS_OF);
    assert_eq!(f.last_contact, Some(d("2026-06-30")));
}

#[test]
fn contact_counters() {
    let f = account("a")
        // Outside the 180-day intensity window (as_of − 180 = 2026-01-01).
        .talk(contact("2026-01-01", Outbound, Purpose::Sales, Positive))
        .talk(contact("2026-01-02", Inbound, Purpose::Inquiry, Positive))
        // Prior 90 days: (2026-01-01, 2026-04-01].
        .talk(rated(
            contact("2026-03-01", Outbound, Purpose::Service, Positive),
            5,
        ))
        .talk(rated(
            contact("2026-04-01", Inbound, Purpose::Service, Positive),
            4,
        ))
        // Last 90 days.
        .talk(rated(
            contact("2026-04-02", Inbound, Purpose::Complaint, Negative),
            2,
        ))
        .talk(signal(
            signal(
                contact("2026-05-01", Inbound, Purpose::Sales, Negative),
                S::CompetitorMentioned,
            ),
            S::PriceObjection,
        ))
        .talk(signal(
            contact("2026-06-01", Outbound, Purpose::Sales, NoResponse),
            S::ReferralGiven,
        ))
        .talk(signal(
            contact("2026-06-10", Outbound, Purpose::FollowUp, NoResponse),
            S::PaymentDelayed,
        ))
        .talk(contact("2026-06-20", Inbound, Purpose::Social, Neutral))
        .facts(AS_OF);
    // 2026-01-02 is 179 days back: inside the window.
    assert_eq!(f.inbound_recent, 5);
    assert_eq!(f.outbound_recent, 3);
    assert_eq!(f.interactions_12m, 9);
    assert_close(f.cost_to_serve_12m, 45.0, "9 phone calls × 5");
    assert_eq!(f.referrals_12m, 1);
    // The inbound contact after the two no-responses does not break the outbound streak.
    assert_eq!(f.unanswered_streak, 2);
    assert_eq!(f.complaints_last, 2);
    assert_eq!(
        (f.satisfaction_sum_last, f.satisfaction_count_last),
        (2.0, 1)
    );
    assert_eq!(
        (f.satisfaction_sum_prior, f.satisfaction_count_prior),
        (9.0, 2)
    );
    assert_eq!(
        (
            f.competitor_last,
            f.payment_delayed_last,
            f.price_objection_last
        ),
        (1, 1, 1)
    );
    assert_eq!(f.last_contact, Some(d("2026-06-20")));
}

#[test]
fn unanswered_streak_stops_at_an_answer() {
    let f = account("a")
        .talk(contact("2026-06-01", Outbound, Purpose::Sales, NoResponse))
        .talk(contact("2026-06-02", Outbound, Purpose::Sales, Positive))
        .talk(contact("2026-06-03", Outbound, Purpose::Sales, NoResponse))
        .facts(AS_OF);
    assert_eq!(f.unanswered_streak, 1);
}

#[test]
fn gaps_and_second_lifecycle() {
    // Gaps 31 and 29 days: median 30, churn threshold max(365, 90) = 365.
    let base = account("a")
        .order("2024-01-01", 100.0, Some(10.0))
        .order("2024-02-01", 100.0, Some(10.0))
        .order("2024-03-01", 100.0, Some(10.0))
        // Same day: one purchase.
        .order("2024-03-01", 100.0, Some(10.0));
    let f = base.facts(AS_OF);
    assert_eq!(f.purchase_days, 3);
    assert_eq!(f.own_gap_days, Some(30.0));
    assert!(!f.second_lifecycle);
    assert_close(f.margin_before_last_order, 40.0, "last active year");

    // 457 days later (> 365): won back.
    let back = base
        .clone()
        .order("2025-06-01", 100.0, Some(10.0))
        .facts(AS_OF);
    assert!(back.second_lifecycle);
    assert_eq!(back.lifecycle_start, Some(d("2025-06-01")));
    assert_eq!(back.won_back_after_days, Some(457));
    assert_eq!(back.first_order, Some(d("2024-01-01")));
    // Median of 29, 31, 457.
    assert_eq!(back.own_gap_days, Some(31.0));

    // A gap of exactly 365 days never left a churned day; 366 did.
    let exact = account("a")
        .order("2024-01-01", 100.0, None)
        .order("2024-12-31", 100.0, None)
        .facts(AS_OF);
    assert!(!exact.second_lifecycle);
    let over = account("a")
        .order("2024-01-01", 100.0, None)
        .order("2025-01-01", 100.0, None)
        .facts(AS_OF);
    assert!(over.second_lifecycle);
    assert_eq!(over.lifecycle_start, Some(d("2025-01-01")));
}

/// A past gap with fewer than 3 purchase days before it is judged against the book rhythm
/// as of as_of; a later one against the own gap of the purchase days before it.
#[test]
fn past_gaps_are_judged_by_the_rhythm_of_their_time() {
    let cfg = Config::default();
    let book = |days| BookRhythm {
        days,
        measured: true,
        customers: 30,
    };
    // One gap of 400 days: the book's default 90 gives max(365, 270) = 365 < 400.
    let early = account("a")
        .order("2024-06-01", 100.0, None)
        .order("2025-07-06", 100.0, None);
    let mut f = early.facts(AS_OF);
    assert_eq!(f.breaks.early.len(), 1);
    assert_eq!(f.breaks.early[0].days, 400);
    assert!(f.second_lifecycle);
    assert_eq!(f.lifecycle_start, Some(d("2025-07-06")));
    assert_eq!(f.won_back_after_days, Some(400));
    // A book rhythm of 134 days: max(365, 402) > 400, one lifecycle.
    settle(&mut f, book(134.0), &cfg);
    assert!(!f.second_lifecycle);
    assert_eq!(f.lifecycle_start, Some(d("2024-06-01")));
    assert_eq!(f.won_back_after_days, None);
    // 133: max(365, 399) < 400, won back again.
    settle(&mut f, book(133.0), &cfg);
    assert_eq!(f.lifecycle_start, Some(d("2025-07-06")));

    // Gaps 10 and 10, then 400: three purchase days before it, own gap 10, threshold 365;
    // the book rhythm does not matter.
    let late = account("a")
        .order("2024-05-12", 100.0, None)
        .order("2024-05-22", 100.0, None)
        .order("2024-06-01", 100.0, None)
        .order("2025-07-06", 100.0, None);
    let mut f = late.facts(AS_OF);
    assert_eq!(f.breaks.early.len(), 2);
    assert_eq!(f.breaks.late.map(|g| g.days), Some(400));
    settle(&mut f, book(200.0), &cfg);
    assert!(f.second_lifecycle);
    assert_eq!(f.lifecycle_start, Some(d("2025-07-06")));
    // Own gap median(10, 10, 400) = 10.
    assert_eq!(f.own_gap_days, Some(10.0));
}

#[test]
fn lost_marker_in_force_won_back_or_future() {
    let base = account("a").order("2025-01-01", 100.0, Some(50.0));
    let lost = base
        .clone()
        .lost("2025-12-01", LostReason::Price)
        .facts(AS_OF);
    assert_eq!(lost.lost.map(|l| l.reason), Some(LostReason::Price));
    assert_eq!(lost.stage, Stage::Churned);

    let back = base
        .clone()
        .lost("2025-12-01", LostReason::Price)
        .order("2026-03-01", 100.0, Some(50.0))
        .facts(AS_OF);
    assert_eq!(back.lost, None);
    assert!(back.second_lifecycle);
    assert_eq!(back.lifecycle_start, Some(d("2026-03-01")));
    assert_eq!(back.won_back_after_days, Some(424));

    let future = account("a")
        .order("2026-06-01", 100.0, Some(50.0))
        .lost("2026-07-01", LostReason::Price)
        .facts(AS_OF);
    assert_eq!(future.lost, None);
    assert_ne!(future.stage, Stage::Churned);
}

#[test]
fn tasks_and_follow_ups() {
    use TaskOrigin::*;
    let f = account("a")
        .task(1, "2026-06-29", FollowUp, None)
        .task(2, "2026-06-30", FollowUp, None)
        .task(3, "2026-06-01", FollowUp, Some("2026-06-15"))
        // Done after as_of: still open on as_of.
        .task(4, "2026-06-10", FollowUp, Some("2026-07-02"))
        .task(5, "2026-05-01", NextBestAction, None)
        .facts(AS_OF);
    assert_eq!(f.open_follow_ups, 3);
    assert_eq!(f.overdue_follow_ups, 2);
    assert_eq!(f.oldest_overdue, Some(d("2026-06-10")));
    assert_eq!(f.next_due, Some(d("2026-05-01")));
}

#[test]
fn unsorted_histories_are_read_by_date() {
    let mut a = account("a")
        .order("2026-06-01", 100.0, Some(10.0))
        .order("2026-06-10", 100.0, Some(10.0))
        .order("2026-06-20", 100.0, Some(10.0));
    a.orders.reverse();
    let f = a.facts(AS_OF);
    assert_eq!(f.last_order, Some(d("2026-06-20")));
    // Gaps 9 and 10.
    assert_eq!(f.own_gap_days, Some(9.5));
}

#[test]
fn facts_round_trip_through_serde() {
    let f = account("a").order("2026-06-01", 100.0, None).facts(AS_OF);
    let json = serde_json::to_string(&f).unwrap();
    let back: CustomerFacts = serde_json::from_str(&json).unwrap();
    assert_eq!(back, f);
}
