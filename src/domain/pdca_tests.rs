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

/// A cycle in `phase` with the record a cycle has there (a result from Check on).
fn in_phase(phase: Phase) -> Cycle {
    let mut c = planned();
    c.phase = phase;
    if matches!(phase, Phase::Check | Phase::Act | Phase::Closed) {
        c.result = Some(CheckResult {
            value: 9.0,
            met: false,
            on: day("2026-04-10"),
        });
    }
    if phase == Phase::Closed {
        c.decision = Some(ActDecision::Standardise);
    }
    c
}

const CHECK_DAY: &str = "2026-04-10";

#[test]
fn plan_to_do_needs_metric_target_and_action() {
    let mut c = planned();
    c.metric = None;
    assert_eq!(
        advance(&mut c, None, day("2026-01-11")),
        Err(Refusal::NoMetric(7))
    );
    let mut c = planned();
    c.target = None;
    assert_eq!(
        advance(&mut c, None, day("2026-01-11")),
        Err(Refusal::NoTarget(7))
    );
    let mut c = planned();
    c.actions.clear();
    assert_eq!(
        advance(&mut c, None, day("2026-01-11")),
        Err(Refusal::NoAction(7))
    );
    assert_eq!(c.phase, Phase::Plan, "a refused transition changes nothing");
    let mut c = planned();
    assert_eq!(advance(&mut c, None, day("2026-01-11")), Ok(Phase::Do));
    assert_eq!(c.result, None, "Plan -> Do measures nothing");
}

#[test]
fn do_to_check_measures_and_judges_against_the_target() {
    let mut c = in_phase(Phase::Do);
    assert_eq!(
        advance(&mut c, None, day(CHECK_DAY)),
        Err(Refusal::NotMeasured(7))
    );
    assert_eq!(c.phase, Phase::Do);
    assert_eq!(advance(&mut c, Some(9.0), day(CHECK_DAY)), Ok(Phase::Check));
    let result = c.result.clone().unwrap();
    assert_eq!(
        (result.value, result.met, result.on),
        (9.0, false, day(CHECK_DAY))
    );

    let mut c = in_phase(Phase::Do);
    advance(&mut c, Some(8.0), day("2026-05-01")).unwrap();
    let result = c.result.unwrap();
    assert!(result.met, "lower: reaching the target exactly is met");
    assert_eq!(
        result.on,
        day("2026-05-01"),
        "a late check is dated when it is made"
    );
}

#[test]
fn do_to_check_waits_for_the_check_date() {
    let mut c = in_phase(Phase::Do);
    assert_eq!(
        advance(&mut c, Some(9.0), day("2026-04-09")),
        Err(Refusal::CheckNotDue(7, day(CHECK_DAY)))
    );
    assert_eq!((c.phase, c.result.is_none()), (Phase::Do, true));
    c.check_date = None;
    assert_eq!(
        advance(&mut c, Some(9.0), day("2026-04-09")),
        Ok(Phase::Check),
        "no date: any day"
    );
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
    assert_eq!(
        advance(&mut c, None, day("2026-04-11")),
        Err(Refusal::NotChecked(7))
    );
    c.result = Some(CheckResult {
        value: 9.0,
        met: false,
        on: day(CHECK_DAY),
    });
    assert_eq!(advance(&mut c, None, day("2026-04-11")), Ok(Phase::Act));
    assert_eq!(
        advance(&mut c, None, day("2026-04-11")),
        Err(Refusal::DecisionNeeded(7, Phase::Act))
    );
    assert_eq!(c.phase, Phase::Act);
}

#[test]
fn act_before_check_is_refused() {
    let mut c = planned();
    assert_eq!(
        act(&mut c, ActDecision::Standardise, "", 8, day("2026-04-12")),
        Err(Refusal::NotChecked(7))
    );
    c.phase = Phase::Do;
    assert_eq!(
        act(&mut c, ActDecision::Abandon, "", 8, day("2026-04-12")),
        Err(Refusal::NotChecked(7))
    );
    // A result on a cycle still in Do (hand-edited data) is not a check either.
    let mut c = in_phase(Phase::Do);
    c.result = Some(CheckResult {
        value: 9.0,
        met: false,
        on: day(CHECK_DAY),
    });
    assert!(matches!(
        act(&mut c, ActDecision::Adjust, "", 8, day("2026-04-12")),
        Err(Refusal::WrongPhase(7, Phase::Do, _))
    ));
    // A cycle in Check or Act without a result (hand-edited data) cannot be acted on.
    for phase in [Phase::Check, Phase::Act] {
        let mut c = planned();
        c.phase = phase;
        assert_eq!(
            act(&mut c, ActDecision::Adjust, "", 8, day("2026-04-12")),
            Err(Refusal::NotChecked(7))
        );
        assert_eq!(c.phase, phase);
    }
}

#[test]
fn act_is_legal_from_check_and_from_act() {
    for phase in [Phase::Check, Phase::Act] {
        let mut c = in_phase(phase);
        assert_eq!(
            act(&mut c, ActDecision::Standardise, "", 8, day("2026-04-12")),
            Ok(None)
        );
        assert_eq!(
            (c.phase, c.decision),
            (Phase::Closed, Some(ActDecision::Standardise))
        );
    }
}

#[test]
fn adjust_opens_the_next_cycle_with_baseline_and_lessons() {
    let mut c = in_phase(Phase::Act);
    let next = act(
        &mut c,
        ActDecision::Adjust,
        "  calls alone do not stop price churn ",
        8,
        day("2026-04-12"),
    )
    .unwrap()
    .unwrap();
    assert_eq!(c.phase, Phase::Closed);
    assert_eq!(c.decision, Some(ActDecision::Adjust));
    assert_eq!(c.lessons, "calls alone do not stop price churn");
    assert_eq!(c.next, Some(8));
    assert_eq!(next.id, 8);
    assert_eq!(next.phase, Phase::Plan);
    assert_eq!(next.created, day("2026-04-12"));
    assert_eq!(next.baseline, Some(9.0));
    assert_eq!(next.previous, Some(7));
    assert_eq!(next.metric, Some(Metric::DeclineCount));
    assert_eq!(next.direction, GoalDirection::Lower);
    assert_eq!(next.scope, Scope::Owner("alice".into()));
    assert_eq!(
        (next.target, next.check_date, next.actions.len()),
        (None, None, 0)
    );
    assert_eq!(
        next.plan_notes,
        "Lessons from cycle 7: calls alone do not stop price churn"
    );
    let mut next = next;
    assert_eq!(
        advance(&mut next, None, day("2026-04-13")),
        Err(Refusal::NoTarget(8)),
        "a new plan needs its own target"
    );
}

#[test]
fn standardise_and_abandon_close_without_a_next_cycle() {
    for decision in [ActDecision::Standardise, ActDecision::Abandon] {
        let mut c = in_phase(Phase::Check);
        assert_eq!(
            act(&mut c, decision, "keep calling", 8, day("2026-04-12")),
            Ok(None)
        );
        assert_eq!(c.phase, Phase::Closed);
        assert_eq!(c.decision, Some(decision));
        assert_eq!(c.lessons, "keep calling");
        assert_eq!(c.next, None);
    }
}

#[test]
fn closed_cycles_refuse_everything_but_lessons() {
    let mut c = in_phase(Phase::Closed);
    let before = c.clone();
    assert_eq!(
        advance(&mut c, Some(1.0), day("2026-05-01")),
        Err(Refusal::Closed(7))
    );
    assert_eq!(add_action(&mut c, "more", None), Err(Refusal::Closed(7)));
    assert_eq!(
        complete_action(&mut c, 0, day("2026-05-01")),
        Err(Refusal::Closed(7))
    );
    assert_eq!(
        act(&mut c, ActDecision::Adjust, "", 9, day("2026-05-01")),
        Err(Refusal::Closed(7))
    );
    assert_eq!(set_target(&mut c, 5.0), Err(Refusal::Closed(7)));
    assert_eq!(
        set_check_date(&mut c, day("2026-06-01")),
        Err(Refusal::Closed(7))
    );
    assert_eq!(
        set_notes(&mut c, "rewrite history"),
        Err(Refusal::Closed(7))
    );
    assert_eq!(check_editable(&c), Err(Refusal::Closed(7)));
    assert_eq!(c, before, "refusals change nothing");
    set_lessons(&mut c, " written later ");
    assert_eq!(c.lessons, "written later");
}

/// Every edit in every phase: which are legal.
#[test]
fn edits_by_phase() {
    let phases = [
        Phase::Plan,
        Phase::Do,
        Phase::Check,
        Phase::Act,
        Phase::Closed,
    ];
    // (phase, target and check date editable, notes and actions editable)
    let expected = [
        (true, true),
        (true, true),
        (false, true),
        (false, true),
        (false, false),
    ];
    for (phase, (goal_ok, plan_ok)) in phases.into_iter().zip(expected) {
        let mut c = in_phase(phase);
        assert_eq!(
            set_target(&mut c, 6.0).is_ok(),
            goal_ok,
            "target in {phase}"
        );
        assert_eq!(
            set_check_date(&mut c, day("2026-05-01")).is_ok(),
            goal_ok,
            "check date in {phase}"
        );
        assert_eq!(set_notes(&mut c, "n").is_ok(), plan_ok, "notes in {phase}");
        assert_eq!(
            add_action(&mut c, "a", None).is_ok(),
            plan_ok,
            "action in {phase}"
        );
        assert_eq!(
            complete_action(&mut c, 0, day("2026-02-01")).is_ok(),
            plan_ok,
            "done in {phase}"
        );
        if goal_ok {
            assert_eq!(
                (c.target, c.check_date),
                (Some(6.0), Some(day("2026-05-01")))
            );
        }
        if plan_ok {
            assert_eq!((c.plan_notes.as_str(), c.actions.len()), ("n", 2));
            assert_eq!(c.actions[0].done, Some(day("2026-02-01")));
        }
    }
}

#[test]
fn edits_are_checked() {
    let mut c = planned();
    assert_eq!(
        set_target(&mut c, -1.0),
        Err(Refusal::Invalid(Worded::new(
            "target -1 for decline_count: must be 0 or more",
            Text::new("pdca-invalid-target")
                .arg("target", "-1")
                .part("metric", Text::new("metric-declinecount"))
                .part("expected", Text::new("pdca-target-zero-or-more"))
        )))
    );
    assert!(
        matches!(set_check_date(&mut c, day("2026-01-09")), Err(Refusal::Invalid(m)) if m.english.contains("before the plan"))
    );
    assert!(matches!(
        add_action(&mut c, "  ", None),
        Err(Refusal::Invalid(_))
    ));
    assert_eq!(
        complete_action(&mut c, 1, day("2026-02-01")),
        Err(Refusal::NoSuchAction(7, 2, 1))
    );
    complete_action(&mut c, 0, day("2026-02-01")).unwrap();
    assert_eq!(
        complete_action(&mut c, 0, day("2026-02-02")),
        Err(Refusal::ActionDone(7, 1))
    );
    assert_eq!(
        c.actions[0].done,
        Some(day("2026-02-01")),
        "the first date stays"
    );
    c.metric = None;
    assert_eq!(set_target(&mut c, 3.0), Err(Refusal::NoMetric(7)));
}

fn a_plan() -> Plan {
    Plan {
        title: "  More contact ".into(),
        scope: Scope::Segment("retail".into()),
        metric: Metric::ContactsPerCustomer,
        direction: GoalDirection::Raise,
        target: Some(2.0),
        check_date: Some(day("2026-03-01")),
        notes: " monthly calls ".into(),
        actions: vec![
            ("call list".into(), Some(day("2026-01-20"))),
            ("review".into(), None),
        ],
    }
}

#[test]
fn a_plan_makes_a_cycle_in_plan() {
    let c = plan(3, a_plan(), "bob", Some(1.25), day("2026-01-10")).unwrap();
    assert_eq!(
        (c.id, c.phase, c.title.as_str(), c.owner.as_str()),
        (3, Phase::Plan, "More contact", "bob")
    );
    assert_eq!(
        (c.metric, c.baseline, c.target),
        (Some(Metric::ContactsPerCustomer), Some(1.25), Some(2.0))
    );
    assert_eq!(
        (c.created, c.check_date),
        (day("2026-01-10"), Some(day("2026-03-01")))
    );
    assert_eq!(c.plan_notes, "monthly calls");
    assert_eq!(c.actions.len(), 2);
    assert_eq!(
        (
            c.actions[0].text.as_str(),
            c.actions[0].due,
            c.actions[1].due
        ),
        ("call list", Some(day("2026-01-20")), None)
    );
    assert_eq!(
        (c.result, c.decision, c.previous, c.next),
        (None, None, None, None)
    );
}

#[test]
fn a_plan_is_checked() {
    let refused = |edit: fn(&mut Plan)| {
        let mut p = a_plan();
        edit(&mut p);
        plan(3, p, "bob", None, day("2026-01-10")).unwrap_err()
    };
    assert_eq!(
        refused(|p| p.title = " ".into()),
        Refusal::Invalid(Worded::new(
            "a cycle needs a title",
            Text::new("pdca-invalid-no-title")
        ))
    );
    assert!(
        matches!(refused(|p| p.target = Some(-2.0)), Refusal::Invalid(m) if m.english.contains("contacts_per_customer"))
    );
    assert!(
        matches!(refused(|p| p.check_date = Some(day("2026-01-01"))), Refusal::Invalid(m) if m.english.contains("before the plan"))
    );
    assert!(matches!(
        refused(|p| p.actions.push((String::new(), None))),
        Refusal::Invalid(_)
    ));
    let mut p = a_plan();
    p.target = None;
    p.actions.clear();
    let c = plan(3, p, "bob", None, day("2026-01-10")).unwrap();
    assert_eq!(
        (c.target, c.actions.len(), c.baseline),
        (None, 0, None),
        "a plan may start incomplete"
    );
}

#[test]
fn scopes_parse_and_print() {
    let cases = [
        ("book", Scope::Book),
        ("customer:acme", Scope::Customer("acme".into())),
        ("owner: alice", Scope::Owner("alice".into())),
        (
            "segment:Food & drink",
            Scope::Segment("Food & drink".into()),
        ),
    ];
    for (text, scope) in cases {
        assert_eq!(parse_scope(text), Ok(scope.clone()), "{text}");
        assert_eq!(parse_scope(&scope_label(&scope)), Ok(scope));
    }
    assert!(parse_scope("owner:")
        .unwrap_err()
        .contains("the owner is missing"));
    assert!(parse_scope("team:x").unwrap_err().contains("expected book"));
    assert!(parse_scope("alice").unwrap_err().contains("expected book"));
}

#[test]
fn overdue_check_and_chain() {
    let c = planned();
    assert!(
        !check_overdue(&c, day(CHECK_DAY)),
        "due on the day is not overdue"
    );
    assert!(check_overdue(&c, day("2026-04-11")));
    assert!(
        !check_overdue(&in_phase(Phase::Check), day("2026-04-11")),
        "checked"
    );
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

#[test]
fn a_chain_with_a_loop_ends() {
    let mut a = planned();
    a.id = 1;
    a.previous = Some(2);
    a.next = Some(2);
    let mut b = planned();
    b.id = 2;
    b.previous = Some(1);
    b.next = Some(1);
    let cycles = vec![a, b];
    assert!(
        chain(&cycles, 1).len() <= 3,
        "bounded by the number of cycles"
    );
}
