//! The demo book's PDCA cycles: a chain of three turns of the spiral (two closed with
//! "adjust", the third under way), and single cycles in do, check, plan and closed.

use super::history::Clock;
use super::Shape;
use crate::domain::model::{
    Account, ActDecision, CheckResult, Cycle, CycleAction, GoalDirection, Metric, Phase, Scope,
};

/// Figures are scaled to the book: the decline count is about the decline shapes' count.
pub(crate) fn cycles(clock: &Clock, accounts: &[Account], shapes: &[Shape]) -> Vec<Cycle> {
    let declining = shapes
        .iter()
        .filter(|s| **s == Shape::Decline)
        .count()
        .max(4) as f64;
    let round = |v: f64| v.round();
    let action = |text: &str, due: i64, done: Option<i64>| CycleAction {
        text: text.to_string(),
        due: Some(clock.date(due)),
        done: done.map(|ago| clock.date(ago)),
    };
    let blank = |id: u64, title: &str, scope: Scope, owner: &str, created: i64| Cycle {
        id,
        title: title.to_string(),
        scope,
        owner: owner.to_string(),
        created: clock.date(created),
        phase: Phase::Plan,
        metric: None,
        direction: GoalDirection::Raise,
        baseline: None,
        target: None,
        check_date: None,
        plan_notes: String::new(),
        actions: Vec::new(),
        result: None,
        decision: None,
        lessons: String::new(),
        previous: None,
        next: None,
    };

    let (b1, r1, r2) = (
        round(declining * 1.3),
        round(declining * 1.2),
        round(declining * 1.1),
    );
    let first = Cycle {
        phase: Phase::Closed,
        metric: Some(Metric::DeclineCount),
        direction: GoalDirection::Lower,
        baseline: Some(b1),
        target: Some(round(b1 * 0.8)),
        check_date: Some(clock.date(210)),
        plan_notes: "Call every declining customer within two days of the warning.".into(),
        actions: vec![
            action("Daily decline list in the morning meeting", 290, Some(289)),
            action("Call scripts for the six decline reasons", 280, Some(275)),
        ],
        result: Some(CheckResult {
            value: r1,
            met: false,
            on: clock.date(210),
        }),
        decision: Some(ActDecision::Adjust),
        lessons: "Calls came too late: warnings were seen only weekly.".into(),
        next: Some(2),
        ..blank(1, "Fewer customers in decline", Scope::Book, "alice", 300)
    };
    let second = Cycle {
        phase: Phase::Closed,
        metric: Some(Metric::DeclineCount),
        direction: GoalDirection::Lower,
        baseline: Some(r1),
        target: Some(round(b1 * 0.8)),
        check_date: Some(clock.date(115)),
        plan_notes: "Carry over: warnings pushed to the owner the same day.".into(),
        actions: vec![
            action("Agenda shows decline warnings first", 195, Some(190)),
            action("Service recovery budget for complaints", 180, Some(170)),
        ],
        result: Some(CheckResult {
            value: r2,
            met: false,
            on: clock.date(115),
        }),
        decision: Some(ActDecision::Adjust),
        lessons: "Faster calls helped; price-driven declines need an offer, not a call.".into(),
        previous: Some(1),
        next: Some(3),
        ..blank(
            2,
            "Fewer customers in decline (2)",
            Scope::Book,
            "alice",
            205,
        )
    };
    let third = Cycle {
        phase: Phase::Do,
        metric: Some(Metric::DeclineCount),
        direction: GoalDirection::Lower,
        baseline: Some(r2),
        target: Some(round(b1 * 0.75)),
        check_date: Some(clock.date(-40)),
        plan_notes: "Carry over: retention offers for price-driven declines.".into(),
        actions: vec![
            action(
                "Retention offer approved for price objections",
                100,
                Some(98),
            ),
            action("Review offers with finance", -10, None),
        ],
        previous: Some(2),
        ..blank(
            3,
            "Fewer customers in decline (3)",
            Scope::Book,
            "alice",
            110,
        )
    };
    let checking = Cycle {
        phase: Phase::Check,
        metric: Some(Metric::ContactsPerCustomer),
        baseline: Some(1.4),
        target: Some(2.0),
        check_date: Some(clock.date(3)),
        plan_notes: "Monthly outbound check-ins for the gold accounts.".into(),
        actions: vec![action(
            "Book check-in calls for gold accounts",
            60,
            Some(55),
        )],
        result: Some(CheckResult {
            value: 1.7,
            met: false,
            on: clock.date(3),
        }),
        ..blank(
            4,
            "More regular contact",
            Scope::Owner("bob".into()),
            "bob",
            95,
        )
    };
    let doing = Cycle {
        phase: Phase::Do,
        metric: Some(Metric::ShareOfWallet),
        baseline: Some(0.31),
        target: Some(0.4),
        check_date: Some(clock.date(-60)),
        plan_notes: "Bundle offers for manufacturing customers.".into(),
        actions: vec![
            action("Design the spare-parts bundle", 20, Some(18)),
            action("Present the bundle to the top ten", -15, None),
        ],
        ..blank(
            5,
            "Bigger share of wallet",
            Scope::Segment("manufacturing".into()),
            "li.na",
            40,
        )
    };
    let standardised = Cycle {
        phase: Phase::Closed,
        metric: Some(Metric::AvgSatisfaction),
        baseline: Some(3.6),
        target: Some(4.0),
        check_date: Some(clock.date(400)),
        actions: vec![action(
            "Satisfaction call after every delivery",
            480,
            Some(470),
        )],
        result: Some(CheckResult {
            value: 4.1,
            met: true,
            on: clock.date(400),
        }),
        decision: Some(ActDecision::Standardise),
        lessons: "The after-delivery call is now standard for every order.".into(),
        ..blank(6, "Happier customers", Scope::Book, "alice", 500)
    };
    // Measured and waiting for the act decision.
    let acting = Cycle {
        phase: Phase::Act,
        metric: Some(Metric::OverdueFollowups),
        direction: GoalDirection::Lower,
        baseline: Some(14.0),
        target: Some(5.0),
        check_date: Some(clock.date(10)),
        plan_notes: "Follow-ups slip when reps travel; a shared queue covers for them.".into(),
        actions: vec![action(
            "Share the follow-up queue in the team",
            70,
            Some(66),
        )],
        result: Some(CheckResult {
            value: 6.0,
            met: false,
            on: clock.date(10),
        }),
        ..blank(
            8,
            "No follow-up left behind",
            Scope::Owner("diego".into()),
            "diego",
            80,
        )
    };
    let mut cycles = vec![first, second, third, checking, doing, standardised, acting];
    let mature = accounts
        .iter()
        .zip(shapes)
        .find(|(_, shape)| **shape == Shape::Mature);
    if let Some((account, _)) = mature {
        cycles.push(Cycle {
            metric: Some(Metric::Margin12m),
            plan_notes: "Propose a joint planning meeting.".into(),
            ..blank(
                7,
                "Grow the account",
                Scope::Customer(account.customer.id.clone()),
                &account.customer.owner,
                5,
            )
        });
    }
    cycles
}
