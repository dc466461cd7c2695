use super::*;
use crate::domain::model::{Metric, Scope};

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

fn planned() -> Cycle {
    Cycle {
        id: 7,
        title: "Fewer declining accounts".into(),
        scope: Scope::Owner("alice".into()),
        owner: "alice".into(),
        created: day("2026-01-10"),
        phase: Phase::Plan,
        metric: Some(Metric::DeclineCount),
        direction: GoalDirection::Lower,
        baseline: Some(12.0),
        target: Some(8.0),
        check_date: Some(day("2026-04-10")),
        plan_notes: "twelve accounts in decline".into(),
        actions: vec![CycleAction {
            text: "call every declining account".into(),
            due: Some(day("2026-02-01")),
            done: None,
        }],
        result: None,
        decision: None,
        lessons: String::new(),
        previous: None,
        next: None,
    }
}

#[test]
fn plan_to_do_needs_metric_target_and_action() {
    let mut c = planned();
    c.metric = None;
    assert_eq!(advance(&mut c, None, day("2026-01-11")), Err(Refusal::NoMetric(7)));
    let mut c = planned();
    c.target = None;
    assert_eq!(advance(&mut c, None, day("2026-01-11")), Err(Refusal::NoTarget(7)));
    let mut c = planned();
    c.actions.clear();
    assert_eq!(advance(&mut c, None, day("2026-01-11")), Err(Refusal::NoAction(7)));
    assert_eq!(c.phase, Phase::Plan, "a refused transition changes nothing");
    let mut c = planned();
    assert_eq!(advance(&mut c, None, day("2026-01-11")), Ok(Phase::Do));
}

#[test]
fn do_to_check_measures_and_judges_against_the_target() {
    let mut c = planned();
    c.phase = Phase::Do;
    assert!(matches!(advance(&mut c, None, day("2026-04-10")), Err(Refusal::WrongPhase(7, Phase::Do, _))));
    assert_eq!(advance(&mut c, Some(9.0), day("2026-04-10")), Ok(Phase::Check));
    let result = c.result.clone().unwrap();
    assert_eq!((result.value, result.met, result.on), (9.0, false, day("2026-04-10")));

    let mut c = planned();
    c.phase = Phase::Do;
    advance(&mut c, Some(8.0), day("2026-04-10")).unwrap();
    assert!(c.result.unwrap().met, "lower: reaching the target exactly is met");
}

#[test]
fn met_follows_the_direction() {
    assert!(met(GoalDirection::Raise, 0.85, 0.85));
    assert!(!met(GoalDirection::Raise, 0.84, 0.85));
    assert!(met(GoalDirection::Lower, 3.0, 4.0));
    assert!(!met(GoalDirection::Lower, 5.0, 4.0));
}

#[test]
fn check_to_act_and_act_needs_a_decision() {
    let mut c = planned();
    c.phase = Phase::Check;
    assert_eq!(advance(&mut c, None, day("2026-04-11")), Err(Refusal::NotChecked(7)));
    c.result = Some(CheckResult { value: 9.0, met: false, on: day("2026-04-10") });
    assert_eq!(advance(&mut c, None, day("2026-04-11")), Ok(Phase::Act));
    assert_eq!(advance(&mut c, None, day("2026-04-11")), Err(Refusal::DecisionNeeded(7, Phase::Act)));
}

#[test]
fn act_before_check_is_refused() {
    let mut c = planned();
    assert_eq!(act(&mut c, ActDecision::Standardise, "", 8, day("2026-04-12")), Err(Refusal::NotChecked(7)));
    c.phase = Phase::Do;
    assert_eq!(act(&mut c, ActDecision::Abandon, "", 8, day("2026-04-12")), Err(Refusal::NotChecked(7)));
}

#[test]
fn adjust_opens_the_next_cycle_with_baseline_and_lessons() {
    let mut c = planned();
    c.phase = Phase::Act;
    c.result = Some(CheckResult { value: 9.0, met: false, on: day("2026-04-10") });
    let next = act(&mut c, ActDecision::Adjust, "calls alone do not stop price churn", 8, day("2026-04-12"))
        .unwrap()
        .unwrap();
    assert_eq!(c.phase, Phase::Closed);
    assert_eq!(c.decision, Some(ActDecision::Adjust));
    assert_eq!(c.next, Some(8));
    assert_eq!(next.id, 8);
    assert_eq!(next.phase, Phase::Plan);
    assert_eq!(next.baseline, Some(9.0));
    assert_eq!(next.previous, Some(7));
    assert_eq!(next.metric, Some(Metric::DeclineCount));
    assert_eq!(next.target, None);
    assert!(next.plan_notes.contains("calls alone do not stop price churn"));
}

#[test]
fn standardise_and_abandon_close_without_a_next_cycle() {
    for decision in [ActDecision::Standardise, ActDecision::Abandon] {
        let mut c = planned();
        c.phase = Phase::Check;
        c.result = Some(CheckResult { value: 7.0, met: true, on: day("2026-04-10") });
        assert_eq!(act(&mut c, decision, "keep calling", 8, day("2026-04-12")), Ok(None));
        assert_eq!(c.phase, Phase::Closed);
        assert_eq!(c.next, None);
    }
}

#[test]
fn closed_cycles_refuse_everything_but_lessons() {
    let mut c = planned();
    c.phase = Phase::Closed;
    assert_eq!(advance(&mut c, Some(1.0), day("2026-05-01")), Err(Refusal::Closed(7)));
    assert_eq!(add_action(&mut c, "more", None), Err(Refusal::Closed(7)));
    assert_eq!(act(&mut c, ActDecision::Adjust, "", 9, day("2026-05-01")), Err(Refusal::Closed(7)));
    assert_eq!(check_editable(&c), Err(Refusal::Closed(7)));
}

#[test]
fn overdue_check_and_chain() {
    let c = planned();
    assert!(!check_overdue(&c, day("2026-04-10")), "due on the day is not overdue");
    assert!(check_overdue(&c, day("2026-04-11")));
    let mut a = planned();
    a.id = 1;
    a.next = Some(2);
    let mut b = planned();
    b.id = 2;
    b.previous = Some(1);
    b.next = Some(3);
    let mut d = planned();
    d.id = 3;
    d.previous = Some(2);
    let cycles = vec![d.clone(), a.clone(), b.clone()];
    let ids: Vec<u64> = chain(&cycles, 2).iter().map(|c| c.id).collect();
    assert_eq!(ids, vec![1, 2, 3]);
    assert!(chain(&cycles, 99).is_empty());
}
