use super::*;
use crate::domain::card::NextAction;
use crate::domain::config::Config;
use crate::domain::engine;
use crate::domain::facts::customer_facts;
use crate::domain::model::{Task, TaskOrigin};
use crate::domain::rhythm::BookRhythm;
use crate::domain::stats::book_stats;
use crate::domain::testkit::*;
use ActionCode::*;

const AS_OF: &str = "2026-06-30";

/// A card whose actions, tasks, CRV and owner are set by hand.
fn card(
    id: &str,
    owner: &str,
    crv: f64,
    actions: &[(ActionCode, &str)],
    tasks: &[(u64, &str, TaskOrigin)],
) -> Card {
    let cfg = Config::default();
    let account = account(id);
    let facts = customer_facts(&account, d(AS_OF), &cfg, BookRhythm::default_for(&cfg));
    let stats = book_stats(std::slice::from_ref(&facts), d(AS_OF), &cfg);
    let mut c = engine::card(&account, &facts, &stats, &[], d(AS_OF), &cfg);
    c.owner = owner.into();
    c.value.crv = crv;
    c.next_actions = actions
        .iter()
        .map(|&(code, due)| NextAction {
            code,
            action: code.code().into(),
            action_said: Default::default(),
            why: vec![],
            why_said: vec![],
            due: d(due),
        })
        .collect();
    c.open_tasks = tasks
        .iter()
        .map(|&(id, due, origin)| Task {
            id,
            due: d(due),
            text: format!("task {id}"),
            origin,
            done: None,
        })
        .collect();
    c
}

fn build(owner: Option<&str>, limit: usize, cards: &[Card]) -> Agenda {
    let mut builder = AgendaBuilder::new(d(AS_OF), owner.map(String::from), limit);
    for c in cards {
        builder.add(c);
    }
    builder.finish()
}

fn book() -> Vec<Card> {
    use TaskOrigin::*;
    vec![
        card(
            "a",
            "alice",
            100.0,
            &[(FollowUpOverdue, AS_OF), (CheckIn, "2026-07-07")],
            &[
                (1, "2026-06-20", FollowUp),
                (2, "2026-06-30", FollowUp),
                // Due tomorrow: not on today's agenda.
                (3, "2026-07-01", FollowUp),
                // Not a follow-up.
                (4, "2026-06-01", NextBestAction),
            ],
        ),
        card(
            "b",
            "bob",
            900.0,
            &[(DiagnoseDecline, "2026-07-02"), (CrossSell, "2026-07-07")],
            &[(5, "2026-06-20", FollowUp)],
        ),
        card(
            "c",
            "alice",
            900.0,
            &[(CheckIn, "2026-07-07"), (DiagnoseDecline, "2026-07-02")],
            &[],
        ),
        // Same rank as "c" except the id: "c" comes first.
        card("d", "alice", 900.0, &[(CheckIn, "2026-07-07")], &[]),
    ]
}

#[test]
fn follow_ups_due_or_overdue_ranked() {
    let agenda = build(None, 10, &book());
    let rows: Vec<(&str, u64, i64)> = agenda
        .follow_ups
        .iter()
        .map(|f| (f.customer.as_str(), f.task, f.days_overdue))
        .collect();
    // Same due date: the higher CRV (b) first.
    assert_eq!(rows, [("b", 5, 10), ("a", 1, 10), ("a", 2, 0)]);
    assert_eq!(agenda.follow_ups_total, 3);
}

#[test]
fn actions_ranked_by_priority_then_value_then_id() {
    let agenda = build(None, 10, &book());
    let rows: Vec<(&str, ActionCode)> = agenda
        .actions
        .iter()
        .map(|a| (a.customer.as_str(), a.code))
        .collect();
    assert_eq!(
        rows,
        [
            ("b", DiagnoseDecline),
            ("c", DiagnoseDecline),
            ("c", CheckIn),
            ("d", CheckIn),
            ("a", CheckIn),
            ("b", CrossSell),
        ]
    );
    // follow_up_overdue is listed as tasks, not again as an action.
    assert_eq!(agenda.actions_total, 6);
}

#[test]
fn limit_keeps_the_best_and_owner_filters() {
    let agenda = build(None, 2, &book());
    assert_eq!(agenda.actions.len(), 2);
    assert_eq!(agenda.actions[1].customer, "c");
    assert_eq!(agenda.actions[1].code, DiagnoseDecline);
    assert_eq!(agenda.actions_total, 6);
    assert_eq!(agenda.follow_ups.len(), 2);

    let alice = build(Some("alice"), 10, &book());
    assert!(alice.actions.iter().all(|a| a.owner == "alice"));
    assert_eq!(alice.actions_total, 4);
    assert_eq!(alice.follow_ups_total, 2);

    let none = build(None, 0, &book());
    assert!(none.actions.is_empty() && none.follow_ups.is_empty());
    assert_eq!(none.actions_total, 6);

    let json = serde_json::to_value(&agenda).unwrap();
    assert_eq!(json["actions"][0]["code"], "diagnose_decline");
}

/// The morning's sections: the 20th is overdue, the 30th today, 1 July tomorrow (this
/// week), 7 July the last day of the week, 8 July beyond it.
#[test]
fn sections_overdue_today_this_week_with_honest_totals() {
    use TaskOrigin::*;
    let mut cards = book();
    cards.push(card(
        "e",
        "alice",
        50.0,
        &[],
        &[
            (6, "2026-07-07", FollowUp),
            (7, "2026-07-08", FollowUp),
            (8, "2026-06-30", FollowUp),
        ],
    ));
    let agenda = build(None, 1, &cards);
    // Totals count every item, not the one each list keeps.
    assert_eq!(agenda.overdue_total, 2, "b 5 and a 1, both the 20th");
    assert_eq!(agenda.today_total, 2, "a 2 and e 8");
    assert_eq!(agenda.this_week_total, 2, "a 3 (1 July) and e 6 (7 July)");
    assert_eq!(agenda.follow_ups_total, 4);
    // Today's best: a's CRV 100 over e's 50.
    assert_eq!(
        (agenda.today[0].customer.as_str(), agenda.today[0].task),
        ("a", 2)
    );
    // This week earliest first; a follow-up due tomorrow is one day "overdue" below zero.
    assert_eq!(agenda.this_week.len(), 1);
    assert_eq!(agenda.this_week[0].task, 3);
    assert_eq!(agenda.this_week[0].days_overdue, -1);

    let alice = build(Some("alice"), 10, &cards);
    let week: Vec<u64> = alice.this_week.iter().map(|f| f.task).collect();
    assert_eq!(week, [3, 6]);
    assert_eq!(alice.overdue_total, 1);
    assert_eq!(alice.today_total, 2);
}

#[test]
fn when_places_a_due_date() {
    let as_of = d(AS_OF);
    assert_eq!(when(d("2026-06-29"), as_of), Some(When::Overdue));
    assert_eq!(when(as_of, as_of), Some(When::Today));
    assert_eq!(when(d("2026-07-07"), as_of), Some(When::ThisWeek));
    assert_eq!(when(d("2026-07-08"), as_of), None);
}
