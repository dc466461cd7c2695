use super::*;
use crate::domain::card::{ActionCode, Level, RelationshipType, Stage};
use crate::domain::facts::customer_facts;
use crate::domain::model::{BondLevel, Direction, GoalDirection, Outcome, Purpose, TaskOrigin};
use crate::domain::rhythm::BookRhythm;
use crate::domain::stats::book_stats;
use crate::domain::testkit::*;

const AS_OF: &str = "2026-06-30";

fn cycle(id: u64, scope: Scope, phase: Phase, created: &str) -> Cycle {
    Cycle {
        id,
        title: format!("cycle {id}"),
        scope,
        owner: "alice".into(),
        created: d(created),
        phase,
        metric: None,
        direction: GoalDirection::Raise,
        baseline: None,
        target: None,
        check_date: None,
        plan_notes: String::new(),
        actions: vec![],
        result: None,
        decision: None,
        lessons: String::new(),
        previous: None,
        next: None,
    }
}

/// Monthly orders from 2024-06-15 to 2026-06-15 (margin 100 on 1 000), one more on
/// 2026-06-20 and one after as_of; 25 outbound calls in June 2026 and one after as_of.
fn acme() -> Account {
    let mut a = account("acme");
    let mut month = d("2024-06-15");
    while month <= d("2026-06-15") {
        a = a.order(&month.to_string(), 1000.0, Some(100.0));
        month = month.saturating_add(jiff::Span::new().months(1));
    }
    a = a
        .order("2026-06-20", 500.0, Some(50.0))
        .order("2026-07-01", 9000.0, Some(900.0));
    for day in 1..=25 {
        let at = format!("2026-06-{day:02}");
        a = a.talk(contact(
            &at,
            Direction::Outbound,
            Purpose::Sales,
            Outcome::Positive,
        ));
    }
    a.talk(contact(
        "2026-07-01",
        Direction::Outbound,
        Purpose::Sales,
        Outcome::Positive,
    ))
    .bond(BondLevel::Financial, "2024-01-01", None)
    .bond(BondLevel::Social, "2025-01-01", Some(AS_OF))
    .bond(BondLevel::Structural, "2027-01-01", None)
    .task(1, "2026-07-10", TaskOrigin::NextBestAction, None)
    .task(2, "2026-06-01", TaskOrigin::FollowUp, Some("2026-06-02"))
    .task(3, "2026-06-25", TaskOrigin::FollowUp, None)
}

fn card_of(account: &Account, cycles: &[Cycle]) -> Card {
    let cfg = Config::default();
    let facts = customer_facts(account, d(AS_OF), &cfg, BookRhythm::default_for(&cfg));
    let stats = book_stats(std::slice::from_ref(&facts), d(AS_OF), &cfg);
    card(account, &facts, &stats, cycles, d(AS_OF), &cfg)
}

#[test]
fn a_full_card() {
    let cycles = [
        cycle(1, Scope::Customer("acme".into()), Phase::Do, "2026-05-01"),
        cycle(
            2,
            Scope::Customer("other".into()),
            Phase::Plan,
            "2026-05-01",
        ),
        cycle(3, Scope::Book, Phase::Plan, "2026-05-01"),
        cycle(4, Scope::Customer("acme".into()), Phase::Plan, "2026-07-01"),
    ];
    let c = card_of(&acme(), &cycles);
    // Last 90 days 350 (4 orders), prior 300: +17 %, nearly growth; mature since 2024.
    assert_eq!(c.stage, Stage::Maturity);
    assert!(!c.second_lifecycle);
    assert!(c
        .stage_evidence
        .iter()
        .any(|l| l == "rising: margin last 90 days 350, prior 90 days 300: +17 % (nearly)"));
    // The future structural bond is not shown; the social one ended on as_of.
    assert_eq!(c.level, Level::Financial);
    assert_eq!(c.level_note, None);
    let bonds: Vec<(BondLevel, bool)> = c.bonds.iter().map(|b| (b.level, b.active)).collect();
    assert_eq!(
        bonds,
        [(BondLevel::Financial, true), (BondLevel::Social, false)]
    );
    // One customer for alice, margin rate 10 %: accountable. 25 outbound calls plus an
    // open cycle scoped to the customer: partnership.
    assert_eq!(
        c.relationship_type.recommended,
        RelationshipType::Accountable
    );
    assert_eq!(c.relationship_type.actual, RelationshipType::Partnership);
    assert_eq!(c.cycles.iter().map(|c| c.id).collect::<Vec<_>>(), [1]);
    // 20 newest interactions dated on or before as_of, newest first.
    assert_eq!(c.recent_interactions.len(), 20);
    assert_eq!(
        c.recent_interactions[0].at,
        "2026-06-25T12:00:00Z".parse().unwrap()
    );
    assert_eq!(
        c.recent_interactions[19].at,
        "2026-06-06T12:00:00Z".parse().unwrap()
    );
    assert_eq!(c.last_contact, Some(d("2026-06-25")));
    // 24 months, July 2024 to June 2026; the order after as_of is not counted.
    assert_eq!(c.monthly_margin.len(), 24);
    assert_eq!(c.monthly_margin[0].month, "2024-07");
    assert_eq!(c.monthly_margin[0].margin, 100.0);
    assert_eq!(c.monthly_margin[23].month, "2026-06");
    assert_eq!(c.monthly_margin[23].margin, 150.0);
    // Open tasks by due date; the done one is gone.
    assert_eq!(
        c.open_tasks.iter().map(|t| t.id).collect::<Vec<_>>(),
        [3, 1]
    );
    assert_eq!(c.next_actions[0].code, ActionCode::FollowUpOverdue);
    // 12 months: 12 orders × 100 + 50 = 1 250 margin on 12 500 revenue.
    assert_eq!(c.value.margin_12m, 1250.0);
    assert_eq!(c.value.revenue_12m, 12_500.0);
    assert_eq!(c.value.cost_to_serve, 125.0);
    assert_eq!(c.tier, Some(crate::domain::card::Tier::Platinum));

    let s = summary(&c);
    assert_eq!(s.top_action, Some(ActionCode::FollowUpOverdue));
    assert_eq!(s.top_action_due, Some(d(AS_OF)));
    assert_eq!(s.next_due, Some(d("2026-06-25")));
    assert_eq!((s.stage, s.level, s.tier), (c.stage, c.level, c.tier));
    assert_eq!(s.crv, c.value.crv);
}

#[test]
fn without_an_open_cycle_the_actual_type_is_proactive() {
    let closed = [cycle(
        1,
        Scope::Customer("acme".into()),
        Phase::Closed,
        "2026-05-01",
    )];
    let c = card_of(&acme(), &closed);
    assert_eq!(c.relationship_type.actual, RelationshipType::Proactive);
    assert_eq!(c.cycles.len(), 1);
}

#[test]
fn a_customer_created_after_as_of_is_a_prospect() {
    let a = account("new").with(|a| a.customer.created = d("2026-08-01"));
    let c = card_of(&a, &[]);
    assert_eq!(c.stage, Stage::Acquisition);
    assert_eq!(c.tier, None);
    assert_eq!(c.next_actions[0].code, ActionCode::QualifyProspect);
    assert!(c.monthly_margin.iter().all(|m| m.margin == 0.0));
}

#[test]
fn the_card_speaks_the_contract() {
    let c = card_of(&acme(), &[]);
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(json["stage"], "maturity");
    assert_eq!(json["level"], "financial");
    assert_eq!(json["quadrant"], "IV");
    assert_eq!(json["tier"], "platinum");
    assert_eq!(json["relationship_type"]["recommended"], "accountable");
    assert_eq!(json["next_actions"][0]["code"], "follow_up_overdue");
    assert_eq!(json["next_actions"][0]["due"], AS_OF);
    assert!(json["value"]["share_of_wallet"].is_number());
    // Codes are spelled as in the contract, not by serde's snake_case of the variant.
    let spelled = |v: serde_json::Value| v.as_str().unwrap_or_default().to_string();
    for q in crate::domain::card::Quadrant::ALL {
        assert_eq!(spelled(serde_json::to_value(q).unwrap()), q.code());
    }
    let metric = crate::domain::model::Metric::Margin12m;
    assert_eq!(spelled(serde_json::to_value(metric).unwrap()), "margin_12m");
}
